#!/usr/bin/python3
"""Generates src/text/wordpiece_tables.inc: the Unicode tables behind rrg/text/wordpiece.h.

HF's BertTokenizer (transformers 2.5.1, tokenization_bert.py) classifies characters with
Python's unicodedata, so rrg's WordPiece tokenizer needs the same answers for every code point.
This script asks the running interpreter (run it with /usr/bin/python3: Debian 12's Python 3.11,
Unicode 14.0, the same data python_str.h uses) and writes compact tables:

  /usr/bin/python3 scripts/gen_wordpiece_tables.py > src/text/wordpiece_tables.inc

  * character classes, as BasicTokenizer uses them:
      control     unicodedata.category(c) starts with "C" and c is not \\t \\n \\r
                  (_is_control; unassigned code points are "Cn", so they are dropped too)
      whitespace  c in " \\t\\n\\r" or category "Zs" (_is_whitespace)
      punctuation ASCII 33-47, 58-64, 91-96, 123-126 or category "P*" (_is_punctuation)
      mark        category "Mn" (dropped after NFD by _run_strip_accents)
      cjk         the CJK ideograph blocks of _is_chinese_char
  * NFD: the full canonical decomposition of every code point whose NFD differs from itself,
    except the Hangul syllables U+AC00..U+D7A3 (decomposed arithmetically, Unicode 3.12), and
    the canonical combining class of every code point with a non-zero class, for the canonical
    reordering NFD applies to sequences.
The script re-derives NFD of every code point, and of every pair of combining marks, from the
emitted tables and fails if anything differs from unicodedata.normalize("NFD", ...).
"""

import sys
import unicodedata

MAX_CP = 0x110000
CONTROL, WHITESPACE, PUNCTUATION, MARK, CJK = 1, 2, 4, 8, 16
CJK_RANGES = [(0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF), (0x2A700, 0x2B73F),
              (0x2B740, 0x2B81F), (0x2B820, 0x2CEAF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F)]
HANGUL_FIRST, HANGUL_LAST = 0xAC00, 0xD7A3


def code_points():
    for cp in range(MAX_CP):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        yield cp


def char_class(cp):
    c = chr(cp)
    cat = unicodedata.category(c)
    flags = 0
    if cat.startswith("C") and c not in "\t\n\r":
        flags |= CONTROL
    if c in " \t\n\r" or cat == "Zs":
        flags |= WHITESPACE
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126 \
            or cat.startswith("P"):
        flags |= PUNCTUATION
    if cat == "Mn":
        flags |= MARK
    if any(a <= cp <= b for a, b in CJK_RANGES):
        flags |= CJK
    return flags


def ranges_of(value_of):
    """[first, last, value] runs of consecutive code points sharing a non-zero value."""
    out = []
    for cp in code_points():
        v = value_of(cp)
        if v == 0:
            continue
        if out and out[-1][2] == v and out[-1][1] == cp - 1:
            out[-1][1] = cp
        else:
            out.append([cp, cp, v])
    return out


def decompositions():
    out = {}
    for cp in code_points():
        if HANGUL_FIRST <= cp <= HANGUL_LAST:
            continue
        d = unicodedata.normalize("NFD", chr(cp))
        if d != chr(cp):
            out[cp] = [ord(ch) for ch in d]
    return out


