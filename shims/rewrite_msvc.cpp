// Rewriting for *-pc-windows-msvc targets: clang-cl (`<triple>-cl`), lld-link
// (`<triple>-link`) and the GNU-style clang driver (`<triple>-cc`/`-c++`),
// against a Microsoft CRT + Windows SDK found by sysroot_msvc.cpp. The rules
// are in rewrite.cpp's table; this file applies them. The I/O helpers at the
// end (the linker name, the library aliases) run before the rewrite.
#include "shims/rewrite.h"

#include "shims/toolchain.h"
#include "support/env.h"
#include "support/errors.h"

#include "diagnostics/coff.h"

#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/CommandLine.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/SHA1.h>
#include <llvm/Support/StringSaver.h>

#include <set>

#include <unistd.h>

namespace crosshim {
namespace {

bool isSourceFile(llvm::StringRef path) {
  llvm::StringRef ext = llvm::sys::path::extension(path);
  return ext == ".c" || ext == ".cc" || ext == ".cpp" || ext == ".cxx" || ext == ".c++" ||
         ext == ".C";
}

// clang-cl spells options with '/' or '-'; "/c" and "-c" are the same.
bool clOption(llvm::StringRef arg, llvm::StringRef name) {
  return (arg.startswith("/") || arg.startswith("-")) && arg.substr(1) == name;
}

// The relative directories clang 14's MSVC toolchain adds with -libpath: when
// it finds no Visual Studio (it assumes the legacy VC layout under the
// current directory).
bool isBogusLibpath(llvm::StringRef arg) {
  if (!(arg.startswith_insensitive("-libpath:") || arg.startswith_insensitive("/libpath:")))
    return false;
  llvm::StringRef dir = arg.substr(strlen("-libpath:"));
  return dir == "lib" || dir == "lib/amd64" || dir == "lib/arm64" || dir == "atlmfc/lib" ||
         dir == "atlmfc/lib/amd64" || dir == "atlmfc/lib/arm64";
}

// The options llvm-lib 14 knows (it ignores any other with a warning). A
// driver's link step redirected to it brings lld-link's too (-dll,
// -implib:, -defaultlib:, -debug, ...).
bool isLibOption(llvm::StringRef name) {
  static const llvm::StringRef kKnown[] = {
      "out",    "libpath", "list", "llvmlibempty", "llvmlibthin", "machine", "ignore",
      "nologo", "wx",      "def",  "name",         "ltcg",        "help",    "?"};
  return llvm::is_contained(kKnown, name);
}

// A user's -fuse-ld=llvm-lib (the seed's CFLAGS trick: the driver's link
// step makes an archive).
bool isUserLibLinker(llvm::StringRef arg) {
  arg.consume_front("/clang:");
  return arg == "-fuse-ld=llvm-lib" || arg == "-fuse-ld=lib";
}

class MsvcRewriter : RuleRecorder {
public:
  explicit MsvcRewriter(const RewriteInput &in) : in_(in) {}
  llvm::Expected<RewriteResult> run();

private:
  // `flag dir` for each SDK header folder: /imsvc for clang-cl, -isystem for clang.
  void addSdkIncludes(llvm::StringRef flag) {
    std::vector<std::string> flags;
    for (const std::string &dir : in_.sysroot.includeDirs) {
      flags.push_back(flag.str());
      flags.push_back(dir);
    }
    if (!flags.empty())
      add("msvc-sdk-includes", flags);
  }
  llvm::Error filterTarget(size_t &i, bool &drop);
  llvm::Expected<RewriteResult> linker();
  llvm::Expected<RewriteResult> clDriver();
  llvm::Expected<RewriteResult> gnuDriver();
  llvm::Expected<RewriteResult> archiver();
  void routeLinker(bool cl);
  bool routeToArchiver(bool cl, bool dll, bool userLib);

