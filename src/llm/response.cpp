// Chat Completions response parsing (see response.h).
#include "rrg/llm/response.h"

#include "rrg/llm/reasoning.h"

namespace rrg::llm {
namespace {

std::string string_field(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

// Message content may be a string, null, or an array of parts ({"type": "text", "text"}).
std::string content_text(const nlohmann::json& content) {
  if (content.is_string()) return content.get<std::string>();
  std::string out;
  if (content.is_array()) {
    for (const auto& part : content) {
      if (part.is_string()) {
        out += part.get<std::string>();
      } else if (part.is_object()) {
        out += string_field(part, "text");
      }
    }
  }
  return out;
}

std::string printable_prefix(std::string_view text, std::size_t limit) {
  std::string out;
  for (std::size_t i = 0; i < text.size() && i < limit; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      out += "\\n";
    } else if (c < 0x20 || c == 0x7f) {
      out += ' ';
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  if (text.size() > limit) out += "...";
  return out;
}

// The error description when `body` is one of the known error shapes, else "".
std::string error_from_json(const nlohmann::json& body) {
  if (!body.is_object()) return "";
  nlohmann::json error;
  if (const auto it = body.find("error"); it != body.end() && !it->is_null()) {
    if (it->is_string()) return it->get<std::string>();
    error = *it;
  } else if (string_field(body, "object") == "error") {
    error = body;
  } else {
    return "";
  }
  if (!error.is_object()) return error.dump();
  std::string message = string_field(error, "message");
  std::string kind = string_field(error, "code");
  if (kind.empty()) kind = string_field(error, "type");
  if (kind.empty() && error.contains("code") && error["code"].is_number()) {
    kind = error["code"].dump();
  }
  std::string out = kind.empty() ? message : kind + ": " + message;
  if (const auto param = string_field(error, "param"); !param.empty()) {
    out += " (param: " + param + ")";
  }
  return out.empty() ? error.dump() : out;
}

void finish_answer(ChatAnswer& answer, const std::string& raw_content,
                   const std::string& field_reasoning) {
  SplitAnswer split = split_reasoning(raw_content);
  answer.content = std::move(split.content);
  answer.reasoning = field_reasoning;
  if (!split.reasoning.empty()) {
    if (!answer.reasoning.empty()) answer.reasoning += "\n\n";
    answer.reasoning += split.reasoning;
  }
  // Thinking cut off by the token limit: an unclosed <think>, or reasoning with no answer.
  answer.reasoning_truncated =
      split.truncated ||
      (answer.finish_reason == "length" && answer.content.empty() && !answer.reasoning.empty());
}

}  // namespace

std::string describe_error_body(std::string_view body) {
  const auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!json.is_discarded()) {
    if (auto text = error_from_json(json); !text.empty()) return printable_prefix(text, 500);
  }
  if (body.empty()) return "empty body";
  return "body: " + printable_prefix(body, 200);
}

ParsedResponse parse_chat_response(std::string_view body) {
  ParsedResponse out;
  const auto first = body.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos &&
      (body.substr(first, 5) == "data:" || body.substr(first, 6) == "event:" ||
       body[first] == ':')) {
    return parse_chat_stream(body);
  }
  const auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) {
    out.error = "the server's response is not valid JSON (" + describe_error_body(body) + ")";
    return out;
  }
  if (auto error = error_from_json(json); !error.empty()) {
    out.status = ResponseStatus::kServerError;
    out.error = error;
    return out;
  }
  const auto choices = json.find("choices");
  if (choices == json.end() || !choices->is_array() || choices->empty() ||
      !(*choices)[0].is_object()) {
    out.error = "the server's response has no choices (" + describe_error_body(body) + ")";
    return out;
  }
  const auto& choice = (*choices)[0];
  out.answer.finish_reason = string_field(choice, "finish_reason");
  out.answer.model = string_field(json, "model");
  if (const auto usage = json.find("usage"); usage != json.end()) out.answer.usage = *usage;
  const auto message = choice.find("message");
  if (message == choice.end() || !message->is_object()) {
    // A Completions answer carries its text in choices[0].text.
    if (const auto text = choice.find("text"); text != choice.end() && text->is_string()) {
      finish_answer(out.answer, text->get<std::string>(), "");
      out.status = ResponseStatus::kOk;
      return out;
    }
    out.error = "the server's response has no choices[0].message (nor choices[0].text)";
    return out;
  }
  std::string reasoning = string_field(*message, "reasoning_content");
  if (reasoning.empty()) reasoning = string_field(*message, "reasoning");
  const auto content = message->find("content");
  finish_answer(out.answer, content != message->end() ? content_text(*content) : "", reasoning);
  out.status = ResponseStatus::kOk;
  return out;
}

ParsedResponse parse_chat_stream(std::string_view body) {
  ParsedResponse out;
  std::string content;
  std::string reasoning;
  bool any_chunk = false;
  bool done = false;
  std::size_t pos = 0;
  while (pos < body.size() && !done) {
    auto end = body.find('\n', pos);
    if (end == std::string_view::npos) end = body.size();
    std::string_view line = body.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.substr(0, 5) != "data:") continue;  // comments, event:, id:, blank separators
    line.remove_prefix(5);
    if (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    if (line == "[DONE]") {
      done = true;
      break;
    }
    const auto chunk = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (chunk.is_discarded() || !chunk.is_object()) {
      out.error = "the server sent a stream event that is not valid JSON (" +
                  describe_error_body(line) + ")";
      return out;
    }
    if (auto error = error_from_json(chunk); !error.empty()) {
      out.status = ResponseStatus::kServerError;
      out.error = error;
      return out;
    }
    any_chunk = true;
    if (const auto model = string_field(chunk, "model"); !model.empty()) out.answer.model = model;
    if (const auto usage = chunk.find("usage"); usage != chunk.end() && !usage->is_null()) {
      out.answer.usage = *usage;
    }
    const auto choices = chunk.find("choices");
    if (choices == chunk.end() || !choices->is_array() || choices->empty()) continue;
    const auto& choice = (*choices)[0];
    if (const auto reason = string_field(choice, "finish_reason"); !reason.empty()) {
      out.answer.finish_reason = reason;
    }
    // Completions streams carry their pieces in choices[0].text.
    if (const auto text = choice.find("text"); text != choice.end() && text->is_string()) {
      content += text->get<std::string>();
    }
    const auto delta = choice.find("delta");
    if (delta == choice.end() || !delta->is_object()) continue;
    if (const auto part = delta->find("content"); part != delta->end()) {
      content += content_text(*part);
    }
    auto thinking = string_field(*delta, "reasoning_content");
    if (thinking.empty()) thinking = string_field(*delta, "reasoning");
    reasoning += thinking;
  }
  if (!any_chunk) {
    out.error =
        "the server's event stream holds no data events (" + describe_error_body(body) + ")";
    return out;
  }
  if (!done && out.answer.finish_reason.empty()) {
    out.error = "the server's event stream ended early (no finish_reason and no [DONE])";
    return out;
  }
  finish_answer(out.answer, content, reasoning);
  out.status = ResponseStatus::kOk;
  return out;
}

}  // namespace rrg::llm
