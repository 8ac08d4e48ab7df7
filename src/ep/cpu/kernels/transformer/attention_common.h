// What Attention's float path (attention.cc) and its plain reference (attention_reference.cc) share.
#pragma once

#include <cstdint>

#include "framework/op_kernel.h"

namespace onyx::cpu {

struct AttentionAttrs {
  int64_t is_causal = 0;
  int64_t q_num_heads = 0;
  int64_t kv_num_heads = 0;
  int64_t qk_mode = 0;
  float scale = 0.0f;  // 0: 1 / sqrt(head size)
  float softcap = 0.0f;
};

// Computes every output of Attention in double (the reference; any floating-point input type).
Status AttentionReference(KernelContext& ctx, const AttentionAttrs& attrs);

}  // namespace onyx::cpu
