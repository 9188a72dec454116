-- zb.sql(query, ...): a query (SELECT, WITH, VALUES) gives a zb.Table, run
-- when its rows are needed; other statements (several, separated by ';'),
-- and a WITH that changes data (PostgreSQL's), run at once and return what
-- zb.db:sql returns.  Parameters: ?, ?N, or
-- :name, @name, $name from one table of values.
local Table = require("zb.relation.table")
local errors = require("zb.host.errors")
errors.own()

local queries = {select = true, with = true, values = true}

-- through C: a tail call to it keeps the user's line (zb.core.keep_caller)
return require("zb.core").keep_caller(function(query, ...)
  if type(query) ~= "string" then
    errors.raise("bad argument #1 to 'sql' (SQL text expected, got " .. type(query) .. ")")
  end
  local word, writes = require("zb.engine.compiler").statement(query)
  if queries[word] and not writes then
    -- checked as the engine will run it: its parameters in the engine's own form ($1 on a server)
    local bound = require("zb.engine.compiler").bind("sql", query, table.pack(...), zb.table.is_table,
                                                                zb.engine.dialect)
    -- a server's failure before the query (the connection lost) at the caller's line
    local columns, readonly, more = errors.guarded(zb.engine.check, bound and zb.engine.dialect.text(bound) or query,
                                                   bound and bound.params)
    if columns and #columns > 0 and readonly and not more then
      return Table.query(query, table.pack(...))
    end
  end
  local result = table.pack(pcall(zb.engine.exec, query, ...))
  if not result[1] then  -- at the caller's line, as SQL errors from table methods are
    local problem = result[2]
    if not errors.is_plain(problem) then error(problem, 0) end
    errors.raise(problem)
  end
  return table.unpack(result, 2, result.n)
end)
