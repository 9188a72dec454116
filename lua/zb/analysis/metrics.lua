-- zb.metrics: the metrics and aggregates defined so far, by name.
--
--   zb.metrics.ratio(a, b)        -- a metric, called from Lua
--   zb.metrics.median({3, 1, 2})  -- an aggregate over Lua arrays (one per argument)
--   zb.metrics.about(name)        -- {kind =, doc =, unit =, args =} or nil
--   zb.metrics.names()            -- every name, sorted
--
-- zb.metric and zb.aggregate add to it; each is an SQL function too.
local M = {}
local about = {}   -- name -> what zb.metrics.about returns
local entries = {} -- luacheck: ignore 241 (name -> the registration SQLite calls: held here to keep it alive)

-- The library's metrics are created with the session database: opening it
-- (once) defines them.
local opened = false
local function with_library()
  if not opened then
    opened = true
    local _ = zb.db
  end
end

function M.about(name)
  with_library()
  return about[name]
end

function M.names()
  with_library()
  local names = {}
  for name in pairs(about) do names[#names + 1] = name end
  table.sort(names)
  return names
end

-- Called by zb.metric and zb.aggregate.
function M.define(name, fn, entry, info)
  rawset(M, name, fn)
  entries[name] = entry
  about[name] = info
end

return setmetatable(M, {__index = function(t, name)
  if opened then return nil end
  with_library()
  return rawget(t, name)
end})
