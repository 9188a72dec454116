/*
** csv.c: zb.read_csv, a CSV file into a new table of the session database.
** RFC 4180 (quoted fields, doubled quotes, separators and newlines inside
** quotes, CRLF) and what spreadsheets export (a BOM, GBK/GB18030, ';' tab
** or '|' separators).  Each column's type comes from all of its values.
** The load is one savepoint: a file that fails leaves nothing behind.
*/
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <iconv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua.h"
#include "lauxlib.h"

#include "box.h"
#include "csv.h"
#include "db.h"
#include "paths.h"
#include "period.h"
#include "width.h"
#include "zb.h"

#define NA_MAX 32
#define NUMBER_MAX 400  /* longer fields are text */

enum { TYPE_NULL, TYPE_INTEGER, TYPE_REAL, TYPE_TEXT };
#define NOT_PERIODS '-'  /* a column's frequency once a value is no period */
static const char *const type_names[] = {"TEXT", "INTEGER", "REAL", "TEXT"};

typedef struct field {
  const char *s;  /* in the file's bytes; quoted fields without the quotes */
  size_t len;
  int escaped;    /* holds doubled quotes, to be undone */
} field;

/* Everything a load allocates, in one box that frees it however the load ends. */
typedef struct load {
  char *bytes;         /* the file, as UTF-8 */
  size_t size;
  int mapped;          /* bytes are the file mapped (else allocated: bytes_cap) */
  size_t bytes_cap;
  size_t dropped;      /* mapped pages before this offset were let go */
  field *fields;       /* the fields of the current record */
  size_t cap;
  char *scratch;       /* an unescaped field */
  size_t scratch_cap;
} load;

typedef struct options {
  const char *path;
  char sep;
  int header;
  int loose;                 /* "18,109" and "27.1%" are numbers */
  const char *na[NA_MAX];    /* more spellings of NULL */
  size_t na_len[NA_MAX];
  int nna;
} options;

typedef struct cursor {
  const char *p, *end, *start;
} cursor;

/* ---- a mapped file that shrinks while it is read ----
** Reading a page of the mapping past the file's new end raises SIGBUS.
** The handler maps a page of zeros there and notes it, so the reader goes
** on (no jump out of SQLite, which reads the bound text in the map) and
** the load fails at its end, with nothing loaded. */

static char *volatile watched_map;
static volatile size_t watched_size, page_size;
static volatile sig_atomic_t map_shrank;
static struct sigaction previous_bus;

static void on_sigbus(int sig, siginfo_t *info, void *context) {
  char *addr = (char *)info->si_addr;
  (void)sig, (void)context;
  if (watched_map != NULL && addr >= watched_map && addr < watched_map + watched_size) {
    char *page = watched_map + (size_t)(addr - watched_map) / page_size * page_size;
    if (mmap(page, page_size, PROT_READ, MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, -1, 0) != MAP_FAILED) {
      map_shrank = 1;
      return;
    }
  }
  sigaction(SIGBUS, &previous_bus, NULL);  /* not ours: the fault happens again, as before */
}

static void watch_map(char *map, size_t size) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_sigbus;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  page_size = (size_t)sysconf(_SC_PAGESIZE);
  map_shrank = 0;
  watched_size = size;
  watched_map = map;
  sigaction(SIGBUS, &sa, &previous_bus);
}

static void unwatch_map(void) {
  if (watched_map == NULL) return;
  sigaction(SIGBUS, &previous_bus, NULL);
  watched_map = NULL;
}

/* Raise the error of a file that became shorter while it was read. */
static void check_unchanged(lua_State *L, const char *path) {
  if (map_shrank) luaL_error(L, "%s: the file changed while it was read (it became shorter); nothing was loaded", path);
}

/* Lua's allocator, so that --max-memory and the fault tests hold the
** reader's buffers too. */
static void *resize(lua_State *L, void *p, size_t old, size_t size) {
  void *ud;
  lua_Alloc alloc = lua_getallocf(L, &ud);
  return alloc(ud, p, p ? old : 0, size);
}

static void release_bytes(lua_State *L, load *ld) {
  if (ld->mapped) {
    unwatch_map();
    munmap(ld->bytes, ld->size);
  } else if (ld->bytes != NULL) resize(L, ld->bytes, ld->bytes_cap, 0);
  ld->bytes = NULL;
  ld->mapped = 0;
}

/* Let go of the mapped pages well behind p: a pass reads the file once in
** order, so they need not stay resident (peak memory stays near SQLite's). */
static void forget_behind(load *ld, const char *p) {
  const size_t step = (size_t)4 << 20;
  size_t page = (size_t)sysconf(_SC_PAGESIZE), upto;
  if (!ld->mapped || (size_t)(p - ld->bytes) < ld->dropped + 2 * step) return;
  upto = ((size_t)(p - ld->bytes) - step) / page * page;
  madvise(ld->bytes + ld->dropped, upto - ld->dropped, MADV_DONTNEED);
  ld->dropped = upto;
}

