/*
** series.c: zb_shifted(scan, spec, at, twice, before, lookup, params...,
** keys..., index, value), the value of the row k periods before this row's in its
** series (after, for k below 0): lag, lead, yoy and pop.  SQLite's window
** (PARTITION BY keys ORDER BY index) sorts every row of the table; this
** reads the scan once, hashes its rows into series, sorts each series'
** periods alone, pairs each period with the one k before it, and answers
** each row of the query from that, leaving the rows where they are.
**
** scan is a read-only SELECT of the series' keys k0.., the period's index
** i (an integer: the year, or periods since year 0) and the value v; spec
** is "NKEYS:NPARAMS:K", or "NKEYS:NPARAMS:N:FN:PARTIAL" for moving: FN
** (avg, sum or total) over the values of the last N periods, NULL unless
** all N are there with a value (PARTIAL 0) or none is (PARTIAL 1), summed
** in period order as SQLite's sum, avg and total before 3.43 add (the
** table compiler sends no newer SQLite here).  Keys compare as PARTITION BY compares them (1.0
** and 1 are one key); the table compiler sends no key of a collation other
** than binary (zb.core.binary_scan tells).  A period twice in one series
** is an error at each row of it (the message twice) and at each row whose
** period k before it is one (before), never a value picked from two: each
** message has \2 where the row is named, by at, in which \1 and a digit
** stand for that key's value and \1t for the period as lookup (the scan's
** keys, i and the period as shown, t) shows it: it is read only then.
** The built series are kept as the scan argument's auxiliary data for the
** rest of the statement; a row the scan did not have (a query whose rows
** change between two reads: random()) is an error, not a guess.
*/
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "scan.h"
#include "series.h"

#define MAX_KEYS 9  /* by's eight and the span apart from single periods */
#define CONSTANT_ARGS 6  /* scan, spec, at, twice, before, lookup */
#define NONE SIZE_MAX  /* no period k before */
#define AMBIGUOUS (SIZE_MAX - 1)  /* the period k before is there twice */

typedef struct series {
  uint64_t hash;
  placed *periods;  /* its rows' indexes (exact in a double) */
  size_t n, cap;
  cell keys[];
} series;

/* A row of the scan that has a period, in the scan's order: the query
** asks in that order too (it reads the same rows the same way), so a row
** is answered from the next one when it is that one, and looked up in its
** series when it is not. */
typedef struct scanned {
  sqlite3_int64 index;
  series *s;
} scanned;

enum { SHIFT, MOVING_AVG, MOVING_SUM, MOVING_TOTAL };

typedef struct shifting {
  int nkeys, nparams, kind, partial;
  sqlite3_int64 k;  /* periods back; for moving, the periods in a frame */
  scan_table series;
  scanned *rows;
  cell *values;  /* each row's value */
  size_t *before;  /* each row's row of the period k before, NONE or AMBIGUOUS */
  unsigned char *twice;  /* each row's period there twice in its series */
  zb_value *moved;  /* moving: each row's result (type 0: the sum overflowed) */
  size_t nrows, rows_cap, values_cap, next;
} shifting;

static void shifting_free(void *p) {
  shifting *sh = (shifting *)p;
  size_t i;
  int k;
  if (sh == NULL) return;
  for (i = 0; i < sh->series.cap; i++) {
    series *s = (series *)sh->series.slots[i];
    if (s == NULL) continue;
    for (k = 0; k < sh->nkeys; k++) sqlite3_free(s->keys[k].owned);
    sqlite3_free(s->periods);
    sqlite3_free(s);
  }
  for (i = 0; i < sh->nrows && sh->values != NULL; i++) sqlite3_free(sh->values[i].owned);
  sqlite3_free(sh->series.slots);
  sqlite3_free(sh->rows);
  sqlite3_free(sh->values);
  sqlite3_free(sh->before);
  sqlite3_free(sh->twice);
  sqlite3_free(sh->moved);
  sqlite3_free(sh);
}

