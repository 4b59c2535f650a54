// The llm labeler (see llm_labeler.h).
#include "rrg/labelers/llm/llm_labeler.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "rrg/core/errors.h"
#include "rrg/io/cache_db.h"
#include "rrg/io/journal.h"
#include "rrg/io/sha256.h"
#include "rrg/llm/client.h"

namespace rrg::labelers {
namespace {

// Namespace of LLM answers in the shared cache; the value is JSON {content, reasoning,
// finish_reason, model}. Bump the "v" field of the key material if that encoding changes.
constexpr const char* kCacheNamespace = "llm-answer";

// Labels in the CheXpert column order (ordered_json keeps insertion order).
nlohmann::ordered_json labels_json(const LabelRow& row, bool blank) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (std::size_t i = 0; i < kNumObservations; ++i) {
    const std::string name(kObservationNames[i]);
    if (blank || row[i] == Label::kBlank) {
      out[name] = nullptr;
    } else {
      out[name] = static_cast<int>(row[i]);
    }
  }
  return out;
}

}  // namespace

LlmLabeler::LlmLabeler(LlmLabelerOptions options) : options_(std::move(options)) {
  if (options_.server.base_urls.empty()) {
    throw InputError(
        "llm labeler: --base-url is required (the server's OpenAI-compatible endpoint, e.g. "
        "http://127.0.0.1:8000/v1 for vLLM, http://127.0.0.1:11434/v1 for Ollama, "
        "https://api.openai.com/v1)");
  }
  if (options_.server.model.empty()) {
    throw InputError("llm labeler: --model is required (the model name the server serves)");
  }
  scheme_ = parse_label_scheme(options_.label_scheme);
  prompt_ = options_.prompt_file.empty() ? LlmPrompt::builtin(scheme_)
                                         : LlmPrompt::from_file(options_.prompt_file);

  llm::ClientOptions client = llm::client_options_from(options_.server, "llm labeler");
  client.request.structured = llm::parse_structured_mode(options_.structured);
  client.request.json_schema = label_answer_schema(scheme_);
  client.request.schema_name = "chexpert_labels";
  request_ = std::make_unique<llm::RequestOptions>(client.request);
  const llm::RequestOptions& request = *request_;
  client_ = std::make_unique<llm::ChatClient>(std::move(client));

  // Everything but the report that decides the answer, in a canonical form (nlohmann::json keeps
  // object keys sorted). Several URLs of one deployment share answers whatever their order.
  std::vector<std::string> urls = options_.server.base_urls;
  std::sort(urls.begin(), urls.end());
  cache_key_prefix_ = nlohmann::json{
      {"v", 1},
      {"base_urls", urls},
      {"params", llm::answer_parameters(request)},
      {"prompt",
       prompt_.id}}.dump();
  if (!options_.server.no_cache && llm::is_deterministic(request)) {
    cache_ = std::make_unique<io::CacheDb>(
        options_.server.cache_path.empty() ? io::default_cache_path() : options_.server.cache_path);
  }
}

LlmLabeler::~LlmLabeler() = default;

std::string LlmLabeler::identity() const {
  return "llm:" + options_.server.model + "@" + prompt_.id + "/" +
         std::string(label_scheme_name(scheme_));
}

std::string LlmLabeler::cache_key(const std::string& text) const {
  return io::sha256_hex(cache_key_prefix_ + "\n" + io::sha256_hex(text));
}

void LlmLabeler::on_cancel() {
  client_->cancel();
}

LlmLabelerCounts LlmLabeler::counts() const {
  LlmLabelerCounts out;
  out.total = total_;
  out.done = done_;
  out.from_cache = cached_;
  out.request_errors = request_errors_;
  out.parse_errors = parse_errors_;
  out.retries = client_->stats().retries;
  return out;
}

JobProgress LlmLabeler::progress() const {
  JobProgress p = Job::progress();
  p.failed = request_errors_ + parse_errors_;
  p.retries = client_->stats().retries;
  return p;
}

std::string LlmLabeler::summary() const {
  const auto p = counts();
  const auto plural = [](std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
  };
  return "llm: " + plural(p.done, "report", "reports") + " labelled (" +
         std::to_string(p.from_cache) + " from cache), " +
         plural(p.request_errors, "request error", "request errors") + ", " +
         plural(p.parse_errors, "unparsable answer", "unparsable answers") + ", " +
         plural(p.retries, "retry", "retries");
}

