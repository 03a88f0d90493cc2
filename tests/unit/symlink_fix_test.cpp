// `crosshim sysroot fix` on directory trees built by the tests: absolute
// links re-rooted and made relative (chains, merged /usr, `..` after a
// symlinked directory), what is left alone and reported (dangling targets,
// targets only the build machine has, `..` escapes, loops), idempotence, dry
// runs, trees that change under it, and a tree next to the sysroot that must
// not change at all.
#include "diagnostics/symlink_fix.h"
#include "setup/sysroot_fix.h"

#include "cli/commands.h"
#include "test_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <sys/stat.h>
#include <unistd.h>

namespace crosshim {
namespace {

using diag::planSymlinkFixes;
using diag::Severity;
using diag::SymlinkEnd;
using diag::SymlinkFixPlan;
using diag::SymlinkProblemKind;
using test::TestDir;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

namespace fs = std::filesystem;

std::string readLinkText(const std::string &path) {
  std::error_code ec;
  fs::path target = fs::read_symlink(path, ec);
  EXPECT_FALSE(ec) << path << ": " << ec.message();
  return target.string();
}

std::string fileContent(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Everything about every entry under `dir` (itself included), links never
// followed: type, mode, owner, size, modification and status-change times in
// nanoseconds, and a file's content or a link's target.
std::map<std::string, std::string> snapshot(const std::string &dir) {
  std::map<std::string, std::string> out;
  auto describe = [&](const std::string &path) {
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0) {
      out[path] = "lstat failed";
      return;
    }
    std::ostringstream d;
    d << std::oct << st.st_mode << std::dec << " " << st.st_uid << ":" << st.st_gid << " "
      << st.st_size << " m" << st.st_mtim.tv_sec << "." << st.st_mtim.tv_nsec << " c"
      << st.st_ctim.tv_sec << "." << st.st_ctim.tv_nsec;
    if (S_ISLNK(st.st_mode))
      d << " -> " << readLinkText(path);
    else if (S_ISREG(st.st_mode))
      d << " = " << fileContent(path);
    out[path] = d.str();
  };
  describe(dir);
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec), end;
       !ec && it != end; it.increment(ec))
    describe(it->path().string());
  EXPECT_FALSE(ec) << dir << ": " << ec.message();
  return out;
}

std::vector<std::string> links(const SymlinkFixPlan &plan) {
  std::vector<std::string> out;
  for (const auto &rw : plan.rewrites)
    out.push_back(rw.link + " -> " + rw.newTarget);
  return out;
}

const diag::SymlinkProblem *problem(const SymlinkFixPlan &plan, llvm::StringRef link) {
  for (const auto &p : plan.problems)
    if (p.link == link)
      return &p;
  return nullptr;
}

// Plans and applies; the test fails unless both work and nothing failed.
SymlinkFixPlan fix(const std::string &root) {
  auto plan = planSymlinkFixes(root);
  if (!plan) {
    ADD_FAILURE() << llvm::toString(plan.takeError());
    return {};
  }
  auto result = applySymlinkFixes(*plan);
  if (!result) {
    ADD_FAILURE() << llvm::toString(result.takeError());
    return *plan;
  }
  EXPECT_THAT(result->failures, IsEmpty());
  EXPECT_THAT(result->applied, SizeIs(plan->rewrites.size()));
  return std::move(*plan);
}

TEST(RelativeLinkText, FromOneDirectoryToAPath) {
  using V = std::vector<std::string>;
  EXPECT_EQ(diag::relativeLinkText(V{"usr", "lib", "x"}, V{"usr", "lib", "x", "libm.so.6"}),
            "libm.so.6");
  EXPECT_EQ(
      diag::relativeLinkText(V{"usr", "lib", "gcc", "x", "12"}, V{"lib", "x", "libgcc_s.so.1"}),
      "../../../../../lib/x/libgcc_s.so.1");
  EXPECT_EQ(diag::relativeLinkText(V{}, V{"usr", "lib"}), "usr/lib");
  EXPECT_EQ(diag::relativeLinkText(V{"a", "b"}, V{}), "../..");
  EXPECT_EQ(diag::relativeLinkText(V{"a"}, V{"a"}), ".");
  EXPECT_EQ(diag::relativeLinkText(V{}, V{}), ".");
}

