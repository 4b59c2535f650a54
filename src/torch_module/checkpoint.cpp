// A torch.save reader: a small pickle machine plus the zip and legacy container formats (see
// checkpoint.h). The pickle machine understands the opcodes of protocols 0-5 that torch.save
// emits and builds a plain value tree; only the few callables that matter are interpreted
// (collections.OrderedDict, torch._utils._rebuild_tensor_v2 / _rebuild_tensor /
// _rebuild_parameter), everything else becomes an opaque object that is simply never used.
// Formats: Python's Lib/pickletools.py (opcodes), torch/serialization.py (`_save`,
// `_legacy_save`, `_load`, `_legacy_load`) of PyTorch 1.13.
#include "torch_module/checkpoint.h"

#include <ATen/ops/empty.h>
#include <c10/core/Storage.h>
#include <c10/util/Exception.h>
#include <caffe2/serialize/inline_container.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <unordered_map>

#include "rrg/core/errors.h"

namespace rrg::torch_module {
namespace {

// Thrown inside the reader; read_state_dict() prefixes the path and rethrows as InputError.
struct FormatError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// ---------------------------------------------------------------------------------------------
// Byte sources

class Source {
 public:
  virtual ~Source() = default;
  virtual void read(void* dst, std::size_t n) = 0;
  virtual std::uint64_t offset() const = 0;
  virtual std::uint64_t remaining() const = 0;
};

class MemorySource final : public Source {
 public:
  MemorySource(const void* data, std::size_t size)
      : data_(static_cast<const std::uint8_t*>(data)), size_(size) {}
  void read(void* dst, std::size_t n) override {
    if (n > size_ - pos_) throw FormatError("the pickle ends unexpectedly (truncated file?)");
    std::memcpy(dst, data_ + pos_, n);
    pos_ += n;
  }
  std::uint64_t offset() const override { return pos_; }
  std::uint64_t remaining() const override { return size_ - pos_; }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

class FileSource final : public Source {
 public:
  explicit FileSource(const std::string& path) : file_(std::fopen(path.c_str(), "rb")) {
    if (file_ == nullptr) throw FormatError("cannot open the file");
    std::fseek(file_, 0, SEEK_END);
    size_ = static_cast<std::uint64_t>(std::ftell(file_));
    std::fseek(file_, 0, SEEK_SET);
  }
  ~FileSource() override { std::fclose(file_); }
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;

  void read(void* dst, std::size_t n) override {
    if (n > remaining() || std::fread(dst, 1, n, file_) != n) {
      throw FormatError("the file ends unexpectedly (truncated download?)");
    }
    pos_ += n;
  }
  std::uint64_t offset() const override { return pos_; }
  std::uint64_t remaining() const override { return size_ - pos_; }
  void seek(std::uint64_t pos) {
    if (pos > size_ || std::fseek(file_, static_cast<long>(pos), SEEK_SET) != 0) {
      throw FormatError("the file ends unexpectedly (truncated download?)");
    }
    pos_ = pos;
  }

