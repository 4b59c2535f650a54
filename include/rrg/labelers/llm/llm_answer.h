// Turning an LLM's answer into CheXpert labels, robustly.
//
// Models wrap JSON in prose or ```json fences, spell keys in their own way ("pleural_effusion",
// "PLEURAL EFFUSION"), nest the object ({"labels": {...}}) and answer "yes"/"present" instead of
// 1. The parser takes the first balanced `{...}` that is valid JSON, matches keys after
// lower-casing and dropping everything but letters and digits, and accepts these values:
//   1, true, "1", "yes", "present", "positive", "true"                    -> positive
//   0, false, "0", "no", "absent", "negative", "false"                    -> negative
//   -1, "-1", "uncertain", "possible", "probable", "maybe", "equivocal"   -> uncertain
//   null, "", "null", "none", "blank", "not mentioned", "n/a", "na"       -> not mentioned
// Under the `binary` scheme (U-zeros: only a stated finding is positive) uncertain and not
// mentioned become 0; under `chexpert4` they stay -1 and blank, as CheXbert writes them.
// A missing observation or an unparsable answer is an error naming what is wrong — never a
// silent 0.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "rrg/labelers/vocabulary.h"

namespace rrg::labelers {

enum class LabelScheme {
  kBinary,     // 1/0 per observation (the original toolkit's U-zeros task)
  kChexpert4,  // 1/0/-1/blank, comparable with CheXbert
};

// "binary", "chexpert4".
std::string_view label_scheme_name(LabelScheme scheme);

// Parses a --label-scheme value; throws rrg::InputError naming the valid values.
LabelScheme parse_label_scheme(std::string_view name);

// JSON schema of a valid answer (an object with the 14 observation names as required keys),
// for structured output.
nlohmann::json label_answer_schema(LabelScheme scheme);

// The first balanced {...} in `text` that parses as a JSON object, or std::nullopt.
std::optional<std::string_view> first_json_object(std::string_view text);

struct ParsedLabels {
  bool ok = false;
  LabelRow labels = blank_row();
  std::string error;  // when !ok, e.g. `no value for "Edema"`
};

ParsedLabels parse_label_answer(std::string_view answer, LabelScheme scheme);

}  // namespace rrg::labelers
