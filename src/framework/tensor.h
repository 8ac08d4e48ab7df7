// Tensor: element type, shape and a reference-counted buffer (which views such as Reshape share).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "framework/allocator.h"
#include "framework/data_type.h"

namespace onyx {

using Shape = std::vector<int64_t>;

std::string ShapeToString(std::span<const int64_t> shape);

// A block of memory on one device. The release function gives it back to whoever made it (an allocator,
// a buffer pool, a memory-mapped file, a user's array).
class Buffer {
 public:
  Buffer(void* data, size_t bytes, Device device, std::function<void(void*)> release)
      : data_(data), bytes_(bytes), device_(device), release_(std::move(release)) {}
  ~Buffer() {
    if (release_) release_(data_);
  }
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  void* data() const { return data_; }
  size_t bytes() const { return bytes_; }
  Device device() const { return device_; }

 private:
  void* data_;
  size_t bytes_;
  Device device_;
  std::function<void(void*)> release_;
};

class Tensor {
 public:
  Tensor() = default;
  // Adopts a buffer; the caller guarantees it holds at least StorageBytes(type, count) bytes after offset.
  Tensor(DataType type, Shape shape, std::shared_ptr<Buffer> buffer, size_t offset = 0)
      : type_(type), shape_(std::move(shape)), buffer_(std::move(buffer)), offset_(offset) {}

  // Allocates a zeroed tensor (strings are constructed empty). Fails on negative dims or an absurd size.
  static Result<Tensor> Create(DataType type, Shape shape, Allocator* allocator = nullptr);
  // Wraps memory the caller owns; the caller keeps it alive as long as the tensor.
  static Tensor Wrap(DataType type, Shape shape, void* data, Device device = Device{});

  template <typename T>
  static Tensor FromVector(Shape shape, const std::vector<T>& values);
  template <typename T>
  static Tensor Scalar(T value) { return FromVector<T>({}, {value}); }

  bool defined() const { return type_ != DataType::kUndefined; }
  DataType type() const { return type_; }
  const Shape& shape() const { return shape_; }
  int64_t rank() const { return static_cast<int64_t>(shape_.size()); }
  int64_t dim(int64_t i) const { return shape_[static_cast<size_t>(i)]; }
  int64_t size() const;  // element count
  int64_t bytes() const { return StorageBytes(type_, size()); }
  Device device() const { return buffer_ ? buffer_->device() : Device{}; }

  void* raw() { return buffer_ ? static_cast<char*>(buffer_->data()) + offset_ : nullptr; }
  const void* raw() const { return buffer_ ? static_cast<const char*>(buffer_->data()) + offset_ : nullptr; }
  template <typename T>
  T* data() { return static_cast<T*>(raw()); }
  template <typename T>
  const T* data() const { return static_cast<const T*>(raw()); }
  template <typename T>
  std::span<const T> values() const { return {data<T>(), static_cast<size_t>(size())}; }
  template <typename T>
  std::span<T> mutable_values() { return {data<T>(), static_cast<size_t>(size())}; }

  const std::shared_ptr<Buffer>& buffer() const { return buffer_; }
  size_t offset() const { return offset_; }

  // A tensor that shares this one's memory with another shape of the same element count.
  Tensor Reshaped(Shape shape) const { return Tensor(type_, std::move(shape), buffer_, offset_); }
  // A deep copy on the CPU (strings copied element by element).
  Tensor Clone() const;

  std::string Describe() const;  // "float[1,3,224,224]"

 private:
  DataType type_ = DataType::kUndefined;
  Shape shape_;
  std::shared_ptr<Buffer> buffer_;
  size_t offset_ = 0;
};

template <typename T>
Tensor Tensor::FromVector(Shape shape, const std::vector<T>& values) {
  Tensor t = Create(DataTypeOf<T>::value, std::move(shape)).take();
  T* out = t.data<T>();
  for (size_t i = 0; i < values.size() && static_cast<int64_t>(i) < t.size(); ++i) out[i] = values[i];
  return t;
}
// std::vector<bool> has no element storage; spell bool tensors out element by element.
template <>
inline Tensor Tensor::FromVector<bool>(Shape shape, const std::vector<bool>& values) {
  Tensor t = Create(DataType::kBool, std::move(shape)).take();
  bool* out = t.data<bool>();
  for (size_t i = 0; i < values.size() && static_cast<int64_t>(i) < t.size(); ++i) out[i] = values[i];
  return t;
}

}  // namespace onyx
