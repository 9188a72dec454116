/*
** test_value.c: the conversions between SQLite and Lua (value.h), through
** a real in-memory SQLite and a real Lua state: every SQL type read and
** pushed to Lua, every Lua type bound and returned to SQL (strings as
** text, or not UTF-8 as blobs when a function returns them), and values
** passed through an SQL function, by way of Lua and without it.
*/
#include <stdint.h>
#include <string.h>

#include <sqlite3.h>

#include "lua.h"
#include "lauxlib.h"

#include "unit.h"
#include "value.h"

static sqlite3 *db;
static lua_State *L;

/* Prepare sql and step to its first row; NULL (and a failed check) when
** it has none. */
static sqlite3_stmt *first_row(const char *sql) {
  sqlite3_stmt *stmt = NULL;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK || sqlite3_step(stmt) != SQLITE_ROW) {
    CHECK(0, sqlite3_errmsg(db));
    sqlite3_finalize(stmt);
    return NULL;
  }
  return stmt;
}

static int same_bytes(const zb_value *v, const char *bytes, size_t len) {
  return v->len == len && (len == 0 || memcmp(v->bytes, bytes, len) == 0);
}

static void reads_each_type(void) {
  sqlite3_stmt *stmt = first_row("select 42, 2.5, 'héllo', x'00ff41', NULL, x'', '', 9223372036854775807");
  zb_value v[8];
  int i;
  if (stmt == NULL) return;
  for (i = 0; i < 8; i++) value_read(sqlite3_column_value(stmt, i), &v[i]);
  CHECK(v[0].type == SQLITE_INTEGER && v[0].i == 42, "an integer reads as one");
  CHECK(v[1].type == SQLITE_FLOAT && v[1].d == 2.5, "a real reads as a double");
  CHECK(v[2].type == SQLITE_TEXT && same_bytes(&v[2], "h\xc3\xa9llo", 6), "text reads as its UTF-8 bytes");
  CHECK(v[3].type == SQLITE_BLOB && same_bytes(&v[3], "\0\xff" "A", 3), "a blob reads as its bytes, a zero byte too");
  CHECK(v[4].type == SQLITE_NULL, "NULL reads as NULL");
  CHECK(v[5].type == SQLITE_BLOB && v[5].len == 0, "an empty blob reads as an empty blob");
  CHECK(v[6].type == SQLITE_TEXT && v[6].len == 0, "empty text reads as empty text");
  CHECK(v[7].type == SQLITE_INTEGER && v[7].i == INT64_MAX, "the largest integer reads whole");

  for (i = 0; i < 8; i++) value_push(L, &v[i]);
  CHECK(lua_isinteger(L, 1) && lua_tointeger(L, 1) == 42, "an integer pushes as a Lua integer");
  CHECK(lua_type(L, 2) == LUA_TNUMBER && !lua_isinteger(L, 2) && lua_tonumber(L, 2) == 2.5,
        "a real pushes as a Lua float");
  CHECK_STR(lua_tostring(L, 3), "h\xc3\xa9llo", "text pushes as a Lua string");
  CHECK(lua_type(L, 4) == LUA_TSTRING && lua_rawlen(L, 4) == 3 && memcmp(lua_tostring(L, 4), "\0\xff" "A", 3) == 0,
        "a blob pushes as a Lua string of its bytes");
  CHECK(lua_isnil(L, 5), "NULL pushes as nil");
  CHECK(lua_type(L, 6) == LUA_TSTRING && lua_rawlen(L, 6) == 0, "an empty blob pushes as an empty string");
  CHECK(lua_type(L, 7) == LUA_TSTRING && lua_rawlen(L, 7) == 0, "empty text pushes as an empty string");
  CHECK(lua_isinteger(L, 8) && lua_tointeger(L, 8) == LUA_MAXINTEGER, "the largest integer pushes whole");
  lua_settop(L, 0);
  sqlite3_finalize(stmt);
}

/* typeof(?) and quote(?) with the Lua value on top bound (as zb.sql binds:
** bytes_as_blob 0), or "refused" when value_from_lua refuses it. */
static const char *bound(int bytes_as_blob, char *out, size_t size) {
  sqlite3_stmt *stmt = NULL;
  zb_value v;
  if (!value_from_lua(L, -1, bytes_as_blob, &v)) return "refused";
  if (sqlite3_prepare_v2(db, "select typeof(?1) || ' ' || quote(?1)", -1, &stmt, NULL) != SQLITE_OK ||
      value_bind(stmt, 1, &v) != SQLITE_OK || sqlite3_step(stmt) != SQLITE_ROW)
    snprintf(out, size, "error: %s", sqlite3_errmsg(db));
  else
    snprintf(out, size, "%s", (const char *)sqlite3_column_text(stmt, 0));
  sqlite3_finalize(stmt);
  return out;
}

