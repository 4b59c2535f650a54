// BERTScore (Zhang et al., ICLR 2020) computed natively the way bert_score 0.3.13 computes it
// (github.com/Tiiiger/bert_score: bert_score/score.py `score`, bert_score/utils.py), on a Hugging
// Face model folder (BERT, DistilBERT, RoBERTa; rrg/io/hf_model_folder.h).
//
// This front end is torch-free: tokenisation (sent_encode, sentence_encoder.h), dedup of texts,
// length-sorted batches, idf, greedy matching (greedy_matching.h), several references, rescaling
// (baselines.h) and the cache. The encoder runs in rrg's libtorch module (model kind
// "hf_encoder", loaded on first use through rrg/core/torch_module.h) and only for texts whose
// embeddings are not cached.
//
// bert_score's conventions, all reproduced:
// - layer: hidden_states[layer] of the model (its `num_layers`; default from model_layers.h);
// - idf (idf=true): log((M + 1) / (df + 1)) over the M references (all references of all
//   samples, duplicates included), df = number of references containing the token id; ids in no
//   reference get log(M + 1); [CLS]/[SEP] get 0 (they are in every reference). Without idf every
//   token weighs 1 and [CLS]/[SEP] 0. Weights are float32 as in bert_score;
// - several references for a sample: the sample is scored against each, and P, R and F1 are
//   each the maximum over its references (bert_score's `max(dim=0)`, column by column; they may
//   come from different references). `reference` reports the one with the highest F1;
// - rescaling: (s - b) / (1 - b) with the baseline row of the layer, after the maximum;
// - empty texts score 0 (with bert_score's warning in BertScoreResult::warnings);
// - the corpus value is the mean over samples.
//
// Caching (rrg/io/cache_db.h, shared SQLite file): namespace "bertscore-embedding" keeps the
// L2-normalised token embeddings of each distinct token sequence under the weights' SHA-256,
// layer and precision (~4 bytes x hidden size per token: 330 KB for a 80-token report with
// roberta-large), so a second run over the same references runs no forward pass for them;
// "bertscore-pair" keeps the raw P/R/F1 of each (candidate, reference, weights, batch padding)
// so a repeated evaluation does no matching either. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <future>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "rrg/io/hf_model_folder.h"
#include "rrg/metrics/bertscore/baselines.h"
#include "rrg/metrics/bertscore/sentence_encoder.h"
#include "rrg/metrics/signature.h"

namespace rrg {
class TorchModel;
namespace io {
class CacheDb;
}
}  // namespace rrg

namespace rrg::metrics::bertscore {

// Environment variable naming the default model folder.
inline constexpr const char* kModelEnvironment = "RRG_BERTSCORE_MODEL";

struct BertScoreOptions {
  // Hugging Face model folder; empty = $RRG_BERTSCORE_MODEL.
  std::string model_dir;
  // Name for bert_score's layer table, the shipped baselines and the signature (e.g.
  // "roberta-large"); empty = config.json's "_name_or_path", else the "models--org--name" part
  // of a Hugging Face cache path, else the folder's name.
  std::string model_name;
  // hidden_states[layer]; -1 = bert_score's default for model_name.
  int layer = -1;
  bool idf = false;
  bool rescale = false;
  // bert_score rescale_baseline file (LAYER,P,R,F); empty = the shipped one of model_name.
  std::string baseline_file;
  // bert_score's batch_size: pairs per matching batch (it decides the padding quirk of
  // greedy_matching.h) and most texts per forward pass.
  int batch_size = 64;
  // Intra-op threads of libtorch and of the matching; 0 = every core.
  int threads = 0;
  // Run the encoder's linear layers in int8 (CheXbert's dynamic quantisation).
  bool int8 = false;
  // SQLite cache file; empty = io::default_cache_path().
  std::string cache_path;
  bool no_cache = false;
  // The embeddings of the texts seen are kept in memory for later calls (compare's shared
  // references, a server's repeated ones) up to this many bytes of floats: a call that finds
  // more than that forgets them all first (a long-running `rrg serve` would otherwise grow
  // without end). One call always holds what it needs. 0 = no limit.
  std::size_t memory_limit_bytes = std::size_t{2} << 30;
};

struct BertScoreSample {
  double precision = 0, recall = 0, f1 = 0;
  std::size_t reference = 0;  // index of the reference with the highest F1
};

struct BertScoreResult {
  std::vector<BertScoreSample> samples;
  double precision = 0, recall = 0, f1 = 0;  // means over samples
  // bert_score's warnings, e.g. "Empty candidate sentence detected; setting raw BERTscores to 0."
  std::vector<std::string> warnings;
};

struct BertScoreStats {
  std::size_t texts = 0;             // distinct token sequences needed
  std::size_t from_cache = 0;        // of which embeddings came from the cache
  std::size_t computed = 0;          // of which ran through the model
  std::size_t batches = 0;           // forward passes
  std::size_t pairs = 0;             // (candidate, reference) pairs scored
  std::size_t pairs_from_cache = 0;  // of which the cache had the scores
  std::size_t forgotten = 0;         // embeddings dropped from memory (memory_limit_bytes)
  double model_load_seconds = 0;
  double model_seconds = 0;
  double matching_seconds = 0;
  std::string blas;
  std::string blas_core;  // OpenBLAS's kernels ("SkylakeX", "Haswell", ...), or ""
};

// An L2-normalised token embedding matrix (ids.size() rows of dim() floats).
struct TextEmbedding {
  std::vector<std::int32_t> ids;
  std::vector<float> rows;
};

class BertScorer {
 public:
  // Reads the folder's config and tokenizer, resolves the model name, layer and baseline, opens
  // the cache and starts hashing the weights; libtorch is loaded on the first forward pass.
  // Throws rrg::InputError for a missing or unusable folder, an unknown layer, or a missing
  // baseline.
  explicit BertScorer(BertScoreOptions options);
  ~BertScorer();

