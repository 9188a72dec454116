/*
** postgresql.c: a PostgreSQL server as the session's engine, through libpq.
** libpq is opened at the first connection (dlopen), not linked: a zb that
** never connects pays nothing for it at start-up.  A connection runs one
** query at a time; rows stream in single-row mode (constant memory) and
** reach Lua as zb.Row values typed as SQLite gives them: integers (and
** booleans as 0 or 1) as integers, floating and numeric values as reals
** (a numeric without a fraction as an integer), the rest as text.
*/
#include <dlfcn.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <libpq-fe.h>

#include "lua.h"
#include "lauxlib.h"

#include "box.h"
#include "db.h"
#include "decimal.h"
#include "error.h"
#include "interrupt.h"
#include "postgresql.h"
#include "row.h"
#include "sink.h"
#include "value.h"
#include "zb.h"

#define PG_CONNECTION "zb.PostgreSQL"
#define PG_QUERY "zb.PostgreSQLQuery"
#define PQ_LIBRARY "libpq.so.5"  /* the soname Debian's libpq-dev links */

/* Type oids (PostgreSQL's pg_type.dat): how a column's values reach Lua. */
enum { OID_BOOL = 16, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23, OID_TEXT = 25, OID_OID = 26, OID_FLOAT4 = 700,
       OID_FLOAT8 = 701, OID_VARCHAR = 1043, OID_NUMERIC = 1700 };

/* libpq, opened at the first connection; process-wide, filled once. */
static struct {
  int opened;
#define PQ_FUNCTIONS(X) X(PQconnectdb) X(PQstatus) X(PQerrorMessage) X(PQfinish) X(PQsendQueryParams) \
  X(PQsetSingleRowMode) X(PQgetResult) X(PQresultStatus) X(PQresultErrorField) X(PQclear) X(PQntuples) \
  X(PQnfields) X(PQfname) X(PQftype) X(PQgetvalue) X(PQgetlength) X(PQgetisnull) X(PQprepare) \
  X(PQdescribePrepared) X(PQnparams) X(PQgetCancel) X(PQcancel) X(PQfreeCancel) X(PQexecParams) X(PQexec) \
  X(PQputCopyData) X(PQputCopyEnd) X(PQtransactionStatus) X(PQsetNoticeProcessor) X(PQcmdTuples) \
  X(PQresultErrorMessage) X(PQserverVersion) X(PQreset) X(PQsocket) X(PQenterPipelineMode) \
  X(PQexitPipelineMode) X(PQpipelineSync) X(PQsendPrepare) X(PQsendDescribePrepared) X(PQconninfoParse) \
  X(PQconninfoFree) X(PQfreemem) X(PQftable) X(PQftablecol)
#define PQ_POINTER(name) __typeof__(name) *name;
  PQ_FUNCTIONS(PQ_POINTER)
} pq;

const char *postgresql_open_library(void) {
  void *lib;
  if (pq.opened) return NULL;
  lib = dlopen(PQ_LIBRARY, RTLD_NOW | RTLD_LOCAL);
  if (lib == NULL) return dlerror();
#define PQ_RESOLVE(name) { \
    void *found = dlsym(lib, #name); \
    if (found == NULL) return PQ_LIBRARY " lacks " #name; \
    memcpy(&pq.name, &found, sizeof found); \
  }
  PQ_FUNCTIONS(PQ_RESOLVE)
  pq.opened = 1;
  return NULL;
}

struct pg_query;

typedef struct pg_conn {
  PGconn *conn;
  PGcancel *cancel;
  struct pg_query *current;  /* the query whose rows are being read, or NULL */
  char *setup;  /* SQL that makes a new session the one zb set up (conn:on_connect), or NULL */
  int connected;  /* once connected: a lost connection is made again */
} pg_conn;

/* The connection a Ctrl-C cancels the query of (the session's), and its
** socket. */
static PGcancel *volatile session_cancel;
static volatile int session_socket = -1;

/* Whether a script may open a connection: not once a safe session's
** script is about to run (its server is the one given with -d). */
static volatile int scripts_may_connect = 1;

void postgresql_close_to_scripts(void) {
  scripts_may_connect = 0;
}

void postgresql_cancel_from_signal(void) {
  char why[256];
  PGcancel *c = session_cancel;
  if (c == NULL) return;
  /* libpq: safe in a signal handler.  A safe session's sandbox lets no
  ** socket be made for the request: the connection is shut instead, and
  ** the server ends the query as it finds its client gone (the session
  ** sets client_connection_check_interval). */
  if (!pq.PQcancel(c, why, (int)sizeof why) && !scripts_may_connect && session_socket >= 0)
    (void)shutdown(session_socket, SHUT_RDWR);
}

static void connect_again(lua_State *L, pg_conn *c);

static pg_conn *check_conn(lua_State *L, int idx) {
  pg_conn *c = (pg_conn *)luaL_checkudata(L, idx, PG_CONNECTION);
  if (c->conn == NULL) luaL_error(L, "attempt to use a closed PostgreSQL connection");
  if (pq.PQstatus(c->conn) == CONNECTION_BAD) {  /* lost, and making it again failed before */
    lua_pushliteral(L, "PostgreSQL: no connection to the server");
    connect_again(L, c);
    lua_error(L);
  }
  return c;
}

static int l_conn_close(lua_State *L) {
  pg_conn *c = (pg_conn *)luaL_checkudata(L, 1, PG_CONNECTION);
  if (c->cancel != NULL) {
    if (session_cancel == c->cancel) session_cancel = NULL, session_socket = -1;
    pq.PQfreeCancel(c->cancel);
    c->cancel = NULL;
  }
  if (c->conn != NULL) pq.PQfinish(c->conn);
  c->conn = NULL;
  free(c->setup);
  c->setup = NULL;
  return 0;
}

static int l_conn_tostring(lua_State *L) {
  const pg_conn *c = (const pg_conn *)luaL_checkudata(L, 1, PG_CONNECTION);
  if (c->conn == NULL) lua_pushliteral(L, "PostgreSQL connection (closed)");
  else lua_pushfstring(L, "PostgreSQL connection (%p)", (const void *)c);
  return 1;
}

static void ignore_notice(void *arg, const char *message) {
  (void)arg;
  (void)message;
}

/* libpq's message for conn's last problem, its first line. */
static void push_libpq_message(lua_State *L, PGconn *conn) {
  const char *text = pq.PQerrorMessage(conn);
  lua_pushlstring(L, text, strcspn(text, "\n"));
}

