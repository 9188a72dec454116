/*
** error.h: zb.Error, SQL errors as values (message, sql, code, where).
*/
#ifndef ZB_ERROR_H
#define ZB_ERROR_H

#include <stddef.h>

#include "lua.h"

/* Raise a zb.Error: message, the SQL it is about (sql_len bytes; NULL for
** none), SQLite's result code, and where the Lua code that called the C
** function is (as luaL_error would prefix).  Does not return. */
void error_raise_sql(lua_State *L, const char *message, const char *sql, size_t sql_len, int code);

/* Raise a zb.Error about a data file: message at path's line and column
** (from 1), where = "path:line:column".  Does not return. */
void error_raise_in_file(lua_State *L, const char *path, int line, int column, const char *message);

/* zb.core.error(fields): returns the table fields, made a zb.Error. */
int error_l_new(lua_State *L);

/* zb.core.keep_caller(fn): returns fn behind a C function, so that a tail
** call to it keeps its caller's frame (and the user's line). */
int error_l_keep_caller(lua_State *L);

/* Register zb.Error's metatable (__tostring, string methods, __concat). */
void error_open_library(lua_State *L);

#endif
