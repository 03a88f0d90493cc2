#!/usr/bin/env bash
# autotools-env: `crosshim env` for Makefile and autotools users. An automake
# project (written here) that finds sqlite3 with PKG_CHECK_MODULES is
# configured with nothing but
#     eval "$(crosshim env --target aarch64-unknown-linux-gnu)"
#     ./configure --host="$CROSSHIM_HOST"
# against the debsysroot-arm64-sqlite fixture, built with make, and the
# program (an in-memory sqlite database) runs under qemu through
# aarch64-unknown-linux-gnu-run. Then the make and fish syntaxes with a name
# farm whose path has a space and a quote, and the usage errors.
source "$(dirname "$0")/common.sh"

arch_info aarch64
need_stage
need_cmd "$QEMU" "apt-get install qemu-user"
need_cmd pkg-config "apt-get install pkgconf"
need_cmd autoreconf "apt-get install autoconf"
need_cmd automake "apt-get install automake"
need_cmd make "apt-get install make"
need_path /usr/share/aclocal/pkg.m4 "apt-get install pkgconf"
SYSROOT=$FIXTURES/sysroot-arm64-sqlite
[[ -f $SYSROOT/.crosshim-fixture-stamp ]] ||
    fail "fixture sysroot $SYSROOT is missing (the debsysroot-arm64-sqlite fixture makes it)"
sqlite_version=$(sed -n 's/^Version: *//p' "$SYSROOT/usr/lib/$MULTIARCH/pkgconfig/sqlite3.pc")
[[ -n $sqlite_version ]] || fail "no sqlite3.pc Version in the fixture sysroot"
export "$SYSROOT_VAR=$SYSROOT"

echo "== crosshim env (sh)"
ok "$CROSSHIM" env --target "$TRIPLE"
env_sh=$OUT
for v in "CC=$SHIMS/$TRIPLE-cc" "CXX=$SHIMS/$TRIPLE-c++" "AR=$SHIMS/$TRIPLE-ar" \
    "RANLIB=$SHIMS/$TRIPLE-ranlib" "PKG_CONFIG=$SHIMS/$TRIPLE-pkg-config"; do
    expect_contains "$env_sh" "export ${v%%=*}='${v#*=}'" "crosshim env"
done
expect_contains "$env_sh" "export CROSSHIM_HOST='$GNU'" "crosshim env"

echo "== an automake project with PKG_CHECK_MODULES([SQLITE], [sqlite3])"
mkdir -p proj
cd proj
cat >configure.ac <<'AC'
AC_INIT([sqlitever], [1.0])
AC_CONFIG_SRCDIR([main.c])
AM_INIT_AUTOMAKE([foreign])
AC_PROG_CC
PKG_PROG_PKG_CONFIG
PKG_CHECK_MODULES([SQLITE], [sqlite3 >= 3.0])
AC_CONFIG_FILES([Makefile])
AC_OUTPUT
AC
cat >Makefile.am <<'AM'
bin_PROGRAMS = sqlitever
sqlitever_SOURCES = main.c
sqlitever_CFLAGS = $(SQLITE_CFLAGS)
sqlitever_LDADD = $(SQLITE_LIBS)
AM
cat >main.c <<'C'
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

static int count(void *out, int n, char **values, char **names) {
    (void)n, (void)names;
    *(int *)out = values[0] ? atoi(values[0]) : -1;
    return 0;
}

int main(void) {
    sqlite3 *db;
    char *err = NULL;
    int rows = -1;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
        sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES (1), (2);"
                         "SELECT count(*) FROM t;", count, &rows, &err) != SQLITE_OK) {
        fprintf(stderr, "sqlite: %s\n", err ? err : sqlite3_errmsg(db));
        return 1;
    }
    sqlite3_close(db);
    printf("sqlite %s, %d rows, %d-bit\n", sqlite3_libversion(), rows, (int)(sizeof(void *) * 8));
    return 0;
}
C
ok_noisy autoreconf -fi
expect_file configure
# What the README tells autotools users to type, in a fresh shell.
run bash -c 'eval "$("$0" env --target "$1")" && exec ./configure --host="$CROSSHIM_HOST"' \
    "$CROSSHIM" "$TRIPLE"
((RC == 0)) || fail "configure failed (config.log: $WORK/proj/config.log)"
[[ -z $ERR ]] || fail "configure printed on stderr: $ERR"
configure_out=$OUT
expect_contains "$configure_out" "checking pkg-config is at least version 0.9.0... yes" "configure output"
expect_contains "$configure_out" "checking for sqlite3 >= 3.0... yes" "configure output"
expect_contains "$configure_out" "checking whether we are cross compiling... yes" "configure output"
config_log=$(<config.log)
expect_contains "$config_log" "host_alias='$GNU'" "config.log"
expect_contains "$config_log" "CC='$SHIMS/$TRIPLE-cc'" "config.log"
expect_contains "$config_log" "PKG_CONFIG='$SHIMS/$TRIPLE-pkg-config'" "config.log"
expect_contains "$config_log" "SQLITE_LIBS='-L$SYSROOT/usr/lib/$MULTIARCH -lsqlite3" "config.log"
sqlite_flags=$(sed -n "s/^SQLITE_\(CFLAGS\|LIBS\)='\(.*\)'$/\2/p" config.log)
expect_paths_under "SQLITE_CFLAGS and SQLITE_LIBS" "$(tr ' ' '\n' <<<"$sqlite_flags" | sed -n 's/^-[IL]//p')" "$SYSROOT"

