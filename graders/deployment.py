"""Checks for the L3 deployment lab (skill units 3.1 and 3.2).

Every check recomputes what is right from the lab's own models and data: the credit pipeline
(:mod:`trainerlab.models.credit_model`), the digits ONNX model (:mod:`trainerlab.models.digits_onnx`),
the batch of new applications (:mod:`trainerlab.datagen.new_applications`) and the usage log
(:mod:`trainerlab.datagen.usage_log`), the last two drawn from ``TRAINERLAB_SEED``. Functions the
learner writes are called on fresh inputs, with their warnings and prints kept out of the cell.
"""

from __future__ import annotations

import math
import tempfile
import time
import warnings
from collections.abc import Callable, Mapping
from functools import cache, partial
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from graders.answers import as_number, require_file, require_frame, require_mapping, unpack
from graders.answers import call_learner as _call
from graders.answers import call_quietly as _quietly
from graders.answers import require_callable as _require_callable
from graders.checking import (
    Lab,
    Msg,
    Problem,
    RubricPoint,
    Task,
    WrittenTask,
    criterion,
    fix_first,
)
from graders.trusted import foreign_types
from trainerlab.datagen import new_applications as na
from trainerlab.datagen import usage_log as ul
from trainerlab.models import credit_model as cm
from trainerlab.models import digits_onnx as dm
from trainerlab.paths import output_dir
from trainerlab.variants import current_seed

if TYPE_CHECKING:
    from onnxruntime import InferenceSession

LEVEL = "L3"
#: Most errors the automatically decided digits may have (share of automated cases).
TARGET_ERROR = 0.01
#: How far below the best achievable automation rate a threshold may fall.
AUTOMATION_TOLERANCE = 0.03
#: Feature-and-device groups with fewer sessions are too small to call a failure hot spot.
MIN_SESSIONS = ul.MIN_SESSIONS
#: How far (as a factor either way) a reported latency may be from the grader's own timing of the
#: same model on the same machine: wide for noisy timings, far narrower than a unit slip (×1000) or
#: a per-row batch time (×668).
LATENCY_FACTOR = 30
#: Decimals the saved routing confidences must keep (the statement asks for at least this many).
CONFIDENCE_DECIMALS = 3
BENCHMARK_ROWS = ["skops", "onnx"]
BENCHMARK_COLUMNS = ["file_kb", "single_row_ms", "batch_ms"]
TRADEOFF_COLUMNS = ["threshold", "automation_rate", "error_rate"]
ROUTING_COLUMNS = ["image_id", "predicted", "confidence", "route"]
HOT_SPOT_KEYS = ["feature", "device_model", "failure_rate", "main_error"]
LATENCY_KEYS = ["slowest_feature", "bottleneck_feature", "bottleneck_hour", "bottleneck_ms"]
TOPK_SAMPLE = 60  # incoming images the top-k check feeds the learner's function


def seed() -> int:
    """The seed of this notebook's data variant (``TRAINERLAB_SEED``, else the default)."""
    return current_seed()


#: the credit model's input columns and the input schema of the new applications (set-up cell)
FEATURES, SCHEMA = cm.FEATURES, na.SCHEMA


def credit_model() -> Any:
    """Part A: the credit-risk model to deploy (trained once, the same for every learner)."""
    return cm.train_credit_model()


def credit_valid() -> pd.DataFrame:
    """Part A: the credit model's validation rows, its input columns only."""
    return cm.credit_split().valid[FEATURES]


def digits_model_path() -> Path:
    """Parts B, C: the digits ONNX model, written into the lab's output folder."""
    return dm.build_model(output_dir() / "digits_classifier.onnx")


def digit_images() -> SimpleNamespace:
    """Parts B, C: the raw validation images with their labels, and today's incoming images."""
    parts = dm.digits_split()
    return SimpleNamespace(valid_images=parts["valid"].images, valid_labels=parts["valid"].labels,
                           incoming_images=parts["incoming"].images)


def batch_path() -> Path:
    """Part D: today's new applications of this variant, written into the lab's output folder."""
    return na.write_batch(output_dir() / "new_applications.csv", seed())


def usage_log_path() -> Path:
    """Part E: the smart speaker's usage log of this variant (the bundled file, or one in ``output/``)."""
    return ul.log_file(seed(), output_dir())


def batch_truth() -> na.NewBatch:
    """The batch of new applications for this variant."""
    return na.variant(seed())


def usage_truth() -> pd.DataFrame:
    """The usage log for this variant, as the spreadsheet holds it."""
    return ul.variant(seed()).log


# --- shared helpers ---------------------------------------------------------------------------

def _session(source: bytes | str | Path) -> InferenceSession:
    """An onnxruntime session on the CPU that logs only errors."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.log_severity_level = 3
    if isinstance(source, Path):
        source = str(source)
    return ort.InferenceSession(source, options, providers=["CPUExecutionProvider"])


def _require_png(path: Any) -> Path:
    path = require_file(path, suffix=".png")
    data = path.read_bytes()
    if not data.startswith(b"\x89PNG") or len(data) < 1000:
        raise Problem("图片文件不是有效的 PNG 图", "the file is not a valid PNG figure")
    return path


def _figure_shows_a_plot(path: Any) -> bool:
    """The saved figure is not blank and draws something in colour (the curve, the target line)."""
    from matplotlib import image

    pixels = image.imread(_require_png(path))
    rgb = pixels[..., :3].reshape(-1, 3).astype(np.float64)
    if pixels.shape[-1] == 4:  # transparent pixels count as background
        rgb[pixels[..., 3].reshape(-1) < 0.1] = 1.0
    levels = np.clip(np.round(rgb * 255), 0, 255).astype(np.int64)
    packed = (levels[:, 0] << 16) | (levels[:, 1] << 8) | levels[:, 2]
    commonest = int(np.bincount(packed).argmax())  # the background colour
    background = np.array([commonest >> 16, (commonest >> 8) & 255, commonest & 255]) / 255
    ink = np.abs(rgb - background).max(axis=1) > 0.1
    if ink.mean() < 0.005:
        raise Problem("保存的图是空白的（是否在 plt.show() 之后才保存？）",
                      "the saved figure is blank (saved after plt.show()?)")
    chromatic = (rgb.max(axis=1) - rgb.min(axis=1)) > 0.25
    if chromatic.mean() < 0.0002:
        raise Problem("图中没有画出曲线（只有坐标轴或文字）", "the figure draws no curve (axes or text only)")
    return True


# --- Task 1: skops ------------------------------------------------------------------------------

@cache
def _credit_reference() -> tuple[pd.DataFrame, np.ndarray]:
    """Validation features and the reference model's probabilities on them."""
    valid = cm.credit_split().valid[cm.FEATURES]
    return valid, cm.train_credit_model().predict_proba(valid)


def _untrusted(path: Path) -> list[str]:
    import skops.io as sio

    return sorted(sio.get_untrusted_types(file=path))


def _prepare_skops(answer: Any) -> dict[str, Any]:
    path, untrusted, reloaded = unpack(answer, ["SKOPS_PATH", "untrusted_types", "reloaded"])
    path = require_file(path, suffix=".skops")
    try:
        file_types = _untrusted(path)
    except Exception as exc:
        raise Problem(f"文件无法按 skops 格式读取：{type(exc).__name__}",
                      f"the file does not read as a skops file: {type(exc).__name__}") from None
    return {"path": path, "file_types": file_types, "untrusted": untrusted, "reloaded": reloaded}


def _skops_file_is_the_model(a: dict[str, Any]) -> bool:
    import skops.io as sio

    strange = foreign_types(a["file_types"])
    if strange:
        raise Problem(f"文件中含有不应信任的类型：{strange}", f"the file holds types not to trust: {strange}")
    model = sio.load(a["path"], trusted=a["file_types"])
    valid, expected = _credit_reference()
    got = _quietly(model.predict_proba, valid)
    return bool(np.allclose(got, expected, rtol=0, atol=1e-9))


def _untrusted_reported(a: dict[str, Any]) -> bool:
    reported = a["untrusted"]
    if reported is None or isinstance(reported, (str, bytes)):
        raise Problem("请给出 get_untrusted_types 返回的类型列表",
                      "give the list of types that get_untrusted_types returns")
    return sorted(str(t) for t in reported) == a["file_types"]


def _reloaded_predicts(a: dict[str, Any]) -> bool:
    model = a["reloaded"]
    if not hasattr(model, "predict_proba"):
        raise Problem("reloaded 应是从 skops 文件重新加载的模型", "reloaded should be the model loaded back from the file")
    valid, expected = _credit_reference()
    return bool(np.allclose(_quietly(model.predict_proba, valid), expected, rtol=0, atol=1e-9))


