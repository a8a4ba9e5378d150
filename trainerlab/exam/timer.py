"""The time left, always visible in the paper: a countdown pinned to the top right of JupyterLab.

:func:`countdown` (the paper's first code cell) reads the attempt's deadline from ``exam.json`` beside
the notebook and shows a small fixed box that the browser counts down each second, whatever the
candidate scrolls to; the box also states the deadline as a clock time, so it is right even where
scripts do not run. JupyterLab 4 runs the scripts of an HTML output it trusts (one made in the
session: its ``renderHTML`` calls ``evalInnerHTMLScriptTags``); the script moves the box to the page's
body, out of the cell, so that scrolling the cell away (JupyterLab's windowing) never hides it, and
removes the box of an earlier run. Every function takes the clock as an argument (tests replace it).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

#: The attempt's facts, beside the paper's notebook.
ATTEMPT_FILE = "exam.json"

Clock = Callable[[], float]


def seconds_left(deadline: float, clock: Clock = time.time) -> float:
    """Seconds until ``deadline`` (negative once it has passed)."""
    return deadline - clock()


def left_text(deadline: float, clock: Clock = time.time) -> str:
    """The time left as ``mm:ss`` (``h:mm:ss`` over an hour), or that time is up, in both languages."""
    left = int(seconds_left(deadline, clock))
    if left <= 0:
        return "时间到 / time is up"
    hours, rest = divmod(left, 3600)
    minutes, seconds = divmod(rest, 60)
    clock_text = f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"
    return f"剩余 / left {clock_text}"


def countdown_html(deadline: float, clock: Clock = time.time) -> str:
    """The countdown box: the time left now, the deadline's clock time, and the script that ticks it."""
    ends = datetime.fromtimestamp(deadline).strftime("%H:%M")
    return (
        '<div class="trainerlab-exam-timer" style="position:fixed;top:44px;right:24px;z-index:1000;'
        'padding:6px 12px;border:2px solid #c62828;border-radius:6px;background:#fff;'
        'font:600 15px sans-serif;'
        f'color:#c62828" data-deadline="{int(deadline * 1000)}">'
        f'<span class="left">{left_text(deadline, clock)}</span> · 截止 / ends {ends}</div>'
        "<script>(function(){var boxes=document.querySelectorAll('.trainerlab-exam-timer');"
        "var box=boxes[boxes.length-1];for(var i=0;i<boxes.length-1;i++){boxes[i].remove();}"
        "document.body.appendChild(box);var end=+box.dataset.deadline;function tick(){"
        "var s=Math.floor((end-Date.now())/1000);var el=box.querySelector('.left');"
        "if(s<=0){el.textContent='时间到 / time is up';return;}"
        "var h=Math.floor(s/3600),m=Math.floor(s%3600/60),"
        "x=s%60;var p=function(n){return (n<10?'0':'')+n;};el.textContent='剩余 / left '+(h?h+':'+p(m):p(m))"
        "+':'+p(x);setTimeout(tick,1000);}tick();})();</script>")


def countdown(folder: str | Path = ".", clock: Clock = time.time) -> None:
    """Show the countdown of the attempt in ``folder`` (nothing to show outside an attempt, e.g. grading)."""
    from IPython.display import HTML, display

    try:
        deadline = float(json.loads((Path(folder) / ATTEMPT_FILE).read_text(encoding="utf-8"))["deadline"])
    except (OSError, ValueError, KeyError, TypeError):
        print("不在计时考试中 / not in a timed attempt")
        return
    display(HTML(countdown_html(deadline, clock)))
