/*
** composite.c: the per-value loops of zb.composite (lua/zb/analysis/
** composite.lua) over lists of Lua values, where a Lua loop a value was
** most of an index's time (60 indicators of 3,000 regions over 20 years
** are 3.6 million values, each read by several steps).  Each does the
** arithmetic of the Lua it replaces in the same order, so that the
** numbers are the same to the bit; the framework, the choices, the checks
** and every other method stay in Lua.  A list holds numbers or nil
** (missing); composite.lua has checked them before.
*/
#include <math.h>
#include <stdlib.h>

#include "lua.h"
#include "lauxlib.h"

#include "composite.h"

/* The size argument at idx: a list's length, 0 to 2^26. */
static lua_Integer size_at(lua_State *L, int idx) {
  lua_Integer n = luaL_checkinteger(L, idx);
  luaL_argcheck(L, n >= 0 && n <= 1 << 26, idx, "a list's size from 0 to 2^26");
  return n;
}

/* Entry i of the list at idx: 1 and the number in *x, or 0 for nil. */
static int number_at(lua_State *L, int idx, lua_Integer i, double *x) {
  int present = lua_rawgeti(L, idx, i) != LUA_TNIL;
  if (present) *x = lua_tonumber(L, -1);
  lua_pop(L, 1);
  return present;
}

/* The list at idx's first n entries read once into a new buffer (left
** on the stack), NaN for nil: composite.lua has refused NaN as a value. */
static double *read_list(lua_State *L, int idx, lua_Integer n) {
  double *xs = lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof(double), 0);
  lua_Integer i;
  for (i = 1; i <= n; i++) {
    if (!number_at(L, idx, i, &xs[i - 1])) xs[i - 1] = NAN;
  }
  return xs;
}

/* The row numbers of the list at idx (a period's rows), read once into
** a new buffer left on the stack; *n their count. */
static lua_Integer *read_rows(lua_State *L, int idx, lua_Integer *n) {
  lua_Integer j, *rows;
  luaL_checktype(L, idx, LUA_TTABLE);
  *n = (lua_Integer)lua_rawlen(L, idx);
  luaL_argcheck(L, *n <= 1 << 26, idx, "at most 2^26 rows");
  rows = lua_newuserdatauv(L, (size_t)(*n ? *n : 1) * sizeof *rows, 0);
  for (j = 1; j <= *n; j++) {
    lua_rawgeti(L, idx, j);
    rows[j - 1] = lua_tointeger(L, -1);
    lua_pop(L, 1);
  }
  return rows;
}

/* zb.core.composite_pick(lists, rows): for each list of lists, a list
** of list[rows[j]] for each j of rows (a period's rows picked from
** columns); values as they are (an id's text, a count's integer). */
static int l_pick(lua_State *L) {
  lua_Integer j, n, k, count;
  lua_Integer *rows;
  luaL_checktype(L, 1, LUA_TTABLE);
  rows = read_rows(L, 2, &n);
  count = (lua_Integer)lua_rawlen(L, 1);
  lua_createtable(L, (int)(count < 1 << 26 ? count : 0), 0);
  for (k = 1; k <= count; k++) {
    lua_rawgeti(L, 1, k);
    lua_createtable(L, (int)n, 0);
    for (j = 0; j < n; j++) {
      lua_rawgeti(L, -2, rows[j]);
      lua_rawseti(L, -2, j + 1);
    }
    lua_rawseti(L, -3, k);
    lua_pop(L, 1);
  }
  return 1;
}

