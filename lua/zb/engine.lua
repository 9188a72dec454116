-- zb.engine: the session database's engine (zb.engine.sqlite today): what
-- zb's tables compile to (engine.dialect) and run through.
return require("zb.engine.sqlite")
