/*
** grid.c: every row of a table printed as a box, a markdown table or in
** line mode, straight from the statement to a file (print(t) in a script,
** where lua/zb/present/render.lua would hold every row in Lua), in
** constant memory.  A box needs its columns' widths before its first line,
** and every mode its reals' decimals, so the query runs twice: the first
** pass measures (and finds how many decimals each column of reals needs,
** as render.lua's real_pattern does), the second writes.  The text is
** render.lua's box, markdown and line modes' for a table printed whole, with no width to fit, no formats and no human
** units (render.lua does those).  A query whose rows differ between the
** passes (random(), the time) is an error after its rows are written.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"

#include "db.h"
#include "decimal.h"
#include "grid.h"
#include "outbuf.h"
#include "width.h"

enum { GRID_BOX, GRID_MARKDOWN, GRID_LINE };

/* What the first pass learns of a column. */
typedef struct column {
  int has_number, has_text;  /* right-aligned when it has numbers and no text */
  int reals;                 /* reals measured so far */
  int scientific;            /* a real of 1e18 or more, or too small for the precision: all in %e */
  int f_decimals, f_lead;    /* %f: the most decimals a real needs, the widest part before them */
  int e_decimals, e_lead;    /* %e: the same, the exponent counted in the part before */
  size_t width;              /* the widest cell other than a real, and the header */
} column;

enum { MEASURE, MEASURE_AGAIN, WRITE };

typedef struct grid {
  int mode, ncols, precision, pass;
  int again;                 /* a column turned to %e after reals measured in %f */
  double tiny;               /* 10^-precision: a smaller real is in %e */
  column *columns;
  XXH64_hash_t digest[2];    /* of each pass's values: the same, or the rows changed */
  const char **leads;        /* line mode: each field's "name = ", from the headers */
  size_t *lead_sizes;
  char *scratch;             /* a cell's text, escaped */
  size_t scratch_size;
  lua_Integer rows;
  outbuf out;
} grid;

/* Room for n bytes of scratch (a new userdata above the stack's top when
** more is needed: the old one is garbage, the new one lives on the stack). */
static char *scratch(lua_State *L, grid *g, size_t n) {
  if (n > g->scratch_size) {
    g->scratch_size = n * 2;
    g->scratch = (char *)lua_newuserdatauv(L, g->scratch_size, 0);
  }
  return g->scratch;
}

/* s as render.lua's cell_text shows it in a cell: text that is not UTF-8
** has each byte above 127 as \xHH, control characters as \n, \t, \r or
** \xHH; and in markdown "|" as "\|".  Returns its length. */
static size_t escaped(lua_State *L, grid *g, const char *s, size_t n, const char **out, int *ascii) {
  int valid = utf8_prefix(s, n) == n;
  size_t i, k = 0;
  unsigned char high = 0;
  char *d;
  for (i = 0; i < n; i++) {  /* most text is shown as it is */
    unsigned char c = (unsigned char)s[i];
    if (c < 0x20 || c == 0x7F || (c >= 0x80 && !valid) || (c == '|' && g->mode == GRID_MARKDOWN)) break;
    high |= c;
  }
  if (i == n) {
    *out = s;
    *ascii = high < 0x80;
    return n;
  }
  high = 0;
  d = scratch(L, g, n * 4 + 1);
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if ((c >= 0x80 && !valid) || (c < 0x20 && c != '\n' && c != '\t' && c != '\r') || c == 0x7F) {
      static const char hex[] = "0123456789ABCDEF";
      d[k++] = '\\', d[k++] = 'x', d[k++] = hex[c >> 4], d[k++] = hex[c & 15];
    } else if (c == '\n' || c == '\t' || c == '\r') {
      d[k++] = '\\', d[k++] = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
    } else if (c == '|' && g->mode == GRID_MARKDOWN) {
      d[k++] = '\\', d[k++] = '|';
    } else {
      high |= c;
      d[k++] = (char)c;
    }
  }
  *out = d;
  *ascii = high < 0x80;
  return k;
}

/* Columns the escaped text takes: as many as its bytes when they are ASCII. */
static size_t text_width(const char *s, size_t n, int ascii) {
  return ascii ? n : width_of(s, n);
}

