// The kernel functions SVMClassifier and SVMRegressor share: LINEAR (x.v), POLY ((gamma x.v + coef0)^degree),
// RBF (exp(-gamma |x - v|^2)) and SIGMOID (tanh(gamma x.v + coef0)), configured by 'kernel_type' and
// 'kernel_params' = [gamma, coef0, degree].
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "framework/op_kernel.h"

namespace onyx::cpu::ml {

enum class SvmKernelType { kLinear, kPoly, kRbf, kSigmoid };

struct SvmKernel {
  SvmKernelType type = SvmKernelType::kLinear;
  double gamma = 0, coef0 = 0, degree = 0;

  Status Read(const KernelInfo& info) {
    std::string name;
    ONYX_RETURN_IF_ERROR(info.GetString("kernel_type", &name, std::string("LINEAR")));
    if (name == "LINEAR") {
      type = SvmKernelType::kLinear;
    } else if (name == "POLY") {
      type = SvmKernelType::kPoly;
    } else if (name == "RBF") {
      type = SvmKernelType::kRbf;
    } else if (name == "SIGMOID") {
      type = SvmKernelType::kSigmoid;
    } else {
      return info.Error("attribute 'kernel_type' is '", name, "'; expected LINEAR, POLY, RBF or SIGMOID");
    }
    std::vector<float> params;
    ONYX_RETURN_IF_ERROR(info.GetFloats("kernel_params", &params, std::vector<float>{}));
    if (!params.empty() && params.size() != 3) {
      return info.Error("attribute 'kernel_params' must hold [gamma, coef0, degree], got ", params.size(), " values");
    }
    if (params.size() == 3) {
      gamma = params[0];
      coef0 = params[1];
      degree = params[2];
    }
    return Status::Ok();
  }

  double operator()(const double* x, const float* v, int64_t f) const {
    double acc = 0;
    if (type == SvmKernelType::kRbf) {
      for (int64_t i = 0; i < f; ++i) {
        const double d = x[i] - v[i];
        acc += d * d;
      }
      return std::exp(-gamma * acc);
    }
    for (int64_t i = 0; i < f; ++i) acc += x[i] * v[i];
    switch (type) {
      case SvmKernelType::kPoly:
        return std::pow(gamma * acc + coef0, degree);
      case SvmKernelType::kSigmoid:
        return std::tanh(gamma * acc + coef0);
      default:
        return acc;
    }
  }
};

}  // namespace onyx::cpu::ml
