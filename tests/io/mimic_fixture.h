// A small MIMIC-CXR-JPG-style tree generated for tests: files/pXX/pSUBJECT/sSTUDY/DICOM.jpg
// plus mimic-cxr-2.0.0-split.csv and mimic-cxr-2.0.0-metadata.csv with a few view positions,
// splits and edge cases. The ids are invented; the layout and columns are PhysioNet's.
//
//   study     subject   split     images (dicom_id: ViewPosition)
//   50000001  10000032  test      b-pa: PA, a-lat: LATERAL
//   50000002  10000032  test      c-ap: ap   (lower case in the CSV)
//   50000003  10000764  test      d-ll: LL, e-lat: LATERAL, f-axial: AP AXIAL
//   50000004  11000001  test      g-none: (empty)
//   50000005  11000001  train     h-pa: PA
//   50000006  12000077  validate  i-pa: PA
#pragma once

#include <functional>
#include <string>

namespace rrg::testing {

// Writes the tree under `root`. `write_image(path)` creates each image file (default: a few
// placeholder bytes; the generate tests pass a real JPEG writer).
void write_mimic_tree(const std::string& root,
                      const std::function<void(const std::string&)>& write_image = nullptr);

}  // namespace rrg::testing
