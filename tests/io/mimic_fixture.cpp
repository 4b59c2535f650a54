// Generated MIMIC-CXR-JPG-style tree (see mimic_fixture.h).
#include "io/mimic_fixture.h"

#include <filesystem>

#include "support/test_support.h"

namespace rrg::testing {

void write_mimic_tree(const std::string& root,
                      const std::function<void(const std::string&)>& write_image) {
  struct Row {
    const char* dicom;
    const char* subject;
    const char* study;
    const char* split;
    const char* view;
  };
  const Row rows[] = {
      {"b-pa", "10000032", "50000001", "test", "PA"},
      {"a-lat", "10000032", "50000001", "test", "LATERAL"},
      {"c-ap", "10000032", "50000002", "test", "ap"},
      {"d-ll", "10000764", "50000003", "test", "LL"},
      {"e-lat", "10000764", "50000003", "test", "LATERAL"},
      {"f-axial", "10000764", "50000003", "test", "AP AXIAL"},
      {"g-none", "11000001", "50000004", "test", ""},
      {"h-pa", "11000001", "50000005", "train", "PA"},
      {"i-pa", "12000077", "50000006", "validate", "PA"},
  };
  std::string split = "dicom_id,study_id,subject_id,split\n";
  std::string meta =
      "dicom_id,subject_id,study_id,PerformedProcedureStepDescription,ViewPosition,Rows,Columns,"
      "StudyDate,StudyTime,ProcedureCodeSequence_CodeMeaning,ViewCodeSequence_CodeMeaning,"
      "PatientOrientationCodeSequence_CodeMeaning\n";
  for (const Row& r : rows) {
    split += std::string(r.dicom) + "," + r.study + "," + r.subject + "," + r.split + "\n";
    meta += std::string(r.dicom) + "," + r.subject + "," + r.study + ",\"CHEST (PA AND LAT)\"," +
            r.view + ",3056,2544,21800506,213014.531,CHEST (PA AND LAT),postero-anterior,Erect\n";
    const std::string dir =
        root + "/files/p" + std::string(r.subject).substr(0, 2) + "/p" + r.subject + "/s" + r.study;
    std::filesystem::create_directories(dir);
    const std::string path = dir + "/" + r.dicom + ".jpg";
    if (write_image) {
      write_image(path);
    } else {
      write_file(path, "placeholder");
    }
  }
  write_file(root + "/mimic-cxr-2.0.0-split.csv", split);
  write_file(root + "/mimic-cxr-2.0.0-metadata.csv", meta);
}

}  // namespace rrg::testing
