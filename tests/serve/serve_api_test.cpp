// API tests of `rrg serve`: the real binary on an ephemeral loopback port, driven with libcurl;
// generation against the scripted loopback OpenAI-compatible server of the generate tests
// (tools/llm-dev/fake_openai_server.h).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <future>
#include <nlohmann/json.hpp>
#include <thread>

#include "fake_openai_server.h"
#include "image/image_fixtures.h"
#include "serve_support.h"

namespace {

using json = nlohmann::json;
using rrg::llmdev::FakeOpenAiServer;
using rrg::testing::HttpReply;
using rrg::testing::MultipartField;
using rrg::testing::ServeProcess;
using rrg::testing::TempDir;

const char* const kPrediction =
    "The heart size is mildly enlarged. There is a small left pleural effusion with adjacent "
    "atelectasis. No pneumothorax.";
const char* const kReference =
    "Mild cardiomegaly. Small left pleural effusion. Bibasilar atelectasis. No pneumothorax or "
    "consolidation.";

json parse(const HttpReply& reply) {
  return json::parse(reply.body);
}

json score_body(const std::vector<std::string>& metrics = {}) {
  json pairs = json::array();
  pairs.push_back({{"id", "s1"}, {"prediction", kPrediction}, {"reference", kReference}});
  pairs.push_back({{"id", "s2"},
                   {"prediction", "No acute cardiopulmonary process."},
                   {"reference", "Normal chest radiograph. No effusion."}});
  json body = {{"pairs", pairs}};
  if (!metrics.empty()) body["metrics"] = metrics;
  return body;
}

std::string png_bytes(const TempDir& dir, int bit_depth) {
  const std::string path = dir.file("x" + std::to_string(bit_depth) + ".png");
  rrg::testing::write_image_file(
      path, rrg::testing::pattern_image(40, 30, 1, bit_depth, bit_depth == 16 ? 4095 : 255));
  return rrg::testing::read_file(path);
}

std::string dicom_bytes(const TempDir& dir) {
  rrg::testing::DicomFixture dicom;
  dicom.stored = rrg::testing::ramp_values(dicom.width, dicom.height, 4095);
  dicom.window_center = 2048;
  dicom.window_width = 2048;
  rrg::testing::write_dicom_file(dir.file("x.dcm"), dicom);
  return rrg::testing::read_file(dir.file("x.dcm"));
}

class ServeApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new ServeProcess({"-q"}); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(server_->started()) << server_->log(); }
  static std::string url(const std::string& path) { return server_->url(path); }
  static ServeProcess* server_;
};
ServeProcess* ServeApi::server_ = nullptr;

TEST_F(ServeApi, HealthAndMetrics) {
  const HttpReply health = rrg::testing::http_get(url("/v1/health"));
  ASSERT_EQ(health.status, 200) << health.body;
  EXPECT_EQ(health.content_type, "application/json");
  const json h = parse(health);
  EXPECT_EQ(h["status"], "ok");
  EXPECT_FALSE(h["generation"].get<bool>());
  EXPECT_EQ(h["labeler"].get<std::string>().rfind("rules@", 0), 0u);
  EXPECT_TRUE(h["encoder"].is_null());  // no --encoder: no encoder fields anywhere

  const json metrics = parse(rrg::testing::http_get(url("/v1/metrics")));
  bool meteor = false, green_unavailable = false;
  for (const auto& scorer : metrics["scorers"]) {
    if (scorer["id"] == "nltk-meteor") meteor = scorer["available"].get<bool>();
    if (scorer["family"] == "green") green_unavailable = !scorer["available"].get<bool>();
  }
  EXPECT_TRUE(meteor);
  EXPECT_TRUE(green_unavailable);  // no judge server configured
}

TEST_F(ServeApi, PageIsServedSelfContained) {
  const HttpReply page = rrg::testing::http_get(url("/"));
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.content_type.rfind("text/html", 0), 0u);
  EXPECT_NE(page.body.find("/v1/score"), std::string::npos);
  EXPECT_EQ(page.body.find("src=\"http"), std::string::npos);  // no CDN
}

