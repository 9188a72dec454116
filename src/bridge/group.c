/*
** group.c: zb_group(sql, spec, params...), a table-valued function that
** groups and aggregates the rows of a scan by hashing, where SQLite would
** sort every row for an unindexed GROUP BY.  The table compiler uses it
** for the plain verbs (count, sum, total, avg, min, max of columns).
**
** sql is a read-only SELECT of the key columns k0.. then one column v0..
** for each aggregate that takes one; spec is "NKEYS:kind,kind,..." with
** kinds count*, count, sum, total, avg, min, max.  The result has the
** keys in k0..k7 and the aggregates in a0..a15, one row a group, in the
** order of the keys as SQLite orders them, so it reads as GROUP BY would.
** Each key is also declared with each type (ki0.. INTEGER, kr0.. REAL, kn0..
** NUMERIC, kt0.. TEXT), the same values: the table compiler reads a key
** from the column of its source column's type, so that comparisons and
** joins on it convert as they do on the source (a declared type gives a
** column its affinity; values are never converted).
**
** Results must be SQLite's own.  Whatever the hash path does not mirror
** exactly (a real or a non-binary collation in a key, text in a sum, an
** integer overflow, a newer SQLite's summation)
** makes it run the GROUP BY itself over the same scan instead.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "group.h"
#include "scan.h"

#define MAX_KEYS 8
#define MAX_AGGS 16
#define MAX_PARAMS 16
static const char *const key_types[][2] = {{"k", ""}, {"ki", " INTEGER"}, {"kr", " REAL"}, {"kn", " NUMERIC"}, {"kt", " TEXT"}};
#define KEY_TYPES (sizeof key_types / sizeof *key_types)
#define KEY_COLUMNS ((int)KEY_TYPES * MAX_KEYS)
#define COL_SQL (KEY_COLUMNS + MAX_AGGS)  /* the hidden columns: sql, spec, p0.. */
#define COL_SPEC (COL_SQL + 1)
#define COL_PARAM0 (COL_SQL + 2)

enum { AGG_COUNT_ALL, AGG_COUNT, AGG_SUM, AGG_TOTAL, AGG_AVG, AGG_MIN, AGG_MAX };
static const char *const agg_names[] = {"count*", "count", "sum", "total", "avg", "min", "max"};

typedef struct acc {
  sqlite3_int64 count, isum;
  double rsum;
  int approx;  /* a real was added: the sum is a real */
} acc;

/* A group: its keys, then one cell an aggregate (its result at the end). */
typedef struct group {
  uint64_t hash;
  acc *accs;
  int nkeys;  /* for qsort's comparison, which is given nothing else */
  cell cells[];
} group;

typedef struct spec {
  int nkeys, naggs, kinds[MAX_AGGS], column[MAX_AGGS];  /* column: the scan's, or -1 */
  /* SQLite's sum from 3.43 on adds reals with an error term; the hash path
  ** adds them as 3.42 and before do, so a real in a sum there falls back */
  int plain_real_sums;
} spec;

typedef struct group_cursor {
  sqlite3_vtab_cursor base;
  group **groups;  /* the hash table while scanning; the rows after */
  size_t n, cap, at;
  spec s;
  sqlite3_value *args[2 + MAX_PARAMS];  /* sql, spec, p0..: the hidden columns' values */
  int nargs;
} group_cursor;

typedef struct group_vtab {
  sqlite3_vtab base;
  sqlite3 *db;
  int depth;  /* zb_group inside the scan of another, on this connection */
} group_vtab;

/* Why the hash path gives way to SQLite's GROUP BY. */
#define FALLBACK (-1)

static int kind_of(const char *name, size_t len) {
  int k;
  for (k = 0; k < (int)(sizeof agg_names / sizeof agg_names[0]); k++)
    if (strlen(agg_names[k]) == len && memcmp(agg_names[k], name, len) == 0) return k;
  return -1;
}

