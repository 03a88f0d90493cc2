// The linker-stderr parser: hand-written matching on each line, one pass,
// a bounded number of searches per line (linear in the input).
#include "diagnostics/linker_output.h"

#include <llvm/ADT/StringExtras.h>
#include <llvm/ADT/StringMap.h>
#include <llvm/Support/JSON.h>

#include <algorithm>

namespace crosshim::diag {

llvm::StringRef linkerFlavorName(LinkerFlavor flavor) {
  switch (flavor) {
  case LinkerFlavor::Unknown:
    return "unknown";
  case LinkerFlavor::Lld:
    return "ld.lld";
  case LinkerFlavor::GnuLd:
    return "GNU ld";
  case LinkerFlavor::Gold:
    return "gold";
  case LinkerFlavor::Mold:
    return "mold";
  case LinkerFlavor::LldLink:
    return "lld-link";
  case LinkerFlavor::MsvcLink:
    return "link.exe";
  }
  return "unknown";
}

llvm::StringRef linkerEventKindName(LinkerEvent::Kind kind) {
  using K = LinkerEvent::Kind;
  switch (kind) {
  case K::UndefinedSymbol:
    return "UndefinedSymbol";
  case K::UndefinedVersionedSymbol:
    return "UndefinedVersionedSymbol";
  case K::DsoMissingFromCommandLine:
    return "DsoMissingFromCommandLine";
  case K::UnableToFindLibrary:
    return "UnableToFindLibrary";
  case K::CannotOpenFile:
    return "CannotOpenFile";
  case K::CannotFindInsideSysroot:
    return "CannotFindInsideSysroot";
  case K::IncompatibleInput:
    return "IncompatibleInput";
  case K::RelocationNeedsPic:
    return "RelocationNeedsPic";
  case K::DuplicateSymbol:
    return "DuplicateSymbol";
  case K::FloatAbiMismatch:
    return "FloatAbiMismatch";
  case K::BitcodeVersion:
    return "BitcodeVersion";
  case K::FailIfMismatch:
    return "FailIfMismatch";
  case K::LocallyDefinedImported:
    return "LocallyDefinedImported";
  case K::MachineConflict:
    return "MachineConflict";
  case K::NeededLibraryNotFound:
    return "NeededLibraryNotFound";
  case K::Other:
    return "Other";
  }
  return "Other";
}

namespace {

using llvm::StringRef;
using Kind = LinkerEvent::Kind;

constexpr size_t kNone = ~size_t(0);
constexpr size_t kMaxReferences = 32; // per event; the rest are counted in moreReferences
constexpr size_t kMaxDetail = 4096;   // bytes of detail kept per event
constexpr size_t kMaxField = 4096;    // bytes kept of any other field
constexpr StringRef kSpace = " \t\r\v\f";

// --- Text helpers ----------------------------------------------------------

/// `line` without ANSI escape sequences (CSI colours, OSC hyperlinks, two-
/// and three-byte escapes); `buf` holds the copy when one is needed.
StringRef stripAnsi(StringRef line, std::string &buf) {
  if (line.find('\x1b') == StringRef::npos)
    return line;
  buf.clear();
  buf.reserve(line.size());
  size_t i = 0, n = line.size();
  while (i < n) {
    unsigned char c = line[i];
    if (c != 0x1b) {
      buf.push_back(char(c));
      ++i;
      continue;
    }
    if (++i >= n)
      break;
    unsigned char k = line[i++];
    if (k == '[') { // CSI: parameter and intermediate bytes, then one final byte
      while (i < n && !(line[i] >= 0x40 && line[i] <= 0x7e))
        ++i;
      if (i < n)
        ++i;
    } else if (k == ']') { // OSC (hyperlinks): up to BEL or ESC '\'
      while (i < n && line[i] != '\a' && line[i] != '\x1b')
        ++i;
      if (i < n && line[i] == '\a')
        ++i;
      else if (i + 1 < n && line[i + 1] == '\\')
        i += 2;
    } else if (k == '(' || k == ')' || k == '*' || k == '+') { // charset designation
      if (i < n)
        ++i;
    }
  }
  return buf;
}

bool isQuoteOpen(StringRef s) {
  return s.startswith("`") || s.startswith("'") || s.startswith("\"") ||
         s.startswith("\xE2\x80\x98");
}

/// `foo', 'foo', ‘foo’, "foo" -> foo (either end may be missing).
StringRef unquote(StringRef s) {
  s = s.trim(kSpace);
  if (!s.consume_front("\xE2\x80\x98") && !s.empty() &&
      (s.front() == '`' || s.front() == '\'' || s.front() == '"'))
    s = s.drop_front();
  if (!s.consume_back("\xE2\x80\x99") && !s.empty() &&
      (s.back() == '\'' || s.back() == '"' || s.back() == '`'))
    s = s.drop_back();
  return s;
}

bool allDigits(StringRef s) {
  return !s.empty() && llvm::all_of(s, [](char c) { return llvm::isDigit(c); });
}

/// "sym@GLIBC_2.34" / "sym@@GLIBC_2.4" -> ("sym", "GLIBC_2.34"). Not for
/// MinGW's stdcall suffixes ("_Sleep@4") or names that start with '@'.
bool splitVersion(StringRef s, StringRef &name, StringRef &version) {
  size_t at = s.find('@', 1);
  if (at == StringRef::npos || s.startswith("?")) // ?foo@@YAXXZ is a decorated C++ name
    return false;
  StringRef v = s.substr(at + 1);
  v.consume_front("@");
  if (v.empty() || allDigits(v) || !(llvm::isAlpha(v.front()) || v.front() == '_') ||
      v.find_first_of(" @()'`\"") != StringRef::npos)
    return false;
  name = s.take_front(at);
  version = v;
  return true;
}

/// The position of the first ':' at or after `from`, skipping a Windows drive
/// letter ("C:/x.o").
size_t findColon(StringRef s, size_t from = 0) {
  if (from == 0 && s.size() > 2 && llvm::isAlpha(s[0]) && s[1] == ':' &&
      (s[2] == '/' || s[2] == '\\'))
    from = 2;
  return s.find(':', from);
}

bool isSharedLibrary(StringRef path) {
  StringRef base = path.substr(path.find_last_of("/\\") + 1);
  if (base.endswith(".so") || base.endswith(".dylib") || base.endswith(".dll"))
    return true;
  size_t so = base.find(".so.");
  if (so == StringRef::npos)
    return false;
  StringRef tail = base.substr(so + 4);
  return !tail.empty() && llvm::all_of(tail, [](char c) { return llvm::isDigit(c) || c == '.'; });
}

/// Whether a location names an object, archive member or library (rather
/// than a source file): "x.o", "lib.a(x.o)", "libc.so.6", "<root>".
bool isObjectLike(StringRef path) {
  path = path.trim(kSpace);
  if (path.empty() || path.find(' ') != StringRef::npos)
    return path.startswith("<") && path.endswith(">");
  if (path.front() == '<' && path.back() == '>')
    return true;
  if (path.back() == ')' && path.find('(') != StringRef::npos)
    return true;
  if (isSharedLibrary(path))
    return true;
  StringRef base = path.substr(path.find_last_of("/\\") + 1);
  size_t dot = base.rfind('.');
  if (dot == StringRef::npos)
    return false;
  std::string ext = base.substr(dot + 1).lower();
  static constexpr StringRef kExts[] = {"o",     "obj", "a",   "lib", "rlib", "lo",  "so",
                                        "dylib", "tbd", "dll", "bc",  "exe",  "out", "elf"};
  return llvm::is_contained(kExts, ext);
}

/// "+0x1a" at the end of "SECTION+0xOFF": not a function name.
bool isSectionOffset(StringRef s) {
  size_t p = s.rfind("+0x");
  if (p == StringRef::npos || p + 3 >= s.size())
    return false;
  return llvm::all_of(s.substr(p + 3), [](char c) { return llvm::isHexDigit(c); });
}

std::string cap(StringRef s, size_t max = kMaxField) {
  return s.take_front(max).str();
}

/// "FILE: message" with the message at `p`: FILE.
std::string fileBefore(StringRef body, size_t p) {
  StringRef file = body.take_front(p).rtrim(kSpace);
  file.consume_back(":");
  return cap(file.trim(kSpace));
}

/// "lib.a(x.o)" -> archive lib.a, object x.o; anything else is the object.
void setObject(SymbolReference &ref, StringRef path) {
  path = path.trim(kSpace);
  size_t open = path.rfind('(');
  if (path.endswith(")") && open != StringRef::npos && open > 0 && path[open - 1] != ' ') {
    ref.archive = cap(path.take_front(open));
    ref.object = cap(path.slice(open + 1, path.size() - 1));
  } else {
    ref.object = cap(path);
  }
}

/// A "FILE: rest" prefix when FILE reads like a path (no spaces, or an
/// object's name): "x.o: Relocations in generic ELF" -> "x.o".
StringRef filePrefix(StringRef body, StringRef *rest = nullptr) {
  size_t c = body.find(": ");
  if (c == StringRef::npos || c == 0)
    return {};
  StringRef prefix = body.take_front(c);
  if (prefix.find(' ') != StringRef::npos && !isObjectLike(prefix))
    return {};
  if (rest)
    *rest = body.substr(c + 2);
  return prefix;
}

/// ":(.text+0x1)" or ":(function f: .text+0x1)" after an object -> the object.
StringRef withoutSection(StringRef loc) {
  size_t p = loc.find(":(");
  return p == StringRef::npos || !loc.endswith(")") ? loc : loc.take_front(p);
}

// --- What a line is, and who printed it -----------------------------------

enum class Tool { None, Linker, Driver };

struct Prefix {
  Tool tool = Tool::None;
  LinkerFlavor flavor = LinkerFlavor::Unknown;
  bool plainLd = false; // "ld: ": GNU ld usually, but lld installed as ld says the same
  bool anyLld = false;  // "rust-lld: ", "lld: ": ELF or COFF
  StringRef body;
};

/// Splits "PROGRAM: rest" when PROGRAM is a linker or compiler driver.
Prefix splitProgram(StringRef line) {
  Prefix p;
  size_t c = line.find(": ");
  if (c == StringRef::npos || c == 0)
    return p;
  StringRef path = line.take_front(c);
  StringRef base = path.substr(path.find_last_of("/\\") + 1);
  if (base.empty() || base.find_first_of(" ()<>:'`\"") != StringRef::npos)
    return p;
  std::string name = base.lower();
  StringRef n = name;
  n.consume_back(".exe");
  // A version suffix: ld.lld-14, clang-17, aarch64-linux-gnu-gcc-12.
  size_t dash = n.rfind('-');
  if (dash != StringRef::npos && dash + 1 < n.size() &&
      llvm::all_of(n.substr(dash + 1), [](char ch) { return llvm::isDigit(ch) || ch == '.'; }))
    n = n.take_front(dash);
  auto is = [&](StringRef tool) { return n == tool || n.endswith(("-" + tool).str()); };
  if (n == "lld-link")
    p.flavor = LinkerFlavor::LldLink;
  else if (is("mold") || is("ld.mold"))
    p.flavor = LinkerFlavor::Mold;
  else if (is("gold") || is("ld.gold"))
    p.flavor = LinkerFlavor::Gold;
  else if (is("ld.lld") || is("lld") || n == "rust-lld" || n == "ld64.lld" || n == "wasm-ld") {
    p.flavor = LinkerFlavor::Lld;
    p.anyLld = n == "rust-lld" || n == "lld";
  } else if (is("ld") || is("ld.bfd")) {
    p.flavor = LinkerFlavor::GnuLd;
    p.plainLd = n == "ld";
  } else if (is("gcc") || is("g++") || is("cc") || is("c++") || is("clang") || is("clang++") ||
             n == "collect2" || n == "rustc" || n == "zig" || n == "cargo")
    p.tool = Tool::Driver;
  if (p.flavor != LinkerFlavor::Unknown)
    p.tool = Tool::Linker;
  if (p.tool != Tool::None)
    p.body = line.substr(c + 2).ltrim(kSpace);
  return p;
}

/// rustc prints the linker command (`"cc" "-m64" …`, after `LC_ALL="C" …`
/// assignments on older versions) as the first note.
bool isCommandLine(StringRef note) {
  if (note.startswith("\""))
    return true;
  size_t i = 0;
  while (i < note.size() &&
         ((note[i] >= 'A' && note[i] <= 'Z') || llvm::isDigit(note[i]) || note[i] == '_'))
    ++i;
  return i > 0 && i + 1 < note.size() && note[i] == '=' && note[i + 1] == '"';
}

/// rustc's escaping of linker output that is not UTF-8 ("\r\n", "\'",
/// "\xNN") undone.
std::string unescapeRustc(StringRef s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 >= s.size()) {
      out.push_back(s[i]);
      continue;
    }
    char e = s[++i];
    unsigned value = 0;
    switch (e) {
    case 'n':
      out.push_back('\n');
      break;
    case 'r':
      out.push_back('\r');
      break;
    case 't':
      out.push_back('\t');
      break;
    case '0':
      out.push_back('\0');
      break;
    case 'x':
      if (i + 2 < s.size() && llvm::isHexDigit(s[i + 1]) && llvm::isHexDigit(s[i + 2])) {
        value = llvm::hexDigitValue(s[i + 1]) * 16 + llvm::hexDigitValue(s[i + 2]);
        out.push_back(char(value));
        i += 2;
      } else {
        out.push_back('x');
      }
      break;
    default: // \\, \', \"
      out.push_back(e);
    }
  }
  return out;
}

