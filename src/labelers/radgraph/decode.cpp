// From span scores to RadGraph's annotation, as DyGIE's NERTagger.predict,
// RelationExtractor._predict_sentence and radgraph.utils.get_entity produce it (written as JSON by
// rrg/metrics/radgraph/graph_json.h).

#include "rrg/labelers/radgraph/radgraph.h"

namespace rrg::labelers::radgraph {
namespace {

// torch.max's index: the first of equal maxima.
int argmax(const float* row, int n) {
  int best = 0;
  for (int i = 1; i < n; ++i) {
    if (row[i] > row[best]) best = i;
  }
  return best;
}

}  // namespace

std::vector<std::pair<int, int>> enumerate_spans(int words, int max_span_width) {
  std::vector<std::pair<int, int>> spans;
  for (int s = 0; s < words; ++s) {
    for (int e = s; e < words && e < s + max_span_width; ++e) spans.emplace_back(s, e);
  }
  return spans;
}

metrics::radgraph::Graph decode_graph(const std::vector<std::string>& words,
                                      const SpanScores& scores, const CheckpointInfo& info) {
  metrics::radgraph::Graph graph;
  for (const std::string& w : words) {
    if (!graph.text.empty()) graph.text.push_back(' ');
    graph.text += w;
  }
  const auto spans = enumerate_spans(static_cast<int>(words.size()), info.max_span_width);
  struct Ner {
    int start, end;
    std::string label;
  };
  std::vector<Ner> ner;
  for (std::size_t i = 0; i < spans.size(); ++i) {
    const int label = argmax(scores.ner.data() + i * scores.ner_labels, scores.ner_labels);
    if (label != 0) ner.push_back({spans[i].first, spans[i].second, info.ner_labels.at(label)});
  }
  struct Rel {
    std::pair<int, int> subject, object;
    std::string label;
  };
  std::vector<Rel> relations;
  const int k = static_cast<int>(scores.top.size());
  const int r = static_cast<int>(info.relation_labels.size()) + 1;
  for (int i = 0; i < k; ++i) {
    for (int j = 0; j < k; ++j) {
      const int label =
          argmax(scores.relations.data() + (static_cast<std::size_t>(i) * k + j) * r, r);
      if (label == 0) continue;
      relations.push_back({spans[scores.top[i]], spans[scores.top[j]],
                           info.relation_labels.at(static_cast<std::size_t>(label - 1))});
    }
  }
  // get_entity: keys "1".."n" in NER order; a relation belongs to the entity whose span is its
  // subject and points to the first entity with its object span (else it is dropped).
  for (std::size_t n = 0; n < ner.size(); ++n) {
    metrics::radgraph::Entity e;
    e.key = std::to_string(n + 1);
    e.label = ner[n].label;
    e.start_ix = ner[n].start;
    e.end_ix = ner[n].end;
    for (int w = ner[n].start; w <= ner[n].end; ++w) {
      if (w > ner[n].start) e.tokens.push_back(' ');
      e.tokens += words[static_cast<std::size_t>(w)];
    }
    for (const Rel& rel : relations) {
      if (rel.subject != std::make_pair(ner[n].start, ner[n].end)) continue;
      for (std::size_t m = 0; m < ner.size(); ++m) {
        if (ner[m].start == rel.object.first && ner[m].end == rel.object.second) {
          e.relations.push_back({rel.label, std::to_string(m + 1)});
          break;
        }
      }
    }
    graph.entities.push_back(std::move(e));
  }
  return graph;
}

}  // namespace rrg::labelers::radgraph
