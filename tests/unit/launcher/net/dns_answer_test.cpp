// The DNS stub's answers: placeholder addresses for every name, safe on hostile bytes.
#include "launcher/net/dns_answer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace jk::launcher::net {
namespace {

using Bytes = std::vector<std::uint8_t>;

// A query with ID 0xBEEF, RD set, one question <name> <type> IN.
Bytes query_for(const Bytes& encoded_name, std::uint16_t type, std::uint16_t flags = 0x0100) {
  Bytes q = {0xBE,
             0xEF,
             static_cast<std::uint8_t>(flags >> 8),
             static_cast<std::uint8_t>(flags & 0xff),
             0,
             1,
             0,
             0,
             0,
             0,
             0,
             0};
  for (const std::uint8_t b : encoded_name) q.push_back(b);
  for (const std::uint8_t b :
       {static_cast<std::uint8_t>(type >> 8), static_cast<std::uint8_t>(type & 0xff),
        std::uint8_t{0}, std::uint8_t{1}}) {
    q.push_back(b);
  }
  return q;
}

const Bytes kExampleCom = {7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0};

Bytes tail(const Bytes& bytes, std::size_t from) {
  return from <= bytes.size()
             ? Bytes(bytes.begin() + static_cast<std::ptrdiff_t>(from), bytes.end())
             : Bytes{};
}

struct AnswerCase {
  const char* name;
  Bytes query;
  Bytes header_flags_and_counts;  // bytes 2..11 of the response
  Bytes answer_record;            // after the echoed question; empty = none
};

TEST(DnsAnswerTest, EveryNameResolvesToThePlaceholders) {
  const std::vector<AnswerCase> cases = {
      {"A -> 6.6.6.6",
       query_for(kExampleCom, 1),
       {0x85, 0x80, 0, 1, 0, 1, 0, 0, 0, 0},
       {0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 6, 6, 6, 6}},
      {"AAAA -> 2001:db8::1",
       query_for(kExampleCom, 28),
       {0x85, 0x80, 0, 1, 0, 1, 0, 0, 0, 0},
       {0xC0, 0x0C, 0, 28, 0, 1, 0, 0, 0, 60, 0, 16, 0x20, 0x01,
        0x0d, 0xb8, 0, 0,  0, 0, 0, 0, 0, 0,  0, 0,  0,    1}},
      {"MX -> NOERROR, no answer",
       query_for(kExampleCom, 15),
       {0x85, 0x80, 0, 1, 0, 0, 0, 0, 0, 0},
       {}},
      {"RD not set is echoed as not set",
       query_for(kExampleCom, 15, 0),
       {0x84, 0x80, 0, 1, 0, 0, 0, 0, 0, 0},
       {}},
      {"root name",
       query_for({0}, 1),
       {0x85, 0x80, 0, 1, 0, 1, 0, 0, 0, 0},
       {0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 6, 6, 6, 6}},
  };
  for (const AnswerCase& c : cases) {
    const auto response = answer(c.query);
    ASSERT_TRUE(response.ok()) << c.name;
    EXPECT_EQ(Bytes(response->begin(), response->begin() + 2), (Bytes{0xBE, 0xEF})) << c.name;
    EXPECT_EQ(Bytes(response->begin() + 2, response->begin() + 12), c.header_flags_and_counts)
        << c.name;
    const std::size_t question_size = c.query.size() - 12;
    EXPECT_EQ(Bytes(response->begin() + 12,
                    response->begin() + 12 + static_cast<std::ptrdiff_t>(question_size)),
              tail(c.query, 12))
        << c.name << ": question echoed";
    EXPECT_EQ(tail(*response, 12 + question_size), c.answer_record) << c.name;
  }
}

struct BadCase {
  const char* name;
  Bytes query;
  int rcode;  // -1: no response at all
};

TEST(DnsAnswerTest, MalformedQueriesGetFormErrOrNothing) {
  Bytes two_questions = query_for(kExampleCom, 1);
  two_questions[5] = 2;
  Bytes loop = query_for({0xC0, 12}, 1);             // pointer to itself
  Bytes forward_pointer = query_for({0xC0, 20}, 1);  // points ahead
  Bytes long_label = query_for({64, 'a'}, 1);
  Bytes truncated_name = query_for({5, 'a', 'b'}, 1);
  truncated_name.resize(15);
  Bytes no_type = query_for(kExampleCom, 1);
  no_type.resize(no_type.size() - 3);
  Bytes too_long_name;
  for (int i = 0; i < 5; ++i) {
    too_long_name.push_back(63);
    too_long_name.insert(too_long_name.end(), 63, 'x');
  }
  too_long_name.push_back(0);
  const std::vector<BadCase> cases = {
      {"empty", {}, -1},
      {"short header", {1, 2, 3}, -1},
      {"a response", query_for(kExampleCom, 1, 0x8100), -1},
      {"opcode STATUS", query_for(kExampleCom, 1, 0x1000), 4},
      {"two questions", two_questions, 1},
      {"pointer loop", loop, 1},
      {"forward pointer", forward_pointer, 1},
      {"reserved label type", long_label, 1},
      {"truncated name", truncated_name, 1},
      {"no type/class", no_type, 1},
      {"name over 255 bytes", query_for(too_long_name, 1), 1},
  };
  for (const BadCase& c : cases) {
    const auto response = answer(c.query);
    if (c.rcode < 0) {
      EXPECT_FALSE(response.ok()) << c.name;
      continue;
    }
    ASSERT_TRUE(response.ok()) << c.name;
    ASSERT_EQ(response->size(), 12u) << c.name << ": header only";
    EXPECT_EQ((*response)[3] & 0x0f, c.rcode) << c.name;
    EXPECT_EQ((*response)[2] & 0x80, 0x80) << c.name << ": QR set";
  }
}

TEST(DnsAnswerTest, BackwardPointerIsFollowedAndTheQuestionEchoedUncompressed) {
  // The question name is a pointer to offset 2 (the flags): bytes 0x01 0x00 read as the label
  // "\0", then QDCOUNT's high byte 0x00 ends the name.
  const auto response = answer(query_for({0xC0, 2}, 1));
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(Bytes(response->begin() + 12, response->begin() + 19), (Bytes{1, 0, 0, 0, 1, 0, 1}));
  EXPECT_EQ((*response)[7], 1) << "one answer";
}

}  // namespace
}  // namespace jk::launcher::net
