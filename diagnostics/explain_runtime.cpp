// Runtime-support and code-generation causes of a failed link
// (explain.h: explainRuntimeEvent): atomics-helper-missing,
// float-abi-mismatch, bitcode-version-skew, duplicate-runtime.
#include "diagnostics/explain_runtime.h"

#include "diagnostics/elf.h"
#include "diagnostics/explain.h"
#include "diagnostics/symbol_index.h"

#include <llvm/ADT/STLExtras.h>
#include <llvm/ADT/SmallVector.h>
#include <llvm/ADT/StringExtras.h>
#include <llvm/ADT/StringSwitch.h>
#include <llvm/BinaryFormat/ELF.h>
#include <llvm/Object/ELF.h>
#include <llvm/Support/ARMBuildAttributes.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>

#include <algorithm>
#include <set>

namespace crosshim::diag {

// --- atomics-helper-missing ------------------------------------------------

namespace {

// "_1" .. "_16": the operand size in bytes.
bool isSizeSuffix(llvm::StringRef s) {
  return s == "_1" || s == "_2" || s == "_4" || s == "_8" || s == "_16";
}

// __atomic_OP or __atomic_OP_N: the functions libatomic exports.
bool isLibatomicName(llvm::StringRef name) {
  if (!name.consume_front("__atomic_"))
    return false;
  static const char *const ops[] = {
      "load",      "store",    "exchange",  "compare_exchange", "fetch_add",   "fetch_sub",
      "fetch_and", "fetch_or", "fetch_xor", "fetch_nand",       "add_fetch",   "sub_fetch",
      "and_fetch", "or_fetch", "xor_fetch", "nand_fetch",       "test_and_set"};
  if (name == "is_lock_free" || name == "feraiseexcept")
    return true;
  for (llvm::StringRef op : ops) {
    llvm::StringRef rest = name;
    if (!rest.consume_front(op))
      continue;
    // The generic (size-as-argument) form exists for the whole-object
    // operations only: __atomic_load(size, src, dst, order).
    if (rest.empty())
      return op == "load" || op == "store" || op == "exchange" || op == "compare_exchange";
    if (isSizeSuffix(rest))
      return true;
  }
  return false;
}

bool isSyncName(llvm::StringRef name) {
  if (!name.consume_front("__sync_"))
    return false;
  if (name == "synchronize")
    return true;
  static const char *const ops[] = {
      "fetch_and_add",         "fetch_and_sub",        "fetch_and_or",      "fetch_and_and",
      "fetch_and_xor",         "fetch_and_nand",       "add_and_fetch",     "sub_and_fetch",
      "or_and_fetch",          "and_and_fetch",        "xor_and_fetch",     "nand_and_fetch",
      "bool_compare_and_swap", "val_compare_and_swap", "lock_test_and_set", "lock_release",
      "fetch_and_max",         "fetch_and_min",        "fetch_and_umax",    "fetch_and_umin"};
  for (llvm::StringRef op : ops) {
    llvm::StringRef rest = name;
    if (rest.consume_front(op) && isSizeSuffix(rest))
      return true;
  }
  return false;
}

// __aarch64_<op><size>_<order>, what -moutline-atomics calls.
bool isOutlineAtomicName(llvm::StringRef name) {
  if (!name.consume_front("__aarch64_"))
    return false;
  bool op = false;
  for (llvm::StringRef prefix : {"casp", "cas", "swp", "ldadd", "ldclr", "ldeor", "ldset"})
    if (name.consume_front(prefix)) {
      op = true;
      break;
    }
  if (!op)
    return false;
  size_t underscore = name.find('_');
  if (underscore == llvm::StringRef::npos ||
      !isSizeSuffix(("_" + name.take_front(underscore)).str()))
    return false;
  llvm::StringRef order = name.substr(underscore + 1);
  return order == "relax" || order == "acq" || order == "rel" || order == "acq_rel" ||
         order == "sync";
}

} // namespace

AtomicHelper atomicHelperKind(llvm::StringRef symbol) {
  if (isLibatomicName(symbol))
    return AtomicHelper::Libatomic;
  if (isSyncName(symbol))
    return AtomicHelper::Sync;
  if (isOutlineAtomicName(symbol))
    return AtomicHelper::Outline;
  return AtomicHelper::None;
}

namespace {

bool isDirectory(const std::string &path) {
  return llvm::sys::fs::is_directory(path);
}

// The GNU triples GCC's runtime directories may be named after for a Rust
// triple: armv7-unknown-linux-gnueabihf -> arm-linux-gnueabihf,
// i686-unknown-linux-gnu -> i686-linux-gnu and i386-linux-gnu.
std::vector<std::string> gnuTriples(llvm::StringRef rust) {
  llvm::SmallVector<llvm::StringRef, 4> parts;
  rust.split(parts, '-');
  if (parts.size() < 3)
    return {};
  llvm::StringRef arch = parts.front();
  llvm::StringRef env = parts.back();
  std::vector<std::string> arches;
  if (arch.startswith("arm") || arch.startswith("thumb"))
    arches = {"arm"};
  else if (arch == "i686" || arch == "i586" || arch == "i386")
    arches = {"i686", "i386"};
  else if (arch.startswith("riscv64"))
    arches = {"riscv64"};
  else
    arches = {arch.str()};
  std::vector<std::string> triples;
  for (const std::string &a : arches)
    triples.push_back(a + "-linux-" + env.str());
  return triples;
}

// GCC's per-version runtime directories for the target (libgcc.a,
// libatomic.so): the link gets them from the compiler driver, so they are
// not among the -L directories the shim knows.
std::vector<std::string> gccRuntimeDirs(const LinkContext &context) {
  std::vector<std::string> names = gnuTriples(context.target);
  const std::string root = context.sysroot == "/" ? "" : context.sysroot;
  std::vector<std::string> bases = {root + "/usr/lib/gcc", root + "/usr/lib/gcc-cross"};
  // Debian's cross packages: the sysroot is /usr/<gnu-triple>, GCC's files
  // are the host's /usr/lib/gcc-cross/<gnu-triple>/<version>.
  llvm::StringRef parent = llvm::sys::path::parent_path(context.sysroot);
  if (!root.empty() && parent == "/usr") {
    names.push_back(llvm::sys::path::filename(context.sysroot).str());
    bases.push_back("/usr/lib/gcc-cross");
  }
  std::vector<std::string> dirs;
  std::set<std::string> seen;
  for (const std::string &base : bases)
    for (const std::string &name : names) {
      std::error_code ec;
      const std::string dir = base + "/" + name;
      for (llvm::sys::fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (isDirectory(it->path()) && seen.insert(it->path()).second)
          dirs.push_back(it->path());
    }
  return dirs;
}

// The first lib<name>.so or lib<name>.a in `dirs`; with `runtimeOnly`, a
// lib<name>.so.<N> (the run-time package without the link -l<name> needs).
std::string findLibrary(llvm::ArrayRef<std::string> dirs, llvm::StringRef name,
                        std::string *runtimeOnly = nullptr) {
  for (const std::string &dir : dirs)
    for (llvm::StringRef suffix : {".so", ".a"}) {
      std::string path = dir + "/lib" + name.str() + suffix.str();
      if (llvm::sys::fs::exists(path))
        return path;
    }
  if (runtimeOnly)
    for (const std::string &dir : dirs) {
      std::error_code ec;
      const std::string prefix = "lib" + name.str() + ".so.";
      for (llvm::sys::fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (llvm::sys::path::filename(it->path()).startswith(prefix)) {
          *runtimeOnly = it->path();
          return {};
        }
    }
  return {};
}

bool linksLibrary(const LinkContext &context, llvm::StringRef name) {
  const std::string flag = "-l" + name.str();
  for (llvm::StringRef arg : context.arguments) {
    if (arg == flag || arg.startswith("-l:lib" + name.str() + "."))
      return true;
    llvm::StringRef file = llvm::sys::path::filename(arg);
    if (file == "lib" + name.str() + ".a" || file.startswith("lib" + name.str() + ".so"))
      return true;
    if (arg.startswith("-Wl,")) {
      llvm::SmallVector<llvm::StringRef, 8> parts;
      arg.split(parts, ',');
      if (llvm::is_contained(parts, flag))
        return true;
    }
  }
  return false;
}

// Up to three "referenced by" evidence lines for an undefined symbol.
void addReferences(const LinkerEvent &event, std::vector<Evidence> &evidence) {
  for (const SymbolReference &ref : event.references) {
    std::string where = ref.archive.empty() ? ref.object : ref.archive + "(" + ref.object + ")";
    std::string detail = "referenced" + (ref.function.empty() ? "" : " in " + ref.function);
    if (llvm::any_of(evidence,
                     [&](const Evidence &e) { return e.file == where && e.detail == detail; }))
      continue; // lld lists each call site: one line per function is enough
    evidence.push_back({where, event.symbol, std::move(detail)});
    if (evidence.size() == 3)
      break;
  }
}

bool hasFinding(const Report &report, llvm::StringRef kind,
                llvm::function_ref<bool(const Finding &)> same) {
  return llvm::any_of(report.findings(),
                      [&](const Finding &f) { return f.kind == kind && same(f); });
}

bool explainAtomics(const LinkerEvent &event, const SymbolIndex &index, const LinkContext &context,
                    Report &report) {
  const AtomicHelper helper = atomicHelperKind(event.symbol);
  if (helper == AtomicHelper::None)
    return false;
  // One finding per kind of helper: the linker lists every symbol itself.
  if (hasFinding(report, "atomics-helper-missing", [&](const Finding &f) {
        llvm::StringRef symbol = llvm::StringRef(f.message).split(':').first;
        return symbol.consume_front("undefined symbol ") && atomicHelperKind(symbol) == helper;
      }))
    return true;

  std::vector<Evidence> evidence;
  addReferences(event, evidence);
  std::vector<std::string> dirs = context.libraryDirs;
  for (std::string &dir : gccRuntimeDirs(context))
    dirs.push_back(std::move(dir));

  if (helper == AtomicHelper::Libatomic) {
    std::string runtimeOnly;
    const std::string libatomic = findLibrary(dirs, "atomic", &runtimeOnly);
    const bool linked = linksLibrary(context, "atomic");
    if (!libatomic.empty())
      evidence.push_back({libatomic, "", "libatomic for this target: -latomic links it"});
    else if (!runtimeOnly.empty())
      evidence.push_back({runtimeOnly, "",
                          "only the run-time library: no libatomic.so or libatomic.a for "
                          "-latomic in the search directories"});
    else
      evidence.push_back(
          {"", "", "no libatomic in the link's search directories or GCC's runtime directory"});
    if (const auto *defs = index.find(event.symbol); defs && !defs->empty())
      evidence.push_back(
          {defs->front().library, event.symbol,
           "defined here" +
               (defs->front().version.empty() ? "" : " (" + defs->front().version + ")")});
    std::string message =
        "undefined symbol " + event.symbol +
        ": an atomic operation the compiler could not inline for this CPU (too wide, or no "
        "such instruction) became a call into libatomic, " +
        (linked ? "which is linked but does not provide it" : "which is not linked");
    std::string fix;
    if (linked)
      fix = "check that the libatomic linked is the target's and comes after the objects that "
            "use it";
    else if (!libatomic.empty())
      fix = "add -latomic to the link, after the objects that use it (Rust: "
            "println!(\"cargo:rustc-link-lib=atomic\") in build.rs, or -C link-arg=-latomic)";
    else
      fix = "install libatomic for the target (Debian: libatomic1:<arch> with "
            "libgcc-12-dev:<arch>, or libgcc-12-dev-<arch>-cross for the cross packages), then "
            "add -latomic to the link";
    fix += "; or avoid the operation: narrower atomics, or a -march with the instruction "
           "(x86-64: -mcx16 for 16 bytes, i686 and later for 8 bytes)";
    report.add({"atomics-helper-missing", Severity::Error, std::move(message), std::move(evidence),
                std::move(fix)});
    return true;
  }

  // __sync_* and __aarch64_*: libgcc.a (or compiler-rt's builtins) has them.
  std::string libgcc;
  for (const std::string &dir : dirs)
    if (llvm::sys::fs::exists(dir + "/libgcc.a")) {
      libgcc = dir + "/libgcc.a";
      break;
    }
  bool libgccDefines = false;
  if (!libgcc.empty())
    if (auto buffer = llvm::MemoryBuffer::getFile(libgcc, /*IsText=*/false,
                                                  /*RequiresNullTerminator=*/false))
      libgccDefines = llvm::is_contained(archiveSymbolNames((*buffer)->getBuffer()), event.symbol);
  if (libgccDefines)
    evidence.push_back({libgcc, event.symbol, "defined here; libgcc is not part of this link"});
  else if (!libgcc.empty())
    evidence.push_back({libgcc, event.symbol, "libgcc for this target does not define it"});

  std::string message, fix;
  const std::string nostdlib =
      llvm::any_of(context.arguments,
                   [](llvm::StringRef a) { return a == "-nostdlib" || a == "-nodefaultlibs"; })
          ? " (the link has -nostdlib/-nodefaultlibs)"
          : "";
  if (helper == AtomicHelper::Outline) {
    message = "undefined symbol " + event.symbol +
              ": an outlined __aarch64_ atomic helper (-moutline-atomics, the default of clang "
              "and GCC for AArch64 Linux), which lives in libgcc.a or compiler-rt's builtins, and "
              "the link has neither" +
              nostdlib;
    fix = "link libgcc (drop -nostdlib/-nodefaultlibs, or add -lgcc) or compiler-rt's builtins "
          "(--rtlib=compiler-rt); or compile without outlined atomics: -mno-outline-atomics "
          "(Rust: -C target-feature=-outline-atomics)";
  } else {
    message = "undefined symbol " + event.symbol +
              ": a __sync_ builtin the compiler could not inline for this CPU, which only "
              "libgcc or compiler-rt's builtins provide (not libatomic)" +
              nostdlib;
    fix = "link libgcc (drop -nostdlib/-nodefaultlibs, or add -lgcc) or compiler-rt's builtins "
          "(--rtlib=compiler-rt), where the target has them; or compile for a CPU with the "
          "instruction (-march)";
  }
  report.add({"atomics-helper-missing", Severity::Error, std::move(message), std::move(evidence),
              std::move(fix)});
  return true;
}

// --- float-abi-mismatch ----------------------------------------------------

bool explainFloatAbi(const LinkerEvent &event, const LinkContext &context, Report &report) {
  llvm::StringRef target = context.target;
  const bool armTarget = target.startswith("arm") || target.startswith("thumb");
  const bool hardTarget = armTarget && target.endswith("hf");
  std::vector<Evidence> evidence;
  std::string what;
  if (!event.file.empty()) {
    std::string detail = event.detail;
    if (auto vfp = armVfpArgs(event.file)) {
      what = *vfp == llvm::ARMBuildAttrs::BaseAAPCS     ? "soft-float"
             : *vfp == llvm::ARMBuildAttrs::HardFPAAPCS ? "hard-float"
                                                        : "";
      detail += "; its .ARM.attributes say Tag_ABI_VFP_args = " + std::to_string(*vfp) +
                (what.empty() ? "" : " (" + what + " arguments)");
    }
    evidence.push_back({event.file, "", detail});
  }
  // GNU ld: "A uses VFP register arguments, B does not": B is the other side.
  llvm::StringRef detail = event.detail;
  if (size_t p = detail.find("arguments, "); p != llvm::StringRef::npos) {
    llvm::StringRef other = detail.substr(p + 11);
    size_t end = other.find(" does not");
    other = other.take_front(end);
    if (!other.empty() && end != llvm::StringRef::npos && other != "output")
      evidence.push_back({other.str(), "", "does not use VFP register arguments (soft-float)"});
  }
  if (armTarget)
    evidence.push_back(
        {"", "",
         target.str() + " passes floating-point arguments " +
             (hardTarget ? "in VFP registers (hard-float)" : "in integer registers (soft-float)")});
  std::string subject = event.file.empty() ? "an object" : event.file;
  std::string message =
      what.empty()
          ? subject + " was built for a different ARM float ABI than the rest of the link"
          : subject + " was built for the " + what + " ABI" +
                (armTarget
                     ? ", the target is " + std::string(hardTarget ? "hard-float" : "soft-float")
                     : ", other inputs are not");
  std::string fix =
      hardTarget ? "rebuild " + subject +
                       " for the target's ABI: drop -mfloat-abi=soft/softfp (armhf is "
                       "-mfloat-abi=hard), or take the armhf build of the library; a soft-float "
                       "program needs a soft-float target (arm-unknown-linux-gnueabi) and its "
                       "libraries"
      : armTarget ? "rebuild " + subject +
                        " with the target's -mfloat-abi=soft (or softfp), or link for the "
                        "hard-float target (armv7-unknown-linux-gnueabihf) with its libraries"
                  : "build every object and library with one -mfloat-abi";
  report.add({"float-abi-mismatch", Severity::Error, std::move(message), std::move(evidence),
              std::move(fix)});
  return true;
}

// --- bitcode-version-skew --------------------------------------------------

// "Producer: 'LLVM16.0.6' Reader: 'LLVM 14.0.6'" -> the quoted value after `key`.
std::string quotedAfter(llvm::StringRef text, llvm::StringRef key) {
  size_t p = text.find(key);
  if (p == llvm::StringRef::npos)
    return {};
  llvm::StringRef rest = text.substr(p + key.size());
  size_t end = rest.find('\'');
  return end == llvm::StringRef::npos ? std::string() : rest.take_front(end).str();
}

// The smallest Debian LLVM prefix with an ld.lld that reads bitcode from
// LLVM `major`: /usr/lib/llvm-16.
std::string installedLldAtLeast(unsigned major) {
  for (unsigned v = major; v < major + 20; ++v) {
    std::string prefix = "/usr/lib/llvm-" + std::to_string(v);
    if (llvm::sys::fs::can_execute(prefix + "/bin/ld.lld"))
      return prefix;
  }
  return {};
}

// The first KiB of a file (enough for the bitcode magic and the
// IDENTIFICATION block); empty when it cannot be read.
std::string fileHead(const std::string &path) {
  uint64_t size = 0;
  if (path.empty() || llvm::sys::fs::file_size(path, size) || size == 0)
    return {};
  auto head = llvm::MemoryBuffer::getFileSlice(path, std::min<uint64_t>(size, 4096), 0);
  return head ? (*head)->getBuffer().str() : std::string();
}

bool isBitcode(llvm::StringRef bytes) {
  return bytes.startswith("BC\xC0\xDE") || bytes.startswith("\xDE\xC0\x17\x0B");
}

// `unreadable`: the linker took the bitcode for an unknown file format (GNU
// ld without an LTO plugin says "file format not recognized").
bool explainBitcode(const LinkerEvent &event, bool unreadable, Report &report) {
  std::string producer = quotedAfter(event.detail, "Producer: '");
  const std::string reader = quotedAfter(event.detail, "Reader: '");
  bool fromFile = false;
  if (producer.empty()) {
    // GNU ld and gold do not say who wrote the bitcode: the file does.
    producer = bitcodeProducer(fileHead(event.file));
    fromFile = !producer.empty();
  }
  const std::optional<unsigned> made = llvmMajorVersion(producer);
  const std::optional<unsigned> read = llvmMajorVersion(reader);
  // Same or older producer: damaged bitcode, not a version skew.
  if (made && read && *made <= *read)
    return false;
  const bool noPlugin =
      unreadable || llvm::StringRef(event.detail).contains("plugin needed to handle lto");
  if (!made && !noPlugin && reader.empty())
    return false;

  std::vector<Evidence> evidence;
  const std::string subject = event.file.empty() ? "an LTO input" : event.file;
  evidence.push_back({event.file, "",
                      producer.empty() ? "LLVM bitcode (LTO object)"
                                       : "LLVM bitcode written by " + producer +
                                             (fromFile ? " (its IDENTIFICATION block)" : "")});
  if (!reader.empty())
    evidence.push_back({"", "", "the linker's LTO reads bitcode up to " + reader});
  else if (noPlugin)
    evidence.push_back({"", "", "the linker: " + event.detail});

  std::string message =
      noPlugin && reader.empty()
          ? subject + " is LLVM bitcode (-flto" + (producer.empty() ? "" : ", " + producer) +
                ") and the linker cannot read bitcode (no LTO plugin)"
          : subject + " is LLVM bitcode from " + (producer.empty() ? "a newer LLVM" : producer) +
                ", newer than the linker's " + (reader.empty() ? "LLVM" : reader);
  std::string fix;
  if (llvm::StringRef(producer).contains("rust"))
    fix = "link with an lld at least as new as rustc's LLVM: rustup's rust-lld (crosshim keeps "
          "rustup's -fuse-ld=lld unless crosshim.toml says rust-lld = \"replace\"), or ";
  else
    fix = std::string("link with ") +
          (noPlugin ? "ld.lld (what crosshim's names use) " : "an lld ") +
          "at least as new as the compiler that wrote it: ";
  if (made) {
    std::string prefix = installedLldAtLeast(*made);
    if (!prefix.empty())
      fix += "llvm = \"" + prefix + "\" in crosshim.toml or CROSSHIM_LLVM=" + prefix;
    else
      fix += "install lld-" + std::to_string(*made) +
             " (or newer) and name it with llvm = " + "\"/usr/lib/llvm-" + std::to_string(*made) +
             "\" in crosshim.toml";
  } else {
    fix += "llvm = \"/usr/lib/llvm-<N>\" in crosshim.toml or CROSSHIM_LLVM";
  }
  fix += "; or build without LTO (drop -flto; Rust: drop -C linker-plugin-lto)";
  report.add({"bitcode-version-skew", Severity::Error, std::move(message), std::move(evidence),
              std::move(fix)});
  return true;
}

// --- duplicate-runtime -----------------------------------------------------

bool explainDuplicate(const LinkerEvent &event, Report &report) {
  if (!isRustRuntimeSymbol(event.symbol))
    return false;
  // The two (or more) files that define it: archives when the definitions
  // are archive members, else the objects.
  std::vector<std::pair<std::string, std::string>> holders; // file, member
  for (const SymbolReference &ref : event.references) {
    std::string file = ref.archive.empty() ? ref.object : ref.archive;
    if (file.empty() || llvm::any_of(holders, [&](const auto &h) { return h.first == file; }))
      continue;
    holders.emplace_back(file, ref.archive.empty() ? "" : ref.object);
  }
  if (holders.size() < 2)
    return false; // one library defining it twice is not two runtimes
  const std::string &a = holders[0].first, &b = holders[1].first;
  // lld stops after 20 errors, most of them std's symbols: one finding per pair.
  if (hasFinding(report, "duplicate-runtime", [&](const Finding &f) {
        return f.evidence.size() >= 2 && ((f.evidence[0].file == a && f.evidence[1].file == b) ||
                                          (f.evidence[0].file == b && f.evidence[1].file == a));
      }))
    return true;
  std::vector<Evidence> evidence;
  for (const auto &[file, member] : holders)
    evidence.push_back({file, event.symbol,
                        "a copy of the Rust runtime (std)" +
                            (member.empty() ? "" : ": defined in its member " + member)});
  report.add(
      {"duplicate-runtime", Severity::Error,
       "two Rust static libraries each carry their own copy of the Rust standard library: " +
           llvm::sys::path::filename(a).str() + " and " + llvm::sys::path::filename(b).str() +
           " both define " + event.symbol,
       std::move(evidence),
       "link one Rust staticlib: a wrapper crate that depends on both (as rlibs, re-exporting "
       "their extern \"C\" functions) built as the only staticlib, or build them as cdylibs. "
       "(Without -C lto the linker may take one std from each archive silently; with it each "
       "staticlib is one object and both copies collide.)"});
  return true;
}

} // namespace

bool isRustRuntimeSymbol(llvm::StringRef symbol) {
  static const char *const exact[] = {"rust_eh_personality", "rust_begin_unwind", "rust_panic",
                                      "__rust_probestack"};
  if (llvm::is_contained(exact, symbol))
    return true;
  // The allocator shims and the panic runtime's entry points.
  for (llvm::StringRef prefix : {"__rust_", "__rdl_", "__rg_", "__rdg_"})
    if (symbol.startswith(prefix))
      return true;
  // std's own items, mangled (legacy _ZN, v0 _R) or demangled.
  for (llvm::StringRef prefix :
       {"_ZN3std", "_ZN4core", "_ZN5alloc", "_ZN12panic_unwind",
        "std::", "core::", "alloc::", "panic_unwind::", "<std::", "<core::", "<alloc::"})
    if (symbol.startswith(prefix))
      return true;
  if (symbol.startswith("_R") && (symbol.contains("3std") || symbol.contains("4core")))
    return true;
  return symbol.startswith("<") && (symbol.contains(" as core::") || symbol.contains(" as std::") ||
                                    symbol.contains(" as alloc::"));
}

// --- reading files ---------------------------------------------------------

std::optional<unsigned> llvmMajorVersion(llvm::StringRef producer) {
  size_t p = producer.find("LLVM");
  if (p == llvm::StringRef::npos)
    return std::nullopt;
  llvm::StringRef rest = producer.substr(p + 4).ltrim(' ');
  llvm::StringRef digits = rest.take_while(llvm::isDigit);
  unsigned major;
  if (digits.empty() || digits.size() > 4 || digits.getAsInteger(10, major))
    return std::nullopt;
  return major;
}

namespace {

// Just enough of the LLVM bitstream format (llvm.org/docs/BitCodeFormat.html)
// to read the first block: abbreviation ids, VBR fields, DEFINE_ABBREV and
// abbreviated or unabbreviated records. Every read is bounds-checked; a read
// past the end sets `bad` and returns 0.
//
// Why not llvm::BitstreamCursor: LLVM 14's reader ends the process
// ("LLVM ERROR: Invalid encoding", report_fatal_error) on an abbreviation
// with an unknown encoding, and the files read here are whatever a failed
// link named. RuntimeBitcode.MalformedBitcodeGivesNothing feeds such bytes;
// with BitstreamCursor that test aborts.
class BitReader {
public:
  explicit BitReader(llvm::StringRef bytes) : bytes_(bytes) {}

  uint64_t fixed(unsigned width) {
    uint64_t value = 0;
    for (unsigned i = 0; i < width; ++i, ++bit_) {
      if (bit_ / 8 >= bytes_.size()) {
        bad = true;
        return 0;
      }
      if ((static_cast<unsigned char>(bytes_[bit_ / 8]) >> (bit_ % 8)) & 1)
        value |= uint64_t(1) << i;
    }
    return value;
  }

  uint64_t vbr(unsigned width) {
    uint64_t value = 0;
    const uint64_t more = uint64_t(1) << (width - 1);
    for (unsigned shift = 0; shift < 64 && !bad; shift += width - 1) {
      uint64_t chunk = fixed(width);
      value |= (chunk & (more - 1)) << shift;
      if (!(chunk & more))
        return value;
    }
    bad = true; // longer than 64 bits
    return 0;
  }

  void align32() { bit_ = (bit_ + 31) / 32 * 32; }
  size_t bit() const { return bit_; }

  bool bad = false;

private:
  llvm::StringRef bytes_;
  size_t bit_ = 0;
};

struct AbbrevOp {
  enum Encoding { Literal = 0, Fixed = 1, Vbr = 2, Array = 3, Char6 = 4, Blob = 5 };
  Encoding encoding = Literal;
  uint64_t value = 0; // the literal, or the width of Fixed and Vbr
};

char char6(uint64_t v) {
  if (v < 26)
    return static_cast<char>('a' + v);
  if (v < 52)
    return static_cast<char>('A' + v - 26);
  if (v < 62)
    return static_cast<char>('0' + v - 52);
  return v == 62 ? '.' : '_';
}

uint64_t readScalar(BitReader &in, const AbbrevOp &op) {
  switch (op.encoding) {
  case AbbrevOp::Literal:
    return op.value;
  case AbbrevOp::Fixed:
    if (op.value <= 64)
      return in.fixed(static_cast<unsigned>(op.value));
    break;
  case AbbrevOp::Vbr:
    if (op.value >= 2 && op.value <= 32)
      return in.vbr(static_cast<unsigned>(op.value));
    break;
  case AbbrevOp::Char6: // a character: decoded here
    return static_cast<unsigned char>(char6(in.fixed(6)));
  default:
    break;
  }
  in.bad = true;
  return 0;
}

constexpr size_t kMaxProducer = 256;  // characters kept
constexpr size_t kMaxOperands = 4096; // per record, bounds the work on hostile input

} // namespace

std::string bitcodeProducer(llvm::StringRef bytes) {
  bytes = bytes.take_front(64 * 1024);
  // The wrapper (Darwin, some embedded bitcode): magic 0x0B17C0DE, version,
  // offset, size, cputype; the bitcode proper starts at `offset`.
  if (bytes.size() >= 20 && bytes.startswith("\xDE\xC0\x17\x0B")) {
    auto word = [&](size_t at) {
      return uint32_t(static_cast<unsigned char>(bytes[at])) |
             uint32_t(static_cast<unsigned char>(bytes[at + 1])) << 8 |
             uint32_t(static_cast<unsigned char>(bytes[at + 2])) << 16 |
             uint32_t(static_cast<unsigned char>(bytes[at + 3])) << 24;
    };
    uint32_t offset = word(8), size = word(12);
    if (offset >= bytes.size())
      return {};
    bytes = bytes.substr(offset, size);
  }
  if (!bytes.startswith("BC\xC0\xDE"))
    return {};
  BitReader in(bytes.substr(4));
  // Top level: abbreviation width 2; ENTER_SUBBLOCK is id 1.
  if (in.fixed(2) != 1)
    return {};
  const uint64_t blockId = in.vbr(8);
  const uint64_t width = in.vbr(4);
  in.align32();
  in.fixed(32); // the block's length in words
  constexpr uint64_t kIdentificationBlock = 13, kStringRecord = 1;
  if (in.bad || blockId != kIdentificationBlock || width < 2 || width > 32)
    return {};

  std::vector<std::vector<AbbrevOp>> abbrevs;
  for (unsigned records = 0; records < 64 && !in.bad; ++records) {
    const uint64_t id = in.fixed(static_cast<unsigned>(width));
    if (id == 0 || id == 1) // END_BLOCK, or a nested block: no producer string here
      return {};
    if (id == 2) { // DEFINE_ABBREV
      std::vector<AbbrevOp> ops;
      const uint64_t n = in.vbr(5);
      if (n == 0 || n > 64)
        return {};
      for (uint64_t i = 0; i < n && !in.bad; ++i) {
        AbbrevOp op;
        if (in.fixed(1)) {
          op.value = in.vbr(8);
        } else {
          const uint64_t encoding = in.fixed(3);
          if (encoding < AbbrevOp::Fixed || encoding > AbbrevOp::Blob)
            return {};
          op.encoding = static_cast<AbbrevOp::Encoding>(encoding);
          if (op.encoding == AbbrevOp::Fixed || op.encoding == AbbrevOp::Vbr)
            op.value = in.vbr(5);
        }
        ops.push_back(op);
      }
      abbrevs.push_back(std::move(ops));
      continue;
    }
    uint64_t code;
    std::vector<uint64_t> values;
    if (id == 3) { // UNABBREV_RECORD: code, count, operands, all vbr6
      code = in.vbr(6);
      const uint64_t n = in.vbr(6);
      if (n > kMaxOperands)
        return {};
      for (uint64_t i = 0; i < n && !in.bad; ++i)
        values.push_back(in.vbr(6));
    } else {
      if (id - 4 >= abbrevs.size())
        return {};
      const std::vector<AbbrevOp> &ops = abbrevs[id - 4];
      if (ops.front().encoding == AbbrevOp::Array || ops.front().encoding == AbbrevOp::Blob)
        return {};
      code = readScalar(in, ops.front());
      for (size_t i = 1; i < ops.size() && !in.bad; ++i) {
        if (ops[i].encoding == AbbrevOp::Array) {
          if (i + 1 >= ops.size())
            return {};
          const uint64_t n = in.vbr(6);
          if (n > kMaxOperands)
            return {};
          for (uint64_t k = 0; k < n && !in.bad; ++k)
            values.push_back(readScalar(in, ops[i + 1]));
          ++i; // the element type was used up
        } else if (ops[i].encoding == AbbrevOp::Blob) {
          const uint64_t n = in.vbr(6);
          if (n > kMaxOperands)
            return {};
          in.align32();
          for (uint64_t k = 0; k < n && !in.bad; ++k)
            values.push_back(in.fixed(8));
          in.align32();
        } else {
          values.push_back(readScalar(in, ops[i]));
        }
      }
    }
    if (in.bad)
      return {};
    if (code != kStringRecord)
      continue;
    std::string producer;
    for (uint64_t v : values) {
      if (producer.size() == kMaxProducer)
        break;
      // Printable ASCII only: the string ends up in reports and JSON.
      producer.push_back(v >= 0x20 && v < 0x7f ? static_cast<char>(v) : '?');
    }
    return producer;
  }
  return {};
}

std::optional<unsigned> armVfpArgs(llvm::StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return std::nullopt;
  auto attributes = readArmAttributes((*buffer)->getBuffer());
  return attributes ? attributes->vfpArgs : std::nullopt;
}

// --- unwinder-missing, cxx-stdlib-mix, openmp-runtime-missing, wrong-linker

namespace {

bool hasArgument(const LinkContext &context, llvm::function_ref<bool(llvm::StringRef)> pred) {
  return llvm::any_of(context.arguments, [&](const std::string &a) { return pred(a); });
}

// The C++ standard library the link uses: LLVM's libc++ when it is asked
// for (-stdlib=libc++, -lc++, a libc++ file), else GCC's libstdc++ (what
// clang uses on Linux and MinGW by default).
bool linksLibcxx(const LinkContext &context) {
  return hasArgument(context, [](llvm::StringRef a) {
    return a == "-stdlib=libc++" || a == "-lc++" || a.startswith("-l:libc++.") ||
           llvm::sys::path::filename(a).startswith("libc++.");
  });
}

bool staticLink(const LinkContext &context) {
  return hasArgument(context, [](llvm::StringRef a) {
    return a == "-static" || a == "-static-pie" || a == "-static-libgcc";
  });
}

// The symbols of the unwinder interface (libgcc_s, libgcc_eh, LLVM's libunwind).
bool isUnwinderSymbol(llvm::StringRef symbol) {
  symbol = symbol.split('@').first;
  return symbol.startswith("_Unwind_");
}

bool explainUnwinder(const LinkerEvent &event, const SymbolIndex &index, const LinkContext &context,
                     Report &report) {
  if (!isUnwinderSymbol(event.symbol))
    return false;
  const std::string symbol = event.symbol.substr(0, event.symbol.find('@'));
  // One finding for all of them: the other _Unwind_ names only add evidence.
  for (const Finding &f : report.findings())
    if (f.kind == "unwinder-missing")
      return true;
  std::vector<Evidence> evidence;
  addReferences(event, evidence);
  std::vector<std::string> dirs = context.libraryDirs;
  for (std::string &d : gccRuntimeDirs(context))
    dirs.push_back(std::move(d));
  const bool libcxx = linksLibcxx(context);
  const bool isStatic = staticLink(context);
  std::string fix;
  if (context.libc == Libc::Musl) {
    fix = "musl links through crosshim use compiler-rt, which has no unwinder: link one built for "
          "the target (LLVM's libunwind: -lunwind), or build without exceptions/unwinding (Rust: "
          "panic=abort)";
  } else if (libcxx) {
    std::string unwind = findLibrary(dirs, "unwind");
    if (!unwind.empty())
      evidence.push_back({unwind, "", "LLVM's unwinder, in the link's search directories"});
    fix = std::string("libc++ unwinds through LLVM's libunwind or libgcc's unwinder: add ") +
          (unwind.empty() ? "-lgcc_s (or -lunwind once a libunwind for the target is installed)"
                          : "-lunwind") +
          " after the objects (clang++ -stdlib=libc++ adds it unless -nodefaultlibs or "
          "-nostdlib is given)";
  } else {
    // libstdc++ (and C with -fexceptions) is built against libgcc's unwinder:
    // libgcc_s.so.1 for a dynamic link, libgcc_eh.a for a static one. Never
    // LLVM's libunwind, even when the search directories have one.
    const char *lib = isStatic ? "gcc_eh" : "gcc_s";
    std::string found = findLibrary(dirs, lib);
    std::string runtime;
    if (found.empty() && !isStatic)
      findLibrary(dirs, lib, &runtime);
    if (!found.empty())
      evidence.push_back(
          {found, "", std::string("libgcc's ") + (isStatic ? "static" : "shared") + " unwinder"});
    else if (!runtime.empty())
      evidence.push_back({runtime, "", "libgcc's shared unwinder (run-time file)"});
    const bool noDefaults = hasArgument(context, [](llvm::StringRef a) {
      return a == "-nodefaultlibs" || a == "-nostdlib" || a == "-nostdlib++";
    });
    fix = std::string("libstdc++ unwinds through libgcc's unwinder: add -l") + lib +
          " after -lstdc++" + (isStatic ? " (the static link's unwinder)" : " (libgcc_s.so.1)") +
          (noDefaults ? ", or drop -nodefaultlibs/-nostdlib, which removed it (g++ and clang++ "
                        "add it by default)"
                      : "") +
          (found.empty() && runtime.empty()
               ? "; install libgcc-<N>-dev for the target, which provides it"
               : "");
  }
  report.add({"unwinder-missing", Severity::Error,
              "undefined symbol " + symbol +
                  ": the stack unwinder that C++ exceptions (or Rust "
                  "panics) need is not linked" +
                  (libcxx ? " (the link uses libc++)" : ""),
              std::move(evidence), fix});
  return true;
}

// An undefined symbol of one C++ standard library in a link that uses the
// other: objects compiled with -stdlib=libc++ (inline namespace std::__1)
// linked against libstdc++, or libstdc++ objects (std::__cxx11 names)
// linked against libc++.
bool explainStdlibMix(const LinkerEvent &event, const LinkContext &context, Report &report) {
  llvm::StringRef sym = event.symbol;
  const bool wantsLibcxx = sym.contains("std::__1::") || sym.contains("NSt3__1");
  const bool wantsLibstdcxx = sym.contains("std::__cxx11::") || sym.contains("NSt7__cxx11");
  if (!wantsLibcxx && !wantsLibstdcxx)
    return false;
  const bool libcxx = linksLibcxx(context);
  if (wantsLibcxx == libcxx)
    return false; // the right library is linked: some other cause
  for (const Finding &f : report.findings())
    if (f.kind == "cxx-stdlib-mix")
      return true; // one finding; thousands of names follow from one cause
  std::vector<Evidence> evidence;
  addReferences(event, evidence);
  const std::string objects = wantsLibcxx ? "LLVM's libc++ (-stdlib=libc++: names in std::__1)"
                                          : "GCC's libstdc++ (names in std::__cxx11)";
  const std::string linked = libcxx ? "libc++" : "libstdc++ (the default of g++ and clang++)";
  report.add({"cxx-stdlib-mix", Severity::Error,
              "undefined symbol " + event.symbol + ": an object was compiled against " + objects +
                  ", but the link uses " + linked,
              std::move(evidence),
              wantsLibcxx ? "build every C++ object and library with the same standard library: "
                            "recompile those objects without -stdlib=libc++, or link with "
                            "-stdlib=libc++ (and a libc++ built for the target)"
                          : "build every C++ object and library with the same standard library: "
                            "recompile those objects with -stdlib=libc++, or link without "
                            "-stdlib=libc++ (libstdc++)"});
  return true;
}

// -fopenmp alone makes clang link LLVM's OpenMP runtime (-lomp). A target
// without one fails with "unable to find library -lomp", or takes the build
// machine's libomp.so from clang's own lib dir ("incompatible"). GCC's
// libgomp is often there for the target: -fopenmp=libgomp uses it.
bool explainOpenmp(const LinkerEvent &event, const LinkContext &context, Report &report) {
  const bool missing = event.kind == LinkerEvent::Kind::UnableToFindLibrary &&
                       (event.file == "omp" || event.file == "iomp5");
  llvm::StringRef file = llvm::sys::path::filename(event.file);
  const bool foreign = event.kind == LinkerEvent::Kind::IncompatibleInput &&
                       (file.startswith("libomp.") || file.startswith("libiomp5."));
  if (!missing && !foreign)
    return false;
  const bool fopenmp = hasArgument(context, [](llvm::StringRef a) {
    return a == "-fopenmp" || a == "-fopenmp=libomp" || a == "-fopenmp=libiomp5";
  });
  std::vector<Evidence> evidence;
  if (foreign)
    evidence.push_back({event.file, "",
                        event.detail + ": LLVM's OpenMP runtime of the build "
                                       "machine, not the target's"});
  else
    evidence.push_back({"", "", "no libomp for the target in the link's search directories"});
  std::vector<std::string> dirs = context.libraryDirs;
  for (std::string &d : gccRuntimeDirs(context))
    dirs.push_back(std::move(d));
  std::string gomp = findLibrary(dirs, "gomp");
  if (!gomp.empty())
    evidence.push_back({gomp, "", "GCC's OpenMP runtime for the target"});
  std::string fix;
  if (!gomp.empty())
    fix = std::string("compile and link with -fopenmp=libgomp (GCC's runtime, which this target "
                      "has)") +
          (fopenmp ? " instead of -fopenmp" : "") +
          ", or install LLVM's OpenMP runtime built for the target and give its directory with -L";
  else
    fix = "install an OpenMP runtime built for the target (LLVM's libomp, or GCC's libgomp with "
          "-fopenmp=libgomp) and give its directory with -L";
  report.add(
      {"openmp-runtime-missing", Severity::Error,
       std::string(fopenmp ? "-fopenmp links LLVM's OpenMP runtime (-lomp), and " : "") +
           (foreign ? "the only libomp the linker finds is the build machine's"
                    : "there is no libomp for " +
                          (context.target.empty() ? std::string("the target") : context.target)),
       std::move(evidence), fix});
  return true;
}

// The target's ELF machine, from the Rust/clang triple; 0 when unknown.
uint16_t elfMachineOf(llvm::StringRef triple) {
  llvm::StringRef arch = triple.split('-').first;
  if (arch == "x86_64")
    return llvm::ELF::EM_X86_64;
  if (arch == "i686" || arch == "i586" || arch == "i386")
    return llvm::ELF::EM_386;
  if (arch == "aarch64")
    return llvm::ELF::EM_AARCH64;
  if (arch.startswith("arm") || arch.startswith("thumb"))
    return llvm::ELF::EM_ARM;
  if (arch.startswith("riscv64"))
    return llvm::ELF::EM_RISCV;
  if (arch.startswith("powerpc64"))
    return llvm::ELF::EM_PPC64;
  if (arch == "s390x")
    return llvm::ELF::EM_S390;
  return 0;
}

// "incompatible" / "unsupported ELF machine" for an input that IS built for
// the target: the linker that ran is not one for the target (-fuse-ld=gold
// or bfd runs the build machine's GNU linker, which reads only its own
// machine's objects).
bool explainWrongLinker(const LinkerEvent &event, const LinkContext &context, Report &report) {
  const uint16_t machine = elfMachineOf(context.target);
  if (!machine || event.file.empty())
    return false;
  auto elf = readElfFile(event.file);
  if (!elf) {
    llvm::consumeError(elf.takeError());
    return false;
  }
  llvm::StringRef arch = llvm::StringRef(context.target).split('-').first;
  const bool target64 = arch == "x86_64" || arch == "aarch64" || arch.startswith("riscv64") ||
                        arch.startswith("powerpc64") || arch == "s390x";
  if (elf->machine != machine || elf->is64 != target64)
    return false; // the input really is for another machine (or class: x32)
  std::string fuseLd;
  for (llvm::StringRef a : context.arguments)
    if (a.consume_front("-fuse-ld="))
      fuseLd = a.str();
  for (const Finding &f : report.findings())
    if (f.kind == "wrong-linker")
      return true;
  std::vector<Evidence> evidence{
      {event.file, "",
       machineName(elf->machine) +
           ", the target's machine, as it should be; the linker said: " + event.detail}};
  if (fuseLd.empty() && (event.flavor == LinkerFlavor::Gold || event.flavor == LinkerFlavor::GnuLd))
    evidence.push_back({"", "",
                        "the message is " + linkerFlavorName(event.flavor).str() +
                            "'s: a GNU linker of the build machine ran, not ld.lld"});
  if (!fuseLd.empty())
    evidence.push_back(
        {"", "",
         "-fuse-ld=" + fuseLd + " runs " +
             (llvm::StringRef(fuseLd).contains('/') ? fuseLd : "the build machine's ld." + fuseLd) +
             ", a linker for the build machine"});
  std::string gnuLinker;
  for (const std::string &gnu : gnuTriples(context.target))
    for (const char *tool : {"-ld.gold", "-ld.bfd"})
      if (gnuLinker.empty() &&
          llvm::StringRef(fuseLd).startswith(llvm::StringRef(tool).drop_front(4)) &&
          llvm::sys::fs::exists("/usr/bin/" + gnu + tool))
        gnuLinker = "/usr/bin/" + gnu + tool;
  report.add(
      {"wrong-linker", Severity::Error,
       "the linker cannot read " + llvm::sys::path::filename(event.file).str() +
           ", which is built for the target: the linker that ran is not one for " + context.target,
       std::move(evidence),
       (fuseLd.empty() ? std::string("link with ld.lld (crosshim's default: drop the -fuse-ld= "
                                     "or -B that chose another linker)")
                       : "drop -fuse-ld=" + fuseLd + " (crosshim links with ld.lld)") +
           (gnuLinker.empty() ? std::string()
                              : ", or name the target's own linker: -fuse-ld=" + gnuLinker)});
  return true;
}

} // namespace

bool explainRuntimeEvent(const LinkerEvent &event, const SymbolIndex &index,
                         const LinkContext &context, Report &report) {
  switch (event.kind) {
  case LinkerEvent::Kind::UndefinedSymbol:
  case LinkerEvent::Kind::UndefinedVersionedSymbol:
  case LinkerEvent::Kind::DsoMissingFromCommandLine:
    if (explainUnwinder(event, index, context, report) || explainStdlibMix(event, context, report))
      return true;
    return event.kind != LinkerEvent::Kind::DsoMissingFromCommandLine &&
           explainAtomics(event, index, context, report);
  case LinkerEvent::Kind::UnableToFindLibrary:
    return explainOpenmp(event, context, report);
  case LinkerEvent::Kind::FloatAbiMismatch:
    return explainFloatAbi(event, context, report);
  case LinkerEvent::Kind::BitcodeVersion:
    return explainBitcode(event, /*unreadable=*/false, report);
  case LinkerEvent::Kind::IncompatibleInput:
    if (explainOpenmp(event, context, report) || explainWrongLinker(event, context, report))
      return true;
    [[fallthrough]];
  case LinkerEvent::Kind::Other:
    // Not the wrong architecture: bitcode the linker cannot read at all.
    return isBitcode(fileHead(event.file)) && explainBitcode(event, /*unreadable=*/true, report);
  case LinkerEvent::Kind::DuplicateSymbol:
    return explainDuplicate(event, report);
  default:
    return false;
  }
}

} // namespace crosshim::diag
