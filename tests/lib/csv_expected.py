"""The rows zb.read_csv should load from the random long files of
tests/lua/postgresql.lua, read by Python's csv module and typed by the rule
README ("Loading data") states, restated for what those files hold:

- a record of no fields, or of empty fields only, is a blank line (skipped);
  a record of one field of text under the rows is a note (not loaded);
- a column's type comes from all its values: INTEGER when each is a whole
  number within 64 bits (no leading zero), REAL when each is a number,
  else TEXT; a quoted value is text;
- "", "-", "—" and "…" are NULL in every column; the marks of a missing
  number (N/A, NA, x, .. and the rest) are NULL in a column of numbers or
  of periods (a text column whose values are all periods of one frequency;
  the periods these files hold: 2005年, 2020Q1), kept as written in other
  text; a column of marks only is text;
- right below a blank line (rows of one field filled between), a row that
  makes a column of numbers (so far) text is refused (a second table under the first?): printed "refused", the message
  being zb's;
- the table's lines: pairs "row line" where a row is not on the line after
  the one before it (the first row, and those after a blank line or a
  record over several lines).

    /usr/bin/python3 tests/lib/csv_expected.py FILE...

Prints, for each file, "== N" (its number in the list) and its lines as
tests/lua/postgresql.lua's runner prints them: the columns, the count and
the lines; then each row's typed cells (integer:3, float:%.17g, text:x,
NULL), newlines in text as \\n; sorted.
"""
import csv
import re
import sys

NA = {"", "-", "\u2014", "\u2026"}
NUMERIC_NA = {"NA", "N/A", "n/a", "N.A.", "n.a.", "#N/A", "#NA", "NaN", "nan", "-NaN", "-nan", "NULL", "null", "Null",
              "None", "none", "NONE", "<NA>", "x", "X", "..", "...", "\uff0d"}
INTEGER, REAL, TEXT = 1, 2, 3


def kind(value, quoted):
    """INTEGER, REAL or TEXT, or None for a missing mark."""
    if value in NA or (not quoted and value in NUMERIC_NA):
        return None
    if quoted:
        return TEXT
    if re.fullmatch(r"[-+]?(0|[1-9][0-9]*)", value):
        return INTEGER if -2 ** 63 <= int(value) < 2 ** 63 else TEXT
    if re.fullmatch(r"[-+]?(0|[1-9][0-9]*)?\.[0-9]*([eE][-+]?[0-9]+)?", value) and re.search("[0-9]", value):
        return REAL
    return TEXT


def frequency(value):
    if re.fullmatch(r"[0-9]{4}年", value):
        return "A"
    if re.fullmatch(r"[0-9]{4}Q[1-4]", value):
        return "Q"
    return None


def records(path):
    """The file's records: each its fields and its first line."""
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f, strict=True)
        line, out = 1, []
        for fields in reader:
            out.append((fields, line))
            line = reader.line_num + 1
    return out


def expected(path):
    recs = records(path)
    header, rows, lines, blank_before = recs[0][0], [], [], False
    ncols = len(header)
    types = [None] * ncols
    for fields, line in recs[1:]:
        if len(fields) == 0 or all(f == "" for f in fields):
            blank_before = True
            continue
        if len(fields) == 1 and kind(fields[0], False) == TEXT:
            continue  # a note
        # (a field of these files is quoted when it holds a line break, and only then)
        quoted = ["\n" in f for f in fields]
        for i in range(ncols):
            k = kind(fields[i], quoted[i])
            before = types[i]
            if k is not None:
                types[i] = max(types[i] or 0, k)
            if blank_before and before in (INTEGER, REAL) and types[i] == TEXT:
                return ["refused"]
        if sum(f != "" for f in fields) > 1:
            blank_before = False  # the row right below the blank line, or rows of one field filled up to it
        rows.append((fields, quoted))
        lines.append(line)
    periods = []
    for i in range(ncols):
        found = {frequency(f[i]) if not q[i] else None for f, q in rows
                 if f[i] not in NA and f[i] not in NUMERIC_NA}
        periods.append(types[i] in (None, TEXT) and len(found) == 1 and None not in found)
    out = []
    for fields, quoted in rows:
        cells = []
        for i in range(ncols):
            v, t = fields[i], types[i]
            if v in NA or (not quoted[i] and v in NUMERIC_NA and (t in (INTEGER, REAL) or periods[i])):
                cells.append("NULL")
            elif t == INTEGER:
                cells.append("integer:%d" % int(v))
            elif t == REAL:
                cells.append("float:%.17g" % float(v))
            else:
                cells.append("text:" + v.replace("\n", "\\n"))
        out.append(" ".join(cells))
    placed = []
    for row, line in enumerate(lines, 1):
        if row == 1 or line != lines[row - 2] + 1:
            placed += [str(row), str(line)]
    out.append("%s %d %s" % (",".join(header), len(rows), " ".join(placed)))
    return sorted(out)


for number, path in enumerate(sys.argv[1:], 1):
    try:
        found = expected(path)
    except csv.Error:
        found = ["refused"]  # malformed quoting
    print("== %d" % number)
    print("\n".join(found))
