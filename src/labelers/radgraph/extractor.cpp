// The RadGraph extractor (see radgraph.h): checkpoint + tokenizer, distinct texts once, cache,
// length-sorted batches through the libtorch module's "radgraph" kind, decoding.
//
// State: the options; after the first extract() the checkpoint description, the tokenizer, the
// loaded model and the cache handle (all immutable afterwards); the graphs of this process's
// texts (bounded), so that the scorers sharing an extractor (the reward levels, RadCliQ's score,
// RadCliQ-v1) extract each text once even without the cache. extract() is serialised by a mutex
// (rrg serve may score two requests at once).
#include <stdlib.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <numeric>
#include <sstream>
#include <unordered_map>

#include "rrg/core/errors.h"
#include "rrg/core/torch_module.h"
#include "rrg/io/cache_db.h"
#include "rrg/io/file_digest.h"
#include "rrg/io/sha256.h"
#include "rrg/labelers/radgraph/radgraph.h"
#include "rrg/metrics/radgraph/graph_json.h"
#include "rrg/text/wordpiece.h"

namespace rrg::labelers::radgraph {
namespace {

namespace fs = std::filesystem;
using metrics::radgraph::Graph;

constexpr const char* kCacheNamespace = "radgraph-graph";
// Version of the preprocessing + decoding: part of the description and of every cache key.
constexpr const char* kExtractorVersion = "1";
// Graphs kept in memory (about 1 KB each): beyond this the memory is emptied and starts again.
constexpr std::size_t kMemoryLimit = 50000;

// The encoder's vocab.txt: the given folder, the checkpoint folder, or the Hugging Face hub
// cache of config.json's model name (where the `radgraph` package's tokenizer lives).
std::string find_tokenizer(const RadGraphOptions& o, const CheckpointInfo& info) {
  if (!o.tokenizer_dir.empty()) {
    const fs::path p(o.tokenizer_dir);
    if (fs::exists(p / "vocab.txt")) return p.string();
    throw rrg::InputError(o.tokenizer_dir +
                          ": no vocab.txt (the --radgraph-tokenizer folder must "
                          "hold the encoder's WordPiece vocabulary)");
  }
  if (fs::is_directory(info.source) && fs::exists(fs::path(info.source) / "vocab.txt")) {
    return info.source;
  }
  if (!info.encoder_name.empty()) {
    const std::string hub_name = "models--" + [&] {
      std::string n = info.encoder_name;
      std::string out;
      for (char c : n) out += c == '/' ? std::string("--") : std::string(1, c);
      return out;
    }();
    std::vector<fs::path> hubs;
    if (const char* h = std::getenv("HF_HUB_CACHE")) hubs.emplace_back(h);
    if (const char* h = std::getenv("HF_HOME")) hubs.push_back(fs::path(h) / "hub");
    if (const char* h = std::getenv("HOME")) hubs.push_back(fs::path(h) / ".cache/huggingface/hub");
    for (const fs::path& hub : hubs) {
      const fs::path snapshots = hub / hub_name / "snapshots";
      std::error_code ec;
      if (!fs::is_directory(snapshots, ec)) continue;
      for (const auto& e : fs::directory_iterator(snapshots, ec)) {
        if (fs::exists(e.path() / "vocab.txt")) return e.path().string();
      }
    }
  }
  throw rrg::InputError(info.source + ": cannot find the tokenizer of the encoder '" +
                        info.encoder_name +
                        "' (its vocab.txt is not in the archive); pass its folder with "
                        "--radgraph-tokenizer DIR (a Hugging Face snapshot of that model)");
}

text::WordPieceTokenizer load_tokenizer(const std::string& dir) {
  text::WordPieceOptions wo;
  const fs::path config = fs::path(dir) / "tokenizer_config.json";
  if (fs::exists(config)) {
    std::ifstream in(config);
    std::stringstream s;
    s << in.rdbuf();
    try {
      const auto j = nlohmann::json::parse(s.str());
      if (j.contains("do_lower_case") && j["do_lower_case"].is_boolean()) {
        wo.do_lower_case = j["do_lower_case"].get<bool>();
      }
      if (j.contains("strip_accents") && j["strip_accents"].is_boolean()) {
        wo.strip_accents = j["strip_accents"].get<bool>() ? 1 : 0;
      }
    } catch (const std::exception& e) {
      throw rrg::InputError(config.string() + ": not JSON: " + e.what());
    }
  }
  return text::WordPieceTokenizer::from_file((fs::path(dir) / "vocab.txt").string(), wo);
}

struct Prepared {
  std::vector<std::string> words;
  std::vector<std::int64_t> pieces;
  std::vector<std::pair<std::int64_t, std::int64_t>> ranges;  // per word, inclusive; -1 = none
};

class RadGraphExtractor final : public metrics::radgraph::GraphExtractor, public Job {
 public:
  explicit RadGraphExtractor(RadGraphOptions options) : options_(std::move(options)) {
    if (options_.batch_size < 1) options_.batch_size = 1;
  }

