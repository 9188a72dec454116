/*
** probe.c: a Lua C module for tests/lua/safe.lua, loaded by a script in
** zb's kernel-only test build: what a script that reached C could try.
** probe.socket() opens a TCP socket, probe.fork() makes a process; each
** returns true, or nil and the system's message.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lua.h"
#include "lauxlib.h"

int luaopen_probe(lua_State *L);

static int result(lua_State *L, int ok) {
  if (ok) {
    lua_pushboolean(L, 1);
    return 1;
  }
  luaL_pushfail(L);
  lua_pushstring(L, strerror(errno));
  return 2;
}

static int l_socket(lua_State *L) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd >= 0) close(fd);
  return result(L, fd >= 0);
}

static int l_fork(lua_State *L) {
  pid_t pid = fork();
  if (pid == 0) _exit(0);
  if (pid > 0) waitpid(pid, NULL, 0);
  return result(L, pid > 0);
}

int luaopen_probe(lua_State *L) {
  static const luaL_Reg functions[] = {{"socket", l_socket}, {"fork", l_fork}, {NULL, NULL}};
  luaL_newlib(L, functions);
  return 1;
}