// --- The parser ------------------------------------------------------------

class Parser {
public:
  void line(StringRef raw, unsigned depth);
  std::vector<LinkerEvent> finish();

private:
  struct GnuContext { // GNU ld's "OBJ: in function `f':"
    bool valid = false;
    std::string object, archive, function;
  };
  enum class Loc { None, Site, File };

  void message(StringRef line);
  void continuation(StringRef rest);
  void classify(StringRef body, LinkerFlavor hint, bool plainLd, bool warning, bool prefixed);
  bool msvc(StringRef line);

  // Forms; each returns whether it recognised the body.
  bool gnuContext(StringRef body);
  bool gnuSiteMessage(StringRef body, LinkerFlavor hint, bool warning);
  bool lldUndefined(StringRef body, LinkerFlavor flavor, bool warning);
  bool missingFiles(StringRef body, LinkerFlavor flavor, bool warning);
  bool incompatible(StringRef body, LinkerFlavor flavor, bool warning);
  bool codegenMismatch(StringRef body, LinkerFlavor flavor, bool warning);
  bool coffForms(StringRef body, LinkerFlavor flavor, bool warning);

  Loc parseGnuLoc(StringRef loc, SymbolReference &ref) const;
  Loc parseGoldLoc(StringRef loc, SymbolReference &ref) const;
  void applyContext(SymbolReference &ref, Loc loc) const;

  size_t add(LinkerEvent event);
  /// Adds, or merges into the event for the same symbol (one line per
  /// reference linkers).
  size_t addMerged(LinkerEvent event);
  LinkerEvent makeEvent(Kind kind, LinkerFlavor flavor, bool warning) const;
  void setSymbol(LinkerEvent &event, StringRef printed, bool allowVersion = true) const;
  static void addReference(LinkerEvent &event, SymbolReference ref);
  static void appendDetail(LinkerEvent &event, StringRef text);

  std::vector<LinkerEvent> events_;
  llvm::StringMap<size_t> merged_; // flavor, kind, symbol, version -> event
  size_t touched_ = kNone;         // the event the current line created or extended
  size_t cont_ = kNone;            // the event `>>>` lines belong to
  size_t dsoPending_ = kNone;      // "undefined reference to symbol" awaiting its DSO line
  size_t lastDuplicate_ = kNone;   // for a separate "first defined here" line
  size_t msvcHint_ = kNone;        // link.exe's "Hint on symbols that ... could potentially match:"
  std::vector<size_t> anyLldEvents_; // from rust-lld: COFF when any of them is
  bool keepContext_ = false;
  bool afterContext_ = false; // the previous line was GNU ld's "in function"
  GnuContext context_;
};

LinkerEvent Parser::makeEvent(Kind kind, LinkerFlavor flavor, bool warning) const {
  LinkerEvent e;
  e.kind = kind;
  e.flavor = flavor;
  e.warning = warning;
  return e;
}

