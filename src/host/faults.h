/*
** faults.h: out-of-memory injection for the tests (ZB_FAIL_ALLOC=N): from
** the Nth allocation on, every allocation by Lua and by SQLite (or only
** one of them: ZB_FAIL_ALLOC_ONLY=lua or sqlite) fails, so
** that each path through loading, querying and rendering meets it; with
** ZB_FAIL_ALLOC_COUNT=K only K of them fail, and the work goes on.
*/
#ifndef ZB_FAULTS_H
#define ZB_FAULTS_H

/* Read ZB_FAIL_ALLOC and wrap SQLite's allocator (before sqlite3_initialize);
** returns whether injection is on. */
int faults_from_env(void);

/* Count one allocation by who (FAULTS_LUA or FAULTS_SQLITE); 0 when it must fail. */
enum { FAULTS_LUA, FAULTS_SQLITE };
int faults_allocate(int who);

#endif
