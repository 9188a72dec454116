/*
** sandbox.c: the kernel's half of --safe.  Before the script's first
** instruction the process confines itself, for good: Landlock holds the
** filesystem to what the paths policy allows (read where zb may read,
** read and write under --allow), and a seccomp filter (libseccomp)
** refuses new programs, processes, sockets, ptrace and the like.  An
** interpreter's sandbox can be broken from inside; these cannot be lifted
** from inside the process.  What this kernel lacks is said, never hidden.
*/
#define _GNU_SOURCE /* O_PATH, CLONE_THREAD */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/landlock.h>
#include <seccomp.h>

#include "paths.h"
#include "sandbox.h"

/* Landlock's rights by the ABI that brought them (Debian 12's headers
** stop at ABI 2; the numbers are the kernel's and never change). */
#define FS_EXECUTE (1ULL << 0)
#define FS_WRITE_FILE (1ULL << 1)
#define FS_READ_FILE (1ULL << 2)
#define FS_READ_DIR (1ULL << 3)
#define FS_REMOVE_DIR (1ULL << 4)
#define FS_REMOVE_FILE (1ULL << 5)
#define FS_MAKE_CHAR (1ULL << 6)
#define FS_MAKE_DIR (1ULL << 7)
#define FS_MAKE_REG (1ULL << 8)
#define FS_MAKE_SOCK (1ULL << 9)
#define FS_MAKE_FIFO (1ULL << 10)
#define FS_MAKE_BLOCK (1ULL << 11)
#define FS_MAKE_SYM (1ULL << 12)
#define FS_REFER (1ULL << 13)     /* ABI 2 */
#define FS_TRUNCATE (1ULL << 14)  /* ABI 3 */
#define FS_IOCTL_DEV (1ULL << 15) /* ABI 5 */
#define NET_BIND_TCP (1ULL << 0)  /* ABI 4 */
#define NET_CONNECT_TCP (1ULL << 1)
#define SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0) /* ABI 6 */
#define SCOPE_SIGNAL (1ULL << 1)

/* The ruleset as the newest ABI here knows it; an older kernel is given
** only the fields it knows. */
struct ruleset_attr {
  uint64_t handled_access_fs;
  uint64_t handled_access_net;
  uint64_t scoped;
};

static int landlock_abi(void) {
  long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
  return abi < 0 ? 0 : (int)abi;
}

/* The filesystem rights this ABI can refuse: all of them are handled. */
static uint64_t fs_rights(int abi) {
  uint64_t rights = (FS_MAKE_SYM << 1) - 1;
  if (abi >= 2) rights |= FS_REFER;
  if (abi >= 3) rights |= FS_TRUNCATE;
  if (abi >= 5) rights |= FS_IOCTL_DEV;
  return rights;
}

/* Rights a rule on a file (not a directory) may carry. */
#define FILE_RIGHTS (FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE | FS_TRUNCATE | FS_IOCTL_DEV)
#define READ_RIGHTS (FS_READ_FILE | FS_READ_DIR)
#define WRITE_RIGHTS (READ_RIGHTS | FS_WRITE_FILE | FS_TRUNCATE | FS_REMOVE_DIR | FS_REMOVE_FILE | \
                      FS_MAKE_DIR | FS_MAKE_REG | FS_REFER)

/* Let path be used with rights (cut to what the ABI handles and to a
** file's rights for a file).  A path that is not there is skipped; so is
** one that cannot be opened at all when optional (a system file zb may
** want): fewer rights, never none of the layer. */
static int add_rule(int ruleset, const char *path, uint64_t rights, uint64_t handled, int optional) {
  struct landlock_path_beneath_attr rule;
  struct stat st;
  int fd = open(path, O_PATH | O_CLOEXEC), rc;
  if (fd < 0) return errno == ENOENT || optional ? 0 : -1;
  if (fstat(fd, &st) != 0) {
    close(fd);
    return -1;
  }
  if (!S_ISDIR(st.st_mode)) rights &= FILE_RIGHTS;
  rule.allowed_access = rights & handled;
  rule.parent_fd = fd;
  rc = (int)syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0);
  close(fd);
  return rc;
}

/* LeakSanitizer stops the world at exit from a helper process that traces
** this one, reading /proc: the sanitizer build (make sanitize) leaves it
** clone, ptrace and /proc. */
#if defined(__SANITIZE_ADDRESS__)
#define LEAK_CHECKER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LEAK_CHECKER 1
#endif
#endif
#ifndef LEAK_CHECKER
#define LEAK_CHECKER 0
#endif

