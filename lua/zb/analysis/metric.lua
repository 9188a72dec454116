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

-- Lua source that checks a function's result r before the engine takes
-- it as the type returns says (kind: number, integer, text, boolean): a
-- boolean is 1 or 0 in a number, as on SQLite; what the type cannot hold
-- is an error naming the function (label: "metric 'x'"; nil where the
-- engine names it) and what it gave, not PL/Lua's "bigint out of range"
-- or "incompatible value type".
function M.result_check(kind, label)
  local fail = "error(" .. string.format("%q", label and label .. " " or "") .. " .. "
  local source = "if type(r) == 'table' or type(r) == 'function' or type(r) == 'userdata' or type(r) == 'thread' " ..
    "then " .. fail .. "'returned a ' .. type(r) .. ' (expected a number, string, boolean or nil)', 0) end\n"
  if kind == "number" or kind == "integer" then
    source = source .. "if type(r) == 'boolean' then r = r and 1 or 0 end\n" ..
      "if type(r) == 'string' then " .. fail .. [["returned the text '" .. r .. "', where its result is ]] ..
      (kind == "integer" and "an integer" or "a number") .. [[ (returns = \"text\" makes it text)", 0) end]] .. "\n"
  end
  if kind == "integer" then
    source = source .. "if r ~= nil and math.tointeger(r) == nil then " .. fail ..
      [["returned " .. tostring(r) .. ", not an integer (returns = \"integer\")", 0) end]] .. "\n" ..
      "if r ~= nil then r = math.tointeger(r) end\n"
  end
  return source
end

-- fn, its result checked and made the type returns says, by the source a
-- server's PL/Lua function runs: opts.returns holds on SQLite as there.
function M.returning(fn, kind)
  local check = assert(load("local r = ...\n" .. M.result_check(kind) .. "return r", "=returns"))
  return function(...) return check(fn(...)) end
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
  M.define(name, opts and opts.returns and M.returning(fn, opts.returns) or fn, opts)
  M.users[name] = {fn = fn, opts = opts or {}}
  -- on a server, the function is made there too (zb.engine.pllua)
  if zb.engine.define_metric then errors.guarded(zb.engine.define_metric, name, fn, opts or {}) end
end)})
