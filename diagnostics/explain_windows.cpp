// Windows (COFF) causes of a link's problems (explain.h): dllimport-mismatch,
// import-library-missing, crt-model-mismatch, and wrong-architecture on COFF
// machine types. Read against the link's own inputs (objects, archives and
// their .drectve directives, coff.h) and the libraries on its search path.
#include "diagnostics/coff.h"
#include "diagnostics/explain.h"

#include <llvm/ADT/STLExtras.h>
#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>

#include <optional>
#include <set>

namespace crosshim::diag {
namespace {

using llvm::StringRef;

bool isFile(const std::string &path) {
  return llvm::sys::fs::is_regular_file(path);
}

// `name` in one of `dirs`, exact spelling first; empty when absent.
std::string findInDirs(StringRef name, llvm::ArrayRef<std::string> dirs) {
  for (const std::string &dir : dirs) {
    std::string path = dir + "/" + name.str();
    if (isFile(path))
      return path;
  }
  return {};
}

// Files in `dirs` whose name is `name` in another case (kernel32.lib for
// KERNEL32.lib): the Windows SDK spells names one way, the code another,
// and Linux file systems tell them apart.
std::vector<std::string> caseInsensitiveMatches(StringRef name, llvm::ArrayRef<std::string> dirs) {
  std::vector<std::string> found;
  for (const std::string &dir : dirs) {
    std::error_code ec;
    for (llvm::sys::fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      StringRef file = llvm::sys::path::filename(it->path());
      if (file != name && file.equals_insensitive(name))
        found.push_back(it->path());
    }
  }
  return found;
}

// The files a link reads: its arguments that are files, -lNAME as MinGW's lld
// resolves it, and lld-link's bare foo.lib and /defaultlib: found on the
// search path.
std::vector<std::string> linkInputs(const LinkContext &context) {
  std::vector<std::string> inputs;
  std::set<std::string> seen;
  auto add = [&](std::string path) {
    if (!path.empty() && seen.insert(path).second)
      inputs.push_back(std::move(path));
  };
  const std::vector<std::string> &args = context.arguments;
  for (size_t i = 0; i < args.size(); ++i) {
    StringRef a = args[i];
    if ((a == "-o" || a == "-L") && i + 1 < args.size()) {
      ++i;
      continue;
    }
    std::string separate; // "-l foo"
    if (a == "-l" && i + 1 < args.size()) {
      separate = "-l" + args[++i];
      a = separate;
    }
    if (a.startswith("-l") && a.size() > 2) {
      StringRef name = a.drop_front(2);
      for (const std::string &file : {"lib" + name.str() + ".dll.a", "lib" + name.str() + ".a",
                               name.str() + ".lib", "lib" + name.str() + ".lib"}) {
        std::string path = findInDirs(file, context.libraryDirs);
        if (!path.empty()) {
          add(path);
          break;
        }
      }
      continue;
    }
    if (isFile(a.str())) {
      add(a.str());
      continue;
    }
    StringRef lib = a;
    if (lib.consume_front_insensitive("/defaultlib:") ||
        lib.consume_front_insensitive("-defaultlib:")) {
      add(findInDirs(lib.endswith_insensitive(".lib") ? lib.str() : lib.str() + ".lib",
                     context.libraryDirs));
      continue;
    }
    if (!a.startswith("-") && !a.startswith("/") && a.endswith_insensitive(".lib"))
      add(findInDirs(a, context.libraryDirs));
  }
  return inputs;
}

// What the link's inputs hold, read once for all events.
struct InputFile {
  std::string path;
  std::string member; // an archive member's name, else empty
  CoffFile coff;

