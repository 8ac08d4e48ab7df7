// The `onyx` command: run, test and inspect ONNX models. Every failure is reported as one line on stderr
// starting with "onyx: error: " and exit status 2; nothing escapes main as an exception.
#include <cstdio>
#include <exception>
#include <iostream>
#include <new>
#include <string>
#include <vector>

#include "cli_common.h"
#include "commands.h"
#include "ep/cpu/cpu_isa.h"

namespace onyx::cli {
namespace {

constexpr const char* kUsage =
    "usage: onyx <command> [arguments]\n"
    "\n"
    "Commands:\n"
    "  run MODEL      run a model on given or random inputs and print its outputs\n"
    "  bench MODEL    measure a model's latency (percentiles, throughput, memory)\n"
    "  test PATH...   run ONNX test cases (folders with model.onnx and test_data_set_*) and compare outputs\n"
    "  inspect MODEL  print a model's metadata, inputs, outputs, operators and parameter count\n"
    "  optimize MODEL -o OUT  write the model as the optimizer rewrites it\n"
    "  quantize MODEL -o OUT  int8 quantization (static with calibration, or dynamic), onnxruntime's format\n"
    "  operators      list the operators with kernels (Markdown)\n"
    "  ops-config MODEL...  the operators the models use, for the minimal build (docs/EDGE.md)\n"
    "  help [COMMAND] print this help, or a command's\n"
    "\n"
    "Options:\n"
    "  -h, --help     print help\n"
    "  --version      print the version\n"
    "\n"
    "Run 'onyx <command> --help' for a command's options.\n";

struct Command {
  const char* name;
  int (*run)(const std::vector<std::string>&);
  const char* usage;
};

const Command kCommands[] = {
    {"run", RunCommand, kRunUsage},
    {"bench", BenchCommand, kBenchUsage},
    {"test", TestCommand, kTestUsage},
    {"inspect", InspectCommand, kInspectUsage},
    {"optimize", OptimizeCommand, kOptimizeUsage},
    {"quantize", QuantizeCommand, kQuantizeUsage},
    {"operators", OperatorsCommand, kOperatorsUsage},
    {"ops-config", OpsConfigCommand, kOpsConfigUsage},
};

const Command* FindCommand(const std::string& name) {
  for (const Command& c : kCommands) {
    if (name == c.name) return &c;
  }
  return nullptr;
}

int Main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) Fail("no command given (try 'onyx --help')");
  const std::string& first = args[0];
  if (first == "-h" || first == "--help") {
    std::cout << kUsage;
    return 0;
  }
  if (first == "--version" || first == "version") {
    // The instruction set the CPU kernels use here (ep/cpu/cpu_isa.h): what the processor has, capped by ONYX_ISA.
    // On AArch64 the float kernels are the portable (NEON) ones; the int8 GEMM may use the dot-product extension.
    std::cout << "onyx " << kVersion << "\ncpu kernels: " << cpu::IsaLevelName(cpu::MaxIsaLevel())
              << (cpu::HasNeonDot() ? "\nint8 kernels: neondot" : "") << "\n";
    return 0;
  }
  if (first == "help") {
    if (args.size() == 1) {
      std::cout << kUsage;
      return 0;
    }
    const Command* c = FindCommand(args[1]);
    if (!c) Fail("unknown command '", args[1], "' (try 'onyx --help')");
    std::cout << c->usage;
    return 0;
  }
  const Command* c = FindCommand(first);
  if (!c) {
    if (first.size() > 1 && first[0] == '-') Fail("unknown option '", first, "' (try 'onyx --help')");
    Fail("unknown command '", first, "' (try 'onyx --help')");
  }
  std::vector<std::string> rest(args.begin() + 1, args.end());
  for (const std::string& a : rest) {
    if (a == "--") break;
    if (a == "-h" || a == "--help") {
      std::cout << c->usage;
      return 0;
    }
  }
  return c->run(rest);
}

void ReportError(const std::string& message) {
  std::cout.flush();
  std::cerr << "onyx: error: " << OneLine(message) << std::endl;
}

}  // namespace
}  // namespace onyx::cli

int main(int argc, char** argv) {
  try {
    return onyx::cli::Main(argc, argv);
  } catch (const onyx::cli::CliError& e) {
    onyx::cli::ReportError(e.what());
  } catch (const std::bad_alloc&) {
    onyx::cli::ReportError("out of memory");
  } catch (const std::exception& e) {
    onyx::cli::ReportError(std::string("internal error: ") + e.what());
  } catch (...) {
    onyx::cli::ReportError("internal error: unknown exception");
  }
  return 2;
}
