// crosshim env --target T [--shell sh|fish|make] [--dir D] (cmd_env.h).
#include "cli/cmd_env.h"

#include "cli/commands.h"
#include "shims/args.h"
#include "shims/launcher.h"
#include "shims/toolchain.h"
#include "support/env.h"
#include "support/errors.h"

#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>

namespace crosshim {
namespace {

void printEnvHelp(llvm::raw_ostream &os) {
  os << "usage: crosshim " << synopsisOf("env") << "\n\n"
     << "Prints the variables a Makefile or an autotools build needs to cross-compile for T\n"
        "through crosshim's installed shim names:\n"
        "  CC CXX AR RANLIB PKG_CONFIG   absolute paths of <T>-cc, <T>-c++, <T>-ar, <T>-ranlib,\n"
        "                                <T>-pkg-config in the name farm\n"
        "  RC WINDRES                    <T>-windres (windows-gnu targets only)\n"
        "  CROSSHIM_HOST                 the value for ./configure --host (the GNU triple)\n"
        "  CROSSHIM_LAUNCHER             with --cache or --launcher: what the shims run their\n"
        "                                compiles through (ccache, sccache, distcc, icecc)\n\n"
        "  --target T   the target (crosshim targets lists them); default CROSSHIM_TARGET\n"
        "  --shell S    sh (default): export CC='...'   for eval \"$(crosshim env ...)\"\n"
        "               fish:         set -gx CC '...'  for crosshim env ... | source\n"
        "               make:         export CC := ...  for include in a Makefile\n"
        "  --dir D      the name farm (default: <prefix>/lib/crosshim/bin, where\n"
        "               crosshim install-links puts the names)\n"
        "  --cache C    compiles through the cache C (ccache or sccache) behind the shims\n"
        "  --launcher L compiles through the compile farm L (distcc or icecc)\n\n"
        "Example (autotools):\n"
        "  eval \"$(crosshim env --target aarch64-unknown-linux-gnu)\"\n"
        "  ./configure --host=\"$CROSSHIM_HOST\" && make\n\n"
        "Exit status: 0; 1 when the names are not installed in the farm; 2 for usage errors.\n";
}

llvm::Error usage(const std::string &message) {
  return makeError(ExitCode::Usage,
                   message + " (usage: crosshim " + synopsisOf("env") + "; crosshim env --help)");
}

bool plainForMake(llvm::StringRef value) {
  return !value.empty() && llvm::all_of(value, [](char c) {
    return llvm::isAlnum(c) || llvm::StringRef("@%+=:,./-_").contains(c);
  });
}

// The names envVariables() exports, in order; CROSSHIM_HOST comes last.
struct ShimVariable {
  const char *variable;
  const char *tool;
};
constexpr ShimVariable kShimVariables[] = {
    {"CC", "cc"}, {"CXX", "c++"}, {"AR", "ar"}, {"RANLIB", "ranlib"}, {"PKG_CONFIG", "pkg-config"}};

} // namespace

std::optional<EnvSyntax> parseEnvSyntax(llvm::StringRef name) {
  if (name == "sh")
    return EnvSyntax::Sh;
  if (name == "fish")
    return EnvSyntax::Fish;
  if (name == "make")
    return EnvSyntax::Make;
  return std::nullopt;
}

std::string configureHost(const Target &target) {
  return (target.gnu.empty() ? target.clang : target.gnu).str();
}

std::vector<EnvVariable> envVariables(const Target &target, llvm::StringRef dir) {
  std::vector<EnvVariable> vars;
  for (const ShimVariable &v : kShimVariables)
    vars.push_back({v.variable, dir.str() + "/" + target.rust.str() + "-" + v.tool});
  // Resource scripts: libtool reads RC, hand-written Makefiles usually WINDRES.
  if (target.isMingw())
    for (const char *variable : {"RC", "WINDRES"})
      vars.push_back({variable, dir.str() + "/" + target.rust.str() + "-windres"});
  vars.push_back({"CROSSHIM_HOST", configureHost(target)});
  return vars;
}

llvm::Expected<std::string> quoteEnvValue(llvm::StringRef value, EnvSyntax syntax) {
  std::string out;
  switch (syntax) {
  case EnvSyntax::Sh:
    out = "'";
    for (char c : value)
      out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
  case EnvSyntax::Fish:
    // Inside fish's single quotes only \' and \\ are escapes.
    out = "'";
    for (char c : value) {
      if (c == '\'' || c == '\\')
        out += '\\';
      out += c;
    }
    return out + "'";
  case EnvSyntax::Make: {
    if (value.contains('\n'))
      return makeError(ExitCode::Failure,
                       "a Makefile variable cannot hold a newline: '" + value.str() + "'");
    if (plainForMake(value))
      return value.str();
    // The recipe's shell reads $(CC): quote for it, then escape what make
    // itself would take ($ references, # comments).
    for (char c : shellQuote(value)) {
      if (c == '$')
        out += "$$";
      else if (c == '#')
        out += "\\#";
      else
        out += c;
    }
    return out;
  }
  }
  llvm_unreachable("unknown syntax");
}

llvm::Expected<std::string> formatEnv(llvm::ArrayRef<EnvVariable> vars,
                                      llvm::ArrayRef<std::string> comments, EnvSyntax syntax) {
  std::string out;
  for (const std::string &c : comments)
    out += "# " + c + "\n";
  for (const EnvVariable &v : vars) {
    auto quoted = quoteEnvValue(v.value, syntax);
    if (!quoted)
      return quoted.takeError();
    switch (syntax) {
    case EnvSyntax::Sh:
      out += "export " + v.name + "=" + *quoted + "\n";
      break;
    case EnvSyntax::Fish:
      out += "set -gx " + v.name + " " + *quoted + "\n";
      break;
    case EnvSyntax::Make:
      out += "export " + v.name + " := " + *quoted + "\n";
      break;
    }
  }
  return out;
}

llvm::Expected<int> cmdEnv(CommandArgs args, const Env &env) {
  std::optional<std::string> targetName, shell, dir, cache, launcher;
  for (size_t i = 0; i < args.size(); ++i) {
    llvm::StringRef a = args[i];
    if (a == "-h" || a == "--help") {
      printEnvHelp(llvm::outs());
      return 0;
    }
    bool matched = false;
    for (auto [option, slot] : {std::pair{"--target", &targetName}, std::pair{"--shell", &shell},
                                std::pair{"--dir", &dir}, std::pair{"--cache", &cache},
                                std::pair{"--launcher", &launcher}}) {
      llvm::StringRef rest = a;
      if (!rest.consume_front(option))
        continue;
      if (rest.consume_front("=")) {
        *slot = rest.str();
      } else if (rest.empty()) {
        if (i + 1 >= args.size())
          return usage(std::string(option) + " needs a value");
        *slot = args[++i];
      } else {
        continue;
      }
      if (slot->value().empty())
        return usage(std::string(option) + " needs a value");
      matched = true;
      break;
    }
    if (!matched)
      return usage("env: unknown " + std::string(a.startswith("-") ? "option" : "argument") + " '" +
                   a.str() + "'");
  }

  auto chosenLauncher = launcherFromOptions(cache, launcher);
  if (!chosenLauncher)
    return chosenLauncher.takeError();
  EnvSyntax syntax = EnvSyntax::Sh;
  if (shell) {
    auto parsed = parseEnvSyntax(*shell);
    if (!parsed)
      return usage("--shell must be sh, fish or make, not '" + *shell + "'");
    syntax = *parsed;
  }
  if (!targetName)
    if (auto fromEnv = env.get("CROSSHIM_TARGET"))
      targetName = std::string(*fromEnv);
  if (!targetName)
    return usage("env needs --target (crosshim targets lists them)");
  auto target = lookupTarget(*targetName);
  if (!target)
    return target.takeError();

  // Absolute (a Makefile or configure runs elsewhere), but as the user spelt
  // it: no symlinks resolved.
  std::string farm = installedNamesDir();
  if (dir) {
    llvm::SmallString<256> abs(*dir);
    llvm::sys::fs::make_absolute(abs);
    llvm::sys::path::remove_dots(abs, /*remove_dot_dot=*/true);
    farm = abs.size() > 1 ? llvm::StringRef(abs).rtrim('/').str() : abs.str().str();
  }
  std::vector<EnvVariable> vars = envVariables(*target, farm);
  if (!chosenLauncher->empty())
    vars.push_back({"CROSSHIM_LAUNCHER", *chosenLauncher});
  std::vector<std::string> missing;
  for (const EnvVariable &v : vars)
    if (v.name != "CROSSHIM_HOST" && v.name != "CROSSHIM_LAUNCHER" &&
        !llvm::sys::fs::exists(v.value))
      missing.push_back(llvm::sys::path::filename(v.value).str());
  if (!missing.empty())
    return makeError(ExitCode::Failure,
                     "the shim names for " + target->rust.str() + " are not installed in " + farm +
                         " (missing: " + llvm::join(missing, ", ") +
                         "); run `crosshim install-links` (it makes them there), or give the "
                         "folder that has them with --dir");

  const std::string hostRef = syntax == EnvSyntax::Make ? "$(CROSSHIM_HOST)" : "$CROSSHIM_HOST";
  auto text = formatEnv(
      vars,
      {"crosshim env for " + target->rust.str() + "; autotools: ./configure --host=" + hostRef},
      syntax);
  if (!text)
    return text.takeError();
  llvm::outs() << *text;
  return 0;
}

} // namespace crosshim
