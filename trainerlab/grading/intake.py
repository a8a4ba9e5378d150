"""Take in a submitted folder: read, repair or reject its notebooks before nbgrader sees them.

The submitted files are only read. A prepared copy goes into the grading folder:

* a notebook that is not JSON, not UTF-8, too large or not a notebook is reported and left out
  (its cells then score zero and are flagged for review);
* a notebook with trailing bytes after the JSON, an old or wrong ``nbformat`` number, malformed
  cells, duplicate or missing cell ids is repaired and the repair reported;
* a renamed notebook (``lab (1).ipynb``, ``Copy of lab.ipynb``, a sub-folder) is found by its
  graded cells and graded under its proper name; a missing one is reported;
* locked cells the learner deleted (set-up code, instructions) are put back from the gradebook —
  nbgrader itself only restores test cells; duplicate grade ids are reported (nbgrader keeps the
  last cell of a kind);
* an unreadable ``timestamp.txt`` is left out (nbgrader would stop the whole run on it).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from nbgrader.api import Gradebook
from nbgrader.preprocessors import ClearHiddenTests
from nbgrader.utils import compute_checksum, parse_utc

from trainerlab.grading.limits import Limits
from trainerlab.grading.matching import best_match, grade_ids
from trainerlab.grading.results import Issue, Severity

_CELL_ID = re.compile(r"^[a-zA-Z0-9-_]{1,64}$")
_SKIP_DIRS = {".ipynb_checkpoints", "__pycache__"}


@dataclass(frozen=True)
class SourceCell:
    """A cell nbgrader tracks, as recorded in the gradebook when the assignment was generated."""

    grade_id: str
    cell_type: str
    source: str
    locked: bool
    grade: bool
    solution: bool
    points: float | None = None

    def node(self) -> nbformat.NotebookNode:
        """The cell as a notebook cell with its nbgrader settings."""
        meta = {"grade": self.grade, "solution": self.solution, "locked": self.locked,
                "grade_id": self.grade_id, "schema_version": 3}
        if self.grade:
            meta["points"] = self.points
        maker = nbformat.v4.new_markdown_cell if self.cell_type == "markdown" else nbformat.v4.new_code_cell
        return maker(self.source, metadata={"nbgrader": meta})


#: nbgrader's default hidden-test markers (``ClearHiddenTests``); a course may configure others.
DEFAULT_DELIMITERS = (ClearHiddenTests.begin_test_delimeter.default_value,
                      ClearHiddenTests.end_test_delimeter.default_value)


def release_checksum(cell: nbformat.NotebookNode,
                     delimiters: tuple[str, str] = DEFAULT_DELIMITERS) -> str | None:
    """nbgrader's checksum of ``cell`` as the learner is given it: its hidden tests removed with the
    course's ``delimiters``, as ``nbgrader generate_assignment`` does. ``None`` if nbgrader refuses
    the cell (a hidden-test region in a cell that is not graded)."""
    copy = nbformat.from_dict(cell)
    begin, end = delimiters
    try:
        ClearHiddenTests(begin_test_delimeter=begin, end_test_delimeter=end).preprocess_cell(copy, {}, 0)
    except RuntimeError:
        return None
    return compute_checksum(copy)


@dataclass(frozen=True)
class NotebookLayout:
    """The tracked cells of one notebook of an assignment, in the lab's order."""

    name: str
    cells: tuple[SourceCell, ...]
    #: nbgrader's checksum of each locked cell as released to the learner
    released: Mapping[str, str | None] = field(default_factory=dict)
    #: the course's hidden-test markers
    delimiters: tuple[str, str] = DEFAULT_DELIMITERS

    @property
    def grade_ids(self) -> set[str]:
        """Every tracked grade id of the notebook."""
        return {c.grade_id for c in self.cells}


