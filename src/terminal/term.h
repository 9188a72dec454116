/*
** term.h: what the terminal is like.
*/
#ifndef ZB_TERM_H
#define ZB_TERM_H

#include "lua.h"

/* zb.terminal() -> columns, lines; nothing when stdout is not a terminal. */
int term_l_size(lua_State *L);

#endif
