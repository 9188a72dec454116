/*
** vector.h: zb.Vector, a column of numbers held in C (see vector.c).
*/
#ifndef ZB_VECTOR_H
#define ZB_VECTOR_H

#include <math.h>

#include "lua.h"

#define ZB_VECTOR "zb.Vector"

typedef struct zb_vector {
  lua_Integer n;           /* entries 1..n */
  double *x;               /* entry i at x[i - 1]; NaN for a missing one (nil) */
  unsigned char *integer;  /* whether entry i is an integer */
} zb_vector;

/* A new vector of n entries, each missing, pushed. */
zb_vector *vector_push(lua_State *L, lua_Integer n);

/* The vector at idx, or NULL when the value there is not one. */
zb_vector *vector_test(lua_State *L, int idx);

/* Push entry i (1 to n): nil, an integer or a float, as it was set. */
void vector_push_entry(lua_State *L, const zb_vector *v, lua_Integer i);

/* Entry i (1 to n) set to a float, an integer (within 2^53, which a double
** holds exactly) or missing. */
static inline void vector_set_float(zb_vector *v, lua_Integer i, double x) {
  v->x[i - 1] = x;
  v->integer[i - 1] = 0;
}
static inline void vector_set_integer(zb_vector *v, lua_Integer i, lua_Integer k) {
  v->x[i - 1] = (double)k;
  v->integer[i - 1] = 1;
}
static inline void vector_set_missing(zb_vector *v, lua_Integer i) {
  v->x[i - 1] = NAN;
  v->integer[i - 1] = 0;
}

/* Make the metatable of vectors (before any is made). */
void vector_register(lua_State *L);

#endif