def assignment_layout(db_url: str, assignment: str, source_dir: Path,
                      delimiters: tuple[str, str] = DEFAULT_DELIMITERS) -> dict[str, NotebookLayout]:
    """The notebooks of ``assignment`` in the gradebook, cells ordered as in the source lab.

    ``delimiters`` are the course's hidden-test markers (nbgrader's ``ClearHiddenTests``).
    """
    layouts = {}
    with Gradebook(db_url) as gb:
        for notebook in gb.find_assignment(assignment).notebooks:
            grade = {c.name: float(c.max_score) for c in notebook.grade_cells}
            solution = {c.name for c in notebook.solution_cells}
            cells = {c.name: SourceCell(c.name, c.cell_type, c.source, bool(c.locked), c.name in grade,
                                        c.name in solution, grade.get(c.name))
                     for c in notebook.source_cells}
            order = _source_order(source_dir / f"{notebook.name}.ipynb")
            ranked = sorted(cells, key=lambda name: (order.get(name, len(order)), name))
            released = {n: release_checksum(c.node(), delimiters) for n, c in cells.items() if c.locked}
            layouts[notebook.name] = NotebookLayout(notebook.name, tuple(cells[n] for n in ranked),
                                                    released, delimiters)
    return layouts


def _source_order(path: Path) -> dict[str, int]:
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:
        return {}
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells]
    return {gid: i for i, gid in enumerate(ids) if gid}


@dataclass
class Intake:
    """What preparing a submission found: problems, the files' fingerprint, notebooks prepared."""

    issues: list[Issue] = field(default_factory=list)
    files_hash: str = ""
    prepared: dict[str, bool] = field(default_factory=dict)

    def add(self, code: str, zh: str, en: str, severity: Severity = "warning") -> None:
        """Record a problem."""
        self.issues.append(Issue(code, zh, en, severity))


def submission_files(folder: Path) -> list[Path]:
    """The regular files of a submitted folder (no checkpoints, caches or symbolic links)."""
    if not folder.is_dir():
        return []
    files = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if _SKIP_DIRS.intersection(rel.parts) or path.is_symlink() or not path.is_file():
            continue
        files.append(path)
    return files


def files_hash(folder: Path) -> str:
    """A fingerprint of every submitted file (names and contents)."""
    digest = hashlib.sha256()
    for path in submission_files(folder):
        digest.update(str(path.relative_to(folder)).encode("utf-8") + b"\0")
        with open(path, "rb") as handle:
            for block in iter(lambda h=handle: h.read(1 << 20), b""):
                digest.update(block)
        digest.update(b"\0")
    return digest.hexdigest()


def prepare(src: Path, dest: Path, layouts: dict[str, NotebookLayout], *, limits: Limits,
            restore_locked: bool = True) -> Intake:
    """Copy the submission at ``src`` to ``dest`` for grading, repairing what can be repaired."""
    intake = Intake(files_hash=files_hash(src))
    dest.mkdir(parents=True, exist_ok=True)
    links = [p.name for p in src.rglob("*") if p.is_symlink()] if src.is_dir() else []
    if links:
        intake.add("symlink-skipped", f"符号链接未复制：{links}", f"symbolic links were not copied: {links}")
    files = submission_files(src)
    notebooks = [p for p in files if p.suffix == ".ipynb"]
    for path in files:
        if path.suffix == ".ipynb":
            continue
        target = dest / path.relative_to(src)
        if path.relative_to(src) == Path("timestamp.txt") and not _timestamp_ok(path):
            intake.add("bad-timestamp", "timestamp.txt 无法解析，按无提交时间处理",
                       "timestamp.txt cannot be parsed; graded as if it had no time")
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    used: set[Path] = set()
    for name, layout in layouts.items():
        path = src / f"{name}.ipynb"
        if path not in notebooks:
            path = _find_renamed(notebooks, used, layout)
            if path is None:
                intake.add("missing-notebook", f"缺少笔记本 {name}.ipynb：各题记 0 分",
                           f"notebook {name}.ipynb is missing: its cells score zero", "error")
                intake.prepared[name] = False
                continue
            rel = path.relative_to(src)
            intake.add("renamed-notebook", f"笔记本被改名为 {rel}，已按 {name}.ipynb 评分",
                       f"the notebook was renamed to {rel}; graded as {name}.ipynb")
        used.add(path)
        nb = read_notebook(path, intake, limits)
        if nb is not None:
            _drop_unknown_ids(nb, layout, intake)
            _reset_grading_settings(nb, layout, intake)
            _dedupe_grade_ids(nb, intake)
            _check_locked_edits(nb, layout, intake)
            if restore_locked:
                _restore_locked(nb, layout, intake)
            try:
                nbformat.validate(nb)
            except nbformat.ValidationError as exc:
                intake.add("invalid-notebook", f"{name}.ipynb 结构无效，无法评分：{exc.message[:200]}",
                           f"{name}.ipynb is not a valid notebook and cannot be graded: {exc.message[:200]}",
                           "error")
                nb = None
        intake.prepared[name] = nb is not None
        if nb is not None:
            nbformat.write(nb, str(dest / f"{name}.ipynb"))
    extra = [str(p.relative_to(src)) for p in notebooks if p not in used]
    if extra:
        intake.add("extra-notebook", f"未评分的其他笔记本：{extra}", f"other notebooks, not graded: {extra}",
                   "info")
    return intake