skops_export = Task(
    grade_id="skops_export",
    unit="3.1",
    level=LEVEL,
    title=Msg("用 skops 安全保存并加载模型", "Save and load the model safely with skops"),
    prepare=_prepare_skops,
    criteria=[
        criterion("文件是 skops 格式，只含可信类型，且就是要部署的模型", "the file is skops, holds only trusted "
                  "types and is the model to deploy", 1, visible=True,
                  fail=("文件里的模型与 credit_model 的预测不一致", "the file's model predicts differently "
                        "from credit_model"))(_skops_file_is_the_model),
        criterion("列出了文件中需要确认的类型", "the types to confirm are listed", 1,
                  fail=("untrusted_types 与文件中未被默认信任的类型不一致",
                        "untrusted_types differs from the types the file asks you to trust"))(
            _untrusted_reported),
        criterion("重新加载的模型预测与原模型一致", "the reloaded model predicts like the original", 1,
                  fail=("reloaded 的预测概率与原模型不同", "reloaded gives different probabilities"))(
            _reloaded_predicts),
    ],
    hints=[
        Msg("skops.io.dump(模型, 路径) 保存；skops.io.get_untrusted_types(file=路径) 列出需确认的类型。",
            "skops.io.dump(model, path) saves; skops.io.get_untrusted_types(file=path) lists the types to confirm."),
        Msg("逐个确认这些类型来自 numpy / sklearn 后，再用 skops.io.load(路径, trusted=列表) 加载；不要用 trusted=True。",
            "Check each type comes from numpy / sklearn, then skops.io.load(path, trusted=that_list); never trusted=True."),
    ],
)


# --- Task 2: ONNX export -----------------------------------------------------------------------

