// End-to-end tests of the GREEN scorer (rrg/metrics/green/green_scorer.h) against the loopback
// fake OpenAI server (tools/llm-dev/fake_openai_server.h) in its green mode: the exact request
// (GREEN's prompt, temperature 0, seed), every distinct pair asked once, faults survived
// (429 with Retry-After, 5xx, dropped connections, broken bodies, read timeouts), exclusions
// counted instead of scored 0, the SQLite cache (a second run sends nothing), a cancelled run and
// a SIGKILLed rrg-llm-dev process resumed without asking a finished pair again, the Completions
// endpoint with GREEN's template, and the signature.
#include "rrg/metrics/driver.h"
#include "rrg/metrics/green/green_metric.h"
#include "rrg/metrics/green/green_scorer.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "fake_openai_server.h"
#include "rrg/core/errors.h"
#include "rrg/core/version.h"
#include "rrg/io/cache_db.h"
#include "rrg/metrics/green/green_prompt.h"
#include "support/test_support.h"

extern char** environ;

namespace rrg::metrics::green {
namespace {

using llmdev::FakeOpenAiServer;
using llmdev::FakeServerOptions;
using nlohmann::json;

// A judge answer in GREEN's format with the given significant counts and matched findings.
std::string judge_answer(const std::array<int, 6>& significant, int matched) {
  std::string out = "[Explanation]:\nWritten for the test.\n\n[Clinically Significant Errors]:\n";
  for (std::size_t k = 0; k < 6; ++k) {
    out += "(" + std::string(1, static_cast<char>('a' + k)) + ") " +
           green_sub_categories()[k].text + ": " + std::to_string(significant[k]) + ".\n";
  }
  out += "\n[Clinically Insignificant Errors]:\n(a) x: 1. y.\n\n[Matched Findings]:\n" +
         std::to_string(matched) + ". Findings.";
  return out;
}

GreenOptions fast_options(const FakeOpenAiServer& server, const std::string& cache_path) {
  GreenOptions options;
  options.base_urls = {server.base_url()};
  options.model = "StanfordAIMI/GREEN-radllama2-7b";
  options.concurrency = 4;
  options.max_retries = 3;
  options.initial_backoff_ms = 10;
  options.max_backoff_ms = 50;
  options.random_seed = 11;
  options.cache_path = cache_path;
  return options;
}

class GreenScorerTest : public ::testing::Test {
 protected:
  std::string cache() const { return dir_.file("cache.sqlite"); }
  rrg::testing::TempDir dir_;
};

TEST_F(GreenScorerTest, AsksEachDistinctPairOnceWithGreensPrompt) {
  FakeServerOptions server_options;
  server_options.green_answers[{"Mild cardiomegaly. No effusion.", "Mild cardiomegaly."}] =
      judge_answer({0, 1, 0, 0, 0, 0}, 1);
  server_options.green_answers[{"No pneumothorax.", "Small left pneumothorax."}] =
      judge_answer({1, 0, 0, 1, 0, 0}, 0);
  server_options.green_answers[{"Clear lungs.", "Clear lungs."}] =
      judge_answer({0, 0, 0, 0, 0, 0}, 2);
  FakeOpenAiServer server(server_options);
  server.start();
  GreenScorer scorer(fast_options(server, cache()));
  // Six samples, three distinct prompts (whitespace differences vanish in make_prompt).
  const std::vector<std::string> candidates = {"Mild cardiomegaly.", "Small left pneumothorax.",
                                               "Clear lungs.",       "Mild  cardiomegaly.\n",
                                               "Clear lungs.",       "Small left pneumothorax."};
  const std::vector<std::string> references = {
      "Mild cardiomegaly. No effusion.",   "No pneumothorax.", "Clear lungs.",
      " Mild cardiomegaly.  No effusion.", "Clear lungs.",     "No pneumothorax."};
  const GreenResult result = scorer.score(candidates, references);
  EXPECT_EQ(server.request_count(), 3u);
  EXPECT_EQ(result.distinct_pairs, 3u);
  EXPECT_EQ(result.requests, 3u);
  ASSERT_EQ(result.samples.size(), 6u);
  const std::vector<double> expected = {0.5, 0.0, 1.0, 0.5, 1.0, 0.0};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    ASSERT_TRUE(result.samples[i].green.has_value()) << i << ": " << result.samples[i].error;
    EXPECT_EQ(*result.samples[i].green, expected[i]) << i;
  }
  EXPECT_EQ(result.samples[1].counts.significant[3], 1);
  EXPECT_EQ(result.samples[2].counts.matched, 2);
  EXPECT_EQ(result.samples[0].counts.insignificant[0], 1);
  EXPECT_EQ(result.summary.mean, 0.5);
  EXPECT_EQ(result.summary.n_excluded, 0u);
  EXPECT_EQ(result.summary.value("GREEN_a_false_finding"), 1.0 / 3.0);
  // The request: GREEN's prompt as the one user message, greedy, seeded, no token limit.
  for (const auto& request : server.requests()) {
    const json body = json::parse(request.body);
    EXPECT_EQ(body["model"], "StanfordAIMI/GREEN-radllama2-7b");
    EXPECT_EQ(body["temperature"], 0.0);
    EXPECT_EQ(body["seed"], 0);
    EXPECT_FALSE(body.contains("max_tokens"));
    EXPECT_FALSE(body.contains("chat_template"));
    ASSERT_EQ(body["messages"].size(), 1u);
    EXPECT_EQ(body["messages"][0]["role"], "user");
  }
  std::set<std::string> prompts;
  for (const auto& request : server.requests()) prompts.insert(request.key);
  EXPECT_EQ(
      prompts.count(make_green_prompt("Mild cardiomegaly. No effusion.", "Mild cardiomegaly.")),
      1u);
  EXPECT_EQ(prompts.count(make_green_prompt("Clear lungs.", "Clear lungs.")), 1u);
}

TEST_F(GreenScorerTest, FaultsAreSurvived) {
  FakeOpenAiServer server;
  server.start();
  auto options = fast_options(server, cache());
  options.read_timeout_s = 0.3;
  options.concurrency = 8;
  GreenScorer scorer(options);
  const std::vector<std::string> faults = {"[[rrg-test:429x1:1]]",     "[[rrg-test:429msx2:30]]",
                                           "[[rrg-test:500x2]]",       "[[rrg-test:503x1]]",
                                           "[[rrg-test:dropx1]]",      "[[rrg-test:badjsonx2]]",
                                           "[[rrg-test:slowx1:1500]]", ""};
  std::vector<std::string> candidates, references;
  for (std::size_t i = 0; i < faults.size(); ++i) {
    references.push_back("Study " + std::to_string(i) + ". Heart normal. No effusion.");
    candidates.push_back("Study " + std::to_string(i) + ". Heart normal. " + faults[i]);
  }
  const GreenResult result = scorer.score(candidates, references);
  EXPECT_EQ(result.summary.n_excluded, 0u);
  for (std::size_t i = 0; i < faults.size(); ++i) {
    const auto& sample = result.samples[i];
    ASSERT_TRUE(sample.green.has_value()) << faults[i] << ": " << sample.error;
    // The toy judge: "study i" and "heart normal" match, "no effusion" is missing.
    EXPECT_EQ(sample.counts.matched, 2) << faults[i];
    EXPECT_EQ(sample.counts.significant[1], 1) << faults[i];
    EXPECT_EQ(*sample.green, 2.0 / 3.0) << faults[i];
    EXPECT_EQ(sample.attempts, faults[i].empty()                           ? 1
                               : faults[i].find("x2") != std::string::npos ? 3
                                                                           : 2)
        << faults[i];
  }
  const auto times = server.attempt_times("429x1:1");
  ASSERT_EQ(times.size(), 2u);
  EXPECT_GE(times[1] - times[0], 1000.0);  // Retry-After: 1 honoured
  EXPECT_GT(scorer.progress().retries, 0u);
}

TEST_F(GreenScorerTest, FailuresAreExcludedNotScoredZero) {
  FakeOpenAiServer server;
  server.start();
  auto options = fast_options(server, cache());
  options.max_retries = 1;
  GreenScorer scorer(options);
  const std::vector<std::string> candidates = {"A. B.", "A. [[rrg-test:500]]",
                                               "A. [[rrg-test:truncthink]]",
                                               "A. [[rrg-test:400vllm]]", "C."};
  const std::vector<std::string> references(candidates.size(), "A. B.");
  const GreenResult result = scorer.score(candidates, references);
  EXPECT_EQ(result.summary.n_samples, 5u);
  EXPECT_EQ(result.summary.n_scored, 2u);
  EXPECT_EQ(result.summary.n_excluded, 3u);
  EXPECT_EQ(*result.samples[0].green, 1.0);
  EXPECT_EQ(*result.samples[4].green, 0.0);  // nothing matched: GREEN's 0, a real score
  EXPECT_EQ(result.summary.mean, 0.5);
  for (const std::size_t i : {1u, 2u, 3u}) {
    EXPECT_FALSE(result.samples[i].green.has_value()) << i;
    EXPECT_FALSE(result.samples[i].error.empty()) << i;
  }
  EXPECT_TRUE(result.samples[1].request_failed);
  EXPECT_NE(result.samples[1].error.find("HTTP 500"), std::string::npos);
  EXPECT_EQ(server.attempts("A. [[rrg-test:500]]"), 2);  // 1 + --max-retries 1
  EXPECT_FALSE(result.samples[2].request_failed);
  EXPECT_NE(result.samples[2].error.find("ran out of tokens while thinking"), std::string::npos);
  EXPECT_NE(result.samples[3].error.find("maximum context length"), std::string::npos);
  EXPECT_EQ(scorer.progress().request_errors, 2u);
  EXPECT_EQ(scorer.progress().answer_errors, 1u);
  // Failures were not cached: a second run asks them again, and only them.
  const std::size_t before = server.request_count();
  GreenScorer again(options);
  const GreenResult second = again.score(candidates, references);
  EXPECT_EQ(second.from_cache, 2u);
  EXPECT_EQ(second.requests, 3u);
  EXPECT_EQ(server.request_count() - before, 2u + 1u + 1u);  // 500 twice, truncthink, 400 once

  // As an rrg metric: per-sample values of excluded samples are NaN, never 0, and the corpus
  // values are the summary's.
  TextCorpus corpus;
  corpus.hypotheses = candidates;
  for (const auto& r : references) corpus.references.push_back({r});
  const GreenMetric metric(options);
  const auto scores = score_corpus(metric, corpus);
  EXPECT_EQ(scores.names.front(), "GREEN");
  EXPECT_EQ(scores.names[1], "GREEN_std");
  EXPECT_EQ(scores.corpus.front(), 0.5);
  EXPECT_EQ(scores.corpus[1], 0.5);  // np.std([1, 0])
  EXPECT_TRUE(std::isnan(scores.per_sample[0][1]));
  EXPECT_EQ(scores.per_sample[0][4], 0.0);
  EXPECT_TRUE(scores.per_sample[1].empty());  // GREEN_std has no per-sample value
  EXPECT_NE(scores.signatures[0].format().find("GREEN|model:"), std::string::npos);
}

TEST_F(GreenScorerTest, SecondRunIsAnsweredByTheCache) {
  FakeOpenAiServer server;
  server.start();
  std::vector<std::string> candidates, references;
  for (int i = 0; i < 40; ++i) {
    references.push_back("Case " + std::to_string(i) + ". Normal heart. Clear lungs.");
    candidates.push_back("Case " + std::to_string(i) + ". Normal heart." +
                         (i % 3 == 0 ? " Effusion." : ""));
  }
  const GreenResult first =
      GreenScorer(fast_options(server, cache())).score(candidates, references);
  EXPECT_EQ(server.request_count(), 40u);
  EXPECT_EQ(first.requests, 40u);
  const GreenResult second =
      GreenScorer(fast_options(server, cache())).score(candidates, references);
  EXPECT_EQ(server.request_count(), 40u);  // nothing sent
  EXPECT_EQ(second.requests, 0u);
  EXPECT_EQ(second.from_cache, 40u);
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    EXPECT_TRUE(second.samples[i].from_cache);
    EXPECT_EQ(second.samples[i].green, first.samples[i].green) << i;
    EXPECT_EQ(second.samples[i].answer, first.samples[i].answer) << i;
  }
  EXPECT_EQ(second.summary.mean, first.summary.mean);
  EXPECT_EQ(second.summary.std, first.summary.std);
  io::CacheDb db(cache());
  EXPECT_EQ(db.count("green-answer"), 40u);
  // Another model, seed or endpoint is another key; another server URL is not.
  auto other = fast_options(server, cache());
  other.seed = 7;
  GreenScorer seeded(other);
  GreenScorer same(fast_options(server, cache()));
  EXPECT_NE(seeded.cache_key("Clear.", "Clear."), same.cache_key("Clear.", "Clear."));
  auto moved = fast_options(server, cache());
  moved.base_urls = {"http://127.0.0.1:1/v1"};
  EXPECT_EQ(GreenScorer(moved).cache_key("Clear.", "Clear."), same.cache_key("Clear.", "Clear."));
  EXPECT_EQ(same.cache_key(" Clear. ", "Clear."), same.cache_key("Clear.", "Clear."));
  // A non-zero temperature is not cached, and --no-cache neither reads nor writes.
  auto sampled = fast_options(server, cache());
  sampled.temperature = 0.7;
  GreenScorer(sampled).score({candidates[0]}, {references[0]});
  auto uncached = fast_options(server, cache());
  uncached.no_cache = true;
  GreenScorer(uncached).score({candidates[1]}, {references[1]});
  EXPECT_EQ(server.request_count(), 42u);
  EXPECT_EQ(db.count("green-answer"), 40u);
}

