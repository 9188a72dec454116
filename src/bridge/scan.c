/*
** scan.c: the scan a C path runs beside SQLite's query, and its values
** kept, hashed and ordered as SQLite would (see scan.h).
*/
#include <stdlib.h>
#include <string.h>

#include "scan.h"

void *scan_zeroed(size_t n) {
  void *p = sqlite3_malloc64(n);
  if (p != NULL) memset(p, 0, n);
  return p;
}

void *scan_rehash(void *slots, size_t *cap, size_t first) {
  size_t more = *cap ? *cap * 2 : first, k;
  char *old = (char *)slots, *table = (char *)scan_zeroed(more * sizeof(void *));
  if (table == NULL) return NULL;
  for (k = 0; k < *cap; k++) {  /* the pointers copied as bytes: the slots are of the caller's type */
    void *entry, *taken;
    uint64_t hash;
    size_t at;
    memcpy(&entry, old + k * sizeof entry, sizeof entry);
    if (entry == NULL) continue;
    memcpy(&hash, entry, sizeof hash);
    for (at = hash & (more - 1);; at = (at + 1) & (more - 1)) {
      memcpy(&taken, table + at * sizeof taken, sizeof taken);
      if (taken == NULL) break;
    }
    memcpy(table + at * sizeof entry, &entry, sizeof entry);
  }
  sqlite3_free(slots);
  *cap = more;
  return table;
}

int cell_set(cell *c, const zb_value *v) {
  sqlite3_free(c->owned);
  c->owned = NULL;
  c->v = *v;
  if (v->type == SQLITE_TEXT || v->type == SQLITE_BLOB) {
    c->owned = (char *)sqlite3_malloc64((sqlite3_uint64)v->len + 1);
    if (c->owned == NULL) {
      c->v.type = SQLITE_NULL;
      return SQLITE_NOMEM;
    }
    if (v->len > 0) memcpy(c->owned, v->bytes, v->len);
    c->owned[v->len] = '\0';
    c->v.bytes = c->owned;
  }
  return SQLITE_OK;
}

static int type_rank(int type) {
  return type == SQLITE_NULL ? 0 : type == SQLITE_TEXT ? 2 : type == SQLITE_BLOB ? 3 : 1;
}

/* An integer against a real, exactly: a double holds no integer past 2^53
** exactly, so the two are compared through the real's integer part first. */
static int integer_vs_real(sqlite3_int64 i, double r) {
  sqlite3_int64 whole;
  double back;
  if (r < -9223372036854775808.0) return 1;
  if (r >= 9223372036854775808.0) return -1;
  whole = (sqlite3_int64)r;
  if (i != whole) return i < whole ? -1 : 1;
  back = (double)i;
  return back < r ? -1 : back > r;
}

int scan_compare(const zb_value *a, const zb_value *b) {
  int ra = type_rank(a->type), rb = type_rank(b->type), c;
  size_t shorter;
  if (ra != rb) return ra < rb ? -1 : 1;
  if (ra == 0) return 0;
  if (ra == 1) {
    if (a->type == SQLITE_INTEGER && b->type == SQLITE_INTEGER) return a->i < b->i ? -1 : a->i > b->i;
    if (a->type == SQLITE_FLOAT && b->type == SQLITE_FLOAT) return a->d < b->d ? -1 : a->d > b->d;
    if (a->type == SQLITE_INTEGER) return integer_vs_real(a->i, b->d);
    return -integer_vs_real(b->i, a->d);
  }
  shorter = a->len < b->len ? a->len : b->len;
  if (shorter > 0 && (c = memcmp(a->bytes, b->bytes, shorter)) != 0) return c;
  return a->len < b->len ? -1 : a->len > b->len;
}

/* Mix n bytes into h, eight at a time. */
static uint64_t mix(uint64_t h, const void *p, size_t n) {
  const unsigned char *s = (const unsigned char *)p;
  uint64_t word;
  for (; n >= 8; s += 8, n -= 8) {
    memcpy(&word, s, 8);
    h = (h ^ word) * 0x9e3779b97f4a7c15ULL;
    h ^= h >> 29;
  }
  word = 0;
  memcpy(&word, s, n);
  h = (h ^ word ^ ((uint64_t)n << 56)) * 0x9e3779b97f4a7c15ULL;
  return h ^ (h >> 32);
}

/* A real key as SCAN_REALS_AS_NUMBERS hashes it: a whole one as the
** integer it equals (SQLite's 1.0 = 1), others by their bits. */
static int whole(double d, sqlite3_int64 *i) {
  if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0) || (double)(sqlite3_int64)d != d) return 0;
  *i = (sqlite3_int64)d;
  return 1;
}