/* System files zb itself reads while a script runs: time zones (os.date),
** character-set converters (a GB18030 CSV), terminal descriptions,
** message catalogues, and fonts with fontconfig's settings and caches (a
** chart saved as a file); none is the user's. */
static const char *const system_reads[] = {
  "/etc/localtime", "/usr/share/zoneinfo", "/usr/lib/x86_64-linux-gnu/gconv", "/usr/lib/aarch64-linux-gnu/gconv",
  "/usr/lib64/gconv", "/usr/lib/gconv", "/usr/lib/locale", "/usr/share/locale", "/usr/share/terminfo",
  "/lib/terminfo", "/etc/terminfo", "/etc/inputrc", "/dev/urandom", "/etc/fonts", "/usr/share/fonts",
  "/usr/local/share/fonts", "/usr/share/fontconfig", "/var/cache/fontconfig", LEAK_CHECKER ? "/proc" : NULL, NULL,
};

static int apply_landlock(int abi, char *why, size_t size) {
  struct ruleset_attr attr;
  size_t attr_size = abi >= 6 ? sizeof attr : abi >= 4 ? 2 * sizeof(uint64_t) : sizeof(uint64_t);
  int ruleset, i, writable, database;
  const char *path;
  memset(&attr, 0, sizeof attr);
  attr.handled_access_fs = fs_rights(abi);
  if (abi >= 4) attr.handled_access_net = NET_BIND_TCP | NET_CONNECT_TCP;  /* and no rule gives them */
  if (abi >= 6) attr.scoped = SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL;
  ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, attr_size, 0);
  if (ruleset < 0) {
    snprintf(why, size, "Landlock: %s", strerror(errno));
    return -1;
  }
  for (i = 0; (path = paths_allowed_place(i, &writable, &database)) != NULL; i++) {
    if (add_rule(ruleset, path, writable ? WRITE_RIGHTS : READ_RIGHTS, attr.handled_access_fs, 0) != 0) goto not_confined;
    if (database) {  /* SQLite's files beside it: those open now stay usable */
      char companion[4096];
      for (const char *const *c = paths_companions; *c; c++)
        if (snprintf(companion, sizeof companion, "%s%s", path, *c) < (int)sizeof companion &&
            add_rule(ruleset, companion, WRITE_RIGHTS, attr.handled_access_fs, 0) != 0)
          goto not_confined;
    }
  }
  for (i = 0; system_reads[i]; i++)
    if (add_rule(ruleset, system_reads[i], READ_RIGHTS, attr.handled_access_fs, 1) != 0) goto not_confined;
  if (syscall(SYS_landlock_restrict_self, ruleset, 0) != 0) goto not_confined;
  close(ruleset);
  return 0;
not_confined:
  snprintf(why, size, "Landlock: %s", strerror(errno));
  close(ruleset);
  return -1;
}

/* System calls a script never needs, refused with EPERM: running programs,
** making processes (a child would outlive --timeout), sockets, looking into
** or changing other processes, files' owners, modes and times (Landlock
** guards contents, not these), the clock, the kernel's own state, and
** io_uring (whose work seccomp does not see). */
static const char *const refused_calls[] = {
  "execve", "execveat", "fork", "vfork", "socket", "socketpair", "ptrace", "process_vm_readv",
  "process_vm_writev", "kcmp", "pidfd_open", "pidfd_getfd", "pidfd_send_signal", "process_madvise",
  "migrate_pages", "move_pages", "mount", "umount2", "pivot_root", "chroot", "unshare", "setns", "bpf",
  "perf_event_open", "keyctl", "add_key", "request_key", "init_module", "finit_module", "delete_module",
  "kexec_load", "kexec_file_load", "reboot", "swapon", "swapoff", "userfaultfd", "io_uring_setup",
  "io_uring_enter", "io_uring_register", "open_by_handle_at", "name_to_handle_at", "syslog", "acct",
  "quotactl", "iopl", "ioperm", "personality", "mount_setattr", "fsopen", "fsconfig", "fsmount", "fspick",
  "move_mount", "open_tree", "fanotify_init", "vhangup", "chmod", "fchmod", "fchmodat", "chown", "fchown",
  "lchown", "fchownat", "utime", "utimes", "utimensat", "futimesat", "settimeofday", "clock_settime",
  "clock_adjtime", "adjtimex", "sethostname", "setdomainname", "setpriority", "ioprio_set", NULL,
};

/* Calls refused when their first argument names another process: for
** signals anything but this process's own id (0 and negative ids name
** groups), for the rest anything but 0, this process.  (setpriority and
** ioprio_set also take groups and users by 0: they are refused whole.) */
static const struct {
  const char *name;
  int signal;
} own_process_calls[] = {
  {"kill", 1}, {"tkill", 1}, {"tgkill", 1}, {"rt_sigqueueinfo", 1}, {"rt_tgsigqueueinfo", 1},
  {"prlimit64", 0}, {"sched_setaffinity", 0}, {"sched_setscheduler", 0}, {"sched_setparam", 0},
  {"sched_setattr", 0},
};

