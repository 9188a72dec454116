"""The exact values of zb's share, index, chain, deflate and progress, for
tests/lua/indicators_exact.lua: each formula as the methods' documentation
states it, worked out in fractions.Fraction from the values the tables hold
(a real column's value is the double its text reads as), then rounded once.

    /usr/bin/python3 tests/lib/indicators_exact.py DATA CASES

DATA: lines "table<TAB>column:type,...<TAB>cell<TAB>cell..." (cells as in
SQL: NULL, a number); CASES: lines "case<TAB>method<TAB>key=value;...".
Prints "case<TAB>id<TAB>mode<TAB>value": mode "exact" when the formula is
one correctly rounded step from values every engine holds exactly (then
value is the nearest double, "float:%.17g", an integer "integer:N", or
NULL), "near" when it takes several roundings (sums of reals, products):
value the nearest double to the exact result, to be met within the
documented 1e-12 (README, "differential tests").
"""
import sys
from fractions import Fraction

HUNDRED = Fraction(100)


def read_tables(path):
    tables = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            name, spec, cells = fields[0], fields[1], fields[2:]
            columns = [c.split(":") for c in spec.split(",")]
            if name not in tables:
                tables[name] = {"columns": [c for c, _ in columns], "rows": []}
            row = {}
            for (col, kind), cell in zip(columns, cells):
                if cell == "NULL":
                    row[col] = None
                elif kind == "integer":
                    row[col] = int(cell)
                elif kind == "real":
                    row[col] = Fraction(float(cell))  # the double the text reads as, exactly
                else:
                    row[col] = cell
            tables[name]["rows"].append(row)
    return tables


def key(row, by):
    return tuple(row[c] for c in by)


def cell(x):
    """A value as typed_cells shows it: NULL, integer:N, float:%.17g."""
    if x is None:
        return "NULL"
    if isinstance(x, int):
        return "integer:%d" % x
    return "float:%.17g" % float(x)  # Fraction -> float: correctly rounded


def exact_double(x):
    """Whether x is a double exactly (so an engine holds it as it is)."""
    return x is None or Fraction(float(x)) == x


def exact_sums(values):
    """Whether every sum of values, in any order, is a double exactly: each
    a multiple of the least 2^-k among them, the sum of their sizes below
    2^53 such steps."""
    values = [Fraction(x) for x in values if x is not None]
    if any(x.denominator & (x.denominator - 1) for x in values):
        return False  # a denominator that is no power of 2
    step = max((x.denominator for x in values), default=1)
    return sum(abs(x) for x in values) * step < 2 ** 53


def share(rows, o):
    v, by = o["value"], o.get("by", "").split("+") if o.get("by") else []
    totals = {}
    for r in rows:
        if r[v] is not None:
            totals[key(r, by)] = totals.get(key(r, by), 0) + r[v]
    out = {}
    for r in rows:
        total = totals.get(key(r, by))
        # 100 * v / total; NULL for a NULL value or a total of 0 (or none)
        out[r["id"]] = None if r[v] is None or not total else HUNDRED * r[v] / total
    # one rounding when 100 * v and the total are doubles exactly
    steps = all(exact_double(HUNDRED * r[v]) for r in rows if r[v] is not None) and exact_sums(r[v] for r in rows)
    return out, steps


def index(rows, o):
    v, time, base = o["value"], o["time"], int(o["base"])
    by = o["by"].split("+") if o.get("by") else []
    at_base = {key(r, by): r[v] for r in rows if r[time] == base}
    out = {}
    for r in rows:
        b = at_base.get(key(r, by))
        # 100 * v / the value at base; NULL without one, or where it is 0
        out[r["id"]] = None if r[v] is None or not b else HUNDRED * r[v] / b
    steps = all(exact_double(HUNDRED * r[v]) for r in rows if r[v] is not None)
    return out, steps


def levels(rows, v, time, by, kind):
    """Each row's level: 100 times the product of the factors (1 + v / 100,
    or v / 100 for kind previous) of its series up to its period."""
    out, running = {}, {}
    for r in sorted(rows, key=lambda r: (key(r, by), r[time])):
        f = 1 + r[v] / HUNDRED if kind == "change" else r[v] / HUNDRED
        running[key(r, by)] = running.get(key(r, by), Fraction(1)) * f
        out[r["id"]] = HUNDRED * running[key(r, by)]
    return out


def rebased(rows, level, time, by, base):
    at_base = {key(r, by): level[r["id"]] for r in rows if r[time] == base}
    return {r["id"]: None if at_base.get(key(r, by)) is None else HUNDRED * level[r["id"]] / at_base[key(r, by)]
            for r in rows}


def chain(rows, o):
    by = o["by"].split("+") if o.get("by") else []
    level = levels(rows, o["value"], o["time"], by, o.get("kind", "change"))
    if "base" in o:
        level = rebased(rows, level, o["time"], by, int(o["base"]))
    return level, False


def deflate(rows, o):
    v, p, time = o["value"], o["price"], o["time"]
    by = o["by"].split("+") if o.get("by") else []
    kind = o.get("kind", "index")
    base = int(o["base"]) if "base" in o else min(r[time] for r in rows)
    price = {r["id"]: HUNDRED * r[p] for r in rows} if kind == "index" else levels(rows, p, time, by, kind)
    deflator = rebased(rows, price, time, by, base)
    # the value at the prices of base: value * 100 / deflator
    return {r["id"]: None if r[v] is None else r[v] * HUNDRED / deflator[r["id"]] for r in rows}, False


def progress(rows, o):
    a, t = o["actual"], o["target"]
    out = {}
    for r in rows:
        out[r["id"]] = None if r[a] is None or r[t] is None or r[t] == 0 else HUNDRED * r[a] / r[t]
    steps = all(exact_double(HUNDRED * r[a]) and exact_double(r[t]) for r in rows if r[a] is not None and r[t] is not None)
    return out, steps


def remaining(rows, o):
    """What is left: target - actual, never below zero (of the columns'
    type: a real when either is real); NULL when either is NULL."""
    a, t = o["actual"], o["target"]
    out = {}
    for r in rows:
        if r[a] is None or r[t] is None:
            out[r["id"]] = None
        else:
            left = max(r[t] - r[a], 0)
            out[r["id"]] = Fraction(left) if o.get("real") == "1" else left
    return out, all(exact_double(x) for x in out.values() if not isinstance(x, int))


METHODS = {"share": share, "index": index, "chain": chain, "deflate": deflate, "progress": progress,
           "remaining": remaining}


def main():
    tables = read_tables(sys.argv[1])
    with open(sys.argv[2], encoding="utf-8") as f:
        for line in f:
            case, method, opts = line.rstrip("\n").split("\t")
            o = dict(kv.split("=", 1) for kv in opts.split(";") if kv)
            values, one_step = METHODS[method](tables[o.pop("table")]["rows"], o)
            mode = "exact" if one_step else "near"
            for row_id in sorted(values):
                print("%s\t%d\t%s\t%s" % (case, row_id, mode, cell(values[row_id])))


main()
