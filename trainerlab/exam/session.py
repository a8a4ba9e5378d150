"""One candidate's timed attempt: prepare the paper, keep time, grade on submit or at the end, record it.

An attempt lives in its own folder, ``<practice>/exam/<n>/``: the paper's student version (made by
nbgrader from the bank's sources), ``output/`` for the deliverables and ``exam.json`` with the
attempt's facts — candidate, seed, tasks, start, deadline, and once graded the submission time,
whether it was late and the points per item and unit. ``trainerlab progress`` reads these records.

The clock is an argument of every function that reads the time (tests pass a fake one). The late
policy (:data:`trainerlab.exam.paper.LATE_POLICY`, stated in the paper): a paper handed in after the
deadline is graded and recorded as late, and a late paper does not pass.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Protocol

from graders.bank.registry import BANK, paper_lab, paper_name
from graders.checking import WrittenTask
from graders.skill_units import L3_PASS_MARK, skill_unit
from trainerlab.course import generate_student_versions
from trainerlab.exam.draw import attempt_seed, draw
from trainerlab.exam.paper import LABS_MODULE, write_course
from trainerlab.exam.timer import ATTEMPT_FILE, Clock
from trainerlab.variants import SEED_VARIABLE

EXAM_DIR = "exam"
PASS, FAIL, OPEN = "pass", "fail", "depends_on_written"


@dataclass
class ItemResult:
    """One item (M…) of the paper: its points, and what it earned (``None``: written, self-assessed)."""

    grade_id: str
    unit: str
    title: str
    points: float
    earned: float | None


@dataclass
class Attempt:
    """The facts of one attempt, as kept in its ``exam.json``."""

    candidate: str
    number: int
    seed: int
    tasks: list[str]
    started_at: float
    deadline: float
    submitted_at: float | None = None
    late: bool = False
    verdict: str | None = None
    items: list[ItemResult] = field(default_factory=list)
    feedback: str | None = None

    @property
    def paper(self) -> str:
        """The paper's nbgrader assignment name."""
        return paper_name(self.tasks)

    @property
    def auto_points(self) -> float:
        """Autograded points earned."""
        return sum(i.earned or 0.0 for i in self.items if i.earned is not None)

    @property
    def written_points(self) -> float:
        """Points of the written items, left to self-assessment (or the teacher)."""
        return sum(i.points for i in self.items if i.earned is None)

    def units(self) -> list[tuple[str, float, float, float]]:
        """Per unit of the paper, in paper order: earned, autograded maximum, written points."""
        rows: dict[str, list[float]] = {}
        for item in self.items:
            row = rows.setdefault(item.unit, [0.0, 0.0, 0.0])
            if item.earned is None:
                row[2] += item.points
            else:
                row[0] += item.earned
                row[1] += item.points
        return [(unit, *values) for unit, values in rows.items()]


def attempt_folder(practice: Path, number: int) -> Path:
    """The folder of attempt ``number`` in the practice folder."""
    return Path(practice) / EXAM_DIR / str(number)


def read_attempt(folder: Path) -> Attempt:
    """The attempt recorded in ``folder/exam.json``."""
    data = json.loads((Path(folder) / ATTEMPT_FILE).read_text(encoding="utf-8"))
    data["items"] = [ItemResult(**i) for i in data.get("items", [])]
    data.pop("paper", None)  # derived from the tasks; written for readers that do not import the bank
    return Attempt(**data)


def write_attempt(folder: Path, attempt: Attempt) -> Path:
    """Record ``attempt`` in ``folder/exam.json``."""
    path = Path(folder) / ATTEMPT_FILE
    data = {**asdict(attempt), "paper": attempt.paper}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def history(practice: Path) -> list[Attempt]:
    """Every attempt recorded in the practice folder, oldest first (unreadable records skipped)."""
    found = []
    for folder in sorted((Path(practice) / EXAM_DIR).glob("*"), key=lambda p: (len(p.name), p.name)):
        try:
            found.append(read_attempt(folder))
        except (OSError, ValueError, TypeError, KeyError):
            continue
    return found


@contextmanager
def seeded(seed: int) -> Iterator[None]:
    """``TRAINERLAB_SEED`` set to ``seed`` for the duration (the kernels and re-checks read it)."""
    before = os.environ.get(SEED_VARIABLE)
    os.environ[SEED_VARIABLE] = str(seed)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(SEED_VARIABLE, None)
        else:
            os.environ[SEED_VARIABLE] = before


def start(practice: Path, candidate: str, *, root: Path, clock: Clock) -> tuple[Path, Attempt]:
    """Draw and prepare the candidate's next attempt; the clock starts when the paper is ready."""
    number = 1 + max((a.number for a in history(practice) if a.candidate == candidate), default=0)
    while attempt_folder(practice, number).exists():
        number += 1
    seed = attempt_seed(candidate, number)
    tasks = draw(seed, BANK)
    folder = attempt_folder(practice, number)
    with tempfile.TemporaryDirectory(prefix="trainerlab-exam-") as tmp:
        course = Path(tmp) / "course"
        write_course(course, tasks, root)
        release = Path(tmp) / "release"
        generate_student_versions(release, root=course, assignments=[paper_name(tasks)])
        folder.mkdir(parents=True)
        notebook = release / paper_name(tasks) / paper_lab(paper_name(tasks)).notebook
        (folder / notebook.name).write_bytes(notebook.read_bytes())
    (folder / "output").mkdir()
    minutes = sum(BANK[t].minutes for t in tasks)
    now = clock()
    attempt = Attempt(candidate, number, seed, tasks, now, now + 60 * minutes)
    write_attempt(folder, attempt)
    return folder, attempt


