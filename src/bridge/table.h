/*
** table.h: zb.Table's C side, an immutable userdata around the Lua
** description of a relation (lua/zb/relation/table.lua compiles it to SQL).
*/
#ifndef ZB_TABLE_H
#define ZB_TABLE_H

#include "lua.h"

/* zb.core.new_table(description): a zb.Table holding description. */
int table_l_new(lua_State *L);

/* zb.core.description(v): a table's description, or nothing for any other v. */
int table_l_description(lua_State *L);

/* Push the zb.Table metatable (made on first use; lua/zb/relation/table.lua fills it). */
void table_open_library(lua_State *L);

#endif