  std::string description() const override {
    std::lock_guard<std::mutex> lock(mutex_);
    const_cast<RadGraphExtractor*>(this)->load();
    return description_;
  }

  Job* job() override { return this; }

  void preload() override {
    std::lock_guard<std::mutex> lock(mutex_);
    load();
    load_model();
  }

  std::vector<Graph> extract(const std::vector<std::string>& texts) override {
    std::lock_guard<std::mutex> lock(mutex_);
    load();
    std::unordered_map<std::string, std::size_t> index;
    std::vector<const std::string*> distinct;
    std::vector<std::size_t> slot(texts.size());
    for (std::size_t i = 0; i < texts.size(); ++i) {
      const auto [it, added] = index.emplace(texts[i], distinct.size());
      if (added) distinct.push_back(&texts[i]);
      slot[i] = it->second;
    }
    start_run(distinct.size());
    std::vector<Graph> graphs(distinct.size());
    std::vector<bool> done(distinct.size(), false);
    for (std::size_t i = 0; i < distinct.size(); ++i) {
      const auto known = memory_.find(*distinct[i]);
      if (known == memory_.end()) continue;
      graphs[i] = known->second;
      done[i] = true;
      ++cached_;
      ++done_;
    }
    std::vector<std::string> keys;
    if (cache_) {
      for (const std::string* t : distinct)
        keys.push_back(io::sha256_hex(description_ + "\n" + *t));
      const auto cached = cache_->get_many(kCacheNamespace, keys);
      for (std::size_t i = 0; i < distinct.size(); ++i) {
        if (done[i] || !cached[i]) continue;
        try {
          graphs[i] = metrics::radgraph::graph_from_json(nlohmann::json::parse(*cached[i]),
                                                         "the RadGraph cache");
          done[i] = true;
          ++cached_;
          ++done_;
        } catch (const std::exception&) {
          // An unreadable entry is recomputed (and overwritten).
        }
      }
    }
    std::vector<std::size_t> todo;
    std::vector<Prepared> prepared(distinct.size());
    for (std::size_t i = 0; i < distinct.size(); ++i) {
      if (done[i]) continue;
      prepared[i] = prepare(*distinct[i]);
      todo.push_back(i);
    }
    // Length-sorted batches: rows of similar piece counts pad little.
    std::stable_sort(todo.begin(), todo.end(), [&](std::size_t a, std::size_t b) {
      return prepared[a].pieces.size() < prepared[b].pieces.size();
    });
    // Graphs reach the cache batch by batch: an interrupted run keeps what it extracted.
    std::vector<std::pair<std::string, std::string>> fresh;
    for (std::size_t from = 0; from < todo.size(); from += options_.batch_size) {
      if (cancel_requested()) {
        throw std::runtime_error("radgraph: cancelled (the graphs extracted so far are cached)");
      }
      const std::size_t to = std::min(todo.size(), from + options_.batch_size);
      std::vector<std::size_t> rows;
      for (std::size_t t = from; t < to; ++t) {
        if (prepared[todo[t]].words.empty()) {
          graphs[todo[t]] = Graph{};  // nothing to annotate
          if (cache_)
            fresh.emplace_back(keys[todo[t]],
                               metrics::radgraph::graph_to_radgraph_line(graphs[todo[t]]));
        } else {
          rows.push_back(todo[t]);
        }
      }
      if (!rows.empty()) {
        load_model();
        run_batch(rows, prepared, graphs);
        if (cache_) {
          for (std::size_t r : rows)
            fresh.emplace_back(keys[r], metrics::radgraph::graph_to_radgraph_line(graphs[r]));
        }
      }
      if (cache_ && !fresh.empty()) {
        cache_->put_many(kCacheNamespace, fresh);
        fresh.clear();
      }
      done_ += to - from;
    }
    // Every graph of this call, those read from the cache too: the next scorer sharing this
    // extractor finds them all here.
    if (memory_.size() + distinct.size() > kMemoryLimit) memory_.clear();
    if (distinct.size() <= kMemoryLimit) {
      for (std::size_t i = 0; i < distinct.size(); ++i) memory_.emplace(*distinct[i], graphs[i]);
    }
    std::vector<Graph> out;
    out.reserve(texts.size());
    for (std::size_t i = 0; i < texts.size(); ++i) out.push_back(graphs[slot[i]]);
    return out;
  }

