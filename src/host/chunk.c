/*
** chunk.c: how the session runs a chunk and reports its error (host.c's
** script, -e and -l; repl.c's lines).  The time limit is the session's:
** its seconds and how deep chunk_call is nested live in a userdata in the
** registry.
*/
#include <stdio.h>

#include "lua.h"
#include "lauxlib.h"

#include "chunk.h"
#include "interrupt.h"

typedef struct chunks {
  double seconds;  /* --timeout: each chunk's time, 0 for none */
  int depth;       /* chunk_call nested: only the outermost arms the time */
} chunks;

static const char chunks_key = 0;  /* its address: the registry's key of the chunks */

/* L's chunks, NULL before chunk_set_seconds; never raises. */
static chunks *chunks_of(lua_State *L) {
  chunks *c;
  lua_rawgetp(L, LUA_REGISTRYINDEX, &chunks_key);
  c = (chunks *)lua_touserdata(L, -1);
  lua_pop(L, 1);
  return c;
}

void chunk_set_seconds(lua_State *L, double seconds) {
  chunks *c = chunks_of(L);
  if (c == NULL) {
    c = (chunks *)lua_newuserdatauv(L, sizeof *c, 0);
    c->depth = 0;
    lua_rawsetp(L, LUA_REGISTRYINDEX, &chunks_key);
  }
  c->seconds = seconds;
}

double chunk_seconds(lua_State *L) {
  chunks *c = chunks_of(L);
  return c ? c->seconds : 0;
}

/* Message handler: add a traceback, except to an interrupt (the user knows where). */
static int msghandler(lua_State *L) {
  const char *msg = lua_tostring(L, 1);
  if (msg == NULL) {  /* a zb.Error, say: its text, with the traceback a string gets */
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) msg = lua_tostring(L, -1);
    else msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  if (interrupt_is_stop(msg)) return 1;
  luaL_traceback(L, L, msg, 1);
  return 1;
}

int chunk_call(lua_State *L, int narg, int nres) {
  chunks *c = chunks_of(L);
  int status, base = lua_gettop(L) - narg;
  lua_pushcfunction(L, msghandler);
  lua_insert(L, base);
  if (c != NULL && c->depth++ == 0) interrupt_arm(c->seconds);  /* zb.timeout may change it inside */
  status = lua_pcall(L, narg, nres, base);
  if (c != NULL && --c->depth == 0) interrupt_arm(0);
  lua_remove(L, base);
  return status;
}

/* Push the text of the value at 1 (its __tostring's), for a protected call. */
static int push_text(lua_State *L) {
  luaL_tolstring(L, 1, NULL);
  return 1;
}

int chunk_report(lua_State *L, int status, int prefix) {
  if (status != LUA_OK) {
    const char *msg = lua_tostring(L, -1);
    int pushed = 0;
    if (msg == NULL) {  /* a zb.Error a handler did not turn into text; making it may fail (memory) */
      lua_pushcfunction(L, push_text);
      lua_pushvalue(L, -2);
      pushed = 1;
      if (lua_pcall(L, 1, 1, 0) == LUA_OK) msg = lua_tostring(L, -1);
    }
    fflush(stdout);
    fprintf(stderr, "%s%s\n", prefix ? "zb: " : "", msg ? msg : "(error object is not a string)");
    fflush(stderr);
    lua_pop(L, 1 + pushed);
  }
  return status;
}

/* ---- the texts of typed chunks ---- */

#define CHUNK_TEXTS 256  /* kept a name, the oldest dropped */

static const char texts_key = 0;  /* its address: the registry's key of the kept texts */

/* Push the list of texts kept under name (made when missing). */
static void push_texts(lua_State *L, const char *name) {
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &texts_key) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &texts_key);
  }
  if (lua_getfield(L, -1, name) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, name);
  }
  lua_remove(L, -2);
}

/* Run protected: the text at index 1, whose first line is the line at
** index 3 of its source, kept under the name at index 2 as {text, first line}.
** The texts of a name are a ring (its field n counts every text kept), so
** that a long script on standard input keeps each chunk in constant time. */
static int keep_text(lua_State *L) {
  lua_Integer kept;
  push_texts(L, lua_tostring(L, 2));
  lua_getfield(L, -1, "n");
  kept = lua_tointeger(L, -1);
  lua_pop(L, 1);
  lua_createtable(L, 2, 0);
  lua_pushvalue(L, 1);
  lua_rawseti(L, -2, 1);
  lua_pushvalue(L, 3);
  lua_rawseti(L, -2, 2);
  lua_rawseti(L, -2, kept % CHUNK_TEXTS + 1);
  lua_pushinteger(L, kept + 1);
  lua_setfield(L, -2, "n");
  return 0;
}

void chunk_keep_text(lua_State *L, const char *name, int idx, int first_line) {
  idx = lua_absindex(L, idx);
  lua_pushcfunction(L, keep_text);
  lua_pushvalue(L, idx);
  lua_pushstring(L, name);
  lua_pushinteger(L, first_line);
  if (lua_pcall(L, 3, 0, 0) != LUA_OK) lua_pop(L, 1);  /* out of memory: the text is not needed to go on */
}

int chunk_l_texts(lua_State *L) {
  lua_Integer kept, first, i;
  push_texts(L, luaL_checkstring(L, 1));
  lua_getfield(L, -1, "n");
  kept = lua_tointeger(L, -1);
  lua_pop(L, 1);
  first = kept > CHUNK_TEXTS ? kept - CHUNK_TEXTS : 0;
  lua_createtable(L, (int)(kept - first), 0);  /* oldest first */
  for (i = first; i < kept; i++) {
    lua_rawgeti(L, -2, i % CHUNK_TEXTS + 1);
    lua_rawseti(L, -2, i - first + 1);
  }
  return 1;
}
