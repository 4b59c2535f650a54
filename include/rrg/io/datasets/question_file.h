// The original toolkit's question file: one chat message per study,
//   {"test": [{"id": ..., "role": "user",
//              "content": [{"type": "image", "image": PATH}, ..., {"type": "text", "text":
//              PROMPT}]}]}
// Every "image" item becomes an image of the study (in order); the "text" items, joined with a
// newline, become the study's own prompt. Qwen-style "file://" prefixes are accepted, and
// http(s):// / data: URLs are passed to the server unchanged.
#pragma once

#include <string>

#include "rrg/io/datasets/study.h"

namespace rrg::io {

// Reads the `split` list ("test" in the toolkit's files). Relative image paths are joined to
// `image_root`, or left relative to the working directory when it is "" (what the toolkit's
// Python scripts did). Throws InputError naming the file and the entry for malformed input.
StudyList read_question_file(const std::string& path, const std::string& image_root,
                             const std::string& split = "test");

}  // namespace rrg::io
