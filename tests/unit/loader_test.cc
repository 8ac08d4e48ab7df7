// The loader: valid files, truncated and foreign bytes, absurd dims, external data inside and outside the
// model's folder, missing external files, metadata.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "format/model_loader.h"
#include "format/tensor_proto.h"
#include "unit/test_models.h"

namespace onyx {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() / ("onyx_loader_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
  static inline int counter_ = 0;
};

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

TEST(Loader, LoadsValidModelFromBytesWithMetadata) {
  proto::ModelProto m = test::AddReluModel();
  m.set_producer_version("1.2");
  m.set_domain("org.example");
  m.set_model_version(7);
  m.set_doc_string("doc");
  auto* kv = m.add_metadata_props();
  kv->set_key("author");
  kv->set_value("tests");
  std::string bytes = test::Serialize(m);
  auto model = format::LoadModelFromBytes(bytes.data(), bytes.size());
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const auto& meta = model.value()->metadata;
  EXPECT_EQ(meta.ir_version, 8);
  EXPECT_EQ(meta.opsets.at(""), 17);
  EXPECT_EQ(meta.producer_name, "onyx-tests");
  EXPECT_EQ(meta.producer_version, "1.2");
  EXPECT_EQ(meta.domain, "org.example");
  EXPECT_EQ(meta.model_version, 7);
  EXPECT_EQ(meta.doc_string, "doc");
  ASSERT_EQ(meta.metadata_props.size(), 1u);
  EXPECT_EQ(meta.metadata_props[0].second, "tests");
  EXPECT_EQ(meta.graph_name, "add_relu");
  const ir::Graph& g = *model.value()->graph;
  EXPECT_EQ(g.nodes().size(), 2u);
  ASSERT_EQ(g.inputs().size(), 1u);
  EXPECT_EQ(g.inputs()[0]->type().ShapeString(), "[N,4]");
  ASSERT_NE(g.FindValue("B")->initializer(), nullptr);
  EXPECT_EQ(g.FindValue("B")->initializer()->data<float>()[2], 3.0f);
}

TEST(Loader, LoadsFromPath) {
  TempDir dir;
  WriteFile(dir.file("m.onnx"), test::Serialize(test::AddReluModel()));
  auto model = format::LoadModel(dir.file("m.onnx"));
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  EXPECT_EQ(model.value()->base_dir, dir.path().string());
}

TEST(Loader, RejectsTruncatedFile) {
  std::string bytes = test::Serialize(test::AddReluModel());
  TempDir dir;
  WriteFile(dir.file("t.onnx"), bytes.substr(0, bytes.size() / 2));
  auto model = format::LoadModel(dir.file("t.onnx"));
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().code(), StatusCode::kInvalidProtobuf);
  EXPECT_NE(model.status().message().find("t.onnx"), std::string::npos);
}

// The loader gives the mapped file's pages back behind the parser's read position (8 MiB at a time): a file of
// several such steps must still load every byte right, and a truncated one must still be refused (the refusal
// re-reads the released pages to look for deep nesting).
proto::ModelProto LargeWeightsModel() {
  proto::ModelProto m = test::AddReluModel();
  auto* g = m.mutable_graph();
  for (int i = 0; i < 6; ++i) {
    auto* t = g->add_initializer();
    t->set_name("W" + std::to_string(i));
    t->set_data_type(1);
    t->add_dims(1 << 20);
    std::string raw(size_t{4} << 20, '\0');
    auto* f = reinterpret_cast<float*>(raw.data());
    for (int j = 0; j < (1 << 20); ++j) f[j] = static_cast<float>(i * 1000003 + j);
    t->set_raw_data(raw);
  }
  return m;
}

