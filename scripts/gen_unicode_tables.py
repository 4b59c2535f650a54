#!/usr/bin/python3
"""Generates src/text/unicode_tables.inc: the Unicode tables behind rrg/text/python_str.h.

rrg must split and lower-case text exactly as Python 3 does, because the metrics it reproduces
(NLTK, rouge-score, pycocoevalcap) run on `str.split()` / `str.lower()`. This script is the source
of truth for those tables: it asks the running Python interpreter (run it with /usr/bin/python3,
Debian 12's Python 3.11 = Unicode 14.0) about every code point and writes compact range tables.

  /usr/bin/python3 scripts/gen_unicode_tables.py > src/text/unicode_tables.inc

What is extracted, and why it is enough:
  * isspace: the code points for which chr(cp).isspace() is true.
  * lower: chr(cp).lower() for every code point. One-to-one mappings are stored as ranges with a
    constant delta and a stride of 1 or 2 (upper/lower pairs often alternate); the few mappings
    to several code points (SpecialCasing, e.g. U+0130 -> "i\\u0307") are stored explicitly.
  * case class, for the Final_Sigma rule of U+03A3: CPython lower-cases capital sigma to U+03C2
    when it is preceded by a cased letter and not followed by one, skipping case-ignorable code
    points in both directions (Objects/unicodeobject.c, handle_capital_sigma). Python does not
    expose Cased / Case_Ignorable, so they are observed through lower() itself:
      ("A" + c + SIGMA).lower() ends in final sigma  <=>  case_ignorable(c) or cased(c)
      (" " + c + SIGMA).lower() ends in final sigma  <=>  not case_ignorable(c) and cased(c)
    A case-ignorable code point is always skipped, so its Cased property can never influence
    lower(); three classes therefore describe Python exactly: 1 = case-ignorable,
    2 = cased and not case-ignorable, 0 = neither.
  * decimal: the code points for which chr(cp).isdecimal() is true (what `\\d` matches in
    Python's `re` for str patterns, and the digits int() accepts), stored as the zero of each run
    of ten consecutive digits 0..9 (Unicode assigns every decimal digit that way).
  * word: the code points `\\w` matches in Python's `re` for str patterns (str.isalnum() and
    "_"; NLTK's wordpunct_tokenize in RadGraph-XL's preprocessing), as ranges.
The script re-derives every mapping from the emitted tables and fails if anything differs.
"""

import re
import sys
import unicodedata

SIGMA = "\u03a3"
FINAL_SIGMA = "\u03c2"
MAX_CP = 0x110000


def code_points():
    """Every code point that valid UTF-8 can carry (surrogates excluded)."""
    for cp in range(MAX_CP):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        yield cp


def space_table():
    return [cp for cp in code_points() if chr(cp).isspace()]


def lower_tables():
    """Returns (ranges, specials): ranges = [(first, last, stride, delta)], specials = {cp: str}."""
    singles = []
    specials = {}
    for cp in code_points():
        low = chr(cp).lower()
        if low == chr(cp):
            continue
        if len(low) == 1:
            singles.append((cp, ord(low) - cp))
        else:
            specials[cp] = low
    ranges = []
    i = 0
    while i < len(singles):
        first, delta = singles[i]
        last, stride = first, 1
        j = i + 1
        if j < len(singles) and singles[j][1] == delta and singles[j][0] in (first + 1, first + 2):
            stride = singles[j][0] - first
            while j < len(singles) and singles[j][1] == delta and singles[j][0] == last + stride:
                last = singles[j][0]
                j += 1
        ranges.append((first, last, stride, delta))
        i = j
    return ranges, specials


def decimal_zeros():
    """The code points of digit zero of every run of decimal digits."""
    zeros = [cp for cp in code_points() if chr(cp).isdecimal() and unicodedata.decimal(chr(cp)) == 0]
    covered = {z + k: k for z in zeros for k in range(10)}
    for cp in code_points():
        c = chr(cp)
        if c.isdecimal() != (cp in covered):
            sys.exit(f"gen_unicode_tables: decimal digit U+{cp:04X} outside a run of ten")
        if c.isdecimal() and unicodedata.decimal(c) != covered[cp]:
            sys.exit(f"gen_unicode_tables: digit value mismatch at U+{cp:04X}")
    return zeros


def word_ranges():
    """[first, last] runs of the code points re's `\\w` matches (str patterns)."""
    word = re.compile(r"\w")
    ranges = []
    for cp in code_points():
        if not word.match(chr(cp)):
            continue
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    inside = bytearray(MAX_CP)
    for first, last in ranges:
        inside[first:last + 1] = b"\x01" * (last + 1 - first)
    for cp in code_points():
        if bool(inside[cp]) != bool(word.match(chr(cp))):
            sys.exit(f"gen_unicode_tables: word range mismatch at U+{cp:04X}")
    return ranges


def case_class(cp):
    c = chr(cp)
    ignorable_or_cased = ("A" + c + SIGMA).lower()[-1] == FINAL_SIGMA
    cased_not_ignorable = (" " + c + SIGMA).lower()[-1] == FINAL_SIGMA
    if cased_not_ignorable:
        return 2
    if ignorable_or_cased:
        return 1
    return 0


