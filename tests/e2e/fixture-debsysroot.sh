#!/usr/bin/env bash
# Setup fixture debsysroot-<arch> (tests/e2e/CMakeLists.txt): a merged Debian
# multiarch sysroot and the matching Rust std for Debian's rustc, both made by
# tests/fixtures/make-deb-sysroot.sh under ${CMAKE_BINARY_DIR}/fixtures. The
# script is idempotent (a stamp) and locks, so this is a no-op after the first
# run; apt's own temporary files stay inside the build folder.
#   fixture-debsysroot.sh DEB_ARCH
set -euo pipefail
arch=${1:?usage: fixture-debsysroot.sh DEB_ARCH}
: "${CROSSHIM_E2E_FIXTURES:?set by tests/e2e/CMakeLists.txt}"
: "${CROSSHIM_E2E_SOURCE_DIR:?set by tests/e2e/CMakeLists.txt}"
fixtures=$CROSSHIM_E2E_FIXTURES
for tool in apt-get dpkg-deb; do
    if ! command -v "$tool" >/dev/null; then
        echo "SKIP [debsysroot-$arch]: $tool not found (a Debian machine is needed)"
        # On CI nothing may skip (see common.sh).
        if [[ ${CROSSHIM_E2E_NO_SKIP:-} == 1 || (-n ${CI:-} && ${CI:-} != false && ${CI:-} != 0 &&
            ${CROSSHIM_E2E_NO_SKIP:-} != 0) ]]; then
            exit 1
        fi
        exit 77
    fi
done
mkdir -p "$fixtures/tmp"
export TMPDIR=$fixtures/tmp
start=$SECONDS
bash "$CROSSHIM_E2E_SOURCE_DIR/tests/fixtures/make-deb-sysroot.sh" \
    --arch "$arch" \
    --dir "$fixtures/sysroot-$arch" \
    --cache "$fixtures/apt" \
    --rust-std "$fixtures/rust-std-$arch"
echo "debsysroot-$arch: ready in $((SECONDS - start))s: $fixtures/sysroot-$arch, $fixtures/rust-std-$arch"
