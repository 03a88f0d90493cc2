#!/usr/bin/env bash
# Setup fixture wineprefix (tests/e2e/CMakeLists.txt): the wine prefix every
# windows-gnu-* test uses, $CROSSHIM_E2E_FIXTURES/wineprefix, made once with
# `wineboot -i` (5-7 s, ~700 MB). Idempotent: an existing prefix is kept.
set -euo pipefail
: "${CROSSHIM_E2E_FIXTURES:?set by tests/e2e/CMakeLists.txt}"
if ! command -v wine >/dev/null || ! command -v wineserver >/dev/null; then
    echo "SKIP [wineprefix]: wine not found (apt-get install wine wine64)"
    if [[ ${CROSSHIM_E2E_NO_SKIP:-} == 1 || (-n ${CI:-} && ${CI:-} != false && ${CI:-} != 0 &&
        ${CROSSHIM_E2E_NO_SKIP:-} != 0) ]]; then
        exit 1
    fi
    exit 77
fi
export WINEPREFIX=$CROSSHIM_E2E_FIXTURES/wineprefix WINEDEBUG=-all
mkdir -p "$CROSSHIM_E2E_FIXTURES/tmp"
export TMPDIR=$CROSSHIM_E2E_FIXTURES/tmp
unset DISPLAY WAYLAND_DISPLAY
if [[ -f $WINEPREFIX/system.reg ]]; then
    echo "wineprefix: $WINEPREFIX exists"
    exit 0
fi
start=$SECONDS
# wineboot creates the prefix; Debian's wine has no wine32 here, so no syswow64.
wine wineboot -i >/dev/null 2>&1 || true
wineserver -w
[[ -f $WINEPREFIX/system.reg ]] || { echo "wineprefix: wineboot made no prefix in $WINEPREFIX"; exit 1; }
echo "wineprefix: made $WINEPREFIX in $((SECONDS - start))s"
