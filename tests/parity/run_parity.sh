#!/usr/bin/env bash
# Parity check of `rrg evaluate` against the reference numbers in ../shared/parity/nlg
# (pycocoevalcap, NLTK 3.8, rouge-score 0.1.2), every corpus and per-sample value within 1e-9.
# Exit 77 (CTest: skipped) when the reference material is absent, as on a user's clone.
#
#   run_parity.sh RRG_BINARY [SHARED_DIR]
set -euo pipefail

rrg="$1"
shared="${RRG_SHARED_DIR:-${2:-}}"
if [[ -z "$shared" || ! -d "$shared/parity/nlg/cases" ]]; then
  echo "parity: no reference material (set RRG_SHARED_DIR or put shared/ beside the checkout); skipped"
  exit 77
fi
compare="$shared/parity/nlg/compare.py"
python=/usr/bin/python3
tol=1e-9
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

failures=0
check() {  # check NAME CANDIDATE EXPECTED [compare args...]
  local name="$1" candidate="$2" expected="$3"
  shift 3
  if "$python" "$compare" "$candidate" "$expected" --tol "$tol" --quiet "$@" >"$work/out.txt" 2>&1; then
    echo "ok    $name: $(tail -n 1 "$work/out.txt")"
  else
    echo "FAIL  $name"
    sed 's/^/      /' "$work/out.txt"
    failures=$((failures + 1))
  fi
}

for case_dir in "$shared"/parity/nlg/cases/*/; do
  case_name="$(basename "$case_dir")"
  expected="$case_dir/expected.json"
  n_expected="$("$python" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["per_sample"]))' "$expected")"

  # Both families from the JSONL files (all references).
  "$rrg" evaluate --pred "$case_dir/pred.jsonl" --ref "$case_dir/ref.jsonl" --labeler none --json "$work/$case_name.json" --quiet
  n_got="$("$python" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["per_sample"]))' "$work/$case_name.json")"
  if [[ "$n_got" != "$n_expected" ]]; then
    echo "FAIL  $case_name: $n_got per-sample ids, expected $n_expected"
    failures=$((failures + 1))
  fi
  check "$case_name (jsonl, all metrics)" "$work/$case_name.json" "$expected" --require-all

  has_section() {
    "$python" -c 'import json,sys; sys.exit(0 if sys.argv[2] in json.load(open(sys.argv[1])).get("details", {}) else 1)' "$expected" "$1"
  }

  # The original toolkit's own JSON files give the seed numbers unchanged.
  if [[ -f "$case_dir/seed_output.json" && -f "$case_dir/seed_annotation.json" ]] && has_section seed_nltk; then
    "$rrg" evaluate --pred "$case_dir/seed_output.json" --ref "$case_dir/seed_annotation.json" \
      --metrics seed --labeler none --json "$work/$case_name.seed.json" --quiet
    check "$case_name (seed json, seed metrics)" "$work/$case_name.seed.json" "$expected" --section seed_nltk --require-all
  fi

  # --no-clean reproduces the seed's --no_clean_reports variant.
  if has_section seed_nltk_no_clean; then
    "$rrg" evaluate --pred "$case_dir/pred.jsonl" --ref "$case_dir/ref.jsonl" --metrics seed --no-clean --labeler none \
      --json "$work/$case_name.noclean.json" --quiet
    check "$case_name (seed, --no-clean)" "$work/$case_name.noclean.json" "$expected" --section seed_nltk_no_clean --require-all
  fi
done

if ((failures > 0)); then
  echo "parity: $failures check(s) failed"
  exit 1
fi
echo "parity: all checks passed (tolerance $tol)"
