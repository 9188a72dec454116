/*
** sqlfn.c: SQL functions written in Lua: a where() predicate or mutate()
** function (zb_lua(id, ...)), a metric (a named SQL function) and an
** aggregate (named, also a window function when it can take rows back out).
**
** Each function is an entry in a weak table, kept alive by the table or
** metric that made it.  SQLite calls it on the thread that is stepping the
** query; the call is protected, so a Lua error becomes the query's error,
** prefixed with the function's label, and never a longjmp across SQLite's
** frames.  An aggregate's state lives in a table keyed by its SQLite
** aggregate context.  These tables, and which thread steps, are the
** session's: its sqlfn_state.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua.h"
#include "lauxlib.h"

#include "interrupt.h"
#include "row.h"
#include "sqlfn.h"
#include "value.h"
#include "zb.h"

/* An entry's fields. */
enum { ENTRY_FN = 1, ENTRY_LABEL, ENTRY_NAMES, ENTRY_TEST, ENTRY_INIT, ENTRY_FINAL, ENTRY_INVERSE };

/* What SQLite asks of an entry. */
enum { CALL_SCALAR, CALL_STEP, CALL_INVERSE, CALL_VALUE, CALL_FINAL };

/*
** A session's Lua functions in SQL: a userdata in the registry, made
** before its first connection (so its finalizer runs after theirs), that
** SQLite's callbacks reach through their user data and db.c through each
** connection.
**
** Metrics' functions are in a table of their own by a dense number
** (fn_ref), so the lookup is an array index.  On a step's first metric
** call the table goes onto the stepping thread's stack at metrics_slot (0:
** not yet), with the function of metric cached_ref in the slot above it (a
** query mostly calls one); sqlfn_leave_step takes both off.  No function
** can be replaced while a query steps (SQLite refuses), so the cache holds
** for the step.
*/
struct sqlfn_state {
  lua_State *stepping;   /* the thread stepping the current query, NULL between queries */
  int functions_ref;     /* registry: id -> entry, weak values */
  int states_ref;        /* registry: aggregate context -> its group's state */
  int metrics_ref;       /* registry: fn_ref -> a metric's function */
  int metrics_slot, cached_ref;
  lua_Integer last_id;   /* the newest entry's id */
  lua_State *releasing;  /* sqlfn_release_through's: set while SQLite may drop metrics */
  /* Aggregate contexts SQLite finished while no Lua thread was stepping (a
  ** query reset or finalized half way): their states are dropped at the
  ** next sqlfn_enter_step, before any step could reuse the address. */
  void **finished;
  size_t nfinished, finished_cap;
  int closed;            /* its finalizer ran: finished contexts are no longer kept */
};

typedef struct invocation {
  sqlfn_state *fns;
  sqlite3_context *ctx;
  sqlite3_value **argv;
  int argc;
  lua_Integer id;
  int kind;
} invocation;

/* An aggregate's per-group memory, from sqlite3_aggregate_context. */
typedef struct group_state {
  int started;  /* its state is in the states table */
} group_state;

/* Stack room for the fast path's function, arguments and result, made
** once a step so it need not be checked each row. */
#define FAST_ARGS 16
#define FAST_ROOM (FAST_ARGS + 8)

static const char state_key = 0;  /* its address: the registry's key of the sqlfn_state */

static int l_state_gc(lua_State *L) {
  sqlfn_state *c = (sqlfn_state *)lua_touserdata(L, 1);
  free(c->finished);
  c->finished = NULL;
  c->nfinished = c->finished_cap = 0;
  c->closed = 1;
  return 0;
}

/* A new table for a ref in the registry; weak values with weak. */
static int registry_table(lua_State *L, int weak) {
  lua_newtable(L);
  if (weak) {
    lua_createtable(L, 0, 1);
    lua_pushliteral(L, "v");
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
  }
  return luaL_ref(L, LUA_REGISTRYINDEX);
}