// /v1/score answers what `rrg evaluate --json` writes for the same pairs.
TEST_F(ServeApi, ScoreEqualsEvaluateJson) {
  TempDir dir;
  const json body = score_body();
  std::string pred, ref;
  for (const auto& pair : body["pairs"]) {
    pred += json{{"id", pair["id"]}, {"report", pair["prediction"]}}.dump() + "\n";
    ref += json{{"id", pair["id"]}, {"report", pair["reference"]}}.dump() + "\n";
  }
  rrg::testing::write_file(dir.file("pred.jsonl"), pred);
  rrg::testing::write_file(dir.file("ref.jsonl"), ref);
  const auto cli = rrg::testing::run_rrg({"evaluate", "--pred", dir.file("pred.jsonl"), "--ref",
                                          dir.file("ref.jsonl"), "--json", "-"});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  const json expected = json::parse(cli.out);

  const HttpReply reply = rrg::testing::http_post(url("/v1/score"), body.dump());
  ASSERT_EQ(reply.status, 200) << reply.body;
  const json got = parse(reply);
  EXPECT_EQ(got["corpus"], expected["corpus"]);
  EXPECT_EQ(got["per_sample"], expected["per_sample"]);
  EXPECT_EQ(got["signatures"], expected["signatures"]);
  EXPECT_EQ(got["clinical"], expected["clinical"]);
  EXPECT_GT(got["corpus"].size(), 20u);  // lexical and clinical families
  EXPECT_EQ(got["n_samples"], 2);
}

// /v1/score reads bodies of the usual shape without a DOM and any other body with the JSON
// parser: the same pairs answer the same whichever way they were written.
TEST_F(ServeApi, ScoreAnswersTheSameHoweverTheBodyIsWritten) {
  const auto answer = [&](const std::string& body) {
    const HttpReply reply = rrg::testing::http_post(url("/v1/score"), body);
    EXPECT_EQ(reply.status, 200) << body << " -> " << reply.body;
    json got = json::parse(reply.body);
    got.erase("timings_seconds");
    return got;
  };
  // The texts as JSON string contents: escapes, \u escapes of a non-ASCII character, "\/".
  const std::string pred =
      R"(Heart size is normal.\nNo \"acute\" process; 5 mm \u00d7 3 mm nodule.)";
  const std::string ref = R"(Normal heart. A 5 mm \u00d7 3 mm nodule \\ no effusion\/edema.)";
  const std::string raw_pred = json::parse("\"" + pred + "\"").get<std::string>();
  const std::string raw_ref = json::parse("\"" + ref + "\"").get<std::string>();
  // The usual shape, as a client library writes it (UTF-8 as is, \n and \" escaped).
  const json plain = {{"pairs",
                       {{{"id", "a"}, {"prediction", raw_pred}, {"reference", raw_ref}},
                        {{"id", "b"},
                         {"prediction", kPrediction},
                         {"reference", json::array({kReference, raw_ref})}}}},
                      {"metrics", {"seed", "clinical"}}};
  const json expected = answer(plain.dump());
  // \u escapes, a number and nested values in extra members, other white space, a repeated key
  // (the last one counts, as in the JSON parser).
  const std::vector<std::string> variants = {
      R"({"pairs": [{"id": "a", "prediction": ")" + pred + R"(", "reference": ")" + ref +
          R"("}, {"reference": [)" + json(kReference).dump() + R"(, ")" + ref +
          R"("], "id": "b", "prediction": )" + json(kPrediction).dump() +
          R"(, "note": {"k": [true, false, null, "x"]}}], "metrics": ["seed", "clinical"]})",
      "\r\n\t " + plain.dump(2) + " \n",
      R"({"client": 1.5, )" + plain.dump().substr(1),
      R"({"metrics": ["BLEU-4"], )" + plain.dump().substr(1),
  };
  for (const auto& body : variants) EXPECT_EQ(answer(body), expected) << body;
  // Without ids the positions are the ids; null metrics are the server's default.
  json positional = plain;
  for (auto& pair : positional["pairs"]) pair.erase("id");
  positional["metrics"] = nullptr;
  const json by_position = answer(positional.dump());
  EXPECT_EQ(by_position["per_sample"].begin().key(), "0");
  positional["client"] = 2;
  EXPECT_EQ(answer(positional.dump()), by_position);
}

TEST_F(ServeApi, ScoreSelectsMetrics) {
  const HttpReply reply =
      rrg::testing::http_post(url("/v1/score"), score_body({"BLEU-4", "ROUGE-L"}).dump());
  ASSERT_EQ(reply.status, 200) << reply.body;
  const json got = parse(reply);
  ASSERT_EQ(got["corpus"].size(), 2u);
  EXPECT_TRUE(got["corpus"].contains("BLEU-4"));
  EXPECT_NE(got["signatures"]["ROUGE-L"].get<std::string>().find("ROUGE-L|"), std::string::npos);
}