TEST(SymlinkFix, AbsoluteLinkToAnExistingFileBecomesRelative) {
  TestDir dir;
  const std::string root = dir.makeDir("root");
  dir.writeFile("root/usr/lib/libfoo.so.1", "foo");
  dir.writeFile("root/lib/x/libgcc_s.so.1", "gcc_s");
  dir.makeSymlink("/usr/lib/libfoo.so.1", "root/usr/lib/libfoo.so");
  dir.makeSymlink("/lib/x/libgcc_s.so.1", "root/usr/lib/gcc/x/12/libgcc_s.so");

  ASSERT_OK_AND_ASSIGN(plan, planSymlinkFixes(root));
  EXPECT_EQ(plan->root, root);
  EXPECT_EQ(plan->linksChecked, 2u);
  EXPECT_THAT(links(*plan),
              ElementsAre("usr/lib/gcc/x/12/libgcc_s.so -> ../../../../../lib/x/libgcc_s.so.1",
                          "usr/lib/libfoo.so -> libfoo.so.1"));
  EXPECT_EQ(plan->rewrites[1].oldTarget, "/usr/lib/libfoo.so.1");
  EXPECT_EQ(plan->rewrites[1].resolved, "usr/lib/libfoo.so.1");
  EXPECT_THAT(plan->problems, IsEmpty());

  ASSERT_OK_AND_ASSIGN(result, applySymlinkFixes(*plan));
  EXPECT_THAT(result->applied, ElementsAre(0u, 1u));
  EXPECT_THAT(result->failures, IsEmpty());
  EXPECT_EQ(readLinkText(dir / "root/usr/lib/libfoo.so"), "libfoo.so.1");
  EXPECT_EQ(test::realPath(dir / "root/usr/lib/libfoo.so"), dir / "root/usr/lib/libfoo.so.1");
  EXPECT_EQ(readLinkText(dir / "root/usr/lib/gcc/x/12/libgcc_s.so"),
            "../../../../../lib/x/libgcc_s.so.1");
  EXPECT_EQ(test::realPath(dir / "root/usr/lib/gcc/x/12/libgcc_s.so"),
            dir / "root/lib/x/libgcc_s.so.1");

  // The report: one note per rewritten link.
  diag::Report report = diag::symlinkFixReport(*plan, &*result);
  ASSERT_THAT(report.findings(), SizeIs(2));
  const diag::Finding &f = report.findings()[1];
  EXPECT_EQ(f.kind, "absolute-symlink");
  EXPECT_EQ(f.severity, Severity::Note);
  EXPECT_THAT(f.message, HasSubstr("rewrote"));
  ASSERT_THAT(f.evidence, SizeIs(1));
  EXPECT_EQ(f.evidence[0].file, dir / "root/usr/lib/libfoo.so");
  EXPECT_EQ(f.evidence[0].detail, "was -> /usr/lib/libfoo.so.1, now -> libfoo.so.1");
  EXPECT_FALSE(report.hasErrors());
}

TEST(SymlinkFix, ARelativeRootAndTrailingSlashesNameTheSameTree) {
  TestDir dir;
  dir.writeFile("root/usr/lib/libfoo.so.1", "foo");
  dir.makeSymlink("/usr/lib/libfoo.so.1", "root/usr/lib/libfoo.so");
  test::ScopedCwd cwd(dir.path());
  ASSERT_OK_AND_ASSIGN(plan, planSymlinkFixes("./root//"));
  EXPECT_EQ(plan->root, dir / "root");
  EXPECT_THAT(links(*plan), ElementsAre("usr/lib/libfoo.so -> libfoo.so.1"));
}

TEST(SymlinkFix, ChainsOfAbsoluteLinksStayChains) {
  TestDir dir;
  const std::string root = dir.makeDir("root");
  dir.writeFile("root/usr/lib/libz.so.1.2.13", "z");
  dir.makeSymlink("/usr/lib/libz.so.1", "root/usr/lib/libz.so");
  dir.makeSymlink("/usr/lib/libz.so.1.2.13", "root/usr/lib/libz.so.1");
  // An absolute link to an absolute directory link, in another directory.
  dir.makeSymlink("/usr/lib", "root/lib64");
  dir.makeSymlink("/lib64/libz.so", "root/opt/libz.so");

  ASSERT_OK_AND_ASSIGN(plan, planSymlinkFixes(root));
  // The first link points at the second (the chain is kept, as the packages
  // made it), not straight at the file.
  EXPECT_THAT(links(*plan),
              ElementsAre("lib64 -> usr/lib", "opt/libz.so -> ../usr/lib/libz.so",
                          "usr/lib/libz.so -> libz.so.1", "usr/lib/libz.so.1 -> libz.so.1.2.13"));
  for (const auto &rw : plan->rewrites) {
    if (rw.link != "lib64") {
      EXPECT_EQ(rw.resolved, "usr/lib/libz.so.1.2.13") << rw.link;
    }
  }

  fix(root);
  for (const char *link : {"usr/lib/libz.so", "usr/lib/libz.so.1", "opt/libz.so"})
    EXPECT_EQ(test::realPath(dir / "root" + "/" + link), dir / "root/usr/lib/libz.so.1.2.13")
        << link;
  EXPECT_EQ(test::realPath(dir / "root/lib64"), dir / "root/usr/lib");

  ASSERT_OK_AND_ASSIGN(again, planSymlinkFixes(root));
  EXPECT_TRUE(again->nothingToFix()) << testing::PrintToString(links(*again));
}