TEST(Loader, LoadsLargeFileReleasedAsParsed) {
  TempDir dir;
  const std::string bytes = test::Serialize(LargeWeightsModel());
  ASSERT_GT(bytes.size(), size_t{24} << 20);
  WriteFile(dir.file("big.onnx"), bytes);
  auto model = format::LoadModel(dir.file("big.onnx"));
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const ir::Graph& g = *model.value()->graph;
  for (int i = 0; i < 6; ++i) {
    const Tensor* w = g.FindValue("W" + std::to_string(i))->initializer();
    ASSERT_NE(w, nullptr);
    ASSERT_EQ(w->size(), 1 << 20);
    const float* f = w->data<float>();
    int wrong = 0;
    for (int j = 0; j < (1 << 20); ++j) wrong += f[j] != static_cast<float>(i * 1000003 + j);
    EXPECT_EQ(wrong, 0) << "W" << i;
  }
  WriteFile(dir.file("cut.onnx"), bytes.substr(0, bytes.size() - 100));
  auto cut = format::LoadModel(dir.file("cut.onnx"));
  ASSERT_FALSE(cut.ok());
  EXPECT_EQ(cut.status().code(), StatusCode::kInvalidProtobuf);
}

TEST(Loader, RejectsNonModel) {
  std::string text = "this is not an onnx model, just text\n";
  auto model = format::LoadModelFromBytes(text.data(), text.size());
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().code(), StatusCode::kInvalidProtobuf);
  auto empty = format::LoadModelFromBytes(text.data(), 0);
  EXPECT_FALSE(empty.ok());
}

TEST(Loader, MissingFileAndFolder) {
  auto missing = format::LoadModel("/nonexistent/dir/model.onnx");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNoSuchFile);
  TempDir dir;
  auto folder = format::LoadModel(dir.path().string());
  ASSERT_FALSE(folder.ok());
  EXPECT_NE(folder.status().message().find("folder"), std::string::npos);
}

TEST(Loader, RejectsAbsurdDims) {
  proto::ModelProto m = test::AddReluModel();
  auto* b = m.mutable_graph()->mutable_initializer(0);
  b->clear_dims();
  b->add_dims(int64_t{1} << 40);
  b->add_dims(int64_t{1} << 40);
  std::string bytes = test::Serialize(m);
  auto model = format::LoadModelFromBytes(bytes.data(), bytes.size());
  ASSERT_FALSE(model.ok());
  EXPECT_NE(model.status().message().find("B"), std::string::npos) << model.status().message();

  b->clear_dims();
  b->add_dims(-3);
  bytes = test::Serialize(m);
  EXPECT_FALSE(format::LoadModelFromBytes(bytes.data(), bytes.size()).ok());
}

TEST(Loader, RejectsDataCountMismatch) {
  proto::ModelProto m = test::AddReluModel();
  m.mutable_graph()->mutable_initializer(0)->add_float_data(5.0f);  // 5 values for 4 elements
  std::string bytes = test::Serialize(m);
  auto model = format::LoadModelFromBytes(bytes.data(), bytes.size());
  ASSERT_FALSE(model.ok());
  EXPECT_NE(model.status().message().find("float_data"), std::string::npos);
}

TEST(Loader, RejectsNewerIrVersion) {
  proto::ModelProto m = test::AddReluModel();
  m.set_ir_version(format::kMaxIrVersion + 1);
  std::string bytes = test::Serialize(m);
  auto model = format::LoadModelFromBytes(bytes.data(), bytes.size());
  ASSERT_FALSE(model.ok());
  EXPECT_NE(model.status().message().find("IR version"), std::string::npos);
}

proto::ModelProto ExternalModel(const std::string& location, int64_t offset = 0) {
  proto::ModelProto m = test::AddReluModel();
  auto* b = m.mutable_graph()->mutable_initializer(0);
  b->clear_float_data();
  b->set_data_location(proto::TensorProto::EXTERNAL);
  auto* kv = b->add_external_data();
  kv->set_key("location");
  kv->set_value(location);
  auto* off = b->add_external_data();
  off->set_key("offset");
  off->set_value(std::to_string(offset));
  auto* len = b->add_external_data();
  len->set_key("length");
  len->set_value("16");
  return m;
}

