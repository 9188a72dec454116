/*
** period.c: statistical time, read and reckoned (see period.h).  The
** spellings, each after the year's four digits (dashes —, –, ～, 至 and －
** read as "-", blanks around the text ignored):
**
**   A  2021, 2021年
**   S  2021H1, 2021-S1, 2021年上半年, 2021年下半年
**   Q  2021Q1, 2021-Q1, 2021 Q1, 2021年第一季度, 2021年一季度, 2021年1季度
**   M  202101, 2021-1, 2021/01, 2021M1, 2021-M01, 2021年1月, 2021年1月份
**   D  20211231, 2021-12-31, 2021/12/31, 2021年12月31日
**   year to date: 2021年1-2月(份), 2021年1-3季度, 2021年第一至三季度,
**      2021年前三季度, and the canonical 2021-01~02 and 2021-Q1~Q3
**
** Canonical text follows SDMX's TIME_PERIOD and sorts as time does: 2021,
** 2021-S1, 2021-Q1, 2021-01, 2021-12-31, 2021-01~02, 2021-Q1~Q3.
*/
#include <limits.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lauxlib.h"

#include "period.h"

typedef struct period {
  char frequency;       /* 'A', 'S', 'Q', 'M' or 'D' */
  int year;             /* 0-9999 */
  int position;         /* in the year, from 1 (a day's day of the year) */
  int from;             /* 1 for a year-to-date span, else 0 */
} period;

#define SPELLINGS "(a year 2021, 2021-S1, 2021-Q1, 2021-01, 2021-12-31, 2021年1-2月, or their Chinese spellings)"
#define OUT_OF_RANGE "a period out of range (years 0 to 9999)"

static int per_year(char frequency) {
  switch (frequency) {
  case 'A': return 1;
  case 'S': return 2;
  case 'Q': return 4;
  case 'M': return 12;
  default: return 0;  /* a day: the year's length varies */
  }
}

