-- zb.regions: China's statistical division codes (统计用区划代码, the NBS
-- list with cut-off 2023-06-30, datasets/divisions-*.csv) and the names
-- sources give places: official (杭州市, 内蒙古自治区) or short (杭州,
-- 内蒙古).  A name that stands for several places (海南: a province and a
-- prefecture of Qinghai; 朝阳区: in Beijing and in Changchun) is an error
-- naming them, never a pick.
--
--   zb.regions.find(name [, {level =, within =}])  -> the place
--   zb.regions.code(name [, opts]), zb.regions.name(name [, opts])
--   SQL: region_code(name [, level [, within]]), region_name(...)
local errors = require("zb.host.errors")
errors.own()  -- its refusals are raised at the user's line
local raise = errors.raise

local M = {}

M.cutoff = "2023-06-30"
M.levels = {"province", "city", "county"}
local level_rank = {province = 1, city = 2, county = 3}

-- The ethnic groups whose names autonomous regions, prefectures, counties
-- and banners carry (广西壮族自治区, 延边朝鲜族自治州), longest first so
-- that 土家 is taken before 土; each is stripped from the end of such a
-- name, written with 族 or, for the names that appear so, without it.
local ethnic = {"乌孜别克", "柯尔克孜", "维吾尔", "哈萨克", "塔吉克", "塔塔尔", "俄罗斯", "达斡尔", "鄂温克",
                "鄂伦春", "布依", "土家", "蒙古", "朝鲜", "哈尼", "傈僳", "东乡", "仡佬", "拉祜", "纳西", "仫佬",
                "锡伯", "景颇", "撒拉", "布朗", "毛南", "普米", "阿昌", "基诺", "德昂", "保安", "裕固", "门巴",
                "独龙", "赫哲", "高山", "珞巴", "壮", "回", "满", "苗", "彝", "藏", "侗", "瑶", "白", "黎", "傣",
                "畲", "佤", "水", "羌", "土", "怒", "京", "各"}
local bare = {["蒙古"] = true, ["维吾尔"] = true, ["哈萨克"] = true, ["柯尔克孜"] = true, ["锡伯"] = true, ["藏"] = true}
local suffixes = {"特别行政区", "地区", "林区", "矿区", "特区", "省", "市", "盟", "区", "县", "旗"}

local function ends_with(s, tail)
  return #s > #tail and s:sub(-#tail) == tail
end

