#pragma once
// Runs a credential plugin: one child process, its stdout captured (bounded), stderr passed
// through to ours (plugins print prompts and errors there), stdin passed through only when the
// plugin may interact, else /dev/null, no other descriptor inherited; killed when it runs past
// the timeout. Private to webhook/kube.
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"

namespace jk::kube {

struct ProcessSpec {
  std::string command;  // a name looked up on PATH, or a path
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;  // set on top of the inherited ones
  bool inherit_stdin = false;
  std::chrono::milliseconds timeout{0};  // 0: no limit (an interactive login may take minutes)
  std::size_t max_output = std::size_t{1} << 20;
};

struct ProcessResult {
  int exit_code = -1;   // -1 when killed by a signal
  int term_signal = 0;  // the signal that killed it, else 0
  std::string out;      // stdout
};

// Errors: "not found" (command missing: the message starts with it), exec failures, timeout
// and output over max_output (the child is killed and reaped in every case).
Result<ProcessResult> run_process(const ProcessSpec& spec);
// True when an error from run_process means the command does not exist.
bool is_not_found(const Error& error);

}  // namespace jk::kube
