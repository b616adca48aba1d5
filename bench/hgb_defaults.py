"""scikit-learn HistGradientBoostingClassifier with defaults, one thread, on a CSV whose test rows
are every fifth data row (0-based row i with i % 5 == 4) — the same rows bench/scale.ts holds out for
Sieve. Categorical columns (non-numeric) are native categoricals. Prints one JSON line:
{"auc": ..., "fit_seconds": ..., "train_rows": ...}.

usage: OMP_NUM_THREADS=1 /usr/bin/python3 bench/hgb_defaults.py data.csv target
"""
import json
import sys
import time

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score

path, target = sys.argv[1], sys.argv[2]
df = pd.read_csv(path)
y_raw = df.pop(target)
classes = sorted(y_raw.dropna().unique())
y = (y_raw == classes[-1]).astype(int).to_numpy()
cat_cols = [c for c in df.columns if df[c].dtype == object]
for c in cat_cols:
    df[c] = df[c].astype("category")
test = np.arange(len(df)) % 5 == 4
# Native categorical features: by dtype on scikit-learn >= 1.4, as ordinal codes with a mask before.
X = df.copy()
for c in cat_cols:
    X[c] = X[c].cat.codes.astype(float).replace(-1, np.nan)
mask = [c in cat_cols for c in df.columns]
model = HistGradientBoostingClassifier(categorical_features=mask if any(mask) else None, random_state=0)
start = time.time()
model.fit(X[~test], y[~test])
fit_seconds = time.time() - start
proba = model.predict_proba(X[test])[:, 1]
print(json.dumps({"auc": roc_auc_score(y[test], proba), "fit_seconds": fit_seconds, "train_rows": int((~test).sum()), "positive": str(classes[-1])}))
