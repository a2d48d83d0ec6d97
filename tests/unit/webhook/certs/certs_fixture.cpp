#include "tests/unit/webhook/certs/certs_fixture.h"

#include <gtest/gtest.h>

namespace jk::certs::testing {

TlsMaterial issue_for_test(Clock::time_point now, int days, const std::string& service) {
  const std::string name = service + ".ns.svc";
  auto m = issue_ca_and_leaf({name, {name, name + ".cluster.local"}, kDay * days, now});
  EXPECT_TRUE(m.ok()) << m.error().message;
  return m.ok() ? *m : TlsMaterial{};
}

}  // namespace jk::certs::testing
