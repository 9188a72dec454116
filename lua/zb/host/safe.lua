-- zb.safe: the sandbox of `zb --safe SCRIPT`, an untrusted script.  Called
-- once, before the script runs; what it takes away cannot be had back (the
-- originals live only in this file's locals, and debug, which could reach
-- them, is cut down to traceback and a getinfo that returns no functions,
-- in any call form; a load reader runs before the original load is called).
--
--   no commands (os.execute, io.popen), no temporary files outside
--   (os.tmpname, io.tmpfile), no environment (os.getenv reads nil but for
--   LANG, LC_ALL, LC_CTYPE, TERM, TZ), no C code (package.loadlib, C modules), no
--   binary chunks (load, loadfile, dofile read text only); files only
--   where zb.core.allowed says (the script's directory and zb's own to
--   read, --allow directories to read and write), for io.open, io.lines,
--   io.input, io.output, loadfile, dofile, os.remove, os.rename,
--   package.searchpath and zb's loaders and exports.  SQL's files are held
--   to the same directories in C (authorizer and VFS); memory and time are
--   bounded by the host, and the kernel holds the process too (sandbox.c).
-- Everything the wrappers use is taken now, before the script runs: it
-- may replace globals, string's functions or zb.core's fields, but not
-- these locals.
local allowed = require("zb.core").allowed
local type, error, tostring, select, pairs = type, error, tostring, select, pairs
local format, find, gsub, sub, concat = string.format, string.find, string.gsub, string.sub, table.concat

local function refuse(name)
  return function()
    error(name .. " is not allowed in a safe session (zb --safe)", 2)
  end
end

