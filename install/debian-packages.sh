#!/usr/bin/env bash
# Installs the Debian bookworm packages crosshim needs.
#   install/debian-packages.sh            build + run the bundled example
#   install/debian-packages.sh --tests    also everything the test suite uses
#   install/debian-packages.sh --llvm 16  use LLVM 16 instead of 14 (Debian's default)
# Run as root (or through sudo). Safe to run again: apt skips what is there.
set -euo pipefail

usage() { sed -n '2,6s/^# \{0,1\}//p' "$0"; }

tests=0
llvm=14
while [ $# -gt 0 ]; do
  case "$1" in
    --tests) tests=1 ;;
    --llvm) llvm="${2:?--llvm needs a version}"; shift ;;
    --llvm=*) llvm="${1#--llvm=}" ;;
    -h|--help) usage; exit 0 ;;
    *) echo "debian-packages.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi

build=(
  cmake ninja-build gcc g++ make git ca-certificates
  "llvm-$llvm-dev" "clang-$llvm" "lld-$llvm" "libclang-rt-$llvm-dev"
  libfmt-dev libtomlplusplus-dev libgtest-dev
  libncurses-dev zlib1g-dev libzstd-dev   # static libtinfo.a / libz.a / libzstd.a for LLVM Support
)
# The bundled example: aarch64 cross packages, qemu, Debian's rustc with the cc crate.
example=(
  qemu-user
  libc6-dev-arm64-cross libgcc-12-dev-arm64-cross libstdc++-12-dev-arm64-cross
  rustc cargo librust-cc-dev file binutils
)
test_only=(
  libc6-dev-armhf-cross libgcc-12-dev-armhf-cross libstdc++-12-dev-armhf-cross
  libc6-dev-i386-cross libgcc-12-dev-i386-cross libstdc++-12-dev-i386-cross
  musl-dev musl-tools autoconf automake
  clang-16 lld-16 libclang-rt-16-dev    # the shim driving LLVM 16 (CROSSHIM_LLVM=/usr/lib/llvm-16)
  meson                                 # crosshim toolchain meson (cmake and ninja: above)
  clang-tidy                            # the tidy test (.clang-tidy)
  pkgconf                               # <triple>-pkg-config runs it; pkg.m4 for PKG_CHECK_MODULES
  librust-libsqlite3-sys-dev            # the cargo proof: libsqlite3-sys + pkg-config crates
  ccache sccache distcc distcc-pump icecc  # caches and compile farms behind and in front of the shims
  zstd iproute2                         # icecc: its environment tarball; the loopback of its namespace
  # Windows: mingw-w64 headers, CRT and GCC runtime (windows-gnu; the MSVC tests build an
  # SDK-shaped folder from its headers), Rust's windows-gnu std, and wine to run the results.
  mingw-w64-x86-64-dev mingw-w64-i686-dev
  gcc-mingw-w64-x86-64-win32 g++-mingw-w64-x86-64-win32 gcc-mingw-w64-i686-win32 g++-mingw-w64-i686-win32
  libstd-rust-dev-windows wine wine64
  # Debian's GNU cross compilers (with binutils' /usr/<gnu>/bin links and GCC's
  # host plugins in the cross trees): the diagnostics must not cry wolf on them,
  # and the conformance suite compares the shims with them.
  gcc-aarch64-linux-gnu g++-aarch64-linux-gnu gcc-arm-linux-gnueabihf g++-arm-linux-gnueabihf
  gcc-i686-linux-gnu g++-i686-linux-gnu
  # GNU as and c++filt that the -as and -c++filt names are compared with (binutils-names;
  # the cross gcc packages pull them in, named here because the test runs them itself).
  binutils-aarch64-linux-gnu binutils-arm-linux-gnueabihf binutils-i686-linux-gnu
  binutils-mingw-w64-x86-64 binutils-mingw-w64-i686
  libc++-14-dev libc++abi-14-dev libomp-14-dev   # C++ library mixes, -fopenmp (diag-recall)
  libtool                               # the autoconf + libtool detectors (ld -r, a DLL)
  mingw-w64-tools                       # <gnu>-widl, which the <triple>-widl names run
  clangd                                # clangd --query-driver on the shims
  # The corpus (tests/corpus): dpkg-source unpacks the Debian source packages, perl runs
  # OpenSSL's Configure, and the Rust projects come from Debian's vendored crates.
  dpkg-dev perl librust-psm-dev librust-blake3-dev librust-libz-sys-dev
)

# Debian's unversioned clang, ld.lld and llvm-config come from these.
if [ "$llvm" = 14 ]; then build+=(clang lld llvm); fi

pkgs=("${build[@]}" "${example[@]}")
if [ "$tests" = 1 ]; then pkgs+=("${test_only[@]}"); fi

export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
echo "debian-packages.sh: installed ${#pkgs[@]} packages (LLVM $llvm)"
