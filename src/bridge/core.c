/*
** core.c: zb.core, every C primitive lua/zb/ builds on, in one table.
** Each entry is a binding of a C module's (the table userdata, queries,
** SQL functions in Lua, periods, the CSV loader, the paths policy); where
** a primitive works on the session database, its binding here brings it.
*/
#include <limits.h>

#include "lua.h"
#include "lauxlib.h"

#include "core.h"
#include "csv.h"
#include "csv_reader.h"
#include "fingerprint.h"
#include "magic.h"
#include "chunk.h"
#include "composite.h"
#include "sheet.h"
#include "export.h"
#include "figure.h"
#include "grid.h"
#include "json.h"
#include "xlsx.h"
#include "db.h"
#include "error.h"
#include "paths.h"
#include "period.h"
#include "postgresql.h"
#include "row.h"
#include "scan.h"
#include "session.h"
#include "sqlfn.h"
#include "table.h"
#include "vector.h"

/* zb.core.rows(sql, params [, alive]): db_push_rows on the session
** database; alive is what the SQL calls (a table's Lua functions). */
static int l_rows(lua_State *L) {
  lua_settop(L, 3);
  luaL_checkstring(L, 1);
  luaL_checktype(L, 2, LUA_TTABLE);
  db_push_session(L);
  return db_push_rows(L, -1, 1, 2, 3);
}

/* zb.core.binary_scan(sql, n): whether the first n columns of sql
** compare as bytes (none of another collation; an expression's cannot be
** seen), so that a C path beside SQLite's query may hash them as keys. */
static int l_binary_scan(lua_State *L) {
  lua_Integer n = luaL_checkinteger(L, 2);
  sqlite3_stmt *stmt;
  luaL_checkstring(L, 1);
  luaL_argcheck(L, n >= 0 && n < 64, 2, "from 0 to 63 columns");
  db_push_session(L);
  stmt = db_push_prepared(L, 3, lua_tostring(L, 1));
  lua_pushboolean(L, scan_binary_collations(db_handle(L, 3), stmt, ((uint64_t)1 << n) - 1));
  return 1;
}

/* zb.core.columns(sql): db_push_columns on the session database. */
static int l_columns(lua_State *L) {
  luaL_checkstring(L, 1);
  db_push_session(L);
  return db_push_columns(L, -1, 1);
}

/* zb.core.create_function(name, id [, deterministic]): SQL function name
** on the session database calls entry id (a metric). */
/* zb.core.insert_columns(sql, lists, order): db_insert_columns on the
** session database. */
static int l_insert_columns(lua_State *L) {
  lua_settop(L, 3);
  db_push_session(L);
  return db_insert_columns(L, 4, 1, 2, 3);
}

/* zb.core.new_list(n): an empty table with room for n list entries, so
** that a list with holes (missing values as nil) filled in order stays in
** the table's array part instead of each entry past a hole going to the
** hash part and being moved at every rehash. */
static int l_new_list(lua_State *L) {
  lua_Integer n = luaL_checkinteger(L, 1);
  luaL_argcheck(L, n >= 0 && n <= 1 << 26, 1, "a list's size from 0 to 2^26");
  lua_createtable(L, (int)n, 0);
  return 1;
}

/* zb.core.read_columns(sql, params [, rows [, vectors_from]]):
** db_read_columns on the session database, rows the count expected (a
** hint), vectors_from the first column (1 on) whose numbers come as a
** vector (none when not given). */
static int l_read_columns(lua_State *L) {
  lua_Integer rows = luaL_optinteger(L, 3, 0), from = luaL_optinteger(L, 4, INT_MAX);
  luaL_argcheck(L, from >= 1, 4, "a column's number, 1 on");
  lua_settop(L, 2);
  luaL_checkstring(L, 1);
  luaL_checktype(L, 2, LUA_TTABLE);
  db_push_session(L);
  return db_read_columns(L, 3, 1, 2, rows, from > INT_MAX ? INT_MAX : (int)from - 1);
}

static int l_create_function(lua_State *L) {
  const char *name = luaL_checkstring(L, 1);
  lua_Integer id = luaL_checkinteger(L, 2);
  sqlfn_create_function(L, session_handle_to_define(L, name), name, id, lua_toboolean(L, 3));
  return 0;
}

