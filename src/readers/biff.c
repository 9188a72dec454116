/*
** biff.c: the cells of an .xls sheet that libfreexl does not give as they
** are.  libfreexl 1.0 reads a BOOLERR record's error (#DIV/0!, #N/A) as
** the number 1 (#NULL! as 0), a wrong number nothing could tell from a
** real one, reads a boolean as a number, and skips FORMULA records, whose
** results Excel keeps beside each formula, so that every formula cell
** came out empty.  libgsf opens the OLE2 container and the workbook's
** stream; the records are read here (each a type, a length and its bytes)
** for those cells alone and for the formats that tell a date.
*/
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "biff.h"
#include "workbook.h"

#define GSF_LIBRARY "libgsf-1.so.114"

enum {
  REC_FORMULA = 0x0006, REC_EOF = 0x000A, REC_DATEMODE = 0x0022, REC_CONTINUE = 0x003C,
  REC_BOUNDSHEET = 0x0085, REC_MULRK = 0x00BD, REC_XF = 0x00E0, REC_MERGEDCELLS = 0x00E5, REC_NUMBER = 0x0203,
  REC_BOOLERR = 0x0205,
  REC_STRING = 0x0207, REC_RK = 0x027E,
  REC_FORMAT = 0x041E, REC_BOF = 0x0809
};

/* libgsf's and GLib's, declared here as the library is opened at run time
** (GLib's headers would be needed to include gsf's). */
typedef struct gsf_input gsf_input;
typedef struct g_error { uint32_t domain; int code; char *message; } g_error;

static struct {
  int opened;
  void (*gsf_init)(void);
  gsf_input *(*gsf_input_stdio_new)(const char *, g_error **);
  gsf_input *(*gsf_infile_msole_new)(gsf_input *, g_error **);
  gsf_input *(*gsf_infile_child_by_name)(gsf_input *, const char *);
  const unsigned char *(*gsf_input_read)(gsf_input *, size_t, unsigned char *);
  int64_t (*gsf_input_tell)(gsf_input *);
  void (*g_object_unref)(void *);
  void (*g_error_free)(g_error *);
} gsf;

const char *biff_open_library(void) {
  void *handle;
  if (gsf.opened) return NULL;
  if ((handle = dlopen(GSF_LIBRARY, RTLD_NOW | RTLD_LOCAL)) == NULL) return dlerror();
#define BIFF_RESOLVE(name) { \
    void *found = dlsym(handle, #name); \
    if (found == NULL) return GSF_LIBRARY " lacks " #name; \
    memcpy(&gsf.name, &found, sizeof found); \
  }
  BIFF_RESOLVE(gsf_init) BIFF_RESOLVE(gsf_input_stdio_new) BIFF_RESOLVE(gsf_infile_msole_new)
  BIFF_RESOLVE(gsf_infile_child_by_name) BIFF_RESOLVE(gsf_input_read) BIFF_RESOLVE(gsf_input_tell)
  BIFF_RESOLVE(g_object_unref) BIFF_RESOLVE(g_error_free)
  gsf.gsf_init();
  gsf.opened = 1;
  return NULL;
}

static unsigned u16(const unsigned char *p) {
  return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint32_t u32(const unsigned char *p) {
  return (uint32_t)u16(p) | (uint32_t)u16(p + 2) << 16;
}

/* Grow the array at *at (of *cap items of size each) to hold n + 1. */
static int grow(void *at, size_t *cap, size_t n, size_t size) {
  void *grown;
  if (n < *cap) return 1;
  if ((grown = realloc(*(void **)at, (*cap * 2 + 64) * size)) == NULL) return 0;
  *(void **)at = grown;
  *cap = *cap * 2 + 64;
  return 1;
}

static int add_text(biff_sheet *b, const char *s, size_t len) {
  if (b->text_len + len + 1 > b->text_cap) {
    size_t cap = (b->text_len + len + 1) * 2;
    char *grown = (char *)realloc(b->text, cap);
    if (grown == NULL) return 0;
    b->text = grown;
    b->text_cap = cap;
  }
  memcpy(b->text + b->text_len, s, len);
  b->text_len += len;
  return 1;
}

/* Append code point cp as UTF-8. */
static int add_code_point(biff_sheet *b, uint32_t cp) {
  char out[4];
  size_t n;
  if (cp < 0x80) out[0] = (char)cp, n = 1;
  else if (cp < 0x800) out[0] = (char)(0xC0 | cp >> 6), out[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
  else if (cp < 0x10000) {
    out[0] = (char)(0xE0 | cp >> 12), out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
  } else {
    out[0] = (char)(0xF0 | cp >> 18), out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3F)), out[3] = (char)(0x80 | (cp & 0x3F)), n = 4;
  }
  return add_text(b, out, n);
}

