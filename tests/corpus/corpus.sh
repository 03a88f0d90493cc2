#!/usr/bin/env bash
# corpus.sh PROJECT TARGET: builds a real open-source project from its Debian
# source package through crosshim, the way a user cross-compiles it (its own
# build system: configure scripts, CMake, Meson, Makefiles, cargo), and runs
# its own test suite under the target's runner (<triple>-run: qemu-user, or
# wine for Windows; natively for x86_64 musl). The sources come unpacked from
# the corpus-sources fixture (fetch-sources.sh); the test copies them into
# its work folder, build/e2e/corpus-PROJECT-TARGET.
#
# TARGET: aarch64 armv7 i686 (glibc, Debian's cross packages), musl
# (x86_64-unknown-linux-musl, Debian's musl-dev), win64 (x86_64-pc-windows-gnu,
# Debian's mingw-w64). The project x target table is in docs/compatibility.md.
# common.sh unsets every CROSSHIM_* variable: read ours first.
CORPUS_CACHE=${CROSSHIM_CORPUS_CACHE:-}
JOBS=${CROSSHIM_CORPUS_JOBS:-2}
source "$(dirname "$0")/../e2e/common.sh"
source "$(dirname "$0")/../e2e/windows-common.sh"

PROJECT=${1:?usage: corpus.sh PROJECT TARGET}
TARGET_NAME=${2:?usage: corpus.sh PROJECT TARGET}
[[ -n $CORPUS_CACHE ]] || fail "CROSSHIM_CORPUS_CACHE is not set (run the corpus through ctest)"
TREES=$CORPUS_CACHE/tree
need_stage

# ---------------------------------------------------------------- targets
WINDOWS=0 EXE=''
case $TARGET_NAME in
    aarch64 | armv7 | i686)
        arch_info "$TARGET_NAME"
        need_cross_packages
        HOST=$GNU ;;
    musl)
        TRIPLE=x86_64-unknown-linux-musl HOST=x86_64-linux-musl
        MACHINE="Advanced Micro Devices X86-64" CLASS=ELF64 LOADER=/lib/ld-musl-x86_64.so.1
        need_path /usr/lib/x86_64-linux-musl/libc.so "apt-get install musl-dev"
        need_path "$LOADER" "apt-get install musl" ;;
    win64)
        TRIPLE=x86_64-pc-windows-gnu HOST=x86_64-w64-mingw32 WINDOWS=1 EXE=.exe
        need_mingw "$HOST"
        use_wine ;;
    *) fail "unknown target '$TARGET_NAME' (aarch64 armv7 i686 musl win64)" ;;
esac
RUNNER=$SHIMS/$TRIPLE-run
export PATH=$SHIMS:$PATH
# The shim log: which compilers and linkers the build ran through crosshim.
export CROSSHIM_LOG=$WORK/shim.log

# expect_target_binary FILE...: each is code for the target (ELF machine and
# class, or the PE machine for Windows).
expect_target_binary() {
    local f
    for f in "$@"; do
        expect_file "$f"
        if ((WINDOWS)); then
            expect_eq "$(pe_machine "$f")" AMD64 "PE machine of ${f##*/}"
        else
            expect_machine "$f" "$MACHINE" "$CLASS"
        fi
    done
}

# expect_through_shims: the build compiled and linked through crosshim.
expect_through_shims() {
    [[ -s $CROSSHIM_LOG ]] || fail "the build did not run crosshim (no $CROSSHIM_LOG)"
    local n
    n=$(grep -c '\] in: ' "$CROSSHIM_LOG" || true)
    echo "  ok: $n invocations through crosshim"
}

# unpack PKG: a fresh copy of the Debian source tree (with Debian's patches) in ./src.
unpack() {
    local tree=$TREES/$1
    [[ -f $tree/.crosshim-corpus-stamp ]] ||
        fail "no source tree $tree (the corpus-sources fixture makes it)"
    echo "== $(<"$tree/.crosshim-corpus-stamp") for $TRIPLE"
    cp -a -- "$tree" src
}

