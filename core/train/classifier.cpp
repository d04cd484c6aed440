#include "core/train/classifier.hpp"

#include "core/nn/activation.hpp"
#include "core/nn/softmax_xent.hpp"

namespace scpt::train {

nn::Matrix Classifier::embed(const nn::CsrRef& x, int threads) const {
    nn::Matrix h;
    encoder.forward_all(x, h, threads);
    nn::sigmoid_inplace(h);
    return h;
}

nn::Matrix Classifier::head_logits(const nn::Matrix& h) const {
    nn::Matrix a, logits;
    fc1.forward(h, a);
    nn::sigmoid_inplace(a);
    fc2.forward(a, logits);
    return logits;
}

nn::Matrix Classifier::predict_proba(const nn::CsrRef& x, int threads) const {
    nn::Matrix p;
    nn::softmax_rows(head_logits(embed(x, threads)), p);
    return p;
}

std::vector<int32_t> Classifier::predict(const nn::CsrRef& x, int threads) const {
    return argmax_rows(head_logits(embed(x, threads)));
}

ReferenceClassifier Classifier::reference_head(std::string name, std::vector<std::string> class_names) const {
    ReferenceClassifier r;
    r.name = std::move(name);
    r.classes = std::move(class_names);
    r.h1 = fc1.out();
    r.fc1_w.assign(fc1.weight.data(), fc1.weight.data() + fc1.weight.size());
    r.fc1_b.assign(fc1.bias.data(), fc1.bias.data() + fc1.bias.size());
    r.fc2_w.assign(fc2.weight.data(), fc2.weight.data() + fc2.weight.size());
    r.fc2_b.assign(fc2.bias.data(), fc2.bias.data() + fc2.bias.size());
    return r;
}

std::vector<int32_t> argmax_rows(const nn::Matrix& m) {
    std::vector<int32_t> out(size_t(m.rows()), 0);
    for (int64_t r = 0; r < m.rows(); ++r) {
        int32_t best = 0;
        for (int64_t c = 1; c < m.cols(); ++c)
            if (m(r, c) > m(r, best)) best = int32_t(c);
        out[size_t(r)] = best;
    }
    return out;
}

}  // namespace scpt::train
