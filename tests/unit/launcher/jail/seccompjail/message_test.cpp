// SCM_RIGHTS inside sendmsg control data the agent wrote: offsets of the descriptor numbers, and
// malformed headers refused instead of walked.
#include "launcher/jail/seccompjail/message.h"

#include <sys/socket.h>

#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace jk::launcher::jail {
namespace {

// One control message with `payload` ints; `length` overrides cmsg_len when non-zero.
std::vector<std::byte> cmsg(int level, int type, std::vector<int> payload, std::size_t length = 0) {
  std::vector<std::byte> out(CMSG_SPACE(payload.size() * sizeof(int)));
  cmsghdr h{};
  h.cmsg_len = length != 0 ? length : CMSG_LEN(payload.size() * sizeof(int));
  h.cmsg_level = level;
  h.cmsg_type = type;
  std::memcpy(out.data(), &h, sizeof(h));
  std::memcpy(out.data() + CMSG_LEN(0), payload.data(), payload.size() * sizeof(int));
  return out;
}

std::vector<std::byte> concat(std::vector<std::byte> a, const std::vector<std::byte>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

struct Case {
  std::string name;
  std::vector<std::byte> control;
  bool error;
  std::vector<std::size_t> offsets;
};

TEST(SeccompjailMessage, FindsPassedDescriptorsAndRefusesMalformedHeaders) {
  const std::size_t data = CMSG_LEN(0);
  const auto two_fds = cmsg(SOL_SOCKET, SCM_RIGHTS, {3, 4});
  const Case cases[] = {
      {"empty", {}, false, {}},
      {"two descriptors", two_fds, false, {data, data + sizeof(int)}},
      {"credentials carry no descriptor", cmsg(SOL_SOCKET, SCM_CREDENTIALS, {1, 2, 3}), false, {}},
      {"second message found after alignment",
       concat(cmsg(SOL_SOCKET, SCM_CREDENTIALS, {1, 2, 3}), cmsg(SOL_SOCKET, SCM_RIGHTS, {5})),
       false,
       {CMSG_SPACE(3 * sizeof(int)) + data}},
      {"length below the header", cmsg(SOL_SOCKET, SCM_RIGHTS, {3}, sizeof(int)), true, {}},
      {"length past the buffer", cmsg(SOL_SOCKET, SCM_RIGHTS, {3}, 4096), true, {}},
      {"trailing bytes shorter than a header are ignored",
       concat(two_fds, std::vector<std::byte>(4)),
       false,
       {data, data + sizeof(int)}},
  };
  for (const auto& c : cases) {
    const auto offsets = rights_offsets(c.control);
    ASSERT_EQ(!offsets.ok(), c.error) << c.name;
    if (!c.error) {
      EXPECT_EQ(*offsets, c.offsets) << c.name;
    }
  }
}

}  // namespace
}  // namespace jk::launcher::jail
