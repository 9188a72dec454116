/*
** fingerprint.h: what identifies the bytes a table was loaded from, for
** the catalog's record of a load.
*/
#ifndef ZB_FINGERPRINT_H
#define ZB_FINGERPRINT_H

#include <xxhash.h>

#include "lua.h"

/* Push a hash of a file's bytes as a fingerprint: "xxh3-128:" and 32 hex
** digits. */
void fingerprint_push(lua_State *L, XXH128_hash_t hash);

/* zb.core.fingerprint_file(path [, fingerprint]) -> size, fingerprint, the
** absolute path; nothing for a file that is not a regular one (a pipe is
** read once, by its loader).  fingerprint: its bytes' already, made by the
** loader that read them (read_csv), not made again. */
int fingerprint_l_file(lua_State *L);

/* zb.core.fingerprint_text(text) -> fingerprint */
int fingerprint_l_text(lua_State *L);

#endif
