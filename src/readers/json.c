/*
** json.c: zb.read_json's reading, in C over the file's text: a first pass
** checks the document's shape (an array of objects, a row each, or an
** object of column arrays of one length) and finds its columns in order of
** first appearance with the JSON types each holds; a second inserts the
** rows through one prepared INSERT.  No document is built (SQLite's
** json_each made one of every value, and read_json grouped its cells back
** into rows).  Values are as SQLite's JSON functions give them: true and
** false 1 and 0, an object or array its JSON text without spaces, numbers
** and strings as written (strings' escapes decoded).  Refused, naming the
** place: text that is not JSON, a string with a lone surrogate, a key twice
** in one object, and a number whose digits a 64-bit integer or a double
** cannot keep.
*/
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "lua.h"
#include "lauxlib.h"

#include "csv.h"
#include "db.h"
#include "json.h"

enum { J_NULL, J_TRUE, J_FALSE, J_INTEGER, J_REAL, J_TEXT, J_ARRAY, J_OBJECT };
static const char *const kind_names[] = {"null", "true", "false", "integer", "real", "text", "array", "object"};
#define INEXACT (1u << 31)  /* in a column's kinds: it has an integer that no double holds */

#define MAX_DEPTH 1000

/* A string as it stands in the text, and where its decoding is. */
typedef struct span {
  const char *s;
  size_t n;
} span;

/* The text being read: its bytes, the position, and scratch for strings
** with escapes and for objects' and arrays' JSON. */
typedef struct reader {
  lua_State *L;
  const char *start, *p, *end;
  char *scratch;
  size_t scratch_size, used;
} reader;

/* An error at the reader's position: line and column (in characters). */
static int fail(reader *r, const char *what) {
  const char *q;
  int line = 1, column = 1;
  for (q = r->start; q < r->p && q < r->end; q++) {
    if (*q == '\n') line++, column = 1;
    else if (((unsigned char)*q & 0xC0) != 0x80) column++;
  }
  return luaL_error(r->L, "not valid JSON at line %d, column %d: %s", line, column, what);
}

static void skip_space(reader *r) {
  while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r')) r->p++;
}

static void expect(reader *r, char c, const char *what) {
  skip_space(r);
  if (r->p >= r->end || *r->p != c) fail(r, what);
  r->p++;
}

/* Room for n more bytes of scratch (a userdata kept in the registry). */
static char *room(reader *r, size_t n) {
  if (r->scratch == NULL || r->used + n > r->scratch_size) {
    size_t size = (r->used + n) * 2;
    char *bigger = (char *)lua_newuserdatauv(r->L, size, 0);
    if (r->used > 0) memcpy(bigger, r->scratch, r->used);
    lua_setfield(r->L, LUA_REGISTRYINDEX, "zb.json.scratch");
    r->scratch = bigger, r->scratch_size = size;
  }
  return r->scratch + r->used;
}

static void put(reader *r, const char *s, size_t n) {
  memcpy(room(r, n), s, n);
  r->used += n;
}

static unsigned hex4(reader *r, const char *q) {
  unsigned v = 0;
  int i;
  if (r->end - q < 4) fail(r, "\\u needs four hexadecimal digits");
  for (i = 0; i < 4; i++) {
    char c = q[i];
    v <<= 4;
    if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
    else fail(r, "\\u needs four hexadecimal digits");
  }
  return v;
}

static void put_utf8(reader *r, unsigned c) {
  char b[4];
  size_t n;
  if (c < 0x80) b[0] = (char)c, n = 1;
  else if (c < 0x800) b[0] = (char)(0xC0 | (c >> 6)), b[1] = (char)(0x80 | (c & 0x3F)), n = 2;
  else if (c < 0x10000)
    b[0] = (char)(0xE0 | (c >> 12)), b[1] = (char)(0x80 | ((c >> 6) & 0x3F)), b[2] = (char)(0x80 | (c & 0x3F)), n = 3;
  else
    b[0] = (char)(0xF0 | (c >> 18)), b[1] = (char)(0x80 | ((c >> 12) & 0x3F)), b[2] = (char)(0x80 | ((c >> 6) & 0x3F)),
    b[3] = (char)(0x80 | (c & 0x3F)), n = 4;
  put(r, b, n);
}

