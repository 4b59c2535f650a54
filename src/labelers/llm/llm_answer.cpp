// Parsing LLM label answers (see llm_answer.h).
#include "rrg/labelers/llm/llm_answer.h"

#include <cctype>
#include <cmath>

#include "rrg/core/errors.h"

namespace rrg::labelers {
namespace {

// Lower-case letters and digits only: "Pleural_Effusion " -> "pleuraleffusion".
std::string key_form(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c)) out.push_back(static_cast<char>(std::tolower(c)));
  }
  return out;
}

std::string lower_trim(std::string_view text) {
  std::string out;
  for (unsigned char c : text) out.push_back(static_cast<char>(std::tolower(c)));
  const auto first = out.find_first_not_of(" \t\r\n.");
  if (first == std::string::npos) return "";
  const auto last = out.find_last_not_of(" \t\r\n.");
  return out.substr(first, last - first + 1);
}

// Reads one value; std::nullopt when it is not a recognised label.
std::optional<Label> read_value(const nlohmann::json& value) {
  if (value.is_null()) return Label::kBlank;
  if (value.is_boolean()) return value.get<bool>() ? Label::kPositive : Label::kNegative;
  if (value.is_number()) {
    const double number = value.get<double>();
    if (number == 1.0) return Label::kPositive;
    if (number == 0.0) return Label::kNegative;
    if (number == -1.0) return Label::kUncertain;
    return std::nullopt;
  }
  if (value.is_string()) {
    const std::string text = lower_trim(value.get_ref<const std::string&>());
    for (const char* word : {"1", "1.0", "yes", "present", "positive", "true"}) {
      if (text == word) return Label::kPositive;
    }
    for (const char* word : {"0", "0.0", "no", "absent", "negative", "false"}) {
      if (text == word) return Label::kNegative;
    }
    for (const char* word :
         {"-1", "-1.0", "uncertain", "possible", "probable", "maybe", "equivocal"}) {
      if (text == word) return Label::kUncertain;
    }
    for (const char* word : {"", "null", "none", "blank", "not mentioned", "n/a", "na"}) {
      if (text == word) return Label::kBlank;
    }
  }
  return std::nullopt;
}

// How many observation names occur among the object's keys.
std::size_t observation_keys(const nlohmann::json& object) {
  std::size_t found = 0;
  for (const auto& [key, value] : object.items()) {
    const std::string form = key_form(key);
    for (const auto name : kObservationNames) {
      if (form == key_form(name)) {
        ++found;
        break;
      }
    }
  }
  return found;
}

std::string shown(std::string_view text) {
  constexpr std::size_t kLimit = 300;
  std::string out(text.substr(0, kLimit));
  if (text.size() > kLimit) out += "...";
  return out;
}

}  // namespace

std::string_view label_scheme_name(LabelScheme scheme) {
  return scheme == LabelScheme::kChexpert4 ? "chexpert4" : "binary";
}

LabelScheme parse_label_scheme(std::string_view name) {
  if (name == "binary") return LabelScheme::kBinary;
  if (name == "chexpert4") return LabelScheme::kChexpert4;
  throw InputError("unknown label scheme '" + std::string(name) +
                   "' (expected binary, the 1/0 U-zeros task, or chexpert4, 1/0/-1/blank)");
}

nlohmann::json label_answer_schema(LabelScheme scheme) {
  nlohmann::json value =
      scheme == LabelScheme::kBinary
          ? nlohmann::json{{"type", "integer"}, {"enum", {1, 0}}}
          : nlohmann::json{{"type", {"integer", "null"}}, {"enum", {1, 0, -1, nullptr}}};
  nlohmann::json properties = nlohmann::json::object();
  nlohmann::json required = nlohmann::json::array();
  for (const auto name : kObservationNames) {
    properties[std::string(name)] = value;
    required.push_back(std::string(name));
  }
  return {{"type", "object"},
          {"properties", properties},
          {"required", required},
          {"additionalProperties", false}};
}

std::optional<std::string_view> first_json_object(std::string_view text) {
  for (std::size_t start = text.find('{'); start != std::string_view::npos;
       start = text.find('{', start + 1)) {
    int depth = 0;
    bool in_string = false;
    bool escaped = false;
    for (std::size_t i = start; i < text.size(); ++i) {
      const char c = text[i];
      if (in_string) {
        if (escaped) {
          escaped = false;
        } else if (c == '\\') {
          escaped = true;
        } else if (c == '"') {
          in_string = false;
        }
        continue;
      }
      if (c == '"') {
        in_string = true;
      } else if (c == '{') {
        ++depth;
      } else if (c == '}' && --depth == 0) {
        const auto candidate = text.substr(start, i - start + 1);
        const auto parsed = nlohmann::json::parse(candidate, nullptr, /*allow_exceptions=*/false);
        if (!parsed.is_discarded() && parsed.is_object()) return candidate;
        break;  // balanced but not JSON: try the next '{'
      }
    }
  }
  return std::nullopt;
}

ParsedLabels parse_label_answer(std::string_view answer, LabelScheme scheme) {
  ParsedLabels out;
  const auto object_text = first_json_object(answer);
  if (!object_text) {
    out.error = "the answer holds no JSON object; raw answer: \"" + shown(answer) + "\"";
    return out;
  }
  nlohmann::json object = nlohmann::json::parse(*object_text);
  // Accept one level of nesting ({"labels": {...}}) when the top level has no observation keys.
  if (observation_keys(object) == 0) {
    for (const auto& [key, value] : object.items()) {
      if (value.is_object() && observation_keys(value) > 0) {
        object = value;
        break;
      }
    }
  }
  std::string missing;
  std::string invalid;
  for (std::size_t i = 0; i < kNumObservations; ++i) {
    const std::string wanted = key_form(kObservationNames[i]);
    const nlohmann::json* found = nullptr;
    for (const auto& [key, value] : object.items()) {
      if (key_form(key) == wanted) {
        found = &value;
        break;
      }
    }
    if (found == nullptr) {
      missing += (missing.empty() ? "\"" : ", \"") + std::string(kObservationNames[i]) + "\"";
      continue;
    }
    const auto label = read_value(*found);
    if (!label) {
      invalid +=
          (invalid.empty() ? "" : ", ") + std::string(kObservationNames[i]) + ": " + found->dump();
      continue;
    }
    Label value = *label;
    if (scheme == LabelScheme::kBinary && value != Label::kPositive) value = Label::kNegative;
    out.labels[i] = value;
  }
  if (!missing.empty() || !invalid.empty()) {
    out.labels = blank_row();
    if (!missing.empty()) out.error = "the answer has no value for " + missing;
    if (!invalid.empty()) {
      out.error +=
          (out.error.empty() ? "" : "; ") + std::string("unrecognised values (") + invalid + ")";
    }
    out.error += "; raw answer: \"" + shown(answer) + "\"";
    return out;
  }
  out.ok = true;
  return out;
}

}  // namespace rrg::labelers
