/*
** db.h: the SQLite bridge: database handles, statements, zb.sql.
*/
#ifndef ZB_DB_H
#define ZB_DB_H

#include <sqlite3.h>
#include "lua.h"

/* Open the database at path (NULL: in memory), guarded (safety_guard), with
** zb's SQL functions, and push its zb.Database handle; raises on failure. */
void db_push_open(lua_State *L, const char *path);

/* The SQLite handle of the zb.Database at idx (NULL when closed). */
sqlite3 *db_handle(lua_State *L, int idx);

/* The session database lives at path (NULL: in memory); it opens on first use. */
void db_set_session(lua_State *L, const char *path);

/* Push the session database, opening it (and letting Ctrl-C interrupt it)
** on first use; raises if it cannot be opened. */
void db_push_session(lua_State *L);

/* Prepare sql on the database at db_idx, push its statement box (marked
** to-be-closed: it is finalized however the caller ends) and return the
** statement; raises with SQLite's message and the SQL. */
sqlite3_stmt *db_push_prepared(lua_State *L, int db_idx, const char *sql);

/* Run sql, which returns no rows, on the database at db_idx; raises on error. */
void db_exec(lua_State *L, int db_idx, const char *sql);

/* Open a savepoint on the database at db_idx and push its guard (marked
** to-be-closed): unless db_release_savepoint keeps the change, closing the
** guard (on an error, say) rolls it all back. */
void db_push_savepoint(lua_State *L, int db_idx);
void db_release_savepoint(lua_State *L, int guard_idx);

/* Add rows and columns, the queries tables compile to, to the table on top. */
void db_add_core(lua_State *L);

/* Register the zb.Database, zb.Statement and zb.Savepoint metatables. */
void db_open_library(lua_State *L);

#endif
