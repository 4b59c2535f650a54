// NumpyRandomState against NumPy itself (/usr/bin/python3 with python3-numpy at test time): the
// first 10^5 values of RandomState(seed).randint(0, n, size=n) for seeds 0 .. 2^32 - 1 and ranges
// through both the 32-bit and the 64-bit rejection paths, the state after seeding, and NumPy's
// refusal of out-of-range seeds.
#include "rrg/stats/numpy_random_state.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "python_oracle.h"
#include "rrg/core/errors.h"

namespace {

using rrg::stats::NumpyRandomState;
using rrg::stats::testing::as_int64s;
using rrg::stats::testing::run_python;

constexpr std::int64_t kDraws = 100000;

// What NumPy prints for each "seed low high size" line: "ok" and the packed int64 values, or
// "error" and the ValueError's message.
struct NumpyAnswer {
  bool ok = false;
  std::vector<std::int64_t> values;
  std::string error;
};

std::vector<NumpyAnswer> ask_numpy(const std::vector<std::string>& requests) {
  std::string input;
  for (const auto& r : requests) input += r + "\n";
  const std::string out = run_python(R"PY(
import sys, struct
import numpy as np
out = sys.stdout.buffer
for line in sys.stdin.read().splitlines():
    seed, low, high, size = line.split()
    try:
        values = np.random.RandomState(int(seed)).randint(int(low), int(high), size=int(size))
        data = values.astype('<i8').tobytes()
        out.write(b"ok" + struct.pack('<q', len(data)) + data)
    except ValueError as e:
        message = str(e).encode()
        out.write(b"er" + struct.pack('<q', len(message)) + message)
)PY",
                                     input);
  std::vector<NumpyAnswer> answers;
  for (std::size_t at = 0; at + 10 <= out.size();) {
    NumpyAnswer a;
    a.ok = out.compare(at, 2, "ok") == 0;
    std::int64_t length = 0;
    std::memcpy(&length, out.data() + at + 2, 8);
    const std::string payload = out.substr(at + 10, static_cast<std::size_t>(length));
    if (a.ok) {
      a.values = as_int64s(payload);
    } else {
      a.error = payload;
    }
    answers.push_back(std::move(a));
    at += 10 + static_cast<std::size_t>(length);
  }
  return answers;
}

TEST(NumpyRandomState, RandintEqualsNumpyForManySeedsAndRanges) {
  RRG_REQUIRE_PYTHON("numpy");
  const std::vector<std::uint64_t> seeds{0, 1, 12345, 42, 4294967295ull};
  // n: no draws (1), powers of two and their neighbours (mask edges), report-set sizes, and the
  // 32-bit path's extremes; size = min(n, 10^5) (the first 10^5 of randint(0, n, size=n) are
  // randint(0, n, size=10^5): the fill draws element by element).
  const std::vector<std::int64_t> ranges{
      1, 2, 3, 50, 64, 65, 382, 3000, 65537, 2147483649ll, 4294967295ll, 4294967296ll};
  std::vector<std::string> requests;
  for (auto seed : seeds) {
    for (auto n : ranges) {
      requests.push_back(std::to_string(seed) + " 0 " + std::to_string(n) + " " +
                         std::to_string(std::min(n, kDraws)));
    }
  }
  const auto answers = ask_numpy(requests);
  ASSERT_EQ(answers.size(), requests.size());
  std::size_t k = 0;
  for (auto seed : seeds) {
    for (auto n : ranges) {
      const NumpyAnswer& expected = answers[k++];
      ASSERT_TRUE(expected.ok) << expected.error;
      const std::size_t size = static_cast<std::size_t>(std::min(n, kDraws));
      std::vector<std::int64_t> got(size);
      NumpyRandomState(seed).randint(0, n, got.data(), size);
      ASSERT_EQ(got, expected.values) << "seed " << seed << " n " << n;
      std::vector<std::uint32_t> indices(size);
      NumpyRandomState(seed).indices(static_cast<std::uint64_t>(n), indices.data(), size);
      for (std::size_t i = 0; i < size; ++i) {
        ASSERT_EQ(static_cast<std::int64_t>(indices[i]), expected.values[i]) << "index " << i;
      }
    }
  }
}

