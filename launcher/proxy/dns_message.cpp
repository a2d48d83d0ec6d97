#include "launcher/proxy/dns_message.h"

#include <sys/socket.h>

#include <algorithm>

#include "common/strings.h"

namespace jk::launcher::proxy {
namespace {

constexpr std::size_t kHeaderSize = 12;
constexpr std::size_t kMaxName = 253;
constexpr std::size_t kMaxLabel = 63;
constexpr std::size_t kMaxPointerJumps = 16;
constexpr std::size_t kMaxCnameLinks = 8;
constexpr std::uint8_t kPointerTag = 0xC0;
constexpr std::uint16_t kFlagResponse = 0x8000;
constexpr std::uint16_t kFlagTruncated = 0x0200;
constexpr std::uint16_t kFlagRecursionDesired = 0x0100;
constexpr std::uint16_t kRcodeMask = 0x000F;
constexpr std::uint16_t kClassIn = 1;
constexpr std::uint16_t kTypeCname = 5;
constexpr std::size_t kV4Bytes = 4;
constexpr std::size_t kV6Bytes = 16;

void put_u16(std::vector<std::uint8_t>& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));    // NOLINT
  out.push_back(static_cast<std::uint8_t>(v & 0xFF));  // NOLINT
}

class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}
  [[nodiscard]] bool ok() const { return ok_; }
  [[nodiscard]] std::size_t at() const { return at_; }

  std::uint16_t u16() {
    if (at_ + 2 > bytes_.size()) return fail16();
    const auto v = static_cast<std::uint16_t>((bytes_[at_] << 8) | bytes_[at_ + 1]);  // NOLINT
    at_ += 2;
    return v;
  }
  void skip(std::size_t n) {
    if (at_ + n > bytes_.size()) ok_ = false;
    at_ = std::min(at_ + n, bytes_.size());
  }
  std::span<const std::uint8_t> take(std::size_t n) {
    if (at_ + n > bytes_.size()) {
      ok_ = false;
      return {};
    }
    auto out = bytes_.subspan(at_, n);
    at_ += n;
    return out;
  }
  // A (possibly compressed) name, lower-cased, dot-separated, no trailing dot.
  std::string name() {
    std::string out;
    std::size_t pos = at_;
    std::size_t jumps = 0;
    bool jumped = false;
    while (true) {
      if (pos >= bytes_.size()) return fail_name();
      const std::uint8_t length = bytes_[pos];
      if ((length & kPointerTag) == kPointerTag) {
        if (pos + 1 >= bytes_.size() || ++jumps > kMaxPointerJumps) return fail_name();
        const std::size_t target =
            static_cast<std::size_t>(((length & 0x3F) << 8) | bytes_[pos + 1]);  // NOLINT
        if (!jumped) at_ = pos + 2;
        jumped = true;
        pos = target;
        continue;
      }
      if (length > kMaxLabel || pos + 1 + length > bytes_.size()) return fail_name();
      if (length == 0) {
        if (!jumped) at_ = pos + 1;
        return to_lower(out);
      }
      if (!out.empty()) out += '.';
      out.append(reinterpret_cast<const char*>(bytes_.data() + pos + 1), length);  // NOLINT
      if (out.size() > kMaxName) return fail_name();
      pos += 1 + length;
    }
  }

 private:
  std::uint16_t fail16() {
    ok_ = false;
    return 0;
  }
  std::string fail_name() {
    ok_ = false;
    return "";
  }
  std::span<const std::uint8_t> bytes_;
  std::size_t at_ = 0;
  bool ok_ = true;
};

struct Record {
  std::string owner;
  std::uint16_t type = 0;
  std::string cname;              // for CNAME
  launchspec::IpAddress address;  // for A/AAAA
  bool has_address = false;
};

