#include "webhook/kube/paged_list.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "webhook/kube/api_status.h"
#include "webhook/kube/url_query.h"

namespace jk::kube {
namespace {

using nlohmann::json;

// One pass over the pages; nullopt when a continue token expired (410 Gone).
Result<std::optional<ListResult>> list_once(HttpClient& client, const ListQuery& query,
                                            const ListObserver& observer) {
  ListResult result;
  std::string continue_token;
  do {
    JK_TRY(HttpResponse response, client.get(list_url(query, continue_token)));
    if (response.status == kHttpGone) return std::optional<ListResult>();
    if (response.status != kHttpOk) {
      result.outcome = ListResult::Outcome::kRefused;
      result.status = response.status;
      result.body = std::move(response.body);
      return std::optional<ListResult>(std::move(result));
    }
    json page = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
    const auto found = page.is_object() ? page.find("items") : page.end();
    if (page.is_discarded() || !page.is_object() ||
        (found != page.end() && !found->is_array() && !found->is_null())) {
      result.outcome = ListResult::Outcome::kNotAList;
      result.detail = page.is_discarded() ? "the API server answered invalid JSON"
                                          : "the API server answered something that is not a List";
      result.items.clear();
      return std::optional<ListResult>(std::move(result));
    }
    std::size_t count = 0;
    if (found != page.end() && found->is_array()) {
      count = found->size();
      for (json& item : *found) result.items.push_back(std::move(item));
    }
    if (observer.on_page) observer.on_page(count);
    result.resource_version = string_at(page, "metadata", "resourceVersion");
    continue_token = string_at(page, "metadata", "continue");
  } while (!continue_token.empty());
  return std::optional<ListResult>(std::move(result));
}

}  // namespace

std::string list_url(const ListQuery& query, const std::string& continue_token) {
  std::string url = query.path + "?limit=" + std::to_string(query.limit);
  if (!query.field_selector.empty()) url += "&fieldSelector=" + query_escape(query.field_selector);
  if (!continue_token.empty()) url += "&continue=" + query_escape(continue_token);
  return url;
}

Result<ListResult> list_all(HttpClient& client, const ListQuery& query,
                            const ListObserver& observer) {
  const int attempts = std::max(query.max_attempts, 1);
  for (int attempt = 0; attempt < attempts; ++attempt) {
    if (attempt > 0 && observer.on_restart) observer.on_restart();
    JK_TRY(std::optional<ListResult> listed, list_once(client, query, observer));
    if (listed) return std::move(*listed);
  }
  ListResult expired;
  expired.outcome = ListResult::Outcome::kExpired;
  return expired;
}

}  // namespace jk::kube
