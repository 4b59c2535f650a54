// The real rrg binary with an image encoder: `rrg generate --encoder-only` end to end (records,
// probabilities against the python3-torch reference tests/pipelines/encoder_reference.py,
// per-study errors, resume), usage errors, and {findings_hints} reaching the prompt a loopback
// OpenAI-compatible server receives. libtorch is loaded only with --encoder.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

#include "fake_openai_server.h"
#include "support/test_support.h"

namespace {

using nlohmann::json;
using rrg::testing::CommandResult;
using rrg::testing::read_file;
using rrg::testing::run_command;
using rrg::testing::run_rrg;
using rrg::testing::TempDir;
using rrg::testing::write_file;

constexpr double kTolerance = 1e-5;
const std::vector<std::string> kLabels = {"Atelectasis", "Cardiomegaly", "", "Effusion", "Edema"};

std::string reference_script() {
  return rrg::testing::source_dir() + "/tests/pipelines/encoder_reference.py";
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::map<std::string, json> records_by_id(const std::string& path) {
  std::map<std::string, json> out;
  for (const auto& line : lines_of(read_file(path))) {
    const json record = json::parse(line);
    out[record["id"].get<std::string>()] = record;
  }
  return out;
}

// "Cardiomegaly (0.94); Effusion (0.84)" from reference probabilities (the documented format).
std::string expected_hints(const std::vector<double>& p, double threshold) {
  std::vector<std::pair<std::string, double>> above;
  for (std::size_t k = 0; k < kLabels.size(); ++k) {
    if (!kLabels[k].empty() && p[k] > threshold) above.emplace_back(kLabels[k], p[k]);
  }
  std::stable_sort(above.begin(), above.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string out;
  for (const auto& [name, value] : above) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.2f", value);
    out += (out.empty() ? "" : "; ") + name + " (" + buffer + ")";
  }
  return out.empty() ? "no findings above 0.50" : out;
}

class CliEncoder : public ::testing::Test {
 protected:
  void SetUp() override {
    if (run_command({"/usr/bin/python3", "-c", "import torch, cv2"}).exit_code != 0) {
      GTEST_SKIP() << "needs /usr/bin/python3 with torch and cv2 (scripts/setup.sh)";
    }
    auto r = run_command({"/usr/bin/python3", reference_script(), "make-images", dir_.path()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = run_command(
        {"/usr/bin/python3", reference_script(), "make-model", model_, "--outputs", "5"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string text;
    for (const auto& label : kLabels) text += label + "\n";
    write_file(labels_, text);
    // s1: lateral first, the PA is used; s2: no view, its only image; s3: only a lateral;
    // s4: an unreadable file; s5, s6: more images.
    write_file(dir_.file("bad.png"), "this is not a PNG");
    write_file(studies_,
               "{\"id\": \"s1\", \"images\": [{\"path\": \"small.png\", \"view\": \"LATERAL\"}, "
               "{\"path\": \"tall_rgb.jpg\", \"view\": \"PA\"}]}\n"
               "{\"id\": \"s2\", \"images\": [\"wide_gray.png\"]}\n"
               "{\"id\": \"s3\", \"images\": [{\"path\": \"exact.png\", \"view\": \"LATERAL\"}]}\n"
               "{\"id\": \"s4\", \"images\": [\"bad.png\"]}\n"
               "{\"id\": \"s5\", \"images\": [{\"path\": \"deep16.png\", \"view\": \"AP\"}]}\n"
               "{\"id\": \"s6\", \"images\": [\"half.png\"]}\n");
  }

  std::vector<std::string> encoder_args(const std::string& output) const {
    return {"generate",
            "--studies",
            studies_,
            "--image-root",
            dir_.path(),
            "--encoder",
            model_,
            "--encoder-labels",
            labels_,
            "--encoder-threads",
            "1",
            "--encoder-only",
            "-o",
            output,
            "--log-interval",
            "0.2"};
  }

  // PyTorch's probabilities for the named test images (default preprocessing).
  std::map<std::string, std::vector<double>> reference(const std::vector<std::string>& names) {
    std::string input;
    for (const auto& name : names) input += json{{"image", dir_.file(name)}}.dump() + "\n";
    const auto r =
        run_command({"/usr/bin/python3", reference_script(), "reference", model_}, input);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::map<std::string, std::vector<double>> out;
    const auto lines = lines_of(r.out);
    for (std::size_t i = 0; i < names.size() && i < lines.size(); ++i) {
      out[names[i]] = json::parse(lines[i])["probabilities"].get<std::vector<double>>();
    }
    return out;
  }

  TempDir dir_;
  std::string model_ = dir_.file("tiny.pt");
  std::string labels_ = dir_.file("labels.txt");
  std::string studies_ = dir_.file("studies.jsonl");
};

TEST_F(CliEncoder, EncoderOnlyWritesProbabilitiesMatchingPyTorch) {
  const std::string out = dir_.file("probs.jsonl");
  const CommandResult r = run_rrg(encoder_args(out));
  // Two studies fail (only a lateral view, an unreadable image): exit 1, the others written.
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("encode: 6 record(s) written (2 failed)"), std::string::npos) << r.err;
  const auto records = records_by_id(out);
  ASSERT_EQ(records.size(), 6u);

  const auto want = reference({"tall_rgb.jpg", "wide_gray.png", "deep16.png", "half.png"});
  const std::map<std::string, std::string> used = {
      {"s1", "tall_rgb.jpg"}, {"s2", "wide_gray.png"}, {"s5", "deep16.png"}, {"s6", "half.png"}};
  for (const auto& [id, name] : used) {
    const json& record = records.at(id);
    EXPECT_EQ(record["images"], json::array({dir_.file(name)})) << id;
    EXPECT_FALSE(record.contains("error")) << record;
    const json& p = record["probabilities"];
    ASSERT_EQ(p.size(), 4u) << record;  // the blank label line is not reported
    const std::vector<double>& ref = want.at(name);
    for (std::size_t k = 0; k < kLabels.size(); ++k) {
      if (kLabels[k].empty()) continue;
      EXPECT_NEAR(p[kLabels[k]].get<double>(), ref[k], kTolerance) << id << " " << kLabels[k];
    }
    EXPECT_EQ(record["findings_hints"], expected_hints(ref, 0.5)) << id;
    EXPECT_EQ(record["encoder"].get<std::string>().rfind("tiny.pt@sha256:", 0), 0u);
  }
  // Field order as documented.
  for (const auto& line : lines_of(read_file(out))) {
    const auto record = nlohmann::ordered_json::parse(line);
    std::vector<std::string> keys;
    for (const auto& item : record.items()) keys.push_back(item.key());
    if (record.contains("error")) {
      EXPECT_EQ(keys, (std::vector<std::string>{"id", "images", "error", "encoder"}));
    } else {
      EXPECT_EQ(keys, (std::vector<std::string>{"id", "images", "probabilities", "findings_hints",
                                                "encoder"}));
    }
  }
  EXPECT_NE(records.at("s3")["error"].get<std::string>().find("no frontal image"),
            std::string::npos);
  EXPECT_NE(records.at("s4")["error"].get<std::string>().find("bad.png"), std::string::npos);

  // A higher threshold keeps fewer hints.
  const CommandResult strict = run_rrg([&] {
    auto args = encoder_args(dir_.file("strict.jsonl"));
    args.insert(args.end(), {"--encoder-threshold", "0.9"});
    return args;
  }());
  EXPECT_EQ(strict.exit_code, 1) << strict.err;
  EXPECT_EQ(records_by_id(dir_.file("strict.jsonl")).at("s1")["findings_hints"],
            expected_hints(want.at("tall_rgb.jpg"), 0.9) == "no findings above 0.50"
                ? "no findings above 0.90"
                : expected_hints(want.at("tall_rgb.jpg"), 0.9));
}

TEST_F(CliEncoder, ResumesWithoutRecomputingFinishedStudies) {
  const std::string out = dir_.file("probs.jsonl");
  ASSERT_EQ(run_rrg(encoder_args(out)).exit_code, 1);
  const auto full = records_by_id(out);
  // Keep the first two finished records and a torn third line, as a killed run leaves them.
  std::string kept;
  int finished = 0;
  for (const auto& line : lines_of(read_file(out))) {
    if (json::parse(line).contains("error") || finished == 2) continue;
    kept += line + "\n";
    ++finished;
  }
  write_file(out, kept + "{\"id\": \"s6\", \"images\": [\"");
  const CommandResult r = run_rrg(encoder_args(out));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("removed an incomplete last record"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("encode: 4 record(s) written (2 failed), 2 already done"), std::string::npos)
      << r.err;
  const auto resumed = records_by_id(out);
  ASSERT_EQ(resumed.size(), 6u);
  EXPECT_EQ(lines_of(read_file(out)).size(), 6u);  // no id twice
  for (const auto& [id, record] : full) {
    if (record.contains("error")) continue;
    EXPECT_EQ(resumed.at(id), record) << id;
  }
  // --overwrite starts afresh.
  auto args = encoder_args(out);
  args.push_back("--overwrite");
  const CommandResult again = run_rrg(args);
  EXPECT_NE(again.err.find("encode: 6 record(s) written (2 failed), 0 already done"),
            std::string::npos)
      << again.err;
}

TEST_F(CliEncoder, UsageAndModelErrors) {
  const std::string out = dir_.file("x.jsonl");
  auto with = [&](const std::string& flag, const std::string& value) {
    auto args = encoder_args(out);
    for (std::size_t i = 0; i + 1 < args.size(); ++i) {
      if (args[i] == flag) args[i + 1] = value;
    }
    return args;
  };
  // Labels count differs from the model's outputs.
  write_file(dir_.file("three.txt"), "A\nB\nC\n");
  CommandResult r = run_rrg(with("--encoder-labels", dir_.file("three.txt")));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("three.txt: 3 label line(s), but the model " + model_ +
                       " outputs 5 value(s) per image"),
            std::string::npos)
      << r.err;
  // Missing and corrupt model files.
  r = run_rrg(with("--encoder", dir_.file("nope.pt")));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("nope.pt: no such model file"), std::string::npos) << r.err;
  write_file(dir_.file("corrupt.pt"), read_file(model_).substr(0, 300));
  r = run_rrg(with("--encoder", dir_.file("corrupt.pt")));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("corrupt.pt: not a TorchScript model that libtorch"), std::string::npos)
      << r.err;
  EXPECT_FALSE(rrg::testing::file_exists(out));  // nothing half-written

  // Encoder flags without --encoder; --encoder without labels.
  r = run_rrg({"generate", "--studies", studies_, "--encoder-labels", labels_, "--encoder-only",
               "-o", out});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--encoder"), std::string::npos) << r.err;
  r = run_rrg(
      {"generate", "--studies", studies_, "--encoder", model_, "--encoder-only", "-o", out});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--encoder needs --encoder-labels"), std::string::npos) << r.err;
  // With a language model, a prompt of the user's must use {findings_hints}.
  r = run_rrg({"generate", "--studies", studies_, "--encoder", model_, "--encoder-labels", labels_,
               "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--prompt",
               "Write the findings.", "-o", out});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--prompt: with --encoder the prompt must use {findings_hints}"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(rrg::testing::file_exists(out));
}

TEST_F(CliEncoder, HintsReachThePromptTheServerReceives) {
  rrg::llmdev::FakeOpenAiServer server;
  server.start();
  // Two studies with a frontal image, and one with only a lateral: its hints cannot be made, so
  // it gets an error record and no request, while the others go through.
  write_file(studies_,
             "{\"id\": \"s1\", \"images\": [{\"path\": \"small.png\", \"view\": \"LATERAL\"}, "
             "{\"path\": \"tall_rgb.jpg\", \"view\": \"PA\"}], \"indication\": \"Cough.\"}\n"
             "{\"id\": \"s3\", \"images\": [{\"path\": \"exact.png\", \"view\": \"LATERAL\"}]}\n"
             "{\"id\": \"s6\", \"images\": [\"half.png\"], \"indication\": \"Fever.\"}\n");
  const std::string out = dir_.file("run.jsonl");
  const CommandResult r =
      run_rrg({"generate",
               "--studies",
               studies_,
               "--image-root",
               dir_.path(),
               "--base-url",
               server.base_url(),
               "--model",
               "vlm-test",
               "--no-cache",
               "-o",
               out,
               "--encoder",
               model_,
               "--encoder-labels",
               labels_,
               "--encoder-threshold",
               "0.3",
               "--prompt",
               "Indication: {indication} Classifier: {findings_hints}. Write the findings."},
              "", {"LD_DEBUG=files"});
  EXPECT_EQ(r.exit_code, 1) << r.err;                           // s3 failed
  EXPECT_NE(r.err.find("libtorch_cpu.so"), std::string::npos);  // the encoder loaded libtorch
  const auto want = reference({"tall_rgb.jpg", "half.png"});
  std::vector<std::string> prompts;
  for (const auto& request : server.requests()) prompts.push_back(request.key);
  std::sort(prompts.begin(), prompts.end());
  const std::vector<std::string> expected = {
      "Indication: Cough. Classifier: " + expected_hints(want.at("tall_rgb.jpg"), 0.3) +
          ". Write the findings.",
      "Indication: Fever. Classifier: " + expected_hints(want.at("half.png"), 0.3) +
          ". Write the findings."};
  EXPECT_EQ(prompts, expected);
  EXPECT_NE(expected[0].find("Cardiomegaly ("), std::string::npos) << expected[0];
  const auto records = records_by_id(out);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records.at("s1")["output"], "echo: " + expected[0]);
  // The images sent are still all of the study's images.
  EXPECT_EQ(records.at("s1")["images"].size(), 2u);
  EXPECT_TRUE(records.at("s3")["output"].is_null());
  EXPECT_NE(records.at("s3")["error"].get<std::string>().find("no frontal image"),
            std::string::npos);
  server.stop();
}

TEST_F(CliEncoder, BuiltInPromptCarriesTheHints) {
  rrg::llmdev::FakeOpenAiServer server;
  server.start();
  write_file(studies_, "{\"id\": \"s6\", \"images\": [\"half.png\"]}\n");
  const CommandResult r =
      run_rrg({"generate", "--studies", studies_, "--image-root", dir_.path(), "--base-url",
               server.base_url(), "--model", "vlm-test", "--no-cache", "-o",
               dir_.file("grounded.jsonl"), "--encoder", model_, "--encoder-labels", labels_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto want = reference({"half.png"});
  ASSERT_EQ(server.requests().size(), 1u);
  const std::string prompt = server.requests()[0].key;
  EXPECT_NE(prompt.find("write the FINDINGS section"), std::string::npos) << prompt;
  EXPECT_NE(prompt.find("suggests these findings, with its probabilities: " +
                        expected_hints(want.at("half.png"), 0.5) + ". Treat them as hints"),
            std::string::npos)
      << prompt;
  server.stop();
}

TEST_F(CliEncoder, LibtorchIsNotLoadedWithoutEncoder) {
  rrg::llmdev::FakeOpenAiServer server;
  server.start();
  write_file(studies_, "{\"id\": \"s2\", \"images\": [\"wide_gray.png\"]}\n");
  const CommandResult r = run_rrg(
      {"generate", "--studies", studies_, "--image-root", dir_.path(), "--base-url",
       server.base_url(), "--model", "vlm-test", "--no-cache", "-o", dir_.file("plain.jsonl")},
      "", {"LD_DEBUG=files"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("libtorch"), std::string::npos);
  const CommandResult help = run_rrg({"generate", "--help"}, "", {"LD_DEBUG=files"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_EQ(help.err.find("libtorch"), std::string::npos);
  EXPECT_NE(help.out.find("--encoder-only"), std::string::npos);
  server.stop();
}

}  // namespace
