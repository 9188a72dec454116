/*
** main.c: the command line.  Parse the options (as lua does), then hand the
** whole session to the host, which runs it inside one protected call.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <readline/readline.h>
#include <sqlite3.h>

#include "lua.h"

#include "host.h"
#include "sandbox.h"
#include "zb.h"

#define EXIT_USAGE 2

static const char usage_line[] = "usage: zb [options] [script [args]]";

static const char help_text[] =
  "zb: a Lua workbench for statistical indicators, over SQLite.\n"
  "\n"
  "Options:\n"
  "  -e CHUNK       run the Lua CHUNK (repeatable; in order with -l)\n"
  "  -l MOD         require MOD into the global MOD (-l NAME=MOD: into NAME)\n"
  "  -i             enter the REPL after the script and chunks\n"
  "  -d FILE        keep the session database in FILE (default: in memory)\n"
  "  -d CONNINFO    a PostgreSQL server as the session's engine: a libpq URI\n"
  "                 (postgresql://...) or connection string (host=/path dbname=x);\n"
  "                 every table method runs there, composite indices too;\n"
  "                 zb.install() puts zb's analysis library on it;\n"
  "                 a connection the server drops is made again, saying so\n"
  "  -n             do not run the init file\n"
  "  --bail         stop at the first failing chunk of piped input\n"
  "  --csv, --json, --markdown\n"
  "                 print tables in that mode (default: box); for pipes\n"
  "  --timeout S    stop the script, each -e chunk, each REPL line and the\n"
  "                 finalizers at exit after S seconds (zb.timeout(S) from\n"
  "                 inside); exit status 124\n"
  "  --max-memory MB  let Lua, and SQLite, use at most MB megabytes each\n"
  "  --safe         run an untrusted script: no commands, no environment, no C\n"
  "                 modules, no binary chunks, files only in its own directory\n"
  "                 (read) and --allow ones; 60 s a chunk and 1024 MB unless given;\n"
  "                 with -d CONNINFO, a server role that cannot run programs,\n"
  "                 touch the server's files or make extensions\n"
  "  --allow DIR    let a safe script read and write files in DIR (repeatable)\n"
  "  --require-kernel-sandbox\n"
  "                 with --safe: refuse to run unless the kernel confines the\n"
  "                 script too (Landlock and seccomp; zb -v tells what is here)\n"
  "  -v, --version  print the versions of zb, Lua, SQLite and readline, and\n"
  "                 what kernel sandbox --safe gets here\n"
  "  -h, --help     print this help\n"
  "  --             stop handling options\n"
  "  -              run the script read from standard input\n"
  "\n"
  "With no script and no -e, zb opens the REPL (on a terminal) or runs the lines\n"
  "of standard input as the REPL would, exiting 1 if any of them failed.\n"
  "In the REPL, .help lists the dot-commands (.help, .quit, .exit, .read, .import,\n"
  ".dataset, .tables, .schema, .meta, .mode, .output, .once, .maxrows, .human,\n"
  ".precision, .metrics, .timer).\n"
  "-v with nothing else to do prints the versions and exits.\n"
  "Files load with zb.read_csv(path), Excel workbooks (.xlsx, .xls) with\n"
  "zb.read_xlsx(path [, {sheet =, range =}]); zb.help() lists the functions.\n"
  "Charts: t:plot{x =, y =} and t:bar{label =, value =} draw in the terminal;\n"
  "chart:save(\"x.svg\" | \"x.png\" | \"x.pdf\" [, {width =, height =, dpi =}]) as files.\n"
  "\n"
  "Environment:\n"
  "  ZB_PATH          colon-separated directories searched by require\n"
  "  XDG_CONFIG_HOME  init file $XDG_CONFIG_HOME/zb/init.lua, modules in zb/lua/\n"
  "                   (default ~/.config)\n"
  "  XDG_STATE_HOME   REPL history in $XDG_STATE_HOME/zb/history\n"
  "                   (default ~/.local/state)\n"
  "  NO_COLOR         set: charts draw without colour on a terminal too\n"
  "\n"
  "Exit status: 0 success, 1 runtime error (or standard output not written:\n"
  "a full disk), 2 bad usage, 124 timed out, 130 interrupted.\n"
  "See zb(1) and README.md.\n";

static int usage_error(const char *problem, const char *opt) {
  fprintf(stderr, "zb: %s '%s'\n%s\nTry 'zb --help' for more information.\n",
          problem, opt, usage_line);
  return EXIT_USAGE;
}

static void print_version(void) {
  char kernel[160];
  sandbox_describe(kernel, sizeof kernel);
  printf("zb %s\n%s\nSQLite %s\nreadline %s\n%s\n", ZB_VERSION, LUA_RELEASE,
         sqlite3_libversion(), rl_library_version, kernel);
}

/* The value of an option that takes one: "-eCHUNK" or "-e CHUNK". */
static const char *option_value(int argc, char **argv, int *i) {
  if (argv[*i][2] != '\0') return argv[*i] + 2;
  if (*i + 1 < argc) return argv[++*i];
  return NULL;
}

