/*
** repl.c: the read-eval-print loop.  C reads lines (GNU readline on a
** terminal, plain lines from a pipe or a .read file), gathers them into
** complete chunks the way lua.c does, runs them and keeps the history;
** the policy (dot-commands, printing values, completion candidates) is
** Lua, in lua/zb/interactive/repl.lua.
*/
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <readline/readline.h>
#include <readline/history.h>
#include <sqlite3.h>

#include "lua.h"
#include "lauxlib.h"

#include "box.h"
#include "chunk.h"
#include "interrupt.h"
#include "paths.h"
#include "lineshift.h"
#include "repl.h"
#include "zb.h"

#define PROMPT      "zb> "
#define PROMPT_MORE "  > "
#define HISTORY_MAX 1000
#define READ_DEPTH_MAX 16

typedef struct repl {
  lua_State *L;
  int module;      /* stack index of the zb.repl module */
  int bail;        /* stop at the first failure */
  int failed;      /* some chunk or command failed */
  int quit;        /* .quit or .exit was given */
  int code;        /* the status .exit gave, or -1 */
  int interrupted; /* Ctrl-C: stop reading files (and piped input) */
  int depth;       /* .read nesting */
  int terminal;    /* the session is on a terminal: messages carry no "zb: " */
  char history_file[4096];  /* empty: history is not kept on disk */
} repl;

/* Where lines come from: the terminal (box NULL) or a file. */
typedef struct input_box {
  FILE *file;
  int owned;       /* close it with the box */
  char *line;      /* getline's buffer */
  size_t cap;
} input_box;

typedef struct source {
  input_box *box;    /* NULL: readline on the terminal */
  const char *name;  /* for messages: "stdin" or the file name */
  int line;          /* lines read so far */
} source;

/* ---- input boxes ---- */

static int l_input_close(lua_State *L) {
  input_box *b = (input_box *)luaL_checkudata(L, 1, ZB_INPUT);
  if (b->owned && b->file != NULL) fclose(b->file);
  b->file = NULL;
  free(b->line);
  b->line = NULL;
  return 0;
}

/* Push a to-be-closed input box reading file. */
static input_box *push_input(lua_State *L, FILE *file, int owned) {
  input_box *b = (input_box *)box_push(L, sizeof(input_box), ZB_INPUT, l_input_close);
  b->file = file;
  b->owned = owned;
  return b;
}

/* ---- history ---- */

static void history_open(repl *R) {
  char dir[4096];
  int fd;
  using_history();
  stifle_history(HISTORY_MAX);
  history_comment_char = '#';     /* timestamps need it: "#1764400000" */
  history_write_timestamps = 1;   /* a timestamp line before each entry ... */
  history_multiline_entries = 1;  /* ... keeps a multi-line chunk one entry */
  if (paths_restricted()) return;  /* a safe session writes only under --allow */
  if (paths_xdg("XDG_STATE_HOME", ".local/state", dir, sizeof dir) != 0) return;  /* no HOME */
  if (snprintf(R->history_file, sizeof R->history_file, "%s/history", dir) >= (int)sizeof R->history_file ||
      paths_mkdirs(dir) != 0 ||
      (fd = open(R->history_file, O_WRONLY | O_CREAT | O_APPEND, 0600)) < 0) {
    fprintf(stderr, "zb: history is not kept: cannot write %s/history: %s\n", dir, strerror(errno));
    R->history_file[0] = '\0';
    return;
  }
  close(fd);
  read_history(R->history_file);
  write_history(R->history_file);  /* at most HISTORY_MAX entries, whole */
}

/* Keep a complete chunk, unless it repeats the previous entry. */
static void history_keep(const repl *R, const char *chunk) {
  HIST_ENTRY *last = history_length > 0 ? history_get(history_base + history_length - 1) : NULL;
  if (last != NULL && strcmp(last->line, chunk) == 0) return;
  add_history(chunk);
  if (R->history_file[0] == '\0') return;
  /* Once the list is full, rewrite it whole: history_truncate_file counts
  ** lines, and would cut a multi-line entry. */
  if (history_length >= HISTORY_MAX) write_history(R->history_file);
  else append_history(1, R->history_file);
}

/* ---- completion ---- */

/* Readline calls its completion functions with no context of ours, so
** what they need is file-scope: the state to ask (zb.repl's module is in
** its registry), and the words of the current completion with the next to
** hand out.  Readline itself is one per process. */
static lua_State *completion_state;
static const char completion_module = 0;  /* its address: the registry's key of zb.repl */
static char **candidates;