static int l_load_close(lua_State *L) {
  load *ld = (load *)luaL_checkudata(L, 1, ZB_FILEDATA);
  release_bytes(L, ld);
  if (ld->fields != NULL) resize(L, ld->fields, ld->cap * sizeof *ld->fields, 0);
  if (ld->scratch != NULL) resize(L, ld->scratch, ld->scratch_cap, 0);
  memset(ld, 0, sizeof *ld);
  return 0;
}

static load *push_load(lua_State *L) {
  return (load *)box_push(L, sizeof(load), ZB_FILEDATA, l_load_close);
}

/* ---- positions and errors ---- */

/* Raise "FILE:LINE:COLUMN: what" for the byte at pos (columns count characters). */
static int error_at(lua_State *L, const options *o, const char *start, const char *pos,
                    const char *what) {
  int line = 1, column = 1;
  const char *p;
  check_unchanged(L, o->path);  /* the zeros where the file was are no error of its own */
  for (p = start; p < pos; p++) {
    if (*p == '\n' || (*p == '\r' && (p + 1 == pos || p[1] != '\n'))) line++, column = 1;
    else if (((unsigned char)*p & 0xC0) != 0x80) column++;
  }
  return luaL_error(L, "%s:%d:%d: %s", o->path, line, column, what);
}

/* ---- reading and encodings ---- */

/* The file's bytes: mapped when it is a regular file, else read whole. */
static void read_file(lua_State *L, load *ld, const char *path) {
  struct stat st;
  FILE *f;
  size_t cap = 0;
  int fd;
  if (!paths_allowed(path, 0)) luaL_error(L, "cannot open %s: %s", path, paths_why_not(path, 0));
  fd = open(path, O_RDONLY);
  if (fd < 0) luaL_error(L, "cannot open %s: %s", path, strerror(errno));
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED) luaL_error(L, "cannot read %s: %s", path, strerror(errno));
    madvise(map, (size_t)st.st_size, MADV_SEQUENTIAL);
    ld->bytes = (char *)map;
    ld->size = (size_t)st.st_size;
    ld->mapped = 1;
    watch_map(ld->bytes, ld->size);
    return;
  }
  f = fdopen(fd, "rb");
  if (f == NULL) {
    close(fd);
    luaL_error(L, "cannot read %s: %s", path, strerror(errno));
  }
  for (;;) {
    size_t got;
    if (cap - ld->size < 65536) {
      char *grown = (char *)resize(L, ld->bytes, cap, cap * 2 + 65536);
      if (grown == NULL) {
        fclose(f);
        luaL_error(L, "not enough memory to read %s", path);
      }
      ld->bytes = grown;
      ld->bytes_cap = cap = cap * 2 + 65536;
    }
    got = fread(ld->bytes + ld->size, 1, cap - ld->size, f);
    ld->size += got;
    if (got == 0) break;
  }
  if (ferror(f)) {
    fclose(f);
    luaL_error(L, "cannot read %s: %s", path, strerror(errno));
  }
  fclose(f);
}

/* Convert the file from GB18030 (a superset of GBK) to UTF-8. */
static void from_gb18030(lua_State *L, load *ld, const options *o) {
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  size_t out_cap = ld->size * 2 + 16, in_left = ld->size, out_left = out_cap;
  char *out, *in = ld->bytes, *op;
  if (cd == (iconv_t)-1) luaL_error(L, "%s: this system cannot convert GB18030", o->path);
  out = op = (char *)resize(L, NULL, 0, out_cap);
  if (out == NULL) {
    iconv_close(cd);
    luaL_error(L, "not enough memory to convert %s", o->path);
    return;  /* not reached: luaL_error does not return */
  }
  if (iconv(cd, &in, &in_left, &op, &out_left) == (size_t)-1) {
    iconv_close(cd);
    resize(L, out, out_cap, 0);
    error_at(L, o, ld->bytes, in, "invalid bytes for GB18030 (nor are they UTF-8)");
  }
  iconv_close(cd);
  release_bytes(L, ld);
  ld->bytes = out;
  ld->bytes_cap = out_cap;
  ld->size = out_cap - out_left;
}

/* Make the bytes UTF-8, as opts.encoding says or, without it, as they look. */
/* Whether s holds a character of more than one byte (beyond ASCII). */
static int has_multibyte(const char *s, size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    if ((unsigned char)s[i] >= 0x80) return 1;
  return 0;
}

