#include "shims/rewrite.h"

#include "shims/masquerade.h"
#include "shims/rewrite_as.h"
#include "shims/toolchain.h"
#include "support/env.h"
#include "support/errors.h"

#include <llvm/ADT/StringSwitch.h>
#include <llvm/ADT/Triple.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

namespace crosshim {
namespace {

constexpr RuleInfo kRules[] = {
    {"target-from-name",
     "the target is in the program name; clang gets it as --target= so no flag in the build "
     "system has to say it"},
    {"target-flag",
     "a --target/-target that names the same target is dropped (it would be a second, "
     "conflicting spelling); a different one is an error, because the build would silently "
     "produce code for the wrong machine"},
    {"pointer-width-flag",
     "rustc passes -m64/-m32 (x86, powerpc, s390x, ...); the target already fixes the width, so a "
     "matching flag is dropped and a contradicting one is an error (clang would switch to another "
     "architecture)"},
    {"mingw-no-pie",
     "rustc passes -no-pie on windows-gnu links; clang's MinGW driver has no use for it and warns "
     "'argument unused', which cc-rs-style probes and -Werror builds treat as a failure: it is "
     "dropped (lld makes the image relocatable from --dynamicbase, which is kept)"},
    {"mingw-static-pie",
     "GNU's mingw gcc accepts -static-pie without a word (a PE image is relocatable through "
     "--dynamicbase anyway); clang warns 'argument unused', which probes treat as a failure: "
     "it is dropped"},
    {"mingw-soname",
     "ld.lld in MinGW mode rejects -soname (-h), which GNU's mingw ld accepts and ignores (a DLL "
     "has no soname; Makefiles written for Linux pass -Wl,-soname): it is dropped"},
    {"mingw-mdll",
     "GNU's mingw gcc builds a DLL for -mdll (its linker's --dll); clang's MinGW driver passes "
     "--dll, which ld.lld does not know: it becomes -shared"},
    {"mingw-elf-linker-options",
     "GNU's mingw ld accepts ELF-only options that Linux Makefiles and LDFLAGS pass (-rpath, "
     "-rpath-link, -Bsymbolic, --exclude-libs, --no-as-needed, --sort-common, --export-dynamic, "
     "...) and ignores them for a PE image; ld.lld in MinGW mode rejects them: they are dropped"},
    {"mingw-version-script",
     "ld.lld in MinGW mode rejects --version-script, which GNU's mingw ld accepts (libtool and "
     "Meson pass one for shared libraries); it is dropped: the DLL then exports every global "
     "symbol, as a DLL without __declspec(dllexport) does with GNU ld, a superset of what the "
     "script names"},
    {"mingw-relocatable",
     "ld.lld cannot write relocatable COFF objects (-r, what libtool's ld -r and "
     "partial links use); Debian's GNU mingw ld (binutils-mingw-w64, installed with the "
     "mingw-w64 gcc runtime) links them, without start files or libraries as gcc -r does"},
    {"mingw-lto",
     "clang's MinGW driver passes bitcode (-flto) only to a linker it knows is lld "
     "(-fuse-ld=lld), whatever --ld-path says; without it -flto compile-and-link in one step "
     "fails with 'unable to pass LLVM bit-code files to linker' (cc-rs then drops -flto)"},
    {"objdump-gnu-format-names",
     "libtool tells import libraries from static ones by `objdump -f` printing GNU's format "
     "name (pe-x86-64, pe-i386; pei- for images); llvm-objdump prints coff-x86-64, so libtool "
     "drops -lws2_32 and builds no DLL: the format names in its output are GNU's"},
    {"openmp-runtime",
     "clang's -fopenmp code calls LLVM's OpenMP runtime (__kmpc_*), which GCC's libgomp does "
     "not have, and clang links it from its own folder: the build machine's libomp.so. A cross "
     "link takes libomp from the sysroot (libomp-dev of the target); without one, a target of "
     "the build machine's architecture (x86_64 musl) stops with how to get it instead of "
     "linking the glibc-built library, and other architectures fail in the linker, which the "
     "openmp-runtime-missing finding explains"},
    {"driver-mode", "c++/g++ names compile and link C++ (--driver-mode=g++); cpp preprocesses "
                    "(--driver-mode=cpp)"},
    {"quiet-added-flags",
     "flags crosshim adds are wrapped in --start-no-unused-arguments/--end-no-unused-arguments: "
     "cc-rs and autoconf treat any warning from a probe as a failure, and e.g. -fuse-ld or "
     "-isystem on a link-only or compile-only line makes clang warn"},
    {"external-as",
     "with -fno-integrated-as clang runs an assembler it looks up as <clang-triple>-as and then "
     "as: for MinGW that is the build machine's ELF as (\"unknown pseudo-op: .def\"), for the "
     "others whatever comes first; gcc runs its target's as. A -B prefix makes clang run the "
     "target's -as name beside this one (clang's integrated assembler behind GNU as's options)"},
    {"gnu-unused-link-flags",
     "gcc says nothing about linker options in a command that does not link, nor about "
     "-pie/-no-pie in a -static or -shared link, which override them; clang warns that they are "
     "unused, and probes that read stderr then answer otherwise than with gcc (libtool's "
     "`-static works` check with -pie in LDFLAGS): such options of the user's are wrapped in "
     "--start-no-unused-arguments/--end-no-unused-arguments"},
    {"debian-cross-sysroot",
     "Debian's cross packages are driven with --sysroot=/usr/<gnu-triple> and "
     "--gcc-toolchain=/usr: clang then finds the headers, crt files and gcc-cross runtime, and "
     "does not add the build machine's -L/lib -L/usr/lib as it does without a sysroot"},
    {"debian-cross-linker-scripts",
     "libc.so in /usr/<gnu-triple>/lib is a linker script that names "
     "/usr/<gnu-triple>/lib/libc.so.6; lld, GNU ld and gold re-root absolute script paths under "
     "the --sysroot clang gives them and fail ('cannot find ... inside ...'), so the linker gets "
     "--sysroot=/ (the driver already passes full -L paths; gold refuses an empty one). Only "
     "for links: clang counts -Wl, as an input, so a query such as -v would link"},
    {"debian-cross-multiarch",
     "Debian's cross gcc also searches /lib/<multiarch> and /usr/lib/<multiarch>, where "
     "multiarch -dev:<arch> packages put the target's libraries; CMake takes "
     "CMAKE_LIBRARY_ARCHITECTURE from the link's search folders (find_library then looks in "
     "lib/<multiarch>), so links get them too, when they exist, after the sysroot's own "
     "(-Wl,-L)"},
    {"debian-musl-headers",
     "Debian's musl-dev keeps its headers in /usr/include/<musl-multiarch>; -nostdlibinc keeps "
     "glibc's /usr/include out and -isystem puts musl's in"},
    {"debian-musl-libraries",
     "crt1.o, crti.o and libc come from /usr/lib/<musl-multiarch> (-B, -L); --sysroot and "
     "--gcc-toolchain point there so clang does not adopt the build machine's glibc GCC and "
     "library directories"},
    {"mingw-sysroot",
     "mingw-w64 is driven with --sysroot=<root>: clang's MinGW driver then takes the headers, crt "
     "files and import libraries from <root>/include and <root>/lib (or <root>/<gnu>/... in a "
     "toolchain folder), and no longer adds the build machine's -L/usr/lib"},
    {"mingw-gcc-runtime",
     "libgcc, libgcc_eh, libssp and libstdc++ of Debian's mingw-w64 gcc live in "
     "/usr/lib/gcc/<gnu>/<version>-win32, a folder clang 14 and 16 do not find (-lgcc fails "
     "without this -L)"},
    {"mingw-libstdcxx-headers",
     "clang does not find the libstdc++ headers of Debian's mingw-w64 gcc either "
     "(<gcc runtime>/include/c++ and its <gnu> subfolder): they are added with -cxx-isystem, "
     "which clang uses for C++ inputs only, so C++ compiled through the gcc and cc names "
     "(a.cpp, -x c++) finds <string> and C does not see libstdc++'s math.h"},
    {"gcc-query",
     "build systems ask the compiler about the target the way they ask GNU's cross gcc "
     "(-print-sysroot, -print-multiarch, -dumpmachine, -print-multi-os-directory, "
     "-print-prog-name=ld, -print-file-name= and -print-search-dirs for MinGW's GCC runtime); "
     "clang does not know some "
     "of these, answers others for the build machine (/usr/bin/ld, x86_64-linux-gnu for musl), "
     "so crosshim answers them from the target and the sysroot it found"},
    {"gnu-cxx17",
     "GCC 11 and later compile C++ as -std=gnu++17 unless told otherwise, clang 14 as gnu++14: "
     "C++ that uses C++17 without asking for it (std::optional, std::string_view, if constexpr) "
     "builds with Debian's g++ 12, so a compile of C++ sources only without -std= gets "
     "-std=gnu++17"},
    {"gcc-dumpfullversion",
     "gcc -dumpfullversion prints the full version; clang 14 does not know the option and "
     "would run a link: it becomes -dumpversion, which clang answers with its full version"},
    {"sysroot", "the target's headers and libraries come from the sysroot crosshim found"},
    {"cpu-defaults",
     "the CPU and float-ABI flags rustc assumes for this target, so C objects link with Rust ones"},
    {"musl-runtime",
     "musl links use compiler-rt builtins and no unwinder library: the default runtime is the "
     "build machine's libgcc_s, which is linked against glibc"},
    {"musl-gcc-runtime",
     "where clang has no compiler-rt builtins for the architecture (Debian ships them for x86 "
     "only), musl links take libgcc.a and crtbegin*.o from the GCC runtime in the sysroot "
     "(libgcc-<v>-dev, which does not depend on the C library) and no unwinder library"},
    {"use-lld",
     "links use the ld.lld crosshim found (--ld-path): it handles every ELF target, and the "
     "unversioned ld.lld that -fuse-ld=lld searches for may not exist (Debian ships ld.lld-16)"},
    {"rustup-self-contained-lld",
     "rustup's rustc adds -B<toolchain>/lib/rustlib/<host>/bin/gcc-ld -fuse-ld=lld to link with "
     "its bundled rust-lld; by default crosshim keeps that (rust-lld matches rustc's LLVM, which "
     "LTO needs); rust-lld = \"replace\" in crosshim.toml links with crosshim's ld.lld instead"},
    {"config-flags",
     "cflags, cxxflags and ldflags from crosshim.toml, before the build's own flags"},
    {"host-env-paths",
     "LIBRARY_PATH, CPATH, C_INCLUDE_PATH and CPLUS_INCLUDE_PATH name build-machine directories; "
     "clang adds them as -L/-I for same-architecture targets (musl), so they are removed for "
     "cross targets"},
    {"ld-sysroot", "ld names run ld.lld with the sysroot crosshim found"},
    {"dlltool-machine",
     "llvm-dlltool makes import libraries for the machine of its default triple (x86_64 here) "
     "unless told -m i386 or -m i386:x86-64, like GNU's <gnu>-dlltool knows its own"},
    {"dlltool-identify",
     "llvm-dlltool has no --identify, which libtool uses (when --help names --identify-strict) "
     "to find the DLL of an import library; crosshim answers it from the library's import "
     "members, lld's and llvm-dlltool's short ones included, which GNU's .idata$7 fallback "
     "misses"},
    {"windres-target",
     "llvm-windres writes resources for the machine of its default triple (x86_64 here) unless "
     "told --target=<gnu>, and its preprocessor (clang -E) finds <windows.h> in the sysroot "
     "crosshim found through --preprocessor-arg=--sysroot=<sysroot>"},
    {"mingw-ld",
     "ld.lld reads COFF objects only in its MinGW mode, which -m i386pep (x86_64) or -m i386pe "
     "(i686) selects; the mingw-w64 import libraries in <sysroot>/lib are where GNU's "
     "<gnu>-ld looks by default, so they get a -L"},
    {"msvc-sdk-includes",
     "clang-cl on Linux finds no Windows headers: each include folder of the Microsoft CRT and "
     "Windows SDK crosshim found is added with /imsvc (-isystem for the GNU-style driver), which "
     "makes them system headers as INCLUDE would on Windows"},
    {"msvc-sdk-libraries",
     "lld-link gets /libpath: for the SDK's crt, um and ucrt library folders of the target's "
     "architecture, before the link's own (what LIB does on Windows)"},
    {"msvc-library-case",
     "Windows finds Advapi32.lib, USER32.lib or a /DEFAULTLIB: directive in any case, lld-link on "
     "Linux only as spelled; names the link asks for that the SDK has in another case get a "
     "symlink with the asked-for spelling in a cache folder, added as the last /libpath:"},
    {"msvc-bogus-libpath",
     "clang's MSVC driver, finding no Visual Studio, adds -libpath:lib/amd64 and "
     "-libpath:atlmfc/lib/amd64 (relative: any such folder under the build directory would be "
     "searched); they are dropped before lld-link"},
    {"msvc-link-through-shim",
     "links that clang or clang-cl drive run this target's -link shim as their linker "
     "(-fuse-ld=<triple>-link and -B its folder), so they get the SDK's libraries, the library "
     "case fixes and no bogus -libpath:, like rustc's links; a -fuse-ld=llvm-lib of the "
     "arguments runs the -lib shim instead, which keeps lld-link's options from llvm-lib"},
    {"msvc-dependency-archive",
     "a C dependency built by a cargo build script (CARGO_CFG_TARGET_ENV=msvc, TARGET and "
     "OUT_DIR set) that asks for a DLL (/LD, /LDd, -shared, /DLL) becomes an llvm-lib archive "
     "where its import library would go, so rustc links it statically with lld-link (a DLL "
     "would have to ship next to the program; C with assembly otherwise ends up one); "
     "executables are still linked, and CROSSHIM_MSVC_DLL=1 keeps real DLLs"},
    {"msvc-source-after-dashdash",
     "clang-cl reads /Users/me/a.c as /U (undefine) 'sers/me/a.c': source files with an "
     "absolute path are moved after --, which ends option parsing; when /link options follow "
     "(which must stay options) they are passed as /Tc<file> or /Tp<file> instead"},
    {"msvc-gnu-flags",
     "build scripts pass GCC flags to clang-cl, which ignores them with a warning (an error under "
     "-Werror): -x c/c++ become /TC and /TP, -L/-l/-Wl, go to the link step after /link "
     "(/libpath:, name.lib), --param, -fPIC, -pthread, -pipe and -rdynamic mean nothing for COFF "
     "and "
     "are dropped"},
    {"msvc-crt-static",
     "cargo tells build scripts about +crt-static in CARGO_CFG_TARGET_FEATURE; C compiled with "
     "clang-cl then gets /MT (the static CRT, like Rust's objects) unless it chose /MT or /MD"},
    {"darwin-sdk",
     "the macOS SDK crosshim found is the -isysroot of Darwin compiles and links; clang passes it "
     "to ld64.lld as -syslibroot, where libSystem.tbd and the frameworks are"},
    {"darwin-min-version",
     "-mmacosx-version-min from MACOSX_DEPLOYMENT_TARGET, else rustc's defaults (10.12 for "
     "x86_64, 11.0 for arm64): without one clang 14 turns arm64-apple-darwin into iOS 5; never "
     "added when the arguments give one, also inside --target (arm64-apple-macosx12.0)"},
    {"darwin-versioned-target",
     "a --target with a macOS version (arm64-apple-macosx12.0) is the build's minimum macOS: it "
     "stays as given, in place of the shim's unversioned one"},
    {"darwin-ld64",
     "Darwin links use ld64.lld through -fuse-ld=lld, so clang passes -platform_version (a path "
     "in --ld-path makes it pass the old -macosx_version_min, which ld64.lld rejects)"},
    {"darwin-libcxx",
     "Darwin C++ uses the SDK's libc++: -stdlib=libc++ (clang 14 would pick libstdc++), and "
     "-nostdinc++ -isystem <sdk>/usr/include/c++/v1 so that a build machine's libc++-dev headers "
     "are never searched first"},
    {"darwin-ld",
     "<triple>-ld runs ld64.lld with the SDK as -syslibroot, the target's -arch and "
     "-platform_version macos <minimum> <sdk version>, unless the arguments give them"},
    {"gnu-as",
     "<prefix>-as runs clang's integrated assembler for the target (clang -c -x assembler: no "
     "preprocessor, as GNU as has none), so kernel-style Makefiles' $(CROSS_COMPILE)as and "
     "autoconf's AC_CHECK_TOOL(AS, as) get the target's assembler, never the build machine's; "
     "GNU as's options become clang's (-o with GNU's default a.out, -I, --defsym, -g, "
     "--gdwarf-N, --noexecstack, --fatal-warnings, -W, the machine options), the ones the target "
     "already fixes (-EL, -meabi=5, -mabi=lp64, --64 for x86_64) are dropped, a contradicting one "
     "is an error, and an option crosshim does not know is an error, never dropped"},
    {"gnu-as-several-inputs",
     "GNU as assembles several files as one source (a macro of the first is used in the "
     "second); clang assembles one, so it reads .include lines naming them from its standard "
     "input"},
    {"cxxfilt-strip-underscore",
     "i686 Windows prefixes C symbols with an underscore (__Z3foov), and GNU's "
     "i686-w64-mingw32-c++filt strips it before demangling; llvm-cxxfilt does only when told "
     "--strip-underscore (a later -n still turns it off)"},
    {"gnu-as-version",
     "<prefix>-as --version answers with GNU's first line ('GNU assembler (...) 2.40'), the one "
     "configure scripts read to tell GNU as and its version (glibc's, GCC's), and says what "
     "runs; --help lists the options crosshim translates"},
    {"user-sysroot",
     "a --sysroot in the arguments is the build's own choice: crosshim adds no layout flags of its "
     "own, which would otherwise override it on the linker's side"},
    {"terminal-colours",
     "links run with stderr on a pipe (crosshim keeps a copy for diagnostics), so clang and lld "
     "would turn off colours; when crosshim's stderr is a terminal they are asked to keep them"},
};

class Rewriter : RuleRecorder {
public:
  explicit Rewriter(const RewriteInput &in) : in_(in) {}

