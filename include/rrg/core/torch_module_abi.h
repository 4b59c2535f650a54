/* The binary contract between rrg and its libtorch module (librrg_torch.so).
 *
 * rrg never links libtorch: every model that needs it (the CheXbert labeler, image encoders,
 * BERTScore's encoders) lives in one separately built shared module that rrg dlopen()s the first
 * time such a model is used (rrg/core/torch_module.h), so `rrg --help` and lexical or rule-based
 * evaluation never pay libtorch's start-up (~0.5 s) or its memory. The module exports exactly one C
 * function, RRG_TORCH_MODULE_INIT_SYMBOL, which returns a table of plain C function pointers; rrg
 * refuses a table whose abi_version differs from its own ("incompatible module version (module: %d,
 * rrg: %d)"), the pattern of whisper.cpp's ggml-backend-reg.cpp `load_backend`.
 *
 * Everything crossing the boundary is C: opaque model handles, flat tensors, and a status struct
 * carrying the error message, so no C++ exception or standard-library object ever crosses it.
 *
 * Model kinds are named strings resolved inside the module ("chexbert", ...); adding a kind adds
 * no ABI. A kind documents its load options, inputs and outputs here:
 *
 *   "chexbert" (src/labelers/chexbert/chexbert_torch.cpp)
 *     options:  checkpoint = path of a torch.save file (CheXbert's chexbert.pth layout)
 *               threads    = intra-op threads (libtorch and OpenBLAS); "0" = keep the default
 *               heads      = attention heads; "0" = hidden size / 64 (every BERT release)
 *               int8       = "1" to quantise the encoder's linear layers to int8 (dynamic)
 *     inputs:   [0] int64 [B, L] token ids, padded with 0 ([PAD])
 *               [1] int64 [B]    real length of each row (attention covers only these)
 *     outputs:  [0] float32 [B, 54] logits of the 14 heads concatenated: 13 x 4 classes
 *                               (blank, positive, negative, uncertain), then No Finding's 2
 *               [1] float32 [B, H] final-layer hidden state of [CLS] (CheXbert embedding)
 *
 *   "hf_encoder" (src/torch_module/encoders/hf_encoder.cpp)
 *     A BERT, DistilBERT or RoBERTa encoder from a Hugging Face model folder (config.json with
 *     model_type bert / cxr-bert / distilbert / roberta; model.safetensors (F32, F16 or BF16) or
 *     pytorch_model.bin; state-dict names bare or under bert. / roberta. / distilbert.).
 *     options:  model_dir = the folder
 *               layer     = L: return hidden_states[L] (0 = embeddings output, N = last layer;
 *                           bert_score's num_layers); "-1" or absent = the last layer. Layers
 *                           after L are neither loaded nor run
 *               threads   = intra-op threads; "0" = keep the default
 *               int8      = "1" to run the layers' linear layers in int8 (as "chexbert")
 *     inputs:   [0] int64 [B, L] token ids, padded (with the tokenizer's pad id: RoBERTa's
 *                               position ids count the non-pad tokens, as HF does)
 *               [1] int64 [B]    real length of each row (attention covers only these)
 *               [2] int64 [B, L] token type ids (optional; default all 0)
 *     outputs:  [0] float32 [B, L, H] hidden states of layer `layer` for every position (rows
 *                               past a sequence's length are padding)
 *     describe: architecture, model_type, layers, layer, hidden, heads, vocab_size,
 *               max_positions, pad_token_id, format, state_dict_prefix, threads, int8, blas
 *
 *   "radgraph" (src/labelers/radgraph/radgraph_torch.cpp; front end src/labelers/radgraph/)
 *     RadGraph's DyGIE span network from an AllenNLP weights.th (the BERT encoder under
 *     _embedder.token_embedder_bert._matched_embedder.transformer_model., the span-width
 *     embedding, the NER scorer, the relation pruner and scorer of one dataset namespace).
 *     options:  weights            = path of weights.th (torch.save state dict)
 *               ner_namespace      = e.g. "radgraph__ner_labels" (names the NER scorer)
 *               relation_namespace = e.g. "radgraph__relation_labels"
 *               max_span_width, spans_per_word = config.json's model values
 *               max_length         = word pieces per encoder segment incl. [CLS]/[SEP]
 *                                    (AllenNLP folds longer inputs); "0" = max positions
 *               cls_id, sep_id, pad_id = the tokenizer's ids
 *               heads, layer_norm_eps, hidden_act = the encoder's config.json values
 *                                    ("0"/absent: hidden / 64, 1e-12, gelu)
 *               threads            = intra-op threads; "0" = keep the default
 *     inputs:   [0] int64 [B, P]    word-piece ids of each report, no [CLS]/[SEP], padded
 *               [1] int64 [B]       piece count of each row
 *               [2] int64 [B, W, 2] first and last piece (inclusive) of each word; -1, -1 for
 *                                   a word without pieces (its vector is 0) and for padding
 *               [3] int64 [B]       word count of each row
 *     outputs:  [0] float32 [B, S, N]  NER scores of every span (start, then end; width up to
 *                                   max_span_width), column 0 = the null label (0); S = the
 *                                   most spans of any row, rows past their spans -1e20
 *               [1] float32 [B, S]     mention (pruner) scores
 *               [2] float32 [B, K]     kept spans (ceil(words * spans_per_word) best mention
 *                                   scores) as ascending span indices, padded with -1
 *               [3] float32 [B, K, K, R + 1] relation scores of each ordered kept pair
 *                                   (row = subject), column 0 = no relation (0)
 *     describe: layers, hidden, heads, vocab_size, max_positions, max_length, max_span_width,
 *               feature_size, spans_per_word, ner_labels, relation_labels, threads, blas
 *
 *   "torchscript" (src/torch_module/torchscript_model.cpp)
 *     options:  model   = path of a torch.jit.save file (PyTorch <= 1.13 TorchScript)
 *               threads = intra-op threads; "0" = keep the default
 *     inputs:   [0] float32 [B, C, H, W] images, already normalised as the model expects
 *     outputs:  [0] float32 [B, K] what forward() returns (its first element when it returns a
 *                               tuple or list), no activation applied
 *
 * Bump RRG_TORCH_MODULE_ABI_VERSION whenever anything in this file changes meaning.
 */
