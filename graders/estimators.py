"""A learner's estimators, inspected and their computations re-run: what the model-tuning checks share.

The checks of both model-tuning labs (L3 and L2) judge fitted objects of any shape (pipelines,
column transformers, searches) by what is inside them, and re-run a learner's cross-validation to
see that the reported numbers came from it: a seeded computation must be matched to the two
decimals asked for; an unseeded one sets its tolerance from how far its re-runs differ.
"""

from __future__ import annotations

import math
import pickle
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import joblib
import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.ensemble._forest import BaseForest
from sklearn.tree import BaseDecisionTree
from sklearn.utils.validation import check_is_fitted

from graders.answers import as_number
from graders.checking import Problem
from trainerlab.runtime import single_threaded

#: Reported numbers need two decimals: a value within half a unit of the second decimal of the right
#: one is right, unless it is exactly what a wrong method gives.
REPORT_TOL = 0.005 + 1e-9


@contextmanager
def quiet() -> Iterator[None]:
    """Re-run a learner's model silently (stderr would cost the cell) on one BLAS thread.

    The data are small: on a busy 2-core machine two BLAS threads spin and cost ten times the CPU.
    """
    with warnings.catch_warnings(), np.errstate(all="ignore"), single_threaded():
        warnings.simplefilter("ignore")
        yield


def walk(obj: Any, depth: int = 0) -> Iterator[Any]:
    """``obj`` and every component inside it, in pipeline order."""
    yield obj
    if depth > 10:
        return
    if hasattr(obj, "steps"):
        for _, step in obj.steps:
            yield from walk(step, depth + 1)
    elif hasattr(obj, "transformers"):
        for item in getattr(obj, "transformers_", None) or obj.transformers:
            yield from walk(item[1], depth + 1)
    elif hasattr(obj, "transformer_list"):
        for _, part in obj.transformer_list:
            yield from walk(part, depth + 1)


def final_estimator(model: Any) -> Any:
    """The estimator that makes the predictions (last step of a pipeline, best of a search)."""
    for _ in range(10):
        if hasattr(model, "best_estimator_"):
            model = model.best_estimator_
        elif hasattr(model, "steps") and model.steps:
            model = model.steps[-1][1]
        elif hasattr(model, "regressor_"):
            model = model.regressor_
        else:
            break
    return model


def is_sampler(obj: Any) -> bool:
    """Whether ``obj`` resamples rows (an imbalanced-learn sampler)."""
    return hasattr(obj, "fit_resample")


def preprocessing_steps(model: Any) -> list[Any]:
    """The steps of a pipeline before its final estimator (empty for a bare estimator)."""
    if not hasattr(model, "steps") and hasattr(model, "regressor"):
        model = model.regressor  # a TransformedTargetRegressor around a pipeline
    steps = getattr(model, "steps", None)
    if not isinstance(steps, list) or len(steps) < 2:
        return []
    return [step for _, step in steps[:-1] if step not in (None, "passthrough")]


def is_fitted(model: Any) -> bool:
    """Whether ``model`` is fitted (scikit-learn's own test)."""
    try:
        check_is_fitted(model)
    except Exception:  # any failure means "not usable as a fitted model"
        return False
    return True


def rows_seen(model: Any) -> int | None:
    """How many rows the model was fitted on, when a component records it (else ``None``).

    Scalers keep ``n_samples_seen_``, a decision tree counts its root's samples and a forest's
    trees do too (a bootstrap sample's draws add up to the row count when no class weights or
    sample share change them). A sampler changes the row count, so nothing after one is read.
    """
    for part in walk(model):
        if is_sampler(part):
            return None
        seen = getattr(part, "n_samples_seen_", None)
        if seen is not None:
            return int(np.max(seen))
        if isinstance(part, BaseDecisionTree) and hasattr(part, "tree_"):
            return int(part.tree_.n_node_samples[0])
        if isinstance(part, BaseForest) and getattr(part, "estimators_", None):
            root = part.estimators_[0].tree_
            if not part.bootstrap:
                return int(root.n_node_samples[0])
            if part.class_weight is None and part.max_samples is None:
                return int(round(float(root.weighted_n_node_samples[0])))
    return None


def predictions(model: Any, X: pd.DataFrame) -> np.ndarray:
    """``model``'s probabilities for ``X`` (its predictions when it has none), quietly."""
    with quiet():
        if hasattr(model, "predict_proba"):
            return np.asarray(model.predict_proba(X), dtype=float)
        return np.asarray(model.predict(X), dtype=float)


def refit_matches(model: Any, X: pd.DataFrame, y: np.ndarray, probe: pd.DataFrame) -> bool:
    """Whether a fresh copy of ``model`` fitted on ``X, y`` predicts ``probe`` exactly like it."""
    try:
        with quiet():
            again = clone(model).fit(X, y)
        return bool(np.allclose(predictions(again, probe), predictions(model, probe),
                                rtol=0, atol=1e-9))
    except Exception:  # a model the check cannot refit is judged by its row counts only
        return False


