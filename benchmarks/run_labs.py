"""Run every lab's source notebook top to bottom in a fresh kernel; print wall time and peak memory.

Usage: ``python benchmarks/run_labs.py [assignment ...]``. Memory is the peak resident set size of
the kernel process and its children, sampled every 20 ms. Exits non-zero when a lab misses the
targets (60 s, 1 GB) or a cell raises.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
import psutil
from nbclient import NotebookClient

from graders.labs import LABS
from trainerlab.runtime import cap_threads

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 60.0
TARGET_MB = 1024.0


class PeakMemory:
    """Samples the resident memory of a process tree in a background thread."""

    def __init__(self, interval: float = 0.02) -> None:
        self.interval = interval
        self.peak = 0
        self._pid: int | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def watch(self, pid: int) -> None:
        self._pid = pid
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                proc = psutil.Process(self._pid)
                rss = proc.memory_info().rss + sum(
                    c.memory_info().rss for c in proc.children(recursive=True))
                self.peak = max(self.peak, rss)
            except psutil.Error:
                pass
            time.sleep(self.interval)

    def stop(self) -> float:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        return self.peak / 2**20


def run_lab(assignment: str) -> tuple[float, float, int]:
    """Execute a lab in a temporary folder; return (seconds, peak MB, cells that raised)."""
    lab = LABS[assignment]
    with tempfile.TemporaryDirectory() as tmp:
        notebook = Path(tmp) / lab.notebook
        shutil.copy(ROOT / "labs" / assignment / lab.notebook, notebook)
        nb = nbformat.read(notebook, as_version=4)
        client = NotebookClient(nb, timeout=300, allow_errors=True, kernel_name="python3",
                                resources={"metadata": {"path": tmp}})
        memory = PeakMemory()
        start = time.perf_counter()
        with client.setup_kernel():
            memory.watch(client.km.provisioner.process.pid)
            for index, cell in enumerate(nb.cells):
                client.execute_cell(cell, index)
        seconds = time.perf_counter() - start
        peak = memory.stop()
    errors = sum(1 for c in nb.cells if c.cell_type == "code"
                 and any(o.output_type == "error" for o in c.outputs))
    return seconds, peak, errors


def main(argv: list[str] | None = None) -> int:
    """Benchmark the named labs (default: all) and print a table."""
    cap_threads()  # as nbgrader_config.py does for grading kernels
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("assignments", nargs="*", default=sorted(LABS))
    args = parser.parse_args(argv)
    print(f"{'lab':<16}{'wall time (s)':>15}{'peak memory (MB)':>19}{'errors':>8}  verdict")
    ok = True
    for assignment in args.assignments:
        seconds, peak, errors = run_lab(assignment)
        within = seconds < TARGET_SECONDS and peak < TARGET_MB and errors == 0
        ok &= within
        verdict = "ok" if within else "MISSES TARGET"
        print(f"{assignment:<16}{seconds:>15.1f}{peak:>19.0f}{errors:>8}  {verdict}")
    print(f"targets: < {TARGET_SECONDS:.0f} s and < {TARGET_MB:.0f} MB per lab "
          f"(kernel start included; {psutil.cpu_count()} CPUs)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