# step WHAT CMD...: runs CMD (output in the log), fails the test if it fails.
step() {
    local what=$1
    shift
    echo "== $what"
    run "$@"
    times >"$WORK/times"
    echo "  cpu so far (user, system): $(tail -1 "$WORK/times")"
    ((RC == 0)) || fail "$what failed (exit status $RC): $(_e2e_quote "$@")"
}

toolchain_cmake() { ok "$CROSSHIM" toolchain cmake --target "$TRIPLE" -o "$WORK/toolchain.cmake"; }
toolchain_meson() { ok "$CROSSHIM" toolchain meson --target "$TRIPLE" -o "$WORK/cross.ini"; }

# The test drivers of automake print "# PASS:  N" and "# FAIL:  N".
expect_automake_passed() { # MIN
    local pass fail
    pass=$(sed -n 's/^# PASS: *//p' <<<"$OUT" | tail -1)
    fail=$(sed -n 's/^# FAIL: *//p' <<<"$OUT" | tail -1)
    [[ -n $pass && $fail == 0 && $pass -ge $1 ]] || fail "expected >= $1 passed tests and none failed (PASS: $pass, FAIL: $fail)"
}

# libtool's uninstalled programs are wrapper scripts: `libtool --mode=execute`
# runs the real program (.libs/lt-*) with the build tree's libraries, here
# under the runner. For Windows, libtool makes real .exe files.
libtool_runner() { # LIBTOOL
    printf '%s --mode=execute %s' "$1" "$RUNNER"
}

# ---------------------------------------------------------------- projects
# xz-utils: autoconf + libtool (a shared liblzma and programs using it); its C
# tests under the runner, then an xz round trip.
project_xz_utils() {
    unpack xz-utils
    cd src
    step configure ./configure --host="$HOST" --disable-doc --disable-nls --disable-scripts \
        --disable-lzmainfo --disable-lzma-links --disable-xzdec --disable-lzmadec
    step make make -j"$JOBS"
    local tests="test_check test_stream_flags test_filter_flags test_block_header test_index
        test_index_hash test_bcj_exact_size test_memlimit test_lzip_decoder test_vli"
    if ((WINDOWS)); then
        expect_target_binary src/liblzma/.libs/liblzma-5.dll src/xz/.libs/xz.exe
        step "make check (under wine)" make -j"$JOBS" check TESTS="$tests" LOG_COMPILER="$RUNNER"
    else
        expect_target_binary src/liblzma/.libs/liblzma.so.5 src/xz/.libs/xz
        step "make check (libtool --mode=execute $RUNNER)" make -j"$JOBS" check TESTS="$tests" \
            LOG_COMPILER="$(libtool_runner "$PWD/libtool")"
    fi
    expect_automake_passed 10
    head -c 200000 /dev/urandom >../data
    # MinGW: src/xz/xz.exe is libtool's wrapper program, which finds the DLL.
    local xz="./libtool --mode=execute $RUNNER src/xz/xz"
    ((WINDOWS)) && xz="$RUNNER src/xz/xz.exe"
    step "xz round trip" bash -c "$xz -c ../data >../data.xz && $xz -dc ../data.xz >../data.out"
    cmp ../data ../data.out || fail "xz -d gave other bytes"
}

# zlib: its own configure script (CHOST, not autoconf) and Makefile; `make
# test` runs the static and the shared examples through QEMU_RUN.
project_zlib() {
    unpack zlib
    cd src
    step configure env CHOST="$HOST" ./configure
    step make make -j"$JOBS"
    expect_target_binary libz.so.1.* example minigzipsh
    step "make test (QEMU_RUN=$RUNNER)" make test QEMU_RUN="$RUNNER"
    expect_contains "$OUT" "*** zlib test OK ***"
    expect_contains "$OUT" "*** zlib shared test OK ***"
}

