// BERTScore front end (see bertscore.h): tokenisation, idf, batching by bert_score's rules, the
// embedding and pair caches, and the libtorch encoder for what is not cached.
//
// State: the folder, tokenizer, baseline, cache, the lazily loaded model, the background hash of
// the weights, the embeddings of every token sequence seen (L2-normalised), and counters.
#include "rrg/metrics/bertscore/bertscore.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iomanip>
#include <map>
#include <nlohmann/json.hpp>
#include <numeric>
#include <set>
#include <sstream>
#include <thread>
#include <unordered_set>

#include "rrg/core/errors.h"
#include "rrg/core/torch_module.h"
#include "rrg/io/cache_db.h"
#include "rrg/io/file_digest.h"
#include "rrg/io/sha256.h"
#include "rrg/metrics/bertscore/greedy_matching.h"
#include "rrg/metrics/bertscore/model_layers.h"

namespace rrg::metrics::bertscore {
namespace {

constexpr const char* kEmbeddingNamespace = "bertscore-embedding";
constexpr const char* kPairNamespace = "bertscore-pair";
// Encodings of cached values; bump when a layout changes (old entries then read as misses).
constexpr std::uint8_t kEmbeddingVersion = 1;
constexpr std::uint8_t kPairVersion = 1;

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

using Ids = std::vector<std::int32_t>;

std::string ids_key(const Ids& ids) {
  return std::string(reinterpret_cast<const char*>(ids.data()), ids.size() * sizeof(std::int32_t));
}

template <typename T>
void append_bytes(std::string& out, const T* data, std::size_t count) {
  out.append(reinterpret_cast<const char*>(data), count * sizeof(T));
}

std::string resolve_model_dir(const std::string& given) {
  if (!given.empty()) return given;
  const char* env = std::getenv(kModelEnvironment);
  if (env != nullptr && *env != '\0') return env;
  throw InputError(std::string("BERTScore needs a Hugging Face model folder: pass "
                               "--bertscore-model DIR or set ") +
                   kModelEnvironment + " (see docs/bertscore.md)");
}

// The model's name: the option, config.json's _name_or_path (a hub name, or the last part of a
// path), a Hugging Face cache path's "models--org--name", or the folder's name.
std::string resolve_model_name(const std::string& given, const io::HfModelFolder& folder) {
  if (!given.empty()) return given;
  const std::string& recorded = folder.config.name_or_path;
  if (!recorded.empty()) {
    if (!std::filesystem::path(recorded).is_absolute() && !std::filesystem::exists(recorded)) {
      return recorded;
    }
    return std::filesystem::path(recorded).filename().string();
  }
  std::error_code ec;
  const std::filesystem::path canonical = std::filesystem::canonical(folder.dir, ec);
  for (const auto& part : ec ? std::filesystem::path(folder.dir) : canonical) {
    const std::string s = part.string();
    if (s.rfind("models--", 0) == 0) {
      std::string name = s.substr(8);
      const std::size_t sep = name.find("--");
      if (sep != std::string::npos) name.replace(sep, 2, "/");
      return name;
    }
  }
  return (ec ? std::filesystem::path(folder.dir) : canonical).filename().string();
}

// Raw P, R, F1 of one pair, cached as a version byte and three doubles.
std::string encode_pair(const PairScore& s) {
  std::string out(1, static_cast<char>(kPairVersion));
  const double v[3] = {s.precision, s.recall, s.f1};
  append_bytes(out, v, 3);
  return out;
}

bool decode_pair(const std::string& value, PairScore& s) {
  if (value.size() != 1 + 3 * sizeof(double) ||
      static_cast<std::uint8_t>(value[0]) != kPairVersion) {
    return false;
  }
  double v[3];
  std::memcpy(v, value.data() + 1, sizeof v);
  s = {v[0], v[1], v[2]};
  return true;
}

// Runs body(i) for i in [0, n) on `threads` threads.
template <typename Body>
void parallel_for(std::size_t n, int threads, const Body& body) {
  const std::size_t workers = std::min<std::size_t>(std::max(1, threads), n);
  if (workers <= 1) {
    for (std::size_t i = 0; i < n; ++i) body(i);
    return;
  }
  std::vector<std::thread> pool;
  for (std::size_t w = 0; w < workers; ++w) {
    pool.emplace_back([&, w] {
      for (std::size_t i = w; i < n; i += workers) body(i);
    });
  }
  for (auto& t : pool) t.join();
}

}  // namespace

BertScorer::BertScorer(BertScoreOptions options)
    : options_(std::move(options)),
      folder_(io::read_hf_model_folder(resolve_model_dir(options_.model_dir))),
      encoder_(folder_) {
  if (options_.batch_size < 1) throw InputError("BERTScore: the batch size must be at least 1");
  if (options_.threads < 0) throw InputError("BERTScore: the thread count cannot be negative");
  if (options_.threads == 0) {
    options_.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }
  model_name_ = resolve_model_name(options_.model_name, folder_);
  const int layers = folder_.config.num_layers;
  if (options_.layer >= 0) {
    layer_ = options_.layer;
  } else if (const auto known = default_layer(model_name_)) {
    layer_ = *known;
  } else {
    throw InputError("BERTScore: bert_score has no default layer for model \"" + model_name_ +
                     "\"; pass --bertscore-layer L (0 = embeddings .. " + std::to_string(layers) +
                     " = last layer; see docs/bertscore.md)");
  }
  if (layer_ > layers) {
    throw InputError("BERTScore: layer " + std::to_string(layer_) + " requested, but " +
                     folder_.config_path + " has " + std::to_string(layers) + " layers");
  }
  if (options_.rescale) {
    baseline_ =
        std::make_unique<Baseline>(load_baseline(options_.baseline_file, model_name_, layer_));
  } else if (!options_.baseline_file.empty()) {
    throw InputError(
        "BERTScore: a baseline file was given without rescaling (--bertscore-rescale)");
  }
  if (!options_.no_cache) {
    cache_ = std::make_unique<io::CacheDb>(options_.cache_path.empty() ? io::default_cache_path()
                                                                       : options_.cache_path);
  }
  weights_sha256_ = io::file_sha256_async(cache_.get(), folder_.weights_path);
}

BertScorer::~BertScorer() {
  if (weights_sha256_.valid()) weights_sha256_.wait();
}

std::size_t BertScorer::dim() const {
  return static_cast<std::size_t>(folder_.config.hidden_size);
}

std::string BertScorer::identity() const {
  return "hf_encoder@sha256:" + weights_sha256_.get() + "|layer:" + std::to_string(layer_) + "|" +
         (options_.int8 ? "int8" : "fp32");
}

std::vector<std::string> BertScorer::metric_names() {
  return {"BERTScore_P", "BERTScore_R", "BERTScore_F1"};
}

std::vector<Signature> BertScorer::signatures() const {
  std::vector<Signature> out;
  for (const std::string& name : metric_names()) {
    Signature s(name);
    s.set("model", model_name_);
    s.set("layer", std::to_string(layer_));
    s.set("idf", options_.idf ? "yes" : "no");
    s.set("rescaled", baseline_ ? "yes" : "no");
    if (baseline_) {
      s.set("baseline",
            options_.baseline_file.empty()
                ? baseline_->source.substr(0, baseline_->source.find(':'))
                : "file-" + std::filesystem::path(options_.baseline_file).filename().string());
    }
    s.set("tok", encoder_.description());
    s.set("weights", "sha256-" + weights_sha256_.get().substr(0, 12));
    s.set("dtype", options_.int8 ? "int8" : "fp32");
    out.push_back(std::move(s));
  }
  return out;
}

TorchModel& BertScorer::model() {
  if (model_) return *model_;
  const auto start = std::chrono::steady_clock::now();
  model_ = TorchModel::load("hf_encoder", {{"model_dir", folder_.dir},
                                           {"layer", std::to_string(layer_)},
                                           {"threads", std::to_string(options_.threads)},
                                           {"int8", options_.int8 ? "1" : "0"}});
  const auto description = nlohmann::json::parse(model_->description());
  stats_.model_load_seconds = seconds_since(start);
  stats_.blas = description.value("blas", "");
  stats_.blas_core = description.value("blas_core", "");
  return *model_;
}

void BertScorer::run_model(const std::vector<const Ids*>& sequences) {
  std::vector<std::size_t> order(sequences.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return sequences[a]->size() < sequences[b]->size();
  });
  TorchModel& net = model();
  const auto start = std::chrono::steady_clock::now();
  const std::size_t h = dim();
  const auto batch_limit = static_cast<std::size_t>(options_.batch_size);
  const auto pad = static_cast<std::int64_t>(encoder_.pad_id());
  for (std::size_t first = 0; first < order.size();) {
    std::size_t end = first + 1;
    while (end < order.size() && end - first < batch_limit &&
           (end - first + 1) * sequences[order[end]]->size() <= kBatchTokens) {
      ++end;
    }
    const std::size_t rows = end - first, width = sequences[order[end - 1]]->size();
    std::vector<std::int64_t> batch(rows * width, pad), lengths(rows);
    for (std::size_t r = 0; r < rows; ++r) {
      const Ids& ids = *sequences[order[first + r]];
      std::copy(ids.begin(), ids.end(), batch.begin() + static_cast<std::ptrdiff_t>(r * width));
      lengths[r] = static_cast<std::int64_t>(ids.size());
    }
    const std::vector<TorchOutput> out =
        net.run({{TorchDtype::kInt64,
                  {static_cast<std::int64_t>(rows), static_cast<std::int64_t>(width)},
                  batch.data()},
                 {TorchDtype::kInt64, {static_cast<std::int64_t>(rows)}, lengths.data()}});
    std::vector<std::pair<std::string, std::string>> entries;
    for (std::size_t r = 0; r < rows; ++r) {
      const Ids& ids = *sequences[order[first + r]];
      const float* src = out[0].data.data() + r * width * h;
      std::vector<float> emb(src, src + ids.size() * h);
      l2_normalize_rows(emb.data(), ids.size(), h);
      if (cache_) {
        std::string value(1, static_cast<char>(kEmbeddingVersion));
        append_bytes(value, emb.data(), emb.size());
        entries.emplace_back(io::sha256_hex(identity() + "\n" + ids_key(ids)), std::move(value));
      }
      remember(ids, std::move(emb));
    }
    if (cache_) cache_->put_many(kEmbeddingNamespace, entries);  // durable batch by batch
    ++stats_.batches;
    first = end;
  }
  stats_.computed += sequences.size();
  stats_.model_seconds += seconds_since(start);
}

