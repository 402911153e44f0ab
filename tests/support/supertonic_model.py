"""A tiny stand-in for Supertone's Supertonic 2/3 model folder, written with the onnx helper API, for the tests.

The folder has the real layout, file names, ONNX input/output names, dtypes and dynamic shapes, and the real config
formats, so the `supertonic` package's own loader and inference code (supertonic.TTS → loader.load_model →
core.Supertonic) run on it unchanged through onnxruntime, in milliseconds:

    <dir>/onnx/duration_predictor.onnx   text_ids i64[B,T], style_dp f32[B,8,16], text_mask f32[B,1,T] → duration f32[B]
    <dir>/onnx/text_encoder.onnx         text_ids, style_ttl f32[B,50,256], text_mask → text_emb f32[B,256,T]
    <dir>/onnx/vector_estimator.onnx     noisy_latent f32[B,144,L], text_emb, style_ttl, latent_mask f32[B,1,L],
                                         text_mask, current_step f32[B], total_step f32[B]
                                         → denoised_latent f32[B,144,L]
    <dir>/onnx/vocoder.onnx              latent f32[B,144,L] → wav_tts f32[B, L*3072]
    <dir>/onnx/tts.json                  {"ae": {"sample_rate": 44100, "base_chunk_size": 512, …},
                                          "ttl": {"latent_dim": 24, "chunk_compress_factor": 6, …}, …}
    <dir>/onnx/unicode_indexer.json      a list of 65536 ints: model token id per UTF-16 code unit, -1 if unsupported
    <dir>/voice_styles/M1.json …         {"style_ttl": {"dims": [1,50,256], "data": [[[…]]], "type": "float32"},
                                          "style_dp": {"dims": [1,8,16], "data": [[[…]]], "type": "float32"},
                                          "metadata": {…}}

What it computes, so tests can assert on it:
  * duration = 0.2 s + (0.06 + 0.01·mean(style_dp)) s per input token (tokens = the "<ko>…</ko>"-wrapped, NFKD text);
  * the "flow matching" steps move the noise a 1/(total-current) fraction towards a target each step, so after the
    last step the latent is exactly (1 + mean(style_ttl)) in the frames the latent mask keeps, 0 elsewhere, whatever
    the random noise was — plus a trace of the noise (NOISE_TRACE) so that tests can see the noise is seeded;
  * the vocoder turns each latent frame (3072 samples) into a sine of 220·(1 + level) Hz at amplitude 0.3, silent
    where the latent is 0: voices differ audibly (style_ttl mean 0 → 220 Hz, 1 → 440 Hz).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

SAMPLE_RATE = 44100
BASE_CHUNK_SIZE = 512
CHUNK_COMPRESS_FACTOR = 6
LATENT_DIM = 24
TEXT_EMB_DIM = 256
STYLE_TTL_SHAPE = (1, 50, 256)
STYLE_DP_SHAPE = (1, 8, 16)
# Each step stops this short of its target, so the result keeps a trace of the random noise (a few ten-thousandths):
# inaudible, but enough to change the samples when the noise is not seeded.
NOISE_TRACE = 0.001
OPSET = 17  # ReduceMean still takes `axes` as an attribute here; ReduceSum/Unsqueeze take it as an input
IR_VERSION = 8  # loadable by onnxruntime ≥ 1.10

# Per voice: (mean of style_ttl → pitch, mean of style_dp → pace). The real files hold learned vectors.
VOICE_MEANS = {
    "M1": (0.0, 0.0), "M2": (0.125, 1.0), "M3": (0.25, 2.0), "M4": (0.375, 3.0), "M5": (0.5, 4.0),
    "F1": (1.0, 0.0), "F2": (1.125, 1.0), "F3": (1.25, 2.0), "F4": (1.375, 3.0), "F5": (1.5, 4.0),
}  # fmt: skip

FLOAT, INT64 = TensorProto.FLOAT, TensorProto.INT64


def tensor(name: str, elem: int, dims: list) -> onnx.ValueInfoProto:
    return helper.make_tensor_value_info(name, elem, dims)


def const(name: str, value: np.ndarray) -> onnx.NodeProto:
    return helper.make_node("Constant", [], [name], value=numpy_helper.from_array(value, name))


def f32(value) -> np.ndarray:
    return np.asarray(value, dtype=np.float32)


def i64(value) -> np.ndarray:
    return np.asarray(value, dtype=np.int64)


def model(graph: onnx.GraphProto) -> onnx.ModelProto:
    built = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="test-stand-in")
    built.ir_version = IR_VERSION
    onnx.checker.check_model(built, full_check=True)
    return built


def duration_predictor() -> onnx.ModelProto:
    nodes = [
        const("axes12", i64([1, 2])),
        helper.make_node("ReduceSum", ["text_mask", "axes12"], ["n_tokens"], keepdims=0),  # [B]
        helper.make_node("ReduceMean", ["style_dp"], ["style_mean"], axes=[1, 2], keepdims=0),  # [B]
        const("pace_gain", f32(0.01)),
        const("base_pace", f32(0.06)),
        const("lead", f32(0.2)),
        helper.make_node("Mul", ["style_mean", "pace_gain"], ["pace_delta"]),
        helper.make_node("Add", ["pace_delta", "base_pace"], ["seconds_per_token"]),
        helper.make_node("Mul", ["n_tokens", "seconds_per_token"], ["speech"]),
        helper.make_node("Add", ["speech", "lead"], ["duration"]),
    ]
    graph = helper.make_graph(
        nodes, "duration_predictor",
        [tensor("text_ids", INT64, ["batch_size", "text_length"]),
         tensor("style_dp", FLOAT, ["batch_size", 8, 16]),
         tensor("text_mask", FLOAT, ["batch_size", 1, "text_length"])],
        [tensor("duration", FLOAT, ["batch_size"])],
    )  # fmt: skip
    return model(graph)


def text_encoder() -> onnx.ModelProto:
    channel_weights = f32(np.linspace(0.001, 0.256, TEXT_EMB_DIM).reshape(1, TEXT_EMB_DIM, 1))
    nodes = [
        helper.make_node("Cast", ["text_ids"], ["ids_f"], to=FLOAT),  # [B,T]
        const("axis1", i64([1])),
        helper.make_node("Unsqueeze", ["ids_f", "axis1"], ["ids_u"]),  # [B,1,T]
        const("channel_weights", channel_weights),
        helper.make_node("Mul", ["ids_u", "channel_weights"], ["per_char"]),  # [B,256,T]
        helper.make_node("ReduceMean", ["style_ttl"], ["style_tokens"], axes=[1], keepdims=1),  # [B,1,256]
        helper.make_node("Transpose", ["style_tokens"], ["style_column"], perm=[0, 2, 1]),  # [B,256,1]
        helper.make_node("Add", ["per_char", "style_column"], ["styled"]),
        helper.make_node("Mul", ["styled", "text_mask"], ["text_emb"]),
    ]
    graph = helper.make_graph(
        nodes, "text_encoder",
        [tensor("text_ids", INT64, ["batch_size", "text_length"]),
         tensor("style_ttl", FLOAT, ["batch_size", 50, 256]),
         tensor("text_mask", FLOAT, ["batch_size", 1, "text_length"])],
        [tensor("text_emb", FLOAT, ["batch_size", TEXT_EMB_DIM, "text_length"])],
    )  # fmt: skip
    return model(graph)


def vector_estimator() -> onnx.ModelProto:
    channels = LATENT_DIM * CHUNK_COMPRESS_FACTOR
    nodes = [
        helper.make_node("ReduceMean", ["style_ttl"], ["style_mean"], axes=[1, 2], keepdims=1),  # [B,1,1]
        const("one", f32(1.0)),
        helper.make_node("Add", ["style_mean", "one"], ["level"]),
        helper.make_node("Mul", ["level", "latent_mask"], ["target"]),  # [B,1,L], broadcast over 144 channels
        helper.make_node("Sub", ["total_step", "current_step"], ["remaining"]),  # [B]
        const("trace", f32(NOISE_TRACE)),
        helper.make_node("Add", ["remaining", "trace"], ["remaining_traced"]),  # the last step leaves a trace of noise
        const("shape_b11", i64([-1, 1, 1])),
        helper.make_node("Reshape", ["remaining_traced", "shape_b11"], ["remaining_b11"]),
        helper.make_node("Sub", ["target", "noisy_latent"], ["velocity"]),  # [B,144,L]
        helper.make_node("Div", ["velocity", "remaining_b11"], ["step"]),  # Euler step of 1/(total-current)
        helper.make_node("Add", ["noisy_latent", "step"], ["moved"]),
        helper.make_node("Mul", ["moved", "latent_mask"], ["denoised_latent"]),
    ]
    graph = helper.make_graph(
        nodes, "vector_estimator",
        [tensor("noisy_latent", FLOAT, ["batch_size", channels, "latent_length"]),
         tensor("text_emb", FLOAT, ["batch_size", TEXT_EMB_DIM, "text_length"]),
         tensor("style_ttl", FLOAT, ["batch_size", 50, 256]),
         tensor("latent_mask", FLOAT, ["batch_size", 1, "latent_length"]),
         tensor("text_mask", FLOAT, ["batch_size", 1, "text_length"]),
         tensor("current_step", FLOAT, ["batch_size"]),
         tensor("total_step", FLOAT, ["batch_size"])],
        [tensor("denoised_latent", FLOAT, ["batch_size", channels, "latent_length"])],
    )  # fmt: skip
    return model(graph)


def vocoder() -> onnx.ModelProto:
    channels = LATENT_DIM * CHUNK_COMPRESS_FACTOR
    frame = BASE_CHUNK_SIZE * CHUNK_COMPRESS_FACTOR  # 3072 samples per latent frame
    nodes = [
        helper.make_node("ReduceMean", ["latent"], ["level"], axes=[1], keepdims=0),  # [B,L]
        const("axis2", i64([2])),
        helper.make_node("Unsqueeze", ["level", "axis2"], ["level3"]),  # [B,L,1]
        const("frame_ones", np.ones((1, 1, frame), dtype=np.float32)),
        helper.make_node("Mul", ["level3", "frame_ones"], ["per_sample3"]),  # [B,L,3072]
        const("flat_shape", i64([0, -1])),
        helper.make_node("Reshape", ["per_sample3", "flat_shape"], ["per_sample"]),  # [B,L*3072]
        helper.make_node("Shape", ["latent"], ["latent_shape"]),
        const("dim2", i64(2)),
        helper.make_node("Gather", ["latent_shape", "dim2"], ["n_frames"], axis=0),  # scalar
        const("frame_len", i64(frame)),
        helper.make_node("Mul", ["n_frames", "frame_len"], ["n_samples"]),
        helper.make_node("Cast", ["n_samples"], ["n_samples_f"], to=FLOAT),
        const("zero", f32(0.0)),
        const("unit", f32(1.0)),
        helper.make_node("Range", ["zero", "n_samples_f", "unit"], ["sample_index"]),  # [N]
        const("omega", f32(2 * math.pi * 220.0 / SAMPLE_RATE)),
        helper.make_node("Mul", ["sample_index", "omega"], ["phase_220"]),
        helper.make_node("Mul", ["per_sample", "phase_220"], ["phase"]),  # f = 220·level Hz
        helper.make_node("Sin", ["phase"], ["tone"]),
        const("amplitude", f32(0.3)),
        helper.make_node("Mul", ["tone", "amplitude"], ["wav_tts"]),
    ]
    graph = helper.make_graph(
        nodes, "vocoder",
        [tensor("latent", FLOAT, ["batch_size", channels, "latent_length"])],
        [tensor("wav_tts", FLOAT, ["batch_size", "wav_length"])],
    )  # fmt: skip
    return model(graph)


def tts_config() -> dict:
    """tts.json: the package reads only ae.sample_rate, ae.base_chunk_size, ttl.chunk_compress_factor and
    ttl.latent_dim; the rest mirrors the shape of the released file (which describes the whole architecture)."""
    return {
        "tts_version": "stand-in",
        "split": "none",
        "ae": {"sample_rate": SAMPLE_RATE, "base_chunk_size": BASE_CHUNK_SIZE, "chunk_compress_factor": 1,
               "ldim": LATENT_DIM, "n_delay": 0},
        "ttl": {"latent_dim": LATENT_DIM, "chunk_compress_factor": CHUNK_COMPRESS_FACTOR,
                "normalizer": {"scale": 0.25}},
        "dp": {"normalizer": {"scale": 1.0}},
    }  # fmt: skip


def unicode_indexer() -> list[int]:
    """65536 entries indexed by code point (the package builds uint16 code units); -1 = the model cannot say it.
    Covers printable ASCII (language tags like "<ko>" are spelled with it), a little punctuation, and the Hangul
    conjoining jamo U+1100–U+11FF that NFKD turns every Hangul syllable into; not the precomposed syllables."""
    table = [-1] * 65536
    supported = [*range(0x20, 0x7F), *range(0x1100, 0x1200), 0x2026, 0x00B7]
    for token, code_point in enumerate(supported, start=1):  # 0 is the padding id the package fills with
        table[code_point] = token
    return table


def voice_style(ttl_mean: float, dp_mean: float, name: str) -> dict:
    def block(shape: tuple[int, ...], mean: float) -> dict:
        pattern = np.resize(np.array([0.05, -0.05], dtype=np.float32), int(np.prod(shape)))  # averages to 0
        data = (pattern + np.float32(mean)).reshape(shape)
        return {"data": data.round(4).tolist(), "dims": list(shape), "type": "float32"}

    return {
        "style_ttl": block(STYLE_TTL_SHAPE, ttl_mean),
        "style_dp": block(STYLE_DP_SHAPE, dp_mean),
        "metadata": {"source_file": f"{name}.wav", "source_sample_rate": SAMPLE_RATE,
                     "target_sample_rate": SAMPLE_RATE},
    }  # fmt: skip


def write_stub_model(target: Path, voices: tuple[str, ...] = tuple(VOICE_MEANS)) -> Path:
    """Writes the stand-in model folder at `target` (created) and returns it."""
    onnx_dir, styles_dir = target / "onnx", target / "voice_styles"
    onnx_dir.mkdir(parents=True, exist_ok=True)
    styles_dir.mkdir(parents=True, exist_ok=True)
    for name, build in [("duration_predictor", duration_predictor), ("text_encoder", text_encoder),
                        ("vector_estimator", vector_estimator), ("vocoder", vocoder)]:  # fmt: skip
        onnx.save(build(), str(onnx_dir / f"{name}.onnx"))
    (onnx_dir / "tts.json").write_text(json.dumps(tts_config(), indent=2), encoding="utf-8")
    (onnx_dir / "unicode_indexer.json").write_text(json.dumps(unicode_indexer()), encoding="utf-8")
    for name in voices:
        ttl_mean, dp_mean = VOICE_MEANS[name]
        (styles_dir / f"{name}.json").write_text(json.dumps(voice_style(ttl_mean, dp_mean, name)), encoding="utf-8")
    return target


def tone_hz(voice: str) -> float:
    """The pitch the stand-in gives `voice`."""
    return 220.0 * (1.0 + VOICE_MEANS[voice][0])
