// rrg-bertscore-dev: a developer program that runs rrg's BERTScore library
// (rrg/metrics/bertscore/bertscore.h) on two JSONL files, until `rrg evaluate --metrics
// BERTScore` is wired; scripts/bench_bertscore.sh drives it.
//
//   rrg-bertscore-dev --model DIR --pred P.jsonl --ref R.jsonl [--out scores.json]
//       [--model-name NAME] [--layer L] [--idf] [--rescale] [--baseline FILE] [--int8]
//       [--threads N] [--batch-size N] [--cache FILE | --no-cache]
//
// Lines are {"report": "..."} (or {"references": [...]} on the reference side), paired by line
// number. Prints the corpus values, signatures and the scorer's summary on stderr; --out writes
// {"P", "R", "F1", "reference", "corpus", "signatures", "warnings", "stats"}.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "rrg/core/errors.h"
#include "rrg/metrics/bertscore/bertscore.h"

namespace {

using rrg::metrics::bertscore::BertScoreOptions;
using rrg::metrics::bertscore::BertScorer;

std::vector<std::vector<std::string>> read_jsonl(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw rrg::InputError(path + ": cannot be read");
  std::vector<std::vector<std::string>> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto j = nlohmann::json::parse(line);
    if (j.contains("references")) {
      out.push_back(j["references"].get<std::vector<std::string>>());
    } else {
      out.push_back({j.at("report").get<std::string>()});
    }
  }
  return out;
}

int run(int argc, char** argv) {
  BertScoreOptions o;
  std::string pred, ref, out;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw rrg::InputError(a + " needs a value");
      return argv[++i];
    };
    if (a == "--model")
      o.model_dir = value();
    else if (a == "--model-name")
      o.model_name = value();
    else if (a == "--pred")
      pred = value();
    else if (a == "--ref")
      ref = value();
    else if (a == "--out")
      out = value();
    else if (a == "--layer")
      o.layer = std::stoi(value());
    else if (a == "--idf")
      o.idf = true;
    else if (a == "--rescale")
      o.rescale = true;
    else if (a == "--baseline")
      o.baseline_file = value();
    else if (a == "--int8")
      o.int8 = true;
    else if (a == "--threads")
      o.threads = std::stoi(value());
    else if (a == "--batch-size")
      o.batch_size = std::stoi(value());
    else if (a == "--cache")
      o.cache_path = value();
    else if (a == "--no-cache")
      o.no_cache = true;
    else
      throw rrg::InputError("unknown argument " + a);
  }
  const auto hyps_lists = read_jsonl(pred);
  const auto refs = read_jsonl(ref);
  std::vector<std::string> hyps;
  for (const auto& h : hyps_lists) hyps.push_back(h.front());
  BertScorer scorer(o);
  const auto result = scorer.score(hyps, refs);
  for (const auto& w : result.warnings) std::cerr << "Warning: " << w << "\n";
  const auto sigs = scorer.signatures();
  std::cerr << "BERTScore_P " << result.precision << "\nBERTScore_R " << result.recall
            << "\nBERTScore_F1 " << result.f1 << "\n";
  for (const auto& s : sigs) std::cerr << s.format() << "\n";
  std::cerr << scorer.summary() << "\n";
  if (!out.empty()) {
    nlohmann::json j;
    for (const auto& s : result.samples) {
      j["P"].push_back(s.precision);
      j["R"].push_back(s.recall);
      j["F1"].push_back(s.f1);
      j["reference"].push_back(s.reference);
    }
    j["corpus"] = {{"BERTScore_P", result.precision},
                   {"BERTScore_R", result.recall},
                   {"BERTScore_F1", result.f1}};
    for (const auto& s : sigs) j["signatures"].push_back(s.format());
    j["warnings"] = result.warnings;
    const auto& st = scorer.stats();
    j["stats"] = {{"texts", st.texts},
                  {"from_cache", st.from_cache},
                  {"computed", st.computed},
                  {"batches", st.batches},
                  {"pairs", st.pairs},
                  {"pairs_from_cache", st.pairs_from_cache},
                  {"model_load_seconds", st.model_load_seconds},
                  {"model_seconds", st.model_seconds},
                  {"matching_seconds", st.matching_seconds}};
    std::ofstream(out) << j.dump() << "\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const rrg::InputError& e) {
    std::cerr << "rrg-bertscore-dev: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "rrg-bertscore-dev: " << e.what() << "\n";
    return 1;
  }
}