  std::string name() const { return member.empty() ? path : path + "(" + member + ")"; }
};

std::vector<InputFile> readInputs(const LinkContext &context) {
  std::vector<InputFile> files;
  for (const std::string &path : linkInputs(context))
    forEachCoffInput(path, [&](const CoffInput &in) {
      if (in.file.kind != CoffFile::Kind::Image)
        files.push_back({path, in.member, in.file});
    });
  return files;
}

bool defines(const CoffFile &file, StringRef symbol) {
  return llvm::is_contained(file.defined, symbol);
}

// ------------------------------------------------------------ static switch

// Bounds of the header search below: a link's own headers are a few
// hundred files at most; the search must never read a whole disk.
constexpr size_t kMaxHeaders = 2000;
constexpr uint64_t kMaxHeaderBytes = 512 * 1024;
constexpr int kMaxHeaderDepth = 3;

bool isHeaderName(StringRef name) {
  return name.endswith(".h") || name.endswith(".hpp") || name.endswith(".hh") ||
         name.endswith(".hxx");
}

void collectHeaders(const std::string &dir, int depth, std::vector<std::string> &out,
                    std::set<std::string> &seenDirs) {
  llvm::SmallString<256> real;
  if (llvm::sys::fs::real_path(dir, real) || !seenDirs.insert(std::string(real)).second)
    return;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end;
       !ec && it != end && out.size() < kMaxHeaders; it.increment(ec)) {
    StringRef name = llvm::sys::path::filename(it->path());
    if (name.startswith("."))
      continue;
    if (isHeaderName(name) && isFile(it->path()))
      out.push_back(it->path());
    else if (depth > 0 && llvm::sys::fs::is_directory(it->path()))
      collectHeaders(it->path(), depth - 1, out, seenDirs);
  }
}

bool containsWord(StringRef text, StringRef word) {
  for (size_t at = text.find(word); at != StringRef::npos; at = text.find(word, at + 1)) {
    auto isIdent = [](char c) { return llvm::isAlnum(c) || c == '_'; };
    const bool before = at > 0 && isIdent(text[at - 1]);
    const bool after = at + word.size() < text.size() && isIdent(text[at + word.size()]);
    if (!before && !after)
      return true;
  }
  return false;
}

// The macros a header tests in #if/#ifdef/#ifndef/#elif whose names say
// "static" (FOO_STATIC, LIBXML_STATIC, CURL_STATICLIB, ...), in order.
std::vector<std::string> staticMacrosTested(StringRef text) {
  std::vector<std::string> macros;
  llvm::SmallVector<StringRef, 256> lines;
  text.split(lines, '\n');
  for (StringRef line : lines) {
    line = line.ltrim();
    if (!line.consume_front("#"))
      continue;
    line = line.ltrim();
    if (!(line.consume_front("ifdef") || line.consume_front("ifndef") || line.consume_front("if") ||
          line.consume_front("elif")))
      continue;
    for (size_t i = 0; i < line.size();) {
      if (!(llvm::isAlpha(line[i]) || line[i] == '_')) {
        ++i;
        continue;
      }
      size_t j = i;
      while (j < line.size() && (llvm::isAlnum(line[j]) || line[j] == '_'))
        ++j;
      StringRef word = line.slice(i, j);
      if (word.contains("STATIC") && word != "defined" && !llvm::is_contained(macros, word))
        macros.push_back(word.str());
      i = j;
    }
  }
  return macros;
}

// The macro that selects a library's static build, as its own header says:
// a header that declares `symbol`, uses __declspec(dllimport) and tests a
// *STATIC* macro. Looked for where a build keeps its headers: the include/
// next to the defining library and the link's own -L directories (not the
// target's system dirs), -I of the link line, and the link's working
// directory. Nothing is guessed: empty when no such header is found.
struct StaticSwitch {
  std::string macro, header;
};
std::optional<StaticSwitch> findStaticSwitch(StringRef symbol, const LinkContext &context,
                                             llvm::ArrayRef<std::string> userLibDirs) {
  // Nearest the library first: the include/ next to its directory (with
  // subdirectories: include/libxml2/libxml/), then -I, then the link's own
  // directory alone (not below it: other libraries' headers live there).
  std::vector<std::pair<std::string, int>> roots;
  for (const std::string &dir : userLibDirs) {
    roots.emplace_back(llvm::sys::path::parent_path(dir).str() + "/include", kMaxHeaderDepth);
    roots.emplace_back(dir, 0);
  }
  const std::vector<std::string> &args = context.arguments;
  for (size_t i = 0; i < args.size(); ++i) {
    StringRef a = args[i];
    if ((a == "-I" || a == "-isystem") && i + 1 < args.size())
      roots.emplace_back(args[++i], 1);
    else if (a.startswith("-I") && a.size() > 2)
      roots.emplace_back(a.drop_front(2).str(), 1);
  }
  roots.emplace_back(".", 0);
  std::vector<std::string> headers;
  std::set<std::string> seenDirs;
  for (const auto &root : roots)
    collectHeaders(root.first, root.second, headers, seenDirs);
  for (const std::string &header : headers) {
    uint64_t size = 0;
    if (llvm::sys::fs::file_size(header, size) || size > kMaxHeaderBytes)
      continue;
    auto buffer = llvm::MemoryBuffer::getFile(header, /*IsText=*/true);
    if (!buffer)
      continue;
    StringRef text = (*buffer)->getBuffer();
    if (!text.contains("dllimport") || !containsWord(text, symbol))
      continue;
    std::vector<std::string> macros = staticMacrosTested(text);
    if (!macros.empty())
      return StaticSwitch{macros.front(), header};
  }
  return std::nullopt;
}

// The -L directories of the link itself (not the target's own dirs, which
// come after them in libraryDirs).
std::vector<std::string> userLibraryDirs(const LinkContext &context) {
  std::vector<std::string> dirs;
  const std::vector<std::string> &args = context.arguments;
  for (size_t i = 0; i < args.size(); ++i) {
    StringRef a = args[i];
    if (a == "-L" && i + 1 < args.size())
      dirs.push_back(args[++i]);
    else if (a.startswith("-L") && a.size() > 2)
      dirs.push_back(a.drop_front(2).str());
    else if (a.consume_front_insensitive("/libpath:") || a.consume_front_insensitive("-libpath:"))
      dirs.push_back(a.str());
  }
  return dirs;
}

// "compile the caller with -DFOO_STATIC (foo.h tests it before ...)", or,
// without such a header, what the switch does without naming one.
std::string staticSwitchAdvice(StringRef symbol, const LinkContext &context,
                               llvm::ArrayRef<std::string> extraDirs, StringRef what) {
  std::vector<std::string> dirs = userLibraryDirs(context);
  for (const std::string &d : extraDirs)
    dirs.push_back(d);
  if (auto sw = findStaticSwitch(symbol, context, dirs))
    return what.str() + " with -D" + sw->macro + " (" + sw->header + " declares " + symbol.str() +
           " and tests " + sw->macro + " before __declspec(dllimport))";
  return what.str() +
         " with the macro that selects the library's static build (its header "
         "tests it before declaring " +
         symbol.str() + " __declspec(dllimport); see the header that declares " + symbol.str() +
         ")";
}

// A static library libtool made in place of a DLL: lib<name>.a in a .libs
// directory with no lib<name>.dll.a beside it. libtool builds a Windows DLL
// only for libraries linked with -no-undefined, and silently builds the
// static one alone otherwise. Empty when that is not what the files show.
std::string libtoolStaticOnly(StringRef library) {
  StringRef dir = llvm::sys::path::parent_path(library);
  if (llvm::sys::path::filename(dir) != ".libs")
    return {};
  const std::string name = libraryLinkName(llvm::sys::path::filename(library));
  if (name.empty() || isFile(dir.str() + "/lib" + name + ".dll.a"))
    return {};
  return "libtool built no DLL for lib" + name + " (no lib" + name + ".dll.a in " + dir.str() +
         "): on Windows it builds one only when the library is linked with -no-undefined";
}

// How to put a library on the link: -lfoo for MinGW names, the file for the rest.
std::string howToLink(StringRef path) {
  StringRef file = llvm::sys::path::filename(path);
  std::string name = libraryLinkName(file);
  if (!name.empty())
    return "-l" + name;
  return file.str();
}

void addReferences(const LinkerEvent &event, std::vector<Evidence> &evidence) {
  for (const SymbolReference &ref : event.references) {
    std::string where = ref.archive.empty() ? ref.object : ref.archive + "(" + ref.object + ")";
    evidence.push_back({where, event.symbol,
                        "references it" + (ref.function.empty() ? "" : " in " + ref.function)});
    if (evidence.size() == 3)
      break;
  }
}

// ------------------------------------------------------------ dllimport

// "__imp_foo" -> "foo" (i686 MinGW: "__imp__foo" -> "_foo"); GNU ld's
// i386 "_imp__foo" -> "_foo". Empty when `symbol` is not an import name.
StringRef importedName(StringRef symbol) {
  if (symbol.consume_front("__imp_") || symbol.consume_front("_imp_"))
    return symbol;
  return {};
}

bool explainDllImport(const LinkerEvent &event, const SymbolIndex &index,
                      const LinkContext &context, const std::vector<InputFile> &inputs,
                      Report &report) {
  if (event.kind != LinkerEvent::Kind::UndefinedSymbol)
    return false;
  std::string name;
  if (StringRef base = importedName(event.symbol); !base.empty())
    name = base.str();
  else if (StringRef(event.detail).contains("__declspec(dllimport)"))
    name = event.symbol; // lld-link prints the name without __imp_
  else
    return false;
  const std::string imp = "__imp_" + name;

  std::vector<Evidence> evidence;
  addReferences(event, evidence);

  // A static definition on the line: GNU ld does not turn __imp_foo into
  // foo (lld does, with LNK4217), so the import stays undefined.
  for (const InputFile &in : inputs) {
    if (in.coff.kind == CoffFile::Kind::Object && defines(in.coff, name)) {
      evidence.push_back({in.name(), name, "defines it statically (no __imp_ entry)"});
      const std::string libtool = libtoolStaticOnly(in.path);
      if (!libtool.empty())
        evidence.push_back({in.path, "", libtool});
      const std::string dir = llvm::sys::path::parent_path(in.path).str();
      report.add(
          {"dllimport-mismatch", Severity::Error,
           "__imp_" + name + " is undefined: the caller was compiled to import " + name +
               " from a DLL (__declspec(dllimport)), but only a static definition is linked",
           std::move(evidence),
           (libtool.empty() ? std::string()
                            : "add -no-undefined to the library's libtool link flags "
                              "(lib<name>_la_LDFLAGS) so that libtool builds the DLL; or ") +
               staticSwitchAdvice(name, context, {dir.empty() ? "." : dir}, "compile the caller") +
               (libtool.empty() ? ", or link the DLL's import library instead" : "")});
      return true;
    }
  }

  // The search path: an import library that brings in __imp_X, else a
  // static library that defines X.
  std::string importLib, staticLib;
  if (const auto *defs = index.find(imp))
    importLib = defs->front().library;
  if (const auto *defs = index.find(name); defs && importLib.empty())
    staticLib = defs->front().library;
  if (!importLib.empty()) {
    evidence.push_back({importLib, imp, "the import library that provides it"});
    report.add({"dllimport-mismatch", Severity::Error,
                name + " is imported from a DLL (" + imp + ") but its import library " +
                    llvm::sys::path::filename(importLib).str() + " is not linked",
                std::move(evidence),
                "add " + howToLink(importLib) + " to the link (after the objects that use it)"});
    return true;
  }
  if (!staticLib.empty()) {
    evidence.push_back({staticLib, name, "defines it statically; no library provides " + imp});
    const std::string libtool = libtoolStaticOnly(staticLib);
    if (!libtool.empty())
      evidence.push_back({staticLib, "", libtool});
    report.add(
        {"dllimport-mismatch", Severity::Error,
         name + " is imported from a DLL (" + imp + "), but only the static library " +
             llvm::sys::path::filename(staticLib).str() + " defines it",
         std::move(evidence),
         (libtool.empty() ? std::string()
                          : "add -no-undefined to the library's libtool link flags "
                            "(lib<name>_la_LDFLAGS) so that libtool builds the DLL; or ") +
             "link " + howToLink(staticLib) + " and " +
             staticSwitchAdvice(name, context, {llvm::sys::path::parent_path(staticLib).str()},
                                "compile the caller") +
             (libtool.empty() ? "; or build the library as a DLL and link its import "
                                "library"
                              : "")});
    return true;
  }
  return false; // defined nowhere: the general undefined-symbol explanation
}

// ------------------------------------------------------------ import library

bool explainMissingImportLibrary(const LinkerEvent &event, const LinkContext &context,
                                 const std::vector<InputFile> &inputs, Report &report) {
  if (event.kind != LinkerEvent::Kind::CannotOpenFile)
    return false;
  const StringRef name = llvm::sys::path::filename(event.file);
  if (!name.endswith_insensitive(".lib"))
    return false;
  std::vector<Evidence> evidence;
  // Who asked: a /DEFAULTLIB in an object (#pragma comment(lib), the CRT's
  // own), or the command line.
  auto sameLib = [&](StringRef value) {
    return value.equals_insensitive(name) ||
           StringRef(value.str() + ".lib").equals_insensitive(name);
  };
  std::string askedBy;
  for (const InputFile &in : inputs) {
    for (const Directive &d : parseDirectives(in.coff.directives))
      if (d.first == "defaultlib" && sameLib(d.second)) {
        evidence.push_back({in.name(), "", "asks for it: /DEFAULTLIB:" + d.second});
        if (askedBy.empty())
          askedBy = in.name();
        break;
      }
    if (evidence.size() == 3)
      break;
  }
  const std::vector<std::string> matches = caseInsensitiveMatches(name, context.libraryDirs);
  for (const std::string &m : matches)
    evidence.push_back({m, "", "the same name in another case"});
  if (context.libraryDirs.empty())
    evidence.push_back({"", "", "the link has no library search directories (/libpath:, -L, LIB)"});

  std::string message = "the import library " + name.str() + " is not in the link's search path";
  if (!askedBy.empty())
    message += " (" + askedBy + " asks for it)";
  std::string fix;
  if (!matches.empty()) {
    const StringRef found = llvm::sys::path::filename(matches.front());
    message += "; " + found.str() + " exists, spelled in another case";
    fix = "the file system is case-sensitive: name it " + found.str() +
          " in the link, or add a link: ln -s " + found.str() + " " +
          llvm::sys::path::parent_path(matches.front()).str() + "/" + name.str();
  } else {
    fix = "add the directory that holds " + name.str() +
          " to the link (/libpath:DIR for lld-link, -L DIR), or point crosshim at a Windows "
          "SDK and CRT (CROSSHIM_SYSROOT_<TRIPLE>)";
    if (!askedBy.empty())
      fix += "; if the link does not need it, /nodefaultlib:" + name.str();
  }
  report.add(
      {"import-library-missing", Severity::Error, message, std::move(evidence), std::move(fix)});
  return true;
}

// ------------------------------------------------------------ CRT model

// "MT_StaticRelease" -> "/MT", "MDd_DynamicDebug" -> "/MDd".
std::string crtSwitch(StringRef value) {
  StringRef model = value.take_until([](char c) { return c == '_'; });
  if (model.startswith("MT") || model.startswith("MD"))
    return "/" + model.str();
  return {};
}

// The C runtime an object's /DEFAULTLIB picks: libcmt/libucrt/libvcruntime are
// the static (/MT) ones, msvcrt/ucrt/vcruntime the DLL (/MD) ones.
std::string crtOfDefaultLib(StringRef lib) {
  std::string name = lib.lower();
  StringRef n = name;
  n.consume_back(".lib");
  if (n == "libcmt" || n == "libucrt" || n == "libvcruntime" || n == "libcpmt")
    return "/MT";
  if (n == "libcmtd" || n == "libucrtd" || n == "libvcruntimed" || n == "libcpmtd")
    return "/MTd";
  if (n == "msvcrt" || n == "ucrt" || n == "vcruntime" || n == "msvcprt")
    return "/MD";
  if (n == "msvcrtd" || n == "ucrtd" || n == "vcruntimed" || n == "msvcprtd")
    return "/MDd";
  return {};
}

bool explainCrtMismatch(const LinkerEvent &event, const std::vector<InputFile> &inputs,
                        Report &report) {
  if (event.kind != LinkerEvent::Kind::FailIfMismatch)
    return false;
  const std::string &key = event.symbol;
  std::vector<Evidence> evidence;
  std::set<std::string> models;
  for (const InputFile &in : inputs) {
    std::string value, crt;
    for (const Directive &d : parseDirectives(in.coff.directives)) {
      auto [k, v] = StringRef(d.second).split('=');
      if (d.first == "failifmismatch" && k == key)
        value = v.str();
      else if (d.first == "defaultlib" && crt.empty())
        crt = crtOfDefaultLib(d.second);
    }
    if (value.empty())
      continue;
    std::string model = key == "RuntimeLibrary" ? crtSwitch(value) : "";
    if (model.empty())
      model = crt;
    models.insert(value);
    evidence.push_back(
        {in.name(), "", key + "=" + value + (model.empty() ? "" : " (built with " + model + ")")});
  }
  // Inputs not at hand (explain on a log alone): the values lld printed.
  if (evidence.empty())
    for (const SymbolReference &ref : event.references)
      evidence.push_back({ref.archive.empty() ? ref.object : ref.archive + "(" + ref.object + ")",
                          "", key + " differs"});
  if (!event.detail.empty())
    evidence.push_back({"", "", event.detail});
  const bool runtime = key == "RuntimeLibrary";
  report.add({"crt-model-mismatch", Severity::Error,
              runtime
                  ? "objects built for different C runtimes are linked together (/MT: the static "
                    "CRT, /MD: the DLL CRT)"
                  : "objects built with different values of " + key + " are linked together",
              std::move(evidence),
              runtime ? "build every C and C++ object with the same CRT: /MT everywhere (Rust: "
                        "-C target-feature=+crt-static, the cc crate follows it) or /MD everywhere "
                        "(Rust's default); clang-cl takes /MT or /MD"
                      : "build every C and C++ object with the same " + key +
                            " (the same compiler flags and build type)"});
  return true;
}

// ------------------------------------------------------------ machine

// The path of `file` ("b.obj", "foo.lib(x.obj)", an absolute path) among
// the inputs, and that file's machine; kCoffMachineUnknown when not found.
uint16_t machineOf(StringRef file, const std::vector<InputFile> &inputs, std::string &where) {
  StringRef archive = file, member;
  if (file.endswith(")") && file.contains('(')) {
    archive = file.take_front(file.find('('));
    member = file.slice(file.find('(') + 1, file.size() - 1);
  }
  for (const InputFile &in : inputs) {
    const bool samePath = in.path == archive ||
                          llvm::sys::path::filename(in.path) == llvm::sys::path::filename(archive);
    if (!samePath ||
        (!member.empty() && in.member != member && llvm::sys::path::filename(in.member) != member))
      continue;
    where = in.name();
    return in.coff.machine;
  }
  // Not an input we resolved (an ELF object, a path relative to elsewhere).
  std::optional<uint16_t> machine;
  if (isFile(archive.str()))
    forEachCoffInput(archive, [&](const CoffInput &in) {
      if (!machine && (member.empty() || in.member == member)) {
        machine = in.file.machine;
        where = in.member.empty() ? archive.str() : archive.str() + "(" + in.member + ")";
      }
    });
  return machine.value_or(kCoffMachineUnknown);
}

bool explainMachine(const LinkerEvent &event, const LinkContext &context,
                    const std::vector<InputFile> &inputs, Report &report) {
  if (event.kind != LinkerEvent::Kind::MachineConflict &&
      event.kind != LinkerEvent::Kind::IncompatibleInput)
    return false;
  const std::string target = coffMachineName(context.coffMachine);
  std::vector<Evidence> evidence;
  std::string where;
  const uint16_t machine = event.file.empty() ? 0 : machineOf(event.file, inputs, where);
  std::string message;
  if (machine) {
    evidence.push_back({where, "", "COFF machine " + coffMachineName(machine)});
    message = where + " is built for " + coffMachineName(machine) + ", the target (" +
              context.target + ") is " + target;
  } else {
    message = (event.file.empty() ? std::string("an input") : event.file) +
              " is not built for the target (" + context.target + ", " + target + ")";
  }
  // Other inputs with a machine that is not the target's: all of them need rebuilding.
  std::set<std::string> named{where};
  for (const InputFile &in : inputs)
    if (in.coff.machine != context.coffMachine && in.coff.machine != kCoffMachineUnknown &&
        named.insert(in.path).second && evidence.size() < 4)
      evidence.push_back({in.name(), "", "COFF machine " + coffMachineName(in.coff.machine)});
  if (!event.detail.empty())
    evidence.push_back({event.file, "", event.detail});
  report.add({"wrong-architecture", Severity::Error, message, std::move(evidence),
              "rebuild it for " + context.target +
                  " (the crosshim compiler names for that target: CC_<triple>, "
                  "<triple>-cl), or remove it from the link"});
  return true;
}

} // namespace

