-- Every loader, its table's name taken (tests/lua/errors.lua; postgresql.lua
-- runs it on a server, zb -d): each load's result, the table left as it
-- was.  The engine's messages are made another language's (as a server's
-- lc_messages gives them): the refusal must come from the engine's look at
-- its tables, not from its words.
local engine = zb.engine
local exec = engine.exec
engine.exec = function(...)
  local ok, result = pcall(exec, ...)
  if ok then return result end
  error((tostring(result):gsub("already exists", "existiert bereits")), 0)
end
local dir = os.tmpname()
os.remove(dir)
os.execute("mkdir " .. dir)
local f = assert(io.open(dir .. "/x.json", "w"))
f:write('[{"a": 1}]')
f:close()
zb.sql("drop table if exists taken")
zb.sql("create table taken (q integer)")
zb.sql("insert into taken values (7)")
local loads = {
  read_csv = function(name) return zb.read_csv("datasets/wdi-gdp-api.csv", {name = name}) end,
  read_json = function(name) return zb.read_json(dir .. "/x.json", {name = name}) end,
  read_xlsx = function(name) return zb.read_xlsx("datasets/nbs-province-gdp-2023-2024.xlsx", {name = name}) end,
  read_jsonstat = function(name) return zb.read_jsonstat("datasets/wdi-2000-2023.jsonstat.json", {name = name}) end,
  read_sdmx = function(name) return zb.read_sdmx("datasets/sdmx-oecd-g20-prices-chn-cpi.csv", {name = name}) end,
  read_worldbank = function(name) return zb.read_worldbank("datasets/wdi-gdp-api.csv", {name = name}) end,
  read_nbs = function(name) return zb.read_nbs("datasets/nbs-province-gdp-2006-2024.gbk.csv", {name = name}) end,
  dataset = function(name) return zb.dataset("hangzhou-2021", {name = name}) end,
}
local order = {}
for name in pairs(loads) do order[#order + 1] = name end
table.sort(order)
for _, name in ipairs(order) do
  local ok, e = pcall(loads[name], "taken")
  print(name, ok, tostring(e))
end
print("left", zb.sql("select q from taken"):value())
zb.sql("drop table taken")
os.execute("rm -r " .. dir)
