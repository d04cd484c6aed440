#include "core/annotate/representations.hpp"

#include <algorithm>

#include "core/stats/logistic.hpp"
#include "core/stats/pca.hpp"
#include "core/cluster/kmeans.hpp"
#include "core/model/encode.hpp"

namespace scpt::annotate {
namespace {

RepresentationReport score(const std::string& name, const Eigen::MatrixXf& e, const RepresentationInput& in,
                           const RunControl& control) {
    RepresentationReport r;
    r.name = name;
    r.dims = int(e.cols());
    const nn::Matrix rows = e;  // row-major for K-means
    const double w = 1.0 / double(std::max<size_t>(1, in.seeds.size()));
    for (size_t si = 0; si < in.seeds.size(); ++si) {
        control.check_cancel();
        cluster::KmeansOptions ko;
        ko.k = std::min<int>(in.n_types, int(rows.rows()));
        ko.seed = in.seeds[si];
        ko.max_iters = 300;
        ko.n_init = 10;  // scikit-learn's KMeans default, as the paper used
        const auto km = cluster::kmeans(rows, ko, control);
        r.ari += w * adjusted_rand_index(in.types, km.labels);
        r.nmi += w * normalized_mutual_info(in.types, km.labels);

        const auto& ref = in.reference[si];
        const auto& test = in.test[si];
        Eigen::MatrixXf xr(int64_t(ref.size()), e.cols()), xt(int64_t(test.size()), e.cols());
        std::vector<int32_t> yr, yt;
        for (size_t i = 0; i < ref.size(); ++i) {
            xr.row(int64_t(i)) = e.row(ref[i]);
            yr.push_back(in.types[size_t(ref[i])]);
        }
        for (size_t i = 0; i < test.size(); ++i) {
            xt.row(int64_t(i)) = e.row(test[i]);
            yt.push_back(in.types[size_t(test[i])]);
        }
        LogisticRegression lr;
        lr.fit(xr, yr, in.n_types, {}, control);
        const auto s = score_labels(yt, lr.predict(xt), in.n_types);
        r.lr_accuracy += w * s.accuracy;
        r.lr_macro_f1 += w * s.macro_f1;
    }
    return r;
}

}  // namespace

std::vector<RepresentationReport> compare_representations(const RepresentationInput& in, int pca_dims,
                                                          const RunControl& control) {
    std::vector<RepresentationReport> out;
    if (in.encoder) {
        const RowMatrix h = encode(*in.cells, *in.gene_to_row, *in.encoder, {}, control);
        out.push_back(score("embedding", Eigen::MatrixXf(h), in, control));
    }
    PcaOptions po;
    po.components = pca_dims;
    const PcaResult p = pca(*in.cells, po, control);
    out.push_back(score("pca", p.scores, in, control));
    return out;
}

}  // namespace scpt::annotate
