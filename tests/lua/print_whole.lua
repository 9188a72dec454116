-- print(t) of a whole table in a script (issue 17): straight from the
-- statement to standard output in C (src/writers/grid.c for box,
-- markdown and line, src/writers/export.c for the data modes), in constant memory.
-- Checked byte for byte against what the Lua renderer makes of the same
-- table (zb.render), on random tables in every mode and at several
-- precisions; then where Lua still prints (formats, .maxrows, human
-- units), a query that changes between the passes, and memory.
local T = require("check")

local dir = T.tmpdir()
math.randomseed(20261204)
local random_tables = require("random_tables")
local cases = {}
for i = 1, 60 do cases[i] = string.format("%q", random_tables.sql()) end
T.write(dir .. "/cases.lua", "return {" .. table.concat(cases, ",\n") .. "}")
-- each case printed, then zb.render's text of it as print would write it
T.write(dir .. "/print.lua", [[
local cases = dofile(...)
for _, precision in ipairs{6, 2, 0, 17} do
  zb.precision(precision)
  for _, mode in ipairs{"box", "markdown", "csv", "tsv", "json", "line"} do
    zb.mode(mode)
    for i, sql in ipairs(cases) do
      local t = zb.sql(sql)
      -- (JSON refuses an infinite real: the rows before it are printed, the
      -- render has none; both must refuse it at the same row and column)
      local function refused(why) return "@@zb-refused@@" .. tostring(why):match("row %d+, column .-: %S+") end
      io.write("@@zb-case@@", mode, " ", precision, " ", i, "@@zb-printed@@")
      local printed, why = pcall(print, t)
      if not printed then io.write(refused(why)) end
      local rendered, text = pcall(zb.render, t)
      io.write("@@zb-rendered@@", rendered and text .. "\n" or refused(text), "@@zb-end@@")
    end
  end
end]])
local r = T.run(T.shell_quote(dir .. "/print.lua") .. " " .. T.shell_quote(dir .. "/cases.lua"))
T.eq(r.code, 0, "the cases print", r.err)
local compared, differ = 0, {}
for name, printed, rendered in r.out:gmatch("@@zb%-case@@(.-)@@zb%-printed@@(.-)@@zb%-rendered@@(.-)@@zb%-end@@") do
  compared = compared + 1
  printed = printed:match("@@zb%-refused@@.*$") or printed
  if printed ~= rendered then differ[#differ + 1] = name .. ":\n" .. printed .. "\n--- render:\n" .. rendered end
end
T.eq(compared, 60 * 6 * 4, "every case compared")
T.eq(differ[1] or "", "", "print(t) writes what zb.render gives, in every mode and precision")

-- t:to_markdown(path) streams as print does: the text to_markdown() gives,
-- caption and notes after it
T.write(dir .. "/markdown.lua", [[
local cases, path = dofile((...)), select(2, ...)
local opts = {caption = "表1 收入", notes = {"注：a", "资料来源：b"}}
local differ = 0
for _, sql in ipairs(cases) do
  local t = zb.sql(sql)
  for _, o in ipairs{{}, opts} do
    t:to_markdown(path, o)
    local f = io.open(path)
    if f:read("a") ~= t:to_markdown(o) then differ = differ + 1 end
    f:close()
  end
end
print(differ)]])
r = T.run(T.shell_quote(dir .. "/markdown.lua") .. " " .. T.shell_quote(dir .. "/cases.lua") .. " " ..
          T.shell_quote(dir .. "/case.md"))
T.eq(r.out, "0\n", "to_markdown(path) writes what to_markdown() gives, with and without caption and notes", r.err)

-- Where Lua prints: formats, .maxrows, human units (the same text either way)
local hz = "zb.dataset('hangzhou-2021'):select('region', 'indicator', 'value', 'unit'):limit(3)"
for _, setup in ipairs{"", "zb.render.options.maxrows = 2", "zb.render.options.human = true"} do
  r = T.run("-e " .. T.shell_quote(setup .. " local t = " .. hz .. " print(t) io.write(zb.render(t), '\\n')"))
  local half = #r.out // 2
  T.eq(r.out:sub(1, half), r.out:sub(half + 1), "print and render agree: " .. (setup == "" and "plain" or setup))
end
r = T.run("-e " .. T.shell_quote("local t = " .. hz .. ":format{value = {decimals = 2}} print(t)"))
T.has(r.out, "18109.00", "a format still shows")

-- The REPL's results to .output's and .once's files: every row, as zb.render({all = true}) gives them
local out1, out2 = dir .. "/output.txt", dir .. "/once.txt"
r = T.run("-n", {stdin = "t = zb.sql[[select 1 as n, '杭州' as city union all select 2, 'a|b']]\n" ..
                         ".output " .. out1 .. "\nt\nt:where('n = 2')\n.output\n.once " .. out2 .. "\nt\n" ..
                         "zb.mode('markdown')\nio.write(zb.render(t, {all = true}))\n"})
local box = "┌───┬──────┐\n│ n │ city │\n├───┼──────┤\n│ 1 │ 杭州 │\n│ 2 │ a|b  │\n└───┴──────┘\n"
T.eq(T.read(out1), box .. "┌───┬──────┐\n│ n │ city │\n├───┼──────┤\n│ 2 │ a|b  │\n└───┴──────┘\n",
     ".output: each result whole, as a box")
T.eq(T.read(out2), box, ".once: the next result")

-- A query whose rows change between the passes is refused
r = T.run("-e " .. T.shell_quote("print(zb.sql('with recursive s(i) as (select 1 union all select i + 1 from s " ..
                                  "where i < 50) select random() as r from s'))"))
T.eq(r.code, 1, "random() rows: an error")
T.has(r.err, "print: the query gave other rows the second time it ran", "... saying why")

-- Constant memory: printing a million rows takes little more than making them
-- (the table itself is in the session's memory)
local function peak(action)
  local out = T.run("-e " .. T.shell_quote("zb.sql[[create table big as with recursive s(i) as (select 1 union all " ..
    "select i + 1 from s where i < 1000000) select i, i * 1.5 as x, 'r' || i as t from s]] " .. action),
    {env = "/usr/bin/time -f %M -o " .. T.shell_quote(dir .. "/peak")})
  T.eq(out.code, 0, action, out.err)
  return tonumber(T.read(dir .. "/peak"))
end
local made = peak("zb.table('big'):count()")
for _, mode in ipairs{"box", "markdown", "line", "csv", "tsv", "json"} do
  local printed = peak(string.format("zb.mode(%q) print(zb.table('big'))", mode))
  T.ok(printed - made < 4 * 1024, string.format("a million rows: %d KB made, %d KB made and printed (%s)", made,
                                                printed, mode))
end
for _, export in ipairs{"to_csv", "to_tsv", "to_json", "to_markdown"} do
  local written = peak(string.format("zb.table('big'):%s(%q)", export, dir .. "/big.out"))
  T.ok(written - made < 4 * 1024, string.format("... %d KB made and written by %s", written, export))
end
T.cleanup()
T.done()
