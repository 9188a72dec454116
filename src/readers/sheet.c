/*
** sheet.c: zb.read_xlsx's C half, a sheet of an Excel workbook into a new
** table of the session database.  lua/zb/loaders/read_xlsx.lua reads the
** sheet's first rows (xlsx_head) and decides where the header is; then
** xlsx_load streams the sheet twice, as read_csv reads a file: once to
** type each column (csv_widen, on each cell's text: the CSV reader's
** inference and missing values), once to insert, in one savepoint.  The
** row functions run inside expat's callbacks, so they never raise: a
** problem is kept with its cell and raised once the stream has ended.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lua.h"
#include "lauxlib.h"

#include "box.h"
#include "csv.h"
#include "csv_reader.h"
#include "db.h"
#include "paths.h"
#include "sheet.h"
#include "workbook.h"

#define ZB_WORKBOOK_READER "zb.WorkbookReader"
#define HEAD_ROWS 100  /* rows read to find the header */
#define ERROR_NOTES 20  /* error cells named in the notes; those after are counted */

typedef struct reader_box {
  workbook *wb;
} reader_box;

static int l_reader_close(lua_State *L) {
  reader_box *box = (reader_box *)luaL_checkudata(L, 1, ZB_WORKBOOK_READER);
  workbook_close(box->wb);
  box->wb = NULL;
  return 0;
}

/* Push a box holding the workbook at path, open. */
static workbook *push_workbook(lua_State *L, const char *path) {
  char why[512];
  const char *problem;
  reader_box *box;
  if (!paths_allowed(path, 0)) luaL_error(L, "cannot open %s: %s", path, paths_why_not(path, 0));
  box = (reader_box *)box_push(L, sizeof *box, ZB_WORKBOOK_READER, l_reader_close);
  problem = workbook_open(path, &box->wb, why, sizeof why);
  if (problem != NULL) luaL_error(L, "%s: %s", path, problem);
  if (box->wb == NULL) luaL_error(L, "cannot open %s: %s", path, strerror(errno));
  return box->wb;
}

/* The sheet that the argument at idx names (a name, or a number from 1;
** nil: the first), from 0.  Raises, listing the sheets, when none is. */
static int find_sheet(lua_State *L, workbook *wb, const char *path, int idx) {
  int i, n = workbook_sheet_count(wb);
  const char *quote;
  luaL_Buffer b;
  if (lua_isnoneornil(L, idx)) return 0;
  if (lua_type(L, idx) == LUA_TNUMBER) {
    lua_Integer k = lua_isinteger(L, idx) ? lua_tointeger(L, idx) : 0;
    if (k >= 1 && k <= n) return (int)k - 1;
  } else if (lua_type(L, idx) == LUA_TSTRING) {
    for (i = 0; i < n; i++)
      if (strcmp(workbook_sheet_name(wb, i), lua_tostring(L, idx)) == 0) return i;
  } else {
    luaL_error(L, "read_xlsx: option 'sheet' must be a name or a number, not a %s", luaL_typename(L, idx));
  }
  luaL_buffinit(L, &b);
  for (i = 0; i < n; i++) {
    if (i > 0) luaL_addstring(&b, ", ");
    luaL_addstring(&b, workbook_sheet_name(wb, i));
  }
  luaL_pushresult(&b);
  quote = lua_type(L, idx) == LUA_TSTRING ? "'" : "";
  return luaL_error(L, "%s: no sheet %s%s%s (the workbook's %d: %s)", path, quote, lua_tostring(L, idx), quote, n,
                    lua_tostring(L, -1));
}

/* zb.core.xlsx_sheets(path) -> the sheets' names, the format ("xlsx", "xls") */
int sheet_l_sheets(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  workbook *wb = push_workbook(L, path);
  int i, n = workbook_sheet_count(wb);
  lua_createtable(L, n, 0);
  for (i = 0; i < n; i++) {
    lua_pushstring(L, workbook_sheet_name(wb, i));
    lua_rawseti(L, -2, i + 1);
  }
  lua_pushstring(L, workbook_format(wb));
  return 2;
}

/* The cells read: the range "B3:H40" ("B3:H" and "B3" run to the end). */
typedef struct range {
  int col0, col1, row0, row1;  /* col1, row1 0: no end */
} range;

static int parse_ref(const char *s, const char **end, int *col, int *row) {
  int c = 0, letters = 0, r = 0;
  for (; *s >= 'A' && *s <= 'Z' && letters < 3; s++, letters++) c = c * 26 + (*s - 'A' + 1);
  if (letters == 0) return 0;
  *col = c - 1;
  for (; *s >= '0' && *s <= '9' && r < 10000000; s++) r = r * 10 + (*s - '0');
  *row = r;
  *end = s;
  return 1;
}

