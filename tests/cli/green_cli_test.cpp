// `rrg evaluate` and `rrg compare` with GREEN (docs/green.md) against the loopback fake
// OpenAI-compatible server, whose toy judge answers in GREEN's format (tools/llm-dev/
// fake_openai_server.h): the values GREEN's rules give for those answers, the cache, exclusions,
// refusals before any file is read, and a SIGKILLed run that resumes without asking again.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "fake_openai_server.h"
#include "support/test_support.h"

namespace {

using json = nlohmann::json;
using rrg::llmdev::FakeOpenAiServer;
using rrg::testing::read_file;
using rrg::testing::run_rrg;
using rrg::testing::spawn_rrg;
using rrg::testing::write_file;

// The toy judge's sentences: split at '.', trimmed, lower-cased, empty ones dropped.
std::vector<std::string> sentences(const std::string& text) {
  std::vector<std::string> out;
  std::string current;
  auto flush = [&] {
    const auto b = current.find_first_not_of(' ');
    const auto e = current.find_last_not_of(' ');
    if (b != std::string::npos) out.push_back(current.substr(b, e - b + 1));
    current.clear();
  };
  for (const char c : text) {
    if (c == '.') {
      flush();
    } else {
      current += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  flush();
  return out;
}

// GREEN of the toy judge's answer, by GREEN's formula: matched / (matched + significant errors),
// 0 without matched findings; (a) = candidate sentences not in the reference, (b) = the converse.
double expected_green(const std::string& reference, const std::string& candidate) {
  const auto ref = sentences(reference), cand = sentences(candidate);
  double matched = 0, false_findings = 0, missing = 0;
  for (const auto& s : cand) {
    (std::find(ref.begin(), ref.end(), s) != ref.end() ? matched : false_findings) += 1;
  }
  for (const auto& s : ref) missing += std::find(cand.begin(), cand.end(), s) == cand.end();
  return matched == 0 ? 0.0 : matched / (matched + false_findings + missing);
}

struct Pair {
  std::string id, prediction, reference;
};

std::vector<Pair> pairs(int n) {
  std::vector<Pair> out;
  for (int i = 0; i < n; ++i) {
    Pair p;
    p.id = "s" + std::to_string(i);
    p.reference = "Study " + std::to_string(i) + ". Heart size is normal. Lungs are clear." +
                  (i % 4 == 0 ? " Small left effusion." : "");
    p.prediction = "Study " + std::to_string(i) + ". Heart size is normal." +
                   (i % 3 == 0 ? " Right lower lobe opacity." : " Lungs are clear.");
    out.push_back(p);
  }
  return out;
}

void write_pairs(const std::vector<Pair>& items, const std::string& pred, const std::string& ref,
                 const std::string& suffix = "") {
  std::string p, r;
  for (const auto& item : items) {
    p += json{{"id", item.id}, {"report", item.prediction + suffix}}.dump() + "\n";
    r += json{{"id", item.id}, {"report", item.reference}}.dump() + "\n";
  }
  write_file(pred, p);
  write_file(ref, r);
}

class CliGreen : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.start();
    write_pairs(pairs(12), dir_.file("pred.jsonl"), dir_.file("ref.jsonl"));
  }

  std::vector<std::string> green_args(const std::string& cache) const {
    return {"--green-base-url", server_.base_url(),
            "--green-model",    "green-test",
            "--cache",          cache,
            "--max-retries",    "1"};
  }

  std::vector<std::string> evaluate_args(const std::string& metrics, const std::string& cache) {
    std::vector<std::string> args = {"evaluate",
                                     "--pred",
                                     dir_.file("pred.jsonl"),
                                     "--ref",
                                     dir_.file("ref.jsonl"),
                                     "--metrics",
                                     metrics,
                                     "--json",
                                     "-"};
    for (const auto& a : green_args(cache)) args.push_back(a);
    return args;
  }

  FakeOpenAiServer server_;
  rrg::testing::TempDir dir_;
};

TEST_F(CliGreen, ValuesAreGreensForTheJudgesAnswersAndTheSecondRunSendsNothing) {
  const auto r = run_rrg(evaluate_args("green", dir_.file("cache.sqlite")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(server_.request_count(), 12u);
  const json doc = json::parse(r.out);
  double sum = 0;
  for (const auto& p : pairs(12)) {
    const double want = expected_green(p.reference, p.prediction);
    EXPECT_NEAR(doc["per_sample"][p.id]["GREEN"].get<double>(), want, 1e-15) << p.id;
    sum += want;
  }
  EXPECT_NEAR(doc["corpus"]["GREEN"].get<double>(), sum / 12, 1e-12);
  EXPECT_TRUE(doc["corpus"].contains("GREEN_std"));
  EXPECT_TRUE(doc["corpus"].contains("GREEN_a_false_finding"));
  EXPECT_EQ(doc["per_sample"]["s0"]["GREEN_a_false_finding"], 1.0);  // the invented opacity
  EXPECT_FALSE(doc["corpus"].contains("BLEU-4"));                    // only the family asked for
  const std::string signature = doc["signatures"]["GREEN"];
  for (const char* field : {"GREEN|model:green-test|", "|prompt:green-85a3b955|", "|temp:0|",
                            "|parser:green-1|", "|clean:none|", "|nrefs:1|"}) {
    EXPECT_NE(signature.find(field), std::string::npos) << field << " in " << signature;
  }
  EXPECT_NE(r.err.find("GREEN: 12 pairs"), std::string::npos) << r.err;

  // Everything is in the cache now: nothing is sent, and the numbers are the same.
  const auto again = run_rrg(evaluate_args("green", dir_.file("cache.sqlite")));
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(server_.request_count(), 12u);
  EXPECT_EQ(json::parse(again.out)["per_sample"], doc["per_sample"]);
}

TEST_F(CliGreen, AllIncludesAConfiguredJudgeAndFailedPairsAreExcludedNotZero) {
  // Two pairs fail after every retry: they carry no GREEN value and the mean leaves them out.
  std::string p, r;
  const auto items = pairs(6);
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string fault = i < 2 ? " [[rrg-test:500x9]]" : "";
    p += json{{"id", items[i].id}, {"report", items[i].prediction + fault}}.dump() + "\n";
    r += json{{"id", items[i].id}, {"report", items[i].reference}}.dump() + "\n";
  }
  write_file(dir_.file("pred.jsonl"), p);
  write_file(dir_.file("ref.jsonl"), r);
  std::vector<std::string> args = {"evaluate",
                                   "--pred",
                                   dir_.file("pred.jsonl"),
                                   "--ref",
                                   dir_.file("ref.jsonl"),
                                   "--json",
                                   "-",
                                   "--labeler",
                                   "none"};
  for (const auto& a : green_args(dir_.file("cache.sqlite"))) args.push_back(a);
  const auto result = run_rrg(args);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const json doc = json::parse(result.out);
  EXPECT_TRUE(doc["corpus"].contains("BLEU-4"));  // "all": the lexical metrics and GREEN
  EXPECT_TRUE(doc["per_sample"]["s0"]["GREEN"].is_null());
  EXPECT_TRUE(doc["per_sample"]["s1"]["GREEN"].is_null());
  double sum = 0;
  for (std::size_t i = 2; i < items.size(); ++i) {
    sum += expected_green(items[i].reference, items[i].prediction);
  }
  EXPECT_NEAR(doc["corpus"]["GREEN"].get<double>(), sum / 4, 1e-12);
  EXPECT_NE(result.err.find("2 request errors"), std::string::npos) << result.err;
}

TEST_F(CliGreen, UnusableSettingsAreRefusedBeforeAnyFileIsRead) {
  const std::vector<std::string> files = {"--pred", dir_.file("missing.jsonl"), "--ref",
                                          dir_.file("missing.jsonl")};
  auto with = [&](std::vector<std::string> args) {
    args.insert(args.begin(), files.begin(), files.end());
    args.insert(args.begin(), "evaluate");
    return run_rrg(args);
  };
  auto r = with({"--metrics", "GREEN"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--green-base-url URL and --green-model NAME"), std::string::npos) << r.err;
  r = with({"--green-base-url", server_.base_url()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--green-model NAME"), std::string::npos) << r.err;
  r = with({"--green-model", "m", "--green-base-url", server_.base_url(), "--green-chat-template",
            dir_.file("no-such-template.jinja")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no-such-template.jinja"), std::string::npos) << r.err;
  r = with(
      {"--green-model", "m", "--green-base-url", server_.base_url(), "--green-endpoint", "chats"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("--green-endpoint"), std::string::npos) << r.err;
  EXPECT_EQ(server_.request_count(), 0u);
  // The shared server flags configure GREEN when it is asked for by name.
  r = run_rrg({"evaluate", "--pred", dir_.file("pred.jsonl"), "--ref", dir_.file("ref.jsonl"),
               "--metrics", "GREEN", "--base-url", server_.base_url(), "--model", "judge",
               "--cache", dir_.file("c.sqlite"), "--json", "-"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json doc = json::parse(r.out);
  EXPECT_EQ(doc["corpus"].size(), 1u);  // the key asked for, not the whole family
  EXPECT_EQ(doc["signatures"]["GREEN"].get<std::string>().find("GREEN|model:judge|"), 0u);
}

TEST_F(CliGreen, CompareRunsTheJudgeForEverySystem) {
  write_pairs(pairs(12), dir_.file("b.jsonl"), dir_.file("ref.jsonl"), " Mild cardiomegaly.");
  std::vector<std::string> args = {"compare",
                                   "--ref",
                                   dir_.file("ref.jsonl"),
                                   "--sys",
                                   "a=" + dir_.file("pred.jsonl"),
                                   "--sys",
                                   "b=" + dir_.file("b.jsonl"),
                                   "--metrics",
                                   "GREEN",
                                   "--ar-trials",
                                   "200",
                                   "--bootstrap",
                                   "100",
                                   "--json",
                                   "-"};
  for (const auto& a : green_args(dir_.file("cache.sqlite"))) args.push_back(a);
  const auto r = run_rrg(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(server_.request_count(), 24u);
  const std::string out = r.out;
  EXPECT_NE(out.find("\"GREEN\""), std::string::npos) << out;
  double a = 0, b = 0;
  for (const auto& p : pairs(12)) {
    a += expected_green(p.reference, p.prediction);
    b += expected_green(p.reference, p.prediction + " Mild cardiomegaly.");
  }
  EXPECT_NE(out.find(json(a / 12).dump()), std::string::npos) << out;
  EXPECT_NE(out.find(json(b / 12).dump()), std::string::npos) << out;
}

TEST_F(CliGreen, SigkilledRunResumesWithoutAskingAnsweredPairsAgain) {
  constexpr int kPairs = 14;
  write_pairs(pairs(kPairs), dir_.file("pred.jsonl"), dir_.file("ref.jsonl"),
              " [[rrg-test:slow:150]]");
  std::vector<std::string> args = evaluate_args("green", dir_.file("cache.sqlite"));
  args.insert(args.end(), {"--concurrency", "2"});
  const pid_t pid = spawn_rrg(args, dir_.file("err1.txt"), "/dev/null");
  ASSERT_GT(pid, 0);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (server_.request_count() < 7 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "finished before the kill";
  ASSERT_LT(server_.request_count(), static_cast<std::size_t>(kPairs));

  const auto r = run_rrg(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json doc = json::parse(r.out);
  for (const auto& p : pairs(kPairs)) {
    EXPECT_TRUE(doc["per_sample"][p.id]["GREEN"].is_number()) << p.id;
  }
  // Answered pairs were never asked again; at most the 2 in flight at the kill were asked twice.
  int twice = 0;
  for (int i = 0; i < kPairs; ++i) {
    const int attempts = server_.attempts("Study " + std::to_string(i) + ". Heart");
    EXPECT_GE(attempts, 1) << i;
    EXPECT_LE(attempts, 2) << i;
    twice += attempts == 2;
  }
  EXPECT_LE(twice, 2);
}

TEST_F(CliGreen, SigtermStopsTheJudgeAndWritesNothing) {
  write_pairs(pairs(10), dir_.file("pred.jsonl"), dir_.file("ref.jsonl"), " [[rrg-test:slow:300]]");
  std::vector<std::string> args = evaluate_args("green", dir_.file("cache.sqlite"));
  args.insert(args.end(), {"--concurrency", "1", "--out-dir", dir_.file("out")});
  const pid_t pid = spawn_rrg(args, dir_.file("err.txt"), "/dev/null");
  ASSERT_GT(pid, 0);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (server_.request_count() < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(::kill(pid, SIGTERM), 0);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status)) << "killed by the signal instead of stopping";
  EXPECT_NE(WEXITSTATUS(status), 0);
  EXPECT_NE(read_file(dir_.file("err.txt")).find("interrupted"), std::string::npos)
      << read_file(dir_.file("err.txt"));
  EXPECT_FALSE(rrg::testing::file_exists(dir_.file("out")));
}

}  // namespace
