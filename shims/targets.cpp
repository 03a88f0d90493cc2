#include "shims/targets.h"

#include "support/errors.h"

#include <llvm/ADT/StringExtras.h>
#include <llvm/ADT/Triple.h>
#include <llvm/Support/Host.h>

#include <algorithm>

namespace crosshim {
namespace {

// Default CPU flags follow what rustc assumes for the same target, so C code
// built through the shim links cleanly with Rust objects.
constexpr llvm::StringRef kI686[] = {"-march=pentium4"};
constexpr llvm::StringRef kArmV6Hf[] = {"-march=armv6", "-mfpu=vfp", "-mfloat-abi=hard"};
constexpr llvm::StringRef kArmV6Soft[] = {"-march=armv6", "-mfloat-abi=soft"};
constexpr llvm::StringRef kArmV7Hf[] = {"-march=armv7-a", "-mfpu=vfpv3-d16", "-mfloat-abi=hard"};
constexpr llvm::StringRef kRiscv64[] = {"-march=rv64gc", "-mabi=lp64d"};

// Windows: rustc's i686 targets assume a Pentium 4 as on Linux. The MinGW
// rows use the clang triple of llvm-mingw (x86_64-w64-windows-gnu), which
// normalises to the same as the GNU prefix x86_64-w64-mingw32. The Apple rows
// use clang's arch name (arm64); their minimum macOS comes from the shim
// (MACOSX_DEPLOYMENT_TARGET), never from the triple.
// clang-format off
constexpr Target kTargets[] = {
    // rust                             clang                              gnu                     multiarch               deb       loader                              emulator
    {"x86_64-unknown-linux-gnu",        "x86_64-unknown-linux-gnu",        "x86_64-linux-gnu",     "x86_64-linux-gnu",     "amd64",  "/lib64/ld-linux-x86-64.so.2",      "qemu-x86_64",  {},              Libc::Glibc, 64},
    {"aarch64-unknown-linux-gnu",       "aarch64-unknown-linux-gnu",       "aarch64-linux-gnu",    "aarch64-linux-gnu",    "arm64",  "/lib/ld-linux-aarch64.so.1",       "qemu-aarch64", {},              Libc::Glibc, 64},
    {"i686-unknown-linux-gnu",          "i686-unknown-linux-gnu",          "i686-linux-gnu",       "i386-linux-gnu",       "i386",   "/lib/ld-linux.so.2",               "qemu-i386",    kI686,           Libc::Glibc, 32},
    {"armv7-unknown-linux-gnueabihf",   "armv7-unknown-linux-gnueabihf",   "arm-linux-gnueabihf",  "arm-linux-gnueabihf",  "armhf",  "/lib/ld-linux-armhf.so.3",         "qemu-arm",     kArmV7Hf,        Libc::Glibc, 32},
    {"arm-unknown-linux-gnueabihf",     "armv6-unknown-linux-gnueabihf",   "",                     "arm-linux-gnueabihf",  "armhf",  "/lib/ld-linux-armhf.so.3",         "qemu-arm",     kArmV6Hf,        Libc::Glibc, 32},
    {"arm-unknown-linux-gnueabi",       "armv6-unknown-linux-gnueabi",     "arm-linux-gnueabi",    "arm-linux-gnueabi",    "armel",  "/lib/ld-linux.so.3",               "qemu-arm",     kArmV6Soft,      Libc::Glibc, 32},
    {"riscv64gc-unknown-linux-gnu",     "riscv64-unknown-linux-gnu",       "riscv64-linux-gnu",    "riscv64-linux-gnu",    "riscv64","/lib/ld-linux-riscv64-lp64d.so.1", "qemu-riscv64", kRiscv64,        Libc::Glibc, 64},
    {"powerpc64le-unknown-linux-gnu",   "powerpc64le-unknown-linux-gnu",   "powerpc64le-linux-gnu","powerpc64le-linux-gnu","ppc64el","/lib64/ld64.so.2",                 "qemu-ppc64le", {},              Libc::Glibc, 64},
    {"s390x-unknown-linux-gnu",         "s390x-unknown-linux-gnu",         "s390x-linux-gnu",      "s390x-linux-gnu",      "s390x",  "/lib/ld64.so.1",                   "qemu-s390x",   {},              Libc::Glibc, 64},
    {"x86_64-unknown-linux-musl",       "x86_64-unknown-linux-musl",       "x86_64-linux-musl",    "x86_64-linux-musl",    "amd64",  "/lib/ld-musl-x86_64.so.1",         "qemu-x86_64",  {},              Libc::Musl,  64},
    {"aarch64-unknown-linux-musl",      "aarch64-unknown-linux-musl",      "aarch64-linux-musl",   "aarch64-linux-musl",   "arm64",  "/lib/ld-musl-aarch64.so.1",        "qemu-aarch64", {},              Libc::Musl,  64},
    {"i686-unknown-linux-musl",         "i686-unknown-linux-musl",         "i686-linux-musl",      "i386-linux-musl",      "i386",   "/lib/ld-musl-i386.so.1",           "qemu-i386",    kI686,           Libc::Musl,  32},
    {"armv7-unknown-linux-musleabihf",  "armv7-unknown-linux-musleabihf",  "arm-linux-musleabihf", "arm-linux-musleabihf", "armhf",  "/lib/ld-musl-armhf.so.1",          "qemu-arm",     kArmV7Hf,        Libc::Musl,  32},
    {"x86_64-pc-windows-gnu",           "x86_64-w64-windows-gnu",          "x86_64-w64-mingw32",   "",                     "",       "",                                 "wine",         {},              Libc::Mingw, 64},
    {"i686-pc-windows-gnu",             "i686-w64-windows-gnu",            "i686-w64-mingw32",     "",                     "",       "",                                 "wine",         kI686,           Libc::Mingw, 32},
    {"x86_64-pc-windows-msvc",          "x86_64-pc-windows-msvc",          "",                     "",                     "",       "",                                 "wine",         {},              Libc::Msvc,  64},
    {"i686-pc-windows-msvc",            "i686-pc-windows-msvc",            "",                     "",                     "",       "",                                 "wine",         kI686,           Libc::Msvc,  32},
    {"aarch64-pc-windows-msvc",         "aarch64-pc-windows-msvc",         "",                     "",                     "",       "",                                 "",             {},              Libc::Msvc,  64},
    {"x86_64-apple-darwin",             "x86_64-apple-darwin",             "",                     "",                     "",       "",                                 "",             {},              Libc::Darwin, 64},
    {"aarch64-apple-darwin",            "arm64-apple-darwin",              "",                     "",                     "",       "",                                 "",             {},              Libc::Darwin, 64},
};
// clang-format on

// The same target spelled differently: any vendor, and ARM sub-architecture
// spellings (armv7a, armv7l) that llvm::Triple parses alike. Environment and
// OS must be spelled exactly: Triple parses "gnux" as gnu.
bool sameTriple(const llvm::Triple &a, const llvm::Triple &b) {
  // macOS under any spelling: darwin, darwin20.4, macos, macosx12.0, with
  // aarch64 or arm64 (osxcross names its tools x86_64-apple-darwin20.4-cc).
  if (a.isMacOSX() && b.isMacOSX())
    return a.getArch() == b.getArch() && a.getSubArch() == b.getSubArch() &&
           a.getVendor() == llvm::Triple::Apple && b.getVendor() == llvm::Triple::Apple;
  bool sameArch = a.getArchName() == b.getArchName() ||
                  (a.isARM() && a.getArch() == b.getArch() && a.getSubArch() == b.getSubArch());
  return sameArch && a.getOS() == b.getOS() && a.getOSName() == b.getOSName() &&
         a.getEnvironment() == b.getEnvironment() &&
         a.getEnvironmentName() == b.getEnvironmentName();
}

} // namespace

llvm::ArrayRef<Target> allTargets() {
  return kTargets;
}

const Target *findTarget(llvm::StringRef name) {
  // The hot path: program names carry the exact spelling.
  for (const Target &t : kTargets)
    if (name == t.rust || name == t.clang || (!t.gnu.empty() && name == t.gnu) ||
        (!t.multiarch.empty() && name == t.multiarch))
      return &t;
  // Other spellings (aarch64-pc-linux-gnu, armv7a-linux-gnueabihf, ...).
  llvm::Triple wanted(llvm::Triple::normalize(name));
  if (wanted.getArch() == llvm::Triple::UnknownArch || wanted.getOS() == llvm::Triple::UnknownOS)
    return nullptr;
  for (const Target &t : kTargets)
    if (sameTriple(wanted, llvm::Triple(t.clang)) || sameTriple(wanted, llvm::Triple(t.rust)))
      return &t;
  return nullptr;
}

std::vector<std::string> closestTargetNames(llvm::StringRef name, size_t max) {
  std::vector<std::pair<unsigned, std::string>> scored;
  for (const Target &t : kTargets) {
    unsigned best = name.edit_distance(t.rust, true);
    if (!t.gnu.empty())
      best = std::min(best, name.edit_distance(t.gnu, true));
    scored.emplace_back(best, t.rust.str());
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](const auto &a, const auto &b) { return a.first < b.first; });
  std::vector<std::string> out;
  for (auto &s : scored) {
    if (out.size() == max || s.first > std::max<size_t>(6, name.size() / 3))
      break;
    out.push_back(std::move(s.second));
  }
  return out;
}

