/*
** composite.c: the per-value loops of zb.composite (lua/zb/analysis/
** composite.lua) over lists of Lua values or vectors (vector.c: the data
** as read, min-max's and the means' results), where a Lua loop a value was
** most of an index's time (60 indicators of 3,000 regions over 20 years
** are 3.6 million values, each read by several steps), and t:sensitivity's
** runs over flat arrays of doubles (1,197 runs of an index over 3,000
** regions: each a weighted mean of every aggregate and a sort).  Each does the
** arithmetic of the Lua it replaces in the same order, so that the
** numbers are the same to the bit; the framework, the choices, the checks
** and every other method stay in Lua.  A list holds numbers or nil
** (missing), a vector doubles or NaN (missing); composite.lua has checked
** them before.
*/
#include <math.h>
#include <stdlib.h>

#include "lua.h"
#include "lauxlib.h"

#include "composite.h"
#include "value.h"
#include "vector.h"

/* The size argument at idx: a list's length, 0 to 2^26. */
static lua_Integer size_at(lua_State *L, int idx) {
  lua_Integer n = luaL_checkinteger(L, idx);
  luaL_argcheck(L, n >= 0 && n <= 1 << 26, idx, "a list's size from 0 to 2^26");
  return n;
}

/* A list of values (a Lua table) or a zb.Vector, read by entry. */
typedef struct {
  int idx;              /* its stack position (absolute) */
  const zb_vector *v;   /* the vector, or NULL for a list */
} values_at;

/* The list or vector at idx (checked; arg, the argument named). */
static values_at values_of(lua_State *L, int idx, int arg) {
  values_at a;
  a.idx = lua_absindex(L, idx);
  a.v = vector_test(L, a.idx);
  if (a.v == NULL) luaL_argcheck(L, lua_istable(L, a.idx), arg, "a list of values or a vector");
  return a;
}

/* Entry i of a's values: 1 and the number in *x, or 0 for nil. */
static int number_at(lua_State *L, values_at a, lua_Integer i, double *x) {
  int present;
  if (a.v != NULL) {
    *x = i >= 1 && i <= a.v->n ? a.v->x[i - 1] : NAN;
    return !isnan(*x);
  }
  present = lua_rawgeti(L, a.idx, i) != LUA_TNIL;
  if (present) *x = lua_tonumber(L, -1);
  lua_pop(L, 1);
  return present;
}

/* The first n entries of the list or vector at idx read once into a new
** buffer (left on the stack), NaN for nil: composite.lua has refused NaN
** as a value. */
static double *read_list(lua_State *L, int idx, lua_Integer n) {
  values_at a = values_of(L, idx, idx);
  double *xs = lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof(double), 0);
  lua_Integer i;
  for (i = 1; i <= n; i++) {
    if (!number_at(L, a, i, &xs[i - 1])) xs[i - 1] = NAN;
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
    values_at from;
    lua_rawgeti(L, 1, k);
    from = values_of(L, -1, 1);
    lua_createtable(L, (int)n, 0);
    for (j = 0; j < n; j++) {
      if (from.v == NULL) lua_rawgeti(L, from.idx, rows[j]);
      else if (rows[j] >= 1 && rows[j] <= from.v->n) vector_push_entry(L, from.v, rows[j]);
      else lua_pushnil(L);
      lua_rawseti(L, -2, j + 1);
    }
    lua_rawseti(L, -3, k);
    lua_pop(L, 1);
  }
  return 1;
}

/* zb.core.composite_list(xs, n): the first n entries of a list or a
** vector as a new list, types kept: Lua's loops over values index a list
** several times faster than a vector, whose entries come through
** __index. */
static int l_list(lua_State *L) {
  lua_Integer i, n = size_at(L, 2);
  values_at a = values_of(L, 1, 1);
  lua_createtable(L, (int)n, 0);
  for (i = 1; i <= n; i++) {
    if (a.v == NULL) lua_rawgeti(L, a.idx, i);
    else if (i <= a.v->n) vector_push_entry(L, a.v, i);
    else lua_pushnil(L);
    lua_rawseti(L, -2, i);
  }
  return 1;
}

/* The entries rows (the list at rows_idx) picks from the list at idx,
** read once into a new buffer (left on the stack), NaN for nil; *n their
** count. */
static double *read_picked(lua_State *L, int idx, int rows_idx, lua_Integer *n) {
  values_at a = values_of(L, idx, idx);
  lua_Integer j, *rows = read_rows(L, rows_idx, n);
  double *xs = lua_newuserdatauv(L, (size_t)(*n ? *n : 1) * sizeof(double), 0);
  for (j = 0; j < *n; j++) {
    if (!number_at(L, a, rows[j], &xs[j])) xs[j] = NAN;
  }
  return xs;
}

