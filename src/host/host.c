/*
** host.c: a zb session.  Everything from opening the libraries to the last
** REPL line runs inside one protected call (pmain), as in lua.c.
*/
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"

#include "chunk.h"
#include "core.h"
#include "db.h"
#include "faults.h"
#include "host.h"
#include "interrupt.h"
#include "paths.h"
#include "repl.h"
#include "safety.h"
#include "postgresql.h"
#include "sandbox.h"
#include "session.h"
#include "term.h"
#include "width.h"
#include "workbook.h"
#include "figure.h"
#include "xlsx.h"
#include "zb.h"

/* ---- running chunks ---- */

/* What the host keeps for a session: a userdata in the registry, made
** before any chunk runs (os.exit holds it as an upvalue). */
typedef struct host_state {
  int closing;  /* L is closing: an os.exit from a finalizer then ends the process at once */
} host_state;

static const char host_key = 0;  /* its address: the registry's key of the host state */

/* The exit status code, or a failure when a write to standard output
** failed (a full disk under `zb script > file`: what was buffered is lost
** at exit) and code says success; stdout_error: the errno of that failure
** (-1: unknown, the write that failed long done, print's own). */
static int exit_status(int code, int stdout_error) {
  if (code != EXIT_SUCCESS || stdout_error == 0) return code;
  if (stdout_error < 0) fprintf(stderr, "zb: cannot write standard output: a write to it failed\n");
  else fprintf(stderr, "zb: cannot write standard output: %s\n", strerror(stdout_error));
  return EXIT_FAILURE;
}

/* Close L, its finalizers held to a chunk's time as the chunks were.  No
** finalizer can start the closing (and its time) anew: os.exit sees it.
** Returns the errno of a failed write to standard output (-1: unknown), or 0. */
static int close_state(lua_State *L) {
  host_state *h;
  double seconds = chunk_seconds(L);
  int stdout_error;
  lua_rawgetp(L, LUA_REGISTRYINDEX, &host_key);  /* never raises: nothing made */
  if ((h = (host_state *)lua_touserdata(L, -1)) != NULL) h->closing = 1;
  lua_pop(L, 1);
  interrupt_unwatch();
  errno = 0;
  fflush(NULL);  /* nothing printed is lost if a finalizer runs out of time */
  stdout_error = ferror(stdout) ? (errno != 0 ? errno : -1) : 0;
  interrupt_arm_closing(seconds);
  lua_close(L);
  figure_close();
  interrupt_arm(0);
  errno = 0;
  if (stdout_error == 0 && (fflush(stdout) != 0 || ferror(stdout))) stdout_error = errno != 0 ? errno : -1;
  return stdout_error;
}

/* zb.timeout(seconds): stop the running chunk (the script, or the REPL's
** line) if it runs past seconds from now; nil or 0 lifts it.  Returns the
** seconds that were left.  Upvalue: whether the session is --safe, where
** zb.timeout may only shorten the time. */
static int l_timeout(lua_State *L) {
  double seconds = luaL_optnumber(L, 1, 0), left = interrupt_left();
  luaL_argcheck(L, seconds >= 0 && seconds < 1e8, 1, "seconds from 0 (none) up");
  if (lua_toboolean(L, lua_upvalueindex(1)) && left > 0 && (seconds == 0 || seconds > left))
    return luaL_error(L, "zb.timeout: a safe session may shorten its time, not lengthen or lift it (%f s left)", left);
  interrupt_arm(seconds);
  lua_pushnumber(L, left);
  return 1;
}

/* The exit status after a failed chunk. */
static int failure_status(lua_State *L) {
  switch (interrupt_take(L)) {
    case INTERRUPT_SIGINT: return EXIT_INTERRUPTED;
    case INTERRUPT_TIMEOUT: return EXIT_TIMED_OUT;
    default: return EXIT_FAILURE;
  }
}

static int run_chunk(lua_State *L, const char *chunk) {
  int status = luaL_loadbuffer(L, chunk, strlen(chunk), "=(command line)");
  if (status == LUA_OK) {
    lua_pushstring(L, chunk);
    chunk_keep_text(L, "=(command line)", -1, 1);
    lua_pop(L, 1);
    status = chunk_call(L, 0, 0);
  }
  return chunk_report(L, status, 1);
}

