-- The text of the JSON file at path, for read_json and read_jsonstat: UTF-8
-- (a byte order mark dropped).  A file that is no JSON says what it is
-- (a workbook, a PDF, UTF-16, an HTML page, CSV text ...) and which reader
-- takes it; raised at the user's line as "PATH: why".
local errors = require("zb.host.errors")
errors.own()

return function(path)
  local f, err = errors.open(path, "rb")
  if not f then errors.raise("cannot open " .. err) end
  local text = f:read("a")
  f:close()
  if not text then errors.raise(path .. ": cannot read it (is it a directory?)") end
  local kind, message = require("zb.core").file_format(text, "JSON")
  if kind and kind ~= "json" then errors.raise(path .. ": " .. message) end
  -- what no JSON value begins with: CSV text, most likely
  if not kind and text:find("^%s*[^%s%[{\"%-%dtfn]") then
    errors.raise(path .. ": text, not JSON: if it is CSV, read it with zb.read_csv")
  end
  if text:sub(1, 3) == "\239\187\191" then text = text:sub(4) end
  if not utf8.len(text) then errors.raise(path .. ": invalid UTF-8") end
  return text
end
