/*
** biff.h: the cells of an .xls sheet that libfreexl does not give as they
** are, read from the workbook's BIFF records.  Plain C, as workbook.c.
*/
#ifndef ZB_BIFF_H
#define ZB_BIFF_H

#include <stddef.h>

/* A BOOLERR or FORMULA cell, or a number the reader keeps (biff_keeps): kind
** is workbook.h's CELL_NUMBER (number),
** CELL_TEXT (text[0..len) of the sheet's text), CELL_BOOLEAN (number 0 or
** 1), CELL_ERROR (text: "#DIV/0!" and the like) or 0 (an empty result);
** xf its cell format. */
typedef struct biff_cell {
  unsigned row, col, xf;
  int kind;
  double number;
  size_t text, len;
} biff_cell;

/* A number format the workbook defines (FORMAT): its id and its code with
** every character outside ASCII as a space (enough to tell a date). */
typedef struct biff_format {
  unsigned id;
  char code[256];
} biff_format;

struct biff_sheet;

/* Whether a number in cell format xf is kept with the special cells (the
** reader's choice: a date's, whose serial libfreexl turns into text). */
typedef int (*biff_keeps)(const struct biff_sheet *b, unsigned xf);

typedef struct biff_sheet {
  biff_cell *cells;  /* in the order of the rows, then columns */
  size_t ncells, cells_cap;
  char *text;
  size_t text_len, text_cap;
  unsigned *xf_format;  /* each cell format's (XF's) number format id */
  size_t nxf, xf_cap;
  biff_format *formats;
  size_t nformats, formats_cap;
  int date1904;
  biff_keeps keeps;
  int *merges;  /* the sheet's merged ranges (MERGEDCELLS): first column, first row, last column, last
                ** row each, columns from 0 and rows from 1, as workbook.c keeps an .xlsx's */
  size_t nmerges, merges_cap;
} biff_sheet;

/* Open libgsf now (workbook_open_libraries does); NULL, or why not. */
const char *biff_open_library(void);

/* Read into *out (zeroed first) the BOOLERR and FORMULA cells of sheet
** (from 0, in the order the workbook lists its sheets, as libfreexl counts
** them) of the .xls at path, the numbers keeps wants (NUMBER, RK, MULRK)
** and the workbook's formats.  NULL, or why not (in why, or static); *out
** is to be freed by biff_free either way. */
const char *biff_read(const char *path, int sheet, biff_keeps keeps, biff_sheet *out, char *why, size_t size);

/* The cell at row, col (from 0) or NULL; *next is where the search starts
** (from 0), for a reader going through the rows in order. */
const biff_cell *biff_find(const biff_sheet *b, unsigned row, unsigned col, size_t *next);

void biff_free(biff_sheet *b);

#endif
