// MIMIC-CXR-JPG selection on the generated tree of io/mimic_fixture.h: split, view filter and
// order, image limit, per-image ids, gzip CSVs, reports, and bad input.
#include "rrg/io/datasets/mimic_cxr.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>

#include "io/mimic_fixture.h"
#include "rrg/core/errors.h"
#include "support/test_support.h"

namespace {

using rrg::io::MimicCxrOptions;
using rrg::io::StudyList;

std::vector<std::string> ids(const StudyList& list) {
  std::vector<std::string> out;
  for (const auto& s : list.studies) out.push_back(s.id);
  return out;
}

std::vector<std::string> image_ids(const rrg::io::Study& study) {
  std::vector<std::string> out;
  for (const auto& i : study.images) out.push_back(i.image_id + ":" + i.view);
  return out;
}

class MimicCxr : public ::testing::Test {
 protected:
  void SetUp() override { rrg::testing::write_mimic_tree(dir_.path()); }
  MimicCxrOptions options() const {
    MimicCxrOptions o;
    o.root = dir_.path();
    return o;
  }
  rrg::testing::TempDir dir_;
};

TEST_F(MimicCxr, DefaultSelectsTestStudiesWithFrontalThenLateralViews) {
  const StudyList list = rrg::io::read_mimic_cxr(options());
  EXPECT_EQ(ids(list), (std::vector<std::string>{"50000001", "50000002", "50000003"}));
  // PA before LATERAL although "a-lat" sorts first; view names are upper-cased; AP AXIAL is not
  // in the default list.
  EXPECT_EQ(image_ids(list.studies[0]), (std::vector<std::string>{"b-pa:PA", "a-lat:LATERAL"}));
  EXPECT_EQ(image_ids(list.studies[1]), (std::vector<std::string>{"c-ap:AP"}));
  EXPECT_EQ(image_ids(list.studies[2]), (std::vector<std::string>{"e-lat:LATERAL", "d-ll:LL"}));
  EXPECT_EQ(list.studies[0].images[0].path,
            dir_.path() + "/files/p10/p10000032/s50000001/b-pa.jpg");
  EXPECT_TRUE(rrg::testing::file_exists(list.studies[0].images[0].path));
  // The study with only an empty ViewPosition is skipped, and the user is told.
  ASSERT_EQ(list.notes.size(), 1u);
  EXPECT_NE(list.notes[0].find("50000004"), std::string::npos) << list.notes[0];
}

TEST_F(MimicCxr, ViewListWildcardAndLimit) {
  MimicCxrOptions o = options();
  o.views = {"lateral", "*"};
  o.max_images_per_study = 1;
  const StudyList list = rrg::io::read_mimic_cxr(o);
  EXPECT_EQ(ids(list), (std::vector<std::string>{"50000001", "50000002", "50000003", "50000004"}));
  EXPECT_EQ(image_ids(list.studies[0]), (std::vector<std::string>{"a-lat:LATERAL"}));
  EXPECT_EQ(image_ids(list.studies[3]), (std::vector<std::string>{"g-none:"}));
  EXPECT_TRUE(list.notes.empty());
}

TEST_F(MimicCxr, PerImageUsesDicomIds) {
  MimicCxrOptions o = options();
  o.per_image = true;
  const StudyList list = rrg::io::read_mimic_cxr(o);
  EXPECT_EQ(ids(list), (std::vector<std::string>{"b-pa", "a-lat", "c-ap", "e-lat", "d-ll"}));
  EXPECT_EQ(list.studies[1].images.size(), 1u);
}

TEST_F(MimicCxr, OtherSplits) {
  MimicCxrOptions o = options();
  o.split = "train";
  EXPECT_EQ(ids(rrg::io::read_mimic_cxr(o)), (std::vector<std::string>{"50000005"}));
  o.split = "val";  // R2Gen's name for MIMIC's "validate"
  EXPECT_EQ(ids(rrg::io::read_mimic_cxr(o)), (std::vector<std::string>{"50000006"}));
  o.split = "all";
  EXPECT_EQ(rrg::io::read_mimic_cxr(o).studies.size(), 5u);
  o.split = "dev";
  try {
    rrg::io::read_mimic_cxr(o);
    ADD_FAILURE() << "unknown split accepted";
  } catch (const rrg::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("test, train, validate"), std::string::npos) << e.what();
  }
}

void gzip_file(const std::string& from, const std::string& to) {
  const std::string content = rrg::testing::read_file(from);
  gzFile out = gzopen(to.c_str(), "wb");
  ASSERT_NE(out, nullptr);
  ASSERT_EQ(gzwrite(out, content.data(), static_cast<unsigned>(content.size())),
            static_cast<int>(content.size()));
  gzclose(out);
}

TEST_F(MimicCxr, ReadsGzippedCsvsAsPhysioNetShipsThem) {
  for (const char* name : {"mimic-cxr-2.0.0-split.csv", "mimic-cxr-2.0.0-metadata.csv"}) {
    gzip_file(dir_.file(name), dir_.file(std::string(name) + ".gz"));
    std::remove(dir_.file(name).c_str());
  }
  EXPECT_EQ(ids(rrg::io::read_mimic_cxr(options())),
            (std::vector<std::string>{"50000001", "50000002", "50000003"}));
}

TEST_F(MimicCxr, ReportsGiveIndicationAndReference) {
  const std::string reports = dir_.file("reports");
  std::filesystem::create_directories(reports + "/files/p10/p10000032");
  rrg::testing::write_file(reports + "/files/p10/p10000032/s50000001.txt",
                           "                                 FINAL REPORT\n"
                           " INDICATION:  Shortness of breath.\n \n"
                           " FINDINGS:  Lungs are clear.\n \n"
                           " IMPRESSION:  Normal chest.\n");
  MimicCxrOptions o = options();
  o.reports_root = reports;
  const StudyList list = rrg::io::read_mimic_cxr(o);
  EXPECT_EQ(list.studies[0].indication, "Shortness of breath.");
  EXPECT_EQ(list.studies[0].reference, "Normal chest.");
  EXPECT_EQ(list.studies[1].indication, "");
  ASSERT_EQ(list.notes.size(), 2u);
  EXPECT_NE(list.notes[1].find("2 studies have no report file"), std::string::npos)
      << list.notes[1];
}

TEST_F(MimicCxr, MissingCsvNamesTheFileAndTheFlag) {
  std::remove(dir_.file("mimic-cxr-2.0.0-metadata.csv").c_str());
  try {
    rrg::io::read_mimic_cxr(options());
    ADD_FAILURE() << "missing metadata accepted";
  } catch (const rrg::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("mimic-cxr-2.0.0-metadata.csv"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("--mimic-metadata-csv"), std::string::npos) << e.what();
  }
}

TEST_F(MimicCxr, MalformedCsvNamesFileAndLine) {
  rrg::testing::write_file(dir_.file("mimic-cxr-2.0.0-split.csv"),
                           "dicom_id,study_id,subject_id,split\nb-pa,50000001\n");
  try {
    rrg::io::read_mimic_cxr(options());
    ADD_FAILURE() << "short row accepted";
  } catch (const rrg::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("mimic-cxr-2.0.0-split.csv:2: row has 2 fields"),
              std::string::npos)
        << e.what();
  }
  rrg::testing::write_file(dir_.file("mimic-cxr-2.0.0-split.csv"), "dicom,study\n");
  EXPECT_THROW(rrg::io::read_mimic_cxr(options()), rrg::InputError);
}

}  // namespace
