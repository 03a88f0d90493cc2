#include "diagnostics/elf.h"

#include <llvm/BinaryFormat/ELF.h>
#include <llvm/Object/ELF.h>
#include <llvm/Support/ARMAttributeParser.h>
#include <llvm/Support/ARMBuildAttributes.h>
#include <llvm/Support/Endian.h>

namespace crosshim::diag {
namespace {

// LLVM 14's getVersionDependencies/Definitions keep the rest of the string
// table after a name; the name ends at the first NUL.
std::string cString(const std::string &s) {
  return s.substr(0, s.find('\0'));
}

void splitPath(llvm::StringRef value, std::vector<std::string> &out) {
  llvm::SmallVector<llvm::StringRef, 4> parts;
  value.split(parts, ':', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef p : parts)
    out.push_back(p.str());
}

// Long on purpose: one pass over one file's headers in file order; each
// block reads one table (program headers, dynamic section, versions) into the
// result, and split up they would hand the half-read file around.
template <class ELFT> llvm::Expected<ElfInfo> parse(llvm::StringRef bytes, bool readSymbols) {
  using namespace llvm::object;
  auto fileOr = ELFFile<ELFT>::create(bytes);
  if (!fileOr)
    return fileOr.takeError();
  const ELFFile<ELFT> &file = *fileOr;
  const auto &header = file.getHeader();

  ElfInfo info;
  info.machine = header.e_machine;
  info.is64 = ELFT::Is64Bits;
  info.littleEndian = ELFT::TargetEndianness == llvm::support::little;
  info.type = header.e_type;
  info.flags = header.e_flags;
  if (info.machine == llvm::ELF::EM_ARM) {
    if (info.flags & llvm::ELF::EF_ARM_ABI_FLOAT_HARD)
      info.armFloatAbi = ArmFloatAbi::Hard;
    else if (info.flags & llvm::ELF::EF_ARM_ABI_FLOAT_SOFT)
      info.armFloatAbi = ArmFloatAbi::Soft;
  }

  auto phdrs = file.program_headers();
  if (!phdrs)
    return phdrs.takeError();
  for (const auto &ph : *phdrs) {
    if (ph.p_type != llvm::ELF::PT_INTERP)
      continue;
    if (ph.p_offset > bytes.size() || ph.p_filesz > bytes.size() - ph.p_offset)
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "PT_INTERP lies outside the file");
    info.interp = bytes.substr(ph.p_offset, ph.p_filesz).rtrim('\0').str();
  }

  auto sections = file.sections();
  if (!sections)
    return sections.takeError();
  const typename ELFT::Shdr *dynamic = nullptr, *dynsym = nullptr, *verneed = nullptr,
                            *verdef = nullptr, *versym = nullptr;
  for (const auto &sec : *sections) {
    switch (sec.sh_type) {
    case llvm::ELF::SHT_DYNAMIC:
      dynamic = &sec;
      break;
    case llvm::ELF::SHT_DYNSYM:
      dynsym = &sec;
      break;
    case llvm::ELF::SHT_GNU_verneed:
      verneed = &sec;
      break;
    case llvm::ELF::SHT_GNU_verdef:
      verdef = &sec;
      break;
    case llvm::ELF::SHT_GNU_versym:
      versym = &sec;
      break;
    default:
      break;
    }
  }

  for (const auto *sec : {verneed, verdef}) {
    if (!sec)
      continue;
    auto contents = file.getSectionContents(*sec);
    if (!contents)
      return contents.takeError();
    if (llvm::Error err =
            checkVersionSection(*contents, sec->sh_info, sec == verdef, info.littleEndian))
      return err;
  }

