// `rrg generate` runs (see generate.h).
#include "rrg/pipelines/generate.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "rrg/core/errors.h"
#include "rrg/io/cache_db.h"
#include "rrg/io/journal.h"
#include "rrg/io/sha256.h"
#include "rrg/io/shard_merge.h"
#include "rrg/pipelines/study_journal.h"

namespace rrg::pipelines {
namespace {

// Namespace of generation answers in the shared cache; the value is JSON {content, reasoning,
// finish_reason, model, usage}. Bump "v" in the key prefix if that encoding changes.
constexpr const char* kCacheNamespace = "generate-answer";

struct PreparedStudy {
  std::size_t index = 0;    // into the study list
  nlohmann::json messages;  // when error is empty
  std::string cache_key;    // when a cache is used
  std::string error;        // why the study could not be prepared
};

// Prepares studies (images, prompt, cache key) on a pool of threads, ahead of the requests but
// at most `window` studies ahead, and hands them out in order.
class StudyPreparer {
 public:
  StudyPreparer(std::vector<std::size_t> order, std::size_t window, int threads,
                std::function<PreparedStudy(std::size_t)> prepare,
                const std::atomic<bool>& cancelled)
      : order_(std::move(order)),
        window_(std::max<std::size_t>(window, 1)),
        prepare_(std::move(prepare)),
        cancelled_(cancelled) {
    const int count = std::max(1, std::min<int>(threads, static_cast<int>(order_.size())));
    for (int t = 0; t < count && !order_.empty(); ++t) workers_.emplace_back([this] { work(); });
  }

  ~StudyPreparer() { stop(); }

  // The next study in order, waiting for it if needed; nullopt at the end or after cancel.
  std::optional<PreparedStudy> next() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
      if (delivered_ == order_.size() || stopping_ || cancelled_) return std::nullopt;
      auto it = ready_.find(delivered_);
      if (it != ready_.end()) {
        PreparedStudy item = std::move(it->second);
        ready_.erase(it);
        ++delivered_;
        work_.notify_all();
        return item;
      }
      // Wake up now and then to notice a cancel() while a slow image is being prepared.
      ready_cv_.wait_for(lock, std::chrono::milliseconds(50));
    }
  }

  void stop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    work_.notify_all();
    ready_cv_.notify_all();
    for (auto& w : workers_) {
      if (w.joinable()) w.join();
    }
    workers_.clear();
  }

 private:
  void work() {
    while (true) {
      std::size_t slot;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        work_.wait(lock, [&] {
          return stopping_ || claimed_ == order_.size() || claimed_ < delivered_ + window_;
        });
        if (stopping_ || claimed_ == order_.size()) return;
        slot = claimed_++;
      }
      PreparedStudy item = prepare_(order_[slot]);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        ready_.emplace(slot, std::move(item));
      }
      ready_cv_.notify_all();
    }
  }

  std::vector<std::size_t> order_;
  std::size_t window_;
  std::function<PreparedStudy(std::size_t)> prepare_;
  const std::atomic<bool>& cancelled_;
  std::mutex mutex_;
  std::condition_variable work_, ready_cv_;
  std::map<std::size_t, PreparedStudy> ready_;  // by slot
  std::size_t claimed_ = 0, delivered_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

// The fields of one output record (see generate.h).
struct RecordFields {
  const std::string* output = nullptr;  // null = failed
  std::string model;
  std::string finish_reason;
  nlohmann::json usage;
  double latency_ms = 0;
  std::string error;
  std::string reasoning;
};

