#include "common/metrics.h"

#include <cstdio>

namespace jk::metrics {

Histogram::Histogram(std::vector<double> upper_bounds)
    : bounds_(std::move(upper_bounds)),
      counts_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size())) {}

void Histogram::observe(double v) {
  for (std::size_t i = 0; i < bounds_.size(); ++i) {
    if (v <= bounds_[i]) {
      counts_[i].fetch_add(1, std::memory_order_relaxed);
      break;
    }
  }
  count_.fetch_add(1, std::memory_order_relaxed);
  double cur = sum_.load(std::memory_order_relaxed);
  while (!sum_.compare_exchange_weak(cur, cur + v, std::memory_order_relaxed)) {
  }
}

template <typename M>
M& Family<M>::with(std::initializer_list<std::string_view> values) {
  std::lock_guard lock(mu_);
  auto it = children_.find(values);
  if (it != children_.end()) return *it->second;
  std::unique_ptr<M> child;
  if constexpr (std::is_same_v<M, Histogram>) {
    child = std::make_unique<Histogram>(bounds_);
  } else {
    child = std::make_unique<M>();
  }
  M& ref = *child;
  children_.emplace(std::vector<std::string>(values.begin(), values.end()), std::move(child));
  return ref;
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

Family<Counter>& Registry::counter(std::string name, std::string help,
                                   std::vector<std::string> labels) {
  std::lock_guard lock(mu_);
  counters_.push_back(
      std::make_unique<Family<Counter>>(std::move(name), std::move(help), std::move(labels)));
  return *counters_.back();
}

Family<Gauge>& Registry::gauge(std::string name, std::string help,
                               std::vector<std::string> labels) {
  std::lock_guard lock(mu_);
  gauges_.push_back(
      std::make_unique<Family<Gauge>>(std::move(name), std::move(help), std::move(labels)));
  return *gauges_.back();
}

Family<Histogram>& Registry::histogram(std::string name, std::string help,
                                       std::vector<double> bounds,
                                       std::vector<std::string> labels) {
  std::lock_guard lock(mu_);
  histograms_.push_back(std::make_unique<Family<Histogram>>(std::move(name), std::move(help),
                                                            std::move(labels), std::move(bounds)));
  return *histograms_.back();
}

namespace {

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

void append_escaped(std::string& out, const std::string& v) {
  for (const char c : v) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
}

std::string label_set(const std::vector<std::string>& names, const std::vector<std::string>& values,
                      const std::string& extra = {}) {
  if (names.empty() && extra.empty()) return {};
  std::string out = "{";
  for (std::size_t i = 0; i < names.size() && i < values.size(); ++i) {
    if (i != 0) out += ',';
    out += names[i] + "=\"";
    append_escaped(out, values[i]);
    out += '"';
  }
  if (!extra.empty()) {
    if (!names.empty()) out += ',';
    out += extra;
  }
  out += '}';
  return out;
}

template <typename F>
void header(std::string& out, const F& family, const char* type) {
  out += "# HELP " + family.name() + " " + family.help() + "\n";
  out += "# TYPE " + family.name() + " " + type + "\n";
}

}  // namespace

std::string Registry::render() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (const auto& f : counters_) {
    header(out, *f, "counter");
    f->each([&](const std::vector<std::string>& values, const Counter& c) {
      out += f->name() + label_set(f->labels(), values) + " " + std::to_string(c.value()) + "\n";
    });
  }
  for (const auto& f : gauges_) {
    header(out, *f, "gauge");
    f->each([&](const std::vector<std::string>& values, const Gauge& g) {
      out += f->name() + label_set(f->labels(), values) + " " + fmt(g.value()) + "\n";
    });
  }
  for (const auto& f : histograms_) {
    header(out, *f, "histogram");
    f->each([&](const std::vector<std::string>& values, const Histogram& h) {
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i < h.bounds().size(); ++i) {
        cumulative += h.bucket(i);
        out += f->name() + "_bucket" +
               label_set(f->labels(), values, "le=\"" + fmt(h.bounds()[i]) + "\"") + " " +
               std::to_string(cumulative) + "\n";
      }
      out += f->name() + "_bucket" + label_set(f->labels(), values, "le=\"+Inf\"") + " " +
             std::to_string(h.count()) + "\n";
      out += f->name() + "_sum" + label_set(f->labels(), values) + " " + fmt(h.sum()) + "\n";
      out += f->name() + "_count" + label_set(f->labels(), values) + " " +
             std::to_string(h.count()) + "\n";
    });
  }
  return out;
}

}  // namespace jk::metrics
