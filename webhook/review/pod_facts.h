#pragma once
// The facts of a Pod the decision reads (inject::PodFacts): scheduling constraints and the skip
// conditions. Wrong types and unknown selector operators are errors (the pod would fail
// validation anyway, and a pod we cannot read must not slip through unjailed).
#include <boost/json/value.hpp>

#include "common/result.h"
#include "webhook/inject/pod_facts.h"

namespace jk::review {

// The facts' strings are views into `pod`, which must outlive them.
Result<inject::PodFacts> decode_pod_facts(const boost::json::value& pod);

}  // namespace jk::review
