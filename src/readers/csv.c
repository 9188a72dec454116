/*
** csv.c: zb.read_csv, a CSV file into a new table of the session database.
** The loader: options, the file's bytes (mapped, made UTF-8 from GBK or
** GB18030), column names, types and periods, and one savepoint of inserts,
** so that a file that fails leaves nothing behind.  Records and values are
** csv_reader.c's; its problems become errors naming file, line and column.
*/
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <iconv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>

#include "lua.h"
#include "lauxlib.h"

#include "box.h"
#include "csv.h"
#include "fingerprint.h"
#include "magic.h"
#include "csv_reader.h"
#include "db.h"
#include "error.h"
#include "paths.h"
#include "period.h"
#include "sink.h"
#include "value.h"
#include "width.h"
#include "zb.h"

#define NOT_PERIODS '-'  /* a column's frequency once a value is no period */
#define ONLY_MARKS 'x'   /* a column of no value yet but marks of missing numbers (x, N/A): csv_settle */
/* A column's SQL type, by what its values are (CSV_NONE ... CSV_TEXT). */
static const char *const type_names[] = {"TEXT", "INTEGER", "REAL", "TEXT"};

/* Everything a load allocates, in one box that frees it however the load ends. */
typedef struct load {
  char *bytes;         /* the file, as UTF-8 */
  size_t size;
  int mapped;          /* bytes are the file mapped (else allocated: bytes_cap) */
  size_t bytes_cap;
  size_t dropped;      /* mapped pages before this offset were let go */
  int cr;              /* the text holds a CR (else lines end at LF alone) */
  int hashed;          /* hash is the mapped file's bytes' (the fingerprint of its record) */
  XXH128_hash_t hash;
  csv_reader reader;   /* over bytes; its buffers come from Lua's allocator */
} load;

typedef struct options {
  const char *path;
  char sep;                /* 0: detected */
  int header;              /* lines of the header: 0 (none), 1, 2 ... */
  int header_given;        /* whether opts.header said it */
  csv_values values;
  const char *encoding;    /* NULL: as the bytes look */
  const char *name;        /* NULL: the file's */
  int replace;
  int skip, skip_footer;   /* lines above the header, below the data; -1: found */
} options;

/* What the first pass learns of the records, for the second. */
typedef struct shape {
  int fields;           /* each record's field count */
  int ncols;            /* the table's columns: fields, less an empty last one */
  const char *data;     /* the first record below the notes: the header, or data without one */
  const char *footer;   /* where the notes at the end start, or NULL */
  const char *cut;      /* where the lines of skip_footer start, or NULL */
  int last_empty;       /* the header's last field and every record's are empty */
  int extra_last;       /* each record has a field more than the header, empty: a separator ends it */
  int padded;           /* the file shows a report's layout: lines above the header, lines padded with commas */
  int *types;           /* each column's, CSV_NONE ... CSV_TEXT */
  char *frequencies;    /* each column's, as recognise leaves it */
} shape;

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
** file's bytes too. */
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
  size_t page, upto;
  if (!ld->mapped || (size_t)(p - ld->bytes) < ld->dropped + 2 * step) return;
  page = (size_t)sysconf(_SC_PAGESIZE);  /* (not at each record: a call to the C library) */
  upto = ((size_t)(p - ld->bytes) - step) / page * page;
  madvise(ld->bytes + ld->dropped, upto - ld->dropped, MADV_DONTNEED);
  ld->dropped = upto;
}

static int l_load_close(lua_State *L) {
  load *ld = (load *)luaL_checkudata(L, 1, ZB_FILEDATA);
  release_bytes(L, ld);
  csv_reader_free(&ld->reader);
  memset(ld, 0, sizeof *ld);
  return 0;
}

static load *push_load(lua_State *L) {
  return (load *)box_push(L, sizeof(load), ZB_FILEDATA, l_load_close);
}

/* ---- positions and errors ---- */

/* Raise a zb.Error at FILE:LINE:COLUMN for a problem of the file's. */
static int raise_problem(lua_State *L, const options *o, const csv_problem *problem) {
  check_unchanged(L, o->path);  /* the zeros where the file was are no error of its own */
  error_raise_in_file(L, o->path, problem->line, problem->column, problem->what);
  return 0;
}

/* Raise "FILE:LINE:COLUMN: what" for the byte at pos of the text from start. */
static int error_at(lua_State *L, const options *o, const char *start, const char *pos,
                    const char *what) {
  csv_problem problem;
  problem.what = what;
  problem.at = pos;
  csv_locate(start, pos, &problem.line, &problem.column);
  return raise_problem(L, o, &problem);
}

