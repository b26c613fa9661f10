"""The official openai SDK against a gemini/ deployment: the gateway translates to Gemini's
generateContent dialect (the mock upstream speaks it, strictly) and back."""
import base64


def test_completion(client):
    completion = client.chat.completions.create(
        model="gemini-flash", messages=[{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hello gemini"}],
    )
    assert completion.choices[0].message.content == "Echo: hello gemini"
    assert completion.choices[0].finish_reason == "stop"
    assert completion.usage.prompt_tokens > 0 and completion.usage.completion_tokens > 0


def test_stream(client):
    stream = client.chat.completions.create(
        model="gemini-flash", messages=[{"role": "user", "content": "one two three"}], stream=True,
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "Echo: one two three"
    assert len({c.id for c in chunks}) == 1
    assert [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason] == ["stop"]


def test_tools(client):
    tools = [{"type": "function", "function": {
        "name": "get_weather", "description": "Weather for a city",
        "parameters": {"type": "object", "additionalProperties": False, "properties": {"city": {"type": "string"}}, "required": ["city"]},
    }}]
    completion = client.chat.completions.create(
        model="gemini-flash", messages=[{"role": "user", "content": "Weather in Paris?"}], tools=tools, tool_choice="required",
    )
    call = completion.choices[0].message.tool_calls[0]
    assert call.function.name == "get_weather"
    assert completion.choices[0].finish_reason == "tool_calls"
    # The answer goes back as a tool message, which becomes a functionResponse.
    follow = client.chat.completions.create(
        model="gemini-flash", tools=tools,
        messages=[
            {"role": "user", "content": "Weather in Paris?"},
            {"role": "assistant", "content": None, "tool_calls": [call.model_dump()]},
            {"role": "tool", "tool_call_id": call.id, "content": '{"temp": 18}'},
            {"role": "user", "content": "thanks"},
        ],
    )
    assert follow.choices[0].message.content == "Echo: thanks"


def test_image(client):
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n fake").decode()
    completion = client.chat.completions.create(
        model="gemini-flash",
        messages=[{"role": "user", "content": [
            {"type": "text", "text": "what is this"},
            {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{png}"}},
        ]}],
    )
    assert completion.choices[0].message.content == "Echo: what is this"


def test_safety_block_falls_back(client):
    raw = client.chat.completions.with_raw_response.create(
        model="gemini-blocked", messages=[{"role": "user", "content": "rescued"}],
    )
    assert raw.parse().choices[0].message.content == "Echo: rescued"
    assert raw.headers["x-litellm-model-group"] == "gpt-4o-mini"



def test_embeddings(client):
    result = client.embeddings.create(model="gemini-embedding", input=["first text", "second text"], dimensions=16)
    assert [d.index for d in result.data] == [0, 1]
    assert all(len(d.embedding) == 16 for d in result.data)
    assert result.data[0].embedding != result.data[1].embedding
