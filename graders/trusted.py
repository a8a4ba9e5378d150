"""The one list of libraries whose types a learner's saved model file may hold (skops, ONNX checks).

A saved model is loaded back only when every type skops reports as untrusted comes from one of
these libraries: a file naming anything else (the learner's own classes, ``builtins.eval``,
``os.system``) is refused with a clear message instead of being loaded.
"""

from __future__ import annotations

from collections.abc import Iterable

#: Top-level packages of the model types a lab's saved files may contain.
TRUSTED_MODEL_PACKAGES = ("sklearn", "imblearn", "numpy", "scipy")


def foreign_types(type_names: Iterable[str]) -> list[str]:
    """The fully qualified type names that come from outside :data:`TRUSTED_MODEL_PACKAGES`."""
    return sorted(t for t in type_names if t.split(".")[0] not in TRUSTED_MODEL_PACKAGES)