/* Where the file's text starts: line 1, column 1 is after a byte order mark. */
static const char *text_start(const load *ld) {
  return ld->size >= 3 && memcmp(ld->bytes, "\xEF\xBB\xBF", 3) == 0 ? ld->bytes + 3 : ld->bytes;
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

/* Convert the file from encoding (iconv's name: GB18030, a superset of
** GBK, or WINDOWS-1252) to UTF-8; bad says what its invalid bytes are. */
static void from_encoding(lua_State *L, load *ld, const options *o, const char *encoding, const char *bad) {
  iconv_t cd = iconv_open("UTF-8", encoding);
  size_t out_cap = ld->size * 3 + 16, in_left = ld->size, out_left = out_cap;
  char *out, *in = ld->bytes, *op;
  if (cd == (iconv_t)-1) luaL_error(L, "%s: this system cannot convert %s", o->path, encoding);
  out = op = (char *)resize(L, NULL, 0, out_cap);
  if (out == NULL) {
    iconv_close(cd);
    luaL_error(L, "not enough memory to convert %s", o->path);
    return;  /* not reached: luaL_error does not return */
  }
  if (iconv(cd, &in, &in_left, &op, &out_left) == (size_t)-1) {
    iconv_close(cd);
    resize(L, out, out_cap, 0);
    error_at(L, o, ld->bytes, in, bad);
  }
  iconv_close(cd);
  release_bytes(L, ld);
  ld->bytes = out;
  ld->bytes_cap = out_cap;
  ld->size = out_cap - out_left;
}

#define GBK_INVALID "invalid bytes for GB18030 (nor are they UTF-8; a Western Windows file? encoding = \"windows-1252\")"

/* Whether s holds a character of more than one byte (beyond ASCII). */
static int has_multibyte(const char *s, size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    if ((unsigned char)s[i] >= 0x80) return 1;
  return 0;
}

/* Where the bytes beyond ASCII, read as GBK's pairs, fall outside GB2312's
** (both bytes from 0xA1: the Chinese of almost every GBK text) more often
** than in it, as a Western Windows file's accented letters do ("Côte" is
** C, 0xF4 't'): that pair's place, else NULL. */
static const char *not_chinese(const char *s, size_t n) {
  size_t i, inside = 0, outside = 0;
  const char *first = NULL;
  for (i = 0; i < n; i++) {
    unsigned char lead = (unsigned char)s[i], trail = i + 1 < n ? (unsigned char)s[i + 1] : 0;
    if (lead < 0x80) continue;
    if (lead >= 0xA1 && trail >= 0xA1) inside++;
    else if (outside++ == 0) first = s + i;
    i++;
  }
  return outside > inside ? first : NULL;
}

/* A first look at the whole text, a few megabytes at a time, the pages
** behind let go (a mapped file need not be resident whole): where it
** stops being UTF-8 (*valid), its first NUL byte (*nul, or NULL), whether
** it holds a CR (ld->cr), and a mapped file's fingerprint (ld->hash). */
static void survey(load *ld, size_t *valid, const char **nul) {
  const size_t step = (size_t)4 << 20;
  size_t at = 0;
  XXH3_state_t *state = ld->mapped ? XXH3_createState() : NULL;  /* none (no memory): the record hashes it */
  *valid = ld->size;
  *nul = NULL;
  ld->cr = 0;
  if (state != NULL) (void)XXH3_128bits_reset(state);
  while (at < ld->size) {
    size_t n = ld->size - at < step ? ld->size - at : step;
    const char *chunk = ld->bytes + at;
    if (*nul == NULL) *nul = (const char *)memchr(chunk, '\0', n);
    if (!ld->cr) ld->cr = memchr(chunk, '\r', n) != NULL;
    if (*valid == ld->size) {
      size_t v = utf8_prefix(chunk, n);
      if (v < n && (at + n == ld->size || n - v >= 4)) *valid = at + v;
      else if (v < n) n = v;  /* a character the step cut: read whole in the next */
    }
    if (state != NULL) (void)XXH3_128bits_update(state, chunk, n);
    at += n;
    forget_behind(ld, ld->bytes + at);
  }
  if (state != NULL) {
    ld->hash = XXH3_128bits_digest(state);
    ld->hashed = 1;
    XXH3_freeState(state);
  }
  ld->dropped = 0;  /* the passes read from the start again, and let go behind them */
}

/* Make the bytes UTF-8, as opts.encoding says or, without it, as they look. */
static void to_utf8(lua_State *L, load *ld, const options *o) {
  const char *encoding = o->encoding;
  size_t valid;
  const char *nul;
  magic_kind kind = magic_kind_of(ld->bytes, ld->size < MAGIC_BYTES ? ld->size : MAGIC_BYTES);
  char message[512];
  survey(ld, &valid, &nul);
  if (kind != MAGIC_TEXT)
    luaL_error(L, "%s: %s", o->path, magic_message(kind, "CSV text", message, sizeof message));
  if (nul != NULL)  /* text has none: UTF-16 (Excel's "Unicode text") has one in every ASCII character */
    error_at(L, o, ld->bytes, nul, "a NUL byte, which text does not hold (is the file UTF-16? save it as UTF-8)");
  if (encoding == NULL) {
    /* GB18030 when the first character beyond ASCII is not UTF-8; a file
    ** that was UTF-8 up to a bad byte has that byte reported */
    if (valid < ld->size && has_multibyte(ld->bytes, valid))
      error_at(L, o, text_start(ld), ld->bytes + valid, "invalid UTF-8 (the file is UTF-8 before this)");
    if (valid < ld->size && not_chinese(ld->bytes, ld->size) != NULL)
      error_at(L, o, text_start(ld), not_chinese(ld->bytes, ld->size),
               "neither UTF-8 nor Chinese in GBK, as its bytes read (accented letters, as a Western Windows file "
               "holds?): say encoding = \"windows-1252\" (Excel's on a Western Windows), or \"gb18030\" if it is "
               "Chinese (GBK, GB18030)");
    if (valid < ld->size) from_encoding(L, ld, o, "GB18030", GBK_INVALID);
  }
  else if (strcmp(encoding, "gbk") == 0 || strcmp(encoding, "gb18030") == 0 ||
           strcmp(encoding, "GBK") == 0 || strcmp(encoding, "GB18030") == 0)
    from_encoding(L, ld, o, "GB18030", GBK_INVALID);
  else if (strcmp(encoding, "windows-1252") == 0 || strcmp(encoding, "cp1252") == 0 ||
           strcmp(encoding, "latin1") == 0 || strcmp(encoding, "iso-8859-1") == 0)
    from_encoding(L, ld, o, "WINDOWS-1252", "a byte Windows-1252 does not define");
  else if (strcmp(encoding, "utf-8") == 0 || strcmp(encoding, "UTF-8") == 0 ||
           strcmp(encoding, "utf8") == 0) {
    if (valid < ld->size) error_at(L, o, text_start(ld), ld->bytes + valid, "invalid UTF-8");
  }
  else luaL_error(L, "unknown encoding '%s' (expected utf-8, gbk, gb18030 or windows-1252)", encoding);
}

/* ---- records and values ---- */

/* Read the next record into ld->reader.fields: its field count, or
** CSV_END.  Raises on a malformed record. */
static int next_record(lua_State *L, load *ld, const options *o) {
  csv_problem problem;
  int n = csv_next(&ld->reader, &problem);
  if (n == CSV_MALFORMED) raise_problem(L, o, &problem);
  if (n == CSV_NO_MEMORY) luaL_error(L, "not enough memory");
  return n;
}

/* The one field of the record read (n fields) that is not empty: its
** index, -1 when all are empty, -2 when more than one is filled. */
static int single_field(const csv_reader *r, int n) {
  int i, found = -1;
  for (i = 0; i < n; i++)
    if (r->fields[i].len > 0) {
      if (found >= 0) return -2;
      found = i;
    }
  return found;
}

/* The fields of the record just read (n of them) as the header finder
** counts them: a line with one field filled, or none, counts as one (a
** title, units or note in a CSV that Excel saved, every line padded with
** commas to the table's width: "表1 分省GDP,,,", ",,,单位：亿元"). */
static int counted_fields(const csv_reader *r, int n) {
  return n > 1 && single_field(r, n) >= -1 ? 1 : n;
}

/* The text of a field, its doubled quotes undone. */
static const char *field_text(lua_State *L, load *ld, const csv_field *f, size_t *len) {
  const char *s = csv_field_text(&ld->reader, f, len);
  if (s == NULL) luaL_error(L, "not enough memory");
  return s;
}

/* Append the record read (of n fields) to the table at notes: its fields
** that are not empty, apart by ", "; a record of empty fields adds none. */
static void add_note(lua_State *L, load *ld, int notes, int n) {
  luaL_Buffer b;
  int i, any = 0;
  luaL_buffinit(L, &b);
  for (i = 0; i < n; i++) {
    size_t len;
    const char *s = field_text(L, ld, &ld->reader.fields[i], &len);
    if (len == 0) continue;
    if (any++) luaL_addstring(&b, ", ");
    luaL_addlstring(&b, s, len);
  }
  luaL_pushresult(&b);
  if (any) lua_rawseti(L, notes, (lua_Integer)lua_rawlen(L, notes) + 1);
  else lua_pop(L, 1);
}

/* Append the records of text[from..to) to the table at notes (the lines
** skip and skip_footer set aside); the reader's cursor stays. */
static void add_notes_between(lua_State *L, load *ld, const options *o, int notes, const char *from,
                              const char *to) {
  csv_reader *r = &ld->reader;
  const char *p = r->p, *end = r->end;
  int n;
  r->p = from;
  r->end = to;
  while ((n = next_record(L, ld, o)) != CSV_END) add_note(L, ld, notes, n);
  r->p = p;
  r->end = end;
}

int csv_spells_missing(const char *s, size_t len) {
  static const csv_values plain;  /* no spellings of the user's */
  return csv_is_na(&plain, s, len) || csv_is_missing_number(s, len);
}

int csv_missing_number(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  lua_pushboolean(L, csv_spells_missing(s, len));
  return 1;
}

/* An iconv descriptor in a box, closed however the conversion ends. */
typedef struct converter {
  iconv_t cd;
  int open;
} converter;

static int l_converter_close(lua_State *L) {
  converter *c = (converter *)luaL_checkudata(L, 1, ZB_CONVERTER);
  if (c->open) iconv_close(c->cd);
  c->open = 0;
  return 0;
}

/* zb.core.to_gb18030(s) -> s (UTF-8) as GB18030.  Raises, naming the
** byte, at what is not UTF-8 or what GB18030 cannot hold. */
int csv_to_gb18030(lua_State *L) {
  size_t left;
  union { const char *c; char *m; } in;  /* iconv takes char **, and only reads */
  const char *start = luaL_checklstring(L, 1, &left);
  converter *c = (converter *)box_push(L, sizeof(converter), ZB_CONVERTER, l_converter_close);
  luaL_Buffer b;
  in.c = start;
  c->cd = iconv_open("GB18030", "UTF-8");
  if (c->cd == (iconv_t)-1) return luaL_error(L, "this system cannot convert to GB18030");
  c->open = 1;
  luaL_buffinit(L, &b);
  while (left > 0) {
    const size_t room = 4096;
    char *out = luaL_prepbuffsize(&b, room);
    size_t out_left = room;
    size_t done = iconv(c->cd, &in.m, &left, &out, &out_left);
    luaL_addsize(&b, room - out_left);
    if (done == (size_t)-1 && errno != E2BIG)
      return luaL_error(L, "byte %d cannot be written as GB18030 (%s)", (int)(in.c - start) + 1,
                        errno == EILSEQ ? "not UTF-8, or not a character GB18030 holds" : "a character cut short");
  }
  luaL_pushresult(&b);
  return 1;
}

/* Whether f is missing in a column of numbers (or of periods). */
static int is_missing(const csv_values *v, const csv_field *f) {
  return csv_is_na(v, f->s, f->len) || (!f->escaped && csv_is_missing_number(f->s, f->len));
}

/* A line of one field is a note (a source, a footnote) when it is text. */
static int is_note(const csv_values *v, const csv_field *f) {
  csv_number value;
  return !csv_is_na(v, f->s, f->len) && (f->escaped || csv_classify(v, f->s, f->len, &value) == CSV_TEXT);
}

/* ---- options ---- */

/* read_csv's options and the type of each: the one list of them, checked
** in the words zb.options (lua/zb/host/options.lua) uses for Lua's functions.
** notes, source, units and vintage are the catalog's (lua/zb/loaders/read_csv.lua). */
static const struct {
  const char *name;
  int type;
} csv_options[] = {
  {"encoding", LUA_TSTRING}, {"header", LUA_TNUMBER}, {"na", LUA_TTABLE}, {"name", LUA_TSTRING},
  {"notes", LUA_TSTRING}, {"numbers", LUA_TSTRING}, {"replace", LUA_TBOOLEAN}, {"sep", LUA_TSTRING},
  {"skip", LUA_TNUMBER}, {"skip_footer", LUA_TNUMBER}, {"source", LUA_TSTRING}, {"units", LUA_TTABLE},
  {"vintage", LUA_TSTRING},
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

/* A count of lines option: an integer from 0; -1 when not given. */
static int lines_option(lua_State *L, const char *key) {
  lua_Integer n;
  if (!option(L, key)) return -1;
  n = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : -1;
  if (n < 0 || n > 1000000000) luaL_error(L, "read_csv: option '%s' must be a whole number of lines, from 0", key);
  return (int)n;
}

static void read_options(lua_State *L, options *o) {
  const char *s;
  o->sep = 0;
  o->header = 1;
  o->header_given = 0;
  o->values.loose = 0;
  o->values.nna = 0;
  o->encoding = o->name = NULL;
  o->replace = 0;
  o->skip = o->skip_footer = -1;
  if (lua_isnoneornil(L, 2)) return;
  if (!lua_istable(L, 2)) luaL_error(L, "read_csv: options must be a table, not a %s", luaL_typename(L, 2));
  check_option_names(L);
  if ((s = string_option(L, "sep")) != NULL) {
    if (strlen(s) != 1 || *s == '"' || *s == '\n' || *s == '\r')
      luaL_error(L, "read_csv: option 'sep' must be one character (not a quote or a newline)");
    o->sep = *s;
  }
  o->header_given = lua_getfield(L, 2, "header") != LUA_TNIL;
  if (lua_type(L, -1) == LUA_TBOOLEAN) o->header = lua_toboolean(L, -1);
  else if (!lua_isnil(L, -1) && (lua_tointeger(L, -1) < 1 || lua_tointeger(L, -1) > 16 || !lua_isinteger(L, -1)))
    luaL_error(L, "read_csv: option 'header' must be true, false or a number of lines from 1 to 16");
  else if (!lua_isnil(L, -1)) o->header = (int)lua_tointeger(L, -1);
  if ((s = string_option(L, "numbers")) != NULL) {
    if (strcmp(s, "loose") == 0) o->values.loose = 1;
    else if (strcmp(s, "strict") != 0)
      luaL_error(L, "read_csv: option 'numbers' must be \"strict\" or \"loose\", not \"%s\"", s);
  }
  o->encoding = string_option(L, "encoding");
  o->name = string_option(L, "name");
  if (option(L, "replace")) o->replace = lua_toboolean(L, -1);
  o->skip = lines_option(L, "skip");
  o->skip_footer = lines_option(L, "skip_footer");
  if (option(L, "na")) {
    csv_values *v = &o->values;
    int i, n = (int)lua_rawlen(L, -1);
    if (n > CSV_NA_MAX) luaL_error(L, "read_csv: option 'na' holds at most %d spellings", CSV_NA_MAX);
    for (i = 1; i <= n; i++) {
      if (lua_rawgeti(L, -1, i) != LUA_TSTRING) luaL_error(L, "read_csv: option 'na' must hold strings");
      v->na[v->nna] = lua_tolstring(L, -1, &v->na_len[v->nna]);
      v->nna++;
      lua_pop(L, 1);  /* a string element stays alive in opts.na */
    }
  }
  /* the option values stay on the stack, so their strings stay alive */
}

/* ---- the load ---- */

void csv_add_quoted(luaL_Buffer *b, const char *s, size_t len) {
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

void csv_unique_names(lua_State *L, int idx) {
  int i, n = (int)lua_rawlen(L, idx);
  idx = lua_absindex(L, idx);
  lua_newtable(L);  /* names taken, in lower case: SQLite's names ignore ASCII case */
  for (i = 1; i <= n; i++) {
    int k = 2;
    lua_rawgeti(L, idx, i);
    if (lua_rawlen(L, -1) == 0) {
      lua_pop(L, 1);
      lua_pushfstring(L, "c%d", i);
    }
    lua_pushvalue(L, -1);  /* the name to use: the base, or base_2, base_3, ... */
    for (;;) {
      push_lower(L, -1);
      if (lua_rawget(L, -4) == LUA_TNIL) break;
      lua_pop(L, 2);
      lua_pushfstring(L, "%s_%d", lua_tostring(L, -1), k++);
    }
    lua_pop(L, 1);
    lua_remove(L, -2);  /* the base */
    push_lower(L, -1);
    lua_pushboolean(L, 1);
    lua_rawset(L, -4);
    lua_rawseti(L, idx, i);
  }
  lua_pop(L, 1);
}

/* Push the fields of the record read (of ncols) as a table, empty ones
** left out; its line at .row. */
static void push_header_line(lua_State *L, load *ld, int ncols, const options *o, const char *record) {
  int i, line, column;
  lua_createtable(L, ncols, 1);
  for (i = 0; i < ncols; i++) {
    size_t len = 0;
    const char *s = field_text(L, ld, &ld->reader.fields[i], &len);
    if (memchr(s, '\0', len) != NULL) {
      lua_pushfstring(L, "column %d's name holds a NUL byte", i + 1);
      error_at(L, o, ld->reader.start, record, lua_tostring(L, -1));
    }
    if (len == 0) continue;
    lua_pushlstring(L, s, len);
    lua_rawseti(L, -2, i + 1);
  }
  csv_locate(ld->reader.start, record, &line, &column);
  lua_pushinteger(L, line);
  lua_setfield(L, -2, "row");
}

/* Push the column names (csv_unique_names): the header's, its lines
** joined as read_xlsx joins a header's rows (zb.loaders.header_names:
** "2021年" over "绝对数 | 增长%" spreads right over the empty fields), or c1,
** c2, ... without one.  The header's first line is the record read; the
** reader is left after its last. */
static void push_column_names(lua_State *L, load *ld, int ncols, const options *o, const char *header) {
  int i;
  if (o->header == 0) {
    lua_createtable(L, ncols, 0);
    for (i = 0; i < ncols; i++) {
      lua_pushliteral(L, "");
      lua_rawseti(L, -2, i + 1);
    }
    csv_unique_names(L, -1);
    return;
  }
  lua_getglobal(L, "require");
  lua_pushliteral(L, "zb.loaders.header_names");
  lua_call(L, 1, 1);
  lua_createtable(L, o->header, 0);
  for (i = 1; i <= o->header; i++) {
    int n = i == 1 ? ncols : next_record(L, ld, o);
    if (n != ncols) {
      lua_pushfstring(L, "header = %d, but line %d of it has %d fields where the first has %d", o->header, i,
                      n == CSV_END ? 0 : n, ncols);
      error_at(L, o, ld->reader.start, i == 1 ? header : ld->reader.record, lua_tostring(L, -1));
    }
    push_header_line(L, ld, ncols, o, i == 1 ? header : ld->reader.record);
    lua_rawseti(L, -2, i);
  }
  lua_pushinteger(L, ncols);
  lua_call(L, 2, 1);
  for (i = 1; i <= ncols; i++) {  /* a column no line names is named as without a header */
    if (lua_rawgeti(L, -1, i) == LUA_TNIL) {
      lua_pushliteral(L, "");
      lua_rawseti(L, -3, i);
    }
    lua_pop(L, 1);
  }
  csv_unique_names(L, -1);
}

/* The table name a file gives: its base name without the extension. */
static void push_name_of_file(lua_State *L, const char *path) {
  const char *base = strrchr(path, '/'), *dot;
  base = base ? base + 1 : path;
  dot = strrchr(base, '.');
  lua_pushlstring(L, base, dot && dot != base ? (size_t)(dot - base) : strlen(base));
}

int csv_is_periods(char frequency) {
  return frequency != 0 && frequency != NOT_PERIODS && frequency != ONLY_MARKS;
}

void csv_settle(int *type, char *frequency) {
  if (*type == CSV_NONE && *frequency == ONLY_MARKS) *type = CSV_TEXT, *frequency = NOT_PERIODS;
}

/* Fold field f into its column's frequency: the period's, while every
** value so far is a period of that one frequency, else NOT_PERIODS. */
static void recognise(const csv_field *f, char *frequency) {
  char found = f->escaped ? 0 : period_frequency_of(f->s, f->len);
  if (found == 0 || (*frequency != 0 && *frequency != found)) *frequency = NOT_PERIODS;
  else *frequency = found;
}


void csv_widen(const csv_values *v, const csv_field *f, int *type, char *frequency) {
  if (*type != CSV_TEXT) {
    csv_number value;
    int t;
    if (is_missing(v, f)) {
      if (*type == CSV_NONE && !csv_is_na(v, f->s, f->len)) *frequency = ONLY_MARKS;
      return;
    }
    t = f->escaped ? CSV_TEXT : csv_classify(v, f->s, f->len, &value);
    if (t > *type) *type = t;
    if (t != CSV_TEXT) {
      *frequency = NOT_PERIODS;
      return;
    }
  } else if (*frequency == NOT_PERIODS || is_missing(v, f)) {
    return;
  }
  if (*frequency != NOT_PERIODS) recognise(f, frequency);
}

/* Push the load's box, holding the file as UTF-8 and a reader at its start. */
static load *push_text(lua_State *L, const options *o) {
  void *ud;
  lua_Alloc alloc = lua_getallocf(L, &ud);
  load *ld = push_load(L);
  read_file(L, ld, o->path);
  to_utf8(L, ld, o);
  csv_reader_init(&ld->reader, ld->bytes, ld->size, o->sep, alloc, ud);
  return ld;
}

#define SAMPLE 100  /* records read to find the header */

/* Whether the last of the n fields read is empty and unquoted (a separator
** ends the line, as in the World Bank's files). */
static int last_field_empty(const csv_reader *r, int n) {
  const csv_field *f = &r->fields[n - 1];
  return n > 1 && f->len == 0 && f->s[-1] == r->sep;
}

/* How many of the n fields read spell a number, and how many are empty. */
static int count_numbers(load *ld, const options *o, int n, int *empty) {
  int i, numbers = 0;
  *empty = 0;
  for (i = 0; i < n; i++) {
    const csv_field *f = &ld->reader.fields[i];
    csv_number value;
    if (f->len == 0) ++*empty;
    else if (!is_missing(&o->values, f) && !f->escaped && csv_classify(&o->values, f->s, f->len, &value) != CSV_TEXT)
      numbers++;
  }
  return numbers;
}

/* The field count most of counts[0..k) have, among those above 1 (the
** first found on a tie: the header's, not a guess); 0 when none is above 1. */
static int body_width(const int *counts, int k) {
  int i, j, best = 0, best_times = 0;
  for (i = 0; i < k; i++) {
    int times = 0;
    if (counts[i] < 2) continue;
    for (j = 0; j < k; j++) times += counts[j] == counts[i];
    if (times > best_times) best = counts[i], best_times = times;
  }
  return best;
}

/* Refuse to take the lines from at[first] up to at[header] as lines above
** the header: they may be data, so the user says (skip = N). */
static void refuse_preamble(lua_State *L, load *ld, const options *o, const char *first, const char *header,
                            int width, const char *why) {
  int line, header_line, column;
  char lines[64];
  csv_locate(ld->reader.start, first, &line, &column);
  csv_locate(ld->reader.start, header, &header_line, &column);
  if (header_line - line > 1) snprintf(lines, sizeof lines, "lines %d to %d have", line, header_line - 1);
  else snprintf(lines, sizeof lines, "line %d has", line);
  lua_pushfstring(L, "%s fewer fields than line %d and those below it (%d), and %s: "
                  "if they are above the header, say skip = %d (their text is kept as notes)%s",
                  lines, header_line, width, why, header_line - 1,
                  line == 1 && header_line == 2 ? "; if line 1 is the header, it names fewer columns than the rows "
                                                  "have: name each in it" : "");
  error_at(L, o, ld->reader.start, first, lua_tostring(L, -1));
}

/* Check that the records of at[first..header) (fewer fields than width)
** are lines above the header, not data: none holds a number or fills half
** the width (a title, a "name","value" pair does not), a blank line sets
** them apart, and the header is not all numbers; else refuse. */
static void check_preamble(lua_State *L, load *ld, const options *o, const char *const *at,
                           const char *const *after, int first, int header, int width) {
  csv_reader *r = &ld->reader;
  int i, n, empty;
  for (i = first; i < header; i++) {
    r->p = at[i];
    n = next_record(L, ld, o);
    if (n > width) refuse_preamble(L, ld, o, at[first], at[header], width, "one has more");
    if (count_numbers(ld, o, n, &empty) > 0)
      refuse_preamble(L, ld, o, at[first], at[header], width, "they hold numbers, as data does");
    if ((n - empty) * 2 > width)
      refuse_preamble(L, ld, o, at[first], at[header], width, "one fills half of that or more, as a row of data would");
  }
  if (after[header - 1] == at[header])
    refuse_preamble(L, ld, o, at[first], at[header], width, "no blank line sets them apart from it");
  r->p = at[header];
  n = next_record(L, ld, o);
  if (count_numbers(ld, o, n, &empty) == n - empty)
    refuse_preamble(L, ld, o, at[first], at[header], width, "that line is numbers, not a header");
}

enum { FIELD_EMPTY, FIELD_TEXT, FIELD_YEAR, FIELD_NUMBER };

/* Read the record at p, of width fields, into kinds: each field's
** FIELD_ kind (a missing value's mark is a number's). */
static void read_kinds(lua_State *L, load *ld, const options *o, const char *p, int width, char *kinds) {
  int i;
  ld->reader.p = p;
  next_record(L, ld, o);
  for (i = 0; i < width; i++) {
    const csv_field *f = &ld->reader.fields[i];
    csv_number v;
    int type = f->escaped ? CSV_TEXT : csv_classify(&o->values, f->s, f->len, &v);
    if (f->len == 0) kinds[i] = FIELD_EMPTY;
    else if (is_missing(&o->values, f)) kinds[i] = FIELD_NUMBER;
    else if (type == CSV_TEXT) kinds[i] = FIELD_TEXT;
    else kinds[i] = type == CSV_INTEGER && v.i >= 1000 && v.i <= 9999 ? FIELD_YEAR : FIELD_NUMBER;
  }
}

/* How many of kinds[0..width) are filled; *numbers gets how many are
** numbers (years aside). */
static int filled_of(const char *kinds, int width, int *numbers) {
  int i, filled = 0;
  *numbers = 0;
  for (i = 0; i < width; i++) {
    filled += kinds[i] != FIELD_EMPTY;
    *numbers += kinds[i] == FIELD_NUMBER;
  }
  return filled;
}

/* Whether kinds[0..width) fill every field, the last aside when empty (a
** separator ending every line leaves it so). */
static int fills_all(const char *kinds, int width) {
  int i;
  for (i = 0; i < width - 1; i++)
    if (kinds[i] == FIELD_EMPTY) return 0;
  return 1;
}

/* Lines padded with commas to the table's width that fill half their
** fields or fewer, or more but with the first filled right over a line
** filling every field, none with a number ("表1 分省GDP,,,单位：亿元", "指标,
** 地区生产总值,,", "Data Source,World Development Indicators,,,",
** "表1 分省GDP,,单位：亿元" over "地区,2020,2021", blank ones between), over
** a line that fills every field (the last aside, which a
** separator ending every line leaves empty) over a line with a number:
** notes over the header, which is that line.  The header's index in at,
** header when the lines from it are not so. */
static int header_below_notes(lua_State *L, load *ld, const options *o, const char *const *at, const int *counts,
                              int k, int header, int width, char *kinds) {
  int j, numbers, filled;
  for (j = header; j + 1 < k; j++) {
    if (counts[j] == 1) continue;  /* blank, or one field filled */
    if (counts[j] != width) return header;
    read_kinds(L, ld, o, at[j], width, kinds);
    filled = filled_of(kinds, width, &numbers);
    if (fills_all(kinds, width)) {  /* the header, when names over data */
      if (numbers > 0) return header;
      break;
    }
    if (numbers > 0) return header;
    if (filled * 2 > width) {  /* more than half filled: a title still when it opens over a line filling all */
      int opens = kinds[0] != FIELD_EMPTY;
      if (!opens || counts[j + 1] != width) return header;
      read_kinds(L, ld, o, at[j + 1], width, kinds);
      if (!fills_all(kinds, width)) return header;
    }
  }
  if (j == header || j + 1 >= k || counts[j + 1] != width) return header;
  read_kinds(L, ld, o, at[j + 1], width, kinds);
  filled_of(kinds, width, &numbers);
  return numbers > 0 ? j : header;
}

/* Lines of text only, as wide as the table, a blank line below them, over
** a line of names over a line with a number ("Series,CPI China" and
** "Unit,percent", a blank line, "year,value", "2019,1.5"): notes over the
** header, most likely, or rows of text of the table: refused, naming the
** skip that takes them as notes. */
static void refuse_blank_preamble(lua_State *L, load *ld, const options *o, const char *const *at,
                                  const char *const *after, const int *counts, int k, int header, int width,
                                  char *kinds) {
  int d, i, numbers = 0;
  int line, header_line, column;
  for (d = header; d < k && numbers == 0; d++) {  /* the first line with a number */
    if (counts[d] != width && counts[d] != 1) return;
    read_kinds(L, ld, o, at[d], width, kinds);
    filled_of(kinds, width, &numbers);
  }
  d--;
  if (numbers == 0 || d < header + 2 || counts[d - 1] != width || after[d - 2] == at[d - 1]) return;
  read_kinds(L, ld, o, at[d - 1], width, kinds);
  if (!fills_all(kinds, width)) return;
  for (i = 0; i < width; i++)
    if (kinds[i] == FIELD_NUMBER) return;
  csv_locate(ld->reader.start, at[header], &line, &column);
  csv_locate(ld->reader.start, at[d - 1], &header_line, &column);
  lua_pushfstring(L, "lines %d to %d are text only, a blank line below them, and line %d names the columns over the "
                  "first figures: if the lines above it are notes (a \"name\",\"value\" preamble), say skip = %d "
                  "(their text is kept as notes); if they are rows of the table, say skip = %d", line,
                  header_line - 2, header_line, header_line - 1, line - 1);
  error_at(L, o, ld->reader.start, at[header], lua_tostring(L, -1));
}

/* Units' labels a second line of the header may begin with. */
static int names_units(const csv_field *f) {
  static const char *const labels[] = {"\xE5\x8D\x95\xE4\xBD\x8D" /* 单位 */,
                                       "\xE8\xAE\xA1\xE9\x87\x8F\xE5\x8D\x95\xE4\xBD\x8D" /* 计量单位 */,
                                       "unit", "units", "Unit", "Units", NULL};
  const char *const *label;
  for (label = labels; *label; label++)
    if (f->len == strlen(*label) && memcmp(f->s, *label, f->len) == 0) return 1;
  return 0;
}

/* The header at at[header] (of width fields), found under any notes, may
** be the first of two lines of names over the numbers, which read_csv
** does not join into names: refused.  The line below is names (text, or
** years over what is not a year) and names a column the header leaves
** empty ("地区,2021年,,2022年," over ",绝对数,增长%,绝对数,增长%"), or leaves
** its first field empty or says units there (units under the names:
** "地区,GDP,人口" over ",亿元,万人").  Returns the header's index. */
static int header_in_lines(lua_State *L, load *ld, const options *o, const char *const *at,
                           const char *const *after, const int *counts, int k, int header, int width) {
  csv_reader *r = &ld->reader;
  char *upper, *lower, *data;
  int i, named = -1, under = -1, numbers = 0, line, column, used = width, units;
  upper = (char *)lua_newuserdatauv(L, 3 * (size_t)width, 0);
  lower = upper + width;
  data = lower + width;
  header = header_below_notes(L, ld, o, at, counts, k, header, width, upper);
  refuse_blank_preamble(L, ld, o, at, after, counts, k, header, width, upper);
  if (header + 2 >= k || counts[header + 1] != width || counts[header + 2] != width) return header;
  read_kinds(L, ld, o, at[header], width, upper);
  read_kinds(L, ld, o, at[header + 2], width, data);
  read_kinds(L, ld, o, at[header + 1], width, lower);  /* its fields read last: names_units looks at them */
  units = lower[0] == FIELD_EMPTY || names_units(&r->fields[0]);
  if (upper[width - 1] == FIELD_EMPTY && lower[width - 1] == FIELD_EMPTY) used--;  /* a separator ends every line */
  for (i = 0; i < used; i++) {
    int name = lower[i] == FIELD_TEXT || (lower[i] == FIELD_YEAR && data[i] != FIELD_YEAR);
    if (lower[i] != FIELD_EMPTY && !name) return header;  /* data right below the header */
    if (named < 0 && name && upper[i] == FIELD_EMPTY) named = i;
    if (under < 0 && name && units && i > 0) under = i;
    numbers += data[i] == FIELD_NUMBER || data[i] == FIELD_YEAR;
  }
  if (named < 0) named = under;
  if (named < 0 || numbers == 0) return header;
  csv_locate(r->start, at[header], &line, &column);
  lua_pushfstring(L, "lines %d and %d look like a header of two lines (line %d names column %d, %s): say header = 2 "
                  "to join them into names (\"2021年_绝对数\", as read_xlsx does), or header = 1 to take line %d "
                  "alone as the header", line, line + 1, line + 1, named + 1,
                  upper[named] == FIELD_EMPTY ? "which the line above leaves empty" : "under its name: units",
                  line);
  return error_at(L, o, r->start, at[header], lua_tostring(L, -1));
}

/* Whether a field of the record at p holds a full-width colon, as a title
** or a line of units does ("单位：亿元") and a column's name seldom does. */
static int titled(lua_State *L, load *ld, const options *o, const char *p) {
  int i, n;
  ld->reader.p = p;
  n = next_record(L, ld, o);
  for (i = 0; i < n; i++) {
    const csv_field *f = &ld->reader.fields[i];
    size_t j;
    for (j = 0; j + 3 <= f->len; j++)
      if (memcmp(f->s + j, "\xEF\xBC\x9A", 3) == 0) return 1;
  }
  return 0;
}

/* Lines of text only right under the header at at[header], over the first
** line with a number, each of whose columns of text in them holds a figure
** there ("Series,CPI China" over "Unit,percent" over "date,value" over
** "2020,1.5"): a title and notes over the real header, or rows of the
** table?  Refused, naming the skip for each. */
static void refuse_text_rows(lua_State *L, load *ld, const options *o, const char *const *at, const int *counts,
                             int k, int header, int width, char *kinds, char *texts) {
  int d, i, numbers, line, data_line, column, col = -1, flips;
  memset(texts, 1, (size_t)width);
  for (d = header + 1; d < k; d++) {
    if (counts[d] != width) return;
    read_kinds(L, ld, o, at[d], width, kinds);
    if (filled_of(kinds, width, &numbers) == 0) return;
    for (i = 0; i < width; i++) numbers += kinds[i] == FIELD_YEAR;
    if (numbers > 0) break;
    for (i = 0; i < width; i++) texts[i] = texts[i] && kinds[i] == FIELD_TEXT;
  }
  if (d == header + 1 || d >= k) return;
  /* every column of text in them turns to figures there, as under a header (北京,停牌 over 天津,10.5 does not),
  ** or the first line reads as a title or units (a full-width colon: "表1 GDP,单位：亿元") */
  for (i = 0, flips = 1; i < width; i++) {
    if (!texts[i]) continue;
    if (kinds[i] != FIELD_NUMBER && kinds[i] != FIELD_YEAR) flips = 0;
    else if (col < 0) col = i;
  }
  if (col < 0 || (!flips && !titled(L, ld, o, at[header]))) return;
  csv_locate(ld->reader.start, at[header], &line, &column);
  csv_locate(ld->reader.start, at[d], &data_line, &column);
  lua_pushfstring(L, "line%s %d%s below the header hold%s only text, over the figures from line %d, and would make "
                  "column %d text: if line %d is the header and the lines above it notes, say skip = %d; if they "
                  "are rows of the table, say skip = %d", data_line - line > 2 ? "s" : "", line + 1,
                  data_line - line > 2 ? lua_pushfstring(L, " to %d", data_line - 1) : "",
                  data_line - line > 2 ? "" : "s", data_line, col + 1, data_line - 1, data_line - 2, line - 1);
  error_at(L, o, ld->reader.start, at[header + 1], lua_tostring(L, -1));
}

/* The header's index in at: found under any notes, checked for a second
** line of names and for rows of text between it and the figures. */
static int header_of_one_line(lua_State *L, load *ld, const options *o, const char *const *at,
                              const char *const *after, const int *counts, int k, int header, int width) {
  char *kinds = (char *)lua_newuserdatauv(L, 2 * (size_t)width, 0);
  header = header_in_lines(L, ld, o, at, after, counts, k, header, width);
  refuse_text_rows(L, ld, o, at, counts, k, header, width, kinds, kinds + width);
  lua_pop(L, 1);
  return header;
}

/* Whether every line of the sample below the first, of width fields, ends
** with an empty unquoted field (a separator ending the line) and none has
** another count: the lines of a header of width - 1 names. */
static int ends_every_line(lua_State *L, load *ld, const options *o, const char *const *at, const int *counts, int k,
                           int width) {
  csv_reader *r = &ld->reader;
  int i;
  if (k < 2) return 0;
  for (i = 1; i < k; i++) {
    int n;
    if (counts[i] != width) return 0;
    r->p = at[i];
    n = next_record(L, ld, o);
    if (!last_field_empty(r, n)) return 0;
  }
  return 1;
}

/* Find the header (or the first record, without one): sets s->fields,
** s->ncols and s->data, and leaves the header's fields read.  The lines
** above it are notes (appended to the table at notes): opts.skip's, else
** the lines of fewer fields than most of the first records have (the
** title, units and source that statistical exports put first) -- of one
** field, as always; of more, only when check_preamble finds them no data. */
static void find_data(lua_State *L, load *ld, const options *o, int notes, shape *s) {
  csv_reader *r = &ld->reader;
  const char *at[SAMPLE] = {0}, *after[SAMPLE] = {0};
  int counts[SAMPLE] = {0}, k = 0, first, header, width;
  if (o->skip >= 0) {
    const char *from = csv_skip_lines(r->start, r->end, o->skip);
    if (from == NULL) luaL_error(L, "%s: skip = %d, but the file has fewer lines", o->path, o->skip);
    add_notes_between(L, ld, o, notes, r->start, from);
    r->p = from;
    s->padded = o->skip > 0;
  }
  else {
    for (; k < SAMPLE; k++) {
      if ((counts[k] = next_record(L, ld, o)) == CSV_END) break;
      counts[k] = counted_fields(r, counts[k]);
      at[k] = r->record;
      after[k] = r->p;
    }
    width = body_width(counts, k);
    for (first = 0; first < k && counts[first] < 2; first++) {}
    header = first;
    if (width == 0) first = header = 0;  /* one column throughout: no notes */
    else if (counts[first] == width - 1 && first == 0 && ends_every_line(L, ld, o, at, counts, k, width)) {
      s->extra_last = 1;  /* "a,b,c" over "1,2,3," ...: the header, a separator ending the lines below it */
      width--;
    } else if (counts[first] < width) {
      while (counts[header] != width) header++;
      check_preamble(L, ld, o, at, after, first, header, width);
    }
    if (width > 0 && !o->header_given) header = header_of_one_line(L, ld, o, at, after, counts, k, header, width);
    if (header > 0) add_notes_between(L, ld, o, notes, r->start, at[header]);
    s->padded = header > 0;
    r->p = k > 0 ? at[header] : r->start;
  }
  s->fields = s->ncols = next_record(L, ld, o);
  if (s->fields == CSV_END) luaL_error(L, "%s: %s", o->path, o->skip > 0 ? "no lines below those skipped" : "the file is empty");
  s->data = r->record;
  s->last_empty = last_field_empty(r, s->fields);
}

/* Raise the error of a record at record with found fields. */
static int field_count_error(lua_State *L, load *ld, const options *o, const shape *s, int found,
                             const char *record) {
  lua_pushfstring(L, "expected %d fields (as in the %s), found %d", s->fields,
                  o->header ? "header" : "first line", found);
  return error_at(L, o, ld->reader.start, record, lua_tostring(L, -1));
}

static int has_empty_field(const csv_reader *r, int n) {
  int i;
  for (i = 0; i < n; i++)
    if (r->fields[i].len == 0) return 1;
  return 0;
}

static int is_numbers(int type) {
  return type == CSV_INTEGER || type == CSV_REAL;
}

/* Whether a line of data follows the reader's place: with numbers set, a
** line holding a number in a column of numbers (as s has typed them so
** far); else a line with more than one field filled (counted_fields).  The
** reader is left where it was, the line it read its own again. */
static int data_below(lua_State *L, load *ld, const options *o, const shape *s, int numbers) {
  csv_reader *r = &ld->reader;
  const char *record = r->record;
  int n, i, found = 0;
  while (!found && (n = next_record(L, ld, o)) != CSV_END) {
    if (!numbers) found = counted_fields(r, n) > 1;
    for (i = 0; numbers && i < n && i < s->fields && !found; i++) {
      csv_number v;
      const csv_field *f = &r->fields[i];
      found = is_numbers(s->types[i]) && f->len > 0 && csv_classify(&o->values, f->s, f->len, &v) != CSV_TEXT;
    }
  }
  r->p = record;
  next_record(L, ld, o);
  return found;
}

/* The lines from record to the end of the file (blank lines at its very
** end not counted, as skip_footer counts them). */
static int lines_from(const load *ld, const char *record) {
  int lines = 1;
  while (lines < INT_MAX && csv_last_lines(ld->reader.start, ld->reader.end, lines) > record) lines++;
  return lines;
}

/* Refuse the line at record, which makes column col, of numbers above
** it, text with no number below it: a note, most likely (a footnote), in
** a file laid out as a report; a row, in a plain one. */
static void refuse_note(lua_State *L, load *ld, const options *o, const char *record, int col) {
  lua_pushfstring(L, "a line of text below the numbers of column %d: if this line and those below it are notes under the "
                  "table, say skip_footer = %d (their text is kept as notes); if it is a row, skip_footer = 0",
                  col + 1, lines_from(ld, record));
  error_at(L, o, ld->reader.start, record, lua_tostring(L, -1));
}

/* Refuse the line at record, below a blank line, that makes column col,
** of numbers above it, text: the header or title of a second table, or
** notes ("表2 人均,," then "地区,人均GDP,增速" under the first table).  The
** skip_footer given takes the lines from data_end, where the rows above end. */
static void refuse_second_table(lua_State *L, load *ld, const options *o, const char *record, const char *data_end,
                                int col) {
  lua_pushfstring(L, "a line below a blank line makes column %d, of numbers above it, text: a second table, or notes? "
                  "say skip_footer = %d to read the table above it (the lines below it kept as notes), and skip = "
                  "N to read one below", col + 1, lines_from(ld, data_end != NULL ? data_end : record));
  error_at(L, o, ld->reader.start, record, lua_tostring(L, -1));
}

/* Refuse the line at record, right under the rows with none below them,
** whose first field alone is filled, with text that does not read as a
** note: a row with no values ("西藏,,,") or a footnote ("初步核算,,,")? */
static void refuse_last_key(lua_State *L, load *ld, const options *o, const char *record) {
  lua_pushfstring(L, "only the first field is filled, on a line right under the rows: a row with no values or a note "
                  "under the table? say skip_footer = %d to keep this line and those below it as notes, or "
                  "skip_footer = 0 to read it as a row", lines_from(ld, record));
  error_at(L, o, ld->reader.start, record, lua_tostring(L, -1));
}

/* Whether a line below the reader's place reads as a note (注：..., alone
** on its line or padded with commas).  The reader is left where it was. */
static int note_below(lua_State *L, load *ld, const options *o) {
  csv_reader *r = &ld->reader;
  const char *record = r->record;
  int n, one, found = 0;
  while (!found && (n = next_record(L, ld, o)) != CSV_END) {
    one = n == 1 ? 0 : single_field(r, n);
    found = one >= 0 && csv_reads_as_note(r->fields[one].s, r->fields[one].len);
  }
  r->p = record;
  next_record(L, ld, o);
  return found;
}

int csv_is_key(const char *s, size_t len) {
  size_t i;
  int digits = len > 0;
  for (i = 0; i < len && digits; i++) digits = s[i] >= '0' && s[i] <= '9';
  return digits || period_frequency_of(s, len) != 0;
}

/* For the line just read, right under the rows with no data below it, its
** first field alone filled with text f: whether it is a note (else a row
** with no values).  A note when it reads as one (注：...); a row when f is
** a key no note is (a period, a date, a code of digits), or when notes
** follow it (台湾省,,, over 注：...), or when the file shows no layout of a
** report (zb's and pandas' CSVs: no lines above the header, none padded);
** else it may be either: refused. */
static int last_key_is_note(lua_State *L, load *ld, const options *o, const shape *s, const csv_field *f) {
  if (csv_reads_as_note(f->s, f->len)) return 1;
  if (csv_is_key(f->s, f->len) || note_below(L, ld, o) || !s->padded) return 0;
  refuse_last_key(L, ld, o, ld->reader.record);
  return 0;
}

/* For a record of fewer fields than the header's near the end: the
** skip_footer that would take it and the lines below it as notes when no
** line from it on has as many fields as the header (a footnote holding a
** comma), else 0. */
static int footer_lines(lua_State *L, load *ld, const options *o, const shape *s, const char *record) {
  int n;
  while ((n = next_record(L, ld, o)) != CSV_END)
    if (n == s->fields) return 0;
  return lines_from(ld, record);
}

typedef struct guess guess;
static void follow_guess(lua_State *L, load *ld, const options *o, const shape *s, guess *g, int seen, int widened);

/* First pass: check every record below the header and find each column's
** type and frequency (pushing the two arrays).  Single-field lines at the
** end are notes too (sources, footnotes): s->footer is where they start.
** With g, the rows may go to another engine as they are read (guess). */
static void scan_records(lua_State *L, load *ld, const options *o, int notes, shape *s, guess *g) {
  csv_reader *r = &ld->reader;
  int seen = 0, i, one, changed, widened, was = CSV_NONE, blank_before = 0;
  const char *end_before = NULL, *data_end = NULL;
  s->types = (int *)lua_newuserdatauv(L, sizeof(int) * (size_t)s->fields, 0);
  for (i = 0; i < s->fields; i++) s->types[i] = CSV_NONE;
  s->frequencies = (char *)lua_newuserdatauv(L, (size_t)s->fields, 0);
  memset(s->frequencies, 0, (size_t)s->fields);
  s->footer = NULL;
  if (!o->header) r->p = s->data;  /* the first line is data */
  for (;;) {
    int n = next_record(L, ld, o);
    const char *record = r->record;
    if (n == CSV_END) break;
    forget_behind(ld, record);
    blank_before = blank_before || (end_before != NULL && record != end_before);
    end_before = r->p;
    if (n == 1 && s->fields > 1 && is_note(&o->values, &r->fields[0])) {
      if (s->footer == NULL) s->footer = record;
      add_note(L, ld, notes, 1);
      continue;
    }
    /* a line padded with commas to the table's width (as Excel saves a
    ** CSV), one field filled or none.  A blank one is skipped, as a blank
    ** line is, and ends the data when no data follow; one field of text
    ** below that is a note; one right under the rows with no data below is
    ** a note when it reads as one (注：...), else it may be a region with
    ** no values as well as a note: refused; else data (a region with no
    ** values) */
    if (n == s->fields && n > 1 && (one = single_field(r, n)) >= -1) {
      const csv_field *f = one >= 0 ? &r->fields[one] : NULL;
      if (one == -1) {
        if (s->footer == NULL && o->skip_footer < 0 && !data_below(L, ld, o, s, 0)) s->footer = record;
        blank_before = s->padded = 1;
        continue;
      }
      if (o->skip_footer < 0 && is_note(&o->values, f) &&
          (s->footer != NULL || (one == 0 && !data_below(L, ld, o, s, 0) && last_key_is_note(L, ld, o, s, f)))) {
        if (s->footer == NULL) s->footer = record;
        add_note(L, ld, notes, 1);
        continue;
      }
    }
    if (n < s->fields && s->footer == NULL && o->skip_footer < 0) {
      int lines = footer_lines(L, ld, o, s, record);
      if (lines > 0) {
        lua_pushfstring(L, "expected %d fields (as in the header), found %d: if this line and those below it are notes"
                        " under the table, say skip_footer = %d (their text is kept as notes)", s->fields, n, lines);
        error_at(L, o, ld->reader.start, record, lua_tostring(L, -1));
      }
    }
    if ((n != s->fields && !(s->extra_last && n == s->fields + 1 && last_field_empty(r, n))) || s->footer != NULL)
      field_count_error(L, ld, o, s, s->footer ? 1 : n, s->footer ? s->footer : record);
    seen++;
    widened = s->last_empty && !last_field_empty(r, n);
    s->last_empty = s->last_empty && !widened;
    changed = -1;
    for (i = 0; i < s->fields; i++) {
      int before = s->types[i];
      char frequency = s->frequencies[i];
      csv_widen(&o->values, &r->fields[i], &s->types[i], &s->frequencies[i]);
      widened = widened || s->types[i] != before || s->frequencies[i] != frequency;
      if (changed < 0 && is_numbers(before) && s->types[i] == CSV_TEXT) changed = i, was = before;
    }
    /* a line with an empty field (a footnote padded with commas) that made
    ** a column of numbers text, with no number below it in the columns of
    ** numbers it found: refused, as a shorter line is */
    if (changed >= 0 && o->skip_footer < 0 && blank_before) refuse_second_table(L, ld, o, record, data_end, changed);
    if (changed >= 0 && o->skip_footer < 0 && (s->padded || csv_reads_as_note(r->fields[0].s, r->fields[0].len)) &&
        has_empty_field(r, n)) {
      int below;
      s->types[changed] = was;
      below = data_below(L, ld, o, s, 1);
      s->types[changed] = CSV_TEXT;
      if (!below) refuse_note(L, ld, o, record, changed);
    }
    if (single_field(r, n) == -2) blank_before = 0, data_end = r->p;  /* a title of one field keeps the blank above */
    if (g != NULL) follow_guess(L, ld, o, s, g, seen, widened);
  }
  if (s->footer != NULL && seen == 0)  /* notes, but no data: the header was not one */
    field_count_error(L, ld, o, s, 1, s->footer);
  for (i = 0; i < s->fields; i++) csv_settle(&s->types[i], &s->frequencies[i]);
  if (s->last_empty) s->ncols = s->fields - 1;  /* a separator ending every line makes no column */
}

void csv_create_table(lua_State *L, int db, const char *table, int names, const int *types, int ncols,
                      int replace) {
  luaL_Buffer b;
  int i;
  if (replace) {
    lua_pushfstring(L, "DROP TABLE IF EXISTS %s", table);
    db_exec(L, db, lua_tostring(L, -1));
    lua_pop(L, 1);
  }
  luaL_buffinit(L, &b);
  luaL_addstring(&b, "CREATE TABLE ");
  luaL_addstring(&b, table);
  luaL_addstring(&b, " (");
  for (i = 0; i < ncols; i++) {
    size_t len;
    const char *col;
    lua_rawgeti(L, names, i + 1);
    col = lua_tolstring(L, -1, &len);
    lua_pop(L, 1);  /* held by the names table */
    if (i > 0) luaL_addstring(&b, ", ");
    csv_add_quoted(&b, col, len);
    luaL_addchar(&b, ' ');
    luaL_addstring(&b, type_names[types[i]]);
  }
  luaL_addchar(&b, ')');
  luaL_pushresult(&b);
  db_exec(L, db, lua_tostring(L, -1));
  lua_pop(L, 1);
}

/* Create the table name (after dropping one of that name, when
** opts.replace) with the columns at names, of their types. */
static void create_table(lua_State *L, int db, const options *o, const char *name, int names,
                         const shape *s) {
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  csv_add_quoted(&b, name, strlen(name));
  luaL_pushresult(&b);
  csv_create_table(L, db, lua_tostring(L, -1), names, s->types, s->ncols, o->replace);
  lua_pop(L, 1);
}

/* Prepare the INSERT of a record into name; pushes its SQL and its box. */
static sqlite3_stmt *push_insert(lua_State *L, int db, const char *name, int ncols) {
  luaL_Buffer b;
  int i;
  luaL_buffinit(L, &b);
  luaL_addstring(&b, "INSERT INTO ");
  csv_add_quoted(&b, name, strlen(name));
  luaL_addstring(&b, " VALUES (");
  for (i = 0; i < ncols; i++) luaL_addstring(&b, i ? ", ?" : "?");
  luaL_addchar(&b, ')');
  luaL_pushresult(&b);
  return db_push_prepared(L, db, lua_tostring(L, -1));
}

/* Field f's value when its column (type, frequency) makes it NULL or a
** number, into out, and 1; 0 when it is text. */
static int field_value(const csv_values *v, int type, char frequency, const csv_field *f, zb_value *out) {
  csv_number value;
  int t, numbers = type != CSV_TEXT;
  if (csv_is_na(v, f->s, f->len) ||
      ((numbers || csv_is_periods(frequency)) && !f->escaped && csv_is_missing_number(f->s, f->len))) {
    out->type = SQLITE_NULL;
    return 1;
  }
  if (numbers && (t = csv_classify(v, f->s, f->len, &value)) != CSV_TEXT) {
    if (type == CSV_INTEGER) out->type = SQLITE_INTEGER, out->i = value.i;
    else out->type = SQLITE_FLOAT, out->d = t == CSV_INTEGER ? (double)value.i : value.d;
    if (out->type == SQLITE_FLOAT && out->d == 0) out->d = 0;  /* -0.0 as SQLite keeps it, on every engine */
    return 1;
  }
  return 0;
}

int csv_bind_value(sqlite3_stmt *insert, int i, const csv_values *v, int type, char frequency, const csv_field *f) {
  zb_value value;
  if (!field_value(v, type, frequency, f, &value)) return 0;
  value_bind(insert, i + 1, &value);
  return 1;
}

/* Bind field i of the record read to the insert: NULL, a number as its
** column's type, or text (in the file, which lives through the step, or
** copied from the reader's scratch). */
static void bind_field(lua_State *L, load *ld, const options *o, const shape *s, sqlite3_stmt *insert,
                       int i) {
  const csv_field *f = &ld->reader.fields[i];
  size_t len;
  const char *text;
  if (csv_bind_value(insert, i, &o->values, s->types[i], s->frequencies[i], f)) return;
  text = field_text(L, ld, f, &len);
  sqlite3_bind_text64(insert, i + 1, text, len, f->escaped ? SQLITE_TRANSIENT : SQLITE_STATIC, SQLITE_UTF8);
}

/* Send field i of the record read to sink, as bind_field binds it. */
static void send_field(lua_State *L, load *ld, const options *o, const shape *s, row_sink *sink, int i) {
  const csv_field *f = &ld->reader.fields[i];
  zb_value v;
  if (!field_value(&o->values, s->types[i], s->frequencies[i], f, &v)) {
    v.type = SQLITE_TEXT;
    v.bytes = field_text(L, ld, f, &v.len);
  }
  sink->value(L, sink, &v);
}

/* The lines from where to at (LF, CRLF or a lone CR end one, as csv_locate
** counts); cr: whether the text holds a CR at all (else memchr finds them). */
static int lines_between(const char *from, const char *at, int cr) {
  int n = 0;
  if (!cr) {
    while ((from = memchr(from, '\n', (size_t)(at - from))) != NULL) {
      n++;
      from++;
    }
    return n;
  }
  for (; from < at; from++)
    if (*from == '\n' || (*from == '\r' && (from + 1 >= at || from[1] != '\n'))) n++;
  return n;
}

/* Where the rows loaded are in the file, as runs of rows on consecutive
** lines: csv_read's lines (first row, its line, first row of the next run,
** its line ...), kept as the rows go. */
typedef struct placing {
  int table;            /* the runs, a Lua table at this index */
  int runs, rows, line, expected;
  const char *counted;  /* where line was counted to */
} placing;

static void start_placing(lua_State *L, const load *ld, placing *pl) {
  lua_newtable(L);
  pl->table = lua_gettop(L);
  pl->runs = pl->rows = 0;
  pl->line = 1;
  pl->expected = -1;
  pl->counted = ld->reader.start;
}

/* Count the record just read as the next row loaded. */
static void place_record(lua_State *L, const load *ld, placing *pl) {
  const char *record = ld->reader.record;
  pl->line += lines_between(pl->counted, record, ld->cr);
  pl->counted = record;
  if (pl->line != pl->expected) {  /* a blank line or a record over several lines came between */
    lua_pushinteger(L, pl->rows + 1);
    lua_rawseti(L, pl->table, ++pl->runs);
    lua_pushinteger(L, pl->line);
    lua_rawseti(L, pl->table, ++pl->runs);
  }
  pl->expected = pl->line + 1;
  pl->rows++;
}

/* Send the record just read to sink, as the columns of s read. */
static void send_record(lua_State *L, load *ld, const options *o, const shape *s, row_sink *sink, placing *pl) {
  int i;
  place_record(L, ld, pl);
  for (i = 0; i < s->ncols; i++) send_field(L, ld, o, s, sink, i);
  forget_behind(ld, ld->reader.p);
  sink->row_end(L, sink);
}

/* Second pass: insert the records between the header and the footer, as
** the first pass typed them, or send them to sink (when not NULL), the
** first limit of them (all: -1); pl counts them. */
static void insert_records(lua_State *L, load *ld, const options *o, const shape *s, int db,
                           sqlite3_stmt *insert, row_sink *sink, placing *pl, int limit) {
  csv_reader *r = &ld->reader;
  int i, n;
  r->p = s->data;
  ld->dropped = 0;
  if (s->footer != NULL) r->end = s->footer;
  for (i = 0; i < o->header; i++) next_record(L, ld, o);
  while (pl->rows != limit && (n = next_record(L, ld, o)) != CSV_END) {
    if (n > 1 && single_field(r, n) == -1) continue;  /* a blank line padded with commas */
    if (sink != NULL) {
      send_record(L, ld, o, s, sink, pl);
      continue;
    }
    place_record(L, ld, pl);
    for (i = 0; i < s->ncols; i++) bind_field(L, ld, o, s, insert, i);
    forget_behind(ld, r->p);
    if (sqlite3_step(insert) != SQLITE_DONE) {
      lua_pushstring(L, sqlite3_errmsg(db_handle(L, db)));
      luaL_error(L, "%s: row %d: %s", o->path, pl->rows, lua_tostring(L, -1));
    }
    sqlite3_reset(insert);
  }
}

/* Push the columns recognised as periods: name -> frequency. */
static void push_periods(lua_State *L, int names, const shape *s) {
  int i;
  lua_newtable(L);
  for (i = 0; i < s->ncols; i++) {
    if (s->types[i] != CSV_TEXT || !csv_is_periods(s->frequencies[i])) continue;
    lua_rawgeti(L, names, i + 1);
    lua_pushlstring(L, &s->frequencies[i], 1);
    lua_rawset(L, -3);
  }
}

/* Call the loader's target (at idx) with the table's name, its columns'
** names (at names) and types, and whether the table is tentative (guess);
** push the row sink it returns, marked to-be-closed (a load that fails
** ends its filling as failed). */
static row_sink *push_sink(lua_State *L, int target, const char *name, int names, const shape *s, int tentative) {
  row_sink *sink;
  int i;
  lua_pushvalue(L, target);
  lua_pushstring(L, name);
  lua_createtable(L, s->ncols, 0);  /* the names of the columns (a last empty field makes none) */
  lua_createtable(L, s->ncols, 0);
  for (i = 0; i < s->ncols; i++) {
    lua_rawgeti(L, names, i + 1);
    lua_rawseti(L, -3, i + 1);
    lua_pushstring(L, type_names[s->types[i]]);
    lua_rawseti(L, -2, i + 1);
  }
  lua_pushboolean(L, tentative);
  lua_call(L, 4, 1);
  sink = (row_sink *)luaL_checkudata(L, -1, ROW_SINK);
  lua_toclose(L, -1);
  return sink;
}

/* A long file loaded elsewhere (a sink's) is read once, not twice: after
** its first GUESS_ROWS rows, the table is made, tentatively, with the
** types those rows show, and each row read after them goes to it at once,
** so the server stores rows while the first pass reads on.  This is sound
** because a column's type and frequency only ever widen: when none has
** widened by the end, every row went as the second pass would send it.
** When one does (a real below integers, text below numbers), the tentative
** table is abandoned and the second pass sends the rows as without a guess. */
#define GUESS_ROWS 1000

struct guess {
  int target, abandon;  /* csv_read's arguments: make the table; undo the tentative one */
  const char *name;
  int names;
  placing *pl;
  shape sent;           /* the rows' shape as guessed: the first rows' types, settled */
  row_sink *sink;       /* while the guess holds, else NULL */
  int sink_slot;
};

/* Guess the table's shape from the rows read so far and send them. */
static void make_guess(lua_State *L, load *ld, const options *o, const shape *s, guess *g) {
  csv_reader *r = &ld->reader;
  const char *p = r->p, *record = r->record;
  int i;
  g->sent = *s;
  g->sent.types = (int *)lua_newuserdatauv(L, sizeof(int) * (size_t)s->fields, 0);
  g->sent.frequencies = (char *)lua_newuserdatauv(L, (size_t)s->fields, 0);
  for (i = 0; i < s->fields; i++) {
    g->sent.types[i] = s->types[i];
    g->sent.frequencies[i] = s->frequencies[i];
    csv_settle(&g->sent.types[i], &g->sent.frequencies[i]);
  }
  if (s->last_empty) g->sent.ncols = s->fields - 1;
  g->sink = push_sink(L, g->target, g->name, g->names, &g->sent, 1);
  g->sink_slot = lua_gettop(L);
  insert_records(L, ld, o, &g->sent, 0, NULL, g->sink, g->pl, GUESS_ROWS);
  r->p = p;  /* the first pass goes on where it was */
  r->record = record;
}

/* End the tentative table's filling as failed and undo it. */
static void give_up_guess(lua_State *L, const load *ld, guess *g) {
  int runs = g->pl->table;
  lua_closeslot(L, g->sink_slot);
  g->sink = NULL;
  lua_pushvalue(L, g->abandon);
  lua_call(L, 0, 0);
  start_placing(L, ld, g->pl);  /* the rows are counted again, by the second pass */
  lua_replace(L, runs);
  g->pl->table = runs;
}

/* The first pass has read the seen-th row, which widened a column's type
** or frequency or not: make the guess at GUESS_ROWS, then send each row,
** until one widens. */
static void follow_guess(lua_State *L, load *ld, const options *o, const shape *s, guess *g, int seen, int widened) {
  if (g->sink != NULL && widened) give_up_guess(L, ld, g);
  else if (g->sink != NULL) send_record(L, ld, o, &g->sent, g->sink, g->pl);
  else if (seen == GUESS_ROWS) make_guess(L, ld, o, s, g);
}

/*
** zb.read_csv(path [, opts [, target, abandon [, check]]]) -> name, rows, notes, periods, lines, fingerprint
** Loads the file into a new table of the session database and returns the
** table's name, the number of rows loaded, the note lines set aside, the
** text columns recognised as periods (name -> frequency) and where the rows
** are in the file (placing's runs), and the fingerprint of a regular
** file's bytes (fingerprint.h; nil for a pipe).  With target, a function
** (name, column names, their types, tentative) that makes the table
** elsewhere and returns a row sink (sink.h) for its rows, the rows go there
** instead, read as they would be here; with abandon too, a function that
** undoes a tentative table, a long file is read once (guess).  check, a
** function, is called with the table's name once the file's header is
** found, before its rows are read (it raises when the name is taken).
*/
int csv_read(lua_State *L) {
  options o;
  shape s;
  load *ld;
  placing pl;
  guess g;
  sqlite3_stmt *insert = NULL;
  row_sink *sink = NULL;
  const char *name;
  int db, notes, names, guard = 0, box;
  int target = lua_isnoneornil(L, 3) ? 0 : 3, abandon = lua_isnoneornil(L, 4) ? 0 : 4;
  int check = lua_isnoneornil(L, 5) ? 0 : 5;
  o.path = luaL_checkstring(L, 1);
  if (target) luaL_checktype(L, target, LUA_TFUNCTION);
  if (abandon) luaL_checktype(L, abandon, LUA_TFUNCTION);
  if (check) luaL_checktype(L, check, LUA_TFUNCTION);
  read_options(L, &o);
  db_push_session(L);
  db = lua_gettop(L);
  ld = push_text(L, &o);
  lua_newtable(L);
  notes = lua_gettop(L);
  s.cut = NULL;
  s.extra_last = s.padded = 0;
  if (o.skip_footer > 0 && (s.cut = csv_last_lines(ld->reader.start, ld->reader.end, o.skip_footer)) == NULL)
    return luaL_error(L, "%s: skip_footer = %d, but the file has fewer lines", o.path, o.skip_footer);
  if (s.cut != NULL) ld->reader.end = s.cut;
  find_data(L, ld, &o, notes, &s);
  if (!target && s.ncols > sqlite3_limit(db_handle(L, db), SQLITE_LIMIT_COLUMN, -1))
    return luaL_error(L, "%s: %d columns; SQLite allows at most %d", o.path, s.ncols,
                      sqlite3_limit(db_handle(L, db), SQLITE_LIMIT_COLUMN, -1));
  push_column_names(L, ld, s.fields, &o, s.data);
  names = lua_gettop(L);
  if ((name = o.name) == NULL) {
    push_name_of_file(L, o.path);
    name = lua_tostring(L, -1);
  }
  if (check) {
    lua_pushvalue(L, check);
    lua_pushstring(L, name);
    lua_call(L, 1, 0);
  }
  start_placing(L, ld, &pl);
  memset(&g, 0, sizeof g);
  g.target = target, g.abandon = abandon, g.name = name, g.names = names, g.pl = &pl;
  scan_records(L, ld, &o, notes, &s, target && abandon ? &g : NULL);
  if (s.cut != NULL) add_notes_between(L, ld, &o, notes, s.cut, ld->size + ld->bytes);
  if ((sink = g.sink) == NULL) {  /* no guess, or one given up: the second pass */
    if (target) {
      sink = push_sink(L, target, name, names, &s, 0);
    } else {
      db_push_savepoint(L, db);  /* the second pass is one savepoint */
      guard = lua_gettop(L);
      create_table(L, db, &o, name, names, &s);
      insert = push_insert(L, db, name, s.ncols);
    }
    box = lua_gettop(L);
    insert_records(L, ld, &o, &s, db, insert, sink, &pl, -1);
  }
  check_unchanged(L, o.path);
  if (sink != NULL) {
    sink->finish(L, sink);
    lua_pop(L, 1);
  } else {
    lua_closeslot(L, box);  /* the statement, before the savepoint is released */
    db_release_savepoint(L, guard);
  }
  lua_pushstring(L, name);
  lua_pushinteger(L, pl.rows);
  lua_pushvalue(L, notes);
  push_periods(L, names, &s);
  lua_pushvalue(L, pl.table);
  if (ld->hashed) fingerprint_push(L, ld->hash);
  else lua_pushnil(L);
  return 6;
}
