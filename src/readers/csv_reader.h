/*
** csv_reader.h: CSV text as records of fields, and what a field spells (a
** missing value, an integer, a real or text).  Plain C over bytes the
** caller owns, with no Lua and no SQLite: the loader (csv.c) and the unit
** tests drive it alike.  Problems come back as return codes and a
** csv_problem, never as a jump; memory comes from the caller's allocator.
*/
#ifndef ZB_CSV_READER_H
#define ZB_CSV_READER_H

#include <stddef.h>

/* lua_Alloc's contract, so Lua's own allocator serves (and --max-memory
** holds the reader's buffers too): size 0 frees p and returns NULL; else p
** resized to size bytes, or NULL with p left as it was.  old is p's size,
** and 0 when p is NULL. */
typedef void *(*csv_alloc)(void *ud, void *p, size_t old, size_t size);

typedef struct csv_field {
  const char *s;  /* in the text; a quoted field without its quotes */
  size_t len;
  int escaped;    /* holds doubled quotes, which csv_field_text undoes */
} csv_field;

/* What is wrong with the text, and where. */
typedef struct csv_problem {
  const char *what;   /* a sentence (static) */
  const char *at;     /* the byte it is at */
  int line, column;   /* of at, as csv_locate counts them */
} csv_problem;

/* A cursor over the records of a text, and the fields of the last one. */
typedef struct csv_reader {
  const char *start;   /* line 1, column 1: the text after a byte order mark */
  const char *p;       /* the next record: a caller may set it back to where one began */
  const char *record;  /* where the last record read began (after the blank lines before it) */
  const char *end;     /* a caller may set it earlier, to where a record began */
  char sep;
  csv_field *fields;   /* the last record's fields (grown with alloc) */
  size_t cap;
  char *scratch;       /* the last escaped field's text (grown with alloc) */
  size_t scratch_cap;
  csv_alloc alloc;
  void *ud;
} csv_reader;

/* csv_next's results besides a record's field count. */
enum { CSV_END = 0, CSV_MALFORMED = -1, CSV_NO_MEMORY = -2 };

/* Start r, which holds no buffers (zeroed, or freed), at the first record
** of text[0..size); the text must outlive r.  sep is not a quote or a line
** end; 0: the separator csv_detect_separator finds. */
void csv_reader_init(csv_reader *r, const char *text, size_t size, char sep, csv_alloc alloc, void *ud);

/* Free r's buffers; r holds none after (a zeroed reader has none either). */
void csv_reader_free(csv_reader *r);

/* Read the record at r->p into r->fields and return its field count (at
** least 1); blank lines are skipped.  CSV_END when no record is left;
** CSV_MALFORMED with *problem set (r->p does not move); CSV_NO_MEMORY. */
int csv_next(csv_reader *r, csv_problem *problem);

/* The text of a field of r's, its doubled quotes undone (then in r's
** scratch, until the next call); NULL when out of memory. */
const char *csv_field_text(csv_reader *r, const csv_field *f, size_t *len);

/* Among , ; tab and |, the separator found the same number of times
** (outside quotes) on the most of the first 20 lines of text[p..end);
** ',' when none is found. */
char csv_detect_separator(const char *p, const char *end);

/* Where at is in the text from start: lines from 1 (LF, CRLF or a lone CR
** ends one), columns from 1 in characters (UTF-8 lead bytes). */
void csv_locate(const char *start, const char *at, int *line, int *column);

/* Where the text from p goes on after n lines (LF, CRLF or a lone CR ends
** one; blank ones count; a quote does not join lines), before end; NULL
** when it holds fewer than n lines. */
const char *csv_skip_lines(const char *p, const char *end, int n);

/* Where the last n lines of text[start..end) begin, line ends at its end
** (blank lines after the last) not counted; NULL when it holds fewer. */
const char *csv_last_lines(const char *start, const char *end, int n);

/* ---- values ---- */

#define CSV_NA_MAX 32  /* spellings of NULL a caller may add */

/* How fields read as values. */
typedef struct csv_values {
  int loose;                   /* "18,109" and "27.1%" are numbers */
  const char *na[CSV_NA_MAX];  /* more spellings of NULL (the caller's, alive while used) */
  size_t na_len[CSV_NA_MAX];
  int nna;
} csv_values;

/* What a value is, in the order a column widens: a column takes the
** greatest of its values' (CSV_NONE while it holds no value). */
enum { CSV_NONE, CSV_INTEGER, CSV_REAL, CSV_TEXT };

/* A number as csv_classify reads it. */
typedef struct csv_number {
  long long i;  /* CSV_INTEGER */
  double d;     /* CSV_REAL */
} csv_number;

/* Whether s[0..len) is NULL in any column: "", "-", "—", "…" and v's own
** spellings ("NA" is Namibia's code in a column of text). */
int csv_is_na(const csv_values *v, const char *s, size_t len);

/* Whether s[0..len) spells a missing value in a column of numbers ("NA", "N/A",
** "#N/A", "NaN", "null", "..." and more: pandas' and the statistical
** offices'), which a column of text keeps as written. */
int csv_is_missing_number(const char *s, size_t len);

/* Whether text s[0..len), alone on a line right under a table's rows,
** reads as a footnote rather than a row with no values: it opens as notes
** do (注, 说明, 资料来源, "Source", "*", ①) or holds a sentence's 。. */
int csv_reads_as_note(const char *s, size_t len);

/* CSV_INTEGER or CSV_REAL, read into *out, when s[0..len) is a number;
** else CSV_TEXT.  A leading zero ("0571") keeps it text, and so does a
** number out of range, so that a long code stays exact. */
int csv_classify(const csv_values *v, const char *s, size_t len, csv_number *out);

#endif
