// The llm labeler against the scripted loopback server (issue 4): labels, answer shapes (fences,
// <think>, key spellings, streaming), per-report errors with the raw text, the SQLite cache
// (hits on re-run, only deterministic successful answers), the journal path (no lost or
// duplicated records, resume), and the rrg-llm-dev process killed with SIGKILL mid-run.
#include "rrg/labelers/llm/llm_labeler.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <thread>

#include "fake_openai_server.h"
#include "rrg/core/errors.h"
#include "rrg/io/journal.h"
#include "rrg/labelers/registry.h"
#include "support/test_support.h"

extern char** environ;

namespace rrg::labelers {
namespace {

using llmdev::FakeOpenAiServer;
using nlohmann::json;
using rrg::testing::TempDir;

// Reports we wrote for these tests; the fake server's toy labeler marks an observation 1 when
// its name occurs, 0 after "no ", -1 after "possible " (chexpert4 only).
const std::vector<std::string> kReports = {
    "Mild cardiomegaly. No pleural effusion.",
    "The lungs are clear. No pneumothorax.",
    "Possible edema. Support devices in place.",
    "Right pleural effusion with adjacent atelectasis.",
};

LabelRow binary_row(std::initializer_list<std::size_t> positives) {
  LabelRow row;
  row.fill(Label::kNegative);
  for (auto i : positives) row[i] = Label::kPositive;
  return row;
}

// Expected binary labels of kReports (indices into kObservationNames).
const std::vector<LabelRow> kBinaryExpected = {binary_row({1}), binary_row({13}),
                                               binary_row({12, 13}), binary_row({7, 9})};

class LlmLabelerTest : public ::testing::Test {
 protected:
  void SetUp() override { server_.start(); }

  LlmLabelerOptions options() const {
    LlmLabelerOptions o;
    o.server.base_urls = {server_.base_url()};
    o.server.model = "toy-model";
    o.server.cache_path = dir_.file("cache.sqlite");
    o.server.concurrency = 4;
    o.server.max_retries = 2;
    return o;
  }

