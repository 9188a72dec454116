/*
** scan.h: what the C paths beside SQLite's own (zb_group, zb_rank) share:
** the read-only scan they run, the values they keep, and keys hashed and
** compared as SQLite compares them under the binary collation.
*/
#ifndef ZB_SCAN_H
#define ZB_SCAN_H

#include <stdint.h>

#include <sqlite3.h>
#include "value.h"

/* A value kept (a key, a min or max so far, a ranked value), its bytes its own. */
typedef struct cell {
  zb_value v;
  char *owned;
} cell;

/* Keep v in c (replacing what c held), its bytes copied. */
int cell_set(cell *c, const zb_value *v);

/* SQLite's allocator throughout: --max-memory and the fault tests reach it. */
void *scan_zeroed(size_t n);

/* An open-addressed hash table's cap slots (each NULL or a pointer to a
** struct whose first member is its uint64_t hash) rehashed into twice as
** many (first when there are none); the old ones freed.  NULL when out of
** memory (the old ones kept). */
void *scan_rehash(void *slots, size_t *cap, size_t first);

/* SQLite's order of two values under the binary collation: NULL, numbers
** (integers and reals compared exactly), text, blobs by their bytes. */
int scan_compare(const zb_value *a, const zb_value *b);

/* How keys hash and compare when one is a real: refused (*refused set:
** the caller hands the work to SQLite), by its bits (keys looked up only
** ever again exactly), or as the number it is (1.0 and 1 one key, as to
** SQLite's GROUP BY and PARTITION BY). */
enum { SCAN_REALS_REFUSED, SCAN_REALS_BY_BITS, SCAN_REALS_AS_NUMBERS };

/* The hash of n key values. */
uint64_t scan_hash(const zb_value *keys, int n, int reals, int *refused);

/* Whether n kept cells hold the same keys as keys. */
int scan_same(const cell *cells, const zb_value *keys, int n, int reals);

/* array (of cap elements of size each, n used) with room for one more:
** itself, or grown (*cap then the new capacity), or NULL. */
void *scan_room(void *array, size_t *cap, size_t n, size_t size);

/* A number of a scan and the row (of those kept) it is in. */
typedef struct placed {
  double value;
  size_t row;
} placed;

/* Sort n placed numbers ascending. */
void scan_sort_placed(placed *a, size_t n);

/* Prepare sql, which must be one statement that only reads, with params
** bound; on failure *err is a message (sqlite3_free it) naming who. */
int scan_prepare(sqlite3 *db, const char *who, const char *sql, int nparams, sqlite3_value **params,
                 sqlite3_stmt **stmt, char **err);

/* Whether the scan's columns in compared (a bit a column, the first 64)
** compare as bytes: one declared with another collation, or an expression
** whose collation cannot be seen, does not. */
int scan_binary_collations(sqlite3 *db, sqlite3_stmt *stmt, uint64_t compared);

/* A hash table of entries by their keys: each entry a struct whose first
** member is its uint64_t hash and which holds its n keys as cells at
** keys_at bytes in. */
typedef struct scan_table {
  void **slots;
  size_t n, cap;
} scan_table;

/* The entry of keys in t, made (size bytes and the keys' cells, zeroed,
** the keys copied) when make is set and it is new; NULL when there is none,
** or with *rc set, or with *refused set for a real key under
** SCAN_REALS_REFUSED. */
void *scan_find(scan_table *t, const zb_value *keys, int n, int reals, size_t size, size_t keys_at, int make,
                int *refused, int *rc);

/* A function's state over its scan, built at the statement's first row
** (argv[0] the scan) and kept as argument 0's auxiliary data until the
** statement ends: the state, *built set when new (keep it with scan_keep
** once done with the row), or NULL with ctx's error set (who nested more
** than 8 deep: a scan that calls its own function through a parameter). */
typedef void *(*scan_build)(sqlite3 *db, int argc, sqlite3_value **argv, char **err, int *rc);
void *scan_state(sqlite3_context *ctx, int argc, sqlite3_value **argv, const char *who, scan_build build, int *built);

/* Keep state, when built, for the statement's next rows. */
void scan_keep(sqlite3_context *ctx, void *state, int built, void (*destroy)(void *));

/* Create fn, which builds its state with scan_state, as the SQL function
** name (any number of arguments; never run from a schema) on db. */
int scan_create_function(sqlite3 *db, const char *name, void (*fn)(sqlite3_context *, int, sqlite3_value **));

#endif
