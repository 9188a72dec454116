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

#endif