def verdict(attempt: Attempt) -> str:
    """Pass, fail, or depends on the written items (their points decide it); a late paper never passes."""
    if attempt.auto_points >= L3_PASS_MARK and not attempt.late:
        return PASS
    if attempt.late or attempt.auto_points + attempt.written_points < L3_PASS_MARK:
        return FAIL
    return OPEN


def submit(folder: Path, *, root: Path, clock: Clock, at: float | None = None,
           verify: bool = True) -> Attempt:
    """Hand the attempt in: grade its saved notebook, mark it late if past the deadline, record it.

    The paper counts as handed in now (``clock()``), or ``at`` (the deadline, when time ran out). An
    attempt handed in before keeps its first submission time (grading it again never makes it late).
    """
    from trainerlab.grading.selfgrade import self_grade

    folder = Path(folder)
    attempt = read_attempt(folder)
    if attempt.submitted_at is None:
        attempt.submitted_at = clock() if at is None else at
    attempt.late = attempt.submitted_at > attempt.deadline
    lab = paper_lab(attempt.paper)
    with tempfile.TemporaryDirectory(prefix="trainerlab-exam-") as tmp, seeded(attempt.seed):
        course = Path(tmp) / "course"
        write_course(course, attempt.tasks, root)
        graded = self_grade(folder / lab.notebook, course_root=course, assignment=attempt.paper,
                            feedback=folder / "feedback.html", verify=verify, labs_module=LABS_MODULE)
    cells = {c.grade_id: c for c in graded.result.cells}
    attempt.items = []
    for item in lab.tasks:
        cell = cells.get(item.grade_id)
        # a written item waits for self-assessment (or the teacher) once answered; left blank it earns 0
        waits = isinstance(item, WrittenTask) and (cell is None or cell.waits_for_teacher)
        earned = None if waits else float((cell.auto_score if cell else 0.0) or 0.0)
        attempt.items.append(ItemResult(item.grade_id, item.unit, f"{item.title.zh} / {item.title.en}",
                                        item.points, earned))
    attempt.feedback = str(graded.feedback) if graded.feedback else None
    attempt.verdict = verdict(attempt)
    write_attempt(folder, attempt)
    return attempt


VERDICTS = {
    PASS: "通过 / PASS",
    FAIL: "不通过 / FAIL",
    OPEN: "待定：取决于文字题（按评分要点自评）/ "
          "OPEN: the written items decide (self-assess them with the rubric)",
}


def render(attempt: Attempt) -> str:
    """The candidate's result: verdict, total, points per unit and per item, written items with rubrics."""
    lines = [f"模拟考试 / Mock exam #{attempt.number} · {attempt.paper}"]
    if attempt.late:
        late = int((attempt.submitted_at or attempt.deadline) - attempt.deadline)
        lines.append(f"⚠ 迟交 {late} 秒：记为迟交，不能通过 / "
                     f"late by {late} s: recorded as late, cannot pass")
    lines.append(f"结果 / Result: {VERDICTS[attempt.verdict or FAIL]} · 自动评分 / autograded "
                 f"{attempt.auto_points:g} + 文字题 / written {attempt.written_points:g} "
                 "分待评 / to assess · "
                 f"及格线 / pass mark {L3_PASS_MARK}")
    lines.append("按技能单元 / Per skill unit:")
    for unit, earned, auto_max, written in attempt.units():
        name = skill_unit("L3", unit)
        lines.append(f"  L3 · {unit} {name.zh} / {name.en}: {earned:g}/{auto_max:g} 自动 / auto"
                     + (f" + {written:g} 文字 / written" if written else ""))
    lines.append("按评分项 / Per item:")
    for item in attempt.items:
        score = "待自评 / self-assess" if item.earned is None else f"{item.earned:g}"
        lines.append(f"  {item.grade_id} ({item.unit}) {item.title}: {score}/{item.points:g}")
    written = [t for t in paper_lab(attempt.paper).tasks if isinstance(t, WrittenTask)]
    if written:
        lines.append("文字题评分要点（自评）/ Written items, rubric for self-assessment:")
        for task in written:
            lines.append(f"  {task.grade_id}: {task.title.zh} / {task.title.en}")
            lines += [f"    - M{k} ({p.points:g}): {p.text.zh} / {p.text.en}"
                      for k, p in enumerate(task.rubric, 1)]
    if attempt.feedback:
        lines.append(f"反馈 / feedback: {attempt.feedback}")
    return "\n".join(lines)


class Server(Protocol):
    """The candidate's JupyterLab as the supervisor sees it (a :class:`subprocess.Popen`)."""

    def poll(self) -> int | None: ...

    def terminate(self) -> None: ...


def supervise(folder: Path, server: Server, *, root: Path, clock: Clock, sleep: Callable[[float], object],
              poll: float = 5.0) -> Attempt:
    """Keep the attempt's time: grade it when time runs out, when JupyterLab is closed, or after a submit.

    At the deadline JupyterLab is stopped and the notebook as saved is graded as handed in at the
    deadline (on time). A ``trainerlab exam submit`` from the terminal grades it at once; this loop then
    only closes JupyterLab.
    """
    while True:
        attempt = read_attempt(folder)
        if attempt.verdict is not None:
            server.terminate()
            return attempt
        if clock() >= attempt.deadline:
            server.terminate()
            return submit(folder, root=root, clock=clock, at=attempt.deadline)
        if server.poll() is not None:
            return submit(folder, root=root, clock=clock)
        sleep(min(poll, attempt.deadline - clock()))


def latest(practice: Path) -> tuple[Path, Attempt] | None:
    """The folder and facts of the newest attempt in the practice folder, if any."""
    attempts = history(practice)
    if not attempts:
        return None
    last = max(attempts, key=lambda a: a.started_at)
    return attempt_folder(practice, last.number), last
