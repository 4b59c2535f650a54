// bert_score's table of default layers (`model2layers` in bert_score/utils.py, v0.3.13): for
// each Hugging Face model name, the layer whose token states correlated best with human
// judgements on WMT16 (bert_score's `num_layers`; 0 = the embeddings). rrg carries over the
// entries whose architecture it runs (BERT, RoBERTa, DistilBERT). PubMedBERT / BiomedBERT and
// CXR-BERT are not in bert_score's table: pass the layer explicitly for them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rrg::metrics::bertscore {

// The default layer of `model_name` (e.g. "roberta-large" -> 17), or nullopt.
std::optional<int> default_layer(std::string_view model_name);

// Every (model name, layer) entry, in bert_score's order.
const std::vector<std::pair<std::string, int>>& layer_table();

}  // namespace rrg::metrics::bertscore