TEST_F(GreenScorerTest, CancelledRunResumesWithOnlyTheMissingPairs) {
  FakeServerOptions slow;
  slow.latency_ms = 30;
  FakeOpenAiServer server(slow);
  server.start();
  std::vector<std::string> candidates, references;
  for (int i = 0; i < 60; ++i) {
    references.push_back("Pair " + std::to_string(i) + ". No acute findings.");
    candidates.push_back("Pair " + std::to_string(i) + ". No acute findings.");
  }
  GreenScorer scorer(fast_options(server, cache()));
  GreenResult first;
  std::thread run([&] { first = scorer.score(candidates, references); });
  while (scorer.progress().done < 12) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  scorer.cancel();
  run.join();
  ASSERT_TRUE(first.cancelled);
  std::set<std::size_t> finished;
  for (std::size_t i = 0; i < first.samples.size(); ++i) {
    if (first.samples[i].green) {
      finished.insert(i);
    } else {
      EXPECT_NE(first.samples[i].error.find("cancelled"), std::string::npos);
    }
  }
  ASSERT_GE(finished.size(), 12u);
  ASSERT_LT(finished.size(), 60u);
  EXPECT_EQ(first.summary.n_excluded, 60u - finished.size());

  const GreenResult second =
      GreenScorer(fast_options(server, cache())).score(candidates, references);
  EXPECT_FALSE(second.cancelled);
  EXPECT_EQ(second.summary.n_scored, 60u);
  EXPECT_EQ(second.from_cache, finished.size());
  for (int i = 0; i < 60; ++i) {
    const int attempts =
        server.attempts("Pair " + std::to_string(i) + ". No acute findings.\n\n    4.");
    if (finished.count(static_cast<std::size_t>(i)) != 0) {
      EXPECT_EQ(attempts, 1) << i;  // never asked again
    } else {
      EXPECT_GE(attempts, 1) << i;
      EXPECT_LE(attempts, 2) << i;  // asked again only if it was in flight at the cancel
    }
    EXPECT_EQ(*second.samples[i].green, 1.0) << i;
  }
}

