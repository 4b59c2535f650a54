// Inside librrg_torch.so: reading the tensors of a `torch.save` file without Python.
//
// libtorch 1.13's torch::pickle_load cannot read real checkpoints (an OrderedDict unpickles as
// None and the legacy format is not supported), so this reader runs its own pickle machine:
// - zip format (PyTorch >= 1.6 default): `archive/data.pkl` + one record per storage, read with
//   caffe2::serialize::PyTorchStreamReader;
// - legacy format (`_use_new_zipfile_serialization=False`, PyTorch < 1.6): magic number,
//   protocol and sys-info pickles, the object pickle, the list of storage keys, then each storage
//   as an int64 element count followed by its raw little-endian bytes.
// Storages are persistent references; only those the selected state dict uses are read, so an
// optimizer state saved beside the weights (CheXbert's chexbert.pth) costs no memory.
#pragma once

#include <ATen/core/Tensor.h>

#include <string>
#include <utility>
#include <vector>

namespace rrg::torch_module {

struct StateDict {
  std::string format;  // "zip" or "legacy"
  std::string source;  // where the tensors were found: "model_state_dict", "state_dict" or "top"
  std::vector<std::pair<std::string, at::Tensor>> tensors;  // in the file's order
};

// Reads the state dict of a torch.save file: obj["model_state_dict"] when present (CheXbert),
// else obj["state_dict"], else obj itself when it maps names to tensors. Non-tensor entries are
// skipped. Throws rrg::InputError naming the file and the problem when the file is not a
// torch.save file, is truncated or corrupt, or holds no state dict.
StateDict read_state_dict(const std::string& path);

}  // namespace rrg::torch_module
