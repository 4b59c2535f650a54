// bench-serve: drives `rrg serve`'s POST /v1/score, or a fresh `rrg evaluate` process per batch,
// with the same batches from the same number of concurrent clients, and prints one JSON line:
// {"mode", "clients", "batch", "requests", "seconds", "requests_per_s", "p50_ms", "p99_ms",
//  "ms_per_sample", "failures"}.
//
//   bench-serve http URL PRED.jsonl REF.jsonl --clients 16 --batch 20 --seconds 10 [--metrics M]
//   bench-serve process RRG PRED.jsonl REF.jsonl --clients 16 --batch 20 --seconds 10 [--metrics M]
//
// Each client keeps one connection (curl easy handle, keep-alive) and sends batches round-robin
// from the corpus; latency is measured per request from send to the last byte of the answer.
#include <curl/curl.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;

std::vector<nlohmann::json> read_jsonl(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::vector<nlohmann::json> records;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) records.push_back(nlohmann::json::parse(line));
  }
  return records;
}

std::size_t keep(char* data, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

int run_process(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  const int failed = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (failed != 0) return -1;
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::cerr << "usage: bench-serve http|process URL|RRG PRED.jsonl REF.jsonl [--clients N] "
                 "[--batch N] [--seconds S] [--metrics M]\n";
    return 2;
  }
  const std::string mode = argv[1], target = argv[2];
  std::size_t clients = 16, batch = 20;
  double seconds = 10;
  std::string metrics = "seed,clinical";
  for (int i = 5; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--clients")
      clients = std::stoul(argv[i + 1]);
    else if (flag == "--batch")
      batch = std::stoul(argv[i + 1]);
    else if (flag == "--seconds")
      seconds = std::stod(argv[i + 1]);
    else if (flag == "--metrics")
      metrics = argv[i + 1];
  }
  const auto preds = read_jsonl(argv[3]);
  const auto refs = read_jsonl(argv[4]);
  const std::size_t n_batches = std::max<std::size_t>(1, preds.size() / batch);

  // Request bodies (http) and batch files (process), prepared before the clock starts.
  std::vector<std::string> bodies;
  char dir_template[] = "/tmp/bench-serve-XXXXXX";
  const std::string dir = mode == "process" ? mkdtemp(dir_template) : "";
  nlohmann::json metric_list = nlohmann::json::array();
  for (std::size_t start = 0; start <= metrics.size();) {
    const std::size_t comma = std::min(metrics.find(',', start), metrics.size());
    metric_list.push_back(metrics.substr(start, comma - start));
    start = comma + 1;
  }
  for (std::size_t b = 0; b < n_batches; ++b) {
    nlohmann::json pairs = nlohmann::json::array();
    std::string pred_lines, ref_lines;
    for (std::size_t i = b * batch; i < (b + 1) * batch && i < preds.size(); ++i) {
      pairs.push_back({{"id", preds[i]["id"]},
                       {"prediction", preds[i]["report"]},
                       {"reference", refs[i]["report"]}});
      pred_lines += preds[i].dump() + "\n";
      ref_lines += refs[i].dump() + "\n";
    }
    bodies.push_back(nlohmann::json{{"pairs", pairs}, {"metrics", metric_list}}.dump());
    if (!dir.empty()) {
      std::ofstream(dir + "/p" + std::to_string(b) + ".jsonl") << pred_lines;
      std::ofstream(dir + "/r" + std::to_string(b) + ".jsonl") << ref_lines;
    }
  }

  curl_global_init(CURL_GLOBAL_DEFAULT);
  std::atomic<std::size_t> next{0}, failures{0};
  std::vector<std::vector<double>> latencies(clients);
  const auto start = Clock::now();
  const auto end =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  std::vector<std::thread> threads;
  for (std::size_t c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      CURL* curl = nullptr;
      curl_slist* headers = nullptr;
      if (mode == "http") {
        curl = curl_easy_init();
        headers = curl_slist_append(nullptr, "Content-Type: application/json");
        curl_easy_setopt(curl, CURLOPT_URL, (target + "/v1/score").c_str());
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, keep);
        // The client shares the server's cores: no SIGPIPE handler swapped in and out around
        // every transfer, and a 64 KB answer read in one or two reads instead of 16 KB pieces.
        curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(curl, CURLOPT_BUFFERSIZE, 128L * 1024);
      }
      std::string answer;
      while (Clock::now() < end) {
        const std::size_t b = next++ % n_batches;
        const auto t0 = Clock::now();
        bool ok = false;
        if (mode == "http") {
          answer.clear();
          curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer);
          curl_easy_setopt(curl, CURLOPT_POSTFIELDS, bodies[b].c_str());
          curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                           static_cast<curl_off_t>(bodies[b].size()));
          long status = 0;
          if (curl_easy_perform(curl) == CURLE_OK) {
            curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
          }
          ok = status == 200 && answer.find("\"corpus\"") != std::string::npos;
        } else {
          const std::string p = dir + "/p" + std::to_string(b) + ".jsonl";
          const std::string r = dir + "/r" + std::to_string(b) + ".jsonl";
          const std::string out = dir + "/o" + std::to_string(c) + ".json";
          ok = run_process({target, "evaluate", "--pred", p, "--ref", r, "--metrics", metrics,
                            "--labeler", "rules", "--threads", "1", "--quiet", "--json", out}) == 0;
        }
        if (!ok) ++failures;
        latencies[c].push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      }
      if (curl != nullptr) curl_easy_cleanup(curl);
      curl_slist_free_all(headers);
    });
  }
  for (auto& t : threads) t.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> all;
  for (const auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  auto quantile = [&](double q) {
    return all.empty() ? 0.0
                       : all[std::min(all.size() - 1, static_cast<std::size_t>(q * all.size()))];
  };
  if (!dir.empty()) std::system(("rm -rf " + dir).c_str());
  nlohmann::ordered_json line;
  line["mode"] = mode;
  line["clients"] = clients;
  line["batch"] = batch;
  line["metrics"] = metrics;
  line["requests"] = all.size();
  line["seconds"] = elapsed;
  line["requests_per_s"] = all.size() / elapsed;
  line["p50_ms"] = quantile(0.50);
  line["p99_ms"] = quantile(0.99);
  line["ms_per_sample"] = all.empty() ? 0.0 : 1000.0 * elapsed / (all.size() * batch);
  line["failures"] = failures.load();
  std::cout << line.dump() << std::endl;
  return failures.load() == 0 ? 0 : 1;
}