/* -l NAME=MOD sets global NAME to require("MOD"); -l MOD sets global MOD. */
static int run_require(lua_State *L, const char *spec) {
  const char *eq = strchr(spec, '=');
  int status;
  lua_getglobal(L, "require");
  lua_pushstring(L, eq ? eq + 1 : spec);
  status = chunk_call(L, 1, 1);
  if (status == LUA_OK) {
    lua_pushglobaltable(L);
    if (eq) lua_pushlstring(L, spec, (size_t)(eq - spec));
    else lua_pushstring(L, spec);
    lua_pushvalue(L, -3);
    lua_settable(L, -3);
    lua_pop(L, 2);
  }
  return chunk_report(L, status, 1);
}

static int run_script(lua_State *L, const zb_args *a) {
  const char *fname = a->argv[a->script];
  int status, i, n = a->argc - a->script - 1;
  if (strcmp(fname, "-") == 0 && strcmp(a->argv[a->script - 1], "--") != 0)
    fname = NULL;  /* stdin */
  status = luaL_loadfilex(L, fname, a->safe ? "t" : NULL);  /* an untrusted binary chunk is C */
  if (status == LUA_OK) {
    luaL_checkstack(L, n + 3, "too many arguments to script");
    for (i = 1; i <= n; i++) lua_pushstring(L, a->argv[a->script + i]);
    status = chunk_call(L, n, 0);
  }
  return chunk_report(L, status, 1);
}

/* The init file runs before the REPL; an error in it is reported, not fatal. */
static void run_init(lua_State *L) {
  char dir[4096];
  FILE *f;
  int status;
  if (paths_xdg("XDG_CONFIG_HOME", ".config", dir, sizeof dir) != 0) return;
  lua_pushfstring(L, "%s/init.lua", dir);
  f = fopen(lua_tostring(L, -1), "r");
  if (f == NULL) {
    lua_pop(L, 1);
    return;
  }
  fclose(f);
  status = luaL_loadfile(L, lua_tostring(L, -1));
  lua_remove(L, -2);
  if (status == LUA_OK) status = chunk_call(L, 0, 0);
  chunk_report(L, status, 1);
  interrupt_take(L);
}

/* ---- the environment: arg, search paths, zb, os.exit ---- */

/* arg as lua sets it: the script at 0, its arguments from 1, the rest negative. */
static void create_arg_table(lua_State *L, const zb_args *a) {
  int i, script = a->script;
  lua_createtable(L, a->argc - script, script + 1);
  for (i = 0; i < a->argc; i++) {
    lua_pushstring(L, a->argv[i]);
    lua_rawseti(L, -2, i - script);
  }
  lua_setglobal(L, "arg");
}

static void add_search_dir(luaL_Buffer *b, const char *dir, size_t len, const char *sub,
                           const char *const *patterns) {
  for (; *patterns; patterns++) {
    luaL_addlstring(b, dir, len);
    luaL_addstring(b, sub);
    luaL_addstring(b, *patterns);
    luaL_addchar(b, ';');
  }
}

/* Whether the ';'-separated list holds the entry of len bytes. */
static int has_entry(const char *list, const char *entry, size_t len) {
  while (*list) {
    size_t n = strcspn(list, ";");
    if (n == len && memcmp(list, entry, len) == 0) return 1;
    list += n + (list[n] == ';');
  }
  return 0;
}

