"""The official openai SDK against the running gateway: the clients users actually run."""
import asyncio
import base64
import struct

import httpx
import openai
import pytest

from conftest import GATEWAY, MASTER_KEY


def test_chat(client):
    response = client.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hello"}]
    )
    assert response.choices[0].message.content == "Echo: Hello"
    assert response.choices[0].finish_reason == "stop"
    assert response.object == "chat.completion"
    assert response.usage.total_tokens == response.usage.prompt_tokens + response.usage.completion_tokens


def test_chat_headers(client):
    raw = client.chat.completions.with_raw_response.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}])
    headers = raw.headers
    assert headers["x-litellm-model-group"] == "gpt-4o-mini"
    assert len(headers["x-litellm-model-id"]) == 64
    assert headers["x-litellm-model-api-base"].endswith("/v1")
    assert headers["x-litellm-attempted-retries"] == "0"
    assert headers["x-litellm-attempted-fallbacks"] == "0"
    assert float(headers["x-litellm-response-duration-ms"]) >= float(headers["x-litellm-overhead-duration-ms"]) >= 0
    assert headers["x-request-id"] == headers["x-litellm-call-id"]
    assert raw.parse().choices[0].message.content == "Echo: hi"


def test_client_request_id_is_echoed(client):
    raw = client.chat.completions.with_raw_response.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}], extra_headers={"x-request-id": "req-abc-123"}
    )
    assert raw.headers["x-request-id"] == "req-abc-123"


def test_streaming_without_usage(client):
    stream = client.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "stream these words"}], stream=True
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "Echo: stream these words"
    assert all(c.usage is None for c in chunks)
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert len({c.id for c in chunks}) == 1


def test_streaming_with_usage(client):
    stream = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": "count tokens"}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    last = chunks[-1]
    assert last.choices == []
    assert last.usage is not None and last.usage.completion_tokens > 0
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "Echo: count tokens"


def test_tools_pass_through(client):
    tools = [{
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "Weather for a city",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
        },
    }]
    response = client.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "Weather in Paris?"}], tools=tools, tool_choice="required"
    )
    choice = response.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert choice.message.tool_calls[0].function.name == "get_weather"
    assert choice.message.tool_calls[0].id.startswith("call_")


def test_tools_streamed(client):
    tools = [{"type": "function", "function": {"name": "lookup", "parameters": {"type": "object", "properties": {}}}}]
    stream = client.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "look it up"}], tools=tools,
        tool_choice={"type": "function", "function": {"name": "lookup"}}, stream=True,
    )
    calls = [tc for c in stream if c.choices for tc in (c.choices[0].delta.tool_calls or [])]
    assert calls[0].function.name == "lookup" and calls[0].index == 0


def test_embeddings_float(client):
    response = client.embeddings.create(model="text-embedding-3-small", input=["alpha", "beta"], encoding_format="float")
    assert [d.index for d in response.data] == [0, 1]
    assert len(response.data[0].embedding) == 8
    assert response.usage.prompt_tokens > 0


def test_embeddings_base64(client):
    # The SDK asks for base64 by default and decodes it; also check the raw wire form.
    decoded = client.embeddings.create(model="text-embedding-3-small", input="alpha", dimensions=16)
    assert len(decoded.data[0].embedding) == 16
    raw = httpx.post(
        GATEWAY + "/v1/embeddings",
        headers={"Authorization": f"Bearer {MASTER_KEY}"},
        json={"model": "text-embedding-3-small", "input": "alpha", "encoding_format": "base64", "dimensions": 16},
    ).json()
    values = struct.unpack("<16f", base64.b64decode(raw["data"][0]["embedding"]))
    assert [round(v, 5) for v in values] == [round(v, 5) for v in decoded.data[0].embedding]


def test_model_list(client):
    ids = [m.id for m in client.models.list()]
    assert ids[:2] == ["gpt-4o-mini", "text-embedding-3-small"]
    assert "broken" in ids and "flaky" in ids
    assert client.models.retrieve("gpt-4o-mini").id == "gpt-4o-mini"
    with pytest.raises(openai.NotFoundError):
        client.models.retrieve("no-such-model")


def test_wrong_key_is_401():
    bad = openai.OpenAI(base_url=GATEWAY + "/v1", api_key="sk-wrong", max_retries=0)
    with pytest.raises(openai.AuthenticationError) as info:
        bad.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}])
    assert info.value.status_code == 401
    assert info.value.body["type"] == "authentication_error"


