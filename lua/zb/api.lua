-- zb.api: zb's public names, zb.NAME, and the module (with the field of
-- it) each stands for.  zb loads one when a name is first used (src/host/host.c);
-- a name not here is a module's of the user's, "zb.NAME" on ZB_PATH.
--
-- The modules are grouped by concern:
--   host/         the Lua side of the host: errors, options, names, --safe
--   engine/       where tables become SQL and run: compiler, dialects, engines
--   relation/     zb.Table and its methods, zb.sql, the catalog
--   loaders/      files and datasets into tables
--   analysis/     metrics, aggregates, statistics, indicators, units, periods
--   present/      tables and values as text
--   interactive/  the REPL and help
return {
  -- tables and SQL
  table = "zb.relation.table",
  tables = {"zb.relation.table", "tables"},
  sql = "zb.relation.sql",
  catalog = "zb.relation.catalog",
  engine = "zb.engine.sqlite",  -- the session's engine (zb.connect: a PostgreSQL server)
  connect = {"zb.engine.postgresql", "connect"},
  install = {"zb.engine.postgresql_library", "install"},
  -- loading
  read_csv = "zb.loaders.read_csv",
  read_json = "zb.loaders.read_json",
  read_xlsx = {"zb.loaders.read_xlsx", "read_xlsx"},
  xlsx_sheets = {"zb.loaders.read_xlsx", "sheets"},
  read_sdmx = "zb.loaders.read_sdmx",
  read_jsonstat = "zb.loaders.read_jsonstat",
  read_worldbank = "zb.loaders.read_worldbank",
  read_nbs = "zb.loaders.read_nbs",
  datasets = "zb.loaders.datasets",
  dataset = {"zb.loaders.datasets", "load"},
  attach = "zb.loaders.attach",
  -- analysis
  metric = "zb.analysis.metric",
  aggregate = "zb.analysis.aggregate",
  metrics = "zb.analysis.metrics",
  library = "zb.analysis.library",
  stats = "zb.analysis.stats",
  arrays = "zb.analysis.arrays",
  numbers = "zb.analysis.numbers",
  indicators = "zb.analysis.indicators",
  units = "zb.analysis.units",
  period = "zb.analysis.period",
  regions = "zb.analysis.regions",
  composite = "zb.analysis.composite",
  framework = {"zb.analysis.composite", "framework"},
  ahp = {"zb.analysis.composite", "ahp"},
  -- presenting
  render = "zb.present.render",
  mode = {"zb.present.render", "mode"},
  precision = {"zb.present.render", "precision"},
  pretty = "zb.present.pretty",
  spark = "zb.present.spark",
  chart = "zb.present.chart",
  to_xlsx = {"zb.present.xlsx", "to_xlsx"},
  -- the session
  repl = "zb.interactive.repl",
  help = "zb.interactive.help",
  errors = "zb.host.errors",
  options = "zb.host.options",
  names = "zb.host.names",
  safe = "zb.host.safe",
}