std::vector<bool> explainWindowsEvents(llvm::ArrayRef<LinkerEvent> events, const SymbolIndex &index,
                                       const LinkContext &context, Report &report) {
  std::vector<bool> done(events.size(), false);
  if (!context.coffMachine)
    return done;
  std::optional<std::vector<InputFile>> inputs; // read when an event needs them
  auto in = [&]() -> const std::vector<InputFile> & {
    if (!inputs)
      inputs = readInputs(context);
    return *inputs;
  };
  std::set<std::string> symbols; // one finding per symbol
  bool crtDone = false;
  for (size_t i = 0; i < events.size(); ++i) {
    const LinkerEvent &e = events[i];
    if (e.warning)
      continue;
    switch (e.kind) {
    case LinkerEvent::Kind::UndefinedSymbol:
      if (importedName(e.symbol).empty() && !StringRef(e.detail).contains("__declspec(dllimport)"))
        break;
      if (!symbols.insert(e.symbol).second)
        done[i] = true;
      else
        done[i] = explainDllImport(e, index, context, in(), report);
      break;
    case LinkerEvent::Kind::CannotOpenFile:
      done[i] = explainMissingImportLibrary(e, context, in(), report);
      break;
    case LinkerEvent::Kind::FailIfMismatch:
      // One finding: lld reports each key once, link.exe each object.
      done[i] = crtDone || explainCrtMismatch(e, in(), report);
      crtDone = true;
      break;
    case LinkerEvent::Kind::MachineConflict:
    case LinkerEvent::Kind::IncompatibleInput:
      done[i] = explainMachine(e, context, in(), report);
      break;
    default:
      break;
    }
  }
  return done;
}

