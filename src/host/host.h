/*
** host.h: the Lua state of a zb session: libraries, search paths, the zb
** table, the session database, and running chunks with error reports.
*/
#ifndef ZB_HOST_H
#define ZB_HOST_H

#include "lua.h"

/* A -e CHUNK or -l MOD, run in command-line order. */
typedef struct zb_action {
  char kind;            /* 'e' or 'l' */
  const char *text;
} zb_action;

/* The command line, as main parsed it. */
typedef struct zb_args {
  zb_action *actions;
  int nactions;
  int argc;
  char **argv;
  int script;           /* argv index of the script ("-": stdin), 0 when none */
  int has_e;            /* some -e was given */
  int has_v;            /* -v: the versions were printed */
  int interactive;      /* -i */
  int no_init;          /* -n */
  int bail;             /* --bail */
  const char *database; /* -d FILE, NULL for memory */
  const char *mode;     /* --csv, --json, --markdown: how tables print */
  double timeout;       /* --timeout SECONDS for each chunk, 0 for none */
  double max_memory;    /* --max-memory MB for Lua and for SQLite each, 0 for none */
  int safe;             /* --safe: an untrusted script */
  int require_kernel_sandbox;  /* --require-kernel-sandbox: no --safe without Landlock and seccomp */
  const char **allow;   /* --allow DIR: directories a safe script may write */
  int nallow;
} zb_args;

/* Run a whole session; returns the process exit status. */
int host_main(zb_args *args);

/* A session's Lua state, ready but running nothing (for test harnesses and
** fuzzers); NULL after reporting why not.  a must outlive it. */
lua_State *host_open(const zb_args *a);

#endif
