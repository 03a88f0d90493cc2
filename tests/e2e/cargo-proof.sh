#!/usr/bin/env bash
# cargo-proof ARCH (aarch64, armv7, i686): the seed articles' situation, set
# up with crosshim's three commands and nothing else:
#   crosshim sysroot create --target <triple> --with libsqlite3-dev
#   crosshim init --target <triple>
#   cargo test --target <triple>
# A crate whose build.rs compiles C through the cc crate and which links the
# system's SQLite through libsqlite3-sys + pkg-config (Debian's crates, an
# offline directory source; Debian's rustc 1.63 with the target's std from
# libstd-rust-dev:<arch>, the one thing a rustup user gets from `rustup
# target add` instead). The tests run under qemu through the runner and
# check the C code, the SQLite version of the sysroot and a real query.
source "$(dirname "$0")/common.sh"

arch_info "${1:?usage: cargo-proof.sh ARCH}"
need_stage
need_cmd "$QEMU" "apt-get install qemu-user"
need_path /usr/bin/rustc "apt-get install rustc"
need_path /usr/bin/cargo "apt-get install cargo"
need_cmd pkg-config "apt-get install pkgconf"
need_fixture_rust_std
need_debian_crates "librust-libsqlite3-sys-dev librust-cc-dev" cc libsqlite3-sys pkg-config vcpkg
export RUSTC=/usr/bin/rustc
# Downloads are shared with the sysroot-create test (crosshim locks the cache).
export XDG_CACHE_HOME=$FIXTURES/sysroot-create-cache
mkdir -p "$XDG_CACHE_HOME"

echo "== crosshim sysroot create --target $TRIPLE --with libsqlite3-dev"
ok_noisy "$CROSSHIM" sysroot create --target "$TRIPLE" --with libsqlite3-dev
SYSROOT=$XDG_DATA_HOME/crosshim/sysroots/$TRIPLE
expect_file "$SYSROOT/usr/lib/$MULTIARCH/pkgconfig/sqlite3.pc"
ok "$CROSSHIM" which "$TRIPLE-cc"
expect_contains "$OUT" "$SYSROOT" "the shims find the created sysroot"

write_cc_crate e2e-proof checksum.c -- 'libsqlite3-sys = "0.25"'
cat >crate/src/checksum.c <<'C'
#include <stddef.h>
#include <stdint.h>
uint32_t e2e_checksum(const unsigned char *p, size_t n) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; ++i)
        h = (h ^ p[i]) * 16777619u;
    return h;
}
C
cat >crate/src/lib.rs <<'RS'
use libsqlite3_sys as ffi;
use std::ffi::{CStr, CString};
use std::os::raw::{c_char, c_int, c_void};
extern "C" {
    fn e2e_checksum(p: *const u8, n: usize) -> u32;
}
pub fn checksum(bytes: &[u8]) -> u32 { unsafe { e2e_checksum(bytes.as_ptr(), bytes.len()) } }
pub fn sqlite_version() -> String {
    unsafe { CStr::from_ptr(ffi::sqlite3_libversion()) }.to_string_lossy().into_owned()
}
unsafe extern "C" fn first_column(out: *mut c_void, _n: c_int, values: *mut *mut c_char, _names: *mut *mut c_char) -> c_int {
    *(out as *mut String) = CStr::from_ptr(*values).to_string_lossy().into_owned();
    0
}
pub fn query(sql: &str) -> String {
    let mut db = std::ptr::null_mut();
    let mut out = String::new();
    let memory = CString::new(":memory:").unwrap();
    let sql = CString::new(sql).unwrap();
    unsafe {
        assert_eq!(ffi::sqlite3_open(memory.as_ptr(), &mut db), ffi::SQLITE_OK);
        let rc = ffi::sqlite3_exec(db, sql.as_ptr(), Some(first_column), &mut out as *mut String as *mut c_void, std::ptr::null_mut());
        assert_eq!(rc, ffi::SQLITE_OK);
        ffi::sqlite3_close(db);
    }
    out
}
#[cfg(test)]
mod tests {
    #[test]
    fn c_from_build_rs() {
        let mut h: u32 = 2166136261;
        for b in b"crosshim" {
            h = (h ^ *b as u32).wrapping_mul(16777619);
        }
        assert_eq!(super::checksum(b"crosshim"), h);
    }
    #[test]
    fn sqlite_from_the_sysroot() {
        println!("arch={} sqlite={} sum={}", std::env::consts::ARCH, super::sqlite_version(),
                 super::query("CREATE TABLE t(x); INSERT INTO t VALUES (20),(22); SELECT sum(x) FROM t;"));
    }
}
RS
# The user's own configuration: the offline registry and Debian's target std.
cat >crate/.cargo/config.toml <<TOML
$(offline_registry_toml)

[target.$TRIPLE]
rustflags = ["--sysroot", $(toml_str "$FIXTURE_RUST_STD")]
TOML

echo "== crosshim init --target $TRIPLE"
ok "$CROSSHIM" init --target "$TRIPLE" --dir crate

echo "== cargo test --target $TRIPLE"
pushd crate >/dev/null
run env CROSSHIM_LOG="$WORK/shim.log" /usr/bin/cargo test --target "$TRIPLE" -- --nocapture
popd >/dev/null
((RC == 0)) || fail "cargo test failed with exit status $RC: $ERR"
expect_contains "$OUT" "test result: ok. 2 passed" "cargo test"
sqlite=$(sed -n 's/^Version: //p' "$SYSROOT/usr/lib/$MULTIARCH/pkgconfig/sqlite3.pc")
expect_contains "$OUT" "arch=$RUST_ARCH sqlite=$sqlite sum=42" "the test's output under qemu"
log=$(<"$WORK/shim.log")
expect_match "$log" "\] in: $SHIMS/$TRIPLE-cc .*src/checksum\.c" "cc-rs compiled through the shim"
expect_match "$log" "\] in: $SHIMS/$TRIPLE-cc .*-lsqlite3" "rustc linked SQLite through the shim"
test_bin=(crate/target/"$TRIPLE"/debug/deps/e2e_proof-*)
for f in "${test_bin[@]}"; do
    [[ -x $f && ! $f == *.d ]] || continue
    expect_machine "$f" "$MACHINE" "$CLASS"
    expect_needed "$f" libsqlite3.so.0
done
pass