void Parser::setSymbol(LinkerEvent &event, StringRef printed, bool allowVersion) const {
  printed = printed.trim(kSpace);
  StringRef name, version;
  if (allowVersion && event.flavor != LinkerFlavor::MsvcLink &&
      event.flavor != LinkerFlavor::LldLink && splitVersion(printed, name, version)) {
    event.symbol = cap(name);
    event.version = cap(version);
    if (event.kind == Kind::UndefinedSymbol)
      event.kind = Kind::UndefinedVersionedSymbol;
  } else {
    event.symbol = cap(printed);
  }
}

void Parser::addReference(LinkerEvent &event, SymbolReference ref) {
  if (event.references.size() >= kMaxReferences) {
    if (event.moreReferences != ~0u)
      ++event.moreReferences;
    return;
  }
  event.references.push_back(std::move(ref));
}

void Parser::appendDetail(LinkerEvent &event, StringRef text) {
  text = text.trim(kSpace);
  if (text.empty() || event.detail.size() >= kMaxDetail)
    return;
  if (!event.detail.empty())
    event.detail += "; ";
  event.detail += text.take_front(kMaxDetail - std::min(kMaxDetail, event.detail.size())).str();
}

size_t Parser::add(LinkerEvent event) {
  if (!events_.empty()) {
    // Some messages repeat verbatim ("Relocations in generic ELF" once per
    // relocation section): keep one.
    LinkerEvent &last = events_.back();
    if (last.kind == event.kind && last.flavor == event.flavor && last.symbol == event.symbol &&
        last.version == event.version && last.file == event.file && last.detail == event.detail &&
        last.references.empty() && event.references.empty() && event.moreReferences == 0)
      return touched_ = events_.size() - 1;
  }
  events_.push_back(std::move(event));
  return touched_ = events_.size() - 1;
}

size_t Parser::addMerged(LinkerEvent event) {
  std::string key;
  key.reserve(event.symbol.size() + event.version.size() + 3);
  key += char('0' + int(event.flavor));
  key += char('A' + int(event.kind));
  key += event.symbol;
  key += '\0';
  key += event.version;
  auto [it, inserted] = merged_.try_emplace(key, events_.size());
  if (inserted) {
    events_.push_back(std::move(event));
    return touched_ = events_.size() - 1;
  }
  LinkerEvent &into = events_[it->second];
  into.warning = into.warning && event.warning;
  if (into.file.empty())
    into.file = std::move(event.file);
  if (into.detail.empty())
    into.detail = std::move(event.detail);
  for (SymbolReference &ref : event.references)
    addReference(into, std::move(ref));
  into.moreReferences = std::max(into.moreReferences, into.moreReferences + event.moreReferences);
  return touched_ = it->second;
}

void Parser::line(StringRef raw, unsigned depth) {
  std::string ansi;
  StringRef line = stripAnsi(raw, ansi).trim(kSpace);

  // rustc: `  = note: <linker output>`, then the linker's further lines
  // indented to the same column; rustc ≥ 1.86 prints linker warnings as
  // "warning: linker stderr: …".
  bool note = false;
  if (line.consume_front("= note:") || line.consume_front("note:")) {
    note = true;
    line = line.ltrim(kSpace);
  } else if (line.startswith("= help:")) {
    return;
  }
  if (line.consume_front("warning: linker stderr:") ||
      line.consume_front("warning: linker stdout:"))
    line = line.ltrim(kSpace);
  if (note) {
    if (isCommandLine(line) || line.startswith("some arguments are omitted"))
      return;
    if (line.consume_front("Non-UTF-8 output:")) {
      if (depth > 0)
        return;
      std::string text = unescapeRustc(line.ltrim(kSpace));
      StringRef rest = text;
      while (!rest.empty()) {
        auto [first, tail] = rest.split('\n');
        this->line(first, depth + 1);
        rest = tail;
      }
      return;
    }
  }
  if (line.empty())
    return;
  if (line.startswith(">>>")) {
    continuation(line.drop_front(3));
    return;
  }
  message(line);
}

void Parser::message(StringRef line) {
  size_t previous = cont_; // what the line before created or extended
  touched_ = kNone;
  cont_ = kNone;
  keepContext_ = false;
  bool afterContext = afterContext_;
  afterContext_ = false;

  // link.exe's hints under LNK2019: indented names, no "FILE: " prefix.
  if (msvcHint_ != kNone) {
    if ((line.startswith("\"") || line.find(' ') == StringRef::npos) &&
        llvm::any_of(line, [](char c) { return llvm::isAlnum(c); })) {
      appendDetail(events_[msvcHint_], ("could match: " + line).str());
      return;
    }
    msvcHint_ = kNone;
  }
  if (line.startswith("Hint on symbols that are defined and could potentially match")) {
    if (previous != kNone && events_[previous].flavor == LinkerFlavor::MsvcLink &&
        events_[previous].kind == Kind::UndefinedSymbol)
      msvcHint_ = previous;
    return;
  }

  if (msvc(line)) {
    context_.valid = false;
    cont_ = touched_;
    return;
  }
  Prefix p = splitProgram(line);
  if (p.tool == Tool::Driver) {
    StringRef body = p.body;
    // The driver's summary of the linker's failure, and its own warnings.
    if (body.contains("linker command failed") || body.contains("ld returned ") ||
        body.startswith("warning: ") || body.startswith("note: "))
      return;
    body.consume_front("fatal error: ") || body.consume_front("error: ");
    classify(body, LinkerFlavor::Unknown, false, false, true);
  } else if (p.tool == Tool::Linker) {
    StringRef body = p.body;
    bool warning = false;
    if (body.consume_front("warning: ") || body.consume_front("WARNING: ") ||
        body.startswith("NOTE: ") || body.startswith("note: "))
      warning = true; // GNU ld's "NOTE: This behaviour is deprecated" is no error either
    else
      body.consume_front("error: ") || body.consume_front("fatal: ") ||
          body.consume_front("fatal error: ") || body.consume_front("ERROR: ");
    // "x.o: warning: relocation against `bar' in read-only section" (GNU ld)
    StringRef afterFile;
    if (!warning && !filePrefix(body, &afterFile).empty() && afterFile.startswith("warning: "))
      warning = true;
    classify(body.ltrim(kSpace), p.flavor, p.plainLd, warning, true);
    if (p.anyLld && touched_ != kNone &&
        (anyLldEvents_.empty() || anyLldEvents_.back() != touched_))
      anyLldEvents_.push_back(touched_);
  } else {
    StringRef body = line;
    bool warning = false;
    // lld ≤ 5 without its name; rustc's own "error: linking with `cc` failed"
    // falls through every form.
    if (body.consume_front("warning: "))
      warning = true;
    else
      body.consume_front("error: ");
    // rustc itself: "error: could not find native static library `c`, perhaps an -L flag is
    // missing?"
    if (!warning && body.consume_front("could not find native static library ")) {
      LinkerEvent e = makeEvent(Kind::UnableToFindLibrary, LinkerFlavor::Unknown, false);
      e.file = cap(unquote(body.take_until([](char c) { return c == ','; })));
      e.detail = "native static library (rustc)";
      add(std::move(e));
      cont_ = kNone;
      context_.valid = false;
      return;
    }
    // rustc: "error: linker `aarch64-linux-gnu-gcc` not found"
    if (!warning && body.startswith("linker `") && body.contains("` not found")) {
      LinkerEvent e = makeEvent(Kind::Other, LinkerFlavor::Unknown, false);
      e.file = cap(unquote(body.substr(7).take_until([](char c) { return c == ' '; })));
      appendDetail(e, body);
      add(std::move(e));
      cont_ = kNone;
      context_.valid = false;
      return;
    }
    size_t before = events_.size();
    classify(body, LinkerFlavor::Unknown, false, warning, false);
    // GNU ld: the line after "in function `f':" is that message's second
    // half, whatever it says ("relocation truncated to fit: …").
    if (afterContext && events_.size() == before && touched_ == kNone && !warning &&
        context_.valid && body.find(": warning: ") == StringRef::npos) {
      StringRef rest;
      StringRef loc = filePrefix(body, &rest);
      if (!loc.empty()) {
        LinkerEvent e = makeEvent(Kind::Other, LinkerFlavor::GnuLd, false);
        SymbolReference ref;
        applyContext(ref, parseGnuLoc(loc, ref));
        addReference(e, std::move(ref));
        appendDetail(e, rest);
        add(std::move(e));
      }
    }
  }
  if (!keepContext_)
    context_.valid = false;
  cont_ = touched_;
}