static long long floor_div(long long a, long long b) {
  return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* Days from 1970-01-01 of a civil date, and back (Howard Hinnant's
** algorithms, exact for every year of the proleptic Gregorian calendar). */
static long long days_from_civil(long long y, int m, int d) {
  long long era, yoe, doy, doe;
  if (m <= 2) y--;
  era = floor_div(y, 400);
  yoe = y - era * 400;
  doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void civil_from_days(long long z, long long *y, int *m, int *d) {
  long long era, doe, yoe, doy, mp;
  z += 719468;
  era = floor_div(z, 146097);
  doe = z - era * 146097;
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}

static int day(long long y, int m, int d, period *out) {
  if (y < 0 || y > 9999 || m < 1 || m > 12 || d < 1) return 0;
  if (d > days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) - days_from_civil(y, m, 1)) return 0;
  out->frequency = 'D';
  out->year = (int)y;
  out->position = (int)(days_from_civil(y, m, d) - days_from_civil(y, 1, 1) + 1);
  out->from = 0;
  return 1;
}

static int make(char frequency, int year, int position, int from, period *out) {
  out->frequency = frequency;
  out->year = year;
  out->position = position;
  out->from = from;
  return 1;
}

/* Periods since year 0; days since 1970-01-01 for a day.  A span's index
** is its last period's. */
static long long index_of(const period *p) {
  if (p->frequency == 'D') return days_from_civil(p->year, 1, 1) + p->position - 1;
  return (long long)p->year * per_year(p->frequency) + p->position - 1;
}

/* The period index periods from year 0 (a span keeps from); 0 when its
** year is out of range. */
static int at_index(char frequency, long long index, int from, period *out) {
  long long y;
  int m, d;
  if (frequency == 'D') {
    if (index < days_from_civil(0, 1, 1) || index > days_from_civil(9999, 12, 31)) return 0;
    civil_from_days(index, &y, &m, &d);
    return day(y, m, d, out);
  }
  y = floor_div(index, per_year(frequency));
  if (y < 0 || y > 9999) return 0;
  return make(frequency, (int)y, (int)(index - y * per_year(frequency)) + 1, from, out);
}

/* The canonical text of p into out (at least 24 bytes). */
static void text_of(const period *p, char *out, size_t size) {
  long long y;
  int m, d;
  switch (p->frequency) {
  case 'A': snprintf(out, size, "%d", p->year); break;
  case 'S': snprintf(out, size, "%04d-S%d", p->year, p->position); break;
  case 'Q':
    if (p->from) snprintf(out, size, "%04d-Q%d~Q%d", p->year, p->from, p->position);
    else snprintf(out, size, "%04d-Q%d", p->year, p->position);
    break;
  case 'M':
    if (p->from) snprintf(out, size, "%04d-%02d~%02d", p->year, p->from, p->position);
    else snprintf(out, size, "%04d-%02d", p->year, p->position);
    break;
  default:
    civil_from_days(index_of(p), &y, &m, &d);
    snprintf(out, size, "%04lld-%02d-%02d", y, m, d);
  }
}

/* ---------------------------------------------------------------------
** Reading the spellings: a cursor over the text, each step advancing it
** only when it matches. */

typedef struct cursor {
  const char *at, *end;
} cursor;

/* What Lua's %s is: a blank around or within a spelling. */
static int is_blank(char c) {
  return c == ' ' || (c >= '\t' && c <= '\r');
}

static int at_end(const cursor *c) {
  return c->at == c->end;
}

static inline int eat(cursor *c, const char *literal) {
  size_t n;
  if (at_end(c) || *c->at != *literal) return 0;  /* most tries fail here, cheaply */
  n = strlen(literal);
  if ((size_t)(c->end - c->at) < n || memcmp(c->at, literal, n) != 0) return 0;
  c->at += n;
  return 1;
}

static int eat_any(cursor *c, const char *chars) {
  if (at_end(c) || strchr(chars, *c->at) == NULL) return 0;
  c->at++;
  return 1;
}

static void blanks(cursor *c) {
  while (!at_end(c) && is_blank(*c->at)) c->at++;
}

/* min to max ASCII digits (as many as there are, up to max); 0 when fewer
** than min. */
static int digits(cursor *c, int min, int max, int *value) {
  int n = 0, v = 0;
  while (n < max && !at_end(c) && *c->at >= '0' && *c->at <= '9') v = v * 10 + (*c->at++ - '0'), n++;
  *value = v;
  return n >= min;
}

/* A quarter's (or month's) number as written after 年: 1-12 in digits,
** or 一 to 四; *chinese tells which. */
static int number(cursor *c, int *value, int *chinese) {
  static const char *const numerals[] = {"一", "二", "三", "四"};
  for (int i = 0; i < 4; i++) {
    if (eat(c, numerals[i])) {
      *value = i + 1;
      *chinese = 1;
      return 1;
    }
  }
  *chinese = 0;
  return digits(c, 1, 2, value);
}

static int month(int y, int m, period *out) {
  return m >= 1 && m <= 12 && make('M', y, m, 0, out);
}

static int quarter(int y, int q, period *out) {
  return q >= 1 && q <= 4 && make('Q', y, q, 0, out);
}

/* A year-to-date span: from the first month (quarter) to the last. */
static int months_to_date(int y, int first, int last, period *out) {
  return first == 1 && last > 1 && last <= 12 && make('M', y, last, 1, out);
}

static int quarters_to_date(int y, int first, int last, period *out) {
  return first == 1 && last > 1 && last <= 4 && make('Q', y, last, 1, out);
}

/* After 年: 上半年, 第一季度, 前三季度, 1-2月, 12月31日 ... */
static int after_nian(cursor *c, int y, period *out) {
  int first, last, chinese, chinese_last, d, span = 0, ordinal;
  if (at_end(c)) return make('A', y, 1, 0, out);
  if (eat(c, "上半年")) return at_end(c) && make('S', y, 1, 0, out);
  if (eat(c, "下半年")) return at_end(c) && make('S', y, 2, 0, out);
  if (eat(c, "前")) {
    if (!number(c, &last, &chinese) || !eat(c, "季度") || !at_end(c)) return 0;
    return quarters_to_date(y, 1, last, out);
  }
  ordinal = eat(c, "第");
  if (!number(c, &first, &chinese)) return 0;
  last = first;
  chinese_last = chinese;
  {
    cursor before = *c;
    blanks(c);
    if (eat(c, "-")) {
      blanks(c);
      if (!number(c, &last, &chinese_last)) return 0;
      span = 1;
    } else {
      *c = before;
    }
  }
  if (eat(c, "季度")) {
    if (!at_end(c)) return 0;
    return span ? quarters_to_date(y, first, last, out) : quarter(y, first, out);
  }
  if (ordinal || chinese || chinese_last || !eat(c, "月")) return 0;
  if (span) {
    eat(c, "份");
    return at_end(c) && months_to_date(y, first, last, out);
  }
  if (eat(c, "份") || at_end(c)) return at_end(c) && month(y, first, out);
  return digits(c, 1, 2, &d) && eat(c, "日") && at_end(c) && day(y, first, d, out);
}

/* After the year's digits, not 年: H1, -Q1, -12, /12/31, -M12, -01~02 ... */
static int after_digits(cursor *c, int y, period *out) {
  cursor start = *c;
  int a, b;
  char sep = 0;
  /* quarters may stand apart from the year: 2021 Q1, 2021 - Q1 */
  blanks(c);
  eat(c, "-");
  blanks(c);
  if (eat_any(c, "Qq")) {
    if (!digits(c, 1, 1, &a)) return 0;
    if (at_end(c)) return quarter(y, a, out);
    return eat(c, "~") && eat_any(c, "Qq") && digits(c, 1, 1, &b) && at_end(c) && a <= 4 &&
           quarters_to_date(y, a, b, out);
  }
  *c = start;
  if (eat(c, "-")) sep = '-';
  else if (eat(c, "/")) sep = '/';
  if (sep != '/' && eat_any(c, "HhSs")) return digits(c, 1, 1, &a) && at_end(c) && a >= 1 && a <= 2 && make('S', y, a, 0, out);
  if (sep != '/' && eat_any(c, "Mm")) return digits(c, 1, 2, &a) && at_end(c) && month(y, a, out);
  if (!sep) {  /* 202112, 20211231 */
    const char *begin = c->at;
    if (!digits(c, 2, 4, &a) || !at_end(c)) return 0;
    if (c->at - begin == 2) return month(y, a, out);
    return c->at - begin == 4 && day(y, a / 100, a % 100, out);
  }
  {
    const char *begin = c->at;
    if (!digits(c, 1, 2, &a)) return 0;
    if (at_end(c)) return month(y, a, out);
    if (sep == '-' && c->at - begin == 2 && eat(c, "~"))  /* the canonical 2021-01~02 */
      return digits(c, 2, 2, &b) && at_end(c) && months_to_date(y, a, b, out);
  }
  return *c->at == sep && (c->at++, digits(c, 1, 2, &b)) && at_end(c) && day(y, a, b, out);
}

/* The period text spells, or 0. */
static int read_text(const char *text, size_t n, period *out) {
  static const char *const dashes[] = {"—", "–", "～", "至", "－"};
  char buf[96];
  size_t len = 0;
  cursor c;
  int y;
  while (n > 0 && is_blank(*text)) text++, n--;
  while (n > 0 && is_blank(text[n - 1])) n--;
  for (size_t i = 0; i < n;) {
    size_t k = 0;
    if (len + 1 >= sizeof buf) return 0;  /* longer than any spelling */
    unsigned char lead = (unsigned char)text[i];  /* each dash starts with one of these */
    for (size_t j = 0; (lead == 0xE2 || lead == 0xE8 || lead == 0xEF) && j < sizeof dashes / sizeof *dashes && !k; j++) {
      size_t dn = strlen(dashes[j]);
      if (n - i >= dn && memcmp(text + i, dashes[j], dn) == 0) k = dn;
    }
    if (k) {
      buf[len++] = '-';
      i += k;
    } else {
      buf[len++] = text[i++];
    }
  }
  c.at = buf;
  c.end = buf + len;
  if (!digits(&c, 4, 4, &y)) return 0;
  if (at_end(&c)) return make('A', y, 1, 0, out);
  if (eat(&c, "年")) return after_nian(&c, y, out);
  return after_digits(&c, y, out);
}

char period_frequency_of(const char *text, size_t len) {
  period p;
  return read_text(text, len, &p) ? p.frequency : 0;
}

/* Whether x is a whole number a long long holds exactly (2021.0), into *out. */
static int whole(double x, long long *out) {
  if (!isfinite(x) || x != floor(x) || fabs(x) >= 1e15) return 0;
  *out = (long long)x;
  return 1;
}

/* The period an integer spells (2021, 202112, 20211231), or 0. */
static int read_integer(long long v, period *out) {
  char text[24];
  if (v < 0) return 0;
  snprintf(text, sizeof text, "%lld", v);
  return read_text(text, strlen(text), out);
}

/* Why a value is no period (sqlite3_malloc'd; NULL when out of memory). */
static char *why_not_text(const char *text, size_t n) {
  return sqlite3_mprintf("'%.*s' is not a period " SPELLINGS, (int)n, text);
}

static char *why_not_float(double x) {
  if (isfinite(x) && x != floor(x)) return sqlite3_mprintf("%.14g is not a period (a number with a fraction)", x);
  return sqlite3_mprintf("%.14g is not a period", x);
}

static char *why_not_integer(long long v) {
  char text[24];
  snprintf(text, sizeof text, "%lld", v);
  return why_not_text(text, strlen(text));
}

/* ---------------------------------------------------------------------
** SQL: NULL gives NULL; a value that is no period is the query's error. */

/* The period of argument v into p: 1, or 0 with the result set (NULL, or
** the error). */
static int sql_period_of(sqlite3_context *ctx, sqlite3_value *v, period *p) {
  char *why = NULL;
  switch (sqlite3_value_type(v)) {
  case SQLITE_NULL:
    return 0;
  case SQLITE_INTEGER: {
    long long i = sqlite3_value_int64(v);
    if (read_integer(i, p)) return 1;
    why = why_not_integer(i);
    break;
  }
  case SQLITE_FLOAT: {
    double x = sqlite3_value_double(v);
    long long i;
    if (whole(x, &i)) {
      if (read_integer(i, p)) return 1;
      why = why_not_integer(i);
    } else {
      why = why_not_float(x);
    }
    break;
  }
  default: {
    const char *text = (const char *)sqlite3_value_text(v);
    int n = sqlite3_value_bytes(v);
    if (text == NULL) {
      sqlite3_result_error_nomem(ctx);
      return 0;
    }
    if (read_text(text, (size_t)n, p)) return 1;
    why = why_not_text(text, (size_t)n);
  }
  }
  if (why == NULL) {
    sqlite3_result_error_nomem(ctx);
  } else {
    sqlite3_result_error(ctx, why, -1);
    sqlite3_free(why);
  }
  return 0;
}

/* A year is its integer; other periods their canonical text. */
static void sql_result_period(sqlite3_context *ctx, const period *p) {
  char text[32];
  if (p->frequency == 'A') {
    sqlite3_result_int(ctx, p->year);
    return;
  }
  text_of(p, text, sizeof text);
  sqlite3_result_text(ctx, text, -1, SQLITE_TRANSIENT);
}

/* period(x), period_year(x) ... : one function, the part it gives its
** user data. */
enum { PART_PERIOD, PART_YEAR, PART_FREQUENCY, PART_POSITION, PART_INDEX };

static void sql_part(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  period p;
  (void)argc;
  if (!sql_period_of(ctx, argv[0], &p)) return;
  switch ((int)(intptr_t)sqlite3_user_data(ctx)) {
  case PART_YEAR: sqlite3_result_int(ctx, p.year); break;
  case PART_FREQUENCY: sqlite3_result_text(ctx, &p.frequency, 1, SQLITE_TRANSIENT); break;
  case PART_POSITION: sqlite3_result_int(ctx, p.position); break;
  case PART_INDEX: sqlite3_result_int64(ctx, index_of(&p)); break;
  default: sql_result_period(ctx, &p);
  }
}

/* p moved n periods (a span by whole years) into out: 1, or 0 and why
** not into why. */
static int add(const period *p, long long n, period *out, char *why, size_t size) {
  long long per = per_year(p->frequency), year;
  if (p->from) {
    if (n % per != 0) {
      char text[32];
      text_of(p, text, sizeof text);
      snprintf(why, size, "%s is year to date: it moves by whole years", text);
      return 0;
    }
    year = p->year + n / per;
    if (year >= 0 && year <= 9999) return make(p->frequency, (int)year, p->position, p->from, out);
  } else if (n > -10000000 && n < 10000000 && at_index(p->frequency, index_of(p) + n, 0, out)) {
    return 1;  /* no day is ten million periods from another in range */
  }
  snprintf(why, size, "%s", OUT_OF_RANGE);
  return 0;
}

static void sql_add(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  period p, moved;
  long long n;
  char why[96];
  (void)argc;
  if (!sql_period_of(ctx, argv[0], &p)) return;
  switch (sqlite3_value_numeric_type(argv[1])) {
  case SQLITE_NULL:
    return;
  case SQLITE_INTEGER:
    n = sqlite3_value_int64(argv[1]);
    break;
  case SQLITE_FLOAT: {
    if (whole(sqlite3_value_double(argv[1]), &n)) break;
  } /* fall through */
  default:
    sqlite3_result_error(ctx, "period_add: n must be a whole number of periods", -1);
    return;
  }
  if (add(&p, n, &moved, why, sizeof why)) sql_result_period(ctx, &moved);
  else sqlite3_result_error(ctx, why, -1);
}

/* The same period a year before (1-2月 with the year before's 1-2月; a
** leap day's is the 28th); 0 out of range. */
static int year_ago(const period *p, period *out) {
  long long y;
  int m, d;
  if (p->frequency != 'D') return p->year > 0 && make(p->frequency, p->year - 1, p->position, p->from, out);
  civil_from_days(index_of(p), &y, &m, &d);
  if (m == 2 && d == 29) d = 28;
  return day(y - 1, m, d, out);
}

static void sql_year_ago(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  period p, before;
  (void)argc;
  if (!sql_period_of(ctx, argv[0], &p)) return;
  if (year_ago(&p, &before)) sql_result_period(ctx, &before);
  else sqlite3_result_error(ctx, OUT_OF_RANGE, -1);
}

/* ---------------------------------------------------------------------
** zb_shift(value, index, k): the value of the row whose index is k less
** than the current row's (k more, when k is negative), or NULL when the
** series has no such row: lag and lead by periods, not rows, in one sort.
** zb's methods call it over (PARTITION BY the series ORDER BY index ROWS
** BETWEEN k PRECEDING AND CURRENT ROW), or CURRENT ROW AND -k FOLLOWING:
** with each index once in a series, the row wanted is in that frame,
** whose last (first) row is the current one.  zb_repeated(index, k), over
** the same window (so SQLite computes both in one pass), is 1 where the
** current row's index is also its neighbour's in the frame, a repeat the
** methods refuse, else 0. */

typedef struct shift_row {
  int indexed;          /* 0: a NULL index, before every other */
  long long index;
  int type;             /* SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_NULL; else value */
  union {
    long long integer;
    double real;
    sqlite3_value *value;
  } as;
} shift_row;

typedef struct shift_frame {
  shift_row *rows;      /* a ring of size slots: count rows from first */
  int size, first, count;
  long long k;          /* the same in every row */
} shift_frame;

static shift_row *shift_at(shift_frame *f, int i) {
  return &f->rows[(f->first + i) % f->size];
}

static void shift_drop(shift_row *row) {
  if (row->type != SQLITE_INTEGER && row->type != SQLITE_FLOAT && row->type != SQLITE_NULL)
    sqlite3_value_free(row->as.value);
}

static void shift_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  shift_frame *f = sqlite3_aggregate_context(ctx, sizeof *f);
  sqlite3_value *value = argc == 3 ? argv[0] : NULL, *index = argv[argc - 2], *k = argv[argc - 1];
  shift_row *row;
  if (f == NULL) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  if (sqlite3_value_type(k) != SQLITE_INTEGER || sqlite3_value_int64(k) == 0) {
    sqlite3_result_error(ctx, "zb_shift: k must be a whole number of periods, not 0", -1);
    return;
  }
  f->k = sqlite3_value_int64(k);
  if (f->count == f->size) {  /* grow the ring, its rows in order from slot 0 */
    int size = f->size ? f->size * 2 : 16;
    shift_row *rows = sqlite3_malloc64((sqlite3_uint64)size * sizeof *rows);
    if (rows == NULL) {
      sqlite3_result_error_nomem(ctx);
      return;
    }
    for (int i = 0; i < f->count; i++) rows[i] = *shift_at(f, i);
    sqlite3_free(f->rows);
    f->rows = rows;
    f->size = size;
    f->first = 0;
  }
  row = shift_at(f, f->count);
  row->indexed = sqlite3_value_numeric_type(index) == SQLITE_INTEGER;
  row->index = row->indexed ? sqlite3_value_int64(index) : 0;
  row->type = value ? sqlite3_value_type(value) : SQLITE_NULL;
  if (row->type == SQLITE_INTEGER) {
    row->as.integer = sqlite3_value_int64(value);
  } else if (row->type == SQLITE_FLOAT) {
    row->as.real = sqlite3_value_double(value);
  } else if (row->type != SQLITE_NULL && (row->as.value = sqlite3_value_dup(value)) == NULL) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  f->count++;
}

