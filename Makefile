# zb: a Lua-scriptable workbench for statistical indicators.
# Hand-written; flags come from pkg-config.  See README.md.

PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
SHAREDIR ?= $(PREFIX)/share/zb
MANDIR   ?= $(PREFIX)/share/man/man1

PKGS     := lua5.4 sqlite3 readline libseccomp libxxhash xlsxwriter libzip expat freexl libpq pangocairo
# Debian packages: building, then what the test suite drives (groff checks the man page;
# pandas and numpy are the differential tests' reference, tests/lua/reference.lua;
# a plain lua5.4 runs tests/unit/*.lua, the compiler's tests without a database;
# xxhash's xxhsum checks the catalog's fingerprints; openpyxl reads back what to_xlsx writes
# and Gnumeric's ssconvert shows its cells in their number formats;
# openpyxl, xlsxwriter and xlwt write the workbooks read_xlsx reads, xlrd and olefile check them;
# PostgreSQL 15, its own server started by tests/run.sh, is the second engine tests/lua/postgresql.lua runs;
# rsvg-convert, pdftoppm, pdftotext and Pillow check the charts chart:save draws with cairo and pango,
# valgrind that it loses no memory).
DEB_BUILD := pkg-config liblua5.4-dev libsqlite3-dev libreadline-dev libseccomp-dev libxxhash-dev libxlsxwriter-dev libzip-dev \
             libexpat1-dev libfreexl-dev libgsf-1-114 libpq-dev libcairo2-dev libpango1.0-dev fonts-noto-cjk
DEB_TEST  := groff-base man-db python3-pandas lua5.4 xxhash python3-openpyxl python3-xlsxwriter python3-xlwt \
             python3-xlrd python3-olefile postgresql-15 postgresql-15-pllua librsvg2-bin poppler-utils python3-pil valgrind \
             gnumeric
DEB_BENCH := lua5.4 sqlite3 lua-sql-sqlite3 python3 python3-pandas valgrind python3-openpyxl python3-xlsxwriter \
             gnuplot-nox python3-matplotlib python3-tabulate postgresql-15

CC       ?= cc
CFLAGS   ?= -O2 -g
WARN     := -std=c11 -Wall -Wextra -Werror -Wpedantic -Wshadow -Wcast-qual \
            -Wpointer-arith -Wwrite-strings -Wstrict-prototypes \
            -Wmissing-prototypes -Wmissing-declarations -Wredundant-decls \
            -Wundef -Wnested-externs -Wformat=2
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
# Lua, SQLite, readline (with tinfo), libseccomp and libxxhash are linked
# from the static libraries their Debian -dev packages ship (liblua5.4.a,
# libsqlite3.a, ...): relocating libsqlite3 at every start was three
# quarters of zb's startup, and calls into SQLite skip the PLT; the other
# three cost a fifth of a start's instructions and 0.5 MB of resident pages,
# and they lengthened every symbol search of libpq's dlopen.  (A new SQLite
# from the distribution means rebuilding zb.)
# -E exports the Lua API from zb itself to the C modules that require loads.
PKG_LIBS   = -Wl,-E -Wl,-Bstatic $(shell pkg-config --libs lua5.4 sqlite3) \
             $(shell pkg-config --libs --static readline libseccomp libxxhash) -Wl,-Bdynamic -lm -ldl -lpthread
ALL_CFLAGS = $(WARN) -D_POSIX_C_SOURCE=200809L $(INCLUDES) $(PKG_CFLAGS) $(CFLAGS) -MMD -MP

SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

