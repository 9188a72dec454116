/*
** paths.h: where zb finds its own files and the user's.
** Plain C, no Lua: unit-tested on its own.
*/
#ifndef ZB_PATHS_H
#define ZB_PATHS_H

#include <stddef.h>

/* Directory of the running executable; 0 on success. */
int paths_exe_dir(char *out, size_t size);

/* zb's home, the directory holding lua/zb and datasets/: the executable's own
** directory when run from the source tree, else ../share/zb beside bin/. */
int paths_home(const char *exe_dir, char *out, size_t size);

/* $VAR/zb, or $HOME/FALLBACK/zb (XDG base directories); 0 on success. */
int paths_xdg(const char *var, const char *fallback, char *out, size_t size);

/* What is at path, for writing over it: */
enum { PATHS_MISSING, PATHS_FILE, PATHS_LINK, PATHS_OTHER };
/* PATHS_LINK puts the file the link leads to in resolved (when it exists). */
int paths_kind(const char *path, char *resolved, size_t size);

/* mkdir -p; 0 on success. */
int paths_mkdirs(const char *dir);

/* Safe mode: files only inside directories allowed to be read (writable 0)
** or written (writable 1: reading too).  The first call turns the policy
** on; 0 on success, -1 when dir cannot be resolved. */
int paths_allow(const char *dir, int writable);
/* The suffixes of SQLite's own files beside a database: -journal, -wal,
** -shm (NULL-terminated). */
extern const char *const paths_companions[];

/* The session's database file (which need not exist yet) and SQLite's own
** files beside it (paths_companions) may be read and written. */
int paths_allow_database(const char *file);
/* The i-th allowed place (from 0; NULL past the last), resolved: a
** directory, or a database file when *database is set. */
const char *paths_allowed_place(int i, int *writable, int *database);
/* Whether the policy is on. */
int paths_restricted(void);
/* Whether path (which need not exist, for writing) may be read or written:
** always, without the policy; else it must resolve (links followed)
** inside an allowed directory, and not be special (paths_special). */
int paths_allowed(const char *path, int write);
/* Whether path is a device, a pipe or a socket (but /dev/null): not a file
** a safe session may open, wherever it is (a FIFO never opens; a device
** such as /dev/kmsg reads the kernel's log). */
int paths_special(const char *path);
/* Why a safe session may not read (or write) path, to follow "PATH is " or
** "cannot open PATH: ": outside the directories, or special. */
const char *paths_why_not(const char *path, int write);
/* Whether the name path itself (a link is not followed) may be removed or
** replaced: its directory resolved, the name inside a writable directory
** (not the directory's own name). */
int paths_allowed_name(const char *path);

#endif