sqlfn_state *sqlfn_state_of(lua_State *L) {
  sqlfn_state *c;
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &state_key) == LUA_TUSERDATA) {
    c = (sqlfn_state *)lua_touserdata(L, -1);
    lua_pop(L, 1);
    return c;
  }
  lua_pop(L, 1);
  c = (sqlfn_state *)lua_newuserdatauv(L, sizeof *c, 0);
  memset(c, 0, sizeof *c);
  c->cached_ref = c->functions_ref = c->states_ref = c->metrics_ref = LUA_NOREF;
  lua_createtable(L, 0, 1);
  lua_pushcfunction(L, l_state_gc);
  lua_setfield(L, -2, "__gc");
  lua_setmetatable(L, -2);
  c->functions_ref = registry_table(L, 1);
  c->states_ref = registry_table(L, 0);
  c->metrics_ref = registry_table(L, 0);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &state_key);
  return c;
}

static void drop_finished(sqlfn_state *c, lua_State *L) {
  size_t i;
  lua_rawgeti(L, LUA_REGISTRYINDEX, c->states_ref);
  for (i = 0; i < c->nfinished; i++) {
    lua_pushnil(L);
    lua_rawsetp(L, -2, c->finished[i]);
  }
  lua_pop(L, 1);
  c->nfinished = 0;
}

void sqlfn_enter_step(sqlfn_state *c, lua_State *L, sqlfn_frame *frame) {
  frame->previous = c->stepping;
  frame->previous_slot = c->metrics_slot;
  frame->previous_ref = c->cached_ref;
  frame->top = lua_gettop(L);
  if (c->nfinished > 0 && c->stepping == NULL) drop_finished(c, L);
  c->metrics_slot = 0;
  c->cached_ref = LUA_NOREF;
  c->stepping = L;
}

void sqlfn_leave_step(sqlfn_state *c, lua_State *L, const sqlfn_frame *frame) {
  if (c->metrics_slot != 0) lua_settop(L, frame->top);
  c->stepping = frame->previous;
  c->metrics_slot = frame->previous_slot;
  c->cached_ref = frame->previous_ref;
}

/* Put the metrics' functions on the stepping thread's stack for the rest
** of the step, with the room the fast path needs; never raises. */
static int metrics_ready(sqlfn_state *c, lua_State *L) {
  if (c->metrics_slot != 0) return 1;
  if (!lua_checkstack(L, FAST_ROOM + 2)) return 0;
  lua_rawgeti(L, LUA_REGISTRYINDEX, c->metrics_ref);
  lua_pushnil(L);
  c->metrics_slot = lua_gettop(L) - 1;
  return 1;
}

static void push_functions(sqlfn_state *c, lua_State *L) {
  lua_rawgeti(L, LUA_REGISTRYINDEX, c->functions_ref);
}

/* Store the entry on top under a new id; leaves id, entry. */
static int add_entry(lua_State *L) {
  sqlfn_state *c = sqlfn_state_of(L);
  push_functions(c, L);
  lua_pushvalue(L, -2);
  lua_rawseti(L, -2, ++c->last_id);
  lua_pop(L, 1);
  lua_pushinteger(L, c->last_id);
  lua_insert(L, -2);
  return 2;
}

/* A new entry holding arguments 1..n in the fields given; leaves id, entry. */
static int add_entry_of(lua_State *L, const int *fields, int n) {
  int i;
  lua_createtable(L, ENTRY_INVERSE, 0);
  for (i = 0; i < n; i++) {
    lua_pushvalue(L, i + 1);
    lua_rawseti(L, -2, fields[i]);
  }
  return add_entry(L);
}

int sqlfn_l_register(lua_State *L) {
  static const int fields[] = {ENTRY_FN, ENTRY_LABEL, ENTRY_NAMES, ENTRY_TEST};
  lua_settop(L, 4);
  luaL_checktype(L, 1, LUA_TFUNCTION);
  luaL_checkstring(L, 2);
  if (!lua_isnoneornil(L, 3)) luaL_checktype(L, 3, LUA_TTABLE);
  lua_pushboolean(L, lua_toboolean(L, 4));
  lua_replace(L, 4);
  return add_entry_of(L, fields, 4);
}

int sqlfn_l_register_aggregate(lua_State *L) {
  static const int fields[] = {ENTRY_LABEL, ENTRY_INIT, ENTRY_FN, ENTRY_FINAL, ENTRY_INVERSE};
  lua_settop(L, 5);
  luaL_checkstring(L, 1);
  luaL_checktype(L, 3, LUA_TFUNCTION);
  luaL_checktype(L, 4, LUA_TFUNCTION);
  if (!lua_isnoneornil(L, 5)) luaL_checktype(L, 5, LUA_TFUNCTION);
  return add_entry_of(L, fields, 5);
}

