/*
** session.c: the session database, opened on first use with the analysis
** library defined on it.  The session is a userdata in the registry: its
** file (user value 1: a string, nil in memory), its zb.Database once open
** (user value 2), and whether the library is being defined.
*/
#include "lua.h"
#include "lauxlib.h"

#include "db.h"
#include "interrupt.h"
#include "safety.h"
#include "session.h"

typedef struct session {
  int defining_library;  /* define_library's step is under way */
} session;

enum { SESSION_FILE = 1, SESSION_DB };

static const char session_key = 0;  /* its address: the registry's key of the session */

/* Push the session, made (in memory) when there is none yet. */
static session *push_session(lua_State *L) {
  session *s;
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &session_key) == LUA_TUSERDATA) return (session *)lua_touserdata(L, -1);
  lua_pop(L, 1);
  s = (session *)lua_newuserdatauv(L, sizeof *s, 2);
  s->defining_library = 0;
  lua_pushvalue(L, -1);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &session_key);
  return s;
}

void session_set_file(lua_State *L, const char *path) {
  push_session(L);
  lua_pushstring(L, path);
  lua_setiuservalue(L, -2, SESSION_FILE);
  lua_pop(L, 1);
}

static int load_library(lua_State *L) {
  lua_getglobal(L, "require");
  lua_pushliteral(L, "zb.analysis.library");
  lua_call(L, 1, 0);
  return 0;
}

/*
** The analysis library's step.  Its functions (median, gini, ...) are in
** every query, so they are defined on the session database (at db) as
** soon as it opens, as zb's own names; then every file open on it is
** checked against all of zb's functions at once, where a script's
** function is checked alone as it is made.  Returns LUA_OK, or an error
** status with the message pushed.
*/
static int define_library(lua_State *L, session *s, int db, const char *file) {
  int status;
  lua_pushcfunction(L, load_library);
  s->defining_library = 1;
  status = lua_pcall(L, 0, 0, 0);
  s->defining_library = 0;
  if (status != LUA_OK) return status;
  if (!safety_push_schema_refusal(L, db_handle(L, db))) return LUA_OK;
  lua_pushfstring(L, "cannot open database '%s': %s", file, lua_tostring(L, -1));
  return LUA_ERRRUN;
}

/* Open the database of the session at state: push it, the library defined
** and its files checked; or, as if it was never opened, raise why. */
static void open_session(lua_State *L, session *s, int state) {
  int db;
  lua_getiuservalue(L, state, SESSION_FILE);
  db_push_open(L, lua_tostring(L, -1));
  db = lua_gettop(L);
  lua_pushvalue(L, db);
  lua_setiuservalue(L, state, SESSION_DB);
  interrupt_watch_db(db_handle(L, db));
  if (define_library(L, s, db, lua_tostring(L, db - 1)) == LUA_OK) {
    lua_remove(L, db - 1);  /* the file */
    return;
  }
  /* the library made again next time */
  lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  lua_pushnil(L);
  lua_setfield(L, -2, "zb.analysis.library");
  lua_pop(L, 1);
  lua_pushnil(L);
  lua_setiuservalue(L, state, SESSION_DB);
  db_close(L, db);
  lua_error(L);
}

void db_push_session(lua_State *L) {
  session *s = push_session(L);
  int state = lua_gettop(L);
  if (lua_getiuservalue(L, state, SESSION_DB) == LUA_TNIL) {
    lua_pop(L, 1);
    open_session(L, s, state);
  }
  lua_remove(L, state);
}

sqlite3 *session_handle_to_define(lua_State *L, const char *name) {
  sqlite3 *db;
  db_push_session(L);
  db = db_handle(L, -1);
  lua_pop(L, 1);
  if (db == NULL) luaL_error(L, "attempt to use a closed database");
  if (!push_session(L)->defining_library) safety_refuse_definition(L, db, name);
  lua_pop(L, 1);
  return db;
}
