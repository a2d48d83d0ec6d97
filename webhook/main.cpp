// jailkeeper-webhook: the mutating admission webhook. All logic lives in the libraries;
// see docs/ARCHITECTURE.md.
#include "webhook/cli/cli.h"

int main(int argc, char** argv) { return jk::cli::run(argc, argv); }
