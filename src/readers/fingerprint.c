/*
** fingerprint.c: a file's size and an XXH3-128 fingerprint of its bytes
** (libxxhash), "xxh3-128:" and 32 hex digits.  It tells versions of a
** file apart, at memory speed (a second read of a file just loaded costs
** about 1% of the load); it is no security hash.
*/
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lua.h"
#include "lauxlib.h"

#include "fingerprint.h"
#include "paths.h"

void fingerprint_push(lua_State *L, XXH128_hash_t hash) {
  XXH128_canonical_t canonical;
  char hex[2 * sizeof canonical.digest + 1];
  size_t i;
  XXH128_canonicalFromHash(&canonical, hash);
  for (i = 0; i < sizeof canonical.digest; i++) {
    hex[2 * i] = "0123456789abcdef"[canonical.digest[i] >> 4];
    hex[2 * i + 1] = "0123456789abcdef"[canonical.digest[i] & 15];
  }
  hex[sizeof hex - 1] = '\0';
  lua_pushfstring(L, "xxh3-128:%s", hex);
}

/* The fingerprint of the mapped file's bytes, a few megabytes at a time,
** each let go once read (a file of any size is not resident whole); 0
** when there is no memory for the hash's state. */
static int file_hash(char *map, size_t size, XXH128_hash_t *hash) {
  const size_t step = (size_t)4 << 20;
  XXH3_state_t *state = XXH3_createState();
  size_t at;
  if (state == NULL) return 0;
  (void)XXH3_128bits_reset(state);
  for (at = 0; at < size; at += step) {
    size_t n = size - at < step ? size - at : step;
    (void)XXH3_128bits_update(state, map + at, n);
    madvise(map + at, n, MADV_DONTNEED);
  }
  *hash = XXH3_128bits_digest(state);
  XXH3_freeState(state);
  return 1;
}

int fingerprint_l_file(lua_State *L) {
  const char *path = luaL_checkstring(L, 1), *known = luaL_optstring(L, 2, NULL);
  char resolved[PATH_MAX];
  struct stat st;
  char *map = NULL;
  int fd;
  if (!paths_allowed(path, 0)) return luaL_error(L, "cannot open %s: %s", path, paths_why_not(path, 0));
  /* looked at before it is opened: opening a pipe again would wait for a writer */
  if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) return 0;
  fd = open(path, O_RDONLY);
  if (fd < 0) return luaL_error(L, "cannot open %s: %s", path, strerror(errno));
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return 0;
  }
  if (st.st_size > 0 && known == NULL) {
    map = (char *)mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == (char *)MAP_FAILED) {
      int err = errno;
      close(fd);
      return luaL_error(L, "cannot read %s: %s", path, strerror(err));
    }
  }
  close(fd);
  lua_pushinteger(L, (lua_Integer)st.st_size);
  if (known != NULL) {
    lua_pushstring(L, known);
  } else if (map != NULL) {
    XXH128_hash_t hash;
    int hashed;
    madvise(map, (size_t)st.st_size, MADV_SEQUENTIAL);
    hashed = file_hash(map, (size_t)st.st_size, &hash);
    munmap(map, (size_t)st.st_size);
    if (!hashed) return luaL_error(L, "not enough memory");
    fingerprint_push(L, hash);
  } else {
    fingerprint_push(L, XXH3_128bits("", 0));
  }
  lua_pushstring(L, realpath(path, resolved) != NULL ? resolved : path);
  return 3;
}

int fingerprint_l_text(lua_State *L) {
  size_t size;
  const char *text = luaL_checklstring(L, 1, &size);
  fingerprint_push(L, XXH3_128bits(text, size));
  return 1;
}
