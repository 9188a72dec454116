/*
** window.c: zb_rank(scan, spec, params..., keys..., value), the rank of a
** row's value among the values of its partition, for t:rank.  SQLite's
** rank() OVER (PARTITION BY ... ORDER BY ...) sorts every row of the
** table by partition and value; this reads the scan once, hashes its rows
** into partitions, sorts each partition's values alone, and then answers
** each row of the query with a lookup, leaving the rows where they are.
**
** scan is a read-only SELECT of the key columns k0.. and the value v (the
** same rows the query reads); spec is "NKEYS:NPARAMS:desc|asc:competition
** |dense".  The ranking is built at the first row and kept as the scan
** argument's auxiliary data for the rest of the statement.
**
** Results must be SQLite's own: where the hash path would not mirror its
** comparisons (a non-binary collation, a real in a key), SQLite's own
** rank() over the scan gives the ranks, which are then looked up the same
** way.  A row whose partition or value the scan did not have (a query
** whose rows change between two reads: random()) is an error, not a guess.
*/
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "scan.h"
#include "window.h"

#define MAX_KEYS 8

typedef struct entry {
  cell value;
  sqlite3_int64 rank;
} entry;

/* A partition's values, sorted: while every value of the scan is a number
** a double holds exactly (most tables), numbers (their ranks are the
** rows'); else entries, each value kept as it is, with its rank. */
typedef struct partition {
  uint64_t hash;
  placed *nums;
  entry *entries;
  size_t n, cap;
  cell keys[];
} partition;

/* A row of the scan with a number: its key and partition. */
typedef struct scanned {
  double value;
  struct partition *part;
} scanned;

/* With numbers, each row of the scan that has a value, in the scan's
** order: the query asks in that order too (it reads the same rows the
** same way), so a row is answered from the next one when it is that one,
** and looked up in its partition when it is not. */
typedef struct ranking {
  int nkeys, nparams, desc, dense;
  int numeric;  /* the values are in nums */
  int exact;  /* SQLite ranked: keys are looked up bit for bit, entries searched ascending */
  scan_table parts;
  scanned *rows;
  sqlite3_int64 *row_rank;
  size_t nrows, rows_cap, next;
} ranking;

/* v as a double that orders and compares as SQLite compares v, negated
** for a descending rank so that numbers always sort ascending; 0 when
** there is none (text, a blob, an integer a double cannot hold). */
static int as_key(const ranking *r, const zb_value *v, double *out) {
  if (v->type == SQLITE_FLOAT) *out = v->d;
  else if (v->type == SQLITE_INTEGER && v->i <= VALUE_EXACT_IN_DOUBLE && v->i >= -VALUE_EXACT_IN_DOUBLE)
    *out = (double)v->i;
  else return 0;
  if (r->desc) *out = -*out;
  return 1;
}

static int parse_spec(const char *text, ranking *r) {
  char order[5], method[12];
  int used = 0;
  if (sscanf(text, "%d:%d:%4[a-z]:%11[a-z]%n", &r->nkeys, &r->nparams, order, method, &used) != 4 ||
      text[used] != '\0' || r->nkeys < 0 || r->nkeys > MAX_KEYS || r->nparams < 0)
    return 0;
  r->desc = strcmp(order, "desc") == 0;
  r->dense = strcmp(method, "dense") == 0;
  return (r->desc || strcmp(order, "asc") == 0) && (r->dense || strcmp(method, "competition") == 0);
}

static void partitions_free(ranking *r) {
  size_t k, j;
  for (k = 0; k < r->parts.cap; k++) {
    partition *p = (partition *)r->parts.slots[k];
    int i;
    if (p == NULL) continue;
    if (p->entries != NULL)
      for (j = 0; j < p->n; j++) sqlite3_free(p->entries[j].value.owned);
    for (i = 0; i < r->nkeys; i++) sqlite3_free(p->keys[i].owned);
    sqlite3_free(p->entries);
    sqlite3_free(p->nums);
    sqlite3_free(p);
  }
  sqlite3_free(r->parts.slots);
  sqlite3_free(r->rows);
  sqlite3_free(r->row_rank);
  memset(&r->parts, 0, sizeof r->parts);
  r->rows = NULL, r->row_rank = NULL;
  r->nrows = r->rows_cap = r->next = 0;
}

