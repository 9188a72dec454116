/*
** workbook.c: Excel workbooks as rows of cells.  An .xlsx is a ZIP archive
** of XML parts: libzip inflates them and expat parses them as they come,
** so a sheet is never held whole (the shared strings are, as every cell
** may point at any).  Dates are numbers in a date format (styles.xml),
** counted from 1900 or, in a workbook that says so, from 1904.  An .xls
** is read by libfreexl, which gives dates as ISO text itself.
*/
#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <expat.h>
#include <freexl.h>
#include <zip.h>

#include "biff.h"
#include "magic.h"
#include "workbook.h"
#include "xlsx_part.h"

#define ZIP_LIBRARY "libzip.so.4"
#define EXPAT_LIBRARY "libexpat.so.1"
#define FREEXL_LIBRARY "libfreexl.so.1"
#define CHUNK 65536

/* The three libraries, opened at the first workbook read (linked, they
** would add to every zb's start-up).  Process-wide, as the libraries they
** hold are: filled once, never changed after. */
static struct {
  int opened;
#define WORKBOOK_ZIP(X) X(zip_open) X(zip_discard) X(zip_fopen) X(zip_fread) X(zip_fclose) X(zip_name_locate) \
  X(zip_error_init_with_code) X(zip_error_strerror) X(zip_error_fini) X(zip_source_buffer) X(zip_source_free) \
  X(zip_file_replace) X(zip_close) X(zip_strerror)
#define WORKBOOK_EXPAT(X) X(XML_ParserCreate) X(XML_ParserFree) X(XML_SetUserData) X(XML_SetElementHandler) \
  X(XML_SetCharacterDataHandler) X(XML_Parse) X(XML_StopParser) X(XML_GetErrorCode) X(XML_ErrorString)
#define WORKBOOK_FREEXL(X) X(freexl_open) X(freexl_close) X(freexl_get_info) X(freexl_get_worksheet_name) \
  X(freexl_select_active_worksheet) X(freexl_worksheet_dimensions) X(freexl_get_cell_value)
#define WORKBOOK_POINTER(name) __typeof__(name) *name;
  WORKBOOK_ZIP(WORKBOOK_POINTER)
  WORKBOOK_EXPAT(WORKBOOK_POINTER)
  WORKBOOK_FREEXL(WORKBOOK_POINTER)
} lib;

const char *workbook_open_libraries(void) {
  void *zip, *expat, *freexl;
  if (lib.opened) return NULL;
  if ((zip = dlopen(ZIP_LIBRARY, RTLD_NOW | RTLD_LOCAL)) == NULL) return dlerror();
  if ((expat = dlopen(EXPAT_LIBRARY, RTLD_NOW | RTLD_LOCAL)) == NULL) return dlerror();
  if ((freexl = dlopen(FREEXL_LIBRARY, RTLD_NOW | RTLD_LOCAL)) == NULL) return dlerror();
#define WORKBOOK_RESOLVE(handle, library, name) { \
    void *found = dlsym(handle, #name); \
    if (found == NULL) return library " lacks " #name; \
    memcpy(&lib.name, &found, sizeof found); \
  }
#define FROM_ZIP(name) WORKBOOK_RESOLVE(zip, ZIP_LIBRARY, name)
#define FROM_EXPAT(name) WORKBOOK_RESOLVE(expat, EXPAT_LIBRARY, name)
#define FROM_FREEXL(name) WORKBOOK_RESOLVE(freexl, FREEXL_LIBRARY, name)
  WORKBOOK_ZIP(FROM_ZIP)
  WORKBOOK_EXPAT(FROM_EXPAT)
  WORKBOOK_FREEXL(FROM_FREEXL)
  lib.opened = 1;
  return biff_open_library();
}

/* A growing byte buffer. */
typedef struct bytes {
  char *s;
  size_t len, cap;
} bytes;

static int bytes_add(bytes *b, const char *s, size_t len) {
  if (b->len + len + 1 > b->cap) {
    size_t cap = (b->len + len + 1) * 2;
    char *grown = (char *)realloc(b->s, cap);
    if (grown == NULL) return 0;
    b->s = grown;
    b->cap = cap;
  }
  memcpy(b->s + b->len, s, len);
  b->len += len;
  b->s[b->len] = '\0';
  return 1;
}

/* A growing array of size_t. */
typedef struct offsets {
  size_t *at;
  int n, cap;
} offsets;

static int offsets_add(offsets *o, size_t v) {
  if (o->n == o->cap) {
    int cap = o->cap * 2 + 64;
    size_t *grown = (size_t *)realloc(o->at, (size_t)cap * sizeof *grown);
    if (grown == NULL) return 0;
    o->at = grown;
    o->cap = cap;
  }
  o->at[o->n++] = v;
  return 1;
}

struct workbook {
  int xls;
  char *path;           /* .xls: read again for the cells libfreexl does not give as they are */
  zip_t *zip;
  const void *xls_handle;
  bytes names;          /* the sheets' names, each ending in NUL */
  offsets name_at;
  bytes parts;          /* .xlsx: each sheet's part in the archive, each ending in NUL */
  offsets part_at;
  bytes rel_ids;        /* .xlsx while opening: each sheet's relationship id */
  offsets rel_at;
  int date1904;
  bytes strings;        /* the shared strings, each ending in NUL */
  offsets string_at;
  unsigned char *xf_date;  /* per cell style: 0, or a date (1), a time of day (2) or a date and time (3) format */
  int nxf;
  int *merges;          /* the last sheet streamed's merged ranges, four numbers each */
  int nmerges, merges_cap;
  XML_Parser parser;    /* of the part being read */
  const char *problem;  /* set by a handler that stopped the parser */
  char *why;
  size_t why_size;
};

