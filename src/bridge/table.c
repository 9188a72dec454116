/*
** table.c: zb.Table is a userdata so that a table cannot be changed once
** made (its methods return new tables) and type() tells it from Lua data.
** It holds no resource, only its description (user value 1); its
** metamethods come from lua/zb/relation/table.lua through zb.core.table_meta.
*/
#include "lua.h"
#include "lauxlib.h"

#include "table.h"
#include "zb.h"

int table_l_new(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_newuserdatauv(L, 0, 1);
  lua_pushvalue(L, 1);
  lua_setiuservalue(L, -2, 1);
  luaL_setmetatable(L, ZB_TABLE);
  return 1;
}

int table_l_description(lua_State *L) {
  if (luaL_testudata(L, 1, ZB_TABLE) == NULL) return 0;
  lua_getiuservalue(L, 1, 1);
  return 1;
}

void table_open_library(lua_State *L) {
  luaL_newmetatable(L, ZB_TABLE);
}
