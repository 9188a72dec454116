/*
** vector.c: zb.Vector, a column of numbers held in C: n doubles (NaN for
** a missing value) and whether each is an integer.  A composite index's
** data is read into vectors (60 indicators of 3,000 regions over 20
** years are 3.6 million values: as Lua lists, 58 MB made and filled a
** value at a time before any work), and composite.c's loops read their
** doubles; Lua code reads and writes one as it would a list: v[i] (nil,
** an integer or a float, as it was set), v[i] = x, #v, ipairs.
*/
#include <stddef.h>
#include <stdint.h>

#include "lua.h"
#include "lauxlib.h"

#include "value.h"
#include "vector.h"

/* The header, rounded up so that the doubles after it are aligned. */
#define HEADER ((sizeof(zb_vector) + sizeof(double) - 1) / sizeof(double) * sizeof(double))

zb_vector *vector_push(lua_State *L, lua_Integer n) {
  zb_vector *v;
  lua_Integer i;
  if (n < 0 || (size_t)n > (SIZE_MAX - HEADER) / (sizeof(double) + 1)) luaL_error(L, "not enough memory");
  v = lua_newuserdatauv(L, HEADER + (size_t)n * (sizeof(double) + 1), 0);
  v->n = n;
  v->x = (double *)(void *)((char *)v + HEADER);
  v->integer = (unsigned char *)(v->x + n);
  for (i = 1; i <= n; i++) vector_set_missing(v, i);
  luaL_setmetatable(L, ZB_VECTOR);
  return v;
}

zb_vector *vector_test(lua_State *L, int idx) {
  return (zb_vector *)luaL_testudata(L, idx, ZB_VECTOR);
}

void vector_push_entry(lua_State *L, const zb_vector *v, lua_Integer i) {
  double x = v->x[i - 1];
  if (isnan(x)) lua_pushnil(L);
  else if (v->integer[i - 1]) lua_pushinteger(L, (lua_Integer)x);
  else lua_pushnumber(L, x);
}

/* The entry the key at idx names (1 to n), or 0. */
static lua_Integer entry_of(lua_State *L, const zb_vector *v, int idx) {
  int is_integer;
  lua_Integer i = lua_tointegerx(L, idx, &is_integer);
  return is_integer && i >= 1 && i <= v->n ? i : 0;
}

static int l_index(lua_State *L) {
  zb_vector *v = luaL_checkudata(L, 1, ZB_VECTOR);
  lua_Integer i = entry_of(L, v, 2);
  if (i == 0) lua_pushnil(L);
  else vector_push_entry(L, v, i);
  return 1;
}

static int l_newindex(lua_State *L) {
  zb_vector *v = luaL_checkudata(L, 1, ZB_VECTOR);
  lua_Integer i = entry_of(L, v, 2);
  if (i == 0) return luaL_error(L, "a vector of %I entries has no entry %s", v->n, luaL_tolstring(L, 2, NULL));
  if (lua_isnil(L, 3)) vector_set_missing(v, i);
  else if (lua_type(L, 3) != LUA_TNUMBER) luaL_typeerror(L, 3, "number or nil");
  else if (lua_isinteger(L, 3)) {
    lua_Integer k = lua_tointeger(L, 3);
    luaL_argcheck(L, k >= -VALUE_EXACT_IN_DOUBLE && k <= VALUE_EXACT_IN_DOUBLE, 3, "an integer within 2^53");
    vector_set_integer(v, i, k);
  } else {
    double x = lua_tonumber(L, 3);
    luaL_argcheck(L, !isnan(x), 3, "a number (NaN is how a vector marks a missing value)");
    vector_set_float(v, i, x);
  }
  return 0;
}

static int l_len(lua_State *L) {
  lua_pushinteger(L, ((zb_vector *)luaL_checkudata(L, 1, ZB_VECTOR))->n);
  return 1;
}

static const luaL_Reg vector_meta[] = {
  {"__index", l_index},
  {"__newindex", l_newindex},
  {"__len", l_len},
  {NULL, NULL}
};

void vector_register(lua_State *L) {
  luaL_newmetatable(L, ZB_VECTOR);
  luaL_setfuncs(L, vector_meta, 0);
  lua_pop(L, 1);
}