static int parse_spec(const char *text, spec *s) {
  char *end;
  long nkeys = strtol(text, &end, 10);
  int columns;
  if (end == text || *end != ':' || nkeys < 1 || nkeys > MAX_KEYS) return 0;
  s->nkeys = (int)nkeys;
  s->naggs = 0;
  columns = s->nkeys;
  text = end + 1;
  while (*text) {
    size_t len = strcspn(text, ",");
    int k = kind_of(text, len);
    if (k < 0 || s->naggs == MAX_AGGS) return 0;
    s->kinds[s->naggs] = k;
    s->column[s->naggs] = k == AGG_COUNT_ALL ? -1 : columns++;
    s->naggs++;
    text += len;
    if (*text == ',') text++;
  }
  return s->naggs > 0;
}

/* The scan's columns: the keys, and one for each aggregate but count(*). */
static int scan_width(const spec *s) {
  int j, n = s->nkeys;
  for (j = 0; j < s->naggs; j++) n += s->column[j] >= 0;
  return n;
}

/* ---- cells ---- */

/* The scan's column col, its bytes SQLite's until the next step.  Each
** column is read once a row, through its sqlite3_value: the column API
** would look it up again for every call. */
static void column_value(sqlite3_stmt *stmt, int col, zb_value *v) {
  value_read(sqlite3_column_value(stmt, col), v);
}

/* ---- groups ---- */

static void group_free(group *g, const spec *s) {
  int k;
  if (g == NULL) return;
  for (k = 0; k < s->nkeys + s->naggs; k++) sqlite3_free(g->cells[k].owned);
  sqlite3_free(g->accs);
  sqlite3_free(g);
}

static void cursor_clear(group_cursor *cur) {
  size_t k;
  for (k = 0; k < cur->cap; k++) group_free(cur->groups[k], &cur->s);
  sqlite3_free(cur->groups);
  cur->groups = NULL;
  cur->n = cur->cap = cur->at = 0;
}

static void cursor_forget_args(group_cursor *cur) {
  while (cur->nargs > 0) sqlite3_value_free(cur->args[--cur->nargs]);
}

static group *group_new(const spec *s) {
  int width = s->nkeys + s->naggs;
  group *g = (group *)scan_zeroed(sizeof *g + (size_t)width * sizeof(cell));
  if (g == NULL) return NULL;
  g->nkeys = s->nkeys;
  g->accs = (acc *)scan_zeroed((size_t)s->naggs * sizeof(acc));
  if (g->accs == NULL) {
    sqlite3_free(g);
    return NULL;
  }
  for (width--; width >= 0; width--) g->cells[width].v.type = SQLITE_NULL;
  return g;
}

static int grow(group_cursor *cur) {
  group **table = (group **)scan_rehash(cur->groups, &cur->cap, 256);
  if (table == NULL) return SQLITE_NOMEM;
  cur->groups = table;
  return SQLITE_OK;
}

/* The group of a row of the scan, made when new; NULL with *rc set. */
static group *find_group(group_cursor *cur, const zb_value *row, int *rc) {
  const spec *s = &cur->s;
  size_t at;
  group *g;
  int k, real = 0;
  uint64_t h = scan_hash(row, s->nkeys, SCAN_REALS_REFUSED, &real);
  if (real) {  /* 1.0 and 1 are one group to SQLite */
    *rc = FALLBACK;
    return NULL;
  }
  if (cur->n * 2 >= cur->cap && (*rc = grow(cur)) != SQLITE_OK) return NULL;
  for (at = h & (cur->cap - 1); (g = cur->groups[at]) != NULL; at = (at + 1) & (cur->cap - 1))
    if (g->hash == h && scan_same(g->cells, row, s->nkeys, SCAN_REALS_REFUSED)) return g;
  if ((g = group_new(s)) == NULL) {
    *rc = SQLITE_NOMEM;
    return NULL;
  }
  g->hash = h;
  cur->groups[at] = g;
  cur->n++;
  for (k = 0; k < s->nkeys; k++)
    if ((*rc = cell_set(&g->cells[k], &row[k])) != SQLITE_OK) return NULL;
  return g;
}

