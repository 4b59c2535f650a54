// rrg-llm-dev: developer program for the LLM client.
//
//   rrg-llm-dev serve [--port P] [--latency-ms L] [--threads T] [--green-table ANSWERS.jsonl]
//       Runs the scripted loopback server (fake_openai_server.h) until SIGINT/SIGTERM; prints
//       "listening on URL" on stdout once ready. The green table's {"reference", "candidate",
//       "answer"} lines are the judge answers of its green mode.
//   rrg-llm-dev label --in REPORTS.jsonl --out LABELS.jsonl --base-url URL --model M [flags]
//       Labels {"id", "report"} lines with the llm labeler through the crash-safe journal: the
//       output is appended as answers arrive, and a re-run resumes. This is the journaled path
//       `rrg annotate --labeler llm` uses; the SIGKILL resume test runs it.
//   rrg-llm-dev bench --base-url URL [--requests N] [--concurrency C]
//       Sends N small requests with C in flight and reports requests/s and the client's CPU time
//       per request (getrusage); scripts/bench_llm.sh runs it against `serve --latency-ms 50`.
//   rrg-llm-dev green (--pairs PAIRS.jsonl | --synthetic N) --base-url URL --model M [flags]
//       Scores {"id", "candidate", "reference"} lines (or N generated distinct pairs) with the
//       GREEN library (rrg/metrics/green/green_scorer.h) until the lead wires `rrg evaluate
//       --metrics GREEN`: --out writes {"summary", "signature", "samples"}; stdout gets a JSON
//       report with requests/s and the client's CPU per request (scripts/bench_green.sh); the
//       cache makes a re-run send only missing pairs (the SIGKILL resume test runs it).
//
// Exit codes as rrg: 0 success, 1 environment failure (or some reports failed), 2 bad input.
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <fstream>
#include <iostream>
#include <thread>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "fake_openai_server.h"
#include "job_runner.h"
#include "llm_flags.h"
#include "rrg/core/errors.h"
#include "rrg/io/journal.h"
#include "rrg/labelers/llm/llm_labeler.h"
#include "rrg/llm/client.h"
#include "rrg/metrics/green/green_prompt.h"
#include "rrg/metrics/green/green_scorer.h"

namespace {

int run_serve(const rrg::llmdev::FakeServerOptions& options) {
  std::atomic<bool> stop{false};
  rrg::cli::InterruptWatcher watcher([&] { stop = true; });
  rrg::llmdev::FakeOpenAiServer server(options);
  server.start();
  std::cout << "listening on " << server.base_url() << std::endl;
  while (!stop) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  server.stop();
  std::cerr << "rrg-llm-dev: served " << server.request_count() << " requests\n";
  return 0;
}

std::vector<std::pair<std::string, std::string>> read_reports(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw rrg::InputError(path + ": cannot read");
  std::vector<std::pair<std::string, std::string>> out;
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const auto record = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!record.is_object() || !record.contains("id") || !record.contains("report") ||
        !record["report"].is_string()) {
      throw rrg::InputError(rrg::location_message(
          path, number, 0, "expected a JSON object with \"id\" and a string \"report\""));
    }
    const auto& id = record["id"];
    out.emplace_back(id.is_string() ? id.get<std::string>() : id.dump(),
                     record["report"].get<std::string>());
  }
  return out;
}

int run_label(const std::string& in_path, const std::string& out_path,
              const rrg::labelers::LlmLabelerOptions& options, double log_interval_s) {
  const auto reports = read_reports(in_path);
  rrg::labelers::LlmLabeler labeler(options);
  rrg::io::Journal journal(out_path);
  if (!journal.resume_info().message.empty()) {
    std::cerr << "rrg: " << journal.resume_info().message << "\n";
  }
  rrg::cli::JobRunner runner;
  rrg::labelers::JournalLabelStats stats;
  runner.run(
      labeler, "label", [&] { stats = labeler.label_into(reports, journal); }, false,
      log_interval_s);
  journal.close();
  std::cerr << "rrg: " << labeler.summary() << "\n";
  std::cerr << "rrg: " << out_path << ": " << stats.written << " records written, " << stats.skipped
            << " already there, " << stats.failed << " with errors\n";
  if (runner.interrupted()) {
    std::cerr << "rrg: interrupted; run the same command again to resume\n";
    return 130;
  }
  return stats.failed > 0 ? 1 : 0;
}

