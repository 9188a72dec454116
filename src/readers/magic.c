/*
** magic.c: what a file's first bytes say it is.  A statistics site's .xls
** is as often an HTML page or an Excel 2003 XML file as a workbook, and a
** CSV download may be UTF-16 or a web page: the reader says which, and
** which reader or which step reads it.
*/
#include <stdio.h>
#include <string.h>

#include "magic.h"

static const struct {
  const char *name;
  const char *what;
  const char *advice;
} kinds[] = {
  [MAGIC_TEXT] = {"text", "text", ""},
  [MAGIC_ZIP] = {"zip", "an xlsx workbook or another ZIP archive", "read a workbook with zb.read_xlsx, or unzip the archive"},
  [MAGIC_OLE2] = {"xls", "an Excel workbook in an OLE2 file (an old .xls, or an encrypted .xlsx)",
                  "read it with zb.read_xlsx, which says which"},
  [MAGIC_PDF] = {"pdf", "a PDF document", "take the table from its source as CSV or a workbook"},
  [MAGIC_SQLITE] = {"sqlite", "a SQLite database", "open it with zb -d FILE, or zb.attach(FILE)"},
  [MAGIC_UTF16LE] = {"utf-16", "UTF-16 text (little-endian; Excel's \"Unicode text\")",
                     "save it as UTF-8 (in Excel: \"CSV UTF-8\")"},
  [MAGIC_UTF16BE] = {"utf-16", "UTF-16 text (big-endian)", "save it as UTF-8 (in Excel: \"CSV UTF-8\")"},
  [MAGIC_UTF16] = {"utf-16", "UTF-16 text (a NUL byte beside each letter)", "save it as UTF-8 (in Excel: \"CSV UTF-8\")"},
  [MAGIC_HTML] = {"html", "an HTML page (a download that returned a web page, or a table saved as a web page, as many"
                          " statistics sites' .xls files are)",
                  "fetch the data file itself, or open the page in a spreadsheet and save it as .xlsx"},
  [MAGIC_XML] = {"xml", "an XML document (an Excel 2003 XML spreadsheet, SDMX-ML or another)",
                 "save a spreadsheet as .xlsx and read it with zb.read_xlsx; for SDMX, download SDMX-CSV for zb.read_sdmx"},
  [MAGIC_JSON] = {"json", "JSON text", "read it with zb.read_json (an array of objects) or zb.read_jsonstat (JSON-stat)"},
};

/* Whether the bytes begin with prefix, ASCII letters in any case. */
static int begins(const char *s, size_t n, const char *prefix) {
  size_t i, len = strlen(prefix);
  if (n < len) return 0;
  for (i = 0; i < len; i++) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
    if (c != prefix[i]) return 0;
  }
  return 1;
}

/* Whether NUL bytes among the first 64 fall on one side of each pair, as
** UTF-16 spells ASCII. */
static int looks_utf16(const char *s, size_t size) {
  size_t i, n = size < 64 ? size : 64, even = 0, odd = 0;
  for (i = 0; i < n; i++)
    if (s[i] == '\0') ++*(i % 2 ? &odd : &even);
  return n >= 4 && (even == 0) != (odd == 0) && (even + odd) * 6 >= n;  /* one side only, a sixth or more */
}

magic_kind magic_kind_of(const char *bytes, size_t n) {
  static const struct { const char *magic; size_t len; magic_kind kind; } signatures[] = {
    {"PK\3\4", 4, MAGIC_ZIP}, {"\xD0\xCF\x11\xE0", 4, MAGIC_OLE2}, {"%PDF", 4, MAGIC_PDF},
    {"SQLite format 3", 16, MAGIC_SQLITE}, {"\xFF\xFE", 2, MAGIC_UTF16LE}, {"\xFE\xFF", 2, MAGIC_UTF16BE},
  };
  static const char *const html[] = {"<!doctype html", "<html", "<table", "<head", "<meta"};
  size_t i;
  for (i = 0; i < sizeof signatures / sizeof *signatures; i++)
    if (n >= signatures[i].len && memcmp(bytes, signatures[i].magic, signatures[i].len) == 0) return signatures[i].kind;
  if (looks_utf16(bytes, n)) return MAGIC_UTF16;
  if (n >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0) bytes += 3, n -= 3;
  while (n > 0 && (*bytes == ' ' || *bytes == '\t' || *bytes == '\r' || *bytes == '\n')) bytes++, n--;
  for (i = 0; i < sizeof html / sizeof *html; i++)
    if (begins(bytes, n, html[i])) return MAGIC_HTML;
  if (begins(bytes, n, "<?xml")) {
    /* an XHTML page declares itself XML too */
    for (i = 0; i + 5 <= n; i++)
      if (begins(bytes + i, n - i, "<html")) return MAGIC_HTML;
    return MAGIC_XML;
  }
  if (n > 0 && *bytes == '{') return MAGIC_JSON;
  if (n > 0 && *bytes == '[') {  /* an array; not a CSV header such as [id],name */
    for (i = 1; i < n && (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\r' || bytes[i] == '\n'); i++) {}
    if (i < n && strchr("{[\"]-0123456789", bytes[i]) != NULL) return MAGIC_JSON;
  }
  return MAGIC_TEXT;
}

const char *magic_message(magic_kind kind, const char *asked, char *buf, size_t size) {
  if (kind == MAGIC_UTF16LE || kind == MAGIC_UTF16BE || kind == MAGIC_UTF16)
    snprintf(buf, size, "%s, which zb does not read: %s", kinds[kind].what, kinds[kind].advice);
  else
    snprintf(buf, size, "%s, not %s: %s", kinds[kind].what, asked, kinds[kind].advice);
  return buf;
}

const char *magic_name(magic_kind kind) {
  return kinds[kind].name;
}
