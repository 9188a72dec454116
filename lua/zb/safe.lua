-- zb.safe: the sandbox of `zb --safe SCRIPT`, an untrusted script.  Called
-- once, before the script runs; what it takes away cannot be had back (the
-- originals live only in this file's locals, and debug, which could reach
-- them, is cut down to traceback and a getinfo that returns no functions).
--
--   no commands (os.execute, io.popen), no environment (os.getenv reads
--   nil but for HOME, LANG, LC_*, TERM, TZ), no C code (package.loadlib, C
--   modules), no binary chunks (load, loadfile, dofile read text only);
--   files only where zb.core.allowed says (the script's directory and zb's
--   own to read, --allow directories to read and write), for io.open,
--   io.lines, io.input, io.output, loadfile, dofile, os.remove, os.rename
--   and zb's loaders and exports.  SQL's ATTACH and VACUUM INTO are held to
--   the same directories in C; memory and time are bounded by the host.
local core = require("zb.core")

local function refuse(name)
  return function()
    error(name .. " is not allowed in a safe session (zb --safe)", 2)
  end
end

local function check(path, write, level)
  if type(path) == "string" and not core.allowed(path, write) then
    error(string.format("%s is outside the directories this safe session may %s", path, write and "write" or "read"),
          level + 1)
  end
end

return function()
  local open, lines, input, output = io.open, io.lines, io.input, io.output
  local remove, rename = os.remove, os.rename
  local load, loadfile, dofile = load, loadfile, dofile
  local getinfo, traceback = debug.getinfo, debug.traceback

  os.execute = refuse("os.execute")
  io.popen = refuse("io.popen")
  os.tmpname = refuse("os.tmpname")
  local getenv = os.getenv
  local harmless = {HOME = true, LANG = true, LC_ALL = true, LC_CTYPE = true, TERM = true, TZ = true}
  os.getenv = function(name)  -- tokens and passwords live in the rest
    if harmless[name] then return getenv(name) end
    return nil
  end
  package.loadlib = refuse("package.loadlib")
  package.cpath = ""
  for i = #package.searchers, 3, -1 do table.remove(package.searchers, i) end  -- C and all-in-one searchers

  io.open = function(path, mode)
    check(path, type(mode) == "string" and mode:find("[wa+]") ~= nil, 2)
    return open(path, mode)
  end
  io.lines = function(path, ...)
    check(path, false, 2)
    return lines(path, ...)
  end
  io.input = function(file)
    check(file, false, 2)
    return input(file)
  end
  io.output = function(file)
    check(file, true, 2)
    return output(file)
  end
  os.remove = function(path)
    check(path, true, 2)
    return remove(path)
  end
  os.rename = function(from, to)
    check(from, true, 2)
    check(to, true, 2)
    return rename(from, to)
  end
  _G.load = function(chunk, name, _, env)
    return load(chunk, name, "t", env)
  end
  _G.loadfile = function(path, _, env)
    check(path, false, 2)
    return loadfile(path, "t", env)
  end
  _G.dofile = function(path)
    check(path, false, 2)
    local fn = assert(loadfile(path, "t"))
    return fn()
  end

  -- debug: sethook would lift the timeout; getupvalue, getlocal and
  -- getregistry would hand back everything above.
  local function safe_getinfo(thread, what, ...)
    if type(thread) == "thread" then
      return getinfo(thread, (tostring(what or "nSl"):gsub("[fL]", "")), ...)
    end
    local info = getinfo(type(thread) == "number" and thread + 1 or thread, (tostring(what or "nSl"):gsub("[fL]", "")))
    return info
  end
  local limited = {traceback = traceback, getinfo = safe_getinfo}
  _G.debug = limited
  package.loaded.debug = limited
end