def _timestamp_ok(path: Path) -> bool:
    text = path.read_text(encoding="utf-8", errors="replace").strip()
    if not text:
        return True  # nbgrader warns and treats it as absent
    try:
        parse_utc(text)
    except (ValueError, OverflowError):
        return False
    return True


def _find_renamed(notebooks: list[Path], used: set[Path], layout: NotebookLayout) -> Path | None:
    """The submitted notebook that holds most of the layout's graded cells (at least half)."""
    candidates = [path for path in notebooks if path not in used]
    return best_match({p: grade_ids(p) for p in candidates}, {p: layout.grade_ids for p in candidates})


def read_notebook(path: Path, intake: Intake, limits: Limits) -> nbformat.NotebookNode | None:
    """Read a submitted notebook, repairing what can be repaired; ``None`` if it cannot be graded."""
    name = path.name
    size = path.stat().st_size
    if limits.notebook_mb and size > limits.notebook_mb * 1024 * 1024:
        intake.add("too-large", f"{name} 过大（{size / 1e6:.0f} MB），未评分",
                   f"{name} is too large to grade ({size / 1e6:.0f} MB)", "error")
        return None
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        intake.add("not-utf8", f"{name} 不是 UTF-8 编码，无法识别的字节已替换",
                   f"{name} is not UTF-8; undecodable bytes were replaced")
        text = raw.decode("utf-8", errors="replace")
    data = _parse_json(text, name, intake)
    if data is None:
        return None
    if not isinstance(data, dict) or not (isinstance(data.get("cells"), list) or "worksheets" in data):
        intake.add("not-a-notebook", f"{name} 不是 Jupyter 笔记本（缺少 cells）",
                   f"{name} is not a Jupyter notebook (no cells)", "error")
        return None
    if data.get("nbformat") == 3 or "worksheets" in data:
        try:
            nb = nbformat.reads(json.dumps(data), as_version=4)
        except Exception as exc:
            intake.add("bad-nbformat", f"{name} 的旧版格式（nbformat 3）无法转换：{exc}",
                       f"{name} uses nbformat 3 and cannot be converted: {exc}", "error")
            return None
        intake.add("old-nbformat", f"{name} 是旧版格式（nbformat 3），已转换",
                   f"{name} used nbformat 3 and was converted", "info")
        data = json.loads(nbformat.writes(nb))
    elif data.get("nbformat") != 4:
        intake.add("bad-nbformat",
                   f"{name} 的 nbformat 版本号无效（{data.get('nbformat')!r}），已按第 4 版读取",
                   f"{name} has an invalid nbformat version ({data.get('nbformat')!r}); read as version 4")
    return _repair(data, name, intake)


