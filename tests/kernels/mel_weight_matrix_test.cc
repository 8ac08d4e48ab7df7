// Expected values computed with onnx.reference.ReferenceEvaluator (onnx 1.22) unless noted.
#include <cmath>
#include <string>
#include <vector>

#include "kernels/op_test.h"

namespace onyx::test {
TEST(MelWeightMatrix, Basic) {
  OpTest t("MelWeightMatrix", 17);
  t.AddInput<int64_t>("num_mel_bins", {}, {8});
  t.AddInput<int64_t>("dft_length", {}, {16});
  t.AddInput<int64_t>("sample_rate", {}, {8192});
  t.AddInput<float>("lower_edge_hertz", {}, {0.0f});
  t.AddInput<float>("upper_edge_hertz", {}, {4096.0f});
  t.AddOutput<float>(
      "Y", {9, 8},
      {1.0f, 1.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 1.0f, 1.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f,
       0.0f, 0.0f, 1.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 1.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f,
       0.0f, 0.0f, 1.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 1.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f,
       0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f});
  t.Run();
}
TEST(MelWeightMatrix, NarrowBandDouble) {
  OpTest t("MelWeightMatrix", 17);
  t.AddAttr("output_datatype", int64_t{11});
  t.AddInput<int64_t>("num_mel_bins", {}, {4});
  t.AddInput<int32_t>("dft_length", {}, {31});
  t.AddInput<int64_t>("sample_rate", {}, {16000});
  t.AddInput<float>("lower_edge_hertz", {}, {300.0f});
  t.AddInput<float>("upper_edge_hertz", {}, {6000.0f});
  t.AddOutput<double>("Y", {16, 4}, {0.0, 0.0, 0.0, 0.0,
                                     1.0, 0.0, 0.0, 0.0,
                                     0.0, 1.0, 0.0, 0.0,
                                     0.0, 0.0, 1.0, 0.0,
                                     0.0, 0.0, 0.5, 0.5,
                                     0.0, 0.0, 0.0, 1.0,
                                     0.0, 0.0, 0.0, 0.6666666666666666,
                                     0.0, 0.0, 0.0, 0.3333333333333333,
                                     0.0, 0.0, 0.0, 0.0,
                                     0.0, 0.0, 0.0, 0.0,
                                     0.0, 0.0, 0.0, 0.0,
                                     0.0, 0.0, 0.0, 0.0,
                                     0.0, 0.0, 0.0, 0.0,
                                     0.0, 0.0, 0.0, 0.0,
                                     0.0, 0.0, 0.0, 0.0,
                                     0.0, 0.0, 0.0, 0.0});
  t.Run();
}

TEST(MelWeightMatrix, RejectsInvertedEdges) {
  OpTest t("MelWeightMatrix", 17);
  t.AddInput<int64_t>("num_mel_bins", {}, {4});
  t.AddInput<int64_t>("dft_length", {}, {16});
  t.AddInput<int64_t>("sample_rate", {}, {8000});
  t.AddInput<float>("lower_edge_hertz", {}, {3000});
  t.AddInput<float>("upper_edge_hertz", {}, {100});
  t.AddOutputUnchecked("output");
  t.RunExpectError("lower_edge_hertz");
}

// Fuzz finding (tests/fuzz/regressions/run/mel-weight-matrix-infinite-edges): both edges infinite passed the
// order check, and the NaN mel step was cast to a bin index.
TEST(MelWeightMatrix, RejectsInfiniteEdges) {
  for (float lower : {0.0f, INFINITY}) {
    OpTest t("MelWeightMatrix", 17);
    t.AddInput<int64_t>("num_mel_bins", {}, {4});
    t.AddInput<int64_t>("dft_length", {}, {16});
    t.AddInput<int64_t>("sample_rate", {}, {8000});
    t.AddInput<float>("lower_edge_hertz", {}, {lower});
    t.AddInput<float>("upper_edge_hertz", {}, {INFINITY});
    t.AddOutputUnchecked("output");
    t.RunExpectError("upper_edge_hertz must be finite");
  }
}

}  // namespace onyx::test
