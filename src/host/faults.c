/*
** faults.c: allocations that run out at the Nth (ZB_FAIL_ALLOC=N), for the
** tests that sweep N over a script: SQLite's allocator wrapped here, Lua's
** through the host's budget allocator, one count for both (or for one of
** them: ZB_FAIL_ALLOC_ONLY=lua or sqlite).  ZB_FAIL_ALLOC_COUNT=K fails
** only K allocations from the Nth, for the tests that work must go on after.
*/
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "faults.h"

/* File-scope: SQLite's allocator hooks (sqlite3_mem_methods) get no
** context, and it and the count are the process's, set once from the
** environment before any session. */
static long long remaining = -1;  /* allocations left; -1: no injection */
static long long failures = -1;   /* failures left once remaining is 0; -1: all from then on */
static int only = -1;             /* ZB_FAIL_ALLOC_ONLY: FAULTS_LUA or FAULTS_SQLITE, -1 both */
static sqlite3_mem_methods sqlite_own;

int faults_allocate(int who) {
  if (remaining < 0 || (only >= 0 && who != only)) return 1;
  if (remaining == 0) {
    if (failures < 0) return 0;
    if (failures > 0) return failures--, 0;
    remaining = -1;  /* the failures are over */
    return 1;
  }
  remaining--;
  return 1;
}

static void *fault_malloc(int n) {
  return faults_allocate(FAULTS_SQLITE) ? sqlite_own.xMalloc(n) : NULL;
}

static void *fault_realloc(void *p, int n) {
  return faults_allocate(FAULTS_SQLITE) ? sqlite_own.xRealloc(p, n) : NULL;
}

int faults_from_env(void) {
  const char *n = getenv("ZB_FAIL_ALLOC"), *who = getenv("ZB_FAIL_ALLOC_ONLY"), *count = getenv("ZB_FAIL_ALLOC_COUNT");
  sqlite3_mem_methods wrapped;
  if (n == NULL || *n == '\0') return 0;
  if (who != NULL && strcmp(who, "lua") == 0) only = FAULTS_LUA;
  if (who != NULL && strcmp(who, "sqlite") == 0) only = FAULTS_SQLITE;
  remaining = atoll(n);
  if (remaining < 0) remaining = 0;
  if (count != NULL && *count != '\0' && (failures = atoll(count)) < 0) failures = 0;
  sqlite3_config(SQLITE_CONFIG_GETMALLOC, &sqlite_own);
  wrapped = sqlite_own;
  wrapped.xMalloc = fault_malloc;
  wrapped.xRealloc = fault_realloc;
  sqlite3_config(SQLITE_CONFIG_MALLOC, &wrapped);
  return 1;
}