/* The error for a value of entry id's that SQL cannot hold (a table, a
** function), at idx. */
static void result_not_sql(sqlfn_state *c, lua_State *L, sqlite3_context *ctx, int idx, lua_Integer id) {
  char msg[200];
  const char *kind = luaL_typename(L, idx);
  push_functions(c, L);
  lua_rawgeti(L, -1, id);
  lua_rawgeti(L, -1, ENTRY_LABEL);
  snprintf(msg, sizeof msg, "%s returned a %s (expected a number, string, boolean or nil)",
           lua_isstring(L, -1) ? lua_tostring(L, -1) : "a Lua function", kind);
  lua_pop(L, 3);
  sqlite3_result_error(ctx, msg, -1);
}

/* The SQL result for the Lua value at idx returned by entry id: a string
** that is not UTF-8 as a blob; a test counts Lua's truth (0 and "" are
** true).  Never raises: it runs outside a protected call on the fast path.
** Inlined whatever the compiler estimates, as call_fast is: a call each
** row costs a metric more than the conversion does. */
__attribute__((always_inline)) static inline void set_result(sqlfn_state *c, lua_State *L, sqlite3_context *ctx, int idx,
                                                             int test, lua_Integer id) {
  zb_value v;
  if (test && !lua_isnoneornil(L, idx) && !lua_isboolean(L, idx)) sqlite3_result_int(ctx, 1);
  else if (value_from_lua(L, idx, 1, &v)) value_result(ctx, &v);
  else result_not_sql(c, L, ctx, idx, id);
}

/* The message of the error value at the top, as text. */
static const char *error_text(lua_State *L) {
  const char *msg = lua_tostring(L, -1);
  if (msg != NULL) return msg;
  if (luaL_callmeta(L, -1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) return lua_tostring(L, -1);
  return lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, -1));
}

/* Call the function at the top - nargs with its nargs arguments, for one
** result; an error is raised again with the label before it. */
static void call_labelled(lua_State *L, int nargs, const char *label) {
  int status = lua_pcall(L, nargs, 1, 0);
  const char *msg;
  if (status == LUA_OK) return;
  msg = error_text(L);
  if (status == LUA_ERRMEM || interrupt_is_stop(msg)) lua_error(L);
  luaL_error(L, "%s: %s", label, msg);
}

/* Push an aggregate group's state: the one stored, or a new one from init. */
static void push_state(lua_State *L, int entry, int states, group_state *g) {
  if (g != NULL && g->started) {
    lua_rawgetp(L, states, g);
    return;
  }
  if (lua_rawgeti(L, entry, ENTRY_INIT) == LUA_TFUNCTION) {  /* a fresh table for each group */
    lua_rawgeti(L, entry, ENTRY_LABEL);
    lua_insert(L, -2);
    call_labelled(L, 0, lua_tostring(L, -2));
    lua_remove(L, -2);
  }
}

static void store_state(lua_State *L, int states, group_state *g) {
  lua_rawsetp(L, states, g);
  g->started = 1;
}

