// WordNet 3.0 database reader reproducing NLTK 3.8's `synsets()` and lemma names (see wordnet.h).
//
// Reference: nltk/corpus/reader/wordnet.py of NLTK 3.8 — `_load_lemma_pos_offset_map` (index
// line layout), `_load_exception_map` (a later line with the same key replaces an earlier one),
// `_morphy` and MORPHOLOGICAL_SUBSTITUTIONS, `synsets`, `synset_from_pos_and_offset` and
// `_synset_from_pos_and_line` (data line layout, the regex that strips syntactic markers).
// NLTK parses every index and exception file into dictionaries at start-up (seconds); here the
// same questions are answered by binary search on the memory-mapped, byte-sorted files.
#include "rrg/text/wordnet.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "rrg/core/errors.h"
#include "rrg/text/python_str.h"

namespace rrg::text {
namespace {

constexpr const char* kDefaultDirectory = "/usr/share/wordnet";
constexpr const char* kDirectoryEnv = "RRG_WORDNET_DIR";
constexpr const char* kPosFileNames[] = {"noun", "verb", "adj", "adv"};

// Python's str.split() whitespace within ASCII (the database files are ASCII).
constexpr bool is_space(char c) {
  return c == ' ' || (c >= '\t' && c <= '\r') || (c >= '\x1c' && c <= '\x1f');
}

// Python `line.split()`, one field at a time.
class FieldReader {
 public:
  explicit FieldReader(std::string_view line) : line_(line) {}

  // The next field, or an empty view at the end of the line.
  std::string_view next() {
    while (i_ < line_.size() && is_space(line_[i_])) ++i_;
    const std::size_t start = i_;
    while (i_ < line_.size() && !is_space(line_[i_])) ++i_;
    return line_.substr(start, i_ - start);
  }