/* After the connection was lost: made again as psql does (a new session,
** set up as the old one was, the query that lost it not run again), what
** happened said after the message on top of the stack. */
static void connect_again(lua_State *L, pg_conn *c) {
  PGcancel *old = c->cancel;
  if (!c->connected) return;  /* the first connection failed: nothing to make again */
  pq.PQreset(c->conn);
  if (pq.PQstatus(c->conn) != CONNECTION_OK) {
    lua_pushliteral(L, " (the connection to the server was lost, and connecting again failed: ");
    push_libpq_message(L, c->conn);
    lua_pushliteral(L, ")");
    lua_concat(L, 4);
    return;
  }
  if (session_cancel == old) session_cancel = NULL;  /* a Ctrl-C now cancels the new session's query */
  c->cancel = pq.PQgetCancel(c->conn);
  if (old != NULL) pq.PQfreeCancel(old);
  if (session_cancel == NULL) session_cancel = c->cancel, session_socket = pq.PQsocket(c->conn);
  if (c->setup != NULL) pq.PQclear(pq.PQexec(c->conn, c->setup));
  lua_pushliteral(L, " (the connection to the server was lost; zb connected again, in a new session: its temporary "
                     "tables, settings and any open transaction are gone)");
  lua_concat(L, 2);
}

/* Whether res (or, without one, the connection) says the connection is
** lost: a FATAL or PANIC error ends the session (the server closes it
** after sending it, before libpq has seen the close). */
static int connection_lost(const PGresult *res, pg_conn *c) {
  const char *severity = res ? pq.PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED) : NULL;
  if (severity != NULL && (strcmp(severity, "FATAL") == 0 || strcmp(severity, "PANIC") == 0)) return 1;
  return pq.PQstatus(c->conn) == CONNECTION_BAD;
}

/* "PostgreSQL: " and text's first len bytes pushed; when the connection c
** (none: NULL) is lost with it (connection_lost of res), libpq's reason
** after them if asked (a problem of zb's own is not the loss's), and the
** connection made again. */
static void push_message(lua_State *L, pg_conn *c, const PGresult *res, const char *text, size_t len, int reason) {
  lua_pushliteral(L, "PostgreSQL: ");
  lua_pushlstring(L, text, len);
  lua_concat(L, 2);
  if (c == NULL || !c->connected || !connection_lost(res, c)) return;
  if (reason) {
    lua_pushliteral(L, ": ");
    push_libpq_message(L, c->conn);
    lua_concat(L, 3);
  }
  connect_again(L, c);
}

/* The server's first line of what went wrong, without libpq's "ERROR:  "
** (libpq's own without one); a connection lost with it is made again. */
static void push_problem(lua_State *L, const PGresult *res, pg_conn *c) {
  const char *primary = res ? pq.PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
  const char *text = primary ? primary : (res ? pq.PQresultErrorMessage(res) : pq.PQerrorMessage(c->conn));
  size_t len = strlen(text);
  while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' ')) len--;
  push_message(L, c, res, text, len, 0);
}

/* push_problem, then the SQLSTATE of res ("" for none). */
static void push_problem_state(lua_State *L, const PGresult *res, pg_conn *c) {
  const char *state = res ? pq.PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
  push_problem(L, res, c);
  lua_pushstring(L, state ? state : "");
}

/* The message and SQLSTATE on top of the stack replaced by the message the
** hook of the connection at conn_idx (conn:on_problem) makes of them (zb's
** engine names zb.install() for a function of its library), or by the
** message alone without one.  Called once the query that failed is over:
** the hook may query the server. */
static void tell_problem(lua_State *L, int conn_idx) {
  conn_idx = lua_absindex(L, conn_idx);
  if (lua_getiuservalue(L, conn_idx, 1) != LUA_TFUNCTION) {
    lua_pop(L, 2);
    return;
  }
  lua_insert(L, -3);
  lua_call(L, 2, 1);
}

/* zb.core.pg_connect(conninfo): a connection, or raises with libpq's
** reason.  conninfo is any libpq connection string or URI; the password
** comes from it, PGPASSWORD or ~/.pgpass, and no message repeats it. */
static int l_connect(lua_State *L) {
  const char *conninfo = luaL_checkstring(L, 1), *why = postgresql_open_library();
  pg_conn *c;
  if (why != NULL) return luaL_error(L, "cannot connect to PostgreSQL: %s (Debian's libpq5)", why);
  if (!scripts_may_connect)
    return luaL_error(L, "cannot connect to PostgreSQL from a safe session's script (zb --safe): its server is the one "
                         "given with -d");
  c = (pg_conn *)lua_newuserdatauv(L, sizeof *c, 1);  /* its user value: conn:on_problem's hook */
  memset(c, 0, sizeof *c);
  luaL_setmetatable(L, PG_CONNECTION);
  c->conn = pq.PQconnectdb(conninfo);
  if (c->conn == NULL) return luaL_error(L, "cannot connect to PostgreSQL: not enough memory");
  if (pq.PQstatus(c->conn) != CONNECTION_OK) {
    push_problem(L, NULL, c);
    pq.PQfinish(c->conn);
    c->conn = NULL;
    return lua_error(L);
  }
  pq.PQsetNoticeProcessor(c->conn, ignore_notice, NULL);
  c->cancel = pq.PQgetCancel(c->conn);
  session_cancel = c->cancel;
  session_socket = pq.PQsocket(c->conn);
  c->connected = 1;
  return 1;
}

/* A connection string as libpq read it, and why it could not, held in a
** box however the caller ends. */
typedef struct conninfo_box {
  PQconninfoOption *options;
  char *why;
} conninfo_box;

static int conninfo_box_close(lua_State *L) {
  conninfo_box *b = (conninfo_box *)lua_touserdata(L, 1);
  if (b->options != NULL) pq.PQconninfoFree(b->options);
  if (b->why != NULL) pq.PQfreemem(b->why);
  b->options = NULL, b->why = NULL;
  return 0;
}

/* zb.core.pg_conninfo(conninfo): libpq's own reading of conninfo (a
** connection string or URI; no defaults, no environment): the options it
** sets, in libpq's order, each {keyword, value, secret} (secret: libpq
** would hide it in a connection dialog, a password); or nil and libpq's
** reason when it cannot read it (which may quote conninfo whole). */
int postgresql_l_conninfo(lua_State *L) {
  const char *conninfo = luaL_checkstring(L, 1), *why = postgresql_open_library();
  conninfo_box *b;
  PQconninfoOption *o;
  int n = 0;
  if (why != NULL) return luaL_error(L, "cannot read a PostgreSQL connection string: %s (Debian's libpq5)", why);
  b = (conninfo_box *)box_push(L, sizeof *b, "zb.PostgreSQLConninfo", conninfo_box_close);
  b->options = pq.PQconninfoParse(conninfo, &b->why);
  if (b->options == NULL) {
    const char *reason = b->why != NULL ? b->why : "not enough memory";
    luaL_pushfail(L);
    lua_pushlstring(L, reason, strcspn(reason, "\n"));
    return 2;
  }
  lua_newtable(L);
  for (o = b->options; o->keyword != NULL; o++) {
    if (o->val == NULL) continue;
    lua_createtable(L, 3, 0);
    lua_pushstring(L, o->keyword);
    lua_rawseti(L, -2, 1);
    lua_pushstring(L, o->val);
    lua_rawseti(L, -2, 2);
    lua_pushboolean(L, o->dispchar != NULL && o->dispchar[0] == '*');
    lua_rawseti(L, -2, 3);
    lua_rawseti(L, -2, ++n);
  }
  return 1;
}

