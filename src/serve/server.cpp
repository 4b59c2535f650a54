// The server's life cycle and the rules every route shares (see rrg/serve/server.h): bearer
// authentication, JSON errors, size limits, timeouts, one log line per request, draining stop.
#include "rrg/serve/server.h"

#include <atomic>
#include <chrono>
#include <sstream>

#include "rrg/core/errors.h"
#include "rrg/core/parallel.h"
#include "rrg/metrics/registry.h"
#include "serve_internal.h"

namespace rrg::serve {

void reply_json(httplib::Response& response, int status, const std::string& body) {
  response.status = status;
  response.set_content(body, "application/json");
}

void reply_error(httplib::Response& response, int status, const std::string& message) {
  reply_json(response, status, nlohmann::json{{"error", message}}.dump());
}

void LabelerPool::add(std::unique_ptr<labelers::Labeler> labeler) {
  free_.push_back(labeler.get());
  all_.push_back(std::move(labeler));
}

std::unique_ptr<LabelerPool::Lease> LabelerPool::acquire() {
  std::unique_lock<std::mutex> lock(mutex_);
  available_.wait(lock, [this] { return !free_.empty(); });
  labelers::Labeler* labeler = free_.back();
  free_.pop_back();
  return std::make_unique<Lease>(*this, labeler);
}

LabelerPool::Lease::~Lease() {
  {
    const std::lock_guard<std::mutex> lock(pool_.mutex_);
    pool_.free_.push_back(labeler_);
  }
  pool_.available_.notify_one();
}

namespace {

// Compares without an early exit, so response times do not reveal how much of a guess matched.
bool same_secret(const std::string& given, const std::string& expected) {
  unsigned char difference = given.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < given.size(); ++i) {
    difference |= static_cast<unsigned char>(given[i] ^ expected[i % expected.size()]);
  }
  return difference == 0;
}

std::string status_message(int status, const ServeOptions& options) {
  switch (status) {
    case 400:
      return "bad request";
    case 404:
      return "no such route";
    case 405:
      return "method not allowed on this route";
    case 408:
      return "request timed out";
    case 413:
      return "request body larger than the limit of " +
             std::to_string(options.max_body_bytes >> 20) + " MB (--max-upload-mb)";
    case 414:
      return "request URI too long";
    default:
      return "HTTP " + std::to_string(status);
  }
}

}  // namespace

struct Server::Impl {
  ServeState state;
  httplib::Server http;
  int port = 0;
  std::atomic<bool> bound{false};

  template <typename Handler>
  httplib::Server::Handler guarded(Handler handler) {
    return [this, handler](const httplib::Request& request, httplib::Response& response) {
      try {
        handler(request, response);
      } catch (const RequestError& e) {
        reply_error(response, e.status(), e.what());
      } catch (const InputError& e) {
        reply_error(response, 400, e.what());
      } catch (const std::exception& e) {
        reply_error(response, 500, e.what());
      }
    };
  }

  void log(const httplib::Request& request, const httplib::Response& response) {
    if (!state.options.on_log) return;
    std::ostringstream line;
    line << request.remote_addr << " " << request.method << " " << request.path << " "
         << response.status << " " << response.body.size() << "B";
    state.options.on_log(line.str());
  }

  void routes() {
    http.Get("/", [](const httplib::Request&, httplib::Response& response) {
      response.set_header("Content-Security-Policy",
                          "default-src 'self'; img-src 'self' data: blob:; style-src "
                          "'unsafe-inline'; script-src 'unsafe-inline'; frame-src 'self' blob: "
                          "data:; connect-src 'self'");
      response.set_content(page_html(), "text/html; charset=utf-8");
    });
    http.Get("/v1/health", guarded([this](const httplib::Request&, httplib::Response& response) {
               handle_health(state, response);
             }));
    http.Get("/v1/metrics", guarded([this](const httplib::Request&, httplib::Response& response) {
               handle_metrics(state, response);
             }));
    http.Post("/v1/score", guarded([this](const httplib::Request& q, httplib::Response& r) {
                handle_score(state, q, r);
              }));
    http.Post("/v1/label", guarded([this](const httplib::Request& q, httplib::Response& r) {
                handle_label(state, q, r);
              }));
    http.Post("/v1/report", guarded([this](const httplib::Request& q, httplib::Response& r) {
                handle_report(state, q, r);
              }));
    http.Post("/v1/preview", guarded([this](const httplib::Request& q, httplib::Response& r) {
                handle_preview(state, q, r);
              }));
    http.Post("/v1/generate", guarded([this](const httplib::Request& q, httplib::Response& r) {
                handle_generate(state, q, r);
              }));
  }

