/*
** decimal.h: reals as short decimals without printf and strtod, where the
** answer is certain: what the writers spend most of their time on.  Each
** gives exactly what the C library's correctly rounded printf("%.*f") and
** strtod give, or says it cannot tell (the caller then asks them).
*/
#ifndef ZB_DECIMAL_H
#define ZB_DECIMAL_H

#include <stddef.h>

/* printf("%.*f", decimals, x) into out (room for 64 bytes), or 0 when the
** rounding is not certain without it (a tie or nearly, or |x| * 10^decimals
** of 2^40 or more, or x not finite). */
size_t decimal_fixed(double x, int decimals, char *out);

/* strtod of text[0..n) into *value when it is [-]digits[.digits] of 15
** significant digits or fewer (then exact as strtod is); else 0.  For the
** writers' own texts: it does not refuse all that strtod refuses (".").*/
int decimal_read(const char *text, size_t n, double *value);

/* The fewest of 15, 16 or 17 significant digits in %g that read back as x
** (printf's %.15g, %.16g or %.17g text, trailing zeros dropped), when
** 1e-4 <= |x| < 1e15, where %g writes no exponent; else 0. */
size_t decimal_shortest(double x, char *out);

/* The fewest of 15, 16 or 17 significant digits in %g that read back as a
** finite x, at any size (room for 32 bytes): decimal_shortest's, or
** printf's beyond its range; its length. */
size_t decimal_real(double x, char *out);

/* printf("%lld", v) into out (room for 21 bytes); its length. */
size_t decimal_integer(long long v, char *out);

#endif
