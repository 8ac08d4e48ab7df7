/* Onyx C API example: loads a model, feeds every input with fixed values, runs it and prints each output's
 * name, type, shape and first values.
 *
 *   example_c [model.onnx [DIM=SIZE ...]]
 *
 * Dims that the model leaves open (batch size, sequence length) are fed as 1 unless a DIM=SIZE argument names
 * their symbol, e.g. `example_c vad.onnx sequence=512`. Without arguments it loads the model bundled under
 * models/ with the dims that suit it (ONYX_EXAMPLE_MODEL and ONYX_EXAMPLE_DIMS, set by the build).
 * Exits non-zero, printing the error, when anything fails. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "onyx/onyx_c_api.h"

/* Prints and releases a failed status; returns 1 when there was one. */
static int Failed(OnyxStatus* status, const char* what) {
  if (status == NULL) return 0;
  fprintf(stderr, "error: %s: [%s] %s\n", what, OnyxStatusCodeName(OnyxStatusGetCode(status)),
          OnyxStatusGetMessage(status));
  OnyxReleaseStatus(status);
  return 1;
}

#define CHECK(expr, what)                  \
  do {                                     \
    if (Failed((expr), (what))) goto done; \
  } while (0)

/* Fills n elements with a small repeating ramp, so that outputs are reproducible run to run. */
static void FillRamp(OnyxElementType type, void* data, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    int r = (int)(i % 10);
    switch (type) {
      case ONYX_ELEMENT_TYPE_FLOAT:
        ((float*)data)[i] = 0.1f * (float)r;
        break;
      case ONYX_ELEMENT_TYPE_DOUBLE:
        ((double*)data)[i] = 0.1 * r;
        break;
      case ONYX_ELEMENT_TYPE_INT8:
        ((int8_t*)data)[i] = (int8_t)r;
        break;
      case ONYX_ELEMENT_TYPE_UINT8:
        ((uint8_t*)data)[i] = (uint8_t)r;
        break;
      case ONYX_ELEMENT_TYPE_INT16:
        ((int16_t*)data)[i] = (int16_t)r;
        break;
      case ONYX_ELEMENT_TYPE_UINT16:
        ((uint16_t*)data)[i] = (uint16_t)r;
        break;
      case ONYX_ELEMENT_TYPE_INT32:
        ((int32_t*)data)[i] = r;
        break;
      case ONYX_ELEMENT_TYPE_UINT32:
        ((uint32_t*)data)[i] = (uint32_t)r;
        break;
      case ONYX_ELEMENT_TYPE_INT64:
        ((int64_t*)data)[i] = r;
        break;
      case ONYX_ELEMENT_TYPE_UINT64:
        ((uint64_t*)data)[i] = (uint64_t)r;
        break;
      case ONYX_ELEMENT_TYPE_BOOL:
        ((uint8_t*)data)[i] = (uint8_t)(r % 2);
        break;
      default:
        return; /* other types stay zero */
    }
  }
}

static void PrintElement(OnyxElementType type, const void* data, int64_t i) {
  switch (type) {
    case ONYX_ELEMENT_TYPE_FLOAT:
      printf("%g", (double)((const float*)data)[i]);
      break;
    case ONYX_ELEMENT_TYPE_DOUBLE:
      printf("%g", ((const double*)data)[i]);
      break;
    case ONYX_ELEMENT_TYPE_INT8:
      printf("%d", ((const int8_t*)data)[i]);
      break;
    case ONYX_ELEMENT_TYPE_UINT8:
      printf("%u", ((const uint8_t*)data)[i]);
      break;
    case ONYX_ELEMENT_TYPE_INT16:
      printf("%d", ((const int16_t*)data)[i]);
      break;
    case ONYX_ELEMENT_TYPE_UINT16:
      printf("%u", ((const uint16_t*)data)[i]);
      break;
    case ONYX_ELEMENT_TYPE_INT32:
      printf("%d", ((const int32_t*)data)[i]);
      break;
    case ONYX_ELEMENT_TYPE_UINT32:
      printf("%u", ((const uint32_t*)data)[i]);
      break;
    case ONYX_ELEMENT_TYPE_INT64:
      printf("%lld", (long long)((const int64_t*)data)[i]);
      break;
    case ONYX_ELEMENT_TYPE_UINT64:
      printf("%llu", (unsigned long long)((const uint64_t*)data)[i]);
      break;
    case ONYX_ELEMENT_TYPE_BOOL:
      printf("%s", ((const uint8_t*)data)[i] ? "true" : "false");
      break;
    default:
      printf("?");
      break;
  }
}

/* Symbolic dim sizes from DIM=SIZE arguments. */
typedef struct DimOverride {
  const char* name;
  size_t name_length;
  int64_t size;
} DimOverride;