 private:
  // Everything but the network: the checkpoint's config and labels (an archive is read without
  // extracting its weights), the digests, the tokenizer. A fully cached run stops here and never
  // loads libtorch.
  void load() {
    if (loaded_) return;
    if (!options_.no_cache) {
      cache_ = std::make_unique<io::CacheDb>(options_.cache_path.empty() ? io::default_cache_path()
                                                                         : options_.cache_path);
    }
    info_ = read_checkpoint(options_.checkpoint, "");
    // The digest of what decides the weights: the archive, or a folder's weights.th.
    const std::string digest =
        io::file_sha256_async(cache_.get(), fs::is_directory(options_.checkpoint)
                                                ? info_.weights_path
                                                : options_.checkpoint)
            .get();
    const std::string tokenizer_dir = find_tokenizer(options_, info_);
    tokenizer_ = std::make_unique<text::WordPieceTokenizer>(load_tokenizer(tokenizer_dir));
    preprocessing_ =
        info_.dataset == "radgraph" ? Preprocessing::kRadGraph : Preprocessing::kRadGraphXl;
    model_options_ = {
        {"ner_namespace", info_.dataset + "__ner_labels"},
        {"relation_namespace", info_.dataset + "__relation_labels"},
        {"max_span_width", std::to_string(info_.max_span_width)},
        {"spans_per_word",
         [&] {
           std::ostringstream s;
           s.precision(17);
           s << info_.spans_per_word;
           return s.str();
         }()},
        {"max_length", std::to_string(info_.max_length)},
        {"cls_id", std::to_string(tokenizer_->cls_id())},
        {"sep_id", std::to_string(tokenizer_->sep_id())},
        {"pad_id", std::to_string(std::max(0, tokenizer_->pad_id()))},
        {"threads", std::to_string(options_.threads)},
        {"int8", options_.int8 ? "1" : "0"},
    };
    // The encoder's own config.json (Hugging Face snapshot) gives the heads, layer-norm epsilon
    // and activation, which weights.th's shapes cannot tell.
    std::string encoder_config = "default";
    const fs::path hf_config = fs::path(tokenizer_dir) / "config.json";
    if (fs::exists(hf_config)) {
      std::ifstream in(hf_config);
      std::stringstream s;
      s << in.rdbuf();
      try {
        const auto j = nlohmann::json::parse(s.str());
        if (j.contains("num_attention_heads")) {
          model_options_.emplace_back("heads", std::to_string(j["num_attention_heads"].get<int>()));
        }
        if (j.contains("layer_norm_eps")) {
          std::ostringstream e;
          e.precision(17);
          e << j["layer_norm_eps"].get<double>();
          model_options_.emplace_back("layer_norm_eps", e.str());
        }
        if (j.contains("hidden_act")) {
          model_options_.emplace_back("hidden_act", j["hidden_act"].get<std::string>());
        }
      } catch (const std::exception& e) {
        throw rrg::InputError(hf_config.string() + ": unusable encoder config: " + e.what());
      }
      std::string options_text;
      // What decides the numbers: not the thread count or int8 (named on its own below).
      for (const auto& [k, v] : model_options_) {
        if (k != "threads" && k != "int8") options_text += k + "=" + v + ";";
      }
      encoder_config = io::sha256_hex(options_text).substr(0, 12);
    }
    const std::string vocab_digest = io::sha256_file_hex(tokenizer_dir + "/vocab.txt");
    description_ =
        "radgraph(dataset=" + info_.dataset + ",weights=" + digest.substr(0, 16) +
        ",config=" + io::sha256_hex(info_.config_json).substr(0, 12) +
        ",labels=" + info_.vocabulary_digest.substr(0, 12) +
        ",tokenizer=" + vocab_digest.substr(0, 12) + ",encoder=" + encoder_config +
        ",preprocess=" + (preprocessing_ == Preprocessing::kRadGraph ? "radgraph" : "radgraph-xl") +
        (options_.int8 ? ",int8" : "") + ",v" + kExtractorVersion + ")";
    loaded_ = true;
  }