/* A formula's text result as it comes: its characters left to read, the
** cell it belongs to, and a high surrogate waiting for its low half. */
typedef struct pending_text {
  int active;
  unsigned left;
  size_t cell;
  uint32_t high;
} pending_text;

/* Read the characters at p (up to end) of the pending text: two bytes
** each when wide, else one (Latin-1).  BIFF5's text is the code page's:
** a byte outside ASCII makes the cell an error rather than a guess. */
static int add_chars(biff_sheet *b, pending_text *t, const unsigned char *p, const unsigned char *end, int wide,
                     int biff8) {
  for (; t->left > 0 && p + (wide ? 2 : 1) <= end; t->left--) {
    uint32_t c = wide ? u16(p) : *p;
    p += wide ? 2 : 1;
    if (!biff8 && c >= 0x80) return -1;
    if (c >= 0xD800 && c < 0xDC00) {
      t->high = c;
      continue;
    }
    if (c >= 0xDC00 && c < 0xE000 && t->high) c = 0x10000 + ((t->high - 0xD800) << 10) + (c - 0xDC00);
    t->high = 0;
    if (!add_code_point(b, c)) return 0;
  }
  return 1;
}

static const char *error_text(unsigned code) {
  switch (code) {
    case 0x00: return "#NULL!";
    case 0x07: return "#DIV/0!";
    case 0x0F: return "#VALUE!";
    case 0x17: return "#REF!";
    case 0x1D: return "#NAME?";
    case 0x24: return "#NUM!";
    case 0x2A: return "#N/A";
    default: return "#ERROR";
  }
}

static biff_cell *add_cell_at(biff_sheet *b, unsigned row, unsigned col, unsigned xf, int kind) {
  biff_cell *c;
  if (!grow(&b->cells, &b->cells_cap, b->ncells, sizeof *b->cells)) return NULL;
  c = &b->cells[b->ncells++];
  memset(c, 0, sizeof *c);
  c->row = row, c->col = col, c->xf = xf, c->kind = kind;
  c->text = b->text_len;
  return c;
}

/* A cell whose record begins with its row, column and format. */
static biff_cell *add_cell(biff_sheet *b, const unsigned char *rec, int kind) {
  return add_cell_at(b, u16(rec), u16(rec + 2), u16(rec + 4), kind);
}

static double double_at(const unsigned char *p) {
  uint64_t bits = (uint64_t)u32(p) | (uint64_t)u32(p + 4) << 32;
  double d;
  memcpy(&d, &bits, sizeof d);
  return d;
}

/* An RK value: 30 bits of an integer or of a double's high bits, the
** lowest bit saying it is in hundredths. */
static double rk_value(uint32_t rk) {
  double d;
  if (rk & 2) d = (double)((int32_t)rk >> 2);
  else {
    uint64_t bits = (uint64_t)(rk & 0xFFFFFFFCu) << 32;
    memcpy(&d, &bits, sizeof d);
  }
  return rk & 1 ? d / 100 : d;
}

/* A number cell kept when b->keeps says its format wants it (a date's,
** read as workbook.c reads an .xlsx's serials). */
static int keep_number(biff_sheet *b, unsigned row, unsigned col, unsigned xf, double number) {
  biff_cell *c;
  if (b->keeps == NULL || !b->keeps(b, xf)) return 1;
  if ((c = add_cell_at(b, row, col, xf, CELL_NUMBER)) == NULL) return 0;
  c->number = number;
  return 1;
}

static int add_error(biff_sheet *b, const unsigned char *rec, unsigned code) {
  const char *s = error_text(code);
  biff_cell *c = add_cell(b, rec, CELL_ERROR);
  if (c == NULL || !add_text(b, s, strlen(s))) return 0;
  c->len = strlen(s);
  return 1;
}

/* A FORMULA record: its cached result, a number unless its last two
** bytes are FFFF; a text result's characters come in the STRING next. */
static int read_formula(biff_sheet *b, const unsigned char *rec, unsigned len, pending_text *t) {
  const unsigned char *r = rec + 6;
  biff_cell *c;
  if (len < 20) return 1;
  if (r[6] != 0xFF || r[7] != 0xFF) {
    if ((c = add_cell(b, rec, CELL_NUMBER)) == NULL) return 0;
    c->number = double_at(r);
    return 1;
  }
  switch (r[0]) {
    case 0:
      if ((c = add_cell(b, rec, CELL_TEXT)) == NULL) return 0;
      t->active = 1, t->left = 0, t->cell = (size_t)(c - b->cells), t->high = 0;
      return 1;
    case 1:
      if ((c = add_cell(b, rec, CELL_BOOLEAN)) == NULL) return 0;
      c->number = r[2] != 0;
      return 1;
    case 2: return add_error(b, rec, r[2]);
    default: return add_cell(b, rec, 0) != NULL;
  }
}

