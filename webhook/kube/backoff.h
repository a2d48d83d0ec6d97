#pragma once
// Exponential backoff with jitter for reconnects: initial, doubling up to max; each delay is
// drawn uniformly from [delay/2, delay] so that many clients do not retry in lockstep.
#include <chrono>
#include <random>

namespace jk::kube {

class Backoff {
 public:
  Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max);
  std::chrono::milliseconds next();
  void reset() { current_ = initial_; }

 private:
  std::chrono::milliseconds initial_;
  std::chrono::milliseconds max_;
  std::chrono::milliseconds current_;
  std::mt19937 random_;
};

}  // namespace jk::kube
