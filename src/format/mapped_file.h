// A read-only memory map of a file, shared by every tensor that points into it.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "common/status.h"

namespace onyx::format {

class MappedFile {
 public:
  static Result<std::shared_ptr<MappedFile>> Open(const std::string& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  const char* data() const { return static_cast<const char*>(data_); }
  size_t size() const { return size_; }
  // Gives back the pages wholly inside [begin, end) that this process has read: they leave its resident set, and
  // reading them again maps them afresh from the file (the mapping is private and never written). For a reader
  // that is done with a part of the file, such as the model parser behind its read position.
  void Release(size_t begin, size_t end) const;

 private:
  MappedFile() = default;
  void* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace onyx::format