-- A path the script gives (a number is a name too, to Lua's io), to read
-- or write, or with name set a name to remove or replace (os.remove,
-- os.rename: the name itself, not what a link there leads to).
local function check(path, write, level, name)
  local kind = type(path)
  if kind == "number" then path, kind = tostring(path), "string" end
  if kind ~= "string" then return end
  local ok, why = allowed(path, write, name)
  if not ok then error(format("%s is %s", path, why), level + 1) end
end

-- No finalizer (script code) may run between a check and the open it
-- guards: it could move links or directories so that the path checked
-- leads elsewhere, and any allocation can run one.  The collector stops
-- until the returned value is closed (local _ <close> = hold_collector()).
local collect = collectgarbage
local restart = setmetatable({}, {__close = function() collect("restart") end})
local leave = setmetatable({}, {__close = function() end})
local function hold_collector()
  if not collect("isrunning") then return leave end
  collect("stop")
  return restart
end

local function writes(mode)
  return type(mode) == "string" and find(mode, "[wa+]") ~= nil
end

-- s with each plain occurrence of from (not empty) replaced by to.
local function replace(s, from, to)
  local parts, i = {}, 1
  while true do
    local first, last = find(s, from, i, true)
    if first == nil then break end
    parts[#parts + 1] = sub(s, i, first - 1)
    parts[#parts + 1] = to
    i = last + 1
  end
  parts[#parts + 1] = sub(s, i)
  return concat(parts)
end

-- What debug.getinfo may tell: names, places and counts, never a function
-- (a function on the stack can be the sandbox's own original).
local INFO_FIELDS = {"source", "short_src", "linedefined", "lastlinedefined", "what", "currentline", "name",
                     "namewhat", "nups", "nparams", "isvararg", "istailcall", "ftransfer", "ntransfer"}

-- No commands, no temporary files, no environment, no C code.
local function take_away_the_system()
  os.execute = refuse("os.execute")
  io.popen = refuse("io.popen")
  os.tmpname = refuse("os.tmpname")
  io.tmpfile = refuse("io.tmpfile")  -- a file outside the --allow directories
  local getenv = os.getenv
  local harmless = {LANG = true, LC_ALL = true, LC_CTYPE = true, TERM = true, TZ = true}
  os.getenv = function(name)  -- tokens and passwords live in the rest
    if harmless[name] then return getenv(name) end
    return nil
  end
  package.loadlib = refuse("package.loadlib")
  package.cpath = ""
  -- Lua's path searcher, C's and the all-in-one: only zb's own modules load
  for i = #package.searchers, 3, -1 do table.remove(package.searchers, i) end
end

-- package.searchpath, through open (the original io.open).
local function limit_search(open)
  -- It tells whether files exist: here it finds only files the script may
  -- read (any other is "no file", as if not there), in every argument form.
  local searchpath, gmatch = package.searchpath, string.gmatch
  package.searchpath = function(name, path, sep, rep)
    local tn, tp = type(name), type(path)
    if not ((tn == "string" or tn == "number") and (tp == "string" or tp == "number")) then
      return searchpath(name, path, sep, rep)  -- for its own argument errors
    end
    local file_name, by, tried = tostring(name), sep == nil and "." or sep, {}
    if (type(by) == "string" or type(by) == "number") and by ~= "" then
      file_name = replace(file_name, tostring(by), rep == nil and "/" or tostring(rep))
    end
    for template in gmatch(tostring(path), "[^;]+") do
      local file = replace(template, "?", file_name)
      local _ <close> = hold_collector()
      local handle = allowed(file, false) and open(file, "r")
      if handle then
        handle:close()
        return file
      end
      tried[#tried + 1] = "no file '" .. file .. "'"
    end
    return nil, concat(tried, "\n\t")
  end
end

-- io and os's functions on files, open the original io.open.
local function limit_files(open)
  local lines, input, output = io.lines, io.input, io.output
  local remove, rename = os.remove, os.rename
  -- Each open file holds a C buffer Lua's allocator does not see: a string
  -- of its size, made before the file opens and kept while the handle
  -- lives, counts it against --max-memory.  (The kernel caps the count.)
  local buffers, rep, file_type = setmetatable({}, {__mode = "k"}), string.rep, io.type
  local FILE_BYTES = 8192
  local function counted(file, buffer)
    if file_type(file) == "file" then buffers[file] = buffer end
  end
  io.open = function(path, mode)
    local buffer = rep(" ", FILE_BYTES)
    local _ <close> = hold_collector()
    check(path, writes(mode), 2)
    local file, why, code = open(path, mode)
    counted(file, buffer)
    return file, why, code
  end
  io.lines = function(path, ...)
    local buffer = rep(" ", FILE_BYTES)
    local _ <close> = hold_collector()
    check(path, false, 2)
    local iterate, a, b, file = lines(path, ...)
    counted(file, buffer)
    return iterate, a, b, file
  end
  -- io.input and io.output: select the default file (for_writing: the output)
  local function default_file(select_file, for_writing)
    return function(file)
      local buffer = rep(" ", FILE_BYTES)
      local _ <close> = hold_collector()
      check(file, for_writing, 2)
      local current = select_file(file)
      counted(current, buffer)
      return current
    end
  end
  io.input, io.output = default_file(input, false), default_file(output, true)
  os.remove = function(path)
    local _ <close> = hold_collector()
    check(path, true, 2, true)
    return remove(path)
  end
  os.rename = function(from, to)
    local _ <close> = hold_collector()
    check(from, true, 2, true)
    check(to, true, 2, true)
    return rename(from, to)
  end
end

-- load, loadfile and dofile: text only, files where the script may read.
local function limit_loading()
  local load, loadfile = load, loadfile
  -- A reader function's pieces are read before load runs, so the original
  -- load is never on a stack the reader could look at.
  _G.load = function(chunk, name, _, ...)  -- no env given: the global one, as load does
    if type(chunk) == "function" then
      local pieces = {}
      while true do
        local piece = chunk()
        if piece == nil or piece == "" then break end
        if type(piece) == "number" then piece = tostring(piece) end  -- as load takes it
        if type(piece) ~= "string" then return nil, "reader function must return a string" end
        pieces[#pieces + 1] = piece
      end
      chunk = concat(pieces)
    end
    if select("#", ...) == 0 then return load(chunk, name, "t") end
    return load(chunk, name, "t", ...)
  end
  _G.loadfile = function(path, _, ...)
    local _ <close> = hold_collector()
    check(path, false, 2)
    if select("#", ...) == 0 then return loadfile(path, "t") end
    return loadfile(path, "t", ...)
  end
  _G.dofile = function(path)
    local fn, why
    do
      local _ <close> = hold_collector()
      check(path, false, 2)
      fn, why = loadfile(path, "t")
    end
    if fn == nil then error(why, 0) end
    return fn()
  end
end

local function limit_debug()
  local getinfo, traceback = debug.getinfo, debug.traceback
  -- debug: sethook would lift the timeout; getupvalue, getlocal and
  -- getregistry would hand back everything above.
  local function safe_getinfo(...)
    local thread, first, what = ...
    local info
    if type(thread) == "thread" then
      info = getinfo(thread, first, (gsub(tostring(what or "nSl"), "[^nSltru]", "")))
    else
      what = first
      info = getinfo(type(thread) == "number" and thread + 1 or thread, (gsub(tostring(what or "nSl"), "[^nSltru]", "")))
    end
    if info == nil then return nil end
    local copy = {}
    for _, field in pairs(INFO_FIELDS) do copy[field] = info[field] end
    return copy
  end
  local limited = {traceback = traceback, getinfo = safe_getinfo}
  _G.debug = limited
  package.loaded.debug = limited
end

return function()
  local open = io.open
  take_away_the_system()
  limit_search(open)
  limit_files(open)
  limit_loading()
  limit_debug()
end
