// `rrg serve --encoder` (issue 13): the image encoder of `rrg generate` loaded once at start-up
// and run on every /v1/generate upload. The real binary on a loopback port, libcurl clients, the
// scripted loopback LLM server of the generate tests, and a tiny random TorchScript classifier
// made by python3-torch (tests/pipelines/encoder_reference.py, as in tests/cli/encoder_cli_test):
// the record's "probabilities", "findings_hints" and "encoder" equal what
// `rrg generate --encoder-only` writes for the same image, the hints reach the prompt, the
// streamed variant sends them first, and without a model server the route answers the encoder's
// record alone.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "fake_openai_server.h"
#include "image/image_fixtures.h"
#include "serve_support.h"

namespace {

using json = nlohmann::json;
using rrg::llmdev::FakeOpenAiServer;
using rrg::testing::HttpReply;
using rrg::testing::ServeProcess;
using rrg::testing::TempDir;

const std::vector<std::string> kLabels = {"Atelectasis", "Cardiomegaly", "", "Effusion", "Edema"};

std::string reference_script() {
  return rrg::testing::source_dir() + "/tests/pipelines/encoder_reference.py";
}

// Server-sent events of a body: (event, data) in order.
std::vector<std::pair<std::string, json>> events_of(const std::string& body) {
  std::vector<std::pair<std::string, json>> out;
  for (std::size_t at = 0; (at = body.find("event: ", at)) != std::string::npos;) {
    const std::size_t line_end = body.find('\n', at);
    const std::string event = body.substr(at + 7, line_end - at - 7);
    const std::size_t data_end = body.find("\n\n", line_end);
    out.emplace_back(event, json::parse(body.substr(line_end + 7, data_end - line_end - 7)));
    at = data_end;
  }
  return out;
}

class ServeEncoder : public ::testing::Test {
 protected:
  void SetUp() override {
    if (rrg::testing::run_command({"/usr/bin/python3", "-c", "import torch"}).exit_code != 0) {
      GTEST_SKIP() << "needs /usr/bin/python3 with torch (scripts/setup.sh)";
    }
    const auto r = rrg::testing::run_command(
        {"/usr/bin/python3", reference_script(), "make-model", model_, "--outputs", "5"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string text;
    for (const auto& label : kLabels) text += label + "\n";
    rrg::testing::write_file(labels_, text);
    // A 16-bit PNG, an 8-bit PNG and a windowed DICOM, as files and as upload bytes.
    rrg::testing::write_image_file(dir_.file("x16.png"),
                                   rrg::testing::pattern_image(40, 30, 1, 16, 4095));
    rrg::testing::write_image_file(dir_.file("x8.png"),
                                   rrg::testing::pattern_image(50, 70, 1, 8, 255));
    rrg::testing::DicomFixture dicom;
    dicom.stored = rrg::testing::ramp_values(dicom.width, dicom.height, 4095);
    dicom.window_center = 2048;
    dicom.window_width = 2048;
    rrg::testing::write_dicom_file(dir_.file("x.dcm"), dicom);
    fake_.start();
  }

  std::vector<std::string> encoder_flags() const {
    return {"--encoder", model_, "--encoder-labels", labels_, "--encoder-threads", "1"};
  }

  std::vector<std::string> serve_args(bool with_model_server) const {
    std::vector<std::string> a = {"-q"};
    if (with_model_server) {
      const std::vector<std::string> generation = {
          "--base-url",
          fake_.base_url(),
          "--model",
          "vlm-test",
          "--no-cache",
          "--prompt",
          "Classifier: {findings_hints}. Describe the image."};
      a.insert(a.end(), generation.begin(), generation.end());
    }
    for (const auto& f : encoder_flags()) a.push_back(f);
    return a;
  }

  // What `rrg generate --encoder-only` writes for each image file, by file name.
  std::map<std::string, json> generate_records(const std::vector<std::string>& names) const {
    std::string studies;
    for (const auto& name : names) {
      studies += json{{"id", name}, {"images", {dir_.file(name)}}}.dump() + "\n";
    }
    rrg::testing::write_file(dir_.file("studies.jsonl"), studies);
    std::vector<std::string> args = {"generate",       "--studies", dir_.file("studies.jsonl"),
                                     "--encoder-only", "-o",        dir_.file("probs.jsonl")};
    for (const auto& f : encoder_flags()) args.push_back(f);
    const auto r = rrg::testing::run_rrg(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::map<std::string, json> out;
    const std::string text = rrg::testing::read_file(dir_.file("probs.jsonl"));
    for (std::size_t start = 0; start < text.size();) {
      const std::size_t end = text.find('\n', start);
      const json record = json::parse(text.substr(start, end - start));
      out[record["id"].get<std::string>()] = record;
      start = end + 1;
    }
    return out;
  }

  TempDir dir_;
  std::string model_ = dir_.file("tiny.pt");
  std::string labels_ = dir_.file("labels.txt");
  FakeOpenAiServer fake_;
};

TEST_F(ServeEncoder, GenerateRecordCarriesTheProbabilitiesOfGenerateEncoderOnly) {
  const std::vector<std::string> names = {"x16.png", "x8.png", "x.dcm"};
  const auto want = generate_records(names);
  ASSERT_EQ(want.size(), names.size());

  ServeProcess server(serve_args(/*with_model_server=*/true));
  ASSERT_TRUE(server.started()) << server.log();
  const json health = json::parse(rrg::testing::http_get(server.url("/v1/health")).body);
  EXPECT_EQ(health["encoder"]["model"], want.at("x8.png")["encoder"]);
  EXPECT_EQ(health["encoder"]["threshold"], 0.5);

  for (const auto& name : names) {
    const HttpReply reply = rrg::testing::http_post_form(
        server.url("/v1/generate"),
        {{"image", rrg::testing::read_file(dir_.file(name)), name}, {"indication", "cough", ""}});
    ASSERT_EQ(reply.status, 200) << name << ": " << reply.body;
    const json record = json::parse(reply.body);
    const json& expected = want.at(name);
    // Same field names and values as the --encoder-only record: the named outputs in label
    // order (the blank label line is no output), full precision.
    EXPECT_EQ(record["probabilities"], expected["probabilities"]) << name;
    EXPECT_EQ(record["probabilities"].size(), 4u);
    EXPECT_EQ(record["findings_hints"], expected["findings_hints"]) << name;
    EXPECT_EQ(record["encoder"], expected["encoder"]) << name;
    EXPECT_EQ(record["images"], json::array({"upload"}));
    // The hints reached the prompt the model answered (the fake server echoes it).
    EXPECT_NE(record["output"].get<std::string>().find(
                  "Classifier: " + expected["findings_hints"].get<std::string>() + "."),
              std::string::npos)
        << record.dump();
  }
  const auto requests = fake_.requests();
  ASSERT_EQ(requests.size(), names.size());
  // The order of the record's fields: the generate record, then the encoder's.
  const HttpReply again = rrg::testing::http_post_form(
      server.url("/v1/generate"), {{"image", rrg::testing::read_file(dir_.file("x8.png")), "a"}});
  const nlohmann::ordered_json ordered = nlohmann::ordered_json::parse(again.body);
  std::vector<std::string> keys;
  for (const auto& item : ordered.items()) keys.push_back(item.key());
  ASSERT_GE(keys.size(), 3u);
  EXPECT_EQ(keys.front(), "id");
  EXPECT_EQ(std::vector<std::string>(keys.end() - 3, keys.end()),
            (std::vector<std::string>{"probabilities", "findings_hints", "encoder"}));
}

TEST_F(ServeEncoder, StreamSendsTheProbabilitiesFirstAndInTheRecord) {
  const auto want = generate_records({"x16.png"}).at("x16.png");
  ServeProcess server(serve_args(/*with_model_server=*/true));
  ASSERT_TRUE(server.started()) << server.log();
  const HttpReply reply = rrg::testing::http_post_form(
      server.url("/v1/generate?stream=1"),
      {{"image", rrg::testing::read_file(dir_.file("x16.png")), "x16.png"}});
  ASSERT_EQ(reply.status, 200) << reply.body;
  const auto events = events_of(reply.body);
  ASSERT_GE(events.size(), 3u) << reply.body;
  EXPECT_EQ(events.front().first, "encoder");
  EXPECT_EQ(events.front().second["probabilities"], want["probabilities"]);
  EXPECT_EQ(events.front().second["findings_hints"], want["findings_hints"]);
  EXPECT_EQ(events.front().second["encoder"], want["encoder"]);
  EXPECT_EQ(events[1].first, "delta");
  EXPECT_EQ(events.back().first, "record");
  const json& record = events.back().second;
  EXPECT_EQ(record["probabilities"], want["probabilities"]);
  EXPECT_EQ(record["findings_hints"], want["findings_hints"]);
  EXPECT_NE(record["output"].get<std::string>().find(want["findings_hints"].get<std::string>()),
            std::string::npos);
}

TEST_F(ServeEncoder, WithoutModelServerTheRouteAnswersTheEncoderRecord) {
  const auto want = generate_records({"x.dcm"}).at("x.dcm");
  ServeProcess server(serve_args(/*with_model_server=*/false));
  ASSERT_TRUE(server.started()) << server.log();
  const json health = json::parse(rrg::testing::http_get(server.url("/v1/health")).body);
  EXPECT_FALSE(health["generation"].get<bool>());
  EXPECT_TRUE(health["encoder"].is_object());
  const std::string dicom = rrg::testing::read_file(dir_.file("x.dcm"));
  const HttpReply reply =
      rrg::testing::http_post_form(server.url("/v1/generate"), {{"image", dicom, "x.dcm"}});
  ASSERT_EQ(reply.status, 200) << reply.body;
  json expected = want;
  expected["id"] = "upload";
  expected["images"] = json::array({"upload"});
  EXPECT_EQ(json::parse(reply.body), expected);
  const HttpReply streamed =
      rrg::testing::http_post_form(server.url("/v1/generate?stream=1"), {{"image", dicom, "x"}});
  ASSERT_EQ(streamed.status, 200) << streamed.body;
  const auto events = events_of(streamed.body);
  ASSERT_EQ(events.size(), 2u) << streamed.body;
  EXPECT_EQ(events[0].first, "encoder");
  EXPECT_EQ(events[1].first, "record");
  EXPECT_EQ(events[1].second, expected);
  // Uploads that are not images are still refused before the encoder runs.
  EXPECT_EQ(
      rrg::testing::http_post_form(server.url("/v1/generate"), {{"image", "text", "a.png"}}).status,
      415);
  EXPECT_EQ(fake_.request_count(), 0u);
}

TEST_F(ServeEncoder, UsageErrorsAreRefusedAtStartUp) {
  auto r = rrg::testing::run_rrg({"serve", "--port", "0", "--encoder", model_});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--encoder needs --encoder-labels FILE"), std::string::npos) << r.err;
  r = rrg::testing::run_rrg({"serve", "--port", "0", "--encoder-labels", labels_});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--encoder-labels requires --encoder"), std::string::npos) << r.err;
  r = rrg::testing::run_rrg({"serve", "--port", "0", "--base-url", fake_.base_url(), "--model", "m",
                             "--prompt", "No hints here.", "--encoder", model_, "--encoder-labels",
                             labels_});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--prompt: with --encoder the prompt must use {findings_hints}"),
            std::string::npos)
      << r.err;
  rrg::testing::write_file(dir_.file("three.txt"), "A\nB\nC\n");
  r = rrg::testing::run_rrg(
      {"serve", "--port", "0", "--encoder", model_, "--encoder-labels", dir_.file("three.txt")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("3 label line(s), but the model"), std::string::npos) << r.err;
}

}  // namespace
