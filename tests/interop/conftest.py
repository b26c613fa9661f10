"""Shared fixtures: the gateway and mock upstream are started by scripts/interop, which passes
their addresses in the environment."""
import os
import socket
import time

import openai
import pytest

GATEWAY = os.environ["GATEWAY_URL"]          # e.g. http://127.0.0.1:PORT
MASTER_KEY = os.environ.get("GATEWAY_KEY", "sk-interop-master")


@pytest.fixture
def client():
    return openai.OpenAI(base_url=GATEWAY + "/v1", api_key=MASTER_KEY, max_retries=0, timeout=30)


@pytest.fixture
def async_client():
    return openai.AsyncOpenAI(base_url=GATEWAY + "/v1", api_key=MASTER_KEY, max_retries=0, timeout=60)


@pytest.fixture
def anthropic_client():
    import anthropic
    return anthropic.Anthropic(base_url=GATEWAY, api_key=MASTER_KEY, max_retries=0, timeout=30)


# Helpers for tests that start their own gateway process (test_operations.py).

BIN = os.environ.get("SWITCHYARD_BIN", "")
MOCK_URL = os.environ.get("MOCK_URL", "")       # the shared mock upstream, e.g. http://127.0.0.1:PORT


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False
