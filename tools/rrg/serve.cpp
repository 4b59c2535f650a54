// `rrg serve` (see serve.h): resolves the flags (the labeler and scoring flags of `rrg evaluate`,
// the server, image and image-encoder flags of `rrg generate`) into serve::ServeOptions, refuses to
// listen beyond loopback without a token or an explicit --insecure-no-auth, and serves until Ctrl-C
// or SIGTERM, which drain the requests in flight before exiting 0.
#include "serve.h"

#include <iostream>
#include <memory>
#include <mutex>

#include "encoder_flags.h"
#include "interrupt_watcher.h"
#include "labeler_flags.h"
#include "rrg/core/errors.h"
#include "rrg/io/cache_db.h"
#include "rrg/io/report_file.h"
#include "rrg/llm/server_options.h"
#include "rrg/serve/serve_module.h"
#include "rrg/text/python_str.h"
#include "scoring_flags.h"

namespace rrg::cli {
namespace {

struct ServeFlags {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string token_file;
  bool insecure_no_auth = false;
  double max_upload_mb = 50;
  std::size_t http_threads = 16;
  int request_timeout_s = 30;
  std::size_t labeler_pool = 4;
  std::size_t scoring_slots = 0;
  bool quiet = false;
  // Generation (the server flags are the labeler's: one --base-url for both).
  std::string prompt;
  std::string system;
  image::PreprocessOptions image;
  std::string image_format = "jpeg";
  std::string depth16 = "minmax";
  ScoringFlags scoring;
  LabelerFlags labeler;
  EncoderFlags encoder;
};

bool is_loopback(const std::string& host) {
  return host == "127.0.0.1" || host == "localhost" || host == "::1";
}

std::string read_token(const std::string& path) {
  const std::string content = io::read_text_file(path);
  const std::string token(text::python_strip(content));
  if (token.empty()) throw InputError(path + ": the token file is empty");
  if (token.find_first_of(" \t\r\n") != std::string::npos) {
    throw InputError(path + ": the token must be one line without spaces");
  }
  return token;
}

serve::ServeOptions resolve(const ServeFlags& flags) {
  serve::ServeOptions o;
  o.host = flags.host;
  o.port = flags.port;
  if (flags.port < 0 || flags.port > 65535) throw InputError("--port must be 0..65535");
  if (!flags.token_file.empty()) o.token = read_token(flags.token_file);
  if (!is_loopback(flags.host) && o.token.empty() && !flags.insecure_no_auth) {
    throw InputError("--host " + flags.host +
                     " lets other machines connect: give --token FILE (Bearer authentication on "
                     "every route) or, knowingly, --insecure-no-auth");
  }
  if (flags.max_upload_mb <= 0) throw InputError("--max-upload-mb must be positive");
  o.max_body_bytes = static_cast<std::size_t>(flags.max_upload_mb * 1024 * 1024);
  o.threads = flags.http_threads;
  o.scoring_slots = flags.scoring_slots;
  o.read_timeout_s = flags.request_timeout_s;
  o.write_timeout_s = flags.request_timeout_s;

  LabelerFlags labeler_flags = flags.labeler;
  labeler_flags.threads = 1;  // one request per labeler; requests run side by side
  // Resolving the scoring flags checks names against one labeler, which then joins the pool.
  auto first = std::make_shared<std::unique_ptr<labelers::Labeler>>(make_labeler(labeler_flags));
  o.scoring = resolve_scoring(flags.scoring, first->get(), labeler_flags);
  o.scoring.labeler = nullptr;
  o.scoring.on_job = nullptr;
  if (*first) {
    // The rules labeler is cheap to copy; model labelers (CheXbert, llm) load once.
    const bool cheap = (*first)->name() == "rules";
    o.labeler_pool = cheap ? std::max<std::size_t>(1, flags.labeler_pool) : 1;
    auto mutex = std::make_shared<std::mutex>();
    o.make_labeler = [first, mutex, labeler_flags]() -> std::unique_ptr<labelers::Labeler> {
      const std::lock_guard<std::mutex> lock(*mutex);
      if (*first) return std::move(*first);
      return make_labeler(labeler_flags);
    };
  }

  const llm::ServerOptions& server = flags.labeler.llm.server;
  // --encoder-only: the encoder's probabilities without generation, even when --base-url is set
  // (for the llm labeler).
  o.generation = !server.base_urls.empty() && !flags.encoder.only;
  if (o.generation) {
    pipelines::GenerateOptions& g = o.generate;
    g.client = llm::client_options_from(server, "serve");
    if (!server.no_cache) {
      g.cache_path = server.cache_path.empty() ? io::default_cache_path() : server.cache_path;
    }
    g.keep_reasoning = server.keep_reasoning;
    g.prompt.system = flags.system;
    if (!flags.prompt.empty()) {
      g.prompt.template_text = flags.prompt;
      g.prompt.template_source = "--prompt";
      g.prompt.override_study_prompts = true;
    }
  }
  o.generate.images.preprocess = flags.image;
  o.generate.images.preprocess.encoding = image::parse_image_encoding(flags.image_format);
  o.generate.images.preprocess.depth16 = image::parse_depth16_mapping(flags.depth16);
  if (!flags.encoder.model.empty()) {
    require_encoder_labels(flags.encoder);
    if (o.generation) check_prompt_uses_hints(o.generate.prompt);
    o.encoder = encoder_options(flags.encoder, o.generate.images.preprocess.depth16);
  }
  if (!flags.quiet)
    o.on_log = [](const std::string& line) { std::cerr << "rrg serve: " << line << "\n"; };
  return o;
}

void run_serve(const ServeFlags& flags) {
  if (flags.scoring.list_metrics) {
    std::cout << metric_list_text();
    return;
  }
  // Signals are received by the watcher thread, which must exist before the server's threads.
  serve::ModuleServer* running = nullptr;
  std::mutex running_mutex;
  InterruptWatcher watcher([&] {
    const std::lock_guard<std::mutex> lock(running_mutex);
    if (running != nullptr) running->stop();
  });
  // The server runs in librrg_serve.so (cpp-httplib, libcurl), loaded only now.
  serve::ModuleServer server(resolve(flags));
  const int port = server.bind();
  {
    const std::lock_guard<std::mutex> lock(running_mutex);
    running = &server;
    if (watcher.interrupted()) server.stop();
  }
  // One line on stdout, so scripts and tests can read the port of --port 0.
  std::cout << "rrg serve: listening on http://" << flags.host << ":" << port << "/" << std::endl;
  server.run();
  {
    const std::lock_guard<std::mutex> lock(running_mutex);
    running = nullptr;
  }
  std::cerr << "rrg serve: stopped\n";
}

}  // namespace

void setup_serve(CLI::App& app) {
  auto flags = std::make_shared<ServeFlags>();
  CLI::App* cmd = app.add_subcommand(
      "serve", "Web page and JSON API: generate, label and score reports (docs/serve.md)");
  cmd->description(
      "Serve a web page and a JSON API on http://HOST:PORT/: upload a chest X-ray and see the\n"
      "draft report of the model behind --base-url, its CheXpert labels and, against a typed\n"
      "reference, every metric with its signature; score, label and report over JSON\n"
      "(POST /v1/score, /v1/label, /v1/generate; GET /v1/health, /v1/metrics). With --encoder\n"
      "MODEL.pt, a chest X-ray classifier runs on each upload: its probabilities show as bars\n"
      "and join the record, its findings fill the prompt (docs/encoder.md).\n"
      "Models load once at start-up. Binds 127.0.0.1 unless told otherwise; another --host needs\n"
      "--token FILE (Bearer authentication) or --insecure-no-auth. Ctrl-C or SIGTERM answers the\n"
      "requests in flight, then exits 0.");
  cmd->add_option("--host", flags->host, "Address to listen on")->capture_default_str();
  cmd->add_option("--port", flags->port, "Port (0 = any free port, printed at start)")
      ->capture_default_str();
  cmd->add_option("--token", flags->token_file,
                  "File holding the token every request must send as \"Authorization: Bearer "
                  "TOKEN\"")
      ->type_name("FILE");
  cmd->add_flag("--insecure-no-auth", flags->insecure_no_auth,
                "Allow a non-loopback --host without --token (anyone who can connect may use "
                "the server)");
  cmd->add_option("--max-upload-mb", flags->max_upload_mb,
                  "Largest request body (uploads, JSON) in MB; larger ones get 413")
      ->capture_default_str();
  cmd->add_option("--http-threads", flags->http_threads, "Requests handled at the same time")
      ->capture_default_str();
  cmd->add_option("--client-timeout", flags->request_timeout_s,
                  "Seconds a client may take to send a request or read the answer")
      ->capture_default_str();
  cmd->add_option("--scoring-slots", flags->scoring_slots,
                  "Requests scored or labelled at once, the others admitted in arrival order "
                  "(0 = twice the cores; keeps the slowest answers close to the typical ones)")
      ->capture_default_str();
  cmd->add_option("--labeler-pool", flags->labeler_pool,
                  "Rules labelers working side by side (model labelers: one)")
      ->capture_default_str();
  cmd->add_flag("-q,--quiet", flags->quiet, "Do not log requests");
  cmd->add_option("--prompt", flags->prompt,
                  "Generation prompt template ({indication}, {views}); default: the built-in "
                  "findings prompt")
      ->group("Generation");
  cmd->add_option("--system", flags->system, "System message for generation")->group("Generation");
  cmd->add_option("--max-side", flags->image.max_side, "Longest image side sent, in pixels")
      ->group("Generation")
      ->capture_default_str();
  cmd->add_option("--image-format", flags->image_format, "Encoding sent: jpeg or png")
      ->group("Generation")
      ->check(CLI::IsMember({"jpeg", "png"}))
      ->capture_default_str();
  cmd->add_option("--depth16", flags->depth16,
                  "16-bit PNG to 8 bits: minmax (stretch the image's range) or full (/257)")
      ->group("Generation")
      ->check(CLI::IsMember({"minmax", "full"}))
      ->capture_default_str();
  add_scoring_flags(*cmd, flags->scoring);
  add_encoder_flags(*cmd, flags->encoder);
  add_labeler_flags(*cmd, flags->labeler,
                    "for labels and the clinical metrics (its --base-url is also the model "
                    "server of generation)",
                    /*allow_none=*/true);
  cmd->footer(
      "\nExamples:\n"
      "  rrg serve                                   # score and label on http://127.0.0.1:8080/\n"
      "  rrg serve --base-url http://127.0.0.1:8000/v1 --model Qwen2-VL-7B-Instruct\n"
      "  rrg serve --host 0.0.0.0 --token token.txt --port 9000\n"
      "  rrg serve --base-url http://127.0.0.1:8000/v1 --model M --encoder densenet.pt "
      "--encoder-labels labels.txt\n"
      "\nExit status: 0 after Ctrl-C/SIGTERM, 1 environment failure, 2 bad usage.");
  cmd->callback([flags] { run_serve(*flags); });
}

}  // namespace rrg::cli
