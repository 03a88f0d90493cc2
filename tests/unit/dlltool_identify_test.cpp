// dlltool --identify for Windows targets (rule dlltool-identify): the DLL an
// import library imports from, in the short import members that lld and
// llvm-dlltool write (made here with LLVM's writer) and in GNU dlltool's long
// members (mingw-w64's own import libraries, when installed).
#include "shims/dlltool_identify.h"

#include "test_support.h"

#include <llvm/Object/Archive.h>
#include <llvm/Object/ArchiveWriter.h>
#include <llvm/Object/COFFImportFile.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace crosshim {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A MinGW import library of `dll` exporting `names`, as lld's --out-implib writes it.
std::string importLibrary(const test::TestDir &dir, const std::string &file, const std::string &dll,
                          std::vector<std::string> names) {
  std::vector<llvm::object::COFFShortExport> exports;
  for (const std::string &n : names) {
    llvm::object::COFFShortExport e;
    e.Name = n;
    exports.push_back(e);
  }
  const std::string path = dir / file;
  llvm::Error err = llvm::object::writeImportLibrary(dll, path, exports,
                                                     llvm::COFF::IMAGE_FILE_MACHINE_AMD64, true);
  EXPECT_FALSE(static_cast<bool>(err)) << llvm::toString(std::move(err));
  return path;
}

TEST(DlltoolIdentify, TheRequestInTheArguments) {
  EXPECT_FALSE(dlltoolIdentifyRequest({"-d", "x.def", "-l", "libx.a"}));
  auto strict = dlltoolIdentifyRequest({"--identify-strict", "--identify", "libx.dll.a"});
  ASSERT_TRUE(strict);
  EXPECT_EQ(strict->library, "libx.dll.a");
  EXPECT_TRUE(strict->strict);
  auto shortForm = dlltoolIdentifyRequest({"-I", "liby.a"});
  ASSERT_TRUE(shortForm);
  EXPECT_EQ(shortForm->library, "liby.a");
  EXPECT_FALSE(shortForm->strict);
  EXPECT_EQ(dlltoolIdentifyRequest({"--identify=libz.a"})->library, "libz.a");
}

TEST(DlltoolIdentify, ShortImportMembers) {
  test::TestDir dir;
  const std::string lib = importLibrary(dir, "libdemo.dll.a", "libdemo-1.dll", {"f", "g", "h"});
  ASSERT_OK_AND_ASSIGN(dlls, identifyImportLibrary({lib, true}));
  EXPECT_THAT(*dlls, ElementsAre("libdemo-1.dll"));
}

TEST(DlltoolIdentify, NoImportLibraryAndTwoDllsAreErrors) {
  test::TestDir dir;
  const std::string text = dir.writeFile("notes.txt", "not an archive\n");
  EXPECT_THAT(test::errorOf(identifyImportLibrary({text, false})).message,
              HasSubstr(text + " is not a library"));
  EXPECT_THAT(test::errorOf(identifyImportLibrary({dir.path() + "/none.a", false})).message,
              HasSubstr("Can't open .lib file: " + dir.path() + "/none.a: "));
  // One archive with the members of two import libraries: strict refuses,
  // plain lists both, as GNU's dlltool does.
  std::vector<std::unique_ptr<llvm::MemoryBuffer>> buffers;
  std::vector<llvm::NewArchiveMember> members;
  for (const std::string &lib : {importLibrary(dir, "a.lib", "a.dll", {"fa"}),
                                 importLibrary(dir, "b.lib", "b.dll", {"fb"})}) {
    auto buf = llvm::MemoryBuffer::getFile(lib);
    ASSERT_TRUE(static_cast<bool>(buf));
    buffers.push_back(std::move(*buf));
    auto archive = llvm::object::Archive::create(buffers.back()->getMemBufferRef());
    ASSERT_TRUE(static_cast<bool>(archive));
    llvm::Error err = llvm::Error::success();
    for (const llvm::object::Archive::Child &child : (*archive)->children(err)) {
      auto member = llvm::NewArchiveMember::getOldMember(child, true);
      ASSERT_TRUE(static_cast<bool>(member));
      members.push_back(std::move(*member));
    }
    ASSERT_FALSE(static_cast<bool>(err));
  }
  const std::string both = dir / "libboth.a";
  ASSERT_FALSE(static_cast<bool>(
      llvm::writeArchive(both, members, true, llvm::object::Archive::K_GNU, true, false)));
  ASSERT_OK_AND_ASSIGN(dlls, identifyImportLibrary({both, false}));
  EXPECT_THAT(*dlls, ElementsAre("a.dll", "b.dll"));
  EXPECT_THAT(test::errorOf(identifyImportLibrary({both, true})).message,
              HasSubstr("specifies two or more dlls"));
}

TEST(DlltoolIdentify, GnuLongImportMembers) {
  const std::string kernel32 = "/usr/x86_64-w64-mingw32/lib/libkernel32.a";
  if (!llvm::sys::fs::exists(kernel32))
    GTEST_SKIP() << "mingw-w64-x86-64-dev is not installed";
  ASSERT_OK_AND_ASSIGN(dlls, identifyImportLibrary({kernel32, true}));
  EXPECT_THAT(*dlls, ElementsAre("KERNEL32.dll"));
}

TEST(DlltoolIdentify, HelpNamesTheOptionsLibtoolLooksFor) {
  EXPECT_THAT(dlltoolIdentifyHelp().str(), HasSubstr("--identify-strict"));
}

} // namespace
} // namespace crosshim
