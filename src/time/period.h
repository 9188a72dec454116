/*
** period.h: statistical time.  A period is a year, half-year, quarter,
** month or day, or a year-to-date span of months or quarters (NBS's
** 1-2月), read from every spelling statistics offices use; one parser
** serves SQL (period(), period_index() ... on every row, so it is C) and
** zb.period in Lua (lua/zb/analysis/period.lua, through zb.core).
*/
#ifndef ZB_PERIOD_H
#define ZB_PERIOD_H

#include <sqlite3.h>
#include "lua.h"

/* The frequency ('A', 'S', 'Q', 'M' or 'D') of the period text spells,
** or 0 when it spells none (a loader recognising a column of periods). */
char period_frequency_of(const char *text, size_t len);

/* Create the SQL functions period, period_year, period_frequency,
** period_position, period_index, period_add and period_year_ago on db. */
int period_register(sqlite3 *db);

/* zb.core.period_read(x): frequency ("A", "S", "Q", "M", "D"), year,
** position in the year (a day's day of the year) and, for a year-to-date
** span, the position it starts from (1); or nil and why x is no period. */
int period_l_read(lua_State *L);

/* zb.core.period_index(frequency, year, position): periods since year 0
** (days since 1970-01-01 for a day). */
int period_l_index(lua_State *L);

/* zb.core.period_at(frequency, index [, from]): year and position of the
** period index periods from year 0 (of a span starting at from). */
int period_l_at(lua_State *L);

/* zb.core.period_text(frequency, year, position [, from]): canonical text. */
int period_l_text(lua_State *L);

/* zb.core.period_add(frequency, year, position, from, n): year and
** position n periods on (a span moves by whole years only). */
int period_l_add(lua_State *L);

/* zb.core.period_year_ago(frequency, year, position): the same period a
** year before (a leap day's is the 28th). */
int period_l_year_ago(lua_State *L);

/* zb.core.period_per_year(frequency): periods in a year (days: 365.2425). */
int period_l_per_year(lua_State *L);

#endif
