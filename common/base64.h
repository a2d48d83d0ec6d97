#pragma once
// Base64, standard alphabet (RFC 4648 section 4) — the one the Kubernetes API uses everywhere we
// meet it: AdmissionResponse.patch, Secret data, caBundle, kubeconfig *-data fields. The
// URL-safe alphabet ('-', '_') is never accepted.
#include <string>
#include <string_view>

#include "common/result.h"

namespace jk {

// Always padded.
std::string base64_encode(std::string_view data);
// The same, appended to `out` (the admission response writes the patch straight into its buffer).
void base64_encode_to(std::string_view data, std::string& out);

enum class Base64Padding {
  // kubeconfig *-data (hand-written or wrapped): whitespace and line breaks are skipped and the
  // trailing '=' may be missing.
  kOptional,
  // What the API server writes (Secret data, caBundle): no whitespace, a multiple of 4
  // characters, '=' only at the end.
  kRequired,
};

// Errors say why ("invalid base64 (truncated)"); data after padding is an error in both modes.
Result<std::string> base64_decode(std::string_view text,
                                  Base64Padding padding = Base64Padding::kOptional);

}  // namespace jk
