// Onyx's C++ extension API: what a program needs to add its own optimizer passes and its own kernels.
//
// Unlike onyx_c_api.h (a stable C ABI) and onyx.hpp (a header-only wrapper over it), this exposes the
// engine's own C++ classes: the graph (onyx::ir::Graph, Node, Value), the pass interface
// (onyx::opt::GraphPass, RegisterUserPass), the kernel interface (onyx::OpKernel, ONYX_REGISTER_KERNEL) and the
// C++ session. These are not exported by libonyx.so (it exports the C API alone), and this header is not installed:
// a program using it is built in the source tree and links the engine's static form, the CMake target
// onyx_internal, which also puts src/ on the include path (docs/decisions/0007-public-symbols.md). It may change
// between versions.
//
//   - A pass: subclass onyx::opt::GraphPass (name() and Run(graph, ctx) returning the number of rewrites), and
//     register a factory with onyx::opt::RegisterUserPass(level, factory) before creating sessions. It runs
//     after the built-in passes of that level and of every higher level, on the graph and its subgraphs; it can
//     be turned off by name like any pass (SessionOptions::disabled_passes, `--disable-pass`).
//   - A kernel: subclass onyx::OpKernel and register it with ONYX_REGISTER_KERNEL(Class, KernelDef(provider,
//     domain, op).Versions(from[, to]).Types(input, {...})) at namespace scope.
// examples/custom_pass.cc shows both.
#pragma once

#include "framework/kernel_registry.h"
#include "framework/op_kernel.h"
#include "ir/graph.h"
#include "optimizer/graph_pass.h"
#include "optimizer/optimizer.h"
#include "session/session.h"
