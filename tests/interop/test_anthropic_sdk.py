"""The official anthropic SDK against the gateway's /v1/messages, answered by an OpenAI-dialect
deployment (the mock upstream): the request and the answer are translated both ways."""
import anthropic
import pytest


def test_message(anthropic_client):
    message = anthropic_client.messages.create(
        model="gpt-4o-mini", max_tokens=64, system="Be brief.",
        messages=[{"role": "user", "content": "hello from anthropic"}],
    )
    assert message.type == "message"
    assert message.role == "assistant"
    assert message.id.startswith("msg_")
    assert message.content[0].type == "text"
    assert message.content[0].text == "Echo: hello from anthropic"
    assert message.stop_reason == "end_turn"
    assert message.usage.input_tokens > 0 and message.usage.output_tokens > 0


def test_message_with_raw_response_headers(anthropic_client):
    raw = anthropic_client.messages.with_raw_response.create(
        model="gpt-4o-mini", max_tokens=16, messages=[{"role": "user", "content": "hi"}],
    )
    assert raw.headers["x-litellm-model-group"] == "gpt-4o-mini"
    assert raw.parse().content[0].text == "Echo: hi"


def test_stream(anthropic_client):
    with anthropic_client.messages.stream(
        model="gpt-4o-mini", max_tokens=64, messages=[{"role": "user", "content": "one two three"}],
    ) as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    assert text == "Echo: one two three"
    assert final.stop_reason == "end_turn"
    assert final.content[0].text == text


def test_tools(anthropic_client):
    message = anthropic_client.messages.create(
        model="gpt-4o-mini", max_tokens=64,
        tools=[{"name": "get_weather", "description": "Weather for a city",
                "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}}],
        tool_choice={"type": "any"},
        messages=[{"role": "user", "content": "Weather in Paris?"}],
    )
    assert message.stop_reason == "tool_use"
    block = next(b for b in message.content if b.type == "tool_use")
    assert block.name == "get_weather"
    assert isinstance(block.input, dict)
    # The tool result goes back in the next turn, as Claude Code sends it.
    follow = anthropic_client.messages.create(
        model="gpt-4o-mini", max_tokens=64,
        tools=[{"name": "get_weather", "input_schema": {"type": "object"}}],
        messages=[
            {"role": "user", "content": "Weather in Paris?"},
            {"role": "assistant", "content": [{"type": "tool_use", "id": block.id, "name": "get_weather", "input": {}}]},
            {"role": "user", "content": [{"type": "tool_result", "tool_use_id": block.id, "content": "18C"}, {"type": "text", "text": "thanks"}]},
        ],
    )
    assert follow.content[0].text == "Echo: thanks"


def test_streamed_tools(anthropic_client):
    with anthropic_client.messages.stream(
        model="gpt-4o-mini", max_tokens=64,
        tools=[{"name": "lookup", "input_schema": {"type": "object", "properties": {}}}],
        tool_choice={"type": "tool", "name": "lookup"},
        messages=[{"role": "user", "content": "look it up"}],
    ) as stream:
        final = stream.get_final_message()
    assert final.stop_reason == "tool_use"
    assert [b.type for b in final.content if b.type == "tool_use"] == ["tool_use"]
    assert final.content[-1].name == "lookup"


def test_fallback_from_a_failing_group(anthropic_client):
    message = anthropic_client.messages.create(
        model="broken", max_tokens=16, messages=[{"role": "user", "content": "rescued"}],
    )
    assert message.content[0].text == "Echo: rescued"


def test_errors_are_anthropic_errors(anthropic_client):
    import os
    bad = anthropic.Anthropic(base_url=os.environ["GATEWAY_URL"], api_key="sk-wrong", max_retries=0)
    with pytest.raises(anthropic.AuthenticationError) as auth:
        bad.messages.create(model="gpt-4o-mini", max_tokens=8, messages=[{"role": "user", "content": "hi"}])
    assert auth.value.body["error"]["type"] == "authentication_error"
    with pytest.raises(anthropic.BadRequestError) as unknown:
        anthropic_client.messages.create(model="no-such-model", max_tokens=8, messages=[{"role": "user", "content": "hi"}])
    assert unknown.value.body["type"] == "error"
    assert "no-such-model" in unknown.value.body["error"]["message"]


def test_stream_dying_midway_raises(anthropic_client):
    received = []
    with pytest.raises(anthropic.APIError):
        with anthropic_client.messages.stream(
            model="dies", max_tokens=64, messages=[{"role": "user", "content": "one two three four five six"}],
        ) as stream:
            for text in stream.text_stream:
                received.append(text)
    assert "".join(received) == "Echo: one "


def test_count_tokens(anthropic_client):
    short = anthropic_client.messages.count_tokens(model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}])
    long = anthropic_client.messages.count_tokens(
        model="gpt-4o-mini", system="You are a careful assistant.",
        messages=[{"role": "user", "content": "Tell me about the history of the Roman empire, in detail please."}],
    )
    assert 0 < short.input_tokens < long.input_tokens
