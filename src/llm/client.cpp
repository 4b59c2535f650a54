// The curl-multi batch engine (see client.h).
//
// State: one CURLM handle with a pool of reusable easy handles; `active` transfers on the wire,
// `delayed` transfers waiting for their backoff (ordered by due time); one shared header list
// (the Authorization header lives only there); per-server in-flight and failure counters; atomic
// counters for stats(). Everything except the atomics is touched only by run()'s thread.
// libcurl is not linked: the first client loads it (curl_library.h), so programs that never talk
// to a server never load it.
#include "rrg/llm/client.h"

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <map>
#include <random>
#include <stdexcept>
#include <unordered_set>

#include "curl_library.h"
#include "rrg/core/errors.h"
#include "rrg/core/version.h"

namespace rrg::llm {
namespace {

using Clock = std::chrono::steady_clock;

long long ms_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(to - from).count();
}

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

// Transport errors worth another attempt: the server may be restarting, overloaded or flaky.
// TLS verification failures, bad URLs and unsupported protocols are not.
bool is_retryable_transport(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_WEIRD_SERVER_REPLY:
      return true;
    default:
      return false;
  }
}

// The --ca-bundle file and the two OpenSSL functions that add its roots, taken from the OpenSSL
// libcurl itself loaded (rrg links neither; see curl_library.h).
struct ExtraRoots {
  std::string path;
  decltype(&::SSL_CTX_get_cert_store) get_cert_store = nullptr;
  decltype(&::X509_STORE_load_file) load_file = nullptr;
};

// Adds the --ca-bundle roots to the store curl already filled from the system bundle.
CURLcode add_extra_roots(CURL*, void* ssl_context, void* user) {
  const auto* roots = static_cast<const ExtraRoots*>(user);
  X509_STORE* store = roots->get_cert_store(static_cast<SSL_CTX*>(ssl_context));
  if (store == nullptr || roots->load_file(store, roots->path.c_str()) != 1) {
    return CURLE_SSL_CACERT_BADFILE;
  }
  return CURLE_OK;
}

struct Endpoint {
  std::string base_url;
  std::string url;
  std::size_t in_flight = 0;
  int consecutive_failures = 0;
  Clock::time_point out_until{};
};

struct Transfer {
  ChatJob job;
  std::string body;
  std::size_t sequence = 0;
  CURL* easy = nullptr;
  std::string response;
  std::string retry_after;
  std::string retry_after_ms;
  int attempts = 0;
  Clock::time_point first_start{};
  Clock::time_point last_activity{};
  std::size_t endpoint = 0;
  bool idle_timed_out = false;
  char error_buffer[CURL_ERROR_SIZE] = {0};
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  transfer->response.append(data, size * count);
  transfer->last_activity = Clock::now();
  return size * count;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::string_view line(data, size * count);
  transfer->last_activity = Clock::now();
  if (starts_with_ci(line, "http/")) {
    // A new response (after a 100 Continue or a redirect): forget earlier headers.
    transfer->retry_after.clear();
    transfer->retry_after_ms.clear();
  } else if (starts_with_ci(line, "retry-after-ms:")) {
    transfer->retry_after_ms = std::string(trim(line.substr(15)));
  } else if (starts_with_ci(line, "retry-after:")) {
    transfer->retry_after = std::string(trim(line.substr(12)));
  }
  return size * count;
}

}  // namespace

std::string chat_completions_url(const std::string& base_url) {
  std::string url = base_url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  constexpr std::string_view kPath = "/chat/completions";
  if (url.size() >= kPath.size() &&
      url.compare(url.size() - kPath.size(), kPath.size(), kPath) == 0) {
    return url;
  }
  return url + std::string(kPath);
}