static void to_utf8(lua_State *L, load *ld, const options *o, const char *encoding) {
  size_t valid = utf8_prefix(ld->bytes, ld->size);
  const char *nul = (const char *)memchr(ld->bytes, '\0', ld->size);
  if (nul != NULL)  /* text has none: UTF-16 (Excel's "Unicode text") has one in every ASCII character */
    error_at(L, o, ld->bytes, nul, "a NUL byte, which text does not hold (is the file UTF-16? save it as UTF-8)");
  if (encoding == NULL) {
    /* GB18030 when the first character beyond ASCII is not UTF-8; a file
    ** that was UTF-8 up to a bad byte has that byte reported */
    if (valid < ld->size && has_multibyte(ld->bytes, valid))
      error_at(L, o, ld->bytes, ld->bytes + valid, "invalid UTF-8 (the file is UTF-8 before this)");
    if (valid < ld->size) from_gb18030(L, ld, o);
  }
  else if (strcmp(encoding, "gbk") == 0 || strcmp(encoding, "gb18030") == 0 ||
           strcmp(encoding, "GBK") == 0 || strcmp(encoding, "GB18030") == 0)
    from_gb18030(L, ld, o);
  else if (strcmp(encoding, "utf-8") == 0 || strcmp(encoding, "UTF-8") == 0 ||
           strcmp(encoding, "utf8") == 0) {
    if (valid < ld->size) error_at(L, o, ld->bytes, ld->bytes + valid, "invalid UTF-8");
  }
  else luaL_error(L, "unknown encoding '%s' (expected utf-8, gbk or gb18030)", encoding);
}

/* ---- records ---- */

static void add_field(lua_State *L, load *ld, size_t n, field f) {
  if (n >= ld->cap) {
    size_t cap = ld->cap * 2 + 16;
    field *grown = (field *)resize(L, ld->fields, ld->cap * sizeof *grown, cap * sizeof *grown);
    if (grown == NULL) luaL_error(L, "not enough memory");
    ld->fields = grown;
    ld->cap = cap;
  }
  ld->fields[n] = f;
}

/* Parse the record at the cursor into ld->fields; returns its field count,
** or -1 at the end of the file.  Blank lines are skipped. */
static int next_record(lua_State *L, load *ld, cursor *c, const options *o) {
  size_t n;
  const char *q;
  while (c->p < c->end && (*c->p == '\n' || *c->p == '\r')) c->p++;
  if (c->p >= c->end) return -1;
  for (n = 0, q = c->p;; n++) {
    field f;
    f.escaped = 0;
    if (q < c->end && *q == '"') {
      const char *open = q++;
      f.s = q;
      for (;;) {
        if (q >= c->end)
          error_at(L, o, c->start, open, "unterminated quoted field (its closing quote is missing)");
        if (*q == '"') {
          if (q + 1 < c->end && q[1] == '"') {
            f.escaped = 1;
            q += 2;
            continue;
          }
          break;
        }
        q++;
      }
      f.len = (size_t)(q - f.s);
      q++;
      if (q < c->end && *q != o->sep && *q != '\n' && *q != '\r')
        error_at(L, o, c->start, q, "expected a separator or the end of the line after a closing quote");
    }
    else {
      f.s = q;
      while (q < c->end && *q != o->sep && *q != '\n' && *q != '\r') q++;
      f.len = (size_t)(q - f.s);
    }
    add_field(L, ld, n, f);
    if (q < c->end && *q == o->sep) {
      q++;
      continue;
    }
    if (q < c->end && *q == '\r') q++;
    if (q < c->end && *q == '\n') q++;
    c->p = q;
    return (int)n + 1;
  }
}

/* The text of a field, its doubled quotes undone. */
static const char *field_text(lua_State *L, load *ld, const field *f, size_t *len) {
  size_t i, k = 0;
  if (!f->escaped) {
    *len = f->len;
    return f->s;
  }
  if (f->len > ld->scratch_cap) {
    char *grown = (char *)resize(L, ld->scratch, ld->scratch_cap, f->len);
    if (grown == NULL) luaL_error(L, "not enough memory");
    ld->scratch = grown;
    ld->scratch_cap = f->len;
  }
  for (i = 0; i < f->len; i++) {
    ld->scratch[k++] = f->s[i];
    if (f->s[i] == '"') i++;  /* the second of a doubled quote */
  }
  *len = k;
  return ld->scratch;
}

static void push_field(lua_State *L, load *ld, const field *f) {
  size_t len;
  const char *s = field_text(L, ld, f, &len);
  lua_pushlstring(L, s, len);
}

/* ---- values and types ---- */

/* "", "NA", "-", "—", "…" and opts.na are NULL; checked for every field. */
static int is_na(const options *o, const char *s, size_t len) {
  int i;
  switch (len) {
    case 0: return 1;
    case 1: if (s[0] == '-') return 1; break;
    case 2: if (s[0] == 'N' && s[1] == 'A') return 1; break;
    case 3:
      if (memcmp(s, "\xE2\x80\x94", 3) == 0 || memcmp(s, "\xE2\x80\xA6", 3) == 0) return 1;
      break;
  }
  for (i = 0; i < o->nna; i++)
    if (len == o->na_len[i] && memcmp(s, o->na[i], len) == 0) return 1;
  return 0;
}