/* conn:on_problem(hook): hook(message, sqlstate) gives the message of
** each query of conn that fails (its rows read, exec, rows_into); nil
** for none. */
static int l_conn_on_problem(lua_State *L) {
  (void)check_conn(L, 1);
  if (!lua_isnil(L, 2)) luaL_checktype(L, 2, LUA_TFUNCTION);
  lua_settop(L, 2);
  lua_setiuservalue(L, 1, 1);
  return 0;
}

/* conn:on_connect(sql): run sql on the session made again after the
** connection is lost (zb's settings: the search path to its library). */
static int l_conn_on_connect(lua_State *L) {
  pg_conn *c = check_conn(L, 1);
  const char *sql = luaL_checkstring(L, 2);
  char *copy = strdup(sql);
  if (copy == NULL) return luaL_error(L, "not enough memory");
  free(c->setup);
  c->setup = copy;
  return 0;
}

/* The parameters params[1..n] (a table at idx) as libpq takes them, text
** each (kept alive on the Lua stack: a table of strings pushed here) and
** its type: an integer is integer when it fits in 32 bits, else bigint
** (the server widens an integer where a bigint is wanted, never narrows a
** bigint: substr(s, $1) takes an integer), a float double precision, text
** unknown (the server infers it); nil is NULL, a boolean 1 or 0 (as SQLite
** binds it).  An integer sent as unknown would be text in SELECT $1 and an
** integer column's type beside one (2^31 there out of range). */
#define MAX_PARAMS 1024
typedef struct pg_params {
  int n;
  const char *values[MAX_PARAMS];
  Oid types[MAX_PARAMS];
} pg_params;

static void read_params(lua_State *L, int idx, pg_params *p) {
  int i;
  idx = lua_absindex(L, idx);
  lua_getfield(L, idx, "n");
  p->n = lua_isinteger(L, -1) ? (int)lua_tointeger(L, -1) : (int)lua_rawlen(L, idx);
  lua_pop(L, 1);
  if (p->n > MAX_PARAMS) luaL_error(L, "PostgreSQL: at most %d parameters a query", MAX_PARAMS);
  lua_createtable(L, p->n, 0);  /* the texts, alive while the query is sent */
  for (i = 0; i < p->n; i++) {
    int kind = lua_rawgeti(L, idx, i + 1);
    p->types[i] = 0;
    if (kind == LUA_TNIL) p->values[i] = NULL;
    else if (kind == LUA_TBOOLEAN) p->values[i] = lua_toboolean(L, -1) ? "1" : "0";
    else if (kind == LUA_TNUMBER) {
      if (lua_isinteger(L, -1)) {
        lua_Integer k = lua_tointeger(L, -1);
        p->types[i] = k >= INT32_MIN && k <= INT32_MAX ? OID_INT4 : OID_INT8;
        lua_pushfstring(L, "%I", (LUAI_UACINT)k);
      } else if (isnan(lua_tonumber(L, -1))) {  /* NULL, as SQLite binds it: a NaN there would count and sum */
        p->types[i] = OID_FLOAT8;
        p->values[i] = NULL;
        lua_pop(L, 1);
        continue;
      } else {
        char buf[64];
        double d = lua_tonumber(L, -1);
        p->types[i] = OID_FLOAT8;
        if (isinf(d)) snprintf(buf, sizeof buf, d > 0 ? "Infinity" : "-Infinity");
        else snprintf(buf, sizeof buf, "%.17g", d);
        lua_pushstring(L, buf);
      }
      lua_rawseti(L, -3, i + 1);
      lua_rawgeti(L, -2, i + 1);
      lua_replace(L, -2);
      p->values[i] = lua_tostring(L, -1);
    } else if (kind == LUA_TSTRING) {
      size_t len;
      p->values[i] = lua_tolstring(L, -1, &len);
      if (strlen(p->values[i]) != len) luaL_error(L, "PostgreSQL: text parameter %d holds a NUL byte", i + 1);
      lua_rawseti(L, -2, i + 1);
      lua_rawgeti(L, -1, i + 1);
    } else {
      luaL_error(L, "PostgreSQL: cannot bind a %s (parameter %d)", luaL_typename(L, -1), i + 1);
    }
    lua_pop(L, 1);
  }
}

static uint64_t get_be(const char *bytes, int n) {
  uint64_t x = 0;
  int k;
  for (k = 0; k < n; k++) x = x << 8 | (unsigned char)bytes[k];
  return x;
}

/* Cell i of row in binary format (the query asked for it: every column of
** a type read here), as read_cell reads its text; 0 for a type or length
** not foreseen (a table changed since it was described). */
static int read_binary_cell(const PGresult *res, int row, int i, zb_value *out) {
  const char *bytes = pq.PQgetvalue(res, row, i);
  int len = pq.PQgetlength(res, row, i);
  uint64_t bits;
  if (pq.PQgetisnull(res, row, i)) {
    out->type = SQLITE_NULL;
    return 1;
  }
  switch (pq.PQftype(res, i)) {
    case OID_BOOL: out->type = SQLITE_INTEGER, out->i = len == 1 && bytes[0] != 0; return len == 1;
    case OID_INT2: out->type = SQLITE_INTEGER, out->i = (int16_t)get_be(bytes, 2); return len == 2;
    case OID_INT4: out->type = SQLITE_INTEGER, out->i = (int32_t)get_be(bytes, 4); return len == 4;
    case OID_INT8: out->type = SQLITE_INTEGER, out->i = (int64_t)get_be(bytes, 8); return len == 8;
    case OID_FLOAT8:
      if (len != 8) return 0;
      bits = get_be(bytes, 8);
      out->type = SQLITE_FLOAT;
      memcpy(&out->d, &bits, sizeof out->d);
      return 1;
    case OID_TEXT: case OID_VARCHAR: out->type = SQLITE_TEXT, out->bytes = bytes, out->len = (size_t)len; return 1;
    default: return 0;
  }
}

