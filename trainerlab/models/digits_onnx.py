"""An 8×8 handwritten-digit classifier stored as ONNX, the way the exam hands out a model file.

The model is a multinomial logistic regression trained on part of scikit-learn's ``digits`` data
(shipped inside scikit-learn, so nothing is downloaded) and written with ``onnx.helper`` as a
two-node graph ``Flatten → Gemm``. It outputs **raw logits**: the caller applies softmax.

Input contract (also stored in the file's metadata and doc string):

* input ``image``: ``float32``, shape ``[N, 1, 8, 8]`` (batch, channel, height, width);
* pixels scaled to 0–1: the raw digits pixels are integers 0–16, so divide by 16;
* output ``logits``: ``float32``, shape ``[N, 10]``, one score per class ``0``…``9``.

:func:`build_model` writes the file (deterministic; about 0.3 s); the data splits come from
:func:`digits_split`: ``train`` fits the model, ``valid`` is for choosing a review threshold,
``incoming`` plays the new images sent to the deployed model. Every ``FAINT_EVERY``-th incoming
image is a faint scan (pixels scaled down to at most ``FAINT_MAX``): dividing by the data's own
maximum instead of the contract's 16 gives those images (and a batch of only them) other inputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from trainerlab.runtime import single_threaded

INPUT_NAME = "image"
OUTPUT_NAME = "logits"
INPUT_SHAPE = ("N", 1, 8, 8)
N_CLASSES = 10
PIXEL_MAX = 16.0
FAINT_EVERY = 20  # every 20th incoming image is a faint scan ...
FAINT_MAX = 9  # ... whose brightest pixel is at most 9 of 16
SPLIT_SEED = 20261123
OPSET = 17
IR_VERSION = 8  # readable by every onnxruntime >= 1.15
DECIMALS = 4  # weights are rounded so tiny solver differences do not change the file
PREPROCESSING = ("raw pixels 0-16 (uint8) -> float32 / 16.0 -> shape [N, 1, 8, 8]; "
                 "output: raw logits for classes 0-9, apply softmax for probabilities")


@dataclass(frozen=True)
class DigitsSplit:
    """Raw 8×8 images (``uint8``, values 0–16) and labels of one part of the digits data."""

    images: np.ndarray
    labels: np.ndarray


@cache
def digits_split() -> dict[str, DigitsSplit]:
    """The fixed ``train`` (50 %), ``valid`` (25 %) and ``incoming`` (25 %) parts, stratified.

    Every ``FAINT_EVERY``-th incoming image is faint (see :func:`faint_positions`).
    """
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    images = digits.images.astype(np.uint8)
    labels = digits.target.astype(np.int64)
    index = np.arange(len(labels))
    train, rest = train_test_split(index, test_size=0.5, stratify=labels, random_state=SPLIT_SEED)
    valid, incoming = train_test_split(rest, test_size=0.5, stratify=labels[rest],
                                       random_state=SPLIT_SEED)
    parts = {}
    for name, part in (("train", train), ("valid", valid), ("incoming", incoming)):
        split = DigitsSplit(images[part], labels[part])
        if name == "incoming":
            faint = faint_positions(len(part))
            split.images[faint] = (split.images[faint].astype(np.int64) * FAINT_MAX // 16).astype(np.uint8)
        split.images.setflags(write=False)  # shared by the lab and its checks: never edited in place
        split.labels.setflags(write=False)
        parts[name] = split
    return parts


def faint_positions(n_images: int) -> np.ndarray:
    """Positions of the faint scans among ``n_images`` incoming images."""
    return np.arange(FAINT_EVERY // 2, n_images, FAINT_EVERY)


def _fit_weights() -> tuple[np.ndarray, np.ndarray]:
    """Fit the logistic regression on the train part; weights rounded to ``DECIMALS``."""
    from sklearn.linear_model import LogisticRegression

    train = digits_split()["train"]
    features = train.images.reshape(len(train.images), -1).astype(np.float64) / PIXEL_MAX
    # one BLAS thread: the same summation order (and so the same weights) on every run
    with single_threaded():
        model = LogisticRegression(C=1.0, max_iter=2000).fit(features, train.labels)
    weights = np.round(model.coef_, DECIMALS).astype(np.float32)  # [10, 64]
    bias = np.round(model.intercept_, DECIMALS).astype(np.float32)  # [10]
    return weights, bias


@cache
def model_bytes() -> bytes:
    """The serialised ONNX model (cached per process)."""
    from onnx import TensorProto, checker, helper, numpy_helper

    weights, bias = _fit_weights()
    graph = helper.make_graph(
        nodes=[
            helper.make_node("Flatten", [INPUT_NAME], ["pixels"], axis=1, name="flatten"),
            helper.make_node("Gemm", ["pixels", "weights", "bias"], [OUTPUT_NAME], transB=1,
                             name="linear"),
        ],
        name="digits_logistic_regression",
        inputs=[helper.make_tensor_value_info(INPUT_NAME, TensorProto.FLOAT, list(INPUT_SHAPE))],
        outputs=[helper.make_tensor_value_info(OUTPUT_NAME, TensorProto.FLOAT, ["N", N_CLASSES])],
        initializer=[numpy_helper.from_array(weights, "weights"),
                     numpy_helper.from_array(bias, "bias")],
    )
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", OPSET)],
        producer_name="trainerlab",
        producer_version="1",
        doc_string="Handwritten digits 0-9 (scikit-learn digits), logistic regression. "
                   + PREPROCESSING,
    )
    model.ir_version = IR_VERSION
    helper.set_model_props(model, {"classes": ",".join(str(c) for c in range(N_CLASSES)),
                                   "preprocessing": PREPROCESSING})
    checker.check_model(model)
    return model.SerializeToString()


def build_model(path: str | Path) -> Path:
    """Write the ONNX model to ``path`` (rewritten only if its bytes differ) and return the path."""
    path = Path(path)
    data = model_bytes()
    if not path.is_file() or path.read_bytes() != data:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return path