/* The period's index of v: an integer, a whole real, or text spelling an
** integer; 0 when v has none (NULL, or anything else: no period). */
static int index_of(sqlite3_value *v, sqlite3_int64 *out) {
  switch (sqlite3_value_type(v)) {
    case SQLITE_INTEGER: *out = sqlite3_value_int64(v); return 1;
    case SQLITE_FLOAT: {
      double d = sqlite3_value_double(v);
      if (!(d > -9007199254740992.0 && d < 9007199254740992.0) || (double)(sqlite3_int64)d != d) return 0;
      *out = (sqlite3_int64)d;
      return 1;
    }
    case SQLITE_TEXT: {
      const char *s = (const char *)sqlite3_value_text(v);
      char *end;
      long long i;
      if (s == NULL || *s == '\0' || *s == ' ') return 0;
      i = strtoll(s, &end, 10);
      if (*end != '\0') return 0;
      *out = (sqlite3_int64)i;
      return 1;
    }
    default: return 0;
  }
}

static series *find(shifting *sh, const zb_value *keys, int make, int *rc) {
  return (series *)scan_find(&sh->series, keys, sh->nkeys, SCAN_REALS_AS_NUMBERS, sizeof(series), offsetof(series, keys),
                             make, NULL, rc);
}

static int add_row(shifting *sh, series *s, sqlite3_int64 index, const zb_value *value) {
  void *grown;
  size_t cap;
  if ((grown = scan_room(s->periods, &s->cap, s->n, sizeof *s->periods)) == NULL) return SQLITE_NOMEM;
  s->periods = (placed *)grown;
  if ((grown = scan_room(sh->rows, &sh->rows_cap, sh->nrows, sizeof *sh->rows)) == NULL) return SQLITE_NOMEM;
  sh->rows = (scanned *)grown;
  cap = sh->values_cap;
  if ((grown = scan_room(sh->values, &cap, sh->nrows, sizeof *sh->values)) == NULL) return SQLITE_NOMEM;
  sh->values = (cell *)grown;
  sh->values_cap = cap;
  s->periods[s->n].value = (double)index;
  s->periods[s->n++].row = sh->nrows;
  sh->rows[sh->nrows].index = index;
  sh->rows[sh->nrows].s = s;
  memset(&sh->values[sh->nrows], 0, sizeof *sh->values);
  sh->nrows++;
  return cell_set(&sh->values[sh->nrows - 1], value);
}

/* fn over the rows of periods from..to (in period order) as SQLite's sum,
** avg and total of 3.40 add them: an integer sum exact until it
** overflows, the real sum in order; NULL unless partial or all of the
** frame's n periods have a value. */
static zb_value moving_value(const shifting *sh, const placed *periods, size_t from, size_t to) {
  zb_value out = {.type = SQLITE_NULL};
  sqlite3_int64 count = 0, isum = 0;
  double rsum = 0;
  int approx = 0, overflow = 0;
  size_t j;
  for (j = from; j <= to; j++) {
    const zb_value *v = &sh->values[periods[j].row].v;
    if (v->type == SQLITE_NULL) continue;
    count++;
    if (v->type == SQLITE_INTEGER) {
      rsum += (double)v->i;
      if (!approx && !overflow && __builtin_add_overflow(isum, v->i, &isum)) approx = overflow = 1;
    } else {
      rsum += v->d;  /* a real: the table compiler sends numbers only */
      approx = 1;
    }
  }
  if (overflow && sh->kind == MOVING_SUM) {  /* SQLite's window raises it even where the frame is short */
    out.type = 0;
    return out;
  }
  if (count == 0 || (!sh->partial && count != sh->k)) {
    if (sh->kind == MOVING_TOTAL && sh->partial) out.type = SQLITE_FLOAT, out.d = 0;
    return out;
  }
  if (sh->kind == MOVING_AVG) out.type = SQLITE_FLOAT, out.d = rsum / (double)count;
  else if (sh->kind == MOVING_TOTAL) out.type = SQLITE_FLOAT, out.d = rsum;
  else if (approx) out.type = SQLITE_FLOAT, out.d = rsum;
  else out.type = SQLITE_INTEGER, out.i = isum;
  return out;
}