/* A string at the position (its opening quote), checked; its text: as it
** stands when it has no escapes, else decoded into the scratch (decode)
** or not at all (its span's text NULL). */
static span read_string(reader *r, int decode) {
  span out = {NULL, 0};
  const char *q, *run;
  size_t begin = r->used;
  r->p++;  /* the quote */
  for (q = r->p; q < r->end && *q != '"' && *q != '\\' && (unsigned char)*q >= 0x20; q++) {}
  if (q < r->end && *q == '"') {  /* no escapes: the text as it stands */
    out.s = r->p, out.n = (size_t)(q - r->p);
    r->p = q + 1;
    return out;
  }
  for (run = r->p; ; q++) {
    const char *last;
    if (q >= r->end) fail(r, "a string without its closing quote");
    if (*q == '"') break;
    if ((unsigned char)*q < 0x20) {
      r->p = q;
      fail(r, "a control character in a string (write it as \\n, \\t or \\u00XX)");
    }
    if (*q != '\\') continue;
    r->p = q;
    if (decode) put(r, run, (size_t)(q - run));
    last = q + 1;
    if (last >= r->end) fail(r, "a string without its closing quote");
    switch (*last) {
      case '"': case '\\': case '/': if (decode) put(r, last, 1); break;
      case 'b': if (decode) put(r, "\b", 1); break;
      case 'f': if (decode) put(r, "\f", 1); break;
      case 'n': if (decode) put(r, "\n", 1); break;
      case 'r': if (decode) put(r, "\r", 1); break;
      case 't': if (decode) put(r, "\t", 1); break;
      case 'u': {
        unsigned c = hex4(r, q + 2);
        last = q + 5;
        if (c >= 0xDC00 && c <= 0xDFFF) fail(r, "a lone low surrogate (\\uDC00-\\uDFFF)");
        if (c >= 0xD800 && c <= 0xDBFF) {
          unsigned low = 0;
          if (r->end - q < 12 || q[6] != '\\' || q[7] != 'u' || (low = hex4(r, q + 8)) < 0xDC00 || low > 0xDFFF)
            fail(r, "a high surrogate (\\uD800-\\uDBFF) without its low one");
          c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
          last = q + 11;
        }
        if (decode) put_utf8(r, c);
        break;
      }
      default: fail(r, "an unknown escape in a string");
    }
    q = last;
    run = last + 1;
  }
  if (decode) {
    put(r, run, (size_t)(q - run));
    out.s = r->scratch + begin, out.n = r->used - begin;
  }
  r->p = q + 1;
  return out;
}

/* A number at the position, checked: J_INTEGER or J_REAL, and its text. */
static int read_number(reader *r, span *text) {
  const char *q = r->p;
  int real = 0;
  if (q < r->end && *q == '-') q++;
  if (q >= r->end || !(*q >= '0' && *q <= '9')) fail(r, "expected a value");
  if (*q == '0') q++;
  else while (q < r->end && *q >= '0' && *q <= '9') q++;
  if (q < r->end && *q == '.') {
    real = 1, q++;
    if (q >= r->end || !(*q >= '0' && *q <= '9')) fail(r, "a number needs digits after its point");
    while (q < r->end && *q >= '0' && *q <= '9') q++;
  }
  if (q < r->end && (*q == 'e' || *q == 'E')) {
    real = 1, q++;
    if (q < r->end && (*q == '+' || *q == '-')) q++;
    if (q >= r->end || !(*q >= '0' && *q <= '9')) fail(r, "a number needs digits in its exponent");
    while (q < r->end && *q >= '0' && *q <= '9') q++;
  }
  text->s = r->p, text->n = (size_t)(q - r->p);
  r->p = q;
  return real ? J_REAL : J_INTEGER;
}

static int literal(reader *r, const char *word, int kind) {
  size_t n = strlen(word);
  if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0) fail(r, "expected a value");
  r->p += n;
  return kind;
}

