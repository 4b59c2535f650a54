// /v1/generate?stream=1: the page's variant of /v1/generate. The study's request is built by the
// generate pipeline (same messages, same image preprocessing, same request fields) and sent with
// "stream": true; each content delta of the LLM server's server-sent events is relayed to the
// browser as it arrives ("event: delta"), then the generate record ("event: record"), or
// "event: error". With an image encoder its fields come first ("event: encoder") and join the
// record. One attempt, no answer cache: the page shows what the model writes now.
// The API key is only ever put in the Authorization header towards the LLM server; error texts
// pass through ApiKey::redact().
#include <curl/curl.h>

#include <chrono>
#include <cmath>

#include "rrg/llm/reasoning.h"
#include "rrg/llm/request.h"
#include "rrg/llm/response.h"
#include "rrg/pipelines/generate_prompt.h"
#include "rrg/pipelines/generate_request.h"
#include "serve_internal.h"

namespace rrg::serve {

std::string sse_event(const std::string& event, const nlohmann::ordered_json& data) {
  return "event: " + event + "\ndata: " + data.dump() + "\n\n";
}

namespace {

// Reads the LLM server's SSE body as it arrives and relays every content delta.
struct Relay {
  httplib::DataSink* sink = nullptr;
  std::string body;        // everything received (parsed once more at the end)
  std::size_t parsed = 0;  // bytes of `body` already split into lines
  bool client_gone = false;

  bool write(const std::string& text) {
    if (!sink->is_writable() || !sink->write(text.data(), text.size())) client_gone = true;
    return !client_gone;
  }

  void on_bytes(const char* data, std::size_t n) {
    body.append(data, n);
    std::size_t end;
    while ((end = body.find('\n', parsed)) != std::string::npos) {
      std::string line = body.substr(parsed, end - parsed);
      parsed = end + 1;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.rfind("data:", 0) != 0) continue;
      const std::string payload = line.substr(line.size() > 5 && line[5] == ' ' ? 6 : 5);
      if (payload == "[DONE]") continue;
      const nlohmann::json chunk = nlohmann::json::parse(payload, nullptr, false);
      if (!chunk.is_object() || !chunk.contains("choices") || !chunk["choices"].is_array() ||
          chunk["choices"].empty()) {
        continue;
      }
      const nlohmann::json& delta = chunk["choices"][0].value("delta", nlohmann::json::object());
      if (delta.is_object() && delta.contains("content") && delta["content"].is_string()) {
        const std::string content = delta["content"].get<std::string>();
        if (!content.empty() &&
            !write(sse_event("delta", nlohmann::ordered_json{{"content", content}})))
          return;
      }
    }
  }
};

std::size_t on_curl_bytes(char* data, std::size_t size, std::size_t n, void* user) {
  auto* relay = static_cast<Relay*>(user);
  relay->on_bytes(data, size * n);
  return relay->client_gone ? 0 : size * n;  // 0 aborts the transfer: nobody is listening
}

}  // namespace

void stream_generation(const pipelines::GenerateOptions& options, const io::Study& study,
                       pipelines::FindingsHintsProvider* hints,
                       const nlohmann::ordered_json& encoder_fields, httplib::Response& response) {
  // Everything that can fail on the upload fails here, before the stream starts (a JSON error).
  const pipelines::GeneratePrompt prompt(options.prompt, hints);
  const nlohmann::json messages = pipelines::build_study_messages(study, prompt, options.images);
  llm::RequestOptions request = options.client.request;
  request.stream = true;
  const std::string body = llm::build_request_body(messages, request).dump();
  const std::string url = llm::chat_completions_url(options.client.base_urls.front());
  const llm::ClientOptions client = options.client;
  const bool keep_reasoning = options.keep_reasoning;

  response.set_chunked_content_provider("text/event-stream", [=](std::size_t,
                                                                 httplib::DataSink& sink) {
    Relay relay;
    relay.sink = &sink;
    // The encoder's probabilities first: the page shows them while the model writes.
    if (!encoder_fields.empty() && !relay.write(sse_event("encoder", encoder_fields))) return false;
    const auto start = std::chrono::steady_clock::now();
    CURL* curl = curl_easy_init();
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Accept: text/event-stream");
    if (!client.api_key.empty()) {
      headers =
          curl_slist_append(headers, ("Authorization: Bearer " + client.api_key.value()).c_str());
    }
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_curl_bytes);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &relay);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(client.connect_timeout_ms));
    if (client.request_timeout_ms > 0) {
      curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(client.request_timeout_ms));
    }
    if (client.read_timeout_ms > 0) {  // silence longer than the read timeout aborts
      curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
      curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME,
                       std::max(1L, static_cast<long>(client.read_timeout_ms / 1000)));
    }
    if (!client.ca_bundle.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, client.ca_bundle.c_str());
    const CURLcode code = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    if (relay.client_gone) return false;
    const double latency_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    std::string error;
    llm::ParsedResponse parsed;
    if (code != CURLE_OK) {
      error = std::string("LLM server ") + url + ": " + curl_easy_strerror(code);
    } else if (status != 200) {
      error = "LLM server " + url + " answered HTTP " + std::to_string(status) + ": " +
              llm::describe_error_body(relay.body);
    } else {
      parsed = llm::parse_chat_stream(relay.body);
      if (parsed.status != llm::ResponseStatus::kOk)
        error = "LLM server " + url + ": " + parsed.error;
      else if (parsed.answer.reasoning_truncated)
        error = "the model ran out of tokens while thinking (raise --max-tokens)";
    }
    nlohmann::ordered_json record;
    record["id"] = study.id;
    record["output"] =
        error.empty() ? nlohmann::ordered_json(parsed.answer.content) : nlohmann::ordered_json();
    record["model"] = parsed.answer.model.empty() ? client.request.model : parsed.answer.model;
    record["images"] = nlohmann::ordered_json::array({"upload"});
    record["finish_reason"] = parsed.answer.finish_reason.empty()
                                  ? nlohmann::ordered_json()
                                  : nlohmann::ordered_json(parsed.answer.finish_reason);
    record["usage"] = parsed.answer.usage.is_null()
                          ? nlohmann::ordered_json()
                          : nlohmann::ordered_json::parse(parsed.answer.usage.dump());
    record["latency_ms"] = std::round(latency_ms * 10.0) / 10.0;
    if (!error.empty()) record["error"] = client.api_key.redact(error);
    if (keep_reasoning && !parsed.answer.reasoning.empty()) {
      record["reasoning"] = parsed.answer.reasoning;
    }
    record.update(encoder_fields);
    const std::string last = "event: record\ndata: " + record.dump() + "\n\n";
    sink.write(last.data(), last.size());
    sink.done();
    return true;
  });
}

}  // namespace rrg::serve