def require_fitted_on(model: Any, train: Part, test: Part, name: str) -> None:
    """Fail if ``model`` was fitted on other rows than the learner's training rows.

    A row count recorded inside the model decides; without one, a fresh copy is fitted on the
    training rows and on all rows (training + test, the usual slip) and compared with the model.
    """
    seen = rows_seen(model)
    wrong = Problem(f"{name} 不是在训练集上训练的（训练行数与训练集不一致）",
                    f"{name} was not fitted on the training set (its row count differs)")
    if seen is not None:
        if seen != len(train.X):
            raise wrong
        return
    if refit_matches(model, train.X, train.y, test.X):
        return
    everything = pd.concat([train.X, test.X])
    if refit_matches(model, everything, np.concatenate([train.y, test.y]), test.X):
        raise wrong


def reported(value: Any, right: float, *wrong: float, tol: float = REPORT_TOL) -> bool:
    """Whether a reported number is ``right`` to two decimals and not exactly a ``wrong`` one."""
    number = as_number(value)
    if close(number, right, 1e-9):
        return True
    if any(close(number, w, 1e-9) for w in wrong):
        return False
    return close(number, right, tol)


#: First re-runs by what they computed on: a self-check and the grading of the same answer in one
#: process (the test cell calls both) re-run the learner's cross-validation once, not twice.
_FIRST_RUNS: dict[str, np.ndarray] = {}
_FIRST_RUNS_KEPT = 16


def rerun(compute: Callable[[], Any], inputs: tuple[Any, ...] | None = None) -> np.ndarray:
    """The learner's computation, re-run by the check (quietly), as floats.

    With ``inputs`` (everything the computation depends on: estimator, rows, folds, settings), the
    result is kept and given again for the same inputs by value. Only a first re-run is kept: the
    further re-runs of an unseeded computation (:func:`agrees`) are always fresh draws.
    """
    key = _digest(inputs) if inputs is not None else None
    if key is not None and key in _FIRST_RUNS:
        return _FIRST_RUNS[key].copy()
    with quiet():
        result = np.asarray(compute(), dtype=float)
    if key is not None:
        if len(_FIRST_RUNS) >= _FIRST_RUNS_KEPT:
            _FIRST_RUNS.pop(next(iter(_FIRST_RUNS)))
        _FIRST_RUNS[key] = result.copy()
    return result


def _digest(inputs: tuple[Any, ...]) -> str | None:
    """A digest of ``inputs`` by value, or ``None`` for what cannot be hashed (e.g. a generator)."""
    try:
        return joblib.hash(inputs)
    except (pickle.PicklingError, TypeError, AttributeError):  # not picklable: no reuse
        return None


#: Re-runs of an unseeded computation, and how many of their standard deviations a reported number
#: may lie from their mean. Cross-validated scores over random fold partitions have heavy tails and
#: ten re-runs estimate their spread roughly: simulated on this lab's regression (500 draws of each
#: RMSE), eight deviations let a fresh draw fall outside about 5 times in 10 000 — an honest answer
#: graded twice could get two marks — sixteen about once in 100 000.
UNSEEDED_RERUNS = 10
UNSEEDED_SPREADS = 16


def agrees(compute: Callable[[], Any], matches: Callable[[np.ndarray, float], bool],
           first: np.ndarray | None = None) -> bool:
    """Whether the learner's numbers ``match`` a re-run of their computation.

    ``matches(values, tol)`` compares; ``tol`` is the re-runs' own spread (0 when it is exact).
    A seeded computation must be matched to the two decimals asked for; when the first re-run
    does not match, a second one shows whether the computation moves between runs (an unseeded
    forest or shuffle). If it does, :data:`UNSEEDED_RERUNS` re-runs give the centre and spread of
    its results, and the learner's numbers may lie up to :data:`UNSEEDED_SPREADS` standard
    deviations from the centre: a draw of the same computation falls outside that about once in
    100 000, so grading the same answer twice gives the same mark.
    """
    first = rerun(compute) if first is None else first
    if matches(first, 0.0):
        return True
    runs = [first, rerun(compute)]
    if not first.size or float(np.max(np.abs(runs[0] - runs[1]))) <= 1e-12:
        return False  # the computation is deterministic: its numbers had to match
    runs += [rerun(compute) for _ in range(UNSEEDED_RERUNS - len(runs))]
    spread = float(np.max(np.std(runs, axis=0, ddof=1)))
    return matches(np.mean(runs, axis=0), max(0.01, UNSEEDED_SPREADS * spread))


def predict(model: Any, X: pd.DataFrame) -> np.ndarray:
    """``model.predict(X)``, quietly."""
    with quiet():
        return np.asarray(model.predict(X))


def close(a: float, b: float, tol: float) -> bool:
    """Whether ``a`` and ``b`` are finite and within ``tol``."""
    return math.isfinite(a) and math.isfinite(b) and abs(a - b) <= tol


@dataclass(frozen=True)
class Part:
    """Rows of the learner's split: features as given, the target as a 0/1 array."""

    X: pd.DataFrame
    y: np.ndarray

    @property
    def majority_share(self) -> float:
        """Accuracy of always guessing the majority class of these rows."""
        share = float(np.mean(self.y == 1))
        return max(share, 1 - share)

    def accuracy(self, model: Any) -> float:
        """Accuracy of ``model`` on these rows."""
        return float(np.mean(predict(model, self.X) == self.y))