TEST(Loader, ReadsExternalDataInsideFolder) {
  TempDir dir;
  float values[8] = {0, 0, 0, 0, 10, 20, 30, 40};
  WriteFile(dir.file("weights.bin"), std::string(reinterpret_cast<const char*>(values), sizeof(values)));
  WriteFile(dir.file("m.onnx"), test::Serialize(ExternalModel("weights.bin", 16)));
  auto model = format::LoadModel(dir.file("m.onnx"));
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const Tensor* b = model.value()->graph->FindValue("B")->initializer();
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->data<float>()[0], 10.0f);
  EXPECT_EQ(b->data<float>()[3], 40.0f);
}

TEST(Loader, RefusesExternalDataEscapingFolder) {
  TempDir dir;
  fs::create_directories(dir.path() / "model");
  WriteFile(dir.file("secret.bin"), std::string(16, 'x'));
  for (const std::string& location : {std::string("../secret.bin"), dir.file("secret.bin"), std::string("a/../../secret.bin")}) {
    WriteFile(dir.file("model/m.onnx"), test::Serialize(ExternalModel(location)));
    auto model = format::LoadModel(dir.file("model/m.onnx"));
    ASSERT_FALSE(model.ok()) << location;
    EXPECT_NE(model.status().message().find(location), std::string::npos) << model.status().message();
  }
}

TEST(Loader, RefusesSymlinkOutOfFolder) {
  TempDir dir;
  fs::create_directories(dir.path() / "model");
  WriteFile(dir.file("secret.bin"), std::string(16, 'x'));
  fs::create_symlink(dir.path() / "secret.bin", dir.path() / "model" / "link.bin");
  WriteFile(dir.file("model/m.onnx"), test::Serialize(ExternalModel("link.bin")));
  auto model = format::LoadModel(dir.file("model/m.onnx"));
  ASSERT_FALSE(model.ok());
  EXPECT_NE(model.status().message().find("outside"), std::string::npos) << model.status().message();
}

// Found by the `tensor` fuzz target (tests/fuzz/regressions/tensor/): the check compared canonical paths as text,
// so a link to a sibling folder whose name starts with the model folder's name ("model" / "model_x") got through.
TEST(Loader, RefusesSymlinkIntoSiblingWithSamePrefix) {
  TempDir dir;
  fs::create_directories(dir.path() / "model");
  fs::create_directories(dir.path() / "model_x");
  WriteFile(dir.file("model_x/secret.bin"), std::string(16, 'x'));
  fs::create_symlink(dir.path() / "model_x" / "secret.bin", dir.path() / "model" / "link.bin");
  WriteFile(dir.file("model/m.onnx"), test::Serialize(ExternalModel("link.bin", 0)));
  auto model = format::LoadModel(dir.file("model/m.onnx"));
  ASSERT_FALSE(model.ok());
  EXPECT_NE(model.status().message().find("resolves outside the model's folder"), std::string::npos)
      << model.status().message();
  // A file inside the folder whose name starts with ".." is not an escape.
  float values[4] = {1, 2, 3, 4};
  WriteFile(dir.file("model/..weights.bin"), std::string(reinterpret_cast<const char*>(values), sizeof(values)));
  WriteFile(dir.file("model/m2.onnx"), test::Serialize(ExternalModel("..weights.bin", 0)));
  auto ok = format::LoadModel(dir.file("model/m2.onnx"));
  EXPECT_TRUE(ok.ok()) << ok.status().ToString();
}

TEST(Loader, MissingExternalFileAndShortFile) {
  TempDir dir;
  WriteFile(dir.file("m.onnx"), test::Serialize(ExternalModel("absent.bin")));
  auto model = format::LoadModel(dir.file("m.onnx"));
  ASSERT_FALSE(model.ok());
  EXPECT_NE(model.status().message().find("absent.bin"), std::string::npos) << model.status().message();

  WriteFile(dir.file("short.bin"), std::string(8, '\0'));
  WriteFile(dir.file("m2.onnx"), test::Serialize(ExternalModel("short.bin")));
  auto short_model = format::LoadModel(dir.file("m2.onnx"));
  ASSERT_FALSE(short_model.ok());
  EXPECT_NE(short_model.status().message().find("outside"), std::string::npos) << short_model.status().message();
}

