#include "framework/tensor.h"

#include <cstring>
#include <new>

#include "common/checked_math.h"
#include "framework/cpu_allocator_blocks.h"

namespace onyx {

std::string ShapeToString(std::span<const int64_t> shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ",";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

int64_t Tensor::size() const {
  int64_t n = 1;
  for (int64_t d : shape_) n *= d;
  return n;
}

Result<Tensor> Tensor::Create(DataType type, Shape shape, Allocator* allocator) {
  if (type == DataType::kUndefined) return InvalidArgument("cannot create a tensor of undefined type");
  int64_t count = 0;
  if (!CheckedElementCount(shape, &count)) {
    return InvalidArgument("invalid tensor shape ", ShapeToString(shape), ": negative dim or size overflow");
  }
  int64_t bytes = 0;
  int64_t width = type == DataType::kString ? static_cast<int64_t>(sizeof(std::string)) : DataTypeBits(type);
  int64_t product = 0;
  if (!CheckedMul(count, width, &product)) {
    return InvalidArgument("tensor ", DataTypeName(type), ShapeToString(shape), " is too large");
  }
  bytes = type == DataType::kString ? product : (product + 7) / 8;
  if (bytes > kMaxTensorBytes) {
    return InvalidArgument("tensor ", DataTypeName(type), ShapeToString(shape), " needs ", bytes,
                           " bytes, over the limit of ", kMaxTensorBytes);
  }
  std::shared_ptr<Allocator> cpu;
  if (allocator == nullptr) {
    cpu = CpuAllocator::Instance();
    allocator = cpu.get();
  }
  void* p = nullptr;
  try {
    p = allocator->Alloc(static_cast<size_t>(bytes));
  } catch (const std::bad_alloc&) {
    return Error(StatusCode::kFail, "out of memory allocating ", bytes, " bytes for tensor ", DataTypeName(type),
                 ShapeToString(shape));
  }
  std::function<void(void*)> release;
  if (type == DataType::kString) {
    auto* strings = static_cast<std::string*>(p);
    for (int64_t i = 0; i < count; ++i) new (strings + i) std::string();
    release = [count, allocator, keep = cpu](void* q) {
      auto* s = static_cast<std::string*>(q);
      for (int64_t i = 0; i < count; ++i) s[i].~basic_string();
      allocator->Free(q);
    };
  } else {
    const bool zero_filled = dynamic_cast<const CpuAllocator*>(allocator) && CpuBlockIsZeroFilled(p);
    if (allocator->device().kind == DeviceKind::kCpu && !zero_filled) std::memset(p, 0, static_cast<size_t>(bytes));
    release = [allocator, keep = cpu](void* q) { allocator->Free(q); };
  }
  auto buffer = std::make_shared<Buffer>(p, static_cast<size_t>(bytes), allocator->device(), std::move(release));
  return Tensor(type, std::move(shape), std::move(buffer));
}

Tensor Tensor::Wrap(DataType type, Shape shape, void* data, Device device) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  auto buffer = std::make_shared<Buffer>(data, static_cast<size_t>(StorageBytes(type, n)), device, nullptr);
  return Tensor(type, std::move(shape), std::move(buffer));
}

Tensor Tensor::Clone() const {
  if (!defined()) return {};
  Tensor out = Create(type_, shape_).take();
  if (type_ == DataType::kString) {
    const auto* src = data<std::string>();
    auto* dst = out.data<std::string>();
    for (int64_t i = 0; i < size(); ++i) dst[i] = src[i];
  } else if (bytes() > 0) {
    std::memcpy(out.raw(), raw(), static_cast<size_t>(bytes()));
  }
  return out;
}

std::string Tensor::Describe() const { return std::string(DataTypeName(type_)) + ShapeToString(shape_); }

}  // namespace onyx
