-- Differential: a random small table (the input gives its values: NULL,
-- integers, reals, text, blobs), grouped and filtered through zb's table
-- methods (zb_group, zb_rank, the compiler) and through the same SQL written
-- by hand; the answers must be the same, value for value and type for type.
local function cell(v)
  return v == nil and "NULL" or math.type(v) == "float" and string.format("%.17g.f", v)
      or math.type(v) == "integer" and tostring(v) or string.format("%q", v)
end

local function rows_text(t, cols)
  local out = {}
  for r in t:rows() do
    local parts = {}
    for i, c in ipairs(cols) do parts[i] = cell(r[c]) end
    out[#out + 1] = table.concat(parts, "|")
  end
  return table.concat(out, "\n")
end

return function(input)
  local pos = 0
  local function byte()
    pos = pos + 1
    return input:byte(pos) or 0
  end
  local function value()
    local kind, b = byte() % 6, byte()
    if kind == 0 then return nil end
    if kind == 1 then return b % 7 - 3 end
    if kind == 2 then return (b % 9) / 4 end
    if kind == 3 then return ({"杭州市", "宁波市", "", "a", "A", "1"})[b % 6 + 1] end
    if kind == 4 then return b * 1e15 end
    return b % 2 == 0 and math.maxinteger - b or math.mininteger + b
  end
  zb.db:sql("drop table if exists diff")
  zb.db:sql("create table diff (id integer primary key, k, j, v)")
  local n = byte() % 40
  for _ = 1, n do zb.db:sql("insert into diff (k, j, v) values (?, ?, ?)", value(), value(), value()) end
  local t = zb.table("diff")
  local keys = byte() % 2 == 0 and {"k"} or {"k", "j"}
  local ok, grouped = pcall(function()
    return rows_text(t:group(table.unpack(keys)):agg{c = "count(*)", n = "count(v)", s = "sum(v)", tt = "total(v)",
                                                    a = "avg(v)", lo = "min(v)", hi = "max(v)"},
                     {keys[1], keys[2] or keys[1], "a", "c", "hi", "lo", "n", "s", "tt"})
  end)
  local sql_ok, by_sql = pcall(function()
    local k = table.concat(keys, ", ")
    return rows_text(zb.sql("select " .. k .. (#keys == 1 and ", k as k2" or "") .. [[, avg(v) as a, count(*) as c, max(v) as hi,
      min(v) as lo, count(v) as n, sum(v) as s, total(v) as tt from diff group by ]] .. k),
      {keys[1], keys[2] or "k2", "a", "c", "hi", "lo", "n", "s", "tt"})
  end)
  if ok ~= sql_ok or (ok and grouped ~= by_sql) then
    error("fuzz finding: group differs from SQLite's:\n" .. tostring(grouped) .. "\n--- SQLite:\n" .. tostring(by_sql))
  end
  -- rank within the keys' groups, each row's as SQLite's rank() gives it
  local desc = byte() % 2 == 0
  local rank_ok, ranked = pcall(function()
    return rows_text(t:rank{value = "v", by = keys, desc = desc}:order("id"), {"id", "rank"})
  end)
  local window_ok, by_window = pcall(function()
    return rows_text(zb.sql(string.format("select id, case when v is null then null else rank() over (partition by %s " ..
                                          "order by v %s) end as rank from diff order by id", table.concat(keys, ", "),
                                          desc and "desc" or "nulls last")), {"id", "rank"})
  end)
  if rank_ok ~= window_ok or (rank_ok and ranked ~= by_window) then
    error("fuzz finding: rank differs from SQLite's:\n" .. tostring(ranked) .. "\n--- SQLite:\n" .. tostring(by_window))
  end
  -- where{} on k, a column of no declared type, as README says: equal as
  -- SQLite compares, or text that reads as a decimal number equal to a
  -- number in a numeric row, or a number equal to its text in a text row.
  local probe = value()
  local where_ok, counted = pcall(function() return t:where{k = probe}:count() end)
  local expected = 0
  local probe_number = type(probe) == "string" and probe:match("^%s*[-+]?%d*%.?%d*[eE]?[-+]?%d*%s*$") and
                       probe:find("%d") and tonumber(probe)
  local probe_text = math.type(probe) == "integer" and string.format("%d", probe) or
                     math.type(probe) == "float" and probe == probe and
                     (string.format("%.15g", probe):find("[.eni]") and string.format("%.15g", probe) or
                      string.format("%.15g", probe) .. ".0")
  for r in zb.sql("select k, typeof(k) as kind from diff"):rows() do
    local k = r.k
    if probe == nil then  -- where{k = nil} is where{}: every row
      expected = expected + 1
    elseif k ~= nil and (zb.sql("select ? = ? as same", k, probe):value() == 1
        or (type(k) == "number" and probe_number and k == probe_number)
        or (r.kind == "text" and probe_text and k == probe_text)) then
      expected = expected + 1
    end
  end
  if not where_ok or counted ~= expected then
    error("fuzz finding: where{k = " .. cell(probe) .. "} counted " .. tostring(counted) .. ", SQLite " .. expected)
  end
end