/* The STRING after a text FORMULA, or a CONTINUE of it. */
static int read_string(biff_sheet *b, const unsigned char *rec, unsigned len, pending_text *t, int first, int biff8) {
  biff_cell *c = &b->cells[t->cell];
  const unsigned char *p = rec, *end = rec + len;
  int wide = 0, ok;
  if (first) {
    if (len < (biff8 ? 3u : 2u)) return 1;
    t->left = u16(p);
    p += 2;
    if (biff8) wide = *p++ & 1;
  } else if (len >= 1) wide = *p++ & 1;
  ok = add_chars(b, t, p, end, wide, biff8);
  if (ok < 0) {  /* a code page's text: not read */
    b->text_len = c->text;
    t->active = 0;
    c->kind = CELL_ERROR;
    c->len = 5;
    return add_text(b, "#TEXT", 5);
  }
  c->len = b->text_len - c->text;
  if (t->left == 0) t->active = 0;
  return ok;
}

static int read_format(biff_sheet *b, const unsigned char *rec, unsigned len, int biff8) {
  biff_format *f;
  unsigned n, i, wide = 0;
  const unsigned char *p;
  if (len < (biff8 ? 5u : 3u)) return 1;
  if (!grow(&b->formats, &b->formats_cap, b->nformats, sizeof *b->formats)) return 0;
  f = &b->formats[b->nformats++];
  f->id = u16(rec);
  n = biff8 ? u16(rec + 2) : rec[2];
  if (biff8) wide = rec[4] & 1;
  p = rec + (biff8 ? 5 : 3);
  for (i = 0; i < n && i < sizeof f->code - 1 && p + (wide ? 2 : 1) <= rec + len; i++) {
    unsigned ch = wide ? u16(p) : *p;
    p += wide ? 2 : 1;
    f->code[i] = ch < 0x80 ? (char)ch : ' ';
  }
  f->code[i] = '\0';
  return 1;
}

/* A MERGEDCELLS record: a count, then each range's first and last row and
** first and last column. */
static int read_merges(biff_sheet *b, const unsigned char *rec, unsigned len) {
  unsigned i, n = u16(rec);
  for (i = 0; i < n && 2 + 8 * (i + 1) <= len; i++) {
    const unsigned char *r = rec + 2 + 8 * i;
    if (!grow(&b->merges, &b->merges_cap, b->nmerges + 3, sizeof *b->merges)) return 0;
    b->merges[b->nmerges++] = (int)u16(r + 4), b->merges[b->nmerges++] = (int)u16(r) + 1;
    b->merges[b->nmerges++] = (int)u16(r + 6), b->merges[b->nmerges++] = (int)u16(r + 2) + 1;
  }
  return 1;
}

/* Where the records of one sheet are, and how far in them we are. */
typedef struct scan_state {
  int biff8, sheets_seen, depth;
  int64_t target;  /* the sheet's BOF's place in the stream, or -1 */
  pending_text text;
} scan_state;

/* One record: the workbook's (sheets, formats, date system) before the
** sheet, the sheet's cells in it.  0 when memory ran out. */
static int read_record(biff_sheet *b, scan_state *s, int sheet, unsigned type, const unsigned char *rec,
                       unsigned len) {
  if (s->depth == 0) {
    if (type == REC_BOF && len >= 2 && s->sheets_seen == 0 && b->nxf == 0) s->biff8 = u16(rec) == 0x0600;
    if (type == REC_BOUNDSHEET && len >= 4 && s->sheets_seen++ == sheet) s->target = u32(rec);
    if (type == REC_DATEMODE && len >= 2) b->date1904 = u16(rec) == 1;
    if (type == REC_FORMAT) return read_format(b, rec, len, s->biff8);
    if (type == REC_XF && len >= 4) {
      if (!grow(&b->xf_format, &b->xf_cap, b->nxf, sizeof *b->xf_format)) return 0;
      b->xf_format[b->nxf++] = u16(rec + 2);
    }
    return 1;
  }
  if (s->text.active && (type == REC_STRING || type == REC_CONTINUE))
    return read_string(b, rec, len, &s->text, type == REC_STRING, s->biff8);
  s->text.active = 0;
  if (s->depth != 1) return 1;  /* a chart's records inside the sheet */
  if (type == REC_FORMULA) return read_formula(b, rec, len, &s->text);
  if (type == REC_BOOLERR && len >= 8) {
    biff_cell *c;
    if (rec[7]) return add_error(b, rec, rec[6]);
    if ((c = add_cell(b, rec, CELL_BOOLEAN)) == NULL) return 0;
    c->number = rec[6] != 0;
  }
  if (type == REC_MERGEDCELLS && len >= 2) return read_merges(b, rec, len);
  if (type == REC_NUMBER && len >= 14) return keep_number(b, u16(rec), u16(rec + 2), u16(rec + 4), double_at(rec + 6));
  if (type == REC_RK && len >= 10) return keep_number(b, u16(rec), u16(rec + 2), u16(rec + 4), rk_value(u32(rec + 6)));
  if (type == REC_MULRK && len >= 6) {
    unsigned i, n = (len - 6) / 6;
    for (i = 0; i < n; i++)
      if (!keep_number(b, u16(rec), u16(rec + 2) + i, u16(rec + 4 + 6 * i), rk_value(u32(rec + 6 + 6 * i)))) return 0;
  }
  return 1;
}