TEST_F(ServeApi, LabelGivesTheFourteenObservations) {
  const HttpReply reply = rrg::testing::http_post(
      url("/v1/label"), json{{"reports", {kReference, "Normal chest."}}}.dump());
  ASSERT_EQ(reply.status, 200) << reply.body;
  const json got = parse(reply);
  ASSERT_EQ(got["observations"].size(), 14u);
  ASSERT_EQ(got["labels"].size(), 2u);
  EXPECT_EQ(got["labels"][0]["labels"]["Cardiomegaly"], 1);
  EXPECT_EQ(got["labels"][0]["labels"]["Pleural Effusion"], 1);
  EXPECT_EQ(got["labels"][0]["labels"]["Pneumothorax"], 0);
}

TEST_F(ServeApi, BadInputsAreJsonErrorsNamingTheProblem) {
  struct Case {
    std::string path, body, content_type;
    long status;
    std::string needle;
  };
  const std::vector<Case> cases = {
      {"/v1/score", "{not json", "application/json", 400, "malformed JSON"},
      {"/v1/score", "{}", "text/plain", 415, "application/json"},
      {"/v1/score", "[1, 2]", "application/json", 422, "JSON object"},
      {"/v1/score", R"({"pairs": []})", "application/json", 422, "\"pairs\""},
      {"/v1/score", R"({"pairs": [{"id": "a", "prediction": 3, "reference": "x"}]})",
       "application/json", 422, "\"pairs\"[0].prediction"},
      {"/v1/score", R"({"pairs": [{"id": "a", "prediction": "x"}]})", "application/json", 422,
       "missing \"reference\""},
      {"/v1/score",
       R"({"pairs": [{"id": "a", "prediction": "x", "reference": "y"}], "metrics": ["BLEU-9"]})",
       "application/json", 422, "BLEU-9"},
      {"/v1/score",
       R"({"pairs": [{"id": "a", "prediction": "x", "reference": "y"},
                     {"id": "a", "prediction": "x", "reference": "y"}]})",
       "application/json", 422, "duplicate id"},
      {"/v1/label", R"({"reports": "one"})", "application/json", 422, "\"reports\""},
      {"/v1/nothing", "{}", "application/json", 404, "/v1/nothing"},
  };
  for (const auto& c : cases) {
    const HttpReply reply =
        rrg::testing::http_post(url(c.path), c.body, {"Content-Type: " + c.content_type});
    EXPECT_EQ(reply.status, c.status) << c.path << " " << c.body << " -> " << reply.body;
    ASSERT_EQ(reply.content_type, "application/json") << c.body;
    EXPECT_NE(parse(reply)["error"].get<std::string>().find(c.needle), std::string::npos)
        << reply.body;
  }
}

TEST_F(ServeApi, UploadsMustBeImages) {
  const HttpReply text = rrg::testing::http_post_form(
      url("/v1/preview"), {{"image", "just some text, not an image", "notes.png"}});
  EXPECT_EQ(text.status, 415) << text.body;
  EXPECT_NE(parse(text)["error"].get<std::string>().find("not a JPEG, PNG or DICOM"),
            std::string::npos);
  const HttpReply missing =
      rrg::testing::http_post_form(url("/v1/preview"), {{"indication", "cough", ""}});
  EXPECT_EQ(missing.status, 422) << missing.body;
}

TEST_F(ServeApi, PreviewDecodesPngAndDicomAsGenerateDoes) {
  TempDir dir;
  for (const auto& [name, bytes] :
       std::vector<std::pair<std::string, std::string>>{{"x8.png", png_bytes(dir, 8)},
                                                        {"x16.png", png_bytes(dir, 16)},
                                                        {"x.dcm", dicom_bytes(dir)}}) {
    const HttpReply reply =
        rrg::testing::http_post_form(url("/v1/preview"), {{"image", bytes, name}});
    ASSERT_EQ(reply.status, 200) << name << ": " << reply.body;
    const json got = parse(reply);
    EXPECT_EQ(got["data_url"].get<std::string>().rfind("data:image/jpeg;base64,", 0), 0u);
    EXPECT_EQ(got["source_width"], name == "x.dcm" ? 64 : 40) << name;
  }
}

TEST_F(ServeApi, GenerateWithoutModelServerSaysSo) {
  TempDir dir;
  const HttpReply reply =
      rrg::testing::http_post_form(url("/v1/generate"), {{"image", png_bytes(dir, 8), "x.png"}});
  EXPECT_EQ(reply.status, 503);
  EXPECT_NE(parse(reply)["error"].get<std::string>().find("--base-url"), std::string::npos);
}

