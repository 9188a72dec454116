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

/* The hash of n key values.  With real given, 0 and *real set when one is
** a real (1.0 and 1 are one key to SQLite, which a hash of the bytes
** would keep apart); without, reals are hashed by their bits, for keys
** only ever looked up again exactly. */
uint64_t scan_hash(const zb_value *keys, int n, int *real);

/* Whether n kept cells hold the same values as keys, bit for bit. */
int scan_same(const cell *cells, const zb_value *keys, int n);

/* Prepare sql, which must be one statement that only reads, with params
** bound; on failure *err is a message (sqlite3_free it) naming who. */
int scan_prepare(sqlite3 *db, const char *who, const char *sql, int nparams, sqlite3_value **params,
                 sqlite3_stmt **stmt, char **err);

/* Whether the scan's columns in compared (a bit a column, the first 64)
** compare as bytes: one declared with another collation, or an expression
** whose collation cannot be seen, does not. */
int scan_binary_collations(sqlite3 *db, sqlite3_stmt *stmt, uint64_t compared);

#endif
