// Small ModelProtos for unit tests, built in code.
#pragma once

#include <string>
#include <vector>

#include "onnx.pb.h"

namespace onyx::test {

inline void SetTensorType(proto::ValueInfoProto* vi, const std::string& name, int elem,
                          const std::vector<int64_t>& dims, const std::vector<std::string>& params = {}) {
  vi->set_name(name);
  auto* tt = vi->mutable_type()->mutable_tensor_type();
  tt->set_elem_type(elem);
  auto* shape = tt->mutable_shape();
  for (size_t i = 0; i < dims.size(); ++i) {
    auto* d = shape->add_dim();
    if (dims[i] >= 0)
      d->set_dim_value(dims[i]);
    else
      d->set_dim_param(i < params.size() ? params[i] : "N");
  }
}

inline proto::NodeProto* AddNode(proto::GraphProto* g, const std::string& op, const std::vector<std::string>& ins,
                                 const std::vector<std::string>& outs, const std::string& name = "") {
  auto* n = g->add_node();
  n->set_op_type(op);
  n->set_name(name.empty() ? outs.front() : name);
  for (const auto& i : ins) n->add_input(i);
  for (const auto& o : outs) n->add_output(o);
  return n;
}

// Y = Relu(X + B) with X float[N,4] (N symbolic) and B a float[4] initializer.
// Attributes of nodes built in code.
inline void SetIntAttr(proto::NodeProto* n, const std::string& name, int64_t v) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(proto::AttributeProto::INT);
  a->set_i(v);
}

inline void SetIntsAttr(proto::NodeProto* n, const std::string& name, const std::vector<int64_t>& v) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(proto::AttributeProto::INTS);
  for (int64_t x : v) a->add_ints(x);
}

inline void SetFloatAttr(proto::NodeProto* n, const std::string& name, float v) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(proto::AttributeProto::FLOAT);
  a->set_f(v);
}

inline proto::ModelProto AddReluModel(int opset = 17) {
  proto::ModelProto m;
  m.set_ir_version(8);
  m.set_producer_name("onyx-tests");
  auto* op = m.add_opset_import();
  op->set_domain("");
  op->set_version(opset);
  auto* g = m.mutable_graph();
  g->set_name("add_relu");
  SetTensorType(g->add_input(), "X", 1, {-1, 4});
  SetTensorType(g->add_output(), "Y", 1, {-1, 4});
  auto* b = g->add_initializer();
  b->set_name("B");
  b->set_data_type(1);
  b->add_dims(4);
  for (float v : {1.0f, -2.0f, 3.0f, -4.0f}) b->add_float_data(v);
  AddNode(g, "Add", {"X", "B"}, {"S"});
  AddNode(g, "Relu", {"S"}, {"Y"});
  return m;
}

inline std::string Serialize(const proto::ModelProto& m) {
  std::string s;
  m.SerializeToString(&s);
  return s;
}

}  // namespace onyx::test
