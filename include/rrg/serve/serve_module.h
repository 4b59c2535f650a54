// `rrg serve`'s server through the server module (librrg_serve.so: cpp-httplib, libcurl, OpenSSL),
// loaded when the server starts so that no other command pays for those libraries (see
// serve_module_abi.h for why).
#pragma once

#include "rrg/serve/server.h"

struct rrg_serve_module_api;
struct rrg_serve_server;

namespace rrg::serve {

// rrg::serve::Server (server.h) running in the module: the same constructor and life cycle.
class ModuleServer {
 public:
  // Loads the module (once per process), then builds the server as Server(options) does. Throws
  // rrg::InputError for unusable options and std::runtime_error when the module cannot be loaded
  // (the message says where it was looked for and what to do) or is from another build.
  explicit ModuleServer(ServeOptions options);
  ~ModuleServer();
  ModuleServer(const ModuleServer&) = delete;
  ModuleServer& operator=(const ModuleServer&) = delete;

  // As Server::bind(), run() and stop().
  int bind();
  void run();
  void stop();

 private:
  const rrg_serve_module_api* api_ = nullptr;
  rrg_serve_server* server_ = nullptr;
};

}  // namespace rrg::serve