int run_bench(const std::string& base_url, std::size_t requests, int concurrency) {
  rrg::llm::ClientOptions options;
  options.base_urls = {base_url};
  options.concurrency = concurrency;
  options.request.model = "bench";
  options.request.temperature = 0.0;
  options.request.max_tokens = 16;
  rrg::llm::ChatClient client(options);
  std::size_t next = 0;
  std::size_t failed = 0;
  rusage before{}, after{};
  getrusage(RUSAGE_SELF, &before);
  const auto start = std::chrono::steady_clock::now();
  client.run(
      [&]() -> std::optional<rrg::llm::ChatJob> {
        if (next == requests) return std::nullopt;
        rrg::llm::ChatJob job;
        job.id = std::to_string(next);
        job.messages = nlohmann::json::array(
            {{{"role", "user"},
              {"content", "Benchmark request " + std::to_string(next++) +
                              ": FINDINGS: The lungs are clear. No pleural effusion."}}});
        return job;
      },
      [&](rrg::llm::ChatResult&& result) { failed += result.ok ? 0 : 1; });
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  getrusage(RUSAGE_SELF, &after);
  const auto cpu_seconds = [](const rusage& u) {
    return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
  };
  const double cpu = cpu_seconds(after) - cpu_seconds(before);
  const double rate = static_cast<double>(requests) / wall;
  nlohmann::json report = {
      {"requests", requests},
      {"concurrency", concurrency},
      {"failed", failed},
      {"wall_seconds", wall},
      {"requests_per_second", rate},
      {"client_cpu_seconds", cpu},
      {"client_cpu_ms_per_request", 1000.0 * cpu / static_cast<double>(requests)}};
  std::cout << report.dump(2) << std::endl;
  return failed == 0 ? 0 : 1;
}

// The fake server's green table; texts are normalised as GREEN's prompt holds them.
std::map<std::pair<std::string, std::string>, std::string> read_green_table(
    const std::string& path) {
  std::ifstream in(path);
  if (!in) throw rrg::InputError(path + ": cannot read");
  std::map<std::pair<std::string, std::string>, std::string> out;
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const auto record = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!record.is_object() || !record.value("reference", nlohmann::json()).is_string() ||
        !record.value("candidate", nlohmann::json()).is_string() ||
        !record.value("answer", nlohmann::json()).is_string()) {
      throw rrg::InputError(rrg::location_message(
          path, number, 0, "expected string \"reference\", \"candidate\" and \"answer\""));
    }
    out[{rrg::metrics::green::green_normalize_report(record["reference"].get<std::string>()),
         rrg::metrics::green::green_normalize_report(record["candidate"].get<std::string>())}] =
        record["answer"].get<std::string>();
  }
  return out;
}

double cpu_seconds_now() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

struct GreenPairs {
  std::vector<std::string> ids, candidates, references;
};

GreenPairs read_green_pairs(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw rrg::InputError(path + ": cannot read");
  GreenPairs out;
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const auto record = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!record.is_object() || !record.contains("candidate") || !record["candidate"].is_string() ||
        !record.contains("reference") || !record["reference"].is_string()) {
      throw rrg::InputError(rrg::location_message(
          path, number, 0, "expected a JSON object with string \"candidate\" and \"reference\""));
    }
    const auto id = record.value("id", nlohmann::json(number));
    out.ids.push_back(id.is_string() ? id.get<std::string>() : id.dump());
    out.candidates.push_back(record["candidate"].get<std::string>());
    out.references.push_back(record["reference"].get<std::string>());
  }
  return out;
}