TEST(SymlinkFix, MergedUsrLinksThroughASymlinkedDirectory) {
  TestDir dir;
  const std::string root = dir.makeDir("root");
  dir.writeFile("root/usr/lib/aarch64-linux-gnu/libm.so.6", "m");
  dir.writeFile("root/usr/lib/aarch64-linux-gnu/libcrypt.so.1", "crypt");
  dir.makeSymlink("usr/lib", "root/lib");  // merged /usr, relative
  dir.makeSymlink("/usr/bin", "root/bin"); // merged /usr, absolute
  dir.makeDir("root/usr/bin");
  dir.makeSymlink("/lib/aarch64-linux-gnu/libm.so.6", "root/usr/lib/aarch64-linux-gnu/libm.so");
  dir.makeSymlink("/lib/aarch64-linux-gnu/libcrypt.so.1",
                  "root/usr/lib/aarch64-linux-gnu/libcrypt.so");

  ASSERT_OK_AND_ASSIGN(plan, planSymlinkFixes(root));
  // The new targets go through real directories only.
  EXPECT_THAT(links(*plan), ElementsAre("bin -> usr/bin",
                                        "usr/lib/aarch64-linux-gnu/libcrypt.so -> libcrypt.so.1",
                                        "usr/lib/aarch64-linux-gnu/libm.so -> libm.so.6"));
  EXPECT_THAT(plan->problems, IsEmpty());
  fix(root);
  EXPECT_EQ(readLinkText(dir / "root/lib"), "usr/lib"); // relative: untouched
  EXPECT_EQ(test::realPath(dir / "root/usr/lib/aarch64-linux-gnu/libm.so"),
            dir / "root/usr/lib/aarch64-linux-gnu/libm.so.6");
}

// The kernel resolves `..` after a symlinked directory to that directory's
// real parent; a lexical clean-up of the target would pick another file.
TEST(SymlinkFix, DotDotAfterASymlinkedDirectoryIsItsRealParent) {
  TestDir dir;
  const std::string root = dir.makeDir("root");
  dir.makeDir("root/b/c");
  dir.writeFile("root/b/file", "the real one");
  dir.writeFile("root/a/file", "a decoy");
  dir.makeSymlink("../b/c", "root/a/link");
  dir.makeSymlink("/a/link/../file", "root/x");
  // "/.." at the root stays at the root, as in a chroot.
  dir.makeSymlink("/../../../b/file", "root/y");

  ASSERT_OK_AND_ASSIGN(plan, planSymlinkFixes(root));
  EXPECT_THAT(links(*plan), ElementsAre("x -> b/file", "y -> b/file"));
  fix(root);
  EXPECT_EQ(fileContent(dir / "root/x"), "the real one");
  EXPECT_EQ(fileContent(dir / "root/y"), "the real one");
}

TEST(SymlinkFix, LinksToTheRootAndToDirectories) {
  TestDir dir;
  const std::string root = dir.makeDir("root");
  dir.makeDir("root/usr/include");
  dir.makeSymlink("/", "root/self");
  dir.makeSymlink("/", "root/usr/root");
  dir.makeSymlink("/usr/include/", "root/include");
  ASSERT_OK_AND_ASSIGN(plan, planSymlinkFixes(root));
  EXPECT_THAT(links(*plan), ElementsAre("include -> usr/include", "self -> .", "usr/root -> .."));
  fix(root);
  EXPECT_EQ(test::realPath(dir / "root/usr/root"), root);
}

TEST(SymlinkFix, RelativeLinksInsideTheRootAreLeftAlone) {
  TestDir dir;
  const std::string root = dir.makeDir("root");
  dir.writeFile("root/usr/lib/libfoo.so.1", "foo");
  dir.makeSymlink("libfoo.so.1", "root/usr/lib/libfoo.so");
  dir.makeSymlink("../../usr/lib/libfoo.so", "root/opt/lib/libfoo.so");
  // Dangling, but inside the root: nothing to rewrite (the doctor's business).
  dir.makeSymlink("../../../x/libasan.so.8", "root/usr/lib/gcc/x/libasan.so");
  // A relative link that reaches a fixable absolute one.
  dir.writeFile("root/usr/lib/libbar.so.2", "bar");
  dir.makeSymlink("/usr/lib/libbar.so.2", "root/usr/lib/libbar.so.1");
  dir.makeSymlink("libbar.so.1", "root/usr/lib/libbar.so");

  const auto before = snapshot(root);
  ASSERT_OK_AND_ASSIGN(plan, planSymlinkFixes(root));
  EXPECT_EQ(plan->linksChecked, 5u);
  EXPECT_THAT(links(*plan), ElementsAre("usr/lib/libbar.so.1 -> libbar.so.2"));
  EXPECT_THAT(plan->problems, IsEmpty());
  EXPECT_EQ(snapshot(root), before) << "planning changed the tree";
}