void Parser::continuation(StringRef rest) {
  if (cont_ == kNone)
    return;
  LinkerEvent &e = events_[cont_];
  StringRef t = rest.trim(kSpace);
  if (t.empty())
    return;
  auto parseSite = [](StringRef s, SymbolReference &ref) {
    // "x.o:(f) in archive lib.a", "a.c:3 (/abs/a.c:3)", "b.c", "lib.so",
    // "lib.so (disallowed by --no-allow-shlib-undefined)"
    size_t dis = s.find(" (disallowed by ");
    if (dis != StringRef::npos)
      s = s.take_front(dis);
    size_t in = s.rfind(" in archive ");
    StringRef archive;
    if (in != StringRef::npos && in > 0 && s[in - 1] == ')') {
      archive = s.substr(in + 12).trim(kSpace);
      s = s.take_front(in);
    }
    size_t p = s.find(":(");
    if (p != StringRef::npos && s.endswith(")")) {
      setObject(ref, s.take_front(p));
      if (!archive.empty())
        ref.archive = cap(archive);
      StringRef inner = s.slice(p + 2, s.size() - 1);
      if (inner.consume_front("function ")) // lld's relocation locations
        inner = inner.take_front(inner.rfind(": "));
      if (!isSectionOffset(inner))
        ref.function = cap(inner);
      return;
    }
    size_t abs = s.find(" (");
    if (abs != StringRef::npos && s.endswith(")")) {
      ref.source = cap(s.slice(abs + 2, s.size() - 1));
      return;
    }
    if (isObjectLike(s))
      setObject(ref, s);
    else
      ref.source = cap(s);
  };

  if (t.consume_front("referenced by ") || t.consume_front("defined at ")) {
    SymbolReference ref;
    parseSite(t.trim(kSpace), ref);
    addReference(e, std::move(ref));
    return;
  }
  if (t.consume_front("referenced ") &&
      (t.consume_back(" more times") || t.consume_back(" more time"))) {
    unsigned long long n = 0;
    if (!t.trim(kSpace).getAsInteger(10, n))
      e.moreReferences = unsigned(std::min<unsigned long long>(n + e.moreReferences, ~0u));
    return;
  }
  if (t.startswith("did you mean") || t.startswith("defined in")) {
    appendDetail(e, t);
    return;
  }
  size_t has = t.find(" has value ");
  if (has != StringRef::npos) { // /failifmismatch
    SymbolReference ref;
    setObject(ref, t.take_front(has));
    addReference(e, std::move(ref));
    appendDetail(e, t);
    return;
  }
  // ">>>               x.o:(f)": the object of the reference above.
  if (!e.references.empty() && e.references.back().object.empty() &&
      (t.contains(":(") || isObjectLike(t))) {
    SymbolReference &ref = e.references.back();
    std::string source = std::move(ref.source);
    parseSite(t, ref);
    if (ref.source.empty())
      ref.source = std::move(source);
    return;
  }
  appendDetail(e, t);
}

// "OBJ : error LNK2019: …", "LINK : fatal error LNK1181: …".
// Long on purpose: a table of lld-link and link.exe message shapes, one
// branch each, in the order they must be tried.
bool Parser::msvc(StringRef line) {
  bool warning = false;
  size_t p = line.find(" error LNK");
  size_t codeAt = p + 10;
  if (p == StringRef::npos) {
    p = line.find(" warning LNK");
    codeAt = p + 12;
    warning = true;
  }
  if (p == StringRef::npos)
    return false;
  StringRef head = line.take_front(p).rtrim(kSpace);
  head.consume_back("fatal");
  head = head.rtrim(kSpace);
  if (!head.consume_back(":"))
    return false;
  StringRef origin = head.rtrim(kSpace);
  StringRef rest = line.substr(codeAt);
  size_t colon = rest.find(": ");
  unsigned code = 0;
  if (colon == StringRef::npos || rest.take_front(colon).getAsInteger(10, code))
    return false;
  StringRef msg = rest.substr(colon + 2).trim(kSpace);
  bool linkItself = origin == "LINK" || origin.empty();
  const LinkerFlavor F = LinkerFlavor::MsvcLink;

  // `"int __cdecl foo(int)" (?foo@@YAHH@Z)` or `foo`, up to `stop`.
  auto symbolAt = [](StringRef &s, StringRef stop, std::string &decorated) -> StringRef {
    StringRef sym;
    if (s.startswith("\"")) {
      size_t q = s.find('"', 1);
      if (q == StringRef::npos)
        q = s.size();
      sym = s.slice(1, q);
      s = s.substr(q + 1);
      if (s.startswith(" (")) {
        size_t close = s.find(')');
        if (close == StringRef::npos)
          close = s.size();
        decorated = cap(s.slice(2, close));
        s = s.substr(close + 1);
      }
      return sym;
    }
    size_t end = stop.empty() ? StringRef::npos : s.find(stop);
    sym = s.take_front(end);
    s = s.substr(sym.size());
    return sym.trim(kSpace);
  };

  SymbolReference origRef;
  if (!linkItself)
    setObject(origRef, origin);

  switch (code) {
  case 2019:
  case 2001: {
    StringRef s = msg;
    if (!s.consume_front("unresolved external symbol "))
      break;
    std::string decorated, fnDecorated;
    LinkerEvent e = makeEvent(Kind::UndefinedSymbol, F, warning);
    e.symbol = cap(symbolAt(s, " referenced in function ", decorated));
    if (!decorated.empty())
      e.detail = "decorated name " + decorated;
    SymbolReference ref = origRef;
    if (s.consume_front(" referenced in function "))
      ref.function = cap(symbolAt(s, "", fnDecorated));
    if (!ref.object.empty() || !ref.function.empty())
      addReference(e, std::move(ref));
    addMerged(std::move(e));
    return true;
  }
  case 2005: { // foo already defined in a.obj
    StringRef s = msg;
    std::string decorated;
    LinkerEvent e = makeEvent(Kind::DuplicateSymbol, F, warning);
    e.symbol = cap(symbolAt(s, " already defined in ", decorated));
    if (!decorated.empty())
      e.detail = "decorated name " + decorated;
    if (!origRef.object.empty())
      addReference(e, origRef);
    if (s.consume_front(" already defined in ")) {
      SymbolReference other;
      setObject(other, s);
      addReference(e, std::move(other));
    }
    addMerged(std::move(e));
    return true;
  }
  case 2038: { // mismatch detected for 'RuntimeLibrary': value 'A' doesn't match value 'B' in b.obj
    StringRef s = msg;
    if (!s.consume_front("mismatch detected for "))
      break;
    size_t end = s.find(": ");
    LinkerEvent e = makeEvent(Kind::FailIfMismatch, F, warning);
    e.symbol = cap(unquote(s.take_front(end)));
    if (!linkItself)
      e.file = cap(origin);
    if (!origRef.object.empty())
      addReference(e, origRef);
    if (end != StringRef::npos) {
      StringRef values = s.substr(end + 2);
      appendDetail(e, values);
      size_t in = values.rfind(" in ");
      if (in != StringRef::npos) {
        SymbolReference other;
        setObject(other, values.substr(in + 4));
        addReference(e, std::move(other));
      }
    }
    add(std::move(e));
    return true;
  }
  case 1104:
  case 1181: { // cannot open [input ]file 'x.lib'
    StringRef s = msg;
    if (!s.consume_front("cannot open input file ") && !s.consume_front("cannot open file "))
      break;
    LinkerEvent e = makeEvent(Kind::CannotOpenFile, F, warning);
    e.file = cap(unquote(s));
    add(std::move(e));
    return true;
  }
  case 1112:   // module machine type 'x64' conflicts with target machine type 'x86'
  case 4272: { // library machine type 'x86' conflicts with target machine type 'x64'
    LinkerEvent e = makeEvent(Kind::MachineConflict, F, warning);
    if (!linkItself)
      e.file = cap(origin);
    appendDetail(e, msg);
    add(std::move(e));
    return true;
  }
  case 4049:
  case 4217:
  case 4286: {
    // VS 2019+: symbol 'foo' defined in 'b.obj' is imported by 'a.obj' in function 'main'
    // before:   locally defined symbol foo imported in function main
    StringRef s = msg;
    LinkerEvent e = makeEvent(Kind::LocallyDefinedImported, F, warning);
    if (!linkItself)
      e.file = cap(origin);
    SymbolReference ref = origRef;
    if (s.consume_front("symbol ")) {
      size_t end = s.find(" defined in ");
      e.symbol = cap(unquote(s.take_front(end)));
      if (end != StringRef::npos) {
        StringRef def = s.substr(end + 12);
        size_t is = def.find(" is imported by ");
        appendDetail(e, ("defined in " + unquote(def.take_front(is))).str());
      }
    } else if (s.consume_front("locally defined symbol ")) {
      size_t end = s.find(" imported");
      e.symbol = cap(s.take_front(end).trim(kSpace));
    }
    size_t fn = s.find(" in function ");
    if (fn != StringRef::npos)
      ref.function = cap(unquote(s.substr(fn + 13)));
    if (!ref.object.empty() || !ref.function.empty())
      addReference(e, std::move(ref));
    add(std::move(e));
    return true;
  }
  case 1120: // N unresolved externals
  case 1169: // one or more multiply defined symbols found
    return true;
  default:
    break;
  }
  if (warning && code != 4098) // LNK4098: defaultlib 'MSVCRT' conflicts with use of other libs
    return true;
  LinkerEvent e = makeEvent(Kind::Other, F, warning);
  if (!linkItself)
    e.file = cap(origin);
  appendDetail(e, ("LNK" + llvm::Twine(code) + ": " + msg).str());
  add(std::move(e));
  return true;
}

