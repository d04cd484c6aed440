#include "core/model/model.hpp"

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

const char* transform_name(Transform t) {
    switch (t) {
        case Transform::Log1p: return "log1p";
        case Transform::CountsPer10kLog1p: return "cp10k_log1p";
    }
    return "unknown";
}

}  // namespace scpt
