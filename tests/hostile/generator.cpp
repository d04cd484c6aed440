#include "tests/hostile/generator.hpp"

#include <fstream>
#include <set>
#include <sstream>

namespace scpt::hostile {

std::string read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("generator: cannot read " + path);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void write_bytes(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("generator: cannot write " + path);
    out.write(bytes.data(), std::streamsize(bytes.size()));
}

std::string in_dir(const std::string& dir, const std::string& name) {
    if (name.empty() || name.find("..") != std::string::npos || name[0] == '/')
        throw std::runtime_error("generator: bad file name '" + name + "'");
    return dir + "/" + name;
}

namespace {

const std::set<std::string> kCaseFields = {"id", "description", "command", "args", "build", "expect", "page", "existing_output"};
const std::set<std::string> kExpectFields = {"status", "message", "json", "max_rss_mb"};

Case parse_case(const json& j) {
    for (auto it = j.begin(); it != j.end(); ++it)
        if (!kCaseFields.count(it.key())) throw std::runtime_error("catalogue: unknown field '" + it.key() + "'");
    Case c;
    c.id = j.at("id").get<std::string>();
    for (char ch : c.id)
        if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '-'))
            throw std::runtime_error("catalogue: id '" + c.id + "' must be [a-z0-9-]");
    c.description = j.at("description").get<std::string>();
    c.command = j.at("command").get<std::string>();
    c.args = j.at("args").get<std::vector<std::string>>();
    c.build = j.at("build");
    c.expect = j.at("expect");
    for (auto it = c.expect.begin(); it != c.expect.end(); ++it)
        if (!kExpectFields.count(it.key()))
            throw std::runtime_error("catalogue: case " + c.id + ": unknown expect field '" + it.key() + "'");
    c.status = c.expect.at("status").get<int>();
    c.message = c.expect.value("message", std::string());
    if (c.status == 2 && c.message.empty()) throw std::runtime_error("catalogue: case " + c.id + " has no message");
    c.existing_output = j.value("existing_output", false);
    c.page = j.value("page", json());
    return c;
}

}  // namespace

std::vector<Case> load_catalogue(const std::string& path) {
    json j = json::parse(read_bytes(path));
    std::vector<Case> out;
    std::set<std::string> ids;
    for (const auto& c : j.at("cases")) {
        out.push_back(parse_case(c));
        if (!ids.insert(out.back().id).second) throw std::runtime_error("catalogue: duplicate id " + out.back().id);
    }
    return out;
}

void build_case(const Case& c, const std::string& data_dir, const std::string& dir) {
    for (const auto& op : c.build) {
        if (apply_text_op(op, data_dir, dir) || apply_h5_op(op, dir) || apply_model_op(op, dir)) continue;
        throw std::runtime_error("catalogue: case " + c.id + ": unknown op " + op.dump());
    }
}

}  // namespace scpt::hostile
