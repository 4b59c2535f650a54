// The real rrg binary: `rrg generate` against the scripted loopback OpenAI-compatible server
// (tools/llm-dev/fake_openai_server.h). Images are generated at test time (16-bit PNG, RGB PNG,
// DICOM, JPEG, a truncated JPEG); every request body the server receives is decoded back to
// pixels and compared with the source images.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "fake_openai_server.h"
#include "image/image_fixtures.h"
#include "io/mimic_fixture.h"
#include "rrg/image/data_url.h"
#include "rrg/image/image_reader.h"
#include "rrg/io/report_file.h"
#include "rrg/io/shard.h"
#include "support/test_support.h"

namespace {

using nlohmann::json;
using rrg::image::Image;
using rrg::llmdev::FakeOpenAiServer;
using rrg::testing::read_file;
using rrg::testing::run_rrg;
using rrg::testing::spawn_rrg;
using rrg::testing::TempDir;
using rrg::testing::write_file;

std::vector<json> read_jsonl(const std::string& path) {
  std::vector<json> out;
  const std::string text = read_file(path);
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t end = text.find('\n', pos);
    out.push_back(json::parse(text.substr(pos, end - pos)));
    pos = end == std::string::npos ? text.size() : end + 1;
  }
  return out;
}

std::map<std::string, json> by_id(const std::vector<json>& records) {
  std::map<std::string, json> out;
  for (const auto& r : records) out[r["id"].get<std::string>()] = r;
  return out;
}

// The request bodies the server received, by the text of their last user message.
std::map<std::string, json> bodies_by_prompt(const FakeOpenAiServer& server) {
  std::map<std::string, json> out;
  for (const auto& request : server.requests()) out[request.key] = json::parse(request.body);
  return out;
}

Image decode_part(const json& part) {
  EXPECT_EQ(part["type"], "image_url");
  const std::string url = part["image_url"].is_string()
                              ? part["image_url"].get<std::string>()
                              : part["image_url"]["url"].get<std::string>();
  const auto parsed = rrg::image::parse_data_url(url);
  return rrg::image::decode_image(parsed.bytes, "request image");
}

// DICOM-independent expectation for a 16-bit image: round(255 * (v - min) / (max - min)).
std::vector<int> minmax_8bit(const Image& source) {
  int low = 65535, high = 0;
  for (int y = 0; y < source.height; ++y) {
    for (int x = 0; x < source.width; ++x) {
      low = std::min(low, source.sample(x, y));
      high = std::max(high, source.sample(x, y));
    }
  }
  std::vector<int> out;
  for (int y = 0; y < source.height; ++y) {
    for (int x = 0; x < source.width; ++x) {
      out.push_back(
          static_cast<int>(std::floor(255.0 * (source.sample(x, y) - low) / (high - low) + 0.5)));
    }
  }
  return out;
}

std::vector<int> samples(const Image& image) {
  std::vector<int> out;
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      for (int c = 0; c < image.channels; ++c) out.push_back(image.sample(x, y, c));
    }
  }
  return out;
}

