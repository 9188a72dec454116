/*
** composite.h: the per-value loops of zb.composite, as zb.core's
** composite_* functions.
*/
#ifndef ZB_COMPOSITE_H
#define ZB_COMPOSITE_H

#include "lua.h"

/* Add the composite_* functions to the table on top of the stack. */
void composite_register(lua_State *L);

#endif
