-- The options of t:to_csv and the other exports, by mode (zb.host.options'
-- kinds), apart from the writers so that a table's methods are defined
-- without loading them:
--   bom        a UTF-8 byte order mark first (for Excel)
--   encoding   "utf-8" (the default) or "gb18030" (GBK's superset)
--   formatted  the numbers of columns with a format (t:format) as shown
--   caption, notes  lines under a markdown table
--   figure     a chart's file (chart:save) shown above a markdown table
local text_options = {bom = "boolean", encoding = "string", formatted = "boolean"}
return {csv = text_options, tsv = text_options, json = {formatted = "boolean"},
  markdown = {bom = "boolean", encoding = "string", caption = "string", notes = "string|table", figure = "string"}}
