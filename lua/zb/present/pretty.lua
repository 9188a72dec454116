-- zb.pretty: any Lua value as readable text, the way the REPL prints it.
--
--   zb.pretty(value [, opts]) --> string
--
-- Strings are quoted, numbers read back to the same value, tables are laid
-- out with sorted keys (on one line when they fit in opts.width columns),
-- a table met again inside itself is marked as a cycle, and the output is
-- bounded: opts.depth levels, opts.items entries a table, opts.budget
-- entries in all, opts.string bytes of a string.  Userdata and tables
-- with __tostring print through it.

require("zb.host.errors").own()  -- a bad option is raised at the user's line

local defaults = {width = 80, depth = 8, items = 100, budget = 2000, string = 1000, indent = "  "}

local keywords = {}
for word in ([[and break do else elseif end false for function goto if in
  local nil not or repeat return then true until while]]):gmatch("%a+") do
  keywords[word] = true
end

local escapes = {['"'] = '\\"', ["\\"] = "\\\\", ["\n"] = "\\n", ["\t"] = "\\t",
                 ["\r"] = "\\r", ["\a"] = "\\a", ["\b"] = "\\b", ["\f"] = "\\f",
                 ["\v"] = "\\v"}

-- A Lua string literal of at most limit bytes of s; UTF-8 text stays as it
-- is, other bytes (a blob, say) are escaped.
local function quote(s, limit)
  local more = ""
  if #s > limit then
    local cut = limit
    while cut > 0 and (s:byte(cut + 1) or 0) & 0xC0 == 0x80 do cut = cut - 1 end
    more = string.format("…(%d bytes in all)", #s)
    s = s:sub(1, cut)
  end
  local special = utf8.len(s) and '[%c"\\]' or '[%c"\\\128-\255]'
  return '"' .. s:gsub(special, function(c)
    return escapes[c] or string.format("\\%03d", c:byte())
  end) .. '"' .. more
end

-- The shortest form that reads back as the same number.
local function number(x)
  if math.type(x) == "integer" then return tostring(x) end
  if x ~= x then return "0/0" end
  if x == math.huge then return "math.huge" end
  if x == -math.huge then return "-math.huge" end
  return require("zb.analysis.numbers").exact(x)  -- ".0" keeps floats distinct from integers
end

local function is_identifier(k)
  return type(k) == "string" and k:match("^[%a_][%w_]*$") and not keywords[k]
end

-- Columns a string takes on a terminal (Chinese characters two).
local columns = zb.width

local type_order = {number = 1, string = 2, boolean = 3}

local function key_before(a, b)
  local ta, tb = type(a), type(b)
  if ta ~= tb then return (type_order[ta] or 4) < (type_order[tb] or 4) end
  if ta == "number" or ta == "string" then return a < b end
  return tostring(a) < tostring(b)
end

local render

local function render_table(t, opts, state, level)
  if state.open[t] then return "<cycle>" end
  if level >= opts.depth then return "{…}" end
  state.open[t] = true
  local n = rawlen(t)
  local keys = {}
  for k in next, t do
    if not (math.type(k) == "integer" and k >= 1 and k <= n) then keys[#keys + 1] = k end
  end
  table.sort(keys, key_before)
  local items, total = {}, n + #keys
  local function add(text)
    if #items >= opts.items or state.left <= 0 then return false end
    state.left = state.left - 1
    items[#items + 1] = text
    return true
  end
  local full = true
  for i = 1, n do
    full = add(render(rawget(t, i), opts, state, level + 1))
    if not full then break end
  end
  for _, k in ipairs(full and keys or {}) do
    local key = is_identifier(k) and k or "[" .. render(k, opts, state, level + 1) .. "]"
    if not add(key .. " = " .. render(rawget(t, k), opts, state, level + 1)) then break end
  end
  if #items < total then items[#items + 1] = string.format("… (%d more)", total - #items) end
  state.open[t] = nil
  if #items == 0 then return "{}" end
  local line = "{" .. table.concat(items, ", ") .. "}"
  if columns(line) + #opts.indent * level <= opts.width and not line:find("\n") then return line end
  local pad = opts.indent:rep(level + 1)
  if #keys == 0 then  -- a long array: as many entries a line as fit
    local lines, current = {}, nil
    for _, item in ipairs(items) do
      if current and columns(current) + 2 + columns(item) + #pad <= opts.width and not item:find("\n") then
        current = current .. ", " .. item
      else
        lines[#lines + 1] = current
        current = item
      end
    end
    lines[#lines + 1] = current
    items = lines
  end
  return "{\n" .. pad .. table.concat(items, ",\n" .. pad) .. "\n" .. opts.indent:rep(level) .. "}"
end

function render(v, opts, state, level)
  local kind = type(v)
  if kind == "string" then return quote(v, opts.string) end
  if kind == "number" then return number(v) end
  if kind == "table" then
    local mt = getmetatable(v)
    if type(mt) == "table" and mt.__tostring then return tostring(v) end
    return render_table(v, opts, state, level)
  end
  return tostring(v)
end

local kinds = {}  -- the options, each of its default's type
for k, v in pairs(defaults) do kinds[k] = math.type(v) or type(v) end

return function(value, opts)
  require("zb.host.options").check("pretty", opts, kinds)
  local o = setmetatable({}, {__index = defaults})
  for k, v in pairs(opts or {}) do o[k] = v end
  return render(value, o, {open = {}, left = o.budget}, 0)
end
