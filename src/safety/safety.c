/*
** safety.c: the rules that keep SQL from reaching past the session (see
** safety.h): hardening, safe mode's authorizer and VFS, and the refusal
** of files whose schema calls zb's functions.  Everything a reviewer of
** zb's SQLite side needs is here; paths.c says which files a safe session
** may touch, schema.c reads a schema.
*/
#include <string.h>

#include "lua.h"
#include "lauxlib.h"

#include "error.h"
#include "paths.h"
#include "safety.h"
#include "schema.h"

#define SCHEMA_RULE "zb's functions (metrics, aggregates) may not run from a file's schema"

void safety_harden(sqlite3 *db) {
  sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)0);
  sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, (int *)0);
  sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)0);
  sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER, 0, (int *)0);  /* it takes a pointer */
}

/* ---- safe mode: what SQL may reach outside the session ---- */

/* Why the authorizer or the VFS last said no.  File-scope: the VFS writes
** it, and SQLite calls a VFS with no connection (nor session) at hand. */
static char refusal[512];

int safety_push_refusal(lua_State *L) {
  if (refusal[0] == '\0') return 0;
  lua_pushfstring(L, "not authorized: %s", refusal);
  refusal[0] = '\0';
  return 1;
}

const char *safety_file_of(const char *name, char *path, size_t size, int *read_only) {
  const char *query;
  size_t len;
  *read_only = 0;
  if (strncmp(name, "file:", 5) != 0) return name;
  name += 5;
  if (strchr(name, '#') != NULL) return NULL;  /* SQLite ends the URI there, a check would not */
  if ((query = strchr(name, '?')) != NULL) {
    /* mode= only, once (read-only when ro): the other parameters reach
    ** other files (modeof=) or change how this one is read (vfs=, immutable=) */
    const char *p = query + 1;
    int modes = 0;
    while (*p) {
      size_t n = strcspn(p, "&");
      if (n >= 5 && strncmp(p, "mode=", 5) == 0) {
        modes++;
        *read_only = n == 7 && strncmp(p + 5, "ro", 2) == 0;
      } else if (n > 0) {
        return NULL;
      }
      p += n + (p[n] == '&');
    }
    if (modes > 1) return NULL;
  }
  len = query ? (size_t)(query - name) : strlen(name);
  if (len == 0 || len >= size || memchr(name, '%', len)) return NULL;  /* no escapes to decode */
  memcpy(path, name, len);
  path[len] = '\0';
  return path;
}

/* Whether an ATTACH (or VACUUM INTO) may name this file. */
static int attach_allowed(const char *name) {
  char path[4096];
  const char *file;
  int read_only;
  if (name == NULL) return 0;  /* an expression or a parameter: no name to check */
  if (name[0] == '\0' || strcmp(name, ":memory:") == 0) return 1;
  file = safety_file_of(name, path, sizeof path, &read_only);
  return file != NULL && paths_allowed(file, !read_only);
}

/* Every connection's authorizer (files: its safety_files). */
static int authorize(void *files, int action, const char *a, const char *b, const char *schema, const char *trigger) {
  (void)schema, (void)trigger;
  if (action == SQLITE_ATTACH) ((safety_files *)files)->attach_prepared = 1;
  /* it hands out and takes raw pointers ("not authorized to use function") */
  if (action == SQLITE_FUNCTION && b != NULL && sqlite3_stricmp(b, "fts3_tokenizer") == 0) {
    refusal[0] = '\0';  /* SQLite's own words say it */
    return SQLITE_DENY;
  }
  if (!paths_restricted()) return SQLITE_OK;
  if (action == SQLITE_ATTACH && !attach_allowed(a)) {
    snprintf(refusal, sizeof refusal, "%s is outside the directories this safe session may use",
             a ? a : "a file named by an expression");
    return SQLITE_DENY;
  }
  if (action == SQLITE_PRAGMA && a && (sqlite3_stricmp(a, "temp_store_directory") == 0 ||
                                       sqlite3_stricmp(a, "data_store_directory") == 0 ||
                                       (b != NULL && (sqlite3_stricmp(a, "temp_store") == 0 ||
                                                      sqlite3_stricmp(a, "trusted_schema") == 0)))) {
    snprintf(refusal, sizeof refusal, "PRAGMA %s is not allowed in a safe session", a);
    return SQLITE_DENY;
  }
  return SQLITE_OK;
}

/*
** The safe session's VFS: SQLite's own, but that every file it opens,
** deletes or asks about is held to the paths policy at that moment, with
** the path resolved then (links followed).  The authorizer's check of an
** ATTACH is made when the statement is prepared; the file opens when it is
** stepped, and script code can run between (a metric in AS, a named
** parameter's __index) and move links.  Temporary files have no name.
*/
static sqlite3_vfs *os_vfs;   /* SQLite keeps a registered VFS for the process: */
static sqlite3_vfs safe_vfs;  /* it outlives every session, so it is file-scope */

static int vfs_refuse(const char *path, int write) {
  size_t len = strlen(path);
  int beside = 0;
  for (const char *const *c = paths_companions; *c; c++)
    beside |= len > strlen(*c) && strcmp(path + len - strlen(*c), *c) == 0;
  snprintf(refusal, sizeof refusal, "%s is %s%s", path, paths_why_not(path, write),
           beside ? " (SQLite makes it beside a database it opens: copy the database under an --allow directory)"
                  : "");
  return SQLITE_AUTH;
}

