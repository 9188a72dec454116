-- zb.releases: two releases of one statistic side by side (a first
-- release and a revised yearbook series), as a table method:
--
--   earlier:revisions{later = t, key = {"city", "year"}, value = "gdp" [, later_value = "gdp"]}
--
-- a row per key of either: the earlier and the later value, the revision
-- (later - earlier) and the % revision, and a status: revised, unchanged,
-- only earlier, only later.  A key twice in one release, or releases whose
-- keys never meet (written differently), are errors naming them.
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
    cols[#cols + 1] = {status = "CASE WHEN zb_in_earlier IS NULL THEN 'only later' WHEN zb_in_later IS NULL " ..
                                "THEN 'only earlier' WHEN earlier IS later THEN 'unchanged' ELSE 'revised' END"}
    return both:select(table.unpack(cols))
  end}

return true
