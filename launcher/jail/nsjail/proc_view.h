#pragma once
// Whether the nsjail may mount a fresh /proc for its pid namespace without showing the agent more
// than the container already had. Container runtimes hide parts of /proc under masks (runc: a
// /dev/null or read-only tmpfs over /proc/kcore, /proc/keys, /proc/timer_list, ...; read-only
// binds of /proc/sys, /proc/sysrq-trigger, /proc/irq, /proc/bus, /proc/fs). A fresh proc mount
// has none of them: without a user namespace (EKS Auto Mode) the kernel allows it, and a root
// agent without capabilities could then write /proc/sys/kernel/core_pattern. So a fresh /proc is
// mounted only where the current one carries no mount below it and is not read-only. Pure.
#include <string_view>

namespace jk::launcher::jail {

struct ProcView {
  bool fresh_allowed = false;
  std::string_view reason;  // why not, for the log
};

// `mountinfo` is the text of /proc/self/mountinfo (proc(5)).
ProcView fresh_proc_view(std::string_view mountinfo);

}  // namespace jk::launcher::jail
