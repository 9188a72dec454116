-- table
SELECT * FROM "t"

-- where sql
SELECT * FROM "t" WHERE (year > ? and region = ?)
-- values: 2020, "A"

-- where values
SELECT * FROM "t" WHERE ("region" IN (?, ?) AND "year" = ?)
-- values: "A", "B", 2021

-- where none
SELECT * FROM "t" WHERE (0)

-- where untyped
SELECT * FROM (SELECT "region" AS "region", "year" AS "year", "value" AS "value", "unit" AS "unit", year + 0 AS "y" FROM "t") WHERE (("y" IN (?) OR (typeof("y") IN ('integer', 'real') AND "y" IN (?))))
-- values: "2021", 2021

-- where function
SELECT * FROM "t" WHERE (zb_lua(23, "region", "year", "value", "unit"))

-- where where
SELECT * FROM "t" WHERE (year = 2021) AND (value > 1)

-- select
SELECT "region" AS "region", value * 2 AS "v" FROM "t"

-- select where
SELECT * FROM (SELECT "region" AS "region", "value" AS "value" FROM "t") WHERE (value > 1)

-- mutate
SELECT "region" AS "region", "year" AS "year", value / 10 AS "value", "unit" AS "unit", value * 2 AS "double" FROM "t"

-- rename
SELECT "region" AS "place", "year" AS "year", "value" AS "value", "unit" AS "unit" FROM "t"

-- drop
SELECT "region" AS "region", "year" AS "year" FROM "t"

-- distinct
SELECT DISTINCT "region" AS "region" FROM "t"

-- order
SELECT * FROM "t" ORDER BY "year" DESC, "region"

-- order expression
SELECT * FROM "t" ORDER BY value * -1

-- order periods
SELECT * FROM (SELECT "month" AS "month", "value" AS "value" FROM "m") ORDER BY period_index("month") DESC, "month" DESC

-- limit
SELECT * FROM "t" LIMIT 2 OFFSET 1

-- limit limit
SELECT * FROM (SELECT * FROM "t" LIMIT 3 OFFSET 0) LIMIT 1 OFFSET 0

-- order limit
SELECT * FROM "t" ORDER BY "value" LIMIT 1 OFFSET 0

-- agg
SELECT count(*) AS "n", sum(value) AS "total" FROM "t"

-- group agg hashed
SELECT kt0 AS "region", a0 AS "n", a1 AS "total" FROM zb_group(?, ?)
-- values: "SELECT \"region\" AS \"k0\", \"value\" AS \"v0\" FROM \"t\"", "1:count*,sum"

-- group agg
SELECT "region" AS "region", max(value) - min(value) AS "spread" FROM "t" GROUP BY "region"

-- group expression
SELECT year / 10 AS "decade", count(*) AS "n" FROM "t" GROUP BY year / 10

-- join
SELECT l."region" AS "region", l."year" AS "year", l."value" AS "value", l."unit" AS "unit", r."pop" AS "pop", r."2021年" AS "2021年" FROM (SELECT * FROM "t") AS l JOIN (SELECT * FROM "u") AS r ON l."region" = r."region"

-- join left
SELECT l."region" AS "region", l."year" AS "year", l."value" AS "value", l."unit" AS "unit", r."pop" AS "pop", r."2021年" AS "2021年" FROM (SELECT * FROM "t") AS l LEFT JOIN (SELECT * FROM "u") AS r ON l."region" = r."region"

-- join full
SELECT coalesce(l."region", r."region") AS "region", l."year" AS "year", l."value" AS "value", l."unit" AS "unit", r."pop" AS "pop", r."2021年" AS "2021年" FROM (SELECT * FROM "t") AS l FULL JOIN (SELECT * FROM "u") AS r ON l."region" = r."region"

-- join sql
SELECT l."region" AS "region_x", l."year" AS "year", l."value" AS "value", l."unit" AS "unit", r."region" AS "region_y", r."pop" AS "pop", r."2021年" AS "2021年" FROM (SELECT * FROM "t") AS l JOIN (SELECT * FROM "u") AS r ON l.region = r.region and r.pop > 10