static void read_range(lua_State *L, const char *s, range *rg) {
  const char *p = s;
  int row;
  rg->col0 = rg->row0 = rg->col1 = rg->row1 = 0;
  rg->row0 = 1;
  if (s == NULL) return;
  if (!parse_ref(p, &p, &rg->col0, &rg->row0) || rg->row0 < 1) goto bad;
  if (*p == ':') {
    if (!parse_ref(p + 1, &p, &rg->col1, &row)) goto bad;
    rg->col1++;
    rg->row1 = row;
    if (rg->col1 <= rg->col0 || (row != 0 && row < rg->row0)) goto bad;
  }
  if (*p == '\0') return;
bad:
  luaL_error(L, "read_xlsx: option 'range' must be cells in A1 form, as \"B3:H40\" (or \"B3:H\", \"B3\"), not \"%s\"", s);
}

/* Whether cell c of row is inside the range. */
static int in_range(const range *rg, int row, int col) {
  return row >= rg->row0 && (rg->row1 == 0 || row <= rg->row1) && col >= rg->col0 && (rg->col1 == 0 || col < rg->col1);
}

/* ---- the first rows ---- */

/* The first rows, kept by keep_row (which runs inside expat's callback,
** so it cannot raise) and pushed once the stream has stopped. */
typedef struct head {
  char *kept;  /* each row: its number, its cells' count, then each cell's column, kind, length and text */
  size_t len, cap;
  int count, failed;
  range rg;
} head;

static int l_head_close(lua_State *L) {
  head *h = (head *)luaL_checkudata(L, 1, "zb.SheetHead");
  free(h->kept);
  h->kept = NULL;
  return 0;
}

static int keep(head *h, const void *p, size_t n) {
  if (h->len + n > h->cap) {
    size_t cap = (h->len + n) * 2 + 4096;
    char *grown = (char *)realloc(h->kept, cap);
    if (grown == NULL) return 0;
    h->kept = grown;
    h->cap = cap;
  }
  memcpy(h->kept + h->len, p, n);
  h->len += n;
  return 1;
}

/* Keep the row's cells in the range; stop after HEAD_ROWS rows. */
static int keep_row(void *ud, int row, const sheet_cell *cells, int n) {
  head *h = (head *)ud;
  int i, inside = 0;
  for (i = 0; i < n; i++) inside += in_range(&h->rg, row, cells[i].col);
  if (inside == 0) return h->rg.row1 != 0 && row > h->rg.row1;
  if (!keep(h, &row, sizeof row) || !keep(h, &inside, sizeof inside)) return h->failed = 1;
  for (i = 0; i < n; i++) {
    const sheet_cell *c = &cells[i];
    if (!in_range(&h->rg, row, c->col)) continue;
    if (!keep(h, &c->col, sizeof c->col) || !keep(h, &c->kind, sizeof c->kind) || !keep(h, &c->len, sizeof c->len) ||
        !keep(h, c->s, c->len))
      return h->failed = 1;
  }
  return ++h->count >= HEAD_ROWS;
}

/* Push a cell as Lua reads it: a number, text or a boolean (an error as
** its text). */
static void push_cell(lua_State *L, const sheet_cell *c) {
  static const csv_values plain;
  csv_number n;
  if (c->kind == CELL_NUMBER) {
    int t = csv_classify(&plain, c->s, c->len, &n);
    if (t == CSV_INTEGER) lua_pushinteger(L, n.i);
    else if (t == CSV_REAL) lua_pushnumber(L, n.d);
    else lua_pushlstring(L, c->s, c->len);
  } else if (c->kind == CELL_BOOLEAN) lua_pushboolean(L, c->len == 1 && c->s[0] == '1');
  else lua_pushlstring(L, c->s, c->len);
}

/* Push the rows kept, a list of {row = N, [column from the range's first] = value}. */
static void push_rows(lua_State *L, const head *h) {
  size_t at = 0;
  int k, i, row, n;
  lua_createtable(L, h->count, 0);
  for (k = 1; k <= h->count; k++) {
    memcpy(&row, h->kept + at, sizeof row), at += sizeof row;
    memcpy(&n, h->kept + at, sizeof n), at += sizeof n;
    lua_createtable(L, n, 1);
    lua_pushinteger(L, row);
    lua_setfield(L, -2, "row");
    for (i = 0; i < n; i++) {
      sheet_cell c;
      memcpy(&c.col, h->kept + at, sizeof c.col), at += sizeof c.col;
      memcpy(&c.kind, h->kept + at, sizeof c.kind), at += sizeof c.kind;
      memcpy(&c.len, h->kept + at, sizeof c.len), at += sizeof c.len;
      c.s = h->kept + at, at += c.len;
      push_cell(L, &c);
      lua_rawseti(L, -2, c.col - h->rg.col0 + 1);
    }
    lua_rawseti(L, -2, k);
  }
}

