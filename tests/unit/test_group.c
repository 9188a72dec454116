/*
** test_group.c: zb_group (group.c), the hash aggregate, against SQLite's
** own GROUP BY on small tables: the same rows in the same order, value for
** value and type for type, for keys of every type (integers, text, blobs,
** NULL, and reals, which make it fall back), one key and two, enough
** groups for the hash table to grow, and the sums it must leave to SQLite
** (text, an integer overflow).
*/
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "group.h"
#include "unit.h"

static sqlite3 *db;

/* Append one cell of the current row to out at *used: its type and its
** value exactly (reals to 17 digits, blobs in hex). */
static void add_cell(sqlite3_stmt *stmt, int i, char *out, size_t size, size_t *used) {
  const unsigned char *bytes;
  int n, k;
  if (*used >= size) return;
  switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_INTEGER:
      *used += (size_t)snprintf(out + *used, size - *used, "i:%lld", (long long)sqlite3_column_int64(stmt, i));
      break;
    case SQLITE_FLOAT:
      *used += (size_t)snprintf(out + *used, size - *used, "r:%.17g", sqlite3_column_double(stmt, i));
      break;
    case SQLITE_TEXT:
      *used += (size_t)snprintf(out + *used, size - *used, "t:'%s'", (const char *)sqlite3_column_text(stmt, i));
      break;
    case SQLITE_BLOB:
      bytes = (const unsigned char *)sqlite3_column_blob(stmt, i);
      n = sqlite3_column_bytes(stmt, i);
      *used += (size_t)snprintf(out + *used, size - *used, "b:");
      for (k = 0; k < n && *used < size; k++) *used += (size_t)snprintf(out + *used, size - *used, "%02x", bytes[k]);
      break;
    default: *used += (size_t)snprintf(out + *used, size - *used, "null");
  }
}

/* Every row of sql, a line each of its cells joined by '|'; or "error: ..." */
static const char *rows_of(const char *sql, char *out, size_t size) {
  sqlite3_stmt *stmt;
  size_t used = 0;
  int rc, i;
  out[0] = '\0';
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK) {
    snprintf(out, size, "error: %s", sqlite3_errmsg(db));
    return out;
  }
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    for (i = 0; i < sqlite3_column_count(stmt); i++) {
      if (i > 0 && used < size) used += (size_t)snprintf(out + used, size - used, "|");
      add_cell(stmt, i, out, size, &used);
    }
    if (used < size) used += (size_t)snprintf(out + used, size - used, "\n");
  }
  if (rc != SQLITE_DONE) snprintf(out, size, "error: %s", sqlite3_errmsg(db));
  sqlite3_finalize(stmt);
  return out;
}

/* zb_group over table t's keys (its scan selecting them as k0.. and the
** values as v0..) against SQLite's GROUP BY of the same keys and aggs;
** SQLite's raises an error when fails is set. */
static void same(const char *name, const char *keys, const char *kinds, const char *aggs, const char *scan, int fails) {
  static char want[1 << 17], got[1 << 17];
  char sql[1024], outputs[256], label[300];
  int nkeys = 1 + (strchr(keys, ',') != NULL), naggs = 1, i;
  size_t used = 0;
  for (i = 0; kinds[i]; i++) naggs += kinds[i] == ',';
  for (i = 0; i < nkeys; i++) used += (size_t)snprintf(outputs + used, sizeof outputs - used, "k%d, ", i);
  for (i = 0; i < naggs; i++) used += (size_t)snprintf(outputs + used, sizeof outputs - used, "%sa%d", i ? ", " : "", i);
  snprintf(sql, sizeof sql, "select %s, %s from t group by %s", keys, aggs, keys);
  rows_of(sql, want, sizeof want);
  snprintf(label, sizeof label, fails ? "%s: SQLite's GROUP BY fails" : "%s: SQLite's GROUP BY gives rows", name);
  CHECK(fails ? strncmp(want, "error", 5) == 0 : strncmp(want, "error", 5) != 0 && want[0] != '\0', label);
  snprintf(sql, sizeof sql, "select %s from zb_group('select %s from t', '%d:%s')", outputs, scan, nkeys, kinds);
  rows_of(sql, got, sizeof got);
  CHECK_STR(got, want, name);
}

/* The plain verbs over value column v, by key k (and j). */
static void every_verb(const char *name, int two_keys, int fails) {
  char label[200];
  snprintf(label, sizeof label, "%s: %s", name, two_keys ? "two keys" : "one key");
  same(label, two_keys ? "k, j" : "k", "count*,count,sum,total,avg,min,max",
       "count(*), count(v), sum(v), total(v), avg(v), min(v), max(v)",
       two_keys ? "k as k0, j as k1, v as v0, v as v1, v as v2, v as v3, v as v4, v as v5"
                : "k as k0, v as v0, v as v1, v as v2, v as v3, v as v4, v as v5",
       fails);
}

static int fill(const char *values) {
  char sql[4096];
  snprintf(sql, sizeof sql, "drop table if exists t; create table t(k, j, v); insert into t values %s", values);
  if (sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK) return 1;
  CHECK(0, sqlite3_errmsg(db));
  return 0;
}

int main(void) {
  if (sqlite3_open(":memory:", &db) != SQLITE_OK || group_register(db) != SQLITE_OK) {
    CHECK(0, "an in-memory database with zb_group");
    return unit_done();
  }
  if (fill("(1, 'a', 10), (2, 'b', 2.5), (1, 'a', NULL), ('1', 'b', 7), (x'31', 'a', -3), (NULL, NULL, 4), "
           "(NULL, 'a', 1), ('', 'b', 0), (x'', 'a', 5), ('中', 'b', 6), (2, 'b', 1e300), (-3, 'a', 9)")) {
    every_verb("keys of every type, integers and reals summed", 0, 0);
    every_verb("keys of every type, integers and reals summed", 1, 0);
  }
  if (fill("(1, 1, 'x'), (1, 1, 2), (2, 2, '3'), (2, 1, 4)"))
    every_verb("text among the values (SQLite's numeric conversion: it falls back)", 0, 0);
  if (fill("(1, 1, 9223372036854775807), (1, 1, 1), (2, 1, 5)"))
    every_verb("a sum past the largest integer (sum() raises, as SQLite's does)", 0, 1);
  if (fill("(1.0, 1, 1), (1, 1, 2), (2.5, 1, 3), (2, 2, 4)"))
    every_verb("real keys (1.0 and 1 are one group to SQLite: it falls back)", 0, 0);
  if (fill("(3, 1, 'b'), (3, 1, 'a'), (1, 2, x'00'), (1, 2, 'z'), (2, 1, 5), (2, 1, 5.5)"))
    every_verb("min and max over text, blobs and mixed numbers", 1, 0);
  if (sqlite3_exec(db,
                   "drop table if exists t; create table t(k, j, v); "
                   "with recursive c(i) as (select 1 union all select i + 1 from c limit 5000) "
                   "insert into t select (i * 7919) % 1000, 'g' || (i % 3), i from c",
                   NULL, NULL, NULL) == SQLITE_OK) {
    every_verb("a thousand groups: the hash table grows", 0, 0);
    every_verb("a thousand groups: the hash table grows", 1, 0);
  } else {
    CHECK(0, sqlite3_errmsg(db));
  }
  sqlite3_close(db);
  return unit_done();
}
