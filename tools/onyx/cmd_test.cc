// `onyx test`: runs ONNX backend-style test cases (a folder with model.onnx and test_data_set_N/ holding
// input_K.pb and output_K.pb) and compares the outputs. Exit status 0 only when no case failed.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "cli_common.h"
#include "commands.h"
#include "format/tensor_proto.h"
#include "framework/value_compare.h"
#include "session/session.h"

namespace onyx::cli {

const char kTestUsage[] =
    "usage: onyx test PATH... [options]\n"
    "\n"
    "Finds every test case (a folder with model.onnx and test_data_set_*) under each PATH, runs it and compares\n"
    "its outputs with the expected ones. Prints a line for each case that fails, then\n"
    "'N passed, N failed, N skipped'. Exit status: 0 when nothing failed, 1 when a case failed, 2 on misuse.\n"
    "\n"
    "Options:\n"
    "  --filter REGEX        run only cases whose name contains a match of REGEX\n"
    "  --exclude-file FILE   skip cases named in FILE: one name or regex per line (full match), '#' starts a\n"
    "                        comment (the reason)\n"
    "  --rtol X              relative tolerance for floats (default 1e-3)\n"
    "  --atol X              absolute tolerance for floats (default 1e-5)\n"
    "  -j, --jobs N          run N cases at once (default 1)\n"
    "  --threads N           intra-op threads per session (default 1)\n"
    "  --inter-op N          run independent nodes in parallel on N threads (0: one per core; default: in order)\n"
    "  --opt-level L         graph optimization: 0|disabled, 1|basic, 2|extended, 99|all (default all)\n"
    "  --disable-pass NAME   skip one optimizer pass (repeatable)\n"
    "  --timeout S           stop a case's run after S seconds (default 600; 0: no limit)\n"
    "  -v, --verbose         also print passing and skipped cases, with their times\n";

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr double kSlowCaseSeconds = 60;

struct TestArgs {
  std::vector<std::string> paths;
  std::optional<std::regex> filter;
  std::string exclude_file;
  CompareOptions compare;
  int jobs = 1;
  SessionFlags session;  // threads: 1 unless given (ParseTestArgs)
  double timeout_s = 600;
  bool verbose = false;
};

struct ExcludeRule {
  std::regex pattern;
  std::string text, reason;
};

struct TestCase {
  std::string name;
  fs::path dir;
};

struct CaseResult {
  enum class Outcome { kPass, kFail, kError, kSkip } outcome = Outcome::kPass;
  std::string message;
  double seconds = 0;
  bool done = false;
};

std::regex CompileRegex(const std::string& what, const std::string& text) {
  try {
    return std::regex(text, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    Fail(what, ": '", text, "' is not a valid regular expression (", e.what(), ")");
  }
}

TestArgs ParseTestArgs(const std::vector<std::string>& args) {
  TestArgs t;
  t.session.threads = 1;  // cases run side by side with -j: one thread each unless asked
  ArgReader reader("test", args);
  std::string value, positional;
  while (!reader.done()) {
    if (ReadSessionFlag(reader, &t.session)) {
      continue;
    } else if (reader.Flag({"--filter"}, &value)) {
      t.filter = CompileRegex("--filter", value);
    } else if (reader.Flag({"--exclude-file"}, &value)) {
      t.exclude_file = value;
    } else if (reader.Flag({"--rtol"}, &value)) {
      t.compare.rtol = ParseDouble("--rtol", value, 0);
    } else if (reader.Flag({"--atol"}, &value)) {
      t.compare.atol = ParseDouble("--atol", value, 0);
    } else if (reader.Flag({"-j", "--jobs"}, &value)) {
      t.jobs = static_cast<int>(ParseInt("-j", value, 1, 256));
    } else if (reader.Flag({"--timeout"}, &value)) {
      t.timeout_s = ParseDouble("--timeout", value, 0);
    } else if (reader.Switch({"-v", "--verbose"})) {
      t.verbose = true;
    } else if (reader.Positional(&positional)) {
      t.paths.push_back(positional);
    } else {
      reader.Unknown();
    }
  }
  if (t.paths.empty()) Fail("'onyx test' needs at least one PATH (see 'onyx test --help')");
  return t;
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

std::vector<ExcludeRule> ReadExcludeFile(const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) Fail("exclude file '", path, "' does not exist");
  std::ifstream in(path);
  if (!in) Fail("cannot read exclude file '", path, "'");
  std::vector<ExcludeRule> rules;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    size_t hash = line.find('#');
    std::string reason = hash == std::string::npos ? "" : Trim(line.substr(hash + 1));
    std::string text = Trim(line.substr(0, hash));
    if (text.empty()) continue;
    rules.push_back({CompileRegex(path + ":" + std::to_string(number), text), text, reason});
  }
  return rules;
}

bool IsCase(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_regular_file(dir / "model.onnx", ec)) return false;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_directory(ec) && it->path().filename().string().rfind("test_data_set_", 0) == 0) return true;
  }
  return false;
}