-- union
SELECT "region", "year", "value", "unit" FROM (SELECT * FROM "t" WHERE ("year" = ?)) UNION SELECT "region", "year", "value", "unit" FROM (SELECT * FROM "t" WHERE ("year" = ?))
-- values: 2020, 2021

-- union all
SELECT "region" FROM (SELECT "region" AS "region" FROM "t") UNION ALL SELECT "region" FROM (SELECT "region" AS "region" FROM "u")

-- pivot
SELECT "region" AS "region", sum(CASE WHEN "year" IS ? THEN "value" END) AS "2020", sum(CASE WHEN "year" IS ? THEN "value" END) AS "2021" FROM "t" GROUP BY "region"
-- values: 2020, 2021

-- melt
SELECT s."region" AS "region", CAST(k.column1 AS TEXT) AS "name", CASE k.column2 WHEN 1 THEN s."pop" WHEN 2 THEN s."2021年" END AS "value" FROM (SELECT * FROM "u") AS s CROSS JOIN (VALUES (?, 1), (?, 2)) AS k
-- values: "pop", "2021年"

-- melt pattern
SELECT * FROM (SELECT s."region" AS "region", CAST(k.column1 AS INTEGER) AS "year", CASE k.column2 WHEN 1 THEN s."2021年" END AS "value" FROM (SELECT * FROM "u") AS s CROSS JOIN (VALUES (?, 1)) AS k) WHERE ("value" IS NOT NULL)
-- values: 2021

-- ratio
SELECT "region" AS "region", "year" AS "year", "value" AS "value", "unit" AS "unit", ratio(CASE WHEN typeof("value") = 'text' THEN CAST("value" AS NUMERIC) ELSE "value" END, CASE WHEN typeof("year") = 'text' THEN CAST("year" AS NUMERIC) ELSE "year" END) AS "ratio" FROM "t"

-- share
SELECT "region" AS "region", "year" AS "year", "value" AS "value", "unit" AS "unit", 100.0 * CASE WHEN typeof("value") = 'text' THEN CAST("value" AS NUMERIC) ELSE "value" END / sum(CASE WHEN typeof("value") = 'text' THEN CAST("value" AS NUMERIC) ELSE "value" END) OVER (PARTITION BY "year") AS "share" FROM "t"

-- yoy
SELECT "region" AS "region", "year" AS "year", "value" AS "value", "unit" AS "unit", CASE WHEN "year" = lag("year") OVER (PARTITION BY "region" ORDER BY "year") THEN zb_refuse('yoy: more than one row for ' || 'region = ' || CASE WHEN "region" IS NULL THEN 'NULL' ELSE substr(CAST("region" AS TEXT), 1, 60) END || ', ' || 'year = ' || "year" || '; one value per period is needed (tell the series apart with by =, or keep one of the rows)') WHEN (typeof("value") = 'blob' OR typeof("value") = 'text' AND NOT (CAST("value" AS NUMERIC) = "value")) THEN zb_refuse('yoy: column value holds ' || quote("value") || ' (at ' || 'region = ' || CASE WHEN "region" IS NULL THEN 'NULL' ELSE substr(CAST("region" AS TEXT), 1, 60) END || ', ' || 'year = ' || "year" || '), not a number') ELSE CASE WHEN abs("year" - lag("year") OVER (PARTITION BY "region" ORDER BY "year")) = 1 THEN growth("value", lag("value") OVER (PARTITION BY "region" ORDER BY "year")) END END AS "yoy" FROM "t"

