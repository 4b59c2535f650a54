// The scoring flags (see scoring_flags.h).
#include "scoring_flags.h"

#include "rrg/core/errors.h"
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
}

pipelines::EvaluateOptions resolve_scoring(const ScoringFlags& flags, labelers::Labeler* labeler) {
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
  options.threads = flags.threads;
  options.labeler = labeler;
  pipelines::select_evaluation_metrics(options.metrics, labeler);  // throws for bad names
  return options;
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