TEST(SymlinkFix, AbsoluteTargetMissingInsideIsReportedAndLeftAlone) {
  TestDir dir;
  const std::string root = dir.makeDir("root");
  dir.makeDir("root/lib/aarch64-linux-gnu");
  dir.makeSymlink("/lib/aarch64-linux-gnu/libthread_db.so.1",
                  "root/usr/lib/aarch64-linux-gnu/libthread_db.so");
  dir.makeSymlink("/no/such/dir/libx.so.1", "root/usr/lib/libx.so");
  // An absolute link to a relative link whose file is missing.
  dir.makeSymlink("libnothing.so.1", "root/usr/lib/libnothing.so");
  dir.makeSymlink("/usr/lib/libnothing.so", "root/opt/libnothing.so");

  const auto before = snapshot(root);
  fix(root);
  EXPECT_EQ(snapshot(root), before);

  ASSERT_OK_AND_ASSIGN(plan, planSymlinkFixes(root));
  EXPECT_THAT(plan->rewrites, IsEmpty());
  ASSERT_THAT(plan->problems, SizeIs(3));
  const auto *td = problem(*plan, "usr/lib/aarch64-linux-gnu/libthread_db.so");
  ASSERT_NE(td, nullptr);
  EXPECT_EQ(td->kind, SymlinkProblemKind::Dangling);
  EXPECT_EQ(td->end, SymlinkEnd::Missing);
  EXPECT_EQ(td->where, "lib/aarch64-linux-gnu/libthread_db.so.1");
  EXPECT_EQ(td->wanted, "lib/aarch64-linux-gnu/libthread_db.so.1");
  const auto *x = problem(*plan, "usr/lib/libx.so");
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(x->where, "no");
  EXPECT_EQ(x->wanted, "no/such/dir/libx.so.1");
  EXPECT_FALSE(x->onHost);
  const auto *chain = problem(*plan, "opt/libnothing.so");
  ASSERT_NE(chain, nullptr);
  EXPECT_EQ(chain->where, "usr/lib/libnothing.so.1");

  diag::Report report = diag::symlinkFixReport(*plan, nullptr);
  ASSERT_THAT(report.findings(), SizeIs(3));
  for (const diag::Finding &f : report.findings()) {
    EXPECT_EQ(f.kind, "dangling-symlink");
    EXPECT_EQ(f.severity, Severity::Warning);
    EXPECT_THAT(f.message, HasSubstr("left as it is"));
    EXPECT_THAT(f.fix, HasSubstr("install the package that provides"));
  }
  EXPECT_FALSE(report.hasErrors());
}

// The `absolute-symlink` danger: the build machine has the file, so a linker
// following the link reads it instead of the sysroot's. Left alone, reported.
TEST(SymlinkFix, TargetOnlyOnTheBuildMachineIsReportedNotFollowed) {
  if (!fs::exists("/bin/sh"))
    GTEST_SKIP() << "no /bin/sh on this machine";
  TestDir dir;
  const std::string root = dir.makeDir("root");
  dir.makeDir("root/usr/bin");
  dir.makeSymlink("/bin/sh", "root/usr/bin/sh");

  const auto before = snapshot(root);
  SymlinkFixPlan plan = fix(root);
  EXPECT_EQ(snapshot(root), before);
  EXPECT_EQ(readLinkText(dir / "root/usr/bin/sh"), "/bin/sh");
  EXPECT_THAT(plan.rewrites, IsEmpty());
  ASSERT_THAT(plan.problems, SizeIs(1));
  EXPECT_EQ(plan.problems[0].kind, SymlinkProblemKind::Dangling);
  EXPECT_TRUE(plan.problems[0].onHost);
  EXPECT_EQ(plan.problems[0].wanted, "bin/sh");

  diag::Report report = diag::symlinkFixReport(plan, nullptr);
  ASSERT_THAT(report.findings(), SizeIs(1));
  const diag::Finding &f = report.findings()[0];
  EXPECT_EQ(f.kind, "dangling-symlink");
  EXPECT_EQ(f.severity, Severity::Warning);
  ASSERT_THAT(f.evidence, SizeIs(2));
  EXPECT_EQ(f.evidence[0].file, dir / "root/usr/bin/sh");
  EXPECT_EQ(f.evidence[1].file, "/bin/sh");
  EXPECT_THAT(f.evidence[1].detail, HasSubstr("exists on this machine"));
  EXPECT_THAT(f.fix, HasSubstr("/bin/sh"));
}

