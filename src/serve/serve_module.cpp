// Loading the server module and calling it (see serve_module.h). The module is loaded once per
// process (rrg::LoadedModule); a failed load is remembered and its message repeated.
#include "rrg/serve/serve_module.h"

#include <stdexcept>
#include <string>

#include "rrg/core/errors.h"
#include "rrg/core/module_loader.h"
#include "rrg/serve/serve_module_abi.h"

namespace rrg::serve {
namespace {

const rrg_serve_module_api* module_api() {
  static LoadedModule module({"librrg_serve.so", "RRG_SERVE_MODULE", RRG_SERVE_MODULE_INIT_SYMBOL,
                              "server module (cpp-httplib, libcurl)"});
  return static_cast<const rrg_serve_module_api*>(module.get([](void* init) -> const void* {
    const rrg_serve_module_api* table =
        reinterpret_cast<rrg_serve_module_init_fn>(init)(RRG_SERVE_MODULE_ABI_VERSION);
    if (table == nullptr || table->abi_version != RRG_SERVE_MODULE_ABI_VERSION ||
        table->fingerprint != rrg_serve_module_fingerprint()) {
      throw std::runtime_error(
          "incompatible server module " + module_path(module.spec()) + " (module: " +
          (table == nullptr ? std::string("no table")
                            : std::to_string(table->abi_version) + " " + table->fingerprint) +
          ", rrg: " + std::to_string(RRG_SERVE_MODULE_ABI_VERSION) + " " +
          rrg_serve_module_fingerprint() +
          "); rebuild rrg and librrg_serve.so from the same checkout");
    }
    return table;
  }));
}

[[noreturn]] void throw_status(std::int32_t code, const std::string& error) {
  if (code == RRG_SERVE_INPUT_ERROR) throw InputError(error);
  throw std::runtime_error(error);
}

}  // namespace

ModuleServer::ModuleServer(ServeOptions options) : api_(module_api()) {
  std::int32_t code = RRG_SERVE_OK;
  std::string error;
  server_ = api_->create(&options, &code, &error);
  if (server_ == nullptr) throw_status(code, error);
}

ModuleServer::~ModuleServer() {
  api_->destroy(server_);
}

int ModuleServer::bind() {
  int port = 0;
  std::string error;
  const std::int32_t code = api_->bind(server_, &port, &error);
  if (code != RRG_SERVE_OK) throw_status(code, error);
  return port;
}

void ModuleServer::run() {
  std::string error;
  const std::int32_t code = api_->run(server_, &error);
  if (code != RRG_SERVE_OK) throw_status(code, error);
}

void ModuleServer::stop() {
  api_->stop(server_);
}

}  // namespace rrg::serve