static char *next_candidate(const char *text, int state) {
  static size_t next;  /* readline asks one word at a time, state 0 first */
  (void)text;
  if (state == 0) next = 0;
  if (candidates == NULL || candidates[next] == NULL) return NULL;
  return strdup(candidates[next++]);
}

static void free_candidates(void) {
  size_t i;
  for (i = 0; candidates != NULL && candidates[i] != NULL; i++) free(candidates[i]);
  free(candidates);
  candidates = NULL;
}

/* Copy the strings of the array at idx into candidates; raw reads of
** strings only, so nothing here can raise. */
static void take_candidates(lua_State *L, int idx) {
  size_t i, n = (size_t)lua_rawlen(L, idx), kept = 0;
  candidates = (char **)calloc(n + 1, sizeof *candidates);
  for (i = 1; candidates != NULL && i <= n; i++) {
    if (lua_rawgeti(L, idx, (lua_Integer)i) == LUA_TSTRING &&
        (candidates[kept] = strdup(lua_tostring(L, -1))) != NULL)
      kept++;
    lua_pop(L, 1);
  }
}

/* The quote character of the string literal open at position end of the
** line, or 0 outside one. */
static char open_quote(const char *line, int end) {
  char quote = '\0';
  int i;
  for (i = 0; i < end && line[i]; i++) {
    if (quote != '\0' && line[i] == '\\' && i + 1 < end) i++;
    else if (quote != '\0' && line[i] == quote) quote = '\0';
    else if (quote == '\0' && (line[i] == '"' || line[i] == '\'')) quote = line[i];
  }
  return quote;
}

typedef struct completion {
  const char *text;  /* the word to complete */
  int start;         /* where it starts in the line */
  char quote;        /* the open string literal's quote, or 0 */
} completion;

/* zb.repl.complete(text, line, start, quote), protected: the module is
** argument 1, the completion argument 2. */
static int l_complete(lua_State *L) {
  const completion *c = (const completion *)lua_touserdata(L, 2);
  lua_getfield(L, 1, "complete");
  lua_pushstring(L, c->text);
  lua_pushstring(L, rl_line_buffer);
  lua_pushinteger(L, c->start);
  if (c->quote != '\0') lua_pushlstring(L, &c->quote, 1);
  else lua_pushnil(L);
  lua_call(L, 4, 2);
  return 2;
}

/*
** Readline asks for the words that complete text (which starts at start in
** the line).  The Lua side answers with a list of words (and whether to
** append a space), or "file" for file names; inside a string literal it is
** told the quote character, so that sources such as table names come first.
** No Lua error may cross readline's frames, and Ctrl-C stops a slow source.
*/
static char **complete(const char *text, int start, int end) {
  lua_State *L = completion_state;
  int top = lua_gettop(L), status;
  completion c;
  char **matches = NULL;
  (void)end;
  c.text = text;
  c.start = start;
  c.quote = rl_line_buffer[0] == '.' ? '\0' : open_quote(rl_line_buffer, start);
  rl_attempted_completion_over = 1;
  rl_completion_append_character = '\0';
  lua_pushcfunction(L, l_complete);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &completion_module);  /* by key: complete runs in any C frame */
  lua_pushlightuserdata(L, &c);
  interrupt_set_idle(0);
  status = lua_pcall(L, 2, 2, 0);
  interrupt_set_idle(1);
  if (interrupt_take(L)) status = LUA_ERRRUN;
  if (status == LUA_OK) {
    if (lua_type(L, -2) == LUA_TSTRING && strcmp(lua_tostring(L, -2), "file") == 0) {
      rl_attempted_completion_over = 0;  /* readline's own file-name completion ... */
      rl_completion_append_character = c.quote ? c.quote : ' ';  /* ... closing the string */
    }
    else if (lua_type(L, -2) == LUA_TTABLE) {
      if (lua_toboolean(L, -1)) rl_completion_append_character = ' ';
      rl_completion_suppress_quote = 1;  /* a name inside SQL text does not end the string */
      take_candidates(L, lua_absindex(L, -2));
      matches = rl_completion_matches(text, next_candidate);
      free_candidates();
    }
  }
  lua_settop(L, top);
  return matches;
}

