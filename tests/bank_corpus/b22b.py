"""Answers of bank task b22b (water demand): other splits in time, models and files, and real testing mistakes."""

from class_runs import Case

SPLIT, MODEL = "b22b_split_answer", "b22b_model_answer"

CASES = [
    Case("b22b-to-datetime-ridge", "alternative", {
        SPLIT: 'ordered = water.assign(day=pd.to_datetime(water["date"])).sort_values("day")\n'
               'n_test = round(0.2 * len(ordered))\n'
               'X_train, X_test = ordered[FEATURES].iloc[:-n_test], ordered[FEATURES].iloc[-n_test:]\n'
               'y_train, y_test = ordered["demand"].iloc[:-n_test], ordered["demand"].iloc[-n_test:]',
        MODEL: 'from sklearn.linear_model import Ridge\n\n'
               'model = Ridge(alpha=1.0).fit(X_train, y_train)\npred = model.predict(X_test)\n'
               'np.savetxt("output/predictions.txt", pred, fmt="%.1f")\n'
               'mae = round(mean_absolute_error(y_test, pred), 1)',
    }),
    Case("b22b-timeseriessplit-pipeline", "alternative", {
        SPLIT: 'from sklearn.model_selection import TimeSeriesSplit\n\n'
               'ordered = water.sort_values("date")\n'
               'train_pos, test_pos = list(TimeSeriesSplit(n_splits=4).split(ordered))[-1]\n'
               'X_train, X_test = ordered.iloc[train_pos][FEATURES], ordered.iloc[test_pos][FEATURES]\n'
               'y_train, y_test = ordered.iloc[train_pos]["demand"], ordered.iloc[test_pos]["demand"]',
        MODEL: 'from sklearn.pipeline import make_pipeline\nfrom sklearn.preprocessing import StandardScaler\n\n'
               'model = make_pipeline(StandardScaler(), LinearRegression()).fit(X_train, y_train)\n'
               'pd.Series(model.predict(X_test)).to_csv("output/predictions.txt", header=False, index=False)\n'
               'mae = float(np.mean(np.abs(y_test.to_numpy() - model.predict(X_test))))',
    }),
    Case("b22b-date-cutoff-tree", "alternative", {
        SPLIT: 'cutoff = water["date"].sort_values().iloc[int(0.8 * len(water))]\n'
               'is_test = water["date"] >= cutoff\n'
               'X_train, y_train = water.loc[~is_test, FEATURES], water.loc[~is_test, "demand"]\n'
               'X_test, y_test = water.loc[is_test, FEATURES], water.loc[is_test, "demand"]',
        MODEL: 'from sklearn.tree import DecisionTreeRegressor\n\n'
               'model = DecisionTreeRegressor(max_depth=5, random_state=0).fit(X_train, y_train)\n'
               'with open(Path("output") / "predictions.txt", "w", encoding="utf-8") as f:\n'
               '    f.writelines(f"{p:.2f}\\n" for p in model.predict(X_test))\n'
               'mae = mean_absolute_error(y_test, model.predict(X_test))',
    }),
    Case("b22b-random-split-train-mae", "wrong", {
        SPLIT: 'from sklearn.model_selection import train_test_split\n\n'
               'X_train, X_test, y_train, y_test = train_test_split(water[FEATURES], water["demand"], test_size=0.2,\n'
               '                                                    random_state=0)',
        MODEL: 'model = LinearRegression().fit(X_train, y_train)\n'
               'np.savetxt("output/predictions.txt", model.predict(X_test))\n'
               'mae = mean_absolute_error(y_train, model.predict(X_train))',
    }, loses={"b22b_split": "a random split tests on the past", "b22b_model": "the MAE of the training set"}),
    Case("b22b-last-rows-unsorted-train-file", "wrong", {
        SPLIT: 'cut = int(len(water) * 0.8)\n'
               'X_train, X_test = water[FEATURES].iloc[:cut], water[FEATURES].iloc[cut:]\n'
               'y_train, y_test = water["demand"].iloc[:cut], water["demand"].iloc[cut:]',
        MODEL: 'model = LinearRegression().fit(X_train, y_train)\n'
               'np.savetxt("output/predictions.txt", model.predict(X_train))\n'
               'mae = mean_absolute_error(y_test, model.predict(X_test))',
    }, loses={"b22b_split": "the last rows of an unsorted table", "b22b_model": "training predictions saved"}),
    Case("b22b-thirty-percent-mse", "wrong", {
        SPLIT: 'ordered = water.sort_values("date")\ncut = int(len(ordered) * 0.7)\n'
               'X_train, y_train = ordered[FEATURES].iloc[:cut], ordered["demand"].iloc[:cut]\n'
               'X_test, y_test = ordered[FEATURES].iloc[cut:], ordered["demand"].iloc[cut:]',
        MODEL: 'from sklearn.metrics import mean_squared_error\n\n'
               'model = LinearRegression().fit(X_train, y_train)\npred = model.predict(X_test)\n'
               'np.savetxt("output/predictions.txt", pred)\nmae = mean_squared_error(y_test, pred)',
    }, loses={"b22b_split": "a 70/30 split", "b22b_model": "the squared error reported as MAE"}),
    Case("b22b-rain-only", "wrong", {
        SPLIT: 'ordered = water.sort_values("date")\ncut = int(len(ordered) * 0.8)\n'
               'X_train, y_train = ordered[["rain_mm"]].iloc[:cut], ordered["demand"].iloc[:cut]\n'
               'X_test, y_test = ordered[["rain_mm"]].iloc[cut:], ordered["demand"].iloc[cut:]',
        MODEL: 'model = LinearRegression().fit(X_train, y_train)\npred = model.predict(X_test)\n'
               'np.savetxt("output/predictions.txt", pred)\nmae = mean_absolute_error(y_test, pred)',
    }, loses={"b22b_model": "a model on the rain alone barely beats the mean"}),
]
