// The CheXbert labeler (Smit et al., EMNLP 2020; github.com/stanfordmlgroup/CheXbert): the
// published chexbert.pth run on CPU without Python.
//
// This is the torch-free front end: CheXbert's report preprocessing and tokenisation, dedup of
// identical texts, batching by length, and the label convention. The network itself runs in
// rrg's libtorch module (src/labelers/chexbert_torch.cpp, loaded on first use through
// rrg/core/torch_module.h), so building a ChexbertLabeler costs nothing until a report is
// labelled, and rrg without CheXbert never loads libtorch.
//
// Each distinct text is run once per labeler: its labels, logits and [CLS] embedding are kept, so
// label() followed by embed() on the same texts runs the model once. They are also stored in the
// SQLite cache (rrg/io/cache_db.h, namespace "chexbert") under the checkpoint's SHA-256 and the
// preprocessed text, so references are labelled once across runs; a run whose texts are all
// cached never loads libtorch. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <future>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "rrg/labelers/labeler.h"
#include "rrg/text/wordpiece.h"

namespace rrg {
class TorchModel;
namespace io {
class CacheDb;
}
}  // namespace rrg

namespace rrg::labelers {

// CheXbert's model input length: reports are cut to 511 tokens plus [SEP]
// (src/bert_tokenizer.py `tokenize`).
inline constexpr std::size_t kChexbertMaxTokens = 512;

// Number of logits per report: 13 heads x (blank, positive, negative, uncertain), then No
// Finding's (blank, positive).
inline constexpr std::size_t kChexbertLogits = 54;

// CheXbert's text preprocessing (src/bert_tokenizer.py `get_impressions_from_csv`): strip,
// newlines to spaces, every run of whitespace (Python's `\s`) to one space, strip.
std::string chexbert_preprocess(std::string_view report);

// The model input for a preprocessed report (`tokenize` there): [CLS] word pieces [SEP], cut to
// the first 511 ids plus [SEP] when longer than 512; an empty report is [CLS] [SEP].
std::vector<std::int64_t> chexbert_input_ids(const text::WordPieceTokenizer& tokenizer,
                                             std::string_view preprocessed);

// CheXbert's label of one head from its logits (label.py `save_preds`): argmax class 0 blank,
// 1 positive, 2 negative, 3 uncertain. `logits` holds 4 values, or 2 for No Finding.
Label chexbert_label(const float* logits, std::size_t n_classes);

struct ChexbertOptions {
  // chexbert.pth: CheXbert's torch.save checkpoint (zip or legacy format; models/README.md).
  std::string checkpoint;
  // bert-base-uncased vocab.txt, the WordPiece vocabulary CheXbert was trained with
  // (models/get_vocab.sh rebuilds it and checks its MD5).
  std::string vocab;
  // Intra-op threads for libtorch and OpenBLAS; 0 = every core of the machine.
  int threads = 0;
  // Most reports per forward pass. Reports are sorted by length so a batch holds reports of
  // similar length; long reports go in smaller batches (at most kBatchTokens padded tokens).
  int batch_size = 64;
  // Run the encoder's linear layers in int8 (weights quantised per output channel, activations
  // per token at run time). Faster; labels may differ from fp32 on a few cells (docs/chexbert.md).
  bool int8 = false;
  // Attention heads; 0 = hidden size / 64 as in every BERT release (tests use tiny models).
  int attention_heads = 0;
  // SQLite cache file (shared with the llm labeler's --cache); empty = io::default_cache_path().
  std::string cache_path;
  // Neither read nor write the cache.
  bool no_cache = false;
};

// Counters of one labeler's work.
struct ChexbertStats {
  std::size_t texts = 0;       // distinct preprocessed texts seen
  std::size_t from_cache = 0;  // of which found in the SQLite cache
  std::size_t computed = 0;    // of which run through the model
  std::size_t batches = 0;     // forward passes
  double model_load_seconds = 0;
  double model_seconds = 0;      // in forward passes
  std::string blas;              // what libtorch multiplies matrices with (module description)
  std::string blas_core;         // OpenBLAS's kernels ("SkylakeX", "Haswell", ...), or ""
  std::string int8_kernel;       // with int8: the kernel that ran ("avx2", ...; docs/chexbert.md)
  std::string int8_kernel_note;  // why not the CPU's fastest, or that RRG_INT8_KERNEL chose it
};

// Everything CheXbert computes for one report.
struct ChexbertOutput {
  LabelRow labels = blank_row();
  std::vector<float> logits;     // kChexbertLogits values
  std::vector<float> embedding;  // final-layer [CLS] hidden state (768 for bert-base)
};

class ChexbertLabeler final : public Labeler, public ReportEmbedder {
 public:
  // Reads the vocabulary and starts hashing the checkpoint in the background; libtorch and the
  // weights are loaded on the first report. Throws rrg::InputError when a file is missing or
  // the vocabulary is unusable.
  explicit ChexbertLabeler(ChexbertOptions options);
  ~ChexbertLabeler() override;

  std::string name() const override { return "chexbert"; }

  // "chexbert@sha256:<sha256 of the checkpoint file>", with "+int8" for the int8 path.
  std::string identity() const override;

  std::vector<LabelResult> label(const std::vector<std::string>& texts) override;

  // [CLS] embeddings, one per text (the "CheXbert vector similarity" of RadCliQ compares them).
  std::vector<std::vector<float>> embed(const std::vector<std::string>& texts) override;
  std::string embedding_identity() const override { return identity(); }
  ReportEmbedder* embedder() override { return this; }

  // Labels, logits and embedding of every text.
  std::vector<ChexbertOutput> run(const std::vector<std::string>& texts);

  // The module's JSON description of the loaded model (loads it when needed).
  std::string backend_description();

  const ChexbertStats& stats() const { return stats_; }

  // One line for the end of a run, e.g. "chexbert: 120 distinct texts, 100 from cache, 20
  // computed in 1 batches (0.4 s; model loaded in 1.1 s)", with int8 "...; int8 kernel avx2)"
  // (and the kernel's note), plus a warning when libtorch does not use OpenBLAS
  // (docs/chexbert.md, "Threads and BLAS").
  std::string summary() const override;

  // Loads libtorch and the weights now (they are otherwise loaded on the first report).
  void preload() override { model(); }

  // The cache key of a preprocessed text (exposed for tests and cache tools).
  std::string cache_key(const std::string& preprocessed) const;

  // Padded tokens per forward pass at most (bounds the attention matrices of long reports).
  static constexpr std::size_t kBatchTokens = 4096;

 private:
  TorchModel& model();
  // Fills outputs_ for every preprocessed text not seen before: from the cache, else the model.
  void compute(const std::vector<std::string>& preprocessed);
  // Runs the model on `texts` (none in outputs_ yet) and stores the results.
  void run_model(const std::vector<const std::string*>& texts);

  ChexbertOptions options_;
  text::WordPieceTokenizer tokenizer_;
  std::unique_ptr<io::CacheDb> cache_;
  mutable std::shared_future<std::string> checkpoint_sha256_;
  std::unique_ptr<TorchModel> model_;
  std::size_t hidden_ = 0;
  std::unordered_map<std::string, ChexbertOutput> outputs_;  // by preprocessed text
  ChexbertStats stats_;
};

}  // namespace rrg::labelers
