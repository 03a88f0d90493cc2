// crosshim is linked fully statically (no dynamic loader work at start-up).
// LLVM's Support library references getpwnam/getpwuid (for "~user" paths and
// home_directory when HOME is unset), which crosshim never uses; glibc's
// versions need the NSS shared libraries at run time and make the static link
// warn. These definitions keep them out: every user lookup finds no user,
// which is also all that a static binary could honestly promise.
#include <cerrno>
#include <pwd.h>

extern "C" struct passwd *getpwnam(const char *) {
  errno = ENOENT;
  return nullptr;
}

extern "C" struct passwd *getpwuid(uid_t) {
  errno = ENOENT;
  return nullptr;
}

// LLVM 16 uses the reentrant forms.
extern "C" int getpwnam_r(const char *, struct passwd *, char *, size_t, struct passwd **result) {
  *result = nullptr;
  return 0; // "not found"
}

extern "C" int getpwuid_r(uid_t, struct passwd *, char *, size_t, struct passwd **result) {
  *result = nullptr;
  return 0;
}
