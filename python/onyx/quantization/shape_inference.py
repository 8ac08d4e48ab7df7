"""quant_pre_process as onnxruntime.quantization.shape_inference names it: Onyx's basic-level optimizer (constant
folding, BatchNormalization folded into Conv, MatMul+Add into Gemm; standard operators only) and its shape
inference, written back as a model ready for quantization."""

from __future__ import annotations

from pathlib import Path


def quant_pre_process(input_model=None, output_model_path=None, skip_optimization: bool = False,
                      skip_onnx_shape: bool = False, skip_symbolic_shape: bool = False, auto_merge: bool = False,
                      int_max: int = 2**31 - 1, guess_output_rank: bool = False, verbose: int = 0,
                      save_as_external_data: bool = False, all_tensors_to_one_file: bool = False,
                      external_data_location=None, external_data_size_threshold: int = 1024,
                      **deprecated_kwargs) -> None:
    import onyx

    if input_model is None or output_model_path is None:
        raise ValueError("quant_pre_process needs input_model and output_model_path")
    if not isinstance(input_model, (str, Path)):
        input_model = input_model.SerializeToString()
    options = onyx.SessionOptions()
    options.graph_optimization_level = (onyx.GraphOptimizationLevel.ORT_DISABLE_ALL if skip_optimization
                                        else onyx.GraphOptimizationLevel.ORT_ENABLE_BASIC)
    options.optimized_model_filepath = str(output_model_path)
    onyx.InferenceSession(input_model if isinstance(input_model, bytes) else str(input_model), options)
