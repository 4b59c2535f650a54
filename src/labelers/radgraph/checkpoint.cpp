// Reading a RadGraph checkpoint as AllenNLP archives it (model.tar.gz = radgraph.tar.gz):
// config.json, weights.th and vocabulary/<namespace>.txt (+ non_padded_namespaces.txt), as a
// gzip-compressed tar (read with zlib, streaming weights.th to disk) or as the extracted folder.
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "rrg/core/errors.h"
#include "rrg/io/sha256.h"
#include "rrg/labelers/radgraph/radgraph.h"

namespace rrg::labelers::radgraph {
namespace {

namespace fs = std::filesystem;

struct GzFile {
  gzFile f = nullptr;
  ~GzFile() {
    if (f) gzclose(f);
  }
};

std::string strip_dot_slash(std::string name) {
  while (name.rfind("./", 0) == 0) name.erase(0, 2);
  return name;
}

// The members we need: config.json and vocabulary/* in memory, weights.th streamed to `weights`.
void read_tar(const std::string& path, std::map<std::string, std::string>& small,
              const std::string& weights) {
  GzFile gz;
  gz.f = gzopen(path.c_str(), "rb");  // reads plain tar files too
  if (!gz.f) throw rrg::InputError(path + ": cannot open the archive");
  gzbuffer(gz.f, 1 << 20);
  std::vector<char> block(512);
  std::string long_name;
  bool found_weights = false;
  const auto read_exact = [&](char* out, std::size_t n) {
    std::size_t got = 0;
    while (got < n) {
      const int r =
          gzread(gz.f, out + got, static_cast<unsigned>(std::min<std::size_t>(n - got, 1 << 30)));
      if (r <= 0) throw rrg::InputError(path + ": the archive is truncated or not a tar.gz file");
      got += static_cast<std::size_t>(r);
    }
  };
  while (true) {
    read_exact(block.data(), 512);
    if (std::all_of(block.begin(), block.end(), [](char c) { return c == 0; })) break;
    if (std::memcmp(block.data() + 257, "ustar", 5) != 0) {
      throw rrg::InputError(path +
                            ": not a tar archive (no ustar header); expected RadGraph's "
                            "model.tar.gz as distributed");
    }
    std::string name(block.data(), strnlen(block.data(), 100));
    const std::string prefix(block.data() + 345, strnlen(block.data() + 345, 155));
    if (!prefix.empty()) name = prefix + "/" + name;
    if (!long_name.empty()) {
      name = long_name;
      long_name.clear();
    }
    const std::string size_field(block.data() + 124, 12);
    const std::uint64_t size = std::strtoull(size_field.c_str(), nullptr, 8);
    const char type = block[156];
    const std::uint64_t padded = (size + 511) / 512 * 512;
    name = strip_dot_slash(name);
    const bool regular = type == '0' || type == '\0';
    const bool wanted_small =
        regular && (name == "config.json" || name.rfind("vocabulary/", 0) == 0);
    if (type == 'L' || type == 'x' || wanted_small) {
      std::string data(padded, '\0');
      read_exact(data.data(), padded);
      data.resize(size);
      if (type == 'L') {
        long_name = std::string(data.c_str());
      } else if (type == 'x') {
        // PAX records "<len> key=value\n": take path=.
        std::size_t i = 0;
        while (i < data.size()) {
          const std::size_t space = data.find(' ', i);
          if (space == std::string::npos) break;
          const std::size_t len = std::strtoull(data.c_str() + i, nullptr, 10);
          if (len == 0) break;
          const std::string record = data.substr(space + 1, i + len - space - 2);
          if (record.rfind("path=", 0) == 0) long_name = record.substr(5);
          i += len;
        }
      } else {
        small[name] = std::move(data);
      }
      continue;
    }
    if (regular && name == "weights.th" && weights.empty()) {
      found_weights = true;  // only the metadata was asked for: skipped below
    } else if (regular && name == "weights.th") {
      std::ofstream out(weights, std::ios::binary);
      if (!out) throw rrg::InputError(weights + ": cannot write the extracted weights");
      std::vector<char> buffer(1 << 20);
      std::uint64_t left = padded;
      std::uint64_t data_left = size;
      while (left > 0) {
        const std::size_t n =
            static_cast<std::size_t>(std::min<std::uint64_t>(left, buffer.size()));
        read_exact(buffer.data(), n);
        const std::size_t keep = static_cast<std::size_t>(std::min<std::uint64_t>(n, data_left));
        out.write(buffer.data(), static_cast<std::streamsize>(keep));
        data_left -= keep;
        left -= n;
      }
      if (!out) throw rrg::InputError(weights + ": writing the extracted weights failed");
      found_weights = true;
      continue;
    }
    // Skip anything else.
    if (gzseek(gz.f, static_cast<z_off_t>(padded), SEEK_CUR) < 0) {
      throw rrg::InputError(path + ": the archive is truncated");
    }
  }
  if (!found_weights) throw rrg::InputError(path + ": the archive holds no weights.th");
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw rrg::InputError(p.string() + ": cannot read");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// AllenNLP Vocabulary.set_from_file: lines split on \n (a trailing empty line dropped); index =
// line number, plus one for padded namespaces (index 0 = the padding token).
std::vector<std::string> vocabulary_lines(const std::string& text, bool padded) {
  std::vector<std::string> lines;
  if (padded) lines.emplace_back("@@PADDING@@");
  std::size_t i = 0;
  std::vector<std::string> raw;
  while (true) {
    const std::size_t j = text.find('\n', i);
    if (j == std::string::npos) {
      raw.push_back(text.substr(i));
      break;
    }
    raw.push_back(text.substr(i, j - i));
    i = j + 1;
  }
  if (!raw.empty() && raw.back().empty()) raw.pop_back();
  for (std::string& l : raw) {
    if (!l.empty() && l.back() == '\r') l.pop_back();
    lines.push_back(std::move(l));
  }
  return lines;
}

bool is_non_padded(const std::string& ns, const std::vector<std::string>& patterns) {
  for (const std::string& p : patterns) {
    if (p == ns) return true;
    if (!p.empty() && p[0] == '*' && ns.size() >= p.size() - 1 &&
        ns.compare(ns.size() - (p.size() - 1), p.size() - 1, p, 1, std::string::npos) == 0) {
      return true;
    }
  }
  return false;
}

template <typename T>
T json_at(const nlohmann::json& j, std::initializer_list<const char*> keys, T fallback) {
  const nlohmann::json* at = &j;
  for (const char* k : keys) {
    if (!at->is_object() || !at->contains(k)) return fallback;
    at = &(*at)[k];
  }
  if (at->is_null()) return fallback;
  return at->get<T>();
}

}  // namespace

CheckpointInfo read_checkpoint(const std::string& path, const std::string& scratch_dir) {
  CheckpointInfo info;
  info.source = path;
  std::map<std::string, std::string> files;  // config.json, vocabulary/<name>
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    const fs::path dir(path);
    for (const char* needed : {"config.json", "weights.th"}) {
      if (!fs::exists(dir / needed)) {
        throw rrg::InputError(path + ": not a RadGraph checkpoint folder (no " + needed +
                              "; expected config.json, weights.th and vocabulary/)");
      }
    }
    files["config.json"] = read_text(dir / "config.json");
    if (fs::is_directory(dir / "vocabulary")) {
      for (const auto& e : fs::directory_iterator(dir / "vocabulary")) {
        if (e.is_regular_file())
          files["vocabulary/" + e.path().filename().string()] = read_text(e.path());
      }
    }
    info.weights_path = (dir / "weights.th").string();
  } else if (fs::is_regular_file(path, ec)) {
    info.weights_path = scratch_dir.empty() ? "" : (fs::path(scratch_dir) / "weights.th").string();
    read_tar(path, files, info.weights_path);
    if (!files.count("config.json"))
      throw rrg::InputError(path + ": the archive holds no config.json");
  } else {
    throw rrg::InputError(path +
                          ": no such RadGraph checkpoint (give the radgraph.tar.gz archive "
                          "or its extracted folder)");
  }
  info.config_json = files["config.json"];
  nlohmann::json config;
  try {
    config = nlohmann::json::parse(info.config_json);
  } catch (const std::exception& e) {
    throw rrg::InputError(path + ": config.json is not JSON: " + e.what());
  }
  try {
    info.max_span_width =
        json_at<int>(config, {"model", "max_span_width"},
                     json_at<int>(config, {"dataset_reader", "max_span_width"}, 0));
    info.spans_per_word =
        json_at<double>(config, {"model", "modules", "relation", "spans_per_word"}, 0);
    info.max_length = json_at<int>(
        config, {"model", "embedder", "token_embedders", "bert", "max_length"},
        json_at<int>(config, {"dataset_reader", "token_indexers", "bert", "max_length"}, 0));
    info.encoder_name = json_at<std::string>(
        config, {"model", "embedder", "token_embedders", "bert", "model_name"},
        json_at<std::string>(config, {"dataset_reader", "token_indexers", "bert", "model_name"},
                             ""));
  } catch (const std::exception& e) {
    throw rrg::InputError(path + ": config.json: unexpected value type: " + e.what());
  }
  if (info.max_span_width < 1 || info.spans_per_word <= 0) {
    throw rrg::InputError(path +
                          ": config.json lacks model.max_span_width or "
                          "model.modules.relation.spans_per_word (not a DyGIE config)");
  }

