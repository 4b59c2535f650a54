// Builds and shares the tiny CheXbert fixtures (see chexbert_fixtures.h).
#include "labelers/chexbert/chexbert_fixtures.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>

#include "support/test_support.h"

namespace rrg::testing {
namespace {

std::string reference_script() {
  return source_dir() + "/tests/labelers/chexbert/chexbert_reference.py";
}

// Words of the tiny vocabulary: enough radiology words, word pieces and characters that the
// tests' reports tokenize into a realistic mix of whole words, ## pieces and [UNK]. "cardio"
// is listed twice on purpose: a repeated token keeps its last id (tokenization_bert.load_vocab).
// clang-format off
const char* const kWords[] = {
    "no", "acute", "cardio", "##pulmonary", "process", "pleural", "effusion", "pneumo",
    "##thorax", "heart", "size", "normal", "the", "is", "are", "of", "and", "lungs", "clear",
    "there", "focal", "consolidation", "mild", "cardio", "##megaly", "edema", "opacity", "at",
    "##elect", "##asis", "left", "right", "lower", "upper", "lobe", "small", "large", "xx",
    "##xx", "stable", "unchanged", "fracture", "rib", "tube", "line", "catheter", "pneumonia",
    "nodule", "mass", "lesion", "possible", "likely", "may", "represent", "without", "with",
    "evidence", "for", "in", "to", "silhouette", "within", "limits", "enlarged", "medi",
    "##astinum", "support", "device", "##s", "##ed", "##ing", "##al", "##ly", "##es",
    "interval", "increase", "decrease", "bilateral", "trace", "moderate", "severe", "vascular",
    "congestion", "pulmonary", "findings", "cm", "mm", "degenerative", "changes", "spine",
    "osseous", "structures", "intact", "cafe", "resume", "naive", "seen", "not", "be",
    "excluded", "cannot", "or", "sternotomy", "wires", "pacemaker", "leads", "granuloma",
    "calcified", "scarring", "hyper", "##inflated", "copd", "chronic", "\xe8\x82\xba",  // last: U+80BA, a CJK ideograph
};
// clang-format on

}  // namespace

std::string chexbert_test_vocab() {
  std::vector<std::string> tokens(100);
  tokens[0] = "[PAD]";
  std::vector<std::string> rest;
  for (char c = 'a'; c <= 'z'; ++c) rest.emplace_back(1, c);
  for (char c = '0'; c <= '9'; ++c) rest.emplace_back(1, c);
  for (const char* p = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"; *p; ++p) rest.emplace_back(1, *p);
  for (char c = 'a'; c <= 'z'; ++c) rest.push_back(std::string("##") + c);
  for (char c = '0'; c <= '9'; ++c) rest.push_back(std::string("##") + c);
  for (const char* w : kWords) rest.push_back(w);
  std::size_t next = 0;
  for (std::size_t i = 1; i < 100; ++i) tokens[i] = next < rest.size() ? rest[next++] : "";
  tokens.insert(tokens.end(), {"[UNK]", "[CLS]", "[SEP]", "[MASK]"});
  while (next < rest.size()) tokens.push_back(rest[next++]);
  for (int n = 0; tokens.size() < static_cast<std::size_t>(kTinyVocabSize); ++n) {
    tokens.push_back("[unused" + std::to_string(n) + "]");
  }
  std::string text;
  for (const auto& t : tokens) text += t + "\n";
  return text;
}

std::string chexbert_fixture_dir() {
  // The directory name carries a hash of the generator so a changed script regenerates.
  const std::size_t version =
      std::hash<std::string>{}(read_file(reference_script()) + chexbert_test_vocab());
  const std::string dir = std::string(RRG_BINARY_DIR) + "/test-fixtures/chexbert-tiny-" +
                          std::to_string(version % 1000000007);
  if (file_exists(dir + "/zip.pth")) return dir;
  std::filesystem::create_directories(std::string(RRG_BINARY_DIR) + "/test-fixtures");
  std::string temp = dir + ".tmp-XXXXXX";
  if (::mkdtemp(temp.data()) == nullptr) {
    ADD_FAILURE() << "mkdtemp failed for " << temp;
    return "";
  }
  const CommandResult r = run_command({"/usr/bin/python3", reference_script(), "make-test-set",
                                       temp, "--vocab-size", std::to_string(kTinyVocabSize)});
  if (r.exit_code != 0) {
    ADD_FAILURE() << "python3-torch could not generate the CheXbert fixtures (install "
                     "python3-torch; scripts/setup.sh does):\n"
                  << r.err;
    std::filesystem::remove_all(temp);
    return "";
  }
  write_file(temp + "/vocab.txt", chexbert_test_vocab());
  // Atomic publish; when another process won the race, use its copy.
  if (std::rename(temp.c_str(), dir.c_str()) != 0) std::filesystem::remove_all(temp);
  return dir;
}

void use_built_torch_module() {
  ::setenv("RRG_TORCH_MODULE", (std::string(RRG_BINARY_DIR) + "/librrg_torch.so").c_str(), 1);
}

std::string run_chexbert_reference(const std::string& checkpoint,
                                   const std::vector<std::vector<long>>& ids, int heads) {
  TempDir tmp;
  write_file(tmp.file("in.json"), nlohmann::json{{"ids", ids}}.dump());
  const CommandResult r =
      run_command({"/usr/bin/python3", reference_script(), "run", checkpoint, tmp.file("in.json"),
                   tmp.file("out.json"), "--heads", std::to_string(heads)});
  if (r.exit_code != 0) {
    ADD_FAILURE() << "chexbert_reference.py run failed:\n" << r.err;
    return "";
  }
  return read_file(tmp.file("out.json"));
}

}  // namespace rrg::testing
