// The real link lines rustc gave its linker (docs/
// rustc-link-lines/*.args, one argument per line) as rewriter inputs: the
// user part of the final argv is the file's lines minus exactly the arguments
// the rules drop.
#include "shims/args.h"
#include "shims/rewrite.h"

#include "test_support.h"

#include <llvm/ADT/STLExtras.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

namespace crosshim {
namespace {

using ::testing::Contains;
using ::testing::Not;

using Args = std::vector<std::string>;

const char *const kLld = "/usr/lib/llvm-14/bin/ld.lld";

struct LinkLines {
  std::string file; // file name only
  const Target *target = nullptr;
  Args args;
};

// The non-Windows files, each with the table target its name carries.
std::vector<LinkLines> loadLinkLines() {
  std::vector<LinkLines> out;
  std::filesystem::path dir = CROSSHIM_LINK_LINES_DIR;
  std::error_code ec;
  for (const auto &entry : std::filesystem::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    // Windows, Apple and musl lines have tests of their own (below).
    if (entry.path().extension() != ".args" || name.find("windows") != std::string::npos ||
        name.find("apple") != std::string::npos || name.find("musl") != std::string::npos)
      continue;
    LinkLines l;
    l.file = name;
    for (const Target &t : allTargets()) // the longest Rust triple in the name
      if (name.find("-" + t.rust.str()) != std::string::npos &&
          (!l.target || t.rust.size() > l.target->rust.size()))
        l.target = &t;
    l.args = test::readLines(entry.path().string());
    out.push_back(std::move(l));
  }
  std::sort(out.begin(), out.end(),
            [](const LinkLines &a, const LinkLines &b) { return a.file < b.file; });
  return out;
}

class RustcLinkLines : public ::testing::Test {
protected:
  void SetUp() override {
    lines_ = loadLinkLines();
    ASSERT_GE(lines_.size(), 7u) << "rustc link lines in " << CROSSHIM_LINK_LINES_DIR;
  }

  static RewriteInput inputFor(const LinkLines &l, std::optional<RustLld> rustLld) {
    RewriteInput in;
    in.target = l.target;
    in.tool = findTool("cc");
    in.program = "/usr/lib/llvm-14/bin/clang";
    in.lld = kLld;
    in.crossTarget = l.target != hostTarget();
    if (in.target->rust == "x86_64-unknown-linux-gnu") {
      in.sysroot.path = "/";
      in.sysroot.layout = Layout::Host;
    } else {
      in.sysroot.path = "/usr/" + l.target->gnu.str();
      in.sysroot.layout = Layout::DebianCross;
      in.sysroot.gccToolchain = "/usr";
    }
    in.settings.rustLld = rustLld;
    in.args = l.args;
    return in;
  }

