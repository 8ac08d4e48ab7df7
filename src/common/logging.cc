#include "common/logging.h"

#include <cstdio>
#include <mutex>

namespace onyx {
namespace {
std::atomic<int> g_level{static_cast<int>(LogLevel::kWarning)};
std::mutex g_log_mutex;
const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kVerbose: return "V";
    case LogLevel::kInfo: return "I";
    case LogLevel::kWarning: return "W";
    case LogLevel::kError: return "E";
    case LogLevel::kFatal: return "F";
  }
  return "?";
}
}  // namespace

void SetLogLevel(LogLevel level) { g_level = static_cast<int>(level); }
LogLevel GetLogLevel() { return static_cast<LogLevel>(g_level.load()); }

void LogMessage(LogLevel level, const std::string& message) {
  std::lock_guard<std::mutex> lock(g_log_mutex);
  std::fprintf(stderr, "[onyx %s] %s\n", LevelName(level), message.c_str());
}

}  // namespace onyx
