"""Jupyter server settings of the learner's JupyterLab (found through ``JUPYTER_CONFIG_PATH``).

The terminal runs :func:`trainerlab.practice.learner_terminal`: ``trainerlab`` is on its PATH
however the shell starts up.
"""

from trainerlab.practice import learner_terminal

shell = learner_terminal()
if shell:
    c.ServerApp.terminado_settings = {"shell_command": shell}  # noqa: F821 (c: the config object)