/*
** Where words break depends on what is completed: Lua code breaks at its
** operators; a file name in a string keeps its '/', '~', '-' and '.'; after
** a dot-command, words are separated by spaces and may be quoted (readline
** quotes a file name with a space).  Lua strings are told apart by
** open_quote, not by readline, whose quoted word would run to the quote.
*/
static char *word_breaks(void) {
  static char lua_breaks[] = " \t\n\"'`@$><=;|&{(,+-*/%^~#[]";
  static char string_breaks[] = " \t\n\"'";
  if (rl_line_buffer[0] == '.') {
    rl_completer_quote_characters = "\"'";
    return string_breaks;
  }
  rl_completer_quote_characters = NULL;
  return open_quote(rl_line_buffer, rl_point) ? string_breaks : lua_breaks;
}

/* ---- reading lines ---- */

/* The line readline's callback interface hands on_typed_line, which it
** calls with no context of ours: file-scope, read by read_typed. */
static char *typed_line;
static int typed_done;

static int l_push_string(lua_State *L) {
  lua_pushstring(L, (const char *)lua_touserdata(L, 1));
  return 1;
}

/* Push a copy of s, then free it, even when the copy fails. */
static int push_malloced(lua_State *L, char *s) {
  int status;
  lua_pushcfunction(L, l_push_string);
  lua_pushlightuserdata(L, s);
  status = lua_pcall(L, 1, 1, 0);
  free(s);
  if (status != LUA_OK) lua_error(L);
  return 1;
}

static void on_typed_line(char *line) {
  typed_line = line;
  typed_done = 1;
  rl_callback_handler_remove();
}

/*
** Read one line from the terminal with readline's callback interface, so
** that Ctrl-C at the prompt only abandons the line.  Pushes the line and
** returns 1; returns 0 at end of input, -1 after Ctrl-C.
*/
static int read_typed(lua_State *L, const char *prompt) {
  typed_done = 0;
  typed_line = NULL;
  interrupt_take(L);
  interrupt_set_idle(1);
  rl_callback_handler_install(prompt, on_typed_line);
  while (!typed_done) {
    struct pollfd in = {fileno(rl_instream), POLLIN, 0};
    int ready = poll(&in, 1, -1);
    if (interrupt_take(L)) {
      rl_free_line_state();
      rl_callback_sigcleanup();
      rl_cleanup_after_signal();
      rl_callback_handler_remove();
      fputc('\n', rl_outstream);
      interrupt_set_idle(0);
      return -1;
    }
    if (ready > 0) rl_callback_read_char();
    else if (ready < 0 && errno != EINTR) break;
  }
  interrupt_set_idle(0);
  if (typed_line == NULL) return 0;
  return push_malloced(L, typed_line);
}

/* Push the next line of src; returns 1, 0 at its end, -1 when interrupted,
** or -2 when it cannot be read (the message pushed instead). */
static int read_line(lua_State *L, source *src, const char *prompt) {
  ssize_t len;
  if (src->box == NULL) return read_typed(L, prompt);
  errno = 0;
  len = getline(&src->box->line, &src->box->cap, src->box->file);
  if (interrupt_take(L)) return -1;  /* a Ctrl-C while reading (the read goes on, SA_RESTART): no line more runs */
  if (len < 0) {
    if (!ferror(src->box->file)) return 0;
    lua_pushfstring(L, ".read: cannot read %s: %s", src->name, strerror(errno));
    return -2;
  }
  while (len > 0 && (src->box->line[len - 1] == '\n' || src->box->line[len - 1] == '\r')) len--;
  lua_pushlstring(L, src->box->line, (size_t)len);
  return 1;
}

/* ---- compiling and running ---- */

enum { CHUNK_READY, CHUNK_INCOMPLETE, CHUNK_ERROR };

static int ends_at_eof(lua_State *L) {
  size_t len;
  const char *msg = lua_tolstring(L, -1, &len);
  static const char eof_mark[] = "<eof>";
  return msg != NULL && len >= sizeof eof_mark - 1 &&
         strcmp(msg + len - (sizeof eof_mark - 1), eof_mark) == 0;
}

#define NEWLINES8 "\n\n\n\n\n\n\n\n"

/* Serves a chunk to lua_load without copying it: newlines first (so that
** the lines of a file keep their numbers in it), a prefix, the text, then
** a suffix. */
typedef struct chunk_reader {
  int newlines;
  const char *parts[3];
  size_t sizes[3];
  int next;
} chunk_reader;