  if (dynamic) {
    auto entries = file.template getSectionContentsAsArray<typename ELFT::Dyn>(*dynamic);
    if (!entries)
      return entries.takeError();
    auto strtab = file.getStringTableForSymtab(*dynamic, *sections);
    // .dynamic's sh_link names .dynstr; getStringTableForSymtab checks the type.
    if (!strtab) {
      llvm::consumeError(strtab.takeError());
      auto strSec = file.getSection(dynamic->sh_link);
      if (!strSec)
        return strSec.takeError();
      strtab = file.getStringTable(**strSec);
      if (!strtab)
        return strtab.takeError();
    }
    auto str = [&](uint64_t offset) -> llvm::Expected<std::string> {
      if (offset >= strtab->size())
        return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                       "a dynamic entry points outside .dynstr");
      return std::string(strtab->data() + offset);
    };
    for (const auto &entry : *entries) {
      std::vector<std::string> *list = nullptr;
      std::string *single = nullptr;
      switch (entry.getTag()) {
      case llvm::ELF::DT_NEEDED:
        list = &info.needed;
        break;
      case llvm::ELF::DT_SONAME:
        single = &info.soname;
        break;
      case llvm::ELF::DT_RUNPATH:
        list = &info.runpath;
        break;
      case llvm::ELF::DT_RPATH:
        list = &info.rpath;
        break;
      default:
        continue;
      }
      auto value = str(entry.getVal());
      if (!value)
        return value.takeError();
      if (single)
        *single = *value;
      else if (list == &info.needed)
        list->push_back(*value);
      else
        splitPath(*value, *list);
    }
  }

  if (verneed) {
    auto needs = file.getVersionDependencies(*verneed);
    if (!needs)
      return needs.takeError();
    for (const auto &need : *needs) {
      ElfVersionNeed n{cString(need.File), {}};
      for (const auto &aux : need.AuxV)
        n.versions.push_back(cString(aux.Name));
      info.versionNeeds.push_back(std::move(n));
    }
  }
  if (verdef) {
    auto defs = file.getVersionDefinitions(*verdef);
    if (!defs)
      return defs.takeError();
    for (const auto &def : *defs)
      if (!(def.Flags & llvm::ELF::VER_FLG_BASE))
        info.versionDefs.push_back(cString(def.Name));
  }

  if (readSymbols && dynsym) {
    auto symbols = file.symbols(dynsym);
    if (!symbols)
      return symbols.takeError();
    auto strtab = file.getStringTableForSymtab(*dynsym, *sections);
    if (!strtab)
      return strtab.takeError();
    auto versionMap = file.loadVersionMap(verneed, verdef);
    if (!versionMap)
      return versionMap.takeError();
    llvm::ArrayRef<typename ELFT::Versym> versions;
    if (versym) {
      auto v = file.template getSectionContentsAsArray<typename ELFT::Versym>(*versym);
      if (!v)
        return v.takeError();
      versions = *v;
    }
    size_t index = 0;
    for (const auto &sym : *symbols) {
      size_t i = index++;
      if (i == 0)
        continue; // the null symbol
      auto name = sym.getName(*strtab);
      if (!name)
        return name.takeError();
      ElfSymbol s;
      s.name = name->str();
      s.defined = sym.st_shndx != llvm::ELF::SHN_UNDEF;
      s.weak = sym.getBinding() == llvm::ELF::STB_WEAK;
      if (i < versions.size()) {
        unsigned v = versions[i].vs_index & llvm::ELF::VERSYM_VERSION;
        if (v < versionMap->size() && (*versionMap)[v])
          s.version = cString((*versionMap)[v]->Name);
      }
      info.dynamicSymbols.push_back(std::move(s));
    }
  }
  return info;
}

} // namespace

llvm::Error checkVersionSection(llvm::ArrayRef<uint8_t> contents, uint64_t entries, bool verdef,
                                bool littleEndian) {
  // Elf_Verdef is 20 bytes (vd_cnt at 6, vd_next at 16), Elf_Verdaux 8;
  // Elf_Verneed 16 (vn_cnt at 2, vn_next at 12), Elf_Vernaux 16.
  const size_t entrySize = verdef ? 20 : 16, auxSize = verdef ? 8 : 16;
  const size_t cntAt = verdef ? 6 : 2, nextAt = verdef ? 16 : 12;
  const auto order = littleEndian ? llvm::support::little : llvm::support::big;
  auto malformed = [&] {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "%s: more version entries than the section holds",
                                   verdef ? "SHT_GNU_verdef" : "SHT_GNU_verneed");
  };
  if (entries > contents.size() / entrySize)
    return malformed();
  uint64_t aux = 0;
  size_t offset = 0;
  for (uint64_t i = 0; i < entries; ++i) {
    if (offset > contents.size() || contents.size() - offset < entrySize)
      break; // LLVM reports this one itself
    const uint8_t *entry = contents.data() + offset;
    aux += llvm::support::endian::read16(entry + cntAt, order);
    offset += llvm::support::endian::read32(entry + nextAt, order);
  }
  if (aux > contents.size() / auxSize)
    return malformed();
  return llvm::Error::success();
}