/* zb.core.xlsx_head(path, sheet, range) -> the sheet's name, its first
** rows that hold a value (up to HEAD_ROWS: {row = N, [column] = value},
** columns counted from the range's first), the range's first column */
int sheet_l_head(lua_State *L) {
  const char *path = luaL_checkstring(L, 1), *problem;
  char why[512];
  workbook *wb;
  head *h;
  int sheet;
  h = (head *)box_push(L, sizeof *h, "zb.SheetHead", l_head_close);
  read_range(L, luaL_optstring(L, 3, NULL), &h->rg);
  wb = push_workbook(L, path);
  sheet = find_sheet(L, wb, path, 2);
  if ((problem = workbook_rows(wb, sheet, keep_row, h, why, sizeof why)) != NULL)
    return luaL_error(L, "%s [%s]: %s", path, workbook_sheet_name(wb, sheet), problem);
  if (h->failed) return luaL_error(L, "not enough memory");
  lua_pushstring(L, workbook_sheet_name(wb, sheet));
  push_rows(L, h);
  lua_pushinteger(L, h->rg.col0 + 1);
  return 3;
}

/* ---- the load ---- */

/* One-cell rows between rows of data, each right below the other, are
** headings of sections (一、经济) when data follow right below them: at
** most this many in a row. */
#define SECTIONS_MAX 16

/* What the two streams share: where the table is, its columns, and what
** went wrong (kept, as the row functions cannot raise). */
typedef struct pass {
  range rg;
  int first, last;       /* the rows of data: from first; to last (0: to the end) */
  int skip_footer;       /* rows below last, kept as notes */
  int footer_given;      /* whether the user said skip_footer (0 too): then rows of one cell are data */
  int report;            /* the sheet is laid out as a report: notes above the table */
  int ncols;
  csv_values values;
  int *types;
  char *frequencies;
  int footer;            /* the row the notes below the table start at (0: none yet) */
  int footer_rows;       /* the rows from footer on */
  int last_data;         /* the last row of data so far */
  int footer_end;        /* the last of the notes' rows, while each is right below the one before (else 0) */
  size_t footer_notes;   /* where in notes those rows' text starts */
  int section_col[SECTIONS_MAX];  /* the column of each of those rows' one cell */
  int note_row[SECTIONS_MAX], note_col[SECTIONS_MAX];  /* each row of the notes below, its cell's column */
  int note_rows;         /* how many of them (past SECTIONS_MAX: not known) */
  int short_row, short_col;  /* the first row of fewer cells than columns that made a column of numbers text ... */
  int short_rows;        /* ... and the rows from it on (0: none, or a row of data came after it) */
  char *numeric_before;  /* by column, whether it held numbers before short_row */
  char notes[16384];     /* those notes and the first error cells, each ending in NUL */
  size_t notes_len;
  int notes_dropped;     /* beyond the space of notes */
  int errors;            /* error cells met */
  int problem_row, problem_col;
  char problem[512];
  const sheet_cell **by_col;
  sqlite3_stmt *insert;  /* the second stream's */
  sqlite3 *db;
  int nrows;
  int *runs;             /* where the rows are: first row, its sheet row ... */
  int nruns, runs_cap, expected;
} pass;

/* Keep a note: the text of a row below the table, or (cell set) what an
** error cell held, for the first ERROR_NOTES of them.  Notes beyond the
** space kept are counted instead. */
static void add_note(pass *ps, const char *s, size_t len, const sheet_cell *cell, int row) {
  char name[8];
  size_t room = sizeof ps->notes - ps->notes_len;
  int n;
  if (cell != NULL && ++ps->errors > ERROR_NOTES) return;
  if (cell == NULL) n = snprintf(ps->notes + ps->notes_len, room, "%.*s", (int)len, s);
  else {
    workbook_column_name(cell->col, name);
    n = snprintf(ps->notes + ps->notes_len, room, "%s%d held %.*s, read as NULL", name, row, (int)len, s);
  }
  if (n > 0 && (size_t)n + 1 < room) ps->notes_len += (size_t)n + 1;
  else ps->notes_dropped++;
}

static int fail(pass *ps, int row, int col, const char *what) {
  ps->problem_row = row;
  ps->problem_col = col;
  snprintf(ps->problem, sizeof ps->problem, "%s", what);
  return 1;
}

/* Sort the row's cells in the range by column (ps->by_col); the number of
** them, or -1 after fail when one is right of the table. */
static int place_cells(pass *ps, int row, const sheet_cell *cells, int n) {
  int i, count = 0;
  for (i = 0; i < ps->ncols; i++) ps->by_col[i] = NULL;
  for (i = 0; i < n; i++) {
    int col = cells[i].col - ps->rg.col0;
    if (!in_range(&ps->rg, row, cells[i].col)) continue;
    if (col >= ps->ncols) {
      char what[128];
      snprintf(what, sizeof what, "a value right of the table, whose %d columns the header names: give range", ps->ncols);
      fail(ps, row, cells[i].col, what);
      return -1;
    }
    ps->by_col[col] = &cells[i];
    count++;
  }
  return count;
}