/* The value at the position, checked and passed; its kind.  An object's or
** array's JSON without spaces is written to the scratch with minify. */
static int skip_value(reader *r, int depth, int minify) {
  span s;
  int kind;
  skip_space(r);
  if (r->p >= r->end) fail(r, "expected a value");
  if (depth > MAX_DEPTH) fail(r, "nested more than 1000 deep");
  switch (*r->p) {
    case '{': case '[': {
      char close = *r->p == '{' ? '}' : ']';
      int first = 1;
      kind = close == '}' ? J_OBJECT : J_ARRAY;
      if (minify) put(r, r->p, 1);
      r->p++;
      skip_space(r);
      if (r->p < r->end && *r->p == close) {
        if (minify) put(r, &close, 1);
        r->p++;
        return kind;
      }
      for (;;) {
        if (!first && minify) put(r, ",", 1);
        first = 0;
        if (kind == J_OBJECT) {
          skip_space(r);
          if (r->p >= r->end || *r->p != '"') fail(r, "expected a key (a string)");
          {
            const char *key = r->p;
            (void)read_string(r, 0);
            if (minify) put(r, key, (size_t)(r->p - key));
          }
          expect(r, ':', "expected ':' after a key");
          if (minify) put(r, ":", 1);
        }
        skip_value(r, depth + 1, minify);
        skip_space(r);
        if (r->p < r->end && *r->p == ',') {
          r->p++;
          continue;
        }
        if (r->p < r->end && *r->p == close) break;
        fail(r, kind == J_OBJECT ? "expected ',' or '}'" : "expected ',' or ']'");
      }
      if (minify) put(r, &close, 1);
      r->p++;
      return kind;
    }
    case '"': {
      const char *start = r->p;
      (void)read_string(r, 0);
      if (minify) put(r, start, (size_t)(r->p - start));
      return J_TEXT;
    }
    case 't': kind = literal(r, "true", J_TRUE); break;
    case 'f': kind = literal(r, "false", J_FALSE); break;
    case 'n': kind = literal(r, "null", J_NULL); break;
    default: kind = read_number(r, &s);
             if (minify) put(r, s.s, s.n);
             return kind;
  }
  if (minify) put(r, kind == J_TRUE ? "true" : kind == J_FALSE ? "false" : "null", kind == J_FALSE ? 5 : 4);
  return kind;
}

/* ---- the columns: a key's index, found fast when keys come in the same order */

typedef struct columns {
  int n, cap;
  span *names;         /* each key's decoded text, in the scratch of names (a Lua table holds them) */
  unsigned *kinds;     /* 1 << kind for each kind seen */
  char *all_missing;   /* every string seen spells a missing number */
  lua_Integer *stamp;  /* the row that last had the key */
  int next;            /* the column after the last key found: the likely next */
  int inexact_idx;     /* a Lua table: column index -> {row =, value =} of its first integer no double holds */
} columns;

