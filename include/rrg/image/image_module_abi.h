/* The binary contract between rrg and its image module (librrg_image.so).
 *
 * Reading JPEG/PNG/DICOM files needs OpenCV and DCMTK, whose ~150 shared libraries cost about
 * 80 ms of dynamic linking at every start (measured: `rrg --help` went from ~10 ms to ~100 ms when
 * they were linked in). They therefore live in a module that rrg dlopen()s the first time a
 * command reads an image (`rrg generate`). The module exports one C function,
 * RRG_IMAGE_MODULE_INIT_SYMBOL, returning a table of C function pointers; rrg refuses a table
 * whose abi_version differs from its own. Only C types cross the boundary.
 *
 * Bump RRG_IMAGE_MODULE_ABI_VERSION whenever anything in this file changes meaning.
 */
#ifndef RRG_IMAGE_IMAGE_MODULE_ABI_H
#define RRG_IMAGE_IMAGE_MODULE_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RRG_IMAGE_MODULE_ABI_VERSION 2
#define RRG_IMAGE_MODULE_INIT_SYMBOL "rrg_image_module_init"
#define RRG_IMAGE_MESSAGE_SIZE 4096

enum rrg_image_status_code {
  RRG_IMAGE_OK = 0,
  RRG_IMAGE_FILE_ERROR = 1,   /* this file cannot be used (rrg::image::ImageError) */
  RRG_IMAGE_INPUT_ERROR = 2,  /* bad options (rrg::InputError) */
  RRG_IMAGE_RUNTIME_ERROR = 3 /* anything else (out of memory, library failure) */
};

typedef struct rrg_image_status {
  int32_t code;                         /* enum rrg_image_status_code */
  char message[RRG_IMAGE_MESSAGE_SIZE]; /* complete sentence(s), NUL-terminated */
} rrg_image_status;

/* rrg::image::PreprocessOptions, field for field. */
typedef struct rrg_image_preprocess {
  int32_t max_side;
  int64_t max_pixels;
  int32_t encoding; /* 0 JPEG, 1 PNG */
  int32_t jpeg_quality;
  int32_t depth16; /* 0 min/max, 1 full range */
} rrg_image_preprocess;

/* rrg::image::EncoderInputOptions, field for field. */
typedef struct rrg_image_encoder_input {
  int32_t size;
  int32_t square;  /* 0 centre crop, 1 stretch */
  int32_t depth16; /* 0 min/max, 1 full range */
} rrg_image_encoder_input;

/* An encoded image owned by the module until free_encoded. */
typedef struct rrg_image_encoded {
  char* bytes;
  size_t size;
  char mime_type[32];
  int32_t width, height;               /* after resizing */
  int32_t source_width, source_height; /* as read */
} rrg_image_encoded;

typedef struct rrg_image_module_api {
  int32_t abi_version; /* RRG_IMAGE_MODULE_ABI_VERSION the module was built with */

  /* Reads `path`, converts to 8 bits, resizes and encodes it. Returns RRG_IMAGE_OK and fills
   * `out`, or a status code with `status->message` set. */
  int32_t (*prepare_file)(const char* path, const rrg_image_preprocess* options,
                          rrg_image_encoded* out, rrg_image_status* status);

  void (*free_encoded)(rrg_image_encoded* encoded);

  /* Reads `path` as an image-classifier input (rrg/image/encoder_input.h): writes size * size
   * float samples in [0, 255] to `out` (caller-allocated). Since ABI version 2. */
  int32_t (*read_encoder_input)(const char* path, const rrg_image_encoder_input* options,
                                float* out, rrg_image_status* status);
} rrg_image_module_api;

typedef const rrg_image_module_api* (*rrg_image_module_init_fn)(int32_t abi_version);

#ifdef __cplusplus
}
#endif

#endif /* RRG_IMAGE_IMAGE_MODULE_ABI_H */
