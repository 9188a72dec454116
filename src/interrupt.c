/*
** interrupt.c: SIGINT handling shared by scripts and the REPL.
*/
#include <signal.h>
#include <string.h>

#include "lua.h"
#include "lauxlib.h"

#include "interrupt.h"
#include "zb.h"

static lua_State *watched_state;
static sqlite3 *watched_db;
static volatile sig_atomic_t pending;  /* a SIGINT arrived and was not yet taken */
static volatile sig_atomic_t idle;     /* at the prompt: there is no work to stop */

/* Runs at the next Lua call, return or instruction after a SIGINT. */
static void stop_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  lua_sethook(L, NULL, 0, 0);
  lua_pushliteral(L, ZB_INTERRUPTED);
  lua_error(L);
}

static void on_sigint(int sig) {
  (void)sig;
  pending = 1;
  if (idle) return;
  if (watched_state != NULL)
    lua_sethook(watched_state, stop_hook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
  if (watched_db != NULL)
    sqlite3_interrupt(watched_db);
}

void interrupt_watch(lua_State *L) {
  struct sigaction sa;
  watched_state = L;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigint;
  sa.sa_flags = SA_RESTART;  /* poll() at the prompt still returns EINTR */
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
}

void interrupt_watch_db(sqlite3 *db) {
  watched_db = db;
}

void interrupt_unwatch(void) {
  signal(SIGINT, SIG_DFL);
  watched_state = NULL;
  watched_db = NULL;
}

void interrupt_forget_db(sqlite3 *db) {
  if (watched_db == db) watched_db = NULL;
}

void interrupt_set_idle(int on) {
  idle = on;
}

int interrupt_take(lua_State *L) {
  sigset_t block, saved;
  int was;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigprocmask(SIG_BLOCK, &block, &saved);  /* no SIGINT between the read and the clear */
  was = pending;
  pending = 0;
  if (was) lua_sethook(L, NULL, 0, 0);
  sigprocmask(SIG_SETMASK, &saved, NULL);
  return was;
}
