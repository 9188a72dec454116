/*
** magic.h: what a file is, from its first bytes, when a reader finds it is
** not the format asked for: a workbook, a PDF, a database, UTF-16 or HTML
** given to the CSV reader, and so on.  Every reader names it the same way.
*/
#ifndef ZB_MAGIC_H
#define ZB_MAGIC_H

#include <stddef.h>

typedef enum {
  MAGIC_TEXT,  /* nothing else known: maybe the format asked for */
  MAGIC_ZIP, MAGIC_OLE2, MAGIC_PDF, MAGIC_SQLITE, MAGIC_UTF16LE, MAGIC_UTF16BE, MAGIC_UTF16,
  MAGIC_HTML, MAGIC_XML, MAGIC_JSON
} magic_kind;

/* The least a reader reads of a file to know its kind. */
#define MAGIC_BYTES 512

/* What the first n bytes of a file show it to be. */
magic_kind magic_kind_of(const char *bytes, size_t n);

/* "what it is, not ASKED: which reader to use" for kind (not MAGIC_TEXT). */
const char *magic_message(magic_kind kind, const char *asked, char *buf, size_t size);

/* The kind's short name: "text", "zip", "xls", "pdf", "sqlite", "utf-16",
** "html", "xml", "json". */
const char *magic_name(magic_kind kind);

#endif
