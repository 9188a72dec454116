/*
** test_period.c: the period reader and zb_shift, in C alone: every
** spelling through period() on an in-memory SQLite, the frequencies a
** loader recognises, the calendar's ends, and zb_shift against the value
** k periods away worked out here by a plain search.
*/
#include <stdlib.h>

#include <sqlite3.h>

#include "period.h"
#include "unit.h"

static sqlite3 *db;

/* The text of one value of sql (one bound text), or the error. */
static const char *one(const char *sql, const char *arg, char *out, size_t size) {
  sqlite3_stmt *stmt;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK) return sqlite3_errmsg(db);
  sqlite3_bind_text(stmt, 1, arg, -1, SQLITE_STATIC);
  if (sqlite3_step(stmt) == SQLITE_ROW) {
    const unsigned char *text = sqlite3_column_text(stmt, 0);
    snprintf(out, size, "%s", text ? (const char *)text : "NULL");
  } else {
    snprintf(out, size, "error: %s", sqlite3_errmsg(db));
  }
  sqlite3_finalize(stmt);
  return out;
}

static const struct {
  const char *written, *canonical;
} spellings[] = {
  {"2021", "2021"}, {"2021年", "2021"}, {" 2021 ", "2021"},
  {"2021H1", "2021-S1"}, {"2021-S2", "2021-S2"}, {"2021年上半年", "2021-S1"}, {"2021年下半年", "2021-S2"},
  {"2021Q1", "2021-Q1"}, {"2021 - Q4", "2021-Q4"}, {"2021年第一季度", "2021-Q1"}, {"2021年三季度", "2021-Q3"},
  {"2021年4季度", "2021-Q4"}, {"202112", "2021-12"}, {"2021-1", "2021-01"}, {"2021/12", "2021-12"},
  {"2021M3", "2021-03"}, {"2021-M03", "2021-03"}, {"2021年12月", "2021-12"}, {"2021年1月份", "2021-01"},
  {"20211231", "2021-12-31"}, {"2021-2-28", "2021-02-28"}, {"2021/12/31", "2021-12-31"},
  {"2021年12月31日", "2021-12-31"}, {"2024-02-29", "2024-02-29"},
  {"2021年1-2月", "2021-01~02"}, {"2021年1—12月", "2021-01~12"}, {"2021年1 – 3月份", "2021-01~03"},
  {"2021年1至3季度", "2021-Q1~Q3"}, {"2021年第一至三季度", "2021-Q1~Q3"}, {"2021年前三季度", "2021-Q1~Q3"},
  {"2021-01~02", "2021-01~02"}, {"2021-Q1~Q3", "2021-Q1~Q3"}, {"0021年第一季度", "0021-Q1"},
};

static const char *const not_periods[] = {
  "", "abc", "21", "2021-13", "2021-00", "2021-02-29", "1900-02-29", "2021-04-31", "20211", "2021Q5",
  "2021年第五季度", "2021年2-3月", "2021年1-1月", "2021年第1月", "2021 H1", "2021/H1", "2021-12/31", "2021年 1月",
  "2021年12季度", "2021-1~2", "2021年十二月",
};