# src/ by concern (README's Layout): host/, bridge/ (SQLite and Lua), safety/,
# readers/, time/, terminal/; a header is included by its name alone.
SRCS     := $(wildcard src/*/*.c)
INCLUDES := $(addprefix -I,$(sort $(dir $(SRCS))))
OBJS     := $(SRCS:src/%.c=build/%.o)
SAN_OBJS := $(SRCS:src/%.c=build/san/%.o)
LIB_OBJS := $(filter-out build/host/main.o,$(OBJS))
SAN_LIB_OBJS := $(filter-out build/san/host/main.o,$(SAN_OBJS))
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=build/unit/%)
SAN_UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=build/san/unit/%)

.PHONY: all run test sanitize fuzz lint bench install uninstall clean deps deps-test deps-fuzz deps-lint deps-bench check-man

all: zb build/bytecode.stamp

zb: $(OBJS) Makefile
	$(CC) $(CFLAGS) -o $@ $(OBJS) $(PKG_LIBS) $(LDFLAGS)

# zb's own modules compiled beside their sources (FILE.lua -> FILE.luac): a
# session loads them without compiling them (some 3 ms of each start).  A
# chunk keeps its lines and is named by the path its source has at run time
# ($(2)/FILE.lua); host.c takes one only when it is newer than its source
# and so named (an edited or moved tree loads its sources), never in --safe.
# Written whole or not at all (a temporary file renamed).  $(1): the
# directory holding zb/.
define compile_modules
	cd $(1) && find zb -name '*.lua' | $(CURDIR)/zb -n -e 'for file in io.lines() do \
	  local f = assert(io.open(file, "rb")); local text = f:read("a"); f:close(); \
	  local chunk = assert(load(text, "@$(2)/" .. file, "t")); \
	  local out = assert(io.open(file .. "c.tmp", "wb")); out:write(string.dump(chunk)); out:close(); \
	  assert(os.rename(file .. "c.tmp", file .. "c")) end'
endef
LUA_MODULES := $(shell find lua/zb -name '*.lua')
build/bytecode.stamp: zb $(LUA_MODULES) | build
	$(call compile_modules,lua,$(CURDIR)/lua)
	@touch $@

build/%.o: src/%.c | build
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

build/san/%.o: src/%.c | build
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -c -o $@ $<

# A test build without zb's Lua sandbox: tests/lua/safe.lua shows with it
# that in --safe the kernel (Landlock, seccomp) holds a script alone.
build/kernel-only/host.o: src/host/host.c | build
	@mkdir -p build/kernel-only
	$(CC) $(ALL_CFLAGS) -DZB_TEST_KERNEL_ONLY -c -o $@ $<

zb-kernel-only: $(filter-out build/host/host.o,$(OBJS)) build/kernel-only/host.o Makefile
	$(CC) $(CFLAGS) -o $@ $(filter-out build/host/host.o,$(OBJS)) build/kernel-only/host.o $(PKG_LIBS) $(LDFLAGS)

zb-san: $(SAN_OBJS) Makefile
	$(CC) $(SAN_FLAGS) -o $@ $(SAN_OBJS) $(PKG_LIBS) $(LDFLAGS)

build/unit/%: tests/unit/%.c $(LIB_OBJS) | build
	@mkdir -p build/unit
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB_OBJS) $(PKG_LIBS) $(LDFLAGS)

build/san/unit/%: tests/unit/%.c $(SAN_LIB_OBJS) | build
	@mkdir -p build/san/unit
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -o $@ $< $(SAN_LIB_OBJS) $(PKG_LIBS) $(LDFLAGS)

# A Lua C module, used by the REPL tests to drive zb through a pseudo-terminal.
build/pty.so: tests/lib/pty.c | build
	$(CC) $(ALL_CFLAGS) -fPIC -shared -o $@ $< -lutil

# A Lua C module for tests/lua/safe.lua: what a script with C could try
# (a socket, a process), and a kernel without Landlock.  libseccomp linked
# in, as zb links it: a sandboxed zb may not read the shared one to load it.
build/probe.so: tests/lib/probe.c | build
	$(CC) $(ALL_CFLAGS) -fPIC -shared -o $@ $< -Wl,-Bstatic $(shell pkg-config --libs --static libseccomp) -Wl,-Bdynamic

build:
	@mkdir -p build

# Install what is missing, and nothing when all is present (apt-get, as root or via sudo).
define apt_ensure
	@missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if ! command -v apt-get >/dev/null; then echo "zb: please install:$$missing" >&2; exit 1; fi; \
	  sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	  echo "installing:$$missing"; \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

deps:
	$(call apt_ensure,$(DEB_BUILD))
deps-test: deps
	$(call apt_ensure,$(DEB_TEST))
deps-fuzz: deps
	$(call apt_ensure,clang time)

deps-lint: deps
	$(call apt_ensure,cppcheck lua-check)
deps-bench: deps
	$(call apt_ensure,$(DEB_BENCH))

run: deps
	@$(MAKE) --no-print-directory -s zb build/bytecode.stamp
	@./zb -i lua/examples/hz.lua

# Reports of valgrind and the sanitizers land here; tests/run.sh fails on any.
REPORTS := $(CURDIR)/build/reports
# VALGRIND=1 runs every zb process of the suite under valgrind.
VALGRIND_CMD := valgrind -q --log-file=$(REPORTS)/valgrind.%p --error-exitcode=99 \
  --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect
TEST_ZB = $(if $(VALGRIND),$(VALGRIND_CMD) )$(CURDIR)/zb

test: deps-test
	@$(MAKE) --no-print-directory -s zb build/bytecode.stamp zb-kernel-only build/pty.so build/probe.so $(UNIT_BINS)
	@ZB="$(TEST_ZB)" ZB_KERNEL_ONLY=$(CURDIR)/zb-kernel-only UNIT_BINS="$(UNIT_BINS)" ZB_REPORTS=$(REPORTS) $(if $(VALGRIND),ZB_SLOW=1) sh tests/run.sh

sanitize: deps-test
	@$(MAKE) --no-print-directory -s zb build/bytecode.stamp zb-san zb-kernel-only build/pty.so build/probe.so $(SAN_UNIT_BINS)
	@ZB=$(CURDIR)/zb-san ZB_KERNEL_ONLY=$(CURDIR)/zb-kernel-only UNIT_BINS="$(SAN_UNIT_BINS)" ZB_SLOW=1 ZB_REPORTS=$(REPORTS) \
	  ASAN_OPTIONS=detect_leaks=1:log_path=$(REPORTS)/asan \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	  UBSAN_OPTIONS=print_stacktrace=1:log_path=$(REPORTS)/ubsan sh tests/run.sh

# make fuzz: each libFuzzer target (tests/fuzz/TARGET.lua through the
# harness tests/fuzz/fuzz.c) for FUZZ_SECONDS, from its seed corpus; a
# crash or finding stops it and leaves the input in build/fuzz/.  The
# safe target runs ./zb --safe as a child (GNU time measures it).
FUZZ_TARGETS := csv json render compiler differential safe
FUZZ_SECONDS ?= 60
FUZZ_FLAGS := -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_OBJS := $(LIB_OBJS:build/%.o=build/fuzz/%.o)

build/fuzz/%.o: src/%.c | build
	@mkdir -p $(dir $@)
	clang $(WARN) -D_POSIX_C_SOURCE=200809L $(INCLUDES) $(PKG_CFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

zb-fuzz: $(FUZZ_OBJS) tests/fuzz/fuzz.c Makefile
	clang $(WARN) -D_POSIX_C_SOURCE=200809L $(PKG_CFLAGS) $(INCLUDES) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ \
	  tests/fuzz/fuzz.c $(FUZZ_OBJS) $(PKG_LIBS) $(LDFLAGS)

fuzz: deps-fuzz zb zb-fuzz
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p build/fuzz/corpus-$$t build/fuzz/findings-$$t; \
	  echo "fuzz $$t: $(FUZZ_SECONDS) s"; \
	  ZB_FUZZ_TARGET=$$t ./zb-fuzz -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
	    -artifact_prefix=build/fuzz/findings-$$t/ -print_final_stats=1 \
	    build/fuzz/corpus-$$t tests/fuzz/corpus/$$t 2>build/fuzz/$$t.log \
	    || { tail -30 build/fuzz/$$t.log; exit 1; }; \
	  grep -h "stat::number_of_executed_units\|cov:" build/fuzz/$$t.log | tail -2; \
	done

# make lint: cppcheck over the C (warnings, portability, performance; the
# scope and style notes left out) and luacheck over the Lua (.luacheckrc),
# both Debian's; each finding fails it.  ctuuninitvar is suppressed: cppcheck
# 2.10 takes a function's snprintf into its out-parameter's buffer for a read
# of the caller's uninitialized struct (schema_calls' call).
LINT_C := $(SRCS) $(wildcard tests/unit/*.c tests/lib/*.c tests/fuzz/*.c bench/*.c)
lint: deps-lint
	cppcheck --enable=warning,performance,portability --std=c11 --quiet --inline-suppr --error-exitcode=1 \
	  --suppress=ctuuninitvar --suppress=toomanyconfigs $(INCLUDES) $(shell pkg-config --cflags-only-I lua5.4 sqlite3) $(LINT_C)
	luacheck -q lua tests

bench: deps-bench
	@$(MAKE) --no-print-directory zb build/bytecode.stamp
	@sh bench/run.sh

install: zb
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SHAREDIR)/lua/zb $(DESTDIR)$(SHAREDIR)/examples \
	  $(DESTDIR)$(SHAREDIR)/datasets $(DESTDIR)$(MANDIR)
	install -m 755 zb $(DESTDIR)$(BINDIR)/zb
	cd lua && find zb -name '*.lua' -exec install -D -p -m 644 {} $(DESTDIR)$(SHAREDIR)/lua/{} \;
	$(call compile_modules,$(DESTDIR)$(SHAREDIR)/lua,$(SHAREDIR)/lua)
	install -m 644 lua/examples/*.lua $(DESTDIR)$(SHAREDIR)/examples/
	if [ -d datasets ]; then cp -R datasets/. $(DESTDIR)$(SHAREDIR)/datasets/; fi
	install -m 644 man/zb.1 $(DESTDIR)$(MANDIR)/zb.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/zb $(DESTDIR)$(MANDIR)/zb.1
	rm -rf $(DESTDIR)$(SHAREDIR)/lua/zb $(DESTDIR)$(SHAREDIR)/examples $(DESTDIR)$(SHAREDIR)/datasets
	rmdir $(DESTDIR)$(SHAREDIR)/lua $(DESTDIR)$(SHAREDIR) 2>/dev/null || true

clean:
	rm -rf build zb zb-san zb-fuzz zb-kernel-only
	find lua -name '*.luac' -delete

-include $(OBJS:.o=.d) $(SAN_OBJS:.o=.d) $(UNIT_BINS:=.d) $(SAN_UNIT_BINS:=.d) build/pty.d build/probe.d \
  build/kernel-only/host.d