TEST(NumpyRandomState, SixtyFourBitRangesAndOffsetsEqualNumpy) {
  RRG_REQUIRE_PYTHON("numpy");
  const std::vector<std::pair<std::int64_t, std::int64_t>> bounds{
      {0, 4294967297ll},
      {0, 1099511627776ll},
      {-5, 3},
      {-1000000000000ll, 17},
      {INT64_MIN, INT64_MAX},
      {INT64_MIN, INT64_MIN + 1},
      {9000000000000000000ll, INT64_MAX}};
  std::vector<std::string> requests;
  for (const auto& [low, high] : bounds) {
    requests.push_back("777 " + std::to_string(low) + " " + std::to_string(high) + " 20000");
  }
  const auto answers = ask_numpy(requests);
  ASSERT_EQ(answers.size(), bounds.size());
  for (std::size_t k = 0; k < bounds.size(); ++k) {
    ASSERT_TRUE(answers[k].ok) << answers[k].error;
    std::vector<std::int64_t> got(20000);
    NumpyRandomState(777).randint(bounds[k].first, bounds[k].second, got.data(), got.size());
    ASSERT_EQ(got, answers[k].values) << bounds[k].first << " .. " << bounds[k].second;
  }
}

TEST(NumpyRandomState, ConsecutiveCallsContinueOneStream) {
  RRG_REQUIRE_PYTHON("numpy");
  // The bootstrap's pattern: one randint(0, n, size=n) per replicate from one RandomState.
  const std::string out = run_python(R"PY(
import sys
import numpy as np
rs = np.random.RandomState(12345)
sys.stdout.buffer.write(np.concatenate([rs.randint(0, 382, size=382) for _ in range(50)]).astype('<i8').tobytes())
)PY");
  const auto expected = as_int64s(out);
  ASSERT_EQ(expected.size(), 50u * 382u);
  NumpyRandomState rs(12345);
  std::vector<std::uint32_t> got(382);
  for (std::size_t r = 0; r < 50; ++r) {
    rs.indices(382, got.data(), got.size());
    for (std::size_t i = 0; i < 382; ++i) {
      ASSERT_EQ(static_cast<std::int64_t>(got[i]), expected[r * 382 + i]) << "replicate " << r;
    }
  }
}

TEST(NumpyRandomState, RefusesTheSeedsNumpyRefuses) {
  RRG_REQUIRE_PYTHON("numpy");
  const auto answers = ask_numpy(
      {"4294967301 0 10 1", "4294967296 0 10 1", "-1 0 10 1", "18446744073709551615 0 10 1"});
  ASSERT_EQ(answers.size(), 4u);
  for (const auto& a : answers) {
    EXPECT_FALSE(a.ok);
    EXPECT_EQ(a.error, "Seed must be between 0 and 2**32 - 1");
  }
  for (std::uint64_t seed : std::vector<std::uint64_t>{4294967301ull, 4294967296ull, UINT64_MAX}) {
    try {
      NumpyRandomState rs(seed);
      ADD_FAILURE() << "seed " << seed << " was accepted";
    } catch (const rrg::InputError& e) {
      EXPECT_NE(std::string(e.what()).find("Seed must be between 0 and 2**32 - 1"),
                std::string::npos)
          << e.what();
      EXPECT_NE(std::string(e.what()).find(std::to_string(seed)), std::string::npos) << e.what();
    }
  }
  for (const char* seed : {"-1", "4294967296", "99999999999999999999999", "1e5", ""}) {
    EXPECT_THROW(NumpyRandomState::from_decimal(seed), rrg::InputError) << seed;
  }
  EXPECT_EQ(NumpyRandomState::from_decimal("4294967295").engine().words(),
            NumpyRandomState(4294967295ull).engine().words());
  EXPECT_EQ(NumpyRandomState::from_decimal("-0").engine().words(),
            NumpyRandomState(0).engine().words());
}

TEST(NumpyRandomState, StateAfterSeedingEqualsGetState) {
  RRG_REQUIRE_PYTHON("numpy");
  const auto state = as_int64s(run_python(R"PY(
import sys
import numpy as np
name, key, pos, has_gauss, gauss = np.random.RandomState(4294967295).get_state()
sys.stdout.buffer.write(np.append(key.astype('<i8'), pos).astype('<i8').tobytes())
)PY"));
  ASSERT_EQ(state.size(), 625u);
  NumpyRandomState rs(4294967295ull);
  for (std::size_t i = 0; i < 624; ++i) ASSERT_EQ(rs.engine().words()[i], state[i]) << i;
  EXPECT_EQ(static_cast<std::int64_t>(rs.engine().position()), state[624]);
}

TEST(NumpyRandomState, RandintRefusesAnEmptyRange) {
  std::int64_t out[1];
  EXPECT_THROW(NumpyRandomState(1).randint(5, 5, out, 1), rrg::InputError);
  EXPECT_THROW(NumpyRandomState(1).randint(5, 3, out, 1), rrg::InputError);
  std::uint32_t idx[1];
  EXPECT_THROW(NumpyRandomState(1).indices(0, idx, 1), rrg::InputError);
}

}  // namespace