void FindCases(const std::string& path, std::vector<TestCase>* out) {
  std::error_code ec;
  fs::path root(path);
  if (!fs::exists(root, ec)) Fail("test path '", path, "' does not exist");
  // A case's model.onnx stands for its case.
  if (fs::is_regular_file(root, ec) && root.filename() == "model.onnx") root = root.parent_path();
  if (!fs::is_directory(root, ec)) Fail("test path '", path, "' is not a folder");
  size_t before = out->size();
  if (IsCase(root)) {
    // "case/" and "case/." name the same folder as "case".
    fs::path normal = fs::absolute(root).lexically_normal();
    if (!normal.has_filename()) normal = normal.parent_path();
    out->push_back({normal.filename().string(), root});
    return;
  }
  auto options = fs::directory_options::skip_permission_denied | fs::directory_options::follow_directory_symlink;
  fs::recursive_directory_iterator it(root, options, ec), end;
  if (ec) Fail("cannot read '", path, "': ", ec.message());
  for (; it != end; it.increment(ec)) {
    if (!it->is_directory(ec)) continue;
    // Symlinks are followed, so a link cycle must not send the walk around forever.
    if (it.depth() > 32) {
      it.disable_recursion_pending();
      continue;
    }
    if (IsCase(it->path())) {
      out->push_back({it->path().filename().string(), it->path()});
      it.disable_recursion_pending();  // Data-set folders are not cases.
    }
  }
  if (ec) Fail("cannot read '", path, "': ", ec.message());
  if (out->size() == before) Fail("no test cases (folders with model.onnx and test_data_set_*) under '", path, "'");
}

// Orders names like "input_10" after "input_9".
int64_t NumericSuffix(const std::string& name) {
  size_t end = name.find_last_of("0123456789");
  if (end == std::string::npos) return -1;
  size_t begin = end;
  while (begin > 0 && std::isdigit(static_cast<unsigned char>(name[begin - 1]))) --begin;
  if (end - begin > 15) return -1;
  return std::stoll(name.substr(begin, end - begin + 1));
}

std::vector<fs::path> ListSorted(const fs::path& dir, const std::string& prefix, bool directories,
                                 const std::string& extension = "") {
  std::vector<fs::path> found;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    if (directories != it->is_directory(ec)) continue;
    if (!extension.empty() && it->path().extension() != extension) continue;
    found.push_back(it->path());
  }
  std::sort(found.begin(), found.end(), [](const fs::path& a, const fs::path& b) {
    int64_t na = NumericSuffix(a.stem().string()), nb = NumericSuffix(b.stem().string());
    return na != nb ? na < nb : a < b;
  });
  return found;
}

// Stops runs that go past the time limit through RunOptions::terminate; one thread watches all workers.
class Watchdog {
 public:
  Watchdog(size_t workers, double limit_s) : slots_(workers), limit_s_(limit_s) {
    if (limit_s_ > 0) thread_ = std::thread([this] { Loop(); });
  }
  ~Watchdog() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  std::atomic<bool>* Begin(size_t worker) {
    std::lock_guard<std::mutex> lock(mutex_);
    Slot& s = slots_[worker];
    s.flag.store(false);
    s.active = true;
    s.start = Clock::now();
    return &s.flag;
  }
  // True when the run was stopped for taking too long.
  bool End(size_t worker) {
    std::lock_guard<std::mutex> lock(mutex_);
    slots_[worker].active = false;
    return slots_[worker].flag.load();
  }

