/*
** csv_reader.c: RFC 4180 records (quoted fields, doubled quotes,
** separators and newlines inside quotes, CRLF, lone CRs) and what
** spreadsheets export (a BOM; ';', tab or '|' separators; the spellings
** of a missing value and, when loose, "18,109" and "27.1%").
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "csv_reader.h"

#define NUMBER_MAX 400  /* longer fields are text */

/* ---- records ---- */

void csv_reader_init(csv_reader *r, const char *text, size_t size, char sep, csv_alloc alloc, void *ud) {
  memset(r, 0, sizeof *r);
  r->start = r->p = text;
  r->end = text + size;
  if (size >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) r->start = r->p += 3;
  r->sep = sep != 0 ? sep : csv_detect_separator(r->p, r->end);
  r->alloc = alloc;
  r->ud = ud;
}

void csv_reader_free(csv_reader *r) {
  if (r->fields != NULL) r->alloc(r->ud, r->fields, r->cap * sizeof *r->fields, 0);
  if (r->scratch != NULL) r->alloc(r->ud, r->scratch, r->scratch_cap, 0);
  r->fields = NULL;
  r->scratch = NULL;
  r->cap = r->scratch_cap = 0;
}

void csv_locate(const char *start, const char *at, int *line, int *column) {
  const char *p;
  *line = *column = 1;
  for (p = start; p < at; p++) {
    if (*p == '\n' || (*p == '\r' && (p + 1 == at || p[1] != '\n'))) ++*line, *column = 1;
    else if (((unsigned char)*p & 0xC0) != 0x80) ++*column;
  }
}

const char *csv_skip_lines(const char *p, const char *end, int n) {
  for (; n > 0; n--) {
    if (p >= end) return NULL;
    while (p < end && *p != '\n' && *p != '\r') p++;
    if (p < end && *p == '\r') p++;
    if (p < end && *p == '\n') p++;
  }
  return p;
}

const char *csv_last_lines(const char *start, const char *end, int n) {
  const char *p = end;
  while (p > start && (p[-1] == '\n' || p[-1] == '\r')) p--;
  for (; n > 0; n--) {
    if (p <= start) return NULL;
    while (p > start && p[-1] != '\n' && p[-1] != '\r') p--;
    if (n > 1 && p > start) {  /* onto the line before: its line end */
      if (p[-1] == '\n' && p - 1 > start && p[-2] == '\r') p--;
      p--;
    }
  }
  return p;
}

static int malformed(const csv_reader *r, csv_problem *problem, const char *at, const char *what) {
  problem->what = what;
  problem->at = at;
  csv_locate(r->start, at, &problem->line, &problem->column);
  return CSV_MALFORMED;
}

static int add_field(csv_reader *r, size_t n, csv_field f) {
  if (n >= r->cap) {
    size_t cap = r->cap * 2 + 16;
    csv_field *grown = (csv_field *)r->alloc(r->ud, r->fields, r->cap * sizeof *grown, cap * sizeof *grown);
    if (grown == NULL) return 0;
    r->fields = grown;
    r->cap = cap;
  }
  r->fields[n] = f;
  return 1;
}

/* Set f to the quoted field whose opening quote is at q; returns the byte
** after its closing quote, or NULL when there is none. */
static const char *quoted_field(const csv_reader *r, const char *q, csv_field *f) {
  f->s = ++q;
  for (;;) {
    if (q >= r->end) return NULL;
    if (*q == '"') {
      if (q + 1 < r->end && q[1] == '"') {
        f->escaped = 1;
        q += 2;
        continue;
      }
      break;
    }
    q++;
  }
  f->len = (size_t)(q - f->s);
  return q + 1;
}

int csv_next(csv_reader *r, csv_problem *problem) {
  size_t n;
  const char *q;
  while (r->p < r->end && (*r->p == '\n' || *r->p == '\r')) r->p++;
  if (r->p >= r->end) return CSV_END;
  r->record = r->p;
  for (n = 0, q = r->p;; n++) {
    csv_field f;
    f.escaped = 0;
    if (q < r->end && *q == '"') {
      const char *open = q;
      if ((q = quoted_field(r, q, &f)) == NULL)
        return malformed(r, problem, open, "unterminated quoted field (its closing quote is missing)");
      if (q < r->end && *q != r->sep && *q != '\n' && *q != '\r')
        return malformed(r, problem, q, "expected a separator or the end of the line after a closing quote");
    }
    else {
      f.s = q;
      while (q < r->end && *q != r->sep && *q != '\n' && *q != '\r') q++;
      f.len = (size_t)(q - f.s);
    }
    if (!add_field(r, n, f)) return CSV_NO_MEMORY;
    if (q < r->end && *q == r->sep) {
      q++;
      continue;
    }
    if (q < r->end && *q == '\r') q++;
    if (q < r->end && *q == '\n') q++;
    r->p = q;
    return (int)n + 1;
  }
}