  FakeOpenAiServer server_;
  TempDir dir_;
};

void expect_rows(const std::vector<LabelResult>& results, const std::vector<LabelRow>& expected) {
  ASSERT_EQ(results.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(results[i].error, "") << "report " << i;
    for (std::size_t k = 0; k < kNumObservations; ++k) {
      EXPECT_EQ(static_cast<int>(results[i].labels[k]), static_cast<int>(expected[i][k]))
          << "report " << i << ", " << kObservationNames[k];
    }
  }
}

TEST_F(LlmLabelerTest, LabelsReportsAndNamesItself) {
  LlmLabeler labeler(options());
  EXPECT_EQ(labeler.name(), "llm");
  EXPECT_EQ(labeler.identity(), "llm:toy-model@rrg-chexpert14-uzeros.v1/binary");
  expect_rows(labeler.label(kReports), kBinaryExpected);
  const auto body = json::parse(server_.requests().at(0).body);
  EXPECT_EQ(body["temperature"], 0.0);
  EXPECT_EQ(body["response_format"]["type"], "json_schema");
  EXPECT_EQ(body["response_format"]["json_schema"]["name"], "chexpert_labels");
  EXPECT_EQ(body["response_format"]["json_schema"]["schema"]["required"].size(), 14u);
  EXPECT_EQ(body["messages"][0]["role"], "system");
  const std::string user = body["messages"][1]["content"];
  EXPECT_NE(user.find("</report>"), std::string::npos);
}

TEST_F(LlmLabelerTest, Chexpert4Scheme) {
  auto o = options();
  o.label_scheme = "chexpert4";
  o.structured = "vllm";
  o.server.chat_template_kwargs = R"({"enable_thinking": false})";
  LlmLabeler labeler(o);
  EXPECT_EQ(labeler.identity(), "llm:toy-model@rrg-chexpert4.v1/chexpert4");
  const auto results = labeler.label({kReports[0], kReports[2]});
  LabelRow first = blank_row();
  first[1] = Label::kPositive;
  first[9] = Label::kNegative;
  LabelRow third = blank_row();
  third[4] = Label::kUncertain;
  third[12] = Label::kPositive;
  expect_rows(results, {first, third});
  const auto body = json::parse(server_.requests().at(0).body);
  EXPECT_EQ(body["structured_outputs"]["json"]["properties"]["Edema"]["enum"],
            json({1, 0, -1, nullptr}));
  EXPECT_EQ(body["chat_template_kwargs"], json({{"enable_thinking", false}}));
}

TEST_F(LlmLabelerTest, AnswerShapesAllParseToTheSameLabels) {
  auto o = options();
  o.server.no_cache = true;
  for (const bool stream : {false, true}) {
    o.server.stream = stream;
    LlmLabeler labeler(o);
    std::vector<std::string> texts;
    for (const char* shape :
         {"fence", "think", "orphanthink", "reasoningfield", "keycase", "strings", "nested"}) {
      texts.push_back(kReports[0] + " [[rrg-test:" + shape + "]]");
    }
    const auto results = labeler.label(texts);
    expect_rows(results, std::vector<LabelRow>(texts.size(), kBinaryExpected[0]));
  }
}

TEST_F(LlmLabelerTest, BadAnswersAndFailedRequestsAreExplicitErrors) {
  auto o = options();
  o.server.max_retries = 1;
  LlmLabeler labeler(o);
  std::vector<LlmLabel> labels(5);
  labeler.label_each(
      {kReports[0] + " [[rrg-test:missingkey]]", kReports[0] + " [[rrg-test:prose]]",
       kReports[0] + " [[rrg-test:503]]", kReports[0] + " [[rrg-test:truncthink]]", kReports[1]},
      [&](LlmLabel&& label) { labels[label.index] = std::move(label); });
  EXPECT_NE(labels[0].result.error.find("no value for \"Edema\""), std::string::npos)
      << labels[0].result.error;
  EXPECT_NE(labels[0].raw_answer.find("\"Cardiomegaly\":1"), std::string::npos);
  EXPECT_FALSE(labels[0].request_failed);
  EXPECT_NE(labels[1].result.error.find("raw answer: \"I am unable to label"), std::string::npos);
  EXPECT_TRUE(labels[2].request_failed);
  EXPECT_EQ(labels[2].attempts, 2);
  EXPECT_NE(labels[2].result.error.find("request failed: HTTP 503"), std::string::npos)
      << labels[2].result.error;
  EXPECT_NE(labels[3].result.error.find("ran out of tokens while thinking"), std::string::npos);
  EXPECT_EQ(labels[4].result.error, "");
  for (int i = 0; i < 4; ++i) EXPECT_EQ(labels[i].result.labels, blank_row()) << i;
  const auto progress = labeler.counts();
  EXPECT_EQ(progress.done, 5u);
  EXPECT_EQ(progress.request_errors, 1u);
  EXPECT_EQ(progress.parse_errors, 3u);
  EXPECT_EQ(progress.retries, 1u);
  EXPECT_EQ(labeler.summary(),
            "llm: 5 reports labelled (0 from cache), 1 request error, 3 unparsable answers, 1 "
            "retry");
}

TEST_F(LlmLabelerTest, CacheAnswersReRunsWithoutRequests) {
  {
    LlmLabeler labeler(options());
    expect_rows(labeler.label(kReports), kBinaryExpected);
  }
  const auto after_first = server_.request_count();
  EXPECT_EQ(after_first, kReports.size());
  LlmLabeler again(options());
  expect_rows(again.label(kReports), kBinaryExpected);
  EXPECT_EQ(server_.request_count(), after_first);  // every answer came from the cache
  EXPECT_EQ(again.counts().from_cache, kReports.size());

  // Anything that changes the answer changes the key: another scheme, model or prompt.
  auto other = options();
  other.label_scheme = "chexpert4";
  LlmLabeler four(other);
  four.label({kReports[0]});
  EXPECT_EQ(server_.request_count(), after_first + 1);
  EXPECT_NE(four.cache_key(kReports[0]), again.cache_key(kReports[0]));
}

TEST_F(LlmLabelerTest, OnlyDeterministicSuccessfulAnswersAreCached) {
  auto o = options();
  o.server.temperature = 0.7;
  {
    LlmLabeler labeler(o);
    labeler.label({kReports[0]});
    labeler.label({kReports[0]});
  }
  EXPECT_EQ(server_.request_count(), 2u);
  EXPECT_FALSE(rrg::testing::file_exists(o.server.cache_path));  // never even opened

  auto failing = options();
  failing.server.max_retries = 0;
  LlmLabeler labeler(failing);
  labeler.label({"x [[rrg-test:500]]", "y [[rrg-test:truncthink]]"});
  labeler.label({"x [[rrg-test:500]]", "y [[rrg-test:truncthink]]"});
  EXPECT_EQ(server_.request_count(), 2u + 4u);  // nothing of those was cached

  auto no_cache = options();
  no_cache.server.no_cache = true;
  LlmLabeler uncached(no_cache);
  uncached.label({kReports[3]});
  uncached.label({kReports[3]});
  EXPECT_EQ(server_.request_count(), 6u + 2u);
}

TEST_F(LlmLabelerTest, LabelIntoJournalWritesEveryIdOnceAndResumes) {
  const std::string out = dir_.file("labels.jsonl");
  std::vector<std::pair<std::string, std::string>> reports;
  for (int i = 0; i < 40; ++i) {
    reports.emplace_back("id" + std::to_string(i),
                         kReports[i % kReports.size()] + " #" + std::to_string(i % 8));
  }
  reports.emplace_back("fails", "broken [[rrg-test:503]]");
  auto o = options();
  o.server.no_cache = true;
  o.server.max_retries = 0;
  {
    LlmLabeler labeler(o);
    io::Journal journal(out);
    const auto stats = labeler.label_into(reports, journal);
    EXPECT_EQ(stats.written, 41u);
    EXPECT_EQ(stats.failed, 1u);
    EXPECT_EQ(stats.skipped, 0u);
  }
  // 40 reports, 8 distinct texts (plus the failing one): each text was requested once.
  EXPECT_EQ(server_.request_count(), 9u);
  std::set<std::string> ids;
  std::ifstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    const auto record = json::parse(line);
    EXPECT_TRUE(ids.insert(record["id"].get<std::string>()).second) << line;
    if (record["id"] == "fails") {
      EXPECT_NE(record["error"].get<std::string>().find("HTTP 503"), std::string::npos);
      EXPECT_TRUE(record["labels"]["Edema"].is_null());  // not a silent 0
    } else {
      EXPECT_FALSE(record.contains("error")) << line;
    }
  }
  EXPECT_EQ(ids.size(), 41u);

