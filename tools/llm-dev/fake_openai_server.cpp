// The scripted loopback Chat Completions server (see fake_openai_server.h).
#include "fake_openai_server.h"

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>
#include <string_view>

#include <nlohmann/json.hpp>

namespace rrg::llmdev {
namespace {

using nlohmann::json;

constexpr std::array<const char*, 14> kObservations = {"Enlarged Cardiomediastinum",
                                                       "Cardiomegaly",
                                                       "Lung Opacity",
                                                       "Lung Lesion",
                                                       "Edema",
                                                       "Consolidation",
                                                       "Pneumonia",
                                                       "Atelectasis",
                                                       "Pneumothorax",
                                                       "Pleural Effusion",
                                                       "Pleural Other",
                                                       "Fracture",
                                                       "Support Devices",
                                                       "No Finding"};

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Directive name -> argument list; "429x2:1" becomes {"429", {count 2, arg "1"}}.
struct Directive {
  int count = -1;  // -1 = every attempt
  std::string arg;
};

std::map<std::string, Directive> parse_directives(const std::string& text) {
  std::map<std::string, Directive> out;
  const auto begin = text.find("[[rrg-test:");
  if (begin == std::string::npos) return out;
  const auto end = text.find("]]", begin);
  if (end == std::string::npos) return out;
  const std::string list = text.substr(begin + 11, end - begin - 11);
  std::size_t pos = 0;
  while (pos <= list.size()) {
    auto comma = list.find(',', pos);
    if (comma == std::string::npos) comma = list.size();
    std::string item = list.substr(pos, comma - pos);
    pos = comma + 1;
    if (item.empty()) continue;
    Directive directive;
    if (const auto colon = item.find(':'); colon != std::string::npos) {
      directive.arg = item.substr(colon + 1);
      item = item.substr(0, colon);
    }
    if (const auto x = item.rfind('x');
        x != std::string::npos && x + 1 < item.size() &&
        std::all_of(item.begin() + static_cast<long>(x) + 1, item.end(), ::isdigit)) {
      directive.count = std::stoi(item.substr(x + 1));
      item = item.substr(0, x);
    }
    out[item] = directive;
  }
  return out;
}

std::string message_text(const json& content) {
  if (content.is_string()) return content.get<std::string>();
  std::string out;
  if (content.is_array()) {
    for (const auto& part : content) {
      if (part.is_object() && part.value("type", "") == "text") out += part.value("text", "");
    }
  }
  return out;
}

// The toy labeler described in the header.
json toy_labels(const std::string& report, bool four_way) {
  const std::string text = lower(report);
  json labels = json::object();
  bool abnormal = false;
  for (std::size_t i = 0; i + 1 < kObservations.size(); ++i) {
    const std::string name = lower(kObservations[i]);
    json value;
    if (text.find("no " + name) != std::string::npos) {
      value = 0;
    } else if (text.find("possible " + name) != std::string::npos) {
      value = four_way ? json(-1) : json(0);
      if (four_way && i != 12) abnormal = true;
    } else if (text.find(name) != std::string::npos) {
      value = 1;
      if (i != 12) abnormal = true;
    } else {
      value = four_way ? json(nullptr) : json(0);
    }
    labels[kObservations[i]] = value;
  }
  labels["No Finding"] = abnormal ? (four_way ? json(nullptr) : json(0)) : json(1);
  return labels;
}

// Directives never count as report text for the toy judges.
std::string without_directives(std::string text) {
  for (auto begin = text.find("[[rrg-test:"); begin != std::string::npos;
       begin = text.find("[[rrg-test:", begin)) {
    const auto end = text.find("]]", begin);
    text.erase(begin, end == std::string::npos ? std::string::npos : end + 2 - begin);
  }
  return text;
}

// Sentences of a report for the toy GREEN judge: split at '.', trimmed, lower-cased, distinct,
// in order of first appearance.
std::vector<std::string> toy_sentences(const std::string& report) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  const std::string text = without_directives(report);
  while (pos <= text.size()) {
    auto end = text.find('.', pos);
    if (end == std::string::npos) end = text.size();
    std::string sentence = text.substr(pos, end - pos);
    pos = end + 1;
    const auto first = sentence.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) continue;
    sentence = lower(sentence.substr(first, sentence.find_last_not_of(" \t\r\n") - first + 1));
    if (std::find(out.begin(), out.end(), sentence) == out.end()) out.push_back(sentence);
  }
  return out;
}

