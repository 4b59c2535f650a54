// rrg: the command-line front end. main() only wires subcommands together and maps exceptions
// to exit codes; each subcommand lives in its own file (setup_X / run_X).
//
// Exit codes: 0 success; 1 failure of the environment or of rrg (server unreachable, disk full);
// 2 bad usage or bad input (unknown flag, malformed file, unknown metric). A closed stdout pipe
// (`rrg ... | head`) is not an error.
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "annotate.h"
#include "cli_common.h"
#include "compare.h"
#include "config_flags.h"
#include "evaluate.h"
#include "generate.h"
#include "help_formatter.h"
#include "merge.h"
#include "rrg/core/cpu_features.h"
#include "rrg/core/errors.h"
#include "rrg/core/version.h"
#include "rrg/io/config_file.h"
#include "sections.h"
#include "serve.h"

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  CLI::App app{"rrg: radiology report generation and evaluation toolkit"};
  app.formatter(std::make_shared<rrg::cli::HelpFormatter>());
  app.require_subcommand(1);
  app.footer(
      "\nRun `rrg <subcommand> --help` for its options and examples.\n"
      "Quick start: rrg evaluate --pred examples/pred.jsonl --ref examples/ref.jsonl\n"
      "Exit status: 0 success, 1 environment failure, 2 bad usage or input.");
  rrg::cli::set_command_line(argc, argv);
  rrg::cli::setup_evaluate(app);
  rrg::cli::setup_compare(app);
  rrg::cli::setup_annotate(app);
  rrg::cli::setup_merge(app);
  rrg::cli::setup_sections(app);
  rrg::cli::setup_generate(app);
  rrg::cli::setup_serve(app);
  // int8-kernels: the int8 kernels this CPU can run, fastest first (CPUID only; nothing loaded).
  app.set_version_flag("--version", std::string("rrg ") + rrg::version() + " (rev " +
                                        rrg::git_revision() +
                                        ", features:" + rrg::build_features() +
                                        ", int8-kernels:" + rrg::int8_kernels_text() + ")");
  try {
    // The configuration file sets flag defaults; the command line overrides them.
    if (const auto config = rrg::io::load_config_file()) rrg::cli::apply_config(app, *config);
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  } catch (const rrg::InputError& e) {
    std::cerr << "rrg: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "rrg: error: " << e.what() << "\n";
    return 1;
  }
  std::cout.flush();
  if (std::cout.fail()) {
    if (errno == EPIPE) return 0;  // the reader went away (`rrg ... | head`): not an error
    std::cerr << "rrg: error: cannot write to standard output (" << std::strerror(errno) << ")\n";
    return 1;
  }
  return 0;
}
