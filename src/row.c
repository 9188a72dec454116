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
#include "zb.h"

typedef struct cell {
  int type;  /* SQLITE_INTEGER, _FLOAT, _TEXT, _BLOB or _NULL */
  union {
    sqlite3_int64 i;
    double d;
    struct { size_t offset, len; } bytes;  /* into the row's text area */
  } v;
} cell;

typedef struct row {
  int ncols;
  cell cells[];  /* then the text and blob bytes */
} row;

/* A value read from SQLite, before it is copied into the row. */
typedef struct pending {
  int type;
  const void *bytes;  /* text and blobs: valid until the next step */
  size_t len;
  sqlite3_int64 i;
  double d;
} pending;

#define PENDING_ON_STACK 32

/* Read value i of the statement's current row, or of the function's arguments. */
static void read_value(sqlite3_stmt *stmt, sqlite3_value **values, int i, pending *v) {
  if (stmt) {
    v->type = sqlite3_column_type(stmt, i);
    switch (v->type) {
      case SQLITE_INTEGER: v->i = sqlite3_column_int64(stmt, i); break;
      case SQLITE_FLOAT: v->d = sqlite3_column_double(stmt, i); break;
      case SQLITE_TEXT: v->bytes = sqlite3_column_text(stmt, i); break;
      case SQLITE_BLOB: v->bytes = sqlite3_column_blob(stmt, i); break;
    }
    if (v->type == SQLITE_TEXT || v->type == SQLITE_BLOB) v->len = (size_t)sqlite3_column_bytes(stmt, i);
  } else {
    sqlite3_value *x = values[i];
    v->type = sqlite3_value_type(x);
    switch (v->type) {
      case SQLITE_INTEGER: v->i = sqlite3_value_int64(x); break;
      case SQLITE_FLOAT: v->d = sqlite3_value_double(x); break;
      case SQLITE_TEXT: v->bytes = sqlite3_value_text(x); break;
      case SQLITE_BLOB: v->bytes = sqlite3_value_blob(x); break;
    }
    if (v->type == SQLITE_TEXT || v->type == SQLITE_BLOB) v->len = (size_t)sqlite3_value_bytes(x);
  }
  if ((v->type == SQLITE_TEXT || v->type == SQLITE_BLOB) && v->bytes == NULL) v->len = 0;
}

void row_push(lua_State *L, int names_idx, int meta_idx, sqlite3_stmt *stmt, int n,
              sqlite3_value **values) {
  pending on_stack[PENDING_ON_STACK], *read = on_stack;
  size_t text = 0, used = 0;
  int i;
  row *r;
  char *area;
  names_idx = lua_absindex(L, names_idx);
  meta_idx = lua_absindex(L, meta_idx);
  if (stmt) n = sqlite3_data_count(stmt);
  if (n > PENDING_ON_STACK) read = (pending *)lua_newuserdatauv(L, (size_t)n * sizeof *read, 0);
  for (i = 0; i < n; i++) {
    read_value(stmt, values, i, &read[i]);
    if (read[i].type == SQLITE_TEXT || read[i].type == SQLITE_BLOB) text += read[i].len;
  }
  r = (row *)lua_newuserdatauv(L, sizeof *r + (size_t)n * sizeof(cell) + text, 1);
  r->ncols = n;
  area = (char *)(r->cells + n);
  for (i = 0; i < n; i++) {
    cell *c = &r->cells[i];
    c->type = read[i].type;
    switch (c->type) {
      case SQLITE_INTEGER: c->v.i = read[i].i; break;
      case SQLITE_FLOAT: c->v.d = read[i].d; break;
      case SQLITE_TEXT: case SQLITE_BLOB:
        if (read[i].len) memcpy(area + used, read[i].bytes, read[i].len);
        c->v.bytes.offset = used;
        c->v.bytes.len = read[i].len;
        used += read[i].len;
        break;
      default: c->type = SQLITE_NULL;
    }
  }
  lua_pushvalue(L, meta_idx);
  lua_setmetatable(L, -2);
  lua_pushvalue(L, names_idx);
  lua_setiuservalue(L, -2, 1);
  if (read != on_stack) lua_remove(L, -2);
}

void row_push_value(lua_State *L, sqlite3_value *v) {
  switch (sqlite3_value_type(v)) {
    case SQLITE_INTEGER: lua_pushinteger(L, (lua_Integer)sqlite3_value_int64(v)); break;
    case SQLITE_FLOAT: lua_pushnumber(L, sqlite3_value_double(v)); break;
    case SQLITE_TEXT:
      lua_pushlstring(L, (const char *)sqlite3_value_text(v), (size_t)sqlite3_value_bytes(v));
      break;
    case SQLITE_BLOB: {
      const void *p = sqlite3_value_blob(v);
      lua_pushlstring(L, p ? (const char *)p : "", (size_t)sqlite3_value_bytes(v));
      break;
    }
    default: lua_pushnil(L);
  }
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

static void push_cell(lua_State *L, const row *r, int i) {
  const cell *c = &r->cells[i];
  switch (c->type) {
    case SQLITE_INTEGER: lua_pushinteger(L, (lua_Integer)c->v.i); break;
    case SQLITE_FLOAT: lua_pushnumber(L, c->v.d); break;
    case SQLITE_TEXT: case SQLITE_BLOB:
      lua_pushlstring(L, (const char *)(r->cells + r->ncols) + c->v.bytes.offset, c->v.bytes.len);
      break;
    default: lua_pushnil(L);
  }
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
  else push_cell(L, r, (int)i - 1);
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
  push_cell(L, r, (int)i - 1);
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
