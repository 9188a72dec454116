/*
** fuzz.c: the libFuzzer harness for make fuzz.  One zb session, made once;
** each input goes to the function the target's Lua file returns
** (tests/fuzz/TARGET.lua, TARGET from ZB_FUZZ_TARGET).  A Lua error is
** the clean outcome for bad input; a crash, a sanitizer report, or a Lua
** runtime error raised inside zb's own modules (a bug, not a message for
** the user) stops the fuzzer with the input that caused it.
*/
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua.h"
#include "lauxlib.h"

#include "host.h"
#include "interrupt.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static lua_State *L;
/* Features a target reports with zb_fuzz_feature(n): libFuzzer counts them
** as coverage (and clears them before each input), so that a target whose
** work happens in another process (safe: a child zb) can say what an input
** made happen there. */
#define FEATURES 4096
__attribute__((used, section("__libfuzzer_extra_counters"))) static uint8_t features[FEATURES];
static zb_args args;
static char name[] = "zb-fuzz";
static char *argv0[] = {name, NULL};
static struct sigaction fuzzer_alarm;

static int l_feature(lua_State *L1) {
  uint8_t *count = &features[(lua_Unsigned)luaL_checkinteger(L1, 1) % FEATURES];
  if (*count < 255) (*count)++;
  return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  const char *target = getenv("ZB_FUZZ_TARGET");
  char path[512];
  (void)argc, (void)argv;
  if (target == NULL) {
    fprintf(stderr, "zb-fuzz: set ZB_FUZZ_TARGET (csv, json, render, compiler, differential, safe)\n");
    exit(2);
  }
  args.argc = 1;
  args.argv = argv0;
  /* libFuzzer's own SIGALRM (its -timeout) stays: zb's would take each
  ** tick for the end of --timeout and stop every input after the first */
  sigaction(SIGALRM, NULL, &fuzzer_alarm);
  if ((L = host_open(&args)) == NULL) exit(2);
  sigaction(SIGALRM, &fuzzer_alarm, NULL);
  lua_register(L, "zb_fuzz_feature", l_feature);
  snprintf(path, sizeof path, "tests/fuzz/%s.lua", target);
  if (luaL_dofile(L, path) != LUA_OK || !lua_isfunction(L, -1)) {
    fprintf(stderr, "zb-fuzz: %s: %s\n", path, lua_tostring(L, -1));
    exit(2);
  }
  lua_setfield(L, LUA_REGISTRYINDEX, "zb.fuzz");
  return 0;
}

/* An error raised by Lua itself inside zb's modules ("attempt to index a
** nil value" and its kin, at lua/zb/.../NAME.lua:LINE), a check of the
** target's own that failed ("fuzz finding"), or a stop nobody asked for
** (every input after it would fail at once, fuzzing nothing). */
static int is_internal(const char *msg) {
  if (msg == NULL) return 0;
  if (strstr(msg, "fuzz finding") != NULL || interrupt_is_stop(msg)) return 1;
  return strstr(msg, "/zb/") != NULL && strstr(msg, ".lua:") != NULL &&
         (strstr(msg, "attempt to") != NULL || strstr(msg, "bad argument") != NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  int top = lua_gettop(L);
  lua_getfield(L, LUA_REGISTRYINDEX, "zb.fuzz");
  lua_pushlstring(L, (const char *)data, size);
  if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
    const char *msg = lua_tostring(L, -1);
    if (is_internal(msg)) {
      fprintf(stderr, "zb-fuzz: an internal error: %s\n", msg);
      abort();
    }
  }
  lua_settop(L, top);
  return 0;
}
