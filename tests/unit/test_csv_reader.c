/*
** test_csv_reader.c: the CSV reader alone, without Lua or SQLite: records
** as it splits them (quotes, line ends, blank lines), its problems with
** their line and column, the separator it detects, its memory through the
** caller's allocator, and what each field spells as a value.
*/
#include <stdlib.h>

#include "csv_reader.h"
#include "unit.h"

/* The caller's allocator: counts what is held, refuses after a budget, and
** notes a call that breaks the contract (an old size for no block). */
typedef struct heap {
  long held;
  int left;  /* allocations still granted; -1: no limit */
  int misuse;
} heap;

static void *heap_alloc(void *ud, void *p, size_t old, size_t size) {
  heap *h = (heap *)ud;
  void *grown;
  if (p == NULL && old != 0) h->misuse = 1;
  if (size == 0) {
    free(p);
    h->held -= (long)old;
    return NULL;
  }
  if (h->left == 0) return NULL;
  if (h->left > 0) h->left--;
  if ((grown = realloc(p, size)) != NULL) h->held += (long)size - (long)old;
  return grown;
}

/* Every record of text (separator sep, 0: detected) as "[field][field]",
** records apart by a space; or the problem as "LINE:COLUMN: what". */
static const char *records(const char *text, char sep, char *out, size_t size) {
  heap h = {0, -1, 0};
  csv_reader r;
  csv_problem problem;
  size_t used = 0;
  int n, i;
  out[0] = '\0';
  csv_reader_init(&r, text, strlen(text), sep, heap_alloc, &h);
  while ((n = csv_next(&r, &problem)) > 0) {
    if (used > 0) used += (size_t)snprintf(out + used, size - used, " ");
    for (i = 0; i < n; i++) {
      size_t len;
      const char *s = csv_field_text(&r, &r.fields[i], &len);
      used += (size_t)snprintf(out + used, size - used, "[%.*s]", (int)len, s);
    }
  }
  if (n == CSV_MALFORMED) snprintf(out, size, "%d:%d: %s", problem.line, problem.column, problem.what);
  if (n == CSV_NO_MEMORY) snprintf(out, size, "no memory");
  csv_reader_free(&r);
  if (h.held != 0 || h.misuse) snprintf(out, size, "memory misused: %ld bytes held", h.held);
  return out;
}

static void test_records(void) {
  char out[512];
  CHECK_STR(records("a,b,c\n1,2,3\n", ',', out, sizeof out), "[a][b][c] [1][2][3]", "fields and records");
  CHECK_STR(records("a,b\n1,2", ',', out, sizeof out), "[a][b] [1][2]", "a last line without its newline");
  CHECK_STR(records("a,,c\n,,\n", ',', out, sizeof out), "[a][][c] [][][]", "empty fields");
  CHECK_STR(records("\"x,y\",\"two\nlines\",z\n", ',', out, sizeof out), "[x,y][two\nlines][z]",
            "a separator and a newline inside quotes");
  CHECK_STR(records("\"says \"\"hi\"\"\",2\n", ',', out, sizeof out), "[says \"hi\"][2]", "doubled quotes are undone");
  CHECK_STR(records("\"\"\"\"\n", ',', out, sizeof out), "[\"]", "a field of one quote");
  CHECK_STR(records("\"\",x\n", ',', out, sizeof out), "[][x]", "an empty quoted field");
  CHECK_STR(records("a,b\r\n1,2\r\n", ',', out, sizeof out), "[a][b] [1][2]", "CRLF line ends");
  CHECK_STR(records("a\r1\r2", ',', out, sizeof out), "[a] [1] [2]", "old Mac line ends (a lone CR)");
  CHECK_STR(records("\n\na\n\r\n\nb\n\n", ',', out, sizeof out), "[a] [b]", "blank lines are skipped");
  CHECK_STR(records("a,\n", ',', out, sizeof out), "[a][]", "a separator last on the line leaves an empty field");
  CHECK_STR(records("a\"b,c\"\n", ',', out, sizeof out), "[a\"b][c\"]", "a quote inside an unquoted field is text");
  CHECK_STR(records("a,b;c\n", ';', out, sizeof out), "[a,b][c]", "the caller's separator");
  CHECK_STR(records("\xEF\xBB\xBF" "a,b\n", ',', out, sizeof out), "[a][b]", "a byte order mark is no text");
  CHECK_STR(records("", ',', out, sizeof out), "", "no text, no record");
  CHECK_STR(records("\r\n\n", ',', out, sizeof out), "", "blank lines only, no record");
}