TEST_F(ServeApi, ConcurrentClientsGetTheSameAnswers) {
  const std::string body = score_body({"BLEU-4", "METEOR", "chexpert_micro_f1_14_uzeros"}).dump();
  const json expected = parse(rrg::testing::http_post(url("/v1/score"), body))["corpus"];
  std::vector<std::future<int>> clients;
  for (int c = 0; c < 16; ++c) {
    clients.push_back(std::async(std::launch::async, [&] {
      int good = 0;
      for (int i = 0; i < 10; ++i) {
        const HttpReply reply = rrg::testing::http_post(url("/v1/score"), body);
        if (reply.status == 200 && parse(reply)["corpus"] == expected) ++good;
      }
      return good;
    }));
  }
  for (auto& client : clients) EXPECT_EQ(client.get(), 10);
}

// Clients that send half a request each hold one handler thread, not the server.
TEST_F(ServeApi, SlowClientsDoNotBlockOthers) {
  std::vector<int> sockets;
  for (int i = 0; i < 4; ++i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(server_->port()));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    const std::string head =
        "POST /v1/score HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        "Content-Length: 100000\r\n\r\n{\"pairs\": [";
    ASSERT_EQ(::send(fd, head.data(), head.size(), 0), static_cast<ssize_t>(head.size()));
    sockets.push_back(fd);
  }
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(rrg::testing::http_post(url("/v1/score"), score_body({"BLEU-4"}).dump()).status, 200);
  }
  for (const int fd : sockets) ::close(fd);
}

TEST(ServeLimits, BodyOverTheLimitIs413) {
  ServeProcess server({"-q", "--max-upload-mb", "1"});
  ASSERT_TRUE(server.started()) << server.log();
  const std::string big(2u << 20, 'x');
  const HttpReply reply = rrg::testing::http_post(server.url("/v1/score"), big);
  EXPECT_EQ(reply.status, 413) << reply.body;
  EXPECT_NE(reply.body.find("--max-upload-mb"), std::string::npos);
  const HttpReply upload =
      rrg::testing::http_post_form(server.url("/v1/preview"), {{"image", big, "big.png"}});
  EXPECT_EQ(upload.status, 413);
  EXPECT_EQ(rrg::testing::http_get(server.url("/v1/health")).status, 200);
}

TEST(ServeAuth, TokenIsRequiredOnEveryRoute) {
  TempDir dir;
  rrg::testing::write_file(dir.file("token"), "s3cret-token\n");
  ServeProcess server({"-q", "--token", dir.file("token")});
  ASSERT_TRUE(server.started()) << server.log();
  for (const std::string path : {"/", "/v1/health", "/v1/metrics"}) {
    EXPECT_EQ(rrg::testing::http_get(server.url(path)).status, 401) << path;
    EXPECT_EQ(rrg::testing::http_get(server.url(path), {"Authorization: Bearer wrong"}).status, 401)
        << path;
    EXPECT_EQ(
        rrg::testing::http_get(server.url(path), {"Authorization: Bearer s3cret-token"}).status,
        200)
        << path;
  }
  const HttpReply score = rrg::testing::http_post(server.url("/v1/score"), score_body().dump());
  EXPECT_EQ(score.status, 401);
  EXPECT_NE(score.body.find("Bearer"), std::string::npos);
  EXPECT_EQ(rrg::testing::http_post(
                server.url("/v1/score"), score_body().dump(),
                {"Content-Type: application/json", "Authorization: Bearer s3cret-token"})
                .status,
            200);
}