static int add_value(group *g, const spec *s, int j, const zb_value *row) {
  int kind = s->kinds[j];
  acc *a = &g->accs[j];
  cell *best = &g->cells[s->nkeys + j];
  const zb_value *v;
  if (kind == AGG_COUNT_ALL) {
    a->count++;
    return SQLITE_OK;
  }
  v = &row[s->column[j]];
  if (v->type == SQLITE_NULL) return SQLITE_OK;
  a->count++;
  switch (kind) {
    case AGG_COUNT: return SQLITE_OK;
    case AGG_SUM: case AGG_TOTAL: case AGG_AVG:
      if (v->type == SQLITE_INTEGER) {
        a->rsum += (double)v->i;
        if (__builtin_add_overflow(a->isum, v->i, &a->isum)) return FALLBACK;  /* sum() raises */
      } else if (v->type == SQLITE_FLOAT && s->plain_real_sums) {
        a->rsum += v->d;
        a->approx = 1;
      } else {
        return FALLBACK;  /* text or a blob: SQLite's numeric conversion */
      }
      return SQLITE_OK;
    default: {  /* min, max */
      int order;
      if (a->count == 1) return cell_set(best, v);
      order = scan_compare(v, &best->v);
      if ((kind == AGG_MIN && order >= 0) || (kind == AGG_MAX && order <= 0)) return SQLITE_OK;
      return cell_set(best, v);
    }
  }
}

/* Each group's aggregates as SQLite gives them. */
static void finish(group *g, const spec *s) {
  int j;
  for (j = 0; j < s->naggs; j++) {
    const acc *a = &g->accs[j];
    zb_value *out = &g->cells[s->nkeys + j].v;
    switch (s->kinds[j]) {
      case AGG_COUNT_ALL: case AGG_COUNT:
        out->type = SQLITE_INTEGER;
        out->i = a->count;
        break;
      case AGG_SUM:
        if (a->count == 0) out->type = SQLITE_NULL;
        else if (a->approx) out->type = SQLITE_FLOAT, out->d = a->rsum;
        else out->type = SQLITE_INTEGER, out->i = a->isum;
        break;
      case AGG_TOTAL:  /* integers only, on a newer SQLite: their exact sum, as a real */
        out->type = SQLITE_FLOAT;
        out->d = s->plain_real_sums ? a->rsum : (double)a->isum;
        break;
      case AGG_AVG:
        if (a->count == 0) out->type = SQLITE_NULL;
        else {
          out->type = SQLITE_FLOAT;
          out->d = (s->plain_real_sums ? a->rsum : (double)a->isum) / (double)a->count;
        }
        break;
      default: break;  /* min and max are their cells already */
    }
  }
}

static int compare_groups(const void *pa, const void *pb) {
  const group *a = *(group *const *)pa, *b = *(group *const *)pb;
  int k, c;
  for (k = 0; k < a->nkeys; k++)
    if ((c = scan_compare(&a->cells[k].v, &b->cells[k].v)) != 0) return c;
  return 0;
}

/* The hash table's groups, packed and in key order, become the rows. */
static void to_rows(group_cursor *cur) {
  size_t k, n = 0;
  for (k = 0; k < cur->cap; k++)
    if (cur->groups[k] != NULL) cur->groups[n++] = cur->groups[k];
  for (k = n; k < cur->cap; k++) cur->groups[k] = NULL;
  for (k = 0; k < n; k++) finish(cur->groups[k], &cur->s);
  if (n > 1) qsort(cur->groups, n, sizeof *cur->groups, compare_groups);
  cur->n = n;
}

/* ---- the scan ---- */

/* The scan's columns the hash path compares as text: the keys, and what
** min and max read. */
static uint64_t compared_columns(const spec *s) {
  uint64_t mask = ((uint64_t)1 << s->nkeys) - 1;
  int j;
  for (j = 0; j < s->naggs; j++)
    if (s->kinds[j] == AGG_MIN || s->kinds[j] == AGG_MAX) mask |= (uint64_t)1 << s->column[j];
  return mask;
}

