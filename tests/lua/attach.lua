-- zb.attach: an existing SQLite file beside the session, read-only unless asked.
local T = require("check")
local dir = T.tmpdir()
local path = dir .. "/indicators.db"
local r = T.run("-d " .. T.shell_quote(path) .. " -e " .. T.shell_quote(
  "zb.sql(\"create table obs(region, value)\") zb.sql(\"insert into obs values ('杭州', 18109)\")"))
T.eq(r.code, 0, "a database file made by zb -d")
T.eq(zb.attach(path), "indicators", "attached under the file's name")
T.eq(zb.sql("select value from indicators.obs where region = '杭州'")[1].value, 18109, "its tables are read")
T.fails(function() zb.sql("insert into indicators.obs values ('宁波', 14595)") end,
        "attempt to write a readonly database", "read-only by default")
T.eq(zb.attach(path, "rw", {write = true}), "rw", "a name and write = true")
zb.sql("insert into rw.obs values ('宁波', 14595)")
T.eq(#zb.sql("select * from rw.obs"), 2, "write = true writes")
T.fails(function() zb.attach(path, 5) end, "bad argument #2 to 'attach' (a name expected)", "a name that is not a string")
T.fails(function() zb.attach(dir .. "/none.db") end, "cannot open " .. dir .. "/none.db", "a missing file")
T.write(dir .. "/text.db", ("not a database, only text; "):rep(20))
T.fails(function() zb.attach(dir .. "/text.db") end, "cannot attach " .. dir .. "/text.db: file is not a database",
        "a file that is not a database")
T.eq(#zb.sql("select * from pragma_database_list where name = 'text'"), 0, "... is not left attached")
T.cleanup()
T.done()
