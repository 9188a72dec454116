/*
** db.h: the SQLite bridge: database handles, statements, zb.sql.
*/
#ifndef ZB_DB_H
#define ZB_DB_H

#include <sqlite3.h>
#include "lua.h"

/* Open the database at path (NULL: in memory), guarded (safety_guard), with
** zb's SQL functions, and push its zb.Database handle; raises on failure. */
void db_push_open(lua_State *L, const char *path);

/* The SQLite handle of the zb.Database at idx (NULL when closed). */
sqlite3 *db_handle(lua_State *L, int idx);

/* Close the zb.Database at idx now (again: nothing), its statements
** finalized first; the Lua functions SQLite held for it are let go. */
void db_close(lua_State *L, int idx);

/* Push the session database, opening it (and letting Ctrl-C interrupt it)
** on first use; raises if it cannot be opened.  Session start-up's, in
** session.c; declared here for the loaders that include only this header
** (csv.c). */
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

/* The queries tables compile to.  zb.core.rows: the rows of sql (a string
** at sql_idx) with params (a table at params_idx, params[1..params.n]
** bound) on the database at db_idx, for a generic for: pushes the
** iterator, nil, nil and the closing value (the statement, finalized when
** the loop ends however it ends), and returns 4.  Each step yields a
** zb.Row; memory stays constant.  The value at alive_idx (a table's Lua
** functions, which the SQL calls) lives as long as the iterator. */
int db_push_rows(lua_State *L, int db_idx, int sql_idx, int params_idx, int alive_idx);

/* zb.core.columns: for sql (a string at sql_idx) on the database at db_idx,
** its first statement's column names (an array), whether it only reads,
** whether another statement follows it, how many parameters it has,
** whether a ';' ends it, the columns' declared types (an array; "" for an
** expression's) and their origins (an array: {database, table, column}
** for a table's column passed through unchanged, else false); or nil and
** SQLite's message.  Returns how many it pushed (7 or 2).  A table checks
** its SQL with it when it is made. */
int db_push_columns(lua_State *L, int db_idx, int sql_idx);

/* Run sql, an INSERT of n parameters (n = #lists, the table at lists_idx),
** once for each entry of order (the table at order_idx: row positions),
** binding lists[c][row] to parameter c (nil as NULL; a list may be a
** zb.Vector, whose doubles are bound as they are), on the database at
** db_idx: prepared once, where an INSERT of many rows' parameters would be
** parsed again for every batch.  Raises on error; returns 0. */
int db_insert_columns(lua_State *L, int db_idx, int sql_idx, int lists_idx, int order_idx);

/* Run sql (a string at sql_idx) with params (as db_push_rows binds them)
** on the database at db_idx, calling visit(L, stmt, ud) for each row; it
** may push values, which stay above a closed slot where the statement was
** (its pointers into stmt last until it returns).  Raises with SQLite's
** message and the SQL; returns the result's number of columns. */
typedef void (*db_row_visitor)(lua_State *L, sqlite3_stmt *stmt, void *ud);
int db_each_row(lua_State *L, int db_idx, int sql_idx, int params_idx, db_row_visitor visit, void *ud);

/* zb.core.read_columns: the rows of sql (a string at sql_idx) with params
** (as db_push_rows binds them) on the database at db_idx, read whole, a
** column at a time: pushes {list, list, ..., n = rows}, a list of each
** column's values by row (nil for NULL), then a list of whether each
** column holds only integers, finite reals and NULLs, and returns 2.  For
** code that works on columns (composite indices): no row objects, no
** lookups by name, and lists whose holes stay in their array parts.
** rows: how many rows are expected (0: not known), so that each list is
** made at its size rather than grown by copies.  From column vectors_from
** on (0 for the first), a column of numbers (integers within 2^53, finite
** reals, NULLs) comes as a zb.Vector (vector.h) rather than a list. */
int db_read_columns(lua_State *L, int db_idx, int sql_idx, int params_idx, lua_Integer rows, int vectors_from);

/* Register the zb.Database, zb.Statement and zb.Savepoint metatables. */
void db_open_library(lua_State *L);

#endif
