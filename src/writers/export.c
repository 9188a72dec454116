/*
** export.c: a table's rows as CSV, TSV or JSON, written to an open Lua
** file straight from the statement: no row reaches Lua, memory stays
** constant, and the bytes are those lua/zb/present/render.lua's data
** modes write (its csv_field, tsv and json_value), which it falls back to
** where this cannot go (another engine, formatted numbers, GB18030).
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"

#include "db.h"
#include "decimal.h"
#include "export.h"
#include "outbuf.h"
#include "width.h"

enum { EXPORT_CSV, EXPORT_TSV, EXPORT_JSON };

/* The rows' text, gathered and written in large pieces. */
typedef struct exporter {
  int mode;
  const char **keys;        /* JSON: each column's "name": */
  size_t *key_lengths;
  int nkeys;
  lua_Integer rows;
  outbuf out;
} exporter;

static void put(exporter *e, const char *s, size_t n) {
  outbuf_put(&e->out, s, n);
}

static void put_char(exporter *e, char c) {
  outbuf_char(&e->out, c);
}

/* A real as numbers.exact writes it: the fewest of 15, 16 or 17
** significant digits that read back as x, ".0" kept on integral values;
** NaN and infinities as numbers.special names them. */
static size_t exact_real(double x, char *out, size_t size) {
  size_t n;
  if (isnan(x)) return (size_t)snprintf(out, size, "NaN");
  if (isinf(x)) return (size_t)snprintf(out, size, x > 0 ? "Inf" : "-Inf");
  n = decimal_real(x, out);
  if (strpbrk(out, ".eEn") == NULL) n += (size_t)snprintf(out + n, size - n, ".0");
  return n;
}

/* Lua's %s: a space, \t, \n, \v, \f or \r */
static int blank(unsigned char c) {
  return c == ' ' || (c >= '\t' && c <= '\r');
}

static int csv_needs_quotes(const unsigned char *s, size_t n) {
  size_t i;
  if (n == 0 || blank(s[0]) || blank(s[n - 1])) return 1;
  for (i = 0; i < n; i++)
    if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n') return 1;
  return 0;
}

static void put_csv_text(exporter *e, const char *s, size_t n) {
  size_t i;
  if (!csv_needs_quotes((const unsigned char *)s, n)) {
    put(e, s, n);
    return;
  }
  put_char(e, '"');
  for (i = 0; i < n; i++) {
    if (s[i] == '"') put_char(e, '"');
    put_char(e, s[i]);
  }
  put_char(e, '"');
}

/* The bytes TSV and JSON write as escapes. */
static int tsv_special(unsigned char c) {
  return c == '\t' || c == '\n' || c == '\r' || c == '\\';
}

static int json_special(unsigned char c) {
  return c < 0x20 || c == 0x7F || c == '"' || c == '\\';
}

static void put_tsv_text(exporter *e, const char *s, size_t n) {
  size_t i = 0, run;
  while (i < n) {
    for (run = i; run < n && !tsv_special((unsigned char)s[run]); run++) {}
    put(e, s + i, run - i);  /* the bytes as they are, up to the next to escape */
    if (run == n) break;
    switch (s[run]) {
      case '\t': put(e, "\\t", 2); break;
      case '\n': put(e, "\\n", 2); break;
      case '\r': put(e, "\\r", 2); break;
      default: put(e, "\\\\", 2);
    }
    i = run + 1;
  }
}

/* A JSON string: text that is not UTF-8 has each byte above 127 as
** U+FFFD; control characters, quotes and backslashes escaped. */
static void put_json_text(exporter *e, const char *s, size_t n) {
  int valid = utf8_prefix(s, n) == n;
  size_t i = 0, run;
  put_char(e, '"');
  while (i < n) {
    unsigned char c;
    char escape[8];
    for (run = i; run < n && !json_special((unsigned char)s[run]) && (valid || (unsigned char)s[run] < 0x80); run++) {}
    put(e, s + i, run - i);
    if (run == n) break;
    c = (unsigned char)s[run];
    if (c >= 0x80) put(e, "\xEF\xBF\xBD", 3);
    else if (c == '"') put(e, "\\\"", 2);
    else if (c == '\\') put(e, "\\\\", 2);
    else if (c == '\n') put(e, "\\n", 2);
    else if (c == '\r') put(e, "\\r", 2);
    else if (c == '\t') put(e, "\\t", 2);
    else if (c == '\b') put(e, "\\b", 2);
    else if (c == '\f') put(e, "\\f", 2);
    else put(e, escape, (size_t)snprintf(escape, sizeof escape, "\\u%04x", c));
    i = run + 1;
  }
  put_char(e, '"');
}

/* Pushes why JSON refuses x, an infinite real, at row (from 1) and column:
** it has no number for one, and null would lose it unseen, as a missing
** value.  Both writers of JSON say it so (zb.core.json_infinite). */
static void push_json_infinite(lua_State *L, lua_Integer row, const char *column, double x) {
  lua_pushfstring(L, "row %I, column %s: %s, which JSON has no number for (CSV and TSV write it as Inf): make it NULL "
                  "or text first", (LUAI_UACINT)row, column, x > 0 ? "infinite" : "-infinite");
}