/* Each series' periods in order, each row paired with the row of the
** period k before it (targets rise with the periods, so one pointer
** walks each series once), periods there twice marked. */
static void pair(shifting *sh) {
  size_t i, j, at;
  for (i = 0; i < sh->series.cap; i++) {
    series *s = (series *)sh->series.slots[i];
    if (s == NULL) continue;
    scan_sort_placed(s->periods, s->n);
    for (j = 0, at = 0; j < s->n; j++) {
      double target = s->periods[j].value - (double)sh->k;
      size_t row = s->periods[j].row;
      if (j > 0 && s->periods[j - 1].value == s->periods[j].value)
        sh->twice[row] = sh->twice[s->periods[j - 1].row] = 1;
      if (sh->kind != SHIFT) {  /* the frame: the periods from k - 1 before this one */
        while (s->periods[at].value < s->periods[j].value - (double)(sh->k - 1)) at++;
        sh->moved[row] = moving_value(sh, s->periods, at, j);
        continue;
      }
      while (at < s->n && s->periods[at].value < target) at++;
      if (at == s->n || s->periods[at].value != target) sh->before[row] = NONE;
      else if (at + 1 < s->n && s->periods[at + 1].value == target) sh->before[row] = AMBIGUOUS;
      else sh->before[row] = s->periods[at].row;
    }
  }
}

static int parse_spec(const char *text, shifting *sh) {
  static const char *const kinds[] = {"avg", "sum", "total"};
  char fn[6];
  long long k;
  int used = 0, more = 0, i;
  if (sscanf(text, "%d:%d:%lld%n", &sh->nkeys, &sh->nparams, &k, &used) != 3 || sh->nkeys < 0 ||
      sh->nkeys > MAX_KEYS || sh->nparams < 0 || k == 0)
    return 0;
  sh->k = (sqlite3_int64)k;
  sh->kind = SHIFT;
  if (text[used] == '\0') return 1;
  if (sscanf(text + used, ":%5[a-z]:%d%n", fn, &sh->partial, &more) != 2 || text[used + more] != '\0' || k < 1 ||
      (sh->partial != 0 && sh->partial != 1))
    return 0;
  for (i = 0; i < 3; i++)
    if (strcmp(fn, kinds[i]) == 0) sh->kind = MOVING_AVG + i;
  return sh->kind != SHIFT;
}

