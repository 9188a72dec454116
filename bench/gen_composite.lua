-- bench/gen_composite.lua REGIONS YEARS INDICATORS OUT.csv: the composite
-- bench's data, deterministic: a row per region and year, a column per
-- indicator (x1, x2, ...), values from 0 to 99.9 in tenths (ties), about
-- one in fifty missing.
local regions, years, indicators, out = tonumber(arg[1]), tonumber(arg[2]), tonumber(arg[3]), arg[4]
math.randomseed(20)
local f = assert(io.open(out, "w"))
local head = {"region", "year"}
for k = 1, indicators do head[#head + 1] = "x" .. k end
f:write(table.concat(head, ","), "\n")
for year = 2001, 2000 + years do
  for r = 1, regions do
    local cells = {"r" .. r, year}
    for _ = 1, indicators do
      cells[#cells + 1] = math.random() < 0.02 and "" or string.format("%.1f", math.random(0, 999) / 10)
    end
    f:write(table.concat(cells, ","), "\n")
  end
end
f:close()
