"""Paths and helpers shared by the tests."""

import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CRITERIA = ROOT / "criteria"
EXAMPLES = ROOT / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


# --- English sentences in Vietnamese output (issue 8) ---
#: Common English words. Three of them in a row, outside paths, identifiers and quoted
#: or code spans, are an English sentence (or a piece of one) that escaped translation.
_WORDS = """
a about above after again all allowed an and another any are as at be been before being
below between but by can cannot character characters check column could data date dates
decimal did digits directory do does end enough error exceeds expected false fail failed
field file folder for format found from get given got greater had has have he her here
higher his how if in input integer into invalid is it its item items key keys large least
less limit line list long lower many mapping max maximum may mean min minimum missing more
most much must name names need needs no none not number object of on one only operation or
other our out over parse pass path please provided range record records required rule
rules run same see set short should small so some string such syntax than that the their
them then there these they this those time to too true try two type under unexpected
unknown up use valid value values version very was we were what when where which why will
with would you your zero
"""
ENGLISH_WORDS = frozenset(_WORDS.split())

_QUOTED = re.compile(r"`[^`\n]*`|'[^'\n]*'|\"[^\"\n]*\"|“[^”\n]*”|‘[^’\n]*’")
_EDGE = ",.;:!?()[]{}<>"


def english_sentences(text: str) -> list[str]:
    """The runs of three or more common English words in ``text``.

    Paths (anything with a slash), identifiers (underscores, hyphens, digits, dots
    inside) and quoted or ``code`` spans are skipped: they are names, not sentences.
    A Vietnamese word, a number or a line break ends a run, so Vietnamese that happens
    to contain "in", "to" or "do" never counts::

        >>> english_sentences("Lỗi: String should have at most 64 characters")
        ['String should have at most']
        >>> english_sentences("Đã ghi criteria/x/2024.1.yaml, 'the file is'")
        []
    """
    found: list[str] = []
    for line in text.splitlines():
        run: list[str] = []
        for raw in _QUOTED.sub(" | ", line).split():
            word = raw.strip(_EDGE)
            if word.isascii() and word.isalpha() and word.lower() in ENGLISH_WORDS:
                run.append(word)
                if raw[-1:] not in ".;:!?)":
                    continue
            if len(run) >= 3:
                found.append(" ".join(run))
            run = []
        if len(run) >= 3:
            found.append(" ".join(run))
    return found


def judge(rule: Any, facts: dict[str, Any], period: int) -> Any:
    """Bind ``facts`` as a record would be bound (absent = missing) and evaluate them."""
    from criteria_engine.errors import Location
    from criteria_engine.evaluator import evaluate
    from criteria_engine.nominees import Nominee, bind_facts

    nominee = Nominee(id="T-1", name="Người thử", subject=rule.model.subject, period=period,
                      facts=facts)
    bound = bind_facts(rule.model, nominee, Location(record="T-1"))
    return evaluate(rule, bound, nominee_id="T-1", period=period)


def results(decision: Any) -> dict[str, str]:
    """Each criterion's result by id."""
    return {criterion.id: criterion.result for criterion in decision.criteria}


# --- small rule files for tests of derived inputs and periods (issue 10) ---
_RULE_HEAD = """\
id: {rule_id}
version: "2025.1"
title: Thử {rule_id}
kind: danh_hieu_thi_dua
subject: {subject}
award_basis: cong_trang
effective: {{from: {start}}}
legal_basis:
  - {{instrument: "Luật Thi đua, khen thưởng số 06/2022/QH15", article: {article}}}
"""


def rule_text(rule_id: str, body: str, *, subject: str = "ca_nhan", start: str = "2025-07-01",
              article: int = 22) -> str:
    """A version 2025.1 rule file's text: a fixed head (id, title, subject, start date, one
    citation) and ``body`` (inputs, criteria …, dedented)."""
    import textwrap

    return _RULE_HEAD.format(rule_id=rule_id, subject=subject, start=start,
                             article=article) + textwrap.dedent(body)


def write_rule(root: Path, rule_id: str, body: str, **head: Any) -> Path:
    """:func:`rule_text` written as ``root/<rule_id>/2025.1.yaml`` (the library layout)."""
    folder = root / rule_id
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "2025.1.yaml"
    path.write_text(rule_text(rule_id, body, **head), encoding="utf-8")
    return path