/* One cell of a row, as its mode writes it. */
static void put_value(lua_State *L, exporter *e, sqlite3_stmt *stmt, int c) {
  char number[64];
  switch (sqlite3_column_type(stmt, c)) {
    case SQLITE_NULL:
      if (e->mode == EXPORT_JSON) put(e, "null", 4);
      return;
    case SQLITE_INTEGER:
      put(e, number, decimal_integer(sqlite3_column_int64(stmt, c), number));
      return;
    case SQLITE_FLOAT: {
      double x = sqlite3_column_double(stmt, c);
      if (e->mode == EXPORT_JSON && !isfinite(x)) {
        push_json_infinite(L, (lua_Integer)e->rows + 1, sqlite3_column_name(stmt, c), x);
        lua_error(L);
      }
      put(e, number, exact_real(x, number, sizeof number));
      return;
    }
    default: {
      const char *s = (const char *)sqlite3_column_blob(stmt, c);
      size_t n = (size_t)sqlite3_column_bytes(stmt, c);
      if (s == NULL) s = "";
      if (e->mode == EXPORT_CSV) put_csv_text(e, s, n);
      else if (e->mode == EXPORT_TSV) put_tsv_text(e, s, n);
      else put_json_text(e, s, n);
    }
  }
}

static void put_row(lua_State *L, sqlite3_stmt *stmt, void *ud) {
  exporter *e = (exporter *)ud;
  int c, n = sqlite3_column_count(stmt);
  if (e->mode == EXPORT_JSON && n > e->nkeys) luaL_error(L, "export: %d columns, %d names for them", n, e->nkeys);
  if (e->mode == EXPORT_JSON) put(e, e->rows == 0 ? "[\n{" : ",\n{", 3);
  for (c = 0; c < n; c++) {
    if (c > 0) put_char(e, e->mode == EXPORT_TSV ? '\t' : ',');
    if (e->mode == EXPORT_JSON) put(e, e->keys[c], e->key_lengths[c]);
    put_value(L, e, stmt, c);
  }
  if (e->mode == EXPORT_JSON) put_char(e, '}');
  else put_char(e, '\n');
  e->rows++;
}

/* zb.core.export_rows(file, mode, sql, params, header): the rows of sql
** (params bound as rows() binds them) written to file, an open Lua file,
** in mode "csv", "tsv" or "json"; header: the first line (CSV, TSV) or
** each column's "name": (JSON, a list), as render.lua makes them.
** Returns true, or nil and the write's failure (a full disk). */
int export_l_rows(lua_State *L) {
  luaL_Stream *stream = (luaL_Stream *)luaL_checkudata(L, 1, LUA_FILEHANDLE);
  static const char *const modes[] = {"csv", "tsv", "json", NULL};
  int mode = luaL_checkoption(L, 2, NULL, modes), c, ncols;
  exporter *e;
  luaL_checkstring(L, 3);
  luaL_checktype(L, 4, LUA_TTABLE);
  if (stream->closef == NULL) return luaL_error(L, "attempt to use a closed file");
  e = (exporter *)lua_newuserdatauv(L, sizeof *e, 0);  /* at 6: freed by Lua however this ends */
  outbuf_init(&e->out, stream->f);
  e->mode = mode, e->rows = 0;
  e->keys = NULL, e->key_lengths = NULL, e->nkeys = 0;
  if (mode == EXPORT_JSON) {
    luaL_checktype(L, 5, LUA_TTABLE);
    e->nkeys = ncols = (int)luaL_len(L, 5);
    e->keys = (const char **)lua_newuserdatauv(L, sizeof *e->keys * (size_t)(ncols + 1), 0);
    e->key_lengths = (size_t *)lua_newuserdatauv(L, sizeof *e->key_lengths * (size_t)(ncols + 1), 0);
    for (c = 0; c < ncols; c++) {  /* the strings stay in the header table at 5 */
      lua_geti(L, 5, c + 1);
      e->keys[c] = luaL_checklstring(L, -1, &e->key_lengths[c]);
      lua_pop(L, 1);
    }
  } else {
    size_t n;
    const char *header = luaL_checklstring(L, 5, &n);
    put(e, header, n);
  }
  db_push_session(L);
  (void)db_each_row(L, lua_gettop(L), 3, 4, put_row, e);
  if (mode == EXPORT_JSON) put(e, e->rows == 0 ? "[]\n" : "\n]\n", 3);
  outbuf_flush(&e->out);
  if (e->out.failed) {
    luaL_pushfail(L);
    lua_pushstring(L, strerror(e->out.error));
    return 2;
  }
  lua_pushboolean(L, 1);
  return 1;
}

/* zb.core.json_infinite(row, column, x): the message refusing x, an
** infinite real, in JSON at row and column (render.lua's JSON mode). */
int export_l_json_infinite(lua_State *L) {
  push_json_infinite(L, luaL_checkinteger(L, 1), luaL_checkstring(L, 2), luaL_checknumber(L, 3));
  return 1;
}