  // A re-run skips finished ids and retries only the failed one.
  LlmLabeler labeler(o);
  io::Journal journal(out);
  EXPECT_EQ(journal.resume_info().failed_dropped, 1u);
  const auto stats = labeler.label_into(reports, journal);
  EXPECT_EQ(stats.skipped, 40u);
  EXPECT_EQ(stats.written, 1u);
  EXPECT_EQ(server_.request_count(), 10u);
}

TEST_F(LlmLabelerTest, OptionErrorsNameTheFlag) {
  LlmLabelerOptions o;
  try {
    LlmLabeler labeler(o);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("--base-url is required"), std::string::npos);
  }
  o.server.base_urls = {server_.base_url()};
  EXPECT_THROW(LlmLabeler{o}, InputError);  // no --model
  o.server.model = "m";
  o.server.no_cache = true;
  o.label_scheme = "ternary";
  EXPECT_THROW(LlmLabeler{o}, InputError);
  o.label_scheme = "binary";
  o.structured = "xml";
  EXPECT_THROW(LlmLabeler{o}, InputError);
  o.structured = "none";
  o.server.chat_template_kwargs = "enable_thinking=false";
  EXPECT_THROW(LlmLabeler{o}, InputError);
  o.server.chat_template_kwargs = "";
  o.server.read_timeout_s = -1;
  EXPECT_THROW(LlmLabeler{o}, InputError);
}

TEST_F(LlmLabelerTest, RegisteredAsLlm) {
  LabelerOptions o;
  o.llm = options();
  const auto labeler = make_labeler("llm", o);
  EXPECT_EQ(labeler->identity(), "llm:toy-model@rrg-chexpert14-uzeros.v1/binary");
  bool listed = false;
  for (const auto& info : labeler_infos()) listed = listed || info.name == "llm";
  EXPECT_TRUE(listed);
}

// --- The `rrg annotate --labeler llm` process: SIGKILL mid-run, resume, key redaction. ---

std::vector<std::string> annotate_args(const std::string& in, const std::string& out,
                                       const std::string& base_url) {
  return {RRG_EXECUTABLE, "annotate", "--labeler",  "llm",    "--in",    in,
          "--out",        out,        "--base-url", base_url, "--model", "toy-model"};
}

std::size_t count_lines(const std::string& path) {
  std::ifstream in(path);
  std::size_t n = 0;
  std::string line;
  while (std::getline(in, line)) ++n;
  return n;
}

