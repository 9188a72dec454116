-- zb.metric(name, fn [, opts]): fn becomes the SQL function name, usable in
-- every SQL text zb takes (where, select, mutate, agg, zb.sql), and
-- zb.metrics[name] from Lua.  Values map NULL to nil, integers to integers,
-- reals to floats, text and blobs to strings; fn returns a number, string,
-- boolean or nil.  opts: deterministic (same arguments, same result: SQLite
-- may use it in indexes), unit (of the result), doc (for .help NAME and
-- zb.help(name)), args (how to call it, for the doc line).  Defining a name
-- again replaces it.
local core = require("zb.core")
local metrics = require("zb.metrics")

local function check_name(who, name)
  if type(name) ~= "string" or not name:match("^[%a_][%w_]*$") then
    error(string.format("bad argument #1 to '%s' (a name of letters, digits and _ expected)", who), 3)
  end
end

local function check_opts(who, opts, allowed)
  if opts == nil then return {} end
  if type(opts) ~= "table" then error(string.format("%s: options must be a table", who), 3) end
  for k in pairs(opts) do
    if not allowed[k] then
      error(string.format("%s: unknown option '%s'", who, tostring(k)), 3)
    end
  end
  return opts
end

local metric_options = {deterministic = true, unit = true, doc = true, args = true}

return setmetatable({check_name = check_name, check_opts = check_opts}, {__call = function(_, name, fn, opts)
  check_name("metric", name)
  if type(fn) ~= "function" then error("bad argument #2 to 'metric' (a function expected)", 2) end
  opts = check_opts("metric", opts, metric_options)
  local id, entry = core.register(fn, "metric '" .. name .. "'")
  core.create_function(name, id, opts.deterministic)
  metrics.define(name, fn, entry, {kind = "metric", doc = opts.doc, unit = opts.unit, args = opts.args})
end})