TEST(SymlinkFix, DotDotEscapesAreReportedNotFollowed) {
  TestDir dir;
  const std::string root = dir.makeDir("root");
  dir.writeFile("outside/libfoo.so.1", "outside");
  dir.writeFile("root/usr/lib/libfoo.so.1", "inside");
  dir.makeSymlink("../../../outside/libfoo.so.1", "root/usr/lib/libfoo.so");
  dir.makeSymlink("libfoo.so", "root/usr/lib/libfoo-via.so");  // relative, through it
  dir.makeSymlink("/usr/lib/libfoo.so", "root/opt/libfoo.so"); // absolute, through it
  dir.makeSymlink("../../../nowhere", "root/usr/lib/gone");    // escapes to nothing

  const auto before = snapshot(dir.path());
  SymlinkFixPlan plan = fix(root);
  EXPECT_EQ(snapshot(dir.path()), before);
  EXPECT_THAT(plan.rewrites, IsEmpty());
  ASSERT_THAT(plan.problems, SizeIs(4));

  const auto *esc = problem(plan, "usr/lib/libfoo.so");
  ASSERT_NE(esc, nullptr);
  EXPECT_EQ(esc->kind, SymlinkProblemKind::Escape);
  EXPECT_EQ(esc->where, "usr/lib/libfoo.so");
  EXPECT_TRUE(esc->onHost);
  const auto *via = problem(plan, "usr/lib/libfoo-via.so");
  ASSERT_NE(via, nullptr);
  EXPECT_EQ(via->kind, SymlinkProblemKind::Escape);
  EXPECT_EQ(via->where, "usr/lib/libfoo.so");
  const auto *abs = problem(plan, "opt/libfoo.so");
  ASSERT_NE(abs, nullptr);
  EXPECT_EQ(abs->kind, SymlinkProblemKind::Dangling);
  EXPECT_EQ(abs->end, SymlinkEnd::Escape);
  const auto *gone = problem(plan, "usr/lib/gone");
  ASSERT_NE(gone, nullptr);
  EXPECT_EQ(gone->kind, SymlinkProblemKind::Escape);
  EXPECT_FALSE(gone->onHost);

  diag::Report report = diag::symlinkFixReport(plan, nullptr);
  for (const diag::Finding &f : report.findings()) {
    EXPECT_EQ(f.severity, Severity::Warning);
    EXPECT_TRUE(diag::isKnownKind(f.kind)) << f.kind;
    if (f.evidence[0].file == dir / "root/opt/libfoo.so")
      EXPECT_EQ(f.kind, "dangling-symlink");
    else
      EXPECT_EQ(f.kind, "absolute-symlink") << f.message;
  }
}

TEST(SymlinkFix, LoopsEndAndAreReportedAsDangling) {
  TestDir dir;
  const std::string root = dir.makeDir("root");
  dir.makeSymlink("/b", "root/a"); // a -> b -> a, absolute
  dir.makeSymlink("/a", "root/b");
  dir.makeSymlink("d", "root/c"); // c -> d -> c, relative
  dir.makeSymlink("c", "root/d");
  dir.makeSymlink("/e", "root/e");           // itself
  dir.makeSymlink("/loop/x", "root/loop");   // through itself as a directory
  dir.makeSymlink("/a/x", "root/into-loop"); // into a loop

  const auto before = snapshot(root);
  SymlinkFixPlan plan = fix(root);
  EXPECT_EQ(snapshot(root), before);
  EXPECT_THAT(plan.rewrites, IsEmpty());
  ASSERT_THAT(plan.problems, SizeIs(7));
  for (const auto &p : plan.problems) {
    EXPECT_EQ(p.kind, SymlinkProblemKind::Loop) << p.link;
    EXPECT_EQ(p.end, SymlinkEnd::Loop) << p.link;
  }
  diag::Report report = diag::symlinkFixReport(plan, nullptr);
  for (const diag::Finding &f : report.findings()) {
    EXPECT_EQ(f.kind, "dangling-symlink");
    EXPECT_EQ(f.severity, Severity::Warning);
    EXPECT_THAT(f.message, HasSubstr("loop"));
  }
}

TEST(SymlinkFix, LongChainsResolveUpToTheHopLimit) {
  TestDir dir;
  const std::string root = dir.makeDir("root");
  dir.writeFile("root/file", "x");
  // short: s0 -> /s1 -> ... -> /s39 -> /file: 40 links, the limit.
  for (unsigned i = 0; i < diag::kMaxSymlinkHops; ++i) {
    std::string next = i + 1 < diag::kMaxSymlinkHops ? "/s" + std::to_string(i + 1) : "/file";
    dir.makeSymlink(next, "root/s" + std::to_string(i));
  }
  // long: l0 -> /l1 -> ... -> /l40 -> /file: 41 links from l0.
  for (unsigned i = 0; i <= diag::kMaxSymlinkHops; ++i) {
    std::string next = i < diag::kMaxSymlinkHops ? "/l" + std::to_string(i + 1) : "/file";
    dir.makeSymlink(next, "root/l" + std::to_string(i));
  }
  ASSERT_OK_AND_ASSIGN(plan, planSymlinkFixes(root));
  ASSERT_NE(problem(*plan, "l0"), nullptr);
  EXPECT_EQ(problem(*plan, "l0")->kind, SymlinkProblemKind::Loop);
  EXPECT_EQ(problem(*plan, "l1"), nullptr);
  EXPECT_EQ(problem(*plan, "s0"), nullptr);
  EXPECT_THAT(plan->problems, SizeIs(1));
  EXPECT_THAT(plan->rewrites, SizeIs(2 * diag::kMaxSymlinkHops));
}

// A tree with everything at once.
void makeMixedTree(const TestDir &dir) {
  dir.writeFile("root/usr/lib/x/libm.so.6", "m");
  dir.writeFile("root/usr/lib/x/libz.so.1.2", "z");
  dir.makeSymlink("usr/lib", "root/lib");
  dir.makeSymlink("/lib/x/libm.so.6", "root/usr/lib/x/libm.so");
  dir.makeSymlink("/usr/lib/x/libz.so.1", "root/usr/lib/x/libz.so");
  dir.makeSymlink("/lib/x/libz.so.1.2", "root/usr/lib/x/libz.so.1");
  dir.makeSymlink("/lib/x/libthread_db.so.1", "root/usr/lib/x/libthread_db.so");
  dir.makeSymlink("../../../../outside", "root/usr/lib/x/escape");
  dir.makeSymlink("/loop2", "root/loop1");
  dir.makeSymlink("/loop1", "root/loop2");
  dir.writeFile("outside", "outside");
}

