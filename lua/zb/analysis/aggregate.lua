-- zb.aggregate(name, {init =, step =, final = [, inverse =]} [, opts]): an
-- aggregate written in Lua, as the SQL aggregate name (and, with inverse, a
-- window function: name(x) over (partition by ... order by ...)).
--   init     the first state; a function returns a fresh one (use that for tables)
--   step     step(state, ...) for each row; returns the next state, or nil
--            when it changed state in place
--   final    final(state) gives the result (a window calls it more than once:
--            it must leave state as it was)
--   inverse  inverse(state, ...) takes a row back out of a moving window
-- zb.metrics[name](xs [, ys ...]) runs it over Lua arrays (or is opts.lua,
-- a function of its own that does).  opts as for zb.metric: unit, doc, args,
-- returns (its result's type on a server, where it runs as PL/Lua).
local core = require("zb.core")
local metrics = require("zb.analysis.metrics")
local metric = require("zb.analysis.metric")
local errors = require("zb.host.errors")
errors.own()

local options = {unit = "string", doc = "string", args = "string", lua = "function", returns = "string"}
local parts = {init = true, step = true, final = true, inverse = true}

-- The aggregate over arrays: row i takes element i of each; an array's
-- length by zb.stats' rule (its n, or refused with holes: a loop filling
-- xs[i] = row.value leaves them where values are missing).
local function over_arrays(name, spec)
  local length = require("zb.analysis.arrays").length
  return function(...)
    local columns = table.pack(...)
    local n = 0
    for i = 1, columns.n do
      if type(columns[i]) ~= "table" then
        error(string.format("bad argument #%d (an array expected, got %s)", i, type(columns[i])), 2)
      end
      local ok, count = pcall(length, columns[i], name, 1)
      if not ok then error(count, 2) end
      n = math.max(n, count)
    end
    local state = spec.init
    if type(state) == "function" then state = state() end
    local args = {}
    for row = 1, n do
      for i = 1, columns.n do args[i] = columns[i][row] end
      local next_state = spec.step(state, table.unpack(args, 1, columns.n))
      if next_state ~= nil then state = next_state end
    end
    return spec.final(state)
  end
end

-- The aggregate name of spec, its name taken as it is (metric.define says why).
local function define(name, spec, opts)
  if type(spec) ~= "table" then errors.raise("bad argument #2 to 'aggregate' (a table {init =, step =, final =} expected)") end
  for k in pairs(spec) do
    if not parts[k] then
      errors.raise(string.format("aggregate '%s': unknown part '%s' (init, step, final, inverse)", name, tostring(k)))
    end
  end
  for _, k in ipairs({"step", "final"}) do
    if type(spec[k]) ~= "function" then errors.raise(string.format("aggregate '%s': %s must be a function", name, k)) end
  end
  if spec.inverse ~= nil and type(spec.inverse) ~= "function" then
    errors.raise(string.format("aggregate '%s': inverse must be a function", name))
  end
  opts = require("zb.host.options").check("aggregate", opts, options)
  local id, entry = core.register_aggregate("aggregate '" .. name .. "'", spec.init, spec.step, spec.final, spec.inverse)
  errors.guarded(core.create_aggregate, name, id, spec.inverse ~= nil)
  local fn = opts.lua or over_arrays(name, spec)
  metrics.define(name, fn, entry, {kind = spec.inverse and "aggregate (window)" or "aggregate",
                                   doc = opts.doc, unit = opts.unit, args = opts.args})
end

-- zb.aggregate(...) through C: a tail call keeps the user's line.  users:
-- the aggregates zb.aggregate made, by name (a server's session makes them
-- again when it connects).
local users = {}
return setmetatable({define = define, users = users}, {__call = core.keep_caller(function(_, name, spec, opts)
  metric.check_name("aggregate", name)
  metric.check_returns("aggregate", opts)
  if type(opts) == "table" and opts.returns and type(spec) == "table" and type(spec.final) == "function" then
    local checked = {}
    for k, v in pairs(spec) do checked[k] = v end
    checked.final = metric.returning(spec.final, opts.returns)
    define(name, checked, opts)
  else
    define(name, spec, opts)
  end
  users[name] = {spec = spec, opts = opts or {}}
  -- on a server, the aggregate is made there too (zb.engine.pllua)
  if zb.engine.define_aggregate then errors.guarded(zb.engine.define_aggregate, name, spec, opts or {}) end
end)})
