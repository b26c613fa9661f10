"""Process-level behaviour: SIGHUP reload, graceful drain on SIGTERM, check-config. Each test
starts its own gateway process and stops it by process id."""
import os
import signal
import socket
import subprocess
import threading
import time

import httpx
import pytest

BIN = os.environ["SWITCHYARD_BIN"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def config(groups, delay=None):
    lines = ["model_list:"]
    for group in groups:
        lines += [f"  - model_name: {group}", "    litellm_params:", f"      model: mock/{group}"]
        if delay:
            lines.append(f"      mock_delay: {delay}")
    return "\n".join(lines) + "\n"


class Gateway:
    def __init__(self, path, port):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [BIN, "serve", "--config", str(path), "--host", "127.0.0.1", "--port", str(port), "--drain-timeout", "10"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                if httpx.get(self.url + "/health/liveliness").status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("gateway did not start")

    def models(self):
        return [m["id"] for m in httpx.get(self.url + "/v1/models").json()["data"]]

    def stop(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def gateway_factory(tmp_path):
    started = []

    def start(text):
        path = tmp_path / "config.yaml"
        path.write_text(text)
        gateway = Gateway(path, free_port())
        gateway.config_path = path
        started.append(gateway)
        return gateway

    yield start
    for gateway in started:
        gateway.stop()


def wait_until(predicate, timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_sighup_reloads_and_keeps_old_config_when_new_one_is_invalid(gateway_factory):
    gateway = gateway_factory(config(["first"]))
    assert gateway.models() == ["first"]
    gateway.config_path.write_text(config(["second", "third"]))
    os.kill(gateway.process.pid, signal.SIGHUP)
    assert wait_until(lambda: gateway.models() == ["second", "third"])
    gateway.config_path.write_text("model_list: [ this is: not valid yaml")
    os.kill(gateway.process.pid, signal.SIGHUP)
    time.sleep(0.5)
    assert gateway.process.poll() is None, "an invalid config must not stop the gateway"
    assert gateway.models() == ["second", "third"]
    answer = httpx.post(gateway.url + "/v1/chat/completions", json={"model": "third", "messages": [{"role": "user", "content": "still here"}]})
    assert answer.json()["choices"][0]["message"]["content"] == "Echo: still here"


def test_sigterm_drains_in_flight_requests_then_exits_zero(gateway_factory):
    gateway = gateway_factory(config(["slow"], delay=1.5))
    result = {}

    def call():
        result["response"] = httpx.post(
            gateway.url + "/v1/chat/completions", json={"model": "slow", "messages": [{"role": "user", "content": "finish me"}]}, timeout=20
        )

    thread = threading.Thread(target=call)
    thread.start()
    time.sleep(0.4)
    os.kill(gateway.process.pid, signal.SIGTERM)
    thread.join(timeout=20)
    assert result["response"].status_code == 200
    assert result["response"].json()["choices"][0]["message"]["content"] == "Echo: finish me"
    assert gateway.process.wait(timeout=15) == 0
    with pytest.raises(httpx.TransportError):
        httpx.get(gateway.url + "/health/liveliness", timeout=2)


def test_check_config_reports_paths_and_exit_codes(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("model_list:\n  - model_name: a\n    litellm_params:\n      rpm: many\n")
    run = subprocess.run([BIN, "check-config", str(bad)], capture_output=True, text=True)
    assert run.returncode != 0
    assert "model_list[0].litellm_params.model: missing" in run.stdout
    assert "model_list[0].litellm_params.rpm: expected an integer" in run.stdout
    good = tmp_path / "good.yaml"
    good.write_text(config(["a"]) + "litellm_settings:\n  success_callback: [langfuse]\n")
    run = subprocess.run([BIN, "check-config", str(good)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout
    assert "litellm_settings.success_callback: not implemented yet" in run.stdout


def test_version():
    run = subprocess.run([BIN, "--version"], capture_output=True, text=True)
    assert run.returncode == 0 and run.stdout.strip()