/* zb.core.create_aggregate(name, id [, window]): SQL aggregate name on the
** session database runs entry id; with window, also as a window function. */
static int l_create_aggregate(lua_State *L) {
  const char *name = luaL_checkstring(L, 1);
  lua_Integer id = luaL_checkinteger(L, 2);
  sqlfn_create_aggregate(L, session_handle_to_define(L, name), name, id, lua_toboolean(L, 3));
  return 0;
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

/* zb.core.file_format(bytes, asked): what a file beginning with bytes is
** when not plain text (its kind's name, "zip" ... "json") and the message
** for a reader of asked ("JSON"); nothing for plain text. */
static int l_file_format(lua_State *L) {
  size_t n;
  const char *bytes = luaL_checklstring(L, 1, &n);
  const char *asked = luaL_checkstring(L, 2);
  char message[512];
  magic_kind kind = magic_kind_of(bytes, n < MAGIC_BYTES ? n : MAGIC_BYTES);
  if (kind == MAGIC_TEXT) return 0;
  lua_pushstring(L, magic_name(kind));
  lua_pushstring(L, magic_message(kind, asked, message, sizeof message));
  return 2;
}

/* zb.core.is_missing(text): whether text spells a missing value as the
** readers read one ("", "NA", "-", "…", and in a column of numbers "N/A",
** "#N/A", "..." and more). */
static int l_is_missing(lua_State *L) {
  static const csv_values plain;
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  lua_pushboolean(L, csv_is_na(&plain, s, len) || csv_is_missing_number(s, len));
  return 1;
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
  /* tables and the queries they compile to */
  {"new_table", table_l_new},
  {"description", table_l_description},
  {"rows", l_rows},
  {"columns", l_columns},
  {"binary_scan", l_binary_scan},
  {"insert_columns", l_insert_columns},
  {"new_list", l_new_list},
  {"read_columns", l_read_columns},
  /* Lua functions that SQL calls */
  {"register", sqlfn_l_register},
  {"register_aggregate", sqlfn_l_register_aggregate},
  {"create_function", l_create_function},
  {"create_aggregate", l_create_aggregate},
  /* loaders */
  {"read_csv", csv_read},
  {"missing_number", csv_missing_number},
  {"json_scan", json_l_scan},
  {"json_insert", json_l_insert},
  {"fingerprint_file", fingerprint_l_file},
  {"fingerprint_text", fingerprint_l_text},
  {"to_gb18030", csv_to_gb18030},
  {"xlsx_sheets", sheet_l_sheets},
  {"xlsx_head", sheet_l_head},
  {"xlsx_load", sheet_l_load},
  /* a PostgreSQL server as the engine */
  {"pg_connect", postgresql_l_connect},
  {"pg_conninfo", postgresql_l_conninfo},
  /* writers */
  {"xlsx_write", xlsx_l_write},
  {"figure_write", figure_l_write},
  {"export_rows", export_l_rows},
  {"json_infinite", export_l_json_infinite},
  {"print_rows", grid_l_print},
  {"text_extent", figure_l_text_extent},
  /* statistical time */
  {"period_read", period_l_read},
  {"period_index", period_l_index},
  {"period_at", period_l_at},
  {"period_text", period_l_text},
  {"period_add", period_l_add},
  {"period_year_ago", period_l_year_ago},
  {"period_per_year", period_l_per_year},
  /* errors as values, at the user's line */
  {"error", error_l_new},
  {"keep_caller", error_l_keep_caller},
  /* the files a safe session may touch */
  {"allowed", l_allowed},
  {"file_kind", l_file_kind},
  {"file_format", l_file_format},
  {"chunk_texts", chunk_l_texts},
  {"is_missing", l_is_missing},
  {NULL, NULL}
};

void core_push(lua_State *L) {
  luaL_newlib(L, core_functions);
  vector_register(L);  /* before any vector is made */
  composite_register(L);  /* zb.composite's loops over values */
  table_open_library(L);
  lua_setfield(L, -2, "table_meta");
  row_open_library(L);
  lua_setfield(L, -2, "row_meta");
  lua_pushboolean(L, paths_restricted());
  lua_setfield(L, -2, "safe");  /* a --safe session (what it may touch is set by now) */
}
