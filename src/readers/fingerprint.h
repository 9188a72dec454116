/*
** fingerprint.h: what identifies the bytes a table was loaded from, for
** the catalog's record of a load.
*/
#ifndef ZB_FINGERPRINT_H
#define ZB_FINGERPRINT_H

#include "lua.h"

/* zb.core.fingerprint_file(path) -> size, fingerprint, the absolute path;
** nothing for a file that is not a regular one (a pipe is read once, by
** its loader). */
int fingerprint_l_file(lua_State *L);

/* zb.core.fingerprint_text(text) -> fingerprint */
int fingerprint_l_text(lua_State *L);

#endif
