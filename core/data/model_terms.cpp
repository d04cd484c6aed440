#include "core/data/model_terms.hpp"

namespace scpt {

const char* transform_name(Transform t) {
    switch (t) {
        case Transform::Log1p: return "log1p";
        case Transform::CountsPer10kLog1p: return "cp10k_log1p";
    }
    return "unknown";
}

bool parse_transform(const std::string& name, Transform& out) {
    for (Transform t : {Transform::Log1p, Transform::CountsPer10kLog1p})
        if (name == transform_name(t)) {
            out = t;
            return true;
        }
    return false;
}

}  // namespace scpt