static void shift_inverse(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  shift_frame *f = sqlite3_aggregate_context(ctx, sizeof *f);
  (void)argc, (void)argv;
  if (f == NULL || f->count == 0) return;
  shift_drop(shift_at(f, 0));
  f->first = (f->first + 1) % f->size;
  f->count--;
}

/* Whether row a sorts before index (a NULL index before all). */
static int shift_before(const shift_row *a, long long index) {
  return !a->indexed || a->index < index;
}

static void shift_value(sqlite3_context *ctx) {
  shift_frame *f = sqlite3_aggregate_context(ctx, 0);
  const shift_row *current, *found;
  long long target;
  int lo = 0, hi;
  if (f == NULL || f->count == 0) return;
  current = shift_at(f, f->k > 0 ? f->count - 1 : 0);
  if (!current->indexed || (f->k > 0 ? current->index < LLONG_MIN + f->k : current->index > LLONG_MAX + f->k)) return;
  target = current->index - f->k;
  hi = f->count;  /* the frame is in index order: the first row not before target */
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    if (shift_before(shift_at(f, mid), target)) lo = mid + 1;
    else hi = mid;
  }
  if (lo == f->count) return;
  found = shift_at(f, lo);
  if (!found->indexed || found->index != target) return;
  switch (found->type) {
  case SQLITE_INTEGER: sqlite3_result_int64(ctx, found->as.integer); break;
  case SQLITE_FLOAT: sqlite3_result_double(ctx, found->as.real); break;
  case SQLITE_NULL: break;
  default: sqlite3_result_value(ctx, found->as.value);
  }
}

