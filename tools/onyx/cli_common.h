// Pieces the `onyx` subcommands share: the error type every user mistake is thrown as (main turns it into
// one "onyx: error: ..." line and exit status 2), flag parsing, loading and generating inputs, printing values.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <map>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/status.h"
#include "framework/value.h"
#include "ir/type.h"
#include "session/session.h"

namespace onyx::cli {

inline constexpr const char* kVersion = ONYX_VERSION;  // from CMake: project(onyx VERSION ...)

// A user mistake or an unusable file: reported as one line, exit status 2.
class CliError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

template <typename... Args>
[[noreturn]] void Fail(const Args&... args) {
  throw CliError(MakeString(args...));
}

// Collapses a multi-line message into one line so every report stays one line.
std::string OneLine(const std::string& message);

// Walks a command's arguments. Flags take their value as the next argument or after '=' ("--rtol=1e-3");
// short flags also glued ("-j4"). Everything not starting with '-' is positional; "--" ends the flags.
class ArgReader {
 public:
  ArgReader(std::string command, std::vector<std::string> args)
      : command_(std::move(command)), args_(std::move(args)) {}

  bool done() const { return pos_ >= args_.size(); }
  // True when the next argument is a positional one (consumed into *out).
  bool Positional(std::string* out);
  // True when the next argument is `name` (or one of `names`) taking a value; the value goes to *value.
  bool Flag(std::initializer_list<const char*> names, std::string* value);
  // True when the next argument is the switch `name` (no value).
  bool Switch(std::initializer_list<const char*> names);
  // Called when nothing matched: throws naming the argument.
  [[noreturn]] void Unknown() const;

 private:
  std::string command_;
  std::vector<std::string> args_;
  size_t pos_ = 0;
  bool flags_ended_ = false;
};

int64_t ParseInt(const std::string& what, const std::string& text, int64_t min, int64_t max);
double ParseDouble(const std::string& what, const std::string& text, double min);
// Splits "NAME=VALUE"; throws naming the flag when there is no '=' or the name is empty.
std::pair<std::string, std::string> SplitAssignment(const std::string& flag, const std::string& text);
// "0"/"disabled", "1"/"basic", "2"/"extended", "99"/"all".
OptimizationLevel ParseOptLevel(const std::string& text);
// Checks that an optimizer pass of that name exists; returns it.
std::string CheckPassName(const std::string& name);

// The session flags `onyx run`, `bench` and `test` share: --threads, --inter-op, --opt-level, --disable-pass.
struct SessionFlags {
  int threads = 0;
  int inter_op = -1;  // -1: sequential execution
  OptimizationLevel opt_level = OptimizationLevel::kAll;
  std::string opt_level_text = "all";  // as given, for reports
  std::set<std::string> disabled_passes;

  // The SessionOptions these flags ask for (everything else at its default).
  SessionOptions ToOptions() const;
};
// Consumes one of the session flags into *flags when the reader is at one of them.
bool ReadSessionFlag(ArgReader& reader, SessionFlags* flags);

// Reads an input value from a TensorProto (.pb, or the container the type calls for) or a NumPy .npy file.
Value LoadInputFile(const std::string& path, const ir::Type& type);

// Makes a random value of the given type. Symbolic dims take their value from `dims` (1 when absent), unknown
// dims are 1. Floats are uniform in [0,1), integers small and non-negative, strings "a".
Value RandomValue(const std::string& input_name, const ir::Type& type, const std::map<std::string, int64_t>& dims,
                  std::mt19937_64& rng);

// The inputs of `onyx run` and `onyx bench`: files by input name (--input NAME=FILE) and the values of symbolic dims
// in random inputs (--dim NAME=VALUE).
struct FeedArgs {
  std::vector<std::pair<std::string, std::string>> files;  // name, file
  std::map<std::string, int64_t> dims;
  uint64_t seed = 0;
};
// Consumes --input, --dim or --seed into *feeds when the reader is at one of them.
bool ReadFeedFlag(ArgReader& reader, FeedArgs* feeds);
// Checks the names given against the session, then loads the files and makes random values for the other graph
// inputs (initializers that double as inputs keep their value unless a file is given). With `log`, one line per
// input says where its value came from.
std::vector<std::pair<std::string, Value>> MakeFeeds(const Session& session, const FeedArgs& args, std::ostream* log);
// Fails with one line when `path` does not exist or is a folder.
void CheckModelPath(const std::string& path);

// "tensor(float)" / "seq(tensor(int64))" etc. of a run-time value, and its shape ("[1,1000]") when a tensor.
std::string ValueTypeString(const Value& v);
// The type, shape and first `max_elements` values of a run-time value, e.g.
// "tensor(float) [1,3] 0.1, 0.2, 0.3"; sequences and maps summarized.
std::string DescribeValue(const Value& v, int64_t max_elements);

// A file name made of [A-Za-z0-9._-] only, never empty, "." or "..".
std::string SanitizeFileName(const std::string& name);

// Writes a value as a .pb: TensorProto for tensors, SequenceProto/OptionalProto for containers of tensors.
Status WriteValueFile(const std::string& path, const std::string& name, const Value& v);

}  // namespace onyx::cli
