// CheXbert front end (see chexbert.h): preprocessing, tokenisation, dedup, length-sorted batches,
// labels. The model runs in the libtorch module (kind "chexbert", torch_module_abi.h).
//
// State: the vocabulary, the cache, the lazily loaded model, the background hash of the
// checkpoint, the outputs of every distinct (preprocessed) text labelled so far, and counters.
#include "rrg/labelers/chexbert/chexbert.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <numeric>
#include <sstream>
#include <thread>
#include <unordered_set>

#include "rrg/core/errors.h"
#include "rrg/core/torch_module.h"
#include "rrg/io/cache_db.h"
#include "rrg/io/file_digest.h"
#include "rrg/io/sha256.h"
#include "rrg/text/python_str.h"

namespace rrg::labelers {
namespace {

constexpr std::size_t kFourClassHeads = 13;
// Namespace in the shared SQLite cache: outputs per (checkpoint, text) (checkpoint digests live in
// io/file_digest.h's namespace).
constexpr const char* kCacheNamespace = "chexbert";
// Encoding of a cached output; bump when the layout changes (old entries then read as misses).
constexpr std::uint8_t kCacheValueVersion = 1;

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

LabelRow labels_from_logits(const std::vector<float>& logits) {
  LabelRow labels;
  for (std::size_t head = 0; head < kNumObservations; ++head) {
    labels[head] = chexbert_label(logits.data() + 4 * head, head < kFourClassHeads ? 4 : 2);
  }
  return labels;
}

// Cached value: version byte, uint32 hidden size, the 54 logits and the embedding as
// little-endian float32 (labels are recomputed from the logits).
std::string encode_output(const ChexbertOutput& o) {
  std::string out(1, static_cast<char>(kCacheValueVersion));
  const auto hidden = static_cast<std::uint32_t>(o.embedding.size());
  out.append(reinterpret_cast<const char*>(&hidden), sizeof hidden);
  out.append(reinterpret_cast<const char*>(o.logits.data()), o.logits.size() * sizeof(float));
  out.append(reinterpret_cast<const char*>(o.embedding.data()), o.embedding.size() * sizeof(float));
  return out;
}

bool decode_output(const std::string& value, ChexbertOutput& o) {
  std::uint32_t hidden = 0;
  if (value.size() < 5 || static_cast<std::uint8_t>(value[0]) != kCacheValueVersion) return false;
  std::memcpy(&hidden, value.data() + 1, sizeof hidden);
  if (value.size() != 5 + (kChexbertLogits + hidden) * sizeof(float)) return false;
  o.logits.resize(kChexbertLogits);
  o.embedding.resize(hidden);
  std::memcpy(o.logits.data(), value.data() + 5, kChexbertLogits * sizeof(float));
  std::memcpy(o.embedding.data(), value.data() + 5 + kChexbertLogits * sizeof(float),
              hidden * sizeof(float));
  o.labels = labels_from_logits(o.logits);
  return true;
}

void require_file(const std::string& path, const char* flag, const char* what) {
  if (path.empty()) {
    throw InputError(std::string("the chexbert labeler needs ") + flag + " (" + what +
                     "; see models/README.md)");
  }
  if (!std::filesystem::is_regular_file(path)) {
    throw InputError(path + ": no such file (" + flag + ", " + what + ")");
  }
}

}  // namespace

std::string chexbert_preprocess(std::string_view report) {
  // strip, '\n' -> ' ', `\s+` -> ' ', strip: the same as joining Python's str.split() words.
  std::string out;
  for (std::string_view word : text::python_split(report)) {
    if (!out.empty()) out += ' ';
    out.append(word);
  }
  return out;
}

std::vector<std::int64_t> chexbert_input_ids(const text::WordPieceTokenizer& tokenizer,
                                             std::string_view preprocessed) {
  const std::vector<std::int32_t> pieces = tokenizer.token_ids(preprocessed);
  std::vector<std::int64_t> ids;
  ids.reserve(std::min(pieces.size() + 2, kChexbertMaxTokens));
  ids.push_back(tokenizer.cls_id());
  for (std::size_t i = 0; i < pieces.size() && ids.size() < kChexbertMaxTokens - 1; ++i) {
    ids.push_back(pieces[i]);
  }
  ids.push_back(tokenizer.sep_id());
  return ids;
}

Label chexbert_label(const float* logits, std::size_t n_classes) {
  // torch.argmax: the first maximal value.
  const std::size_t best =
      static_cast<std::size_t>(std::max_element(logits, logits + n_classes) - logits);
  switch (best) {
    case 1:
      return Label::kPositive;
    case 2:
      return Label::kNegative;
    case 3:
      return Label::kUncertain;
    default:
      return Label::kBlank;
  }
}

ChexbertLabeler::ChexbertLabeler(ChexbertOptions options)
    : options_(std::move(options)), tokenizer_([&] {
        require_file(options_.checkpoint, "--chexbert-checkpoint", "CheXbert's chexbert.pth");
        require_file(options_.vocab, "--vocab", "bert-base-uncased's vocab.txt");
        return text::WordPieceTokenizer::from_file(options_.vocab);
      }()) {
  if (options_.batch_size < 1) throw InputError("chexbert: the batch size must be at least 1");
  if (options_.threads < 0) throw InputError("chexbert: the thread count cannot be negative");
  if (!options_.no_cache) {
    cache_ = std::make_unique<io::CacheDb>(options_.cache_path.empty() ? io::default_cache_path()
                                                                       : options_.cache_path);
  }
  // The identity needs the checkpoint's SHA-256 (~1 s for CheXbert's 1.3 GB): remembered in the
  // cache per file path, size and modification time, otherwise computed on another thread while
  // the model loads and runs.
  checkpoint_sha256_ = io::file_sha256_async(cache_.get(), options_.checkpoint);
}

ChexbertLabeler::~ChexbertLabeler() {
  if (checkpoint_sha256_.valid()) checkpoint_sha256_.wait();
}

std::string ChexbertLabeler::identity() const {
  return "chexbert@sha256:" + checkpoint_sha256_.get() + (options_.int8 ? "+int8" : "");
}

std::string ChexbertLabeler::cache_key(const std::string& preprocessed) const {
  return io::sha256_hex(identity() + "\n" + preprocessed);
}

TorchModel& ChexbertLabeler::model() {
  if (model_) return *model_;
  const auto start = std::chrono::steady_clock::now();
  const int threads = options_.threads > 0
                          ? options_.threads
                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  model_ = TorchModel::load("chexbert", {{"checkpoint", options_.checkpoint},
                                         {"threads", std::to_string(threads)},
                                         {"heads", std::to_string(options_.attention_heads)},
                                         {"int8", options_.int8 ? "1" : "0"}});
  const auto description = nlohmann::json::parse(model_->description());
  hidden_ = description.at("hidden").get<std::size_t>();
  const auto rows = description.at("vocab_size").get<std::size_t>();
  if (rows != tokenizer_.vocab_size()) {
    model_.reset();
    throw InputError(options_.vocab + " has " + std::to_string(tokenizer_.vocab_size()) +
                     " tokens but the word embeddings of " + options_.checkpoint + " have " +
                     std::to_string(rows) +
                     " rows: pass the vocabulary the checkpoint was trained with "
                     "(bert-base-uncased's vocab.txt for CheXbert; models/README.md)");
  }
  stats_.model_load_seconds = seconds_since(start);
  stats_.blas = description.value("blas", "");
  stats_.blas_core = description.value("blas_core", "");
  stats_.int8_kernel = description.value("int8_kernel", "");
  stats_.int8_kernel_note = description.value("int8_kernel_note", "");
  return *model_;
}

std::string ChexbertLabeler::backend_description() {
  return model().description();
}

void ChexbertLabeler::run_model(const std::vector<const std::string*>& texts) {
  std::vector<std::vector<std::int64_t>> ids;
  ids.reserve(texts.size());
  for (const std::string* text : texts) ids.push_back(chexbert_input_ids(tokenizer_, *text));
  // Shortest first, so each batch pads to nearly its own length.
  std::vector<std::size_t> order(texts.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return ids[a].size() < ids[b].size(); });
  TorchModel& net = model();
  const auto start = std::chrono::steady_clock::now();
  const auto batch_limit = static_cast<std::size_t>(options_.batch_size);
  for (std::size_t first = 0; first < order.size();) {
    std::size_t end = first + 1;
    while (end < order.size() && end - first < batch_limit &&
           (end - first + 1) * ids[order[end]].size() <= kBatchTokens) {
      ++end;
    }
    const std::size_t rows = end - first, width = ids[order[end - 1]].size();
    std::vector<std::int64_t> batch(rows * width, 0), lengths(rows);  // 0 = [PAD]
    for (std::size_t r = 0; r < rows; ++r) {
      const auto& row = ids[order[first + r]];
      std::copy(row.begin(), row.end(), batch.begin() + static_cast<std::ptrdiff_t>(r * width));
      lengths[r] = static_cast<std::int64_t>(row.size());
    }
    const std::vector<TorchOutput> out =
        net.run({{TorchDtype::kInt64,
                  {static_cast<std::int64_t>(rows), static_cast<std::int64_t>(width)},
                  batch.data()},
                 {TorchDtype::kInt64, {static_cast<std::int64_t>(rows)}, lengths.data()}});
    for (std::size_t r = 0; r < rows; ++r) {
      ChexbertOutput o;
      o.logits.assign(out[0].data.begin() + static_cast<std::ptrdiff_t>(r * kChexbertLogits),
                      out[0].data.begin() + static_cast<std::ptrdiff_t>((r + 1) * kChexbertLogits));
      o.embedding.assign(out[1].data.begin() + static_cast<std::ptrdiff_t>(r * hidden_),
                         out[1].data.begin() + static_cast<std::ptrdiff_t>((r + 1) * hidden_));
      o.labels = labels_from_logits(o.logits);
      outputs_[*texts[order[first + r]]] = std::move(o);
    }
    ++stats_.batches;
    first = end;
  }
  stats_.computed += texts.size();
  stats_.model_seconds += seconds_since(start);
}