Parser::Loc Parser::parseGnuLoc(StringRef loc, SymbolReference &ref) const {
  loc = loc.trim(kSpace);
  if (loc.empty())
    return Loc::None;
  if (loc.front() == '(' && loc.back() == ')') // "(.text+0x940)"
    return Loc::Site;
  size_t p = loc.rfind(":(");
  if (p != StringRef::npos && loc.back() == ')') { // "src.c:(.text+0x1)", "lib.a(x.o):(.text)"
    StringRef file = loc.take_front(p);
    if (isObjectLike(file))
      setObject(ref, file);
    else
      ref.source = cap(file);
    return Loc::Site;
  }
  size_t c = loc.rfind(':');
  if (c != StringRef::npos && allDigits(loc.substr(c + 1))) { // "src.c:12"
    ref.source = cap(loc);
    return Loc::Site;
  }
  if (isObjectLike(loc)) { // "libraylib.so"
    setObject(ref, loc);
    return Loc::File;
  }
  ref.source = cap(loc);
  return Loc::Site;
}

Parser::Loc Parser::parseGoldLoc(StringRef loc, SymbolReference &ref) const {
  loc = loc.trim(kSpace);
  // "x.o:x.c:function main", "x.o:function main"
  size_t f = loc.find(":function ");
  if (f != StringRef::npos) {
    ref.function = cap(loc.substr(f + 10));
    StringRef pre = loc.take_front(f);
    size_t c = findColon(pre);
    if (c != StringRef::npos) {
      setObject(ref, pre.take_front(c));
      ref.source = cap(pre.substr(c + 1));
    } else {
      setObject(ref, pre);
    }
    return Loc::Site;
  }
  // "x.o(.text+0x5)"
  if (loc.endswith(")")) {
    size_t o = loc.rfind('(');
    if (o != StringRef::npos && o > 0 && loc[o - 1] != ':' &&
        isSectionOffset(loc.slice(o + 1, loc.size() - 1))) {
      setObject(ref, loc.take_front(o));
      return Loc::Site;
    }
  }
  return parseGnuLoc(loc, ref);
}

void Parser::applyContext(SymbolReference &ref, Loc loc) const {
  if (!context_.valid || loc == Loc::File)
    return;
  if (ref.object.empty()) {
    ref.object = context_.object;
    ref.archive = context_.archive;
  }
  if (ref.object == context_.object && ref.archive == context_.archive)
    ref.function = context_.function;
}

void Parser::classify(StringRef body, LinkerFlavor hint, bool plainLd, bool warning,
                      bool prefixed) {
  body = body.trim(kSpace);
  if (body.empty())
    return;
  // Summaries that add nothing.
  if (body.startswith("too many errors emitted") ||
      body.contains("linker command failed with exit") ||
      (body.contains("ld returned ") && body.contains(" exit status")))
    return;

  if (gnuContext(body))
    return;
  if (gnuSiteMessage(body, hint, warning))
    return;

  // Forms that only lld (or mold, lld-link) prints: "ld: " is lld there.
  LinkerFlavor lldish = (hint == LinkerFlavor::Unknown || plainLd) ? LinkerFlavor::Lld : hint;
  if (lldUndefined(body, lldish, warning))
    return;
  // Without a program name only the forms above, and the few below that GNU
  // ld printed bare, are trusted: a build log holds much else.
  LinkerFlavor flavor = hint == LinkerFlavor::Unknown && !prefixed ? LinkerFlavor::GnuLd : hint;
  if (prefixed && missingFiles(body, flavor, warning))
    return;
  if (incompatible(body, flavor, warning))
    return;
  if (codegenMismatch(body, flavor, warning))
    return;
  if (prefixed &&
      coffForms(body, lldish == LinkerFlavor::Lld ? LinkerFlavor::LldLink : lldish, warning))
    return;

  // GNU ld after the real error: the consequence, not the cause.
  if (!events_.empty() &&
      (body.startswith("failed to set dynamic section sizes") ||
       body.startswith("final link failed") || body.contains("error adding symbols: bad value") ||
       body.startswith("link errors found")))
    return;

  if (prefixed && !warning) {
    LinkerEvent e = makeEvent(Kind::Other, hint, false);
    StringRef rest;
    StringRef file = filePrefix(body, &rest);
    if (!file.empty() && (isObjectLike(file) || file.contains('/') || file.contains('\\')))
      e.file = cap(file);
    appendDetail(e, body);
    add(std::move(e));
  }
}

// "/tmp/x.o: in function `main':" (older binutils: "In function").
bool Parser::gnuContext(StringRef body) {
  if (!body.endswith(":"))
    return false;
  size_t p = body.find(": in function ");
  if (p == StringRef::npos)
    p = body.find(": In function ");
  if (p == StringRef::npos)
    return false;
  StringRef fn = body.slice(p + 14, body.size() - 1);
  if (!isQuoteOpen(fn))
    return false;
  context_ = GnuContext();
  SymbolReference ref;
  setObject(ref, body.take_front(p));
  context_.valid = true;
  context_.object = std::move(ref.object);
  context_.archive = std::move(ref.archive);
  context_.function = cap(unquote(fn));
  keepContext_ = true;
  afterContext_ = true;
  return true;
}

