// Deterministic sharding of a run by id, for Slurm array jobs and other multi-process runs.
//
// A study belongs to shard  fnv1a64(utf8 bytes of its id) mod N  (0-based). FNV-1a 64-bit
// (Fowler/Noll/Vo; offset basis 0xcbf29ce484222325, prime 0x100000001b3) is fixed by its
// published definition, so the assignment never depends on the order of the input, on the
// machine, or on the rrg version, and other tools can recompute it:
//   python3 -c 'import sys; h=0xcbf29ce484222325
//   for b in sys.argv[1].encode(): h=((h^b)*0x100000001b3)%2**64
//   print(h % int(sys.argv[2]))' STUDY_ID N
// Every id falls in exactly one shard: the union of shards 0..N-1 is the whole set and they
// are disjoint.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace rrg::io {

struct ShardSpec {
  std::uint64_t index = 0;  // K, 0-based
  std::uint64_t count = 1;  // N; 1 = no sharding
};

std::uint64_t fnv1a64(std::string_view bytes);

// The shard (0..count-1) of an id.
std::uint64_t shard_of(std::string_view id, std::uint64_t count);

inline bool in_shard(std::string_view id, const ShardSpec& spec) {
  return shard_of(id, spec.count) == spec.index;
}

// Parses a --shard value:
//   "K/N"    shard K of N, 0 <= K < N
//   "slurm"  K = SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN (so --array=1-8 works too),
//            N = SLURM_ARRAY_TASK_COUNT
//   "slurm/N" the same with N given
// `getenv` is injectable for tests. Throws InputError with the accepted forms.
ShardSpec parse_shard_spec(const std::string& text,
                           const std::function<const char*(const char*)>& getenv = nullptr);

// "K/N".
std::string format_shard_spec(const ShardSpec& spec);

}  // namespace rrg::io
