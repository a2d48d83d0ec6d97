#pragma once
// One paginated list of a resource, as kubectl and client-go's pager read it: GET
// `path?limit=N[&fieldSelector=...][&continue=TOKEN]` until the continue token is empty. When the
// snapshot behind a continue token is gone (410 Gone mid-list) the list starts over from the
// first page, at most `max_attempts` times. Used by the one-shot `audit` and by the Reflector,
// which gives it one attempt and relists after its own backoff.
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "webhook/kube/http_client.h"

namespace jk::kube {

struct ListQuery {
  std::string path;            // e.g. "/api/v1/pods"
  std::string field_selector;  // "" for none
  std::size_t limit = 500;     // items per page
  int max_attempts = 1;        // complete lists tried when continue tokens expire
};

struct ListResult {
  enum class Outcome {
    kComplete,  // every page read: items, resource_version
    kExpired,   // 410 Gone mid-list, max_attempts times
    kRefused,   // a page answered neither 200 nor 410: status, body
    kNotAList,  // a 200 page whose body is not a List: detail says what was wrong
  };
  Outcome outcome = Outcome::kComplete;
  std::vector<nlohmann::json> items;
  std::string resource_version;  // of the last page
  unsigned status = 0;
  std::string body;
  std::string detail;
};

// Callbacks, each may be empty: a page was read (its item count); a list starts over after a 410.
struct ListObserver {
  std::function<void(std::size_t items)> on_page;
  std::function<void()> on_restart;
};

// The first URL of a list: path?limit=N[&fieldSelector=...][&continue=...], values escaped.
std::string list_url(const ListQuery& query, const std::string& continue_token);

// Errors: the request could not be made (connection, TLS, timeout): the client's message.
Result<ListResult> list_all(HttpClient& client, const ListQuery& query,
                            const ListObserver& observer = {});

}  // namespace jk::kube
