/*
** db.c: the SQLite bridge.  A zb.Database owns its sqlite3 handle and every
** statement prepared on it; statements live in zb.Statement boxes, so an
** error raised while rows are pushed still finalizes them.  What guards a
** connection is safety.c's; the session's database, session.c's.
*/
#include <math.h>
#include <string.h>

#include "lua.h"
#include "lauxlib.h"

#include "db.h"
#include "error.h"
#include "group.h"
#include "window.h"
#include "series.h"
#include "interrupt.h"
#include "period.h"
#include "row.h"
#include "safety.h"
#include "sqlfn.h"
#include "value.h"
#include "vector.h"
#include "zb.h"

typedef struct zb_stmt zb_stmt;

typedef struct zb_db {
  sqlite3 *handle;     /* NULL once closed */
  zb_stmt *live;       /* statements still open on this handle */
  int running;         /* steps in progress: Lua called from SQL may not close it */
  sqlfn_state *fns;    /* the session's Lua functions in SQL, which outlive it */
  safety_files files;  /* its guard's: what was attached, what was checked */
} zb_db;

struct zb_stmt {
  sqlite3_stmt *stmt;  /* NULL once finalized */
  zb_db *owner;        /* kept alive by the box's user value */
  int stepping;        /* a step is in progress: Lua called from it may not step it again */
  int reading;         /* C code holds pointers into it: closing the database leaves it to that code */
  zb_stmt *prev, *next;
};

/* ---- statements ---- */

/* Let s go of its database, which is closing: s stays for the code that reads it. */
static void stmt_detach(zb_stmt *s) {
  if (s->owner != NULL) {
    if (s->prev) s->prev->next = s->next;
    else s->owner->live = s->next;
    if (s->next) s->next->prev = s->prev;
    s->owner = NULL;
    s->prev = s->next = NULL;
  }
}

static void stmt_close(zb_stmt *s) {
  if (s->stmt != NULL) {
    sqlite3_finalize(s->stmt);
    s->stmt = NULL;
  }
  stmt_detach(s);
}

static int l_stmt_close(lua_State *L) {
  stmt_close((zb_stmt *)luaL_checkudata(L, 1, ZB_STATEMENT));
  return 0;
}

/* Push an empty statement box owned by the database at db_idx. */
static zb_stmt *stmt_push_box(lua_State *L, int db_idx, zb_db *d) {
  zb_stmt *s = (zb_stmt *)lua_newuserdatauv(L, sizeof *s, 1);
  s->stmt = NULL;
  s->owner = NULL;
  s->prev = s->next = NULL;
  s->stepping = 0;
  s->reading = 1;  /* by the C function that makes it, until it hands it to Lua */
  luaL_setmetatable(L, ZB_STATEMENT);
  lua_pushvalue(L, db_idx);
  lua_setiuservalue(L, -2, 1);
  s->owner = d;
  s->next = d->live;
  if (d->live) d->live->prev = s;
  d->live = s;
  return s;
}

/* The same, marked to-be-closed: finalized however the caller ends. */
static zb_stmt *stmt_push_closing_box(lua_State *L, int db_idx, zb_db *d) {
  zb_stmt *s = stmt_push_box(L, db_idx, d);
  lua_toclose(L, -1);
  return s;
}

/* sqlite3_step, with SQL functions written in Lua calling back into L.
** Inlined whatever the compiler estimates: rows() steps once a row. */
__attribute__((always_inline)) static inline int step(lua_State *L, zb_db *d, sqlite3_stmt *stmt) {
  sqlfn_frame frame;
  int rc;
  sqlfn_enter_step(d->fns, L, &frame);
  d->running++;
  rc = sqlite3_step(stmt);
  d->running--;
  sqlfn_leave_step(d->fns, L, &frame);
  safety_after_step(L, d->handle, &d->files);
  return rc;
}

/* ---- databases ---- */

static zb_db *db_check_any(lua_State *L, int idx) {
  return (zb_db *)luaL_checkudata(L, idx, ZB_DATABASE);
}

static zb_db *db_check_open(lua_State *L, int idx) {
  zb_db *d = db_check_any(L, idx);
  if (d->handle == NULL) luaL_error(L, "attempt to use a closed database");
  return d;
}

/* Finalize d's statements and close its handle, if open.  A statement
** that C code is reading (a Lua finalizer run by an allocation there may
** close the database) is only let go of: SQLite keeps the connection until
** it is finalized, and its reader finds it closed (live_stmt). */
static void close_handle(zb_db *d) {
  if (d->handle == NULL) return;
  while (d->live != NULL) {
    if (d->live->reading) stmt_detach(d->live);
    else stmt_close(d->live);
  }
  interrupt_forget_db(d->handle);
  sqlite3_close_v2(d->handle);
  d->handle = NULL;
}

