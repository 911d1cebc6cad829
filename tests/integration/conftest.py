"""Shared pytest fixtures: one booted RayOS per test module (`rayos`), fresh
machines for tests that change or end the system (`machine_factory`)."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from rayos_qemu import LINUX_KERNEL, Machine  # noqa: E402


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "rayos_only: needs the RayOS kernel itself; skipped when "
        "RAYOS_TEST_LINUX runs the user programs on a Linux kernel")


def pytest_collection_modifyitems(config, items):
    if not LINUX_KERNEL:
        return
    skip = pytest.mark.skip(reason="RAYOS_TEST_LINUX: needs the RayOS kernel")
    for item in items:
        if "rayos_only" in item.keywords:
            item.add_marker(skip)


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
