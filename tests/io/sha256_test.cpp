// SHA-256 digests (src/io/sha256.cpp) against the FIPS 180-2 example vectors.
#include "rrg/io/sha256.h"

#include <gtest/gtest.h>

#include "rrg/core/errors.h"
#include "support/test_support.h"

namespace rrg::io {
namespace {

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, IncrementalAndFileDigestsAgree) {
  Sha256 hasher;
  hasher.update("ab");
  hasher.update("c");
  EXPECT_EQ(hasher.hex_digest(), sha256_hex("abc"));
  rrg::testing::TempDir dir;
  rrg::testing::write_file(dir.file("f.bin"), std::string(3'000'000, 'x'));
  EXPECT_EQ(sha256_file_hex(dir.file("f.bin")), sha256_hex(std::string(3'000'000, 'x')));
  EXPECT_THROW(sha256_file_hex(dir.file("missing")), InputError);
}

}  // namespace
}  // namespace rrg::io
