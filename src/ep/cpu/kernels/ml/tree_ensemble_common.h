// The tree model shared by TreeEnsemble (opset 5 encoding), TreeEnsembleRegressor and TreeEnsembleClassifier
// (the older (tree id, node id) encoding). Both encodings are turned once, at Init, into one flat form: interior
// nodes that point either at another node or at a leaf, and leaves that carry (target, weight) pairs. Every
// index is checked while building, and the trees are checked to be acyclic, so evaluation trusts them.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "framework/op_kernel.h"

namespace onyx::cpu::ml {

enum class NodeMode : uint8_t { kLeq = 0, kLt = 1, kGte = 2, kGt = 3, kEq = 4, kNeq = 5, kMember = 6 };
enum class Aggregate { kAverage = 0, kSum = 1, kMin = 2, kMax = 3 };

struct LeafWeight {
  int64_t target = 0;
  double weight = 0;
};

class TreeEnsembleModel {
 public:
  // Reads the opset-5 TreeEnsemble attributes (nodes_*, leaf_*, tree_roots, membership_values, n_targets).
  Status BuildFromTreeEnsemble(const KernelInfo& info);
  // Reads the older nodes_* attributes and the per-leaf votes '<prefix>_treeids', '<prefix>_nodeids',
  // '<prefix>_ids', '<prefix>_weights' (or '<prefix>_weights_as_tensor'); prefix is "target" or "class".
  // `targets` is the number of targets or classes (-1: one more than the largest id).
  Status BuildFromLegacy(const KernelInfo& info, const std::string& prefix, int64_t targets);

  int64_t targets() const { return targets_; }
  // One more than the largest feature id the trees read: the input needs at least this many features.
  int64_t min_features() const { return min_features_; }
  size_t tree_count() const { return roots_.size(); }
  // True when every leaf weight is >= 0 (TreeEnsembleClassifier's binary form depends on it).
  bool weights_all_positive() const;
  // Which target ids carry any weight.
  std::vector<bool> used_targets() const;

  // The leaf reached in `tree` by a row of features.
  int32_t Leaf(size_t tree, const double* row) const;
  std::span<const LeafWeight> weights(int32_t leaf) const {
    return {leaf_weights_.data() + leaf_offsets_[static_cast<size_t>(leaf)],
            leaf_weights_.data() + leaf_offsets_[static_cast<size_t>(leaf) + 1]};
  }
  // Aggregates the leaves a row reaches into out[targets()]; targets that no leaf reaches stay 0. Acc is float
  // for float and integer inputs (as other runtimes accumulate, so ties break alike) and double for double.
  template <typename Acc>
  void Score(const double* row, Aggregate agg, Acc* out) const;

 private:
  struct Node {
    double threshold = 0;
    int64_t feature = 0;
    int32_t true_next = 0, false_next = 0;  // >= 0: a node index; < 0: ~leaf index
    uint32_t set_begin = 0, set_end = 0;    // BRANCH_MEMBER: the sorted members in members_
    NodeMode mode = NodeMode::kLeq;
    bool nan_goes_true = false;
  };
  Status CheckAcyclic(const KernelInfo& info) const;
  void Finish();

  std::vector<Node> nodes_;
  std::vector<int32_t> roots_;  // as true_next/false_next
  std::vector<double> members_;
  std::vector<LeafWeight> leaf_weights_;
  std::vector<size_t> leaf_offsets_;  // leaf i's weights are [leaf_offsets_[i], leaf_offsets_[i+1])
  int64_t targets_ = 0;
  int64_t min_features_ = 0;
};

// Reads a list of doubles from '<name>_as_tensor' when present (float or double tensor), else from the FLOATS
// attribute '<name>'.
Status ReadDoublesOrTensor(const KernelInfo& info, const std::string& name, std::vector<double>* out);
// Reads a TENSOR attribute of float, double or float16 values as doubles.
Status ReadTensorAsDoubles(const KernelInfo& info, const std::string& name, std::vector<double>* out);

}  // namespace onyx::cpu::ml
