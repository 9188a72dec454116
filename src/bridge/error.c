/*
** error.c: zb.Error, an error as a value, so that no layer above reads it
** out of a string: an SQL error {message =, sql =, code =, where =}
** (where: the Lua code that called, as luaL_error would say; zb.errors.
** raise sets the user's line), or a problem of a data file {message =,
** file =, line =, column =, where = "file:line:column"}.  tostring
** gives the text a string error would have been ("where: message (in
** SQL: sql)"), and string methods work on that text (err:find(...)), so
** code written for string errors reads it unchanged; show_sql = false
** leaves the SQL out of that text (an error found checking a method's SQL,
** whose message names the method: its SQL is there to read, not shown).
*/
#include "lua.h"
#include "lauxlib.h"

#include "error.h"
#include "zb.h"

/* __tostring: "where: message (in SQL: sql)", each part when present. */
static int l_error_tostring(lua_State *L) {
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  if (lua_getfield(L, 1, "where") == LUA_TSTRING) {
    luaL_addvalue(&b);
    luaL_addstring(&b, ": ");
  } else lua_pop(L, 1);
  if (lua_getfield(L, 1, "message") == LUA_TSTRING) luaL_addvalue(&b);
  else lua_pop(L, 1);
  int show_sql = lua_getfield(L, 1, "show_sql") != LUA_TBOOLEAN || lua_toboolean(L, -1);
  lua_pop(L, 1);
  if (lua_getfield(L, 1, "sql") == LUA_TSTRING && show_sql) {
    luaL_addstring(&b, " (in SQL: ");
    luaL_addvalue(&b);
    luaL_addchar(&b, ')');
  } else lua_pop(L, 1);
  luaL_pushresult(&b);
  return 1;
}

/* string's function (upvalue 1) called with the error's text for self. */
static int l_error_as_text(lua_State *L) {
  luaL_tolstring(L, 1, NULL);
  lua_replace(L, 1);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  return lua_gettop(L);
}

/* __index: a field the error lacks is string's method of that name, over
** the error's text. */
static int l_error_index(lua_State *L) {
  lua_pushliteral(L, "");
  if (!lua_getmetatable(L, -1) || lua_getfield(L, -1, "__index") != LUA_TTABLE) return 0;
  lua_pushvalue(L, 2);
  if (lua_gettable(L, -2) != LUA_TFUNCTION) return 0;
  lua_pushcclosure(L, l_error_as_text, 1);
  return 1;
}

/* __concat: the texts of both. */
static int l_error_concat(lua_State *L) {
  luaL_tolstring(L, 1, NULL);
  luaL_tolstring(L, 2, NULL);
  lua_concat(L, 2);
  return 1;
}

/* Push a new zb.Error of message, to which fields are added. */
static void error_push(lua_State *L, const char *message) {
  lua_createtable(L, 0, 5);
  luaL_setmetatable(L, ZB_ERROR);
  lua_pushstring(L, message);
  lua_setfield(L, -2, "message");
}

static void error_set_integer(lua_State *L, const char *field, lua_Integer n) {
  lua_pushinteger(L, n);
  lua_setfield(L, -2, field);
}

void error_raise_in_file(lua_State *L, const char *path, int line, int column, const char *message) {
  error_push(L, message);
  lua_pushstring(L, path);
  lua_setfield(L, -2, "file");
  error_set_integer(L, "line", line);
  error_set_integer(L, "column", column);
  lua_pushfstring(L, "%s:%d:%d", path, line, column);
  lua_setfield(L, -2, "where");
  lua_error(L);
}

void error_raise_sql(lua_State *L, const char *message, const char *sql, size_t sql_len, int code) {
  error_push(L, message);
  if (sql != NULL) {
    lua_pushlstring(L, sql, sql_len);
    lua_setfield(L, -2, "sql");
  }
  error_set_integer(L, "code", code);
  luaL_where(L, 1);  /* the Lua code that called, as luaL_error says it: "file:line: " */
  if (lua_rawlen(L, -1) > 2) {
    lua_pushlstring(L, lua_tostring(L, -1), lua_rawlen(L, -1) - 2);
    lua_setfield(L, -3, "where");
  }
  lua_pop(L, 1);
  lua_error(L);
}

/* zb.core.error(fields): the table fields, made a zb.Error. */
int error_l_new(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  luaL_setmetatable(L, ZB_ERROR);
  return 1;
}

/* The function of upvalue 1 called with every argument; all it returns. */
static int l_called_through_c(lua_State *L) {
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  return lua_gettop(L);
}

/* zb.core.keep_caller(fn): fn behind a C function.  A Lua tail call to a
** Lua function replaces the caller's frame (return t:where(...), a line
** of the REPL); one to a C function keeps it, so zb.errors.raise still
** finds the user's line. */
int error_l_keep_caller(lua_State *L) {
  luaL_checktype(L, 1, LUA_TFUNCTION);
  lua_settop(L, 1);
  lua_pushcclosure(L, l_called_through_c, 1);
  return 1;
}

static const luaL_Reg error_metamethods[] = {
  {"__tostring", l_error_tostring},
  {"__index", l_error_index},
  {"__concat", l_error_concat},
  {NULL, NULL}
};

void error_open_library(lua_State *L) {
  luaL_newmetatable(L, ZB_ERROR);
  luaL_setfuncs(L, error_metamethods, 0);
  lua_pop(L, 1);
}
