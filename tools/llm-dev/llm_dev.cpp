// rrg-llm-dev: developer program for the LLM client.
//
//   rrg-llm-dev serve [--port P] [--latency-ms L] [--threads T]
//       Runs the scripted loopback server (fake_openai_server.h) until SIGINT/SIGTERM; prints
//       "listening on URL" on stdout once ready.
//   rrg-llm-dev label --in REPORTS.jsonl --out LABELS.jsonl --base-url URL --model M [flags]
//       Labels {"id", "report"} lines with the llm labeler through the crash-safe journal: the
//       output is appended as answers arrive, and a re-run resumes. This is the journaled path
//       `rrg annotate --labeler llm` uses; the SIGKILL resume test runs it.
//   rrg-llm-dev bench --base-url URL [--requests N] [--concurrency C]
//       Sends N small requests with C in flight and reports requests/s and the client's CPU time
//       per request (getrusage); scripts/bench_llm.sh runs it against `serve --latency-ms 50`.
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

  try {
    app.parse(argc, argv);
    if (*serve) return run_serve(serve_options);
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