// GNU ld and gold: "LOC: undefined reference to `sym'", "LOC: multiple
// definition of `sym'; LOC2: first defined here", the DSO-missing pair, and
// lld ≤ 16's "a.so: undefined reference to sym [--no-allow-shlib-undefined]".
// Long on purpose: a table of ld.lld, GNU ld and gold message shapes, one
// branch each, in the order they must be tried (the more specific first).
bool Parser::gnuSiteMessage(StringRef body, LinkerFlavor hint, bool warning) {
  struct Form {
    StringRef phrase;
    enum { DsoRef, More, Undefined, Multiple } what;
  };
  static constexpr Form kForms[] = {
      {"undefined reference to symbol ", Form::DsoRef},
      {"more undefined references to ", Form::More},
      {"undefined reference to ", Form::Undefined},
      {"multiple definition of ", Form::Multiple},
  };
  size_t at = StringRef::npos;
  const Form *form = nullptr;
  for (const Form &f : kForms) {
    at = body.find(f.phrase);
    if (at != StringRef::npos) {
      form = &f;
      break;
    }
  }

  if (!form) {
    // "//lib/arm-linux-gnueabihf/libdl.so.2: error adding symbols: DSO missing from command line"
    if (body.endswith("DSO missing from command line")) {
      size_t e = body.find(": error adding symbols");
      StringRef file = e == StringRef::npos ? filePrefix(body) : body.take_front(e);
      if (dsoPending_ != kNone && events_[dsoPending_].file.empty()) {
        events_[dsoPending_].file = cap(file);
        touched_ = dsoPending_;
      } else {
        LinkerEvent ev = makeEvent(Kind::DsoMissingFromCommandLine, LinkerFlavor::GnuLd, warning);
        ev.file = cap(file);
        add(std::move(ev));
      }
      dsoPending_ = kNone;
      return true;
    }
    // An older binutils' separate line, or gold's note.
    if ((body.endswith(": first defined here") || body.endswith(": previous definition here")) &&
        lastDuplicate_ != kNone) {
      StringRef loc = body.take_front(body.rfind(": "));
      loc.consume_back(": note");
      SymbolReference ref;
      size_t c = findColon(loc);
      if (loc.contains(":function ")) {
        parseGoldLoc(loc, ref);
      } else if (c != StringRef::npos && !loc.substr(c).startswith(":(")) {
        setObject(ref, loc.take_front(c));
        parseGnuLoc(loc.substr(c + 1), ref);
      } else {
        parseGnuLoc(loc, ref);
      }
      addReference(events_[lastDuplicate_], std::move(ref));
      touched_ = lastDuplicate_;
      return true;
    }
    // glibc's link-time warning, the sign of a static link meant to be dynamic.
    size_t u = body.find("Using '");
    if (u != StringRef::npos && body.contains("' in statically linked applications requires")) {
      StringRef sym = body.substr(u + 7);
      LinkerEvent e =
          makeEvent(Kind::Other, hint == LinkerFlavor::Unknown ? LinkerFlavor::GnuLd : hint, true);
      e.symbol = cap(sym.take_front(sym.find('\'')));
      SymbolReference ref;
      StringRef loc = body.take_front(u).rtrim(kSpace);
      loc.consume_back("warning:");
      loc = loc.rtrim(kSpace);
      loc.consume_back(":");
      Loc l = parseGnuLoc(loc, ref);
      applyContext(ref, l);
      if (l != Loc::None)
        addReference(e, std::move(ref));
      appendDetail(e, body.substr(u));
      add(std::move(e));
      keepContext_ = true;
      return true;
    }
    return false;
  }

  StringRef loc = body.take_front(at).rtrim(kSpace);
  StringRef after = body.substr(at + form->phrase.size());
  // gold: "LOC: error: undefined reference to 'sym'"; GNU ld with
  // --warn-unresolved-symbols: "LOC: warning: undefined reference to `sym'".
  bool gold = false;
  if (loc.consume_back("error:")) {
    gold = true;
  } else if (loc.consume_back("warning:")) {
    gold = true;
    warning = true;
  }
  gold = gold && after.startswith("'");
  loc = loc.rtrim(kSpace);
  loc.consume_back(":");
  bool lldShlib = after.consume_back(" [--no-allow-shlib-undefined]");

  LinkerFlavor flavor = hint;
  if (lldShlib)
    flavor = LinkerFlavor::Lld;
  else if (gold && (hint == LinkerFlavor::Unknown || hint == LinkerFlavor::GnuLd))
    flavor = LinkerFlavor::Gold;
  else if (hint == LinkerFlavor::Unknown)
    flavor = LinkerFlavor::GnuLd;

  SymbolReference ref;
  Loc l = flavor == LinkerFlavor::Gold ? parseGoldLoc(loc, ref) : parseGnuLoc(loc, ref);
  if (flavor == LinkerFlavor::GnuLd)
    applyContext(ref, l);
  bool hasRef = !ref.object.empty() || !ref.source.empty() || !ref.function.empty();
  keepContext_ = true;

  switch (form->what) {
  case Form::DsoRef: {
    LinkerEvent e = makeEvent(Kind::DsoMissingFromCommandLine, LinkerFlavor::GnuLd, warning);
    setSymbol(e, unquote(after));
    if (hasRef)
      addReference(e, std::move(ref));
    dsoPending_ = add(std::move(e));
    return true;
  }
  case Form::More: {
    after.consume_back(" follow");
    LinkerEvent e = makeEvent(Kind::UndefinedSymbol, flavor, warning);
    setSymbol(e, unquote(after));
    e.moreReferences = 1;
    addMerged(std::move(e));
    return true;
  }
  case Form::Undefined: {
    LinkerEvent e = makeEvent(Kind::UndefinedSymbol, flavor, warning);
    // gold: "undefined reference to 'sym', version 'GLIBC_2.34'"
    size_t v = after.rfind(", version ");
    if (v != StringRef::npos && flavor == LinkerFlavor::Gold) {
      e.version = cap(unquote(after.substr(v + 10)));
      after = after.take_front(v);
      e.symbol = cap(unquote(after));
      e.kind = Kind::UndefinedVersionedSymbol;
    } else {
      setSymbol(e, unquote(after));
    }
    if (l == Loc::File && isSharedLibrary(ref.object) && ref.archive.empty())
      e.file = ref.object;
    if (hasRef)
      addReference(e, std::move(ref));
    addMerged(std::move(e));
    return true;
  }
  case Form::Multiple: {
    // "`sym'; a.o:a.c:(.text+0x0): first defined here" (one line since binutils 2.30)
    size_t semi = after.find("; ");
    LinkerEvent e = makeEvent(Kind::DuplicateSymbol, flavor, warning);
    setSymbol(e, unquote(after.take_front(semi)), false);
    if (hasRef)
      addReference(e, std::move(ref));
    if (semi != StringRef::npos) {
      StringRef first = after.substr(semi + 2);
      if (first.consume_back(": first defined here")) {
        SymbolReference def;
        size_t c = findColon(first);
        if (c != StringRef::npos && !first.substr(c).startswith(":(")) {
          setObject(def, first.take_front(c));
          parseGnuLoc(first.substr(c + 1), def);
        } else {
          parseGnuLoc(first, def);
        }
        addReference(e, std::move(def));
      }
    }
    lastDuplicate_ = addMerged(std::move(e));
    return true;
  }
  }
  return false;
}

// ld.lld, mold, lld-link: "undefined symbol: NAME" (+ `>>>` lines), the
// shared-library forms, lld ≤ 5's "x.o:(.text+0x1): undefined symbol 'foo'",
// and "duplicate symbol: NAME".
bool Parser::lldUndefined(StringRef body, LinkerFlavor flavor, bool warning) {
  auto consumeUndefined = [](StringRef &s) {
    return s.consume_front("undefined symbol: ") || s.consume_front("undefined hidden symbol: ") ||
           s.consume_front("undefined protected symbol: ") ||
           s.consume_front("undefined internal symbol: ");
  };

  // mold: "FILE: --no-allow-shlib-undefined: undefined symbol: SYM"
  size_t m = body.find(": --no-allow-shlib-undefined: undefined symbol: ");
  if (m != StringRef::npos) {
    LinkerEvent e = makeEvent(Kind::UndefinedSymbol, flavor, warning);
    setSymbol(e, body.substr(m + 48));
    e.file = cap(body.take_front(m));
    SymbolReference ref;
    setObject(ref, body.take_front(m));
    addReference(e, std::move(ref));
    add(std::move(e));
    return true;
  }
  // lld 17: "undefined reference due to --no-allow-shlib-undefined: SYM"; 18: "undefined reference:
  // SYM"
  StringRef rest = body;
  if (rest.consume_front("undefined reference due to --no-allow-shlib-undefined: ") ||
      rest.consume_front("undefined reference: ")) {
    LinkerEvent e = makeEvent(Kind::UndefinedSymbol, flavor, warning);
    setSymbol(e, rest);
    add(std::move(e));
    return true;
  }

  rest = body;
  StringRef file;
  if (!consumeUndefined(rest)) {
    // lld-link: "<root>: undefined symbol: mainCRTStartup"
    StringRef after;
    file = filePrefix(body, &after);
    rest = after;
    if (file.empty() || !consumeUndefined(rest))
      rest = {}, file = {};
  }
  if (!rest.empty()) {
    LinkerEvent e = makeEvent(Kind::UndefinedSymbol, flavor, warning);
    rest = rest.trim(kSpace);
    if (rest.consume_front("__declspec(dllimport) ")) {
      e.detail = "__declspec(dllimport)";
      if (e.flavor == LinkerFlavor::Lld)
        e.flavor = LinkerFlavor::LldLink;
    }
    // mold 1.x: "undefined symbol: x.o: foo"
    if (flavor == LinkerFlavor::Mold && file.empty()) {
      StringRef sym;
      StringRef obj = filePrefix(rest, &sym);
      if (!obj.empty() && isObjectLike(obj)) {
        SymbolReference ref;
        setObject(ref, obj);
        addReference(e, std::move(ref));
        rest = sym;
      }
    }
    setSymbol(e, rest);
    if (!file.empty())
      e.file = cap(file);
    add(std::move(e));
    return true;
  }

  // lld ≤ 5: "undef.s:(.text+0x1): undefined symbol 'foo'"
  size_t old = body.find(": undefined symbol ");
  if (old != StringRef::npos && isQuoteOpen(body.substr(old + 19))) {
    LinkerEvent e = makeEvent(Kind::UndefinedSymbol, flavor, warning);
    setSymbol(e, unquote(body.substr(old + 19)));
    SymbolReference ref;
    StringRef loc = body.take_front(old);
    size_t p = loc.find(":(");
    setObject(ref, p == StringRef::npos ? loc : loc.take_front(p));
    if (p != StringRef::npos && loc.endswith(")") &&
        !isSectionOffset(loc.slice(p + 2, loc.size() - 1)))
      ref.function = cap(loc.slice(p + 2, loc.size() - 1));
    addReference(e, std::move(ref));
    add(std::move(e));
    return true;
  }

  rest = body;
  if (rest.consume_front("duplicate symbol: ")) {
    LinkerEvent e = makeEvent(Kind::DuplicateSymbol, flavor, warning);
    StringRef sym = rest;
    // mold: "duplicate symbol: a.o: b.o: foo"
    if (flavor == LinkerFlavor::Mold) {
      StringRef afterA, afterB;
      StringRef a = filePrefix(rest, &afterA);
      StringRef b = a.empty() ? StringRef() : filePrefix(afterA, &afterB);
      if (!b.empty() && isObjectLike(a) && isObjectLike(b)) {
        SymbolReference ra, rb;
        setObject(ra, a);
        setObject(rb, b);
        addReference(e, std::move(ra));
        addReference(e, std::move(rb));
        sym = afterB;
      }
    }
    // lld-link ≤ 7: "duplicate symbol: foo in a.obj and in b.obj"
    size_t andIn = sym.rfind(" and in ");
    size_t in = andIn == StringRef::npos ? andIn : sym.take_front(andIn).rfind(" in ");
    if (in != StringRef::npos) {
      SymbolReference ra, rb;
      setObject(ra, sym.slice(in + 4, andIn));
      setObject(rb, sym.substr(andIn + 8));
      addReference(e, std::move(ra));
      addReference(e, std::move(rb));
      sym = sym.take_front(in);
    }
    setSymbol(e, sym, false);
    lastDuplicate_ = add(std::move(e));
    return true;
  }
  return false;
}