static int hash_scan(group_cursor *cur, sqlite3_stmt *stmt) {
  zb_value row[MAX_KEYS + MAX_AGGS];
  int rc = SQLITE_OK, j, width = scan_width(&cur->s);
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    group *g;
    for (j = 0; j < width; j++) column_value(stmt, j, &row[j]);
    if ((g = find_group(cur, row, &rc)) == NULL) return rc;
    for (j = 0; j < cur->s.naggs; j++)
      if ((rc = add_value(g, &cur->s, j, row)) != SQLITE_OK) return rc;
  }
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* SQLite's own GROUP BY over the scan, its rows read into groups. */
static int sqlite_group_by(group_cursor *cur, group_vtab *vt, const char *scan, int argc, sqlite3_value **params) {
  const spec *s = &cur->s;
  sqlite3_str *sql = sqlite3_str_new(vt->db);
  sqlite3_stmt *stmt = NULL;
  int k, rc;
  char *text;
  sqlite3_str_appendall(sql, "SELECT ");
  for (k = 0; k < s->nkeys; k++) sqlite3_str_appendf(sql, "%sk%d", k ? ", " : "", k);
  for (k = 0; k < s->naggs; k++) {
    int kind = s->kinds[k];
    if (kind == AGG_COUNT_ALL) sqlite3_str_appendall(sql, ", count(*)");
    else sqlite3_str_appendf(sql, ", %s(v%d)", agg_names[kind], s->column[k] - s->nkeys);
  }
  sqlite3_str_appendf(sql, " FROM (%s) GROUP BY ", scan);
  for (k = 0; k < s->nkeys; k++) sqlite3_str_appendf(sql, "%sk%d", k ? ", " : "", k);
  if ((text = sqlite3_str_finish(sql)) == NULL) return SQLITE_NOMEM;
  rc = scan_prepare(vt->db, "zb_group", text, argc, params, &stmt, &vt->base.zErrMsg);
  sqlite3_free(text);
  while (rc == SQLITE_OK) {
    group *g;
    if ((rc = sqlite3_step(stmt)) != SQLITE_ROW) break;
    if (cur->n == cur->cap) {
      size_t cap = cur->cap ? cur->cap * 2 : 64;
      group **rows = (group **)sqlite3_realloc64(cur->groups, cap * sizeof *rows);
      if (rows == NULL) {
        rc = SQLITE_NOMEM;
        break;
      }
      memset(rows + cur->cap, 0, (cap - cur->cap) * sizeof *rows);
      cur->groups = rows;
      cur->cap = cap;
    }
    if ((g = group_new(s)) == NULL) {
      rc = SQLITE_NOMEM;
      break;
    }
    cur->groups[cur->n++] = g;
    for (k = 0, rc = SQLITE_OK; rc == SQLITE_OK && k < s->nkeys + s->naggs; k++) {
      zb_value v;
      column_value(stmt, k, &v);
      rc = cell_set(&g->cells[k], &v);
    }
  }
  if (rc == SQLITE_DONE) rc = SQLITE_OK;
  if (rc != SQLITE_OK && vt->base.zErrMsg == NULL) vt->base.zErrMsg = sqlite3_mprintf("%s", sqlite3_errmsg(vt->db));
  sqlite3_finalize(stmt);
  return rc;
}

/* ---- the virtual table ---- */

