// Running the real `rrg serve` on an ephemeral loopback port for the API tests, and talking to
// it with libcurl.
#pragma once

#include <sys/types.h>

#include <string>
#include <utility>
#include <vector>

#include "support/test_support.h"

namespace rrg::testing {

struct HttpReply {
  long status = 0;  // 0 = no HTTP answer (connection failed)
  std::string body;
  std::string content_type;
  std::string error;  // curl's error when status is 0
};

struct MultipartField {
  std::string name;
  std::string content;
  std::string filename;  // "" = a plain field
};

// One request with its own curl handle (so tests may call these from several threads).
HttpReply http_get(const std::string& url, const std::vector<std::string>& headers = {});
HttpReply http_post(const std::string& url, const std::string& body,
                    const std::vector<std::string>& headers = {"Content-Type: application/json"});
HttpReply http_post_form(const std::string& url, const std::vector<MultipartField>& fields,
                         const std::vector<std::string>& headers = {});

// `rrg serve --port 0 ARGS...` in the background; the constructor waits for its "listening" line.
class ServeProcess {
 public:
  explicit ServeProcess(const std::vector<std::string>& args);
  ~ServeProcess();
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  bool started() const { return port_ > 0; }
  int port() const { return port_; }
  std::string url(const std::string& path) const;
  // Sends `signal` and waits for the exit; returns the exit status (128+signal when killed).
  int stop(int signal);
  std::string log() const;

 private:
  TempDir dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace rrg::testing
