// A loaded model: its metadata and its main graph.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "ir/graph.h"

namespace onyx::ir {

struct ModelMetadata {
  int64_t ir_version = 0;
  OpsetMap opsets;
  std::string producer_name, producer_version, domain, doc_string;
  int64_t model_version = 0;
  std::vector<std::pair<std::string, std::string>> metadata_props;
  std::string graph_name, graph_doc_string;
};

struct Model {
  ModelMetadata metadata;
  std::shared_ptr<Graph> graph;
  std::string base_dir;  // folder external data is resolved in ("" for models from memory)
};

}  // namespace onyx::ir
