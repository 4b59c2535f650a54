// Internal pieces of the serve library shared by its source files: JSON error replies, the
// labeler pool, and the handlers of each API area.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <httplib.h>

#include "rrg/core/fifo_gate.h"

#include "rrg/serve/server.h"

namespace rrg::serve {

// A request the client got wrong: answered with `status` and {"error": message}.
class RequestError : public std::runtime_error {
 public:
  RequestError(int status, const std::string& message)
      : std::runtime_error(message), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

void reply_json(httplib::Response& response, int status, const std::string& body);
void reply_error(httplib::Response& response, int status, const std::string& message);

// Labelers are not thread-safe: each request borrows one for its whole run.
class LabelerPool {
 public:
  void add(std::unique_ptr<labelers::Labeler> labeler);
  bool empty() const { return all_.empty(); }
  labelers::Labeler& any() const { return *all_.front(); }

  class Lease {
   public:
    Lease(LabelerPool& pool, labelers::Labeler* labeler) : pool_(pool), labeler_(labeler) {}
    ~Lease();
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    labelers::Labeler* get() const { return labeler_; }

   private:
    LabelerPool& pool_;
    labelers::Labeler* labeler_;
  };
  // Waits for a free labeler.
  std::unique_ptr<Lease> acquire();

 private:
  std::vector<std::unique_ptr<labelers::Labeler>> all_;
  std::vector<labelers::Labeler*> free_;
  std::mutex mutex_;
  std::condition_variable available_;
};

// A requested metric list resolved for this server's labeler and scorer options.
struct ResolvedMetrics {
  metrics::MetricSelection selection;
  bool needs_labeler = false;  // the selection reads labels or embeddings
};

// What the handlers share, built once.
struct ServeState {
  ServeOptions options;
  std::unique_ptr<FifoGate> scoring_gate;  // around every /v1/score and /v1/label computation
  LabelerPool labelers;
  std::map<std::string, std::shared_ptr<const metrics::Scorer>> scorers;  // by registry id
  // Metric lists resolved so far (requests mostly repeat a few), at most kMaxResolved.
  static constexpr std::size_t kMaxResolved = 256;
  std::mutex resolved_mutex;
  std::map<std::vector<std::string>, std::shared_ptr<const ResolvedMetrics>> resolved;
  std::unique_ptr<pipelines::ImageEncoder> encoder;  // null = none
};

// The JSON body of `request`, parsed; RequestError 400 naming the problem, 415 for another type.
nlohmann::json parse_json_body(const httplib::Request& request);

void handle_health(const ServeState& state, httplib::Response& response);
void handle_metrics(const ServeState& state, httplib::Response& response);
void handle_score(ServeState& state, const httplib::Request& request, httplib::Response& response);
void handle_label(ServeState& state, const httplib::Request& request, httplib::Response& response);
void handle_report(ServeState& state, const httplib::Request& request, httplib::Response& response);
void handle_preview(ServeState& state, const httplib::Request& request,
                    httplib::Response& response);
void handle_generate(ServeState& state, const httplib::Request& request,
                     httplib::Response& response);

// Streams one study's generation as server-sent events (generate_stream.cpp). `hints` fills the
// prompt's {findings_hints} (null = no encoder); `encoder_fields` (the encoder's record fields, or
// an empty object) is sent first as "event: encoder" and joins the record.
void stream_generation(const pipelines::GenerateOptions& options, const io::Study& study,
                       pipelines::FindingsHintsProvider* hints,
                       const nlohmann::ordered_json& encoder_fields, httplib::Response& response);

// Server-sent event text: "event: EVENT\ndata: JSON\n\n".
std::string sse_event(const std::string& event, const nlohmann::ordered_json& data);

}  // namespace rrg::serve
