// `rrg serve` as a library: an HTTP server (cpp-httplib) with the JSON API and the web page.
//
//   GET  /            the page (embedded; no file beside rrg is read)
//   GET  /v1/health   {"status": "ok", "generation", "labeler", "metrics_default", ...}
//   GET  /v1/metrics  the metric registry: every scorer with its keys and whether it is available
//   POST /v1/score    {"pairs": [{"id", "prediction", "reference"}], "metrics": [...]}
//                     -> what `rrg evaluate --json` writes for the same pairs
//   POST /v1/label    {"reports": ["..."]} -> {"labeler", "observations", "labels": [...]}
//   POST /v1/preview  multipart "image" -> {"data_url"}: the image as generate sends it (DICOMs
//                     windowed), for the page to show
//   POST /v1/generate multipart "image" (+ "indication") -> the record of `rrg generate`; with an
//                     image encoder also its "probabilities", "findings_hints" and "encoder" (the
//                     fields of `rrg generate --encoder-only`), the hints in the prompt
//   POST /v1/report   multipart "predictions", "references" files -> the HTML report of
//                     `rrg evaluate --html`
//
// Safety: every error is {"error": "..."} with a 4xx/5xx status; with a token every route needs
// "Authorization: Bearer TOKEN"; bodies above max_body_bytes are answered 413; no route reads a
// path from the request (uploads go to a private temporary directory); requests run on a pool of
// threads with read/write timeouts, so a slow client holds one thread only. Scorers are built once
// at construction and shared (they are stateless); labelers are not thread-safe and are used one
// request at a time from a pool.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "rrg/labelers/labeler.h"
#include "rrg/pipelines/evaluate.h"
#include "rrg/pipelines/generate.h"
#include "rrg/pipelines/image_encoder.h"

namespace rrg::serve {

struct ServeOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0 = any free port (see Server::port())
  // Bearer token every request must carry; "" = no authentication.
  std::string token;
  std::size_t max_body_bytes = 50u << 20;
  int read_timeout_s = 30;
  int write_timeout_s = 30;
  std::size_t threads = 16;  // request handler threads
  // Requests scored or labelled at once; the others queue and are admitted in arrival order
  // (rrg/core/fifo_gate.h: time-sliced against each other, the slowest waited several times as
  // long). 0 = twice the cores.
  std::size_t scoring_slots = 0;
  // Scoring: metrics (the default selection of /v1/score), cleaners, scorer options. labeler and
  // threads are set per request.
  pipelines::EvaluateOptions scoring;
  // Makes one labeler (nullptr = no clinical metrics, /v1/label answers 503); called
  // `labeler_pool` times at construction.
  std::function<std::unique_ptr<labelers::Labeler>()> make_labeler;
  std::size_t labeler_pool = 1;
  // Generation; when `generation` is false /v1/generate answers 503 and the page says a model
  // server is needed. generate.output is set per request.
  bool generation = false;
  pipelines::GenerateOptions generate;
  // Image encoder (rrg generate --encoder), loaded once at construction; model_path "" = none.
  // It runs on every /v1/generate upload: its hints fill the prompt's {findings_hints} (the
  // built-in prompt then is the grounded one) and its probabilities join the record. Without
  // `generation`, /v1/generate answers the encoder's record alone (as --encoder-only writes it).
  pipelines::ImageEncoderOptions encoder;
  // Lines for the server log (one request per line; never a body, never the API key).
  std::function<void(const std::string&)> on_log;
};

class Server {
 public:
  // Builds the scorers, labelers and the image encoder (models load here, once). Throws
  // rrg::InputError for unusable options.
  explicit Server(ServeOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds host:port; throws std::runtime_error when it cannot. Returns the bound port.
  int bind();
  // Serves until stop(); then finishes the requests in flight and returns.
  void run();
  // Thread-safe: stops accepting; run() returns once in-flight requests are answered.
  void stop();
  int port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The embedded page (src/serve/assets/page.html).
const char* page_html();

}  // namespace rrg::serve
