#include "diagnostics/report.h"

#include <llvm/ADT/STLExtras.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/FormatVariadic.h>
#include <llvm/Support/Path.h>

#include <algorithm>

namespace crosshim::diag {

llvm::ArrayRef<llvm::StringRef> knownKinds() {
  static const llvm::StringRef kinds[] = {
      // sysroot and library resolution
      "dangling-symlink", "absolute-symlink", "static-fallback", "libc-link-mismatch",
      "linker-script-path", "missing-dev-symlink", "missing-crt-object", "wrong-architecture",
      "host-path-leak",
      // C library versions
      "glibc-too-new-dependency", "glibc-floor-exceeded", "crt-libc-mismatch", "musl-glibc-mix",
      // runtime support and code generation
      "library-not-on-command-line", "atomics-helper-missing", "unwinder-missing", "pic-required",
      "float-abi-mismatch", "bitcode-version-skew", "duplicate-runtime", "cxx-stdlib-mix",
      "openmp-runtime-missing", "wrong-linker",
      // after a successful link
      "interp-mismatch", "needed-library-missing", "rpath-leak",
      // Windows
      "dllimport-mismatch", "import-library-missing", "crt-model-mismatch",
      // macOS (Mach-O links against the SDK's .tbd stubs)
      "macos-library-missing", "macos-compiler-rt-missing", "macos-tbd-arch-missing",
      "macos-min-version-newer", "macos-sdk-incomplete",
      // nothing more specific known
      "undefined-symbol"};
  return kinds;
}

bool isKnownKind(llvm::StringRef kind) {
  return llvm::is_contained(knownKinds(), kind);
}

llvm::StringRef severityName(Severity severity) {
  switch (severity) {
  case Severity::Note:
    return "note";
  case Severity::Warning:
    return "warning";
  case Severity::Error:
    return "error";
  }
  return "error";
}

void Report::add(Finding finding) {
  assert(isKnownKind(finding.kind) && "finding kind not in link-failures.md");
  findings_.push_back(std::move(finding));
}

bool Report::hasErrors() const {
  return llvm::any_of(findings_, [](const Finding &f) { return f.severity == Severity::Error; });
}

void Report::sortBySeverity() {
  std::stable_sort(findings_.begin(), findings_.end(), [](const Finding &a, const Finding &b) {
    return static_cast<int>(a.severity) > static_cast<int>(b.severity);
  });
}

llvm::json::Value Report::toJson() const {
  llvm::json::Array findings;
  for (const Finding &f : findings_) {
    llvm::json::Array evidence;
    for (const Evidence &e : f.evidence) {
      llvm::json::Object item;
      if (!e.file.empty())
        item["file"] = e.file;
      if (!e.symbol.empty())
        item["symbol"] = e.symbol;
      if (!e.detail.empty())
        item["detail"] = e.detail;
      evidence.push_back(std::move(item));
    }
    findings.push_back(llvm::json::Object{{"kind", f.kind},
                                          {"severity", severityName(f.severity)},
                                          {"message", f.message},
                                          {"evidence", std::move(evidence)},
                                          {"fix", f.fix}});
  }
  llvm::json::Object root{{"version", 1}, {"tool", "crosshim"}, {"findings", std::move(findings)}};
  root["target"] = target_.empty() ? llvm::json::Value(nullptr) : llvm::json::Value(target_);
  return llvm::json::Value(std::move(root));
}

void Report::printText(llvm::raw_ostream &os, size_t maxLines) const {
  size_t lines = 0, shown = 0;
  for (const Finding &f : findings_) {
    size_t needed = 1 + f.evidence.size() + (f.fix.empty() ? 0 : 1);
    if (maxLines && lines + needed > maxLines && shown > 0)
      break;
    os << "crosshim: " << severityName(f.severity) << " [" << f.kind << "]: " << f.message << "\n";
    for (const Evidence &e : f.evidence) {
      os << "    ";
      if (!e.file.empty())
        os << e.file;
      if (!e.symbol.empty())
        os << (e.file.empty() ? "" : ": ") << e.symbol;
      if (!e.detail.empty())
        os << (e.file.empty() && e.symbol.empty() ? "" : ": ") << e.detail;
      os << "\n";
    }
    if (!f.fix.empty())
      os << "    fix: " << f.fix << "\n";
    lines += needed;
    ++shown;
  }
  if (shown < findings_.size())
    os << "crosshim: " << (findings_.size() - shown)
       << " more finding(s) left out; the JSON report (CROSSHIM_REPORT=<file>) has them all\n";
}

std::string Report::jsonText() const {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::formatv("{0:2}", toJson()) << "\n";
  os.flush();
  return text;
}

} // namespace crosshim::diag
