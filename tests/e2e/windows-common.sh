# shellcheck shell=bash
# tests/e2e/windows-common.sh - sourced (after common.sh) by the windows-*.sh
# tests: the wine prefix they share and the checks they need.
#
# All Windows tests use one prefix, $FIXTURES/wineprefix, made once by the
# `wineprefix` fixture (windows-wineprefix.sh: a first start takes 5-7 s
# and ~700 MB). Wine keeps one wineserver per prefix; a test waits for it to
# exit (`wineserver -w`) instead of killing it, which would kill the programs
# of another test running at the same time (ctest -j).

need_mingw() { # TRIPLE-PREFIX (x86_64-w64-mingw32 or i686-w64-mingw32)
    local pkg=${1%%-*}
    [[ $pkg == x86_64 ]] && pkg=x86-64
    need_path "/usr/$1/include/_mingw.h" "apt-get install mingw-w64-$pkg-dev"
    local gcc=(/usr/lib/gcc/"$1"/*/libgcc.a)
    ((${#gcc[@]} > 0)) || skip "no GCC runtime in /usr/lib/gcc/$1 (apt-get install g++-mingw-w64-$pkg-win32)"
}

use_wine() {
    need_cmd wine "apt-get install wine wine64"
    need_cmd wineserver "apt-get install wine wine64"
    export WINEPREFIX=$FIXTURES/wineprefix
    [[ -f $WINEPREFIX/system.reg ]] || fail "no wine prefix in $WINEPREFIX (the wineprefix fixture makes it)"
    export WINEDEBUG=-all
    unset WINEPATH WINELOADER WINEDLLOVERRIDES
    trap 'wineserver -w 2>/dev/null || true' EXIT
}

# pe_machine FILE: the COFF machine llvm-readobj reports (AMD64, I386, ...).
pe_machine() {
    local readobj
    readobj=$(command -v llvm-readobj || command -v llvm-readobj-16 || command -v llvm-readobj-14 || true)
    [[ -n $readobj ]] || fail "llvm-readobj not found"
    "$readobj" --file-headers "$1" | sed -n 's/^ *Machine: IMAGE_FILE_MACHINE_\([A-Z0-9]*\).*/\1/p' | head -1
}

# nocr TEXT: TEXT without carriage returns (the C runtime's stdout is in text
# mode: "\n" becomes "\r\n"; Rust writes bytes as they are).
nocr() { printf '%s' "${1//$'\r'/}"; }
