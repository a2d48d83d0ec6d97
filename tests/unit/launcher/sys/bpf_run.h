#pragma once
// A classic-BPF interpreter for seccomp programs: the subset the launcher's filters emit (LD W
// ABS, ALU AND K, JA, JEQ/JGE/JSET K, RET K), run over a seccomp_data the test writes. It runs
// a filter built for another architecture on this one, and under qemu-user, which cannot install
// a filter at all. An instruction outside the subset, a load outside seccomp_data or a jump past
// the end is an error, never a verdict.
#include <linux/filter.h>
#include <linux/seccomp.h>

#include <array>
#include <cstdint>
#include <ostream>
#include <vector>

#include "common/result.h"
#include "launcher/sys/seccomp_arch.h"

namespace jk::launcher::sys::testing {

// What a filter returns for a refused call: SECCOMP_RET_ERRNO with `error`.
constexpr std::uint32_t refused(int error) {
  return SECCOMP_RET_ERRNO | static_cast<std::uint32_t>(error);
}

// The parameter of the per-architecture filter tests.
struct ArchCase {
  const SeccompArch* arch;
  std::uint32_t foreign_archs[2];  // this CPU's compat ABI, the other architecture
};

// gtest prints the parameter in each test's name: the architecture's.
inline void PrintTo(const ArchCase& c, std::ostream* os) { *os << c.arch->name; }

// seccomp_data for one call: arch, syscall number, arguments (instruction_pointer: 0).
seccomp_data seccomp_call(std::uint32_t arch, std::uint32_t nr,
                          const std::array<std::uint64_t, 6>& args = {});

// getpid's number on `arch`: a syscall no filter names, so every filter must allow it.
std::uint32_t getpid_number(const SeccompArch& arch);

// The filter's return value (SECCOMP_RET_* | data) for `call`.
Result<std::uint32_t> run_seccomp_program(const std::vector<sock_filter>& program,
                                          const seccomp_data& call);

}  // namespace jk::launcher::sys::testing