static const char *read_chunk(lua_State *L, void *ud, size_t *size) {
  static const char newlines[] = NEWLINES8 NEWLINES8 NEWLINES8 NEWLINES8
                                 NEWLINES8 NEWLINES8 NEWLINES8 NEWLINES8;
  chunk_reader *r = (chunk_reader *)ud;
  (void)L;
  if (r->newlines > 0) {
    int n = r->newlines < (int)sizeof newlines - 1 ? r->newlines : (int)sizeof newlines - 1;
    r->newlines -= n;
    *size = (size_t)n;
    return newlines;
  }
  while (r->next < 3) {
    int i = r->next++;
    if (r->sizes[i] > 0) {
      *size = r->sizes[i];
      return r->parts[i];
    }
  }
  return NULL;
}

static int load_chunk(lua_State *L, int newlines, const char *prefix, int chunk, const char *suffix,
                      const char *name) {
  chunk_reader r;
  r.newlines = newlines;
  r.parts[0] = prefix;
  r.sizes[0] = strlen(prefix);
  r.parts[1] = lua_tolstring(L, chunk, &r.sizes[1]);
  r.parts[2] = suffix;
  r.sizes[2] = strlen(suffix);
  r.next = 0;
  return lua_load(L, read_chunk, &r, name, "t");
}

/*
** Compile the chunk on top of the stack, first as an expression to print
** ("return " .. chunk), then as statements.  Pushes the function or, for
** CHUNK_ERROR, the message.  Lines read from a file keep their numbers in it.
** An expression runs as the arguments of a call that returns them: a call
** in it is then no tail call, which would take the chunk's frame, and with
** it the line an error names (zb.errors.raise, error(msg, 2)).
*/
static int is_name_start(char c) {
  return isalpha((unsigned char)c) || c == '_';
}

static const char *skip_name(const char *p) {
  while (isalnum((unsigned char)*p) || *p == '_') p++;
  return p;
}

/* Whether text is a statement that "return " before it cannot make an
** expression of: one that begins with a keyword only a statement begins
** with, or an assignment (names, dotted or listed, then =).  A script read
** a statement at a time compiles those once, not twice. */
static int surely_statement(const char *text) {
  static const char *const keywords[] = {"local", "if", "for", "while", "repeat", "do", "goto", "return", "break",
                                         NULL};
  const char *p = text, *end;
  int i;
  while (*p == ' ' || *p == '\t') p++;
  if (!is_name_start(*p)) return 0;
  end = skip_name(p);
  for (i = 0; keywords[i]; i++)
    if ((size_t)(end - p) == strlen(keywords[i]) && strncmp(p, keywords[i], (size_t)(end - p)) == 0) return 1;
  for (;;) {
    while (*end == ' ' || *end == '\t') end++;
    if (*end == '=') return end[1] != '=';
    if (*end != '.' && *end != ',') return 0;
    end++;
    while (*end == ' ' || *end == '\t') end++;
    if (!is_name_start(*end)) return 0;
    end = skip_name(end);
  }
}

static int compile(lua_State *L, const source *src, int first_line) {
  int chunk = lua_gettop(L), incomplete, status, statement;
  int newlines = src->box != NULL ? first_line - 1 : 0;
  const char *name, *form = "return ", *suffix = "";
  if (src->box == NULL) name = lua_pushliteral(L, "=stdin");
  else name = lua_pushfstring(L, "@%s", src->name);
  /* Which form compiles, and whether more lines are needed, does not depend
  ** on line numbers: decide without the padding, then pad once. */
  statement = surely_statement(lua_tostring(L, chunk));
  status = statement ? LUA_ERRSYNTAX : load_chunk(L, 0, form, chunk, suffix, name);
  if (status != LUA_OK) {
    incomplete = 0;
    if (!statement) {  /* the expression form's message */
      incomplete = ends_at_eof(L);
      lua_pop(L, 1);
    }
    form = "";
    status = load_chunk(L, 0, form, chunk, suffix, name);
    if (status != LUA_OK && (incomplete || ends_at_eof(L))) {
      lua_settop(L, chunk);
      return CHUNK_INCOMPLETE;
    }
  } else {  /* the same expression, its values passed on (after a comment, too) */
    form = "return (function(...) return ... end)(";
    suffix = "\n)";
  }
  if (*suffix) {
    lua_pop(L, 1);
    status = load_chunk(L, 0, form, chunk, suffix, name);
  }
  /* its lines moved down to where the chunk starts in its file: by
  ** shifting the compiled lines (linear in the file), or by padding (a
  ** message of the compiler's names the line; a Lua whose dumps lineshift
  ** does not read) */
  if (newlines > 0 && (status != LUA_OK || !lineshift_works(L) || !lineshift(L, newlines, name))) {
    lua_pop(L, 1);
    status = load_chunk(L, newlines, form, chunk, suffix, name);
  }
  if (status != LUA_OK && strncmp(lua_tostring(L, -1), "attempt to load", 15) == 0) {
    lua_pushfstring(L, "%s:%d: %s", src->name, first_line, lua_tostring(L, -1));
    lua_replace(L, -2);  /* the message names where, as others do */
  }
  lua_replace(L, chunk + 1);  /* over the name */
  return status == LUA_OK ? CHUNK_READY : CHUNK_ERROR;
}

