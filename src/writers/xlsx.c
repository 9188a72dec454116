/*
** xlsx.c: tables into an .xlsx workbook through libxlsxwriter, a sheet a
** table, streamed a row at a time (constant memory: rows are pulled from
** Lua and written in order).  Numbers stay numbers; an integer beyond
** 2^53, which a spreadsheet's doubles cannot hold, is written as its text;
** text is UTF-8, Chinese included.  The header row is bold and frozen,
** each column as wide as its widest cell in display columns (a Chinese
** character two), and notes go under the table after a blank row.
*/
#include <dlfcn.h>
#include <string.h>

#include <xlsxwriter.h>

#include "lua.h"
#include "lauxlib.h"

#include "box.h"
#include "width.h"
#include "xlsx_part.h"
#include "xlsx.h"

#define XLSX_WORKBOOK "zb.Workbook"
#define XLSX_LIBRARY "libxlsxwriter.so.4"  /* the soname Debian's libxlsxwriter-dev links */
#define WIDEST 60          /* a column no wider than this, however long its text */
#define EXACT_INTEGER (1LL << 53)

/* libxlsxwriter, opened at the first workbook written: linked at start-up,
** it and the libraries it brings (minizip, libcrypto, zlib) took four
** fifths of every zb's start-up to relocate.  Process-wide, as the
** library it holds is: filled once, never changed after. */
static struct {
  int opened;
#define XLSX_FUNCTIONS(X) X(format_set_bold) X(format_set_num_format) X(lxw_strerror) X(lxw_workbook_free) \
  X(workbook_add_format) X(workbook_add_worksheet) X(workbook_close) X(workbook_new_opt) \
  X(workbook_validate_sheet_name) X(worksheet_freeze_panes) X(worksheet_set_column) X(worksheet_write_boolean) \
  X(worksheet_write_number) X(worksheet_write_string)
#define XLSX_POINTER(name) __typeof__(name) *name;
  XLSX_FUNCTIONS(XLSX_POINTER)
} lxw;

const char *xlsx_open(void) {
  void *lib;
  if (lxw.opened) return NULL;
  lib = dlopen(XLSX_LIBRARY, RTLD_NOW | RTLD_LOCAL);
  if (lib == NULL) return dlerror();
#define XLSX_RESOLVE(name) { \
    void *found = dlsym(lib, #name); \
    if (found == NULL) return XLSX_LIBRARY " lacks " #name; \
    memcpy(&lxw.name, &found, sizeof found); \
  }
  XLSX_FUNCTIONS(XLSX_RESOLVE)
  lxw.opened = 1;
  return NULL;
}

/* Open libxlsxwriter (once); raises when it cannot. */
static void open_library(lua_State *L) {
  const char *why = xlsx_open();
  if (why != NULL) luaL_error(L, "cannot write .xlsx files: %s (Debian's libxlsxwriter4)", why);
}

/* The workbook being written, and the numbers to write again once it is
** (in the order written: by sheet, row, column); freed however the writer ends. */
typedef struct workbook_box {
  lxw_workbook *wb;
  xlsx_number *exact;
  size_t nexact, cap;
  int sheet;  /* the sheet being written, from 1 */
} workbook_box;

static int l_workbook_gc(lua_State *L) {
  workbook_box *box = (workbook_box *)luaL_checkudata(L, 1, XLSX_WORKBOOK);
  if (box->wb != NULL) lxw.lxw_workbook_free(box->wb);
  box->wb = NULL;
  free(box->exact);
  box->exact = NULL;
  return 0;
}

/* Keep number d of (row, col) to be written again when 16 digits do not
** give it back, as Excel itself and every reader read 17. */
static void keep_exact(lua_State *L, workbook_box *box, lxw_row_t row, lxw_col_t col, double d) {
  char sixteen[32];
  xlsx_number *e;
  snprintf(sixteen, sizeof sixteen, "%.16G", d);
  if (strtod(sixteen, NULL) == d) return;
  if (box->nexact == box->cap) {
    size_t cap = box->cap * 2 + 256;
    xlsx_number *grown = (xlsx_number *)realloc(box->exact, cap * sizeof *grown);
    if (grown == NULL) luaL_error(L, "not enough memory");
    box->exact = grown;
    box->cap = cap;
  }
  e = &box->exact[box->nexact++];
  e->sheet = box->sheet, e->row = row, e->col = col;
  snprintf(e->text, sizeof e->text, "%.17g", d);
}

/* Write again, in the workbook at path, the numbers 16 digits do not give back. */
static void write_exact_numbers(lua_State *L, const char *path, const workbook_box *box) {
  char why[256];
  const char *problem;
  if (box->nexact == 0) return;
  if ((problem = workbook_set_numbers(path, box->exact, box->nexact, why, sizeof why)) != NULL)
    luaL_error(L, "cannot write %s: %s", path, problem);
}

