/*
** interrupt.h: Ctrl-C (SIGINT) stops the running Lua code and SQL, never the session.
** The signal handler only arms a Lua hook and calls sqlite3_interrupt (as lua.c does);
** the Lua state is never touched from the handler otherwise.  A second
** SIGINT before the first is taken stops even code that catches errors.
*/
#ifndef ZB_INTERRUPT_H
#define ZB_INTERRUPT_H

#include <sqlite3.h>
#include "lua.h"

/* Route SIGINT to stop work in L (the main state). */
void interrupt_watch(lua_State *L);
/* Replace coroutine.resume and coroutine.wrap so that SIGINT also stops
** code running inside a coroutine (hooks are per thread). */
void interrupt_track_coroutines(lua_State *L);
/* Let SIGINT also interrupt the SQL running on db. */
void interrupt_watch_db(sqlite3 *db);
/* Restore the default SIGINT action (before the state closes). */
void interrupt_unwatch(void);
/* Forget db if it is the watched handle (it is being closed). */
void interrupt_forget_db(sqlite3 *db);
/* While idle (waiting at the prompt), SIGINT only records itself. */
void interrupt_set_idle(int idle);
/* Whether a SIGINT arrived since the last call; clears it and disarms the hook. */
int interrupt_take(lua_State *L);

#endif