std::size_t count_lines(const std::string& path) {
  if (!rrg::testing::file_exists(path)) return 0;
  const std::string text = read_file(path);
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

void wait_for_lines(const std::string& path, std::size_t n) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (count_lines(path) < n && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

class CliGenerate : public ::testing::Test {
 protected:
  void SetUp() override { server_.start(); }

  // Flags every run needs; the cache is off unless a test turns it on.
  std::vector<std::string> base_args(const std::string& output) const {
    return {"generate", "--base-url", server_.base_url(), "--model", "vlm-test",       "--no-cache",
            "-o",       output,       "--concurrency",    "4",       "--log-interval", "0.2"};
  }

  static std::vector<std::string> concat(std::vector<std::string> a,
                                         const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  }

  // Studies whose prompts are distinct (so the server counts attempts per study) and whose
  // images are one small PNG.
  std::string write_prompted_studies(int count, const std::string& extra = "") {
    rrg::testing::write_image_file(dir_.file("small.png"),
                                   rrg::testing::pattern_image(16, 12, 1, 8, 255));
    std::string jsonl;
    for (int i = 0; i < count; ++i) {
      jsonl += "{\"id\": \"s" + std::to_string(i) + "\", \"images\": [\"" + dir_.file("small.png") +
               "\"], \"prompt\": \"Describe study " + std::to_string(i) + extra + "\"}\n";
    }
    write_file(dir_.file("studies.jsonl"), jsonl);
    return dir_.file("studies.jsonl");
  }

  TempDir dir_;
  FakeOpenAiServer server_;
};

TEST_F(CliGenerate, RequestCarriesTheExactPixelsAndPrompt) {
  const Image png16 = rrg::testing::pattern_image(64, 48, 1, 16, 4095);
  const Image rgb = rrg::testing::pattern_image(40, 30, 3, 8, 255);
  rrg::testing::write_image_file(dir_.file("a16.png"), png16);
  rrg::testing::write_image_file(dir_.file("b.png"), rgb);
  rrg::testing::DicomFixture dicom;
  dicom.photometric = "MONOCHROME1";
  dicom.stored = rrg::testing::ramp_values(dicom.width, dicom.height, 4095);
  dicom.window_center = 2048;
  dicom.window_width = 2048;
  dicom.transfer_syntax = "jpeg-lossless";
  rrg::testing::write_dicom_file(dir_.file("c.dcm"), dicom);
  write_file(dir_.file("studies.jsonl"),
             "{\"id\": \"s1\", \"images\": [{\"path\": \"a16.png\", \"view\": \"PA\"}, {\"path\": "
             "\"b.png\", \"view\": \"LATERAL\"}], \"indication\": \"Cough.\"}\n"
             "{\"id\": \"s2\", \"images\": [{\"path\": \"c.dcm\", \"view\": \"AP\"}], "
             "\"indication\": \"Fever.\"}\n");

  const auto r =
      run_rrg(concat(base_args(dir_.file("out.jsonl")),
                     {"--studies", dir_.file("studies.jsonl"), "--image-root", dir_.path(),
                      "--image-format", "png", "--system", "You are a radiologist.", "--prompt",
                      "Views: {views}. Indication: {indication}"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto bodies = bodies_by_prompt(server_);
  ASSERT_EQ(bodies.size(), 2u);

  const json& b1 = bodies.at("Views: PA, LATERAL. Indication: Cough.");
  EXPECT_EQ(b1["model"], "vlm-test");
  EXPECT_EQ(b1["temperature"], 0.0);
  ASSERT_EQ(b1["messages"].size(), 2u);
  EXPECT_EQ(b1["messages"][0], (json{{"role", "system"}, {"content", "You are a radiologist."}}));
  const json& content = b1["messages"][1]["content"];
  EXPECT_EQ(b1["messages"][1]["role"], "user");
  ASSERT_EQ(content.size(), 3u);
  EXPECT_EQ(content[2],
            (json{{"type", "text"}, {"text", "Views: PA, LATERAL. Indication: Cough."}}));
  // 16-bit PNG: min/max stretched to 8 bits, every pixel.
  const Image first = decode_part(content[0]);
  EXPECT_EQ(first.bit_depth, 8);
  EXPECT_EQ(samples(first), minmax_8bit(png16));
  // RGB PNG: unchanged, channel order kept.
  const Image second = decode_part(content[1]);
  EXPECT_EQ(second.channels, 3);
  EXPECT_EQ(second.data, rgb.data);

  // DICOM (JPEG lossless, MONOCHROME1): the VOI window of the file, inverted.
  const json& b2 = bodies.at("Views: AP. Indication: Fever.");
  const Image third = decode_part(b2["messages"][1]["content"][0]);
  ASSERT_EQ(third.width, dicom.width);
  for (int y = 0; y < dicom.height; ++y) {
    for (int x = 0; x < dicom.width; ++x) {
      const double want =
          255.0 - rrg::testing::voi_linear(dicom.stored[y * dicom.width + x], 2048, 2048);
      ASSERT_LE(std::abs(third.sample(x, y) - std::lround(want)), 1) << x << "," << y;
    }
  }

  // The records: documented keys in order, the answer, the images.
  const auto records = read_jsonl(dir_.file("out.jsonl"));
  ASSERT_EQ(records.size(), 2u);
  const auto s1 = by_id(records).at("s1");
  std::vector<std::string> keys;  // in file order
  const std::string text = read_file(dir_.file("out.jsonl"));
  const auto first_record = nlohmann::ordered_json::parse(text.substr(0, text.find('\n')));
  for (const auto& item : first_record.items()) keys.push_back(item.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"id", "output", "model", "images", "finish_reason",
                                            "usage", "latency_ms"}));
  EXPECT_EQ(s1["output"], "echo: Views: PA, LATERAL. Indication: Cough.");
  EXPECT_EQ(s1["model"], "vlm-test");
  EXPECT_EQ(s1["images"], (json{dir_.file("a16.png"), dir_.file("b.png")}));
  EXPECT_EQ(s1["finish_reason"], "stop");
  EXPECT_EQ(s1["usage"]["total_tokens"], 120);
  EXPECT_GT(s1["latency_ms"].get<double>(), 0.0);
}

TEST_F(CliGenerate, JpegResizingAndStringImageUrls) {
  const Image big = rrg::testing::pattern_image(400, 300, 1, 8, 255);
  rrg::testing::write_image_file(dir_.file("big.png"), big);
  write_file(dir_.file("studies.jsonl"),
             "{\"id\": \"x\", \"images\": [\"" + dir_.file("big.png") + "\"]}\n");
  const auto r = run_rrg(concat(base_args(dir_.file("out.jsonl")),
                                {"--studies", dir_.file("studies.jsonl"), "--max-side", "200",
                                 "--image-url", "string", "--jpeg-quality", "90"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 1u);
  const json body = json::parse(requests[0].body);
  const json& part = body["messages"][0]["content"][0];  // no system message
  ASSERT_TRUE(part["image_url"].is_string());
  EXPECT_EQ(part["image_url"].get<std::string>().rfind("data:image/jpeg;base64,", 0), 0u);
  const Image sent = decode_part(part);
  EXPECT_EQ(sent.width, 200);
  EXPECT_EQ(sent.height, 150);
  // Close to the 2x2 block means of the source (INTER_AREA), within JPEG error.
  double total = 0;
  for (int y = 0; y < 150; ++y) {
    for (int x = 0; x < 200; ++x) {
      const double mean = (big.sample(2 * x, 2 * y) + big.sample(2 * x + 1, 2 * y) +
                           big.sample(2 * x, 2 * y + 1) + big.sample(2 * x + 1, 2 * y + 1)) /
                          4.0;
      total += std::abs(sent.sample(x, y) - mean);
    }
  }
  EXPECT_LT(total / (200 * 150), 2.0);
  // The default prompt asks for the findings section.
  EXPECT_NE(requests[0].key.find("FINDINGS section"), std::string::npos) << requests[0].key;
}

TEST_F(CliGenerate, MimicTreeSelectsAndOrdersViews) {
  // Each image is flat grey with its own level, so the request shows which image went where.
  std::map<std::string, int> level = {{"b-pa", 40},    {"a-lat", 80},  {"c-ap", 120},
                                      {"d-ll", 160},   {"e-lat", 200}, {"f-axial", 220},
                                      {"g-none", 240}, {"h-pa", 30},   {"i-pa", 60}};
  rrg::testing::write_mimic_tree(dir_.file("mimic"), [&](const std::string& path) {
    Image flat = rrg::image::make_image(32, 32, 1, 8);
    std::fill(flat.data.begin(), flat.data.end(),
              static_cast<std::uint8_t>(level.at(std::filesystem::path(path).stem().string())));
    rrg::testing::write_image_file(path, flat);
  });
  const auto r =
      run_rrg(concat(base_args(dir_.file("out.jsonl")), {"--mimic", dir_.file("mimic"), "--prompt",
                                                         "Views: {views}", "--format", "seed"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("3 studies"), std::string::npos) << r.err;
  const auto records = read_jsonl(dir_.file("out.jsonl"));
  ASSERT_EQ(records.size(), 3u);
  std::map<std::string, std::vector<int>> levels_sent;  // prompt -> image levels in order
  for (const auto& request : server_.requests()) {
    const json body = json::parse(request.body);
    const json& content = body["messages"][0]["content"];
    for (std::size_t i = 0; i + 1 < content.size(); ++i) {
      levels_sent[request.key].push_back(decode_part(content[i]).sample(5, 5));
    }
  }
  EXPECT_EQ(levels_sent.at("Views: PA, LATERAL"), (std::vector<int>{40, 80}));
  EXPECT_EQ(levels_sent.at("Views: AP"), (std::vector<int>{120}));
  EXPECT_EQ(levels_sent.at("Views: LATERAL, LL"), (std::vector<int>{200, 160}));
  // --format seed: the original toolkit's file next to the output, in study order.
  const json seed = json::parse(read_file(dir_.file("out.seed.json")));
  ASSERT_EQ(seed["test"].size(), 3u);
  EXPECT_EQ(seed["test"][0]["id"], "50000001");
  EXPECT_EQ(seed["test"][0]["output"], "echo: Views: PA, LATERAL");
}

TEST_F(CliGenerate, UnreadableImageIsAnErrorRecordNotACrash) {
  rrg::testing::write_image_file(dir_.file("ok.jpg"),
                                 rrg::testing::pattern_image(32, 32, 1, 8, 255));
  const std::string jpeg = read_file(dir_.file("ok.jpg"));
  write_file(dir_.file("cut.jpg"), jpeg.substr(0, jpeg.size() / 2));
  write_file(dir_.file("studies.jsonl"),
             "{\"id\": \"good\", \"images\": [\"" + dir_.file("ok.jpg") + "\"]}\n" +
                 "{\"id\": \"bad\", \"images\": [\"" + dir_.file("ok.jpg") + "\", \"" +
                 dir_.file("cut.jpg") + "\"]}\n");
  auto r =
      run_rrg(concat(base_args(dir_.file("out.jsonl")), {"--studies", dir_.file("studies.jsonl")}));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("1 study failed"), std::string::npos) << r.err;
  auto records = by_id(read_jsonl(dir_.file("out.jsonl")));
  ASSERT_EQ(records.size(), 2u);
  EXPECT_TRUE(records["good"]["output"].is_string());
  EXPECT_TRUE(records["bad"]["output"].is_null());
  EXPECT_EQ(records["bad"]["error"], dir_.file("cut.jpg") +
                                         ": truncated JPEG (no end-of-image marker after the "
                                         "image data)");
  EXPECT_EQ(server_.request_count(), 1u);  // the broken study never reached the server
  // The evaluator's reader takes the output as is: the failed study is an invalid record.
  const rrg::io::ReportFile predictions = rrg::io::read_report_file(dir_.file("out.jsonl"));
  ASSERT_EQ(predictions.records.size(), 2u);
  for (const auto& record : predictions.records) {
    EXPECT_EQ(record.error.empty(), record.id == "good") << record.id;
  }
  // A re-run retries only the failed study (and fails it again, explicitly).
  r = run_rrg(concat(base_args(dir_.file("out.jsonl")), {"--studies", dir_.file("studies.jsonl")}));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(server_.request_count(), 1u);
  EXPECT_EQ(read_jsonl(dir_.file("out.jsonl")).size(), 2u);
}

TEST_F(CliGenerate, QuestionFilePromptsAndReasoning) {
  rrg::testing::write_image_file(dir_.file("q.png"),
                                 rrg::testing::pattern_image(16, 16, 1, 8, 255));
  write_file(dir_.file("questions.json"),
             json{{"test",
                   {{{"id", "q1"},
                     {"role", "user"},
                     {"content",
                      {{{"type", "image"}, {"image", "file://" + dir_.file("q.png")}},
                       {{"type", "text"}, {"text", "Report please. [[rrg-test:think]]"}}}}},
                    {{"id", "q2"},
                     {"role", "user"},
                     {"content",
                      {{{"type", "image"}, {"image", dir_.file("q.png")}},
                       {{"type", "text"}, {"text", "Think hard. [[rrg-test:truncthink]]"}}}}}}}}
                 .dump());
  const auto r = run_rrg(concat(base_args(dir_.file("out.jsonl")),
                                {"--questions", dir_.file("questions.json"), "--keep-reasoning"}));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("1 cut off while thinking"), std::string::npos) << r.err;
  auto records = by_id(read_jsonl(dir_.file("out.jsonl")));
  // The question's own text is the prompt; the <think> block goes to "reasoning".
  EXPECT_EQ(records["q1"]["output"], "echo: Report please. [[rrg-test:think]]");
  EXPECT_EQ(records["q1"]["reasoning"], "The report mentions {braces} and findings.");
  EXPECT_FALSE(records["q1"].contains("error"));
  // Thinking cut off by the token limit: an explicit error, the partial thinking kept.
  EXPECT_TRUE(records["q2"]["output"].is_null());
  EXPECT_EQ(records["q2"]["finish_reason"], "length");
  EXPECT_NE(records["q2"]["error"].get<std::string>().find("ran out of tokens while thinking"),
            std::string::npos);
  EXPECT_EQ(records["q2"]["reasoning"], "Considering every observation in turn and");
}

TEST_F(CliGenerate, ResumesAfterSigkillWithoutLosingOrDuplicatingStudies) {
  constexpr int kStudies = 14;
  const std::string studies = write_prompted_studies(kStudies, " [[rrg-test:slow:150]]");
  std::vector<std::string> args = concat(base_args(dir_.file("out.jsonl")), {"--studies", studies});
  *(std::find(args.begin(), args.end(), "--concurrency") + 1) = "2";
  const pid_t pid = spawn_rrg(args, dir_.file("err1.txt"));
  ASSERT_GT(pid, 0);
  wait_for_lines(dir_.file("out.jsonl"), 4);
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "finished before the kill";
  const std::size_t before = count_lines(dir_.file("out.jsonl"));
  ASSERT_GE(before, 4u);
  ASSERT_LT(before, static_cast<std::size_t>(kStudies));

  const auto r = run_rrg(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("resuming after " + std::to_string(before) + " finished records"),
            std::string::npos)
      << r.err;
  const auto records = read_jsonl(dir_.file("out.jsonl"));
  ASSERT_EQ(records.size(), static_cast<std::size_t>(kStudies));
  std::set<std::string> ids;
  for (const auto& record : records) {
    EXPECT_TRUE(ids.insert(record["id"].get<std::string>()).second) << record["id"];
    EXPECT_FALSE(record.contains("error"));
  }
  // Finished studies were never asked again; at most the 2 in flight at the kill were asked twice.
  int twice = 0;
  for (int i = 0; i < kStudies; ++i) {
    const int attempts = server_.attempts("Describe study " + std::to_string(i) + " ");
    EXPECT_GE(attempts, 1);
    EXPECT_LE(attempts, 2);
    twice += attempts == 2;
  }
  EXPECT_LE(twice, 2);
}

TEST_F(CliGenerate, SigtermStopsCleanlyAndTheRunResumes) {
  // What Slurm sends before pre-empting a job: finished records stay, the exit status says so.
  constexpr int kStudies = 12;
  const std::string studies = write_prompted_studies(kStudies, " [[rrg-test:slow:150]]");
  std::vector<std::string> args = concat(base_args(dir_.file("out.jsonl")), {"--studies", studies});
  *(std::find(args.begin(), args.end(), "--concurrency") + 1) = "2";
  const pid_t pid = spawn_rrg(args, dir_.file("err.txt"));
  ASSERT_GT(pid, 0);
  wait_for_lines(dir_.file("out.jsonl"), 3);
  ASSERT_EQ(::kill(pid, SIGTERM), 0);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status)) << "killed by the signal instead of stopping";
  EXPECT_EQ(WEXITSTATUS(status), 1);
  EXPECT_NE(read_file(dir_.file("err.txt")).find("interrupted;"), std::string::npos)
      << read_file(dir_.file("err.txt"));
  const std::size_t before = count_lines(dir_.file("out.jsonl"));
  EXPECT_LT(before, static_cast<std::size_t>(kStudies));
  for (const auto& record : read_jsonl(dir_.file("out.jsonl"))) {
    EXPECT_FALSE(record.contains("error")) << record.dump();  // abandoned, not failed
  }
  const auto r = run_rrg(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_jsonl(dir_.file("out.jsonl")).size(), static_cast<std::size_t>(kStudies));
}

TEST_F(CliGenerate, ShardsMergeBackToTheCompleteSet) {
  constexpr int kStudies = 20;
  const std::string studies = write_prompted_studies(kStudies);
  std::set<std::string> seen;
  std::vector<std::string> shard_files;
  for (int k = 0; k < 3; ++k) {
    const std::string out = dir_.file("run.shard-" + std::to_string(k) + ".jsonl");
    const auto r = run_rrg(
        concat(base_args(out), {"--studies", studies, "--shard", std::to_string(k) + "/3"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const auto& record : read_jsonl(out)) {
      const std::string id = record["id"];
      EXPECT_EQ(rrg::io::shard_of(id, 3), static_cast<std::uint64_t>(k)) << id;
      EXPECT_TRUE(seen.insert(id).second) << id << " in two shards";
    }
    shard_files.push_back(out);
  }
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(kStudies));
  std::vector<std::string> merge = {"merge",     "-o",    dir_.file("all.jsonl"),
                                    "--studies", studies, "--require-complete"};
  merge.insert(merge.end(), shard_files.begin(), shard_files.end());
  const auto r = run_rrg(merge);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto merged = read_jsonl(dir_.file("all.jsonl"));
  ASSERT_EQ(merged.size(), static_cast<std::size_t>(kStudies));
  for (int i = 0; i < kStudies; ++i) EXPECT_EQ(merged[i]["id"], "s" + std::to_string(i));
}

TEST_F(CliGenerate, SurvivesAnEndpointDyingMidRun) {
  FakeOpenAiServer other;
  other.start();
  constexpr int kStudies = 16;
  const std::string studies = write_prompted_studies(kStudies, " [[rrg-test:slow:100]]");
  std::vector<std::string> args = concat(base_args(dir_.file("out.jsonl")),
                                         {"--studies", studies, "--base-url", other.base_url()});
  rrg::testing::CommandResult result;
  std::thread run([&] { result = run_rrg(args); });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (server_.request_count() < 3 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  server_.stop();  // the first server dies with requests in flight
  run.join();
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto records = read_jsonl(dir_.file("out.jsonl"));
  ASSERT_EQ(records.size(), static_cast<std::size_t>(kStudies));
  for (const auto& record : records) EXPECT_FALSE(record.contains("error")) << record.dump();
  // Requests that met the dead server were retried (on the live one) rather than failed.
  EXPECT_EQ(result.err.find(", 0 retries"), std::string::npos) << result.err;
  EXPECT_GE(server_.request_count(), 3u);
  EXPECT_GE(other.request_count(), static_cast<std::size_t>(kStudies) - server_.request_count());
}

TEST_F(CliGenerate, CacheAnswersARerunWithoutTheServer) {
  const std::string studies = write_prompted_studies(3);
  std::vector<std::string> cached = {"--studies", studies, "--cache", dir_.file("cache.sqlite")};
  auto first = base_args(dir_.file("a.jsonl"));
  first.erase(std::find(first.begin(), first.end(), "--no-cache"));
  auto r = run_rrg(concat(first, cached));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(server_.request_count(), 3u);
  auto second = base_args(dir_.file("b.jsonl"));
  second.erase(std::find(second.begin(), second.end(), "--no-cache"));
  r = run_rrg(concat(second, cached));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(server_.request_count(), 3u);  // every answer came from the cache
  EXPECT_NE(r.err.find("3 from cache"), std::string::npos) << r.err;
  const auto a = by_id(read_jsonl(dir_.file("a.jsonl")));
  const auto b = by_id(read_jsonl(dir_.file("b.jsonl")));
  for (const auto& [id, record] : a) EXPECT_EQ(b.at(id)["output"], record["output"]);
}

TEST_F(CliGenerate, OverwriteAndUsageErrors) {
  const std::string studies = write_prompted_studies(2);
  auto r = run_rrg(concat(base_args(dir_.file("out.jsonl")), {"--studies", studies}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_rrg(concat(base_args(dir_.file("out.jsonl")), {"--studies", studies}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(server_.request_count(), 2u);  // resumed: nothing left to do
  r = run_rrg(concat(base_args(dir_.file("out.jsonl")), {"--studies", studies, "--overwrite"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(server_.request_count(), 4u);
  EXPECT_EQ(read_jsonl(dir_.file("out.jsonl")).size(), 2u);

  // --overwrite never deletes a file that is not an rrg output.
  write_file(dir_.file("notes.txt"), "my notes, not a journal\n");
  r = run_rrg(concat(base_args(dir_.file("notes.txt")), {"--studies", studies, "--overwrite"}));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(read_file(dir_.file("notes.txt")), "my notes, not a journal\n");

  r = run_rrg(
      concat(base_args(dir_.file("x.jsonl")), {"--studies", studies, "--overwrite", "--resume"}));
  EXPECT_EQ(r.exit_code, 2);
  r = run_rrg(
      concat(base_args(dir_.file("x.jsonl")), {"--studies", studies, "--prompt", "{indicaton}"}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown placeholder {indicaton} (did you mean 'indication'?)"),
            std::string::npos)
      << r.err;
  r = run_rrg(concat(base_args(dir_.file("x.jsonl")),
                     {"--studies", studies, "--prompt", "{findings_hints}"}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("needs an image encoder"), std::string::npos) << r.err;
  r = run_rrg(concat(base_args(dir_.file("x.jsonl")), {"--shard", "3/3", "--studies", studies}));
  EXPECT_EQ(r.exit_code, 2);
  r = run_rrg({"generate", "--studies", studies, "-o", dir_.file("x.jsonl"), "--model", "m"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--base-url is required"), std::string::npos) << r.err;
  EXPECT_FALSE(rrg::testing::file_exists(dir_.file("x.jsonl")));
}

}  // namespace