sqlite3 *db_handle(lua_State *L, int idx) {
  return db_check_any(L, idx)->handle;
}

/* zb_refuse(message): stop the query with message, a method's refusal
** found as the rows are read (a period twice in one series); the message
** names the method and the rows, so no SQL follows it (db_error). */
static void sql_refuse(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  const char *msg = (const char *)sqlite3_value_text(argv[0]);
  (void)argc;
  sqlite3_result_error(ctx, msg ? msg : "zb_refuse: a message expected", -1);
  sqlite3_result_error_code(ctx, SQLITE_CONSTRAINT_FUNCTION);
}

/* Raise SQLite's current error for d, naming the SQL that caused it. */
static int db_error(lua_State *L, zb_db *d, const char *sql, size_t len) {
  int code = sqlite3_errcode(d->handle);
  if (sqlite3_extended_errcode(d->handle) == SQLITE_CONSTRAINT_FUNCTION)  /* zb_refuse's message says it all */
    error_raise_sql(L, sqlite3_errmsg(d->handle), NULL, 0, SQLITE_CONSTRAINT_FUNCTION);
  if (code == SQLITE_AUTH && safety_push_refusal(L)) return lua_error(L);
  if (code == SQLITE_INTERRUPT) {
    lua_pushstring(L, interrupt_message());
    return lua_error(L);
  }
  while (len > 0 && (sql[len - 1] == ' ' || sql[len - 1] == '\n' || sql[len - 1] == ';'))
    len--;
  while (len > 0 && (*sql == ' ' || *sql == '\n')) sql++, len--;
  if ((code & 0xff) == SQLITE_IOERR || (code & 0xff) == SQLITE_FULL) {  /* say what the system said */
    int err = sqlite3_system_errno(d->handle);
    if (err != 0) lua_pushfstring(L, "%s: %s", sqlite3_errmsg(d->handle), strerror(err));
    else safety_push_errmsg(L, d->handle);
  } else safety_push_errmsg(L, d->handle);
  error_raise_sql(L, lua_tostring(L, -1), sql, len, code);
  return 0;
}