static void test_problems(void) {
  char out[512];
  CHECK_STR(records("a,b\n1,\"x\n2,3\n", ',', out, sizeof out),
            "2:3: unterminated quoted field (its closing quote is missing)", "an unterminated quote, at its line:column");
  CHECK_STR(records("a,b\n\"x\"y,2\n", ',', out, sizeof out),
            "2:4: expected a separator or the end of the line after a closing quote", "text after a closing quote");
  CHECK_STR(records("\"a\" ,b\n", ',', out, sizeof out),
            "1:4: expected a separator or the end of the line after a closing quote", "a space after a closing quote");
  CHECK_STR(records("杭州,宁波,\"x\n", ',', out, sizeof out),
            "1:7: unterminated quoted field (its closing quote is missing)", "columns count characters, not bytes");
  CHECK_STR(records("a\r\nb\rc\n\"", ',', out, sizeof out),
            "4:1: unterminated quoted field (its closing quote is missing)", "CRLF, CR and LF each end one line");
  CHECK_STR(records("\xEF\xBB\xBF\"x", ',', out, sizeof out),
            "1:1: unterminated quoted field (its closing quote is missing)", "columns count from after a byte order mark");
  {
    heap h = {0, -1, 0};
    csv_reader r;
    csv_problem problem;
    const char *text = "a\n\"b\n";
    csv_reader_init(&r, text, strlen(text), ',', heap_alloc, &h);
    CHECK(csv_next(&r, &problem) == 1, "a record before a bad one is read");
    CHECK(csv_next(&r, &problem) == CSV_MALFORMED && problem.at == text + 2 && r.p == text + 2,
          "a malformed record: the problem is at its opening quote, and the cursor stays there");
    csv_reader_free(&r);
  }
  {
    heap h = {0, -1, 0};
    csv_reader r;
    csv_problem problem;
    int line, column;
    const char *text = "a,b\r\n\r\n\n1,2,3\n";
    csv_reader_init(&r, text, strlen(text), ',', heap_alloc, &h);
    csv_next(&r, &problem);
    CHECK(csv_next(&r, &problem) == 3 && r.record == text + 8, "a record begins after the blank lines before it");
    csv_locate(r.start, r.record, &line, &column);
    CHECK(line == 4 && column == 1, "... on its own line, blank lines counted");
    csv_reader_free(&r);
  }
  {
    const char *text = "a\r\nb";
    int line, column;
    csv_locate(text, text + 2, &line, &column);
    CHECK(line == 2 && column == 1, "a CR counts as a line end even with its LF still ahead");
    csv_locate(text, text + 4, &line, &column);
    CHECK(line == 2 && column == 2, "... and its CRLF as one");
  }
}

static void test_lines(void) {
  const char *text = "a\n\nb\r\nc\rd\n\n";
  const char *end = text + strlen(text);
  CHECK(csv_skip_lines(text, end, 0) == text, "skipping no lines stays");
  CHECK(csv_skip_lines(text, end, 2) == text + 3, "a blank line counts as a line");
  CHECK(csv_skip_lines(text, end, 3) == text + 6 && csv_skip_lines(text, end, 4) == text + 8,
        "CRLF and a lone CR each end one line");
  CHECK(csv_skip_lines(text, end, 6) == end && csv_skip_lines(text, end, 7) == NULL,
        "the last (blank) line, then no more");
  CHECK(csv_last_lines(text, end, 1) == text + 8, "the last line, blank lines after it not counted");
  CHECK(csv_last_lines(text, end, 2) == text + 6 && csv_last_lines(text, end, 3) == text + 3,
        "lines back over a lone CR and a CRLF");
  CHECK(csv_last_lines(text, end, 4) == text + 2 && csv_last_lines(text, end, 5) == text,
        "a blank line counts on the way back too");
  CHECK(csv_last_lines(text, end, 6) == NULL, "fewer lines than asked: NULL");
  CHECK(csv_last_lines(text, text, 1) == NULL && csv_last_lines("\n\n", "\n\n" + 2, 1) == NULL,
        "no line in no text, nor in blank lines");
}

