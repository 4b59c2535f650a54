// The server module's entry point (librrg_serve.so, see serve_module_abi.h): rrg::serve::Server
// behind the table rrg loads. Exceptions never cross the boundary; they become status codes with
// the exception's message.
#include <exception>
#include <string>

#include "rrg/core/errors.h"
#include "rrg/serve/serve_module_abi.h"
#include "rrg/serve/server.h"

struct rrg_serve_server {
  explicit rrg_serve_server(rrg::serve::ServeOptions options) : server(std::move(options)) {}
  rrg::serve::Server server;
};

namespace {

// Runs `body` and turns its exceptions into the status: InputError -> INPUT_ERROR, anything else
// -> RUNTIME_ERROR.
template <typename Body>
std::int32_t guarded(std::string* error, Body&& body) {
  try {
    body();
    return RRG_SERVE_OK;
  } catch (const rrg::InputError& e) {
    *error = e.what();
    return RRG_SERVE_INPUT_ERROR;
  } catch (const std::exception& e) {
    *error = e.what();
    return RRG_SERVE_RUNTIME_ERROR;
  }
}

rrg_serve_server* create(rrg::serve::ServeOptions* options, std::int32_t* code,
                         std::string* error) {
  rrg_serve_server* server = nullptr;
  *code = guarded(error, [&] { server = new rrg_serve_server(std::move(*options)); });
  return server;
}

std::int32_t bind(rrg_serve_server* server, int* port, std::string* error) {
  return guarded(error, [&] { *port = server->server.bind(); });
}

std::int32_t run(rrg_serve_server* server, std::string* error) {
  return guarded(error, [&] { server->server.run(); });
}

void stop(rrg_serve_server* server) {
  server->server.stop();
}

void destroy(rrg_serve_server* server) {
  delete server;
}

}  // namespace

extern "C" __attribute__((visibility("default"))) const rrg_serve_module_api* rrg_serve_module_init(
    std::int32_t /*abi_version*/) {
  static const std::string fingerprint = rrg_serve_module_fingerprint();
  static const rrg_serve_module_api api = {
      RRG_SERVE_MODULE_ABI_VERSION, fingerprint.c_str(), &create, &bind, &run, &stop, &destroy};
  return &api;
}
