-- The column names of a header of several rows, header[1..n] (a
-- workbook's, read_xlsx; a CSV's of header = N lines, read_csv), width
-- columns: each column's values from the top row down joined by "_".  A
-- merged cell counts in each column and row it covers: by the sheet's
-- merged ranges when given (a list of {first column, first row, last
-- column, last row}, columns as the sheet's, col0 the first of the
-- table's), else as the layout shows merges (the empty cells right of a
-- value, over cells the row below fills or spreads over).  A row is a
-- table of column -> value, its sheet row at .row.
return function(header, width, merges, col0)
  local names = {}
  local spread = {}  -- per header row, each column's value after merges
  local by_row = {}
  for _, r in ipairs(header) do by_row[r.row] = r end
  -- from the bottom row up: a row spreads over the columns the row below it fills
  for level = #header, 1, -1 do
    local r = header[level]
    spread[level] = {}
    local below = spread[level + 1]
    for c = 1, width do
      local v = r[c]
      if merges then
        local col = c + col0 - 1
        for _, m in ipairs(merges) do
          if col >= m[1] and col <= m[3] and r.row >= m[2] and r.row <= m[4] then
            local top = by_row[m[2]]
            v = top and top[m[1] - col0 + 1]
            break
          end
        end
      elseif v == nil and below and c > 1 and below[c] ~= nil and below[c - 1] ~= nil then
        v = spread[level][c - 1]
      end
      spread[level][c] = v
    end
  end
  for c = 1, width do
    local parts = {}
    for level = 1, #header do
      local v = spread[level][c]
      if v ~= nil and tostring(v) ~= parts[#parts] then parts[#parts + 1] = tostring(v) end
    end
    names[c] = table.concat(parts, "_")
  end
  return names
end
