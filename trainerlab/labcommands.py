"""``trainerlab lab``: the authoring commands (sync the derived places, scaffold a new lab)."""

from __future__ import annotations

import argparse

from trainerlab.authoring import SYNC_COMMAND


def _sync(args: argparse.Namespace) -> int:
    from graders.labs import LABS
    from trainerlab.authoring import sync
    from trainerlab.course import course_root

    unknown = sorted(set(args.labs) - set(LABS))
    if unknown:
        print(f"没有这些实训 / no such labs: {unknown}")
        return 2
    drift = sync(course_root(), LABS, write=not args.check, only=args.labs)
    for item in drift:
        print(f"{'过期 / out of date' if args.check else '已更新 / updated'}: {item}")
    if args.check and drift:
        print(f"运行 `{SYNC_COMMAND}` 更新 / run `{SYNC_COMMAND}` to bring them up to date")
        return 1
    if not drift:
        print("派生内容均已同步 / every derived place is in sync")
    return 0


def _new(args: argparse.Namespace) -> int:
    from trainerlab.course import course_root
    from trainerlab.scaffold import new_lab

    for path in new_lab(course_root(), args.area, level=args.level, unit=args.unit):
        print(f"已创建 / created: {path}")
    print(f"下一步 / next: 编写任务后运行 `{SYNC_COMMAND}`，再运行测试 / "
          f"write the tasks, run `{SYNC_COMMAND}`, then the tests (CONTRIBUTING.md)")
    return 0


def add_lab_commands(sub: argparse._SubParsersAction) -> None:
    """Register ``trainerlab lab sync`` and ``trainerlab lab new``."""
    lab = sub.add_parser("lab", help="编写实训：同步派生内容、新建实训 / authoring: sync derived places, "
                                     "scaffold a new lab")
    commands = lab.add_subparsers(dest="lab_command", required=True)
    sync = commands.add_parser(
        "sync", help="按任务定义重写笔记本中的派生内容和 README 的实训表 / rewrite the notebooks' derived "
                     "places and README's labs table from the task objects")
    sync.add_argument("labs", nargs="*", help="only these labs (default: all, and README)")
    sync.add_argument("--check", action="store_true", help="only report what is out of date (exit 1 if any)")
    sync.set_defaults(run=_sync)
    new = commands.add_parser("new", help="新建实训骨架（评分模块、笔记本、班级测试）/ scaffold a new lab "
                                          "(grader module, notebook, class test)")
    new.add_argument("area", help="the lab's area, e.g. data_cleaning (at L2/L1 the assignment is "
                                   "<area>_l2, <area>_l1)")
    new.add_argument("--level", default="L3", help="L3, L2 or L1 (default L3)")
    new.add_argument("--unit", default="2.2", help="skill unit code of the example tasks (default 2.2)")
    new.set_defaults(run=_new)
