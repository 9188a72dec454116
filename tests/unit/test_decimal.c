/*
** test_decimal.c: decimal.c's texts and readings are the C library's
** (printf's %lld, %.*f and %.15g..%.17g, strtod) on 200,000 reals made to
** catch it out: short decimals, ties (x.5, x.125) and reals a few bits
** either side of them, random bit patterns, negatives, zeros, the
** smallest and largest, at every number of decimals from 0 to 17.
*/
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decimal.h"
#include "unit.h"

static uint64_t state = 0x9E3779B97F4A7C15u;

static uint64_t next(void) {  /* xorshift64* */
  state ^= state >> 12, state ^= state << 25, state ^= state >> 27;
  return state * 0x2545F4914F6CDD1Du;
}

static double some_real(void) {
  double x;
  uint64_t bits;
  int d = (int)(next() % 18);
  switch (next() % 5) {
    case 0:  /* a short decimal */
      x = (double)(next() % 100000000) / pow(10, d);
      break;
    case 1:  /* a tie at some decimals, a few bits off or not */
      x = ((double)(next() % 1000000) + 0.5) / pow(10, d);
      x = nextafter(x, (next() & 1) ? INFINITY : -INFINITY);
      if (next() & 1) x = nextafter(x, (next() & 1) ? INFINITY : -INFINITY);
      break;
    case 2:  /* an exact binary fraction: ties printf rounds to even */
      x = (double)(next() % 100000) / 8.0;
      break;
    case 3:  /* any bits (not NaN) */
      do {
        bits = next();
        memcpy(&x, &bits, sizeof x);
      } while (isnan(x));
      break;
    default:  /* a real of any size near the range writers see */
      x = ldexp((double)(next() % 1000000007), (int)(next() % 80) - 60);
  }
  return (next() & 1) ? -x : x;
}

/* The export's writing of x when decimal.c cannot tell. */
static void shortest_by_printf(double x, char *out) {
  int digits;
  for (digits = 15; digits <= 17; digits++) {
    snprintf(out, 64, "%.*g", digits, x);
    if (strtod(out, NULL) == x) return;
  }
}

int main(void) {
  static const double edges[] = {0.0, -0.0, 0.5, -0.5, 1.5, 2.5, 0.125, 0.375, 1e-4, 9.9999e-5, 1e12, 999999999999.5,
                                 1099511627775.5, 1e15, 1e300, 4.9e-324, 1.7976931348623157e308, 0.1, 0.7, 11646.2,
                                 -0.04, 1344508076879.9};
  long fixed_compared = 0, fixed_differ = 0, read_compared = 0, read_differ = 0, short_compared = 0, short_differ = 0;
  int i, d;
  char name[200];
  for (i = 0; i < 200000 + (int)(sizeof edges / sizeof edges[0]); i++) {
    double x = i < (int)(sizeof edges / sizeof edges[0]) ? edges[i] : some_real();
    char ours[64], theirs[400];
    size_t n;
    for (d = 0; d <= 17; d++) {
      double got;
      int len = snprintf(theirs, sizeof theirs, "%.*f", d, x);
      n = decimal_fixed(x, d, ours);
      if (n > 0) {
        fixed_compared++;
        if (n != (size_t)len || strcmp(ours, theirs) != 0) {
          if (fixed_differ++ == 0) printf("# %.17g at %d: ours %s, printf %s\n", x, d, ours, theirs);
        }
      }
      if (decimal_read(theirs, (size_t)len, &got)) {
        double want = strtod(theirs, NULL);
        read_compared++;
        if (memcmp(&got, &want, sizeof got) != 0) {
          if (read_differ++ == 0) printf("# %s: ours %.17g, strtod %.17g\n", theirs, got, want);
        }
      }
    }
    n = decimal_shortest(x, ours);
    if (n > 0) {
      shortest_by_printf(x, theirs);
      short_compared++;
      if (n != strlen(ours) || strcmp(ours, theirs) != 0) {
        if (short_differ++ == 0) printf("# %.17g: ours %s, printf %s\n", x, ours, theirs);
      }
    }
  }
  snprintf(name, sizeof name, "decimal_fixed is printf's %%.*f (%ld compared, %ld differ)", fixed_compared, fixed_differ);
  CHECK(fixed_differ == 0 && fixed_compared > 1000000, name);
  snprintf(name, sizeof name, "decimal_read is strtod, to the bit (%ld compared, %ld differ)", read_compared, read_differ);
  CHECK(read_differ == 0 && read_compared > 1000000, name);
  snprintf(name, sizeof name, "decimal_shortest is the fewest of %%.15g..%%.17g that read back (%ld compared, %ld differ)",
           short_compared, short_differ);
  CHECK(short_differ == 0 && short_compared > 20000, name);
  {  /* reals of 16 and 17 digits: quotients, powers of two and of ten and the reals beside them */
    long compared = 0, differ = 0, within = 0;
    for (i = 0; i < 300000; i++) {
      double x;
      char ours[64], theirs[64];
      size_t n;
      switch (i % 4) {
        case 0: x = (double)(next() % 1000000007 + 1) / (double)(next() % 999983 + 1) * pow(10, (int)(next() % 16) - 6); break;
        case 1: x = ldexp(1.0, (int)(next() % 63) - 13) * ((next() & 1) ? 1 : 3); break;
        case 2: x = nextafter(pow(10, (int)(next() % 20) - 4), (next() & 1) ? INFINITY : 0); break;
        default: x = nextafter(ldexp(1.0, (int)(next() % 63) - 13), (next() & 1) ? INFINITY : 0);
      }
      if (next() & 1) x = -x;
      if (fabs(x) >= 1e-4 && fabs(x) < 1e15) within++;
      if ((n = decimal_shortest(x, ours)) == 0) continue;
      shortest_by_printf(x, theirs);
      compared++;
      if (n != strlen(ours) || strcmp(ours, theirs) != 0) {
        if (differ++ == 0) printf("# %.17g: ours %s, printf %s\n", x, ours, theirs);
      }
    }
    snprintf(name, sizeof name, "decimal_shortest of 16 and 17 digits is printf's (%ld compared of %ld in its range, "
             "%ld differ)", compared, within, differ);
    CHECK(differ == 0 && compared > within * 99 / 100, name);
  }
  {
    static const long long integers[] = {0, -1, 1, 9, 10, -10, 2021, 9223372036854775807LL, -9223372036854775807LL - 1};
    long integer_differ = 0;
    for (i = 0; i < 100000 + (int)(sizeof integers / sizeof integers[0]); i++) {
      long long v = i < (int)(sizeof integers / sizeof integers[0]) ? integers[i] : (long long)(next() >> (next() % 64));
      char ours[32], theirs[32];
      if (i >= (int)(sizeof integers / sizeof integers[0]) && (next() & 1)) v = -v;
      snprintf(theirs, sizeof theirs, "%lld", v);
      if (decimal_integer(v, ours) != strlen(theirs) || strcmp(ours, theirs) != 0) integer_differ++;
    }
    CHECK(integer_differ == 0, "decimal_integer is printf's %lld, the extremes too");
  }
  CHECK(decimal_fixed(2.5, 0, (char[64]){0}) == 0, "a tie is left to printf");
  CHECK(decimal_fixed(1099511627776.0, 0, (char[64]){0}) == 0, "2^40 units or more are left to printf");
  CHECK(decimal_fixed(NAN, 2, (char[64]){0}) == 0 && decimal_fixed(INFINITY, 2, (char[64]){0}) == 0,
        "NaN and infinities are left to printf");
  return unit_done();
}