/* In a protected call: the invocation (a light userdata) carried out. */
static int call_protected(lua_State *L) {
  const invocation *inv = (const invocation *)lua_touserdata(L, 1);
  int entry, states, i, first = inv->kind == CALL_SCALAR && inv->id == 0;  /* zb_lua(id, ...) */
  lua_Integer id = first ? sqlite3_value_int64(inv->argv[0]) : inv->id;
  const char *label;
  group_state *g = NULL;
  push_functions(inv->fns, L);
  if (lua_rawgeti(L, -1, id) != LUA_TTABLE)
    return luaL_error(L, "zb_lua: no Lua function %I (its table or metric is gone)", id);
  entry = lua_gettop(L);
  lua_rawgeti(L, entry, ENTRY_LABEL);
  label = lua_tostring(L, -1);
  if (inv->kind == CALL_SCALAR) {
    lua_rawgeti(L, entry, ENTRY_FN);
    if (lua_rawgeti(L, entry, ENTRY_NAMES) == LUA_TTABLE) {  /* the row form */
      luaL_getmetatable(L, ZB_ROW);
      row_push(L, -2, -1, NULL, inv->argc - first, inv->argv + first);
      lua_replace(L, -3);
      lua_pop(L, 1);
      call_labelled(L, 1, label);
    } else {
      lua_pop(L, 1);
      luaL_checkstack(L, inv->argc, "too many arguments to a Lua function in SQL");
      for (i = first; i < inv->argc; i++) value_push_sql(L, inv->argv[i]);
      call_labelled(L, inv->argc - first, label);
    }
    set_result(inv->fns, L, inv->ctx, -2, lua_rawgeti(L, entry, ENTRY_TEST) == LUA_TBOOLEAN && lua_toboolean(L, -1),
               id);
    return 0;
  }
  lua_rawgeti(L, LUA_REGISTRYINDEX, inv->fns->states_ref);
  states = lua_gettop(L);
  g = (group_state *)sqlite3_aggregate_context(inv->ctx, inv->kind == CALL_STEP || inv->kind == CALL_INVERSE
                                                         ? (int)sizeof(group_state) : 0);
  if (g == NULL && (inv->kind == CALL_STEP || inv->kind == CALL_INVERSE))
    return luaL_error(L, "not enough memory");
  if (inv->kind == CALL_STEP || inv->kind == CALL_INVERSE) {
    int stored = g->started;
    lua_rawgeti(L, entry, inv->kind == CALL_STEP ? ENTRY_FN : ENTRY_INVERSE);
    push_state(L, entry, states, g);
    if (!stored) {  /* keep the new state now, in case step changes it in place */
      lua_pushvalue(L, -1);
      store_state(L, states, g);
    }
    luaL_checkstack(L, inv->argc, "too many arguments to an aggregate");
    for (i = 0; i < inv->argc; i++) value_push_sql(L, inv->argv[i]);
    call_labelled(L, inv->argc + 1, label);
    if (!lua_isnil(L, -1)) store_state(L, states, g);  /* step returned the new state */
    return 0;
  }
  lua_rawgeti(L, entry, ENTRY_FINAL);
  push_state(L, entry, states, g);
  if (inv->kind == CALL_FINAL && g != NULL && g->started) {  /* done with it: forget it first */
    lua_pushnil(L);
    lua_rawsetp(L, states, g);
    g->started = 0;
  }
  call_labelled(L, 1, label);
  set_result(inv->fns, L, inv->ctx, -1, 0, id);
  return 0;
}

/* A metric's SQLite user data: its session, its entry, and its function at hand. */
typedef struct metric {
  sqlfn_state *fns;
  lua_Integer id;
  int fn_ref;  /* in the metrics' table; released when SQLite drops the function */
} metric;

/* An aggregate's SQLite user data. */
typedef struct aggregate {
  sqlfn_state *fns;
  lua_Integer id;
} aggregate;

static void metric_destroy(void *p) {
  metric *m = (metric *)p;
  lua_State *L = m->fns->releasing;
  if (L != NULL) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, m->fns->metrics_ref);
    luaL_unref(L, -1, m->fn_ref);
    lua_pop(L, 1);
  }
  free(m);
}

void sqlfn_release_through(sqlfn_state *c, lua_State *L) {
  c->releasing = L;
}

/* Put an error from the function at the top into ctx, its label (from
** entry id) before it. */
static void result_error(sqlfn_state *c, lua_State *L, sqlite3_context *ctx, int status, lua_Integer id) {
  const char *msg = lua_tostring(L, -1), *label;
  char *text;
  if (status == LUA_ERRMEM) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  if (interrupt_is_stop(msg)) {
    sqlite3_result_error_code(ctx, SQLITE_INTERRUPT);
    return;
  }
  push_functions(c, L);
  label = lua_rawgeti(L, -1, id) == LUA_TTABLE && lua_rawgeti(L, -1, ENTRY_LABEL) == LUA_TSTRING
        ? lua_tostring(L, -1) : NULL;
  text = sqlite3_mprintf("%s: %s", label ? label : "a Lua function",
                         msg ? msg : "(error object is not a string)");
  if (text == NULL) sqlite3_result_error_nomem(ctx);
  else sqlite3_result_error(ctx, text, -1);
  sqlite3_free(text);
}

