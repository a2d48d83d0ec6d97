# launcher/net: netlink encoding (pure), and link/route/firewall applied in a fresh network
# namespace (privileged: skipped, saying why, where unshare(CLONE_NEWNET) is refused).
jk_test(launcher_net_test SOURCES firewall_test.cpp
        netlink_message_test.cpp
        dns_answer_test.cpp dns_stub_test.cpp
        LIBS jk_launcher_net)
