// The GREEN scorer (see green_scorer.h).
#include "rrg/metrics/green/green_scorer.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>
#include <unordered_map>

#include "rrg/core/errors.h"
#include "rrg/io/cache_db.h"
#include "rrg/io/sha256.h"
#include "rrg/llm/api_key.h"
#include "rrg/llm/client.h"
#include "rrg/metrics/green/green_prompt.h"

namespace rrg::metrics::green {
namespace {

// Namespace of GREEN answers in the shared cache; the value is JSON {content, reasoning,
// finish_reason, model}, as the llm labeler stores its answers. Bump "v" in the key material if
// that encoding changes.
constexpr const char* kCacheNamespace = "green-answer";

int to_ms(double seconds, const char* flag) {
  if (!(seconds >= 0) || !std::isfinite(seconds)) {
    throw InputError(std::string("GREEN: ") + flag + " must be a number of seconds >= 0");
  }
  return static_cast<int>(std::lround(seconds * 1000.0));
}

std::string read_text_file(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw InputError(path + ": cannot read the " + what + " (" + std::strerror(errno) + ")");
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string sha8(std::string_view text) {
  return io::sha256_hex(text).substr(0, 8);
}

// Python-like shortest form of a number for signatures: 0 -> "0", 0.7 -> "0.7".
std::string compact_number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  for (int precision = 1; precision <= 17; ++precision) {
    char shorter[32];
    std::snprintf(shorter, sizeof shorter, "%.*g", precision, value);
    if (std::strtod(shorter, nullptr) == value) return shorter;
  }
  return buffer;
}

struct Pair {
  std::string reference;  // normalised as make_prompt does
  std::string candidate;
  std::string cache_key;
};

}  // namespace

GreenScorer::GreenScorer(GreenOptions options) : options_(std::move(options)) {
  if (options_.base_urls.empty()) {
    throw InputError(
        "GREEN: a server is required (--green-base-url or --base-url, e.g. "
        "http://127.0.0.1:8000/v1 for `vllm serve StanfordAIMI/GREEN-radllama2-7b`)");
  }
  if (options_.model.empty()) {
    throw InputError(
        "GREEN: --green-model is required (the model name the server serves, e.g. "
        "StanfordAIMI/GREEN-radllama2-7b)");
  }
  if (!(options_.temperature >= 0) || !std::isfinite(options_.temperature)) {
    throw InputError("GREEN: --temperature must be a number >= 0");
  }
  if (options_.max_tokens && *options_.max_tokens < 1) {
    throw InputError("GREEN: --max-tokens must be at least 1");
  }
  dialect_ = parse_green_dialect(options_.parser);
  const llm::ApiEndpoint endpoint = llm::parse_api_endpoint(options_.endpoint);
  completions_ = endpoint == llm::ApiEndpoint::kCompletions;

  llm::ClientOptions client;
  client.base_urls = options_.base_urls;
  client.endpoint = endpoint;
  client.api_key = llm::load_api_key({options_.api_key_file});
  client.ca_bundle = options_.ca_bundle;
  client.concurrency = options_.concurrency;
  client.connect_timeout_ms = to_ms(options_.connect_timeout_s, "--connect-timeout");
  client.read_timeout_ms = to_ms(options_.read_timeout_s, "--read-timeout");
  client.request_timeout_ms = to_ms(options_.request_timeout_s, "--request-timeout");
  client.retry.max_retries = options_.max_retries;
  client.retry.initial_backoff_ms = options_.initial_backoff_ms;
  client.retry.max_backoff_ms = options_.max_backoff_ms;
  client.random_seed = options_.random_seed;
  llm::RequestOptions& request = client.request;
  request.model = options_.model;
  request.temperature = options_.temperature;
  request.seed = options_.seed;
  request.max_tokens = options_.max_tokens;
  request.stream = options_.stream;

  // The chat template: built in, from a file, or none.
  std::string template_text;
  if (options_.chat_template == "green") {
    template_text =
        std::string(completions_ ? green_completion_template() : green_chat_template_jinja());
    template_id_ = "green-" + sha8(template_text);
  } else if (!options_.chat_template.empty()) {
    template_text = read_text_file(options_.chat_template, "GREEN chat template");
    template_id_ = "file-" + sha8(template_text);
    if (completions_ && template_text.find("{prompt}") == std::string::npos) {
      throw InputError(options_.chat_template +
                       ": a completion template must hold {prompt} where GREEN's prompt goes");
    }
  }
  if (!template_text.empty()) {
    if (completions_) {
      completion_template_ = template_text;
    } else {
      request.extra_body = {{"chat_template", template_text}};
    }
  }
  request_ = std::make_unique<llm::RequestOptions>(request);
  client_ = std::make_unique<llm::ChatClient>(std::move(client));

  // Everything but the two texts that decides the answer, canonical (sorted object keys).
  cache_key_prefix_ = nlohmann::json{
      {"v", 1},
      {"metric", "green"},
      {"endpoint", llm::api_endpoint_name(endpoint)},
      {"params", llm::answer_parameters(*request_)},
      {"prompt", io::sha256_hex(green_prompt_template())},
      {"template",
       completions_ && !completion_template_.empty()
           ? io::sha256_hex(completion_template_)
           : ""}}.dump();
  if (!options_.no_cache && llm::is_deterministic(*request_)) {
    cache_ = std::make_unique<io::CacheDb>(options_.cache_path.empty() ? io::default_cache_path()
                                                                       : options_.cache_path);
  }
}

GreenScorer::~GreenScorer() = default;

std::string GreenScorer::cache_key(const std::string& reference,
                                   const std::string& candidate) const {
  return io::sha256_hex(cache_key_prefix_ + "\n" +
                        io::sha256_hex(green_normalize_report(reference)) + "\n" +
                        io::sha256_hex(green_normalize_report(candidate)));
}

void GreenScorer::cancel() {
  client_->cancel();
}

GreenProgress GreenScorer::progress() const {
  GreenProgress out;
  out.pairs = pairs_;
  out.done = done_;
  out.from_cache = from_cache_;
  out.request_errors = request_errors_;
  out.answer_errors = answer_errors_;
  out.retries = client_->stats().retries;
  return out;
}

std::string GreenScorer::summary_line() const {
  const auto p = progress();
  const auto plural = [](std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
  };
  return "GREEN: " + plural(p.done, "pair", "pairs") + " judged (" + std::to_string(p.from_cache) +
         " from cache), " + plural(p.request_errors, "request error", "request errors") + ", " +
         plural(p.answer_errors, "unusable answer", "unusable answers") + ", " +
         plural(p.retries, "retry", "retries");
}

Signature GreenScorer::signature(const std::string& key) const {
  Signature out(key);
  out.set("model", options_.model);
  out.set("prompt", green_prompt_id());
  out.set("temp", compact_number(options_.temperature));
  if (options_.temperature != 0.0 && options_.seed) out.set("seed", std::to_string(*options_.seed));
  if (options_.max_tokens) out.set("max_tokens", std::to_string(*options_.max_tokens));
  if (completions_) out.set("endpoint", "completions");
  if (!template_id_.empty()) out.set("template", template_id_);
  out.set("parser", green_parser_id(dialect_));
  return out;
}

GreenResult GreenScorer::score(const std::vector<std::string>& candidates,
                               const std::vector<std::string>& references) {
  if (candidates.size() != references.size()) {
    throw InputError("GREEN: " + std::to_string(candidates.size()) + " candidates but " +
                     std::to_string(references.size()) + " references; they must pair up");
  }
  GreenResult result;
  result.samples.resize(candidates.size());

  // Distinct pairs, as the prompt sees them.
  std::vector<Pair> pairs;
  std::vector<std::size_t> pair_of_sample(candidates.size());
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    Pair pair{green_normalize_report(references[i]), green_normalize_report(candidates[i]), ""};
    std::string both = pair.reference;
    both.push_back('\0');
    both += pair.candidate;
    const auto [it, inserted] = index.emplace(std::move(both), pairs.size());
    if (inserted) {
      pair.cache_key = io::sha256_hex(cache_key_prefix_ + "\n" + io::sha256_hex(pair.reference) +
                                      "\n" + io::sha256_hex(pair.candidate));
      pairs.push_back(std::move(pair));
    }
    pair_of_sample[i] = it->second;
  }
  result.distinct_pairs = pairs.size();
  pairs_ = pairs.size();
  done_ = 0;
  from_cache_ = 0;
  request_errors_ = 0;
  answer_errors_ = 0;