/* ---- XML parts ---- */

/* An element's name without its namespace prefix. */
static const char *local(const XML_Char *name) {
  const char *colon = strchr(name, ':');
  return colon ? colon + 1 : name;
}

/* The value of the attribute of local name key, or NULL. */
static const char *attr(const XML_Char **atts, const char *key) {
  for (; atts[0] != NULL; atts += 2)
    if (strcmp(local(atts[0]), key) == 0) return atts[1];
  return NULL;
}

/* Parse the archive's part name with the handlers (their user data ud);
** NULL, or a message.  A missing part is "missing" when may_lack. */
static const char *parse_part(workbook *wb, const char *name, XML_StartElementHandler start,
                              XML_EndElementHandler end, XML_CharacterDataHandler text, void *ud, int may_lack) {
  zip_file_t *f;
  XML_Parser p;
  char *buf;
  const char *problem = NULL;
  if (lib.zip_name_locate(wb->zip, name, 0) < 0) {
    if (may_lack) return "missing";
    snprintf(wb->why, wb->why_size, "a ZIP archive, but not an Excel workbook (it holds no %s)", name);
    return wb->why;
  }
  if ((f = lib.zip_fopen(wb->zip, name, 0)) == NULL) {
    snprintf(wb->why, wb->why_size, "cannot read %s in the archive (damaged?)", name);
    return wb->why;
  }
  p = lib.XML_ParserCreate("UTF-8");
  buf = (char *)malloc(CHUNK);
  if (p == NULL || buf == NULL) problem = "not enough memory";
  else {
    wb->parser = p;
    lib.XML_SetUserData(p, ud);
    lib.XML_SetElementHandler(p, start, end);
    lib.XML_SetCharacterDataHandler(p, text);
    wb->problem = NULL;
    for (;;) {
      zip_int64_t got = lib.zip_fread(f, buf, CHUNK);
      if (got < 0) {
        snprintf(wb->why, wb->why_size, "cannot inflate %s in the archive (damaged?)", name);
        problem = wb->why;
        break;
      }
      if (lib.XML_Parse(p, buf, (int)got, got == 0) != XML_STATUS_OK) {
        if (wb->problem != NULL) problem = wb->problem;
        else if (lib.XML_GetErrorCode(p) != XML_ERROR_ABORTED) {
          snprintf(wb->why, wb->why_size, "%s in the archive is not well-formed XML (%s)", name,
                   lib.XML_ErrorString(lib.XML_GetErrorCode(p)));
          problem = wb->why;
        }
        break;
      }
      if (got == 0) break;
    }
  }
  free(buf);
  if (p != NULL) lib.XML_ParserFree(p);
  lib.zip_fclose(f);
  return problem;
}

/* Stop the parser of a handler: the part is not what it should be. */
static void stop(workbook *wb, const char *problem) {
  wb->problem = problem;
  lib.XML_StopParser(wb->parser, XML_FALSE);
}

/* ---- workbook.xml and its relationships ---- */

static void on_workbook(void *ud, const XML_Char *name, const XML_Char **atts) {
  workbook *wb = (workbook *)ud;
  const char *el = local(name);
  if (strcmp(el, "workbookPr") == 0) {
    const char *d = attr(atts, "date1904");
    wb->date1904 = d != NULL && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
  } else if (strcmp(el, "sheet") == 0) {
    const char *sheet = attr(atts, "name"), *id = attr(atts, "id");
    if (sheet == NULL || id == NULL) return;
    if (!offsets_add(&wb->name_at, wb->names.len) || !bytes_add(&wb->names, sheet, strlen(sheet) + 1) ||
        !offsets_add(&wb->rel_at, wb->rel_ids.len) || !bytes_add(&wb->rel_ids, id, strlen(id) + 1))
      wb->problem = "not enough memory";
  }
}

static void on_nothing(void *ud, const XML_Char *name) {
  (void)ud, (void)name;
}

/* A relationship's target, as a part of the archive: relative to xl/. */
static void on_relationship(void *ud, const XML_Char *name, const XML_Char **atts) {
  workbook *wb = (workbook *)ud;
  const char *id = attr(atts, "Id"), *target = attr(atts, "Target");
  int i;
  if (strcmp(local(name), "Relationship") != 0 || id == NULL || target == NULL) return;
  for (i = 0; i < wb->rel_at.n; i++) {
    if (strcmp(wb->rel_ids.s + wb->rel_at.at[i], id) != 0) continue;
    wb->part_at.at[i] = wb->parts.len;
    if (target[0] == '/') target++;
    else if (!bytes_add(&wb->parts, "xl/", 3)) wb->problem = "not enough memory";
    if (!bytes_add(&wb->parts, target, strlen(target) + 1)) wb->problem = "not enough memory";
  }
}

/* ---- the shared strings ---- */

typedef struct strings_state {
  workbook *wb;
  int in_t, in_phonetic;
} strings_state;

static void on_string_start(void *ud, const XML_Char *name, const XML_Char **atts) {
  strings_state *st = (strings_state *)ud;
  const char *el = local(name);
  (void)atts;
  if (strcmp(el, "si") == 0) {
    if (!offsets_add(&st->wb->string_at, st->wb->strings.len)) stop(st->wb, "not enough memory");
  } else if (strcmp(el, "t") == 0) st->in_t = 1;
  else if (strcmp(el, "rPh") == 0) st->in_phonetic = 1;  /* a reading's run, not the text's */
}

