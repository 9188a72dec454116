/*
** json.h: zb.read_json's reading of a JSON document, in C.
*/
#ifndef ZB_JSON_H
#define ZB_JSON_H

#include "lua.h"

/* zb.core.json_scan(text): the document's shape, rows and columns (their
** JSON kinds, and whether their strings all spell a missing number). */
int json_l_scan(lua_State *L);

/* zb.core.json_insert(text, sql, numbers_only): its rows inserted by sql,
** an INSERT of a parameter a column, on the session database. */
int json_l_insert(lua_State *L);

#endif
