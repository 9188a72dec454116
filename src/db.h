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

/* Push zb.sql: a closure over the zb.Database at idx. */
void db_push_session_sql(lua_State *L, int idx);

/* Register the zb.Database and zb.Statement metatables. */
void db_open_library(lua_State *L);

#endif