  llvm::Expected<RewriteResult> run();

private:
  llvm::Error filterUserArgs();
  void addSysrootFlags(bool link);
  std::optional<std::string> answerGccQuery();
  std::string siblingTool(llvm::StringRef tool) const;
  std::string userSysrootValue() const;
  llvm::Error addOpenmpRuntime();
  void quietGnuUnusedLinkFlags();
  void pointToTargetAssembler();

  const RewriteInput &in_;
  std::vector<std::string> user_; // the user's arguments after filtering
  bool userChoseLinker_ = false;
  bool userSysroot_ = false;
  bool rustupLld_ = false;
  bool relocatable_ = false; // MinGW -r
};

// GNU's <gnu>-ld on PATH (not crosshim's own name); empty when there is none.
std::string gnuMingwLd(const Target &target, llvm::StringRef pathVar) {
  auto found = findRealTool(target.gnu.str() + "-ld", pathVar, selfExecutable());
  if (!found) {
    llvm::consumeError(found.takeError());
    return "";
  }
  return *found;
}

std::string mingwRelocatableError(const Target &target) {
  return "a relocatable link (-r) for " + target.rust.str() + " needs GNU's " + target.gnu.str() +
         "-ld: ld.lld cannot write relocatable COFF objects (apt-get install binutils-mingw-w64-" +
         (target.pointerBits == 64 ? "x86-64" : "i686") + ")";
}

bool isCxx(const ToolInfo &tool) {
  return tool.kind == ToolKind::CxxCompiler;
}

// Linker options GNU's mingw ld accepts and ld.lld's MinGW mode rejects,
// dropped from -Wl, arguments for MinGW targets, with the rule that says why:
// those that take a value (`-o=V` or `-o,V`), and flags.
struct MingwDroppedLinkerOptions {
  llvm::StringRef rule;
  llvm::ArrayRef<llvm::StringRef> withValue;
  llvm::ArrayRef<llvm::StringRef> flags;
};
// constexpr arrays, not vectors: a table built at start-up would be a static
// constructor run by every compile.
constexpr llvm::StringRef kVersionScriptOptions[] = {"--version-script", "-version-script"};
constexpr llvm::StringRef kSonameOptions[] = {"-soname", "--soname", "-h"};
constexpr llvm::StringRef kElfOptionsWithValue[] = {"-rpath", "--rpath", "-rpath-link",
                                                    "--rpath-link", "--exclude-libs"};
constexpr llvm::StringRef kElfFlags[] = {"-Bsymbolic",
                                         "-Bsymbolic-functions",
                                         "--sort-common",
                                         "--warn-common",
                                         "--allow-shlib-undefined",
                                         "--no-allow-shlib-undefined",
                                         "--no-undefined-version",
                                         "--no-as-needed",
                                         "--export-dynamic",
                                         "-E",
                                         "-x",
                                         "--discard-all"};
constexpr MingwDroppedLinkerOptions kMingwDroppedLinkerOptions[] = {
    {"mingw-version-script", kVersionScriptOptions, {}},
    {"mingw-soname", kSonameOptions, {}},
    {"mingw-elf-linker-options", kElfOptionsWithValue, kElfFlags},
};

// The -Wl, argument `wl` without the linker options of `drop`: nullopt when
// it has none, "" when nothing else is left.
std::optional<std::string> withoutWlOptions(llvm::StringRef wl,
                                            const MingwDroppedLinkerOptions &drop) {
  llvm::SmallVector<llvm::StringRef, 8> parts;
  wl.drop_front(4).split(parts, ',');
  std::string kept;
  bool dropped = false;
  for (size_t p = 0; p < parts.size(); ++p) {
    llvm::StringRef o = parts[p];
    auto named = [&](llvm::StringRef n) { return o.startswith((n + "=").str()); };
    if (llvm::any_of(drop.withValue, named) || llvm::is_contained(drop.flags, o)) {
      dropped = true;
      continue;
    }
    if (llvm::is_contained(drop.withValue, o) && p + 1 < parts.size()) {
      dropped = true;
      ++p;
      continue;
    }
    kept += "," + o.str();
  }
  if (!dropped)
    return std::nullopt;
  return kept.empty() ? std::string() : "-Wl" + kept;
}

llvm::Error Rewriter::filterUserArgs() {
  const Target &target = *in_.target;
  const RustLld rustLld = in_.settings.rustLld.value_or(RustLld::Keep);
  const std::vector<std::string> &args = in_.args;
  for (size_t i = 0; i < args.size(); ++i) {
    llvm::StringRef a = args[i];

    // Object-format options of binary tools (objcopy --target=elf64-...) and
    // linker options are not target triples: only compiler drivers are filtered.
    if (!in_.tool->isCompilerDriver()) {
      if (target.isMingw() && in_.tool->kind == ToolKind::Linker &&
          (a == "-r" || a == "--relocatable"))
        relocatable_ = true;
      user_.push_back(a.str());
      continue;
    }

    if (auto option = targetOptionAt(args, i)) {
      if (findTarget(option->value) != &target)
        return makeError(ExitCode::Usage, "the arguments ask for target '" + option->value.str() +
                                              "' but this is the " + target.rust.str() + " " +
                                              in_.tool->name.str() +
                                              " (use the shim named after the target you want)");
      note("target-flag",
           "dropped " + a.str() + (option->width == 2 ? " " + args[i + 1] : std::string()));
      i += option->width - 1;
      continue;
    }

    if (a == "-m32" || a == "-m64") {
      unsigned bits = a == "-m32" ? 32 : 64;
      if (bits != target.pointerBits)
        return makeError(ExitCode::Usage, a.str() + " contradicts the target " + target.rust.str() +
                                              " (" + std::to_string(target.pointerBits) + "-bit)");
      note("pointer-width-flag", "dropped " + a.str());
      continue;
    }

    if (target.isMingw() && (a == "-no-pie" || a == "-nopie")) {
      note("mingw-no-pie", "dropped " + a.str());
      continue;
    }
    if (target.isMingw() && a == "-mdll") {
      user_.push_back("-shared");
      note("mingw-mdll", "replaced -mdll by -shared");
      continue;
    }
    if (target.isMingw() && a == "-static-pie") {
      note("mingw-static-pie", "dropped " + a.str());
      continue;
    }
    if (target.isMingw() && a.startswith("-Wl,")) {
      // -Wl,--version-script=F, -Wl,-soname,NAME among other options
      std::string wl = a.str();
      bool changed = false;
      for (const MingwDroppedLinkerOptions &drop : kMingwDroppedLinkerOptions) {
        auto kept = withoutWlOptions(wl, drop);
        if (!kept)
          continue;
        note(drop.rule, "dropped " + wl);
        wl = *kept;
        changed = true;
        if (wl.empty())
          break;
      }
      if (changed) {
        if (!wl.empty())
          user_.push_back(wl);
        continue;
      }
    }
    if (target.isMingw() && a == "-Xlinker" && i + 1 < args.size() &&
        llvm::StringRef(args[i + 1]).contains("version-script")) {
      llvm::StringRef v = args[i + 1];
      const bool separate = !v.contains('=');
      note("mingw-version-script", "dropped -Xlinker " + v.str());
      i += 1;
      if (separate && i + 2 < args.size() && args[i + 1] == "-Xlinker")
        i += 2; // -Xlinker --version-script -Xlinker FILE
      continue;
    }
    if (target.isMingw() && (a == "-r" || a == "--relocatable"))
      relocatable_ = true;

    // rustup: -B<toolchain>/lib/rustlib/<host>/bin/gcc-ld (then -fuse-ld=lld)
    if (a.startswith("-B") && a.rtrim('/').endswith("/gcc-ld")) {
      rustupLld_ = true;
      if (rustLld == RustLld::Replace) {
        note("rustup-self-contained-lld", "dropped " + a.str());
        continue;
      }
      note("rustup-self-contained-lld", "kept " + a.str() + " (rust-lld = \"keep\")");
    }
    if (a.startswith("-fuse-ld=") && a != "-fuse-ld=lld")
      userChoseLinker_ = true;
    if (a.startswith("--ld-path="))
      userChoseLinker_ = true;
    if (a == "--sysroot" || a.startswith("--sysroot="))
      userSysroot_ = true;
    user_.push_back(a.str());
  }
  // rustup's -fuse-ld=lld (before or after its -B) goes with it when replacing.
  if (rustupLld_ && rustLld == RustLld::Replace) {
    auto dropped = std::remove(user_.begin(), user_.end(), "-fuse-ld=lld");
    for (auto it = dropped; it != user_.end(); ++it)
      note("rustup-self-contained-lld", "dropped -fuse-ld=lld");
    user_.erase(dropped, user_.end());
  }
  return llvm::Error::success();
}

void Rewriter::addSysrootFlags(bool link) {
  const Sysroot &s = in_.sysroot;
  switch (s.layout) {
  case Layout::Host:
    return;
  case Layout::DebianCross:
    add("debian-cross-sysroot", {"--sysroot=" + s.path});
    if (!s.gccToolchain.empty())
      add("debian-cross-sysroot", {"--gcc-toolchain=" + s.gccToolchain});
    if (link && out_.mode == Mode::Link) {
      add("debian-cross-linker-scripts", {"-Wl,--sysroot=/"});
      for (const std::string &dir : s.multiarchLibDirs)
        add("debian-cross-multiarch", {"-Wl,-L" + dir});
    }
    return;
  case Layout::DebianMusl:
    add("debian-musl-libraries", {"--sysroot=" + s.libDir, "--gcc-toolchain=" + s.libDir});
    add("debian-musl-headers", {"-nostdlibinc", "-isystem", s.includeDir});
    if (link)
      add("debian-musl-libraries", {"-B" + s.libDir, "-L" + s.libDir});
    return;
  case Layout::Mingw:
    add("mingw-sysroot", {"--sysroot=" + s.path});
    if (s.gccRuntimeDir.empty())
      return;
    if (link)
      add("mingw-gcc-runtime", {"-L" + s.gccRuntimeDir});
    // -cxx-isystem: only for C++ inputs, whichever name compiles them (gcc
    // -c a.cpp, -x c++): libstdc++'s math.h and stdlib.h would break C.
    add("mingw-libstdcxx-headers",
        {"-cxx-isystem", s.gccRuntimeDir + "/include/c++", "-cxx-isystem",
         s.gccRuntimeDir + "/include/c++/" + in_.target->gnu.str(), "-cxx-isystem",
         s.gccRuntimeDir + "/include/c++/backward"});
    return;
  case Layout::MsvcXwin: // MSVC targets are rewritten by rewrite_msvc.cpp
  case Layout::MsvcWinsysroot:
  case Layout::MacSdk: // and Darwin targets by rewrite_darwin.cpp
    return;
  case Layout::Multiarch:
  case Layout::Musl:
  case Layout::Plain:
    if (s.path != "/")
      add("sysroot", {"--sysroot=" + s.path});
    if (!s.gccToolchain.empty())
      add("sysroot", {"--gcc-toolchain=" + s.gccToolchain});
    return;
  }
}

// The tool of that name next to the shim name that ran (the name farm):
// <prefix>-ld for <prefix>-gcc, else the Rust or GNU spelling in the same
// folder. Empty when there is none (a masquerade name, a copied binary).
std::string Rewriter::siblingTool(llvm::StringRef toolName) const {
  const ToolInfo *tool = findTool(toolName);
  if (!tool || !tool->supports(*in_.target) || in_.invokedAs.empty())
    return "";
  // A binary tool, assembler or linker: the installed Rust-named shim first, the name
  // that works wherever this one was reached from (the masquerade folder,
  // a link of the build's own).
  if (tool->kind == ToolKind::BinaryTool || tool->kind == ToolKind::Linker ||
      tool->kind == ToolKind::Assembler) {
    const std::string installed =
        installedNamesDir() + "/" + in_.target->rust.str() + "-" + tool->name.str();
    if (llvm::sys::fs::can_execute(installed))
      return installed;
  }
  llvm::StringRef dir = llvm::sys::path::parent_path(in_.invokedAs);
  llvm::StringRef base = llvm::sys::path::filename(in_.invokedAs);
  std::vector<std::string> prefixes;
  size_t at = base.rfind("-" + in_.tool->name.str());
  if (at != llvm::StringRef::npos && at > 0)
    prefixes.push_back(base.substr(0, at).str());
  prefixes.push_back(in_.target->rust.str());
  if (!in_.target->gnu.empty())
    prefixes.push_back(in_.target->gnu.str());
  for (const std::string &prefix : prefixes) {
    std::string candidate = (dir + "/" + prefix + "-" + toolName).str();
    if (llvm::sys::fs::can_execute(candidate))
      return candidate;
  }
  return "";
}

std::string Rewriter::userSysrootValue() const {
  for (size_t i = 0; i < user_.size(); ++i) {
    llvm::StringRef a = user_[i];
    if (a.consume_front("--sysroot="))
      return a.str();
    if (a == "--sysroot" && i + 1 < user_.size())
      return user_[i + 1];
  }
  return "";
}

// A folder of the sysroot with the target's libomp.so, or "".
static std::string sysrootLibomp(const Target &target, const Sysroot &s) {
  const std::string root = s.path == "/" ? "" : s.path;
  std::vector<std::string> dirs = {root + "/usr/lib/" + target.multiarch.str(),
                                   root + "/lib/" + target.multiarch.str(), root + "/usr/lib",
                                   root + "/lib"};
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(root + "/usr/lib", ec), end; !ec && it != end;
       it.increment(ec))
    if (llvm::sys::path::filename(it->path()).startswith("llvm-"))
      dirs.push_back(it->path() + "/lib");
  for (const std::string &dir : dirs)
    if (llvm::sys::fs::exists(dir + "/libomp.so"))
      return dir;
  return "";
}

llvm::Error Rewriter::addOpenmpRuntime() {
  const bool openmp = llvm::any_of(user_, [](llvm::StringRef a) {
    return a == "-fopenmp" || a == "-fopenmp=libomp" || a == "-fopenmp=libiomp5";
  });
  if (!openmp || !in_.crossTarget || out_.mode != Mode::Link)
    return llvm::Error::success();
  const std::string dir = sysrootLibomp(*in_.target, in_.sysroot);
  if (dir.empty()) {
    // Another architecture or Windows: ld.lld refuses the build machine's
    // libomp.so (incompatible; no -lomp for PE) and the failed link is
    // explained (openmp-runtime-missing).
    // The same architecture (x86_64 musl) would link it without a word.
    const Target *host = hostTarget();
    if (!host || !in_.target->isLinux() ||
        llvm::Triple(host->clang).getArch() != llvm::Triple(in_.target->clang).getArch())
      return llvm::Error::success();
    return makeError(
        ExitCode::Failure,
        "-fopenmp for " + in_.target->rust.str() +
            " needs LLVM's OpenMP runtime (libomp.so) in "
            "the sysroot " +
            in_.sysroot.path +
            ": clang's OpenMP code calls __kmpc_* functions, "
            "which GCC's libgomp does not have, and clang's own libomp.so is the build machine's. "
            "Make a sysroot with it: crosshim sysroot create --target " +
            in_.target->rust.str() + " --with libomp-dev");
  }
  add("openmp-runtime", {"-L" + dir});
  return llvm::Error::success();
}

// GCC's queries about the target, answered from the target table and the
// sysroot (gcc-query). The first query in the arguments is answered, as gcc
// does; nullopt leaves the command to clang.
std::optional<std::string> Rewriter::answerGccQuery() {
  const Target &target = *in_.target;
  const Sysroot &s = in_.sysroot;
  for (const std::string &arg : user_) {
    llvm::StringRef a = arg;
    if (a == "-print-sysroot" || a == "--print-sysroot") {
      std::string root;
      if (userSysroot_)
        root = userSysrootValue();
      else if (s.layout == Layout::DebianMusl || s.layout == Layout::Host)
        root = ""; // no one folder holds both the headers and the libraries
      else
        root = s.path;
      note("gcc-query", "answered " + a.str() + ": " + (root.empty() ? "(empty)" : root));
      return root + "\n";
    }
    if (a == "-print-multiarch" || a == "--print-multiarch") {
      note("gcc-query", "answered " + a.str() + ": " + target.multiarch.str());
      return target.multiarch.str() + "\n";
    }
    if (a == "-dumpmachine" && !target.gnu.empty()) {
      note("gcc-query", "answered " + a.str() + ": " + target.gnu.str());
      return target.gnu.str() + "\n";
    }
    if (a == "-print-multi-os-directory" || a == "--print-multi-os-directory") {
      // Debian's gcc: ../lib where the architecture has multilib OS folders
      // (lib64, lib32), "." for ARM and MinGW. Both name $libdir itself.
      llvm::Triple triple(target.clang);
      const char *dir = triple.isARM() || target.isWindows() ? "." : "../lib";
      note("gcc-query", "answered " + a.str() + ": " + dir);
      return std::string(dir) + "\n";
    }
    if (a == "-print-multi-lib" || a == "--print-multi-lib") {
      note("gcc-query", "answered " + a.str() + ": .; (no multilibs)");
      return ".;\n";
    }
    if (a.consume_front("-print-prog-name=") || a.consume_front("--print-prog-name=")) {
      if (!a.empty() && a == llvm::sys::path::filename(in_.invokedAs) &&
          in_.tool->isCompilerDriver() && !in_.program.empty()) {
        // Its own name: the real clang, as clang answers for itself. icecc-
        // create-env asks this to pack the compiler behind a wrapper; clang
        // would search PATH for the name and find Debian's GNU cross gcc.
        const std::string &clang = in_.program;
        note("gcc-query", "answered -print-prog-name=" + a.str() + ": " + clang);
        return clang + "\n";
      }
      std::string found = siblingTool(a);
      if (found.empty() && !in_.target->gnu.empty() && !a.empty()) {
        // No crosshim name for it (gcov, a farm without as): the GNU cross tool, as
        // gcc finds it (binutils-<gnu>), never the build machine's.
        auto gnuTool =
            findRealTool(in_.target->gnu.str() + "-" + a.str(), in_.pathVar, selfExecutable());
        if (gnuTool)
          found = *gnuTool;
        else
          llvm::consumeError(gnuTool.takeError());
      }
      if (found.empty())
        return std::nullopt; // clang searches its program path
      note("gcc-query", "answered -print-prog-name=" + a.str() + ": " + found);
      return found + "\n";
    }
    if ((a == "-print-search-dirs" || a == "--print-search-dirs") && !userSysroot_) {
      // clang does not list the folders the shim adds to links with -L
      // (mingw-gcc-runtime, debian-musl-libraries), where gcc lists its
      // own: libtool's sys_lib_search_path_spec and Meson's find_library()
      // read the `libraries:` line. The shim answers with them first.
      const std::string bin = llvm::sys::path::parent_path(in_.program).str();
      std::string answer;
      if (s.layout == Layout::Mingw && !s.gccRuntimeDir.empty())
        answer = "install: " + s.gccRuntimeDir + "/\nprograms: =" + bin +
                 "\nlibraries: =" + s.gccRuntimeDir + ":" + s.path + "/" + target.gnu.str() +
                 "/lib:" + s.path + "/lib\n";
      else if (s.layout == Layout::DebianMusl)
        answer = "programs: =" + s.libDir + ":" + bin + "\nlibraries: =" + s.libDir + "\n";
      else
        return std::nullopt; // clang's answer has the sysroot's folders
      note("gcc-query", "answered " + a.str() + " with the folders links search");
      return answer;
    }
    if (s.layout == Layout::Mingw && !s.gccRuntimeDir.empty() && !userSysroot_) {
      // clang's MinGW driver does not search the GCC runtime of Debian's
      // mingw-w64 (mingw-gcc-runtime): look where gcc looks.
      std::string name;
      if (a == "-print-libgcc-file-name" || a == "--print-libgcc-file-name")
        name = "libgcc.a";
      else if (a.consume_front("-print-file-name=") || a.consume_front("--print-file-name="))
        name = a.str();
      else
        continue;
      // The compiler's own header folders are clang's, the ones it compiles
      // with (Makefiles pass -nostdinc -isystem $(CC -print-file-name=include)):
      // GCC's intrinsics headers do not work with clang.
      if (name == "include" || name == "include-fixed")
        return std::nullopt;
      std::string found = name;
      for (const std::string &dir :
           {s.gccRuntimeDir, s.path + "/" + target.gnu.str() + "/lib", s.path + "/lib"})
        if (llvm::sys::fs::exists(dir + "/" + name)) {
          found = dir + "/" + name;
          break;
        }
      note("gcc-query", "answered " + arg + ": " + found);
      return found + "\n";
    }
  }
  return std::nullopt;
}

// How many arguments from user_[i] on are a linker option that gcc ignores
// without a word in a command that does not link (0: none).
size_t linkOnlyOptionWidth(const std::vector<std::string> &args, size_t i) {
  llvm::StringRef a = args[i];
  if (a == "-Xlinker" || a == "-L" || a == "-l")
    return i + 1 < args.size() ? 2 : 1;
  static const char *const kLinkOnly[] = {
      "-pie", "-no-pie", "-nopie",         "-static-pie",       "-rdynamic",
      "-s",   "-shared", "-static-libgcc", "-static-libstdc++", "-nostartfiles"};
  if (llvm::is_contained(kLinkOnly, a))
    return 1;
  return a.startswith("-Wl,") || a.startswith("-fuse-ld=") ||
                 (a.size() > 2 && (a.startswith("-l") || a.startswith("-L")))
             ? 1
             : 0;
}

// -fno-integrated-as (the last of it and -fintegrated-as wins): clang then
// runs an external `as`, found as <prefix>as through a -B prefix.
void Rewriter::pointToTargetAssembler() {
  bool external = false;
  for (llvm::StringRef a : user_) {
    if (a == "-fno-integrated-as" || a == "-no-integrated-as")
      external = true;
    else if (a == "-fintegrated-as" || a == "-integrated-as")
      external = false;
  }
  if (!external)
    return;
  const std::string as = siblingTool("as");
  if (as.empty()) {
    note("external-as", "skipped: no -as name beside this one; clang looks for an assembler itself");
    return;
  }
  add("external-as", {"-B" + as.substr(0, as.size() - 2)});
}

void Rewriter::quietGnuUnusedLinkFlags() {
  const bool compileOnly = out_.mode == Mode::Compile;
  const bool overridesPie = out_.mode == Mode::Link && (llvm::is_contained(user_, "-static") ||
                                                        llvm::is_contained(user_, "-shared"));
  if (!compileOnly && !overridesPie)
    return;
  std::vector<std::string> kept;
  std::vector<std::string> quieted;
  for (size_t i = 0; i < user_.size(); ++i) {
    const std::string &a = user_[i];
    size_t width = compileOnly ? linkOnlyOptionWidth(user_, i)
                               : (a == "-pie" || a == "-no-pie" || a == "-nopie" ? 1 : 0);
    if (width == 0) {
      kept.push_back(a);
      continue;
    }
    kept.push_back("--start-no-unused-arguments");
    for (size_t k = 0; k < width; ++k) {
      kept.push_back(user_[i + k]);
      quieted.push_back(user_[i + k]);
    }
    kept.push_back("--end-no-unused-arguments");
    i += width - 1;
  }
  if (quieted.empty())
    return;
  user_ = std::move(kept);
  note("gnu-unused-link-flags", "no unused-argument warning for " + shellJoin(quieted));
}

// Long on purpose: the ordered rule list for the GNU drivers, one named rule
// per block, in the order they apply to the command.
llvm::Expected<RewriteResult> Rewriter::run() {
  const Target &target = *in_.target;
  const ToolInfo &tool = *in_.tool;

  if (in_.crossTarget)
    for (const char *var :
         {"LIBRARY_PATH", "CPATH", "C_INCLUDE_PATH", "CPLUS_INCLUDE_PATH", "OBJC_INCLUDE_PATH"})
      out_.unsetEnv.push_back(var);

  if (auto err = filterUserArgs())
    return err;

  if (tool.kind == ToolKind::BinaryTool) {
    out_.mode = Mode::Info;
    out_.argv.push_back(in_.program);
    if (tool.name == "dlltool" && target.isWindows() && llvm::find(user_, "-m") == user_.end()) {
      llvm::Triple::ArchType arch = llvm::Triple(target.clang).getArch();
      const char *machine = arch == llvm::Triple::x86      ? "i386"
                            : arch == llvm::Triple::x86_64 ? "i386:x86-64"
                                                           : "arm64";
      out_.argv.insert(out_.argv.end(), {"-m", machine});
      note("dlltool-machine", std::string("added -m ") + machine);
    }
    if (tool.name == "dlltool" && target.isWindows()) {
      if ((out_.dlltoolIdentify = dlltoolIdentifyRequest(user_)))
        note("dlltool-identify", "answered --identify " + out_.dlltoolIdentify->library);
      else if (llvm::is_contained(user_, "--help") || llvm::is_contained(user_, "-h")) {
        out_.dlltoolHelp = true;
        note("dlltool-identify", "--help also names --identify and --identify-strict");
      }
    }
    if (tool.name == "windres" && target.isMingw()) {
      auto given = [&](llvm::StringRef prefix) {
        return llvm::any_of(
            user_, [&](const std::string &a) { return llvm::StringRef(a).startswith(prefix); });
      };
      if (!given("--target") && !given("-F")) {
        out_.argv.push_back("--target=" + target.gnu.str());
        note("windres-target", "added --target=" + target.gnu.str());
      }
      if (in_.sysroot.layout == Layout::Mingw && !given("--preprocessor")) {
        out_.argv.push_back("--preprocessor-arg=--sysroot=" + in_.sysroot.path);
        note("windres-target", "added --preprocessor-arg=--sysroot=" + in_.sysroot.path);
      }
    }
    if (tool.name == "c++filt" && target.isMingw() &&
        llvm::Triple(target.clang).getArch() == llvm::Triple::x86) {
      out_.argv.push_back("--strip-underscore");
      note("cxxfilt-strip-underscore", "added --strip-underscore");
    }
    if (tool.name == "objdump" && target.isMingw() && llvm::any_of(user_, [](llvm::StringRef a) {
          return a == "--file-headers" ||
                 (a.startswith("-") && !a.startswith("--") && a.size() <= 8 && a.contains('f'));
        })) {
      out_.gnuObjectFormatNames = true;
      note("objdump-gnu-format-names", "coff-* format names printed as GNU's pe-*/pei-*");
    }
    out_.argv.insert(out_.argv.end(), user_.begin(), user_.end());
    return std::move(out_);
  }
  if (tool.kind == ToolKind::Linker) {
    out_.mode = Mode::Link;
    out_.argv.push_back(in_.program);
    const Sysroot &s = in_.sysroot;
    if (s.layout != Layout::Host && s.layout != Layout::DebianCross && s.path != "/") {
      out_.argv.push_back("--sysroot=" + s.path);
      note("ld-sysroot", "added --sysroot=" + s.path);
    }
    if (relocatable_) {
      std::string gnuLd = gnuMingwLd(target, in_.pathVar);
      if (gnuLd.empty())
        return makeError(ExitCode::Failure, mingwRelocatableError(target));
      out_.argv[0] = gnuLd;
      note("mingw-relocatable", "runs " + gnuLd + " instead of ld.lld");
    }
    if (target.isMingw() && llvm::find(user_, "-m") == user_.end()) {
      const char *emulation = target.pointerBits == 64 ? "i386pep" : "i386pe";
      out_.argv.insert(out_.argv.end(), {"-m", emulation});
      note("mingw-ld", std::string("added -m ") + emulation);
      if (s.layout == Layout::Mingw) {
        out_.argv.push_back("-L" + s.path + "/lib");
        note("mingw-ld", "added -L" + s.path + "/lib");
      }
    }
    out_.argv.insert(out_.argv.end(), user_.begin(), user_.end());
    return std::move(out_);
  }

  out_.mode = tool.kind == ToolKind::Preprocessor ? Mode::Compile : classifyMode(user_);
  const bool link = out_.mode != Mode::Compile;
  if (out_.mode == Mode::Info)
    if ((out_.answer = answerGccQuery()))
      return std::move(out_);
  for (std::string &a : user_)
    if (a == "-dumpfullversion" || a == "--dumpfullversion") {
      note("gcc-dumpfullversion", "replaced " + a + " by -dumpversion");
      a = "-dumpversion";
    }

  out_.argv.push_back(in_.program);
  if (isCxx(tool)) {
    out_.argv.push_back("--driver-mode=g++");
    note("driver-mode", "added --driver-mode=g++");
  } else if (tool.kind == ToolKind::Preprocessor) {
    out_.argv.push_back("--driver-mode=cpp");
    note("driver-mode", "added --driver-mode=cpp");
  }

  add("target-from-name", {"--target=" + target.clang.str()});
  if (userSysroot_)
    note("user-sysroot", "skipped the " + layoutName(in_.sysroot.layout).str() +
                             " layout flags: the arguments give their own --sysroot");
  else
    addSysrootFlags(link);
  if (!target.cpuFlags.empty()) {
    std::string shown;
    for (llvm::StringRef f : target.cpuFlags) {
      added_.push_back(f.str());
      shown += (shown.empty() ? "" : " ") + f.str();
    }
    note("cpu-defaults", "added " + shown);
  }
  if (tool.isCompilerDriver() && onlyCxxSources(user_, isCxx(tool))) {
    auto setsStandard = [](llvm::ArrayRef<std::string> args) {
      return llvm::any_of(args, [](llvm::StringRef a) {
        return a.startswith("-std=") || a.startswith("--std=") || a == "--std" || a == "-ansi";
      });
    };
    if (setsStandard(user_) || setsStandard(in_.settings.cxxflags) ||
        setsStandard(in_.settings.cflags))
      note("gnu-cxx17", "skipped: the arguments choose the language standard");
    else
      add("gnu-cxx17", {"-std=gnu++17"});
  }
  if (!userSysroot_)
    if (auto err = addOpenmpRuntime())
      return err;
  if (link && target.isMusl() && in_.compilerRtBuiltins)
    add("musl-runtime", {"--rtlib=compiler-rt", "--unwindlib=none"});
  else if (link && target.isMusl() && in_.sysroot.layout == Layout::DebianMusl &&
           !in_.sysroot.gccRuntimeDir.empty())
    add("musl-gcc-runtime", {"--rtlib=libgcc", "--unwindlib=none", "-B" + in_.sysroot.gccRuntimeDir,
                             "-L" + in_.sysroot.gccRuntimeDir});
  if (link) {
    if (userChoseLinker_)
      note("use-lld", "skipped: the arguments choose their own linker");
    else if (rustupLld_ && in_.settings.rustLld.value_or(RustLld::Keep) == RustLld::Keep)
      note("use-lld", "skipped: rustup's rust-lld is kept");
    else if (relocatable_ && out_.mode == Mode::Link) {
      std::string gnuLd = gnuMingwLd(target, in_.pathVar);
      if (gnuLd.empty())
        return makeError(ExitCode::Failure, mingwRelocatableError(target));
      add("mingw-relocatable", {"--ld-path=" + gnuLd, "-nostdlib"});
    } else if (!in_.lld.empty()) {
      add("use-lld", {"--ld-path=" + in_.lld});
      if (target.isMingw())
        add("mingw-lto", {"-fuse-ld=lld"});
    }
    if (in_.stderrIsTerminal && out_.mode == Mode::Link) {
      add("terminal-colours", {"-fcolor-diagnostics"});
      if (!userChoseLinker_) // lld's option; another linker may not know it
        add("terminal-colours", {"-Wl,--color-diagnostics"});
    }
  }

  pointToTargetAssembler();
  addConfigFlags(in_.settings, isCxx(tool), link);
  quietGnuUnusedLinkFlags();
  return finishDriverCommand(user_);
}

} // namespace

