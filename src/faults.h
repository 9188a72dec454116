/*
** faults.h: out-of-memory injection for the tests (ZB_FAIL_ALLOC=N): from
** the Nth allocation on, every allocation by Lua and by SQLite fails, so
** that each path through loading, querying and rendering meets it.
*/
#ifndef ZB_FAULTS_H
#define ZB_FAULTS_H

/* Read ZB_FAIL_ALLOC and wrap SQLite's allocator (before sqlite3_initialize);
** returns whether injection is on. */
int faults_from_env(void);

/* Count one allocation; 0 when it must fail. */
int faults_allocate(void);

#endif
