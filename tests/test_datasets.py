"""Bundled data: cards, offline loading, and the generator that makes the faulty variants."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from trainerlab.datagen import loan_applications as la
from trainerlab.paths import dataset_file, datasets_root

ROOT = Path(__file__).resolve().parents[1]
DATASETS = sorted(p for p in (ROOT / "datasets").iterdir() if p.is_dir())


def test_datasets_is_not_a_python_package() -> None:
    assert not (ROOT / "datasets" / "__init__.py").exists()
    import datasets  # Hugging Face datasets, not our folder

    assert hasattr(datasets, "load_dataset")


@pytest.mark.parametrize("folder", DATASETS, ids=lambda p: p.name)
def test_every_dataset_has_a_card(folder: Path) -> None:
    card = (folder / "README.md").read_text(encoding="utf-8")
    assert card.startswith("---\n") and "configs:" in card and "license:" in card
    for heading in ("Source", "Licence", "Shape"):
        assert heading in card or heading.lower() in card.lower(), heading


@pytest.mark.parametrize("folder", DATASETS, ids=lambda p: p.name)
def test_loads_offline_with_hugging_face_datasets(folder: Path, tmp_path: Path) -> None:
    code = (
        "import sys, datasets; d = datasets.load_dataset(sys.argv[1], split='train');"
        "print(d.num_rows)"
    )
    env = dict(os.environ, HF_DATASETS_OFFLINE="1", HF_HUB_OFFLINE="1", HF_HOME=str(tmp_path))
    out = subprocess.run([sys.executable, "-c", code, str(folder)], capture_output=True, text=True,
                         env=env, cwd=tmp_path, check=True)
    csvs = list(folder.glob("*.csv"))
    if csvs:
        assert int(out.stdout.split()[-1]) == sum(len(pd.read_csv(p)) for p in csvs)


def test_data_found_from_any_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert dataset_file("loan_applications", "loan_applications_raw.csv").is_file()
    monkeypatch.setenv("TRAINERLAB_DATASETS", str(tmp_path))
    with pytest.raises(FileNotFoundError, match="not found"):
        dataset_file("loan_applications", "loan_applications_raw.csv")
    monkeypatch.delenv("TRAINERLAB_DATASETS")
    assert datasets_root().is_dir()


def test_committed_raw_file_is_the_generators_output() -> None:
    committed = pd.read_csv(dataset_file("loan_applications", "loan_applications_raw.csv"),
                            dtype=str, keep_default_na=False)
    generated = la.build(la.DEFAULT_SEED).raw
    pd.testing.assert_frame_equal(committed, generated.astype(str), check_dtype=False)


def test_variants_are_reproducible_and_differ_by_seed() -> None:
    a, b, c = la.build(7), la.build(7), la.build(8)
    pd.testing.assert_frame_equal(a.raw, b.raw)
    assert a.invalid == b.invalid and a.unit_errors == b.unit_errors
    assert set(a.records.index) != set(c.records.index)
    assert not a.raw.equals(c.raw)


@pytest.mark.parametrize("seed", [la.DEFAULT_SEED, 1, 2])
def test_truth_is_consistent(seed: int) -> None:
    v = la.build(seed)
    rec = v.records
    valid = rec.loc[sorted(v.valid_ids)]
    assert valid["age"].between(18, 70).all()
    assert (valid["amount"] <= valid["price"]).all()
    assert (valid["seniority"] <= valid["age"] - 14).all()
    for app, rule in v.invalid.items():
        r = rec.loc[app]
        broken = {"age": not 18 <= r["age"] <= 70, "amount": r["amount"] > r["price"],
                  "seniority": r["seniority"] > r["age"] - 14}
        assert broken[rule], (app, rule)
    assert v.duplicate_rows > 0 and len(v.invalid) > 0 and len(v.unit_errors) > 0
    real_max = rec.drop(index=list(v.unit_errors))["income"].max()
    assert (rec.loc[list(v.unit_errors), "income"] * la.UNIT_ERROR_FACTOR > real_max).all()
    raw_text = v.raw.to_string()
    for fault in ("万", "岁", "年", "未知", la.INCOME_SENTINEL, "已婚"):
        assert fault in raw_text, fault
    # the rule columns never go missing, so every rule is decidable
    assert not v.raw[["age", "amount", "price", "seniority"]].isin(la.MISSING_MARKERS).any().any()


def test_source_tables_match_their_cards() -> None:
    credit = pd.read_csv(dataset_file("credit_scoring", "credit_data.csv"))
    assert credit.shape == (4454, 14) and (credit["status"] == "bad").sum() == 1254
    cars = pd.read_csv(dataset_file("auto_mpg", "auto_mpg.csv"))
    assert cars.shape == (406, 9) and cars["mpg"].isna().sum() == 8