/* Fill a from argv; returns -1 to go on, or the exit status to end with. */
static int parse_args(int argc, char **argv, zb_args *a) {
  int i;
  for (i = 1; i < argc; i++) {
    const char *opt = argv[i];
    if (opt[0] != '-' || strcmp(opt, "-") == 0) {
      a->script = i;
      return -1;
    }
    if (strcmp(opt, "--") == 0) {
      if (i + 1 < argc) a->script = i + 1;
      return -1;
    }
    if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
      printf("%s\n\n%s", usage_line, help_text);
      return EXIT_SUCCESS;
    }
    if (strcmp(opt, "--version") == 0 || strcmp(opt, "-v") == 0) a->has_v = 1;
    else if (strcmp(opt, "--bail") == 0) a->bail = 1;
    else if (strcmp(opt, "-i") == 0) a->interactive = 1;
    else if (strcmp(opt, "-n") == 0) a->no_init = 1;
    else if (strcmp(opt, "--timeout") == 0 || strcmp(opt, "--max-memory") == 0) {
      const char *value = i + 1 < argc ? argv[++i] : NULL;
      double *n = opt[2] == 't' ? &a->timeout : &a->max_memory;
      char *end;
      if (value == NULL) return usage_error("missing argument to", opt);
      *n = strtod(value, &end);
      if (end == value || *end != '\0' || !(*n > 0 && *n < 1e8))
        return usage_error(opt[2] == 't' ? "expected a number of seconds after --timeout, not"
                                         : "expected a number of megabytes after --max-memory, not", value);
    }
    else if (strcmp(opt, "--safe") == 0) a->safe = 1;
    else if (strcmp(opt, "--require-kernel-sandbox") == 0) a->require_kernel_sandbox = 1;
    else if (strcmp(opt, "--allow") == 0) {
      if (i + 1 >= argc) return usage_error("missing argument to", opt);
      a->allow[a->nallow++] = argv[++i];
    }
    else if (strcmp(opt, "--csv") == 0 || strcmp(opt, "--json") == 0 ||
             strcmp(opt, "--markdown") == 0)
      a->mode = opt + 2;
    else if (opt[1] == 'e' || opt[1] == 'l' || opt[1] == 'd') {
      const char *value = option_value(argc, argv, &i);
      if (value == NULL) return usage_error("missing argument to", opt);
      if (opt[1] == 'd') a->database = value;
      else {
        a->actions[a->nactions].kind = opt[1];
        a->actions[a->nactions++].text = value;
        if (opt[1] == 'e') a->has_e = 1;
      }
    }
    else return usage_error("unrecognized option", opt);
  }
  if (a->nallow > 0 && !a->safe) return usage_error("--allow needs", "--safe");
  if (a->require_kernel_sandbox && !a->safe) return usage_error("--require-kernel-sandbox needs", "--safe");
  return -1;
}

int main(int argc, char **argv) {
  zb_args a;
  int status;
  memset(&a, 0, sizeof a);
  a.argc = argc;
  a.argv = argv;
  a.actions = (zb_action *)calloc((size_t)argc, sizeof *a.actions);
  a.allow = (const char **)calloc((size_t)argc, sizeof *a.allow);
  if (a.actions == NULL || a.allow == NULL) {
    fprintf(stderr, "zb: not enough memory\n");
    return EXIT_FAILURE;
  }
  status = parse_args(argc, argv, &a);
  if (status < 0 && a.has_v) print_version();  /* and go on, as lua does */
  if (status < 0) status = host_main(&a);
  free(a.actions);
  free(a.allow);
  return status;
}