/* The index of key (decoded) among the columns, made when new; names (a
** Lua table at names_idx) maps a key to its index + 1 and lists them. */
static int column_of(lua_State *L, columns *c, int names_idx, span key) {
  int i;
  if (c->next < c->n && c->names[c->next].n == key.n && memcmp(c->names[c->next].s, key.s, key.n) == 0)
    return c->next++;
  lua_pushlstring(L, key.s, key.n);
  if (lua_rawget(L, names_idx) == LUA_TNUMBER) {
    i = (int)lua_tointeger(L, -1) - 1;
    lua_pop(L, 1);
    c->next = i + 1;
    return i;
  }
  lua_pop(L, 1);
  if (c->n == c->cap) {
    int cap = c->cap * 2 + 8;
    span *names = (span *)lua_newuserdatauv(L, sizeof *names * (size_t)cap, 0);
    unsigned *kinds = (unsigned *)lua_newuserdatauv(L, sizeof *kinds * (size_t)cap, 0);
    char *all_missing = (char *)lua_newuserdatauv(L, (size_t)cap, 0);
    lua_Integer *stamp = (lua_Integer *)lua_newuserdatauv(L, sizeof *stamp * (size_t)cap, 0);
    if (c->n > 0) {
      memcpy(names, c->names, sizeof *names * (size_t)c->n);
      memcpy(kinds, c->kinds, sizeof *kinds * (size_t)c->n);
      memcpy(all_missing, c->all_missing, (size_t)c->n);
      memcpy(stamp, c->stamp, sizeof *stamp * (size_t)c->n);
    }
    lua_rawseti(L, names_idx, -(c->cap + 4));  /* the new buffers kept alive in names' negative keys */
    lua_rawseti(L, names_idx, -(c->cap + 3));
    lua_rawseti(L, names_idx, -(c->cap + 2));
    lua_rawseti(L, names_idx, -(c->cap + 1));
    c->names = names, c->kinds = kinds, c->all_missing = all_missing, c->stamp = stamp, c->cap = cap;
  }
  i = c->n++;
  lua_pushlstring(L, key.s, key.n);
  lua_pushvalue(L, -1);
  lua_rawseti(L, names_idx, i + 1);  /* names[i + 1] = key */
  c->names[i].s = lua_tostring(L, -1), c->names[i].n = key.n;  /* the string lives in names */
  lua_pushinteger(L, i + 1);
  lua_rawset(L, names_idx);  /* names[key] = i + 1 */
  c->kinds[i] = 0, c->all_missing[i] = 1, c->stamp[i] = 0;
  c->next = i + 1;
  return i;
}

#define COLUMN_ARRAYS (-1)  /* read_key's row: a key of the object of column arrays */

/* A key of row (1-based, or COLUMN_ARRAYS) read at the position, decoded, its column. */
static int read_key(reader *r, columns *c, int names_idx, lua_Integer row) {
  span key;
  int i;
  skip_space(r);
  if (r->p >= r->end || *r->p != '"') fail(r, "expected a key (a string)");
  r->used = 0;
  key = read_string(r, 1);
  i = column_of(r->L, c, names_idx, key);
  if (c->stamp[i] == row && row == COLUMN_ARRAYS)
    luaL_error(r->L, "the object of column arrays has the key '%s' twice", c->names[i].s);
  if (c->stamp[i] == row) luaL_error(r->L, "row %I has the key '%s' twice", row, c->names[i].s);
  c->stamp[i] = row;
  expect(r, ':', "expected ':' after a key");
  return i;
}

/* A number whose digits neither a 64-bit integer nor a double keeps. */
static int lost(int kind, span text, double *as_read) {
  char buffer[64];
  size_t n = text.n < sizeof buffer - 1 ? text.n : sizeof buffer - 1;
  memcpy(buffer, text.s, n);
  buffer[n] = '\0';
  *as_read = strtod(buffer, NULL);
  if (kind == J_REAL) return isinf(*as_read);
  errno = 0;
  (void)strtoll(buffer, NULL, 10);
  return errno == ERANGE || text.n >= sizeof buffer;
}

/* Whether a double holds the integer that text spells exactly (one past
** 2^53 may not: 9007199254740993 would be 9007199254740992.0). */
static int double_holds(span text, lua_Integer *value) {
  char buffer[64];
  double d;
  memcpy(buffer, text.s, text.n);  /* lost() has refused one of 64 bytes or more */
  buffer[text.n] = '\0';
  *value = strtoll(buffer, NULL, 10);
  d = (double)*value;
  return d < 9223372036854775808.0 && (lua_Integer)d == *value;
}