TEST(SymlinkFix, ASecondRunChangesNothing) {
  TestDir dir;
  makeMixedTree(dir);
  const std::string root = dir / "root";
  SymlinkFixPlan first = fix(root);
  EXPECT_THAT(first.rewrites, SizeIs(3));
  EXPECT_THAT(first.problems, SizeIs(4));

  const auto after = snapshot(dir.path());
  ASSERT_OK_AND_ASSIGN(second, planSymlinkFixes(root));
  EXPECT_THAT(second->rewrites, IsEmpty());
  // What could not be fixed is still reported, unchanged.
  ASSERT_EQ(second->problems.size(), first.problems.size());
  for (size_t i = 0; i < first.problems.size(); ++i)
    EXPECT_EQ(second->problems[i].link, first.problems[i].link);
  ASSERT_OK_AND_ASSIGN(result, applySymlinkFixes(*second));
  EXPECT_THAT(result->applied, IsEmpty());
  EXPECT_EQ(snapshot(dir.path()), after);

  // A tree with nothing to do says so.
  TestDir clean;
  clean.writeFile("root/usr/lib/libfoo.so.1", "");
  clean.makeSymlink("libfoo.so.1", "root/usr/lib/libfoo.so");
  ASSERT_OK_AND_ASSIGN(none, planSymlinkFixes(clean / "root"));
  EXPECT_TRUE(none->nothingToFix());
  EXPECT_TRUE(diag::symlinkFixReport(*none, nullptr).empty());
}

TEST(SymlinkFix, ADryRunChangesNothingAndSaysWhatItWouldDo) {
  TestDir dir;
  makeMixedTree(dir);
  const std::string root = dir / "root";
  const auto before = snapshot(dir.path());
  ASSERT_OK_AND_ASSIGN(plan, planSymlinkFixes(root));
  EXPECT_EQ(snapshot(dir.path()), before);
  diag::Report report = diag::symlinkFixReport(*plan, nullptr);
  size_t notes = 0;
  for (const diag::Finding &f : report.findings())
    if (f.severity == Severity::Note) {
      ++notes;
      EXPECT_EQ(f.kind, "absolute-symlink");
      EXPECT_THAT(f.message, HasSubstr("would rewrite"));
      EXPECT_THAT(f.evidence[0].detail, HasSubstr("would be -> "));
      EXPECT_EQ(f.fix, "crosshim sysroot fix " + root);
    }
  EXPECT_EQ(notes, 3u);
  EXPECT_EQ(snapshot(dir.path()), before);
}

// Nothing outside the root changes: not the files and links next to it, not
// what absolute links and `..` escapes name, not the parent directory (no
// temporary files there).
TEST(SymlinkFix, NothingOutsideTheRootChanges) {
  TestDir dir;
  const std::string root = dir.makeDir("sysroot");
  const std::string outside = dir.makeDir("outside");
  dir.writeFile("outside/lib/libfoo.so.1", "outside foo");
  dir.makeSymlink("/usr/lib/libfoo.so.1", "outside/lib/libfoo.so"); // the same text as inside
  dir.makeSymlink("libfoo.so.1", "outside/lib/libfoo-rel.so");
  dir.makeSymlink(outside + "/lib/libfoo.so.1", "outside/lib/libfoo-abs.so");
  dir.makeSymlink("../sysroot/usr/lib", "outside/into-sysroot");

  dir.writeFile("sysroot/usr/lib/libfoo.so.1", "inside foo");
  dir.makeSymlink("/usr/lib/libfoo.so.1", "sysroot/usr/lib/libfoo.so");     // fixed
  dir.makeSymlink(outside + "/lib/libfoo.so.1", "sysroot/usr/lib/host.so"); // outside's path
  dir.makeSymlink(outside + "/lib/libfoo.so", "sysroot/usr/lib/host-link.so");
  dir.makeSymlink("../../../outside/lib/libfoo.so", "sysroot/usr/lib/escape.so");
  dir.makeSymlink("../../../outside/lib", "sysroot/usr/lib/escape-dir");
  dir.makeSymlink("/usr/lib/escape-dir/libfoo-rel.so", "sysroot/usr/lib/via-escape.so");
  dir.makeSymlink("/", "sysroot/usr/lib/root");

  const auto outsideBefore = snapshot(outside);
  const auto parentBefore = snapshot(dir.path());
  SymlinkFixPlan plan = fix(root);
  EXPECT_THAT(links(plan),
              ElementsAre("usr/lib/libfoo.so -> libfoo.so.1", "usr/lib/root -> ../.."));
  EXPECT_THAT(plan.problems, SizeIs(5));

  EXPECT_EQ(snapshot(outside), outsideBefore);
  // Everything else in the parent is as it was (the fixed links and their
  // directory inside the root aside).
  auto parentAfter = snapshot(dir.path());
  for (auto &[path, description] : parentBefore) {
    if (path == dir / "sysroot/usr/lib" || path == dir / "sysroot/usr/lib/libfoo.so" ||
        path == dir / "sysroot/usr/lib/root")
      continue;
    EXPECT_EQ(parentAfter[path], description) << path;
  }
  EXPECT_EQ(parentAfter.size(), parentBefore.size()) << "entries were added or removed";
  EXPECT_EQ(readLinkText(dir / "sysroot/usr/lib/libfoo.so"), "libfoo.so.1");
  EXPECT_EQ(fileContent(dir / "sysroot/usr/lib/libfoo.so"), "inside foo");
}

