/*
** xlsx_part.h: one part of an .xlsx written again, through the libzip
** that reads workbooks (workbook.c): for what libxlsxwriter cannot write as
** it should.  Apart from workbook.h, whose names libxlsxwriter's share.
*/
#ifndef ZB_XLSX_PART_H
#define ZB_XLSX_PART_H

#include <stddef.h>

/* Makes of the text of a part (len bytes) a new one (*out, malloc'd, of
** *out_len bytes), or leaves *out NULL for no change; NULL or why not. */
typedef const char *(*workbook_rewriter)(void *ud, const char *text, size_t len, char **out, size_t *out_len);

/* Replace part name (xl/worksheets/sheet1.xml) of the .xlsx at path by
** what fn makes of it.  NULL, or why not (in why, or static). */
const char *workbook_rewrite_part(const char *path, const char *name, workbook_rewriter fn, void *ud, char *why,
                                  size_t size);

#endif
