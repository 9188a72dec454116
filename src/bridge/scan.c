/*
** scan.c: the scan a C path runs beside SQLite's query, and its values
** kept, hashed and ordered as SQLite would (see scan.h).
*/
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

uint64_t scan_hash(const zb_value *keys, int n, int *real) {
  uint64_t h = 0;
  int k;
  for (k = 0; k < n; k++) {
    const zb_value *v = &keys[k];
    if (v->type == SQLITE_FLOAT && real != NULL) {
      *real = 1;
      return 0;
    }
    h = (h + (uint64_t)v->type) * 0x9e3779b97f4a7c15ULL;
    if (v->type == SQLITE_INTEGER) h = mix(h, &v->i, sizeof v->i);
    else if (v->type == SQLITE_FLOAT) h = mix(h, &v->d, sizeof v->d);
    else if ((v->type == SQLITE_TEXT || v->type == SQLITE_BLOB) && v->len > 0) h = mix(h, v->bytes, v->len);
  }
  return h;
}

int scan_same(const cell *cells, const zb_value *keys, int n) {
  int k;
  for (k = 0; k < n; k++) {
    const zb_value *c = &cells[k].v, *v = &keys[k];
    if (v->type != c->type || (v->type == SQLITE_INTEGER && v->i != c->i)) return 0;
    if (v->type == SQLITE_FLOAT && memcmp(&v->d, &c->d, sizeof v->d) != 0) return 0;
    if ((v->type == SQLITE_TEXT || v->type == SQLITE_BLOB) &&
        (v->len != c->len || (v->len > 0 && memcmp(v->bytes, c->bytes, v->len) != 0)))
      return 0;
  }
  return 1;
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