/* A real's text at decimals in %f or %e; in %f a real that its fewest
** digits write in fewer decimals is those digits and zeros, not the digits
** of the double beyond them (1344508076879.9 at 6 decimals is
** 1344508076879.900000, not 1344508076879.899902), which only a real of
** more than 15 digits at those decimals can show (render.lua's shortest). */
static size_t real_text(double x, int scientific, int decimals, char *out, size_t size) {
  char whole[400];
  int kept;
  size_t n;
  if (scientific) return (size_t)snprintf(out, size, "%.*e", decimals, x);
  if ((n = decimal_fixed(x, decimals, out)) > 0) return n;  /* under 2^40 units: 13 digits at most */
  if (snprintf(whole, sizeof whole, "%.0f", fabs(x)) + decimals <= 15)
    return (size_t)snprintf(out, size, "%.*f", decimals, x);
  for (kept = 0; kept < decimals; kept++) {
    snprintf(out, size, "%.*f", kept, x);
    if (strtod(out, NULL) == x) break;
  }
  /* %.*d of 0 writes that many zeros (none for a precision of 0) */
  return (size_t)snprintf(out, size, "%.*f%s%.*d", kept, x, kept == 0 && decimals > 0 ? "." : "", decimals - kept, 0);
}

/* The fewest decimals, from at_least up, at which x in %f (or %e) reads
** back as the same number as at the full precision (render.lua's
** real_pattern: tonumber of each the same); and the length of the full
** text's part other than its decimals (sign, digits before the point, the
** exponent), which the same number has at any of those decimals. */
static int lead_of(const char *text, size_t n, int scientific) {
  const char *point = memchr(text, '.', n), *e = scientific ? memchr(text, 'e', n) : NULL;
  return point == NULL ? (int)n : (int)(point - text) + (e != NULL ? (int)(text + n - e) : 0);
}

/* The number text of n bytes reads as. */
static double read_back(const char *text, size_t n) {
  double value;
  return decimal_read(text, n, &value) ? value : strtod(text, NULL);
}

static int decimals_needed(double x, int scientific, int precision, int at_least, int *lead) {
  char full[400], text[400];
  size_t n = real_text(x, scientific, at_least, text, sizeof text);
  double value;
  int d;
  /* x written in at_least decimals reads back as x: so does it in more,
  ** the full precision's too (the nearest of its decimals to x, within
  ** half a unit of x's last place when those at_least decimals are) */
  if (read_back(text, n) == x) {
    *lead = lead_of(text, n, scientific);
    return at_least;
  }
  n = real_text(x, scientific, precision, full, sizeof full);
  value = read_back(full, n);
  *lead = lead_of(full, n, scientific);
  for (d = at_least; d < precision; d++) {
    n = real_text(x, scientific, d, text, sizeof text);
    if (read_back(text, n) == value) break;
  }
  return d;
}

static const char *special(double x) {
  return isnan(x) ? "NaN" : x > 0 ? "Inf" : "-Inf";
}

/* Measuring again: the reals of the columns in %e, in %e. */
static void measure_reals_again(sqlite3_stmt *stmt, grid *g) {
  int c, lead;
  for (c = 0; c < g->ncols; c++) {
    column *col = &g->columns[c];
    double x;
    if (!col->scientific || sqlite3_column_type(stmt, c) != SQLITE_FLOAT) continue;
    x = sqlite3_column_double(stmt, c);
    if (!isfinite(x)) continue;
    col->e_decimals = decimals_needed(x, 1, g->precision, col->e_decimals, &lead);
    if (lead > col->e_lead) col->e_lead = lead;
  }
}

