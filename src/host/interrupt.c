/*
** interrupt.c: SIGINT handling shared by scripts and the REPL.
*/
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "lua.h"
#include "lauxlib.h"

#include "interrupt.h"
#include "postgresql.h"
#include "zb.h"

/* What the signal handlers reach: file-scope, as a handler gets no
** context (lua.c keeps its state for laction the same way).  There is one
** session a process; its Lua state is only ever given a hook here. */
static lua_State *watched_state;
static lua_State *volatile running_coroutine;  /* the innermost one resumed, if any */
static sqlite3 *watched_db;
static volatile sig_atomic_t pending;  /* a SIGINT arrived and was not yet taken */
static volatile sig_atomic_t idle;     /* at the prompt: there is no work to stop */
static volatile sig_atomic_t forced;   /* a second SIGINT came before the first was taken */
static volatile sig_atomic_t timed_out; /* the armed time ran out */

const char *interrupt_message(void) {
  return timed_out ? ZB_TIMED_OUT : ZB_INTERRUPTED;
}

int interrupt_pending(void) {
  return pending && !idle;
}

int interrupt_is_stop(const char *msg) {
  return msg != NULL && (strcmp(msg, ZB_INTERRUPTED) == 0 || strcmp(msg, ZB_TIMED_OUT) == 0);
}

/* Runs at the next Lua call, return or instruction after a SIGINT.  Once
** forced, it stays and stops every instruction of the thread it is on, so
** that code catching errors with pcall cannot go on. */
static void stop_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  if (!pending) {  /* a coroutine's, left from a stop already taken */
    lua_sethook(L, NULL, 0, 0);
    return;
  }
  if (!forced) {  /* one stop for one Ctrl-C: the other thread armed lets go too */
    if (watched_state != NULL) lua_sethook(watched_state, NULL, 0, 0);
    if (running_coroutine != NULL) lua_sethook(running_coroutine, NULL, 0, 0);
    lua_sethook(L, NULL, 0, 0);
  }
  lua_pushstring(L, interrupt_message());
  lua_error(L);
}

/* Arm the hooks and interrupt the SQL: from the signal handlers only.
** Forced: on instructions only (never the error handler's call), and a
** coroutine that resumed the stopped one is armed as it gets control back
** (l_tracked_resume). */
static void stop_work(void) {
  int mask = forced ? LUA_MASKCOUNT : LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT;
  if (watched_state != NULL) lua_sethook(watched_state, stop_hook, mask, 1);
  if (running_coroutine != NULL) lua_sethook(running_coroutine, stop_hook, mask, 1);  /* hooks are per thread */
  if (watched_db != NULL)
    sqlite3_interrupt(watched_db);
  postgresql_cancel_from_signal();  /* a query on a PostgreSQL server stops there */
}

static void on_sigint(int sig) {
  (void)sig;
  if (pending && !idle) forced = 1;
  pending = 1;
  if (idle) return;
  stop_work();
}

/* Work that the stop cannot reach (a finalizer, an error handler, a long
** call into C) ends the process when the grace after the stop runs out. */
#define GRACE_SECONDS 2

static void exit_timed_out(const char *what) {
  ssize_t written = write(STDERR_FILENO, "zb: " ZB_TIMED_OUT, sizeof "zb: " ZB_TIMED_OUT - 1);
  written = write(STDERR_FILENO, what, strlen(what));
  (void)written;  /* nothing to do if stderr is gone */
  _exit(EXIT_TIMED_OUT);
}

/* The time ran out: stop as a second Ctrl-C does, so pcall cannot go on. */
static void on_alarm(int sig) {
  (void)sig;
  if (idle) return;
  if (timed_out && pending) exit_timed_out(" (the work could not be stopped)\n");
  timed_out = forced = pending = 1;
  stop_work();
  interrupt_arm(GRACE_SECONDS);
}

/* The state is closing and its finalizers ran out of time: it cannot be
** stopped and used again, so the process ends here. */
static void on_alarm_closing(int sig) {
  (void)sig;
  exit_timed_out(" (a finalizer, while the session closed)\n");
}

void interrupt_arm_closing(double seconds) {
  if (seconds <= 0) return;
  signal(SIGALRM, on_alarm_closing);
  interrupt_arm(seconds);
}

