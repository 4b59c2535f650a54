// Small helpers shared by the subcommands: the full command line (recorded in outputs) and the
// check-then-write rules for output paths.
#pragma once

#include <string>

namespace rrg::cli {

// The command line as typed (set once by main), for "inputs.command" in outputs.
void set_command_line(int argc, char** argv);
const std::string& command_line();

// The file name without directories and the last extension: "runs/pred.jsonl" -> "pred".
std::string file_stem(const std::string& path);

}  // namespace rrg::cli
