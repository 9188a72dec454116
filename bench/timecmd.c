/*
** timecmd.c: time commands side by side.  Runs each command in turn (so
** that machine noise falls on all of them alike), RUNS rounds, and prints
** the median and the min-max wall time of each, its peak memory (the
** largest resident set of any run) and the ratio of the first command's
** median to each other's (below 1: the first is faster).  A command whose
** program is missing is reported as skipped.
**
**   timecmd RUNS 'zb -e ""' 'lua5.4 -e ""' ...
**
** Commands are split on spaces; '...' keeps spaces and "" is an empty argument.  Standard
** input is /dev/null and output is discarded.
*/
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_WORDS 32
#define MAX_CMDS 16

typedef struct command {
  const char *text;
  char *words[MAX_WORDS + 1];
  double *times;
  long peak_kb;
  int skipped;
} command;

/* Words split on spaces; '...' keeps spaces in a word, and "" is an empty word. */
static void split(command *c) {
  char *p = strdup(c->text);
  int n = 0;
  while (*p && n < MAX_WORDS) {
    while (*p == ' ') p++;
    if (!*p) break;
    if (*p == '\'') {
      c->words[n++] = ++p;
      p += strcspn(p, "'");
    }
    else {
      c->words[n++] = strncmp(p, "\"\"", 2) == 0 ? p + 2 : p;
      p += strcspn(p, " ");
    }
    if (*p) *p++ = '\0';
  }
  c->words[n] = NULL;
}

static int found(const char *prog) {
  char cmd[512];
  snprintf(cmd, sizeof cmd, "command -v '%s' >/dev/null 2>&1", prog);
  return system(cmd) == 0;
}

/* Wall seconds for one run, or -1 if it failed. */
static double run_once(command *c) {
  struct timespec t0, t1;
  struct rusage usage;
  int status;
  pid_t pid;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  pid = fork();
  if (pid == 0) {
    int null = open("/dev/null", O_RDWR);
    dup2(null, 0);
    dup2(null, 1);
    dup2(null, 2);
    execvp(c->words[0], c->words);
    _exit(127);
  }
  if (pid < 0 || wait4(pid, &status, 0, &usage) < 0) return -1;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  if (usage.ru_maxrss > c->peak_kb) c->peak_kb = usage.ru_maxrss;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return -1;
  return (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
}

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  command cmds[MAX_CMDS];
  int runs, n = argc - 2, i, r;
  double first_median = 0;
  if (argc < 3 || (runs = atoi(argv[1])) < 1 || n > MAX_CMDS) {
    fprintf(stderr, "usage: timecmd RUNS COMMAND...\n");
    return 2;
  }
  for (i = 0; i < n; i++) {
    cmds[i].text = argv[i + 2];
    split(&cmds[i]);
    cmds[i].times = calloc((size_t)runs, sizeof(double));
    cmds[i].peak_kb = 0;
    cmds[i].skipped = !found(cmds[i].words[0]);
  }
  for (r = 0; r < runs; r++)
    for (i = 0; i < n; i++) {
      if (cmds[i].skipped) continue;
      cmds[i].times[r] = run_once(&cmds[i]);
      if (cmds[i].times[r] < 0) cmds[i].skipped = 2;
    }
  printf("  %-34s %10s %18s %9s %12s\n", "command", "median", "min-max", "peak", "ratio");
  for (i = 0; i < n; i++) {
    double median;
    if (cmds[i].skipped) {
      printf("  %-34s %s\n", cmds[i].text, cmds[i].skipped == 1 ? "skipped: not installed" : "failed");
      continue;
    }
    qsort(cmds[i].times, (size_t)runs, sizeof(double), by_value);
    median = cmds[i].times[runs / 2];
    if (i == 0) first_median = median;
    printf("  %-34s %8.2fms %8.2f-%-7.2fms %6.1fMB", cmds[i].text, median * 1e3,
           cmds[i].times[0] * 1e3, cmds[i].times[runs - 1] * 1e3, (double)cmds[i].peak_kb / 1024);
    if (i > 0 && first_median > 0) printf(" %10.2f", first_median / median);
    printf("\n");
  }
  return 0;
}
