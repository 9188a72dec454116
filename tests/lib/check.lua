-- check: the test library.  Each check prints a TAP line ("ok N - name" or
-- "not ok N - name" with the details as "# " lines); done() prints the plan
-- and exits 1 if any check failed.  Also runs zb as a separate process.

local pretty = require("zb.present.pretty")

local T = {count = 0, failed = 0}

-- A value for a failure message, cut to a readable length.
local function show(v)
  local text = pretty(v)
  if #text > 400 then text = text:sub(1, 400) .. "…" end
  return text
end

-- The zb under test, as words (it may be "valgrind ... /path/zb").
T.zb = os.getenv("ZB") or "./zb"
T.zb_argv = {}
for word in T.zb:gmatch("%S+") do T.zb_argv[#T.zb_argv + 1] = word end
-- The argv of zb under test with more arguments after it.
function T.zb_with(...)
  local argv = {table.unpack(T.zb_argv)}
  for _, a in ipairs({...}) do argv[#argv + 1] = a end
  return argv
end
-- Seconds to wait for output; slower under valgrind and sanitizers.
T.patience = os.getenv("ZB_SLOW") and 60 or 10

function T.ok(cond, name, detail)
  T.count = T.count + 1
  if cond then
    print(string.format("ok %d - %s", T.count, name))
  else
    T.failed = T.failed + 1
    print(string.format("not ok %d - %s", T.count, name))
    if detail then print("# " .. tostring(detail):gsub("\n", "\n# ")) end
  end
  return cond
end

function T.eq(got, want, name)
  return T.ok(got == want, name, "got:  " .. show(got) .. "\nwant: " .. show(want))
end

-- s contains text (plain, not a pattern).
function T.has(s, text, name)
  return T.ok(type(s) == "string" and s:find(text, 1, true) ~= nil, name,
              "missing: " .. show(text) .. "\nin: " .. show(s))
end

function T.hasnt(s, text, name)
  return T.ok(type(s) == "string" and s:find(text, 1, true) == nil, name,
              "unexpected: " .. show(text) .. "\nin: " .. show(s))
end

-- fn raises an error whose message contains text.
function T.fails(fn, text, name)
  local ok, err = pcall(fn)
  return T.ok(not ok and tostring(err):find(text, 1, true) ~= nil, name,
              ok and "no error raised" or "error: " .. tostring(err))
end

function T.done()
  print("1.." .. T.count)
  os.exit(T.failed == 0 and 0 or 1)
end

-- A fresh directory, removed by cleanup().
local dirs = {}
function T.tmpdir()
  local p = io.popen("mktemp -d")
  local dir = p:read("l")
  p:close()
  dirs[#dirs + 1] = dir
  return dir
end

function T.cleanup()
  for _, dir in ipairs(dirs) do os.execute("rm -rf '" .. dir .. "'") end
end

function T.write(path, text)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
end

-- Write bytes to dir/name; returns the path.
function T.file(dir, name, bytes)
  local path = dir .. "/" .. name
  T.write(path, bytes)
  return path
end

-- The lines of text s, as a list.
function T.lines(s)
  local out = {}
  for line in (s .. "\n"):gmatch("([^\n]*)\n") do out[#out + 1] = line end
  return out
end

function T.read(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("a")
  f:close()
  return s
end

function T.shell_quote(s)
  return "'" .. s:gsub("'", "'\\''") .. "'"
end

-- Debian's Python, with python3-pandas and numpy (make test installs them),
-- the independent reference of the differential tests: whether it is
-- there (a failed check when not), and the output of a program run with
-- arguments.
T.PYTHON = "/usr/bin/python3"
function T.have_python(modules)
  if os.execute(T.PYTHON .. " -c 'import " .. modules .. "' 2>/dev/null") then return true end
  T.ok(false, T.PYTHON .. " with " .. modules .. " (Debian's python3-pandas; make test installs it)")
  return false
end
function T.python(program, ...)
  local path = T.tmpdir() .. "/ref.py"
  T.write(path, program)
  local args = {}
  for i, a in ipairs{...} do args[i] = T.shell_quote(a) end
  local p = io.popen(T.PYTHON .. " " .. T.shell_quote(path) .. " " .. table.concat(args, " "))
  local text = p:read("a")
  p:close()
  return text
end

-- The REPL sessions shown in text (README.md): each {input = the lines
-- after "zb> " and "  > ", output = the lines shown between them}.
function T.readme_sessions(text)
  local found, current = {}, nil
  for line in (text .. "\n"):gmatch("([^\n]*)\n") do
    if line:match("^    zb> ") and not current then
      current = {input = {}, output = {}}
      found[#found + 1] = current
    end
    if current and line:match("^    ") then
      local code = line:match("^    zb> (.*)") or line:match("^      > (.*)")
      if code then current.input[#current.input + 1] = code
      else current.output[#current.output + 1] = line:sub(5) end
    elseif line ~= "" then
      current = nil
    end
  end
  return found
end

-- Run zb with args (a shell string) and opts.stdin / opts.env (a shell
-- prefix such as "HOME=/x") / opts.cwd; returns {code =, out =, err =}.
function T.run(args, opts)
  opts = opts or {}
  local dir = T.tmpdir()
  local stdin = "/dev/null"
  if opts.stdin then
    stdin = dir .. "/stdin"
    T.write(stdin, opts.stdin)
  end
  local cmd = string.format("%s%s %s %s <%s >%s/out 2>%s/err",
    opts.cwd and "cd " .. T.shell_quote(opts.cwd) .. " && " or "",
    opts.env or "", T.zb, args, stdin, dir, dir)
  local _, _, code = os.execute(cmd)
  return {code = code, out = T.read(dir .. "/out"), err = T.read(dir .. "/err")}
end

return T
