/*
** table.h: zb.Table's C side, an immutable userdata around the Lua
** description of a relation (lua/zb/table.lua compiles it to SQL).
*/
#ifndef ZB_TABLE_H
#define ZB_TABLE_H

#include "lua.h"

/* Push zb.core: the C primitives lua/zb/ builds tables on. */
void table_push_core(lua_State *L);

#endif