def hangul(cp):
    s = cp - HANGUL_FIRST
    parts = [0x1100 + s // 588, 0x1161 + (s % 588) // 28]
    if s % 28:
        parts.append(0x11A7 + s % 28)
    return parts


def nfd_from_tables(text, decomp, ccc):
    out = []
    for ch in text:
        cp = ord(ch)
        if HANGUL_FIRST <= cp <= HANGUL_LAST:
            out.extend(hangul(cp))
        else:
            out.extend(decomp.get(cp, [cp]))
    # Canonical ordering: stable sort of each run of non-zero combining classes.
    i = 0
    while i < len(out):
        if ccc.get(out[i], 0) == 0:
            i += 1
            continue
        j = i
        while j < len(out) and ccc.get(out[j], 0) != 0:
            j += 1
        out[i:j] = sorted(out[i:j], key=lambda c: ccc[c])
        i = j
    return "".join(chr(c) for c in out)


def self_check(classes, decomp, ccc):
    class_of = {}
    for first, last, v in classes:
        for cp in range(first, last + 1):
            class_of[cp] = v
    marks = [cp for cp in ccc]
    for cp in code_points():
        if class_of.get(cp, 0) != char_class(cp):
            sys.exit(f"gen_wordpiece_tables: class mismatch at U+{cp:04X}")
        if nfd_from_tables(chr(cp), decomp, ccc) != unicodedata.normalize("NFD", chr(cp)):
            sys.exit(f"gen_wordpiece_tables: NFD mismatch at U+{cp:04X}")
        if unicodedata.combining(chr(cp)) != ccc.get(cp, 0):
            sys.exit(f"gen_wordpiece_tables: combining class mismatch at U+{cp:04X}")
    # Reordering: a letter followed by every ordered pair of a sample of combining marks.
    sample = marks[::7]
    for a in sample:
        for b in sample:
            s = "a" + chr(a) + chr(b)
            if nfd_from_tables(s, decomp, ccc) != unicodedata.normalize("NFD", s):
                sys.exit(f"gen_wordpiece_tables: reordering mismatch at U+{a:04X} U+{b:04X}")


def main():
    classes = ranges_of(char_class)
    decomp = decompositions()
    ccc = {cp: unicodedata.combining(chr(cp)) for cp in code_points()
           if unicodedata.combining(chr(cp))}
    ccc_ranges = ranges_of(lambda cp: ccc.get(cp, 0))
    self_check(classes, decomp, ccc)
    for table in (classes, ccc_ranges):
        for a, b in zip(table, table[1:]):
            assert a[1] < b[0]
    longest = max(len(v) for v in decomp.values())

    out = sys.stdout
    out.write("// GENERATED by scripts/gen_wordpiece_tables.py -- do not edit; regenerate with\n")
    out.write("//   /usr/bin/python3 scripts/gen_wordpiece_tables.py > src/text/wordpiece_tables.inc\n")
    out.write(f"// Source: Python {sys.version.split()[0]}, unicodedata "
              f"{unicodedata.unidata_version}.\n")
    out.write("// Included by src/text/wordpiece.cpp, which defines the row types.\n\n")
    out.write(f'constexpr const char* kWordPieceUnicodeVersion = "{unicodedata.unidata_version}";\n')
    out.write(f"constexpr int kMaxDecomposition = {longest};\n\n")

    out.write("// Character classes (kControl | kWhitespace | kPunctuation | kMark | kCjk) of\n")
    out.write("// HF BasicTokenizer; code points outside every range have none.\n")
    out.write("constexpr ClassRange kClassRanges[] = {\n")
    for first, last, v in classes:
        out.write(f"    {{0x{first:04X}, 0x{last:04X}, {v}}},\n")
    out.write("};\n\n")

    out.write("// Canonical combining classes (non-zero only).\n")
    out.write("constexpr ClassRange kCombiningRanges[] = {\n")
    for first, last, v in ccc_ranges:
        out.write(f"    {{0x{first:04X}, 0x{last:04X}, {v}}},\n")
    out.write("};\n\n")

    flat = []
    rows = []
    for cp in sorted(decomp):
        rows.append((cp, len(flat), len(decomp[cp])))
        flat.extend(decomp[cp])
    out.write("// Full canonical decompositions: code point, offset into kDecompositionData, length.\n")
    out.write("constexpr Decomposition kDecompositions[] = {\n")
    for cp, offset, n in rows:
        out.write(f"    {{0x{cp:04X}, {offset}, {n}}},\n")
    out.write("};\n\n")
    out.write("constexpr char32_t kDecompositionData[] = {\n")
    for k in range(0, len(flat), 8):
        out.write("    " + ", ".join(f"0x{cp:04X}" for cp in flat[k:k + 8]) + ",\n")
    out.write("};\n")


if __name__ == "__main__":
    main()
