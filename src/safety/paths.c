/*
** paths.c: where zb finds its own files (relative to the executable, so an
** installed tree can move) and the user's (XDG base directories).
*/
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paths.h"

static int is_file(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* snprintf that reports truncation as failure. */
static int join(char *out, size_t size, const char *a, const char *b) {
  int n = snprintf(out, size, "%s%s", a, b);
  return (n < 0 || (size_t)n >= size) ? -1 : 0;
}

int paths_exe_dir(char *out, size_t size) {
  ssize_t n = readlink("/proc/self/exe", out, size - 1);
  char *slash;
  if (n <= 0 || (size_t)n >= size - 1) return -1;
  out[n] = '\0';
  slash = strrchr(out, '/');
  if (slash == NULL) return -1;
  *slash = '\0';
  return 0;
}

/* The canonical form of dir + sub, if it holds zb's modules. */
static int home_at(const char *dir, const char *sub, char *out, size_t size) {
  char probe[4096], real[PATH_MAX];
  if (join(probe, sizeof probe, dir, sub) != 0 || realpath(probe, real) == NULL) return -1;
  if (join(probe, sizeof probe, real, "/lua/zb/api.lua") != 0 || !is_file(probe)) return -1;
  return join(out, size, real, "");
}

int paths_home(const char *exe_dir, char *out, size_t size) {
  if (home_at(exe_dir, "", out, size) == 0) return 0;
  return home_at(exe_dir, "/../share/zb", out, size);
}

int paths_xdg(const char *var, const char *fallback, char *out, size_t size) {
  const char *base = getenv(var);
  int n;
  if (base != NULL && base[0] == '/')  /* the spec ignores relative values */
    n = snprintf(out, size, "%s/zb", base);
  else {
    const char *home = getenv("HOME");
    if (home == NULL || home[0] == '\0') return -1;
    n = snprintf(out, size, "%s/%s/zb", home, fallback);
  }
  return (n < 0 || (size_t)n >= size) ? -1 : 0;
}

int paths_mkdirs(const char *dir) {
  char path[4096];
  char *p;
  if (join(path, sizeof path, dir, "") != 0) return -1;
  for (p = path + 1; *p; p++) {
    if (*p != '/') continue;
    *p = '\0';
    if (mkdir(path, 0700) != 0 && errno != EEXIST) return -1;
    *p = '/';
  }
  return (mkdir(path, 0700) == 0 || errno == EEXIST) ? 0 : -1;
}

int paths_kind(const char *path, char *resolved, size_t size) {
  struct stat st;
  char buf[PATH_MAX];
  if (lstat(path, &st) != 0) return PATHS_MISSING;
  if (S_ISREG(st.st_mode)) return PATHS_FILE;
  if (!S_ISLNK(st.st_mode)) return PATHS_OTHER;
  if (stat(path, &st) != 0) return PATHS_FILE;  /* a dangling link: replaced */
  if (!S_ISREG(st.st_mode)) return PATHS_OTHER;  /* /dev/stdout to a pipe */
  if (realpath(path, buf) == NULL || strlen(buf) >= size) return PATHS_OTHER;
  strcpy(resolved, buf);
  return PATHS_LINK;
}

/* ---- safe mode ---- */

#define MAX_ALLOWED 32

/* The policy is the process's, file-scope: the kernel's sandbox confines
** the process to it (sandbox.c), and SQLite's safe VFS (safety.c), which
** gets no context of ours, asks it of every file. */
static struct {
  char *dir;  /* resolved, without a trailing slash (but "/") */
  int writable;
  int database;  /* dir is a database file: it and SQLite's files beside it */
} allowed[MAX_ALLOWED];
static int nallowed, restricted;

/* The name path resolved without following it: its directory's resolved
** path with the name after it; NULL for a name of "", "." or "..". */
static char *resolve_name(const char *path) {
  char *copy = strdup(path), *slash, *dir, *out = NULL;
  const char *name;
  size_t len;
  if (copy == NULL) return NULL;
  slash = strrchr(copy, '/');
  if (slash == NULL) {
    dir = realpath(".", NULL);
    name = copy;
  } else {
    *slash = '\0';
    dir = realpath(slash == copy ? "/" : copy, NULL);
    name = slash + 1;
  }
  if (dir != NULL && *name && strcmp(name, ".") != 0 && strcmp(name, "..") != 0) {
    len = strlen(dir) + strlen(name) + 2;
    if ((out = (char *)malloc(len)) != NULL) snprintf(out, len, "%s/%s", strcmp(dir, "/") == 0 ? "" : dir, name);
  }
  free(dir);
  free(copy);
  return out;
}

/* The resolved path: the file's own when it exists, else its name's (a
** file about to be written).  A link to nothing resolves to nothing:
** writing through it would make a file where it leads, anywhere. */
static char *resolve(const char *path) {
  char *real = realpath(path, NULL);
  struct stat st;
  if (real != NULL || errno != ENOENT) return real;
  if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) return NULL;
  return resolve_name(path);
}

