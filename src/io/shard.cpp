// Sharding by FNV-1a hash of the id (see shard.h).
#include "rrg/io/shard.h"

#include <cstdlib>

#include "rrg/core/errors.h"

namespace rrg::io {
namespace {

constexpr const char* kForms =
    "expected K/N with 0 <= K < N (e.g. --shard 0/8), \"slurm\" or \"slurm/N\"";

// A non-negative decimal integer, or nullopt-like failure via `ok`.
std::uint64_t parse_count(const std::string& text, bool& ok) {
  ok = !text.empty() && text.size() <= 18 &&
       text.find_first_not_of("0123456789") == std::string::npos;
  return ok ? std::strtoull(text.c_str(), nullptr, 10) : 0;
}

std::uint64_t env_number(const std::function<const char*(const char*)>& getenv, const char* name,
                         const std::string& text) {
  const char* value = getenv(name);
  bool ok = false;
  const std::uint64_t n = value != nullptr ? parse_count(value, ok) : 0;
  if (!ok) {
    throw InputError("--shard " + text + ": environment variable " + name +
                     (value == nullptr ? " is not set" : " is not a number") +
                     " (is this a Slurm array job? otherwise give --shard K/N)");
  }
  return n;
}

}  // namespace

std::uint64_t fnv1a64(std::string_view bytes) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

std::uint64_t shard_of(std::string_view id, std::uint64_t count) {
  return count <= 1 ? 0 : fnv1a64(id) % count;
}

ShardSpec parse_shard_spec(const std::string& text,
                           const std::function<const char*(const char*)>& getenv_fn) {
  const std::function<const char*(const char*)> getenv =
      getenv_fn ? getenv_fn : [](const char* name) -> const char* { return std::getenv(name); };
  const auto slash = text.find('/');
  const std::string first = text.substr(0, slash);
  const std::string second = slash == std::string::npos ? "" : text.substr(slash + 1);
  ShardSpec spec;
  bool ok = true;
  if (first == "slurm") {
    const std::uint64_t id = env_number(getenv, "SLURM_ARRAY_TASK_ID", text);
    const std::uint64_t min =
        getenv("SLURM_ARRAY_TASK_MIN") ? env_number(getenv, "SLURM_ARRAY_TASK_MIN", text) : 0;
    spec.count = slash == std::string::npos ? env_number(getenv, "SLURM_ARRAY_TASK_COUNT", text)
                                            : parse_count(second, ok);
    if (id < min)
      throw InputError("--shard " + text + ": SLURM_ARRAY_TASK_ID < SLURM_ARRAY_TASK_MIN");
    spec.index = id - min;
  } else if (slash != std::string::npos) {
    spec.index = parse_count(first, ok);
    if (ok) spec.count = parse_count(second, ok);
  } else {
    ok = false;
  }
  if (!ok || spec.count == 0) throw InputError("invalid --shard '" + text + "': " + kForms);
  if (spec.index >= spec.count) {
    throw InputError(
        "invalid --shard '" + text + "': shard " + std::to_string(spec.index) +
        " does not exist among " + std::to_string(spec.count) + " (shards are numbered 0.." +
        std::to_string(spec.count - 1) +
        (first == "slurm" ? "; with a stepped --array give --shard K/N explicitly)" : ")"));
  }
  return spec;
}

std::string format_shard_spec(const ShardSpec& spec) {
  return std::to_string(spec.index) + "/" + std::to_string(spec.count);
}

}  // namespace rrg::io