// The tree changes between the plan and its application: a link is replaced,
// a directory becomes a link to a directory outside the root that has the
// same link. Neither is touched; the rest is done.
TEST(SymlinkFix, ATreeThatChangesAfterThePlanIsNotWrittenOutside) {
  TestDir dir;
  const std::string root = dir.makeDir("root");
  dir.writeFile("root/usr/lib/libfoo.so.1", "foo");
  dir.makeSymlink("/usr/lib/libfoo.so.1", "root/usr/lib/libfoo.so");
  dir.writeFile("root/usr/lib2/libbar.so.1", "bar");
  dir.makeSymlink("/usr/lib2/libbar.so.1", "root/usr/lib2/libbar.so");
  dir.writeFile("root/usr/lib3/libbaz.so.1", "baz");
  dir.makeSymlink("/usr/lib3/libbaz.so.1", "root/usr/lib3/libbaz.so");
  dir.writeFile("outside/lib2/libbar.so.1", "outside bar");
  dir.makeSymlink("/usr/lib2/libbar.so.1", "outside/lib2/libbar.so");

  ASSERT_OK_AND_ASSIGN(plan, planSymlinkFixes(root));
  ASSERT_THAT(plan->rewrites, SizeIs(3));

  // Now the tree changes.
  fs::remove(dir / "root/usr/lib/libfoo.so");
  dir.makeSymlink("/usr/lib/somewhere-else", "root/usr/lib/libfoo.so");
  fs::rename(dir / "root/usr/lib2", dir / "root/usr/lib2.moved");
  dir.makeSymlink(dir / "outside/lib2", "root/usr/lib2");
  const auto outsideBefore = snapshot(dir / "outside");

  ASSERT_OK_AND_ASSIGN(result, applySymlinkFixes(*plan));
  EXPECT_EQ(snapshot(dir / "outside"), outsideBefore);
  EXPECT_EQ(readLinkText(dir / "root/usr/lib/libfoo.so"), "/usr/lib/somewhere-else");
  EXPECT_EQ(readLinkText(dir / "root/usr/lib3/libbaz.so"), "libbaz.so.1");
  EXPECT_THAT(result->applied, ElementsAre(2u));
  ASSERT_THAT(result->failures, SizeIs(2));
  EXPECT_THAT(result->failures[0].message, HasSubstr("changed while crosshim was running"));
  EXPECT_THAT(result->failures[1].message, HasSubstr("changed while crosshim was running"));

  diag::Report report = diag::symlinkFixReport(*plan, &*result);
  EXPECT_TRUE(report.hasErrors());
  size_t errors = 0;
  for (const diag::Finding &f : report.findings())
    if (f.severity == Severity::Error) {
      ++errors;
      EXPECT_EQ(f.kind, "absolute-symlink");
      EXPECT_THAT(f.message, HasSubstr("cannot rewrite"));
    }
  EXPECT_EQ(errors, 2u);
}

TEST(SymlinkFix, LeavesNoTemporaryLinksAndTouchesNoExistingNames) {
  TestDir dir;
  const std::string root = dir.makeDir("root");
  dir.writeFile("root/usr/lib/libfoo.so.1", "foo");
  dir.makeSymlink("/usr/lib/libfoo.so.1", "root/usr/lib/libfoo.so");
  // A file with the first temporary name this process would use.
  const std::string squatter = ".crosshim-fix." + std::to_string(::getpid()) + ".0";
  dir.writeFile("root/usr/lib/" + squatter, "not crosshim's");

  fix(root);
  EXPECT_EQ(readLinkText(dir / "root/usr/lib/libfoo.so"), "libfoo.so.1");
  EXPECT_EQ(fileContent(dir / "root/usr/lib/" + squatter), "not crosshim's");
  std::vector<std::string> names;
  for (const auto &e : fs::directory_iterator(dir / "root/usr/lib"))
    names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  EXPECT_THAT(names, ElementsAre(squatter, "libfoo.so", "libfoo.so.1"));
}

TEST(SymlinkFix, BadRoots) {
  TestDir dir;
  dir.writeFile("file", "");
  auto missing = planSymlinkFixes(dir / "missing");
  EXPECT_THAT(test::describe(missing.takeError()).message, HasSubstr(dir / "missing"));
  auto file = planSymlinkFixes(dir / "file");
  EXPECT_THAT(test::describe(file.takeError()).message, HasSubstr("is not a directory"));
  auto slash = planSymlinkFixes("/");
  EXPECT_THAT(test::describe(slash.takeError()).message, HasSubstr("root directory"));
  dir.makeSymlink("/", "to-slash");
  auto viaLink = planSymlinkFixes(dir / "to-slash");
  EXPECT_THAT(test::describe(viaLink.takeError()).message, HasSubstr("root directory"));
}