llvm::ArrayRef<RuleInfo> allRules() {
  return kRules;
}

void RuleRecorder::add(llvm::StringRef ruleName, std::initializer_list<std::string> flags) {
  add(ruleName, std::vector<std::string>(flags));
}

void RuleRecorder::add(llvm::StringRef ruleName, const std::vector<std::string> &flags) {
  added_.insert(added_.end(), flags.begin(), flags.end());
  note(ruleName, "added " + shellJoin(flags));
}

void RuleRecorder::addConfigFlags(const TargetSettings &settings, bool cxx, bool link) {
  auto addSome = [&](const std::vector<std::string> &flags, llvm::StringRef what) {
    if (flags.empty())
      return;
    added_.insert(added_.end(), flags.begin(), flags.end());
    note("config-flags", "added " + what.str() + ": " + shellJoin(flags));
  };
  addSome(settings.cflags, "cflags");
  if (cxx)
    addSome(settings.cxxflags, "cxxflags");
  if (link)
    addSome(settings.ldflags, "ldflags");
}

RewriteResult RuleRecorder::finishDriverCommand(const std::vector<std::string> &user) {
  out_.argv.push_back("--start-no-unused-arguments");
  out_.argv.insert(out_.argv.end(), added_.begin(), added_.end());
  out_.argv.push_back("--end-no-unused-arguments");
  note("quiet-added-flags", "wrapped the added flags in --start-no-unused-arguments ... "
                            "--end-no-unused-arguments");
  out_.argv.insert(out_.argv.end(), user.begin(), user.end());
  return std::move(out_);
}

