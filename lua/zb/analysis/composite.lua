-- zb.composite: composite indices (综合指数) from an indicator framework,
-- as the OECD/JRC Handbook on Constructing Composite Indicators (2008)
-- and R's COINr build them:
--
--   fw = zb.framework(rows [, {sum = 1}])   indicators grouped into dimensions (any depth), checked
--   t:normalise{framework =, id = [, method = "minmax"] [, range = {0, 100}] [, goalposts =] [, period =]}
--   t:weights{framework =, id = [, method = "equal"] [, period =]}  a row per node: its weight within its parent
--   t:aggregate{framework =, id = [, weights =] [, method = "mean"]}  a row per region: a column per node
--   t:composite{framework =, id = [, normalise =] [, range =] [, goalposts =] [, weights =] [, aggregate =]}
--   t:topsis{framework =, id = [, weights =]}               closeness to the ideal region, and its rank
--   scores:correlations{framework =, id =}                  each node's r with its parent and the index
--   zb.ahp(matrix, codes [, {inconsistent = true}])         weights from pairwise comparisons (层次分析法)
--   t:sensitivity{framework =, id = [, normalise = {...}] [, weights = {...}] [, aggregate = {...}]}
--                                                           each region's rank over every combination
--
-- The data is wide, as COINr's iData: a row per region (id), a column per
-- indicator, named by its code.  Directions are applied before
-- normalisation (a negative indicator's values are multiplied by -1, as
-- COINr does); a missing value (NULL) is left out of a weighted mean, the
-- weights of the values present renormalised, and counted per region and
-- node.  What would give a wrong number without an error is refused,
-- naming the value: an id twice, text among numbers, a non-positive value
-- under a geometric or harmonic mean, a negative one under entropy.
local T = require("zb.relation.table")
local errors = require("zb.host.errors")
local engine = zb.engine
errors.own()

local quote = zb.engine.dialect.quote
-- A list of n entries to come, some nil: room made for them at once.
local core = require("zb.core")
local new_list = core.new_list

local M = {}

local function raise_for(who, fmt, ...)
  errors.raise(who .. ": " .. string.format(fmt, ...))
end

---------------------------------------------------------------------------
-- The framework

local directions = {[1] = 1, [-1] = -1, ["1"] = 1, ["-1"] = -1, ["正向"] = 1, ["逆向"] = -1,
                    positive = 1, negative = -1}
local bands = {["适度"] = true, band = true}  -- a target band: TargetLow to TargetHigh is best
local kinds = {indicator = "Indicator", aggregate = "Aggregate"}
local ignored = {group = true, denominator = true, other = true}  -- COINr's Types that are not nodes

local Framework = {}
Framework.__index = Framework

-- A row's field under COINr's name or zb's lower-case one.
local function field(row, coinr, own)
  local v = row[coinr]
  if v == nil then v = row[own] end
  return v
end

