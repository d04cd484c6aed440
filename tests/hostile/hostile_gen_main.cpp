// scpt_hostile_gen OUT_DIR [CATALOGUE]: writes every case of the hostile-input catalogue to
// OUT_DIR/<id>/ and a manifest (OUT_DIR/manifest.json) for the browser tests: per case the files
// to upload, in which role, and the message the page must show (tests/hostile/README.md).
// Shared data come from SCPT_DATA (default: the build's ../shared/data).
#include <dirent.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <set>

#include "tests/hostile/generator.hpp"

using namespace scpt::hostile;

namespace {
std::vector<std::string> files_in(const std::string& dir) {
    std::vector<std::string> out;
    if (DIR* d = ::opendir(dir.c_str())) {
        while (dirent* e = ::readdir(d))
            if (e->d_name[0] != '.') out.push_back(e->d_name);
        ::closedir(d);
    }
    std::sort(out.begin(), out.end());
    return out;
}
}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: scpt_hostile_gen OUT_DIR [CATALOGUE]\n";
        return 2;
    }
    const std::string out = argv[1];
    const std::string catalogue = argc > 2 ? argv[2] : std::string(SCPT_SOURCE_DIR) + "/tests/hostile/catalogue.json";
    const char* env = std::getenv("SCPT_DATA");
    const std::string data = env && *env ? env : SCPT_SHARED_DATA_DEFAULT;
    ::mkdir(out.c_str(), 0755);
    json manifest = json::array();
    int built = 0, skipped = 0;
    for (const Case& c : load_catalogue(catalogue)) {
        if (c.page.is_boolean() && !c.page.get<bool>()) continue;  // CLI-only case
        const std::string dir = out + "/" + c.id;
        std::system(("rm -rf '" + dir + "'").c_str());
        ::mkdir(dir.c_str(), 0755);
        try {
            build_case(c, data, dir);
        } catch (const MissingData& e) {
            std::cerr << c.id << ": skipped, shared data not found: " << e.what() << "\n";
            ++skipped;
            continue;
        }
        // Which files the page gets: the ones the CLI arguments name, or the whole folder.
        std::vector<std::string> files;
        for (const auto& a : c.args)
            if (a.rfind("{dir}/", 0) == 0) files.push_back(a.substr(6));
        if (files.empty() || (c.args.size() && c.args[0] == "{dir}")) files = files_in(dir);
        json p = c.page.is_object() ? c.page : json::object();
        if (!p.contains("role")) p["role"] = c.command == "annotate" ? "annotate" : "query";
        if (p["role"] == "annotate" && !p.contains("reference")) {
            // A run: the page's inputs by the CLI options; {dir} stands for the folder's data files
            // (what no other option names), uploaded as the reference and, without --query, as the
            // query too (the page annotates a query; the CLI the reference's unlabelled cells).
            std::set<std::string> named;
            for (size_t i = 0; i + 1 < c.args.size(); ++i)
                if (c.args[i].rfind("--", 0) == 0 && c.args[i + 1].rfind("{dir}/", 0) == 0) named.insert(c.args[i + 1].substr(6));
            json folder = json::array();
            for (const auto& f : files_in(dir))
                if (!named.count(f) && f != "labels.tsv" && f != "labels.tsv.gz") folder.push_back(f);
            for (size_t i = 0; i + 1 < c.args.size(); ++i) {
                const std::string& opt = c.args[i];
                const std::string& v = c.args[i + 1];
                if (opt != "--reference" && opt != "--query" && opt != "--labels" && opt != "--model") continue;
                p[opt.substr(2)] = v == "{dir}" ? folder : json::array({v.substr(6)});
            }
            if (!p.contains("query")) p["query"] = p.value("reference", json::array());
        }
        if (!p.contains("files")) {
            // A folder's labels.tsv is what the page takes through its labels input.
            json data = json::array(), labels = json::array();
            for (const auto& f : files) (f == "labels.tsv" || f == "labels.tsv.gz" ? labels : data).push_back(f);
            p["files"] = data;
            if (!labels.empty() && p["role"] == "query") p["labels"] = labels;
        }
        manifest.push_back({{"id", c.id},
                            {"description", c.description},
                            {"dir", c.id},
                            {"command", c.command},
                            {"status", p.value("status", c.status)},
                            {"message", p.value("message", c.message)},
                            {"page", p}});
        ++built;
    }
    write_bytes(out + "/manifest.json", manifest.dump(1) + "\n");
    std::cerr << built << " cases written to " << out << (skipped ? ", " + std::to_string(skipped) + " skipped" : "") << "\n";
    return 0;
}