/* zb.core.composite_minmax(xs, n | rows, sign, bottom, top): min-max of
** the values (xs' first n, or those rows picks: a period's rows among
** all) times sign onto {bottom, top}: bottom + (x - lo) / (hi - lo) *
** (top - bottom), as normalisers.minmax, a vector; every entry missing
** when none is there or all are equal. */
static int l_minmax(lua_State *L) {
  lua_Integer i, n, count = 0;
  double sign = luaL_checknumber(L, 3), bottom = luaL_checknumber(L, 4), top = luaL_checknumber(L, 5);
  double lo = HUGE_VAL, hi = -HUGE_VAL, x, span, width = top - bottom, *xs;
  zb_vector *out;
  if (lua_istable(L, 2)) xs = read_picked(L, 1, 2, &n);
  else n = size_at(L, 2), xs = read_list(L, 1, n);
  for (i = 1; i <= n; i++) {
    if (isnan(xs[i - 1])) continue;
    x = xs[i - 1] * sign;
    count++;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  out = vector_push(L, n);
  if (count == 0 || hi == lo) return 1;
  span = hi - lo;
  for (i = 1; i <= n; i++) {
    if (!isnan(xs[i - 1])) vector_set_float(out, i, bottom + (xs[i - 1] * sign - lo) / span * width);
  }
  return 1;
}

/* zb.core.composite_entropy(xs, n): the count, lowest and highest of the
** values present, and -sum p ln p over them (p = x / their sum, the
** values above 0 only), summed in order as objective.entropy did. */
static int l_entropy(lua_State *L) {
  lua_Integer i, n = size_at(L, 2), count = 0;
  double lo = HUGE_VAL, hi = -HUGE_VAL, sum = 0, e = 0, x, *xs;
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
** weight * term (a value's term against its first value) and of the
** weights, its first value (NaN before one), and the values missing. */
typedef struct {
  double s, w, first;
  lua_Integer missing;
} mean_sums;

/* The weighted means, as composite.lua names them: each value's term
** against a region's first value r (x - r, ln(x / r), r / x - 1), and the
** mean from the sum of terms s over the sum of weights w (r + s / w,
** r e^(s / w), r / (1 + s / w)).  Taken against r, values that are all
** equal give that value to the bit. */
typedef enum { MEAN_ARITHMETIC, MEAN_GEOMETRIC, MEAN_HARMONIC } mean_kind;
static const char *const mean_names[] = {"mean", "geometric", "harmonic", NULL};

/* Value x of weight added to a region's sums. */
static void mean_add(mean_sums *m, mean_kind kind, double weight, double x) {
  double r;
  if (isnan(m->first)) m->first = x;
  r = m->first;
  m->s = m->s + weight * (kind == MEAN_ARITHMETIC ? x - r : kind == MEAN_GEOMETRIC ? log(x / r) : r / x - 1);
  m->w = m->w + weight;
}

/* A region's weighted mean from its sums, NaN where no weight is there. */
static double mean_of(const mean_sums *m, mean_kind kind) {
  double r = m->first;
  if (!(m->w > 0)) return NAN;
  return kind == MEAN_ARITHMETIC ? r + m->s / m->w : kind == MEAN_GEOMETRIC ? r * exp(m->s / m->w)
                                                                              : r / (1 + m->s / m->w);
}

/* One child's values (the column at idx, its weight, the missing counts
** under it at lost, 0 for an indicator) added to each region's sums by
** kind; 0, or the first row whose value a geometric or harmonic mean
** cannot take (0 or less), where it stops. */
static lua_Integer add_child(lua_State *L, int idx, mean_kind kind, double weight, int lost, lua_Integer n,
                             mean_sums *sums) {
  values_at column = values_of(L, idx, 1), counts;
  lua_Integer i;
  double x, m;
  if (lost) counts = values_of(L, lost, 3);
  for (i = 1; i <= n; i++) {
    mean_sums *r = &sums[i - 1];
    int present = number_at(L, column, i, &x);
    if (lost) {
      if (number_at(L, counts, i, &m)) r->missing += (lua_Integer)m;
    } else if (!present) r->missing++;
    if (!present) continue;
    if (kind != MEAN_ARITHMETIC && x <= 0) return i;
    mean_add(r, kind, weight, x);
  }
  return 0;
}

/* zb.core.composite_mean(columns, weights, lost, n [, kind]): the
** weighted mean (kind: "mean", the default, "geometric" or "harmonic")
** of each region's values present among the columns (a child's values
** each), weights renormalised, as mean_of gives it, nil where no weight
** is there; and the missing count (lost[k], a child's missing counts, or
** false for an indicator, whose nil counts 1): two vectors.  nil, the
** child and the row of the first value 0 or less a geometric or harmonic
** mean meets, for composite.lua to name. */
static int l_mean(lua_State *L) {
  lua_Integer i, k, n = size_at(L, 4), children;
  mean_kind kind = (mean_kind)luaL_checkoption(L, 5, "mean", mean_names);
  mean_sums *sums;
  zb_vector *means, *missing;
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TTABLE);
  luaL_checktype(L, 3, LUA_TTABLE);
  children = (lua_Integer)lua_rawlen(L, 1);
  sums = lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof *sums, 0);
  for (i = 0; i < n; i++) sums[i].s = 0, sums[i].w = 0, sums[i].first = NAN, sums[i].missing = 0;
  for (k = 1; k <= children; k++) {
    int lost = 0;
    lua_Integer refused;
    lua_rawgeti(L, 1, k);
    lua_rawgeti(L, 2, k);
    if (lua_rawgeti(L, 3, k) != LUA_TNIL && lua_toboolean(L, -1)) lost = lua_gettop(L);
    refused = add_child(L, lua_gettop(L) - 2, kind, lua_tonumber(L, -2), lost, n, sums);
    if (refused) {
      lua_pushnil(L);
      lua_pushinteger(L, k);
      lua_pushinteger(L, refused);
      return 3;
    }
    lua_pop(L, 3);
  }
  means = vector_push(L, n);
  missing = vector_push(L, n);
  for (i = 1; i <= n; i++) {
    const mean_sums *r = &sums[i - 1];
    if (r->w > 0) vector_set_float(means, i, mean_of(r, kind));
    vector_set_integer(missing, i, r->missing);
  }
  return 2;
}

/* Pearson's r of columns a and b (n doubles each, NaN for missing) over
** the rows both have, as composite.lua's correlation took it (its sums
** in the same order): NaN when fewer than two rows are there, or either
** side is constant over them.  pa and pb: room for n pairs. */
static double pair_correlation(const double *a, const double *b, lua_Integer n, double *pa, double *pb) {
  lua_Integer i, count = 0;
  int a_flat = 1, b_flat = 1;
  double ma = 0, mb = 0, sab = 0, saa = 0, sbb = 0;
  for (i = 0; i < n; i++) {
    if (!isnan(a[i]) && !isnan(b[i])) pa[count] = a[i], pb[count++] = b[i];
  }
  if (count < 2) return NAN;
  for (i = 1; i < count; i++) a_flat = a_flat && pa[i] == pa[0], b_flat = b_flat && pb[i] == pb[0];
  if (a_flat || b_flat) return NAN;
  for (i = 0; i < count; i++) ma = ma + pa[i], mb = mb + pb[i];
  ma = ma / (double)count, mb = mb / (double)count;
  for (i = 0; i < count; i++) {
    sab = sab + (pa[i] - ma) * (pb[i] - mb);
    saa = saa + (pa[i] - ma) * (pa[i] - ma);
    sbb = sbb + (pb[i] - mb) * (pb[i] - mb);
  }
  if (saa == 0 || sbb == 0) return NAN;
  return sab / sqrt(saa * sbb);
}

/* zb.core.composite_correlations(columns, n): Pearson's r of each pair
** of the columns (lists or vectors of n values) over the rows both have:
** r[a][b] for a ~= b, nil where there is none (see pair_correlation), as
** CRITIC's and PCA's weights need (60 indicators are 1,770 pairs). */
static int l_correlations(lua_State *L) {
  lua_Integer n = size_at(L, 2), k, a, b;
  double **columns, *pa, *pb;
  luaL_checktype(L, 1, LUA_TTABLE);
  k = (lua_Integer)lua_rawlen(L, 1);
  luaL_argcheck(L, k <= 1 << 16, 1, "at most 2^16 columns");
  luaL_checkstack(L, (int)k + 8, "too many columns");
  columns = lua_newuserdatauv(L, (size_t)(k ? k : 1) * sizeof *columns, 0);
  for (a = 0; a < k; a++) {
    lua_rawgeti(L, 1, a + 1);
    columns[a] = read_list(L, -1, n);
    lua_replace(L, -2);  /* the buffer in the list's place: kept until the end */
  }
  pa = lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof *pa, 0);
  pb = lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof *pb, 0);
  lua_createtable(L, (int)k, 0);
  for (a = 0; a < k; a++) {
    lua_createtable(L, (int)k, 0);
    lua_rawseti(L, -2, a + 1);
  }
  for (a = 0; a < k; a++) {
    for (b = 0; b < a; b++) {
      double r = pair_correlation(columns[a], columns[b], n, pa, pb);
      if (isnan(r)) continue;
      lua_rawgeti(L, -1, a + 1);
      lua_pushnumber(L, r);
      lua_rawseti(L, -2, b + 1);
      lua_rawgeti(L, -2, b + 1);
      lua_pushnumber(L, r);
      lua_rawseti(L, -2, a + 1);
      lua_pop(L, 2);
    }
  }
  return 1;
}

