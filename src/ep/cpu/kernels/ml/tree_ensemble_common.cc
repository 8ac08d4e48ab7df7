#include "ep/cpu/kernels/ml/tree_ensemble_common.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <utility>

#include "ep/cpu/kernels/dispatch.h"

namespace onyx::cpu::ml {

Status ReadTensorAsDoubles(const KernelInfo& info, const std::string& name, std::vector<double>* out) {
  Tensor t;
  ONYX_RETURN_IF_ERROR(info.GetTensor(name, &t));
  out->resize(static_cast<size_t>(t.size()));
  switch (t.type()) {
    case DataType::kFloat:
      std::copy_n(t.data<float>(), t.size(), out->begin());
      return Status::Ok();
    case DataType::kDouble:
      std::copy_n(t.data<double>(), t.size(), out->begin());
      return Status::Ok();
    case DataType::kFloat16:
      for (int64_t i = 0; i < t.size(); ++i) (*out)[static_cast<size_t>(i)] = ToFloat(t.data<Float16>()[i]);
      return Status::Ok();
    default:
      return info.Error("attribute '", name, "' must be a float, double or float16 tensor, got ", t.Describe());
  }
}

Status ReadDoublesOrTensor(const KernelInfo& info, const std::string& name, std::vector<double>* out) {
  if (info.has_attr(name + "_as_tensor")) return ReadTensorAsDoubles(info, name + "_as_tensor", out);
  std::vector<float> f;
  ONYX_RETURN_IF_ERROR(info.GetFloats(name, &f, std::vector<float>{}));
  out->assign(f.begin(), f.end());
  return Status::Ok();
}

namespace {
constexpr int64_t kMaxEntries = std::numeric_limits<int32_t>::max() / 2;

Status CheckLength(const KernelInfo& info, const std::string& name, size_t got, size_t want) {
  if (got != want) return info.Error("attribute '", name, "' has ", got, " entries; expected ", want);
  return Status::Ok();
}
}  // namespace

Status TreeEnsembleModel::BuildFromTreeEnsemble(const KernelInfo& info) {
  std::vector<int64_t> features, true_ids, true_leafs, false_ids, false_leafs, nan_true, roots, leaf_targets;
  ONYX_RETURN_IF_ERROR(info.GetInts("nodes_featureids", &features, std::vector<int64_t>{}));
  ONYX_RETURN_IF_ERROR(info.GetInts("nodes_truenodeids", &true_ids, std::vector<int64_t>{}));
  ONYX_RETURN_IF_ERROR(info.GetInts("nodes_trueleafs", &true_leafs, std::vector<int64_t>{}));
  ONYX_RETURN_IF_ERROR(info.GetInts("nodes_falsenodeids", &false_ids, std::vector<int64_t>{}));
  ONYX_RETURN_IF_ERROR(info.GetInts("nodes_falseleafs", &false_leafs, std::vector<int64_t>{}));
  ONYX_RETURN_IF_ERROR(info.GetInts("nodes_missing_value_tracks_true", &nan_true, std::vector<int64_t>{}));
  ONYX_RETURN_IF_ERROR(info.GetInts("tree_roots", &roots, std::vector<int64_t>{}));
  ONYX_RETURN_IF_ERROR(info.GetInts("leaf_targetids", &leaf_targets, std::vector<int64_t>{}));
  for (const char* required : {"nodes_modes", "nodes_splits", "leaf_weights"}) {
    if (!info.has_attr(required)) return info.Error("attribute '", required, "' is required");
  }
  Tensor modes;
  ONYX_RETURN_IF_ERROR(info.GetTensor("nodes_modes", &modes));
  if (modes.type() != DataType::kUint8) return info.Error("attribute 'nodes_modes' must be a uint8 tensor");
  std::vector<double> splits, leaf_values, member_values;
  ONYX_RETURN_IF_ERROR(ReadTensorAsDoubles(info, "nodes_splits", &splits));
  ONYX_RETURN_IF_ERROR(ReadTensorAsDoubles(info, "leaf_weights", &leaf_values));
  if (info.has_attr("membership_values")) {
    ONYX_RETURN_IF_ERROR(ReadTensorAsDoubles(info, "membership_values", &member_values));
  }

  const size_t n = features.size();
  if (static_cast<int64_t>(n) > kMaxEntries) return info.Error("too many nodes: ", n);
  if (n == 0) return info.Error("attribute 'nodes_featureids' is empty: the ensemble has no nodes");
  ONYX_RETURN_IF_ERROR(CheckLength(info, "nodes_truenodeids", true_ids.size(), n));
  ONYX_RETURN_IF_ERROR(CheckLength(info, "nodes_trueleafs", true_leafs.size(), n));
  ONYX_RETURN_IF_ERROR(CheckLength(info, "nodes_falsenodeids", false_ids.size(), n));
  ONYX_RETURN_IF_ERROR(CheckLength(info, "nodes_falseleafs", false_leafs.size(), n));
  ONYX_RETURN_IF_ERROR(CheckLength(info, "nodes_modes", static_cast<size_t>(modes.size()), n));
  ONYX_RETURN_IF_ERROR(CheckLength(info, "nodes_splits", splits.size(), n));
  if (!nan_true.empty()) ONYX_RETURN_IF_ERROR(CheckLength(info, "nodes_missing_value_tracks_true", nan_true.size(), n));
  const size_t leaves = leaf_targets.size();
  if (static_cast<int64_t>(leaves) > kMaxEntries) return info.Error("too many leaves: ", leaves);
  ONYX_RETURN_IF_ERROR(CheckLength(info, "leaf_weights", leaf_values.size(), leaves));

  int64_t targets = -1;
  ONYX_RETURN_IF_ERROR(info.GetInt("n_targets", &targets, int64_t{-1}));
  if (targets < 0) {
    targets = 0;
    for (int64_t t : leaf_targets) targets = std::max(targets, t + 1);
  }
  targets_ = targets;
  for (size_t i = 0; i < leaves; ++i) {
    if (leaf_targets[i] < 0 || leaf_targets[i] >= targets_) {
      return info.Error("attribute 'leaf_targetids' entry ", i, " is ", leaf_targets[i], "; expected [0, ", targets_,
                        ")");
    }
    leaf_weights_.push_back({leaf_targets[i], leaf_values[i]});
    leaf_offsets_.push_back(i);
  }
  leaf_offsets_.push_back(leaves);

  // The member sets, split at NaNs, in the order the BRANCH_MEMBER nodes appear.
  std::vector<std::pair<uint32_t, uint32_t>> sets;
  {
    std::vector<double> current;
    auto close = [&]() {
      std::sort(current.begin(), current.end());
      const auto begin = static_cast<uint32_t>(members_.size());
      members_.insert(members_.end(), current.begin(), current.end());
      sets.emplace_back(begin, static_cast<uint32_t>(members_.size()));
      current.clear();
    };
    for (double v : member_values) {
      if (std::isnan(v)) {
        close();
      } else {
        current.push_back(v);
      }
    }
    if (!current.empty()) close();
  }

  nodes_.resize(n);
  size_t next_set = 0;
  auto child = [&](const char* ids_name, int64_t id, int64_t is_leaf, size_t i, int32_t* out) -> Status {
    const int64_t limit = is_leaf ? static_cast<int64_t>(leaves) : static_cast<int64_t>(n);
    if (id < 0 || id >= limit) {
      return info.Error("attribute '", ids_name, "' entry ", i, " is ", id, "; expected a ", is_leaf ? "leaf" : "node",
                        " index in [0, ", limit, ")");
    }
    *out = is_leaf ? ~static_cast<int32_t>(id) : static_cast<int32_t>(id);
    return Status::Ok();
  };
  for (size_t i = 0; i < n; ++i) {
    Node& node = nodes_[i];
    const uint8_t mode = modes.data<uint8_t>()[i];
    if (mode > 6) return info.Error("attribute 'nodes_modes' entry ", i, " is ", int{mode}, "; expected 0..6");
    node.mode = static_cast<NodeMode>(mode);
    if (features[i] < 0) return info.Error("attribute 'nodes_featureids' entry ", i, " is negative");
    node.feature = features[i];
    node.threshold = splits[i];
    node.nan_goes_true = !nan_true.empty() && nan_true[i] != 0;
    ONYX_RETURN_IF_ERROR(child("nodes_truenodeids", true_ids[i], true_leafs[i], i, &node.true_next));
    ONYX_RETURN_IF_ERROR(child("nodes_falsenodeids", false_ids[i], false_leafs[i], i, &node.false_next));
    if (node.mode == NodeMode::kMember) {
      if (next_set >= sets.size()) {
        return info.Error("attribute 'membership_values' has ", sets.size(),
                          " NaN-separated sets, fewer than the BRANCH_MEMBER nodes");
      }
      node.set_begin = sets[next_set].first;
      node.set_end = sets[next_set].second;
      ++next_set;
    }
  }
  for (size_t t = 0; t < roots.size(); ++t) {
    if (roots[t] < 0 || roots[t] >= static_cast<int64_t>(n)) {
      return info.Error("attribute 'tree_roots' entry ", t, " is ", roots[t], "; expected [0, ", n, ")");
    }
    roots_.push_back(static_cast<int32_t>(roots[t]));
  }
  ONYX_RETURN_IF_ERROR(CheckAcyclic(info));
  Finish();
  return Status::Ok();
}

Status TreeEnsembleModel::BuildFromLegacy(const KernelInfo& info, const std::string& prefix, int64_t targets) {
  std::vector<int64_t> tree_ids, node_ids, features, true_ids, false_ids, nan_true;
  std::vector<std::string> modes;
  std::vector<double> values;
  ONYX_RETURN_IF_ERROR(info.GetInts("nodes_treeids", &tree_ids, std::vector<int64_t>{}));
  ONYX_RETURN_IF_ERROR(info.GetInts("nodes_nodeids", &node_ids, std::vector<int64_t>{}));
  ONYX_RETURN_IF_ERROR(info.GetInts("nodes_featureids", &features, std::vector<int64_t>{}));
  ONYX_RETURN_IF_ERROR(info.GetInts("nodes_truenodeids", &true_ids, std::vector<int64_t>{}));
  ONYX_RETURN_IF_ERROR(info.GetInts("nodes_falsenodeids", &false_ids, std::vector<int64_t>{}));
  ONYX_RETURN_IF_ERROR(info.GetInts("nodes_missing_value_tracks_true", &nan_true, std::vector<int64_t>{}));
  ONYX_RETURN_IF_ERROR(info.GetStrings("nodes_modes", &modes, std::vector<std::string>{}));
  ONYX_RETURN_IF_ERROR(ReadDoublesOrTensor(info, "nodes_values", &values));
  const size_t n = tree_ids.size();
  if (n == 0) return info.Error("attribute 'nodes_treeids' is empty: the ensemble has no nodes");
  if (static_cast<int64_t>(n) > kMaxEntries) return info.Error("too many nodes: ", n);
  ONYX_RETURN_IF_ERROR(CheckLength(info, "nodes_nodeids", node_ids.size(), n));
  ONYX_RETURN_IF_ERROR(CheckLength(info, "nodes_featureids", features.size(), n));
  ONYX_RETURN_IF_ERROR(CheckLength(info, "nodes_truenodeids", true_ids.size(), n));
  ONYX_RETURN_IF_ERROR(CheckLength(info, "nodes_falsenodeids", false_ids.size(), n));
  ONYX_RETURN_IF_ERROR(CheckLength(info, "nodes_modes", modes.size(), n));
  if (!values.empty()) ONYX_RETURN_IF_ERROR(CheckLength(info, "nodes_values", values.size(), n));
  if (!nan_true.empty()) ONYX_RETURN_IF_ERROR(CheckLength(info, "nodes_missing_value_tracks_true", nan_true.size(), n));

  // Leaves get their own numbering; interior nodes keep a slot in nodes_ each.
  std::map<std::pair<int64_t, int64_t>, size_t> position;  // (tree id, node id) -> attribute index
  std::vector<int32_t> ref(n);                             // attribute index -> node index or ~leaf
  int32_t interior = 0, leaves = 0;
  for (size_t i = 0; i < n; ++i) {
    if (!position.emplace(std::make_pair(tree_ids[i], node_ids[i]), i).second) {
      return info.Error("attribute 'nodes_nodeids' repeats node ", node_ids[i], " in tree ", tree_ids[i]);
    }
    ref[i] = modes[i] == "LEAF" ? ~leaves++ : interior++;
  }
  nodes_.resize(static_cast<size_t>(interior));
  std::vector<bool> is_child(n, false);
  auto child = [&](const char* name, size_t i, int64_t id, int32_t* out) -> Status {
    auto it = position.find({tree_ids[i], id});
    if (it == position.end()) {
      return info.Error("attribute '", name, "' entry ", i, " names node ", id, ", which tree ", tree_ids[i],
                        " does not have");
    }
    is_child[it->second] = true;
    *out = ref[it->second];
    return Status::Ok();
  };
  static const std::pair<const char*, NodeMode> kModes[] = {
      {"BRANCH_LEQ", NodeMode::kLeq}, {"BRANCH_LT", NodeMode::kLt}, {"BRANCH_GTE", NodeMode::kGte},
      {"BRANCH_GT", NodeMode::kGt},   {"BRANCH_EQ", NodeMode::kEq}, {"BRANCH_NEQ", NodeMode::kNeq}};
  for (size_t i = 0; i < n; ++i) {
    if (ref[i] < 0) continue;
    Node& node = nodes_[static_cast<size_t>(ref[i])];
    const auto* m =
        std::find_if(std::begin(kModes), std::end(kModes), [&](const auto& p) { return modes[i] == p.first; });
    if (m == std::end(kModes))
      return info.Error("attribute 'nodes_modes' entry ", i, " is unknown mode '", modes[i], "'");
    node.mode = m->second;
    if (features[i] < 0) return info.Error("attribute 'nodes_featureids' entry ", i, " is negative");
    node.feature = features[i];
    node.threshold = values.empty() ? 0.0 : values[i];
    node.nan_goes_true = !nan_true.empty() && nan_true[i] != 0;
    ONYX_RETURN_IF_ERROR(child("nodes_truenodeids", i, true_ids[i], &node.true_next));
    ONYX_RETURN_IF_ERROR(child("nodes_falsenodeids", i, false_ids[i], &node.false_next));
  }
  // A tree's root is its first node that no other node points at.
  std::map<int64_t, int32_t> root_of_tree;
  std::vector<int64_t> tree_order;
  for (size_t i = 0; i < n; ++i) {
    if (is_child[i] || root_of_tree.count(tree_ids[i])) continue;
    root_of_tree[tree_ids[i]] = ref[i];
    tree_order.push_back(tree_ids[i]);
  }
  for (size_t i = 0; i < n; ++i) {
    if (!root_of_tree.count(tree_ids[i]))
      return info.Error("tree ", tree_ids[i], " has no root: its nodes form a cycle");
  }
  for (int64_t t : tree_order) roots_.push_back(root_of_tree[t]);

  // The votes at the leaves.
  std::vector<int64_t> w_trees, w_nodes, w_ids;
  std::vector<double> w_values;
  ONYX_RETURN_IF_ERROR(info.GetInts(prefix + "_treeids", &w_trees, std::vector<int64_t>{}));
  ONYX_RETURN_IF_ERROR(info.GetInts(prefix + "_nodeids", &w_nodes, std::vector<int64_t>{}));
  ONYX_RETURN_IF_ERROR(info.GetInts(prefix + "_ids", &w_ids, std::vector<int64_t>{}));
  ONYX_RETURN_IF_ERROR(ReadDoublesOrTensor(info, prefix + "_weights", &w_values));
  const size_t nw = w_trees.size();
  ONYX_RETURN_IF_ERROR(CheckLength(info, prefix + "_nodeids", w_nodes.size(), nw));
  ONYX_RETURN_IF_ERROR(CheckLength(info, prefix + "_ids", w_ids.size(), nw));
  ONYX_RETURN_IF_ERROR(CheckLength(info, prefix + "_weights", w_values.size(), nw));
  if (targets < 0) {
    targets = 0;
    for (int64_t t : w_ids) targets = std::max(targets, t + 1);
  }
  targets_ = targets;
  std::vector<std::vector<LeafWeight>> per_leaf(static_cast<size_t>(leaves));
  for (size_t i = 0; i < nw; ++i) {
    auto it = position.find({w_trees[i], w_nodes[i]});
    if (it == position.end()) {
      return info.Error("attribute '", prefix, "_nodeids' entry ", i, " names node ", w_nodes[i], " of tree ",
                        w_trees[i], ", which does not exist");
    }
    if (ref[it->second] >= 0) {
      return info.Error("attribute '", prefix, "_nodeids' entry ", i, " names node ", w_nodes[i], " of tree ",
                        w_trees[i], ", which is not a LEAF");
    }
    if (w_ids[i] < 0 || w_ids[i] >= targets_) {
      return info.Error("attribute '", prefix, "_ids' entry ", i, " is ", w_ids[i], "; expected [0, ", targets_, ")");
    }
    per_leaf[static_cast<size_t>(~ref[it->second])].push_back({w_ids[i], w_values[i]});
  }
  for (const auto& votes : per_leaf) {
    leaf_offsets_.push_back(leaf_weights_.size());
    leaf_weights_.insert(leaf_weights_.end(), votes.begin(), votes.end());
  }
  leaf_offsets_.push_back(leaf_weights_.size());
  ONYX_RETURN_IF_ERROR(CheckAcyclic(info));
  Finish();
  return Status::Ok();
}

Status TreeEnsembleModel::CheckAcyclic(const KernelInfo& info) const {
  // Iterative depth-first search; a node met again while still on the path closes a cycle.
  enum : uint8_t { kNew, kOnPath, kDone };
  std::vector<uint8_t> state(nodes_.size(), kNew);
  std::vector<std::pair<int32_t, int>> stack;  // node, children visited
  // Every node starts a search, so that a cycle is found even where no root reaches it.
  for (size_t start = 0; start < nodes_.size(); ++start) {
    const auto root = static_cast<int32_t>(start);
    if (state[start] == kDone) continue;
    stack.push_back({root, 0});
    state[static_cast<size_t>(root)] = kOnPath;
    while (!stack.empty()) {
      auto& [node, visited] = stack.back();
      if (visited == 2) {
        state[static_cast<size_t>(node)] = kDone;
        stack.pop_back();
        continue;
      }
      const Node& nd = nodes_[static_cast<size_t>(node)];
      const int32_t next = visited++ == 0 ? nd.true_next : nd.false_next;
      if (next < 0) continue;
      if (state[static_cast<size_t>(next)] == kOnPath) {
        return info.Error("the tree nodes form a cycle through node ", next);
      }
      if (state[static_cast<size_t>(next)] == kNew) {
        state[static_cast<size_t>(next)] = kOnPath;
        stack.push_back({next, 0});
      }
    }
  }
  return Status::Ok();
}

void TreeEnsembleModel::Finish() {
  min_features_ = 0;
  for (const Node& n : nodes_) min_features_ = std::max(min_features_, n.feature + 1);
}

bool TreeEnsembleModel::weights_all_positive() const {
  return std::all_of(leaf_weights_.begin(), leaf_weights_.end(), [](const LeafWeight& w) { return w.weight >= 0; });
}

std::vector<bool> TreeEnsembleModel::used_targets() const {
  std::vector<bool> used(static_cast<size_t>(targets_), false);
  for (const LeafWeight& w : leaf_weights_) used[static_cast<size_t>(w.target)] = true;
  return used;
}

int32_t TreeEnsembleModel::Leaf(size_t tree, const double* row) const {
  int32_t cur = roots_[tree];
  while (cur >= 0) {
    const Node& n = nodes_[static_cast<size_t>(cur)];
    const double v = row[n.feature];
    bool go_true;
    if (std::isnan(v)) {
      go_true = n.nan_goes_true;
    } else {
      switch (n.mode) {
        case NodeMode::kLeq:
          go_true = v <= n.threshold;
          break;
        case NodeMode::kLt:
          go_true = v < n.threshold;
          break;
        case NodeMode::kGte:
          go_true = v >= n.threshold;
          break;
        case NodeMode::kGt:
          go_true = v > n.threshold;
          break;
        case NodeMode::kEq:
          go_true = v == n.threshold;
          break;
        case NodeMode::kNeq:
          go_true = v != n.threshold;
          break;
        case NodeMode::kMember:
          go_true = std::binary_search(members_.begin() + n.set_begin, members_.begin() + n.set_end, v);
          break;
        default:
          go_true = false;
          break;
      }
    }
    cur = go_true ? n.true_next : n.false_next;
  }
  return ~cur;
}

template <typename Acc>
void TreeEnsembleModel::Score(const double* row, Aggregate agg, Acc* out) const {
  const size_t t = static_cast<size_t>(targets_);
  std::fill(out, out + t, Acc(0));
  std::vector<char> seen;
  if (agg == Aggregate::kMin || agg == Aggregate::kMax) seen.assign(t, 0);
  for (size_t tree = 0; tree < roots_.size(); ++tree) {
    for (const LeafWeight& lw : weights(Leaf(tree, row))) {
      Acc& o = out[lw.target];
      const auto w = static_cast<Acc>(lw.weight);
      switch (agg) {
        case Aggregate::kSum:
        case Aggregate::kAverage:
          o += w;
          break;
        case Aggregate::kMin:
        case Aggregate::kMax: {
          char& s = seen[static_cast<size_t>(lw.target)];
          if (!s) {
            o = w;
            s = 1;
          } else {
            o = agg == Aggregate::kMin ? std::min(o, w) : std::max(o, w);
          }
          break;
        }
      }
    }
  }
  if (agg == Aggregate::kAverage && !roots_.empty()) {
    for (size_t i = 0; i < t; ++i) out[i] /= static_cast<Acc>(roots_.size());
  }
}
template void TreeEnsembleModel::Score<float>(const double*, Aggregate, float*) const;
template void TreeEnsembleModel::Score<double>(const double*, Aggregate, double*) const;

}  // namespace onyx::cpu::ml
