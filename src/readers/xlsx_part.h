/*
** xlsx_part.h: numbers of an .xlsx written again, through the libzip that
** reads workbooks (workbook.c): libxlsxwriter writes 16 significant
** digits, which do not give every double back.  Apart from workbook.h,
** whose names libxlsxwriter's share.
*/
#ifndef ZB_XLSX_PART_H
#define ZB_XLSX_PART_H

#include <stddef.h>

/* A cell's number as the text to write: its sheet from 1, row and column from 0. */
typedef struct xlsx_number {
  int sheet;
  unsigned row, col;
  char text[32];
} xlsx_number;

/* Write the <v> of each cell of numbers[0..n) again as its text in the
** .xlsx at path (numbers in the order the sheets hold them: by sheet, row,
** column), each sheet's part replaced, the archive closed once.  NULL, or
** why not (in why, or static). */
const char *workbook_set_numbers(const char *path, const xlsx_number *numbers, size_t n, char *why, size_t size);

#endif
