-- zb.metric(name, fn [, opts]): fn becomes the SQL function name, usable in
-- every SQL text zb takes (where, select, mutate, agg, zb.sql), and
-- zb.metrics[name] from Lua.  Values map NULL to nil, integers to integers,
-- reals to floats, text and blobs to strings; fn returns a number, string,
-- boolean or nil.  opts: deterministic (same arguments, same result: SQLite
-- may use it in indexes), unit (of the result), doc (for .help NAME and
-- zb.help(name)), args (how to call it, for the doc line).  Defining a name
-- again replaces it.
local core = require("zb.core")
local metrics = require("zb.analysis.metrics")
local errors = require("zb.host.errors")
errors.own()

local M = {}

-- The engine's own functions (count, abs, round...): a metric of the same
-- name would replace them in every query, zb's own included.
local builtin
local function is_builtin(name)
  builtin = builtin or zb.engine.builtin_functions()
  return builtin[name:lower()]
end

local reserved = {about = true, names = true, define = true}  -- zb.metrics' own fields

local function check_name(who, name)
  -- Letters (Chinese too: SQLite takes UTF-8 in names), digits and _.
  if type(name) ~= "string" or not name:match("^[%a_\128-\255][%w_\128-\255]*$") then
    errors.raise(string.format("bad argument #1 to '%s' (a name of letters, digits and _ expected)", who))
  end
  if reserved[name] then
    errors.raise(string.format("%s: '%s' is taken by zb.metrics.%s; choose another name", who, name, name))
  end
  if is_builtin(name) then
    errors.raise(string.format("%s: '%s' is one of SQLite's own functions; choose another name", who, name))
  end
  local parsed, problem = zb.engine.check("select " .. name .. "(1)")
  if not parsed and problem.misread then
    errors.raise(string.format("%s: '%s' is an SQL keyword and cannot name a function; choose another name", who, name))
  end
end

local metric_options = {deterministic = "boolean", unit = "string", doc = "string", args = "string", returns = "string"}
local returns = {number = true, integer = true, text = true, boolean = true}

M.check_name = check_name

-- opts.returns, when given, one of the types a result may have on a server.
function M.check_returns(who, opts)
  if type(opts) == "table" and opts.returns ~= nil and not returns[opts.returns] then
    errors.raise(string.format("%s: returns must be \"number\", \"integer\", \"text\" or \"boolean\", not %s",
                               who, zb.pretty(opts.returns)))
  end
end

-- The metrics zb.metric made (not zb's library's): name -> {fn =, opts =},
-- made again on a server connected to later.
M.users = {}

-- The metric name of fn, its name taken as it is: zb.library's own names
-- are known good (median may stand in for a newer SQLite's own), and it
-- defines them with no queries as the session opens.
function M.define(name, fn, opts)
  if type(fn) ~= "function" then errors.raise("bad argument #2 to 'metric' (a function expected)") end
  opts = require("zb.host.options").check("metric", opts, metric_options)
  local id, entry = core.register(fn, "metric '" .. name .. "'")
  errors.guarded(core.create_function, name, id, opts.deterministic)
  metrics.define(name, fn, entry, {kind = "metric", doc = opts.doc, unit = opts.unit, args = opts.args})
end

-- zb.metric(...) through C: a tail call keeps the user's line
return setmetatable(M, {__call = core.keep_caller(function(_, name, fn, opts)
  check_name("metric", name)
  M.check_returns("metric", opts)
  M.define(name, fn, opts)
  M.users[name] = {fn = fn, opts = opts or {}}
  -- on a server, the function is made there too (zb.engine.pllua)
  if zb.engine.define_metric then errors.guarded(zb.engine.define_metric, name, fn, opts or {}) end
end)})
