/*
** csv.h: loading CSV files into the session database.
*/
#ifndef ZB_CSV_H
#define ZB_CSV_H

#include "lua.h"

/* zb.read_csv(path [, opts]) -> table name, rows loaded, notes, columns
** of periods, where the rows are in the file (runs: first row, its line ...) */
int csv_read(lua_State *L);

/* zb.core.missing_number(text): whether text spells a missing value in a
** column of numbers ('', 'NA', 'N/A', '…' ...), so that read_json reads
** them as read_csv does. */
int csv_missing_number(lua_State *L);

/* zb.core.to_gb18030(s) -> s as GB18030, for writing files in it; raises
** at bytes it cannot convert. */
int csv_to_gb18030(lua_State *L);

#endif