/*
** package.path (or cpath): ./, each directory of $ZB_PATH, the user's
** config directory, zb's own lua/, then what Lua had (LUA_PATH or its
** default) less the entries already named.
*/
static void set_search_path(lua_State *L, const char *field, const char *config,
                            const char *home, const char *const *patterns) {
  const char *zb_path = getenv("ZB_PATH"), *ours, *old;
  luaL_Buffer b;
  lua_getglobal(L, "package");
  luaL_buffinit(L, &b);
  add_search_dir(&b, ".", 1, "", patterns);
  while (zb_path != NULL && *zb_path) {
    size_t len = strcspn(zb_path, ":");
    if (len > 0) add_search_dir(&b, zb_path, len, "", patterns);
    zb_path += len + (zb_path[len] == ':');
  }
  if (config) add_search_dir(&b, config, strlen(config), "/lua", patterns);
  if (home) add_search_dir(&b, home, strlen(home), "/lua", patterns);
  luaL_pushresult(&b);
  ours = lua_tostring(L, -1);
  lua_getfield(L, -2, field);
  old = lua_tostring(L, -1);
  luaL_buffinit(L, &b);
  luaL_addstring(&b, ours);
  while (old != NULL && *old) {
    size_t n = strcspn(old, ";");
    if (n > 0 && !has_entry(ours, old, n)) {
      luaL_addlstring(&b, old, n);
      luaL_addchar(&b, ';');
    }
    old += n + (old[n] == ';');
  }
  luaL_buffsub(&b, 1);  /* the last ';' */
  luaL_pushresult(&b);
  lua_setfield(L, -4, field);
  lua_pop(L, 3);
}

/* A safe session's package.path: zb's own lua/ alone, nothing of ZB_PATH,
** LUA_PATH or the user's home; no C modules. */
static void set_safe_search_path(lua_State *L, const char *home) {
  lua_getglobal(L, "package");
  if (home != NULL) lua_pushfstring(L, "%s/lua/?.lua;%s/lua/?/init.lua", home, home);
  else lua_pushliteral(L, "");
  lua_setfield(L, -2, "path");
  lua_pushliteral(L, "");
  lua_setfield(L, -2, "cpath");
  lua_pop(L, 1);
}

/* zb's own module compiled at build (the Makefile's bytecode: FILE.luac
** beside FILE.lua), pushed with the file it came from; nothing pushed and
** 0 when there is none to trust: one older than its source, or named by
** another path (a tree edited or moved since), or unreadable.  Its chunk
** keeps the source's name and lines, so errors and tracebacks read as the
** source's; loading it skips the compiling (some 3 ms of a session's start). */
static int push_compiled(lua_State *L, const char *file) {
  struct stat source, compiled;
  lua_Debug ar;
  int top = lua_gettop(L);
  const char *luac = lua_pushfstring(L, "%sc", file);
  if (stat(file, &source) == 0 && stat(luac, &compiled) == 0 &&
      (compiled.st_mtim.tv_sec > source.st_mtim.tv_sec ||
       (compiled.st_mtim.tv_sec == source.st_mtim.tv_sec && compiled.st_mtim.tv_nsec > source.st_mtim.tv_nsec)) &&
      luaL_loadfilex(L, luac, "b") == LUA_OK) {
    lua_pushvalue(L, -1);
    if (lua_getinfo(L, ">S", &ar) && ar.source[0] == '@' && strcmp(ar.source + 1, file) == 0) {
      lua_insert(L, -2);
      return 1;
    }
  }
  lua_settop(L, top);
  return 0;
}

/* A searcher before Lua's own: zb's modules ("zb.NAME") come from zb's own
** lua/ directory (upvalue 1: a template with ?), so no file elsewhere can
** stand in for them.  Found here, not through package.searchpath, which a
** script may replace; names of letters, digits, _ and . only; source, or
** the build's bytecode of it unless upvalue 2 (a safe session) says not. */
static int l_search_own(lua_State *L) {
  const char *name = luaL_checkstring(L, 1), *file, *p;
  FILE *f;
  if (strncmp(name, "zb.", 3) != 0) return 0;
  for (p = name; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_' ||
          *p == '.'))
      return 0;
  luaL_gsub(L, name, ".", "/");
  file = luaL_gsub(L, lua_tostring(L, lua_upvalueindex(1)), "?", lua_tostring(L, -1));
  if (!lua_toboolean(L, lua_upvalueindex(2)) && push_compiled(L, file)) return 2;
  if ((f = fopen(file, "r")) == NULL) {
    lua_pushfstring(L, "no file '%s'", file);
    return 1;
  }
  fclose(f);
  if (luaL_loadfilex(L, file, "t") != LUA_OK)
    return luaL_error(L, "error loading module '%s' from file '%s':\n\t%s", name, file, lua_tostring(L, -1));
  lua_pushstring(L, file);
  return 2;  /* the loader and the file it came from */
}

