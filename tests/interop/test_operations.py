"""Operating the gateway: client disconnects, SIGINT, SWITCHYARD_CONFIG, open mode, JSON logs, the
README's quick start end to end, and the drain timeout. Each test starts its own gateway process
(stdout and stderr into one log file it reads), talks to it over HTTP, and stops it by process id."""
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import httpx
import openai
import pytest

from conftest import BIN, MOCK_URL, free_port, wait_until

ROOT = Path(__file__).resolve().parents[2]
KEY = "sk-ops-master"


def base_env(**extra):
    """The test's environment without the variables that choose a config or a master key."""
    env = {k: v for k, v in os.environ.items() if k not in ("SWITCHYARD_CONFIG", "LITELLM_MASTER_KEY")}
    env.update(extra)
    return env


class GatewayProcess:
    """`switchyard serve ARGS --port PORT`, its stdout and stderr in one file."""

    def __init__(self, args, log_path, env=None, cwd=None, host="127.0.0.1"):
        self.port = free_port()
        self.url = f"http://{host}:{self.port}"
        self.log_path = log_path
        self.log_file = open(log_path, "wb")
        self.process = subprocess.Popen(
            [BIN, "serve", *args, "--port", str(self.port)],
            stdout=self.log_file, stderr=subprocess.STDOUT, env=env if env is not None else base_env(), cwd=cwd,
        )
        self.pid = self.process.pid

        def up():
            try:
                return httpx.get(self.url + "/health/liveliness", timeout=2).status_code == 200
            except httpx.TransportError:
                return self.process.poll() is not None  # stop waiting for a process that died

        if not wait_until(up, timeout=20) or self.process.poll() is not None:
            self.stop()
            raise RuntimeError(f"gateway did not start:\n{self.log()}")

    def log(self):
        return Path(self.log_path).read_text(errors="replace")

    def lines(self):
        return [line for line in self.log().splitlines() if line.strip()]

    def stop(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.log_file.close()


@pytest.fixture
def start_gateway(tmp_path):
    started = []

    def start(config=None, args=None, **kwargs):
        arguments = list(args or [])
        if config is not None:
            path = tmp_path / f"config-{len(started)}.yaml"
            path.write_text(config)
            arguments = ["--config", str(path), *arguments]
        if "host" not in kwargs:
            arguments += ["--host", "127.0.0.1"]
        gateway = GatewayProcess(arguments, tmp_path / f"gateway-{len(started)}.log", **kwargs)
        started.append(gateway)
        return gateway

    yield start
    for gateway in started:
        gateway.stop()


def mock_config(groups, master_key=KEY, delay=None, extra=""):
    """Deployments on the in-process `mock/` provider."""
    lines = ["model_list:"]
    for group in groups:
        lines += [f"  - model_name: {group}", "    litellm_params:", f"      model: mock/{group}"]
        if delay:
            lines.append(f"      mock_delay: {delay}")
    if master_key:
        lines += ["general_settings:", f"  master_key: {master_key}"]
    return "\n".join(lines) + "\n" + extra


def chat(url, model, text, key=KEY, request_id=None, timeout=20):
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    if request_id:
        headers["x-request-id"] = request_id
    return httpx.post(
        url + "/v1/chat/completions", headers=headers, timeout=timeout,
        json={"model": model, "messages": [{"role": "user", "content": text}]},
    )


def upstream_connections(pid, port):
    """Established TCP connections the process `pid` holds to `port` on this host (Linux /proc)."""
    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:["):-1])
    count = 0
    for table in ("tcp", "tcp6"):
        try:
            rows = Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            remote_port = int(fields[2].rsplit(":", 1)[1], 16)
            if remote_port == port and fields[3] == "01" and fields[9] in inodes:  # 01: ESTABLISHED
                count += 1
    return count


# 1. A client that goes away mid-stream cancels the upstream call.

def test_client_disconnect_mid_stream_cancels_upstream_and_gateway_keeps_serving(start_gateway):
    mock_port = urlparse(MOCK_URL).port
    gateway = start_gateway(f"""\
model_list:
  - model_name: trickle
    litellm_params:
      model: openai/gpt-4o
      api_base: {MOCK_URL}/fault/chunk_delay_ms=300/v1
      api_key: sk-upstream
      num_retries: 0
  - model_name: quick
    litellm_params:
      model: openai/gpt-4o-mini
      api_base: {MOCK_URL}/v1
      api_key: sk-upstream
general_settings:
  master_key: {KEY}
""")
    observe_socket = os.path.exists(f"/proc/{gateway.pid}/net/tcp")
    words = " ".join(f"word{i}" for i in range(40))  # 42+ events, 300 ms apart: over 12 s in full
    client = openai.OpenAI(base_url=gateway.url + "/v1", api_key=KEY, max_retries=0, timeout=30)
    started = time.time()
    stream = client.chat.completions.create(
        model="trickle", messages=[{"role": "user", "content": words}], stream=True,
        extra_headers={"x-request-id": "gone-mid-stream"},
    )
    first = next(iter(stream))
    assert first.choices[0].delta.role == "assistant"
    if observe_socket:
        assert upstream_connections(gateway.pid, mock_port) == 1, "the stream's upstream connection is open"
    stream.close()   # the SDK closes the unfinished response's connection
    client.close()

    def request_line():
        return next((line for line in gateway.lines() if "gone-mid-stream" in line), None)

    assert wait_until(lambda: request_line() is not None, timeout=5), gateway.log()
    line = request_line()
    assert "client went away" in line
    assert "model_group=trickle" in line
    assert time.time() - started < 6, "the stream ended when the client left, not when the upstream finished"
    if observe_socket:
        # The gateway closed its connection to the mock upstream: the upstream call was cancelled.
        assert wait_until(lambda: upstream_connections(gateway.pid, mock_port) == 0, timeout=5)

    # The gateway still serves: a plain request, and a whole stream from the same slow deployment.
    answer = chat(gateway.url, "quick", "still serving")
    assert answer.status_code == 200
    assert answer.json()["choices"][0]["message"]["content"] == "Echo: still serving"
    client = openai.OpenAI(base_url=gateway.url + "/v1", api_key=KEY, max_retries=0, timeout=30)
    text = "".join(c.choices[0].delta.content or "" for c in client.chat.completions.create(
        model="trickle", messages=[{"role": "user", "content": "all of it"}], stream=True) if c.choices)
    assert text == "Echo: all of it"
    assert gateway.process.poll() is None


# 2. SIGINT drains and exits 0, as SIGTERM does.

def test_sigint_drains_in_flight_request_exits_zero_and_stops_listening(start_gateway):
    gateway = start_gateway(mock_config(["slow"], delay=1.5), args=["--drain-timeout", "10"])
    result = {}

    def call():
        result["response"] = chat(gateway.url, "slow", "finish me")

    thread = threading.Thread(target=call)
    thread.start()
    time.sleep(0.4)
    os.kill(gateway.pid, signal.SIGINT)
    thread.join(timeout=20)
    assert result["response"].status_code == 200
    assert result["response"].json()["choices"][0]["message"]["content"] == "Echo: finish me"
    assert gateway.process.wait(timeout=15) == 0
    with pytest.raises(httpx.TransportError):
        httpx.get(gateway.url + "/health/liveliness", timeout=2)
    assert "switchyard stopped" in gateway.log()


# 3. SWITCHYARD_CONFIG chooses the config when --config is not given.

def test_switchyard_config_env_var_is_served_without_config_flag(start_gateway, tmp_path):
    path = tmp_path / "from-env.yaml"
    path.write_text(mock_config(["from-env-var"]))
    gateway = start_gateway(env=base_env(SWITCHYARD_CONFIG=str(path)))
    assert "--config" not in gateway.process.args
    models = httpx.get(gateway.url + "/v1/models", headers={"Authorization": f"Bearer {KEY}"}).json()
    assert [m["id"] for m in models["data"]] == ["from-env-var"]
    answer = chat(gateway.url, "from-env-var", "via the environment")
    assert answer.status_code == 200
    assert answer.json()["choices"][0]["message"]["content"] == "Echo: via the environment"
    assert "built-in quick start" not in gateway.log()


def test_config_flag_wins_over_switchyard_config(start_gateway, tmp_path):
    other = tmp_path / "other.yaml"
    other.write_text(mock_config(["from-env-var"]))
    gateway = start_gateway(mock_config(["from-flag"]), env=base_env(SWITCHYARD_CONFIG=str(other)))
    models = httpx.get(gateway.url + "/v1/models", headers={"Authorization": f"Bearer {KEY}"}).json()
    assert [m["id"] for m in models["data"]] == ["from-flag"]


# 4. Open mode: no master key.

OPEN_WARNING = "NO MASTER KEY IS SET: anyone who can reach this port can use every model."


def test_open_mode_warns_loudly_and_accepts_requests_without_a_key(start_gateway):
    gateway = start_gateway(mock_config(["open"], master_key=None))
    warnings = [line for line in gateway.lines() if OPEN_WARNING in line]
    assert len(warnings) == 1, gateway.log()
    assert "warning" in warnings[0]
    answer = chat(gateway.url, "open", "no key at all", key=None)
    assert answer.status_code == 200
    assert answer.json()["choices"][0]["message"]["content"] == "Echo: no key at all"
    assert httpx.get(gateway.url + "/v1/models").status_code == 200
    anyone = openai.OpenAI(base_url=gateway.url + "/v1", api_key="sk-anything", max_retries=0, timeout=30)
    response = anyone.chat.completions.create(model="open", messages=[{"role": "user", "content": "any key"}])
    assert response.choices[0].message.content == "Echo: any key"


def test_litellm_master_key_env_var_closes_open_mode(start_gateway):
    gateway = start_gateway(mock_config(["guarded"], master_key=None), env=base_env(LITELLM_MASTER_KEY="sk-from-env"))
    assert OPEN_WARNING not in gateway.log()
    assert chat(gateway.url, "guarded", "no key", key=None).status_code == 401
    assert chat(gateway.url, "guarded", "env key", key="sk-from-env").status_code == 200


# 5. JSON logs: one JSON object a line; never keys or bodies.

JSON_MASTER = "sk-master-7b1e0c55d0a4e9"
JSON_UPSTREAM = "sk-upstream-3f9a2c81e6d7b5"
JSON_WRONG = "sk-wrong-5d2e8a14c9f0"
SECRET_TEXT = "my password is hunter2-c4n4ry-91d0"


def json_log_config(json_logs):
    return f"""\
model_list:
  - model_name: ok
    litellm_params:
      model: openai/gpt-4o-mini
      api_base: {MOCK_URL}/v1
      api_key: {JSON_UPSTREAM}
  - model_name: broken
    litellm_params:
      model: openai/gpt-4o
      api_base: {MOCK_URL}/fault/status=500/v1
      api_key: {JSON_UPSTREAM}
      num_retries: 0
  - model_name: embed
    litellm_params:
      model: openai/text-embedding-3-small
      api_base: {MOCK_URL}/v1
      api_key: {JSON_UPSTREAM}
    model_info:
      mode: embedding
router_settings:
  fallbacks:
    - broken: ["ok"]
general_settings:
  master_key: {JSON_MASTER}
  alerting: ["slack"]
""" + ("litellm_settings:\n  json_logs: true\n" if json_logs else "")


@pytest.mark.parametrize("how", ["--log-format json", "litellm_settings.json_logs"])
def test_json_logs_are_json_with_routing_fields_and_no_secrets(start_gateway, how):
    if how == "--log-format json":
        # At trace level too: the router's and the service lifecycle's own lines must not leak either.
        gateway = start_gateway(json_log_config(json_logs=False), args=["--log-format", "json", "--log-level", "trace"])
    else:
        gateway = start_gateway(json_log_config(json_logs=True))
    auth = {"Authorization": f"Bearer {JSON_MASTER}"}
    messages = [{"role": "user", "content": SECRET_TEXT}]
    responses = {}
    with httpx.Client(base_url=gateway.url, timeout=20) as http:
        responses["json-chat"] = http.post("/v1/chat/completions", headers={**auth, "x-request-id": "json-chat"},
                                           json={"model": "ok", "messages": messages})
        with http.stream("POST", "/v1/chat/completions", headers={**auth, "x-request-id": "json-stream"},
                         json={"model": "ok", "messages": messages, "stream": True}) as streamed:
            body = streamed.read().decode()
            responses["json-stream"] = streamed
        assert "data: [DONE]" in body
        responses["json-fallback"] = http.post("/v1/chat/completions", headers={**auth, "x-request-id": "json-fallback"},
                                               json={"model": "broken", "messages": messages})
        responses["json-embed"] = http.post("/v1/embeddings", headers={**auth, "x-request-id": "json-embed"},
                                            json={"model": "embed", "input": SECRET_TEXT})
        responses["json-unauth"] = http.post("/v1/chat/completions",
                                             headers={"Authorization": f"Bearer {JSON_WRONG}", "x-request-id": "json-unauth"},
                                             json={"model": "ok", "messages": messages})
        responses["json-unknown"] = http.post("/v1/chat/completions", headers={**auth, "x-request-id": "json-unknown"},
                                              json={"model": "no-such-group", "messages": messages})
    for request_id in ("json-chat", "json-stream", "json-fallback", "json-embed"):
        assert responses[request_id].status_code == 200, request_id
    assert responses["json-unauth"].status_code == 401
    assert responses["json-unknown"].status_code >= 400

    def records():
        parsed = []
        for line in gateway.lines():
            try:
                parsed.append(json.loads(line))
            except ValueError:
                pytest.fail(f"not a JSON line: {line!r}")
        return parsed

    assert wait_until(lambda: {"json-stream", "json-unknown"} <= {r.get("request_id") for r in records()}, timeout=5), gateway.log()
    # The config's warning (a key Switchyard does not implement) is a JSON record too, with its path.
    config_warnings = [r for r in records() if r.get("path") == "general_settings.alerting"]
    assert len(config_warnings) == 1 and config_warnings[0]["level"] == "warning", gateway.log()
    by_id = {}
    for record in records():
        assert isinstance(record, dict)
        assert {"ts", "level", "msg"} <= record.keys()
        if "request_id" in record:
            assert record["msg"] == "request"
            by_id[record["request_id"]] = record
    assert set(responses) <= set(by_id), by_id.keys()
    for request_id, response in responses.items():
        record = by_id[request_id]
        assert record["status"] == response.status_code, record  # a number, not a string
        assert float(record["duration_ms"]) >= 0
        if response.status_code == 200:
            assert record["model_group"] == response.headers["x-litellm-model-group"], record
            assert record["deployment"] == response.headers["x-litellm-model-id"], record
    assert by_id["json-fallback"]["model_group"] == "ok"
    assert by_id["json-fallback"]["fallbacks"] == 1
    assert by_id["json-embed"]["path"] == "/v1/embeddings"

    log = gateway.log()
    for secret in (JSON_MASTER, JSON_UPSTREAM, JSON_WRONG, SECRET_TEXT, "hunter2"):
        assert secret not in log, f"{secret!r} is in the log"


# 6. The README's quick start, end to end.

def readme_quick_start():
    """The quick start section: its first command, its curl request and the answer it shows."""
    section = (ROOT / "README.md").read_text().split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(\w*)\n(.*?)```", section, re.S)
    command = blocks[0][1].strip()
    curl = next(text for lang, text in blocks if lang == "sh" and text.lstrip().startswith("curl"))
    shown = next(text for lang, text in blocks if lang == "" and text.startswith("HTTP/"))
    python = next(text for lang, text in blocks if lang == "python")
    return command, curl, shown, python


@pytest.mark.parametrize("how", ["readme command", "no --config (built in)"])
def test_readme_quick_start_end_to_end(start_gateway, how):
    command, curl, shown, python = readme_quick_start()
    assert command.startswith("swift run switchyard serve ")
    args = command.split()[4:]            # after "swift run switchyard serve": ['--config', 'examples/quickstart.yaml']
    if how != "readme command":
        assert args == ["--config", "examples/quickstart.yaml"]
        args = []                         # the README: with no --config the same config runs, built in
    gateway = start_gateway(args=args, cwd=ROOT, host="localhost")   # default --host, a free --port

    # The README's curl request, as it is, on this port.
    url = re.search(r"curl -i (\S+)", curl).group(1).replace("localhost:4000", f"localhost:{gateway.port}")
    headers = dict(h.split(": ", 1) for h in re.findall(r'-H "([^"]+)"', curl))
    data = re.search(r"-d '([^']+)'", curl).group(1)
    response = httpx.post(url, headers=headers, content=data, timeout=20)

    status_line, *rest = shown.splitlines()
    assert response.status_code == int(status_line.split()[1])
    for line in rest:
        match = re.fullmatch(r"(x-[\w-]+): (.+)", line)
        if not match:
            continue
        name, value = match.groups()
        assert name in response.headers, name
        if name.endswith("duration-ms"):
            assert float(response.headers[name]) >= 0
        elif value.endswith("…"):
            assert response.headers[name].startswith(value[:-1]), (name, response.headers[name])
        else:
            assert response.headers[name] == value, name
    assert response.headers["x-litellm-attempted-fallbacks"] == "1"
    assert response.headers["x-litellm-model-group"] == "gpt-4o-mini"

    body = response.json()
    shown_body = json.loads(next(line for line in rest if line.startswith("{")).replace("{…}", "{}"))
    assert body["object"] == shown_body["object"] and body["model"] == shown_body["model"]
    assert body["choices"] == shown_body["choices"]
    assert body["id"].startswith("chatcmpl-")
    assert body["usage"]["total_tokens"] > 0

    # The README's Python example, run as it is against this port.
    script = python.replace("http://localhost:4000", f"http://localhost:{gateway.port}")
    assert script != python
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    first, second = run.stdout.splitlines()
    assert first == "1 Echo: Hello"
    assert second.startswith("Echo: Stream this[")
    embedding = json.loads(second[len("Echo: Stream this"):])
    assert len(embedding) == 3 and all(isinstance(v, float) for v in embedding)


# 7. The drain timeout: SIGTERM waits for what is in flight, but not longer than --drain-timeout.

def slow_stream_config(master_key=KEY):
    return f"""\
model_list:
  - model_name: trickle
    litellm_params:
      model: openai/gpt-4o
      api_base: {MOCK_URL}/fault/chunk_delay_ms=300/v1
      api_key: sk-upstream
      num_retries: 0
  - model_name: brisk
    litellm_params:
      model: openai/gpt-4o
      api_base: {MOCK_URL}/fault/chunk_delay_ms=100/v1
      api_key: sk-upstream
  - model_name: lagging
    litellm_params:
      model: openai/gpt-4o-mini
      api_base: {MOCK_URL}/fault/latency_ms=500/v1
      api_key: sk-upstream
general_settings:
  master_key: {master_key}
"""


class StreamReader(threading.Thread):
    """Reads a streamed chat completion line by line in the background: `lines` as they arrive,
    `first_data` set at the first `data:` line, `ended_at` when the stream ended (cleanly or not)."""

    def __init__(self, url, model, text):
        super().__init__(daemon=True)
        self.url, self.model, self.text = url, model, text
        self.lines, self.error, self.ended_at, self.status = [], None, None, None
        self.first_data = threading.Event()

    def run(self):
        try:
            with httpx.stream("POST", self.url + "/v1/chat/completions", timeout=30,
                              headers={"Authorization": f"Bearer {KEY}"},
                              json={"model": self.model, "messages": [{"role": "user", "content": self.text}], "stream": True}) as response:
                self.status = response.status_code
                for line in response.iter_lines():
                    self.lines.append(line)
                    if line.startswith("data:"):
                        self.first_data.set()
        except httpx.TransportError as error:   # the connection closed mid-body
            self.error = error
        finally:
            self.ended_at = time.time()
            self.first_data.set()

    def data(self):
        return [line for line in self.lines if line.startswith("data:")]


def test_drain_timeout_ends_a_stream_still_running_and_exits_zero_in_time(start_gateway):
    gateway = start_gateway(slow_stream_config(), args=["--drain-timeout", "1"])
    words = " ".join(f"word{i}" for i in range(30))   # 32+ events, 300 ms apart: about 10 s in full
    reader = StreamReader(gateway.url, "trickle", words)
    reader.start()
    assert reader.first_data.wait(timeout=10) and reader.status == 200, (reader.status, reader.error, gateway.log())
    time.sleep(0.3)
    signalled = time.time()
    os.kill(gateway.pid, signal.SIGTERM)
    assert gateway.process.wait(timeout=8) == 0, gateway.log()
    exited = time.time() - signalled
    assert exited < 3, f"exited {exited:.1f} s after SIGTERM with --drain-timeout 1"
    reader.join(timeout=5)
    assert not reader.is_alive(), "the client's stream is still open after the gateway exited"
    assert reader.ended_at - signalled < 3.5, "the stream ended at the drain timeout, not when the upstream finished"
    data = reader.data()
    assert len(data) >= 2, reader.lines                        # it was under way ...
    assert "data: [DONE]" not in data, reader.lines             # ... and was cut, not finished
    assert not any("word29" in line for line in data), "the whole answer arrived: the stream was not cut"
    log = gateway.log()
    assert "drain timeout reached" in log, log
    assert "switchyard stopped" in log, log
    with pytest.raises(httpx.TransportError):
        httpx.get(gateway.url + "/health/liveliness", timeout=2)


def test_drain_lets_an_upstream_request_and_a_short_stream_in_flight_finish(start_gateway):
    gateway = start_gateway(slow_stream_config(), args=["--drain-timeout", "10"])
    result = {}

    def call():
        result["sent_at"] = time.time()
        result["response"] = chat(gateway.url, "lagging", "finish me too")   # the upstream waits 0.5 s
        result["done_at"] = time.time()

    plain = threading.Thread(target=call)
    stream = StreamReader(gateway.url, "brisk", "one two three four five six seven eight")   # about 1 s
    plain.start()
    stream.start()
    assert stream.first_data.wait(timeout=10), gateway.log()
    assert wait_until(lambda: "sent_at" in result, timeout=5)
    time.sleep(max(0.0, result["sent_at"] + 0.2 - time.time()))
    signalled = time.time()
    os.kill(gateway.pid, signal.SIGTERM)
    plain.join(timeout=15)
    stream.join(timeout=15)
    assert result["response"].status_code == 200, result["response"].text
    assert result["response"].json()["choices"][0]["message"]["content"] == "Echo: finish me too"
    assert result["done_at"] > signalled and stream.ended_at > signalled, "both were still in flight at SIGTERM"
    assert stream.error is None, stream.error
    assert stream.data()[-1] == "data: [DONE]", stream.lines
    text = "".join(
        json.loads(line[len("data: "):])["choices"][0]["delta"].get("content") or ""
        for line in stream.data()[:-1] if json.loads(line[len("data: "):]).get("choices")
    )
    assert text == "Echo: one two three four five six seven eight"
    assert gateway.process.wait(timeout=15) == 0, gateway.log()
    # It left as soon as both were done, not at the drain timeout.
    assert time.time() - signalled < 6
    assert "drain timeout reached" not in gateway.log()
