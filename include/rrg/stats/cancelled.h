// The exception the statistics drivers throw when their cancel flag was set during a run.
#pragma once

#include <stdexcept>

namespace rrg::stats {

class Cancelled : public std::runtime_error {
 public:
  Cancelled() : std::runtime_error("cancelled") {}
};

}  // namespace rrg::stats
