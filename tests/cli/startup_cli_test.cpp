// Regression tests for issue 16 (start-up cost): the real rrg binary loads the network stack
// (libcurl and its tree, cpp-httplib, OpenSSL's libssl) only when a command talks to a server.
// `rrg --help` and a lexical + rules-labeler `rrg evaluate` must not load them; the LLM client
// loads libcurl on first use (and its --ca-bundle path finds OpenSSL through it); `rrg serve`
// loads librrg_serve.so and with it cpp-httplib. What the process loads is read from the dynamic
// loader's own trace (LD_DEBUG=files), which names every object it maps.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fake_openai_server.h"
#include "support/test_support.h"

namespace {

using rrg::llmdev::FakeOpenAiServer;
using rrg::testing::run_rrg;
using rrg::testing::source_dir;
using rrg::testing::TempDir;
using rrg::testing::write_file;

// The objects the loader mapped, from LD_DEBUG=files lines such as
// "  1234:	file=libcurl.so.4 [0];  dynamically loaded by ...".
std::set<std::string> loaded_objects(const std::string& trace) {
  std::set<std::string> out;
  std::size_t pos = 0;
  while ((pos = trace.find("file=", pos)) != std::string::npos) {
    pos += 5;
    const std::size_t end = trace.find_first_of(" \t\n[", pos);
    std::string name = trace.substr(pos, end - pos);
    if (const std::size_t slash = name.rfind('/'); slash != std::string::npos) {
      name = name.substr(slash + 1);
    }
    out.insert(name);
  }
  return out;
}

bool has_prefix(const std::set<std::string>& objects, const std::string& prefix) {
  for (const std::string& name : objects) {
    if (name.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

// The network libraries no command that stays off the network may load.
const std::vector<std::string> kNetworkLibraries = {
    "libcurl", "libssl", "libcpp-httplib", "libgnutls", "libnghttp2", "libkrb5", "librrg_serve"};

void expect_no_network_library(const std::set<std::string>& objects) {
  // The trace is really there (LD_DEBUG is honoured): the C++ runtime is always loaded.
  ASSERT_TRUE(objects.count("libstdc++.so.6")) << "no LD_DEBUG=files trace";
  for (const std::string& library : kNetworkLibraries) {
    EXPECT_FALSE(has_prefix(objects, library)) << library << " was loaded";
  }
}

TEST(Issue16Startup, HelpLoadsNoNetworkLibrary) {
  const auto r = run_rrg({"--help"}, "", {"LD_DEBUG=files"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_no_network_library(loaded_objects(r.err));
}

TEST(Issue16Startup, LexicalAndRulesEvaluateLoadsNoNetworkLibrary) {
  const std::string examples = source_dir() + "/examples/";
  const auto r = run_rrg({"evaluate", "--pred", examples + "pred.jsonl", "--ref",
                          examples + "ref.jsonl", "--labeler", "rules", "--json", "-"},
                         "", {"LD_DEBUG=files"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_TRUE(doc["corpus"].contains("BLEU-4"));
  EXPECT_TRUE(doc["corpus"].contains("chexpert_micro_f1_14_uzeros"));
  expect_no_network_library(loaded_objects(r.err));
}

// The llm labeler over TLS with a self-signed root given by --ca-bundle: libcurl is loaded on
// first use, and the extra root is added with the OpenSSL functions of the libssl libcurl loaded
// (rrg links neither).
TEST(Issue16Startup, LlmLabelerLoadsLibcurlOnFirstUseAndTrustsTheCaBundle) {
  TempDir dir;
  const auto made = rrg::testing::run_command({"openssl", "req", "-x509", "-newkey", "rsa:2048",
                                               "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                                               "-addext", "subjectAltName=IP:127.0.0.1", "-keyout",
                                               dir.file("key.pem"), "-out", dir.file("cert.pem")});
  if (made.exit_code != 0) GTEST_SKIP() << "openssl could not make a certificate: " << made.err;
  rrg::llmdev::FakeServerOptions server_options;
  server_options.cert_file = dir.file("cert.pem");
  server_options.key_file = dir.file("key.pem");
  FakeOpenAiServer server(server_options);
  server.start();
  write_file(dir.file("reports.jsonl"),
             "{\"id\": \"a\", \"report\": \"Mild cardiomegaly. No edema.\"}\n");
  const std::vector<std::string> args = {"annotate",
                                         "--labeler",
                                         "llm",
                                         "--base-url",
                                         server.base_url(),
                                         "--model",
                                         "m",
                                         "--max-retries",
                                         "0",
                                         "--no-cache",
                                         "--in",
                                         dir.file("reports.jsonl"),
                                         "--out",
                                         "-"};

  // Without the root the certificate is refused: the report's record carries the error (annotate
  // records failed reports and goes on), which says what to do.
  const auto untrusted = run_rrg(args);
  // The report is written with its error, and the run says so with exit status 1.
  ASSERT_EQ(untrusted.exit_code, 1) << untrusted.err;
  const auto refused = nlohmann::json::parse(untrusted.out.substr(0, untrusted.out.find('\n')));
  EXPECT_NE(refused.value("error", "").find("add its root with --ca-bundle"), std::string::npos)
      << untrusted.out;

  std::vector<std::string> trusted_args = args;
  trusted_args.insert(trusted_args.end(), {"--ca-bundle", dir.file("cert.pem")});
  const auto r = run_rrg(trusted_args, "", {"LD_DEBUG=files"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto record = nlohmann::json::parse(r.out.substr(0, r.out.find('\n')));
  EXPECT_EQ(record["id"], "a");
  EXPECT_FALSE(record.contains("error")) << r.out;
  EXPECT_EQ(record["labels"]["Cardiomegaly"], 1) << r.out;
  const auto objects = loaded_objects(r.err);
  EXPECT_TRUE(has_prefix(objects, "libcurl.so.4"));
  EXPECT_TRUE(has_prefix(objects, "libssl.so.3"));
  EXPECT_FALSE(has_prefix(objects, "libcpp-httplib"));  // the server module stays unloaded
}

// `rrg serve` loads its module, and cpp-httplib with it; an error inside the module (here: an
// address that is not this machine's) comes back as rrg's one-line error and exit status 1.
TEST(Issue16Startup, ServeLoadsItsModuleAndReportsItsErrors) {
  TempDir dir;
  write_file(dir.file("token"), "secret\n");
  const auto r = run_rrg({"serve", "--host", "192.0.2.1", "--port", "8080", "--token",
                          dir.file("token"), "--labeler", "none", "--quiet"},
                         "", {"LD_DEBUG=files"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("cannot bind 192.0.2.1:8080"), std::string::npos) << r.err;
  const auto objects = loaded_objects(r.err);
  EXPECT_TRUE(objects.count("librrg_serve.so"));
  EXPECT_TRUE(has_prefix(objects, "libcpp-httplib"));
}

TEST(Issue16Startup, MissingServerModuleIsNamedWithWhatToDo) {
  const auto r = run_rrg({"serve", "--port", "0", "--labeler", "none"}, "",
                         {"RRG_SERVE_MODULE=/nonexistent/librrg_serve.so"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("server module"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("/nonexistent/librrg_serve.so"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("RRG_SERVE_MODULE"), std::string::npos) << r.err;
}

TEST(Issue16Startup, ServerModuleFromAnotherBuildIsRefused) {
  const std::string fake = std::string(RRG_BINARY_DIR) + "/tests/cli/libfake_serve_module.so";
  const auto r =
      run_rrg({"serve", "--port", "0", "--labeler", "none"}, "", {"RRG_SERVE_MODULE=" + fake});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("incompatible server module " + fake), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("rebuild rrg and librrg_serve.so from the same checkout"), std::string::npos)
      << r.err;
}

}  // namespace
