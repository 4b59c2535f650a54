// Settings that some scorers need; each field names the scorer that reads it.
#pragma once

#include <string>

namespace rrg::metrics {

struct ScorerOptions {
  // nltk-meteor: directory holding WordNet 3.0 database files (index.noun, data.noun, *.exc...).
  // Empty = $RRG_WORDNET_DIR, then /usr/share/wordnet (Debian package wordnet-base).
  std::string wordnet_dir;
};

}  // namespace rrg::metrics
