// The linker-stderr parser on real message samples (the formats of
// docs/linker-error-formats.md, the messages users reported in
// link-failures.md) and variants: ld.lld, mold, GNU ld, gold, lld-link,
// link.exe, the same output wrapped by rustc, and hostile input.
#include "diagnostics/linker_output.h"

#include <llvm/Support/JSON.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <string>
#include <vector>

namespace crosshim::diag {
namespace {

using Kind = LinkerEvent::Kind;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

/// One line per event, every field: what the rustc test compares and what a
/// failing expectation prints.
std::string describe(const LinkerEvent &e) {
  std::string s = linkerEventKindName(e.kind).str() + " [" + linkerFlavorName(e.flavor).str() +
                  "]" + (e.warning ? " warning" : "") + " symbol=" + e.symbol +
                  " version=" + e.version + " file=" + e.file + " detail=" + e.detail + " refs={";
  for (const SymbolReference &r : e.references)
    s += "(" + r.object + "|" + r.archive + "|" + r.function + "|" + r.source + ")";
  return s + "} more=" + std::to_string(e.moreReferences);
}

} // namespace

// gtest prints events with this (it looks the function up next to the type).
static void PrintTo(const LinkerEvent &e, std::ostream *os) {
  *os << describe(e);
}

namespace {

std::vector<std::string> describeAll(const std::vector<LinkerEvent> &events) {
  std::vector<std::string> out;
  for (const LinkerEvent &e : events)
    out.push_back(describe(e));
  return out;
}

std::string joined(const std::vector<LinkerEvent> &events) {
  std::string s;
  for (const std::string &d : describeAll(events))
    s += d + "\n";
  return s;
}

MATCHER_P4(IsRef, object, archive, function, source, "") {
  return arg.object == object && arg.archive == archive && arg.function == function &&
         arg.source == source;
}

#define EXPECT_REF(r, obj, arch, fn, src)                                                          \
  EXPECT_THAT(r, IsRef(obj, arch, fn, src))                                                        \
      << "(" << r.object << "|" << r.archive << "|" << r.function << "|" << r.source << ")"

/// Parses `text` and expects exactly `n` events.
std::vector<LinkerEvent> parseN(llvm::StringRef text, size_t n) {
  std::vector<LinkerEvent> events = parseLinkerOutput(text);
  EXPECT_THAT(events, SizeIs(n)) << joined(events);
  return events;
}

// --- ld.lld ------------------------------------------------------------------

// The static-fallback symptom: libpthread.a taken because libpthread.so dangles.
TEST(LinkerOutputLld, UndefinedSymbolWithSourceObjectArchiveAndMore) {
  auto events = parseN("ld.lld: error: undefined symbol: _dl_stack_flags\n"
                       ">>> referenced by pthread_create.c:627 (./nptl/pthread_create.c:627)\n"
                       ">>>               pthread_create.o:(__pthread_create_2_1) in archive "
                       "/usr/aarch64-linux-gnu/lib/libpthread.a\n"
                       ">>> referenced by allocatestack.c:384 (./nptl/allocatestack.c:384)\n"
                       ">>>               pthread_create.o:(allocate_stack) in archive "
                       "/usr/aarch64-linux-gnu/lib/libpthread.a\n"
                       ">>> referenced 2 more times\n"
                       "\n"
                       "ld.lld: error: undefined symbol: __libc_do_syscall\n"
                       ">>> referenced by x.o:(.text+0x0) in archive 2.a\n",
                       2);
  const LinkerEvent &e = events[0];
  EXPECT_EQ(e.kind, Kind::UndefinedSymbol);
  EXPECT_EQ(e.flavor, LinkerFlavor::Lld);
  EXPECT_FALSE(e.warning);
  EXPECT_EQ(e.symbol, "_dl_stack_flags");
  EXPECT_EQ(e.version, "");
  EXPECT_EQ(e.file, "");
  ASSERT_THAT(e.references, SizeIs(2));
  EXPECT_REF(e.references[0], "pthread_create.o", "/usr/aarch64-linux-gnu/lib/libpthread.a",
             "__pthread_create_2_1", "./nptl/pthread_create.c:627");
  EXPECT_REF(e.references[1], "pthread_create.o", "/usr/aarch64-linux-gnu/lib/libpthread.a",
             "allocate_stack", "./nptl/allocatestack.c:384");
  EXPECT_EQ(e.moreReferences, 2u);

  // Without debug info the object is on the first line, and a section
  // offset is not a function.
  EXPECT_EQ(events[1].symbol, "__libc_do_syscall");
  ASSERT_THAT(events[1].references, SizeIs(1));
  EXPECT_REF(events[1].references[0], "x.o", "2.a", "", "");
}

TEST(LinkerOutputLld, HiddenProtectedAndCxxSymbols) {
  auto events = parseN(
      "ld.lld: error: undefined hidden symbol: __dso_handle\n"
      ">>> referenced by crtstuff.c\n"
      ">>>               /usr/lib/gcc/x86_64-linux-gnu/12/crtbeginS.o:(.text+0x1a)\n"
      "ld.lld: error: undefined protected symbol: foo\n"
      ">>> referenced by a.o:(bar)\n"
      "ld.lld: error: undefined symbol: std::__1::basic_string<char, std::__1::char_traits<char>, "
      "std::__1::allocator<char>>::size() const\n"
      ">>> referenced by main.cpp:7 (/src/main.cpp:7)\n"
      ">>>               /tmp/main-3f2a.o:(main)\n",
      3);
  EXPECT_EQ(events[0].symbol, "__dso_handle");
  EXPECT_REF(events[0].references[0], "/usr/lib/gcc/x86_64-linux-gnu/12/crtbeginS.o", "", "",
             "crtstuff.c");
  EXPECT_EQ(events[1].symbol, "foo");
  EXPECT_REF(events[1].references[0], "a.o", "", "bar", "");
  EXPECT_EQ(events[2].symbol, "std::__1::basic_string<char, std::__1::char_traits<char>, "
                              "std::__1::allocator<char>>::size() const");
  EXPECT_REF(events[2].references[0], "/tmp/main-3f2a.o", "", "main", "/src/main.cpp:7");
}

// glibc-too-new-dependency: lld's spelling hint carries the version.
TEST(LinkerOutputLld, DidYouMeanAndDefinedIn) {
  auto events = parseN("ld.lld: error: undefined symbol: fcntl64\n"
                       ">>> referenced by sqlite3.c:40123\n"
                       ">>>               sqlite3.o:(unixOpen) in archive libsqlite3.a\n"
                       ">>> did you mean: fcntl64@GLIBC_2.28\n"
                       ">>> defined in: /sysroot/lib/aarch64-linux-gnu/libc.so.6\n",
                       1);
  EXPECT_EQ(events[0].symbol, "fcntl64");
  EXPECT_EQ(events[0].version, "");
  EXPECT_EQ(
      events[0].detail,
      "did you mean: fcntl64@GLIBC_2.28; defined in: /sysroot/lib/aarch64-linux-gnu/libc.so.6");
  EXPECT_REF(events[0].references[0], "sqlite3.o", "libsqlite3.a", "unixOpen", "sqlite3.c:40123");
}

TEST(LinkerOutputLld, SharedLibraryUndefinedForms) {
  auto events = parseN(
      // lld 17
      "ld.lld: error: undefined reference due to --no-allow-shlib-undefined: "
      "pthread_attr_setstacksize@GLIBC_2.34\n"
      ">>> referenced by libraylib.so\n"
      // lld 18+
      "ld.lld: error: undefined reference: __isoc23_sscanf\n"
      ">>> referenced by /sysroot/usr/lib/libfoo.so.1 (disallowed by --no-allow-shlib-undefined)\n"
      // lld 9 to 16
      "ld.lld: error: ./libbar.so: undefined reference to __isoc23_strtol "
      "[--no-allow-shlib-undefined]\n",
      3);
  EXPECT_EQ(events[0].kind, Kind::UndefinedVersionedSymbol);
  EXPECT_EQ(events[0].symbol, "pthread_attr_setstacksize");
  EXPECT_EQ(events[0].version, "GLIBC_2.34");
  EXPECT_EQ(events[0].file, "libraylib.so");
  EXPECT_REF(events[0].references[0], "libraylib.so", "", "", "");

  EXPECT_EQ(events[1].kind, Kind::UndefinedSymbol);
  EXPECT_EQ(events[1].symbol, "__isoc23_sscanf");
  EXPECT_EQ(events[1].file, "/sysroot/usr/lib/libfoo.so.1");

  EXPECT_EQ(events[2].kind, Kind::UndefinedSymbol);
  EXPECT_EQ(events[2].flavor, LinkerFlavor::Lld);
  EXPECT_EQ(events[2].symbol, "__isoc23_strtol");
  EXPECT_EQ(events[2].file, "./libbar.so");
}

TEST(LinkerOutputLld, Lld5Form) {
  auto events = parseN("error: undef.s:(.text+0x1): undefined symbol 'foo'\n"
                       "ld.lld: error: main.o:(main): undefined symbol 'bar'\n",
                       2);
  EXPECT_EQ(events[0].kind, Kind::UndefinedSymbol);
  EXPECT_EQ(events[0].flavor, LinkerFlavor::Lld);
  EXPECT_EQ(events[0].symbol, "foo");
  EXPECT_REF(events[0].references[0], "undef.s", "", "", "");
  EXPECT_EQ(events[1].symbol, "bar");
  EXPECT_REF(events[1].references[0], "main.o", "", "main", "");
}

TEST(LinkerOutputLld, LibrariesAndFiles) {
  auto events = parseN(
      "ld.lld: error: unable to find library -lthread_db\n"
      "ld.lld: error: unable to find library -l:libfoo.so.1\n"
      "ld.lld: error: cannot open crt1.o: No such file or directory\n"
      "ld.lld: error: cannot open /usr/lib/gcc/aarch64-linux-gnu/12/crtbeginS.o: No such file or "
      "directory\n"
      "ld.lld: error: cannot find /usr/aarch64-linux-gnu/lib/libc.so.6 inside "
      "/usr/aarch64-linux-gnu\n"
      "ld.lld: error: too many errors emitted, stopping now (use --error-limit=0 to see all "
      "errors)\n"
      "clang: error: linker command failed with exit code 1 (use -v to see invocation)\n",
      5);
  EXPECT_EQ(events[0].kind, Kind::UnableToFindLibrary);
  EXPECT_EQ(events[0].file, "thread_db");
  EXPECT_EQ(events[1].kind, Kind::UnableToFindLibrary);
  EXPECT_EQ(events[1].file, ":libfoo.so.1");
  EXPECT_EQ(events[2].kind, Kind::CannotOpenFile);
  EXPECT_EQ(events[2].file, "crt1.o");
  EXPECT_EQ(events[2].detail, "No such file or directory");
  EXPECT_EQ(events[3].kind, Kind::CannotOpenFile);
  EXPECT_EQ(events[3].file, "/usr/lib/gcc/aarch64-linux-gnu/12/crtbeginS.o");
  EXPECT_EQ(events[4].kind, Kind::CannotFindInsideSysroot);
  EXPECT_EQ(events[4].file, "/usr/aarch64-linux-gnu/lib/libc.so.6");
  EXPECT_EQ(events[4].detail, "inside /usr/aarch64-linux-gnu");
  for (const LinkerEvent &e : events)
    EXPECT_EQ(e.flavor, LinkerFlavor::Lld);
}

// lld 14 as met on this machine: the linker script first, then its line.
TEST(LinkerOutputLld, CannotFindInsideSysrootFromALinkerScript) {
  auto events = parseN(
      "ld.lld: error: /usr/lib/gcc-cross/aarch64-linux-gnu/12/../../../../aarch64-linux-gnu/lib/"
      "libc.so:5: cannot find /usr/aarch64-linux-gnu/lib/libc.so.6 inside /usr/aarch64-linux-gnu\n"
      ">>> GROUP ( /usr/aarch64-linux-gnu/lib/libc.so.6 /usr/aarch64-linux-gnu/lib/libc_nonshared.a"
      "  AS_NEEDED ( /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 ) )\n"
      ">>>         ^\n",
      1);
  EXPECT_EQ(events[0].kind, Kind::CannotFindInsideSysroot);
  EXPECT_EQ(events[0].file, "/usr/aarch64-linux-gnu/lib/libc.so.6");
  EXPECT_THAT(events[0].detail, HasSubstr("inside /usr/aarch64-linux-gnu"));
}

TEST(LinkerOutputLld, IncompatibleInputs) {
  auto events = parseN(
      "ld.lld: error: /usr/lib/x86_64-linux-gnu/libm.so.6 is incompatible with aarch64linux\n"
      "ld.lld: error: /tmp/foo-1a2b.o is incompatible with elf64-x86-64\n"
      "ld.lld: error: libfoo.a(foo.o) is incompatible with elf_x86_64\n",
      3);
  EXPECT_EQ(events[0].kind, Kind::IncompatibleInput);
  EXPECT_EQ(events[0].file, "/usr/lib/x86_64-linux-gnu/libm.so.6");
  EXPECT_EQ(events[0].detail, "is incompatible with aarch64linux");
  EXPECT_EQ(events[1].file, "/tmp/foo-1a2b.o");
  EXPECT_EQ(events[1].detail, "is incompatible with elf64-x86-64");
  EXPECT_EQ(events[2].file, "libfoo.a(foo.o)");
}

TEST(LinkerOutputLld, RelocationNeedsPic) {
  auto events = parseN(
      "ld.lld: error: relocation R_X86_64_32 against .rodata can not be used when making a PIE "
      "object; recompile with -fPIC\n"
      "ld.lld: error: relocation R_X86_64_32 cannot be used against local symbol; recompile with "
      "-fPIC\n"
      ">>> defined in libfoo.a(foo.o)\n"
      ">>> referenced by foo.c:3\n"
      ">>>               foo.o:(f) in archive libfoo.a\n"
      "ld.lld: error: relocation R_AARCH64_ADR_PREL_PG_HI21 cannot be used against symbol "
      "'table'; recompile with -fPIC\n"
      "ld.lld: error: can't create dynamic relocation R_X86_64_64 against symbol: foo in readonly "
      "segment; recompile object files with -fPIC or pass '-Wl,-z,notext' to allow text "
      "relocations in the output\n",
      4);
  for (const LinkerEvent &e : events)
    EXPECT_EQ(e.kind, Kind::RelocationNeedsPic) << describe(e);
  EXPECT_EQ(events[0].detail, "R_X86_64_32");
  EXPECT_EQ(events[0].symbol, ".rodata");
  EXPECT_EQ(events[1].symbol, "");
  EXPECT_EQ(events[1].detail, "R_X86_64_32; defined in libfoo.a(foo.o)");
  ASSERT_THAT(events[1].references, SizeIs(1));
  EXPECT_REF(events[1].references[0], "foo.o", "libfoo.a", "f", "foo.c:3");
  EXPECT_EQ(events[2].detail, "R_AARCH64_ADR_PREL_PG_HI21");
  EXPECT_EQ(events[2].symbol, "table");
  EXPECT_EQ(events[3].detail, "R_X86_64_64");
  EXPECT_EQ(events[3].symbol, "foo");
}

// duplicate-runtime: two Rust staticlibs, each with std.
TEST(LinkerOutputLld, DuplicateSymbol) {
  auto events =
      parseN("ld.lld: error: duplicate symbol: rust_eh_personality\n"
             ">>> defined at gcc.rs:245 (library/std/src/sys/personality/gcc.rs:245)\n"
             ">>>            std-8f1a.std.2b3c-cgu.0.rcgu.o:(rust_eh_personality) in archive "
             "/build/liba.a\n"
             ">>> defined at gcc.rs:245 (library/std/src/sys/personality/gcc.rs:245)\n"
             ">>>            std-8f1a.std.2b3c-cgu.0.rcgu.o:(rust_eh_personality) in archive "
             "/build/libb.a\n",
             1);
  EXPECT_EQ(events[0].kind, Kind::DuplicateSymbol);
  EXPECT_EQ(events[0].symbol, "rust_eh_personality");
  ASSERT_THAT(events[0].references, SizeIs(2));
  EXPECT_REF(events[0].references[0], "std-8f1a.std.2b3c-cgu.0.rcgu.o", "/build/liba.a",
             "rust_eh_personality", "library/std/src/sys/personality/gcc.rs:245");
  EXPECT_EQ(events[0].references[1].archive, "/build/libb.a");
}

TEST(LinkerOutputLld, FloatAbiAndBitcode) {
  auto events =
      parseN("ld.lld: error: soft.o: uses VFP register arguments, main.o does not\n"
             "ld.lld: error: /tmp/rustcXYZ/foo.foo.1234-cgu.0.rcgu.o: Unknown attribute kind (105) "
             "(Producer: 'LLVM22.1.2-rust-1.95.0-stable' Reader: 'LLVM 14.0.6')\n"
             "ld.lld: error: Invalid record (Producer: 'LLVM17.0.6' Reader: 'LLVM 14.0.6')\n",
             3);
  EXPECT_EQ(events[0].kind, Kind::FloatAbiMismatch);
  EXPECT_EQ(events[0].file, "soft.o");
  EXPECT_EQ(events[0].detail, "uses VFP register arguments, main.o does not");
  EXPECT_EQ(events[1].kind, Kind::BitcodeVersion);
  EXPECT_EQ(events[1].file, "/tmp/rustcXYZ/foo.foo.1234-cgu.0.rcgu.o");
  EXPECT_EQ(events[1].detail, "Unknown attribute kind (105) (Producer: "
                              "'LLVM22.1.2-rust-1.95.0-stable' Reader: 'LLVM 14.0.6')");
  EXPECT_EQ(events[2].kind, Kind::BitcodeVersion);
  EXPECT_EQ(events[2].file, "");
  EXPECT_EQ(events[2].detail, "Invalid record (Producer: 'LLVM17.0.6' Reader: 'LLVM 14.0.6')");
}

// What ld.lld 14 prints when an object declares soft-float arguments
// (Tag_ABI_VFP_args = 0) in an armhf link (tests/e2e/runtime-kinds.sh).
TEST(LinkerOutputLld, FloatAbiFromArmAttributes) {
  auto events = parseN("ld.lld: error: base-pcs.o: incompatible Tag_ABI_VFP_args\n"
                       "clang: error: linker command failed with exit code 1 (use -v to see "
                       "invocation)\n",
                       1);
  EXPECT_EQ(events[0].kind, Kind::FloatAbiMismatch);
  EXPECT_EQ(events[0].flavor, LinkerFlavor::Lld);
  EXPECT_EQ(events[0].file, "base-pcs.o");
  EXPECT_EQ(events[0].detail, "incompatible Tag_ABI_VFP_args");
}

TEST(LinkerOutputLld, ColourCodesAreStripped) {
  std::string coloured = "\x1b[1mld.lld: \x1b[0;1;31merror: \x1b[0mundefined symbol: foo\n"
                         ">>> referenced by main.c:3 (/src/main.c:3)\n"
                         ">>>               main.o:(main)\n"
                         "\x1b[0;1;35mwarning: \x1b]8;;file:///x\x07link\x1b]8;;\x07\n"
                         "\x1b[1mclang: \x1b[0m\x1b[0;1;31merror: \x1b[0m\x1b[1mlinker command "
                         "failed with exit code 1 (use -v to see invocation)\x1b[0m\n";
  std::string plain = "ld.lld: error: undefined symbol: foo\n"
                      ">>> referenced by main.c:3 (/src/main.c:3)\n"
                      ">>>               main.o:(main)\n";
  EXPECT_EQ(describeAll(parseLinkerOutput(coloured)), describeAll(parseLinkerOutput(plain)));
  EXPECT_THAT(parseLinkerOutput(plain), SizeIs(1));
}

TEST(LinkerOutputLld, ProgramNamesAndUnknownErrors) {
  auto events = parseN("/usr/lib/llvm-16/bin/ld.lld: error: undefined symbol: a\n"
                       "ld.lld-14: error: undefined symbol: b\n"
                       "rust-lld: error: undefined symbol: c\n"
                       "C:\\Program Files\\LLVM\\bin\\ld.lld.exe: error: undefined symbol: d\n"
                       "ld: error: undefined symbol: e\n" // FreeBSD's ld is lld
                       "ld.lld: error: --build-id=foo: unknown option value\n"
                       "ld.lld: warning: something harmless\n",
                       6);
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(events[i].kind, Kind::UndefinedSymbol);
    EXPECT_EQ(events[i].flavor, LinkerFlavor::Lld) << describe(events[i]);
  }
  EXPECT_EQ(events[3].symbol, "d");
  EXPECT_EQ(events[5].kind, Kind::Other);
  EXPECT_EQ(events[5].detail, "--build-id=foo: unknown option value");
}

TEST(LinkerOutputLld, WarningsKeepTheirKind) {
  auto events = parseN("ld.lld: warning: undefined symbol: foo\n"
                       ">>> referenced by a.o:(main)\n",
                       1);
  EXPECT_EQ(events[0].kind, Kind::UndefinedSymbol);
  EXPECT_TRUE(events[0].warning);
}

// --- mold --------------------------------------------------------------------

TEST(LinkerOutputMold, SameLayoutAsLld) {
  auto events = parseN(
      "mold: error: undefined symbol: foo\n"
      ">>> referenced by main.c\n"
      ">>>               /tmp/ccX1.o:(main)\n"
      "mold: error: libraylib.so: --no-allow-shlib-undefined: undefined symbol: "
      "pthread_attr_setstacksize@GLIBC_2.34\n"
      "mold: error: ./libfoo.so: --no-allow-shlib-undefined: undefined symbol: __isoc23_sscanf\n"
      "mold: error: undefined symbol: /tmp/old.o: bar\n" // mold 1.x
      "mold: fatal: library not found: gcc_s\n"
      "mold: error: duplicate symbol: /tmp/a.o: /tmp/b.o: dup\n"
      "mold: fatal: cannot open crt1.o: No such file or directory\n"
      "mold: error: /tmp/np.o:(.text+0x1): relocation R_X86_64_32 against .rodata can not be "
      "used; recompile with -fPIC\n",
      8);
  for (const LinkerEvent &e : events)
    EXPECT_EQ(e.flavor, LinkerFlavor::Mold) << describe(e);
  EXPECT_EQ(events[0].symbol, "foo");
  EXPECT_REF(events[0].references[0], "/tmp/ccX1.o", "", "main", "main.c");
  EXPECT_EQ(events[1].kind, Kind::UndefinedVersionedSymbol);
  EXPECT_EQ(events[1].symbol, "pthread_attr_setstacksize");
  EXPECT_EQ(events[1].version, "GLIBC_2.34");
  EXPECT_EQ(events[1].file, "libraylib.so");
  EXPECT_EQ(events[2].kind, Kind::UndefinedSymbol);
  EXPECT_EQ(events[2].file, "./libfoo.so");
  EXPECT_EQ(events[3].symbol, "bar");
  EXPECT_REF(events[3].references[0], "/tmp/old.o", "", "", "");
  EXPECT_EQ(events[4].kind, Kind::UnableToFindLibrary);
  EXPECT_EQ(events[4].file, "gcc_s");
  EXPECT_EQ(events[5].kind, Kind::DuplicateSymbol);
  EXPECT_EQ(events[5].symbol, "dup");
  EXPECT_THAT(events[5].references, SizeIs(2));
  EXPECT_EQ(events[6].kind, Kind::CannotOpenFile);
  EXPECT_EQ(events[6].file, "crt1.o");
  EXPECT_EQ(events[7].kind, Kind::RelocationNeedsPic);
  EXPECT_EQ(events[7].file, "/tmp/np.o");
  EXPECT_EQ(events[7].detail, "R_X86_64_32");
  EXPECT_EQ(events[7].symbol, ".rodata");
}

// --- GNU ld ------------------------------------------------------------------

TEST(LinkerOutputGnuLd, InFunctionPairsAreOneEventPerSymbol) {
  auto events =
      parseN("/usr/bin/aarch64-linux-gnu-ld: /sysroot/usr/lib/libsqlite3.a(sqlite3.o): in function "
             "`unixOpen':\n"
             "sqlite3.c:(.text+0x90ce): undefined reference to `fcntl64'\n"
             "/usr/bin/aarch64-linux-gnu-ld: sqlite3.c:(.text+0x9200): undefined reference to "
             "`__isoc23_sscanf'\n"
             "/usr/bin/aarch64-linux-gnu-ld: /tmp/ccQ2.o: in function `main':\n"
             "main.c:12: undefined reference to `fcntl64'\n"
             "/usr/bin/aarch64-linux-gnu-ld: main.c:(.text+0x30): more undefined references to "
             "`fcntl64' follow\n"
             "collect2: error: ld returned 1 exit status\n",
             2);
  const LinkerEvent &e = events[0];
  EXPECT_EQ(e.kind, Kind::UndefinedSymbol);
  EXPECT_EQ(e.flavor, LinkerFlavor::GnuLd);
  EXPECT_EQ(e.symbol, "fcntl64");
  ASSERT_THAT(e.references, SizeIs(2));
  EXPECT_REF(e.references[0], "sqlite3.o", "/sysroot/usr/lib/libsqlite3.a", "unixOpen",
             "sqlite3.c");
  EXPECT_REF(e.references[1], "/tmp/ccQ2.o", "", "main", "main.c:12");
  EXPECT_EQ(e.moreReferences, 1u);
  // The second reference in the same function has the program name again,
  // and the function still applies.
  EXPECT_EQ(events[1].symbol, "__isoc23_sscanf");
  EXPECT_REF(events[1].references[0], "sqlite3.o", "/sysroot/usr/lib/libsqlite3.a", "unixOpen",
             "sqlite3.c");
}

// What gcc -g with binutils 2.40 printed for main.c referencing foo twice and bar.
TEST(LinkerOutputGnuLd, RealOutputWithDebugInfo) {
  auto events = parseN("/usr/bin/ld: main.o: warning: relocation against `bar' in read-only "
                       "section `.text'\n"
                       "/usr/bin/ld: main.o: in function `main':\n"
                       "/tmp/h7real/main.c:5: undefined reference to `foo'\n"
                       "/usr/bin/ld: /tmp/h7real/main.c:5: undefined reference to `foo'\n"
                       "/usr/bin/ld: /tmp/h7real/main.c:5: undefined reference to `bar'\n"
                       "/usr/bin/ld: warning: creating DT_TEXTREL in a PIE\n"
                       "collect2: error: ld returned 1 exit status\n",
                       2);
  EXPECT_EQ(events[0].symbol, "foo");
  ASSERT_THAT(events[0].references, SizeIs(2));
  EXPECT_REF(events[0].references[1], "main.o", "", "main", "/tmp/h7real/main.c:5");
  EXPECT_EQ(events[1].symbol, "bar");
  EXPECT_REF(events[1].references[0], "main.o", "", "main", "/tmp/h7real/main.c:5");
}

TEST(LinkerOutputGnuLd, OlderBinutilsAndBareFiles) {
  auto events = parseN("/tmp/ccx.o: In function `main':\n"
                       "(.text+0x940): undefined reference to `X'\n"
                       "/tmp/ccx.o:(.data.rel+0x0): undefined reference to `table'\n"
                       "main.o: undefined reference to `Y'\n"
                       "collect2: error: ld returned 1 exit status\n",
                       3);
  EXPECT_EQ(events[0].symbol, "X");
  EXPECT_REF(events[0].references[0], "/tmp/ccx.o", "", "main", "");
  EXPECT_EQ(events[1].symbol, "table");
  EXPECT_REF(events[1].references[0], "/tmp/ccx.o", "", "main", "");
  EXPECT_EQ(events[2].symbol, "Y");
  EXPECT_REF(events[2].references[0], "main.o", "", "", "");
  for (const LinkerEvent &e : events)
    EXPECT_EQ(e.flavor, LinkerFlavor::GnuLd);
}

TEST(LinkerOutputGnuLd, VersionedReferenceFromSharedLibrary) {
  auto events =
      parseN("/usr/bin/ld: /tmp/ccA.o: in function `main':\n"
             "main.c:(.text+0x5): undefined reference to `InitWindow'\n"
             "/usr/bin/ld: libraylib.so: undefined reference to "
             "`pthread_attr_setstacksize@GLIBC_2.34'\n"
             "/usr/bin/ld: /opt/x/libfoo.so.1: undefined reference to `stderr@GLIBC_2.4'\n"
             "/usr/bin/ld: /tmp/y.o: undefined reference to `__imp__Sleep@4'\n", // MinGW stdcall
             4);
  EXPECT_EQ(events[1].kind, Kind::UndefinedVersionedSymbol);
  EXPECT_EQ(events[1].symbol, "pthread_attr_setstacksize");
  EXPECT_EQ(events[1].version, "GLIBC_2.34");
  EXPECT_EQ(events[1].file, "libraylib.so");
  // A bare file is not inside the function of the line before.
  EXPECT_REF(events[1].references[0], "libraylib.so", "", "", "");
  EXPECT_EQ(events[2].symbol, "stderr");
  EXPECT_EQ(events[2].version, "GLIBC_2.4");
  EXPECT_EQ(events[2].file, "/opt/x/libfoo.so.1");
  EXPECT_EQ(events[3].kind, Kind::UndefinedSymbol);
  EXPECT_EQ(events[3].symbol, "__imp__Sleep@4");
  EXPECT_EQ(events[3].file, "");
}

// library-not-on-command-line: the two lines make one event.
TEST(LinkerOutputGnuLd, DsoMissingFromCommandLine) {
  auto events = parseN(
      "/usr/bin/arm-linux-gnueabihf-ld: /tmp/ccAbc.o: undefined reference to symbol "
      "'dlsym@@GLIBC_2.4'\n"
      "//lib/arm-linux-gnueabihf/libdl.so.2: error adding symbols: DSO missing from command line\n"
      "collect2: error: ld returned 1 exit status\n"
      "/usr/bin/ld: /tmp/cc.o: in function `main':\n"
      "main.c:(.text+0x1a): undefined reference to symbol 'pthread_create@@GLIBC_2.2.5'\n"
      "/usr/bin/ld: /lib/x86_64-linux-gnu/libpthread.so.0: error adding symbols: DSO missing "
      "from command line\n",
      2);
  EXPECT_EQ(events[0].kind, Kind::DsoMissingFromCommandLine);
  EXPECT_EQ(events[0].flavor, LinkerFlavor::GnuLd);
  EXPECT_EQ(events[0].symbol, "dlsym");
  EXPECT_EQ(events[0].version, "GLIBC_2.4");
  EXPECT_EQ(events[0].file, "//lib/arm-linux-gnueabihf/libdl.so.2");
  EXPECT_REF(events[0].references[0], "/tmp/ccAbc.o", "", "", "");
  EXPECT_EQ(events[1].symbol, "pthread_create");
  EXPECT_EQ(events[1].version, "GLIBC_2.2.5");
  EXPECT_EQ(events[1].file, "/lib/x86_64-linux-gnu/libpthread.so.0");
  EXPECT_REF(events[1].references[0], "/tmp/cc.o", "", "main", "main.c");
}

TEST(LinkerOutputGnuLd, WrongArchitecture) {
  auto events = parseN(
      "/usr/bin/ld: /tmp/foo.o: Relocations in generic ELF (EM: 183)\n"
      "/usr/bin/ld: /tmp/foo.o: Relocations in generic ELF (EM: 183)\n"
      "/usr/bin/ld: /tmp/foo.o: error adding symbols: file in wrong format\n"
      "/usr/bin/ld: skipping incompatible /usr/lib/x86_64-linux-gnu/libz.so when searching for "
      "-lz\n"
      "/usr/bin/ld: cannot find -lz: No such file or directory\n"
      "/usr/bin/ld: libbar.a(bar.o): file not recognized: file format not recognized\n"
      "/usr/bin/x86_64-w64-mingw32-ld: i386 architecture of input file `x.o' is incompatible "
      "with i386:x86-64 output\n"
      "collect2: error: ld returned 1 exit status\n",
      5);
  EXPECT_EQ(events[0].kind, Kind::IncompatibleInput);
  EXPECT_EQ(events[0].file, "/tmp/foo.o");
  EXPECT_EQ(events[0].detail, "Relocations in generic ELF (EM: 183); file in wrong format");
  EXPECT_EQ(events[1].kind, Kind::IncompatibleInput);
  EXPECT_EQ(events[1].file, "/usr/lib/x86_64-linux-gnu/libz.so");
  EXPECT_THAT(events[1].detail, HasSubstr("when searching for -lz"));
  EXPECT_EQ(events[2].kind, Kind::UnableToFindLibrary);
  EXPECT_EQ(events[2].file, "z");
  EXPECT_EQ(events[3].kind, Kind::IncompatibleInput);
  EXPECT_EQ(events[3].file, "libbar.a(bar.o)");
  EXPECT_EQ(events[4].kind, Kind::IncompatibleInput);
  EXPECT_EQ(events[4].file, "x.o");
  for (const LinkerEvent &e : events)
    EXPECT_EQ(e.flavor, LinkerFlavor::GnuLd);
}

TEST(LinkerOutputGnuLd, MissingFiles) {
  auto events = parseN(
      "/usr/bin/ld: cannot find -lgcc_s\n"
      "/usr/bin/aarch64-linux-gnu-ld: cannot find crt1.o: No such file or directory\n"
      "/usr/bin/ld: cannot find /lib/libc.so.6\n"
      "/usr/bin/ld: cannot find /lib/aarch64-linux-gnu/libc.so.6 inside /sysroot\n"
      "/usr/bin/ld: warning: cannot find entry symbol _start; defaulting to 0000000000401000\n"
      "/usr/bin/aarch64-linux-gnu-ld: warning: libgcc_s.so.1, needed by "
      "/sysroot/usr/lib/libfoo.so, "
      "not found (try using -rpath or -rpath-link)\n",
      5);
  EXPECT_EQ(events[0].kind, Kind::UnableToFindLibrary);
  EXPECT_EQ(events[0].file, "gcc_s");
  EXPECT_EQ(events[1].kind, Kind::CannotOpenFile);
  EXPECT_EQ(events[1].file, "crt1.o");
  EXPECT_EQ(events[2].kind, Kind::CannotOpenFile);
  EXPECT_EQ(events[2].file, "/lib/libc.so.6");
  EXPECT_EQ(events[3].kind, Kind::CannotFindInsideSysroot);
  EXPECT_EQ(events[3].file, "/lib/aarch64-linux-gnu/libc.so.6");
  EXPECT_EQ(events[4].kind, Kind::NeededLibraryNotFound);
  EXPECT_TRUE(events[4].warning);
  EXPECT_EQ(events[4].file, "libgcc_s.so.1");
  EXPECT_EQ(events[4].detail, "needed by /sysroot/usr/lib/libfoo.so");
}

// libc-link-mismatch and duplicate-runtime.
TEST(LinkerOutputGnuLd, MultipleDefinition) {
  auto events = parseN(
      "/usr/bin/ld: /usr/lib/x86_64-linux-gnu/libc.a(libc-lowlevellock.o): in function "
      "`__lll_lock_wait_private':\n"
      "(.text+0x0): multiple definition of `__lll_lock_wait_private'; "
      "/usr/lib/x86_64-linux-gnu/libpthread.a(lowlevellock.o):(.text+0x0): first defined here\n"
      "/usr/bin/ld: /build/libb.a(b.o): in function `rust_eh_personality':\n"
      "/rustc/90b35a6/library/std/src/sys/personality/gcc.rs:245: multiple definition of "
      "`rust_eh_personality'; /build/liba.a(a.o):/rustc/90b35a6/library/std/src/sys/personality/"
      "gcc.rs:245: first defined here\n"
      // binutils < 2.30: the first definition on a line of its own
      "b.o: In function `dup':\n"
      "b.c:(.text+0x0): multiple definition of `dup'\n"
      "a.o:a.c:(.text+0x0): first defined here\n"
      "collect2: error: ld returned 1 exit status\n",
      3);
  EXPECT_EQ(events[0].kind, Kind::DuplicateSymbol);
  EXPECT_EQ(events[0].symbol, "__lll_lock_wait_private");
  ASSERT_THAT(events[0].references, SizeIs(2));
  EXPECT_REF(events[0].references[0], "libc-lowlevellock.o", "/usr/lib/x86_64-linux-gnu/libc.a",
             "__lll_lock_wait_private", "");
  EXPECT_REF(events[0].references[1], "lowlevellock.o", "/usr/lib/x86_64-linux-gnu/libpthread.a",
             "", "");
  EXPECT_EQ(events[1].symbol, "rust_eh_personality");
  ASSERT_THAT(events[1].references, SizeIs(2));
  EXPECT_REF(events[1].references[0], "b.o", "/build/libb.a", "rust_eh_personality",
             "/rustc/90b35a6/library/std/src/sys/personality/gcc.rs:245");
  EXPECT_REF(events[1].references[1], "a.o", "/build/liba.a", "",
             "/rustc/90b35a6/library/std/src/sys/personality/gcc.rs:245");
  EXPECT_EQ(events[2].symbol, "dup");
  ASSERT_THAT(events[2].references, SizeIs(2));
  EXPECT_REF(events[2].references[0], "b.o", "", "dup", "b.c");
  EXPECT_REF(events[2].references[1], "a.o", "", "", "a.c");
}

TEST(LinkerOutputGnuLd, CodegenMismatches) {
  auto events = parseN(
      "/usr/bin/arm-linux-gnueabihf-ld: error: /tmp/soft.o uses VFP register arguments, a.out "
      "does not\n"
      "/usr/bin/arm-linux-gnueabihf-ld: failed to merge target specific data of file /tmp/soft.o\n"
      "/usr/bin/ld: /tmp/foo.o: relocation R_X86_64_32 against `.rodata' can not be used when "
      "making a PIE object; recompile with -fPIE\n"
      "/usr/bin/ld: failed to set dynamic section sizes: bad value\n"
      "/usr/bin/ld: /tmp/x.o: plugin needed to handle lto object\n"
      "/usr/bin/ld: /tmp/ccB.o: in function `f':\n"
      "f.c:(.text+0x4): relocation truncated to fit: R_AARCH64_CALL26 against symbol `g' defined "
      "in .text section in g.o\n",
      4);
  EXPECT_EQ(events[0].kind, Kind::FloatAbiMismatch);
  EXPECT_EQ(events[0].file, "/tmp/soft.o");
  EXPECT_EQ(events[0].detail, "uses VFP register arguments, a.out does not");
  EXPECT_EQ(events[1].kind, Kind::RelocationNeedsPic);
  EXPECT_EQ(events[1].file, "/tmp/foo.o");
  EXPECT_EQ(events[1].symbol, ".rodata");
  EXPECT_EQ(events[1].detail, "R_X86_64_32");
  EXPECT_EQ(events[2].kind, Kind::BitcodeVersion);
  EXPECT_EQ(events[2].file, "/tmp/x.o");
  // A message GNU ld prints after "in function" that no form knows.
  EXPECT_EQ(events[3].kind, Kind::Other);
  EXPECT_THAT(events[3].detail, HasSubstr("relocation truncated to fit"));
  EXPECT_REF(events[3].references[0], "/tmp/ccB.o", "", "f", "f.c");
}

TEST(LinkerOutputGnuLd, StaticGetaddrinfoWarning) {
  auto events =
      parseN("/usr/bin/ld: /tmp/ccN.o: in function `resolve':\n"
             "net.c:(.text+0x2a): warning: Using 'getaddrinfo' in statically linked applications "
             "requires at runtime the shared libraries from the glibc version used for linking\n",
             1);
  EXPECT_EQ(events[0].kind, Kind::Other);
  EXPECT_TRUE(events[0].warning);
  EXPECT_EQ(events[0].symbol, "getaddrinfo");
  EXPECT_REF(events[0].references[0], "/tmp/ccN.o", "", "resolve", "net.c");
}

TEST(LinkerOutputGnuLd, WarningsAndNotes) {
  auto events = parseN(
      // --warn-unresolved-symbols
      "/usr/bin/ld: /tmp/ccW.o: in function `main':\n"
      "w.c:(.text+0x5): warning: undefined reference to `foo'\n"
      "/usr/bin/ld: warning: /tmp/ccW.o: missing .note.GNU-stack section implies executable "
      "stack\n"
      "/usr/bin/ld: NOTE: This behaviour is deprecated and will be removed in a future version of "
      "the linker\n"
      "/usr/bin/ld: /tmp/ccP.o: in function `p':\n"
      "p.c:(.text+0x1): relocation R_X86_64_32 against `.rodata' can not be used when making a "
      "shared object; recompile with -fPIC\n",
      2);
  EXPECT_EQ(events[0].kind, Kind::UndefinedSymbol);
  EXPECT_EQ(events[0].flavor, LinkerFlavor::GnuLd);
  EXPECT_TRUE(events[0].warning);
  EXPECT_EQ(events[0].symbol, "foo");
  EXPECT_REF(events[0].references[0], "/tmp/ccW.o", "", "main", "w.c");
  EXPECT_EQ(events[1].kind, Kind::RelocationNeedsPic);
  EXPECT_EQ(events[1].file, "/tmp/ccP.o");
  EXPECT_REF(events[1].references[0], "/tmp/ccP.o", "", "p", "p.c");
}

TEST(LinkerOutputGnuLd, TypographicQuotes) {
  auto events = parseN("/usr/bin/ld: /tmp/a.o: in function \xE2\x80\x98main\xE2\x80\x99:\n"
                       "a.c:(.text+0x5): undefined reference to \xE2\x80\x98"
                       "foo\xE2\x80\x99\n",
                       1);
  EXPECT_EQ(events[0].symbol, "foo");
  EXPECT_REF(events[0].references[0], "/tmp/a.o", "", "main", "a.c");
}

// --- gold --------------------------------------------------------------------

TEST(LinkerOutputGold, UndefinedReferencesAndVersions) {
  auto events =
      parseN("/tmp/ccG.o:main.c:function main: error: undefined reference to 'foo'\n"
             "/tmp/ccG.o(.text+0x1f): error: undefined reference to 'bar'\n"
             "/tmp/ccH.o:function helper: error: undefined reference to 'foo'\n"
             "./libraylib.so: error: undefined reference to 'pthread_attr_setstacksize', version "
             "'GLIBC_2.34'\n"
             "/usr/bin/ld.gold: error: cannot find -lfoo\n"
             "/usr/bin/ld.gold: error: /tmp/arm.o: incompatible target\n"
             "collect2: error: ld returned 1 exit status\n",
             5);
  EXPECT_EQ(events[0].kind, Kind::UndefinedSymbol);
  EXPECT_EQ(events[0].flavor, LinkerFlavor::Gold);
  EXPECT_EQ(events[0].symbol, "foo");
  ASSERT_THAT(events[0].references, SizeIs(2));
  EXPECT_REF(events[0].references[0], "/tmp/ccG.o", "", "main", "main.c");
  EXPECT_REF(events[0].references[1], "/tmp/ccH.o", "", "helper", "");
  EXPECT_EQ(events[1].symbol, "bar");
  EXPECT_REF(events[1].references[0], "/tmp/ccG.o", "", "", "");
  EXPECT_EQ(events[2].kind, Kind::UndefinedVersionedSymbol);
  EXPECT_EQ(events[2].flavor, LinkerFlavor::Gold);
  EXPECT_EQ(events[2].symbol, "pthread_attr_setstacksize");
  EXPECT_EQ(events[2].version, "GLIBC_2.34");
  EXPECT_EQ(events[2].file, "./libraylib.so");
  EXPECT_EQ(events[3].kind, Kind::UnableToFindLibrary);
  EXPECT_EQ(events[3].flavor, LinkerFlavor::Gold);
  EXPECT_EQ(events[3].file, "foo");
  EXPECT_EQ(events[4].kind, Kind::IncompatibleInput);
  EXPECT_EQ(events[4].file, "/tmp/arm.o");
}

// gold 1.16 (binutils 2.40), real output.
TEST(LinkerOutputGold, RealOutput) {
  auto events = parseN("/tmp/h7real/main.c:5: error: undefined reference to 'foo'\n"
                       "/usr/bin/ld.gold: error: dup2.o: multiple definition of 'dup'\n"
                       "/usr/bin/ld.gold: dup1.o: previous definition here\n"
                       "/usr/bin/ld.gold: fatal error: arm.o: unsupported ELF machine number 183\n"
                       "/usr/bin/ld.gold: error: np.o: requires unsupported dynamic reloc 11; "
                       "recompile with -fPIC\n"
                       "collect2: error: ld returned 1 exit status\n",
                       4);
  EXPECT_EQ(events[0].kind, Kind::UndefinedSymbol);
  EXPECT_EQ(events[0].flavor, LinkerFlavor::Gold);
  EXPECT_REF(events[0].references[0], "", "", "", "/tmp/h7real/main.c:5");
  EXPECT_EQ(events[1].kind, Kind::DuplicateSymbol);
  EXPECT_EQ(events[1].symbol, "dup");
  ASSERT_THAT(events[1].references, SizeIs(2));
  EXPECT_REF(events[1].references[0], "dup2.o", "", "", "");
  EXPECT_REF(events[1].references[1], "dup1.o", "", "", "");
  EXPECT_EQ(events[2].kind, Kind::IncompatibleInput);
  EXPECT_EQ(events[2].file, "arm.o");
  EXPECT_EQ(events[2].detail, "unsupported ELF machine number 183");
  EXPECT_EQ(events[3].kind, Kind::RelocationNeedsPic);
  EXPECT_EQ(events[3].file, "np.o");
  EXPECT_EQ(events[3].detail, "requires unsupported dynamic reloc 11; recompile with -fPIC");
  for (const LinkerEvent &e : events)
    EXPECT_EQ(e.flavor, LinkerFlavor::Gold);
}

TEST(LinkerOutputGold, MultipleDefinition) {
  auto events = parseN("/tmp/b.o:b.c:function dup: error: multiple definition of 'dup'\n"
                       "/tmp/a.o:a.c:function dup: note: previous definition here\n",
                       1);
  EXPECT_EQ(events[0].kind, Kind::DuplicateSymbol);
  EXPECT_EQ(events[0].flavor, LinkerFlavor::Gold);
  EXPECT_EQ(events[0].symbol, "dup");
  ASSERT_THAT(events[0].references, SizeIs(2));
  EXPECT_REF(events[0].references[0], "/tmp/b.o", "", "dup", "b.c");
  EXPECT_REF(events[0].references[1], "/tmp/a.o", "", "dup", "a.c");
}

// --- lld-link ----------------------------------------------------------------

TEST(LinkerOutputLldLink, UndefinedSymbols) {
  auto events = parseN("lld-link: error: undefined symbol: __declspec(dllimport) WSAGetLastError\n"
                       ">>> referenced by libmio-5d1e.rlib(mio-5d1e.mio.a1b2-cgu.0.rcgu.o):"
                       "(_ZN3mio3sys7windows3net4init17h0123456789abcdefE)\n"
                       "lld-link: error: undefined symbol: int __cdecl foo(int)\n"
                       ">>> referenced by C:\\src\\main.cpp:5\n"
                       ">>>               main.obj:(main)\n"
                       ">>> referenced 3 more times\n"
                       "lld-link: error: <root>: undefined symbol: mainCRTStartup\n",
                       3);
  for (const LinkerEvent &e : events)
    EXPECT_EQ(e.flavor, LinkerFlavor::LldLink);
  EXPECT_EQ(events[0].symbol, "WSAGetLastError");
  EXPECT_EQ(events[0].detail, "__declspec(dllimport)");
  EXPECT_REF(events[0].references[0], "mio-5d1e.mio.a1b2-cgu.0.rcgu.o", "libmio-5d1e.rlib",
             "_ZN3mio3sys7windows3net4init17h0123456789abcdefE", "");
  EXPECT_EQ(events[1].symbol, "int __cdecl foo(int)");
  EXPECT_REF(events[1].references[0], "main.obj", "", "main", "C:\\src\\main.cpp:5");
  EXPECT_EQ(events[1].moreReferences, 3u);
  EXPECT_EQ(events[2].symbol, "mainCRTStartup");
  EXPECT_EQ(events[2].file, "<root>");
}

// rust-lld is lld-link for windows-msvc targets; one COFF sign decides.
TEST(LinkerOutputLldLink, RustLldIsLldLinkWhenTheOutputIsCoff) {
  auto events = parseN("rust-lld: error: undefined symbol: __declspec(dllimport) int __cdecl "
                       "imp(int)\n"
                       ">>> referenced by w.obj:(main)\n"
                       "\n"
                       "rust-lld: error: undefined symbol: cfn\n"
                       ">>> referenced by w.obj:(main)\n",
                       2);
  EXPECT_EQ(events[0].symbol, "int __cdecl imp(int)");
  EXPECT_EQ(events[1].symbol, "cfn");
  EXPECT_EQ(events[1].flavor, LinkerFlavor::LldLink);
  events = parseN("rust-lld: error: undefined symbol: cfn\n"
                  ">>> referenced by r.o:(main)\n",
                  1);
  EXPECT_EQ(events[0].flavor, LinkerFlavor::Lld);
}

TEST(LinkerOutputLldLink, CrtAndMachineMessages) {
  auto events = parseN("lld-link: error: could not open 'kernel32.lib': No such file or directory\n"
                       "lld-link: warning: main.obj: locally defined symbol imported: foo (defined "
                       "in foo.obj) [LNK4217]\n"
                       "lld-link: error: b.obj: machine type x86 conflicts with x64\n"
                       "lld-link: error: /failifmismatch: mismatch detected for 'RuntimeLibrary':\n"
                       ">>> a.lib(x.obj) has value MT_StaticRelease\n"
                       ">>> msvcprt.lib(y.obj) has value MD_DynamicRelease\n"
                       "lld-link: error: duplicate symbol: int __cdecl dup(void)\n"
                       ">>> defined at a.obj\n"
                       ">>> defined at b.obj\n",
                       5);
  EXPECT_EQ(events[0].kind, Kind::CannotOpenFile);
  EXPECT_EQ(events[0].file, "kernel32.lib");
  EXPECT_EQ(events[1].kind, Kind::LocallyDefinedImported);
  EXPECT_TRUE(events[1].warning);
  EXPECT_EQ(events[1].file, "main.obj");
  EXPECT_EQ(events[1].symbol, "foo");
  EXPECT_EQ(events[1].detail, "defined in foo.obj");
  EXPECT_EQ(events[2].kind, Kind::MachineConflict);
  EXPECT_EQ(events[2].file, "b.obj");
  EXPECT_EQ(events[2].detail, "machine type x86 conflicts with x64");
  EXPECT_EQ(events[3].kind, Kind::FailIfMismatch);
  EXPECT_EQ(events[3].symbol, "RuntimeLibrary");
  ASSERT_THAT(events[3].references, SizeIs(2));
  EXPECT_REF(events[3].references[0], "x.obj", "a.lib", "", "");
  EXPECT_REF(events[3].references[1], "y.obj", "msvcprt.lib", "", "");
  EXPECT_EQ(events[3].detail,
            "a.lib(x.obj) has value MT_StaticRelease; msvcprt.lib(y.obj) has value "
            "MD_DynamicRelease");
  EXPECT_EQ(events[4].kind, Kind::DuplicateSymbol);
  EXPECT_EQ(events[4].symbol, "int __cdecl dup(void)");
  EXPECT_THAT(events[4].references, SizeIs(2));
  for (const LinkerEvent &e : events)
    EXPECT_EQ(e.flavor, LinkerFlavor::LldLink) << describe(e);
}

// --- link.exe ----------------------------------------------------------------

TEST(LinkerOutputMsvc, UnresolvedExternals) {
  auto events = parseN(
      "main.obj : error LNK2019: unresolved external symbol foo referenced in function main\n"
      "main.obj : error LNK2019: unresolved external symbol \"int __cdecl bar(int)\" "
      "(?bar@@YAHH@Z) referenced in function \"void __cdecl run(void)\" (?run@@YAXXZ)\n"
      "  Hint on symbols that are defined and could potentially match:\n"
      "    \"int __cdecl bar(long)\" (?bar@@YAHJ@Z)\n"
      "util.obj : error LNK2019: unresolved external symbol foo referenced in function helper\n"
      "libfoo.lib(x.obj) : error LNK2001: unresolved external symbol __imp_Sleep\n"
      "main.exe : fatal error LNK1120: 3 unresolved externals\n",
      3);
  for (const LinkerEvent &e : events) {
    EXPECT_EQ(e.kind, Kind::UndefinedSymbol);
    EXPECT_EQ(e.flavor, LinkerFlavor::MsvcLink);
  }
  EXPECT_EQ(events[0].symbol, "foo");
  ASSERT_THAT(events[0].references, SizeIs(2));
  EXPECT_REF(events[0].references[0], "main.obj", "", "main", "");
  EXPECT_REF(events[0].references[1], "util.obj", "", "helper", "");
  EXPECT_EQ(events[1].symbol, "int __cdecl bar(int)");
  EXPECT_EQ(events[1].detail,
            "decorated name ?bar@@YAHH@Z; could match: \"int __cdecl bar(long)\" (?bar@@YAHJ@Z)");
  EXPECT_REF(events[1].references[0], "main.obj", "", "void __cdecl run(void)", "");
  EXPECT_EQ(events[2].symbol, "__imp_Sleep");
  EXPECT_REF(events[2].references[0], "x.obj", "libfoo.lib", "", "");
}

TEST(LinkerOutputMsvc, CrlfAndHintsUnderRustc) {
  auto events =
      parseN("  = note: main.obj : error LNK2019: unresolved external symbol \"int __cdecl "
             "foo(int)\" (?foo@@YAHH@Z) referenced in function main\r\n"
             "            Hint on symbols that are defined and could potentially match:\r\n"
             "              \"int __cdecl foo(long)\" (?foo@@YAHJ@Z)\r\n"
             "          \r\n"
             "\r\n"
             "  = note: some `extern` functions couldn't be found; some native libraries may need "
             "to be installed or have their path specified\r\n",
             1);
  EXPECT_EQ(events[0].symbol, "int __cdecl foo(int)");
  EXPECT_EQ(events[0].detail,
            "decorated name ?foo@@YAHH@Z; could match: \"int __cdecl foo(long)\" (?foo@@YAHJ@Z)");
  EXPECT_REF(events[0].references[0], "main.obj", "", "main", "");
}

TEST(LinkerOutputMsvc, FilesMachinesDuplicatesAndCrt) {
  auto events = parseN(
      "LINK : fatal error LNK1181: cannot open input file 'ws2_32.lib'\n"
      "LINK : fatal error LNK1104: cannot open file 'msvcrtd.lib'\n"
      "foo.obj : fatal error LNK1112: module machine type 'x64' conflicts with target machine type "
      "'x86'\n"
      "b.obj : error LNK2005: foo already defined in a.obj\n"
      "msvcrt.lib(MSVCR120.dll) : error LNK2005: free already defined in LIBCMT.lib(free.obj)\n"
      "a.obj : error LNK2038: mismatch detected for 'RuntimeLibrary': value 'MT_StaticRelease' "
      "doesn't match value 'MD_DynamicRelease' in b.obj\n"
      "a.obj : warning LNK4217: symbol 'foo' defined in 'b.obj' is imported by 'a.obj' in "
      "function 'main'\n"
      "c.obj : warning LNK4217: locally defined symbol bar imported in function baz\n"
      "LINK : warning LNK4098: defaultlib 'MSVCRT' conflicts with use of other libs; use "
      "/NODEFAULTLIB:library\n"
      "LINK : fatal error LNK1169: one or more multiply defined symbols found\n", // a summary
      9);
  EXPECT_EQ(events[0].kind, Kind::CannotOpenFile);
  EXPECT_EQ(events[0].file, "ws2_32.lib");
  EXPECT_EQ(events[1].kind, Kind::CannotOpenFile);
  EXPECT_EQ(events[1].file, "msvcrtd.lib");
  EXPECT_EQ(events[2].kind, Kind::MachineConflict);
  EXPECT_EQ(events[2].file, "foo.obj");
  EXPECT_THAT(events[2].detail, HasSubstr("'x64' conflicts with target machine type 'x86'"));
  EXPECT_EQ(events[3].kind, Kind::DuplicateSymbol);
  EXPECT_EQ(events[3].symbol, "foo");
  ASSERT_THAT(events[3].references, SizeIs(2));
  EXPECT_REF(events[3].references[1], "a.obj", "", "", "");
  EXPECT_EQ(events[4].symbol, "free");
  EXPECT_REF(events[4].references[0], "MSVCR120.dll", "msvcrt.lib", "", "");
  EXPECT_REF(events[4].references[1], "free.obj", "LIBCMT.lib", "", "");
  EXPECT_EQ(events[5].kind, Kind::FailIfMismatch);
  EXPECT_EQ(events[5].symbol, "RuntimeLibrary");
  EXPECT_EQ(events[5].file, "a.obj");
  EXPECT_THAT(events[5].references, SizeIs(2));
  EXPECT_THAT(events[5].detail, HasSubstr("'MT_StaticRelease' doesn't match"));
  EXPECT_EQ(events[6].kind, Kind::LocallyDefinedImported);
  EXPECT_EQ(events[6].symbol, "foo");
  EXPECT_EQ(events[6].detail, "defined in b.obj");
  EXPECT_REF(events[6].references[0], "a.obj", "", "main", "");
  EXPECT_EQ(events[7].kind, Kind::LocallyDefinedImported);
  EXPECT_EQ(events[7].symbol, "bar");
  EXPECT_REF(events[7].references[0], "c.obj", "", "baz", "");
  EXPECT_EQ(events[8].kind, Kind::Other);
  EXPECT_TRUE(events[8].warning);
  EXPECT_THAT(events[8].detail, HasSubstr("LNK4098"));
}

// --- rustc around the linker -------------------------------------------------

const char *const kBareLld = "ld.lld: error: undefined symbol: foo\n"
                             ">>> referenced by main.rs:3 (src/main.rs:3)\n"
                             ">>>               /tmp/t/hello.hello.9e2a-cgu.0.rcgu.o:"
                             "(hello::main::h2f0c4d9d1b3c6a1e)\n"
                             ">>> referenced by main.rs:4 (src/main.rs:4)\n"
                             ">>>               /tmp/t/hello.hello.9e2a-cgu.0.rcgu.o:"
                             "(hello::main::h2f0c4d9d1b3c6a1e)\n"
                             "\n"
                             "ld.lld: error: unable to find library -lsqlite3\n"
                             "clang: error: linker command failed with exit code 1 (use -v to see "
                             "invocation)\n";

std::string wrapInRustc(llvm::StringRef linkerOutput, bool colour) {
  std::string error = colour ? "\x1b[0m\x1b[1m\x1b[38;5;9merror\x1b[0m\x1b[0m\x1b[1m: " : "error: ";
  std::string note =
      colour
          ? "\x1b[0m  \x1b[0m\x1b[0m\x1b[1m\x1b[38;5;12m= \x1b[0m\x1b[0m\x1b[1mnote\x1b[0m\x1b[0m: "
          : "  = note: ";
  std::string out = error + "linking with `clang` failed: exit status: 1\n  |\n";
  out += note + "LC_ALL=\"C\" PATH=\"/usr/bin:/bin\" VSLANG=\"1033\" \"clang\" \"-m64\" "
                "\"/tmp/rustcQ/symbols.o\" \"-Wl,--as-needed\" \"-lsqlite3\" \"-lgcc_s\" \"-lc\" "
                "\"-fuse-ld=lld\" \"-Wl,--no-allow-shlib-undefined\" \"-nodefaultlibs\"\n";
  out += note + "some arguments are omitted. use `--verbose` to show all linker arguments\n";
  bool first = true;
  while (!linkerOutput.empty()) {
    auto [line, rest] = linkerOutput.split('\n');
    out += (first ? note : std::string(10, ' ')) + line.str() + "\n";
    first = false;
    linkerOutput = rest;
  }
  out += "\n" + note +
         "some `extern` functions couldn't be found; some native libraries may need to be "
         "installed or have their path specified\n";
  out += note + "use the `-l` flag to specify native libraries to link\n";
  out +=
      note +
      "use the `cargo:rustc-link-lib` directive to specify the native libraries to link with "
      "Cargo (see https://doc.rust-lang.org/cargo/reference/build-scripts.html#rustc-link-lib)\n";
  out += "\n" + error + "could not compile `hello` (bin \"hello\") due to 1 previous error\n";
  return out;
}

TEST(LinkerOutputRustc, NoteBlockGivesTheSameEventsAsTheBareOutput) {
  std::vector<std::string> bare = describeAll(parseLinkerOutput(kBareLld));
  ASSERT_THAT(bare, SizeIs(2));
  EXPECT_EQ(describeAll(parseLinkerOutput(wrapInRustc(kBareLld, false))), bare);
  EXPECT_EQ(describeAll(parseLinkerOutput(wrapInRustc(kBareLld, true))), bare);
}

// rustc 1.95 (cc, then rust-lld; and with -fuse-ld=bfd), as printed.
TEST(LinkerOutputRustc, RealRustc195Output) {
  const char *const command =
      "  = note:  \"cc\" \"-m64\" \"/tmp/h7real/rustcCX89dL/symbols.o\" \"<2 object files "
      "omitted>\" "
      "\"-Wl,--as-needed\" \"-Wl,-Bstatic\" \"<sysroot>/lib/rustlib/x86_64-unknown-linux-gnu/lib/"
      "{libstd-*,libcore-*,libcompiler_builtins-*}.rlib\" \"-Wl,-Bdynamic\" \"-lgcc_s\" \"-lc\" "
      "\"-B<sysroot>/lib/rustlib/x86_64-unknown-linux-gnu/bin/gcc-ld\" \"-fuse-ld=lld\" \"-o\" "
      "\"r\" \"-nodefaultlibs\"\n"
      "  = note: some arguments are omitted. use `--verbose` to show all linker arguments\n";
  std::string lld = std::string("\x1b[1m\x1b[91merror\x1b[0m\x1b[1m: linking with `cc` failed: "
                                "exit status: 1\x1b[0m\n  \x1b[1m\x1b[94m|\x1b[0m\n") +
                    command +
                    "  \x1b[1m\x1b[94m= \x1b[0m\x1b[1mnote\x1b[0m: rust-lld: error: undefined "
                    "symbol: foo_missing\n"
                    "          >>> referenced by r.4dd80272b5a2d1fc-cgu.0\n"
                    "          >>>               r.r.4dd80272b5a2d1fc-cgu.0.rcgu.o:"
                    "(r::main::h086b0cfd890a8ea9)\n"
                    "          collect2: error: ld returned 1 exit status\n"
                    "          \n\n"
                    "\x1b[1m\x1b[91merror\x1b[0m\x1b[1m: aborting due to 1 previous error\x1b[0m\n";
  auto events = parseN(lld, 1);
  EXPECT_EQ(events[0].flavor, LinkerFlavor::Lld);
  EXPECT_EQ(events[0].symbol, "foo_missing");
  EXPECT_REF(events[0].references[0], "r.r.4dd80272b5a2d1fc-cgu.0.rcgu.o", "",
             "r::main::h086b0cfd890a8ea9", "r.4dd80272b5a2d1fc-cgu.0");

  std::string bfd =
      std::string("error: linking with `cc` failed: exit status: 1\n  |\n") + command +
      "  = note: /usr/bin/ld.bfd: r.r.4dd80272b5a2d1fc-cgu.0.rcgu.o: in function "
      "`r::main':\n"
      "          r.4dd80272b5a2d1fc-cgu.0:(.text._ZN1r4main17h086b0cfd890a8ea9E+0xb): "
      "undefined reference to `foo_missing'\n"
      "          collect2: error: ld returned 1 exit status\n"
      "          \n"
      "  = note: some `extern` functions couldn't be found; some native libraries may "
      "need to be installed or have their path specified\n"
      "  = note: use the `-l` flag to specify native libraries to link\n\n"
      "error: aborting due to 1 previous error\n";
  events = parseN(bfd, 1);
  EXPECT_EQ(events[0].flavor, LinkerFlavor::GnuLd);
  EXPECT_EQ(events[0].symbol, "foo_missing");
  EXPECT_REF(events[0].references[0], "r.r.4dd80272b5a2d1fc-cgu.0.rcgu.o", "", "r::main",
             "r.4dd80272b5a2d1fc-cgu.0");

  // -C linker-plugin-lto with Debian's lld 14 (bitcode-version-skew).
  events = parseN("error: linking with `clang` failed: exit status: 1\n  |\n"
                  "  = note: some arguments are omitted. use `--verbose` to show all linker "
                  "arguments\n"
                  "  = note: ld.lld: error: h.h.fbdfbb88bc56c414-cgu.0.rcgu.o: Opaque pointers are "
                  "only supported in -opaque-pointers mode (Producer: "
                  "'LLVM22.1.2-rust-1.95.0-stable' Reader: 'LLVM 14.0.6')\n"
                  "          clang: error: linker command failed with exit code 1 (use -v to see "
                  "invocation)\n",
                  1);
  EXPECT_EQ(events[0].kind, Kind::BitcodeVersion);
  EXPECT_EQ(events[0].file, "h.h.fbdfbb88bc56c414-cgu.0.rcgu.o");
  EXPECT_THAT(events[0].detail, HasSubstr("Producer: 'LLVM22.1.2-rust-1.95.0-stable'"));
}

TEST(LinkerOutputRustc, GnuLdAndMsvcUnderRustc) {
  const char *gnu = "/usr/bin/ld: /tmp/t/hello.hello.9e2a-cgu.0.rcgu.o: in function "
                    "`hello::main':\n"
                    "main.rs:(.text._ZN5hello4main17h2f0c4d9d1b3c6a1eE+0x5): undefined reference "
                    "to `foo'\n"
                    "collect2: error: ld returned 1 exit status\n";
  std::vector<std::string> bare = describeAll(parseLinkerOutput(gnu));
  ASSERT_THAT(bare, SizeIs(1));
  EXPECT_EQ(describeAll(parseLinkerOutput(wrapInRustc(gnu, false))), bare);

  // rustc escapes output that is not UTF-8 (a localised link.exe) on one line.
  auto events = parseN("  = note: Non-UTF-8 output: LINK : fatal error LNK1181: cannot open input "
                       "file \\'foo.lib\\'\\r\\nmain.obj : error LNK2019: unresolved external "
                       "symbol bar referenced in function main\\r\\n\n",
                       2);
  EXPECT_EQ(events[0].kind, Kind::CannotOpenFile);
  EXPECT_EQ(events[0].file, "foo.lib");
  EXPECT_EQ(events[1].symbol, "bar");

  // rustc ≥ 1.86 shows the linker's warnings after a successful link.
  events = parseN("warning: linker stderr: /usr/bin/aarch64-linux-gnu-ld: warning: libgcc_s.so.1, "
                  "needed by /s/usr/lib/libz.so, not found (try using -rpath or -rpath-link)\n"
                  "  |\n"
                  "  = note: `#[warn(linker_messages)]` on by default\n",
                  1);
  EXPECT_EQ(events[0].kind, Kind::NeededLibraryNotFound);
  EXPECT_EQ(events[0].file, "libgcc_s.so.1");
  EXPECT_TRUE(events[0].warning);

  // No linker at all.
  events = parseN("error: linker `aarch64-linux-gnu-gcc` not found\n"
                  "  |\n"
                  "  = note: No such file or directory (os error 2)\n",
                  1);
  EXPECT_EQ(events[0].kind, Kind::Other);
  EXPECT_EQ(events[0].file, "aarch64-linux-gnu-gcc");

  // rustc's own error for a missing static library (libc-link-mismatch).
  events = parseN("error: could not find native static library `c`, perhaps an -L flag is "
                  "missing?\n",
                  1);
  EXPECT_EQ(events[0].kind, Kind::UnableToFindLibrary);
  EXPECT_EQ(events[0].file, "c");
}

TEST(LinkerOutputRustc, RustcsOwnLinesAreNotLinkerEvents) {
  EXPECT_THAT(parseLinkerOutput("error[E0425]: cannot find value `x` in this scope\n"
                                "warning: unused variable: `y`\n"
                                "error: aborting due to 2 previous errors\n"
                                "  = note: `#[warn(unused_variables)]` on by default\n"
                                "  = help: if this is intentional, prefix it with an underscore\n"
                                "foo.txt: No such file or directory\n"),
              IsEmpty());
}

// --- Hostile input -----------------------------------------------------------

bool allValidUtf8(const std::vector<LinkerEvent> &events) {
  for (const LinkerEvent &e : events) {
    for (const std::string *s : {&e.symbol, &e.version, &e.file, &e.detail})
      if (!llvm::json::isUTF8(*s))
        return false;
    for (const SymbolReference &r : e.references)
      for (const std::string *s : {&r.object, &r.archive, &r.function, &r.source})
        if (!llvm::json::isUTF8(*s))
          return false;
  }
  return true;
}

TEST(LinkerOutputRobustness, InvalidUtf8AndNulBytes) {
  std::string text = "ld.lld: error: undefined symbol: caf\xe9\xff\n"
                     ">>> referenced by /tmp/\xc3(.o:(f\xe2\x82)\n";
  text += std::string("ld.lld: error: undefined symbol: a\0b\n", 37);
  auto events = parseN(text, 2);
  EXPECT_TRUE(allValidUtf8(events));
  EXPECT_EQ(events[0].symbol, "caf\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(events[1].symbol, std::string("a\0b", 3));
}

TEST(LinkerOutputRobustness, TruncatedFormsDoNotCrash) {
  for (const char *text :
       {"ld.lld: error: undefined symbol: ",
        ">>> referenced by",
        "ld.lld: error: ",
        "/usr/bin/ld: x.o: in function `",
        "`':",
        ": in function `:",
        "x: undefined reference to ",
        "x: undefined reference to `",
        "multiple definition of `x'; ",
        "main.obj : error LNK2019: ",
        "main.obj : error LNK2019: unresolved external symbol \"",
        " : error LNK",
        "LINK : error LNK:",
        "ld.lld: error: relocation R_",
        "R_ against ",
        "ld.lld: error: cannot find  inside ",
        "ld.lld: error: a: uses VFP register arguments",
        "\x1b[",
        "\x1b]8;;",
        "\x1b",
        "  = note: Non-UTF-8 output: \\",
        "  = note: Non-UTF-8 output: \\x4",
        ">>> referenced 99999999999999999999 more times",
        "ld.lld: error: undefined symbol: x\n>>> referenced 99999999999999999999 more times",
        "lld-link: error: /failifmismatch: mismatch detected for ",
        "ld.lld: error: duplicate symbol: ",
        "mold: error: duplicate symbol: a.o: b.o: ",
        "skipping incompatible ",
        "/usr/bin/ld: skipping incompatible ",
        "x.o:x.c:function : error: undefined reference to '",
        "ld: more undefined references to ",
        "a.obj : warning LNK4217: symbol '",
        "a.obj : warning LNK4217: locally defined symbol "}) {
    std::vector<LinkerEvent> events = parseLinkerOutput(text);
    EXPECT_TRUE(allValidUtf8(events)) << text;
  }
}

// Random bytes, spliced pieces of real messages, 10 MB of lines, 1 MB
// lines: no crash, valid UTF-8 out, linear time (the whole test stays well
// under a second in a release build).
TEST(LinkerOutputRobustness, RandomAndLargeInputs) {
  auto start = std::chrono::steady_clock::now();
  std::mt19937 rng(20240521);

  // Random bytes, with newlines, NULs, escapes and high bytes more likely.
  {
    std::string text(1 << 20, '\0');
    std::uniform_int_distribution<int> byte(0, 255), pick(0, 15);
    for (char &c : text) {
      int p = pick(rng);
      c = p == 0   ? '\n'
          : p == 1 ? '\x1b'
          : p == 2 ? '\0'
          : p == 3 ? '>'
          : p == 4 ? ':'
                   : char(byte(rng));
    }
    EXPECT_TRUE(allValidUtf8(parseLinkerOutput(text)));
  }

  // Pieces of every form, shuffled and cut at random places.
  static const char *const kPieces[] = {
      "ld.lld: error: ",
      "undefined symbol: ",
      ">>> referenced by ",
      ">>>               ",
      "x.o:(f)",
      " in archive ",
      "lib.a",
      "a.c:3 (/a.c:3)",
      ">>> referenced 3 more times",
      "/usr/bin/ld: ",
      ": in function `",
      "':",
      "undefined reference to `",
      "'",
      "@GLIBC_2.34",
      "@@GLIBC_2.4",
      "multiple definition of `",
      "; ",
      ": first defined here",
      "(.text+0x1)",
      "error adding symbols: DSO missing from command line",
      "Relocations in generic ELF (EM: 183)",
      "main.obj : error LNK2019: unresolved external symbol ",
      " referenced in function ",
      "\"",
      "(?f@@YAXXZ)",
      "LINK : fatal error LNK1181: cannot open input file '",
      "mold: error: ",
      "lld-link: error: ",
      "/failifmismatch: mismatch detected for '",
      " has value ",
      "  = note: ",
      "Non-UTF-8 output: ",
      "\\r\\n",
      "\\x",
      "\x1b[1m",
      "\x1b]8;;",
      "\n",
      "\n",
      "relocation R_X86_64_32 against ",
      "; recompile with -fPIC",
      " is incompatible with ",
      "(Producer: '",
      "Reader: '",
      "uses VFP register arguments",
      "cannot find ",
      " inside ",
      "unable to find library -l",
      "more undefined references to `",
      "' follow",
      ", version '",
      ": error: ",
      "function ",
      "Hint on symbols that are defined and could "
      "potentially match:",
      ", needed by ",
      ", not found",
      "skipping incompatible ",
      " when searching for ",
      "duplicate symbol: ",
      ">>> defined at ",
      "\xff\xfe",
      "\xE2\x80\x98",
  };
  std::uniform_int_distribution<size_t> piece(0, std::size(kPieces) - 1);
  std::uniform_int_distribution<int> cut(0, 7);
  std::string text;
  while (text.size() < (2u << 20)) {
    std::string p = kPieces[piece(rng)];
    if (cut(rng) == 0)
      p.resize(p.size() / 2);
    text += p;
  }
  EXPECT_TRUE(allValidUtf8(parseLinkerOutput(text)));

  // 10 MB of realistic lines: one event per distinct symbol, references capped.
  {
    std::string big;
    big.reserve(10u << 20);
    for (unsigned i = 0; big.size() < (10u << 20); ++i) {
      std::string n = std::to_string(i % 5000);
      big += "ld.lld: error: undefined symbol: sym" + n + "\n>>> referenced by a.c:" + n +
             " (/src/a.c:" + n + ")\n>>>               a.o:(f" + n + ") in archive liba.a\n";
      big += "/usr/bin/ld: /tmp/x.o: in function `g':\nx.c:(.text+0x" + n +
             "): undefined reference to `gsym" + n + "'\n";
    }
    std::vector<LinkerEvent> events = parseLinkerOutput(big);
    ASSERT_FALSE(events.empty());
    size_t gnu = 0;
    for (const LinkerEvent &e : events) {
      EXPECT_LE(e.references.size(), 32u);
      gnu += e.flavor == LinkerFlavor::GnuLd;
    }
    EXPECT_EQ(gnu, 5000u); // GNU ld's per-reference lines merge by symbol
  }

  // 1 MB lines of every shape; and an event with 200,000 continuation lines.
  {
    std::string mb(1u << 20, 'a');
    std::string huge = "ld.lld: error: undefined symbol: " + mb + "\n>>> referenced by " + mb +
                       "\n" + "/usr/bin/ld: " + mb + ": in function `" + mb + "':\n" + mb +
                       ":(.text+0x1): undefined reference to `" + mb + "'\n" + "\x1b[" +
                       std::string(1u << 20, '1') + "\n" + mb + " : error LNK2019: " + mb + "\n" +
                       std::string(1u << 20, ':') + "\n" + std::string(1u << 20, ' ') + "\n";
    std::vector<LinkerEvent> events = parseLinkerOutput(huge);
    EXPECT_TRUE(allValidUtf8(events));
    for (const LinkerEvent &e : events) {
      EXPECT_LE(e.symbol.size(), 4096u);
      EXPECT_LE(e.detail.size(), 4096u + 512u);
    }

    std::string many = "ld.lld: error: undefined symbol: x\n";
    for (int i = 0; i < 100000; ++i)
      many += ">>> referenced by a.o:(f)\n>>> junk line that is kept in the detail\n";
    events = parseLinkerOutput(many);
    ASSERT_THAT(events, SizeIs(1));
    EXPECT_EQ(events[0].references.size(), 32u);
    EXPECT_EQ(events[0].moreReferences, 100000u - 32u);
    EXPECT_LE(events[0].detail.size(), 4096u);
  }

  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 5.0) << "linear time expected; took " << seconds << " s";
  RecordProperty("seconds", std::to_string(seconds));
}

} // namespace
} // namespace crosshim::diag
