// The contract between rrg and its server module (librrg_serve.so).
//
// `rrg serve`'s HTTP server needs cpp-httplib (which pulls in OpenSSL) and libcurl with its tree of
// ~30 libraries; linked into rrg they cost every invocation about 5 ms of CPU before main()
// (issue 16: `rrg --help` took 8.7-9.4 ms of task-clock with them, 3.5-4.0 ms without). So
// src/serve/ is built into a module that rrg dlopen()s when `rrg serve` starts
// (rrg/serve/serve_module.h), like the image and libtorch modules. The module exports one C
// function, RRG_SERVE_MODULE_INIT_SYMBOL, returning this table.
//
// Unlike the image and libtorch tables this one is C++: ServeOptions is a graph of C++ options
// with callbacks into rrg (the labeler factory, the log), which no C table could carry. So the
// module and rrg must come from the same build; rrg refuses a table whose abi_version or
// fingerprint (rrg's git revision, the compiler, sizeof(ServeOptions)) differs from its own.
// No exception crosses the boundary: a failed call returns a status code and its message.
//
// Bump RRG_SERVE_MODULE_ABI_VERSION whenever anything in this file changes meaning.
#pragma once

#include <cstdint>
#include <string>

#include "rrg/core/version.h"
#include "rrg/serve/server.h"

#define RRG_SERVE_MODULE_ABI_VERSION 1
#define RRG_SERVE_MODULE_INIT_SYMBOL "rrg_serve_module_init"

enum rrg_serve_status_code {
  RRG_SERVE_OK = 0,
  RRG_SERVE_INPUT_ERROR = 2,   // rrg::InputError (bad options)
  RRG_SERVE_RUNTIME_ERROR = 3  // anything else (cannot bind, model failed to load)
};

// An rrg::serve::Server owned by the module.
struct rrg_serve_server;

struct rrg_serve_module_api {
  std::int32_t abi_version;  // RRG_SERVE_MODULE_ABI_VERSION the module was built with
  const char* fingerprint;   // rrg_serve_module_fingerprint() of the module's build

  // Server(std::move(*options)): builds scorers, labelers and the encoder. Returns nullptr and
  // sets *code and *error on failure.
  rrg_serve_server* (*create)(rrg::serve::ServeOptions* options, std::int32_t* code,
                              std::string* error);
  // Server::bind(): writes the bound port to *port.
  std::int32_t (*bind)(rrg_serve_server* server, int* port, std::string* error);
  // Server::run(): returns after stop() once in-flight requests are answered.
  std::int32_t (*run)(rrg_serve_server* server, std::string* error);
  // Server::stop(): thread-safe, never fails.
  void (*stop)(rrg_serve_server* server);
  void (*destroy)(rrg_serve_server* server);
};

extern "C" {
typedef const rrg_serve_module_api* (*rrg_serve_module_init_fn)(std::int32_t abi_version);
}

// What must be equal on both sides for the table's C++ types to agree.
inline std::string rrg_serve_module_fingerprint() {
  return std::string(rrg::git_revision()) + "|" + __VERSION__ + "|" +
         std::to_string(sizeof(rrg::serve::ServeOptions));
}
