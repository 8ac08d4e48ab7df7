// Fuzz target `run`: a valid model from the ONNX backend suite (node/, simple/, pytorch-operator/) run on inputs
// made from the fuzzer's bytes: the suite's own inputs with other values, other shapes (empty ones included),
// other element types, NaN/Inf/denormals and out-of-range indices. A run may fail (with a Status); it may not
// crash, hang, leak or trip a sanitizer.
//
// Input layout (all of it optional: missing bytes read as zero):
//   <case name>\n   the suite folder's name ("test_gather_0"); a name that is not a case picks one by its hash,
//                   so mutated names still land somewhere and a saved input replays the same case
//   flags           bit 0: parallel execution mode; bit 1: optimization disabled (else all)
//   then per graph input: op, and the bytes its choices and values take (see MutateInput)
//
// A Loop whose trip count comes from an input may legally be asked to run 2^62 times: a watchdog asks every run
// to stop (RunOptions::terminate) once it has taken 2 s, so only what cannot be stopped (a kernel that never
// returns) is left for libFuzzer's -timeout to report.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "format/tensor_proto.h"
#include "fuzz_common.h"

namespace onyx::fuzz {
namespace {

namespace fs = std::filesystem;

struct Case {
  std::string dir;
  std::unique_ptr<Session> sessions[4];  // by flags & 3, made on first use
  bool tried[4] = {};
  std::vector<Value> inputs;  // test_data_set_0, in graph-input order
  bool inputs_read = false;
};

// Every case folder with a model and a first data set, sorted by name, found once.
std::map<std::string, Case>& Cases() {
  static std::map<std::string, Case> cases = [] {
    std::map<std::string, Case> out;
    for (const char* suite : {"node", "simple", "pytorch-operator"}) {
      std::error_code ec;
      fs::path root = fs::path(OnnxTestsDir()) / suite;
      for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
        if (fs::exists(it->path() / "model.onnx") && fs::exists(it->path() / "test_data_set_0")) {
          out[it->path().filename().string()].dir = it->path().string();
        }
      }
    }
    return out;
  }();
  return cases;
}

constexpr DataType kTypes[] = {DataType::kFloat,  DataType::kDouble, DataType::kFloat16, DataType::kBFloat16,
                               DataType::kInt8,   DataType::kUint8,  DataType::kInt16,   DataType::kUint16,
                               DataType::kInt32,  DataType::kUint32, DataType::kInt64,   DataType::kUint64,
                               DataType::kBool,   DataType::kString, DataType::kInt4,    DataType::kUint4,
                               DataType::kFloat8E4M3FN, DataType::kComplex64};

// Fills a tensor's bytes: raw fuzz bytes, or a pattern of floating-point specials for float tensors.
void FillValues(Tensor& t, ByteReader& r, uint8_t how) {
  const int64_t n = t.size();
  if (t.type() == DataType::kString) {
    auto* s = t.data<std::string>();
    for (int64_t i = 0; i < n; ++i) s[i] = std::string(r.Take(r.Byte() % 8));
    return;
  }
  const int64_t bytes = StorageBytes(t.type(), n);
  auto* p = static_cast<uint8_t*>(t.raw());
  if (bytes <= 0 || p == nullptr) return;
  if (how == 0) return;  // keep what is there (the suite's values, or zeros)
  for (int64_t i = 0; i < bytes; ++i) p[i] = r.Byte();
  if (how >= 2 && (t.type() == DataType::kFloat || t.type() == DataType::kDouble)) {
    static constexpr double kSpecials[] = {std::numeric_limits<double>::quiet_NaN(),
                                           std::numeric_limits<double>::infinity(),
                                           -std::numeric_limits<double>::infinity(),
                                           0.0,
                                           -0.0,
                                           1e-40,
                                           3.4e38,
                                           -1.0,
                                           1e300};
    for (int64_t i = 0; i < n; ++i) {
      uint8_t b = r.Byte();
      if (how == 3 && (b & 1) == 0) continue;  // sprinkle: only some elements become specials
      double v = kSpecials[(b >> 1) % std::size(kSpecials)];
      if (t.type() == DataType::kFloat) {
        t.data<float>()[i] = static_cast<float>(v);
      } else {
        t.data<double>()[i] = v;
      }
    }
  }
}

// One graph input from the suite's value and the fuzzer's choices. op bits 0-1: what changes (nothing, the
// whole shape, one dim, the element type); bits 2-3: how values are written (kept, raw bytes, specials,
// raw bytes with some specials).
Value MutateInput(const Value& base, ByteReader& r) {
  if (!base.is_tensor()) return base;  // sequences, optionals and maps go in as the suite has them
  const Tensor& bt = base.tensor();
  uint8_t op = r.Byte();
  DataType type = bt.type();
  Shape shape = bt.shape();
  switch (op & 3) {
    case 1: {
      shape.assign(r.Byte() % 5, 0);
      for (auto& d : shape) d = r.Byte() % 6;  // 0: an empty tensor
      break;
    }
    case 2:
      if (shape.empty()) {
        shape.push_back(r.Byte() % 4);
      } else {
        shape[r.Byte() % shape.size()] = r.Byte() % 8;
      }
      break;
    case 3:
      type = kTypes[r.Byte() % std::size(kTypes)];
      break;
    default:
      break;
  }
  int64_t count = 1;
  for (int64_t d : shape) count *= d;
  if (count > (1 << 16)) return base;  // a 1-MB-ish cap keeps runs short; large inputs are the soak's job
  uint8_t how = (op >> 2) & 3;
  if (type == bt.type() && shape == bt.shape()) {
    Tensor t = Tensor::Create(type, shape).take();
    if (type == DataType::kString) {
      std::copy_n(bt.data<std::string>(), count, t.data<std::string>());
    } else if (int64_t bytes = StorageBytes(type, count); bytes > 0) {
      std::memcpy(t.raw(), bt.raw(), static_cast<size_t>(bytes));
    }
    FillValues(t, r, how);
    return Value(std::move(t));
  }
  auto created = Tensor::Create(type, shape);
  if (!created.ok()) return base;
  Tensor t = created.take();
  if (type != DataType::kString && StorageBytes(type, count) > 0) {
    std::memset(t.raw(), 0, static_cast<size_t>(StorageBytes(type, count)));
  }
  FillValues(t, r, how == 0 ? 1 : how);
  return Value(std::move(t));
}

// The watchdog's state: when the current run started (0: none running) and the flag it sets.
std::atomic<int64_t> run_started_ms{0};
std::atomic<bool> terminate_run{false};

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void StartWatchdog() {
  static const bool started = [] {
    std::thread([] {
      for (;;) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        int64_t t = run_started_ms.load();
        if (t != 0 && NowMs() - t > 2000) terminate_run.store(true);
      }
    }).detach();
    return true;
  }();
  (void)started;
}

