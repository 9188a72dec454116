-- zb.metric on a PostgreSQL server: the metric's Lua function made a PL/Lua
-- function there (the server's pllua extension, Debian's
-- postgresql-15-pllua, which embeds Lua 5.3), so that queries call it where
-- the data are.  The function travels as its own source text, read back
-- from its file or from the chunk typed (zb.core.chunk_texts), and only a
-- text that compiles to the very code zb runs (string.dump without debug
-- information) is sent: nothing else is ever taken for it.  It must stand
-- alone (no upvalue but _ENV: the server cannot see the session's locals)
-- and name its arguments, three at most: each may be bigint, integer,
-- double precision or text, a function made for each combination, so that
-- an integer arrives as an integer and a real as a float, as on SQLite (an
-- integer column, literal or parameter would take the double precision
-- one of bigint, double precision and text: PostgreSQL prefers it: 3.0,
-- "Q3.0").  An error in it names the user's file and line, as on SQLite.  The
-- result is double precision unless opts.returns says otherwise.  The
-- functions live in a schema of the session's own, on its search path,
-- dropped when the session ends.  A metric that cannot be made there is
-- still zb's: a query that calls it on the server says why (M.why_not).
local core = require("zb.core")
local result_check = require("zb.analysis.metric").result_check

local M = {}

local MAX_ARGS = 3
local ARG_TYPES = {"bigint", "integer", "double precision", "text"}
local RETURNS = {number = "double precision", integer = "bigint", text = "text", boolean = "boolean"}

local why_not = {}   -- metric name -> why it is not on the server
local body_line      -- the line of PL/Lua's chunk where a function's body begins (make)
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
-- code, its arguments, and where it is ({src =, line =}: its file or
-- chunk, and its first line); or nil and why not.  most: the arguments it
-- may take (a metric's by default), which limit says in words.
function M.source_of(fn, most, limit)
  most = most or MAX_ARGS
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
  if info.nparams > most then
    return nil, string.format("it takes %d arguments; on the server %s", info.nparams,
                              limit or string.format("a metric takes %d at most", most))
  end
  local code = string.dump(fn, true)
  for _, source in ipairs(sources_of(info)) do
    local block = lines_of(source[1], source[2], info.linedefined, info.lastlinedefined)
    for _, text in ipairs(block and candidates(block) or {}) do
      -- on its own lines: a dump keeps where a function's lines are
      local chunk = load(string.rep("\n", info.linedefined - 1) .. "return " .. text, "=metric", "t", {})
      local ok, g = pcall(chunk or error)
      if ok and type(g) == "function" and string.dump(g, true) == code then
        return text, info.nparams, {src = info.short_src, line = info.linedefined}
      end
    end
  end
  return nil, "zb cannot find its source text (define it in a script, a module or a line of its own)"
end

-- Lua source that calls the function of source text (where: as source_of
-- gives it) with args (Lua expressions, a text) and sets the local r to
-- its result; an error in it is raised as on SQLite: after label ("metric
-- 'x'"), at the user's file and line, where the server would name its own
-- chunk and line.  The chunk's line of text's first line is found from an
-- error raised on it (PL/Lua's trusted Lua has no debug library).
local function call(text, where, args, label)
  return "local zb_here = function() error('') end local zb_fn = " .. text .. "\n" ..
    "local zb_ok, r = pcall(zb_fn" .. (args ~= "" and ", " .. args or "") .. ")\n" ..
    "if not zb_ok then\n" ..
    "  if type(r) ~= 'string' then error(r, 0) end\n" ..
    "  local _, at = pcall(zb_here)\n" ..
    "  local chunk, first = tostring(at):match('^(.*):(%d+): $')\n" ..
    "  local line, rest = nil, nil\n" ..
    "  if chunk and r:sub(1, #chunk + 1) == chunk .. ':' then line, rest = r:sub(#chunk + 2):match('^(%d+):(.*)$') end\n" ..
    "  if line then r = " .. string.format("%q", where.src) .. " .. ':' .. math.tointeger(tonumber(line) - " ..
    "tonumber(first) + " .. where.line .. ") .. ':' .. rest end\n" ..
    "  error(" .. string.format("%q", label .. ": ") .. " .. r, 0)\n" ..
    "end\n"
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

-- The session's schema of metrics; nil and why not (a role that may not
-- make schemas in the database: the metric stays zb's, a query that
-- calls it on the server says why).
local function schema_or_why()
  local ok, s = pcall(session_schema)
  if ok then return s end
  return nil, "the server would not make a schema of the session's for it: " .. reason(s)
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

-- Drop what the server has of metric or aggregate name (made[name]: the
-- statements that drop it, in order).
local function drop(name)
  for _, statement in ipairs(made[name] or {}) do exec(statement) end
  made[name] = nil
end

-- Make the extension when the server has it but the database not yet;
-- nil, or why the server cannot run PL/Lua.
local function need_pllua()
  if exec("select 1 as yes from pg_extension where extname = 'pllua'")[1] then return nil end
  local ok, e = pcall(exec, "CREATE EXTENSION IF NOT EXISTS pllua")
  if not ok then return "this server cannot run PL/Lua: " .. reason(e) end
end

-- Run the statements that make a metric or an aggregate (each {make,
-- drop}) in one round trip and one transaction (so that none is made when
-- the server refuses one), recording the drops last to first; nil, or why
-- the server refused.
-- places: for the name of each function made, where the user's text in
-- its body is ({where =, first =}: source_of's where, and the body's line
-- of the text's first line), so that the server's compile error names the
-- user's file and line (its chunk's line, less the chunk's line of a body's
-- first, which a probe's error tells once a session).
local function make(name, statements, places)
  local makes, drops = {}, {}
  for i, st in ipairs(statements) do makes[i], drops[#statements + 1 - i] = st[1], st[2] end
  local ok, e = pcall(exec, table.concat(makes, ";\n"))
  if ok then
    made[name] = drops
    return nil
  end
  local why = reason(e)
  local fn, line, rest = why:match('^pllua: %[string "([^"]*)"%]:(%d+):%s*(.*)$')
  local place = fn and places[fn]
  if place and not body_line then
    local _, probe = pcall(exec, "CREATE FUNCTION " .. session.name .. ".zb_line_probe() RETURNS void LANGUAGE pllua " ..
                                 "AS $$\n@\n$$")  -- (@ on the body's first line, as make's bodies are written)
    body_line = tonumber(reason(probe):match('^pllua: %[string "[^"]*"%]:(%d+):'))
  end
  if place and body_line then
    why = string.format("%s:%d: %s", place.where.src, place.where.line + tonumber(line) - body_line + 1 - place.first, rest)
  end
  return "the server's PL/Lua (Lua 5.3) does not take it: " .. why
end

-- Make metric name (fn, opts as zb.metric takes them) on the server, or say why not.
function M.define(name, fn, opts)
  why_not[name] = nil
  if made[name] then drop(name) end
  local returns = RETURNS[opts.returns or "number"]
  local text, nparams, where = M.source_of(fn)
  if not text then
    why_not[name] = nparams
    return
  end
  why_not[name] = need_pllua()
  if why_not[name] then return end
  local s
  s, why_not[name] = schema_or_why()
  if not s then return end
  local params = {}
  for i = 1, nparams do params[i] = "a" .. i end
  local label = "metric '" .. name .. "'"
  local body = call(text, where, table.concat(params, ", "), label) .. result_check(opts.returns or "number", label) ..
               "return r"
  local quote = dollar_quote(body)
  local statements = {}
  for _, types in ipairs(signatures(nparams)) do
    local args = {}
    for i, t in ipairs(types) do args[i] = params[i] .. " " .. t end
    statements[#statements + 1] = {
      string.format("CREATE FUNCTION %s.%s(%s) RETURNS %s LANGUAGE pllua %s AS %s\n%s\n%s", s, zb.names.quote(name),
                    table.concat(args, ", "), returns, opts.deterministic and "IMMUTABLE" or "VOLATILE", quote, body, quote),
      string.format("DROP FUNCTION IF EXISTS %s.%s(%s)", s, zb.names.quote(name), table.concat(types, ", "))}
  end
  why_not[name] = make(name, statements, {[name] = {where = where, first = 1}})
end

-- Why a part of an aggregate (step, final ...) cannot be sent, said of it.
local function part_why(part, why)
  if why:find("^it ") then return (why:gsub("^it ", "its " .. part .. " ", 1)) end
  return "its " .. part .. ": " .. why
end

-- An aggregate's init as Lua source: a function's own text, or the value
-- written out; nil and why not (a table: the server cannot be sent it).
local function init_source(init)
  if type(init) == "function" then
    local text, why = M.source_of(init, 0, "init takes none")
    return text, not text and part_why("init", why) or nil
  end
  if math.type(init) == "integer" then return string.format("math.tointeger(%d)", init) end
  if type(init) == "number" then
    return init ~= init and "(0/0)" or init == 1 / 0 and "(1/0)" or init == -1 / 0 and "(-1/0)"
           or string.format("%.17g", init)
  end
  if type(init) == "string" then return string.format("%q", init) end
  if init == nil or type(init) == "boolean" then return tostring(init) end
  return nil, "its init is a table, which the server cannot be sent: give a function that makes it (init = function() " ..
              "return {} end)"
end

-- The states of the session's aggregates on the server, in a table of
-- PL/Lua's globals shared by its functions: an aggregate's state value
-- on the server is a number naming its entry (STYPE bigint), as a
-- zb.aggregate's state is any Lua value.  A plain aggregate's final
-- function takes its entry out (FINALFUNC_MODIFY = READ_WRITE); a window
-- one's final function may be called again, so its entries go when the
-- next statement makes its first state.
local STATES = [[
local S = _G.zb_aggregate_states
if S == nil then S = {} _G.zb_aggregate_states = S end
]]

-- Make aggregate name (spec, opts as zb.aggregate takes them) on the server, or say why not.
function M.define_aggregate(name, spec, opts)
  why_not[name] = nil
  if made[name] then drop(name) end
  local returns = RETURNS[opts.returns or "number"]
  local init, why = init_source(spec.init)
  local values_limit = string.format("it takes the state and %d values at most", MAX_ARGS)
  local step, nparams, step_where = M.source_of(spec.step, MAX_ARGS + 1, values_limit)
  local final, final_why, final_where = M.source_of(spec.final, 1, "it takes the state alone")
  local inverse, inverse_why, inverse_where
  if spec.inverse then inverse, inverse_why, inverse_where = M.source_of(spec.inverse, MAX_ARGS + 1, values_limit) end
  why = why or (not step and part_why("step", nparams)) or (not final and part_why("final", final_why))
        or (spec.inverse and not inverse and part_why("inverse", inverse_why))
        or (nparams < 2 and "its step takes no value after the state")
  if why then
    why_not[name] = why
    return
  end
  why_not[name] = need_pllua()
  if why_not[name] then return end
  local q = zb.names.quote
  local s
  s, why_not[name] = schema_or_why()
  if not s then return end
  local window = spec.inverse ~= nil
  local params = {}
  for i = 1, nparams - 1 do params[i] = "a" .. i end
  local values = table.concat(params, ", ")
  -- a window's state notes its statement, and its first state in a
  -- statement lets go of those of earlier statements (spi: PL/Lua's own)
  local since = window and "spi.execute('select statement_timestamp()::text as t')[1].t" or "false"
  local label = "aggregate '" .. name .. "'"
  -- each body, and its line where fn's text begins (make's places)
  local function stepping(fn, where)
    local prelude = STATES .. "local box = h and S[h]\nif box == nil then\n" ..
      "  local since = " .. since .. "\n" ..
      (window and "  if _G.zb_aggregate_statement ~= since then\n" ..
                  "    for k, b in pairs(S) do if b.since and b.since ~= since then S[k] = nil end end\n" ..
                  "    _G.zb_aggregate_statement = since\n  end\n" or "") ..
      "  h = (_G.zb_aggregate_next or 0) + 1\n  _G.zb_aggregate_next = h\n" ..
      "  local init = " .. init .. "\n  if type(init) == 'function' then init = init() end\n" ..
      "  box = {state = init, since = since}\n  S[h] = box\nend\n"
    return prelude .. call(fn, where, "box.state" .. (values ~= "" and ", " .. values or ""), label) ..
      "if r ~= nil then box.state = r end\nreturn h", select(2, prelude:gsub("\n", "")) + 1
  end
  local function finishing(keep)
    local prelude = STATES .. "local box = h and S[h]\nlocal state\n" ..
      "if box then state = box.state" .. (keep and "" or " S[h] = nil") .. "\n" ..
      "else state = " .. init .. " if type(state) == 'function' then state = state() end end\n"
    return prelude .. call(final, final_where, "state", label) .. result_check(opts.returns or "number", label) ..
      "return r", select(2, prelude:gsub("\n", "")) + 1
  end
  local function fn_sql(fn_name, args, result, body)
    local quote = dollar_quote(body)
    return {string.format("CREATE FUNCTION %s.%s(%s) RETURNS %s LANGUAGE pllua VOLATILE AS %s\n%s\n%s",
                          s, q(fn_name), args, result, quote, body, quote),
            string.format("DROP FUNCTION IF EXISTS %s.%s(%s)", s, q(fn_name),
                          (args:gsub("a%d+ ", ""):gsub("^h ", "")))}
  end
  local final_name = name .. (window and "__value" or "__final")
  local final_body, final_first = finishing(window)
  local step_body, step_first = stepping(step, step_where)
  local inverse_body, inverse_first
  if window then inverse_body, inverse_first = stepping(inverse, inverse_where) end
  local places = {[final_name] = {where = final_where, first = final_first},
                  [name .. "__step"] = {where = step_where, first = step_first},
                  [name .. "__inverse"] = window and {where = inverse_where, first = inverse_first} or nil}
  local statements = {fn_sql(final_name, "h bigint", returns, final_body)}
  for _, types in ipairs(signatures(nparams - 1)) do
    local args = {"h bigint"}
    for i, t in ipairs(types) do args[i + 1] = params[i] .. " " .. t end
    args = table.concat(args, ", ")
    statements[#statements + 1] = fn_sql(name .. "__step", args, "bigint", step_body)
    local parts = string.format("SFUNC = %s.%s, STYPE = bigint, FINALFUNC = %s.%s, FINALFUNC_MODIFY = %s",
                                s, q(name .. "__step"), s, q(final_name), window and "READ_ONLY" or "READ_WRITE")
    if window then
      statements[#statements + 1] = fn_sql(name .. "__inverse", args, "bigint", inverse_body)
      parts = parts .. string.format(", MSFUNC = %s.%s, MINVFUNC = %s.%s, MSTYPE = bigint, MFINALFUNC = %s.%s, " ..
                                     "MFINALFUNC_MODIFY = READ_ONLY", s, q(name .. "__step"), s, q(name .. "__inverse"),
                                     s, q(final_name))
    end
    local list = table.concat(types, ", ")
    statements[#statements + 1] = {string.format("CREATE AGGREGATE %s.%s(%s) (%s)", s, q(name), list, parts),
                                   string.format("DROP AGGREGATE IF EXISTS %s.%s(%s)", s, q(name), list)}
  end
  why_not[name] = make(name, statements, places)
end

-- A new connection (zb.connect): the metrics zb.metric made so far made
-- on its server, none of the last one's kept.
function M.connected()
  why_not, made, session, body_line = {}, {}, nil, nil
  -- (the modules of metrics defined before connecting: none loaded, none defined)
  local metric, aggregate = package.loaded["zb.analysis.metric"], package.loaded["zb.analysis.aggregate"]
  for name, m in pairs(metric and metric.users or {}) do M.define(name, m.fn, m.opts) end
  for name, a in pairs(aggregate and aggregate.users or {}) do M.define_aggregate(name, a.spec, a.opts) end
end

-- Why metric name is not on the server (nil: it is, or is no metric).
function M.why_not(name)
  return why_not[name]
end

return M
