/*
** db.h: the SQLite bridge: database handles, statements, zb.sql.
*/
#ifndef ZB_DB_H
#define ZB_DB_H

#include <sqlite3.h>
#include "lua.h"

/* Open the database at path (NULL: in memory), hardened for untrusted files,
** and push its zb.Database handle; raises on failure. */
void db_push_open(lua_State *L, const char *path);

/* The SQLite handle of the zb.Database at idx (NULL when closed). */
sqlite3 *db_handle(lua_State *L, int idx);

/* The session database lives at path (NULL: in memory); it opens on first use. */
void db_set_session(lua_State *L, const char *path);

/* Push the session database, opening it (and letting Ctrl-C interrupt it)
** on first use; raises if it cannot be opened. */
void db_push_session(lua_State *L);

/* zb.sql(query, ...): run SQL on the session database. */
int db_session_sql(lua_State *L);

/* Register the zb.Database and zb.Statement metatables. */
void db_open_library(lua_State *L);

#endif