# libyaml: CMake; ctest runs its tests through CMAKE_CROSSCOMPILING_EMULATOR.
project_libyaml() {
    unpack libyaml
    toolchain_cmake
    step "cmake configure" cmake -S src -B build -G Ninja -DCMAKE_TOOLCHAIN_FILE="$WORK/toolchain.cmake" \
        -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=ON -DBUILD_SHARED_LIBS=ON
    step "cmake build" cmake --build build -j"$JOBS"
    step "ctest (under $RUNNER)" ctest --test-dir build --output-on-failure
    expect_contains "$OUT" "100% tests passed"
}

# zstd: CMake (build/cmake: the shared library, the zstd program, the test
# programs); ctest runs its fuzzer, zstreamtest and fullbench through
# CMAKE_CROSSCOMPILING_EMULATOR, without the big tests and with 20 random
# rounds instead of thousands (each still runs all its unit tests first).
# playTests.sh is a shell script that starts the programs itself (not through
# the emulator): a zstd round trip under the runner stands for it.
project_zstd() {
    unpack libzstd
    toolchain_cmake
    step "cmake configure" cmake -S src/build/cmake -B build -G Ninja -DCMAKE_TOOLCHAIN_FILE="$WORK/toolchain.cmake" \
        -DCMAKE_BUILD_TYPE=Release -DZSTD_BUILD_TESTS=ON -DZSTD_LEGACY_SUPPORT=OFF \
        "-DZSTD_FUZZER_FLAGS=--no-big-tests;-i20" "-DZSTD_ZSTREAM_FLAGS=--no-big-tests;-i20" \
        -DZSTD_FULLBENCH_FLAGS=-i0
    step "cmake build" cmake --build build -j"$JOBS" --target libzstd_shared zstd fuzzer zstreamtest fullbench
    if ((WINDOWS)); then
        expect_target_binary build/lib/libzstd.dll build/programs/zstd.exe build/tests/fuzzer.exe
    else
        expect_target_binary build/lib/libzstd.so.1.* build/programs/zstd build/tests/fuzzer
    fi
    step "ctest (under $RUNNER)" ctest --test-dir build --output-on-failure -E playTests -j"$JOBS"
    expect_contains "$OUT" "100% tests passed, 0 tests failed out of 3"
    head -c 300000 /dev/urandom >data
    cat data data data >data3
    step "zstd round trip (under $RUNNER)" bash -c "$RUNNER build/programs/zstd$EXE -9 -T2 -c data3 >data3.zst &&
        $RUNNER build/programs/zstd$EXE -t data3.zst && $RUNNER build/programs/zstd$EXE -dc data3.zst >data3.out"
    cmp data3 data3.out || fail "zstd -d gave other bytes"
}

# double-conversion: C++ (libstdc++), CMake, a shared library. Its tests
# are one program, cctest; its CMake tests name it as $<TARGET_FILE:cctest>,
# which ctest runs without CMAKE_CROSSCOMPILING_EMULATOR (CMake adds the
# emulator only to a command that is a target's name), so the test runs
# cctest itself under the runner: with no argument it runs all its tests, and
# a failed check aborts it.
project_double_conversion() {
    unpack double-conversion
    toolchain_cmake
    step "cmake configure" cmake -S src -B build -G Ninja -DCMAKE_TOOLCHAIN_FILE="$WORK/toolchain.cmake" \
        -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=ON -DBUILD_SHARED_LIBS=ON
    step "cmake build" cmake --build build -j"$JOBS"
    if ((WINDOWS)); then
        expect_target_binary build/libdouble-conversion.dll build/test/cctest/cctest.exe
    else
        expect_target_binary build/libdouble-conversion.so.3 build/test/cctest/cctest
    fi
    # Windows finds the library's DLL, built in another folder, on PATH as for
    # a user (the runner gives wine the folders on PATH that hold DLLs, and
    # the GCC runtime's for libstdc++-6.dll).
    pushd build/test/cctest >/dev/null
    step "cctest (under $RUNNER)" env PATH="$WORK/build:$PATH" "$RUNNER" ./cctest$EXE
    popd >/dev/null
    # (Windows' printf ends the line with \r\n)
    expect_match "$OUT" "^Ran [1-9][0-9]+ tests\." "cctest summary"
}

