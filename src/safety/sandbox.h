/*
** sandbox.h: the kernel's half of --safe (Landlock and seccomp on Linux).
*/
#ifndef ZB_SANDBOX_H
#define ZB_SANDBOX_H

#include <stddef.h>

enum { SANDBOX_LANDLOCK = 1, SANDBOX_SECCOMP = 2, SANDBOX_ALL = 3 };

/* Confine this process for good: files as the paths policy allows them
** (paths_allow* first), no programs, processes or sockets, at most 256
** open files.  Returns the layers now on (SANDBOX_*); for each one that
** is not, why says why ("" when all are on). */
int sandbox_apply(char *why, size_t size);

/* One line on what this kernel offers --safe, for zb --version. */
void sandbox_describe(char *out, size_t size);

#endif