static void test_cursor(void) {
  heap h = {0, -1, 0};
  csv_reader r;
  csv_problem problem;
  const char *text = "h1,h2\n1,\"a\"\"b\"\nnote\n";
  const char *second;
  size_t len;
  const char *s;
  csv_reader_init(&r, text, strlen(text), 0, heap_alloc, &h);
  CHECK(r.sep == ',' && r.start == text, "a reader starts at the text, its separator detected");
  CHECK(csv_next(&r, &problem) == 2, "the header's two fields");
  second = r.p;
  CHECK(second == text + 6, "... and the cursor at the next record");
  CHECK(csv_next(&r, &problem) == 2 && r.fields[1].escaped && !r.fields[0].escaped, "a field with doubled quotes is marked");
  s = csv_field_text(&r, &r.fields[0], &len);
  CHECK(s == text + 6 && len == 1, "a field without doubled quotes is the text itself, not a copy");
  s = csv_field_text(&r, &r.fields[1], &len);
  CHECK(s == r.scratch && len == 3 && memcmp(s, "a\"b", 3) == 0, "one with them is undone in the scratch");
  r.p = second;
  r.end = text + strlen("h1,h2\n1,\"a\"\"b\"\n");
  CHECK(csv_next(&r, &problem) == 2 && csv_next(&r, &problem) == CSV_END,
        "set back to a record and ended before the notes, it reads that record alone");
  CHECK(h.held > 0, "its buffers come from the caller's allocator");
  csv_reader_free(&r);
  CHECK(h.held == 0 && !h.misuse && r.fields == NULL && r.scratch == NULL, "... and go back to it, all of them");
  csv_reader_free(&r);
  CHECK(h.held == 0, "freeing twice frees nothing more");
  text = "a\r\nb";
  csv_reader_init(&r, text, strlen(text), ',', heap_alloc, &h);
  CHECK(csv_next(&r, &problem) == 1 && r.p == text + 3, "after a record, the cursor is past its CRLF");
  csv_reader_free(&r);
}

static void test_memory(void) {
  heap h = {0, 0, 0};
  csv_reader r;
  csv_problem problem;
  csv_field escaped = {"a\"\"b", 4, 1};
  size_t len;
  const char *text = "a,b\n";
  csv_reader_init(&r, text, strlen(text), ',', heap_alloc, &h);
  CHECK(csv_next(&r, &problem) == CSV_NO_MEMORY, "no memory for the fields: CSV_NO_MEMORY");
  CHECK(csv_field_text(&r, &escaped, &len) == NULL, "no memory to undo doubled quotes: NULL");
  h.left = -1;
  CHECK(csv_next(&r, &problem) == 2, "with memory again, the same record reads");
  csv_reader_free(&r);
  CHECK(h.held == 0 && !h.misuse, "nothing is held after");
}

static void test_separator(void) {
  const char *cases[][2] = {
    {"a,b\n1,2\n", ","}, {"a;b\n1;2\n", ";"}, {"a\tb\n1\t2\n", "\t"}, {"a|b\n1|2\n", "|"}, {"abc\n1\n", ","},
    {"", ","},
    {"GDP, by province (100 million yuan)\nprov;gdp\nA;1\nB;2\n", ";"},  /* a title with a comma */
    {"Name, first\tName, last\tAge\nBob\tSmith\t30\nAnn\tLee\t41\n", "\t"},
    {"\"x;y\",1\n\"z;w\",2\n", ","},  /* separators inside quotes do not count */
    {"size 5\";qty;city\n1;3;x\n2;4;y\n", ";"},  /* a quote inside a field does not start quoting */
    {"a;b\n\n\n1;2\n", ";"},
  };
  size_t i;
  for (i = 0; i < sizeof cases / sizeof *cases; i++) {
    const char *text = cases[i][0];
    char name[200];
    snprintf(name, sizeof name, "the separator of case %zu is '%s'", i + 1, cases[i][1][0] == '\t' ? "\\t" : cases[i][1]);
    CHECK(csv_detect_separator(text, text + strlen(text)) == cases[i][1][0], name);
  }
  {
    /* only the first 20 lines count: 20 of ';' and then 30 of ',' */
    char text[400] = "";
    for (i = 0; i < 20; i++) strcat(text, "a;b\n");
    for (i = 0; i < 30; i++) strcat(text, "a,b\n");
    CHECK(csv_detect_separator(text, text + strlen(text)) == ';', "only the first 20 lines decide");
  }
}

