/*
** probe.c: a Lua C module for tests/lua/safe.lua, loaded by a script in
** zb's kernel-only test build: what a script that reached C could try.
** probe.socket() opens a TCP socket, probe.fork() makes a process,
** probe.type_into_terminal() pushes a key into standard input's terminal
** (TIOCSTI), probe.chmod(path) makes a file writable by all,
** probe.renice_parent() lowers the priority of the process that ran zb,
** probe.renice_group() sets its process group's (to what it is);
** each returns true, or nil and the system's message.  And for the suite itself:
** probe.without_landlock(command) runs a shell command as on a kernel
** without Landlock (its system calls answer ENOSYS) and returns its status.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <seccomp.h>

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

static int l_type_into_terminal(lua_State *L) {
  char key = '\n';
  return result(L, ioctl(0, TIOCSTI, &key) == 0);
}

static int l_chmod(lua_State *L) {
  return result(L, chmod(luaL_checkstring(L, 1), 0666) == 0);
}

static int l_renice_parent(lua_State *L) {
  pid_t parent = getppid();
  errno = 0;
  int now = getpriority(PRIO_PROCESS, (id_t)parent);
  return result(L, errno == 0 && setpriority(PRIO_PROCESS, (id_t)parent, now < 19 ? now + 1 : now) == 0);
}

static int l_renice_group(lua_State *L) {
  errno = 0;
  int now = getpriority(PRIO_PGRP, 0);
  return result(L, errno == 0 && setpriority(PRIO_PGRP, 0, now) == 0);
}

static int l_without_landlock(lua_State *L) {
  static const char *const calls[] = {"landlock_create_ruleset", "landlock_add_rule", "landlock_restrict_self"};
  const char *command = luaL_checkstring(L, 1);
  int status;
  pid_t pid = fork();
  if (pid == 0) {
    scmp_filter_ctx filter = seccomp_init(SCMP_ACT_ALLOW);
    for (size_t i = 0; filter && i < sizeof calls / sizeof *calls; i++)
      seccomp_rule_add(filter, SCMP_ACT_ERRNO(ENOSYS), seccomp_syscall_resolve_name(calls[i]), 0);
    if (filter == NULL || seccomp_load(filter) != 0) _exit(126);
    execl("/bin/sh", "sh", "-c", command, (char *)NULL);
    _exit(127);
  }
  if (pid < 0 || waitpid(pid, &status, 0) != pid) return result(L, 0);
  lua_pushinteger(L, WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
  return 1;
}

int luaopen_probe(lua_State *L) {
  static const luaL_Reg functions[] = {
    {"socket", l_socket}, {"fork", l_fork}, {"type_into_terminal", l_type_into_terminal}, {"chmod", l_chmod},
    {"renice_parent", l_renice_parent}, {"renice_group", l_renice_group}, {"without_landlock", l_without_landlock}, {NULL, NULL},
  };
  luaL_newlib(L, functions);
  return 1;
}
