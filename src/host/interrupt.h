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
/* Whether a stop (Ctrl-C, the timeout) is waiting to be taken: for long
** loops in C that no Lua hook reaches. */
int interrupt_pending(void);
/* What stopped work since the last call (0: nothing, INTERRUPT_SIGINT or
** INTERRUPT_TIMEOUT); clears it and disarms the hook. */
enum { INTERRUPT_SIGINT = 1, INTERRUPT_TIMEOUT };
int interrupt_take(lua_State *L);

/* Stop the work in seconds from now as Ctrl-C twice would (pcall cannot
** catch it); 0 disarms.  The error is ZB_TIMED_OUT. */
void interrupt_arm(double seconds);
/* After interrupt_unwatch, while the state closes: if its finalizers run
** past seconds, the process exits (status 124), touching no state. */
void interrupt_arm_closing(double seconds);
/* The seconds left before the armed stop, 0 when none is armed. */
double interrupt_left(void);
/* Whether msg is the error value of a stop (an interrupt or a timeout). */
int interrupt_is_stop(const char *msg);
/* The error value for a stop that SQLite reported (SQLITE_INTERRUPT). */
const char *interrupt_message(void);

#endif
