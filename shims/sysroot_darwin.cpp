// Finding a macOS SDK for the Darwin targets: the user brings it (Apple's
// license keeps it out of crosshim and of Debian); crosshim recognises the
// layouts that osxcross, Xcode and the Command Line Tools give it.
#include "shims/sysroot.h"

#include "support/env.h"
#include "support/errors.h"
#include "support/version.h"

#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/JSON.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>

namespace crosshim {
namespace {

bool isSdk(const llvm::Twine &path) {
  return llvm::sys::fs::exists(path + "/SDKSettings.json") ||
         llvm::sys::fs::exists(path + "/usr/lib/libSystem.tbd");
}

// The newest MacOSX*.sdk in `dir` (MacOSX.sdk, often a link to the versioned
// one, counts as version 0).
std::string newestSdkIn(const std::string &dir) {
  std::string best;
  std::vector<unsigned> bestKey;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    llvm::StringRef name = llvm::sys::path::filename(it->path());
    if (!name.startswith("MacOSX") || !name.endswith(".sdk") || !isSdk(it->path()))
      continue;
    // MacOSX10.15 < MacOSX11.0; "14.0beta" keeps its leading 14.
    std::vector<unsigned> key = versionKey(macSdkVersion(it->path()), NonNumeric::StopThere);
    if (best.empty() || key > bestKey) {
      best = it->path();
      bestKey = key;
    }
  }
  return best;
}

} // namespace

std::string macSdkVersion(llvm::StringRef sdk) {
  if (auto buf = llvm::MemoryBuffer::getFile(sdk + "/SDKSettings.json")) {
    if (auto json = llvm::json::parse((*buf)->getBuffer()))
      if (const llvm::json::Object *o = json->getAsObject())
        if (auto v = o->getString("Version"))
          return v->str();
  }
  llvm::StringRef name = llvm::sys::path::filename(sdk);
  if (name.consume_front("MacOSX") && name.consume_back(".sdk") && !name.empty() &&
      llvm::isDigit(name.front()))
    return name.str();
  return {};
}

bool classifyMacSdk(llvm::StringRef path, Sysroot &s) {
  std::string sdk;
  if (isSdk(path)) {
    sdk = path.str();
  } else {
    for (const char *sub :
         {".", "SDK", "SDKs", "target/SDK", "Platforms/MacOSX.platform/Developer/SDKs",
          "Contents/Developer/Platforms/MacOSX.platform/Developer/SDKs"}) {
      sdk = newestSdkIn(path.str() + "/" + sub);
      if (!sdk.empty())
        break;
    }
  }
  if (sdk.empty())
    return false;
  s.layout = Layout::MacSdk;
  s.path = sdk;
  s.mergedUsr = false;
  s.sdkVersion = macSdkVersion(sdk);
  return true;
}

llvm::Expected<Sysroot> findMacSdk(const Target &target, std::vector<std::string> looked,
                                   llvm::StringRef envKey, const Env &env) {
  auto from = [](const std::string &path, const std::string &source) -> std::optional<Sysroot> {
    Sysroot s;
    if (!classifyMacSdk(path, s))
      return std::nullopt;
    s.source = source;
    return s;
  };
  if (auto sdkroot = env.get("SDKROOT")) {
    if (auto s = from(std::string(*sdkroot), "SDKROOT"))
      return *s;
    looked.push_back("SDKROOT=" + std::string(*sdkroot) + " (not a macOS SDK)");
  } else {
    looked.push_back("SDKROOT (not set)");
  }
  if (auto sdk = env.get("OSXCROSS_SDK")) {
    if (auto s = from(std::string(*sdk), "OSXCROSS_SDK"))
      return *s;
    looked.push_back("OSXCROSS_SDK=" + std::string(*sdk) + " (not a macOS SDK)");
  }
  // osxcross: <dir>/target/bin (its x86_64-apple-darwin<N>-clang) on PATH,
  // the SDK in <dir>/target/SDK.
  const std::string path = env.getOr("PATH");
  for (llvm::StringRef dir : llvm::split(path, ':')) {
    dir = dir.rtrim('/');
    if (!dir.endswith("/bin"))
      continue;
    const std::string parent = llvm::sys::path::parent_path(dir).str();
    if (!llvm::sys::fs::is_directory(parent + "/SDK"))
      continue;
    if (auto s = from(parent, "osxcross (" + dir.str() + " on PATH)"))
      return *s;
  }
  looked.push_back("osxcross's target/SDK next to a target/bin on PATH (none)");
  return sysrootNotFound(
      "no macOS SDK for " + target.rust.str(), looked,
      "Apple's SDK cannot come with crosshim: set SDKROOT to a MacOSX<version>.sdk (from "
      "Xcode or the Command Line Tools on a Mac, or osxcross's packaged SDK), or `sysroot` "
      "under [target." +
          target.rust.str() + "] in crosshim.toml or " + envKey.str() +
          " to the SDK or a folder holding SDKs/MacOSX*.sdk");
}

} // namespace crosshim
