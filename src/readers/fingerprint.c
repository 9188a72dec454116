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

#include <xxhash.h>

#include "lua.h"
#include "lauxlib.h"

#include "fingerprint.h"
#include "paths.h"

static void push_fingerprint(lua_State *L, const void *bytes, size_t size) {
  XXH128_canonical_t canonical;
  char hex[2 * sizeof canonical.digest + 1];
  size_t i;
  XXH128_canonicalFromHash(&canonical, XXH3_128bits(bytes, size));
  for (i = 0; i < sizeof canonical.digest; i++) {
    hex[2 * i] = "0123456789abcdef"[canonical.digest[i] >> 4];
    hex[2 * i + 1] = "0123456789abcdef"[canonical.digest[i] & 15];
  }
  hex[sizeof hex - 1] = '\0';
  lua_pushfstring(L, "xxh3-128:%s", hex);
}

int fingerprint_l_file(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  char resolved[PATH_MAX];
  struct stat st;
  void *map = NULL;
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
  if (st.st_size > 0) {
    map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED) {
      int err = errno;
      close(fd);
      return luaL_error(L, "cannot read %s: %s", path, strerror(err));
    }
  }
  close(fd);
  lua_pushinteger(L, (lua_Integer)st.st_size);
  push_fingerprint(L, map != NULL ? map : "", (size_t)st.st_size);
  if (map != NULL) munmap(map, (size_t)st.st_size);
  lua_pushstring(L, realpath(path, resolved) != NULL ? resolved : path);
  return 3;
}

int fingerprint_l_text(lua_State *L) {
  size_t size;
  const char *text = luaL_checklstring(L, 1, &size);
  push_fingerprint(L, text, size);
  return 1;
}