/* The row's cell at column i as a CSV field: an error cell is empty. */
static csv_field field_of(const sheet_cell *c) {
  csv_field f;
  f.escaped = 0;
  f.s = c && c->kind != CELL_ERROR ? c->s : "";
  f.len = c && c->kind != CELL_ERROR ? c->len : 0;
  return f;
}

/* Keep the cells of a row below the table (skip_footer's) as a note, apart
** by ", ". */
static void add_row_note(pass *ps, int row, const sheet_cell *cells, int n) {
  char text[1024];
  size_t len = 0;
  int i;
  for (i = 0; i < n && len < sizeof text; i++) {
    if (!in_range(&ps->rg, row, cells[i].col)) continue;
    len += (size_t)snprintf(text + len, sizeof text - len, "%s%.*s", len ? ", " : "", (int)cells[i].len, cells[i].s);
  }
  if (len > 0) add_note(ps, text, len < sizeof text ? len : sizeof text - 1, NULL, row);
}

/* Where the last ps->skip_footer rows begin: a ring of the latest rows. */
typedef struct tail {
  pass *ps;
  int *ring;
  int count;
} tail;

static int count_row(void *ud, int row, const sheet_cell *cells, int n) {
  tail *t = (tail *)ud;
  int i, any = 0;
  if (row < t->ps->first) return 0;
  for (i = 0; i < n; i++) any |= in_range(&t->ps->rg, row, cells[i].col);
  if (!any) return t->ps->rg.row1 != 0 && row > t->ps->rg.row1;
  t->ring[t->count++ % t->ps->skip_footer] = row;
  return 0;
}

/* The column of numbers (as the types were before) that the row's cells
** make text, or -1. */
static int makes_text(const pass *ps, const char *numeric) {
  int i;
  for (i = 0; i < ps->ncols; i++) {
    const sheet_cell *c = ps->by_col[i];
    csv_field f;
    csv_number v;
    if (c == NULL || !numeric[i] || c->kind != CELL_TEXT) continue;
    f = field_of(c);
    if (!csv_is_na(&ps->values, f.s, f.len) && !csv_is_missing_number(f.s, f.len) &&
        csv_classify(&ps->values, f.s, f.len, &v) == CSV_TEXT)
      return i;
  }
  return -1;
}

/* Whether the row placed opens with text that reads as a note (注：...). */
static int opens_as_note(const pass *ps) {
  int i;
  for (i = 0; i < ps->ncols; i++)
    if (ps->by_col[i] != NULL)
      return ps->by_col[i]->kind == CELL_TEXT && csv_reads_as_note(ps->by_col[i]->s, ps->by_col[i]->len);
  return 0;
}

/* Follow the rows that may be notes under the table though of several
** cells (注：数据来源 | 统计局): a row of fewer cells than the columns, or of
** no number at all, that makes a column of numbers text starts them; a row
** with a number in a column of numbers after it ends them (they were data). */
static void follow_short_rows(pass *ps, int row, int count) {
  int i, col;
  if (ps->short_row != 0) {
    for (i = 0; i < ps->ncols; i++) {
      const sheet_cell *c = ps->by_col[i];
      csv_number v;
      if (c != NULL && ps->numeric_before[i] && c->kind == CELL_NUMBER) {
        ps->short_row = ps->short_rows = 0;
        return;
      }
      if (c != NULL && ps->numeric_before[i] && c->kind == CELL_TEXT &&
          csv_classify(&ps->values, c->s, c->len, &v) != CSV_TEXT) {
        ps->short_row = ps->short_rows = 0;
        return;
      }
    }
    ps->short_rows++;
    return;
  }
  if (count == 1) return;  /* one cell of text is a note already */
  if (count >= ps->ncols) {  /* a full row is data unless it holds no number at all */
    for (i = 0; i < ps->ncols; i++) {
      csv_number v;
      const sheet_cell *c = ps->by_col[i];
      if (c != NULL && (c->kind == CELL_NUMBER || (c->kind == CELL_TEXT &&
                                                   csv_classify(&ps->values, c->s, c->len, &v) != CSV_TEXT)))
        return;
    }
  }
  for (i = 0; i < ps->ncols; i++) ps->numeric_before[i] = ps->types[i] == CSV_INTEGER || ps->types[i] == CSV_REAL;
  if ((col = makes_text(ps, ps->numeric_before)) < 0) return;
  ps->short_row = row, ps->short_col = col, ps->short_rows = 1;
}

/* Whether the one-cell rows before this row of data may be headings: each
** in a column of text, which it leaves as it is (a column of numbers with
** a note in it is not), the row of data holding text there too. */
static int headings_of_text(const pass *ps) {
  int k, n = ps->footer_end - ps->footer + 1;
  for (k = 0; k < n && k < SECTIONS_MAX; k++) {
    int col = ps->section_col[k];
    const sheet_cell *c = ps->by_col[col];
    csv_number v;
    if (ps->types[col] != CSV_NONE && ps->types[col] != CSV_TEXT) return 0;
    if (c == NULL || c->kind != CELL_TEXT || csv_classify(&ps->values, c->s, c->len, &v) != CSV_TEXT) return 0;
  }
  return 1;
}

