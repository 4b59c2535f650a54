// The scoring flags (see scoring_flags.h).
#include "scoring_flags.h"

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <optional>

#include "radgraph_flags.h"
#include "rrg/core/errors.h"
#include "rrg/io/hf_model_folder.h"
#include "rrg/metrics/green/green_metric.h"
#include "rrg/metrics/registry.h"
#include "rrg/text/clean.h"

namespace rrg::cli {

void add_scoring_flags(CLI::App& cmd, ScoringFlags& flags) {
  cmd.add_option("--metrics", flags.metrics,
                 "Comma-separated metric keys, scorer ids or families (default: all that the "
                 "labeler allows); see --list-metrics")
      ->type_name("LIST")
      ->delimiter(',');
  cmd.add_option("--clean", flags.clean,
                 "Cleaner for the coco family: none, r2gen-iu, r2gen-mimic (R2Gen's clean_report)")
      ->type_name("NAME")
      ->capture_default_str();
  cmd.add_flag("--no-clean", flags.no_clean,
               "Seed and clinical families: do not apply the original toolkit's clean_report");
  cmd.add_option("--wordnet-dir", flags.wordnet_dir,
                 "WordNet 3.0 database for METEOR (default: $RRG_WORDNET_DIR, then "
                 "/usr/share/wordnet from Debian's wordnet-base)")
      ->type_name("DIR");
  cmd.add_option("--threads", flags.threads,
                 "Threads for cleaning, scoring and the rules labeler (default: 0 = every core); "
                 "no number depends on it")
      ->type_name("N")
      ->capture_default_str();
  cmd.add_flag("--list-metrics", flags.list_metrics,
               "List every metric, scorer and family, then exit");

  const std::string green = "GREEN metric (docs/green.md; other server flags: LLM server)";
  cmd.add_option("--green-base-url", flags.green_base_urls,
                 "GREEN judge server base URL, e.g. http://127.0.0.1:8000/v1 (repeatable; "
                 "default: --base-url). Configures GREEN: 'all' then includes it")
      ->type_name("URL")
      ->group(green);
  cmd.add_option("--green-model", flags.green_model,
                 "the judge model the server serves, e.g. StanfordAIMI/GREEN-radllama2-7b "
                 "(default: --model)")
      ->type_name("NAME")
      ->group(green);
  cmd.add_option("--green-endpoint", flags.green_endpoint,
                 "chat (/chat/completions, the server's chat template) or completions (a plain "
                 "prompt)")
      ->type_name("NAME")
      ->check(CLI::IsMember({"chat", "completions"}))
      ->capture_default_str()
      ->group(green);
  cmd.add_option("--green-chat-template", flags.green_chat_template,
                 "green = GREEN's own template; FILE = a Jinja template (chat) or a text with "
                 "{prompt} (completions); default: none")
      ->type_name("green|FILE")
      ->group(green);
  cmd.add_option("--green-parser", flags.green_parser,
                 "whose answer parsing: green (Stanford-AIMI/GREEN) or radeval (RadEval's copy)")
      ->type_name("NAME")
      ->check(CLI::IsMember({"green", "radeval"}))
      ->capture_default_str()
      ->group(green);

  const std::string bert = "BERTScore metric (docs/bertscore.md)";
  cmd.add_option("--bertscore-model", flags.bertscore_model,
                 "Hugging Face model folder (config.json, model.safetensors or "
                 "pytorch_model.bin, vocab.txt or vocab.json + merges.txt); default: "
                 "$RRG_BERTSCORE_MODEL. Configures BERTScore: 'all' then includes it")
      ->type_name("DIR")
      ->group(bert);
  cmd.add_option("--bertscore-model-name", flags.bertscore_model_name,
                 "name for bert_score's layer table and baselines, e.g. roberta-large (default: "
                 "config.json's _name_or_path, else the folder's name)")
      ->type_name("NAME")
      ->group(bert);
  cmd.add_option("--bertscore-layer", flags.bertscore_layer,
                 "hidden_states[L] (default: bert_score's table, e.g. roberta-large 17)")
      ->type_name("L")
      ->group(bert);
  cmd.add_flag("--bertscore-idf", flags.bertscore_idf,
               "weight tokens by idf over the references (bert_score's idf=True)")
      ->group(bert);
  cmd.add_flag("--bertscore-rescale", flags.bertscore_rescale,
               "rescale with bert_score's baseline for the model and layer")
      ->group(bert);
  cmd.add_option("--bertscore-baseline", flags.bertscore_baseline,
                 "baseline file (LAYER,P,R,F rows) for --bertscore-rescale instead of the "
                 "shipped one")
      ->type_name("FILE")
      ->group(bert);
  cmd.add_option("--bertscore-batch-size", flags.bertscore_batch_size,
                 "bert_score's batch_size (pairs per matching batch; it decides padding)")
      ->type_name("N")
      ->capture_default_str()
      ->group(bert);
  cmd.add_flag("--bertscore-int8", flags.bertscore_int8,
               "run the encoder's linear layers in int8 (scores within ~0.005 of fp32); "
               "threads: --chexbert-threads")
      ->group(bert);

  add_radgraph_flags(cmd, flags.radgraph);
  const std::string radcliq = "RadCliQ-v1 (docs/radgraph.md)";
  cmd.add_option("--radcliq-radgraph-model", flags.radcliq_radgraph_model,
                 "the RadGraph checkpoint of RadGraph_radcliq and RadCliQ-v1 when it differs from "
                 "--radgraph-model (RadEval: radgraph.tar.gz for RadCliQ, radgraph-xl.tar.gz for "
                 "the reward levels)")
      ->type_name("PATH")
      ->group(radcliq);
  cmd.add_option("--radcliq-radgraph-tokenizer", flags.radcliq_radgraph_tokenizer,
                 "its encoder's tokenizer folder (default: searched as for --radgraph-tokenizer)")
      ->type_name("DIR")
      ->group(radcliq);
  cmd.add_option("--radcliq-bertscore-model", flags.radcliq_bertscore_model,
                 "distilroberta-base model folder for RadCliQ-v1's BERTScore feature (layer 5, "
                 "idf, rescaled: RadCliQ's settings). Configures RadCliQ-v1 with --radgraph-model "
                 "and --labeler chexbert")
      ->type_name("DIR")
      ->group(radcliq);
  cmd.add_option("--radcliq-coefficients", flags.radcliq_coefficients,
                 "radeval (RadEval's printed coefficients) or cxr-report-metric (the published "
                 "radcliq-v1.pkl at full precision)")
      ->type_name("NAME")
      ->check(CLI::IsMember({"radeval", "cxr-report-metric"}))
      ->capture_default_str()
      ->group(radcliq);
}

namespace {

// True when `names` asks for GREEN by key or family.
bool asks_for_green(const std::vector<std::string>& names) {
  const std::vector<std::string> keys = metrics::green::GreenMetric::key_names();
  return std::any_of(names.begin(), names.end(), [&](const std::string& name) {
    return name == "green" || std::find(keys.begin(), keys.end(), name) != keys.end();
  });
}

std::optional<metrics::green::GreenOptions> green_options(const ScoringFlags& flags,
                                                          const llm::ServerOptions& server) {
  const bool configured = !flags.green_base_urls.empty() || !flags.green_model.empty() ||
                          (asks_for_green(flags.metrics) && !server.base_urls.empty());
  if (!configured) return std::nullopt;
  metrics::green::GreenOptions o;
  o.base_urls = flags.green_base_urls.empty() ? server.base_urls : flags.green_base_urls;
  o.model = flags.green_model.empty() ? server.model : flags.green_model;
  if (o.base_urls.empty()) {
    throw InputError(
        "GREEN needs the judge server: --green-base-url URL (e.g. http://127.0.0.1:8000/v1)");
  }
  if (o.model.empty()) {
    throw InputError(
        "GREEN needs the model the server serves: --green-model NAME (e.g. "
        "StanfordAIMI/GREEN-radllama2-7b)");
  }
  o.api_key_file = server.api_key_file;
  o.ca_bundle = server.ca_bundle;
  o.concurrency = server.concurrency;
  o.max_retries = server.max_retries;
  o.connect_timeout_s = server.connect_timeout_s;
  o.read_timeout_s = server.read_timeout_s;
  o.request_timeout_s = server.request_timeout_s;
  o.temperature = server.temperature;
  if (server.seed) o.seed = server.seed;  // else GREEN's default, 0
  o.max_tokens = server.max_tokens;
  o.endpoint = flags.green_endpoint;
  o.chat_template = flags.green_chat_template;
  o.parser = flags.green_parser;
  o.stream = server.stream;
  o.cache_path = server.cache_path;
  o.no_cache = server.no_cache;
  return o;
}

// BERTScore options for the model folder `dir`, read now (a wrong path fails before any report
// file is read), with the threads and cache of the shared flags.
metrics::bertscore::BertScoreOptions bertscore_folder_options(const std::string& dir,
                                                              const LabelerFlags& labeler_flags) {
  (void)io::read_hf_model_folder(dir);
  metrics::bertscore::BertScoreOptions o;
  o.model_dir = dir;
  o.threads = labeler_flags.chexbert.threads;
  o.cache_path = labeler_flags.llm.server.cache_path;
  o.no_cache = labeler_flags.llm.server.no_cache;
  return o;
}

std::optional<metrics::bertscore::BertScoreOptions> bertscore_options(
    const ScoringFlags& flags, const LabelerFlags& labeler_flags) {
  std::string dir = flags.bertscore_model;
  if (dir.empty()) {
    const char* env = std::getenv(metrics::bertscore::kModelEnvironment);
    if (env != nullptr) dir = env;
  }
  if (dir.empty()) return std::nullopt;
  metrics::bertscore::BertScoreOptions o = bertscore_folder_options(dir, labeler_flags);
  o.model_name = flags.bertscore_model_name;
  o.layer = flags.bertscore_layer;
  o.idf = flags.bertscore_idf;
  o.rescale = flags.bertscore_rescale;
  o.baseline_file = flags.bertscore_baseline;
  if (flags.bertscore_batch_size < 1) {
    throw InputError("--bertscore-batch-size must be at least 1");
  }
  if (!o.baseline_file.empty() && !o.rescale) {
    throw InputError(
        "--bertscore-baseline is used by --bertscore-rescale; add it (or drop the file)");
  }
  o.batch_size = flags.bertscore_batch_size;
  o.int8 = flags.bertscore_int8;
  return o;
}

// The extractor of `options` (threads and cache from the shared flags); nullptr without a
// checkpoint.
std::shared_ptr<metrics::radgraph::GraphExtractor> radgraph_extractor(
    labelers::radgraph::RadGraphOptions options, const LabelerFlags& labeler_flags) {
  if (options.checkpoint.empty()) return nullptr;
  options.threads = labeler_flags.chexbert.threads;
  options.cache_path = labeler_flags.llm.server.cache_path;
  options.no_cache = labeler_flags.llm.server.no_cache;
  return labelers::radgraph::make_radgraph_extractor(options);
}

// RadCliQ's BERTScore: the settings RadCliQ-v1 was fitted with (RadEval RadCliQv1/radcliq.py).
std::optional<metrics::bertscore::BertScoreOptions> radcliq_bertscore_options(
    const ScoringFlags& flags, const LabelerFlags& labeler_flags) {
  if (flags.radcliq_bertscore_model.empty()) return std::nullopt;
  metrics::bertscore::BertScoreOptions o =
      bertscore_folder_options(flags.radcliq_bertscore_model, labeler_flags);
  o.model_name = "distilroberta-base";
  o.layer = 5;
  o.idf = true;
  o.rescale = true;
  o.batch_size = 64;
  return o;
}

bool selected(const metrics::MetricSelection& selection, const std::string& id) {
  return std::find(selection.scorer_ids.begin(), selection.scorer_ids.end(), id) !=
         selection.scorer_ids.end();
}

}  // namespace

pipelines::EvaluateOptions resolve_scoring(const ScoringFlags& flags, labelers::Labeler* labeler,
                                           const LabelerFlags& labeler_flags) {
  if (flags.clean == "seed") {
    throw InputError(
        "--clean takes none, r2gen-iu or r2gen-mimic (the seed family's own "
        "cleaning is on by default; --no-clean turns it off)");
  }
  text::find_cleaner(flags.clean);  // throws for an unknown cleaner name
  pipelines::EvaluateOptions options;
  options.metrics = flags.metrics;
  options.coco_clean = flags.clean;
  options.seed_clean = !flags.no_clean;
  options.scorer_options.wordnet_dir = flags.wordnet_dir;
  options.scorer_options.green = green_options(flags, labeler_flags.llm.server);
  options.scorer_options.bertscore = bertscore_options(flags, labeler_flags);
  labelers::radgraph::RadGraphOptions radgraph = flags.radgraph;
  radgraph.checkpoint = radgraph_checkpoint(flags.radgraph);
  if (radgraph.batch_size < 1) throw InputError("--radgraph-batch-size must be at least 1");
  if (!flags.radcliq_radgraph_model.empty() && radgraph.checkpoint.empty()) {
    throw InputError(
        "--radcliq-radgraph-model replaces the checkpoint of RadCliQ's RadGraph score; give "
        "--radgraph-model PATH too (the reward levels' checkpoint; it may be the same file)");
  }
  if (flags.radcliq_radgraph_model.empty() && !flags.radcliq_radgraph_tokenizer.empty()) {
    throw InputError("--radcliq-radgraph-tokenizer goes with --radcliq-radgraph-model");
  }
  options.scorer_options.radgraph = radgraph_extractor(radgraph, labeler_flags);
  // The same checkpoint twice is one extractor (each text extracted once).
  if (!flags.radcliq_radgraph_model.empty() &&
      flags.radcliq_radgraph_model != radgraph.checkpoint) {
    labelers::radgraph::RadGraphOptions radcliq = radgraph;
    radcliq.checkpoint = flags.radcliq_radgraph_model;
    radcliq.tokenizer_dir = flags.radcliq_radgraph_tokenizer;
    options.scorer_options.radcliq_radgraph = radgraph_extractor(radcliq, labeler_flags);
  }
  options.scorer_options.radcliq_bertscore = radcliq_bertscore_options(flags, labeler_flags);
  options.scorer_options.radcliq_coefficients = flags.radcliq_coefficients;
  options.threads = flags.threads;
  options.labeler = labeler;
  // Throws for bad names and for metrics nothing configures.
  const metrics::MetricSelection selection =
      pipelines::select_evaluation_metrics(options.metrics, labeler, options.scorer_options);
  if (options.scorer_options.green && selected(selection, "green")) {
    // Validates the options (endpoint, template file, API key) and opens the cache now.
    (void)metrics::make_scorer("green", options.scorer_options);
  }
  // The checkpoints and tokenizers are read now (not the weights), so that a wrong path fails
  // before any report file is read.
  const bool rewards = selected(selection, "radgraph");
  const bool radcliq = selected(selection, "radgraph-radcliq") || selected(selection, "radcliq");
  if (rewards || (radcliq && !options.scorer_options.radcliq_radgraph)) {
    (void)options.scorer_options.radgraph->description();
  }
  if (radcliq && options.scorer_options.radcliq_radgraph) {
    (void)options.scorer_options.radcliq_radgraph->description();
  }
  return options;
}

bool may_run_jobs(const ScoringFlags& flags, const LabelerFlags& labeler_flags) {
  return labeler_flags.labeler == "llm" || !radgraph_checkpoint(flags.radgraph).empty() ||
         !flags.green_base_urls.empty() || !flags.green_model.empty() ||
         (asks_for_green(flags.metrics) && !labeler_flags.llm.server.base_urls.empty());
}

std::string metric_list_text() {
  std::string groups;
  for (const auto& name : metrics::metric_group_names()) {
    groups += (groups.empty() ? "" : ", ") + name;
  }
  std::string out = "Metrics (select with --metrics; families: " + groups + "):\n";
  for (const auto& info : metrics::scorer_infos()) {
    std::string names = info.names_summary;
    if (names.empty()) {
      for (const auto& n : info.metric_names) names += (names.empty() ? "" : ", ") + n;
    }
    out +=
        "  " + info.family + "  " + info.id + ": " + names + "\n      " + info.description + "\n";
  }
  return out;
}

}  // namespace rrg::cli
