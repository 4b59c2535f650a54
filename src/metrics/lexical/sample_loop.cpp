// The lexical sample loop (see sample_loop.h).
#include "rrg/metrics/lexical/sample_loop.h"

#include <algorithm>
#include <chrono>

#include "rrg/core/parallel.h"

namespace rrg::metrics {
namespace {

// Chunks per lane to aim for: enough that a lane slowed down by another process does not keep
// the others waiting at the end, few enough that a chunk still amortises its bookkeeping.
constexpr std::size_t kChunksPerLane = 8;
constexpr std::size_t kMinChunkSamples = 64;

double seconds_between(std::chrono::steady_clock::time_point a,
                       std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

class RowConsumer final : public LoopConsumer {
 public:
  RowConsumer(std::size_t n_samples, std::size_t width, std::size_t lanes,
              const std::function<std::unique_ptr<SampleWorker>()>& make_worker)
      : stats_(n_samples, width) {
    for (std::size_t lane = 0; lane < lanes; ++lane) workers_.push_back(make_worker());
  }

  void consume(const LoopChunk& chunk) override {
    SampleWorker& worker = *workers_[chunk.lane];
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      worker.compute(chunk.sample(i), stats_.row(chunk.first + i));
    }
  }

  SampleStatistics finish(SampleLoop&) override { return std::move(stats_); }

 private:
  SampleStatistics stats_;
  std::vector<std::unique_ptr<SampleWorker>> workers_;
};

}  // namespace

SampleView LoopChunk::sample(std::size_t i) const {
  SampleView view;
  view.chunk = tokens;
  view.chunk_index = i;
  view.vocabulary = vocabulary;
  view.hypothesis_text = corpus->hypotheses[first + i];
  view.reference_texts = &corpus->references[first + i];
  return view;
}

struct SampleLoop::Lane {
  explicit Lane(Tokenizer tokenizer) : tokenizer(tokenizer) {}
  CorpusTokenizer tokenizer;
  TokenChunk chunk;
};

SampleLoop::SampleLoop(const TextCorpus& corpus, Tokenizer tokenizer, std::size_t threads)
    : corpus_(corpus), chunk_samples_(kChunkSamples) {
  const std::size_t n = corpus.size();
  threads = std::max<std::size_t>(threads, 1);
  if (threads > 1) {
    const std::size_t target = (n + threads * kChunksPerLane - 1) / (threads * kChunksPerLane);
    chunk_samples_ = std::clamp(target, kMinChunkSamples, kChunkSamples);
  }
  owners_.assign((n + chunk_samples_ - 1) / chunk_samples_, 0);
  const std::size_t lanes = std::max<std::size_t>(1, std::min(threads, owners_.size()));
  for (std::size_t lane = 0; lane < lanes; ++lane) {
    lanes_.push_back(std::make_unique<Lane>(tokenizer));
  }
}

SampleLoop::~SampleLoop() = default;

std::size_t SampleLoop::chunk_size(std::size_t chunk) const {
  return std::min(corpus_.size(), chunk_first(chunk) + chunk_samples_) - chunk_first(chunk);
}

void SampleLoop::tokenize(std::size_t lane, std::size_t chunk, TokenChunk& out) {
  lanes_[lane]->tokenizer.tokenize(corpus_, chunk_first(chunk),
                                   chunk_first(chunk) + chunk_size(chunk), out);
}

const TokenVocabulary& SampleLoop::vocabulary(std::size_t lane) const {
  return lanes_[lane]->tokenizer.vocabulary();
}

std::vector<SampleStatistics> SampleLoop::run(const std::vector<LoopConsumer*>& consumers,
                                              std::vector<double>* seconds) {
  const std::size_t n_consumers = consumers.size();
  // Seconds per lane: [0] tokenizing, [1 + k] consumer k.
  std::vector<std::vector<double>> lane_seconds(lanes(), std::vector<double>(1 + n_consumers));
  const auto loop_start = std::chrono::steady_clock::now();
  parallel_for(chunks(), lanes(), [&](std::size_t c, std::size_t lane) {
    Lane& state = *lanes_[lane];
    owners_[c] = lane;
    auto start = std::chrono::steady_clock::now();
    tokenize(lane, c, state.chunk);
    LoopChunk chunk;
    chunk.index = c;
    chunk.first = chunk_first(c);
    chunk.lane = lane;
    chunk.tokens = &state.chunk;
    chunk.vocabulary = &state.tokenizer.vocabulary();
    chunk.corpus = &corpus_;
    // The interval before consumer k belongs to slot k: the tokenizer (k = 0) or consumer k - 1.
    std::vector<double>& own = lane_seconds[lane];
    for (std::size_t k = 0; k < n_consumers; ++k) {
      const auto now = std::chrono::steady_clock::now();
      own[k] += seconds_between(start, now);
      start = now;
      consumers[k]->consume(chunk);
    }
    own[n_consumers] += seconds_between(start, std::chrono::steady_clock::now());
  });
  const double loop_seconds = seconds_between(loop_start, std::chrono::steady_clock::now());

  std::vector<double> wall(n_consumers, 0.0);
  if (n_consumers > 0) {
    // The loop's wall time, divided in proportion to each consumer's work (tokenizing is shared
    // in the same proportion).
    std::vector<double> work(n_consumers, 0.0);
    double total = 0.0;
    for (const auto& own : lane_seconds) {
      for (std::size_t k = 0; k < n_consumers; ++k) work[k] += own[1 + k];
    }
    for (double w : work) total += w;
    for (std::size_t k = 0; k < n_consumers; ++k) {
      const double share = total > 0.0 ? work[k] / total : 1.0 / static_cast<double>(n_consumers);
      wall[k] = loop_seconds * share;
    }
  }
  std::vector<SampleStatistics> out;
  out.reserve(n_consumers);
  for (std::size_t k = 0; k < n_consumers; ++k) {
    const auto start = std::chrono::steady_clock::now();
    out.push_back(consumers[k]->finish(*this));
    wall[k] += seconds_between(start, std::chrono::steady_clock::now());
  }
  if (seconds != nullptr) *seconds = std::move(wall);
  return out;
}

std::unique_ptr<LoopConsumer> row_consumer(
    std::size_t n_samples, std::size_t width, std::size_t lanes,
    const std::function<std::unique_ptr<SampleWorker>()>& make_worker) {
  return std::make_unique<RowConsumer>(n_samples, width, lanes, make_worker);
}

std::unique_ptr<LoopConsumer> RowLoopScorer::make_consumer(const TextCorpus& corpus,
                                                           std::size_t lanes) const {
  return row_consumer(corpus.size(), width_, lanes, [this] { return make_worker(); });
}

SampleStatistics loop_statistics(const LoopScorer& scorer, ScoringInputs& inputs) {
  const TextCorpus& corpus = inputs.texts(scorer.loop_convention());
  SampleLoop loop(corpus, scorer.loop_tokenizer(), inputs.threads());
  const std::unique_ptr<LoopConsumer> consumer = scorer.make_consumer(corpus, loop.lanes());
  return std::move(loop.run({consumer.get()}).front());
}

SampleStatistics sample_statistics(
    const TextCorpus& corpus, Tokenizer tokenizer, std::size_t width,
    const std::function<std::unique_ptr<SampleWorker>()>& make_worker, std::size_t threads) {
  SampleLoop loop(corpus, tokenizer, threads);
  const std::unique_ptr<LoopConsumer> consumer =
      row_consumer(corpus.size(), width, loop.lanes(), make_worker);
  return std::move(loop.run({consumer.get()}).front());
}

void sign_text_inputs(ScoringInputs& inputs, TextConvention convention, bool first_reference_only,
                      Signature& signature) {
  signature.set("clean", inputs.cleaner(convention));
  signature.set("nrefs",
                first_reference_only ? "1" : reference_count_label(inputs.texts(convention)));
}

}  // namespace rrg::metrics
