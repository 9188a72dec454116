/*
** csv.h: loading CSV files into the session database.
*/
#ifndef ZB_CSV_H
#define ZB_CSV_H

#include "lua.h"

/* zb.read_csv(path [, opts]) -> table name, rows loaded */
int csv_read(lua_State *L);

#endif
