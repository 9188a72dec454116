-- zb.releases: two releases of one statistic side by side (a first
-- release and a revised yearbook series), as a table method:
--
--   earlier:revisions{later = t, key = {"city", "year"}, value = "gdp" [, later_value = "gdp"]}
--
-- a row per key of either: the earlier and the later value, the revision
-- (later - earlier) and the % revision, and a status: revised, unchanged,
-- filled (NULL before), withdrawn (NULL after), only earlier, only later.
-- A key twice in one release, releases whose keys never meet or are held
-- as different kinds (2021 and '2021'), or a value in different units
-- (t.units), are errors naming them.
local tools = require("zb.analysis.indicators")
local T = require("zb.relation.table")
local errors = require("zb.host.errors")
errors.own()

local quote = zb.engine.dialect.quote
local raise_for, has_column = tools.raise_for, tools.has_column

T.define{name = "revisions", doc = "this release against a later one, per key: earlier, later, revision, " ..
         "revision_pct and status (revised, unchanged, only earlier, only later)",
  options = {{"later", "any", what = "the later release, a table"}, {"key", "columns"}, {"value", "column"},
             {"later_value", "name", optional = true}},
  body = function(t, spec)
    local later = spec.later
    if not T.is_table(later) then raise_for("revisions", "later must be a table (the later release)") end
    local keys = type(spec.key) == "string" and {spec.key} or spec.key
    local later_value = spec.later_value or spec.value
    local wanted = {table.unpack(keys)}
    wanted[#wanted + 1] = later_value
    for _, c in ipairs(wanted) do
      if not has_column(later, c) then
        raise_for("revisions", string.format("the later release has no column %s (columns: %s)", c,
                                             table.concat(later.columns, ", ")))
      end
    end
    -- one statistic in two units is no revision: 1 亿元 against 10000 万元 would read as a change
    local unit, later_unit = (t.units or {})[spec.value], (later.units or {})[later_value]
    if unit and later_unit and unit ~= later_unit then
      raise_for("revisions", string.format("%s is in %s in this release and %s in the later one; convert one first " ..
                                           "(t:convert{%s = \"%s\"})", spec.value, unit, later_unit, later_value, unit))
    end
    -- a key held as a number in one release and as text in the other never meets itself
    local function kinds_of(tbl, key)
      local kinds = {}
      for r in tbl:select({k = zb.engine.dialect.kind_of(quote(key))}):distinct():rows() do
        if r.k ~= "null" then kinds[#kinds + 1] = r.k end
      end
      table.sort(kinds)
      return table.concat(kinds, " and ")
    end
    for _, key in ipairs(keys) do
      local a, b = kinds_of(t, key), kinds_of(later, key)
      if a ~= b and a ~= "" and b ~= "" then
        raise_for("revisions", string.format("key %s holds %s in this release and %s in the later one: its values " ..
                                             "would not meet (2021 against '2021'); make them alike first", key, a, b))
      end
    end
    local hint = "add the column that tells the rows apart to key"
    tools.check(t, "revisions", {keys = keys, numbers = {spec.value}, need = "one value per key in a release", hint = hint})
    tools.check(later, "revisions", {keys = keys, numbers = {later_value}, need = "one value per key in a release",
                                     hint = hint})
    local function side(tbl, value, name, mark)
      local cols = {table.unpack(keys)}
      cols[#cols + 1] = {[name] = quote(value)}
      cols[#cols + 1] = {[mark] = "1"}
      return tbl:select(table.unpack(cols))
    end
    local both = side(t, spec.value, "earlier", "zb_in_earlier"):join(side(later, later_value, "later", "zb_in_later"),
                                                                   keys, "full")
    if #t > 0 and #later > 0 and #both:where("zb_in_earlier = 1 AND zb_in_later = 1") == 0 then
      raise_for("revisions", string.format("no key of this release is in the later one (%s): are they written alike " ..
                                           "(2021 and '2021', 杭州 and 杭州市)?", table.concat(keys, ", ")))
    end
    local cols = {table.unpack(keys)}
    for _, c in ipairs{"earlier", "later"} do cols[#cols + 1] = c end
    cols[#cols + 1] = {revision = "later - earlier"}
    cols[#cols + 1] = {revision_pct = "growth(later, earlier)"}
    local unchanged = zb.engine.dialect.same("earlier", "later")
    cols[#cols + 1] = {status = "CASE WHEN zb_in_earlier IS NULL THEN 'only later' WHEN zb_in_later IS NULL " ..
                                "THEN 'only earlier' WHEN " .. unchanged .. " THEN 'unchanged' WHEN earlier IS NULL " ..
                                "THEN 'filled' WHEN later IS NULL THEN 'withdrawn' ELSE 'revised' END"}
    return both:select(table.unpack(cols))
  end}

return true
