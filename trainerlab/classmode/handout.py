"""What a lab's notebook reads from ``q`` (its grader module), handed to a student as files and values.

A class-mode student environment holds no generator and no seed, so everything the student version of
a lab calls on ``q`` besides its tasks is declared here and captured on the instructor's side for each
student's seed: data files, plain values, printed texts, objects (models, tables, arrays: as data,
:mod:`trainerlab.classmode.objects`) and the few helpers that need no truth (copied from the grader
module's source).
"""

from __future__ import annotations

import contextlib
import inspect
import io
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any

from trainerlab.variants import SEED_VARIABLE

HANDOUT_FILE = "handout.json"


@dataclass(frozen=True)
class Handout:
    """The parts of a lab's grader module its notebook uses, by how they reach the student.

    ``files``: functions returning a data file's path -> the file's name in the student's ``data/``;
    ``values``: functions (called) and constants whose value is handed out (as JSON, or as objects are);
    ``printed``: functions whose printed text is handed out; ``objects``: functions whose result is
    handed out as data -> the attributes of the result the student gets (a namespace of them), or ``()``
    for the result itself; ``code``: helpers that need no truth, copied as source.
    """

    files: Mapping[str, str] = field(default_factory=dict)
    values: tuple[str, ...] = ()
    printed: tuple[str, ...] = ()
    objects: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    code: tuple[str, ...] = ()

    @property
    def names(self) -> set[str]:
        """Every name of ``q`` the handout provides besides the tasks."""
        return {*self.files, *self.values, *self.printed, *self.objects, *self.code}


HANDOUTS: dict[str, Handout] = {
    "business_analysis": Handout(files={"log_path": "service_log.csv", "batch_path": "new_records.csv"},
                                 code=("Flowchart", "show_flowchart")),
    "data_cleaning": Handout(files={"raw_path": "loan_applications_raw.csv"}),
    "data_cleaning_l2": Handout(files={"data_path": "intent_annotations.csv"},
                                values=("ANNOTATORS", "INTENTS", "CHANNELS")),
    "model_tuning": Handout(files={"data_path": "credit_data.csv", "mpg_path": "auto_mpg.csv"}),
    "model_tuning_l2": Handout(files={"data_path": "order_returns.csv"},
                               values=("SPLIT_SEED", "TEST_SHARE", "GAP_RULE")),
    "deployment": Handout(files={"digits_model_path": "digits_classifier.onnx",
                                 "batch_path": "new_applications.csv", "usage_log_path": "usage_log.xlsx"},
                          values=("FEATURES", "SCHEMA", "MIN_SESSIONS", "TARGET_ERROR"),
                          objects={"credit_model": (), "credit_valid": (),
                                   "digit_images": ("valid_images", "valid_labels", "incoming_images")}),
    "deployment_l2": Handout(files={"claims_path": "claims.csv", "traffic_path": "traffic.csv"},
                             values=("FEATURES", "TARGET", "CONTRACT", "MONITORED", "PSI_ALERT",
                                     "AUTO_APPROVE_BELOW", "INVESTIGATE_FROM", "HIGH_AMOUNT", "load_payloads",
                                     "incoming_requests"),
                             objects={"model_v1": (), "model_v2": ()}),
    "evaluation": Handout(objects={"credit_case": ("model", "X_train", "y_train", "X_val", "y_val", "X_test",
                                                  "y_test"),
                                   "mpg_case": ("model", "X_train", "y_train", "X_test", "y_test")}),
    "evaluation_l2": Handout(objects={"case": ("old_model", "new_model", "X_train", "y_train", "X_cal",
                                               "y_cal", "X_golden", "y_golden"), "obvious_cases": ()},
                             values=("THRESHOLD", "GATE", "INVARIANCE_TOL")),
    "guidance": Handout(files={"quiz_path": "quiz_responses.csv", "batch_path": "labelling_batch.csv"},
                        values=("answer_key", "junior_script", "INTENT_LABELS"),
                        printed=("show_cleaning_spec", "show_guideline")),
}


def handout(assignment: str) -> Handout:
    """The handout of ``assignment``; a :class:`ValueError` naming the labs for an unknown one."""
    try:
        return HANDOUTS[assignment]
    except KeyError:
        raise ValueError(f"没有名为 {assignment} 的实训 / there is no lab named {assignment} "
                         f"(class mode covers: {', '.join(sorted(HANDOUTS))})") from None


@contextlib.contextmanager
def _variant(seed: int) -> Iterator[None]:
    """Work on ``seed``'s variant in a private temp folder, also the working folder (so the data cache and
    a lab's ``output/`` never outlive the capture)."""
    before_seed, before_temp, before_cwd = os.environ.get(SEED_VARIABLE), tempfile.tempdir, os.getcwd()
    private = tempfile.mkdtemp(prefix="trainerlab-handout-")
    os.environ[SEED_VARIABLE] = str(seed)
    tempfile.tempdir = private
    os.chdir(private)
    try:
        yield
    finally:
        os.chdir(before_cwd)
        tempfile.tempdir = before_temp
        if before_seed is None:
            os.environ.pop(SEED_VARIABLE, None)
        else:
            os.environ[SEED_VARIABLE] = before_seed
        shutil.rmtree(private, ignore_errors=True)


def write_handout(assignment: str, seed: int, data: Path) -> Path:
    """Write the handout of ``assignment`` for ``seed`` into the folder ``data`` and return its index file.

    Files are copied under neutral names (the data cache names its files by seed); objects are written
    as data files named after the function (and attribute); values, printed texts and the objects'
    index go into ``handout.json``. Nothing names the seed.
    """
    from trainerlab.classmode.objects import dump, dump_attributes  # skops: only to build an environment

    spec = handout(assignment)
    module = import_module(f"graders.{assignment}")
    data = data.resolve()
    data.mkdir(parents=True, exist_ok=True)
    index: dict[str, Any] = {"files": dict(spec.files), "values": {}, "printed": {}, "objects": {}}
    with _variant(seed):
        for name, file_name in spec.files.items():
            shutil.copyfile(getattr(module, name)(), data / file_name)
        for name in spec.values:
            member = getattr(module, name)
            value = member() if callable(member) else member
            index["values"][name] = {"call": callable(member), **dump(value, data, name)}
        for name in spec.printed:
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                getattr(module, name)()
            index["printed"][name] = out.getvalue()
        for name, attributes in spec.objects.items():
            value = getattr(module, name)()
            index["objects"][name] = (dump_attributes(value, attributes, data, name) if attributes
                                      else dump(value, data, name))
    path = data / HANDOUT_FILE
    path.write_text(json.dumps(index, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def helper_sources(assignment: str) -> str:
    """The source of the lab's truth-free helpers (``Handout.code``), as written in its grader module."""
    module = import_module(f"graders.{assignment}")
    return "\n\n".join(inspect.getsource(getattr(module, name)) for name in handout(assignment).code)