std::string completions_url(const std::string& base_url) {
  std::string url = base_url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  const auto ends_with = [&](std::string_view suffix) {
    return url.size() >= suffix.size() &&
           url.compare(url.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (ends_with("/chat/completions")) {
    url.resize(url.size() - std::string_view("/chat/completions").size());
  } else if (ends_with("/completions")) {
    return url;
  }
  return url + "/completions";
}

std::string endpoint_url(const std::string& base_url, ApiEndpoint endpoint) {
  return endpoint == ApiEndpoint::kCompletions ? completions_url(base_url)
                                               : chat_completions_url(base_url);
}

struct ChatClient::Impl {
  // Loaded by the first client (throws when libcurl cannot be loaded).
  const detail::CurlLibrary& curl = detail::curl_library();
  ClientOptions options;
  ExtraRoots extra_roots;  // used when options.ca_bundle is set
  CURLM* multi = nullptr;
  curl_slist* headers = nullptr;
  std::vector<CURL*> idle_easy;
  std::vector<Endpoint> endpoints;
  std::size_t next_endpoint = 0;
  std::unordered_set<Transfer*> active;
  std::multimap<Clock::time_point, std::unique_ptr<Transfer>> delayed;
  std::mt19937_64 random;
  std::size_t next_sequence = 0;

  std::atomic<bool> cancelled{false};
  std::atomic<std::size_t> started{0}, succeeded{0}, failed{0}, retries{0}, in_flight{0},
      waiting{0};
  std::atomic<bool> clock_started{false};
  std::atomic<long long> start_ns{0};

  ~Impl() {
    for (Transfer* transfer : active) {
      curl.multi_remove_handle(multi, transfer->easy);
      curl.easy_cleanup(transfer->easy);
      delete transfer;
    }
    for (auto& [due, transfer] : delayed) {
      if (transfer->easy != nullptr) curl.easy_cleanup(transfer->easy);
    }
    for (CURL* easy : idle_easy) curl.easy_cleanup(easy);
    if (multi != nullptr) curl.multi_cleanup(multi);
    curl.slist_free_all(headers);
  }

  std::string redact(std::string_view text) const { return options.api_key.redact(text); }

  CURL* acquire_easy() {
    if (!idle_easy.empty()) {
      CURL* easy = idle_easy.back();
      idle_easy.pop_back();
      return easy;
    }
    CURL* easy = curl.easy_init();
    if (easy == nullptr) throw std::runtime_error("llm: curl_easy_init failed");
    return easy;
  }

  void release_easy(Transfer& transfer) {
    if (transfer.easy != nullptr) idle_easy.push_back(transfer.easy);
    transfer.easy = nullptr;
  }

  std::size_t pick_endpoint(Clock::time_point now) {
    std::size_t best = endpoints.size();
    const std::size_t n = endpoints.size();
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t i = (next_endpoint + k) % n;
      if (endpoints[i].out_until > now) continue;
      if (best == n || endpoints[i].in_flight < endpoints[best].in_flight) best = i;
    }
    if (best == n) {
      // Every server is out of rotation: use the one that comes back first.
      best = 0;
      for (std::size_t i = 1; i < n; ++i) {
        if (endpoints[i].out_until < endpoints[best].out_until) best = i;
      }
    }
    next_endpoint = (best + 1) % n;
    return best;
  }

  void start(std::unique_ptr<Transfer> owned, Clock::time_point now) {
    Transfer* transfer = owned.get();
    transfer->easy = acquire_easy();
    transfer->endpoint = pick_endpoint(now);
    transfer->response.clear();
    transfer->retry_after.clear();
    transfer->retry_after_ms.clear();
    transfer->idle_timed_out = false;
    transfer->error_buffer[0] = '\0';
    if (transfer->attempts == 0) transfer->first_start = now;
    transfer->last_activity = now;
    ++transfer->attempts;

    CURL* easy = transfer->easy;
    const Endpoint& endpoint = endpoints[transfer->endpoint];
    curl.easy_setopt(easy, CURLOPT_URL, endpoint.url.c_str());
    curl.easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
    curl.easy_setopt(easy, CURLOPT_POST, 1L);
    curl.easy_setopt(easy, CURLOPT_POSTFIELDS, transfer->body.data());
    curl.easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(transfer->body.size()));
    curl.easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
    curl.easy_setopt(easy, CURLOPT_WRITEDATA, transfer);
    curl.easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
    curl.easy_setopt(easy, CURLOPT_HEADERDATA, transfer);
    curl.easy_setopt(easy, CURLOPT_PRIVATE, transfer);
    curl.easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer->error_buffer);
    curl.easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl.easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(options.connect_timeout_ms));
    curl.easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(options.request_timeout_ms));
    curl.easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
    curl.easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
    curl.easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
    curl.easy_setopt(easy, CURLOPT_USERAGENT, "rrg");
    if (!options.ca_bundle.empty()) {
      curl.easy_setopt(easy, CURLOPT_SSL_CTX_FUNCTION, add_extra_roots);
      curl.easy_setopt(easy, CURLOPT_SSL_CTX_DATA, &extra_roots);
    }
    if (curl.multi_add_handle(multi, easy) != CURLM_OK) {
      release_easy(*transfer);
      throw std::runtime_error("llm: curl_multi_add_handle failed");
    }
    ++endpoints[transfer->endpoint].in_flight;
    active.insert(owned.release());
    in_flight = active.size();
  }

  void start_job(ChatJob job, Clock::time_point now) {
    auto transfer = std::make_unique<Transfer>();
    const RequestOptions& request = job.options ? *job.options : options.request;
    transfer->body = options.endpoint == ApiEndpoint::kCompletions
                         ? build_completion_body(job.prompt, request).dump()
                         : build_request_body(job.messages, request).dump();
    transfer->job = std::move(job);
    transfer->sequence = next_sequence++;
    ++started;
    start(std::move(transfer), now);
  }

  // Handles the end of one attempt; calls the handler when the job is finished.
  void finish(Transfer* raw, CURLcode code, const ResultHandler& on_result) {
    const auto now = Clock::now();
    std::unique_ptr<Transfer> transfer(raw);
    active.erase(raw);
    in_flight = active.size();
    curl.multi_remove_handle(multi, transfer->easy);
    Endpoint& endpoint = endpoints[transfer->endpoint];
    --endpoint.in_flight;
    long status = 0;
    curl.easy_getinfo(transfer->easy, CURLINFO_RESPONSE_CODE, &status);
    release_easy(*transfer);

    ChatResult result;
    std::string error;
    bool retryable = false;
    bool server_fault = false;  // counts against the server's health
    std::optional<long long> server_delay;
    if (transfer->idle_timed_out) {
      error = "no data from the server for " + std::to_string(options.read_timeout_ms) +
              " ms (read timeout)";
      retryable = server_fault = true;
    } else if (code != CURLE_OK) {
      const std::string detail =
          transfer->error_buffer[0] != '\0' ? transfer->error_buffer : curl.easy_strerror(code);
      error = "transport error: " + detail;
      retryable = is_retryable_transport(code);
      server_fault = true;
      if (code == CURLE_PEER_FAILED_VERIFICATION || code == CURLE_SSL_CACERT_BADFILE) {
        error += " (the server's TLS certificate is not trusted; add its root with --ca-bundle)";
      }
    } else if (status >= 200 && status < 300) {
      ParsedResponse parsed = parse_chat_response(transfer->response);
      if (parsed.status == ResponseStatus::kOk) {
        result.ok = true;
        result.answer = std::move(parsed.answer);
      } else {
        error = parsed.error;
        retryable = parsed.status == ResponseStatus::kMalformed;
        server_fault = retryable;
      }
    } else {
      error = "HTTP " + std::to_string(status) + ": " + describe_error_body(transfer->response);
      retryable = is_retryable_status(status);
      server_fault = status >= 500;
      server_delay = server_retry_delay_ms(transfer->retry_after_ms, transfer->retry_after,
                                           std::time(nullptr));
      if (status == 401 || status == 403) {
        error += options.api_key.empty()
                     ? " (no API key was sent; set RRG_API_KEY or use --api-key-file)"
                     : " (check the API key from " + options.api_key.source() + ")";
      } else if (status == 404) {
        error += " (check --base-url, which usually ends in /v1, and --model)";
      }
    }

    if (result.ok) {
      endpoint.consecutive_failures = 0;
    } else if (server_fault) {
      if (++endpoint.consecutive_failures >= options.endpoint_failure_threshold &&
          endpoints.size() > 1) {
        endpoint.out_until = now + std::chrono::milliseconds(options.endpoint_cooldown_ms);
        endpoint.consecutive_failures = 0;
      }
    }

    if (!result.ok && retryable && transfer->attempts <= options.retry.max_retries && !cancelled) {
      std::uniform_real_distribution<double> uniform(0.0, 1.0);
      const long long delay =
          backoff_delay_ms(options.retry, transfer->attempts, server_delay, uniform(random));
      ++retries;
      delayed.emplace(now + std::chrono::milliseconds(delay), std::move(transfer));
      waiting = delayed.size();
      return;
    }
    if (!result.ok && cancelled) return;  // abandoned: no result, a resumed run redoes it

    result.id = std::move(transfer->job.id);
    result.tag = transfer->job.tag;
    result.sequence = transfer->sequence;
    result.http_status = status;
    result.attempts = transfer->attempts;
    result.latency_ms =
        std::chrono::duration<double, std::milli>(now - transfer->first_start).count();
    result.base_url = endpoint.base_url;
    if (!result.ok) {
      std::string text = error + " [" + endpoint.url + ", " + std::to_string(transfer->attempts) +
                         (transfer->attempts == 1 ? " attempt" : " attempts");
      if (retryable)
        text += "; gave up after --max-retries " + std::to_string(options.retry.max_retries);
      text += "]";
      result.error = redact(text);
      ++failed;
    } else {
      ++succeeded;
    }
    on_result(std::move(result));
  }

  void abort_all() {
    for (Transfer* transfer : active) {
      curl.multi_remove_handle(multi, transfer->easy);
      --endpoints[transfer->endpoint].in_flight;
      release_easy(*transfer);
      delete transfer;
    }
    active.clear();
    delayed.clear();
    in_flight = 0;
    waiting = 0;
  }
};

