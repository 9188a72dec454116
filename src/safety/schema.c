/*
** schema.c: the functions a database file's schema calls where SQLite runs
** them on rows.  The file's CREATE TABLE and CREATE INDEX statements are
** replayed into an empty database that knows only SQLite's own functions:
** SQLite's parser names each function it does not know ("no such
** function: f"), which is then defined as an inert stand-in so that the
** replay goes on to the next.  A statement that fails for another reason
** counts as calling every wanted name its text holds.  Views, triggers and
** defaults need none of this: SQLite refuses zb's functions there itself;
** virtual tables neither, but for FTS3/4's compress= and uncompress=.
** The replay is held as SQLite's schema loader holds the file's text: the
** first statement only, and nothing but CREATE TABLE and CREATE INDEX may
** run (an authorizer), briefly (a progress handler).
*/
#include <stdio.h>
#include <string.h>

#include "schema.h"

#define MAX_UNKNOWN 256  /* stand-ins one statement may need, at most */

typedef struct wanted {
  char **names;  /* the functions looked for, copies */
  int count;
} wanted;

static int want(wanted *w, const char *name) {
  char **grown = sqlite3_realloc64(w->names, sizeof *grown * (sqlite3_uint64)(w->count + 1));
  if (grown == NULL) return SQLITE_NOMEM;
  w->names = grown;
  if ((grown[w->count] = sqlite3_mprintf("%s", name)) == NULL) return SQLITE_NOMEM;
  w->count++;
  return SQLITE_OK;
}

static void forget_functions(wanted *w) {
  int i;
  for (i = 0; i < w->count; i++) sqlite3_free(w->names[i]);
  sqlite3_free(w->names);
}

static int is_wanted(const wanted *w, const char *function) {
  int i;
  for (i = 0; i < w->count; i++)
    if (sqlite3_stricmp(w->names[i], function) == 0) return 1;
  return 0;
}

/* Whether text holds s, ASCII case aside (as SQLite matches function
** names, whatever the locale). */
static int holds(const char *text, const char *s) {
  int n = (int)strlen(s);
  for (; *text; text++)
    if (sqlite3_strnicmp(text, s, n) == 0) return 1;
  return 0;
}

/* The first wanted name text holds, or NULL. */
static const char *mentioned(const wanted *w, const char *text) {
  int i;
  for (i = 0; i < w->count; i++)
    if (holds(text, w->names[i])) return w->names[i];
  return NULL;
}

static void inert_function(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc, (void)argv;
  sqlite3_result_null(ctx);
}

static int inert_collation(void *unused, int n1, const void *a, int n2, const void *b) {
  int c = memcmp(a, b, (size_t)(n1 < n2 ? n1 : n2));
  (void)unused;
  return c != 0 ? c : n1 - n2;
}

#define REPLAY_STEPS 1000  /* progress callbacks (of 1000 instructions) a replay may take */

typedef struct replay_state {
  const wanted *w;
  char *found;  /* a wanted function SQLite knows already (FTS5's snippet, say) */
  size_t size;
  int skipped;  /* a view or trigger: nothing to look for */
  int virtual_table;
  int steps;
} replay_state;

static int replay_authorize(void *p, int action, const char *a, const char *b, const char *c, const char *d) {
  replay_state *state = (replay_state *)p;
  (void)c, (void)d;
  switch (action) {
    case SQLITE_FUNCTION:
      if (b == NULL || !is_wanted(state->w, b)) return SQLITE_OK;
      snprintf(state->found, state->size, "%s", b);
      return SQLITE_DENY;
    case SQLITE_CREATE_TABLE: case SQLITE_CREATE_INDEX: case SQLITE_READ:
      return SQLITE_OK;
    case SQLITE_INSERT: case SQLITE_UPDATE:  /* the new object's row */
      return a != NULL && sqlite3_stricmp(a, "sqlite_master") == 0 ? SQLITE_OK : SQLITE_DENY;
    case SQLITE_CREATE_VIEW: case SQLITE_CREATE_TRIGGER:
      state->skipped = 1;
      return SQLITE_DENY;
    case SQLITE_CREATE_VTABLE:
      state->virtual_table = 1;
      return SQLITE_DENY;
    default:
      return SQLITE_DENY;
  }
}

static int replay_progress(void *p) {
  return ++((replay_state *)p)->steps > REPLAY_STEPS;
}

