/*
** sqlfn.h: SQL functions written in Lua, which SQLite calls (a where()
** predicate, a mutate() function, a metric, an aggregate).  The call is
** protected: a Lua error becomes the query's error, never a longjmp
** across SQLite's frames.
*/
#ifndef ZB_SQLFN_H
#define ZB_SQLFN_H

#include <sqlite3.h>
#include "lua.h"

/* A session's Lua functions in SQL: their tables, and which thread steps. */
typedef struct sqlfn_state sqlfn_state;

/* L's session's sqlfn_state, made on first use (raises only then, out of
** memory) and owned by L's registry: it outlives every connection made
** after it. */
sqlfn_state *sqlfn_state_of(lua_State *L);

/* Around each sqlite3_step: the Lua thread that runs the query is the one
** SQL functions call back into.  sqlfn_enter_step keeps the previous one
** in the frame for sqlfn_leave_step, so queries nest.  A metric may leave
** values on L's stack above the top at sqlfn_enter_step, which
** sqlfn_leave_step takes off. */
typedef struct sqlfn_frame {
  lua_State *previous;
  int previous_slot, previous_ref, top;
} sqlfn_frame;
void sqlfn_enter_step(sqlfn_state *c, lua_State *L, sqlfn_frame *frame);
void sqlfn_leave_step(sqlfn_state *c, lua_State *L, const sqlfn_frame *frame);

/* SQLite drops a metric with only its own data at hand (when one is made
** over it, or its database closes): around such calls, L is the thread
** through which the metric's function is released; NULL after, when a
** drop keeps it (nothing may touch Lua then). */
void sqlfn_release_through(sqlfn_state *c, lua_State *L);

/* Create zb's SQL functions on db, for c's session: zb_lua(id, ...) calls
** function id. */
int sqlfn_register(sqlite3 *db, sqlfn_state *c);

/* zb.core.register(fn, label [, names [, test]]): keep fn for SQL to call
** as zb_lua(id, ...), while the returned entry lives; returns id, entry.
** With names (a column names table), fn gets its arguments as one zb.Row;
** with test, its result counts as Lua counts truth (0 and "" are true). */
int sqlfn_l_register(lua_State *L);

/* zb.core.register_aggregate(label, init, step, final [, inverse]): the
** same for an aggregate; init is the first state (a function: called for
** a fresh one each group), step(state, ...) returns the next state (nil:
** the same), final(state) the result, inverse(state, ...) takes rows out. */
int sqlfn_l_register_aggregate(lua_State *L);

/* Make name an SQL function on db that calls entry id (a metric); with
** deterministic, SQLite may use it in indexes.  Raises if it cannot (a
** query runs: SQLite will not replace a function then). */
void sqlfn_create_function(lua_State *L, sqlite3 *db, const char *name, lua_Integer id, int deterministic);

/* The same for an aggregate (an entry of sqlfn_l_register_aggregate); with
** window, also a window function (the entry has inverse). */
void sqlfn_create_aggregate(lua_State *L, sqlite3 *db, const char *name, lua_Integer id, int window);

#endif
