// bert_score's model2layers for BERT, RoBERTa and DistilBERT models (see model_layers.h).
// Origin: github.com/Tiiiger/bert_score, bert_score/utils.py at v0.3.13
// (commit dbcf6db37e8bd6ff68446f06b0ba5d0763b62d20), MIT licence. Entries of architectures rrg
// does not run (XLNet, XLM, ALBERT, ELECTRA, BART, T5, DeBERTa, relative-position BERTs,
// BERTweet's tokenizer...) are left out.
#include "rrg/metrics/bertscore/model_layers.h"

namespace rrg::metrics::bertscore {

const std::vector<std::pair<std::string, int>>& layer_table() {
  static const std::vector<std::pair<std::string, int>> table = {
      {"bert-base-uncased", 9},
      {"bert-large-uncased", 18},
      {"bert-base-cased-finetuned-mrpc", 9},
      {"bert-base-multilingual-cased", 9},
      {"bert-base-chinese", 8},
      {"roberta-base", 10},
      {"roberta-large", 17},
      {"roberta-large-mnli", 19},
      {"roberta-base-openai-detector", 7},
      {"roberta-large-openai-detector", 15},
      {"allenai/scibert_scivocab_uncased", 8},
      {"allenai/scibert_scivocab_cased", 9},
      {"nfliu/scibert_basevocab_uncased", 9},
      {"distilroberta-base", 5},
      {"distilbert-base-uncased", 5},
      {"distilbert-base-uncased-distilled-squad", 4},
      {"distilbert-base-multilingual-cased", 5},
      {"google/bert_uncased_L-2_H-128_A-2", 1},
      {"google/bert_uncased_L-2_H-256_A-4", 1},
      {"google/bert_uncased_L-2_H-512_A-8", 1},
      {"google/bert_uncased_L-2_H-768_A-12", 2},
      {"google/bert_uncased_L-4_H-128_A-2", 3},
      {"google/bert_uncased_L-4_H-256_A-4", 3},
      {"google/bert_uncased_L-4_H-512_A-8", 3},
      {"google/bert_uncased_L-4_H-768_A-12", 3},
      {"google/bert_uncased_L-6_H-128_A-2", 5},
      {"google/bert_uncased_L-6_H-256_A-4", 5},
      {"google/bert_uncased_L-6_H-512_A-8", 5},
      {"google/bert_uncased_L-6_H-768_A-12", 5},
      {"google/bert_uncased_L-8_H-128_A-2", 7},
      {"google/bert_uncased_L-8_H-256_A-4", 7},
      {"google/bert_uncased_L-8_H-512_A-8", 6},
      {"google/bert_uncased_L-8_H-768_A-12", 7},
      {"google/bert_uncased_L-10_H-128_A-2", 8},
      {"google/bert_uncased_L-10_H-256_A-4", 8},
      {"google/bert_uncased_L-10_H-512_A-8", 9},
      {"google/bert_uncased_L-10_H-768_A-12", 8},
      {"google/bert_uncased_L-12_H-128_A-2", 10},
      {"google/bert_uncased_L-12_H-256_A-4", 11},
      {"google/bert_uncased_L-12_H-512_A-8", 10},
      {"google/bert_uncased_L-12_H-768_A-12", 9},
      {"ProsusAI/finbert", 10},
      {"SpanBERT/spanbert-base-cased", 8},
      {"SpanBERT/spanbert-large-cased", 17},
      {"princeton-nlp/unsup-simcse-bert-base-uncased", 10},
      {"princeton-nlp/unsup-simcse-bert-large-uncased", 18},
      {"princeton-nlp/unsup-simcse-roberta-base", 8},
      {"princeton-nlp/unsup-simcse-roberta-large", 13},
      {"princeton-nlp/sup-simcse-bert-base-uncased", 10},
      {"princeton-nlp/sup-simcse-bert-large-uncased", 18},
      {"princeton-nlp/sup-simcse-roberta-base", 10},
      {"princeton-nlp/sup-simcse-roberta-large", 16},
      {"dbmdz/bert-base-turkish-cased", 10},
      {"dbmdz/distilbert-base-turkish-cased", 4},
  };
  return table;
}

std::optional<int> default_layer(std::string_view model_name) {
  for (const auto& [name, layer] : layer_table()) {
    if (name == model_name) return layer;
  }
  return std::nullopt;
}

}  // namespace rrg::metrics::bertscore
