#pragma once
// The one pod decoder: a Pod's JSON read once into inject::Pod (the facts for the decision, the
// container shapes, the pod's form for the patch builder). `serve` decodes the pod inside the
// AdmissionReview it parsed (admission_review.h); `inject` and `audit` hand over the pod's
// text.
#include <string_view>

#include <boost/json/value.hpp>

#include "common/result.h"
#include "webhook/inject/pod.h"

namespace jk::review {

// Errors are those of decode_pod_facts: the pod is not an object, has no spec, or a field the
// decision reads has the wrong type. Errors in spec.containers are kept in Pod::containers and
// Pod::shapes (inject reports them after its skip rules). The pod's strings are views into
// `pod`, which must outlive it.
Result<inject::Pod> decode_pod(const boost::json::value& pod);

// The same from the pod's JSON text (metadata.managedFields is skipped unbuilt); the pod owns
// the parsed document (Pod::storage). Errors also for text that is not JSON ("not valid
// JSON: ...").
Result<inject::Pod> decode_pod_json(std::string_view text);

// Only the container shapes, for `audit`, which reads the rest of the pod its own way.
Result<std::vector<policy::ContainerShape>> decode_container_shapes_json(std::string_view text);

}  // namespace jk::review
