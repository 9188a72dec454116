/*
** term.c: zb.terminal(), the size of the terminal standard output goes to,
** so that tables fit it.
*/
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "lua.h"
#include "lauxlib.h"

#include "term.h"

/* Columns and lines, or nothing when standard output is not a terminal. */
int term_l_size(lua_State *L) {
  struct winsize ws;
  if (!isatty(STDOUT_FILENO)) return 0;
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
    lua_pushinteger(L, ws.ws_col);
    lua_pushinteger(L, ws.ws_row > 0 ? ws.ws_row : 24);
    return 2;
  }
  {
    const char *cols = getenv("COLUMNS"), *lines = getenv("LINES");
    lua_pushinteger(L, cols && atoi(cols) > 0 ? atoi(cols) : 80);
    lua_pushinteger(L, lines && atoi(lines) > 0 ? atoi(lines) : 24);
  }
  return 2;
}
