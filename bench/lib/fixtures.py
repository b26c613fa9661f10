#!/usr/bin/env python3
"""The bench's fixed answers, built from fixtures/chat_completion.json.

    python3 bench/lib/fixtures.py          # rewrite fixtures/chat_stream.sse from chat_completion.json
    python3 bench/lib/fixtures.py --check  # exit 1 if the committed file is out of date

fixtures/chat_stream.sse is what the mock upstream serves for a streamed request, byte for byte,
and what the Swift micro-benchmarks (Benchmarks/) parse: a role chunk, 18 content chunks whose
deltas join to the fixture's message content, a finish chunk and `data: [DONE]` (21 events).
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.normpath(os.path.join(HERE, "..", "fixtures"))
COMPLETION = os.path.join(FIXTURES, "chat_completion.json")
STREAM = os.path.join(FIXTURES, "chat_stream.sse")


def completion() -> dict:
    with open(COMPLETION) as f:
        return json.load(f)


def sse_events(answer: dict, n_content_chunks: int = 18) -> list:
    """Role chunk, N content chunks of near-equal word counts (spaces kept), finish chunk, [DONE]."""
    content = answer["choices"][0]["message"]["content"]
    words = content.split(" ")
    n = min(n_content_chunks, len(words))
    bounds = [round(i * len(words) / n) for i in range(n + 1)]
    pieces = [(" " if i else "") + " ".join(words[bounds[i]:bounds[i + 1]]) for i in range(n)]
    base = {
        "id": answer["id"],
        "object": "chat.completion.chunk",
        "created": answer["created"],
        "model": answer["model"],
        "service_tier": "default",
        "system_fingerprint": answer["system_fingerprint"],
    }

    def chunk(delta, finish=None):
        obj = dict(base)
        obj["choices"] = [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]
        return "data: " + json.dumps(obj, separators=(",", ":")) + "\n\n"

    events = [chunk({"role": "assistant", "content": "", "refusal": None})]
    events += [chunk({"content": p}) for p in pieces]
    events.append(chunk({}, "stop"))
    events.append("data: [DONE]\n\n")
    return events


def stream_events() -> list:
    """The committed stream, split into its events (each ending in a blank line)."""
    with open(STREAM, encoding="utf-8") as f:
        text = f.read()
    return [e + "\n\n" for e in text.split("\n\n") if e]


def main(argv):
    want = "".join(sse_events(completion()))
    if "--check" in argv:
        with open(STREAM, encoding="utf-8") as f:
            if f.read() != want:
                sys.exit(f"{STREAM} is out of date: run python3 bench/lib/fixtures.py")
        return
    with open(STREAM, "w", encoding="utf-8") as f:
        f.write(want)
    print(f"wrote {STREAM}: {len(sse_events(completion()))} events, {len(want.encode())} bytes")


if __name__ == "__main__":
    main(sys.argv[1:])
