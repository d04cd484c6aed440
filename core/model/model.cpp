#include "core/model/model.hpp"

#include <cstring>
#include <set>

#include "core/util/text.hpp"
#include "core/util/error.hpp"

namespace scpt {

const char* dtype_name(DType t) {
    switch (t) {
        case DType::F32: return "f32";
        case DType::F16: return "f16";
        case DType::Q8: return "q8";
        case DType::Q4: return "q4";
    }
    return "unknown";
}

bool parse_dtype(const std::string& name, DType& out) {
    for (DType t : {DType::F32, DType::F16, DType::Q8, DType::Q4})
        if (name == dtype_name(t)) {
            out = t;
            return true;
        }
    return false;
}

namespace {

void require(bool ok, const std::string& what, const std::string& message) {
    if (!ok) throw input_error(what, message);
}

void require_size(const std::string& what, const char* array, size_t have, int64_t want) {
    require(int64_t(have) == want, what,
            std::string(array) + " holds " + std::to_string(have) + " values, expected " + std::to_string(want));
}

// Branch-free over the whole array (vectorises): model files hold millions of weights.
void require_finite(const std::string& what, const char* array, const std::vector<float>& v) {
    uint32_t bad = 0;
    for (float x : v) {
        uint32_t u;
        std::memcpy(&u, &x, 4);
        bad |= uint32_t((u & 0x7f800000u) == 0x7f800000u);
    }
    if (bad) throw input_error(what, std::string(array) + " holds a value that is not a finite number");
}

}  // namespace

int64_t EncoderWeights::weight_bytes() const {
    switch (dtype) {
        case DType::F32: return int64_t(f32.size()) * 4;
        case DType::F16: return int64_t(f16.size()) * 2;
        case DType::Q8: return int64_t(q8.size()) + int64_t(q8_scale.size()) * 4;
        case DType::Q4: return int64_t(q4.size()) + int64_t(q4_scale.size()) * 4;
    }
    return 0;
}

void EncoderWeights::validate(const std::string& what) const {
    // Bounds that keep genes * hidden far from overflow; the file reader applies the user's Limits.
    require(genes >= 1 && genes <= (int64_t(1) << 31), what, "the encoder has an invalid number of genes");
    require(hidden >= 1 && hidden <= 65536, what, "the encoder has an invalid number of hidden units");
    const int64_t n = genes * hidden;
    const std::vector<float>* scale = nullptr;
    switch (dtype) {
        case DType::F32:
            require_size(what, "encoder weights", f32.size(), n);
            require_finite(what, "encoder weights", f32);
            break;
        case DType::F16:
            require_size(what, "encoder weights", f16.size(), n);
            for (uint16_t h : f16)
                if ((h & 0x7c00u) == 0x7c00u) throw input_error(what, "encoder weights hold a value that is not a finite number");
            break;
        case DType::Q8:
            require_size(what, "encoder weights", q8.size(), n);
            require_size(what, "encoder scales", q8_scale.size(), genes);
            scale = &q8_scale;
            break;
        case DType::Q4:
            require_size(what, "encoder weights", q4.size(), genes * q4_row_bytes(hidden));
            require_size(what, "encoder scales", q4_scale.size(), genes * q4_blocks(hidden));
            scale = &q4_scale;
            break;
        default: throw input_error(what, "the encoder has an unknown weight type");
    }
    if (scale) require_finite(what, "encoder scales", *scale);
    require_size(what, "encoder bias", bias.size(), hidden);
    require_finite(what, "encoder bias", bias);
}

void ReferenceClassifier::validate(const std::string& what, int64_t hidden) const {
    const std::string w = what + ": classifier " + quote(name);
    require(!classes.empty(), w, "has no classes");
    require_finite(w, "calibration", calibration);
    if (head == Head::Linear) {
        const int64_t S = int64_t(gene_rows.size()), F = hidden + pcs, C = int64_t(classes.size());
        require(S >= 1, w, "has no genes");
        require(pcs >= 0 && pcs <= 65536, w, "has an invalid number of principal components");
        require(calibration.size() == 2 && calibration[0] > 0, w, "needs a temperature and a minimum probability");
        require_size(w, "principal component means", pca_mean.size(), pcs > 0 ? S : 0);
        require_size(w, "principal component loadings", pca_loadings.size(), S * pcs);
        require_size(w, "feature means", feature_mean.size(), F);
        require_size(w, "feature scales", feature_scale.size(), F);
        require_size(w, "weights", linear_w.size(), C * F);
        require_size(w, "bias", linear_b.size(), C);
        for (const auto* v : {&pca_mean, &pca_loadings, &feature_mean, &feature_scale, &linear_w, &linear_b})
            require_finite(w, "parameters", *v);
        return;
    }
    require(h1 >= 1 && h1 <= 65536, w, "has an invalid hidden layer size");
    require_size(w, "fc1 weights", fc1_w.size(), h1 * hidden);
    require_size(w, "fc1 bias", fc1_b.size(), h1);
    require_size(w, "fc2 weights", fc2_w.size(), int64_t(classes.size()) * h1);
    require_size(w, "fc2 bias", fc2_b.size(), int64_t(classes.size()));
    require_finite(w, "fc1 weights", fc1_w);
    require_finite(w, "fc1 bias", fc1_b);
    require_finite(w, "fc2 weights", fc2_w);
    require_finite(w, "fc2 bias", fc2_b);
}

void Model::validate(const std::string& what) const {
    encoder.validate(what);
    require(int64_t(info.genes.size()) == encoder.genes, what,
            "the gene vocabulary has " + std::to_string(info.genes.size()) + " genes but the encoder has " +
                std::to_string(encoder.genes) + " rows");
    std::set<std::string> names;
    for (const auto& c : classifiers) {
        bool ok = !c.name.empty() && c.name.size() <= 64;
        for (char ch : c.name)
            ok = ok && ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                        ch == '_' || ch == '-');
        require(ok, what, "classifier name '" + c.name + "' is not 1-64 letters, digits, '_' or '-'");
        require(names.insert(c.name).second, what, "two classifiers are named " + quote(c.name));
        c.validate(what, encoder.hidden);
        if (c.head == ReferenceClassifier::Head::Linear) {
            std::set<int32_t> rows;
            for (int32_t r : c.gene_rows)
                require(r >= 0 && r < encoder.genes && rows.insert(r).second, what,
                        "classifier '" + c.name + "' names an encoder row that does not exist or twice");
        }
    }
}

const ReferenceClassifier* Model::find_classifier(const std::string& name) const {
    for (const auto& c : classifiers)
        if (c.name == name) return &c;
    return nullptr;
}

}  // namespace scpt