void explainWindowsLinkWarnings(llvm::ArrayRef<LinkerEvent> events, const LinkContext &context,
                                Report &report) {
  if (!context.coffMachine)
    return;
  for (const LinkerEvent &e : events) {
    if (e.kind != LinkerEvent::Kind::LocallyDefinedImported)
      continue;
    // "defined in libcmt.lib(x.obj)": the CRT itself: a /MD object against
    // the static CRT.
    StringRef definedIn = e.detail;
    definedIn.consume_front("defined in ");
    const std::string crt = crtOfDefaultLib(
        llvm::sys::path::filename(definedIn.take_until([](char c) { return c == '('; })));
    std::vector<Evidence> evidence;
    if (!e.file.empty())
      evidence.push_back({e.file, e.symbol, "imports it (__declspec(dllimport))"});
    if (!definedIn.empty())
      evidence.push_back({definedIn.str(), e.symbol, "defines it, statically"});
    if (!crt.empty()) {
      report.add({"crt-model-mismatch", Severity::Warning,
                  e.symbol + " is imported from the CRT DLL (/MD) but the static CRT (/MT) is "
                             "linked",
                  std::move(evidence),
                  "build every C and C++ object with the same CRT: /MT everywhere (Rust: "
                  "+crt-static) or /MD everywhere"});
      continue;
    }
    report.add({"dllimport-mismatch", Severity::Warning,
                e.symbol + " is imported (__declspec(dllimport)) but defined statically in the "
                           "link: lld-link patched the calls through a local pointer (LNK4217)",
                std::move(evidence),
                staticSwitchAdvice(e.symbol, context, {}, "compile the importing object") +
                    ", or link the library as a DLL"});
  }
}

void auditWindowsOutput(StringRef path, uint16_t coffMachine, Report &report) {
  if (!coffMachine || !isFile(path.str()))
    return;
  std::optional<CoffFile> image;
  forEachCoffInput(path, [&](const CoffInput &in) {
    if (in.member.empty() && in.file.kind == CoffFile::Kind::Image)
      image = in.file;
  });
  if (!image || image->machine == coffMachine)
    return;
  report.add({"wrong-architecture",
              Severity::Error,
              path.str() + " is built for " + coffMachineName(image->machine) +
                  ", but the target's machine is " + coffMachineName(coffMachine),
              {{path.str(), "", "PE machine " + coffMachineName(image->machine)}},
              "drop the options that chose another machine (/machine:, -m32, --target) and "
              "link with the target's crosshim name"});
}

} // namespace crosshim::diag