 private:
  std::FILE* file_;
  std::uint64_t size_ = 0;
  std::uint64_t pos_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Values

struct StorageRef {
  std::string key;       // record name (zip) or storage key (legacy)
  at::ScalarType dtype;  // element type
  std::int64_t numel;    // elements in the whole storage
};

struct Value;
using ValuePtr = std::shared_ptr<Value>;

struct Value {
  enum class Kind {
    kNone,
    kBool,
    kInt,
    kBigInt,
    kFloat,
    kString,
    kBytes,
    kTuple,
    kList,
    kDict,
    kGlobal,
    kObject,
    kStorage,
    kTensor
  };
  explicit Value(Kind k) : kind(k) {}
  Kind kind;
  std::int64_t int_value = 0;  // bool, int
  double float_value = 0;
  std::string text;                     // string, bytes, big int (raw bytes), global "module.name"
  std::vector<ValuePtr> items;          // tuple, list; dict: key, value, key, value, ...
  std::shared_ptr<StorageRef> storage;  // storage, tensor
  std::int64_t offset = 0;              // storage: view offset (legacy); tensor: storage offset
  std::vector<std::int64_t> sizes, strides;  // tensor
};

ValuePtr make(Value::Kind kind) {
  return std::make_shared<Value>(kind);
}

ValuePtr make_int(std::int64_t v) {
  auto out = make(Value::Kind::kInt);
  out->int_value = v;
  return out;
}

ValuePtr make_text(Value::Kind kind, std::string text) {
  auto out = make(kind);
  out->text = std::move(text);
  return out;
}

// The dict value stored under string key `key`, or nullptr.
ValuePtr dict_get(const Value& dict, const std::string& key) {
  for (std::size_t i = 0; i + 1 < dict.items.size(); i += 2) {
    const Value& k = *dict.items[i];
    if (k.kind == Value::Kind::kString && k.text == key) return dict.items[i + 1];
  }
  return nullptr;
}

std::vector<std::int64_t> int_tuple(const Value& v, const char* what) {
  if (v.kind != Value::Kind::kTuple && v.kind != Value::Kind::kList) {
    throw FormatError(std::string("a tensor's ") + what + " is not a tuple");
  }
  std::vector<std::int64_t> out;
  for (const auto& item : v.items) {
    if (item->kind != Value::Kind::kInt) {
      throw FormatError(std::string("a tensor's ") + what + " holds a non-integer");
    }
    out.push_back(item->int_value);
  }
  return out;
}

// torch.<Name>Storage -> element type (torch/storage.py, _dtype_to_storage_type_map).
at::ScalarType storage_dtype(const std::string& global) {
  static const std::map<std::string, at::ScalarType> kTypes = {
      {"torch.FloatStorage", at::kFloat}, {"torch.DoubleStorage", at::kDouble},
      {"torch.HalfStorage", at::kHalf},   {"torch.BFloat16Storage", at::kBFloat16},
      {"torch.LongStorage", at::kLong},   {"torch.IntStorage", at::kInt},
      {"torch.ShortStorage", at::kShort}, {"torch.CharStorage", at::kChar},
      {"torch.ByteStorage", at::kByte},   {"torch.BoolStorage", at::kBool},
  };
  auto it = kTypes.find(global);
  if (it == kTypes.end()) throw FormatError("unsupported storage type " + global);
  return it->second;
}

// ---------------------------------------------------------------------------------------------
// The pickle machine

class Unpickler {
 public:
  using PersistentLoad = std::function<ValuePtr(const ValuePtr& pid)>;

  Unpickler(Source& source, PersistentLoad persistent_load)
      : in_(source), persistent_load_(std::move(persistent_load)) {}

  ValuePtr load();

 private:
  std::uint8_t u8() {
    std::uint8_t b;
    in_.read(&b, 1);
    return b;
  }
  std::uint64_t little(std::size_t n) {
    std::uint8_t b[8];
    in_.read(b, n);
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) v |= static_cast<std::uint64_t>(b[i]) << (8 * i);
    return v;
  }
  std::string bytes(std::uint64_t n) {
    if (n > in_.remaining()) throw FormatError("a pickle string runs past the end of the data");
    std::string s(static_cast<std::size_t>(n), '\0');
    in_.read(s.data(), s.size());
    return s;
  }
  std::string line() {
    std::string s;
    for (char c; (c = static_cast<char>(u8())) != '\n';) s += c;
    return s;
  }
  ValuePtr pop() {
    if (stack_.empty() || (!marks_.empty() && stack_.size() <= marks_.back())) {
      throw FormatError("corrupt pickle (stack underflow)");
    }
    ValuePtr v = std::move(stack_.back());
    stack_.pop_back();
    return v;
  }
  ValuePtr& top() {
    if (stack_.empty()) throw FormatError("corrupt pickle (stack underflow)");
    return stack_.back();
  }
  std::vector<ValuePtr> pop_mark() {
    if (marks_.empty()) throw FormatError("corrupt pickle (missing MARK)");
    const std::size_t mark = marks_.back();
    marks_.pop_back();
    std::vector<ValuePtr> items(stack_.begin() + static_cast<std::ptrdiff_t>(mark), stack_.end());
    stack_.resize(mark);
    return items;
  }
  void memo_put(std::uint64_t index) { memo_[index] = top(); }
  ValuePtr memo_get(std::uint64_t index) {
    auto it = memo_.find(index);
    if (it == memo_.end()) throw FormatError("corrupt pickle (unknown memo entry)");
    return it->second;
  }
  static void append(Value& target, std::vector<ValuePtr> items) {
    if (target.kind != Value::Kind::kList && target.kind != Value::Kind::kObject) {
      throw FormatError("corrupt pickle (APPEND to a non-list)");
    }
    for (auto& item : items) target.items.push_back(std::move(item));
  }
  static void set_items(Value& target, std::vector<ValuePtr> items) {
    if (target.kind != Value::Kind::kDict && target.kind != Value::Kind::kObject) {
      throw FormatError("corrupt pickle (SETITEM on a non-dict)");
    }
    if (items.size() % 2 != 0) throw FormatError("corrupt pickle (odd SETITEMS)");
    for (auto& item : items) target.items.push_back(std::move(item));
  }
  ValuePtr tuple(std::vector<ValuePtr> items) {
    auto t = make(Value::Kind::kTuple);
    t->items = std::move(items);
    return t;
  }
  static ValuePtr reduce(const ValuePtr& callable, const ValuePtr& args);

