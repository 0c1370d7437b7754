# costshare: build, test and install.
#
#   make                build build/costshare
#   make run            run the bundled models (models/*.ini)
#   make test           unit and end-to-end tests (alias: check)
#   make SANITIZE=address,undefined test
#   make install PREFIX=/usr/local DESTDIR=
#   make V=1            show full commands
#
# Objects and the program do not depend on CC, CFLAGS or STATIC: run make
# clean after changing them.

VERSION = 0.1.0

CC ?= cc
CFLAGS ?= -O2 -g
PREFIX ?= /usr/local
BINDIR = $(PREFIX)/bin
MANDIR = $(PREFIX)/share/man/man1
PKG_CONFIG ?= pkg-config

# Flags the project needs, whatever CFLAGS the user sets.
WARNINGS = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wformat=2 -Wconversion -Wvla
REQUIRED_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L $(WARNINGS) \
	-Iinclude -DCOSTSHARE_VERSION='"$(VERSION)"'

# Libraries with a pkg-config file; libcsv ships none.
PKGS = inih nettle gsl sqlite3 xlsxwriter
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
# Libraries linked in statically where their archive is installed, so
# that the dynamic loader has fewer objects to search for each symbol: a
# run then starts about 0.5 ms sooner (docs/BENCHMARKS.md).  Set STATIC
# empty to link every library dynamically.
STATIC ?= inih nettle gsl gslcblas sqlite3 csv
STATIC_FOUND := $(foreach l,$(STATIC),$(if $(filter /%,$(shell \
	$(CC) -print-file-name=lib$(l).a 2>/dev/null)),-l$(l)))
comma := ,
LIBS = $(if $(STATIC_FOUND),-Wl$(comma)-Bstatic $(STATIC_FOUND) \
	-Wl$(comma)-Bdynamic) \
	$(filter-out $(STATIC_FOUND),$(PKG_LIBS) -lcsv) -pthread
TEST_LIBS := $(shell $(PKG_CONFIG) --libs cunit 2>/dev/null)

ifdef SANITIZE
SANITIZE_FLAGS = -fsanitize=$(SANITIZE) -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
BUILD = build/sanitize
else
BUILD = build/plain
endif

ALL_CFLAGS = $(REQUIRED_CFLAGS) -pthread $(PKG_CFLAGS) $(SANITIZE_FLAGS) $(CFLAGS)
ALL_LDFLAGS = $(SANITIZE_FLAGS) $(LDFLAGS)

ifneq ($(V),1)
Q = @
say = @printf '  %-6s %s\n' $(1) $(2);
endif

LIB_SRCS = $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJS = $(LIB_SRCS:src/%.c=$(BUILD)/src/%.o)
TEST_SRCS = $(wildcard tests/unit/*.c)
TEST_OBJS = $(TEST_SRCS:tests/unit/%.c=$(BUILD)/tests/%.o)

PROGRAM = $(BUILD)/costshare
UNIT = $(BUILD)/unit-tests

.PHONY: all run test check unit e2e install uninstall clean format deps

all: $(PROGRAM) build/costshare

# build/costshare points at the binary of the last make, sanitized or
# not, so it is relinked every time.
.PHONY: build/costshare
build/costshare: $(PROGRAM)
	$(Q)ln -sfn $(patsubst build/%,%,$(PROGRAM)) $@

$(PROGRAM): $(BUILD)/src/main.o $(LIB_OBJS)
	$(call say,LINK,$@)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(UNIT): $(TEST_OBJS) $(LIB_OBJS)
	$(call say,LINK,$@)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS) $(TEST_LIBS)

$(BUILD)/src/%.o: src/%.c $(wildcard include/*.h) Makefile
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%.o: tests/unit/%.c $(wildcard include/*.h tests/unit/*.h) Makefile
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(ALL_CFLAGS) -Itests/unit -c -o $@ $<

run: all
	$(PROGRAM) run models/jfa.ini
	$(PROGRAM) run models/lcssb.ini
	$(PROGRAM) headcount models/roster.ini -o reports/roster-2020.csv
	$(PROGRAM) run models/roster.ini

test check: unit e2e

unit: $(UNIT)
	$(UNIT)

e2e: all
	sh tests/e2e/run.sh $(PROGRAM)

install: $(PROGRAM)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)
	install -m 755 $(PROGRAM) $(DESTDIR)$(BINDIR)/costshare
	install -m 644 docs/costshare.1 $(DESTDIR)$(MANDIR)/costshare.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/costshare $(DESTDIR)$(MANDIR)/costshare.1

format:
	clang-format -i src/*.c include/*.h tests/unit/*.c tests/unit/*.h

# Install missing Debian packages (see .ci/deps).
deps:
	sh .ci/deps

clean:
	rm -rf build

# libFuzzer harnesses (tests/fuzz/) in build/fuzz/, built with clang and
# AddressSanitizer and UBSan; UBSan stops at the first report, so that
# libFuzzer records it as a crash.  Run one with, for example:
#   build/fuzz/fuzz_money tests/fuzz/corpus/money -max_total_time=60
FUZZ_CC = clang
FUZZ_FLAGS = -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-g -O1
FUZZ_CFLAGS = $(REQUIRED_CFLAGS) $(PKG_CFLAGS) $(FUZZ_FLAGS)
FUZZ_NAMES = table money model roster
FUZZ_PROGRAMS = $(FUZZ_NAMES:%=build/fuzz/fuzz_%)
FUZZ_LIB_OBJS = $(LIB_SRCS:src/%.c=build/fuzz/src/%.o)

.PHONY: fuzz valgrind

fuzz: $(FUZZ_PROGRAMS)

# Keep the objects that make would delete as intermediate files.
.SECONDARY: $(FUZZ_LIB_OBJS)

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(wildcard tests/fuzz/*.h) \
		$(FUZZ_LIB_OBJS)
	$(call say,FUZZ,$@)$(FUZZ_CC) $(FUZZ_CFLAGS) -Itests/fuzz -o $@ $< \
		$(FUZZ_LIB_OBJS) $(LIBS)

build/fuzz/src/%.o: src/%.c $(wildcard include/*.h) Makefile
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

# The unit tests and every end-to-end command under valgrind (memcheck);
# it needs the plain build, so do not set SANITIZE.
valgrind: $(UNIT) $(PROGRAM)
	valgrind --leak-check=full --error-exitcode=9 $(UNIT)
	sh tests/valgrind.sh $(PROGRAM)