  std::vector<LinkLines> lines_;
};

bool isRustupGccLd(const std::string &a) {
  return llvm::StringRef(a).startswith("-B") && llvm::StringRef(a).endswith("/gcc-ld");
}

TEST_F(RustcLinkLines, EveryFileNamesAKnownTarget) {
  for (const LinkLines &l : lines_) {
    EXPECT_NE(l.target, nullptr) << l.file;
    EXPECT_GT(l.args.size(), 10u) << l.file;
  }
}

TEST_F(RustcLinkLines, UserPartIsTheFileMinusTheDroppedArguments) {
  unsigned checked = 0, withRustupLld = 0;
  for (const LinkLines &l : lines_) {
    if (!l.target)
      continue;
    const bool rustup = llvm::any_of(l.args, isRustupGccLd);
    withRustupLld += rustup;
    for (RustLld mode : {RustLld::Keep, RustLld::Replace}) {
      SCOPED_TRACE(l.file + (mode == RustLld::Keep ? " (rust-lld keep)" : " (rust-lld replace)"));
      auto result = rewriteCommand(inputFor(l, mode));
      ASSERT_TRUE(static_cast<bool>(result)) << llvm::toString(result.takeError());
      EXPECT_EQ(result->mode, Mode::Link);

      // What the rules drop: the pointer-width flag the target already
      // fixes, and with rust-lld = "replace" rustup's -B.../gcc-ld and the
      // -fuse-ld=lld that goes with it.
      Args expected;
      for (const std::string &a : l.args) {
        if ((a == "-m64" && l.target->pointerBits == 64) ||
            (a == "-m32" && l.target->pointerBits == 32))
          continue;
        if (rustup && mode == RustLld::Replace && (isRustupGccLd(a) || a == "-fuse-ld=lld"))
          continue;
        expected.push_back(a);
      }
      const Args &argv = result->argv;
      auto end = llvm::find(argv, "--end-no-unused-arguments");
      ASSERT_NE(end, argv.end());
      EXPECT_EQ(Args(end + 1, argv.end()), expected);
      EXPECT_EQ(argv.size() - static_cast<size_t>(end + 1 - argv.begin()), expected.size());

      // crosshim's ld.lld unless rustup's rust-lld is kept.
      const std::string ldPath = std::string("--ld-path=") + kLld;
      if (rustup && mode == RustLld::Keep)
        EXPECT_THAT(argv, Not(Contains(ldPath)));
      else
        EXPECT_THAT(argv, Contains(ldPath));
      ++checked;
    }
  }
  EXPECT_GT(checked, 0u);
  EXPECT_GT(withRustupLld, 0u) << "expected the rustc 1.95 files with rustup's -B.../gcc-ld";
}

// rustc 1.63's windows-gnu line through Debian's mingw-w64: only -m64 (the
// target fixes it) and -no-pie (clang's MinGW driver warns it is unused) are
// dropped; the rest links cleanly with clang + lld and stays: lld's MinGW mode
// takes --dynamicbase, --disable-auto-image-base, --high-entropy-va and
// --nxcompat; clang accepts -fno-use-linker-plugin; rsbegin.o/rsend.o,
// -lgcc_eh and -l:libpthread.a resolve in the sysroot and the GCC runtime dir.
// The e2e test windows-gnu-rust checks the link's stderr is empty.
TEST(RustcWindowsGnuLinkLine, OnlyMinusM64AndNoPieAreDropped) {
  const std::string file =
      std::string(CROSSHIM_LINK_LINES_DIR) + "/rustc-1.63-x86_64-pc-windows-gnu.args";
  ASSERT_TRUE(std::filesystem::exists(file)) << file;
  const Args lines = test::readLines(file);
  ASSERT_GT(lines.size(), 10u);

  RewriteInput in;
  in.target = findTarget("x86_64-pc-windows-gnu");
  ASSERT_NE(in.target, nullptr);
  in.tool = findTool("cc");
  in.program = "/usr/lib/llvm-14/bin/clang";
  in.lld = kLld;
  in.sysroot.path = "/usr/x86_64-w64-mingw32";
  in.sysroot.layout = Layout::Mingw;
  in.sysroot.gccRuntimeDir = "/usr/lib/gcc/x86_64-w64-mingw32/12-win32";
  in.args = lines;
  auto result = rewriteCommand(in);
  ASSERT_TRUE(static_cast<bool>(result)) << llvm::toString(result.takeError());
  EXPECT_EQ(result->mode, Mode::Link);

  Args expected;
  for (const std::string &a : lines)
    if (a != "-m64" && a != "-no-pie")
      expected.push_back(a);
  EXPECT_EQ(expected.size() + 2, lines.size()) << "the file should have one -m64 and one -no-pie";
  const Args &argv = result->argv;
  auto end = llvm::find(argv, "--end-no-unused-arguments");
  ASSERT_NE(end, argv.end());
  EXPECT_EQ(Args(end + 1, argv.end()), expected);
  for (const char *kept :
       {"-fno-use-linker-plugin", "-Wl,--disable-auto-image-base", "-Wl,--dynamicbase",
        "-Wl,--high-entropy-va", "-lgcc_eh", "-l:libpthread.a"})
    EXPECT_THAT(expected, Contains(kept));
  // Where -lgcc_eh, -lgcc and -lssp come from, and the MinGW-mode ld.lld.
  EXPECT_THAT(argv, Contains("-L/usr/lib/gcc/x86_64-w64-mingw32/12-win32"));
  EXPECT_THAT(argv, Contains(std::string("--ld-path=") + kLld));
}

// rustc passes @<tmp>/linker-arguments with GNU escaping (space as `\ `,
// backslash as `\\`) when the command line is too long; expanding such a
// file gives back the arguments.
std::string gnuEscape(const std::string &arg) {
  std::string out;
  for (char c : arg) {
    if (c == ' ' || c == '\\')
      out += '\\';
    out += c;
  }
  return out;
}

TEST_F(RustcLinkLines, AsRustcResponseFiles) {
  test::TestDir dir;
  for (const LinkLines &l : lines_) {
    SCOPED_TRACE(l.file);
    Args args = l.args;
    args.push_back("-L/path with spaces/and\\backslash");
    std::string text;
    for (const std::string &a : args)
      text += gnuEscape(a) + "\n";
    std::string rsp = dir.writeFile(l.file + ".linker-arguments", text);
    EXPECT_EQ(expandResponseFiles({"@" + rsp}), args);
  }
}

// The Apple and musl lines of tests/fixtures/rustc-link-lines (captured
// made with a #![no_core] crate, since no Apple or musl std exists here):
// rustc 1.63 (Debian) and 1.95 (rustup) for the Apple targets, a 1.95 cdylib,
// and aarch64 musl with -C link-self-contained=no (the musl sysroot's crt
// files instead of rustup's self-contained ones).
std::vector<LinkLines> loadRepoLinkLines() {
  std::vector<LinkLines> out;
  std::error_code ec;
  for (const auto &entry :
       std::filesystem::directory_iterator(std::filesystem::path(CROSSHIM_LINK_LINES_DIR), ec)) {
    LinkLines l;
    l.file = entry.path().filename().string();
    for (const Target &t : allTargets())
      if (l.file.find("-" + t.rust.str()) != std::string::npos &&
          (!l.target || t.rust.size() > l.target->rust.size()))
        l.target = &t;
    l.args = test::readLines(entry.path().string());
    out.push_back(std::move(l));
  }
  std::sort(out.begin(), out.end(),
            [](const LinkLines &a, const LinkLines &b) { return a.file < b.file; });
  return out;
}

TEST(RustcLinkLinesInRepo, AppleLinesKeepEverythingAndAddTheSdk) {
  unsigned checked = 0;
  for (const LinkLines &l : loadRepoLinkLines()) {
    if (!l.target || !l.target->isDarwin())
      continue;
    SCOPED_TRACE(l.file);
    RewriteInput in;
    in.target = l.target;
    in.tool = findTool("cc");
    in.program = "/usr/lib/llvm-14/bin/clang";
    in.lld = kLld;
    in.sysroot.path = "/sdk/MacOSX13.3.sdk";
    in.sysroot.layout = Layout::MacSdk;
    in.sysroot.sdkVersion = "13.3";
    in.args = l.args;
    auto result = rewriteCommand(in);
    ASSERT_TRUE(static_cast<bool>(result)) << llvm::toString(result.takeError());
    EXPECT_EQ(result->mode, Mode::Link);
    const Args &argv = result->argv;
    auto start = llvm::find(argv, "--start-no-unused-arguments");
    auto end = llvm::find(argv, "--end-no-unused-arguments");
    ASSERT_NE(end, argv.end());
    // Nothing of rustc's line is dropped (-arch, -m64, -dead_strip,
    // -nodefaultlibs, -lSystem, -dynamiclib, -exported_symbols_list).
    EXPECT_EQ(Args(end + 1, argv.end()), l.args);
    const Args added(start + 1, end);
    EXPECT_THAT(added, Contains("-fuse-ld=lld"));
    EXPECT_THAT(added, Contains("/sdk/MacOSX13.3.sdk"));
    // rustc 1.95 gives its minimum (-mmacosx-version-min=11.0.0); 1.63 none.
    const bool rustcGivesMinimum = llvm::any_of(l.args, [](const std::string &a) {
      return llvm::StringRef(a).startswith("-mmacosx-version-min=");
    });
    const bool shimAdds = llvm::any_of(added, [](const std::string &a) {
      return llvm::StringRef(a).startswith("-mmacosx-version-min=");
    });
    EXPECT_NE(rustcGivesMinimum, shimAdds);
    EXPECT_EQ(rustcGivesMinimum, l.file.find("rustc-1.95") == 0);
    for (const std::string &a : argv)
      EXPECT_FALSE(llvm::StringRef(a).startswith("--ld-path")) << a;
    ++checked;
  }
  EXPECT_EQ(checked, 5u);
}

TEST(RustcLinkLinesInRepo, MuslLinesGetTheSysrootsRuntime) {
  unsigned checked = 0;
  for (const LinkLines &l : loadRepoLinkLines()) {
    if (!l.target || !l.target->isMusl())
      continue;
    SCOPED_TRACE(l.file);
    RewriteInput in;
    in.target = l.target;
    in.tool = findTool("cc");
    in.program = "/usr/lib/llvm-14/bin/clang";
    in.lld = kLld;
    in.sysroot.path = "/s";
    in.sysroot.layout = Layout::DebianMusl;
    in.sysroot.libDir = "/s/usr/lib/aarch64-linux-musl";
    in.sysroot.includeDir = "/s/usr/include/aarch64-linux-musl";
    in.sysroot.gccToolchain = in.sysroot.libDir;
    in.sysroot.gccRuntimeDir = "/s/usr/lib/gcc/aarch64-linux-gnu/12";
    in.args = l.args;
    auto result = rewriteCommand(in);
    ASSERT_TRUE(static_cast<bool>(result)) << llvm::toString(result.takeError());
    const Args &argv = result->argv;
    auto end = llvm::find(argv, "--end-no-unused-arguments");
    ASSERT_NE(end, argv.end());
    // -static, -no-pie, -nodefaultlibs stay; -no-pie, which -static overrides,
    // without clang's unused-argument warning (gnu-unused-link-flags).
    Args user(end + 1, argv.end());
    auto quieted = llvm::find(user, "-no-pie");
    ASSERT_NE(quieted, user.end());
    EXPECT_EQ(*(quieted - 1), "--start-no-unused-arguments");
    EXPECT_EQ(*(quieted + 1), "--end-no-unused-arguments");
    llvm::erase_if(user, [](const std::string &a) {
      return a == "--start-no-unused-arguments" || a == "--end-no-unused-arguments";
    });
    EXPECT_EQ(user, l.args);
    for (const char *flag : {"-B/s/usr/lib/aarch64-linux-musl", "-L/s/usr/lib/aarch64-linux-musl",
                             "--rtlib=libgcc", "-B/s/usr/lib/gcc/aarch64-linux-gnu/12"})
      EXPECT_THAT(Args(argv.begin(), end), Contains(flag));
    ++checked;
  }
  EXPECT_EQ(checked, 2u);
}

} // namespace
} // namespace crosshim
