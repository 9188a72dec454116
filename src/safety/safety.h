/*
** safety.h: what keeps SQL from reaching past the session, in one place
** for a reviewer.  Three rules:
**   - every connection zb opens is hardened against an untrusted file
**     (safety_harden), schema.c's own included;
**   - a safe session (--safe) holds SQL to the paths policy (paths.h):
**     ATTACH and VACUUM INTO name allowed files only, a few PRAGMAs are
**     refused, and SQLite opens, deletes and looks for files only where
**     the policy allows, checked as it opens them (safety_restrict);
**   - no file whose schema calls one of zb's functions (metrics,
**     aggregates, zb_lua) stays open beside them: SQLite would run Lua
**     on the rows it writes (schema.h says how a schema is read).
** db.c calls safety_guard on each connection it opens and
** safety_after_step after each statement; session.c and core.c check
** files and function names before they meet.
*/
#ifndef ZB_SAFETY_H
#define ZB_SAFETY_H

#include <stddef.h>

#include <sqlite3.h>
#include "lua.h"

/* Harden db: defensive mode, trusted_schema off, no extensions, no
** pointer-taking fts3_tokenizer.  An untrusted file may then not run code
** through its schema or write where SQLite's own files do not go. */
void safety_harden(sqlite3 *db);

/* What a connection's guard knows of the files open on it. */
typedef struct safety_files {
  int attach_prepared;  /* an ATTACH was prepared: from then on, steps look for new files */
  int checked;          /* databases checked so far: main, temp, then the attached in order */
} safety_files;

/* Set up a connection just opened: hardened; in a safe session its
** temporary tables in memory (where --max-memory holds them); the
** authorizer that refuses what safe mode refuses and notes an ATTACH in
** files (which must live as long as db); its databases so far counted as
** checked (the session checks main once zb's functions exist).  Returns
** SQLite's code. */
int safety_guard(sqlite3 *db, safety_files *files);

/* After a statement stepped on db (outside SQLite's frames): a file it
** attached whose schema calls one of zb's functions is detached again,
** and this raises why.  Inline: it runs after every step, and does its
** work (safety_refuse_attached) only once an ATTACH was prepared. */
void safety_refuse_attached(lua_State *L, sqlite3 *db, safety_files *files);
static inline void safety_after_step(lua_State *L, sqlite3 *db, safety_files *files) {
  if (files->attach_prepared) safety_refuse_attached(L, db, files);
}

/* Whether a file open on db calls one of db's functions (zb's) from its
** schema, read through db; if one does (or its schema cannot be read),
** pushes why, detaches it unless it is main, and returns 1.  Returns 0,
** nothing pushed, when none does.  The session runs it once, after the
** analysis library has defined its functions. */
int safety_push_schema_refusal(lua_State *L, sqlite3 *db);

/* Before the SQL function name is defined on db: raises if a file open
** on db calls name from its schema (or cannot be read), as a CHECK
** constraint or index would run it on the rows it writes. */
void safety_refuse_definition(lua_State *L, sqlite3 *db, const char *name);

/* Push db's error message, saying the rule where SQLite's own words for a
** schema that calls zb's functions ("malformed database schema") mislead;
** returns it. */
const char *safety_push_errmsg(lua_State *L, sqlite3 *db);

/* Why the authorizer or the safe VFS last refused (SQLITE_AUTH): pushes
** "not authorized: ..." and forgets it, returning 1; 0, nothing pushed,
** when neither did (SQLite's own words say it then). */
int safety_push_refusal(lua_State *L);

/* Safe mode, once the paths policy is set (paths_allow*): from now on,
** connections safety_guard sets up refuse what safe mode refuses, and
** SQLite opens, deletes and looks for files only where the policy allows
** (a VFS of zb's made the default).  Returns SQLITE_OK, or SQLite's code
** when the VFS could not be installed. */
int safety_restrict(void);

/* The file a database name gives SQLite: name itself, or a file: URI's
** path (in path, of size bytes), with *read_only set for mode=ro; NULL for
** a URI a safe session cannot check (a '#', % escapes, a parameter other
** than one mode=). */
const char *safety_file_of(const char *name, char *path, size_t size, int *read_only);

#endif