/* Spellings of a missing value in a column of numbers (pandas' and the
** statistical offices'): NULL there, so one 'N/A' does not turn 9 and 10
** into text; in a column of text they are kept as written. */
static const char *const numeric_na[] = {"N/A", "n/a", "N.A.", "n.a.", "#N/A", "#NA", "NaN", "nan", "-NaN", "-nan",
                                         "NULL", "null", "Null", "None", "none", "NONE", "<NA>", "x", "X", "..", "...",
                                         "\xEF\xBC\x8D" /* a full-width dash */, NULL};

#define NUMERIC_NA_MAX 4  /* bytes of the longest */

/* Checked for every field of a column of numbers: a number (a digit first,
** or longer than any spelling) is told apart at once. */
static int is_numeric_na(const char *s, size_t len) {
  if (len == 0 || len > NUMERIC_NA_MAX || (s[0] >= '0' && s[0] <= '9')) return 0;
  for (const char *const *na = numeric_na; *na; na++)
    if (strlen(*na) == len && memcmp(s, *na, len) == 0) return 1;
  return 0;
}

int csv_missing_number(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  options plain;  /* no spellings of the user's */
  memset(&plain, 0, sizeof plain);
  lua_pushboolean(L, is_na(&plain, s, len) || is_numeric_na(s, len));
  return 1;
}

/* A number as classify reads it. */
typedef struct number {
  sqlite3_int64 i;  /* TYPE_INTEGER */
  double d;         /* TYPE_REAL */
} number;

/* Powers of ten that doubles hold exactly. */
static const double exact_pow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
                                     1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/*
** Classify a value and read it into *out.  A leading zero ("0571") keeps it
** text; so does a number out of range, so that a long code stays exact.
** The common cases are read here (an integer of up to 18 digits; a decimal
** of up to 15 significant digits, as mantissa / 10^k, which IEEE division
** rounds correctly); the rest go through strtoll and strtod, after writing
** the digits without thousands separators or '%' into buf.
*/
static int classify(const options *o, const char *s, size_t len, char *buf, size_t bufsize, number *out) {
  size_t i = 0, k = 0;
  int digits = 0, significant = 0, fraction = 0, run = 0, grouped = 0, dot = 0, exp = 0, negative = 0;
  unsigned long long mantissa = 0;
  if (len >= bufsize) return TYPE_TEXT;
  if (o->loose && len > 1 && s[len - 1] == '%') len--;
  if (i < len && (s[i] == '+' || s[i] == '-')) {
    negative = s[i] == '-';
    buf[k++] = s[i++];
  }
  if (i + 1 < len && s[i] == '0' && s[i + 1] >= '0' && s[i + 1] <= '9') return TYPE_TEXT;
  for (; i < len; i++) {
    char ch = s[i];
    if (ch >= '0' && ch <= '9') {
      digits++;
      if (!exp) {
        if (significant || ch != '0') significant++;
        if (significant <= 18) mantissa = mantissa * 10 + (unsigned)(ch - '0');
        if (dot) fraction++;
        else run++;
      }
    }
    else if (ch == ',' && o->loose && !dot && !exp) {
      /* a thousands separator: 1-3 digits before the first (not "0"), 3 between */
      if (run == 0 || run > 3 || (grouped && run != 3)) return TYPE_TEXT;
      if (!grouped && s[i - run] == '0') return TYPE_TEXT;
      grouped = 1;
      run = 0;
      continue;
    }
    else if (ch == '.' && !dot && !exp) dot = 1;
    else if ((ch == 'e' || ch == 'E') && digits && !exp) {
      exp = 1;
      buf[k++] = 'e';
      if (i + 1 < len && (s[i + 1] == '+' || s[i + 1] == '-')) buf[k++] = s[++i];
      if (!(i + 1 < len && s[i + 1] >= '0' && s[i + 1] <= '9')) return TYPE_TEXT;
      continue;
    }
    else return TYPE_TEXT;
    if (grouped && (dot || exp) && run != 3) return TYPE_TEXT;
    buf[k++] = ch;
  }
  buf[k] = '\0';
  if (digits == 0 || (grouped && !dot && !exp && run != 3)) return TYPE_TEXT;
  if (!dot && !exp) {
    if (significant <= 18) {
      out->i = negative ? -(sqlite3_int64)mantissa : (sqlite3_int64)mantissa;
      return TYPE_INTEGER;
    }
    errno = 0;
    out->i = strtoll(buf, NULL, 10);
    return errno == ERANGE ? TYPE_TEXT : TYPE_INTEGER;
  }
  if (!exp && significant <= 15 && fraction <= 22) {
    out->d = (double)mantissa / exact_pow10[fraction];
    if (negative) out->d = -out->d;
    return TYPE_REAL;
  }
  errno = 0;
  out->d = strtod(buf, NULL);
  /* overflow is text; underflow (1e-310) is the nearest real, as written */
  return (errno == ERANGE && (out->d > 1.0 || out->d < -1.0)) ? TYPE_TEXT : TYPE_REAL;
}

