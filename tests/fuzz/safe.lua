-- Fuzz the sandbox of `zb --safe`: the input's bytes pick a Lua program out
-- of pieces of what a safe script can reach (debug.getinfo in every call
-- form, load and its readers, loadfile, coroutines, metamethods, io, os,
-- package, SQL's ATTACH and VACUUM INTO, zb's loaders and exports,
-- zb.timeout), and ./zb --safe runs it as a child, in a scratch ROOT:
--   ROOT/allow    --allow (read, write); links into ROOT/outside, some to nothing
--   ROOT/own      the script's directory (read): prog.lua, helper files
--   ROOT/outside  neither: secret.txt, secret.db and lib.lua hold a token
-- A finding: a command ran (ROOT/canary), anything under ROOT but allow
-- changed, the token (also in the child's environment) reached the
-- script's output or a file in allow, the script saw a refused thing
-- succeed (a function from debug.getinfo, a binary chunk loaded), zb died
-- of a signal, outlived --timeout and its 2 s grace, or --max-memory.
-- ZB_FUZZ_SAFE_SHOW=1 prints each program and what it did on stderr;
-- ZB_FUZZ_SAFE_ZB=PATH fuzzes that zb instead of ./zb.
local TIMEOUT, MEMORY_MB = 1, 64
local WALL_LIMIT = TIMEOUT + 2 + 3  -- seconds: the stop, zb's grace, a margin
local MAX_PROGRAM = 12000           -- bytes of generated statements
local MARK = "ZBFUZZ-" .. "ESCAPE"   -- never literal in a file a script may read
local LOOP_MARK = "ZBFUZZ-" .. "LOOP"
local SHOW = (os.getenv("ZB_FUZZ_SAFE_SHOW") or "") ~= ""

local T = dofile("tests/lib/check.lua")  -- its file and shell helpers (make runs zb-fuzz at the top)

local function run(cmd)  -- a shell command; its status
  local ok, how, code = os.execute(cmd)
  return ok and 0 or how == "exit" and code or 128 + (code or 0)
end

local function capture(cmd)
  local p = assert(io.popen(cmd))
  local s = p:read("a")
  p:close()
  return s
end

-- ---- the scratch tree, made once per fuzzer process ----

local HOME = capture("pwd"):gsub("\n$", "")  -- make runs zb-fuzz at the top of the tree
local ZB = os.getenv("ZB_FUZZ_SAFE_ZB") or HOME .. "/zb"  -- another build to fuzz
local pid = capture("echo $PPID"):gsub("\n$", "")
local TMP = os.getenv("TMPDIR") or "/tmp"
-- scratch trees of fuzzers no longer running go first
run("for d in " .. T.shell_quote(TMP) .. "/zb-fuzz-safe.*; do [ -d \"$d\" ] || continue; " ..
    "kill -0 \"${d##*.}\" 2>/dev/null || rm -rf \"$d\"; done")
local BASE = TMP .. "/zb-fuzz-safe." .. pid
local TEMPLATE, ROOT = BASE .. "/template", BASE .. "/root"
local TOKEN = string.format("zbsecret%08x%08x", math.random(0, 0x7fffffff), os.time() & 0x7fffffff)

run("rm -rf " .. T.shell_quote(BASE))
assert(run("mkdir -p " .. T.shell_quote(TEMPLATE .. "/allow") .. " " .. T.shell_quote(TEMPLATE .. "/own") .. " " ..
           T.shell_quote(TEMPLATE .. "/outside")) == 0, "cannot make " .. TEMPLATE)
local binary_chunk = string.dump(function(...) return select("#", ...) end)
for name, text in pairs{
  ["outside/secret.txt"] = "secret\n" .. TOKEN .. "\n",   -- a CSV, and a Lua syntax error naming the token
  ["outside/lib.lua"] = "return '" .. TOKEN .. "'\n",
  ["allow/f.txt"] = "a,b\n1,x\n",
  ["allow/data.csv"] = "a,b\n1,x\n2,y\n",
  ["allow/bin.luac"] = binary_chunk,
  ["own/helper.lua"] = "return select('#', ...), debug.getinfo(1, 'nSl')\n",
  ["own/data.csv"] = "region,year,value\nhz,2021,1.5\nnb,2020,2\n",
  ["own/data.json"] = '[{"a": 1, "b": "x"}]\n',
  ["own/bin.luac"] = binary_chunk,
} do T.write(TEMPLATE .. "/" .. name, text) end
local function make_db(path, ...)
  zb.db:sql("attach ? as zbfuzz_make", path)
  for _, sql in ipairs{...} do zb.db:sql(sql) end
  zb.db:sql("detach zbfuzz_make")
end
make_db(TEMPLATE .. "/outside/secret.db", "create table zbfuzz_make.s(v)",
        "insert into zbfuzz_make.s values ('" .. TOKEN .. "')")
make_db(TEMPLATE .. "/allow/a.db", "create table zbfuzz_make.t(x)", "insert into zbfuzz_make.t values (1)")
make_db(TEMPLATE .. "/allow/victim.db", "create table zbfuzz_make.t(x)")
make_db(TEMPLATE .. "/allow/hot.db", "create table zbfuzz_make.t(x)")
-- links last (a database's journal must not go through them yet); relative,
-- so that each copy of the template leads into its own outside
assert(run("cd " .. T.shell_quote(TEMPLATE) .. " && " .. table.concat({
  "ln -s ../outside/secret.txt allow/to-secret",
  "ln -s ../outside/secret.db allow/to-secret-db",
  "ln -s ../outside/missing.txt allow/to-missing",
  "ln -s ../outside allow/to-outside",
  "ln -s ../outside/journal allow/victim.db-journal",  -- SQLite's names beside a database
  "ln -s ../outside/wal allow/victim.db-wal",
  "ln -s ../outside/shm allow/victim.db-shm",
  "ln -s ../outside/fresh-journal allow/fresh.db-journal",
  "ln -s ../outside/secret.txt allow/hot.db-journal",  -- a "hot journal" to roll back from
  "ln -s ../outside/lib.lua allow/hot.db-wal",
  "ln -s ../outside/secret.txt own/to-secret",
}, " && ")) == 0, "cannot link in " .. TEMPLATE)

-- ---- what each program starts with ----

-- The prelude keeps what it uses in locals, so that a piece that replaces
-- globals cannot blind it.  show() prints values (the token, if a read got
-- through); escape() reports a refused thing that worked.
local PRELUDE = [==[
local R = %q
local pcall, type, tostring, select, next = pcall, type, tostring, select, next
local format, sub, gsub, match, find = string.format, string.sub, string.gsub, string.match, string.find
local concat, min = table.concat, math.min
local stdout, write, flush = io.stdout, io.stdout.write, io.stdout.flush
local getinfo, iotype, dump = debug.getinfo, io.type, string.dump
local budget, escapes = 1 << 16, 0
local function say(s)
  if budget > 0 then budget = budget - #s write(stdout, s, "\n") end
end
local function text(v, depth)
  local kind = type(v)
  depth = depth or 0
  if kind == "table" and depth < 3 then
    local parts, n = {}, 0
    for k, x in next, v do
      n = n + 1
      if n > 12 then break end
      parts[n] = text(k, 3) .. "=" .. text(x, depth + 1)
    end
    return "{" .. concat(parts, ",") .. "}"
  elseif kind == "userdata" and depth == 0 then
    local ok, s = pcall(function() return v:limit(8):to_csv() end)
    if ok and type(s) == "string" then return sub(s, 1, 300) end
  end
  local ok, s = pcall(tostring, v)
  return ok and type(s) == "string" and sub(s, 1, 300) or "?"
end
local function show(tag, ...)
  local parts = {tag}
  for i = 1, min(select("#", ...), 4) do parts[i + 1] = text((select(i, ...))) end
  say(concat(parts, " "))
  return ...
end
local function escape(what)
  escapes = escapes + 1
  if escapes > 200 then return end
  write(stdout, format("ZBFUZZ-%%s %%s\n", "ESCAPE", what))
  flush(stdout)
end
local chunk = dump(function() return 1 end)
local function q(s) return "'" .. gsub(s, "'", "''") .. "'" end
-- A C function from the stack may be one the sandbox wraps (load, io.open,
-- io.lines): try it as each.
local function abuse(fn, how)
  local ok, got = pcall(fn, chunk, "=leak", "b")
  if ok and type(got) == "function" then escape("a binary chunk loaded by a function from " .. how) end
  ok, got = pcall(fn, R .. "/outside/written", "w")
  if ok and iotype(got) == "file" then pcall(got.write, got, "leaked") pcall(got.close, got) end
  ok, got = pcall(fn, R .. "/outside/secret.txt")
  if ok and iotype(got) == "file" then show("leak", pcall(got.read, got, "a")) pcall(got.close, got)
  elseif ok and type(got) == "function" then show("leak", pcall(got, "l")) end
  pcall(fn, "touch " .. R .. "/canary")
end
-- What debug.getinfo gave: a function in it (but the one asked about) is a leak.
local function inspect(how, given, ok, info)
  if ok and type(info) == "table" then
    for k, v in next, info do
      if type(v) == "function" and v ~= given then
        escape("debug.getinfo returned a function (" .. tostring(k) .. ") from " .. how)
        local ok2, what = pcall(getinfo, v, "S")
        if ok2 and type(what) == "table" and what.what == "C" then abuse(v, how) end
      end
    end
  end
  return info
end
-- What load, loadfile or dofile gave for a binary chunk.
local function binary(how, ok, f)
  if ok and type(f) == "function" then escape("a binary chunk loaded through " .. how) end
  return f
end
local function found(how, ok, path)
  if ok and type(path) == "string" and find(match(path, "[^/]*$"), "^secret") then
    escape("package.searchpath found ROOT/outside's secret (" .. how .. ")")
  end
  return path
end
local function step(i, f)
  show("step " .. i, pcall(f))
end
]==]

-- ---- the generator ----

-- Paths the programs use: Lua expressions, inside ROOT (cwd) but for a few
-- of the system's.
local PATHS = {
  'R .. "/allow/f.txt"', 'R .. "/allow/new.txt"', 'R .. "/allow/a.db"', 'R .. "/allow/new.db"',
  'R .. "/allow/victim.db"', 'R .. "/allow/fresh.db"', 'R .. "/allow/data.csv"', 'R .. "/allow/bin.luac"',
  'R .. "/allow/to-secret"', 'R .. "/allow/to-secret-db"', 'R .. "/allow/to-missing"',
  'R .. "/allow/to-outside"', 'R .. "/allow/to-outside/secret.txt"', 'R .. "/allow/to-outside/new.txt"',
  'R .. "/allow/../outside/secret.txt"', 'R .. "/allow/../outside/written"', 'R .. "/allow/victim.db-journal"',
  'R .. "/own/helper.lua"', 'R .. "/own/data.csv"', 'R .. "/own/bin.luac"', 'R .. "/own/new.txt"',
  'R .. "/own/to-secret"', 'R .. "/own/data.json"',
  'R .. "/outside/secret.txt"', 'R .. "/outside/secret.db"', 'R .. "/outside/lib.lua"',
  'R .. "/outside/written"', 'R .. "/outside"', 'R .. "/canary"',
  '"allow/f.txt"', '"allow/x.csv"', '"outside/secret.txt"', '"outside/written"', '"canary"',
  '"own/../outside/secret.txt"', '"./allow/../allow/new.txt"', '"allow/to-outside/../outside/written"',
  'R .. "/allow//f.txt"', 'R .. "/allow/./new.txt"', 'R .. "/allow/"', 'R .. "/allow/x\\0/../../outside/written"',
  '"/proc/self/environ"', '"/proc/self/cwd/outside/secret.txt"', '"/proc/self/root" .. R .. "/outside/secret.txt"',
  '"/dev/null"', '"/dev/stdout"', '"/dev/fd/1"', '""', '"."', '"/"',
  string.format("%q", HOME .. "/datasets/hangzhou-2021.csv"), string.format("%q", HOME .. "/lua/zb/host/safe.lua"),
}

-- Databases, and names SQLite would make a database's journal under.
local DB_PATHS = {
  'R .. "/allow/a.db"', 'R .. "/allow/victim.db"', 'R .. "/allow/fresh.db"', 'R .. "/allow/new.db"', '"allow/victim.db"',
  'R .. "/allow/hot.db"', '"allow/hot.db"',
  '"allow/fresh.db"', 'R .. "/allow/to-secret-db"', 'R .. "/outside/secret.db"', '"outside/secret.db"',
  'R .. "/allow/to-outside/secret.db"', 'R .. "/allow/to-outside/new.db"',
}

-- Binary chunks as files.
local BINARY_PATHS = {'R .. "/own/bin.luac"', 'R .. "/allow/bin.luac"', '"allow/bin.luac"', '"own/bin.luac"'}

local function generate(input)
  local pos = 0
  local function byte()
    pos = pos + 1
    return input:byte(pos) or 0
  end
  local function pick(list)
    return list[byte() % #list + 1]
  end
  local function chance(n)  -- one time in n
    return byte() % n == 0
  end
  local serial, exits = 0, false  -- exits: an os.exit the program may reach in a finalizer
  local function name(prefix)
    serial = serial + 1
    return prefix .. serial
  end
  local function quoted(s)
    return string.format("%q", s)
  end
  local function path() return pick(PATHS) end

  local LEVELS = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "-1", "math.maxinteger", '"2"', "2.0", "1.5", "3"}
  local OPTIONS = {'"f"', '"L"', '"nSl"', '"fL"', '"flnSrtu"', '"Sf"', '">f"', '""', "nil", "1", '"u"', '"f\\0"'}
  local THREADS = {"coroutine.running()", "coroutine.running()", "(coroutine.create(print))"}
  local FUNCTIONS = {"print", "io.open", "load", "debug.getinfo", "zb.sql", "step", "coroutine.wrap(print)"}
  local MODES = {'"b"', '"t"', '"bt"', '"tb"', "nil", '"x"', "1"}

  local piece  -- forward: a statement, from the input

  -- A statement run where the script gets control back (a reader, a
  -- metamethod, a handler): mostly a look at the stack.
  local function sub(depth, where)
    if depth > 2 or chance(4) then return "" end
    if chance(2) then return piece(depth + 1, where) end
    return piece(depth + 1, where, "getinfo")
  end

  -- debug.getinfo in each of its call forms; what it returns goes to inspect.
  local function getinfo_call(where)
    local form = byte() % 10
    local given, args = "nil", nil
    if form == 0 then args = pick(LEVELS) .. ", " .. pick(OPTIONS)
    elseif form == 1 then args = pick(LEVELS)
    elseif form == 2 or form == 3 then args = pick(THREADS) .. ", " .. pick(LEVELS) .. ", " .. pick(OPTIONS)
    elseif form == 4 then args = pick(THREADS) .. ", " .. pick(LEVELS)
    elseif form == 5 then
      given = pick(FUNCTIONS)
      args = given .. ", " .. pick(OPTIONS)
    elseif form == 6 then
      given = pick(FUNCTIONS)
      args = pick(THREADS) .. ", " .. given .. ", " .. pick(OPTIONS)
    elseif form == 7 then args = pick{"", pick(OPTIONS), pick(THREADS), pick(LEVELS) .. ", " .. pick(OPTIONS) .. ", 1"}
    else  -- every level of the stack
      local l = name("l")
      local thread = pick(THREADS)
      local opt = chance(3) and "" or ", " .. pick(OPTIONS)
      local how = where .. ": debug.getinfo(" .. thread .. ", level" .. opt .. ")"
      return string.format("for %s = 0, 9 do inspect(%s .. %s, nil, pcall(debug.getinfo, %s, %s%s)) end",
                           l, quoted(how .. " at "), l, thread, l, opt)
    end
    if given:find("%(") then given = "nil" end  -- a fresh function is never the one returned
    return string.format("inspect(%s, %s, pcall(debug.getinfo%s))", quoted(where .. ": debug.getinfo(" .. args .. ")"),
                         given, args == "" and "" or ", " .. args)
  end

  local function traceback_call()
    return "show('traceback', debug.traceback(" .. pick{"", '"m"', '"m", ' .. pick(LEVELS),
      pick(THREADS) .. ', "m", ' .. pick(LEVELS), pick(THREADS), "{}", "nil, " .. pick(LEVELS), "12",
      pick(THREADS) .. ", nil, " .. pick(LEVELS)} .. "))"
  end

  -- An environment for load: some run code when a global is read.
  local function env(depth)
    local k = byte() % 6
    if k == 0 then return "{}" end
    if k == 1 then return "_G" end
    if k == 2 then return "setmetatable({}, {__index = _G})" end
    if k == 3 then return "nil" end
    return "setmetatable({}, {__index = function(_, k) " .. sub(depth, "a load env's __index") .. " return _G[k] end})"
  end

  -- A call that fails inside a function the sandbox wraps: its handler
  -- sees the original on the stack.
  local FAILING = {
    function() return "io.open(" .. path() .. ", " .. pick{'"z"', '"rw"', "1", '"r+b+"', "{}"} .. ")" end,
    function() return "io.lines(" .. path() .. ", " .. pick{'"z"', '"*x"', "{}", "0"} .. ")" end,
    function() return "io.input(" .. path() .. ")" end,
    function() return "io.output(" .. path() .. ")" end,
    function() return "load(" .. pick{"123", "{}", '"x", "n", "t", 1', "true"} .. ")" end,
    function() return "loadfile(" .. path() .. ", " .. pick(MODES) .. ", 1)" end,
    function() return "dofile(" .. path() .. ")" end,
    function() return "package.searchpath(" .. pick{"{}", '"x", {}', '"x", "?", {}'} .. ")" end,
    function() return "os.rename(" .. path() .. ", " .. path() .. ")" end,
    function() return "os.remove(" .. path() .. ")" end,
    function() return "zb.read_csv(" .. path() .. ")" end,
    function() return "zb.sql(\"ATTACH \" .. q(" .. path() .. ") .. \" AS x; bad\")" end,
    function() return "string.rep('x', -1, {})" end,
    function() return "error(setmetatable({}, {__tostring = function() return 'e' end}))" end,
  }

  local function attach_target()  -- a Lua expression: a name as SQLite takes it
    local p = chance(2) and path() or pick(DB_PATHS)
    local k = byte() % 14
    if k == 0 then return '"file:" .. ' .. p end
    if k == 1 then return '"file:" .. ' .. p .. ' .. "?mode=ro"' end
    if k == 2 then return '"file:" .. ' .. p .. ' .. "?mode=rw"' end
    if k == 3 then return '"file:" .. ' .. p .. ' .. "?mode=rwc"' end
    if k == 4 then return '"file:" .. ' .. p .. ' .. "?modeof=" .. ' .. path() end
    if k == 5 then return '"file:" .. ' .. p .. ' .. "#x"' end
    if k == 6 then return '"file:" .. ' .. p .. ' .. "?mode=ro&mode=rwc"' end
    if k == 7 then return '"file:" .. ' .. p .. ' .. ' .. pick{'"?vfs=unix-none"', '"?immutable=1"', '"?nolock=1"',
                                                                  '"?mode=rwc&"', '"?&mode=rwc"', '"?mode=rwc#?mode=ro"'} end
    if k == 8 then return '"file://localhost" .. ' .. p end
    if k == 9 then return pick{'":memory:"', '""', '"file::memory:"', '"file:?mode=ro"'} end
    if k == 10 then return '"file:" .. R .. ' .. pick{'"/allow/%2e%2e/outside/new.db"', '"/allow/to-outside%2fnew.db"',
                                                       '"/allow/new.db?mode=%72o"'} end
    return p
  end

  local function sql_use(schema)
    return pick{
      "create table if not exists " .. schema .. ".t(x)",
      "insert into " .. schema .. ".t values (randomblob(64))",
      "pragma " .. schema .. ".journal_mode = " .. pick{"wal", "delete", "truncate", "persist", "memory", "off"},
      "select * from " .. schema .. ".s",
      "select * from " .. schema .. ".sqlite_master",
      "begin; create table if not exists " .. schema .. ".u(y); insert into " .. schema .. ".u values (1); commit",
      "vacuum " .. schema,
      "detach " .. schema,
      "pragma " .. schema .. ".locking_mode = exclusive",
      "pragma " .. schema .. ".wal_checkpoint",
      "pragma temp_store = 1", "pragma trusted_schema = 1", "pragma temp_store_directory = '.'",
      "select load_extension('x')", "select fts3_tokenizer('simple')", "select writefile('x', 'y')",
      "create temp table tt as select 1",
    }
  end

  local pieces = {}
  local hot = {}  -- name -> generator, for sub()

  -- debug
  pieces.getinfo = function(_, where) return getinfo_call(where) end
  pieces.traceback = function() return traceback_call() end
  pieces.handler = function(depth, where)
    return string.format("show('xpcall', xpcall(function() %s end, function(m) %s %s return m end))",
      pick(FAILING)(), getinfo_call(where .. ", in an xpcall handler"), sub(depth, where .. ", in an xpcall handler"))
  end

  -- load
  pieces.load_text = function(depth, where)
    local src = pick{'"return 1"', '"return debug.getinfo(1, \'f\')"', '"\\27Lua"', '""', '"return ..."', '"x ="'}
    return string.format("local f = show('load', load(%s, %s, %s, %s)) if type(f) == 'function' then show('ran', pcall(f)) end",
                         src, pick{"nil", '"=n"', '"@x"'}, pick(MODES), env(depth))
  end
  pieces.load_binary = function(depth, where)
    local mode = pick(MODES)
    local src = pick{"chunk", "dump(function() return 2 end, true)", "string.dump(load('return 3'))",
                     "string.dump(string.dump)"}
    return string.format("binary(%s, pcall(load, %s, %s, %s, %s))", quoted("load(binary, mode " .. mode .. ")"),
                         src, pick{"nil", '"=b"'}, mode, env(depth))
  end
  pieces.load_reader = function(depth, where)
    local n, binary_data = name("n"), chance(2)
    local body = sub(depth, where .. ", in a load reader")
    if body == "" then body = getinfo_call(where .. ", in a load reader") end
    local mode = pick(MODES)
    local first = binary_data and pick{"chunk", "sub(chunk, 1, 4)"} or pick{'"return 1"', '"return "', '"\\27"'}
    local second = first == "sub(chunk, 1, 4)" and "sub(chunk, 5)" or "nil"
    local call = string.format("pcall(load, function() %s = %s + 1 %s if %s == 1 then return %s elseif %s == 2 then return %s end end, %s, %s, %s)",
                               n, n, body, n, first, n, second,
                               pick{"nil", '"=r"'}, mode, env(depth))
    if binary_data then
      return string.format("local %s = 0 binary(%s, %s)", n, quoted("load(a reader, mode " .. mode .. ")"), call)
    end
    return string.format("local %s = 0 show('reader', %s)", n, call)
  end
  pieces.loadfile = function(depth, where)
    local k = byte() % 4
    if k == 0 then
      local p = pick(BINARY_PATHS)
      return string.format("binary(%s, pcall(%s, %s, %s, %s))", quoted("loadfile/dofile of " .. p),
                           pick{"loadfile", "loadfile", "dofile"}, p, pick(MODES), env(depth))
    elseif k == 1 then
      return "show('dofile', dofile(" .. path() .. "))"
    end
    return string.format("local f = show('loadfile', loadfile(%s, %s, %s)) if type(f) == 'function' then show('ran', pcall(f)) end",
                         path(), pick(MODES), env(depth))
  end
  pieces.dump = function(depth, where)
    return string.format("local d = string.dump(function() %s end, %s) show('dump', #d) binary('load of a dump', pcall(load, d))",
                         sub(depth, where .. ", in a dumped function"), pick{"true", "false", "nil"})
  end

  -- coroutines
  pieces.coroutine = function(depth, where)
    local co = name("co")
    local inner = where .. ", in a coroutine"
    local k = byte() % 5
    if k == 0 then
      return string.format("local %s = coroutine.create(function(...) %s coroutine.yield(1) %s end) show('resume', coroutine.resume(%s)) " ..
                           "inspect('a suspended coroutine', nil, pcall(debug.getinfo, %s, %s, %s)) show('resume', coroutine.resume(%s)) show('close', coroutine.close(%s))",
                           co, sub(depth, inner), sub(depth, inner), co, co, pick(LEVELS), pick(OPTIONS), co, co)
    elseif k == 1 then
      return string.format("show('wrap', coroutine.wrap(function() %s return coroutine.isyieldable(), coroutine.running() end)())", sub(depth, inner))
    elseif k == 2 then
      return string.format("local %s = coroutine.create(function() local x <close> = setmetatable({}, {__close = function() %s end}) coroutine.yield() end) " ..
                           "coroutine.resume(%s) show('close', coroutine.close(%s))", co, sub(depth, where .. ", in __close of a closed coroutine"), co, co)
    elseif k == 3 then
      return string.format("local %s = coroutine.wrap(function() for i = 1, 3 do %s coroutine.yield(pcall(coroutine.yield, i)) end end) for i = 1, 4 do show('wrap', pcall(%s)) end",
                           co, sub(depth, inner), co)
    end
    return string.format("show('running', coroutine.running(), coroutine.isyieldable(), pcall(coroutine.close, coroutine.running())) %s",
                         getinfo_call(where))
  end

  -- metatables
  pieces.metatable = function(depth, where)
    local k = byte() % 7
    if k == 0 then
      return string.format("local t = setmetatable({}, {__index = function(t, k) %s return k end}) show('index', t.x, t[1])",
                           sub(depth, where .. ", in __index"))
    elseif k == 1 then
      return string.format("setmetatable({}, {__gc = function() %s end}) %s",
                           sub(depth, where .. ", in __gc"), pick{"collectgarbage()", "", "collectgarbage('step')"})
    elseif k == 2 then
      return string.format("do local x <close> = setmetatable({}, {__close = function(o, e) %s end}) %s end",
                           sub(depth, where .. ", in __close"), pick{"", "error('out')", "return"})
    elseif k == 3 then
      return string.format("show('tostring', setmetatable({}, {__tostring = function() %s return 'obj' end}), " ..
                           "setmetatable({}, {__name = 'x', __tostring = function() return {} end}))", sub(depth, where .. ", in __tostring"))
    elseif k == 4 then
      return string.format("table.sort({3, 1, 2}, function(a, b) %s return a < b end) string.gsub('ab', '%%w', function(c) %s end)",
                           sub(depth, where .. ", in a sort comparator"), sub(depth, where .. ", in a gsub callback"))
    elseif k == 5 then
      exits = true
      return "setmetatable({}, {__gc = function() os.exit(" .. pick{"0", "1", "true", "false", "3"} .. ", " .. pick{"true", "false"} .. ") end}) " ..
             pick{"collectgarbage()", ""}
    end
    return string.format("setmetatable(_G, {__index = function(_, k) %s return nil end}) show('global', undefined_global)",
                         sub(depth, where .. ", in _G's __index"))
  end

  -- pcall, xpcall, error
  pieces.errors = function(depth, where)
    return pick{
      string.format("show('pcall', pcall(error, setmetatable({}, {__tostring = function() %s return 'e' end})))", sub(depth, where .. ", in an error's __tostring")),
      string.format("show('xpcall', xpcall(error, function(m) %s return m end, 'msg', %s))", sub(depth, where .. ", in a handler"), pick{"1", "2", "0"}),
      "error(" .. pick{"nil", "'stop'", "{}", "setmetatable({}, {__tostring = function() return 'x' end})"} .. ", " .. pick{"1", "2", "3"} .. ")",
      string.format("show('xpcall', xpcall(function() %s end, debug.traceback))", pick(FAILING)()),
    }
  end

  -- io
  pieces.io_open = function()
    local mode = pick{'"r"', '"w"', '"a"', '"r+"', '"wb"', '"w+"', '"a+"', '"rb"', "nil"}
    return string.format("local f = assert(io.open(%s, %s)) show('read', f:read(%s)) show('write', f:write('zbfuzz')) show('seek', f:seek('set')) show('close', f:close())",
                         path(), mode, pick{'"a"', '"l"', "8", '"n"'})
  end
  pieces.io_lines = function()
    return string.format("local n = 0 for l in io.lines(%s, %s) do show('line', l) n = n + 1 if n > 3 then break end end",
                         path(), pick{'"l"', '"L"', "4", '"a"', '"n"'})
  end
  pieces.io_default = function()
    return pick{
      "io.input(" .. path() .. ") show('input', io.read('a')) io.input(io.stdin)",
      "io.output(" .. path() .. ") io.write('zbfuzz') io.output():flush() io.output(io.stdout)",
      "show('lines', pcall(function() for l in io.lines() do return l end end))",
      "show('type', io.type(io.stdout), io.stdout:seek('cur'))",
      "local f = io.open(" .. path() .. ", 'r') show('input', io.input(f), io.read('l')) io.input(io.stdin)",
    }
  end
  pieces.popen = function()
    return pick{
      "show('popen', io.popen('touch ' .. R .. '/canary'))",
      "local p = io.popen('cat > ' .. R .. '/canary', 'w') p:write('x') p:close()",
      "show('popen', io.popen('cat ' .. R .. '/outside/secret.txt'):read('a'))",
    }
  end

  -- os
  pieces.os = function()
    return pick{
      "show('execute', os.execute('touch ' .. R .. '/canary'))",
      "show('execute', os.execute())",
      "show('execute', os.execute('echo x > ' .. R .. '/outside/written'))",
      "show('getenv', os.getenv(" .. pick{'"ZB_FUZZ_SECRET"', '"PATH"', '"HOME"', '"LC_ALL"', '"TERM"', "nil", "1"} .. "))",
      "show('remove', os.remove(" .. path() .. "))",
      "show('rename', os.rename(" .. path() .. ", " .. path() .. "))",
      "show('rename', os.rename(" .. pick{'R .. "/allow/to-secret"', '"allow/to-missing"', 'R .. "/allow/to-outside"', 'R .. "/allow/victim.db-wal"'} ..
        ", " .. pick{'R .. "/allow/renamed"', '"allow/renamed"', 'R .. "/allow/to-missing"', 'R .. "/outside/moved"'} .. "))",
      "show('tmpname', os.tmpname())",
      "show('time', os.time(), os.clock(), os.date('!%Y'))",
    }
  end
  pieces.exit = function()
    return "os.exit(" .. pick{"0", "1", "true", "false", "3"} .. ", " .. pick{"true", "false", "nil"} .. ")"
  end

  -- package
  pieces.package = function(depth, where)
    local k = byte() % 6
    if k == 0 then
      local name_arg = pick{'"secret"', '"lib"', '"to-outside.secret"', '"x.y"', '"../outside/secret"', '"a.secret"'}
      local template = pick{'R .. "/outside/?.txt"', '"outside/?.txt"', "package.path", 'R .. "/allow/?.txt;" .. R .. "/outside/?.lua"',
                            '"?"', '";;"', '"/proc/self/cwd/outside/?.txt"', 'R .. "/allow/to-outside/?.txt"', 'R .. "/allow/?.txt"', '"allow/?"',
                            'R .. "/allow/?"'}
      local sep, rep = pick{"nil", '""', '"."', '"/"', '"e"'}, pick{"nil", '""', '"/"', '"/../outside/"', '"/../"', '"e"'}
      local call = name_arg .. ", " .. template .. ", " .. sep .. ", " .. rep
      return string.format("found(%s, pcall(package.searchpath, %s))", quoted("package.searchpath(" .. call .. ")"), call)
    elseif k == 1 then
      return string.format("package.path = %s show('require', require(%s))",
        pick{'R .. "/outside/?.lua"', '"outside/?.lua"', '"./?.lua"', 'R .. "/allow/to-outside/?.lua"', '"?"', '"outside/?.txt"', '"/proc/self/cwd/outside/?.lua"'},
        pick{'"lib"', '"secret"', '"outside.lib"', '"to-secret"'})
    elseif k == 2 then
      return string.format("package.cpath = %s show('require', require(%s))",
        pick{'R .. "/outside/?.so"', '"./?.so"', '"/lib/x86_64-linux-gnu/?.so.6"'}, pick{'"libc"', '"lib"', '"x"'})
    elseif k == 3 then
      return "show('loadlib', package.loadlib(" .. pick{'"libc.so.6"', 'R .. "/outside/lib.lua"', '"/lib/x86_64-linux-gnu/libc.so.6"'} ..
             ", " .. pick{'"*"', '"system"', '"luaopen_x"'} .. "))"
    elseif k == 4 then
      return "show('require', require(" .. pick{'"../outside/lib"', '"outside.lib"', '""', '"zb.core"', '"zb.safe"', '"debug"',
                                                  '"io"', '"ffi"', '"lfs"', '"zb.repl"', '"allow.to-secret"'} .. "))"
    end
    return string.format("for i, s in ipairs(package.searchers) do local f, p = s(%s) show('searcher', i, f, p) if type(f) == 'function' then show('loaded', pcall(f, %s, p)) end end",
                         pick{'"outside.lib"', '"lib"', '"zb.core"'}, '"x"')
  end

  -- SQL
  pieces.attach = function(depth, where)
    local schema = pick{"a1", "a2", "a3"}
    local target = attach_target()
    local k = byte() % 13
    local stmt
    if k == 0 or k >= 10 then stmt = string.format('zb.sql("ATTACH " .. q(%s) .. " AS %s")', target, schema)
    elseif k == 1 then stmt = string.format('zb.db:sql("attach database " .. q(%s) .. " as %s")', target, schema)
    elseif k == 2 then stmt = string.format('zb.sql("ATTACH ? AS %s", %s)', schema, target)
    elseif k == 3 then stmt = string.format('zb.db:sql("ATTACH :p AS %s", {p = %s})', schema, target)
    elseif k == 4 then
      stmt = string.format('zb.db:sql("ATTACH $p AS %s", setmetatable({}, {__index = function(_, k) %s return %s end}))',
                           schema, sub(depth, where .. ", in a named parameter's __index"), target)
    elseif k == 5 then stmt = string.format('zb.sql("ATTACH " .. q(%s) .. " || \'\' AS %s")', target, schema)
    elseif k == 6 then stmt = string.format('zb.sql("ATTACH (select " .. q(%s) .. ") AS %s")', target, schema)
    elseif k == 7 then
      stmt = string.format('zb.sql("ATTACH " .. q(%s) .. " AS %s; CREATE TABLE IF NOT EXISTS %s.t(x); INSERT INTO %s.t VALUES (1)")',
                           target, schema, schema, schema)
    elseif k == 8 then stmt = string.format('zb.attach(%s, "%s", {write = %s})', target, schema, pick{"true", "false"})
    else stmt = string.format("zb.attach(%s)", target)
    end
    local uses = {}
    for i = 1, byte() % 4 do
      uses[i] = string.format("show('sql', pcall(zb.db.sql, zb.db, %s))", quoted(sql_use(schema)))
    end
    return "show('attach', pcall(function() return " .. stmt .. " end)) " .. table.concat(uses, " ")
  end
  pieces.vacuum = function()
    local target = attach_target()
    return pick{
      string.format('show("vacuum", zb.db:sql("VACUUM INTO " .. q(%s)))', target),
      string.format('show("vacuum", zb.sql("VACUUM " .. %s .. " INTO " .. q(%s)))', pick{'"main"', '"temp"', '"a1"'}, target),
      string.format('show("vacuum", zb.db:sql("VACUUM INTO ?", %s))', target),
      string.format('show("vacuum", zb.db:sql("VACUUM INTO " .. q(%s) .. " || \'\'"))', target),
    }
  end

  -- zb's loaders, exports and timeout
  pieces.loaders = function()
    return pick{
      "show('csv', zb.read_csv(" .. path() .. ", " .. pick{"nil", "{}", "{name = 'x', replace = true}", "{header = false}"} .. "))",
      "show('json', zb.read_json(" .. path() .. "))",
      "show('attach', zb.attach(" .. path() .. "))",
    }
  end
  pieces.export = function()
    local t = pick{"zb.sql(\"select 1 as a, 'x' as b\")", "zb.table('s', 'a1')", "zb.read_csv(R .. '/allow/data.csv', {name = 'e', replace = true})"}
    local method = pick{"to_csv", "to_json", "to_tsv", "to_markdown"}
    return string.format("local t = %s show('export', t:%s(%s))", t, method, path())
  end
  pieces.timeout = function()
    return pick{
      "show('timeout', zb.timeout(" .. pick{"0.5", "2", "100", "", "0", "-1", "math.huge", "0/0", "'1'", "-0.0", "1e308"} .. "))",
      "for i = 1, 1000 do local _ = i * i end show('timeout', pcall(zb.timeout, 0.9))",
    }
  end
  -- The end of the program: a loop only the stop ends (exit status 124).
  pieces.loop = function(depth, where)
    local setup = "pcall(zb.timeout, " .. pick{"0.05", "0.05", "0.1", "0/0", "math.huge", "-1", "1e-9"} .. ") "
    local mark = "write(stdout, " .. quoted(LOOP_MARK .. "\n") .. ") flush(stdout) "
    local k = byte() % 8
    if k == 0 then
      return setup .. mark .. "xpcall(error, function() while true do end end)"
    elseif k == 1 then
      return setup .. mark .. "setmetatable({}, {__gc = function() while true do end end})"
    elseif k == 2 then
      return setup .. mark .. "local s = string.rep('a', 24) string.find(s, string.rep('a-', 24) .. 'b')"
    end
    return setup .. mark .. pick{"while true do end", "while true do pcall(function() end) end",
                                 "while true do pcall(zb.sql, 'select 1') end",
                                 "zb.db:sql('with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c')"}
  end

  -- memory
  pieces.memory = function()
    return pick{
      "local t = {} for i = 1, " .. pick{"8", "100", "300"} .. " do t[i] = string.rep('x', 1 << 20) .. i end show('mem', #t)",
      "show('rep', #string.rep('x', 1 << " .. pick{"20", "26", "28", "31", "40"} .. "))",
      "show('sql', zb.db:sql('select length(" .. pick{"zeroblob", "randomblob"} .. "(" .. pick{"1e6", "1e8", "5e8"} .. ")) as n'))",
      "show('sql', zb.sql('with recursive c(x) as (select 1 union all select x + 1 from c limit " ..
        pick{"1000", "300000"} .. ") select length(group_concat(hex(randomblob(100)))) from c'))",
      "zb.sql('create table if not exists big as with recursive c(x) as (select 1 union all select x + 1 from c limit " ..
        pick{"1000", "200000"} .. ") select x, randomblob(500) as b from c') show('big', zb.table('big'):count())",
    }
  end

  -- replaced globals: zb's own Lua modules use them at call time
  pieces.tamper = function(depth, where)
    return pick{
      "local open = io.open io.open = function(p, m) " .. sub(depth, where .. ", in a replaced io.open") .. " return open(p, m) end",
      "math.randomseed(" .. pick{"0", "1", "42"} .. ")",
      "local core = require('zb.core') core.allowed = function() return true end core.file_kind = function() return " ..
        pick{"'other'", "'link', R .. '/outside/written'", "'missing'"} .. " end",
      "local rename = os.rename os.rename = function(a, b) show('rename', a, b) return rename(a, b) end",
      "string.format = function(...) return " .. path() .. " end",
      "getmetatable('').__index = setmetatable({}, {__index = function(_, k) " .. sub(depth, where .. ", in string's __index") .. " return string[k] end})",
      "package.loaded['zb.core'] = {allowed = function() return true end}",
    }
  end

  -- commands that, run, would leave ROOT/canary or write ROOT/outside
  pieces.commands = function()
    return pick{
      "os.execute('touch ' .. R .. '/canary')",
      "io.popen('touch ' .. R .. '/canary'):close()",
      "local f = assert(io.open(R .. '/outside/written', 'w')) f:write('x') f:close()",
      "local f = assert(io.open(R .. '/allow/to-missing', 'w')) f:write('x') f:close()",
      "local f = assert(io.open(R .. '/allow/to-outside/written', 'a')) f:write('x') f:close()",
      "local f = assert(io.open('outside/written', 'w')) f:write('x') f:close()",
    }
  end

  local order = {"getinfo", "traceback", "handler", "load_text", "load_binary", "load_reader", "loadfile", "dump",
                 "coroutine", "metatable", "errors", "io_open", "io_lines", "io_default", "popen", "os", "exit",
                 "package", "attach", "vacuum", "loaders", "export", "timeout", "loop", "memory", "tamper", "commands"}
  hot.getinfo = {"getinfo", "getinfo", "getinfo", "load_reader", "handler", "coroutine", "traceback"}

  -- A statement; inside a callback (depth > 0), no exits or endless loops.
  piece = function(depth, where, kind)
    local key = kind and pick(hot[kind]) or pick(order)
    if depth > 0 and (key == "exit" or key == "loop" or key == "memory") then key = "getinfo" end
    return pieces[key](depth, where), key
  end

  local statements, size = {}, 0
  local key  -- the last statement's kind, which the return reads too
  repeat
    local n = #statements + 1
    local code
    code, key = piece(0, "step " .. n)
    if key == "exit" or key == "loop" or key == "memory" then  -- slow, or the end of the program: rarer
      if not chance(4) then code, key = piece(0, "step " .. n, "getinfo") end
    end
    statements[n] = "step(" .. n .. ", function() " .. code .. " end)"
    size = size + #statements[n]
  until pos >= #input or size > MAX_PROGRAM or n >= 40 or key == "exit" or key == "loop"
  -- a loop only the stop ends must end with status 124 (unless a finalizer exits first)
  return string.format(PRELUDE, ROOT) .. table.concat(statements, "\n") .. "\n", key == "loop" and not exits
end

-- ---- running one program ----

-- One line per entry of a tree, NUL-ended: type, mode, size, time, link
-- target, path (last: a script may name a file in allow anything).
local FIND = "find . -printf '%y %m %s %T@ %l\\0%P\\0'"

-- path -> {kind, attributes}, from FIND's output.
local function parse_listing(text)
  local entries = {}
  for kind, attrs, path in (text or ""):gmatch("(%a) ([^\0]*)\0([^\0]*)\0") do
    entries[path] = {kind = kind, attrs = attrs}
  end
  return entries
end

local function zb_command(script)
  return "/usr/bin/time -f '%e %M' -o " .. T.shell_quote(BASE .. "/time") .. " timeout -s KILL " .. (WALL_LIMIT + 1) .. " " ..
         T.shell_quote(ZB) .. " --safe --allow " .. T.shell_quote(ROOT .. "/allow") .. " --timeout " .. TIMEOUT ..
         " --max-memory " .. MEMORY_MB .. " " .. script
end

-- A fresh ROOT from the template, zb run in it on own/prog.lua (its
-- status, time and output in BASE), and ROOT's listing after.
local function run_program()
  local q = T.shell_quote
  return run(table.concat({
    "rm -rf " .. q(ROOT) .. " && cp -a " .. q(TEMPLATE) .. " " .. q(ROOT) .. " && cd " .. q(ROOT) .. " || exit 3",
    "ZB_FUZZ_SECRET=" .. TOKEN .. " " .. zb_command(q(ROOT .. "/own/prog.lua")) ..
      " </dev/null >" .. q(BASE .. "/out") .. " 2>" .. q(BASE .. "/err") .. "; echo $? >" .. q(BASE .. "/rc"),
    FIND .. " >" .. q(BASE .. "/after") .. " || exit 4",
  }, "\n"))
end

local function wait_for_zb()  -- ./zb may be mid-rebuild
  for _ = 1, 60 do
    local f = io.open(ZB, "rb")
    if f then f:close() return end
    run("sleep 1")
  end
  error({"no " .. ZB .. " (make zb)"})
end

-- The template as a script finds it (own/prog.lua's size and time aside),
-- the contents of its files outside allow, and zb's own peak memory (KB)
-- for a script that does nothing.
T.write(TEMPLATE .. "/own/prog.lua", "local x = 1\n")  -- overwritten in place from now on: own's time stays
local EXPECTED = parse_listing(capture("cd " .. T.shell_quote(TEMPLATE) .. " && " .. FIND))
local CONTENTS = {}
for path, entry in pairs(EXPECTED) do
  if entry.kind == "f" and not path:find("^allow/") and path ~= "own/prog.lua" then
    CONTENTS[path] = T.read(TEMPLATE .. "/" .. path)
  end
end
local BASELINE_KB
do
  wait_for_zb()
  run_program()
  BASELINE_KB = tonumber((T.read(BASE .. "/time") or ""):match("(%d+)%s*$")) or 8192
end
local MEMORY_LIMIT_KB = 2 * MEMORY_MB * 1024 + BASELINE_KB

-- What the child did, as libFuzzer features (zb-fuzz's zb_fuzz_feature):
-- each line of its output with names, numbers and addresses taken out, so
-- that an input that makes zb answer in a new way is kept and mutated.
local feature = zb_fuzz_feature or function() end
local function report_features(rc, out, err)
  local root = ROOT:gsub("%p", "%%%0")
  local function line_feature(line)
    line = line:sub(1, 200):gsub(root, "R"):gsub("0x%x+", "P"):gsub("%d+", "#"):sub(1, 72)
    local h = 2166136261
    for i = 1, #line do h = ((h ~ line:byte(i)) * 16777619) & 0xffffffff end
    feature(h)
  end
  local n = 0
  for line in out:gmatch("[^\n]+") do
    n = n + 1
    if n > 400 then break end
    line_feature(line)
  end
  line_feature("stderr " .. (err:match("^[^\n]*") or ""))
  line_feature("status " .. tostring(rc))
end

local function finding(what, program)
  T.write(BASE .. "/finding.lua", program)
  error(string.format("fuzz finding: zb --safe %s (the program: %s; its tree: %s)", what, BASE .. "/finding.lua", ROOT), 0)
end

-- Whether the file at path holds s (read a piece at a time: allow's files
-- may be large).
local function holds(path, s)
  local f = io.open(path, "rb")
  if not f then return false end
  local tail, total = "", 0
  while total < 256 << 20 do
    local piece = f:read(1 << 20)
    if not piece then break end
    total = total + #piece
    if (tail .. piece):find(s, 1, true) then f:close() return true end
    tail = piece:sub(-#s)
  end
  f:close()
  return false
end

-- What changed under ROOT but allow: entries made, removed or altered,
-- and files whose contents differ.
local function changes(after, program)
  local found = {}
  for path, entry in pairs(after) do
    local old = EXPECTED[path]
    if path ~= "allow" and not path:find("^allow/") then
      if not old then
        found[#found + 1] = "new " .. path
      elseif old.kind ~= entry.kind or (path ~= "own/prog.lua" and old.attrs ~= entry.attrs) then
        found[#found + 1] = "changed " .. path .. " (" .. old.kind .. " " .. old.attrs .. " -> " .. entry.kind .. " " .. entry.attrs .. ")"
      elseif entry.kind == "f" and T.read(ROOT .. "/" .. path) ~= (CONTENTS[path] or program) then
        found[#found + 1] = "rewrote " .. path
      end
    end
  end
  for path in pairs(EXPECTED) do
    if not after[path] and path ~= "allow" and not path:find("^allow/") then found[#found + 1] = "removed " .. path end
  end
  table.sort(found)
  return found
end

local function run_input(input)
  local program, stops = generate(input)
  local compiled, problem = load(program, "=prog", "t")
  if not compiled then
    finding("was given a program that does not compile: the generator's bug: " .. problem, program)
  end
  if SHOW then io.stderr:write(program, "\n") end
  T.write(TEMPLATE .. "/own/prog.lua", program)
  local rc
  for _ = 1, 5 do
    wait_for_zb()
    if run_program() ~= 0 then error("cannot set up " .. ROOT) end
    rc = tonumber(T.read(BASE .. "/rc"))
    if rc ~= 126 and rc ~= 127 then break end
    run("sleep 1")  -- ./zb went missing between the check and the run
  end
  local out, err = T.read(BASE .. "/out") or "", T.read(BASE .. "/err") or ""
  local times = T.read(BASE .. "/time") or ""
  local wall, peak = times:match("([%d.]+) (%d+)%s*$")
  wall, peak = tonumber(wall), tonumber(peak)
  if SHOW then io.stderr:write(out:sub(1, 4000), err:sub(1, 1000), string.format("-- status %s, %s s, %s KB\n", rc, wall, peak)) end
  report_features(rc, out, err)
  if rc == 126 or rc == 127 then
    error({"could not run " .. ZB .. ": " .. err:sub(1, 200)})  -- a table: not a finding
  end

  -- what the script saw get through, the worst first (what a leaked
  -- function did before that it leaked)
  local escaped, seen = {{}, {}}, {}
  for line in out:gmatch("[^\n]*") do
    if line:find(MARK, 1, true) and not seen[line] then
      seen[line] = true
      table.insert(escaped[line:find("debug.getinfo returned", 1, true) and 2 or 1], line:sub(#MARK + 2))
    end
  end
  table.move(escaped[2], 1, #escaped[2], #escaped[1] + 1, escaped[1])
  escaped = escaped[1]
  if #escaped > 0 then
    finding("let a refused thing through: " .. table.concat(escaped, "; ", 1, math.min(#escaped, 3)), program)
  end
  local after = parse_listing(T.read(BASE .. "/after"))
  if after.canary then finding("ran a command (ROOT/canary exists)", program) end
  if out:find(TOKEN, 1, true) or err:find(TOKEN, 1, true) then
    finding("let the script read ROOT/outside's token or the environment's (it is in the output)", program)
  end
  for path, entry in pairs(after) do
    if path:find("^allow/") and entry.kind == "f" and holds(ROOT .. "/" .. path, TOKEN) then
      finding("let the token into the allowed directory: " .. path, program)
    end
  end
  local changed = changes(after, program)
  if #changed > 0 then
    finding("changed ROOT outside --allow: " .. table.concat(changed, "; ", 1, math.min(#changed, 6)), program)
  end
  if rc == nil or rc > 128 then
    finding("died: status " .. tostring(rc) .. " (" .. (times:match("Command terminated[^\n]*") or "?") .. "); stderr: " ..
            err:sub(-300), program)
  end
  if stops and out:find(LOOP_MARK, 1, true) and rc ~= 124 then
    finding("ended a loop only the stop ends with status " .. rc .. ", not 124", program)
  end
  if wall and wall > WALL_LIMIT then
    finding(string.format("ran %.2f s, past --timeout %d and the grace", wall, TIMEOUT), program)
  end
  if peak and peak > MEMORY_LIMIT_KB then
    finding(string.format("peaked at %d KB, past --max-memory %d (%d KB with zb's %d KB)", peak, MEMORY_MB,
                          MEMORY_LIMIT_KB, BASELINE_KB), program)
  end
  run("rm -rf " .. T.shell_quote(ROOT))  -- kept after a finding, to look at
end

-- An error of the target's own (not a finding, not ./zb missing for a
-- while) is one too: it would otherwise pass for a clean run.
return function(input)
  local ok, problem = pcall(run_input, input)
  if ok or type(problem) == "table" then return end
  if type(problem) == "string" and problem:find("^fuzz finding") then error(problem, 0) end
  error("fuzz finding: the safe target failed: " .. tostring(problem), 0)
end
