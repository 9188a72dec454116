/*
** box.h: memory and files a C function holds while it may raise.  A box is
** a userdata marked to-be-closed whose close function frees what it holds,
** however the function ends (as lauxlib's buffer box does).
*/
#ifndef ZB_BOX_H
#define ZB_BOX_H

#include <stddef.h>
#include "lua.h"

/* Push a zeroed box of size bytes, of metatable tname (made on first use,
** with close as __gc and __close), marked to-be-closed; returns its memory. */
void *box_push(lua_State *L, size_t size, const char *tname, lua_CFunction close);

#endif