/*
** The common case, without a protected C function around it: arguments
** that are numbers or NULL (pushing them cannot fail), a result set
** without raising.  The function is at the top; argv[first..] are its
** arguments.  Returns 0, the function popped, when the case is not this
** one, for the general path.  This is most of a metric's cost per row, so
** it does little (its caller has made the stack room it needs) and is
** always inlined.
*/
__attribute__((always_inline)) static inline int call_fast(sqlfn_state *c, lua_State *L, sqlite3_context *ctx, int argc,
                                                           sqlite3_value **argv, int first, lua_Integer id, int test) {
  int i, status;
  for (i = first; i < argc; i++) {
    zb_value v;
    value_read(argv[i], &v);
    if (v.type == SQLITE_TEXT || v.type == SQLITE_BLOB) {  /* making its string could fail: the protected path */
      lua_pop(L, i - first + 1);
      return 0;
    }
    value_push(L, &v);
  }
  status = lua_pcall(L, argc - first, 1, 0);
  if (status != LUA_OK) result_error(c, L, ctx, status, id);
  else set_result(c, L, ctx, -1, test, id);
  lua_pop(L, 1);
  return 1;
}

/* zb_lua(id, ...) on the fast path: a predicate's row goes the general way. */
static int call_fast_entry(sqlfn_state *c, lua_State *L, sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  lua_Integer id;
  int test;
  if (argc < 1 || sqlite3_value_type(argv[0]) != SQLITE_INTEGER || !lua_checkstack(L, argc + 6)) return 0;
  id = (lua_Integer)sqlite3_value_int64(argv[0]);
  push_functions(c, L);
  if (lua_rawgeti(L, -1, id) != LUA_TTABLE) {  /* no such entry: the general path says so */
    lua_pop(L, 2);
    return 0;
  }
  if (lua_rawgeti(L, -1, ENTRY_NAMES) != LUA_TNIL) {  /* it takes a row */
    lua_pop(L, 3);
    return 0;
  }
  test = lua_rawgeti(L, -2, ENTRY_TEST) == LUA_TBOOLEAN && lua_toboolean(L, -1);
  lua_rawgeti(L, -3, ENTRY_FN);
  lua_replace(L, -5);
  lua_pop(L, 3);
  return call_fast(c, L, ctx, argc, argv, 1, id, test);
}

/* Run an invocation of entry id (0: zb_lua's first argument) on the
** stepping thread; a Lua error becomes SQLite's. */
static void invoke(sqlfn_state *c, sqlite3_context *ctx, int argc, sqlite3_value **argv, int kind, lua_Integer id) {
  lua_State *L = c->stepping;
  invocation inv;
  int top, status;
  inv.fns = c;
  inv.ctx = ctx;
  inv.argv = argv;
  inv.argc = argc;
  inv.id = id;
  inv.kind = kind;
  if (L == NULL) {
    if (kind == CALL_FINAL) {  /* a query dropped half way: its state goes at the next query */
      group_state *g = (group_state *)sqlite3_aggregate_context(ctx, 0);
      if (g != NULL && g->started && !c->closed) {
        if (c->nfinished == c->finished_cap) {
          size_t cap = c->finished_cap ? c->finished_cap * 2 : 16;
          void **grown = (void **)realloc(c->finished, cap * sizeof *grown);
          if (grown == NULL) return;  /* the state stays until the session ends */
          c->finished = grown;
          c->finished_cap = cap;
        }
        c->finished[c->nfinished++] = g;
      }
      return;
    }
    sqlite3_result_error(ctx, "a Lua function was called outside a query that zb runs", -1);
    return;
  }
  if (kind == CALL_SCALAR && id == 0 && call_fast_entry(c, L, ctx, argc, argv)) return;
  if (!lua_checkstack(L, 8)) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  top = lua_gettop(L);
  lua_pushcfunction(L, call_protected);
  lua_pushlightuserdata(L, &inv);
  status = lua_pcall(L, 1, 0, 0);
  if (status == LUA_ERRMEM) sqlite3_result_error_nomem(ctx);
  else if (status != LUA_OK) {
    const char *msg = lua_tostring(L, -1);  /* call_protected raises strings */
    if (interrupt_is_stop(msg)) sqlite3_result_error_code(ctx, SQLITE_INTERRUPT);
    else sqlite3_result_error(ctx, msg ? msg : "error in a Lua function", -1);
  }
  lua_settop(L, top);
}

static void sql_scalar(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  invoke((sqlfn_state *)sqlite3_user_data(ctx), ctx, argc, argv, CALL_SCALAR, 0);
}