TEST(Loader, ExternalDataFromMemoryNeedsFolder) {
  std::string bytes = test::Serialize(ExternalModel("weights.bin"));
  auto model = format::LoadModelFromBytes(bytes.data(), bytes.size());
  ASSERT_FALSE(model.ok());
  EXPECT_NE(model.status().message().find("memory"), std::string::npos);
}

TEST(TensorProto, RoundTripsEveryStoredType) {
  for (DataType t : {DataType::kFloat, DataType::kDouble, DataType::kFloat16, DataType::kBFloat16, DataType::kInt8,
                     DataType::kInt16, DataType::kInt32, DataType::kInt64, DataType::kUint8, DataType::kUint16,
                     DataType::kUint32, DataType::kUint64, DataType::kBool, DataType::kComplex64,
                     DataType::kComplex128, DataType::kFloat8E4M3FN, DataType::kFloat8E5M2, DataType::kInt4,
                     DataType::kUint4, DataType::kString}) {
    auto made = Tensor::Create(t, {3});
    ASSERT_TRUE(made.ok());
    Tensor src = made.take();
    if (t == DataType::kString) {
      src.data<std::string>()[1] = "hello";
    } else {
      auto* bytes = static_cast<uint8_t*>(src.raw());
      for (int64_t i = 0; i < src.bytes(); ++i) bytes[i] = static_cast<uint8_t>(i * 7 + 1);
      if (t == DataType::kBool) for (int i = 0; i < 3; ++i) bytes[i] = i % 2;
    }
    proto::TensorProto tp;
    format::TensorToProto(src, &tp);
    auto back = format::TensorFromProto(tp, nullptr);
    ASSERT_TRUE(back.ok()) << DataTypeName(t) << ": " << back.status().ToString();
    EXPECT_EQ(back.value().type(), t);
    EXPECT_EQ(back.value().shape(), src.shape());
    if (t == DataType::kString) {
      EXPECT_EQ(back.value().data<std::string>()[1], "hello");
    } else {
      EXPECT_EQ(0, std::memcmp(back.value().raw(), src.raw(), static_cast<size_t>(src.bytes()))) << DataTypeName(t);
    }
  }
}

TEST(TensorProto, TypedFieldsForHalfAndInt4) {
  proto::TensorProto tp;
  tp.set_data_type(static_cast<int>(DataType::kFloat16));
  tp.add_dims(2);
  tp.add_int32_data(FloatToHalf(1.5f));
  tp.add_int32_data(FloatToHalf(-2.0f));
  auto t = format::TensorFromProto(tp, nullptr);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(HalfToFloat(t.value().data<uint16_t>()[0]), 1.5f);
  EXPECT_EQ(HalfToFloat(t.value().data<uint16_t>()[1]), -2.0f);

  proto::TensorProto i4;
  i4.set_data_type(static_cast<int>(DataType::kInt4));
  i4.add_dims(3);
  i4.add_int32_data(0x21);
  i4.add_int32_data(0x03);
  auto packed = format::TensorFromProto(i4, nullptr);
  ASSERT_TRUE(packed.ok()) << packed.status().ToString();
  EXPECT_EQ(packed.value().data<uint8_t>()[0], 0x21);
}

TEST(TensorProto, RejectsUnknownType) {
  proto::TensorProto tp;
  tp.set_data_type(99);
  EXPECT_FALSE(format::TensorFromProto(tp, nullptr).ok());
}

TEST(Loader, SubgraphsSeeOuterScope) {
  // The bundled Silero model has If nodes whose branches read outer values.
  std::string path = std::string(ONYX_SOURCE_DIR) + "/models/silero_vad/model.onnx";
  auto model = format::LoadModel(path);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  bool found_if = false;
  for (const auto& n : model.value()->graph->nodes()) {
    if (n->op_type() == "If") {
      found_if = true;
      EXPECT_FALSE(n->implicit_inputs().empty()) << n->Describe();
    }
  }
  EXPECT_TRUE(found_if);
}

}  // namespace
}  // namespace onyx
