/*
** chunk.h: running a chunk of Lua as a session runs each one (a script, a
** -e, a REPL line): in a protected call whose handler adds a traceback,
** the outermost one held to the session's time (--timeout); and reporting
** its error.
*/
#ifndef ZB_CHUNK_H
#define ZB_CHUNK_H

#include "lua.h"

/* Each outermost chunk of L's session may run seconds (0: no limit). */
void chunk_set_seconds(lua_State *L, double seconds);

/* The seconds each chunk may run, as set (0 before). */
double chunk_seconds(lua_State *L);

/* lua_pcall with a handler that adds a traceback (except to an interrupt);
** the outermost call is stopped past the chunk's time. */
int chunk_call(lua_State *L, int narg, int nres);

/* Print the error message on top of the stack to stderr (prefixed "zb: " when
** prefix is set) and pop it; returns status unchanged. */
int chunk_report(lua_State *L, int status, int prefix);

/* Keep the text at idx of a chunk named name ("=stdin", "=(command
** line)", "@stdin"), its first line first_line of that source: a function
** defined in it has no file to read its source back from (a metric made a
** PL/Lua function on a server). */
void chunk_keep_text(lua_State *L, const char *name, int idx, int first_line);

/* zb.core.chunk_texts(name) -> the last chunks kept under name, newest
** last, each {text, first line}. */
int chunk_l_texts(lua_State *L);

#endif
