# Makes two files from the shipped World Bank series (datasets/
# wdi-gdp-current-usd.csv and wdi-population.csv, long), each value's text
# kept as it is:
#   wdi-gdp-api.csv       GDP laid out as the World Bank API's CSV download:
#                         a byte-order mark, a "Data Source" line and a blank
#                         one, then a column a year, every field quoted and
#                         every line ending in a comma
#   wdi-2000-2023.jsonstat.json
#                         GDP and population, 2000-2023, as a JSON-stat 2.0
#                         dataset: indicator x country x year, values in
#                         row-major order, null where the series has none
#   /usr/bin/python3 tests/lib/make_wdi_layouts.py DATASETS_DIR
import csv
import json
import os
import sys

root = sys.argv[1]
indicators = [("NY.GDP.MKTP.CD", "GDP (current US$)", "current US$", "wdi-gdp-current-usd.csv"),
              ("SP.POP.TOTL", "Population, total", "people", "wdi-population.csv")]


def read(name):
    with open(os.path.join(root, name), newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    names = {r["Country Code"]: r["Country Name"] for r in rows}
    values = {(r["Country Code"], int(r["Year"])): r["Value"] for r in rows if r["Value"] != ""}
    return names, values


series = {code: read(file) for code, _, _, file in indicators}

# The API download, GDP alone, every year the series has
names, values = series["NY.GDP.MKTP.CD"]
years = sorted({y for _, y in values})
with open(os.path.join(root, "wdi-gdp-api.csv"), "w", newline="", encoding="utf-8-sig") as f:
    def line(fields):
        f.write(",".join('"%s"' % x.replace('"', '""') for x in fields) + ",\n")
    line(["Data Source", "World Development Indicators"])
    f.write("\n")
    line(["Country Name", "Country Code", "Indicator Name", "Indicator Code"] + [str(y) for y in years])
    for code in sorted(names, key=lambda c: names[c]):
        line([names[code], code, "GDP (current US$)", "NY.GDP.MKTP.CD"] + [values.get((code, y), "") for y in years])

# JSON-stat: both indicators, 2000-2023, every country either has
span = list(range(2000, 2024))
labels = {}
for code, _, _, _ in indicators:
    labels.update(series[code][0])
countries = sorted(labels)
cells = []
for code, _, _, _ in indicators:
    for country in countries:
        for y in span:
            cells.append(series[code][1].get((country, y)))
dataset = {
    "version": "2.0",
    "class": "dataset",
    "label": "World Development Indicators: GDP (current US$) and population, 2000-2023",
    "source": "World Bank, World Development Indicators",
    "id": ["indicator", "country", "year"],
    "size": [len(indicators), len(countries), len(span)],
    "role": {"time": ["year"], "geo": ["country"], "metric": ["indicator"]},
    "dimension": {
        "indicator": {"label": "indicator", "category": {
            "index": [c for c, _, _, _ in indicators],
            "label": {c: label for c, label, _, _ in indicators},
            "unit": {c: {"label": unit} for c, _, unit, _ in indicators}}},
        "country": {"label": "country", "category": {"index": countries, "label": {c: labels[c] for c in countries}}},
        "year": {"label": "year", "category": {"index": [str(y) for y in span]}},
    },
    "value": ["@%d@" % i for i in range(len(cells))],
}
# the values' own text, as the long files write them (json would respell 1e+20 and 1.0)
text = json.dumps(dataset, ensure_ascii=False, separators=(",", ":"))
out = []
for part in text.split('"@'):
    if out and part[:1].isdigit():
        i, rest = part.split('@"', 1)
        v = cells[int(i)]
        out.append("null" if v is None else v)
        out.append(rest)
    else:
        out.append(part)
with open(os.path.join(root, "wdi-2000-2023.jsonstat.json"), "w", encoding="utf-8") as f:
    f.write("".join(out) + "\n")