ChatClient::ChatClient(ClientOptions options) : impl_(std::make_unique<Impl>()) {
  Impl& s = *impl_;
  s.options = std::move(options);
  if (s.options.base_urls.empty()) {
    throw InputError("llm: no server given; pass --base-url (e.g. http://127.0.0.1:8000/v1)");
  }
  for (const auto& base : s.options.base_urls) {
    if (base.rfind("http://", 0) != 0 && base.rfind("https://", 0) != 0) {
      throw InputError("llm: base URL '" + base +
                       "' must start with http:// or https:// (e.g. http://127.0.0.1:8000/v1)");
    }
    s.endpoints.push_back({base, endpoint_url(base, s.options.endpoint)});
  }
  if (s.options.concurrency < 1) {
    throw InputError("llm: --concurrency must be at least 1 (got " +
                     std::to_string(s.options.concurrency) + ")");
  }
  if (s.options.retry.max_retries < 0) {
    throw InputError("llm: --max-retries must not be negative");
  }
  if (!s.options.ca_bundle.empty() && !std::filesystem::is_regular_file(s.options.ca_bundle)) {
    throw InputError(s.options.ca_bundle + ": --ca-bundle file not found");
  }
  if (!s.options.ca_bundle.empty()) {
    s.extra_roots.path = s.options.ca_bundle;
    s.extra_roots.get_cert_store = reinterpret_cast<decltype(&::SSL_CTX_get_cert_store)>(
        detail::curl_dependency_symbol("SSL_CTX_get_cert_store"));
    s.extra_roots.load_file = reinterpret_cast<decltype(&::X509_STORE_load_file)>(
        detail::curl_dependency_symbol("X509_STORE_load_file"));
    if (s.extra_roots.get_cert_store == nullptr || s.extra_roots.load_file == nullptr) {
      throw std::runtime_error(
          "llm: --ca-bundle needs a libcurl built with OpenSSL 3, and the loaded libcurl.so.4 is "
          "not: install the Debian package libcurl4 (not libcurl3-gnutls)");
    }
  }
  s.random.seed(s.options.random_seed != 0 ? s.options.random_seed : std::random_device{}());
  s.multi = s.curl.multi_init();
  if (s.multi == nullptr) throw std::runtime_error("llm: curl_multi_init failed");
  s.curl.multi_setopt(s.multi, CURLMOPT_MAXCONNECTS, static_cast<long>(s.options.concurrency * 2));
  s.headers = s.curl.slist_append(s.headers, "Content-Type: application/json");
  s.headers = s.curl.slist_append(s.headers, "Accept: application/json, text/event-stream");
  // curl would otherwise send "Expect: 100-continue" for large bodies (images) and wait for it.
  s.headers = s.curl.slist_append(s.headers, "Expect:");
  if (!s.options.api_key.empty()) {
    s.headers = s.curl.slist_append(s.headers,
                                    ("Authorization: Bearer " + s.options.api_key.value()).c_str());
  }
}