static int ParseDimOverride(const char* arg, DimOverride* out) {
  const char* eq = strchr(arg, '=');
  char* end = NULL;
  if (eq == NULL || eq == arg) return 0;
  long long size = strtoll(eq + 1, &end, 10);
  if (*end != '\0' || end == eq + 1 || size < 0) return 0;
  out->name = arg;
  out->name_length = (size_t)(eq - arg);
  out->size = (int64_t)size;
  return 1;
}

/* The size to feed for an open dim: the override naming its symbol, else 1. */
static int64_t OpenDimSize(const char* symbol, const DimOverride* overrides, size_t n_overrides) {
  for (size_t i = 0; i < n_overrides; ++i) {
    if (strlen(symbol) == overrides[i].name_length &&
        strncmp(symbol, overrides[i].name, overrides[i].name_length) == 0) {
      return overrides[i].size;
    }
  }
  return 1;
}

/* Makes a tensor for one graph input from its declared type. */
static OnyxStatus* MakeInput(const OnyxTypeInfo* info, const DimOverride* overrides, size_t n_overrides,
                             OnyxValue** out) {
  OnyxValueKind kind;
  OnyxElementType type;
  int64_t rank = 0;
  int64_t dims[16];
  int64_t count = 1;
  OnyxStatus* st;
  if ((st = OnyxTypeInfoGetKind(info, &kind)) != NULL) return st;
  if (kind != ONYX_VALUE_KIND_TENSOR) return OnyxCreateStatus(ONYX_NOT_IMPLEMENTED, "this example feeds tensors only");
  if ((st = OnyxTypeInfoGetElementType(info, &type)) != NULL) return st;
  if ((st = OnyxTypeInfoGetRank(info, &rank)) != NULL) return st;
  int known_rank = rank >= 0;
  if (!known_rank) { /* rank unknown: feed a vector */
    rank = 1;
    dims[0] = -1;
  } else {
    if (rank > 16) return OnyxCreateStatus(ONYX_NOT_IMPLEMENTED, "this example feeds inputs of rank 16 at most");
    if ((st = OnyxTypeInfoGetDims(info, dims, (size_t)rank)) != NULL) return st;
  }
  for (int64_t i = 0; i < rank; ++i) {
    if (dims[i] < 0) {
      const char* symbol = "";
      if (known_rank && (st = OnyxTypeInfoGetSymbolicDim(info, (size_t)i, &symbol)) != NULL) return st;
      dims[i] = OpenDimSize(symbol, overrides, n_overrides);
    }
    count *= dims[i];
  }
  if (type == ONYX_ELEMENT_TYPE_STRING) {
    const char** strings = (const char**)malloc((size_t)(count > 0 ? count : 1) * sizeof(char*));
    if (strings == NULL) return OnyxCreateStatus(ONYX_FAIL, "out of memory");
    for (int64_t i = 0; i < count; ++i) strings[i] = "onyx";
    st = OnyxCreateStringTensor(dims, (size_t)rank, strings, NULL, (size_t)count, out);
    free(strings);
    return st;
  }
  if ((st = OnyxCreateTensorZeroed(type, dims, (size_t)rank, out)) != NULL) return st;
  void* data = NULL;
  if ((st = OnyxTensorGetMutableData(*out, &data)) != NULL) return st;
  FillRamp(type, data, count);
  return NULL;
}

static OnyxStatus* PrintOutput(const char* name, const OnyxValue* value) {
  OnyxValueKind kind;
  OnyxElementType type;
  size_t rank = 0;
  int64_t dims[64];
  int64_t count = 0;
  OnyxStatus* st;
  if ((st = OnyxValueGetKind(value, &kind)) != NULL) return st;
  if (kind != ONYX_VALUE_KIND_TENSOR) {
    printf("%s: a non-tensor value (kind %d)\n", name, (int)kind);
    return NULL;
  }
  if ((st = OnyxTensorGetElementType(value, &type)) != NULL) return st;
  if ((st = OnyxTensorGetRank(value, &rank)) != NULL) return st;
  if (rank > 64) return OnyxCreateStatus(ONYX_NOT_IMPLEMENTED, "this example prints outputs of rank 64 at most");
  if ((st = OnyxTensorGetDims(value, dims, rank)) != NULL) return st;
  if ((st = OnyxTensorGetElementCount(value, &count)) != NULL) return st;
  printf("%s: %s[", name, OnyxElementTypeName(type));
  for (size_t i = 0; i < rank; ++i) printf(i ? ",%lld" : "%lld", (long long)dims[i]);
  printf("] =");
  int64_t shown = count < 8 ? count : 8;
  if (type == ONYX_ELEMENT_TYPE_STRING) {
    for (int64_t i = 0; i < shown; ++i) {
      const char* s = NULL;
      if ((st = OnyxTensorGetString(value, (size_t)i, &s, NULL)) != NULL) return st;
      printf(" \"%s\"", s);
    }
  } else {
    const void* data = NULL;
    if ((st = OnyxTensorGetData(value, &data)) != NULL) return st;
    for (int64_t i = 0; i < shown; ++i) {
      printf(" ");
      PrintElement(type, data, i);
    }
  }
  printf("%s\n", count > shown ? " ..." : "");
  return NULL;
}

