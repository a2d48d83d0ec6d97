#pragma once
// The security shape (policy/pod_shape.h) of each regular container of a Pod: its
// securityContext merged over the pod's (runAsUser, runAsNonRoot, seccompProfile). Wrong types
// and unknown seccomp types are errors, like the rest of the pod decoding: a pod we cannot read
// must not slip through unjailed.
#include <vector>

#include <boost/json/value.hpp>

#include "common/result.h"
#include "webhook/policy/pod_shape.h"

namespace jk::review {

// One shape per entry of spec.containers, in order.
Result<std::vector<policy::ContainerShape>> decode_container_shapes(const boost::json::value& pod);

}  // namespace jk::review