/* The one-cell rows taken for notes below the data were headings of
** sections: data again, each cell widening its column, their notes gone. */
static void sections_are_data(pass *ps) {
  size_t at = ps->footer_notes;
  int k = 0;
  while (at < ps->notes_len) {
    csv_field f;
    int col = ps->section_col[k++];
    f.escaped = 0;
    f.s = ps->notes + at;
    f.len = strlen(f.s);
    csv_widen(&ps->values, &f, &ps->types[col], &ps->frequencies[col]);
    at += f.len + 1;
  }
  ps->notes_len = ps->footer_notes;
  ps->footer = ps->footer_end = 0;
}

/* The first stream: each row of data widens its columns' types; a row of
** one cell of text below them is a note, and so is each after it, unless
** data follow right below (sections_are_data). */
static int type_row(void *ud, int row, const sheet_cell *cells, int n) {
  pass *ps = (pass *)ud;
  int i, count;
  if (row < ps->first) return 0;
  if (ps->last != 0 && row > ps->last) {
    add_row_note(ps, row, cells, n);
    return 0;
  }
  if ((count = place_cells(ps, row, cells, n)) <= 0) return count < 0;
  if (ps->footer != 0) ps->footer_rows++;
  if (!ps->footer_given && (ps->report || ps->short_row != 0 || opens_as_note(ps)))
    follow_short_rows(ps, row, count);
  /* in a table of one column, text a blank row sets below the rows is a note when the column is of numbers or it
  ** reads as one (to_xlsx's source line) */
  const sheet_cell *only = ps->ncols == 1 ? ps->by_col[0] : NULL;
  int alone = only != NULL && only->kind == CELL_TEXT &&
              (ps->footer != 0 || (row > ps->last_data + 1 && ps->last_data >= ps->first &&
                                   (ps->types[0] == CSV_INTEGER || ps->types[0] == CSV_REAL ||
                                    csv_reads_as_note(only->s, only->len))));
  if (count == 1 && (ps->ncols > 1 || alone) && !ps->footer_given) {
    for (i = 0; ps->by_col[i] == NULL; i++) {}
    csv_field f = field_of(ps->by_col[i]);
    csv_number v;
    if (ps->by_col[i]->kind == CELL_TEXT && !csv_is_na(&ps->values, f.s, f.len) &&
        csv_classify(&ps->values, f.s, f.len, &v) == CSV_TEXT) {
      int k = ps->footer == 0 ? 0 : ps->footer_end == 0 ? SECTIONS_MAX : ps->footer_end - ps->footer + 1;
      if (ps->footer == 0) ps->note_rows = 0;
      if (ps->note_rows < SECTIONS_MAX) ps->note_row[ps->note_rows] = row, ps->note_col[ps->note_rows] = i;
      ps->note_rows++;
      if (ps->footer == 0) {
        ps->footer = row;
        ps->footer_rows = 1;
        ps->footer_notes = ps->notes_len;
        ps->footer_end = row == ps->last_data + 1 ? row : 0;
      } else if (ps->footer_end != 0) {
        ps->footer_end = row == ps->footer_end + 1 ? row : 0;
      }
      if (k < SECTIONS_MAX) ps->section_col[k] = i;
      else ps->footer_end = 0;
      add_note(ps, f.s, f.len, NULL, row);
      return 0;
    }
  }
  if (ps->footer != 0 && ps->footer_end != 0 && row == ps->footer_end + 1 && ps->notes_dropped == 0 &&
      headings_of_text(ps)) {
    sections_are_data(ps);
  }
  if (ps->footer != 0) {
    char what[160];
    snprintf(what, sizeof what, "a row of data below the notes that start at row %d (one cell of text each): "
             "say where the table ends with range or skip_footer", ps->footer);
    return fail(ps, row, ps->rg.col0, what);
  }
  for (i = 0; i < ps->ncols; i++) {
    const sheet_cell *c = ps->by_col[i];
    csv_field f = field_of(c);
    if (c != NULL && c->kind == CELL_ERROR) add_note(ps, c->s, c->len, c, row);
    csv_widen(&ps->values, &f, &ps->types[i], &ps->frequencies[i]);
  }
  ps->last_data = row;
  return 0;
}

static int add_run(pass *ps, int row) {
  if (ps->nruns + 2 > ps->runs_cap) {
    int cap = ps->runs_cap * 2 + 64;
    int *grown = (int *)realloc(ps->runs, (size_t)cap * sizeof *grown);
    if (grown == NULL) return 0;
    ps->runs = grown;
    ps->runs_cap = cap;
  }
  ps->runs[ps->nruns++] = ps->nrows + 1;
  ps->runs[ps->nruns++] = row;
  return 1;
}

