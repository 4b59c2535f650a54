// Read-only access to the WordNet 3.0 database files, the way NLTK 3.8's WordNet reader sees them.
//
// NLTK's METEOR matches a hypothesis word to a reference word when the reference word is a lemma
// name of one of `wordnet.synsets(hypothesis_word)`. This class reproduces exactly that lookup:
// `synsets()` lower-cases the word, runs NLTK's `_morphy` for the parts of speech n, v, a, r in
// that order (exception lists first, then the MORPHOLOGICAL_SUBSTITUTIONS rules applied level by
// level until some form is in the index), and returns the synsets of every form found;
// `lemma_names()` reads a synset's line from data.<pos> and returns its words as NLTK's Lemma
// names (case preserved, adjective markers such as "(p)" removed).
//
// The database is Princeton's file set (index.noun, data.noun, noun.exc, ... for noun, verb, adj
// and adv), e.g. from Debian's `wordnet-base` in /usr/share/wordnet. Nothing is loaded up front:
// the twelve files are memory-mapped, index.* and *.exc are binary-searched (they are sorted by
// byte value), and data.* lines are read at the byte offsets the index gives. Opening costs a few
// system calls, so a process that scores ten sentences starts in well under a millisecond.
//
// A WordNet object is immutable after construction and safe to use from several threads; it does
// not cache lookups (callers cache per distinct word).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace rrg::text {

// Parts of speech in NLTK's POS_LIST order (n, v, a, r). Adjective satellites ("s") are read
// through the adjective files, as NLTK's synsets() does.
enum class WordNetPos : std::uint8_t { kNoun = 0, kVerb = 1, kAdj = 2, kAdv = 3 };

// One synset: its part of speech and the byte offset of its line in data.<pos>.
struct SynsetRef {
  WordNetPos pos;
  std::uint32_t offset;
  bool operator==(const SynsetRef& other) const {
    return pos == other.pos && offset == other.offset;
  }
};

class WordNet {
 public:
  // Opens the database in `directory`; "" means $RRG_WORDNET_DIR when set, else
  // /usr/share/wordnet. Throws rrg::InputError naming the directory, the missing file, the
  // Debian package (wordnet-base) and how to point rrg elsewhere when a file is missing, and
  // std::runtime_error when a present file cannot be mapped.
  explicit WordNet(const std::string& directory = "");
  ~WordNet();
  WordNet(const WordNet&) = delete;
  WordNet& operator=(const WordNet&) = delete;

  // The directory `directory` resolves to ("" -> $RRG_WORDNET_DIR -> /usr/share/wordnet).
  static std::string resolve_directory(const std::string& directory);

  // The directory in use.
  const std::string& directory() const;

  // NLTK `_morphy(form, pos)`: the base forms of `form` (taken as given, not lower-cased) that
  // the index of `pos` lists, in NLTK's order.
  std::vector<std::string> morphy(std::string_view form, WordNetPos pos) const;

  // NLTK `synsets(word)`: every synset of every morphy form of python_lower(word), for n, v, a, r
  // in that order (a synset reached through two forms appears twice, as in NLTK).
  std::vector<SynsetRef> synsets(std::string_view word) const;

  // NLTK `[lemma.name() for lemma in synset.lemmas()]` for the synset at `synset`.
  // Throws std::runtime_error when the data file has no synset line at that offset.
  std::vector<std::string> lemma_names(SynsetRef synset) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rrg::text
