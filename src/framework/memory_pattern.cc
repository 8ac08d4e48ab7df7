#include "framework/memory_pattern.h"

#include <algorithm>
#include <new>

namespace onyx {

MemoryPattern::~MemoryPattern() {
  if (arena_ != nullptr) allocator_->Free(arena_);
  for (const Retired& r : retired_) allocator_->Free(r.base);
}

void* MemoryPattern::Next(size_t capacity, uint32_t* request) {
  const size_t index = record_.size();
  void* p = nullptr;
  if (following_ && !plan_.empty()) {
    if (index < plan_.size() && plan_[index].capacity == capacity) {
      const Placement& at = plan_[index];
      if (at.in_arena && !Overlaps(at.offset, capacity)) {
        p = static_cast<char*>(arena_) + at.offset;
        ++arena_hits_;
      }
    } else {
      following_ = false;  // this run asks for something else: the pool serves the rest of it
    }
  }
  if (index >= kMaxRequests) {
    overflow_ = true;
  } else {
    record_.push_back(Request{capacity, tick_++, kNever});
  }
  *request = overflow_ ? kUntracked : static_cast<uint32_t>(index);
  return p;
}

void MemoryPattern::Issued(void* p, uint32_t request, bool arena) {
  // A request past kMaxRequests is never planned nor served from the arena, so it has nothing to record when it
  // comes back; the pool does not call Returned for it (BufferPool::Return). Leaving it out keeps live_ at most
  // kMaxRequests long: a Loop whose iterations keep their buffers would otherwise make every return a search
  // through all of them (quadratic in the iterations).
  if (request == kUntracked && !arena) return;
  live_.push_back(Live{p, request, arena});
}

bool MemoryPattern::Overlaps(size_t offset, size_t capacity) const {
  for (const Live& l : live_) {
    if (!l.arena) continue;
    const Placement& other = plan_[l.request];
    if (other.offset < offset + capacity && offset < other.offset + other.capacity) return true;
  }
  return false;
}

bool MemoryPattern::Returned(void* p) {
  for (size_t i = live_.size(); i-- > 0;) {
    if (live_[i].p != p) continue;
    const Live l = live_[i];
    live_[i] = live_.back();
    live_.pop_back();
    if (l.request != kUntracked && l.request < record_.size()) record_[l.request].return_tick = tick_++;
    return l.arena;
  }
  // Not from this run: a buffer that outlived an earlier one. Arena memory of a retired plan is freed once
  // its last buffer is back; anything else belongs to the pool.
  const char* c = static_cast<const char*>(p);
  for (size_t i = 0; i < retired_.size(); ++i) {
    const char* base = static_cast<const char*>(retired_[i].base);
    if (c < base || c >= base + retired_[i].bytes) continue;
    if (--retired_[i].out == 0) {
      allocator_->Free(retired_[i].base);
      retired_.erase(retired_.begin() + static_cast<std::ptrdiff_t>(i));
    }
    return true;
  }
  return false;
}

void MemoryPattern::EndRun() {
  size_t arena_out = 0;
  for (const Live& l : live_) arena_out += l.arena ? 1 : 0;
  if (arena_out > 0) {
    // Arena bytes that left the run (a planned value became an output): the next run must not write over
    // them, so this arena is set aside until they come back, and the next plan gets a fresh one.
    retired_.push_back(Retired{arena_, arena_bytes_, arena_out});
    arena_ = nullptr;
    arena_bytes_ = 0;
    plan_.clear();
  }
  live_.clear();
  const bool served_whole = following_ && !plan_.empty() && record_.size() == plan_.size();
  if (!served_whole) {
    const uint64_t signature = RecordSignature();
    if (!overflow_ && !record_.empty() && signature == last_signature_) {
      MakePlan();
      missed_runs_ = 0;
    } else if (!plan_.empty() && ++missed_runs_ >= 2) {
      // Shapes have moved on: give the arena back rather than hold memory no run uses.
      allocator_->Free(arena_);
      arena_ = nullptr;
      arena_bytes_ = 0;
      plan_.clear();
    }
    last_signature_ = signature;
  } else {
    missed_runs_ = 0;
  }
  record_.clear();
  tick_ = 0;
  following_ = true;
  overflow_ = false;
}

uint64_t MemoryPattern::RecordSignature() const {
  uint64_t h = 1469598103934665603ull ^ record_.size();
  for (const Request& r : record_) {
    h = (h ^ r.capacity) * 1099511628211ull;
    h = (h ^ (r.return_tick == kNever ? 1u : 0u)) * 1099511628211ull;
  }
  return h;
}

void MemoryPattern::MakePlan() {
  // Largest first, each at the lowest offset where it meets no buffer alive at the same time (first fit over
  // the placed buffers whose lifetimes overlap its own).
  std::vector<uint32_t> order;
  order.reserve(record_.size());
  for (uint32_t i = 0; i < record_.size(); ++i) {
    if (record_[i].return_tick != kNever && record_[i].capacity > 0) order.push_back(i);
  }
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return record_[a].capacity != record_[b].capacity ? record_[a].capacity > record_[b].capacity : a < b;
  });
  std::vector<Placement> plan(record_.size(), Placement{0, 0, false});
  for (size_t i = 0; i < record_.size(); ++i) plan[i].capacity = record_[i].capacity;
  std::vector<uint32_t> placed, conflicts;
  size_t total = 0;
  for (uint32_t i : order) {
    const Request& r = record_[i];
    conflicts.clear();
    for (uint32_t j : placed) {
      const Request& o = record_[j];
      if (o.get_tick < r.return_tick && r.get_tick < o.return_tick) conflicts.push_back(j);
    }
    std::sort(conflicts.begin(), conflicts.end(),
              [&](uint32_t a, uint32_t b) { return plan[a].offset < plan[b].offset; });
    size_t offset = 0;
    for (uint32_t j : conflicts) {
      if (offset + r.capacity <= plan[j].offset) break;
      offset = std::max(offset, plan[j].offset + plan[j].capacity);
    }
    plan[i].offset = offset;
    plan[i].in_arena = true;
    total = std::max(total, offset + r.capacity);
    placed.push_back(i);
  }
  if (total == 0) return;
  // A new arena only when the old one is too small or much too large.
  if (arena_ == nullptr || total > arena_bytes_ || total < arena_bytes_ / 2) {
    if (arena_ != nullptr) allocator_->Free(arena_);
    arena_ = nullptr;
    arena_bytes_ = 0;
    plan_.clear();
    try {
      arena_ = allocator_->Alloc(total);
    } catch (const std::bad_alloc&) {
      return;  // no plan: the pool serves every request, as before
    }
    if (arena_ == nullptr) return;
    arena_bytes_ = total;
  }
  plan_ = std::move(plan);
}

}  // namespace onyx
