#include "rrg/io/csv.h"

#include <gtest/gtest.h>

#include "rrg/core/errors.h"

namespace {

using rrg::io::parse_csv;

TEST(Csv, ParsesQuotedFieldsWithCommasQuotesAndNewlines) {
  const auto rows =
      parse_csv("id,report\n1,\"a, b\"\n2,\"say \"\"hi\"\"\nnext\"\r\n3,plain\n", "x.csv");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[1].fields[1], "a, b");
  EXPECT_EQ(rows[2].fields[1], "say \"hi\"\nnext");
  EXPECT_EQ(rows[2].line, 3u);
  EXPECT_EQ(rows[3].line, 5u);
  EXPECT_EQ(rows[3].fields[1], "plain");
}

TEST(Csv, KeepsEmptyFields) {
  const auto rows = parse_csv("a,b,c\n,,\n", "x.csv");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].fields, (std::vector<std::string>{"", "", ""}));
}

TEST(Csv, UnterminatedQuoteNamesLineAndColumn) {
  try {
    parse_csv("id,report\n1,\"never closed\n", "r.csv");
    FAIL();
  } catch (const rrg::InputError& e) {
    EXPECT_STREQ(e.what(), "r.csv:2:3: quoted CSV field is never closed (missing '\"')");
  }
}

TEST(Csv, WriterQuotesOnlyWhenNeeded) {
  std::string out;
  rrg::io::append_csv_row({"a", "b,c", "say \"x\"", "line\nbreak", ""}, out);
  EXPECT_EQ(out, "a,\"b,c\",\"say \"\"x\"\"\",\"line\nbreak\",\n");
  const auto back = parse_csv(out, "x.csv");
  EXPECT_EQ(back[0].fields, (std::vector<std::string>{"a", "b,c", "say \"x\"", "line\nbreak", ""}));
}

}  // namespace
