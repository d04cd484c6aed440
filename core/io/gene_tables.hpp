// Parsers of the two gene reference tables (the tables themselves are in core/data):
//   - human <-> mouse one-to-one orthologs (OrthologTable, core/data/orthologs.hpp), from either
//     layout: scPretrain's table (../shared/data/ref/scPretrain_orthologs_one2one.csv), a header
//     naming columns, e.g. ",mouse_lemur__gene_name,human__gene_name,mouse__gene_name,", whose
//     columns containing "human" and "mouse" are used; or a plain two-column table
//     "human<TAB>mouse" (or CSV), header optional. Rows with an empty side are skipped; repeats are
//     counted in the table's notes;
//   - human Ensembl gene id -> symbol (GeneIdTable, core/data/gene_id_table.hpp), e.g.
//     ../shared/data/ref/GENCODEv44_Gene_id2name.csv ("ENSG00000223972,DDX11L1", no header; a
//     header line is skipped).
// Both accept gzip-compressed bytes.
#pragma once
#include <string>
#include <string_view>

#include "core/data/gene_id_table.hpp"
#include "core/data/orthologs.hpp"

namespace scpt::io {

// Throws InputError naming `what` when no human/mouse columns can be found or no pair is read.
OrthologTable parse_orthologs(std::string_view bytes, const std::string& what);

// Throws InputError naming `what` on a row that is not 'ensembl_id,symbol' or when none is read.
GeneIdTable parse_gene_id_table(std::string_view bytes, const std::string& what);

}  // namespace scpt::io
