#include "webhook/policy/node.h"

#include <gtest/gtest.h>

namespace jk::policy {
namespace {

struct OsCase {
  std::string os_image;
  std::string compute_type;  // label value, empty: no label
  NodeOs want;
  bool auto_mode;
};

class ClassifyOs : public testing::TestWithParam<OsCase> {};

TEST_P(ClassifyOs, ReadsLabelThenOsImage) {
  const OsCase& c = GetParam();
  Labels labels;
  if (!c.compute_type.empty()) labels.emplace(std::string(kComputeTypeLabel), c.compute_type);
  EXPECT_EQ(classify_os(labels, c.os_image), c.want) << c.os_image;
  EXPECT_EQ(auto_mode(labels, c.os_image), c.auto_mode) << c.os_image;
}

INSTANTIATE_TEST_SUITE_P(
    RealOsImages, ClassifyOs,
    testing::Values(
        OsCase{"Amazon Linux 2", "", NodeOs::kAmazonLinux, false},
        OsCase{"Amazon Linux 2023", "", NodeOs::kAmazonLinux, false},
        OsCase{"Amazon Linux 2023.6.20250107", "", NodeOs::kAmazonLinux, false},
        OsCase{"Bottlerocket OS 1.26.2 (aws-k8s-1.31)", "", NodeOs::kBottlerocket, false},
        OsCase{"Bottlerocket (EKS Auto, Standard) 2025.3.14 (aws-k8s-1.32)", "",
               NodeOs::kBottlerocket, true},
        OsCase{"Bottlerocket (EKS Auto) 2025.1.3 (aws-k8s-1.31)", "", NodeOs::kBottlerocket, true},
        // Fargate reports Amazon Linux 2: the label decides, not the string.
        OsCase{"Amazon Linux 2", "fargate", NodeOs::kFargate, false},
        OsCase{"Bottlerocket OS 1.30.0 (aws-k8s-1.32)", "auto", NodeOs::kBottlerocket, true},
        // Other distributions are never misread.
        OsCase{"Container-Optimized OS from Google", "", NodeOs::kOther, false},
        OsCase{"Ubuntu 22.04.5 LTS", "", NodeOs::kOther, false},
        OsCase{"Microsoft Azure Linux 3.0", "", NodeOs::kOther, false},
        OsCase{"Amazon Linux", "", NodeOs::kOther, false},
        OsCase{"Amazon Linux 20", "", NodeOs::kOther, false},
        OsCase{"Bottlerocketeer", "", NodeOs::kOther, false}, OsCase{"", "", NodeOs::kOther, false},
        OsCase{"Ubuntu 22.04.5 LTS", "ec2", NodeOs::kOther, false}));

struct KernelCase {
  std::string text;
  std::optional<KernelVersion> want;
};

class ParseKernel : public testing::TestWithParam<KernelCase> {};

TEST_P(ParseKernel, MajorMinorPatchIgnoringSuffix) {
  EXPECT_EQ(parse_kernel(GetParam().text), GetParam().want) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    Versions, ParseKernel,
    testing::Values(KernelCase{"6.1.159-181.297.amzn2023.x86_64", KernelVersion{6, 1, 159}},
                    KernelCase{"6.12.55", KernelVersion{6, 12, 55}},
                    KernelCase{"5.15.0-1102-azure", KernelVersion{5, 15, 0}},
                    KernelCase{"5.10.234-225.910.amzn2.x86_64", KernelVersion{5, 10, 234}},
                    KernelCase{"6.7", KernelVersion{6, 7, 0}},
                    KernelCase{"6.8.0+", KernelVersion{6, 8, 0}}, KernelCase{"", std::nullopt},
                    KernelCase{"linux", std::nullopt}, KernelCase{"6", std::nullopt},
                    KernelCase{"6.", std::nullopt}, KernelCase{"-6.1.0", std::nullopt},
                    KernelCase{"6.1x", std::nullopt},
                    KernelCase{"99999999999999999999.1", std::nullopt}));

TEST(KernelVersion, OrdersNumerically) {
  EXPECT_LT((KernelVersion{6, 1, 200}), (KernelVersion{6, 7, 0}));
  EXPECT_LT((KernelVersion{5, 15, 0}), (KernelVersion{6, 0, 0}));
  EXPECT_EQ((KernelVersion{6, 12, 55}).str(), "6.12.55");
}

TEST(NodeOsName, RoundTripsTheInjectFlagValues) {
  for (const auto os :
       {NodeOs::kAmazonLinux, NodeOs::kBottlerocket, NodeOs::kFargate, NodeOs::kOther}) {
    EXPECT_EQ(parse_os(os_name(os)), os);
  }
  EXPECT_EQ(parse_os("amazonlinux"), std::nullopt);
}

}  // namespace
}  // namespace jk::policy