static double seconds(const struct timeval *tv) {
  return (double)tv->tv_sec + (double)tv->tv_usec / 1e6;
}

typedef struct timer {
  struct timespec wall;
  struct rusage usage;
} timer;

/* zb.repl.options.timer, read raw: no user code runs outside a pcall here. */
static int timer_on(repl *R) {
  lua_State *L = R->L;
  int on = 0;
  lua_pushliteral(L, "options");
  if (lua_rawget(L, R->module) == LUA_TTABLE) {
    lua_pushliteral(L, "timer");
    lua_rawget(L, -2);
    on = lua_toboolean(L, -1);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return on;
}

static void timer_start(timer *t) {
  clock_gettime(CLOCK_MONOTONIC, &t->wall);
  getrusage(RUSAGE_SELF, &t->usage);
}

static void timer_report(const timer *t) {
  struct timespec now;
  struct rusage usage;
  clock_gettime(CLOCK_MONOTONIC, &now);
  getrusage(RUSAGE_SELF, &usage);
  printf("time: real %.3fs, user %.3fs, sys %.3fs\n",
         (double)(now.tv_sec - t->wall.tv_sec) + (double)(now.tv_nsec - t->wall.tv_nsec) / 1e9,
         seconds(&usage.ru_utime) - seconds(&t->usage.ru_utime),
         seconds(&usage.ru_stime) - seconds(&t->usage.ru_stime));
}

/* Record a failure and report the message on top of the stack; a Ctrl-C
** also stops the files being read. */
static void report_failure(repl *R, int status) {
  R->failed = 1;
  switch (interrupt_take(R->L)) {
    case INTERRUPT_SIGINT:
      R->interrupted = 1;
      lua_pop(R->L, 1);
      lua_pushliteral(R->L, ZB_INTERRUPTED);
      break;
    case INTERRUPT_TIMEOUT:  /* the line ran out of time; the session goes on */
      lua_pop(R->L, 1);
      lua_pushliteral(R->L, ZB_TIMED_OUT);
      break;
    default: break;
  }
  chunk_report(R->L, status, !R->terminal);
}

/* Run the function on top of the stack and print what it returns. */
static void execute(repl *R) {
  lua_State *L = R->L;
  int base = lua_gettop(L), status, n;
  timer t;
  int timed = timer_on(R);
  if (timed) timer_start(&t);
  status = chunk_call(L, 0, LUA_MULTRET);
  n = lua_gettop(L) - base + 1;
  if (status == LUA_OK && n > 0) {
    lua_pushvalue(L, base);
    lua_setglobal(L, "_");
    lua_pushliteral(L, "show");
    lua_rawget(L, R->module);
    lua_insert(L, base);
    status = chunk_call(L, n, 0);
  }
  if (status != LUA_OK) report_failure(R, status);
  if (timed) timer_report(&t);
  fflush(stdout);
  lua_settop(L, base - 1);
}

static void run_file(repl *R, const char *path);

/*
** A dot-command: zb.repl.dispatch(line) answers what the loop must do.  Its
** errors are messages for the user (usage, unknown command): no traceback.
*/
static void run_command(repl *R, int line) {
  lua_State *L = R->L;
  int top = lua_gettop(L), status;
  timer t;
  int timed = timer_on(R);
  if (timed) timer_start(&t);
  lua_pushliteral(L, "dispatch");
  lua_rawget(L, R->module);
  lua_pushvalue(L, line);
  status = lua_pcall(L, 1, 2, 0);
  if (status != LUA_OK) report_failure(R, status);
  else {
    const char *action = lua_tostring(L, -2);
    if (action != NULL && strcmp(action, "quit") == 0) {
      R->quit = 1;
      R->code = lua_isinteger(L, -1) ? (int)lua_tointeger(L, -1) : -1;
    }
    else if (action != NULL && strcmp(action, "read") == 0 && lua_type(L, -1) == LUA_TSTRING)
      run_file(R, lua_tostring(L, -1));
  }
  if (timed && timer_on(R) && !R->quit) timer_report(&t);
  fflush(stdout);
  lua_settop(L, top);
}

static int is_blank(const char *s) {
  return s[strspn(s, " \t\r\n")] == '\0';
}

/* Whether to stop reading src: at .quit; and for a file or pipe, after
** Ctrl-C or, under --bail, a failure.  The terminal goes on after both. */
static int stop_reading(repl *R, const source *src) {
  if (R->quit) return 1;
  if (src->box != NULL) return R->interrupted || (R->bail && R->failed);
  R->interrupted = R->failed = 0;
  return 0;
}

/* A dot-command line; ".5 + 1" is Lua. */
static int is_command(const char *line) {
  return line[0] == '.' && !(line[1] >= '0' && line[1] <= '9');
}

/*
** Whether a chunk is certainly unfinished, from its lines' tokens alone:
** brackets and blocks left open (function, do, if, repeat; then counted
** through its if, while's do as a do), or a long string or comment. The
** loop compiles a chunk only when it may be finished, so a long chunk
** (a 20,000-line table) is not compiled again at every line.  A line the
** scan is not sure of (a short string left open) lets the compiler decide.
*/
typedef struct chunk_scan {
  int depth;       /* brackets and blocks open */
  int long_level;  /* inside a long string or comment of this level, or -1 */
  int unsure;      /* the scan cannot tell: compile */
} chunk_scan;

/* The level of the long bracket opening at s ("[[" 0, "[==[" 2), or -1. */
static int long_bracket(const char *s) {
  int level = 0;
  if (*s != '[') return -1;
  for (s++; *s == '='; s++) level++;
  return *s == '[' ? level : -1;
}

/* Past the end of the long bracket of level at s, or NULL when the line ends first. */
static const char *long_end(const char *s, int level) {
  for (; *s; s++) {
    int n = 0;
    const char *p = s + 1;
    if (*s != ']') continue;
    while (*p == '=') p++, n++;
    if (*p == ']' && n == level) return p + 1;
  }
  return NULL;
}

static int word_is(const char *s, size_t n, const char *word) {
  return strlen(word) == n && memcmp(s, word, n) == 0;
}

static void scan_line(chunk_scan *cs, const char *line) {
  const char *s = line;
  while (*s && !cs->unsure) {
    if (cs->long_level >= 0) {
      const char *end = long_end(s, cs->long_level);
      if (end == NULL) return;
      cs->long_level = -1;
      s = end;
    } else if (s[0] == '-' && s[1] == '-') {
      if ((cs->long_level = long_bracket(s + 2)) < 0) return;  /* a comment to the line's end */
      s += 2 + cs->long_level + 2;
    } else if (*s == '[' && long_bracket(s) >= 0) {
      cs->long_level = long_bracket(s);
      s += cs->long_level + 2;
    } else if (*s == '"' || *s == '\'') {
      char quote = *s++;
      while (*s && *s != quote) s += (*s == '\\' && s[1]) ? 2 : 1;
      if (!*s) cs->unsure = 1;  /* a string going on past the line (\z, \ newline) */
      else s++;
    } else if (isalpha((unsigned char)*s) || *s == '_') {
      const char *w = s;
      while (isalnum((unsigned char)*s) || *s == '_') s++;
      if (w == line || (w[-1] != '.' && w[-1] != ':')) {  /* a keyword, not a field's name */
        size_t n = (size_t)(s - w);
        if (word_is(w, n, "function") || word_is(w, n, "do") || word_is(w, n, "if") || word_is(w, n, "repeat"))
          cs->depth++;
        else if (word_is(w, n, "end") || word_is(w, n, "until"))
          cs->depth--;
      }
    } else {
      if (*s == '(' || *s == '{' || *s == '[') cs->depth++;
      else if (*s == ')' || *s == '}' || *s == ']') cs->depth--;
      s++;
    }
  }
  if (cs->depth < 0) cs->unsure = 1;
}

/* Whether the chunk scanned is certainly unfinished. */
static int scan_open(const chunk_scan *cs) {
  return !cs->unsure && (cs->depth > 0 || cs->long_level >= 0);
}

/* Push the lines gathered in the table at lines as one text. */
static void push_joined(lua_State *L, int lines) {
  luaL_Buffer b;
  lua_Integer i, n = (lua_Integer)lua_rawlen(L, lines);
  luaL_buffinit(L, &b);
  for (i = 1; i <= n; i++) {
    if (i > 1) luaL_addchar(&b, '\n');
    lua_rawgeti(L, lines, i);
    luaL_addvalue(&b);
  }
  luaL_pushresult(&b);
}

/* Read and run every chunk of src, until its end, .quit, or a failure under --bail. */
static void run_source(repl *R, source *src) {
  lua_State *L = R->L;
  int top = lua_gettop(L), first_line = 0;
  int chunk = top + 1;  /* the lines gathered so far (a table), when first_line > 0 */
  chunk_scan scan = {0, -1, 0};
  while (!stop_reading(R, src)) {
    int got = read_line(L, src, first_line ? PROMPT_MORE : PROMPT), kind;
    if (got == -2) {
      report_failure(R, LUA_ERRFILE);
      break;
    }
    if (got < 0) {  /* Ctrl-C: abandon the chunk */
      lua_settop(L, top);
      first_line = 0;
      if (src->box != NULL) {  /* and stop reading the file or pipe, saying so */
        R->interrupted = R->failed = 1;
        lua_pushliteral(L, ZB_INTERRUPTED);
        chunk_report(L, LUA_ERRRUN, !R->terminal);
      }
      continue;
    }
    if (got == 0) break;
    src->line++;
    if (first_line == 0) {
      const char *line = lua_tostring(L, -1);
      /* a first line "#!..." lets a file run as a script too, as lua skips it */
      if (is_blank(line) || (src->line == 1 && src->box != NULL && line[0] == '#')) {
        lua_pop(L, 1);
        continue;
      }
      if (is_command(line)) {
        if (src->box == NULL) history_keep(R, line);
        run_command(R, lua_gettop(L));
        lua_settop(L, top);
        continue;
      }
      first_line = src->line;
      lua_newtable(L);
      lua_insert(L, -2);
      scan.depth = 0, scan.long_level = -1, scan.unsure = 0;
    }
    scan_line(&scan, lua_tostring(L, -1));
    lua_rawseti(L, chunk, (lua_Integer)lua_rawlen(L, chunk) + 1);
    if (scan_open(&scan)) continue;  /* certainly unfinished: no need to compile yet */
    push_joined(L, chunk);
    kind = compile(L, src, first_line);
    if (kind == CHUNK_INCOMPLETE) {
      lua_settop(L, chunk);
      continue;
    }
    if (src->box == NULL) history_keep(R, lua_tostring(L, chunk + 1));
    if (kind == CHUNK_READY) {
      if (src->box == NULL) chunk_keep_text(L, "=stdin", chunk + 1, 1);
      else {
        chunk_keep_text(L, lua_pushfstring(L, "@%s", src->name), chunk + 1, first_line);
        lua_pop(L, 1);
      }
    }
    if (kind == CHUNK_ERROR) report_failure(R, LUA_ERRSYNTAX);
    else execute(R);
    lua_settop(L, top);
    first_line = 0;
  }
  if (first_line != 0 && src->box != NULL) {  /* the input ended inside a chunk */
    push_joined(L, chunk);
    if (compile(L, src, first_line) == CHUNK_READY) {  /* one the scan took for unfinished */
      execute(R);
      lua_settop(L, top);
      return;
    }
    /* Lua's own message, at the chunk's lines in the file: what it lacks
    ** ("'end' expected (to close 'function' at line 2) near <eof>") */
    int joined = lua_gettop(L);
    (void)load_chunk(L, first_line - 1, "", joined, "", lua_pushfstring(L, "@%s", src->name));
    report_failure(R, LUA_ERRSYNTAX);
  }
  lua_settop(L, top);
}

/* In a C function of its own, stack indices count from its own frame:
** the REPL's module comes first (R->module says so while it runs). */
static int l_run_source(lua_State *L) {
  repl *R = (repl *)lua_touserdata(L, 2);
  R->module = 1;
  run_source(R, (source *)lua_touserdata(L, 3));
  return 0;
}

/* run_source, protected: an error between chunks (out of memory reading a
** line or joining lines) is reported as that line's, and src goes on. */
static void run_source_guarded(repl *R, source *src) {
  lua_State *L = R->L;
  int module = R->module;
  for (;;) {
    int status;
    lua_pushcfunction(L, l_run_source);
    lua_pushvalue(L, module);
    lua_pushlightuserdata(L, R);
    lua_pushlightuserdata(L, src);
    status = lua_pcall(L, 3, 0, 0);
    R->module = module;
    if (status == LUA_OK) return;
    report_failure(R, status);
    if (stop_reading(R, src)) return;
  }
}

/* .read FILE: run its lines as if typed, numbering them in FILE. */
static void run_file(repl *R, const char *path) {
  lua_State *L = R->L;
  FILE *f;
  source src;
  luaL_checkstack(L, 8, ".read nested too deep");
  if (R->depth >= READ_DEPTH_MAX) {
    lua_pushfstring(L, ".read: nested more than %d deep", READ_DEPTH_MAX);
    report_failure(R, LUA_ERRRUN);
    return;
  }
  f = paths_allowed(path, 0) ? fopen(path, "r") : NULL;
  if (f == NULL) {
    lua_pushfstring(L, ".read: cannot open %s: %s", path,
                    paths_allowed(path, 0) ? strerror(errno) : paths_why_not(path, 0));
    report_failure(R, LUA_ERRRUN);
    return;
  }
  src.box = push_input(L, f, 1);
  src.name = path;
  src.line = 0;
  R->depth++;
  run_source_guarded(R, &src);
  R->depth--;
  lua_closeslot(L, -1);
  lua_pop(L, 1);
}

/* Readline edits characters as LC_CTYPE says; analysts type Chinese, so it
** must be UTF-8 where no locale is configured (LANG unset or C).  Readline
** reads the environment itself, hence LC_CTYPE there too; an LC_ALL the user
** set is left alone.  (Only LC_CTYPE: Lua's numbers follow LC_NUMERIC.) */
static void use_utf8_ctype(void) {
  const char *all = getenv("LC_ALL");
  if (setlocale(LC_CTYPE, "") != NULL && strcmp(nl_langinfo(CODESET), "UTF-8") == 0) return;
  if (all == NULL || *all == '\0') setenv("LC_CTYPE", "C.UTF-8", 1);
  setlocale(LC_CTYPE, "C.UTF-8");
}

static void setup_readline(repl *R) {
  lua_State *L = R->L;
  use_utf8_ctype();
  rl_readline_name = "zb";
  rl_catch_signals = 0;  /* our handler owns SIGINT; read_typed cleans up after it */
  rl_completion_word_break_hook = word_breaks;
  rl_completer_quote_characters = "\"'";
  rl_filename_quote_characters = " \t'\"";  /* such names get quoted after .read */
  rl_variable_bind("expand-tilde", "on");   /* Lua's io.open knows no "~" */
  rl_attempted_completion_function = complete;
  completion_state = L;
  lua_pushvalue(L, R->module);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &completion_module);
  history_open(R);
}