static void repeated_value(sqlite3_context *ctx) {
  shift_frame *f = sqlite3_aggregate_context(ctx, 0);
  const shift_row *current, *neighbour;
  if (f == NULL || f->count < 2) {
    sqlite3_result_int(ctx, 0);
    return;
  }
  current = shift_at(f, f->k > 0 ? f->count - 1 : 0);
  neighbour = shift_at(f, f->k > 0 ? f->count - 2 : 1);
  sqlite3_result_int(ctx, current->indexed && neighbour->indexed && current->index == neighbour->index);
}

/* The frame's rows freed at the end of a partition. */
static void shift_free(shift_frame *f) {
  while (f->count > 0) {
    shift_drop(shift_at(f, 0));
    f->first = (f->first + 1) % f->size;
    f->count--;
  }
  sqlite3_free(f->rows);
  f->rows = NULL;
  f->size = 0;
}

static void shift_final(sqlite3_context *ctx) {
  shift_frame *f = sqlite3_aggregate_context(ctx, 0);
  if (f == NULL) return;
  shift_value(ctx);
  shift_free(f);
}

static void repeated_final(sqlite3_context *ctx) {
  shift_frame *f = sqlite3_aggregate_context(ctx, 0);
  repeated_value(ctx);
  if (f != NULL) shift_free(f);
}

