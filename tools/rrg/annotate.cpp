// `rrg annotate` (see annotate.h): resolves flags, builds the labeler from the registry, labels
// every report once per distinct text and writes JSONL or CheXbert-style CSV atomically.
#include "annotate.h"

#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "cli_common.h"
#include "job_runner.h"
#include "labeler_flags.h"
#include "radgraph_annotate.h"
#include "rrg/core/errors.h"
#include "rrg/io/atomic_file.h"
#include "rrg/io/report_file.h"
#include "rrg/pipelines/annotate.h"

namespace rrg::cli {
namespace {

struct AnnotateFlags {
  std::string input;
  std::string input_format = "auto";
  std::string output;
  std::string output_format = "auto";
  bool csv_ids = false;
  bool quiet = false;
  std::string agreement;       // gold label file
  std::string agreement_json;  // where to write the agreement as JSON
  LabelerFlags labeler;
  labelers::radgraph::RadGraphOptions radgraph;
};

nlohmann::ordered_json agreement_json(const pipelines::AgreementRun& run,
                                      const std::string& labeler_identity,
                                      const std::string& gold_path) {
  nlohmann::ordered_json j;
  j["labeler"] = labeler_identity;
  j["gold"] = gold_path;
  j["paired_by"] = run.by_position ? "position" : "id";
  j["n_scored"] = run.agreement.n;
  j["gold_only"] = run.gold_only;
  j["labelled_only"] = run.labelled_only;
  j["failed_skipped"] = run.failed_skipped;
  nlohmann::ordered_json per = nlohmann::ordered_json::object();
  for (std::size_t k = 0; k < chexpert::kNumObservations; ++k) {
    const auto& a = run.agreement.per_observation[k];
    per[std::string(chexpert::kObservationNames[k])] = {
        {"support_pos", a.gold_positives},
        {"predicted_pos", a.predicted_positives},
        {"precision", a.precision},
        {"recall", a.recall},
        {"f1", a.f1},
        {"weighted_f1_3class",
         a.weighted_f1 ? nlohmann::ordered_json(*a.weighted_f1) : nlohmann::ordered_json(nullptr)}};
  }
  j["per_label"] = std::move(per);
  j["micro_f1_pos"] = run.agreement.micro_f1;
  j["macro_f1_pos"] = run.agreement.macro_f1;
  j["exact_match_4way"] = run.agreement.exact_match;
  return j;
}

// --agreement: the labels against a gold label file, printed (and written as JSON).
void report_agreement(const AnnotateFlags& flags, const pipelines::AnnotationResult& result) {
  const chexpert::LabelFile gold = chexpert::read_label_file(flags.agreement);
  const pipelines::AgreementRun run = pipelines::agreement_with_gold(result, gold);
  std::ostream& out = flags.output == "-" ? std::cerr : std::cout;
  out << "Agreement of " << result.labeler_identity << " with " << flags.agreement << " ("
      << run.agreement.n << " reports paired by " << (run.by_position ? "position" : "id");
  if (run.gold_only + run.labelled_only > 0) {
    out << "; " << run.gold_only << " gold ids not labelled, " << run.labelled_only
        << " labelled ids not in the gold file";
  }
  if (run.failed_skipped > 0) out << "; " << run.failed_skipped << " unlabelled reports left out";
  out << "):\n" << chexpert::format_agreement(run.agreement);
  if (!flags.agreement_json.empty()) {
    io::write_file_atomically(
        flags.agreement_json,
        agreement_json(run, result.labeler_identity, flags.agreement).dump(1) + "\n");
  }
}

std::string resolve_output_format(const AnnotateFlags& flags) {
  if (flags.output_format != "auto") return flags.output_format;
  const std::string& out = flags.output;
  if (out.size() >= 4 && out.compare(out.size() - 4, 4, ".csv") == 0) return "csv";
  return "jsonl";
}

// Ends a run that left reports without labels with an error (exit status 1), as `rrg generate`
// does for failed studies: a script or CI job must not take a partial labelling for a complete
// one. The output is complete and kept; each such record carries its "error".
void fail_if_unlabelled(std::size_t unlabelled, const std::string& output) {
  if (unlabelled == 0) return;
  const bool one = unlabelled == 1;
  throw std::runtime_error(std::to_string(unlabelled) + (one ? " report" : " reports") +
                           " could not be labelled (see the \"error\" field of " +
                           (one ? "its record" : "their records") + " in " +
                           (output.empty() || output == "-" ? std::string("the output") : output) +
                           "); run the same command again to retry " + (one ? "it" : "them"));
}

void run_annotate(const AnnotateFlags& flags) {
  if (flags.input.empty() || (flags.output.empty() && flags.agreement.empty())) {
    throw InputError(
        "annotate needs --in REPORTS and --out LABELS or --agreement GOLD (see `rrg annotate "
        "--help`)");
  }
  if (!flags.agreement_json.empty() && flags.agreement.empty()) {
    throw InputError("--agreement-json needs --agreement GOLD");
  }
  if (flags.labeler.labeler == "none") {
    throw InputError("annotate needs a labeler; --labeler none only applies to rrg evaluate");
  }
  if (flags.labeler.labeler == "radgraph") {
    // RadGraph annotations are graphs, not CheXpert labels: their own output.
    if (!flags.agreement.empty()) {
      throw InputError(
          "--agreement compares CheXpert labels; it does not apply to --labeler radgraph");
    }
    labelers::radgraph::RadGraphOptions options = flags.radgraph;
    options.checkpoint = radgraph_checkpoint(flags.radgraph);
    options.threads = static_cast<int>(flags.labeler.threads);
    options.cache_path = flags.labeler.llm.server.cache_path;
    options.no_cache = flags.labeler.llm.server.no_cache;
    run_radgraph_annotate({flags.input, flags.input_format, flags.output, flags.quiet}, options);
    return;
  }
  const io::ReportFormat in_format = io::parse_report_format(flags.input_format);
  const bool csv = resolve_output_format(flags) == "csv";
  const std::unique_ptr<labelers::Labeler> labeler = make_labeler(flags.labeler);

  // Parsed on the labeler's threads (rules: --threads; a large JSONL file is split at lines).
  io::ReportFile reports = io::read_report_file(flags.input, in_format, flags.labeler.threads);
  if (!flags.quiet && !labeler->note().empty()) {
    std::cerr << "rrg annotate: note: " << labeler->note() << "\n";
  }
  // A labeler whose answers can be journaled (an LLM server) writes them as they arrive and
  // resumes after a crash or Ctrl-C; its progress is shown.
  if (labeler->journaling() != nullptr && !flags.output.empty() && flags.output != "-") {
    pipelines::ResumableAnnotation run;
    const auto work = [&] {
      run = pipelines::annotate_resumable(
          reports, *labeler, flags.output, csv, flags.csv_ids,
          [](const std::string& text) { std::cerr << "rrg annotate: " << text << "\n"; });
    };
    if (Job* job = labeler->job()) {
      JobRunner runner;
      runner.run(*job, "annotate", work, flags.quiet);
    } else {
      work();
    }
    if (!flags.quiet) {
      std::cerr << "rrg annotate: " << labeler->summary() << "\n";
      std::cerr << "rrg annotate: " << run.result.size() << " reports in " << flags.output << " ("
                << run.from_earlier_run << " from an earlier run) with "
                << run.result.labeler_identity;
      if (run.result.n_errors > 0) {
        std::cerr << "; " << run.result.n_errors
                  << " could not be labelled (their \"error\" says why; run the same command "
                     "again to retry them)";
      }
      std::cerr << "\n";
    }
    if (!flags.agreement.empty()) report_agreement(flags, run.result);
    fail_if_unlabelled(run.result.n_errors, flags.output);
    return;
  }
  const pipelines::AnnotationResult result =
      pipelines::annotate(std::move(reports), *labeler, flags.labeler.threads);
  if (csv) {
    const std::string content = pipelines::annotation_csv(result, flags.csv_ids);
    if (flags.output == "-") {
      std::cout << content;
    } else if (!flags.output.empty()) {
      io::write_file_atomically(flags.output, content);
    }
  } else if (flags.output == "-") {
    // JSONL is streamed in blocks: a million rows never sit in memory as one string.
    pipelines::write_annotation_jsonl(
        result, [](std::string_view block) { std::cout.write(block.data(), block.size()); },
        std::size_t{1} << 20, flags.labeler.threads);
  } else if (!flags.output.empty()) {
    io::AtomicFile file(flags.output);
    pipelines::write_annotation_jsonl(
        result, [&file](std::string_view block) { file.write(block); }, std::size_t{1} << 20,
        flags.labeler.threads);
    file.commit();
  }
  if (!flags.quiet) {
    double seconds = 0;
    for (const auto& [stage, s] : result.timings_seconds) seconds += s;
    std::cerr << "rrg annotate: labelled " << result.size() << " reports (" << result.n_distinct
              << " distinct texts) with " << result.labeler_identity << " in " << seconds << " s";
    if (result.n_errors > 0) std::cerr << "; " << result.n_errors << " could not be labelled";
    std::cerr << "\n";
    if (!labeler->summary().empty()) std::cerr << "rrg annotate: " << labeler->summary() << "\n";
  }
  if (!flags.agreement.empty()) report_agreement(flags, result);
  fail_if_unlabelled(result.n_errors, flags.output);
}

}  // namespace

void setup_annotate(CLI::App& app) {
  auto flags = std::make_shared<AnnotateFlags>();
  CLI::App* cmd = app.add_subcommand(
      "annotate", "Label reports with the 14 CheXpert observations (1, 0, -1 or blank)");
  cmd->description(
      "Label reports with the 14 CheXpert observations.\n\n"
      "Each report gets 1 (positive), 0 (negative), -1 (uncertain) or blank (not mentioned) for\n"
      "Enlarged Cardiomediastinum, Cardiomegaly, Lung Opacity, Lung Lesion, Edema,\n"
      "Consolidation, Pneumonia, Atelectasis, Pneumothorax, Pleural Effusion, Pleural Other,\n"
      "Fracture, Support Devices and No Finding (CheXbert's labeled_reports.csv convention).\n"
      "Identical texts are labelled once.");
  cmd->add_option("--in", flags->input, "Reports (JSONL, seed JSON, R2Gen JSON, CSV or text)")
      ->type_name("FILE");
  cmd->add_option("--in-format", flags->input_format, "Force the input format")
      ->type_name("FORMAT")
      ->check(CLI::IsMember({"auto", "jsonl", "seed", "r2gen", "csv", "text"}))
      ->capture_default_str();
  cmd->add_option("--out", flags->output,
                  "Labels: JSONL {\"id\", \"labels\"}, or CheXbert's CSV layout when FILE ends in "
                  ".csv ('-' = stdout)")
      ->type_name("FILE");
  cmd->add_option("--out-format", flags->output_format, "Force the output format")
      ->type_name("FORMAT")
      ->check(CLI::IsMember({"auto", "jsonl", "csv"}))
      ->capture_default_str();
  cmd->add_option("--agreement", flags->agreement,
                  "Compare the labels with GOLD (JSONL as annotate writes it, or CheXbert's "
                  "labeled_reports.csv; by id, else by position) and print per-observation "
                  "precision/recall/F1 of the positive class, micro/macro F1 and the 4-way "
                  "exact match (--out becomes optional)")
      ->type_name("GOLD")
      ->check(CLI::ExistingFile);
  cmd->add_option("--agreement-json", flags->agreement_json,
                  "Also write the agreement as JSON (score_labels.py's layout) to FILE")
      ->type_name("FILE");
  cmd->add_option(
         "--threads", flags->labeler.threads,
         "Threads for the rules labeler (default: 0 = every core) or the RadGraph extractor "
         "(0 = libtorch's default); no result depends on it")
      ->type_name("N")
      ->capture_default_str();
  cmd->add_flag("--csv-ids", flags->csv_ids,
                "CSV output: add an \"id\" column before \"Report Impression\"");
  cmd->add_flag("-q,--quiet", flags->quiet, "Do not print the summary line on stderr");
  add_labeler_flags(*cmd, flags->labeler, "for the 14 observations", /*allow_none=*/false);
  add_radgraph_flags(*cmd, flags->radgraph);
  CLI::Option* labeler_option = cmd->get_option("--labeler");
  labeler_option->description(labeler_option->get_description() +
                              "\n  radgraph: RadGraph entities and relations instead of labels "
                              "(JSONL graphs; needs --radgraph-model)");
  cmd->footer(
      "\nExamples:\n"
      "  rrg annotate --in examples/ref.jsonl --out labels.jsonl\n"
      "  rrg annotate --in reports.csv --out labeled_reports.csv\n"
      "  rrg annotate --labeler llm --base-url http://127.0.0.1:8000/v1 --model Qwen/Qwen3-8B \\\n"
      "      --in reports.jsonl --out labels.jsonl      # resumable; see docs/llm.md\n"
      "  rrg annotate --labeler chexbert --chexbert-checkpoint chexbert.pth --vocab vocab.txt \\\n"
      "      --in reports.jsonl --out labeled_reports.csv    # see docs/chexbert.md\n"
      "  rrg annotate --labeler radgraph --radgraph-model radgraph.tar.gz --in reports.jsonl \\\n"
      "      --out graphs.jsonl      # RadGraph entities and relations; see docs/radgraph.md\n"
      "  rrg annotate --labeler rules --in reports.csv --agreement labeled_reports.csv\n"
      "      # how well the rules labeler agrees with CheXbert's labels of the same reports\n"
      "\nExit status: 0 every report has labels, 1 some reports could not be labelled (their\n"
      "records carry \"error\"; the same command retries them) or the environment failed, 2 bad\n"
      "usage or input.");
  cmd->callback([flags] { run_annotate(*flags); });
}

}  // namespace rrg::cli
