/*
** csv.h: loading CSV files into the session database.
*/
#ifndef ZB_CSV_H
#define ZB_CSV_H

#include <sqlite3.h>

#include "lua.h"
#include "lauxlib.h"
#include "csv_reader.h"

/* zb.read_csv(path [, opts]) -> table name, rows loaded, notes, columns
** of periods, where the rows are in the file (runs: first row, its line ...) */
int csv_read(lua_State *L);

/* zb.core.missing_number(text): whether text spells a missing value in a
** column of numbers ('', 'NA', 'N/A', '…' ...), so that read_json reads
** them as read_csv does. */
int csv_missing_number(lua_State *L);

/* Whether s[0..len) spells a missing value in a column of numbers, as
** zb.core.missing_number says. */
int csv_spells_missing(const char *s, size_t len);

/* zb.core.to_gb18030(s) -> s as GB18030, for writing files in it; raises
** at bytes it cannot convert. */
int csv_to_gb18030(lua_State *L);

/* Add s[0..len) to b as an SQL name, in double quotes (doubled inside). */
void csv_add_quoted(luaL_Buffer *b, const char *s, size_t len);

/* CREATE TABLE table (SQL text: a quoted name) with ncols columns, named
** by the list at stack index names, of types (CSV_NONE ... CSV_TEXT);
** dropping one of that name first when replace. */
void csv_create_table(lua_State *L, int db, const char *table, int names, const int *types, int ncols,
                      int replace);

/* Make the names in the list at idx column names, in place: an empty one
** is c<N> (N its place), one met before in any ASCII case gets _2, _3 ... */
void csv_unique_names(lua_State *L, int idx);

/* Fold field f into its column's type (CSV_NONE ... CSV_TEXT) and
** frequency (0 at first).  A text column whose values are all periods of
** one frequency is recognised: its frequency stays the period's until a
** value is none (or a number, which a text column keeps apart).  A missing
** value ('N/A', '…') changes neither.  Raises nothing. */
void csv_widen(const csv_values *v, const csv_field *f, int *type, char *frequency);

/* After the last csv_widen of a column: one that held no value but marks of
** missing numbers ("x", "N/A", "none" and no number) is a column of text,
** the marks its values, as written. */
void csv_settle(int *type, char *frequency);

/* Whether text s[0..len) is a key no note is: a code of digits (0575), a
** period or a date. */
int csv_is_key(const char *s, size_t len);

/* Whether a text column of frequency (as csv_widen leaves it) holds
** periods: its missing values ('N/A', '…') are NULL, as in a number's. */
int csv_is_periods(char frequency);

/* Bind field f (unescaped: f->escaped is only read) as parameter i + 1
** of insert when its column (type, frequency) makes it NULL or a number,
** and return 1; 0 when it is text, for the caller to bind.  Raises nothing. */
int csv_bind_value(sqlite3_stmt *insert, int i, const csv_values *v, int type, char frequency, const csv_field *f);

#endif