static int by_place(const void *a, const void *b) {
  const biff_cell *x = (const biff_cell *)a, *y = (const biff_cell *)b;
  if (x->row != y->row) return x->row < y->row ? -1 : 1;
  return x->col < y->col ? -1 : x->col > y->col;
}

/* Each record of the stream in order, until the sheet's own EOF. */
static const char *scan(gsf_input *stream, int sheet, biff_sheet *b) {
  scan_state s;
  const unsigned char *head;
  memset(&s, 0, sizeof s);
  s.target = -1;
  for (;;) {
    int64_t at = gsf.gsf_input_tell(stream);
    unsigned type, len;
    const unsigned char *rec = NULL;
    if ((head = gsf.gsf_input_read(stream, 4, NULL)) == NULL) break;
    type = u16(head), len = u16(head + 2);
    if (len > 0 && (rec = gsf.gsf_input_read(stream, len, NULL)) == NULL) return "a record runs past the end of the workbook";
    if (type == REC_BOF && at == s.target) s.depth = 1;
    else if (type == REC_BOF && s.depth > 0) s.depth++;
    else if (type == REC_EOF && s.depth > 0 && --s.depth == 0) break;
    if (!read_record(b, &s, sheet, type, rec, len)) return "not enough memory";
  }
  if (s.target < 0) return "the workbook does not say where the sheet's records are";
  if (b->ncells > 1) qsort(b->cells, b->ncells, sizeof *b->cells, by_place);
  return NULL;
}

const char *biff_read(const char *path, int sheet, biff_keeps keeps, biff_sheet *out, char *why, size_t size) {
  g_error *err = NULL;
  gsf_input *file, *ole, *stream = NULL;
  const char *problem;
  memset(out, 0, sizeof *out);
  out->keeps = keeps;
  if ((problem = biff_open_library()) != NULL) {
    snprintf(why, size, "cannot read .xls workbooks' formulas and error cells: %s (Debian's libgsf-1-114)", problem);
    return why;
  }
  if ((file = gsf.gsf_input_stdio_new(path, &err)) == NULL) {
    snprintf(why, size, "libgsf cannot open it: %s", err && err->message ? err->message : "unknown error");
    if (err) gsf.g_error_free(err);
    return why;
  }
  if ((ole = gsf.gsf_infile_msole_new(file, &err)) == NULL) {
    snprintf(why, size, "libgsf cannot read it as an OLE2 file: %s", err && err->message ? err->message : "unknown error");
    if (err) gsf.g_error_free(err);
    gsf.g_object_unref(file);
    return why;
  }
  if ((stream = gsf.gsf_infile_child_by_name(ole, "Workbook")) == NULL)
    stream = gsf.gsf_infile_child_by_name(ole, "Book");
  problem = stream ? scan(stream, sheet, out) : "an OLE2 file without a workbook stream";
  if (stream) gsf.g_object_unref(stream);
  gsf.g_object_unref(ole);
  gsf.g_object_unref(file);
  return problem;
}

const biff_cell *biff_find(const biff_sheet *b, unsigned row, unsigned col, size_t *next) {
  while (*next < b->ncells && (b->cells[*next].row < row || (b->cells[*next].row == row && b->cells[*next].col < col)))
    ++*next;
  if (*next < b->ncells && b->cells[*next].row == row && b->cells[*next].col == col) return &b->cells[*next];
  return NULL;
}

void biff_free(biff_sheet *b) {
  free(b->cells), free(b->text), free(b->xf_format), free(b->formats), free(b->merges);
  memset(b, 0, sizeof *b);
}