const char *csv_field_text(csv_reader *r, const csv_field *f, size_t *len) {
  size_t i, k = 0;
  if (!f->escaped) {
    *len = f->len;
    return f->s;
  }
  if (f->len > r->scratch_cap) {
    char *grown = (char *)r->alloc(r->ud, r->scratch, r->scratch_cap, f->len);
    if (grown == NULL) return NULL;
    r->scratch = grown;
    r->scratch_cap = f->len;
  }
  for (i = 0; i < f->len; i++) {
    r->scratch[k++] = f->s[i];
    if (f->s[i] == '"') i++;  /* the second of a doubled quote */
  }
  *len = k;
  return r->scratch;
}

/* ---- the separator ---- */

static int is_candidate(char ch) {
  return ch == ',' || ch == ';' || ch == '\t' || ch == '|';
}

/* Counting on each of the first 20 lines, so that a title line with a
** comma above ';' data does not decide. */
char csv_detect_separator(const char *p, const char *end) {
  static const char candidates[] = ",;\t|";
  int counts[20][4], lines = 0, i, j, k, best = -1, best_score = 0;
  memset(counts, 0, sizeof counts);
  while (p < end && lines < 20) {
    int quoted = 0, at_start = 1;
    for (; p < end && (quoted || (*p != '\n' && *p != '\r')); p++) {
      if (*p == '"' && (quoted || at_start)) quoted = !quoted;
      else if (!quoted)
        for (i = 0; i < 4; i++)
          if (*p == candidates[i]) counts[lines][i]++;
      at_start = !quoted && is_candidate(*p);
    }
    while (p < end && (*p == '\n' || *p == '\r')) p++;
    lines++;
  }
  for (i = 0; i < 4; i++)
    for (j = 0; j < lines; j++) {  /* the lines that agree with line j's count */
      int score = 0;
      if (counts[j][i] == 0) continue;
      for (k = 0; k < lines; k++) score += counts[k][i] == counts[j][i];
      if (score > best_score) best = i, best_score = score;
    }
  return best < 0 ? ',' : candidates[best];
}

/* ---- values ---- */

/* Checked for every field. */
int csv_is_na(const csv_values *v, const char *s, size_t len) {
  int i;
  switch (len) {
    case 0: return 1;
    case 1: if (s[0] == '-') return 1; break;
    case 3:
      if (memcmp(s, "\xE2\x80\x94", 3) == 0 || memcmp(s, "\xE2\x80\xA6", 3) == 0) return 1;
      break;
  }
  for (i = 0; i < v->nna; i++)
    if (len == v->na_len[i] && memcmp(s, v->na[i], len) == 0) return 1;
  return 0;
}

/* NULL in a column of numbers, so that one 'N/A' does not turn 9 and 10
** into text. */
static const char *const numeric_na[] = {"NA", "N/A", "n/a", "N.A.", "n.a.", "#N/A", "#NA", "NaN", "nan", "-NaN", "-nan",
                                         "NULL", "null", "Null", "None", "none", "NONE", "<NA>", "x", "X", "..", "...",
                                         "\xEF\xBC\x8D" /* a full-width dash */, NULL};

#define NUMERIC_NA_MAX 4  /* bytes of the longest */

/* Checked for every field of a column of numbers: a number (a digit first,
** or longer than any spelling) is told apart at once. */
int csv_is_missing_number(const char *s, size_t len) {
  if (len == 0 || len > NUMERIC_NA_MAX || (s[0] >= '0' && s[0] <= '9')) return 0;
  for (const char *const *na = numeric_na; *na; na++)
    if (strlen(*na) == len && memcmp(s, *na, len) == 0) return 1;
  return 0;
}

/* How footnotes under statistical tables begin: 注, 说明, 资料来源 ... */
static const char *const note_openings[] = {"\xE6\xB3\xA8" /* 注 */, "\xE8\xAF\xB4\xE6\x98\x8E" /* 说明 */,
                                            "\xE5\xA4\x87\xE6\xB3\xA8" /* 备注 */,
                                            "\xE9\x99\x84\xE6\xB3\xA8" /* 附注 */,
                                            "\xE6\x9D\xA5\xE6\xBA\x90" /* 来源 */,
                                            "\xE8\xB5\x84\xE6\x96\x99\xE6\x9D\xA5\xE6\xBA\x90" /* 资料来源 */,
                                            "\xE6\x95\xB0\xE6\x8D\xAE\xE6\x9D\xA5\xE6\xBA\x90" /* 数据来源 */,
                                            "*", "\xE2\x80\xBB" /* ※ */, "\xEF\xBC\x8A" /* ＊ */, "note", "source",
                                            NULL};

