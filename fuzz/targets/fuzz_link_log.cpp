// libFuzzer target: a saved cargo or rustc log (`crosshim explain LOGFILE`):
// findRustcLink (the `error: linking with` line, its note and the command,
// ANSI colours, CR line ends), parseRustcCommand on the raw text (Rust's
// escapes: \u{...}, \xNN, env and cd prefixes), and targetOfLink on what
// was found.
#include "shims/link_log.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace crosshim;
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  if (auto link = findRustcLink(text))
    (void)targetOfLink(link->linker, link->arguments);
  if (auto command = parseRustcCommand(text); command && !command->empty())
    (void)targetOfLink(command->front(), llvm::ArrayRef<std::string>(*command).drop_front());
  return 0;
}
