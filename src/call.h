/*
** call.h: Lua functions called by SQLite (a where() predicate, a mutate()
** function, a metric).  The call is protected: a Lua error becomes the
** query's error, never a longjmp across SQLite's frames.
*/
#ifndef ZB_CALL_H
#define ZB_CALL_H

#include <sqlite3.h>
#include "lua.h"

/* A session's Lua functions in SQL: their tables, and which thread steps. */
typedef struct call_state call_state;

/* L's session's call_state, made on first use (raises only then, out of
** memory) and owned by L's registry: it outlives every connection made
** after it. */
call_state *call_state_of(lua_State *L);

/* Around each sqlite3_step: the Lua thread that runs the query is the one
** SQL functions call back into.  call_enter keeps the previous one in the
** frame for call_leave, so queries nest.  A metric may leave values on
** L's stack above the top at call_enter, which call_leave takes off. */
typedef struct call_frame {
  lua_State *previous;
  int previous_slot, previous_ref, top;
} call_frame;
void call_enter(call_state *c, lua_State *L, call_frame *frame);
void call_leave(call_state *c, lua_State *L, const call_frame *frame);

/* While SQLite may drop Lua functions (creating one over another, closing
** a database), the state that holds their references; NULL after. */
void call_api(call_state *c, lua_State *L);

/* Create zb's SQL functions on db, for c's session: zb_lua(id, ...) calls
** function id. */
int call_register_sql(sqlite3 *db, call_state *c);

/* zb.core.register(fn, label [, names [, test]]): keep fn for SQL to call
** as zb_lua(id, ...), while the returned entry lives; returns id, entry.
** With names (a column names table), fn gets its arguments as one zb.Row;
** with test, its result counts as Lua counts truth (0 and "" are true). */
int call_l_register(lua_State *L);

/* zb.core.register_aggregate(label, init, step, final [, inverse]): the
** same for an aggregate; init is the first state (a function: called for
** a fresh one each group), step(state, ...) returns the next state (nil:
** the same), final(state) the result, inverse(state, ...) takes rows out. */
int call_l_register_aggregate(lua_State *L);

/* Make name an SQL function on db that calls entry id (a metric); with
** deterministic, SQLite may use it in indexes.  Raises if it cannot (a
** query runs: SQLite will not replace a function then). */
void call_create_function(lua_State *L, sqlite3 *db, const char *name, lua_Integer id, int deterministic);

/* The same for an aggregate (an entry of call_l_register_aggregate); with
** window, also a window function (the entry has inverse). */
void call_create_aggregate(lua_State *L, sqlite3 *db, const char *name, lua_Integer id, int window);

#endif