static int opens_with(const char *s, size_t len, const char *opening) {
  size_t i, n = strlen(opening);
  if (n > len) return 0;
  for (i = 0; i < n; i++)
    if ((s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i]) != opening[i]) return 0;
  return 1;
}

int csv_reads_as_note(const char *s, size_t len) {
  const char *const *opening;
  size_t i;
  for (opening = note_openings; *opening; opening++)
    if (opens_with(s, len, *opening)) return 1;
  /* a circled number (①..⑳) or a sentence ending in 。 */
  if (len >= 3 && (unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x91 && (unsigned char)s[2] >= 0xA0 &&
      (unsigned char)s[2] <= 0xB3)
    return 1;
  for (i = 0; i + 3 <= len; i++)
    if (memcmp(s + i, "\xE3\x80\x82", 3) == 0) return 1;
  return 0;
}

/* Powers of ten that doubles hold exactly. */
static const double exact_pow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
                                     1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/*
** The common cases are read here (an integer of up to 18 digits; a decimal
** of up to 15 significant digits, as mantissa / 10^k, which IEEE division
** rounds correctly); the rest go through strtoll and strtod, after writing
** the digits without thousands separators or '%' into buf.
*/
int csv_classify(const csv_values *v, const char *s, size_t len, csv_number *out) {
  char buf[NUMBER_MAX];
  size_t i = 0, k = 0;
  int digits = 0, significant = 0, fraction = 0, run = 0, grouped = 0, dot = 0, exp = 0, negative = 0;
  unsigned long long mantissa = 0;
  if (len >= sizeof buf) return CSV_TEXT;
  if (v->loose && len > 1 && s[len - 1] == '%') len--;
  if (i < len && (s[i] == '+' || s[i] == '-')) {
    negative = s[i] == '-';
    buf[k++] = s[i++];
  }
  if (i + 1 < len && s[i] == '0' && s[i + 1] >= '0' && s[i + 1] <= '9') return CSV_TEXT;
  for (; i < len; i++) {
    char ch = s[i];
    if (ch >= '0' && ch <= '9') {
      digits++;
      if (!exp) {
        if (significant || ch != '0') significant++;
        if (significant <= 18) mantissa = mantissa * 10 + (unsigned)(ch - '0');
        if (dot) fraction++;
        else run++;
      }
    }
    else if (ch == ',' && v->loose && !dot && !exp) {
      /* a thousands separator: 1-3 digits before the first (not "0"), 3 between */
      if (run == 0 || run > 3 || (grouped && run != 3)) return CSV_TEXT;
      if (!grouped && s[i - run] == '0') return CSV_TEXT;
      grouped = 1;
      run = 0;
      continue;
    }
    else if (ch == '.' && !dot && !exp) dot = 1;
    else if ((ch == 'e' || ch == 'E') && digits && !exp) {
      exp = 1;
      buf[k++] = 'e';
      if (i + 1 < len && (s[i + 1] == '+' || s[i + 1] == '-')) buf[k++] = s[++i];
      if (!(i + 1 < len && s[i + 1] >= '0' && s[i + 1] <= '9')) return CSV_TEXT;
      continue;
    }
    else return CSV_TEXT;
    if (grouped && (dot || exp) && run != 3) return CSV_TEXT;
    buf[k++] = ch;
  }
  buf[k] = '\0';
  if (digits == 0 || (grouped && !dot && !exp && run != 3)) return CSV_TEXT;
  if (!dot && !exp) {
    if (significant <= 18) {
      out->i = negative ? -(long long)mantissa : (long long)mantissa;
      return CSV_INTEGER;
    }
    errno = 0;
    out->i = strtoll(buf, NULL, 10);
    return errno == ERANGE ? CSV_TEXT : CSV_INTEGER;
  }
  if (!exp && significant <= 15 && fraction <= 22) {
    out->d = (double)mantissa / exact_pow10[fraction];
    if (negative) out->d = -out->d;
    return CSV_REAL;
  }
  errno = 0;
  out->d = strtod(buf, NULL);
  /* overflow is text; underflow (1e-310) is the nearest real, as written */
  return (errno == ERANGE && (out->d > 1.0 || out->d < -1.0)) ? CSV_TEXT : CSV_REAL;
}
