// BERTScore rescaling baselines: bert_score's `rescale_baseline/<lang>/<model>.tsv` files. Each
// is, despite its name, a comma-separated table `LAYER,P,R,F` with one row per layer from 0 (the
// embeddings); bert_score reads it with pandas.read_csv and takes row number `num_layers`,
// converted to float32, then rescales every score s to (s - b) / (1 - b).
// rrg ships the English files of the models people use for reports (see baselines.cpp for their
// origin); --bertscore-baseline FILE takes any file of that format.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rrg::metrics::bertscore {

struct Baseline {
  // float32-rounded, as bert_score uses them.
  double precision = 0, recall = 0, f1 = 0;
  std::string source;  // "bert_score-0.3.13:en/roberta-large.tsv" or the file's path
};

// The rows of a baseline file's text: rows[i] = {P, R, F} of data row i. Throws rrg::InputError
// naming `path` (and line) when the header is not LAYER,P,R,F or a row is not four numbers.
std::vector<std::vector<double>> parse_baseline_table(std::string_view text,
                                                      const std::string& path);

// The shipped file text for `model_name` ("roberta-large", "distilbert-base-uncased", ...), or
// nullopt.
std::optional<std::string_view> shipped_baseline(std::string_view model_name);

// Model names with a shipped baseline.
std::vector<std::string> shipped_baseline_models();

// The baseline of `layer`: from `file` when non-empty, else the shipped one of `model_name`.
// Throws rrg::InputError when there is none (naming --bertscore-baseline) or the file has no row
// for `layer`.
Baseline load_baseline(const std::string& file, const std::string& model_name, int layer);

}  // namespace rrg::metrics::bertscore
