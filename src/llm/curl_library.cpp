// Loading libcurl.so.4 on first use (see curl_library.h). A failed load is remembered and its
// message repeated to every later caller.
#include "curl_library.h"

#include <dlfcn.h>

#include <mutex>
#include <stdexcept>
#include <string>

#include "rrg/core/module_loader.h"

namespace rrg::llm::detail {
namespace {

// libcurl's soname on Debian (libcurl4, the OpenSSL build) and every other Linux distribution.
constexpr const char* kSoname = "libcurl.so.4";
constexpr const char* kPackage = "libcurl4";

CurlLibrary load() {
  CurlLibrary c{};
  void* h = open_system_library(kSoname, "the LLM client", kPackage);
  c.handle = h;
  library_function(h, kSoname, "curl_global_init", kPackage, c.global_init);
  library_function(h, kSoname, "curl_getdate", kPackage, c.getdate);
  library_function(h, kSoname, "curl_easy_init", kPackage, c.easy_init);
  library_function(h, kSoname, "curl_easy_setopt", kPackage, c.easy_setopt);
  library_function(h, kSoname, "curl_easy_getinfo", kPackage, c.easy_getinfo);
  library_function(h, kSoname, "curl_easy_strerror", kPackage, c.easy_strerror);
  library_function(h, kSoname, "curl_easy_cleanup", kPackage, c.easy_cleanup);
  library_function(h, kSoname, "curl_slist_append", kPackage, c.slist_append);
  library_function(h, kSoname, "curl_slist_free_all", kPackage, c.slist_free_all);
  library_function(h, kSoname, "curl_multi_init", kPackage, c.multi_init);
  library_function(h, kSoname, "curl_multi_setopt", kPackage, c.multi_setopt);
  library_function(h, kSoname, "curl_multi_add_handle", kPackage, c.multi_add_handle);
  library_function(h, kSoname, "curl_multi_remove_handle", kPackage, c.multi_remove_handle);
  library_function(h, kSoname, "curl_multi_perform", kPackage, c.multi_perform);
  library_function(h, kSoname, "curl_multi_info_read", kPackage, c.multi_info_read);
  library_function(h, kSoname, "curl_multi_poll", kPackage, c.multi_poll);
  library_function(h, kSoname, "curl_multi_wakeup", kPackage, c.multi_wakeup);
  library_function(h, kSoname, "curl_multi_cleanup", kPackage, c.multi_cleanup);
  if (c.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    throw std::runtime_error("libcurl could not be initialised");
  }
  return c;
}

}  // namespace

const CurlLibrary& curl_library() {
  static CurlLibrary library{};
  static std::string error;
  static std::once_flag once;
  std::call_once(once, [] {
    try {
      library = load();
    } catch (const std::exception& e) {
      error = std::string("llm: ") + e.what();
    }
  });
  if (!error.empty()) throw std::runtime_error(error);
  return library;
}

void* curl_dependency_symbol(const char* name) {
  return ::dlsym(curl_library().handle, name);
}

}  // namespace rrg::llm::detail