static int group_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **err) {
  sqlite3_str *schema = sqlite3_str_new(db);
  group_vtab *vt;
  char *text;
  int k, rc;
  (void)aux, (void)argc, (void)argv, (void)err;
  sqlite3_str_appendall(schema, "CREATE TABLE x(");
  for (size_t t = 0; t < KEY_TYPES; t++)
    for (k = 0; k < MAX_KEYS; k++) sqlite3_str_appendf(schema, "%s%d%s, ", key_types[t][0], k, key_types[t][1]);
  for (k = 0; k < MAX_AGGS; k++) sqlite3_str_appendf(schema, "a%d, ", k);
  sqlite3_str_appendall(schema, "sql HIDDEN, spec HIDDEN");
  for (k = 0; k < MAX_PARAMS; k++) sqlite3_str_appendf(schema, ", p%d HIDDEN", k);
  sqlite3_str_appendall(schema, ")");
  if ((text = sqlite3_str_finish(schema)) == NULL) return SQLITE_NOMEM;
  rc = sqlite3_declare_vtab(db, text);
  sqlite3_free(text);
  if (rc != SQLITE_OK) return rc;
  sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);  /* not from an untrusted file's views or triggers */
  vt = (group_vtab *)sqlite3_malloc(sizeof *vt);
  if (vt == NULL) return SQLITE_NOMEM;
  memset(vt, 0, sizeof *vt);
  vt->db = db;
  *out = &vt->base;
  return SQLITE_OK;
}

static int group_disconnect(sqlite3_vtab *vtab) {
  sqlite3_free(vtab);
  return SQLITE_OK;
}

/* The plan: sql and spec given, and the parameters p0..pN-1 (idxNum N). */
static int group_best_index(sqlite3_vtab *vtab, sqlite3_index_info *info) {
  int k, have = 0, nparams = 0;
  (void)vtab;
  for (k = 0; k < info->nConstraint; k++) {
    const struct sqlite3_index_constraint *c = &info->aConstraint[k];
    int slot;
    if (c->iColumn < COL_SQL) continue;
    if (!c->usable || c->op != SQLITE_INDEX_CONSTRAINT_EQ) return SQLITE_CONSTRAINT;
    slot = c->iColumn - COL_SQL;
    info->aConstraintUsage[k].argvIndex = slot + 1;
    info->aConstraintUsage[k].omit = 1;
    have |= 1 << slot;
    if (c->iColumn >= COL_PARAM0 && c->iColumn - COL_PARAM0 + 1 > nparams) nparams = c->iColumn - COL_PARAM0 + 1;
  }
  if ((have & 3) != 3 || have != (1 << (nparams + 2)) - 1) return SQLITE_CONSTRAINT;
  info->idxNum = nparams;
  info->estimatedCost = 1e6;
  info->estimatedRows = 1000;
  return SQLITE_OK;
}

static int group_open(sqlite3_vtab *vtab, sqlite3_vtab_cursor **out) {
  group_cursor *cur = (group_cursor *)scan_zeroed(sizeof *cur);
  (void)vtab;
  if (cur == NULL) return SQLITE_NOMEM;
  *out = &cur->base;
  return SQLITE_OK;
}

static int group_close(sqlite3_vtab_cursor *base) {
  group_cursor *cur = (group_cursor *)base;
  cursor_clear(cur);
  cursor_forget_args(cur);
  sqlite3_free(cur);
  return SQLITE_OK;
}