/* zb.core.composite_eigen(a, n): the eigenvalues and eigenvectors of the
** symmetric matrix a (a list of n rows of n numbers) by Jacobi's
** rotations, as composite.lua's symmetric_eigen turned them (at most 100
** sweeps, until the off-diagonal squares sum below 1e-30): values[k] and
** vectors[i][k] (column k for values[k]). */
static int l_eigen(lua_State *L) {
  lua_Integer n = luaL_checkinteger(L, 2), i, j, k, p, q, sweep;
  double *m, *v;
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_argcheck(L, n >= 0 && n <= 1 << 12, 2, "a matrix of 0 to 4,096 rows");
  m = lua_newuserdatauv(L, (size_t)(n * n + 1) * sizeof *m, 0);
  v = lua_newuserdatauv(L, (size_t)(n * n + 1) * sizeof *v, 0);
#define M(r, c) m[(r) * n + (c)]
#define V(r, c) v[(r) * n + (c)]
  for (i = 0; i < n; i++) {
    luaL_argcheck(L, lua_rawgeti(L, 1, i + 1) == LUA_TTABLE, 1, "a list of rows");
    for (j = 0; j < n; j++) {
      lua_rawgeti(L, -1, j + 1);
      M(i, j) = luaL_checknumber(L, -1);
      V(i, j) = i == j;
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  for (sweep = 0; sweep < 100; sweep++) {
    double off = 0;
    for (p = 0; p < n - 1; p++)
      for (q = p + 1; q < n; q++) off = off + M(p, q) * M(p, q);
    if (off < 1e-30) break;
    for (p = 0; p < n - 1; p++) {
      for (q = p + 1; q < n; q++) {
        double theta, t, c, s;
        if (M(p, q) == 0) continue;
        theta = (M(q, q) - M(p, p)) / (2 * M(p, q));
        t = (theta >= 0 ? 1 : -1) / (fabs(theta) + sqrt(theta * theta + 1));
        c = 1 / sqrt(t * t + 1);
        s = t * c;
        for (k = 0; k < n; k++) {  /* columns p and q, then rows p and q: m = J' m J */
          double kp = M(k, p), kq = M(k, q);
          M(k, p) = c * kp - s * kq, M(k, q) = s * kp + c * kq;
        }
        for (k = 0; k < n; k++) {
          double pk = M(p, k), qk = M(q, k);
          M(p, k) = c * pk - s * qk, M(q, k) = s * pk + c * qk;
        }
        for (k = 0; k < n; k++) {
          double kp = V(k, p), kq = V(k, q);
          V(k, p) = c * kp - s * kq, V(k, q) = s * kp + c * kq;
        }
      }
    }
  }
  lua_createtable(L, (int)n, 0);
  for (k = 0; k < n; k++) {
    lua_pushnumber(L, M(k, k));
    lua_rawseti(L, -2, k + 1);
  }
  lua_createtable(L, (int)n, 0);
  for (i = 0; i < n; i++) {
    lua_createtable(L, (int)n, 0);
    for (k = 0; k < n; k++) {
      lua_pushnumber(L, V(i, k));
      lua_rawseti(L, -2, k + 1);
    }
    lua_rawseti(L, -2, i + 1);
  }
#undef M
#undef V
  return 2;
}

/* Scores within this share of the largest score in magnitude are tied:
** two scores equal but for the order of their sums' operations (0.1 +
** 0.2 against 0.3) differ in their last bits, some 1e-16 of the values
** summed, and no score is told apart at 12 significant digits of the
** largest.  The scale is the scores', not the two's: -0.6 + 0.4 + 0.2
** is -1.1e-16, not the 0 of another region, and relative to itself it
** would rank apart. */
#define RANK_TIE 1e-12

/* Whether x and y are equal as scores are, scale the largest magnitude
** among the values compared. */
static int tied(double x, double y, double scale) {
  return fabs(x - y) <= RANK_TIE * scale;
}

/* zb.core.composite_copeland(columns, weights, n): Copeland's
** outranking over the columns (a child's values each, lists or vectors
** of n) with their weights, as composite.lua's copeland took it: region
** a beats b when the weights of the children where a is higher outweigh
** those where b is (by more than 1e-12), over the children both have;
** two values of a child within RANK_TIE of its largest in magnitude are
** equal, as two scores are in a rank (sqrt(13.375 * 100) and sqrt(100 *
** 13.375), geometric means of the same values, differ in the last bit);
** each region's wins less losses, a vector of integers, missing for a
** region with no child's value.  n^2/2 pairs: in Lua, 3,000 regions took
** half a minute. */
static int l_copeland(lua_State *L) {
  lua_Integer n = size_at(L, 3), k, children, a, b, *score;
  double **columns, *weights, *scale;
  char *scored;
  zb_vector *out;
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TTABLE);
  children = (lua_Integer)lua_rawlen(L, 1);
  luaL_argcheck(L, children <= 1 << 16, 1, "at most 2^16 columns");
  luaL_checkstack(L, (int)children + 8, "too many columns");
  columns = lua_newuserdatauv(L, (size_t)(children ? children : 1) * sizeof *columns, 0);
  weights = lua_newuserdatauv(L, (size_t)(children ? children : 1) * sizeof *weights, 0);
  scale = lua_newuserdatauv(L, (size_t)(children ? children : 1) * sizeof *scale, 0);
  for (k = 0; k < children; k++) {
    lua_rawgeti(L, 2, k + 1);
    weights[k] = luaL_checknumber(L, -1);
    lua_pop(L, 1);
    lua_rawgeti(L, 1, k + 1);
    columns[k] = read_list(L, -1, n);
    lua_replace(L, -2);  /* the buffer in the list's place: kept until the end */
    scale[k] = 0;
    for (a = 0; a < n; a++) {  /* NaN (missing) compares false: left out */
      if (fabs(columns[k][a]) > scale[k]) scale[k] = fabs(columns[k][a]);
    }
  }
  score = lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof *score, 0);
  scored = lua_newuserdatauv(L, (size_t)(n ? n : 1), 0);
  out = vector_push(L, n);
  for (a = 0; a < n; a++) {
    score[a] = 0, scored[a] = 0;  /* a region with no child's value has no score */
    for (k = 0; k < children && !scored[a]; k++) scored[a] = !isnan(columns[k][a]);
  }
  for (a = 0; a + 1 < n; a++) {
    if (!scored[a]) continue;
    for (b = a + 1; b < n; b++) {
      double margin = 0;
      int win;
      if (!scored[b]) continue;
      for (k = 0; k < children; k++) {
        double x = columns[k][a], y = columns[k][b];
        if (tied(x, y, scale[k])) continue;
        if (x > y) margin = margin + weights[k];  /* NaN (missing) compares neither way */
        else if (x < y) margin = margin - weights[k];
      }
      win = margin > 1e-12 ? 1 : margin < -1e-12 ? -1 : 0;
      score[a] += win, score[b] -= win;
    }
  }
  for (a = 0; a < n; a++) {
    if (scored[a]) vector_set_integer(out, a + 1, score[a]);
  }
  return 1;
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

/* The competition ranks of order's count scores, sorted largest first,
** into rank by row (rows not there keep theirs): going down from the
** largest, a score tied with the first of the tie before it (within
** RANK_TIE) shares its rank, else it starts a tie of its own at its
** place.  The order of equal scores cannot change a rank, so any sort
** will do. */
static void rank_sorted(const ranked *order, lua_Integer count, lua_Integer *rank) {
  lua_Integer i, r = 0;
  double first = 0, scale = count ? fmax(fabs(order[0].x), fabs(order[count - 1].x)) : 0;
  for (i = 0; i < count; i++) {
    if (i == 0 || !tied(first, order[i].x, scale)) r = i + 1, first = order[i].x;
    rank[order[i].row] = r;
  }
}

/* The competition ranks of the n scores at xs into rank (0 for NaN, a
** missing score), order a buffer of n left sorted; their count. */
static lua_Integer rank_scores(const double *xs, lua_Integer n, ranked *order, lua_Integer *rank) {
  lua_Integer i, count = 0;
  for (i = 0; i < n; i++) {
    rank[i] = 0;
    if (!isnan(xs[i])) order[count].x = xs[i], order[count++].row = i;
  }
  qsort(order, (size_t)count, sizeof *order, larger_first);
  rank_sorted(order, count, rank);
  return count;
}

/* zb.core.composite_ranks(xs, n): competition ranks of the values, the
** largest first, as rank_scores gives them (nil stays nil). */
static int l_ranks(lua_State *L) {
  lua_Integer i, n = size_at(L, 2), *rank;
  ranked *order;
  double *xs;
  xs = read_list(L, 1, n);
  order = lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof *order, 0);
  rank = lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof *rank, 0);
  rank_scores(xs, n, order, rank);
  lua_createtable(L, (int)n, 0);
  for (i = 0; i < n; i++) {
    if (rank[i] == 0) continue;
    lua_pushinteger(L, rank[i]);
    lua_rawseti(L, -2, i + 1);
  }
  return 1;
}

