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


def anthropic_message() -> dict:
    """The fixture's answer as an Anthropic Messages API message (for the translated case)."""
    answer = completion()
    usage = answer.get("usage", {})
    return {
        "id": "msg_bench0000000000000000000001", "type": "message", "role": "assistant",
        "model": "claude-sonnet-4-5-20250929",
        "content": [{"type": "text", "text": answer["choices"][0]["message"]["content"]}],
        "stop_reason": "end_turn", "stop_sequence": None,
        "usage": {"input_tokens": usage.get("prompt_tokens", 0), "output_tokens": usage.get("completion_tokens", 0)},
    }


def anthropic_stream_events(n_content_chunks: int = 18) -> list:
    """The same answer as Anthropic's event stream: message_start, a text block with N deltas,
    message_delta with usage, message_stop."""
    message = anthropic_message()
    text = message["content"][0]["text"]
    words = text.split(" ")
    n = min(n_content_chunks, len(words))
    bounds = [round(i * len(words) / n) for i in range(n + 1)]
    pieces = [(" " if i else "") + " ".join(words[bounds[i]:bounds[i + 1]]) for i in range(n)]

    def event(name, data):
        return "event: " + name + "\ndata: " + json.dumps(data, separators=(",", ":")) + "\n\n"

    start = dict(message, content=[], stop_reason=None, usage={"input_tokens": message["usage"]["input_tokens"], "output_tokens": 1})
    events = [event("message_start", {"type": "message_start", "message": start})]
    events.append(event("content_block_start", {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}))
    events += [event("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": p}}) for p in pieces]
    events.append(event("content_block_stop", {"type": "content_block_stop", "index": 0}))
    events.append(event("message_delta", {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                                          "usage": {"output_tokens": message["usage"]["output_tokens"]}}))
    events.append(event("message_stop", {"type": "message_stop"}))
    return events
