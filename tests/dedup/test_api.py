"""The dedup package's public names and its messages."""

from __future__ import annotations

import re

import criteria_engine.dedup as dedup
from criteria_engine.messages import MESSAGES


def test_exported_names_are_sorted_and_exist() -> None:
    assert dedup.__all__ == sorted(dedup.__all__, key=lambda n: (not n.isupper(), n))
    for name in dedup.__all__:
        assert hasattr(dedup, name), name


def test_every_dedup_message_has_both_languages_with_the_same_fields() -> None:
    keys = [k for k in MESSAGES if k.startswith("dedup.")]
    assert len(keys) > 40
    for key in keys:
        texts = MESSAGES[key]
        assert set(texts) == {"vi", "en"}, key
        fields = {lang: set(re.findall(r"{(\w+)}", text)) for lang, text in texts.items()}
        assert fields["vi"] == fields["en"], key


def test_relations_have_names_and_title_sentences() -> None:
    for relation in dedup.RELATIONS:
        assert f"dedup.relation.{relation}" in MESSAGES
        assert f"dedup.title.{relation}" in MESSAGES
