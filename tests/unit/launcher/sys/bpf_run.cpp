#include "tests/unit/launcher/sys/bpf_run.h"

#include <cstddef>
#include <cstring>
#include <string>

namespace jk::launcher::sys::testing {

seccomp_data seccomp_call(std::uint32_t arch, std::uint32_t nr,
                          const std::array<std::uint64_t, 6>& args) {
  seccomp_data d{};
  d.nr = static_cast<int>(nr);
  d.arch = arch;
  for (std::size_t i = 0; i < args.size(); ++i) d.args[i] = args[i];
  return d;
}

std::uint32_t getpid_number(const SeccompArch& arch) {
  return arch.audit_arch == AUDIT_ARCH_X86_64 ? 39U : 172U;  // x86_64, aarch64 (asm-generic)
}

namespace {

Error at(std::size_t pc, const std::string& what) {
  return make_error("instruction " + std::to_string(pc) + ": " + what);
}

// The kernel loads a 32-bit word of seccomp_data in host byte order, at a 4-aligned offset.
Result<std::uint32_t> load_word(const seccomp_data& call, std::uint32_t offset, std::size_t pc) {
  if (offset % 4 != 0 || offset + 4 > sizeof(seccomp_data)) {
    return at(pc, "load at offset " + std::to_string(offset) + " outside seccomp_data");
  }
  std::uint32_t word = 0;
  std::memcpy(&word, reinterpret_cast<const unsigned char*>(&call) + offset, 4);  // NOLINT
  return word;
}

bool condition(std::uint16_t op, std::uint32_t a, std::uint32_t k) {
  switch (op) {
    case BPF_JEQ:
      return a == k;
    case BPF_JGE:
      return a >= k;
    default:
      return (a & k) != 0;  // BPF_JSET, the only other one accepted below
  }
}

}  // namespace

Result<std::uint32_t> run_seccomp_program(const std::vector<sock_filter>& program,
                                          const seccomp_data& call) {
  std::uint32_t a = 0;
  std::size_t pc = 0;
  while (pc < program.size()) {
    const sock_filter& insn = program[pc];
    const std::uint16_t code = insn.code;
    if (code == (BPF_RET | BPF_K)) return insn.k;
    if (code == (BPF_LD | BPF_W | BPF_ABS)) {
      JK_TRY(a, load_word(call, insn.k, pc));
      ++pc;
    } else if (code == (BPF_ALU | BPF_AND | BPF_K)) {
      a &= insn.k;
      ++pc;
    } else if (code == (BPF_JMP | BPF_JA)) {
      pc += 1 + insn.k;
    } else if (BPF_CLASS(code) == BPF_JMP && BPF_SRC(code) == BPF_K &&
               (BPF_OP(code) == BPF_JEQ || BPF_OP(code) == BPF_JGE || BPF_OP(code) == BPF_JSET)) {
      const std::uint8_t offset = condition(BPF_OP(code), a, insn.k) ? insn.jt : insn.jf;
      pc += 1U + offset;
    } else {
      return at(pc, "opcode " + std::to_string(code) + " is not in the interpreted subset");
    }
  }
  return make_error("ran past the end of the program (" + std::to_string(program.size()) +
                    " instructions) without a return");
}

}  // namespace jk::launcher::sys::testing