def _onnx_feeds(session: InferenceSession, frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """The inputs of a learner's ONNX credit model for ``frame``: one matrix, or one column per feature."""
    inputs = session.get_inputs()
    dtype = {"tensor(float)": np.float32, "tensor(double)": np.float64}
    if len(inputs) == 1:
        kind = dtype.get(inputs[0].type)
        if kind is None:
            raise Problem(f"输入类型应为 float 或 double，实际是 {inputs[0].type}",
                          f"the input should be float or double, not {inputs[0].type}")
        feeds = {inputs[0].name: frame[cm.FEATURES].to_numpy(kind)}
    else:
        unknown = [i.name for i in inputs if i.name not in cm.FEATURES]
        if unknown:
            raise Problem(f"无法识别的输入：{unknown}", f"inputs not named after features: {unknown}")
        feeds = {i.name: frame[[i.name]].to_numpy(dtype.get(i.type, np.float32)) for i in inputs}
    return feeds


def _onnx_prob_bad(session: InferenceSession, frame: pd.DataFrame) -> np.ndarray:
    """P(bad) from a learner's ONNX credit model, whatever its input layout and output form."""
    classes = list(cm.train_credit_model().classes_)
    for output in session.run(None, _onnx_feeds(session, frame)):
        if isinstance(output, list) and output and isinstance(output[0], Mapping):  # ZipMap
            return np.array([float(row[cm.POSITIVE]) for row in output])
        array = np.asarray(output)
        if array.ndim == 2 and array.shape == (len(frame), len(classes)) and array.dtype.kind == "f":
            return array[:, classes.index(cm.POSITIVE)].astype(np.float64)
    raise Problem("模型没有输出类别概率", "the model outputs no class probabilities")


def _prepare_onnx(answer: Any) -> dict[str, Any]:
    path, max_diff = unpack(answer, ["ONNX_PATH", "onnx_max_diff"])
    path = require_file(path, suffix=".onnx")
    try:
        session = _session(path)
    except Exception as exc:
        raise Problem(f"onnxruntime 无法加载该文件：{type(exc).__name__}",
                      f"onnxruntime cannot load the file: {type(exc).__name__}") from None
    valid, expected = _credit_reference()
    bad = list(cm.train_credit_model().classes_).index(cm.POSITIVE)
    return {"session": session, "valid": valid, "expected": expected[:, bad], "max_diff": max_diff}


def _onnx_runs(a: dict[str, Any]) -> bool:
    got = _onnx_prob_bad(a["session"], a["valid"].head(5))
    return bool(np.all((got >= 0) & (got <= 1)))


def _onnx_matches(a: dict[str, Any]) -> bool:
    got = _onnx_prob_bad(a["session"], a["valid"])
    worst = float(np.max(np.abs(got - a["expected"])))
    if not worst <= 1e-4:
        raise Problem("ONNX 模型与 scikit-learn 模型的概率相差超过 1e-4（含缺失值的行也要一致）",
                      "the ONNX model's probabilities differ from scikit-learn's by more than 1e-4 "
                      "(rows with missing values must agree too)")
    return True


def _max_diff_reported(a: dict[str, Any]) -> bool:
    """The reported difference is the one the grader recomputes from the file (a quarter either way)."""
    reported = as_number(a["max_diff"])
    actual = float(np.max(np.abs(_onnx_prob_bad(a["session"], a["valid"]) - a["expected"])))
    return 0 <= reported <= 1e-4 and abs(reported - actual) <= 0.25 * actual + 1e-12


onnx_export = Task(
    grade_id="onnx_export",
    unit="3.1",
    level=LEVEL,
    title=Msg("导出 ONNX 并验证推理一致", "Export to ONNX and verify the predictions agree"),
    prepare=_prepare_onnx,
    criteria=[
        criterion("onnxruntime 能加载并输出类别概率", "onnxruntime loads it and returns class probabilities",
                  1, visible=True, fail=("无法从该文件得到 0–1 的概率", "no 0–1 probabilities from the file"))(
            _onnx_runs),
        criterion("验证集上概率与 scikit-learn 一致（误差 ≤ 1e-4）",
                  "probabilities match scikit-learn on the validation set (within 1e-4)", 1.5,
                  fail=("概率不一致", "probabilities differ"))(_onnx_matches),
        criterion("报告的最大误差与实际一致", "the reported largest difference is right", 0.5,
                  fail=("onnx_max_diff 应是验证集上 ONNX 与 scikit-learn 的 P(bad) 的最大绝对误差（不是平均值，"
                        "也不是标签的差），且不超过 1e-4",
                        "onnx_max_diff must be the largest absolute difference of P(bad) between ONNX and "
                        "scikit-learn on the validation set (not the mean, not the labels), at most 1e-4"))(
            _max_diff_reported),
    ],
    hints=[
        Msg("skl2onnx.to_onnx(模型, initial_types=[('X', FloatTensorType([None, 9]))], options={'zipmap': False})。",
            "skl2onnx.to_onnx(model, initial_types=[('X', FloatTensorType([None, 9]))], options={'zipmap': False})."),
        Msg("onnxruntime 的输入要是 float32 的 numpy 数组：X_valid.to_numpy(np.float32)；输出里第二个是概率。",
            "onnxruntime wants a float32 numpy array: X_valid.to_numpy(np.float32); the second output holds the probabilities."),
    ],
)


# --- Task 3: file size and latency -----------------------------------------------------------------

def _prepare_benchmark(answer: Any) -> dict[str, Any]:
    table, skops_path, onnx_path = unpack(answer, ["benchmark", "SKOPS_PATH", "ONNX_PATH"])
    table = require_frame(table, columns=BENCHMARK_COLUMNS, min_rows=2)
    missing = [r for r in BENCHMARK_ROWS if r not in table.index]
    if missing:
        raise Problem(f"行索引应包含 {BENCHMARK_ROWS}，缺少 {missing}",
                      f"the index should hold {BENCHMARK_ROWS}; missing {missing}")
    values = table.loc[BENCHMARK_ROWS, BENCHMARK_COLUMNS].apply(pd.to_numeric, errors="coerce")
    return {"values": values, "paths": {"skops": skops_path, "onnx": onnx_path}}


def _benchmark_numbers(a: dict[str, Any]) -> bool:
    values = a["values"].to_numpy(dtype=float)
    return bool(np.all(np.isfinite(values) & (values > 0)))


def _kb_matches(reported: float, size: int) -> bool:
    """``reported`` is ``size`` in KB of 1024 bytes, to any number of decimals (rounded or cut)."""
    kb = size / 1024
    if math.isclose(reported, kb, rel_tol=1e-6):
        return True
    return any(math.isclose(reported, cut(kb * 10**d) / 10**d, rel_tol=1e-9, abs_tol=1e-9)
               for d in range(7) for cut in (round, math.floor))


def _sizes_right(a: dict[str, Any]) -> bool:
    for row, path in a["paths"].items():
        path = require_file(path, suffix=f".{row}")
        if not _kb_matches(float(a["values"].loc[row, "file_kb"]), path.stat().st_size):
            raise Problem(f"{row} 文件大小与磁盘上的文件不符（单位 KB = 1024 字节）",
                          f"the {row} file size does not match the file on disk (in KB of 1024 bytes)")
    return True


def _median_ms(run: Callable[[], Any], repeat: int) -> float:
    run()  # warm up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return float(np.median(times))


def _own_timings(paths: Mapping[str, Any]) -> dict[str, tuple[float, float]]:
    """The grader's own (single-row ms, whole-batch ms) for the learner's two files."""
    import skops.io as sio

    valid = cm.credit_split().valid[cm.FEATURES]
    one = valid.head(1)
    timings = {}
    try:
        types = _untrusted(require_file(paths["skops"], suffix=".skops"))
        if foreign_types(types):
            raise ValueError("untrusted types")
        model = sio.load(Path(paths["skops"]), trusted=types)
    except Exception:  # not a skops file of trusted types: Task 1 must be fixed first
        raise fix_first("任务 1", "Task 1") from None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        timings["skops"] = (_median_ms(lambda: model.predict_proba(one), 15),
                            _median_ms(lambda: model.predict_proba(valid), 5))
    session = _session(require_file(paths["onnx"], suffix=".onnx"))
    feed_one, feed_all = _onnx_feeds(session, one), _onnx_feeds(session, valid)
    timings["onnx"] = (_median_ms(lambda: session.run(None, feed_one), 15),
                       _median_ms(lambda: session.run(None, feed_all), 5))
    return timings


def _latency_plausible(a: dict[str, Any]) -> bool:
    timings = _own_timings(a["paths"])
    for row in BENCHMARK_ROWS:
        for column, measured in zip(("single_row_ms", "batch_ms"), timings[row], strict=True):
            reported = float(a["values"].loc[row, column])
            if not measured / LATENCY_FACTOR <= reported <= measured * LATENCY_FACTOR:
                raise Problem(f"{row} 的 {column} 与评分程序在同一台机器上测得的时间相差太远：单位应是毫秒，"
                              f"batch_ms 是一次预测整个 X_valid 的时间（不是每行的平均）",
                              f"{row} {column} is far from the grader's own timing on this machine: use "
                              f"milliseconds, and batch_ms is one call on the whole X_valid (not per row)")
    return True


size_latency = Task(
    grade_id="size_latency",
    unit="3.1",
    level=LEVEL,
    title=Msg("比较文件大小与推理延迟", "Compare file size and inference latency"),
    prepare=_prepare_benchmark,
    criteria=[
        criterion("六个数都是正数", "all six figures are positive numbers", 0.5, visible=True,
                  fail=("表中应全是正数", "every figure must be a positive number"))(_benchmark_numbers),
        criterion("文件大小与磁盘上的文件一致", "file sizes match the files on disk", 0.75,
                  fail=("文件大小不对", "wrong file sizes"))(_sizes_right),
        criterion("单行与批量延迟（毫秒）与实测相符", "single-row and batch latencies (ms) match a "
                  "measurement", 0.75, fail=("延迟不合理", "implausible latencies"))(_latency_plausible),
    ],
    hints=[
        Msg("文件大小：path.stat().st_size / 1024。延迟：time.perf_counter() 前后相减，重复多次取中位数。",
            "Size: path.stat().st_size / 1024. Latency: time.perf_counter() before and after, repeat and take the median."),
    ],
)


# --- Task 4: preprocessing for the digits model ----------------------------------------------------

def _incoming() -> dm.DigitsSplit:
    return dm.digits_split()["incoming"]


def _faint() -> np.ndarray:
    """The faint scans among the incoming images (their brightest pixel is below 16)."""
    images = _incoming().images
    return images[dm.faint_positions(len(images))][:10].copy()


def _prepare_preprocess(fn: Any) -> dict[str, Any]:
    fn = _require_callable(fn)
    raw = _incoming().images[:TOPK_SAMPLE].copy()  # holds normal and faint images
    batch = np.asarray(_call(fn, raw.copy()))
    single = np.asarray(_call(fn, raw[:1].copy()))
    faint = np.asarray(_call(fn, _faint()))  # a batch of faint images only
    return {"raw": raw, "batch": batch, "single": single, "faint": faint}


def _contract_input(images: np.ndarray) -> np.ndarray:
    """What the model's contract asks for: float32 (N, 1, 8, 8), pixels divided by 16."""
    return np.asarray(images).astype(np.float32).reshape(-1, 1, 8, 8) / np.float32(dm.PIXEL_MAX)


def _preprocess_shape(a: dict[str, Any]) -> bool:
    batch = a["batch"]
    if batch.shape != (len(a["raw"]), 1, 8, 8):
        raise Problem(f"形状应为 (N, 1, 8, 8)，实际是 {batch.shape}",
                      f"the shape should be (N, 1, 8, 8), got {batch.shape}")
    if batch.dtype != np.float32:
        raise Problem(f"类型应为 float32，实际是 {batch.dtype}", f"the dtype should be float32, got {batch.dtype}")
    return True


def _preprocess_values(a: dict[str, Any]) -> bool:
    for got, raw in ((a["batch"], a["raw"]), (a["faint"], _faint())):
        expected = _contract_input(raw)
        if got.shape != expected.shape:
            raise Problem("形状不对，无法比较像素值", "the shape is wrong, so the pixels cannot be compared")
        if not np.allclose(got.astype(np.float64), expected, rtol=0, atol=1e-6):
            raise Problem("像素值没有按模型约定缩放：约定是除以 16（像素满量程），不是除以数据自己的最大值——"
                          "较淡的图像最大值小于 16",
                          "pixels are not scaled as the model's contract says: divide by 16 (the pixel "
                          "range), not by the data's own maximum — a faint image's brightest pixel is "
                          "below 16")
    return True


def _preprocess_single(a: dict[str, Any]) -> bool:
    expected = _contract_input(a["raw"][:1])
    single = a["single"]
    return single.shape == (1, 1, 8, 8) and bool(np.allclose(single, expected, rtol=0, atol=1e-6))


preprocessing = Task(
    grade_id="digits_preprocess",
    unit="3.2",
    level=LEVEL,
    title=Msg("把原始图像预处理成模型输入", "Preprocess raw images into the model's input"),
    prepare=_prepare_preprocess,
    criteria=[
        criterion("输出 float32、形状 (N, 1, 8, 8)", "returns float32 of shape (N, 1, 8, 8)", 0.5, visible=True,
                  fail=("形状或类型不对", "wrong shape or dtype"))(_preprocess_shape),
        criterion("像素缩放到 0–1", "pixels scaled to 0–1", 1,
                  fail=("缩放不对", "wrong scaling"))(_preprocess_values),
        criterion("只有一张图（N = 1）时也正确", "also right for a single image (N = 1)", 0.5,
                  fail=("输入只有一张图时结果不对", "wrong result for a batch of one image"))(_preprocess_single),
    ],
    hints=[
        Msg("看 session.get_inputs()[0] 的 name、shape、type，以及 session.get_modelmeta().custom_metadata_map。",
            "Read session.get_inputs()[0] (name, shape, type) and session.get_modelmeta().custom_metadata_map."),
        Msg("按约定除以 16（不是除以数据的最大值），images.astype(np.float32) / 16.0，再 .reshape(-1, 1, 8, 8)。",
            "Divide by 16 as the contract says (not by the data's maximum): images.astype(np.float32) / 16.0, "
            "then .reshape(-1, 1, 8, 8)."),
    ],
)


# --- Task 5: softmax and top-k -----------------------------------------------------------------------

@cache
def _reference_session() -> InferenceSession:
    return _session(dm.model_bytes())


def _softmax_of_model(pixels: np.ndarray) -> np.ndarray:
    logits = _reference_session().run(None, {dm.INPUT_NAME: pixels})[0].astype(np.float64)
    exp = np.exp(logits - logits.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


def reference_probabilities(images: np.ndarray) -> np.ndarray:
    """Softmax of the digits model's logits for raw images (N, 8, 8), in float64."""
    return _softmax_of_model(_contract_input(images))


def _references(images: np.ndarray, preprocess: Any) -> list[np.ndarray]:
    """The model's probabilities for ``images`` as the contract asks and, where it differs and runs,
    through the learner's own ``preprocess`` (Task 4): a top-k built on it is judged on it."""
    references = [reference_probabilities(images)]
    pixels = _learner_pixels(preprocess, images)
    if pixels is not None:
        references.append(_softmax_of_model(pixels))
    return references


def _learner_pixels(preprocess: Any, images: np.ndarray) -> np.ndarray | None:
    """The learner's preprocess (Task 4) of ``images`` if it is a model input (float32, (N, 1, 8, 8))."""
    if not callable(preprocess):
        return None
    try:
        pixels = np.asarray(_quietly(preprocess, images.copy()))
    except Exception:  # the learner's preprocess crashes
        return None
    if pixels.shape != (len(images), 1, 8, 8) or pixels.dtype != np.float32:
        return None
    return pixels


def _class_numbers(classes: Any) -> np.ndarray:
    """Class numbers from integer labels or from the model's class names as digit strings."""
    classes = np.asarray(classes)
    if classes.dtype.kind in "iu":
        return classes.astype(np.int64)
    if classes.dtype.kind in "USO":
        text = np.char.strip(classes.astype(str))
        if text.size and all(t.isdigit() for t in text.ravel()):
            return text.astype(np.int64)
    if classes.dtype.kind == "f" and classes.size and np.all(classes == np.round(classes)):
        return classes.astype(np.int64)
    raise Problem("classes 应是类别编号（整数，或 '0'–'9' 这样的类别名）",
                  "classes should hold class numbers (integers, or class names such as '0'–'9')")


def _topk_arrays(result: Any, n: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise Problem("top_k 应返回 (classes, probs) 两个数组", "top_k should return two arrays (classes, probs)")
    classes, probs = np.asarray(result[0]), np.asarray(result[1], dtype=np.float64)
    if classes.shape != (n, k) or probs.shape != (n, k):
        raise Problem(f"k={k} 时两个数组的形状都应为 (N, k)，实际是 {classes.shape} 和 {probs.shape}",
                      f"with k={k} both arrays should be (N, k), got {classes.shape} and {probs.shape}")
    return _class_numbers(classes), probs


def _run_top_k(fn: Any, preprocess: Any, images: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The learner's ``top_k(images, k)``; if it fails because their preprocess (Task 4) does, say so."""
    try:
        return _topk_arrays(_call(fn, images.copy(), k), len(images), k)
    except Problem:
        if callable(preprocess) and _learner_pixels(preprocess, images) is None:
            raise fix_first("任务 4", "Task 4") from None
        raise


def _prepare_topk(answer: Any) -> dict[str, Any]:
    fn, preprocess = unpack(answer, ["top_k", "preprocess"])
    fn = _require_callable(fn)
    images = _incoming().images[:TOPK_SAMPLE].copy()
    results = {k: _run_top_k(fn, preprocess, images, k) for k in (1, 3, 10)}
    return {"images": images, "results": results, "references": _references(images, preprocess)}


def _topk_ordered(a: dict[str, Any]) -> bool:
    for k, (_, probs) in a["results"].items():
        if not np.all((probs >= 0) & (probs <= 1)):
            raise Problem(f"k={k} 时概率不在 0–1 之间", f"with k={k} some probabilities are outside 0–1")
        if np.any(np.diff(probs, axis=1) > 1e-9):
            raise Problem(f"k={k} 时概率没有从大到小排序", f"with k={k} probabilities are not sorted high to low")
        if np.any(probs.sum(axis=1) > 1 + 1e-6):
            raise Problem(f"k={k} 时概率之和超过 1：是否做了 softmax？",
                          f"with k={k} probabilities sum above 1: was softmax applied?")
    return True


def _topk_problem(results: Mapping[int, tuple[np.ndarray, np.ndarray]], reference: np.ndarray) -> Problem | None:
    """Why the top-k results disagree with the model's probabilities ``reference`` (None: they agree)."""
    best_first = -np.sort(-reference, axis=1)
    for k, (classes, probs) in results.items():
        if classes.min() < 0 or classes.max() >= dm.N_CLASSES:
            return Problem("类别编号应在 0–9 之间", "class numbers must be 0–9")
        if any(len(set(row)) != k for row in classes):
            return Problem(f"k={k} 时同一行有重复类别", f"with k={k} a row repeats a class")
        at_classes = np.take_along_axis(reference, classes, axis=1)
        if not np.allclose(probs, at_classes, rtol=0, atol=1e-5):
            return Problem(f"k={k} 时概率与模型 logits 的 softmax 不一致",
                           f"with k={k} probabilities differ from the softmax of the model's logits")
        if not np.allclose(at_classes, best_first[:, :k], rtol=0, atol=1e-5):
            return Problem(f"k={k} 时返回的不是概率最大的 k 个类别",
                           f"with k={k} the classes returned are not the k most probable")
    return None


def _topk_match(a: dict[str, Any]) -> bool:
    problems = [_topk_problem(a["results"], reference) for reference in a["references"]]
    if all(problems):
        raise problems[0]
    return True


def _softmax_complete(a: dict[str, Any]) -> bool:
    _, probs = a["results"][10]
    return bool(np.allclose(probs.sum(axis=1), 1.0, rtol=0, atol=1e-5))


topk = Task(
    grade_id="digits_topk",
    unit="3.2",
    level=LEVEL,
    title=Msg("用 onnxruntime 推理并输出 top-k", "Run the ONNX model and return the top-k classes"),
    prepare=_prepare_topk,
    criteria=[
        criterion("概率在 0–1 之间、从大到小、和不超过 1", "probabilities in 0–1, sorted, summing to at most 1",
                  0.5, visible=True, fail=("概率格式不对", "malformed probabilities"))(_topk_ordered),
        criterion("top-k 类别与概率和模型一致（误差 ≤ 1e-5）",
                  "top-k classes and probabilities match the model (within 1e-5)", 2,
                  fail=("top-k 结果与模型不一致", "top-k results differ from the model"))(_topk_match),
        criterion("k = 10 时概率和为 1（对全部 10 类做 softmax）",
                  "with k = 10 the probabilities sum to 1 (softmax over all 10 classes)", 0.5,
                  fail=("k = 10 时概率和不为 1：softmax 要在全部类别上做",
                        "with k = 10 the probabilities do not sum to 1: softmax runs over all classes"))(
            _softmax_complete),
    ],
    hints=[
        Msg("logits = session.run(None, {'image': x})[0]；softmax：先减去每行最大值再 exp，再除以每行之和。",
            "logits = session.run(None, {'image': x})[0]; softmax: subtract each row's max, exp, divide by the row sum."),
        Msg("np.argsort(-probs, axis=1)[:, :k] 得到类别，np.take_along_axis 取出对应概率。",
            "np.argsort(-probs, axis=1)[:, :k] gives the classes; np.take_along_axis picks their probabilities."),
    ],
)


# --- Task 6: the review threshold ---------------------------------------------------------------------

@cache
def _valid_confidence() -> tuple[np.ndarray, np.ndarray]:
    """Reference confidence (top-1 probability) and correctness on the validation images."""
    valid = dm.digits_split()["valid"]
    probs = reference_probabilities(valid.images)
    return probs.max(axis=1), probs.argmax(axis=1) == valid.labels


def routing_stats(threshold: float, confidence: np.ndarray, correct: np.ndarray) -> tuple[float, float]:
    """(automation rate, error rate among automated cases) when ``confidence >= threshold`` is automated."""
    auto = confidence >= threshold
    n_auto = int(auto.sum())
    error = float((auto & ~correct).sum() / n_auto) if n_auto else math.nan
    return n_auto / len(confidence), error


def best_automation(confidence: np.ndarray, correct: np.ndarray, target: float = TARGET_ERROR) -> float:
    """The largest automation rate whose automated error rate is at most ``target``."""
    order = np.argsort(-confidence, kind="stable")
    conf, wrong = confidence[order], ~correct[order]
    errors = np.cumsum(wrong) / np.arange(1, len(conf) + 1)
    boundary = np.append(conf[:-1] > conf[1:], True)  # a threshold cannot split tied confidences
    feasible = np.flatnonzero(boundary & (errors <= target + 1e-12))
    return float((feasible.max() + 1) / len(conf)) if len(feasible) else 0.0


def _stats_near(threshold: float, confidence: np.ndarray, correct: np.ndarray) -> list[tuple[float, float]]:
    """Routing stats at the threshold and a hair either side (float32 vs float64 confidences)."""
    return [routing_stats(threshold + d, confidence, correct) for d in (-1e-6, 0.0, 1e-6)]


def _learner_top1(top_k: Any, preprocess: Any, images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The learner's own top-1 (classes, confidences) for ``images``, if their top_k (Task 5) is right.

    Right means: it agrees with the model, given the contract's or the learner's own preprocessing
    (Task 4). Otherwise this task cannot be judged on it: fix Task 5 first.
    """
    try:
        classes, probs = _topk_arrays(_call(_require_callable(top_k), images.copy(), 1), len(images), 1)
    except Problem:
        raise fix_first("任务 5", "Task 5") from None
    if all(_topk_problem({1: (classes, probs)}, ref) for ref in _references(images, preprocess)):
        raise fix_first("任务 5", "Task 5")
    return classes[:, 0], probs[:, 0]


def _prepare_threshold(answer: Any) -> dict[str, Any]:
    names = ["review_threshold", "tradeoff", "TRADEOFF_PLOT", "top_k", "preprocess"]
    # a threshold cell that crashed on a wrong top_k: name the task to fix, not the missing parts
    if (isinstance(answer, (tuple, list)) and len(answer) == len(names) and answer[0] is not None
            and any(part is None for part in answer[1:3]) and answer[3] is not None):
        _learner_top1(answer[3], answer[4], dm.digits_split()["valid"].images)
    threshold, table, plot, top_k, preprocess = unpack(answer, names)
    threshold = as_number(threshold)
    table = require_frame(table, columns=TRADEOFF_COLUMNS, min_rows=5)
    return {"threshold": threshold, "table": table.apply(pd.to_numeric, errors="coerce"), "plot": plot,
            "top_k": top_k, "preprocess": preprocess}


def _own_confidence(a: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """Confidence and correctness on the validation images from the learner's own top_k (ECF)."""
    if "own" not in a:
        valid = dm.digits_split()["valid"]
        try:
            classes, confidence = _learner_top1(a["top_k"], a["preprocess"], valid.images)
            a["own"] = (confidence, classes == valid.labels)
        except Problem as problem:
            a["own"] = problem
    if isinstance(a["own"], Problem):
        raise a["own"]
    return a["own"]


def _threshold_form(a: dict[str, Any]) -> bool:
    rates = a["table"][["automation_rate", "error_rate"]].to_numpy(dtype=float)
    rates = rates[~np.isnan(rates)]
    if not 0 < a["threshold"] <= 1:
        raise Problem("阈值应是 0–1 之间的置信度", "the threshold should be a confidence in 0–1")
    if not np.all((rates >= 0) & (rates <= 1)):
        raise Problem("自动化率和错误率应是 0–1 的小数", "automation and error rates must be fractions in 0–1")
    return True


def _error_within_target(a: dict[str, Any]) -> bool:
    return any(rate > 0 and err <= TARGET_ERROR + 1e-12
               for rate, err in _stats_near(a["threshold"], *_own_confidence(a)) if not math.isnan(err))


def _automation_near_best(a: dict[str, Any]) -> bool:
    confidence, correct = _own_confidence(a)
    best = best_automation(confidence, correct)
    return any(rate >= best - AUTOMATION_TOLERANCE for rate, _ in _stats_near(a["threshold"], confidence, correct))


def _tradeoff_consistent(a: dict[str, Any]) -> bool:
    table = a["table"].dropna(subset=["threshold", "automation_rate"])
    if table["threshold"].nunique() < 5:
        raise Problem("至少需要 5 个不同的阈值", "at least 5 different thresholds are needed")
    confidence, correct = _own_confidence(a)
    for row in table.itertuples(index=False):
        ok = False
        for rate, err in _stats_near(float(row.threshold), confidence, correct):
            same_rate = abs(rate - row.automation_rate) <= 0.005
            same_err = (math.isnan(err) or (not math.isnan(row.error_rate)
                                            and abs(err - row.error_rate) <= 0.005))
            ok |= same_rate and same_err
        if not ok:
            raise Problem("有的阈值对应的自动化率或错误率与验证集上的结果不符",
                          "some thresholds' automation or error rates do not match the validation set")
    return True


review = Task(
    grade_id="review_threshold",
    unit="3.2",
    level=LEVEL,
    title=Msg("按目标错误率选择人工复核阈值", "Choose the human-review threshold for a target error rate"),
    prepare=_prepare_threshold,
    criteria=[
        criterion("阈值和比率的格式正确", "threshold and rates are well formed", 0.5, visible=True,
                  fail=("格式不对", "malformed answer"))(_threshold_form),
        criterion(f"自动处理部分的错误率不超过 {TARGET_ERROR:.0%}",
                  f"the automated cases' error rate is at most {TARGET_ERROR:.0%}", 1.25,
                  fail=("按这个阈值自动处理的样本错误率超过目标", "with this threshold the automated "
                        "cases miss the target error rate"))(_error_within_target),
        criterion("在满足目标的前提下自动化率接近最优",
                  "the automation rate is close to the best that meets the target", 1.25,
                  fail=("阈值偏高：还能在满足目标的同时自动处理更多样本",
                        "the threshold is too high: more cases can be automated within the target"))(
            _automation_near_best),
        criterion("权衡表与验证集一致", "the trade-off table matches the validation set", 0.5,
                  fail=("权衡表不对", "wrong trade-off table"))(_tradeoff_consistent),
        criterion("已保存权衡曲线图（不是空白图）", "the trade-off plot is saved (not blank)", 0.5,
                  fail=("没有找到有效的 PNG 图", "no valid PNG figure found"))(
            lambda a: _figure_shows_a_plot(a["plot"])),
    ],
    hints=[
        Msg("置信度 = top-1 概率；自动化率 = 置信度 ≥ 阈值的比例；错误率 = 这些样本中预测错的比例。",
            "Confidence = top-1 probability; automation rate = share with confidence ≥ threshold; "
            "error rate = share of those predicted wrongly."),
        Msg("把验证集的置信度从高到低排序，逐个当作阈值计算两个比率，取满足目标错误率的最低阈值。",
            "Sort the validation confidences high to low, try each as the threshold, and keep the lowest "
            "one that meets the target error rate."),
        Msg("先 fig.savefig(路径) 再 plt.show()：show() 之后当前图已关闭，再保存只会得到空白图。",
            "Call fig.savefig(path) before plt.show(): after show() the figure is closed and saving gives "
            "a blank image."),
    ],
)


# --- Task 7: routing the incoming images -------------------------------------------------------------

def _prepare_routing(answer: Any) -> dict[str, Any]:
    path, threshold_value, top_k, preprocess = unpack(
        answer, ["ROUTING_PATH", "review_threshold", "top_k", "preprocess"])
    path = require_file(path, suffix=".csv")
    try:
        table = pd.read_csv(path)
    except Exception as exc:
        raise Problem(f"文件无法按 CSV 读取：{type(exc).__name__}",
                      f"the file does not read as CSV: {type(exc).__name__}") from None
    table = require_frame(table, columns=ROUTING_COLUMNS)
    return {"table": table, "threshold": as_number(threshold_value), "top_k": top_k, "preprocess": preprocess}


def _expected_routing(a: dict[str, Any]) -> np.ndarray:
    """The model's probabilities for the incoming images, as the learner's own top_k (Task 5) sees them."""
    if "probs" not in a:
        images = _incoming().images
        try:
            classes, confidence = _learner_top1(a["top_k"], a["preprocess"], images)
            references = _references(images, a["preprocess"])
            a["probs"] = next(ref for ref in references
                              if _topk_problem({1: (classes[:, None], confidence[:, None])}, ref) is None)
        except Problem as problem:
            a["probs"] = problem
    if isinstance(a["probs"], Problem):
        raise a["probs"]
    return a["probs"]


def _routing_rows(a: dict[str, Any]) -> bool:
    ids = pd.to_numeric(a["table"]["image_id"], errors="coerce")
    return len(ids) == len(_incoming().images) and set(ids) == set(range(len(_incoming().images)))


def _by_image(a: dict[str, Any]) -> pd.DataFrame:
    if not _routing_rows(a):
        raise Problem("行数或 image_id 不对，无法逐张核对", "wrong rows or image_id values: images cannot be matched")
    return a["table"].assign(image_id=lambda t: t["image_id"].astype(int)).set_index("image_id").sort_index()


def _routing_predictions(a: dict[str, Any]) -> bool:
    table = _by_image(a)
    reference = _expected_routing(a)
    predicted = pd.to_numeric(table["predicted"], errors="coerce").to_numpy()
    if np.isnan(predicted).any():
        raise Problem("predicted 应是 0–9 的类别编号", "predicted must be class numbers 0–9")
    at_pred = np.take_along_axis(reference, predicted.astype(int).clip(0, 9)[:, None], axis=1)[:, 0]
    confidence = pd.to_numeric(table["confidence"], errors="coerce").to_numpy()
    precision = 0.5 * 10**-CONFIDENCE_DECIMALS + 1e-9
    return bool(np.allclose(at_pred, reference.max(axis=1), rtol=0, atol=1e-6)
                and np.allclose(confidence, reference.max(axis=1), rtol=0, atol=precision))


def _routes_follow_threshold(a: dict[str, Any]) -> bool:
    table = _by_image(a)
    route = table["route"].astype(str).str.strip().str.lower()
    if not set(route) <= {"auto", "human"}:
        raise Problem("route 只能是 'auto' 或 'human'", "route must be 'auto' or 'human'")
    confidence = _expected_routing(a).max(axis=1)
    expected_auto = confidence >= a["threshold"]
    borderline = np.abs(confidence - a["threshold"]) < 1e-5
    return bool(np.all(((route == "auto").to_numpy() == expected_auto) | borderline))


routing = Task(
    grade_id="routing_file",
    unit="3.2",
    level=LEVEL,
    title=Msg("为新图像分流并保存结果", "Route the incoming images and save the result"),
    prepare=_prepare_routing,
    criteria=[
        criterion("每张新图像一行", "one row per incoming image", 0.5, visible=True,
                  fail=("行数或 image_id 不对", "wrong rows or image_id values"))(_routing_rows),
        criterion("预测类别和置信度与模型一致", "predicted class and confidence match the model", 1,
                  fail=("有的预测或置信度与模型不一致", "some predictions or confidences differ from the model"))(
            _routing_predictions),
        criterion("置信度不低于阈值的自动处理，其余转人工", "confidence at or above the threshold goes auto, "
                  "the rest to a human", 0.5,
                  fail=("分流与阈值不符", "routes do not follow the threshold"))(_routes_follow_threshold),
    ],
    hints=[
        Msg("用上一题的 top_k(incoming_images, 1) 得到类别和置信度，再 np.where(置信度 >= 阈值, 'auto', 'human')。",
            "Use top_k(incoming_images, 1) for class and confidence, then np.where(conf >= threshold, 'auto', 'human')."),
    ],
)


# --- Task 8: batch scoring with input validation ---------------------------------------------------

def _scoring_output(result: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise Problem("score_batch 应返回 (scored, rejected) 两个 DataFrame",
                      "score_batch should return two DataFrames (scored, rejected)")
    scored, rejected = result
    for name, frame, columns in (("scored", scored, ["record_id", "prob_bad"]),
                                 ("rejected", rejected, ["record_id", "reason"])):
        if not isinstance(frame, pd.DataFrame):
            raise Problem(f"{name} 应是 DataFrame", f"{name} should be a DataFrame")
        if len(frame) and not set(columns) <= set(frame.columns):
            raise Problem(f"{name} 应包含列 {columns}", f"{name} should have the columns {columns}")
    return scored, rejected


def _prepare_batch(fn: Any) -> dict[str, Any]:
    fn = _require_callable(fn)
    truth = batch_truth()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "new_applications.csv"
        truth.raw.to_csv(path, index=False, encoding="utf-8")
        scored, rejected = _scoring_output(_call(fn, path))
        no_price = Path(folder) / "new_applications_no_price.csv"
        truth.raw.drop(columns="price").to_csv(no_price, index=False, encoding="utf-8")
        try:
            no_column: Any = _scoring_output(_quietly(fn, no_price))
        except Exception as exc:
            no_column = exc
    return {"truth": truth, "scored": scored, "rejected": rejected, "no_column": no_column}


def _reasons(rejected: pd.DataFrame) -> dict[str, str]:
    if not len(rejected):
        return {}
    return {str(r): str(reason).lower() for r, reason in zip(rejected["record_id"], rejected["reason"],
                                                               strict=True)
            if isinstance(reason, str) and reason.strip()}


def _each_record_once(a: dict[str, Any]) -> bool:
    scored = [str(r) for r in a["scored"]["record_id"]] if len(a["scored"]) else []
    rejected = [str(r) for r in a["rejected"]["record_id"]] if len(a["rejected"]) else []
    everyone = scored + rejected
    if len(everyone) != len(set(everyone)):
        raise Problem("有记录出现了不止一次（同时被打分和拒绝，或重复）",
                      "some records appear more than once (both scored and rejected, or repeated)")
    return set(everyone) == set(a["truth"].raw["record_id"])


def _rejected_with_reason(a: dict[str, Any], kinds: tuple[str, ...]) -> bool:
    reasons = _reasons(a["rejected"])
    bad = {r: f for r, f in a["truth"].faults.items() if f.kind in kinds}
    missed = [r for r in bad if r not in reasons]
    if missed:
        raise Problem(f"{len(missed)} 条这类问题记录没有被拒绝（或原因为空）",
                      f"{len(missed)} records with this kind of fault are not rejected (or have no reason)")
    unnamed = [r for r, f in bad.items()
               if f.column not in reasons[r] and not (f.kind == "cross" and "price" in reasons[r])]
    if unnamed:
        raise Problem(f"{len(unnamed)} 条被拒记录的原因没有写出出问题的列名",
                      f"{len(unnamed)} rejected records have a reason that does not name the faulty column")
    return True


def _good_rows_scored(a: dict[str, Any]) -> bool:
    scored = {str(r) for r in a["scored"]["record_id"]} if len(a["scored"]) else set()
    lost = [r for r in a["truth"].good_ids if r not in scored]
    if lost:
        blanks = a["truth"].features.loc[lost, na.OPTIONAL].isna().any(axis=1).sum()
        raise Problem(f"{len(lost)} 条符合规范的记录没有被打分（其中 {blanks} 条只是可选字段为空）",
                      f"{len(lost)} records that meet the schema were not scored ({blanks} of them only "
                      f"have a blank optional field)")
    return True


def _scores_match(a: dict[str, Any]) -> bool:
    truth = a["truth"]
    scored = a["scored"].assign(record_id=lambda s: s["record_id"].astype(str)).set_index("record_id")
    good = [r for r in truth.good_ids if r in scored.index]
    if not good:
        raise Problem("没有可以核对的打分记录", "no scored records to compare")
    expected = cm.prob_bad(cm.train_credit_model(), truth.features.loc[good])
    got = pd.to_numeric(scored.loc[good, "prob_bad"], errors="coerce").to_numpy(dtype=float)
    return bool(np.allclose(got, expected, rtol=0, atol=1e-4))


def _missing_column_rejected(a: dict[str, Any]) -> bool:
    result = a["no_column"]
    if isinstance(result, Exception):
        raise Problem(f"文件缺少一列时函数出错（{type(result).__name__}），应逐行拒绝并说明原因",
                      f"your function raised {type(result).__name__} on a file missing a column; "
                      f"it should reject the rows with a reason")
    scored, rejected = result
    reasons = _reasons(rejected)
    ids = list(a["truth"].raw["record_id"])
    return len(scored) == 0 and all("price" in reasons.get(r, "") for r in ids)


batch_scoring = Task(
    grade_id="batch_scoring",
    unit="3.1",
    level=LEVEL,
    title=Msg("带输入校验的批量打分", "Batch scoring with input validation"),
    prepare=_prepare_batch,
    criteria=[
        criterion("每条记录要么打分要么拒绝，且只出现一次", "every record is either scored or rejected, once",
                  0.5, visible=True, fail=("有记录丢失或重复", "records are lost or repeated"))(_each_record_once),
        criterion("必填字段缺失的记录被拒绝并写明列名", "records missing a required value are rejected, "
                  "naming the column", 0.5, fail=("缺失值处理不对", "missing values handled wrongly"))(
            partial(_rejected_with_reason, kinds=("missing",))),
        criterion("类型错误（数字字段里有文字）的记录被拒绝并写明列名", "records with text in a number field are "
                  "rejected, naming the column", 0.5, fail=("类型错误处理不对", "wrong types handled wrongly"))(
            partial(_rejected_with_reason, kinds=("type",))),
        criterion("超出范围或贷款高于价格的记录被拒绝并写明列名", "out-of-range values and loans above the price "
                  "are rejected, naming the column", 0.5,
                  fail=("范围校验不对", "range checks handled wrongly"))(
            partial(_rejected_with_reason, kinds=("range", "cross"))),
        criterion("符合规范的记录全部打分（可选字段为空也要打分）", "every record meeting the schema is scored "
                  "(a blank optional field too)", 0.75, fail=("有好记录没有打分", "good records were not scored"))(
            _good_rows_scored),
        criterion("打分与模型一致", "scores match the model", 0.75,
                  fail=("prob_bad 与模型的 P(bad) 不一致", "prob_bad differs from the model's P(bad)"))(
            _scores_match),
        criterion("文件缺少一列时不崩溃，逐行拒绝并写明缺少的列", "a file missing a column is rejected row by row, "
                  "naming the column, without crashing", 0.5,
                  fail=("缺列的文件处理不对", "a file missing a column is handled wrongly"))(_missing_column_rejected),
    ],
    hints=[
        Msg("先 pd.read_csv(path, dtype=str, keep_default_na=False) 全部按文本读入，再逐列 pd.to_numeric(errors='coerce')。",
            "Read everything as text first: pd.read_csv(path, dtype=str, keep_default_na=False), then "
            "pd.to_numeric(errors='coerce') per column."),
        Msg("空字符串 = 缺失；非空但转不成数字 = 类型错误；再按 SCHEMA 的上下限检查范围。一行可能有多个原因，用 '; ' 连起来。",
            "Empty text = missing; non-empty but not a number = wrong type; then check SCHEMA's bounds. "
            "Join several reasons of one row with '; '."),
    ],
)


# --- Task 9: the scoring deliverables -----------------------------------------------------------------

def _prepare_batch_files(answer: Any) -> dict[str, Any]:
    scored_path, rejected_path, score_batch = unpack(answer, ["SCORED_PATH", "REJECTED_PATH", "score_batch"])
    frames: dict[str, Any] = {"score_batch": score_batch}
    for name, path, columns in (("scored", scored_path, ["record_id", "prob_bad"]),
                                ("rejected", rejected_path, ["record_id", "reason"])):
        path = require_file(path, suffix=".csv")
        if path.name != f"batch_{name}.csv":
            raise Problem(f"{name} 结果应保存为 output/batch_{name}.csv，实际是 {path.name}",
                          f"the {name} results belong in output/batch_{name}.csv, not {path.name}")
        try:
            frame = pd.read_csv(path, dtype={"record_id": str})
        except Exception as exc:
            raise Problem(f"{name} 文件无法按 CSV 读取：{type(exc).__name__}",
                          f"the {name} file does not read as CSV: {type(exc).__name__}") from None
        frames[name] = require_frame(frame, columns=columns)
    return frames


def _own_results(files: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What the learner's own score_batch (Task 9) gives on today's file: the files must hold it (ECF)."""
    if "own" not in files:
        try:
            fn = _require_callable(files["score_batch"])
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "new_applications.csv"
                batch_truth().raw.to_csv(path, index=False, encoding="utf-8")
                files["own"] = _scoring_output(_call(fn, path))
        except Problem:
            files["own"] = fix_first("任务 9", "Task 9")
    if isinstance(files["own"], Problem):
        raise files["own"]
    return files["own"]


def _no_index_column(frame: pd.DataFrame, name: str) -> None:
    if any(str(c).startswith("Unnamed") for c in frame.columns):
        raise Problem(f"{name} 文件多了一列行索引：保存时用 index=False",
                      f"the {name} file holds the row index as a column: save with index=False")


def _ids(frame: pd.DataFrame) -> list[str]:
    return [str(r) for r in frame["record_id"]] if len(frame) else []


def _scored_file_right(files: dict[str, Any]) -> bool:
    _no_index_column(files["scored"], "scored")
    own, _ = _own_results(files)
    scored = files["scored"].assign(record_id=lambda f: f["record_id"].astype(str)).set_index("record_id")
    expected_ids = _ids(own)
    if sorted(scored.index) != sorted(expected_ids):
        raise Problem("打分文件里的记录与 score_batch 打分的记录不一致",
                      "the scored file's records differ from those score_batch scores")
    if not expected_ids:
        return True
    expected = pd.to_numeric(pd.Series(list(own["prob_bad"]), index=expected_ids), errors="coerce")
    got = pd.to_numeric(scored.loc[expected_ids, "prob_bad"], errors="coerce").to_numpy(dtype=float)
    return bool(np.allclose(got, expected.to_numpy(dtype=float), rtol=0, atol=1e-4, equal_nan=True))


def _rejected_file_right(files: dict[str, Any]) -> bool:
    _no_index_column(files["rejected"], "rejected")
    _, own = _own_results(files)
    rejected = files["rejected"]
    has_reason = rejected["reason"].astype(str).str.strip().ne("") & rejected["reason"].notna()
    return sorted(_ids(rejected)) == sorted(_ids(own)) and bool(has_reason.all())


batch_files = Task(
    grade_id="batch_files",
    unit="3.1",
    level=LEVEL,
    title=Msg("保存打分结果与拒绝清单", "Save the scores and the rejection list"),
    prepare=_prepare_batch_files,
    criteria=[
        criterion("打分文件：score_batch 打分的每条记录一行，分数一致", "scores file: one row per record "
                  "score_batch scores, the same scores", 0.5,
                  visible=True, fail=("打分文件不对", "wrong scores file"))(_scored_file_right),
        criterion("拒绝清单：score_batch 拒绝的每条记录一行，原因非空", "rejections file: one row per record "
                  "score_batch rejects, with a reason", 0.5,
                  fail=("拒绝清单不对", "wrong rejections file"))(_rejected_file_right),
    ],
    hints=[
        Msg("scored.to_csv(路径, index=False)；rejected 同理。", "scored.to_csv(path, index=False); the same for rejected."),
    ],
)


# --- Tasks 10–12: usage-log analysis -----------------------------------------------------------------

def _successful_by(keys: list[str]) -> pd.api.typing.SeriesGroupBy:
    log = usage_truth()
    ok = log[log["status"] == ul.SUCCESS].assign(hour=log["start_time"].dt.hour)
    return ok.groupby(keys)["response_ms"]


def _feature_name(value: Any) -> str:
    name = str(value).strip()
    if name not in ul.FEATURES:
        raise Problem(f"“{name}” 不是日志里的功能名", f"'{name}' is not a feature of the log")
    return name


def _prepare_usage(answer: Any) -> dict[str, Any]:
    counts, top = unpack(answer, ["feature_sessions", "most_used_feature"])
    if isinstance(counts, pd.DataFrame) and counts.shape[1] == 1:
        counts = counts.iloc[:, 0]
    counts = require_mapping(counts, keys=ul.FEATURES)
    return {"counts": {str(k): as_number(v) for k, v in counts.items()}, "top": top}


def _usage_counts(a: dict[str, Any]) -> bool:
    expected = usage_truth()["feature"].value_counts()
    return all(a["counts"][f] == expected.get(f, 0) for f in ul.FEATURES)


usage = Task(
    grade_id="usage_features",
    unit="3.1",
    level=LEVEL,
    title=Msg("统计各功能的使用量", "Count the sessions per feature"),
    prepare=_prepare_usage,
    criteria=[
        criterion("每个功能都有会话数", "every feature has a session count", 0.5, visible=True,
                  fail=("会话数应是非负数", "counts must be non-negative numbers"))(
            lambda a: all(v >= 0 for v in a["counts"].values())),
        criterion("各功能会话数正确", "the session counts are right", 1,
                  fail=("会话数不对：每行是一个会话", "wrong counts: each row is one session"))(_usage_counts),
        criterion("找出了使用最多的功能", "the most used feature is found", 0.5,
                  fail=("使用最多的功能不对", "wrong most-used feature"))(
            lambda a: _feature_name(a["top"]) == usage_truth()["feature"].value_counts().idxmax()),
    ],
    hints=[
        Msg("log['feature'].value_counts()，或 pivot_table(index='feature', values='session_id', aggfunc='count')。",
            "log['feature'].value_counts(), or pivot_table(index='feature', values='session_id', aggfunc='count')."),
    ],
)


def _prepare_latency(answer: Any) -> Mapping[str, Any]:
    findings = require_mapping(answer, keys=LATENCY_KEYS)
    hour = as_number(findings["bottleneck_hour"])
    if hour != int(hour) or not 0 <= hour <= 23:
        raise Problem("bottleneck_hour 应是 0–23 的整数小时", "bottleneck_hour should be a whole hour 0–23")
    return findings


def _slowest_feature(findings: Mapping[str, Any]) -> bool:
    by_feature = _successful_by(["feature"])
    return _feature_name(findings["slowest_feature"]) in {by_feature.mean().idxmax(), by_feature.median().idxmax()}


def _bottleneck_cell(findings: Mapping[str, Any]) -> bool:
    cells = _successful_by(["feature", "hour"])
    cell = (_feature_name(findings["bottleneck_feature"]), int(as_number(findings["bottleneck_hour"])))
    return cell in {cells.mean().idxmax(), cells.median().idxmax()}


def _bottleneck_ms(findings: Mapping[str, Any]) -> bool:
    cells = _successful_by(["feature", "hour"])
    cell = (_feature_name(findings["bottleneck_feature"]), int(as_number(findings["bottleneck_hour"])))
    if cell not in cells.mean().index:
        raise Problem("这个功能在这个小时没有成功的会话", "this feature has no successful sessions at that hour")
    reported = as_number(findings["bottleneck_ms"])
    return any(abs(reported - float(stat.loc[cell])) <= 1 for stat in (cells.mean(), cells.median()))


latency = Task(
    grade_id="latency_bottleneck",
    unit="3.1",
    level=LEVEL,
    title=Msg("定位响应时间瓶颈", "Find the response-time bottleneck"),
    prepare=_prepare_latency,
    criteria=[
        criterion("功能名和小时有效", "valid feature names and hour", 0.5, visible=True,
                  fail=("功能名应取自日志", "feature names must come from the log"))(
            lambda f: bool(_feature_name(f["slowest_feature"]) and _feature_name(f["bottleneck_feature"]))),
        criterion("平均响应最慢的功能正确", "the slowest feature on average is right", 0.75,
                  fail=("最慢的功能不对（只统计成功的会话）", "wrong slowest feature (successful sessions only)"))(
            _slowest_feature),
        criterion("功能 × 小时 的瓶颈正确", "the feature-by-hour bottleneck is right", 1,
                  fail=("瓶颈不对：按 功能 × 小时 透视成功会话的响应时间", "wrong bottleneck: pivot the successful "
                        "sessions' response time by feature and hour"))(_bottleneck_cell),
        criterion("瓶颈处的响应时间正确", "the bottleneck's response time is right", 0.25,
                  fail=("bottleneck_ms 应是该格成功会话的平均（或中位）响应时间",
                        "bottleneck_ms should be that cell's mean (or median) response time of successful "
                        "sessions"))(_bottleneck_ms),
    ],
    hints=[
        Msg("先筛 status == '成功'，再 assign(hour=log['start_time'].dt.hour)。",
            "Keep status == '成功' first, then assign(hour=log['start_time'].dt.hour)."),
        Msg("pivot_table(index='feature', columns='hour', values='response_ms', aggfunc='mean')，再 .stack().idxmax()。",
            "pivot_table(index='feature', columns='hour', values='response_ms', aggfunc='mean'), then .stack().idxmax()."),
    ],
)


def _failure_groups() -> pd.DataFrame:
    log = usage_truth()
    groups = (log.assign(failed=log["status"] == ul.FAILURE)
              .groupby(["feature", "device_model"])["failed"].agg(["mean", "size"]))
    return groups[groups["size"] >= MIN_SESSIONS]


def _hot_spot_group(findings: Mapping[str, Any]) -> tuple[str, str]:
    return _feature_name(findings["feature"]), str(findings["device_model"]).strip()


def _hot_spot_right(findings: Mapping[str, Any]) -> bool:
    return _hot_spot_group(findings) == _failure_groups()["mean"].idxmax()


def _hot_spot_rate(findings: Mapping[str, Any]) -> bool:
    log = usage_truth()
    groups = log.assign(failed=log["status"] == ul.FAILURE).groupby(["feature", "device_model"])["failed"].agg(["mean"])
    group = _hot_spot_group(findings)
    if group not in groups.index:
        raise Problem("这个功能和型号的组合不存在", "this feature and model pair is not in the log")
    return abs(as_number(findings["failure_rate"]) - float(groups.loc[group, "mean"])) <= 0.005


def _hot_spot_error(findings: Mapping[str, Any]) -> bool:
    feature, device = _hot_spot_group(findings)
    log = usage_truth()
    errors = log[(log["feature"] == feature) & (log["device_model"] == device)]["error_type"].value_counts()
    return len(errors) > 0 and str(findings["main_error"]).strip() == errors.idxmax()


failures = Task(
    grade_id="failure_hot_spot",
    unit="3.1",
    level=LEVEL,
    title=Msg("找出故障热点", "Find the failure hot spot"),
    prepare=partial(require_mapping, keys=HOT_SPOT_KEYS),
    criteria=[
        criterion("功能、型号有效，失败率在 0–1 之间", "valid feature and model, failure rate in 0–1", 0.5,
                  visible=True, fail=("功能或型号不在日志里，或失败率不是 0–1 的小数",
                                      "feature or model not in the log, or the rate is not a fraction"))(
            lambda f: (_hot_spot_group(f)[1] in ul.DEVICES and 0 <= as_number(f["failure_rate"]) <= 1)),
        criterion(f"失败率最高的 功能 × 型号 组合（至少 {MIN_SESSIONS} 个会话）",
                  f"the feature and model with the highest failure rate (at least {MIN_SESSIONS} sessions)", 1,
                  fail=("热点不对：比较的是失败率，不是失败次数，且只比较会话数不少于 MIN_SESSIONS 的组合",
                        "wrong hot spot: compare failure rates, not failure counts, and only pairs with at "
                        "least MIN_SESSIONS sessions"))(_hot_spot_right),
        criterion("热点的失败率正确", "the hot spot's failure rate is right", 0.5,
                  fail=("失败率不对（0–1 的小数）", "wrong failure rate (a fraction 0–1)"))(_hot_spot_rate),
        criterion("热点的主要失败原因正确", "the hot spot's main failure reason is right", 0.5,
                  fail=("主要失败原因不对", "wrong main failure reason"))(_hot_spot_error),
    ],
    hints=[
        Msg("失败率 = (status == '失败') 的均值；groupby(['feature', 'device_model']) 后 agg(['mean', 'size'])。",
            "Failure rate = mean of (status == '失败'); groupby(['feature', 'device_model']).agg(['mean', 'size'])."),
    ],
)


# --- Written answers, graded by hand -----------------------------------------------------------------

review_flow = WrittenTask(
    grade_id="review_flow",
    unit="3.2",
    level=LEVEL,
    title=Msg("人机协同复核流程", "Human–AI review flow"),
    rubric=[
        RubricPoint(Msg("给出阈值、目标错误率及由数据得到的自动化率，并说明取舍理由",
                        "states the threshold, the target error rate and the automation rate found in the "
                        "data, with the reasoning for the trade-off"), 1),
        RubricPoint(Msg("说明谁在何时看到什么：自动结果直接输出；低置信度样本连同图像、top-3 和置信度进入复核队列，有时限",
                        "says who sees what and when: automatic results go straight out; uncertain cases reach "
                        "a reviewer with the image, the top-3 and the confidence, within a time limit"), 1),
        RubricPoint(Msg("人工结论如何回流：作为标签进入训练数据、抽检自动结果、纠错记录",
                        "what the human decision feeds back: labels for retraining, spot checks of automatic "
                        "results, an error log"), 1),
        RubricPoint(Msg("上线后的监控与调整：跟踪自动化率、复核量和错误率，数据变化时重新校准阈值",
                        "monitoring after launch: track automation rate, review load and error rate; "
                        "recalibrate the threshold when the data shift"), 1),
    ],
)

optimisation_plan = WrittenTask(
    grade_id="optimisation_plan",
    unit="3.1",
    level=LEVEL,
    title=Msg("三条优化建议", "Three optimisation proposals"),
    rubric=[
        RubricPoint(Msg("三条建议各自对应日志中的一个发现，并引用数据（功能、小时、型号、比率）",
                        "each of the three proposals rests on a finding in the log, quoting the data "
                        "(feature, hour, model, rates)"), 1),
        RubricPoint(Msg("措施具体可执行（如扩容/缓存、固件修复、交互改进），而不是泛泛而谈",
                        "the measures are concrete and feasible (e.g. scaling or caching, a firmware fix, a "
                        "better dialogue), not generic"), 1),
        RubricPoint(Msg("给出预期效果和验证指标（响应时间、失败率、满意度）及验证方法（前后对比或 A/B）",
                        "states the expected effect and how to verify it (response time, failure rate, "
                        "satisfaction; before/after or A/B)"), 1),
        RubricPoint(Msg("说明优先级和持续监控安排", "sets priorities and ongoing monitoring"), 1),
    ],
)

LAB = Lab(
    assignment="deployment",
    notebook="deployment_l3.ipynb",
    level=LEVEL,
    summary=Msg(
        "skops 与 ONNX 导出及一致性、文件大小与延迟、ONNX 手写数字推理（预处理、softmax、top-k）、按置信度转人工复核、带输入校验的批量打分、产品使用日志分析（功能、响应时间瓶颈、故障热点）、优化建议",
        "skops and ONNX export and parity, size and latency, ONNX digit inference (preprocess, softmax, top-k), confidence-based routing to human review, validated batch scoring, usage-log analysis, optimisation proposals"),
    tasks=[skops_export, onnx_export, size_latency, preprocessing, topk, review, routing, review_flow,
           batch_scoring, batch_files, usage, latency, failures, optimisation_plan],
)
