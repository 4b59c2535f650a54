// libcurl, loaded on first use (private to src/llm).
//
// rrg does not link libcurl: libcurl.so.4 and its tree of ~30 libraries (OpenSSL, GnuTLS,
// Kerberos, LDAP, libssh2, nghttp2, ...) cost, with cpp-httplib, about 5 ms of loading at every
// start (README, "Start-up"), which `rrg --help` and lexical `rrg evaluate` would pay for nothing
// (issue 16). The LLM client dlopen()s libcurl.so.4 (its soname: the ABI libcurl has kept since
// 7.16) the first time it is used and calls it through this table. The types are those of
// <curl/curl.h>, so every call is type-checked at compile time exactly as a direct call would be.
//
// State: one process-wide table, filled once (std::call_once); the library is never closed.
#pragma once

#include <curl/curl.h>

namespace rrg::llm::detail {

struct CurlLibrary {
  decltype(&::curl_global_init) global_init;
  decltype(&::curl_getdate) getdate;
  decltype(&::curl_easy_init) easy_init;
  decltype(&::curl_easy_setopt) easy_setopt;
  decltype(&::curl_easy_getinfo) easy_getinfo;
  decltype(&::curl_easy_strerror) easy_strerror;
  decltype(&::curl_easy_cleanup) easy_cleanup;
  decltype(&::curl_slist_append) slist_append;
  decltype(&::curl_slist_free_all) slist_free_all;
  decltype(&::curl_multi_init) multi_init;
  decltype(&::curl_multi_setopt) multi_setopt;
  decltype(&::curl_multi_add_handle) multi_add_handle;
  decltype(&::curl_multi_remove_handle) multi_remove_handle;
  decltype(&::curl_multi_perform) multi_perform;
  decltype(&::curl_multi_info_read) multi_info_read;
  decltype(&::curl_multi_poll) multi_poll;
  decltype(&::curl_multi_wakeup) multi_wakeup;
  decltype(&::curl_multi_cleanup) multi_cleanup;
  // The dlopen() handle, for symbols of the libraries libcurl itself loaded (OpenSSL).
  void* handle;
};

// The loaded library, with curl_global_init() done. Throws std::runtime_error naming the package
// to install when libcurl.so.4 cannot be loaded or lacks a function (libcurl older than 7.68).
const CurlLibrary& curl_library();

// A symbol of the libraries loaded with libcurl (e.g. OpenSSL's SSL_CTX_get_cert_store, for the
// --ca-bundle roots), or nullptr when there is none (a libcurl built on another TLS library).
void* curl_dependency_symbol(const char* name);

}  // namespace rrg::llm::detail
