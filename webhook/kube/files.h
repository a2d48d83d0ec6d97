#pragma once
// File reading for kubeconfig credentials (private to webhook/kube).
#include <string>

#include "common/result.h"

namespace jk::kube {

// Whole file; the error reads "file /y: No such file or directory".
Result<std::string> read_whole_file(const std::string& path);
// A relative path is resolved against base_dir, as kubectl resolves kubeconfig paths.
std::string resolve_path(const std::string& base_dir, const std::string& path);
// Directory part of a path ("." when there is none).
std::string directory_of(const std::string& path);
bool file_exists(const std::string& path);

}  // namespace jk::kube