-- yoy months
SELECT "month" AS "month", "value" AS "value", CASE WHEN zb_repeated(period_index("month"), 12) OVER (ORDER BY period_index("month") ROWS BETWEEN 12 PRECEDING AND CURRENT ROW) THEN zb_refuse('yoy: more than one row for ' || 'month = ' || period("month") || '; one value per period is needed (tell the series apart with by =, or keep one of the rows)') WHEN (typeof("value") = 'blob' OR typeof("value") = 'text' AND NOT (CAST("value" AS NUMERIC) = "value")) THEN zb_refuse('yoy: column value holds ' || quote("value") || ' (at ' || 'month = ' || period("month") || '), not a number') ELSE growth("value", zb_shift("value", period_index("month"), 12) OVER (ORDER BY period_index("month") ROWS BETWEEN 12 PRECEDING AND CURRENT ROW)) END AS "yoy" FROM "m"

-- pop
SELECT "month" AS "month", "value" AS "value", CASE WHEN period_index("month") = lag(period_index("month")) OVER (ORDER BY period_index("month")) THEN zb_refuse('pop: more than one row for ' || 'month = ' || period("month") || '; one value per period is needed (tell the series apart with by =, or keep one of the rows)') WHEN (typeof("value") = 'blob' OR typeof("value") = 'text' AND NOT (CAST("value" AS NUMERIC) = "value")) THEN zb_refuse('pop: column value holds ' || quote("value") || ' (at ' || 'month = ' || period("month") || '), not a number') ELSE CASE WHEN abs(period_index("month") - lag(period_index("month")) OVER (ORDER BY period_index("month"))) = 1 THEN growth("value", lag("value") OVER (ORDER BY period_index("month"))) END END AS "pop" FROM "m"

-- lag
SELECT "region" AS "region", "year" AS "year", "value" AS "value", "unit" AS "unit", CASE WHEN "year" = lag("year") OVER (PARTITION BY "region" ORDER BY "year") THEN zb_refuse('lag: more than one row for ' || 'region = ' || CASE WHEN "region" IS NULL THEN 'NULL' ELSE substr(CAST("region" AS TEXT), 1, 60) END || ', ' || 'year = ' || "year" || '; one value per period is needed (tell the series apart with by =, or keep one of the rows)') ELSE CASE WHEN abs("year" - lag("year") OVER (PARTITION BY "region" ORDER BY "year")) = 1 THEN lag("value") OVER (PARTITION BY "region" ORDER BY "year") END END AS "lag" FROM "t"

-- lead 2
SELECT "region" AS "region", "year" AS "year", "value" AS "value", "unit" AS "unit", CASE WHEN zb_repeated("year", -2) OVER (PARTITION BY "region" ORDER BY "year" ROWS BETWEEN CURRENT ROW AND 2 FOLLOWING) THEN zb_refuse('lead: more than one row for ' || 'region = ' || CASE WHEN "region" IS NULL THEN 'NULL' ELSE substr(CAST("region" AS TEXT), 1, 60) END || ', ' || 'year = ' || "year" || '; one value per period is needed (tell the series apart with by =, or keep one of the rows)') ELSE zb_shift("value", "year", -2) OVER (PARTITION BY "region" ORDER BY "year" ROWS BETWEEN CURRENT ROW AND 2 FOLLOWING) END AS "lead" FROM "t"

-- index
SELECT "region" AS "region", "year" AS "year", "value" AS "value", "unit" AS "unit", 100.0 * CASE WHEN typeof("value") = 'text' THEN CAST("value" AS NUMERIC) ELSE "value" END / max(CASE WHEN "year" = 2020 THEN CASE WHEN typeof("value") = 'text' THEN CAST("value" AS NUMERIC) ELSE "value" END END) OVER (PARTITION BY "region") AS "index" FROM "t"

-- rank
SELECT "region" AS "region", "year" AS "year", "value" AS "value", "unit" AS "unit", CASE WHEN "value" IS NULL THEN NULL ELSE rank() OVER (PARTITION BY "year" ORDER BY "value" IS NULL, "value" DESC) END AS "rank" FROM "t"