/* The second stream: insert each row of data, as the first typed them. */
static int insert_row(void *ud, int row, const sheet_cell *cells, int n) {
  pass *ps = (pass *)ud;
  int i;
  if (row < ps->first) return 0;
  if ((ps->last != 0 && row > ps->last) || (ps->footer != 0 && row >= ps->footer)) return 1;
  if (place_cells(ps, row, cells, n) <= 0) return 0;
  if (row != ps->expected && !add_run(ps, row)) return fail(ps, row, ps->rg.col0, "not enough memory");
  ps->expected = row + 1;
  for (i = 0; i < ps->ncols; i++) {
    csv_field f = field_of(ps->by_col[i]);
    if (!csv_bind_value(ps->insert, i, &ps->values, ps->types[i], ps->frequencies[i], &f))
      sqlite3_bind_text64(ps->insert, i + 1, f.s, f.len, SQLITE_TRANSIENT, SQLITE_UTF8);
  }
  if (sqlite3_step(ps->insert) != SQLITE_DONE) return fail(ps, row, ps->rg.col0, sqlite3_errmsg(ps->db));
  sqlite3_reset(ps->insert);
  ps->nrows++;
  return 0;
}

static int l_pass_close(lua_State *L) {
  pass *ps = (pass *)lua_touserdata(L, 1);
  free(ps->runs);
  ps->runs = NULL;
  return 0;
}

/* Stream the sheet through fn; raise what went wrong, at its cell. */
static void stream(lua_State *L, workbook *wb, int sheet, const char *path, sheet_row_fn fn, void *ud, pass *ps) {
  char why[512], cell[8];
  const char *problem = workbook_rows(wb, sheet, fn, ud, why, sizeof why);
  if (problem != NULL) luaL_error(L, "%s [%s]: %s", path, workbook_sheet_name(wb, sheet), problem);
  if (ps->problem_row == 0) return;
  workbook_column_name(ps->problem_col, cell);
  luaL_error(L, "%s [%s]!%s%d: %s", path, workbook_sheet_name(wb, sheet), cell, ps->problem_row, ps->problem);
}

/* Read spec's fields into ps; the strings stay alive in spec (at idx). */
static void read_spec(lua_State *L, int idx, pass *ps) {
  int i;
  read_range(L, (lua_getfield(L, idx, "range"), lua_tostring(L, -1)), &ps->rg);
  lua_pop(L, 1);
  ps->first = (lua_getfield(L, idx, "first"), (int)lua_tointeger(L, -1));
  ps->last = (lua_getfield(L, idx, "last"), (int)lua_tointeger(L, -1));
  ps->values.loose = (lua_getfield(L, idx, "loose"), lua_toboolean(L, -1));
  ps->skip_footer = (lua_getfield(L, idx, "skip_footer"), (int)lua_tointeger(L, -1));
  ps->footer_given = !lua_isnil(L, -1);
  ps->report = (lua_getfield(L, idx, "report"), lua_toboolean(L, -1));
  lua_pop(L, 1);
  lua_pop(L, 4);
  ps->ncols = (int)(lua_getfield(L, idx, "names"), lua_rawlen(L, -1));
  lua_pop(L, 1);
  lua_getfield(L, idx, "na");
  for (i = 1; i <= (int)lua_rawlen(L, -1) && i <= CSV_NA_MAX; i++) {
    lua_rawgeti(L, -1, i);
    ps->values.na[ps->values.nna] = lua_tolstring(L, -1, &ps->values.na_len[ps->values.nna]);
    ps->values.nna++;
    lua_pop(L, 1);  /* alive in spec.na */
  }
  lua_pop(L, 1);
}

/* Refuse a row right under the data whose one cell is in the first
** column, of text, with no row of data below, that does not read as a note
** (csv_reads_as_note): a region with no values ("西藏") or a note? */
static int first_note_is_row(pass *ps);

static void check_last_key(lua_State *L, const workbook *wb, int sheet, const char *path, pass *ps) {
  char cell[8];
  for (;;) {  /* each such row in turn: 西藏, 台湾省 ... over the notes */
    const char *first_note = ps->notes + ps->footer_notes;
    size_t len = strlen(first_note), at;
    int notes_follow = 0;
    if (ps->footer_given || ps->footer == 0 || ps->footer != ps->last_data + 1 || ps->note_col[0] != 0 ||
        (ps->types[0] != CSV_TEXT && ps->types[0] != CSV_NONE) || csv_reads_as_note(first_note, len))
      return;  /* CSV_NONE: every row of data had its first cell alone */
    for (at = ps->footer_notes + len + 1; at < ps->notes_len; at += strlen(ps->notes + at) + 1)
      notes_follow = notes_follow || csv_reads_as_note(ps->notes + at, strlen(ps->notes + at));
    /* a key no note is, notes after it (台湾省 over 注：...), a sheet with no notes above: a row with no values */
    if (!(csv_is_key(first_note, len) || notes_follow || !ps->report) || !first_note_is_row(ps)) break;
  }
  workbook_column_name(ps->rg.col0, cell);
  luaL_error(L, "%s [%s]!%s%d: only the first cell is filled, in the row right under the data: a row with no values "
             "or a note under the table? say skip_footer = %d to keep this row and those below it as notes, or "
             "skip_footer = 0 to read it as a row", path, workbook_sheet_name(wb, sheet), cell, ps->footer,
             ps->footer_rows);
}

