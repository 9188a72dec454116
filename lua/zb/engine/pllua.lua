-- zb.metric on a PostgreSQL server: the metric's Lua function made a PL/Lua
-- function there (the server's pllua extension, Debian's
-- postgresql-15-pllua, which embeds Lua 5.3), so that queries call it where
-- the data are.  The function travels as its own source text, read back
-- from its file or from the chunk typed (zb.core.chunk_texts), and only a
-- text that compiles to the very code zb runs (string.dump without debug
-- information) is sent: nothing else is ever taken for it.  It must stand
-- alone (no upvalue but _ENV: the server cannot see the session's locals)
-- and name its arguments, three at most: each may be bigint, double
-- precision or text, a function made for each combination, so that an
-- integer arrives as an integer and a real as a float, as on SQLite.  The
-- result is double precision unless opts.returns says otherwise.  The
-- functions live in a schema of the session's own, on its search path,
-- dropped when the session ends.  A metric that cannot be made there is
-- still zb's: a query that calls it on the server says why (M.why_not).
local core = require("zb.core")

local M = {}

local MAX_ARGS = 3
local ARG_TYPES = {"bigint", "double precision", "text"}
local RETURNS = {number = "double precision", integer = "bigint", text = "text", boolean = "boolean"}

local why_not = {}   -- metric name -> why it is not on the server
local made = {}      -- metric name -> the signatures made on the server
local session        -- {name = the session's schema}, which drops it when collected

-- A server's error as a reason: its message alone.
local function reason(e)
  local errors = require("zb.host.errors")
  local text = errors.is_error(e) and e.message or tostring(e)
  return (text:gsub("^PostgreSQL: ", ""):gsub("\n.*", ""))
end

-- Lines from .. to of a source whose text begins at line first; nil when
-- it holds no such lines.
local function lines_of(text, first, from, to)
  local out, n = {}, first - 1
  for line in (text .. "\n"):gmatch("(.-)\r?\n") do
    n = n + 1
    if n > to then break end
    if n >= from then out[#out + 1] = line end
  end
  return #out == to - from + 1 and table.concat(out, "\n") or nil
end

-- The texts that may hold fn's lines: its file's, or the chunks typed or
-- given with -e under its source's name (newest first).
local function sources_of(info)
  local found = {}
  local kept = core.chunk_texts(info.source)
  for i = #kept, 1, -1 do found[#found + 1] = kept[i] end
  if info.source:sub(1, 1) == "@" and #found == 0 then
    local f = io.open(info.source:sub(2), "rb")
    if f then
      found[1] = {f:read("a") or "", 1}
      f:close()
    end
  end
  return found
end

-- The function expressions block (fn's lines) may hold: from each
-- "function" of its first line (a name after it dropped) to each "end" of
-- its last.
local function candidates(block)
  local first_end = block:find("\n") or #block + 1
  local last_start = (block:match("^.*()\n") or 0) + 1
  local starts, ends, found = {}, {}, {}
  for at in block:sub(1, first_end - 1):gmatch("()%f[%w_]function%f[^%w_]") do starts[#starts + 1] = at end
  for at in block:sub(last_start):gmatch("()%f[%w_]end%f[^%w_]") do ends[#ends + 1] = last_start + at - 1 end
  for _, s in ipairs(starts) do
    for _, e in ipairs(ends) do
      if e > s then
        local text = block:sub(s, e + 2)
        found[#found + 1] = (text:gsub("^function%s+[%a_][%w_.]*%s*%(", "function(", 1))
      end
    end
  end
  return found
end

-- fn's source text as a function expression that compiles to fn's own
-- code; or nil and why not.
function M.source_of(fn)
  local info = debug.getinfo(fn, "Su")
  if info.what ~= "Lua" then return nil, "it is a C function" end
  for i = 1, info.nups do
    local name = debug.getupvalue(fn, i)
    if name ~= "_ENV" then
      return nil, string.format("it uses %s from outside its body, which the server cannot see: pass it as an argument " ..
                                "or set it inside the function", name and name ~= "" and name or "a local")
    end
  end
  if info.isvararg then return nil, "it takes ..., and a function on the server names its arguments" end
  if info.nparams > MAX_ARGS then
    return nil, string.format("it takes %d arguments; on the server a metric takes %d at most", info.nparams, MAX_ARGS)
  end
  local code = string.dump(fn, true)
  for _, source in ipairs(sources_of(info)) do
    local block = lines_of(source[1], source[2], info.linedefined, info.lastlinedefined)
    for _, text in ipairs(block and candidates(block) or {}) do
      -- on its own lines: a dump keeps where a function's lines are
      local chunk = load(string.rep("\n", info.linedefined - 1) .. "return " .. text, "=metric", "t", {})
      local ok, g = pcall(chunk or error)
      if ok and type(g) == "function" and string.dump(g, true) == code then return text, info.nparams end
    end
  end
  return nil, "zb cannot find its source text (define it in a script, a module or a line of its own)"
end

-- Run sql on the server, its error raised.
local function exec(sql)
  return zb.engine.exec(sql)
end

-- The session's schema of metrics, made at the first (on the search path,
-- after the user's schemas and zb_lib: theirs come first), dropped when
-- the session ends (its finalizer runs before the connection's, made earlier).
local function session_schema()
  if session then return session.name end
  local name = string.format("zb_session_%d_%08x", exec("select pg_backend_pid() as p")[1].p, math.random(0, 0x7fffffff))
  exec("CREATE SCHEMA " .. name)
  zb.engine.setting("select set_config('search_path', current_setting('search_path') || ', " .. name .. "', false)")
  session = setmetatable({name = name}, {__gc = function() pcall(exec, "DROP SCHEMA IF EXISTS " .. name .. " CASCADE") end})
  return name
end

-- Every combination of n argument types.
local function signatures(n)
  local all = {{}}
  for _ = 1, n do
    local longer = {}
    for _, s in ipairs(all) do
      for _, t in ipairs(ARG_TYPES) do
        local copy = table.move(s, 1, #s, 1, {})
        copy[#copy + 1] = t
        longer[#longer + 1] = copy
      end
    end
    all = longer
  end
  return all
end

-- A dollar quote that text does not hold.
local function dollar_quote(text)
  local tag, i = "$zb$", 0
  while text:find(tag, 1, true) do
    i = i + 1
    tag = "$zb" .. i .. "$"
  end
  return tag
end

-- Drop what the server has of metric name.
local function drop(name)
  for _, signature in ipairs(made[name] or {}) do
    exec(string.format("DROP FUNCTION IF EXISTS %s.%s(%s)", session.name, zb.names.quote(name), signature))
  end
  made[name] = nil
end

-- Make metric name (fn, opts as zb.metric takes them) on the server, or say why not.
function M.define(name, fn, opts)
  why_not[name] = nil
  if made[name] then drop(name) end
  local returns = RETURNS[opts.returns or "number"]
  local text, nparams = M.source_of(fn)
  if not text then
    why_not[name] = nparams
    return
  end
  if not exec("select 1 as yes from pg_extension where extname = 'pllua'")[1] then
    local ok, e = pcall(exec, "CREATE EXTENSION IF NOT EXISTS pllua")
    if not ok then
      why_not[name] = "this server cannot run PL/Lua: " .. reason(e)
      return
    end
  end
  local s = session_schema()
  local params = {}
  for i = 1, nparams do params[i] = "a" .. i end
  local body = string.format("local f = %s\nreturn f(%s)", text, table.concat(params, ", "))
  local quote = dollar_quote(body)
  made[name] = {}
  for _, types in ipairs(signatures(nparams)) do
    local args = {}
    for i, t in ipairs(types) do args[i] = params[i] .. " " .. t end
    local ok, e = pcall(exec, string.format("CREATE FUNCTION %s.%s(%s) RETURNS %s LANGUAGE pllua %s AS %s\n%s\n%s",
                                            s, zb.names.quote(name), table.concat(args, ", "), returns,
                                            opts.deterministic and "IMMUTABLE" or "VOLATILE", quote, body, quote))
    if not ok then
      drop(name)
      why_not[name] = "the server's PL/Lua (Lua 5.3) does not take it: " .. reason(e)
      return
    end
    made[name][#made[name] + 1] = table.concat(types, ", ")
  end
end

-- A new connection (zb.connect): the metrics zb.metric made so far made
-- on its server, none of the last one's kept.
function M.connected()
  why_not, made, session = {}, {}, nil
  for name, m in pairs(require("zb.analysis.metric").users) do M.define(name, m.fn, m.opts) end
end

-- Why metric name is not on the server (nil: it is, or is no metric).
function M.why_not(name)
  return why_not[name]
end

return M