  // P, R, F1 of each hypothesis against its references (references[i] must not be empty).
  BertScoreResult score(const std::vector<std::string>& hypotheses,
                        const std::vector<std::vector<std::string>>& references);

  // The token ids and normalised embeddings of each text.
  std::vector<TextEmbedding> embed(const std::vector<std::string>& texts);

  // Keys: BERTScore_P, BERTScore_R, BERTScore_F1.
  static std::vector<std::string> metric_names();
  // One signature per key, e.g. "BERTScore_F1|model:roberta-large|layer:17|idf:no|rescaled:yes|
  // baseline:bert_score-0.3.13|tok:bpe-max512|weights:sha256-1a2b3c4d5e6f|dtype:fp32|version:..."
  std::vector<Signature> signatures() const;

  const std::string& model_name() const { return model_name_; }
  int layer() const { return layer_; }
  std::size_t dim() const;
  const SentenceEncoder& encoder() const { return encoder_; }
  const io::HfModelFolder& folder() const { return folder_; }
  // "hf_encoder@sha256:<weights>|layer:<L>|fp32" (or int8): what the cached values depend on.
  std::string identity() const;

  // Loads libtorch and the model now (otherwise loaded by the first forward pass).
  void preload() { model(); }

  const BertScoreStats& stats() const { return stats_; }
  // One line for the end of a run, like the CheXbert labeler's.
  std::string summary() const;

  // Padded tokens per forward pass at most.
  static constexpr std::size_t kBatchTokens = 8192;

 private:
  TorchModel& model();
  // Makes sure embeddings_ holds every sequence of `sequences`.
  void ensure_embeddings(const std::vector<const std::vector<std::int32_t>*>& sequences);
  void run_model(const std::vector<const std::vector<std::int32_t>*>& sequences);
  // Keeps `embedding` in memory for the sequence `ids`.
  void remember(const std::vector<std::int32_t>& ids, std::vector<float> embedding);
  // Called when a call starts: forgets every embedding once they exceed memory_limit_bytes.
  void bound_memory();

  BertScoreOptions options_;
  io::HfModelFolder folder_;
  SentenceEncoder encoder_;
  std::string model_name_;
  int layer_ = 0;
  std::unique_ptr<Baseline> baseline_;
  std::unique_ptr<io::CacheDb> cache_;
  mutable std::shared_future<std::string> weights_sha256_;
  std::unique_ptr<TorchModel> model_;
  std::unordered_map<std::string, std::vector<float>> embeddings_;  // by ids bytes
  std::size_t embeddings_bytes_ = 0;                                // their floats' bytes
  BertScoreStats stats_;
};

}  // namespace rrg::metrics::bertscore
