-- zb.install(): zb's analysis library on a PostgreSQL server, as SQL
-- functions and aggregates in the schema zb_lib, so that grouped statistics
-- run where the data are.  Idempotent: the schema is made anew, in one
-- transaction, and records the version of zb that made it; a session
-- finds the functions through its search_path when that version is its own.
-- The aggregates are PostgreSQL's own state and final functions (those of
-- stddev_samp, regr_slope ...), so they combine across parallel workers;
-- median and quantile interpolate between the group's sorted values as
-- zb.stats does (percentile_cont's midpoint is not correctly rounded).
local errors = require("zb.host.errors")
errors.own()
local M = {}

local F8 = "double precision"

-- text as an SQL string literal.
local function dialect_text(text)
  return "'" .. text:gsub("'", "''") .. "'"
end

-- The library: {kind, name, SQL after "CREATE kind zb.name"} each.
local library = {
  {"FUNCTION", "ratio", "(a " .. F8 .. ", b " .. F8 .. ") RETURNS " .. F8 .. " LANGUAGE sql IMMUTABLE PARALLEL SAFE " ..
   "AS $$SELECT CASE WHEN b = 0 THEN NULL ELSE a / b END$$"},
  {"FUNCTION", "growth", "(now " .. F8 .. ", before " .. F8 .. ") RETURNS " .. F8 .. " LANGUAGE sql IMMUTABLE " ..
   "PARALLEL SAFE AS $$SELECT CASE WHEN before = 0 THEN NULL ELSE (now - before) / before * 100 END$$"},
  -- integers, as zb.stats.growth takes them: the change times 100 first, exact while it is below 2^53
  {"FUNCTION", "growth", "(now bigint, before bigint) RETURNS " .. F8 .. " LANGUAGE sql IMMUTABLE PARALLEL SAFE " ..
   "AS $$SELECT CASE WHEN before = 0 THEN NULL WHEN abs(now::numeric - before) < 90071992547409 " ..
   "THEN ((now - before) * 100)::" .. F8 .. " / before ELSE (now::numeric - before)::" .. F8 .. " / before * 100 END$$"},
  -- an integer column, literal or parameter (zb binds one that fits in 32
  -- bits so) takes the bigint one, not the double precision one PostgreSQL prefers
  {"FUNCTION", "growth", "(now integer, before integer) RETURNS " .. F8 .. " LANGUAGE sql IMMUTABLE PARALLEL SAFE " ..
   "AS $$SELECT zb_lib.growth(now::bigint, before::bigint)$$"},
  {"FUNCTION", "cagr", "(first " .. F8 .. ", last " .. F8 .. ", years " .. F8 .. ") RETURNS " .. F8 ..
   " LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$SELECT CASE WHEN years = 0 OR first <= 0 OR last < 0 THEN NULL " ..
   "WHEN years = 1 THEN (last - first) / first * 100 WHEN last = 0 THEN -100 " ..
   "ELSE (exp(ln(last / first) / years) - 1) * 100 END$$"},
  -- zb.stats' between: a + f(b - a) as it works it out (the midpoint the
  -- correctly rounded (a + b) / 2, which percentile_cont's a + (b - a) / 2
  -- is not), halves first where a sum or difference would overflow
  {"FUNCTION", "zb_between", "(a " .. F8 .. ", b " .. F8 .. ", f " .. F8 .. ") RETURNS " .. F8 .. " LANGUAGE plpgsql " ..
   "IMMUTABLE PARALLEL SAFE AS $$DECLARE big boolean := abs(a) >= 4.49423283715579e+307 OR " ..
   "abs(b) >= 4.49423283715579e+307; d " .. F8 .. "; BEGIN " ..
   "IF f = 0 THEN RETURN a; END IF; " ..
   "IF a = '-Infinity' THEN RETURN CASE WHEN b = 'Infinity' THEN 'NaN'::float8 ELSE a END; END IF; " ..
   "IF b = 'Infinity' THEN RETURN b; END IF; " ..
   "IF f = 0.5 THEN RETURN CASE WHEN big THEN a * 0.5 + b * 0.5 ELSE (a + b) * 0.5 END; END IF; " ..
   "IF big THEN RETURN 2 * zb_lib.zb_between(a / 2, b / 2, f); END IF; " ..
   "d := b - a; IF f < 0.5 THEN RETURN a + d * f; END IF; RETURN b - d * (1 - f); END $$"},
  -- quantile type 7 over the values of s (NULLs left out), as zb.stats: h = (n - 1)p
  {"FUNCTION", "zb_quantile", "(s " .. F8 .. "[], p " .. F8 .. ") RETURNS " .. F8 .. " LANGUAGE plpgsql IMMUTABLE " ..
   "PARALLEL SAFE AS $$DECLARE v " .. F8 .. "[]; n int; h " .. F8 .. "; below int; BEGIN " ..
   "SELECT array_agg(x ORDER BY x) INTO v FROM unnest(s) AS x WHERE x IS NOT NULL; " ..
   "n := coalesce(array_length(v, 1), 0); IF n = 0 THEN RETURN NULL; END IF; " ..
   "IF p IS NULL OR p < 0 OR p > 1 THEN RAISE EXCEPTION 'quantile: p must be from 0 to 1, got %', " ..
   "coalesce(p::text, 'nil'); END IF; " ..
   "h := (n - 1) * p; below := floor(h); IF below + 1 >= n THEN RETURN v[n]; END IF; " ..
   "RETURN zb_lib.zb_between(v[below + 1], v[below + 2], h - below); END $$"},
  {"FUNCTION", "median_final", "(s " .. F8 .. "[]) RETURNS " .. F8 .. " LANGUAGE sql IMMUTABLE PARALLEL SAFE " ..
   "AS $$SELECT zb_lib.zb_quantile(s, 0.5)$$"},
  {"AGGREGATE", "median", "(" .. F8 .. ") (SFUNC = array_append, STYPE = " .. F8 .. "[], " ..
   "FINALFUNC = zb_lib.median_final, INITCOND = '{}')"},
  -- the state: p, then the values
  {"FUNCTION", "quantile_step", "(s " .. F8 .. "[], x " .. F8 .. ", p " .. F8 .. ") RETURNS " .. F8 .. "[] " ..
   "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$SELECT coalesce(s, ARRAY[p]) || x$$"},
  {"FUNCTION", "quantile_final", "(s " .. F8 .. "[]) RETURNS " .. F8 .. " LANGUAGE sql IMMUTABLE PARALLEL SAFE " ..
   "AS $$SELECT zb_lib.zb_quantile(s[2:], s[1])$$"},
  {"AGGREGATE", "quantile", "(" .. F8 .. ", " .. F8 .. ") (SFUNC = zb_lib.quantile_step, STYPE = " .. F8 .. "[], " ..
   "FINALFUNC = zb_lib.quantile_final)"},
  {"AGGREGATE", "sd", "(" .. F8 .. ") (SFUNC = float8_accum, STYPE = " .. F8 .. "[], FINALFUNC = float8_stddev_samp, " ..
   "COMBINEFUNC = float8_combine, INITCOND = '{0,0,0}', PARALLEL = SAFE)"},
  {"AGGREGATE", "sd_pop", "(" .. F8 .. ") (SFUNC = float8_accum, STYPE = " .. F8 .. "[], " ..
   "FINALFUNC = float8_stddev_pop, COMBINEFUNC = float8_combine, INITCOND = '{0,0,0}', PARALLEL = SAFE)"},
  {"FUNCTION", "cv_final", "(s " .. F8 .. "[]) RETURNS " .. F8 .. " LANGUAGE sql IMMUTABLE PARALLEL SAFE " ..
   "AS $$SELECT CASE WHEN float8_avg(s) = 0 THEN NULL ELSE float8_stddev_samp(s) / float8_avg(s) END$$"},
  {"AGGREGATE", "cv", "(" .. F8 .. ") (SFUNC = float8_accum, STYPE = " .. F8 .. "[], FINALFUNC = zb_lib.cv_final, " ..
   "COMBINEFUNC = float8_combine, INITCOND = '{0,0,0}', PARALLEL = SAFE)"},
  -- SQLite's total(): a sum of the values as doubles, 0.0 over none (moving's fn = "total")
  {"AGGREGATE", "total", "(" .. F8 .. ") (SFUNC = float8pl, STYPE = " .. F8 .. ", INITCOND = '0', " ..
   "COMBINEFUNC = float8pl, PARALLEL = SAFE)"},
}
-- Inequality over a group's values (zb.stats' gini, theil, theil_l): the
-- values gathered (NULLs left out), then worked as zb.stats works them, in
-- sums of terms none of which is negative (near the mean, Theil's terms
-- from their series, where r ln r - r + 1 loses its digits), refusing an
-- infinite value, and a negative one (a zero for theil_l), as zb.stats does.
local function values_checked(who, nonpositive_refused)
  return "DECLARE bad " .. F8 .. "; BEGIN " ..
    "SELECT x INTO bad FROM unnest(s) AS x WHERE x IS NOT NULL AND (x = 'Infinity' OR x = '-Infinity' OR " ..
    (nonpositive_refused and "x <= 0" or "x < 0") .. ") ORDER BY x = 'Infinity' OR x = '-Infinity' DESC LIMIT 1; " ..
    "IF bad = 'Infinity' OR bad = '-Infinity' THEN RAISE EXCEPTION '" .. who .. ": an infinite value (%) has no " .. who ..
    "', CASE WHEN bad > 0 THEN 'inf' ELSE '-inf' END; END IF; " ..
    "IF bad IS NOT NULL THEN RAISE EXCEPTION '" .. who .. ": " ..
    (nonpositive_refused and "values must be positive (the mean log deviation of a zero is undefined)"
                          or "values must not be negative") .. ", got %', bad; END IF; "