static void ranking_free(void *p) {
  ranking *r = (ranking *)p;
  partitions_free(r);
  sqlite3_free(r);
}

/* The partition of keys, made when make is set and it is new; NULL when
** there is none (or *rc is set).  Sets *real for a real key on the hash
** path, where SQLite's comparison of 1.0 and 1 is not mirrored. */
static partition *find(ranking *r, const zb_value *keys, int make, int *real, int *rc) {
  return (partition *)scan_find(&r->parts, keys, r->nkeys, r->exact ? SCAN_REALS_BY_BITS : SCAN_REALS_REFUSED,
                                sizeof(partition), offsetof(partition, keys), make, real, rc);
}

static int add_number(ranking *r, partition *p, double value) {
  void *grown;
  if ((grown = scan_room(p->nums, &p->cap, p->n, sizeof *p->nums)) == NULL) return SQLITE_NOMEM;
  p->nums = (placed *)grown;
  if ((grown = scan_room(r->rows, &r->rows_cap, r->nrows, sizeof *r->rows)) == NULL) return SQLITE_NOMEM;
  r->rows = (scanned *)grown;
  p->nums[p->n].value = value;
  p->nums[p->n++].row = r->nrows;
  r->rows[r->nrows].value = value;
  r->rows[r->nrows++].part = p;
  return SQLITE_OK;
}

static int add_entry(partition *p, const zb_value *value, sqlite3_int64 rank) {
  entry *e = (entry *)scan_room(p->entries, &p->cap, p->n, sizeof *p->entries);
  if (e == NULL) return SQLITE_NOMEM;
  p->entries = e;
  e = &p->entries[p->n];
  memset(e, 0, sizeof *e);
  e->rank = rank;
  p->n++;
  return cell_set(&e->value, value);
}

static int ascending(const void *a, const void *b) {
  return scan_compare(&((const entry *)a)->value.v, &((const entry *)b)->value.v);
}

static int descending(const void *a, const void *b) {
  return ascending(b, a);
}

/* The rank of the value at j of n sorted ones, the one before tied or
** not, as rank() (its place) or dense_rank() (the values before it). */
static sqlite3_int64 next_rank(const ranking *r, int tie, sqlite3_int64 before, size_t j, sqlite3_int64 *distinct) {
  if (tie) return before;
  ++*distinct;
  return r->dense ? *distinct : (sqlite3_int64)j + 1;
}

/* Each partition's values sorted, and ranked as rank() or dense_rank();
** the ranks of numbers are their rows'. */
static int rank_partitions(ranking *r) {
  size_t k, j;
  if (r->numeric && (r->row_rank = (sqlite3_int64 *)sqlite3_malloc64((r->nrows + 1) * sizeof *r->row_rank)) == NULL)
    return SQLITE_NOMEM;
  for (k = 0; k < r->parts.cap; k++) {
    partition *p = (partition *)r->parts.slots[k];
    sqlite3_int64 distinct = 0, rank = 0;
    if (p == NULL || p->n == 0) continue;
    if (!r->numeric) {
      qsort(p->entries, p->n, sizeof *p->entries, r->desc ? descending : ascending);
      for (j = 0; j < p->n; j++) {
        int tie = j > 0 && scan_compare(&p->entries[j - 1].value.v, &p->entries[j].value.v) == 0;
        p->entries[j].rank = rank = next_rank(r, tie, rank, j, &distinct);
      }
      continue;
    }
    scan_sort_placed(p->nums, p->n);
    for (j = 0; j < p->n; j++) {
      rank = next_rank(r, j > 0 && p->nums[j - 1].value == p->nums[j].value, rank, j, &distinct);
      r->row_rank[p->nums[j].row] = rank;
    }
  }
  return SQLITE_OK;
}