/* A line of one field is a note (a source, a footnote) when it is text. */
static int is_note(const options *o, const field *f) {
  char num[NUMBER_MAX];
  number value;
  return !is_na(o, f->s, f->len) && (f->escaped || classify(o, f->s, f->len, num, sizeof num, &value) == TYPE_TEXT);
}

/* ---- the load ---- */

static void add_quoted(luaL_Buffer *b, const char *s, size_t len) {
  size_t i;
  luaL_addchar(b, '"');
  for (i = 0; i < len; i++) {
    if (s[i] == '"') luaL_addchar(b, '"');
    luaL_addchar(b, s[i]);
  }
  luaL_addchar(b, '"');
}

/* Push the string at idx with ASCII letters in lower case. */
static void push_lower(lua_State *L, int idx) {
  size_t len, i;
  const char *s = lua_tolstring(L, idx, &len);
  luaL_Buffer b;
  char *out = luaL_buffinitsize(L, &b, len);
  for (i = 0; i < len; i++) out[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] - 'A' + 'a') : s[i];
  luaL_pushresultsize(&b, len);
}

/* Push the column names: the header's (an empty one is c<N>, a repeated one
** gets _2, _3, ...), or c1, c2, ... */
static void push_column_names(lua_State *L, load *ld, int ncols, int from_header,
                              const options *o, const char *header) {
  int i;
  lua_createtable(L, ncols, 0);
  lua_newtable(L);  /* names taken, in lower case: SQLite's names ignore ASCII case */
  for (i = 0; i < ncols; i++) {
    size_t len = 0;
    const char *s = from_header ? field_text(L, ld, &ld->fields[i], &len) : NULL;
    int n = 2;
    if (s != NULL && memchr(s, '\0', len) != NULL) {
      lua_pushfstring(L, "column %d's name holds a NUL byte", i + 1);
      error_at(L, o, ld->bytes, header, lua_tostring(L, -1));
    }
    if (len == 0) lua_pushfstring(L, "c%d", i + 1);
    else lua_pushlstring(L, s, len);
    lua_pushvalue(L, -1);  /* the name to use: the base, or base_2, base_3, ... */
    for (;;) {
      push_lower(L, -1);
      if (lua_rawget(L, -4) == LUA_TNIL) break;
      lua_pop(L, 2);
      lua_pushfstring(L, "%s_%d", lua_tostring(L, -1), n++);
    }
    lua_pop(L, 1);
    lua_remove(L, -2);  /* the base */
    push_lower(L, -1);
    lua_pushboolean(L, 1);
    lua_rawset(L, -4);
    lua_rawseti(L, -3, i + 1);
  }
  lua_pop(L, 1);
}

/* opts[field] on top of the stack if it is set: it must be of type t. */
/* read_csv's options and the type of each: the one list of them, checked
** in the words zb.options (lua/zb/options.lua) uses for Lua's functions. */
static const struct {
  const char *name;
  int type;
} csv_options[] = {
  {"encoding", LUA_TSTRING}, {"header", LUA_TBOOLEAN}, {"na", LUA_TTABLE}, {"name", LUA_TSTRING},
  {"numbers", LUA_TSTRING}, {"replace", LUA_TBOOLEAN}, {"sep", LUA_TSTRING},
};

/* An error for an option not in csv_options, listing those that are. */
static void check_option_names(lua_State *L) {
  lua_pushnil(L);
  while (lua_next(L, 2)) {
    size_t i, n = sizeof csv_options / sizeof *csv_options;
    lua_pop(L, 1);
    for (i = 0; i < n; i++)
      if (lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), csv_options[i].name) == 0) break;
    if (i == n) {
      luaL_Buffer b;
      const char *key = luaL_tolstring(L, -1, NULL);
      luaL_buffinit(L, &b);
      for (i = 0; i < n; i++) {
        if (i > 0) luaL_addstring(&b, ", ");
        luaL_addstring(&b, csv_options[i].name);
      }
      luaL_pushresult(&b);
      luaL_error(L, "read_csv: unknown option '%s' (options: %s)", key, lua_tostring(L, -1));
    }
  }
}

/* Push option key (one of csv_options) when it is given: 1, or 0. */
static int option(lua_State *L, const char *key) {
  int got = lua_getfield(L, 2, key), t = LUA_TNIL;
  for (size_t i = 0; i < sizeof csv_options / sizeof *csv_options; i++)
    if (strcmp(csv_options[i].name, key) == 0) t = csv_options[i].type;
  if (got == LUA_TNIL) return 0;
  if (got != t)
    luaL_error(L, "read_csv: option '%s' must be a %s, not a %s", key, lua_typename(L, t), luaL_typename(L, -1));
  return 1;
}

