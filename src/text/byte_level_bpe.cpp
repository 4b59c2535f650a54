// Byte-level BPE (see byte_level_bpe.h). Merges are looked up by "left right" (byte-level symbols
// never contain U+0020, which maps to "Ġ"); encoded pieces are cached by their mapped text.
#include "rrg/text/byte_level_bpe.h"

#include <array>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "rrg/core/errors.h"
#include "rrg/text/gpt2_pretokenizer.h"
#include "rrg/text/utf8.h"

namespace rrg::text {
namespace {

constexpr std::size_t kMaxCachedPieces = 200000;  // the cache is cleared beyond this

std::string read_whole_file(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot read " + what);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// GPT-2's bytes_to_unicode(): printable Latin-1 bytes stand for themselves, the others (control
// characters, space, DEL, NBSP, soft hyphen...) for U+0100 upwards in byte order.
const std::array<std::string, 256>& byte_symbols() {
  static const std::array<std::string, 256> table = [] {
    std::array<std::string, 256> t;
    const auto printable = [](int b) {
      return (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
    };
    int next = 0;
    for (int b = 0; b < 256; ++b) {
      append_utf8(printable(b) ? static_cast<char32_t>(b) : static_cast<char32_t>(256 + next++),
                  t[static_cast<std::size_t>(b)]);
    }
    return t;
  }();
  return table;
}

}  // namespace

struct ByteLevelBpeTokenizer::State {
  std::string vocab_path;
  std::unordered_map<std::string, std::int32_t> vocab;
  std::vector<std::string> tokens;  // by id (an id listed twice keeps its last token)
  std::unordered_map<std::string, std::int32_t> merge_ranks;  // "left right" -> rank
  std::int32_t unk_id = -1;
  std::size_t vocab_size = 0;
  Gpt2Whitespace whitespace = Gpt2Whitespace::kUnicode;
  mutable std::mutex cache_mutex;
  mutable std::unordered_map<std::string, std::vector<std::int32_t>> cache;
};

ByteLevelBpeTokenizer::ByteLevelBpeTokenizer() : state_(std::make_unique<State>()) {}
ByteLevelBpeTokenizer::ByteLevelBpeTokenizer(ByteLevelBpeTokenizer&&) noexcept = default;
ByteLevelBpeTokenizer& ByteLevelBpeTokenizer::operator=(ByteLevelBpeTokenizer&&) noexcept = default;
ByteLevelBpeTokenizer::~ByteLevelBpeTokenizer() = default;

const std::string& gpt2_byte_symbol(unsigned char byte) {
  return byte_symbols()[byte];
}

ByteLevelBpeTokenizer ByteLevelBpeTokenizer::from_files(const std::string& vocab_json,
                                                        const std::string& merges_txt,
                                                        Gpt2Whitespace whitespace) {
  ByteLevelBpeTokenizer t;
  State& s = *t.state_;
  s.whitespace = whitespace;
  s.vocab_path = vocab_json;
  {
    const std::string text = read_whole_file(vocab_json, "the BPE vocabulary (vocab.json)");
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
      throw InputError(vocab_json + ": not valid JSON (" + e.what() + ")");
    }
    if (!j.is_object() || j.empty()) {
      throw InputError(vocab_json + ": expected a JSON object mapping tokens to ids");
    }
    std::int64_t max_id = -1;
    for (const auto& [token, id] : j.items()) {
      if (!id.is_number_integer() || id.get<std::int64_t>() < 0 ||
          id.get<std::int64_t>() > std::numeric_limits<std::int32_t>::max()) {
        throw InputError(vocab_json + ": the id of token \"" + token +
                         "\" is not a non-negative integer");
      }
      s.vocab[token] = static_cast<std::int32_t>(id.get<std::int64_t>());
      max_id = std::max(max_id, id.get<std::int64_t>());
    }
    s.vocab_size = static_cast<std::size_t>(max_id + 1);
    s.tokens.resize(s.vocab_size);
    for (const auto& [token, id] : s.vocab) s.tokens[static_cast<std::size_t>(id)] = token;
  }
  for (int b = 0; b < 256; ++b) {
    if (!s.vocab.count(byte_symbols()[static_cast<std::size_t>(b)])) {
      throw InputError(vocab_json + ": not a byte-level BPE vocabulary (the symbol of byte " +
                       std::to_string(b) + ", \"" + byte_symbols()[static_cast<std::size_t>(b)] +
                       "\", is missing); expected GPT-2's or RoBERTa's vocab.json");
    }
  }
  s.unk_id = t.id_of("<unk>");

  const std::string text = read_whole_file(merges_txt, "the BPE merges (merges.txt)");
  std::size_t line_no = 0, start = 0;
  std::int32_t rank = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + start, end - start);
    ++line_no;
    start = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || (line_no == 1 && line.rfind("#version", 0) == 0)) continue;
    const std::size_t space = line.find(' ');
    if (space == std::string_view::npos || space == 0 || space + 1 >= line.size() ||
        line.find(' ', space + 1) != std::string_view::npos) {
      throw InputError(location_message(merges_txt, line_no, 0,
                                        "expected two symbols separated by one space (a BPE "
                                        "merge, as in GPT-2's merges.txt)"));
    }
    if (find_invalid_utf8(line) != std::string_view::npos) {
      throw InputError(location_message(merges_txt, line_no, 0, "not UTF-8"));
    }
    s.merge_ranks.emplace(std::string(line), rank++);  // a repeated merge keeps its first rank
  }
  if (s.merge_ranks.empty()) throw InputError(merges_txt + ": no BPE merges found");
  return t;
}