static void add_own_searcher(lua_State *L, const char *home, int safe) {
  lua_getglobal(L, "package");
  lua_getfield(L, -1, "searchers");
  lua_pushfstring(L, "%s/lua/?.lua", home);
  lua_pushboolean(L, safe);
  lua_pushcclosure(L, l_search_own, 2);
  for (lua_Integer i = (lua_Integer)lua_rawlen(L, -2); i >= 2; i--) {  /* after preload */
    lua_rawgeti(L, -2, i);
    lua_rawseti(L, -3, i + 1);
  }
  lua_rawseti(L, -2, 2);
  lua_pop(L, 2);
}

/* Whether package.searchpath finds module name (at idx) on package[field]. */
static int on_search_path(lua_State *L, int package, int name, const char *field) {
  int found;
  lua_getfield(L, package, "searchpath");
  lua_pushvalue(L, name);
  lua_getfield(L, package, field);
  if (lua_type(L, -1) != LUA_TSTRING || lua_type(L, -3) != LUA_TFUNCTION) {
    lua_pop(L, 3);
    return 0;
  }
  lua_call(L, 2, 1);
  found = !lua_isnil(L, -1);
  lua_pop(L, 1);
  return found;
}

/* require(module) at the top; module is popped, its value left. */
static void require_module(lua_State *L) {
  lua_getglobal(L, "require");
  lua_insert(L, -2);
  lua_call(L, 1, 1);
}

/* zb's own public name (lua/zb/api.lua: the module, or the module and a
** field of it, it stands for): push its value and return 1; 0 when name
** is none of zb's. */
static int push_own_name(lua_State *L, const char *name) {
  int kind;
  lua_pushliteral(L, "zb.api");
  require_module(L);
  kind = lua_getfield(L, -1, name);
  if (kind == LUA_TSTRING) require_module(L);
  else if (kind == LUA_TTABLE) {
    lua_rawgeti(L, -1, 1);
    require_module(L);
    lua_rawgeti(L, -2, 2);
    lua_gettable(L, -2);
    lua_replace(L, -3);
    lua_pop(L, 1);
  } else {
    lua_pop(L, 2);
    return 0;
  }
  lua_remove(L, -2);
  return 1;
}

/* zb.<name> not yet set is zb's own (push_own_name), else loads the user's
** module "zb.<name>" when there is one (loaded, preloaded, or on
** package.path or cpath); zb.db opens the session database. */
static int l_zb_index(lua_State *L) {
  int name, package;
  if (lua_type(L, 2) != LUA_TSTRING) return 0;
  if (strcmp(lua_tostring(L, 2), "db") == 0) db_push_session(L);
  else if (!push_own_name(L, lua_tostring(L, 2))) {
    name = lua_gettop(L) + 1;
    lua_pushfstring(L, "zb.%s", lua_tostring(L, 2));
    lua_getglobal(L, "package");
    package = lua_gettop(L);
    if (lua_type(L, package) != LUA_TTABLE) return 0;
    lua_getfield(L, package, "preload");
    if (!(lua_istable(L, -1) && lua_getfield(L, -1, lua_tostring(L, name)) != LUA_TNIL) &&
        !on_search_path(L, package, name, "path") && !on_search_path(L, package, name, "cpath"))
      return 0;
    lua_getglobal(L, "require");
    lua_pushvalue(L, name);
    lua_call(L, 1, 1);
  }
  lua_pushvalue(L, 2);
  lua_pushvalue(L, -2);
  lua_rawset(L, 1);
  return 1;
}

/* os.exit always closes the state, so the database is closed cleanly.
** Upvalue: the host state. */
static int l_exit(lua_State *L) {
  const host_state *h = (const host_state *)lua_touserdata(L, lua_upvalueindex(1));
  int status;
  if (lua_isboolean(L, 1)) status = lua_toboolean(L, 1) ? EXIT_SUCCESS : EXIT_FAILURE;
  else status = (int)luaL_optinteger(L, 1, EXIT_SUCCESS);
  if (h->closing) {
    fflush(NULL);
    _exit(status);
  }
  exit(exit_status(status, close_state(L)));
  return 0;
}

/* Push the host state, made and kept in the registry. */
static void push_host_state(lua_State *L) {
  host_state *h = (host_state *)lua_newuserdatauv(L, sizeof *h, 0);
  h->closing = 0;
  lua_pushvalue(L, -1);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &host_key);
}

