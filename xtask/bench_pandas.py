"""The pandas + scipy side of `cargo xtask bench-analysis`.

Reads the data omfang wrote (bench-data.csv) and its table plan
(plan.json), and computes the same cross-tabs and tests the report does:
column counts and percentages by group over the analytic sample, chi-square
(and Fisher for 2x2) per single choice and per multiple-choice option,
chi-square on pooled count-grid sums, Mann-Whitney or Kruskal-Wallis for
numbers. Prints one JSON object.
"""
import json
import resource
import sys
import time

import numpy as np
import pandas as pd
from scipy import stats

folder = sys.argv[1]
started = time.perf_counter()
df = pd.read_csv(f"{folder}/bench-data.csv", low_memory=False)
read_s = time.perf_counter() - started
with open(f"{folder}/plan.json") as f:
    plan = json.load(f)


def table_tests(table):
    table = np.asarray(table)
    table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]
    tests = 0
    if table.shape[0] >= 2 and table.shape[1] >= 2:
        stats.chi2_contingency(table, correction=False)
        tests += 1
        if table.shape == (2, 2):
            stats.fisher_exact(table)
            tests += 1
    return tests


started = time.perf_counter()
sample = df[df["i_utvalg"] == 1]
tables = 0
tests = 0
for p in plan:
    by, variables, kind = p["by"], p["variables"], p["kind"]
    sub = sample[sample[by].notna()]
    if kind == "single":
        counts = pd.crosstab(sub[variables[0]], sub[by])
        if counts.empty:
            continue
        _ = counts / counts.sum() * 100
        tests += table_tests(counts.to_numpy())
    elif kind == "multiple":
        answered = sub[sub[variables].notna().any(axis=1)]
        if answered.empty:
            continue
        grouped = answered.groupby(by)
        n = grouped.size()
        chosen = grouped[variables].sum()
        _ = chosen.div(n, axis=0) * 100
        for v in variables:
            tests += table_tests(np.vstack([chosen[v].to_numpy(), (n - chosen[v]).to_numpy()]))
    elif kind == "grid":
        answered = sub[sub[variables].notna().any(axis=1)]
        if answered.empty:
            continue
        sums = answered.groupby(by)[variables].sum().T
        _ = sums / sums.sum() * 100
        tests += table_tests(sums.to_numpy())
    else:
        groups = [g[variables[0]].dropna().to_numpy() for _, g in sub.groupby(by)]
        groups = [g for g in groups if len(g) > 0]
        if not groups:
            continue
        _ = [(len(g), g.mean(), np.median(g)) for g in groups]
        if len(groups) == 2:
            stats.mannwhitneyu(groups[0], groups[1], method="auto")
            tests += 1
        elif len(groups) > 2:
            stats.kruskal(*groups)
            tests += 1
    tables += 1
compute_s = time.perf_counter() - started
print(json.dumps({
    "rows": len(df),
    "tables": tables,
    "tests": tests,
    "read_s": read_s,
    "tables_s": compute_s,
    "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