 private:
  std::string_view line_;
  std::size_t i_ = 0;
};

std::string_view first_field(std::string_view line) {
  return FieldReader(line).next();
}

// Parses a non-negative integer in `base`; false when `text` is not one (Python int() failing).
bool parse_unsigned(std::string_view text, int base, std::uint64_t& value) {
  if (text.empty() || text.size() > 16) return false;
  value = 0;
  for (char c : text) {
    int digit;
    if (c >= '0' && c <= '9') {
      digit = c - '0';
    } else if (base == 16 && c >= 'a' && c <= 'f') {
      digit = c - 'a' + 10;
    } else if (base == 16 && c >= 'A' && c <= 'F') {
      digit = c - 'A' + 10;
    } else {
      return false;
    }
    if (digit >= base) return false;
    value = value * static_cast<std::uint64_t>(base) + static_cast<std::uint64_t>(digit);
  }
  return true;
}

// A read-only memory map of a whole file.
class MappedFile {
 public:
  MappedFile() = default;
  ~MappedFile() {
    if (data_ != nullptr) ::munmap(const_cast<char*>(data_), size_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  void open(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
      throw std::runtime_error("wordnet: cannot open " + path + ": " + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
      const int error = errno;
      ::close(fd);
      throw std::runtime_error("wordnet: cannot stat " + path + ": " + std::strerror(error));
    }
    size_ = static_cast<std::size_t>(st.st_size);
    if (size_ > 0) {
      void* mapped = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
      if (mapped == MAP_FAILED) {
        const int error = errno;
        ::close(fd);
        throw std::runtime_error("wordnet: cannot map " + path + ": " + std::strerror(error));
      }
      data_ = static_cast<const char*>(mapped);
    }
    ::close(fd);
    path_ = path;
  }

  std::string_view text() const { return {data_ == nullptr ? "" : data_, size_}; }
  const std::string& path() const { return path_; }

 private:
  const char* data_ = nullptr;
  std::size_t size_ = 0;
  std::string path_;
};

// A text file whose lines (after a licence header of lines starting with a space, in index.*)
// are sorted by their first field in byte order, as WordNet's index.* and *.exc files are.
class SortedLineFile {
 public:
  void open(const std::string& path) {
    file_.open(path);
    const std::string_view text = file_.text();
    body_begin_ = 0;
    while (body_begin_ < text.size() && text[body_begin_] == ' ') {
      const std::size_t end = text.find('\n', body_begin_);
      body_begin_ = end == std::string_view::npos ? text.size() : end + 1;
    }
  }

  const std::string& path() const { return file_.path(); }

  // The line (without '\n') whose first field is `key`; with `last_duplicate`, the last of
  // several such lines. Empty when there is none.
  //
  // Binary search on byte offsets: from the middle of [lo, hi) it reads forward to the next line
  // start (memchr) and compares that line's first field with `key` in place; once the range is
  // a few lines long they are compared in turn. Invariant: a line starting with `key` starts in
  // [lo, hi).
  std::string_view find(std::string_view key, bool last_duplicate = false) const {
    std::size_t lo = body_begin_;
    std::size_t hi = size();
    while (hi - lo > kLinearScanBytes) {
      const std::size_t mid = lo + (hi - lo) / 2;
      const std::size_t start = next_line_start(mid);
      if (start >= hi) break;  // no line starts in [mid, hi)
      const int order = compare_first_field(start, key);
      if (order == 0) return line_at(start, key, last_duplicate);
      if (order < 0) {
        lo = start + 1;  // the wanted line starts after this one
      } else {
        hi = start;
      }
    }
    for (std::size_t start = next_line_start(lo); start < hi; start = next_line_start(start + 1)) {
      const int order = compare_first_field(start, key);
      if (order == 0) return line_at(start, key, last_duplicate);
      if (order > 0) break;
    }
    return {};
  }

 private:
  // Below this many bytes the search compares line after line.
  static constexpr std::size_t kLinearScanBytes = 256;

  const char* data() const { return file_.text().data(); }
  std::size_t size() const { return file_.text().size(); }

  // The first line start at or after `pos` (size() when there is none).
  std::size_t next_line_start(std::size_t pos) const {
    if (pos <= body_begin_) return body_begin_;
    if (pos >= size()) return size();
    if (data()[pos - 1] == '\n') return pos;
    const void* newline = std::memchr(data() + pos, '\n', size() - pos);
    return newline == nullptr
               ? size()
               : static_cast<std::size_t>(static_cast<const char*>(newline) - data()) + 1;
  }

  std::size_t line_end(std::size_t start) const {
    const void* newline = std::memchr(data() + start, '\n', size() - start);
    return newline == nullptr
               ? size()
               : static_cast<std::size_t>(static_cast<const char*>(newline) - data());
  }

  // Byte-order comparison of the first field of the line at `start` with `key` (<0, 0, >0).
  int compare_first_field(std::size_t start, std::string_view key) const {
    const char* p = data() + start;
    const std::size_t available = size() - start;
    for (std::size_t i = 0; i < key.size(); ++i) {
      if (i >= available || is_space(p[i])) return -1;  // the field is a proper prefix of key
      if (p[i] != key[i]) {
        return static_cast<unsigned char>(p[i]) < static_cast<unsigned char>(key[i]) ? -1 : 1;
      }
    }
    return key.size() < available && !is_space(p[key.size()]) ? 1 : 0;
  }

  std::string_view line_at(std::size_t start, std::string_view key, bool last_duplicate) const {
    std::size_t end = line_end(start);
    while (last_duplicate && end + 1 < size() && compare_first_field(end + 1, key) == 0) {
      start = end + 1;
      end = line_end(start);
    }
    return std::string_view(data() + start, end - start);
  }

  MappedFile file_;
  std::size_t body_begin_ = 0;
};

// NLTK's MORPHOLOGICAL_SUBSTITUTIONS, per POS_LIST entry (adjective satellites share ADJ's).
struct Substitution {
  std::string_view old_suffix;
  std::string_view new_suffix;
};
constexpr Substitution kNounRules[] = {{"s", ""},      {"ses", "s"},   {"ves", "f"},
                                       {"xes", "x"},   {"zes", "z"},   {"ches", "ch"},
                                       {"shes", "sh"}, {"men", "man"}, {"ies", "y"}};
constexpr Substitution kVerbRules[] = {{"s", ""},   {"ies", "y"}, {"es", "e"},  {"es", ""},
                                       {"ed", "e"}, {"ed", ""},   {"ing", "e"}, {"ing", ""}};
constexpr Substitution kAdjRules[] = {{"er", ""}, {"est", ""}, {"er", "e"}, {"est", "e"}};

struct RuleSet {
  const Substitution* rules;
  std::size_t count;
};
constexpr RuleSet kRules[] = {{kNounRules, std::size(kNounRules)},
                              {kVerbRules, std::size(kVerbRules)},
                              {kAdjRules, std::size(kAdjRules)},
                              {nullptr, 0}};

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// `_morphy.apply_rules`: every substitution of every form, in order. Forms repeated within one
// level are dropped: a repeat only regenerates forms already produced by its first occurrence,
// so the order in which `filter_forms` first meets each form — all NLTK's result depends on —
// is unchanged, while the list no longer grows exponentially on words like "eseses...".
std::vector<std::string> apply_rules(const std::vector<std::string>& forms, const RuleSet& set) {
  std::vector<std::string> out;
  for (const auto& form : forms) {
    for (std::size_t r = 0; r < set.count; ++r) {
      const Substitution& rule = set.rules[r];
      if (!ends_with(form, rule.old_suffix)) continue;
      std::string next = form.substr(0, form.size() - rule.old_suffix.size());
      next += rule.new_suffix;
      if (std::find(out.begin(), out.end(), next) == out.end()) out.push_back(std::move(next));
    }
  }
  return out;
}

// The lemma name NLTK keeps from a data-file word: `re.match(r"(.*?)(\(.*\))?$", word)` group 1,
// i.e. the word cut at its first '(' when the rest is a parenthesised marker such as "(p)".
std::string_view strip_syntactic_marker(std::string_view word) {
  if (word.size() < 2 || word.back() != ')') return word;
  const std::size_t open = word.find('(');
  return open == std::string_view::npos || open + 1 >= word.size() ? word : word.substr(0, open);
}

std::string pad_offset(std::uint32_t offset) {
  std::string digits = std::to_string(offset);
  if (digits.size() < 8) digits.insert(0, 8 - digits.size(), '0');
  return digits;
}

}  // namespace

struct WordNet::Impl {
  std::string directory;
  SortedLineFile index[4];
  SortedLineFile exceptions[4];
  MappedFile data[4];

