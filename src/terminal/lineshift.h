/*
** lineshift.h: a compiled chunk's line numbers moved down, without padding
** its source with newlines.
*/
#ifndef ZB_LINESHIFT_H
#define ZB_LINESHIFT_H

#include "lua.h"

/* Replace the Lua function on top of the stack (a main chunk compiled by
** lua_load, named name) with the same function whose lines are shift
** further down; 1, or 0 (the function left as it was) when it cannot. */
int lineshift(lua_State *L, int shift, const char *name);

/* Whether lineshift reads this Lua's dumps (checked once, on a chunk of
** its own). */
int lineshift_works(lua_State *L);

#endif