end
-- Σk≥2 (-e)^k c[k] by Horner's rule over 20 terms, c[k] = 1/(k(k-1)) (Theil
-- T) or 1/k (Theil L)
local function theil_final(who, coefficient, far_term, nonpositive_refused)
  return "(s " .. F8 .. "[]) RETURNS " .. F8 .. " LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$" ..
    values_checked(who, nonpositive_refused) ..
    "DECLARE m " .. F8 .. "; n bigint; total " .. F8 .. " := 0; x " .. F8 .. "; e " .. F8 .. "; h " .. F8 .. "; " ..
    "k int; BEGIN SELECT avg(v), count(v) INTO m, n FROM unnest(s) AS v; " ..
    "IF n = 0 OR m = 0 THEN RETURN NULL; END IF; " ..
    "FOR x IN SELECT v FROM unnest(s) AS v WHERE v IS NOT NULL LOOP e := x / m - 1; " ..
    "IF abs(e) < 0.1 THEN h := " .. coefficient:gsub("K", "20") .. "; " ..
    "FOR k IN REVERSE 19..2 LOOP h := " .. coefficient:gsub("K", "k") .. " - e * h; END LOOP; total := total + e * e * h; " ..
    "ELSE total := total + (" .. far_term .. "); END IF; END LOOP; RETURN total / n; END; END $$"
end
library[#library + 1] = {"FUNCTION", "gini_final", "(s " .. F8 .. "[]) RETURNS " .. F8 ..
  " LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$" .. values_checked("gini", false) ..
  "RETURN (SELECT CASE WHEN sum(x) = 0 THEN NULL ELSE coalesce(sum(k * (n - k) * (nxt - x)), 0) / (max(n) * sum(x)) END " ..
  "FROM (SELECT x, row_number() OVER w AS k, count(*) OVER () AS n, lead(x) OVER w AS nxt FROM unnest(s) AS x " ..
  "WHERE x IS NOT NULL WINDOW w AS (ORDER BY x)) AS sorted); END $$"}
library[#library + 1] = {"FUNCTION", "theil_final",
  theil_final("theil", "1::float8 / (K * (K - 1))", "CASE WHEN x = 0 THEN 1 ELSE (x / m) * ln(x / m) - x / m + 1 END", false)}