bool isElf(llvm::StringRef bytes) {
  return bytes.startswith("\x7f"
                          "ELF");
}

llvm::Expected<ElfInfo> readElf(llvm::MemoryBufferRef buffer, bool readSymbols) {
  llvm::StringRef bytes = buffer.getBuffer();
  if (!isElf(bytes) || bytes.size() < llvm::ELF::EI_NIDENT)
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s is not an ELF file",
                                   buffer.getBufferIdentifier().str().c_str());
  const unsigned char cls = bytes[llvm::ELF::EI_CLASS], data = bytes[llvm::ELF::EI_DATA];
  llvm::Expected<ElfInfo> info =
      cls == llvm::ELF::ELFCLASS64
          ? (data == llvm::ELF::ELFDATA2MSB ? parse<llvm::object::ELF64BE>(bytes, readSymbols)
                                            : parse<llvm::object::ELF64LE>(bytes, readSymbols))
          : (data == llvm::ELF::ELFDATA2MSB ? parse<llvm::object::ELF32BE>(bytes, readSymbols)
                                            : parse<llvm::object::ELF32LE>(bytes, readSymbols));
  if (!info)
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s: %s",
                                   buffer.getBufferIdentifier().str().c_str(),
                                   llvm::toString(info.takeError()).c_str());
  return info;
}

llvm::Expected<ElfInfo> readElfFile(llvm::StringRef path, bool readSymbols) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return llvm::createStringError(buffer.getError(), "cannot read %s: %s", path.str().c_str(),
                                   buffer.getError().message().c_str());
  return readElf((*buffer)->getMemBufferRef(), readSymbols);
}

std::optional<ArmAttributes> readArmAttributes(llvm::StringRef bytes) {
  if (bytes.size() < llvm::ELF::EI_NIDENT || !isElf(bytes) ||
      bytes[llvm::ELF::EI_CLASS] != llvm::ELF::ELFCLASS32 ||
      bytes[llvm::ELF::EI_DATA] != llvm::ELF::ELFDATA2LSB)
    return std::nullopt;
  auto file = llvm::object::ELFFile<llvm::object::ELF32LE>::create(bytes);
  if (!file) {
    llvm::consumeError(file.takeError());
    return std::nullopt;
  }
  if (file->getHeader().e_machine != llvm::ELF::EM_ARM)
    return std::nullopt;
  auto sections = file->sections();
  if (!sections) {
    llvm::consumeError(sections.takeError());
    return std::nullopt;
  }
  for (const auto &section : *sections) {
    if (section.sh_type != llvm::ELF::SHT_ARM_ATTRIBUTES)
      continue;
    auto contents = file->getSectionContents(section);
    if (!contents) {
      llvm::consumeError(contents.takeError());
      return std::nullopt;
    }
    llvm::ARMAttributeParser parser;
    if (llvm::Error err = parser.parse(*contents, llvm::support::little)) {
      llvm::consumeError(std::move(err));
      return std::nullopt;
    }
    ArmAttributes attributes;
    if (auto v = parser.getAttributeValue(llvm::ARMBuildAttrs::ABI_VFP_args))
      attributes.vfpArgs = *v;
    if (auto v = parser.getAttributeValue(llvm::ARMBuildAttrs::ABI_FP_number_model))
      attributes.fpNumberModel = *v;
    return attributes;
  }
  return std::nullopt;
}

std::string machineName(uint16_t machine) {
  switch (machine) {
  case llvm::ELF::EM_X86_64:
    return "x86-64";
  case llvm::ELF::EM_386:
    return "i386";
  case llvm::ELF::EM_AARCH64:
    return "AArch64";
  case llvm::ELF::EM_ARM:
    return "ARM";
  case llvm::ELF::EM_RISCV:
    return "RISC-V";
  case llvm::ELF::EM_PPC64:
    return "PowerPC64";
  case llvm::ELF::EM_S390:
    return "S/390";
  default:
    return "machine " + std::to_string(machine);
  }
}

} // namespace crosshim::diag
