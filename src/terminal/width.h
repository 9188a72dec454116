/*
** width.h: how many terminal columns text takes (East Asian wide and
** fullwidth characters two, combining marks and escape sequences none).
*/
#ifndef ZB_WIDTH_H
#define ZB_WIDTH_H

#include <stddef.h>
#include "lua.h"

/* Columns of the UTF-8 text s[0..len); bytes that are not UTF-8 count one each. */
size_t width_of(const char *s, size_t len);

/* The offset of the first byte in text[0..n) that is not valid UTF-8, or n. */
size_t utf8_prefix(const char *text, size_t n);

/* zb.width(s) */
int width_l(lua_State *L);

#endif
