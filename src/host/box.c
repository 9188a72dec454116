/*
** box.c: to-be-closed userdata that own what a C function holds.
*/
#include <string.h>

#include "lua.h"
#include "lauxlib.h"

#include "box.h"

void *box_push(lua_State *L, size_t size, const char *tname, lua_CFunction close) {
  void *box = lua_newuserdatauv(L, size, 0);
  memset(box, 0, size);
  if (luaL_newmetatable(L, tname)) {
    lua_pushcfunction(L, close);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, close);
    lua_setfield(L, -2, "__close");
  }
  lua_setmetatable(L, -2);
  lua_toclose(L, -1);
  return box;
}