-- "a, b, c" of a list's first few entries.
local function listed(list)
  local shown = {}
  for i = 1, math.min(#list, 8) do shown[i] = tostring(list[i]) end
  return table.concat(shown, ", ") .. (#list > 8 and string.format(" ... (%d in all)", #list) or "")
end

-- A number for a message: as few digits as read back the same.
local function shown(x)
  if math.type(x) ~= "float" then return tostring(x) end
  if x ~= x then return "NaN" end
  if x == math.huge or x == -math.huge then return x > 0 and "inf" or "-inf" end
  for digits = 1, 17 do
    local s = string.format("%." .. digits .. "g", x)
    if tonumber(s) == x then return s end
  end
end

-- Whether w can weigh a node: a number, 0 or more, finite.
local function is_weight(w)
  return type(w) == "number" and w >= 0 and w < math.huge
end

local function number_or_nil(who, v, what)
  if v == nil or math.type(v) then return v end
  local n = type(v) == "string" and tonumber(v)
  if not n then raise_for(who, "%s is %s, not a number", what, tostring(v)) end
  return n
end

-- The nodes of rows: code, name, parent, type, direction, weight, level.
local function read_nodes(rows)
  local nodes, by = {}, {}
  for i, row in ipairs(rows) do
    if type(row) ~= "table" then raise_for("framework", "row %d is a %s, not a table", i, type(row)) end
    local kind = field(row, "Type", "type")
    kind = kind ~= nil and tostring(kind):lower() or nil
    if not (kind and ignored[kind]) then
      local code = field(row, "iCode", "code")
      if type(code) ~= "string" or code == "" then
        raise_for("framework", "row %d has no code (iCode): %s", i, tostring(code))
      end
      if by[code] then raise_for("framework", "the code %s is there twice (rows %d and %d)", code, by[code].row, i) end
      if kind and not kinds[kind] then
        raise_for("framework", "%s has Type %s (Indicator, Aggregate, or Group, Denominator, Other to leave out)",
                  code, tostring(field(row, "Type", "type")))
      end
      local node = {code = code, row = i, name = field(row, "iName", "name"), parent = field(row, "Parent", "parent"),
                    kind = kind and kinds[kind], direction = field(row, "Direction", "direction"),
                    weight = number_or_nil("framework", field(row, "Weight", "weight"), "the weight of " .. code),
                    low = number_or_nil("framework", field(row, "TargetLow", "target_low"), "the TargetLow of " .. code),
                    high = number_or_nil("framework", field(row, "TargetHigh", "target_high"),
                                         "the TargetHigh of " .. code),
                    level = number_or_nil("framework", field(row, "Level", "level"), "the level of " .. code),
                    children = {}}
      if node.parent == "" then node.parent = nil end
      nodes[#nodes + 1], by[code] = node, node
    end
  end
  if #nodes == 0 then raise_for("framework", "no nodes: give rows with iCode, Parent, Direction, Weight") end
  return nodes, by
end

-- Raise when following parents from a node comes back to it.
local function check_cycles(nodes, by)
  for _, node in ipairs(nodes) do
    local path, seen, at = {node.code}, {[node] = true}, by[node.parent]
    while at do
      path[#path + 1] = at.code
      if at == node then raise_for("framework", "a cycle: %s", table.concat(path, " → ")) end
      if seen[at] then break end  -- a cycle not through node: found from one of its own
      seen[at], at = true, by[at.parent]
    end
  end
end

-- An indicator's direction as 1 or -1; a band (适度) indicator's is -1,
-- its values becoming their distance to the band {TargetLow, TargetHigh}.
local function check_direction(node)
  if node.direction == nil then
    raise_for("framework", "the indicator %s has no direction (1 or 正向, -1 or 逆向, 适度 with TargetLow and " ..
              "TargetHigh)", node.code)
  end
  if bands[node.direction] then
    if not (node.low and node.high and node.low <= node.high) then
      raise_for("framework", "the indicator %s is 适度 (a target band): give TargetLow and TargetHigh, low <= high " ..
                "(got %s and %s)", node.code, tostring(node.low), tostring(node.high))
    end
    node.band, node.direction = {node.low, node.high}, -1
    return
  end
  if node.low or node.high then
    raise_for("framework", "the indicator %s has TargetLow or TargetHigh but direction %s: a band is 适度",
              node.code, tostring(node.direction))
  end
  local d = directions[node.direction]
  if not d then
    raise_for("framework", "the indicator %s has direction %s; give 1 (正向, positive), -1 (逆向, negative) or 适度 " ..
              "(a target band)", node.code, tostring(node.direction))
  end
  node.direction = d
end

-- The framework's shape: parents known, one top node, indicators as the
-- leaves, levels consistent, directions of indicators.
local function link(nodes, by)
  local tops = {}
  for _, node in ipairs(nodes) do
    if node.parent == nil then tops[#tops + 1] = node.code
    else
      local parent = by[node.parent]
      if not parent then
        raise_for("framework", "the parent %s of %s is not a code of the framework", tostring(node.parent), node.code)
      end
      parent.children[#parent.children + 1] = node
    end
  end
  check_cycles(nodes, by)
  if #tops ~= 1 then
    raise_for("framework", "%s top nodes (%s): one node, the index, must have no parent", #tops, listed(tops))
  end
  for _, node in ipairs(nodes) do
    if node.level and not (node.level >= 1 and math.tointeger(node.level)) then
      raise_for("framework", "%s has Level %s; a level is a whole number, 1 for an indicator", node.code, shown(node.level))
    end
    local kind = node.kind or (node.level and (node.level == 1 and "Indicator" or "Aggregate"))
                 or (#node.children == 0 and "Indicator" or "Aggregate")
    node.kind = kind
    if kind == "Indicator" and #node.children > 0 then
      local codes = {}
      for i, c in ipairs(node.children) do codes[i] = c.code end
      raise_for("framework", "the indicator %s has children (%s): make it an Aggregate", node.code, listed(codes))
    end
    if kind == "Aggregate" and #node.children == 0 then
      raise_for("framework", "the dimension %s is empty: it has no indicators", node.code)
    end
    if kind == "Indicator" then
      check_direction(node)
    elseif node.direction ~= nil and directions[node.direction] ~= 1 then
      raise_for("framework", "the dimension %s has direction %s; directions belong to indicators (give each of its " ..
                "indicators its own)", node.code, tostring(node.direction))
    end
    if node.weight and not is_weight(node.weight) then
      raise_for("framework", "the weight of %s is %s; weights are finite numbers, 0 or more", node.code, shown(node.weight))
    end
  end
  return by[tops[1]]
end

-- Each node's level: 1 for indicators, one above its highest child; a
-- level given must be that.
local function levels(node)
  local level = 1
  for _, c in ipairs(node.children) do level = math.max(level, levels(c) + 1) end
  if node.level and node.level ~= level then
    raise_for("framework", "%s has Level %s, but its place in the framework is level %d (indicators are 1)",
              node.code, tostring(node.level), level)
  end
  node.level = level
  return level
end

-- Raise when the weights of a node's children do not sum to sum.
local function check_sums(node, sum)
  if #node.children == 0 then return end
  local total, parts = 0, {}
  for i, c in ipairs(node.children) do
    if c.weight == nil then raise_for("framework", "%s has no weight, and the weights must sum to %s", c.code, sum) end
    total = total + c.weight
    parts[i] = c.code .. " " .. tostring(c.weight)
  end
  if math.abs(total - sum) > 1e-9 * math.max(1, math.abs(sum)) then
    raise_for("framework", "the weights under %s sum to %.15g, not %s (%s)", node.code, total, tostring(sum),
              table.concat(parts, ", "))
  end
  for _, c in ipairs(node.children) do check_sums(c, sum) end
end

-- zb.framework(spec [, opts]): spec a list of rows (Lua tables) or a
-- zb.Table, with COINr's columns (iCode, iName, Level, Parent, Direction,
-- Weight, Type) or zb's lower-case names (code, name, ...).
function M.framework(spec, opts)
  opts = zb.options.check("framework", opts, {sum = "number"})
  local rows = spec
  if T.is_table(spec) then
    rows = {}
    for r in spec:rows() do
      local row = {}
      for _, c in ipairs(spec.columns) do row[c] = r[c] end
      rows[#rows + 1] = row
    end
  elseif type(spec) ~= "table" then
    errors.raise("bad argument #1 to 'framework' (a list of rows or a table expected, got " .. type(spec) .. ")")
  end
  local nodes, by = read_nodes(rows)
  local top = link(nodes, by)
  levels(top)
  if opts.sum then check_sums(top, opts.sum) end
  local fw = setmetatable({nodes = nodes, by = by, top = top, indicators = {}, aggregates = {}}, Framework)
  local function walk(node)  -- indicators in the order given; aggregates children first
    for _, c in ipairs(node.children) do walk(c) end
    local list = node.kind == "Indicator" and fw.indicators or fw.aggregates
    list[#list + 1] = node
  end
  walk(top)
  return fw
end

local node_columns = {"iCode", "iName", "Level", "Parent", "Direction", "Weight", "Type", "TargetLow", "TargetHigh"}

-- The framework as a table with COINr's columns (and a band's), a row per node.
function Framework:table()
  local rows = {}
  for i, n in ipairs(self.nodes) do
    local band = n.band or {}
    rows[i] = {n.code, n.name, n.level, n.parent, n.band and "适度" or n.direction, n.weight, n.kind, band[1], band[2],
               n = 9}
  end
  return M.result("framework", node_columns, rows)
end

function Framework:__tostring()
  return tostring(self:table())
end

-- A framework of columns alone: each an indicator under "index", positive
-- unless listed in negative.
local function flat(columns, negative)
  local minus = {}
  for _, c in ipairs(negative or {}) do minus[c] = true end
  local rows = {{iCode = "score"}}
  for _, c in ipairs(columns) do
    rows[#rows + 1] = {iCode = c, Parent = "score", Direction = minus[c] and -1 or 1}
  end
  return M.framework(rows)
end

---------------------------------------------------------------------------
-- Data in and tables out

-- A table of Lua values: columns (names) and chunks of their values
-- (chunks() gives lists, a list of values by row for each column, and
-- order, the rows in order, until it gives nil), stored in a new temporary
-- table of the session (zb_result_N, not listed among the user's
-- tables), so that the rows are read once, and every use of the result
-- reads them from there: a query over a JSON parameter would parse it
-- again for each cell at each use.
local made = 0  -- results stored so far
local function stored(who, columns, chunks)
  local seen = {}
  for _, name in ipairs(columns) do
    local folded = name:gsub("%a", string.lower)  -- SQL's names ignore ASCII case: E and e are one column
    if seen[folded] then
      raise_for(who, "the column %s would be there twice in the result%s: the id, the period, the framework's " ..
                "codes and the columns %s adds each need a name of their own", name,
                seen[folded] ~= name and " (as " .. seen[folded] .. ": SQL's names ignore case)" or "", who)
    end
    seen[folded] = name
  end
  local name
  repeat  -- past one of the user's by that name
    made = made + 1
    name = "zb_result_" .. made
  until not engine.has_table(name, "temp")
  return zb.table(name, engine.store(name, columns, chunks))
end

-- chunks for stored giving lists and order once.
local function one_chunk(lists, order)
  local given = false
  return function()
    if given then return nil end
    given = true
    return lists, order
  end
end

-- A table of columns (names) and rows (lists with n), as stored; who
-- (the method) named in an error.
function M.result(who, columns, rows)
  local lists, order = {}, {}
  for c = 1, #columns do lists[c] = {} end
  for i, r in ipairs(rows) do
    order[i] = i
    for c = 1, #columns do lists[c][i] = r[c] end
  end
  return stored(who, columns, one_chunk(lists, order))
end

-- The framework of a method's spec: spec.framework, or the columns given.
local function framework_of(who, spec)
  local fw = spec.framework
  if fw == nil then
    if spec.columns == nil then raise_for(who, "give framework = zb.framework(...) or columns =") end
    return flat(type(spec.columns) == "string" and {spec.columns} or spec.columns,
                type(spec.negative) == "string" and {spec.negative} or spec.negative)
  end
  if getmetatable(fw) ~= Framework then fw = M.framework(fw) end
  return fw
end

-- A cell of column code as a number or nil, or an error naming it.
local function number_in(who, v, code, id, key)
  if type(v) == "string" then v = tonumber(v) or v end
  if v ~= nil and (type(v) ~= "number" or v ~= v or v == math.huge or v == -math.huge) then
    raise_for(who, "column %s holds %s (at %s = %s), not a number", code, tostring(v), id, tostring(key))
  end
  return v
end

-- The data of t: ids (a list), and values[code][i] for each of codes (a
-- number or nil), checked: each a column, each id once (each id and
-- period once, with more.period).  more.period, more.group: columns read
-- as they are into periods[i], groups[i].
local function read_data(who, t, id, codes, more)
  more = more or {}
  local columns = {}
  for _, c in ipairs(t.columns) do columns[c] = true end
  local unknown = {}
  for _, code in ipairs(codes) do
    if not columns[code] then unknown[#unknown + 1] = code end
  end
  if #unknown > 0 then
    raise_for(who, "the framework's %s not %s of the table (columns: %s)",
              #unknown == 1 and "indicator " .. unknown[1] .. " is" or "indicators " .. listed(unknown) .. " are",
              #unknown == 1 and "a column" or "columns", table.concat(t.columns, ", "))
  end
  local period, group = more.period, more.group
  local selected = {quote(id), quote(period or id), quote(group or id)}
  for _, code in ipairs(codes) do selected[#selected + 1] = quote(code) end
  local sql, given = t:sql()
  local lists, numeric = engine.read_columns("SELECT " .. table.concat(selected, ", ") .. " FROM (" .. sql .. ") AS s",
                                             table.pack(table.unpack(given or {})), true, 4)
  local n, ids, periods, groups = lists.n, lists[1], period and lists[2] or {}, group and lists[3] or {}
  if n == 0 then raise_for(who, "the table has no rows") end
  local seen, by_period = {}, {}
  for i = 1, n do
    local key = ids[i]
    if key == nil then raise_for(who, "a row has no %s (NULL)", id) end
    if period then  -- keyed as the periods' blocks and the ids' lookups key them: 2018.0 is 2018, as 1.0 is 1
      if periods[i] == nil then raise_for(who, "%s = %s has a row without %s (NULL)", id, tostring(key), period) end
      seen = by_period[periods[i]] or {}
      by_period[periods[i]] = seen
    end
    if seen[key] then
      raise_for(who, "%s = %s is there twice%s; one row a region%s is needed", id, tostring(key),
                period and " in " .. period .. " " .. tostring(periods[i]) or "", period and " and period" or "")
    end
    seen[key] = true
  end
  local values, math_type, huge = {}, math.type, math.huge
  for k, code in ipairs(codes) do
    local list = lists[3 + k]
    if not numeric[3 + k] then  -- text, or an infinity: numbers in text taken, the rest refused
      for i = 1, n do
        local v = list[i]
        if v ~= nil and (math_type(v) == nil or v ~= v or v == huge or v == -huge) then
          list[i] = number_in(who, v, code, id, ids[i])
        end
      end
    end
    values[code] = list
  end
  return ids, values, periods, groups
end

-- A band (适度) indicator's values as their distance to its band: 0
-- inside it, how far below or above outside (then a negative indicator).
local function band_distances(fw, values, n)
  for _, node in ipairs(fw.indicators) do
    if node.band then
      local lo, hi, xs, out = node.band[1], node.band[2], values[node.code], new_list(n)
      for i = 1, n do
        local x = xs[i]
        if x ~= nil then out[i] = x < lo and lo - x or x > hi and x - hi or 0 end
      end
      values[node.code] = out
    end
  end
  return values
end

-- xs's first n entries as a Lua list, for a loop in Lua: a vector (the
-- data as read, min-max's results) as a list, a list as it is.
local function lua_list(xs, n)
  return type(xs) == "table" and xs or core.composite_list(xs, n)
end

local function codes_of(list)
  local out = {}
  for i, node in ipairs(list) do out[i] = node.code end
  return out
end

---------------------------------------------------------------------------
-- Normalisation

-- The present values of xs (n entries): a list of them (with_list),
-- their count, min, max, mean and sum.  The hot loop of every step: no calls.
local function present(xs, n, with_list)
  local list, count, sum, lo, hi = with_list and {} or nil, 0, 0, math.huge, -math.huge
  for i = 1, n do
    local x = xs[i]
    if x ~= nil then
      count = count + 1
      if list then list[count] = x end
      sum = sum + x
      if x < lo then lo = x end
      if x > hi then hi = x end
    end
  end
  return list, count, lo, hi, count > 0 and sum / count or nil, sum
end

-- The sample standard deviation (n - 1) of the present values.
local function sd_of(list, mean)
  if #list < 2 then return nil end
  local ss = 0
  for _, x in ipairs(list) do ss = ss + (x - mean) ^ 2 end
  return math.sqrt(ss / (#list - 1))
end

-- Ranks of xs (n entries, nil kept nil), ties given their average rank,
-- 1 for the smallest (R's rank(ties.method = "average")), and how many
-- are ranked (the sort in C: src/bridge/composite.c); an integer beyond
-- 2^53, which a double cannot tell from its neighbours, refused by o.
local function ranks(xs, n, o)
  local out, count = core.composite_average_ranks(xs, n)
  if not out then o.refuse(count, "is %s, beyond 2^53: it cannot be ranked exactly", xs[count]) end
  return out, count
end

local normalisers = {}

-- (x - min) / (max - min) onto range; a constant indicator: NULL.
-- (The loop in C: src/bridge/composite.c; o.sign, the direction, applied
-- there; n may be the rows of xs to normalise, which C picks as it reads.)
function normalisers.minmax(xs, n, o)
  return core.composite_minmax(xs, n, o.sign or 1, o.range[1], o.range[2])
end

-- (x - mean) / sd (the sample's); a constant indicator: NULL (told by its
-- values, as its sd may miss 0 by the rounding of its mean).
function normalisers.zscore(xs, n)
  local list, _, lo, hi, mean = present(xs, n, true)
  local sd, out = sd_of(list, mean), new_list(n)
  if not sd or lo == hi then return out end
  for i = 1, n do
    if xs[i] ~= nil then out[i] = (xs[i] - mean) / sd end
  end
  return out
end

function normalisers.rank(xs, n, o)
  return (ranks(xs, n, o))
end

-- (rank - 1) / (count - 1): 0 for the lowest, 1 for the highest.
function normalisers.percentile(xs, n, o)
  local r, count = ranks(xs, n, o)
  local out = new_list(n)
  if count < 2 then return out end
  for i = 1, n do
    if r[i] then out[i] = (r[i] - 1) / (count - 1) end
  end
  return out
end

-- The ratio to the best: x / max (min / x for a negative indicator),
-- times the range's top; values must be positive.
function normalisers.best(xs, n, o)
  local _, count, lo, hi = present(xs, n)
  local out = new_list(n)
  for i = 1, n do
    if xs[i] ~= nil and xs[i] <= 0 then o.refuse(i, "is %s; the ratio to the best needs positive values", xs[i]) end
  end
  if count == 0 then return out end
  for i = 1, n do
    if xs[i] ~= nil then out[i] = (o.direction > 0 and xs[i] / hi or lo / xs[i]) * o.range[2] end
  end
  return out
end

-- The ratio to a reference region's value (COINr's distance to a
-- reference): x / x_ref (x_ref / x for a negative indicator), times the
-- range's top; values must be positive.
function normalisers.reference(xs, n, o)
  local ref, out = xs[o.reference], new_list(n)
  if ref == nil then o.refuse(o.reference, "is missing: no reference to normalise by%s", "") end
  for i = 1, n do
    if xs[i] ~= nil and xs[i] <= 0 then o.refuse(i, "is %s; the ratio to a reference needs positive values", xs[i]) end
  end
  for i = 1, n do
    if xs[i] ~= nil then out[i] = (o.direction > 0 and xs[i] / ref or ref / xs[i]) * o.range[2] end
  end
  return out
end

-- The distance from the lower goalpost to the upper, clipped to [0, 1],
-- onto range (for a negative indicator from the upper to the lower).
function normalisers.goalposts(xs, n, o)
  local posts = o.goalposts
  local lo, hi = posts[1], posts[2]
  local out = new_list(n)
  for i = 1, n do
    if xs[i] ~= nil then
      local f = o.direction > 0 and (xs[i] - lo) / (hi - lo) or (hi - xs[i]) / (hi - lo)
      f = math.max(0, math.min(1, f))
      out[i] = o.range[1] + f * (o.range[2] - o.range[1])
    end
  end
  return out
end

local method_names = {normalise = {"minmax", "zscore", "rank", "percentile", "best", "reference", "goalposts"},
                      weights = {"equal", "given", "entropy", "critic", "cv", "pca"},
                      aggregate = {"mean", "geometric", "harmonic", "copeland"}}

local function method_of(who, kind, name, default)
  name = name or default
  for _, m in ipairs(method_names[kind]) do
    if m == name then return name end
  end
  raise_for(who, "unknown %s method %s (methods: %s)", kind == "normalise" and "normalisation" or kind,
            tostring(name), table.concat(method_names[kind], ", "))
end

-- Whether v is {low, high}: finite numbers, low < high.
local function is_bounds(v)
  if type(v) ~= "table" or type(v[1]) ~= "number" or type(v[2]) ~= "number" then return false end
  local lo, hi = v[1], v[2]
  return lo > -math.huge and hi < math.huge and lo < hi
end

-- A range option: {low, high} with low < high.
local function range_of(who, range)
  range = range or {0, 100}
  if not is_bounds(range) then
    raise_for(who, "range must be {low, high} with low < high, got %s", zb.pretty(range))
  end
  return range
end

-- The range of spec and, for method goalposts, the goalposts by code,
-- checked: a spec's mistake, which a method names before any period's
-- work (an error inside one names the period).
local function shape_of(who, fw, spec, method)
  local range, posts = range_of(who, spec.range), {}
  if method == "goalposts" then
    if type(spec.goalposts) ~= "table" then
      raise_for(who, "goalposts = {code = {low, high}, ...} is needed for method goalposts")
    end
    for _, node in ipairs(fw.indicators) do
      posts[node.code] = spec.goalposts[node.code]
      if not is_bounds(posts[node.code]) then
        raise_for(who, "the goalposts of %s must be {low, high} with low < high, got %s", node.code,
                  zb.pretty(posts[node.code]))
      end
    end
    for code in pairs(spec.goalposts) do  -- a misspelt code would be goalposts that bound nothing
      if posts[code] == nil then raise_for(who, "goalposts names %s, not an indicator of the framework", tostring(code)) end
    end
  end
  if method == "reference" and spec.reference == nil then
    raise_for(who, "method reference needs reference = the region to compare with (a value of %s)", spec.id)
  end
  return range, posts
end

-- The row of the reference region (reference, an id): one row, as
-- periods normalised together (fixed = true) have one a period.
local function reference_row(who, ids, id, reference)
  local row
  for i, key in ipairs(ids) do
    if key == reference then
      if row then
        raise_for(who, "the reference %s = %s has a row in each period normalised together (fixed = true): no one " ..
                  "value to compare with (normalise each period alone, or use goalposts)", id, tostring(reference))
      end
      row = i
    end
  end
  if row then return row end
  raise_for(who, "the reference %s = %s is not a row of the data", id, tostring(reference))
end

-- The normalised values of each indicator (values[code]) by method; with
-- rows, those of values' rows that rows picks (ids are theirs), as a
-- period's among all rows.
local function normalise(who, fw, ids, values, id, spec, method, rows)
  local range, posts = shape_of(who, fw, spec, method)
  local out = {}
  for _, node in ipairs(fw.indicators) do
    local code, xs = node.code, values[node.code]
    local o = {range = range, direction = node.direction}
    function o.refuse(i, fmt, ...)
      raise_for(who, "%s of %s = %s " .. fmt, code, id, tostring(ids[i]), shown(...))
    end
    o.goalposts = posts[code]
    if method == "reference" then o.reference = reference_row(who, ids, id, spec.reference) end
    if method == "minmax" then  -- the direction applied as it reads them, the rows picked as it reads them
      o.sign = node.direction
      out[code] = normalisers.minmax(xs, rows or #ids, o)
    elseif rows then
      xs = core.composite_pick({xs}, rows)[1]
    else
      xs = lua_list(xs, #ids)
    end
    if method == "best" or method == "goalposts" or method == "reference" then
      out[code] = normalisers[method](xs, #ids, o)
    elseif method ~= "minmax" then  -- the direction first, as COINr
      local signed = xs  -- the normalisers leave their input as it is
      if node.direction ~= 1 then
        signed = {}
        for i = 1, #ids do signed[i] = xs[i] and xs[i] * node.direction end
      end
      out[code] = normalisers[method](signed, #ids, o)
    end
  end
  return out
end

local normalise_options = {{"framework", "any", "zb.framework(...)", optional = true},
                           {"columns", "columns", optional = true}, {"negative", "columns", optional = true},
                           {"id", "column"}}

local function options_with(list, more)
  local out = {table.unpack(normalise_options)}
  for _, o in ipairs(list) do out[#out + 1] = o end
  for _, o in ipairs(more or {}) do out[#out + 1] = o end
  return out
end

local shape_options = {{"range", "any", "{low, high}", optional = true},
                       {"goalposts", "any", "{code = {low, high}}", optional = true},
                       {"reference", "any", "a region's id", optional = true}}


---------------------------------------------------------------------------
-- Weights

-- Weights of the indicators from their values: w[code], note[code].
local objective = {}

-- The note of an indicator with count values, too few for a weight.
local function too_few(count)
  return count == 0 and "no values (a constant indicator normalises to NULL): weight 0" or "one value: weight 0"
end

-- The entropy method (熵权法): p = x / sum x, e = -sum p ln p / ln n,
-- weights in proportion to 1 - e.  Values must not be negative.
function objective.entropy(who, fw, ids, values, id)
  local d, note = {}, {}
  for _, node in ipairs(fw.indicators) do
    local code, xs = node.code, values[node.code]
    local count, lo, hi, e = core.composite_entropy(xs, #ids)  -- -sum p ln p in C: src/bridge/composite.c
    for i = 1, lo < 0 and #ids or 0 do  -- the first negative value named
      if xs[i] ~= nil and xs[i] < 0 then
        raise_for(who, "%s of %s = %s is %s; the entropy method needs values of 0 or more (normalise with minmax)",
                  code, id, tostring(ids[i]), shown(xs[i]))
      end
    end
    if count < 2 then d[code], note[code] = 0, too_few(count)
    elseif lo == hi then d[code], note[code] = 0, "constant: weight 0"
    else
      d[code] = math.max(0, 1 - e / math.log(count))
    end
  end
  return d, note
end

-- Pearson's r of two value lists over the entries both have; nil when
-- fewer than two are there, or either side is constant over them (a mean
-- may differ from a constant by a rounding).  (In C: the pairs of many
-- columns at once, core.composite_correlations.)
local function correlation(xs, ys, n)
  return core.composite_correlations({xs, ys}, n)[2][1]
end

-- CRITIC: each indicator's sd times the sum of (1 - r) with the others
-- (r over the regions both have; a constant indicator left out).
function objective.critic(who, fw, ids, values)
  local d, note, sd, live = {}, {}, {}, {}
  for _, node in ipairs(fw.indicators) do
    local list, _, lo, hi, mean = present(values[node.code], #ids, true)
    sd[node.code] = sd_of(list, mean)
    if not sd[node.code] then d[node.code], note[node.code] = 0, too_few(#list)
    elseif lo == hi then d[node.code], note[node.code] = 0, "constant: weight 0"
    else live[#live + 1] = node.code end
  end
  local conflict, columns = {}, {}
  for a, j in ipairs(live) do conflict[j], columns[a] = 0, values[j] end
  local rs = core.composite_correlations(columns, #ids)
  for a = 1, #live do  -- each pair once: r is symmetric
    for b = a + 1, #live do
      local j, k = live[a], live[b]
      local r = rs[a][b]
      if r == nil then
        raise_for(who, "%s and %s have no correlation over the regions both have (fewer than 2, or one constant " ..
                  "over them): CRITIC needs one", j, k)
      end
      conflict[j], conflict[k] = conflict[j] + (1 - r), conflict[k] + (1 - r)
    end
  end
  for _, j in ipairs(live) do d[j] = sd[j] * conflict[j] end
  return d, note
end

-- PCA (主成分分析法): the squared loadings of the first principal
-- component of the indicators' correlation matrix (r over the regions both
-- have), summing to 1; a constant indicator left out.
function objective.pca(who, fw, ids, values)
  local d, note, live = {}, {}, {}
  for _, node in ipairs(fw.indicators) do
    local list, _, lo, hi = present(values[node.code], #ids, true)
    if #list < 2 then d[node.code], note[node.code] = 0, too_few(#list)
    elseif lo == hi then d[node.code], note[node.code] = 0, "constant: weight 0"
    else live[#live + 1] = node.code end
  end
  local columns = {}
  for a, code in ipairs(live) do columns[a] = values[code] end
  local r = core.composite_correlations(columns, #ids)
  for a = 1, #live do
    r[a][a] = 1
    for b = 1, a - 1 do
      if r[a][b] == nil then
        raise_for(who, "%s and %s have no correlation over the regions both have: PCA needs one", live[b], live[a])
      end
    end
  end
  -- the eigenvalues and eigenvectors of r by Jacobi's rotations, in C
  local eigen, vectors = core.composite_eigen(r, #live)
  local first, second = 1, nil
  for k = 2, #live do
    if eigen[k] > eigen[first] then first, second = k, first
    elseif not second or eigen[k] > eigen[second] then second = k end
  end
  if second and eigen[first] - eigen[second] < 1e-9 * math.abs(eigen[first]) then
    raise_for(who, "the first two principal components explain as much (%s): PCA weights are not defined",
              shown(eigen[first]))
  end
  for a, code in ipairs(live) do d[code] = vectors[a][first] ^ 2 end
  return d, note
end

-- The coefficient of variation (变异系数法): sd / |mean| of each indicator.
function objective.cv(who, fw, ids, values)
  local d, note = {}, {}
  for _, node in ipairs(fw.indicators) do
    local list, _, lo, hi, mean = present(values[node.code], #ids, true)
    local sd = sd_of(list, mean)
    if not sd then d[node.code], note[node.code] = 0, too_few(#list)
    elseif lo == hi then d[node.code], note[node.code] = 0, "constant: weight 0"
    elseif lo < 0 and hi > 0 then  -- a mean near 0 by cancelling out would give it all the weight
      raise_for(who, "%s has values of both signs (%s to %s): its coefficient of variation means nothing; " ..
                "give cv values of one sign", node.code, shown(lo), shown(hi))
    else d[node.code] = sd / math.abs(mean) end
  end
  return d, note
end

-- Each node's weight within its parent (rel[code]) and notes: equal,
-- given (the framework's), or objective (from values: the indicators'
-- weights, a dimension's their sum).
-- Weights given (the framework's or the user's, rel[code]) checked: a
-- node that weighs in the index with every child's weight 0 would have
-- no mean, its score NULL for every region.
local function check_given(who, fw, rel)
  local function walk(node)
    if #node.children == 0 or rel[node.code] == 0 then return end
    local parts, sum = {}, 0
    for k, c in ipairs(node.children) do parts[k], sum = c.code .. " " .. shown(rel[c.code]), sum + rel[c.code] end
    if sum == 0 then
      raise_for(who, "the weights under %s are all 0 (%s): it would have no score", node.code, table.concat(parts, ", "))
    end
    for _, c in ipairs(node.children) do walk(c) end
  end
  walk(fw.top)
end

local function weigh(who, fw, method, ids, values, id)
  local rel, note = {}, {}
  rel[fw.top.code] = 1
  if method == "equal" or method == "given" then
    for _, node in ipairs(fw.aggregates) do
      for _, c in ipairs(node.children) do
        if method == "given" and c.weight == nil then
          raise_for(who, "%s has no weight in the framework (weights = \"given\")", c.code)
        end
        rel[c.code] = method == "given" and c.weight or 1
      end
    end
    check_given(who, fw, rel)
  else
    local lists = values
    if method ~= "entropy" then  -- their loops in Lua (entropy's is C's) index lists faster than vectors
      lists = {}
      for code, xs in pairs(values) do lists[code] = lua_list(xs, #ids) end
    end
    local d
    d, note = objective[method](who, fw, ids, lists, id)
    local total = 0
    for _, node in ipairs(fw.indicators) do total = total + d[node.code] end
    if total == 0 then
      local varying = {}  -- CRITIC's sd × Σ(1 - r) is 0 for one that varies too, when each r is +1 or it is alone
      for _, node in ipairs(fw.indicators) do
        if not note[node.code] then varying[#varying + 1] = node.code end
      end
      if #varying == 0 then raise_for(who, "every indicator is constant: %s gives no weights", method) end
      raise_for(who, "%s gives every indicator weight 0: %s %s", method, listed(varying), #varying == 1 and
                "varies, every other indicator is constant, and so it conflicts with none" or
                "vary but are correlated +1 with each other, so none conflicts with another")
    end
    for _, node in ipairs(fw.indicators) do rel[node.code] = d[node.code] / total end
    for _, node in ipairs(fw.aggregates) do  -- children first: a dimension's weight, its indicators' sum
      local sum = 0
      for _, c in ipairs(node.children) do sum = sum + rel[c.code] end
      if node ~= fw.top then rel[node.code] = sum end
    end
  end
  for _, node in ipairs(fw.aggregates) do  -- relative within each parent
    local sum = 0
    for _, c in ipairs(node.children) do sum = sum + rel[c.code] end
    for _, c in ipairs(node.children) do
      if sum == 0 then rel[c.code], note[c.code] = 0, note[c.code] or ("the weights under " .. node.code .. " are all 0")
      else rel[c.code] = rel[c.code] / sum end
    end
  end
  return rel, note
end

-- The weights table: a row per node, top down, for each of sets ({rel,
-- note} each); with period (a column's name), a row per period and node,
-- periods[k] leading the rows of sets[k].
local function weights_table(who, fw, sets, period, periods)
  local rows, lead = {}, period and 1 or 0
  for k, set in ipairs(sets) do
    local rel, note = set[1], set[2]
    local function walk(node, share)
      local global = share * rel[node.code]
      local row = {n = 7 + lead}
      if period then row[1] = periods[k] end
      row[lead + 1], row[lead + 2], row[lead + 3], row[lead + 4] = node.code, node.parent, node.kind, node.level
      row[lead + 5], row[lead + 6], row[lead + 7] = rel[node.code], global, note[node.code]
      rows[#rows + 1] = row
      for _, c in ipairs(node.children) do walk(c, global) end
    end
    walk(fw.top, 1)
  end
  local columns = {period, "code", "parent", "type", "level", "weight", "global", "note"}
  return M.result(who, period and columns or {table.unpack(columns, 2)}, rows)
end


---------------------------------------------------------------------------
-- Aggregation

-- Weights given as a table from t:weights (code, weight), or a Lua table
-- code -> weight: rel[code], every node but the top one's.
local function given_weights(who, fw, weights)
  local rel = {[fw.top.code] = 1}
  if T.is_table(weights) then
    local seen = {}
    for r in weights:rows() do  -- t:weights{period =}'s rows: a weight a period, the last one would be taken for all
      if seen[r.code] ~= nil and seen[r.code] ~= (r.weight or "NULL") then
        raise_for(who, "weights has %s twice, weighing %s and %s: one weight a node is needed; t:weights{period =} " ..
                  "gives a row per period and node, so pick one period's rows (w:where{...}), or give weights = the " ..
                  "method's name to weigh each period by its own rows", tostring(r.code), shown(seen[r.code]),
                  shown(r.weight or "NULL"))
      end
      seen[r.code], rel[r.code] = r.weight or "NULL", r.weight
    end
  else
    if type(weights[1]) == "string" then  -- codes are text: a list of methods, meant for t:sensitivity
      raise_for(who, "weights is a method's name, t:weights' table or {code = weight, ...}, got a list (%s): a list " ..
                "of choices is t:sensitivity's", listed(weights))
    end
    for k, v in pairs(weights) do rel[k] = v end
  end
  for code, w in pairs(rel) do
    if not fw.by[code] then raise_for(who, "weights has %s, not a code of the framework", tostring(code)) end
    if not is_weight(w) then raise_for(who, "the weight of %s is %s; weights are finite numbers, 0 or more", code, shown(w)) end
  end
  for _, node in ipairs(fw.nodes) do
    if rel[node.code] == nil then raise_for(who, "weights has no weight for %s", node.code) end
  end
  check_given(who, fw, rel)
  return rel
end

-- Copeland's outranking (the Handbook's non-compensatory aggregation):
-- region a beats b when the weights of the children where a is higher
-- outweigh those where b is; its score is its wins less its losses, over
-- the children both have (a region with none: NULL).  (In C: n^2/2 pairs.)
local function copeland(node, score, rel, n)
  local columns, weights = {}, {}
  for k, c in ipairs(node.children) do columns[k], weights[k] = score[c.code], rel[c.code] end
  return core.composite_copeland(columns, weights, n)
end

-- The mean of each aggregate node: given, a name for all, or a table of
-- names by level ({[2] = "geometric", [3] = "mean"}: each level of the
-- framework's aggregates).
local function means_of(who, fw, given)
  if type(given) ~= "table" then
    local name = method_of(who, "aggregate", given, "mean")
    return function() return name end
  end
  if type(given[1]) == "string" then  -- level 1 is the indicators': a list, meant for t:sensitivity
    raise_for(who, "the means are one name for all or {[level] = name, ...}, got a list (%s): a list of choices " ..
              "is t:sensitivity's", listed(given))
  end
  local dimension_levels = {}
  for _, node in ipairs(fw.aggregates) do dimension_levels[node.level] = true end
  for level, name in pairs(given) do
    if not dimension_levels[level] then
      raise_for(who, "the means by level name level %s, where the framework has no dimension", tostring(level))
    end
    method_of(who, "aggregate", name)
  end
  for _, node in ipairs(fw.aggregates) do
    if not given[node.level] then
      raise_for(who, "no mean for level %d (%s is there): give one for each level of dimensions", node.level, node.code)
    end
  end
  return function(node) return given[node.level] end
end

-- Scores of every node (score[code][i]) and missing indicators per
-- aggregate node (missing[code][i]), from the indicators' values, each
-- node's by mean_of(node): the weighted means (mean, geometric, harmonic:
-- each a term of a value x against a region's first value r, summed with
-- its weight, and the mean from the sum of terms over the sum of weights;
-- taken against r, values that are all equal give that value to the bit,
-- where Σ(w·x)/Σw of three 100s weighted 0.2 was 99.999999999999986 and
-- lost a tie for the first rank) are C's (src/bridge/composite.c), as is
-- copeland.
local function aggregate(who, fw, ids, values, id, rel, mean_of)
  local score, missing, n = {}, {}, #ids
  for _, node in ipairs(fw.indicators) do score[node.code] = values[node.code] end
  for _, node in ipairs(fw.aggregates) do
    local method = mean_of(node)
    local columns, weights, lost = {}, {}, {}
    for k, c in ipairs(node.children) do
      columns[k], weights[k], lost[k] = score[c.code], rel[c.code], c.kind == "Aggregate" and missing[c.code]
    end
    local s, m, row = core.composite_mean(columns, weights, lost, n, method == "copeland" and "mean" or method)
    if not s then
      local c = node.children[m]
      raise_for(who, "%s of %s = %s is %s; the %s mean needs positive values (normalise onto a range above 0, such " ..
                "as {1, 100})", c.code, id, tostring(ids[row]), shown(score[c.code][row]), method)
    end
    if method == "copeland" then s = copeland(node, score, rel, n) end
    score[node.code], missing[node.code] = s, m
  end
  return score, missing
end

-- Competition ranks, the largest first (NULL for NULL), a score within
-- 1e-12 of its tie's first (relative to the largest score in magnitude)
-- sharing its rank: scores equal but
-- for their sums' last bits rank alike.  (In C: src/bridge/composite.c; a
-- sort run for each of t:sensitivity's runs.)
local descending_ranks = core.composite_ranks

---------------------------------------------------------------------------
-- Before normalisation: denomination, screening, imputation, treatment

-- The rows of each period: a list of row-index lists in the periods'
-- order, and the periods in it (one block of every row without periods).
local function period_blocks(who, periods, n, period)
  if not period then
    local all = {}
    for i = 1, n do all[i] = i end
    return {all}, {}
  end
  local distinct, rows = {}, {}
  for i = 1, n do
    local p = periods[i]
    if not rows[p] then rows[p], distinct[#distinct + 1] = {}, p end
    table.insert(rows[p], i)
  end
  local ok = pcall(table.sort, distinct)
  if not ok then raise_for(who, "%s holds numbers and text: its periods cannot be ordered", period) end
  local blocks = {}
  for k, p in ipairs(distinct) do blocks[k] = rows[p] end
  return blocks, distinct
end

-- who for the work on block k of blocks: naming its period when blocks are
-- data's periods, each taken alone ("composite: year 2005"), so that an
-- error raised inside one says which; who itself for every row together.
local function in_period(who, data, blocks, k)
  if not data.period or blocks ~= data.blocks then return who end
  return string.format("%s: %s %s", who, data.period, tostring(data.period_list[k]))
end

-- Each indicator named in by ({code = column}) divided by its column's
-- value in the same row; a NULL denominator leaves the value missing.
local function denominate(who, fw, ids, values, id, by)
  for code, column in pairs(by) do
    local node = fw.by[code]
    if not node or node.kind ~= "Indicator" then
      raise_for(who, "denominate names %s, not an indicator of the framework", tostring(code))
    end
    local xs, ds, out = values[code], values[column], {}
    for i = 1, #ids do
      if xs[i] ~= nil and ds[i] ~= nil then
        if ds[i] == 0 then
          raise_for(who, "%s of %s = %s is 0: %s cannot be divided by it", column, id, tostring(ids[i]), code)
        end
        out[i] = xs[i] / ds[i]
      end
    end
    values[code] = out
  end
end

-- The share of the indicators each row has (available[i]).
local function availability(fw, values, n)
  local available = {}
  for i = 1, n do
    local have = 0
    for _, node in ipairs(fw.indicators) do have = have + (values[node.code][i] ~= nil and 1 or 0) end
    available[i] = have / #fw.indicators
  end
  return available
end

-- The rows kept (indices) from the data of rows with at least a share
-- min of the indicators.
local function screened(who, fw, values, n, min)
  if type(min) ~= "number" or not (min >= 0 and min <= 1) then
    raise_for(who, "%s must be the share of indicators a region needs, 0 to 1, got %s",
              who == "screen" and "min" or "screen", shown(min))
  end
  local available, keep = availability(fw, values, n), {}
  for i = 1, n do
    if available[i] >= min - 1e-12 then keep[#keep + 1] = i end
  end
  if #keep == 0 then raise_for(who, "no region has %s of the indicators (screen = %s)", shown(min), shown(min)) end
  return keep, available
end

-- Lists of the rows keep picks from each of lists.
local function pick_rows(keep, ...)
  return table.unpack(core.composite_pick({...}, keep))
end

-- values with only the rows keep picks, for codes.
local function pick_values(keep, values, codes)
  local lists, out = {}, {}
  for k, code in ipairs(codes) do lists[k] = values[code] end
  for k, list in ipairs(core.composite_pick(lists, keep)) do out[codes[k]] = list end
  return out
end

-- Lists of the entries rows picks from each list of by (code -> list),
-- by code.
local function pick_by(rows, by)
  local codes, lists, out = {}, {}, {}
  for code, list in pairs(by) do codes[#codes + 1], lists[#lists + 1] = code, list end
  for k, list in ipairs(core.composite_pick(lists, rows)) do out[codes[k]] = list end
  return out
end

-- A table of id (and period) and the columns columns_of(k, rows) gives
-- for each of data's periods (blocks[k], its rows: every row without
-- periods), {name, values by those rows} each, the same names for every
-- period: stored a period at a time, in the periods' order, so that no
-- list of every row's results is made.
local function blocks_table(who, data, columns_of)
  local blocks = data.blocks
  local function chunk(k)
    local rows = blocks[k]
    local columns = columns_of(k, rows)
    local lead = pick_by(rows, {ids = data.ids, periods = data.periods})
    local lists, order = {lead.ids, data.period and lead.periods or nil}, {}
    for _, c in ipairs(columns) do lists[#lists + 1] = c[2] end
    for j = 1, #rows do order[j] = j end
    return columns, lists, order
  end
  local columns, lists, order = chunk(1)
  local names = {data.id, data.period}
  for _, c in ipairs(columns) do names[#names + 1] = c[1] end
  local k = 0
  return stored(who, names, function()
    k = k + 1
    if k == 1 then return lists, order end
    if k <= #blocks then return select(2, chunk(k)) end
    return nil
  end)
end

local impute_methods = {none = true, mean = true, group = true, previous = true}

-- The mean of xs over rows.
local function mean_over(xs, rows)
  local sum, count = 0, 0
  for _, i in ipairs(rows) do
    if xs[i] ~= nil then sum, count = sum + xs[i], count + 1 end
  end
  return count > 0 and sum / count or nil
end

-- Missing values filled in place by method: mean (the period's mean of
-- the indicator), group (the mean within the period and spec.group),
-- previous (the region's value in its latest earlier period); the number
-- imputed in each row (imputed[i]).
local function impute(who, fw, ids, values, data, spec, method)
  if not impute_methods[method] then
    raise_for(who, "unknown imputation %s (none, mean, group, previous)", tostring(method))
  end
  local imputed = {}
  for i = 1, #ids do imputed[i] = 0 end
  if method == "none" then return imputed end
  if method == "group" and not spec.group then raise_for(who, "impute = \"group\" needs group = a column") end
  if method == "previous" and not spec.period then raise_for(who, "impute = \"previous\" needs period = a column") end
  for k, block in ipairs(data.blocks) do
    local within = {block}
    if method == "group" then
      local by, order = {}, {}
      for _, i in ipairs(block) do
        local g = data.groups[i]
        if g == nil then
          raise_for(in_period(who, data, data.blocks, k), "%s of %s = %s is NULL: no group to impute from", spec.group,
                    spec.id, tostring(ids[i]))
        end
        if not by[g] then by[g], order[#order + 1] = {}, g end
        table.insert(by[g], i)
      end
      within = {}
      for j, g in ipairs(order) do within[j] = by[g] end
    end
    for _, node in ipairs(fw.indicators) do
      local xs = values[node.code]
      for _, rows in ipairs(within) do
        local fill = method ~= "previous" and mean_over(xs, rows)
        for _, i in ipairs(rows) do
          if xs[i] == nil and fill then xs[i], imputed[i] = fill, imputed[i] + 1 end
        end
      end
    end
  end
  if method == "previous" then  -- the periods in order: each fills from what the one before holds, filled or not
    local last = {}
    for _, block in ipairs(data.blocks) do
      for _, node in ipairs(fw.indicators) do
        local xs, seen = values[node.code], last[node.code] or {}
        for _, i in ipairs(block) do
          if xs[i] == nil and seen[ids[i]] ~= nil then xs[i], imputed[i] = seen[ids[i]], imputed[i] + 1 end
          if xs[i] ~= nil then seen[ids[i]] = xs[i] end
        end
        last[node.code] = seen
      end
    end
  end
  return imputed
end

-- The sample skewness and excess kurtosis of the values of xs over rows,
-- bias-corrected (Excel's SKEW and KURT, pandas' skew and kurt); nil for
-- fewer than 4 values or none spread.
local function skew_kurtosis(xs, rows)
  local list = {}
  for _, i in ipairs(rows) do
    if xs[i] ~= nil then list[#list + 1] = xs[i] end
  end
  local n = #list
  if n < 4 then return nil end
  local mean = 0
  for _, x in ipairs(list) do mean = mean + x / n end
  local m2, m3, m4 = 0, 0, 0
  for _, x in ipairs(list) do
    local d = x - mean
    m2, m3, m4 = m2 + d * d, m3 + d ^ 3, m4 + d ^ 4
  end
  local lo, hi = math.huge, -math.huge
  for _, x in ipairs(list) do lo, hi = math.min(lo, x), math.max(hi, x) end
  if lo == hi then return nil end
  local s2 = m2 / (n - 1)
  local skew = n / ((n - 1) * (n - 2)) * m3 / s2 ^ 1.5
  local kurt = n * (n + 1) / ((n - 1) * (n - 2) * (n - 3)) * m4 / s2 ^ 2 - 3 * (n - 1) ^ 2 / ((n - 2) * (n - 3))
  return skew, kurt
end

-- Whether xs over rows is outlying: |skew| above o.skew and kurtosis above
-- o.kurtosis (the Handbook's and COINr's 2 and 3.5).
local function outlying(xs, rows, o)
  local skew, kurt = skew_kurtosis(xs, rows)
  return skew ~= nil and math.abs(skew) > o.skew and kurt > o.kurtosis, skew
end

-- COINr's second treatment (its log_CT), for an indicator that winsorising
-- leaves outlying: its values as they came, less their minimum plus 1% of
-- their range (so the smallest is positive), logged.
local function log_shifted(xs, rows, original, treated)
  local lo, hi = math.huge, -math.huge
  for _, i in ipairs(rows) do
    if original[i] ~= nil then lo, hi = math.min(lo, original[i]), math.max(hi, original[i]) end
  end
  for _, i in ipairs(rows) do
    if original[i] ~= nil then xs[i], treated[i] = math.log(original[i] - lo + 0.01 * (hi - lo)), treated[i] + 1 end
  end
end

-- Winsorise xs over rows as COINr's qTreat does: while outlying and fewer
-- than o.winmax values are changed, the highest values (lowest, when
-- skewed left) become the next highest.  A value changed once is at the
-- top again the next time round and changed again, but it is one value:
-- it counts once towards o.winmax (COINr's nwin) and in treated.  Still
-- outlying after o.winmax values, the indicator is log_shifted instead.
-- Returns true when winsorising left every value the same (then no
-- skewness: COINr's winsorise fails there and leaves it untreated).
local function winsorise(xs, rows, o, treated)
  local changed, seen, original = 0, {}, {}
  for _, i in ipairs(rows) do original[i] = xs[i] end
  while true do
    local out, skew = outlying(xs, rows, o)
    if not out then
      for i in pairs(seen) do treated[i] = treated[i] + 1 end
      return skew == nil and changed > 0
    end
    if changed >= o.winmax then break end
    local sign = skew > 0 and 1 or -1
    local far, next_far = -math.huge, -math.huge
    for _, i in ipairs(rows) do
      local x = xs[i] and xs[i] * sign
      if x ~= nil and x > far then far, next_far = x, far
      elseif x ~= nil and x < far and x > next_far then next_far = x end
    end
    for _, i in ipairs(rows) do
      if xs[i] ~= nil and xs[i] * sign == far then
        xs[i] = next_far * sign
        if not seen[i] then seen[i], changed = true, changed + 1 end
      end
    end
  end
  log_shifted(xs, rows, original, treated)
end

local treat_methods = {winsorise = true, log = true}

-- Outlying indicators of data treated in place in each of its norm_blocks
-- (o.method: winsorise, or log: the natural log of an outlying
-- indicator's values, which must be positive); the number treated in each
-- row (treated[i]).
local function treat(who, fw, data, o)
  if not treat_methods[o.method] then raise_for(who, "unknown treatment %s (winsorise, log)", tostring(o.method)) end
  local ids, values, id, blocks, treated = data.ids, data.values, data.id, data.norm_blocks, {}
  for i = 1, #ids do treated[i] = 0 end
  for k, block in ipairs(blocks) do
    for _, node in ipairs(fw.indicators) do
      local xs = values[node.code]
      if o.method == "winsorise" then
        if winsorise(xs, block, o, treated) then
          raise_for(in_period(who, data, blocks, k), "winsorising %s leaves every value the same: a constant has " ..
                    "nothing to normalise and %s would drop out of the index (COINr leaves it untreated); winmax " ..
                    "= 0 takes COINr's log_CT at once", node.code, node.code)
        end
      elseif outlying(xs, block, o) then
        for _, i in ipairs(block) do
          if xs[i] ~= nil then
            if xs[i] <= 0 then
              raise_for(in_period(who, data, blocks, k), "%s of %s = %s is %s; its log (treat = \"log\") needs " ..
                        "positive values", node.code, id, tostring(ids[i]), shown(xs[i]))
            end
            xs[i], treated[i] = math.log(xs[i]), treated[i] + 1
          end
        end
      end
    end
  end
  return treated
end

-- The treatment options of spec: {method =, skew =, kurtosis =, winmax =}.
local function treat_options(who, spec)
  local o = {method = spec.treat, skew = spec.skew or 2, kurtosis = spec.kurtosis or 3.5, winmax = spec.winmax or 5}
  for _, k in ipairs{"skew", "kurtosis", "winmax"} do
    if type(o[k]) ~= "number" or o[k] ~= o[k] or o[k] < 0 then
      raise_for(who, "%s must be a number, 0 or more, got %s", k, shown(o[k]))
    end
  end
  return o
end

local function has_column(t, name)
  for _, c in ipairs(t.columns) do
    if c == name then return true end
  end
  return false
end

-- The data of t for an index by spec, read and prepared for normalising:
-- {id =, period =, ids =, periods =, groups =, values =, blocks = the rows
-- of each period, norm_blocks = the rows normalised together (each
-- period's, or all with fixed = true), imputed =, treated = (counts per
-- row, when those steps ran)}.  Steps in the Handbook's order:
-- denomination, screening, imputation, treatment, then a band's distance.
local function prepare(who, t, fw, spec, as_given)
  if spec.fixed and not spec.period then
    raise_for(who, "fixed = true needs period = a column: it fixes the bounds across periods")
  end
  local codes, more = codes_of(fw.indicators), {}
  local denominators = spec.denominate or {}
  if type(denominators) ~= "table" then raise_for(who, "denominate must be {code = column, ...}") end
  for _, column in pairs(denominators) do
    if type(column) ~= "string" or not has_column(t, column) then
      raise_for(who, "denominate's %s is not a column of the table (columns: %s)", tostring(column),
                table.concat(t.columns, ", "))
    end
    more[#more + 1] = column
  end
  local read = {table.unpack(codes)}
  for _, c in ipairs(more) do read[#read + 1] = c end
  local ids, values, periods, groups = read_data(who, t, spec.id, read, {period = spec.period, group = spec.group})
  if #more > 0 or spec.screen ~= nil or spec.impute ~= nil or spec.treat ~= nil then
    for code, xs in pairs(values) do values[code] = lua_list(xs, #ids) end  -- these steps' loops are Lua's
  end
  denominate(who, fw, ids, values, spec.id, denominators)
  if spec.screen ~= nil then
    local keep = screened(who, fw, values, #ids, spec.screen)
    ids, periods, groups = pick_rows(keep, ids, periods, groups)
    values = pick_values(keep, values, codes)
  end
  local data = {id = spec.id, period = spec.period, ids = ids, periods = periods, groups = groups, values = values}
  data.blocks, data.period_list = period_blocks(who, periods, #ids, spec.period)
  data.norm_blocks = spec.fixed and period_blocks(who, periods, #ids) or data.blocks
  if spec.impute ~= nil then data.imputed = impute(who, fw, ids, values, data, spec, spec.impute) end
  if spec.treat ~= nil then
    data.treated = treat(who, fw, data, treat_options(who, spec))
  end
  if not as_given then band_distances(fw, values, #ids) end
  return data
end

-- The column of a step's result that keeps its rows' order through the
-- join with_other_columns makes; not shown.
local STEP_ROW = "zb_step_row"

-- Prepared data as a table: id (and period), the indicators, the column
-- count (name, values by row), then STEP_ROW.
local function prepared_table(who, fw, data, count)
  local done = 0
  return blocks_table(who, data, function(_, rows)
    local values, columns, place = pick_by(rows, data.values), {}, {}
    for k, node in ipairs(fw.indicators) do columns[k] = {node.code, values[node.code]} end
    columns[#columns + 1] = {count[1], core.composite_pick({count[2]}, rows)[1]}
    for j = 1, #rows do place[j] = done + j end
    done = done + #rows
    columns[#columns + 1] = {STEP_ROW, place}
    return columns
  end)
end

-- A step's result (id, period, the indicators, its count) with the rest of
-- t's columns (a region's name, its group, a denominator) in their places,
-- the count last, so that the steps chain: t:screen{...}:impute{method =
-- "group", group = "province"}.  The rows are the result's (t:screen's
-- kept), in its order (STEP_ROW: the periods' order, then the table's).
local function with_other_columns(who, t, fw, data, result, count_name)
  local replaced, drop, order = {[count_name] = true}, {}, {}
  for _, node in ipairs(fw.indicators) do replaced[node.code] = true end
  for _, c in ipairs(t.columns) do
    if replaced[c] then drop[#drop + 1] = c end
    if c ~= count_name then order[#order + 1] = c end
  end
  order[#order + 1] = count_name
  local rest = #drop > 0 and t:drop(table.unpack(drop)) or t
  local joined = rest:join(result, {data.id, data.period}):order(STEP_ROW):select(table.unpack(order))
  local rows = 0
  for _, block in ipairs(data.blocks) do rows = rows + #block end
  -- SQL's = may not take a key as Lua did (a blob id): a row lost or doubled
  -- would be a wrong table without a word
  if joined:count() ~= rows then
    raise_for(who, "the result's %d rows could not be matched to the table's by %s", rows,
              table.concat({data.id, data.period}, " and "))
  end
  return joined
end

-- The options of the data over time (t:normalise's, t:weights' and
-- t:composite's): period =, a row per region and period; fixed = true,
-- the periods normalised and weighted together.
local period_options = {{"period", "column", optional = true}, {"fixed", "boolean", "true", optional = true}}

-- A step before normalisation as a table method: its options as
-- t:composite's, the data as the step leaves it and a column counting
-- what it did in each row.
local function define_step(name, doc, options, step)
  local list = {{"period", "column", optional = true}}
  for _, o in ipairs(options) do list[#list + 1] = o end
  T.define{name = name, doc = doc .. "; the table's other columns kept, so that the steps chain",
    options = options_with(list),
    body = function(t, spec)
      local fw = framework_of(name, spec)
      local data = prepare(name, t, fw, step(spec), true)
      local count = data.imputed and {"imputed", data.imputed} or data.treated and {"treated", data.treated}
                    or {"available", availability(fw, data.values, #data.ids)}
      return with_other_columns(name, t, fw, data, prepared_table(name, fw, data, count), count[1])
    end}
end

define_step("impute", "the indicators' missing values filled by method mean (the period's mean), group (the mean " ..
            "within group =) or previous (the region's latest earlier value, by period =), and imputed, the number " ..
            "filled in each row",
            {{"method", "name"}, {"group", "column", optional = true}},
            function(spec) return setmetatable({impute = spec.method}, {__index = spec}) end)
define_step("treat", "outlying indicators (|skew| > skew, default 2, and kurtosis > kurtosis, 3.5, each period's " ..
            "with period =) winsorised (method winsorise: at most winmax values, 5; still outlying, COINr's log_CT of " ..
            "the values as they came: log(x - min + 1% of the range); winsorised to one value, an error) or logged " ..
            "(method log), and " ..
            "treated, the number of values changed in each row",
            {{"method", "name"}, {"skew", "any", "2", optional = true}, {"kurtosis", "any", "3.5", optional = true},
             {"winmax", "any", "5", optional = true}},
            function(spec) return setmetatable({treat = spec.method}, {__index = spec}) end)
define_step("screen", "the rows with at least a share min of the indicators, and available, the share each has",
            {{"min", "any", "share 0 to 1"}},
            function(spec) return setmetatable({screen = spec.min}, {__index = spec}) end)
define_step("denominate", "the indicators named in by = {code = column} divided by that column (per head, per GDP); " ..
            "available, the share of the indicators each row has",
            {{"by", "any", "{code = column}"}},
            function(spec) return setmetatable({denominate = spec.by}, {__index = spec}) end)

T.define{name = "normalise", doc = "each indicator of a framework (or columns) normalised, directions applied first: " ..
         "minmax onto range (default {0, 100}), zscore, rank (ties averaged), percentile (0 to 1), best (ratio to the " ..
         "best, times range's top), reference (the ratio to the region reference =, times range's top), goalposts " ..
         "(clipped onto range); a constant indicator gives NULL; with period =, a row per region and period, each " ..
         "period normalised alone unless fixed = true (bounds over every period, as t:composite's)",
  options = options_with({{"method", "name", optional = true}}, {period_options[1], period_options[2],
                                                                 table.unpack(shape_options)}),
  body = function(t, spec)
    local who = "normalise"
    local fw = framework_of(who, spec)
    local method = method_of(who, "normalise", spec.method, "minmax")
    shape_of(who, fw, spec, method)
    local data = prepare(who, t, fw, spec)
    -- every period's rows normalised together (fixed = true), or each period's alone
    local pooled = data.norm_blocks ~= data.blocks and normalise(who, fw, data.ids, data.values, spec.id, spec, method)
    return blocks_table(who, data, function(k, rows)
      local out = pooled and pick_by(rows, pooled)
      if not out then
        local all = #rows == #data.ids  -- every row, in order
        out = normalise(in_period(who, data, data.blocks, k), fw, all and data.ids or pick_rows(rows, data.ids),
                        data.values, spec.id, spec, method, not all and rows or nil)
      end
      local columns = {}
      for j, node in ipairs(fw.indicators) do columns[j] = {node.code, out[node.code]} end
      return columns
    end)
  end}

T.define{name = "weights", doc = "a row per framework node: its weight within its parent and in the index (global), " ..
         "by method equal, given (the framework's), entropy (熵权法), critic, cv (变异系数法) or pca (the squared " ..
         "loadings of the first principal component) over the values " ..
         "as they are (normalise first); a constant indicator gets 0 and a note; with period =, a row per period and " ..
         "node, each period's weights from its rows alone unless fixed = true (from every period's together, the " ..
         "same in each, as t:composite's)",
  options = options_with({{"method", "name", optional = true}}, period_options),
  body = function(t, spec)
    local who = "weights"
    local fw = framework_of(who, spec)
    local method = method_of(who, "weights", spec.method, "equal")
    local data = prepare(who, t, fw, spec, true)
    local codes = codes_of(fw.indicators)
    local function weights_over(blocks, k)
      local rows = blocks[k]
      return {weigh(in_period(who, data, blocks, k), fw, method, pick_rows(rows, data.ids),
                    pick_values(rows, data.values, codes), spec.id)}
    end
    local pooled = spec.fixed and weights_over(data.norm_blocks, 1)
    local sets = {}
    for k in ipairs(data.blocks) do sets[k] = pooled or weights_over(data.blocks, k) end
    return weights_table(who, fw, sets, data.period, data.period_list)
  end}

-- The columns of the scores of a block of rows (a period's, or every
-- row without periods), each {name, values by the block's rows}: the
-- index and rank, change and rank_change over time (since before, the
-- period before's {score, rank} by id), the dimensions top down, the
-- indicators, then missing_CODE for each aggregate node and counts (the
-- steps' imputed and treated, by the block's rows); with every_rank, each
-- dimension's rank (rank_CODE) after its score.
local function score_columns(fw, data, ids, score, missing, rank, before, counts, every_rank)
  local top = fw.top.code
  local columns = {{top, score[top]}, {"rank", rank}}
  if data.period then
    local change, rank_change = {}, {}
    for j, key in ipairs(before and ids or {}) do  -- up in rank is positive
      local b, x = before[key], score[top][j]
      if b and x ~= nil then change[j], rank_change[j] = x - b[1], b[2] - rank[j] end
    end
    columns[#columns + 1] = {"change", change}
    columns[#columns + 1] = {"rank_change", rank_change}
  end
  for _, node in ipairs(fw.nodes) do
    if node.kind == "Aggregate" and node ~= fw.top then
      columns[#columns + 1] = {node.code, score[node.code]}
      if every_rank then columns[#columns + 1] = {"rank_" .. node.code, descending_ranks(score[node.code], #ids)} end
    end
  end
  for _, node in ipairs(fw.nodes) do
    if node.kind == "Indicator" then columns[#columns + 1] = {node.code, score[node.code]} end
  end
  for _, node in ipairs(fw.nodes) do
    if node.kind == "Aggregate" then columns[#columns + 1] = {"missing_" .. node.code, missing[node.code]} end
  end
  for _, count in ipairs{"imputed", "treated"} do
    if data[count] then columns[#columns + 1] = {count, counts[count]} end
  end
  return columns
end

-- The scores table of data (prepared): id (and period), then
-- score_columns, a row per region (per region and period, in the
-- periods' order, ranked within each).  scores_of(blocks, k) gives the
-- scores and missing counts (by code) of the rows of blocks[k], one of
-- data's norm_blocks: each period's in turn, or with fixed = true every
-- row's at once, each period's picked from them.  With every_rank, each
-- dimension's rank too.
local function scores_table(who, fw, data, scores_of, every_rank)
  local pooled_score, pooled_missing
  if data.norm_blocks ~= data.blocks then pooled_score, pooled_missing = scores_of(data.norm_blocks, 1) end
  local counts = {imputed = data.imputed, treated = data.treated}
  local before  -- the period before's {score, rank} by id
  return blocks_table(who, data, function(k, rows)
    local score, missing
    if pooled_score then score, missing = pick_by(rows, pooled_score), pick_by(rows, pooled_missing)
    else score, missing = scores_of(data.blocks, k) end
    local ids, top = pick_rows(rows, data.ids), score[fw.top.code]
    local rank = descending_ranks(top, #rows)
    local columns = score_columns(fw, data, ids, score, missing, rank, before, pick_by(rows, counts), every_rank)
    before = {}
    for j, key in ipairs(ids) do
      if top[j] ~= nil then before[key] = {top[j], rank[j]} end
    end
    return columns
  end)
end

local function weights_of(who, fw, weights, ids, values, raw, id)
  if weights == nil or type(weights) == "string" then
    local method = method_of(who, "weights", weights, "equal")
    return (weigh(who, fw, method, ids, method == "cv" and raw or values, id))
  end
  if type(weights) ~= "table" and not T.is_table(weights) then
    raise_for(who, "weights must be a method's name, t:weights' table or {code = weight, ...}")
  end
  return given_weights(who, fw, weights)
end

-- ranks = "all": each dimension's rank beside its score (t:composite's,
-- t:aggregate's); "top", the index's alone.
local rank_choices = {top = false, all = true}
local ranks_option = {"ranks", "name", "\"top\" | \"all\"", optional = true}

-- Whether spec asks for every dimension's rank, checked before any work.
local function every_rank_of(who, spec)
  local every = rank_choices[spec.ranks or "top"]
  if every == nil then
    raise_for(who, "ranks must be %s (the index's, or every dimension's too), got %s", ranks_option[3], tostring(spec.ranks))
  end
  return every
end

T.define{name = "aggregate", doc = "a row per region: the index, its rank and a column per framework node, each the " ..
         "weighted mean (mean, geometric, harmonic) of its children's values present (weights renormalised) or " ..
         "copeland (wins less losses against every other region, by the weights where each is higher), " ..
         "and missing_CODE, the indicators missing under each node; weights a method or t:weights' table; method " ..
         "one for all or one per level of dimensions; ranks = \"all\": each dimension's rank (rank_CODE) too",
  options = options_with({{"weights", "any", "\"equal\" | t:weights{...}", optional = true},
                          {"method", "any", "\"mean\" | {[level] = name}", optional = true}, ranks_option}),
  body = function(t, spec)
    local fw = framework_of("aggregate", spec)
    local every_rank = every_rank_of("aggregate", spec)
    local method = means_of("aggregate", fw, spec.method)
    local ids, values = read_data("aggregate", t, spec.id, codes_of(fw.indicators))
    local rel = weights_of("aggregate", fw, spec.weights, ids, values, values, spec.id)
    local blocks = period_blocks("aggregate", {}, #ids)
    return scores_table("aggregate", fw, {id = spec.id, ids = ids, blocks = blocks, norm_blocks = blocks}, function()
      return aggregate("aggregate", fw, ids, values, spec.id, rel, method)
    end, every_rank)
  end}

-- The scores (score[code][j]) and missing counts of every node for the
-- rows of blocks[k], one of prepared data's norm_blocks: normalised,
-- weighted and aggregated together.
local function block_scores(who, fw, spec, data, method, weights, mean, blocks, k)
  local named, rows = in_period(who, data, blocks, k), blocks[k]
  if #rows == #data.ids then rows = nil end  -- every row, in order
  local ids = rows and pick_rows(rows, data.ids) or data.ids
  local values = normalise(named, fw, ids, data.values, spec.id, spec, method, rows)
  local raw = data.values  -- cv's weights are of the values before normalisation
  if rows and weights == "cv" then raw = pick_values(rows, data.values, codes_of(fw.indicators)) end
  local rel = weights_of(named, fw, weights, ids, values, raw, spec.id)
  return aggregate(named, fw, ids, values, spec.id, rel, mean)
end

-- The options of the steps before normalisation (t:composite's and
-- t:sensitivity's).
local step_options = {period_options[1], period_options[2],
                      {"denominate", "any", "{code = column}", optional = true},
                      {"screen", "any", "share 0 to 1", optional = true},
                      {"impute", "any", "\"none\" | \"mean\" | \"group\" | \"previous\"", optional = true},
                      {"group", "column", optional = true},
                      {"treat", "any", "\"winsorise\" | \"log\"", optional = true},
                      {"skew", "any", "2", optional = true}, {"kurtosis", "any", "3.5", optional = true},
                      {"winmax", "any", "5", optional = true}}

local function composite_options(list)
  local out = options_with(list, shape_options)
  for _, o in ipairs(step_options) do out[#out + 1] = o end
  return out
end

T.define{name = "composite", doc = "the composite index in one call: denominate ({code = column}), screen (the share " ..
         "of indicators a region needs), impute (mean, group, previous), treat (winsorise, log: indicators with " ..
         "|skew| > 2 and kurtosis > 3.5), normalise (minmax, ...), weights (equal, given, entropy, critic, cv, pca: " ..
         "from the normalised values, cv from the raw ones) and aggregate (mean, geometric, harmonic, copeland, " ..
         "or {[level] = name}); a row per region as t:aggregate gives (per region and period with period =: ranks " ..
         "within each, change and rank_change since the period before in the data, each period normalised alone " ..
         "unless fixed = true; ranks = \"all\": each dimension's rank too)",
  options = composite_options({{"normalise", "name", optional = true}, {"weights", "any", optional = true}, ranks_option,
                               {"aggregate", "any", "\"mean\" | {[level] = name}", optional = true}}),
  body = function(t, spec)
    local who = "composite"
    local fw = framework_of(who, spec)
    local method = method_of(who, "normalise", spec.normalise, "minmax")
    shape_of(who, fw, spec, method)
    local mean = means_of(who, fw, spec.aggregate)
    local every_rank = every_rank_of(who, spec)
    local data = prepare(who, t, fw, spec)
    return scores_table(who, fw, data, function(blocks, k)
      return block_scores(who, fw, spec, data, method, spec.weights, mean, blocks, k)
    end, every_rank)
  end}

---------------------------------------------------------------------------
-- Diagnostics

T.define{name = "correlations", doc = "of scores as t:composite gives them: a row per node but the top, its Pearson " ..
         "correlation with its parent (r_parent) and with the index (r_index, COINr's check of an indicator's " ..
         "effective weight), over the regions both have; NULL and a note where one is constant",
  options = normalise_options,
  body = function(t, spec)
    local who = "correlations"
    local fw = framework_of(who, spec)
    local ids, values = read_data(who, t, spec.id, codes_of(fw.nodes))
    local rows = {}
    for _, node in ipairs(fw.nodes) do
      if node ~= fw.top then
        local xs = values[node.code]
        local r_parent = correlation(xs, values[node.parent], #ids)
        local r_index = correlation(xs, values[fw.top.code], #ids)
        local note = (r_parent == nil or r_index == nil) and "no correlation: constant, or fewer than 2 regions" or nil
        rows[#rows + 1] = {node.code, node.parent, node.kind, r_parent, r_index, note, n = 6}
      end
    end
    return M.result(who, {"code", "parent", "type", "r_parent", "r_index", "note"}, rows)
  end}

-- Each region's rank in scores t (column rank, by id).
local function ranks_by(who, t, id, which)
  local out, order = {}, {}
  local has = {}
  for _, c in ipairs(t.columns) do has[c] = true end
  if not (has[id] and has.rank) then
    raise_for(who, "%s needs columns %s and rank (as t:composite gives them; columns: %s)", which, id,
              table.concat(t.columns, ", "))
  end
  for r in t:rows() do
    local key = r[id]
    if out[key] ~= nil then raise_for(who, "%s = %s is there twice in %s", id, tostring(key), which) end
    out[key], order[#order + 1] = r.rank or false, key
  end
  return out, order
end

T.define{name = "rank_changes", doc = "of scores as t:composite gives them against with = other scores (another " ..
         "method's): a row per region, its rank, rank_with, diff (rank_with - rank: above 0 when the other method " ..
         "ranks it lower) and abs_diff; a region in one alone has NULLs",
  options = {{"with", "any", "scores"}, {"id", "column"}},
  body = function(t, spec)
    local who = "rank_changes"
    if not T.is_table(spec.with) then raise_for(who, "with must be a table of scores (t:composite's)") end
    local mine, order = ranks_by(who, t, spec.id, "the table")
    local theirs, their_order = ranks_by(who, spec.with, spec.id, "with")
    for _, key in ipairs(their_order) do
      if mine[key] == nil then order[#order + 1] = key end
    end
    local rows = {}
    for k, key in ipairs(order) do
      local a, b = mine[key] or nil, theirs[key] or nil
      local diff = a and b and b - a
      rows[k] = {key, a, b, diff, diff and math.abs(diff), n = 5}
    end
    return M.result(who, {spec.id, "rank", "rank_with", "diff", "abs_diff"}, rows)
  end}

---------------------------------------------------------------------------
-- Sensitivity

-- The choices of an option: a list of them, or one (default when none).
local function choices(v, default)
  if type(v) == "table" and not T.is_table(v) and v[1] ~= nil then return v end
  return {v == nil and default or v}
end

-- The weights of each run from rel: rel itself, then with vary, each
-- node but the top with its weight times 1 - vary and 1 + vary in turn
-- (one at a time; the means renormalise).
local function varied(fw, rel, vary)
  local out = {rel}
  if not vary then return out end
  for _, node in ipairs(fw.nodes) do
    if node ~= fw.top then
      for _, factor in ipairs{1 - vary, 1 + vary} do
        local w = setmetatable({[node.code] = rel[node.code] * factor}, {__index = rel})
        out[#out + 1] = w
      end
    end
  end
  return out
end

-- The framework as composite_sensitivity takes it: each aggregate's
-- children by number (the indicators 1 to #fw.indicators, then the
-- aggregates children first, the top last), and a function giving a
-- run's weights (rel[code]) as a list by number.
local function run_plan(fw)
  local number, nodes, children = {}, {}, {}
  for _, node in ipairs(fw.indicators) do nodes[#nodes + 1] = node end
  for _, node in ipairs(fw.aggregates) do nodes[#nodes + 1] = node end
  for k, node in ipairs(nodes) do number[node] = k end
  for k, node in ipairs(fw.aggregates) do
    children[k] = {}
    for j, c in ipairs(node.children) do children[k][j] = number[c] end
  end
  local function weights_list(rel)
    local out = {}
    for k = 1, #nodes - 1 do out[k] = rel[nodes[k].code] end  -- the top's weight is not used
    return out
  end
  return children, weights_list
end

-- The mean mean_of gives each aggregate (by number, as run_plan numbers
-- them) when every one is a weighted mean, which composite_sensitivity
-- works in C; nil when one is copeland.
local function run_means(fw, mean_of)
  local means = {}
  for k, node in ipairs(fw.aggregates) do
    means[k] = mean_of(node)
    if means[k] == "copeland" then return nil end
  end
  return means
end

-- The runs of spec's choices for composite_sensitivity: its jobs (each
-- normalisation and weighting's runs, in C where every mean is a weighted
-- one, else each run's ranks from aggregate), the ids, the
-- number of runs and the aggregates' children by number (run_plan's).  Run (v - 1) * #mean_ofs + m of a weighting is its
-- variant v (varied) under mean m: run 1 is the nominal one.
local function sensitivity_runs(who, t, fw, spec)
  local vary = spec.vary
  if vary ~= nil and (type(vary) ~= "number" or not (vary > 0 and vary < 1)) then
    raise_for(who, "vary must be a share between 0 and 1 (0.2: each weight 20%% down and up), got %s", shown(vary))
  end
  for _, imputation in ipairs(choices(spec.impute, "none")) do
    if imputation == "previous" then
      raise_for(who, "impute = \"previous\" takes a region's value from an earlier period, and t:sensitivity ranks " ..
                "one period's rows (it takes no period =): give it one period's imputed data, t:impute{method = " ..
                "\"previous\", period = ...}:where{...}")
    end
  end
  local mean_ofs = {}
  for k, mean in ipairs(choices(spec.aggregate, "mean")) do mean_ofs[k] = means_of(who, fw, mean) end
  for _, method in ipairs(choices(spec.normalise, "minmax")) do shape_of(who, fw, spec, method_of(who, "normalise", method)) end
  local children, weights_list = run_plan(fw)
  local codes = codes_of(fw.indicators)
  local jobs, runs, ids = {}, 0, nil
  for _, imputation in ipairs(choices(spec.impute, "none")) do
    local data = prepare(who, t, fw, setmetatable({impute = imputation}, {__index = spec}))
    ids = data.ids
    for _, method in ipairs(choices(spec.normalise, "minmax")) do
      local values = normalise(who, fw, ids, data.values, spec.id, spec, method_of(who, "normalise", method))
      local columns = {}
      for k, code in ipairs(codes) do columns[k] = values[code] end
      for _, weights in ipairs(choices(spec.weights, "equal")) do
        local rel = weights_of(who, fw, weights, ids, values, data.values, spec.id)
        local variants = varied(fw, rel, vary)
        for m, mean_of in ipairs(mean_ofs) do
          local means = run_means(fw, mean_of)
          if means then
            for _, mean in ipairs(means) do
              if mean ~= "mean" then  -- the nominal run refuses a value a geometric or harmonic mean cannot
                aggregate(who, fw, ids, values, spec.id, variants[1], mean_of)  -- take, naming it (weights keep signs)
                break
              end
            end
            local lists = {}
            for v, w in ipairs(variants) do lists[v] = weights_list(w) end
            jobs[#jobs + 1] = {columns = columns, weights = lists, first = runs + m, step = #mean_ofs, means = means}
          else
            for v, w in ipairs(variants) do
              local score = aggregate(who, fw, ids, values, spec.id, w, mean_of)
              jobs[#jobs + 1] = {ranks = descending_ranks(score[fw.top.code], #ids), run = runs + (v - 1) * #mean_ofs + m}
            end
          end
        end
        runs = runs + #variants * #mean_ofs
      end
    end
  end
  return jobs, ids, runs, children
end

T.define{name = "sensitivity", doc = "each region's rank over every combination of the choices given (impute, " ..
         "not previous: one period's rows; normalise, weights, aggregate: a list of each; vary = 0.2: each weight " ..
         "20% down and up, one at a time): " ..
         "the nominal rank (the first choices'), median, p5 and p95 (interpolated, as R's type 7), best, worst, " ..
         "and runs",
  options = options_with({{"normalise", "any", "{\"minmax\", ...}", optional = true},
                          {"weights", "any", "{\"equal\", ...}", optional = true},
                          {"aggregate", "any", "{\"mean\", ...}", optional = true},
                          {"impute", "any", "{\"none\", \"mean\", ...}", optional = true},
                          {"vary", "any", "0.2", optional = true}, {"denominate", "any", "{code = column}", optional = true},
                          {"screen", "any", "share 0 to 1", optional = true}, {"group", "column", optional = true},
                          {"treat", "any", "\"winsorise\" | \"log\"", optional = true},
                          {"skew", "any", "2", optional = true}, {"kurtosis", "any", "3.5", optional = true},
                          {"winmax", "any", "5", optional = true}}, shape_options),
  body = function(t, spec)
    local fw = framework_of("sensitivity", spec)
    local jobs, ids, runs, children = sensitivity_runs("sensitivity", t, fw, spec)
    -- each region's ranks over the runs in C (src/bridge/composite.c); the
    -- quantiles zb.stats.quantiles' (type 7): between the two ranks C
    -- finds at h = (count - 1)p, interpolated as zb.stats interpolates
    -- (the quantile at h - ⌊h⌋ of those two), or the last rank alone
    local s = core.composite_sensitivity(jobs, #ids, runs, children, {0.5, 0.05, 0.95})
    local rows = {}
    for i = 1, #ids do
      local q = {}
      for k, place in ipairs(s.places) do
        local upper = place.upper[i]
        q[k] = upper and zb.stats.quantile({place.lower[i], upper}, place.fraction[i]) or place.lower[i]
      end
      rows[i] = {ids[i], s.nominal[i], q[1], q[2], q[3], s.best[i], s.worst[i], s.count[i], n = 8}
    end
    return M.result("sensitivity", {spec.id, "nominal", "median", "p5", "p95", "best", "worst", "runs"}, rows)
  end}

---------------------------------------------------------------------------
-- AHP

-- Saaty's random consistency index by the matrix's order (Saaty 1980).
local random_index = {0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49}

-- zb.ahp(matrix, codes [, {inconsistent = true}]): the weights of a
-- pairwise comparison matrix (层次分析法): its principal eigenvector (power
-- iteration), summing to 1, as a table (code, weight), and its
-- consistency {lambda_max =, ci =, ri =, cr =}; a ratio above 0.1 is an
-- error unless inconsistent = true.
function M.ahp(matrix, codes, opts)
  opts = zb.options.check("ahp", opts, {inconsistent = "boolean"})
  if type(matrix) ~= "table" or type(codes) ~= "table" then
    errors.raise("bad arguments to 'ahp' (a matrix, a list of rows, and the codes of its rows expected)")
  end
  local n = #codes
  if n < 1 or n > #random_index then
    raise_for("ahp", "%d codes; a comparison matrix of 1 to %d rows is supported (Saaty's random index)", n,
              #random_index)
  end
  if #matrix ~= n then raise_for("ahp", "the matrix has %d rows for %d codes", #matrix, n) end
  local row_of = {}
  for i, code in ipairs(codes) do  -- a weight per code: one given twice would be two weights for one node
    if row_of[code] then raise_for("ahp", "the code %s is there twice (rows %d and %d)", tostring(code), row_of[code], i) end
    row_of[code] = i
  end
  for i = 1, n do
    if type(matrix[i]) ~= "table" or #matrix[i] ~= n then
      raise_for("ahp", "row %d (%s) must have %d numbers", i, tostring(codes[i]), n)
    end
    for j = 1, n do
      local a, b = matrix[i][j], matrix[j][i]
      if type(a) ~= "number" or not (a > 0 and a < math.huge) then
        raise_for("ahp", "the comparison of %s with %s is %s; comparisons are positive numbers", tostring(codes[i]),
                  tostring(codes[j]), tostring(a))
      end
      if i == j and a ~= 1 then raise_for("ahp", "the comparison of %s with itself is %s, not 1", tostring(codes[i]), a) end
      if type(b) == "number" and math.abs(a * b - 1) > 1e-2 then
        raise_for("ahp", "the comparisons of %s with %s (%s) and back (%s) are not reciprocal: write 1/%s",
                  tostring(codes[i]), tostring(codes[j]), shown(a), shown(b), shown(a))
      end
    end
  end
  local w = {}
  for i = 1, n do w[i] = 1 / n end
  for _ = 1, 10000 do  -- a positive matrix: power iteration converges to the Perron vector
    local next_w, sum = {}, 0
    for i = 1, n do
      local x = 0
      for j = 1, n do x = x + matrix[i][j] * w[j] end
      next_w[i], sum = x, sum + x
    end
    local change = 0
    for i = 1, n do
      next_w[i] = next_w[i] / sum
      change = math.max(change, math.abs(next_w[i] - w[i]))
    end
    w = next_w
    if change < 1e-15 then break end
  end
  local lambda = 0
  for i = 1, n do
    local x = 0
    for j = 1, n do x = x + matrix[i][j] * w[j] end
    lambda = lambda + x / w[i] / n
  end
  local ci = n > 2 and math.max(0, (lambda - n) / (n - 1)) or 0
  local ri = random_index[n]
  local cr = ri > 0 and ci / ri or 0
  if cr > 0.1 and not opts.inconsistent then
    raise_for("ahp", "the consistency ratio is %.4f, above 0.1 (lambda_max %.4f, CI %.4f, RI %.2f): revise the " ..
              "comparisons, or pass {inconsistent = true}", cr, lambda, ci, ri)
  end
  local rows = {}
  for i = 1, n do rows[i] = {codes[i], w[i], n = 2} end
  return M.result("ahp", {"code", "weight"}, rows), {lambda_max = lambda, ci = ci, ri = ri, cr = cr}
end

---------------------------------------------------------------------------
-- TOPSIS

-- Each indicator's weight in the index: the product of the relative
-- weights from the top down to it.
local function global_weights(fw, rel)
  local out = {}
  local function walk(node, share)
    local w = share * rel[node.code]
    if node.kind == "Indicator" then out[node.code] = w end
    for _, c in ipairs(node.children) do walk(c, w) end
  end
  walk(fw.top, 1)
  return out
end

T.define{name = "topsis", doc = "TOPSIS over the framework's indicators: each vector-normalised (x / sqrt(sum x^2)) " ..
         "and weighted by its share of the index; the distances to the best and the worst region on each (by its " ..
         "direction), closeness d_worst / (d_best + d_worst) and its rank; every value needed; weights by a method's name " ..
         "are the raw values' (for entropy weights of min-max values, pass t:normalise{...}:weights{method = " ..
         "\"entropy\"})",
  options = options_with({{"weights", "any", "\"equal\" | t:weights{...}", optional = true}}),
  body = function(t, spec)
    local who = "topsis"
    local fw = framework_of(who, spec)
    local ids, values = read_data(who, t, spec.id, codes_of(fw.indicators))
    band_distances(fw, values, #ids)
    local w = global_weights(fw, weights_of(who, fw, spec.weights, ids, values, values, spec.id))
    local best, worst = {}, {}
    for i = 1, #ids do best[i], worst[i] = 0, 0 end
    for _, node in ipairs(fw.indicators) do
      local xs, norm = values[node.code], 0
      for i = 1, #ids do
        if xs[i] == nil then
          raise_for(who, "%s of %s = %s is missing; TOPSIS needs every value (impute it, or leave the region out)",
                    node.code, spec.id, tostring(ids[i]))
        end
        norm = norm + xs[i] ^ 2
      end
      norm = math.sqrt(norm)
      if norm > 0 then  -- a column of zeros tells no region apart: no distance
        local v, hi, lo = {}, -math.huge, math.huge
        for i = 1, #ids do
          v[i] = w[node.code] * xs[i] / norm * node.direction
          hi, lo = math.max(hi, v[i]), math.min(lo, v[i])
        end
        for i = 1, #ids do
          best[i], worst[i] = best[i] + (v[i] - hi) ^ 2, worst[i] + (v[i] - lo) ^ 2
        end
      end
    end
    local closeness, rows = {}, {}
    for i = 1, #ids do
      best[i], worst[i] = math.sqrt(best[i]), math.sqrt(worst[i])
      if best[i] + worst[i] == 0 then
        raise_for(who, "%s = %s is both the best and the worst on every indicator: no closeness (are they all " ..
                  "constant?)", spec.id, tostring(ids[i]))
      end
      closeness[i] = worst[i] / (best[i] + worst[i])
    end
    local rank = descending_ranks(closeness, #ids)
    for i = 1, #ids do rows[i] = {ids[i], closeness[i], rank[i], best[i], worst[i], n = 5} end
    return M.result(who, {spec.id, "closeness", "rank", "d_best", "d_worst"}, rows)
  end}

return M