/* A string option without NUL bytes (SQL and file names end at one). */
static const char *string_option(lua_State *L, const char *key) {
  size_t len;
  const char *s;
  if (!option(L, key)) return NULL;
  s = lua_tolstring(L, -1, &len);
  if (strlen(s) != len) luaL_error(L, "read_csv: option '%s' holds a NUL byte", key);
  return s;
}

static void read_options(lua_State *L, options *o, const char **encoding, const char **name,
                         int *replace) {
  const char *s;
  o->sep = 0;
  o->header = 1;
  o->loose = 0;
  o->nna = 0;
  *encoding = *name = NULL;
  *replace = 0;
  if (lua_isnoneornil(L, 2)) return;
  if (!lua_istable(L, 2)) luaL_error(L, "read_csv: options must be a table, not a %s", luaL_typename(L, 2));
  check_option_names(L);
  if ((s = string_option(L, "sep")) != NULL) {
    if (strlen(s) != 1 || *s == '"' || *s == '\n' || *s == '\r')
      luaL_error(L, "read_csv: option 'sep' must be one character (not a quote or a newline)");
    o->sep = *s;
  }
  if (option(L, "header")) o->header = lua_toboolean(L, -1);
  if ((s = string_option(L, "numbers")) != NULL) {
    if (strcmp(s, "loose") == 0) o->loose = 1;
    else if (strcmp(s, "strict") != 0)
      luaL_error(L, "read_csv: option 'numbers' must be \"strict\" or \"loose\", not \"%s\"", s);
  }
  *encoding = string_option(L, "encoding");
  *name = string_option(L, "name");
  if (option(L, "replace")) *replace = lua_toboolean(L, -1);
  if (option(L, "na")) {
    int i, n = (int)lua_rawlen(L, -1);
    if (n > NA_MAX) luaL_error(L, "read_csv: option 'na' holds at most %d spellings", NA_MAX);
    for (i = 1; i <= n; i++) {
      if (lua_rawgeti(L, -1, i) != LUA_TSTRING) luaL_error(L, "read_csv: option 'na' must hold strings");
      o->na[o->nna] = lua_tolstring(L, -1, &o->na_len[o->nna]);
      o->nna++;
      lua_pop(L, 1);  /* a string element stays alive in opts.na */
    }
  }
  /* the option values stay on the stack, so their strings stay alive */
}

static int is_candidate(char ch) {
  return ch == ',' || ch == ';' || ch == '\t' || ch == '|';
}

/*
** The separator: among , ; tab |, the one found the same number of times
** (outside quotes) on the most of the first 20 lines, so that a title line
** with a comma above ';' data does not decide.  ',' when none is found.
*/
static char detect_sep(const char *p, const char *end) {
  static const char candidates[] = ",;\t|";
  int counts[20][4], lines = 0, i, j, k, best = -1, best_score = 0;
  memset(counts, 0, sizeof counts);
  while (p < end && lines < 20) {
    int quoted = 0, at_start = 1;
    for (; p < end && (quoted || (*p != '\n' && *p != '\r')); p++) {
      if (*p == '"' && (quoted || at_start)) quoted = !quoted;
      else if (!quoted)
        for (i = 0; i < 4; i++)
          if (*p == candidates[i]) counts[lines][i]++;
      at_start = !quoted && is_candidate(*p);
    }
    while (p < end && (*p == '\n' || *p == '\r')) p++;
    lines++;
  }
  for (i = 0; i < 4; i++)
    for (j = 0; j < lines; j++) {  /* the lines that agree with line j's count */
      int score = 0;
      if (counts[j][i] == 0) continue;
      for (k = 0; k < lines; k++) score += counts[k][i] == counts[j][i];
      if (score > best_score) best = i, best_score = score;
    }
  return best < 0 ? ',' : candidates[best];
}

/* The table name a file gives: its base name without the extension. */
static void push_name_of_file(lua_State *L, const char *path) {
  const char *base = strrchr(path, '/'), *dot;
  base = base ? base + 1 : path;
  dot = strrchr(base, '.');
  lua_pushlstring(L, base, dot && dot != base ? (size_t)(dot - base) : strlen(base));
}

/* Whether a text column with frequency (as recognise leaves it) holds
** periods: its missing values ('N/A', '…') are NULL, as in a number's. */
static int is_periods(char frequency) {
  return frequency != 0 && frequency != NOT_PERIODS;
}