  // The network, on the first text not in the cache. An archive's weights.th is extracted to a
  // scratch folder that is removed once the module has read it.
  void load_model() {
    if (model_) return;
    const fs::path base =
        options_.scratch_dir.empty() ? fs::temp_directory_path() : fs::path(options_.scratch_dir);
    std::string templ = (base / "rrg-radgraph-XXXXXX").string();
    if (!mkdtemp(templ.data())) {
      throw std::runtime_error(base.string() + ": cannot create a scratch folder for the weights");
    }
    struct Cleanup {
      std::string dir;
      ~Cleanup() {
        std::error_code e;
        fs::remove_all(dir, e);
      }
    } cleanup{templ};
    const std::string weights = fs::is_directory(options_.checkpoint)
                                    ? info_.weights_path
                                    : read_checkpoint(options_.checkpoint, templ).weights_path;
    auto o = model_options_;
    o.emplace_back("weights", weights);
    model_ = TorchModel::load("radgraph", o);
    const auto d = nlohmann::json::parse(model_->description());
    if (d.value("ner_labels", 0) != static_cast<int>(info_.ner_labels.size()) ||
        d.value("relation_labels", 0) != static_cast<int>(info_.relation_labels.size())) {
      throw rrg::InputError(
          options_.checkpoint + ": weights.th scores " + std::to_string(d.value("ner_labels", 0)) +
          " NER and " + std::to_string(d.value("relation_labels", 0)) +
          " relation labels, vocabulary/ lists " + std::to_string(info_.ner_labels.size()) +
          " and " + std::to_string(info_.relation_labels.size()));
    }
  }

  Prepared prepare(const std::string& text) const {
    Prepared p;
    p.words = preprocess_words(text, preprocessing_);
    for (const std::string& w : p.words) {
      const std::vector<std::int32_t> ids = tokenizer_->token_ids(w);
      if (ids.empty()) {
        p.ranges.emplace_back(-1, -1);
        continue;
      }
      const auto start = static_cast<std::int64_t>(p.pieces.size());
      p.pieces.insert(p.pieces.end(), ids.begin(), ids.end());
      p.ranges.emplace_back(start, static_cast<std::int64_t>(p.pieces.size()) - 1);
    }
    return p;
  }

