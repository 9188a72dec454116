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
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

/* Exact arithmetic on x's bits for the digits that short decimals do not
** settle: x = m * 2^-s (m < 2^53), and a decimal D * 10^-k compared with
** it as D * 2^s against m * 10^k, both under 2^124 for 1e-4 <= |x| < 1e15
** (s <= 66, D < 10^17, k <= 20), where x's unit in the last place is 10^k. */
__extension__ typedef unsigned __int128 wide;

/* The integer nearest |x| * 10^k (a tie to even, as printf rounds one). */
static wide scaled(uint64_t m, int s, int k) {
  wide n = m, half, rest, q;
  int i;
  for (i = 0; i < k; i++) n *= 10;
  q = n >> s;
  rest = n & ((((wide)1) << s) - 1);
  half = ((wide)1) << (s - 1);
  return q + (rest > half || (rest == half && (q & 1)));
}

/* Whether D * 10^-k reads back as x (strtod: the nearest double, a tie to
** an even mantissa); below a power of two the next double down is half as
** far. */
static int reads_back(wide d, int k, uint64_t m, int s) {
  wide a = d << s, b = m, unit = 1, diff;
  int i, below;
  for (i = 0; i < k; i++) b *= 10, unit *= 10;
  below = a < b;
  diff = below ? b - a : a - b;
  if (below && m == (uint64_t)1 << 52) diff *= 2;
  return 2 * diff < unit || (2 * diff == unit && (m & 1) == 0);
}

/* digits (k decimals) as %g writes them: trailing zeros, and a point with
** nothing after it, dropped. */
static size_t without_zeros(char *out, size_t n, int k) {
  if (k > 0) {
    while (out[n - 1] == '0') n--;
    if (out[n - 1] == '.') n--;
  }
  out[n] = '\0';
  return n;
}

size_t decimal_shortest(double x, char *out) {
  double a = fabs(x);
  int d, whole_digits, exponent, s, digits;
  uint64_t m;
  if (!(a >= 1e-4 && a < 1e15)) return 0;  /* where %.15g to %.17g write no exponent */
  for (whole_digits = 1; whole_digits < 15 && a >= powers[whole_digits]; whole_digits++) continue;
  for (d = 0; d + whole_digits <= 15; d++) {  /* a short decimal, most often */
    long long units;
    if (!units_of(x, d, &units)) break;
    if ((double)units / powers[d] == a) return write_units(units, d, x < 0, out);
  }
  m = (uint64_t)ldexp(frexp(a, &exponent), 53);  /* exact: a = m * 2^(exponent - 53) */
  s = 53 - exponent;
  for (digits = 15; digits <= 17; digits++) {
    /* a < 10^whole_digits: k decimals make digits digits, or one more when
    ** a < 1 (then its zeros after the point are no digits) */
    int k = digits - whole_digits;
    wide v;
    if (a < 1) while (a * powers[k - digits + 1] < 1) k++;
    v = scaled(m, s, k);
    if (v < (wide)powers[digits - 1]) v = scaled(m, s, ++k);  /* a power of ten misjudged */
    else if (v >= (wide)powers[digits]) {  /* or rounded up to one digit more: 9.99.. is 10.0.. */
      if (k == 0) return 0;  /* 1e15 and on: %g's exponent */
      v = scaled(m, s, --k);
    }
    if (reads_back(v, k, m, s)) {
      char text[40];
      size_t n = write_units((long long)v, k, x < 0, text);
      memcpy(out, text, n + 1);
      return without_zeros(out, n, k);
    }
  }
  return 0;
}

size_t decimal_real(double x, char *out) {
  size_t n = decimal_shortest(x, out);
  int digits;
  for (digits = 15; n == 0 && digits <= 17; digits++) {
    int written = snprintf(out, 32, "%.*g", digits, x);
    if (strtod(out, NULL) == x || digits == 17) n = (size_t)written;
  }
  return n;
}
