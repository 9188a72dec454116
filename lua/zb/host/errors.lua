-- zb.errors: errors reported where the user's code called zb, past the
-- frames of zb's own modules (those that call errors.own()) and of C.
local M = {}

local own = {[debug.getinfo(1, "S").source] = true}

-- Count the calling module as one of zb's own.
function M.own()
  own[debug.getinfo(2, "S").source] = true
end

-- Whether v is a zb.Error: an SQL error as a value, {message =, sql =,
-- code =, where =} (src/bridge/error.c); tostring gives its text, and string
-- methods work on that text.
function M.is_error(v)
  local meta = getmetatable(v)
  return type(meta) == "table" and meta.__name == "zb.Error"
end

-- A new zb.Error of fields ({message =, sql =, ...}; show_sql = false
-- leaves the SQL out of its text), to raise.
function M.new(fields)
  return require("zb.core").error(fields)
end

-- Whether an error value is a message to place at the user's line: not
-- Ctrl-C's or a timeout's stop, nor a value that is neither a string nor
-- a zb.Error.
function M.is_plain(problem)
  return type(problem) == "string" and problem ~= "interrupted" and problem ~= "timed out" or M.is_error(problem)
end

-- msg without the position in one of zb's modules that error() put first
-- (a zb.Error: without its where, to be raised again at the user's line).
-- The one place zb takes a position off an error's text.
function M.plain(msg)
  if M.is_error(msg) then
    msg.where = nil
    return msg
  end
  return (msg:gsub("^[^\n]-/zb/[%w_/]+%.lua:%d+: ", ""))
end

-- The reason in msg, the io library's failure about a file at path
-- ("path: reason"), without the path: for a message that names another
-- file (an export's, not the temporary file it was written through).
function M.reason(msg, path)
  local named = path .. ": "
  if msg:sub(1, #named) == named then return msg:sub(#named + 1) end
  return msg
end

-- Raise msg (text, or a zb.Error: its where set) at the first frame
-- outside zb's own modules and C: the user's line (none when zb itself
-- called, as the REPL printing a result).
function M.raise(msg)
  local level = 2
  while true do
    local info = debug.getinfo(level, "Sl")
    if not info or not (own[info.source] or info.what == "C") then
      if M.is_error(msg) then
        msg.where = info and info.currentline > 0 and info.short_src .. ":" .. info.currentline or nil
        error(msg, 0)
      end
      break
    end
    level = level + 1
  end
  error(msg, level)
end

-- fn(...), an error in it raised again at the user's line.  Ctrl-C's stop
-- and error values that are not strings go on as they are, and so does a
-- problem of a file's, which says where in the file (FILE:LINE:COLUMN).
function M.guarded(fn, ...)
  local results = table.pack(pcall(fn, ...))
  if results[1] then return table.unpack(results, 2, results.n) end
  local problem = results[2]
  if not M.is_plain(problem) or M.is_error(problem) and problem.file then error(problem, 0) end
  M.raise(M.plain(problem))
end

-- io.open(path, mode) for a loader: a safe session's refusal, which io.open
-- raises there, at the user's line as other refusals are; else what
-- io.open returns.
function M.open(path, mode)
  local opened, f, err = pcall(io.open, path, mode)
  if not opened then M.raise(M.plain(f)) end
  return f, err
end

return M
