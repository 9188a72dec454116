# make bench: the Python peers, run with Debian's /usr/bin/python3.
#
#   peers.py ingest-csv FILE       csv.reader + executemany into a typed table
#   peers.py ingest-pandas FILE    pandas.read_csv
#   peers.py group-pandas FILE     pandas.read_csv, then prints the groupby's own seconds
#   peers.py group-sqlite DB       the GROUP BY through Python's sqlite3
#   peers.py rows DB FIELDS        iterate a cursor over 5 fields or 1
#   peers.py yoy-pandas FILE       pandas.read_csv and sort, then prints the yoy's own seconds
#   peers.py window-pandas FILE SERIES RUNS  pandas.read_csv of both, then "case seconds" lines: the
#                                  best of RUNS of rank, join (to the grouped means), share, and
#                                  moving (a 3-period mean over SERIES, sorted) and yoy (pct_change
#                                  over SERIES, sorted), each alone
#   peers.py make-workbook CSV XLSX  the CSV as a workbook, by Python's xlsxwriter (shared strings)
#   peers.py read-excel XLSX       pandas.read_excel (openpyxl)
#   peers.py write-excel CSV XLSX ENGINE  pandas.read_csv, then to_excel with ENGINE
#   peers.py composite-pandas FILE RUNS  bench/composite.sh's steps: prints the index's and the runs' seconds
#   peers.py ops-pandas OP CSV SERIES WIDE JSON  bench/ops.sh's operation OP as pandas does it, on
#                                  the frames it needs read first; appends the operation's own
#                                  seconds to the file $OPS_TIMES (the loads: the reading)
#   peers.py chart-matplotlib CSV OUT  pandas.read_csv, a line a column over the first, saved as OUT
#                                  (800 x 500 pixels, its format by OUT's ending; the Agg backend)
import csv
import os
import sqlite3
import sys
import time


def ingest_csv(path):
    con = sqlite3.connect(":memory:")
    con.execute("create table m(region text, year integer, indicator text, value real, unit text)")
    with open(path, newline="", encoding="utf-8") as f:
        rows = csv.reader(f)
        next(rows)
        con.executemany("insert into m values (?, ?, ?, ?, ?)",
                        ((r[0], int(r[1]), r[2], float(r[3]), r[4]) for r in rows))
    con.commit()


def group_pandas(path):
    import pandas
    frame = pandas.read_csv(path)
    start = time.perf_counter()
    frame.groupby(["indicator", "year"]).agg(total=("value", "sum"), n=("value", "size"))
    print("%.6f" % (time.perf_counter() - start))


def yoy_pandas(path):
    import pandas
    frame = pandas.read_csv(path).sort_values(["region", "indicator", "period"])
    start = time.perf_counter()
    frame["yoy"] = frame.groupby(["region", "indicator"])["value"].pct_change() * 100
    print("%.6f" % (time.perf_counter() - start))


def window_pandas(path, series_path, runs):
    import pandas
    frame = pandas.read_csv(path)
    keys = ["indicator", "year"]
    series = pandas.read_csv(series_path).sort_values(["region", "indicator", "period"])

    def rank():
        return frame.groupby(keys)["value"].rank(method="min", ascending=False)

    def join():
        means = frame.groupby(keys, as_index=False).agg(mean=("value", "mean"))
        return frame.merge(means, on=keys)

    def share():
        return 100.0 * frame["value"] / frame.groupby(keys)["value"].transform("sum")

    def moving():
        return series.groupby(["region", "indicator"])["value"].rolling(3).mean()

    def yoy():  # the row before in each series: no check of the periods between
        return series.groupby(["region", "indicator"])["value"].pct_change() * 100

    for name, fn in (("rank", rank), ("join", join), ("share", share), ("moving", moving), ("yoy", yoy)):
        best = float("inf")
        for _ in range(runs):  # CPU time, as zb's side (bench/best.lua) counts it
            start = time.process_time()
            fn()
            best = min(best, time.process_time() - start)
        print("%s %.6f" % (name, best))