constexpr std::string_view kGreenReferenceMarker = "2. Reference Report:\n    ";
constexpr std::string_view kGreenCandidateMarker = "\n\n    3. Candidate Report:\n    ";
constexpr std::string_view kGreenEndMarker = "\n\n    4. Reporting Your Assessment:";

// The (reference, candidate) of a GREEN prompt, or false when `text` is not one.
bool read_green_prompt(const std::string& text, std::string& reference, std::string& candidate) {
  const auto ref = text.find(kGreenReferenceMarker);
  if (ref == std::string::npos) return false;
  const auto ref_begin = ref + kGreenReferenceMarker.size();
  const auto cand = text.find(kGreenCandidateMarker, ref_begin);
  if (cand == std::string::npos) return false;
  const auto cand_begin = cand + kGreenCandidateMarker.size();
  const auto end = text.find(kGreenEndMarker, cand_begin);
  if (end == std::string::npos) return false;
  reference = text.substr(ref_begin, cand - ref_begin);
  candidate = text.substr(cand_begin, end - cand_begin);
  return true;
}

// cpp-httplib 0.11 listens with a backlog of 5 (compiled into Debian's library): a burst of
// connections from a client with high concurrency overflows it, the kernel drops SYNs and the
// client waits a second for the retransmission. Real servers (uvicorn: 2048) do not do that, so
// find our listening socket and listen() again with a realistic backlog (Linux updates it).
void widen_listen_backlog(int port) {
  for (int fd = 3; fd < 4096; ++fd) {
    sockaddr_in address{};
    socklen_t length = sizeof address;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) continue;
    if (address.sin_family != AF_INET || ntohs(address.sin_port) != port) continue;
    int listening = 0;
    socklen_t size = sizeof listening;
    if (::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &size) == 0 && listening) {
      ::listen(fd, 1024);
    }
  }
}

}  // namespace

std::string toy_green_answer(const std::string& reference, const std::string& candidate) {
  const auto ref = toy_sentences(reference);
  const auto cand = toy_sentences(candidate);
  std::vector<std::string> matched, false_findings, missing;
  for (const auto& s : cand) {
    (std::find(ref.begin(), ref.end(), s) != ref.end() ? matched : false_findings).push_back(s);
  }
  for (const auto& s : ref) {
    if (std::find(cand.begin(), cand.end(), s) == cand.end()) missing.push_back(s);
  }
  const auto listing = [](const std::vector<std::string>& items) {
    std::string out = std::to_string(items.size()) + ".";
    for (std::size_t i = 0; i < items.size(); ++i) out += (i == 0 ? " " : "; ") + items[i];
    return out;
  };
  static constexpr std::array<const char*, 6> kSubCategories = {
      "(a) False report of a finding in the candidate",
      "(b) Missing a finding present in the reference",
      "(c) Misidentification of a finding's anatomic location/position",
      "(d) Misassessment of the severity of a finding",
      "(e) Mentioning a comparison that isn't in the reference",
      "(f) Omitting a comparison detailing a change from a prior study"};
  std::string out = "[Explanation]:\nThe toy judge compared " + std::to_string(cand.size()) +
                    " candidate sentences with " + std::to_string(ref.size()) +
                    " reference sentences.\n\n[Clinically Significant Errors]:\n";
  for (std::size_t i = 0; i < kSubCategories.size(); ++i) {
    out += std::string(kSubCategories[i]) + ": " +
           (i == 0   ? listing(false_findings)
            : i == 1 ? listing(missing)
                     : std::string("0.")) +
           "\n";
  }
  out += "\n[Clinically Insignificant Errors]:\n";
  for (const char* name : kSubCategories) out += std::string(name) + ": 0.\n";
  out += "\n[Matched Findings]:\n" + listing(matched) + "\n";
  return out;
}

