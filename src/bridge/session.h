/*
** session.h: the session database.  Its file is named at start (-d); it
** opens on first use (db_push_session, in db.h), and the analysis library
** (lua/zb/analysis/library.lua) is defined on it as one step, after which every
** file open on it is checked against all of zb's functions at once.  A
** function a script defines later is checked alone as it is made.
*/
#ifndef ZB_SESSION_H
#define ZB_SESSION_H

#include <sqlite3.h>
#include "lua.h"

/* The session database lives at path (NULL: in memory); it opens on first use. */
void session_set_file(lua_State *L, const char *path);

/* The session database's handle, to define the SQL function name on
** (opened first if need be): raises if it is closed, or if a file open on
** it calls name from its schema.  While the library is defined, that
** check waits for the one over all its functions. */
sqlite3 *session_handle_to_define(lua_State *L, const char *name);

#endif