static void *build(sqlite3 *db, int argc, sqlite3_value **argv, char **err, int *rc) {
  const char *scan = (const char *)sqlite3_value_text(argv[0]), *spec = (const char *)sqlite3_value_text(argv[1]);
  shifting *sh = (shifting *)scan_zeroed(sizeof *sh);
  sqlite3_stmt *stmt = NULL;
  zb_value keys[MAX_KEYS], value;
  if (sh == NULL) {
    *rc = SQLITE_NOMEM;
    return NULL;
  }
  if (scan == NULL || spec == NULL || !parse_spec(spec, sh) || argc != CONSTANT_ARGS + sh->nparams + sh->nkeys + 2) {
    *err = sqlite3_mprintf("zb_shifted: expected a scan, a spec such as '2:0:1', three messages, a lookup, its "
                           "parameters, the keys, the period's index and the value");
    *rc = SQLITE_ERROR;
  } else {
    *rc = scan_prepare(db, "zb_shifted", scan, sh->nparams, argv + CONSTANT_ARGS, &stmt, err);
  }
  if (*rc == SQLITE_OK && sqlite3_column_count(stmt) != sh->nkeys + 2) {
    *err = sqlite3_mprintf("zb_shifted: the scan has %d columns, the spec needs %d", sqlite3_column_count(stmt),
                           sh->nkeys + 2);
    *rc = SQLITE_ERROR;
  }
  while (*rc == SQLITE_OK && (*rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    sqlite3_int64 index;
    series *s;
    int k;
    *rc = SQLITE_OK;
    if (!index_of(sqlite3_column_value(stmt, sh->nkeys), &index)) continue;  /* no period: no value before it */
    for (k = 0; k < sh->nkeys; k++) value_read(sqlite3_column_value(stmt, k), &keys[k]);
    value_read(sqlite3_column_value(stmt, sh->nkeys + 1), &value);
    if ((s = find(sh, keys, 1, rc)) == NULL) break;
    *rc = add_row(sh, s, index, &value);
  }
  if (*rc == SQLITE_DONE) *rc = SQLITE_OK;
  if (*rc != SQLITE_OK && *rc != SQLITE_NOMEM && *err == NULL) *err = sqlite3_mprintf("%s", sqlite3_errmsg(db));
  sqlite3_finalize(stmt);
  if (*rc == SQLITE_OK) {
    sh->before = (size_t *)sqlite3_malloc64((sh->nrows + 1) * sizeof *sh->before);
    sh->twice = (unsigned char *)scan_zeroed(sh->nrows + 1);
    if (sh->kind != SHIFT) sh->moved = (zb_value *)sqlite3_malloc64((sh->nrows + 1) * sizeof *sh->moved);
    if (sh->before == NULL || sh->twice == NULL || (sh->kind != SHIFT && sh->moved == NULL)) *rc = SQLITE_NOMEM;
    else pair(sh);
  }
  if (*rc != SQLITE_OK) {
    shifting_free(sh);
    return NULL;
  }
  return sh;
}

/* The row of the query (keys, index and value) among the scan's, or NONE:
** a row whose value is not the scan's (random()) is none. */
static size_t row_of(shifting *sh, const zb_value *keys, sqlite3_int64 index, const zb_value *value) {
  size_t at = sh->next, lo = 0, hi;
  series *s;
  int rc = SQLITE_OK;
  if (at < sh->nrows && sh->rows[at].index == index &&
      scan_same(sh->rows[at].s->keys, keys, sh->nkeys, SCAN_REALS_AS_NUMBERS) &&
      scan_same(&sh->values[at], value, 1, SCAN_REALS_BY_BITS)) {
    sh->next++;
    return at;
  }
  if ((s = find(sh, keys, 0, &rc)) == NULL) return NONE;
  hi = s->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    double x = s->periods[mid].value;
    if (x == (double)index) {
      size_t row = s->periods[mid].row;
      if (!sh->twice[row] && !scan_same(&sh->values[row], value, 1, SCAN_REALS_BY_BITS)) return NONE;
      sh->next = row + 1;  /* in step again, if the query skipped rows */
      return row;
    }
    if (x < (double)index) lo = mid + 1;
    else hi = mid;
  }
  return NONE;
}

/* v as a message shows a cell: NULL, or its text cut at 60 characters. */
static void append_shown(sqlite3_str *out, sqlite3_value *v) {
  const unsigned char *s;
  int chars = 0, len = 0;
  if (v == NULL || sqlite3_value_type(v) == SQLITE_NULL) {
    sqlite3_str_appendall(out, "NULL");
    return;
  }
  s = sqlite3_value_text(v);
  if (s == NULL) return;
  for (; s[len] != '\0'; len++)
    if ((s[len] & 0xC0) != 0x80 && ++chars > 60) break;
  sqlite3_str_append(out, (const char *)s, len);
}