/* Cell i of the current row of res as zb_value out (its bytes libpq's).
** A whole numeric past 64 bits (a sum of bigints) is raised, not rounded
** to a real: SQLite's sum of integers raises there too. */
static void read_cell(lua_State *L, const PGresult *res, int row, int i, zb_value *out) {
  const char *text = pq.PQgetvalue(res, row, i);
  char *end;
  if (pq.PQgetisnull(res, row, i)) {
    out->type = SQLITE_NULL;
    return;
  }
  switch (pq.PQftype(res, i)) {
    case OID_BOOL: out->type = SQLITE_INTEGER, out->i = text[0] == 't'; return;
    case OID_INT2: case OID_INT4: case OID_INT8: case OID_OID:
      out->type = SQLITE_INTEGER, out->i = strtoll(text, NULL, 10);
      return;
    case OID_NUMERIC:
      errno = 0;
      out->i = strtoll(text, &end, 10);
      if (*end == '\0' && errno == 0 && end != text) {
        out->type = SQLITE_INTEGER;
        return;
      }
      if (*end == '\0' && errno == ERANGE)
        luaL_error(L, "PostgreSQL: column %s holds %s, a whole number past 64 bits (zb's integers end at "
                      "9223372036854775807): cast it in SQL, as x::float8 for a real near it or x::text for its digits",
                   pq.PQfname(res, i), text);
      out->type = SQLITE_FLOAT, out->d = strtod(text, NULL);  /* a fraction, an exponent, NaN or past 64 bits */
      return;
    case OID_FLOAT4: case OID_FLOAT8:
      out->type = SQLITE_FLOAT, out->d = strtod(text, NULL);
      return;
    default:
      out->type = SQLITE_TEXT, out->bytes = text, out->len = (size_t)pq.PQgetlength(res, row, i);
  }
}

/* Push the names table of res's columns: {name = position, [position] = name}. */
static void push_names(lua_State *L, const PGresult *res) {
  int n = pq.PQnfields(res), i;
  lua_createtable(L, n, n);
  for (i = 1; i <= n; i++) {
    lua_pushstring(L, pq.PQfname(res, i - 1));
    lua_pushvalue(L, -1);
    lua_rawseti(L, -3, i);
    if (lua_rawget(L, -2) == LUA_TNIL) {
      lua_pushinteger(L, i);
      lua_setfield(L, -3, pq.PQfname(res, i - 1));
    }
    lua_pop(L, 1);
  }
}

/* A query whose rows are read: its current result, cleared however the
** reading ends; closing it early cancels the rest on the server. */
typedef struct pg_query {
  pg_conn *c;
  PGresult *res;
  int binary;  /* the rows come in binary format (read_binary_cell) */
  int done;
  int cut;  /* ended by another query before its last row: reading on is an error */
} pg_query;

static void query_finish(pg_query *q) {
  PGresult *r;
  if (q->res != NULL) pq.PQclear(q->res);
  q->res = NULL;
  if (q->c == NULL) return;
  if (!q->done && q->c->conn != NULL) {
    char why[256];
    if (q->c->cancel != NULL) (void)pq.PQcancel(q->c->cancel, why, (int)sizeof why);
    while ((r = pq.PQgetResult(q->c->conn)) != NULL) pq.PQclear(r);
  }
  q->c->current = NULL;
  q->c = NULL;
}

static int l_query_close(lua_State *L) {
  query_finish((pg_query *)luaL_checkudata(L, 1, PG_QUERY));
  return 0;
}

/* A connection runs one query at a time: a query whose rows were left
** unread (t:rows()() takes the first) ends here; a loop still reading it
** gets an error at its next row, never a quiet end. */
static void end_reading(pg_conn *c) {
  if (c->current == NULL) return;
  c->current->cut = 1;
  query_finish(c->current);
}

/* Push the message and SQLSTATE of q's result, which failed, and end q:
** the rest of its results read. */
static void query_failed(lua_State *L, pg_query *q) {
  pg_conn *c = q->c;
  push_problem_state(L, q->res, c);
  pq.PQclear(q->res);
  while ((q->res = pq.PQgetResult(c->conn)) != NULL) pq.PQclear(q->res);
  q->done = 1;
  query_finish(q);
}

/* Raise the failure of the query at q_idx (its result failed: q's), told
** by its connection's hook and naming its SQL, as exec's errors do. */
static int raise_query_failed(lua_State *L, int q_idx) {
  size_t len;
  const char *sql;
  q_idx = lua_absindex(L, q_idx);
  query_failed(L, (pg_query *)lua_touserdata(L, q_idx));
  lua_getiuservalue(L, q_idx, 1);  /* the connection */
  lua_insert(L, -3);
  tell_problem(L, -3);
  lua_getiuservalue(L, q_idx, 2);
  sql = lua_tolstring(L, -1, &len);
  error_raise_sql(L, lua_tostring(L, -2), sql, len, 1);
  return 0;
}

/* Send sql with the params at params_idx on c, its rows to come in binary
** format or as text, no result read yet. */
static void send_query(lua_State *L, pg_conn *c, const char *sql, int params_idx, int binary) {
  pg_params *p = (pg_params *)lua_newuserdatauv(L, sizeof *p, 0);
  end_reading(c);
  read_params(L, params_idx, p);
  if (!pq.PQsendQueryParams(c->conn, sql, p->n, p->types, p->values, NULL, NULL, binary)) {
    push_problem(L, NULL, c);
    lua_error(L);
  }
  lua_pop(L, 2);
}

/* upvalues: the query, the names table (made at the first row), the zb.Row metatable */
static int rows_next(lua_State *L) {
  pg_query *q = (pg_query *)lua_touserdata(L, lua_upvalueindex(1));
  zb_value on_stack[64], *cells = on_stack;
  int n, i;
  if (q->cut) return luaL_error(L, "PostgreSQL: these rows were cut off by another query (a connection reads one query at a time: collect the rows first)");
  if (q->c == NULL) return 0;
  if (q->res != NULL) pq.PQclear(q->res);
  q->res = pq.PQgetResult(q->c->conn);
  if (q->res == NULL) {
    q->done = 1;
    query_finish(q);
    return 0;
  }
  switch (pq.PQresultStatus(q->res)) {
    case PGRES_SINGLE_TUPLE: break;
    case PGRES_TUPLES_OK: case PGRES_COMMAND_OK:  /* the end: what follows is NULL */
      return rows_next(L);
    default:
      return raise_query_failed(L, lua_upvalueindex(1));
  }
  if (lua_isnil(L, lua_upvalueindex(2))) {
    push_names(L, q->res);
    lua_replace(L, lua_upvalueindex(2));
  }
  n = pq.PQnfields(q->res);
  if (n > 64) cells = (zb_value *)lua_newuserdatauv(L, (size_t)n * sizeof *cells, 0);
  for (i = 0; i < n; i++) {
    if (!q->binary) read_cell(L, q->res, 0, i, &cells[i]);
    else if (!read_binary_cell(q->res, 0, i, &cells[i]))
      return luaL_error(L, "PostgreSQL: column %s's type changed while its query ran", pq.PQfname(q->res, i));
  }
  row_push_cells(L, lua_upvalueindex(2), lua_upvalueindex(3), cells, n);
  return 1;
}

