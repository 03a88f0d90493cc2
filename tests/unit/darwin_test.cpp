// The Darwin targets' pieces that need no clang: finding the macOS SDK in
// the layouts users have, reading .tbd stubs, xcrun's answers, and the
// explanations of ld64.lld's messages. The SDKs here are a few files made by
// the tests (no Apple file).
#include "diagnostics/explain_darwin.h"
#include "shims/sysroot.h"
#include "shims/xcrun.h"

#include "test_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace crosshim {
namespace {

using test::TestDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const char *const kSystemTbd = R"(--- !tapi-tbd
tbd-version:     4
targets:         [ x86_64-macos, arm64-macos ]
install-name:    '/usr/lib/libSystem.B.dylib'
exports:
  - targets:         [ x86_64-macos, arm64-macos ]
    symbols:         [ dyld_stub_binder, _printf,
                       _puts ]
...
)";

const Target &darwin(const char *rust) {
  const Target *t = findTarget(rust);
  EXPECT_NE(t, nullptr);
  return *t;
}

std::string makeSdk(const TestDir &dir, const std::string &rel, const std::string &version) {
  dir.writeFile(rel + "/SDKSettings.json", "{\"Version\": \"" + version +
                                               "\", \"MaximumDeploymentTarget\": \"" + version +
                                               ".99\"}");
  dir.writeFile(rel + "/usr/lib/libSystem.tbd", kSystemTbd);
  return dir / rel;
}

TEST(MacSdk, TheSdkItselfAndTheLayoutsHoldingOne) {
  TestDir dir;
  const std::string sdk = makeSdk(dir, "plain/MacOSX13.3.sdk", "13.3");
  Sysroot s;
  ASSERT_TRUE(classifyMacSdk(sdk, s));
  EXPECT_EQ(s.layout, Layout::MacSdk);
  EXPECT_EQ(s.path, sdk);
  EXPECT_EQ(s.sdkVersion, "13.3");
  // osxcross: target/SDK/MacOSX<v>.sdk, the newest by number (11.0 > 10.15).
  makeSdk(dir, "osxcross/target/SDK/MacOSX10.15.sdk", "10.15");
  const std::string newest = makeSdk(dir, "osxcross/target/SDK/MacOSX11.0.sdk", "11.0");
  Sysroot o;
  ASSERT_TRUE(classifyMacSdk(dir / "osxcross", o));
  EXPECT_EQ(o.path, newest);
  // Xcode: Contents/Developer/Platforms/MacOSX.platform/Developer/SDKs/.
  const std::string xcode = makeSdk(
      dir, "Xcode.app/Contents/Developer/Platforms/MacOSX.platform/Developer/SDKs/MacOSX14.0.sdk",
      "14.0");
  Sysroot x;
  ASSERT_TRUE(classifyMacSdk(dir / "Xcode.app", x));
  EXPECT_EQ(x.path, xcode);
  // The version from the folder name when SDKSettings.json is missing.
  dir.writeFile("bare/MacOSX12.1.sdk/usr/lib/libSystem.tbd", kSystemTbd);
  EXPECT_EQ(macSdkVersion(dir / "bare/MacOSX12.1.sdk"), "12.1");
  Sysroot none;
  EXPECT_FALSE(classifyMacSdk(dir.makeDir("empty"), none));
}

