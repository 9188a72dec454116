/*
** lineshift.c: a compiled chunk's line numbers moved down by n, as if n
** lines stood before it: the function dumped (lua_dump), the lines in the
** dump shifted, the dump loaded again.  The REPL fed a file (zb -n <
** file, .read) compiles it a chunk at a time, and padding each chunk with
** the newlines before it made reading a file quadratic in its length.
**
** The dump is Lua 5.4's (ldump.c): a function's source, first and last
** line, code, constants, upvalues, nested functions, then its debug
** information, where each instruction's line is a delta from the one
** before and an absolute line is kept every so often.  A nested function
** moves with its first line; the main function's first line stays 0 (that
** is what makes it "main"), so its first instruction gets an absolute
** line.  A check at the first use (lineshift_works) finds a format this
** does not read, and the caller pads instead.
*/
#include <stdlib.h>
#include <string.h>

#include "lua.h"
#include "lauxlib.h"

#include "lineshift.h"

#define HEADER_SIZE 31      /* signature, version, format, data, sizes, test integer, test number */
#define ABSLINEINFO 0x80    /* a delta that says "an absolute line is kept for this instruction" */

typedef struct bytes {
  unsigned char *b;
  size_t n, cap;
  int ok;
} bytes;

static void put(bytes *o, const void *s, size_t n) {
  if (!o->ok) return;
  if (o->n + n > o->cap) {
    size_t cap = (o->n + n) * 2;
    unsigned char *b = (unsigned char *)realloc(o->b, cap);
    if (b == NULL) {
      o->ok = 0;
      return;
    }
    o->b = b, o->cap = cap;
  }
  memcpy(o->b + o->n, s, n);
  o->n += n;
}

static int dump_writer(lua_State *L, const void *p, size_t n, void *ud) {
  bytes *o = (bytes *)ud;
  (void)L;
  put(o, p, n);
  return o->ok ? 0 : 1;
}

/* The dump being read. */
typedef struct cursor {
  const unsigned char *p, *end;
  int ok;
} cursor;

static const unsigned char *take(cursor *c, size_t n) {
  const unsigned char *at = c->p;
  if (!c->ok || (size_t)(c->end - c->p) < n) {
    c->ok = 0;
    return NULL;
  }
  c->p += n;
  return at;
}

/* A size as ldump.c writes it: 7 bits a byte, most significant first,
** the last byte marked by its high bit. */
static size_t get_size(cursor *c) {
  size_t x = 0;
  const unsigned char *b;
  do {
    if ((b = take(c, 1)) == NULL || x > ((size_t)-1 >> 7)) {
      c->ok = 0;
      return 0;
    }
    x = (x << 7) | (*b & 0x7f);
  } while ((*b & 0x80) == 0);
  return x;
}

static void put_size(bytes *o, size_t x) {
  unsigned char buffer[16];
  int n = 0;
  do {
    buffer[sizeof buffer - (size_t)++n] = x & 0x7f;
    x >>= 7;
  } while (x != 0);
  buffer[sizeof buffer - 1] |= 0x80;
  put(o, buffer + sizeof buffer - n, (size_t)n);
}

static void copy(cursor *c, bytes *o, size_t n) {
  const unsigned char *at = take(c, n);
  if (at != NULL) put(o, at, n);
}

static size_t copy_size(cursor *c, bytes *o) {
  size_t x = get_size(c);
  put_size(o, x);
  return x;
}

static void copy_string(cursor *c, bytes *o) {
  size_t n = copy_size(c, o);
  if (n > 0) copy(c, o, n - 1);
}

static void copy_constants(cursor *c, bytes *o) {
  size_t i, n = copy_size(c, o);
  for (i = 0; i < n && c->ok; i++) {
    const unsigned char *tag = take(c, 1);
    if (tag == NULL) return;
    put(o, tag, 1);
    switch (*tag) {
      case 0x03: case 0x13: copy(c, o, 8); break;  /* an integer, a float */
      case 0x04: case 0x14: copy_string(c, o); break;  /* a short, a long string */
      case 0x00: case 0x01: case 0x11: break;  /* nil, false, true */
      default: c->ok = 0;
    }
  }
}