/* The error message (twice, or before) naming the period index of the
** series of the row whose keys are at argv: its text read through the
** lookup. */
static void refuse(sqlite3_context *ctx, const shifting *sh, sqlite3_value **argv, int message, sqlite3_int64 index) {
  sqlite3 *db = sqlite3_context_db_handle(ctx);
  const char *at = (const char *)sqlite3_value_text(argv[2]);
  const char *frame = (const char *)sqlite3_value_text(argv[message]);
  sqlite3_value **keys = argv + CONSTANT_ARGS + sh->nparams;
  sqlite3_str *out = sqlite3_str_new(db), *sql = sqlite3_str_new(db);
  sqlite3_stmt *stmt = NULL;
  sqlite3_value *shown = NULL;
  char *text, *err = NULL;
  int k, rc;
  sqlite3_str_appendf(sql, "SELECT t FROM (%s) WHERE i = ?", (const char *)sqlite3_value_text(argv[5]));
  for (k = 0; k < sh->nkeys; k++) sqlite3_str_appendf(sql, " AND k%d IS ?", k);
  if ((text = sqlite3_str_finish(sql)) == NULL) rc = SQLITE_NOMEM;
  else rc = scan_prepare(db, "zb_shifted", text, sh->nparams, argv + CONSTANT_ARGS, &stmt, &err);
  sqlite3_free(text);
  if (rc == SQLITE_OK) rc = sqlite3_bind_int64(stmt, sh->nparams + 1, index);
  for (k = 0; rc == SQLITE_OK && k < sh->nkeys; k++) rc = sqlite3_bind_value(stmt, sh->nparams + 2 + k, keys[k]);
  if (rc == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW) shown = sqlite3_column_value(stmt, 0);
  for (; frame != NULL && *frame; frame++) {
    if (*frame != '\2') {
      sqlite3_str_appendchar(out, 1, *frame);
      continue;
    }
    for (const char *p = at; p != NULL && *p; p++) {
      if (p[0] != '\1' || p[1] == '\0') sqlite3_str_appendchar(out, 1, *p);
      else if (*++p == 't') append_shown(out, shown);
      else if (*p - '0' >= 0 && *p - '0' < sh->nkeys) append_shown(out, keys[*p - '0']);
    }
  }
  sqlite3_finalize(stmt);
  sqlite3_free(err);
  if ((text = sqlite3_str_finish(out)) == NULL) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  sqlite3_result_error(ctx, text, -1);
  sqlite3_result_error_code(ctx, SQLITE_CONSTRAINT_FUNCTION);  /* as zb_refuse's: the message says it all */
  sqlite3_free(text);
}

static void sql_shifted(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  int built;
  shifting *sh = (shifting *)scan_state(ctx, argc, argv, "zb_shifted", build, &built);
  zb_value keys[MAX_KEYS], value;
  sqlite3_int64 index;
  size_t row, before;
  int k;
  if (sh == NULL) return;
  for (k = 0; k < sh->nkeys; k++) value_read(argv[CONSTANT_ARGS + sh->nparams + k], &keys[k]);
  value_read(argv[argc - 1], &value);
  if (!index_of(argv[argc - 2], &index)) {
    sqlite3_result_null(ctx);
  } else if ((row = row_of(sh, keys, index, &value)) == NONE) {
    sqlite3_result_error(ctx, "the rows changed between the two reads made of them (a query with random(), or a "
                              "table written meanwhile); make a table of them first", -1);
  } else if (sh->twice[row]) {
    refuse(ctx, sh, argv, 3, index);
  } else if (sh->kind != SHIFT) {
    if (sh->moved[row].type == 0) sqlite3_result_error(ctx, "integer overflow", -1);
    else value_result(ctx, &sh->moved[row]);
  } else if ((before = sh->before[row]) == AMBIGUOUS) {
    refuse(ctx, sh, argv, 4, index - sh->k);
  } else if (before == NONE) {
    sqlite3_result_null(ctx);
  } else {
    value_result(ctx, &sh->values[before].v);
  }
  scan_keep(ctx, sh, built, shifting_free);
}

int series_register(sqlite3 *db) {
  return scan_create_function(db, "zb_shifted", sql_shifted);
}
