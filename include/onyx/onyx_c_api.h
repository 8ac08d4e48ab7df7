/* Onyx C API: the stable interface of the Onyx ONNX inference engine.
 *
 * Conventions (they hold for every function below):
 *  - Every fallible call returns an OnyxStatus*. NULL means success; anything else is an error the caller
 *    owns and gives back with OnyxReleaseStatus. On error, out-parameters are left NULL / zero.
 *  - Every argument is checked: a NULL pointer, a bad count or a wrong size gives ONYX_INVALID_ARGUMENT with
 *    a message naming the function and the argument. No call aborts the process or throws.
 *  - Handles come in Create/Release pairs. Release functions accept NULL and do nothing.
 *  - Each handle carries its type: one passed as another (a session cast to OnyxValue*) gives
 *    ONYX_INVALID_ARGUMENT naming both types; a Release function given one leaves it alone and says so on
 *    stderr; status getters report it as their code and message. A released handle used again stays undefined.
 *  - Strings returned as `const char**` are owned by the object they were read from (session, type info,
 *    value, status) and stay valid until that object is released. Callers never free them.
 *  - A session is immutable once created: OnyxRun and every getter may be called from several threads at
 *    once. Values and options are not synchronized; do not modify one from two threads at a time.
 *
 * Nothing in this header is C++: it can be used from C, and from any language with a C FFI.
 */
#ifndef ONYX_ONYX_C_API_H_
#define ONYX_ONYX_C_API_H_

#include <stddef.h>
#include <stdint.h>

/* Bumped when functions are added; existing functions keep their signature and meaning. */
#define ONYX_C_API_VERSION 3

#if defined(_WIN32)
#if defined(ONYX_BUILDING_LIBRARY)
#define ONYX_API __declspec(dllexport)
#else
#define ONYX_API __declspec(dllimport)
#endif
#else
#define ONYX_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------------------------
 * Enumerations. Their numbers are part of the ABI.
 * ------------------------------------------------------------------------------------------------------- */

/* Mirrors the engine's internal status codes. */
typedef enum OnyxStatusCode {
  ONYX_OK = 0,
  ONYX_FAIL = 1,
  ONYX_INVALID_ARGUMENT = 2,
  ONYX_NO_SUCH_FILE = 3,
  ONYX_NO_MODEL = 4,
  ONYX_ENGINE_ERROR = 5,
  ONYX_RUNTIME_EXCEPTION = 6,
  ONYX_INVALID_PROTOBUF = 7,
  ONYX_MODEL_LOADED = 8,
  ONYX_NOT_IMPLEMENTED = 9,
  ONYX_INVALID_GRAPH = 10,
  ONYX_EP_FAIL = 11
} OnyxStatusCode;

/* Tensor element types; the numbers are ONNX's TensorProto.DataType. */
typedef enum OnyxElementType {
  ONYX_ELEMENT_TYPE_UNDEFINED = 0,
  ONYX_ELEMENT_TYPE_FLOAT = 1,
  ONYX_ELEMENT_TYPE_UINT8 = 2,
  ONYX_ELEMENT_TYPE_INT8 = 3,
  ONYX_ELEMENT_TYPE_UINT16 = 4,
  ONYX_ELEMENT_TYPE_INT16 = 5,
  ONYX_ELEMENT_TYPE_INT32 = 6,
  ONYX_ELEMENT_TYPE_INT64 = 7,
  ONYX_ELEMENT_TYPE_STRING = 8,
  ONYX_ELEMENT_TYPE_BOOL = 9,
  ONYX_ELEMENT_TYPE_FLOAT16 = 10,
  ONYX_ELEMENT_TYPE_DOUBLE = 11,
  ONYX_ELEMENT_TYPE_UINT32 = 12,
  ONYX_ELEMENT_TYPE_UINT64 = 13,
  ONYX_ELEMENT_TYPE_COMPLEX64 = 14,
  ONYX_ELEMENT_TYPE_COMPLEX128 = 15,
  ONYX_ELEMENT_TYPE_BFLOAT16 = 16,
  ONYX_ELEMENT_TYPE_FLOAT8E4M3FN = 17,
  ONYX_ELEMENT_TYPE_FLOAT8E4M3FNUZ = 18,
  ONYX_ELEMENT_TYPE_FLOAT8E5M2 = 19,
  ONYX_ELEMENT_TYPE_FLOAT8E5M2FNUZ = 20,
  ONYX_ELEMENT_TYPE_UINT4 = 21,
  ONYX_ELEMENT_TYPE_INT4 = 22,
  ONYX_ELEMENT_TYPE_FLOAT4E2M1 = 23,
  ONYX_ELEMENT_TYPE_FLOAT8E8M0 = 24,
  ONYX_ELEMENT_TYPE_UINT2 = 25,
  ONYX_ELEMENT_TYPE_INT2 = 26
} OnyxElementType;

