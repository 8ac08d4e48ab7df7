// Writes an IR model back to an ONNX file (what `onyx optimize` and the optimized_model_path option produce).
#pragma once

#include <string>

#include "common/status.h"
#include "ir/model.h"
#include "onnx.pb.h"

namespace onyx::format {

Status ModelToProto(const ir::Model& model, proto::ModelProto* out);
Status SaveModel(const ir::Model& model, const std::string& path);

}  // namespace onyx::format