/* The first pass's look at one cell: its kind in the column; a string
** that is no missing number marks the column; a lost number raises; the
** column's first integer that no double holds is noted. */
static void see(reader *r, columns *c, int col, lua_Integer row) {
  skip_space(r);
  if (r->p < r->end && *r->p == '"') {
    span s;
    r->used = 0;
    s = read_string(r, 1);
    c->kinds[col] |= 1u << J_TEXT;
    if (c->all_missing[col] && !csv_spells_missing(s.s, s.n)) c->all_missing[col] = 0;
    return;
  }
  if (r->p < r->end && (*r->p == '-' || (*r->p >= '0' && *r->p <= '9'))) {
    span text;
    double as_read;
    int kind = read_number(r, &text);
    c->kinds[col] |= 1u << kind;
    if (lost(kind, text, &as_read)) {  /* raised as {row =, column =, value = as SQLite reads it} */
      lua_createtable(r->L, 0, 3);
      lua_pushinteger(r->L, row);
      lua_setfield(r->L, -2, "row");
      lua_pushstring(r->L, c->names[col].s);
      lua_setfield(r->L, -2, "column");
      lua_pushnumber(r->L, as_read);
      lua_setfield(r->L, -2, "value");
      lua_error(r->L);
    }
    if (kind == J_INTEGER && !(c->kinds[col] & INEXACT)) {
      lua_Integer value;
      if (!double_holds(text, &value)) {
        c->kinds[col] |= INEXACT;
        lua_createtable(r->L, 0, 2);
        lua_pushinteger(r->L, row);
        lua_setfield(r->L, -2, "row");
        lua_pushinteger(r->L, value);
        lua_setfield(r->L, -2, "value");
        lua_rawseti(r->L, c->inexact_idx, col + 1);
      }
    }
    return;
  }
  c->kinds[col] |= 1u << skip_value(r, 1, 0);
}

/* The shape's first token: '[' or '{' after spaces and a BOM. */
static int shape_of(reader *r) {
  skip_space(r);
  if (r->p >= r->end) fail(r, "no value");
  if (*r->p == '[') return J_ARRAY;
  if (*r->p == '{') return J_OBJECT;
  return skip_value(r, 0, 0);
}

/* ---- pass one */

