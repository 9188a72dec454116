/*
** table.c: zb.Table is a userdata so that a table cannot be changed once
** made (its methods return new tables) and type() tells it from Lua data.
** It holds no resource, only its description (user value 1); its
** metamethods come from lua/zb/table.lua through zb.core.table_meta.
*/
#include "lua.h"
#include "lauxlib.h"

#include "call.h"
#include "csv.h"
#include "db.h"
#include "paths.h"
#include "period.h"
#include "row.h"
#include "table.h"
#include "zb.h"

/* zb.core.new_table(description) */
static int l_new_table(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_newuserdatauv(L, 0, 1);
  lua_pushvalue(L, 1);
  lua_setiuservalue(L, -2, 1);
  luaL_setmetatable(L, ZB_TABLE);
  return 1;
}

/* zb.core.description(v): a table's description, or nil for anything else. */
static int l_description(lua_State *L) {
  if (luaL_testudata(L, 1, ZB_TABLE) == NULL) return 0;
  lua_getiuservalue(L, 1, 1);
  return 1;
}

/* zb.core.file_kind(path): "missing", "file", "link" and the file it leads
** to, or "other" (a device, a pipe, a directory): how an export writes it. */
static int l_file_kind(lua_State *L) {
  static const char *const kinds[] = {"missing", "file", "link", "other"};
  char resolved[4096];
  const char *path = luaL_checkstring(L, 1);
  int kind;
  if (!paths_allowed(path, 0))  /* a safe session may not learn what is there */
    return luaL_error(L, "%s is %s", path, paths_why_not(path, 0));
  kind = paths_kind(path, resolved, sizeof resolved);
  lua_pushstring(L, kinds[kind]);
  if (kind != PATHS_LINK) return 1;
  lua_pushstring(L, resolved);
  return 2;
}

/* zb.core.allowed(path [, write [, name]]): whether a safe session may
** read (or write) path, and when not, why (to follow "PATH is "); with
** name, whether it may remove or replace the name path itself (os.remove,
** os.rename).  Always true outside safe mode. */
static int l_allowed(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  int name = lua_toboolean(L, 3), write = name || lua_toboolean(L, 2);
  int ok = name ? paths_allowed_name(path) : paths_allowed(path, write);
  lua_pushboolean(L, ok);
  if (ok) return 1;
  lua_pushstring(L, paths_why_not(path, write));
  return 2;
}

static const luaL_Reg core_functions[] = {
  {"allowed", l_allowed},
  {"file_kind", l_file_kind},
  {"new_table", l_new_table},
  {"description", l_description},
  {"register", call_l_register},
  {"register_aggregate", call_l_register_aggregate},
  {"create_function", call_l_create_function},
  {"create_aggregate", call_l_create_aggregate},
  {"defining_library", call_l_defining_library},
  {"read_csv", csv_read},
  {"missing_number", csv_missing_number},
  {"period_read", period_l_read},
  {"period_index", period_l_index},
  {"period_at", period_l_at},
  {"period_text", period_l_text},
  {"period_add", period_l_add},
  {"period_year_ago", period_l_year_ago},
  {"period_per_year", period_l_per_year},
  {NULL, NULL}
};

void table_push_core(lua_State *L) {
  luaL_newlib(L, core_functions);
  db_add_core(L);
  luaL_newmetatable(L, ZB_TABLE);
  lua_setfield(L, -2, "table_meta");
  row_open_library(L);
  lua_setfield(L, -2, "row_meta");
  lua_pushboolean(L, paths_restricted());
  lua_setfield(L, -2, "safe");  /* a --safe session (what it may touch is set by now) */
}