static void set_path_field(lua_State *L, const char *name, const char *dir, const char *sub) {
  if (dir == NULL) return;
  lua_pushfstring(L, "%s%s", dir, sub);
  lua_setfield(L, -2, name);
}

/* Whether -d names a PostgreSQL database (a libpq URI or key=value
** connection string) rather than a SQLite file. */
static int is_conninfo(const char *database) {
  const char *p = database;
  if (strncmp(database, "postgresql://", 13) == 0 || strncmp(database, "postgres://", 11) == 0) return 1;
  while (*p == ' ') p++;
  while ((*p >= 'a' && *p <= 'z') || *p == '_') p++;
  while (*p == ' ') p++;
  return p != database && *p == '=';
}

/* Safe mode's files: zb's own and the script's directory to read, the
** --allow directories to read and write; SQL may attach only those. */
static void restrict_paths(lua_State *L, const zb_args *a, const char *home) {
  int i;
  if (home != NULL) paths_allow(home, 0);
  if (a->script != 0 && strcmp(a->argv[a->script], "-") != 0) {
    const char *script = a->argv[a->script], *slash = strrchr(script, '/');
    char dir[4096] = ".";
    if (slash != NULL) snprintf(dir, sizeof dir, "%.*s", slash == script ? 1 : (int)(slash - script), script);
    paths_allow(dir, 0);
  }
  for (i = 0; i < a->nallow; i++)
    if (paths_allow(a->allow[i], 1) != 0) luaL_error(L, "--allow %s: no such directory", a->allow[i]);
  paths_allow("/dev/null", 1);  /* /dev/null as a file: the one device a script may use */
  if (a->database != NULL && !is_conninfo(a->database)) {  /* a server's files are its own */
    char path[4096];
    int read_only;
    const char *file = safety_file_of(a->database, path, sizeof path, &read_only);
    if (file == NULL) luaL_error(L, "-d %s: a safe session takes a file name or a file: URI with one mode= at most", a->database);
    if (paths_allow_database(file) != 0) luaL_error(L, "-d %s: cannot resolve its directory", a->database);
  }
  if (safety_restrict() != SQLITE_OK) luaL_error(L, "--safe: cannot install zb's SQLite file checks");
}

/* print, as Lua's (its upvalue), but print(t) of one zb.Table asks
** zb.render.print_whole first, which writes a whole table to standard
** output straight from its query when nothing needs Lua (a script's
** print of a large table would otherwise hold every row). */
static int l_print(lua_State *L) {
  if (lua_gettop(L) == 1 && luaL_testudata(L, 1, ZB_TABLE) != NULL) {
    lua_getglobal(L, "zb");
    lua_getfield(L, -1, "render");
    lua_getfield(L, -1, "print_whole");
    lua_pushvalue(L, 1);
    lua_call(L, 1, 1);
    if (lua_toboolean(L, -1)) return 0;
    lua_settop(L, 1);
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 0);
  return 0;
}

