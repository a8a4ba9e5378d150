"""Jupyter server settings of the learner's JupyterLab (found through ``JUPYTER_CONFIG_PATH``).

* The terminal runs :func:`trainerlab.practice.learner_terminal`: ``trainerlab`` is on its PATH
  however the shell starts up.
* JupyterLab's default settings come from ``lab_settings/overrides.json``: the interface in
  Simplified Chinese (the ``jupyterlab-language-pack-zh-CN`` dependency). A learner switches to
  English under 设置 → 语言 → English (Settings → Language), which JupyterLab keeps as their own setting.
"""

from pathlib import Path

from trainerlab.practice import learner_terminal

shell = learner_terminal()
if shell:
    c.ServerApp.terminado_settings = {"shell_command": shell}  # noqa: F821 (c: the config object)
c.LabApp.app_settings_dir = str(Path(__file__).resolve().parent / "lab_settings")  # noqa: F821
