#!/usr/bin/env bash
# init ARCH (aarch64, armv7, i686): `crosshim init --target <triple>` writes
# linker, runner and cc-rs's CC_/CXX_/AR_/RANLIB_ (and pkg-config's) entries
# into a crate's existing .cargo/config.toml -- keeping the user's keys,
# comments and sections -- and then `cargo test --target <triple>` with
# Debian's cargo 1.63 builds the crate's C code through the shim, links, and
# runs the tests under qemu through <triple>-run, with nothing else set.
# --dry-run prints the diff and writes nothing; a second run changes nothing;
# a conflicting user value is refused unless --force.
source "$(dirname "$0")/common.sh"

arch_info "${1:?usage: init.sh ARCH}"
need_stage
need_cross_packages
need_path /usr/bin/rustc "apt-get install rustc"
need_path /usr/bin/cargo "apt-get install cargo"
need_fixture_rust_std
need_debian_crates librust-cc-dev cc
export RUSTC=/usr/bin/rustc
tu=${TRIPLE//-/_}

write_cc_crate e2e-init triple.c
cat >crate/src/triple.c <<'C'
#include <stdint.h>
uint32_t e2e_triple(uint32_t v) { return v * 3; }
unsigned e2e_pointer_bits(void) { return (unsigned)(sizeof(void *) * 8); }
C
cat >crate/src/lib.rs <<'RS'
extern "C" {
    fn e2e_triple(v: u32) -> u32;
    fn e2e_pointer_bits() -> u32;
}
pub fn triple(v: u32) -> u32 { unsafe { e2e_triple(v) } }
#[cfg(test)]
mod tests {
    #[test]
    fn c_code_runs_on_the_target() {
        assert_eq!(super::triple(14), 42);
        assert_eq!(unsafe { super::e2e_pointer_bits() } as usize, usize::BITS as usize);
        println!("on {}", std::env::consts::ARCH);
    }
}
RS
# The user's own configuration: an offline registry, Debian's std for the
# target (rustflags in the target's section), a comment and an [env] key.
cat >crate/.cargo/config.toml <<TOML
# the user's settings
$(offline_registry_toml)

[env]
E2E_USER_KEY = "kept"   # a comment that stays

[target.$TRIPLE]
rustflags = ["--sysroot", $(toml_str "$FIXTURE_RUST_STD")]
TOML
user_config=$(<crate/.cargo/config.toml)

echo "== --dry-run prints the change and writes nothing"
ok "$CROSSHIM" init --target "$TRIPLE" --dir crate --dry-run
expect_contains "$OUT" "+linker = \"$SHIMS/$TRIPLE-cc\"" "the diff"
expect_contains "$OUT" "+runner = \"$SHIMS/$TRIPLE-run\"" "the diff"
expect_contains "$OUT" "+CC_$tu = \"$SHIMS/$TRIPLE-cc\"" "the diff"
expect_eq "$(<crate/.cargo/config.toml)" "$user_config" "the file after --dry-run"

echo "== init writes the entries into the user's sections"
ok "$CROSSHIM" init --target "$TRIPLE" --dir crate
expect_contains "$OUT" "into crate/.cargo/config.toml" "output"
config=$(<crate/.cargo/config.toml)
while IFS= read -r line; do
    expect_contains "$config" "$line" "the user's line is kept"
done <<<"$user_config"
expect_eq "$(grep -c '^\[env\]' <<<"$config")" 1 "[env] sections"
ok python3 - crate/.cargo/config.toml "$TRIPLE" "$SHIMS" <<'PY'
import sys, tomllib
c = tomllib.load(open(sys.argv[1], "rb"))
t, shims = sys.argv[2], sys.argv[3]
u = t.replace("-", "_")
assert c["target"][t]["linker"] == f"{shims}/{t}-cc", c
assert c["target"][t]["runner"] == f"{shims}/{t}-run", c
assert c["target"][t]["rustflags"][0] == "--sysroot", c
for var, tool in (("CC", "cc"), ("CXX", "c++"), ("AR", "ar"), ("RANLIB", "ranlib"), ("PKG_CONFIG", "pkg-config")):
    assert c["env"][f"{var}_{u}"] == f"{shims}/{t}-{tool}", (var, c["env"])
assert c["env"][f"PKG_CONFIG_ALLOW_CROSS_{u}"] == "1"
assert c["env"]["E2E_USER_KEY"] == "kept"
PY
ok "$CROSSHIM" init --target "$TRIPLE" --dir crate
expect_contains "$OUT" "already has everything; nothing changed" "second run"
expect_eq "$(<crate/.cargo/config.toml)" "$config" "the file after a second run"

echo "== cargo test --target $TRIPLE: C through the shim, tests under qemu"
pushd crate >/dev/null
run env CROSSHIM_LOG="$WORK/shim.log" /usr/bin/cargo test -q --target "$TRIPLE" -- --nocapture
popd >/dev/null
((RC == 0)) || fail "cargo test failed with exit status $RC: $ERR"
expect_contains "$OUT" "on $RUST_ARCH" "the test ran on the target"
expect_contains "$OUT" "test result: ok. 1 passed" "cargo test"
log=$(<"$WORK/shim.log")
expect_match "$log" "\] in: $SHIMS/$TRIPLE-cc .*src/triple\.c" "cc-rs compiled through the shim"
expect_match "$log" "\] in: $SHIMS/$TRIPLE-cc .*-nodefaultlibs" "rustc linked through the shim"

echo "== a conflicting value of the user's is refused unless --force"
sed -i "s|^E2E_USER_KEY = \"kept\".*|&\nCC_$tu = \"gcc\"|" crate/.cargo/config.toml
before=$(<crate/.cargo/config.toml)
expect_fail_with_code 2 "$CROSSHIM" init --target "$TRIPLE" --dir crate
expect_contains "$ERR" "env.CC_$tu is already set to another value" "stderr"
expect_eq "$(<crate/.cargo/config.toml)" "$before" "the file after a refused run"
ok "$CROSSHIM" init --target "$TRIPLE" --dir crate --force
expect_contains "$OUT" "replaced env.CC_$tu (was: CC_$tu = \"gcc\")" "output"
expect_contains "$(<crate/.cargo/config.toml)" "# replaced by crosshim init --force: CC_$tu = \"gcc\"" "the file"

echo "== usage errors"
expect_fail_with_code 2 "$CROSSHIM" init
expect_contains "$ERR" "init needs at least one --target" "stderr"
expect_fail_with_code 2 "$CROSSHIM" init --target no-such-target
expect_fail_with_code 1 "$CROSSHIM" init --target "$TRIPLE" --dir "$WORK/missing"
printf '[env\n' >bad.toml && mkdir -p bad/.cargo && mv bad.toml bad/.cargo/config.toml
expect_fail_with_code 2 "$CROSSHIM" init --target "$TRIPLE" --dir bad
expect_contains "$ERR" "crosshim init edits only valid TOML" "stderr"
ok "$CROSSHIM" init --help
expect_contains "$OUT" "usage: crosshim init --target T... [--dir DIR] [--force] [--dry-run]" "help"
pass