static void on_string_end(void *ud, const XML_Char *name) {
  strings_state *st = (strings_state *)ud;
  const char *el = local(name);
  if (strcmp(el, "si") == 0) {
    if (!bytes_add(&st->wb->strings, "", 1)) stop(st->wb, "not enough memory");
  } else if (strcmp(el, "t") == 0) st->in_t = 0;
  else if (strcmp(el, "rPh") == 0) st->in_phonetic = 0;
}

static void on_string_text(void *ud, const XML_Char *s, int len) {
  strings_state *st = (strings_state *)ud;
  if (st->in_t && !st->in_phonetic && !bytes_add(&st->wb->strings, s, (size_t)len))
    stop(st->wb, "not enough memory");
}

/* ---- styles: which cell formats are dates ---- */

/* 1 when an Excel number format shows a date, 2 a time of day only, 3 a
** date and a time, else 0: letters outside quotes, brackets ([Red],
** [$-409]) and escapes. */
static int date_format(const char *code) {
  int date = 0, time = 0;
  for (; *code; code++) {
    char c = *code;
    if (c == '"') {
      while (code[1] && code[1] != '"') code++;
      if (code[1]) code++;
    } else if (c == '[') {
      while (code[1] && code[1] != ']') code++;
    } else if (c == '\\' || c == '_' || c == '*') {
      if (code[1]) code++;
    } else if (c == 'y' || c == 'Y' || c == 'd' || c == 'D') date = 1;
    else if (c == 'h' || c == 'H' || c == 's' || c == 'S') time = 1;
    else if ((c == 'm' || c == 'M') && !time) date = 1;  /* months, unless after hours: minutes */
  }
  return date && time ? 3 : date ? 1 : time ? 2 : 0;
}

/* Excel's built-in formats (ids below 164) that are dates or times,
** Chinese and Japanese ones included. */
static int builtin_date(int id) {
  if (id == 22) return 3;  /* m/d/yy h:mm */
  if ((id >= 14 && id <= 17) || (id >= 27 && id <= 31) || (id >= 50 && id <= 58)) return 1;
  if ((id >= 18 && id <= 21) || (id >= 32 && id <= 36) || (id >= 45 && id <= 47)) return 2;
  return 0;
}

typedef struct styles_state {
  workbook *wb;
  int in_xfs;
  int custom_id[256];  /* numFmt ids defined here, and whether each is a date */
  unsigned char custom_date[256];
  int ncustom;
  offsets xf_formats;  /* each cell style's numFmtId */
} styles_state;

static void on_style_start(void *ud, const XML_Char *name, const XML_Char **atts) {
  styles_state *st = (styles_state *)ud;
  const char *el = local(name), *id;
  if (strcmp(el, "numFmt") == 0 && st->ncustom < 256) {
    const char *code = attr(atts, "formatCode");
    if ((id = attr(atts, "numFmtId")) == NULL || code == NULL) return;
    st->custom_id[st->ncustom] = atoi(id);
    st->custom_date[st->ncustom++] = (unsigned char)date_format(code);
  } else if (strcmp(el, "cellXfs") == 0) st->in_xfs = 1;
  else if (strcmp(el, "xf") == 0 && st->in_xfs) {
    id = attr(atts, "numFmtId");
    if (!offsets_add(&st->xf_formats, id ? (size_t)atoi(id) : 0)) stop(st->wb, "not enough memory");
  }
}

static void on_style_end(void *ud, const XML_Char *name) {
  styles_state *st = (styles_state *)ud;
  if (strcmp(local(name), "cellXfs") == 0) st->in_xfs = 0;
}

static void on_no_text(void *ud, const XML_Char *s, int len) {
  (void)ud, (void)s, (void)len;
}

/* Read styles.xml into wb->xf_date. */
static const char *read_styles(workbook *wb) {
  styles_state st;
  const char *problem;
  int i, j;
  memset(&st, 0, sizeof st);
  st.wb = wb;
  problem = parse_part(wb, "xl/styles.xml", on_style_start, on_style_end, on_no_text, &st, 1);
  if (problem != NULL && strcmp(problem, "missing") == 0) problem = NULL;  /* no styles: no dates */
  if (problem == NULL && st.xf_formats.n > 0) {
    wb->xf_date = (unsigned char *)calloc((size_t)st.xf_formats.n, 1);
    if (wb->xf_date == NULL) problem = "not enough memory";
    else {
      wb->nxf = st.xf_formats.n;
      for (i = 0; i < st.xf_formats.n; i++) {
        int id = (int)st.xf_formats.at[i];
        wb->xf_date[i] = (unsigned char)builtin_date(id);
        for (j = 0; j < st.ncustom; j++)
          if (st.custom_id[j] == id) wb->xf_date[i] = st.custom_date[j];
      }
    }
  }
  free(st.xf_formats.at);
  return problem;
}

/* ---- opening ---- */

