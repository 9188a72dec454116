/*
** postgresql.h: a PostgreSQL server as the session's engine, through libpq
** opened at the first connection (lua/zb/engine/postgresql.lua drives it).
*/
#ifndef ZB_POSTGRESQL_H
#define ZB_POSTGRESQL_H

#include "lua.h"

/* Open libpq (once); NULL, or why it cannot be.  A safe session opens it
** before the kernel's sandbox closes the library's file. */
const char *postgresql_open_library(void);

/* zb.core.pg_connect(conninfo): a zb.PostgreSQL connection, or raises. */
int postgresql_l_connect(lua_State *L);

/* zb.core.pg_conninfo(conninfo): libpq's reading of a connection string,
** {keyword, value, secret} each, or nil and why it cannot read it; raises
** only when libpq cannot be opened. */
int postgresql_l_conninfo(lua_State *L);

/* From now on no connection is opened (a safe session's script runs
** next; the one given with -d stays). */
void postgresql_close_to_scripts(void);

/* Ask the server to cancel the session connection's running query; safe
** in a signal handler (Ctrl-C). */
void postgresql_cancel_from_signal(void);

#endif
