// DICOM rendering with DCMTK (see dicom_reader.h).
#include "rrg/image/dicom_reader.h"

#include <cstring>
#include <mutex>

// DCMTK's configuration header must come first.
#include <dcmtk/config/osconfig.h>

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/dcmimage/diregist.h>  // links in colour image support (DiRegister)
#include <dcmtk/dcmimgle/dcmimage.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>
#include <dcmtk/oflog/oflog.h>

namespace rrg::image {
namespace {

// DCMTK decodes compressed pixel data through codecs registered in a process-wide list, which
// is empty until someone registers them; without this, JPEG/JPEG-LS/RLE files fail with
// "unsupported transfer syntax".
void initialise_dcmtk() {
  static std::once_flag once;
  std::call_once(once, [] {
    // DCMTK logs warnings and errors to stderr by default; rrg reports failures through
    // ImageError and must not scribble over its progress bar.
    OFLog::configure(OFLogger::FATAL_LOG_LEVEL);
    DJDecoderRegistration::registerCodecs();
    DJLSDecoderRegistration::registerCodecs();
    DcmRLEDecoderRegistration::registerCodecs();
  });
}

bool is_jpeg2000(E_TransferSyntax xfer) {
  return xfer == EXS_JPEG2000LosslessOnly || xfer == EXS_JPEG2000 ||
         xfer == EXS_JPEG2000MulticomponentLosslessOnly || xfer == EXS_JPEG2000Multicomponent;
}

}  // namespace

Image read_dicom(const std::string& path) {
  initialise_dcmtk();
  DcmFileFormat file;
  const OFCondition status = file.loadFile(path.c_str());
  if (status.bad()) {
    throw ImageError(path, std::string("not a readable DICOM file (DCMTK: ") + status.text() + ")");
  }
  DcmDataset* dataset = file.getDataset();
  if (!dataset->tagExists(DCM_PixelData)) {
    throw ImageError(path, "DICOM file has no pixel data (not an image object)");
  }
  const E_TransferSyntax xfer = dataset->getOriginalXfer();
  if (is_jpeg2000(xfer)) {
    throw ImageError(path, std::string("DICOM pixel data is JPEG 2000 compressed (") +
                               DcmXfer(xfer).getXferName() +
                               "), which DCMTK cannot decode; convert it first, e.g. with "
                               "`gdcmconv --raw in.dcm out.dcm`");
  }

  // Frame 0 only (fstart 0, fcount 1): a chest X-ray is one frame, and rendering every frame of
  // a large multi-frame object would waste memory.
  DicomImage dicom(&file, xfer, /*flags=*/0UL, /*fstart=*/0UL, /*fcount=*/1UL);
  if (dicom.getStatus() != EIS_Normal) {
    throw ImageError(path, std::string("cannot render DICOM pixel data (DCMTK: ") +
                               DicomImage::getString(dicom.getStatus()) + ", transfer syntax " +
                               DcmXfer(xfer).getXferName() + ")");
  }
  if (dicom.isMonochrome()) {
    // VOI transform, PS3.3 C.11.2: the file's own window, else its VOI LUT, else min..max.
    bool windowed = dicom.getWindowCount() > 0 && dicom.setWindow(0);
    if (!windowed && dicom.getVoiLutCount() > 0) windowed = dicom.setVoiLut(0);
    if (!windowed) dicom.setMinMaxWindow(/*idx=*/0);
  }
  const int channels = dicom.isMonochrome() ? 1 : 3;
  // Bits 8: DCMTK maps the VOI output range linearly onto 0..255 and, for MONOCHROME1, inverts
  // it (DiMono1Image renders the negative), so the result is what a viewer shows.
  const void* pixels = dicom.getOutputData(/*bits=*/8, /*frame=*/0, /*planar=*/0);
  if (pixels == nullptr) {
    throw ImageError(path, std::string("cannot render DICOM pixel data (DCMTK: ") +
                               DicomImage::getString(dicom.getStatus()) + ")");
  }
  Image image = make_image(static_cast<int>(dicom.getWidth()), static_cast<int>(dicom.getHeight()),
                           channels, 8);
  if (dicom.getOutputDataSize(8) < image.byte_size()) {
    throw ImageError(path, "DICOM pixel data is shorter than its Rows x Columns");
  }
  std::memcpy(image.data.data(), pixels, image.byte_size());
  return image;
}

}  // namespace rrg::image