static const char *open_xlsx(workbook *wb, const char *path) {
  int err = 0, i;
  const char *problem;
  strings_state ss;
  if ((wb->zip = lib.zip_open(path, ZIP_RDONLY, &err)) == NULL) {
    zip_error_t ze;
    lib.zip_error_init_with_code(&ze, err);
    snprintf(wb->why, wb->why_size, "not a readable ZIP archive, as an .xlsx is (%s)", lib.zip_error_strerror(&ze));
    lib.zip_error_fini(&ze);
    return wb->why;
  }
  if ((problem = parse_part(wb, "xl/workbook.xml", on_workbook, on_nothing, on_no_text, wb, 0)) != NULL)
    return problem;
  if (wb->problem != NULL) return wb->problem;
  for (i = 0; i < wb->rel_at.n; i++)
    if (!offsets_add(&wb->part_at, (size_t)-1)) return "not enough memory";
  if ((problem = parse_part(wb, "xl/_rels/workbook.xml.rels", on_relationship, on_nothing, on_no_text, wb, 0)) != NULL)
    return problem;
  if (wb->problem != NULL) return wb->problem;
  memset(&ss, 0, sizeof ss);
  ss.wb = wb;
  problem = parse_part(wb, "xl/sharedStrings.xml", on_string_start, on_string_end, on_string_text, &ss, 1);
  if (problem != NULL && strcmp(problem, "missing") != 0) return problem;
  return read_styles(wb);
}

/* Whether the file holds "EncryptedPackage" in UTF-16, as an OLE2 file
** that wraps a password-protected .xlsx names its stream. */
static int encrypted_package(const char *path) {
  static const char name[] = "E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0";
  char buf[CHUNK + sizeof name];
  size_t have = 0, got;
  int found = 0;
  FILE *f = fopen(path, "rb");
  if (f == NULL) return 0;
  while (!found && (got = fread(buf + have, 1, CHUNK, f)) > 0) {
    size_t i, n = have + got;
    for (i = 0; i + sizeof name - 1 <= n && !found; i++) found = memcmp(buf + i, name, sizeof name - 1) == 0;
    have = n < sizeof name ? n : sizeof name - 1;
    memmove(buf, buf + n - have, have);
  }
  fclose(f);
  return found;
}

static const char *open_xls(workbook *wb, const char *path) {
  unsigned int count = 0, password = 0;
  int rc = lib.freexl_open(path, &wb->xls_handle), i;
  wb->xls = 1;
  if ((wb->path = strdup(path)) == NULL) return "not enough memory";
  if (rc != FREEXL_OK) {
    wb->xls_handle = NULL;
    if (encrypted_package(path))
      return "an encrypted (password-protected) workbook: open it in Excel, remove the password, save it, and read that";
    snprintf(wb->why, wb->why_size, "an OLE2 file, as an .xls is, but libfreexl cannot read a workbook in it (error %d)", rc);
    return wb->why;
  }
  if (lib.freexl_get_info(wb->xls_handle, FREEXL_BIFF_PASSWORD, &password) == FREEXL_OK && password == FREEXL_BIFF_OBFUSCATED)
    return "an encrypted (password-protected) .xls: open it in Excel, remove the password, save it, and read that";
  if (lib.freexl_get_info(wb->xls_handle, FREEXL_BIFF_SHEET_COUNT, &count) != FREEXL_OK)
    return "an .xls whose sheets libfreexl cannot list";
  for (i = 0; i < (int)count; i++) {
    const char *name = NULL;
    if (lib.freexl_get_worksheet_name(wb->xls_handle, (unsigned short)i, &name) != FREEXL_OK || name == NULL)
      name = "";
    if (!offsets_add(&wb->name_at, wb->names.len) || !bytes_add(&wb->names, name, strlen(name) + 1))
      return "not enough memory";
  }
  return NULL;
}

/* What a file that is no workbook looks like, in why. */
static const char *what_else(const char *start, size_t n, char *why, size_t size) {
  magic_kind kind = magic_kind_of(start, n);
  if (n == 0) return "an empty file, not an Excel workbook";
  if (kind == MAGIC_TEXT)
    return "text or another format, not an Excel workbook (neither a ZIP archive, as an .xlsx is, nor an OLE2 file, "
           "as an .xls is): if it is CSV text, read it with zb.read_csv";
  return magic_message(kind, "an Excel workbook", why, size);
}

const char *workbook_open(const char *path, workbook **out, char *why, size_t size) {
  char magic[MAGIC_BYTES];
  size_t n;
  const char *problem;
  workbook *wb;
  FILE *f = fopen(path, "rb");
  *out = NULL;
  if (f == NULL) return NULL;  /* the caller says why, from errno */
  n = fread(magic, 1, sizeof magic, f);
  fclose(f);
  if ((problem = workbook_open_libraries()) != NULL) {
    snprintf(why, size, "cannot read Excel workbooks: %s (Debian's libzip4, libexpat1 and libfreexl1)", problem);
    return why;
  }
  if (!(n >= 4 && memcmp(magic, "PK\3\4", 4) == 0) && !(n >= 4 && memcmp(magic, "\xD0\xCF\x11\xE0", 4) == 0))
    return what_else(magic, n, why, size);
  if ((wb = (workbook *)calloc(1, sizeof *wb)) == NULL) return "not enough memory";
  wb->why = why;
  wb->why_size = size;
  problem = magic[0] == 'P' ? open_xlsx(wb, path) : open_xls(wb, path);
  if (problem == NULL && wb->name_at.n == 0) problem = "a workbook without sheets";
  if (problem != NULL) {
    workbook_close(wb);
    return problem;
  }
  *out = wb;
  return NULL;
}