/* ioctls that type into the terminal zb was started from (the shell would
** run what they type after zb ends) */
static const unsigned long terminal_input_ioctls[] = {0x5412 /* TIOCSTI */, 0x541C /* TIOCLINUX */};

/* abi: Landlock's, 0 when off; before ABI 3 it does not guard truncation,
** so truncate(path) is refused here (ftruncate reaches only files opened
** for writing, which Landlock checked). */
static int apply_seccomp(int abi, char *why, size_t size) {
  scmp_filter_ctx filter = seccomp_init(SCMP_ACT_ALLOW);
  scmp_datum_t self = (scmp_datum_t)getpid();
  int rc = filter ? 0 : -ENOMEM;
  size_t i;
  for (i = 0; rc == 0 && refused_calls[i]; i++) {
    int call = seccomp_syscall_resolve_name(refused_calls[i]);
    if (LEAK_CHECKER && call == SCMP_SYS(ptrace)) continue;
    if (call != __NR_SCMP_ERROR) rc = seccomp_rule_add(filter, SCMP_ACT_ERRNO(EPERM), call, 0);
  }
  for (i = 0; rc == 0 && i < sizeof own_process_calls / sizeof *own_process_calls; i++) {
    int call = seccomp_syscall_resolve_name(own_process_calls[i].name);
    struct scmp_arg_cmp other = {0, SCMP_CMP_NE, own_process_calls[i].signal ? self : 0, 0};
    if (call != __NR_SCMP_ERROR) rc = seccomp_rule_add_array(filter, SCMP_ACT_ERRNO(EPERM), call, 1, &other);
  }
  if (rc == 0 && abi < 3) rc = seccomp_rule_add(filter, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(truncate), 0);
  for (i = 0; rc == 0 && i < sizeof terminal_input_ioctls / sizeof *terminal_input_ioctls; i++)
    rc = seccomp_rule_add(filter, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1,
                          SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffUL, terminal_input_ioctls[i]));
  /* clone makes threads too: only a new process is refused; clone3's flags
  ** sit in memory a filter cannot read, so it is "not there" and the C
  ** library falls back to clone */
  if (rc == 0 && !LEAK_CHECKER)
    rc = seccomp_rule_add(filter, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
                          SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, 0));
  if (rc == 0) rc = seccomp_rule_add(filter, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
  if (rc == 0) rc = seccomp_load(filter);
  if (filter) seccomp_release(filter);
  if (rc != 0) snprintf(why, size, "seccomp: %s", strerror(-rc));
  return rc;
}

/* At most this many open files (each holds a buffer outside --max-memory). */
#define SAFE_OPEN_FILES 256

/* Append note to why, after a "; " when why holds one already. */
static void add_note(char *why, size_t size, const char *note) {
  size_t used = strlen(why);
  snprintf(why + used, size - used, "%s%s", used ? "; " : "", note);
}

int sandbox_apply(char *why, size_t size) {
  struct rlimit files = {SAFE_OPEN_FILES, SAFE_OPEN_FILES};
  char note[256];
  int abi = landlock_abi(), on = 0;
  why[0] = '\0';
  setrlimit(RLIMIT_NOFILE, &files);
  /* both layers need it, and it keeps set-user-ID programs from gaining rights */
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    snprintf(why, size, "no_new_privs: %s", strerror(errno));
    return 0;
  }
  if (abi == 0) add_note(why, size, "Landlock: not offered by this kernel");
  else if (apply_landlock(abi, note, sizeof note) == 0) on |= SANDBOX_LANDLOCK;
  else add_note(why, size, note);
  if (seccomp_api_get() < 1) add_note(why, size, "seccomp: not offered by this kernel");
  else if (apply_seccomp(on & SANDBOX_LANDLOCK ? abi : 0, note, sizeof note) == 0) on |= SANDBOX_SECCOMP;
  else add_note(why, size, note);
  return on;
}

void sandbox_describe(char *out, size_t size) {
  int abi = landlock_abi();
  int filters = seccomp_api_get() >= 1;
  if (abi > 0 && filters) snprintf(out, size, "kernel sandbox for --safe: Landlock ABI %d, seccomp", abi);
  else if (abi > 0) snprintf(out, size, "kernel sandbox for --safe: Landlock ABI %d; no seccomp", abi);
  else if (filters) snprintf(out, size, "kernel sandbox for --safe: seccomp; no Landlock (files held by zb alone)");
  else snprintf(out, size, "kernel sandbox for --safe: none (this kernel offers neither Landlock nor seccomp)");
}
