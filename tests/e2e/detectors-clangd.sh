#!/usr/bin/env bash
# detectors-clangd: clangd --query-driver on the shims. clangd runs the driver
# named in compile_commands.json (`<driver> -E -v -x c -`) and takes the
# target (the `Target:` line) and the system include folders from it; with
# the armv7 shims it must see the target's headers (an armhf-only
# stubs header, __ARM_PCS_VFP) and report no error in a file that checks
# them; a file that #errors on armhf must fail the same check.
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
    includes=$(sed -n 's/.*got includes: //p' <<<"$ERR")
    [[ -n $includes ]] || fail "clangd did not extract include folders from $name"
    found=0
    for dir in ${includes//[\",]/ }; do
        [[ $(realpath -m -- "$dir") == "$CROSS_ROOT/include" ]] && found=1
    done
    ((found)) || fail "clangd's system includes from $name lack $CROSS_ROOT/include: $includes"
    expect_contains "$ERR" 'got target: "armv7-unknown-linux-gnueabihf"' "clangd's log (target from the shim)"
    expect_not_contains "$ERR" "not the armhf target" "clangd's diagnostics"
done
echo "== clangd reports errors (the checks above can fail): a file that is wrong for armhf"
sed 's/!defined(__arm__)/defined(__arm__)/' proj/a.c >proj/b.c
sed -i 's/a\.c/b.c/g' proj/compile_commands.json
run clangd --query-driver="$SHIMS/*" --check="$WORK/proj/b.c"
((RC != 0)) || fail "clangd --check reported no error in b.c, which #errors on armhf"
pass