  std::vector<std::string> non_padded = {"*tags", "*labels"};
  if (files.count("vocabulary/non_padded_namespaces.txt")) {
    non_padded.clear();
    for (std::string& l : vocabulary_lines(files["vocabulary/non_padded_namespaces.txt"], false)) {
      if (!l.empty()) non_padded.push_back(l);
    }
  }
  std::string ner_ns, rel_ns;
  std::string digest_input;
  for (const auto& [name, text] : files) {
    if (name.rfind("vocabulary/", 0) != 0) continue;
    digest_input += name + '\0' + text + '\0';
    const std::string base = name.substr(11);
    const auto ends = [&](const std::string& suffix) {
      return base.size() > suffix.size() &&
             base.compare(base.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    if (ends("__ner_labels.txt")) {
      if (!ner_ns.empty())
        throw rrg::InputError(path + ": vocabulary/ holds several *__ner_labels namespaces");
      ner_ns = base.substr(0, base.size() - 4);
      info.ner_labels = vocabulary_lines(text, !is_non_padded(ner_ns, non_padded));
    } else if (ends("__relation_labels.txt")) {
      if (!rel_ns.empty())
        throw rrg::InputError(path + ": vocabulary/ holds several *__relation_labels namespaces");
      rel_ns = base.substr(0, base.size() - 4);
      info.relation_labels = vocabulary_lines(text, !is_non_padded(rel_ns, non_padded));
    }
  }
  if (ner_ns.empty() || rel_ns.empty()) {
    throw rrg::InputError(path +
                          ": vocabulary/ lacks a <dataset>__ner_labels.txt or "
                          "<dataset>__relation_labels.txt file");
  }
  info.dataset = ner_ns.substr(0, ner_ns.size() - std::string("__ner_labels").size());
  if (rel_ns != info.dataset + "__relation_labels") {
    throw rrg::InputError(path + ": vocabulary/ names different datasets for NER (" + ner_ns +
                          ") and relations (" + rel_ns + ")");
  }
  if (info.ner_labels.empty() || !info.ner_labels[0].empty()) {
    throw rrg::InputError(path + ": vocabulary/" + ner_ns +
                          ".txt must start with the null label (an empty first line)");
  }
  info.vocabulary_digest = io::sha256_hex(digest_input);
  return info;
}

}  // namespace rrg::labelers::radgraph
