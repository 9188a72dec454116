/*
** db.h: the SQLite bridge: database handles, statements, zb.sql.
*/
#ifndef ZB_DB_H
#define ZB_DB_H

#include <sqlite3.h>
#include "lua.h"

/* Open the database at path (NULL: in memory), hardened for untrusted files,
** and push its zb.Database handle; raises on failure. */
void db_push_open(lua_State *L, const char *path);

/* The SQLite handle of the zb.Database at idx (NULL when closed). */
sqlite3 *db_handle(lua_State *L, int idx);

/* The session database lives at path (NULL: in memory); it opens on first use. */
void db_set_session(lua_State *L, const char *path);

/* Push the session database, opening it (and letting Ctrl-C interrupt it)
** on first use; raises if it cannot be opened. */
void db_push_session(lua_State *L);

/* Prepare sql on the database at db_idx, push its statement box (marked
** to-be-closed: it is finalized however the caller ends) and return the
** statement; raises with SQLite's message and the SQL. */
sqlite3_stmt *db_push_prepared(lua_State *L, int db_idx, const char *sql);

/* Run sql, which returns no rows, on the database at db_idx; raises on error. */
void db_exec(lua_State *L, int db_idx, const char *sql);

/* Open a savepoint on the database at db_idx and push its guard (marked
** to-be-closed): unless db_release_savepoint keeps the change, closing the
** guard (on an error, say) rolls it all back. */
void db_push_savepoint(lua_State *L, int db_idx);
void db_release_savepoint(lua_State *L, int guard_idx);

/* Add rows and columns, the queries tables compile to, to the table on top. */
void db_add_core(lua_State *L);

/* Register the zb.Database, zb.Statement and zb.Savepoint metatables. */
void db_open_library(lua_State *L);

/* What every connection zb opens gets: untrusted files may not run code
** through their schema or write elsewhere (defensive mode, trusted_schema
** off, no extensions, no pointer-taking fts3_tokenizer). */
void db_harden(sqlite3 *db);

/* The file a database name gives SQLite: name itself, or a file: URI's
** path (in path, of size bytes), with *read_only set for mode=ro; NULL for
** a URI a safe session cannot check (a '#', % escapes, a parameter other
** than one mode=). */
const char *db_file_of(const char *name, char *path, size_t size, int *read_only);

/* Safe mode: databases opened from now on may ATTACH (or VACUUM INTO)
** only files the paths policy allows, and SQLite opens, deletes and looks
** for files only there, checked as it opens them (a VFS of zb's made the
** default).  Returns SQLITE_OK, or SQLite's code when the VFS could not be. */
int db_restrict(void);

#endif
