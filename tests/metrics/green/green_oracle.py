"""An independent re-implementation of GREEN's answer parser, for rrg's tests (run with
/usr/bin/python3; standard library only).

Written from reading Stanford-AIMI/GREEN green_score/green.py (parse_error_counts,
compute_green) and utils.py (clean_responses) at d72c195, and RadEval's copy
(radeval/metrics/green_score/green.py at e0a3909, which reads Matched Findings with
re.MULTILINE). It uses Python's own `re` with GREEN's patterns, so it settles what `\\s`, `\\d`,
`.`, `^` and sorting mean. Before GREEN's steps it removes <think> blocks the way rrg's LLM client
does (rrg/llm/reasoning.h), and it refuses counts above 10^15 as rrg does.

stdin: JSON lines with an "answer"; stdout: one JSON line per input,
{"green": RESULT, "radeval": RESULT} with RESULT = {"significant": [6], "insignificant": [6],
"matched": n, "score": x} or {"error": text}.
"""
import json
import re
import sys

SECTIONS = ("Clinically Significant Errors", "Clinically Insignificant Errors", "Matched Findings")
LIMIT = 10 ** 15


def strip_thinking(text):
    """rrg's split_reasoning: (content, truncated)."""
    kept = []
    pos = 0
    first_open, first_close = text.find("<think>"), text.find("</think>")
    if first_close >= 0 and (first_open < 0 or first_close < first_open):
        pos = first_close + len("</think>")
    while pos < len(text):
        start = text.find("<think>", pos)
        if start < 0:
            kept.append(text[pos:])
            break
        kept.append(text[pos:start])
        end = text.find("</think>", start + len("<think>"))
        if end < 0:
            return None, True
        pos = end + len("</think>")
    return "".join(kept).strip(" \t\r\n"), False


def clean(response):
    """clean_responses on the model's answer (GREEN sees the prompt before it, which holds
    "[Explanation]:" and ends in "<|assistant|>", so both of its branches run)."""
    response = response.split("<|assistant|>")[-1]
    marker = "[Explanation]:"
    if marker + "\n    <Explanation>\n" in response:
        response = response.split(marker)[1]
    else:
        response = response.split(marker)[-1]
    return response.replace("</s>", "").replace("<unk>", "")


def section(text, name):
    found = re.search(r"\[" + re.escape(name) + r"\]:\s*(.*?)(?:\n\s*\n|\Z)", text, re.DOTALL)
    return None if found is None else found.group(1)


def error_counts(body):
    counts = [0] * 6
    if body is None or body.startswith("No"):
        return counts
    labels = "abcdef"
    found = re.findall(r"\([a-f]\) .*", body)
    if not found:
        labels = "123456"
        found = re.findall(r"\([1-6]\) .*", body)
    for item in sorted(found):
        for k, label in enumerate(labels):
            if item.startswith("(" + label + ") "):
                number = re.findall(r"(?<=: )\b\d+\b(?=\.)", item)
                if number:
                    counts[k] = int(number[0])
    return counts


def matched_count(body, multiline):
    if body is None or body.startswith("No"):
        return 0
    numbers = re.findall(r"^\b\d+\b(?=\.)", body, re.MULTILINE if multiline else 0)
    return int(numbers[0]) if numbers else 0


def judge(answer, multiline):
    content, truncated = strip_thinking(answer)
    if truncated:
        return {"error": "the judge's thinking was cut off before any answer"}
    text = clean(content)
    significant = error_counts(section(text, SECTIONS[0]))
    insignificant = error_counts(section(text, SECTIONS[1]))
    matched = matched_count(section(text, SECTIONS[2]), multiline)
    if max(significant + insignificant + [matched]) > LIMIT:
        return {"error": "the judge's answer has a count above 10^15"}
    score = 0 if matched == 0 else matched / (matched + sum(significant))
    return {"significant": significant, "insignificant": insignificant, "matched": matched,
            "score": float(score)}


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        answer = json.loads(line)["answer"]
        print(json.dumps({"green": judge(answer, False), "radeval": judge(answer, True)}))


if __name__ == "__main__":
    main()