void ChexbertLabeler::compute(const std::vector<std::string>& preprocessed) {
  std::vector<const std::string*> todo;
  std::unordered_set<std::string_view> queued;
  for (const auto& text : preprocessed) {
    if (outputs_.count(text) == 0 && queued.insert(text).second) todo.push_back(&text);
  }
  if (todo.empty()) return;
  stats_.texts += todo.size();
  std::vector<std::string> keys;
  if (cache_) {
    for (const std::string* text : todo) keys.push_back(cache_key(*text));
    const auto cached = cache_->get_many(kCacheNamespace, keys);
    std::vector<const std::string*> missing;
    std::vector<std::string> missing_keys;
    for (std::size_t i = 0; i < todo.size(); ++i) {
      ChexbertOutput o;
      if (cached[i] && decode_output(*cached[i], o)) {
        outputs_[*todo[i]] = std::move(o);
        ++stats_.from_cache;
      } else {
        missing.push_back(todo[i]);
        missing_keys.push_back(keys[i]);
      }
    }
    todo = std::move(missing);
    keys = std::move(missing_keys);
  }
  if (todo.empty()) return;
  run_model(todo);
  if (cache_) {
    std::vector<std::pair<std::string, std::string>> entries;
    for (std::size_t i = 0; i < todo.size(); ++i) {
      entries.emplace_back(keys[i], encode_output(outputs_.at(*todo[i])));
    }
    cache_->put_many(kCacheNamespace, entries);
  }
}

