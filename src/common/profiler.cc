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
  p->file_.reset(std::fopen(path.c_str(), "w"));
  if (!p->file_) {
    return Error(StatusCode::kNoSuchFile, "cannot write the profile file '", path, "': ", std::strerror(errno));
  }
  p->start_ = Clock::now();
  p->start_wall_ns_ =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  return p;
}

std::string Profiler::PathForPrefix(const std::string& prefix) {
  char stamp[48];
#ifdef ONYX_MINIMAL
  // A minimal build stamps UTC, by calendar arithmetic: the local time needs glibc's time-zone code, whose TZ parser
  // brings sscanf and strtold, about 90 KB of a static program (docs/EDGE.md, "Sizes").
  using namespace std::chrono;
  const auto now = floor<seconds>(system_clock::now());
  const auto today = floor<days>(now);
  const year_month_day date{today};
  const hh_mm_ss<seconds> time{now - today};
  std::snprintf(stamp, sizeof(stamp), "%04d-%02u-%02u_%02d-%02d-%02d", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()));
#else
  std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  std::strftime(stamp, sizeof(stamp), "%Y-%m-%d_%H-%M-%S", &local);
#endif
  return prefix + "_" + stamp + ".json";
}

Profiler::~Profiler() {
  if (!active()) return;
  file_.reset();
  std::remove(path_.c_str());
}

const std::string& ProfileEvent::OpType() const {
  static const std::string kNone;
  return node ? node->op_type : kNone;
}

std::string ProfileEvent::ArgsJson() const {
  if (!node) return args;
  std::string out = node->args;
  shapes.AppendJson(&out);
  out += ",\"output_size\":" + std::to_string(output_bytes);
  return out;
}

void ProfileShapes::Add(const char* type, const int64_t* dims, size_t rank, bool is_input) {
  if (packed_.empty()) packed_.push_back(0);
  if (is_input) ++packed_[0];
  packed_.push_back(static_cast<int64_t>(reinterpret_cast<intptr_t>(type)));
  packed_.push_back(static_cast<int64_t>(rank));
  packed_.insert(packed_.end(), dims, dims + rank);
}

void ProfileShapes::AppendJson(std::string* out) const {
  const int64_t inputs = packed_.empty() ? 0 : packed_[0];
  size_t at = 1;
  for (int list = 0; list < 2; ++list) {
    out->append(list == 0 ? ",\"input_type_shape\":[" : ",\"output_type_shape\":[");
    for (int64_t k = 0; at < packed_.size() && (list == 1 || k < inputs); ++k) {
      if (k > 0) out->push_back(',');
      out->push_back('{');
      Profiler::AppendJsonString(out, reinterpret_cast<const char*>(static_cast<intptr_t>(packed_[at])));
      out->append(":[");
      const auto rank = static_cast<size_t>(packed_[at + 1]);
      for (size_t d = 0; d < rank; ++d) {
        if (d > 0) out->push_back(',');
        out->append(std::to_string(packed_[at + 2 + d]));
      }
      out->append("]}");
      at += 2 + rank;
    }
    out->push_back(']');
  }
}

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
  return std::vector<ProfileEvent>(events_.begin(), events_.end());
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
  std::deque<ProfileEvent> events;
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
    AppendJsonString(&line, e.Name());
    line += ",\"ph\":\"X\",\"ts\":";
    AppendMicros(&line, e.start_ns);
    line += ",\"dur\":";
    AppendMicros(&line, e.duration_ns);
    line += MakeString(",\"pid\":", pid, ",\"tid\":", e.tid, ",\"args\":{");
    line += e.ArgsJson();
    line += "}}";
    text += line;
  }
  text += MakeString("\n],\n\"displayTimeUnit\":\"ms\",\n\"otherData\":{\"producer\":\"onyx ", ONYX_VERSION,
                     "\",\"start_time_ns\":", start_wall_ns_, ",\"events\":", events.size(),
                     ",\"dropped_events\":", dropped, "}}\n");
  std::FILE* f = file_.release();
  const bool written = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  if (std::fclose(f) != 0 || !written) return Error(StatusCode::kFail, "cannot write the profile file '", path_, "'");
  return path_;
}

}  // namespace onyx
