/*
** export.h: a table's rows as CSV, TSV or JSON, from the statement to a file.
*/
#ifndef ZB_EXPORT_H
#define ZB_EXPORT_H

#include "lua.h"

/* zb.core.export_rows(file, mode, sql, params, header): the rows of sql
** written to an open Lua file as mode ("csv", "tsv", "json") writes them;
** true, or nil and why a write failed. */
int export_l_rows(lua_State *L);

/* zb.core.json_infinite(row, column, x): why JSON refuses x, an infinite
** real, at row and column: the text the exporter raises. */
int export_l_json_infinite(lua_State *L);

#endif
