// Id-based pairing of prediction and reference files (see pairing.h).
#include "rrg/io/pairing.h"

#include "rrg/core/errors.h"
#include "rrg/core/string_slots.h"

namespace rrg::io {
namespace {

std::string first_ids(const std::vector<std::string>& ids) {
  std::string out;
  for (std::size_t k = 0; k < ids.size() && k < 5; ++k) {
    out += (k == 0 ? "" : ", ") + ("\"" + ids[k] + "\"");
  }
  if (ids.size() > 5) out += ", ...";
  return out;
}

}  // namespace

MissingPolicy parse_missing_policy(std::string_view name) {
  if (name == "error") return MissingPolicy::kError;
  if (name == "skip") return MissingPolicy::kSkip;
  if (name == "empty") return MissingPolicy::kEmpty;
  throw InputError("unknown --missing policy '" + std::string(name) +
                   "' (known: error, skip, empty)");
}

std::string_view missing_policy_name(MissingPolicy policy) {
  switch (policy) {
    case MissingPolicy::kSkip:
      return "skip";
    case MissingPolicy::kEmpty:
      return "empty";
    case MissingPolicy::kError:
      break;
  }
  return "error";
}

PairedReports pair_reports(ReportFile predictions, ReportFile references, MissingPolicy policy) {
  PairedReports out;
  if (predictions.positional_ids || references.positional_ids) {
    out.paired_by_position = true;
    const std::size_t n_pred = predictions.records.size(), n_ref = references.records.size();
    if (n_pred != n_ref && policy == MissingPolicy::kError) {
      throw InputError(
          predictions.path + " has " + std::to_string(n_pred) + " reports but " + references.path +
          " has " + std::to_string(n_ref) +
          "; files without ids (plain text, CSV without an id column) pair by "
          "position and need the same number of reports (or use --missing skip|empty)");
    }
    const std::size_t n =
        policy == MissingPolicy::kEmpty ? std::max(n_pred, n_ref) : std::min(n_pred, n_ref);
    for (std::size_t i = 0; i < n; ++i) {
      // Ids come from the side that has real ids, else from the position.
      const ReportFile& named = predictions.positional_ids ? references : predictions;
      out.ids.push_back(i < named.records.size() ? named.records[i].id : std::to_string(i + 1));
      if (i < n_pred) {
        out.predictions.push_back(std::move(predictions.records[i].texts[0]));
        out.prediction_errors.push_back(std::move(predictions.records[i].error));
      } else {
        out.predictions.emplace_back();
        out.prediction_errors.emplace_back();
        ++out.missing_predictions;
      }
      if (i < n_ref) {
        out.references.push_back(std::move(references.records[i].texts));
      } else {
        out.references.push_back({""});
        ++out.missing_references;
      }
    }
    if (policy == MissingPolicy::kSkip) {
      out.missing_predictions = n_ref > n_pred ? n_ref - n_pred : 0;
      out.missing_references = n_pred > n_ref ? n_pred - n_ref : 0;
    }
    return out;
  }

  // Ids are unique on each side, so every reference record is handed to at most one prediction
  // and its texts can be moved. StringSlots rather than std::unordered_map: a million ids would
  // cost a node allocation each, and most of the pairing's time.
  StringSlots ref_slots(references.records.size());
  std::vector<ReportRecord*> ref_of_slot;  // slot -> the first reference record with that id
  ref_of_slot.reserve(references.records.size());
  for (auto& record : references.records) {
    bool inserted = false;
    ref_slots.find_or_add(record.id, inserted);
    if (inserted) ref_of_slot.push_back(&record);
  }
  const auto reference_of = [&](const std::string& id) -> ReportRecord* {
    const std::size_t slot = ref_slots.find(id);
    return slot == StringSlots::npos ? nullptr : ref_of_slot[slot];
  };
  StringSlots pred_ids(predictions.records.size());

  std::vector<std::string> no_reference, no_prediction;
  for (const auto& record : predictions.records) {
    bool inserted = false;
    pred_ids.find_or_add(record.id, inserted);
    if (reference_of(record.id) == nullptr) no_reference.push_back(record.id);
  }
  for (const auto& record : references.records) {
    if (pred_ids.find(record.id) == StringSlots::npos) no_prediction.push_back(record.id);
  }
  if (policy == MissingPolicy::kError && (!no_reference.empty() || !no_prediction.empty())) {
    std::string message =
        "ids differ between " + predictions.path + " and " + references.path + ":";
    if (!no_reference.empty()) {
      message += " " + std::to_string(no_reference.size()) + " prediction id" +
                 (no_reference.size() == 1 ? " has" : "s have") +
                 " no reference (first: " + first_ids(no_reference) + ")" +
                 (no_prediction.empty() ? "" : ";");
    }
    if (!no_prediction.empty()) {
      message += " " + std::to_string(no_prediction.size()) + " reference id" +
                 (no_prediction.size() == 1 ? " has" : "s have") +
                 " no prediction (first: " + first_ids(no_prediction) + ")";
    }
    message +=
        ". Use --missing skip to score only the common ids, or --missing empty to score "
        "missing texts as empty";
    throw InputError(message);
  }
  out.missing_references = no_reference.size();
  out.missing_predictions = no_prediction.size();

  out.ids.reserve(predictions.records.size());
  out.predictions.reserve(predictions.records.size());
  out.prediction_errors.reserve(predictions.records.size());
  out.references.reserve(predictions.records.size());
  for (auto& record : predictions.records) {
    ReportRecord* reference = reference_of(record.id);
    if (reference == nullptr && policy == MissingPolicy::kSkip) continue;
    out.ids.push_back(record.id);
    out.predictions.push_back(std::move(record.texts[0]));
    out.prediction_errors.push_back(std::move(record.error));
    if (reference == nullptr) {
      out.references.push_back({""});
    } else {
      out.references.push_back(std::move(reference->texts));
    }
  }
  if (policy == MissingPolicy::kEmpty) {
    for (auto& record : references.records) {
      if (pred_ids.find(record.id) != StringSlots::npos) continue;
      out.ids.push_back(record.id);
      out.predictions.emplace_back();
      out.prediction_errors.emplace_back();
      out.references.push_back(std::move(record.texts));
    }
  }
  if (out.ids.empty()) {
    throw InputError("no id is present in both " + predictions.path + " and " + references.path +
                     "; check that both files describe the same studies");
  }
  return out;
}

}  // namespace rrg::io