library[#library + 1] = {"FUNCTION", "theil_l_final", theil_final("theil_l", "1::float8 / K", "x / m - 1 - ln(x / m)", true)}
-- The quintile ratio: each value counted five times over, the top n of
-- those 5n pieces over the bottom n (a value straddling the boundary
-- counted in part), as zb.stats.quintile_ratio; NULL when the bottom is 0.
library[#library + 1] = {"FUNCTION", "quintile_ratio_final", "(s " .. F8 .. "[]) RETURNS " .. F8 ..
  " LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$" .. values_checked("quintile_ratio", false) ..
  "RETURN (SELECT CASE WHEN sum(x * greatest(0, least(5 * k, n) - 5 * (k - 1))) = 0 THEN NULL ELSE " ..
  "sum(x * greatest(0, 5 * k - greatest(5 * (k - 1), 4 * n))) / sum(x * greatest(0, least(5 * k, n) - 5 * (k - 1))) END " ..
  "FROM (SELECT x, row_number() OVER (ORDER BY x) AS k, count(*) OVER () AS n FROM unnest(s) AS x " ..
  "WHERE x IS NOT NULL) AS sorted); END $$"}
for _, name in ipairs{"gini", "theil", "theil_l", "quintile_ratio"} do
  library[#library + 1] = {"AGGREGATE", name, "(" .. F8 .. ") (SFUNC = array_append, STYPE = " .. F8 .. "[], " ..
                           "FINALFUNC = zb_lib." .. name .. "_final, INITCOND = '{}')"}
end
-- The Gini of grouped data (zb.stats.gini_grouped: each group's population
-- and total income): the groups in order of income per head m, Σ (m(j+1) -
-- m(j)) · (population up to j) · (population after j) / (population ·
-- income), terms none of which is negative; a group without a population,
-- with a negative income, or an infinite value refused as zb.stats does.
library[#library + 1] = {"FUNCTION", "pair_step", "(s " .. F8 .. "[], a " .. F8 .. ", b " .. F8 .. ") RETURNS " .. F8 ..
  "[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$SELECT CASE WHEN a IS NULL OR b IS NULL THEN s ELSE s || ARRAY[a, b] END$$"}
-- The Gini of groups from the pairs s (population, then income: each
-- group's total, or its income per head when per_head), as zb.stats' who.
local function grouped_final(who, per_head)
  local income = per_head and "s[i] * s[i + 1]" or "s[i + 1]"
  local per = per_head and "s[i + 1]" or "s[i + 1] / s[i]"
  return "(s " .. F8 .. "[]) RETURNS " .. F8 ..
  " LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$DECLARE bad " .. F8 .. "; BEGIN " ..
  "SELECT x INTO bad FROM unnest(s) AS x WHERE x = 'Infinity' OR x = '-Infinity' LIMIT 1; " ..
  "IF bad IS NOT NULL THEN RAISE EXCEPTION '" .. who .. ": an infinite value (%) has no " .. who .. "', " ..
  "CASE WHEN bad > 0 THEN 'inf' ELSE '-inf' END; END IF; " ..
  "SELECT s[i] INTO bad FROM generate_subscripts(s, 1) AS i WHERE i % 2 = 1 AND s[i] <= 0 LIMIT 1; " ..
  "IF bad IS NOT NULL THEN RAISE EXCEPTION '" .. who .. ": a group''s population must be more than 0, got %', bad; " ..
  "END IF; SELECT s[i] INTO bad FROM generate_subscripts(s, 1) AS i WHERE i % 2 = 0 AND s[i] < 0 LIMIT 1; " ..
  "IF bad IS NOT NULL THEN RAISE EXCEPTION '" .. who .. ": a group''s income must not be negative, got %', bad; END IF; " ..
  "RETURN (SELECT CASE WHEN max(total) = 0 THEN NULL ELSE sum(coalesce((nxt - m) * below * above, 0)) / " ..
  "(max(pop) * max(total)) END FROM (SELECT m, lead(m) OVER w AS nxt, sum(p) OVER w AS below, " ..
  "coalesce(sum(p) OVER (ORDER BY m, i ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING), 0) AS above, " ..
  "sum(p) OVER () AS pop, sum(y) OVER () AS total FROM (SELECT i, s[i] AS p, " .. income .. " AS y, " .. per .. " AS m " ..
  "FROM generate_subscripts(s, 1) AS i WHERE i % 2 = 1) AS g WINDOW w AS (ORDER BY m, i ROWS UNBOUNDED PRECEDING)) " ..
  "AS sorted); END $$"
end
for _, f in ipairs{{"gini_grouped", false}, {"gini_per_head", true}} do
  library[#library + 1] = {"FUNCTION", f[1] .. "_final", grouped_final(f[1], f[2])}
  library[#library + 1] = {"AGGREGATE", f[1], "(" .. F8 .. ", " .. F8 .. ") (SFUNC = zb_lib.pair_step, STYPE = " ..
                           F8 .. "[], FINALFUNC = zb_lib." .. f[1] .. "_final, INITCOND = '{}')"}
end

-- the least-squares line of y on x: PostgreSQL's regr_* by their own parts
for _, f in ipairs{{"slope", "float8_regr_slope"}, {"intercept", "float8_regr_intercept"}, {"r2", "float8_regr_r2"}} do
  library[#library + 1] = {"AGGREGATE", f[1], "(" .. F8 .. ", " .. F8 .. ") (SFUNC = float8_regr_accum, STYPE = " .. F8 ..
                           "[], FINALFUNC = " .. f[2] .. ", COMBINEFUNC = float8_regr_combine, " ..
                           "INITCOND = '{0,0,0,0,0,0}', PARALLEL = SAFE)"}
end

-- The periods of src/time/period.c on the server: period_parts(x) reads a
-- period as period.c's read_text does ({frequency 1-5 for A S Q M D, year,
-- position in the year, 1 for a year-to-date span}; NULL for no period), in
-- its every spelling; period_index, period_year, period_position and
-- period (the canonical text) are the SQL functions SQLite has, an error
-- naming a value that is no period.  A day's year 0 is not read here.
local PERIOD_NUMBER = [==[(n text) RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$SELECT CASE n WHEN '一' THEN 1 WHEN '二' THEN 2 WHEN '三' THEN 3 WHEN '四' THEN 4 ELSE n::int END$$]==]
local DAYS_IN_MONTH = [==[(y int, m int) RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$SELECT CASE WHEN m = 2 THEN CASE WHEN (y % 4 = 0 AND y % 100 <> 0) OR y % 400 = 0 THEN 29 ELSE 28 END
              WHEN m IN (4, 6, 9, 11) THEN 30 ELSE 31 END$$]==]
-- a day's parts, or NULL when there is no such day (year 0 left out)
local DAY_PARTS = [==[(y int, m int, d int) RETURNS int[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$SELECT CASE WHEN y >= 1 AND m BETWEEN 1 AND 12 AND d >= 1 AND d <= zb_lib.zb_days_in_month(y, m)
              THEN ARRAY[5, y, (make_date(y, m, d) - make_date(y, 1, 1)) + 1, 0] END$$]==]
local PERIOD_PARTS_TEXT = [==[(x text) RETURNS int[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE t text; r text; m text[]; y int; a int; b int;
BEGIN
  IF x IS NULL THEN RETURN NULL; END IF;
  t := regexp_replace(x, '^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$', '', 'g');
  t := replace(replace(replace(replace(replace(t, '—', '-'), '–', '-'), '～', '-'), '至', '-'), '－', '-');
  m := regexp_match(t, '^([0-9]{4})(.*)$');
  IF m IS NULL THEN RETURN NULL; END IF;
  y := m[1]::int; r := m[2];
  IF r = '' THEN RETURN ARRAY[1, y, 1, 0]; END IF;
  IF left(r, 1) = '年' THEN
    r := substr(r, 2);
    IF r = '' THEN RETURN ARRAY[1, y, 1, 0]; END IF;
    IF r = '上半年' THEN RETURN ARRAY[2, y, 1, 0]; END IF;
    IF r = '下半年' THEN RETURN ARRAY[2, y, 2, 0]; END IF;
    m := regexp_match(r, '^前([一二三四]|[0-9]{1,2})季度$');
    IF m IS NOT NULL THEN
      b := zb_lib.zb_period_number(m[1]);
      RETURN CASE WHEN b > 1 AND b <= 4 THEN ARRAY[3, y, b, 1] END;
    END IF;
    m := regexp_match(r, '^(第?)([一二三四]|[0-9]{1,2})(?:[ \t\n\v\f\r]*-[ \t\n\v\f\r]*([一二三四]|[0-9]{1,2}))?(.*)$');
    IF m IS NULL THEN RETURN NULL; END IF;
    a := zb_lib.zb_period_number(m[2]); b := zb_lib.zb_period_number(coalesce(m[3], m[2]));
    IF m[4] = '季度' THEN
      IF m[3] IS NOT NULL THEN RETURN CASE WHEN a = 1 AND b > 1 AND b <= 4 THEN ARRAY[3, y, b, 1] END; END IF;
      RETURN CASE WHEN a BETWEEN 1 AND 4 THEN ARRAY[3, y, a, 0] END;
    END IF;
    IF m[1] = '第' OR m[2] !~ '^[0-9]+$' OR coalesce(m[3], '0') !~ '^[0-9]+$' THEN RETURN NULL; END IF;
    IF m[3] IS NOT NULL THEN
      RETURN CASE WHEN m[4] IN ('月', '月份') AND a = 1 AND b > 1 AND b <= 12 THEN ARRAY[4, y, b, 1] END;
    END IF;
    IF m[4] IN ('月', '月份') THEN RETURN CASE WHEN a BETWEEN 1 AND 12 THEN ARRAY[4, y, a, 0] END; END IF;
    m := regexp_match(m[4], '^月([0-9]{1,2})日$');
    RETURN CASE WHEN m IS NOT NULL THEN zb_lib.zb_day_parts(y, a, m[1]::int) END;
  END IF;
  m := regexp_match(r, '^[ \t\n\v\f\r]*-?[ \t\n\v\f\r]*[Qq]([0-9])(?:~[Qq]([0-9]))?$');
  IF m IS NOT NULL THEN
    a := m[1]::int;
    IF m[2] IS NULL THEN RETURN CASE WHEN a BETWEEN 1 AND 4 THEN ARRAY[3, y, a, 0] END; END IF;
    b := m[2]::int;
    RETURN CASE WHEN a = 1 AND b > 1 AND b <= 4 THEN ARRAY[3, y, b, 1] END;
  END IF;
  m := regexp_match(r, '^-?[HhSs]([0-9])$');
  IF m IS NOT NULL THEN RETURN CASE WHEN m[1]::int BETWEEN 1 AND 2 THEN ARRAY[2, y, m[1]::int, 0] END; END IF;
  m := regexp_match(r, '^-?[Mm]([0-9]{1,2})$');
  IF m IS NOT NULL THEN RETURN CASE WHEN m[1]::int BETWEEN 1 AND 12 THEN ARRAY[4, y, m[1]::int, 0] END; END IF;
  m := regexp_match(r, '^([0-9]{2})([0-9]{2})?$');
  IF m IS NOT NULL THEN
    IF m[2] IS NULL THEN RETURN CASE WHEN m[1]::int BETWEEN 1 AND 12 THEN ARRAY[4, y, m[1]::int, 0] END; END IF;
    RETURN zb_lib.zb_day_parts(y, m[1]::int, m[2]::int);
  END IF;
  m := regexp_match(r, '^[-/]([0-9]{1,2})$');
  IF m IS NOT NULL THEN RETURN CASE WHEN m[1]::int BETWEEN 1 AND 12 THEN ARRAY[4, y, m[1]::int, 0] END; END IF;
  m := regexp_match(r, '^-([0-9]{2})~([0-9]{2})$');
  IF m IS NOT NULL THEN
    RETURN CASE WHEN m[1]::int = 1 AND m[2]::int > 1 AND m[2]::int <= 12 THEN ARRAY[4, y, m[2]::int, 1] END;
  END IF;
  m := regexp_match(r, '^([-/])([0-9]{1,2})([-/])([0-9]{1,2})$');
  IF m IS NOT NULL AND m[1] = m[3] THEN RETURN zb_lib.zb_day_parts(y, m[2]::int, m[4]::int); END IF;
  RETURN NULL;
END $$]==]
local PERIOD_PARTS_NUMBER = [==[(x double precision) RETURNS int[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$SELECT CASE WHEN x = trunc(x) AND x >= 0 AND x < 1e15 THEN zb_lib.zb_period_parts(x::bigint::text) END$$]==]
-- parts, or the error SQLite's period functions raise for x
local PERIOD_OF_TEXT = [==[(x text) RETURNS int[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE p int[] := zb_lib.zb_period_parts(x);
BEGIN
  IF x IS NOT NULL AND p IS NULL THEN
    RAISE EXCEPTION '''%'' is not a period (a year 2021, 2021-S1, 2021-Q1, 2021-01, 2021-12-31, 2021年1-2月, or their '
                    'Chinese spellings)', x;
  END IF;
  RETURN p;
END $$]==]
local PERIOD_OF_NUMBER = [==[(x double precision) RETURNS int[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE p int[] := zb_lib.zb_period_parts(x);
BEGIN
  IF x IS NOT NULL AND p IS NULL THEN
    IF x <> trunc(x) THEN RAISE EXCEPTION '% is not a period (a number with a fraction)', x; END IF;
    RAISE EXCEPTION '''%'' is not a period (a year 2021, 2021-S1, 2021-Q1, 2021-01, 2021-12-31, 2021年1-2月, or their '
                    'Chinese spellings)', x::bigint;
  END IF;
  RETURN p;
END $$]==]
-- the index of parts p: periods since year 0, days since 1970-01-01 for a day
local PERIOD_INDEX_OF = [==[(p int[]) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$SELECT CASE p[1] WHEN 5 THEN (make_date(p[2], 1, 1) - date '1970-01-01') + p[3] - 1
              ELSE p[2]::bigint * (ARRAY[1, 2, 4, 12])[p[1]] + p[3] - 1 END$$]==]
-- the canonical text of parts p: 2021, 2021-S1, 2021-Q1, 2021-01, 2021-12-31, 2021-01~02, 2021-Q1~Q3
local PERIOD_TEXT_OF = [==[(p int[]) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$SELECT CASE p[1] WHEN 1 THEN p[2]::text
              WHEN 2 THEN lpad(p[2]::text, 4, '0') || '-S' || p[3]
              WHEN 3 THEN lpad(p[2]::text, 4, '0') || CASE WHEN p[4] = 1 THEN '-Q1~Q' ELSE '-Q' END || p[3]
              WHEN 4 THEN lpad(p[2]::text, 4, '0') || CASE WHEN p[4] = 1 THEN '-01~' ELSE '-' END || lpad(p[3]::text, 2, '0')
              ELSE to_char(make_date(p[2], 1, 1) + (p[3] - 1), 'YYYY-MM-DD') END$$]==]
-- zb_periods(time): what a time column holds, as period.c's zb_periods
-- tells it.  The state: n, years, integers, least, a value that is no
-- period, spans, shortest, longest, then a period of each frequency A S Q M D.
local PERIODS_STEP_TEXT = [==[(s text[], x text) RETURNS text[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  IF x IS NULL THEN RETURN s; END IF;
  RETURN zb_lib.zb_periods_add(s, zb_lib.zb_period_parts(x), x);
END $$]==]
local PERIODS_STEP_NUMBER = [==[(s text[], x double precision) RETURNS text[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
DECLARE t text;
BEGIN
  IF x IS NULL THEN RETURN s; END IF;
  t := CASE WHEN x = trunc(x) AND abs(x) < 9.2e18 THEN x::bigint::text ELSE x::text END;
  IF x = trunc(x) AND abs(x) < 9.2e18 THEN
    s[3] := (s[3]::bigint + 1)::text;
    IF s[4] IS NULL OR x::bigint < s[4]::bigint THEN s[4] := t; END IF;
    IF x BETWEEN 1000 AND 9999 THEN s[2] := (s[2]::bigint + 1)::text; END IF;
  END IF;
  RETURN zb_lib.zb_periods_add(s, zb_lib.zb_period_parts(x), t);
END $$]==]
local PERIODS_ADD = [==[(s text[], p int[], t text) RETURNS text[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  s[1] := (s[1]::bigint + 1)::text;
  IF p IS NULL THEN s[5] := coalesce(s[5], t); RETURN s; END IF;
  s[8 + p[1]] := coalesce(s[8 + p[1]], t);
  IF p[4] = 1 THEN
    IF s[6]::bigint = 0 OR p[3] < s[7]::int THEN s[7] := p[3]::text; END IF;
    IF s[6]::bigint = 0 OR p[3] > s[8]::int THEN s[8] := p[3]::text; END IF;
    s[6] := (s[6]::bigint + 1)::text;
  END IF;
  RETURN s;
END $$]==]
local PERIODS_FINAL = [==[(s text[]) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$SELECT json_strip_nulls(json_build_object('n', s[1]::bigint, 'years', s[2]::bigint, 'integers', s[3]::bigint,
          'least', coalesce(s[4]::bigint, 0), 'spans', s[6]::bigint, 'shortest', s[7]::int, 'longest', s[8]::int,
          'frequencies', (SELECT coalesce(json_object_agg(f, e ORDER BY k), '{}'::json)
                          FROM unnest(ARRAY['A', 'S', 'Q', 'M', 'D'], s[9:13]) WITH ORDINALITY AS u(f, e, k)
                          WHERE e IS NOT NULL), 'not_period', s[5]))::text$$]==]

library[#library + 1] = {"FUNCTION", "zb_period_number", PERIOD_NUMBER}
library[#library + 1] = {"FUNCTION", "zb_days_in_month", DAYS_IN_MONTH}
library[#library + 1] = {"FUNCTION", "zb_day_parts", DAY_PARTS}
library[#library + 1] = {"FUNCTION", "zb_period_parts", PERIOD_PARTS_TEXT}
library[#library + 1] = {"FUNCTION", "zb_period_parts", PERIOD_PARTS_NUMBER}
library[#library + 1] = {"FUNCTION", "zb_period_of", PERIOD_OF_TEXT}
library[#library + 1] = {"FUNCTION", "zb_period_of", PERIOD_OF_NUMBER}
library[#library + 1] = {"FUNCTION", "zb_period_index_of", PERIOD_INDEX_OF}
library[#library + 1] = {"FUNCTION", "zb_period_text_of", PERIOD_TEXT_OF}
for _, t in ipairs{"text", F8} do
  local p = "zb_lib.zb_period_of(x)"
  for _, f in ipairs{{"period", "text", "zb_lib.zb_period_text_of(" .. p .. ")"},
                     {"period_index", "bigint", "zb_lib.zb_period_index_of(" .. p .. ")"},
                     {"period_year", "bigint", "(" .. p .. ")[2]"}, {"period_position", "bigint", "(" .. p .. ")[3]"},
                     {"period_frequency", "text", "(ARRAY['A', 'S', 'Q', 'M', 'D'])[(" .. p .. ")[1]]"}} do
    library[#library + 1] = {"FUNCTION", f[1], "(x " .. t .. ") RETURNS " .. f[2] ..
                             " LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$SELECT " .. f[3] .. "$$"}
  end
end
library[#library + 1] = {"FUNCTION", "zb_periods_add", PERIODS_ADD}
library[#library + 1] = {"FUNCTION", "periods_step", PERIODS_STEP_TEXT}
library[#library + 1] = {"FUNCTION", "periods_step", PERIODS_STEP_NUMBER}
library[#library + 1] = {"FUNCTION", "periods_final", PERIODS_FINAL}
for _, t in ipairs{F8, "text"} do
  library[#library + 1] = {"AGGREGATE", "zb_periods", "(" .. t .. ") (SFUNC = zb_lib.periods_step, STYPE = text[], " ..
                           "FINALFUNC = zb_lib.periods_final, " ..
                           "INITCOND = '{0,0,0,NULL,NULL,0,NULL,NULL,NULL,NULL,NULL,NULL,NULL}')"}
end

-- product(x): the values multiplied in order (chain's running product over
-- a window from the first row), as zb.stats multiplies them: the first
-- value, then each next; NULLs left out, none at all NULL.
library[#library + 1] = {"AGGREGATE", "product", "(" .. F8 .. ") (SFUNC = float8mul, STYPE = " .. F8 .. ")"}

-- convert_unit(x, from, to): zb.units.convert, over zb.units' catalog as
-- it is when the library is installed, with its messages: the factors'
-- ratio a double as Lua divides them, so the results are the same bits.
do
  local units, names = {}, {}
  for name in pairs(require("zb.analysis.units").catalog) do names[#names + 1] = name end
  table.sort(names)
  for i, name in ipairs(names) do
    local entry = require("zb.analysis.units").catalog[name]
    units[i] = string.format("(%s, %s, %.17g::float8)", dialect_text(name), dialect_text(entry[1]), entry[2])
  end
  local catalog = "(VALUES " .. table.concat(units, ", ") .. ") AS u(n, d, f)"
  -- RAISE's format: % the value, %% a percent sign
  local unknown = "unknown unit ''%'' (units: " .. table.concat(names, " "):gsub("%%", "%%%%") .. ")"
  library[#library + 1] = {"FUNCTION", "convert_unit", "(x " .. F8 .. ", from_unit text, to_unit text) RETURNS " .. F8 ..
    " LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$DECLARE ad text; af " .. F8 .. "; bd text; bf " .. F8 .. "; " ..
    "BEGIN IF x IS NULL OR from_unit IS NULL THEN RETURN NULL; END IF; " ..
    "SELECT d, f INTO ad, af FROM " .. catalog .. " WHERE n = from_unit; " ..
    "IF ad IS NULL THEN RAISE EXCEPTION '" .. unknown .. "', from_unit; END IF; " ..
    "SELECT d, f INTO bd, bf FROM " .. catalog .. " WHERE n = to_unit; " ..
    "IF bd IS NULL THEN RAISE EXCEPTION '" .. unknown .. "', coalesce(to_unit, 'nil'); END IF; " ..
    "IF ad <> bd THEN " ..
    "IF (from_unit = '%' AND to_unit = '百分点') OR (from_unit = '百分点' AND to_unit = '%') THEN " ..
    "RAISE EXCEPTION 'cannot convert %% to 百分点: a rate is in %% (27.1%%), a change in a rate in 百分点 " ..
    "(percentage points: 27.1%% to 28.3%% is 1.2 百分点)'; END IF; " ..
    "RAISE EXCEPTION 'cannot convert % to %: % and % are different dimensions', from_unit, to_unit, ad, bd; END IF; " ..
    "IF af >= bf THEN RETURN x * (af / bf); END IF; RETURN x / (bf / af); END $$"}
end

-- human(x, unit): zb.units.human, over zb.units' catalog as it is when
-- the library is installed: the same decimal reading (PostgreSQL's
-- shortest text of a double, Python's repr, which is the 15, 16 or 17
-- digits zb.units takes), the same rounding of that decimal, half away
-- from zero, to three digits or a whole number, and the same ladder.
do
  local units, names = {}, {}
  local catalog, powers = require("zb.analysis.units").catalog, require("zb.analysis.units").powers
  for name in pairs(catalog) do names[#names + 1] = name end
  table.sort(names)
  for i, name in ipairs(names) do
    units[i] = string.format("(%s, %s, %d)", dialect_text(name), dialect_text(catalog[name][1]), powers[name])
  end
  local catalog_sql = "(VALUES " .. table.concat(units, ", ") .. ") AS u(n, d, p)"
  -- digits * 10^e rounded half away from zero to a whole number, as digits
  library[#library + 1] = {"FUNCTION", "zb_round", "(digits text, e int) RETURNS text LANGUAGE plpgsql IMMUTABLE " ..
    "PARALLEL SAFE AS $$DECLARE keep int; head text; before text; nines int; last int; BEGIN " ..
    "IF e >= 0 THEN RETURN digits || repeat('0', e); END IF; " ..
    "keep := length(digits) + e; IF keep < 0 THEN RETURN '0'; END IF; " ..
    "head := CASE WHEN keep > 0 THEN left(digits, keep) ELSE '0' END; " ..
    "IF substr(digits, keep + 1, 1) < '5' THEN RETURN head; END IF; " ..
    "before := regexp_replace(head, '9*$', ''); nines := length(head) - length(before); " ..
    "last := CASE WHEN before <> '' THEN right(before, 1)::int ELSE 0 END; " ..
    "RETURN left(before, -1) || (last + 1)::text || repeat('0', nines); END $$"}
  -- to three significant digits, or a whole number from 1000 on; an
  -- exponent below 1e-6 and from 1e21; whole: the rounded value is 1 or more
  library[#library + 1] = {"FUNCTION", "zb_three_digits", "(sign text, digits text, e int, OUT txt text, " ..
    "OUT whole boolean) LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$DECLARE magnitude int; decimals int; " ..
    "n text; m text; shown int; rest text; frac text; BEGIN " ..
    "IF digits = '' THEN txt := sign || '0'; whole := false; RETURN; END IF; " ..
    "magnitude := length(digits) - 1 + e; decimals := greatest(0, 2 - magnitude); " ..
    "n := zb_lib.zb_round(digits, e + decimals); shown := length(n) - 1 - decimals; whole := shown >= 0; " ..
    "IF shown < -6 OR shown >= 21 THEN " ..
    "m := zb_lib.zb_round(digits, e + 2 - magnitude); " ..
    "IF length(m) > 3 THEN m := '100'; magnitude := magnitude + 1; END IF; " ..
    "rest := regexp_replace(substr(m, 2), '0+$', ''); " ..
    "txt := sign || left(m, 1) || CASE WHEN rest <> '' THEN '.' ELSE '' END || rest || 'e' || " ..
    "CASE WHEN magnitude < 0 THEN '-' ELSE '+' END || " ..
    "CASE WHEN abs(magnitude) < 10 THEN '0' ELSE '' END || abs(magnitude)::text; RETURN; END IF; " ..
    "txt := n; IF decimals > 0 THEN n := repeat('0', decimals + 1 - length(n)) || n; " ..
    "frac := regexp_replace(right(n, decimals), '0+$', ''); " ..
    "txt := left(n, length(n) - decimals) || CASE WHEN frac <> '' THEN '.' || frac ELSE '' END; END IF; " ..
    "txt := sign || txt; END $$"}
  -- digits * 10^e rounded half to even to p significant digits (a tie
  -- exactly as printf rounds one); digits without zeros at the front
  library[#library + 1] = {"FUNCTION", "zb_round_even", "(digits text, e int, p int, OUT d text, OUT de int) " ..
    "LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$DECLARE head text; rest text; up boolean; BEGIN " ..
    "IF length(digits) <= p THEN d := digits; de := e; RETURN; END IF; " ..
    "head := left(digits, p); rest := substr(digits, p + 1); de := e + length(digits) - p; " ..
    "up := left(rest, 1) > '5' OR (left(rest, 1) = '5' AND (rtrim(substr(rest, 2), '0') <> '' " ..
    "OR right(head, 1) IN ('1', '3', '5', '7', '9'))); " ..
    "IF up THEN head := (head::numeric + 1)::text; " ..
    "IF length(head) > p THEN head := left(head, p); de := de + 1; END IF; END IF; d := head; END $$"}
  -- A double's decimal as zb.units reads it: the fewest of 15, 16 or 17
  -- significant digits (from one for a subnormal), correctly rounded, that
  -- read back as x.  PostgreSQL's shortest text is that but where a
  -- shorter decimal reads back only by the tie to an even double (its
  -- shortest excludes the bounds): there the exact value, from x's bits
  -- (m * 2^-k = m * 5^k * 10^-k), is rounded to each shorter length.
  library[#library + 1] = {"FUNCTION", "zb_decimal", "(x " .. F8 .. ", OUT sign text, OUT digits text, OUT e int) " ..
    "LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET extra_float_digits = 1 AS $$DECLARE m text[]; b bytea; " ..
    "biased int; frac numeric; k int; whole text; exact text; ee int; r record; BEGIN " ..
    "m := regexp_match(abs(x)::text, '^([0-9]+)(?:\\.([0-9]+))?(?:e([-+][0-9]+))?$'); " ..
    "sign := CASE WHEN x < 0 OR x::text = '-0' THEN '-' ELSE '' END; " ..
    "digits := ltrim(m[1] || coalesce(m[2], ''), '0'); e := coalesce(m[3]::int, 0) - length(coalesce(m[2], '')); " ..
    "e := e + length(digits) - length(rtrim(digits, '0')); digits := rtrim(digits, '0'); " ..
    "IF digits = '' THEN RETURN; END IF; " ..
    "b := float8send(x); biased := ((get_byte(b, 0) & 127) << 4) | (get_byte(b, 1) >> 4); " ..
    "IF length(digits) <= 15 AND biased > 0 THEN RETURN; END IF; " ..
    "frac := get_byte(b, 1) & 15; FOR i IN 2 .. 7 LOOP frac := frac * 256 + get_byte(b, i); END LOOP; " ..
    "IF biased = 0 THEN k := 1074; ELSE frac := frac + 4503599627370496; k := 1075 - biased; END IF; " ..
    "whole := split_part((frac * CASE WHEN k > 0 THEN power(5::numeric, k) ELSE power(2::numeric, -k) END)::text, " ..
    "'.', 1); exact := rtrim(whole, '0'); ee := least(-k, 0) + length(whole) - length(exact); " ..
    "FOR p IN CASE WHEN biased = 0 THEN 1 ELSE 15 END .. length(digits) - 1 LOOP " ..
    "r := zb_lib.zb_round_even(exact, ee, p); " ..
    "IF (CASE WHEN (r.d || 'e' || r.de)::numeric <= 1.7976931348623158e308 THEN (r.d || 'e' || r.de)::" .. F8 ..
    " = abs(x) ELSE false END) THEN " ..  -- (past the largest double's half ulp a decimal reads as no double)
    "digits := rtrim(r.d, '0'); e := r.de + length(r.d) - length(digits); RETURN; END IF; END LOOP; END $$"}
  -- sign, digits * 10^e in the ladder of unit, as people read it
  library[#library + 1] = {"FUNCTION", "zb_ladder", "(sign text, digits text, e int, unit text) RETURNS text " ..
    "LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$DECLARE dim text; power int; step record; t record; BEGIN " ..
    "SELECT d, p INTO dim, power FROM " .. catalog_sql .. " WHERE n = unit; " ..
    "IF dim IS NULL OR dim IN ('ratio', 'percentage points') THEN " ..
    "RETURN (zb_lib.zb_three_digits(sign, digits, e)).txt || coalesce(unit, ''); END IF; " ..
    "FOR step IN SELECT n, p, p = min(p) OVER () AS smallest FROM " .. catalog_sql .. " WHERE d = dim " ..
    "ORDER BY p DESC LOOP t := zb_lib.zb_three_digits(sign, digits, e + power - step.p); " ..
    "IF step.smallest OR t.whole THEN RETURN t.txt || step.n; END IF; END LOOP; END $$"}
  library[#library + 1] = {"FUNCTION", "human", "(x " .. F8 .. ", unit text) RETURNS text LANGUAGE plpgsql " ..
    "IMMUTABLE PARALLEL SAFE AS $$DECLARE r record; BEGIN IF x IS NULL THEN RETURN NULL; END IF; " ..
    "IF x = 'NaN' OR x = 'Infinity' OR x = '-Infinity' THEN RETURN CASE WHEN x = 'NaN' THEN 'NaN' " ..
    "WHEN x > 0 THEN 'Inf' ELSE '-Inf' END || coalesce(unit, ''); END IF; " ..
    "r := zb_lib.zb_decimal(x); RETURN zb_lib.zb_ladder(r.sign, r.digits, r.e, unit); END $$"}
  library[#library + 1] = {"FUNCTION", "human", "(x bigint, unit text) RETURNS text LANGUAGE plpgsql IMMUTABLE " ..
    "PARALLEL SAFE AS $$DECLARE digits text; trimmed text; BEGIN IF x IS NULL THEN RETURN NULL; END IF; " ..
    "digits := ltrim(ltrim(x::text, '-'), '0'); trimmed := rtrim(digits, '0'); " ..
    "RETURN zb_lib.zb_ladder(CASE WHEN x < 0 THEN '-' ELSE '' END, trimmed, length(digits) - length(trimmed), unit); " ..
    "END $$"}
  -- text that reads as a decimal number counts, as zb.numbers.read reads it
  -- (an integer as one while it fits); the rest, hexadecimal, Inf and NaN
  -- spelt out, is refused in its words (else PostgreSQL's casts would
  -- take '0x10' for 16 and 'inf' for Infinity)
  library[#library + 1] = {"FUNCTION", "human", "(x text, unit text) RETURNS text LANGUAGE plpgsql IMMUTABLE " ..
    "PARALLEL SAFE AS $$BEGIN IF x IS NULL THEN RETURN NULL; END IF; " ..
    "IF x ~ '^\\s*[-+]?[0-9]+\\s*$' AND x::numeric BETWEEN -9223372036854775808 AND 9223372036854775807 THEN " ..
    "RETURN zb_lib.human(x::bigint, unit); END IF; " ..
    "IF x ~ '^\\s*[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?\\s*$' THEN RETURN zb_lib.human(x::" .. F8 ..
    ", unit); END IF; RAISE EXCEPTION 'human: expected a number, got the text ''%''%', " ..
    "CASE WHEN length(x) > 60 THEN left(x, 60) || '...' ELSE x END, CASE WHEN x ~ '^\\s*[-+]?0[xX]' THEN " ..
    "' (hexadecimal is not read as a number: Lua would take 0x10 for 16, SQLite for 0)' ELSE '' END; END $$"}
  for _, t in ipairs{F8, "bigint", "text"} do  -- human(x): no unit
    library[#library + 1] = {"FUNCTION", "human", "(x " .. t .. ") RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE " ..
                             "AS $$SELECT zb_lib.human(x, NULL::text)$$"}
  end
end

-- region_code and region_name: zb.regions.find on the server, over the
-- places zb.regions reads (zb_lib.places, filled from them at install:
-- ord their order, province and city the codes of the places above).
-- zb_region(given, given_code, at_level, within, within_code) is the
-- place, or an error in find's words; given_code: given was an integer
-- (its digits a code, whatever they are as text).
local PLACES = "(ord int PRIMARY KEY, code bigint NOT NULL, name text NOT NULL, short text, level text NOT NULL, " ..
  "province bigint, city bigint, municipality boolean NOT NULL, city_level boolean NOT NULL)"
local REGION = [==[(given text, given_code boolean, at_level text, within text, within_code boolean)
RETURNS zb_lib.places LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE trimmed text := btrim(given, E' \t\n\x0b\f\r'); digits text; by_code zb_lib.places; w zb_lib.places;
        candidates zb_lib.places[]; kept zb_lib.places[];
BEGIN
  IF at_level NOT IN ('province', 'city', 'county') THEN
    RAISE EXCEPTION 'regions: level must be province, city or county, not %', at_level;
  END IF;
  IF given_code OR trimmed ~ '^[0-9]+$' THEN
    -- 2 digits a province's code, 4 a city's, 6 any place's: 3300 is no city
    digits := substring(given from '[0-9]+');
    SELECT * INTO by_code FROM zb_lib.places WHERE code = rpad(digits, 6, '0')::bigint ORDER BY ord LIMIT 1;
    IF NOT FOUND OR NOT (CASE length(digits) WHEN 2 THEN by_code.level = 'province' WHEN 4 THEN by_code.level = 'city'
                                            ELSE length(digits) = 6 END) THEN
      RAISE EXCEPTION 'regions: no place has the code %', digits;
    END IF;
    candidates := ARRAY[by_code];
  ELSE
    SELECT array_agg(p ORDER BY p.ord) INTO candidates FROM zb_lib.places AS p WHERE p.name = trimmed;
    IF candidates IS NULL THEN
      SELECT array_agg(p ORDER BY p.ord) INTO candidates FROM zb_lib.places AS p WHERE p.short = trimmed;
    END IF;
  END IF;
  IF within IS NOT NULL THEN w := zb_lib.zb_region(within, within_code, NULL, NULL, false); END IF;
  SELECT array_agg(c ORDER BY c.ord) INTO kept FROM unnest(candidates) AS c
  WHERE (at_level IS NULL OR c.level = at_level OR (at_level = 'city' AND c.city_level))
    AND (within IS NULL OR c.ord = w.ord OR (w.level = 'province' AND c.province = w.code)
         OR (w.level = 'city' AND c.city = w.code));
  -- a municipality is one place at two levels (北京市: 110000 and 110100):
  -- unless the city is asked for, it is the province
  IF cardinality(kept) = 2 AND kept[1].level = 'province' AND kept[2].municipality
     AND kept[2].province = kept[1].code THEN
    kept := kept[1:1];
  END IF;
  IF cardinality(kept) = 1 THEN RETURN kept[1]; END IF;
  given := given || coalesce(' at level ' || at_level, '') || coalesce(' within ' || w.name, '');
  IF kept IS NULL THEN RAISE EXCEPTION 'regions: no place is named % (the NBS list of CUTOFF)', given; END IF;
  RAISE EXCEPTION 'regions: % is % places: %; say which with level = or within =', given, cardinality(kept),
    (SELECT string_agg(format('%s (%s, %s%s)', c.name, c.level, c.code, coalesce(', ' || coalesce(
       (SELECT a.name FROM zb_lib.places AS a WHERE a.level = 'city' AND a.code = c.city),
       (SELECT a.name FROM zb_lib.places AS a WHERE a.level = 'province' AND a.code = c.province)), '')), ', '
       ORDER BY c.ord) FROM unnest(kept) AS c);
END $$]==]
library[#library + 1] = {"FUNCTION", "zb_region", (REGION:gsub("CUTOFF", require("zb.analysis.regions").cutoff))}
-- NULL for NULL; name text or an integer, within too (1, 2 or 3 arguments)
for _, f in ipairs{{"region_code", "bigint", "code"}, {"region_name", "text", "name"}} do
  for _, name in ipairs{{"text", "false"}, {"bigint", "true"}} do
    for _, within in ipairs{{"text DEFAULT NULL", "false", "level text DEFAULT NULL"}, {"bigint", "true", "level text"}} do
      library[#library + 1] = {"FUNCTION", f[1], "(name " .. name[1] .. ", " .. within[3] .. ", within " .. within[1] ..
        ") RETURNS " .. f[2] .. " LANGUAGE sql STABLE PARALLEL SAFE AS $$SELECT CASE WHEN name IS NOT NULL THEN " ..
        "(zb_lib.zb_region(name::text, " .. name[2] .. ", level, within::text, " .. within[2] .. "))." .. f[3] .. " END$$"}
    end
  end
end

-- spark(x [, order]): zb.present.spark's aggregate, a group's values as a
-- sparkline (NULL a gap) in order's order: numbers, then periods in time's
-- order, then other text by its bytes, then NULL, ties as the rows came;
-- each value's block worked as zb.present.spark works it, NaN and the
-- infinities refused as there.
library[#library + 1] = {"FUNCTION", "zb_spark_line", "(xs " .. F8 .. "[]) RETURNS text LANGUAGE plpgsql IMMUTABLE " ..
  "PARALLEL SAFE AS $$DECLARE levels text[] := ARRAY['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█']; lo " .. F8 .. "; hi " ..
  F8 .. "; x " .. F8 .. "; halves boolean; line text := ''; BEGIN " ..
  "IF coalesce(array_length(xs, 1), 0) = 0 THEN RETURN NULL; END IF; " ..
  "FOREACH x IN ARRAY xs LOOP " ..
  "IF x = 'NaN' THEN RAISE EXCEPTION 'spark: expected a number, got NaN'; END IF; " ..
  "IF x = 'Infinity' OR x = '-Infinity' THEN RAISE EXCEPTION 'spark: % cannot be drawn', " ..
  "CASE WHEN x > 0 THEN 'Inf' ELSE '-Inf' END; END IF; " ..
  "lo := least(lo, x); hi := greatest(hi, x); END LOOP; " ..
  "halves := hi / 2 - lo / 2 > 8.98846567431158e307; " ..
  "FOREACH x IN ARRAY xs LOOP line := line || CASE WHEN x IS NULL THEN ' ' WHEN hi = lo THEN levels[4] " ..
  "WHEN halves THEN levels[floor((x / 2 - lo / 2) / (hi / 2 - lo / 2) * 7 + 0.5)::int + 1] " ..
  "ELSE levels[floor((x - lo) / (hi - lo) * 7 + 0.5)::int + 1] END; END LOOP; RETURN line; END $$"}
library[#library + 1] = {"AGGREGATE", "spark", "(" .. F8 .. ") (SFUNC = array_append, STYPE = " .. F8 .. "[], " ..
  "FINALFUNC = zb_lib.zb_spark_line, INITCOND = '{}')"}
-- the state: each row's value and its order key, in the rows' order (a
-- double as numeric through its shortest text: a cast keeps 15 digits)
for _, key in ipairs{{F8, F8 .. "[]", "x, k"}, {"bigint", "numeric[]", "x::text::numeric, k::numeric"}} do
  library[#library + 1] = {"FUNCTION", "spark_step", "(s " .. key[2] .. ", x " .. F8 .. ", k " .. key[1] .. ") RETURNS " ..
    key[2] .. " LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$SELECT s || ARRAY[" .. key[3] .. "]$$"}
  library[#library + 1] = {"FUNCTION", "spark_final", "(s " .. key[2] .. ") RETURNS text LANGUAGE sql IMMUTABLE " ..
    "PARALLEL SAFE AS $$SELECT zb_lib.zb_spark_line(ARRAY(SELECT s[2 * i - 1]::" .. F8 .. " FROM " ..
    "generate_series(1, coalesce(array_length(s, 1), 0) / 2) AS i ORDER BY s[2 * i] NULLS LAST, i))$$"}
  library[#library + 1] = {"AGGREGATE", "spark", "(" .. F8 .. ", " .. key[1] .. ") (SFUNC = zb_lib.spark_step, " ..
    "STYPE = " .. key[2] .. ", FINALFUNC = zb_lib.spark_final, INITCOND = '{}')"}
end
-- text: a period keyed by its frequency and its place in time, as zb.present.spark keys it
library[#library + 1] = {"FUNCTION", "spark_step", "(s text[], x " .. F8 .. ", k text) RETURNS text[] LANGUAGE sql " ..
  "IMMUTABLE PARALLEL SAFE AS $$SELECT s || (SELECT CASE WHEN k IS NULL THEN ARRAY['3', '', x::text] " ..
  "WHEN p IS NULL THEN ARRAY['2', k, x::text] ELSE ARRAY['1', (ARRAY['A', 'S', 'Q', 'M', 'D'])[p[1]] || " ..
  "lpad((zb_lib.zb_period_index_of(p) + 1000000000000000)::text, 20, '0'), x::text] END " ..
  "FROM zb_lib.zb_period_parts(k) AS p)$$"}
library[#library + 1] = {"FUNCTION", "spark_final", "(s text[]) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS " ..
  "$$SELECT zb_lib.zb_spark_line(ARRAY(SELECT s[3 * i]::" .. F8 .. " FROM generate_series(1, " ..
  "coalesce(array_length(s, 1), 0) / 3) AS i ORDER BY s[3 * i - 2], s[3 * i - 1] COLLATE \"C\", i))$$"}
library[#library + 1] = {"AGGREGATE", "spark", "(" .. F8 .. ", text) (SFUNC = zb_lib.spark_step, STYPE = text[], " ..
  "FINALFUNC = zb_lib.spark_final, INITCOND = '{}')"}

-- zb_refuse(message, like): the period methods' refusal found as the rows
-- are read (a period twice in a series), its type the CASE's other arms'.
library[#library + 1] = {"FUNCTION", "zb_refuse", "(message text, like anyelement) RETURNS anyelement " ..
  "LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$BEGIN RAISE EXCEPTION '%', message; END $$"}

-- Whether the library defines a function of that name, its own parts and
-- the methods' helpers (zb_periods) included.
function M.defines(name)
  for _, f in ipairs(library) do
    if f[2] == name then return true end
  end
  return false
end

-- The names the library defines, in order.
function M.names()
  local names, seen = {}, {}
  for _, f in ipairs(library) do
    -- not the parts of aggregates, nor the methods' own (zb_periods, zb_refuse)
    local own = f[2]:find("_final$") or f[2]:find("_step$") or f[2]:find("^zb_")
    if not own and not seen[f[2]] then names[#names + 1], seen[f[2]] = f[2], true end
  end
  return names
end

-- zb_lib.places: zb.regions' places, bound, as many rows to a statement as
-- its 1024 parameters take (9 each).
local function places(engine)
  engine.exec("CREATE TABLE zb_lib.places " .. PLACES)
  local all = require("zb.analysis.regions").places()
  local per = 1024 // 9
  for first = 1, #all, per do
    local rows, values = {}, {n = 0}
    for i = first, math.min(first + per - 1, #all) do
      local p = all[i]
      local row = {i, p.code, p.name, p.short, p.level, p.province and p.province.code, p.city and p.city.code,
                   p.municipality == true, p.city_level == true}
      rows[#rows + 1] = "(?, ?, ?, ?, ?, ?, ?, ?, ?)"
      for k = 1, 9 do values[values.n + k] = row[k] end
      values.n = values.n + 9
    end
    engine.exec("INSERT INTO zb_lib.places VALUES " .. table.concat(rows, ", "), table.unpack(values, 1, values.n))
  end
  engine.exec("CREATE INDEX ON zb_lib.places (name)")
  engine.exec("CREATE INDEX ON zb_lib.places (short)")
  engine.exec("CREATE INDEX ON zb_lib.places (code)")
end

-- zb.install(): the library in the schema zb_lib, made anew; returns the names defined.
function M.install()
  local engine = zb.engine
  if engine.name ~= "postgresql" then
    error("zb.install: the library is installed on a PostgreSQL server (zb -d CONNINFO); SQLite sessions have it built in", 2)
  end
  -- a refusal (a role that may not make it) at the caller's line
  errors.guarded(engine.atomic, function()
    engine.exec("DROP SCHEMA IF EXISTS zb_lib CASCADE")
    engine.exec("CREATE SCHEMA zb_lib")
    places(engine)
    for _, f in ipairs(library) do engine.exec("CREATE " .. f[1] .. " zb_lib." .. f[2] .. f[3]) end
    -- every role of the database may use it (functions: EXECUTE to PUBLIC by default)
    engine.exec("GRANT USAGE ON SCHEMA zb_lib TO PUBLIC")
    engine.exec("GRANT SELECT ON ALL TABLES IN SCHEMA zb_lib TO PUBLIC")
    -- the version, which a session checks (engine.library_installed)
    engine.exec("CREATE FUNCTION zb_lib." .. zb.names.quote(engine.VERSION_MARK .. zb.version) ..
                "() RETURNS text LANGUAGE sql IMMUTABLE AS $$SELECT " .. zb.engine.dialect.literal(zb.version) .. "$$")
  end)
  engine.setting("select set_config('search_path', current_setting('search_path') || ', zb_lib', false) " ..
                 "where not 'zb_lib' = any(current_schemas(false))")
  return M.names()
end

return M
