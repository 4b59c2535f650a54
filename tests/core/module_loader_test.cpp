// rrg/core/module_loader.h: modules and system libraries opened on first use (issue 16). The
// errors must name the library, the reason and what to install or set.
#include "rrg/core/module_loader.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <stdexcept>
#include <string>

namespace {

std::string message_of(void (*body)()) {
  try {
    body();
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

TEST(SystemLibrary, OpensBySonameAndResolvesTypedFunctions) {
  void* libc = rrg::open_system_library("libc.so.6", "this test", "libc6");
  ASSERT_NE(libc, nullptr);
  decltype(&::strtol) parse = nullptr;
  rrg::library_function(libc, "libc.so.6", "strtol", "libc6", parse);
  ASSERT_NE(parse, nullptr);
  EXPECT_EQ(parse("42", nullptr, 10), 42);
}

TEST(SystemLibrary, MissingLibraryNamesItWhatNeedsItAndThePackage) {
  const std::string message = message_of([] {
    rrg::open_system_library("librrg-no-such-library.so.7", "the frobnicator", "librrg-frob7");
  });
  EXPECT_NE(message.find("cannot load librrg-no-such-library.so.7"), std::string::npos) << message;
  EXPECT_NE(message.find("the frobnicator needs"), std::string::npos) << message;
  EXPECT_NE(message.find("install the Debian package librrg-frob7"), std::string::npos) << message;
}

TEST(SystemLibrary, MissingFunctionNamesItAndThePackage) {
  const std::string message = message_of([] {
    void* libc = rrg::open_system_library("libc.so.6", "this test", "libc6");
    void (*f)() = nullptr;
    rrg::library_function(libc, "libc.so.6", "rrg_no_such_function", "libc6", f);
  });
  EXPECT_NE(message.find("libc.so.6 has no function rrg_no_such_function"), std::string::npos)
      << message;
  EXPECT_NE(message.find("libc6"), std::string::npos) << message;
}

TEST(ModuleLoader, EnvironmentOverrideWinsAndAMissingModuleSaysWhatToDo) {
  const rrg::ModuleSpec spec{"librrg_test_nothing.so", "RRG_TEST_NOTHING_MODULE", "init",
                             "test module"};
  ::setenv("RRG_TEST_NOTHING_MODULE", "/nonexistent/librrg_test_nothing.so", 1);
  EXPECT_EQ(rrg::module_path(spec), "/nonexistent/librrg_test_nothing.so");
  std::string message;
  try {
    rrg::load_module_init(spec);
  } catch (const std::runtime_error& e) {
    message = e.what();
  }
  ::unsetenv("RRG_TEST_NOTHING_MODULE");
  EXPECT_NE(message.find("test module was not found at /nonexistent/librrg_test_nothing.so"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("set RRG_TEST_NOTHING_MODULE"), std::string::npos) << message;
}

}  // namespace