-- moving
SELECT "region" AS "region", "year" AS "year", "value" AS "value", "unit" AS "unit", CASE WHEN count("value") OVER (PARTITION BY "region" ORDER BY "year" RANGE BETWEEN 1 PRECEDING AND CURRENT ROW EXCLUDE TIES) = 2 THEN avg("value") OVER (PARTITION BY "region" ORDER BY "year" RANGE BETWEEN 1 PRECEDING AND CURRENT ROW EXCLUDE TIES) END AS "moving_avg" FROM "t"

-- cagr
SELECT "region" AS "region", "from" AS "from", "to" AS "to", "first" AS "first", "last" AS "last", "years" AS "years", cagr(first, last, years) AS "cagr" FROM (SELECT DISTINCT "region" AS "region", "zb_from" AS "from", "zb_to" AS "to", "zb_first" AS "first", "zb_last" AS "last", "zb_years" AS "years" FROM (SELECT "region" AS "region", "year" AS "year", "value" AS "value", "unit" AS "unit", first_value(CASE WHEN ("value" IS NOT NULL AND "year" IS NOT NULL) THEN CASE WHEN typeof("value") = 'text' THEN CAST("value" AS NUMERIC) ELSE "value" END END) OVER (PARTITION BY "region" ORDER BY NOT ("value" IS NOT NULL AND "year" IS NOT NULL), "year" ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS "zb_first", first_value(CASE WHEN ("value" IS NOT NULL AND "year" IS NOT NULL) THEN "year" END) OVER (PARTITION BY "region" ORDER BY NOT ("value" IS NOT NULL AND "year" IS NOT NULL), "year" ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS "zb_from", last_value(CASE WHEN ("value" IS NOT NULL AND "year" IS NOT NULL) THEN CASE WHEN typeof("value") = 'text' THEN CAST("value" AS NUMERIC) ELSE "value" END END) OVER (PARTITION BY "region" ORDER BY ("value" IS NOT NULL AND "year" IS NOT NULL), "year" ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS "zb_last", last_value(CASE WHEN ("value" IS NOT NULL AND "year" IS NOT NULL) THEN "year" END) OVER (PARTITION BY "region" ORDER BY ("value" IS NOT NULL AND "year" IS NOT NULL), "year" ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS "zb_to", (last_value(CASE WHEN ("value" IS NOT NULL AND "year" IS NOT NULL) THEN "year" END) OVER (PARTITION BY "region" ORDER BY ("value" IS NOT NULL AND "year" IS NOT NULL), "year" ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) - first_value(CASE WHEN ("value" IS NOT NULL AND "year" IS NOT NULL) THEN "year" END) OVER (PARTITION BY "region" ORDER BY NOT ("value" IS NOT NULL AND "year" IS NOT NULL), "year" ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)) * 1.0 / 1 AS "zb_years" FROM "t"))

-- gap
SELECT "year" AS "year", "A" AS "A", "B" AS "B", "A" - "B" AS "difference", ratio("A", "B") AS "ratio" FROM (SELECT "year" AS "year", "A" AS "A", "B" AS "B" FROM (SELECT "year" AS "year", max(CASE WHEN "region" = 'A' THEN CASE WHEN typeof("value") = 'text' THEN CAST("value" AS NUMERIC) ELSE "value" END END) AS "A", max(CASE WHEN "region" = 'B' THEN CASE WHEN typeof("value") = 'text' THEN CAST("value" AS NUMERIC) ELSE "value" END END) AS "B" FROM "t" GROUP BY "year")) WHERE ("A" IS NOT NULL OR "B" IS NOT NULL)

-- convert
SELECT "region" AS "region", "year" AS "year", convert_unit("value", "unit", '万元') AS "value", '万元' AS "unit" FROM "t"

-- progress
SELECT "region" AS "region", "year" AS "year", "value" AS "value", "unit" AS "unit", 100.0 * CASE WHEN typeof("value") = 'text' THEN CAST("value" AS NUMERIC) ELSE "value" END / nullif(CASE WHEN typeof("year") = 'text' THEN CAST("year" AS NUMERIC) ELSE "year" END, 0) AS "progress", max("year" - "value", 0) AS "remaining" FROM "t"
