-- zb.indicators: derived indicators as zb.Table methods, each compiled to
-- SQL (window functions within groups) like every other method.
--
--   t:ratio{num =, den = [, name = "ratio"]}              num / den (NULL for /0)
--   t:share{value = [, by =] [, name = "share"]}          % of the group's total
--   t:yoy{value =, time = [, by =] [, step = 1]}          % change from the period before
--   t:lag{value =, time = [, by =] [, n = 1]}, t:lead{...} the value n periods before, after
--   t:index{value =, time =, base = [, by =]}             base period = 100
--   t:rank{value = [, by =] [, desc = true] [, method = "competition"|"dense"]}
--   t:moving{value =, time = [, by =] [, n = 3] [, fn = "avg"]}  over the last n periods
--   t:cagr{value =, time = [, by =]}                      a row a group: first, last, years, cagr (%)
--   t:gap{key =, a =, b =, value = [, by =]}              a and b side by side, difference and ratio
--   t:convert{value = "万元" [, unit = "unit"]}            values into a unit, from the unit column
--   t:progress{actual =, target = [, name = "progress"] [, remaining = "remaining"]}
--                                                         completion (%) and what is left
--
-- by is a column or a list of them; name the new column (defaults above, or
-- the method's name).  Values (base, a, b) are written into the SQL as
-- quoted literals.
local quote = zb.names.quote
local errors = require("zb.errors")
errors.own()

return function(T)
  local methods = T.methods
  T.docs = {
    ratio = {"{num =, den = [, name =]}", "num / den (NULL when den is 0)"},
    share = {"{value = [, by =] [, name =]}", "the value as % of its group's total"},
    yoy = {"{value =, time = [, by =] [, step = 1]}", "% change from the period before (NULL across a gap)"},
    lag = {"{value =, time = [, by =] [, n = 1]}", "the value n rows before in time order (rows, not periods)"},
    lead = {"{value =, time = [, by =] [, n = 1]}", "the value n rows after in time order"},
    index = {"{value =, time =, base = [, by =]}", "the value with the base period = 100"},
    rank = {"{value = [, by =] [, desc = true] [, method = \"competition\"|\"dense\"]}", "rank within groups"},
    moving = {"{value =, time = [, by =] [, n = 3] [, fn = \"avg\"]}", "fn over the last n rows in time order"},
    cagr = {"{value =, time = [, by =]}", "a row a group: first, last, years spanned, compound annual growth %"},
    gap = {"{key =, a =, b =, value = [, by =]}", "values a and b of key side by side, their difference and ratio"},
    convert = {"{value = \"万元\" [, unit = \"unit\"]}", "values into a unit, from each row's unit column"},
    progress = {"{actual =, target = [, name =] [, remaining =]}", "completion (%) of a target and what is left"},
  }

  local function fail(who, msg)
    errors.raise(who .. ": " .. msg)
  end

  -- The option's column, checked against t's columns.
  local function column(t, who, spec, key, optional)
    local name = spec[key]
    if name == nil and optional then return nil end
    if type(name) ~= "string" then fail(who, string.format("%s must be a column name", key)) end
    for _, c in ipairs(t.columns) do
      if c == name then return quote(name) end
    end
    fail(who, string.format("no such column: %s (columns: %s)", name, table.concat(t.columns, ", ")))
  end

  local function columns(t, who, spec, key)
    local list = spec[key]
    if list == nil then return {} end
    if type(list) == "string" then list = {list} end
    if type(list) ~= "table" then fail(who, key .. " must be a column or a list of columns") end
    local out = {}
    for i, name in ipairs(list) do out[i] = column(t, who, {x = name}, "x") end
    return out
  end

  local function window(t, who, spec, with_order)
    local by = columns(t, who, spec, "by")
    local parts = {}
    if #by > 0 then parts[#parts + 1] = "PARTITION BY " .. table.concat(by, ", ") end
    if with_order then parts[#parts + 1] = "ORDER BY " .. column(t, who, spec, "time") end
    return "OVER (" .. table.concat(parts, " ") .. ")"
  end

  -- A value as an SQL literal: numbers exactly, text quoted.
  local function literal(who, v)
    if math.type(v) == "integer" then return string.format("%d", v) end
    if math.type(v) == "float" then return string.format("%.17g", v) end
    if type(v) == "string" then return "'" .. v:gsub("'", "''") .. "'" end
    fail(who, "expected a number or a string, got a " .. type(v))
  end

  -- Each method's options: the keys of its doc line, and name.
  local allowed = {}
  for method, doc in pairs(T.docs) do
    allowed[method] = {name = true}
    for key in doc[1]:gmatch("([%a_]+) =") do allowed[method][key] = true end
  end

  local function options(who, spec)
    if type(spec) ~= "table" then errors.raise(string.format("bad argument #1 to '%s' (a table of options expected)", who)) end
    for key in pairs(spec) do
      if not allowed[who][key] then
        local keys = {}
        for k in pairs(allowed[who]) do keys[#keys + 1] = k end
        table.sort(keys)
        fail(who, string.format("unknown option '%s' (options: %s)", tostring(key), table.concat(keys, ", ")))
      end
    end
    return spec
  end

  local function identifier(who, v, key)
    if type(v) ~= "string" or not v:match("^[%a_][%w_]*$") then fail(who, key .. " must be a function name") end
    return v
  end

  function methods.ratio(t, spec)
    options("ratio", spec)
    return t:mutate{[spec.name or "ratio"] = string.format("ratio(%s, %s)",
      column(t, "ratio", spec, "num"), column(t, "ratio", spec, "den"))}
  end

  function methods.share(t, spec)
    options("share", spec)
    local v = column(t, "share", spec, "value")
    return t:mutate{[spec.name or "share"] = string.format("100.0 * %s / sum(%s) %s", v, v, window(t, "share", spec))}
  end

  local function shifted(who, fn)
    return function(t, spec)
      options(who, spec)
      local n = spec.n or 1
      if math.type(n) ~= "integer" or n < 1 then fail(who, "n must be a whole number of periods, 1 or more") end
      return t:mutate{[spec.name or who] = string.format("%s(%s, %d) %s", fn, column(t, who, spec, "value"), n,
                                                         window(t, who, spec, true))}
    end
  end
  methods.lag = shifted("lag", "lag")
  methods.lead = shifted("lead", "lead")

  -- Growth against the row before in time; with step, only when that row is
  -- step periods earlier (a missing year gives NULL, not a two-year change).
  function methods.yoy(t, spec)
    options("yoy", spec)
    local v, time, w = column(t, "yoy", spec, "value"), column(t, "yoy", spec, "time"), window(t, "yoy", spec, true)
    local expr = string.format("growth(%s, lag(%s) %s)", v, v, w)
    if spec.step ~= false then
      expr = string.format("CASE WHEN %s - lag(%s) %s = %s THEN %s END", time, time, w, literal("yoy", spec.step or 1), expr)
    end
    return t:mutate{[spec.name or "yoy"] = expr}
  end

  function methods.index(t, spec)
    options("index", spec)
    if spec.base == nil then fail("index", "base (the base period) is required") end
    local v, time = column(t, "index", spec, "value"), column(t, "index", spec, "time")
    return t:mutate{[spec.name or "index"] = string.format("100.0 * %s / max(CASE WHEN %s = %s THEN %s END) %s",
      v, time, literal("index", spec.base), v, window(t, "index", spec))}
  end

  function methods.rank(t, spec)
    options("rank", spec)
    local method = spec.method or "competition"
    local fn = ({competition = "rank", dense = "dense_rank"})[method]
    if not fn then fail("rank", "method must be \"competition\" (1, 2, 2, 4) or \"dense\" (1, 2, 2, 3)") end
    local by = columns(t, "rank", spec, "by")
    local v = column(t, "rank", spec, "value")
    -- A missing value has no rank, and comes last so the others' ranks do not count it.
    local order = v .. " IS NULL, " .. v .. (spec.desc == false and " ASC" or " DESC")
    local over = (#by > 0 and "PARTITION BY " .. table.concat(by, ", ") .. " " or "") .. "ORDER BY " .. order
    return t:mutate{[spec.name or "rank"] = string.format("CASE WHEN %s IS NULL THEN NULL ELSE %s() OVER (%s) END", v, fn, over)}
  end

  function methods.moving(t, spec)
    options("moving", spec)
    local n = spec.n or 3
    if math.type(n) ~= "integer" or n < 1 then fail("moving", "n must be a whole number of periods, 1 or more") end
    local fn = identifier("moving", spec.fn or "avg", "fn")
    local by = columns(t, "moving", spec, "by")
    local over = (#by > 0 and "PARTITION BY " .. table.concat(by, ", ") .. " " or "") ..
                 "ORDER BY " .. column(t, "moving", spec, "time") ..
                 string.format(" ROWS BETWEEN %d PRECEDING AND CURRENT ROW", n - 1)
    return t:mutate{[spec.name or "moving_" .. fn] = string.format("%s(%s) OVER (%s)", fn, column(t, "moving", spec, "value"), over)}
  end

  function methods.cagr(t, spec)
    options("cagr", spec)
    local v, time = column(t, "cagr", spec, "value"), column(t, "cagr", spec, "time")
    local by = columns(t, "cagr", spec, "by")
    local whole = (#by > 0 and "PARTITION BY " .. table.concat(by, ", ") .. " " or "") ..
                  "ORDER BY " .. time .. " ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING"
    local keep = {}
    for i, b in ipairs(spec.by == nil and {} or (type(spec.by) == "string" and {spec.by} or spec.by)) do keep[i] = b end
    local spans = t:where(v .. " IS NOT NULL"):mutate{
      zb_first = string.format("first_value(%s) OVER (%s)", v, whole),
      zb_last = string.format("last_value(%s) OVER (%s)", v, whole),
      zb_from = string.format("first_value(%s) OVER (%s)", time, whole),
      zb_to = string.format("last_value(%s) OVER (%s)", time, whole)}
    keep[#keep + 1] = {from = "zb_from"}
    keep[#keep + 1] = {to = "zb_to"}
    keep[#keep + 1] = {first = "zb_first"}
    keep[#keep + 1] = {last = "zb_last"}
    return spans:select(table.unpack(keep)):distinct()
      :mutate{[spec.name or "cagr"] = "cagr(first, last, \"to\" - \"from\")"}
  end

  function methods.gap(t, spec)
    options("gap", spec)
    local key, v = column(t, "gap", spec, "key"), column(t, "gap", spec, "value")
    if spec.a == nil or spec.b == nil then fail("gap", "a and b (the two values of key to compare) are required") end
    local a_name, b_name = tostring(spec.a), tostring(spec.b)
    local by = spec.by == nil and {} or (type(spec.by) == "string" and {spec.by} or spec.by)
    columns(t, "gap", spec, "by")
    local pick = "max(CASE WHEN %s = %s THEN %s END)"
    local grouped = #by > 0 and t:group(table.unpack(by)) or t
    local wide = grouped:agg{[a_name] = string.format(pick, key, literal("gap", spec.a), v),
                             [b_name] = string.format(pick, key, literal("gap", spec.b), v)}
    local keep = {}
    for i, b in ipairs(by) do keep[i] = b end
    keep[#keep + 1] = a_name
    keep[#keep + 1] = b_name
    return wide:select(table.unpack(keep))
      :where(string.format("%s IS NOT NULL OR %s IS NOT NULL", quote(a_name), quote(b_name)))
      :mutate{difference = string.format("%s - %s", quote(a_name), quote(b_name)),
              ratio = string.format("ratio(%s, %s)", quote(a_name), quote(b_name))}
  end

  -- t:convert{value = "万元" [, unit = "unit"]}: each row's value from the
  -- unit in its unit column to the one given, and the unit column with it.
  function methods.convert(t, spec)
    options("convert", spec)
    local unit_col = column(t, "convert", {unit = spec.unit or "unit"}, "unit")
    local changes = {}
    for key, to in pairs(spec) do
      if key ~= "unit" then
        if type(to) ~= "string" then fail("convert", "give each column the unit to convert it to: {value = \"万元\"}") end
        if not zb.units.about(to) then fail("convert", string.format("unknown unit '%s'", to)) end
        changes[key] = string.format("convert_unit(%s, %s, %s)", column(t, "convert", {x = key}, "x"), unit_col,
                                     literal("convert", to))
        changes[spec.unit or "unit"] = literal("convert", to)
      end
    end
    return t:mutate(changes)
  end

  function methods.progress(t, spec)
    options("progress", spec)
    local actual, target = column(t, "progress", spec, "actual"), column(t, "progress", spec, "target")
    local name = spec.name or "progress"
    return t:mutate{[name] = string.format("100.0 * %s / nullif(%s, 0)", actual, target),
                    [spec.remaining or "remaining"] = string.format("max(%s - %s, 0)", target, actual)}
  end
end