# make runs with the variables configure recorded (no environment needed).
ok_noisy make V=1
[[ -z $ERR ]] || fail "make printed on stderr: $ERR"
expect_contains "$OUT" "$SHIMS/$TRIPLE-cc" "make output"
expect_machine sqlitever "$MACHINE" "$CLASS"
expect_interp sqlitever "$LOADER"
expect_needed sqlitever libsqlite3.so.0
ok "$SHIMS/$TRIPLE-run" ./sqlitever
expect_eq "$OUT" "sqlite $sqlite_version, 2 rows, 64-bit" "output of sqlitever"
cd "$WORK"

echo "== a name farm with a space and a quote in its path"
farm="$WORK/my farm's bin"
ok_noisy "$CROSSHIM" install-links --dir "$farm" --target "$TRIPLE" --no-masquerade
printf 'int f(void) { return 42; }\n' >f.c

# sh: eval gives back the exact path, and it runs.
ok "$CROSSHIM" env --target "$TRIPLE" --dir "$farm"
env_sh=$OUT
expect_contains "$env_sh" "export CC='$WORK/my farm'\\''s bin/$TRIPLE-cc'" "sh quoting"
(
    eval "$env_sh"
    [[ $CC == "$farm/$TRIPLE-cc" ]] || fail "sh: CC is '$CC'"
    [[ $PKG_CONFIG == "$farm/$TRIPLE-pkg-config" ]] || fail "sh: PKG_CONFIG is '$PKG_CONFIG'"
    "$CC" -c f.c -o f-sh.o || fail "sh: \"\$CC\" -c f.c failed"
)
expect_machine f-sh.o "$MACHINE" "$CLASS"

# make: $(CC) in a recipe is one word for the shell; a plain path stays plain.
ok "$CROSSHIM" env --target "$TRIPLE" --dir "$farm" --shell make
expect_contains "$OUT" "export CC := '$WORK/my farm'\\''s bin/$TRIPLE-cc'" "make quoting"
expect_contains "$OUT" "export CROSSHIM_HOST := $GNU" "make syntax"
printf '%s\n' "$OUT" >farm.mk
cat >Makefile <<'MK'
include farm.mk
f-make.o: f.c
	$(CC) -c f.c -o $@
	$(PKG_CONFIG) --modversion sqlite3 >pc-version.txt
MK
ok_noisy make f-make.o
expect_machine f-make.o "$MACHINE" "$CLASS"
expect_eq "$(<pc-version.txt)" "$sqlite_version" "sqlite3 version through \$(PKG_CONFIG)"
ok "$CROSSHIM" env --target "$TRIPLE" --shell make
printf '%s\n' "$OUT" >plain.mk
expect_contains "$OUT" "export CC := $SHIMS/$TRIPLE-cc" "make syntax, plain path"
# shellcheck disable=SC2016 # $$CC and $(CROSSHIM_HOST) are make's
printf 'include plain.mk\nshow:\n\t@printf "%%s|%%s\\n" "$$CC" "$(CROSSHIM_HOST)"\n' >Show.mk
ok make -s -f Show.mk show
expect_eq "$OUT" "$SHIMS/$TRIPLE-cc|$GNU" "the exported CC and CROSSHIM_HOST in a recipe"

# fish: single quotes with \' and \\ as the only escapes.
ok "$CROSSHIM" env --target "$TRIPLE" --dir "$farm" --shell fish
env_fish=$OUT
expect_contains "$env_fish" "set -gx CC '$WORK/my farm\\'s bin/$TRIPLE-cc'" "fish quoting"
expect_contains "$env_fish" "set -gx CROSSHIM_HOST '$GNU'" "fish syntax"
if command -v fish >/dev/null; then
    printf '%s\n' "$env_fish" >env.fish
    # shellcheck disable=SC2016 # $CC is fish's
    ok fish -c 'source env.fish; printf "%s" $CC'
    expect_eq "$OUT" "$farm/$TRIPLE-cc" "fish: CC"
else
    echo "  (fish is not installed: its text is checked above, not run)"
fi

echo "== errors"
expect_fail_with_code 2 "$CROSSHIM" env
expect_contains "$ERR" "env needs --target" "no --target"
expect_fail_with_code 2 "$CROSSHIM" env --target "$TRIPLE" --shell csh
expect_contains "$ERR" "--shell must be sh, fish or make, not 'csh'" "bad --shell"
expect_fail_with_code 2 "$CROSSHIM" env --target aarch65-unknown-linux-gnu
expect_fail_with_code 2 "$CROSSHIM" env --target "$TRIPLE" --bogus
expect_contains "$ERR" "unknown option '--bogus'" "unknown option"
mkdir -p nofarm
expect_fail_with_code 1 "$CROSSHIM" env --target "$TRIPLE" --dir nofarm
expect_contains "$ERR" "not installed in $WORK/nofarm" "no names"
expect_contains "$ERR" "crosshim install-links" "no names"
[[ -z $OUT ]] || fail "crosshim env printed exports although the names are missing"
# A crosshim outside an installed tree has no name farm next to it.
mkdir -p loose/bin
cp "$CROSSHIM" loose/bin/crosshim
expect_fail_with_code 1 loose/bin/crosshim env --target "$TRIPLE"
expect_contains "$ERR" "not installed in $WORK/loose/lib/crosshim/bin" "uninstalled binary"
ok "$CROSSHIM" env --help
expect_contains "$OUT" "CROSSHIM_HOST" "env --help"
expect_contains "$OUT" "--shell" "env --help"

pass
