// Tiny model folders for the BERTScore tests (see bertscore_fixtures.h).
#include "metrics/bertscore/bertscore_fixtures.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "rrg/text/byte_level_bpe.h"
#include "support/test_support.h"

namespace rrg::testing {
namespace {

std::string wordpiece_vocab(int& size) {
  std::vector<std::string> tokens = {"[PAD]"};
  for (int i = 1; i < 100; ++i) tokens.push_back("[unused" + std::to_string(i - 1) + "]");
  for (const char* t : {"[UNK]", "[CLS]", "[SEP]", "[MASK]"}) tokens.push_back(t);
  for (char c = '!'; c <= '~'; ++c) {
    if (c < 'A' || c > 'Z') tokens.emplace_back(1, c);
  }
  for (char c = 'a'; c <= 'z'; ++c) tokens.push_back(std::string("##") + c);
  for (const char* w :
       {"no",       "acute", "cardio", "##pulmonary", "process", "pleural", "effusion", "pneumo",
        "##thorax", "heart", "size",   "normal",      "lungs",   "clear",   "the",      "is",
        "are",      "left",  "right",  "lower",       "lobe",    "opacity", "##s",      "tube",
        "mild",     "small", "with",   "of",          "in",      "and",     "or"}) {
    tokens.push_back(w);
  }
  size = static_cast<int>(tokens.size());
  std::string text;
  for (const auto& t : tokens) text += t + "\n";
  return text;
}

// Byte-level BPE files: <s> <pad> </s> <unk> at 0-3, the 256 byte symbols, then merge results.
int write_bpe_files(const std::string& dir) {
  const std::string G = "\xc4\xa0";  // "Ġ", a space
  const std::vector<std::pair<std::string, std::string>> merges = {
      {G, "t"},          {"h", "e"},          {G + "t", "he"},   {G, "a"},          {G, "p"},
      {"l", "e"},        {"u", "r"},          {"a", "l"},        {G, "n"},          {G + "n", "o"},
      {"i", "s"},        {G, "is"},           {"e", "s"},        {G, "l"},          {"u", "n"},
      {"g", "s"},        {G + "l", "un"},     {G + "lun", "gs"}, {G, "c"},          {"e", "a"},
      {"r", "e"},        {G + "c", "l"},      {G + "cl", "ea"},  {G + "clea", "r"}, {G + "p", "le"},
      {G + "ple", "ur"}, {G + "pleur", "al"}, {"i", "o"},        {"o", "n"},        {G, "e"}};
  nlohmann::json vocab = nlohmann::json::object();
  int id = 0;
  for (const char* special : {"<s>", "<pad>", "</s>", "<unk>"}) vocab[special] = id++;
  for (int b = 0; b < 256; ++b) vocab[text::gpt2_byte_symbol(static_cast<unsigned char>(b))] = id++;
  std::string merges_text = "#version: 0.2\n";
  for (const auto& [a, b] : merges) {
    merges_text += a + " " + b + "\n";
    if (!vocab.contains(a + b)) vocab[a + b] = id++;
  }
  write_file(dir + "/vocab.json", vocab.dump());
  write_file(dir + "/merges.txt", merges_text);
  return id;
}

}  // namespace

void use_built_torch_module_for_bertscore() {
  ::setenv("RRG_TORCH_MODULE", (std::string(RRG_BINARY_DIR) + "/librrg_torch.so").c_str(), 1);
}

bool make_bertscore_folder(const std::string& dir, const std::string& arch,
                           const std::vector<std::string>& extra_args) {
  std::filesystem::create_directories(dir);
  int vocab_size = 0;
  if (arch == "roberta") {
    vocab_size = write_bpe_files(dir);
    write_file(dir + "/tokenizer_config.json", R"({"model_max_length": 40})");
  } else {
    write_file(dir + "/vocab.txt", wordpiece_vocab(vocab_size));
    if (arch == "bert") {
      write_file(dir + "/tokenizer_config.json",
                 R"({"do_lower_case": true, "model_max_length": 40})");
    }
  }
  std::vector<std::string> argv = {
      "/usr/bin/python3", source_dir() + "/tests/torch_module/hf_encoder_reference.py",
      "make-folder",      dir,
      "--arch",           arch,
      "--vocab-size",     std::to_string(vocab_size)};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  const CommandResult r = run_command(argv);
  EXPECT_EQ(r.exit_code, 0) << "python3-torch could not write the test model:\n" << r.err;
  return r.exit_code == 0;
}

}  // namespace rrg::testing