// Libraries and files the linker could not find or open.
bool Parser::missingFiles(StringRef body, LinkerFlavor flavor, bool warning) {
  StringRef rest = body;
  auto untilReason = [](StringRef s) {
    // "crt1.o: No such file or directory" -> "crt1.o" (binutils ≥ 2.38 add the reason)
    size_t r = s.rfind(": ");
    return r == StringRef::npos ? s : s.take_front(r);
  };
  if (rest.consume_front("unable to find library ") || rest.consume_front("library not found: ") ||
      rest.consume_front("cannot find -l") || rest.consume_front("could not find library ")) {
    rest = rest.trim(kSpace);
    rest.consume_front("-l");
    LinkerEvent e = makeEvent(Kind::UnableToFindLibrary, flavor, warning);
    size_t reason = rest.find(": ");
    e.file = cap(rest.take_front(reason));
    add(std::move(e));
    return true;
  }
  if (body.startswith("cannot find entry symbol")) // a warning; the entry point is not a file
    return false;
  rest = body;
  // lld names the linker script first when a path in it is the problem:
  // "…/libc.so:5: cannot find /usr/x/lib/libc.so.6 inside /usr/x".
  if (size_t at = rest.find(": cannot find "); at != StringRef::npos && rest.contains(" inside "))
    rest = rest.substr(at + 2);
  if (rest.consume_front("cannot find ")) {
    size_t inside = rest.find(" inside ");
    LinkerEvent e =
        makeEvent(inside == StringRef::npos ? Kind::CannotOpenFile : Kind::CannotFindInsideSysroot,
                  flavor, warning);
    if (inside != StringRef::npos) {
      e.file = cap(rest.take_front(inside));
      appendDetail(e, rest.substr(inside + 1));
    } else {
      e.file = cap(untilReason(rest));
      if (e.file.size() < rest.size())
        appendDetail(e, rest.substr(e.file.size() + 2));
    }
    add(std::move(e));
    return true;
  }
  rest = body;
  if (rest.startswith("cannot open output file ")) {
    return false;
  }
  if (rest.consume_front("cannot open linker script file ") || rest.consume_front("cannot open ") ||
      rest.consume_front("could not open ") || rest.consume_front("no such file or directory: ")) {
    LinkerEvent e = makeEvent(Kind::CannotOpenFile, flavor, warning);
    StringRef file = untilReason(rest);
    e.file = cap(unquote(file));
    if (file.size() < rest.size())
      appendDetail(e, rest.substr(file.size() + 2));
    add(std::move(e));
    return true;
  }
  // gcc: "x.o: No such file or directory"
  if (body.endswith(": No such file or directory")) {
    StringRef file = body.drop_back(27);
    if (!file.empty() && file.find(' ') == StringRef::npos) {
      LinkerEvent e = makeEvent(Kind::CannotOpenFile, flavor, warning);
      e.file = cap(unquote(file));
      e.detail = "No such file or directory";
      add(std::move(e));
      return true;
    }
  }
  // GNU ld: "libgcc_s.so.1, needed by /x/libfoo.so, not found (try using -rpath or -rpath-link)"
  size_t needed = body.find(", needed by ");
  if (needed != StringRef::npos && body.contains(", not found")) {
    LinkerEvent e = makeEvent(Kind::NeededLibraryNotFound, flavor, warning);
    e.file = cap(body.take_front(needed).trim(kSpace));
    StringRef by = body.substr(needed + 2);
    appendDetail(e, by.take_front(by.find(", not found")));
    add(std::move(e));
    return true;
  }
  return false;
}

// Inputs of the wrong architecture, class or format.
bool Parser::incompatible(StringRef body, LinkerFlavor flavor, bool warning) {
  StringRef file, detail;
  size_t p;
  if ((p = body.find(" is incompatible with ")) != StringRef::npos) {
    // lld: "x.o is incompatible with elf64-x86-64"; GNU ld (PE):
    // "i386 architecture of input file `x.o' is incompatible with i386:x86-64 output"
    file = body.take_front(p);
    detail = body.substr(p + 1);
    size_t in = file.find("input file ");
    if (in != StringRef::npos) {
      file = unquote(file.substr(in + 11));
      detail = body;
    }
  } else if (body.startswith("skipping incompatible ")) {
    StringRef rest = body.substr(22);
    size_t when = rest.find(" when searching for ");
    file = rest.take_front(when);
    detail = body;
  } else if ((p = body.find("Relocations in generic ELF")) != StringRef::npos ||
             (p = body.find("error adding symbols: file in wrong format")) != StringRef::npos ||
             (p = body.find("file not recognized: ")) != StringRef::npos ||
             (p = body.find("file format not recognized")) != StringRef::npos ||
             (p = body.find("incompatible file type: ")) != StringRef::npos ||
             (p = body.find("unknown file type")) != StringRef::npos ||
             (p = body.find("Conflicting CPU architectures")) != StringRef::npos ||
             (p = body.find("unsupported ELF machine number")) != StringRef::npos ||
             body.endswith(": incompatible target")) {
    if (p == StringRef::npos)
      p = body.size() - 19; // ": incompatible target"
    file = body.take_front(p).rtrim(kSpace);
    file.consume_back(":");
    detail = body.substr(p);
    detail.consume_front("error adding symbols: ");
  } else {
    return false;
  }
  file = file.trim(kSpace);
  LinkerEvent e = makeEvent(Kind::IncompatibleInput, flavor, warning);
  e.file = cap(file);
  appendDetail(e, detail);
  // GNU ld: "Relocations in generic ELF" (once per section), then "file in
  // wrong format" for the same file: one event.
  if (!events_.empty()) {
    LinkerEvent &last = events_.back();
    if (last.kind == Kind::IncompatibleInput && last.file == e.file && !e.file.empty()) {
      if (!StringRef(last.detail).endswith(e.detail))
        appendDetail(last, e.detail);
      last.warning = last.warning && warning;
      touched_ = events_.size() - 1;
      return true;
    }
  }
  add(std::move(e));
  return true;
}