// N distinct pairs of report-sized texts for the benchmark.
GreenPairs synthetic_green_pairs(std::size_t count) {
  GreenPairs out;
  for (std::size_t i = 0; i < count; ++i) {
    out.ids.push_back(std::to_string(i));
    out.references.push_back("Study " + std::to_string(i) +
                             ". The heart size is normal. No pleural effusion. No pneumothorax. "
                             "Mild bibasilar atelectasis.");
    out.candidates.push_back("Study " + std::to_string(i) +
                             ". The heart size is normal. Small left pleural effusion. No "
                             "pneumothorax.");
  }
  return out;
}

int run_green(const std::string& pairs_path, std::size_t synthetic, const std::string& out_path,
              const rrg::metrics::green::GreenOptions& options) {
  using namespace rrg::metrics::green;
  const GreenPairs pairs =
      pairs_path.empty() ? synthetic_green_pairs(synthetic) : read_green_pairs(pairs_path);
  GreenScorer scorer(options);
  rrg::cli::InterruptWatcher watcher([&] { scorer.cancel(); });
  const double cpu_before = cpu_seconds_now();
  const auto start = std::chrono::steady_clock::now();
  const GreenResult result = scorer.score(pairs.candidates, pairs.references);
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double cpu = cpu_seconds_now() - cpu_before;
  std::cerr << "rrg-llm-dev: " << scorer.summary_line() << "\n";
  if (!out_path.empty()) {
    nlohmann::ordered_json samples = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < result.samples.size(); ++i) {
      nlohmann::ordered_json record = {{"id", pairs.ids[i]}};
      record.update(green_sample_json(result.samples[i]));
      samples.push_back(std::move(record));
    }
    nlohmann::ordered_json summary = {{"n_samples", result.summary.n_samples},
                                      {"n_scored", result.summary.n_scored},
                                      {"n_excluded", result.summary.n_excluded},
                                      {"GREEN_std", result.summary.std}};
    for (const auto& key : green_metric_keys()) summary[key] = result.summary.value(key);
    const nlohmann::ordered_json document = {
        {"summary", summary}, {"signature", scorer.signature().format()}, {"samples", samples}};
    std::ofstream out(out_path);
    out << document.dump(2) << "\n";
  }
  const double requests = static_cast<double>(result.requests);
  nlohmann::json report = {
      {"pairs", result.distinct_pairs},
      {"requests", result.requests},
      {"from_cache", result.from_cache},
      {"excluded", result.summary.n_excluded},
      {"cancelled", result.cancelled},
      {"concurrency", options.concurrency},
      {"wall_seconds", wall},
      {"requests_per_second", requests > 0 ? requests / wall : 0.0},
      {"client_cpu_seconds", cpu},
      {"client_cpu_ms_per_request", requests > 0 ? 1000.0 * cpu / requests : 0.0},
      {"GREEN", result.summary.mean},
      {"GREEN_std", result.summary.std}};
  std::cout << report.dump(2) << std::endl;
  if (watcher.interrupted() || result.cancelled) {
    std::cerr << "rrg-llm-dev: interrupted; run the same command again to resume\n";
    return 130;
  }
  return result.summary.n_excluded > 0 ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  CLI::App app{"rrg-llm-dev: developer tools for rrg's LLM client"};
  app.require_subcommand(1);

  rrg::llmdev::FakeServerOptions serve_options;
  auto* serve = app.add_subcommand("serve", "run the scripted loopback test server");
  serve->add_option("--port", serve_options.port, "port on 127.0.0.1 (0 = any free port)");
  serve->add_option("--latency-ms", serve_options.latency_ms, "delay added to every answer");
  serve->add_option("--threads", serve_options.threads, "handler threads");
  std::string green_table;
  serve->add_option("--green-table", green_table,
                    "JSONL of {\"reference\", \"candidate\", \"answer\"}: GREEN judge answers");
  serve->add_flag(
      "--no-record", [&](std::int64_t) { serve_options.record_bodies = false; },
      "do not keep request bodies (long benchmarks)");

  std::string in_path, out_path;
  double log_interval_s = 10;
  rrg::labelers::LlmLabelerOptions labeler_options;
  auto* label = app.add_subcommand("label", "label a JSONL of reports through the journal");
  label->add_option("--in", in_path, "JSONL with {\"id\", \"report\"} per line")->required();
  label->add_option("--out", out_path, "JSONL journal/output (resumed when it exists)")->required();
  label->add_option("--log-interval", log_interval_s, "seconds between progress lines (no TTY)");
  rrg::cli::add_llm_labeler_flags(*label, labeler_options);

  std::string bench_url;
  std::size_t bench_requests = 12800;
  int bench_concurrency = 64;
  auto* bench = app.add_subcommand("bench", "measure client throughput and CPU per request");
  bench->add_option("--base-url", bench_url, "server base URL")->required();
  bench->add_option("--requests", bench_requests, "number of requests");
  bench->add_option("--concurrency", bench_concurrency, "requests in flight");

  std::string green_pairs, green_out;
  std::size_t green_synthetic = 0;
  std::optional<std::int64_t> green_seed;
  bool green_no_seed = false;
  rrg::metrics::green::GreenOptions green_options;
  auto* green = app.add_subcommand("green", "score (candidate, reference) pairs with GREEN");
  auto* pairs_option = green->add_option("--pairs", green_pairs,
                                         "JSONL with {\"id\", \"candidate\", \"reference\"}");
  green->add_option("--synthetic", green_synthetic, "score N generated distinct pairs instead")
      ->excludes(pairs_option);
  green->add_option("--out", green_out, "write the per-sample results and summary (JSON)");
  green->add_option("--base-url", green_options.base_urls, "server base URL (repeatable)")
      ->required();
  green->add_option("--model", green_options.model, "model name the server serves")->required();
  green->add_option("--api-key-file", green_options.api_key_file, "file holding the API key");
  green->add_option("--concurrency", green_options.concurrency, "requests in flight");
  green->add_option("--max-retries", green_options.max_retries, "retries per request");
  green->add_option("--initial-backoff-ms", green_options.initial_backoff_ms,
                    "delay before the first retry");
  green->add_option("--read-timeout", green_options.read_timeout_s, "longest silence (s)");
  green->add_option("--temperature", green_options.temperature, "sampling temperature");
  green->add_option("--seed", green_seed, "sampling seed (default 0)");
  green->add_flag("--no-seed", green_no_seed, "send no seed");
  green->add_option("--max-tokens", green_options.max_tokens, "token limit (default: server's)");
  green->add_option("--endpoint", green_options.endpoint, "chat or completions");
  green->add_option("--chat-template", green_options.chat_template, "'', green or FILE");
  green->add_option("--parser", green_options.parser, "green or radeval");
  green->add_flag("--stream", green_options.stream, "server-sent events");
  green->add_option("--cache", green_options.cache_path, "SQLite cache file");
  green->add_flag("--no-cache", green_options.no_cache, "neither read nor write the cache");

  try {
    app.parse(argc, argv);
    if (*green) {
      if (green_pairs.empty() && green_synthetic == 0) {
        throw rrg::InputError("green: give --pairs FILE or --synthetic N");
      }
      if (green_seed) green_options.seed = green_seed;
      if (green_no_seed) green_options.seed.reset();
      return run_green(green_pairs, green_synthetic, green_out, green_options);
    }
    if (*serve) {
      if (!green_table.empty()) serve_options.green_answers = read_green_table(green_table);
      return run_serve(serve_options);
    }
    if (*label) return run_label(in_path, out_path, labeler_options, log_interval_s);
    if (*bench) return run_bench(bench_url, bench_requests, bench_concurrency);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  } catch (const rrg::InputError& e) {
    std::cerr << "rrg-llm-dev: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "rrg-llm-dev: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
