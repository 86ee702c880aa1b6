"""docs/COMMANDS.md is generated from the registry and must match it."""

from fakeredis import command_docs, registry


def test_commands_doc_is_up_to_date():
    expected = command_docs.markdown(registry.load_all())
    assert command_docs.DOC_PATH.read_text(encoding="utf-8") == expected, (
        "run: python -m fakeredis.command_docs")


def test_every_registered_command_is_listed():
    text = command_docs.DOC_PATH.read_text(encoding="utf-8")
    for cmd in registry.iter_commands(registry.load_all()):
        assert f"| `{cmd.name.upper()}` |" in text
