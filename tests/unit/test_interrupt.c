/*
** test_interrupt.c: SIGINT stops Lua code and SQLite queries, and only
** records itself while the REPL waits at its prompt.
*/
#include <signal.h>
#include <string.h>

#include <sqlite3.h>
#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"

#include "interrupt.h"
#include "unit.h"
#include "zb.h"

static int l_sigint(lua_State *L) {
  (void)L;
  raise(SIGINT);
  return 0;
}

static int sigint_once(void *flag) {
  if (!*(int *)flag) {
    *(int *)flag = 1;
    raise(SIGINT);
  }
  return 0;
}

int main(void) {
  lua_State *L = luaL_newstate();
  sqlite3 *db = NULL;
  int status, raised = 0;
  luaL_openlibs(L);
  lua_register(L, "sigint", l_sigint);
  interrupt_watch(L);

  status = luaL_dostring(L, "local n = 0 while true do n = n + 1 if n == 1000 then sigint() end end");
  CHECK(status != LUA_OK, "SIGINT stops an endless Lua loop");
  CHECK_STR(lua_tostring(L, -1), ZB_INTERRUPTED, "the error is 'interrupted'");
  lua_pop(L, 1);
  CHECK(interrupt_take(L) == 1, "the interrupt is recorded");
  CHECK(interrupt_take(L) == 0, "and taken once");
  CHECK(luaL_dostring(L, "x = 0 for i = 1, 100000 do x = x + i end") == LUA_OK,
        "after it is taken, Lua runs normally");

  interrupt_track_coroutines(L);
  status = luaL_dostring(L, "local co = coroutine.wrap(function() local n = 0 "
                            "while true do n = n + 1 if n == 1000 then sigint() end end end) co()");
  CHECK(status != LUA_OK, "SIGINT stops a loop inside coroutine.wrap");
  CHECK(strstr(lua_tostring(L, -1), ZB_INTERRUPTED) != NULL, "... with 'interrupted'");
  lua_pop(L, 1);
  interrupt_take(L);
  status = luaL_dostring(L, "local co = coroutine.create(function() local n = 0 "
                            "while true do n = n + 1 if n == 1000 then sigint() end end end) "
                            "local ok, err = coroutine.resume(co) error(err, 0)");
  CHECK(status != LUA_OK && strcmp(lua_tostring(L, -1), ZB_INTERRUPTED) == 0,
        "SIGINT stops a loop inside coroutine.resume");
  lua_pop(L, 1);
  interrupt_take(L);
  status = luaL_dostring(L, "local gen = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end end) "
                            "local s = 0 for v in gen do s = s + v end assert(s == 6) "
                            "local co = coroutine.create(function(a) return a * 2 end) "
                            "local ok, v = coroutine.resume(co, 21) assert(ok and v == 42)");
  CHECK(status == LUA_OK, "tracked coroutines still yield, resume and return as Lua's do");
  status = luaL_dostring(L, "local f = coroutine.wrap(function() error('inside') end) f()");
  CHECK(status != LUA_OK && strstr(lua_tostring(L, -1), "inside") != NULL,
        "an error inside a wrapped coroutine propagates");
  lua_pop(L, 1);

  interrupt_set_idle(1);
  status = luaL_dostring(L, "sigint() y = 0 for i = 1, 100000 do y = y + i end");
  CHECK(status == LUA_OK, "while idle, SIGINT does not stop Lua");
  CHECK(interrupt_take(L) == 1, "but it is recorded for the prompt to see");
  interrupt_set_idle(0);

  sqlite3_open(":memory:", &db);
  interrupt_watch_db(db);
  sqlite3_progress_handler(db, 1000, sigint_once, &raised);
  status = sqlite3_exec(db, "with recursive c(i) as (select 1 union all select i + 1 from c) "
                            "select count(*) from c", NULL, NULL, NULL);
  CHECK(status == SQLITE_INTERRUPT, "SIGINT interrupts a running SQLite query");
  interrupt_take(L);
  sqlite3_progress_handler(db, 0, NULL, NULL);
  CHECK(sqlite3_exec(db, "select 1", NULL, NULL, NULL) == SQLITE_OK, "the next query runs");
  interrupt_forget_db(db);
  sqlite3_close(db);

  interrupt_unwatch();
  lua_close(L);
  return unit_done();
}