void BertScorer::remember(const Ids& ids, std::vector<float> embedding) {
  std::vector<float>& slot = embeddings_[ids_key(ids)];
  embeddings_bytes_ -= slot.size() * sizeof(float);
  embeddings_bytes_ += embedding.size() * sizeof(float);
  slot = std::move(embedding);
}

void BertScorer::bound_memory() {
  if (options_.memory_limit_bytes == 0 || embeddings_bytes_ <= options_.memory_limit_bytes) return;
  stats_.forgotten += embeddings_.size();
  embeddings_ = {};  // a fresh table: clear() would keep the buckets
  embeddings_bytes_ = 0;
}

void BertScorer::ensure_embeddings(const std::vector<const Ids*>& sequences) {
  std::vector<const Ids*> todo;
  std::unordered_set<std::string> queued;
  for (const Ids* ids : sequences) {
    std::string key = ids_key(*ids);
    if (embeddings_.count(key) == 0 && queued.insert(std::move(key)).second) todo.push_back(ids);
  }
  if (todo.empty()) return;
  stats_.texts += todo.size();
  if (cache_) {
    std::vector<std::string> keys;
    keys.reserve(todo.size());
    const std::string id = identity();
    for (const Ids* ids : todo) keys.push_back(io::sha256_hex(id + "\n" + ids_key(*ids)));
    const auto cached = cache_->get_many(kEmbeddingNamespace, keys);
    std::vector<const Ids*> missing;
    const std::size_t h = dim();
    for (std::size_t i = 0; i < todo.size(); ++i) {
      const auto& value = cached[i];
      if (value && value->size() == 1 + todo[i]->size() * h * sizeof(float) &&
          static_cast<std::uint8_t>((*value)[0]) == kEmbeddingVersion) {
        std::vector<float> emb(todo[i]->size() * h);
        std::memcpy(emb.data(), value->data() + 1, emb.size() * sizeof(float));
        remember(*todo[i], std::move(emb));
        ++stats_.from_cache;
      } else {
        missing.push_back(todo[i]);
      }
    }
    todo = std::move(missing);
  }
  if (!todo.empty()) run_model(todo);
}