/* Push the query just sent on c (the connection at stack index 1, which
** it keeps alive: its user value 1), c's current one; its SQL (at sql_idx)
** its user value 2, for its errors. */
static pg_query *push_query(lua_State *L, pg_conn *c, int sql_idx) {
  pg_query *q = (pg_query *)lua_newuserdatauv(L, sizeof *q, 2);
  sql_idx = lua_absindex(L, sql_idx);
  memset(q, 0, sizeof *q);
  luaL_setmetatable(L, PG_QUERY);
  q->c = c;
  c->current = q;
  lua_pushvalue(L, 1);
  lua_setiuservalue(L, -2, 1);
  lua_pushvalue(L, sql_idx);
  lua_setiuservalue(L, -2, 2);
  return q;
}

/* conn:rows(sql, params [, binary]): the rows of sql, streamed, for a
** generic for: the iterator, nil, nil and the query (to-be-closed).  With
** binary, the rows come in binary format: for a query whose columns are
** all of types read_binary_cell reads (no number parsed from text). */
static int l_conn_rows(lua_State *L) {
  pg_conn *c = check_conn(L, 1);
  const char *sql = luaL_checkstring(L, 2);
  pg_query *q;
  int binary = lua_toboolean(L, 4);
  luaL_checktype(L, 3, LUA_TTABLE);
  send_query(L, c, sql, 3, binary);
  q = push_query(L, c, 2);
  q->binary = binary;
  if (!pq.PQsetSingleRowMode(c->conn)) {
    query_finish(q);
    return luaL_error(L, "PostgreSQL: cannot read the rows one at a time");
  }
  lua_pushvalue(L, -1);
  lua_pushnil(L);
  luaL_getmetatable(L, ZB_ROW);
  lua_pushcclosure(L, rows_next, 3);
  lua_pushnil(L);
  lua_pushnil(L);
  lua_pushvalue(L, -4);
  return 4;
}

/* Create the temporary table name (columns c1 ... cn, no declared type:
** each value keeps its own) on the zb.Database at db and prepare its
** INSERT; pushes the statement's box. */
static sqlite3_stmt *push_stage(lua_State *L, int db, const char *name, int n) {
  luaL_Buffer b;
  int i;
  luaL_buffinit(L, &b);
  lua_pushfstring(L, "CREATE TEMP TABLE \"%s\" (", name);
  luaL_addvalue(&b);
  for (i = 0; i < n; i++) {
    lua_pushfstring(L, "%sc%d", i ? ", " : "", i + 1);
    luaL_addvalue(&b);
  }
  luaL_addchar(&b, ')');
  luaL_pushresult(&b);
  db_exec(L, db, lua_tostring(L, -1));
  lua_pop(L, 1);
  luaL_buffinit(L, &b);
  lua_pushfstring(L, "INSERT INTO temp.\"%s\" VALUES (", name);
  luaL_addvalue(&b);
  for (i = 0; i < n; i++) luaL_addstring(&b, i ? ", ?" : "?");
  luaL_addchar(&b, ')');
  luaL_pushresult(&b);
  return db_push_prepared(L, db, lua_tostring(L, -1));
}

/* A finished result, held in a box however the caller ends. */
typedef struct result_box {
  PGresult *res;
} result_box;

static int result_box_close(lua_State *L) {
  result_box *b = (result_box *)lua_touserdata(L, 1);
  if (b->res != NULL) pq.PQclear(b->res);
  b->res = NULL;
  return 0;
}

static result_box *push_result_box(lua_State *L) {
  return (result_box *)box_push(L, sizeof(result_box), "zb.PostgreSQLResult", result_box_close);
}

static int failed(ExecStatusType status) {
  return status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_COPY_IN;
}

/* conn:exec(sql [, params]): run sql (several statements when no params);
** returns the rows of its last result as tables keyed by column name, or
** nothing when it has no columns. */
static int l_conn_exec(lua_State *L) {
  pg_conn *c = check_conn(L, 1);
  const char *sql = luaL_checkstring(L, 2);
  result_box *b = push_result_box(L);
  int box_idx = lua_gettop(L), rows, cols, r, i;
  end_reading(c);
  if (lua_istable(L, 3)) {
    pg_params *p = (pg_params *)lua_newuserdatauv(L, sizeof *p, 0);
    read_params(L, 3, p);
    b->res = pq.PQexecParams(c->conn, sql, p->n, p->types, p->values, NULL, NULL, 0);
  } else {
    b->res = pq.PQexec(c->conn, sql);
  }
  if (b->res == NULL || failed(pq.PQresultStatus(b->res))) {
    push_problem_state(L, b->res, c);
    tell_problem(L, 1);
    error_raise_sql(L, lua_tostring(L, -1), sql, strlen(sql), 1);
  }
  if ((cols = pq.PQnfields(b->res)) == 0) return 0;
  rows = pq.PQntuples(b->res);
  lua_createtable(L, rows, 0);
  for (r = 0; r < rows; r++) {
    lua_createtable(L, 0, cols);
    for (i = 0; i < cols; i++) {
      zb_value v;
      read_cell(L, b->res, r, i, &v);
      value_push(L, &v);
      lua_setfield(L, -2, pq.PQfname(b->res, i));
    }
    lua_rawseti(L, -2, r + 1);
  }
  lua_closeslot(L, box_idx);
  return 1;
}

/* Run sql (no parameters) for its effect; raises with the server's words. */
static void run(lua_State *L, pg_conn *c, const char *sql) {
  PGresult *res = pq.PQexec(c->conn, sql);
  int bad = res == NULL || failed(pq.PQresultStatus(res));
  if (bad) push_problem(L, res, c);
  pq.PQclear(res);
  if (bad) lua_error(L);
}

/* Read the results of a pipeline of n commands and its sync into b: the
** first failure's result, else command keep's (the others are cleared);
** 0 when the connection gave out before all came. */
static int pipeline_results(pg_conn *c, int n, int keep, result_box *b) {
  PGresult *r, *failure = NULL, *kept = NULL;
  int k, complete = 1;
  for (k = 0; k < n && complete; k++) {
    ExecStatusType status;
    if ((r = pq.PQgetResult(c->conn)) == NULL) {
      complete = 0;
      break;
    }
    status = pq.PQresultStatus(r);
    if (failure == NULL && status != PGRES_COMMAND_OK && status != PGRES_PIPELINE_ABORTED) failure = r;
    else if (k == keep) kept = r;
    else pq.PQclear(r);
    while ((r = pq.PQgetResult(c->conn)) != NULL) pq.PQclear(r);  /* the command's end */
  }
  if (complete && (r = pq.PQgetResult(c->conn)) != NULL) pq.PQclear(r);  /* the sync */
  else complete = 0;
  if (failure != NULL && kept != NULL) pq.PQclear(kept);
  b->res = failure != NULL ? failure : kept;
  return complete && b->res != NULL;
}

