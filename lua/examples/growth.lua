-- growth.lua: growth-rate helpers for indicators, as a zb module.
-- Put it in a directory of $ZB_PATH (or ~/.config/zb/lua/) and require it.
local growth = {}

-- Percentage change from before to now.
function growth.rate(now, before)
  return (now / before - 1) * 100
end

-- The level one period earlier implied by a level and its growth (%).
function growth.previous(now, pct)
  return now / (1 + pct / 100)
end

-- Compound annual growth rate (%) between two levels some years apart.
function growth.cagr(first, last, years)
  return ((last / first) ^ (1 / years) - 1) * 100
end

-- Extend zb: zb.growth is there for every script and REPL line after require.
zb.growth = growth

-- And the REPL: .growth NOW PCT prints the implied previous level.
zb.repl.command{
  name = "growth", args = "NOW PCT", nargs = {2, 2},
  help = "Print the previous level implied by NOW and its growth PCT",
  run = function(args)
    local now, pct = tonumber(args[1]), tonumber(args[2])
    if not (now and pct) then error("usage: .growth NOW PCT (two numbers)", 0) end
    print(string.format("%.2f", growth.previous(now, pct)))
  end,
}

return growth
