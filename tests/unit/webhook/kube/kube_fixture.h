#pragma once
// Test-time files for the kube tests: a throwaway CA and client certificate (never committed),
// a token file, and kubeconfig text with {PLACEHOLDERS} expanded.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "tests/support/temp_certs.h"

namespace jk::kube::testing {

class KubeFixture : public ::testing::Test {
 protected:
  KubeFixture();
  // Writes dir/name (creating parent directories) and returns its path.
  std::string write(const std::string& name, const std::string& contents) const;
  // Replaces {DIR}, {CA_DATA}, {CERT_DATA}, {KEY_DATA}, {OTHER_KEY_DATA}, {NOT_PEM_DATA}.
  [[nodiscard]] std::string expand(std::string text) const;
  [[nodiscard]] const std::string& dir() const { return dir_.path(); }

  jk::testing::TempDir dir_;
  jk::testing::TestCa ca_;
  jk::testing::Issued client_;
  jk::testing::Issued other_;

 private:
  std::map<std::string, std::string> placeholders_;
};

// A kubeconfig with contexts main (c1/u1) and other (c2/u1); cluster c1 and user u1 take the
// given bodies (YAML lines, indented by this function).
std::string kubeconfig_text(const std::string& cluster_body, const std::string& user_body);

}  // namespace jk::kube::testing
