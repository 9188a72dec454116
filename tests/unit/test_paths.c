/*
** test_paths.c: where zb looks for its own files and the user's.
*/
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paths.h"
#include "unit.h"

static void touch(const char *path) {
  FILE *f = fopen(path, "w");
  if (f) fclose(f);
}

int main(void) {
  char tmpl[] = "/tmp/zb-paths-XXXXXX";
  char *root = mkdtemp(tmpl);
  char buf[8192], want[4096], dir[4096];
  struct stat st;

  CHECK(root != NULL, "a scratch directory");
  if (root == NULL) return unit_done();

  setenv("HOME", "/home/analyst", 1);
  unsetenv("XDG_CONFIG_HOME");
  CHECK(paths_xdg("XDG_CONFIG_HOME", ".config", buf, sizeof buf) == 0, "xdg default resolves");
  CHECK_STR(buf, "/home/analyst/.config/zb", "xdg default is under HOME");
  setenv("XDG_CONFIG_HOME", "/etc/xdg-test", 1);
  paths_xdg("XDG_CONFIG_HOME", ".config", buf, sizeof buf);
  CHECK_STR(buf, "/etc/xdg-test/zb", "XDG_CONFIG_HOME is honoured");
  setenv("XDG_CONFIG_HOME", "relative/dir", 1);
  paths_xdg("XDG_CONFIG_HOME", ".config", buf, sizeof buf);
  CHECK_STR(buf, "/home/analyst/.config/zb", "a relative XDG value is ignored, as the spec says");
  unsetenv("HOME");
  unsetenv("XDG_CONFIG_HOME");
  CHECK(paths_xdg("XDG_CONFIG_HOME", ".config", buf, sizeof buf) != 0, "no HOME, no XDG: no directory");
  CHECK(paths_xdg("XDG_CONFIG_HOME", ".config", buf, 8) != 0, "a too-small buffer is an error");

  snprintf(dir, sizeof dir, "%s/a/b/c", root);
  CHECK(paths_mkdirs(dir) == 0 && stat(dir, &st) == 0 && S_ISDIR(st.st_mode), "mkdirs makes every level");
  CHECK(paths_mkdirs(dir) == 0, "mkdirs on an existing directory succeeds");

  /* A source tree: lua/zb/api.lua beside the binary. */
  snprintf(dir, sizeof dir, "%s/src/lua/zb", root);
  paths_mkdirs(dir);
  snprintf(buf, sizeof buf, "%s/api.lua", dir);
  touch(buf);
  snprintf(dir, sizeof dir, "%s/src", root);
  CHECK(paths_home(dir, buf, sizeof buf) == 0, "home found in a source tree");
  CHECK_STR(buf, dir, "home of a source tree is the binary's directory");

  /* An installed tree: bin/zb and share/zb/lua/zb/api.lua. */
  snprintf(dir, sizeof dir, "%s/usr/share/zb/lua/zb", root);
  paths_mkdirs(dir);
  snprintf(buf, sizeof buf, "%s/api.lua", dir);
  touch(buf);
  snprintf(dir, sizeof dir, "%s/usr/bin", root);
  paths_mkdirs(dir);
  snprintf(want, sizeof want, "%s/usr/share/zb", root);
  CHECK(paths_home(dir, buf, sizeof buf) == 0, "home found in an installed tree");
  CHECK_STR(buf, want, "home of an installed tree is ../share/zb, resolved");

  snprintf(dir, sizeof dir, "%s/a", root);
  CHECK(paths_home(dir, buf, sizeof buf) != 0, "no home where zb's files are not");

  CHECK(paths_exe_dir(buf, sizeof buf) == 0 && strstr(buf, "unit") != NULL, "the executable's directory");

  snprintf(buf, sizeof buf, "rm -rf '%s'", root);
  CHECK(system(buf) == 0, "scratch directory removed");
  return unit_done();
}
