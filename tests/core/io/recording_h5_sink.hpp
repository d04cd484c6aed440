// An H5Sink (core/io/h5_sink.hpp) that records every object and attribute in memory, checking the
// sink's contract as it goes (parents before children, nothing twice, data sized as its shape).
#pragma once
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "core/io/h5_sink.hpp"

namespace scpt::test {

struct RecordedDataset {
    std::string type;  // float32, float64, int32, int64, bool, string
    std::vector<int64_t> shape;
    std::vector<double> numbers;
    std::vector<std::string> strings;
};

class RecordingH5Sink : public io::H5Sink {
public:
    std::vector<std::string> groups;
    std::map<std::string, RecordedDataset> datasets;
    std::map<std::string, std::vector<std::string>> string_attrs;  // "path@name"
    std::map<std::string, std::vector<int64_t>> int_attrs;
    std::map<std::string, bool> bool_attrs;

    bool has_group(const std::string& p) const {
        for (const auto& g : groups)
            if (g == p) return true;
        return false;
    }
    std::string attr(const std::string& path, const std::string& name) const {
        auto it = string_attrs.find(path + "@" + name);
        return it == string_attrs.end() || it->second.empty() ? "<none>" : it->second[0];
    }

    void create_group(const std::string& p) override {
        EXPECT_FALSE(has_group(p)) << p;
        if (p != "/") EXPECT_TRUE(has_group(parent(p))) << p;
        groups.push_back(p);
    }
    void write_float(const std::string& p, const std::vector<int64_t>& s, const float* d) override { num(p, "float32", s, d); }
    void write_double(const std::string& p, const std::vector<int64_t>& s, const double* d) override { num(p, "float64", s, d); }
    void write_int32(const std::string& p, const std::vector<int64_t>& s, const int32_t* d) override { num(p, "int32", s, d); }
    void write_int64(const std::string& p, const std::vector<int64_t>& s, const int64_t* d) override { num(p, "int64", s, d); }
    void write_bool(const std::string& p, const std::vector<int64_t>& s, const uint8_t* d) override { num(p, "bool", s, d); }
    void write_strings(const std::string& p, const std::vector<std::string>& v) override {
        RecordedDataset& r = fresh(p);
        r.type = "string";
        r.shape = {int64_t(v.size())};
        r.strings = v;
    }
    void set_string_attribute(const std::string& p, const std::string& n, const std::string& v) override {
        string_attrs[key(p, n)] = {v};
    }
    void set_strings_attribute(const std::string& p, const std::string& n, const std::vector<std::string>& v) override {
        string_attrs[key(p, n)] = v;
    }
    void set_int64s_attribute(const std::string& p, const std::string& n, const std::vector<int64_t>& v) override {
        int_attrs[key(p, n)] = v;
    }
    void set_bool_attribute(const std::string& p, const std::string& n, bool v) override { bool_attrs[key(p, n)] = v; }

private:
    static std::string parent(const std::string& p) {
        const size_t k = p.rfind('/');
        return k == 0 ? "/" : p.substr(0, k);
    }
    RecordedDataset& fresh(const std::string& p) {
        EXPECT_TRUE(has_group(parent(p))) << p;
        EXPECT_EQ(datasets.count(p), 0u) << p;
        return datasets[p];
    }
    std::string key(const std::string& p, const std::string& n) {
        EXPECT_TRUE(has_group(p) || datasets.count(p)) << p << " for attribute " << n;
        const std::string k = p + "@" + n;
        EXPECT_EQ(string_attrs.count(k) + int_attrs.count(k) + bool_attrs.count(k), 0u) << k;
        return k;
    }
    template <class T>
    void num(const std::string& p, const char* type, const std::vector<int64_t>& shape, const T* d) {
        RecordedDataset& r = fresh(p);
        r.type = type;
        r.shape = shape;
        EXPECT_TRUE(shape.size() == 1 || shape.size() == 2) << p;
        int64_t n = 1;
        for (int64_t s : shape) n *= s;
        for (int64_t i = 0; i < n; ++i) r.numbers.push_back(double(d[i]));
    }
};

}  // namespace scpt::test
