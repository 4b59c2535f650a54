// SHA-256 digests as lower-case hex, for cache keys (text hashes, request parameters) and for
// identifying model files (labeler signatures such as "chexbert@sha256:1f3c...").
//
// Backed by OpenSSL's libcrypto (Debian libssl3), opened the first time something is hashed;
// stateless apart from the incremental hasher.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace rrg::io {

// Incremental hasher: update() any number of times, then hex_digest() once.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(std::string_view data);

  // The 64-character lower-case hex digest. The hasher cannot be updated afterwards.
  std::string hex_digest();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// SHA-256 of `data` as 64 lower-case hex characters.
std::string sha256_hex(std::string_view data);

// SHA-256 of a file's bytes, read in chunks (suitable for multi-GB checkpoints). Throws
// rrg::InputError when the file cannot be read.
std::string sha256_file_hex(const std::string& path);

}  // namespace rrg::io
