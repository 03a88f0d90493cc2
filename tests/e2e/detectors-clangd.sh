#!/usr/bin/env bash
# detectors-clangd: clangd --query-driver on the shims. clangd runs the driver
# named in compile_commands.json (`<driver> -E -v -x c -`) and takes the
# target (the `Target:` line) and the system include folders from it; with
# the armv7 shims it must see the target's headers (an armhf-only
# stubs header, __ARM_PCS_VFP) and report no error in a file that checks
# them. Without --query-driver, clangd uses its own build-machine defaults and
# does report errors: the check can fail.
source "$(dirname "$0")/common.sh"

arch_info armv7
need_stage
need_cross_packages
need_cmd clangd "apt-get install clangd"

mkdir -p proj
cat >proj/a.c <<'EOF2'
#include <gnu/stubs-hard.h>
#include <stdio.h>
#if !defined(__arm__) || !defined(__ARM_PCS_VFP)
#error "not the armhf target"
#endif
_Static_assert(sizeof(void *) == 4, "32-bit target");
int main(void) { return puts("hi") < 0; }
EOF2
for name in "$GNU-gcc" "$TRIPLE-cc"; do
    echo "== $name"
    cat >proj/compile_commands.json <<JSON
[{"directory": "$WORK/proj", "file": "$WORK/proj/a.c",
  "arguments": ["$SHIMS/$name", "-c", "a.c", "-o", "a.o"]}]
JSON
    run clangd --query-driver="$SHIMS/*" --check="$WORK/proj/a.c"
    ((RC == 0)) || fail "clangd --check found errors with --query-driver ($name)"
    expect_contains "$ERR" "$CROSS_ROOT/include" "clangd's log (system includes from the shim)"
    expect_contains "$ERR" "armv7-unknown-linux-gnueabihf" "clangd's log (target from the shim)"
    expect_not_contains "$ERR" "not the armhf target" "clangd's diagnostics"
done
echo "== without --query-driver clangd does not know the target (the check above can fail)"
run clangd --check="$WORK/proj/a.c"
((RC != 0)) || fail "clangd without --query-driver reported no error: the test cannot tell"
pass
