// Base64 against the RFC 4648 section 10 test vectors, and data URL round trips.
#include "rrg/image/data_url.h"

#include <gtest/gtest.h>

#include "rrg/core/errors.h"

namespace {

TEST(Base64, Rfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(rrg::image::base64_encode(plain), encoded);
    EXPECT_EQ(rrg::image::base64_decode(encoded), plain);
  }
}

TEST(Base64, AllByteValuesRoundTrip) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  EXPECT_EQ(rrg::image::base64_decode(rrg::image::base64_encode(bytes)), bytes);
  EXPECT_EQ(rrg::image::base64_decode("Zm9vYg"), "foob");  // padding optional
}

TEST(Base64, RejectsInvalidText) {
  EXPECT_THROW(rrg::image::base64_decode("Zm9v!"), rrg::InputError);
  EXPECT_THROW(rrg::image::base64_decode("Zm9vY"), rrg::InputError);
}

TEST(DataUrl, RoundTrips) {
  const std::string url = rrg::image::make_data_url("image/png", "\x89PNG");
  EXPECT_EQ(url, "data:image/png;base64,iVBORw==");
  const rrg::image::DataUrl parsed = rrg::image::parse_data_url(url);
  EXPECT_EQ(parsed.mime_type, "image/png");
  EXPECT_EQ(parsed.bytes, "\x89PNG");
  EXPECT_THROW(rrg::image::parse_data_url("https://example.org/x.png"), rrg::InputError);
  EXPECT_THROW(rrg::image::parse_data_url("data:text/plain,hello"), rrg::InputError);
}

}  // namespace
