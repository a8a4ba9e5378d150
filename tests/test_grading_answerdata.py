"""The data-only answer format: every kind of value the labs pass to ``.grade`` round-trips exactly.

The kinds were found by recording ``type()`` of every grade argument (and the dtypes of every
frame column and index) while each lab's solution ran: plain data and paths, NumPy arrays (also of
objects) and scalars, DataFrames and Series with int/float/str/category/datetime columns and
Range/int/str/Categorical indexes, scikit-learn and imbalanced-learn pipelines, searches and
splitters, and functions defined in the notebook.
"""

from __future__ import annotations

import collections
import datetime as dt
import decimal
import pathlib
import zoneinfo
from typing import Any

import numpy as np
import pandas as pd
import pytest
from imblearn.over_sampling import SMOTE
from imblearn.pipeline import make_pipeline as imbalanced_pipeline
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, KFold, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.tree import DecisionTreeClassifier

from graders.trusted import TRUSTED_TYPES, foreign_types
from trainerlab.grading import answerdata

pytestmark = pytest.mark.xdist_group("grading_units")


def _round_trip(value: Any) -> Any:
    return answerdata.loads(answerdata.dumps(value))


@pytest.mark.parametrize("value", [
    None, True, 0, -(2**80), 1.5, float("inf"), 1 - 2j, "中文 text", b"\x00\xff", bytes(300),
    [1, [2.5, None]], (1, ("a",)), {1, "x"}, frozenset({2}), {"a": {1: [None, (2,)]}, (1, 2): "tuple key"},
    pathlib.Path("output/x.csv"), pathlib.PurePosixPath("a/b"), pathlib.PureWindowsPath(r"C:\x"),
    dt.date(2024, 2, 29), dt.time(12, 30, 1, 5), dt.timedelta(days=1, seconds=3, microseconds=4),
    dt.datetime(2024, 1, 1, 8, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")), dt.datetime(2024, 1, 1, 8),
    dt.datetime(2024, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=8))), decimal.Decimal("1.10"),
    np.int64(3), np.float64(2.5), np.float32(0.5), np.bool_(False), np.datetime64("2024-01-01", "D"),
    pd.Timestamp("2024-01-01 08:00", tz="Asia/Shanghai"), pd.Timestamp("2024-01-01"), pd.Timedelta("1D"),
    pd.NA, pd.NaT,
])
def test_plain_values_cross_exactly(value: Any) -> None:
    back = _round_trip(value)
    assert type(back) is type(value) and repr(back) == repr(value)


def test_nan_and_collection_dicts() -> None:
    assert np.isnan(_round_trip(float("nan")))
    back = _round_trip(collections.Counter("aab"))
    assert type(back) is dict and back == {"a": 2, "b": 1}


@pytest.mark.parametrize("array", [
    np.arange(6).reshape(2, 3), np.array([[0.5, np.nan]], order="F"), np.array(["a", "bc"]),
    np.array([True, False]), np.array(["2024-01-01"], dtype="datetime64[us]"), np.zeros((0, 3)),
    np.array(["yes", None, 1.5, ["x"]], dtype=object), np.array([["a", "b"], ["c", None]], dtype=object),
])
def test_arrays_cross_with_dtype_and_shape(array: np.ndarray) -> None:
    back = _round_trip(array)
    assert type(back) is np.ndarray and back.dtype == array.dtype and back.shape == array.shape
    assert repr(back) == repr(array)


def _frames() -> dict[str, pd.DataFrame]:
    index = pd.Index([10, 20, 30], name="row")
    return {
        "every dtype the labs use": pd.DataFrame({
            "n": [1, 2, 3], "f": [0.5, np.nan, 2.0], "s": ["a", None, "c"],
            "c": pd.Categorical(["x", "y", "x"]), "d": pd.to_datetime(["2024-01-01", None, "2024-01-03"]),
            "i": pd.array([1, None, 3], dtype="Int64"), "b": [True, False, True],
            "nb": pd.array([True, None, False], dtype="boolean"),
            "st": pd.array(["p", None, "q"], dtype="string"),
            "o": np.array(["u", None, "w"], dtype=object), "mixed": np.array([1, "two", None], dtype=object),
            "tz": pd.to_datetime(["2024-01-01"] * 3).tz_localize("Asia/Shanghai"),
            "td": pd.to_timedelta([1, 2, 3], unit="s"),
        }, index=index),
        "int column names": pd.DataFrame({0: [1], 1: [2]}),
        "range index": pd.DataFrame({"v": [1, 2]}, index=pd.RangeIndex(5, 7)),
        "string index": pd.DataFrame({"v": [1, 2]}, index=pd.Index(["a", "b"], name="k")),
        "object index": pd.DataFrame({"v": [1, 2]}, index=pd.Index(["a", "b"], dtype=object)),
        "dated index with a frequency": pd.DataFrame({"v": [1, 2]},
                                                     index=pd.date_range("2024-01-01", periods=2)),
        "multi index": pd.DataFrame({"v": [1, 2]}, index=pd.MultiIndex.from_tuples([("a", 1), ("b", 2)],
                                                                                  names=["x", "y"])),
        "no rows": pd.DataFrame({"a": pd.Series([], dtype="int64")}),
    }


