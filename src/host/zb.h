/*
** zb.h: names shared by every part of the host.
*/
#ifndef ZB_H
#define ZB_H

#define ZB_VERSION "0.1.0"

/* Metatable names; luaL_newmetatable sets __name, so Lua's own messages use them. */
#define ZB_DATABASE  "zb.Database"
#define ZB_STATEMENT "zb.Statement"
#define ZB_INPUT     "zb.Input"      /* a file the REPL reads lines from */
#define ZB_SAVEPOINT "zb.Savepoint"  /* rolls a change back unless released */
#define ZB_FILEDATA  "zb.FileData"   /* a file's bytes, read whole by a loader */
#define ZB_CONVERTER "zb.Converter"  /* an iconv descriptor, open while text is converted */
#define ZB_ROW       "zb.Row"        /* one result row */
#define ZB_TABLE     "zb.Table"      /* a lazy relation: SQL and its parameters */
#define ZB_ERROR     "zb.Error"      /* an SQL error: message, sql, code, where */

/* The error value raised when the user interrupts work (Ctrl-C, SIGINT). */
#define ZB_INTERRUPTED "interrupted"

/* The error value raised when work runs past its time (zb.timeout, --timeout). */
#define ZB_TIMED_OUT "timed out"

/* The exit status after an interrupt, as a shell reports a process ended by SIGINT. */
#define EXIT_INTERRUPTED 130
/* The exit status after a timeout, as timeout(1) gives. */
#define EXIT_TIMED_OUT 124

#endif
