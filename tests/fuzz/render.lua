-- Fuzz the renderer: the input, split on its first byte, becomes cells of
-- any bytes (control characters, invalid UTF-8, wide characters) in a
-- table of one to four columns, rendered in every mode at some width.
local modes = {"box", "markdown", "line", "csv", "tsv", "json"}
return function(input)
  local sep = input:sub(1, 1)
  local cells = {}
  if sep ~= "" then
    for cell in (input:sub(2) .. sep):gmatch("(.-)" .. sep:gsub("%p", "%%%0")) do cells[#cells + 1] = cell end
  end
  local ncols = #cells % 4 + 1
  local rows, params = {}, {}
  for i = 1, #cells, ncols do
    local marks = {}
    for c = 1, ncols do
      marks[c] = "?"
      local v = cells[i + c - 1]
      params[#params + 1] = v and (#v % 3 == 0 and tonumber(v) or v) or false
    end
    rows[#rows + 1] = "(" .. table.concat(marks, ", ") .. ")"
  end
  if #rows == 0 then return end
  for i, v in ipairs(params) do if v == false then params[i] = nil end end
  local t = zb.sql("select * from (values " .. table.concat(rows, ", ") .. ")", table.unpack(params, 1, #rows * ncols))
  for _, mode in ipairs(modes) do
    zb.render(t, {mode = mode, width = (#input % 100) + 10, maxrows = #input % 7, human = #input % 2 == 0})
  end
end