/* The first statement of sql (all SQLite reads of a schema row) in scratch. */
static int run_first(sqlite3 *scratch, const char *sql) {
  sqlite3_stmt *stmt;
  int rc = sqlite3_prepare_v2(scratch, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK) return rc;
  if (stmt == NULL) return SQLITE_ERROR;
  rc = sqlite3_step(stmt);
  sqlite3_finalize(stmt);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Replay sql into scratch, each function SQLite does not know defined as
** an inert stand-in until it does.  1: it ran (or is a view, trigger or
** virtual table), and a wanted function it calls (if any) is in found; 0:
** it failed for another reason. */
static int replay(sqlite3 *scratch, const char *sql, const wanted *w, char *found, size_t size) {
  static const char no_function[] = "no such function: ", no_collation[] = "no such collation sequence: ";
  replay_state state = {w, found, size, 0, 0, 0};
  int tries, replayed = 0;
  sqlite3_set_authorizer(scratch, replay_authorize, &state);
  sqlite3_progress_handler(scratch, 1000, replay_progress, &state);
  for (tries = 0; tries < MAX_UNKNOWN; tries++) {
    const char *msg;
    state.steps = 0;
    if (run_first(scratch, sql) == SQLITE_OK || state.skipped || found[0] != '\0') {
      replayed = 1;
      break;
    }
    if (state.virtual_table) {
      /* its module reads the arguments; FTS3/4 calls the functions its
      ** compress= and uncompress= name, as top-level SQL: by the text then */
      replayed = !holds(sql, "compress");
      break;
    }
    msg = sqlite3_errmsg(scratch);
    if (strncmp(msg, no_function, sizeof no_function - 1) == 0) {
      msg += sizeof no_function - 1;
      if (is_wanted(w, msg)) {
        snprintf(found, size, "%s", msg);
        replayed = 1;
        break;
      }
      if (sqlite3_create_function_v2(scratch, msg, -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, inert_function,
                                     NULL, NULL, NULL) != SQLITE_OK)
        break;
    } else if (strncmp(msg, no_collation, sizeof no_collation - 1) != 0 ||
               sqlite3_create_collation_v2(scratch, msg + sizeof no_collation - 1, SQLITE_UTF8, NULL,
                                           inert_collation, NULL) != SQLITE_OK) {
      break;
    }
  }
  sqlite3_set_authorizer(scratch, NULL, NULL);  /* state is about to go */
  sqlite3_progress_handler(scratch, 0, NULL, NULL);
  return replayed;
}

/* The wanted function sql calls (replayed, or by its text when it will not
** replay) into found; found[0] stays 0 when none. */
static void calls_of(sqlite3 *scratch, const char *sql, const wanted *w, char *found, size_t size) {
  const char *name;
  if (replay(scratch, sql, w, found, size)) return;
  if ((name = mentioned(w, sql)) != NULL) snprintf(found, size, "%s", name);
}

/* The verdict when the schema cannot be read: -1, with db's error (NULL:
** out of memory) as why. */
static int cannot_tell(sqlite3 *db, schema_call *call) {
  snprintf(call->why, sizeof call->why, "%s", db ? sqlite3_errmsg(db) : "out of memory");
  return -1;
}

/* The functions db has that a connection of SQLite's own lacks (FTS5's
** snippet is not built in, yet SQLite's): zb's. */
static int own_functions(sqlite3 *db, wanted *w) {
  static const char list_sql[] = "SELECT DISTINCT name FROM pragma_function_list WHERE NOT builtin";
  sqlite3 *plain = NULL;
  sqlite3_stmt *list = NULL, *in_plain = NULL;
  int rc = SQLITE_NOMEM;
  if (sqlite3_open_v2(":memory:", &plain, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2(plain, "SELECT 1 FROM pragma_function_list WHERE NOT builtin AND name = ?", -1, &in_plain,
                         NULL) != SQLITE_OK ||
      sqlite3_prepare_v2(db, list_sql, -1, &list, NULL) != SQLITE_OK)
    goto done;
  while ((rc = sqlite3_step(list)) == SQLITE_ROW) {
    const char *name = (const char *)sqlite3_column_text(list, 0);
    int plain_has;
    if (name == NULL) {
      rc = SQLITE_NOMEM;
      break;
    }
    sqlite3_bind_text(in_plain, 1, name, -1, SQLITE_STATIC);
    plain_has = sqlite3_step(in_plain) == SQLITE_ROW;
    sqlite3_reset(in_plain);
    if (!plain_has && (rc = want(w, name)) != SQLITE_OK) break;
  }
done:
  sqlite3_finalize(list);
  sqlite3_finalize(in_plain);
  sqlite3_close(plain);
  return rc == SQLITE_DONE ? 0 : -1;
}

/* The objects of database schema on source that may call a wanted
** function, each replayed (an index after its table) until one does. */
static int scan(sqlite3 *source, const char *schema, const wanted *w, schema_harden *harden, schema_call *call) {
  sqlite3 *scratch = NULL;
  sqlite3_stmt *objects = NULL, *table = NULL;
  char *found = call->function, *sql_objects, *sql_table;
  size_t size = sizeof call->function;
  int rc = SQLITE_ERROR;   /* SQLITE_DONE once every object was seen */
  sqlite3 *failed = NULL;  /* the connection whose error stopped the scan; NULL: out of memory */
  found[0] = '\0';
  /* every row SQLite would load as a table or index (it holds the type to
  ** the statement, in any case), tables first */
  sql_objects = sqlite3_mprintf("SELECT lower(type), name, tbl_name, sql FROM \"%w\".sqlite_schema WHERE sql IS NOT NULL "
                                "AND lower(type) NOT IN ('view', 'trigger') ORDER BY lower(type) <> 'table', rowid",
                                schema);
  sql_table = sqlite3_mprintf("SELECT sql FROM \"%w\".sqlite_schema WHERE lower(type) = 'table' AND name = ? "
                              "AND sql IS NOT NULL", schema);
  if (sql_objects == NULL || sql_table == NULL) goto done;
  failed = source;
  if (sqlite3_prepare_v2(source, sql_objects, -1, &objects, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2(source, sql_table, -1, &table, NULL) != SQLITE_OK)
    goto done;
  while (found[0] == '\0' && (rc = sqlite3_step(objects)) == SQLITE_ROW) {
    const char *type = (const char *)sqlite3_column_text(objects, 0);
    const char *sql = (const char *)sqlite3_column_text(objects, 3);
    const char *parent = (const char *)sqlite3_column_text(objects, 2);
    if (type == NULL || sql == NULL || parent == NULL) {
      rc = SQLITE_NOMEM;
      failed = NULL;
      break;
    }
    if (mentioned(w, sql) == NULL) continue;  /* it cannot call what it does not name */
    if (scratch == NULL) {
      if ((rc = sqlite3_open_v2(":memory:", &scratch, SQLITE_OPEN_READWRITE, NULL)) != SQLITE_OK) {
        failed = scratch;
        break;
      }
      harden(scratch);
    }
    if (sqlite3_stricmp(type, "index") == 0 &&
        sqlite3_table_column_metadata(scratch, "main", parent, NULL, NULL, NULL, NULL, NULL, NULL) != SQLITE_OK) {
      sqlite3_bind_text(table, 1, parent, -1, SQLITE_TRANSIENT);
      if (sqlite3_step(table) == SQLITE_ROW && sqlite3_column_text(table, 0) != NULL)
        calls_of(scratch, (const char *)sqlite3_column_text(table, 0), w, found, size);
      sqlite3_reset(table);
      if (found[0] != '\0') {
        snprintf(call->object, sizeof call->object, "table %s", parent);
        break;
      }
    }
    calls_of(scratch, sql, w, found, size);
    if (found[0] != '\0')
      snprintf(call->object, sizeof call->object, "%s %s", type, sqlite3_column_text(objects, 1));
  }
done:
  if (found[0] == '\0' && rc != SQLITE_DONE) cannot_tell(failed, call);
  sqlite3_finalize(table);
  sqlite3_finalize(objects);
  sqlite3_free(sql_table);
  sqlite3_free(sql_objects);
  sqlite3_close(scratch);
  return found[0] != '\0' ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* The file of db's database schema, read-only, on a connection of its own;
** immutable (past its WAL, as db reads it) if db opened it so.  As a URI:
** the characters URIs give meaning to escaped. */
static int open_own(sqlite3 *db, const char *schema, const char *path, schema_harden *harden, sqlite3 **file) {
  int immutable = sqlite3_uri_boolean(sqlite3_db_filename(db, schema), "immutable", 0), rc;
  size_t len = strlen(path), i, k = 0;
  char *escaped = (char *)sqlite3_malloc64(3 * (sqlite3_uint64)len + 1), *uri;
  if (escaped == NULL) return SQLITE_NOMEM;
  for (i = 0; i < len; i++) {
    if (path[i] == '%' || path[i] == '?' || path[i] == '#') k += (size_t)sprintf(escaped + k, "%%%02X", path[i]);
    else escaped[k++] = path[i];
  }
  escaped[k] = '\0';
  uri = sqlite3_mprintf("file:%s?immutable=%d", escaped, immutable);
  sqlite3_free(escaped);
  if (uri == NULL) return SQLITE_NOMEM;
  rc = sqlite3_open_v2(uri, file, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
  sqlite3_free(uri);
  if (rc == SQLITE_OK) {
    harden(*file);
    sqlite3_busy_timeout(*file, 5000);
  }
  return rc;
}

int schema_calls(sqlite3 *db, const char *schema, const char *name, int how, schema_harden *harden,
                 schema_call *call) {
  sqlite3 *file = NULL;
  wanted w = {NULL, 0};
  int verdict;
  snprintf(call->schema, sizeof call->schema, "%s", schema);
  snprintf(call->path, sizeof call->path, "%s", sqlite3_db_filename(db, schema));
  if (name != NULL ? want(&w, name) != SQLITE_OK : own_functions(db, &w) != 0) {
    verdict = cannot_tell(db, call);
  } else if (how == SCHEMA_THROUGH_DB) {
    verdict = scan(db, schema, &w, harden, call);
  } else if (open_own(db, schema, call->path, harden, &file) != SQLITE_OK) {
    verdict = cannot_tell(file, call);
  } else {
    verdict = scan(file, "main", &w, harden, call);
  }
  sqlite3_close(file);
  forget_functions(&w);
  return verdict;
}

int schema_calls_in_files(sqlite3 *db, const char *name, int how, schema_harden *harden, schema_call *call) {
  const char *each;
  int i, verdict;
  for (i = 0; (each = sqlite3_db_name(db, i)) != NULL; i++) {
    const char *path = sqlite3_db_filename(db, each);
    if (path == NULL || path[0] == '\0') continue;  /* in memory: only this session wrote it */
    if ((verdict = schema_calls(db, each, name, how, harden, call)) != 0) return verdict;
  }
  return 0;
}
