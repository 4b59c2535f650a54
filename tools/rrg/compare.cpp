// `rrg compare` (see compare.h): flags are collected, resolved (systems, formats, labeler,
// metrics, test settings: every bad combination refused before a file is read), then one
// pipeline call (pipelines::compare) runs behind a progress bar, and the table and files are
// written.
#include "compare.h"

#include <atomic>
#include <iostream>
#include <memory>
#include <optional>

#include "cli_common.h"
#include "job_relay.h"
#include "job_runner.h"
#include "labeler_flags.h"
#include "rrg/core/errors.h"
#include "rrg/io/atomic_file.h"
#include "rrg/pipelines/compare.h"
#include "rrg/pipelines/compare_output.h"
#include "rrg/pipelines/compare_report.h"
#include "scoring_flags.h"

namespace rrg::cli {
namespace {

struct CompareFlags {
  std::string references;
  std::string ref_format = "auto";
  std::vector<std::string> systems;  // NAME=FILE
  std::string sys_format = "auto";
  std::string baseline;
  std::string missing = "error";
  std::size_t ar_trials = 10000;
  std::uint64_t seed = 12345;
  std::string ar_pvalue = "radeval";
  std::size_t bootstrap = 1000;
  double ci = 95;
  double alpha = 0.05;
  std::string layout = "auto";
  std::string json_path;
  std::string out_dir;
  std::string html_path;
  CLI::Option* html_option = nullptr;  // given with or without a FILE
  std::size_t html_worst = 20;
  std::size_t html_rows = 5000;
  std::vector<std::string> html_columns;
  CLI::Option* html_worst_option = nullptr;
  CLI::Option* html_rows_option = nullptr;
  CLI::Option* html_columns_option = nullptr;
  bool quiet = false;
  ScoringFlags scoring;
  LabelerFlags labeler;
};

pipelines::CompareSystemInput parse_system(const std::string& spec, io::ReportFormat format) {
  const auto eq = spec.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size()) {
    throw InputError("--sys takes NAME=FILE (e.g. --sys r2gen=r2gen_test.jsonl), got '" + spec +
                     "'");
  }
  return {spec.substr(0, eq), spec.substr(eq + 1), format};
}

void run_compare(const CompareFlags& flags) {
  if (flags.scoring.list_metrics) {
    std::cout << metric_list_text();
    return;
  }
  if (flags.references.empty()) {
    throw InputError(
        "compare needs --ref FILE and two or more --sys NAME=FILE (see `rrg compare "
        "--help`)");
  }
  // The interrupt watcher comes first: scorers and labelers may start threads, which must inherit
  // its signal mask.
  JobRunner runner;
  // Resolve everything that can be wrong before reading any file.
  pipelines::CompareOptions options;
  options.references = flags.references;
  options.references_format = io::parse_report_format(flags.ref_format);
  const io::ReportFormat sys_format = io::parse_report_format(flags.sys_format);
  for (const auto& spec : flags.systems) options.systems.push_back(parse_system(spec, sys_format));
  options.baseline = flags.baseline;
  options.missing = io::parse_missing_policy(flags.missing);
  options.ar_trials = flags.ar_trials;
  options.seed = flags.seed;
  options.p_value = stats::parse_p_value_convention(flags.ar_pvalue);
  options.bootstrap = flags.bootstrap;
  options.ci = flags.ci;
  // One --threads (the scoring flags') for cleaning, scoring, the rules labeler and the tests.
  options.threads = static_cast<unsigned>(flags.scoring.threads);
  options.command_line = command_line();
  options.on_message = [](const std::string& text) {
    std::cerr << "rrg compare: " << text << "\n";
  };
  pipelines::CompareTableOptions table;
  table.layout = pipelines::parse_compare_layout(flags.layout);
  table.alpha = flags.alpha;
  if (!(flags.alpha > 0 && flags.alpha < 1)) {
    throw InputError("--alpha must be between 0 and 1 (exclusive), e.g. 0.05");
  }
  // The HTML report: asked for on the command line (with or without FILE) or by the
  // configuration file (a FILE).
  const bool html = flags.html_option->count() > 0 || !flags.html_path.empty();
  if (html && flags.html_path.empty() && flags.out_dir.empty()) {
    throw InputError("--html needs a FILE, or --out-dir DIR to write compare_report.html there");
  }
  if (html && flags.html_path == "-") {
    throw InputError("--html writes a file; '-' (stdout) is not supported, give a path");
  }
  if (!html && (flags.html_worst_option->count() > 0 || flags.html_rows_option->count() > 0 ||
                flags.html_columns_option->count() > 0)) {
    throw InputError(
        "--html-worst, --html-rows and --html-columns shape the HTML report: add --html FILE");
  }
  options.keep_report_inputs = html;
  report::HtmlReportOptions html_options;
  html_options.worst_n = flags.html_worst;
  html_options.max_table_rows = flags.html_rows;
  pipelines::check_compare_options(options);
  // The report's temporary file is created before any file is read: a path that cannot be
  // written stops the run before the labelling and the tests, and nothing is left behind.
  std::optional<io::AtomicFile> html_file;
  if (!flags.html_path.empty()) html_file.emplace(flags.html_path);
  LabelerFlags labeler_flags = flags.labeler;
  labeler_flags.threads = flags.scoring.threads;
  const std::unique_ptr<labelers::Labeler> labeler = make_labeler(labeler_flags);
  options.scoring = resolve_scoring(flags.scoring, labeler.get(), labeler_flags);

  // One progress bar for the labelling (an LLM server), GREEN's requests and the trials.
  JobRelay job(labeler ? labeler->job() : nullptr);
  options.scoring.on_job = [&job](Job* stage, const std::string&) { job.relay(stage); };
  options.progress = [&job](std::uint64_t done, std::uint64_t total) { job.update(done, total); };
  options.cancel = job.flag();
  pipelines::CompareResult result;
  try {
    runner.run(
        job, "compare", [&] { result = pipelines::compare(options); }, flags.quiet);
  } catch (const stats::Cancelled&) {
    throw std::runtime_error(
        "compare: interrupted; nothing was written (labels already received "
        "from an LLM server are cached: run the same command again)");
  }
  if (runner.interrupted()) {
    throw std::runtime_error(
        "compare: interrupted while labelling; nothing was written (the "
        "answers received so far are cached: run the same command again)");
  }

  // The report's data first: an unknown --html-columns name stops before any file is written.
  std::optional<report::ReportData> data;
  if (html) {
    data = pipelines::compare_report_data(result, flags.alpha);
    html_options.table_metrics = pipelines::compare_table_metrics(*data, flags.html_columns);
  }
  if (!flags.json_path.empty() && flags.json_path != "-") {
    io::write_file_atomically(flags.json_path, pipelines::compare_json(result));
  }
  if (!flags.out_dir.empty()) pipelines::write_compare_out_dir(result, flags.out_dir, flags.alpha);
  if (data) {
    if (html_file) {
      report::write_html_report(*data, html_options,
                                [&html_file](std::string_view part) { html_file->write(part); });
      html_file->commit();
    } else {
      io::AtomicFile file(flags.out_dir + "/compare_report.html");
      report::write_html_report(*data, html_options,
                                [&file](std::string_view part) { file.write(part); });
      file.commit();
    }
  }
  if (flags.json_path == "-") {
    std::cout << pipelines::compare_json(result);
  } else if (!flags.quiet) {
    std::cout << pipelines::format_compare_table(result, table);
  }
}

}  // namespace