TEST_F(LlmLabelerTest, ResumesAfterSigkillWithoutLosingOrDuplicatingRecords) {
  // A slower server so that the kill lands mid-run.
  llmdev::FakeServerOptions slow;
  slow.latency_ms = 40;
  FakeOpenAiServer server(slow);
  server.start();
  const std::size_t total = 150;
  std::string input;
  for (std::size_t i = 0; i < total; ++i) {
    input += json{{"id", "r" + std::to_string(i)},
                  {"report", kReports[i % kReports.size()] + " (study " + std::to_string(i) + ")"}}
                 .dump() +
             "\n";
  }
  rrg::testing::write_file(dir_.file("in.jsonl"), input);
  const std::string out = dir_.file("out.jsonl");
  std::vector<std::string> args = annotate_args(dir_.file("in.jsonl"), out, server.base_url());
  for (const char* extra : {"--no-cache", "--concurrency", "4"}) args.push_back(extra);

  // Start, wait for some records, kill -9.
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 2, dir_.file("err1.txt").c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  for (int i = 0; i < 1000 && count_lines(out) < 30; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "finished before the kill";
  const std::size_t before = count_lines(out);
  ASSERT_GE(before, 30u);
  ASSERT_LT(before, total);
  std::set<std::string> finished_before;
  {
    std::ifstream first(out);
    std::string line;
    while (std::getline(first, line))
      finished_before.insert(json::parse(line)["id"].get<std::string>());
  }

  // Simulate the worst case too: a record torn by the kill.
  {
    std::ofstream torn(out, std::ios::app);
    torn << "{\"id\":\"r149\",\"labels\":{\"Enlarged Cardiom";
  }

  // The same command again resumes and completes.
  const auto resumed = rrg::testing::run_command(args);
  EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.err.find("resuming after " + std::to_string(before) + " finished records"),
            std::string::npos)
      << resumed.err;
  EXPECT_NE(resumed.err.find("removed an incomplete last record"), std::string::npos)
      << resumed.err;

  std::set<std::string> ids;
  std::ifstream in(out);
  std::string line;
  std::size_t lines = 0;
  while (std::getline(in, line)) {
    ++lines;
    const auto record = json::parse(line);  // every line is a complete record
    const std::string id = record["id"];
    EXPECT_TRUE(ids.insert(id).second) << "duplicated " << id;
    const std::size_t i = std::stoul(id.substr(1));
    const LabelRow& expected = kBinaryExpected[i % kReports.size()];
    for (std::size_t k = 0; k < kNumObservations; ++k) {
      EXPECT_EQ(record["labels"][std::string(kObservationNames[k])].get<int>(),
                static_cast<int>(expected[k]))
          << id;
    }
  }
  EXPECT_EQ(lines, total);
  EXPECT_EQ(ids.size(), total);
  // Per report, counted by the server: a report finished before the kill was never asked again;
  // one in flight at the kill was asked twice; at most `concurrency` (4) were in flight.
  std::size_t asked_twice = 0;
  for (std::size_t i = 0; i < total; ++i) {
    const int attempts = server.attempts("(study " + std::to_string(i) + ")");
    if (finished_before.count("r" + std::to_string(i)) != 0) {
      EXPECT_EQ(attempts, 1) << i;
    } else {
      EXPECT_GE(attempts, 1) << i;
      EXPECT_LE(attempts, 2) << i;
      if (attempts == 2) ++asked_twice;
    }
  }
  EXPECT_LE(asked_twice, 4u);
  const std::size_t requests_after_resume = server.request_count();

  // A third run has nothing to do.
  const auto third = rrg::testing::run_command(args);
  EXPECT_EQ(third.exit_code, 0) << third.err;
  EXPECT_EQ(server.request_count(), requests_after_resume);
  EXPECT_EQ(count_lines(out), total);
}

TEST_F(LlmLabelerTest, ProcessReRunIsAnsweredByTheCache) {
  rrg::testing::write_file(dir_.file("in.jsonl"),
                           "{\"id\": 1, \"report\": \"Mild cardiomegaly.\"}\n"
                           "{\"id\": 2, \"report\": \"No pneumothorax.\"}\n");
  const auto run = [&](const std::string& out) {
    auto args = annotate_args(dir_.file("in.jsonl"), dir_.file(out), server_.base_url());
    args.push_back("--cache");
    args.push_back(dir_.file("cache.sqlite"));
    return rrg::testing::run_command(args);
  };
  ASSERT_EQ(run("a.jsonl").exit_code, 0);
  EXPECT_EQ(server_.request_count(), 2u);
  const auto second = run("b.jsonl");  // a fresh output, same cache
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(server_.request_count(), 2u);
  EXPECT_NE(second.err.find("(2 from cache)"), std::string::npos) << second.err;
  EXPECT_EQ(count_lines(dir_.file("b.jsonl")), 2u);
}