  std::vector<GreenSample> judged(pairs.size());
  std::vector<bool> finished(pairs.size(), false);
  const auto finish = [&](std::size_t p, GreenSample&& sample) {
    if (!sample.error.empty()) ++(sample.request_failed ? request_errors_ : answer_errors_);
    judged[p] = std::move(sample);
    finished[p] = true;
    ++done_;
  };
  const auto parse_into = [&](GreenSample& sample) {
    GreenParse parsed = parse_green_answer(sample.answer, dialect_);
    sample.counts = parsed.counts;
    sample.green = parsed.score;
    sample.error = std::move(parsed.error);
  };

  // Answers the cache already holds.
  std::vector<std::size_t> pending;
  if (cache_) {
    std::vector<std::string> keys;
    keys.reserve(pairs.size());
    for (const auto& pair : pairs) keys.push_back(pair.cache_key);
    const auto cached = cache_->get_many(kCacheNamespace, keys);
    for (std::size_t p = 0; p < pairs.size(); ++p) {
      const auto value =
          cached[p] ? nlohmann::json::parse(*cached[p], nullptr, false) : nlohmann::json();
      if (!value.is_object()) {
        pending.push_back(p);
        continue;
      }
      GreenSample sample;
      sample.from_cache = true;
      sample.answer = value.value("content", "");
      sample.reasoning = value.value("reasoning", "");
      sample.finish_reason = value.value("finish_reason", "");
      parse_into(sample);
      ++from_cache_;
      ++result.from_cache;
      finish(p, std::move(sample));
    }
  } else {
    for (std::size_t p = 0; p < pairs.size(); ++p) pending.push_back(p);
  }