/* What a value (or a declared graph input/output type) is. */
typedef enum OnyxValueKind {
  ONYX_VALUE_KIND_NONE = 0, /* an empty value (an omitted optional output), or a type that is not known */
  ONYX_VALUE_KIND_TENSOR = 1,
  ONYX_VALUE_KIND_SEQUENCE = 2,
  ONYX_VALUE_KIND_OPTIONAL = 3,
  ONYX_VALUE_KIND_MAP = 4,
  ONYX_VALUE_KIND_SPARSE_TENSOR = 5, /* type info only */
  ONYX_VALUE_KIND_OPAQUE = 6         /* type info only */
} OnyxValueKind;

typedef enum OnyxLogLevel {
  ONYX_LOG_VERBOSE = 0,
  ONYX_LOG_INFO = 1,
  ONYX_LOG_WARNING = 2,
  ONYX_LOG_ERROR = 3,
  ONYX_LOG_FATAL = 4
} OnyxLogLevel;

typedef enum OnyxExecutionMode { ONYX_EXECUTION_SEQUENTIAL = 0, ONYX_EXECUTION_PARALLEL = 1 } OnyxExecutionMode;

typedef enum OnyxOptimizationLevel {
  ONYX_OPTIMIZATION_DISABLED = 0,
  ONYX_OPTIMIZATION_BASIC = 1,
  ONYX_OPTIMIZATION_EXTENDED = 2,
  ONYX_OPTIMIZATION_ALL = 99
} OnyxOptimizationLevel;

/* ---------------------------------------------------------------------------------------------------------
 * Opaque handles.
 * ------------------------------------------------------------------------------------------------------- */

typedef struct OnyxStatus OnyxStatus;
typedef struct OnyxSessionOptions OnyxSessionOptions;
typedef struct OnyxSession OnyxSession;
typedef struct OnyxRunOptions OnyxRunOptions;
typedef struct OnyxValue OnyxValue;
typedef struct OnyxTypeInfo OnyxTypeInfo;           /* owned by the session it came from */
typedef struct OnyxModelMetadata OnyxModelMetadata; /* owned by the session it came from */

/* ---------------------------------------------------------------------------------------------------------
 * Library and status.
 * ------------------------------------------------------------------------------------------------------- */

/* "0.1.0"; static storage. */
ONYX_API const char* OnyxGetVersionString(void);
/* ONYX_C_API_VERSION of the library actually loaded (may be newer than the header compiled against). */
ONYX_API uint32_t OnyxGetApiVersion(void);

/* A status for callers that build their own errors (language bindings, callbacks). Returns NULL for ONYX_OK.
 * `message` may be NULL (empty message). */
ONYX_API OnyxStatus* OnyxCreateStatus(OnyxStatusCode code, const char* message);
/* ONYX_OK for a NULL status. */
ONYX_API OnyxStatusCode OnyxStatusGetCode(const OnyxStatus* status);
/* "" for a NULL status. The text is owned by the status. */
ONYX_API const char* OnyxStatusGetMessage(const OnyxStatus* status);
/* "OK", "INVALID_ARGUMENT", ...; static storage; "UNKNOWN" for numbers outside the enumeration. */
ONYX_API const char* OnyxStatusCodeName(OnyxStatusCode code);
ONYX_API void OnyxReleaseStatus(OnyxStatus* status);

