-- The bench scripts' timer inside zb: best(runs, fn) is the least CPU time
-- of runs calls of fn, in seconds (the least: this machine is shared).
return function(runs, fn)
  local t = math.huge
  for _ = 1, runs do
    local t0 = os.clock()
    fn()
    t = math.min(t, os.clock() - t0)
  end
  return t
end