std::vector<TextEmbedding> BertScorer::embed(const std::vector<std::string>& texts) {
  bound_memory();
  std::vector<Ids> ids;
  ids.reserve(texts.size());
  for (const auto& t : texts) ids.push_back(encoder_.encode(t));
  std::vector<const Ids*> pointers;
  for (const auto& i : ids) pointers.push_back(&i);
  ensure_embeddings(pointers);
  std::vector<TextEmbedding> out;
  for (auto& i : ids) {
    TextEmbedding e;
    e.rows = embeddings_.at(ids_key(i));
    e.ids = std::move(i);
    out.push_back(std::move(e));
  }
  return out;
}

BertScoreResult BertScorer::score(const std::vector<std::string>& hypotheses,
                                  const std::vector<std::vector<std::string>>& references) {
  if (hypotheses.size() != references.size()) {
    throw InputError("BERTScore: " + std::to_string(hypotheses.size()) + " hypotheses but " +
                     std::to_string(references.size()) + " reference lists");
  }
  BertScoreResult result;
  if (hypotheses.empty()) return result;
  bound_memory();

  // bert_score flattens several references into (candidate, reference) pairs, in order.
  std::vector<std::size_t> pair_hyp;
  std::vector<const std::string*> pair_ref;
  for (std::size_t i = 0; i < hypotheses.size(); ++i) {
    if (references[i].empty()) {
      throw InputError("BERTScore: sample " + std::to_string(i) + " has no reference");
    }
    for (const auto& r : references[i]) {
      pair_hyp.push_back(i);
      pair_ref.push_back(&r);
    }
  }
  const std::size_t n_pairs = pair_hyp.size();

  // Token ids of every distinct text.
  std::unordered_map<std::string, Ids> ids_of;
  const auto encode = [&](const std::string& text) -> const Ids& {
    auto it = ids_of.find(text);
    if (it == ids_of.end()) it = ids_of.emplace(text, encoder_.encode(text)).first;
    return it->second;
  };
  std::vector<const Ids*> hyp_ids(n_pairs), ref_ids(n_pairs);
  for (std::size_t k = 0; k < n_pairs; ++k) {
    hyp_ids[k] = &encode(hypotheses[pair_hyp[k]]);
    ref_ids[k] = &encode(*pair_ref[k]);
  }

  // Token weights (float32, as bert_score's padded idf tensors).
  std::unordered_map<std::int32_t, double> idf;
  double unseen = 1.0;
  if (options_.idf) {
    std::unordered_map<std::int32_t, std::size_t> df;
    for (const Ids* ids : ref_ids) {
      for (std::int32_t id : std::set<std::int32_t>(ids->begin(), ids->end())) ++df[id];
    }
    const auto m = static_cast<double>(n_pairs);
    unseen = std::log((m + 1) / 1.0);
    for (const auto& [id, count] : df)
      idf[id] = std::log((m + 1) / (static_cast<double>(count) + 1));
  } else {
    idf[encoder_.cls_id()] = 0;
    idf[encoder_.sep_id()] = 0;
  }
  std::unordered_map<const Ids*, std::vector<double>> weights_of;
  for (const auto& [text, ids] : ids_of) {
    std::vector<double> w;
    w.reserve(ids.size());
    for (std::int32_t id : ids) {
      const auto it = idf.find(id);
      w.push_back(static_cast<float>(it == idf.end() ? unseen : it->second));
    }
    weights_of.emplace(&ids, std::move(w));
  }

  // bert_score's matching batches: consecutive groups of batch_size pairs, each padded to its
  // longest candidate and longest reference.
  std::vector<char> hyp_floor(n_pairs), ref_floor(n_pairs);
  const auto group = static_cast<std::size_t>(options_.batch_size);
  for (std::size_t first = 0; first < n_pairs; first += group) {
    const std::size_t end = std::min(n_pairs, first + group);
    std::size_t longest_hyp = 0, longest_ref = 0;
    for (std::size_t k = first; k < end; ++k) {
      longest_hyp = std::max(longest_hyp, hyp_ids[k]->size());
      longest_ref = std::max(longest_ref, ref_ids[k]->size());
    }
    for (std::size_t k = first; k < end; ++k) {
      hyp_floor[k] = hyp_ids[k]->size() < longest_hyp;
      ref_floor[k] = ref_ids[k]->size() < longest_ref;
    }
  }

  // Pair scores: from the cache, else matched (after computing the embeddings they need).
  std::vector<PairScore> pairs(n_pairs);
  std::vector<std::size_t> todo;
  std::vector<std::string> pair_keys;
  if (cache_) {
    const std::string id = identity();
    pair_keys.reserve(n_pairs);
    for (std::size_t k = 0; k < n_pairs; ++k) {
      std::string material = id + "\npair\n";
      const auto add_side = [&](const Ids* ids, char floor) {
        const std::uint64_t n = ids->size();
        append_bytes(material, &n, 1);
        append_bytes(material, ids->data(), ids->size());
        append_bytes(material, weights_of.at(ids).data(), ids->size());
        material += floor ? '1' : '0';
      };
      add_side(hyp_ids[k], hyp_floor[k]);
      add_side(ref_ids[k], ref_floor[k]);
      pair_keys.push_back(io::sha256_hex(material));
    }
    const auto cached = cache_->get_many(kPairNamespace, pair_keys);
    for (std::size_t k = 0; k < n_pairs; ++k) {
      if (!(cached[k] && decode_pair(*cached[k], pairs[k]))) todo.push_back(k);
    }
  } else {
    todo.resize(n_pairs);
    std::iota(todo.begin(), todo.end(), 0);
  }
  stats_.pairs += n_pairs;
  stats_.pairs_from_cache += n_pairs - todo.size();
  if (!todo.empty()) {
    std::vector<const Ids*> needed;
    for (std::size_t k : todo) {
      needed.push_back(hyp_ids[k]);
      needed.push_back(ref_ids[k]);
    }
    ensure_embeddings(needed);
    const auto start = std::chrono::steady_clock::now();
    const std::size_t h = dim();
    parallel_for(todo.size(), options_.threads, [&](std::size_t t) {
      const std::size_t k = todo[t];
      const TokenMatrix hyp{embeddings_.at(ids_key(*hyp_ids[k])).data(),
                            weights_of.at(hyp_ids[k]).data(), hyp_ids[k]->size()};
      const TokenMatrix ref{embeddings_.at(ids_key(*ref_ids[k])).data(),
                            weights_of.at(ref_ids[k]).data(), ref_ids[k]->size()};
      pairs[k] = greedy_match(hyp, ref, h, hyp_floor[k], ref_floor[k]);
    });
    stats_.matching_seconds += seconds_since(start);
    if (cache_) {
      std::vector<std::pair<std::string, std::string>> entries;
      for (std::size_t k : todo) entries.emplace_back(pair_keys[k], encode_pair(pairs[k]));
      cache_->put_many(kPairNamespace, entries);
    }
  }

  bool empty_hyp = false, empty_ref = false;
  for (std::size_t k = 0; k < n_pairs; ++k) {
    empty_hyp = empty_hyp || hyp_ids[k]->size() == 2;
    empty_ref = empty_ref || ref_ids[k]->size() == 2;
  }
  if (empty_hyp) {
    result.warnings.push_back("Empty candidate sentence detected; setting raw BERTscores to 0.");
  }
  if (empty_ref) {
    result.warnings.push_back("Empty reference sentence detected; setting raw BERTScores to 0.");
  }

  // Several references: each of P, R, F1 is the maximum over the sample's pairs (torch.max
  // propagates NaN), then rescaled.
  const auto nan_max = [](double a, double b) {
    return std::isnan(a) || std::isnan(b) ? std::nan("") : std::max(a, b);
  };
  result.samples.resize(hypotheses.size());
  for (std::size_t i = 0, k = 0; i < hypotheses.size(); ++i) {
    BertScoreSample& s = result.samples[i];
    double best_f1 = -INFINITY;
    for (std::size_t r = 0; r < references[i].size(); ++r, ++k) {
      const PairScore& p = pairs[k];
      s.precision = r == 0 ? p.precision : nan_max(s.precision, p.precision);
      s.recall = r == 0 ? p.recall : nan_max(s.recall, p.recall);
      s.f1 = r == 0 ? p.f1 : nan_max(s.f1, p.f1);
      if (p.f1 > best_f1) {  // the reference with the highest F1 (the first on ties)
        best_f1 = p.f1;
        s.reference = r;
      }
    }
  }
  if (baseline_) {
    for (BertScoreSample& s : result.samples) {
      s.precision = (s.precision - baseline_->precision) / (1 - baseline_->precision);
      s.recall = (s.recall - baseline_->recall) / (1 - baseline_->recall);
      s.f1 = (s.f1 - baseline_->f1) / (1 - baseline_->f1);
    }
  }
  for (const BertScoreSample& s : result.samples) {
    result.precision += s.precision;
    result.recall += s.recall;
    result.f1 += s.f1;
  }
  const auto n = static_cast<double>(result.samples.size());
  result.precision /= n;
  result.recall /= n;
  result.f1 /= n;
  return result;
}

std::string BertScorer::summary() const {
  std::ostringstream out;
  out << "bertscore: " << stats_.pairs << " pairs (" << stats_.pairs_from_cache << " from cache), "
      << stats_.texts << " distinct texts, " << stats_.from_cache << " from cache, "
      << stats_.computed << " computed";
  if (stats_.computed > 0) {
    out << " in " << stats_.batches << " batches (" << std::fixed << std::setprecision(2)
        << stats_.model_seconds << " s; model loaded in " << stats_.model_load_seconds << " s";
    if (!stats_.blas_core.empty()) out << "; OpenBLAS " << stats_.blas_core;
    out << ")";
    const std::string blas_warning = blas_speed_warning(stats_.blas, stats_.blas_core);
    if (!blas_warning.empty()) out << "; warning: " << blas_warning;
  }
  return out.str();
}

}  // namespace rrg::metrics::bertscore
