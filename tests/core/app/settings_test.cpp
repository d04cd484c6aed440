// One table of annotation options for the CLI and the page: defaults are core's, bad values and
// unknown keys are refused naming the option as the user wrote it.
#include "core/app/annotate_settings.hpp"

#include <gtest/gtest.h>

#include "core/util/error.hpp"

namespace scpt::app {
namespace {

std::string refusal(const Settings& s, const std::string& prefix) {
    try {
        read_annotate_settings(s, prefix);
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

TEST(AnnotateSettings, DefaultsAreTheCoresOwn) {
    const AnnotateSettings s = read_annotate_settings({});
    const annotate::AnnotateOptions d;
    EXPECT_EQ(s.options.mode, d.mode);
    EXPECT_EQ(s.options.unknown.rule, d.unknown.rule);
    EXPECT_DOUBLE_EQ(s.options.unknown.alpha, d.unknown.alpha);
    EXPECT_EQ(s.options.reference_pcs, d.reference_pcs);
    EXPECT_EQ(s.options.reference_genes, d.reference_genes);
    EXPECT_EQ(s.options.transform_without_model, d.transform_without_model);
    EXPECT_FALSE(s.options.majority_vote.enabled);
    EXPECT_FALSE(s.min_probability_given);
    EXPECT_EQ(s.clusters, 0);
}

TEST(AnnotateSettings, ReadsEveryKindOfValue) {
    const AnnotateSettings s = read_annotate_settings({{"finetune", "full"}, {"alpha", "0.05"}, {"seed", "42"},
                                                       {"majority-voting", "true"}, {"head", "mlp"},
                                                       {"min-probability", "0.3"}, {"unknown", "none"}});
    EXPECT_EQ(s.options.mode, train::FinetuneMode::Full);
    EXPECT_DOUBLE_EQ(s.options.unknown.alpha, 0.05);
    EXPECT_EQ(s.options.seed, 42u);
    EXPECT_TRUE(s.options.majority_vote.enabled);
    EXPECT_EQ(s.options.head_classifier, annotate::AnnotateOptions::HeadClassifier::Mlp);
    EXPECT_TRUE(s.min_probability_given);
    EXPECT_EQ(s.options.unknown.rule, annotate::UnknownRule::None);
}

TEST(AnnotateSettings, RefusesBadValuesNamingTheOption) {
    EXPECT_EQ(refusal({{"alpha", "2"}}, "--"), "--alpha must be a number from 0 to 1 (it is 2)");
    EXPECT_EQ(refusal({{"alpha", "0.5x"}}, ""), "alpha must be a number from 0 to 1 (it is 0.5x)");
    EXPECT_EQ(refusal({{"reference-pcs", "2.5"}}, ""), "reference-pcs must be a whole number from 0 to 500 (it is 2.5)");
    EXPECT_EQ(refusal({{"finetune", "scratch"}}, ""), "finetune must be one of head, full (it is scratch)");
    EXPECT_EQ(refusal({{"details", "yes"}}, ""), "details must be true or false (it is yes)");
    EXPECT_EQ(refusal({{"alhpa", "0.1"}}, "--"), "unknown option --alhpa");
}

TEST(AnnotateSettings, EveryKeyHasHelpAndItsDefaultReadsBack) {
    for (const auto& spec : annotate_setting_specs()) {
        EXPECT_FALSE(spec.help.empty()) << spec.key;
        if (spec.kind != SettingSpec::Kind::Flag) EXPECT_NO_THROW(read_annotate_settings({{spec.key, spec.fallback}})) << spec.key;
    }
}

}  // namespace
}  // namespace scpt::app
