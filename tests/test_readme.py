"""Every Python example in the README runs and its assertions hold."""

import pathlib
import re

import pytest

import fakeredis

README = pathlib.Path(__file__).resolve().parent.parent / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


@pytest.mark.parametrize("source", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_readme_example(source):
    namespace: dict = {}
    exec(compile(source, str(README), "exec"), namespace)
    tests = [f for name, f in namespace.items() if name.startswith("test_") and callable(f)]
    for test in tests:  # an example pytest test: run it as pytest would, with patch_redis
        with fakeredis.patch() as server:
            test(server)


def test_readme_has_examples():
    assert len(BLOCKS) >= 6