/* The first pass: a row measured. */
static void measure_row(lua_State *L, sqlite3_stmt *stmt, void *ud) {
  grid *g = (grid *)ud;
  int c;
  for (c = 0; c < g->ncols; c++) {
    column *col = &g->columns[c];
    char text[400];
    size_t n;
    switch (sqlite3_column_type(stmt, c)) {
      case SQLITE_NULL:
        n = 4;
        break;
      case SQLITE_INTEGER:
        col->has_number = 1;
        n = decimal_integer(sqlite3_column_int64(stmt, c), text);
        break;
      case SQLITE_FLOAT: {
        double x = sqlite3_column_double(stmt, c), a = fabs(x);
        int lead;
        col->has_number = 1;
        if (!isfinite(x)) {
          n = strlen(special(x));
          break;
        }
        if (!col->scientific && (a >= 1e18 || (a > 0 && a < g->tiny))) {
          /* all its reals in %e: those measured in %f before are measured again */
          col->scientific = 1;
          if (col->reals > 0) g->again = 1;
        }
        col->reals++;
        if (col->scientific) {
          col->e_decimals = decimals_needed(x, 1, g->precision, col->e_decimals, &lead);
          if (lead > col->e_lead) col->e_lead = lead;
        } else {
          col->f_decimals = decimals_needed(x, 0, g->precision, col->f_decimals, &lead);
          if (lead > col->f_lead) col->f_lead = lead;
        }
        n = 0;
        break;
      }
      default: {
        const char *s = (const char *)sqlite3_column_blob(stmt, c), *shown;
        int ascii;
        col->has_text = 1;
        n = escaped(L, g, s ? s : "", (size_t)sqlite3_column_bytes(stmt, c), &shown, &ascii);
        n = text_width(shown, n, ascii);
      }
    }
    if (n > col->width) col->width = n;
  }
}

/* A column's width once measured: its widest cell, reals at its decimals. */
static size_t column_width(const column *col) {
  int decimals = col->scientific ? col->e_decimals : col->f_decimals;
  int lead = col->scientific ? col->e_lead : col->f_lead;
  size_t reals = lead == 0 ? 0 : (size_t)lead + (decimals > 0 ? (size_t)decimals + 1 : 0);
  return reals > col->width ? reals : col->width;
}

static int right_aligned(const column *col) {
  return col->has_number && !col->has_text;
}

static void put(grid *g, const char *s, size_t n) {
  outbuf_put(&g->out, s, n);
}

static void put_spaces(grid *g, size_t n) {
  while (n-- > 0) outbuf_char(&g->out, ' ');
}

/* text, of width columns, in column c: padded to its width, on the side
** its kind asks (numbers right, text left, NULL as the column). */
static void put_cell(grid *g, int c, const char *text, size_t n, size_t width, int right) {
  size_t w = column_width(&g->columns[c]), gap = w > width ? w - width : 0;
  put(g, g->mode == GRID_BOX ? (c == 0 ? "│ " : " │ ") : (c == 0 ? "| " : " | "), g->mode == GRID_BOX ? (c == 0 ? 4 : 5) : (c == 0 ? 2 : 3));
  if (right) put_spaces(g, gap);
  put(g, text, n);
  if (!right) put_spaces(g, gap);
}

static void end_line(grid *g) {
  put(g, g->mode == GRID_BOX ? " │\n" : " |\n", g->mode == GRID_BOX ? 5 : 3);
}

/* A cell's text: NULL, an integer, a real at its column's decimals, or
** text escaped; in text (room for 400 bytes), scratch or a constant;
** ascii: whether its bytes are. */
static size_t cell_text(lua_State *L, sqlite3_stmt *stmt, grid *g, int c, char *text, const char **shown, int *ascii) {
  column *col = &g->columns[c];
  *shown = text;
  *ascii = 1;
  switch (sqlite3_column_type(stmt, c)) {
    case SQLITE_NULL:
      *shown = "NULL";
      return 4;
    case SQLITE_INTEGER:
      return decimal_integer(sqlite3_column_int64(stmt, c), text);
    case SQLITE_FLOAT: {
      double x = sqlite3_column_double(stmt, c);
      if (!isfinite(x)) {
        *shown = special(x);
        return strlen(*shown);
      }
      return real_text(x, col->scientific, col->scientific ? col->e_decimals : col->f_decimals, text, 400);
    }
    default: {
      const char *s = (const char *)sqlite3_column_blob(stmt, c);
      return escaped(L, g, s ? s : "", (size_t)sqlite3_column_bytes(stmt, c), shown, ascii);
    }
  }
}

/* The second pass in line mode: a row written, a line a field, a blank
** line before each row but the first. */
static void write_fields(lua_State *L, sqlite3_stmt *stmt, grid *g) {
  int c;
  if (g->rows > 0) put(g, "\n", 1);
  for (c = 0; c < g->ncols; c++) {
    char text[400];
    const char *shown;
    int ascii;
    size_t n = cell_text(L, stmt, g, c, text, &shown, &ascii);
    put(g, g->leads[c], g->lead_sizes[c]);
    put(g, shown, n);
    put(g, "\n", 1);
  }
  g->rows++;
}

