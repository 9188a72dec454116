-- The SQL every table method compiles to in SQLite's dialect, against
-- tests/golden/methods.lua: a change to the compiler, the dialect or a
-- method shows here as text to read.  Each query also runs, so a golden
-- text is one SQLite takes.  ZB_GOLDEN=write rewrites the file (read the
-- diff before committing it).
local T = require("check")

local cases = require("method_cases")(T)

-- A description's fields that make its SQL (the compiler reads no other).
local clauses = {"from", "where", "group", "cols", "distinct", "order", "limit", "offset", "query"}

-- v (a description, a fragment, a list of them, a value) as Lua source.
local function lua_of(v, indent)
  if type(v) ~= "table" then
    if type(v) == "string" or type(v) == "number" then return string.format("%q", v) end
    assert(type(v) == "boolean", "a description holds a " .. type(v))
    return tostring(v)
  end
  local inner, keys = indent .. "  ", {}
  if v.from or v.query then  -- a description
    for _, k in ipairs(clauses) do keys[#keys + 1] = v[k] ~= nil and k or nil end
  elseif v.expr then keys = {"name", "expr"}  -- a column
  else
    for k in pairs(v) do keys[#keys + 1] = math.type(k) ~= "integer" and k or nil end
    table.sort(keys)
  end
  local out = {}
  for i = 1, v.n or #v do out[#out + 1] = lua_of(v[i], inner) end
  for _, k in ipairs(keys) do out[#out + 1] = k .. " = " .. lua_of(v[k], inner) end
  return "{" .. (#out > 0 and "\n" .. inner .. table.concat(out, ",\n" .. inner) .. "\n" .. indent or "") .. "}"
end

-- Each case as Lua source: its name, the SQL the table runs with its
-- values, and the description the SQL is compiled from.
local path = "tests/golden/methods.lua"
local got = {}
for i, case in ipairs(cases) do
  local tbl = case[2]()
  local sql, params = tbl:sql()
  params = params or {}
  params.n = #params
  got[i] = string.format("{name = %q,\n sql = %q,\n params = %s,\n description = %s}", case[1], sql, lua_of(params, " "),
                         lua_of(require("zb.core").description(tbl), " "))
  -- a Lua function's number counts the session's registrations: not the method's
  got[i] = got[i]:gsub("zb_lua%(%d+,", "zb_lua(N,")
  T.ok(pcall(tbl.count, tbl), "the SQL of " .. case[1] .. " runs")
end
if os.getenv("ZB_GOLDEN") == "write" then
  T.write(path, "-- Written by tests/lua/golden.lua (ZB_GOLDEN=write): every method's SQL in SQLite's dialect, and the\n" ..
                "-- description it is compiled from, which tests/unit/compiler.lua compiles without a database.\n" ..
                "return {\n" .. table.concat(got, ",\n") .. "\n}\n")
end

local want = assert(load(T.read(path) or "return {}"))()
for i, case in ipairs(cases) do
  local w = want[i] or {}
  T.eq(got[i], string.format("{name = %q,\n sql = %q,\n params = %s,\n description = %s}", w.name or "", w.sql or "",
                             lua_of(w.params or {}, " "), lua_of(w.description or {}, " ")), "golden SQL: " .. case[1])
end
T.eq(#want, #cases, "the golden file has an entry for each case")
T.cleanup()
T.done()
