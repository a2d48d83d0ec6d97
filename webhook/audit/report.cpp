#include "webhook/audit/report.h"

#include <algorithm>
#include <array>

#include <nlohmann/json.hpp>

namespace jk::audit {
namespace {

constexpr int kJsonIndent = 2;
constexpr std::string_view kColumnGap = "  ";
constexpr std::string_view kEmptyCell = "-";

using Cells = std::vector<std::string>;

Cells header() {
  return {"NAMESPACE", "POD",         "NODE", "NODE-OS", "KERNEL",
          "ARCH",      "RECORDED-OS", "JAIL", "VERDICT", "REASON"};
}

std::string cell(const std::string& s) { return s.empty() ? std::string(kEmptyCell) : s; }

Cells cells(const AuditRow& r) {
  return {cell(r.namespace_name), cell(r.pod),    cell(r.node),
          cell(r.node_os),        cell(r.kernel), cell(r.arch),
          cell(r.recorded_os),    cell(r.jail),   std::string(verdict_name(r.verdict)),
          cell(r.reason)};
}

std::string line(const Cells& row, const std::vector<std::size_t>& widths) {
  std::string out;
  for (std::size_t i = 0; i < row.size(); ++i) {
    out += row[i];
    if (i + 1 == row.size()) break;  // no padding after the last column
    out.append(widths[i] - row[i].size(), ' ');
    out += kColumnGap;
  }
  return out + "\n";
}

}  // namespace

std::string summary_line(const std::vector<AuditRow>& rows) {
  std::array<std::size_t, kVerdictCount> counts{};
  for (const auto& r : rows) ++counts[static_cast<std::size_t>(r.verdict)];
  std::string out = std::to_string(rows.size()) + (rows.size() == 1 ? " pod:" : " pods:");
  for (std::size_t i = 0; i < kVerdictCount; ++i) {
    out += (i == 0 ? " " : ", ") + std::to_string(counts[i]) + " " +
           std::string(verdict_name(static_cast<Verdict>(i)));
  }
  return out + "\n";
}

std::string format_table(const std::vector<AuditRow>& rows) {
  std::vector<Cells> table{header()};
  for (const auto& r : rows) table.push_back(cells(r));
  std::vector<std::size_t> widths(table.front().size(), 0);
  for (const auto& row : table) {
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  std::string out;
  for (const auto& row : table) out += line(row, widths);
  return out + summary_line(rows);
}

std::string format_json(const std::vector<AuditRow>& rows) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& r : rows) {
    out.push_back({{"namespace", r.namespace_name},
                   {"pod", r.pod},
                   {"node", r.node},
                   {"nodeOS", r.node_os},
                   {"kernel", r.kernel},
                   {"arch", r.arch},
                   {"recordedOS", r.recorded_os},
                   {"jail", r.jail},
                   {"verdict", verdict_name(r.verdict)},
                   {"reason", r.reason}});
  }
  return out.dump(kJsonIndent) + "\n";
}

int exit_code(const std::vector<AuditRow>& rows) {
  const bool all_good = std::all_of(rows.begin(), rows.end(), [](const AuditRow& r) {
    return r.verdict == Verdict::kOk || r.verdict == Verdict::kSkipped;
  });
  return all_good ? kExitAllGood : kExitFindings;
}

}  // namespace jk::audit
