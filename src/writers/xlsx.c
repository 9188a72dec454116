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

/* A number libxlsxwriter writes with 16 significant digits ("%.16G"),
** which do not give it back: its cell, and the digits that do. */
typedef struct exact_number {
  int sheet;  /* from 1 */
  lxw_row_t row;
  lxw_col_t col;
  char text[32];
} exact_number;

/* The workbook being written, and the numbers to write again once it is
** (in the order written: by sheet, row, column); freed however the writer ends. */
typedef struct workbook_box {
  lxw_workbook *wb;
  exact_number *exact;
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
  exact_number *e;
  snprintf(sixteen, sizeof sixteen, "%.16G", d);
  if (strtod(sixteen, NULL) == d) return;
  if (box->nexact == box->cap) {
    size_t cap = box->cap * 2 + 256;
    exact_number *grown = (exact_number *)realloc(box->exact, cap * sizeof *grown);
    if (grown == NULL) luaL_error(L, "not enough memory");
    box->exact = grown;
    box->cap = cap;
  }
  e = &box->exact[box->nexact++];
  e->sheet = box->sheet, e->row = row, e->col = col;
  snprintf(e->text, sizeof e->text, "%.17g", d);
}

/* A growing text, for a part written again. */
typedef struct text_out {
  char *s;
  size_t len, cap;
  int failed;
} text_out;

static void put(text_out *o, const char *s, size_t len) {
  if (o->failed) return;
  if (o->len + len > o->cap) {
    size_t cap = (o->len + len) * 2 + 4096;
    char *grown = (char *)realloc(o->s, cap);
    if (grown == NULL) {
      o->failed = 1;
      return;
    }
    o->s = grown;
    o->cap = cap;
  }
  memcpy(o->s + o->len, s, len);
  o->len += len;
}

/* "B12" at s as column 1 (from 0) and row 11 (from 0); 0 when it is none. */
static int cell_reference(const char *s, const char *end, lxw_row_t *row, lxw_col_t *col) {
  unsigned long c = 0, r = 0;
  const char *p = s;
  for (; p < end && *p >= 'A' && *p <= 'Z' && p - s < 3; p++) c = c * 26 + (unsigned long)(*p - 'A' + 1);
  if (p == s || p >= end || *p < '1' || *p > '9') return 0;
  for (; p < end && *p >= '0' && *p <= '9' && r < 10000000; p++) r = r * 10 + (unsigned long)(*p - '0');
  *col = (lxw_col_t)(c - 1);
  *row = (lxw_row_t)(r - 1);
  return 1;
}

/* The numbers of one sheet to write again: exact[from, to). */
typedef struct sheet_numbers {
  const exact_number *at, *end;
} sheet_numbers;

/* A sheet's XML with each of its numbers' <v> written again in 17 digits
** (a workbook_rewriter: its cells are in the order they were written). */
static const char *write_numbers_again(void *ud, const char *text, size_t len, char **out, size_t *out_len) {
  sheet_numbers *sn = (sheet_numbers *)ud;
  const char *p = text, *end = text + len, *copied = text;
  text_out o = {NULL, 0, 0, 0};
  while (sn->at < sn->end && (p = strstr(p, "<c r=\"")) != NULL && p < end) {
    lxw_row_t row;
    lxw_col_t col;
    const char *v, *v_end;
    p += 6;
    if (!cell_reference(p, end, &row, &col) || row != sn->at->row || col != sn->at->col) continue;
    if ((v = strstr(p, "<v>")) == NULL || (v_end = strstr(v, "</v>")) == NULL) break;
    put(&o, copied, (size_t)(v + 3 - copied));
    put(&o, sn->at->text, strlen(sn->at->text));
    copied = p = v_end;
    sn->at++;
  }
  if (sn->at != sn->end) {
    free(o.s);
    return "cannot find every number libxlsxwriter wrote in the sheet's XML";
  }
  put(&o, copied, (size_t)(end - copied));
  if (o.failed) {
    free(o.s);
    return "not enough memory";
  }
  *out = o.s;
  *out_len = o.len;
  return NULL;
}

