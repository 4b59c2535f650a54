// The interface every lexical metric implements.
//
// A Scorer turns a TextCorpus (hypotheses with their references, already preprocessed the way
// its family's convention says) into corpus-level and per-sample values for one or more metric
// keys. Scorers are stateless after construction and may be called from several threads.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "rrg/metrics/signature.h"

namespace rrg::metrics {

struct TextCorpus {
  std::vector<std::string> hypotheses;
  // references[i] holds one or more references for hypotheses[i] (an empty string is a valid,
  // empty reference).
  std::vector<std::vector<std::string>> references;

  std::size_t size() const { return hypotheses.size(); }
};

struct MetricScores {
  std::vector<std::string> names;               // metric keys, e.g. {"Bleu_1", ..., "Bleu_4"}
  std::vector<double> corpus;                   // corpus[k]: corpus-level value of names[k]
  std::vector<std::vector<double>> per_sample;  // per_sample[k][i]: value of names[k] on sample i
  std::vector<Signature> signatures;            // signatures[k]: how names[k] was computed
};

class Scorer {
 public:
  virtual ~Scorer() = default;

  // The metric keys this scorer produces, in output order.
  virtual std::vector<std::string> names() const = 0;

  // Scores a whole corpus. An empty corpus yields zeros and no per-sample values.
  virtual MetricScores score(const TextCorpus& corpus) const = 0;
};

}  // namespace rrg::metrics
