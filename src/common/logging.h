// Minimal leveled logging to stderr; the session's log level filters it.
#pragma once

#include <atomic>
#include <string>

#include "common/status.h"

namespace onyx {

enum class LogLevel : int { kVerbose = 0, kInfo = 1, kWarning = 2, kError = 3, kFatal = 4 };

void SetLogLevel(LogLevel level);
LogLevel GetLogLevel();
void LogMessage(LogLevel level, const std::string& message);

template <typename... Args>
void Log(LogLevel level, const Args&... args) {
  if (level >= GetLogLevel()) LogMessage(level, MakeString(args...));
}

}  // namespace onyx