def composite_pandas(path, runs):
    import numpy as np
    import pandas
    frame = pandas.read_csv(path)
    codes = ["x%d" % k for k in range(1, 61)]
    dims = {"d%d" % d: codes[d - 1::6] for d in range(1, 7)}
    sign = np.array([-1.0 if k % 5 == 0 else 1.0 for k in range(1, 61)])

    def normalise(x, method):  # x: regions by indicators, directions applied
        if method == "minmax":
            return (x - np.nanmin(x, 0)) / (np.nanmax(x, 0) - np.nanmin(x, 0)) * 100
        if method == "zscore":
            return (x - np.nanmean(x, 0)) / np.nanstd(x, 0, ddof=1)
        r = pandas.DataFrame(x).rank().to_numpy()
        return r if method == "rank" else (r - 1) / (np.sum(~np.isnan(x), 0) - 1)

    def entropy(n):
        p = n / np.nansum(n, 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            e = -np.nansum(np.where(p > 0, p * np.log(p), 0), 0) / np.log(np.sum(~np.isnan(n), 0))
        return (1 - e) / np.sum(1 - e)

    def dimensions(n, w):  # w: global indicator weights; each dimension's mean of the values present
        present = ~np.isnan(n)
        x = np.nan_to_num(n)
        scores, dim_w = [], []
        for d, cs in dims.items():
            idx = [codes.index(c) for c in cs]
            ws = w[idx] * present[:, idx]
            scores.append((x[:, idx] * ws).sum(1) / ws.sum(1))
            dim_w.append(w[idx].sum())
        return np.array(scores).T, np.array(dim_w)

    def index(n, w):
        s, dim_w = dimensions(n, w)
        return (s * dim_w).sum(1) / np.sum(dim_w)

    def year_index(x, method, weights):
        n = normalise(x * sign, method)
        if weights == "entropy":
            w = entropy(n)
        elif weights == "cv":
            cv = np.nanstd(x, 0, ddof=1) / np.abs(np.nanmean(x, 0))
            w = cv / cv.sum()
        else:
            w = np.full(60, 1 / 60)
        return n, w

    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        parts = []
        for year, g in frame.groupby("year"):  # zb's table: every node's score, the rank, what each node lacked
            n, w = year_index(g[codes].to_numpy(), "minmax", "entropy")
            s, dim_w = dimensions(n, w)
            missing = np.isnan(n)
            columns = {"region": g.region.to_numpy(), "year": year, "index": (s * dim_w).sum(1) / np.sum(dim_w)}
            columns.update({d: s[:, k] for k, d in enumerate(dims)})
            columns.update({c: n[:, k] for k, c in enumerate(codes)})
            columns["missing_index"] = missing.sum(1)
            columns.update({"missing_" + d: missing[:, [codes.index(c) for c in cs]].sum(1) for d, cs in dims.items()})
            parts.append(pandas.DataFrame(columns))
        out = pandas.concat(parts)
        out["rank"] = out.groupby("year")["index"].rank(ascending=False, method="min")
        before = out[["region", "year", "index", "rank"]].assign(year=out.year + 1)
        out = out.merge(before, on=["region", "year"], how="left", suffixes=("", "_before"))
        out["change"], out["rank_change"] = out["index"] - out.index_before, out.rank_before - out["rank"]
        out = out.drop(columns=["index_before", "rank_before"])
        best = min(best, time.perf_counter() - start)
    start = time.perf_counter()
    x = frame[frame.year == 2001][codes].to_numpy()
    ranks = []
    for method in ["minmax", "rank", "percentile"]:
        for weights in ["equal", "entropy", "cv"]:
            n, w = year_index(x, method, weights)
            variants = [w] + [w * np.where(np.arange(60) == k, f, 1) for k in range(60) for f in (0.9, 1.1)]
            variants += [w] * 12  # the dimensions' weights varied: as many runs again
            for v in variants:
                ranks.append(pandas.Series(index(n, v)).rank(ascending=False, method="min").to_numpy())
    r = np.array(ranks)
    np.median(r, 0), np.percentile(r, [5, 95], 0)
    print("%.6f %.6f" % (best, time.perf_counter() - start))


def ops_pandas(op, path, series_path, wide_path, json_path):
    import pandas
    keys = ["indicator", "year"]
    by = ["region", "indicator"]
    start = time.perf_counter()
    if op == "load-csv":
        pandas.read_csv(path)
    elif op == "load-json":
        pandas.read_json(json_path, orient="records")
    else:
        frame = series = wide = None
        if op in ("pivot", "yoy", "moving"):
            series = pandas.read_csv(series_path)
        elif op == "melt":
            wide = pandas.read_csv(wide_path)
        else:
            frame = pandas.read_csv(path)
        start = time.perf_counter()
        if op == "print":
            with open("/dev/null", "w") as out:
                out.write(frame.to_string(index=False))
        elif op == "csv":
            frame.to_csv("/dev/null", index=False)
        elif op == "tsv":
            frame.to_csv("/dev/null", sep="\t", index=False)
        elif op == "json":
            frame.to_json("/dev/null", orient="records", force_ascii=False)
        elif op == "markdown":
            with open("/dev/null", "w") as out:
                out.write(frame.to_markdown(index=False))
        elif op == "where":
            frame[frame["value"] > 10000]
        elif op == "group":
            frame.groupby(keys).agg(total=("value", "sum"), n=("value", "size"))
        elif op == "join":
            frame.merge(frame.groupby(keys, as_index=False).agg(mean=("value", "mean")), on=keys)
        elif op == "pivot":
            series.pivot_table(index=by, columns="period", values="value", aggfunc="sum")
        elif op == "melt":
            wide.melt(id_vars=by, var_name="year")
        elif op == "yoy":  # the series are in order, as the file has them
            series.groupby(by)["value"].pct_change() * 100
        elif op == "rank":
            frame.groupby(keys)["value"].rank(method="min", ascending=False)
        elif op == "moving":
            series.groupby(by)["value"].rolling(3).mean()
        elif op == "metric":  # a Python function a row, as a zb metric is a Lua one
            frame["value"].map(lambda x: x * 2)
        elif op == "rows":
            for r in frame.itertuples(index=False):
                r.region, r.year, r.indicator, r.value, r.unit
        else:
            sys.exit("unknown operation " + op)
    with open(os.environ["OPS_TIMES"], "a") as out:
        out.write("%.6f\n" % (time.perf_counter() - start))


def rows(db, fields):
    con = sqlite3.connect(db)
    if fields == "5":
        for _ in con.execute("select region, year, indicator, value, unit from m"):
            pass
    else:
        total = 0
        for (v,) in con.execute("select value from m"):
            total += v


def chart_matplotlib(path, out):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas
    frame = pandas.read_csv(path)
    frame.plot(x=frame.columns[0], figsize=(8, 5))
    plt.savefig(out, dpi=100)


def main():
    case = sys.argv[1]
    if case == "ingest-csv":
        ingest_csv(sys.argv[2])
    elif case == "ingest-pandas":
        import pandas
        pandas.read_csv(sys.argv[2])
    elif case == "group-pandas":
        group_pandas(sys.argv[2])
    elif case == "group-sqlite":
        sqlite3.connect(sys.argv[2]).execute(
            "select indicator, year, sum(value), count(*) from m group by indicator, year").fetchall()
    elif case == "yoy-pandas":
        yoy_pandas(sys.argv[2])
    elif case == "window-pandas":
        window_pandas(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif case == "composite-pandas":
        composite_pandas(sys.argv[2], int(sys.argv[3]))
    elif case == "rows":
        rows(sys.argv[2], sys.argv[3])
    elif case == "make-workbook":
        import pandas
        pandas.read_csv(sys.argv[2]).to_excel(sys.argv[3], index=False, engine="xlsxwriter")
    elif case == "read-excel":
        import pandas
        pandas.read_excel(sys.argv[2], engine="openpyxl")
    elif case == "ops-pandas":
        ops_pandas(*sys.argv[2:7])
    elif case == "chart-matplotlib":
        chart_matplotlib(sys.argv[2], sys.argv[3])
    elif case == "write-excel":
        import pandas
        pandas.read_csv(sys.argv[2]).to_excel(sys.argv[3], index=False, engine=sys.argv[4])
    else:
        sys.exit("unknown case " + case)


main()