/* Whether a timer may be running: disarming none needs no system call
** (the REPL disarms after each chunk it reads from a file). */
static volatile sig_atomic_t armed;

void interrupt_arm(double seconds) {
  struct itimerval t;
  if (seconds <= 0 && !armed) return;
  armed = seconds > 0;
  memset(&t, 0, sizeof t);
  if (seconds > 0) {
    t.it_value.tv_sec = (time_t)seconds;
    t.it_value.tv_usec = (suseconds_t)((seconds - (double)t.it_value.tv_sec) * 1e6);
    if (t.it_value.tv_sec == 0 && t.it_value.tv_usec == 0) t.it_value.tv_usec = 1;
  }
  setitimer(ITIMER_REAL, &t, NULL);
}

double interrupt_left(void) {
  struct itimerval t;
  getitimer(ITIMER_REAL, &t);
  return (double)t.it_value.tv_sec + (double)t.it_value.tv_usec / 1e6;
}

void interrupt_watch(lua_State *L) {
  struct sigaction sa;
  watched_state = L;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigint;
  sa.sa_flags = SA_RESTART;  /* poll() at the prompt still returns EINTR */
  sigemptyset(&sa.sa_mask);
  sigaddset(&sa.sa_mask, SIGALRM);  /* the two handlers never interleave */
  sigaction(SIGINT, &sa, NULL);
  sa.sa_handler = on_alarm;
  sigemptyset(&sa.sa_mask);
  sigaddset(&sa.sa_mask, SIGINT);
  sigaction(SIGALRM, &sa, NULL);
}

/*
** Call the function at upvalue 1 (Lua's coroutine.resume, or a function
** made by its coroutine.wrap) with the arguments, noting the coroutine
** (upvalue 2, or argument 1) as running so that SIGINT reaches it too.
*/
static int l_tracked_resume(lua_State *L) {
  lua_State *outer = running_coroutine;
  int status, n = lua_gettop(L);
  lua_State *co = lua_tothread(L, lua_isnone(L, lua_upvalueindex(2)) ? 1 : lua_upvalueindex(2));
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  running_coroutine = co;
  status = lua_pcall(L, n, LUA_MULTRET, 0);
  running_coroutine = outer;
  if (forced && pending) lua_sethook(L, stop_hook, LUA_MASKCOUNT, 1);  /* a pcall here must not go on */
  if (status != LUA_OK) return lua_error(L);
  return lua_gettop(L);
}

/* coroutine.wrap(f), its function tracked as running its coroutine. */
static int l_tracked_wrap(lua_State *L) {
  lua_settop(L, 1);
  lua_pushvalue(L, lua_upvalueindex(1));  /* Lua's own wrap */
  lua_insert(L, 1);
  lua_call(L, 1, 1);
  lua_getupvalue(L, 1, 1);  /* the coroutine it made */
  lua_pushcclosure(L, l_tracked_resume, 2);
  return 1;
}

void interrupt_track_coroutines(lua_State *L) {
  lua_getglobal(L, "coroutine");
  if (!lua_istable(L, -1)) {
    lua_pop(L, 1);
    return;
  }
  lua_getfield(L, -1, "resume");
  lua_pushcclosure(L, l_tracked_resume, 1);
  lua_setfield(L, -2, "resume");
  lua_getfield(L, -1, "wrap");
  lua_pushcclosure(L, l_tracked_wrap, 1);
  lua_setfield(L, -2, "wrap");
  lua_pop(L, 1);
}

void interrupt_watch_db(sqlite3 *db) {
  watched_db = db;
}

void interrupt_unwatch(void) {
  interrupt_arm(0);
  signal(SIGINT, SIG_DFL);
  signal(SIGALRM, SIG_DFL);
  watched_state = NULL;
  running_coroutine = NULL;
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
  sigaddset(&block, SIGALRM);
  sigprocmask(SIG_BLOCK, &block, &saved);  /* no signal between the read and the clear */
  was = !pending ? 0 : timed_out ? INTERRUPT_TIMEOUT : INTERRUPT_SIGINT;
  pending = forced = timed_out = 0;
  if (was) lua_sethook(L, NULL, 0, 0);
  sigprocmask(SIG_SETMASK, &saved, NULL);
  return was;
}