# lua: the upstream release's plain Makefile (`make linux`, `make mingw`:
# lua54.dll), CC/AR/RANLIB given on the command line. The release has no test
# suite: a script exercising the language, the C library and the loader runs
# under the runner.
project_lua5_4() {
    local orig=("$CORPUS_CACHE"/src/lua5.4/lua5.4_*.orig.tar.gz)
    [[ -f ${orig[0]} ]] || fail "no lua5.4 .orig tarball in $CORPUS_CACHE/src/lua5.4"
    echo "== $(<"$TREES/lua5.4/.crosshim-corpus-stamp") (upstream tarball) for $TRIPLE"
    tar xzf "${orig[0]}"
    cd lua-5.4.4/src
    if ((WINDOWS)); then
        step "make mingw" make -j"$JOBS" mingw CC="$HOST-gcc -std=gnu99" AR="$HOST-ar rcu" \
            RANLIB="$HOST-ranlib"
        expect_target_binary lua54.dll lua.exe luac.exe
    else
        step "make linux" make -j"$JOBS" linux CC="$HOST-gcc -std=gnu99" AR="$HOST-ar rcu" \
            RANLIB="$HOST-ranlib"
        expect_target_binary lua luac
    fi
    cat >../check.lua <<'LUA'
local t = {}
for i = 1, 1000 do t[i] = (i * 7919) % 1000 end
table.sort(t)
assert(t[1] == 0 and t[1000] == 999)
assert(string.format("%5.2f|%d|%s", math.pi, 1 << 40, "x") == " 3.14|1099511627776|x")
assert(("hello world"):gsub("o", "0") == "hell0 w0rld")
assert(math.maxinteger == 9223372036854775807 and 7 // 2 == 3 and 2^10 == 1024.0)
local co = coroutine.wrap(function(a) local b = coroutine.yield(a + 1); return b * 2 end)
assert(co(1) == 2 and co(21) == 42)
local ok, err = pcall(error, {code = 7})
assert(not ok and err.code == 7)
local f = assert(load("return ...", "chunk", "t"))
assert(select("#", f(1, nil, 3)) == 3)
assert(utf8.char(228, 8364) == "ä€" and utf8.len("ä€") == 2)
local name = os.tmpname()
local h = assert(io.open(name, "w")); h:write("line1\nline2\n"); h:close()
local n = 0; for _ in io.lines(name) do n = n + 1 end
os.remove(name)
assert(n == 2)
collectgarbage(); assert(collectgarbage("count") > 0)
print(("lua ok: %s, %d-bit integers"):format(_VERSION, math.ult(1, -1) and 64 or 32))
LUA
    step "lua check.lua (under $RUNNER)" "$RUNNER" ./lua$EXE ../check.lua
    expect_contains "$OUT" "lua ok: Lua 5.4, 64-bit integers"
    step "luac -p" "$RUNNER" ./luac$EXE -p ../check.lua
}

# libffi: autoconf + libtool, with the target's assembly (sysv.S, unix64.S,
# ...). Its DejaGnu suite is not run; its call tests (testsuite/libffi.call)
# are compiled against the built library and run under the runner.
project_libffi() {
    unpack libffi
    cd src
    step configure ./configure --host="$HOST" --disable-docs --disable-multi-os-directory
    step make make -j"$JOBS"
    # The build folder is named after config.sub's triple (i686-pc-linux-gnu).
    local la=(*/libffi.la)
    [[ -f ${la[0]} ]] || fail "no libffi.la"
    local bd=${la[0]%/*} libdir=${la[0]%/*}/.libs
    if ((WINDOWS)); then expect_target_binary "$libdir"/libffi-8.dll; else expect_target_binary "$libdir"/libffi.so.8; fi
    local t passed=0 failed=()
    mkdir -p ../calls
    for t in testsuite/libffi.call/{call,closure_fn0,float,float1,float2,float3,float4,many,many2,negint,promotion,pyobjc_tc,return_dbl,return_fl,return_ll,return_sc,return_uc,strlen,struct1,struct2,struct5,struct8,struct9,va_1,va_2,va_struct1}.c; do
        [[ -f $t ]] || continue
        local exe=../calls/$(basename "$t" .c)$EXE
        run "$HOST-gcc" -O1 -I "$bd/include" -I "$bd" -I testsuite/libffi.call "$t" "$libdir/libffi.a" -lm -o "$exe"
        ((RC == 0)) || { failed+=("$t (compile)"); continue; }
        run timeout 60 "$RUNNER" "$exe"
        if ((RC == 0)); then passed=$((passed + 1)); else failed+=("$t (exit $RC)"); fi
    done
    ((${#failed[@]} == 0 && passed >= 20)) || fail "libffi call tests: $passed passed, failed: ${failed[*]}"
    echo "  ok: $passed libffi call tests passed under the runner"
}

# fribidi: Meson with the cross file of `crosshim toolchain meson`; `meson
# test` runs its tests through the exe wrapper (the runner).
project_fribidi() {
    unpack fribidi
    toolchain_meson
    step "meson setup" meson setup --cross-file "$WORK/cross.ini" -Ddocs=false build src
    step "meson compile" meson compile -C build -j "$JOBS"
    expect_target_binary build/bin/fribidi$EXE
    # For Windows, the tests whose Python driver runs fribidi.exe itself (not
    # through the exe wrapper) cannot run on Linux: only the conformance tests.
    local only=()
    ((WINDOWS)) && only=(BidiTest BidiCharacterTest)
    step "meson test ${only[*]} (exe wrapper $RUNNER)" meson test -C build --num-processes "$JOBS" \
        --print-errorlogs "${only[@]}"
    expect_match "$OUT" "^Ok: +[1-9]" "meson test summary"
    expect_match "$OUT" "^Fail: +0" "meson test summary"
}

# serd: Meson, tests (serdi on the W3C test files) under the exe wrapper.
# serd's Python test drivers start serdi through the wrapper they read with
# meson.get_external_property('exe_wrapper'), which the generated cross file
# has in [properties] as well as in [binaries].
project_serd() {
    unpack serd
    toolchain_meson
    step "meson setup" meson setup --cross-file "$WORK/cross.ini" -Ddocs=disabled -Dtests=enabled build src
    step "meson compile" meson compile -C build -j "$JOBS"
    expect_target_binary build/serdi$EXE
    step "meson test (exe wrapper $RUNNER)" meson test -C build --num-processes "$JOBS" --print-errorlogs
    expect_match "$OUT" "^Ok: +[1-9]" "meson test summary"
    expect_match "$OUT" "^Fail: +0" "meson test summary"
}

# expat: CMake; its test programs (runtests, runtestspp) go through the
# project's run.sh, which runs wine for MinGW, so ctest runs them for
# Windows; for Linux targets they run under the runner directly.
project_expat() {
    unpack expat
    toolchain_cmake
    step "cmake configure" cmake -S src/expat -B build -G Ninja -DCMAKE_TOOLCHAIN_FILE="$WORK/toolchain.cmake" \
        -DCMAKE_BUILD_TYPE=Release -DEXPAT_BUILD_DOCS=OFF -DEXPAT_BUILD_EXAMPLES=OFF -DEXPAT_BUILD_TESTS=ON
    step "cmake build" cmake --build build -j"$JOBS"
    if ((WINDOWS)); then
        expect_target_binary build/libexpat.dll build/tests/runtests.exe
        step "ctest (under wine)" ctest --test-dir build --output-on-failure
        expect_contains "$OUT" "100% tests passed"
    else
        expect_target_binary build/libexpat.so.1 build/tests/runtests
        step "runtests (under $RUNNER)" "$RUNNER" build/tests/runtests
        expect_match "$OUT$ERR" "100%: Checks: [0-9]+, Failed: 0" "runtests summary"
        step "runtestspp (under $RUNNER)" "$RUNNER" build/tests/runtestspp
        expect_match "$OUT$ERR" "100%: Checks: [0-9]+, Failed: 0" "runtestspp summary"
    fi
}

# libjpeg-turbo: CMake with its SIMD code (Neon intrinsics for ARM, the
# project adds -mfpu=neon to them), static only. Its tests are
# add_test(name ${CMAKE_CROSSCOMPILING_EMULATOR} cjpeg-static ...): the
# runner gets a program name without a slash, which it takes from the
# current directory like qemu-user; ctest runs all 115 (encode, decode,
# transform, each checked by its MD5).
project_libjpeg_turbo() {
    unpack libjpeg-turbo
    toolchain_cmake
    step "cmake configure" cmake -S src -B build -G Ninja -DCMAKE_TOOLCHAIN_FILE="$WORK/toolchain.cmake" \
        -DCMAKE_BUILD_TYPE=Release -DENABLE_SHARED=OFF -DWITH_TURBOJPEG=OFF
    expect_match "$OUT" "SIMD extensions: [a-z0-9_]+ \(WITH_SIMD = 1\)" "SIMD code in the build"
    step "cmake build" cmake --build build -j"$JOBS"
    expect_target_binary build/cjpeg-static$EXE build/djpeg-static$EXE build/jpegtran-static$EXE
    step "ctest (under $RUNNER)" ctest --test-dir build --output-on-failure -j"$JOBS"
    expect_match "$OUT" "100% tests passed, 0 tests failed out of [1-9][0-9]+" "ctest summary"
}

# openssl: its own Perl Configure with --cross-compile-prefix=<gnu>- (the
# GNU names of the shims), a trimmed build (no assembly, static, no tests and
# fewer algorithms) to stay within the corpus' time; the openssl program runs
# hashes, a cipher round trip, key generation, signatures and a certificate
# under the runner.
project_openssl() {
    unpack openssl
    cd src
    local os
    case $TARGET_NAME in
        aarch64) os=linux-aarch64 ;; armv7) os=linux-armv4 ;; i686) os=linux-x86 ;;
        musl) os=linux-x86_64 ;; win64) os=mingw64 ;;
    esac
    step "Configure $os --cross-compile-prefix=$HOST-" ./Configure "$os" --cross-compile-prefix="$HOST-" \
        no-asm no-shared no-module no-legacy no-deprecated no-engine no-dso no-tests no-async \
        no-comp no-ct no-srp no-ts no-sm2 no-sm3 no-sm4 no-seed no-idea no-rc2 no-rc4 no-bf \
        no-cast no-camellia no-aria no-md4 no-mdc2 no-rmd160 no-whirlpool no-siphash no-scrypt \
        no-des no-dsa no-ec2m no-gost no-psk no-srtp no-dtls no-ssl3
    step make make -j"$JOBS" build_programs
    expect_target_binary apps/openssl$EXE
    local o="$RUNNER apps/openssl$EXE"
    step "openssl dgst -sha256 (under $RUNNER)" bash -c "printf abc | $o dgst -sha256 -r"
    expect_contains "$OUT" "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    head -c 100000 /dev/urandom >../plain
    step "openssl enc round trip" bash -c "$o enc -aes-256-cbc -pbkdf2 -pass pass:corpus -in ../plain -out ../plain.enc &&
        $o enc -d -aes-256-cbc -pbkdf2 -pass pass:corpus -in ../plain.enc -out ../plain.dec"
    cmp ../plain ../plain.dec || fail "openssl enc -d gave other bytes"
    step "openssl EC key, signature, certificate" bash -c "
        $o genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ../key.pem &&
        $o dgst -sha256 -sign ../key.pem -out ../plain.sig ../plain &&
        $o pkey -in ../key.pem -pubout -out ../pub.pem &&
        $o dgst -sha256 -verify ../pub.pem -signature ../plain.sig ../plain &&
        $o req -new -x509 -key ../key.pem -subj /CN=corpus -days 1 -out ../cert.pem -config apps/openssl.cnf &&
        $o x509 -in ../cert.pem -noout -subject"
    expect_contains "$OUT" "Verified OK"
    expect_contains "$OUT" "subject=CN = corpus"
}

# ---------------------------------------------------------------- Rust
# Debian's rustc and cargo with Debian's vendored crates (librust-*-dev) as an
# offline registry. The target's std: libstd-rust-dev:<arch> unpacked by the
# debsysroot-<arch> fixture (what `rustup target add` gives a rustup user), or
# libstd-rust-dev-windows on the build machine for windows-gnu. `crosshim init`
# writes the linker, the runner and the cc-rs variables.
cargo_setup() { # CRATE-DIR
    need_path /usr/bin/cargo "apt-get install cargo"
    export RUSTC=/usr/bin/rustc
    local dir=$1
    mkdir -p "$dir/.cargo"
    {
        offline_registry_toml
        if ((!WINDOWS)); then
            need_fixture_rust_std
            printf '\n[target.%s]\nrustflags = ["--sysroot", %s]\n' "$TRIPLE" "$(toml_str "$FIXTURE_RUST_STD")"
        fi
    } >"$dir/.cargo/config.toml"
    ok "$CROSSHIM" init --target "$TRIPLE" --dir "$dir"
}

cargo_test() { # CRATE-DIR
    pushd "$1" >/dev/null
    step "cargo test --target $TRIPLE" /usr/bin/cargo test --target "$TRIPLE"
    popd >/dev/null
    local failed
    failed=$(sed -n 's/^test result: .* \([0-9]*\) failed.*/\1/p' <<<"$OUT" | sort -u)
    expect_contains "$OUT" "test result: ok." "cargo test"
    [[ $failed == 0 ]] || fail "cargo test: failed counts '$failed'"
}

# psm: stack switching in assembly (src/arch/*.s for each target) built by
# its build.rs with the cc crate; the crate's own tests under the runner.
project_psm() {
    need_debian_crates librust-psm-dev psm cc
    local src=("$REGISTRY"/psm-[0-9]*)
    cp -a "${src[-1]}" psm
    chmod -R u+w psm
    rm -f psm/.cargo-checksum.json psm/Cargo.lock
    cargo_setup psm
    cargo_test psm
    expect_match "$(<"$CROSSHIM_LOG")" "\] in: [^ ]*$TRIPLE-cc .*src/arch/[a-z0-9_]*\.s" "psm's assembly through the shim"
}

# blake3: its build.rs compiles the bundled C SIMD code (NEON on aarch64,
# AVX-512 intrinsics on i686) or assembly (x86_64 Windows) with the cc crate.
# Its tests need crates Debian does not ship, so a test crate checks blake3's
# output against the crate's own reference implementation for many lengths.
project_blake3() {
    need_debian_crates librust-blake3-dev blake3 cc arrayref arrayvec constant_time_eq
    local src=("$REGISTRY"/blake3-[0-9]*)
    mkdir -p crate/src
    cat >crate/Cargo.toml <<'TOML'
[package]
name = "corpus-blake3"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
blake3 = "1"
TOML
    cp "${src[-1]}/reference_impl/reference_impl.rs" crate/src/reference_impl.rs
    cat >crate/src/lib.rs <<'RS'
#[allow(dead_code)]
mod reference_impl;
#[cfg(test)]
mod tests {
    fn input(n: usize) -> Vec<u8> { (0..n).map(|i| (i % 251) as u8).collect() }
    #[test]
    fn same_as_the_reference() {
        let mut lengths = vec![0, 1, 63, 64, 65, 1023, 1024, 1025, 2048, 3073, 8192, 16385, 31744, 102400];
        lengths.extend((1..40).map(|k| k * 517));
        for n in lengths {
            let data = input(n);
            let mut reference = super::reference_impl::Hasher::new();
            reference.update(&data);
            let mut want = [0u8; 32];
            reference.finalize(&mut want);
            assert_eq!(blake3::hash(&data).as_bytes(), &want, "length {}", n);
        }
    }
    #[test]
    fn known_value() {
        assert_eq!(blake3::hash(b"").to_hex().as_str(),
                   "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262");
    }
}
RS
    cargo_setup crate
    cargo_test crate
    expect_contains "$OUT" "test result: ok. 2 passed" "cargo test"
    expect_match "$(<"$CROSSHIM_LOG")" "\] in: [^ ]*$TRIPLE-cc .* c/blake3_[a-z0-9_-]*\.(c|S)" \
        "blake3's bundled C or assembly through the shim"
}

# libz-sys: finds zlib with pkg-config in a sysroot made by `crosshim
# sysroot create --with zlib1g-dev`, links it, and the test calls it.
project_libz_sys() {
    need_debian_crates librust-libz-sys-dev libz-sys pkg-config cc
    # Downloads are shared with the e2e tests' sysroot-create cache.
    export XDG_CACHE_HOME=$FIXTURES/sysroot-create-cache
    mkdir -p "$XDG_CACHE_HOME"
    step "crosshim sysroot create --with zlib1g-dev" "$CROSSHIM" sysroot create --target "$TRIPLE" --with zlib1g-dev
    local sysroot=$XDG_DATA_HOME/crosshim/sysroots/$TRIPLE pc version
    pc=$sysroot/usr/lib/$MULTIARCH/pkgconfig/zlib.pc
    expect_file "$pc"
    version=$(sed -n 's/^Version: //p' "$pc")
    mkdir -p crate/src
    cat >crate/Cargo.toml <<'TOML'
[package]
name = "corpus-libz"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
libz-sys = "1"
TOML
    cat >crate/src/lib.rs <<'RS'
#[cfg(test)]
mod tests {
    use libz_sys::*;
    #[test]
    fn round_trip() {
        let data: Vec<u8> = (0..100000u32).map(|i| (i % 7) as u8).collect();
        let mut packed = vec![0u8; 200000];
        let mut packed_len = packed.len() as uLongf;
        let mut out = vec![0u8; data.len()];
        let mut out_len = out.len() as uLongf;
        unsafe {
            assert_eq!(compress(packed.as_mut_ptr(), &mut packed_len, data.as_ptr(), data.len() as uLong), Z_OK);
            assert_eq!(uncompress(out.as_mut_ptr(), &mut out_len, packed.as_ptr(), packed_len), Z_OK);
            let v = std::ffi::CStr::from_ptr(zlibVersion()).to_str().unwrap();
            println!("zlib {} packed {} bytes into {}", v, data.len(), packed_len);
        }
        assert!(packed_len < 2000);
        assert_eq!(out, data);
    }
}
RS
    cargo_setup crate
    pushd crate >/dev/null
    step "cargo test --target $TRIPLE" /usr/bin/cargo test --target "$TRIPLE" -- --nocapture
    popd >/dev/null
    expect_contains "$OUT" "test result: ok. 1 passed" "cargo test"
    expect_contains "$OUT" "zlib $version packed 100000 bytes" "the sysroot's zlib under the runner"
    expect_match "$(<"$CROSSHIM_LOG")" "\] in: [^ ]*$TRIPLE-cc .*-lz( |$)" "rustc linked zlib through the shim"
}

# ---------------------------------------------------------------- main
fn=project_${PROJECT//[-.]/_}
declare -F "$fn" >/dev/null || fail "unknown project '$PROJECT'"
"$fn"
cd "$WORK"
expect_through_shims
times >"$WORK/times"
echo "  cpu time of the build and tests (user, system): $(tail -1 "$WORK/times")"
pass