std::int32_t ByteLevelBpeTokenizer::id_of(std::string_view token) const {
  const auto it = state_->vocab.find(std::string(token));
  return it == state_->vocab.end() ? -1 : it->second;
}

std::size_t ByteLevelBpeTokenizer::vocab_size() const {
  return state_->vocab_size;
}

void ByteLevelBpeTokenizer::encode_piece(const std::string& mapped,
                                         std::vector<std::int32_t>& ids) const {
  const State& s = *state_;
  {
    std::lock_guard<std::mutex> lock(s.cache_mutex);
    if (auto it = s.cache.find(mapped); it != s.cache.end()) {
      ids.insert(ids.end(), it->second.begin(), it->second.end());
      return;
    }
  }
  // The piece as single characters (code points of the byte-level alphabet).
  std::vector<std::string> word;
  for (std::size_t i = 0; i < mapped.size();) {
    const auto c = static_cast<unsigned char>(mapped[i]);
    const std::size_t len = c < 0x80 ? 1 : c >= 0xE0 ? 3 : 2;  // symbols are < U+0800
    word.emplace_back(mapped, i, len);
    i += len;
  }
  std::string key;
  std::vector<std::string> merged;
  while (word.size() > 1) {
    // The adjacent pair of lowest rank (ranks are unique, so there is no tie).
    std::int32_t best_rank = std::numeric_limits<std::int32_t>::max();
    std::size_t best = word.size();
    for (std::size_t i = 0; i + 1 < word.size(); ++i) {
      key.assign(word[i]).append(1, ' ').append(word[i + 1]);
      const auto it = s.merge_ranks.find(key);
      if (it != s.merge_ranks.end() && it->second < best_rank) {
        best_rank = it->second;
        best = i;
      }
    }
    if (best == word.size()) break;
    const std::string first = word[best], second = word[best + 1];
    // Merge every occurrence, scanning left to right (GPT-2's encoder.py bpe()).
    merged.clear();
    for (std::size_t i = 0; i < word.size();) {
      if (i + 1 < word.size() && word[i] == first && word[i + 1] == second) {
        merged.push_back(first + second);
        i += 2;
      } else {
        merged.push_back(std::move(word[i]));
        ++i;
      }
    }
    word.swap(merged);
  }
  std::vector<std::int32_t> piece_ids;
  piece_ids.reserve(word.size());
  for (const std::string& token : word) {
    std::int32_t id = id_of(token);
    if (id < 0) id = s.unk_id;  // HF: encoder.get(token, encoder.get(unk_token))
    if (id < 0) {
      throw InputError(s.vocab_path + ": the BPE token \"" + token +
                       "\" is not in the vocabulary and there is no <unk> token; are vocab.json "
                       "and merges.txt from the same model?");
    }
    piece_ids.push_back(id);
  }
  ids.insert(ids.end(), piece_ids.begin(), piece_ids.end());
  std::lock_guard<std::mutex> lock(s.cache_mutex);
  if (s.cache.size() >= kMaxCachedPieces) s.cache.clear();
  s.cache.emplace(mapped, std::move(piece_ids));
}

std::vector<std::int32_t> ByteLevelBpeTokenizer::token_ids(std::string_view text) const {
  std::vector<std::int32_t> ids;
  std::string mapped;
  for (std::string_view piece : gpt2_pretokenize(text, state_->whitespace)) {
    mapped.clear();
    for (char byte : piece) mapped += byte_symbols()[static_cast<unsigned char>(byte)];
    encode_piece(mapped, ids);
  }
  return ids;
}

std::vector<std::string> ByteLevelBpeTokenizer::tokenize(std::string_view text) const {
  std::vector<std::string> tokens;
  for (std::int32_t id : token_ids(text)) tokens.push_back(state_->tokens[id]);
  return tokens;
}

}  // namespace rrg::text