  const RewriteInput &in_;
};

// A --target/-target naming this target is dropped; another one is an error.
llvm::Error MsvcRewriter::filterTarget(size_t &i, bool &drop) {
  drop = false;
  auto option = targetOptionAt(in_.args, i);
  if (!option)
    return llvm::Error::success();
  if (findTarget(option->value) != in_.target)
    return makeError(ExitCode::Usage, "the arguments ask for target '" + option->value.str() +
                                          "' but this is the " + in_.target->rust.str() + " " +
                                          in_.tool->name.str() +
                                          " (use the shim named after the target you want)");
  note("target-flag",
       "dropped " + in_.args[i] + (option->width == 2 ? " " + in_.args[i + 1] : std::string()));
  i += option->width - 1;
  drop = true;
  return llvm::Error::success();
}

// The driver's link step goes through this target's `-link` shim, so the
// SDK's /libpath:, the case-insensitive library names and the removal of the
// bogus -libpath: apply to it as to rustc's links.
void MsvcRewriter::routeLinker(bool cl) {
  if (in_.coffLinkerShim.empty()) {
    note("msvc-link-through-shim", "skipped: no " + in_.target->rust.str() +
                                       "-link could be made (no cache folder); linking with "
                                       "lld-link directly, without the SDK's libraries");
    added_.push_back("-fuse-ld=lld");
    return;
  }
  llvm::StringRef dir = llvm::sys::path::parent_path(in_.coffLinkerShim);
  llvm::StringRef name = llvm::sys::path::filename(in_.coffLinkerShim);
  add("msvc-link-through-shim",
      {"-fuse-ld=" + name.str(), cl ? "/clang:-B" + dir.str() : "-B" + dir.str()});
}

// Whether the driver's link step runs this target's -lib shim (llvm-lib)
// instead of the -link shim: the user asked for it (-fuse-ld=llvm-lib), or a
// cargo build script's C dependency asks for a DLL that rustc could not link
// statically (msvc-dependency-archive). Adds the routing flags when it does.
bool MsvcRewriter::routeToArchiver(bool cl, bool dll, bool userLib) {
  bool archive = userLib;
  if (dll && !userLib && in_.cargoBuildScript) {
    if (in_.keepDll)
      note("msvc-dependency-archive", "skipped: CROSSHIM_MSVC_DLL=1 keeps the DLL");
    else
      archive = true;
  }
  if (!archive)
    return false;
  if (in_.coffLibShim.empty()) {
    note(userLib ? "msvc-link-through-shim" : "msvc-dependency-archive",
         "skipped: no " + in_.target->rust.str() + "-lib could be made (no cache folder); " +
             (userLib ? "the arguments' -fuse-ld=llvm-lib runs llvm-lib directly"
                      : "the DLL is linked"));
    return false;
  }
  llvm::StringRef dir = llvm::sys::path::parent_path(in_.coffLibShim);
  llvm::StringRef name = llvm::sys::path::filename(in_.coffLibShim);
  std::vector<std::string> flags{"-fuse-ld=" + name.str(),
                                 cl ? "/clang:-B" + dir.str() : "-B" + dir.str()};
  if (userLib)
    add("msvc-link-through-shim", flags);
  else
    add("msvc-dependency-archive", flags);
  if (dll)
    note("msvc-dependency-archive",
         "the DLL link makes an archive of its objects (where the import library would go)");
  return true;
}

// llvm-lib: run by hand, or by a driver whose link step was redirected to
// the -lib shim (then it gets lld-link's arguments).
llvm::Expected<RewriteResult> MsvcRewriter::archiver() {
  out_.mode = Mode::Info;
  out_.argv.push_back(in_.program);
  bool dll = false;
  std::string implib;
  size_t outIndex = 0; // in out_.argv; 0 = none
  std::vector<std::string> dropped;
  for (const std::string &arg : in_.args) {
    llvm::StringRef a = arg;
    if (isBogusLibpath(a)) {
      note("msvc-bogus-libpath", "dropped " + arg);
      continue;
    }
    // "/tmp/a-1f2e.obj" (a driver's object) is a path: an option's name has no '/'.
    const bool option =
        (a.startswith("-") || (a.startswith("/") && !a.substr(1).split(':').first.contains('/'))) &&
        !llvm::sys::fs::exists(a);
    if (!option) {
      out_.argv.push_back(arg);
      continue;
    }
    auto [name, value] = a.substr(1).split(':');
    const std::string lower = name.lower();
    if (lower == "dll") {
      dll = true;
      continue;
    }
    if (lower == "implib") {
      implib = value.str();
      continue;
    }
    if (lower == "out")
      outIndex = out_.argv.size();
    if (isLibOption(lower)) {
      out_.argv.push_back(arg);
      continue;
    }
    dropped.push_back(arg);
  }
  if (!dropped.empty())
    note("msvc-dependency-archive",
         "dropped the link options " + shellJoin(dropped) + " (llvm-lib would warn about them)");
  if (dll) {
    // Where the DLL's import library would have gone: the build links that.
    std::string out = outIndex ? llvm::StringRef(out_.argv[outIndex]).substr(5).str() : "";
    std::string archive = implib;
    if (archive.empty() && !out.empty()) {
      llvm::SmallString<256> lib(out);
      llvm::sys::path::replace_extension(lib, ".lib");
      archive = std::string(lib);
    }
    if (!archive.empty()) {
      if (outIndex)
        out_.argv[outIndex] = "-out:" + archive;
      else
        out_.argv.insert(out_.argv.begin() + 1, "-out:" + archive);
    }
    note("msvc-dependency-archive", "made the archive " + archive + " instead of the DLL " +
                                        (out.empty() ? std::string("(no -out:)") : out));
  }
  return std::move(out_);
}

llvm::Expected<RewriteResult> MsvcRewriter::linker() {
  out_.mode = Mode::Link;
  out_.argv.push_back(in_.program);
  std::vector<std::string> sdk;
  for (const std::string &dir : in_.sysroot.libDirs)
    sdk.push_back("/libpath:" + dir);
  if (!sdk.empty()) {
    note("msvc-sdk-libraries", "added " + shellJoin(sdk));
    out_.argv.insert(out_.argv.end(), sdk.begin(), sdk.end());
  }
  for (const std::string &a : in_.args) {
    if (isBogusLibpath(a)) {
      note("msvc-bogus-libpath", "dropped " + a);
      continue;
    }
    out_.argv.push_back(a);
  }
  if (!in_.libAliasDir.empty()) {
    out_.argv.push_back("/libpath:" + in_.libAliasDir);
    note("msvc-library-case", "added /libpath:" + in_.libAliasDir);
  }
  return std::move(out_);
}

// The arguments clang-cl does not understand because they are GCC's; build
// scripts (cc-rs with CFLAGS, autoconf, hand-written ones) pass them anyway.
// `linkArgs` collects what belongs to the link step (after /link).
// Long on purpose: the ordered rule list for clang-cl, one named rule per
// block, in the order they apply to the command.
llvm::Expected<RewriteResult> MsvcRewriter::clDriver() {
  const std::vector<std::string> &args = in_.args;
  std::vector<std::string> user, sources, linkArgs;
  bool compileOnly = false, hasDashDash = false, hasCrtFlag = false, afterLink = false;
  bool dll = false, userLib = false;
  for (size_t i = 0; i < args.size(); ++i) {
    llvm::StringRef a = args[i];
    if (afterLink) { // everything after /link is the linker's
      linkArgs.push_back(a.str());
      continue;
    }
    if (hasDashDash) {
      user.push_back(a.str());
      continue;
    }
    bool drop;
    if (auto err = filterTarget(i, drop))
      return err;
    if (drop)
      continue;
    if (a == "--") {
      hasDashDash = true;
      user.push_back(a.str());
      continue;
    }
    if (clOption(a, "link")) {
      afterLink = true;
      continue;
    }
    if (clOption(a, "c") || clOption(a, "E") || clOption(a, "P") || clOption(a, "EP") ||
        clOption(a, "Zs") || a == "-fsyntax-only" || a == "-S")
      compileOnly = true;
    if (clOption(a, "MT") || clOption(a, "MD") || clOption(a, "MTd") || clOption(a, "MDd"))
      hasCrtFlag = true;
    if (clOption(a, "LD") || clOption(a, "LDd"))
      dll = true;
    if (isUserLibLinker(a)) { // replaced by the -lib shim below
      userLib = true;
      continue;
    }
    if (a == "-x" && i + 1 < args.size() && (args[i + 1] == "c" || args[i + 1] == "c++")) {
      std::string flag = args[i + 1] == "c" ? "/TC" : "/TP";
      note("msvc-gnu-flags", "replaced -x " + args[i + 1] + " by " + flag);
      user.push_back(flag);
      ++i;
      continue;
    }
    if (a == "--param" && i + 1 < args.size()) {
      note("msvc-gnu-flags", "dropped --param " + args[i + 1]);
      ++i;
      continue;
    }
    if (a.startswith("--param=") || a == "-fPIC" || a == "-fpic" || a == "-fPIE" || a == "-fpie" ||
        a == "-pthread" || a == "-pipe" || a == "-rdynamic") {
      note("msvc-gnu-flags", "dropped " + a.str());
      continue;
    }
    if ((a == "-L" || a == "-l") && i + 1 < args.size()) {
      std::string value = args[++i];
      std::string link = a == "-L" ? "/libpath:" + value : value + ".lib";
      note("msvc-gnu-flags", "moved " + a.str() + " " + value + " to the link step as " + link);
      linkArgs.push_back(link);
      continue;
    }
    if ((a.startswith("-L") || a.startswith("-l")) && a.size() > 2) {
      std::string link =
          a.startswith("-L") ? "/libpath:" + a.substr(2).str() : a.substr(2).str() + ".lib";
      note("msvc-gnu-flags", "moved " + a.str() + " to the link step as " + link);
      linkArgs.push_back(link);
      continue;
    }
    if (a.startswith("-Wl,")) {
      llvm::SmallVector<llvm::StringRef, 4> parts;
      a.substr(4).split(parts, ',', -1, false);
      for (llvm::StringRef p : parts)
        linkArgs.push_back(p.str());
      note("msvc-gnu-flags", "moved " + a.str() + " to the link step");
      continue;
    }
    // "/Users/me/a.c" would be read as /U (undefine) "sers/me/a.c".
    if (a.startswith("/") && isSourceFile(a) && llvm::sys::fs::is_regular_file(a)) {
      note("msvc-source-after-dashdash", "moved " + a.str() + " after --");
      sources.push_back(a.str());
      continue;
    }
    user.push_back(a.str());
  }
  out_.mode = compileOnly ? Mode::Compile : Mode::Link;
  const bool link = out_.mode == Mode::Link;
  dll = dll || llvm::any_of(linkArgs, [](const std::string &l) {
          return llvm::StringRef(l).equals_insensitive("/dll") ||
                 llvm::StringRef(l).equals_insensitive("-dll");
        });

  out_.argv.push_back(in_.program);
  add("target-from-name", {"--target=" + in_.target->clang.str()});
  addSdkIncludes("/imsvc");
  if (in_.crtStatic && !hasCrtFlag)
    add("msvc-crt-static", {"/MT"});
  if (!(link && routeToArchiver(/*cl=*/true, dll, userLib))) {
    if (userLib) // kept as it was: llvm-lib runs without the shim
      user.push_back("-fuse-ld=llvm-lib");
    else if (link)
      routeLinker(/*cl=*/true);
  }
  addConfigFlags(in_.settings, /*cxx=*/false, /*link=*/false); // ldflags go after /link
  out_.argv.insert(out_.argv.end(), added_.begin(), added_.end());
  out_.argv.insert(out_.argv.end(), user.begin(), user.end());
  if (link && !in_.settings.ldflags.empty()) {
    note("config-flags", "added ldflags after /link: " + shellJoin(in_.settings.ldflags));
    linkArgs.insert(linkArgs.begin(), in_.settings.ldflags.begin(), in_.settings.ldflags.end());
  }
  if (!sources.empty() && link && !linkArgs.empty() && !hasDashDash) {
    // /link and its options must follow every clang-cl option, and nothing
    // after -- is an option: the sources go in as /Tc<file> or /Tp<file>.
    const bool allCxx = llvm::any_of(user, [](llvm::StringRef a) { return clOption(a, "TP"); });
    const bool allC = llvm::any_of(user, [](llvm::StringRef a) { return clOption(a, "TC"); });
    for (const std::string &src : sources) {
      llvm::StringRef ext = llvm::sys::path::extension(src);
      const bool cxx = allCxx || (!allC && ext != ".c");
      out_.argv.push_back((cxx ? "/Tp" : "/Tc") + src);
      note("msvc-source-after-dashdash",
           "passed " + src + " as " + (cxx ? "/Tp" : "/Tc") + "<file> (the link step has options)");
    }
  } else if (!sources.empty()) {
    if (!hasDashDash)
      out_.argv.push_back("--");
    out_.argv.insert(out_.argv.end(), sources.begin(), sources.end());
  }
  if (!linkArgs.empty()) {
    if (!link) {
      note("msvc-gnu-flags",
           "dropped the link options " + shellJoin(linkArgs) + " (this command does not link)");
    } else {
      out_.argv.push_back("/link");
      out_.argv.insert(out_.argv.end(), linkArgs.begin(), linkArgs.end());
    }
  }
  return std::move(out_);
}

llvm::Expected<RewriteResult> MsvcRewriter::gnuDriver() {
  std::vector<std::string> user;
  bool dll = false, userLib = false;
  for (size_t i = 0; i < in_.args.size(); ++i) {
    bool drop;
    if (auto err = filterTarget(i, drop))
      return err;
    if (drop)
      continue;
    if (isUserLibLinker(in_.args[i])) { // replaced by the -lib shim below
      userLib = true;
      continue;
    }
    if (in_.args[i] == "-shared")
      dll = true;
    user.push_back(in_.args[i]);
  }
  out_.mode = in_.tool->kind == ToolKind::Preprocessor ? Mode::Compile : classifyMode(user);
  const bool link = out_.mode != Mode::Compile;
  out_.argv.push_back(in_.program);
  if (in_.tool->kind == ToolKind::CxxCompiler) {
    out_.argv.push_back("--driver-mode=g++");
    note("driver-mode", "added --driver-mode=g++");
  } else if (in_.tool->kind == ToolKind::Preprocessor) {
    out_.argv.push_back("--driver-mode=cpp");
    note("driver-mode", "added --driver-mode=cpp");
  }
  add("target-from-name", {"--target=" + in_.target->clang.str()});
  addSdkIncludes("-isystem");
  if (!in_.target->cpuFlags.empty())
    add("cpu-defaults",
        std::vector<std::string>(in_.target->cpuFlags.begin(), in_.target->cpuFlags.end()));
  if (!(link && routeToArchiver(/*cl=*/false, dll, userLib))) {
    if (userLib) // kept as it was: llvm-lib runs without the shim
      user.push_back("-fuse-ld=llvm-lib");
    else if (link)
      routeLinker(/*cl=*/false);
  }
  addConfigFlags(in_.settings, in_.tool->kind == ToolKind::CxxCompiler, link);
  return finishDriverCommand(user);
}

llvm::Expected<RewriteResult> MsvcRewriter::run() {
  if (in_.crossTarget)
    for (const char *var :
         {"LIBRARY_PATH", "CPATH", "C_INCLUDE_PATH", "CPLUS_INCLUDE_PATH", "OBJC_INCLUDE_PATH"})
      out_.unsetEnv.push_back(var);
  switch (in_.tool->kind) {
  case ToolKind::CoffLinker:
    return linker();
  case ToolKind::ClCompiler:
    return clDriver();
  case ToolKind::CCompiler:
  case ToolKind::CxxCompiler:
  case ToolKind::Preprocessor:
    return gnuDriver();
  case ToolKind::BinaryTool:
    if (in_.tool->name == "lib")
      return archiver();
    [[fallthrough]];
  default:
    out_.mode = Mode::Info;
    out_.argv.push_back(in_.program);
    out_.argv.insert(out_.argv.end(), in_.args.begin(), in_.args.end());
    return std::move(out_);
  }
}

// Creates `link` -> `target` unless it already points there; concurrent
// callers race safely (a private name, then rename over).
bool ensureSymlink(const std::string &target, const std::string &link) {
  llvm::SmallString<256> existing;
  if (!llvm::sys::fs::real_path(link, existing) && realPath(target) == existing.str())
    return true;
  std::string tmp = link + ".tmp" + std::to_string(getpid());
  llvm::sys::fs::remove(tmp);
  if (llvm::sys::fs::create_link(target, tmp))
    return false;
  if (llvm::sys::fs::rename(tmp, link)) {
    llvm::sys::fs::remove(tmp);
    return false;
  }
  return true;
}

// The /DEFAULTLIB: names in the .drectve sections of an object or of an
// archive's members (diagnostics/coff.h reads them without llvm::object,
// whose createBinary would bring the bitcode reader into every compile).
void scanInput(const std::string &path, std::vector<std::string> &out) {
  diag::forEachCoffInput(path, [&](const diag::CoffInput &input) {
    for (const diag::Directive &d : diag::parseDirectives(input.file.directives))
      if (d.first == "defaultlib")
        out.push_back(d.second);
  });
}

std::string withLibSuffix(llvm::StringRef name) {
  if (llvm::sys::path::has_extension(name))
    return name.str();
  return name.str() + ".lib";
}

} // namespace

llvm::Expected<RewriteResult> rewriteMsvcCommand(const RewriteInput &input) {
  return MsvcRewriter(input).run();
}

std::vector<std::string> msvcRequestedLibraries(llvm::ArrayRef<std::string> args) {
  // lld-link reads @rsp itself, with Windows quoting; so do we, to see the names.
  std::vector<std::string> expanded;
  {
    llvm::BumpPtrAllocator alloc;
    llvm::StringSaver saver(alloc);
    llvm::SmallVector<const char *, 64> argv;
    for (const std::string &a : args)
      argv.push_back(saver.save(a).data());
    llvm::cl::ExpandResponseFiles(saver, llvm::cl::TokenizeWindowsCommandLine, argv);
    expanded.assign(argv.begin(), argv.end());
  }
  std::vector<std::string> names;
  for (llvm::StringRef a : expanded) {
    if (a.startswith_insensitive("/defaultlib:") || a.startswith_insensitive("-defaultlib:")) {
      names.push_back(withLibSuffix(a.substr(strlen("/defaultlib:"))));
      continue;
    }
    if (a.startswith("/") && !llvm::sys::fs::exists(a))
      continue; // an option
    if (a.startswith("-"))
      continue;
    llvm::StringRef ext = llvm::sys::path::extension(a);
    if (ext.equals_insensitive(".lib") && !a.contains('/'))
      names.push_back(a.str());
    if (ext.equals_insensitive(".obj") || ext.equals_insensitive(".o") ||
        ext.equals_insensitive(".lib") || ext.equals_insensitive(".a") ||
        ext.equals_insensitive(".rlib"))
      scanInput(a.str(), names);
  }
  for (std::string &n : names)
    n = withLibSuffix(n);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

MsvcAliases msvcLibraryAliases(llvm::ArrayRef<std::string> requested,
                               llvm::ArrayRef<std::string> libDirs, llvm::StringRef cacheDir) {
  MsvcAliases out;
  if (cacheDir.empty() || libDirs.empty())
    return out;
  // One alias folder per set of SDK directories: a name always means the
  // same file in it, so links running at once can share it.
  llvm::SHA1 sha;
  for (const std::string &d : libDirs) {
    sha.update(d);
    sha.update(llvm::StringRef("\0", 1));
  }
  const std::string dir =
      cacheDir.str() + "/msvc-lib-case/" + llvm::toHex(sha.final()).substr(0, 16);
  // A worklist: a library found in the SDK may ask for more (libcmt.lib's
  // objects name kernel32.lib in their directives).
  std::vector<std::string> work(requested.begin(), requested.end());
  std::set<std::string> seen(work.begin(), work.end());
  auto scanMore = [&](const std::string &path) {
    std::vector<std::string> more;
    scanInput(path, more);
    for (std::string &m : more)
      if (seen.insert(withLibSuffix(m)).second)
        work.push_back(withLibSuffix(m));
  };
  while (!work.empty()) {
    const std::string name = work.back();
    work.pop_back();
    // Found as spelled: lld-link needs no help.
    auto exact = llvm::find_if(
        libDirs, [&](const std::string &d) { return llvm::sys::fs::exists(d + "/" + name); });
    if (exact != libDirs.end()) {
      scanMore(*exact + "/" + name);
      continue;
    }
    for (const std::string &d : libDirs) {
      std::error_code ec;
      std::string match;
      for (llvm::sys::fs::directory_iterator it(d, ec), end; !ec && it != end; it.increment(ec)) {
        if (llvm::sys::path::filename(it->path()).equals_insensitive(name)) {
          match = it->path();
          break;
        }
      }
      if (match.empty())
        continue;
      out.links.push_back({match, dir + "/" + name});
      scanMore(match);
      break;
    }
  }
  if (!out.links.empty() || llvm::sys::fs::is_directory(dir))
    out.dir = dir;
  return out;
}

LinkToMake msvcToolShim(const Target &target, llvm::StringRef tool, llvm::StringRef cacheDir) {
  if (cacheDir.empty())
    return {selfExecutable(), {}};
  return {selfExecutable(), cacheDir.str() + "/msvc-bin/" + target.rust.str() + "-" + tool.str()};
}

void makeLinks(llvm::ArrayRef<LinkToMake> links) {
  for (const LinkToMake &l : links) {
    if (l.link.empty())
      continue;
    if (llvm::sys::fs::create_directories(llvm::sys::path::parent_path(l.link)))
      continue;
    ensureSymlink(l.target, l.link);
  }
}

} // namespace crosshim