  Source& in_;
  PersistentLoad persistent_load_;
  std::vector<ValuePtr> stack_;
  std::vector<std::size_t> marks_;
  std::unordered_map<std::uint64_t, ValuePtr> memo_;
};

// Applies the few callables torch.save relies on; anything else stays an opaque object.
ValuePtr Unpickler::reduce(const ValuePtr& callable, const ValuePtr& args) {
  const std::string name = callable->kind == Value::Kind::kGlobal ? callable->text : "";
  const auto& a = args->items;
  if (name == "collections.OrderedDict") {
    auto dict = make(Value::Kind::kDict);
    if (!a.empty() && a[0]->kind == Value::Kind::kList) {
      for (const auto& pair : a[0]->items) {
        if (pair->items.size() == 2) {
          dict->items.push_back(pair->items[0]);
          dict->items.push_back(pair->items[1]);
        }
      }
    }
    return dict;
  }
  if (name == "torch._utils._rebuild_tensor_v2" || name == "torch._utils._rebuild_tensor") {
    if (a.size() < 4 || a[0]->kind != Value::Kind::kStorage || a[1]->kind != Value::Kind::kInt) {
      throw FormatError("corrupt tensor record (" + name + " with unexpected arguments)");
    }
    auto t = make(Value::Kind::kTensor);
    t->storage = a[0]->storage;
    t->offset = a[0]->offset + a[1]->int_value;
    t->sizes = int_tuple(*a[2], "size");
    t->strides = int_tuple(*a[3], "stride");
    if (t->sizes.size() != t->strides.size())
      throw FormatError("a tensor's size and stride differ");
    return t;
  }
  if (name == "torch._utils._rebuild_parameter" ||
      name == "torch._utils._rebuild_parameter_with_state") {
    if (a.empty()) throw FormatError("corrupt parameter record");
    return a[0];
  }
  auto object = make(Value::Kind::kObject);
  object->text = name;
  object->items = a;
  return object;
}

ValuePtr Unpickler::load() {
  for (;;) {
    const std::uint8_t op = u8();
    switch (op) {
      case 0x80:
        u8();
        break;  // PROTO
      case 0x95:
        little(8);
        break;  // FRAME
      case '.':
        return pop();  // STOP
      case '(':
        marks_.push_back(stack_.size());
        break;  // MARK
      case '0':
        pop();
        break;  // POP
      case '1':
        pop_mark();
        break;  // POP_MARK
      case '2':
        stack_.push_back(top());
        break;  // DUP
      case 'N':
        stack_.push_back(make(Value::Kind::kNone));
        break;
      case 0x88:    // NEWTRUE
      case 0x89: {  // NEWFALSE
        auto b = make(Value::Kind::kBool);
        b->int_value = op == 0x88;
        stack_.push_back(b);
        break;
      }
      case 'J':
        stack_.push_back(make_int(static_cast<std::int32_t>(little(4))));
        break;
      case 'K':
        stack_.push_back(make_int(u8()));
        break;
      case 'M':
        stack_.push_back(make_int(static_cast<std::int64_t>(little(2))));
        break;
      case 0x8a:    // LONG1
      case 0x8b: {  // LONG4
        const std::uint64_t n = op == 0x8a ? u8() : little(4);
        std::string raw = bytes(n);
        if (n <= 8) {
          std::uint64_t v = 0;
          for (std::size_t i = 0; i < n; ++i) {
            v |= static_cast<std::uint64_t>(static_cast<std::uint8_t>(raw[i])) << (8 * i);
          }
          if (n > 0 && n < 8 && (static_cast<std::uint8_t>(raw[n - 1]) & 0x80)) {
            v |= ~std::uint64_t{0} << (8 * n);  // sign-extend
          }
          stack_.push_back(make_int(static_cast<std::int64_t>(v)));
        } else {
          stack_.push_back(make_text(Value::Kind::kBigInt, std::move(raw)));
        }
        break;
      }
      case 'I': {  // INT (text); "00"/"01" are False/True
        const std::string s = line();
        if (s == "00" || s == "01") {
          auto b = make(Value::Kind::kBool);
          b->int_value = s == "01";
          stack_.push_back(b);
        } else {
          stack_.push_back(make_int(std::stoll(s)));
        }
        break;
      }
      case 'L':
        stack_.push_back(make_int(std::stoll(line())));
        break;     // LONG (text)
      case 'G': {  // BINFLOAT, big-endian
        std::uint8_t b[8];
        in_.read(b, 8);
        std::uint64_t bits = 0;
        for (int i = 0; i < 8; ++i) bits = (bits << 8) | b[i];
        auto f = make(Value::Kind::kFloat);
        std::memcpy(&f->float_value, &bits, 8);
        stack_.push_back(f);
        break;
      }
      case 'F': {  // FLOAT (text)
        auto f = make(Value::Kind::kFloat);
        f->float_value = std::stod(line());
        stack_.push_back(f);
        break;
      }
      case 'X':
        stack_.push_back(make_text(Value::Kind::kString, bytes(little(4))));
        break;
      case 0x8c:
        stack_.push_back(make_text(Value::Kind::kString, bytes(u8())));
        break;
      case 0x8d:
        stack_.push_back(make_text(Value::Kind::kString, bytes(little(8))));
        break;
      case 'V':
        stack_.push_back(make_text(Value::Kind::kString, line()));
        break;
      case 'T':
        stack_.push_back(make_text(Value::Kind::kString, bytes(little(4))));
        break;
      case 'U':
        stack_.push_back(make_text(Value::Kind::kString, bytes(u8())));
        break;
      case 'S': {  // STRING: a quoted repr
        std::string s = line();
        if (s.size() >= 2) s = s.substr(1, s.size() - 2);
        stack_.push_back(make_text(Value::Kind::kString, s));
        break;
      }
      case 'B':
        stack_.push_back(make_text(Value::Kind::kBytes, bytes(little(4))));
        break;
      case 'C':
        stack_.push_back(make_text(Value::Kind::kBytes, bytes(u8())));
        break;
      case 0x8e:  // BINBYTES8
      case 0x96:  // BYTEARRAY8
        stack_.push_back(make_text(Value::Kind::kBytes, bytes(little(8))));
        break;
      case ')':
        stack_.push_back(make(Value::Kind::kTuple));
        break;
      case 't':
        stack_.push_back(tuple(pop_mark()));
        break;
      case 0x85: {
        auto a = pop();
        stack_.push_back(tuple({a}));
        break;
      }
      case 0x86: {
        auto b = pop(), a = pop();
        stack_.push_back(tuple({a, b}));
        break;
      }
      case 0x87: {
        auto c = pop(), b = pop(), a = pop();
        stack_.push_back(tuple({a, b, c}));
        break;
      }
      case ']':
        stack_.push_back(make(Value::Kind::kList));
        break;
      case 'l': {
        auto list = make(Value::Kind::kList);
        list->items = pop_mark();
        stack_.push_back(list);
        break;
      }
      case 'a': {
        auto item = pop();
        append(*top(), {item});
        break;
      }
      case 'e': {
        auto items = pop_mark();
        append(*top(), std::move(items));
        break;
      }
      case 0x8f:
        stack_.push_back(make(Value::Kind::kList));
        break;      // EMPTY_SET
      case 0x90: {  // ADDITEMS
        auto items = pop_mark();
        append(*top(), std::move(items));
        break;
      }
      case 0x91: {  // FROZENSET
        auto set = make(Value::Kind::kList);
        set->items = pop_mark();
        stack_.push_back(set);
        break;
      }
      case '}':
        stack_.push_back(make(Value::Kind::kDict));
        break;
      case 'd': {
        auto dict = make(Value::Kind::kDict);
        set_items(*dict, pop_mark());
        stack_.push_back(dict);
        break;
      }
      case 's': {
        auto value = pop(), key = pop();
        set_items(*top(), {key, value});
        break;
      }
      case 'u': {
        auto items = pop_mark();
        set_items(*top(), std::move(items));
        break;
      }
      case 'c': {  // GLOBAL module\nname\n
        std::string module = line();
        std::string name = line();
        stack_.push_back(make_text(Value::Kind::kGlobal, module + "." + name));
        break;
      }
      case 0x93: {  // STACK_GLOBAL
        auto name = pop(), module = pop();
        stack_.push_back(make_text(Value::Kind::kGlobal, module->text + "." + name->text));
        break;
      }
      case 'R': {  // REDUCE
        auto args = pop(), callable = pop();
        stack_.push_back(reduce(callable, args));
        break;
      }
      case 0x81: {  // NEWOBJ cls args
        auto args = pop(), cls = pop();
        stack_.push_back(reduce(cls, args));
        break;
      }
      case 0x92: {  // NEWOBJ_EX cls args kwargs
        pop();
        auto args = pop(), cls = pop();
        stack_.push_back(reduce(cls, args));
        break;
      }
      case 'b':
        pop();
        break;  // BUILD: object state is never needed
      case 'p':
        memo_put(std::stoull(line()));
        break;
      case 'q':
        memo_put(u8());
        break;
      case 'r':
        memo_put(little(4));
        break;
      case 0x94:
        memo_put(memo_.size());
        break;  // MEMOIZE
      case 'g':
        stack_.push_back(memo_get(std::stoull(line())));
        break;
      case 'h':
        stack_.push_back(memo_get(u8()));
        break;
      case 'j':
        stack_.push_back(memo_get(little(4)));
        break;
      case 'P':
        stack_.push_back(persistent_load_(make_text(Value::Kind::kString, line())));
        break;
      case 'Q': {
        auto pid = pop();
        stack_.push_back(persistent_load_(pid));
        break;
      }
      default: {
        char message[96];
        std::snprintf(message, sizeof message,
                      "corrupt or unsupported pickle (opcode 0x%02x at byte %llu)", op,
                      static_cast<unsigned long long>(in_.offset() - 1));
        throw FormatError(message);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Container formats

// Persistent ids of both formats: ('storage', torch.<T>Storage, key, location, numel[, view]).
// Storages with the same key are shared; a legacy view (view_key, offset, size) refers into its
// root storage at an element offset.
class StorageTable {
 public:
  ValuePtr load(const ValuePtr& pid) {
    const auto& p = pid->items;
    if (pid->kind != Value::Kind::kTuple || p.size() < 5 || p[0]->text != "storage" ||
        p[1]->kind != Value::Kind::kGlobal || p[2]->kind != Value::Kind::kString ||
        p[4]->kind != Value::Kind::kInt) {
      throw FormatError("unexpected persistent id (not a torch storage reference)");
    }
    auto& ref = storages_[p[2]->text];
    if (!ref) {
      ref = std::make_shared<StorageRef>(
          StorageRef{p[2]->text, storage_dtype(p[1]->text), p[4]->int_value});
    }
    auto value = make(Value::Kind::kStorage);
    value->storage = ref;
    if (p.size() >= 6 && p[5]->kind == Value::Kind::kTuple && p[5]->items.size() == 3 &&
        p[5]->items[1]->kind == Value::Kind::kInt) {
      value->offset = p[5]->items[1]->int_value;
    }
    return value;
  }
  const std::shared_ptr<StorageRef>* find(const std::string& key) const {
    auto it = storages_.find(key);
    return it == storages_.end() ? nullptr : &it->second;
  }

 private:
  std::map<std::string, std::shared_ptr<StorageRef>> storages_;
};

// The tensors of the state dict inside `root` (see read_state_dict in checkpoint.h).
std::vector<std::pair<std::string, ValuePtr>> find_state_dict(const ValuePtr& root,
                                                              std::string& source) {
  if (root->kind != Value::Kind::kDict) {
    throw FormatError(
        "the file holds no dict (expected CheXbert's {\"model_state_dict\": ...} "
        "or a state dict of tensors)");
  }
  ValuePtr dict = root;
  source = "top";
  for (const char* key : {"model_state_dict", "state_dict"}) {
    if (ValuePtr inner = dict_get(*root, key); inner && inner->kind == Value::Kind::kDict) {
      dict = inner;
      source = key;
      break;
    }
  }
  std::vector<std::pair<std::string, ValuePtr>> tensors;
  std::string keys;
  for (std::size_t i = 0; i + 1 < dict->items.size(); i += 2) {
    const Value& key = *dict->items[i];
    if (keys.size() < 200) keys += (keys.empty() ? "" : ", ") + key.text;
    if (key.kind == Value::Kind::kString && dict->items[i + 1]->kind == Value::Kind::kTensor) {
      tensors.emplace_back(key.text, dict->items[i + 1]);
    }
  }
  if (tensors.empty()) {
    throw FormatError(
        "no tensors found (expected CheXbert's {\"model_state_dict\": ...} or a "
        "state dict); keys: " +
        (keys.empty() ? "(none)" : keys));
  }
  return tensors;
}

std::int64_t element_size(at::ScalarType dtype) {
  return static_cast<std::int64_t>(c10::elementSize(dtype));
}

// A tensor viewing `storage` (holding `numel` elements) as described by `t`.
at::Tensor view_storage(const std::string& name, const Value& t, const c10::Storage& storage,
                        std::int64_t numel) {
  std::int64_t last = t.offset;
  bool empty = false;
  for (std::size_t d = 0; d < t.sizes.size(); ++d) {
    if (t.sizes[d] < 0 || t.strides[d] < 0) throw FormatError(name + " has a negative size");
    if (t.sizes[d] == 0) empty = true;
    last += (t.sizes[d] - 1) * t.strides[d];
  }
  if (!empty && (t.offset < 0 || last >= numel)) {
    throw FormatError(name + " lies outside its storage (corrupt file)");
  }
  at::Tensor out = at::empty({0}, at::TensorOptions().dtype(t.storage->dtype));
  out.set_(storage, t.offset, t.sizes, t.strides);
  return out;
}

StateDict read_zip(const std::string& path) {
  caffe2::serialize::PyTorchStreamReader reader(path);
  auto [pickle_data, pickle_size] = reader.getRecord("data.pkl");
  MemorySource source(pickle_data.get(), pickle_size);
  StorageTable table;
  Unpickler unpickler(source, [&](const ValuePtr& pid) { return table.load(pid); });
  ValuePtr root = unpickler.load();

  StateDict out;
  out.format = "zip";
  std::map<std::string, c10::Storage> loaded;
  for (const auto& [name, t] : find_state_dict(root, out.source)) {
    const StorageRef& ref = *t->storage;
    auto it = loaded.find(ref.key);
    if (it == loaded.end()) {
      const std::string record = "data/" + ref.key;
      if (!reader.hasRecord(record)) throw FormatError("the storage of " + name + " is missing");
      auto [data, nbytes] = reader.getRecord(record);
      if (static_cast<std::int64_t>(nbytes) < ref.numel * element_size(ref.dtype)) {
        throw FormatError("the storage of " + name + " is shorter than declared (corrupt file)");
      }
      it = loaded
               .emplace(ref.key, c10::Storage(c10::Storage::use_byte_size_t(), nbytes,
                                              std::move(data), nullptr, false))
               .first;
    }
    out.tensors.emplace_back(name, view_storage(name, *t, it->second, ref.numel));
  }
  return out;
}

// The magic number opening a legacy file (torch/serialization.py MAGIC_NUMBER), as the raw
// little-endian bytes of its LONG1 encoding.
std::string legacy_magic() {
  std::string raw;
  for (unsigned char b : {0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19}) {
    raw += static_cast<char>(b);
  }
  return raw;
}

StateDict read_legacy(const std::string& path) {
  FileSource file(path);
  const auto no_storage = [](const ValuePtr&) -> ValuePtr {
    throw FormatError("unexpected storage reference in a header pickle");
  };
  ValuePtr magic = Unpickler(file, no_storage).load();
  if (magic->kind != Value::Kind::kBigInt || magic->text != legacy_magic()) {
    throw FormatError("not a torch.save file (bad magic number)");
  }
  ValuePtr protocol = Unpickler(file, no_storage).load();
  if (protocol->kind != Value::Kind::kInt || protocol->int_value != 1001) {
    throw FormatError("unsupported legacy protocol version");
  }
  ValuePtr sys_info = Unpickler(file, no_storage).load();
  if (ValuePtr little = dict_get(*sys_info, "little_endian");
      little && little->kind == Value::Kind::kBool && little->int_value == 0) {
    throw FormatError("the file was written on a big-endian machine (unsupported)");
  }
  StorageTable table;
  ValuePtr root = Unpickler(file, [&](const ValuePtr& pid) { return table.load(pid); }).load();
  ValuePtr keys = Unpickler(file, no_storage).load();
  if (keys->kind != Value::Kind::kList) throw FormatError("the storage key list is missing");

  // Storages follow in key order, each as an int64 element count and its bytes: note where
  // each starts, skipping the ones never referenced (e.g. the optimizer's).
  std::map<std::string, std::uint64_t> data_offset;
  for (const auto& key : keys->items) {
    const auto* ref = table.find(key->text);
    if (ref == nullptr) throw FormatError("storage " + key->text + " is never referenced");
    const std::int64_t numel = static_cast<std::int64_t>([&] {
      std::uint8_t b[8];
      file.read(b, 8);
      std::uint64_t v = 0;
      for (int i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(b[i]) << (8 * i);
      return v;
    }());
    if (numel != (*ref)->numel) throw FormatError("storage " + key->text + " has the wrong size");
    data_offset[key->text] = file.offset();
    file.seek(file.offset() + static_cast<std::uint64_t>(numel * element_size((*ref)->dtype)));
  }

  StateDict out;
  out.format = "legacy";
  std::map<std::string, c10::Storage> loaded;
  for (const auto& [name, t] : find_state_dict(root, out.source)) {
    const StorageRef& ref = *t->storage;
    auto it = loaded.find(ref.key);
    if (it == loaded.end()) {
      auto where = data_offset.find(ref.key);
      if (where == data_offset.end()) throw FormatError("the storage of " + name + " is missing");
      at::Tensor buffer = at::empty({ref.numel}, at::TensorOptions().dtype(ref.dtype));
      file.seek(where->second);
      file.read(buffer.data_ptr(), static_cast<std::size_t>(ref.numel * element_size(ref.dtype)));
      it = loaded.emplace(ref.key, buffer.storage()).first;
    }
    out.tensors.emplace_back(name, view_storage(name, *t, it->second, ref.numel));
  }
  return out;
}

}  // namespace

StateDict read_state_dict(const std::string& path) {
  std::FILE* probe = std::fopen(path.c_str(), "rb");
  if (probe == nullptr) {
    throw rrg::InputError(path + ": cannot open the checkpoint (" + std::strerror(errno) + ")");
  }
  unsigned char head[512] = {};
  const std::size_t got = std::fread(head, 1, sizeof head, probe);
  std::fclose(probe);
  const bool zip = got >= 4 && std::memcmp(head, "PK\x03\x04", 4) == 0;
  const bool tar = got >= 262 && std::memcmp(head + 257, "ustar", 5) == 0;
  try {
    if (zip) return read_zip(path);
    if (tar) {
      throw FormatError(
          "this is the tar format of PyTorch < 0.4, which rrg does not read; "
          "re-save it with torch.save from a newer PyTorch");
    }
    if (got < 2 || head[0] != 0x80) {
      throw FormatError("not a torch.save file (neither a zip archive nor a pickle)");
    }
    return read_legacy(path);
  } catch (const FormatError& e) {
    throw rrg::InputError(path + ": " + e.what());
  } catch (const c10::Error& e) {
    throw rrg::InputError(path + ": not a readable torch.save zip archive (" +
                          e.what_without_backtrace() + ")");
  } catch (const std::logic_error&) {  // std::stoll & co. on a corrupt text opcode
    throw rrg::InputError(path + ": corrupt pickle (malformed number)");
  }
}

}  // namespace rrg::torch_module