  void rules() {
    const ServeOptions& o = state.options;
    const std::size_t threads = o.threads == 0 ? 16 : o.threads;
    http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    http.set_read_timeout(o.read_timeout_s, 0);
    http.set_write_timeout(o.write_timeout_s, 0);
    http.set_keep_alive_timeout(5);
    // cpp-httplib closes a keep-alive connection after 5 requests by default, so a busy client
    // reconnected every 5th request (3% of the server's CPU per /v1/score request, a quarter of
    // the client's). After 100 a connection still closes, so that connections waiting for one of
    // the --http-threads get their turn.
    http.set_keep_alive_max_count(100);
    // Small answers must not wait for a delayed ACK (Nagle): 40 ms per keep-alive request.
    http.set_tcp_nodelay(true);
    http.set_payload_max_length(o.max_body_bytes);
    if (!o.token.empty()) {
      http.set_pre_routing_handler(
          [this](const httplib::Request& request, httplib::Response& response) {
            const std::string expected = "Bearer " + state.options.token;
            if (same_secret(request.get_header_value("Authorization"), expected)) {
              return httplib::Server::HandlerResponse::Unhandled;
            }
            response.set_header("WWW-Authenticate", "Bearer");
            reply_error(response, 401,
                        "this server needs \"Authorization: Bearer TOKEN\" (rrg serve --token)");
            return httplib::Server::HandlerResponse::Handled;
          });
    }
    // Replies httplib makes itself (404, 413, 400 for a malformed request) get a JSON body too.
    http.set_error_handler([this](const httplib::Request& request, httplib::Response& response) {
      if (!response.body.empty()) return;
      std::string message = status_message(response.status, state.options);
      if (response.status == 404) message += ": " + request.method + " " + request.path;
      reply_error(response, response.status, message);
    });
    http.set_logger([this](const httplib::Request& request, const httplib::Response& response) {
      log(request, response);
    });
  }
};

Server::Server(ServeOptions options) : impl_(std::make_unique<Impl>()) {
  ServeState& state = impl_->state;
  state.options = std::move(options);
  state.scoring_gate = std::make_unique<FifoGate>(
      state.options.scoring_slots != 0 ? state.options.scoring_slots : 2 * resolve_threads(0));
  if (state.options.make_labeler) {
    for (std::size_t i = 0; i < std::max<std::size_t>(1, state.options.labeler_pool); ++i) {
      std::unique_ptr<labelers::Labeler> labeler = state.options.make_labeler();
      if (!labeler) break;
      labeler->preload();  // CheXbert's weights load now, not on the first request
      state.labelers.add(std::move(labeler));
    }
  }
  // Every scorer the configuration makes available is built now (METEOR reads WordNet, BERTScore
  // loads its model): requests only run them.
  labelers::Labeler* labeler = state.labelers.empty() ? nullptr : &state.labelers.any();
  const metrics::MetricSelection all =
      pipelines::select_evaluation_metrics({"all"}, labeler, state.options.scoring.scorer_options);
  for (const std::string& id : all.scorer_ids) {
    state.scorers[id] = metrics::make_scorer(id, state.options.scoring.scorer_options);
    state.scorers[id]->preload();
  }
  // The default selection must be valid for this configuration.
  pipelines::select_evaluation_metrics(state.options.scoring.metrics, labeler,
                                       state.options.scoring.scorer_options);
  if (!state.options.encoder.model_path.empty()) {
    state.encoder = std::make_unique<pipelines::ImageEncoder>(state.options.encoder);
  }
  impl_->rules();
  impl_->routes();
}

Server::~Server() = default;

int Server::bind() {
  const ServeOptions& o = impl_->state.options;
  if (o.port == 0) {
    impl_->port = impl_->http.bind_to_any_port(o.host.c_str());
    if (impl_->port <= 0) throw std::runtime_error("serve: cannot bind " + o.host);
  } else {
    if (!impl_->http.bind_to_port(o.host.c_str(), o.port)) {
      throw std::runtime_error("serve: cannot bind " + o.host + ":" + std::to_string(o.port) +
                               " (in use, or not an address of this machine)");
    }
    impl_->port = o.port;
  }
  impl_->bound = true;
  return impl_->port;
}

void Server::run() {
  if (!impl_->bound) bind();
  impl_->http.listen_after_bind();
}

void Server::stop() {
  impl_->http.stop();
}

int Server::port() const {
  return impl_->port;
}

}  // namespace rrg::serve