static int smaller_first(const void *a, const void *b) {
  double x = ((const ranked *)a)->x, y = ((const ranked *)b)->x;
  return x < y ? -1 : x > y;
}

/* zb.core.composite_average_ranks(xs, n): ranks of the values, 1 for the
** smallest, equal values sharing the average of their places (R's
** rank(ties.method = "average")), nil for nil; and how many are ranked.
** nil and the place of an integer beyond 2^53 (its double may equal its
** neighbour's), for the caller to name. */
static int l_average_ranks(lua_State *L) {
  lua_Integer i, j, k, n = size_at(L, 2), count = 0;
  ranked *order;
  values_at a = values_of(L, 1, 1);
  order = lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof *order, 0);
  for (i = 1; i <= n; i++) {
    double x;
    if (a.v != NULL) {  /* a vector's integers are within 2^53 */
      if (number_at(L, a, i, &x)) order[count].x = x, order[count++].row = i;
      continue;
    }
    if (lua_rawgeti(L, 1, i) != LUA_TNIL) {
      if (lua_isinteger(L, -1)) {
        lua_Integer v = lua_tointeger(L, -1);
        if (v > VALUE_EXACT_IN_DOUBLE || v < -VALUE_EXACT_IN_DOUBLE) {  /* two could read as one double and tie */
          lua_pushnil(L);
          lua_pushinteger(L, i);
          return 2;
        }
      }
      order[count].x = lua_tonumber(L, -1), order[count++].row = i;
    }
    lua_pop(L, 1);
  }
  qsort(order, (size_t)count, sizeof *order, smaller_first);
  lua_createtable(L, (int)n, 0);
  for (i = 0; i < count; i = j + 1) {
    for (j = i; j + 1 < count && order[j + 1].x == order[i].x; j++) {}
    for (k = i; k <= j; k++) {
      lua_pushnumber(L, (double)(i + 1 + j + 1) / 2);
      lua_rawseti(L, -2, order[k].row);
    }
  }
  lua_pushinteger(L, count);
  return 2;
}

