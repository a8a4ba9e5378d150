"""The one list of types a model may hold beyond those skops trusts itself (skops, ONNX, re-check).

skops rebuilds a model only from types it is told to trust. It trusts its own audited list
(scikit-learn's estimators, NumPy and SciPy ufuncs, plain containers); every other type a file
names is reported by ``skops.io.get_untrusted_types``. A file is loaded only when each of those
reported types is in :data:`TRUSTED_TYPES` below — by its exact, fully qualified name, never by
package. That rule is applied to the learners' saved model files (the deployment and model-tuning
checks) and to every model that crosses from a learner's kernel to the grader
(:mod:`trainerlab.grading.answerdata`). Anything else — the learner's own classes, ``builtins.eval``,
``os.system``, a library function that writes files — is refused before anything is loaded.

Each entry is a data-holding type or a pure scoring function that the labs' models need (found by
dumping the estimators, searches, resamplers and splitters the labs and their answer corpus use,
and the common alternatives an L3 learner picks). Adding one is a reviewed, one-line change.
"""

from __future__ import annotations

from collections.abc import Iterable

#: Types a model may hold that skops does not trust by default (exact qualified names).
TRUSTED_TYPES: frozenset[str] = frozenset({
    "numpy.dtype",
    # fitted trees, neighbours and boosting predictors
    "sklearn.tree._tree.Tree",
    "sklearn.neighbors._kd_tree.KDTree",
    "sklearn.neighbors._ball_tree.BallTree",
    "sklearn.metrics._dist_metrics.EuclideanDistance64",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
    # cross-validation splitters
    "sklearn.model_selection._split.KFold",
    "sklearn.model_selection._split.StratifiedKFold",
    # scorers kept by searches and their (pure) metric functions
    "sklearn.metrics._scorer._PassthroughScorer",
    "sklearn.metrics._scorer._Scorer",
    "sklearn.metrics._classification.accuracy_score",
    "sklearn.metrics._classification.balanced_accuracy_score",
    "sklearn.metrics._classification.f1_score",
    "sklearn.metrics._classification.log_loss",
    "sklearn.metrics._classification.precision_score",
    "sklearn.metrics._classification.recall_score",
    "sklearn.metrics._ranking.average_precision_score",
    "sklearn.metrics._ranking.roc_auc_score",
    "sklearn.metrics._regression.mean_absolute_error",
    "sklearn.metrics._regression.mean_squared_error",
    "sklearn.metrics._regression.r2_score",
    "sklearn.metrics._regression.root_mean_squared_error",
    # imbalanced-learn's pipeline and resamplers
    "imblearn.pipeline.Pipeline",
    "imblearn.over_sampling._random_over_sampler.RandomOverSampler",
    "imblearn.over_sampling._smote.base.SMOTE",
    "imblearn.under_sampling._prototype_selection._random_under_sampler.RandomUnderSampler",
})


def foreign_types(type_names: Iterable[str]) -> list[str]:
    """The names among ``type_names`` (as skops reports them) that :data:`TRUSTED_TYPES` does not list."""
    return sorted(str(t) for t in type_names if t not in TRUSTED_TYPES)