/* Fold field f into its column's frequency: the period's, while every
** value so far is a period of that one frequency, else NOT_PERIODS. */
static void recognise(const field *f, char *frequency) {
  char found = f->escaped ? 0 : period_frequency_of(f->s, f->len);
  if (found == 0 || (*frequency != 0 && *frequency != found)) *frequency = NOT_PERIODS;
  else *frequency = found;
}

/*
** zb.read_csv(path [, opts]) -> name, rows, notes, periods
** Loads the file into a new table of the session database and returns the
** table's name, the number of rows loaded, the note lines set aside and
** the text columns recognised as periods (name -> frequency).
*/
int csv_read(lua_State *L) {
  options o;
  const char *encoding, *name, *sql;
  int replace, ncols, nrows = 0, seen = 0, *types, i, db, names, notes, guard, box;
  char *frequencies;
  const char *data, *footer = NULL;  /* where the header is, where the notes at the end start */
  load *ld;
  cursor c;
  sqlite3_stmt *insert;
  luaL_Buffer b;
  o.path = luaL_checkstring(L, 1);
  read_options(L, &o, &encoding, &name, &replace);
  db_push_session(L);
  db = lua_gettop(L);
  ld = push_load(L);
  read_file(L, ld, o.path);
  to_utf8(L, ld, &o, encoding);
  c.start = c.p = ld->bytes;
  c.end = ld->bytes + ld->size;
  if (c.end - c.p >= 3 && memcmp(c.p, "\xEF\xBB\xBF", 3) == 0) c.start = c.p += 3;
  if (o.sep == 0) o.sep = detect_sep(c.p, c.end);

  /* Single-field lines above the first wider one are notes (the title and
  ** units that statistical exports put first): kept aside, not loaded. */
  lua_newtable(L);
  notes = lua_gettop(L);
  for (ncols = -1;;) {
    const char *record = c.p;
    int n = next_record(L, ld, &c, &o);
    if (n < 0) break;
    if (n > 1) {
      ncols = n;
      data = record;
      break;
    }
    push_field(L, ld, &ld->fields[0]);
    lua_rawseti(L, notes, (lua_Integer)lua_rawlen(L, notes) + 1);
  }
  if (ncols < 0) {  /* one column throughout: no notes after all */
    lua_newtable(L);
    lua_replace(L, notes);
    c.p = data = c.start;
    ncols = next_record(L, ld, &c, &o);
    if (ncols < 0) return luaL_error(L, "%s: the file is empty", o.path);
  }
  if (ncols > sqlite3_limit(db_handle(L, db), SQLITE_LIMIT_COLUMN, -1))
    return luaL_error(L, "%s: %d columns; SQLite allows at most %d", o.path, ncols,
                      sqlite3_limit(db_handle(L, db), SQLITE_LIMIT_COLUMN, -1));
  push_column_names(L, ld, ncols, o.header, &o, data);
  names = lua_gettop(L);
  if (!o.header) c.p = data;  /* the first line is data */

  /* First pass: check every record and find each column's type.  Single-field
  ** lines at the end are notes too (sources, footnotes). */
  types = (int *)lua_newuserdatauv(L, sizeof(int) * (size_t)ncols, 0);
  for (i = 0; i < ncols; i++) types[i] = TYPE_NULL;
  /* A text column whose values are all periods of one frequency is
  ** recognised: each column's frequency so far, NOT_PERIODS once a value
  ** is none (or a number, which a text column keeps apart). */
  frequencies = (char *)lua_newuserdatauv(L, (size_t)ncols, 0);
  memset(frequencies, 0, (size_t)ncols);
  for (;;) {
    const char *record = c.p;
    int n = next_record(L, ld, &c, &o);
    if (n < 0) break;
    forget_behind(ld, record);
    if (n == 1 && ncols > 1 && is_note(&o, &ld->fields[0])) {
      if (footer == NULL) footer = record;
      push_field(L, ld, &ld->fields[0]);
      lua_rawseti(L, notes, (lua_Integer)lua_rawlen(L, notes) + 1);
      continue;
    }
    if (n != ncols || footer != NULL) {
      lua_pushfstring(L, "expected %d fields (as in the %s), found %d", ncols,
                      o.header ? "header" : "first line", footer ? 1 : n);
      error_at(L, &o, c.start, footer ? footer : record, lua_tostring(L, -1));
    }
    seen++;
    for (i = 0; i < ncols; i++) {
      const field *f = &ld->fields[i];
      char num[NUMBER_MAX];
      number value;
      int t;
      if (types[i] != TYPE_TEXT) {
        if (is_na(&o, f->s, f->len) || (!f->escaped && is_numeric_na(f->s, f->len))) continue;
        t = f->escaped ? TYPE_TEXT : classify(&o, f->s, f->len, num, sizeof num, &value);
        if (t > types[i]) types[i] = t;
        if (t != TYPE_TEXT) {
          if (t != TYPE_NULL) frequencies[i] = NOT_PERIODS;
          continue;
        }
      } else if (frequencies[i] == NOT_PERIODS || is_na(&o, f->s, f->len) || (!f->escaped && is_numeric_na(f->s, f->len))) {
        continue;  /* a missing period ('N/A', '…') does not count */
      }
      if (frequencies[i] != NOT_PERIODS) recognise(f, &frequencies[i]);
    }
  }

  if (footer != NULL && seen == 0) {  /* notes, but no data: the header was not one */
    lua_pushfstring(L, "expected %d fields (as in the header), found 1", ncols);
    error_at(L, &o, c.start, footer, lua_tostring(L, -1));
  }
  /* Second pass: create the table and insert, inside one savepoint. */
  if (name == NULL) {
    push_name_of_file(L, o.path);
    name = lua_tostring(L, -1);
  }
  db_push_savepoint(L, db);
  guard = lua_gettop(L);
  if (replace) {
    luaL_buffinit(L, &b);
    luaL_addstring(&b, "DROP TABLE IF EXISTS ");
    add_quoted(&b, name, strlen(name));
    luaL_pushresult(&b);
    db_exec(L, db, lua_tostring(L, -1));
    lua_pop(L, 1);
  }
  luaL_buffinit(L, &b);
  luaL_addstring(&b, "CREATE TABLE ");
  add_quoted(&b, name, strlen(name));
  luaL_addstring(&b, " (");
  for (i = 0; i < ncols; i++) {
    size_t len;
    const char *col;
    lua_rawgeti(L, names, i + 1);
    col = lua_tolstring(L, -1, &len);
    lua_pop(L, 1);  /* held by the names table */
    if (i > 0) luaL_addstring(&b, ", ");
    add_quoted(&b, col, len);
    luaL_addchar(&b, ' ');
    luaL_addstring(&b, type_names[types[i]]);
  }
  luaL_addchar(&b, ')');
  luaL_pushresult(&b);
  sql = lua_tostring(L, -1);
  db_exec(L, db, sql);
  luaL_buffinit(L, &b);
  luaL_addstring(&b, "INSERT INTO ");
  add_quoted(&b, name, strlen(name));
  luaL_addstring(&b, " VALUES (");
  for (i = 0; i < ncols; i++) luaL_addstring(&b, i ? ", ?" : "?");
  luaL_addchar(&b, ')');
  luaL_pushresult(&b);
  insert = db_push_prepared(L, db, lua_tostring(L, -1));
  box = lua_gettop(L);

  c.p = data;
  ld->dropped = 0;
  if (footer != NULL) c.end = footer;
  if (o.header) next_record(L, ld, &c, &o);
  while (next_record(L, ld, &c, &o) >= 0) {
    for (i = 0; i < ncols; i++) {
      const field *f = &ld->fields[i];
      char num[NUMBER_MAX];
      number value;
      size_t len;
      const char *text;
      int t;
      if (is_na(&o, f->s, f->len) ||
          ((types[i] != TYPE_TEXT || is_periods(frequencies[i])) && !f->escaped && is_numeric_na(f->s, f->len))) {
        sqlite3_bind_null(insert, i + 1);
        continue;
      }
      if (types[i] != TYPE_TEXT && (t = classify(&o, f->s, f->len, num, sizeof num, &value)) != TYPE_TEXT) {
        if (types[i] == TYPE_INTEGER) sqlite3_bind_int64(insert, i + 1, value.i);
        else sqlite3_bind_double(insert, i + 1, t == TYPE_INTEGER ? (double)value.i : value.d);
        continue;
      }
      text = field_text(L, ld, f, &len);  /* in the file (lives through the step) or scratch */
      sqlite3_bind_text64(insert, i + 1, text, len, f->escaped ? SQLITE_TRANSIENT : SQLITE_STATIC,
                          SQLITE_UTF8);
    }
    forget_behind(ld, c.p);
    if (sqlite3_step(insert) != SQLITE_DONE) {
      lua_pushstring(L, sqlite3_errmsg(db_handle(L, db)));
      return luaL_error(L, "%s: row %d: %s", o.path, nrows + 1, lua_tostring(L, -1));
    }
    sqlite3_reset(insert);
    nrows++;
  }
  lua_closeslot(L, box);  /* the statement, before the savepoint is released */
  check_unchanged(L, o.path);
  db_release_savepoint(L, guard);
  lua_pushstring(L, name);
  lua_pushinteger(L, nrows);
  lua_pushvalue(L, notes);
  lua_newtable(L);  /* the columns of periods: name -> frequency */
  for (i = 0; i < ncols; i++) {
    if (types[i] != TYPE_TEXT || !is_periods(frequencies[i])) continue;
    lua_rawgeti(L, names, i + 1);
    lua_pushlstring(L, &frequencies[i], 1);
    lua_rawset(L, -3);
  }
  return 4;
}
