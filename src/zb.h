/*
** zb.h: names shared by every part of the host.
*/
#ifndef ZB_H
#define ZB_H

#define ZB_VERSION "0.1.0"

/* Metatable names; luaL_newmetatable sets __name, so Lua's own messages use them. */
#define ZB_DATABASE  "zb.Database"
#define ZB_STATEMENT "zb.Statement"

/* The error value raised when the user interrupts work (Ctrl-C, SIGINT). */
#define ZB_INTERRUPTED "interrupted"

#endif