// root/a/libfoo.so and root/b/libbar.so, absolute links to their .so.1 in
// the same directory: two directories the fix writes in. Returns root.
std::string twoDirectoriesWithAbsoluteLinks(TestDir &dir) {
  const std::string root = dir.makeDir("root");
  dir.writeFile("root/a/libfoo.so.1", "foo");
  dir.makeSymlink("/a/libfoo.so.1", "root/a/libfoo.so");
  dir.writeFile("root/b/libbar.so.1", "bar");
  dir.makeSymlink("/b/libbar.so.1", "root/b/libbar.so");
  return root;
}

TEST(SymlinkFix, AReadOnlyRootIsRefusedBeforeAnyChange) {
  TestDir dir;
  ASSERT_OK_AND_ASSIGN(plan, planSymlinkFixes(twoDirectoriesWithAbsoluteLinks(dir)));
  fs::permissions(dir / "root/b",
                  fs::perms::owner_write | fs::perms::group_write | fs::perms::others_write,
                  fs::perm_options::remove);
  // Without capabilities, so that root (as in CI) meets the permission bits too.
  const std::string message = test::runUnprivileged(
      [&] { return test::describe(applySymlinkFixes(*plan).takeError()).message; });
  fs::permissions(dir / "root/b", fs::perms::owner_write, fs::perm_options::add);
  EXPECT_THAT(message, AllOf(HasSubstr(dir / "root/b"), HasSubstr("not writable"),
                             HasSubstr("nothing was changed")));
  EXPECT_EQ(readLinkText(dir / "root/a/libfoo.so"), "/a/libfoo.so.1");
}

// A directory removed between the plan and the change (the tree is changing
// while crosshim runs) is said to be gone, not "not writable", and nothing
// is changed anywhere.
TEST(SymlinkFix, ADirectoryGoneSinceThePlanIsSaidSo) {
  TestDir dir;
  ASSERT_OK_AND_ASSIGN(plan, planSymlinkFixes(twoDirectoriesWithAbsoluteLinks(dir)));
  fs::remove_all(dir / "root/b");
  auto result = applySymlinkFixes(*plan);
  EXPECT_THAT(test::describe(result.takeError()).message,
              AllOf(HasSubstr(dir / "root/b"), HasSubstr("is gone"),
                    HasSubstr("changed while crosshim was running"),
                    HasSubstr("nothing was changed"), ::testing::Not(HasSubstr("not writable"))));
  EXPECT_EQ(readLinkText(dir / "root/a/libfoo.so"), "/a/libfoo.so.1");
}

// The command's own checks (its output is the e2e test's business).
TEST(SysrootCommand, UsageErrors) {
  auto none = cmdSysroot({}, Env());
  auto e = test::describe(none.takeError());
  EXPECT_EQ(e.code, ExitCode::Usage);
  EXPECT_THAT(e.message, HasSubstr("fix"));

  std::vector<std::string> other{"frobnicate", "x"};
  e = test::describe(cmdSysroot(other, Env()).takeError());
  EXPECT_EQ(e.code, ExitCode::Usage);
  EXPECT_THAT(e.message, AllOf(HasSubstr("frobnicate"), HasSubstr("sysroot fix DIR")));

  std::vector<std::string> noDir{"fix"};
  EXPECT_EQ(test::describe(cmdSysroot(noDir, Env()).takeError()).code, ExitCode::Usage);
  std::vector<std::string> twoDirs{"fix", "a", "b"};
  EXPECT_EQ(test::describe(cmdSysroot(twoDirs, Env()).takeError()).code, ExitCode::Usage);
  std::vector<std::string> badOption{"fix", "--force", "a"};
  EXPECT_EQ(test::describe(cmdSysroot(badOption, Env()).takeError()).code, ExitCode::Usage);
}

TEST(SysrootCommand, DirectoryErrors) {
  TestDir dir;
  dir.writeFile("file", "");
  std::vector<std::string> missing{"fix", dir / "missing"};
  auto e = test::describe(cmdSysroot(missing, Env()).takeError());
  EXPECT_EQ(e.code, ExitCode::Failure);
  EXPECT_THAT(e.message, AllOf(HasSubstr(dir / "missing"), HasSubstr("does not exist")));
  std::vector<std::string> file{"fix", "--dry-run", dir / "file"};
  e = test::describe(cmdSysroot(file, Env()).takeError());
  EXPECT_EQ(e.code, ExitCode::Failure);
  EXPECT_THAT(e.message, HasSubstr("is not a directory"));
}

TEST(SysrootCommand, IsRegistered) {
  EXPECT_STREQ(synopsisOf("sysroot", "fix"), "sysroot fix DIR [--dry-run] [--dev-links] [--json]");
}

} // namespace
} // namespace crosshim