static void check(lua_State *L, lxw_error err, const char *what) {
  if (err != LXW_NO_ERROR) luaL_error(L, "cannot write %s: %s", what, lxw.lxw_strerror(err));
}

/* check for the cell at (row, col), named in the message with Excel's limit it passes. */
static void check_cell(lua_State *L, lxw_error err, lxw_row_t row, lxw_col_t col) {
  if (err == LXW_NO_ERROR) return;
  if (err == LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE)
    luaL_error(L, "cannot write row %d: an Excel sheet holds at most 1,048,576 rows, the header among them "
               "(write fewer rows, or a CSV file)", (int)row + 1);
  if (err == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED)
    luaL_error(L, "cannot write row %d, column %d: Excel holds at most 32,767 characters in a cell", (int)row + 1,
               (int)col + 1);
  luaL_error(L, "cannot write row %d, column %d: %s", (int)row + 1, (int)col + 1, lxw.lxw_strerror(err));
}

/* Column widths so far, in display columns. */
typedef struct widths {
  double w[256];
  int n;
} widths;

static void grow(widths *ws, int col, const char *text, size_t len) {
  double w = (double)width_of(text, len);
  if (ws != NULL && col < (int)(sizeof ws->w / sizeof *ws->w)) {
    if (w > ws->w[col]) ws->w[col] = w > WIDEST ? WIDEST : w;
    if (col >= ws->n) ws->n = col + 1;
  }
}

/* Write the value at idx to (row, col), a number in format (or NULL);
** its width counted in cw unless cw is NULL (the column is measured as
** shown, by the caller). */
static void write_cell(lua_State *L, workbook_box *box, lxw_worksheet *ws, widths *cw, lxw_row_t row, lxw_col_t col,
                       int idx, lxw_format *format) {
  char text[64];
  switch (lua_type(L, idx)) {
    case LUA_TNIL:
      return;
    case LUA_TBOOLEAN:
      check_cell(L, lxw.worksheet_write_boolean(ws, row, col, lua_toboolean(L, idx), NULL), row, col);
      grow(cw, col, "FALSE", 5);
      return;
    case LUA_TNUMBER:
      if (lua_isinteger(L, idx)) {
        lua_Integer i = lua_tointeger(L, idx);
        snprintf(text, sizeof text, LUA_INTEGER_FMT, i);
        if (i > EXACT_INTEGER || i < -EXACT_INTEGER)
          check_cell(L, lxw.worksheet_write_string(ws, row, col, text, NULL), row, col);
        else check_cell(L, lxw.worksheet_write_number(ws, row, col, (double)i, format), row, col);
      } else {
        double d = lua_tonumber(L, idx);
        snprintf(text, sizeof text, "%.15g", d);
        if (d != d || d - d != 0) {  /* NaN and Inf: a spreadsheet has none */
          const char *special = d != d ? "NaN" : d > 0 ? "Inf" : "-Inf";
          check_cell(L, lxw.worksheet_write_string(ws, row, col, special, NULL), row, col);
        } else {
          check_cell(L, lxw.worksheet_write_number(ws, row, col, d, format), row, col);
          keep_exact(L, box, row, col, d);
        }
      }
      grow(cw, col, text, strlen(text));
      return;
    default: {
      size_t len;
      const char *s = luaL_tolstring(L, idx, &len);
      check_cell(L, lxw.worksheet_write_string(ws, row, col, s, NULL), row, col);
      grow(cw, col, s, len);
      lua_pop(L, 1);
    }
  }
}

