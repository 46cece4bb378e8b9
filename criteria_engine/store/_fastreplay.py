"""What the replay stage of ``verify`` works out once per rule, so that a decision whose
record is sound costs a bind, an evaluation and a few comparisons.

The plain replay of a decision (:func:`._replay._replay_one` with ``fast=False``) builds
a :class:`~criteria_engine.nominees.Nominee` (pydantic), binds its facts through
:func:`~criteria_engine.nominees.bind_facts` (the reference binder, which also prepares
every message it might need) and compares the criteria one by one after a JSON round
trip. A :class:`ReplayPlan` takes three shortcuts, each taken only where it cannot
change what is found:

* **binding**: when the stored nominee fields would certainly pass the ``Nominee``
  model (:func:`names_valid`: plain printable text within the length limits, a known
  subject that is the rule's, a year in range), the facts go through the rule's compiled
  binder (``rule.binder``, the one ``tdkt evaluate`` binds with), which gives the same
  values as ``bind_facts``. Anything the binder refuses, and any record whose fields are
  not plainly valid, takes the plain way, so its finding names the same problem in the
  same words.
* **criteria**: the canonical text of the replayed results is made as the recording
  path makes it (:class:`._encode.RuleEncoder`: a rule's results are shared objects, so
  the text is assembled from fragments made once, and cached per combination), and
  compared with the stored text as a whole. Equal texts (and criterion ids that are
  unique in the rule) mean the per-criterion comparison would find nothing; only a
  difference is compared criterion by criterion.
* **facts**: typed and narrowed to the rule's inputs in one pass
  (:meth:`ReplayPlan.typed_own_facts`), unless the decision has derived values (those
  are checked against every stored fact).

``tests/store/test_replay_fast.py`` checks, under hypothesis, that both ways give the
same findings for random stored decisions and random edits of one field.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, get_args

from criteria_engine.evaluator import CompiledRule, Decision
from criteria_engine.nominees import MAX_ID_LENGTH, MAX_NAME_LENGTH, MAX_UNIT_LENGTH
from criteria_engine.rules import Subject
from criteria_engine.store._encode import RuleEncoder
from criteria_engine.store._findings import numeric_inputs

__all__ = ["ReplayPlan", "names_valid"]

_SUBJECTS = frozenset(get_args(Subject))
#: The ``Year`` of :mod:`criteria_engine.nominees` (a strict int).
_FIRST_YEAR, _LAST_YEAR = 1945, 2200


def _visible(value: Any, longest: int) -> bool:
    """Text that ``_visible`` of :mod:`criteria_engine.nominees` surely accepts: every
    character printable (so none it refuses), not only blanks, 1 to ``longest`` long."""
    return (value.__class__ is str and 0 < len(value) <= longest and value.isprintable()
            and not value.isspace())


def names_valid(nominee_id: Any, name: Any, subject: Any, unit: Any, period: Any) -> bool:
    """True only if ``Nominee(id=…, name=…, subject=…, unit=…, period=…, facts=…)`` with
    these values (and a dict of facts) is certainly valid. False means "ask the model",
    not "invalid": a rarer character may still be allowed."""
    return (_visible(nominee_id, MAX_ID_LENGTH) and _visible(name, MAX_NAME_LENGTH)
            and subject in _SUBJECTS and period.__class__ is int
            and _FIRST_YEAR <= period <= _LAST_YEAR
            and (unit is None or (unit.__class__ is str and len(unit) <= MAX_UNIT_LENGTH
                                  and unit.isprintable())))


class ReplayPlan:
    """One rule's replay: its numeric inputs, its input names, its binder, its subject,
    and the canonical criteria texts of the result combinations met so far."""

    __slots__ = ("_encoder", "binder", "fast", "inputs", "numeric", "rule", "subject",
                 "whole_text")

    def __init__(self, rule: CompiledRule, *, fast: bool = True) -> None:
        self.rule = rule
        self.fast = fast
        self.numeric = numeric_inputs(rule)
        self.inputs: Mapping[str, Any] = rule.model.inputs
        self.binder = rule.binder
        self.subject = rule.model.subject
        ids = [c.criterion.id for c in rule.criteria] + [d.condition.id for d in rule.deferral]
        # With two items of one id the per-criterion comparison can differ from the text's.
        self.whole_text = fast and len(set(ids)) == len(ids)
        self._encoder = RuleEncoder(rule)

    def own_facts(self, stored: Mapping[str, Any]) -> dict[str, Any]:
        """The facts this rule reads (as :func:`._findings.own_facts`)."""
        inputs = self.inputs
        return {name: value for name, value in stored.items() if name in inputs}

    def typed_own_facts(self, facts: Mapping[str, Any]) -> dict[str, Any]:
        """``own_facts(typed_facts(facts, numeric))`` in one pass (the rule's numeric inputs
        are among its inputs, so a fact left out is never converted: the same values, and
        the same error for a numeric fact that is not a number)."""
        inputs, numeric = self.inputs, self.numeric
        return {name: Decimal(value) if name in numeric and isinstance(value, str) else value
                for name, value in facts.items() if name in inputs}

    def criteria_text(self, decision: Decision) -> str:
        """``canonical_json(criteria_content(decision))``, byte for byte (the recording
        path's encoder, which the store's tests hold to the generic one)."""
        return self._encoder.criteria_text(decision)[0]
