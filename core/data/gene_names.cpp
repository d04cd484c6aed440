#include "core/data/gene_names.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <unordered_set>

#include "core/util/text.hpp"

namespace scpt {

bool is_ensembl_gene_id(std::string_view s) {
    if (s.size() < 15 || s.substr(0, 3) != "ENS") return false;
    size_t i = 3;
    while (i < s.size() && s[i] >= 'A' && s[i] <= 'Z' && s[i] != 'G') ++i;
    if (i >= s.size() || s[i] != 'G') return false;
    ++i;
    size_t d = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++d;
    if (d < 6) return false;
    if (i == s.size()) return true;
    if (s[i] != '.') return false;
    ++i;
    if (i == s.size()) return false;
    for (; i < s.size(); ++i)
        if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    return true;
}

std::string_view strip_ensembl_version(std::string_view s) {
    if (!is_ensembl_gene_id(s)) return s;
    size_t dot = s.find('.');
    return dot == std::string_view::npos ? s : s.substr(0, dot);
}

bool is_human_ensembl_id(std::string_view s) { return is_ensembl_gene_id(s) && s.substr(0, 4) == "ENSG"; }

bool looks_like_dna_barcode(std::string_view s) {
    int run = 0;
    for (char c : s) {
        if (c == 'A' || c == 'C' || c == 'G' || c == 'T') {
            if (++run >= 10) return true;
        } else {
            run = 0;
        }
    }
    return false;
}

namespace {
// Broadly expressed genes (housekeeping, cytoskeleton, translation, MHC-I) in human spelling.
const char* const kCommon[] = {
    "ACTB", "ACTG1", "GAPDH", "B2M", "MALAT1", "NEAT1", "TMSB4X", "TMSB10", "EEF1A1", "EEF2", "FTL", "FTH1",
    "TPT1", "UBC", "UBB", "UBA52", "PTMA", "HSP90AB1", "HSP90AA1", "HSPA8", "VIM", "LDHA", "LDHB", "PKM", "ENO1",
    "PPIA", "PPIB", "NPM1", "MYL6", "TUBA1B", "TUBB", "YBX1", "CFL1", "PFN1", "S100A4", "S100A6", "S100A10",
    "S100A11", "LGALS1", "ANXA2", "SERF2", "TXN", "SRP14", "NACA", "EIF1", "H3F3A", "H3F3B", "ARPC2", "ARPC3",
    "CALM1", "CALM2", "CALM3", "GNB2L1", "RACK1", "FAU", "CD74", "BTF3", "TOMM7", "SH3BGRL3", "COX4I1", "UQCRH",
    "SOD1", "PRDX1", "GSTP1", "DDX5", "HNRNPA1", "SRSF3", "SNRPD2", "PABPC1", "EEF1G", "EEF1B2", "EEF1D", "TPI1",
    "PGK1", "ALDOA", "PSAP", "CTSB", "CTSD", "LAPTM4A", "ITM2B", "SAT1", "TMBIM6", "ATP5F1E", "CST3", "APOE",
    "MIF", "JUN", "JUNB", "FOS", "FOSB", "EGR1", "IER2", "DUSP1", "KLF6", "ZFP36", "CD63", "CD81", "CD9", "CD44",
    "HMGB1", "HMGN2", "HMGA1", "H2AFZ", "STMN1", "MKI67", "TOP2A", "PCNA", "MCM2", "CCND1", "CDK4", "MYC", "XIST",
    "COL1A1", "COL1A2", "COL3A1", "SPARC", "TAGLN", "ACTA2", "MGP", "DCN", "LUM", "KRT8", "KRT18", "KRT19", "EPCAM",
    "PTPRC", "CD3E", "CD3D", "CD4", "CD8A", "CD19", "MS4A1", "CD79A", "LYZ", "NKG7", "GNLY", "HBB", "HBA1", "HBA2",
    "ALB", "INS", "GCG", "SST", "SNAP25", "SYT1", "GFAP", "PLP1", "MBP", "AQP4", "OLIG2", "PECAM1", "CDH5", "VWF",
    "SPP1", "CCL5", "IL7R", "CXCR4", "SELL", "LTB", "IL32", "GZMB", "GZMA", "PRF1", "FCER1G", "TYROBP", "AIF1",
    "CSF1R", "C1QA", "C1QB", "C1QC", "APOC1", "PPBP", "PF4", "TPM1", "TPM2", "TPM3", "TPM4", "MYL9", "CNN1",
    "SFTPC", "SFTPB", "SCGB1A1", "DYNLL1", "SUMO2", "NDUFA4", "ATP5MG", "SLC25A3", "CHCHD2", "COX7C", "COX6C",
    "GPX4", "HSPB1", "CRIP1", "IFITM2", "IFITM3", "ISG15", "LY6E", "HLA-A", "HLA-B", "HLA-C", "HLA-E", "CYBA",
    "ARHGDIB", "CORO1A", "LCP1", "RAC2", "EMP3", "CD52", "CD37", "CD53", "BTG1", "BTG2", "TSC22D3", "TXNIP",
    "GADD45B", "CEBPB", "CEBPD", "NFKBIA", "SRGN", "SAP18", "POLR2L", "ELOB", "TCEB2", "NOP10", "SNHG8", "SNHG5",
};
// Families whose members are numerous in any transcriptome; matched as prefix + digit/letter.
const char* const kFamilies[] = {"RPL", "RPS", "MRPL", "MRPS", "NDUF", "ATP5", "COX", "PSMA", "PSMB", "PSMC",
                                 "PSMD", "HNRNP", "SNRP", "EIF", "HIST", "KRT", "COL", "S100A", "SLC", "ZNF",
                                 "CCL", "CXCL", "IFI", "HLA-", "H2-", "MT-", "LINC", "TMEM", "FAM", "KIAA",
                                 "CDC", "CDK", "TNF", "IL", "OR", "SNOR", "MIR", "UQCR", "ANKRD", "CCDC"};

const std::unordered_set<std::string>& common_set() {
    static const std::unordered_set<std::string> s(std::begin(kCommon), std::end(kCommon));
    return s;
}
}  // namespace

bool is_common_gene_symbol(std::string_view name) {
    if (name.empty() || name.size() > 24) return false;
    std::string u = to_upper(name);
    if (common_set().count(u)) return true;
    // Mouse predicted genes and RIKEN clones: Gm12345, 1110008P14Rik.
    if (u.size() > 2 && u[0] == 'G' && u[1] == 'M' &&
        std::all_of(u.begin() + 2, u.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return true;
    if (u.size() > 6 && ends_with(u, "RIK") && std::isdigit(static_cast<unsigned char>(u[0]))) return true;
    for (const char* f : kFamilies) {
        std::string_view p(f);
        if (u.size() > p.size() && starts_with(u, p)) {
            char next = u[p.size()];
            bool prefix_ends_in_dash = p.back() == '-';
            if (prefix_ends_in_dash || std::isdigit(static_cast<unsigned char>(next)) ||
                (p.size() >= 4 && std::isalpha(static_cast<unsigned char>(next)))) {
                // Gene symbols are compact: no spaces or underscores.
                if (u.find_first_of(" _") == std::string::npos) return true;
            }
        }
    }
    return false;
}

bool looks_like_placeholder_names(const std::vector<std::string>& names) {
    if (names.empty()) return true;
    size_t n = std::min<size_t>(names.size(), 2000), hits = 0;
    for (size_t i = 0; i < n; ++i) {
        std::string l = to_lower(names[i]);
        size_t k = l.size();
        while (k > 0 && std::isdigit(static_cast<unsigned char>(l[k - 1]))) --k;
        std::string_view stem(l.data(), k);
        if (k < l.size() && (stem.empty() || stem == "gene" || stem == "genes" || stem == "v" || stem == "x" ||
                             stem == "g" || stem == "feature" || stem == "gene_" || stem == "row"))
            ++hits;
    }
    return hits * 10 >= n * 9;
}

const char* species_name(Species s) {
    switch (s) {
        case Species::Human: return "human";
        case Species::Mouse: return "mouse";
        default: return "unknown";
    }
}

Species guess_species(const std::vector<std::string>& ids, const std::vector<std::string>& symbols) {
    size_t human = 0, mouse = 0;
    size_t n = std::min<size_t>(ids.size(), 5000);
    for (size_t i = 0; i < n; ++i) {
        std::string_view id = ids[i];
        if (starts_with(id, "ENSG")) ++human;
        else if (starts_with(id, "ENSMUSG")) ++mouse;
    }
    if (human + mouse >= n / 2 && n > 0) return human >= mouse ? Species::Human : Species::Mouse;
    size_t upper = 0, capital = 0;
    n = std::min<size_t>(symbols.size(), 5000);
    for (size_t i = 0; i < n; ++i) {
        const std::string& s = symbols[i];
        bool has_lower = false, has_upper_after = false;
        for (size_t k = 1; k < s.size(); ++k) {
            if (std::islower(static_cast<unsigned char>(s[k]))) has_lower = true;
            if (std::isupper(static_cast<unsigned char>(s[k]))) has_upper_after = true;
        }
        if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0]))) continue;
        if (std::isupper(static_cast<unsigned char>(s[0])) && has_lower && !has_upper_after) ++capital;
        else if (!has_lower && has_upper_after) ++upper;
    }
    if (capital > 2 * upper && capital >= 5) return Species::Mouse;
    if (upper > 2 * capital && upper >= 5) return Species::Human;
    return Species::Unknown;
}