std::string ChexbertLabeler::summary() const {
  std::ostringstream out;
  out << "chexbert: " << stats_.texts << " distinct texts, " << stats_.from_cache << " from cache, "
      << stats_.computed << " computed";
  if (stats_.computed > 0) {
    out << " in " << stats_.batches << " batches (" << std::fixed << std::setprecision(2)
        << stats_.model_seconds << " s; model loaded in " << stats_.model_load_seconds << " s";
    if (!stats_.blas_core.empty()) out << "; OpenBLAS " << stats_.blas_core;
    if (!stats_.int8_kernel.empty()) {
      out << "; int8 kernel " << stats_.int8_kernel;
      if (!stats_.int8_kernel_note.empty()) out << ", " << stats_.int8_kernel_note;
    }
    out << ")";
    const std::string blas_warning = blas_speed_warning(stats_.blas, stats_.blas_core);
    if (!blas_warning.empty()) out << "; warning: " << blas_warning;
  }
  return out.str();
}

std::vector<ChexbertOutput> ChexbertLabeler::run(const std::vector<std::string>& texts) {
  std::vector<std::string> preprocessed;
  preprocessed.reserve(texts.size());
  for (const auto& t : texts) preprocessed.push_back(chexbert_preprocess(t));
  compute(preprocessed);
  std::vector<ChexbertOutput> out;
  out.reserve(texts.size());
  for (const auto& p : preprocessed) out.push_back(outputs_.at(p));
  return out;
}

std::vector<LabelResult> ChexbertLabeler::label(const std::vector<std::string>& texts) {
  std::vector<LabelResult> results;
  results.reserve(texts.size());
  for (auto& o : run(texts)) results.push_back({o.labels, ""});
  return results;
}

std::vector<std::vector<float>> ChexbertLabeler::embed(const std::vector<std::string>& texts) {
  std::vector<std::vector<float>> out;
  out.reserve(texts.size());
  for (auto& o : run(texts)) out.push_back(std::move(o.embedding));
  return out;
}

}  // namespace rrg::labelers