/* ---------------------------------------------------------------------
** zb_periods(x): what a time column holds, in one pass (the methods read
** it before they build their SQL): a JSON object with n (values not NULL),
** years (integers 1000-9999), integers, least (the least integer),
** frequencies (each frequency's letter -> an example, as written), spans
** (year-to-date totals), shortest and longest (their lengths), and
** not_period (an example of a value that is none, when one is). */

#define EXAMPLE_MAX 64

typedef struct kinds {
  long long n, years, integers, least, spans;
  int shortest, longest, seen;              /* seen: frequencies met, a bit each */
  char examples[5][EXAMPLE_MAX];            /* A S Q M D */
  char not_period[EXAMPLE_MAX];
} kinds;

static const char frequencies[] = "ASQMD";

static void kinds_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  kinds *k = sqlite3_aggregate_context(ctx, sizeof *k);
  period p;
  int type = sqlite3_value_type(argv[0]), ok;
  const char *text;
  (void)argc;
  if (k == NULL) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  if (type == SQLITE_NULL) return;
  k->n++;
  if (type == SQLITE_INTEGER) {
    long long v = sqlite3_value_int64(argv[0]);
    if (k->integers == 0 || v < k->least) k->least = v;
    k->integers++;
    if (v >= 1000 && v <= 9999) k->years++;
  }
  text = (const char *)sqlite3_value_text(argv[0]);
  if (text == NULL) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  if (type == SQLITE_FLOAT) {  /* 2021.0 is 2021; a fraction is no period */
    long long i;
    ok = whole(sqlite3_value_double(argv[0]), &i) && read_integer(i, &p);
  } else {
    ok = read_text(text, (size_t)sqlite3_value_bytes(argv[0]), &p);
  }
  if (!ok) {
    if (k->not_period[0] == '\0') snprintf(k->not_period, sizeof k->not_period, "%s", text);
    return;
  }
  {
    int bit = (int)(strchr(frequencies, p.frequency) - frequencies);
    if (!(k->seen & 1 << bit)) snprintf(k->examples[bit], EXAMPLE_MAX, "%s", text);
    k->seen |= 1 << bit;
  }
  if (p.from) {
    if (k->spans == 0 || p.position < k->shortest) k->shortest = p.position;
    if (k->spans == 0 || p.position > k->longest) k->longest = p.position;
    k->spans++;
  }
}