TEST_F(LlmLabelerTest, ApiKeyNeverReachesOutputOrLogs) {
  const std::string secret = "sk-proj-SECRET-0123456789abcdef";
  rrg::testing::write_file(dir_.file("in.jsonl"),
                           "{\"id\": \"a\", \"report\": \"Edema. [[rrg-test:401echo]]\"}\n"
                           "{\"id\": \"b\", \"report\": \"Edema.\"}\n");
  auto args = annotate_args(dir_.file("in.jsonl"), dir_.file("out.jsonl"), server_.base_url());
  args.push_back("--no-cache");
  const auto result = rrg::testing::run_command(args, "", {"RRG_API_KEY=" + secret});
  // One report has an error record: the output is complete, and the exit status says it is not.
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_NE(result.err.find("1 could not be labelled"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("rrg: error: 1 report could not be labelled (see the \"error\" field "
                            "of its record in " +
                            dir_.file("out.jsonl") + "); run the same command again to retry it"),
            std::string::npos)
      << result.err;
  EXPECT_EQ(server_.requests().at(0).authorization, "Bearer " + secret);  // the key was used
  const std::string output = rrg::testing::read_file(dir_.file("out.jsonl"));
  EXPECT_NE(output.find("[REDACTED]"), std::string::npos) << output;
  EXPECT_EQ(output.find(secret), std::string::npos);
  EXPECT_EQ(result.err.find(secret), std::string::npos);
  EXPECT_EQ(result.out.find(secret), std::string::npos);
}

TEST_F(LlmLabelerTest, EvaluateLabelsPredictionsAndReferencesWithTheSameModel) {
  rrg::testing::write_file(
      dir_.file("pred.jsonl"),
      "{\"id\": \"a\", \"report\": \"Mild cardiomegaly. No pleural effusion.\"}\n"
      "{\"id\": \"b\", \"report\": \"Lungs are clear.\"}\n"
      "{\"id\": \"c\", \"report\": \"Right pleural effusion.\"}\n");
  rrg::testing::write_file(dir_.file("ref.jsonl"),
                           "{\"id\": \"a\", \"report\": \"Cardiomegaly. No pleural effusion.\"}\n"
                           "{\"id\": \"b\", \"report\": \"Possible pneumothorax.\"}\n"
                           "{\"id\": \"c\", \"report\": \"Right pleural effusion and "
                           "atelectasis.\"}\n");
  const auto result = rrg::testing::run_rrg(
      {"evaluate", "--pred", dir_.file("pred.jsonl"), "--ref", dir_.file("ref.jsonl"), "--labeler",
       "llm", "--base-url", server_.base_url(), "--model", "toy-model", "--cache",
       dir_.file("cache.sqlite"), "--metrics", "clinical", "--json", "-"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(server_.request_count(), 6u);  // 3 predictions + 3 references, one model
  const auto scores = json::parse(result.out);
  // By hand from the toy labels (U-zeros, 14 observations): true positives a/Cardiomegaly,
  // b/No Finding, c/Pleural Effusion; one false negative, c/Atelectasis; no false positive.
  EXPECT_DOUBLE_EQ(scores["corpus"]["chexpert_micro_precision_14_uzeros"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(scores["corpus"]["chexpert_micro_recall_14_uzeros"].get<double>(), 0.75);
  EXPECT_NEAR(scores["corpus"]["chexpert_micro_f1_14_uzeros"].get<double>(), 6.0 / 7.0, 1e-12);
  EXPECT_NE(scores["signatures"]["chexpert_micro_f1_14_uzeros"].get<std::string>().find(
                "labeler:llm:toy-model@rrg-chexpert14-uzeros.v1/binary"),
            std::string::npos);
  // Re-running the evaluation labels nothing again.
  const auto again = rrg::testing::run_rrg(
      {"evaluate", "--pred", dir_.file("pred.jsonl"), "--ref", dir_.file("ref.jsonl"), "--labeler",
       "llm", "--base-url", server_.base_url(), "--model", "toy-model", "--cache",
       dir_.file("cache.sqlite"), "--metrics", "clinical", "--json", "-"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(server_.request_count(), 6u);
  EXPECT_EQ(json::parse(again.out)["corpus"], scores["corpus"]);
}

}  // namespace
}  // namespace rrg::labelers
