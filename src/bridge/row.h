/*
** row.h: zb.Row, one result row: a copy of its values, read by position
** (r[1]) or by column name (r.value), in constant memory per row.
*/
#ifndef ZB_ROW_H
#define ZB_ROW_H

#include <sqlite3.h>
#include "lua.h"

#include "value.h"

/* Push a row holding the current row of stmt, or (stmt NULL) the n values;
** names_idx holds the column names table {name = position, [position] = name},
** meta_idx the zb.Row metatable (kept at hand: rows are made by the million). */
void row_push(lua_State *L, int names_idx, int meta_idx, sqlite3_stmt *stmt, int n,
              sqlite3_value **values);

/* Push a row holding copies of the n values cells (their bytes copied;
** cells itself is not changed). */
void row_push_cells(lua_State *L, int names_idx, int meta_idx, zb_value *cells, int n);

/* Register the zb.Row metatable; leaves it on the stack. */
void row_open_library(lua_State *L);

#endif