llvm::Expected<const Target &> lookupTarget(llvm::StringRef name) {
  if (const Target *t = findTarget(name))
    return *t;
  std::string msg = "unknown target '" + name.str() + "'";
  auto close = closestTargetNames(name);
  if (!close.empty())
    msg += "; did you mean " + llvm::join(close, ", ") + "?";
  msg += " (`crosshim targets` lists every known target)";
  return makeError(ExitCode::Usage, msg);
}

// The host is what this binary was compiled for; knowing it at compile time
// spares every run a triple parse.
constexpr const char *kHostTriple =
#if defined(__linux__) && defined(__x86_64__) && defined(__GLIBC__)
    "x86_64-unknown-linux-gnu";
#elif defined(__linux__) && defined(__aarch64__) && defined(__GLIBC__)
    "aarch64-unknown-linux-gnu";
#elif defined(__linux__) && defined(__x86_64__)
    "x86_64-unknown-linux-musl";
#elif defined(__linux__) && defined(__aarch64__)
    "aarch64-unknown-linux-musl";
#else
    nullptr;
#endif

const Target *hostTarget() {
  static const Target *host =
      kHostTriple ? findTarget(kHostTriple) : findTarget(llvm::sys::getProcessTriple());
  return host;
}

std::string envKeyForTriple(llvm::StringRef prefix, llvm::StringRef rustTriple) {
  std::string key = prefix.str();
  for (char c : rustTriple)
    key += (c == '-' || c == '.') ? '_' : llvm::toUpper(c);
  return key;
}

} // namespace crosshim