static void test_missing(void) {
  static const char *const na[] = {"", "-", "\xE2\x80\x94", "\xE2\x80\xA6"};
  static const char *const not_na[] = {"na", "NA", "N/A", "--", "0", "NA ", " "};  /* NA: Namibia, in text */
  static const char *const missing_numbers[] = {"NA", "N/A", "n/a", "N.A.", "#N/A", "#NA", "NaN", "-nan", "null", "NULL",
                                                "None", "<NA>", "x", "X", "..", "...", "\xEF\xBC\x8D"};
  static const char *const numbers_or_text[] = {"", "1", "0", "NULLS", "abc", "y", ".", "N/A ", "nan1"};
  csv_values v;
  size_t i;
  char name[100];
  memset(&v, 0, sizeof v);
  for (i = 0; i < sizeof na / sizeof *na; i++) {
    snprintf(name, sizeof name, "'%s' is NULL", na[i]);
    CHECK(csv_is_na(&v, na[i], strlen(na[i])), name);
  }
  for (i = 0; i < sizeof not_na / sizeof *not_na; i++) {
    snprintf(name, sizeof name, "'%s' is not NULL everywhere", not_na[i]);
    CHECK(!csv_is_na(&v, not_na[i], strlen(not_na[i])), name);
  }
  CHECK(!csv_is_na(&v, "缺失", strlen("缺失")), "'缺失' is a value ...");
  v.na[0] = "缺失";
  v.na_len[0] = strlen("缺失");
  v.nna = 1;
  CHECK(csv_is_na(&v, "缺失", strlen("缺失")), "... until the caller spells NULL so");
  CHECK(!csv_is_na(&v, "缺", strlen("缺")), "... and a prefix of a spelling is not one");
  CHECK(csv_is_na(&v, "--", 1), "the length given counts, not a NUL");
  for (i = 0; i < sizeof missing_numbers / sizeof *missing_numbers; i++) {
    snprintf(name, sizeof name, "'%s' is missing in a column of numbers", missing_numbers[i]);
    CHECK(csv_is_missing_number(missing_numbers[i], strlen(missing_numbers[i])), name);
  }
  for (i = 0; i < sizeof numbers_or_text / sizeof *numbers_or_text; i++) {
    snprintf(name, sizeof name, "'%s' is no missing number", numbers_or_text[i]);
    CHECK(!csv_is_missing_number(numbers_or_text[i], strlen(numbers_or_text[i])), name);
  }
}

/* What s is as a value; its number, formatted, in out. */
static int classify(const char *s, int loose, char *out, size_t size) {
  csv_values v;
  csv_number n;
  int kind;
  memset(&v, 0, sizeof v);
  v.loose = loose;
  kind = csv_classify(&v, s, strlen(s), &n);
  if (kind == CSV_INTEGER) snprintf(out, size, "integer %lld", n.i);
  else if (kind == CSV_REAL) snprintf(out, size, "real %.17g", n.d);
  else snprintf(out, size, kind == CSV_TEXT ? "text" : "?");
  return kind;
}

