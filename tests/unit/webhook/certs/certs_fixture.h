#pragma once
// Shared test values for webhook/certs: a fixed clock and issued material.
#include <chrono>
#include <string>

#include "webhook/certs/issuer.h"

namespace jk::certs::testing {

// 2030-01-01T00:00:00Z: tests never read the wall clock.
inline Clock::time_point fixed_now() { return Clock::from_time_t(1893456000); }

inline constexpr std::chrono::hours kDay{24};

// A CA + leaf for svc.ns.svc issued at `now`, valid `days`.
TlsMaterial issue_for_test(Clock::time_point now = fixed_now(), int days = 365,
                           const std::string& service = "svc");

}  // namespace jk::certs::testing
