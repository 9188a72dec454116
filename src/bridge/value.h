/*
** value.h: values between SQLite and Lua, by type, in one place.  Every
** reading of an SQLite value (a result column, a function's argument, a
** cell kept) and every making of one from Lua (a bound parameter, a
** function's result) goes through these.  The hot ones are inline:
** rows, group scans and metrics call them for every value.
*/
#ifndef ZB_VALUE_H
#define ZB_VALUE_H

#include <stddef.h>

#include <sqlite3.h>
#include "lua.h"

/* Past 2^53 a double no longer holds every integer: one within
** ±VALUE_EXACT_IN_DOUBLE reads as a double exactly and orders as it. */
#define VALUE_EXACT_IN_DOUBLE 9007199254740992LL

/* A value by its type.  Text and blob bytes are not copied: they are
** SQLite's (valid until the statement steps again) or the holder's. */
typedef struct zb_value {
  int type;  /* SQLITE_INTEGER, _FLOAT, _TEXT, _BLOB or _NULL */
  union {
    sqlite3_int64 i;
    double d;
    struct {
      const char *bytes;  /* text or blob; NULL only when len is 0 */
      size_t len;
    };
  };
} zb_value;

/* Read v by its type into out.  Text or a blob SQLite cannot give (out of
** memory) reads as empty, never as NULL bytes with a length. */
static inline void value_read(sqlite3_value *v, zb_value *out) {
  switch ((out->type = sqlite3_value_type(v))) {
    case SQLITE_INTEGER: out->i = sqlite3_value_int64(v); break;
    case SQLITE_FLOAT: out->d = sqlite3_value_double(v); break;
    case SQLITE_TEXT: case SQLITE_BLOB:
      /* the pointer first, then the length, as SQLite asks */
      out->bytes = out->type == SQLITE_TEXT ? (const char *)sqlite3_value_text(v) : (const char *)sqlite3_value_blob(v);
      out->len = out->bytes != NULL ? (size_t)sqlite3_value_bytes(v) : 0;
      break;
    default: out->type = SQLITE_NULL;
  }
}

/* Push v as Lua holds it: NULL as nil, integers as integers, reals as
** floats, text and blobs as strings.  Raises only as lua_pushlstring does
** (out of memory). */
static inline void value_push(lua_State *L, const zb_value *v) {
  switch (v->type) {
    case SQLITE_INTEGER: lua_pushinteger(L, (lua_Integer)v->i); break;
    case SQLITE_FLOAT: lua_pushnumber(L, v->d); break;
    case SQLITE_TEXT: case SQLITE_BLOB: lua_pushlstring(L, v->bytes, v->len); break;
    default: lua_pushnil(L);
  }
}

/* value_read, then value_push. */
static inline void value_push_sql(lua_State *L, sqlite3_value *v) {
  zb_value read;
  value_read(v, &read);
  value_push(L, &read);
}

/* The SQL form of the Lua value at idx into out: nil (and none) as NULL,
** a boolean as 0 or 1, an integer or a float as itself, a string as text;
** with bytes_as_blob, a string that is not UTF-8 as a blob (bytes that came
** in as one).  Returns 0, out unset, for any other type.  Never raises;
** the bytes are Lua's, valid while the string is on the stack.  Numbers,
** a metric's usual result, are read here; the rest in value.c. */
int value_from_lua_other(lua_State *L, int idx, int bytes_as_blob, zb_value *out);
static inline int value_from_lua(lua_State *L, int idx, int bytes_as_blob, zb_value *out) {
  if (lua_isinteger(L, idx)) {
    out->type = SQLITE_INTEGER;
    out->i = (sqlite3_int64)lua_tointeger(L, idx);
    return 1;
  }
  if (lua_type(L, idx) != LUA_TNUMBER) return value_from_lua_other(L, idx, bytes_as_blob, out);
  out->type = SQLITE_FLOAT;
  out->d = lua_tonumber(L, idx);
  return 1;
}

/* Bind v to parameter slot of stmt (bytes copied); returns SQLite's code. */
int value_bind(sqlite3_stmt *stmt, int slot, const zb_value *v);

/* Set v as the result of a function (bytes copied). */
static inline void value_result(sqlite3_context *ctx, const zb_value *v) {
  switch (v->type) {
    case SQLITE_INTEGER: sqlite3_result_int64(ctx, v->i); break;
    case SQLITE_FLOAT: sqlite3_result_double(ctx, v->d); break;
    /* empty bytes may be NULL, which SQLite would take for NULL */
    case SQLITE_TEXT: sqlite3_result_text64(ctx, v->len ? v->bytes : "", v->len, SQLITE_TRANSIENT, SQLITE_UTF8); break;
    case SQLITE_BLOB: sqlite3_result_blob64(ctx, v->len ? v->bytes : "", v->len, SQLITE_TRANSIENT); break;
    default: sqlite3_result_null(ctx);
  }
}

#endif
