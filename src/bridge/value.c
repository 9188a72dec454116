/*
** value.c: the conversions of value.h that no hot path calls.
*/
#include <sqlite3.h>

#include "lua.h"

#include "value.h"
#include "width.h"

/* value_from_lua for what is not a number. */
int value_from_lua_other(lua_State *L, int idx, int bytes_as_blob, zb_value *out) {
  switch (lua_type(L, idx)) {
    case LUA_TSTRING:
      out->bytes = lua_tolstring(L, idx, &out->len);
      out->type = bytes_as_blob && utf8_prefix(out->bytes, out->len) < out->len ? SQLITE_BLOB : SQLITE_TEXT;
      return 1;
    case LUA_TBOOLEAN:
      out->type = SQLITE_INTEGER;
      out->i = lua_toboolean(L, idx);
      return 1;
    case LUA_TNIL: case LUA_TNONE:
      out->type = SQLITE_NULL;
      return 1;
    default: return 0;
  }
}

int value_bind(sqlite3_stmt *stmt, int slot, const zb_value *v) {
  switch (v->type) {
    case SQLITE_INTEGER: return sqlite3_bind_int64(stmt, slot, v->i);
    case SQLITE_FLOAT: return sqlite3_bind_double(stmt, slot, v->d);
    /* empty bytes may be NULL, which SQLite would bind as NULL */
    case SQLITE_TEXT: return sqlite3_bind_text64(stmt, slot, v->len ? v->bytes : "", v->len, SQLITE_TRANSIENT, SQLITE_UTF8);
    case SQLITE_BLOB: return sqlite3_bind_blob64(stmt, slot, v->len ? v->bytes : "", v->len, SQLITE_TRANSIENT);
    default: return sqlite3_bind_null(stmt, slot);
  }
}
