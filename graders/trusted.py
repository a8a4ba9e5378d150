"""The one list of types a model may hold beyond those skops trusts itself (skops, ONNX, re-check).

skops rebuilds a model only from types it is told to trust. It trusts its own audited list
(scikit-learn's estimators, NumPy and SciPy ufuncs, plain containers); every other type a file
names is reported by ``skops.io.get_untrusted_types``. A file is loaded only when each of those
reported types is in :data:`TRUSTED_TYPES` below — by its exact, fully qualified name, never by
package. That rule is applied to the learners' saved model files (the deployment and model-tuning
checks) and to every model that crosses from a learner's kernel to the grader
(:mod:`trainerlab.grading.answerdata`). Anything else — the learner's own classes, ``builtins.eval``,
``os.system``, a library function that writes files — is refused before anything is loaded.

Each entry is a data-holding type or a pure computing function (a metric, a statistic) that a model
holds. They were found by dumping with skops every scikit-learn and imbalanced-learn estimator
fitted with its defaults, the pipelines, searches (with each built-in scoring), resamplers and
splitters the labs and their answer corpus use; each was read before it was listed. Adding one is
a reviewed, one-line change.
"""

from __future__ import annotations

from collections.abc import Iterable

#: Types a model may hold that skops does not trust by default (exact qualified names).
TRUSTED_TYPES: frozenset[str] = frozenset({
    "numpy.dtype",
    # fitted trees, neighbours, boosting, calibration, kernels, splines, optimisers, losses
    "sklearn.tree._tree.Tree",
    "sklearn.neighbors._kd_tree.KDTree",
    "sklearn.neighbors._ball_tree.BallTree",
    "sklearn.metrics._dist_metrics.EuclideanDistance64",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.cluster._bisect_k_means._BisectingTree",
    "sklearn.gaussian_process._gpc._BinaryGaussianProcessClassifierLaplace",
    "sklearn.gaussian_process.kernels.ConstantKernel",
    "sklearn.gaussian_process.kernels.Product",
    "sklearn.gaussian_process.kernels.RBF",
    "sklearn.neural_network._stochastic_optimizers.AdamOptimizer",
    "sklearn._loss.loss.HalfTweedieLossIdentity",
    "scipy.interpolate._bsplines.BSpline",
    "sklearn.compose._column_transformer.make_column_selector",
    # successive halving (the L2 model-tuning lab's search): a search like RandomizedSearchCV
    "sklearn.model_selection._search_successive_halving.HalvingRandomSearchCV",
    # cross-validation splitters
    "sklearn.model_selection._split.GroupKFold",
    "sklearn.model_selection._split.KFold",
    "sklearn.model_selection._split.LeaveOneOut",
    "sklearn.model_selection._split.RepeatedKFold",
    "sklearn.model_selection._split.RepeatedStratifiedKFold",
    "sklearn.model_selection._split.ShuffleSplit",
    "sklearn.model_selection._split.StratifiedKFold",
    "sklearn.model_selection._split.StratifiedShuffleSplit",
    "sklearn.model_selection._split.TimeSeriesSplit",
    # scorers kept by searches, and pure functions that estimators keep (metrics, statistics)
    "sklearn.metrics._scorer._PassthroughScorer",
    "sklearn.metrics._scorer._Scorer",
    "sklearn.metrics._classification.accuracy_score",
    "sklearn.metrics._classification.balanced_accuracy_score",
    "sklearn.metrics._classification.brier_score_loss",
    "sklearn.metrics._classification.f1_score",
    "sklearn.metrics._classification.jaccard_score",
    "sklearn.metrics._classification.log_loss",
    "sklearn.metrics._classification.matthews_corrcoef",
    "sklearn.metrics._classification.precision_score",
    "sklearn.metrics._classification.recall_score",
    "sklearn.metrics._ranking.average_precision_score",
    "sklearn.metrics._ranking.roc_auc_score",
    "sklearn.metrics._regression.explained_variance_score",
    "sklearn.metrics._regression.mean_absolute_error",
    "sklearn.metrics._regression.mean_absolute_percentage_error",
    "sklearn.metrics._regression.mean_squared_error",
    "sklearn.metrics._regression.median_absolute_error",
    "sklearn.metrics._regression.r2_score",
    "sklearn.metrics._regression.root_mean_squared_error",
    "sklearn.feature_selection._univariate_selection.f_classif",
    "sklearn.cluster._kmeans._kmeans_single_lloyd",
    "numpy.mean",
    "scipy._lib.array_api_compat.numpy._aliases.asarray",
    # imbalanced-learn's pipeline, resamplers, ensembles and metric
    "imblearn.pipeline.Pipeline",
    "imblearn.base.FunctionSampler",
    "imblearn.combine._smote_enn.SMOTEENN",
    "imblearn.combine._smote_tomek.SMOTETomek",
    "imblearn.ensemble._bagging.BalancedBaggingClassifier",
    "imblearn.ensemble._easy_ensemble.EasyEnsembleClassifier",
    "imblearn.ensemble._forest.BalancedRandomForestClassifier",
    "imblearn.ensemble._weight_boosting.RUSBoostClassifier",
    "imblearn.metrics.pairwise.ValueDifferenceMetric",
    "imblearn.over_sampling._adasyn.ADASYN",
    "imblearn.over_sampling._random_over_sampler.RandomOverSampler",
    "imblearn.over_sampling._smote.base.SMOTE",
    "imblearn.over_sampling._smote.base.SMOTEN",
    "imblearn.over_sampling._smote.cluster.KMeansSMOTE",
    "imblearn.over_sampling._smote.filter.BorderlineSMOTE",
    "imblearn.over_sampling._smote.filter.SVMSMOTE",
    "imblearn.under_sampling._prototype_generation._cluster_centroids.ClusterCentroids",
    "imblearn.under_sampling._prototype_selection._condensed_nearest_neighbour.CondensedNearestNeighbour",
    "imblearn.under_sampling._prototype_selection._edited_nearest_neighbours.AllKNN",
    "imblearn.under_sampling._prototype_selection._edited_nearest_neighbours.EditedNearestNeighbours",
    "imblearn.under_sampling._prototype_selection._edited_nearest_neighbours.RepeatedEditedNearestNeighbours",
    "imblearn.under_sampling._prototype_selection._instance_hardness_threshold.InstanceHardnessThreshold",
    "imblearn.under_sampling._prototype_selection._nearmiss.NearMiss",
    "imblearn.under_sampling._prototype_selection._neighbourhood_cleaning_rule.NeighbourhoodCleaningRule",
    "imblearn.under_sampling._prototype_selection._one_sided_selection.OneSidedSelection",
    "imblearn.under_sampling._prototype_selection._random_under_sampler.RandomUnderSampler",
    "imblearn.under_sampling._prototype_selection._tomek_links.TomekLinks",
})


def foreign_types(type_names: Iterable[str]) -> list[str]:
    """The names among ``type_names`` (as skops reports them) that :data:`TRUSTED_TYPES` does not list."""
    return sorted(str(t) for t in type_names if t not in TRUSTED_TYPES)