  void run_batch(const std::vector<std::size_t>& rows, const std::vector<Prepared>& prepared,
                 std::vector<Graph>& graphs) {
    const auto b = static_cast<std::int64_t>(rows.size());
    std::int64_t p_max = 1, w_max = 1;
    for (std::size_t r : rows) {
      p_max = std::max<std::int64_t>(p_max, prepared[r].pieces.size());
      w_max = std::max<std::int64_t>(w_max, prepared[r].words.size());
    }
    const std::int64_t pad = std::max(0, tokenizer_->pad_id());
    std::vector<std::int64_t> ids(b * p_max, pad), piece_counts(b), ranges(b * w_max * 2, -1),
        word_counts(b);
    for (std::int64_t i = 0; i < b; ++i) {
      const Prepared& p = prepared[rows[i]];
      std::copy(p.pieces.begin(), p.pieces.end(), ids.begin() + i * p_max);
      piece_counts[i] = static_cast<std::int64_t>(p.pieces.size());
      word_counts[i] = static_cast<std::int64_t>(p.words.size());
      for (std::size_t w = 0; w < p.ranges.size(); ++w) {
        ranges[(i * w_max + w) * 2] = p.ranges[w].first;
        ranges[(i * w_max + w) * 2 + 1] = p.ranges[w].second;
      }
    }
    const auto out = model_->run({{TorchDtype::kInt64, {b, p_max}, ids.data()},
                                  {TorchDtype::kInt64, {b}, piece_counts.data()},
                                  {TorchDtype::kInt64, {b, w_max, 2}, ranges.data()},
                                  {TorchDtype::kInt64, {b}, word_counts.data()}});
    if (out.size() != 4)
      throw std::runtime_error("radgraph: the module returned " + std::to_string(out.size()) +
                               " outputs, expected 4");
    const std::int64_t s_max = out[0].shape[1], n_ner = out[0].shape[2];
    const std::int64_t k_max = out[2].shape[1], n_rel = out[3].shape[3];
    for (std::int64_t i = 0; i < b; ++i) {
      const Prepared& p = prepared[rows[i]];
      SpanScores s;
      s.words = static_cast<int>(p.words.size());
      s.ner_labels = static_cast<int>(n_ner);
      const std::size_t spans = enumerate_spans(s.words, info_.max_span_width).size();
      s.ner.assign(out[0].data.begin() + i * s_max * n_ner,
                   out[0].data.begin() + (i * s_max + static_cast<std::int64_t>(spans)) * n_ner);
      for (std::int64_t k = 0; k < k_max; ++k) {
        const float v = out[2].data[i * k_max + k];
        if (v < 0) break;
        s.top.push_back(static_cast<int>(v));
      }
      const std::int64_t k = static_cast<std::int64_t>(s.top.size());
      s.relations.resize(static_cast<std::size_t>(k * k * n_rel));
      for (std::int64_t a = 0; a < k; ++a) {
        for (std::int64_t c = 0; c < k; ++c) {
          const float* src = out[3].data.data() + ((i * k_max + a) * k_max + c) * n_rel;
          std::copy(src, src + n_rel, s.relations.begin() + (a * k + c) * n_rel);
        }
      }
      graphs[rows[i]] = decode_graph(p.words, s, info_);
    }
  }

  RadGraphOptions options_;
  CheckpointInfo info_;
  Preprocessing preprocessing_ = Preprocessing::kRadGraphXl;
  std::unique_ptr<text::WordPieceTokenizer> tokenizer_;
  bool loaded_ = false;
  std::vector<std::pair<std::string, std::string>> model_options_;
  std::unique_ptr<TorchModel> model_;
  std::unique_ptr<io::CacheDb> cache_;
  std::string description_;
  std::unordered_map<std::string, Graph> memory_;
  mutable std::mutex mutex_;
};

}  // namespace

std::unique_ptr<metrics::radgraph::GraphExtractor> make_radgraph_extractor(
    const RadGraphOptions& options) {
  if (options.checkpoint.empty()) {
    throw rrg::InputError("radgraph: no checkpoint given (--radgraph-model PATH)");
  }
  return std::make_unique<RadGraphExtractor>(options);
}

}  // namespace rrg::labelers::radgraph
