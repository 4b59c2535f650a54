// Loading libcurl.so.4 on first use (see curl_library.h). A failed load is remembered and its
// message repeated to every later caller.
#include "curl_library.h"

#include <dlfcn.h>

#include <mutex>
#include <stdexcept>
#include <string>

namespace rrg::llm::detail {
namespace {

// libcurl's soname on Debian (libcurl4, the OpenSSL build) and every other Linux distribution.
constexpr const char* kSoname = "libcurl.so.4";

struct Loaded {
  CurlLibrary library{};
  std::string error;  // non-empty when loading failed
};

template <typename Function>
void resolve(void* handle, const char* name, Function& out, std::string& missing) {
  out = reinterpret_cast<Function>(::dlsym(handle, name));
  if (out == nullptr && missing.empty()) missing = name;
}

Loaded load() {
  Loaded out;
  void* handle = ::dlopen(kSoname, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = ::dlerror();
    out.error = std::string("llm: cannot load ") + kSoname + " (" +
                (why != nullptr ? why : "unknown error") +
                "); the LLM client needs libcurl: install the Debian package libcurl4 "
                "(scripts/setup.sh installs it)";
    return out;
  }
  CurlLibrary& c = out.library;
  c.handle = handle;
  std::string missing;
  resolve(handle, "curl_global_init", c.global_init, missing);
  resolve(handle, "curl_getdate", c.getdate, missing);
  resolve(handle, "curl_easy_init", c.easy_init, missing);
  resolve(handle, "curl_easy_setopt", c.easy_setopt, missing);
  resolve(handle, "curl_easy_getinfo", c.easy_getinfo, missing);
  resolve(handle, "curl_easy_strerror", c.easy_strerror, missing);
  resolve(handle, "curl_easy_cleanup", c.easy_cleanup, missing);
  resolve(handle, "curl_slist_append", c.slist_append, missing);
  resolve(handle, "curl_slist_free_all", c.slist_free_all, missing);
  resolve(handle, "curl_multi_init", c.multi_init, missing);
  resolve(handle, "curl_multi_setopt", c.multi_setopt, missing);
  resolve(handle, "curl_multi_add_handle", c.multi_add_handle, missing);
  resolve(handle, "curl_multi_remove_handle", c.multi_remove_handle, missing);
  resolve(handle, "curl_multi_perform", c.multi_perform, missing);
  resolve(handle, "curl_multi_info_read", c.multi_info_read, missing);
  resolve(handle, "curl_multi_poll", c.multi_poll, missing);
  resolve(handle, "curl_multi_wakeup", c.multi_wakeup, missing);
  resolve(handle, "curl_multi_cleanup", c.multi_cleanup, missing);
  if (!missing.empty()) {
    out.error = std::string("llm: ") + kSoname + " has no " + missing +
                " (rrg needs libcurl 7.68 or later: install the Debian package libcurl4)";
    return out;
  }
  if (c.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    out.error = "llm: libcurl could not be initialised";
  }
  return out;
}

const Loaded& loaded() {
  static Loaded instance;
  static std::once_flag once;
  std::call_once(once, [] { instance = load(); });
  return instance;
}

}  // namespace

const CurlLibrary& curl_library() {
  const Loaded& l = loaded();
  if (!l.error.empty()) throw std::runtime_error(l.error);
  return l.library;
}

void* curl_dependency_symbol(const char* name) {
  return ::dlsym(curl_library().handle, name);
}

}  // namespace rrg::llm::detail