/* text as a JSON string into s. */
static void json_text(sqlite3_str *s, const char *text) {
  sqlite3_str_appendchar(s, 1, '"');
  for (; *text; text++) {
    unsigned char c = (unsigned char)*text;
    if (c == '"' || c == '\\') sqlite3_str_appendf(s, "\\%c", c);
    else if (c < 0x20) sqlite3_str_appendf(s, "\\u%04x", c);
    else sqlite3_str_appendchar(s, 1, (char)c);
  }
  sqlite3_str_appendchar(s, 1, '"');
}

static void kinds_final(sqlite3_context *ctx) {
  kinds none, *k = sqlite3_aggregate_context(ctx, 0);
  sqlite3_str *s = sqlite3_str_new(NULL);
  if (k == NULL) {
    memset(&none, 0, sizeof none);
    k = &none;
  }
  sqlite3_str_appendf(s, "{\"n\": %lld, \"years\": %lld, \"integers\": %lld, \"least\": %lld, \"spans\": %lld, "
                      "\"shortest\": %d, \"longest\": %d, \"frequencies\": {", k->n, k->years, k->integers, k->least,
                      k->spans, k->shortest, k->longest);
  for (int bit = 0, first = 1; bit < 5; bit++) {
    if (!(k->seen & 1 << bit)) continue;
    sqlite3_str_appendf(s, "%s\"%c\": ", first ? "" : ", ", frequencies[bit]);
    json_text(s, k->examples[bit]);
    first = 0;
  }
  sqlite3_str_appendall(s, "}");
  if (k->not_period[0]) {
    sqlite3_str_appendall(s, ", \"not_period\": ");
    json_text(s, k->not_period);
  }
  sqlite3_str_appendall(s, "}");
  if (sqlite3_str_errcode(s) != SQLITE_OK) {
    sqlite3_free(sqlite3_str_finish(s));
    sqlite3_result_error_nomem(ctx);
    return;
  }
  sqlite3_result_text(ctx, sqlite3_str_finish(s), -1, sqlite3_free);
}