/* "float", "int64", ...; static storage; "undefined" for numbers outside the enumeration. */
ONYX_API const char* OnyxElementTypeName(OnyxElementType type);

/* ---------------------------------------------------------------------------------------------------------
 * Session options. Defaults: log level WARNING, intra-op threads 0 (one per core), sequential execution,
 * optimization level ALL.
 * ------------------------------------------------------------------------------------------------------- */

ONYX_API OnyxStatus* OnyxCreateSessionOptions(OnyxSessionOptions** out);
ONYX_API void OnyxReleaseSessionOptions(OnyxSessionOptions* options);
ONYX_API OnyxStatus* OnyxSessionOptionsSetLogLevel(OnyxSessionOptions* options, OnyxLogLevel level);
/* 0 means one thread per core; 1 runs kernels on the calling thread only. Negative is an error. */
ONYX_API OnyxStatus* OnyxSessionOptionsSetIntraOpThreads(OnyxSessionOptions* options, int threads);
ONYX_API OnyxStatus* OnyxSessionOptionsSetExecutionMode(OnyxSessionOptions* options, OnyxExecutionMode mode);
ONYX_API OnyxStatus* OnyxSessionOptionsSetOptimizationLevel(OnyxSessionOptions* options, OnyxOptimizationLevel level);
/* Free-form key/value settings read by the engine and its providers; a second call with a key replaces it. */
ONYX_API OnyxStatus* OnyxSessionOptionsAddConfigEntry(OnyxSessionOptions* options, const char* key, const char* value);
/* Since API version 2. Profiling: sessions made with these options record a Chrome trace (open it in
 * chrome://tracing or https://ui.perfetto.dev) of their creation, of each run and of each node run, subgraph nodes
 * included, and write it to "<profile_file_prefix>_<date>_<time>.json" at OnyxSessionEndProfiling or when the
 * session is released. `profile_file_prefix` may be NULL for "onyx_profile". The file is created when the session
 * is, so a path that cannot be written fails OnyxCreateSession. */
ONYX_API OnyxStatus* OnyxSessionOptionsEnableProfiling(OnyxSessionOptions* options, const char* profile_file_prefix);
ONYX_API OnyxStatus* OnyxSessionOptionsDisableProfiling(OnyxSessionOptions* options);
/* Since API version 3. Memory, as onnxruntime's options of the same names, both on by default. The CPU memory
 * arena keeps the buffers of one run for the next instead of returning them to the system (what a run did not
 * use is given back after it). The memory pattern additionally records the sizes and lifetimes of a run's
 * buffers and, once two runs in a row repeat them (same input shapes), places every intermediate value at a
 * planned offset in one block; it needs the arena. */
ONYX_API OnyxStatus* OnyxSessionOptionsEnableCpuMemArena(OnyxSessionOptions* options);
ONYX_API OnyxStatus* OnyxSessionOptionsDisableCpuMemArena(OnyxSessionOptions* options);
ONYX_API OnyxStatus* OnyxSessionOptionsEnableMemPattern(OnyxSessionOptions* options);
ONYX_API OnyxStatus* OnyxSessionOptionsDisableMemPattern(OnyxSessionOptions* options);

/* ---------------------------------------------------------------------------------------------------------
 * Sessions. `options` may be NULL for the defaults; it is copied, so it may be released right after.
 * ------------------------------------------------------------------------------------------------------- */

ONYX_API OnyxStatus* OnyxCreateSession(const char* model_path, const OnyxSessionOptions* options, OnyxSession** out);
/* The bytes are read during the call only; the caller may free them right after. External data (if the model
 * refers to any) cannot be resolved for a model from memory. */