void workbook_close(workbook *wb) {
  if (wb == NULL) return;
  if (wb->zip != NULL) lib.zip_discard(wb->zip);
  if (wb->xls_handle != NULL) lib.freexl_close(wb->xls_handle);
  free(wb->path), free(wb->names.s), free(wb->name_at.at), free(wb->parts.s), free(wb->part_at.at);
  free(wb->rel_ids.s), free(wb->rel_at.at), free(wb->strings.s), free(wb->string_at.at), free(wb->xf_date);
  free(wb->merges);
  free(wb);
}

int workbook_merges(const workbook *wb, const int **ranges) {
  *ranges = wb->merges;
  return wb->nmerges / 4;
}

const char *workbook_format(const workbook *wb) {
  return wb->xls ? "xls" : "xlsx";
}

int workbook_sheet_count(const workbook *wb) {
  return wb->name_at.n;
}

const char *workbook_sheet_name(const workbook *wb, int i) {
  return wb->names.s + wb->name_at.at[i];
}

void workbook_column_name(int col, char *out) {
  char rev[8];
  int n = 0, i;
  for (col++; col > 0 && n < 7; col = (col - 1) / 26) rev[n++] = (char)('A' + (col - 1) % 26);
  for (i = 0; i < n; i++) out[i] = rev[n - 1 - i];
  out[n] = '\0';
}

/* ---- dates ---- */

