// The CheXpert vocabulary (rrg/chexpert/observations.h) under the names the labelers use: every
// labeler produces these labels, so its code reads them unqualified.
#pragma once

#include "rrg/chexpert/observations.h"

namespace rrg::labelers {

using chexpert::blank_row;
using chexpert::kNoFinding;
using chexpert::kNumObservations;
using chexpert::kObservationNames;
using chexpert::kSupportDevices;
using chexpert::Label;
using chexpert::label_text;
using chexpert::LabelRow;
using chexpert::observation_index;

}  // namespace rrg::labelers
