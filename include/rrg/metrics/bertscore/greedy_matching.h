// BERTScore's greedy matching on token embeddings, exactly as bert_score 0.3.13 computes it
// (bert_score/utils.py `greedy_cos_idf`), torch-free.
//
// For a candidate (hypothesis) x and a reference y, with L2-normalised token embeddings (the
// special tokens [CLS]/[SEP] or <s>/</s> included) and token weights w (idf, or 1; the special
// tokens weigh 0):
//   P = sum_i w_x[i] / sum(w_x) * max_j cos(x_i, y_j)        R = likewise with x and y swapped
//   F = 2 P R / (P + R)
// Quirks reproduced:
// - bert_score computes a batch of pairs at once on zero-padded similarity matrices, so when a
//   reference is shorter than the longest reference of its batch, every max over its tokens also
//   sees a 0 (`floor`): a candidate token whose cosines with the reference are all negative
//   matches 0, not the largest negative cosine; likewise for recall and the candidates. Batches
//   are consecutive groups of `batch_size` pairs (bert_score's batch_size, default 64).
// - A sequence of length 2 (only the special tokens: an empty text) sets P and R to 0 (bert_score
//   warns "Empty candidate/reference sentence detected").
// - F = NaN (0/0, or weights summing to 0) becomes 0; P or R can stay NaN when every token of a
//   non-empty text has idf 0.
#pragma once

#include <cstddef>
#include <vector>

namespace rrg::metrics::bertscore {

// One tokenized text: `length` L2-normalised rows of `dim` floats and `length` weights.
struct TokenMatrix {
  const float* rows = nullptr;
  const double* weights = nullptr;
  std::size_t length = 0;
};

struct PairScore {
  double precision = 0, recall = 0, f1 = 0;
};

// Scales each of `count` rows of `dim` floats to unit L2 norm (torch: x / x.norm(dim=-1)).
void l2_normalize_rows(float* rows, std::size_t count, std::size_t dim);

// bert_score's P, R, F of one pair. `hyp_floor` / `ref_floor`: the candidate / reference is
// shorter than the longest of its batch (its padded matrix holds zeros).
PairScore greedy_match(const TokenMatrix& hyp, const TokenMatrix& ref, std::size_t dim,
                       bool hyp_floor, bool ref_floor);

}  // namespace rrg::metrics::bertscore