static void sql_metric(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  const metric *m = (const metric *)sqlite3_user_data(ctx);
  sqlfn_state *c = m->fns;
  lua_State *L = c->stepping;
  if (L != NULL && argc <= FAST_ARGS && metrics_ready(c, L)) {
    if (m->fn_ref == c->cached_ref) lua_pushvalue(L, c->metrics_slot + 1);
    else {
      lua_rawgeti(L, c->metrics_slot, m->fn_ref);
      lua_copy(L, -1, c->metrics_slot + 1);
      c->cached_ref = m->fn_ref;
    }
    if (call_fast(c, L, ctx, argc, argv, 0, m->id, 0)) return;
  }
  invoke(c, ctx, argc, argv, CALL_SCALAR, m->id);
}

static void sql_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  const aggregate *a = (const aggregate *)sqlite3_user_data(ctx);
  invoke(a->fns, ctx, argc, argv, CALL_STEP, a->id);
}

static void sql_inverse(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  const aggregate *a = (const aggregate *)sqlite3_user_data(ctx);
  invoke(a->fns, ctx, argc, argv, CALL_INVERSE, a->id);
}

static void sql_value(sqlite3_context *ctx) {
  const aggregate *a = (const aggregate *)sqlite3_user_data(ctx);
  invoke(a->fns, ctx, 0, NULL, CALL_VALUE, a->id);
}

static void sql_final(sqlite3_context *ctx) {
  const aggregate *a = (const aggregate *)sqlite3_user_data(ctx);
  invoke(a->fns, ctx, 0, NULL, CALL_FINAL, a->id);
}

int sqlfn_register(sqlite3 *db, sqlfn_state *c) {
  /* DIRECTONLY: a view or trigger in an untrusted file cannot call Lua. */
  return sqlite3_create_function_v2(db, "zb_lua", -1, SQLITE_UTF8 | SQLITE_DIRECTONLY, c, sql_scalar, NULL, NULL, NULL);
}

/* Raise why SQLite could not create function name (rc), if it could not. */
static void created(lua_State *L, int rc, const char *name) {
  if (rc == SQLITE_BUSY)
    luaL_error(L, "cannot define %s while a query runs (finish or break its loop first)", name);
  if (rc != SQLITE_OK)
    luaL_error(L, "cannot create the SQL function %s: %s", name, sqlite3_errstr(rc));
}

void sqlfn_create_function(lua_State *L, sqlite3 *db, const char *name, lua_Integer id, int deterministic) {
  int flags = SQLITE_UTF8 | SQLITE_DIRECTONLY | (deterministic ? SQLITE_DETERMINISTIC : 0), rc, fn_ref;
  sqlfn_state *c = sqlfn_state_of(L);
  metric *m;
  push_functions(c, L);
  if (lua_rawgeti(L, -1, id) != LUA_TTABLE) luaL_error(L, "create_function: no entry %I", id);
  lua_rawgeti(L, LUA_REGISTRYINDEX, c->metrics_ref);
  lua_rawgeti(L, -2, ENTRY_FN);
  fn_ref = luaL_ref(L, -2);
  if ((m = (metric *)malloc(sizeof *m)) == NULL) {
    luaL_unref(L, -1, fn_ref);
    luaL_error(L, "not enough memory");
  }
  m->fns = c;
  m->id = id;
  m->fn_ref = fn_ref;
  sqlfn_release_through(c, L);  /* the function this replaces is dropped now */
  rc = sqlite3_create_function_v2(db, name, -1, flags, m, sql_metric, NULL, NULL, metric_destroy);
  sqlfn_release_through(c, NULL);
  lua_pop(L, 3);
  created(L, rc, name);  /* on failure SQLite has called metric_destroy */
}

void sqlfn_create_aggregate(lua_State *L, sqlite3 *db, const char *name, lua_Integer id, int window) {
  int flags = SQLITE_UTF8 | SQLITE_DIRECTONLY, rc;
  sqlfn_state *c = sqlfn_state_of(L);
  aggregate *a = (aggregate *)malloc(sizeof *a);
  if (a == NULL) luaL_error(L, "not enough memory");
  a->fns = c;
  a->id = id;
  /* SQLite frees a when it drops the function, or at once if it cannot make it */
  if (window)
    rc = sqlite3_create_window_function(db, name, -1, flags, a, sql_step, sql_final, sql_value, sql_inverse, free);
  else
    rc = sqlite3_create_function_v2(db, name, -1, flags, a, NULL, sql_step, sql_final, free);
  created(L, rc, name);
}
