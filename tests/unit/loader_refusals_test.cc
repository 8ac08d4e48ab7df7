// What the loader refuses, and what it reads leniently: opset imports (missing for a domain the nodes use,
// newer than this build knows), subgraph nesting beyond the limit (within the parser's recursion limit and far
// past it), and declared dims of -1, which exporters use for free dimensions.
#include <gtest/gtest.h>

#include <string>

#include "format/model_loader.h"
#include "format/subgraph_nesting.h"
#include "framework/value_compare.h"
#include "ir/op_schema.h"
#include "session/session.h"
#include "unit/test_models.h"

namespace onyx {
namespace {

Status Load(const proto::ModelProto& m) {
  std::string bytes = test::Serialize(m);
  auto model = format::LoadModelFromBytes(bytes.data(), bytes.size());
  return model.ok() ? Status::Ok() : model.status();
}

void ExpectRefused(const proto::ModelProto& m, const std::string& message) {
  Status st = Load(m);
  ASSERT_FALSE(st.ok()) << "expected: " << message;
  EXPECT_EQ(st.code(), StatusCode::kInvalidGraph) << st.message();
  EXPECT_NE(st.message().find(message), std::string::npos) << st.message();
}

void AddOpset(proto::ModelProto* m, const std::string& domain, int64_t version) {
  auto* op = m->add_opset_import();
  op->set_domain(domain);
  op->set_version(version);
}

int64_t Newest(const std::string& domain) { return ir::NewestKnownOpset(domain).value(); }

// --- opset imports ---

TEST(LoaderOpsets, RefusesModelWithoutOpsetImport) {
  proto::ModelProto m = test::AddReluModel();
  m.clear_opset_import();
  ExpectRefused(m,
                "node 'S' (Add) uses domain 'ai.onnx', for which the model declares no opset (no opset_import entry)");
}

TEST(LoaderOpsets, IrVersionTwoWithoutOpsetImportMeansOpsetOne) {
  // opset_import arrived with IR version 3; older files are ai.onnx opset 1 by definition.
  proto::ModelProto m = test::AddReluModel();
  m.clear_opset_import();
  m.set_ir_version(2);
  std::string bytes = test::Serialize(m);
  auto model = format::LoadModelFromBytes(bytes.data(), bytes.size());
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  EXPECT_EQ(model.value()->metadata.opsets.at(""), 1);
}

TEST(LoaderOpsets, RefusesDefaultDomainNewerThanThisBuild) {
  for (const std::string& spelling : {std::string(), std::string("ai.onnx")}) {
    proto::ModelProto m = test::AddReluModel();
    m.mutable_opset_import(0)->set_domain(spelling);
    m.mutable_opset_import(0)->set_version(999);
    ExpectRefused(
        m, "model imports opset 999 of domain 'ai.onnx' but this build supports up to " + std::to_string(Newest("")));
  }
}

TEST(LoaderOpsets, NewestKnownVersionsComeFromTheSchemaTable) {
  // Every standard domain's newest version is at least that of the newest operator version in the table.
  for (const ir::OpSchema& s : ir::AllSchemas()) {
    auto newest = ir::NewestKnownOpset(s.domain);
    ASSERT_TRUE(newest.has_value()) << s.domain;
    EXPECT_GE(*newest, s.since_version) << s.domain << " " << s.op_type;
  }
  EXPECT_EQ(ir::NewestKnownOpset("ai.onnx"), ir::NewestKnownOpset(""));
  EXPECT_EQ(ir::NewestKnownOpset("com.onyx"), ir::kOnyxDomainOpset);
  EXPECT_FALSE(ir::NewestKnownOpset("com.microsoft").has_value());
  EXPECT_FALSE(ir::NewestKnownOpset("org.example").has_value());
}

TEST(LoaderOpsets, TrackedDomainsAcceptTheNewestAndRefuseOneMore) {
  for (const std::string domain : {"ai.onnx.ml", "ai.onnx.preview.training", "ai.onnx.preview", "com.onyx"}) {
    proto::ModelProto m = test::AddReluModel();
    AddOpset(&m, domain, Newest(domain));
    EXPECT_TRUE(Load(m).ok()) << domain << ": " << Load(m).message();
    m.mutable_opset_import(1)->set_version(Newest(domain) + 1);
    ExpectRefused(m, "model imports opset " + std::to_string(Newest(domain) + 1) + " of domain '" + domain +
                         "' but this build supports up to " + std::to_string(Newest(domain)));
  }
}

TEST(LoaderOpsets, UntrackedDomainsAreNotCapped) {
  // com.microsoft and custom domains: their nodes are accepted or refused by the kernel registry, one by one.
  proto::ModelProto m = test::AddReluModel();
  AddOpset(&m, "com.microsoft", 999);
  AddOpset(&m, "org.example", 42);
  EXPECT_TRUE(Load(m).ok()) << Load(m).message();
}

TEST(LoaderOpsets, RefusesVersionZero) {
  proto::ModelProto m = test::AddReluModel();
  m.mutable_opset_import(0)->set_version(0);
  ExpectRefused(m, "model imports opset 0 of domain 'ai.onnx'; versions start at 1");
}

// Y = If(C) with a then-branch whose one node is `op` of `domain`, reading X from the enclosing graph.
proto::ModelProto IfModel(const std::string& domain, const std::string& op) {
  proto::ModelProto m = test::AddReluModel();
  auto* g = m.mutable_graph();
  test::SetTensorType(g->add_input(), "C", 9, {});
  proto::NodeProto* node = test::AddNode(g, "If", {"C"}, {"Z"}, "the_if");
  for (const char* branch : {"then_branch", "else_branch"}) {
    auto* a = node->add_attribute();
    a->set_name(branch);
    a->set_type(proto::AttributeProto::GRAPH);
    auto* body = a->mutable_g();
    body->set_name(branch);
    proto::NodeProto* inner = test::AddNode(body, std::string(branch) == "then_branch" ? op : "Identity", {"X"},
                                            {std::string(branch) + "_out"}, std::string(branch) + "_node");
    if (std::string(branch) == "then_branch") inner->set_domain(domain);
    test::SetTensorType(body->add_output(), std::string(branch) + "_out", 1, {-1, 4});
  }
  test::SetTensorType(g->add_output(), "Z", 1, {-1, 4});
  return m;
}

TEST(LoaderOpsets, RefusesSubgraphNodeOfUndeclaredDomain) {
  ExpectRefused(IfModel("ai.onnx.ml", "Normalizer"),
                "node 'then_branch_node' (Normalizer) uses domain 'ai.onnx.ml', for which the model declares no "
                "opset");
  proto::ModelProto declared = IfModel("ai.onnx.ml", "Normalizer");
  AddOpset(&declared, "ai.onnx.ml", 1);
  EXPECT_TRUE(Load(declared).ok()) << Load(declared).message();
}

// A model whose graph calls the local function local.Double (Y = X + X), whose body is in `body_domain`.
proto::ModelProto FunctionModel(const std::string& body_domain, int64_t function_opset) {
  proto::ModelProto m = test::AddReluModel();
  AddOpset(&m, "local", 1);
  auto* g = m.mutable_graph();
  proto::NodeProto* call = test::AddNode(g, "Double", {"Y"}, {"D"}, "call");
  call->set_domain("local");
  test::SetTensorType(g->add_output(), "D", 1, {-1, 4});
  auto* f = m.add_functions();
  f->set_name("Double");
  f->set_domain("local");
  f->add_input("a");
  f->add_output("b");
  auto* op = f->add_opset_import();
  op->set_domain("");
  op->set_version(function_opset);
  auto* body = f->add_node();
  body->set_op_type("Add");
  body->set_name("twice");
  body->set_domain(body_domain);
  body->add_input("a");
  body->add_input("a");
  body->add_output("b");
  return m;
}

TEST(LoaderOpsets, ChecksModelLocalFunctions) {
  EXPECT_TRUE(Load(FunctionModel("", 17)).ok()) << Load(FunctionModel("", 17)).message();
  ExpectRefused(FunctionModel("", 999),
                "function 'Double' imports opset 999 of domain 'ai.onnx' but this build supports up to " +
                    std::to_string(Newest("")));
  ExpectRefused(FunctionModel("org.undeclared", 17),
                "function 'Double': node 'twice' (Add) uses domain 'org.undeclared', for which neither the function "
                "nor the model declares an opset");
  // The call itself is a node of domain `local`, which the model must import.
  proto::ModelProto m = FunctionModel("", 17);
  m.mutable_opset_import()->RemoveLast();
  ExpectRefused(m, "node 'call' (Double) uses domain 'local', for which the model declares no opset");
}

// --- subgraph nesting ---

// A model `depth` subgraph levels deep: If inside the then-branch of If ..., each If reading the main graph's
// condition C, the innermost branch an Identity of the main graph's X. Built level by level through mutable
// pointers, so the test itself does not recurse.
proto::ModelProto NestedIfModel(int depth) {
  proto::ModelProto m;
  m.set_ir_version(8);
  AddOpset(&m, "", 17);
  auto* g = m.mutable_graph();
  g->set_name("main");
  test::SetTensorType(g->add_input(), "C", 9, {});
  test::SetTensorType(g->add_input(), "X", 1, {2});
  test::SetTensorType(g->add_output(), "Y0", 1, {2});
  proto::GraphProto* cur = g;
  for (int level = 0; level < depth; ++level) {
    std::string out = "Y" + std::to_string(level);
    proto::NodeProto* node = test::AddNode(cur, "If", {"C"}, {out}, "if" + std::to_string(level));
    auto* else_attr = node->add_attribute();
    else_attr->set_name("else_branch");
    else_attr->set_type(proto::AttributeProto::GRAPH);
    auto* else_g = else_attr->mutable_g();
    else_g->set_name("else" + std::to_string(level));
    test::AddNode(else_g, "Identity", {"X"}, {"E" + std::to_string(level)});
    test::SetTensorType(else_g->add_output(), "E" + std::to_string(level), 1, {2});
    auto* then_attr = node->add_attribute();
    then_attr->set_name("then_branch");
    then_attr->set_type(proto::AttributeProto::GRAPH);
    cur = then_attr->mutable_g();
    cur->set_name("then" + std::to_string(level));
    test::SetTensorType(cur->add_output(), "Y" + std::to_string(level + 1), 1, {2});
  }
  test::AddNode(cur, "Identity", {"X"}, {"Y" + std::to_string(depth)});
  return m;
}

TEST(LoaderNesting, LoadsAndRunsAtTheLimit) {
  proto::ModelProto m = NestedIfModel(format::kMaxSubgraphDepth);
  std::string bytes = test::Serialize(m);
  EXPECT_EQ(format::SubgraphNesting(bytes.data(), bytes.size(), 1000), format::kMaxSubgraphDepth);
  auto s = Session::CreateFromBytes(bytes.data(), bytes.size(), SessionOptions{});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  std::vector<Value> out;
  Tensor cond = Tensor::FromVector<bool>({}, {true});
  ASSERT_TRUE(
      s.value()->Run({{"C", Value(cond)}, {"X", Value(Tensor::FromVector<float>({2}, {1, 2}))}}, {}, &out).ok());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(CompareValues(Value(Tensor::FromVector<float>({2}, {1, 2})), out[0]), "");
}

TEST(LoaderNesting, RefusesOneLevelPastTheLimit) {
  // Within protobuf's recursion limit: the IR builder refuses it.
  ExpectRefused(NestedIfModel(format::kMaxSubgraphDepth + 1),
                "subgraphs nest 65 levels deep, over the limit of 64 (session.max_subgraph_depth)");
}

TEST(LoaderNesting, RefusesFarPastTheParserLimitNamingTheCause) {
  // Past protobuf's recursion limit the parser fails without saying why; the loader names nesting.
  for (int depth : {100, 2000}) {
    proto::ModelProto m = NestedIfModel(depth);
    std::string bytes = test::Serialize(m);
    EXPECT_EQ(format::SubgraphNesting(bytes.data(), bytes.size(), format::kMaxSubgraphDepth),
              format::kMaxSubgraphDepth + 1);
    auto model = format::LoadModelFromBytes(bytes.data(), bytes.size());
    ASSERT_FALSE(model.ok()) << depth;
    EXPECT_EQ(model.status().message(), "subgraphs nest " + std::string(depth == 100 ? "100" : "more than 1000") +
                                            " levels deep, over the limit of 64 (session.max_subgraph_depth)");
  }
}

TEST(LoaderNesting, DamagedFilesStillSayParsingFailed) {
  std::string bytes = test::Serialize(NestedIfModel(3));
  bytes.resize(bytes.size() - 7);
  auto model = format::LoadModelFromBytes(bytes.data(), bytes.size());
  ASSERT_FALSE(model.ok());
  EXPECT_NE(model.status().message().find("protobuf parsing failed"), std::string::npos) << model.status().message();
  EXPECT_LE(format::SubgraphNesting(bytes.data(), bytes.size(), format::kMaxSubgraphDepth), 3);
}

// --- declared dims of -1 ---

TEST(LoaderDims, NegativeDeclaredDimIsFree) {
  // Old paddle2onnx exports declare free dims as dim_value -1, in inputs, outputs and value_info.
  proto::ModelProto m = test::AddReluModel();
  auto* g = m.mutable_graph();
  g->mutable_input(0)->mutable_type()->mutable_tensor_type()->mutable_shape()->mutable_dim(0)->set_dim_value(-1);
  g->mutable_output(0)->mutable_type()->mutable_tensor_type()->mutable_shape()->mutable_dim(0)->set_dim_value(-1);
  test::SetTensorType(g->add_value_info(), "S", 1, {});
  g->mutable_value_info(0)->mutable_type()->mutable_tensor_type()->mutable_shape()->add_dim()->set_dim_value(-1);
  g->mutable_value_info(0)->mutable_type()->mutable_tensor_type()->mutable_shape()->add_dim()->set_dim_value(4);
  std::string bytes = test::Serialize(m);
  auto model = format::LoadModelFromBytes(bytes.data(), bytes.size());
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  EXPECT_EQ(model.value()->graph->inputs()[0]->type().ShapeString(), "[?,4]");
  EXPECT_EQ(model.value()->graph->outputs()[0]->type().ShapeString(), "[?,4]");

  auto s = Session::CreateFromBytes(bytes.data(), bytes.size(), SessionOptions{});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  std::vector<Value> out;
  for (int64_t rows : {1, 3}) {
    std::vector<float> x(static_cast<size_t>(rows * 4), 1.0f);
    ASSERT_TRUE(s.value()->Run({{"X", Value(Tensor::FromVector<float>({rows, 4}, x))}}, {}, &out).ok()) << rows;
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].tensor().shape(), (std::vector<int64_t>{rows, 4}));
  }
}

TEST(LoaderDims, NegativeTensorDimsAreStillRefused) {
  proto::ModelProto m = test::AddReluModel();
  auto* b = m.mutable_graph()->mutable_initializer(0);
  b->clear_dims();
  b->add_dims(-1);
  Status st = Load(m);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("initializer 'B'"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("-1"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace onyx