/* The second pass: a row written. */
static void write_row(lua_State *L, sqlite3_stmt *stmt, void *ud) {
  grid *g = (grid *)ud;
  int c;
  if (g->mode == GRID_LINE) {
    write_fields(L, stmt, g);
    return;
  }
  for (c = 0; c < g->ncols; c++) {
    char text[400];
    const char *shown;
    int ascii, type = sqlite3_column_type(stmt, c);
    size_t n = cell_text(L, stmt, g, c, text, &shown, &ascii);
    /* numbers right, text left, NULL as its column */
    put_cell(g, c, shown, n, text_width(shown, n, ascii), type == SQLITE_NULL ? right_aligned(&g->columns[c]) :
                                                          type == SQLITE_INTEGER || type == SQLITE_FLOAT);
  }
  end_line(g);
  g->rows++;
}

/* Both passes: the row's values folded into this pass's digest, a value
** at a time (each hashed whole, seeded by the digest so far and its type). */
static XXH64_hash_t hash_row(sqlite3_stmt *stmt, int ncols, XXH64_hash_t digest) {
  int c;
  for (c = 0; c < ncols; c++) {
    int type = sqlite3_column_type(stmt, c);
    XXH64_hash_t seed = digest + (XXH64_hash_t)type;
    if (type == SQLITE_INTEGER) {
      sqlite3_int64 v = sqlite3_column_int64(stmt, c);
      digest = XXH3_64bits_withSeed(&v, sizeof v, seed);
    } else if (type == SQLITE_FLOAT) {
      double v = sqlite3_column_double(stmt, c);
      digest = XXH3_64bits_withSeed(&v, sizeof v, seed);
    } else if (type == SQLITE_NULL) {
      digest = XXH3_64bits_withSeed(NULL, 0, seed);
    } else {
      const void *s = sqlite3_column_blob(stmt, c);
      digest = XXH3_64bits_withSeed(s, (size_t)sqlite3_column_bytes(stmt, c), seed);
    }
  }
  return digest;
}

static void visit(lua_State *L, sqlite3_stmt *stmt, void *ud) {
  grid *g = (grid *)ud;
  if (sqlite3_column_count(stmt) != g->ncols) luaL_error(L, "print: %d columns, %d names for them",
                                                         sqlite3_column_count(stmt), g->ncols);
  if (g->pass == MEASURE_AGAIN) {
    measure_reals_again(stmt, g);
    return;
  }
  g->digest[g->pass == WRITE] = hash_row(stmt, g->ncols, g->digest[g->pass == WRITE]);
  if (g->pass == MEASURE) measure_row(L, stmt, ud);
  else write_row(L, stmt, ud);
}

/* A box's rule: left, each column's width of ─ and two, between, right. */
static void put_rule(grid *g, const char *left, const char *between, const char *right) {
  int c;
  put(g, left, strlen(left));
  for (c = 0; c < g->ncols; c++) {
    size_t i, w = column_width(&g->columns[c]) + 2;
    if (c > 0) put(g, between, strlen(between));
    for (i = 0; i < w; i++) put(g, "─", 3);
  }
  put(g, right, strlen(right));
  put(g, "\n", 1);
}

static void put_markdown_rule(grid *g) {
  int c;
  put(g, "|", 1);
  for (c = 0; c < g->ncols; c++) {
    size_t i, w = column_width(&g->columns[c]);
    for (i = 0; i < w + 1; i++) put(g, "-", 1);
    put(g, right_aligned(&g->columns[c]) ? ":|" : "-|", 2);
  }
  put(g, "\n", 1);
}

/* The headers (the list at idx), escaped, measured or written. */
static void headers(lua_State *L, grid *g, int idx, int write) {
  int c;
  for (c = 0; c < g->ncols; c++) {
    size_t n;
    const char *name, *shown;
    int at = lua_gettop(L) + 1;
    lua_geti(L, idx, c + 1);
    name = luaL_checklstring(L, at, &n);
    int ascii;
    n = escaped(L, g, name, n, &shown, &ascii);  /* shown may be name itself */
    if (!write) {
      size_t w = text_width(shown, n, ascii);
      if (w > g->columns[c].width) g->columns[c].width = w;
    } else {
      put_cell(g, c, shown, n, text_width(shown, n, ascii), right_aligned(&g->columns[c]));
    }
    lua_remove(L, at);  /* the name; a new scratch above it stays */
  }
  if (write) end_line(g);
}

