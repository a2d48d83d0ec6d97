#include "launcher/net/link.h"

#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/in.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "launcher/net/netlink_socket.h"

namespace jk::launcher::net {
namespace {

constexpr std::uint16_t kCreateFlags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;

Status send_route_request(const NetlinkBatch& batch) {
  JK_TRY(auto socket, NetlinkSocket::open(NETLINK_ROUTE));
  return socket.transact(batch);
}

Result<int> interface_index(std::string_view interface_name) {
  const std::string name(interface_name);
  const unsigned index = ::if_nametoindex(name.c_str());
  if (index == 0) {
    return make_error("if_nametoindex(" + name + "): " + std::strerror(errno));
  }
  return static_cast<int>(index);
}

}  // namespace

NetlinkBatch link_up_request(std::string_view interface_name) {
  NetlinkBatch batch;
  batch.begin_message(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK,
                      "set link " + std::string(interface_name) + " up");
  ifinfomsg info{};
  info.ifi_family = AF_UNSPEC;
  info.ifi_flags = IFF_UP;
  info.ifi_change = IFF_UP;
  batch.put_struct(info);
  batch.put_string(IFLA_IFNAME, interface_name);
  batch.end_message();
  return batch;
}

NetlinkBatch local_default_route_request(int interface_index, int family, bool add) {
  NetlinkBatch batch;
  batch.begin_message(add ? RTM_NEWROUTE : RTM_DELROUTE,
                      add ? kCreateFlags : NLM_F_REQUEST | NLM_F_ACK,
                      std::string(add ? "add" : "remove") + " route local default table local (" +
                          (family == AF_INET6 ? "IPv6" : "IPv4") + ")");
  rtmsg route{};
  route.rtm_family = static_cast<unsigned char>(family);
  route.rtm_dst_len = 0;
  route.rtm_table = RT_TABLE_LOCAL;
  route.rtm_protocol = RTPROT_BOOT;
  route.rtm_scope = RT_SCOPE_HOST;
  route.rtm_type = RTN_LOCAL;
  batch.put_struct(route);
  batch.put_u32(RTA_OIF, static_cast<std::uint32_t>(interface_index));
  batch.end_message();
  return batch;
}

Status link_up(std::string_view interface_name) {
  return send_route_request(link_up_request(interface_name));
}

Status add_local_default_route(std::string_view interface_name, int family) {
  JK_TRY(const int index, interface_index(interface_name));
  return send_route_request(local_default_route_request(index, family, true));
}

Status remove_local_default_route(std::string_view interface_name, int family) {
  JK_TRY(const int index, interface_index(interface_name));
  return send_route_request(local_default_route_request(index, family, false));
}

}  // namespace jk::launcher::net
