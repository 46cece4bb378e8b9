"""The message catalogue: every sentence in Vietnamese and English, with the same blanks."""

from __future__ import annotations

import string

import pytest

from criteria_engine.messages import LANGUAGES, MESSAGES, Bilingual, message


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_has_both_languages_with_the_same_placeholders(key: str) -> None:
    texts = MESSAGES[key]
    assert set(texts) == set(LANGUAGES)
    assert all(text.strip() for text in texts.values())
    assert placeholders(texts["vi"]) == placeholders(texts["en"])


def test_every_message_renders_when_its_placeholders_are_filled() -> None:
    for key, texts in MESSAGES.items():
        params = {name: f"<{name}>" for name in placeholders(texts["en"])}
        for lang in LANGUAGES:
            rendered = message(key, lang, **params)
            assert all(f"<{name}>" in rendered for name in params), (key, lang)


def test_bilingual_text_is_rendered_in_the_chosen_language() -> None:
    hint = Bilingual({"vi": "; có phải ý bạn là 'a'?", "en": "; did you mean 'a'?"})
    assert message("expr.unknown_name", "vi", name="b", hint=hint).endswith("là 'a'?")
    assert message("expr.unknown_name", "en", name="b", hint=hint).endswith("mean 'a'?")
    assert str(hint) == "; did you mean 'a'?"
