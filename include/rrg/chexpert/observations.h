// The 14 CheXpert observations and the 4-valued label CheXbert writes for each.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rrg::chexpert {

inline constexpr std::size_t kNumObservations = 14;

// CheXpert / CheXbert column order (labeled_reports.csv).
inline constexpr std::array<std::string_view, kNumObservations> kObservationNames = {
    "Enlarged Cardiomediastinum",
    "Cardiomegaly",
    "Lung Opacity",
    "Lung Lesion",
    "Edema",
    "Consolidation",
    "Pneumonia",
    "Atelectasis",
    "Pneumothorax",
    "Pleural Effusion",
    "Pleural Other",
    "Fracture",
    "Support Devices",
    "No Finding"};

// Index of "No Finding" and "Support Devices" (used by the No Finding rule).
inline constexpr std::size_t kNoFinding = 13;
inline constexpr std::size_t kSupportDevices = 12;

// CheXbert's output convention: 1 positive, 0 negative, -1 uncertain, blank = not mentioned.
enum class Label : std::int8_t { kNegative = 0, kPositive = 1, kUncertain = -1, kBlank = 2 };

using LabelRow = std::array<Label, kNumObservations>;

// A row with every observation blank.
LabelRow blank_row();

// Index of an observation by its exact name, std::nullopt when unknown.
std::optional<std::size_t> observation_index(std::string_view name);

// "1", "0", "-1" or "" (blank), as in JSON-free text outputs.
std::string_view label_text(Label label);

}  // namespace rrg::chexpert