def test_missing_key_is_401_and_other_key_headers_work():
    response = httpx.post(GATEWAY + "/v1/chat/completions", json={"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "x"}]})
    assert response.status_code == 401
    assert "error" in response.json()
    for header in ("x-api-key", "api-key"):
        ok = httpx.post(
            GATEWAY + "/v1/chat/completions", headers={header: MASTER_KEY},
            json={"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "x"}]},
        )
        assert ok.status_code == 200, header


def test_fallback(client):
    raw = client.chat.completions.with_raw_response.create(model="broken", messages=[{"role": "user", "content": "fall back"}])
    assert raw.headers["x-litellm-attempted-fallbacks"] == "1"
    assert raw.headers["x-litellm-model-group"] == "gpt-4o-mini"
    assert raw.parse().choices[0].message.content == "Echo: fall back"


def test_retry(client):
    raw = client.chat.completions.with_raw_response.create(model="flaky", messages=[{"role": "user", "content": "again"}])
    assert raw.headers["x-litellm-attempted-retries"] == "1"
    assert raw.headers["x-litellm-attempted-fallbacks"] == "0"
    assert raw.parse().choices[0].message.content == "Echo: again"


def test_timeout_falls_back(client):
    raw = client.chat.completions.with_raw_response.create(model="slow", messages=[{"role": "user", "content": "quick"}])
    assert raw.headers["x-litellm-attempted-fallbacks"] == "1"
    assert raw.parse().choices[0].message.content == "Echo: quick"


def test_timeout_without_fallback_is_408(client):
    with pytest.raises(openai.APIStatusError) as info:
        client.chat.completions.create(model="slow-alone", messages=[{"role": "user", "content": "quick"}])
    assert info.value.status_code == 408
    assert "did not answer within" in info.value.message


def test_stream_dying_midway_raises(client):
    stream = client.chat.completions.create(
        model="dies", messages=[{"role": "user", "content": "one two three four five six"}], stream=True
    )
    received = []
    with pytest.raises(openai.APIError):
        for chunk in stream:
            if chunk.choices:
                received.append(chunk.choices[0].delta.content or "")
    assert "".join(received) == "Echo: one "


def test_unknown_model_is_400(client):
    with pytest.raises(openai.BadRequestError) as info:
        client.chat.completions.create(model="gpt-7", messages=[{"role": "user", "content": "hi"}])
    assert "gpt-7" in info.value.message


def test_missing_messages_is_400_naming_the_field(client):
    response = httpx.post(GATEWAY + "/v1/chat/completions", headers={"Authorization": f"Bearer {MASTER_KEY}"}, json={"model": "gpt-4o-mini"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["param"] == "messages" and "messages" in error["message"]


def test_malformed_json_is_400():
    response = httpx.post(
        GATEWAY + "/v1/chat/completions",
        headers={"Authorization": f"Bearer {MASTER_KEY}", "Content-Type": "application/json"},
        content=b'{"model": "gpt-4o-mini", "messages": [',
    )
    assert response.status_code == 400
    body = response.json()
    assert body["error"]["type"] == "invalid_request_error"
    assert "JSON" in body["error"]["message"]


def test_oversized_body_is_413(client):
    with pytest.raises(openai.APIStatusError) as info:
        client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "x" * (1024 * 1024 + 10)}])
    assert info.value.status_code == 413


def test_unknown_route_and_wrong_method():
    headers = {"Authorization": f"Bearer {MASTER_KEY}"}
    missing = httpx.get(GATEWAY + "/v1/nothing-here", headers=headers)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "404"
    wrong = httpx.get(GATEWAY + "/v1/chat/completions", headers=headers)
    assert wrong.status_code == 405 and "POST" in wrong.headers["allow"]


def test_health_endpoints():
    assert httpx.get(GATEWAY + "/health/liveliness").status_code == 200
    assert httpx.get(GATEWAY + "/health/liveness").status_code == 200
    assert httpx.get(GATEWAY + "/health/readiness").json()["status"] == "healthy"
    assert httpx.get(GATEWAY + "/health").status_code == 401
    report = httpx.get(GATEWAY + "/health", params={"model": "broken"}, headers={"Authorization": f"Bearer {MASTER_KEY}"}, timeout=30).json()
    assert report["unhealthy_count"] == 1 and report["healthy_count"] == 0


def test_azure_style_path():
    client = openai.AzureOpenAI(
        azure_endpoint=GATEWAY, api_key=MASTER_KEY, api_version="2024-10-21", max_retries=0
    )
    response = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "azure"}])
    assert response.choices[0].message.content == "Echo: azure"


def test_100_concurrent_requests_each_get_their_own_answer(async_client):
    async def one(i):
        response = await async_client.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": f"request number {i}"}]
        )
        return i, response.choices[0].message.content

    async def run():
        return await asyncio.gather(*(one(i) for i in range(100)))

    results = asyncio.run(run())
    assert len(results) == 100
    for i, content in results:
        assert content == f"Echo: request number {i}"
