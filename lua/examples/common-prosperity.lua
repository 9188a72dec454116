-- common-prosperity.lua: what Hangzhou's 2021 figures say, worked out from
-- the bundled data (zb lua/examples/common-prosperity.lua).
local hz = zb.dataset("hangzhou-2021", {name = "cp_hz", replace = true})
local city = hz:where{region = "杭州市", kind = "actual"}

-- One figure by its indicator code.
local function figure(code)
  return city:where{indicator = code}:select("value"):value()
end

local gdp, budget, tax = figure("gdp"), figure("budget_revenue"), figure("tax_revenue")
local digital, retail = figure("digital_economy_core"), figure("retail_sales")

print("Hangzhou 2021: shares and ratios")
local gap = hz:gap{key = "indicator", a = "income_urban", b = "income_rural", value = "value", by = "region"}:first()
print(city:where{indicator = {"income_urban", "income_rural"}}
          :mutate{indicator = "CASE indicator WHEN 'income_urban' THEN '城镇居民' ELSE '农村居民' END"}
          :bar{label = "indicator", value = "value", unit = "元", width = 56,
               title = string.format("  per-capita disposable income, urban / rural = %.2f", gap.ratio)})
print(string.format("  urban / rural per-capita disposable income   %.2f  (%s / %s)", gap.ratio,
                    zb.units.human(gap.income_urban, "元"), zb.units.human(gap.income_rural, "元")))
print(string.format("  digital-economy core industries / GDP        %.1f%%  (stated: %.1f%%)",
                    100 * zb.metrics.ratio(digital, gdp), figure("digital_economy_share_gdp")))
print(string.format("  tax / general public budget revenue          %.1f%%", 100 * tax / budget))
print(string.format("  budget revenue / GDP                         %.1f%%", 100 * budget / gdp))
print(string.format("  retail sales / GDP                           %.1f%%", 100 * retail / gdp))

-- Last year's level implied by this year's and its growth: now / (1 + g/100).
print()
print("2020 levels implied by the 2021 growth rates")
local implied = city:where("growth_pct IS NOT NULL")
  :mutate{level_2020 = "value / (1 + growth_pct / 100.0)"}
  :join(zb.dataset("indicators", {name = "cp_catalog", replace = true}):select("code", "name_zh", "growth_basis"),
        "l.indicator = r.code")
-- Text padded to cols terminal columns (a Chinese character takes two).
local function pad(text, cols, right)
  local fill = string.rep(" ", math.max(0, cols - zb.width(text)))
  return right and fill .. text or text .. fill
end
for r in implied:order("value desc"):rows() do
  print(string.format("  %s %s  %+5.1f%%  2020: %s %s", pad(r.indicator, 26), pad(zb.units.human(r.value, r.unit), 10, true),
                      r.growth_pct, pad(zb.units.human(r.level_2020, r.unit), 10, true), r.growth_basis or ""))
end
print()
print("Caveat: GDP growth is at comparable prices (real), so the 2020 GDP implied by")
print("dividing by 1.085 is not the 2020 nominal GDP; it is only indicative. Incomes and")
print("retail sales grow in nominal terms, so their implied 2020 levels are nominal.")