def case_ranges():
    ranges = []
    for cp in code_points():
        cls = case_class(cp)
        if cls == 0:
            continue
        if ranges and ranges[-1][2] == cls and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp, cls])
    return ranges


def lower_from_tables(cp, ranges, specials):
    if cp in specials:
        return specials[cp]
    for first, last, stride, delta in ranges:
        if first <= cp <= last and (cp - first) % stride == 0:
            return chr(cp + delta)
    return chr(cp)


def self_check(spaces, ranges, specials, classes):
    space_set = set(spaces)
    class_of = {}
    for first, last, cls in classes:
        for cp in range(first, last + 1):
            class_of[cp] = cls
    # Index the lower ranges by code point for a fast exhaustive comparison.
    mapped = dict(specials)
    for first, last, stride, delta in ranges:
        for cp in range(first, last + 1, stride):
            if cp in mapped:
                sys.exit(f"gen_unicode_tables: overlapping lower ranges at U+{cp:04X}")
            mapped[cp] = chr(cp + delta)
    for first, last, stride, delta in ranges:
        for cp in range(first, last + 1):
            if (cp - first) % stride and cp in mapped and mapped[cp] != chr(cp):
                sys.exit(f"gen_unicode_tables: stride gap U+{cp:04X} is mapped")
    for cp in code_points():
        c = chr(cp)
        if (cp in space_set) != c.isspace():
            sys.exit(f"gen_unicode_tables: isspace mismatch at U+{cp:04X}")
        if mapped.get(cp, c) != c.lower():
            sys.exit(f"gen_unicode_tables: lower mismatch at U+{cp:04X}")
        if class_of.get(cp, 0) != case_class(cp):
            sys.exit(f"gen_unicode_tables: case class mismatch at U+{cp:04X}")


def main():
    spaces = space_table()
    ranges, specials = lower_tables()
    classes = case_ranges()
    self_check(spaces, ranges, specials, classes)
    zeros = decimal_zeros()
    words = word_ranges()
    # The lookup code binary-searches on `first` and then checks `last`, so every range must
    # start after the previous one ends.
    for table in (ranges, classes, words):
        for a, b in zip(table, table[1:]):
            assert a[1] < b[0]

    out = sys.stdout
    out.write("// GENERATED by scripts/gen_unicode_tables.py -- do not edit; regenerate with\n")
    out.write("//   /usr/bin/python3 scripts/gen_unicode_tables.py > src/text/unicode_tables.inc\n")
    out.write(f"// Source: Python {sys.version.split()[0]}, unicodedata {unicodedata.unidata_version}.\n")
    out.write("// Included by src/text/python_str.cpp, which defines the row types.\n\n")
    out.write(f'constexpr const char* kUnicodeVersion = "{unicodedata.unidata_version}";\n\n')

    out.write("// Code points c with chr(c).isspace(), ascending.\n")
    out.write("constexpr char32_t kSpaces[] = {\n")
    for k in range(0, len(spaces), 8):
        out.write("    " + ", ".join(f"0x{cp:04X}" for cp in spaces[k:k + 8]) + ",\n")
    out.write("};\n\n")

    out.write("// chr(c).lower() == chr(c + delta) for c in first, first + stride, ..., last.\n")
    out.write("constexpr LowerRange kLowerRanges[] = {\n")
    for first, last, stride, delta in ranges:
        out.write(f"    {{0x{first:04X}, 0x{last:04X}, {stride}, {delta}}},\n")
    out.write("};\n\n")

    out.write("// chr(c).lower() is longer than one code point (SpecialCasing).\n")
    out.write("constexpr LowerSpecial kLowerSpecials[] = {\n")
    for cp, low in sorted(specials.items()):
        if len(low) > 3:
            sys.exit("gen_unicode_tables: a lower mapping longer than 3 code points")
        cps = ", ".join(f"0x{ord(ch):04X}" for ch in low)
        out.write(f"    {{0x{cp:04X}, {len(low)}, {{{cps}}}}},\n")
    out.write("};\n\n")

    out.write("// Final_Sigma classes: 1 = case-ignorable, 2 = cased and not case-ignorable;\n")
    out.write("// code points outside every range are class 0 (neither).\n")
    out.write("constexpr CaseRange kCaseRanges[] = {\n")
    for first, last, cls in classes:
        out.write(f"    {{0x{first:04X}, 0x{last:04X}, {cls}}},\n")
    out.write("};\n\n")

    out.write("// Decimal digits (chr(c).isdecimal(), Python's `\\d`): the zero of each run of ten\n")
    out.write("// consecutive digits 0..9, ascending.\n")
    out.write("constexpr char32_t kDecimalZeros[] = {\n")
    for k in range(0, len(zeros), 8):
        out.write("    " + ", ".join(f"0x{cp:04X}" for cp in zeros[k:k + 8]) + ",\n")
    out.write("};\n\n")

    out.write("// Word characters (`\\w` of Python's re on str: str.isalnum() and '_'): [first, last]\n")
    out.write("// runs, ascending.\n")
    out.write("constexpr WordRange kWordRanges[] = {\n")
    for first, last in words:
        out.write(f"    {{0x{first:04X}, 0x{last:04X}}},\n")
    out.write("};\n")


if __name__ == "__main__":
    main()