  // `_morphy(form, pos)`, returning the index line of each form found (a line's first field is
  // its form), so synsets() need not search again.
  std::vector<std::string_view> morphy_lines(std::string_view form, std::size_t p) const {
    const SortedLineFile& lemmas = index[p];
    std::vector<std::string_view> lines;
    // `filter_forms`: forms the index lists for this POS, first occurrence order, no repeats.
    const auto filter_forms = [&](const std::vector<std::string>& forms) {
      lines.clear();
      for (const auto& candidate : forms) {
        const bool seen = std::any_of(lines.begin(), lines.end(), [&](std::string_view line) {
          return first_field(line) == candidate;
        });
        if (seen) continue;
        const std::string_view line = lemmas.find(candidate);
        if (!line.empty()) lines.push_back(line);
      }
      return !lines.empty();
    };

    // 0. The exception list decides alone when it knows the form.
    const std::string_view exception = exceptions[p].find(form, /*last_duplicate=*/true);
    if (!exception.empty()) {
      FieldReader fields(exception);
      fields.next();  // the form itself
      std::vector<std::string> forms{std::string(form)};
      for (std::string_view f = fields.next(); !f.empty(); f = fields.next()) forms.emplace_back(f);
      filter_forms(forms);
      return lines;
    }
    // 1.-2. One round of rules; the original form and its direct variants.
    std::vector<std::string> forms = apply_rules({std::string(form)}, kRules[p]);
    std::vector<std::string> first_level{std::string(form)};
    first_level.insert(first_level.end(), forms.begin(), forms.end());
    if (filter_forms(first_level)) return lines;
    // 3. Further rounds until some form is found or no rule applies.
    while (!forms.empty()) {
      forms = apply_rules(forms, kRules[p]);
      if (filter_forms(forms)) return lines;
    }
    return lines;
  }
};

std::string WordNet::resolve_directory(const std::string& directory) {
  if (!directory.empty()) return directory;
  if (const char* env = std::getenv(kDirectoryEnv); env != nullptr && *env != '\0') return env;
  return kDefaultDirectory;
}

WordNet::WordNet(const std::string& directory) : impl_(std::make_unique<Impl>()) {
  impl_->directory = resolve_directory(directory);
  const std::string& dir = impl_->directory;
  const std::string origin = !directory.empty()         ? " (given with --wordnet-dir)"
                             : dir == kDefaultDirectory ? " (the default)"
                                                        : " (from RRG_WORDNET_DIR)";
  const std::string advice =
      "METEOR's synonym stage needs the WordNet 3.0 database files index.{noun,verb,adj,adv}, "
      "data.{noun,verb,adj,adv} and {noun,verb,adj,adv}.exc. Install them with "
      "`apt-get install wordnet-base` (Debian's package puts them in /usr/share/wordnet), or "
      "point rrg at a directory holding them with --wordnet-dir DIR or the RRG_WORDNET_DIR "
      "environment variable.";
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    throw InputError("WordNet directory '" + dir + "'" + origin + " does not exist. " + advice);
  }
  const auto path_of = [&](const std::string& name) {
    const std::string path = dir + "/" + name;
    if (::access(path.c_str(), R_OK) != 0) {
      throw InputError("WordNet directory '" + dir + "'" + origin + " has no readable " + name +
                       ". " + advice);
    }
    return path;
  };
  for (int p = 0; p < 4; ++p) {
    const std::string pos = kPosFileNames[p];
    impl_->index[p].open(path_of("index." + pos));
    impl_->data[p].open(path_of("data." + pos));
    impl_->exceptions[p].open(path_of(pos + ".exc"));
  }
}

WordNet::~WordNet() = default;

const std::string& WordNet::directory() const {
  return impl_->directory;
}

std::vector<std::string> WordNet::morphy(std::string_view form, WordNetPos pos) const {
  std::vector<std::string> forms;
  for (const auto line : impl_->morphy_lines(form, static_cast<std::size_t>(pos))) {
    forms.emplace_back(first_field(line));
  }
  return forms;
}

std::vector<SynsetRef> WordNet::synsets(std::string_view word) const {
  const std::string lemma = python_lower(word);
  std::vector<SynsetRef> out;
  for (std::size_t p = 0; p < 4; ++p) {
    for (const auto line : impl_->morphy_lines(lemma, p)) {
      // lemma pos n_synsets n_pointers [pointer...] n_senses n_tagged offset...
      FieldReader fields(line);
      fields.next();
      fields.next();
      std::uint64_t n_synsets = 0, n_pointers = 0, n_senses = 0, ignored = 0;
      bool ok = parse_unsigned(fields.next(), 10, n_synsets) &&
                parse_unsigned(fields.next(), 10, n_pointers);
      for (std::uint64_t k = 0; ok && k < n_pointers; ++k) ok = !fields.next().empty();
      ok = ok && parse_unsigned(fields.next(), 10, n_senses) && n_senses == n_synsets &&
           parse_unsigned(fields.next(), 10, ignored);
      for (std::uint64_t k = 0; ok && k < n_synsets; ++k) {
        std::uint64_t offset = 0;
        ok = parse_unsigned(fields.next(), 10, offset) && offset <= 0xFFFFFFFFu;
        if (ok) out.push_back({static_cast<WordNetPos>(p), static_cast<std::uint32_t>(offset)});
      }
      if (!ok) {
        throw std::runtime_error("wordnet: malformed line for '" + std::string(first_field(line)) +
                                 "' in " + impl_->index[p].path());
      }
    }
  }
  return out;
}

std::vector<std::string> WordNet::lemma_names(SynsetRef synset) const {
  const MappedFile& file = impl_->data[static_cast<std::size_t>(synset.pos)];
  const std::string_view text = file.text();
  const std::string expected = pad_offset(synset.offset);
  if (synset.offset >= text.size() || text.substr(synset.offset, 8) != expected) {
    throw std::runtime_error("wordnet: no synset at offset " + std::to_string(synset.offset) +
                             " of " + file.path());
  }
  std::size_t end = text.find('\n', synset.offset);
  if (end == std::string_view::npos) end = text.size();
  std::string_view line = text.substr(synset.offset, end - synset.offset);
  line = line.substr(0, std::min(line.size(), line.find('|')));
  // offset lex_filenum ss_type w_cnt(hex) [word lex_id(hex)]...
  FieldReader fields(line);
  fields.next();
  fields.next();
  fields.next();
  std::uint64_t count = 0;
  bool ok = parse_unsigned(fields.next(), 16, count);
  std::vector<std::string> names;
  for (std::uint64_t k = 0; ok && k < count; ++k) {
    const std::string_view word = fields.next();
    ok = !word.empty() && !fields.next().empty();  // the word and its lex_id
    if (ok) names.emplace_back(strip_syntactic_marker(word));
  }
  if (!ok) {
    throw std::runtime_error("wordnet: malformed synset line at offset " +
                             std::to_string(synset.offset) + " of " + file.path());
  }
  return names;
}

}  // namespace rrg::text
