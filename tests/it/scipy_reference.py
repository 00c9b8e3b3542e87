"""scipy's answers for the cases omfang's scipy agreement test generates.

Reads a JSON list of cases from argv[1] and prints a JSON list of
{"statistic", "p"} (or {"error"}) in the same order. Preprocessing is the
one omfang documents: chi-square drops all-zero rows and columns,
Kruskal-Wallis drops empty groups.
"""
import json
import math
import sys
import warnings

import numpy as np
from scipy import stats

warnings.simplefilter("ignore")


def num(x):
    x = float(x)
    return None if math.isnan(x) or math.isinf(x) else x


def run(case):
    kind = case["test"]
    if kind == "chi2":
        t = np.array(case["table"], dtype=np.int64)
        t = t[t.sum(axis=1) > 0][:, t.sum(axis=0) > 0]
        if t.shape[0] < 2 or t.shape[1] < 2:
            return {"error": "too small"}
        r = stats.chi2_contingency(t, correction=False)
        return {"statistic": num(r.statistic), "p": num(r.pvalue), "df": int(r.dof)}
    if kind == "fisher":
        r = stats.fisher_exact(case["table"])
        return {"statistic": num(r.statistic), "p": num(r.pvalue)}
    if kind == "mannwhitney":
        r = stats.mannwhitneyu(case["x"], case["y"], method="auto")
        return {"statistic": num(r.statistic), "p": num(r.pvalue)}
    if kind == "kruskal":
        groups = [g for g in case["groups"] if len(g) > 0]
        if len(groups) < 2:
            return {"error": "too few groups"}
        r = stats.kruskal(*groups)
        return {"statistic": num(r.statistic), "p": num(r.pvalue)}
    if kind == "spearman":
        r = stats.spearmanr(case["x"], case["y"])
        return {"statistic": num(r.statistic), "p": num(r.pvalue)}
    raise ValueError(kind)


with open(sys.argv[1]) as f:
    cases = json.load(f)
json.dump([run(c) for c in cases], sys.stdout)
