// explain_runtime.cpp: atomics-helper-missing, float-abi-mismatch,
// bitcode-version-skew and duplicate-runtime from what linkers really
// printed (captured from the links tests/e2e/runtime-kinds.sh makes), parsed
// by parseLinkerOutput; and the bounded readers behind them (LLVM bitcode's
// IDENTIFICATION block, written here bit by bit as LLVM writes it).
#include "diagnostics/explain.h"
#include "diagnostics/explain_runtime.h"
#include "diagnostics/linker_output.h"
#include "diagnostics/report.h"
#include "diagnostics/symbol_index.h"

#include "test_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>

namespace crosshim::diag {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::vector<std::string> kindsOf(const Report &report) {
  std::vector<std::string> kinds;
  for (const Finding &f : report.findings())
    kinds.push_back(f.kind);
  return kinds;
}

Report explain(llvm::StringRef linkerOutput, const LinkContext &context,
               const SymbolIndex &index = SymbolIndex()) {
  Report report(context.target);
  explainLinkFailure(parseLinkerOutput(linkerOutput), index, context, report);
  return report;
}

LinkContext contextFor(std::string target, std::vector<std::string> dirs = {},
                       std::vector<std::string> args = {}) {
  LinkContext context;
  context.target = std::move(target);
  context.libraryDirs = std::move(dirs);
  context.arguments = std::move(args);
  context.libc = Libc::Glibc;
  context.sysroot = "/nonexistent-sysroot"; // no GCC runtime directories
  return context;
}

std::string evidenceText(const Finding &f) {
  std::string text;
  for (const Evidence &e : f.evidence)
    text += e.file + " | " + e.symbol + " | " + e.detail + "\n";
  return text;
}

// --- atomics-helper-missing -------------------------------------------------

TEST(RuntimeAtomics, HelperNames) {
  for (const char *s : {"__atomic_load", "__atomic_compare_exchange", "__atomic_load_16",
                        "__atomic_fetch_add_8", "__atomic_nand_fetch_1", "__atomic_is_lock_free",
                        "__atomic_store_2", "__atomic_exchange_4"})
    EXPECT_EQ(atomicHelperKind(s), AtomicHelper::Libatomic) << s;
  for (const char *s : {"__sync_fetch_and_add_4", "__sync_val_compare_and_swap_8",
                        "__sync_synchronize", "__sync_lock_test_and_set_1"})
    EXPECT_EQ(atomicHelperKind(s), AtomicHelper::Sync) << s;
  for (const char *s : {"__aarch64_ldadd8_acq_rel", "__aarch64_cas16_relax", "__aarch64_swp1_acq",
                        "__aarch64_casp16_sync", "__aarch64_ldset4_rel"})
    EXPECT_EQ(atomicHelperKind(s), AtomicHelper::Outline) << s;
  for (const char *s : {"atomic_load", "__atomic_load_3", "__atomic_fetch_add", "__atomic_foo_8",
                        "__sync_fetch_and_add", "__sync_whatever_4", "__aarch64_ldadd3_acq",
                        "__aarch64_ldadd8_acquire", "__aarch64_sve_foo", "__atomic_load_8x", ""})
    EXPECT_EQ(atomicHelperKind(s), AtomicHelper::None) << s;
}

// 16-byte atomics on x86-64 without -mcx16 (clang 14, ld.lld 14).
constexpr const char *kLldAtomic16 =
    "ld.lld: error: undefined symbol: __atomic_load\n"
    ">>> referenced by a16.c\n"
    ">>>               /tmp/a16-b078f2.o:(main)\n"
    ">>> referenced by a16.c\n"
    ">>>               /tmp/a16-b078f2.o:(main)\n"
    "\n"
    "ld.lld: error: undefined symbol: __atomic_store\n"
    ">>> referenced by a16.c\n"
    ">>>               /tmp/a16-b078f2.o:(main)\n"
    "clang: error: linker command failed with exit code 1 (use -v to see invocation)\n";

TEST(RuntimeAtomics, LibatomicFoundButNotLinked) {
  test::TestDir dir;
  const std::string libatomic = dir.writeFile("gcc/libatomic.so", "INPUT(libatomic.so.1)\n");
  Report report = explain(kLldAtomic16, contextFor("x86_64-unknown-linux-gnu",
                                                   {dir / "lib", dir / "gcc"}, {"a16.c", "-w"}));
  // One finding for both symbols, and not library-not-on-command-line.
  ASSERT_EQ(kindsOf(report), std::vector<std::string>{"atomics-helper-missing"});
  const Finding &f = report.findings()[0];
  EXPECT_EQ(f.severity, Severity::Error);
  EXPECT_THAT(f.message, HasSubstr("undefined symbol __atomic_load: "));
  EXPECT_THAT(f.message, HasSubstr("libatomic, which is not linked"));
  const std::string evidence = evidenceText(f);
  // Each referencing function once, however many call sites lld listed.
  EXPECT_EQ(evidence, "/tmp/a16-b078f2.o | __atomic_load | referenced in main\n" + libatomic +
                          " |  | libatomic for this target: -latomic links it\n");
  EXPECT_THAT(f.fix, HasSubstr("add -latomic to the link"));
  EXPECT_THAT(f.fix, HasSubstr("cargo:rustc-link-lib=atomic"));
}

TEST(RuntimeAtomics, LibatomicMissingOrRuntimeOnlyOrAlreadyLinked) {
  test::TestDir dir;
  {
    Report report = explain(kLldAtomic16, contextFor("x86_64-unknown-linux-gnu", {dir.path()}));
    ASSERT_EQ(kindsOf(report), std::vector<std::string>{"atomics-helper-missing"});
    EXPECT_THAT(evidenceText(report.findings()[0]), HasSubstr("no libatomic in the link's"));
    EXPECT_THAT(report.findings()[0].fix, HasSubstr("install libatomic for the target"));
  }
  dir.writeFile("libatomic.so.1", "\x7f"
                                  "ELF");
  {
    Report report = explain(kLldAtomic16, contextFor("x86_64-unknown-linux-gnu", {dir.path()}));
    ASSERT_EQ(kindsOf(report), std::vector<std::string>{"atomics-helper-missing"});
    EXPECT_THAT(evidenceText(report.findings()[0]),
                HasSubstr(dir / "libatomic.so.1" + " |  | only the run-time library"));
  }
  {
    Report report = explain(kLldAtomic16, contextFor("x86_64-unknown-linux-gnu", {dir.path()},
                                                     {"a16.c", "-Wl,--as-needed,-latomic"}));
    ASSERT_EQ(kindsOf(report), std::vector<std::string>{"atomics-helper-missing"});
    EXPECT_THAT(report.findings()[0].message, HasSubstr("which is linked but does not provide"));
  }
}

// i686 with -march=i386 (no cmpxchg8b), as GNU ld prints it.
TEST(RuntimeAtomics, GnuLdEightByteAtomics) {
  Report report = explain("/usr/bin/i686-linux-gnu-ld: /tmp/ccXq1.o: in function `main':\n"
                          "a8.c:(.text+0x2f): undefined reference to `__atomic_fetch_add_8'\n"
                          "/usr/bin/i686-linux-gnu-ld: a8.c:(.text+0x4d): undefined reference to "
                          "`__atomic_load_8'\n"
                          "collect2: error: ld returned 1 exit status\n",
                          contextFor("i686-unknown-linux-gnu"));
  ASSERT_EQ(kindsOf(report), std::vector<std::string>{"atomics-helper-missing"});
  EXPECT_THAT(report.findings()[0].message, HasSubstr("__atomic_fetch_add_8"));
  EXPECT_THAT(evidenceText(report.findings()[0]),
              HasSubstr("/tmp/ccXq1.o | __atomic_fetch_add_8 | referenced in main"));
}

// aarch64, -moutline-atomics (clang's default) with -nodefaultlibs -lc.
TEST(RuntimeAtomics, OutlineAtomicsWithoutLibgcc) {
  test::TestDir dir;
  Report report = explain(
      "ld.lld: error: undefined symbol: __aarch64_ldadd8_acq_rel\n"
      ">>> referenced by a8.c\n"
      ">>>               /tmp/a8-a4d95c.o:(main)\n"
      "clang: error: linker command failed with exit code 1 (use -v to see "
      "invocation)\n",
      contextFor("aarch64-unknown-linux-gnu", {dir.path()}, {"a8.c", "-nodefaultlibs", "-lc"}));
  ASSERT_EQ(kindsOf(report), std::vector<std::string>{"atomics-helper-missing"});
  const Finding &f = report.findings()[0];
  EXPECT_THAT(f.message, HasSubstr("outlined __aarch64_ atomic helper"));
  EXPECT_THAT(f.message, HasSubstr("(the link has -nostdlib/-nodefaultlibs)"));
  EXPECT_THAT(f.fix, HasSubstr("-lgcc"));
  EXPECT_THAT(f.fix, HasSubstr("-C target-feature=-outline-atomics"));
}

TEST(RuntimeAtomics, SyncBuiltinsAndOtherSymbols) {
  Report report = explain("ld.lld: error: undefined symbol: __sync_fetch_and_add_8\n"
                          ">>> referenced by s.c\n"
                          ">>>               s.o:(count)\n"
                          "ld.lld: error: undefined symbol: not_atomic\n"
                          ">>> referenced by s.c\n"
                          ">>>               s.o:(count)\n",
                          contextFor("armv7-unknown-linux-gnueabihf", {}, {"s.o", "-nostdlib"}));
  // The second symbol gets the general explanation.
  ASSERT_EQ(kindsOf(report),
            (std::vector<std::string>{"atomics-helper-missing", "undefined-symbol"}));
  EXPECT_THAT(report.findings()[0].message, HasSubstr("__sync_ builtin"));
  EXPECT_THAT(report.findings()[0].message, Not(HasSubstr("which is not linked")));
  EXPECT_THAT(report.findings()[0].fix, HasSubstr("-lgcc"));
}

// --- float-abi-mismatch -----------------------------------------------------

TEST(RuntimeFloatAbi, LldArmAttributes) {
  Report report = explain("ld.lld: error: base-pcs.o: incompatible Tag_ABI_VFP_args\n"
                          "clang: error: linker command failed with exit code 1 (use -v to see "
                          "invocation)\n",
                          contextFor("armv7-unknown-linux-gnueabihf"));
  ASSERT_EQ(kindsOf(report), std::vector<std::string>{"float-abi-mismatch"});
  const Finding &f = report.findings()[0];
  // The file is not there to read: the message stays general.
  EXPECT_EQ(f.message, "base-pcs.o was built for a different ARM float ABI than the rest of the "
                       "link");
  EXPECT_EQ(evidenceText(f), "base-pcs.o |  | incompatible Tag_ABI_VFP_args\n"
                             " |  | armv7-unknown-linux-gnueabihf passes floating-point "
                             "arguments in VFP registers (hard-float)\n");
  EXPECT_THAT(f.fix, HasSubstr("-mfloat-abi=hard"));
}

TEST(RuntimeFloatAbi, GnuLdVfpArguments) {
  // link-failures.md's form, with the other side named.
  Report report =
      explain("/usr/bin/arm-linux-gnueabi-ld: error: main.o uses VFP register arguments, "
              "/tmp/soft.o does not\n"
              "/usr/bin/arm-linux-gnueabi-ld: failed to merge target specific data of file "
              "/tmp/soft.o\n",
              contextFor("arm-unknown-linux-gnueabi"));
  ASSERT_EQ(kindsOf(report), std::vector<std::string>{"float-abi-mismatch"});
  const Finding &f = report.findings()[0];
  EXPECT_THAT(evidenceText(f), HasSubstr("/tmp/soft.o |  | does not use VFP register arguments"));
  EXPECT_THAT(evidenceText(f), HasSubstr("in integer registers (soft-float)"));
  EXPECT_THAT(f.fix, HasSubstr("-mfloat-abi=soft"));
}

TEST(RuntimeFloatAbi, ArmAttributesOfFilesThatAreNotArmObjects) {
  test::TestDir dir;
  EXPECT_EQ(armVfpArgs(dir / "missing.o"), std::nullopt);
  EXPECT_EQ(armVfpArgs(dir.writeFile("text.o", "not an object")), std::nullopt);
  EXPECT_EQ(armVfpArgs(dir.writeFile("short.o", "\x7f"
                                                "ELF\x01\x01")),
            std::nullopt);
  // The test binary itself: ELF, but not 32-bit ARM.
  EXPECT_EQ(armVfpArgs("/proc/self/exe"), std::nullopt);
}

// --- bitcode-version-skew ---------------------------------------------------

// LLVM's bitstream, LSB first: enough to write an IDENTIFICATION block the way
// LLVM's BitcodeWriter does (an abbreviation for the Char6 producer string,
// another for the epoch).
class BitWriter {
public:
  void fixed(uint64_t value, unsigned width) {
    for (unsigned i = 0; i < width; ++i, ++bit_) {
      if (bit_ % 8 == 0)
        bytes_.push_back(0);
      if ((value >> i) & 1)
        bytes_.back() |= static_cast<char>(1 << (bit_ % 8));
    }
  }
  void vbr(uint64_t value, unsigned width) {
    const uint64_t more = uint64_t(1) << (width - 1);
    while (value >= more) {
      fixed((value & (more - 1)) | more, width);
      value >>= width - 1;
    }
    fixed(value, width);
  }
  void align32() {
    while (bit_ % 32)
      fixed(0, 1);
  }
  std::string bytes() const { return bytes_; }

private:
  std::string bytes_;
  size_t bit_ = 0;
};

unsigned char6Code(char c) {
  if (c >= 'a' && c <= 'z')
    return c - 'a';
  if (c >= 'A' && c <= 'Z')
    return c - 'A' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  return c == '.' ? 62 : 63;
}

// BC C0DE, ENTER_SUBBLOCK 13 (abbreviation width 5), the producer string and
// the epoch, END_BLOCK, then the start of a MODULE_BLOCK.
std::string identificationBitcode(llvm::StringRef producer, bool abbreviated = true) {
  BitWriter w;
  for (char c : llvm::StringRef("BC\xC0\xDE"))
    w.fixed(static_cast<unsigned char>(c), 8);
  w.fixed(1, 2); // ENTER_SUBBLOCK
  w.vbr(13, 8);  // IDENTIFICATION_BLOCK_ID
  w.vbr(5, 4);   // abbreviation width inside
  w.align32();
  w.fixed(5, 32); // length in words (not checked by the reader)
  if (abbreviated) {
    w.fixed(2, 5); // DEFINE_ABBREV [literal 1 (STRING), Array, Char6]
    w.vbr(3, 5);
    w.fixed(1, 1), w.vbr(1, 8);
    w.fixed(0, 1), w.fixed(3, 3);
    w.fixed(0, 1), w.fixed(4, 3);
    w.fixed(2, 5); // DEFINE_ABBREV [literal 2 (EPOCH), VBR 6]
    w.vbr(2, 5);
    w.fixed(1, 1), w.vbr(2, 8);
    w.fixed(0, 1), w.fixed(2, 3), w.vbr(6, 5);
    w.fixed(4, 5); // the string
    w.vbr(producer.size(), 6);
    for (char c : producer)
      w.fixed(char6Code(c), 6);
    w.fixed(5, 5); // the epoch
    w.vbr(0, 6);
  } else {
    w.fixed(3, 5); // UNABBREV_RECORD STRING, one vbr6 per character
    w.vbr(1, 6);
    w.vbr(producer.size(), 6);
    for (char c : producer)
      w.vbr(static_cast<unsigned char>(c), 6);
  }
  w.fixed(0, 5); // END_BLOCK
  w.align32();
  w.fixed(1, 2); // ENTER_SUBBLOCK MODULE_BLOCK (8) ...
  w.vbr(8, 8);
  return w.bytes();
}

TEST(RuntimeBitcode, ProducerFromTheIdentificationBlock) {
  EXPECT_EQ(bitcodeProducer(identificationBitcode("LLVM16.0.6")), "LLVM16.0.6");
  EXPECT_EQ(bitcodeProducer(identificationBitcode("LLVM22.1.2_rust")), "LLVM22.1.2_rust");
  EXPECT_EQ(bitcodeProducer(identificationBitcode("LLVM17.0.1-rc", false)), "LLVM17.0.1-rc");
  // The wrapper header: magic, version, offset 20, size, cputype.
  std::string inner = identificationBitcode("LLVM16.0.6");
  std::string wrapped("\xDE\xC0\x17\x0B\0\0\0\0\x14\0\0\0", 12);
  wrapped += static_cast<char>(inner.size());
  wrapped += std::string("\0\0\0\x07\0\0\x01", 7);
  wrapped += inner;
  EXPECT_EQ(bitcodeProducer(wrapped), "LLVM16.0.6");
}

TEST(RuntimeBitcode, MalformedBitcodeGivesNothing) {
  EXPECT_EQ(bitcodeProducer(""), "");
  EXPECT_EQ(bitcodeProducer("\x7f"
                            "ELF"),
            "");
  EXPECT_EQ(bitcodeProducer("BC\xC0\xDE"), "");
  // Every truncation of a real block: the producer or nothing, never garbage.
  const std::string full = identificationBitcode("LLVM16.0.6");
  for (size_t n = 0; n < full.size(); ++n) {
    std::string got = bitcodeProducer(llvm::StringRef(full).take_front(n));
    EXPECT_TRUE(got.empty() || got == "LLVM16.0.6") << n << ": " << got;
  }
  // Random bytes behind the magic never crash or hang.
  std::mt19937 rng(42);
  for (int round = 0; round < 2000; ++round) {
    std::string bytes = "BC\xC0\xDE";
    for (int i = 0; i < 64; ++i)
      bytes.push_back(static_cast<char>(rng()));
    std::string got = bitcodeProducer(bytes);
    EXPECT_LE(got.size(), 256u);
  }
}

TEST(RuntimeBitcode, LlvmMajorVersions) {
  EXPECT_EQ(llvmMajorVersion("LLVM16.0.6"), 16u);
  EXPECT_EQ(llvmMajorVersion("LLVM 14.0.6"), 14u);
  EXPECT_EQ(llvmMajorVersion("LLVM22.1.2-rust-1.95.0-stable"), 22u);
  EXPECT_EQ(llvmMajorVersion("APPLE_1_1500.1.0.2.5_0"), std::nullopt);
  EXPECT_EQ(llvmMajorVersion("LLVM"), std::nullopt);
  EXPECT_EQ(llvmMajorVersion(""), std::nullopt);
}

TEST(RuntimeBitcode, NewerProducerThanTheLinker) {
  // clang-16 -flto -c, linked by ld.lld 14 through the shim.
  Report report = explain("ld.lld: error: lto16.o: Opaque pointers are only supported in "
                          "-opaque-pointers mode (Producer: 'LLVM16.0.6' Reader: 'LLVM 14.0.6')\n"
                          "clang: error: linker command failed with exit code 1 (use -v to see "
                          "invocation)\n",
                          contextFor("x86_64-unknown-linux-gnu"));
  ASSERT_EQ(kindsOf(report), std::vector<std::string>{"bitcode-version-skew"});
  const Finding &f = report.findings()[0];
  EXPECT_EQ(f.message, "lto16.o is LLVM bitcode from LLVM16.0.6, newer than the linker's LLVM "
                       "14.0.6");
  EXPECT_EQ(evidenceText(f), "lto16.o |  | LLVM bitcode written by LLVM16.0.6\n"
                             " |  | the linker's LTO reads bitcode up to LLVM 14.0.6\n");
  EXPECT_THAT(f.fix, HasSubstr("llvm-16"));
  EXPECT_THAT(f.fix, HasSubstr("drop -flto"));
}

TEST(RuntimeBitcode, RustcLinkerPluginLto) {
  Report report = explain(
      "error: linking with `clang` failed: exit status: 1\n  |\n"
      "  = note: ld.lld: error: h.h.fbdfbb88bc56c414-cgu.0.rcgu.o: Opaque pointers are only "
      "supported in -opaque-pointers mode (Producer: 'LLVM22.1.2-rust-1.95.0-stable' Reader: "
      "'LLVM 14.0.6')\n",
      contextFor("x86_64-unknown-linux-gnu"));
  ASSERT_EQ(kindsOf(report), std::vector<std::string>{"bitcode-version-skew"});
  EXPECT_THAT(report.findings()[0].fix, HasSubstr("rust-lld"));
  EXPECT_THAT(report.findings()[0].fix, HasSubstr("-C linker-plugin-lto"));
}

TEST(RuntimeBitcode, SameVersionIsDamageNotSkew) {
  Report report =
      explain("ld.lld: error: x.o: Invalid record (Producer: 'LLVM14.0.6' Reader: 'LLVM 14.0.6')\n",
              contextFor("x86_64-unknown-linux-gnu"));
  EXPECT_THAT(kindsOf(report), Not(::testing::Contains("bitcode-version-skew")));
}

TEST(RuntimeBitcode, LinkerWithoutPluginReadsTheProducerFromTheFile) {
  test::TestDir dir;
  const std::string lto = dir.writeFile("lto16.o", identificationBitcode("LLVM16.0.6"));
  const std::string elf = dir.writeFile("x86.o", "\x7f"
                                                 "ELF\x02\x01\x01");
  // GNU ld 2.40 without an LTO plugin (clang -fuse-ld=bfd), and gold.
  Report report = explain(lto + ": file not recognized: file format not recognized\n" +
                              "/usr/bin/ld.gold: error: " + lto + ": not an object or archive\n" +
                              "/usr/bin/ld: " + elf + ": file not recognized: file format not " +
                              "recognized\n",
                          contextFor("x86_64-unknown-linux-gnu"));
  // Bitcode is not the wrong architecture; the ELF file still is.
  ASSERT_EQ(kindsOf(report),
            (std::vector<std::string>{"bitcode-version-skew", "bitcode-version-skew",
                                      "wrong-architecture"}));
  const Finding &f = report.findings()[0];
  EXPECT_EQ(f.message, lto + " is LLVM bitcode (-flto, LLVM16.0.6) and the linker cannot read "
                             "bitcode (no LTO plugin)");
  EXPECT_THAT(evidenceText(f), HasSubstr("written by LLVM16.0.6 (its IDENTIFICATION block)"));
}

// --- duplicate-runtime ------------------------------------------------------

TEST(RuntimeDuplicate, RustRuntimeSymbols) {
  for (const char *s :
       {"rust_eh_personality", "rust_begin_unwind", "__rust_alloc", "__rdl_alloc", "__rg_oom",
        "std::sys::unix::args::imp::ARGV_INIT_ARRAY", "_ZN3std2rt10lang_start17h0123456789abcdefE",
        "<core::fmt::Error as core::fmt::Debug>::fmt", "<&T as core::fmt::Display>::fmt"})
    EXPECT_TRUE(isRustRuntimeSymbol(s)) << s;
  for (const char *s : {"dup", "main", "rust_a", "_ZN3foo3barE", "<foo as bar>::baz",
                        "__lll_lock_wait_private", ""})
    EXPECT_FALSE(isRustRuntimeSymbol(s)) << s;
}

// Two staticlibs built by Debian's rustc 1.63 with -C lto, linked by ld.lld
// 14: each archive is one object holding std, and every std symbol collides.
constexpr const char *kLldTwoStaticlibs =
    "ld.lld: error: duplicate symbol: rust_eh_personality\n"
    ">>> defined at gcc.rs:285 (library/panic_unwind/src/gcc.rs:285)\n"
    ">>>            liba.a.b0d13f18-cgu.8.rcgu.o:(rust_eh_personality) in archive ./liba.a\n"
    ">>> defined at gcc.rs:285 (library/panic_unwind/src/gcc.rs:285)\n"
    ">>>            libb.b.3e2391e4-cgu.6.rcgu.o:(.text.rust_eh_personality+0x0) in archive "
    "./libb.a\n"
    "\n"
    "ld.lld: error: duplicate symbol: std::sys::unix::args::imp::ARGV_INIT_ARRAY::"
    "hd15e93fdcfb01783\n"
    ">>> defined at a.b0d13f18-cgu.8\n"
    ">>>            liba.a.b0d13f18-cgu.8.rcgu.o:(std::sys::unix::args::imp::ARGV_INIT_ARRAY::"
    "hd15e93fdcfb01783) in archive ./liba.a\n"
    ">>> defined at b.3e2391e4-cgu.6\n"
    ">>>            libb.b.3e2391e4-cgu.6.rcgu.o:(.init_array.00099+0x0) in archive ./libb.a\n"
    "clang: error: linker command failed with exit code 1 (use -v to see invocation)\n";

TEST(RuntimeDuplicate, TwoRustStaticlibsOneFinding) {
  Report report = explain(kLldTwoStaticlibs, contextFor("x86_64-unknown-linux-gnu"));
  ASSERT_EQ(kindsOf(report), std::vector<std::string>{"duplicate-runtime"});
  const Finding &f = report.findings()[0];
  EXPECT_EQ(f.message, "two Rust static libraries each carry their own copy of the Rust standard "
                       "library: liba.a and libb.a both define rust_eh_personality");
  EXPECT_EQ(evidenceText(f),
            "./liba.a | rust_eh_personality | a copy of the Rust runtime (std): defined in its "
            "member liba.a.b0d13f18-cgu.8.rcgu.o\n"
            "./libb.a | rust_eh_personality | a copy of the Rust runtime (std): defined in its "
            "member libb.b.3e2391e4-cgu.6.rcgu.o\n");
  EXPECT_THAT(f.fix, HasSubstr("wrapper crate"));
  EXPECT_THAT(f.fix, HasSubstr("cdylib"));
}

TEST(RuntimeDuplicate, GnuLdMultipleDefinition) {
  Report report =
      explain("/usr/bin/ld: /build/libb.a(b.o): in function `rust_eh_personality':\n"
              "/rustc/90b35a6/library/std/src/sys/personality/gcc.rs:245: multiple definition of "
              "`rust_eh_personality'; /build/liba.a(a.o):/rustc/90b35a6/library/std/src/sys/"
              "personality/gcc.rs:245: first defined here\n"
              "collect2: error: ld returned 1 exit status\n",
              contextFor("aarch64-unknown-linux-gnu"));
  ASSERT_EQ(kindsOf(report), std::vector<std::string>{"duplicate-runtime"});
  EXPECT_THAT(report.findings()[0].message, HasSubstr("libb.a and liba.a"));
}

TEST(RuntimeDuplicate, OtherDuplicatesAreNotTheRustRuntime) {
  // Two C objects defining one function: no runtime finding (and nothing
  // else specific is known). The same archive twice is not two runtimes.
  Report report = explain("ld.lld: error: duplicate symbol: dup\n"
                          ">>> defined at d1.c\n"
                          ">>>            /tmp/d1-b1f964.o:(dup)\n"
                          ">>> defined at d2.c\n"
                          ">>>            /tmp/d2-a19991.o:(.text+0x0)\n"
                          "ld.lld: error: duplicate symbol: rust_eh_personality\n"
                          ">>> defined at gcc.rs:285\n"
                          ">>>            x.o:(rust_eh_personality) in archive ./liba.a\n"
                          ">>> defined at gcc.rs:285\n"
                          ">>>            y.o:(rust_eh_personality) in archive ./liba.a\n",
                          contextFor("x86_64-unknown-linux-gnu"));
  EXPECT_TRUE(report.empty()) << report.findings()[0].kind;
}

// --- unwinder-missing, cxx-stdlib-mix, openmp-runtime-missing ------------------
// (captured from the links tests/e2e/diag-recall.sh makes)

// clang++ -nodefaultlibs -lstdc++ -lc, ld.lld 14.
constexpr const char *kLldUnwind = "ld.lld: error: undefined symbol: _Unwind_Resume\n"
                                   ">>> referenced by ex.cpp\n"
                                   ">>>               /tmp/ex-35a6a7.o:(main)\n"
                                   "ld.lld: error: undefined symbol: _Unwind_GetIP\n"
                                   ">>> referenced by ex.cpp\n"
                                   ">>>               /tmp/ex-35a6a7.o:(main)\n";

TEST(RuntimeUnwinder, LibstdcxxNeverGetsLlvmLibunwind) {
  // LLVM's libunwind in the search directories (as /usr/lib/llvm-14/lib on
  // the build machine): libstdc++'s unwinder is libgcc's all the same.
  test::TestDir dir;
  dir.writeFile("libunwind.so", "");
  dir.writeFile("libgcc_s.so.1", "");
  Report report = explain(kLldUnwind, contextFor("x86_64-unknown-linux-gnu", {dir.path()},
                                                 {"ex.o", "-nodefaultlibs", "-lstdc++", "-lc"}));
  ASSERT_EQ(kindsOf(report), std::vector<std::string>{"unwinder-missing"});
  const Finding &f = report.findings()[0];
  EXPECT_THAT(f.message, HasSubstr("undefined symbol _Unwind_Resume"));
  EXPECT_THAT(f.fix, HasSubstr("add -lgcc_s after -lstdc++"));
  EXPECT_THAT(f.fix, HasSubstr("drop -nodefaultlibs"));
  EXPECT_THAT(f.fix, Not(HasSubstr("-lunwind")));
  EXPECT_THAT(evidenceText(f), Not(HasSubstr("libunwind.so")));

  // A static link: libgcc_eh.
  report = explain(kLldUnwind, contextFor("x86_64-unknown-linux-gnu", {dir.path()},
                                          {"ex.o", "-static", "-nodefaultlibs", "-lstdc++"}));
  ASSERT_EQ(kindsOf(report), std::vector<std::string>{"unwinder-missing"});
  EXPECT_THAT(report.findings()[0].fix, HasSubstr("add -lgcc_eh"));

  // libc++: LLVM's libunwind, found in the search directories.
  report = explain(kLldUnwind, contextFor("x86_64-unknown-linux-gnu", {dir.path()},
                                          {"ex.o", "-stdlib=libc++", "-nodefaultlibs", "-lc++"}));
  ASSERT_EQ(kindsOf(report), std::vector<std::string>{"unwinder-missing"});
  EXPECT_THAT(report.findings()[0].fix, HasSubstr("add -lunwind"));
}

TEST(RuntimeUnwinder, GnuLdDsoMissing) {
  Report report = explain("/usr/bin/ld: /tmp/cc1lJIJ3.o: undefined reference to symbol "
                          "'_Unwind_Resume@@GCC_3.0'\n"
                          "/usr/bin/ld: /lib/x86_64-linux-gnu/libgcc_s.so.1: error adding "
                          "symbols: DSO missing from command line\n"
                          "collect2: error: ld returned 1 exit status\n",
                          contextFor("x86_64-unknown-linux-gnu", {}, {"-nodefaultlibs"}));
  ASSERT_EQ(kindsOf(report), std::vector<std::string>{"unwinder-missing"});
  EXPECT_THAT(report.findings()[0].fix, HasSubstr("-lgcc_s"));
}

TEST(RuntimeStdlibMix, OneFindingForTheWholeMix) {
  // main.o (libstdc++) calls greet(std::string) of greet-libcxx.o (libc++):
  // the libstdc++ name comes first, the libc++ one shows the mix.
  const char *out = "ld.lld: error: undefined symbol: greet(std::__cxx11::basic_string<char, "
                    "std::char_traits<char>, std::allocator<char> > const&)\n"
                    ">>> referenced by main.cpp\n"
                    ">>>               /tmp/main-1.o:(main)\n"
                    "\n"
                    "ld.lld: error: undefined symbol: std::__1::basic_string<char, "
                    "std::__1::char_traits<char>, std::__1::allocator<char> >::~basic_string()\n"
                    ">>> referenced by greet.cpp\n"
                    ">>>               greet-libcxx.o:(greet(std::__1::basic_string<char, "
                    "std::__1::char_traits<char>, std::__1::allocator<char> > const&))\n";
  Report report = explain(out, contextFor("aarch64-unknown-linux-gnu", {}, {"greet-libcxx.o"}));
  ASSERT_EQ(kindsOf(report), std::vector<std::string>{"cxx-stdlib-mix"});
  EXPECT_THAT(report.findings()[0].message, HasSubstr("compiled against LLVM's libc++"));
  EXPECT_THAT(evidenceText(report.findings()[0]), HasSubstr("greet-libcxx.o"));
  // With libc++ linked, the libstdc++ name of main.o is the mix; a libc++
  // name alone is not (a libc++ symbol missing for another reason).
  report = explain(out, contextFor("aarch64-unknown-linux-gnu", {}, {"-stdlib=libc++"}));
  ASSERT_EQ(kindsOf(report), std::vector<std::string>{"cxx-stdlib-mix"});
  EXPECT_THAT(report.findings()[0].message, HasSubstr("compiled against GCC's libstdc++"));
  report = explain(llvm::StringRef(out).substr(llvm::StringRef(out).find("\n\n") + 2),
                   contextFor("aarch64-unknown-linux-gnu", {}, {"-stdlib=libc++"}));
  EXPECT_THAT(kindsOf(report), Not(::testing::Contains("cxx-stdlib-mix")));
}

TEST(RuntimeOpenmp, MissingLompWithGompThere) {
  test::TestDir dir;
  dir.writeFile("libgomp.a", "");
  Report report = explain("lld: error: unable to find library -lomp\n",
                          contextFor("x86_64-pc-windows-gnu", {dir.path()}, {"-fopenmp", "omp.c"}));
  ASSERT_EQ(kindsOf(report), std::vector<std::string>{"openmp-runtime-missing"});
  EXPECT_THAT(report.findings()[0].fix, HasSubstr("-fopenmp=libgomp"));
  // Without libgomp: no -fopenmp=libgomp offered.
  test::TestDir empty;
  report = explain("lld: error: unable to find library -lomp\n",
                   contextFor("x86_64-pc-windows-gnu", {empty.path()}, {"-fopenmp"}));
  ASSERT_EQ(kindsOf(report), std::vector<std::string>{"openmp-runtime-missing"});
  EXPECT_THAT(report.findings()[0].fix, Not(HasSubstr("compile and link with -fopenmp=libgomp")));
}

} // namespace
} // namespace crosshim::diag