TEST(ServeAuth, NonLoopbackHostNeedsTokenOrExplicitInsecure) {
  const auto refused = rrg::testing::run_rrg({"serve", "--host", "0.0.0.0", "--port", "0"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("--token FILE"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("--insecure-no-auth"), std::string::npos);
  ServeProcess insecure({"-q", "--host", "0.0.0.0", "--insecure-no-auth"});
  ASSERT_TRUE(insecure.started()) << insecure.log();
  EXPECT_EQ(rrg::testing::http_get(insecure.url("/v1/health")).status, 200);
}

class ServeGenerate : public ::testing::Test {
 protected:
  void SetUp() override { fake_.start(); }
  std::vector<std::string> args(const std::string& prompt = "Describe the image.") const {
    return {"-q",         "--base-url", fake_.base_url(), "--model",        "vlm-test",
            "--no-cache", "--prompt",   prompt,           "--api-key-file", key_file()};
  }
  std::string key_file() const {
    rrg::testing::write_file(dir_.file("key"), "sk-test-secret-key\n");
    return dir_.file("key");
  }
  TempDir dir_;
  FakeOpenAiServer fake_;
};

TEST_F(ServeGenerate, PngAndDicomGiveTheGenerateRecord) {
  ServeProcess server(args());
  ASSERT_TRUE(server.started()) << server.log();
  EXPECT_TRUE(parse(rrg::testing::http_get(server.url("/v1/health")))["generation"].get<bool>());
  for (const auto& [name, bytes] : std::vector<std::pair<std::string, std::string>>{
           {"x.png", png_bytes(dir_, 16)}, {"x.dcm", dicom_bytes(dir_)}}) {
    const HttpReply reply = rrg::testing::http_post_form(
        server.url("/v1/generate"), {{"image", bytes, name}, {"indication", "cough", ""}});
    ASSERT_EQ(reply.status, 200) << name << ": " << reply.body;
    const json record = parse(reply);
    EXPECT_EQ(record["id"], "upload");
    EXPECT_EQ(record["model"], "vlm-test");
    EXPECT_EQ(record["images"], json::array({"upload"}));
    EXPECT_EQ(record["output"].get<std::string>().rfind("echo: ", 0), 0u) << record.dump();
    EXPECT_FALSE(record.contains("error"));
    EXPECT_FALSE(record.contains("probabilities"));
  }
  const auto requests = fake_.requests();
  ASSERT_EQ(requests.size(), 2u);
  for (const auto& request : requests) {
    EXPECT_NE(request.body.find("data:image/jpeg;base64,"), std::string::npos);
    EXPECT_EQ(request.authorization, "Bearer sk-test-secret-key");
  }
  // The API key reaches the LLM server only: never the page, the answers or the log.
  EXPECT_EQ(rrg::testing::http_get(server.url("/")).body.find("sk-test"), std::string::npos);
  EXPECT_EQ(rrg::testing::http_get(server.url("/v1/health")).body.find("sk-test"),
            std::string::npos);
  EXPECT_EQ(server.log().find("sk-test"), std::string::npos);
}

TEST_F(ServeGenerate, StreamedVariantSendsDeltasThenTheRecord) {
  ServeProcess server(args());
  ASSERT_TRUE(server.started()) << server.log();
  const HttpReply reply = rrg::testing::http_post_form(server.url("/v1/generate?stream=1"),
                                                       {{"image", png_bytes(dir_, 8), "x.png"}});
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.content_type.rfind("text/event-stream", 0), 0u);
  const auto delta = reply.body.find("event: delta\ndata: ");
  const auto record = reply.body.find("event: record\ndata: ");
  ASSERT_NE(delta, std::string::npos) << reply.body;
  ASSERT_NE(record, std::string::npos) << reply.body;
  EXPECT_LT(delta, record);
  // The deltas, joined, are the record's output: what the model wrote, relayed piece by piece.
  std::string joined;
  json last;
  std::size_t events = 0;
  for (std::size_t at = 0; (at = reply.body.find("event: ", at)) != std::string::npos; ++events) {
    const std::size_t line_end = reply.body.find('\n', at);
    const std::string event = reply.body.substr(at + 7, line_end - at - 7);
    const std::size_t data_end = reply.body.find("\n\n", line_end);
    const json data = json::parse(reply.body.substr(line_end + 7, data_end - line_end - 7));
    if (event == "delta") joined += data["content"].get<std::string>();
    if (event == "record") last = data;
    at = data_end;
  }
  EXPECT_GT(events, 2u);  // more than one delta
  EXPECT_EQ(last["output"], joined);
  EXPECT_EQ(last["output"].get<std::string>().rfind("echo: ", 0), 0u);
  EXPECT_EQ(last["model"], "vlm-test");
  ASSERT_EQ(fake_.requests().size(), 1u);
  EXPECT_NE(fake_.requests()[0].body.find("\"stream\":true"), std::string::npos);
}

TEST_F(ServeGenerate, SigtermDrainsRequestsInFlightAndExitsZero) {
  ServeProcess server(args("Describe the image. [[rrg-test:slowx1:1500]]"));
  ASSERT_TRUE(server.started()) << server.log();
  const std::string png = png_bytes(dir_, 8);
  auto in_flight = std::async(std::launch::async, [&] {
    return rrg::testing::http_post_form(server.url("/v1/generate"), {{"image", png, "x.png"}});
  });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (fake_.request_count() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(fake_.request_count(), 1u);
  EXPECT_EQ(server.stop(SIGTERM), 0) << server.log();
  const HttpReply reply = in_flight.get();
  EXPECT_EQ(reply.status, 200) << reply.body << reply.error;
  EXPECT_EQ(parse(reply)["output"].get<std::string>().rfind("echo: ", 0), 0u);
}

}  // namespace