/* The first of the one-cell rows taken for notes below the data is a row
** of them (its column widened, its note gone, the notes from the next
** note's row on): 1, or 0 when that row is not known (past SECTIONS_MAX). */
static int first_note_is_row(pass *ps) {
  char *text = ps->notes + ps->footer_notes;
  size_t len = strlen(text), rest = ps->notes_len - (ps->footer_notes + len + 1);
  csv_field f;
  if (ps->note_rows > SECTIONS_MAX || (rest > 0 && ps->note_rows < 2)) return 0;
  f.s = text, f.len = len, f.escaped = 0;
  csv_widen(&ps->values, &f, &ps->types[0], &ps->frequencies[0]);
  memmove(text, text + len + 1, rest);
  ps->notes_len -= len + 1;
  ps->last_data = ps->footer;
  if (rest == 0) {
    ps->footer = ps->footer_end = ps->note_rows = 0;
    return 1;
  }
  ps->footer = ps->note_row[1];
  ps->footer_end = ps->footer_end > ps->footer ? ps->footer_end : 0;
  ps->footer_rows--;
  ps->note_rows--;
  memmove(ps->note_row, ps->note_row + 1, sizeof(int) * (size_t)ps->note_rows);
  memmove(ps->note_col, ps->note_col + 1, sizeof(int) * (size_t)ps->note_rows);
  return 1;
}

/* Set ps->last above the last skip_footer rows, streaming the sheet once. */
static void find_footer(lua_State *L, workbook *wb, int sheet, const char *path, pass *ps) {
  tail t;
  t.ps = ps;
  t.count = 0;
  t.ring = (int *)lua_newuserdatauv(L, sizeof(int) * (size_t)ps->skip_footer, 0);
  stream(L, wb, sheet, path, count_row, &t, ps);
  if (t.count <= ps->skip_footer)
    luaL_error(L, "%s [%s]: skip_footer = %d, but the table has no more rows than that", path,
               workbook_sheet_name(wb, sheet), ps->skip_footer);
  ps->last = t.ring[t.count % ps->skip_footer] - 1;
  lua_pop(L, 1);
}

/* CREATE TABLE spec.table (columns typed as the first stream found),
** dropping one of that name first when spec.replace. */
static void create_table(lua_State *L, int db, int spec, int names, const pass *ps) {
  int replace;
  lua_getfield(L, spec, "table");
  replace = (lua_getfield(L, spec, "replace"), lua_toboolean(L, -1));
  lua_pop(L, 1);
  csv_create_table(L, db, lua_tostring(L, -1), names, ps->types, ps->ncols, replace);
  lua_pop(L, 1);
}

/* Push INSERT INTO spec.table VALUES (?, ...), ncols of them. */
static void push_insert_sql(lua_State *L, int ncols) {
  luaL_Buffer b;
  int i;
  lua_getfield(L, 3, "table");
  luaL_buffinit(L, &b);
  luaL_addstring(&b, "INSERT INTO ");
  luaL_addstring(&b, lua_tostring(L, -2));  /* the quoted name, below the buffer */
  luaL_addstring(&b, " VALUES (");
  for (i = 0; i < ncols; i++) luaL_addstring(&b, i ? ", ?" : "?");
  luaL_addchar(&b, ')');
  luaL_pushresult(&b);
  lua_remove(L, -2);
}

/* Push the notes kept and the columns of periods (name -> frequency). */
static void push_results(lua_State *L, const pass *ps, int names) {
  size_t at = 0;
  int i, k = 0;
  lua_newtable(L);
  while (at < ps->notes_len) {
    lua_pushstring(L, ps->notes + at);
    at += strlen(ps->notes + at) + 1;
    lua_rawseti(L, -2, ++k);
  }
  if (ps->errors > ERROR_NOTES) {
    lua_pushfstring(L, "and %d more error cells, read as NULL", ps->errors - ERROR_NOTES);
    lua_rawseti(L, -2, ++k);
  }
  if (ps->notes_dropped > 0) {
    lua_pushfstring(L, "and %d more notes, too long to keep", ps->notes_dropped);
    lua_rawseti(L, -2, ++k);
  }
  lua_newtable(L);
  for (i = 0; i < ps->ncols; i++) {
    if (ps->types[i] != CSV_TEXT || !csv_is_periods(ps->frequencies[i])) continue;
    lua_rawgeti(L, names, i + 1);
    lua_pushlstring(L, &ps->frequencies[i], 1);
    lua_rawset(L, -3);
  }
  lua_createtable(L, ps->nruns, 0);
  for (i = 0; i < ps->nruns; i++) {
    lua_pushinteger(L, ps->runs[i]);
    lua_rawseti(L, -2, i + 1);
  }
}