namespace {
struct AxisStats {
    double ensembl = 0, dna = 0, common = 0, stem_ratio = 1;
    size_t common_count = 0;
    std::string example_common;
};

AxisStats axis_stats(const std::vector<std::string>& names) {
    AxisStats a;
    size_t n = std::min<size_t>(names.size(), 4000);
    if (n == 0) return a;
    size_t ens = 0, dna = 0;
    std::unordered_set<std::string> stems;
    for (size_t i = 0; i < n; ++i) {
        const std::string& s = names[i];
        if (is_ensembl_gene_id(s)) ++ens;
        if (looks_like_dna_barcode(s)) ++dna;
        if (is_common_gene_symbol(s)) {
            if (a.common_count < 3) a.example_common += (a.common_count ? ", " : "") + s;
            ++a.common_count;
        }
        size_t k = s.size();
        while (k > 0 && std::isdigit(static_cast<unsigned char>(s[k - 1]))) --k;
        stems.insert(s.substr(0, k));
    }
    a.ensembl = double(ens) / double(n);
    a.dna = double(dna) / double(n);
    a.common = double(a.common_count) / double(n);
    a.stem_ratio = double(stems.size()) / double(n);
    return a;
}
}  // namespace

AxisGuess guess_gene_axis(const std::vector<std::string>& rows, const std::vector<std::string>& cols) {
    AxisStats r = axis_stats(rows), c = axis_stats(cols);
    AxisGuess g;
    g.confident = true;
    if (r.ensembl >= 0.5 && c.ensembl < 0.1) return {true, true, "row names are Ensembl gene ids"};
    if (c.ensembl >= 0.5 && r.ensembl < 0.1) return {false, true, "column names are Ensembl gene ids"};
    if (c.dna >= 0.5 && r.dna < 0.1) return {true, true, "column names are cell barcodes"};
    if (r.dna >= 0.5 && c.dna < 0.1) return {false, true, "row names are cell barcodes"};
    if (r.common_count >= 3 && r.common_count >= 3 * c.common_count && r.common > c.common)
        return {true, true, "row names include common gene symbols (" + r.example_common + ")"};
    if (c.common_count >= 3 && c.common_count >= 3 * r.common_count && c.common > r.common)
        return {false, true, "column names include common gene symbols (" + c.example_common + ")"};
    // Cell ids are usually numbered variations of a few stems; gene symbols rarely are.
    if (rows.size() >= 10 && cols.size() >= 10) {
        if (c.stem_ratio < 0.2 && r.stem_ratio > 0.5) return {true, true, "column names are numbered like cell ids"};
        if (r.stem_ratio < 0.2 && c.stem_ratio > 0.5) return {false, true, "row names are numbered like cell ids"};
    }
    g.confident = false;
    g.genes_are_rows = rows.size() >= cols.size();
    g.reason = std::string("names give no clue; took the longer axis (") + (g.genes_are_rows ? "rows" : "columns") +
               ") as genes";
    return g;
}

}  // namespace scpt