def _parse_json(text: str, name: str, intake: Intake) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        try:
            value, end = json.JSONDecoder().raw_decode(text.lstrip())
        except json.JSONDecodeError:
            intake.add("bad-json",
                       f"{name} 不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}），"
                       "可能在保存时被截断或手工改坏", f"{name} is not valid JSON (line {exc.lineno}, column "
                       f"{exc.colno}: {exc.msg}); it was probably cut short or edited by hand", "error")
            return None
        intake.add("trailing-data", f"{name} 的 JSON 之后还有多余内容，已忽略",
                   f"{name} has extra data after the notebook's JSON; it was ignored")
        return value


def _repair(data: dict[str, Any], name: str, intake: Intake) -> nbformat.NotebookNode | None:
    cells, dropped, fixed_fields = [], 0, 0
    for cell in data.get("cells", []):
        if not isinstance(cell, dict) or cell.get("cell_type") not in ("code", "markdown", "raw"):
            dropped += 1
            continue
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(str(s) for s in source)
        elif not isinstance(source, str):
            source, fixed_fields = str(source), fixed_fields + 1
        metadata = cell.get("metadata")
        if not isinstance(metadata, dict):
            metadata, fixed_fields = {}, fixed_fields + 1
        if "nbgrader" in metadata and not isinstance(metadata["nbgrader"], dict):
            del metadata["nbgrader"]
            fixed_fields += 1
        new = {"cell_type": cell["cell_type"], "metadata": metadata, "source": source}
        if isinstance(cell.get("id"), str):
            new["id"] = cell["id"]
        if cell["cell_type"] == "code":
            new.update(outputs=[], execution_count=None)
        elif isinstance(cell.get("attachments"), dict):
            new["attachments"] = cell["attachments"]
        cells.append(new)
    if dropped or fixed_fields:
        intake.add("bad-cells",
                   f"{name} 中有 {dropped} 个无法识别的单元被删除，{fixed_fields} 处单元字段被修复",
                   f"{name}: {dropped} unreadable cells dropped, {fixed_fields} cell fields repaired")
    duplicates = _fix_cell_ids(cells)
    if duplicates:
        intake.add("duplicate-cell-ids", f"{name} 中有重复的单元 id（{duplicates} 个），已重新编号",
                   f"{name} had duplicate cell ids ({duplicates}); they were renumbered")
    metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    # cell ids exist from minor version 5 on; every cell has one now
    return nbformat.from_dict({"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5})


def _fix_cell_ids(cells: list[dict[str, Any]]) -> int:
    seen: set[str] = set()
    duplicates = 0
    for cell in cells:
        cell_id = cell.get("id")
        if isinstance(cell_id, str) and _CELL_ID.match(cell_id) and cell_id not in seen:
            seen.add(cell_id)
            continue
        if isinstance(cell_id, str) and cell_id in seen:
            duplicates += 1
        cell_id = uuid.uuid4().hex[:12]
        while cell_id in seen:
            cell_id = uuid.uuid4().hex[:12]
        cell["id"] = cell_id
        seen.add(cell_id)
    return duplicates


def _nbgrader_id(cell: nbformat.NotebookNode) -> str | None:
    meta = cell.metadata.get("nbgrader", {})
    if meta.get("grade") or meta.get("solution") or meta.get("locked") or meta.get("task"):
        return meta.get("grade_id")
    return None


def _drop_unknown_ids(nb: nbformat.NotebookNode, layout: NotebookLayout, intake: Intake) -> None:
    """Remove nbgrader metadata naming cells the assignment does not have (it fails validation)."""
    unknown = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader")
        if meta is not None and meta.get("grade_id") not in layout.grade_ids:
            unknown.append(str(meta.get("grade_id")))
            del cell.metadata["nbgrader"]
    if unknown:
        intake.add("unknown-cell", f"这些单元带有作业中不存在的评分设置，已作为普通单元处理：{unknown}",
                   f"these cells carry grading settings the assignment does not have; treated as plain "
                   f"cells: {unknown}")


def _reset_grading_settings(nb: nbformat.NotebookNode, layout: NotebookLayout, intake: Intake) -> None:
    """Give every tracked cell the grading settings the gradebook recorded for it.

    nbgrader restores ``locked`` and ``points`` but not ``grade``/``solution``: a learner who
    toggled those (or a damaged schema version) makes nbgrader fail the whole submission.
    """
    given = {c.grade_id: c for c in layout.cells}
    changed = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader")
        source = given.get(meta.get("grade_id")) if meta else None
        if source is None:
            continue
        wanted = {"grade": source.grade, "solution": source.solution, "locked": source.locked,
                  "schema_version": 3}
        if source.grade:
            wanted["points"] = source.points
        if any(meta.get(k) != v for k, v in wanted.items() if k != "schema_version") or (
                source.grade and "points" not in meta):
            changed.append(source.grade_id)
        meta.update(wanted)
        if not source.grade:
            meta.pop("points", None)
    if changed:
        intake.add("changed-metadata", f"这些单元的评分设置被改动过，已按作业恢复：{changed}",
                   f"the grading settings of these cells were changed; restored from the assignment: "
                   f"{changed}")


def _check_locked_edits(nb: nbformat.NotebookNode, layout: NotebookLayout, intake: Intake) -> None:
    """Report read-only cells that differ from the release, by nbgrader's own cell checksum of both
    as released (nbgrader puts the original back); their grading settings were already reset."""
    edited = sorted({gid for c in nb.cells if (gid := c.metadata.get("nbgrader", {}).get("grade_id"))
                     in layout.released and release_checksum(c, layout.delimiters) != layout.released[gid]})
    if edited:
        intake.add("edited-locked-cell", f"这些只读单元被修改过，评分时已恢复原样：{edited}",
                   f"these read-only cells were edited; the originals were put back for grading: {edited}")


def _dedupe_grade_ids(nb: nbformat.NotebookNode, intake: Intake) -> None:
    """Keep only the last cell of each grade id, like nbgrader's ``DeduplicateIds``.

    nbgrader empties the metadata of earlier copies, which then crashes its ``OverwriteCells``
    (``KeyError: 'grade_id'``) and fails the whole submission; removing it avoids that.
    """
    seen, repeated = set(), set()
    for cell in reversed(nb.cells):
        gid = _nbgrader_id(cell)
        if gid is None:
            continue
        if gid in seen:
            repeated.add(gid)
            del cell.metadata["nbgrader"]
        seen.add(gid)
    if repeated:
        intake.add("duplicate-grade-ids", f"这些评分单元出现了多次（复制了单元？），只按最后一个评分："
                   f"{sorted(repeated)}", f"these graded cells appear more than once (copied cells?); "
                   f"only the last one is graded: {sorted(repeated)}")


def _restore_locked(nb: nbformat.NotebookNode, layout: NotebookLayout, intake: Intake) -> None:
    present = {gid: i for i, gid in enumerate(_nbgrader_id(c) for c in nb.cells) if gid}
    restored = []
    for k, cell in enumerate(layout.cells):
        if cell.grade_id in present or not cell.locked or cell.grade or cell.solution:
            continue
        before = [present[c.grade_id] for c in layout.cells[:k] if c.grade_id in present]
        at = max(before) + 1 if before else 0
        meta = {"nbgrader": {"grade": False, "grade_id": cell.grade_id, "locked": True,
                             "schema_version": 3, "solution": False, "task": False}}
        new = (nbformat.v4.new_code_cell(cell.source, metadata=meta) if cell.cell_type == "code"
               else nbformat.v4.new_markdown_cell(cell.source, metadata=meta))
        nb.cells.insert(at, new)
        present = {gid: i for i, gid in enumerate(_nbgrader_id(c) for c in nb.cells) if gid}
        restored.append(cell.grade_id)
    if restored:
        _fix_cell_ids(nb.cells)
        intake.add("restored-locked-cells", f"被删除的只读单元已从原始作业恢复：{restored}",
                   f"deleted read-only cells were restored from the assignment: {restored}")