@pytest.mark.parametrize("name", list(_frames()))
def test_frames_cross_with_dtypes_and_index(name: str) -> None:
    frame = _frames()[name]
    back = _round_trip(frame)
    pd.testing.assert_frame_equal(back, frame, check_index_type=True, check_column_type=True)
    assert getattr(back.index, "freq", None) == getattr(frame.index, "freq", None)


@pytest.mark.parametrize("series", [
    pd.Series([0.5, 0.25], index=pd.CategoricalIndex(["a", "b"], name="group"), name="share"),
    pd.Series([1, 2], name=3), pd.Series(["x", None]), pd.Series([1, 5], index=["a", "b"], name=("t", 1)),
    pd.cut(pd.Series([1, 5, 9]), [0, 4, 10], labels=["lo", "hi"]),
])
def test_series_cross_with_name_and_index(series: pd.Series) -> None:
    pd.testing.assert_series_equal(_round_trip(series), series)


@pytest.mark.parametrize("index", [
    pd.Index(["x", "y"], name="n"), pd.RangeIndex(3), pd.date_range("2024-01-01", periods=3, name="day"),
    pd.CategoricalIndex(["a", "b"]), pd.MultiIndex.from_tuples([("a", 1)], names=["k", "j"]),
])
def test_indexes_cross(index: pd.Index) -> None:
    pd.testing.assert_index_equal(_round_trip(index), index, exact=True)


def _models() -> list[Any]:
    rng = np.random.default_rng(0)
    x = pd.DataFrame({"a": rng.normal(size=60), "c": rng.choice(["u", "v"], 60)})
    y = (x["a"] > 0).astype(int)
    pre = make_column_transformer((StandardScaler(), make_column_selector(dtype_include="number")),
                                  (OneHotEncoder(), ["c"]))
    tree = make_pipeline(pre, DecisionTreeClassifier(max_depth=2, random_state=0))
    return [
        DummyClassifier().fit(x, y),
        make_pipeline(pre, LogisticRegression(class_weight="balanced")).fit(x, y),
        GridSearchCV(tree, {"decisiontreeclassifier__max_depth": [1, 2]},
                     cv=StratifiedKFold(3, shuffle=True, random_state=0), scoring="f1").fit(x, y),
        imbalanced_pipeline(pre, SMOTE(random_state=0), LogisticRegression()).fit(x, y),
        KFold(4, shuffle=True, random_state=1), StratifiedKFold(3),
    ], x


def test_a_model_skops_cannot_write_is_refused_in_the_kernel() -> None:
    from scipy.stats import randint
    from sklearn.model_selection import RandomizedSearchCV

    search = RandomizedSearchCV(DecisionTreeClassifier(), {"max_depth": randint(1, 4)}, n_iter=2, cv=2)
    with pytest.raises(answerdata.RefusedAnswer, match="skops"):
        answerdata.dumps(search.fit(np.arange(20).reshape(10, 2), [0, 1] * 5))


def test_the_labs_models_cross_and_predict_alike() -> None:
    models, x = _models()
    for model in models:
        back = _round_trip(model)
        assert type(back) is type(model)
        if hasattr(model, "predict_proba"):
            np.testing.assert_array_equal(back.predict_proba(x), model.predict_proba(x))
        else:
            assert repr(back) == repr(model)


def test_one_list_of_trusted_types() -> None:
    assert foreign_types(["numpy.dtype", "builtins.eval", "sklearn.tree._export.export_graphviz"]) == [
        "builtins.eval", "sklearn.tree._export.export_graphviz"]
    assert all(name.split(".")[0] in ("numpy", "scipy", "sklearn", "imblearn") for name in TRUSTED_TYPES)


def test_notebook_functions_cross_as_keys_and_library_functions_are_refused() -> None:
    def learner(x: int) -> int:
        return x + 1

    learner.__module__ = "__main__"
    registry: dict[str, Any] = {}
    data = answerdata.dumps({"f": learner, "g": learner}, registry)
    assert sorted(registry) == ["0", "1"]
    back = answerdata.loads(data, remote=lambda key: ("proxy", key))
    assert back == {"f": ("proxy", "0"), "g": ("proxy", "1")}
    with pytest.raises(answerdata.RefusedAnswer):
        answerdata.dumps(np.mean, registry)


def test_object_columns_keep_each_item() -> None:
    frame = pd.DataFrame({"o": np.array(["u", None, 1.5, np.float64(2.0)], dtype=object)})
    back = _round_trip(frame)["o"]
    assert back.dtype == object and [type(v) for v in back] == [str, type(None), float, np.float64]
