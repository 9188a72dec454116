/*
** sink.h: where a loader sends its rows when the table is not in the
** session's SQLite database: a value at a time, a row at a time, then the
** table's verdict.  A PostgreSQL COPY is one (postgresql.c).  The loader
** gets it from Lua as a userdata of metatable ROW_SINK whose memory begins
** with a row_sink, and marks it to-be-closed: a sink not finished when the
** load fails ends its table's filling as failed.
*/
#ifndef ZB_SINK_H
#define ZB_SINK_H

#include "lua.h"
#include "value.h"

#define ROW_SINK "zb.RowSink"

typedef struct row_sink {
  /* The next value of the row being sent (its bytes are copied). */
  void (*value)(lua_State *L, struct row_sink *s, const zb_value *v);
  /* The row's values are all given. */
  void (*row_end)(lua_State *L, struct row_sink *s);
  /* The rows are all given: pushes the rows taken (and may push a
  ** to-be-closed value below it), or raises why not. */
  void (*finish)(lua_State *L, struct row_sink *s);
} row_sink;

#endif
