/*
** unit.h: checks for the C unit tests, printed as TAP lines.
*/
#ifndef ZB_UNIT_H
#define ZB_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_count, unit_failed;

#define CHECK(cond, name) unit_check((cond) != 0, name, #cond, __FILE__, __LINE__)
#define CHECK_STR(got, want, name) \
  unit_check_str((got), (want), name, __FILE__, __LINE__)

static inline void unit_check(int ok, const char *name, const char *expr, const char *file, int line) {
  unit_count++;
  if (ok) {
    printf("ok %d - %s\n", unit_count, name);
    return;
  }
  unit_failed++;
  printf("not ok %d - %s\n# %s:%d: %s\n", unit_count, name, file, line, expr);
}

static inline void unit_check_str(const char *got, const char *want, const char *name,
                           const char *file, int line) {
  int ok = got != NULL && strcmp(got, want) == 0;
  unit_check(ok, name, "strings differ", file, line);
  if (!ok) printf("# got:  %s\n# want: %s\n", got ? got : "(null)", want);
}

static inline int unit_done(void) {
  printf("1..%d\n", unit_count);
  return unit_failed != 0;
}

#endif