ChatClient::~ChatClient() = default;

const ClientOptions& ChatClient::options() const {
  return impl_->options;
}

void ChatClient::cancel() {
  impl_->cancelled = true;
  impl_->curl.multi_wakeup(impl_->multi);
}

ClientStats ChatClient::stats() const {
  const Impl& s = *impl_;
  ClientStats out;
  out.started = s.started;
  out.succeeded = s.succeeded;
  out.failed = s.failed;
  out.retries = s.retries;
  out.in_flight = s.in_flight;
  out.waiting = s.waiting;
  if (s.clock_started) {
    const long long now = Clock::now().time_since_epoch().count();
    out.elapsed_seconds = std::chrono::duration<double>(Clock::duration(now - s.start_ns)).count();
  }
  return out;
}

void ChatClient::run(const JobSource& source, const ResultHandler& on_result) {
  Impl& s = *impl_;
  if (!s.clock_started) {
    s.start_ns = Clock::now().time_since_epoch().count();
    s.clock_started = true;
  }
  const auto limit = static_cast<std::size_t>(s.options.concurrency);
  bool exhausted = false;
  try {
    while (true) {
      auto now = Clock::now();
      while (!s.cancelled && s.active.size() < limit) {
        if (!s.delayed.empty() && s.delayed.begin()->first <= now) {
          auto node = s.delayed.extract(s.delayed.begin());
          s.waiting = s.delayed.size();
          s.start(std::move(node.mapped()), now);
        } else if (!exhausted) {
          std::optional<ChatJob> job = source();
          if (!job) {
            exhausted = true;
          } else {
            s.start_job(std::move(*job), now);
          }
        } else {
          break;
        }
      }

      int running = 0;
      s.curl.multi_perform(s.multi, &running);
      int left = 0;
      while (CURLMsg* message = s.curl.multi_info_read(s.multi, &left)) {
        if (message->msg != CURLMSG_DONE) continue;
        Transfer* transfer = nullptr;
        s.curl.easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &transfer);
        s.finish(transfer, message->data.result, on_result);
      }

      // Abort requests that have been silent for longer than the read timeout.
      now = Clock::now();
      long long wait_ms = 1000;
      if (s.options.read_timeout_ms > 0) {
        std::vector<Transfer*> stalled;
        for (Transfer* transfer : s.active) {
          const long long remaining =
              s.options.read_timeout_ms - ms_between(transfer->last_activity, now);
          if (remaining <= 0) {
            stalled.push_back(transfer);
          } else {
            wait_ms = std::min(wait_ms, remaining);
          }
        }
        for (Transfer* transfer : stalled) {
          transfer->idle_timed_out = true;
          s.finish(transfer, CURLE_OPERATION_TIMEDOUT, on_result);
        }
        if (!stalled.empty()) continue;
      }

      if (s.cancelled) break;
      if (s.active.empty() && s.delayed.empty() && exhausted) break;
      if (!s.delayed.empty() && s.active.size() < limit) {
        wait_ms =
            std::min(wait_ms, std::max<long long>(0, ms_between(now, s.delayed.begin()->first)));
      }
      // Slots freed by finished requests are refilled before waiting: waiting first would delay
      // the next requests until some other socket event.
      const bool retry_due = !s.delayed.empty() && s.delayed.begin()->first <= now;
      if (s.active.size() < limit && (!exhausted || retry_due)) continue;
      s.curl.multi_poll(s.multi, nullptr, 0, static_cast<int>(std::max<long long>(wait_ms, 0)),
                        nullptr);
    }
  } catch (...) {
    s.abort_all();
    throw;
  }
  s.abort_all();
}

std::vector<ChatResult> ChatClient::run_all(std::vector<ChatJob> jobs) {
  std::vector<ChatResult> results(jobs.size());
  std::size_t next = 0;
  const std::size_t base = impl_->next_sequence;
  run(
      [&]() -> std::optional<ChatJob> {
        if (next == jobs.size()) return std::nullopt;
        return std::move(jobs[next++]);
      },
      [&](ChatResult&& result) { results[result.sequence - base] = std::move(result); });
  return results;
}

}  // namespace rrg::llm