/* The sheet's merged ranges, streamed whole, given to spec.merged (a list
** of {first column, first row, last column, last row}, columns from 1):
** the names it returns, when it does, replace those at names. */
static void name_by_merges(lua_State *L, const workbook *wb, int names, const pass *ps) {
  const int *ranges;
  int i, k, n = workbook_merges(wb, &ranges);
  if (lua_getfield(L, 3, "merged") != LUA_TFUNCTION || n == 0) {
    lua_pop(L, 1);
    return;
  }
  lua_createtable(L, n, 0);
  for (i = 0; i < n; i++) {
    lua_createtable(L, 4, 0);
    for (k = 0; k < 4; k++) {
      lua_pushinteger(L, ranges[4 * i + k] + (k % 2 == 0));
      lua_rawseti(L, -2, k + 1);
    }
    lua_rawseti(L, -2, i + 1);
  }
  lua_call(L, 1, 1);
  if (lua_type(L, -1) != LUA_TTABLE || (int)lua_rawlen(L, -1) != ps->ncols) {
    lua_pop(L, 1);
    return;
  }
  csv_unique_names(L, lua_gettop(L));
  lua_replace(L, names);
}

/*
** zb.core.xlsx_load(path, sheet, spec) -> rows, notes, periods, lines
** spec: {range =, first = row, last = row or nil, names = {...} (unique,
** each quoted-safe: csv_unique_names), name = the table's, quoted, replace,
** na = {...}, loose, merged = a function of the sheet's merged ranges
** that may name the columns again}.  Notes: those below the table and the error cells.
*/
int sheet_l_load(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  workbook *wb;
  pass *ps;
  int sheet, db, names, guard, box;
  luaL_checktype(L, 3, LUA_TTABLE);
  ps = (pass *)box_push(L, sizeof *ps, "zb.SheetPass", l_pass_close);
  read_spec(L, 3, ps);
  lua_getfield(L, 3, "names");
  names = lua_gettop(L);
  csv_unique_names(L, names);
  ps->types = (int *)lua_newuserdatauv(L, sizeof(int) * (size_t)(ps->ncols + 1), 0);
  ps->frequencies = (char *)lua_newuserdatauv(L, (size_t)ps->ncols + 1, 0);
  ps->numeric_before = (char *)lua_newuserdatauv(L, (size_t)ps->ncols + 1, 0);
  ps->by_col = (const sheet_cell **)lua_newuserdatauv(L, sizeof(sheet_cell *) * (size_t)(ps->ncols + 1), 0);
  memset(ps->types, 0, sizeof(int) * (size_t)ps->ncols);
  memset(ps->frequencies, 0, (size_t)ps->ncols);
  db_push_session(L);
  db = lua_gettop(L);
  ps->db = db_handle(L, db);
  wb = push_workbook(L, path);
  sheet = find_sheet(L, wb, path, 2);
  if (ps->skip_footer > 0) find_footer(L, wb, sheet, path, ps);
  ps->last_data = ps->first - 1;  /* the header's row, right above */
  stream(L, wb, sheet, path, type_row, ps, ps);
  if (ps->short_rows > 0) {
    char cell[8];
    workbook_column_name(ps->rg.col0, cell);
    lua_rawgeti(L, names, ps->short_col + 1);
    luaL_error(L, "%s [%s]!%s%d: a row of text below the data makes column %s, of numbers above it, "
               "text: if this row and those below it are notes under the table, say skip_footer = %d (their text is "
               "kept as notes); if it is a row, skip_footer = 0", path, workbook_sheet_name(wb, sheet), cell,
               ps->short_row, lua_tostring(L, -1), ps->short_rows);
  }
  check_last_key(L, wb, sheet, path, ps);
  for (int i = 0; i < ps->ncols; i++) csv_settle(&ps->types[i], &ps->frequencies[i]);
  name_by_merges(L, wb, names, ps);
  db_push_savepoint(L, db);
  guard = lua_gettop(L);
  create_table(L, db, 3, names, ps);
  push_insert_sql(L, ps->ncols);
  ps->insert = db_push_prepared(L, db, lua_tostring(L, -1));
  box = lua_gettop(L);
  stream(L, wb, sheet, path, insert_row, ps, ps);
  lua_closeslot(L, box);  /* the statement, before the savepoint is released */
  db_release_savepoint(L, guard);
  lua_pushinteger(L, ps->nrows);
  push_results(L, ps, names);
  return 4;
}
