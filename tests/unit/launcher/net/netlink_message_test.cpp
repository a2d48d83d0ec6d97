// NetlinkBatch layout and the decoding of kernel acknowledgements, without a kernel.
#include "launcher/net/netlink_message.h"

#include <gtest/gtest.h>
#include <linux/netlink.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "launcher/net/netlink_socket.h"

namespace jk::launcher::net {
namespace {

NetlinkBatch two_requests() {
  NetlinkBatch batch(7);
  batch.begin_message(1, NLM_F_REQUEST | NLM_F_ACK, "first");
  batch.put_string(1, "lo");  // 4 + 3 bytes, padded to 8
  batch.end_message();
  batch.begin_message(2, NLM_F_REQUEST, "second (no ack)");
  const std::size_t nest = batch.begin_nest(2);
  batch.put_be32(3, 0x01020304);
  batch.end_nest(nest);
  batch.end_message();
  return batch;
}

std::vector<std::uint8_t> error_answer(std::uint32_t sequence, int error) {
  std::vector<std::uint8_t> bytes(NLMSG_LENGTH(sizeof(nlmsgerr)));
  nlmsghdr header{};
  header.nlmsg_len = static_cast<std::uint32_t>(bytes.size());
  header.nlmsg_type = NLMSG_ERROR;
  nlmsgerr body{};
  body.error = error;
  body.msg.nlmsg_seq = sequence;
  std::memcpy(bytes.data(), &header, sizeof(header));
  std::memcpy(bytes.data() + NLMSG_HDRLEN, &body, sizeof(body));
  return bytes;
}

TEST(NetlinkBatchTest, MessagesAreAlignedAndLengthsPatched) {
  const NetlinkBatch batch = two_requests();
  const auto bytes = batch.bytes();
  nlmsghdr first{};
  std::memcpy(&first, bytes.data(), sizeof(first));
  EXPECT_EQ(first.nlmsg_len, NLMSG_HDRLEN + 8u);
  EXPECT_EQ(first.nlmsg_seq, 7u);
  nlmsghdr second{};
  std::memcpy(&second, bytes.data() + first.nlmsg_len, sizeof(second));
  EXPECT_EQ(second.nlmsg_seq, 8u);
  EXPECT_EQ(second.nlmsg_len, NLMSG_HDRLEN + 4u + 8u);  // nest header + one u32 attribute
  nlattr nest{};
  std::memcpy(&nest, bytes.data() + first.nlmsg_len + NLMSG_HDRLEN, sizeof(nest));
  EXPECT_EQ(nest.nla_len, 12u);
  EXPECT_EQ(nest.nla_type, 2 | NLA_F_NESTED);
  EXPECT_EQ(bytes.size(), first.nlmsg_len + second.nlmsg_len);
  EXPECT_EQ(batch.acked_sequences(), std::vector<std::uint32_t>{7});
}

struct AckCase {
  const char* name;
  std::vector<std::vector<std::uint8_t>> answers;
  std::size_t acks;
  const char* error;  // "" for none
};

TEST(NetlinkBatchTest, AnswersAreTalliedAndErrorsNameTheRequest) {
  const std::vector<AckCase> cases = {
      {"plain ack", {error_answer(7, 0)}, 1, ""},
      {"error names the label", {error_answer(7, -ENODEV)}, 1, "first: No such device"},
      {"unknown sequence",
       {error_answer(99, -EPERM)},
       1,
       "netlink request 99: Operation not permitted"},
      {"first error wins",
       {error_answer(7, -EEXIST), error_answer(8, -EPERM)},
       2,
       "first: File exists"},
      {"truncated answer ignored", {{1, 2, 3}}, 0, ""},
  };
  const NetlinkBatch batch = two_requests();
  for (const AckCase& c : cases) {
    std::vector<std::uint8_t> bytes;
    for (const auto& answer : c.answers) bytes.insert(bytes.end(), answer.begin(), answer.end());
    AckTally tally;
    tally_acks(bytes, batch, tally);
    EXPECT_EQ(tally.acks, c.acks) << c.name;
    EXPECT_EQ(tally.first_error ? tally.first_error->message : "", c.error) << c.name;
  }
}

}  // namespace
}  // namespace jk::launcher::net