/* conn:describe(sql [, params]): its column names, their type oids, how
** many parameters it takes, and each column's origin: {table oid, column
** number} when it is a table's column passed through unchanged (the
** server follows it through subqueries and views), else false; or nil,
** the server's message and its SQLSTATE.  params (a list, as exec's): their types as exec binds them,
** so that the server reads `? + ?` of two integers as it will run it.
** Prepared and described in one round trip (a pipeline: the unnamed
** statement).  Inside a transaction the check runs in a savepoint, so that
** a mistake leaves the transaction usable. */
static int l_conn_describe(lua_State *L) {
  pg_conn *c = check_conn(L, 1);
  const char *sql = luaL_checkstring(L, 2);
  pg_params p;
  result_box *b;
  int box_idx, in_transaction, n, i, sent, complete;
  p.n = 0;
  if (!lua_isnoneornil(L, 3)) read_params(L, 3, &p);
  b = push_result_box(L);
  box_idx = lua_gettop(L);
  end_reading(c);
  in_transaction = pq.PQtransactionStatus(c->conn) == PQTRANS_INTRANS;
  sent = pq.PQenterPipelineMode(c->conn) &&
         (!in_transaction || pq.PQsendQueryParams(c->conn, "SAVEPOINT zb_check", 0, NULL, NULL, NULL, NULL, 0)) &&
         pq.PQsendPrepare(c->conn, "", sql, p.n, p.n > 0 ? p.types : NULL) && pq.PQsendDescribePrepared(c->conn, "") &&
         (!in_transaction || pq.PQsendQueryParams(c->conn, "RELEASE SAVEPOINT zb_check", 0, NULL, NULL, NULL, NULL, 0)) &&
         pq.PQpipelineSync(c->conn);
  complete = sent && pipeline_results(c, in_transaction ? 4 : 2, in_transaction ? 2 : 1, b);
  (void)pq.PQexitPipelineMode(c->conn);
  if (!complete) {
    push_problem(L, NULL, c);
    return lua_error(L);
  }
  if (pq.PQresultStatus(b->res) != PGRES_COMMAND_OK) {
    const char *state = pq.PQresultErrorField(b->res, PG_DIAG_SQLSTATE);
    int lost = connection_lost(b->res, c);  /* no problem of sql's: raised, never read as one */
    lua_pushnil(L);
    push_problem(L, b->res, c);
    if (lost) return lua_error(L);
    lua_pushstring(L, state ? state : "");
    if (in_transaction) run(L, c, "ROLLBACK TO SAVEPOINT zb_check; RELEASE SAVEPOINT zb_check");
    return 3;
  }
  n = pq.PQnfields(b->res);
  lua_createtable(L, n, 0);
  lua_createtable(L, n, 0);
  lua_pushinteger(L, pq.PQnparams(b->res));
  lua_createtable(L, n, 0);
  for (i = 0; i < n; i++) {  /* names, oids, nparams, origins */
    Oid table = pq.PQftable(b->res, i);
    lua_pushstring(L, pq.PQfname(b->res, i));
    lua_rawseti(L, -5, i + 1);
    lua_pushinteger(L, (lua_Integer)pq.PQftype(b->res, i));
    lua_rawseti(L, -4, i + 1);
    if (table == InvalidOid || pq.PQftablecol(b->res, i) <= 0) {
      lua_pushboolean(L, 0);
    } else {
      lua_createtable(L, 2, 0);
      lua_pushinteger(L, (lua_Integer)table);
      lua_rawseti(L, -2, 1);
      lua_pushinteger(L, pq.PQftablecol(b->res, i));
      lua_rawseti(L, -2, 2);
    }
    lua_rawseti(L, -2, i + 1);
  }
  lua_closeslot(L, box_idx);
  return 4;
}

/* A COPY ... FROM STDIN under way: the rows' text is built here and sent
** a few kilobytes at a time (so that the server, slower than zb at making
** them, always has the next ones waiting: a megabyte at a time left it idle
** while zb made one).  A loader fills it as a row sink; one not finished
** when its holder closes it (the load failed) is ended as failed, so that
** the connection is free for the load's rollback.  Its uservalue is the
** connection, which it keeps alive.  In binary format (columns' kinds
** known: a loader's own table) the server reads numbers without parsing
** text, the bulk of its work. */
typedef struct pg_copy {
  row_sink sink;  /* first: the loader's view of it */
  pg_conn *c;     /* NULL once the copy has ended */
  char *data;
  size_t len, cap;
  char *kinds;    /* binary format: each column's, 'i' (bigint), 'r' (double precision) or 't' (text); else NULL */
  int ncols, col; /* binary format: the columns, the next value's */
} pg_copy;

#define COPY_CHUNK (16u << 10)

/* End p's copy, if still under way, as failed: the server is told why. */
static void end_copy(pg_copy *p, const char *why) {
  PGresult *r;
  if (p->c != NULL && p->c->conn != NULL) {
    (void)pq.PQputCopyEnd(p->c->conn, why);
    while ((r = pq.PQgetResult(p->c->conn)) != NULL) pq.PQclear(r);
  }
  p->c = NULL;
}

/* End p's copy as failed and raise message (with libpq's reason, when
** the connection was lost). */
static int copy_abort(lua_State *L, pg_copy *p, const char *message) {
  pg_conn *c = p->c;
  end_copy(p, message);
  push_message(L, c, NULL, message, strlen(message), 1);
  return lua_error(L);
}

static int l_copy_close(lua_State *L) {
  pg_copy *p = (pg_copy *)luaL_checkudata(L, 1, ROW_SINK);
  end_copy(p, "the load failed");
  free(p->data);
  free(p->kinds);
  p->data = p->kinds = NULL;
  return 0;
}

static pg_copy *check_copy(lua_State *L, int idx) {
  pg_copy *p = (pg_copy *)luaL_checkudata(L, idx, ROW_SINK);
  if (p->c == NULL) luaL_error(L, "PostgreSQL: the COPY has ended");
  return p;
}

/* Room for n more bytes in p's text; raises when there is no memory. */
static void copy_reserve(lua_State *L, pg_copy *p, size_t n) {
  char *grown;
  if (p->len + n <= p->cap) return;
  grown = (char *)realloc(p->data, p->cap + n + COPY_CHUNK);
  if (grown == NULL) copy_abort(L, p, "not enough memory");
  p->data = grown;
  p->cap += n + COPY_CHUNK;
}

