// GNU's object format names in objdump output for Windows targets, which
// libtool's import-library check reads.
#include "shims/objdump_names.h"

#include "test_support.h"

#include <gtest/gtest.h>

namespace crosshim {
namespace {

TEST(ObjdumpNames, ObjectsAndMembersArePe) {
  EXPECT_EQ(gnuCoffFormatLine("x.o:\tfile format coff-x86-64"), "x.o:\tfile format pe-x86-64");
  EXPECT_EQ(gnuCoffFormatLine("libws2_32.a(dxxxx.o):\tfile format coff-i386"),
            "libws2_32.a(dxxxx.o):\tfile format pe-i386");
  EXPECT_EQ(gnuCoffFormatLine("architecture: x86_64"), "architecture: x86_64");
  EXPECT_EQ(gnuCoffFormatLine("x.o:\tfile format elf64-x86-64"), "x.o:\tfile format elf64-x86-64");
}

TEST(ObjdumpNames, ImagesArePei) {
  test::TestDir dir;
  std::string dll = dir.writeFile("a.dll", "MZ\x90\x00rest");
  EXPECT_EQ(gnuCoffFormatLine(dll + ":\tfile format coff-x86-64"),
            dll + ":\tfile format pei-x86-64");
}

} // namespace
} // namespace crosshim
