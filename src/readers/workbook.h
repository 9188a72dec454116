/*
** workbook.h: the sheets of an Excel workbook as rows of cells, .xlsx
** (libzip and expat: the sheet's XML streamed out of the archive) and .xls
** (libfreexl).  Plain C with no Lua and no SQLite: problems come back as
** messages, never as a jump.  The libraries are opened at first use.
*/
#ifndef ZB_WORKBOOK_H
#define ZB_WORKBOOK_H

#include <stddef.h>

/* What a cell holds: its text is the number as the file writes it, the
** string, "1" or "0", the error ("#DIV/0!"), or a date as ISO text
** ("2021-03-31", "2021-03-31 12:00:00", "12:00:00"). */
enum { CELL_NUMBER = 1, CELL_TEXT, CELL_BOOLEAN, CELL_ERROR, CELL_DATE };

typedef struct sheet_cell {
  int col;        /* from 0 (column A) */
  int kind;       /* CELL_NUMBER ... CELL_DATE */
  const char *s;  /* valid until the row function returns */
  size_t len;
} sheet_cell;

/* Called for each row that holds a cell, in order; row from 1.  A nonzero
** return stops the rows there. */
typedef int (*sheet_row_fn)(void *ud, int row, const sheet_cell *cells, int n);

typedef struct workbook workbook;

/* Open libzip, expat and libfreexl now (--safe does, before the kernel's
** sandbox closes their files); NULL, or why not. */
const char *workbook_open_libraries(void);

/* Open the workbook at path, an .xlsx or an .xls by its first bytes
** whatever its name.  NULL and *out set, or a message (in why, or static)
** saying what the file is instead. */
const char *workbook_open(const char *path, workbook **out, char *why, size_t size);

void workbook_close(workbook *wb);

/* "xlsx" or "xls". */
const char *workbook_format(const workbook *wb);

int workbook_sheet_count(const workbook *wb);

/* Sheet i's name (from 0). */
const char *workbook_sheet_name(const workbook *wb, int i);

/* Pass sheet i's rows to fn, streamed; NULL when all were passed or fn
** stopped them, else a message (in why, or static). */
const char *workbook_rows(workbook *wb, int i, sheet_row_fn fn, void *ud, char *why, size_t size);

/* The merged ranges of the sheet last streamed whole (.xlsx; an .xls has
** none): *ranges points at four numbers each, first column (from 0), first
** row, last column, last row. */
int workbook_merges(const workbook *wb, const int **ranges);

/* Write column col's letters (0: "A") into out, which holds 8 bytes. */
void workbook_column_name(int col, char *out);

#endif
