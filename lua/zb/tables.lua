-- zb.tables(): the tables and views of the session (and of attached files), as a table.
return require("zb.table").tables