-- name without the end tail, when at least two characters are left.
local function strip(name, tail)
  if not ends_with(name, tail) then return nil end
  local rest = name:sub(1, -#tail - 1)
  return utf8.len(rest) >= 2 and rest or nil
end

-- The short form of an official name (杭州市 -> 杭州, 广西壮族自治区 -> 广西,
-- 黔东南苗族侗族自治州 -> 黔东南), or nil when it has none of two
-- characters or more (城区).
function M.short_form(name)
  local autonomous
  for _, kind in ipairs{"自治区", "自治州", "自治县", "自治旗"} do autonomous = autonomous or strip(name, kind) end
  if autonomous then
    local base, stripped = autonomous, true
    while stripped do
      stripped = false
      for _, e in ipairs(ethnic) do
        local rest = strip(base, e .. "族") or (bare[e] and strip(base, e))
        if rest then
          base, stripped = rest, true
          break
        end
      end
    end
    return utf8.len(base) >= 2 and base or nil
  end
  for _, suffix in ipairs(suffixes) do
    local rest = strip(name, suffix)
    if rest then return rest end
  end
end

-- A code as its 6-digit form: 33 -> 330000, 3301 -> 330100.
local function six_digits(code)
  local digits = tostring(code)
  return math.tointeger(tonumber(digits .. string.rep("0", 6 - #digits)))
end

-- The places, read once from datasets/divisions-*.csv: {code =, name =,
-- short =, level =, province =, city =} each (province and city: the
-- places above it), and the indexes by code, name and short form.
local places
local function load()
  if places then return places end
  local all, by_code, by_name, by_short = {}, {}, {}, {}
  local function index(by, key, place)
    if key == nil then return end
    by[key] = by[key] or {}
    table.insert(by[key], place)
  end
  local function add(place)
    all[#all + 1] = place
    by_code[place.code] = by_code[place.code] or place
    index(by_name, place.name, place)
    index(by_short, place.short, place)
  end
  local function rows(file)
    local path = zb.paths.datasets .. "/" .. file
    local f = assert(io.open(path, "r"))
    local out = {}
    for line in f:lines() do
      local fields = {}
      for field in (line:gsub("\r$", "") .. ","):gmatch('"?([^",]*)"?,') do fields[#fields + 1] = field end
      if fields[1]:match("^%d+$") then out[#out + 1] = fields end
    end
    f:close()
    return out
  end
  local provinces, cities = {}, {}
  for _, r in ipairs(rows("divisions-provinces.csv")) do
    local p = {code = six_digits(r[1]), name = r[2], short = M.short_form(r[2]), level = "province"}
    provinces[r[1]] = p
    add(p)
  end
  for _, r in ipairs(rows("divisions-cities.csv")) do
    local province = provinces[r[3]]
    -- a municipality's districts (市辖区) are the city of its name (北京市,
    -- 110100, as the census writes it); its counties (县) and the county-
    -- level places a province runs itself (省直辖县级行政区划) are no city
    local name = r[2] == "市辖区" and province.name or r[2]
    local c = {code = six_digits(r[1]), name = name, level = "city", province = province,
               municipality = r[2] == "市辖区" or nil}
    cities[r[1]] = c
    if r[2] ~= "县" and not name:find("直辖县级行政区划", 1, true) then
      c.short = M.short_form(name)
      add(c)
    else
      c.unnamed = true
    end
  end
  for _, r in ipairs(rows("divisions-areas.csv")) do
    local city = cities[r[3]]
    -- a county-level city a province runs itself (仙桃市, 五指山市) stands
    -- where a prefecture-level city would: it is found at both levels
    local province_run = city and city.unnamed and city.name ~= "县"
    add{code = six_digits(r[1]), name = r[2], short = M.short_form(r[2]), level = "county",
        province = provinces[r[4]], city = not (city and city.unnamed) and city or nil, city_level = province_run or nil}
  end
  places = {all = all, by_code = by_code, by_name = by_name, by_short = by_short}
  return places
end

-- A place as the error lists it: 海南藏族自治州 (city, 632500, 青海省).
local function described(p)
  local above = p.city and p.city.name or p.province and p.province.name
  return string.format("%s (%s, %d%s)", p.name, p.level, p.code, above and ", " .. above or "")
end

-- Whether place p is at level (nil: any).
local function at_level(p, level)
  return level == nil or p.level == level or (level == "city" and p.city_level)
end

-- Whether place p lies within place w (or is it).
local function lies_in(p, w)
  return p == w or p.province == w or p.city == w
end

local find_options = {level = "string", within = "string|number"}

-- The place a name or code stands for; opts.level: province, city or
-- county (opts alone a level, as in SQL: find("吉林", "province")); opts.within:
-- a place it lies in (a name or code).
function M.find(name, opts)
  if type(opts) == "string" then opts = {level = opts} end  -- as SQL's region_code(name, level)
  opts = require("zb.host.options").check("regions.find", opts, find_options)
  if opts.level and not level_rank[opts.level] then
    raise(string.format("regions: level must be province, city or county, not %s", opts.level))
  end
  local all = load()
  local candidates
  if math.type(name) == "integer" or (type(name) == "string" and name:match("^%s*%d+%s*$")) then
    local digits = tostring(name):match("%d+")
    -- 2 digits a province's code, 4 a city's, 6 any place's: 3300 is no city
    local level = ({[2] = "province", [4] = "city", [6] = true})[#digits]
    local place = level and all.by_code[six_digits(digits)]
    if place and level ~= true and place.level ~= level then place = nil end
    if not place then raise(string.format("regions: no place has the code %s", digits)) end
    candidates = {place}
  elseif type(name) == "string" then
    local text = name:match("^%s*(.-)%s*$")
    candidates = all.by_name[text] or all.by_short[text] or {}
  else
    raise(string.format("bad argument #1 to 'regions.find' (a name or code expected, got %s)", type(name)))
  end
  local within = opts.within and M.find(opts.within)
  local kept = {}
  for _, p in ipairs(candidates) do
    if at_level(p, opts.level) and (not within or lies_in(p, within)) then kept[#kept + 1] = p end
  end
  -- a municipality is one place at two levels (北京市: 110000 and 110100):
  -- unless the city is asked for, it is the province
  if #kept == 2 and kept[1].level == "province" and kept[2].municipality and kept[2].province == kept[1] then
    kept[2] = nil
  end
  if #kept == 1 then return kept[1] end
  local asked = (opts.level and " at level " .. opts.level or "") .. (within and " within " .. within.name or "")
  if #kept == 0 then
    raise(string.format("regions: no place is named %s%s (the NBS list of %s)", tostring(name), asked, M.cutoff))
  end
  local listed = {}
  for i, p in ipairs(kept) do listed[i] = described(p) end
  raise(string.format("regions: %s%s is %d places: %s; say which with level = or within =", tostring(name), asked, #kept,
                      table.concat(listed, ", ")))
end

-- The 6-digit code of a place (an integer).
function M.code(name, opts)
  return M.find(name, opts).code
end

-- The official name of a place.
function M.name(name, opts)
  return M.find(name, opts).name
end

-- The places in the lists' order (provinces, cities, counties), each as
-- find returns it, and shared: not to be changed.  zb.install() puts
-- these on a PostgreSQL server, where region_code and region_name read them.
function M.places()
  return load().all
end

-- Whether text names a region (officially or in short) in the NBS list.
function M.is_name(text)
  local all = load()
  return type(text) == "string" and (all.by_name[text] ~= nil or all.by_short[text] ~= nil)
end

-- Pairs {a, b} of a value of as and one of bs that name one region in two
-- forms (杭州 and 杭州市; as and bs: text values that found no match).
function M.same_places(as, bs)
  local base_of = {}
  for _, a in ipairs(as) do base_of[M.short_form(a) or a] = a end
  local pairs_found = {}
  for _, b in ipairs(bs) do
    local a = base_of[M.short_form(b) or b]
    if a and a ~= b then pairs_found[#pairs_found + 1] = {a, b} end
  end
  return pairs_found
end

-- The SQL functions: NULL for NULL, else the place's code or name; a
-- name of no place or of several is an error naming them.
local function sql_function(field)
  return function(name, level, within)
    if name == nil then return nil end
    return M.find(name, {level = level, within = within})[field]
  end
end
-- the public functions through C: a tail call to one keeps the user's line (zb.core.keep_caller)
for _, name in ipairs{"find", "code", "name"} do M[name] = require("zb.core").keep_caller(M[name]) end

M.sql_functions = {
  {"region_code", sql_function("code"), "name [, level [, within]]",
   "the 6-digit NBS division code of a region's name (杭州 and 杭州市 give 330100); an error for a name of several places"},
  {"region_name", sql_function("name"), "name [, level [, within]]",
   "the official name of a region's name or code (杭州 gives 杭州市, 内蒙古 内蒙古自治区)"},
}

return M