static int safe_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *file, int flags, int *out_flags) {
  int write = (flags & (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)) != 0;
  (void)vfs;
  file->pMethods = NULL;  /* SQLite closes a file that failed to open only if it has methods */
  if (name != NULL && !paths_allowed(name, write)) return vfs_refuse(name, write);
  return os_vfs->xOpen(os_vfs, name, file, flags, out_flags);
}

static int safe_delete(sqlite3_vfs *vfs, const char *name, int sync_dir) {
  (void)vfs;
  /* no refusal text: SQLite may pass over a failed delete, and the text
  ** would then be taken for a later error's */
  if (!paths_allowed(name, 1)) return SQLITE_IOERR_DELETE;
  return os_vfs->xDelete(os_vfs, name, sync_dir);
}

static int safe_access(sqlite3_vfs *vfs, const char *name, int flags, int *out) {
  (void)vfs;
  if (!paths_allowed(name, flags == SQLITE_ACCESS_READWRITE)) {  /* as if it were not there */
    *out = 0;
    return SQLITE_OK;
  }
  return os_vfs->xAccess(os_vfs, name, flags, out);
}

/* Wrap the default VFS (once) and make the wrapper the default. */
static int install_safe_vfs(void) {
  if (os_vfs != NULL) return SQLITE_OK;
  if ((os_vfs = sqlite3_vfs_find(NULL)) == NULL) return SQLITE_ERROR;
  safe_vfs = *os_vfs;
  safe_vfs.zName = "zb-safe";
  safe_vfs.pNext = NULL;
  safe_vfs.xOpen = safe_open;
  safe_vfs.xDelete = safe_delete;
  safe_vfs.xAccess = safe_access;
  return sqlite3_vfs_register(&safe_vfs, 1);
}

int safety_restrict(void) {
  return install_safe_vfs();
}

/* main, temp and the attached databases */
static int count_databases(sqlite3 *db) {
  int n = 0;
  while (sqlite3_db_name(db, n) != NULL) n++;
  return n;
}

int safety_guard(sqlite3 *db, safety_files *files) {
  int rc = SQLITE_OK;
  safety_harden(db);
  /* a safe session's temporary tables in memory, where --max-memory holds them */
  if (paths_restricted()) rc = sqlite3_exec(db, "PRAGMA temp_store=MEMORY", NULL, NULL, NULL);
  files->attach_prepared = 0;
  files->checked = count_databases(db);
  sqlite3_set_authorizer(db, authorize, files);
  return rc;
}

/* ---- files whose schema calls zb's functions ---- */

const char *safety_push_errmsg(lua_State *L, sqlite3 *db) {
  const char *msg = sqlite3_errmsg(db);
  /* SQLite calls a schema that uses one of zb's functions "malformed" */
  if (strncmp(msg, "malformed database schema (", 27) == 0 &&
      (strstr(msg, "unsafe use of ") != NULL || strstr(msg, "non-deterministic functions prohibited") != NULL))
    return lua_pushfstring(L, "%s; " SCHEMA_RULE, msg);
  return lua_pushstring(L, msg);
}

/* Whether a database file open on db (schema, or NULL: any) calls one of
** db's functions from its schema; if so, pushes why and detaches it (but
** main).  Returns 1 then, and 0 with nothing pushed when none does. */
static int push_schema_refusal(lua_State *L, sqlite3 *db, const char *schema, int how) {
  schema_call call;
  int verdict = schema != NULL ? schema_calls(db, schema, NULL, how, safety_harden, &call)
                               : schema_calls_in_files(db, NULL, how, safety_harden, &call);
  if (verdict == 0) return 0;
  if (verdict > 0) lua_pushfstring(L, "%s of %s calls %s(); " SCHEMA_RULE, call.object, call.path, call.function);
  else lua_pushfstring(L, "cannot read the schema of %s: %s", call.path, call.why);
  if (strcmp(call.schema, "main") != 0) {
    char *detach = sqlite3_mprintf("DETACH DATABASE \"%w\"", call.schema);
    if (detach == NULL || sqlite3_exec(db, detach, NULL, NULL, NULL) != SQLITE_OK) {
      lua_pushfstring(L, " (and it stays attached as %s: %s)", call.schema,
                      detach ? sqlite3_errmsg(db) : "out of memory");
      lua_concat(L, 2);
    }
    sqlite3_free(detach);
  }
  return 1;
}

int safety_push_schema_refusal(lua_State *L, sqlite3 *db) {
  return push_schema_refusal(L, db, NULL, SCHEMA_THROUGH_DB);
}

/* Attached databases come last, in order: those past files->checked are
** new.  Each is read through a connection of its own, so that db holds no
** lock on a file it must detach. */
void safety_refuse_attached(lua_State *L, sqlite3 *db, safety_files *files) {
  int n = count_databases(db);
  for (; files->checked < n; files->checked++) {
    const char *schema = sqlite3_db_name(db, files->checked);
    if (sqlite3_db_filename(db, schema)[0] == '\0') continue;  /* in memory */
    if (push_schema_refusal(L, db, schema, SCHEMA_OWN_CONNECTION)) {
      files->checked = count_databases(db);
      error_raise_sql(L, lua_tostring(L, -1), NULL, 0, SQLITE_AUTH);
    }
  }
  files->checked = n;
}

void safety_refuse_definition(lua_State *L, sqlite3 *db, const char *name) {
  schema_call call;
  int verdict = schema_calls_in_files(db, name, SCHEMA_THROUGH_DB, safety_harden, &call);
  if (verdict > 0)
    luaL_error(L, "cannot define %s: %s of %s calls it; " SCHEMA_RULE, name, call.object, call.path);
  if (verdict < 0) luaL_error(L, "cannot define %s: cannot read the schema of %s: %s", name, call.path, call.why);
}
