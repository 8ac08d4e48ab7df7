#include "common/profiler.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>

#include "common/logging.h"

#ifndef ONYX_VERSION
#define ONYX_VERSION "unknown"
#endif

namespace onyx {

Result<std::unique_ptr<Profiler>> Profiler::Start(const std::string& path) {
  if (path.empty()) return InvalidArgument("the profile file name is empty");
  std::unique_ptr<Profiler> p(new Profiler());
  p->path_ = path;
  p->file_.open(path, std::ios::out | std::ios::trunc);
  if (!p->file_) {
    return Error(StatusCode::kNoSuchFile, "cannot write the profile file '", path, "': ", std::strerror(errno));
  }
  p->start_ = Clock::now();
  p->start_wall_ns_ =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  return p;
}

std::string Profiler::PathForPrefix(const std::string& prefix) {
  std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char stamp[32];
  std::strftime(stamp, sizeof(stamp), "%Y-%m-%d_%H-%M-%S", &local);
  return prefix + "_" + stamp + ".json";
}

Profiler::~Profiler() = default;

int Profiler::ThreadId() {
  static std::atomic<int> next{1};
  thread_local int id = next.fetch_add(1, std::memory_order_relaxed);
  return id;
}

void Profiler::Record(ProfileEvent event) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!active_.load(std::memory_order_relaxed)) return;
  if (events_.size() >= kMaxEvents) {
    if (dropped_++ == 0) Log(LogLevel::kWarning, "profiler: more than ", kMaxEvents, " events; dropping the rest");
    return;
  }
  events_.push_back(std::move(event));
}

void Profiler::RecordSpan(std::string name, Clock::time_point begin, std::string args) {
  ProfileEvent e;
  e.category = ProfileEvent::Category::kSession;
  e.name = std::move(name);
  e.start_ns = NsSinceStart(begin);
  e.duration_ns = NsSinceStart(Clock::now()) - e.start_ns;
  e.tid = ThreadId();
  e.args = std::move(args);
  Record(std::move(e));
}

std::vector<ProfileEvent> Profiler::Events() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return events_;
}

size_t Profiler::dropped() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return dropped_;
}

void Profiler::AppendJsonString(std::string* out, std::string_view s) {
  out->push_back('"');
  for (char c : s) {
    switch (c) {
      case '"':
        *out += "\\\"";
        break;
      case '\\':
        *out += "\\\\";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\r':
        *out += "\\r";
        break;
      case '\t':
        *out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
          *out += buf;
        } else {
          // Bytes of UTF-8 pass through; names from a model are not checked for valid UTF-8, which JSON readers
          // then replace or refuse, as they would in onnxruntime's traces.
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

namespace {

// Microseconds with nanosecond resolution: short kernels would all read 0 in whole microseconds.
void AppendMicros(std::string* out, int64_t ns) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%lld.%03lld", static_cast<long long>(ns / 1000), static_cast<long long>(ns % 1000));
  *out += buf;
}

}  // namespace

Result<std::string> Profiler::End() {
  std::vector<ProfileEvent> events;
  size_t dropped = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!active_.load(std::memory_order_relaxed)) return std::string();
    active_.store(false, std::memory_order_release);
    events.swap(events_);
    dropped = dropped_;
  }
  const long pid = static_cast<long>(getpid());
  std::string text = "{\"traceEvents\":[\n";
  text +=
      MakeString("{\"ph\":\"M\",\"pid\":", pid, ",\"tid\":0,\"name\":\"process_name\",\"args\":{\"name\":\"onyx\"}}");
  std::string line;
  for (const ProfileEvent& e : events) {
    line.clear();
    line += ",\n{\"cat\":";
    line += e.category == ProfileEvent::Category::kNode ? "\"Node\"" : "\"Session\"";
    line += ",\"name\":";
    AppendJsonString(&line, e.name);
    line += ",\"ph\":\"X\",\"ts\":";
    AppendMicros(&line, e.start_ns);
    line += ",\"dur\":";
    AppendMicros(&line, e.duration_ns);
    line += MakeString(",\"pid\":", pid, ",\"tid\":", e.tid, ",\"args\":{");
    line += e.args;
    line += "}}";
    text += line;
  }
  text += MakeString("\n],\n\"displayTimeUnit\":\"ms\",\n\"otherData\":{\"producer\":\"onyx ", ONYX_VERSION,
                     "\",\"start_time_ns\":", start_wall_ns_, ",\"events\":", events.size(),
                     ",\"dropped_events\":", dropped, "}}\n");
  file_ << text;
  file_.close();
  if (file_.fail()) return Error(StatusCode::kFail, "cannot write the profile file '", path_, "'");
  return path_;
}

}  // namespace onyx
