-- zb.library: the analysis library's SQL functions, created on the session
-- database when it opens (zb.stats holds their Lua forms).
local stats = require("zb.analysis.stats")
local metric = require("zb.analysis.metric")  -- define: names known good, no checks

-- Numbers given as text count as SQLite reads them ('0' is a zero); other
-- text is an error naming the function and the value.
local scalars = {
  {"ratio", "a, b", "a / b; NULL when b is 0 or either is NULL"},
  {"growth", "now, before", "percentage change from before to now: (now - before) / before * 100; NULL when before is 0"},
  {"cagr", "first, last, years",
   "compound annual growth rate, %: ((last / first)^(1/years) - 1) * 100; NULL when years is 0, first ≤ 0 or last < 0"},
}
for _, s in ipairs(scalars) do
  metric.define(s[1], stats[s[1]], {deterministic = true, args = s[2], doc = s[3]})
end
metric.define("convert_unit", zb.units.convert, {deterministic = true, args = "x, from, to",
  doc = "x in unit from (亿元) as unit to (万亿元); an error across dimensions"})
metric.define("human", zb.units.human, {deterministic = true, args = "x, unit",
  doc = "x in unit as people read it: 1.8109e12, 元 gives 1.81万亿元"})
-- Statistical time (period('2021年第一季度')): SQL functions in C, made
-- with the database; their Lua forms and doc lines join the metrics.
for _, f in ipairs(require("zb.analysis.period").sql_functions) do
  require("zb.analysis.metrics").define(f[1], f[2], nil, {kind = "metric", args = f[3], doc = f[4]})
end

-- Regions' names and codes (zb.regions; the NBS list is read at first use)
for _, f in ipairs(require("zb.analysis.regions").sql_functions) do
  metric.define(f[1], f[2], {deterministic = true, args = f[3], doc = f[4]})
end

-- Aggregates that see all of a group's values: the state keeps each
-- argument's column (rows first..n); the first `data` arguments are data,
-- the rest settings (quantile's p) taken from the first row.  Rows leave
-- from the front as a window frame slides (inverse), so each is also a
-- window function: median(x) over (order by year rows 2 preceding).
local aggregates = {
  {"median", 1, "x", "the middle value (the mean of the two middle ones)"},
  {"quantile", 1, "x, p", "the p-quantile, interpolated between order statistics (type 7, as R)"},
  {"variance", 1, "x", "sample variance: Σ(x - mean)² / (n - 1)"},
  {"var_pop", 1, "x", "population variance: Σ(x - mean)² / n"},
  {"sd", 1, "x", "sample standard deviation"},
  {"sd_pop", 1, "x", "population standard deviation"},
  {"cv", 1, "x", "coefficient of variation: sd / mean"},
  {"gini", 1, "x", "Gini coefficient of the values: Σ|xi - xj| / (2 n² mean)"},
  {"gini_grouped", 2, "population, income",
   "Gini coefficient from groups: each group's population and its total income, not income per head " ..
   "(gini_per_head takes that); one minus twice the area under their Lorenz curve"},
  {"gini_per_head", 2, "population, income",
   "Gini coefficient from groups: each group's population and its income per head (人均, its total / population); " ..
   "the same as gini_grouped of population and population * income"},
  {"theil", 1, "x", "Theil T index: (1/n) Σ (x/mean) ln(x/mean)"},
  {"theil_l", 1, "x", "Theil L, the mean log deviation: (1/n) Σ ln(mean/x)"},
  {"quintile_ratio", 1, "x", "the top fifth's mean over the bottom fifth's (S80/S20)"},
  {"corr", 2, "x, y", "Pearson's correlation coefficient"},
  {"slope", 2, "y, x", "slope of the least-squares line of y on x"},
  {"intercept", 2, "y, x", "intercept of the least-squares line of y on x"},
  {"r2", 2, "y, x", "r² of the least-squares line of y on x"},
}
for _, a in ipairs(aggregates) do
  local name, data, args, doc = a[1], a[2], a[3], a[4]
  local fn = stats[name]
  require("zb.analysis.aggregate").define(name, {
    init = function() return {first = 1, n = 0, settings = nil} end,
    step = function(state, ...)
      local n = state.n + 1
      state.n = n
      for i = 1, data do
        local column = state[i]
        if not column then
          column = {}
          state[i] = column
        end
        column[n] = (select(i, ...))
      end
      if not state.settings and select("#", ...) > data then state.settings = table.pack(select(data + 1, ...)) end
    end,
    inverse = function(state)
      for i = 1, data do
        if state[i] then state[i][state.first] = nil end
      end
      state.first = state.first + 1
    end,
    final = function(state)
      local columns, count = {}, state.n - state.first + 1
      for i = 1, data do
        columns[i] = table.move(state[i] or {}, state.first, state.n, 1, {})
        columns[i].n = count
      end
      local settings = state.settings or {n = 0}
      for i = 1, settings.n do columns[data + i] = settings[i] end
      return fn(table.unpack(columns, 1, data + settings.n))
    end,
  }, {args = args, doc = doc, lua = fn})
end

-- product(x) keeps a running product, so that over a window from the
-- first row (chain's and deflate's) it costs a step a row where the state
-- above would multiply the whole frame again at each; a frame that
-- slides multiplies what is left when a row leaves.
local read = require("zb.analysis.numbers").read
require("zb.analysis.aggregate").define("product", {
  init = function() return {first = 1, n = 0, p = 1} end,
  step = function(state, x)
    if x == nil then return end
    local v = read(x, "product", 1)
    state.n = state.n + 1
    state[state.n] = v
    if state.p then state.p = state.p * v end  -- else final multiplies them again
  end,
  inverse = function(state, x)
    if x == nil then return end
    state[state.first], state.first, state.p = nil, state.first + 1, nil
  end,
  final = function(state)
    if state.n < state.first then return nil end
    if not state.p then
      local p = 1
      for i = state.first, state.n do p = p * state[i] end
      state.p = p
    end
    return state.p
  end,
}, {args = "x", doc = "the product of the values, multiplied in order (a running product over a window from the first row)",
    lua = stats.product})
-- spark(x [, order]): a group's values as a sparkline (zb.spark)
require("zb.analysis.aggregate").define("spark", require("zb.present.spark").aggregate,
  {args = "x [, order]", doc = "the values as a sparkline, ▁▂▃▄▅▆▇█ from the lowest to the highest, in order's order " ..
   "(periods as time); NULL a gap", lua = require("zb.present.spark").spark})
return true
