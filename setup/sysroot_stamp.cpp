// The stamp file (.crosshim-sysroot) of a sysroot `crosshim sysroot create`
// made: what it was made from. Read from sysroots that may come from
// anywhere, so its parser is fuzzed (fuzz/targets/fuzz_sysroot_stamp.cpp).
#include "setup/sysroot_create.h"

#include "support/errors.h"
#include "support/fs.h"
#include "support/safe_file.h"

#include <llvm/ADT/SmallVector.h>

#include <sys/stat.h>

namespace crosshim {
namespace {

// A stamp lists the packages of one sysroot: a few hundred lines.
constexpr uint64_t kMaxStampBytes = 4 << 20;

} // namespace

std::string formatStamp(const SysrootStamp &stamp) {
  std::string text = "crosshim-sysroot 1\n";
  text += "target " + stamp.target + "\n";
  text += "arch " + stamp.arch + "\n";
  text += "distro " + stamp.distro + "\n";
  text += "mirror " + stamp.mirror + "\n";
  text += "with";
  for (const std::string &w : stamp.with)
    text += " " + w;
  text += "\n";
  for (const ResolvedPackage &p : stamp.packages)
    text += "package " + p.name + " " + p.version + " " + (p.arch.empty() ? "-" : p.arch) + "\n";
  return text;
}

llvm::Expected<SysrootStamp> parseStamp(llvm::StringRef text) {
  SysrootStamp stamp;
  llvm::SmallVector<llvm::StringRef, 128> lines;
  text.split(lines, '\n', -1, /*KeepEmpty=*/false);
  if (lines.empty() || lines[0].trim() != "crosshim-sysroot 1")
    return makeError(ExitCode::Failure, "not a crosshim sysroot stamp (first line '" +
                                            (lines.empty() ? "" : lines[0].str()) + "')");
  for (size_t i = 1; i < lines.size(); ++i) {
    auto [key, value] = lines[i].trim().split(' ');
    value = value.trim();
    if (key == "target")
      stamp.target = value.str();
    else if (key == "arch")
      stamp.arch = value.str();
    else if (key == "distro")
      stamp.distro = value.str();
    else if (key == "mirror")
      stamp.mirror = value.str();
    else if (key == "with") {
      llvm::SmallVector<llvm::StringRef, 8> with;
      value.split(with, ' ', -1, /*KeepEmpty=*/false);
      for (llvm::StringRef w : with)
        stamp.with.push_back(w.str());
    } else if (key == "package") {
      llvm::SmallVector<llvm::StringRef, 3> f;
      value.split(f, ' ', -1, /*KeepEmpty=*/false);
      if (f.size() != 3)
        return makeError(ExitCode::Failure,
                         "bad stamp line " + std::to_string(i + 1) + ": '" + lines[i].str() + "'");
      stamp.packages.push_back({f[0].str(), f[1].str(), f[2] == "-" ? "" : f[2].str()});
    } // unknown keys: written by a newer crosshim; ignored
  }
  if (stamp.target.empty() || stamp.arch.empty() || stamp.distro.empty())
    return makeError(ExitCode::Failure, "stamp without target, arch or distro");
  return stamp;
}

llvm::Expected<std::optional<SysrootStamp>> readStamp(llvm::StringRef dir) {
  const std::string path = dir.str() + "/" + kStampName.str();
  // Only a regular file is a stamp; a sysroot can come from anywhere, so
  // its stamp is read with a size limit.
  if (!isRealFile(path))
    return std::nullopt;
  auto text = readFileBounded(path, "sysroot stamp", {kMaxStampBytes});
  if (!text)
    return text.takeError();
  auto stamp = parseStamp(*text);
  if (!stamp)
    return makeError(ExitCode::Failure, path + ": " + llvm::toString(stamp.takeError()));
  return std::optional<SysrootStamp>(std::move(*stamp));
}

} // namespace crosshim
