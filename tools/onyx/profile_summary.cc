#include "profile_summary.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>

namespace onyx::cli {

namespace {

struct Total {
  std::string op_type;
  int64_t count = 0;
  int64_t ns = 0;
};

std::string Fit(const std::string& s, size_t width) {
  if (s.size() <= width) return s;
  return s.substr(0, width - 3) + "...";
}

std::string Row(const char* format, auto... args) {
  char buf[256];
  std::snprintf(buf, sizeof(buf), format, args...);
  return buf;
}

// Most time first; names break ties so the table does not depend on the order events came in.
std::vector<std::pair<std::string, Total>> Sorted(const std::map<std::string, Total>& totals) {
  std::vector<std::pair<std::string, Total>> rows(totals.begin(), totals.end());
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.second.ns > b.second.ns; });
  return rows;
}

// A node's own time: its duration less that of the subgraph nodes it ran (an If's branch, a Loop's body), which
// are events of their own. Subgraphs run on the thread of the node that holds them, so on each thread the events
// nest: walk them in start order with a stack of the ones still open.
std::vector<int64_t> SelfTimes(const std::vector<const ProfileEvent*>& nodes) {
  std::vector<size_t> order(nodes.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (nodes[a]->tid != nodes[b]->tid) return nodes[a]->tid < nodes[b]->tid;
    return nodes[a]->start_ns < nodes[b]->start_ns;
  });
  std::vector<int64_t> self(nodes.size());
  std::vector<size_t> open;
  for (size_t i : order) {
    const ProfileEvent& e = *nodes[i];
    self[i] = e.duration_ns;
    while (!open.empty()) {
      const ProfileEvent& top = *nodes[open.back()];
      if (top.tid == e.tid && e.start_ns + e.duration_ns <= top.start_ns + top.duration_ns) break;
      open.pop_back();
    }
    if (!open.empty() && nodes[open.back()]->Depth() + 1 == e.Depth()) self[open.back()] -= e.duration_ns;
    open.push_back(i);
  }
  return self;
}

}  // namespace

void PrintProfileSummary(const std::vector<ProfileEvent>& events, int top, std::ostream& out) {
  int64_t runs = 0, run_ns = 0, node_events = 0, node_ns = 0;
  std::vector<const ProfileEvent*> nodes;
  for (const ProfileEvent& e : events) {
    if (e.category == ProfileEvent::Category::kNode) {
      nodes.push_back(&e);
    } else if (e.Name() == "model_run") {
      ++runs;
      run_ns += e.duration_ns;
    }
  }
  const std::vector<int64_t> self = SelfTimes(nodes);
  std::map<std::string, Total> by_op, by_node;
  const std::string suffix = "_kernel_time";
  for (size_t i = 0; i < nodes.size(); ++i) {
    const ProfileEvent& e = *nodes[i];
    ++node_events;
    node_ns += self[i];
    Total& op = by_op[e.OpType()];
    ++op.count;
    op.ns += self[i];
    std::string name = e.Name();
    if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      name.resize(name.size() - suffix.size());
    }
    Total& node = by_node[name];
    node.op_type = e.OpType();
    ++node.count;
    node.ns += self[i];
  }
  if (runs == 0) {
    out << "profile: no run was recorded\n";
    return;
  }
  auto ms = [](int64_t ns) { return static_cast<double>(ns) / 1e6; };
  auto share = [&](int64_t ns) {
    return run_ns > 0 ? 100.0 * static_cast<double>(ns) / static_cast<double>(run_ns) : 0.0;
  };
  auto avg_us = [](const Total& t) {
    return t.count ? static_cast<double>(t.ns) / 1e3 / static_cast<double>(t.count) : 0.0;
  };
  out << Row("profile: %lld run(s), %.3f ms per run; %lld node events, %.1f%% of the run time in kernels\n",
             static_cast<long long>(runs), ms(run_ns) / static_cast<double>(runs), static_cast<long long>(node_events),
             share(node_ns));
  out << Row("  %-24s %8s %11s %9s %11s\n", "op type", "count", "total ms", "% of run", "avg µs");
  for (const auto& [op, t] : Sorted(by_op)) {
    out << Row("  %-24s %8lld %11.3f %8.1f%% %11.1f\n", Fit(op, 24).c_str(), static_cast<long long>(t.count), ms(t.ns),
               share(t.ns), avg_us(t));
  }
  if (top <= 0) return;
  out << Row("  slowest nodes (of %zu):\n", by_node.size());
  out << Row("  %-40s %-16s %6s %11s %9s %11s\n", "node", "op type", "count", "total ms", "% of run", "avg µs");
  int shown = 0;
  for (const auto& [name, t] : Sorted(by_node)) {
    if (shown++ == top) break;
    out << Row("  %-40s %-16s %6lld %11.3f %8.1f%% %11.1f\n", Fit(name, 40).c_str(), Fit(t.op_type, 16).c_str(),
               static_cast<long long>(t.count), ms(t.ns), share(t.ns), avg_us(t));
  }
}

}  // namespace onyx::cli
