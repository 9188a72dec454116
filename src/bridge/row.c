/*
** row.c: zb.Row.  A row copies its values out of SQLite into one block
** (numbers in place, text after the cells), so it outlives the statement
** step that made it and costs a single allocation; Lua strings are made
** only for the fields read.
*/
#include <string.h>

#include "lua.h"
#include "lauxlib.h"

#include "row.h"
#include "value.h"
#include "zb.h"

typedef struct row {
  int ncols;
  zb_value cells[];  /* then the text and blob bytes, which cells point into */
} row;

#define READ_ON_STACK 32

/* Push a row of the n values cells, whose text and blob bytes come to text. */
static void push_cells(lua_State *L, int names_idx, int meta_idx, zb_value *cells, int n, size_t text) {
  size_t used = 0;
  int i;
  /* a userdata never moves: cells may point into its own bytes */
  row *r = (row *)lua_newuserdatauv(L, sizeof *r + (size_t)n * sizeof(zb_value) + text, 1);
  char *area = (char *)(r->cells + n);
  r->ncols = n;
  for (i = 0; i < n; i++) {
    zb_value *c = &r->cells[i];
    *c = cells[i];
    if (c->type == SQLITE_TEXT || c->type == SQLITE_BLOB) {
      if (c->len) memcpy(area + used, c->bytes, c->len);
      c->bytes = area + used;
      used += c->len;
    }
  }
  lua_pushvalue(L, meta_idx);
  lua_setmetatable(L, -2);
  lua_pushvalue(L, names_idx);
  lua_setiuservalue(L, -2, 1);
}

void row_push_cells(lua_State *L, int names_idx, int meta_idx, zb_value *cells, int n) {
  size_t text = 0;
  int i;
  for (i = 0; i < n; i++)
    if (cells[i].type == SQLITE_TEXT || cells[i].type == SQLITE_BLOB) text += cells[i].len;
  push_cells(L, lua_absindex(L, names_idx), lua_absindex(L, meta_idx), cells, n, text);
}

void row_push(lua_State *L, int names_idx, int meta_idx, sqlite3_stmt *stmt, int n,
              sqlite3_value **values) {
  zb_value on_stack[READ_ON_STACK], *read = on_stack;
  size_t text = 0;
  int i;
  names_idx = lua_absindex(L, names_idx);
  meta_idx = lua_absindex(L, meta_idx);
  if (stmt) n = sqlite3_data_count(stmt);
  if (n > READ_ON_STACK) read = (zb_value *)lua_newuserdatauv(L, (size_t)n * sizeof *read, 0);
  for (i = 0; i < n; i++) {
    /* a column through its sqlite3_value: one lookup, where the column API makes one a call */
    value_read(stmt ? sqlite3_column_value(stmt, i) : values[i], &read[i]);
    if (read[i].type == SQLITE_TEXT || read[i].type == SQLITE_BLOB) text += read[i].len;
  }
  push_cells(L, names_idx, meta_idx, read, n, text);
  if (read != on_stack) lua_remove(L, -2);
}

/* The row at idx; the metamethods carry the zb.Row metatable as upvalue 1,
** a cheaper check than luaL_checkudata's lookup by name. */
static const row *check_row(lua_State *L, int idx) {
  const row *r = (const row *)lua_touserdata(L, idx);
  if (r == NULL || !lua_getmetatable(L, idx) || !lua_rawequal(L, -1, lua_upvalueindex(1)))
    luaL_typeerror(L, idx, ZB_ROW);
  lua_pop(L, 1);
  return r;
}

static int unknown_column(lua_State *L, int names_idx, const row *r) {
  luaL_Buffer b;
  int i;
  luaL_buffinit(L, &b);
  for (i = 1; i <= r->ncols; i++) {
    if (i > 1) luaL_addstring(&b, ", ");  /* before the name is pushed: the buffer owns the top */
    lua_rawgeti(L, names_idx, i);
    luaL_addvalue(&b);
  }
  luaL_pushresult(&b);
  return luaL_error(L, "no column '%s' in this row (columns: %s)", lua_tostring(L, 2),
                    lua_tostring(L, -1));
}

/* r[i] or r.name: a name the row lacks is an error, not a silent nil. */
static int l_row_index(lua_State *L) {
  const row *r = check_row(L, 1);
  lua_Integer i;
  if (lua_type(L, 2) == LUA_TSTRING) {
    lua_getiuservalue(L, 1, 1);
    lua_pushvalue(L, 2);
    if (lua_rawget(L, -2) != LUA_TNUMBER) return unknown_column(L, 3, r);
    i = lua_tointeger(L, -1);
  } else {
    i = luaL_checkinteger(L, 2);
  }
  if (i < 1 || i > r->ncols) lua_pushnil(L);
  else value_push(L, &r->cells[i - 1]);
  return 1;
}

static int l_row_len(lua_State *L) {
  lua_pushinteger(L, check_row(L, 1)->ncols);
  return 1;
}

static int l_row_newindex(lua_State *L) {
  return luaL_error(L, "a row is read-only (copy it with to_lua, or mutate the table)");
}

/* pairs(r): name, value for each column in order (NULL columns give nil);
** the position is an upvalue, as names may repeat (a join's two ids). */
static int row_next(lua_State *L) {
  const row *r = (const row *)luaL_checkudata(L, 1, ZB_ROW);
  lua_Integer i = lua_tointeger(L, lua_upvalueindex(1)) + 1;
  if (i > r->ncols) return 0;
  lua_pushinteger(L, i);
  lua_replace(L, lua_upvalueindex(1));
  lua_getiuservalue(L, 1, 1);
  lua_rawgeti(L, -1, i);
  value_push(L, &r->cells[i - 1]);
  return 2;
}

static int l_row_pairs(lua_State *L) {
  luaL_checkudata(L, 1, ZB_ROW);
  lua_pushinteger(L, 0);
  lua_pushcclosure(L, row_next, 1);
  lua_pushvalue(L, 1);
  lua_pushnil(L);
  return 3;
}

static const luaL_Reg row_metamethods[] = {
  {"__index", l_row_index},
  {"__len", l_row_len},
  {"__newindex", l_row_newindex},
  {"__pairs", l_row_pairs},
  {NULL, NULL}
};

void row_open_library(lua_State *L) {
  luaL_newmetatable(L, ZB_ROW);
  lua_pushvalue(L, -1);
  luaL_setfuncs(L, row_metamethods, 1);  /* each with the metatable as upvalue */
}
