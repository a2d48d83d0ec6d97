#pragma once
// Strict base64 decoding for kubeconfig *-data fields (private to webhook/kube; common/base64.h
// only encodes). Whitespace/newlines are skipped, padding is optional, anything else is an error.
#include <string>
#include <string_view>

#include "common/result.h"

namespace jk::kube {

Result<std::string> base64_decode(std::string_view text);

}  // namespace jk::kube
