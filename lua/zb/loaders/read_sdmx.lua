-- zb.read_sdmx(path [, opts]): an SDMX-CSV file (1.0: a first column
-- DATAFLOW; 2.0: STRUCTURE, STRUCTURE_ID and ACTION first) as a long
-- table, every column kept: the dimensions, TIME_PERIOD (the time: its
-- periods recognised as read_csv does), OBS_VALUE (the value, numbers)
-- and the attributes.  UNIT_MULT (the value is in 10^UNIT_MULT units) is
-- applied only when asked: opts.unit_mult = true multiplies OBS_VALUE by
-- it, as a decimal shift (1.15 at 2 is 115), and sets UNIT_MULT to 0.
-- Rows whose ACTION is D (2.0's deletions) are left out, said in the notes.  opts: name, replace, unit_mult, vintage,
-- source, notes, and read_csv's skip and skip_footer.
local errors = require("zb.host.errors")
errors.own()

local has_column = require("zb.analysis.indicators").has_column

-- v x 10^k as the decimal v was written in moved k places (1.15 and 2:
-- 115, where 1.15 * 100 is 114.99999999999999): v's shortest decimal,
-- its exponent raised by k, read back.
local function shifted(v, k)
  local text
  for digits = 15, 17 do
    text = string.format("%." .. digits .. "g", v)
    if tonumber(text) == v then break end
  end
  local mantissa, exponent = text:match("^(.-)e([-+]%d+)$")
  return tonumber(string.format("%se%d", mantissa or text, (tonumber(exponent) or 0) + k))
end

-- Multiply the table's values by 10^UNIT_MULT (shifted), UNIT_MULT then 0:
-- each distinct pair computed once, through a temporary table.
local function apply_unit_mult(engine, path, name, value, mult)
  local pairs_found = zb.sql(string.format("select distinct %s as v, %s as k from %s where %s is not null and %s <> 0 " ..
                                           "and %s is not null", value, mult, name, mult, mult, value))
  engine.exec("create temp table zb_unit_mult (v double precision, k integer, shifted double precision)")
  for r in pairs_found:rows() do
    if math.type(r.k) ~= "integer" and not (type(r.k) == "number" and r.k == math.floor(r.k)) then
      errors.raise(string.format("%s: UNIT_MULT %s, not a whole number (a power of ten)", path, tostring(r.k)))
    end
    engine.exec("insert into zb_unit_mult values (?, ?, ?)", r.v, math.tointeger(r.k), shifted(r.v, math.tointeger(r.k)))
  end
  engine.exec(string.format("update %s set %s = (select shifted from zb_unit_mult where v = %s and k = %s), %s = 0 " ..
                            "where %s is not null and %s <> 0 and %s is not null", name, value, value, mult, mult, mult,
                            mult, value))
  engine.exec(string.format("update %s set %s = 0 where %s is not null and %s <> 0", name, mult, mult, mult))
  engine.exec("drop table zb_unit_mult")
end

-- notes (a list, or nil) with line added.
local function notes_with(notes, line)
  local out = {}
  for i, note in ipairs(notes or {}) do out[i] = note end
  out[#out + 1] = line
  return out
end

-- through C: a tail call to it keeps the user's line (zb.core.keep_caller)
return require("zb.core").keep_caller(function(path, opts)
  if type(path) ~= "string" then errors.raise("bad argument #1 to 'read_sdmx' (a file name expected)") end
  opts = require("zb.host.options").check("read_sdmx", opts, {name = "string", replace = "boolean", unit_mult = "boolean",
                                                              vintage = "string", source = "string", notes = "string",
                                                              skip = "integer", skip_footer = "integer"})
  local given = {}
  for k, v in pairs(opts) do given[k] = v end
  given.unit_mult = nil
  local engine, catalog = zb.engine, require("zb.relation.catalog")
  -- a file that is no SDMX-CSV leaves no table behind; errors at the user's line
  return require("zb.loaders.loading").atomically(opts, function()
    local t = zb.read_csv(path, given)
    local columns, version = t.columns, nil
    if columns[1] == "DATAFLOW" then version = "1.0"
    elseif columns[1] == "STRUCTURE" and has_column(t, "STRUCTURE_ID") then version = "2.0" end
    if not version or not has_column(t, "TIME_PERIOD") or not has_column(t, "OBS_VALUE") then
      local other = require("zb.loaders.wide_values").other_download(t, "read_sdmx")
      errors.raise(string.format("%s: not SDMX-CSV: expected a first column DATAFLOW (1.0) or STRUCTURE (2.0), and the " ..
                                 "columns TIME_PERIOD and OBS_VALUE (columns: %s)%s", path, table.concat(columns, ", "), other))
    end
    local quote = zb.names.quote
    local name = t.name
    -- SDMX-CSV 2.0's ACTION D marks a deletion, no observation: left out, and said in the notes
    local deleted = has_column(t, "ACTION") and t:where{ACTION = "D"}:count() or 0
    if deleted > 0 then
      engine.exec(string.format("delete from %s where %s = 'D'", quote(name), quote("ACTION")))
      require("zb.relation.catalog").amend(name, {notes = notes_with(t.meta.notes, string.format(
        "%d row%s with ACTION D (a deletion, not an observation) left out", deleted, deleted == 1 and "" or "s"))})
    end
    require("zb.loaders.wide_values").numbers_only(path, t, {"OBS_VALUE"}, "TIME_PERIOD")
    if opts.unit_mult then
      if not has_column(t, "UNIT_MULT") then errors.raise(path .. ": unit_mult = true, but the file has no UNIT_MULT column") end
      apply_unit_mult(engine, path, quote(name), quote("OBS_VALUE"), quote("UNIT_MULT"))
    end
    catalog.amend(name, {loader = "read_sdmx", format = "SDMX-CSV " .. version, unit_mult_applied = opts.unit_mult or nil})
    return zb.table(name)
  end)
end)
