// A memory plan for runs that repeat: the sizes and lifetimes of the buffers one run asks for are recorded, and
// once two runs in a row have asked for the same sizes in the same order, each request gets a fixed offset in
// one arena, laid out so that buffers alive at the same time never share bytes (what onnxruntime calls a
// memory pattern). Later runs with the same shapes then take every intermediate from the arena: no search, no
// allocator call, and a peak close to the largest set of bytes alive at once.
//
// The plan is only a guess about the next run, so every use is checked: a request whose size differs from the
// plan's ends following for the rest of that run, a request whose planned bytes are still held by another
// buffer (runs whose order varies: parallel execution, If branches) goes to the pool instead, and an arena that
// still has buffers out when a run ends (a value that became a graph output) is retired, not reused, until
// they come back. Buffers that outlived the recorded run (graph outputs) are never planned.
//
// Not thread-safe: the owning BufferPool calls it under its lock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "framework/allocator.h"

namespace onyx {

class MemoryPattern {
 public:
  explicit MemoryPattern(Allocator* allocator) : allocator_(allocator) {}
  ~MemoryPattern();
  MemoryPattern(const MemoryPattern&) = delete;
  MemoryPattern& operator=(const MemoryPattern&) = delete;

  // The run's next request of `capacity` bytes (a multiple of 64): its place in the arena, or null when the
  // pool must serve it. Either way the pool then calls Issued with the address it hands out, and Returned
  // when that buffer comes back.
  void* Next(size_t capacity, uint32_t* request);
  void Issued(void* p, uint32_t request, bool arena);
  // Records that the buffer at `p` came back; true when `p` was arena memory (the pool must not keep it).
  bool Returned(void* p);
  // End of a run: makes a plan when this run asked for what the previous one did and no plan served it whole.
  void EndRun();

  size_t arena_bytes() const { return arena_bytes_; }
  // Requests served from the arena since the pattern was made (for tests and statistics).
  size_t arena_hits() const { return arena_hits_; }

  // Recorded runs with more requests than this, or plans that would take longer to lay out, are not planned.
  static constexpr size_t kMaxRequests = 8192;
  static constexpr uint32_t kUntracked = UINT32_MAX;

 private:
  struct Request {
    size_t capacity;
    uint64_t get_tick;
    uint64_t return_tick;  // kNever: still out when the run ended
  };
  struct Placement {
    size_t capacity;
    size_t offset;
    bool in_arena;
  };
  struct Live {
    void* p;
    uint32_t request;  // index in record_
    bool arena;
  };
  struct Retired {
    void* base;
    size_t bytes;
    size_t out;  // buffers still held
  };
  static constexpr uint64_t kNever = UINT64_MAX;

  void MakePlan();
  uint64_t RecordSignature() const;
  bool Overlaps(size_t offset, size_t capacity) const;

  Allocator* allocator_;
  // This run.
  std::vector<Request> record_;
  std::vector<Live> live_;
  uint64_t tick_ = 0;
  bool following_ = true;  // every request so far matched the plan
  bool overflow_ = false;  // more requests than kMaxRequests
  // The plan and its arena.
  std::vector<Placement> plan_;
  void* arena_ = nullptr;
  size_t arena_bytes_ = 0;
  std::vector<Retired> retired_;
  uint64_t last_signature_ = 0;
  int missed_runs_ = 0;  // runs in a row the plan did not serve whole
  size_t arena_hits_ = 0;
};

}  // namespace onyx
