#include "core/io/folder_metadata.hpp"

#include <algorithm>

#include "core/io/gzip.hpp"
#include "core/io/labels.hpp"
#include "core/io/table.hpp"

namespace scpt::io {

void attach_folder_metadata(CellMatrix& m, const FolderMetadata& f, const Limits& limits,
                            std::vector<std::string>* notes) {
    if (f.has_obs) {
        std::string text;
        const std::string_view view =
            gunzip_if_gzip(f.obs, f.obs_name, limits.max_inflated_bytes, text) ? std::string_view(text) : f.obs;
        for (auto& c : read_obs_table(view, f.obs_name, m.barcodes, notes)) {
            m.obs.erase(std::remove_if(m.obs.begin(), m.obs.end(), [&](const ObsColumn& o) { return o.name == c.name; }),
                        m.obs.end());
            m.obs.push_back(std::move(c));
        }
    }
    if (f.has_labels) {
        std::string text;
        const std::string_view view =
            gunzip_if_gzip(f.labels, f.labels_name, limits.max_inflated_bytes, text) ? std::string_view(text) : f.labels;
        add_folder_labels(m, view, f.labels_name, limits, notes);
    }
}

}  // namespace scpt::io
