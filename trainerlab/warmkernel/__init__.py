"""Warm kernels: notebook kernels forked from a process that has already imported the libraries.

Starting a kernel and importing numpy, pandas, scipy, scikit-learn and skops costs 3–6 CPU-seconds,
more than many graded notebooks spend on their own work. A grader that runs many notebooks (a class
through ``trainerlab grade-class``, or ``nbgrader autograde`` on a course) starts one server per
import environment (:mod:`~trainerlab.warmkernel.zygote`) and forks each kernel from it
(:mod:`~trainerlab.warmkernel.pool`), through a standard jupyter_client kernel provisioner
(:mod:`~trainerlab.warmkernel.provisioner`) that a kernel spec selects.

A forked kernel is the process ``python -m ipykernel_launcher ...`` would have been — its own
session, environment, folder, ``sys.path[0]``, arguments and random seeds — with one difference
that code can see: the preloaded modules are already in ``sys.modules``, so a submodule used
without being imported (``import sklearn`` then ``sklearn.ensemble``) works here and fails in a
fresh kernel. The labs' own runs (nbval) use fresh kernels. Linux only; elsewhere every kernel
starts as usual. ``TRAINERLAB_WARM_KERNELS=0`` turns
warm kernels off; ``TRAINERLAB_WARM_PRELOAD`` names the modules to preload.
"""

import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from trainerlab.warmkernel import pool
from trainerlab.warmkernel.imports import notebook_imports
from trainerlab.warmkernel.provisioner import NAME, WarmProvisioner

__all__ = ["NAME", "WarmProvisioner", "kernel_spec_metadata", "warm_python_environment"]


def kernel_spec_metadata() -> dict:
    """The ``metadata`` of a kernel spec that starts its kernels warm."""
    return {"kernel_provisioner": {"provisioner_name": NAME}}


def warm_python_environment(folder: Path, notebooks: Sequence[Path] = ()) -> dict[str, str]:
    """Variables under which Jupyter tools (``nbgrader autograde`` among them) start ``python3`` warm.

    Writes a ``python3`` kernel spec for this interpreter under ``folder/kernels/`` and returns
    ``JUPYTER_PATH`` with ``folder`` first, where it takes the place of the installed one, and the
    modules ``notebooks`` import as what the server preloads (its default list without them).
    """
    spec_dir = folder / "kernels" / "python3"
    spec_dir.mkdir(parents=True, exist_ok=True)
    spec = {"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "Python 3 (ipykernel, warm)", "language": "python",
            "metadata": kernel_spec_metadata()}
    (spec_dir / "kernel.json").write_text(json.dumps(spec, indent=1), encoding="utf-8")
    rest = os.environ.get("JUPYTER_PATH")
    env = {"JUPYTER_PATH": os.pathsep.join([str(folder), *([rest] if rest else [])])}
    if notebooks:
        env[pool.PRELOAD] = ",".join(notebook_imports(notebooks))
    return env
