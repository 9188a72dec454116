/*
** call.c: Lua functions inside SQLite.  zb_lua(id, ...) finds function id
** in a weak registry table (the Table or metric that made it keeps it
** alive), calls it in a protected call on the thread that is stepping the
** query, and turns the result or the error into SQLite's.
*/
#include <string.h>

#include "lua.h"
#include "lauxlib.h"

#include "call.h"
#include "row.h"
#include "zb.h"

#define FUNCTIONS "zb.functions"  /* registry: id -> {fn, label, names}, weak values */

static lua_State *active;  /* the thread stepping the current query */

lua_State *call_enter(lua_State *L) {
  lua_State *previous = active;
  active = L;
  return previous;
}

void call_leave(lua_State *previous) {
  active = previous;
}

static void push_functions(lua_State *L) {
  if (luaL_getsubtable(L, LUA_REGISTRYINDEX, FUNCTIONS)) return;
  lua_createtable(L, 0, 1);
  lua_pushliteral(L, "v");
  lua_setfield(L, -2, "__mode");
  lua_setmetatable(L, -2);
}

int call_l_register(lua_State *L) {
  static lua_Integer last_id;
  luaL_checktype(L, 1, LUA_TFUNCTION);
  luaL_checkstring(L, 2);
  if (!lua_isnoneornil(L, 3)) luaL_checktype(L, 3, LUA_TTABLE);
  lua_createtable(L, 4, 0);
  lua_pushvalue(L, 1);
  lua_rawseti(L, -2, 1);
  lua_pushvalue(L, 2);
  lua_rawseti(L, -2, 2);
  lua_pushvalue(L, 3);
  lua_rawseti(L, -2, 3);
  lua_pushboolean(L, lua_toboolean(L, 4));
  lua_rawseti(L, -2, 4);
  push_functions(L);
  lua_pushvalue(L, -2);
  lua_rawseti(L, -2, ++last_id);
  lua_pop(L, 1);
  lua_pushinteger(L, last_id);
  lua_insert(L, -2);
  return 2;
}

/* The SQL result for the Lua value at idx; label names the function. */
static void set_result(lua_State *L, sqlite3_context *ctx, int idx, const char *label) {
  switch (lua_type(L, idx)) {
    case LUA_TNIL: case LUA_TNONE: sqlite3_result_null(ctx); break;
    case LUA_TBOOLEAN: sqlite3_result_int(ctx, lua_toboolean(L, idx)); break;
    case LUA_TNUMBER:
      if (lua_isinteger(L, idx)) sqlite3_result_int64(ctx, (sqlite3_int64)lua_tointeger(L, idx));
      else sqlite3_result_double(ctx, lua_tonumber(L, idx));
      break;
    case LUA_TSTRING: {
      size_t len;
      const char *s = lua_tolstring(L, idx, &len);
      sqlite3_result_text64(ctx, s, len, SQLITE_TRANSIENT, SQLITE_UTF8);
      break;
    }
    default:
      luaL_error(L, "%s returned a %s (expected a number, string, boolean or nil)", label,
                 luaL_typename(L, idx));
  }
}

/* The message of the error value at the top, as text. */
static const char *error_text(lua_State *L) {
  const char *msg = lua_tostring(L, -1);
  if (msg != NULL) return msg;
  if (luaL_callmeta(L, -1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) return lua_tostring(L, -1);
  return lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, -1));
}

/* In a protected call: (ctx, argv, argc) -> the function's result set on ctx;
** its errors are prefixed with the function's label, so the user knows which. */
static int call_protected(lua_State *L) {
  sqlite3_context *ctx = (sqlite3_context *)lua_touserdata(L, 1);
  sqlite3_value **argv = (sqlite3_value **)lua_touserdata(L, 2);
  int argc = (int)lua_tointeger(L, 3), entry, nargs, i, status;
  const char *label, *msg;
  push_functions(L);
  if (argc < 1 || lua_rawgeti(L, -1, sqlite3_value_int64(argv[0])) != LUA_TTABLE)
    return luaL_error(L, "zb_lua: no Lua function %s (its table or metric is gone)",
                      argc < 1 ? "given" : (const char *)sqlite3_value_text(argv[0]));
  entry = lua_gettop(L);
  lua_rawgeti(L, entry, 2);
  label = lua_tostring(L, -1);
  lua_rawgeti(L, entry, 1);
  if (lua_rawgeti(L, entry, 3) == LUA_TTABLE) {  /* the row form */
    luaL_getmetatable(L, ZB_ROW);
    row_push(L, -2, -1, NULL, argc - 1, argv + 1);
    lua_replace(L, -3);
    lua_pop(L, 1);
    nargs = 1;
  } else {
    lua_pop(L, 1);
    luaL_checkstack(L, argc, "too many arguments to a Lua function in SQL");
    for (i = 1; i < argc; i++) row_push_value(L, argv[i]);
    nargs = argc - 1;
  }
  status = lua_pcall(L, nargs, 1, 0);
  if (status == LUA_OK) {
    if (lua_rawgeti(L, entry, 4) == LUA_TBOOLEAN && lua_toboolean(L, -1))
      sqlite3_result_int(ctx, lua_toboolean(L, -2));  /* a test: Lua's truth, not SQL's */
    else
      set_result(L, ctx, -2, label);
    return 0;
  }
  msg = error_text(L);
  if (status == LUA_ERRMEM || strcmp(msg, ZB_INTERRUPTED) == 0) return lua_error(L);
  return luaL_error(L, "%s: %s", label, msg);
}

static void sql_zb_lua(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  lua_State *L = active;
  int top, status;
  if (L == NULL) {
    sqlite3_result_error(ctx, "zb_lua: called outside a query that zb runs", -1);
    return;
  }
  if (!lua_checkstack(L, 8)) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  top = lua_gettop(L);
  lua_pushcfunction(L, call_protected);
  lua_pushlightuserdata(L, ctx);
  lua_pushlightuserdata(L, argv);
  lua_pushinteger(L, argc);
  status = lua_pcall(L, 3, 0, 0);
  if (status == LUA_ERRMEM) sqlite3_result_error_nomem(ctx);
  else if (status != LUA_OK) {
    const char *msg = lua_tostring(L, -1);  /* call_protected raises strings */
    if (msg && strcmp(msg, ZB_INTERRUPTED) == 0) sqlite3_result_error_code(ctx, SQLITE_INTERRUPT);
    else sqlite3_result_error(ctx, msg ? msg : "error in a Lua function", -1);
  }
  lua_settop(L, top);
}

int call_register_sql(sqlite3 *db) {
  /* DIRECTONLY: a view or trigger in an untrusted file cannot call Lua. */
  return sqlite3_create_function_v2(db, "zb_lua", -1, SQLITE_UTF8 | SQLITE_DIRECTONLY, NULL,
                                    sql_zb_lua, NULL, NULL, NULL);
}
