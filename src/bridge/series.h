/*
** series.h: zb_shifted, the value a number of periods before a row's in
** its series (lag, lead, yoy, pop) found by hashing the series, where
** SQLite's window would sort every row.
*/
#ifndef ZB_SERIES_H
#define ZB_SERIES_H

#include <sqlite3.h>

/* Create the zb_shifted function on db. */
int series_register(sqlite3 *db);

#endif