/* Days since 1970-01-01 as a civil date (the proleptic Gregorian calendar). */
static void civil(long long days, int *y, int *m, int *d) {
  long long z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
  long long doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* Write an Excel date serial as ISO text into out (32 bytes): a date, a
** date and time (always, midnight too, for kind 3, as an .xls's are read),
** or (kind 2) a time of day; 0 when it is no date. */
static int serial_text(double serial, int date1904, int kind, char *out) {
  long long seconds, days;
  int y, m, d, secs;
  if (!(serial >= 0 && serial < 2958466)) return 0;  /* 9999-12-31 is Excel's last day */
  seconds = llround(serial * 86400.0);
  days = seconds / 86400;
  secs = (int)(seconds % 86400);
  if (kind == 2 && days == 0) {
    snprintf(out, 32, "%02d:%02d:%02d", secs / 3600, secs / 60 % 60, secs % 60);
    return 1;
  }
  /* 1900's serials count a 29 February 1900 that was not (day 60), as Lotus
  ** 1-2-3 did: days before it are one later than the days since 1899-12-31 */
  if (date1904) days += -24107;      /* 1904-01-01 is day -24107 from 1970 */
  else if (days >= 61 || days == 0) days += -25569;  /* 1899-12-30 is day -25569 */
  else if (days == 60) return 0;
  else days += -25568;
  civil(days, &y, &m, &d);
  if (secs == 0 && kind != 3) snprintf(out, 32, "%04d-%02d-%02d", y, m, d);
  else snprintf(out, 32, "%04d-%02d-%02d %02d:%02d:%02d", y, m, d, secs / 3600, secs / 60 % 60, secs % 60);
  return 1;
}

/* An ISO date cell's text (t="d") in out (32 bytes) as the dates of
** serials read: "T" a space, fractions of a second and a zone left out,
** and a time of 00:00:00 too; returns its length. */
static size_t iso_text(const char *s, size_t len, char *out) {
  size_t n = len < 31 ? len : 31;
  memcpy(out, s, n);
  if (n >= 19 && out[4] == '-' && out[10] == 'T') {
    out[10] = ' ';
    n = memcmp(out + 11, "00:00:00", 8) == 0 ? 10 : 19;
  }
  out[n] = '\0';
  return n;
}

/* ---- a sheet's rows (.xlsx) ---- */

typedef struct cell_at {
  int col, kind;
  int shared;     /* s is a shared string's */
  size_t off;     /* else the text is at row_text + off */
  const char *s;
  size_t len;
} cell_at;

typedef struct sheet_state {
  workbook *wb;
  sheet_row_fn fn;
  void *ud;
  int row, next_col, stopped;
  int in_data, in_value, in_inline, in_t, in_phonetic;
  /* the cell being read */
  int col;
  char type[16];
  int style;
  bytes value;     /* its <v> or inline string */
  /* the row being read */
  bytes text;      /* its cells' texts */
  cell_at *cells;
  int ncells, cap;
  sheet_cell *out;
} sheet_state;

/* "B12" as column 1 (from 0) and row 12; 0 when it is no reference. */
static int reference(const char *r, int *col, int *row) {
  int c = 0, letters = 0;
  long n = 0;
  for (; *r >= 'A' && *r <= 'Z' && letters < 4; r++, letters++) c = c * 26 + (*r - 'A' + 1);
  if (letters == 0 || letters > 3) return 0;
  *col = c - 1;
  if (row == NULL) return 1;
  if (*r < '1' || *r > '9') return 0;
  for (; *r >= '0' && *r <= '9' && n < 10000000; r++) n = n * 10 + (*r - '0');
  *row = (int)n;
  return *r == '\0';
}

/* Keep the merged range ref ("B1:C2") of a <mergeCell>; one it does not
** name is no merge the table's names need. */
static void add_merge(workbook *wb, const char *ref) {
  char first[16], *colon;
  int c1, r1, c2, r2;
  if (ref == NULL || strlen(ref) >= sizeof first) return;
  strcpy(first, ref);
  if ((colon = strchr(first, ':')) == NULL) return;
  *colon = '\0';
  if (!reference(first, &c1, &r1) || !reference(colon + 1, &c2, &r2)) return;
  if (wb->nmerges + 4 > wb->merges_cap) {
    int cap = wb->merges_cap * 2 + 64;
    int *grown = (int *)realloc(wb->merges, (size_t)cap * sizeof *grown);
    if (grown == NULL) {
      stop(wb, "not enough memory");
      return;
    }
    wb->merges = grown;
    wb->merges_cap = cap;
  }
  wb->merges[wb->nmerges++] = c1, wb->merges[wb->nmerges++] = r1;
  wb->merges[wb->nmerges++] = c2, wb->merges[wb->nmerges++] = r2;
}

static void on_sheet_start(void *ud, const XML_Char *name, const XML_Char **atts) {
  sheet_state *st = (sheet_state *)ud;
  const char *el = local(name), *v;
  if (strcmp(el, "sheetData") == 0) st->in_data = 1;
  if (!st->in_data) {
    if (strcmp(el, "mergeCell") == 0) add_merge(st->wb, attr(atts, "ref"));
    return;
  }
  if (strcmp(el, "row") == 0) {
    v = attr(atts, "r");
    st->row = v ? atoi(v) : st->row + 1;
    if (st->row < 1) st->row = 1;
    st->next_col = 0;
    st->ncells = 0;
    st->text.len = 0;
  } else if (strcmp(el, "c") == 0) {
    int col, row;
    v = attr(atts, "r");
    st->col = v && reference(v, &col, &row) ? col : st->next_col;
    st->next_col = st->col + 1;
    v = attr(atts, "t");
    if (v == NULL || strlen(v) >= sizeof st->type) v = "n";  /* no type, or none of Excel's: a number */
    strcpy(st->type, v);
    v = attr(atts, "s");
    st->style = v ? atoi(v) : 0;
    st->value.len = 0;
  } else if (strcmp(el, "v") == 0) st->in_value = 1;
  else if (strcmp(el, "is") == 0) st->in_inline = 1;
  else if (strcmp(el, "t") == 0) st->in_t = 1;
  else if (strcmp(el, "rPh") == 0) st->in_phonetic = 1;
}

static void on_sheet_text(void *ud, const XML_Char *s, int len) {
  sheet_state *st = (sheet_state *)ud;
  if ((st->in_value || (st->in_inline && st->in_t && !st->in_phonetic)) && !bytes_add(&st->value, s, (size_t)len))
    stop(st->wb, "not enough memory");
}

/* Add the cell read to the row: its kind and text. */
static void add_cell(sheet_state *st) {
  workbook *wb = st->wb;
  cell_at c;
  char date[32];
  const char *t = st->type;
  memset(&c, 0, sizeof c);
  c.col = st->col;
  c.kind = CELL_NUMBER;
  if (strcmp(t, "s") == 0) {
    char *end;
    long i = strtol(st->value.s ? st->value.s : "", &end, 10);
    if (st->value.len == 0 || *end != '\0' || i < 0 || i >= wb->string_at.n) {
      char name[8];
      workbook_column_name(st->col, name);
      snprintf(wb->why, wb->why_size, "cell %s%d refers to shared string %s, which the workbook lacks", name, st->row,
               st->value.len ? st->value.s : "(none)");
      stop(st->wb, wb->why);
      return;
    }
    c.kind = CELL_TEXT, c.shared = 1, c.s = wb->strings.s + wb->string_at.at[i];
    c.len = (i + 1 < wb->string_at.n ? wb->strings.s + wb->string_at.at[i + 1] - 1 : wb->strings.s + wb->strings.len - 1) - c.s;
  } else {
    const char *s = st->value.s ? st->value.s : "";
    size_t len = st->value.len;
    if (strcmp(t, "inlineStr") == 0 || strcmp(t, "str") == 0) c.kind = CELL_TEXT;
    else if (strcmp(t, "b") == 0) c.kind = CELL_BOOLEAN;
    else if (strcmp(t, "e") == 0) c.kind = CELL_ERROR;
    else if (strcmp(t, "d") == 0) {
      c.kind = CELL_DATE;
      len = iso_text(s, len, date);
      s = date;
    }
    else if (len == 0) return;  /* a styled cell without a value */
    else if (st->style >= 0 && st->style < wb->nxf && wb->xf_date[st->style] &&
             serial_text(strtod(s, NULL), wb->date1904, wb->xf_date[st->style], date)) {
      c.kind = CELL_DATE, s = date, len = strlen(date);
    }
    if (c.kind == CELL_TEXT && len == 0) return;
    c.off = st->text.len;
    c.len = len;
    if (!bytes_add(&st->text, s, len)) {
      stop(st->wb, "not enough memory");
      return;
    }
  }
  if (st->ncells == st->cap) {
    int cap = st->cap * 2 + 16;
    cell_at *grown = (cell_at *)realloc(st->cells, (size_t)cap * sizeof *grown);
    sheet_cell *out = (sheet_cell *)realloc(st->out, (size_t)cap * sizeof *out);
    if (out != NULL) st->out = out;
    if (grown == NULL || out == NULL) {
      if (grown != NULL) st->cells = grown;
      stop(st->wb, "not enough memory");
      return;
    }
    st->cells = grown;
    st->cap = cap;
  }
  st->cells[st->ncells++] = c;
}

/* Pass the row read to the caller's function. */
static void end_row(sheet_state *st) {
  int i;
  if (st->ncells == 0) return;
  for (i = 0; i < st->ncells; i++) {
    const cell_at *c = &st->cells[i];
    st->out[i].col = c->col;
    st->out[i].kind = c->kind;
    st->out[i].s = c->shared ? c->s : st->text.s + c->off;
    st->out[i].len = c->len;
  }
  if (st->fn(st->ud, st->row, st->out, st->ncells)) {
    st->stopped = 1;
    lib.XML_StopParser(st->wb->parser, XML_FALSE);
  }
}

static void on_sheet_end(void *ud, const XML_Char *name) {
  sheet_state *st = (sheet_state *)ud;
  const char *el = local(name);
  if (!st->in_data) return;
  if (strcmp(el, "c") == 0) add_cell(st);
  else if (strcmp(el, "v") == 0) st->in_value = 0;
  else if (strcmp(el, "is") == 0) st->in_inline = 0;
  else if (strcmp(el, "t") == 0) st->in_t = 0;
  else if (strcmp(el, "rPh") == 0) st->in_phonetic = 0;
  else if (strcmp(el, "row") == 0) end_row(st);
  else if (strcmp(el, "sheetData") == 0) st->in_data = 0;
}

/* A number's text in out (32 bytes): the shortest that reads back. */
static void number_text(double x, char *out) {
  int digits = 15;
  do snprintf(out, 32, "%.*g", digits, x);
  while (strtod(out, NULL) != x && ++digits <= 17);
}

/* The date kind (workbook.c's xf_date's) of cell format xf of an .xls. */
static int xls_date_kind(const biff_sheet *b, unsigned xf) {
  size_t i;
  unsigned id;
  if (xf >= b->nxf) return 0;
  id = b->xf_format[xf];
  for (i = 0; i < b->nformats; i++)
    if (b->formats[i].id == id) return date_format(b->formats[i].code);
  return builtin_date((int)id);
}

/* Whether a number in cell format xf is a date's: read from the records,
** its serial made ISO text as an .xlsx's is (libfreexl's own text loses a
** date-only format's time and is a day early from 2100-03-01 on). */
static int xls_keeps_date(const biff_sheet *b, unsigned xf) {
  return xls_date_kind(b, xf) != 0;
}

/* A BOOLERR or FORMULA cell, or a date, as read from the records: 0 when
** it is empty. */
static int special_cell(const biff_sheet *b, const biff_cell *x, sheet_cell *cell, char *num) {
  int kind;
  cell->kind = x->kind;
  switch (x->kind) {
    case CELL_NUMBER:
      if ((kind = xls_date_kind(b, x->xf)) != 0 && serial_text(x->number, b->date1904, kind, num)) cell->kind = CELL_DATE;
      else number_text(x->number, num);
      cell->s = num, cell->len = strlen(num);
      return 1;
    case CELL_BOOLEAN: cell->s = x->number != 0 ? "1" : "0", cell->len = 1; return 1;
    case CELL_TEXT: case CELL_ERROR: cell->s = b->text + x->text, cell->len = x->len; return x->len > 0;
    default: return 0;
  }
}

/* A cell as libfreexl gives it: 0 when it is empty. */
static int freexl_cell(const FreeXL_CellValue *v, sheet_cell *cell, char *num) {
  cell->kind = CELL_NUMBER;
  switch (v->type) {
    case FREEXL_CELL_INT: snprintf(num, 32, "%d", v->value.int_value); cell->s = num; break;
    case FREEXL_CELL_DOUBLE: number_text(v->value.double_value, num); cell->s = num; break;
    case FREEXL_CELL_TEXT: case FREEXL_CELL_SST_TEXT: cell->kind = CELL_TEXT; cell->s = v->value.text_value; break;
    case FREEXL_CELL_DATE: case FREEXL_CELL_DATETIME: case FREEXL_CELL_TIME:
      cell->kind = CELL_DATE; cell->s = v->value.text_value; break;
    default: return 0;
  }
  return cell->s != NULL && (cell->len = strlen(cell->s)) > 0;
}

/* The .xls sheet's merged ranges, as an .xlsx's are kept: 1, or 0 when
** memory ran out. */
static int keep_merges(workbook *wb, const biff_sheet *b) {
  wb->nmerges = 0;
  if (b->nmerges == 0) return 1;
  if ((int)b->nmerges > wb->merges_cap) {
    int *grown = (int *)realloc(wb->merges, b->nmerges * sizeof *grown);
    if (grown == NULL) return 0;
    wb->merges = grown;
    wb->merges_cap = (int)b->nmerges;
  }
  memcpy(wb->merges, b->merges, b->nmerges * sizeof *wb->merges);
  wb->nmerges = (int)b->nmerges;
  return 1;
}

/* Each cell of the active .xls sheet, a row at a time: libfreexl's, but
** for the BOOLERR and FORMULA cells, read from the records (biff.c). */
static const char *xls_rows(workbook *wb, int i, sheet_row_fn fn, void *ud) {
  unsigned int rows, r;
  unsigned short cols, c;
  sheet_cell *cells;
  char *numbers;
  biff_sheet special;
  size_t next = 0;
  const char *problem = biff_read(wb->path, i, xls_keeps_date, &special, wb->why, wb->why_size);
  if (problem == NULL && !keep_merges(wb, &special)) problem = "not enough memory";
  if (problem == NULL && (lib.freexl_select_active_worksheet(wb->xls_handle, (unsigned short)i) != FREEXL_OK ||
                          lib.freexl_worksheet_dimensions(wb->xls_handle, &rows, &cols) != FREEXL_OK))
    problem = "libfreexl cannot read this sheet";
  if (problem != NULL) {
    biff_free(&special);
    return problem;
  }
  cells = (sheet_cell *)malloc(((size_t)cols + 1) * sizeof *cells);
  numbers = (char *)malloc(((size_t)cols + 1) * 32);
  if (cells == NULL || numbers == NULL) problem = "not enough memory";
  for (r = 0; problem == NULL && r < rows; r++) {
    int n = 0;
    for (c = 0; c < cols; c++) {
      FreeXL_CellValue v;
      const biff_cell *x = biff_find(&special, r, c, &next);
      cells[n].col = c;
      if (x != NULL ? special_cell(&special, x, &cells[n], numbers + (size_t)c * 32)
                    : lib.freexl_get_cell_value(wb->xls_handle, r, c, &v) == FREEXL_OK &&
                      freexl_cell(&v, &cells[n], numbers + (size_t)c * 32))
        n++;
    }
    if (n > 0 && fn(ud, (int)r + 1, cells, n)) break;
  }
  free(cells);
  free(numbers);
  biff_free(&special);
  return problem;
}

const char *workbook_rows(workbook *wb, int i, sheet_row_fn fn, void *ud, char *why, size_t size) {
  sheet_state st;
  const char *problem, *part;
  wb->why = why;
  wb->why_size = size;
  if (wb->xls) return xls_rows(wb, i, fn, ud);
  if (wb->part_at.at[i] == (size_t)-1) {
    snprintf(why, size, "the workbook does not say where sheet '%s' is", workbook_sheet_name(wb, i));
    return why;
  }
  part = wb->parts.s + wb->part_at.at[i];
  wb->nmerges = 0;
  memset(&st, 0, sizeof st);
  st.wb = wb;
  st.fn = fn;
  st.ud = ud;
  problem = parse_part(wb, part, on_sheet_start, on_sheet_end, on_sheet_text, &st, 0);
  free(st.value.s), free(st.text.s), free(st.cells), free(st.out);
  return problem;
}

/* ---- numbers written again (xlsx_part.h) ---- */

/* The sheet's XML (text, len bytes) with the <v> of each of numbers[from,
** to) written again as its text, into out; NULL or why not. */
static const char *set_numbers(const char *text, size_t len, const xlsx_number *at, const xlsx_number *end, bytes *out) {
  const char *p = text, *stop = text + len, *copied = text;
  while (at < end && (p = strstr(p, "<c r=\"")) != NULL) {
    char ref[16];
    size_t k = 0;
    int col, row;
    const char *v, *v_end;
    for (p += 6; p < stop && *p != '"' && k + 1 < sizeof ref; p++) ref[k++] = *p;
    ref[k] = '\0';
    if (!reference(ref, &col, &row) || (unsigned)row != at->row + 1 || (unsigned)col != at->col) continue;
    if ((v = strstr(p, "<v>")) == NULL || (v_end = strstr(v, "</v>")) == NULL) break;
    if (!bytes_add(out, copied, (size_t)(v + 3 - copied)) || !bytes_add(out, at->text, strlen(at->text)))
      return "not enough memory";
    copied = p = v_end;
    at++;
  }
  if (at != end) return "cannot find every number libxlsxwriter wrote in the sheet's XML";
  return bytes_add(out, copied, (size_t)(stop - copied)) ? NULL : "not enough memory";
}

const char *workbook_set_numbers(const char *path, const xlsx_number *numbers, size_t n, char *why, size_t size) {
  const char *problem = workbook_open_libraries();
  size_t i = 0;
  zip_t *z;
  int err;
  if (problem != NULL) return problem;
  if ((z = lib.zip_open(path, 0, &err)) == NULL) {
    snprintf(why, size, "cannot open %s again to finish it", path);
    return why;
  }
  while (i < n && problem == NULL) {
    char part[64], *buf;
    bytes in = {NULL, 0, 0}, out = {NULL, 0, 0};
    zip_int64_t index, got = 0;
    zip_file_t *f;
    zip_source_t *src;
    size_t j = i;
    while (j < n && numbers[j].sheet == numbers[i].sheet) j++;
    snprintf(part, sizeof part, "xl/worksheets/sheet%d.xml", numbers[i].sheet);
    if ((index = lib.zip_name_locate(z, part, 0)) < 0 || (f = lib.zip_fopen(z, part, 0)) == NULL) {
      snprintf(why, size, "the workbook written has no part %s", part);
      problem = why;
      break;
    }
    if ((buf = (char *)malloc(CHUNK)) != NULL)
      while ((got = lib.zip_fread(f, buf, CHUNK)) > 0 && bytes_add(&in, buf, (size_t)got)) {}
    lib.zip_fclose(f);
    free(buf);
    if (buf == NULL || got != 0) problem = got < 0 ? "cannot read the workbook written back" : "not enough memory";
    else problem = set_numbers(in.s ? in.s : "", in.len, numbers + i, numbers + j, &out);
    free(in.s);
    if (problem == NULL && (src = lib.zip_source_buffer(z, out.s, out.len, 1)) == NULL) problem = "not enough memory";
    else if (problem == NULL && lib.zip_file_replace(z, (zip_uint64_t)index, src, 0) < 0) {
      lib.zip_source_free(src);
      snprintf(why, size, "%s", lib.zip_strerror(z));
      problem = why;
    } else if (problem == NULL) {
      out.s = NULL;  /* libzip's now */
    }
    free(out.s);
    i = j;
  }
  if (problem == NULL && lib.zip_close(z) < 0) {
    snprintf(why, size, "%s", lib.zip_strerror(z));
    problem = why;
  }
  if (problem != NULL) lib.zip_discard(z);
  return problem;
}