/* The number formats of the sheet at idx: its formats table's Excel
** format strings by column (a userdata of ncols pointers, NULL for none). */
static lxw_format **push_formats(lua_State *L, lxw_workbook *wb, int idx, lua_Integer ncols) {
  lxw_format **formats = (lxw_format **)lua_newuserdatauv(L, (size_t)(ncols > 0 ? ncols : 1) * sizeof *formats, 0);
  lua_Integer i;
  int table = lua_getfield(L, idx, "formats") == LUA_TTABLE;
  for (i = 0; i < ncols; i++) {
    formats[i] = NULL;
    if (!table) continue;
    if (lua_rawgeti(L, -1, i + 1) == LUA_TSTRING) {
      formats[i] = lxw.workbook_add_format(wb);
      if (formats[i] == NULL) luaL_error(L, "not enough memory");
      lxw.format_set_num_format(formats[i], lua_tostring(L, -1));
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return formats;
}

/* Which columns of the sheet at idx its measured table names (their
** widths measured as shown by the caller): a userdata of ncols flags. */
static const char *push_measured(lua_State *L, int idx, lua_Integer ncols) {
  char *shown = (char *)lua_newuserdatauv(L, (size_t)(ncols > 0 ? ncols : 1), 0);
  lua_Integer i;
  int table = lua_getfield(L, idx, "measured") == LUA_TTABLE;
  for (i = 0; i < ncols; i++) {
    shown[i] = table && lua_rawgeti(L, -1, i + 1) != LUA_TNIL;
    if (table) lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return shown;
}

/* Write the sheet described by the table at idx. */
static void write_sheet(lua_State *L, workbook_box *box, lxw_format *bold, int idx) {
  lxw_workbook *wb = box->wb;
  lxw_worksheet *ws;
  lxw_format **formats;
  widths cw;
  lxw_row_t row = 0;
  lua_Integer i, ncols;
  const char *shown;
  memset(&cw, 0, sizeof cw);
  lua_getfield(L, idx, "name");
  if (lxw.workbook_validate_sheet_name(wb, luaL_checkstring(L, -1)) != LXW_NO_ERROR)
    luaL_error(L, "cannot name a sheet '%s': at most 31 characters, none of []:*?/\\, and each name once",
               lua_tostring(L, -1));
  ws = lxw.workbook_add_worksheet(wb, lua_tostring(L, -1));
  if (ws == NULL) luaL_error(L, "cannot add the sheet '%s'", lua_tostring(L, -1));
  lua_pop(L, 1);
  lua_getfield(L, idx, "header");
  ncols = (lua_Integer)lua_rawlen(L, -1);
  for (i = 1; i <= ncols; i++) {
    size_t len;
    const char *name;
    lua_rawgeti(L, -1, i);
    name = luaL_checklstring(L, -1, &len);
    check(L, lxw.worksheet_write_string(ws, 0, (lxw_col_t)(i - 1), name, bold), "the header");
    grow(&cw, (int)(i - 1), name, len);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  formats = push_formats(L, wb, idx, ncols);
  shown = push_measured(L, idx, ncols);
  lxw.worksheet_freeze_panes(ws, 1, 0);
  lua_getfield(L, idx, "rows");
  for (;;) {
    lua_pushvalue(L, -1);
    lua_call(L, 0, 1);
    if (lua_isnil(L, -1)) {
      lua_pop(L, 1);
      break;
    }
    row++;
    for (i = 1; i <= ncols; i++) {
      lua_rawgeti(L, -1, i);
      write_cell(L, box, ws, shown[i - 1] ? NULL : &cw, row, (lxw_col_t)(i - 1), lua_gettop(L), formats[i - 1]);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  lua_getfield(L, idx, "notes");
  if (lua_istable(L, -1)) {
    lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
    row++;  /* a blank row between the table and its notes */
    for (i = 1; i <= n; i++) {
      lua_rawgeti(L, -1, i);
      check(L, lxw.worksheet_write_string(ws, ++row, 0, luaL_checkstring(L, -1), NULL), "a note");
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  lua_getfield(L, idx, "widths");  /* the measured columns' widths as shown */
  for (i = 0; i < cw.n; i++) {
    double w = cw.w[i];
    if (lua_istable(L, -1)) {
      if (lua_rawgeti(L, -1, i + 1) == LUA_TNUMBER && lua_tonumber(L, -1) > w) w = lua_tonumber(L, -1);
      lua_pop(L, 1);
    }
    check(L, lxw.worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, (w > WIDEST ? WIDEST : w) + 2, NULL),
          "a column's width");
  }
  lua_pop(L, 3);  /* the widths, which columns are measured, the formats */
}

int xlsx_l_write(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  lxw_workbook_options options;
  workbook_box *box;
  lxw_format *bold;
  lua_Integer i, n;
  luaL_checktype(L, 2, LUA_TTABLE);
  luaL_checktype(L, 3, LUA_TSTRING);  /* where libxlsxwriter keeps its temporary files */
  open_library(L);
  box = (workbook_box *)box_push(L, sizeof *box, XLSX_WORKBOOK, l_workbook_gc);
  memset(&options, 0, sizeof options);
  options.constant_memory = LXW_TRUE;
  options.tmpdir = (char *)(uintptr_t)lua_tostring(L, 3);
  box->wb = lxw.workbook_new_opt(path, &options);
  if (box->wb == NULL) return luaL_error(L, "cannot write %s", path);
  bold = lxw.workbook_add_format(box->wb);
  if (bold == NULL) return luaL_error(L, "not enough memory");
  lxw.format_set_bold(bold);
  n = (lua_Integer)lua_rawlen(L, 2);
  for (i = 1; i <= n; i++) {
    lua_rawgeti(L, 2, i);
    box->sheet = (int)i;
    write_sheet(L, box, bold, lua_gettop(L));
    lua_pop(L, 1);
  }
  {
    lxw_error err = lxw.workbook_close(box->wb);  /* writes the file, and frees the workbook */
    box->wb = NULL;
    check(L, err, path);
  }
  write_exact_numbers(L, path, box);
  return 0;
}
