/*
** outbuf.c: text written to a stdio file in large pieces (outbuf.h).
*/
#include <errno.h>
#include <string.h>

#include "outbuf.h"

void outbuf_init(outbuf *o, FILE *f) {
  o->f = f, o->failed = 0, o->error = 0, o->used = 0;
}

static void write_out(outbuf *o, const char *s, size_t n) {
  if (!o->failed && fwrite(s, 1, n, o->f) != n) o->failed = 1, o->error = errno;
}

void outbuf_flush(outbuf *o) {
  if (o->used > 0) write_out(o, o->bytes, o->used);
  o->used = 0;
}

void outbuf_put(outbuf *o, const char *s, size_t n) {
  if (n > OUTBUF_SIZE - o->used) {
    outbuf_flush(o);
    if (n > OUTBUF_SIZE) {  /* longer than the buffer: as it is */
      write_out(o, s, n);
      return;
    }
  }
  memcpy(o->bytes + o->used, s, n);
  o->used += n;
}