static void test_numbers(void) {
  static const struct {
    const char *text, *strict, *loose;
  } cases[] = {
    {"12", "integer 12", "integer 12"}, {"-7", "integer -7", "integer -7"}, {"+3", "integer 3", "integer 3"},
    {"0", "integer 0", "integer 0"}, {"-0", "integer 0", "integer 0"},
    {"3.25", "real 3.25", "real 3.25"}, {".5", "real 0.5", "real 0.5"}, {"5.", "real 5", "real 5"},
    {"0.5", "real 0.5", "real 0.5"}, {"-0.000123", "real -0.00012300000000000001", "real -0.00012300000000000001"},
    {"1e3", "real 1000", "real 1000"}, {"1E-2", "real 0.01", "real 0.01"}, {"-2.5e3", "real -2500", "real -2500"},
    {"1e+2", "real 100", "real 100"},
    {" 12 ", "text", "text"}, {"12 ", "text", "text"}, {" 12", "text", "text"}, {"0x10", "text", "text"},
    {"12abc", "text", "text"}, {"0571", "text", "text"}, {"00", "text", "text"}, {"-0571", "text", "text"},
    {"1e", "text", "text"}, {"e3", "text", "text"}, {"1e+", "text", "text"}, {"1e3.5", "text", "text"},
    {".", "text", "text"}, {"+", "text", "text"}, {"-", "text", "text"}, {"1.2.3", "text", "text"},
    {"", "text", "text"}, {"inf", "text", "text"}, {"nan", "text", "text"}, {"1-2", "text", "text"},
    {"\xE2\x88\x92" "5", "text", "text"},  /* U+2212, the minus sign, is not read as one */
    {"9223372036854775807", "integer 9223372036854775807", "integer 9223372036854775807"},
    {"-9223372036854775808", "integer -9223372036854775808", "integer -9223372036854775808"},
    {"9223372036854775808", "text", "text"}, {"99999999999999999999", "text", "text"},
    {"1e400", "text", "text"}, {"-1e400", "text", "text"}, {"1e-400", "real 0", "real 0"},
    {"123456789012345", "integer 123456789012345", "integer 123456789012345"},
    {"0.30000000000000004", "real 0.30000000000000004", "real 0.30000000000000004"},
    {"12345678901234567890.5", "real 1.2345678901234567e+19", "real 1.2345678901234567e+19"},
    {"18,109", "text", "integer 18109"}, {"1,234,567.5", "text", "real 1234567.5"},
    {"-1,234", "text", "integer -1234"}, {"0,123", "text", "text"}, {"1,23", "text", "text"},
    {"1234,567", "text", "text"}, {",123", "text", "text"}, {"1,,234", "text", "text"},
    {"1,234.5,6", "text", "text"}, {"1,2345", "text", "text"}, {"12,345,67", "text", "text"},
    {"27.1%", "text", "real 27.100000000000001"}, {"3%", "text", "integer 3"}, {"%", "text", "text"},
    {"1,234%", "text", "integer 1234"}, {"5%%", "text", "text"},
  };
  char got[100], name[200];
  size_t i;
  for (i = 0; i < sizeof cases / sizeof *cases; i++) {
    classify(cases[i].text, 0, got, sizeof got);
    snprintf(name, sizeof name, "'%s' is %s", cases[i].text, cases[i].strict);
    CHECK_STR(got, cases[i].strict, name);
    classify(cases[i].text, 1, got, sizeof got);
    snprintf(name, sizeof name, "'%s' is %s when loose", cases[i].text, cases[i].loose);
    CHECK_STR(got, cases[i].loose, name);
  }
  {
    /* reals read exactly as strtod reads them, whichever path reads them */
    static const char *const reals[] = {"0.1", "1234567.891011", "3.14159265358979", "9007199254740993.0",
                                        "2.2250738585072014e-308", "1e-310", "0.1234567890123456789"};
    for (i = 0; i < sizeof reals / sizeof *reals; i++) {
      csv_values v;
      csv_number n;
      memset(&v, 0, sizeof v);
      snprintf(name, sizeof name, "'%s' reads exactly as strtod reads it", reals[i]);
      CHECK(csv_classify(&v, reals[i], strlen(reals[i]), &n) == CSV_REAL && n.d == strtod(reals[i], NULL), name);
    }
  }
  {
    /* a field of 400 bytes or more is text, however it reads */
    char longest[401];
    csv_values v;
    csv_number n;
    memset(&v, 0, sizeof v);
    memset(longest, '0', sizeof longest);
    longest[0] = '1';
    longest[1] = '.';
    longest[399] = '\0';
    CHECK_STR((classify(longest, 0, got, sizeof got), got), "real 1", "a number of 399 bytes is read");
    longest[399] = '0';
    CHECK(csv_classify(&v, longest, 400, &n) == CSV_TEXT, "one of 400 bytes is text");
  }
  CHECK(CSV_NONE < CSV_INTEGER && CSV_INTEGER < CSV_REAL && CSV_REAL < CSV_TEXT,
        "a column widens from no value to integers, reals and text");
}

int main(void) {
  test_records();
  test_problems();
  test_lines();
  test_cursor();
  test_memory();
  test_separator();
  test_missing();
  test_numbers();
  return unit_done();
}