/* Add real (resolved, malloc'd; NULL when it could not be) to the list. */
static int add_allowed(char *real, int writable, int database) {
  restricted = 1;
  if (real == NULL || nallowed == MAX_ALLOWED) {
    free(real);
    return -1;
  }
  allowed[nallowed].dir = real;
  allowed[nallowed].writable = writable;
  allowed[nallowed++].database = database;
  return 0;
}

int paths_allow(const char *dir, int writable) {
  return add_allowed(realpath(dir, NULL), writable, 0);
}

int paths_allow_database(const char *file) {
  return add_allowed(resolve(file), 1, 1);
}

const char *paths_allowed_place(int i, int *writable, int *database) {
  if (i < 0 || i >= nallowed) return NULL;
  *writable = allowed[i].writable;
  *database = allowed[i].database;
  return allowed[i].dir;
}

int paths_restricted(void) {
  return restricted;
}

const char *const paths_companions[] = {"-journal", "-wal", "-shm", NULL};

static int is_companion(const char *suffix) {
  for (const char *const *c = paths_companions; *c; c++)
    if (strcmp(suffix, *c) == 0) return 1;
  return 0;
}

/* Whether real (resolved) lies in an allowed place, for writing when write
** is set; strictly beneath a directory when beneath is set (its own entry
** in its parent is not the script's to remove or replace). */
static int in_allowed_place(const char *real, int write, int beneath) {
  int i;
  for (i = 0; i < nallowed; i++) {
    size_t n = strlen(allowed[i].dir);
    if (write && !allowed[i].writable) continue;
    if (allowed[i].database) {
      if (strncmp(real, allowed[i].dir, n) == 0 && (real[n] == '\0' || is_companion(real + n))) return 1;
    } else if (strcmp(allowed[i].dir, "/") == 0 ||
               (strncmp(real, allowed[i].dir, n) == 0 && (real[n] == '/' || (real[n] == '\0' && !beneath)))) {
      return 1;
    }
  }
  return 0;
}

/* paths_special of a path already resolved. */
static int special_resolved(const char *real) {
  struct stat st;
  return stat(real, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode) && strcmp(real, "/dev/null") != 0;
}

int paths_special(const char *path) {
  char *real = realpath(path, NULL);
  int special = real != NULL && special_resolved(real);
  free(real);
  return special;
}

int paths_allowed(const char *path, int write) {
  char *real;
  int ok;
  if (!restricted) return 1;
  if ((real = resolve(path)) == NULL) return 0;
  ok = in_allowed_place(real, write, 0) && !special_resolved(real);
  free(real);
  return ok;
}

const char *paths_why_not(const char *path, int write) {
  if (paths_special(path)) return "a device, a pipe or a socket, not a file this safe session may open";
  return write ? "outside the directories this safe session may write"
               : "outside the directories this safe session may read";
}

int paths_allowed_name(const char *path) {
  char *real;
  int ok;
  if (!restricted) return 1;
  if ((real = resolve_name(path)) == NULL) return 0;
  ok = in_allowed_place(real, 1, 1);
  free(real);
  return ok;
}
