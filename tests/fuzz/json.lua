-- Fuzz zb.read_json with the input as the file.
local path = (os.getenv("TMPDIR") or "/tmp") .. "/zb-fuzz-" .. math.random(0, 1e9) .. ".json"
return function(input)
  local f = assert(io.open(path, "wb"))
  f:write(input)
  f:close()
  local ok, t = pcall(zb.read_json, path, {name = "fuzz", replace = true})
  os.remove(path)
  if ok then zb.render(t, {mode = "json"}) end
end