static void open_zb(lua_State *L, const zb_args *a) {
  static const char *const lua_patterns[] = {"/?.lua", "/?/init.lua", NULL};
  static const char *const c_patterns[] = {"/?.so", NULL};
  char exe[4096], home_buf[4096], config_buf[4096], state_buf[4096];
  const char *home = NULL, *config = NULL, *state = NULL;
  if (paths_exe_dir(exe, sizeof exe) == 0 && paths_home(exe, home_buf, sizeof home_buf) == 0)
    home = home_buf;
  if (a->safe) set_safe_search_path(L, home);  /* and no config or state directory to show */
  else {
    if (paths_xdg("XDG_CONFIG_HOME", ".config", config_buf, sizeof config_buf) == 0)
      config = config_buf;
    if (paths_xdg("XDG_STATE_HOME", ".local/state", state_buf, sizeof state_buf) == 0)
      state = state_buf;
    set_search_path(L, "path", config, home, lua_patterns);
    set_search_path(L, "cpath", config, home, c_patterns);
  }
  if (home) add_own_searcher(L, home, a->safe);

  if (a->safe) restrict_paths(L, a, home);
  db_open_library(L);
  lua_createtable(L, 0, 8);
  lua_pushliteral(L, ZB_VERSION);
  lua_setfield(L, -2, "version");
  interrupt_watch(L);
  interrupt_track_coroutines(L);
  chunk_set_seconds(L, a->timeout);
  session_set_file(L, a->database != NULL && !is_conninfo(a->database) ? a->database : NULL);
  lua_pushcfunction(L, width_l);
  lua_setfield(L, -2, "width");
  lua_pushcfunction(L, term_l_size);
  lua_setfield(L, -2, "terminal");
  lua_pushboolean(L, a->safe);
  lua_pushcclosure(L, l_timeout, 1);
  lua_setfield(L, -2, "timeout");
  lua_createtable(L, 0, 4);
  set_path_field(L, "home", home, "");
  set_path_field(L, "datasets", home, "/datasets");
  set_path_field(L, "config", config, "");
  set_path_field(L, "state", state, "");
  lua_setfield(L, -2, "paths");
  lua_createtable(L, 0, 1);
  lua_pushcfunction(L, l_zb_index);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  lua_pushvalue(L, -2);
  lua_setfield(L, -2, "zb");  /* require("zb"), and error messages say 'zb.sql' */
  core_push(L);
  lua_setfield(L, -2, "zb.core");
  lua_pop(L, 1);
  lua_setglobal(L, "zb");

  lua_getglobal(L, "os");
  push_host_state(L);
  lua_pushcclosure(L, l_exit, 1);
  lua_setfield(L, -2, "exit");
  lua_pop(L, 1);
  lua_getglobal(L, "print");
  lua_pushcclosure(L, l_print, 1);
  lua_setglobal(L, "print");

  if (a->database != NULL && is_conninfo(a->database)) {  /* the server is the engine: connect now */
    lua_getglobal(L, "zb");
    lua_getfield(L, -1, "connect");
    lua_pushstring(L, a->database);
    lua_call(L, 1, 0);
    lua_pop(L, 1);
  } else if (a->database != NULL) {  /* a file is checked at once; memory waits for first use */
    lua_getglobal(L, "zb");
    db_push_session(L);
    lua_setfield(L, -2, "db");
    lua_pop(L, 1);
  }
}

/* ---- the session ---- */

/* What every session has: Lua's libraries, the search paths, zb, arg. */
static void prepare(lua_State *L, const zb_args *a) {
  luaL_checkversion(L);
  luaL_openlibs(L);
  lua_gc(L, LUA_GCGEN, 0, 0);
  open_zb(L, a);
  create_arg_table(L, a);
}

static int l_prepare(lua_State *L) {
  prepare(L, (const zb_args *)lua_touserdata(L, 1));
  return 0;
}

lua_State *host_open(const zb_args *a) {
  lua_State *L = luaL_newstate();
  if (L == NULL) return NULL;
  lua_pushcfunction(L, l_prepare);
  lua_pushlightuserdata(L, (void *)(uintptr_t)a);
  if (chunk_report(L, lua_pcall(L, 1, 0, 0), 1) != LUA_OK) {
    lua_close(L);
    return NULL;
  }
  return L;
}

/* A safe session's two layers, before the first instruction of the script:
** zb's Lua sandbox, then the kernel's.  Says on stderr what the kernel
** could not give; with --require-kernel-sandbox that ends the session.
** (ZB_TEST_KERNEL_ONLY makes a test build without the Lua sandbox, to show
** that the kernel holds alone.) */
static int confine(lua_State *L, const zb_args *a) {
  char why[512];
  const char *state;
  int on;
#ifndef ZB_TEST_KERNEL_ONLY
  if (run_chunk(L, "require('zb.host.safe')()") != LUA_OK) return -1;
#else
  (void)L;
#endif
  (void)xlsx_open();  /* while the libraries' files may be read; without them to_xlsx */
  (void)workbook_open_libraries();  /* and read_xlsx say why */
  (void)figure_open();  /* and chart:save */
  postgresql_close_to_scripts();  /* the server given with -d, connected by now, is the only one */
  if ((on = sandbox_apply(why, sizeof why)) == SANDBOX_ALL) return 0;
  state = on == 0 ? "off" : "only partly on";
  fflush(stdout);
  if (a->require_kernel_sandbox) {
    fprintf(stderr, "zb: --require-kernel-sandbox: the kernel's sandbox is %s (%s)\n", state, why);
    return -1;
  }
  fprintf(stderr, "zb: --safe: the kernel's sandbox is %s (%s); zb's own checks still hold the script\n", state,
          why);
  return 0;
}