/* zb.core.print_rows(file, mode, sql, params, headers, precision): every
** row of sql (params bound as rows() binds them) written to file, an open
** Lua file, as a box or a markdown table (mode "box" or "markdown") under
** headers (a list of the columns' names), or in line mode ("line"; headers
** then each field's lead, its name padded and " = ", written as it is),
** reals at most precision decimals; each line ends in a newline, and a
** markdown table in a blank line.  Returns true, or nil and why a write failed; raises when the
** query gave other rows the second time it ran. */
int grid_l_print(lua_State *L) {
  luaL_Stream *stream = (luaL_Stream *)luaL_checkudata(L, 1, LUA_FILEHANDLE);
  static const char *const modes[] = {"box", "markdown", "line", NULL};
  int mode = luaL_checkoption(L, 2, NULL, modes), pass, top;
  lua_Integer precision = luaL_checkinteger(L, 6);
  grid *g;
  luaL_checkstring(L, 3);
  luaL_checktype(L, 4, LUA_TTABLE);
  luaL_checktype(L, 5, LUA_TTABLE);
  luaL_argcheck(L, precision >= 0 && precision <= 17, 6, "a precision from 0 to 17");
  if (stream->closef == NULL) return luaL_error(L, "attempt to use a closed file");
  lua_settop(L, 6);
  g = (grid *)lua_newuserdatauv(L, sizeof *g, 0);  /* at 7 */
  memset(g, 0, sizeof *g);
  g->mode = mode, g->precision = (int)precision, g->tiny = pow(10, -(double)precision);
  g->ncols = (int)luaL_len(L, 5);
  g->columns = (column *)lua_newuserdatauv(L, sizeof *g->columns * (size_t)(g->ncols + 1), 0);  /* at 8 */
  memset(g->columns, 0, sizeof *g->columns * (size_t)(g->ncols + 1));
  outbuf_init(&g->out, stream->f);
  db_push_session(L);  /* at 9 */
  if (mode == GRID_LINE) {  /* the leads' strings live in the headers' list */
    int c;
    g->leads = (const char **)lua_newuserdatauv(L, sizeof *g->leads * (size_t)(g->ncols + 1), 0);
    g->lead_sizes = (size_t *)lua_newuserdatauv(L, sizeof *g->lead_sizes * (size_t)(g->ncols + 1), 0);
    for (c = 0; c < g->ncols; c++) {
      lua_geti(L, 5, c + 1);
      g->leads[c] = luaL_checklstring(L, -1, &g->lead_sizes[c]);
      lua_pop(L, 1);
    }
  }
  top = lua_gettop(L);
  if (mode != GRID_LINE) headers(L, g, 5, 0);
  for (pass = MEASURE; pass <= WRITE; pass++) {
    g->pass = pass;
    if (pass == MEASURE_AGAIN && !g->again) continue;
    if (pass == WRITE && mode != GRID_LINE) {
      if (mode == GRID_BOX) put_rule(g, "┌", "┬", "┐");
      headers(L, g, 5, 1);
      if (mode == GRID_BOX) put_rule(g, "├", "┼", "┤");
      else put_markdown_rule(g);
    }
    (void)db_each_row(L, 9, 3, 4, visit, g);
    lua_settop(L, top);
    g->scratch_size = 0;  /* its userdata is gone with the stack above top */
  }
  if (mode == GRID_BOX) put_rule(g, "└", "┴", "┘");
  if (g->rows == 0) put(g, mode == GRID_MARKDOWN ? "\n0 rows\n" : "0 rows\n", mode == GRID_MARKDOWN ? 8 : 7);
  if (mode == GRID_MARKDOWN) put(g, "\n", 1);
  outbuf_flush(&g->out);
  if (g->out.failed) {
    luaL_pushfail(L);
    lua_pushstring(L, strerror(g->out.error));
    return 2;
  }
  if (g->digest[0] != g->digest[1])
    return luaL_error(L, "print: the query gave other rows the second time it ran (random() or the time?), so the "
                         "widths and decimals above were measured on other values; save it first (t:save(name)) "
                         "and print the saved table");
  lua_pushboolean(L, 1);
  return 1;
}