int main(int argc, char** argv) {
  const char* path = NULL;
  const char* const* dim_args = (const char* const*)argv + 2;
  size_t n_dim_args = argc > 2 ? (size_t)(argc - 2) : 0;
#ifdef ONYX_EXAMPLE_MODEL
  static const char* const kDefaultDims[] = {ONYX_EXAMPLE_DIMS}; /* one DIM=SIZE, or "" for none */
  if (argc <= 1) {
    path = ONYX_EXAMPLE_MODEL;
    dim_args = kDefaultDims;
    n_dim_args = kDefaultDims[0][0] != '\0' ? 1 : 0;
  }
#endif
  if (argc > 1) path = argv[1];
  if (path == NULL) {
    fprintf(stderr, "usage: %s model.onnx [DIM=SIZE ...]\n", argv[0]);
    return 2;
  }
  DimOverride overrides[32];
  if (n_dim_args > 32) {
    fprintf(stderr, "error: at most 32 DIM=SIZE arguments\n");
    return 2;
  }
  for (size_t i = 0; i < n_dim_args; ++i) {
    if (!ParseDimOverride(dim_args[i], &overrides[i])) {
      fprintf(stderr, "error: '%s' is not DIM=SIZE\n", dim_args[i]);
      return 2;
    }
  }

  int rc = 1;
  OnyxSessionOptions* options = NULL;
  OnyxSession* session = NULL;
  const OnyxModelMetadata* metadata = NULL;
  size_t n_in = 0, n_out = 0;
  const char** in_names = NULL;
  OnyxValue** inputs = NULL;
  OnyxValue** outputs = NULL;
  const char* producer = NULL;
  const char* graph = NULL;

  CHECK(OnyxCreateSessionOptions(&options), "creating session options");
  CHECK(OnyxSessionOptionsSetIntraOpThreads(options, 1), "setting threads");
  CHECK(OnyxCreateSession(path, options, &session), path);
  CHECK(OnyxSessionGetModelMetadata(session, &metadata), "reading metadata");
  CHECK(OnyxModelMetadataGetProducerName(metadata, &producer), "reading metadata");
  CHECK(OnyxModelMetadataGetGraphName(metadata, &graph), "reading metadata");
  printf("onyx %s: loaded %s (graph '%s', producer '%s')\n", OnyxGetVersionString(), path, graph, producer);

  CHECK(OnyxSessionGetInputCount(session, &n_in), "counting inputs");
  CHECK(OnyxSessionGetOutputCount(session, &n_out), "counting outputs");
  in_names = (const char**)calloc(n_in + 1, sizeof(char*));
  inputs = (OnyxValue**)calloc(n_in + 1, sizeof(OnyxValue*));
  outputs = (OnyxValue**)calloc(n_out + 1, sizeof(OnyxValue*));
  if (in_names == NULL || inputs == NULL || outputs == NULL) {
    fprintf(stderr, "error: out of memory\n");
    goto done;
  }
  for (size_t i = 0; i < n_in; ++i) {
    const OnyxTypeInfo* info = NULL;
    const char* text = NULL;
    CHECK(OnyxSessionGetInputName(session, i, &in_names[i]), "reading an input name");
    CHECK(OnyxSessionGetInputTypeInfo(session, i, &info), "reading an input type");
    CHECK(OnyxTypeInfoToString(info, &text), "reading an input type");
    printf("input %s: %s\n", in_names[i], text);
    CHECK(MakeInput(info, overrides, n_dim_args, &inputs[i]), in_names[i]);
  }

  /* NULL output names: every output, in graph order. */
  CHECK(OnyxRun(session, NULL, in_names, (const OnyxValue* const*)inputs, n_in, NULL, n_out, outputs), "running");
  for (size_t i = 0; i < n_out; ++i) {
    const char* name = NULL;
    CHECK(OnyxSessionGetOutputName(session, i, &name), "reading an output name");
    CHECK(PrintOutput(name, outputs[i]), name);
  }
  rc = 0;

done:
  if (outputs != NULL) {
    for (size_t i = 0; i < n_out; ++i) OnyxReleaseValue(outputs[i]);
  }
  if (inputs != NULL) {
    for (size_t i = 0; i < n_in; ++i) OnyxReleaseValue(inputs[i]);
  }
  free(outputs);
  free(inputs);
  free(in_names);
  OnyxReleaseSession(session);
  OnyxReleaseSessionOptions(options);
  return rc;
}
