"""Answers of bank task b31b (canteen checkout): other routes to the daily rates and alerts, and mistakes."""

from class_runs import Case

DAILY, ALERT = "b31b_daily_answer", "b31b_alert_answer"
RIGHT_DAILY = ('daily = trays.groupby("date")["corrected"].mean()\n'
               'daily.rename("error_rate").reset_index().to_csv("output/daily_error_rate.csv", index=False)')

CASES = [
    Case("b31b-dict-sum-size", "alternative", {
        DAILY: 'g = trays.groupby("date")["corrected"]\ndaily = (g.sum() / g.size()).round(4).to_dict()\n'
               'pd.DataFrame({"date": list(daily), "error_rate": list(daily.values())}).to_csv(\n'
               '    Path("output") / "daily_error_rate.csv", index=False, encoding="utf-8-sig")',
        ALERT: 'alert_days = {d for d, r in daily.items() if r > 0.075}\n'
               'rates = trays[trays["date"].isin(alert_days)].groupby("camera")["corrected"].mean()\n'
               'camera = rates.sort_values().index[-1].lower()',
    }),
    Case("b31b-frame-datetime", "alternative", {
        DAILY: 'trays["day"] = pd.to_datetime(trays["date"])\n'
               'daily = trays.groupby("day", as_index=False)["corrected"].mean()\n'
               'daily.columns = ["date", "error_rate"]\ndaily.to_csv("output/daily_error_rate.csv", index=False)',
        ALERT: 'alert_days = daily.loc[daily["error_rate"] > 0.075, "date"].dt.strftime("%Y-%m-%d").tolist()\n'
               'sub = trays[trays["date"].isin(alert_days)]\n'
               'camera = max(["A", "B"], key=lambda c: sub.loc[sub["camera"] == c, "corrected"].mean())',
    }),
    Case("b31b-pivot-columns-swapped", "alternative", {
        DAILY: 'counts = trays.pivot_table(index="date", columns="camera", values="corrected", aggfunc=["sum", "count"])\n'
               'daily = counts["sum"].sum(axis=1) / counts["count"].sum(axis=1)\n'
               'out = pd.DataFrame({"error_rate": daily.round(3), "date": daily.index})\n'
               'out.to_csv("output/daily_error_rate.csv", index=False)',
        ALERT: 'alert_days = daily.index[daily.gt(0.075)].to_numpy()\n'
               'on = trays.query("date in @alert_days")\n'
               'camera = (on.groupby("camera")["corrected"].sum() / on["camera"].value_counts()).idxmax()',
    }),
    Case("b31b-camera-average-carried", "wrong", {
        DAILY: 'daily = trays.groupby(["date", "camera"])["corrected"].mean().groupby("date").mean()\n'
               'daily.rename("error_rate").reset_index().to_csv("output/daily_error_rate.csv", index=False)',
        ALERT: 'alert_days = list(daily[daily > 0.075].index)\n'
               'camera = trays[trays["date"].isin(alert_days)].groupby("camera")["corrected"].mean().idxmax()',
    }, loses={"b31b_daily": "the two cameras' rates averaged, not pooled"}),
    Case("b31b-counts-by-count", "wrong", {
        DAILY: 'daily = trays.groupby("date")["corrected"].sum()\n'
               'daily.rename("error_rate").reset_index().to_csv("output/daily_error_rate.csv", index=False)',
        ALERT: 'rates = trays.groupby("date")["corrected"].mean()\nalert_days = list(rates[rates > 0.075].index)\n'
               'camera = trays[trays["date"].isin(alert_days)].groupby("camera")["corrected"].sum().idxmax()',
    }, loses={"b31b_daily": "corrections counted, not rates", "b31b_alert": "the camera by counts, not rates"}),
    Case("b31b-index-file-at-or-above", "wrong", {
        DAILY: 'daily = trays.groupby("date")["corrected"].mean()\n'
               'daily.to_frame("error_rate").to_csv("output/daily_error_rate.csv", index=False)',
        ALERT: 'alert_days = list(daily[daily >= 0.075].index)\n'
               'camera = trays[trays["date"].isin(alert_days)].groupby("camera")["corrected"].mean().idxmax()',
    }, loses={"b31b_daily": "the file without its date column", "b31b_alert": "a day at exactly 0.075 raised"}),
    Case("b31b-percent-threshold", "wrong", {
        DAILY: RIGHT_DAILY, ALERT: 'alert_days = list(daily[daily > 7.5].index)\ncamera = "B"'},
        loses={"b31b_alert": "the 7.5 % threshold read as 7.5"}),
]
