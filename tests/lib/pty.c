/*
** pty.c: a Lua module for the REPL tests: run a program on a pseudo-terminal,
** type at it, and wait for what it prints.
**
**   local p = pty.spawn({"./zb", "-n"}, {HOME = "/tmp/h"})  -- argv, extra env
**   p:send("1 + 1\r")
**   local seen = p:expect("zb> ", 10)  -- text up to the match, or nil, all so far
**   p:wait(10)                          -- exit status (128+N after signal N), or nil
**   p:close()                           -- kill if still running
*/
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lua.h"
#include "lauxlib.h"

#define PTY_PROCESS "pty.Process"

typedef struct process {
  pid_t pid;       /* 0 once reaped */
  int master;      /* -1 once closed */
  int status;      /* exit status once reaped */
  char *buf;       /* output not yet matched */
  size_t len, cap;
} process;

static process *check_process(lua_State *L) {
  return (process *)luaL_checkudata(L, 1, PTY_PROCESS);
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Read what is available within timeout seconds; 0 at EOF, -1 on timeout. */
static int fill(process *p, double timeout) {
  struct pollfd pfd;
  ssize_t n;
  int ready;
  if (p->master < 0) return 0;
  pfd.fd = p->master;
  pfd.events = POLLIN;
  pfd.revents = 0;
  ready = poll(&pfd, 1, timeout < 0 ? 0 : (int)(timeout * 1000));
  if (ready < 0) return errno == EINTR ? -1 : 0;
  if (ready == 0) return -1;
  if (p->cap - p->len < 4096) {
    size_t cap = p->cap * 2 + 4096;
    char *grown = (char *)realloc(p->buf, cap);
    if (grown == NULL) return 0;
    p->buf = grown;
    p->cap = cap;
  }
  n = read(p->master, p->buf + p->len, p->cap - p->len);
  if (n <= 0) return 0;  /* EIO: the child closed the terminal */
  p->len += (size_t)n;
  return 1;
}

static int l_spawn(lua_State *L) {
  int i, argc, master;
  char **argv;
  struct winsize ws = {24, 80, 0, 0};
  process *p;
  pid_t pid;
  luaL_checktype(L, 1, LUA_TTABLE);
  argc = (int)lua_rawlen(L, 1);
  luaL_argcheck(L, argc > 0, 1, "empty argv");
  for (i = 1; i <= argc; i++) {
    lua_rawgeti(L, 1, i);
    luaL_checkstring(L, -1);
    lua_pop(L, 1);
  }
  p = (process *)lua_newuserdatauv(L, sizeof *p, 0);
  memset(p, 0, sizeof *p);
  p->master = -1;
  luaL_setmetatable(L, PTY_PROCESS);
  pid = forkpty(&master, NULL, NULL, &ws);
  if (pid < 0) return luaL_error(L, "forkpty: %s", strerror(errno));
  if (pid == 0) {
    if (lua_istable(L, 2)) {
      lua_pushnil(L);
      while (lua_next(L, 2)) {
        if (lua_type(L, -2) == LUA_TSTRING && lua_type(L, -1) == LUA_TSTRING)
          setenv(lua_tostring(L, -2), lua_tostring(L, -1), 1);
        lua_pop(L, 1);
      }
    }
    argv = (char **)calloc((size_t)argc + 1, sizeof *argv);
    for (i = 0; argv != NULL && i < argc; i++) {
      lua_rawgeti(L, 1, i + 1);
      argv[i] = strdup(lua_tostring(L, -1));
    }
    if (argv != NULL) execvp(argv[0], argv);
    _exit(127);
  }
  p->pid = pid;
  p->master = master;
  return 1;
}

static int l_send(lua_State *L) {
  process *p = check_process(L);
  size_t len;
  const char *s = luaL_checklstring(L, 2, &len);
  while (len > 0 && p->master >= 0) {
    ssize_t n = write(p->master, s, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return luaL_error(L, "write to terminal: %s", strerror(errno));
    s += n;
    len -= (size_t)n;
  }
  return 0;
}

static int l_expect(lua_State *L) {
  process *p = check_process(L);
  size_t nlen;
  const char *needle = luaL_checklstring(L, 2, &nlen);
  double deadline = now() + luaL_optnumber(L, 3, 10);
  for (;;) {
    char *hit = p->len >= nlen ? (char *)memmem(p->buf, p->len, needle, nlen) : NULL;
    if (hit != NULL) {
      size_t used = (size_t)(hit - p->buf) + nlen;
      lua_pushlstring(L, p->buf, used);
      memmove(p->buf, p->buf + used, p->len - used);
      p->len -= used;
      return 1;
    }
    int got = fill(p, deadline - now());
    if (got > 0 || (got < 0 && now() < deadline)) continue;
    lua_pushnil(L);  /* the child ended, or time ran out */
    lua_pushlstring(L, p->buf ? p->buf : "", p->len);
    return 2;
  }
}

/* Everything printed until now (and within wait seconds), without matching. */
static int l_drain(lua_State *L) {
  process *p = check_process(L);
  double deadline = now() + luaL_optnumber(L, 2, 0);
  while (fill(p, deadline - now()) > 0) {}
  lua_pushlstring(L, p->buf ? p->buf : "", p->len);
  p->len = 0;
  return 1;
}

static int l_wait(lua_State *L) {
  process *p = check_process(L);
  double deadline = now() + luaL_optnumber(L, 2, 10);
  while (p->pid != 0) {
    int status;
    pid_t r = waitpid(p->pid, &status, WNOHANG);
    if (r == p->pid) {
      p->pid = 0;
      p->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      break;
    }
    if (now() >= deadline) return 0;
    if (fill(p, 0.05) == 0) {  /* terminal closed: nothing to drain, just wait */
      struct timespec pause = {0, 10 * 1000 * 1000};
      nanosleep(&pause, NULL);
    }
  }
  lua_pushinteger(L, p->status);
  return 1;
}

static int l_close(lua_State *L) {
  process *p = check_process(L);
  if (p->pid != 0) {
    kill(p->pid, SIGKILL);
    waitpid(p->pid, NULL, 0);
    p->pid = 0;
  }
  if (p->master >= 0) close(p->master);
  p->master = -1;
  free(p->buf);
  p->buf = NULL;
  p->len = p->cap = 0;
  return 0;
}

static const luaL_Reg process_methods[] = {
  {"send", l_send},
  {"expect", l_expect},
  {"drain", l_drain},
  {"wait", l_wait},
  {"close", l_close},
  {NULL, NULL}
};

static const luaL_Reg pty_functions[] = {
  {"spawn", l_spawn},
  {NULL, NULL}
};

int luaopen_pty(lua_State *L);

int luaopen_pty(lua_State *L) {
  luaL_newmetatable(L, PTY_PROCESS);
  luaL_newlib(L, process_methods);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, l_close);
  lua_setfield(L, -2, "__gc");
  lua_pushcfunction(L, l_close);
  lua_setfield(L, -2, "__close");
  lua_pop(L, 1);
  luaL_newlib(L, pty_functions);
  return 1;
}
