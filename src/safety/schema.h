/*
** schema.h: which functions a database file's schema calls from the parts
** SQLite runs on rows written or read (CHECK constraints, generated
** columns, expression and partial indexes).  SQLite 3.40 refuses a
** DIRECTONLY function there only when it is deterministic and known as the
** schema is read, so zb asks before it lets a file and a function meet:
** when it opens or attaches a file, and when it defines a function.
*/
#ifndef ZB_SCHEMA_H
#define ZB_SCHEMA_H

#include <sqlite3.h>

typedef struct schema_call {
  char object[512];    /* "table c" */
  char function[256];  /* what it calls */
  char why[512];       /* when it cannot be told */
  char schema[256];    /* the database's name on db */
  char path[4096];     /* its file */
} schema_call;

/* How a schema is read: through db itself, or through a connection of the
** scan's own, so that db takes no lock on the file (a file just attached
** can be detached again). */
enum { SCHEMA_THROUGH_DB, SCHEMA_OWN_CONNECTION };

/* What makes a connection safe to read an untrusted file with
** (safety_harden): each connection the scan opens is given to it first. */
typedef void schema_harden(sqlite3 *db);

/* Whether the schema of database schema on db calls the function name, or
** with name NULL any function db has that SQLite's own connections lack
** (zb's: metrics, aggregates, zb_lua), read as how says.  0: no; 1: yes,
** and call says which object calls which function; -1: it cannot be told,
** call->why says why. */
int schema_calls(sqlite3 *db, const char *schema, const char *name, int how, schema_harden *harden,
                 schema_call *call);

/* The same for each database file open on db, until one does (or cannot
** be told). */
int schema_calls_in_files(sqlite3 *db, const char *name, int how, schema_harden *harden, schema_call *call);

#endif