  std::size_t next = 0;
  client_->run(
      [&]() -> std::optional<llm::ChatJob> {
        if (next == pending.size()) return std::nullopt;
        const std::size_t p = pending[next++];
        const std::string prompt = make_green_prompt(pairs[p].reference, pairs[p].candidate);
        llm::ChatJob job;
        job.id = std::to_string(p);
        job.tag = p;
        if (completions_) {
          job.prompt = completion_template_.empty()
                           ? prompt
                           : apply_completion_template(completion_template_, prompt);
        } else {
          job.messages = nlohmann::json::array({{{"role", "user"}, {"content", prompt}}});
        }
        ++result.requests;
        return job;
      },
      [&](llm::ChatResult&& answer) {
        const auto p = static_cast<std::size_t>(answer.tag);
        GreenSample sample;
        sample.attempts = answer.attempts;
        sample.latency_ms = answer.latency_ms;
        if (!answer.ok) {
          sample.request_failed = true;
          sample.error = "request failed: " + answer.error;
          finish(p, std::move(sample));
          return;
        }
        sample.answer = std::move(answer.answer.content);
        sample.reasoning = std::move(answer.answer.reasoning);
        sample.finish_reason = answer.answer.finish_reason;
        if (answer.answer.reasoning_truncated) {
          sample.error =
              "the judge ran out of tokens while thinking (finish_reason " + sample.finish_reason +
              "): no answer to score; raise --max-tokens or serve a judge without thinking";
          finish(p, std::move(sample));
          return;
        }
        if (cache_) {
          cache_->put(kCacheNamespace, pairs[p].cache_key,
                      nlohmann::json{{"content", sample.answer},
                                     {"reasoning", sample.reasoning},
                                     {"finish_reason", sample.finish_reason},
                                     {"model", answer.answer.model}}
                          .dump());
        }
        parse_into(sample);
        finish(p, std::move(sample));
      });

  for (std::size_t p = 0; p < pairs.size(); ++p) {
    if (finished[p]) continue;
    result.cancelled = true;
    judged[p].error = "not judged: the run was cancelled";
  }
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    result.samples[i] = judged[pair_of_sample[i]];
  }
  result.summary = summarize_green(result.samples);
  return result;
}

}  // namespace rrg::metrics::green
