-- zb.install(): zb's analysis library on a PostgreSQL server, as SQL
-- functions and aggregates in the schema zb_lib, so that grouped statistics
-- run where the data are.  Idempotent: the schema is made anew, in one
-- transaction, and records the version of zb that made it; a session
-- finds the functions through its search_path when that version is its own.
-- The aggregates are PostgreSQL's own state and final functions (those of
-- stddev_samp, regr_slope ...), so they combine across parallel workers;
-- median and quantile are percentile_cont over the group's values.
local M = {}

-- The schema: not "zb", which a role named zb would find first through
-- its "$user" entry of search_path, whatever the version.
local SCHEMA = "zb_lib"

local F8 = "double precision"

-- The library: {kind, name, SQL after "CREATE kind zb.name"} each.
local library = {
  {"FUNCTION", "ratio", "(a " .. F8 .. ", b " .. F8 .. ") RETURNS " .. F8 .. " LANGUAGE sql IMMUTABLE PARALLEL SAFE " ..
   "AS $$SELECT CASE WHEN b = 0 THEN NULL ELSE a / b END$$"},
  {"FUNCTION", "growth", "(now " .. F8 .. ", before " .. F8 .. ") RETURNS " .. F8 .. " LANGUAGE sql IMMUTABLE " ..
   "PARALLEL SAFE AS $$SELECT CASE WHEN before = 0 THEN NULL ELSE (now - before) / before * 100 END$$"},
  {"FUNCTION", "cagr", "(first " .. F8 .. ", last " .. F8 .. ", years " .. F8 .. ") RETURNS " .. F8 ..
   " LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$SELECT CASE WHEN years = 0 OR first <= 0 OR last < 0 THEN NULL " ..
   "WHEN years = 1 THEN (last - first) / first * 100 WHEN last = 0 THEN -100 " ..
   "ELSE (exp(ln(last / first) / years) - 1) * 100 END$$"},
  {"FUNCTION", "median_final", "(s " .. F8 .. "[]) RETURNS " .. F8 .. " LANGUAGE sql IMMUTABLE PARALLEL SAFE " ..
   "AS $$SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) FROM unnest(s) AS x$$"},
  {"AGGREGATE", "median", "(" .. F8 .. ") (SFUNC = array_append, STYPE = " .. F8 .. "[], " ..
   "FINALFUNC = zb_lib.median_final, INITCOND = '{}')"},
  -- the state: p, then the values
  {"FUNCTION", "quantile_step", "(s " .. F8 .. "[], x " .. F8 .. ", p " .. F8 .. ") RETURNS " .. F8 .. "[] " ..
   "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$SELECT coalesce(s, ARRAY[p]) || x$$"},
  {"FUNCTION", "quantile_final", "(s " .. F8 .. "[]) RETURNS " .. F8 .. " LANGUAGE sql IMMUTABLE PARALLEL SAFE " ..
   "AS $$SELECT percentile_cont(s[1]) WITHIN GROUP (ORDER BY x) FROM unnest(s[2:]) AS x$$"},
  {"AGGREGATE", "quantile", "(" .. F8 .. ", " .. F8 .. ") (SFUNC = zb_lib.quantile_step, STYPE = " .. F8 .. "[], " ..
   "FINALFUNC = zb_lib.quantile_final)"},
  {"AGGREGATE", "sd", "(" .. F8 .. ") (SFUNC = float8_accum, STYPE = " .. F8 .. "[], FINALFUNC = float8_stddev_samp, " ..
   "COMBINEFUNC = float8_combine, INITCOND = '{0,0,0}', PARALLEL = SAFE)"},
  {"AGGREGATE", "sd_pop", "(" .. F8 .. ") (SFUNC = float8_accum, STYPE = " .. F8 .. "[], " ..
   "FINALFUNC = float8_stddev_pop, COMBINEFUNC = float8_combine, INITCOND = '{0,0,0}', PARALLEL = SAFE)"},
  {"FUNCTION", "cv_final", "(s " .. F8 .. "[]) RETURNS " .. F8 .. " LANGUAGE sql IMMUTABLE PARALLEL SAFE " ..
   "AS $$SELECT float8_stddev_samp(s) / float8_avg(s)$$"},
  {"AGGREGATE", "cv", "(" .. F8 .. ") (SFUNC = float8_accum, STYPE = " .. F8 .. "[], FINALFUNC = zb_lib.cv_final, " ..
   "COMBINEFUNC = float8_combine, INITCOND = '{0,0,0}', PARALLEL = SAFE)"},
}
-- the least-squares line of y on x: PostgreSQL's regr_* by their own parts
for _, f in ipairs{{"slope", "float8_regr_slope"}, {"intercept", "float8_regr_intercept"}, {"r2", "float8_regr_r2"}} do
  library[#library + 1] = {"AGGREGATE", f[1], "(" .. F8 .. ", " .. F8 .. ") (SFUNC = float8_regr_accum, STYPE = " .. F8 ..
                           "[], FINALFUNC = " .. f[2] .. ", COMBINEFUNC = float8_regr_combine, " ..
                           "INITCOND = '{0,0,0,0,0,0}', PARALLEL = SAFE)"}
end

-- The names the library defines, in order.
function M.names()
  local names = {}
  for _, f in ipairs(library) do
    if not f[2]:find("_final$") and not f[2]:find("_step$") then names[#names + 1] = f[2] end
  end
  return names
end

-- The version of zb that installed the library on the server, or nil.
function M.installed()
  local engine = zb.engine
  if not engine.has_table("installed", SCHEMA) then return nil end
  local r = engine.exec("select version from zb_lib.installed")[1]
  return r and r.version
end

-- Put the schema zb_lib on the session's search_path when its library is
-- this zb's (after the user's schemas: their functions come first).
function M.use()
  if M.installed() == zb.version then
    zb.engine.exec("select set_config('search_path', current_setting('search_path') || ', zb_lib', false)")
  end
end

-- zb.install(): the library in the schema zb_lib, made anew; returns the names defined.
function M.install()
  local engine = zb.engine
  if engine.name ~= "postgresql" then
    error("zb.install: the library is installed on a PostgreSQL server (zb -d CONNINFO); SQLite sessions have it built in", 2)
  end
  engine.atomic(function()
    engine.exec("DROP SCHEMA IF EXISTS zb_lib CASCADE")
    engine.exec("CREATE SCHEMA zb_lib")
    for _, f in ipairs(library) do engine.exec("CREATE " .. f[1] .. " zb_lib." .. f[2] .. f[3]) end
    engine.exec("CREATE TABLE zb_lib.installed (version text NOT NULL)")
    engine.exec("INSERT INTO zb_lib.installed VALUES (?)", zb.version)
  end)
  engine.exec("select set_config('search_path', current_setting('search_path') || ', zb_lib', false) " ..
              "where not 'zb_lib' = any(current_schemas(false))")
  return M.names()
end

return M