uint64_t scan_hash(const zb_value *keys, int n, int reals, int *refused) {
  uint64_t h = 0;
  int k;
  for (k = 0; k < n; k++) {
    const zb_value *v = &keys[k];
    sqlite3_int64 i;
    if (v->type == SQLITE_FLOAT && reals == SCAN_REALS_REFUSED) {
      *refused = 1;
      return 0;
    }
    if (v->type == SQLITE_FLOAT && reals == SCAN_REALS_AS_NUMBERS && whole(v->d, &i)) {
      h = (h + (uint64_t)SQLITE_INTEGER) * 0x9e3779b97f4a7c15ULL;
      h = mix(h, &i, sizeof i);
      continue;
    }
    h = (h + (uint64_t)v->type) * 0x9e3779b97f4a7c15ULL;
    if (v->type == SQLITE_INTEGER) h = mix(h, &v->i, sizeof v->i);
    else if (v->type == SQLITE_FLOAT) h = mix(h, &v->d, sizeof v->d);
    else if ((v->type == SQLITE_TEXT || v->type == SQLITE_BLOB) && v->len > 0) h = mix(h, v->bytes, v->len);
  }
  return h;
}

int scan_same(const cell *cells, const zb_value *keys, int n, int reals) {
  int k;
  for (k = 0; k < n; k++) {
    const zb_value *c = &cells[k].v, *v = &keys[k];
    int numbers = (v->type == SQLITE_INTEGER || v->type == SQLITE_FLOAT) &&
                  (c->type == SQLITE_INTEGER || c->type == SQLITE_FLOAT);
    if (numbers && reals == SCAN_REALS_AS_NUMBERS) {
      if (scan_compare(v, c) != 0) return 0;
      continue;
    }
    if (v->type != c->type || (v->type == SQLITE_INTEGER && v->i != c->i)) return 0;
    if (v->type == SQLITE_FLOAT && memcmp(&v->d, &c->d, sizeof v->d) != 0) return 0;
    if ((v->type == SQLITE_TEXT || v->type == SQLITE_BLOB) &&
        (v->len != c->len || (v->len > 0 && memcmp(v->bytes, c->bytes, v->len) != 0)))
      return 0;
  }
  return 1;
}

void *scan_room(void *array, size_t *cap, size_t n, size_t size) {
  size_t more = *cap ? *cap * 2 : 16;
  if (n < *cap) return array;
  if ((array = sqlite3_realloc64(array, more * size)) != NULL) *cap = more;
  return array;
}

static int placed_ascending(const void *a, const void *b) {
  double x = ((const placed *)a)->value, y = ((const placed *)b)->value;
  return x < y ? -1 : x > y;
}

/* Quicksort with the comparison inline (qsort's call per comparison was a
** third of a ranking), qsort past a depth only a hostile order reaches. */
static void sort_placed_within(placed *a, size_t n, int depth) {
  while (n > 12) {
    double x = a[0].value, y = a[n / 2].value, z = a[n - 1].value, pivot;
    size_t i = 0, j = n - 1;
    if (depth-- == 0) {
      qsort(a, n, sizeof *a, placed_ascending);
      return;
    }
    pivot = x < y ? (y < z ? y : x < z ? z : x) : (x < z ? x : y < z ? z : y);
    for (;;) {  /* Hoare's partition: a[..j] <= pivot <= a[j+1..] */
      placed t;
      while (a[i].value < pivot) i++;
      while (a[j].value > pivot) j--;
      if (i >= j) break;
      t = a[i], a[i] = a[j], a[j] = t;
      i++, j--;
    }
    if (j + 1 < n - j - 1) {  /* the smaller side first, the larger in the loop */
      sort_placed_within(a, j + 1, depth);
      a += j + 1, n -= j + 1;
    } else {
      sort_placed_within(a + j + 1, n - j - 1, depth);
      n = j + 1;
    }
  }
  for (size_t i = 1; i < n; i++) {
    placed t = a[i];
    size_t j = i;
    for (; j > 0 && a[j - 1].value > t.value; j--) a[j] = a[j - 1];
    a[j] = t;
  }
}

void scan_sort_placed(placed *a, size_t n) {
  sort_placed_within(a, n, 64);
}