ONYX_API OnyxStatus* OnyxCreateSessionFromBytes(const void* model_data, size_t model_size,
                                                const OnyxSessionOptions* options, OnyxSession** out);
ONYX_API void OnyxReleaseSession(OnyxSession* session);

ONYX_API OnyxStatus* OnyxSessionGetInputCount(const OnyxSession* session, size_t* out);
ONYX_API OnyxStatus* OnyxSessionGetOutputCount(const OnyxSession* session, size_t* out);
/* Names are owned by the session (valid until OnyxReleaseSession). `index` must be below the count. */
ONYX_API OnyxStatus* OnyxSessionGetInputName(const OnyxSession* session, size_t index, const char** out);
ONYX_API OnyxStatus* OnyxSessionGetOutputName(const OnyxSession* session, size_t index, const char** out);
/* Declared types of graph inputs/outputs, owned by the session. */
ONYX_API OnyxStatus* OnyxSessionGetInputTypeInfo(const OnyxSession* session, size_t index, const OnyxTypeInfo** out);
ONYX_API OnyxStatus* OnyxSessionGetOutputTypeInfo(const OnyxSession* session, size_t index, const OnyxTypeInfo** out);
ONYX_API OnyxStatus* OnyxSessionGetModelMetadata(const OnyxSession* session, const OnyxModelMetadata** out);
/* Since API version 2. Writes the profiling trace and stops profiling; *out is the file's name (owned by the
 * session), or "" when the session does not profile or has already ended. Runs on other threads go on, unrecorded. */
ONYX_API OnyxStatus* OnyxSessionEndProfiling(const OnyxSession* session, const char** out);
/* Since API version 2. When profiling started, in nanoseconds since the Unix epoch; 0 without profiling. */
ONYX_API OnyxStatus* OnyxSessionGetProfilingStartTimeNs(const OnyxSession* session, uint64_t* out);

/* ---------------------------------------------------------------------------------------------------------
 * Type info (declared types of graph inputs and outputs).
 * ------------------------------------------------------------------------------------------------------- */

ONYX_API OnyxStatus* OnyxTypeInfoGetKind(const OnyxTypeInfo* info, OnyxValueKind* out);
/* Tensors: the element type. Maps: the key type. Others: ONYX_ELEMENT_TYPE_UNDEFINED. */
ONYX_API OnyxStatus* OnyxTypeInfoGetElementType(const OnyxTypeInfo* info, OnyxElementType* out);
/* Tensors: the rank, or -1 when even the rank is unknown. Others: -1. */
ONYX_API OnyxStatus* OnyxTypeInfoGetRank(const OnyxTypeInfo* info, int64_t* out);
/* Writes exactly `dims_count` dims, which must equal the rank; -1 marks a dim whose size is not fixed. */
ONYX_API OnyxStatus* OnyxTypeInfoGetDims(const OnyxTypeInfo* info, int64_t* dims, size_t dims_count);
/* The symbolic name of dim `axis` ("batch"), or "" when the dim is fixed or anonymous. */
ONYX_API OnyxStatus* OnyxTypeInfoGetSymbolicDim(const OnyxTypeInfo* info, size_t axis, const char** out);
/* Sequences and optionals: the element type. Maps: the value type. An error for other kinds. */
ONYX_API OnyxStatus* OnyxTypeInfoGetInner(const OnyxTypeInfo* info, const OnyxTypeInfo** out);
/* "tensor(float)[1,3,N,?]"-style text, for messages. */
ONYX_API OnyxStatus* OnyxTypeInfoToString(const OnyxTypeInfo* info, const char** out);

/* ---------------------------------------------------------------------------------------------------------
 * Model metadata. Every string is owned by the session; absent fields read as "".
 * ------------------------------------------------------------------------------------------------------- */

