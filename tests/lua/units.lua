-- zb.units: the units of Chinese statistics.
local T = require("check")
local U = zb.units

T.eq(U.convert(18109, "亿元", "万亿元"), 1.8109, "18109 亿元 is 1.8109 万亿元, exactly")
T.eq(U.convert(1.8109, "万亿元", "亿元"), 18109.0, "and back")
T.eq(U.convert(74700, "元", "万元"), 7.47, "元 to 万元")
T.eq(U.convert(2.3, "万人", "人"), 23000.0, "万人 to 人")
T.eq(U.convert(9.5, "万件", "件"), 95000.0, "万件 to 件")
T.eq(U.convert(27.1, "%", "‰"), 271.0, "% to ‰")
T.eq(U.convert(1.75, "倍", "%"), 175.0, "倍 to %")
T.eq(U.convert(52, "家", "家"), 52, "a unit to itself")
T.fails(function() U.convert(1, "元", "人") end, "cannot convert 元 to 人: money and people are different dimensions",
        "across dimensions: a clear error")
T.fails(function() U.convert(1, "家", "所") end, "cannot convert 家 to 所", "counts of different things do not mix")
T.fails(function() U.convert(1.2, "百分点", "%") end, "a change in a rate in 百分点", "% and 百分点 are told apart")
T.fails(function() U.convert(1, "元", "dollars") end, "unknown unit 'dollars' (units:", "an unknown unit lists the units")
T.eq(U.human(1.8109e12, "元"), "1.81万亿元", "human: 1.8109e12 元 is 1.81万亿元")
T.eq(U.human(18109, "亿元"), "1.81万亿元", "... from 亿元 too")
T.eq(U.human(74700, "元"), "7.47万元", "7.47万元")
T.eq(U.human(523, "元"), "523元", "small amounts stay in 元")
T.eq(U.human(119360100, "人"), "11936万人", "the largest unit of the catalog, with no exponent")
T.eq(U.human(11936010, "人"), "1194万人", "1194万人")
T.eq(U.human(27.1, "%"), "27.1%", "rates stay as written")
T.eq(U.about("亿元").factor, 1e8, "about: the factor to the base unit")

local hz = zb.dataset("hangzhou-2021", {name = "hz"})
local money = hz:where{unit = {"亿元", "元"}}:convert{value = "万元"}
T.eq(money:where{indicator = "gdp"}:select("value"):value(), 181090000.0, "t:convert{value = '万元'} from the unit column")
T.eq(table.concat(money:select("unit"):distinct():col("unit"), ","), "万元", "... and the unit column follows")
T.fails(function() hz:convert{value = "万元"}:col("value") end, "cannot convert 项 to 万元", "mixed dimensions fail when read")
T.eq(zb.sql("select human(18109, '亿元')"):value(), "1.81万亿元", "human() in SQL")
T.eq(zb.sql("select convert_unit(18109, '亿元', '万亿元')"):value(), 1.8109, "convert_unit() in SQL")
T.done()
