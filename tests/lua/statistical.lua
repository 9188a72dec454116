-- Statistical file formats to long tables (issue 15, part 3): SDMX-CSV
-- 1.0 (the OECD's real file) and 2.0, JSON-stat 2.0 (files written from
-- the specification), each checked against Python reading the file itself.
local T = require("check")
local dir = T.tmpdir()

-- SDMX-CSV 1.0: the OECD's China CPI message, every column kept
local cpi = zb.read_sdmx(zb.paths.datasets .. "/sdmx-oecd-g20-prices-chn-cpi.csv", {name = "cpi"})
T.eq(#cpi, 41, "41 observations, 1985-2025")
T.eq(#cpi.columns, 16, "every column kept: dimensions, TIME_PERIOD, OBS_VALUE, attributes")
T.eq(table.concat(cpi:where("TIME_PERIOD between 2021 and 2023"):order("TIME_PERIOD"):col("OBS_VALUE"), ","), "0.9,2.0,0.2",
     "2021-2023 as NBS publishes them")
T.eq(cpi.meta.format, "SDMX-CSV 1.0", "the format is recorded")
T.eq(cpi.meta.loader, "read_sdmx", "... with its loader")

-- SDMX-CSV 2.0 written from the specification: UNIT_MULT applied only when asked
local v2 = T.file(dir, "gdp.csv", table.concat({
  "STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,FREQ,TIME_PERIOD,OBS_VALUE,UNIT_MULT,OBS_STATUS",
  "dataflow,ESTAT:NAMA_10_GDP(1.0),I,CN,Q,2021-Q1,2490.5,3,A",
  "dataflow,ESTAT:NAMA_10_GDP(1.0),I,CN,Q,2021-Q2,2821.6,3,A",
  "dataflow,ESTAT:NAMA_10_GDP(1.0),I,CN,Q,2021-Q3,,3,M"}, "\n") .. "\n")
local kept = zb.read_sdmx(v2)
T.eq(kept.meta.format, "SDMX-CSV 2.0", "2.0: STRUCTURE, STRUCTURE_ID first")
T.eq(kept:order("TIME_PERIOD"):col("OBS_VALUE")[1], 2490.5, "UNIT_MULT left as it is unless asked")
T.eq(kept.meta.columns.TIME_PERIOD.frequency, "Q", "TIME_PERIOD's quarters are recognised as periods")
local scaled = zb.read_sdmx(v2, {name = "scaled", unit_mult = true})
T.eq(table.concat(scaled:order("TIME_PERIOD"):col("OBS_VALUE"), ","), "2490500.0,2821600.0", "unit_mult = true: × 10^3 ...")
T.eq(scaled:where("OBS_VALUE IS NULL"):col("OBS_STATUS")[1], "M", "... a missing value stays NULL with its status")
T.eq(scaled:col("UNIT_MULT")[1], 0, "... and UNIT_MULT becomes 0")
-- An NBS export whose years are whole in one column and not in another:
-- every value a real, so value / 2 halves each as pandas' melt does
local people = T.file(dir, "people.csv", "数据库：分省年度数据\n指标：人口(万人)\n\n地区,2024年,2023年,2022年\n" ..
                      "北京市,2183,2186,2184.3\n天津市,1364,1364,1363\n\n数据来源：国家统计局\n")
local halves = {}
for r in zb.read_nbs(people):order("地区", "year"):select("地区", "year", {half = "value / 2"}):rows() do
  halves[#halves + 1] = string.format("%s %d %.17g", r["地区"], r.year, r.half)
end
T.eq(table.concat(halves, "\n") .. "\n", T.python([==[
import sys, pandas as pd
d = pd.read_csv(sys.argv[1], skiprows=3, skipfooter=2, engine="python")
m = d.melt(id_vars="地区", var_name="year", value_name="value")
m["year"] = m["year"].str.rstrip("年").astype(int)
for r in m.sort_values(["地区", "year"]).itertuples(): print("%s %d %.17g" % (r.地区, r.year, r.value / 2))
]==], people), "read_nbs: years of whole figures beside one of decimals: every value a real, halved as in pandas")
local kinds = {}
for _, k in ipairs(zb.read_nbs(people, {name = "people2"}):select{k = "typeof(value)"}:col("k")) do kinds[k] = true end
T.eq(next(kinds) .. "|" .. tostring(next(kinds, next(kinds))), "real|nil", "... each a real")

-- "NA" is Namibia's code in a column of text (SDMX's REF_AREA, the World
-- Bank's country codes) and a missing value among numbers, as Python's csv
-- module reads the text
local namibia = T.file(dir, "namibia.csv", "DATAFLOW,REF_AREA,TIME_PERIOD,OBS_VALUE\nX,NA,2020,1.5\nX,NA,2021,NA\n" ..
                       "X,CN,2020,2.5\n")
local areas = {}
for r in zb.read_sdmx(namibia):order("TIME_PERIOD", "REF_AREA"):rows() do
  areas[#areas + 1] = r.REF_AREA .. ":" .. tostring(r.OBS_VALUE)
end
T.eq(table.concat(areas, " ") .. "\n", T.python([==[
import csv, sys
rows = sorted(csv.DictReader(open(sys.argv[1])), key=lambda r: (r["TIME_PERIOD"], r["REF_AREA"]))
print(" ".join(r["REF_AREA"] + ":" + ("nil" if r["OBS_VALUE"] == "NA" else str(float(r["OBS_VALUE"]))) for r in rows))
]==], namibia), "NA: Namibia's code kept in REF_AREA, a missing value in OBS_VALUE")

-- SDMX-CSV 2.0's ACTION D rows are deletions, not observations: left out,
-- and said in the notes
local actions = T.file(dir, "actions.csv", "STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,TIME_PERIOD,OBS_VALUE\n" ..
                       "dataflow,X(1.0),I,CN,2021,1.5\ndataflow,X(1.0),D,CN,2022,2.5\ndataflow,X(1.0),I,CN,2023,3.5\n")
local acted = zb.read_sdmx(actions)
T.eq(table.concat(acted:order("TIME_PERIOD"):col("TIME_PERIOD"), ",") .. "\n", T.python([==[
import csv, sys
print(",".join(r["TIME_PERIOD"] for r in csv.DictReader(open(sys.argv[1])) if r["ACTION"] != "D"))
]==], actions), "ACTION D rows left out: the observations are the others")
T.eq(acted.meta.notes[#acted.meta.notes], "1 row with ACTION D (a deletion, not an observation) left out",
     "... and the notes say so")

-- an NBS export of quarters: its period column is one of periods (t.meta),
-- which sorts as time does, through later methods too
local quarters = T.file(dir, "quarters.csv", "地区,2024年第四季度,2024年第三季度,2024年第二季度,2024年第一季度," ..
                        "2023年第四季度\n北京市,5,4,3,2,1\n天津市,10,9,8,7,6\n")
local q = zb.read_nbs(quarters)
T.eq(q.meta.columns.period and q.meta.columns.period.frequency, "Q", "read_nbs: the period column is one of quarters")
T.eq(table.concat(q:where{["地区"] = "北京市"}:select("period"):order("period"):col("period"), ",") .. "\n",
     T.python([==[
import csv, sys
names = {"一": 1, "二": 2, "三": 3, "四": 4}
periods = next(csv.reader(open(sys.argv[1])))[1:]
print(",".join(sorted(periods, key=lambda p: (int(p[:4]), names[p[6]]))))
]==], quarters), "... ordered as time, not as text (2024年第一季度 before 2024年第二季度), after where and select")

-- the World Bank's own mark of a missing value ("..") in a year of no
-- figure at all: missing values, not a column of text refused
local dots = T.file(dir, "dots.csv", '"Data Source","World Development Indicators",\n\n' ..
                    '"Country Name","Country Code","Indicator Name","Indicator Code","2022","2023",\n' ..
                    '"China","CHN","GDP","NY.GDP.MKTP.CD","1.5","..",\n"India","IND","GDP","NY.GDP.MKTP.CD","2.5","..",\n')
T.eq(zb.read_worldbank(dots):count() .. "\n", T.python([==[
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))[3:]
print(sum(1 for r in rows for v in r[4:] if v not in ("", "..")))
]==], dots), "read_worldbank: a year of '..' only is missing values (the rows with figures, as counted in Python)")

-- UNIT_MULT as a shift of the decimal written, not a product of doubles
-- (1.15 x 100 = 114.99999999999999): against Python's Decimal
local shifts = {{"1.15", 2}, {"0.1", 1}, {"2490.5", 3}, {"2.675", -2}, {"0.3", 6}, {"123456.789", 9}, {"7", 0},
                {"1e-5", 3}, {"-4.35", 2}, {"0.07", 2}}
local lines = {"DATAFLOW,REF_AREA,TIME_PERIOD,OBS_VALUE,UNIT_MULT"}
for i, c in ipairs(shifts) do lines[#lines + 1] = string.format("X,CN,%d,%s,%d", 2000 + i, c[1], c[2]) end
local shift_file = T.file(dir, "shifts.csv", table.concat(lines, "\n") .. "\n")
local want = T.python([==[
import sys, csv
from decimal import Decimal
for r in csv.DictReader(open(sys.argv[1])):
    print(repr(float(Decimal(r["OBS_VALUE"]).scaleb(int(r["UNIT_MULT"])))))
]==], shift_file)
local got = {}
for r in zb.read_sdmx(shift_file, {unit_mult = true}):order("TIME_PERIOD"):rows() do
  got[#got + 1] = string.format("%.17g", r.OBS_VALUE)
end
local exact = {}
for v in want:gmatch("[^\n]+") do exact[#exact + 1] = string.format("%.17g", tonumber(v)) end
T.eq(table.concat(got, " "), table.concat(exact, " "), "unit_mult: each value the decimal written shifted, as Decimal's")
T.eq(zb.sql("select count(*) from shifts where UNIT_MULT <> 0"):value(), 0, "... UNIT_MULT 0 on every row")
local before = #zb.tables()
T.fails(function() zb.read_sdmx(zb.paths.datasets .. "/hangzhou-2021.csv", {name = "nope"}) end,
        "hangzhou-2021.csv: not SDMX-CSV: expected a first column DATAFLOW (1.0) or STRUCTURE (2.0)", "not SDMX-CSV")
T.eq(#zb.tables(), before, "... and nothing is left loaded")
local texty = T.file(dir, "t.csv", "DATAFLOW,TIME_PERIOD,OBS_VALUE\nX,2021,NaN?\n")
T.fails(function() zb.read_sdmx(texty) end, "t.csv:2: column OBS_VALUE holds 'NaN?' (TIME_PERIOD 2021), not a number",
        "OBS_VALUE must be numbers")
local mixed = T.file(dir, "mixed.csv", "DATAFLOW,TIME_PERIOD,OBS_VALUE\nX,2020,1\nX,2021,2\nX,2022,abc\n")
T.fails(function() zb.read_sdmx(mixed) end, "mixed.csv:4: column OBS_VALUE holds 'abc' (TIME_PERIOD 2022), not a number",
        "the value named is the one that is no number, not the column's first")
local footed = T.file(dir, "footed.csv", "DATAFLOW,TIME_PERIOD,OBS_VALUE\nX,2020,1\nX,2021,2\n注：来源, 统计局, 2024\n")
local sd = zb.read_sdmx(footed, {skip_footer = 1})
T.eq(#sd .. " " .. sd.meta.notes[1], "2 注：来源,  统计局,  2024", "read_sdmx takes read_csv's skip_footer (and skip)")
-- a statistical file given to the wrong reader says which reads it
local ds = zb.paths.datasets
T.fails(function() zb.read_csv(ds .. "/wdi-2000-2023.jsonstat.json") end,
        "JSON text, not CSV text: read it with zb.read_json (an array of objects) or zb.read_jsonstat", "read_csv: JSON named")
T.fails(function() zb.read_json(ds .. "/wdi-2000-2023.jsonstat.json") end,
        "(it is JSON-stat: read it with zb.read_jsonstat)", "read_json: JSON-stat named")
T.fails(function() zb.read_sdmx(ds .. "/wdi-gdp-api.csv") end, " (a World Bank download: read it with zb.read_worldbank)",
        "read_sdmx: a World Bank download named")
T.fails(function() zb.read_sdmx(ds .. "/nbs-province-gdp-2006-2024.gbk.csv") end,
        " (a column a period, as an NBS export: read it with zb.read_nbs)", "read_sdmx: an NBS export named")
T.fails(function() zb.read_nbs(ds .. "/wdi-gdp-api.csv") end, " (a World Bank download: read it with zb.read_worldbank)",
        "read_nbs: a World Bank download named")
T.fails(function() zb.read_worldbank(ds .. "/nbs-province-gdp-2006-2024.gbk.csv") end,
        " (a column a period, as an NBS export: read it with zb.read_nbs)", "read_worldbank: an NBS export named")
local labelled = T.file(dir, "labelled.csv", "DATAFLOW: Dataflow,REF_AREA: Reference area,TIME_PERIOD: Time period," ..
                        "OBS_VALUE: Observation value\nX,CHN: China,2020,1\n")
T.fails(function() zb.read_sdmx(labelled) end, "(SDMX-CSV with labels beside the codes, which zb does not read: " ..
        "download it with codes only)", "read_sdmx: SDMX-CSV with labels is named, not read")
local sdmx_given = T.file(dir, "given.csv", "DATAFLOW,TIME_PERIOD,OBS_VALUE\nX,2020,1\n")
for _, reader in ipairs{"read_nbs", "read_worldbank"} do
  T.fails(function() zb[reader](sdmx_given) end, " (SDMX-CSV: read it with zb.read_sdmx)", reader .. ": SDMX-CSV named")
end
T.eq(#zb.read_csv(T.file(dir, "bracket.csv", "[id],name\n1,a\n")), 1, "a CSV header beginning with [ is CSV")
-- a wrapped reader's error in the file says where in it, as read_csv's does
local ragged = T.file(dir, "ragged.csv", "DATAFLOW,TIME_PERIOD,OBS_VALUE\nX,2020,1\nX,2021,2,3\n")
T.fails(function() zb.read_sdmx(ragged) end, ragged .. ":3:1: expected 3 fields (as in the header), found 4",
        "read_sdmx: a ragged line named by file and line")
local ragged_wb = T.file(dir, "wb.csv", "Country Name,Country Code,Indicator Name,Indicator Code,2020\nA,B,C,D,1,2\n")
for _, reader in ipairs{"read_worldbank", "read_nbs"} do
  T.fails(function() zb[reader](ragged_wb) end, ragged_wb .. ":2:1: expected 5 fields (as in the header), found 6",
          reader .. ": a ragged line named by file and line")
end

-- JSON-stat 2.0: a cube into rows, the last dimension moving fastest
local cube = T.file(dir, "pop.json", [[
{"version": "2.0", "class": "dataset", "label": "Population",
 "id": ["metric", "geo", "time"], "size": [1, 2, 3],
 "role": {"time": ["time"], "geo": ["geo"], "metric": ["metric"]},
 "dimension": {
   "metric": {"category": {"label": {"pop": "人口（万人）"}}},
   "geo": {"category": {"index": ["330100", "330200"], "label": {"330100": "杭州市", "330200": "宁波市"}}},
   "time": {"category": {"index": {"2019": 0, "2020": 1, "2021": 2}}}},
 "value": [1036.0, 1196.5, 1220.4, 854.2, 940.4, null],
 "status": {"5": "m"}}]])
local pop = zb.read_jsonstat(cube)
T.eq(table.concat(pop.columns, ","), "metric,metric_label,geo,geo_label,time,value,status",
     "a column a dimension, labels beside codes, value and status")
local rows = {}
for r in pop:rows() do
  rows[#rows + 1] = table.concat({r.metric, r.geo, r.time, r.value == nil and "NULL" or string.format("%g", r.value),
                                  r.status or ""}, "|")
end
if T.have_python("json") then
  local reference = T.python([==[
import itertools, json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
codes = []
for dim in d["id"]:
    index = d["dimension"][dim]["category"].get("index")
    if index is None: index = list(d["dimension"][dim]["category"]["label"])
    if isinstance(index, dict): index = sorted(index, key=index.get)
    codes.append(index)
for i, combo in enumerate(itertools.product(*codes)):
    v = d["value"][i]
    print("|".join(list(combo) + ["NULL" if v is None else "%g" % v, d.get("status", {}).get(str(i), "")]))
]==], cube)
  T.eq(table.concat(rows, "\n") .. "\n", reference, "every cell where Python's itertools.product puts it")
end
T.eq(pop.meta.columns.time.frequency, "A", "the time dimension's years are recognised")
T.eq(pop.meta.format, "JSON-stat 2.0", "the format is recorded")

-- a dataset's source, updated and notes kept in its record; its metric's
-- units a column of each row's unit, and value's unit when there is one
local united = T.file(dir, "united.json", [[
{"version": "2.0", "class": "dataset", "label": "GDP and population", "source": "杭州市统计局",
 "updated": "2022-03-15", "note": ["2021年为初步核算数", "人口为常住人口"],
 "id": ["metric", "time"], "size": [2, 2],
 "dimension": {
   "metric": {"category": {"index": ["gdp", "pop"], "label": {"gdp": "地区生产总值", "pop": "常住人口"},
              "unit": {"gdp": {"label": "亿元", "decimals": 1}, "pop": {"label": "万人", "decimals": 1}}}},
   "time": {"category": {"index": ["2020", "2021"]}}},
 "value": [16106, 18109, 1196.5, 1220.4]}]])
local u = zb.read_jsonstat(united)
local got = {}
for r in u:rows() do got[#got + 1] = r.metric .. "|" .. r.metric_unit .. "|" .. r.time .. "|" .. string.format("%g", r.value) end
local want_units = T.python([==[
import itertools, json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
m, t = d["dimension"]["metric"]["category"], d["dimension"]["time"]["category"]
for i, (code, year) in enumerate(itertools.product(m["index"], t["index"])):
    print("%s|%s|%s|%g" % (code, m["unit"][code]["label"], year, d["value"][i]))
print(d["source"], d["updated"], ";".join(d["note"]))
]==], united)
T.eq(table.concat(got, "\n") .. "\n" .. u.meta.source .. " " .. u.meta.updated .. " " .. table.concat(u.meta.notes, ";") .. "\n",
     want_units, "JSON-stat: each row's unit (<metric>_unit), the source, updated and notes kept, as Python reads them")
T.eq(tostring(u.units.value), "nil", "... two units: value has none of its own")
T.eq(zb.read_jsonstat(zb.paths.datasets .. "/wdi-2000-2023.jsonstat.json", {name = "wdi_js"}).meta.source,
     "World Bank, World Development Indicators", "the World Bank dataset's source kept")
local one = T.file(dir, "one_unit.json", [[{"version": "2.0", "class": "dataset", "id": ["m", "t"], "size": [1, 2],
 "dimension": {"m": {"category": {"index": ["gdp"], "unit": {"gdp": {"label": "亿元"}}}},
               "t": {"category": {"index": ["2020", "2021"]}}}, "value": [1, 2]}]])
T.eq(zb.read_jsonstat(one).units.value, "亿元", "... one unit for every row: value's unit (t.units)")
T.eq(zb.read_jsonstat(one, {name = "one_src", source = "mine"}).meta.source, "mine", "a source given wins over the file's")
local sparse = T.file(dir, "sparse.json", [[{"version": "2.0", "class": "dataset", "id": ["g"], "size": [3],
  "dimension": {"g": {"category": {"index": ["a", "b", "c"]}}}, "value": {"0": 1, "2": 3}}]])
T.eq(table.concat(zb.read_jsonstat(sparse):order("g"):col("g"), ","), "a,b,c", "values as an object of positions ...")
T.eq(zb.sql("select count(*) from sparse where value is null"):value(), 1, "... the cells left out NULL")
local bundle = T.file(dir, "bundle.json", [[{
  "one": {"id": ["g"], "size": [1], "dimension": {"g": {"category": {"index": ["a"]}}}, "value": [1]},
  "two": {"id": ["g"], "size": [1], "dimension": {"g": {"category": {"index": ["b"]}}}, "value": [2]}}]])
T.fails(function() zb.read_jsonstat(bundle) end, "bundle.json: holds several datasets (one, two); say which with dataset = (a name)",
        "a bundle of several asks which")
T.eq(zb.read_jsonstat(bundle, {dataset = "two"}):col("value")[1], 2, "dataset = picks one")
T.fails(function() zb.read_jsonstat(bundle, {dataset = 2}) end,
        "bundle.json: dataset = 2, but a bundle's datasets are named, not in order: say which by name (datasets: one, two)",
        "a bundle's datasets have no order to number")
local collection = T.file(dir, "collection.json", [[{"version": "2.0", "class": "collection", "link": {"item": [
  {"class": "dataset", "label": "GDP", "id": ["g"], "size": [1], "dimension": {"g": {"category": {"index": ["a"]}}}, "value": [10]},
  {"class": "dataset", "label": "Population", "id": ["g"], "size": [1], "dimension": {"g": {"category": {"index": ["b"]}}},
   "value": [20]}]}}]])
T.eq(zb.read_jsonstat(collection, {dataset = 2, name = "second"}):col("value")[1], 20, "a collection's dataset by its place")
T.eq(zb.read_jsonstat(collection, {dataset = "GDP", name = "gdp_js"}):col("value")[1], 10, "... or by its label")
T.fails(function() zb.read_jsonstat(collection, {dataset = 3}) end, "dataset = 3, but the collection holds 2 items",
        "a place beyond the collection")
-- a collection's item that is a link to a dataset elsewhere counts in its
-- places, and is refused when chosen; several items and none chosen: asked
local linked = T.file(dir, "linked.json", [[{"version": "2.0", "class": "collection", "link": {"item": [
  {"class": "dataset", "href": "https://example.org/x.json", "label": "X"},
  {"class": "dataset", "label": "Y", "id": ["g"], "size": [1], "dimension": {"g": {"category": {"index": ["a"]}}},
   "value": [2]}]}}]])
T.eq(zb.read_jsonstat(linked, {dataset = 2}):col("value")[1], 2, "a collection's place counts its links (item 2 is Y)")
T.fails(function() zb.read_jsonstat(linked, {dataset = 1}) end, "item 1 of the collection is a link " ..
        "(https://example.org/x.json), not a dataset held in the file", "a link chosen by place: refused")
T.fails(function() zb.read_jsonstat(linked, {dataset = "X"}) end, "dataset X of the collection is a link",
        "... or by name")
T.fails(function() zb.read_jsonstat(linked) end, "a collection of 2 items; say which with dataset =",
        "several items, none chosen: asked which, not the one held taken")
local function refused(text, message, why)
  T.fails(function() zb.read_jsonstat(T.file(dir, "bad.json", text), {replace = true}) end, message, why)
end
refused([[{"id": ["g"], "size": [2], "dimension": {"g": {"category": {"index": ["a"]}}}, "value": [1, 2]}]],
        "dimension g has 1 categories but size says 2", "size against the categories")
refused([[{"id": ["g"], "size": [1], "dimension": {"g": {"category": {"index": ["a"]}}}, "value": [1, 2]}]],
        "value holds 2 cells but the sizes make 1", "values against the sizes")
refused([[{"id": ["g"], "size": [1], "dimension": {"g": {"category": {"index": ["a"]}}}, "value": ["x"]}]],
        "the value at g a (value 1 of the cube, from 1) holds \"x\", not a number",
        "a value that is no number, named by its categories")
refused([[{"hello": 1}]], "not JSON-stat: no dataset", "JSON that is no JSON-stat")
refused([[{"d": {"dimension": {"id": ["g"], "size": [1], "g": {"category": {"index": {"a": 0}}}}, "value": [1]}}]],
        "JSON-stat 1.0 (id and size inside dimension), which zb does not read", "a JSON-stat 1.0 bundle: named")
refused([[{"id": ["g"], "size": [2], "dimension": {"g": {"category": {"index": ["a", "b"]}}}, "value": {"0": 1, "7": 2}}]],
        'value holds position "7", but the cube\'s cells are 0 to 1', "a value at a position beyond the cube: refused")
refused([[{"id": ["g"], "size": [2], "dimension": {"g": {"category": {"index": ["a", "b"]}}}, "value": {"1.0": 1}}]],
        'value holds position "1.0"', "a position that is no whole number: refused, not left out")
refused("{", "not valid JSON", "not JSON")
T.eq(zb.sql("select count(*) from sqlite_schema where name = 'bad'"):value(), 0, "a refused file leaves no table")
-- The World Bank's API download and the NBS export, each long in one call,
-- against pandas reading the same files (skiprows, skipfooter, melt)
local wb = T.file(dir, "API_NY.GDP.MKTP.CD.csv", "\239\187\191" .. table.concat({
  '"Data Source","World Development Indicators",', '',
  '"Last Updated Date","2024-06-28",', '',
  '"Country Name","Country Code","Indicator Name","Indicator Code","2020","2021","2022",',
  '"China","CHN","GDP (current US$)","NY.GDP.MKTP.CD","14687673892882","17820459508852.2","17881782683707.3",',
  '"Aruba","ABW","GDP (current US$)","NY.GDP.MKTP.CD","2481857122.34637","","",'}, "\n") .. "\n")
local long = zb.read_worldbank(wb)
T.eq(table.concat(long.columns, ","), "country,country_code,indicator,indicator_code,year,value",
     "the World Bank download as country, code, indicator, year, value")
local got = {}
for r in long:order("country_code", "year"):rows() do got[#got + 1] = string.format("%s|%d|%.17g", r.country_code, r.year, r.value) end
if T.have_python("pandas") then
  local want = T.python([==[
import sys, pandas as pd
df = pd.read_csv(sys.argv[1], skiprows=4, encoding="utf-8-sig").iloc[:, :-1]
long = df.melt(id_vars=["Country Name", "Country Code", "Indicator Name", "Indicator Code"], var_name="year").dropna()
for _, r in long.sort_values(["Country Code", "year"]).iterrows():
    print("%s|%d|%.17g" % (r["Country Code"], int(r["year"]), r["value"]))
]==], wb)
  T.eq(table.concat(got, "\n") .. "\n", want, "every value as pandas reads it (skiprows=4, melt, dropna)")
end
T.eq(long.meta.notes[1], "Data Source, World Development Indicators", "the preamble kept as notes")
-- the table kept under the name (given, or the file's) is the long one the
-- loader returned, with the file's record; the wide one read is not kept
local before = #zb.tables()
local named = zb.read_worldbank(wb, {name = "wb_named"})
T.eq(table.concat(zb.table("wb_named").columns, ",") .. "|" .. #zb.table("wb_named") .. "|" .. #zb.tables() - before,
     "country,country_code,indicator,indicator_code,year,value|4|1",
     "read_worldbank{name =}: the table of that name is the long one it returned (4 rows), no other made")
T.eq(zb.table("wb_named").meta.notes[1] .. "|" .. zb.table("wb_named").meta.loader .. "|" .. named.meta.file.path,
     "Data Source, World Development Indicators|read_worldbank|" .. wb, "... with the file's record: notes, loader, file")
T.fails(function() zb.read_worldbank(wb, {name = "wb_named"}) end, "already exists", "... a name taken is refused")
T.eq(#zb.read_worldbank(wb, {name = "wb_named", replace = true}), 4, "... replace = true loads it in its place")
local quarters = zb.read_nbs(T.file(dir, "nbs_q.csv", "地区,2024年第一季度,2024年第二季度\n北京市,1.5,2.5\n"), {name = "nbs_q"})
T.eq(zb.pretty(zb.table("nbs_q").meta.columns) .. "|" .. #quarters .. "|" .. zb.table("nbs_q").meta.format,
     '{period = {frequency = "Q"}}|2|NBS export', "read_nbs: the long table kept, its periods' frequency recorded")
local nbs = zb.read_nbs(zb.paths.datasets .. "/nbs-province-gdp-2006-2024.gbk.csv", {name = "nbs_gdp"})
T.eq(#nbs, 31 * 19, "the NBS export long: 31 provinces, 19 years")
T.eq(nbs:where{["地区"] = "浙江省", year = 2021}:col("value")[1], 76765.3, "Zhejiang 2021")
T.fails(function() zb.read_nbs(zb.paths.datasets .. "/hangzhou-2021.csv") end, "column period is no period",
        "a table that is no NBS export")
T.fails(function() zb.read_worldbank(zb.paths.datasets .. "/indicators.csv") end, "not a World Bank download",
        "a table that is no World Bank download")
-- one value that is no number would make its year's column text: refused, with its line
local texty_wb = T.file(dir, "wb_text.csv", "Country Name,Country Code,Indicator Name,Indicator Code,2000,2001\n" ..
                        "China,CHN,GDP,NY.GDP,100,110\nIndia,IND,GDP,NY.GDP,abc,50\n")
T.fails(function() zb.read_worldbank(texty_wb) end,
        texty_wb .. ":3: column 2000 holds 'abc' (Country Name India), not a number",
        "read_worldbank: a value that is no number is refused, naming its line, column and country")
local texty_nbs = T.file(dir, "nbs_text.csv", "地区,2022年,2023年\n北京市,41610.9,43760.7\n天津市,16311.3,e\n")
T.fails(function() zb.read_nbs(texty_nbs) end, texty_nbs .. ":3: column 2023年 holds 'e' (地区 天津市), not a number",
        "read_nbs: likewise")
-- values that a number's parser in some language takes, but read_csv does
-- not (so their column was text): each refused, the others' numbers read
for i, v in ipairs{" 12 ", "0x1A", "1e400", "12.5 ", "0571"} do
  local f = T.file(dir, "nbs_odd" .. i .. ".csv", "地区,2024年,2023年\n北京,1.5,2\n上海," .. v .. ",3\n")
  T.fails(function() zb.read_nbs(f) end, f .. ":3: column 2024年 holds '" .. v .. "' (地区 上海), not a number",
          "read_nbs refuses '" .. v .. "', which made its column text")
end
local odd_sdmx = T.file(dir, "odd_sdmx.csv", 'DATAFLOW,TIME_PERIOD,OBS_VALUE\nX,2020,1\nX,2021," 9.3 "\n')
T.fails(function() zb.read_sdmx(odd_sdmx) end, "odd_sdmx.csv:3: column OBS_VALUE holds ' 9.3 ' (TIME_PERIOD 2021)",
        "read_sdmx refuses an OBS_VALUE with spaces about it")
T.eq(zb.sql("select count(*) from sqlite_schema where name in ('wb_text', 'nbs_text')"):value(), 0,
     "... and neither leaves a table behind")
T.eq(zb.sql("select count(*) from sqlite_schema where name in ('hangzhou-2021', 'indicators')"):value(), 0,
     "a file refused by read_nbs or read_worldbank leaves no table behind")
T.ok(pcall(zb.read_csv, zb.paths.datasets .. "/indicators.csv"), "... so the file can then be loaded by its name")
T.cleanup()
T.done()
