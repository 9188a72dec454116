/*
** outbuf.h: text written to a stdio file in large pieces, a failed write
** remembered (with its errno) rather than raised, so that the writer ends
** its query cleanly and says why once.
*/
#ifndef ZB_OUTBUF_H
#define ZB_OUTBUF_H

#include <stdio.h>

#define OUTBUF_SIZE 65536

typedef struct outbuf {
  FILE *f;
  int failed, error;  /* a write fell short, and its errno */
  size_t used;
  char bytes[OUTBUF_SIZE];
} outbuf;

void outbuf_init(outbuf *o, FILE *f);
void outbuf_put(outbuf *o, const char *s, size_t n);
void outbuf_flush(outbuf *o);

static inline void outbuf_char(outbuf *o, char c) {
  if (o->used == OUTBUF_SIZE) outbuf_flush(o);
  o->bytes[o->used++] = c;
}

#endif