ONYX_API OnyxStatus* OnyxModelMetadataGetProducerName(const OnyxModelMetadata* metadata, const char** out);
ONYX_API OnyxStatus* OnyxModelMetadataGetProducerVersion(const OnyxModelMetadata* metadata, const char** out);
ONYX_API OnyxStatus* OnyxModelMetadataGetGraphName(const OnyxModelMetadata* metadata, const char** out);
ONYX_API OnyxStatus* OnyxModelMetadataGetDomain(const OnyxModelMetadata* metadata, const char** out);
/* The model's doc_string. */
ONYX_API OnyxStatus* OnyxModelMetadataGetDescription(const OnyxModelMetadata* metadata, const char** out);
ONYX_API OnyxStatus* OnyxModelMetadataGetGraphDescription(const OnyxModelMetadata* metadata, const char** out);
ONYX_API OnyxStatus* OnyxModelMetadataGetVersion(const OnyxModelMetadata* metadata, int64_t* out);
ONYX_API OnyxStatus* OnyxModelMetadataGetIrVersion(const OnyxModelMetadata* metadata, int64_t* out);
/* Custom metadata (metadata_props): count, i-th key, lookup by key. Lookup of an absent key succeeds and
 * sets *out to NULL. */
ONYX_API OnyxStatus* OnyxModelMetadataGetCustomCount(const OnyxModelMetadata* metadata, size_t* out);
ONYX_API OnyxStatus* OnyxModelMetadataGetCustomKey(const OnyxModelMetadata* metadata, size_t index, const char** out);
ONYX_API OnyxStatus* OnyxModelMetadataLookupCustom(const OnyxModelMetadata* metadata, const char* key,
                                                   const char** out);

/* ---------------------------------------------------------------------------------------------------------
 * Values. Shapes are `rank` dims, each >= 0; `shape` may be NULL only when rank is 0 (a scalar).
 * ------------------------------------------------------------------------------------------------------- */

/* Copies `data_bytes` bytes, which must be exactly what the type and shape need (element count times the
 * element size; packed 4-bit and 2-bit types round up to whole bytes). Not for strings: see
 * OnyxCreateStringTensor. `data` may be NULL only when data_bytes is 0. */
ONYX_API OnyxStatus* OnyxCreateTensor(OnyxElementType type, const int64_t* shape, size_t rank, const void* data,
                                      size_t data_bytes, OnyxValue** out);
/* A zero-filled tensor to be written through OnyxTensorGetMutableData. Strings start empty. */
ONYX_API OnyxStatus* OnyxCreateTensorZeroed(OnyxElementType type, const int64_t* shape, size_t rank, OnyxValue** out);
/* Wraps the caller's memory without copying. The caller keeps `data` alive and unchanged while the value, and
 * any output of a run that took it as an input, is alive: outputs may share an input's memory (a Reshape or
 * Identity output, for example). Size rules as OnyxCreateTensor; not for strings. */
ONYX_API OnyxStatus* OnyxCreateTensorWrapping(OnyxElementType type, const int64_t* shape, size_t rank, void* data,
                                              size_t data_bytes, OnyxValue** out);
/* Copies `count` strings, which must equal the element count. `lengths` may be NULL: each string is then read
 * up to its NUL; with lengths, strings may hold NUL bytes. */
ONYX_API OnyxStatus* OnyxCreateStringTensor(const int64_t* shape, size_t rank, const char* const* strings,
                                            const size_t* lengths, size_t count, OnyxValue** out);
/* A sequence holding (shallow) copies of `count` values, which must all be tensors of one element type.
 * `items` may be NULL when count is 0; the element type is then `elem_type`, which may be UNDEFINED. */
ONYX_API OnyxStatus* OnyxCreateSequence(const OnyxValue* const* items, size_t count, OnyxElementType elem_type,
                                        OnyxValue** out);
/* An optional holding a copy of `element`, or an empty optional when `element` is NULL. */
ONYX_API OnyxStatus* OnyxCreateOptional(const OnyxValue* element, OnyxValue** out);
ONYX_API void OnyxReleaseValue(OnyxValue* value);

ONYX_API OnyxStatus* OnyxValueGetKind(const OnyxValue* value, OnyxValueKind* out);

