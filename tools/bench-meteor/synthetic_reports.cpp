// Synthetic report pairs (see synthetic_reports.h). The phrase pools were written for rrg.
#include "synthetic_reports.h"

#include <random>
#include <utility>

namespace rrg::bench {
namespace {

const std::vector<std::string> kSentences{
    "The heart size is normal.",
    "Heart size is top normal.",
    "The cardiac silhouette is enlarged.",
    "Moderate cardiomegaly is unchanged.",
    "The mediastinal and hilar contours are within normal limits.",
    "The mediastinum is not widened.",
    "The lungs are clear.",
    "Lungs are clear without focal consolidation.",
    "There is no pleural effusion or pneumothorax.",
    "No pneumothorax is seen.",
    "Small bilateral pleural effusions are present.",
    "A small left pleural effusion has slightly increased.",
    "Moderate right pleural effusion with adjacent atelectasis.",
    "Mild pulmonary vascular congestion.",
    "There is mild interstitial edema.",
    "Patchy opacity in the right lower lobe may represent pneumonia.",
    "Bibasilar opacities likely reflect atelectasis.",
    "Possible early consolidation in the left base cannot be excluded.",
    "An endotracheal tube terminates 4 cm above the carina.",
    "A nasogastric tube courses below the diaphragm.",
    "Right internal jugular central line tip is in the superior vena cava.",
    "Left PICC line ends in the mid SVC.",
    "Median sternotomy wires are intact.",
    "Degenerative changes of the thoracic spine.",
    "No acute osseous abnormality.",
    "No acute cardiopulmonary process.",
    "Hyperinflated lungs suggest chronic obstructive pulmonary disease.",
    "Calcified granuloma in the right upper lobe.",
    "Interval improvement of the left basilar opacity.",
    "Lines and tubes are in stable position.",
};

// Word substitutions a generator might make: inflections, stems, WordNet synonyms, synonyms
// WordNet does not know.
const std::vector<std::pair<std::string, std::string>> kSwaps{
    {"effusion", "effusions"}, {"effusions", "effusion"},  {"clear", "open"},
    {"enlarged", "large"},     {"normal", "unremarkable"}, {"small", "little"},
    {"opacity", "opacities"},  {"increased", "grown"},     {"lungs", "lung"},
    {"unchanged", "stable"},   {"mild", "minimal"},        {"tube", "tubes"},
    {"terminates", "ends"},    {"is", "appears"},          {"changes", "change"},
    {"moderate", "mild"},      {"likely", "probably"},     {"position", "place"},
};

std::vector<std::string> words_of(const std::string& sentence) {
  std::vector<std::string> words;
  std::string word;
  for (char c : sentence + " ") {
    if (c == ' ') {
      if (!word.empty()) words.push_back(word);
      word.clear();
    } else {
      word += c;
    }
  }
  return words;
}

}  // namespace

std::vector<ReportPair> synthetic_report_pairs(std::size_t count, std::uint32_t seed) {
  std::mt19937 rng(seed);
  const auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  std::vector<ReportPair> pairs;
  pairs.reserve(count);
  for (std::size_t k = 0; k < count; ++k) {
    std::vector<std::string> sentences;
    const std::size_t n = 3 + pick(6);
    for (std::size_t s = 0; s < n; ++s) sentences.push_back(kSentences[pick(kSentences.size())]);
    ReportPair pair;
    for (const auto& s : sentences) pair.reference += (pair.reference.empty() ? "" : " ") + s;

    std::vector<std::string> hyp_sentences;
    for (const auto& s : sentences) {
      const std::size_t roll = pick(10);
      if (roll == 0) continue;                                                       // dropped
      hyp_sentences.push_back(roll == 1 ? kSentences[pick(kSentences.size())] : s);  // replaced
    }
    if (hyp_sentences.size() > 1 && pick(3) == 0) {
      std::swap(hyp_sentences[0], hyp_sentences[pick(hyp_sentences.size())]);
    }
    for (const auto& s : hyp_sentences) {
      for (std::string w : words_of(s)) {
        if (pick(6) == 0) {
          for (const auto& [from, to] : kSwaps) {
            if (w == from) {
              w = to;
              break;
            }
          }
        }
        if (pick(40) == 0) pair.hypothesis += w + " ";  // a repeated word
        pair.hypothesis += w + " ";
      }
    }
    if (!pair.hypothesis.empty()) pair.hypothesis.pop_back();
    pairs.push_back(std::move(pair));
  }
  return pairs;
}

}  // namespace rrg::bench