// Float ABI, bitcode versions and position-independent code.
bool Parser::codegenMismatch(StringRef body, LinkerFlavor flavor, bool warning) {
  size_t p;
  if ((p = body.find("uses VFP register arguments")) != StringRef::npos ||
      (p = body.find("can't link hard-float modules with soft-float modules")) != StringRef::npos ||
      // ld.lld: "x.o: incompatible Tag_ABI_VFP_args" (its .ARM.attributes
      // say soft-float arguments where earlier inputs said hard, or back)
      (p = body.find("incompatible Tag_ABI_VFP_args")) != StringRef::npos ||
      (p = body.find("cannot link object files with different floating-point ABI")) !=
          StringRef::npos) {
    LinkerEvent e = makeEvent(Kind::FloatAbiMismatch, flavor, warning);
    e.file = fileBefore(body, p);
    appendDetail(e, body.substr(p));
    add(std::move(e));
    return true;
  }
  if ((p = body.find("failed to merge target specific data of file ")) != StringRef::npos) {
    StringRef file = body.substr(p + 45).trim(kSpace);
    // The consequence of the VFP message just before.
    if (!events_.empty() && events_.back().kind == Kind::FloatAbiMismatch) {
      touched_ = events_.size() - 1;
      return true;
    }
    LinkerEvent e = makeEvent(Kind::Other, flavor, warning);
    e.file = cap(file);
    appendDetail(e, body);
    add(std::move(e));
    return true;
  }

  // LTO: "x.o: Unknown attribute kind (105) (Producer: 'LLVM22…' Reader: 'LLVM 14.0.6')"
  if (((p = body.find("(Producer: ")) != StringRef::npos && body.contains("Reader: ")) ||
      body.contains("plugin needed to handle lto object") || body.contains("Invalid bitcode")) {
    LinkerEvent e = makeEvent(Kind::BitcodeVersion, flavor, warning);
    StringRef rest = body;
    StringRef file = filePrefix(body, &rest);
    if (!file.empty() && (p == StringRef::npos || file.size() < p))
      e.file = cap(file);
    else
      rest = body;
    appendDetail(e, rest);
    add(std::move(e));
    return true;
  }

  bool pic = (body.contains("recompile ") && body.contains("-fPI")) ||
             body.contains("can not be used when making a") ||
             body.contains("cannot be used when making a");
  if (!pic)
    return false;
  LinkerEvent e = makeEvent(Kind::RelocationNeedsPic, flavor, warning);
  // The relocation type: the first word that starts with R_.
  for (size_t r = body.find("R_"); r != StringRef::npos; r = body.find("R_", r + 2)) {
    if (r == 0 || body[r - 1] == ' ' || body[r - 1] == '(') {
      StringRef type = body.substr(r);
      type = type.take_until([](char c) { return c == ' ' || c == ',' || c == ';' || c == ')'; });
      e.detail = cap(type);
      break;
    }
  }
  StringRef rest;
  StringRef file = filePrefix(body, &rest);
  if (file.empty() || file.startswith("relocation") || file.startswith("requires")) {
    file = {};
    rest = body;
  }
  if (e.detail.empty())
    appendDetail(e, rest);
  size_t against = body.find(" against ");
  if (against != StringRef::npos) {
    StringRef t = body.substr(against + 9);
    t.consume_front("symbol: ") || t.consume_front("symbol ");
    if (!t.startswith("local symbol") && !t.startswith("undefined symbol")) {
      if (isQuoteOpen(t)) {
        size_t close = t.find_first_of("'\"", 1);
        size_t curly = t.find("\xE2\x80\x99");
        close = std::min(close, curly);
        e.symbol = cap(unquote(t.take_front(close == StringRef::npos ? t.size() : close + 1)));
      } else {
        e.symbol = cap(t.take_until([](char c) { return c == ' ' || c == ';'; }));
      }
    }
  }
  // "x.o: relocation …" (GNU ld, gold) or "x.o:(.text+0x1): relocation …" (mold)
  if (!file.empty())
    e.file = cap(withoutSection(file));
  // GNU ld after "in function": "f.c:(.text+0x1): relocation …" is in that object.
  if (context_.valid && !file.empty()) {
    SymbolReference ref;
    applyContext(ref, parseGnuLoc(file, ref));
    if (!isObjectLike(withoutSection(file)) && !ref.object.empty())
      e.file = ref.archive.empty() ? ref.object : ref.archive + "(" + ref.object + ")";
    addReference(e, std::move(ref));
    keepContext_ = true;
  }
  add(std::move(e));
  return true;
}

// lld-link's COFF messages.
bool Parser::coffForms(StringRef body, LinkerFlavor flavor, bool warning) {
  size_t p;
  // "a.obj: locally defined symbol imported: foo (defined in b.obj) [LNK4217]"
  if ((p = body.find("locally defined symbol imported: ")) != StringRef::npos) {
    LinkerEvent e = makeEvent(Kind::LocallyDefinedImported, flavor, warning);
    e.file = fileBefore(body, p);
    StringRef rest = body.substr(p + 33);
    size_t bracket = rest.rfind(" [LNK");
    if (bracket != StringRef::npos)
      rest = rest.take_front(bracket);
    size_t def = rest.rfind(" (defined in ");
    if (def != StringRef::npos && rest.endswith(")")) {
      appendDetail(e, rest.slice(def + 2, rest.size() - 1));
      rest = rest.take_front(def);
    }
    e.symbol = cap(rest.trim(kSpace));
    if (!e.file.empty()) {
      SymbolReference ref;
      setObject(ref, e.file);
      addReference(e, std::move(ref));
    }
    add(std::move(e));
    return true;
  }
  // "b.obj: machine type x86 conflicts with x64"
  if ((p = body.find("machine type ")) != StringRef::npos && body.contains(" conflicts with ")) {
    LinkerEvent e = makeEvent(Kind::MachineConflict, flavor, warning);
    e.file = fileBefore(body, p);
    appendDetail(e, body.substr(p));
    add(std::move(e));
    return true;
  }
  // "/failifmismatch: mismatch detected for 'RuntimeLibrary':" + ">>> … has value …"
  if ((p = body.find("mismatch detected for ")) != StringRef::npos) {
    LinkerEvent e = makeEvent(Kind::FailIfMismatch, flavor, warning);
    StringRef key = body.substr(p + 22).trim(kSpace);
    key.consume_back(":");
    size_t colon = key.find(": ");
    if (colon != StringRef::npos) { // the values on the same line
      appendDetail(e, key.substr(colon + 2));
      key = key.take_front(colon);
    }
    e.symbol = cap(unquote(key));
    add(std::move(e));
    return true;
  }
  return false;
}

std::vector<LinkerEvent> Parser::finish() {
  auto fix = [](std::string &s) {
    if (!llvm::json::isUTF8(s))
      s = llvm::json::fixUTF8(s);
  };
  // rust-lld is lld-link for windows-msvc targets: one COFF sign makes them all lld-link.
  auto isCoffName = [](StringRef name) {
    return name.endswith_insensitive(".obj") || name.endswith_insensitive(".lib");
  };
  bool coff = llvm::any_of(anyLldEvents_, [&](size_t i) {
    const LinkerEvent &e = events_[i];
    return e.flavor == LinkerFlavor::LldLink ||
           llvm::any_of(e.references, [&](const SymbolReference &r) {
             return isCoffName(r.object) || isCoffName(r.archive);
           });
  });
  if (coff)
    for (size_t i : anyLldEvents_)
      events_[i].flavor = LinkerFlavor::LldLink;
  for (LinkerEvent &e : events_) {
    // An undefined symbol referenced from a shared library: that library is
    // what the message is about (it was built against something newer).
    if ((e.kind == Kind::UndefinedSymbol || e.kind == Kind::UndefinedVersionedSymbol) &&
        e.file.empty() && !e.references.empty() && isSharedLibrary(e.references.front().object) &&
        e.references.front().archive.empty())
      e.file = e.references.front().object;
    fix(e.symbol);
    fix(e.version);
    fix(e.file);
    fix(e.detail);
    for (SymbolReference &r : e.references) {
      fix(r.object);
      fix(r.archive);
      fix(r.function);
      fix(r.source);
    }
  }
  return std::move(events_);
}

} // namespace

std::vector<LinkerEvent> parseLinkerOutput(llvm::StringRef text) {
  Parser parser;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    parser.line(text.take_front(nl), 0);
    text = nl == llvm::StringRef::npos ? llvm::StringRef() : text.substr(nl + 1);
  }
  return parser.finish();
}

} // namespace crosshim::diag
