"""vertex_ai/ deployments (Gemini and Claude) behind the gateway: a throwaway service account
is exchanged for an access token at the mock's token endpoint, then the mock's Vertex routes answer."""


def test_vertex_gemini(client):
    completion = client.chat.completions.create(model="vertex-gemini", messages=[{"role": "user", "content": "hello vertex"}])
    assert completion.choices[0].message.content == "Echo: hello vertex"
    stream = client.chat.completions.create(model="vertex-gemini", messages=[{"role": "user", "content": "a b"}], stream=True)
    assert "".join(c.choices[0].delta.content or "" for c in stream if c.choices) == "Echo: a b"


def test_vertex_claude(client, anthropic_client):
    completion = client.chat.completions.create(model="vertex-claude", messages=[{"role": "user", "content": "hello claude on vertex"}])
    assert completion.choices[0].message.content == "Echo: hello claude on vertex"
    with anthropic_client.messages.stream(
        model="vertex-claude", max_tokens=32, messages=[{"role": "user", "content": "streamed via vertex"}],
    ) as stream:
        assert "".join(stream.text_stream) == "Echo: streamed via vertex"