void LlmLabeler::label_each(const std::vector<std::string>& texts,
                            const std::function<void(LlmLabel&&)>& on_label) {
  total_ += texts.size();
  const auto finish = [&](LlmLabel&& label) {
    if (!label.result.error.empty()) {
      ++(label.request_failed ? request_errors_ : parse_errors_);
    }
    ++done_;
    on_label(std::move(label));
  };
  const auto parse_into = [&](LlmLabel& label) {
    const ParsedLabels parsed = parse_label_answer(label.raw_answer, scheme_);
    label.result.labels = parsed.labels;
    label.result.error = parsed.error;
  };

  // Answers the cache already holds.
  std::vector<std::size_t> pending;
  std::vector<std::string> keys(texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    if (!cache_) {
      pending.push_back(i);
      continue;
    }
    keys[i] = cache_key(texts[i]);
    const auto cached = cache_->get(kCacheNamespace, keys[i]);
    const auto value = cached ? nlohmann::json::parse(*cached, nullptr, false) : nlohmann::json();
    if (!value.is_object()) {
      pending.push_back(i);
      continue;
    }
    LlmLabel label;
    label.index = i;
    label.from_cache = true;
    label.raw_answer = value.value("content", "");
    label.reasoning = value.value("reasoning", "");
    label.finish_reason = value.value("finish_reason", "");
    parse_into(label);
    ++cached_;
    finish(std::move(label));
  }

  std::size_t next = 0;
  client_->run(
      [&]() -> std::optional<llm::ChatJob> {
        if (next == pending.size()) return std::nullopt;
        const std::size_t i = pending[next++];
        llm::ChatJob job;
        job.id = std::to_string(i);
        job.tag = i;
        job.messages = prompt_.messages(texts[i]);
        return job;
      },
      [&](llm::ChatResult&& result) {
        LlmLabel label;
        label.index = static_cast<std::size_t>(result.tag);
        label.attempts = result.attempts;
        label.latency_ms = result.latency_ms;
        if (!result.ok) {
          label.request_failed = true;
          label.result.error = "request failed: " + result.error;
          finish(std::move(label));
          return;
        }
        label.raw_answer = std::move(result.answer.content);
        label.reasoning = std::move(result.answer.reasoning);
        label.finish_reason = result.answer.finish_reason;
        label.usage = std::move(result.answer.usage);
        if (result.answer.reasoning_truncated) {
          label.result.error =
              "the model ran out of tokens while thinking (finish_reason " + label.finish_reason +
              "); raise --max-tokens or disable thinking with --chat-template-kwargs "
              "'{\"enable_thinking\": false}'";
          finish(std::move(label));
          return;
        }
        if (cache_) {
          cache_->put(kCacheNamespace, keys[label.index],
                      nlohmann::json{{"content", label.raw_answer},
                                     {"reasoning", label.reasoning},
                                     {"finish_reason", label.finish_reason},
                                     {"model", result.answer.model}}
                          .dump());
        }
        parse_into(label);
        finish(std::move(label));
      });
}

std::vector<LabelResult> LlmLabeler::label(const std::vector<std::string>& texts) {
  std::vector<LabelResult> results(texts.size());
  std::vector<bool> seen(texts.size(), false);
  label_each(texts, [&](LlmLabel&& label) {
    results[label.index] = std::move(label.result);
    seen[label.index] = true;
  });
  for (std::size_t i = 0; i < texts.size(); ++i) {
    if (!seen[i]) results[i].error = "not labelled: the run was cancelled";
  }
  return results;
}

JournalLabelStats LlmLabeler::label_into(
    const std::vector<std::pair<std::string, std::string>>& reports, io::Journal& journal) {
  JournalLabelStats stats;
  std::vector<std::string> texts;
  std::vector<std::vector<const std::string*>> ids_of_text;
  std::unordered_map<std::string, std::size_t> text_index;
  std::unordered_map<std::string, bool> queued_ids;
  for (const auto& [id, text] : reports) {
    if (journal.contains(id)) {
      ++stats.skipped;
      continue;
    }
    if (!queued_ids.emplace(id, true).second) {
      throw InputError("llm labeler: report id '" + id +
                       "' occurs twice in the input; ids must be unique");
    }
    const auto [it, inserted] = text_index.emplace(text, texts.size());
    if (inserted) {
      texts.push_back(text);
      ids_of_text.emplace_back();
    }
    ids_of_text[it->second].push_back(&id);
  }
  label_each(texts, [&](LlmLabel&& label) {
    const bool failed = !label.result.error.empty();
    for (const std::string* id : ids_of_text[label.index]) {
      nlohmann::ordered_json record = {{"id", *id},
                                       {"labels", labels_json(label.result.labels, failed)}};
      if (failed) {
        record["error"] = label.result.error;
        if (!label.request_failed) record["raw"] = label.raw_answer;
      }
      if (options_.server.keep_reasoning && !label.reasoning.empty()) {
        record["reasoning"] = label.reasoning;
      }
      journal.append(*id, record.dump());
      ++stats.written;
      if (failed) ++stats.failed;
    }
  });
  return stats;
}

}  // namespace rrg::labelers