/* The runs of t:sensitivity over one set of normalised values: the
** values (an indicator's n a row, NaN for nil), the framework's
** aggregate nodes (children first, the top last) as lists of child
** numbers (1 to indicators for an indicator, indicators + k for the
** k-th aggregate), the weights of each run (a row of every node's
** weight, by number) and each aggregate's mean (NULL: every one the
** arithmetic).  Buffers are userdata on the stack. */
typedef struct {
  lua_Integer n, indicators, aggregates, runs;
  double *values, *weights;
  lua_Integer *child_start, *children;  /* aggregate k's children: children[child_start[k] .. child_start[k + 1]) */
  mean_kind *kinds;
} run_plan;

/* The plan's children from the list at idx (checked: each number names
** an indicator or an aggregate before its parent). */
static void read_children(lua_State *L, int idx, run_plan *p) {
  lua_Integer k, j, total = 0, nodes;
  luaL_checktype(L, idx, LUA_TTABLE);
  p->aggregates = (lua_Integer)lua_rawlen(L, idx);
  luaL_argcheck(L, p->aggregates >= 1 && p->aggregates <= 1 << 20, idx, "a list of the aggregates' children");
  for (k = 1; k <= p->aggregates; k++) {
    luaL_argcheck(L, lua_rawgeti(L, idx, k) == LUA_TTABLE, idx, "a list of the aggregates' children");
    total += (lua_Integer)lua_rawlen(L, -1);
    lua_pop(L, 1);
  }
  luaL_argcheck(L, total <= 1 << 26, idx, "at most 2^26 children");
  p->child_start = lua_newuserdatauv(L, (size_t)(p->aggregates + 1) * sizeof *p->child_start, 0);
  p->children = lua_newuserdatauv(L, (size_t)(total ? total : 1) * sizeof *p->children, 0);
  nodes = p->indicators + p->aggregates;
  total = 0;
  for (k = 0; k < p->aggregates; k++) {
    lua_Integer count;
    lua_rawgeti(L, idx, k + 1);
    count = (lua_Integer)lua_rawlen(L, -1);
    p->child_start[k] = total;
    for (j = 1; j <= count; j++) {
      lua_Integer c;
      lua_rawgeti(L, -1, j);
      c = lua_tointeger(L, -1);
      luaL_argcheck(L, c >= 1 && c <= nodes && c <= p->indicators + k, idx,
                    "children name an indicator or an aggregate before its parent");
      p->children[total++] = c - 1;
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  p->child_start[p->aggregates] = total;
}

/* The plan's values from the list of value lists at idx (the
** indicators', n each); arg, the argument named in errors. */
static void read_values(lua_State *L, int idx, int arg, run_plan *p) {
  lua_Integer i, k;
  luaL_argcheck(L, lua_istable(L, idx) && (lua_Integer)lua_rawlen(L, idx) == p->indicators, arg,
                "a value list an indicator");
  p->values = lua_newuserdatauv(L, (size_t)(p->n * p->indicators + 1) * sizeof *p->values, 0);
  for (k = 0; k < p->indicators; k++) {
    values_at list;
    lua_rawgeti(L, idx, k + 1);
    list = values_of(L, -1, arg);
    for (i = 0; i < p->n; i++) {
      double *x = &p->values[k * p->n + i];
      if (!number_at(L, list, i + 1, x)) *x = NAN;
    }
    lua_pop(L, 1);
  }
}

/* The plan's weights from the list at idx: a list a run of every node's
** weight (the top's not read); arg, the argument named in errors. */
static void read_weights(lua_State *L, int idx, int arg, run_plan *p) {
  lua_Integer r, c, nodes = p->indicators + p->aggregates;
  luaL_argcheck(L, lua_istable(L, idx), arg, "a list of each run's weights");
  p->runs = (lua_Integer)lua_rawlen(L, idx);
  luaL_argcheck(L, p->runs >= 1 && p->runs <= (1 << 26) / nodes, arg, "a list of each run's weights");
  p->weights = lua_newuserdatauv(L, (size_t)(p->runs * nodes) * sizeof *p->weights, 0);
  for (r = 0; r < p->runs; r++) {
    luaL_argcheck(L, lua_rawgeti(L, idx, r + 1) == LUA_TTABLE, arg, "a list of each run's weights");
    for (c = 0; c < nodes - 1; c++) {
      luaL_argcheck(L, lua_rawgeti(L, -1, c + 1) == LUA_TNUMBER, arg, "each run's weights a number a node");
      p->weights[r * nodes + c] = lua_tonumber(L, -1);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
}

/* Aggregate k's scores into out under run r's weights, its children's
** scores at scores[c] (c, a node's number from 0): the weighted mean (its
** kind) of each region's values present as composite_mean has it, NaN
** where no weight is there. */
static void run_mean(const run_plan *p, lua_Integer r, lua_Integer k, double *const *scores, mean_sums *sums,
                     double *out) {
  const double *weights = p->weights + r * (p->indicators + p->aggregates);
  mean_kind kind = p->kinds ? p->kinds[k] : MEAN_ARITHMETIC;
  lua_Integer i, j;
  for (i = 0; i < p->n; i++) sums[i].s = 0, sums[i].w = 0, sums[i].first = NAN;
  for (j = p->child_start[k]; j < p->child_start[k + 1]; j++) {
    const double *xs = scores[p->children[j]];
    double weight = weights[p->children[j]];
    if (kind == MEAN_ARITHMETIC) {  /* the kind a constant in the loop that runs most */
      for (i = 0; i < p->n; i++)
        if (!isnan(xs[i])) mean_add(&sums[i], MEAN_ARITHMETIC, weight, xs[i]);
    } else {
      for (i = 0; i < p->n; i++)
        if (!isnan(xs[i])) mean_add(&sums[i], kind, weight, xs[i]);
    }
  }
  for (i = 0; i < p->n; i++) out[i] = mean_of(&sums[i], kind);
}

/* Whether aggregate k must be worked again in run r: a child's weight is
** not the first run's, or a child was worked again (changed[c]). */
static int run_changes(const run_plan *p, lua_Integer r, lua_Integer k, const char *changed) {
  lua_Integer j, nodes = p->indicators + p->aggregates;
  for (j = p->child_start[k]; j < p->child_start[k + 1]; j++) {
    lua_Integer c = p->children[j];
    if (changed[c] || p->weights[r * nodes + c] != p->weights[c]) return 1;
  }
  return 0;
}

/* The ranks of the scores xs as rank_scores gives them, into rank, with
** order (count rows) sorted from base, the rows sorted by the first
** run's scores, by insertion: a run that varies one weight moves few
** regions past others.  0 (rank not set) when the rows with a score are
** not base's or the moves pass a bound: then sort. */
static int rank_from(const double *xs, lua_Integer n, const ranked *base, lua_Integer count, ranked *order,
                     lua_Integer *rank) {
  lua_Integer i, j, present = 0, moves = 0, bound = 16 * n;
  for (i = 0; i < n; i++) present += !isnan(xs[i]);
  if (present != count) return 0;
  for (i = 0; i < count; i++) {
    ranked next;
    next.row = base[i].row, next.x = xs[next.row];
    if (isnan(next.x)) return 0;
    for (j = i; j > 0 && order[j - 1].x < next.x; j--) {
      order[j] = order[j - 1];
      if (++moves > bound) return 0;
    }
    order[j] = next;
  }
  for (i = 0; i < n; i++) rank[i] = 0;
  rank_sorted(order, count, rank);
  return 1;
}

/* Each run's competition ranks of the top aggregate's weighted means
** under the plan's weights, into ranks (a region's runs a row, runs
** each), run r at column first + r * step.  An aggregate whose children
** and their weights are the first run's keeps the first run's scores: a
** run that varies one weight works its parents again, not the whole
** framework.  Buffers as userdata on the stack (popped). */
static void run_all(lua_State *L, const run_plan *p, lua_Integer *ranks, lua_Integer runs, lua_Integer first,
                    lua_Integer step) {
  lua_Integer i, k, r, count, nodes = p->indicators + p->aggregates, n = p->n;
  int top = lua_gettop(L);
  double **scores = lua_newuserdatauv(L, (size_t)nodes * sizeof *scores, 0);
  double *base = lua_newuserdatauv(L, (size_t)(n * p->aggregates + 1) * sizeof *base, 0);
  double *again = lua_newuserdatauv(L, (size_t)(n * p->aggregates + 1) * sizeof *again, 0);
  lua_Integer *rank = lua_newuserdatauv(L, (size_t)(n + 1) * sizeof *rank, 0);
  lua_Integer *first_rank = lua_newuserdatauv(L, (size_t)(n + 1) * sizeof *first_rank, 0);
  char *changed = lua_newuserdatauv(L, (size_t)nodes, 0);
  ranked *first_order = lua_newuserdatauv(L, (size_t)(n + 1) * sizeof *first_order, 0);
  ranked *order = lua_newuserdatauv(L, (size_t)(n + 1) * sizeof *order, 0);
  mean_sums *sums = lua_newuserdatauv(L, (size_t)(n + 1) * sizeof *sums, 0);
  for (k = 0; k < p->indicators; k++) scores[k] = p->values + k * n;
  for (k = 0; k < p->aggregates; k++) {  /* the first run: every aggregate */
    scores[p->indicators + k] = base + k * n;
    run_mean(p, 0, k, scores, sums, base + k * n);
  }
  count = rank_scores(scores[nodes - 1], n, first_order, first_rank);
  for (r = 0; r < p->runs; r++) {
    const lua_Integer *this_rank = first_rank;
    lua_Integer column = first - 1 + r * step;
    if (r > 0) {
      for (i = 0; i < nodes; i++) changed[i] = 0;
      for (k = 0; k < p->aggregates; k++) {
        lua_Integer node = p->indicators + k;
        changed[node] = (char)run_changes(p, r, k, changed);
        scores[node] = changed[node] ? again + k * n : base + k * n;
        if (changed[node]) run_mean(p, r, k, scores, sums, scores[node]);
      }
      if (changed[nodes - 1]) {
        if (!rank_from(scores[nodes - 1], n, first_order, count, order, rank)) rank_scores(scores[nodes - 1], n, order, rank);
        this_rank = rank;
      }
    }
    for (i = 0; i < n; i++) ranks[i * runs + column] = this_rank[i];
  }
  lua_settop(L, top);
}

/* The type 7 quantile at p of a region's count ranks, sorted in v, as
** zb.stats.quantiles finds it (h = (count - 1)p): the ranks it lies
** between and how far (the interpolation is zb.stats', in Lua), or the
** last rank alone. */
typedef struct {
  lua_Integer lower, upper;
  double fraction;
  int alone;
} quantile_place;

static quantile_place place_of(const lua_Integer *v, lua_Integer count, double p) {
  quantile_place q;
  double h = (double)(count - 1) * p, below = floor(h);
  q.alone = below + 1 >= (double)count;
  q.lower = q.alone ? v[count - 1] : v[(lua_Integer)below];
  q.upper = q.alone ? 0 : v[(lua_Integer)below + 1];
  q.fraction = h - below;
  return q;
}

static int smaller_integer_first(const void *a, const void *b) {
  lua_Integer x = *(const lua_Integer *)a, y = *(const lua_Integer *)b;
  return x < y ? -1 : x > y;
}

/* A region's ranks present among its runs (0: none), sorted into v;
** their count.  Ranks are 1 to n: counted into seen (n + 1 zeros, left
** so) when they span little more than their number, else sorted. */
static lua_Integer sorted_ranks(const lua_Integer *row, lua_Integer runs, lua_Integer *v, lua_Integer *seen) {
  lua_Integer r, count = 0, lo = 0, hi = 0, x;
  for (r = 0; r < runs; r++) {
    if (row[r] == 0) continue;
    v[count++] = row[r];
    if (count == 1 || row[r] < lo) lo = row[r];
    if (count == 1 || row[r] > hi) hi = row[r];
  }
  if (count == 0) return 0;
  if (hi - lo > 4 * count) {
    qsort(v, (size_t)count, sizeof *v, smaller_integer_first);
    return count;
  }
  for (r = 0; r < count; r++) seen[v[r]]++;
  count = 0;
  for (x = lo; x <= hi; x++) {
    for (; seen[x] > 0; seen[x]--) v[count++] = x;
  }
  return count;
}

/* A new list of the n integers at xs, 0 left nil, set as field name of
** the table on top. */
static void set_integers(lua_State *L, const char *name, const lua_Integer *xs, lua_Integer n) {
  lua_Integer i;
  lua_createtable(L, (int)n, 0);
  for (i = 0; i < n; i++) {
    if (xs[i] == 0) continue;
    lua_pushinteger(L, xs[i]);
    lua_rawseti(L, -2, i + 1);
  }
  lua_setfield(L, -2, name);
}

/* How many indicators the first job with columns has (see
** l_sensitivity), 0 when none has: each job's the same (read_values). */
static lua_Integer indicators_of(lua_State *L, int jobs) {
  lua_Integer j, count = (lua_Integer)lua_rawlen(L, jobs), indicators = 0;
  for (j = 1; j <= count && indicators == 0; j++) {
    luaL_argcheck(L, lua_rawgeti(L, jobs, j) == LUA_TTABLE, jobs, "a list of jobs");
    if (lua_getfield(L, -1, "columns") == LUA_TTABLE) indicators = (lua_Integer)lua_rawlen(L, -1);
    lua_pop(L, 2);
  }
  return indicators;
}

/* The jobs' runs into ranks (see l_sensitivity); each run given once. */
static void read_jobs(lua_State *L, int jobs, const run_plan *p, lua_Integer *ranks, lua_Integer runs) {
  lua_Integer j, i, count = (lua_Integer)lua_rawlen(L, jobs);
  char *given = lua_newuserdatauv(L, (size_t)runs, 0);
  for (i = 0; i < runs; i++) given[i] = 0;
  for (j = 1; j <= count; j++) {
    int job = lua_gettop(L) + 1;
    lua_Integer first, step, r;
    run_plan plan;
    luaL_argcheck(L, lua_rawgeti(L, jobs, j) == LUA_TTABLE, jobs, "a list of jobs");
    if (lua_getfield(L, job, "columns") == LUA_TNIL) {  /* one run ranked already: {ranks =, run =} */
      lua_getfield(L, job, "run");
      lua_getfield(L, job, "ranks");
      r = lua_tointeger(L, -2) - 1;
      luaL_argcheck(L, r >= 0 && r < runs && !given[r] && lua_istable(L, -1), jobs, "a run's ranks, each run once");
      given[r] = 1;
      for (i = 0; i < p->n; i++) {
        int valid;
        lua_rawgeti(L, -1, i + 1);
        ranks[i * runs + r] = lua_tointegerx(L, -1, &valid);
        luaL_argcheck(L, lua_isnil(L, -1) || (valid && ranks[i * runs + r] >= 1 && ranks[i * runs + r] <= p->n),
                      jobs, "ranks from 1 to n");
        lua_pop(L, 1);
      }
      lua_settop(L, job - 1);
      continue;
    }
    luaL_argcheck(L, p->indicators >= 1, jobs, "a value list an indicator");
    plan = *p;
    read_values(L, job + 1, jobs, &plan);
    if (lua_getfield(L, job, "means") != LUA_TNIL) {  /* each aggregate's, by number */
      lua_Integer k;
      luaL_argcheck(L, lua_istable(L, -1) && (lua_Integer)lua_rawlen(L, -1) == plan.aggregates, jobs,
                    "a mean an aggregate");
      plan.kinds = lua_newuserdatauv(L, (size_t)plan.aggregates * sizeof *plan.kinds, 0);
      for (k = 0; k < plan.aggregates; k++) {
        lua_rawgeti(L, -2, k + 1);
        plan.kinds[k] = (mean_kind)luaL_checkoption(L, -1, NULL, mean_names);
        lua_pop(L, 1);
      }
    }
    lua_getfield(L, job, "weights");
    read_weights(L, lua_gettop(L), jobs, &plan);
    lua_getfield(L, job, "first");
    lua_getfield(L, job, "step");
    first = lua_tointeger(L, -2), step = lua_tointeger(L, -1);
    luaL_argcheck(L, first >= 1 && step >= 1 && first - 1 + (plan.runs - 1) * step < runs, jobs, "runs within runs");
    for (r = 0; r < plan.runs; r++) {
      luaL_argcheck(L, !given[first - 1 + r * step], jobs, "each run once");
      given[first - 1 + r * step] = 1;
    }
    run_all(L, &plan, ranks, runs, first, step);
    lua_settop(L, job - 1);
  }
  for (i = 0; i < runs; i++) luaL_argcheck(L, given[i], jobs, "every run given");
}

/* zb.core.composite_sensitivity(jobs, n, runs, children, ps): each of n
** regions' ranks over runs runs, summed up.  A job is either a set of
** runs over one set of normalised values, {columns = the indicators'
** value lists, weights = a list of each run's weights by node number,
** first =, step = [, means = each aggregate's mean by number: "mean",
** "geometric" or "harmonic"]}, run k of its weights being run first +
** (k - 1) * step (see run_plan and run_all; children, the aggregates' children by
** number), or one run ranked already, {run =, ranks = a list}.  Returns
** {nominal = run 1's ranks, best =, worst =, count = (the runs that
** ranked each region), places = for each p of ps, {lower =, upper =,
** fraction =}: where the type 7 quantile lies among the region's ranks,
** upper nil when it is lower alone}. */
static int l_sensitivity(lua_State *L) {
  run_plan p;
  lua_Integer i, k, ps, runs = luaL_checkinteger(L, 3), count, *ranks, *v, *seen, *nominal, *best, *worst, *counts;
  double at[16];
  luaL_checktype(L, 1, LUA_TTABLE);
  p.n = size_at(L, 2);
  luaL_argcheck(L, runs >= 1 && runs <= (1 << 26) / (p.n ? p.n : 1), 3,
                "runs from 1, at most 2^26 ranks (regions times runs)");
  luaL_checktype(L, 5, LUA_TTABLE);
  ps = (lua_Integer)lua_rawlen(L, 5);
  luaL_argcheck(L, ps <= 16, 5, "at most 16 p");
  for (k = 0; k < ps; k++) {
    lua_rawgeti(L, 5, k + 1);
    at[k] = lua_tonumber(L, -1);
    luaL_argcheck(L, lua_type(L, -1) == LUA_TNUMBER && at[k] >= 0 && at[k] <= 1, 5, "each p a number from 0 to 1");
    lua_pop(L, 1);
  }
  p.indicators = indicators_of(L, 1);
  p.aggregates = 0;
  p.kinds = NULL;
  luaL_argcheck(L, p.n * p.indicators <= 1 << 26, 1, "at most 2^26 values (regions times indicators)");
  if (p.indicators > 0) read_children(L, 4, &p);
  ranks = lua_newuserdatauv(L, (size_t)(p.n * runs + 1) * sizeof *ranks, 0);
  read_jobs(L, 1, &p, ranks, runs);
  v = lua_newuserdatauv(L, (size_t)runs * sizeof *v, 0);
  seen = lua_newuserdatauv(L, (size_t)(p.n + 1) * sizeof *seen, 0);
  nominal = lua_newuserdatauv(L, (size_t)(4 * p.n + 1) * sizeof *nominal, 0);
  best = nominal + p.n, worst = best + p.n, counts = worst + p.n;
  for (i = 0; i <= p.n; i++) seen[i] = 0;
  lua_createtable(L, 0, 5);
  lua_createtable(L, (int)ps, 0);  /* places */
  for (k = 1; k <= ps; k++) {
    lua_createtable(L, 0, 3);
    lua_createtable(L, (int)p.n, 0);
    lua_setfield(L, -2, "lower");
    lua_createtable(L, (int)p.n, 0);
    lua_setfield(L, -2, "upper");
    lua_createtable(L, (int)p.n, 0);
    lua_setfield(L, -2, "fraction");
    lua_rawseti(L, -2, k);
  }
  for (i = 0; i < p.n; i++) {
    const lua_Integer *row = ranks + i * runs;
    count = sorted_ranks(row, runs, v, seen);
    nominal[i] = row[0], counts[i] = count;
    best[i] = count ? v[0] : 0, worst[i] = count ? v[count - 1] : 0;
    for (k = 1; k <= ps && count > 0; k++) {
      quantile_place q = place_of(v, count, at[k - 1]);
      lua_rawgeti(L, -1, k);  /* places[k] */
      lua_getfield(L, -1, "lower");
      lua_pushinteger(L, q.lower);
      lua_rawseti(L, -2, i + 1);
      lua_pop(L, 1);
      if (!q.alone) {
        lua_getfield(L, -1, "upper");
        lua_pushinteger(L, q.upper);
        lua_rawseti(L, -2, i + 1);
        lua_getfield(L, -2, "fraction");
        lua_pushnumber(L, q.fraction);
        lua_rawseti(L, -2, i + 1);
        lua_pop(L, 2);
      }
      lua_pop(L, 1);
    }
  }
  lua_setfield(L, -2, "places");
  set_integers(L, "nominal", nominal, p.n);
  set_integers(L, "best", best, p.n);
  set_integers(L, "worst", worst, p.n);
  lua_createtable(L, (int)p.n, 0);
  for (i = 0; i < p.n; i++) {
    lua_pushinteger(L, counts[i]);
    lua_rawseti(L, -2, i + 1);
  }
  lua_setfield(L, -2, "count");
  return 1;
}

static const luaL_Reg composite_functions[] = {
  {"composite_ranks", l_ranks},
  {"composite_pick", l_pick},
  {"composite_list", l_list},
  {"composite_correlations", l_correlations},
  {"composite_eigen", l_eigen},
  {"composite_copeland", l_copeland},
  {"composite_minmax", l_minmax},
  {"composite_entropy", l_entropy},
  {"composite_mean", l_mean},
  {"composite_average_ranks", l_average_ranks},
  {"composite_sensitivity", l_sensitivity},
  {NULL, NULL}
};

void composite_register(lua_State *L) {
  luaL_setfuncs(L, composite_functions, 0);
}
