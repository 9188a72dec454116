/*
** trampoline.c: the bare limit for a Lua function called by SQLite, for
** make bench: sqlite3_create_function with the least possible glue (no
** checks, a number in and out), running the query given.  With a fourth
** argument "protected" the call is a lua_pcall: the least a tool may do
** when a Lua error must not longjmp across SQLite's frames; with "native",
** f is x * 2 in C, no Lua at all.
**
**   trampoline DB 'return function(x) return x * 2 end' 'select sum(f(value)) from m' [protected|native]
*/
#include <stdio.h>
#include <string.h>
#include <sqlite3.h>

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"

static lua_State *L;

static int protect;  /* lua_pcall rather than lua_call */

static void f(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  lua_pushvalue(L, 1);
  lua_pushnumber(L, sqlite3_value_double(argv[0]));
  if (!protect) lua_call(L, 1, 1);
  else if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
    sqlite3_result_error(ctx, lua_tostring(L, -1), -1);
    lua_pop(L, 1);
    return;
  }
  sqlite3_result_double(ctx, lua_tonumber(L, -1));
  lua_pop(L, 1);
}

static void f_native(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  sqlite3_result_double(ctx, sqlite3_value_double(argv[0]) * 2);
}

int main(int argc, char **argv) {
  sqlite3 *db;
  sqlite3_stmt *stmt;
  if (argc != 4 && argc != 5) return 2;
  L = luaL_newstate();
  luaL_openlibs(L);
  if (luaL_dostring(L, argv[2]) != LUA_OK) return 1;
  if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) return 1;
  protect = argc == 5 && strcmp(argv[4], "protected") == 0;
  sqlite3_create_function(db, "f", 1, SQLITE_UTF8, NULL, argc == 5 && strcmp(argv[4], "native") == 0 ? f_native : f,
                          NULL, NULL);
  if (sqlite3_prepare_v2(db, argv[3], -1, &stmt, NULL) != SQLITE_OK) return 1;
  while (sqlite3_step(stmt) == SQLITE_ROW) printf("%.17g\n", sqlite3_column_double(stmt, 0));
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  lua_close(L);
  return 0;
}
