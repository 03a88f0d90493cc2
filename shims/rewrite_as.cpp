#include "shims/rewrite_as.h"

#include "support/errors.h"

#include <llvm/ADT/StringExtras.h>
#include <llvm/ADT/Triple.h>
#include <llvm/Support/Path.h>

namespace crosshim {
namespace {

// What one option of the command line became.
enum class Took { Nothing, Option };

class AsRewriter : RuleRecorder {
public:
  explicit AsRewriter(const RewriteInput &in) : in_(in), triple_(in.target->clang) {}

  llvm::Expected<RewriteResult> run();

private:
  llvm::Expected<Took> commonOption(llvm::ArrayRef<std::string> args, size_t &i);
  llvm::Expected<Took> machineOption(llvm::StringRef a);
  llvm::Error widthOption(llvm::StringRef a, unsigned bits);
  llvm::Error refuse(llvm::StringRef option, llvm::StringRef why) const;
  llvm::Expected<std::string> defsym(llvm::StringRef value) const;
  std::string versionText() const;
  std::string helpText() const;
  void pass(std::string flag, llvm::StringRef from);
  void drop(llvm::StringRef option, llvm::StringRef why);

  const RewriteInput &in_;
  llvm::Triple triple_;
  std::vector<std::string> flags_;  // what clang gets for the options
  std::vector<std::string> inputs_; // files; "-" is the standard input
  std::string output_ = "a.out";    // GNU as's default, where clang's would be <input>.o
};

// Exit status 1, as GNU as's for an option it refuses.
llvm::Error AsRewriter::refuse(llvm::StringRef option, llvm::StringRef why) const {
  llvm::StringRef name = llvm::sys::path::filename(in_.invokedAs);
  const std::string shown = name.empty() ? in_.target->rust.str() + "-as" : name.str();
  return makeError(ExitCode::Failure, shown + ": " + option.str() + ": " + why.str());
}

void AsRewriter::pass(std::string flag, llvm::StringRef from) {
  note("gnu-as", from == flag ? "kept " + flag : "replaced " + from.str() + " by " + flag);
  flags_.push_back(std::move(flag));
}

void AsRewriter::drop(llvm::StringRef option, llvm::StringRef why) {
  note("gnu-as", "dropped " + option.str() + " (" + why.str() + ")");
}

// clang's -defsym takes SYM=<integer> (0x and 0 prefixes as GNU as reads them).
llvm::Expected<std::string> AsRewriter::defsym(llvm::StringRef value) const {
  llvm::StringRef sym, number;
  std::tie(sym, number) = value.split('=');
  int64_t n = 0;
  if (sym.empty() || !value.contains('=') || sym.contains(',') ||
      number.trim().getAsInteger(0, n))
    return refuse("--defsym " + value.str(),
                  "clang's integrated assembler takes SYMBOL=INTEGER only (decimal, 0x hex, "
                  "0 octal); set other values with .set in the source");
  return "-Wa,-defsym," + sym.str() + "=" + number.trim().str();
}

// --32/--64 (x86), -m31/-m64 (s390x), -a32/-a64 (powerpc): the target fixes
// the width; the same one is dropped, another is an error.
llvm::Error AsRewriter::widthOption(llvm::StringRef a, unsigned bits) {
  if (bits != in_.target->pointerBits)
    return refuse(a, "contradicts the target " + in_.target->rust.str() + " (" +
                         std::to_string(in_.target->pointerBits) +
                         "-bit); run the -as of the target you want");
  drop(a, "the target's own width");
  return llvm::Error::success();
}

// The machine options of GNU as for the target's architecture.
llvm::Expected<Took> AsRewriter::machineOption(llvm::StringRef a) {
  const bool arm = triple_.isARM(), aarch64 = triple_.isAArch64(), x86 = triple_.isX86(),
             riscv = triple_.isRISCV(), ppc = triple_.isPPC(),
             s390 = triple_.getArch() == llvm::Triple::systemz;
  if ((arm || aarch64 || riscv || s390) && a.startswith("-march=")) {
    pass(a.str(), a);
    return Took::Option;
  }
  if ((arm || aarch64) && a.startswith("-mcpu=")) {
    pass(a.str(), a);
    return Took::Option;
  }
  if (arm && (a.startswith("-mfpu=") || a.startswith("-mfloat-abi=") || a == "-mthumb" ||
              a == "-marm")) {
    pass(a.str(), a);
    return Took::Option;
  }
  if (arm && a.startswith("-mimplicit-it=")) {
    pass("-Wa," + a.str(), a);
    return Took::Option;
  }
  if (arm && a.consume_front("-meabi=")) {
    if (a != "5")
      return refuse("-meabi=" + a.str(), "clang writes EABI version 5 objects only");
    drop("-meabi=5", "clang's objects are EABI version 5");
    return Took::Option;
  }
  if (aarch64 && a.startswith("-mabi=")) {
    if (a != "-mabi=lp64")
      return refuse(a, in_.target->rust.str() + " is LP64");
    drop(a, "the target's ABI");
    return Took::Option;
  }
  if (x86 && (a == "--32" || a == "--64")) {
    if (llvm::Error err = widthOption(a, a == "--32" ? 32 : 64))
      return err;
    return Took::Option;
  }
  if (x86 && a == "--x32")
    return refuse(a, "the x32 ABI is not a crosshim target");
  if (x86 && (a.startswith("-march=") || a.startswith("-mtune="))) {
    pass(a.str(), a);
    return Took::Option;
  }
  if (x86 && a.startswith("-mrelax-relocations=")) {
    pass("-Wa," + a.str(), a);
    return Took::Option;
  }
  if (riscv && (a.startswith("-mabi=") || a == "-mrelax" || a == "-mno-relax")) {
    pass(a.str(), a);
    return Took::Option;
  }
  if (riscv && (a == "-fpic" || a == "-fPIC" || a == "-fno-pic")) {
    pass(a == "-fno-pic" ? "-fno-pic" : "-fPIC", a);
    return Took::Option;
  }
  if (riscv && a.startswith("-misa-spec=")) {
    drop(a, "clang's RISC-V assembler has one ISA specification version");
    return Took::Option;
  }
  if (ppc && (a == "-a32" || a == "-a64")) {
    if (llvm::Error err = widthOption(a, a == "-a32" ? 32 : 64))
      return err;
    return Took::Option;
  }
  if (ppc && a.consume_front("-mpower") && !a.empty() && llvm::all_of(a, llvm::isDigit)) {
    pass("-mcpu=pwr" + a.str(), "-mpower" + a.str());
    return Took::Option;
  }
  if (ppc && (a == "-many" || a == "-mregnames")) {
    drop(a, "clang's PowerPC assembler takes every instruction and register name");
    return Took::Option;
  }
  if (s390 && (a == "-m31" || a == "-m64")) {
    if (llvm::Error err = widthOption(a, a == "-m31" ? 32 : 64))
      return err;
    return Took::Option;
  }
  if (s390 && a == "-mzarch") {
    drop(a, "z/Architecture mode is the target's");
    return Took::Option;
  }
  return Took::Nothing;
}

// The options GNU as has for every target. Advances i past a separate value.
llvm::Expected<Took> AsRewriter::commonOption(llvm::ArrayRef<std::string> args, size_t &i) {
  llvm::StringRef a = args[i];
  auto next = [&](llvm::StringRef option) -> llvm::Expected<std::string> {
    if (i + 1 >= args.size())
      return refuse(option, "needs a value");
    return args[++i];
  };
  if (a == "-o" || a == "-I" || a == "--defsym") {
    auto value = next(a);
    if (!value)
      return value.takeError();
    if (a == "-o")
      output_ = *value;
    else if (a == "-I")
      pass("-I" + *value, "-I " + *value);
    else if (auto flag = defsym(*value))
      pass(*flag, "--defsym " + *value);
    else
      return flag.takeError();
    return Took::Option;
  }
  if (a.startswith("-o") && a.size() > 2) {
    output_ = a.drop_front(2).str();
    return Took::Option;
  }
  if (a.startswith("-I")) {
    pass(a.str(), a);
    return Took::Option;
  }
  if (a.consume_front("--defsym=")) {
    auto flag = defsym(a);
    if (!flag)
      return flag.takeError();
    pass(*flag, "--defsym=" + a.str());
    return Took::Option;
  }
  if (a == "-g" || a == "--gen-debug") {
    pass("-g", a);
    return Took::Option;
  }
  llvm::StringRef version = a;
  if (version.consume_front("--gdwarf-") || version.consume_front("-gdwarf-") ||
      version.consume_front("--gdwarf")) {
    if (version != "2" && version != "3" && version != "4" && version != "5")
      return refuse(a, "not supported: clang's integrated assembler takes -g and --gdwarf-N "
                       "(N = 2 to 5) of GNU as's debug options");
    pass("-gdwarf-" + version.str(), a);
    return Took::Option;
  }
  if (a.startswith("--gstabs") || a.startswith("-gstabs"))
    return refuse(a, "clang writes no STABS debug information; use -g (DWARF)");
  if (a == "--noexecstack" || a == "--fatal-warnings" || a == "--nocompress-debug-sections" ||
      a.startswith("--compress-debug-sections")) {
    pass("-Wa," + a.str(), a);
    return Took::Option;
  }
  if (a == "-W" || a == "--no-warn") {
    pass("-Wa,--no-warn", a);
    return Took::Option;
  }
  if (a == "--warn") {
    drop(a, "warnings are on by default");
    return Took::Option;
  }
  if (a == "--execstack")
    return refuse(a, "clang's assembler cannot mark the stack executable; put "
                     ".section .note.GNU-stack,\"x\",%progbits in the source");
  if (a == "-v" || a == "-version") {
    pass("-v", a);
    return Took::Option;
  }
  if (a == "-Qy" || a == "-Qn" || a == "-J" || a == "-K") {
    drop(a, "GNU as ignores it or only changes its warnings");
    return Took::Option;
  }
  if (a == "-EL" || a == "-mlittle" || a == "-mlittle-endian" || a == "-le") {
    if (!triple_.isLittleEndian())
      return refuse(a, in_.target->rust.str() + " is big-endian");
    drop(a, "the target is little-endian");
    return Took::Option;
  }
  if (a == "-EB" || a == "-mbig" || a == "-mbig-endian" || a == "-be") {
    if (triple_.isLittleEndian())
      return refuse(a, in_.target->rust.str() + " is little-endian");
    drop(a, "the target is big-endian");
    return Took::Option;
  }
  return Took::Nothing;
}

std::string AsRewriter::versionText() const {
  return "GNU assembler (crosshim: clang's integrated assembler for " + in_.target->clang.str() +
         ") " + kGnuAsVersion.str() +
         "\nThis is not GNU as: crosshim runs " + in_.program +
         " -c -x assembler with GNU as's options translated (crosshim explain-args " +
         in_.target->rust.str() + "-as ...).\n";
}

std::string AsRewriter::helpText() const {
  return "Usage: " + in_.target->rust.str() +
         "-as [option...] [asmfile...]\n"
         "GNU as's command line for clang's integrated assembler (crosshim). Options:\n"
         "  -o OBJFILE            the object to write (default a.out)\n"
         "  -I DIR                search DIR for .include files\n"
         "  --defsym SYM=INTEGER  define SYM before assembling\n"
         "  -g, --gen-debug, --gdwarf-N   DWARF debug information\n"
         "  --noexecstack, --fatal-warnings, -W/--no-warn, --[no]compress-debug-sections\n"
         "  -v, --version, --help\n"
         "  the target's machine options: -march= -mcpu= -mfpu= -mfloat-abi= -mthumb -meabi=5\n"
         "  (ARM), -mabi=lp64 (AArch64), --32/--64 (x86), -march= -mabi= -fpic (RISC-V),\n"
         "  -a64 -mpowerN (PowerPC), -m64 -march= (s390x), -EL/-EB\n"
         "Several files are assembled as one, as GNU as does; none or - reads standard input.\n"
         "Listings (-a...) and STABS are not supported; other options are refused by name.\n";
}

llvm::Expected<RewriteResult> AsRewriter::run() {
  const std::vector<std::string> &args = in_.args;
  for (size_t i = 0; i < args.size(); ++i) {
    llvm::StringRef a = args[i];
    if (a == "--version" || a == "--help") {
      out_.mode = Mode::Info;
      out_.answer = a == "--version" ? versionText() : helpText();
      note("gnu-as-version", "answered " + a.str());
      return std::move(out_);
    }
    if (a == "-" || a == "--" || !a.startswith("-")) {
      inputs_.push_back(a == "--" ? "-" : a.str());
      continue;
    }
    auto took = commonOption(args, i);
    if (!took)
      return took.takeError();
    if (*took == Took::Nothing) {
      took = machineOption(a);
      if (!took)
        return took.takeError();
    }
    if (*took != Took::Nothing)
      continue;
    if (a.startswith("-a"))
      return refuse(a, "listings are not supported: clang's integrated assembler writes none "
                       "(the object's disassembly: " +
                           in_.target->rust.str() + "-objdump -d)");
    return refuse(a, "unknown option: crosshim does not translate it for clang's integrated "
                     "assembler (" +
                         in_.target->rust.str() + "-as --help lists what it does)");
  }

  out_.mode = Mode::Compile;
  out_.argv.push_back(in_.program);
  add("target-from-name", {"--target=" + in_.target->clang.str()});
  if (!in_.target->cpuFlags.empty())
    add("cpu-defaults",
        std::vector<std::string>(in_.target->cpuFlags.begin(), in_.target->cpuFlags.end()));
  // The translated options go inside the no-unused block too: GNU as does
  // not warn about a machine option that clang's assembler leaves unused.
  added_.insert(added_.end(), flags_.begin(), flags_.end());
  note("gnu-as", "assemble with clang -c -x assembler into " + output_);

  std::vector<std::string> tail = {"-c", "-x", "assembler", "-o", output_};
  if (inputs_.size() <= 1) {
    tail.push_back(inputs_.empty() ? "-" : inputs_.front());
    return finishDriverCommand(tail);
  }
  // Several files are one source to GNU as: clang reads .include lines.
  std::string text;
  for (const std::string &input : inputs_) {
    if (input == "-")
      return refuse("-", "the standard input cannot be one of several inputs: clang reads "
                         "the list of files from it");
    std::string quoted;
    for (char c : input) {
      if (c == '"' || c == '\\')
        quoted += '\\';
      quoted += c;
    }
    text += ".include \"" + quoted + "\"\n";
  }
  out_.stdinText = text;
  note("gnu-as-several-inputs",
       "clang reads " + std::to_string(inputs_.size()) + " .include lines from its standard input");
  tail.push_back("-");
  return finishDriverCommand(tail);
}

} // namespace

llvm::Expected<RewriteResult> rewriteAsCommand(const RewriteInput &input) {
  return AsRewriter(input).run();
}

} // namespace crosshim
