"""The peer of `omfang stats` in `cargo xtask bench-analysis`: one test on
one CSV file with pandas + scipy, as a researcher would write it (read only
the columns used, then the scipy test). Prints the statistic and p."""
import sys

import pandas as pd
from scipy import stats

test, path = sys.argv[1], sys.argv[2]
if test == "chi2":
    df = pd.read_csv(path, usecols=["kategori", "gruppe3"]).dropna()
    chi2, p, dof, _ = stats.chi2_contingency(pd.crosstab(df["kategori"], df["gruppe3"]), correction=False)
    print(f"chi2 {chi2} p {p}")
elif test == "mannwhitney":
    df = pd.read_csv(path, usecols=["verdi", "gruppe2"]).dropna()
    groups = [g["verdi"].to_numpy() for _, g in df.groupby("gruppe2")]
    r = stats.mannwhitneyu(groups[0], groups[1], alternative="two-sided", method="asymptotic")
    print(f"U {r.statistic} p {r.pvalue}")
elif test == "kruskal":
    df = pd.read_csv(path, usecols=["verdi", "gruppe3"]).dropna()
    r = stats.kruskal(*[g["verdi"].to_numpy() for _, g in df.groupby("gruppe3")])
    print(f"H {r.statistic} p {r.pvalue}")
elif test == "spearman":
    df = pd.read_csv(path, usecols=["x", "y"]).dropna()
    r = stats.spearmanr(df["x"], df["y"])
    print(f"rho {r.statistic} p {r.pvalue}")
else:
    sys.exit(f"unknown test {test}")