 private:
  struct Slot {
    std::atomic<bool> flag{false};
    bool active = false;
    Clock::time_point start;
  };
  void Loop() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stop_) {
      cv_.wait_for(lock, std::chrono::milliseconds(200));
      auto now = Clock::now();
      for (Slot& s : slots_) {
        if (s.active && std::chrono::duration<double>(now - s.start).count() > limit_s_) s.flag.store(true);
      }
    }
  }

  std::vector<Slot> slots_;
  double limit_s_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

// Returns an empty string when the case passes, else the reason; *error tells a failure from an error.
std::string RunCase(const TestCase& c, const TestArgs& args, Watchdog& watchdog, size_t worker, bool* error) {
  *error = true;
  SessionOptions options = args.session.ToOptions();
  auto created = Session::Create((c.dir / "model.onnx").string(), options);
  if (!created.ok()) return "cannot create session: " + created.status().message();
  std::unique_ptr<Session> session = created.take();

  std::vector<IoInfo> targets = session->inputs();
  for (const IoInfo& i : session->overridable_initializers()) targets.push_back(i);
  const std::vector<IoInfo>& outputs = session->outputs();

  std::vector<fs::path> data_sets = ListSorted(c.dir, "test_data_set_", true);
  for (const fs::path& ds : data_sets) {
    std::string where = "data set " + ds.filename().string().substr(std::string("test_data_set_").size());
    std::vector<fs::path> input_files = ListSorted(ds, "input_", false, ".pb");
    std::vector<fs::path> output_files = ListSorted(ds, "output_", false, ".pb");
    if (input_files.size() > targets.size()) {
      return MakeString(where, ": ", input_files.size(), " input files but the model has ", targets.size(), " inputs");
    }
    if (output_files.size() > outputs.size()) {
      return MakeString(where, ": ", output_files.size(), " output files but the model has ", outputs.size(),
                        " outputs");
    }
    std::vector<std::pair<std::string, Value>> feeds;
    for (size_t k = 0; k < input_files.size(); ++k) {
      auto v = format::ReadValueFile(input_files[k].string(), targets[k].type);
      if (!v.ok())
        return MakeString(where, ": cannot read ", input_files[k].filename().string(), ": ", v.status().message());
      feeds.emplace_back(targets[k].name, v.take());
    }
    std::vector<Value> actual;
    RunOptions run_options;
    run_options.terminate = watchdog.Begin(worker);
    Status s = session->Run(feeds, {}, &actual, run_options);
    bool timed_out = watchdog.End(worker);
    if (timed_out) return MakeString(where, ": stopped after the time limit of ", args.timeout_s, " s");
    if (!s.ok()) return where + ": " + s.message();
    if (actual.size() != outputs.size()) {
      return MakeString(where, ": the run returned ", actual.size(), " outputs, the model has ", outputs.size());
    }
    for (size_t k = 0; k < output_files.size(); ++k) {
      auto expected = format::ReadValueFile(output_files[k].string(), outputs[k].type);
      if (!expected.ok()) {
        return MakeString(where, ": cannot read ", output_files[k].filename().string(), ": ",
                          expected.status().message());
      }
      std::string diff = CompareValues(expected.value(), actual[k], args.compare);
      if (!diff.empty()) {
        *error = false;
        return MakeString(where, ", output '", outputs[k].name, "': ", diff);
      }
    }
  }
  return "";
}

std::string FormatSeconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), s < 1 ? "%.0f ms" : "%.2f s", s < 1 ? s * 1000 : s);
  return buf;
}

}  // namespace

