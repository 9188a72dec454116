-- zb.regions: names and codes of China's regions, checked against other
-- sources' own codes (the census file writes each city's), and the
-- refusals: a name of several places, a name of none, a join that would
-- lose rows whose names differ only in form.
local T = require("check")
local R = zb.regions

-- Every city of the census with its own code, found from its name and
-- province: 367 of 369 (Hong Kong and Macao are not in the NBS list).
local census = zb.dataset("census-cities-2010-2020")
local found, wrong, missing = 0, {}, {}
for r in census:rows() do
  local ok, place = pcall(R.find, r.city, {level = "city", within = r.province})
  if not ok then missing[#missing + 1] = r.city
  elseif place.code ~= r.city_code then wrong[#wrong + 1] = r.city .. " " .. place.code .. " ~= " .. r.city_code
  else found = found + 1 end
end
T.eq(found, 367, "the census's cities find their own codes by name and province")
T.eq(#wrong, 0, "no census city finds another code", wrong)
T.eq(table.concat(missing, ","), "香港特别行政区,澳门特别行政区", "only Hong Kong and Macao are not in the NBS list")

-- The NBS export's 31 provinces, official names, are 31 places of that name.
local nbs = zb.dataset("nbs-province-gdp")
local codes = {}
for r in nbs:select("地区"):rows() do
  local place = R.find(r[1], {level = "province"})
  T.ok(place.name == r[1] and place.code % 10000 == 0, "province " .. r[1], place)
  codes[place.code] = true
end
local n = 0
for _ in pairs(codes) do n = n + 1 end
T.eq(n, 31, "31 provinces, 31 codes")

-- The Yangtze Delta series' short names are cities (上海 a municipality: its city)
local yangtze = {["上海"] = 310100, ["南京"] = 320100, ["杭州"] = 330100, ["宁波"] = 330200, ["舟山"] = 330900, ["台州"] = 331000,
                 ["合肥"] = 340100, ["池州"] = 341700, ["泰州"] = 321200}
for name, code in pairs(yangtze) do T.eq(R.code(name, {level = "city"}), code, "the city " .. name) end

-- Short forms
local short = {["广西"] = "广西壮族自治区", ["内蒙古"] = "内蒙古自治区", ["西藏"] = "西藏自治区", ["新疆"] = "新疆维吾尔自治区",
               ["宁夏"] = "宁夏回族自治区", ["黔东南"] = "黔东南苗族侗族自治州", ["延边"] = "延边朝鲜族自治州",
               ["湘西"] = "湘西土家族苗族自治州", ["博尔塔拉"] = "博尔塔拉蒙古自治州", ["伊犁"] = "伊犁哈萨克自治州",
               ["克孜勒苏"] = "克孜勒苏柯尔克孜自治州", ["海西"] = "海西蒙古族藏族自治州", ["景宁"] = "景宁畲族自治县",
               ["神农架"] = "神农架林区", ["锡林郭勒"] = "锡林郭勒盟", ["大兴安岭"] = "大兴安岭地区", ["北京"] = "北京市"}
for name, official in pairs(short) do T.eq(R.name(name), official, "short form " .. name) end
T.eq(R.short_form("城区"), nil, "a short form of one character is none")
T.eq(R.find("北京").level, "province", "a municipality is its province unless the city is asked for")
T.eq(R.code("北京", {level = "city"}), 110100, "... and its city when it is (110100, as the census writes it)")
T.eq(R.find("仙桃", {level = "city"}).code, 429004, "a county-level city a province runs is found as a city")

-- Codes, in their short forms too
T.eq(R.name(33), "浙江省", "a 2-digit code is a province")
T.eq(R.name("3301"), "杭州市", "a 4-digit code is a city")
T.eq(R.name(330106), "西湖区", "a 6-digit code is itself")
T.fails(function() R.find(999999) end, "regions: no place has the code 999999", "an unknown code")
T.fails(function() R.find(3300) end, "regions: no place has the code 3300", "3300 is no city's code (not 浙江省 padded)")
T.fails(function() R.find(331) end, "regions: no place has the code 331", "a code of 3 digits is none")

-- Names of several places, or of none: errors naming them, at the user's line
T.fails(function() R.find("海南") end,
        "regions: 海南 is 3 places: 海南省 (province, 460000), 海南藏族自治州 (city, 632500, 青海省), " ..
        "海南区 (county, 150303, 乌海市); say which with level = or within =", "海南 is three places")
T.eq(R.code("海南", {level = "province"}), 460000, "level = says which")
T.eq(R.name("吉林", "province"), "吉林省", "a level alone, as in SQL's region_name('吉林', 'province')")
T.fails(function() R.find("朝阳区") end, "朝阳区 (county, 110105, 北京市), 朝阳区 (county, 220104, 长春市)",
        "朝阳区 is in Beijing and in Changchun")
T.eq(R.code("朝阳区", {within = "北京"}), 110105, "within = says which")
T.fails(function() R.find("吉林") end, "吉林省 (province, 220000), 吉林市 (city, 220200, 吉林省)",
        "吉林: the province and its city")
T.fails(function() R.find("香港") end, "regions: no place is named 香港", "a name of no place")

-- places(): every place, in the lists' order, each the one its code finds
-- (but a county that shares its city's code: 东莞市, 中山市, 儋州市)
local order, ordered, shared = {province = 1, city = 2, county = 3}, true, {}
local places = R.places()
for i, p in ipairs(places) do
  ordered = ordered and (i == 1 or order[places[i - 1].level] <= order[p.level])
  if R.find(p.code) ~= p then shared[#shared + 1] = p.name .. " " .. p.level end
end
T.ok(#places == 3346 and ordered, "places(): the 3,346 places, provinces, then cities, then counties", #places)
T.eq(table.concat(shared, ","), "东莞市 county,中山市 county,儋州市 county",
     "places(): each the place its code finds, but three counties that share their city's code")
T.fails(function() R.find("杭州", {level = "county"}) end, "no place is named 杭州 at level county",
        "a name of no place at that level")
T.fails(function() R.find("杭州", {level = "town"}) end, "level must be province, city or county", "a bad level")
T.fails(function() R.find("杭州", {levle = "city"}) end, "unknown option 'levle'", "options are checked")
local ok, problem = pcall(R.find, "海南")
T.ok(not ok and tostring(problem):find("^tests/lua/regions%.lua:%d+:"), "the error is at the user's line", problem)
ok, problem = pcall(function() return R.find("海南") end)  -- a tail call
T.ok(not ok and tostring(problem):find("^tests/lua/regions%.lua:%d+:"), "... through a tail call too", problem)

-- In SQL
local row = zb.sql([[select region_code('杭州') as a, region_code(NULL) as b, region_name(3301) as c,
                            region_code('海南', 'province') as d, region_code('朝阳区', NULL, '长春') as e]]):rows()()
T.eq(table.concat({row.a, row.c, row.d, row.e}, ","), "330100,杭州市,460000,220104", "region_code and region_name in SQL")
T.eq(row.b, nil, "NULL gives NULL")
T.fails(function() zb.sql("select region_code('海南')"):value() end, "regions: 海南 is 3 places",
        "in SQL too, a name of several places is an error")

-- Joins on names written in two forms are refused, saying how to match them
local a = zb.sql("select '杭州' as city, 18109 as gdp union all select '宁波', 14595 union all select '温州', 7585")
local b = zb.sql("select '杭州市' as city, 1220 as pop union all select '宁波市', 954 union all select '温州', 957")
T.fails(function() return a:join(b, "city") end,
        "join: 宁波 / 宁波市, 杭州 / 杭州市 name the same regions but are written differently in the two tables",
        "a join that would lose 杭州 and 宁波 is refused")
T.fails(function() return a:join(b, "city", "left") end, "mutate{city = \"region_name(city)\"}",
        "a left join too (it would leave their pop NULL), saying how to match them")
local matched = a:mutate{city = "region_name(city)"}:join(b:mutate{city = "region_name(city)"}, "city")
T.eq(#matched, 3, "matched first, every row joins")
T.eq(matched:where{city = "杭州市"}:col("pop")[1], 1220, "... to its own row")
local plain = zb.sql("select 'a' as k, 1 as v union all select 'b', 2")
T.eq(#plain:join(zb.sql("select 'a' as k, 10 as w"), "k"), 1, "a join on other text drops unmatched rows as SQL does")
T.done()