/* The hash path: the scan's rows into partitions, as numbers until a
** value is none (then again, kept as they are).  SQLITE_DONE when it
** cannot mirror SQLite (a real key). */
static int hash_scan(ranking *r, sqlite3_stmt *stmt) {
  zb_value row[MAX_KEYS + 1];
  int rc, k;
  r->numeric = 1;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    partition *p;
    int real = 0;
    double x;
    for (k = 0; k <= r->nkeys; k++) value_read(sqlite3_column_value(stmt, k), &row[k]);
    if (row[r->nkeys].type == SQLITE_NULL) continue;  /* no rank, and not counted */
    if ((p = find(r, row, 1, &real, &rc)) == NULL) return real ? SQLITE_DONE : rc;
    if (!r->numeric) rc = add_entry(p, &row[r->nkeys], 0);
    else if (as_key(r, &row[r->nkeys], &x)) rc = add_number(r, p, x);
    else {  /* text, a blob or a large integer: every value kept as it is */
      partitions_free(r);
      r->numeric = 0;
      sqlite3_reset(stmt);
      continue;
    }
    if (rc != SQLITE_OK) return rc;
  }
  if (rc != SQLITE_DONE) return rc;
  return rank_partitions(r);
}

/* SQLite's own rank() over the scan, each row's rank kept under its exact
** keys and value. */
static int sqlite_rank(ranking *r, sqlite3 *db, const char *scan, sqlite3_value **params, char **err) {
  sqlite3_str *sql = sqlite3_str_new(db);
  sqlite3_stmt *stmt = NULL;
  zb_value row[MAX_KEYS + 1];
  char *text;
  int rc, k;
  sqlite3_str_appendall(sql, "SELECT ");
  for (k = 0; k < r->nkeys; k++) sqlite3_str_appendf(sql, "k%d, ", k);
  sqlite3_str_appendf(sql, "v, %s() OVER (", r->dense ? "dense_rank" : "rank");
  for (k = 0; k < r->nkeys; k++) sqlite3_str_appendf(sql, "%sk%d", k ? ", " : "PARTITION BY ", k);
  sqlite3_str_appendf(sql, " ORDER BY v%s) FROM (%s) WHERE v IS NOT NULL", r->desc ? " DESC" : "", scan);
  if ((text = sqlite3_str_finish(sql)) == NULL) return SQLITE_NOMEM;
  rc = scan_prepare(db, "zb_rank", text, r->nparams, params, &stmt, err);
  sqlite3_free(text);
  r->exact = 1;
  r->numeric = 0;
  while (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    partition *p;
    rc = SQLITE_OK;
    for (k = 0; k <= r->nkeys; k++) value_read(sqlite3_column_value(stmt, k), &row[k]);
    if ((p = find(r, row, 1, NULL, &rc)) == NULL) break;
    rc = add_entry(p, &row[r->nkeys], sqlite3_column_int64(stmt, r->nkeys + 1));
  }
  if (rc == SQLITE_DONE) rc = SQLITE_OK;
  if (rc != SQLITE_OK && *err == NULL) *err = sqlite3_mprintf("%s", sqlite3_errmsg(db));
  sqlite3_finalize(stmt);
  if (rc == SQLITE_OK) {  /* searched by the exact value: ascending */
    size_t j;
    for (j = 0; j < r->parts.cap; j++) {
      partition *p = (partition *)r->parts.slots[j];
      if (p != NULL && p->n > 1) qsort(p->entries, p->n, sizeof *p->entries, ascending);
    }
  }
  return rc;
}