int TestCommand(const std::vector<std::string>& argv) {
  TestArgs args = ParseTestArgs(argv);
  std::vector<ExcludeRule> rules;
  if (!args.exclude_file.empty()) rules = ReadExcludeFile(args.exclude_file);

  std::vector<TestCase> found;
  for (const std::string& p : args.paths) FindCases(p, &found);
  std::sort(found.begin(), found.end(),
            [](const TestCase& a, const TestCase& b) { return a.name != b.name ? a.name < b.name : a.dir < b.dir; });
  found.erase(std::unique(found.begin(), found.end(),
                          [](const TestCase& a, const TestCase& b) {
                            std::error_code ec;
                            return fs::equivalent(a.dir, b.dir, ec);
                          }),
              found.end());

  std::vector<TestCase> cases;
  for (TestCase& c : found) {
    if (!args.filter || std::regex_search(c.name, *args.filter)) cases.push_back(std::move(c));
  }

  std::vector<CaseResult> results(cases.size());
  std::mutex mutex;
  size_t next_to_print = 0;
  int passed = 0, failed = 0, skipped = 0;

  // Results are printed in case order as soon as every earlier case is done, so output does not depend on -j.
  auto publish = [&](size_t index, CaseResult r) {
    std::lock_guard<std::mutex> lock(mutex);
    r.done = true;
    results[index] = std::move(r);
    while (next_to_print < results.size() && results[next_to_print].done) {
      const CaseResult& p = results[next_to_print];
      const std::string& name = cases[next_to_print].name;
      switch (p.outcome) {
        case CaseResult::Outcome::kPass:
          ++passed;
          if (args.verbose) std::cout << name << " PASS (" << FormatSeconds(p.seconds) << ")\n";
          break;
        case CaseResult::Outcome::kSkip:
          ++skipped;
          if (args.verbose) std::cout << name << " SKIP: " << p.message << "\n";
          break;
        case CaseResult::Outcome::kFail:
        case CaseResult::Outcome::kError:
          ++failed;
          std::cout << name << (p.outcome == CaseResult::Outcome::kFail ? " FAIL: " : " ERROR: ") << OneLine(p.message)
                    << "\n";
          break;
      }
      if (p.seconds > kSlowCaseSeconds) {
        std::cout << name << " warning: took " << FormatSeconds(p.seconds) << "\n";
      }
      std::cout.flush();
      ++next_to_print;
    }
  };

  Watchdog watchdog(static_cast<size_t>(args.jobs), args.timeout_s);
  std::atomic<size_t> next_case{0};
  auto worker = [&](size_t worker_index) {
    for (size_t i = next_case++; i < cases.size(); i = next_case++) {
      const TestCase& c = cases[i];
      CaseResult r;
      auto rule = std::find_if(rules.begin(), rules.end(),
                               [&](const ExcludeRule& e) { return std::regex_match(c.name, e.pattern); });
      if (rule != rules.end()) {
        r.outcome = CaseResult::Outcome::kSkip;
        r.message = "excluded by '" + rule->text + "'" + (rule->reason.empty() ? "" : ": " + rule->reason);
        publish(i, std::move(r));
        continue;
      }
      auto start = Clock::now();
      try {
        bool is_error = false;
        r.message = RunCase(c, args, watchdog, worker_index, &is_error);
        if (!r.message.empty()) r.outcome = is_error ? CaseResult::Outcome::kError : CaseResult::Outcome::kFail;
      } catch (const std::bad_alloc&) {
        r.outcome = CaseResult::Outcome::kError;
        r.message = "out of memory";
      } catch (const std::exception& e) {
        r.outcome = CaseResult::Outcome::kError;
        r.message = std::string("exception: ") + e.what();
      } catch (...) {
        r.outcome = CaseResult::Outcome::kError;
        r.message = "unknown exception";
      }
      r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
      publish(i, std::move(r));
    }
  };

  size_t jobs = std::min<size_t>(static_cast<size_t>(args.jobs), std::max<size_t>(cases.size(), 1));
  std::vector<std::thread> threads;
  for (size_t j = 1; j < jobs; ++j) threads.emplace_back(worker, j);
  worker(0);
  for (std::thread& t : threads) t.join();

  std::cout << passed << " passed, " << failed << " failed, " << skipped << " skipped" << std::endl;
  return failed == 0 ? 0 : 1;
}

}  // namespace onyx::cli
