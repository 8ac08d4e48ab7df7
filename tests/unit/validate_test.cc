// Validation on load: each error names the node or value at fault.
#include <gtest/gtest.h>

#include "format/model_loader.h"
#include "ir/validate.h"
#include "unit/test_models.h"

namespace onyx {
namespace {

Status LoadAndValidate(const proto::ModelProto& m) {
  std::string bytes = test::Serialize(m);
  auto model = format::LoadModelFromBytes(bytes.data(), bytes.size());
  if (!model.ok()) return model.status();
  return ir::ValidateModel(*model.value());
}

TEST(Validate, AcceptsValidModel) { EXPECT_TRUE(LoadAndValidate(test::AddReluModel()).ok()); }

TEST(Validate, UnknownOperator) {
  auto m = test::AddReluModel();
  m.mutable_graph()->mutable_node(1)->set_op_type("Relux");
  Status st = LoadAndValidate(m);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), StatusCode::kInvalidGraph);
  EXPECT_NE(st.message().find("unknown operator 'Relux'"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("node 'Y'"), std::string::npos) << st.message();
}

TEST(Validate, OperatorNotYetInOpset) {
  auto m = test::AddReluModel(17);
  test::AddNode(m.mutable_graph(), "Gelu", {"Y"}, {"G"});  // Gelu arrived at opset 20
  Status st = LoadAndValidate(m);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("does not exist at opset 17"), std::string::npos) << st.message();
}

TEST(Validate, DomainNotImported) {
  auto m = test::AddReluModel();
  m.mutable_graph()->mutable_node(1)->set_domain("ai.onnx.ml");
  Status st = LoadAndValidate(m);  // the loader refuses it already (format/opset_imports.h)
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), StatusCode::kInvalidGraph);
  EXPECT_NE(st.message().find("node 'Y' (Relu) uses domain 'ai.onnx.ml', for which the model declares no opset"),
            std::string::npos)
      << st.message();
}

TEST(Validate, InputNothingProduces) {
  auto m = test::AddReluModel();
  m.mutable_graph()->mutable_node(1)->set_input(0, "ghost");
  Status st = LoadAndValidate(m);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("'ghost'"), std::string::npos) << st.message();
}

TEST(Validate, DuplicateOutputName) {
  auto m = test::AddReluModel();
  test::AddNode(m.mutable_graph(), "Relu", {"X"}, {"S"}, "second_producer");
  Status st = LoadAndValidate(m);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("already produced"), std::string::npos) << st.message();
}

TEST(Validate, Cycle) {
  proto::ModelProto m = test::AddReluModel();
  auto* g = m.mutable_graph();
  g->mutable_node(0)->set_input(0, "Y");  // Add reads Relu's output, which reads Add's
  Status st = LoadAndValidate(m);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("cycle"), std::string::npos) << st.message();
}

TEST(Validate, WrongAttributeType) {
  auto m = test::AddReluModel();
  auto* n = test::AddNode(m.mutable_graph(), "Softmax", {"Y"}, {"P"});
  auto* a = n->add_attribute();
  a->set_name("axis");
  a->set_type(proto::AttributeProto::FLOAT);
  a->set_f(1.0f);
  Status st = LoadAndValidate(m);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("attribute 'axis' should be INT but is FLOAT"), std::string::npos) << st.message();
}

TEST(Validate, MissingRequiredAttributeAndWrongArity) {
  auto m = test::AddReluModel();
  test::AddNode(m.mutable_graph(), "Cast", {"Y"}, {"C"});  // 'to' is required
  Status st = LoadAndValidate(m);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("required attribute 'to'"), std::string::npos) << st.message();

  auto m2 = test::AddReluModel();
  test::AddNode(m2.mutable_graph(), "Relu", {"Y", "X"}, {"R2"});
  Status st2 = LoadAndValidate(m2);
  ASSERT_FALSE(st2.ok());
  EXPECT_NE(st2.message().find("has 2 inputs"), std::string::npos) << st2.message();
}

TEST(Validate, LocalFunctionIsInlined) {
  proto::ModelProto m = test::AddReluModel();
  auto* f = m.add_functions();
  f->set_name("DoubleRelu");
  f->set_domain("org.example");
  f->add_input("a");
  f->add_output("b");
  auto* op = f->add_opset_import();
  op->set_domain("");
  op->set_version(17);
  auto* n1 = f->add_node();
  n1->set_op_type("Relu");
  n1->add_input("a");
  n1->add_output("t");
  auto* n2 = f->add_node();
  n2->set_op_type("Add");
  n2->add_input("t");
  n2->add_input("t");
  n2->add_output("b");
  auto* imp = m.add_opset_import();
  imp->set_domain("org.example");
  imp->set_version(1);
  auto* call = m.mutable_graph()->mutable_node(1);
  call->set_op_type("DoubleRelu");
  call->set_domain("org.example");
  std::string bytes = test::Serialize(m);
  auto model = format::LoadModelFromBytes(bytes.data(), bytes.size());
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  EXPECT_TRUE(ir::ValidateModel(*model.value()).ok());
  ASSERT_EQ(model.value()->graph->nodes().size(), 3u);  // Add + inlined Relu, Add
  EXPECT_EQ(model.value()->graph->FindValue("Y")->producer()->op_type(), "Add");
}

}  // namespace
}  // namespace onyx