void RuleRecorder::note(llvm::StringRef ruleName, std::string change) {
  out_.rewrites.push_back({&rule(ruleName), std::move(change)});
}

const RuleInfo &rule(llvm::StringRef name) {
  for (const RuleInfo &r : kRules)
    if (r.name == name)
      return r;
  llvm_unreachable("unknown rewrite rule");
}

namespace {
RuleObserver ruleObserver = nullptr;
} // namespace

void setRuleObserver(RuleObserver observer) {
  ruleObserver = observer;
}

llvm::Expected<RewriteResult> rewriteCommand(const RewriteInput &input) {
  auto result = input.tool->kind == ToolKind::Assembler ? rewriteAsCommand(input)
                : input.target->isMsvc()                ? rewriteMsvcCommand(input)
                : input.target->isDarwin()              ? rewriteDarwinCommand(input)
                                                        : Rewriter(input).run();
  if (ruleObserver && result) {
    for (const Rewrite &w : result->rewrites)
      ruleObserver(*w.rule);
    if (!result->unsetEnv.empty()) // shown from unsetEnv, not as a Rewrite (explain-args)
      ruleObserver(rule("host-env-paths"));
  }
  return result;
}

std::string compilerRtBuiltinsName(const Target &target) {
  llvm::Triple triple(target.clang);
  llvm::StringRef arch = triple.getArchName();
  if (triple.getArch() == llvm::Triple::x86)
    arch = "i386";
  else if (triple.isARM())
    arch =
        target.cpuFlags.end() != llvm::find(target.cpuFlags, "-mfloat-abi=hard") ? "armhf" : "arm";
  return "libclang_rt.builtins-" + arch.str() + ".a";
}

} // namespace crosshim