static void binds_each_type(void) {
  char out[128];
  lua_pushnil(L);
  CHECK_STR(bound(0, out, sizeof out), "null NULL", "nil binds as NULL");
  lua_pushboolean(L, 1);
  CHECK_STR(bound(0, out, sizeof out), "integer 1", "true binds as 1");
  lua_pushboolean(L, 0);
  CHECK_STR(bound(0, out, sizeof out), "integer 0", "false binds as 0");
  lua_pushinteger(L, -7);
  CHECK_STR(bound(0, out, sizeof out), "integer -7", "an integer binds as an integer");
  lua_pushnumber(L, 7.0);
  CHECK_STR(bound(0, out, sizeof out), "real 7.0", "a float binds as a real, even a whole one");
  lua_pushliteral(L, "\xe4\xb8\xad");
  CHECK_STR(bound(0, out, sizeof out), "text '\xe4\xb8\xad'", "a string binds as text");
  CHECK_STR(bound(1, out, sizeof out), "text '\xe4\xb8\xad'", "a UTF-8 string stays text where bytes become blobs");
  lua_pushlstring(L, "\xff\0", 2);
  CHECK_STR(bound(0, out, sizeof out), "text '\xff'", "bytes that are not UTF-8 bind as text where every string does");
  CHECK_STR(bound(1, out, sizeof out), "blob X'FF00'", "bytes that are not UTF-8 become a blob where asked");
  lua_pushliteral(L, "");
  CHECK_STR(bound(1, out, sizeof out), "text ''", "the empty string binds as empty text");
  lua_newtable(L);
  CHECK_STR(bound(0, out, sizeof out), "refused", "a table has no SQL form");
  lua_settop(L, 0);
  CHECK_STR(bound(0, out, sizeof out), "null NULL", "no value at all binds as NULL");
}

/* via_lua(x): x pushed to Lua and returned from it, as a metric's value
** goes (bytes that are not UTF-8 come back as a blob). */
static void via_lua(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  zb_value v;
  (void)argc;
  value_push_sql(L, argv[0]);
  if (value_from_lua(L, -1, 1, &v)) value_result(ctx, &v);
  else sqlite3_result_error(ctx, "no SQL form", -1);
  lua_pop(L, 1);
}

/* via_value(x): x read and set as the result, Lua aside (zb_group's cells). */
static void via_value(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  zb_value v;
  (void)argc;
  value_read(argv[0], &v);
  value_result(ctx, &v);
}

static const char *one_text(const char *sql, char *out, size_t size) {
  sqlite3_stmt *stmt = first_row(sql);
  if (stmt == NULL) return "error";
  snprintf(out, size, "%s", (const char *)sqlite3_column_text(stmt, 0));
  sqlite3_finalize(stmt);
  return out;
}

static void round_trips(void) {
  static const struct {
    const char *sql, *via_lua;  /* a value, and typeof and quote of what comes back from Lua */
  } cases[] = {
    {"1", "integer 1"}, {"-9223372036854775808", "integer -9223372036854775808"}, {"2.5", "real 2.5"},
    {"'a'", "text 'a'"}, {"''", "text ''"}, {"NULL", "null NULL"}, {"x'ff00'", "blob X'FF00'"},
    {"x'41'", "text 'A'"},  /* a blob of UTF-8 bytes comes back as text: Lua cannot tell */
    {"x''", "text ''"},
  };
  char sql[256], out[128], name[300];
  size_t i;
  if (sqlite3_create_function(db, "via_lua", 1, SQLITE_UTF8, NULL, via_lua, NULL, NULL) != SQLITE_OK ||
      sqlite3_create_function(db, "via_value", 1, SQLITE_UTF8, NULL, via_value, NULL, NULL) != SQLITE_OK) {
    CHECK(0, "the test functions are made");
    return;
  }
  for (i = 0; i < sizeof cases / sizeof *cases; i++) {
    snprintf(sql, sizeof sql, "select typeof(via_lua(%s)) || ' ' || quote(via_lua(%s))", cases[i].sql, cases[i].sql);
    snprintf(name, sizeof name, "%s through Lua comes back as %s", cases[i].sql, cases[i].via_lua);
    CHECK_STR(one_text(sql, out, sizeof out), cases[i].via_lua, name);
    snprintf(sql, sizeof sql, "select typeof(via_value(%s)) || ' ' || quote(via_value(%s)) = typeof(%s) || ' ' || quote(%s)",
             cases[i].sql, cases[i].sql, cases[i].sql, cases[i].sql);
    snprintf(name, sizeof name, "%s read and set as a result is itself", cases[i].sql);
    CHECK_STR(one_text(sql, out, sizeof out), "1", name);
  }
}

int main(void) {
  L = luaL_newstate();
  if (L == NULL || sqlite3_open(":memory:", &db) != SQLITE_OK) {
    CHECK(0, "a Lua state and an in-memory database");
    return unit_done();
  }
  reads_each_type();
  binds_each_type();
  round_trips();
  sqlite3_close(db);
  lua_close(L);
  return unit_done();
}
