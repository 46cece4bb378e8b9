"""The property registry, its messages, and the check package's public surface."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import criteria_engine.check as check
from criteria_engine.check import PROPERTIES, property_names
from criteria_engine.messages import LANGUAGES, MESSAGES
from tests.common import ROOT


def test_properties_have_unique_kebab_case_names() -> None:
    names = property_names()
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", n) for n in names)
    assert {p.applies_to for p in PROPERTIES} <= {"rule", "titles"}


def test_every_property_speaks_both_languages() -> None:
    for prop in PROPERTIES:
        for key in (prop.title_key, prop.statement_key):
            assert set(MESSAGES[key]) == set(LANGUAGES), key


def test_every_message_key_the_checker_uses_exists() -> None:
    source = "".join(p.read_text(encoding="utf-8")
                     for p in (ROOT / "criteria_engine" / "check").glob("*.py"))
    literal = set(re.findall(r'"(check\.[a-z_.\-]+[a-z_])"', source))
    built = {f"check.{kind}.{name}" for kind, names in {
        "method": ("exact", "generated", "mixed"),
        "direction": ("higher", "lower"),
        "role": ("best", "fails", "passes", "before", "after", "record", "completed", "higher",
                 "lower"),
        "satisfiable": ("never_passes", "never_passes_generated", "always_passes",
                        "always_passes_generated", "title_impossible", "title_not_found"),
    }.items() for name in names}
    missing = sorted(key for key in literal | built if key not in MESSAGES)
    assert not missing


def test_public_names_are_sorted_and_exist() -> None:
    isort_style = sorted(check.__all__, key=lambda n: (not n.isupper(), not n[0].isupper(), n))
    assert check.__all__ == isort_style
    assert all(hasattr(check, name) for name in check.__all__)


def test_the_engine_does_not_need_hypothesis() -> None:
    code = "import sys, criteria_engine; assert 'hypothesis' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(ROOT))
