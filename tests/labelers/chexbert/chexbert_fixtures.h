// Tiny CheXbert checkpoints for the tests, generated with Debian's python3-torch by
// tests/labelers/chexbert/chexbert_reference.py (a plain torch.nn re-implementation of CheXbert)
// and shared by every test process: the first caller builds them in a temporary directory and
// renames it into place, so parallel ctest runs never see a half-written set.
#pragma once

#include <string>
#include <vector>

namespace rrg::testing {

// Sizes of the tiny model: 2 layers, hidden 32, 4 heads of 8, feed-forward 64, 512 positions.
inline constexpr int kTinyLayers = 2;
inline constexpr int kTinyHidden = 32;
inline constexpr int kTinyHeads = 4;
inline constexpr int kTinyVocabSize = 320;

// Directory holding (all from one random seed, so all hold the same weights):
//   zip.pth     {"epoch", "model_state_dict" (module. prefix), "optimizer_state_dict"}, zip format
//   legacy.pth  the same with _use_new_zipfile_serialization=False
//   plain.pth   the bare DataParallel state dict (zip)
//   bare.pth    a state dict without the module. prefix (zip)
//   missing.pth zip.pth without two tensors; reshaped.pth with one tensor of the wrong shape
//   cli.pth     another model with hidden 128 (2 heads of 64, as the rrg CLI assumes), zip
//   vocab.txt   a small WordPiece vocabulary of kTinyVocabSize lines (bert-base-uncased's special
//               tokens at their usual ids 0 and 100-103)
// Fails the calling test (and returns "") when python3-torch is unusable.
std::string chexbert_fixture_dir();

// Points RRG_TORCH_MODULE at the build's librrg_torch.so: test binaries live in
// build/tests/<area>/, not beside the module where the loader looks by default.
void use_built_torch_module();

// Runs `chexbert_reference.py run` on `ids` and returns its JSON output as text (`heads`: the
// model's attention heads).
std::string run_chexbert_reference(const std::string& checkpoint,
                                   const std::vector<std::vector<long>>& ids,
                                   int heads = kTinyHeads);

// The tiny vocabulary's text (also written as vocab.txt into the fixture directory).
std::string chexbert_test_vocab();

}  // namespace rrg::testing