std::string make_record(const io::Study& study, const RecordFields& f) {
  nlohmann::ordered_json record;
  record["id"] = study.id;
  record["output"] = f.output ? nlohmann::ordered_json(*f.output) : nlohmann::ordered_json();
  record["model"] = f.model;
  nlohmann::ordered_json images = nlohmann::ordered_json::array();
  for (const auto& image : study.images) images.push_back(image.path);
  record["images"] = std::move(images);
  record["finish_reason"] =
      f.finish_reason.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(f.finish_reason);
  record["usage"] =
      f.usage.is_null() ? nlohmann::ordered_json() : nlohmann::ordered_json::parse(f.usage.dump());
  record["latency_ms"] = std::round(f.latency_ms * 10.0) / 10.0;
  if (!f.error.empty()) record["error"] = f.error;
  if (!f.reasoning.empty()) record["reasoning"] = f.reasoning;
  // Invalid UTF-8 from a server must not abort the run: replace it (U+FFFD) in the record.
  return record.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

int to_threads(int requested) {
  if (requested > 0) return requested;
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

}  // namespace

Generator::Generator(GenerateOptions options, FindingsHintsProvider* hints)
    : options_(std::move(options)), hints_(hints), prompt_(options_.prompt, hints_) {
  if (options_.output.empty()) {
    throw InputError("generate: the output file is required (-o FILE.jsonl)");
  }
  if (options_.client.base_urls.empty()) {
    throw InputError(
        "generate: --base-url is required (the server's OpenAI-compatible endpoint, e.g. "
        "http://127.0.0.1:8000/v1 for vLLM)");
  }
  if (options_.client.request.model.empty()) {
    throw InputError("generate: --model is required (the model name the server serves)");
  }
  if (options_.images.preprocess.jpeg_quality < 1 ||
      options_.images.preprocess.jpeg_quality > 100) {
    throw InputError("generate: --jpeg-quality must be between 1 and 100");
  }
  client_ = std::make_unique<llm::ChatClient>(options_.client);
  std::vector<std::string> urls = options_.client.base_urls;
  std::sort(urls.begin(), urls.end());
  cache_key_prefix_ = nlohmann::json{{"v", 1},
                                     {"kind", "generate"},
                                     {"base_urls", urls},
                                     {"params", llm::answer_parameters(options_.client.request)}}
                          .dump();
  if (!options_.cache_path.empty() && llm::is_deterministic(options_.client.request)) {
    cache_ = std::make_unique<io::CacheDb>(options_.cache_path);
  }
}

Generator::~Generator() = default;

std::string Generator::cache_key(const nlohmann::json& messages) const {
  return io::sha256_hex(cache_key_prefix_ + "\n" + io::sha256_hex(messages.dump()));
}

void Generator::on_cancel() {
  client_->cancel();
}

JobProgress Generator::progress() const {
  JobProgress p = Job::progress();
  p.retries = client_->stats().retries;
  return p;
}

GenerateSummary Generator::run(const std::vector<io::Study>& studies) {
  GenerateSummary summary;
  summary.studies = studies.size();
  const auto note = [&](const std::string& text) {
    if (options_.on_message && !text.empty()) options_.on_message(text);
  };

  StudyJournal opened = open_study_journal(options_.output, options_.overwrite, studies, note);
  io::Journal& journal = *opened.journal;
  const std::vector<std::size_t>& pending = opened.pending;
  summary.already_done = opened.already_done;
  start_run(pending.size());

  const auto write = [&](const io::Study& study, const RecordFields& fields) {
    journal.append(study.id, make_record(study, fields));
    ++summary.written;
    ++done_;
    if (!fields.error.empty()) {
      ++summary.failed;
      ++failed_;
    }
  };
  const auto write_answer = [&](const io::Study& study, llm::ChatAnswer& answer,
                                double latency_ms) {
    RecordFields fields;
    fields.model = answer.model.empty() ? options_.client.request.model : answer.model;
    fields.finish_reason = answer.finish_reason;
    fields.usage = answer.usage;
    fields.latency_ms = latency_ms;
    if (options_.keep_reasoning) fields.reasoning = answer.reasoning;
    if (answer.reasoning_truncated) {
      ++summary.truncated_thinking;
      fields.error = "the model ran out of tokens while thinking (finish_reason " +
                     (answer.finish_reason.empty() ? std::string("none") : answer.finish_reason) +
                     "); raise --max-tokens or disable thinking with --chat-template-kwargs "
                     "'{\"enable_thinking\": false}'";
    } else {
      fields.output = &answer.content;
      if (answer.finish_reason == "length") ++summary.length_cut;
    }
    write(study, fields);
  };

  const int threads = to_threads(options_.prepare_threads);
  const std::size_t window =
      static_cast<std::size_t>(options_.client.concurrency) + 2 * static_cast<std::size_t>(threads);
  StudyPreparer preparer(
      pending, window, threads,
      [&](std::size_t index) {
        PreparedStudy item;
        item.index = index;
        try {
          item.messages = build_study_messages(studies[index], prompt_, options_.images);
          if (cache_) item.cache_key = cache_key(item.messages);
        } catch (const std::exception& e) {
          item.error = e.what();
        }
        return item;
      },
      cancelled_);

  std::unordered_map<std::size_t, std::string> keys;  // study index -> cache key, in flight
  client_->run(
      [&]() -> std::optional<llm::ChatJob> {
        while (auto item = preparer.next()) {
          const io::Study& study = studies[item->index];
          if (!item->error.empty()) {
            ++summary.image_errors;
            RecordFields fields;
            fields.model = options_.client.request.model;
            fields.error = item->error;
            write(study, fields);
            continue;
          }
          if (cache_) {
            const auto cached = cache_->get(kCacheNamespace, item->cache_key);
            const auto value =
                cached ? nlohmann::json::parse(*cached, nullptr, false) : nlohmann::json();
            if (value.is_object()) {
              llm::ChatAnswer answer;
              answer.content = value.value("content", "");
              answer.reasoning = value.value("reasoning", "");
              answer.finish_reason = value.value("finish_reason", "");
              answer.model = value.value("model", "");
              answer.usage = value.value("usage", nlohmann::json());
              ++summary.cached;
              ++cached_;
              write_answer(study, answer, 0);
              continue;
            }
            keys[item->index] = item->cache_key;
          }
          llm::ChatJob job;
          job.id = study.id;
          job.tag = item->index;
          job.messages = std::move(item->messages);
          return job;
        }
        return std::nullopt;
      },
      [&](llm::ChatResult&& result) {
        const std::size_t index = static_cast<std::size_t>(result.tag);
        const io::Study& study = studies[index];
        if (!result.ok) {
          ++summary.request_errors;
          RecordFields fields;
          fields.model = options_.client.request.model;
          fields.latency_ms = result.latency_ms;
          fields.error = "request failed: " + result.error;
          write(study, fields);
          return;
        }
        if (cache_ && !result.answer.reasoning_truncated) {
          cache_->put(kCacheNamespace, keys[index],
                      nlohmann::json{{"content", result.answer.content},
                                     {"reasoning", result.answer.reasoning},
                                     {"finish_reason", result.answer.finish_reason},
                                     {"model", result.answer.model},
                                     {"usage", result.answer.usage}}
                          .dump());
        }
        keys.erase(index);
        write_answer(study, result.answer, result.latency_ms);
      });
  preparer.stop();
  journal.close();
  summary.retries = client_->stats().retries;
  summary.cancelled = cancelled_;

  if (!options_.seed_output.empty() && !summary.cancelled) {
    io::MergeOptions seed;
    seed.inputs = {options_.output};
    seed.seed_output = options_.seed_output;
    for (const auto& study : studies) seed.expected_ids.push_back(study.id);
    io::merge_shard_outputs(seed);
  }
  return summary;
}

std::string format_summary(const GenerateSummary& s) {
  std::string out = "generate: " + std::to_string(s.written) + " record(s) written";
  if (s.failed > 0) {
    out += " (" + std::to_string(s.failed) + " failed: " + std::to_string(s.image_errors) +
           " unreadable image(s), " + std::to_string(s.request_errors) + " request error(s), " +
           std::to_string(s.truncated_thinking) + " cut off while thinking)";
  }
  out += ", " + std::to_string(s.already_done) + " already done, " + std::to_string(s.cached) +
         " from cache, " + std::to_string(s.retries) + " retr" + (s.retries == 1 ? "y" : "ies");
  if (s.length_cut > 0) {
    out += "; " + std::to_string(s.length_cut) +
           " answer(s) stopped at the token limit (finish_reason \"length\")";
  }
  return out;
}

}  // namespace rrg::pipelines
