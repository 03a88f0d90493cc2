#include "diagnostics/coff.h"

#include "diagnostics/archive.h"

#include <llvm/ADT/STLExtras.h>
#include <llvm/ADT/StringExtras.h>
#include <llvm/ADT/Triple.h>
#include <llvm/Support/Endian.h>
#include <llvm/Support/MemoryBuffer.h>

namespace crosshim::diag {
namespace {

using llvm::StringRef;
using llvm::support::endian::read16le;
using llvm::support::endian::read32le;

constexpr size_t kFileHeaderSize = 20;    // IMAGE_FILE_HEADER
constexpr size_t kSectionHeaderSize = 40; // IMAGE_SECTION_HEADER
constexpr size_t kSymbolSize = 18;        // IMAGE_SYMBOL
constexpr uint8_t kClassExternal = 2;     // IMAGE_SYM_CLASS_EXTERNAL

// Only machines a Windows target can have: a random file whose first two
// bytes happen to be anything else is not taken for an object.
bool isKnownMachine(uint16_t machine) {
  switch (machine) {
  case kCoffMachineI386:
  case kCoffMachineAmd64:
  case kCoffMachineArmNT:
  case kCoffMachineArm64:
  case 0x1c0:  // ARM
  case 0x1c2:  // THUMB
  case 0xa641: // ARM64EC
  case 0xa64e: // ARM64X
    return true;
  default:
    return false;
  }
}

uint16_t u16(StringRef bytes, size_t at) {
  return read16le(bytes.data() + at);
}
uint32_t u32(StringRef bytes, size_t at) {
  return read32le(bytes.data() + at);
}

// A NUL-terminated string at `at` in `table`, cut at the table's end.
StringRef stringAt(StringRef table, size_t at) {
  if (at >= table.size())
    return {};
  StringRef s = table.drop_front(at);
  return s.take_front(s.find('\0'));
}

// A short import member: IMPORT_OBJECT_HEADER (Sig1 0, Sig2 0xFFFF, Version,
// Machine, TimeDateStamp, SizeOfData, OrdinalOrHint, Type:2 NameType:3 ...)
// and then "name\0dll\0".
std::optional<CoffFile> readImport(StringRef bytes) {
  CoffFile file;
  file.kind = CoffFile::Kind::Import;
  file.machine = u16(bytes, 6);
  StringRef strings = bytes.drop_front(kFileHeaderSize).take_front(u32(bytes, 12));
  file.importName = stringAt(strings, 0).str();
  file.dll = stringAt(strings, file.importName.size() + 1).str();
  if (file.importName.empty())
    return std::nullopt;
  const unsigned type = u16(bytes, 18) & 3; // 0 code, 1 data, 2 const
  file.defined.push_back("__imp_" + file.importName);
  if (type == 0)
    file.defined.push_back(file.importName);
  return file;
}

std::optional<CoffFile> readObject(StringRef bytes, size_t header, CoffFile::Kind kind) {
  if (bytes.size() - header < kFileHeaderSize)
    return std::nullopt;
  CoffFile file;
  file.kind = kind;
  file.machine = u16(bytes, header);
  if (!isKnownMachine(file.machine))
    return std::nullopt;
  if (kind == CoffFile::Kind::Image)
    return file;
  const uint32_t sections = u16(bytes, header + 2);
  const uint64_t symtab = u32(bytes, header + 8);
  const uint64_t symbols = u32(bytes, header + 12);
  const uint64_t sectionTable = header + kFileHeaderSize + u16(bytes, header + 16);
  if (sectionTable + uint64_t(sections) * kSectionHeaderSize > bytes.size())
    return std::nullopt; // not an object after all, or cut short

  StringRef strtab;
  const uint64_t strtabAt = symtab + symbols * kSymbolSize;
  if (symtab != 0 && strtabAt + 4 <= bytes.size()) {
    strtab = bytes.substr(strtabAt, u32(bytes, strtabAt)); // the size counts its own 4 bytes
  }

  for (uint32_t i = 0; i < sections; ++i) {
    StringRef sh = bytes.substr(sectionTable + i * kSectionHeaderSize, kSectionHeaderSize);
    StringRef name = sh.take_front(8);
    name = name.take_front(name.find('\0'));
    if (name != ".drectve" && name != ".idata$7")
      continue;
    const uint64_t size = u32(sh, 16), at = u32(sh, 20);
    if (at > bytes.size() || size > bytes.size() - at)
      continue;
    StringRef contents = bytes.substr(at, size);
    if (name == ".drectve") {
      file.directives += contents.str() + " ";
      continue;
    }
    StringRef text = contents.take_front(contents.find('\0'));
    if (!text.empty() && llvm::all_of(text, [](char c) { return c > ' ' && c < 127; }))
      file.idataDll = text.str();
  }
  file.directives = StringRef(file.directives).rtrim(" \0").str();

  if (symtab == 0 || symtab > bytes.size() || symbols > (bytes.size() - symtab) / kSymbolSize)
    return file;
  for (uint64_t i = 0; i < symbols; ++i) {
    StringRef sym = bytes.substr(symtab + i * kSymbolSize, kSymbolSize);
    const uint8_t aux = uint8_t(sym[17]);
    const uint8_t storageClass = uint8_t(sym[16]);
    if (storageClass == kClassExternal) {
      StringRef name = u32(sym, 0) == 0 ? stringAt(strtab, u32(sym, 4))
                                        : sym.take_front(8).take_until([](char c) { return !c; });
      const int16_t section = int16_t(u16(sym, 12));
      const uint32_t value = u32(sym, 8);
      if (!name.empty()) {
        if (section > 0 || (section == 0 && value != 0)) // in a section, or common
          file.defined.push_back(name.str());
        else if (section == 0)
          file.undefined.push_back(name.str());
      }
    }
    i += aux;
  }
  return file;
}

} // namespace

std::string coffMachineName(uint16_t machine) {
  switch (machine) {
  case kCoffMachineI386:
    return "x86";
  case kCoffMachineAmd64:
    return "x64";
  case kCoffMachineArmNT:
    return "arm";
  case kCoffMachineArm64:
    return "arm64";
  case 0xa641:
    return "arm64ec";
  case kCoffMachineUnknown:
    return "unknown";
  default:
    return "0x" + llvm::utohexstr(machine, /*LowerCase=*/true);
  }
}

uint16_t coffMachineForTriple(StringRef triple) {
  switch (llvm::Triple(triple).getArch()) {
  case llvm::Triple::x86_64:
    return kCoffMachineAmd64;
  case llvm::Triple::x86:
    return kCoffMachineI386;
  case llvm::Triple::aarch64:
    return kCoffMachineArm64;
  case llvm::Triple::arm:
  case llvm::Triple::thumb:
    return kCoffMachineArmNT;
  default:
    return kCoffMachineUnknown;
  }
}

std::optional<CoffFile> readCoff(StringRef bytes) {
  if (bytes.size() < kFileHeaderSize)
    return std::nullopt;
  // PE image: the MZ stub points at "PE\0\0" and the file header after it.
  if (bytes.startswith("MZ")) {
    if (bytes.size() < 0x40)
      return std::nullopt;
    const uint64_t pe = u32(bytes, 0x3c);
    if (pe + 4 > bytes.size() || bytes.substr(pe, 4) != StringRef("PE\0\0", 4))
      return std::nullopt;
    return readObject(bytes, pe + 4, CoffFile::Kind::Image);
  }
  // Sig1 0 and Sig2 0xFFFF: an import member (version 0) or a /bigobj
  // object (version 2, a class GUID; its symbols are 20 bytes: not read).
  if (u16(bytes, 0) == 0 && u16(bytes, 2) == 0xffff) {
    if (u16(bytes, 4) == 0)
      return readImport(bytes);
    CoffFile file;
    file.kind = CoffFile::Kind::BigObject;
    file.machine = u16(bytes, 6);
    if (!isKnownMachine(file.machine))
      return std::nullopt;
    return file;
  }
  return readObject(bytes, 0, CoffFile::Kind::Object);
}

std::vector<Directive> parseDirectives(StringRef text) {
  // Tokens are separated by blanks; double quotes group (and are dropped),
  // anywhere in the token: "/DEFAULTLIB:a b.lib" and /DEFAULTLIB:"a b.lib".
  std::vector<std::string> tokens;
  std::string token;
  bool quoted = false, any = false;
  for (char c : text) {
    if (c == '"') {
      quoted = !quoted;
      any = true;
    } else if (!quoted && (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\0')) {
      if (any)
        tokens.push_back(std::move(token));
      token.clear();
      any = false;
    } else {
      token += c;
      any = true;
    }
  }
  if (any)
    tokens.push_back(std::move(token));

  std::vector<Directive> directives;
  for (StringRef t : tokens) {
    if (!t.consume_front("/") && !t.consume_front("-"))
      continue;
    auto [option, value] = t.split(':');
    directives.push_back({option.lower(), value.str()});
  }
  return directives;
}

void forEachCoffInBuffer(StringRef bytes, llvm::function_ref<void(const CoffInput &)> visit) {
  if (bytes.startswith("!<arch>\n")) {
    llvm::consumeError(forEachArchiveMember(bytes, [&](const ArchiveMember &m) {
      if (auto file = readCoff(m.bytes))
        visit({m.name.str(), std::move(*file)});
    }));
    return;
  }
  if (auto file = readCoff(bytes))
    visit({"", std::move(*file)});
}

void forEachCoffInput(StringRef path, llvm::function_ref<void(const CoffInput &)> visit) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (buffer)
    forEachCoffInBuffer((*buffer)->getBuffer(), visit);
}

} // namespace crosshim::diag
