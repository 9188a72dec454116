-- zb.help([name]): the doc line of a metric, an aggregate or a table
-- method of the analysis library (zb.metric's and zb.aggregate's doc
-- option, for your own); with no name, the list of them.  The REPL's
-- .help NAME and .metrics show the same.
local metrics = require("zb.metrics")
local indicators = require("zb.table").docs

local M = {}

local function method_line(name)
  local method = indicators[name]
  if method then return string.format("t:%s%s  table method: %s", name, method[1], method[2]) end
end

-- The doc line of name ("t:name" for a table method), or nil.
function M.line(name)
  local method = type(name) == "string" and name:match("^t:(.+)$")
  if method then return method_line(method) end
  local about = metrics.about(name)
  if about then
    return string.format("%s(%s)  %s%s%s", name, about.args or "...", about.kind,
                         about.doc and ": " .. about.doc or "", about.unit and " [" .. about.unit .. "]" or "")
  end
  return method_line(name)
end

-- Every doc line, those whose line holds text (plain) when given.
function M.lines(text)
  local out = {}
  for _, name in ipairs(metrics.names()) do out[#out + 1] = M.line(name) end
  local methods = {}
  for name in pairs(indicators) do methods[#methods + 1] = name end
  table.sort(methods)
  for _, name in ipairs(methods) do out[#out + 1] = method_line(name) end
  if not text then return out end
  local kept = {}
  for _, line in ipairs(out) do
    if line:find(text, 1, true) then kept[#kept + 1] = line end
  end
  return kept
end

return setmetatable(M, {__call = function(_, name)
  if name == nil then
    for _, line in ipairs(M.lines()) do print(line) end
    return
  end
  local line = M.line(name)
  if not line then error(string.format("no metric, aggregate or table method '%s' (zb.help() lists them)", tostring(name)), 2) end
  print(line)
end})