/* Write again, in the workbook at path, the numbers 16 digits do not give back. */
static void write_exact_numbers(lua_State *L, const char *path, const workbook_box *box) {
  size_t i = 0;
  while (i < box->nexact) {
    char part[64], why[256];
    const char *problem;
    sheet_numbers sn;
    size_t j = i;
    while (j < box->nexact && box->exact[j].sheet == box->exact[i].sheet) j++;
    sn.at = box->exact + i, sn.end = box->exact + j;
    snprintf(part, sizeof part, "xl/worksheets/sheet%d.xml", box->exact[i].sheet);
    if ((problem = workbook_rewrite_part(path, part, write_numbers_again, &sn, why, sizeof why)) != NULL)
      luaL_error(L, "cannot write %s: %s", path, problem);
    i = j;
  }
}

static void check(lua_State *L, lxw_error err, const char *what) {
  if (err != LXW_NO_ERROR) luaL_error(L, "cannot write %s: %s", what, lxw.lxw_strerror(err));
}

/* Column widths so far, in display columns. */
typedef struct widths {
  double w[256];
  int n;
} widths;

static void grow(widths *ws, int col, const char *text, size_t len) {
  double w = (double)width_of(text, len);
  if (col < (int)(sizeof ws->w / sizeof *ws->w)) {
    if (w > ws->w[col]) ws->w[col] = w > WIDEST ? WIDEST : w;
    if (col >= ws->n) ws->n = col + 1;
  }
}

/* Write the value at idx to (row, col), a number in format (or NULL). */
static void write_cell(lua_State *L, workbook_box *box, lxw_worksheet *ws, widths *cw, lxw_row_t row, lxw_col_t col,
                       int idx, lxw_format *format) {
  char text[64];
  switch (lua_type(L, idx)) {
    case LUA_TNIL:
      return;
    case LUA_TBOOLEAN:
      check(L, lxw.worksheet_write_boolean(ws, row, col, lua_toboolean(L, idx), NULL), "a cell");
      grow(cw, col, "FALSE", 5);
      return;
    case LUA_TNUMBER:
      if (lua_isinteger(L, idx)) {
        lua_Integer i = lua_tointeger(L, idx);
        snprintf(text, sizeof text, LUA_INTEGER_FMT, i);
        if (i > EXACT_INTEGER || i < -EXACT_INTEGER) check(L, lxw.worksheet_write_string(ws, row, col, text, NULL), "a cell");
        else check(L, lxw.worksheet_write_number(ws, row, col, (double)i, format), "a cell");
      } else {
        double d = lua_tonumber(L, idx);
        snprintf(text, sizeof text, "%.15g", d);
        if (d != d || d - d != 0) {  /* NaN and Inf: a spreadsheet has none */
          check(L, lxw.worksheet_write_string(ws, row, col, d != d ? "NaN" : d > 0 ? "Inf" : "-Inf", NULL), "a cell");
        } else {
          check(L, lxw.worksheet_write_number(ws, row, col, d, format), "a cell");
          keep_exact(L, box, row, col, d);
        }
      }
      grow(cw, col, text, strlen(text));
      return;
    default: {
      size_t len;
      const char *s = luaL_tolstring(L, idx, &len);
      check(L, lxw.worksheet_write_string(ws, row, col, s, NULL), "a cell");
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

/* Write the sheet described by the table at idx. */
static void write_sheet(lua_State *L, workbook_box *box, lxw_format *bold, int idx) {
  lxw_workbook *wb = box->wb;
  lxw_worksheet *ws;
  lxw_format **formats;
  widths cw;
  lxw_row_t row = 0;
  lua_Integer i, ncols;
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
      write_cell(L, box, ws, &cw, row, (lxw_col_t)(i - 1), lua_gettop(L), formats[i - 1]);
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
  for (i = 0; i < cw.n; i++)
    check(L, lxw.worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, cw.w[i] + 2, NULL), "a column's width");
  lua_pop(L, 1);  /* the formats */
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
