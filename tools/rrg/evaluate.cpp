// `rrg evaluate` (see evaluate.h). Two stages, as in ripgrep: CLI11 collects raw flag values
// into EvaluateFlags; run_evaluate resolves them (formats, metric names, cleaners) before any
// file is read, then reads, pairs, scores and writes.
#include "evaluate.h"

#include <cstdio>
#include <iostream>
#include <memory>

#include "chexbert_flags.h"
#include "cli_common.h"
#include "interrupt_watcher.h"
#include "llm_flags.h"
#include "progress_bar.h"
#include "rrg/core/errors.h"
#include "rrg/io/atomic_file.h"
#include "rrg/io/pairing.h"
#include "rrg/io/report_file.h"
#include "rrg/labelers/registry.h"
#include "rrg/metrics/registry.h"
#include "rrg/pipelines/evaluate.h"
#include "rrg/pipelines/evaluation_output.h"
#include "rrg/text/clean.h"

namespace rrg::cli {
namespace {

struct EvaluateFlags {
  std::string predictions;
  std::string references;
  std::string pred_format = "auto";
  std::string ref_format = "auto";
  std::string missing = "error";
  std::vector<std::string> metrics;
  std::string clean = "none";
  bool no_clean = false;
  std::string wordnet_dir;
  std::string json_path;
  std::string out_dir;
  std::string prefix;
  bool quiet = false;
  bool list_metrics = false;
  std::string labeler = "rules";
  std::string rules_dir;
  labelers::LlmLabelerOptions llm;
  labelers::ChexbertOptions chexbert;
};

std::string metric_list_text() {
  std::string out =
      "Metrics (select with --metrics; families: all, lexical, coco, seed, clinical):\n";
  for (const auto& info : metrics::scorer_infos()) {
    std::string names;
    for (const auto& n : info.metric_names) names += (names.empty() ? "" : ", ") + n;
    out +=
        "  " + info.family + "  " + info.id + ": " + names + "\n      " + info.description + "\n";
  }
  out +=
      "  clinical (needs --labeler): the 14 CheXpert observations of prediction and reference\n"
      "      chexpert_{micro,macro,weighted}_{precision,recall,f1}_{14,5}_{uzeros,uones},\n"
      "      chexpert_example_{precision,recall,f1}_{uzeros,uones},\n"
      "      chexpert_table_{auc,f1,recall,specificity,n_pos,n_neg}_<observation>,\n"
      "      chexpert_table_macro_{auc,f1,recall,specificity}, chexpert_table_n_valid,\n"
      "      per sample: n_agree, n_disagree (docs/metrics-clinical.md defines each key)\n"
      "  embed (with --labeler chexbert; selected with the clinical family): chexbert_similarity,\n"
      "      the cosine of the two reports' CheXbert [CLS] embeddings (RadCliQ's s_emb;\n"
      "      docs/chexbert.md)\n";
  return out;
}

void run_evaluate(const EvaluateFlags& flags) {
  if (flags.list_metrics) {
    std::cout << metric_list_text();
    return;
  }
  if (flags.predictions.empty() || flags.references.empty()) {
    throw InputError("evaluate needs --pred FILE and --ref FILE (see `rrg evaluate --help`)");
  }
  // Resolve everything that can be wrong before reading any file.
  pipelines::EvaluateOptions options;
  options.metrics = flags.metrics;
  options.coco_clean = flags.clean;
  options.seed_clean = !flags.no_clean;
  options.scorer_options.wordnet_dir = flags.wordnet_dir;
  if (flags.clean == "seed") {
    throw InputError(
        "--clean takes none, r2gen-iu or r2gen-mimic (the seed family's own "
        "cleaning is on by default; --no-clean turns it off)");
  }
  text::find_cleaner(flags.clean);  // throws for an unknown cleaner name
  std::unique_ptr<labelers::Labeler> labeler;
  if (flags.labeler != "none") {
    labelers::LabelerOptions labeler_options;
    labeler_options.rules_dir = flags.rules_dir;
    labeler_options.llm = flags.llm;
    labeler_options.chexbert = flags.chexbert;
    use_shared_cache_flags(flags.llm, labeler_options.chexbert);
    labeler = labelers::make_labeler(flags.labeler, labeler_options);
    options.labeler = labeler.get();
  }
  pipelines::select_metrics(options.metrics, options.labeler != nullptr);
  const io::ReportFormat pred_format = io::parse_report_format(flags.pred_format);
  const io::ReportFormat ref_format = io::parse_report_format(flags.ref_format);
  const io::MissingPolicy missing = io::parse_missing_policy(flags.missing);

  pipelines::EvaluationInputs inputs;
  io::PairedReports paired;
  {
    // The files' texts move into `paired` (no copy of a large corpus).
    io::ReportFile predictions = io::read_report_file(flags.predictions, pred_format);
    io::ReportFile references = io::read_report_file(flags.references, ref_format);
    inputs.predictions_format = std::string(io::report_format_name(predictions.format));
    inputs.predictions_records = predictions.records.size();
    inputs.references_format = std::string(io::report_format_name(references.format));
    inputs.references_records = references.records.size();
    paired = io::pair_reports(std::move(predictions), std::move(references), missing);
  }
  if (paired.missing_predictions + paired.missing_references > 0) {
    std::cerr << "rrg: warning: " << paired.missing_references << " prediction id(s) without a "
              << "reference and " << paired.missing_predictions << " reference id(s) without a "
              << "prediction (--missing " << flags.missing << ")\n";
  }

  // An LLM labeler talks to a server for a while: show progress, and let Ctrl-C stop it. Its
  // answers are cached as they arrive, so a re-run continues where this one stopped.
  auto* llm = dynamic_cast<labelers::LlmLabeler*>(labeler.get());
  std::unique_ptr<InterruptWatcher> watcher;
  std::unique_ptr<ProgressBar> bar;
  if (llm != nullptr) {
    watcher = std::make_unique<InterruptWatcher>([llm] { llm->cancel(); });
    ProgressBarOptions bar_options;
    bar_options.label = "evaluate: llm labels";
    bar_options.tty = stderr_is_tty();
    bar = std::make_unique<ProgressBar>(bar_options, [llm] {
      const auto p = llm->progress();
      return ProgressCounts{p.done, p.total, p.request_errors + p.parse_errors, p.retries,
                            p.from_cache};
    });
  }
  const bool paired_by_position = paired.paired_by_position;
  const std::size_t missing_predictions = paired.missing_predictions;
  const std::size_t missing_references = paired.missing_references;
  const pipelines::EvaluationResult result = pipelines::evaluate(std::move(paired), options);
  if (auto* chexbert = dynamic_cast<labelers::ChexbertLabeler*>(labeler.get());
      chexbert != nullptr && !flags.quiet) {
    std::cerr << "rrg evaluate: " << chexbert->summary() << "\n";
  }
  if (llm != nullptr) {
    bar->finish();
    std::cerr << "rrg evaluate: " << llm->summary() << "\n";
    if (watcher->interrupted()) {
      throw std::runtime_error(
          "evaluate: interrupted while labelling; the answers received so far are cached, run "
          "the same command again to continue");
    }
  }

  inputs.predictions_path = flags.predictions;
  inputs.references_path = flags.references;
  inputs.paired_by = paired_by_position ? "position" : "id";
  inputs.missing_policy = flags.missing;
  inputs.missing_predictions = missing_predictions;
  inputs.missing_references = missing_references;
  inputs.coco_clean = flags.clean;
  inputs.seed_clean = !flags.no_clean;
  inputs.command_line = command_line();

  if (!flags.json_path.empty() && flags.json_path != "-") {
    io::AtomicFile file(flags.json_path);
    pipelines::write_evaluation_json(result, inputs,
                                     [&file](std::string_view part) { file.write(part); });
    file.commit();
  }
  if (!flags.out_dir.empty()) {
    const std::string prefix = flags.prefix.empty() ? file_stem(flags.predictions) : flags.prefix;
    pipelines::write_out_dir(result, inputs, flags.out_dir, prefix);
  }
  if (flags.json_path == "-") {
    pipelines::write_evaluation_json(result, inputs,
                                     [](std::string_view part) { std::cout << part; });
  } else if (!flags.quiet) {
    std::cout << pipelines::format_table(result, inputs);
  }
}

}  // namespace

void setup_evaluate(CLI::App& app) {
  auto flags = std::make_shared<EvaluateFlags>();
  CLI::App* cmd = app.add_subcommand(
      "evaluate", "Score predicted reports against references (BLEU, ROUGE-L, METEOR, CIDEr-D)");
  cmd->description(
      "Score predicted reports against reference reports.\n\n"
      "Two metric families are computed by default, each reproducing a reference tool exactly:\n"
      "  coco  pycocoevalcap (what R2Gen-style papers report): Bleu_1..Bleu_4, ROUGE_L, CIDEr\n"
      "        on the texts as given (or after --clean), all references.\n"
      "  seed  the original toolkit (NLTK 3.8 + rouge-score 0.1.2): BLEU-1..BLEU-4, ROUGE-L,\n"
      "        METEOR after its clean_report (--no-clean to skip), first reference only.\n"
      "and, with a labeler (default: rules), the clinical family: the 14 CheXpert observations\n"
      "of prediction and first reference compared per observation (AUC, F1, recall,\n"
      "specificity) and averaged as papers report (micro/macro/weighted, 14 and 5\n"
      "observations, uncertain as negative (U-zeros) or positive (U-ones)).\n"
      "Every number is printed with a signature that names its convention.");
  cmd->add_option("--pred", flags->predictions,
                  "Predictions file (JSONL, seed JSON, R2Gen JSON, CSV or text)")
      ->type_name("FILE");
  cmd->add_option("--ref", flags->references,
                  "References file (same formats; several references per id allowed)")
      ->type_name("FILE");
  cmd->add_option("--pred-format", flags->pred_format, "Force the predictions format")
      ->type_name("FORMAT")
      ->check(CLI::IsMember({"auto", "jsonl", "seed", "r2gen", "csv", "text"}))
      ->capture_default_str();
  cmd->add_option("--ref-format", flags->ref_format, "Force the references format")
      ->type_name("FORMAT")
      ->check(CLI::IsMember({"auto", "jsonl", "seed", "r2gen", "csv", "text"}))
      ->capture_default_str();
  cmd->add_option(
         "--missing", flags->missing,
         "Ids present on one side only: error, skip (score common ids), empty (score as \"\")")
      ->type_name("POLICY")
      ->check(CLI::IsMember({"error", "skip", "empty"}))
      ->capture_default_str();
  cmd->add_option("--metrics", flags->metrics,
                  "Comma-separated metric keys, scorer ids or families (default: all lexical); "
                  "see --list-metrics")
      ->type_name("LIST")
      ->delimiter(',');
  cmd->add_option("--clean", flags->clean,
                  "Cleaner for the coco family: none, r2gen-iu, r2gen-mimic (R2Gen's clean_report)")
      ->type_name("NAME")
      ->capture_default_str();
  cmd->add_flag("--no-clean", flags->no_clean,
                "Seed family: do not apply the original toolkit's clean_report");
  cmd->add_option("--wordnet-dir", flags->wordnet_dir,
                  "WordNet 3.0 database for METEOR (default: $RRG_WORDNET_DIR, then "
                  "/usr/share/wordnet from Debian's wordnet-base)")
      ->type_name("DIR");
  cmd->add_option("--json", flags->json_path,
                  "Write {corpus, per_sample, signatures, ...} with full precision to FILE "
                  "('-' prints it instead of the table)")
      ->type_name("FILE");
  cmd->add_option(
         "--out-dir", flags->out_dir,
         "Write <prefix>_metrics.json, <prefix>_per_sample.csv, <prefix>_metrics.xlsx here")
      ->type_name("DIR");
  cmd->add_option("--prefix", flags->prefix,
                  "File name prefix for --out-dir (default: the predictions file's stem)")
      ->type_name("NAME");
  cmd->add_option("--labeler", flags->labeler,
                  "Labeler for the clinical metrics (CheXpert observations): rules (built in), "
                  "llm (an LLM server labels predictions and references alike; see docs/llm.md), "
                  "chexbert (CheXbert's chexbert.pth, adds chexbert_similarity; see "
                  "docs/chexbert.md), or none to skip them")
      ->type_name("NAME")
      ->capture_default_str();
  cmd->add_option("--rules-dir", flags->rules_dir,
                  "rules labeler: read phrase and cue lists from DIR instead of the built-in ones")
      ->type_name("DIR");
  cmd->add_flag("-q,--quiet", flags->quiet, "Do not print the table");
  add_llm_labeler_flags(*cmd, flags->llm);
  add_chexbert_labeler_flags(*cmd, flags->chexbert);
  cmd->add_flag("--list-metrics", flags->list_metrics,
                "List every metric, scorer and family, then exit");
  cmd->footer(
      "\nExamples:\n"
      "  rrg evaluate --pred examples/pred.jsonl --ref examples/ref.jsonl\n"
      "  rrg evaluate --pred results.json --ref annotation.json --metrics coco --clean r2gen-iu\n"
      "  rrg evaluate --pred pred.csv --ref ref.csv --metrics BLEU-4,METEOR --json scores.json\n"
      "  rrg evaluate --pred pred.jsonl --ref ref.jsonl --labeler chexbert \\\n"
      "      --chexbert-checkpoint chexbert.pth --vocab vocab.txt\n"
      "\nExit status: 0 success, 1 environment failure, 2 bad usage or input.");
  cmd->callback([flags] { run_evaluate(*flags); });
}

}  // namespace rrg::cli
