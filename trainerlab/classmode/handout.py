"""What a lab's notebook reads from ``q`` (its grader module), handed to a student as files and values.

A class-mode student environment holds no generator and no seed, so everything the student version of
a lab calls on ``q`` besides its tasks is declared here and captured on the instructor's side for each
student's seed: data files, plain values, printed texts, and the few helpers that need no truth (copied
from the grader module's source). A lab whose notebook imports the generators or models itself
(``deployment``, ``evaluation``, …) cannot be handed out this way yet and is refused.
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
    ``values``: functions (called) and constants whose JSON value is handed out; ``printed``: functions
    whose printed text is handed out; ``code``: helpers that need no truth, copied as source.
    """

    files: Mapping[str, str] = field(default_factory=dict)
    values: tuple[str, ...] = ()
    printed: tuple[str, ...] = ()
    code: tuple[str, ...] = ()

    @property
    def names(self) -> set[str]:
        """Every name of ``q`` the handout provides besides the tasks."""
        return {*self.files, *self.values, *self.printed, *self.code}


HANDOUTS: dict[str, Handout] = {
    "business_analysis": Handout(files={"log_path": "service_log.csv", "batch_path": "new_records.csv"},
                                 code=("Flowchart", "show_flowchart")),
    "data_cleaning": Handout(files={"raw_path": "loan_applications_raw.csv"}),
    "data_cleaning_l2": Handout(files={"data_path": "intent_annotations.csv"},
                                values=("ANNOTATORS", "INTENTS", "CHANNELS")),
    "model_tuning": Handout(files={"data_path": "credit_data.csv", "mpg_path": "auto_mpg.csv"}),
    "model_tuning_l2": Handout(files={"data_path": "order_returns.csv"},
                               values=("SPLIT_SEED", "TEST_SHARE", "GAP_RULE")),
    "guidance": Handout(files={"quiz_path": "quiz_responses.csv", "batch_path": "labelling_batch.csv"},
                        values=("answer_key", "junior_script", "INTENT_LABELS"),
                        printed=("show_cleaning_spec", "show_guideline")),
}


class NotHandedOut(ValueError):
    """The lab cannot be part of a class-mode student environment (yet)."""


def handout(assignment: str) -> Handout:
    """The handout of ``assignment``; :class:`NotHandedOut` for a lab class mode does not cover."""
    try:
        return HANDOUTS[assignment]
    except KeyError:
        raise NotHandedOut(
            f"实训 {assignment} 的笔记本直接调用数据生成器，暂不能用于班级模式 / "
            f"the notebook of {assignment} calls the data generators itself and cannot be handed out "
            f"in class mode yet "
            f"(class mode covers: {', '.join(sorted(HANDOUTS))})") from None


@contextlib.contextmanager
def _variant(seed: int) -> Iterator[None]:
    """Work on ``seed``'s variant with a private temp folder (its data cache never outlives the capture)."""
    before_seed, before_temp = os.environ.get(SEED_VARIABLE), tempfile.tempdir
    private = tempfile.mkdtemp(prefix="trainerlab-handout-")
    os.environ[SEED_VARIABLE] = str(seed)
    tempfile.tempdir = private
    try:
        yield
    finally:
        tempfile.tempdir = before_temp
        if before_seed is None:
            os.environ.pop(SEED_VARIABLE, None)
        else:
            os.environ[SEED_VARIABLE] = before_seed
        shutil.rmtree(private, ignore_errors=True)


def _plain(value: Any) -> dict[str, Any]:
    if isinstance(value, tuple):
        return {"tuple": True, "value": list(value)}
    json.dumps(value)  # a value that is not plain JSON fails here, at the instructor's side
    return {"tuple": False, "value": value}


def write_handout(assignment: str, seed: int, data: Path) -> Path:
    """Write the handout of ``assignment`` for ``seed`` into the folder ``data`` and return its index file.

    Files are copied under neutral names (the data cache names its files by seed); values and printed
    texts go into ``handout.json``. Nothing names the seed.
    """
    spec = handout(assignment)
    module = import_module(f"graders.{assignment}")
    data.mkdir(parents=True, exist_ok=True)
    index: dict[str, Any] = {"files": dict(spec.files), "values": {}, "printed": {}}
    with _variant(seed):
        for name, file_name in spec.files.items():
            shutil.copyfile(getattr(module, name)(), data / file_name)
        for name in spec.values:
            member = getattr(module, name)
            value = member() if callable(member) else member
            index["values"][name] = {"call": callable(member), **_plain(value)}
        for name in spec.printed:
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                getattr(module, name)()
            index["printed"][name] = out.getvalue()
    path = data / HANDOUT_FILE
    path.write_text(json.dumps(index, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def helper_sources(assignment: str) -> str:
    """The source of the lab's truth-free helpers (``Handout.code``), as written in its grader module."""
    module = import_module(f"graders.{assignment}")
    return "\n\n".join(inspect.getsource(getattr(module, name)) for name in handout(assignment).code)
