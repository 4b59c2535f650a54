// `rrg evaluate` (see evaluate.h). Two stages, as in ripgrep: CLI11 collects raw flag values
// into EvaluateFlags; run_evaluate resolves them (labeler, metric names, cleaners, formats)
// before any file is read, then makes one pipeline call (rrg/pipelines/evaluate_files.h) and
// prints.
#include "evaluate.h"

#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>

#include "cli_common.h"
#include "job_relay.h"
#include "job_runner.h"
#include "labeler_flags.h"
#include "rrg/core/errors.h"
#include "rrg/pipelines/evaluate_files.h"
#include "scoring_flags.h"

namespace rrg::cli {
namespace {

struct EvaluateFlags {
  std::string predictions;
  std::string references;
  std::string pred_format = "auto";
  std::string ref_format = "auto";
  std::string missing = "error";
  std::string json_path;
  std::string out_dir;
  std::string prefix;
  std::string html_path;
  CLI::Option* html_option = nullptr;  // given with or without a FILE
  std::size_t html_worst = 20;
  std::size_t html_rows = 5000;
  CLI::Option* html_worst_option = nullptr;
  CLI::Option* html_rows_option = nullptr;
  bool quiet = false;
  ScoringFlags scoring;
  LabelerFlags labeler;
};

void run_evaluate(const EvaluateFlags& flags) {
  if (flags.scoring.list_metrics) {
    std::cout << metric_list_text();
    return;
  }
  if (flags.predictions.empty() || flags.references.empty()) {
    throw InputError("evaluate needs --pred FILE and --ref FILE (see `rrg evaluate --help`)");
  }
  // The interrupt watcher comes first: scorers and labelers may start threads, which must inherit
  // its signal mask.
  std::optional<JobRunner> runner;
  if (may_run_jobs(flags.scoring, flags.labeler)) runner.emplace();
  // Resolve everything that can be wrong before reading any file.
  // Asked for on the command line (with or without FILE) or by the configuration file (a FILE).
  const bool html = flags.html_option->count() > 0 || !flags.html_path.empty();
  if (html && flags.html_path.empty() && flags.out_dir.empty()) {
    throw InputError("--html needs a FILE, or --out-dir DIR to write <prefix>_report.html there");
  }
  if (html && flags.html_path == "-") {
    throw InputError("--html writes a file; '-' (stdout) is not supported, give a path");
  }
  if (!html && (flags.html_worst_option->count() > 0 || flags.html_rows_option->count() > 0)) {
    throw InputError("--html-worst and --html-rows shape the HTML report: add --html FILE");
  }
  LabelerFlags labeler_flags = flags.labeler;
  labeler_flags.threads = flags.scoring.threads;
  const std::unique_ptr<labelers::Labeler> labeler = make_labeler(labeler_flags);
  pipelines::EvaluateOptions scoring = resolve_scoring(flags.scoring, labeler.get(), labeler_flags);
  pipelines::EvaluateFilesOptions files;
  files.predictions = flags.predictions;
  files.references = flags.references;
  files.predictions_format = io::parse_report_format(flags.pred_format);
  files.references_format = io::parse_report_format(flags.ref_format);
  files.missing = io::parse_missing_policy(flags.missing);
  files.json_path = flags.json_path;
  files.out_dir = flags.out_dir;
  files.prefix = flags.prefix;
  files.html_path = flags.html_path;
  files.html_in_out_dir = html && flags.html_path.empty() && !flags.out_dir.empty();
  files.html.worst_n = flags.html_worst;
  files.html.max_table_rows = flags.html_rows;
  files.command_line = command_line();
  files.on_message = [](const std::string& text) { std::cerr << "rrg: warning: " << text << "\n"; };

  // Work that takes a while (labelling through an LLM server, GREEN's judge requests) shows
  // progress, and Ctrl-C stops it; answers are cached as they arrive, so a re-run continues where
  // this one stopped.
  pipelines::EvaluationRun run;
  JobRelay relay(labeler ? labeler->job() : nullptr);
  if (runner) {
    scoring.on_job = [&relay](Job* job, const std::string&) { relay.relay(job); };
    try {
      runner->run(
          relay, "evaluate", [&] { run = pipelines::evaluate_files(files, scoring); }, flags.quiet);
    } catch (const std::exception&) {
      if (!runner->interrupted()) throw;
    }
    if (runner->interrupted()) {
      throw std::runtime_error(
          "evaluate: interrupted; nothing was written (the answers received so far are cached: "
          "run the same command again to continue)");
    }
  } else {
    run = pipelines::evaluate_files(files, scoring);
  }
  if (!flags.quiet) {
    if (labeler && !labeler->summary().empty()) {
      std::cerr << "rrg evaluate: " << labeler->summary() << "\n";
    }
    for (const auto& scorer_run : run.result.runs) {
      const std::string line = scorer_run.scorer->summary();
      if (!line.empty()) std::cerr << "rrg evaluate: " << line << "\n";
    }
  }

  if (flags.json_path == "-") {
    pipelines::write_evaluation_json(run.result, run.inputs,
                                     [](std::string_view part) { std::cout << part; });
  } else if (!flags.quiet) {
    std::cout << pipelines::format_table(run.result, run.inputs);
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
  flags->html_option =
      cmd->add_option("--html", flags->html_path,
                      "Write a self-contained HTML report (charts, worst samples, sortable "
                      "per-sample table) to FILE; with --out-dir and no FILE, write "
                      "<prefix>_report.html there")
          ->type_name("[FILE]")
          ->expected(0, 1);
  flags->html_worst_option =
      cmd->add_option("--html-worst", flags->html_worst,
                      "HTML report: samples in each worst-samples list (0 = no lists)")
          ->type_name("N")
          ->capture_default_str();
  flags->html_rows_option =
      cmd->add_option("--html-rows", flags->html_rows,
                      "HTML report: rows of the per-sample table (the first N samples; 0 = all)")
          ->type_name("N")
          ->capture_default_str();
  cmd->add_flag("-q,--quiet", flags->quiet, "Do not print the table");
  add_scoring_flags(*cmd, flags->scoring);
  add_labeler_flags(*cmd, flags->labeler, "for the clinical metrics (CheXpert observations)",
                    /*allow_none=*/true);
  cmd->footer(
      "\nExamples:\n"
      "  rrg evaluate --pred examples/pred.jsonl --ref examples/ref.jsonl\n"
      "  rrg evaluate --pred results.json --ref annotation.json --metrics coco --clean r2gen-iu\n"
      "  rrg evaluate --pred pred.csv --ref ref.csv --metrics BLEU-4,METEOR --json scores.json\n"
      "  rrg evaluate --pred pred.jsonl --ref ref.jsonl --html report.html\n"
      "  rrg evaluate --pred pred.jsonl --ref ref.jsonl --labeler chexbert \\\n"
      "      --chexbert-checkpoint chexbert.pth --vocab vocab.txt\n"
      "\nExit status: 0 success, 1 environment failure, 2 bad usage or input.");
  cmd->callback([flags] { run_evaluate(*flags); });
}

}  // namespace rrg::cli
