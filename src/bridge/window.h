/*
** window.h: zb_rank, the rank within partitions that t:rank computes by
** hashing the partitions, where SQLite's window would sort every row.
*/
#ifndef ZB_WINDOW_H
#define ZB_WINDOW_H

#include <sqlite3.h>

/* Create the zb_rank function on db. */
int window_register(sqlite3 *db);

#endif