/* Tensor accessors: an error for other kinds. */
ONYX_API OnyxStatus* OnyxTensorGetElementType(const OnyxValue* value, OnyxElementType* out);
ONYX_API OnyxStatus* OnyxTensorGetRank(const OnyxValue* value, size_t* out);
/* Writes exactly `dims_count` dims, which must equal the rank. */
ONYX_API OnyxStatus* OnyxTensorGetDims(const OnyxValue* value, int64_t* dims, size_t dims_count);
ONYX_API OnyxStatus* OnyxTensorGetElementCount(const OnyxValue* value, int64_t* out);
/* Bytes of element data (as OnyxCreateTensor expects); an error for string tensors. */
ONYX_API OnyxStatus* OnyxTensorGetDataBytes(const OnyxValue* value, size_t* out);
/* The element data, valid while the value lives; NULL for an empty tensor. An error for string tensors. */
ONYX_API OnyxStatus* OnyxTensorGetData(const OnyxValue* value, const void** out);
/* Writable element data. Only for tensors the caller created: outputs of a run may share memory with the
 * session (constant folded initializers, for example), so writing to them is refused; copy them instead. */
ONYX_API OnyxStatus* OnyxTensorGetMutableData(OnyxValue* value, void** out);
/* Element `index` of a string tensor (row-major). The text is owned by the value and NUL-terminated;
 * `length` (may be NULL) receives its length in bytes, which counts embedded NULs. */
ONYX_API OnyxStatus* OnyxTensorGetString(const OnyxValue* value, size_t index, const char** out, size_t* length);

/* Sequence accessors: an error for other kinds. Items are new handles sharing the sequence's data. */
ONYX_API OnyxStatus* OnyxSequenceGetLength(const OnyxValue* value, size_t* out);
ONYX_API OnyxStatus* OnyxSequenceGetItem(const OnyxValue* value, size_t index, OnyxValue** out);

/* Optional accessors: an error for other kinds. Getting the element of an empty optional is an error. */
ONYX_API OnyxStatus* OnyxOptionalHasElement(const OnyxValue* value, int* out);
ONYX_API OnyxStatus* OnyxOptionalGetElement(const OnyxValue* value, OnyxValue** out);

/* ---------------------------------------------------------------------------------------------------------
 * Running.
 * ------------------------------------------------------------------------------------------------------- */

ONYX_API OnyxStatus* OnyxCreateRunOptions(OnyxRunOptions** out);
ONYX_API void OnyxReleaseRunOptions(OnyxRunOptions* run_options);
/* Asks runs using these options to stop between nodes (they fail with ONYX_FAIL); 0 clears the request.
 * Safe to call from another thread while a run is in progress. */
ONYX_API OnyxStatus* OnyxRunOptionsSetTerminate(OnyxRunOptions* run_options, int terminate);

/* Runs the model.
 *  - `run_options` may be NULL.
 *  - Inputs: `input_count` names and values; both arrays may be NULL when input_count is 0.
 *  - Outputs: `output_count` names; `outputs` is an array of `output_count` slots that receive new values,
 *    each released by the caller with OnyxReleaseValue. `output_names` may be NULL to ask for every output in
 *    graph order; `output_count` must then equal OnyxSessionGetOutputCount. A name may also be any
 *    intermediate value of the main graph (or an input or initializer): it is returned as computed at the
 *    session's optimization level, kept alive for that run only. A value the optimizer fused away is an
 *    ONYX_INVALID_ARGUMENT error that says so; create the session at a lower level to fetch it.
 *  - On error, every output slot is set to NULL.
 * Inputs are read, never written; outputs may share memory with inputs (see OnyxCreateTensorWrapping). */
ONYX_API OnyxStatus* OnyxRun(const OnyxSession* session, const OnyxRunOptions* run_options,
                             const char* const* input_names, const OnyxValue* const* inputs, size_t input_count,
                             const char* const* output_names, size_t output_count, OnyxValue** outputs);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* ONYX_ONYX_C_API_H_ */
