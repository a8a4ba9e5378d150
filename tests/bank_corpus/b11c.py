"""Answers of bank task b11c (car park gates): other routes to one table and the hourly counts, and mistakes."""

from class_runs import Case

UNIFIED, HOURLY = "b11c_unified_answer", "b11c_hourly_answer"
RIGHT_B = ('b = gate_b.rename(columns={"id": "entry_id", "plate_no": "plate"})\n'
           'b["entered_at"] = pd.to_datetime(b["ts_ms"], unit="ms") + pd.Timedelta(hours=8)\n'
           'b["fee_yuan"] = b["fee_fen"] / 100\n')

CASES = [
    Case("b11c-rename-offset-groupby", "alternative", {
        UNIFIED: RIGHT_B + 'a = gate_a.assign(entered_at=pd.to_datetime(gate_a["entered_at"]))\n'
                 'entries = pd.concat([a, b[["entry_id", "plate", "entered_at", "fee_yuan"]]])\n'
                 'entries["plate"] = entries["plate"].str.replace(r"\\s+", "", regex=True).str.upper()\n'
                 'entries.to_csv(Path("output") / "parking_entries.csv", index=False)',
        HOURLY: 'hourly = entries.groupby(entries["entered_at"].dt.hour).size().to_dict()\n'
                'peak_hour = max(hourly, key=hourly.get)',
    }),
    Case("b11c-aware-text-zero-hours", "alternative", {
        UNIFIED: 'a = gate_a.assign(entered_at=pd.to_datetime(gate_a["entered_at"]).dt.tz_localize("Asia/Shanghai"),\n'
                 '                  gate="A")\n'
                 'b = pd.DataFrame({"entry_id": gate_b["id"], "plate": gate_b["plate_no"].str.upper().str.replace(" ", ""),\n'
                 '                  "entered_at": pd.to_datetime(gate_b["ts_ms"], unit="ms", utc=True).dt.tz_convert("Asia/Shanghai"),\n'
                 '                  "fee_yuan": (gate_b["fee_fen"] / 100).round(2), "gate": "B"})\n'
                 'entries = pd.concat([b, a], ignore_index=True).sample(frac=1, random_state=2)\n'
                 'entries.to_csv("output/parking_entries.csv", index=False, encoding="utf-8-sig")',
        HOURLY: 'hourly = entries["entered_at"].dt.hour.value_counts().reindex(range(24), fill_value=0)\n'
                'peak_hour = hourly.idxmax()',
    }),
    Case("b11c-fromtimestamp-counter-frame", "alternative", {
        UNIFIED: 'from datetime import datetime\nfrom zoneinfo import ZoneInfo\n\n'
                 'rows = [{"entry_id": r.entry_id, "plate": r.plate, "entered_at": pd.Timestamp(r.entered_at),\n'
                 '         "fee_yuan": r.fee_yuan} for r in gate_a.itertuples()]\n'
                 'rows += [{"entry_id": r.id, "plate": r.plate_no.replace(" ", "").upper(),\n'
                 '          "entered_at": datetime.fromtimestamp(r.ts_ms / 1000, ZoneInfo("Asia/Shanghai")).replace(tzinfo=None),\n'
                 '          "fee_yuan": r.fee_fen / 100} for r in gate_b.itertuples()]\n'
                 'entries = pd.DataFrame(rows)\nentries["entered_at"] = pd.to_datetime(entries["entered_at"])\n'
                 'entries.to_csv("output/parking_entries.csv", index=False)',
        HOURLY: 'from collections import Counter\n\n'
                'hourly = pd.DataFrame(sorted(Counter(entries["entered_at"].dt.hour).items()), columns=["hour", "entries"])\n'
                'peak_hour = int(hourly.sort_values("entries", ascending=False).iloc[0]["hour"])',
    }),
    Case("b11c-utc-kept-shares", "wrong", {
        UNIFIED: 'b = gate_b.rename(columns={"id": "entry_id", "plate_no": "plate"})\n'
                 'b["entered_at"] = pd.to_datetime(b["ts_ms"], unit="ms")\nb["fee_yuan"] = b["fee_fen"] / 100\n'
                 'entries = pd.concat([gate_a.assign(entered_at=pd.to_datetime(gate_a["entered_at"])),\n'
                 '                     b[["entry_id", "plate", "entered_at", "fee_yuan"]]], ignore_index=True)\n'
                 'entries["plate"] = entries["plate"].str.upper().str.replace(" ", "")\n'
                 'entries.to_csv("output/parking_entries.csv", index=False)',
        HOURLY: 'hourly = (entries["entered_at"].dt.hour.value_counts(normalize=True) * 100).to_dict()\n'
                'peak_hour = max(hourly, key=hourly.get)',
    }, loses={"b11c_unified": "gate B's UTC times not converted", "b11c_hourly": "shares, not counts"}),
    Case("b11c-fen-kept-peak-count", "wrong", {
        UNIFIED: 'b = gate_b.rename(columns={"id": "entry_id", "plate_no": "plate", "fee_fen": "fee_yuan"})\n'
                 'b["entered_at"] = pd.to_datetime(b["ts_ms"], unit="ms", utc=True).dt.tz_convert("Asia/Shanghai").dt.tz_localize(None)\n'
                 'entries = pd.concat([gate_a.assign(entered_at=pd.to_datetime(gate_a["entered_at"])),\n'
                 '                     b[["entry_id", "plate", "entered_at", "fee_yuan"]]], ignore_index=True)\n'
                 'entries["plate"] = entries["plate"].str.upper().str.replace(" ", "")\n'
                 'entries.to_csv("output/parking_entries.csv", index=False)',
        HOURLY: 'hourly = entries["entered_at"].dt.hour.value_counts()\npeak_hour = int(hourly.max())',
    }, loses={"b11c_unified": "fees of gate B left in fen", "b11c_hourly": "the peak's count, not its hour"}),
    Case("b11c-spaces-kept-gate-a-only", "wrong", {
        UNIFIED: RIGHT_B + 'entries = pd.concat([gate_a.assign(entered_at=pd.to_datetime(gate_a["entered_at"])),\n'
                 '                     b[["entry_id", "plate", "entered_at", "fee_yuan"]]], ignore_index=True)\n'
                 'entries["plate"] = entries["plate"].str.upper()\n'
                 'entries.to_csv("output/parking_entries.csv", index=False)',
        HOURLY: 'hourly = pd.to_datetime(gate_a["entered_at"]).dt.hour.value_counts()\npeak_hour = hourly.idxmax()',
    }, loses={"b11c_unified": "plates keep their spaces", "b11c_hourly": "gate A's entries only"}),
]