TEST(MacSdk, FoundThroughSdkrootAndOsxcrossOnPath) {
  TestDir dir;
  const std::string sdk = makeSdk(dir, "a/MacOSX13.3.sdk", "13.3");
  TargetSettings settings;
  const Env base{"HOME=" + dir / "home", "PATH=/usr/bin"};
  {
    ASSERT_OK_AND_ASSIGN(
        s, findSysroot(darwin("aarch64-apple-darwin"), settings, "", base.with("SDKROOT", sdk)));
    EXPECT_EQ(s->path, sdk);
    EXPECT_EQ(s->source, "SDKROOT");
  }
  {
    const std::string osx = makeSdk(dir, "osxcross/target/SDK/MacOSX12.0.sdk", "12.0");
    dir.makeDir("osxcross/target/bin");
    ASSERT_OK_AND_ASSIGN(s,
                         findSysroot(darwin("x86_64-apple-darwin"), settings, "",
                                     base.with("PATH", "/usr/bin:" + dir / "osxcross/target/bin")));
    EXPECT_EQ(s->path, osx);
    EXPECT_THAT(s->source, HasSubstr("osxcross"));
  }
  {
    auto e =
        test::describe(findSysroot(darwin("x86_64-apple-darwin"), settings, "", base).takeError());
    EXPECT_THAT(e.message, AllOf(HasSubstr("no macOS SDK"), HasSubstr("SDKROOT (not set)"),
                                 HasSubstr("CROSSHIM_SYSROOT_X86_64_APPLE_DARWIN")));
  }
  {
    // A named place that holds no SDK is an error, not a fall-through.
    const Env named = base.with("CROSSHIM_SYSROOT_X86_64_APPLE_DARWIN", dir.makeDir("nosdk"));
    auto e =
        test::describe(findSysroot(darwin("x86_64-apple-darwin"), settings, "", named).takeError());
    EXPECT_THAT(e.message, HasSubstr("not a macOS SDK"));
  }
}

TEST(Tbd, Parse) {
  auto stub = diag::parseTbd(kSystemTbd);
  ASSERT_TRUE(stub.has_value());
  EXPECT_EQ(stub->installName, "/usr/lib/libSystem.B.dylib");
  EXPECT_THAT(stub->targets, ElementsAre("x86_64-macos", "arm64-macos"));
  EXPECT_TRUE(stub->symbols.count("_puts")); // on the list's second line
  EXPECT_TRUE(stub->hasArch("arm64"));
  // tbd v3: archs, not targets.
  auto v3 =
      diag::parseTbd("--- !tapi-tbd-v3\narchs: [ x86_64 ]\ninstall-name: /usr/lib/libz.1.dylib\n"
                     "exports:\n  - archs: [ x86_64 ]\n    symbols: [ _crc32 ]\n...\n");
  ASSERT_TRUE(v3.has_value());
  EXPECT_FALSE(v3->hasArch("arm64"));
  EXPECT_TRUE(v3->symbols.count("_crc32"));
  EXPECT_FALSE(diag::parseTbd("\x7f"
                              "ELF")
                   .has_value());
}

std::vector<std::string> kinds(const diag::Report &r) {
  std::vector<std::string> out;
  for (const diag::Finding &f : r.findings())
    out.push_back(f.kind);
  return out;
}