/* The debug information of a function, its lines shifted; the main
** function's first instruction given its absolute line. */
static void shift_debug(cursor *c, bytes *o, size_t shift, int main) {
  size_t i, nlines = get_size(c), nabsolute;
  const unsigned char *deltas = take(c, nlines);
  int first_absolute = main && nlines > 0 && deltas != NULL && deltas[0] != ABSLINEINFO;
  if (!c->ok) return;
  put_size(o, nlines);
  if (first_absolute) {
    unsigned char mark = ABSLINEINFO;
    put(o, &mark, 1);
    put(o, deltas + 1, nlines - 1);
  } else {
    put(o, deltas, nlines);
  }
  nabsolute = get_size(c);
  put_size(o, nabsolute + (first_absolute ? 1 : 0));
  if (first_absolute) {  /* line 0 (main's first line) plus the delta it had */
    put_size(o, 0);
    put_size(o, (size_t)(signed char)deltas[0] + shift);
  }
  for (i = 0; i < nabsolute && c->ok; i++) {
    put_size(o, get_size(c));  /* the instruction */
    put_size(o, get_size(c) + shift);  /* its line */
  }
  for (i = copy_size(c, o); i > 0 && c->ok; i--) {  /* local variables: name, first and last instruction */
    copy_string(c, o);
    copy_size(c, o);
    copy_size(c, o);
  }
  for (i = copy_size(c, o); i > 0 && c->ok; i--) copy_string(c, o);  /* upvalues' names */
}

static void shift_function(cursor *c, bytes *o, size_t shift, int main, int depth) {
  size_t i, n, first, last;
  if (depth > 200) {
    c->ok = 0;
    return;
  }
  copy_string(c, o);  /* source */
  first = get_size(c), last = get_size(c);
  put_size(o, main ? first : first + shift);
  put_size(o, main ? last : last + shift);
  copy(c, o, 3);  /* parameters, vararg, stack size */
  n = copy_size(c, o);
  copy(c, o, n * 4);  /* code */
  copy_constants(c, o);
  n = copy_size(c, o);
  copy(c, o, n * 3);  /* upvalues */
  for (i = copy_size(c, o); i > 0 && c->ok; i--) shift_function(c, o, shift, 0, depth + 1);
  shift_debug(c, o, shift, main);
}

int lineshift(lua_State *L, int shift, const char *name) {
  bytes dumped = {NULL, 0, 0, 1}, shifted = {NULL, 0, 0, 1};
  cursor c;
  int ok = 0;
  if (lua_dump(L, dump_writer, &dumped, 0) == 0 && dumped.ok && dumped.n > HEADER_SIZE + 1 &&
      memcmp(dumped.b, LUA_SIGNATURE "\x54\x00", 6) == 0) {
    c.p = dumped.b, c.end = dumped.b + dumped.n, c.ok = 1;
    copy(&c, &shifted, HEADER_SIZE + 1);  /* and the main function's number of upvalues */
    shift_function(&c, &shifted, (size_t)shift, 1, 0);
    if (c.ok && shifted.ok && c.p == c.end &&
        luaL_loadbufferx(L, (const char *)shifted.b, shifted.n, name, "b") == LUA_OK) {
      lua_replace(L, -2);
      ok = 1;
    } else if (c.ok && shifted.ok && c.p == c.end) {
      lua_pop(L, 1);  /* the loader's message */
    }
  }
  free(dumped.b);
  free(shifted.b);
  return ok;
}

int lineshift_works(lua_State *L) {
  static int works = -1;
  static const char check[] =
      "local function f()\n"
      "  return debug.getinfo(1, 'l').currentline\n"
      "end\n"
      "local main = debug.getinfo(1, 'Sl')\n"
      "return f(), main.currentline, main.what, debug.getinfo(f, 'S').linedefined\n";
  if (works >= 0) return works;
  works = 0;
  if (luaL_loadbufferx(L, check, sizeof check - 1, "=check", "t") != LUA_OK) {
    lua_pop(L, 1);
    return works;
  }
  if (!lineshift(L, 1000, "=check")) {
    lua_pop(L, 1);
    return works;
  }
  if (lua_pcall(L, 0, 4, 0) != LUA_OK) {
    lua_pop(L, 1);
    return works;
  }
  works = lua_tointeger(L, -4) == 1002 && lua_tointeger(L, -3) == 1004 && lua_isstring(L, -2) &&
          strcmp(lua_tostring(L, -2), "main") == 0 && lua_tointeger(L, -1) == 1001;
  lua_pop(L, 4);
  return works;
}