static int pmain(lua_State *L) {
  const zb_args *a = (const zb_args *)lua_touserdata(L, 1);
  int repl = a->interactive || (a->script == 0 && !a->has_e && !a->has_v);
  int i;
  prepare(L, a);
  if (a->mode != NULL) {  /* set before the init file, which may change it */
    lua_pushfstring(L, "zb.mode('%s')", a->mode);
    if (run_chunk(L, lua_tostring(L, -1)) != LUA_OK) {
      lua_pushinteger(L, EXIT_FAILURE);
      return 1;
    }
    lua_pop(L, 1);
  }
  if (repl && !a->no_init && !a->safe) run_init(L);  /* a safe session runs no init file */
  if (a->safe && confine(L, a) != 0) {
    lua_pushinteger(L, EXIT_FAILURE);
    return 1;
  }
  for (i = 0; i < a->nactions; i++) {
    const zb_action *act = &a->actions[i];
    int status = act->kind == 'e' ? run_chunk(L, act->text) : run_require(L, act->text);
    if (status != LUA_OK) {
      lua_pushinteger(L, failure_status(L));
      return 1;
    }
  }
  if (a->script != 0 && run_script(L, a) != LUA_OK) {
    lua_pushinteger(L, failure_status(L));
    return 1;
  }
  lua_pushinteger(L, repl ? repl_run(L, a->bail) : EXIT_SUCCESS);
  return 1;
}

/* A Lua allocator that refuses to go past a budget (--max-memory). */
typedef struct budget {
  size_t used, limit;
} budget;

static void *limited_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  budget *b = (budget *)ud;
  size_t old = ptr ? osize : 0;
  void *p;
  if (nsize == 0) {
    free(ptr);
    b->used -= old;
    return NULL;
  }
  if (nsize > old && (b->used - old + nsize > b->limit || !faults_allocate(FAULTS_LUA))) return NULL;
  if ((p = realloc(ptr, nsize)) != NULL) b->used = b->used - old + nsize;
  return p;
}

static int panic(lua_State *L) {
  const char *msg = lua_tostring(L, -1);
  fprintf(stderr, "zb: unprotected error: %s\n", msg ? msg : "(not a string)");
  return 0;
}

/* The safe mode's defaults: a minute a chunk, a gigabyte each for Lua and SQLite. */
#define SAFE_SECONDS 60
#define SAFE_MEGABYTES 1024

int host_main(zb_args *args) {
  budget lua_budget = {0, 0};  /* outlives L: close_state comes before the return */
  lua_State *L;
  int status, code;
  if (args->safe && args->timeout == 0) args->timeout = SAFE_SECONDS;
  if (args->safe && args->max_memory == 0) args->max_memory = SAFE_MEGABYTES;
  if (faults_from_env() || args->max_memory > 0) {  /* SQLite's heap limit needs its memory statistics */
    lua_budget.limit = args->max_memory > 0 ? (size_t)(args->max_memory * 1048576.0) : (size_t)-1;
    if (args->max_memory > 0) sqlite3_hard_heap_limit64((sqlite3_int64)lua_budget.limit);
    L = lua_newstate(limited_alloc, &lua_budget);
    if (L != NULL) lua_atpanic(L, panic);
  } else {
    /* No memory statistics: they take a global mutex on every allocation. */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    L = luaL_newstate();
  }
  if (L == NULL) {
    fprintf(stderr, "zb: cannot create the Lua state: not enough memory\n");
    return EXIT_FAILURE;
  }
  lua_pushcfunction(L, pmain);
  lua_pushlightuserdata(L, args);
  status = lua_pcall(L, 1, 1, 0);
  if (status == LUA_OK) code = (int)lua_tointeger(L, -1);
  else {
    chunk_report(L, status, 1);
    code = EXIT_FAILURE;
  }
  return exit_status(code, close_state(L));
}
