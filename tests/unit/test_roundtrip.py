"""Loading a rule file and writing it back gives the same rule (issue: re-serialising)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from criteria_engine.rules import RuleFile, dump_rule_text, parse_rule_file, parse_rule_text
from criteria_engine.sources import SourceText
from tests.common import CRITERIA


def _reload(model: RuleFile) -> RuleFile:
    text = dump_rule_text(model)
    return parse_rule_text(SourceText(path="<dump>", raw=text.encode(), text=text,
                                      nfd_lines=())).model


@pytest.mark.parametrize("path", sorted(CRITERIA.glob("*/*.yaml")), ids=lambda p: p.parent.name)
def test_every_shipped_rule_round_trips(path: Path) -> None:
    model = parse_rule_file(path).model
    assert _reload(model) == model


@given(value=st.decimals(allow_nan=False, allow_infinity=False, places=None)
       .filter(lambda d: abs(d.adjusted()) < 300))
def test_param_values_round_trip_exactly(value: Decimal) -> None:
    model = parse_rule_file(CRITERIA / "lao-dong-tien-tien" / "2024.1.yaml").model
    params = {**model.params, "probe": model.params[next(iter(model.params))]
              .model_copy(update={"value": value})}
    revised = model.model_copy(update={"params": params})
    reloaded = _reload(revised)
    assert reloaded.params["probe"].value == value
    assert str(reloaded.params["probe"].value) == str(value) or value == 0