struct FakeOpenAiServer::Reply {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  int delay_ms = 0;
  bool drop = false;
};

FakeOpenAiServer::FakeOpenAiServer(FakeServerOptions options) : options_(std::move(options)) {}

FakeOpenAiServer::~FakeOpenAiServer() {
  stop();
}

std::string FakeOpenAiServer::base_url() const {
  const bool tls = !options_.cert_file.empty();
  return std::string(tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_) + "/v1";
}

void FakeOpenAiServer::start() {
  if (!options_.cert_file.empty()) {
    server_ =
        std::make_unique<httplib::SSLServer>(options_.cert_file.c_str(), options_.key_file.c_str());
  } else {
    server_ = std::make_unique<httplib::Server>();
  }
  const int threads = options_.threads;
  server_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  // Without TCP_NODELAY, headers and body leave in two segments and Nagle's algorithm holds the
  // second until the client's delayed ACK (~40 ms): every answer would look 40 ms slower.
  server_->set_tcp_nodelay(true);
  server_->set_keep_alive_max_count(1000000);
  server_->set_keep_alive_timeout(60);
  server_->set_read_timeout(60, 0);
  server_->set_write_timeout(60, 0);
  started_ = std::chrono::steady_clock::now();
  const auto make_handler = [this](bool completions) {
    return [this, completions](const httplib::Request& request, httplib::Response& response) {
      serve(request, response, completions);
    };
  };
  server_->Post("/v1/chat/completions", make_handler(false));
  server_->Post("/chat/completions", make_handler(false));
  server_->Post("/v1/completions", make_handler(true));
  server_->Post("/completions", make_handler(true));
  port_ = options_.port == 0
              ? server_->bind_to_any_port("127.0.0.1")
              : (server_->bind_to_port("127.0.0.1", options_.port) ? options_.port : -1);
  if (port_ <= 0) throw std::runtime_error("fake server: cannot bind 127.0.0.1");
  widen_listen_backlog(port_);
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  for (int i = 0; i < 500 && !server_->is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

void FakeOpenAiServer::serve(const httplib::Request& request, httplib::Response& response,
                             bool completions) {
  Reply reply;
  handle(request.body, request.get_header_value("Authorization"), completions, reply);
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(reply.delay_ms);
  // Sleep in slices (so stop() is not held up by long delays) without overshooting `until`.
  for (auto now = std::chrono::steady_clock::now(); now < until && server_->is_running();
       now = std::chrono::steady_clock::now()) {
    std::this_thread::sleep_for(
        std::min<std::chrono::steady_clock::duration>(until - now, std::chrono::milliseconds(20)));
  }
  response.status = reply.status;
  for (const auto& [name, value] : reply.headers) response.set_header(name, value);
  if (reply.drop) {
    // Promise a body, then give up: the client sees the connection close mid-response.
    response.set_content_provider(
        1000, "application/json",
        [](std::size_t, std::size_t, httplib::DataSink&) { return false; });
    return;
  }
  response.set_content(reply.body, reply.content_type.c_str());
}

void FakeOpenAiServer::stop() {
  if (server_ && server_->is_running()) server_->stop();
  if (thread_.joinable()) thread_.join();
}

std::vector<RecordedRequest> FakeOpenAiServer::requests() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return requests_;
}

std::size_t FakeOpenAiServer::request_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return count_;
}

std::vector<double> FakeOpenAiServer::attempt_times(const std::string& needle) const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<double> out;
  for (const auto& request : requests_) {
    if (request.key.find(needle) != std::string::npos) out.push_back(request.time_ms);
  }
  return out;
}

int FakeOpenAiServer::attempts(const std::string& needle) const {
  std::lock_guard<std::mutex> lock(mutex_);
  int total = 0;
  for (const auto& [key, count] : attempts_) {
    if (key.find(needle) != std::string::npos) total += count;
  }
  return total;
}