void setup_compare(CLI::App& app) {
  auto flags = std::make_shared<CompareFlags>();
  CLI::App* cmd = app.add_subcommand(
      "compare",
      "Compare several systems against one reference set, with paired significance tests and "
      "confidence intervals");
  cmd->description(
      "Compare several systems against one reference set. Every metric of `rrg evaluate` is\n"
      "computed for each system exactly as `rrg evaluate` computes it, then tested against the\n"
      "baseline (the first --sys, or --baseline):\n"
      "  p       paired approximate randomization: each sample's two outputs are swapped with\n"
      "          probability 1/2 and the corpus metric recomputed, --ar-trials times; p is the\n"
      "          share of trials whose |difference| reaches the observed one. Draw for draw the\n"
      "          test of RadEval's compare_systems (same seed, systems and metric order = same "
      "p).\n"
      "  [a, b]  paired bootstrap percentile interval of each value and of each difference to the\n"
      "          baseline: the ids resampled with replacement, the same resample for every\n"
      "          system, drawn as NumPy's RandomState(seed).randint(0, n, size=n).\n"
      "Both recompute each metric from per-sample statistics computed once, so thousands of\n"
      "trials over every metric take seconds. See docs/compare.md.");
  cmd->add_option("--ref", flags->references, "References file (any format evaluate reads)")
      ->type_name("FILE");
  cmd->add_option("--ref-format", flags->ref_format, "Force the references format")
      ->type_name("FORMAT")
      ->check(CLI::IsMember({"auto", "jsonl", "seed", "r2gen", "csv", "text"}))
      ->capture_default_str();
  cmd->add_option("--sys", flags->systems,
                  "A system to compare, NAME=FILE (repeat; the first is the baseline)")
      ->type_name("NAME=FILE");
  cmd->add_option("--sys-format", flags->sys_format, "Force the format of every --sys file")
      ->type_name("FORMAT")
      ->check(CLI::IsMember({"auto", "jsonl", "seed", "r2gen", "csv", "text"}))
      ->capture_default_str();
  cmd->add_option("--baseline", flags->baseline,
                  "The system the others are tested against (default: the first --sys)")
      ->type_name("NAME");
  cmd->add_option("--missing", flags->missing,
                  "Ids not in every file: error (default), or skip (compare on the common ids)")
      ->type_name("POLICY")
      ->check(CLI::IsMember({"error", "skip"}))
      ->capture_default_str();
  const char* tests = "Tests";
  cmd->add_option(
         "--ar-trials", flags->ar_trials,
         "Approximate randomization trials (default: " + std::to_string(flags->ar_trials) + ")")
      ->group(tests);
  cmd->add_option("--seed", flags->seed,
                  "Seed of both tests: random.Random(seed) for the trials, "
                  "np.random.RandomState(seed) for the bootstrap (default: 12345)")
      ->group(tests);
  cmd->add_option("--ar-pvalue", flags->ar_pvalue,
                  "p-value convention: radeval (count/N, RadEval's) or noreen ((count+1)/(N+1), "
                  "never 0)")
      ->check(CLI::IsMember({"radeval", "noreen"}))
      ->capture_default_str()
      ->group(tests);
  cmd->add_option("--bootstrap", flags->bootstrap,
                  "Bootstrap replicates (default: " + std::to_string(flags->bootstrap) +
                      "; 0 = no intervals)")
      ->group(tests);
  cmd->add_option("--ci", flags->ci, "Interval coverage in percent (default: 95)")->group(tests);
  cmd->add_option("--alpha", flags->alpha, "Mark p-values below it with '*' (default: 0.05)")
      ->group(tests);
  const char* out = "Output";
  cmd->add_option("--layout", flags->layout,
                  "Table layout: auto (systems as rows for up to 8 metrics), systems-as-rows, "
                  "metrics-as-rows")
      ->check(CLI::IsMember({"auto", "systems-as-rows", "metrics-as-rows"}))
      ->capture_default_str()
      ->group(out);
  cmd->add_option("--json", flags->json_path,
                  "Write the comparison as JSON to FILE ('-' prints it instead of the table)")
      ->type_name("FILE")
      ->group(out);
  cmd->add_option("--out-dir", flags->out_dir,
                  "Write compare.json, compare.csv (long format) and compare.xlsx here")
      ->type_name("DIR")
      ->group(out);
  flags->html_option =
      cmd->add_option("--html", flags->html_path,
                      "Write a self-contained HTML report (values with intervals and p-values, "
                      "per-observation F1 per system, histograms, worst samples, sortable "
                      "per-sample table) to FILE; with --out-dir and no FILE, write "
                      "compare_report.html there")
          ->type_name("[FILE]")
          ->expected(0, 1)
          ->group(out);
  flags->html_worst_option =
      cmd->add_option("--html-worst", flags->html_worst,
                      "HTML report: samples in each worst-samples list, per system and metric (0 "
                      "= no lists)")
          ->type_name("N")
          ->capture_default_str()
          ->group(out);
  flags->html_rows_option =
      cmd->add_option("--html-rows", flags->html_rows,
                      "HTML report: rows of the per-sample table (the first N samples; 0 = all)")
          ->type_name("N")
          ->capture_default_str()
          ->group(out);
  flags->html_columns_option =
      cmd->add_option("--html-columns", flags->html_columns,
                      "HTML report: per-sample metrics shown as table columns, one per system "
                      "(default: BLEU-4, ROUGE-L, METEOR, CIDEr, chexpert_example_f1_uzeros, "
                      "n_disagree where computed; 'all' = every one)")
          ->type_name("METRICS")
          ->delimiter(',')
          ->group(out);
  cmd->add_flag("-q,--quiet", flags->quiet, "Do not print the table or a progress bar")->group(out);
  add_scoring_flags(*cmd, flags->scoring);
  add_labeler_flags(*cmd, flags->labeler, "for the clinical metrics (CheXpert observations)",
                    /*allow_none=*/true, "--llm-seed");
  cmd->footer(
      "\nExamples:\n"
      "  rrg compare --ref ref.jsonl --sys r2gen=r2gen.jsonl --sys ours=ours.jsonl\n"
      "  rrg compare --ref ref.jsonl --sys a=a.jsonl --sys b=b.jsonl --sys c=c.jsonl \\\n"
      "      --metrics BLEU-4,METEOR,chexpert_micro_f1_14_uzeros --bootstrap 2000 --out-dir cmp\n"
      "  rrg compare --ref ref.jsonl --sys r2gen=r2gen.jsonl --sys ours=ours.jsonl --html "
      "cmp.html\n"
      "\nExit status: 0 success, 1 environment failure, 2 bad usage or input.");
  cmd->callback([flags] { run_compare(*flags); });
}

}  // namespace rrg::cli
