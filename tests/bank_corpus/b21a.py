"""Answers of bank task b21a (bike rides): other cleaning routes and files, and real cleaning mistakes."""

from class_runs import Case

CLEAN = "b21a_clean_answer"

CASES = [
    Case("b21a-query", "alternative", {CLEAN: (
        'cleaned = rides[~rides.duplicated("ride_id")].query("1 <= duration_min <= 240 and distance_km >= 0")\n'
        'cleaned.to_csv("output/rides_clean.csv", index=False)')}),
    Case("b21a-filter-then-dedup-path", "alternative", {CLEAN: (
        'ok = rides["duration_min"].between(1, 240) & rides["distance_km"].ge(0)\n'
        'cleaned = rides[ok].drop_duplicates(subset="ride_id", keep="last").reset_index(drop=True)\n'
        'cleaned.to_csv(Path("output") / "rides_clean.csv", index=False)')}),
    Case("b21a-masks-bom", "alternative", {CLEAN: (
        'cleaned = rides.drop_duplicates()\n'
        'cleaned = cleaned[(cleaned.duration_min >= 1) & (cleaned.duration_min <= 240) & ~(cleaned.distance_km < 0)]\n'
        'cleaned.to_csv("output/rides_clean.csv", index=False, encoding="utf-8-sig")')}),
    Case("b21a-no-dedup", "wrong", {CLEAN: (
        'cleaned = rides[rides["duration_min"].between(1, 240) & (rides["distance_km"] >= 0)]\n'
        'cleaned.to_csv("output/rides_clean.csv", index=False)')}, loses={"b21a_clean": "rides uploaded twice kept"}),
    Case("b21a-edges-dropped", "wrong", {CLEAN: (
        'cleaned = rides.drop_duplicates("ride_id")\n'
        'cleaned = cleaned[cleaned["duration_min"].between(1, 240, inclusive="neither") & (cleaned["distance_km"] >= 0)]\n'
        'cleaned.to_csv("output/rides_clean.csv", index=False)')}, loses={"b21a_clean": "1 and 240 minutes dropped"}),
    Case("b21a-raw-file", "wrong", {CLEAN: (
        'rides.to_csv("output/rides_clean.csv", index=False)\n'
        'cleaned = rides.drop_duplicates("ride_id")\n'
        'cleaned = cleaned[cleaned["duration_min"].between(1, 240) & (cleaned["distance_km"] >= 0)]')},
        loses={"b21a_clean": "the raw table saved as the cleaned file"}),
]
