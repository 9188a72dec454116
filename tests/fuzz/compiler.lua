-- Fuzz the table compiler: the input drives a chain of methods with names
-- and values taken from it.  Each step either makes a table whose SQL
-- SQLite accepts (make() prepares it) or raises a clean error; no value
-- given to a method may appear in the SQL text (values are always bound).
zb.db:sql("create table if not exists fuzz_base (region text, year integer, value real, \"we\"\"ird\" text)")
zb.db:sql("delete from fuzz_base")
zb.db:sql("insert into fuzz_base values ('杭州市', 2021, 18109, 'a'), ('宁波市', 2020, 14595, NULL)")
local base = zb.table("fuzz_base")

return function(input)
  local pos = 1
  local function byte()
    pos = pos + 1
    return input:byte(pos - 1) or 0
  end
  local function text()
    local n = byte() % 12
    local s = input:sub(pos, pos + n - 1)
    pos = pos + n
    return s
  end
  local function name(t)
    local cols = t.columns
    return byte() % 4 == 0 and text() or cols[byte() % #cols + 1]
  end
  local values = {}
  local function value()
    local k = byte() % 4
    local v = k == 0 and text() or k == 1 and byte() - 128 or k == 2 and byte() / 7 or nil
    if type(v) == "string" and #v >= 4 then values[#values + 1] = v end
    return v
  end
  -- Steps that take SQL text may fail as SQLite parses it; those that take
  -- only names and values (sql = false) make SQL that always parses.
  local steps = {
    {sql = false, function(t) return t:where{[name(t)] = value()} end},
    {sql = true, function(t) return t:where(text(), value()) end},
    {sql = true, function(t) return t:select(name(t), name(t)) end},
    {sql = true, function(t) return t:mutate{[text()] = name(t)} end},
    {sql = false, function(t) return t:rename{[text()] = name(t)} end},
    {sql = true, function(t) return t:order(name(t)) end},
    {sql = false, function(t) return t:limit(byte() % 5, byte() % 3) end},
    {sql = true, function(t) return t:group(name(t)):agg{n = "count(*)", s = "sum(" .. zb.names.quote(name(t)) .. ")"} end},
    {sql = false, function(t) return t:distinct() end},
    {sql = true, function(t) return t:join(base, name(t), ({"inner", "left", "full"})[byte() % 3 + 1]) end},  -- on: a key or SQL
    {sql = false, function(t) return t:union(t, "all") end},
    {sql = false, function(t) return t:drop(name(t)) end},
  }
  local t = base
  for _ = 1, byte() % 6 + 1 do
    local step = steps[byte() % #steps + 1]
    local ok, next_t = pcall(step[1], t)
    if ok then
      t = next_t
    elseif not step.sql and type(next_t) == "string" and
           (next_t:find("syntax error", 1, true) or next_t:find("unrecognized token", 1, true)) then
      error("fuzz finding: SQL made from names and values does not parse: " .. next_t)
    end
  end
  local sql = t:sql()
  for _, v in ipairs(values) do
    if not v:find("^%s*$") and sql:find(v, 1, true) and not base.columns[v] then
      -- a value may coincide with a name or keyword the SQL holds anyway
      local quoted = "'" .. v:gsub("'", "''") .. "'"
      assert(not sql:find(quoted, 1, true), "fuzz finding: a value reached the SQL text: " .. quoted)
    end
  end
  pcall(function() return #t end)
end
