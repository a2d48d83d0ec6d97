#pragma once
// jailkeeper-webhook's command line: serve, inject, version. Only main() calls this.
namespace jk::cli {

int run(int argc, char** argv);

}  // namespace jk::cli
