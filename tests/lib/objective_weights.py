"""The degree of one indicator by an objective weighting method, written
from the methods' formulas: what the indicator's weight is proportional
to.  The composite tests' Python references (tests/lua/composite.lua,
composite_steps.lua) weigh with it: sys.path.insert(0, "tests/lib") (the
suites run from the top of the tree), then from objective_weights import
degree."""
import numpy as np


def degree(values, method):
    """The degree of an indicator whose values (NaN missing) are values:
    entropy (熵权法): 1 - e, e = -Σ p ln p / ln n, p = x / Σx over the n
    values present (0 or more), at least 0; cv (变异系数法): the sample's
    sd over |mean|.  0 for fewer than two values present or none spread."""
    x = np.asarray(values, dtype=float)
    v = x[~np.isnan(x)]
    if len(v) < 2 or v.max() == v.min():
        return 0.0
    if method == "entropy":
        p = v / v.sum()
        p = p[p > 0]
        return max(0.0, 1 + np.sum(p * np.log(p)) / np.log(len(v)))
    if method == "cv":
        return np.std(v, ddof=1) / abs(np.mean(v))
    raise ValueError("no degree for method " + method)