/* The ranking of the scan in argv[0] (spec in argv[1]), or NULL with
** *err set (or NULL for out of memory). */
static void *build(sqlite3 *db, int argc, sqlite3_value **argv, char **err, int *rc) {
  const char *scan = (const char *)sqlite3_value_text(argv[0]), *spec = (const char *)sqlite3_value_text(argv[1]);
  ranking *r = (ranking *)scan_zeroed(sizeof *r);
  sqlite3_stmt *stmt = NULL;
  if (r == NULL) {
    *rc = SQLITE_NOMEM;
    return NULL;
  }
  if (scan == NULL || spec == NULL || !parse_spec(spec, r) || argc != 2 + r->nparams + r->nkeys + 1) {
    *err = sqlite3_mprintf("zb_rank: expected a scan, a spec such as '2:0:desc:competition', its parameters, "
                           "the keys and the value");
    *rc = SQLITE_ERROR;
  } else {
    *rc = scan_prepare(db, "zb_rank", scan, r->nparams, argv + 2, &stmt, err);
  }
  if (*rc == SQLITE_OK && sqlite3_column_count(stmt) != r->nkeys + 1) {
    *err = sqlite3_mprintf("zb_rank: the scan has %d columns, the spec needs %d", sqlite3_column_count(stmt),
                           r->nkeys + 1);
    *rc = SQLITE_ERROR;
  }
  if (*rc == SQLITE_OK)
    *rc = scan_binary_collations(db, stmt, ((uint64_t)1 << (r->nkeys + 1)) - 1) ? hash_scan(r, stmt) : SQLITE_DONE;
  if (*rc != SQLITE_OK && *rc != SQLITE_DONE && *err == NULL && *rc != SQLITE_NOMEM)
    *err = sqlite3_mprintf("%s", sqlite3_errmsg(db));
  sqlite3_finalize(stmt);
  if (*rc == SQLITE_DONE) {
    partitions_free(r);
    *rc = sqlite_rank(r, db, scan, argv + 2, err);
  }
  if (*rc != SQLITE_OK) {
    ranking_free(r);
    return NULL;
  }
  return r;
}

/* The rank of the row with keys and a value (keys[nkeys]), or 0 when the
** scan had no such row. */
static sqlite3_int64 rank_of(ranking *r, const zb_value *keys) {
  const zb_value *value = &keys[r->nkeys];
  int desc = r->desc && !r->exact, real = 0, rc = SQLITE_OK;
  size_t lo = 0, hi;
  partition *p;
  double x = 0;
  if (r->numeric) {
    size_t at = r->next;
    if (!as_key(r, value, &x)) return 0;
    if (at < r->nrows && r->rows[at].value == x && scan_same(r->rows[at].part->keys, keys, r->nkeys, SCAN_REALS_REFUSED)) {
      r->next++;
      return r->row_rank[at];
    }
  }
  if ((p = find(r, keys, 0, &real, &rc)) == NULL) return 0;
  hi = p->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c;
    if (r->numeric) {
      double at = p->nums[mid].value;
      c = at < x ? -1 : at > x;
    } else {
      c = scan_compare(&p->entries[mid].value.v, value);
      if (desc) c = -c;
    }
    if (c == 0 && r->numeric) {
      r->next = p->nums[mid].row + 1;  /* in step again, if the query skipped rows */
      return r->row_rank[p->nums[mid].row];
    }
    if (c == 0) return p->entries[mid].rank;
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return 0;
}

static void sql_rank(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  int built;
  ranking *r = (ranking *)scan_state(ctx, argc, argv, "zb_rank", build, &built);
  zb_value keys[MAX_KEYS + 1];
  sqlite3_int64 rank = 0;
  int k;
  if (r == NULL) return;
  for (k = 0; k <= r->nkeys; k++) value_read(argv[2 + r->nparams + k], &keys[k]);
  if (keys[r->nkeys].type == SQLITE_NULL) {
    sqlite3_result_null(ctx);
  } else if ((rank = rank_of(r, keys)) > 0) {
    sqlite3_result_int64(ctx, rank);
  } else {
    sqlite3_result_error(ctx, "rank: the rows changed between the two reads rank makes of them (a query with "
                              "random(), or a table written meanwhile); make a table of them first", -1);
  }
  scan_keep(ctx, r, built, ranking_free);
}

int window_register(sqlite3 *db) {
  return scan_create_function(db, "zb_rank", sql_rank);
}
