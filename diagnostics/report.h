// Findings and the report that carries them: one schema for `crosshim
// doctor`, `sysroot fix`, `explain` and CROSSHIM_REPORT (docs/report-format.md).
//
//   {"version": 1, "tool": "crosshim", "target": "aarch64-unknown-linux-gnu",
//    "findings": [{"kind": "static-fallback", "severity": "warning",
//                  "message": "...", "evidence": [{"file": "...", "symbol": "...",
//                  "detail": "..."}], "fix": "..."}]}
#pragma once

#include <llvm/ADT/StringRef.h>
#include <llvm/Support/Error.h>
#include <llvm/Support/JSON.h>
#include <llvm/Support/raw_ostream.h>

#include <string>
#include <vector>

namespace crosshim::diag {

/// The stable `kind` names of docs/link-failures.md.
llvm::ArrayRef<llvm::StringRef> knownKinds();
bool isKnownKind(llvm::StringRef kind);

enum class Severity { Note, Warning, Error };
llvm::StringRef severityName(Severity severity);

struct Evidence {
  std::string file;   // a path, when the evidence is a file
  std::string symbol; // a symbol (with @VERSION when versioned), when there is one
  std::string detail; // what about it: "absolute link to /lib/...", "needs GLIBC_2.34", ...
};

struct Finding {
  std::string kind; // one of knownKinds()
  Severity severity = Severity::Warning;
  std::string message; // one line: what happened
  std::vector<Evidence> evidence;
  std::string fix; // the exact thing to do
};

class Report {
public:
  explicit Report(std::string target = {}) : target_(std::move(target)) {}

  /// Adds a finding; an unknown kind is a programming error (asserts).
  void add(Finding finding);
  const std::vector<Finding> &findings() const { return findings_; }
  bool empty() const { return findings_.empty(); }
  bool hasErrors() const;
  const std::string &target() const { return target_; }

  /// Most important first: errors, then warnings, then notes; stable otherwise.
  void sortBySeverity();

  llvm::json::Value toJson() const;
  /// Human-readable text, at most `maxLines` lines (0: no limit); says how
  /// many findings were left out.
  void printText(llvm::raw_ostream &os, size_t maxLines = 0) const;

  /// The JSON text of a report file (CROSSHIM_REPORT), with a final newline.
  std::string jsonText() const;

private:
  std::string target_;
  std::vector<Finding> findings_;
};

} // namespace crosshim::diag