/* zb.core.json_scan(text): the columns of a JSON document (an array of
** objects or an object of column arrays): {shape =, rows =, {name =,
** kinds = {kind = true, ...}, missing = whether every string spells a
** missing number, inexact = {row =, value =} of its first integer that no
** double holds, or nil}, ...}.  Raises on a document of another shape, text
** that is not JSON and a key twice in an object, and raises {row =,
** column =, value =} for a number whose digits would be lost. */
int json_l_scan(lua_State *L) {
  size_t len;
  const char *text = luaL_checklstring(L, 1, &len);
  reader r = {L, text, text, text + len, NULL, 0, 0};
  columns c = {0, 0, NULL, NULL, NULL, NULL, 0, 0};
  lua_Integer rows = 0;
  int shape, i, names_idx;
  lua_settop(L, 1);
  lua_newtable(L);
  c.inexact_idx = lua_gettop(L);
  lua_newtable(L);
  names_idx = lua_gettop(L);
  shape = shape_of(&r);
  if (shape == J_ARRAY) {
    r.p++;
    skip_space(&r);
    if (r.p < r.end && *r.p == ']') r.p++;
    else for (;;) {
      rows++;
      skip_space(&r);
      if (r.p >= r.end || *r.p != '{') {
        int kind = skip_value(&r, 1, 0);
        return luaL_error(L, "expected an array of objects (one a row); element %I is %s", rows, kind_names[kind]);
      }
      r.p++;
      skip_space(&r);
      c.next = 0;
      if (r.p < r.end && *r.p == '}') r.p++;
      else for (;;) {
        int col = read_key(&r, &c, names_idx, rows);
        see(&r, &c, col, rows);
        skip_space(&r);
        if (r.p < r.end && *r.p == ',') { r.p++; continue; }
        expect(&r, '}', "expected ',' or '}'");
        break;
      }
      skip_space(&r);
      if (r.p < r.end && *r.p == ',') { r.p++; continue; }
      expect(&r, ']', "expected ',' or ']'");
      break;
    }
  } else if (shape == J_OBJECT) {
    lua_Integer first_length = -1;
    r.p++;
    skip_space(&r);
    if (r.p < r.end && *r.p == '}') r.p++;
    else for (;;) {
      int col = read_key(&r, &c, names_idx, COLUMN_ARRAYS);
      lua_Integer n = 0;
      skip_space(&r);
      if (r.p >= r.end || *r.p != '[') {
        (void)skip_value(&r, 1, 0);
        return luaL_error(L, "expected an object of column arrays; '%s' is not an array", c.names[col].s);
      }
      r.p++;
      skip_space(&r);
      if (r.p < r.end && *r.p == ']') r.p++;
      else for (;;) {
        see(&r, &c, col, ++n);
        skip_space(&r);
        if (r.p < r.end && *r.p == ',') { r.p++; continue; }
        expect(&r, ']', "expected ',' or ']'");
        break;
      }
      if (first_length < 0) first_length = n;
      else if (n != first_length)
        return luaL_error(L, "column arrays differ in length: '%s' has %I, '%s' has %I", c.names[0].s, first_length,
                          c.names[col].s, n);
      skip_space(&r);
      if (r.p < r.end && *r.p == ',') { r.p++; continue; }
      expect(&r, '}', "expected ',' or '}'");
      break;
    }
    rows = first_length < 0 ? 0 : first_length;
  } else {
    return luaL_error(L, "expected an array of objects or an object of column arrays");
  }
  skip_space(&r);
  if (r.p < r.end) fail(&r, "more after the document");
  lua_createtable(L, c.n, 2);
  lua_pushstring(L, shape == J_ARRAY ? "array" : "object");
  lua_setfield(L, -2, "shape");
  lua_pushinteger(L, rows);
  lua_setfield(L, -2, "rows");
  for (i = 0; i < c.n; i++) {
    int k;
    lua_createtable(L, 0, 3);
    lua_rawgeti(L, names_idx, i + 1);
    lua_setfield(L, -2, "name");
    lua_newtable(L);
    for (k = J_NULL; k <= J_OBJECT; k++) {
      if (!(c.kinds[i] & (1u << k))) continue;
      lua_pushboolean(L, 1);
      lua_setfield(L, -2, kind_names[k]);
    }
    lua_setfield(L, -2, "kinds");
    lua_pushboolean(L, c.all_missing[i]);
    lua_setfield(L, -2, "missing");
    lua_rawgeti(L, c.inexact_idx, i + 1);
    lua_setfield(L, -2, "inexact");
    lua_rawseti(L, -2, i + 1);
  }
  lua_pushnil(L);
  lua_setfield(L, LUA_REGISTRYINDEX, "zb.json.scratch");  /* let the scratch go */
  return 1;
}

/* ---- pass two */

/* Bind the value at the position to parameter col + 1 of stmt, as the
** column takes it (numbers_only: a string is NULL). */
static void bind_value(reader *r, sqlite3_stmt *stmt, int col, int numbers_only) {
  span s;
  int rc = SQLITE_OK;
  skip_space(r);
  if (*r->p == '"') {
    r->used = 0;
    s = read_string(r, 1);
    if (!numbers_only) rc = sqlite3_bind_text(stmt, col + 1, s.s, (int)s.n, SQLITE_TRANSIENT);
  } else if (*r->p == '-' || (*r->p >= '0' && *r->p <= '9')) {
    char buffer[64];
    int kind = read_number(r, &s);
    size_t n = s.n < sizeof buffer - 1 ? s.n : sizeof buffer - 1;
    memcpy(buffer, s.s, n);
    buffer[n] = '\0';
    if (kind == J_INTEGER) rc = sqlite3_bind_int64(stmt, col + 1, strtoll(buffer, NULL, 10));
    else rc = sqlite3_bind_double(stmt, col + 1, strtod(buffer, NULL));
  } else if (*r->p == 't' || *r->p == 'f') {
    rc = sqlite3_bind_int(stmt, col + 1, skip_value(r, 1, 0) == J_TRUE);
  } else if (*r->p == 'n') {
    (void)skip_value(r, 1, 0);
  } else {
    r->used = 0;
    (void)skip_value(r, 1, 1);
    rc = sqlite3_bind_text(stmt, col + 1, r->scratch, (int)r->used, SQLITE_TRANSIENT);
  }
  if (rc != SQLITE_OK) luaL_error(r->L, "%s", sqlite3_errstr(rc));
}