static int group_run(group_cursor *cur, int nparams, sqlite3_value **argv) {
  group_vtab *vt = (group_vtab *)cur->base.pVtab;
  const char *sql = (const char *)sqlite3_value_text(argv[0]), *text = (const char *)sqlite3_value_text(argv[1]);
  sqlite3_stmt *stmt = NULL;
  int rc;
  if (sql == NULL || text == NULL || !parse_spec(text, &cur->s)) {
    vt->base.zErrMsg = sqlite3_mprintf("zb_group: expected a scan and a spec such as '2:sum,count*'");
    return SQLITE_ERROR;
  }
  cur->s.plain_real_sums = sqlite3_libversion_number() < 3043000;
  rc = scan_prepare(vt->db, "zb_group", sql, nparams, argv + 2, &stmt, &vt->base.zErrMsg);
  if (rc == SQLITE_OK && sqlite3_column_count(stmt) != scan_width(&cur->s)) {
    vt->base.zErrMsg = sqlite3_mprintf("zb_group: the scan has %d columns, the spec needs %d",
                                       sqlite3_column_count(stmt), scan_width(&cur->s));
    rc = SQLITE_ERROR;
  }
  if (rc == SQLITE_OK) rc = scan_binary_collations(vt->db, stmt, compared_columns(&cur->s)) ? hash_scan(cur, stmt) : FALLBACK;
  if (rc == SQLITE_OK) to_rows(cur);
  if (rc == SQLITE_NOMEM && vt->base.zErrMsg == NULL) vt->base.zErrMsg = sqlite3_mprintf("out of memory");
  if (rc != SQLITE_OK && rc != FALLBACK && vt->base.zErrMsg == NULL)
    vt->base.zErrMsg = sqlite3_mprintf("%s", sqlite3_errmsg(vt->db));
  sqlite3_finalize(stmt);
  if (rc == FALLBACK) {
    cursor_clear(cur);  /* the spec stays */
    rc = sqlite_group_by(cur, vt, sql, nparams, argv + 2);
  }
  cur->at = 0;
  return rc;
}

static int group_filter(sqlite3_vtab_cursor *base, int nparams, const char *idx, int argc, sqlite3_value **argv) {
  group_cursor *cur = (group_cursor *)base;
  group_vtab *vt = (group_vtab *)base->pVtab;
  int rc, k;
  (void)idx;
  cursor_clear(cur);
  cursor_forget_args(cur);
  for (k = 0; k < argc && k < 2 + MAX_PARAMS; k++) {
    if ((cur->args[k] = sqlite3_value_dup(argv[k])) == NULL) return SQLITE_NOMEM;
    cur->nargs = k + 1;
  }
  if (vt->depth >= 8) {
    vt->base.zErrMsg = sqlite3_mprintf("zb_group: nested more than 8 deep");
    return SQLITE_ERROR;
  }
  vt->depth++;
  rc = group_run(cur, nparams, argv);
  vt->depth--;
  return rc;
}


static int group_next(sqlite3_vtab_cursor *base) {
  ((group_cursor *)base)->at++;
  return SQLITE_OK;
}

static int group_eof(sqlite3_vtab_cursor *base) {
  group_cursor *cur = (group_cursor *)base;
  return cur->at >= cur->n;
}

static int group_column(sqlite3_vtab_cursor *base, sqlite3_context *ctx, int col) {
  group_cursor *cur = (group_cursor *)base;
  const group *g = cur->groups[cur->at];
  const zb_value *c;
  if (col < KEY_COLUMNS) {
    if (col % MAX_KEYS >= cur->s.nkeys) return SQLITE_OK;
    c = &g->cells[col % MAX_KEYS].v;
  } else if (col < KEY_COLUMNS + MAX_AGGS) {
    if (col - KEY_COLUMNS >= cur->s.naggs) return SQLITE_OK;
    c = &g->cells[cur->s.nkeys + col - KEY_COLUMNS].v;
  } else {  /* sql, spec, p0..: SQLite checks them again past its sixteenth constraint */
    if (col - COL_SQL < cur->nargs) sqlite3_result_value(ctx, cur->args[col - COL_SQL]);
    return SQLITE_OK;
  }
  value_result(ctx, c);
  return SQLITE_OK;
}

static int group_rowid(sqlite3_vtab_cursor *base, sqlite3_int64 *rowid) {
  *rowid = (sqlite3_int64)((group_cursor *)base)->at;
  return SQLITE_OK;
}

static const sqlite3_module group_module = {
  .iVersion = 0,
  .xConnect = group_connect,
  .xBestIndex = group_best_index,
  .xDisconnect = group_disconnect,
  .xOpen = group_open,
  .xClose = group_close,
  .xFilter = group_filter,
  .xNext = group_next,
  .xEof = group_eof,
  .xColumn = group_column,
  .xRowid = group_rowid,
};

int group_register(sqlite3 *db) {
  return sqlite3_create_module(db, "zb_group", &group_module, NULL);
}
