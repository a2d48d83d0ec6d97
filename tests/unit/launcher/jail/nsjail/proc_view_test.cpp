// fresh_proc_view: a fresh /proc only where the current one hides nothing.
#include "launcher/jail/nsjail/proc_view.h"

#include <gtest/gtest.h>

namespace jk::launcher::jail {
namespace {

// As runc leaves it (containerd default spec): masks and read-only binds under /proc.
constexpr const char* kRuncContainer =
    "1026 969 0:118 / / rw,relatime - overlay overlay rw,lowerdir=/l,upperdir=/u,workdir=/w\n"
    "1027 1026 0:120 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw\n"
    "1028 1026 0:121 / /dev rw,nosuid - tmpfs tmpfs rw,size=65536k,mode=755\n"
    "980 1027 0:120 /bus /proc/bus ro,nosuid,nodev,noexec,relatime - proc proc rw\n"
    "981 1027 0:120 /sys /proc/sys ro,nosuid,nodev,noexec,relatime - proc proc rw\n"
    "984 1027 0:125 / /proc/acpi ro,relatime - tmpfs tmpfs ro\n"
    "985 1027 0:121 /null /proc/kcore rw,nosuid - tmpfs tmpfs rw,size=65536k,mode=755\n";

TEST(FreshProcView, IsRefusedUnderAContainerRuntimesMasks) {
  const ProcView v = fresh_proc_view(kRuncContainer);
  EXPECT_FALSE(v.fresh_allowed);
  EXPECT_NE(std::string(v.reason).find("masked"), std::string::npos) << v.reason;
}

TEST(FreshProcView, IsAllowedOnAPlainHost) {
  const char* host =
      "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
      "23 22 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw\n"
      "24 22 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:2 - sysfs sysfs rw\n"
      "25 22 0:23 / /processes rw - tmpfs tmpfs rw\n";  // only /proc/ (with a slash) is below
  EXPECT_TRUE(fresh_proc_view(host).fresh_allowed);
}

TEST(FreshProcView, OneMaskAnywhereOrAReadOnlyProcIsEnough) {
  EXPECT_FALSE(fresh_proc_view("23 22 0:21 / /proc rw - proc proc rw\n"
                               "90 23 0:5 /null /proc/keys rw - devtmpfs udev rw")
                   .fresh_allowed);  // last line without a newline
  EXPECT_FALSE(fresh_proc_view("23 22 0:21 / /proc ro,nosuid - proc proc rw\n").fresh_allowed);
  EXPECT_FALSE(fresh_proc_view("91 23 0:9 / /proc/sys/fs/binfmt_misc rw - binfmt_misc b rw\n"
                               "23 22 0:21 / /proc rw - proc proc rw\n")
                   .fresh_allowed);  // order does not matter
}

TEST(FreshProcView, NoProcOrGarbageMeansNo) {
  EXPECT_FALSE(fresh_proc_view("").fresh_allowed);
  EXPECT_FALSE(fresh_proc_view("garbage\n\n   \nx y z\n").fresh_allowed);
}

}  // namespace
}  // namespace jk::launcher::jail
