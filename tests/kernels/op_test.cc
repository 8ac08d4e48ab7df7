#include "kernels/op_test.h"

#include "framework/value_compare.h"

namespace onyx::test {

namespace {
ir::Type TypeOf(const Value& v) {
  if (v.is_tensor()) {
    return ir::Type::Tensor(v.tensor().type(), ir::ToSymShape(v.tensor().shape()));
  }
  ir::Type t;
  if (v.is_sequence()) t.kind = ir::Type::Kind::kSequence;
  if (v.is_optional()) t.kind = ir::Type::Kind::kOptional;
  if (v.is_map()) t.kind = ir::Type::Kind::kMap;
  return t;
}
}  // namespace

OpTest::OpTest(std::string op_type, int opset, std::string domain)
    : op_type_(std::move(op_type)), domain_(std::move(domain)), opset_(opset) {}

void OpTest::AddInputValue(const std::string& name, Value value, bool constant) {
  inputs_.push_back({name, std::move(value), constant});
}

void OpTest::AddOutputValue(const std::string& name, Value expected) {
  outputs_.push_back({name, std::move(expected), true});
}

#define ONYX_OPTEST_ATTR(CppType, AttrKind, field)           \
  void OpTest::AddAttr(const std::string& name, CppType v) { \
    ir::Attribute a;                                         \
    a.name = name;                                           \
    a.type = ir::AttrType::AttrKind;                         \
    a.field = v;                                             \
    attrs_[name] = std::move(a);                             \
  }
ONYX_OPTEST_ATTR(int64_t, kInt, i)
ONYX_OPTEST_ATTR(float, kFloat, f)
ONYX_OPTEST_ATTR(const std::string&, kString, s)
ONYX_OPTEST_ATTR(const std::vector<int64_t>&, kInts, ints)
ONYX_OPTEST_ATTR(const std::vector<float>&, kFloats, floats)
ONYX_OPTEST_ATTR(const std::vector<std::string>&, kStrings, strings)
ONYX_OPTEST_ATTR(const Tensor&, kTensor, t)
ONYX_OPTEST_ATTR(std::shared_ptr<ir::Graph>, kGraph, g)
#undef ONYX_OPTEST_ATTR

Result<std::unique_ptr<Session>> OpTest::Build() {
  auto model = std::make_unique<ir::Model>();
  model->metadata.ir_version = 10;
  model->metadata.opsets[domain_] = opset_;
  if (!domain_.empty()) model->metadata.opsets[""] = 21;
  model->graph = std::make_shared<ir::Graph>();
  ir::Graph& g = *model->graph;
  g.set_name("op_test");
  g.set_opsets(std::make_shared<ir::OpsetMap>(model->metadata.opsets));
  std::vector<std::string> in_names, out_names;
  for (const Io& in : inputs_) {
    in_names.push_back(in.name);
    if (in.name.empty()) continue;
    if (in.constant) {
      ONYX_RETURN_IF_ERROR(g.AddInitializer(in.name, in.value.tensor()));
    } else {
      ONYX_RETURN_IF_ERROR(g.AddInput(in.name, TypeOf(in.value)));
    }
  }
  for (const Io& out : outputs_) out_names.push_back(out.name);
  g.AddNode(op_type_ + "_node", op_type_, domain_, opset_, in_names, out_names, attrs_);
  for (const Io& out : outputs_) {
    if (!out.name.empty()) ONYX_RETURN_IF_ERROR(g.AddOutput(out.name, ir::Type()));
  }
  SessionOptions options;
  options.intra_op_threads = 1;
  options.optimization_level = level_;
  return Session::CreateFromModel(std::move(model), options);
}

std::vector<Value> OpTest::RunAndGet() {
  auto session = Build();
  EXPECT_TRUE(session.ok()) << session.status().ToString();
  if (!session.ok()) return {};
  std::vector<std::pair<std::string, Value>> feeds;
  for (const Io& in : inputs_) {
    if (!in.name.empty() && !in.constant) feeds.emplace_back(in.name, in.value);
  }
  std::vector<Value> results;
  Status st = session.value()->Run(feeds, {}, &results);
  EXPECT_TRUE(st.ok()) << st.ToString();
  return results;
}

void OpTest::Run() {
  std::vector<Value> results = RunAndGet();
  size_t k = 0;
  for (const Io& out : outputs_) {
    if (out.name.empty()) continue;
    if (k >= results.size()) {
      ADD_FAILURE() << "output '" << out.name << "' missing";
      return;
    }
    if (out.constant) {  // checked output
      CompareOptions o{rtol_, atol_};
      std::string diff = CompareValues(out.value, results[k], o);
      EXPECT_TRUE(diff.empty()) << op_type_ << " output '" << out.name << "': " << diff;
    }
    ++k;
  }
}

void OpTest::RunExpectError(const std::string& message_substring) {
  auto session = Build();
  std::string message;
  if (!session.ok()) {
    message = session.status().message();
  } else {
    std::vector<std::pair<std::string, Value>> feeds;
    for (const Io& in : inputs_) {
      if (!in.name.empty() && !in.constant) feeds.emplace_back(in.name, in.value);
    }
    std::vector<Value> results;
    Status st = session.value()->Run(feeds, {}, &results);
    ASSERT_FALSE(st.ok()) << op_type_ << ": expected an error containing '" << message_substring << "'";
    message = st.message();
  }
  EXPECT_NE(message.find(message_substring), std::string::npos)
      << "error '" << message << "' does not contain '" << message_substring << "'";
}

std::string CompareValues(const Value& expected, const Value& actual, double rtol, double atol) {
  return onyx::CompareValues(expected, actual, CompareOptions{rtol, atol});
}

}  // namespace onyx::test