bool read_record(Reader& r, std::uint16_t type, Record& record) {
  record.owner = r.name();
  record.type = r.u16();
  const std::uint16_t klass = r.u16();
  r.skip(4);  // TTL
  const std::uint16_t length = r.u16();
  if (!r.ok()) return false;
  const std::size_t end = r.at() + length;
  if (klass == kClassIn && record.type == kTypeCname) {
    record.cname = r.name();
    return r.ok() && r.at() == end;
  }
  const std::size_t size = type == kDnsTypeA ? kV4Bytes : kV6Bytes;
  if (klass == kClassIn && record.type == type && length == size) {
    const auto bytes = r.take(size);
    record.address.family = type == kDnsTypeA ? AF_INET : AF_INET6;
    std::copy(bytes.begin(), bytes.end(), record.address.bytes.begin());
    record.has_address = true;
    return r.ok();
  }
  r.skip(length);
  return r.ok();
}

}  // namespace

Result<std::vector<std::uint8_t>> build_query(std::uint16_t id, std::string_view name,
                                              std::uint16_t type) {
  if (name.empty() || name.size() > kMaxName) {
    return make_error("name \"" + std::string(name) + "\" cannot be asked in DNS");
  }
  std::vector<std::uint8_t> out;
  put_u16(out, id);
  put_u16(out, kFlagRecursionDesired);
  put_u16(out, 1);  // QDCOUNT
  put_u16(out, 0);
  put_u16(out, 0);
  put_u16(out, 0);
  for (const std::string_view label : split(name, '.')) {
    if (label.empty() || label.size() > kMaxLabel) {
      return make_error("name \"" + std::string(name) + "\" has an empty or over-long label");
    }
    out.push_back(static_cast<std::uint8_t>(label.size()));
    out.insert(out.end(), label.begin(), label.end());
  }
  out.push_back(0);
  put_u16(out, type);
  put_u16(out, kClassIn);
  return out;
}

Result<DnsReply> parse_reply(std::span<const std::uint8_t> reply, std::uint16_t id,
                             std::string_view name, std::uint16_t type) {
  Reader r(reply);
  const std::uint16_t got_id = r.u16();
  const std::uint16_t flags = r.u16();
  const std::uint16_t questions = r.u16();
  const std::uint16_t answers = r.u16();
  r.skip(4);  // NSCOUNT, ARCOUNT: not read
  if (!r.ok() || reply.size() < kHeaderSize) return make_error("DNS reply: too short");
  if (got_id != id || (flags & kFlagResponse) == 0) return make_error("DNS reply: not ours");
  DnsReply out;
  out.rcode = static_cast<std::uint8_t>(flags & kRcodeMask);
  out.truncated = (flags & kFlagTruncated) != 0;
  if (questions != 1) return make_error("DNS reply: expected one question");
  const std::string qname = r.name();
  const std::uint16_t qtype = r.u16();
  const std::uint16_t qclass = r.u16();
  if (!r.ok() || qname != to_lower(name) || qtype != type || qclass != kClassIn) {
    return make_error("DNS reply: question differs from the query");
  }
  if (out.truncated) return out;
  std::vector<Record> records;
  for (std::uint16_t i = 0; i < answers; ++i) {
    Record record;
    if (!read_record(r, type, record)) return make_error("DNS reply: malformed answer");
    records.push_back(std::move(record));
  }
  std::string owner = qname;
  for (std::size_t link = 0; link <= kMaxCnameLinks; ++link) {
    const auto cname = std::find_if(records.begin(), records.end(), [&](const Record& rec) {
      return rec.type == kTypeCname && rec.owner == owner;
    });
    if (cname == records.end()) break;
    owner = cname->cname;
  }
  for (const Record& record : records) {
    if (record.has_address && record.owner == owner &&
        std::find(out.addresses.begin(), out.addresses.end(), record.address) ==
            out.addresses.end()) {
      out.addresses.push_back(record.address);
    }
  }
  return out;
}

}  // namespace jk::launcher::proxy
