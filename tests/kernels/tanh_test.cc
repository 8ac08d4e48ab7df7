#include <cmath>

#include "kernels/op_test.h"

namespace onyx::test {

TEST(Tanh, Float) {
  OpTest t("Tanh", 13);
  t.AddInput<float>("X", {7}, {-2.5f, -1, -0.5f, 0, 0.300000012f, 1, 2.5f});
  t.AddOutput<float>("Y", {7},
                     {-0.986614287f, -0.761594176f, -0.462117165f, 0, 0.291312635f, 0.761594176f, 0.986614287f});
  t.Run();
}

TEST(Tanh, Double) {
  OpTest u("Tanh", 13);
  u.AddInput<double>("X", {7}, {-2.5, -1, -0.5, 0, 0.30000001192092896, 1, 2.5});
  u.AddOutput<double>("Y", {7},
                      {-0.98661429815143031, -0.76159415595576485, -0.46211715726000974, 0, 0.2913126233608736,
                       0.76159415595576485, 0.98661429815143031});
  u.Run();
}

}  // namespace onyx::test