int period_register(sqlite3 *db) {
  static const struct {
    const char *name;
    int args, part;
    void (*fn)(sqlite3_context *, int, sqlite3_value **);
  } functions[] = {
    {"period", 1, PART_PERIOD, sql_part},
    {"period_year", 1, PART_YEAR, sql_part},
    {"period_frequency", 1, PART_FREQUENCY, sql_part},
    {"period_position", 1, PART_POSITION, sql_part},
    {"period_index", 1, PART_INDEX, sql_part},
    {"period_add", 2, 0, sql_add},
    {"period_year_ago", 1, 0, sql_year_ago},
  };
  int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
  for (size_t i = 0; i < sizeof functions / sizeof *functions; i++) {
    int rc = sqlite3_create_function_v2(db, functions[i].name, functions[i].args, flags,
                                        (void *)(intptr_t)functions[i].part, functions[i].fn, NULL, NULL, NULL);
    if (rc != SQLITE_OK) return rc;
  }
  int rc = sqlite3_create_window_function(db, "zb_shift", 3, flags, NULL, shift_step, shift_final, shift_value,
                                          shift_inverse, NULL);
  if (rc != SQLITE_OK) return rc;
  rc = sqlite3_create_function_v2(db, "zb_periods", 1, flags, NULL, NULL, kinds_step, kinds_final, NULL);
  if (rc != SQLITE_OK) return rc;
  return sqlite3_create_window_function(db, "zb_repeated", 2, flags, NULL, shift_step, repeated_final, repeated_value,
                                        shift_inverse, NULL);
}