Session* SessionFor(Case& c, int variant) {
  if (!c.tried[variant]) {
    c.tried[variant] = true;
    SessionOptions o = FuzzSessionOptions();
    if (variant & 1) {
      o.execution_mode = ExecutionMode::kParallel;
      o.inter_op_threads = 2;
    }
    o.optimization_level = (variant & 2) ? OptimizationLevel::kDisabled : OptimizationLevel::kAll;
    auto s = Session::Create(c.dir + "/model.onnx", o);
    if (s.ok()) c.sessions[variant] = s.take();
  }
  return c.sessions[variant].get();
}

}  // namespace

int FuzzRun(const uint8_t* data, size_t size) {
  InitOnce();
  auto& cases = Cases();
  if (cases.empty()) return 0;
  ByteReader r(data, size);
  std::string name = r.Line();
  auto it = cases.find(name);
  if (it == cases.end()) {
    it = cases.begin();
    std::advance(it, std::hash<std::string>{}(name) % cases.size());
  }
  Case& c = it->second;
  int variant = r.Byte() & 3;
  Session* session = SessionFor(c, variant);
  if (session == nullptr) return 0;
  if (!c.inputs_read) {
    c.inputs_read = true;
    for (size_t i = 0; i < session->inputs().size(); ++i) {
      auto v = format::ReadValueFile(c.dir + "/test_data_set_0/input_" + std::to_string(i) + ".pb",
                                     session->inputs()[i].type);
      c.inputs.push_back(v.ok() ? v.take() : Value());
    }
  }
  std::vector<std::pair<std::string, Value>> feeds;
  for (size_t i = 0; i < session->inputs().size() && i < c.inputs.size(); ++i) {
    if (c.inputs[i].empty()) continue;  // leave it out: the run reports the missing input
    feeds.emplace_back(session->inputs()[i].name, MutateInput(c.inputs[i], r));
  }
  StartWatchdog();
  RunOptions run_options;
  run_options.terminate = &terminate_run;
  terminate_run.store(false);
  run_started_ms.store(NowMs());
  std::vector<Value> outputs;
  (void)session->Run(feeds, {}, &outputs, run_options);
  run_started_ms.store(0);
  return 0;
}

}  // namespace onyx::fuzz
