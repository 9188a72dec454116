/*
** xlsx.h: tables into an Excel workbook (libxlsxwriter).
*/
#ifndef ZB_XLSX_H
#define ZB_XLSX_H

#include "lua.h"

/* zb.core.xlsx_write(path, sheets): write the workbook at path (a file
** the caller renames into place).  sheets: {name =, header = {...}, rows =
** function returning a row's cells or nil, notes = {...}, formats = {Excel
** number format by column}} each. */
int xlsx_l_write(lua_State *L);

/* Open libxlsxwriter now, which xlsx_l_write does at its first use (a
** safe session does it before the kernel's sandbox closes the library's
** files); NULL, or why it cannot. */
const char *xlsx_open(void);

#endif
