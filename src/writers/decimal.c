/*
** decimal.c: reals as short decimals without printf and strtod (decimal.h).
**
** Why it is exact: with |x| * 10^d below 2^40, the product y = x * 10^d
** is within 2^-13 of its exact value, so the integer nearest y is the one
** nearest the exact product unless y is within 2^-12 of a half (a tie or
** nearly: left to printf); that integer is printf's digits.  A decimal of
** at most 15 digits, m / 10^d, is read as the double nearest it by one
** division of two doubles that hold m and 10^d exactly, which IEEE rounds
** to the nearest as strtod does.
*/
#include "decimal.h"

#include <math.h>
#include <string.h>

static const double powers[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
                                1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
#define MAX_DECIMALS 22
#define LIMIT 1099511627776.0 /* 2^40 */
#define NEAR_HALF (1.0 / 4096)

/* The integer nearest |x| * 10^d, when it is certain. */
static int units_of(double x, int d, long long *units) {
  double y, whole;
  if (d < 0 || d > MAX_DECIMALS || !isfinite(x)) return 0;
  y = fabs(x) * powers[d];
  if (!(y < LIMIT)) return 0;
  whole = floor(y);
  if (fabs(y - whole - 0.5) < NEAR_HALF) return 0;
  *units = (long long)whole + (y - whole > 0.5);
  return 1;
}

/* units / 10^d written with d decimals, a minus sign first when negative. */
static size_t write_units(long long units, int d, int negative, char *out) {
  char digits[32];
  size_t n = 0, k = 0;
  int i;
  do {
    digits[n++] = (char)('0' + units % 10);
    units /= 10;
  } while (units > 0);
  while (n <= (size_t)d) digits[n++] = '0';  /* a digit before the point */
  if (negative) out[k++] = '-';
  for (i = (int)n - 1; i >= 0; i--) {
    out[k++] = digits[i];
    if (i == d && d > 0) out[k++] = '.';
  }
  out[k] = '\0';
  return k;
}

size_t decimal_integer(long long v, char *out) {
  /* the magnitude as unsigned: -LLONG_MIN does not fit a long long */
  unsigned long long magnitude = v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v;
  char digits[24];
  size_t n = 0, k = 0;
  do {
    digits[n++] = (char)('0' + magnitude % 10);
    magnitude /= 10;
  } while (magnitude > 0);
  if (v < 0) out[k++] = '-';
  while (n > 0) out[k++] = digits[--n];
  out[k] = '\0';
  return k;
}

size_t decimal_fixed(double x, int decimals, char *out) {
  long long units;
  if (!units_of(x, decimals, &units)) return 0;
  return write_units(units, decimals, signbit(x) != 0, out);
}

int decimal_read(const char *text, size_t n, double *value) {
  size_t i = 0;
  long long units = 0;
  int digits = 0, decimals = -1, negative = 0;
  if (i < n && text[i] == '-') negative = 1, i++;
  for (; i < n; i++) {
    char c = text[i];
    if (c == '.' && decimals < 0) {
      decimals = 0;
      continue;
    }
    if (c < '0' || c > '9') return 0;
    if (digits > 0 || c != '0') digits++;
    if (digits > 15) return 0;
    units = units * 10 + (c - '0');
    if (decimals >= 0) decimals++;
  }
  if (decimals < 0) decimals = 0;
  if (decimals > MAX_DECIMALS || i == (size_t)negative) return 0;
  *value = (double)units / powers[decimals];
  if (negative) *value = -*value;
  return 1;
}

size_t decimal_shortest(double x, char *out) {
  double a = fabs(x);
  int d, whole_digits;
  if (!(a >= 1e-4 && a < 1e12)) return 0;
  for (whole_digits = 1; whole_digits < 12 && a >= powers[whole_digits]; whole_digits++) continue;
  for (d = 0; d + whole_digits <= 15; d++) {
    long long units;
    if (!units_of(x, d, &units)) return 0;
    if ((double)units / powers[d] == a) return write_units(units, d, x < 0, out);
  }
  return 0;
}
