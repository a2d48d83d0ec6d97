#pragma once
// The record an injection leaves on the pod (annotation jailkeeper.io/status): what was decided
// (OS, kernel, jail, fallback, grants, policy) and which containers are jailed. `audit` reads it
// back (webhook/audit/status_record.h); the patch builder adds the changes of every pass.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "webhook/inject/patch_builder.h"
#include "webhook/policy/decide.h"

namespace jk::inject {

nlohmann::ordered_json status_record(const policy::Decision& decision,
                                     const std::string& policy_name,
                                     const std::vector<JailedContainer>& containers,
                                     const std::vector<std::string>& unwrapped);

}  // namespace jk::inject
