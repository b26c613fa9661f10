"""An anthropic/ deployment behind the gateway (the mock speaks Anthropic's Messages API and
refuses what the real API refuses): reached with the openai SDK, with the anthropic SDK, and as
the fallback of a failing OpenAI group."""
import base64
import time


def test_openai_sdk_completion(client):
    completion = client.chat.completions.create(
        model="claude-sonnet", messages=[{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hello claude"}],
        max_tokens=50, temperature=0.2, seed=4, n=1,
    )
    assert completion.choices[0].message.content == "Echo: hello claude"
    assert completion.choices[0].finish_reason == "stop"
    assert completion.usage.prompt_tokens > 0


def test_openai_sdk_stream(client):
    stream = client.chat.completions.create(
        model="claude-sonnet", messages=[{"role": "user", "content": "one two three"}], stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "Echo: one two three"
    assert len({c.id for c in chunks}) == 1
    # Anthropic's events carry no time: every chunk is stamped with the stream's start.
    assert len({c.created for c in chunks}) == 1 and abs(chunks[0].created - time.time()) < 120
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens > 0


def test_openai_sdk_tools_round_trip(client):
    tools = [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}]
    first = client.chat.completions.create(
        model="claude-sonnet", messages=[{"role": "user", "content": "Weather in Paris?"}], tools=tools, tool_choice="required",
    )
    call = first.choices[0].message.tool_calls[0]
    assert call.function.name == "get_weather"
    assert first.choices[0].finish_reason == "tool_calls"
    follow = client.chat.completions.create(
        model="claude-sonnet", tools=tools,
        messages=[
            {"role": "user", "content": "Weather in Paris?"},
            {"role": "assistant", "content": None, "tool_calls": [call.model_dump()]},
            {"role": "tool", "tool_call_id": call.id, "content": "18C"},
            {"role": "user", "content": "thanks"},
        ],
    )
    assert follow.choices[0].message.content == "Echo: thanks"


def test_openai_sdk_streamed_tools(client):
    stream = client.chat.completions.create(
        model="claude-sonnet", messages=[{"role": "user", "content": "look it up"}], stream=True,
        tools=[{"type": "function", "function": {"name": "lookup", "parameters": {"type": "object", "properties": {}}}}],
        tool_choice={"type": "function", "function": {"name": "lookup"}},
    )
    calls = [tc for c in stream if c.choices for tc in (c.choices[0].delta.tool_calls or [])]
    assert calls[0].function.name == "lookup"
    assert {tc.index for tc in calls} == {0}


def test_openai_sdk_image(client):
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n fake").decode()
    completion = client.chat.completions.create(
        model="claude-sonnet",
        messages=[{"role": "user", "content": [
            {"type": "text", "text": "describe"},
            {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{png}"}},
            {"type": "image_url", "image_url": {"url": "https://example.com/cat.jpg"}},
        ]}],
    )
    assert completion.choices[0].message.content == "Echo: describe"


def test_fallback_from_openai_to_claude_while_streaming(client):
    raw = client.chat.completions.with_raw_response.create(
        model="gpt-4o-down", messages=[{"role": "user", "content": "rescued by claude"}], stream=True,
    )
    assert raw.headers["x-litellm-model-group"] == "claude-sonnet"
    assert raw.headers["x-litellm-attempted-fallbacks"] == "1"
    text = "".join(c.choices[0].delta.content or "" for c in raw.parse() if c.choices)
    assert text == "Echo: rescued by claude"


def test_anthropic_sdk_to_anthropic_deployment(anthropic_client):
    message = anthropic_client.messages.create(
        model="claude-sonnet", max_tokens=64, system="Be brief.",
        messages=[{"role": "user", "content": "native"}],
    )
    assert message.content[0].text == "Echo: native"
    with anthropic_client.messages.stream(
        model="claude-sonnet", max_tokens=64, messages=[{"role": "user", "content": "native stream"}],
    ) as stream:
        assert "".join(stream.text_stream) == "Echo: native stream"
    tool = anthropic_client.messages.create(
        model="claude-sonnet", max_tokens=64, tool_choice={"type": "any"},
        tools=[{"name": "get_weather", "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}}],
        messages=[{"role": "user", "content": "Weather?"}],
    )
    assert tool.stop_reason == "tool_use"
    assert tool.content[-1].name == "get_weather"
