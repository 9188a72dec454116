-- Written by tests/lua/golden.lua (ZB_GOLDEN=write): every method's SQL in SQLite's dialect, and the
-- description it is compiled from, which tests/unit/compiler.lua compiles without a database.
return {
{name = "table",
 sql = "SELECT * FROM \"t\"",
 params = {
   n = 0
 },
 description = {
   from = {
     table = "t"
   }
 }},
{name = "where sql",
 sql = "SELECT * FROM \"t\" WHERE (year > ? and region = ?)",
 params = {
   2020,
   "A",
   n = 2
 },
 description = {
   from = {
     table = "t"
   },
   where = {
     {
       params = {
         2020,
         "A",
         n = 2
       },
       sql = "year > \0 and region = \0"
     }
   }
 }},
{name = "where values",
 sql = "SELECT * FROM \"t\" WHERE (\"region\" IN (?, ?) AND \"year\" = ?)",
 params = {
   "A",
   "B",
   2021,
   n = 3
 },
 description = {
   from = {
     table = "t"
   },
   where = {
     {
       params = {
         "A",
         "B",
         2021,
         n = 3
       },
       sql = "\"region\" IN (\0, \0) AND \"year\" = \0"
     }
   }
 }},
{name = "where none",
 sql = "SELECT * FROM \"t\" WHERE (0)",
 params = {
   n = 0
 },
 description = {
   from = {
     table = "t"
   },
   where = {
     {
       params = {
         n = 0
       },
       sql = "0"
     }
   }
 }},
{name = "where untyped",
 sql = "SELECT * FROM (SELECT \"region\" AS \"region\", \"year\" AS \"year\", \"value\" AS \"value\", \"unit\" AS \"unit\", year + 0 AS \"y\" FROM \"t\") WHERE ((\"y\" IN (?) OR (typeof(\"y\") IN ('integer', 'real') AND \"y\" IN (?))))",
 params = {
   "2021",
   2021,
   n = 2
 },
 description = {
   from = {
     subquery = {
       from = {
         table = "t"
       },
       cols = {
         {
           name = "region",
           expr = {
             params = {
               n = 0
             },
             sql = "\"region\""
           }
         },
         {
           name = "year",
           expr = {
             params = {
               n = 0
             },
             sql = "\"year\""
           }
         },
         {
           name = "value",
           expr = {
             params = {
               n = 0
             },
             sql = "\"value\""
           }
         },
         {
           name = "unit",
           expr = {
             params = {
               n = 0
             },
             sql = "\"unit\""
           }
         },
         {
           name = "y",
           expr = {
             params = {
               n = 0
             },
             sql = "year + 0"
           }
         }
       }
     }
   },
   where = {
     {
       params = {
         "2021",
         2021,
         n = 2
       },
       sql = "(\"y\" IN (\0) OR (typeof(\"y\") IN ('integer', 'real') AND \"y\" IN (\0)))"
     }
   }
 }},
{name = "where function",
 sql = "SELECT * FROM \"t\" WHERE (zb_lua(N, \"region\", \"year\", \"value\", \"unit\"))",
 params = {
   n = 0
 },
 description = {
   from = {
     table = "t"
   },
   where = {
     {
       params = {
         n = 0
       },
       sql = "zb_lua(N, \"region\", \"year\", \"value\", \"unit\")"
     }
   }
 }},
{name = "where where",
 sql = "SELECT * FROM \"t\" WHERE (year = 2021) AND (value > 1)",
 params = {
   n = 0
 },
 description = {
   from = {
     table = "t"
   },
   where = {
     {
       params = {
         n = 0
       },
       sql = "year = 2021"
     },
     {
       params = {
         n = 0
       },
       sql = "value > 1"
     }
   }
 }},
{name = "select",
 sql = "SELECT \"region\" AS \"region\", value * 2 AS \"v\" FROM \"t\"",
 params = {
   n = 0
 },
 description = {
   from = {
     table = "t"
   },
   cols = {
     {
       name = "region",
       expr = {
         params = {
           n = 0
         },
         sql = "\"region\""
       }
     },
     {
       name = "v",
       expr = {
         params = {
           n = 0
         },
         sql = "value * 2"
       }
     }
   }
 }},
{name = "select where",
 sql = "SELECT * FROM (SELECT \"region\" AS \"region\", \"value\" AS \"value\" FROM \"t\") WHERE (value > 1)",
 params = {
   n = 0
 },
 description = {
   from = {
     subquery = {
       from = {
         table = "t"
       },
       cols = {
         {
           name = "region",
           expr = {
             params = {
               n = 0
             },
             sql = "\"region\""
           }
         },
         {
           name = "value",
           expr = {
             params = {
               n = 0
             },
             sql = "\"value\""
           }
         }
       }
     }
   },
   where = {
     {
       params = {
         n = 0
       },
       sql = "value > 1"
     }
   }
 }},
{name = "mutate",
 sql = "SELECT \"region\" AS \"region\", \"year\" AS \"year\", value / 10 AS \"value\", \"unit\" AS \"unit\", value * 2 AS \"double\" FROM \"t\"",
 params = {
   n = 0
 },
 description = {
   from = {
     table = "t"
   },
   cols = {
     {
       name = "region",
       expr = {
         params = {
           n = 0
         },
         sql = "\"region\""
       }
     },
     {
       name = "year",
       expr = {
         params = {
           n = 0
         },
         sql = "\"year\""
       }
     },
     {
       name = "value",
       expr = {
         params = {
           n = 0
         },
         sql = "value / 10"
       }
     },
     {
       name = "unit",
       expr = {
         params = {
           n = 0
         },
         sql = "\"unit\""
       }
     },
     {
       name = "double",
       expr = {
         params = {
           n = 0
         },
         sql = "value * 2"
       }
     }
   }
 }},
{name = "rename",
 sql = "SELECT \"region\" AS \"place\", \"year\" AS \"year\", \"value\" AS \"value\", \"unit\" AS \"unit\" FROM \"t\"",
 params = {
   n = 0
 },
 description = {
   from = {
     table = "t"
   },
   cols = {
     {
       name = "place",
       expr = {
         params = {
           n = 0
         },
         sql = "\"region\""
       }
     },
     {
       name = "year",
       expr = {
         params = {
           n = 0
         },
         sql = "\"year\""
       }
     },
     {
       name = "value",
       expr = {
         params = {
           n = 0
         },
         sql = "\"value\""
       }
     },
     {
       name = "unit",
       expr = {
         params = {
           n = 0
         },
         sql = "\"unit\""
       }
     }
   }
 }},
{name = "drop",
 sql = "SELECT \"region\" AS \"region\", \"year\" AS \"year\" FROM \"t\"",
 params = {
   n = 0
 },
 description = {
   from = {
     table = "t"
   },
   cols = {
     {
       name = "region",
       expr = {
         params = {
           n = 0
         },
         sql = "\"region\""
       }
     },
     {
       name = "year",
       expr = {
         params = {
           n = 0
         },
         sql = "\"year\""
       }
     }
   }
 }},
{name = "distinct",
 sql = "SELECT DISTINCT \"region\" AS \"region\" FROM \"t\"",
 params = {
   n = 0
 },
 description = {
   from = {
     table = "t"
   },
   cols = {
     {
       name = "region",
       expr = {
         params = {
           n = 0
         },
         sql = "\"region\""
       }
     }
   },
   distinct = true
 }},
{name = "order",
 sql = "SELECT * FROM \"t\" ORDER BY \"year\" DESC, \"region\"",
 params = {
   n = 0
 },
 description = {
   from = {
     table = "t"
   },
   order = {
     {
       params = {
         n = 0
       },
       sql = "\"year\" DESC"
     },
     {
       params = {
         n = 0
       },
       sql = "\"region\""
     }
   }
 }},
{name = "order expression",
 sql = "SELECT * FROM \"t\" ORDER BY value * -1",
 params = {
   n = 0
 },
 description = {
   from = {
     table = "t"
   },
   order = {
     {
       params = {
         n = 0
       },
       sql = "value * -1"
     }
   }
 }},
{name = "order periods",
 sql = "SELECT * FROM (SELECT \"month\" AS \"month\", \"value\" AS \"value\" FROM \"m\") ORDER BY period_index(\"month\") DESC, \"month\" DESC",
 params = {
   n = 0
 },
 description = {
   from = {
     subquery = {
       from = {
         table = "m"
       },
       cols = {
         {
           name = "month",
           expr = {
             params = {
               n = 0
             },
             sql = "\"month\""
           }
         },
         {
           name = "value",
           expr = {
             params = {
               n = 0
             },
             sql = "\"value\""
           }
         }
       }
     }
   },
   order = {
     {
       params = {
         n = 0
       },
       sql = "period_index(\"month\") DESC, \"month\" DESC"
     }
   }
 }},
{name = "limit",
 sql = "SELECT * FROM \"t\" LIMIT 2 OFFSET 1",
 params = {
   n = 0
 },
 description = {
   from = {
     table = "t"
   },
   limit = 2,
   offset = 1
 }},
{name = "limit limit",
 sql = "SELECT * FROM (SELECT * FROM \"t\" LIMIT 3 OFFSET 0) LIMIT 1 OFFSET 0",
 params = {
   n = 0
 },
 description = {
   from = {
     subquery = {
       from = {
         table = "t"
       },
       limit = 3
     }
   },
   limit = 1
 }},
{name = "order limit",
 sql = "SELECT * FROM \"t\" ORDER BY \"value\" LIMIT 1 OFFSET 0",
 params = {
   n = 0
 },
 description = {
   from = {
     table = "t"
   },
   order = {
     {
       params = {
         n = 0
       },
       sql = "\"value\""
     }
   },
   limit = 1
 }},
{name = "agg",
 sql = "SELECT count(*) AS \"n\", sum(value) AS \"total\" FROM \"t\"",
 params = {
   n = 0
 },
 description = {
   from = {
     table = "t"
   },
   cols = {
     {
       name = "n",
       expr = {
         params = {
           n = 0
         },
         sql = "count(*)"
       }
     },
     {
       name = "total",
       expr = {
         params = {
           n = 0
         },
         sql = "sum(value)"
       }
     }
   }
 }},
{name = "group agg hashed",
 sql = "SELECT kt0 AS \"region\", a0 AS \"n\", a1 AS \"total\" FROM zb_group(?, ?)",
 params = {
   "SELECT \"region\" AS \"k0\", \"value\" AS \"v0\" FROM \"t\"",
   "1:count*,sum",
   n = 2
 },
 description = {
   from = {
     params = {
       "SELECT \"region\" AS \"k0\", \"value\" AS \"v0\" FROM \"t\"",
       "1:count*,sum",
       n = 2
     },
     sql = "zb_group(\0, \0)"
   },
   cols = {
     {
       name = "region",
       expr = {
         params = {
           n = 0
         },
         sql = "kt0"
       }
     },
     {
       name = "n",
       expr = {
         params = {
           n = 0
         },
         sql = "a0"
       }
     },
     {
       name = "total",
       expr = {
         params = {
           n = 0
         },
         sql = "a1"
       }
     }
   }
 }},
{name = "group agg",
 sql = "SELECT \"region\" AS \"region\", max(value) - min(value) AS \"spread\" FROM \"t\" GROUP BY \"region\"",
 params = {
   n = 0
 },
 description = {
   from = {
     table = "t"
   },
   group = {
     {
       params = {
         n = 0
       },
       sql = "\"region\""
     }
   },
   cols = {
     {
       name = "region",
       expr = {
         params = {
           n = 0
         },
         sql = "\"region\""
       }
     },
     {
       name = "spread",
       expr = {
         params = {
           n = 0
         },
         sql = "max(value) - min(value)"
       }
     }
   }
 }},
{name = "group expression",
 sql = "SELECT year / 10 AS \"decade\", count(*) AS \"n\" FROM \"t\" GROUP BY year / 10",
 params = {
   n = 0
 },
 description = {
   from = {
     table = "t"
   },
   group = {
     {
       params = {
         n = 0
       },
       sql = "year / 10"
     }
   },
   cols = {
     {
       name = "decade",
       expr = {
         params = {
           n = 0
         },
         sql = "year / 10"
       }
     },
     {
       name = "n",
       expr = {
         params = {
           n = 0
         },
         sql = "count(*)"
       }
     }
   }
 }},
{name = "join",
 sql = "SELECT l.\"region\" AS \"region\", l.\"year\" AS \"year\", l.\"value\" AS \"value\", l.\"unit\" AS \"unit\", r.\"pop\" AS \"pop\", r.\"2021年\" AS \"2021年\" FROM (SELECT * FROM \"t\") AS l JOIN (SELECT * FROM \"u\") AS r ON l.\"region\" = r.\"region\"",
 params = {
   n = 0
 },
 description = {
   from = {
     params = {
       n = 0
     },
     sql = "(SELECT * FROM \"t\") AS l JOIN (SELECT * FROM \"u\") AS r ON l.\"region\" = r.\"region\""
   },
   cols = {
     {
       name = "region",
       expr = {
         params = {
           n = 0
         },
         sql = "l.\"region\""
       }
     },
     {
       name = "year",
       expr = {
         params = {
           n = 0
         },
         sql = "l.\"year\""
       }
     },
     {
       name = "value",
       expr = {
         params = {
           n = 0
         },
         sql = "l.\"value\""
       }
     },
     {
       name = "unit",
       expr = {
         params = {
           n = 0
         },
         sql = "l.\"unit\""
       }
     },
     {
       name = "pop",
       expr = {
         params = {
           n = 0
         },
         sql = "r.\"pop\""
       }
     },
     {
       name = "2021年",
       expr = {
         params = {
           n = 0
         },
         sql = "r.\"2021年\""
       }
     }
   }
 }},
{name = "join left",
 sql = "SELECT l.\"region\" AS \"region\", l.\"year\" AS \"year\", l.\"value\" AS \"value\", l.\"unit\" AS \"unit\", r.\"pop\" AS \"pop\", r.\"2021年\" AS \"2021年\" FROM (SELECT * FROM \"t\") AS l LEFT JOIN (SELECT * FROM \"u\") AS r ON l.\"region\" = r.\"region\"",
 params = {
   n = 0
 },
 description = {
   from = {
     params = {
       n = 0
     },
     sql = "(SELECT * FROM \"t\") AS l LEFT JOIN (SELECT * FROM \"u\") AS r ON l.\"region\" = r.\"region\""
   },
   cols = {
     {
       name = "region",
       expr = {
         params = {
           n = 0
         },
         sql = "l.\"region\""
       }
     },
     {
       name = "year",
       expr = {
         params = {
           n = 0
         },
         sql = "l.\"year\""
       }
     },
     {
       name = "value",
       expr = {
         params = {
           n = 0
         },
         sql = "l.\"value\""
       }
     },
     {
       name = "unit",
       expr = {
         params = {
           n = 0
         },
         sql = "l.\"unit\""
       }
     },
     {
       name = "pop",
       expr = {
         params = {
           n = 0
         },
         sql = "r.\"pop\""
       }
     },
     {
       name = "2021年",
       expr = {
         params = {
           n = 0
         },
         sql = "r.\"2021年\""
       }
     }
   }
 }},
{name = "join full",
 sql = "SELECT coalesce(l.\"region\", r.\"region\") AS \"region\", l.\"year\" AS \"year\", l.\"value\" AS \"value\", l.\"unit\" AS \"unit\", r.\"pop\" AS \"pop\", r.\"2021年\" AS \"2021年\" FROM (SELECT * FROM \"t\") AS l FULL JOIN (SELECT * FROM \"u\") AS r ON l.\"region\" = r.\"region\"",
 params = {
   n = 0
 },
 description = {
   from = {
     params = {
       n = 0
     },
     sql = "(SELECT * FROM \"t\") AS l FULL JOIN (SELECT * FROM \"u\") AS r ON l.\"region\" = r.\"region\""
   },
   cols = {
     {
       name = "region",
       expr = {
         params = {
           n = 0
         },
         sql = "coalesce(l.\"region\", r.\"region\")"
       }
     },
     {
       name = "year",
       expr = {
         params = {
           n = 0
         },
         sql = "l.\"year\""
       }
     },
     {
       name = "value",
       expr = {
         params = {
           n = 0
         },
         sql = "l.\"value\""
       }
     },
     {
       name = "unit",
       expr = {
         params = {
           n = 0
         },
         sql = "l.\"unit\""
       }
     },
     {
       name = "pop",
       expr = {
         params = {
           n = 0
         },
         sql = "r.\"pop\""
       }
     },
     {
       name = "2021年",
       expr = {
         params = {
           n = 0
         },
         sql = "r.\"2021年\""
       }
     }
   }
 }},
{name = "join sql",
 sql = "SELECT l.\"region\" AS \"region_x\", l.\"year\" AS \"year\", l.\"value\" AS \"value\", l.\"unit\" AS \"unit\", r.\"region\" AS \"region_y\", r.\"pop\" AS \"pop\", r.\"2021年\" AS \"2021年\" FROM (SELECT * FROM \"t\") AS l JOIN (SELECT * FROM \"u\") AS r ON l.region = r.region and r.pop > 10",
 params = {
   n = 0
 },
 description = {
   from = {
     params = {
       n = 0
     },
     sql = "(SELECT * FROM \"t\") AS l JOIN (SELECT * FROM \"u\") AS r ON l.region = r.region and r.pop > 10"
   },
   cols = {
     {
       name = "region_x",
       expr = {
         params = {
           n = 0
         },
         sql = "l.\"region\""
       }
     },
     {
       name = "year",
       expr = {
         params = {
           n = 0
         },
         sql = "l.\"year\""
       }
     },
     {
       name = "value",
       expr = {
         params = {
           n = 0
         },
         sql = "l.\"value\""
       }
     },
     {
       name = "unit",
       expr = {
         params = {
           n = 0
         },
         sql = "l.\"unit\""
       }
     },
     {
       name = "region_y",
       expr = {
         params = {
           n = 0
         },
         sql = "r.\"region\""
       }
     },
     {
       name = "pop",
       expr = {
         params = {
           n = 0
         },
         sql = "r.\"pop\""
       }
     },
     {
       name = "2021年",
       expr = {
         params = {
           n = 0
         },
         sql = "r.\"2021年\""
       }
     }
   }
 }},
{name = "union",
 sql = "SELECT \"region\", \"year\", \"value\", \"unit\" FROM (SELECT * FROM \"t\" WHERE (\"year\" = ?)) UNION SELECT \"region\", \"year\", \"value\", \"unit\" FROM (SELECT * FROM \"t\" WHERE (\"year\" = ?))",
 params = {
   2020,
   2021,
   n = 2
 },
 description = {
   query = {
     params = {
       2020,
       2021,
       n = 2
     },
     sql = "SELECT \"region\", \"year\", \"value\", \"unit\" FROM (SELECT * FROM \"t\" WHERE (\"year\" = \0)) UNION SELECT \"region\", \"year\", \"value\", \"unit\" FROM (SELECT * FROM \"t\" WHERE (\"year\" = \0))"
   }
 }},
{name = "union all",
 sql = "SELECT \"region\" FROM (SELECT \"region\" AS \"region\" FROM \"t\") UNION ALL SELECT \"region\" FROM (SELECT \"region\" AS \"region\" FROM \"u\")",
 params = {
   n = 0
 },
 description = {
   query = {
     params = {
       n = 0
     },
     sql = "SELECT \"region\" FROM (SELECT \"region\" AS \"region\" FROM \"t\") UNION ALL SELECT \"region\" FROM (SELECT \"region\" AS \"region\" FROM \"u\")"
   }
 }},
{name = "pivot",
 sql = "SELECT \"region\" AS \"region\", sum(CASE WHEN \"year\" IS ? THEN \"value\" END) AS \"2020\", sum(CASE WHEN \"year\" IS ? THEN \"value\" END) AS \"2021\" FROM \"t\" GROUP BY \"region\"",
 params = {
   2020,
   2021,
   n = 2
 },
 description = {
   from = {
     table = "t"
   },
   group = {
     {
       params = {
         n = 0
       },
       sql = "\"region\""
     }
   },
   cols = {
     {
       name = "region",
       expr = {
         params = {
           n = 0
         },
         sql = "\"region\""
       }
     },
     {
       name = "2020",
       expr = {
         params = {
           2020,
           n = 1
         },
         sql = "sum(CASE WHEN \"year\" IS \0 THEN \"value\" END)"
       }
     },
     {
       name = "2021",
       expr = {
         params = {
           2021,
           n = 1
         },
         sql = "sum(CASE WHEN \"year\" IS \0 THEN \"value\" END)"
       }
     }
   }
 }},
{name = "melt",
 sql = "SELECT s.\"region\" AS \"region\", CAST(k.column1 AS TEXT) AS \"name\", CASE k.column2 WHEN 1 THEN CASE WHEN typeof(s.\"pop\") = 'integer' THEN CAST(s.\"pop\" AS REAL) ELSE s.\"pop\" END WHEN 2 THEN s.\"2021年\" END AS \"value\" FROM (SELECT * FROM \"u\") AS s CROSS JOIN (VALUES (?, 1), (?, 2)) AS k",
 params = {
   "pop",
   "2021年",
   n = 2
 },
 description = {
   query = {
     params = {
       "pop",
       "2021年",
       n = 2
     },
     sql = "SELECT s.\"region\" AS \"region\", CAST(k.column1 AS TEXT) AS \"name\", CASE k.column2 WHEN 1 THEN CASE WHEN typeof(s.\"pop\") = 'integer' THEN CAST(s.\"pop\" AS REAL) ELSE s.\"pop\" END WHEN 2 THEN s.\"2021年\" END AS \"value\" FROM (SELECT * FROM \"u\") AS s CROSS JOIN (VALUES (\0, 1), (\0, 2)) AS k"
   }
 }},
{name = "melt pattern",
 sql = "SELECT * FROM (SELECT s.\"region\" AS \"region\", CAST(k.column1 AS INTEGER) AS \"year\", CASE k.column2 WHEN 1 THEN s.\"2021年\" END AS \"value\" FROM (SELECT * FROM \"u\") AS s CROSS JOIN (VALUES (?, 1)) AS k) WHERE (\"value\" IS NOT NULL)",
 params = {
   2021,
   n = 1
 },
 description = {
   from = {
     subquery = {
       query = {
         params = {
           2021,
           n = 1
         },
         sql = "SELECT s.\"region\" AS \"region\", CAST(k.column1 AS INTEGER) AS \"year\", CASE k.column2 WHEN 1 THEN s.\"2021年\" END AS \"value\" FROM (SELECT * FROM \"u\") AS s CROSS JOIN (VALUES (\0, 1)) AS k"
       }
     }
   },
   where = {
     {
       params = {
         n = 0
       },
       sql = "\"value\" IS NOT NULL"
     }
   }
 }},
{name = "ratio",
 sql = "SELECT \"region\" AS \"region\", \"year\" AS \"year\", \"value\" AS \"value\", \"unit\" AS \"unit\", ratio(CASE WHEN typeof(\"value\") = 'text' THEN CAST(\"value\" AS NUMERIC) ELSE \"value\" END, CASE WHEN typeof(\"year\") = 'text' THEN CAST(\"year\" AS NUMERIC) ELSE \"year\" END) AS \"ratio\" FROM \"t\"",
 params = {
   n = 0
 },
 description = {
   from = {
     table = "t"
   },
   cols = {
     {
       name = "region",
       expr = {
         params = {
           n = 0
         },
         sql = "\"region\""
       }
     },
     {
       name = "year",
       expr = {
         params = {
           n = 0
         },
         sql = "\"year\""
       }
     },
     {
       name = "value",
       expr = {
         params = {
           n = 0
         },
         sql = "\"value\""
       }
     },
     {
       name = "unit",
       expr = {
         params = {
           n = 0
         },
         sql = "\"unit\""
       }
     },
     {
       name = "ratio",
       expr = {
         params = {
           n = 0
         },
         sql = "ratio(CASE WHEN typeof(\"value\") = 'text' THEN CAST(\"value\" AS NUMERIC) ELSE \"value\" END, CASE WHEN typeof(\"year\") = 'text' THEN CAST(\"year\" AS NUMERIC) ELSE \"year\" END)"
       }
     }
   }
 }},
{name = "share",
 sql = "SELECT \"region\" AS \"region\", \"year\" AS \"year\", \"value\" AS \"value\", \"unit\" AS \"unit\", \"share\" AS \"share\" FROM (SELECT \"region\" AS \"region\", \"year\" AS \"year\", \"value\" AS \"value\", \"unit\" AS \"unit\", \"zb_total\" AS \"zb_total\", 100.0 * \"value\" / nullif(\"zb_total\", 0) AS \"share\" FROM (SELECT l.\"region\" AS \"region\", l.\"year\" AS \"year\", l.\"value\" AS \"value\", l.\"unit\" AS \"unit\", r.\"zb_total\" AS \"zb_total\" FROM (SELECT * FROM \"t\") AS l LEFT JOIN (SELECT ki0 AS \"year\", a0 AS \"zb_total\" FROM zb_group(?, ?) LIMIT -1) AS r ON l.\"year\" IS r.\"year\"))",
 params = {
   "SELECT \"year\" AS \"k0\", \"value\" AS \"v0\" FROM \"t\"",
   "1:sum",
   n = 2
 },
 description = {
   from = {
     subquery = {
       from = {
         subquery = {
           from = {
             params = {
               "SELECT \"year\" AS \"k0\", \"value\" AS \"v0\" FROM \"t\"",
               "1:sum",
               n = 2
             },
             sql = "(SELECT * FROM \"t\") AS l LEFT JOIN (SELECT ki0 AS \"year\", a0 AS \"zb_total\" FROM zb_group(\0, \0) LIMIT -1) AS r ON l.\"year\" IS r.\"year\""
           },
           cols = {
             {
               name = "region",
               expr = {
                 params = {
                   n = 0
                 },
                 sql = "l.\"region\""
               }
             },
             {
               name = "year",
               expr = {
                 params = {
                   n = 0
                 },
                 sql = "l.\"year\""
               }
             },
             {
               name = "value",
               expr = {
                 params = {
                   n = 0
                 },
                 sql = "l.\"value\""
               }
             },
             {
               name = "unit",
               expr = {
                 params = {
                   n = 0
                 },
                 sql = "l.\"unit\""
               }
             },
             {
               name = "zb_total",
               expr = {
                 params = {
                   n = 0
                 },
                 sql = "r.\"zb_total\""
               }
             }
           }
         }
       },
       cols = {
         {
           name = "region",
           expr = {
             params = {
               n = 0
             },
             sql = "\"region\""
           }
         },
         {
           name = "year",
           expr = {
             params = {
               n = 0
             },
             sql = "\"year\""
           }
         },
         {
           name = "value",
           expr = {
             params = {
               n = 0
             },
             sql = "\"value\""
           }
         },
         {
           name = "unit",
           expr = {
             params = {
               n = 0
             },
             sql = "\"unit\""
           }
         },
         {
           name = "zb_total",
           expr = {
             params = {
               n = 0
             },
             sql = "\"zb_total\""
           }
         },
         {
           name = "share",
           expr = {
             params = {
               n = 0
             },
             sql = "100.0 * \"value\" / nullif(\"zb_total\", 0)"
           }
         }
       }
     }
   },
   cols = {
     {
       name = "region",
       expr = {
         params = {
           n = 0
         },
         sql = "\"region\""
       }
     },
     {
       name = "year",
       expr = {
         params = {
           n = 0
         },
         sql = "\"year\""
       }
     },
     {
       name = "value",
       expr = {
         params = {
           n = 0
         },
         sql = "\"value\""
       }
     },
     {
       name = "unit",
       expr = {
         params = {
           n = 0
         },
         sql = "\"unit\""
       }
     },
     {
       name = "share",
       expr = {
         params = {
           n = 0
         },
         sql = "\"share\""
       }
     }
   }
 }},
{name = "yoy",
 sql = "SELECT \"region\" AS \"region\", \"year\" AS \"year\", \"value\" AS \"value\", \"unit\" AS \"unit\", CASE WHEN (typeof(\"value\") = 'blob' OR typeof(\"value\") = 'text' AND NOT (CAST(\"value\" AS NUMERIC) = \"value\")) THEN zb_refuse('yoy: column value holds ' || quote(\"value\") || ' (at ' || 'region = ' || CASE WHEN \"region\" IS NULL THEN 'NULL' ELSE substr(CAST(\"region\" AS TEXT), 1, 60) END || ', ' || 'year = ' || \"year\" || '), not a number') ELSE growth(\"value\", zb_shifted(?, ?, ?, ?, ?, ?, \"region\", \"year\", \"value\")) END AS \"yoy\" FROM \"t\"",
 params = {
   "SELECT \"region\" AS \"k0\", \"year\" AS \"i\", \"value\" AS \"v\" FROM \"t\"",
   "1:0:1",
   "region = \0010, year = \1t",
   "yoy: more than one row for \2; one value per period is needed (tell the series apart with by =, or keep one of the rows)",
   "yoy: more than one row for \2; one value per period is needed (tell the series apart with by =, or keep one of the rows)",
   "SELECT \"region\" AS \"k0\", \"year\" AS \"i\", \"year\" AS \"t\" FROM \"t\"",
   n = 6
 },
 description = {
   from = {
     table = "t"
   },
   cols = {
     {
       name = "region",
       expr = {
         params = {
           n = 0
         },
         sql = "\"region\""
       }
     },
     {
       name = "year",
       expr = {
         params = {
           n = 0
         },
         sql = "\"year\""
       }
     },
     {
       name = "value",
       expr = {
         params = {
           n = 0
         },
         sql = "\"value\""
       }
     },
     {
       name = "unit",
       expr = {
         params = {
           n = 0
         },
         sql = "\"unit\""
       }
     },
     {
       name = "yoy",
       expr = {
         params = {
           "SELECT \"region\" AS \"k0\", \"year\" AS \"i\", \"value\" AS \"v\" FROM \"t\"",
           "1:0:1",
           "region = \0010, year = \1t",
           "yoy: more than one row for \2; one value per period is needed (tell the series apart with by =, or keep one of the rows)",
           "yoy: more than one row for \2; one value per period is needed (tell the series apart with by =, or keep one of the rows)",
           "SELECT \"region\" AS \"k0\", \"year\" AS \"i\", \"year\" AS \"t\" FROM \"t\"",
           n = 6
         },
         sql = "CASE WHEN (typeof(\"value\") = 'blob' OR typeof(\"value\") = 'text' AND NOT (CAST(\"value\" AS NUMERIC) = \"value\")) THEN zb_refuse('yoy: column value holds ' || quote(\"value\") || ' (at ' || 'region = ' || CASE WHEN \"region\" IS NULL THEN 'NULL' ELSE substr(CAST(\"region\" AS TEXT), 1, 60) END || ', ' || 'year = ' || \"year\" || '), not a number') ELSE growth(\"value\", zb_shifted(\0, \0, \0, \0, \0, \0, \"region\", \"year\", \"value\")) END"
       }
     }
   }
 }},
{name = "yoy months",
 sql = "SELECT \"month\" AS \"month\", \"value\" AS \"value\", CASE WHEN (typeof(\"value\") = 'blob' OR typeof(\"value\") = 'text' AND NOT (CAST(\"value\" AS NUMERIC) = \"value\")) THEN zb_refuse('yoy: column value holds ' || quote(\"value\") || ' (at ' || 'month = ' || period(\"month\") || '), not a number') ELSE growth(\"value\", zb_shifted(?, ?, ?, ?, ?, ?, period_index(\"month\"), \"value\")) END AS \"yoy\" FROM \"m\"",
 params = {
   "SELECT period_index(\"month\") AS \"i\", \"value\" AS \"v\" FROM \"m\"",
   "0:0:12",
   "month = \1t",
   "yoy: more than one row for \2; one value per period is needed (tell the series apart with by =, or keep one of the rows)",
   "yoy: more than one row for \2; one value per period is needed (tell the series apart with by =, or keep one of the rows)",
   "SELECT period_index(\"month\") AS \"i\", period(\"month\") AS \"t\" FROM \"m\"",
   n = 6
 },
 description = {
   from = {
     table = "m"
   },
   cols = {
     {
       name = "month",
       expr = {
         params = {
           n = 0
         },
         sql = "\"month\""
       }
     },
     {
       name = "value",
       expr = {
         params = {
           n = 0
         },
         sql = "\"value\""
       }
     },
     {
       name = "yoy",
       expr = {
         params = {
           "SELECT period_index(\"month\") AS \"i\", \"value\" AS \"v\" FROM \"m\"",
           "0:0:12",
           "month = \1t",
           "yoy: more than one row for \2; one value per period is needed (tell the series apart with by =, or keep one of the rows)",
           "yoy: more than one row for \2; one value per period is needed (tell the series apart with by =, or keep one of the rows)",
           "SELECT period_index(\"month\") AS \"i\", period(\"month\") AS \"t\" FROM \"m\"",
           n = 6
         },
         sql = "CASE WHEN (typeof(\"value\") = 'blob' OR typeof(\"value\") = 'text' AND NOT (CAST(\"value\" AS NUMERIC) = \"value\")) THEN zb_refuse('yoy: column value holds ' || quote(\"value\") || ' (at ' || 'month = ' || period(\"month\") || '), not a number') ELSE growth(\"value\", zb_shifted(\0, \0, \0, \0, \0, \0, period_index(\"month\"), \"value\")) END"
       }
     }
   }
 }},
{name = "pop",
 sql = "SELECT \"month\" AS \"month\", \"value\" AS \"value\", CASE WHEN (typeof(\"value\") = 'blob' OR typeof(\"value\") = 'text' AND NOT (CAST(\"value\" AS NUMERIC) = \"value\")) THEN zb_refuse('pop: column value holds ' || quote(\"value\") || ' (at ' || 'month = ' || period(\"month\") || '), not a number') ELSE growth(\"value\", zb_shifted(?, ?, ?, ?, ?, ?, period_index(\"month\"), \"value\")) END AS \"pop\" FROM \"m\"",
 params = {
   "SELECT period_index(\"month\") AS \"i\", \"value\" AS \"v\" FROM \"m\"",
   "0:0:1",
   "month = \1t",
   "pop: more than one row for \2; one value per period is needed (tell the series apart with by =, or keep one of the rows)",
   "pop: more than one row for \2; one value per period is needed (tell the series apart with by =, or keep one of the rows)",
   "SELECT period_index(\"month\") AS \"i\", period(\"month\") AS \"t\" FROM \"m\"",
   n = 6
 },
 description = {
   from = {
     table = "m"
   },
   cols = {
     {
       name = "month",
       expr = {
         params = {
           n = 0
         },
         sql = "\"month\""
       }
     },
     {
       name = "value",
       expr = {
         params = {
           n = 0
         },
         sql = "\"value\""
       }
     },
     {
       name = "pop",
       expr = {
         params = {
           "SELECT period_index(\"month\") AS \"i\", \"value\" AS \"v\" FROM \"m\"",
           "0:0:1",
           "month = \1t",
           "pop: more than one row for \2; one value per period is needed (tell the series apart with by =, or keep one of the rows)",
           "pop: more than one row for \2; one value per period is needed (tell the series apart with by =, or keep one of the rows)",
           "SELECT period_index(\"month\") AS \"i\", period(\"month\") AS \"t\" FROM \"m\"",
           n = 6
         },
         sql = "CASE WHEN (typeof(\"value\") = 'blob' OR typeof(\"value\") = 'text' AND NOT (CAST(\"value\" AS NUMERIC) = \"value\")) THEN zb_refuse('pop: column value holds ' || quote(\"value\") || ' (at ' || 'month = ' || period(\"month\") || '), not a number') ELSE growth(\"value\", zb_shifted(\0, \0, \0, \0, \0, \0, period_index(\"month\"), \"value\")) END"
       }
     }
   }
 }},
{name = "lag",
 sql = "SELECT \"region\" AS \"region\", \"year\" AS \"year\", \"value\" AS \"value\", \"unit\" AS \"unit\", zb_shifted(?, ?, ?, ?, ?, ?, \"region\", \"year\", \"value\") AS \"lag\" FROM \"t\"",
 params = {
   "SELECT \"region\" AS \"k0\", \"year\" AS \"i\", \"value\" AS \"v\" FROM \"t\"",
   "1:0:1",
   "region = \0010, year = \1t",
   "lag: more than one row for \2; one value per period is needed (tell the series apart with by =, or keep one of the rows)",
   "lag: more than one row for \2; one value per period is needed (tell the series apart with by =, or keep one of the rows)",
   "SELECT \"region\" AS \"k0\", \"year\" AS \"i\", \"year\" AS \"t\" FROM \"t\"",
   n = 6
 },
 description = {
   from = {
     table = "t"
   },
   cols = {
     {
       name = "region",
       expr = {
         params = {
           n = 0
         },
         sql = "\"region\""
       }
     },
     {
       name = "year",
       expr = {
         params = {
           n = 0
         },
         sql = "\"year\""
       }
     },
     {
       name = "value",
       expr = {
         params = {
           n = 0
         },
         sql = "\"value\""
       }
     },
     {
       name = "unit",
       expr = {
         params = {
           n = 0
         },
         sql = "\"unit\""
       }
     },
     {
       name = "lag",
       expr = {
         params = {
           "SELECT \"region\" AS \"k0\", \"year\" AS \"i\", \"value\" AS \"v\" FROM \"t\"",
           "1:0:1",
           "region = \0010, year = \1t",
           "lag: more than one row for \2; one value per period is needed (tell the series apart with by =, or keep one of the rows)",
           "lag: more than one row for \2; one value per period is needed (tell the series apart with by =, or keep one of the rows)",
           "SELECT \"region\" AS \"k0\", \"year\" AS \"i\", \"year\" AS \"t\" FROM \"t\"",
           n = 6
         },
         sql = "zb_shifted(\0, \0, \0, \0, \0, \0, \"region\", \"year\", \"value\")"
       }
     }
   }
 }},
{name = "lead 2",
 sql = "SELECT \"region\" AS \"region\", \"year\" AS \"year\", \"value\" AS \"value\", \"unit\" AS \"unit\", zb_shifted(?, ?, ?, ?, ?, ?, \"region\", \"year\", \"value\") AS \"lead\" FROM \"t\"",
 params = {
   "SELECT \"region\" AS \"k0\", \"year\" AS \"i\", \"value\" AS \"v\" FROM \"t\"",
   "1:0:-2",
   "region = \0010, year = \1t",
   "lead: more than one row for \2; one value per period is needed (tell the series apart with by =, or keep one of the rows)",
   "lead: more than one row for \2; one value per period is needed (tell the series apart with by =, or keep one of the rows)",
   "SELECT \"region\" AS \"k0\", \"year\" AS \"i\", \"year\" AS \"t\" FROM \"t\"",
   n = 6
 },
 description = {
   from = {
     table = "t"
   },
   cols = {
     {
       name = "region",
       expr = {
         params = {
           n = 0
         },
         sql = "\"region\""
       }
     },
     {
       name = "year",
       expr = {
         params = {
           n = 0
         },
         sql = "\"year\""
       }
     },
     {
       name = "value",
       expr = {
         params = {
           n = 0
         },
         sql = "\"value\""
       }
     },
     {
       name = "unit",
       expr = {
         params = {
           n = 0
         },
         sql = "\"unit\""
       }
     },
     {
       name = "lead",
       expr = {
         params = {
           "SELECT \"region\" AS \"k0\", \"year\" AS \"i\", \"value\" AS \"v\" FROM \"t\"",
           "1:0:-2",
           "region = \0010, year = \1t",
           "lead: more than one row for \2; one value per period is needed (tell the series apart with by =, or keep one of the rows)",
           "lead: more than one row for \2; one value per period is needed (tell the series apart with by =, or keep one of the rows)",
           "SELECT \"region\" AS \"k0\", \"year\" AS \"i\", \"year\" AS \"t\" FROM \"t\"",
           n = 6
         },
         sql = "zb_shifted(\0, \0, \0, \0, \0, \0, \"region\", \"year\", \"value\")"
       }
     }
   }
 }},
{name = "index",
 sql = "SELECT \"region\" AS \"region\", \"year\" AS \"year\", \"value\" AS \"value\", \"unit\" AS \"unit\", 100.0 * CASE WHEN typeof(\"value\") = 'text' THEN CAST(\"value\" AS NUMERIC) ELSE \"value\" END / nullif(max(CASE WHEN \"year\" = 2020 THEN CASE WHEN typeof(\"value\") = 'text' THEN CAST(\"value\" AS NUMERIC) ELSE \"value\" END END) OVER (PARTITION BY \"region\"), 0) AS \"index\" FROM \"t\"",
 params = {
   n = 0
 },
 description = {
   from = {
     table = "t"
   },
   cols = {
     {
       name = "region",
       expr = {
         params = {
           n = 0
         },
         sql = "\"region\""
       }
     },
     {
       name = "year",
       expr = {
         params = {
           n = 0
         },
         sql = "\"year\""
       }
     },
     {
       name = "value",
       expr = {
         params = {
           n = 0
         },
         sql = "\"value\""
       }
     },
     {
       name = "unit",
       expr = {
         params = {
           n = 0
         },
         sql = "\"unit\""
       }
     },
     {
       name = "index",
       expr = {
         params = {
           n = 0
         },
         sql = "100.0 * CASE WHEN typeof(\"value\") = 'text' THEN CAST(\"value\" AS NUMERIC) ELSE \"value\" END / nullif(max(CASE WHEN \"year\" = 2020 THEN CASE WHEN typeof(\"value\") = 'text' THEN CAST(\"value\" AS NUMERIC) ELSE \"value\" END END) OVER (PARTITION BY \"region\"), 0)"
       }
     }
   }
 }},
{name = "rank",
 sql = "SELECT \"region\" AS \"region\", \"year\" AS \"year\", \"value\" AS \"value\", \"unit\" AS \"unit\", zb_rank(?, ?, \"year\", \"value\") AS \"rank\" FROM \"t\"",
 params = {
   "SELECT \"year\" AS \"k0\", \"value\" AS \"v\" FROM \"t\"",
   "1:0:desc:competition",
   n = 2
 },
 description = {
   from = {
     table = "t"
   },
   cols = {
     {
       name = "region",
       expr = {
         params = {
           n = 0
         },
         sql = "\"region\""
       }
     },
     {
       name = "year",
       expr = {
         params = {
           n = 0
         },
         sql = "\"year\""
       }
     },
     {
       name = "value",
       expr = {
         params = {
           n = 0
         },
         sql = "\"value\""
       }
     },
     {
       name = "unit",
       expr = {
         params = {
           n = 0
         },
         sql = "\"unit\""
       }
     },
     {
       name = "rank",
       expr = {
         params = {
           "SELECT \"year\" AS \"k0\", \"value\" AS \"v\" FROM \"t\"",
           "1:0:desc:competition",
           n = 2
         },
         sql = "zb_rank(\0, \0, \"year\", \"value\")"
       }
     }
   }
 }},
{name = "moving",
 sql = "SELECT \"region\" AS \"region\", \"year\" AS \"year\", \"value\" AS \"value\", \"unit\" AS \"unit\", zb_shifted(?, ?, ?, ?, ?, ?, \"region\", \"year\", \"value\") AS \"moving_avg\" FROM \"t\"",
 params = {
   "SELECT \"region\" AS \"k0\", \"year\" AS \"i\", \"value\" AS \"v\" FROM \"t\"",
   "1:0:2:avg:0",
   "region = \0010, year = \1t",
   "moving: more than one row for \2; one value per period is needed (tell the series apart with by =, or keep one of the rows)",
   "moving: more than one row for \2; one value per period is needed (tell the series apart with by =, or keep one of the rows)",
   "SELECT \"region\" AS \"k0\", \"year\" AS \"i\", \"year\" AS \"t\" FROM \"t\"",
   n = 6
 },
 description = {
   from = {
     table = "t"
   },
   cols = {
     {
       name = "region",
       expr = {
         params = {
           n = 0
         },
         sql = "\"region\""
       }
     },
     {
       name = "year",
       expr = {
         params = {
           n = 0
         },
         sql = "\"year\""
       }
     },
     {
       name = "value",
       expr = {
         params = {
           n = 0
         },
         sql = "\"value\""
       }
     },
     {
       name = "unit",
       expr = {
         params = {
           n = 0
         },
         sql = "\"unit\""
       }
     },
     {
       name = "moving_avg",
       expr = {
         params = {
           "SELECT \"region\" AS \"k0\", \"year\" AS \"i\", \"value\" AS \"v\" FROM \"t\"",
           "1:0:2:avg:0",
           "region = \0010, year = \1t",
           "moving: more than one row for \2; one value per period is needed (tell the series apart with by =, or keep one of the rows)",
           "moving: more than one row for \2; one value per period is needed (tell the series apart with by =, or keep one of the rows)",
           "SELECT \"region\" AS \"k0\", \"year\" AS \"i\", \"year\" AS \"t\" FROM \"t\"",
           n = 6
         },
         sql = "zb_shifted(\0, \0, \0, \0, \0, \0, \"region\", \"year\", \"value\")"
       }
     }
   }
 }},
{name = "cagr",
 sql = "SELECT \"region\" AS \"region\", \"from\" AS \"from\", \"to\" AS \"to\", \"first\" AS \"first\", \"last\" AS \"last\", \"years\" AS \"years\", cagr(first, last, years) AS \"cagr\" FROM (SELECT DISTINCT \"region\" AS \"region\", \"zb_from\" AS \"from\", \"zb_to\" AS \"to\", \"zb_first\" AS \"first\", \"zb_last\" AS \"last\", \"zb_years\" AS \"years\" FROM (SELECT \"region\" AS \"region\", \"year\" AS \"year\", \"value\" AS \"value\", \"unit\" AS \"unit\", first_value(CASE WHEN (\"value\" IS NOT NULL AND \"year\" IS NOT NULL) THEN CASE WHEN typeof(\"value\") = 'text' THEN CAST(\"value\" AS NUMERIC) ELSE \"value\" END END) OVER (PARTITION BY \"region\" ORDER BY NOT (\"value\" IS NOT NULL AND \"year\" IS NOT NULL), \"year\" ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS \"zb_first\", first_value(CASE WHEN (\"value\" IS NOT NULL AND \"year\" IS NOT NULL) THEN \"year\" END) OVER (PARTITION BY \"region\" ORDER BY NOT (\"value\" IS NOT NULL AND \"year\" IS NOT NULL), \"year\" ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS \"zb_from\", last_value(CASE WHEN (\"value\" IS NOT NULL AND \"year\" IS NOT NULL) THEN CASE WHEN typeof(\"value\") = 'text' THEN CAST(\"value\" AS NUMERIC) ELSE \"value\" END END) OVER (PARTITION BY \"region\" ORDER BY (\"value\" IS NOT NULL AND \"year\" IS NOT NULL), \"year\" ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS \"zb_last\", last_value(CASE WHEN (\"value\" IS NOT NULL AND \"year\" IS NOT NULL) THEN \"year\" END) OVER (PARTITION BY \"region\" ORDER BY (\"value\" IS NOT NULL AND \"year\" IS NOT NULL), \"year\" ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS \"zb_to\", (last_value(CASE WHEN (\"value\" IS NOT NULL AND \"year\" IS NOT NULL) THEN \"year\" END) OVER (PARTITION BY \"region\" ORDER BY (\"value\" IS NOT NULL AND \"year\" IS NOT NULL), \"year\" ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) - first_value(CASE WHEN (\"value\" IS NOT NULL AND \"year\" IS NOT NULL) THEN \"year\" END) OVER (PARTITION BY \"region\" ORDER BY NOT (\"value\" IS NOT NULL AND \"year\" IS NOT NULL), \"year\" ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)) * 1.0 / 1 AS \"zb_years\" FROM \"t\"))",
 params = {
   n = 0
 },
 description = {
   from = {
     subquery = {
       from = {
         subquery = {
           from = {
             table = "t"
           },
           cols = {
             {
               name = "region",
               expr = {
                 params = {
                   n = 0
                 },
                 sql = "\"region\""
               }
             },
             {
               name = "year",
               expr = {
                 params = {
                   n = 0
                 },
                 sql = "\"year\""
               }
             },
             {
               name = "value",
               expr = {
                 params = {
                   n = 0
                 },
                 sql = "\"value\""
               }
             },
             {
               name = "unit",
               expr = {
                 params = {
                   n = 0
                 },
                 sql = "\"unit\""
               }
             },
             {
               name = "zb_first",
               expr = {
                 params = {
                   n = 0
                 },
                 sql = "first_value(CASE WHEN (\"value\" IS NOT NULL AND \"year\" IS NOT NULL) THEN CASE WHEN typeof(\"value\") = 'text' THEN CAST(\"value\" AS NUMERIC) ELSE \"value\" END END) OVER (PARTITION BY \"region\" ORDER BY NOT (\"value\" IS NOT NULL AND \"year\" IS NOT NULL), \"year\" ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)"
               }
             },
             {
               name = "zb_from",
               expr = {
                 params = {
                   n = 0
                 },
                 sql = "first_value(CASE WHEN (\"value\" IS NOT NULL AND \"year\" IS NOT NULL) THEN \"year\" END) OVER (PARTITION BY \"region\" ORDER BY NOT (\"value\" IS NOT NULL AND \"year\" IS NOT NULL), \"year\" ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)"
               }
             },
             {
               name = "zb_last",
               expr = {
                 params = {
                   n = 0
                 },
                 sql = "last_value(CASE WHEN (\"value\" IS NOT NULL AND \"year\" IS NOT NULL) THEN CASE WHEN typeof(\"value\") = 'text' THEN CAST(\"value\" AS NUMERIC) ELSE \"value\" END END) OVER (PARTITION BY \"region\" ORDER BY (\"value\" IS NOT NULL AND \"year\" IS NOT NULL), \"year\" ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)"
               }
             },
             {
               name = "zb_to",
               expr = {
                 params = {
                   n = 0
                 },
                 sql = "last_value(CASE WHEN (\"value\" IS NOT NULL AND \"year\" IS NOT NULL) THEN \"year\" END) OVER (PARTITION BY \"region\" ORDER BY (\"value\" IS NOT NULL AND \"year\" IS NOT NULL), \"year\" ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)"
               }
             },
             {
               name = "zb_years",
               expr = {
                 params = {
                   n = 0
                 },
                 sql = "(last_value(CASE WHEN (\"value\" IS NOT NULL AND \"year\" IS NOT NULL) THEN \"year\" END) OVER (PARTITION BY \"region\" ORDER BY (\"value\" IS NOT NULL AND \"year\" IS NOT NULL), \"year\" ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) - first_value(CASE WHEN (\"value\" IS NOT NULL AND \"year\" IS NOT NULL) THEN \"year\" END) OVER (PARTITION BY \"region\" ORDER BY NOT (\"value\" IS NOT NULL AND \"year\" IS NOT NULL), \"year\" ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)) * 1.0 / 1"
               }
             }
           }
         }
       },
       cols = {
         {
           name = "region",
           expr = {
             params = {
               n = 0
             },
             sql = "\"region\""
           }
         },
         {
           name = "from",
           expr = {
             params = {
               n = 0
             },
             sql = "\"zb_from\""
           }
         },
         {
           name = "to",
           expr = {
             params = {
               n = 0
             },
             sql = "\"zb_to\""
           }
         },
         {
           name = "first",
           expr = {
             params = {
               n = 0
             },
             sql = "\"zb_first\""
           }
         },
         {
           name = "last",
           expr = {
             params = {
               n = 0
             },
             sql = "\"zb_last\""
           }
         },
         {
           name = "years",
           expr = {
             params = {
               n = 0
             },
             sql = "\"zb_years\""
           }
         }
       },
       distinct = true
     }
   },
   cols = {
     {
       name = "region",
       expr = {
         params = {
           n = 0
         },
         sql = "\"region\""
       }
     },
     {
       name = "from",
       expr = {
         params = {
           n = 0
         },
         sql = "\"from\""
       }
     },
     {
       name = "to",
       expr = {
         params = {
           n = 0
         },
         sql = "\"to\""
       }
     },
     {
       name = "first",
       expr = {
         params = {
           n = 0
         },
         sql = "\"first\""
       }
     },
     {
       name = "last",
       expr = {
         params = {
           n = 0
         },
         sql = "\"last\""
       }
     },
     {
       name = "years",
       expr = {
         params = {
           n = 0
         },
         sql = "\"years\""
       }
     },
     {
       name = "cagr",
       expr = {
         params = {
           n = 0
         },
         sql = "cagr(first, last, years)"
       }
     }
   }
 }},
{name = "gap",
 sql = "SELECT \"year\" AS \"year\", \"A\" AS \"A\", \"B\" AS \"B\", \"A\" - \"B\" AS \"difference\", ratio(\"A\", \"B\") AS \"ratio\" FROM (SELECT \"year\" AS \"year\", \"A\" AS \"A\", \"B\" AS \"B\" FROM (SELECT \"year\" AS \"year\", max(CASE WHEN \"region\" = 'A' THEN CASE WHEN typeof(\"value\") = 'text' THEN CAST(\"value\" AS NUMERIC) ELSE \"value\" END END) AS \"A\", max(CASE WHEN \"region\" = 'B' THEN CASE WHEN typeof(\"value\") = 'text' THEN CAST(\"value\" AS NUMERIC) ELSE \"value\" END END) AS \"B\" FROM \"t\" GROUP BY \"year\")) WHERE (\"A\" IS NOT NULL OR \"B\" IS NOT NULL)",
 params = {
   n = 0
 },
 description = {
   from = {
     subquery = {
       from = {
         subquery = {
           from = {
             table = "t"
           },
           group = {
             {
               params = {
                 n = 0
               },
               sql = "\"year\""
             }
           },
           cols = {
             {
               name = "year",
               expr = {
                 params = {
                   n = 0
                 },
                 sql = "\"year\""
               }
             },
             {
               name = "A",
               expr = {
                 params = {
                   n = 0
                 },
                 sql = "max(CASE WHEN \"region\" = 'A' THEN CASE WHEN typeof(\"value\") = 'text' THEN CAST(\"value\" AS NUMERIC) ELSE \"value\" END END)"
               }
             },
             {
               name = "B",
               expr = {
                 params = {
                   n = 0
                 },
                 sql = "max(CASE WHEN \"region\" = 'B' THEN CASE WHEN typeof(\"value\") = 'text' THEN CAST(\"value\" AS NUMERIC) ELSE \"value\" END END)"
               }
             }
           }
         }
       },
       cols = {
         {
           name = "year",
           expr = {
             params = {
               n = 0
             },
             sql = "\"year\""
           }
         },
         {
           name = "A",
           expr = {
             params = {
               n = 0
             },
             sql = "\"A\""
           }
         },
         {
           name = "B",
           expr = {
             params = {
               n = 0
             },
             sql = "\"B\""
           }
         }
       }
     }
   },
   where = {
     {
       params = {
         n = 0
       },
       sql = "\"A\" IS NOT NULL OR \"B\" IS NOT NULL"
     }
   },
   cols = {
     {
       name = "year",
       expr = {
         params = {
           n = 0
         },
         sql = "\"year\""
       }
     },
     {
       name = "A",
       expr = {
         params = {
           n = 0
         },
         sql = "\"A\""
       }
     },
     {
       name = "B",
       expr = {
         params = {
           n = 0
         },
         sql = "\"B\""
       }
     },
     {
       name = "difference",
       expr = {
         params = {
           n = 0
         },
         sql = "\"A\" - \"B\""
       }
     },
     {
       name = "ratio",
       expr = {
         params = {
           n = 0
         },
         sql = "ratio(\"A\", \"B\")"
       }
     }
   }
 }},
{name = "convert",
 sql = "SELECT \"region\" AS \"region\", \"year\" AS \"year\", convert_unit(\"value\", \"unit\", '万元') AS \"value\", '万元' AS \"unit\" FROM \"t\"",
 params = {
   n = 0
 },
 description = {
   from = {
     table = "t"
   },
   cols = {
     {
       name = "region",
       expr = {
         params = {
           n = 0
         },
         sql = "\"region\""
       }
     },
     {
       name = "year",
       expr = {
         params = {
           n = 0
         },
         sql = "\"year\""
       }
     },
     {
       name = "value",
       expr = {
         params = {
           n = 0
         },
         sql = "convert_unit(\"value\", \"unit\", '万元')"
       }
     },
     {
       name = "unit",
       expr = {
         params = {
           n = 0
         },
         sql = "'万元'"
       }
     }
   }
 }},
{name = "progress",
 sql = "SELECT \"region\" AS \"region\", \"year\" AS \"year\", \"value\" AS \"value\", \"unit\" AS \"unit\", 100.0 * CASE WHEN typeof(\"value\") = 'text' THEN CAST(\"value\" AS NUMERIC) ELSE \"value\" END / nullif(CASE WHEN typeof(\"year\") = 'text' THEN CAST(\"year\" AS NUMERIC) ELSE \"year\" END, 0) AS \"progress\", max(\"year\" - \"value\", 0.0) AS \"remaining\" FROM \"t\"",
 params = {
   n = 0
 },
 description = {
   from = {
     table = "t"
   },
   cols = {
     {
       name = "region",
       expr = {
         params = {
           n = 0
         },
         sql = "\"region\""
       }
     },
     {
       name = "year",
       expr = {
         params = {
           n = 0
         },
         sql = "\"year\""
       }
     },
     {
       name = "value",
       expr = {
         params = {
           n = 0
         },
         sql = "\"value\""
       }
     },
     {
       name = "unit",
       expr = {
         params = {
           n = 0
         },
         sql = "\"unit\""
       }
     },
     {
       name = "progress",
       expr = {
         params = {
           n = 0
         },
         sql = "100.0 * CASE WHEN typeof(\"value\") = 'text' THEN CAST(\"value\" AS NUMERIC) ELSE \"value\" END / nullif(CASE WHEN typeof(\"year\") = 'text' THEN CAST(\"year\" AS NUMERIC) ELSE \"year\" END, 0)"
       }
     },
     {
       name = "remaining",
       expr = {
         params = {
           n = 0
         },
         sql = "max(\"year\" - \"value\", 0.0)"
       }
     }
   }
 }},
{name = "chain",
 sql = "SELECT \"region\" AS \"region\", \"year\" AS \"year\", \"value\" AS \"value\", \"unit\" AS \"unit\", 100.0 * product((\"value\" / 100.0)) OVER (PARTITION BY \"region\" ORDER BY \"year\" ROWS UNBOUNDED PRECEDING) AS \"index\" FROM \"t\"",
 params = {
   n = 0
 },
 description = {
   from = {
     table = "t"
   },
   cols = {
     {
       name = "region",
       expr = {
         params = {
           n = 0
         },
         sql = "\"region\""
       }
     },
     {
       name = "year",
       expr = {
         params = {
           n = 0
         },
         sql = "\"year\""
       }
     },
     {
       name = "value",
       expr = {
         params = {
           n = 0
         },
         sql = "\"value\""
       }
     },
     {
       name = "unit",
       expr = {
         params = {
           n = 0
         },
         sql = "\"unit\""
       }
     },
     {
       name = "index",
       expr = {
         params = {
           n = 0
         },
         sql = "100.0 * product((\"value\" / 100.0)) OVER (PARTITION BY \"region\" ORDER BY \"year\" ROWS UNBOUNDED PRECEDING)"
       }
     }
   }
 }},
{name = "deflate",
 sql = "SELECT \"region\" AS \"region\", \"year\" AS \"year\", \"value\" AS \"value\", \"unit\" AS \"unit\", \"real\" AS \"real\" FROM (SELECT \"region\" AS \"region\", \"year\" AS \"year\", \"value\" AS \"value\", \"unit\" AS \"unit\", \"zb_deflator\" AS \"zb_deflator\", \"value\" * 100.0 / \"zb_deflator\" AS \"real\" FROM (SELECT \"region\" AS \"region\", \"year\" AS \"year\", \"value\" AS \"value\", \"unit\" AS \"unit\", 100.0 * CASE WHEN typeof(\"zb_deflator\") = 'text' THEN CAST(\"zb_deflator\" AS NUMERIC) ELSE \"zb_deflator\" END / nullif(max(CASE WHEN \"year\" = 2020 THEN CASE WHEN typeof(\"zb_deflator\") = 'text' THEN CAST(\"zb_deflator\" AS NUMERIC) ELSE \"zb_deflator\" END END) OVER (PARTITION BY \"region\"), 0) AS \"zb_deflator\" FROM (SELECT \"region\" AS \"region\", \"year\" AS \"year\", \"value\" AS \"value\", \"unit\" AS \"unit\", \"value\" AS \"zb_deflator\" FROM \"t\")))",
 params = {
   n = 0
 },
 description = {
   from = {
     subquery = {
       from = {
         subquery = {
           from = {
             subquery = {
               from = {
                 table = "t"
               },
               cols = {
                 {
                   name = "region",
                   expr = {
                     params = {
                       n = 0
                     },
                     sql = "\"region\""
                   }
                 },
                 {
                   name = "year",
                   expr = {
                     params = {
                       n = 0
                     },
                     sql = "\"year\""
                   }
                 },
                 {
                   name = "value",
                   expr = {
                     params = {
                       n = 0
                     },
                     sql = "\"value\""
                   }
                 },
                 {
                   name = "unit",
                   expr = {
                     params = {
                       n = 0
                     },
                     sql = "\"unit\""
                   }
                 },
                 {
                   name = "zb_deflator",
                   expr = {
                     params = {
                       n = 0
                     },
                     sql = "\"value\""
                   }
                 }
               }
             }
           },
           cols = {
             {
               name = "region",
               expr = {
                 params = {
                   n = 0
                 },
                 sql = "\"region\""
               }
             },
             {
               name = "year",
               expr = {
                 params = {
                   n = 0
                 },
                 sql = "\"year\""
               }
             },
             {
               name = "value",
               expr = {
                 params = {
                   n = 0
                 },
                 sql = "\"value\""
               }
             },
             {
               name = "unit",
               expr = {
                 params = {
                   n = 0
                 },
                 sql = "\"unit\""
               }
             },
             {
               name = "zb_deflator",
               expr = {
                 params = {
                   n = 0
                 },
                 sql = "100.0 * CASE WHEN typeof(\"zb_deflator\") = 'text' THEN CAST(\"zb_deflator\" AS NUMERIC) ELSE \"zb_deflator\" END / nullif(max(CASE WHEN \"year\" = 2020 THEN CASE WHEN typeof(\"zb_deflator\") = 'text' THEN CAST(\"zb_deflator\" AS NUMERIC) ELSE \"zb_deflator\" END END) OVER (PARTITION BY \"region\"), 0)"
               }
             }
           }
         }
       },
       cols = {
         {
           name = "region",
           expr = {
             params = {
               n = 0
             },
             sql = "\"region\""
           }
         },
         {
           name = "year",
           expr = {
             params = {
               n = 0
             },
             sql = "\"year\""
           }
         },
         {
           name = "value",
           expr = {
             params = {
               n = 0
             },
             sql = "\"value\""
           }
         },
         {
           name = "unit",
           expr = {
             params = {
               n = 0
             },
             sql = "\"unit\""
           }
         },
         {
           name = "zb_deflator",
           expr = {
             params = {
               n = 0
             },
             sql = "\"zb_deflator\""
           }
         },
         {
           name = "real",
           expr = {
             params = {
               n = 0
             },
             sql = "\"value\" * 100.0 / \"zb_deflator\""
           }
         }
       }
     }
   },
   cols = {
     {
       name = "region",
       expr = {
         params = {
           n = 0
         },
         sql = "\"region\""
       }
     },
     {
       name = "year",
       expr = {
         params = {
           n = 0
         },
         sql = "\"year\""
       }
     },
     {
       name = "value",
       expr = {
         params = {
           n = 0
         },
         sql = "\"value\""
       }
     },
     {
       name = "unit",
       expr = {
         params = {
           n = 0
         },
         sql = "\"unit\""
       }
     },
     {
       name = "real",
       expr = {
         params = {
           n = 0
         },
         sql = "\"real\""
       }
     }
   }
 }},
{name = "deflate changes",
 sql = "SELECT \"region\" AS \"region\", \"year\" AS \"year\", \"value\" AS \"value\", \"unit\" AS \"unit\", \"c\" AS \"c\", \"real\" AS \"real\" FROM (SELECT \"region\" AS \"region\", \"year\" AS \"year\", \"value\" AS \"value\", \"unit\" AS \"unit\", \"c\" AS \"c\", \"zb_deflator\" AS \"zb_deflator\", \"value\" * 100.0 / \"zb_deflator\" AS \"real\" FROM (SELECT \"region\" AS \"region\", \"year\" AS \"year\", \"value\" AS \"value\", \"unit\" AS \"unit\", \"c\" AS \"c\", 100.0 * CASE WHEN typeof(\"zb_deflator\") = 'text' THEN CAST(\"zb_deflator\" AS NUMERIC) ELSE \"zb_deflator\" END / nullif(max(CASE WHEN \"year\" = 2020 THEN CASE WHEN typeof(\"zb_deflator\") = 'text' THEN CAST(\"zb_deflator\" AS NUMERIC) ELSE \"zb_deflator\" END END) OVER (PARTITION BY \"region\"), 0) AS \"zb_deflator\" FROM (SELECT \"region\" AS \"region\", \"year\" AS \"year\", \"value\" AS \"value\", \"unit\" AS \"unit\", \"c\" AS \"c\", 100.0 * product((1 + CASE WHEN typeof(\"c\") = 'text' THEN CAST(\"c\" AS NUMERIC) ELSE \"c\" END / 100.0)) OVER (PARTITION BY \"region\" ORDER BY \"year\" ROWS UNBOUNDED PRECEDING) AS \"zb_deflator\" FROM (SELECT \"region\" AS \"region\", \"year\" AS \"year\", \"value\" AS \"value\", \"unit\" AS \"unit\", value / 100.0 AS \"c\" FROM \"t\"))))",
 params = {
   n = 0
 },
 description = {
   from = {
     subquery = {
       from = {
         subquery = {
           from = {
             subquery = {
               from = {
                 subquery = {
                   from = {
                     table = "t"
                   },
                   cols = {
                     {
                       name = "region",
                       expr = {
                         params = {
                           n = 0
                         },
                         sql = "\"region\""
                       }
                     },
                     {
                       name = "year",
                       expr = {
                         params = {
                           n = 0
                         },
                         sql = "\"year\""
                       }
                     },
                     {
                       name = "value",
                       expr = {
                         params = {
                           n = 0
                         },
                         sql = "\"value\""
                       }
                     },
                     {
                       name = "unit",
                       expr = {
                         params = {
                           n = 0
                         },
                         sql = "\"unit\""
                       }
                     },
                     {
                       name = "c",
                       expr = {
                         params = {
                           n = 0
                         },
                         sql = "value / 100.0"
                       }
                     }
                   }
                 }
               },
               cols = {
                 {
                   name = "region",
                   expr = {
                     params = {
                       n = 0
                     },
                     sql = "\"region\""
                   }
                 },
                 {
                   name = "year",
                   expr = {
                     params = {
                       n = 0
                     },
                     sql = "\"year\""
                   }
                 },
                 {
                   name = "value",
                   expr = {
                     params = {
                       n = 0
                     },
                     sql = "\"value\""
                   }
                 },
                 {
                   name = "unit",
                   expr = {
                     params = {
                       n = 0
                     },
                     sql = "\"unit\""
                   }
                 },
                 {
                   name = "c",
                   expr = {
                     params = {
                       n = 0
                     },
                     sql = "\"c\""
                   }
                 },
                 {
                   name = "zb_deflator",
                   expr = {
                     params = {
                       n = 0
                     },
                     sql = "100.0 * product((1 + CASE WHEN typeof(\"c\") = 'text' THEN CAST(\"c\" AS NUMERIC) ELSE \"c\" END / 100.0)) OVER (PARTITION BY \"region\" ORDER BY \"year\" ROWS UNBOUNDED PRECEDING)"
                   }
                 }
               }
             }
           },
           cols = {
             {
               name = "region",
               expr = {
                 params = {
                   n = 0
                 },
                 sql = "\"region\""
               }
             },
             {
               name = "year",
               expr = {
                 params = {
                   n = 0
                 },
                 sql = "\"year\""
               }
             },
             {
               name = "value",
               expr = {
                 params = {
                   n = 0
                 },
                 sql = "\"value\""
               }
             },
             {
               name = "unit",
               expr = {
                 params = {
                   n = 0
                 },
                 sql = "\"unit\""
               }
             },
             {
               name = "c",
               expr = {
                 params = {
                   n = 0
                 },
                 sql = "\"c\""
               }
             },
             {
               name = "zb_deflator",
               expr = {
                 params = {
                   n = 0
                 },
                 sql = "100.0 * CASE WHEN typeof(\"zb_deflator\") = 'text' THEN CAST(\"zb_deflator\" AS NUMERIC) ELSE \"zb_deflator\" END / nullif(max(CASE WHEN \"year\" = 2020 THEN CASE WHEN typeof(\"zb_deflator\") = 'text' THEN CAST(\"zb_deflator\" AS NUMERIC) ELSE \"zb_deflator\" END END) OVER (PARTITION BY \"region\"), 0)"
               }
             }
           }
         }
       },
       cols = {
         {
           name = "region",
           expr = {
             params = {
               n = 0
             },
             sql = "\"region\""
           }
         },
         {
           name = "year",
           expr = {
             params = {
               n = 0
             },
             sql = "\"year\""
           }
         },
         {
           name = "value",
           expr = {
             params = {
               n = 0
             },
             sql = "\"value\""
           }
         },
         {
           name = "unit",
           expr = {
             params = {
               n = 0
             },
             sql = "\"unit\""
           }
         },
         {
           name = "c",
           expr = {
             params = {
               n = 0
             },
             sql = "\"c\""
           }
         },
         {
           name = "zb_deflator",
           expr = {
             params = {
               n = 0
             },
             sql = "\"zb_deflator\""
           }
         },
         {
           name = "real",
           expr = {
             params = {
               n = 0
             },
             sql = "\"value\" * 100.0 / \"zb_deflator\""
           }
         }
       }
     }
   },
   cols = {
     {
       name = "region",
       expr = {
         params = {
           n = 0
         },
         sql = "\"region\""
       }
     },
     {
       name = "year",
       expr = {
         params = {
           n = 0
         },
         sql = "\"year\""
       }
     },
     {
       name = "value",
       expr = {
         params = {
           n = 0
         },
         sql = "\"value\""
       }
     },
     {
       name = "unit",
       expr = {
         params = {
           n = 0
         },
         sql = "\"unit\""
       }
     },
     {
       name = "c",
       expr = {
         params = {
           n = 0
         },
         sql = "\"c\""
       }
     },
     {
       name = "real",
       expr = {
         params = {
           n = 0
         },
         sql = "\"real\""
       }
     }
   }
 }},
{name = "from_ytd",
 sql = "SELECT CASE WHEN lag(period_position(\"month\")) OVER (PARTITION BY period_year(\"month\") ORDER BY period_position(\"month\")) IS NULL AND period_position(\"month\") = 2 THEN printf('%d-01~%02d', period_year(\"month\"), period_position(\"month\")) ELSE printf('%d-%02d', period_year(\"month\"), period_position(\"month\")) END AS \"month\", CASE WHEN lag(period_position(\"month\")) OVER (PARTITION BY period_year(\"month\") ORDER BY period_position(\"month\")) IS NULL THEN \"value\" ELSE \"value\" - lag(\"value\") OVER (PARTITION BY period_year(\"month\") ORDER BY period_position(\"month\")) END AS \"value\" FROM \"m\"",
 params = {
   n = 0
 },
 description = {
   from = {
     table = "m"
   },
   cols = {
     {
       name = "month",
       expr = {
         params = {
           n = 0
         },
         sql = "CASE WHEN lag(period_position(\"month\")) OVER (PARTITION BY period_year(\"month\") ORDER BY period_position(\"month\")) IS NULL AND period_position(\"month\") = 2 THEN printf('%d-01~%02d', period_year(\"month\"), period_position(\"month\")) ELSE printf('%d-%02d', period_year(\"month\"), period_position(\"month\")) END"
       }
     },
     {
       name = "value",
       expr = {
         params = {
           n = 0
         },
         sql = "CASE WHEN lag(period_position(\"month\")) OVER (PARTITION BY period_year(\"month\") ORDER BY period_position(\"month\")) IS NULL THEN \"value\" ELSE \"value\" - lag(\"value\") OVER (PARTITION BY period_year(\"month\") ORDER BY period_position(\"month\")) END"
       }
     }
   }
 }},
{name = "to_ytd",
 sql = "SELECT CASE WHEN period_position(\"month\") = 1 THEN printf('%d-%02d', period_year(\"month\"), period_position(\"month\")) ELSE printf('%d-01~%02d', period_year(\"month\"), period_position(\"month\")) END AS \"month\", CASE WHEN count(\"value\") OVER (PARTITION BY period_year(\"month\") ORDER BY period_position(\"month\") ROWS UNBOUNDED PRECEDING) = count(*) OVER (PARTITION BY period_year(\"month\") ORDER BY period_position(\"month\") ROWS UNBOUNDED PRECEDING) THEN sum(\"value\") OVER (PARTITION BY period_year(\"month\") ORDER BY period_position(\"month\") ROWS UNBOUNDED PRECEDING) END AS \"value\" FROM \"m\"",
 params = {
   n = 0
 },
 description = {
   from = {
     table = "m"
   },
   cols = {
     {
       name = "month",
       expr = {
         params = {
           n = 0
         },
         sql = "CASE WHEN period_position(\"month\") = 1 THEN printf('%d-%02d', period_year(\"month\"), period_position(\"month\")) ELSE printf('%d-01~%02d', period_year(\"month\"), period_position(\"month\")) END"
       }
     },
     {
       name = "value",
       expr = {
         params = {
           n = 0
         },
         sql = "CASE WHEN count(\"value\") OVER (PARTITION BY period_year(\"month\") ORDER BY period_position(\"month\") ROWS UNBOUNDED PRECEDING) = count(*) OVER (PARTITION BY period_year(\"month\") ORDER BY period_position(\"month\") ROWS UNBOUNDED PRECEDING) THEN sum(\"value\") OVER (PARTITION BY period_year(\"month\") ORDER BY period_position(\"month\") ROWS UNBOUNDED PRECEDING) END"
       }
     }
   }
 }},
{name = "resample",
 sql = "SELECT period_year(\"month\") AS \"month\", CASE WHEN sum(CASE WHEN \"value\" IS NOT NULL THEN CASE WHEN instr(period(\"month\"), '~') > 0 THEN period_position(\"month\") ELSE 1 END END) = 12 THEN sum(\"value\") END AS \"value\" FROM \"m\" GROUP BY period_year(\"month\")",
 params = {
   n = 0
 },
 description = {
   from = {
     table = "m"
   },
   group = {
     {
       params = {
         n = 0
       },
       sql = "period_year(\"month\")"
     }
   },
   cols = {
     {
       name = "month",
       expr = {
         params = {
           n = 0
         },
         sql = "period_year(\"month\")"
       }
     },
     {
       name = "value",
       expr = {
         params = {
           n = 0
         },
         sql = "CASE WHEN sum(CASE WHEN \"value\" IS NOT NULL THEN CASE WHEN instr(period(\"month\"), '~') > 0 THEN period_position(\"month\") ELSE 1 END END) = 12 THEN sum(\"value\") END"
       }
     }
   }
 }},
{name = "revisions",
 sql = "SELECT \"region\" AS \"region\", \"year\" AS \"year\", \"earlier\" AS \"earlier\", \"later\" AS \"later\", later - earlier AS \"revision\", growth(later, earlier) AS \"revision_pct\", CASE WHEN zb_in_earlier IS NULL THEN 'only later' WHEN zb_in_later IS NULL THEN 'only earlier' WHEN earlier IS later THEN 'unchanged' WHEN earlier IS NULL THEN 'filled' WHEN later IS NULL THEN 'withdrawn' ELSE 'revised' END AS \"status\" FROM (SELECT coalesce(l.\"region\", r.\"region\") AS \"region\", coalesce(l.\"year\", r.\"year\") AS \"year\", l.\"earlier\" AS \"earlier\", l.\"zb_in_earlier\" AS \"zb_in_earlier\", r.\"later\" AS \"later\", r.\"zb_in_later\" AS \"zb_in_later\" FROM (SELECT \"region\" AS \"region\", \"year\" AS \"year\", \"value\" AS \"earlier\", 1 AS \"zb_in_earlier\" FROM \"t\") AS l FULL JOIN (SELECT \"region\" AS \"region\", \"year\" AS \"year\", \"value\" AS \"later\", 1 AS \"zb_in_later\" FROM \"t\" WHERE (\"year\" = ?)) AS r ON l.\"region\" = r.\"region\" AND l.\"year\" = r.\"year\")",
 params = {
   2021,
   n = 1
 },
 description = {
   from = {
     subquery = {
       from = {
         params = {
           2021,
           n = 1
         },
         sql = "(SELECT \"region\" AS \"region\", \"year\" AS \"year\", \"value\" AS \"earlier\", 1 AS \"zb_in_earlier\" FROM \"t\") AS l FULL JOIN (SELECT \"region\" AS \"region\", \"year\" AS \"year\", \"value\" AS \"later\", 1 AS \"zb_in_later\" FROM \"t\" WHERE (\"year\" = \0)) AS r ON l.\"region\" = r.\"region\" AND l.\"year\" = r.\"year\""
       },
       cols = {
         {
           name = "region",
           expr = {
             params = {
               n = 0
             },
             sql = "coalesce(l.\"region\", r.\"region\")"
           }
         },
         {
           name = "year",
           expr = {
             params = {
               n = 0
             },
             sql = "coalesce(l.\"year\", r.\"year\")"
           }
         },
         {
           name = "earlier",
           expr = {
             params = {
               n = 0
             },
             sql = "l.\"earlier\""
           }
         },
         {
           name = "zb_in_earlier",
           expr = {
             params = {
               n = 0
             },
             sql = "l.\"zb_in_earlier\""
           }
         },
         {
           name = "later",
           expr = {
             params = {
               n = 0
             },
             sql = "r.\"later\""
           }
         },
         {
           name = "zb_in_later",
           expr = {
             params = {
               n = 0
             },
             sql = "r.\"zb_in_later\""
           }
         }
       }
     }
   },
   cols = {
     {
       name = "region",
       expr = {
         params = {
           n = 0
         },
         sql = "\"region\""
       }
     },
     {
       name = "year",
       expr = {
         params = {
           n = 0
         },
         sql = "\"year\""
       }
     },
     {
       name = "earlier",
       expr = {
         params = {
           n = 0
         },
         sql = "\"earlier\""
       }
     },
     {
       name = "later",
       expr = {
         params = {
           n = 0
         },
         sql = "\"later\""
       }
     },
     {
       name = "revision",
       expr = {
         params = {
           n = 0
         },
         sql = "later - earlier"
       }
     },
     {
       name = "revision_pct",
       expr = {
         params = {
           n = 0
         },
         sql = "growth(later, earlier)"
       }
     },
     {
       name = "status",
       expr = {
         params = {
           n = 0
         },
         sql = "CASE WHEN zb_in_earlier IS NULL THEN 'only later' WHEN zb_in_later IS NULL THEN 'only earlier' WHEN earlier IS later THEN 'unchanged' WHEN earlier IS NULL THEN 'filled' WHEN later IS NULL THEN 'withdrawn' ELSE 'revised' END"
       }
     }
   }
 }},
{name = "save",
 sql = "SELECT * FROM \"saved\"",
 params = {
   n = 0
 },
 description = {
   from = {
     table = "saved"
   }
 }}
}