void FakeOpenAiServer::handle(const std::string& body, const std::string& authorization,
                              bool completions, Reply& reply) {
  reply.delay_ms = options_.latency_ms;
  const json request = json::parse(body, nullptr, /*allow_exceptions=*/false);
  const bool usable = !request.is_discarded() && request.is_object() &&
                      (completions ? request.contains("prompt") && request["prompt"].is_string()
                                   : request.contains("messages"));
  if (!usable) {
    reply.status = 400;
    reply.body =
        completions
            ? R"({"error":{"message":"request body is not a completion request with a string prompt","type":"invalid_request_error"}})"
            : R"({"error":{"message":"request body is not a chat completion request","type":"invalid_request_error"}})";
    return;
  }
  std::string key;
  std::string all_text;
  if (completions) {
    key = all_text = request["prompt"].get<std::string>();
  } else {
    for (const auto& message : request["messages"]) {
      const std::string text = message_text(message.value("content", json()));
      all_text += text;
      if (message.value("role", "") == "user") key = text;
    }
  }
  int attempt = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    attempt = ++attempts_[key];
    ++count_;
    RecordedRequest record;
    record.key = key;
    if (options_.record_bodies) record.body = body;
    record.authorization = authorization;
    record.attempt = attempt;
    record.time_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_)
            .count();
    requests_.push_back(std::move(record));
  }
  const auto directives = parse_directives(key);
  const auto active = [&](const char* name) -> const Directive* {
    const auto it = directives.find(name);
    if (it == directives.end()) return nullptr;
    if (it->second.count >= 0 && attempt > it->second.count) return nullptr;
    return &it->second;
  };
  const auto error_body = [](const std::string& message, const std::string& type) {
    return json{
        {"error", {{"message", message}, {"type", type}, {"param", nullptr}, {"code", nullptr}}}}
        .dump();
  };

  if (const auto* d = active("slow")) reply.delay_ms += std::stoi(d->arg.empty() ? "1000" : d->arg);
  if (active("429")) {
    const auto* d = active("429");
    reply.status = 429;
    reply.headers.emplace_back("Retry-After", d->arg.empty() ? "1" : d->arg);
    reply.body = error_body("Rate limit reached for requests", "rate_limit_exceeded");
    return;
  }
  if (const auto* d = active("429ms")) {
    reply.status = 429;
    reply.headers.emplace_back("retry-after-ms", d->arg.empty() ? "100" : d->arg);
    reply.body = error_body("Rate limit reached for tokens", "rate_limit_exceeded");
    return;
  }
  if (active("500")) {
    reply.status = 500;
    reply.body =
        error_body("The server had an error while processing your request", "server_error");
    return;
  }
  if (active("503")) {
    reply.status = 503;
    reply.body =
        R"({"object":"error","message":"The model is overloaded","type":"ServiceUnavailable","param":null,"code":503})";
    return;
  }
  if (active("drop")) {
    reply.drop = true;
    return;
  }
  if (active("badjson")) {
    reply.body = R"({"id": "chatcmpl-1", "choices": [{"message": {"content": "trunc)";
    return;
  }
  if (active("401echo")) {
    reply.status = 401;
    reply.body = error_body("Incorrect API key provided: " + authorization, "invalid_api_key");
    return;
  }
  if (active("400vllm")) {
    reply.status = 400;
    reply.body =
        R"({"object":"error","message":"This model's maximum context length is 32768 tokens","type":"BadRequestError","param":null,"code":400})";
    return;
  }

  // The answer text.
  std::string content;
  std::string reasoning_field;
  std::string finish = "stop";
  // The last pair: prompts may mention the tags in their instructions.
  const auto report_begin = key.rfind("<report>");
  const auto report_end = key.rfind("</report>");
  std::string reference, candidate;
  if (read_green_prompt(key, reference, candidate)) {
    const auto it = options_.green_answers.find({reference, candidate});
    content =
        it != options_.green_answers.end() ? it->second : toy_green_answer(reference, candidate);
  } else if (report_begin != std::string::npos && report_end != std::string::npos &&
             report_begin < report_end) {
    const std::string report = key.substr(report_begin + 8, report_end - report_begin - 8);
    json labels = toy_labels(report, all_text.find("-1") != std::string::npos);
    if (active("missingkey")) labels.erase("Edema");
    if (active("strings")) {
      for (auto& [name, value] : labels.items()) {
        value = value.is_null() ? json("not mentioned")
                                : json(value == 1   ? "yes"
                                       : value == 0 ? "no"
                                                    : "uncertain");
      }
    }
    if (active("keycase")) {
      json renamed = json::object();
      for (auto& [name, value] : labels.items()) {
        std::string k = lower(name);
        std::replace(k.begin(), k.end(), ' ', '_');
        renamed[k] = value;
      }
      labels = renamed;
    }
    if (active("nested")) labels = json{{"labels", labels}};
    content = labels.dump();
    if (active("fence")) content = "Here are the labels:\n```json\n" + labels.dump(2) + "\n```\n";
    if (active("prose")) content = "I am unable to label this report with certainty.";
  } else {
    content = "echo: " + key;
  }
  if (active("think"))
    content = "<think>The report mentions {braces} and findings.</think>\n" + content;
  if (active("orphanthink")) content = "Let me think about it.\n</think>\n\n" + content;
  if (active("reasoningfield")) reasoning_field = "Reasoning about the report.";
  if (active("truncthink")) {
    content = "<think>Considering every observation in turn and";
    finish = "length";
  }

  const std::string model = request.value("model", "unknown");
  const json usage = {{"prompt_tokens", 100}, {"completion_tokens", 20}, {"total_tokens", 120}};
  if (request.value("stream", false)) {
    std::string events;
    const auto event = [&](const json& delta, const json& finish_reason) {
      json choice = {{"index", 0}, {"finish_reason", finish_reason}};
      if (completions) {
        choice["text"] = delta.value("content", "");
      } else {
        choice["delta"] = delta;
      }
      json chunk = {{"id", completions ? "cmpl-test" : "chatcmpl-test"},
                    {"object", completions ? "text_completion" : "chat.completion.chunk"},
                    {"model", model},
                    {"choices", json::array({choice})}};
      events += "data: " + chunk.dump() + "\n\n";
    };
    if (!completions) event({{"role", "assistant"}, {"content", ""}}, nullptr);
    if (!reasoning_field.empty() && !completions) {
      event({{"reasoning_content", reasoning_field}}, nullptr);
    }
    const std::size_t piece = std::max<std::size_t>(1, content.size() / 3 + 1);
    for (std::size_t pos = 0; pos < content.size(); pos += piece) {
      event({{"content", content.substr(pos, piece)}}, nullptr);
    }
    event(json::object(), finish);
    events += "data: " +
              json{{"id", "chatcmpl-test"}, {"choices", json::array()}, {"usage", usage}}.dump() +
              "\n\n";
    events += "data: [DONE]\n\n";
    reply.body = std::move(events);
    reply.content_type = "text/event-stream";
    return;
  }
  if (completions) {
    reply.body = json{
        {"id", "cmpl-test"},
        {"object", "text_completion"},
        {"created", 0},
        {"model", model},
        {"choices",
         {{{"index", 0}, {"text", content}, {"logprobs", nullptr}, {"finish_reason", finish}}}},
        {"usage",
         usage}}.dump();
    return;
  }
  json message = {{"role", "assistant"}, {"content", content}};
  if (!reasoning_field.empty()) message["reasoning_content"] = reasoning_field;
  reply.body = json{
      {"id", "chatcmpl-test"},
      {"object", "chat.completion"},
      {"created", 0},
      {"model", model},
      {"choices", {{{"index", 0}, {"message", message}, {"finish_reason", finish}}}},
      {"usage",
       usage}}.dump();
}

}  // namespace rrg::llmdev