std::size_t count_cached(const std::string& path) {
  if (!rrg::testing::file_exists(path)) return 0;
  io::CacheDb db(path);
  return db.count("green-answer");
}

TEST_F(GreenScorerTest, SigkilledProcessResumesWithoutAskingFinishedPairsAgain) {
  FakeServerOptions slow;
  slow.latency_ms = 40;
  FakeOpenAiServer server(slow);
  server.start();
  const std::size_t total = 120;
  std::string pairs;
  for (std::size_t i = 0; i < total; ++i) {
    pairs += json{{"id", "s" + std::to_string(i)},
                  {"reference", "Exam " + std::to_string(i) + ". Normal heart. No effusion."},
                  {"candidate", "Exam " + std::to_string(i) + ". Normal heart."}}
                 .dump() +
             "\n";
  }
  rrg::testing::write_file(dir_.file("pairs.jsonl"), pairs);
  std::vector<std::string> args = {std::string(RRG_BINARY_DIR) + "/rrg-llm-dev",
                                   "green",
                                   "--pairs",
                                   dir_.file("pairs.jsonl"),
                                   "--base-url",
                                   server.base_url(),
                                   "--model",
                                   "StanfordAIMI/GREEN-radllama2-7b",
                                   "--concurrency",
                                   "4",
                                   "--cache",
                                   cache(),
                                   "--out",
                                   dir_.file("out.json")};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, dir_.file("err1.txt").c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  for (int i = 0; i < 2000 && count_cached(cache()) < 30; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "finished before the kill";
  const std::size_t cached = count_cached(cache());
  ASSERT_GE(cached, 30u);
  ASSERT_LT(cached, total);
  // Which pairs the killed run finished: those asked exactly once so far and answered, i.e. in
  // the cache. Every later request for them would be a duplicate.
  std::vector<int> attempts_before(total);
  for (std::size_t i = 0; i < total; ++i) {
    attempts_before[i] = server.attempts("Exam " + std::to_string(i) + ". Normal heart.\n\n    4.");
  }

  const auto resumed = rrg::testing::run_command(args);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  const json report = json::parse(resumed.out);
  EXPECT_EQ(report["from_cache"].get<std::size_t>(), cached);
  EXPECT_EQ(report["requests"].get<std::size_t>(), total - cached);
  std::size_t asked_again = 0;
  for (std::size_t i = 0; i < total; ++i) {
    const int attempts = server.attempts("Exam " + std::to_string(i) + ". Normal heart.\n\n    4.");
    EXPECT_GE(attempts, 1) << i;
    EXPECT_LE(attempts, 2) << i;
    asked_again += attempts > attempts_before[i] && attempts_before[i] > 0 ? 1 : 0;
  }
  // Only requests in flight at the kill (at most --concurrency 4) were asked twice.
  EXPECT_LE(asked_again, 4u);
  EXPECT_EQ(server.request_count(), total + asked_again);
  const json out = json::parse(rrg::testing::read_file(dir_.file("out.json")));
  ASSERT_EQ(out["samples"].size(), total);
  std::set<std::string> ids;
  for (const auto& sample : out["samples"]) {
    EXPECT_TRUE(ids.insert(sample["id"].get<std::string>()).second);
    EXPECT_EQ(sample["GREEN"].get<double>(), 2.0 / 3.0);
  }
  EXPECT_EQ(out["summary"]["n_excluded"], 0);

  // A third run sends nothing.
  const std::size_t requests = server.request_count();
  const auto third = rrg::testing::run_command(args);
  EXPECT_EQ(third.exit_code, 0) << third.err;
  EXPECT_EQ(server.request_count(), requests);
}

TEST_F(GreenScorerTest, CompletionsEndpointWithGreensTemplate) {
  FakeServerOptions server_options;
  server_options.green_answers[{"Left effusion.", "Right effusion."}] =
      judge_answer({0, 0, 1, 0, 0, 0}, 1);
  FakeOpenAiServer server(server_options);
  server.start();
  auto options = fast_options(server, cache());
  options.endpoint = "completions";
  options.chat_template = "green";
  options.max_tokens = 512;
  options.stream = true;
  GreenScorer scorer(options);
  const GreenResult result = scorer.score({"Right effusion."}, {"Left effusion."});
  ASSERT_TRUE(result.samples[0].green.has_value()) << result.samples[0].error;
  EXPECT_EQ(*result.samples[0].green, 0.5);
  const json body = json::parse(server.requests().at(0).body);
  EXPECT_EQ(body["prompt"], "<|user|>\n" + make_green_prompt("Left effusion.", "Right effusion.") +
                                "</s>\n<|assistant|>\n</s>\n<|assistant|>\n</s>");
  EXPECT_FALSE(body.contains("messages"));
  EXPECT_EQ(body["max_tokens"], 512);
  EXPECT_EQ(scorer.signature().format(),
            "GREEN|model:StanfordAIMI/GREEN-radllama2-7b|prompt:green-85a3b955|temp:0|"
            "parser:green-1|max_tokens:512|endpoint:completions|template:" +
                scorer.template_id() + "|version:" + rrg::version());
  EXPECT_EQ(scorer.template_id().rfind("green-", 0), 0u);

  // A plain completion (base models), and a template file of one's own.
  options.chat_template = "";
  options.stream = false;
  GreenScorer plain(options);
  plain.score({"Right effusion."}, {"Left effusion."});
  EXPECT_EQ(json::parse(server.requests().at(1).body)["prompt"],
            make_green_prompt("Left effusion.", "Right effusion."));
  rrg::testing::write_file(dir_.file("template.txt"), "### Human: {prompt}\n### Assistant:");
  options.chat_template = dir_.file("template.txt");
  GreenScorer own(options);
  own.score({"Right effusion."}, {"Left effusion."});
  EXPECT_EQ(
      json::parse(server.requests().at(2).body)["prompt"],
      "### Human: " + make_green_prompt("Left effusion.", "Right effusion.") + "\n### Assistant:");
  EXPECT_EQ(own.template_id().rfind("file-", 0), 0u);
  EXPECT_EQ(server.request_count(), 3u);  // three templates, three cache keys
}

TEST_F(GreenScorerTest, ChatTemplateIsSentAsTheRequestField) {
  FakeOpenAiServer server;
  server.start();
  auto options = fast_options(server, cache());
  options.chat_template = "green";
  GreenScorer scorer(options);
  scorer.score({"A."}, {"A."});
  const json body = json::parse(server.requests().at(0).body);
  EXPECT_EQ(body["chat_template"], std::string(green_chat_template_jinja()));
  EXPECT_EQ(body["messages"][0]["content"], make_green_prompt("A.", "A."));
}

TEST_F(GreenScorerTest, SignatureAndDialect) {
  FakeOpenAiServer server;
  server.start();
  GreenScorer scorer(fast_options(server, cache()));
  EXPECT_EQ(scorer.signature().format(),
            "GREEN|model:StanfordAIMI/GREEN-radllama2-7b|prompt:green-85a3b955|temp:0|"
            "parser:green-1|version:" +
                std::string(rrg::version()));
  EXPECT_EQ(scorer.signature("GREEN_matched").name(), "GREEN_matched");
  auto options = fast_options(server, cache());
  options.parser = "radeval";
  options.temperature = 0.5;
  options.seed = 3;
  GreenScorer radeval(options);
  EXPECT_EQ(radeval.signature().get("parser"), "radeval-1");
  EXPECT_EQ(radeval.signature().get("temp"), "0.5");
  EXPECT_EQ(radeval.signature().get("seed"), "3");
}

TEST_F(GreenScorerTest, UnusableOptionsAndInputsAreInputErrors) {
  FakeOpenAiServer server;
  server.start();
  const auto with = [&](auto change) {
    auto options = fast_options(server, cache());
    change(options);
    return options;
  };
  EXPECT_THROW(GreenScorer(with([](GreenOptions& o) { o.base_urls.clear(); })), InputError);
  EXPECT_THROW(GreenScorer(with([](GreenOptions& o) { o.model.clear(); })), InputError);
  EXPECT_THROW(GreenScorer(with([](GreenOptions& o) { o.endpoint = "responses"; })), InputError);
  EXPECT_THROW(GreenScorer(with([](GreenOptions& o) { o.parser = "gpt4"; })), InputError);
  EXPECT_THROW(GreenScorer(with([](GreenOptions& o) { o.chat_template = "/nonexistent.jinja"; })),
               InputError);
  EXPECT_THROW(GreenScorer(with([](GreenOptions& o) { o.max_tokens = 0; })), InputError);
  EXPECT_THROW(GreenScorer(with([](GreenOptions& o) { o.read_timeout_s = -1; })), InputError);
  rrg::testing::write_file(dir_.file("no_field.txt"), "no prompt field here");
  EXPECT_THROW(GreenScorer(with([&](GreenOptions& o) {
                 o.endpoint = "completions";
                 o.chat_template = dir_.file("no_field.txt");
               })),
               InputError);
  GreenScorer scorer(fast_options(server, cache()));
  EXPECT_THROW(scorer.score({"a", "b"}, {"a"}), InputError);
  const GreenResult empty = scorer.score({}, {});
  EXPECT_EQ(empty.summary.n_samples, 0u);
  EXPECT_TRUE(std::isnan(empty.summary.mean));
  EXPECT_EQ(server.request_count(), 0u);
}

}  // namespace
}  // namespace rrg::metrics::green
