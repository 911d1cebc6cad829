"""Shared pytest fixtures: one booted RayOS per test module (`rayos`), fresh
machines for tests that change or end the system (`machine_factory`)."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from rayos_qemu import Machine  # noqa: E402


@pytest.fixture(scope="module")
def rayos():
    m = Machine()
    m.start()
    try:
        m.boot_to_prompt()
        yield m
    finally:
        log = m.log()
        m.close()
        if os.environ.get("RAYOS_TEST_LOG"):
            print(log[-4000:])


@pytest.fixture
def machine_factory():
    made = []

    def make(**kw):
        m = Machine(**kw)
        made.append(m)
        return m.start()

    yield make
    for m in made:
        m.close()
