"""Measure what docs/hub.md sizes a class with: memory per active learner, grading CPU per submission.

    .venv/bin/python deploy/hub/measure.py memory guidance model_tuning   # on a real hub (tests/hub_services)
    .venv/bin/python deploy/hub/measure.py grading                        # every lab, trainerlab grade-class

``memory``: a JupyterHub of ``deploy/hub`` on loopback, one student; in a kernel of the student's
server the lab's whole reference answer runs (every code cell of the source notebook), then the
resident memory (RSS, and PSS: shared pages split) of the server and of that kernel is read.
``grading``: per lab, a throw-away course with a correct and a half-done submission
(``trainerlab.grading.democlass``) graded by ``grade_class`` with one worker; the CPU seconds of the
worker processes and everything under them per submission, and the wall time. The workers are forked
by a fork server that outlives each run: its CPU and that of the workers it waited for are read from
it (:func:`tree_cpu`), beside this process's waited-for children.
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(CHECKOUT / "tests"))  # the hub helpers of the end-to-end test


def memory(labs: list[str]) -> None:
    """Print the RSS and PSS (MB) of a student's server and of a kernel that ran each lab."""
    import nbformat
    from hub_services import jupyterhub

    from graders.labs import LABS

    with tempfile.TemporaryDirectory() as tmp, jupyterhub(Path(tmp) / "hub", gradebook_url="") as hub:
        hub.api("POST", "/users", json={"usernames": ["learner"]})
        hub.start_server("learner")
        for lab in labs:
            source = nbformat.read(CHECKOUT / "labs" / lab / LABS[lab].notebook, as_version=4)
            code = "\n".join(c.source for c in source.cells if c.cell_type == "code")
            probe = ("\nimport json as _j, psutil as _p\n_k = _p.Process(); _s = _k.parent()\n"
                     "print('\\nMEASURE', _j.dumps({n: [round(x.memory_info().rss / 2**20), "
                     "round(x.memory_full_info().pss / 2**20)]\n"
                     "  for n, x in (('server', _s), ('kernel', _k))}))\n")
            started = time.monotonic()
            out = hub.execute("learner", f"import os\nos.chdir({tmp!r})\n" + code + probe, fresh=True)
            figures = json.loads(out.rsplit("MEASURE", 1)[1])
            print(f"{lab}: server RSS {figures['server'][0]} MB (PSS {figures['server'][1]}), kernel after "
                  f"the lab RSS {figures['kernel'][0]} MB (PSS {figures['kernel'][1]}); "
                  f"ran in {time.monotonic() - started:.1f} s")


def tree_cpu() -> float:
    """CPU seconds of this process's children: those waited for, and those still running (the fork
    server grade-class's workers come from, with the workers it waited for)."""
    import psutil

    # a pool joins its workers before grade_class returns, and the fork server has waited for each one
    # it joins, so their CPU is in the server's children times by then
    waited = resource.getrusage(resource.RUSAGE_CHILDREN)
    running = [p.cpu_times() for p in psutil.Process().children()]
    return (waited.ru_utime + waited.ru_stime
            + sum(t.user + t.system + t.children_user + t.children_system for t in running))


def grading() -> None:
    """Print the grading CPU seconds per submission of every lab (grade-class, one worker)."""
    from graders.labs import LABS
    from trainerlab.grading.classgrade import grade_class
    from trainerlab.grading.democlass import make_class, make_course

    for lab in sorted(LABS):
        with tempfile.TemporaryDirectory() as tmp:
            course = make_course(Path(tmp) / "course", [lab], course_root=CHECKOUT)
            made = make_class(course, lab, 2, kinds=("correct", "partial"))
            before, started = tree_cpu(), time.monotonic()
            run = grade_class(course, lab, jobs=1, progress=False)
            cpu = tree_cpu() - before
            assert not run.errors, [r.error for r in run.errors]
            print(f"{lab}: {cpu / len(made):.1f} CPU s per submission "
                  f"({len(made)} graded in {time.monotonic() - started:.1f} s wall, one worker)")


if __name__ == "__main__":
    if sys.argv[1:2] == ["memory"]:
        memory(sys.argv[2:] or ["guidance"])
    elif sys.argv[1:2] == ["grading"]:
        grading()
    else:
        raise SystemExit(__doc__)
