-- Fuzz zb.read_csv: the input's first two bytes pick the options, the rest
-- is the file.  A load either succeeds (and its table renders) or raises.
local path = os.getenv("TMPDIR") or "/tmp"
path = path .. "/zb-fuzz-" .. math.random(0, 1e9) .. ".csv"
local seps = {nil, ",", ";", "\t", "|"}
local encodings = {nil, "utf-8", "gbk", "gb18030"}
return function(input)
  local flags, more = input:byte(1) or 0, input:byte(2) or 0
  local f = assert(io.open(path, "wb"))
  f:write(input:sub(3))
  f:close()
  local ok, t = pcall(zb.read_csv, path, {
    name = "fuzz", replace = true, sep = seps[flags % 5 + 1], header = flags & 8 == 0,
    encoding = encodings[(flags >> 4) % 4 + 1], na = flags & 64 ~= 0 and {"x"} or nil,
    numbers = more & 1 ~= 0 and "loose" or nil,
  })
  os.remove(path)
  if ok then
    zb.render(t, {mode = "box", width = 60, maxrows = 10})
    t:to_csv()
  end
end
