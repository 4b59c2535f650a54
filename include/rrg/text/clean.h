// Report cleaners: the text normalisations that evaluation conventions apply before scoring.
//
// Each cleaner reproduces one Python function exactly (same regex semantics, Python's Unicode
// whitespace and str.lower()), because a cleaner that differs by one character changes BLEU:
//   "seed"        the original rrg toolkit's clean_report (evaluate_nlg.py), applied to both
//                 sides of the seed metrics (NLTK BLEU/METEOR, rouge-score ROUGE-L);
//   "r2gen-iu"    R2Gen's Tokenizer.clean_report_iu_xray (cuhksz-nlp/R2Gen modules/tokenizers.py);
//   "r2gen-mimic" R2Gen's Tokenizer.clean_report_mimic_cxr (same file);
//   "none"        the text unchanged.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rrg::text {

// The seed toolkit's clean_report: drops <think>...</think> blocks (across lines), the chat
// markers <|im_end|> and <|im_start|>, unwraps **bold**, removes markdown header marks (`# `) and
// list bullets (`- `, `* `, `• `) at line starts, then collapses whitespace runs to one space and
// trims. See clean.cpp for the exact regex semantics and how they were established.
std::string seed_clean_report(std::string_view text);

// R2Gen's clean_report_iu_xray: lower-cased sentences split on ". ", punctuation removed,
// rejoined as "s1 . s2 ." (an empty text becomes " .").
std::string r2gen_clean_iu_xray(std::string_view text);

// R2Gen's clean_report_mimic_cxr: clean_report_iu_xray plus newline, "__" and double-space
// normalisation first.
std::string r2gen_clean_mimic_cxr(std::string_view text);

using CleanFunction = std::string (*)(std::string_view);

struct Cleaner {
  const char* name;         // "none", "seed", "r2gen-iu", "r2gen-mimic"
  const char* description;  // one line for help texts
  CleanFunction clean;
};

// Every cleaner, in the order above.
const std::vector<Cleaner>& cleaners();

// The cleaner called `name`. Throws rrg::InputError naming the known cleaners when there is none.
const Cleaner& find_cleaner(std::string_view name);

}  // namespace rrg::text