/* Send the text built so far; a stop (Ctrl-C, the timeout) ends the copy
** here, where the server, told to cancel, would only discard the rest. */
static void copy_send(lua_State *L, pg_copy *p) {
  if (interrupt_pending()) {
    lua_pushstring(L, interrupt_message());
    end_copy(p, interrupt_message());
    lua_error(L);
  }
  if (p->len > 0 && pq.PQputCopyData(p->c->conn, p->data, (int)p->len) != 1)
    copy_abort(L, p, "the rows could not be sent");
  p->len = 0;
}

/* Number v (an integer or a real) as PostgreSQL reads it, at out (room
** for 32 bytes); returns its length.  A real in the fewest digits that read
** back as it. */
static size_t number_text(const zb_value *v, char *out) {
  if (v->type == SQLITE_INTEGER) return decimal_integer(v->i, out);
  if (isnan(v->d)) return (size_t)snprintf(out, 32, "NaN");
  if (isinf(v->d)) return (size_t)snprintf(out, 32, v->d > 0 ? "Infinity" : "-Infinity");
  return decimal_real(v->d, out);
}

/* Value v in COPY's text format, and the tab after it. */
static void text_value(lua_State *L, pg_copy *p, const zb_value *v) {
  size_t i;
  switch (v->type) {
    case SQLITE_NULL:
      copy_reserve(L, p, 3);
      memcpy(p->data + p->len, "\\N", 2);
      p->len += 2;
      break;
    case SQLITE_INTEGER: case SQLITE_FLOAT:
      copy_reserve(L, p, 33);
      p->len += number_text(v, p->data + p->len);
      break;
    default:  /* text: backslash, tab, newline and carriage return escaped */
      copy_reserve(L, p, v->len * 2 + 1);
      for (i = 0; i < v->len; i++) {
        char ch = v->bytes[i];
        const char *esc = ch == '\\' ? "\\\\" : ch == '\t' ? "\\t" : ch == '\n' ? "\\n" : ch == '\r' ? "\\r" : NULL;
        if (esc != NULL) {
          p->data[p->len++] = esc[0];
          p->data[p->len++] = esc[1];
        } else {
          p->data[p->len++] = ch;
        }
      }
  }
  p->data[p->len++] = '\t';  /* copy_reserve left room for it */
}

static void put_be(pg_copy *p, uint64_t x, int bytes) {
  while (bytes-- > 0) p->data[p->len++] = (char)(x >> (8 * bytes));
}

/* Value v in COPY's binary format, as its column's kind: its length, then
** its bytes (an integer or a double as 8 bytes, most significant first;
** text as it is); a row begins with its count of values. */
static void binary_value(lua_State *L, pg_copy *p, const zb_value *v) {
  char kind;
  uint64_t bits;
  char digits[40];
  const char *bytes;
  size_t len;
  if (p->col >= p->ncols) copy_abort(L, p, "a row of more values than the table's columns");
  kind = p->kinds[p->col];
  copy_reserve(L, p, 14);
  if (p->col++ == 0) put_be(p, (uint64_t)p->ncols, 2);
  if (v->type == SQLITE_NULL) {
    put_be(p, 0xFFFFFFFFu, 4);
    return;
  }
  if (kind == 'i' && v->type == SQLITE_INTEGER) {
    put_be(p, 8, 4);
    put_be(p, (uint64_t)v->i, 8);
    return;
  }
  if (kind == 'r' && (v->type == SQLITE_FLOAT || v->type == SQLITE_INTEGER)) {
    double d = v->type == SQLITE_FLOAT ? v->d : (double)v->i;  /* rounded as the server reads its text */
    memcpy(&bits, &d, sizeof bits);
    put_be(p, 8, 4);
    put_be(p, bits, 8);
    return;
  }
  if (kind != 't') {  /* the loader typed the column by its values: a value of another kind is zb's fault */
    lua_pushfstring(L, "column %d: a %s value in a column of %s", p->col, v->type == SQLITE_FLOAT ? "real" :
                    v->type == SQLITE_INTEGER ? "integer" : "text", kind == 'i' ? "integers" : "reals");
    copy_abort(L, p, lua_tostring(L, -1));
  }
  if (v->type == SQLITE_INTEGER || v->type == SQLITE_FLOAT) {  /* a number into text: as the text format writes it */
    len = number_text(v, digits);
    bytes = digits;
  } else {
    bytes = v->bytes;
    len = v->len;
  }
  if (len > 0x7FFFFFFF) copy_abort(L, p, "a value of more than 2 GB");
  copy_reserve(L, p, len + 4);
  put_be(p, len, 4);
  memcpy(p->data + p->len, bytes, len);
  p->len += len;
}

static void copy_value(lua_State *L, row_sink *s, const zb_value *v) {
  pg_copy *p = (pg_copy *)s;
  if (p->kinds != NULL) binary_value(L, p, v);
  else text_value(L, p, v);
}

/* A row ends: in text, where its last value's tab was. */
static void copy_row_end(lua_State *L, row_sink *s) {
  pg_copy *p = (pg_copy *)s;
  if (p->kinds == NULL) {
    p->data[p->len - 1] = '\n';
  } else {
    if (p->col != p->ncols) copy_abort(L, p, "a row of fewer values than the table's columns");
    p->col = 0;
  }
  if (p->len >= COPY_CHUNK) copy_send(L, p);
}

/* After the rows: the server's verdict; pushes the rows copied (over the
** box of the server's result, closed as its holder returns), or raises
** with the server's words. */
static void copy_finish(lua_State *L, row_sink *s) {
  pg_copy *p = (pg_copy *)s;
  pg_conn *c = p->c;
  result_box *b = push_result_box(L);
  PGresult *r;
  if (p->kinds != NULL) {  /* the trailer: a row of -1 values */
    copy_reserve(L, p, 2);
    put_be(p, 0xFFFFu, 2);
  }
  copy_send(L, p);
  if (pq.PQputCopyEnd(c->conn, NULL) != 1) copy_abort(L, p, "the rows could not be sent");
  p->c = NULL;
  b->res = pq.PQgetResult(c->conn);
  if (b->res == NULL || pq.PQresultStatus(b->res) != PGRES_COMMAND_OK) {
    push_problem(L, b->res, c);
    while ((r = pq.PQgetResult(c->conn)) != NULL) pq.PQclear(r);
    lua_error(L);
  }
  lua_pushinteger(L, (lua_Integer)strtoll(pq.PQcmdTuples(b->res), NULL, 10));
  while ((r = pq.PQgetResult(c->conn)) != NULL) pq.PQclear(r);
}

