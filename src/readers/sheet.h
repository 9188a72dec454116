/*
** sheet.h: zb.read_xlsx's C half, a sheet of an Excel workbook (.xlsx or
** .xls: workbook.c) into a new table of the session database.
*/
#ifndef ZB_SHEET_H
#define ZB_SHEET_H

#include "lua.h"

/* zb.core.xlsx_sheets(path) -> the sheets' names, the format ("xlsx", "xls") */
int sheet_l_sheets(lua_State *L);

/* zb.core.xlsx_head(path, sheet, range) -> the sheet's name, its first rows
** that hold a value ({row = N, [column] = value}), the range's first column */
int sheet_l_head(lua_State *L);

/* zb.core.xlsx_load(path, sheet, spec) -> rows loaded, notes, columns of
** periods, where the rows are in the sheet (runs: first row, its row ...) */
int sheet_l_load(lua_State *L);

#endif