/* zb.core.composite_place(tos, froms, rows): to[rows[j]] = from[j] for
** each to of tos and from of froms (by position), where from[j] is not
** nil (a period's results back among all rows). */
static int l_place(lua_State *L) {
  lua_Integer j, n, k, count;
  lua_Integer *rows;
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TTABLE);
  rows = read_rows(L, 3, &n);
  count = (lua_Integer)lua_rawlen(L, 1);
  for (k = 1; k <= count; k++) {
    lua_rawgeti(L, 1, k);
    lua_rawgeti(L, 2, k);
    luaL_argcheck(L, lua_istable(L, -2) && lua_istable(L, -1), 1, "lists of value lists");
    for (j = 0; j < n; j++) {
      if (lua_rawgeti(L, -1, j + 1) == LUA_TNIL) lua_pop(L, 1);
      else lua_rawseti(L, -3, rows[j]);
    }
    lua_pop(L, 2);
  }
  return 0;
}

/* zb.core.composite_minmax(xs, n, sign, bottom, top): min-max of the
** values times sign onto {bottom, top}: bottom + (x - lo) / (hi - lo) *
** (top - bottom), as normalisers.minmax; an empty list when none is there
** or all are equal. */
static int l_minmax(lua_State *L) {
  lua_Integer i, n = size_at(L, 2), count = 0;
  double sign = luaL_checknumber(L, 3), bottom = luaL_checknumber(L, 4), top = luaL_checknumber(L, 5);
  double lo = HUGE_VAL, hi = -HUGE_VAL, x, span, width = top - bottom, *xs;
  luaL_checktype(L, 1, LUA_TTABLE);
  xs = read_list(L, 1, n);
  for (i = 1; i <= n; i++) {
    if (isnan(xs[i - 1])) continue;
    x = xs[i - 1] * sign;
    count++;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  lua_createtable(L, (int)n, 0);
  if (count == 0 || hi == lo) return 1;
  span = hi - lo;
  for (i = 1; i <= n; i++) {
    if (isnan(xs[i - 1])) continue;
    lua_pushnumber(L, bottom + (xs[i - 1] * sign - lo) / span * width);
    lua_rawseti(L, -2, i);
  }
  return 1;
}

/* zb.core.composite_entropy(xs, n): the count, lowest and highest of the
** values present, and -sum p ln p over them (p = x / their sum, the
** values above 0 only), summed in order as objective.entropy did. */
static int l_entropy(lua_State *L) {
  lua_Integer i, n = size_at(L, 2), count = 0;
  double lo = HUGE_VAL, hi = -HUGE_VAL, sum = 0, e = 0, x, *xs;
  luaL_checktype(L, 1, LUA_TTABLE);
  xs = read_list(L, 1, n);
  for (i = 1; i <= n; i++) {
    x = xs[i - 1];
    if (isnan(x)) continue;
    count++;
    sum += x;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  for (i = 1; i <= n; i++) {
    x = xs[i - 1];
    if (x > 0) {  /* NaN (nil) is not */
      double p = x / sum;
      e = e - p * log(p);
    }
  }
  lua_pushinteger(L, count);
  lua_pushnumber(L, lo);
  lua_pushnumber(L, hi);
  lua_pushnumber(L, e);
  return 4;
}

/* A region's weighted mean as its children add to it: the sums of
** weight * (x - first) and of the weights, its first value (NaN before
** one: the terms are taken against it), and the values missing. */
typedef struct {
  double s, w, first;
  lua_Integer missing;
} mean_sums;

/* One child's values (the column at idx, its weight, the missing counts
** under it at lost, 0 for an indicator) added to each region's sums. */
static void add_child(lua_State *L, int idx, double weight, int lost, lua_Integer n, mean_sums *sums) {
  lua_Integer i;
  double x;
  for (i = 1; i <= n; i++) {
    mean_sums *r = &sums[i - 1];
    int present = number_at(L, idx, i, &x);
    if (lost) {
      lua_rawgeti(L, lost, i);
      r->missing += lua_tointeger(L, -1);
      lua_pop(L, 1);
    } else if (!present) r->missing++;
    if (!present) continue;
    if (isnan(r->first)) r->first = x;
    r->s = r->s + weight * (x - r->first);
    r->w = r->w + weight;
  }
}

/* zb.core.composite_mean(columns, weights, lost, n): the weighted
** arithmetic mean of each region's values present among the columns
** (a child's values each), weights renormalised, as aggregate's "mean":
** first + sum(w (x - first)) / sum(w), nil where no weight is there; and
** the missing count (lost[k], a child's missing counts, or false for an
** indicator, whose nil counts 1). */
static int l_mean(lua_State *L) {
  lua_Integer i, k, n = size_at(L, 4), children;
  mean_sums *sums;
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TTABLE);
  luaL_checktype(L, 3, LUA_TTABLE);
  children = (lua_Integer)lua_rawlen(L, 1);
  sums = lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof *sums, 0);
  for (i = 0; i < n; i++) sums[i].s = 0, sums[i].w = 0, sums[i].first = NAN, sums[i].missing = 0;
  for (k = 1; k <= children; k++) {
    int lost = 0;
    lua_rawgeti(L, 1, k);
    luaL_argcheck(L, lua_istable(L, -1), 1, "a list of value lists");
    lua_rawgeti(L, 2, k);
    if (lua_rawgeti(L, 3, k) == LUA_TTABLE) lost = lua_gettop(L);
    add_child(L, lua_gettop(L) - 2, lua_tonumber(L, -2), lost, n, sums);
    lua_pop(L, 3);
  }
  lua_createtable(L, (int)n, 0);
  lua_createtable(L, (int)n, 0);
  for (i = 1; i <= n; i++) {
    const mean_sums *r = &sums[i - 1];
    if (r->w > 0) {
      lua_pushnumber(L, r->first + r->s / r->w);
      lua_rawseti(L, -3, i);
    }
    lua_pushinteger(L, r->missing);
    lua_rawseti(L, -2, i);
  }
  return 2;
}

