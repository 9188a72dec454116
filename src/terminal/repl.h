/*
** repl.h: the interactive loop (readline on a terminal, plain lines otherwise).
*/
#ifndef ZB_REPL_H
#define ZB_REPL_H

#include "lua.h"

/* Read, run and print until the input ends or .quit; returns the exit status.
** bail: stop at the first failing chunk of piped input. */
int repl_run(lua_State *L, int bail);

#endif