/* copy:add_query(db, select_sql): the rows of select_sql on the
** zb.Database db into the copy, without a Lua value a cell. */
static int l_copy_add_query(lua_State *L) {
  pg_copy *p = check_copy(L, 1);
  sqlite3_stmt *stmt = db_push_prepared(L, 2, luaL_checkstring(L, 3));
  int n = sqlite3_column_count(stmt), rc, i;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    for (i = 0; i < n; i++) {
      zb_value v;
      value_read(sqlite3_column_value(stmt, i), &v);
      copy_value(L, &p->sink, &v);
    }
    copy_row_end(L, &p->sink);
  }
  if (rc != SQLITE_DONE) return copy_abort(L, p, "the rows could not be read");
  return 0;
}

/* copy:finish(): the rows copied, or raises with the server's words. */
static int l_copy_finish(lua_State *L) {
  copy_finish(L, &check_copy(L, 1)->sink);
  return 1;
}

static const luaL_Reg copy_methods[] = {
  {"add_query", l_copy_add_query},
  {"finish", l_copy_finish},
  {NULL, NULL}
};

/* conn:copy_in(copy_sql [, kinds]): start COPY ... FROM STDIN (copy_sql);
** with kinds, a string of each column's ('i' bigint, 'r' double precision,
** 't' text), copy_sql says FORMAT binary.  Returns the copy, a row sink
** that a loader fills (or copy:add_query) and copy:finish() ends. */
static int l_conn_copy_in(lua_State *L) {
  pg_conn *c = check_conn(L, 1);
  const char *sql = luaL_checkstring(L, 2);
  size_t ncols = 0;
  const char *kinds = luaL_optlstring(L, 3, NULL, &ncols);
  result_box *res = push_result_box(L);
  pg_copy *p = (pg_copy *)lua_newuserdatauv(L, sizeof *p, 1);
  memset(p, 0, sizeof *p);
  p->sink.value = copy_value;
  p->sink.row_end = copy_row_end;
  p->sink.finish = copy_finish;
  if (luaL_newmetatable(L, ROW_SINK)) {
    lua_pushcfunction(L, l_copy_close);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, l_copy_close);
    lua_setfield(L, -2, "__close");
    luaL_newlib(L, copy_methods);
    lua_setfield(L, -2, "__index");
  }
  lua_setmetatable(L, -2);
  lua_pushvalue(L, 1);
  lua_setiuservalue(L, -2, 1);
  if (kinds != NULL) {
    if (ncols == 0 || ncols > 1600 || strspn(kinds, "irt") != ncols) return luaL_argerror(L, 3, "column kinds i, r or t");
    if ((p->kinds = (char *)malloc(ncols)) == NULL) return luaL_error(L, "not enough memory");
    memcpy(p->kinds, kinds, ncols);
    p->ncols = (int)ncols;
  }
  end_reading(c);
  res->res = pq.PQexec(c->conn, sql);
  if (res->res == NULL || pq.PQresultStatus(res->res) != PGRES_COPY_IN) {
    push_problem(L, res->res, c);
    return lua_error(L);
  }
  p->c = c;
  if (p->kinds != NULL) {  /* the header: signature, flags, no extension */
    copy_reserve(L, p, 19);
    memcpy(p->data, "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0", 19);
    p->len = 19;
  }
  return 1;
}

/* conn:rows_into(db, name, sql, params): the rows of sql (params bound)
** into a new temporary table name of the zb.Database db (push_stage),
** streamed a row at a time, in one savepoint of db; returns the rows.
** Printing and exporting on a server write from there with SQLite's
** writers, in constant memory: a temporary table spills to a file past
** SQLite's page cache. */
static int l_conn_rows_into(lua_State *L) {
  pg_conn *c = check_conn(L, 1);
  const char *name = luaL_checkstring(L, 3), *sql = luaL_checkstring(L, 4);
  sqlite3_stmt *insert = NULL;
  lua_Integer rows = 0;
  int guard, box = 0, i, n, q_idx;
  pg_query *q;
  luaL_checktype(L, 5, LUA_TTABLE);
  db_push_savepoint(L, 2);
  guard = lua_gettop(L);
  send_query(L, c, sql, 5, 0);
  q = push_query(L, c, 4);
  q_idx = lua_gettop(L);
  lua_toclose(L, q_idx);  /* the query ended (cancelled, if need be) however this ends */
  if (!pq.PQsetSingleRowMode(c->conn)) return luaL_error(L, "PostgreSQL: cannot read the rows one at a time");
  while ((q->res = pq.PQgetResult(c->conn)) != NULL) {
    ExecStatusType status = pq.PQresultStatus(q->res);
    if (status != PGRES_SINGLE_TUPLE && status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
      return raise_query_failed(L, q_idx);
    n = pq.PQnfields(q->res);
    if (insert == NULL) {  /* the first row, or the end of none: the columns */
      insert = push_stage(L, 2, name, n > 0 ? n : 1);
      box = lua_gettop(L);
    }
    if (status == PGRES_SINGLE_TUPLE) {
      for (i = 0; i < n; i++) {
        zb_value v;
        read_cell(L, q->res, 0, i, &v);
        value_bind(insert, i + 1, &v);
      }
      if (sqlite3_step(insert) != SQLITE_DONE) return luaL_error(L, "%s", sqlite3_errmsg(sqlite3_db_handle(insert)));
      sqlite3_reset(insert);
      rows++;
    }
    pq.PQclear(q->res);
    q->res = NULL;
  }
  q->done = 1;
  if (box) lua_closeslot(L, box);  /* the statement, before the savepoint is released */
  db_release_savepoint(L, guard);
  lua_pushinteger(L, rows);
  return 1;
}

/* conn:server_version(): the server's version as a number (150004). */
static int l_conn_server_version(lua_State *L) {
  lua_pushinteger(L, pq.PQserverVersion(check_conn(L, 1)->conn));
  return 1;
}

static const luaL_Reg conn_methods[] = {
  {"rows", l_conn_rows},
  {"exec", l_conn_exec},
  {"describe", l_conn_describe},
  {"copy_in", l_conn_copy_in},
  {"rows_into", l_conn_rows_into},
  {"server_version", l_conn_server_version},
  {"on_connect", l_conn_on_connect},
  {"on_problem", l_conn_on_problem},
  {"close", l_conn_close},
  {NULL, NULL}
};

static const luaL_Reg conn_metamethods[] = {
  {"__gc", l_conn_close},
  {"__close", l_conn_close},
  {"__tostring", l_conn_tostring},
  {NULL, NULL}
};

int postgresql_l_connect(lua_State *L) {
  if (luaL_newmetatable(L, PG_CONNECTION)) {
    luaL_setfuncs(L, conn_metamethods, 0);
    luaL_newlib(L, conn_methods);
    lua_setfield(L, -2, "__index");
  }
  if (luaL_newmetatable(L, PG_QUERY)) {
    lua_pushcfunction(L, l_query_close);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, l_query_close);
    lua_setfield(L, -2, "__close");
  }
  lua_pop(L, 2);
  return l_connect(L);
}
