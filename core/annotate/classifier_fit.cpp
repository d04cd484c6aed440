#include "core/annotate/classifier_fit.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "core/annotate/evaluate.hpp"
#include "core/annotate/stored_classifier.hpp"
#include "core/data/gene_match.hpp"
#include "core/util/error.hpp"

namespace scpt::annotate {

namespace {

// Whether `word` occurs in s as a word of its own, case-insensitively ("human_pbmc", "Human PBMC").
bool has_word(const std::string& s, const std::string& word) {
    std::string low(s.size(), ' ');
    std::transform(s.begin(), s.end(), low.begin(), [](unsigned char ch) { return char(std::tolower(ch)); });
    for (size_t at = low.find(word); at != std::string::npos; at = low.find(word, at + 1)) {
        const bool start = at == 0 || !std::isalpha(static_cast<unsigned char>(low[at - 1]));
        const size_t end = at + word.size();
        if (start && (end == low.size() || !std::isalpha(static_cast<unsigned char>(low[end])))) return true;
    }
    return false;
}

Species species_in(const std::string& s) {
    const bool human = has_word(s, "human"), mouse = has_word(s, "mouse");
    if (human == mouse) return Species::Unknown;
    return human ? Species::Human : Species::Mouse;
}

// Per gene of m, the fraction of cells with a non-zero value.
std::vector<double> detected_fraction(const CellMatrix& m) {
    std::vector<double> d(size_t(m.n_genes), 0.0);
    for (size_t k = 0; k < m.indices.size(); ++k)
        if (m.values[k] != 0) d[size_t(m.indices[k])] += 1;
    for (auto& x : d) x /= double(std::max<int64_t>(1, m.n_cells));
    return d;
}

std::string percent(double f) { return std::to_string(int(std::lround(100 * f))) + "%"; }

// 1000 -> "1,000", as the page and the CLI write counts.
std::string count(int64_t n) {
    std::string s = std::to_string(n);
    for (int i = int(s.size()) - 3; i > 0; i -= 3) s.insert(size_t(i), ",");
    return s;
}

// Evenly spaced rows, at most `n` of them: the same cells on every run and on every machine.
std::vector<int64_t> sample_rows(int64_t cells, int64_t n) {
    const int64_t k = std::min(cells, std::max<int64_t>(1, n));
    std::vector<int64_t> rows(size_t(std::max<int64_t>(0, k)));
    for (int64_t i = 0; i < k; ++i) rows[size_t(i)] = i * cells / k;
    return rows;
}

ClassifierFit fit_one(const Model& model, const ReferenceClassifier& c, const CellMatrix& m, const CellMatrix& sample,
                      const std::vector<double>& detected, const ClassifierFitOptions& o, const RunControl& control) {
    ClassifierFit f;
    f.name = c.name;
    f.classifier_species = classifier_species(c);
    f.data_species = guess_species(m.gene_ids, m.gene_symbols);
    f.species_ok = f.classifier_species == Species::Unknown || f.data_species == Species::Unknown ||
                   f.classifier_species == f.data_species;
    std::vector<std::string> against;
    if (!f.species_ok)
        against.push_back(std::string(species_name(f.data_species)) + " cells, a " + species_name(f.classifier_species) +
                          " classifier");

    GeneMatchOptions go;
    go.min_matched = 0;  // counting only
    go.data_name = o.data_name;
    go.vocab_name = "classifier '" + c.name + "'";
    GeneMatch g;
    try {
        g = match_genes(m, classifier_genes(model, c), go);
    } catch (const InputError& e) {  // names that match nothing at all
        f.verdict = e.what();
        return f;
    }
    f.genes = g.vocab_size;
    f.matched = g.matched;
    double sum = 0;
    for (size_t j = 0; j < g.column_to_vocab.size(); ++j)
        if (g.column_to_vocab[j] >= 0) sum += detected[j];
    f.expressed = f.genes ? sum / double(f.genes) : 0.0;

    const int64_t need = std::min(o.min_matched, f.genes);
    if (f.matched == 0 || f.matched < need) {
        against.push_back("only " + count(f.matched) + " of its " + count(f.genes) + " genes are in " + o.data_name +
                          " (at least " + count(std::max<int64_t>(1, need)) + " needed)");
    } else if (sample.n_cells > 0) {
        ClassifierOptions co;
        co.min_matched = 0;
        co.allow_scaled = o.allow_scaled;
        co.data_name = o.data_name;
        std::vector<float> rms;
        co.feature_rms = &rms;
        RunControl quiet = control;
        quiet.progress = nullptr;
        try {
            const Predictions p = predict_with_classifier(model, c, sample, co, quiet);
            f.sampled = int64_t(p.label.size());
            for (size_t i = 0; i < p.label.size(); ++i)
                if (p.label[i] >= 0 && (rms.empty() || double(rms[i]) <= o.max_feature_rms)) ++f.typical;
            f.typical_fraction = f.sampled ? double(f.typical) / double(f.sampled) : 0.0;
            if (f.typical_fraction < o.min_typical)
                against.push_back("only " + percent(f.typical_fraction) + " of " + count(f.sampled) +
                                  " sampled cells typical of its types");
        } catch (const InputError& e) {
            against.push_back(e.what());
        }
    }
    f.fits = against.empty();
    if (f.fits) {
        f.verdict = percent(f.typical_fraction) + " of " + count(f.sampled) + " sampled cells typical of its types";
    } else {
        for (const auto& a : against) f.verdict += (f.verdict.empty() ? "" : "; ") + a;
    }
    return f;
}

}  // namespace

Species classifier_species(const ReferenceClassifier& c) {
    const Species by_name = species_in(c.name);
    return by_name != Species::Unknown ? by_name : species_in(c.description);
}

ClassifierFit classifier_fit(const Model& model, const ReferenceClassifier& c, const CellMatrix& m,
                             const ClassifierFitOptions& o, const RunControl& control) {
    const CellMatrix sample = row_subset(m, sample_rows(m.n_cells, o.sample_cells));
    return fit_one(model, c, m, sample, detected_fraction(m), o, control);
}

std::vector<ClassifierFit> classifier_fits(const Model& model, const CellMatrix& m, const ClassifierFitOptions& o,
                                           const RunControl& control) {
    const CellMatrix sample = row_subset(m, sample_rows(m.n_cells, o.sample_cells));
    const std::vector<double> detected = detected_fraction(m);
    std::vector<ClassifierFit> out;
    for (const auto& c : model.classifiers) {
        control.check_cancel();
        out.push_back(fit_one(model, c, m, sample, detected, o, control));
    }
    return out;
}

}  // namespace scpt::annotate
