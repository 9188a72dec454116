/*
** test_schema.c: the schema scan (schema.c) on real SQLite databases: a
** CHECK constraint, a generated column or an index that calls a function
** is found, through the database's own connection and through one of the
** scan's own (a file); a schema that calls none, or names one only in a
** string, a view or a comment, is not; each connection the scan opens is
** hardened first.
*/
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <sqlite3.h>

#include "schema.h"
#include "unit.h"

static int hardened;  /* connections the scan gave to harden */

static void count_harden(sqlite3 *db) {
  (void)db;
  hardened++;
}

/* zb's stand-in: a function SQLite's own connections lack. */
static void twice(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  sqlite3_result_int64(ctx, 2 * sqlite3_value_int64(argv[0]));
}

/* A connection to path with twice() defined and ddl run; NULL (a failed
** check) if either fails. */
static sqlite3 *open_with(const char *path, const char *ddl) {
  sqlite3 *db = NULL;
  if (sqlite3_open(path, &db) != SQLITE_OK ||
      sqlite3_create_function(db, "twice", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, twice, NULL, NULL) !=
        SQLITE_OK ||
      sqlite3_exec(db, ddl, NULL, NULL, NULL) != SQLITE_OK) {
    CHECK(0, db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_close(db);
    return NULL;
  }
  return db;
}

/* schema_calls on main of an in-memory database made by ddl, through its
** own connection; -2 when it could not be made. */
static int verdict_of(const char *ddl, const char *name, schema_call *call) {
  sqlite3 *db = open_with(":memory:", ddl);
  int verdict;
  if (db == NULL) return -2;
  verdict = schema_calls(db, "main", name, SCHEMA_THROUGH_DB, count_harden, call);
  sqlite3_close(db);
  return verdict;
}

static void finds_calls(void) {
  schema_call call;
  hardened = 0;
  CHECK(verdict_of("create table t(x check (twice(x) > 0))", "twice", &call) == 1,
        "a CHECK constraint that calls the function is found");
  CHECK_STR(call.object, "table t", "... and named");
  CHECK_STR(call.function, "twice", "... with the function it calls");
  CHECK(hardened > 0, "the scan's replay connection is hardened");
  CHECK(verdict_of("create table t(x); create index i on t(twice(x))", "twice", &call) == 1,
        "an index on an expression that calls it is found");
  CHECK_STR(call.object, "index i", "... and named as the index");
  CHECK(verdict_of("create table g(x, y as (twice(x)))", "twice", &call) == 1, "a generated column that calls it is found");
  CHECK(verdict_of("create table t(x); create index p on t(x) where twice(x) > 1", "twice", &call) == 1,
        "a partial index whose WHERE calls it is found");
  CHECK(verdict_of("create table t(x check (TWICE(x) > 0))", "twice", &call) == 1,
        "a call in another case is found, as SQLite matches names");
  CHECK(verdict_of("create table t(x check (twice(x) > 0))", NULL, &call) == 1,
        "with no name, any function SQLite's own connections lack is looked for");
  CHECK_STR(call.function, "twice", "... and the one called is named");
}

static void finds_none(void) {
  schema_call call;
  CHECK(verdict_of("create table t(x check (abs(x) > 0))", "twice", &call) == 0,
        "a CHECK that calls only SQLite's functions is not found");
  CHECK(verdict_of("create table t(x check (x <> 'twice(1)'))", "twice", &call) == 0,
        "the name in a string literal is not a call");
  CHECK(verdict_of("create table t(x /* twice(x) */ check (x > 0))", "twice", &call) == 0,
        "the name in a comment is not a call");
  CHECK(verdict_of("create table t(x); create view v as select twice(x) from t", "twice", &call) == 0,
        "a view is not looked into (SQLite refuses zb's functions there itself)");
  CHECK(verdict_of("create table t(x check (twice(x) > 0))", "thrice", &call) == 0,
        "a call of another function is not taken for the one looked for");
  CHECK(verdict_of("create table t(x)", NULL, &call) == 0, "a plain table calls nothing");
}

/* A file attached to an in-memory database: read through a connection of
** the scan's own, and found among the files open. */
static void reads_files(void) {
  char path[] = "/tmp/zb-test-schema-XXXXXX";
  int fd = mkstemp(path);
  sqlite3 *file, *db;
  schema_call call;
  char attach[300];
  if (fd < 0) {
    CHECK(0, "a temporary file");
    return;
  }
  close(fd);
  if ((file = open_with(path, "create table t(x check (twice(x) > 0))")) == NULL) return;
  sqlite3_close(file);
  snprintf(attach, sizeof attach, "attach '%s' as f", path);
  if ((db = open_with(":memory:", attach)) != NULL) {
    hardened = 0;
    CHECK(schema_calls(db, "f", "twice", SCHEMA_OWN_CONNECTION, count_harden, &call) == 1,
          "a file's schema read through the scan's own connection");
    CHECK(hardened >= 2, "that connection and the replay's are hardened");
    CHECK_STR(call.schema, "f", "... named by its schema");
    CHECK_STR(call.path, path, "... and its file");
    CHECK(schema_calls_in_files(db, "twice", SCHEMA_THROUGH_DB, count_harden, &call) == 1,
          "found among the files open, main in memory passed over");
    CHECK_STR(call.schema, "f", "... the attached one");
    CHECK(schema_calls_in_files(db, "thrice", SCHEMA_OWN_CONNECTION, count_harden, &call) == 0,
          "no file calls another function");
    sqlite3_close(db);
  }
  remove(path);
}

int main(void) {
  finds_calls();
  finds_none();
  reads_files();
  return unit_done();
}