/* A value present and its row, for sorting. */
typedef struct {
  double x;
  lua_Integer row;
} ranked;

static int larger_first(const void *a, const void *b) {
  double x = ((const ranked *)a)->x, y = ((const ranked *)b)->x;
  return x > y ? -1 : x < y;
}

/* Scores within this share of the larger of the two (in magnitude) are
** tied: two scores equal but for the order of their sums' operations
** (0.1 + 0.2 against 0.3) differ in their last bits, some 1e-16 of them,
** and no score is told apart at 12 significant digits. */
#define RANK_TIE 1e-12

/* Whether score x ties with first, the largest of its tie. */
static int tied(double first, double x) {
  return first - x <= RANK_TIE * fmax(fabs(first), fabs(x));
}

/* zb.core.composite_ranks(xs, n): competition ranks, the largest first
** (nil stays nil): going down from the largest, a score tied with the
** first of the tie before it (within RANK_TIE) shares its rank, else it
** starts a tie of its own at its place; the sort's order of equal values
** cannot change a rank, so it need not be stable. */
static int l_ranks(lua_State *L) {
  lua_Integer i, n = size_at(L, 2), count = 0, rank = 0;
  ranked *order;
  double x, first = 0;
  luaL_checktype(L, 1, LUA_TTABLE);
  order = lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof *order, 0);
  for (i = 1; i <= n; i++) {
    if (number_at(L, 1, i, &x)) order[count].x = x, order[count++].row = i;
  }
  qsort(order, (size_t)count, sizeof *order, larger_first);
  lua_createtable(L, (int)n, 0);
  for (i = 0; i < count; i++) {
    if (i == 0 || !tied(first, order[i].x)) rank = i + 1, first = order[i].x;
    lua_pushinteger(L, rank);
    lua_rawseti(L, -2, order[i].row);
  }
  return 1;
}

static const luaL_Reg composite_functions[] = {
  {"composite_ranks", l_ranks},
  {"composite_pick", l_pick},
  {"composite_place", l_place},
  {"composite_minmax", l_minmax},
  {"composite_entropy", l_entropy},
  {"composite_mean", l_mean},
  {NULL, NULL}
};

void composite_register(lua_State *L) {
  luaL_setfuncs(L, composite_functions, 0);
}