TEST(ExplainDarwin, LdMessages) {
  TestDir dir;
  const std::string sdk = makeSdk(dir, "MacOSX13.3.sdk", "13.3");
  dir.writeFile("MacOSX13.3.sdk/System/Library/Frameworks/CoreFoundation.framework/"
                "CoreFoundation.tbd",
                "--- !tapi-tbd\ntbd-version: 4\ntargets: [ arm64-macos ]\n"
                "install-name: /System/Library/Frameworks/CoreFoundation.framework/Versions/A/"
                "CoreFoundation\nexports:\n  - targets: [ arm64-macos ]\n"
                "    symbols: [ _CFRelease ]\n...\n");
  diag::DarwinLinkContext context{sdk, "arm64", {"-arch", "arm64", "main.o", "-o", "main"}};
  diag::Report missing;
  diag::explainDarwinLink(
      "ld64.lld: error: undefined symbol: _CFRelease\n>>> referenced by main.o\n", context,
      missing);
  ASSERT_EQ(kinds(missing), std::vector<std::string>{"macos-library-missing"});
  EXPECT_THAT(missing.findings()[0].fix, HasSubstr("-framework CoreFoundation"));
  // Named already: nothing to say about it.
  diag::DarwinLinkContext named = context;
  named.arguments.insert(named.arguments.end(), {"-framework", "CoreFoundation"});
  diag::Report none;
  diag::explainDarwinLink("ld64.lld: error: undefined symbol: _CFRelease\n", named, none);
  EXPECT_TRUE(none.empty());
  // x86_64 has no slice in that stub.
  diag::DarwinLinkContext x86 = context;
  x86.arch = "x86_64";
  diag::Report arch;
  diag::explainDarwinLink("ld64.lld: error: undefined symbol: _CFRelease\n", x86, arch);
  EXPECT_EQ(kinds(arch), std::vector<std::string>{"macos-tbd-arch-missing"});

  diag::Report rt;
  diag::explainDarwinLink("ld64.lld: error: undefined symbol: ___isPlatformVersionAtLeast\n"
                          ">>> referenced by a.o\n",
                          context, rt);
  EXPECT_EQ(kinds(rt), std::vector<std::string>{"macos-compiler-rt-missing"});

  diag::Report incompatible;
  diag::explainDarwinLink("ld64.lld: error: " + sdk +
                              "/usr/lib/libz.tbd(/usr/lib/libz.1.dylib) is incompatible with "
                              "arm64 (macOS)\n",
                          context, incompatible);
  ASSERT_EQ(kinds(incompatible), std::vector<std::string>{"macos-tbd-arch-missing"});
  EXPECT_EQ(incompatible.findings()[0].evidence[0].file, sdk + "/usr/lib/libz.tbd");

  diag::Report newer;
  diag::explainDarwinLink("ld64.lld: warning: m13.o has version 13.0.0, which is newer than "
                          "target minimum of 11.0.0\n",
                          context, newer);
  ASSERT_EQ(kinds(newer), std::vector<std::string>{"macos-min-version-newer"});
  EXPECT_EQ(newer.findings()[0].severity, diag::Severity::Warning);
  EXPECT_THAT(newer.findings()[0].message, HasSubstr("m13.o was built for macOS 13.0.0"));
}

TEST(Xcrun, Answers) {
  TestDir dir;
  Sysroot sdk;
  ASSERT_TRUE(classifyMacSdk(makeSdk(dir, "MacOSX13.3.sdk", "13.3"), sdk));
  const std::string names = dir.makeDir("bin");
  dir.makeExecutable("bin/aarch64-apple-darwin-cc");
  dir.makeExecutable("bin/aarch64-apple-darwin-ar");
  auto llvm = [](llvm::StringRef tool) {
    return tool == "llvm-lipo" ? std::string("/usr/bin/llvm-lipo-14") : std::string();
  };
  const Target &t = darwin("aarch64-apple-darwin");
  auto ask = [&](std::vector<std::string> args) {
    auto a = answerXcrun(t, sdk, args, names, llvm);
    EXPECT_TRUE(static_cast<bool>(a));
    return a ? *a : XcrunAnswer{};
  };
  EXPECT_EQ(ask({"--sdk", "macosx", "--show-sdk-path"}).output, sdk.path + "\n");
  EXPECT_EQ(ask({"--show-sdk-version"}).output, "13.3\n");
  EXPECT_EQ(ask({"-sdk", "macosx13.3", "--show-sdk-platform-version"}).output, "13.3\n");
  // -f clang: the target's own cc shim, so a bare call still builds for the target.
  EXPECT_EQ(ask({"-f", "clang"}).output, names + "/aarch64-apple-darwin-cc\n");
  EXPECT_EQ(ask({"--find", "ar"}).output, names + "/aarch64-apple-darwin-ar\n");
  EXPECT_EQ(ask({"-f", "lipo"}).output, "/usr/bin/llvm-lipo-14\n");
  XcrunAnswer run = ask({"clang", "-c", "x.c"});
  EXPECT_THAT(run.argv, ElementsAre(names + "/aarch64-apple-darwin-cc", "-c", "x.c"));
  XcrunAnswer missing = ask({"-f", "actool"});
  EXPECT_EQ(missing.exitCode, 1);
  EXPECT_THAT(missing.output, HasSubstr("unable to find utility \"actool\""));
  XcrunAnswer ios = ask({"--sdk", "iphoneos", "--show-sdk-path"});
  EXPECT_EQ(ios.exitCode, 1);
  EXPECT_THAT(ios.output, HasSubstr("cannot be located"));
}

} // namespace
} // namespace crosshim