int repl_run(lua_State *L, int bail) {
  repl R;
  source src;
  int status;
  memset(&R, 0, sizeof R);
  R.code = -1;
  R.L = L;
  R.bail = bail;
  lua_getglobal(L, "require");
  lua_pushliteral(L, "zb.interactive.repl");
  status = chunk_call(L, 1, 1);
  if (status != LUA_OK) {
    chunk_report(L, status, 1);
    return EXIT_FAILURE;
  }
  R.module = lua_gettop(L);
  src.line = 0;
  if (isatty(STDIN_FILENO)) {
    R.terminal = 1;
    src.box = NULL;
    src.name = "stdin";
    setup_readline(&R);
    printf("zb %s (%s, SQLite %s). Type .help for help, Ctrl-D to exit.\n",
           ZB_VERSION, LUA_RELEASE, sqlite3_libversion());
    run_source_guarded(&R, &src);
    if (!R.quit) putchar('\n');
    rl_callback_handler_remove();
    return R.code > 0 ? R.code : EXIT_SUCCESS;
  }
  src.box = push_input(L, stdin, 0);
  src.name = "stdin";
  run_source_guarded(&R, &src);
  if (R.code >= 0) return R.code;
  if (R.interrupted) return EXIT_INTERRUPTED;
  return R.failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