/* ---------------------------------------------------------------------
** Lua: zb.period's arithmetic and text over (frequency, year, position
** [, from]), so that Lua and SQL read and reckon alike. */

static char check_frequency(lua_State *L, int arg) {
  size_t n;
  const char *f = luaL_checklstring(L, arg, &n);
  if (n != 1 || strchr("ASQMD", f[0]) == NULL) luaL_argerror(L, arg, "a frequency A, S, Q, M or D expected");
  return f[0];
}

static period check_period(lua_State *L, int arg) {
  period p;
  p.frequency = check_frequency(L, arg);
  p.year = (int)luaL_checkinteger(L, arg + 1);
  p.position = (int)luaL_checkinteger(L, arg + 2);
  p.from = (int)luaL_optinteger(L, arg + 3, 0);
  return p;
}

static int push_period(lua_State *L, const period *p) {
  lua_pushlstring(L, &p->frequency, 1);
  lua_pushinteger(L, p->year);
  lua_pushinteger(L, p->position);
  if (p->from) lua_pushinteger(L, p->from);
  else lua_pushnil(L);
  return 4;
}

static int push_why(lua_State *L, char *why) {
  if (why == NULL) return luaL_error(L, "not enough memory");
  lua_pushnil(L);
  lua_pushstring(L, why);
  sqlite3_free(why);
  return 2;
}

int period_l_read(lua_State *L) {
  period p;
  size_t n;
  const char *text;
  if (lua_isinteger(L, 1)) {
    lua_Integer v = lua_tointeger(L, 1);
    return read_integer(v, &p) ? push_period(L, &p) : push_why(L, why_not_integer(v));
  }
  if (lua_type(L, 1) == LUA_TNUMBER) {
    lua_Number x = lua_tonumber(L, 1);
    long long i;
    if (whole(x, &i)) return read_integer(i, &p) ? push_period(L, &p) : push_why(L, why_not_integer(i));
    return push_why(L, why_not_float(x));
  }
  if (lua_type(L, 1) != LUA_TSTRING) {
    lua_pushnil(L);
    lua_pushfstring(L, "a %s is not a period", luaL_typename(L, 1));
    return 2;
  }
  text = lua_tolstring(L, 1, &n);
  return read_text(text, n, &p) ? push_period(L, &p) : push_why(L, why_not_text(text, n));
}

int period_l_index(lua_State *L) {
  period p = check_period(L, 1);
  lua_pushinteger(L, index_of(&p));
  return 1;
}

int period_l_at(lua_State *L) {
  period at;
  if (!at_index(check_frequency(L, 1), luaL_checkinteger(L, 2), (int)luaL_optinteger(L, 3, 0), &at))
    return luaL_error(L, OUT_OF_RANGE);
  lua_pushinteger(L, at.year);
  lua_pushinteger(L, at.position);
  return 2;
}

int period_l_text(lua_State *L) {
  period p = check_period(L, 1);
  char text[32];
  text_of(&p, text, sizeof text);
  lua_pushstring(L, text);
  return 1;
}

int period_l_add(lua_State *L) {
  period p = check_period(L, 1), moved;
  char why[96];
  if (!add(&p, luaL_checkinteger(L, 5), &moved, why, sizeof why)) return luaL_error(L, "%s", why);
  lua_pushinteger(L, moved.year);
  lua_pushinteger(L, moved.position);
  return 2;
}

int period_l_year_ago(lua_State *L) {
  period p = check_period(L, 1), before;
  if (!year_ago(&p, &before)) return luaL_error(L, OUT_OF_RANGE);
  lua_pushinteger(L, before.year);
  lua_pushinteger(L, before.position);
  return 2;
}

int period_l_per_year(lua_State *L) {
  char frequency = check_frequency(L, 1);
  if (frequency == 'D') lua_pushnumber(L, 365.2425);
  else lua_pushinteger(L, per_year(frequency));
  return 1;
}
