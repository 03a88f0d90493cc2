#include "diagnostics/explain_darwin.h"

#include <llvm/ADT/STLExtras.h>
#include <llvm/ADT/SmallVector.h>
#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/JSON.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>

namespace crosshim::diag {
namespace {

// "[ a, 'b', "c" ]" (possibly spread over lines) -> a b c
void addList(llvm::StringRef list, std::vector<std::string> &out) {
  list = list.trim();
  list.consume_front("[");
  list = list.split(']').first;
  llvm::SmallVector<llvm::StringRef, 32> items;
  list.split(items, ',', -1, false);
  for (llvm::StringRef item : items) {
    item = item.trim().trim("'\"");
    if (!item.empty())
      out.push_back(item.str());
  }
}

std::string readText(const std::string &path) {
  auto buf = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  return buf ? (*buf)->getBuffer().str() : std::string();
}

} // namespace

bool TbdStub::hasArch(llvm::StringRef arch) const {
  return llvm::any_of(
      targets, [&](const std::string &t) { return llvm::StringRef(t).split('-').first == arch; });
}

std::optional<TbdStub> parseTbd(llvm::StringRef text) {
  if (!text.contains("--- !tapi-tbd") && !text.contains("tbd-version") && !text.startswith("---"))
    return std::nullopt;
  TbdStub stub;
  // Flow lists may continue over several lines: gather "key: [ ... ]" until "]".
  llvm::SmallVector<llvm::StringRef, 64> lines;
  text.split(lines, '\n');
  for (size_t i = 0; i < lines.size(); ++i) {
    llvm::StringRef line = lines[i].trim();
    line.consume_front("- ");
    auto [key, value] = line.split(':');
    key = key.trim();
    value = value.trim();
    if (key == "install-name" && stub.installName.empty()) {
      stub.installName = value.trim("'\"").str();
      continue;
    }
    const bool isTargets = key == "targets", isArchs = key == "archs";
    const bool isSymbols = key == "symbols" || key == "objc-classes" || key == "weak-symbols" ||
                           key == "thread-local-symbols" || key == "re-exports";
    if (!isTargets && !isArchs && !isSymbols)
      continue;
    std::string list = value.str();
    while (list.find(']') == std::string::npos && i + 1 < lines.size())
      list += " " + lines[++i].trim().str();
    std::vector<std::string> items;
    addList(list, items);
    if (isTargets) {
      for (std::string &t : items)
        if (!llvm::is_contained(stub.targets, t))
          stub.targets.push_back(t);
    } else if (isArchs) {
      for (std::string &a : items)
        if (!llvm::is_contained(stub.targets, a + "-macos"))
          stub.targets.push_back(a + "-macos");
    } else {
      stub.symbols.insert(items.begin(), items.end());
    }
  }
  if (stub.installName.empty())
    return std::nullopt;
  return stub;
}

std::vector<std::pair<std::string, std::string>> sdkLibraries(llvm::StringRef sdk) {
  std::vector<std::pair<std::string, std::string>> out;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(sdk + "/usr/lib", ec), end; !ec && it != end;
       it.increment(ec)) {
    llvm::StringRef name = llvm::sys::path::filename(it->path());
    if (name.startswith("lib") && name.endswith(".tbd"))
      out.emplace_back(it->path(), "-l" + name.drop_front(3).drop_back(4).str());
  }
  for (llvm::sys::fs::directory_iterator it(sdk + "/System/Library/Frameworks", ec), end;
       !ec && it != end; it.increment(ec)) {
    llvm::StringRef dir = llvm::sys::path::filename(it->path());
    if (!dir.endswith(".framework"))
      continue;
    const std::string name = dir.drop_back(10).str();
    const std::string tbd = it->path() + "/" + name + ".tbd";
    if (llvm::sys::fs::exists(tbd))
      out.emplace_back(tbd, "-framework " + name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

size_t checkMacSdk(llvm::StringRef sdk, llvm::StringRef arch, Report &report) {
  const std::string settings = sdk.str() + "/SDKSettings.json";
  const std::string text = readText(settings);
  if (text.empty()) {
    report.add({"macos-sdk-incomplete",
                Severity::Warning,
                "the SDK has no SDKSettings.json: clang cannot tell its version",
                {{settings, "", "missing"}},
                "use the SDK folder itself (MacOSX<version>.sdk, as Xcode or osxcross ship it)"});
  } else {
    auto json = llvm::json::parse(text);
    const llvm::json::Object *o = json ? json->getAsObject() : nullptr;
    if (!json)
      llvm::consumeError(json.takeError());
    for (const char *key : {"Version", "MaximumDeploymentTarget"})
      if (!o || !o->getString(key))
        report.add({"macos-sdk-incomplete",
                    Severity::Warning,
                    std::string("SDKSettings.json has no \"") + key + "\"" +
                        (llvm::StringRef(key) == "Version"
                             ? ": clang and xcrun cannot tell the SDK's version"
                             : ": clang warns -Wdarwin-sdk-settings (an error with -Werror)"),
                    {{settings, "", std::string("no ") + key}},
                    "use the SDK as Apple ships it (its SDKSettings.json is complete)"});
  }
  const std::string system = sdk.str() + "/usr/lib/libSystem.tbd";
  if (!llvm::sys::fs::exists(system))
    report.add({"macos-sdk-incomplete",
                Severity::Error,
                "the SDK has no usr/lib/libSystem.tbd: every link needs -lSystem",
                {{system, "", "missing"}},
                "point crosshim at a complete MacOSX<version>.sdk"});
  size_t read = 0;
  for (const auto &[path, spelling] : sdkLibraries(sdk)) {
    auto stub = parseTbd(readText(path));
    if (!stub)
      continue;
    ++read;
    if (!stub->hasArch(arch))
      report.add(
          {"macos-tbd-arch-missing",
           path == system ? Severity::Error : Severity::Warning,
           path + " has no " + arch.str() + " slice (" + spelling + " fails in " + arch.str() +
               " links)",
           {{path, "", "targets: " + llvm::join(stub->targets, ", ")}},
           "use an SDK whose stubs list " + arch.str() + "-macos (macOS 11 or newer for arm64)"});
  }
  return read;
}

void explainDarwinLink(llvm::StringRef output, const DarwinLinkContext &context, Report &report) {
  llvm::SmallVector<llvm::StringRef, 64> lines;
  output.split(lines, '\n');
  std::vector<std::string> undefined;
  std::set<std::string> archReported; // .tbd files already named for their architectures
  for (size_t i = 0; i < lines.size(); ++i) {
    llvm::StringRef line = lines[i].trim();
    llvm::StringRef rest = line;
    // ld64.lld: error: undefined symbol: _CFRelease
    size_t at = rest.find("undefined symbol: ");
    if (at != llvm::StringRef::npos && rest.contains("error:")) {
      llvm::StringRef sym = rest.substr(at + 18).trim();
      if (!sym.empty() && !llvm::is_contained(undefined, sym.str()))
        undefined.push_back(sym.str());
      continue;
    }
    // ld64.lld: error: <sdk>/usr/lib/libz.tbd(/usr/lib/libz.1.dylib) is incompatible with arm64
    // (macOS11.0)
    at = rest.find(" is incompatible with ");
    if (at != llvm::StringRef::npos && rest.contains(".tbd")) {
      llvm::StringRef file = rest.substr(0, at);
      size_t colon = file.rfind(": ");
      if (colon != llvm::StringRef::npos)
        file = file.substr(colon + 2);
      const std::string path = file.split('(').first.str();
      if (!archReported.insert(path).second)
        continue;
      report.add({"macos-tbd-arch-missing",
                  Severity::Error,
                  path + " has no " + context.arch +
                      " slice: the SDK's stub lists other "
                      "architectures only",
                  {{path, "", "targets of the .tbd do not include " + context.arch + "-macos"}},
                  "use an SDK whose " + llvm::sys::path::filename(path).str() + " lists " +
                      context.arch +
                      "-macos (a newer macOS SDK for arm64), or drop the "
                      "library from the " +
                      context.arch + " link"});
      continue;
    }
    // ld64.lld: warning: a.o has version 13.0.0, which is newer than target minimum of 11.0.0
    at = rest.find(" which is newer than target minimum of ");
    if (at != llvm::StringRef::npos) {
      llvm::StringRef head = rest.substr(0, at).rtrim(',');
      size_t colon = head.rfind(": ");
      llvm::StringRef what = colon == llvm::StringRef::npos ? head : head.substr(colon + 2);
      llvm::StringRef file = what.split(" has version ").first;
      llvm::StringRef version = what.split(" has version ").second;
      const std::string minimum = rest.substr(at + 39).trim().str();
      report.add({"macos-min-version-newer",
                  Severity::Warning,
                  file.str() + " was built for macOS " + version.str() +
                      ", newer than the link's minimum " + minimum +
                      ": the program may use what older macOS lacks",
                  {{file.str(), "", "built for macOS " + version.str()}},
                  "build every object with the same minimum: MACOSX_DEPLOYMENT_TARGET (or "
                  "-mmacosx-version-min) for the compiles and the link alike"});
    }
  }
  if (undefined.empty())
    return;

  std::vector<std::string> stillUnknown;
  for (const std::string &sym : undefined) {
    if (sym == "___isPlatformVersionAtLeast" || sym == "___isOSVersionAtLeast") {
      report.add({"macos-compiler-rt-missing",
                  Severity::Error,
                  sym + " comes from compiler-rt's macOS builtins (libclang_rt.osx.a), which "
                        "Debian's LLVM does not ship",
                  {{"", sym, "emitted by clang for __builtin_available / @available"}},
                  "avoid __builtin_available in code built here (a runtime check with "
                  "sysctlbyname or dlsym), or give the link a libclang_rt.osx.a from a macOS "
                  "LLVM build"});
      continue;
    }
    stillUnknown.push_back(sym);
  }
  if (stillUnknown.empty() || context.sdk.empty())
    return;
  // Which SDK library exports each one.
  for (const auto &[path, spelling] : sdkLibraries(context.sdk)) {
    if (stillUnknown.empty())
      break;
    auto stub = parseTbd(readText(path));
    if (!stub)
      continue;
    for (auto it = stillUnknown.begin(); it != stillUnknown.end();) {
      if (!stub->symbols.count(*it)) {
        ++it;
        continue;
      }
      const bool named =
          llvm::is_contained(context.arguments, spelling) ||
          (llvm::StringRef(spelling).startswith("-framework ") &&
           llvm::is_contained(context.arguments, llvm::StringRef(spelling).drop_front(11).str()));
      if (!stub->hasArch(context.arch)) {
        if (archReported.insert(path).second)
          report.add({"macos-tbd-arch-missing",
                      Severity::Error,
                      *it + " is in " + path + ", which has no " + context.arch + " slice",
                      {{path, *it, "targets: " + llvm::join(stub->targets, ", ")}},
                      "use an SDK whose stub lists " + context.arch + "-macos"});
      } else if (!named)
        report.add({"macos-library-missing",
                    Severity::Error,
                    *it + " is exported by " + stub->installName +
                        ", which the link does not "
                        "name",
                    {{path, *it, "exported for " + context.arch}},
                    "add " + spelling + " to the link (Rust: println!(\"cargo:rustc-link-" +
                        (llvm::StringRef(spelling).startswith("-l")
                             ? "lib=" + spelling.substr(2)
                             : "lib=framework=" + spelling.substr(11)) +
                        "\"))"});
      it = stillUnknown.erase(it);
    }
  }
}

} // namespace crosshim::diag