void db_push_open(lua_State *L, const char *path) {
  const char *name = path ? path : ":memory:";
  sqlfn_state *fns = sqlfn_state_of(L);  /* made before d, so finalized after it */
  zb_db *d = (zb_db *)lua_newuserdatauv(L, sizeof *d, 1);
  int rc;
  d->handle = NULL;
  d->live = NULL;
  d->running = 0;
  d->fns = fns;
  luaL_setmetatable(L, ZB_DATABASE);
  lua_pushstring(L, name);
  lua_setiuservalue(L, -2, 1);
  /* URI file names let zb.attach open a file read-only */
  /* NOMUTEX: a handle is only used by the thread that runs its Lua state, so
  ** SQLite need not lock on every call (a sixth of the cost of reading rows). */
  rc = sqlite3_open_v2(name, &d->handle,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
                       NULL);
  if (rc == SQLITE_OK) {
    /* "x" is always the column x: a misspelt name is an error, never a string */
    sqlite3_db_config(d->handle, SQLITE_DBCONFIG_DQS_DML, 0, (int *)0);
    sqlite3_db_config(d->handle, SQLITE_DBCONFIG_DQS_DDL, 0, (int *)0);
    sqlite3_busy_timeout(d->handle, 5000);
    rc = safety_guard(d->handle, &d->files);
    if (rc == SQLITE_OK) rc = sqlfn_register(d->handle, d->fns);
    if (rc == SQLITE_OK) rc = group_register(d->handle);
    if (rc == SQLITE_OK) rc = window_register(d->handle);
    if (rc == SQLITE_OK) rc = series_register(d->handle);
    if (rc == SQLITE_OK) rc = period_register(d->handle);
    if (rc == SQLITE_OK)
      rc = sqlite3_create_function_v2(d->handle, "zb_refuse", 1, SQLITE_UTF8 | SQLITE_INNOCUOUS, NULL, sql_refuse, NULL,
                                      NULL, NULL);
    /* WAL keeps every committed transaction through a crash; it also checks the file. */
    if (rc == SQLITE_OK && path != NULL)
      rc = sqlite3_exec(d->handle, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
  }
  if (rc == SQLITE_OK) return;  /* its schema is checked once zb's functions are made (db_push_session) */
  lua_pushstring(L, d->handle ? sqlite3_errmsg(d->handle) : sqlite3_errstr(rc));
  close_handle(d);
  luaL_error(L, "cannot open database '%s': %s", name, lua_tostring(L, -1));
}

/* ---- running SQL ---- */

/* Bind the Lua value at arg to parameter slot: every string as text. */
static void bind_value(lua_State *L, sqlite3_stmt *stmt, int slot, int arg) {
  zb_value v;
  int rc;
  if (!value_from_lua(L, arg, 0, &v)) {
    luaL_argerror(L, arg, lua_pushfstring(L, "cannot bind a %s to SQL", luaL_typename(L, arg)));
    return;
  }
  if ((rc = value_bind(stmt, slot, &v)) != SQLITE_OK)
    luaL_error(L, "cannot bind parameter %d: %s", slot, sqlite3_errstr(rc));
}

/* The box's statement, which Lua code (an __index, a finalizer) may have
** finalized by closing the database since the last look. */
static sqlite3_stmt *live_stmt(lua_State *L, zb_stmt *box) {
  if (box->owner == NULL) {
    stmt_close(box);
    luaL_error(L, "the database was closed while its query ran");
  }
  return box->stmt;
}

/* Bind by name from the table at arg: ":name", "@name" and "$name" all read t.name;
** "?" and "?N" read t[N]. */
static void bind_named(lua_State *L, zb_stmt *box, int arg) {
  int n = sqlite3_bind_parameter_count(box->stmt), i;
  for (i = 1; i <= n; i++) {
    const char *name = sqlite3_bind_parameter_name(box->stmt, i);
    if (name == NULL || name[0] == '?') lua_geti(L, arg, i);
    else lua_getfield(L, arg, name + 1);
    bind_value(L, live_stmt(L, box), i, lua_gettop(L));
    lua_pop(L, 1);
  }
}

/* Only white space and ';' left: the statement just prepared is the last. */
static int only_blanks(const char *s, const char *end) {
  while (s < end && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n' || *s == ';')) s++;
  return s == end;
}

/*
** Run every statement in the SQL text at query_idx on the database at db_idx,
** binding the arguments after it: positionally, each statement taking as many
** as it has parameters, or by name from a single table argument.  Returns the
** rows of the last statement that has result columns (each a table keyed by
** column name), or nothing when no statement has any.
*/
static int run_sql(lua_State *L, int db_idx, int query_idx, int last_arg) {
  zb_db *d = db_check_open(L, db_idx);
  size_t len;
  const char *sql = luaL_checklstring(L, query_idx, &len);
  const char *end = sql + len, *tail = sql;
  int next_arg = query_idx + 1;
  int named = (last_arg == next_arg && lua_type(L, next_arg) == LUA_TTABLE);
  int result_idx;
  lua_pushnil(L);  /* the rows of the latest statement with columns */
  result_idx = lua_gettop(L);
  while (tail < end) {
    const char *stmt_sql = tail;
    zb_stmt *box = stmt_push_closing_box(L, db_idx, d);
    int rc = sqlite3_prepare_v2(d->handle, tail, (int)(end - tail), &box->stmt, &tail);
    int ncols, nparams, nrows = 0;
    if (rc != SQLITE_OK) return db_error(L, d, stmt_sql, (size_t)(end - stmt_sql));
    if (box->stmt == NULL) {  /* only white space or a comment was left */
      lua_pop(L, 1);
      break;
    }
    nparams = sqlite3_bind_parameter_count(box->stmt);
    if (named)
      bind_named(L, box, next_arg);
    else {
      int i;
      if (next_arg + nparams - 1 > last_arg) {
        lua_pushlstring(L, stmt_sql, (size_t)(tail - stmt_sql));
        return luaL_error(L, "SQL needs %d more parameter(s) than given (in SQL: %s)",
                          next_arg + nparams - 1 - last_arg, lua_tostring(L, -1));
      }
      for (i = 1; i <= nparams; i++) bind_value(L, box->stmt, i, next_arg++);
      if (next_arg <= last_arg && only_blanks(tail, end))  /* before it changes anything */
        return luaL_error(L, "%d parameter(s) given but the SQL uses %d (in SQL: %s)",
                          last_arg - query_idx, next_arg - query_idx - 1, sql);
    }
    ncols = sqlite3_column_count(box->stmt);
    if (ncols > 0) {
      lua_newtable(L);
      lua_replace(L, result_idx);
    }
    while ((rc = step(L, d, live_stmt(L, box))) == SQLITE_ROW) {
      int c;
      lua_createtable(L, 0, ncols);
      for (c = 0; c < ncols; c++) {
        const char *name = sqlite3_column_name(live_stmt(L, box), c);
        if (name == NULL) return luaL_error(L, "not enough memory");
        value_push_sql(L, sqlite3_column_value(box->stmt, c));
        lua_setfield(L, -2, name);
      }
      lua_rawseti(L, result_idx, ++nrows);
    }
    if (rc != SQLITE_DONE) return db_error(L, d, stmt_sql, (size_t)(tail - stmt_sql));
    lua_closeslot(L, -1);
    lua_pop(L, 1);
  }
  if (!named && next_arg <= last_arg)
    return luaL_error(L, "%d parameter(s) given but the SQL uses %d (in SQL: %s)",
                      last_arg - query_idx, next_arg - query_idx - 1, sql);
  return lua_isnil(L, result_idx) ? 0 : 1;
}

sqlite3_stmt *db_push_prepared(lua_State *L, int db_idx, const char *sql) {
  zb_db *d = db_check_open(L, db_idx);
  zb_stmt *box;
  db_idx = lua_absindex(L, db_idx);
  box = stmt_push_closing_box(L, db_idx, d);
  if (sqlite3_prepare_v2(d->handle, sql, -1, &box->stmt, NULL) != SQLITE_OK)
    db_error(L, d, sql, strlen(sql));
  return box->stmt;
}

void db_exec(lua_State *L, int db_idx, const char *sql) {
  zb_db *d = db_check_open(L, db_idx);
  sqlfn_frame frame;
  int rc;
  sqlfn_enter_step(d->fns, L, &frame);
  rc = sqlite3_exec(d->handle, sql, NULL, NULL, NULL);
  sqlfn_leave_step(d->fns, L, &frame);
  if (rc != SQLITE_OK) db_error(L, d, sql, strlen(sql));
  safety_after_step(L, d->handle, &d->files);
}

int db_insert_columns(lua_State *L, int db_idx, int sql_idx, int lists_idx, int order_idx) {
  size_t len;
  const char *sql = luaL_checklstring(L, sql_idx, &len);
  lua_Integer k, count;
  int c, ncols, first;
  zb_db *d = db_check_open(L, db_idx);
  zb_stmt *box;
  const zb_vector **vectors;
  luaL_checktype(L, lists_idx, LUA_TTABLE);
  luaL_checktype(L, order_idx, LUA_TTABLE);
  ncols = (int)lua_rawlen(L, lists_idx);
  count = (lua_Integer)lua_rawlen(L, order_idx);
  box = stmt_push_closing_box(L, db_idx, d);
  if (sqlite3_prepare_v2(d->handle, sql, (int)len, &box->stmt, NULL) != SQLITE_OK) return db_error(L, d, sql, len);
  if (box->stmt == NULL || sqlite3_bind_parameter_count(box->stmt) != ncols)
    return luaL_error(L, "an insert of %d column(s) needs as many parameters (in SQL: %s)", ncols, sql);
  luaL_checkstack(L, ncols + 8, "too many columns");
  vectors = (const zb_vector **)lua_newuserdatauv(L, ((size_t)ncols + 1) * sizeof *vectors, 0);
  first = lua_gettop(L) + 1;
  for (c = 1; c <= ncols; c++) {  /* each list once, not once a cell */
    lua_rawgeti(L, lists_idx, c);
    vectors[c - 1] = vector_test(L, -1);
    if (vectors[c - 1] == NULL) luaL_checktype(L, -1, LUA_TTABLE);
  }
  for (k = 1; k <= count; k++) {
    lua_Integer row;
    int rc;
    lua_rawgeti(L, order_idx, k);
    row = lua_tointeger(L, -1);
    lua_pop(L, 1);
    for (c = 1; c <= ncols; c++) {
      const zb_vector *v = vectors[c - 1];
      if (v != NULL) {
        double x = row >= 1 && row <= v->n ? v->x[row - 1] : NAN;
        if (isnan(x)) sqlite3_bind_null(box->stmt, c);
        else if (v->integer[row - 1]) sqlite3_bind_int64(box->stmt, c, (sqlite3_int64)x);
        else sqlite3_bind_double(box->stmt, c, x);
        continue;
      }
      lua_rawgeti(L, first + c - 1, row);
      bind_value(L, box->stmt, c, lua_gettop(L));
      lua_pop(L, 1);
    }
    rc = step(L, d, live_stmt(L, box));
    if (rc != SQLITE_DONE) return db_error(L, d, sql, len);
    sqlite3_reset(box->stmt);
  }
  lua_settop(L, first - 2);  /* the vectors' buffer too */
  lua_closeslot(L, -1);
  lua_pop(L, 1);
  return 0;
}

/* ---- queries that tables compile to ---- */

/* Prepare sql (a string) on the database at db_idx and bind params[1..params.n]
** (params a table); pushes the statement box (not to-be-closed). */
static zb_stmt *prepare_query(lua_State *L, int db_idx, int sql_idx, int params_idx) {
  size_t len;
  const char *sql = lua_tolstring(L, sql_idx, &len);
  int i, nparams, given;
  zb_db *d = db_check_open(L, db_idx);
  zb_stmt *box = stmt_push_box(L, db_idx, d);
  if (sqlite3_prepare_v2(d->handle, sql, (int)len, &box->stmt, NULL) != SQLITE_OK)
    db_error(L, d, sql, len);
  if (box->stmt == NULL) luaL_error(L, "no SQL statement in: %s", sql);
  nparams = sqlite3_bind_parameter_count(box->stmt);
  lua_getfield(L, params_idx, "n");
  given = (int)luaL_optinteger(L, -1, (lua_Integer)lua_rawlen(L, params_idx));
  lua_pop(L, 1);
  if (given != nparams)
    luaL_error(L, "%d parameter(s) given but the SQL uses %d (in SQL: %s)", given, nparams, sql);
  for (i = 1; i <= nparams; i++) {
    lua_rawgeti(L, params_idx, i);
    bind_value(L, box->stmt, i, lua_gettop(L));
    lua_pop(L, 1);
  }
  return box;
}

int db_each_row(lua_State *L, int db_idx, int sql_idx, int params_idx, db_row_visitor visit, void *ud) {
  zb_stmt *box = prepare_query(L, db_idx, sql_idx, params_idx);
  int rc, top, ncols = sqlite3_column_count(box->stmt);
  lua_toclose(L, -1);
  top = lua_gettop(L);
  for (;;) {
    box->stepping = 1;
    rc = step(L, box->owner, live_stmt(L, box));
    box->stepping = 0;
    if (rc != SQLITE_ROW) break;
    visit(L, box->stmt, ud);
  }
  if (rc != SQLITE_DONE) {
    size_t len;
    const char *sql = lua_tolstring(L, sql_idx, &len);
    db_error(L, box->owner, sql, len);
  }
  lua_closeslot(L, top);
  return ncols;
}

/* read_columns' lists as they fill: at stack positions first.. (made at
** the first row), with room for cap rows; whether each column is numbers
** only so far; and, from column vectors_from on, the vector a column of
** numbers fills (NULL: a list, as the others). */
typedef struct column_lists {
  int first, ncols, vectors_from;
  lua_Integer n, cap;
  char *numeric;
  zb_vector **vectors;
} column_lists;

static void make_lists(lua_State *L, column_lists *cl, int ncols) {
  int c;
  luaL_checkstack(L, ncols + 8, "too many columns");
  cl->ncols = ncols;
  cl->numeric = (char *)lua_newuserdatauv(L, (size_t)ncols + 1, 0);
  memset(cl->numeric, 1, (size_t)ncols + 1);
  cl->vectors = (zb_vector **)lua_newuserdatauv(L, ((size_t)ncols + 1) * sizeof *cl->vectors, 0);
  cl->first = lua_gettop(L) + 1;
  for (c = 0; c < ncols; c++) {
    cl->vectors[c] = c >= cl->vectors_from ? vector_push(L, cl->cap) : NULL;
    if (cl->vectors[c] == NULL) lua_createtable(L, (int)cl->cap, 0);
  }
}

/* Give each column room for twice cap rows: a new list or vector each,
** the entries so far copied over. */
static void grow_lists(lua_State *L, column_lists *cl) {
  int c;
  for (c = 0; c < cl->ncols; c++) {
    zb_vector *old = cl->vectors[c];
    lua_Integer i;
    if (old != NULL) {
      zb_vector *v = cl->vectors[c] = vector_push(L, cl->cap * 2);
      memcpy(v->x, old->x, (size_t)cl->cap * sizeof *v->x);
      memcpy(v->integer, old->integer, (size_t)cl->cap);
    } else {
      lua_createtable(L, (int)(cl->cap * 2), 0);
      for (i = 1; i <= cl->cap; i++) {
        lua_rawgeti(L, cl->first + c, i);
        lua_rawseti(L, -2, i);
      }
    }
    lua_replace(L, cl->first + c);
  }
  cl->cap *= 2;
}

/* Column c's vector, holding rows before n, made a list: a value no
** vector holds has come (text, an infinity, an integer past 2^53). */
static void vector_to_list(lua_State *L, column_lists *cl, int c) {
  const zb_vector *v = cl->vectors[c];
  lua_Integer i;
  lua_createtable(L, (int)cl->cap, 0);
  for (i = 1; i < cl->n; i++) {
    vector_push_entry(L, v, i);
    lua_rawseti(L, -2, i);
  }
  lua_replace(L, cl->first + c);
  cl->vectors[c] = NULL;
}

/* Row n's value v in column c's vector: 1, or 0 when no vector holds it. */
static int add_to_vector(zb_vector *vec, lua_Integer n, sqlite3_value *v, int type) {
  if (type == SQLITE_NULL) return 1;  /* made missing */
  if (type == SQLITE_INTEGER) {
    sqlite3_int64 k = sqlite3_value_int64(v);
    if (k < -VALUE_EXACT_IN_DOUBLE || k > VALUE_EXACT_IN_DOUBLE) return 0;
    vector_set_integer(vec, n, (lua_Integer)k);
    return 1;
  }
  if (type == SQLITE_FLOAT && isfinite(sqlite3_value_double(v))) {
    vector_set_float(vec, n, sqlite3_value_double(v));
    return 1;
  }
  return 0;
}

static void add_row_to_lists(lua_State *L, sqlite3_stmt *stmt, void *ud) {
  column_lists *cl = (column_lists *)ud;
  int c;
  if (cl->ncols < 0) make_lists(L, cl, sqlite3_column_count(stmt));
  if (++cl->n > cl->cap) grow_lists(L, cl);
  for (c = 0; c < cl->ncols; c++) {
    sqlite3_value *v = sqlite3_column_value(stmt, c);
    int type = sqlite3_value_type(v);
    if (cl->vectors[c] != NULL) {
      if (add_to_vector(cl->vectors[c], cl->n, v, type)) continue;
      vector_to_list(L, cl, c);
    }
    if (type == SQLITE_TEXT || type == SQLITE_BLOB || (type == SQLITE_FLOAT && !isfinite(sqlite3_value_double(v))))
      cl->numeric[c] = 0;
    value_push_sql(L, v);
    lua_rawseti(L, cl->first + c, cl->n);
  }
}

int db_read_columns(lua_State *L, int db_idx, int sql_idx, int params_idx, lua_Integer rows, int vectors_from) {
  column_lists cl = {0, -1, vectors_from, 0, rows > 0 && rows <= 1 << 26 ? rows : 1024, NULL, NULL};
  int c, ncols = db_each_row(L, db_idx, sql_idx, params_idx, add_row_to_lists, &cl);
  if (cl.ncols < 0) make_lists(L, &cl, ncols);  /* no rows */
  lua_createtable(L, ncols, 1);
  for (c = 0; c < ncols; c++) {
    if (cl.vectors[c] != NULL) cl.vectors[c]->n = cl.n;  /* its room past the rows unused */
    lua_pushvalue(L, cl.first + c);
    lua_rawseti(L, -2, c + 1);
  }
  lua_pushinteger(L, cl.n);
  lua_setfield(L, -2, "n");
  lua_createtable(L, ncols, 0);
  for (c = 0; c < ncols; c++) {
    lua_pushboolean(L, cl.numeric[c]);
    lua_rawseti(L, -2, c + 1);
  }
  return 2;
}

/* A result's column names as {name = position, [position] = name}; the
** first of repeated names keeps its position. */
static void push_names(lua_State *L, sqlite3_stmt *stmt) {
  int n = sqlite3_column_count(stmt), i;
  lua_createtable(L, n, n);
  for (i = 1; i <= n; i++) {
    const char *name = sqlite3_column_name(stmt, i - 1);
    if (name == NULL) luaL_error(L, "not enough memory");
    lua_pushstring(L, name);
    lua_pushvalue(L, -1);
    lua_rawseti(L, -3, i);
    if (lua_rawget(L, -2) == LUA_TNIL) {
      lua_pop(L, 1);
      lua_pushinteger(L, i);
      lua_setfield(L, -2, name);
    } else {
      lua_pop(L, 1);
    }
  }
}

/* upvalues: the statement box, the names table, the zb.Row metatable,
** what must live while the rows are read, the query's state */
enum { QUERY_RUNNING, QUERY_DONE, QUERY_FAILED };

static int rows_next(lua_State *L) {
  zb_stmt *box = (zb_stmt *)lua_touserdata(L, lua_upvalueindex(1));
  int state = (int)lua_tointeger(L, lua_upvalueindex(5)), rc;
  if (state == QUERY_DONE) return 0;
  if (state == QUERY_FAILED) return luaL_error(L, "this query failed already; run it again with a new rows()");
  if (box->stepping) return luaL_error(L, "a rows() loop cannot read its own query from inside a function that query calls");
  box->stepping = 1;
  rc = step(L, box->owner, live_stmt(L, box));
  box->stepping = 0;
  if (rc == SQLITE_ROW) {
    box->reading = 1;
    row_push(L, lua_upvalueindex(2), lua_upvalueindex(3), box->stmt, 0, NULL);
    box->reading = 0;
    return 1;
  }
  lua_pushinteger(L, rc == SQLITE_DONE ? QUERY_DONE : QUERY_FAILED);
  lua_replace(L, lua_upvalueindex(5));
  if (rc != SQLITE_DONE) {
    zb_db *d = box->owner;
    const char *sql = sqlite3_sql(box->stmt);
    lua_pushstring(L, sql ? sql : "");
    return db_error(L, d, lua_tostring(L, -1), lua_rawlen(L, -1));  /* the box closes later */
  }
  stmt_close(box);  /* let go of its locks now, not at the next collection */
  return 0;
}

int db_push_rows(lua_State *L, int db_idx, int sql_idx, int params_idx, int alive_idx) {
  zb_stmt *box;
  int box_idx;
  db_idx = lua_absindex(L, db_idx);
  alive_idx = lua_absindex(L, alive_idx);
  box = prepare_query(L, db_idx, sql_idx, params_idx);
  box_idx = lua_gettop(L);
  lua_pushvalue(L, box_idx);
  push_names(L, box->stmt);
  box->reading = 0;  /* the rows loop reads it from here */
  luaL_getmetatable(L, ZB_ROW);
  lua_pushvalue(L, alive_idx);
  lua_pushinteger(L, QUERY_RUNNING);
  lua_pushcclosure(L, rows_next, 5);
  lua_pushnil(L);
  lua_pushnil(L);
  lua_pushvalue(L, box_idx);  /* closed when the loop ends, however it ends */
  return 4;
}

/* Push an array of n strings, each what text(stmt, i) gives ("" for NULL). */
static void push_texts(lua_State *L, sqlite3_stmt *stmt, int n, const char *(*text)(sqlite3_stmt *, int)) {
  int i;
  lua_createtable(L, n, 0);
  for (i = 0; i < n; i++) {
    const char *s = text(stmt, i);
    lua_pushstring(L, s ? s : "");
    lua_rawseti(L, -2, i + 1);
  }
}

/* Push where each of n columns comes from unchanged, {database, table,
** column}, or false for an expression's. */
static void push_origins(lua_State *L, sqlite3_stmt *stmt, int n) {
  int i;
  lua_createtable(L, n, 0);
  for (i = 0; i < n; i++) {
    const char *database = sqlite3_column_database_name(stmt, i);
    const char *table = sqlite3_column_table_name(stmt, i);
    const char *column = sqlite3_column_origin_name(stmt, i);
    if (database && table && column) {
      lua_createtable(L, 3, 0);
      lua_pushstring(L, database);
      lua_rawseti(L, -2, 1);
      lua_pushstring(L, table);
      lua_rawseti(L, -2, 2);
      lua_pushstring(L, column);
      lua_rawseti(L, -2, 3);
    } else {
      lua_pushboolean(L, 0);
    }
    lua_rawseti(L, -2, i + 1);
  }
}

static int no_columns(lua_State *L, const char *why) {
  lua_pushnil(L);
  lua_pushstring(L, why);
  return 2;
}

int db_push_columns(lua_State *L, int db_idx, int sql_idx) {
  size_t len;
  const char *sql = lua_tolstring(L, sql_idx, &len), *tail = sql;
  int n, i, more, rc;
  zb_db *d = db_check_open(L, db_idx);
  zb_stmt *box, *next;
  db_idx = lua_absindex(L, db_idx);
  box = stmt_push_closing_box(L, db_idx, d);
  if (sqlite3_prepare_v2(d->handle, sql, (int)len, &box->stmt, &tail) != SQLITE_OK)
    return no_columns(L, sqlite3_errmsg(d->handle));
  next = stmt_push_closing_box(L, db_idx, d);  /* only comments left, or a statement? */
  rc = sqlite3_prepare_v2(d->handle, tail, (int)(len - (size_t)(tail - sql)), &next->stmt, NULL);
  if (rc == SQLITE_NOMEM) return no_columns(L, sqlite3_errstr(rc));  /* not a second statement: no memory to tell */
  more = rc != SQLITE_OK || next->stmt != NULL;
  n = box->stmt ? sqlite3_column_count(box->stmt) : 0;
  for (i = 0; i < n; i++)  /* a name SQLite could not make: out of memory */
    if (sqlite3_column_name(box->stmt, i) == NULL) return no_columns(L, sqlite3_errstr(SQLITE_NOMEM));
  push_texts(L, box->stmt, n, sqlite3_column_name);
  lua_pushboolean(L, box->stmt != NULL && sqlite3_stmt_readonly(box->stmt));
  lua_pushboolean(L, more);
  lua_pushinteger(L, box->stmt ? sqlite3_bind_parameter_count(box->stmt) : 0);
  lua_pushboolean(L, tail > sql && tail[-1] == ';');  /* SQLite leaves the tail after the ';' that ends it */
  push_texts(L, box->stmt, n, sqlite3_column_decltype);
  push_origins(L, box->stmt, n);
  return 7;
}

/* ---- savepoints: all of a change, or none of it ---- */

typedef struct zb_savepoint {
  zb_db *db;   /* kept alive by the guard's user value */
  int open;    /* neither released nor rolled back yet */
} zb_savepoint;

static int l_savepoint_close(lua_State *L) {
  zb_savepoint *g = (zb_savepoint *)luaL_checkudata(L, 1, ZB_SAVEPOINT);
  if (g->open && g->db->handle != NULL)
    sqlite3_exec(g->db->handle, "ROLLBACK TO zb_change; RELEASE zb_change", NULL, NULL, NULL);
  g->open = 0;
  return 0;
}

void db_push_savepoint(lua_State *L, int db_idx) {
  zb_db *d = db_check_open(L, db_idx);
  zb_savepoint *g;
  db_idx = lua_absindex(L, db_idx);
  g = (zb_savepoint *)lua_newuserdatauv(L, sizeof *g, 1);
  g->db = d;
  g->open = 0;
  luaL_setmetatable(L, ZB_SAVEPOINT);
  lua_pushvalue(L, db_idx);
  lua_setiuservalue(L, -2, 1);
  lua_toclose(L, -1);
  db_exec(L, db_idx, "SAVEPOINT zb_change");
  g->open = 1;
}

void db_release_savepoint(lua_State *L, int guard_idx) {
  zb_savepoint *g = (zb_savepoint *)luaL_checkudata(L, guard_idx, ZB_SAVEPOINT);
  if (sqlite3_exec(g->db->handle, "RELEASE zb_change", NULL, NULL, NULL) != SQLITE_OK)
    db_error(L, g->db, "RELEASE zb_change", 17);
  g->open = 0;
}

/* db:sql(query, ...) */
static int l_db_sql(lua_State *L) {
  return run_sql(L, 1, 2, lua_gettop(L));
}

/* db:atomic(fn, ...): fn(...) inside a savepoint, so that all of its changes
** stay or, when it raises, none do; returns what fn returns. */
static int l_db_atomic(lua_State *L) {
  int nargs = lua_gettop(L) - 2, guard, i;
  luaL_checktype(L, 2, LUA_TFUNCTION);
  db_push_savepoint(L, 1);
  guard = lua_gettop(L);
  luaL_checkstack(L, nargs + 1, "too many arguments");
  for (i = 2; i <= nargs + 2; i++) lua_pushvalue(L, i);
  lua_call(L, nargs, LUA_MULTRET);  /* an error closes the guard: rolled back */
  db_release_savepoint(L, guard);
  return lua_gettop(L) - guard;
}

void db_close(lua_State *L, int idx) {
  zb_db *d = db_check_any(L, idx);
  sqlfn_release_through(d->fns, L);  /* metrics let go of their functions */
  close_handle(d);
  sqlfn_release_through(d->fns, NULL);
}

static int l_db_gc(lua_State *L) {
  db_close(L, 1);
  return 0;
}

static int l_db_close(lua_State *L) {
  zb_db *d = db_check_any(L, 1);
  if (d->running) return luaL_error(L, "cannot close the database while a query on it runs");
  db_close(L, 1);
  return 0;
}

static int l_db_tostring(lua_State *L) {
  zb_db *d = db_check_any(L, 1);
  lua_getiuservalue(L, 1, 1);
  if (d->handle == NULL) lua_pushfstring(L, "zb.Database (%s, closed)", lua_tostring(L, -1));
  else lua_pushfstring(L, "zb.Database (%s)", lua_tostring(L, -1));
  return 1;
}

static const luaL_Reg db_methods[] = {
  {"sql", l_db_sql},
  {"atomic", l_db_atomic},
  {"close", l_db_close},
  {NULL, NULL}
};

static const luaL_Reg db_metamethods[] = {
  {"__gc", l_db_gc},
  {"__close", l_db_close},
  {"__tostring", l_db_tostring},
  {"__index", NULL},  /* set to db_methods below */
  {NULL, NULL}
};

static const luaL_Reg savepoint_metamethods[] = {
  {"__gc", l_savepoint_close},
  {"__close", l_savepoint_close},
  {NULL, NULL}
};

static const luaL_Reg stmt_metamethods[] = {
  {"__gc", l_stmt_close},
  {"__close", l_stmt_close},
  {NULL, NULL}
};

void db_open_library(lua_State *L) {
  error_open_library(L);
  luaL_newmetatable(L, ZB_DATABASE);
  luaL_setfuncs(L, db_metamethods, 0);
  luaL_newlib(L, db_methods);
  lua_setfield(L, -2, "__index");
  luaL_newmetatable(L, ZB_STATEMENT);
  luaL_setfuncs(L, stmt_metamethods, 0);
  luaL_newmetatable(L, ZB_SAVEPOINT);
  luaL_setfuncs(L, savepoint_metamethods, 0);
  lua_pop(L, 3);
}