#ifndef RRG_CORE_TORCH_MODULE_ABI_H
#define RRG_CORE_TORCH_MODULE_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RRG_TORCH_MODULE_ABI_VERSION 1
#define RRG_TORCH_MODULE_INIT_SYMBOL "rrg_torch_module_init"
#define RRG_TORCH_MAX_DIMS 4
#define RRG_TORCH_MESSAGE_SIZE 4096

enum rrg_torch_dtype { RRG_TORCH_FLOAT32 = 1, RRG_TORCH_INT64 = 2 };

/* A dense row-major tensor. Inputs are owned by the caller; outputs by the module until
 * free_outputs. */
typedef struct rrg_torch_tensor {
  int32_t dtype; /* enum rrg_torch_dtype */
  int32_t ndim;
  int64_t shape[RRG_TORCH_MAX_DIMS];
  void* data;
} rrg_torch_tensor;

enum rrg_torch_status_code {
  RRG_TORCH_OK = 0,
  RRG_TORCH_INPUT_ERROR = 1,  /* the user's file or options are unusable (rrg::InputError) */
  RRG_TORCH_RUNTIME_ERROR = 2 /* anything else (out of memory, libtorch failure) */
};

typedef struct rrg_torch_status {
  int32_t code;                         /* enum rrg_torch_status_code */
  char message[RRG_TORCH_MESSAGE_SIZE]; /* complete sentence(s), NUL-terminated */
} rrg_torch_status;

typedef struct rrg_torch_model rrg_torch_model; /* opaque */

typedef struct rrg_torch_module_api {
  int32_t abi_version;       /* RRG_TORCH_MODULE_ABI_VERSION the module was built with */
  const char* torch_version; /* libtorch version, e.g. "1.13.1" */

  /* Loads a model of `kind` with n_options key/value pairs; NULL on failure (status filled). */
  rrg_torch_model* (*load)(const char* kind, size_t n_options, const char* const* keys,
                           const char* const* values, rrg_torch_status* status);

  /* A JSON object describing the loaded model (sizes, checkpoint format, BLAS, threads); owned
   * by the model. */
  const char* (*describe)(const rrg_torch_model* model);

  /* Runs the model on inputs; fills up to max_outputs tensors and *n_outputs. Returns the status
   * code. One call at a time per model. */
  int32_t (*run)(rrg_torch_model* model, size_t n_inputs, const rrg_torch_tensor* inputs,
                 size_t max_outputs, rrg_torch_tensor* outputs, size_t* n_outputs,
                 rrg_torch_status* status);

  /* Releases the data of tensors returned by run. */
  void (*free_outputs)(size_t n_outputs, rrg_torch_tensor* outputs);

  void (*destroy)(rrg_torch_model* model);
} rrg_torch_module_api;

/* The one exported function. rrg passes its own ABI version; the module returns its table
 * (never NULL) and rrg compares the versions. */
typedef const rrg_torch_module_api* (*rrg_torch_module_init_fn)(int32_t rrg_abi_version);

#ifdef __cplusplus
}
#endif

#endif /* RRG_CORE_TORCH_MODULE_ABI_H */
