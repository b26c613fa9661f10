#!/usr/bin/env python3
"""Check one response body against the mock's fixed answer before any load is run.

usage: check_response.py nonstream|stream BODY_FILE [EXPECTED_CONTENT]
nonstream  a chat.completion whose message content is the fixture's
stream     SSE whose joined delta contents are the fixture's, ending with `data: [DONE]`
EXPECTED_CONTENT replaces the fixture's content (the slow mock echoes the prompt instead).
Exit 0 on a match, 1 with the reason on stderr otherwise.
"""
import json
import sys

import fixtures


def content_of(kind: str, text: str) -> str:
    if kind == "nonstream":
        return json.loads(text)["choices"][0]["message"]["content"]
    events = [e.strip() for e in text.replace("\r\n", "\n").split("\n\n") if e.strip()]
    datas = [line[5:].strip() for e in events for line in e.split("\n") if line.startswith("data:")]
    if not datas or datas[-1] != "[DONE]":
        sys.exit("stream does not end with data: [DONE]")
    got = ""
    for d in datas[:-1]:
        for choice in json.loads(d).get("choices", []):
            got += (choice.get("delta") or {}).get("content") or ""
    return got


def main(argv):
    kind, path = argv[0], argv[1]
    want = argv[2] if len(argv) > 2 else fixtures.completion()["choices"][0]["message"]["content"]
    with open(path, encoding="utf-8") as f:
        got = content_of(kind, f.read())
    if got != want:
        sys.exit(f"content mismatch: got {got[:200]!r}, want {want[:200]!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
