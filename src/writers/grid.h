/*
** grid.h: every row of a table printed as a box or a markdown table.
*/
#ifndef ZB_GRID_H
#define ZB_GRID_H

#include "lua.h"

/* zb.core.print_rows(file, mode, sql, params, headers, precision): the
** rows of sql written to an open Lua file as a box or markdown table, in
** constant memory (two passes over the query); true, or nil and why a
** write failed. */
int grid_l_print(lua_State *L);

#endif
