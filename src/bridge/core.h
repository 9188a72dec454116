/*
** core.h: zb.core, the C primitives lua/zb/ builds on, assembled in one
** registration table.
*/
#ifndef ZB_CORE_H
#define ZB_CORE_H

#include "lua.h"

/* Push zb.core (what it may touch, in a safe session, is set by now). */
void core_push(lua_State *L);

#endif
