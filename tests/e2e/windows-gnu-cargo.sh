#!/usr/bin/env bash
# windows-gnu-cargo: `crosshim init --target x86_64-pc-windows-gnu` writes the
# linker, the runner and cc-rs's CC_/CXX_/AR_ entries; then Debian's cargo 1.63
# (RUSTC=/usr/bin/rustc with libstd-rust-dev-windows) runs `cargo test` for a
# crate whose build script compiles C and C++ through cc-rs (Debian's vendored
# cc crate): the shims compile, link, and the tests run under wine through
# x86_64-pc-windows-gnu-run with nothing else set.
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/windows-common.sh"

T=x86_64-pc-windows-gnu
need_stage
need_mingw x86_64-w64-mingw32
need_path /usr/bin/rustc "apt-get install rustc"
need_path /usr/bin/cargo "apt-get install cargo"
need_path /usr/lib/rustlib/$T/lib "apt-get install libstd-rust-dev-windows"
need_debian_crates librust-cc-dev cc
use_wine
export RUSTC=/usr/bin/rustc

write_cc_crate e2e-windows-gnu triple.c name.cpp
cat >crate/src/triple.c <<'C'
#include <stdint.h>
#include <windows.h>
uint32_t e2e_triple(uint32_t v) { return v * 3; }
/* A Windows API call: kernel32 through mingw-w64's import library. */
uint32_t e2e_page_size(void) {
    SYSTEM_INFO info;
    GetSystemInfo(&info);
    return info.dwPageSize;
}
C
cat >crate/src/name.cpp <<'CPP'
#include <cstring>
#include <stdexcept>
#include <string>
extern "C" unsigned e2e_name_length(const char *s) {
    try {
        if (!*s) throw std::invalid_argument("empty");
        return (unsigned)std::string(s).size();
    } catch (const std::exception &) {
        return 999;
    }
}
CPP
cat >crate/src/lib.rs <<'RS'
extern "C" {
    fn e2e_triple(v: u32) -> u32;
    fn e2e_page_size() -> u32;
    fn e2e_name_length(s: *const std::os::raw::c_char) -> u32;
}
pub fn triple(v: u32) -> u32 { unsafe { e2e_triple(v) } }
#[cfg(test)]
mod tests {
    #[test]
    fn c_and_cxx_run_on_windows() {
        assert_eq!(super::triple(14), 42);
        assert_eq!(unsafe { super::e2e_page_size() }, 4096);
        assert_eq!(unsafe { super::e2e_name_length(b"wine\0".as_ptr() as _) }, 4);
        assert_eq!(unsafe { super::e2e_name_length(b"\0".as_ptr() as _) }, 999);
        println!("on {} {}", std::env::consts::OS, std::env::consts::ARCH);
    }
}
RS
cat >crate/.cargo/config.toml <<TOML
$(offline_registry_toml)
TOML

echo "== crosshim init --target $T"
ok "$CROSSHIM" init --target $T --dir crate
ok python3 - crate/.cargo/config.toml "$T" "$SHIMS" <<'PY'
import sys, tomllib
c = tomllib.load(open(sys.argv[1], "rb"))
t, shims = sys.argv[2], sys.argv[3]
u = t.replace("-", "_")
assert c["target"][t]["linker"] == f"{shims}/{t}-cc", c
assert c["target"][t]["runner"] == f"{shims}/{t}-run", c
for var, tool in (("CC", "cc"), ("CXX", "c++"), ("AR", "ar")):
    assert c["env"][f"{var}_{u}"] == f"{shims}/{t}-{tool}", (var, c["env"])
PY

echo "== cargo test --target $T: C and C++ through the shims, the test under wine"
pushd crate >/dev/null
run env CROSSHIM_LOG="$WORK/shim.log" /usr/bin/cargo test -q --target $T -- --nocapture
popd >/dev/null
((RC == 0)) || fail "cargo test failed with exit status $RC: $ERR"
expect_contains "$OUT" "on windows x86_64" "the test ran under wine"
expect_contains "$OUT" "test result: ok. 1 passed" "cargo test"
log=$(<"$WORK/shim.log")
expect_match "$log" "\] in: $SHIMS/$T-cc .*src/triple\.c" "cc-rs compiled C through the shim"
expect_match "$log" "\] in: $SHIMS/$T-c\+\+ .*src/name\.cpp" "cc-rs compiled C++ through the shim"
expect_match "$log" "\] in: $SHIMS/$T-cc .*-nodefaultlibs" "rustc linked through the shim"
pass