int scan_prepare(sqlite3 *db, const char *who, const char *sql, int nparams, sqlite3_value **params,
                 sqlite3_stmt **stmt, char **err) {
  const char *tail = NULL;
  int k, rc = sqlite3_prepare_v2(db, sql, -1, stmt, &tail);
  if (rc == SQLITE_OK && (*stmt == NULL || !sqlite3_stmt_readonly(*stmt) || tail[strspn(tail, " \t\r\n")] != '\0')) {
    *err = sqlite3_mprintf("%s: the scan must be one statement that only reads", who);
    return SQLITE_ERROR;
  }
  for (k = 0; rc == SQLITE_OK && k < nparams; k++) rc = sqlite3_bind_value(*stmt, k + 1, params[k]);
  if (rc != SQLITE_OK) *err = sqlite3_mprintf("%s", sqlite3_errmsg(db));
  return rc;
}

int scan_binary_collations(sqlite3 *db, sqlite3_stmt *stmt, uint64_t compared) {
  int col;
  for (col = 0; col < sqlite3_column_count(stmt); col++) {
    const char *table = sqlite3_column_table_name(stmt, col), *coll = NULL;
    if (col >= 64 || !(compared >> col & 1)) continue;
    if (table == NULL) return 0;  /* an expression (+x, CAST, a compound): its collation is not to be seen */
    if (sqlite3_table_column_metadata(db, sqlite3_column_database_name(stmt, col), table,
                                      sqlite3_column_origin_name(stmt, col), NULL, &coll, NULL, NULL,
                                      NULL) != SQLITE_OK)
      return 0;
    if (coll != NULL && sqlite3_stricmp(coll, "BINARY") != 0) return 0;
  }
  return 1;
}

void *scan_state(sqlite3_context *ctx, int argc, sqlite3_value **argv, const char *who, scan_build build, int *built) {
  void *state = sqlite3_get_auxdata(ctx, 0);
  int *depth = (int *)sqlite3_user_data(ctx), rc = SQLITE_OK;
  char *err = NULL;
  *built = state == NULL;
  if (state != NULL) return state;
  if (*depth >= 8) {
    err = sqlite3_mprintf("%s: nested more than 8 deep", who);
    sqlite3_result_error(ctx, err != NULL ? err : who, -1);
    sqlite3_free(err);
    return NULL;
  }
  ++*depth;
  state = build(sqlite3_context_db_handle(ctx), argc, argv, &err, &rc);
  --*depth;
  if (state == NULL) {
    if (err != NULL) sqlite3_result_error(ctx, err, -1);
    if (rc == SQLITE_NOMEM || err == NULL) sqlite3_result_error_nomem(ctx);
    else sqlite3_result_error_code(ctx, rc);
    sqlite3_free(err);
  }
  return state;
}

void scan_keep(sqlite3_context *ctx, void *state, int built, void (*destroy)(void *)) {
  /* SQLite may free it at once, so last; and only when new: setting it
  ** again frees the one it holds */
  if (built) sqlite3_set_auxdata(ctx, 0, state, destroy);
}

int scan_create_function(sqlite3 *db, const char *name, void (*fn)(sqlite3_context *, int, sqlite3_value **)) {
  int *depth = (int *)scan_zeroed(sizeof *depth);
  if (depth == NULL) return SQLITE_NOMEM;
  return sqlite3_create_function_v2(db, name, -1, SQLITE_UTF8 | SQLITE_DIRECTONLY, depth, fn, NULL, NULL, sqlite3_free);
}

void *scan_find(scan_table *t, const zb_value *keys, int n, int reals, size_t size, size_t keys_at, int make,
                int *refused, int *rc) {
  uint64_t h = scan_hash(keys, n, reals, refused);
  char *entry;
  size_t at;
  int k;
  if (refused != NULL && *refused) return NULL;
  if (t->cap > 0)
    for (at = h & (t->cap - 1); (entry = (char *)t->slots[at]) != NULL; at = (at + 1) & (t->cap - 1))
      if (*(uint64_t *)entry == h && scan_same((const cell *)(entry + keys_at), keys, n, reals)) return entry;
  if (!make) return NULL;
  if (t->n * 2 >= t->cap) {
    void **slots = (void **)scan_rehash(t->slots, &t->cap, 64);
    if (slots == NULL) {
      *rc = SQLITE_NOMEM;
      return NULL;
    }
    t->slots = slots;
  }
  if ((entry = (char *)scan_zeroed(size + (size_t)n * sizeof(cell))) == NULL) {
    *rc = SQLITE_NOMEM;
    return NULL;
  }
  *(uint64_t *)entry = h;
  for (at = h & (t->cap - 1); t->slots[at] != NULL; at = (at + 1) & (t->cap - 1)) {}
  t->slots[at] = entry;
  t->n++;
  for (k = 0; k < n; k++)
    if ((*rc = cell_set((cell *)(entry + keys_at) + k, &keys[k])) != SQLITE_OK) return NULL;
  return entry;
}