static void insert_row(lua_State *L, sqlite3_stmt *stmt) {
  int rc = sqlite3_step(stmt);
  if (rc != SQLITE_DONE) luaL_error(L, "%s", sqlite3_errmsg(sqlite3_db_handle(stmt)));
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
}

/* zb.core.json_insert(text, sql, numbers_only): the rows of the document
** json_scan read (its columns in the same order) inserted by sql, an INSERT
** of a parameter a column, on the session database; numbers_only: a list
** of whether each column takes only numbers (its strings NULL). */
int json_l_insert(lua_State *L) {
  size_t len;
  const char *text = luaL_checklstring(L, 1, &len), *sql = luaL_checkstring(L, 2);
  reader r = {L, text, text, text + len, NULL, 0, 0};
  columns c = {0, 0, NULL, NULL, NULL, NULL, 0, 0};
  sqlite3_stmt *stmt;
  lua_Integer row = 0;
  int names_idx, ncols, i;
  char *numbers_only;
  luaL_checktype(L, 3, LUA_TTABLE);
  lua_settop(L, 3);
  ncols = (int)luaL_len(L, 3);
  numbers_only = (char *)lua_newuserdatauv(L, (size_t)ncols + 1, 0);
  for (i = 0; i < ncols; i++) {
    lua_geti(L, 3, i + 1);
    numbers_only[i] = (char)lua_toboolean(L, -1);
    lua_pop(L, 1);
  }
  lua_newtable(L);
  names_idx = lua_gettop(L);
  db_push_session(L);
  stmt = db_push_prepared(L, -1, sql);
  if (sqlite3_bind_parameter_count(stmt) != ncols) return luaL_error(L, "json_insert: the INSERT does not fit the columns");
  if (shape_of(&r) == J_ARRAY) {
    r.p++;
    skip_space(&r);
    while (r.p < r.end && *r.p != ']') {
      row++;
      expect(&r, '{', "expected an object");
      skip_space(&r);
      c.next = 0;
      while (*r.p != '}') {
        int col = read_key(&r, &c, names_idx, row);
        if (col >= ncols) return luaL_error(L, "json_insert: a column the first pass did not find");
        bind_value(&r, stmt, col, numbers_only[col]);
        skip_space(&r);
        if (*r.p == ',') r.p++, skip_space(&r);
      }
      r.p++;
      insert_row(L, stmt);
      skip_space(&r);
      if (*r.p == ',') r.p++, skip_space(&r);
    }
  } else {  /* an object of column arrays: a cursor into each, a row an element of each */
    const char **cursor = (const char **)lua_newuserdatauv(L, sizeof *cursor * (size_t)(ncols + 1), 0);
    lua_Integer rows = 0;
    r.p++;
    skip_space(&r);
    while (*r.p != '}') {
      int col = read_key(&r, &c, names_idx, COLUMN_ARRAYS);
      lua_Integer n = 0;
      if (col >= ncols) return luaL_error(L, "json_insert: a column the first pass did not find");
      expect(&r, '[', "expected an array");
      cursor[col] = r.p;
      skip_space(&r);
      while (*r.p != ']') {  /* passed over, to the next column */
        (void)skip_value(&r, 1, 0);
        n++;
        skip_space(&r);
        if (*r.p == ',') r.p++, skip_space(&r);
      }
      rows = n;
      r.p++;
      skip_space(&r);
      if (*r.p == ',') r.p++, skip_space(&r);
    }
    for (row = 1; row <= rows; row++) {
      for (i = 0; i < c.n; i++) {
        r.p = cursor[i];
        bind_value(&r, stmt, i, numbers_only[i]);
        skip_space(&r);
        if (*r.p == ',') r.p++;
        cursor[i] = r.p;
      }
      insert_row(L, stmt);
    }
  }
  lua_pushnil(L);
  lua_setfield(L, LUA_REGISTRYINDEX, "zb.json.scratch");
  return 0;
}