int main(void) {
  char out[256], name[300];
  size_t i;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK || period_register(db) != SQLITE_OK) {
    CHECK(0, "an in-memory database with the period functions");
    return unit_done();
  }
  for (i = 0; i < sizeof spellings / sizeof *spellings; i++) {
    snprintf(name, sizeof name, "period('%s') is %s", spellings[i].written, spellings[i].canonical);
    CHECK_STR(one("select period(?)", spellings[i].written, out, sizeof out), spellings[i].canonical, name);
  }
  for (i = 0; i < sizeof not_periods / sizeof *not_periods; i++) {
    snprintf(name, sizeof name, "'%s' is no period: an error naming it", not_periods[i]);
    one("select period(?)", not_periods[i], out, sizeof out);
    CHECK(strstr(out, "error: '") == out && strstr(out, "is not a period") != NULL, name);
    CHECK(period_frequency_of(not_periods[i], strlen(not_periods[i])) == 0, "... and a loader does not take it for one");
  }
  CHECK(period_frequency_of("2021年第一季度", strlen("2021年第一季度")) == 'Q', "a loader recognises a quarter");
  CHECK(period_frequency_of("2021年1-2月", strlen("2021年1-2月")) == 'M', "... and NBS's 1-2月 as a month");
  CHECK_STR(one("select period_add(?, 1)", "9999-12", out, sizeof out),
            "error: a period out of range (years 0 to 9999)", "no month after 9999-12");
  CHECK_STR(one("select period_year_ago(?)", "2024-02-29", out, sizeof out), "2023-02-28", "a leap day's year ago");
  CHECK_STR(one("select period_index(?) - period_index('1970-01-01')", "2000-01-01", out, sizeof out), "10957",
            "days from 1970 to 2000");

  /* zb_shift over series with gaps, against a search for the value k
  ** periods away (and zb_repeated finding no repeat there). */
  {
    enum { N = 400 };
    int index[N], value[N], n = 0, k, bad = 0, checked = 0;
    sqlite3_stmt *insert, *query;
    srand(12);
    sqlite3_exec(db, "create table s (g integer, i integer, v integer)", NULL, NULL, NULL);
    sqlite3_prepare_v2(db, "insert into s values (0, ?, ?)", -1, &insert, NULL);
    for (i = 0; n < N; i++) {
      if (rand() % 4 == 0) continue;  /* a gap */
      index[n] = (int)i;
      value[n] = rand() % 1000;
      sqlite3_bind_int(insert, 1, index[n]);
      sqlite3_bind_int(insert, 2, value[n]);
      sqlite3_step(insert);
      sqlite3_reset(insert);
      n++;
    }
    sqlite3_finalize(insert);
    for (k = -13; k <= 13; k++) {
      char frame[64], sql[400];
      if (k == 0) continue;
      if (k > 0) snprintf(frame, sizeof frame, "%d preceding and current row", k);
      else snprintf(frame, sizeof frame, "current row and %d following", -k);
      snprintf(sql, sizeof sql, "select i, zb_shift(v, i, %d) over w, zb_repeated(i, %d) over w from s "
               "window w as (partition by g order by i rows between %s) order by i", k, k, frame);
      if (sqlite3_prepare_v2(db, sql, -1, &query, NULL) != SQLITE_OK) {
        CHECK(0, sqlite3_errmsg(db));
        break;
      }
      while (sqlite3_step(query) == SQLITE_ROW) {
        int at = sqlite3_column_int(query, 0), want = -1, j;
        for (j = 0; j < n; j++)
          if (index[j] == at - k) want = value[j];
        if ((want < 0) != (sqlite3_column_type(query, 1) == SQLITE_NULL) ||
            (want >= 0 && sqlite3_column_int(query, 1) != want) || sqlite3_column_int(query, 2) != 0)
          bad++;
        checked++;
      }
      sqlite3_finalize(query);
    }
    snprintf(name, sizeof name, "zb_shift gives the value k periods away (or NULL) in %d rows, k from -13 to 13", checked);
    CHECK(bad == 0 && checked == 26 * N, name);
  }
  sqlite3_exec(db, "insert into s values (0, 5, 1), (0, 5, 2)", NULL, NULL, NULL);
  CHECK_STR(one("select max(r) from (select zb_repeated(i, 1) over (partition by g order by i rows between 1 preceding "
                "and current row) as r from s where i = ?1 or i = 5)", "5", out, sizeof out),
            "1", "zb_repeated finds an index twice in a series");
  CHECK_STR(one("select zb_periods(x) from (select 2021 as x union all select ?1 union all select null union all "
                "select '2021年1-2月' union all select '2022年1-4月' union all select 2021.0 union all select 'sp\"ring')",
                "2022年", out, sizeof out),
            "{\"n\": 6, \"years\": 1, \"integers\": 1, \"least\": 2021, \"spans\": 2, \"shortest\": 2, \"longest\": 4, "
            "\"frequencies\": {\"A\": \"2021\", \"M\": \"2021年1-2月\"}, \"not_period\": \"sp\\\"ring\"}",
            "zb_periods reads a time column in one pass: counts, frequencies with an example, spans' lengths, a non-period");
  sqlite3_close(db);
  return unit_done();
}
