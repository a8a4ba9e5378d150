"""Per-seed data files are cached by seed and by the generators' code, so a change never serves stale data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from trainerlab import variants


def test_a_changed_generator_builds_a_new_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(variants.tempfile, "gettempdir", lambda: str(tmp_path))
    calls: list[int] = []

    def build(seed: int) -> pd.DataFrame:
        calls.append(seed)
        return pd.DataFrame({"seed": [seed], "generator": [variants.generator_version()]})

    first = variants.variant_csv("demo", 7, build)
    assert variants.variant_csv("demo", 7, build) == first and calls == [7]  # cached
    assert variants.variant_csv("demo", 8, build) != first  # another seed, another file

    monkeypatch.setattr(variants, "generator_version", lambda: "changed-code")
    second = variants.variant_csv("demo", 7, build)
    assert second != first and calls == [7, 8, 7]  # rebuilt, not served from the old cache
    assert pd.read_csv(second)["generator"].tolist() == ["changed-code"]


def test_the_version_follows_the_generators_code(tmp_path: Path) -> None:
    datagen = Path(variants.__file__).with_name("datagen")
    assert variants.generator_version() == variants.code_digest(datagen)
    copy = tmp_path / "datagen"
    copy.mkdir()
    for source in datagen.glob("*.py"):
        (copy / source.name).write_bytes(source.read_bytes())
    assert variants.code_digest(copy) == variants.generator_version()
    generator = copy / "loan_applications.py"
    generator.write_text(generator.read_text(encoding="utf-8") + "\n# one more fault\n", encoding="utf-8")
    assert variants.code_digest(copy) != variants.generator_version()


def test_a_class_courses_62_bit_seeds_build_every_split_variant() -> None:
    # a course secret gives 62-bit seeds; scikit-learn's random_state takes below 2**32 and refused them
    from trainerlab.datagen import credit_variants, evaluation_cases

    seed = (1 << 62) - 12345
    assert variants.random_state(seed) < 1 << 32 and variants.random_state(7) == 7  # one that fits is kept
    assert not credit_variants.build(seed).equals(credit_variants.build(7))
    assert len(evaluation_cases.credit_case(seed).X_test) and len(evaluation_cases.mpg_case(seed).X_test)
