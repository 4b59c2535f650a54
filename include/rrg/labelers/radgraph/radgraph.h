// The RadGraph extractor: reports in, RadGraph annotations (rrg/metrics/radgraph/graph.h) out,
// from the published checkpoints as users have them (`radgraph.tar.gz`, `radgraph-xl.tar.gz`:
// AllenNLP archives holding config.json, weights.th and vocabulary/), or their extracted folder.
//
// The torch-free half lives here: reading the archive, RadGraph's text preprocessing, word
// pieces per word, length-sorted batches, decoding the span scores into entities and relations
// exactly as the `radgraph` package's make_output_human_readable + postprocess_reports do, and
// the SQLite cache per (checkpoint digest, text). The network runs in the libtorch module (model
// kind "radgraph", rrg/core/torch_module_abi.h). See docs/radgraph.md, "The extractor".
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "rrg/metrics/radgraph/graph.h"

namespace rrg::labelers::radgraph {

// How the report text is cut into words, as radgraph.utils.preprocess_reports does per model:
// kRadGraph (model_type "radgraph"): spaces around / , : . ! ? ( ) then str.split();
// kRadGraphXl (every other model type, including "echograph", whose branch the package never
// reaches): RadGraph-XL's escape replacements, whitespace runs to one space, NLTK
// wordpunct_tokenize (\w+|[^\w\s]+), then the ")." "%." ".'" "%," "%)" splits.
enum class Preprocessing { kRadGraph, kRadGraphXl };

// The words the model sees for `text` (an empty text counts as "None", as the package does).
std::vector<std::string> preprocess_words(const std::string& text, Preprocessing preprocessing);

// What the archive's config.json and vocabulary/ say.
struct CheckpointInfo {
  std::string source;        // the archive or folder given
  std::string weights_path;  // weights.th (extracted to a temporary folder for archives)
  std::string dataset;       // the vocabulary's dataset prefix ("radgraph", "radgraph-xl")
  std::vector<std::string> ner_labels;       // index -> label; [0] is the null label ""
  std::vector<std::string> relation_labels;  // index -> label (no null label)
  int max_span_width = 8;
  double spans_per_word = 0.5;
  int max_length = 512;           // word pieces per encoder segment, [CLS] and [SEP] included
  std::string encoder_name;       // the HF model name the tokenizer comes from
  std::string config_json;        // config.json as written
  std::string vocabulary_digest;  // SHA-256 of the label files
};

// Reads `path` (a .tar.gz / .tgz / .tar archive, or a folder with config.json, weights.th and
// vocabulary/). An archive's weights.th is written to `scratch_dir` (skipped when it is "":
// weights_path stays empty). Throws rrg::InputError naming the file and the problem.
CheckpointInfo read_checkpoint(const std::string& path, const std::string& scratch_dir);

// The per-span outputs of the network for one report, as the "radgraph" model kind returns them.
struct SpanScores {
  int words = 0;
  std::vector<float> ner;  // [spans, ner_labels], column 0 = the null label (0)
  int ner_labels = 0;
  std::vector<int> top;          // kept spans, ascending span indices
  std::vector<float> relations;  // [top, top, relation_labels + 1], column 0 = null (0)
};

// The spans DyGIE enumerates for `words` words: (start, end) inclusive, by start then end.
std::vector<std::pair<int, int>> enumerate_spans(int words, int max_span_width);

// Decodes one report: argmax per span (null -> no entity), argmax per kept pair, then the
// package's get_entity numbering ("1", "2", ... in span order; a relation's target is the first
// entity with the target span, relations of non-entity spans and to non-entities dropped).
metrics::radgraph::Graph decode_graph(const std::vector<std::string>& words,
                                      const SpanScores& scores, const CheckpointInfo& info);

struct RadGraphOptions {
  std::string checkpoint;     // archive or folder
  std::string tokenizer_dir;  // folder with the encoder's vocab.txt; "" = search (see docs)
  int threads = 0;            // intra-op threads of the module; 0 = libtorch's default
  int batch_size = 8;         // reports per forward pass (length-sorted)
  // The encoder's linear layers in int8 (dynamic quantisation, as --chexbert-int8): faster,
  // scores within quantisation error of fp32, so a few near-tie graphs may differ; part of the
  // extractor's description (signatures, cache keys).
  bool int8 = false;
  std::string cache_path;  // "" = io::default_cache_path()
  bool no_cache = false;
  std::string scratch_dir;  // "" = the system temporary folder
};

// Loads the checkpoint and the model lazily on the first extract(). Throws rrg::InputError for
// an unusable checkpoint or tokenizer.
std::unique_ptr<metrics::radgraph::GraphExtractor> make_radgraph_extractor(
    const RadGraphOptions& options);

}  // namespace rrg::labelers::radgraph
