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
-- Everything the wrappers use is taken now, before the script runs: it
-- may replace globals, string's functions or zb.core's fields, but not
-- these locals.
local allowed = require("zb.core").allowed
local type, error, tostring, select = type, error, tostring, select
local format, find, gsub = string.format, string.find, string.gsub

local function refuse(name)
  return function()
    error(name .. " is not allowed in a safe session (zb --safe)", 2)
  end
end

-- A path the script gives (a number is a name too, to Lua's io).
local function check(path, write, level)
  local kind = type(path)
  if kind == "number" then path, kind = tostring(path), "string" end
  if kind == "string" and not allowed(path, write) then
    error(format("%s is outside the directories this safe session may %s", path, write and "write" or "read"),
          level + 1)
  end
end

local function writes(mode)
  return type(mode) == "string" and find(mode, "[wa+]") ~= nil
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
  local searchpath, own_path, gmatch, match = package.searchpath, package.path, string.gmatch, string.match
  package.searchpath = function(name, path, ...)  -- it tells whether files exist: readable directories only
    if path ~= own_path then
      for template in gmatch(tostring(path), "[^;]+") do
        check((match(template, "^(.*)/") or ".") .. "/?", false, 2)
      end
    end
    return searchpath(name, path, ...)
  end
  package.cpath = ""
  for i = #package.searchers, 3, -1 do table.remove(package.searchers, i) end  -- C and all-in-one searchers

  io.open = function(path, mode)
    check(path, writes(mode), 2)
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
  _G.load = function(chunk, name, _, ...)  -- no env given: the global one, as load does
    if select("#", ...) == 0 then return load(chunk, name, "t") end
    return load(chunk, name, "t", ...)
  end
  _G.loadfile = function(path, _, ...)
    check(path, false, 2)
    if select("#", ...) == 0 then return loadfile(path, "t") end
    return loadfile(path, "t", ...)
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
      return getinfo(thread, (gsub(tostring(what or "nSl"), "[fL]", "")), ...)
    end
    local info = getinfo(type(thread) == "number" and thread + 1 or thread, (gsub(tostring(what or "nSl"), "[fL]", "")))
    return info
  end
  local limited = {traceback = traceback, getinfo = safe_getinfo}
  _G.debug = limited
  package.loaded.debug = limited
end
