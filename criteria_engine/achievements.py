"""One achievement, one reward (Luật Thi đua, khen thưởng 2022, Điều 5 khoản 2 điểm c).

A title that meets its criteria *uses* the nominee's achievements of the kinds it
declares (``achievements.kinds`` in its rule file). An achievement already used by a
stored decision of another title, or of the same title in another period, cannot be
used again: the decision becomes ``trung_thanh_tich`` and names the earlier one.
Thematic (chuyên đề) and sudden (đột xuất) awards are covered by the same rule, so
their achievements can never become grounds for a merit (công trạng) award. When two
titles in one run would use the same achievement, the higher ``rank`` keeps it and the
other is set aside, naming it.

Pure: the caller supplies what the store already holds (:class:`AchievementUse` by
achievement id); nothing here reads a database.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence

from criteria_engine.evaluator import AchievementConflict, AchievementUse, Decision
from criteria_engine.nominees import Nominee

__all__ = ["AchievementReferee", "claimed_achievements", "resolve_achievements"]


def claimed_achievements(decision: Decision, nominee: Nominee) -> tuple[str, ...]:
    """The achievement ids a ``dat`` decision would reward (none for other outcomes)."""
    rewards = decision.rule.model.achievements
    if rewards is None or decision.outcome != "dat":
        return ()
    kinds = set(rewards.kinds)
    return tuple(a.id for a in nominee.achievements if a.kind in kinds)


def _use(decision: Decision, achievement_id: str) -> AchievementUse:
    rewards = decision.rule.model.achievements
    return AchievementUse(
        achievement_id=achievement_id, nominee_id=decision.nominee_id, rule_id=decision.rule.id,
        rule_version=decision.rule.version, period=decision.period,
        rank=rewards.rank if rewards else 0)


def _same_award(use: AchievementUse, decision: Decision) -> bool:
    """Re-judging the same nominee for the same title and period is not a second reward."""
    return (use.rule_id == decision.rule.id and use.period == decision.period
            and use.nominee_id == decision.nominee_id)


def resolve_achievements(decisions: Sequence[Decision], nominees: Mapping[str, Nominee],
                         prior: Mapping[str, Iterable[AchievementUse]] | None = None
                         ) -> list[Decision]:
    """The decisions with each one's rewarded achievements set, and conflicts marked.

    ``prior`` maps an achievement id to the stored decisions that already used it.
    Order of the result = order of ``decisions``; the outcome of a decision changes
    only to ``trung_thanh_tich``.
    """
    prior = prior or {}
    claims = {index: claimed_achievements(d, nominees[d.nominee_id])
              for index, d in enumerate(decisions) if d.nominee_id in nominees}
    resolved = list(decisions)
    contenders: dict[str, list[int]] = {}
    for index, ids in claims.items():
        decision = decisions[index]
        earlier = next(((a, use) for a in ids for use in prior.get(a, ())
                        if not _same_award(use, decision)), None)
        if earlier is not None:
            resolved[index] = decision._replace(
                outcome="trung_thanh_tich",
                conflict=AchievementConflict(earlier[0], earlier[1], set_aside=False))
            continue
        for achievement_id in ids:
            contenders.setdefault(achievement_id, []).append(index)
    losers: dict[int, AchievementConflict] = {}
    for achievement_id, indices in contenders.items():
        if len(indices) < 2:
            continue
        ranked = sorted(indices, key=lambda i: (-_use(decisions[i], achievement_id).rank,
                                                decisions[i].period, decisions[i].rule.id, i))
        winner = _use(decisions[ranked[0]], achievement_id)
        for index in ranked[1:]:
            if index not in losers and not _same_award(winner, decisions[index]):
                losers[index] = AchievementConflict(achievement_id, winner, set_aside=True)
    for index, ids in claims.items():
        if resolved[index].outcome == "trung_thanh_tich":
            continue
        if index in losers:
            resolved[index] = resolved[index]._replace(outcome="trung_thanh_tich",
                                                       conflict=losers[index])
        elif ids:
            resolved[index] = resolved[index]._replace(achievements=ids)
    return resolved


class AchievementReferee:
    """:func:`resolve_achievements` for a run too big to hold: the same result, in two passes.

    Pass one shows it every decision that claims an achievement (:meth:`claim`, with a
    key that orders decisions as the run does, such as (record number, rule position));
    :meth:`settle` then decides every contest at once; pass two hands each decision to
    :meth:`apply`, which returns it as ``resolve_achievements`` would have (no ``prior``:
    what a store already holds is applied when recording). It keeps only the claims.
    """

    def __init__(self) -> None:
        self._contenders: dict[str, list[tuple[Hashable, AchievementUse]]] = {}
        self._losers: dict[Hashable, AchievementConflict] = {}

    def claim(self, key: Hashable, decision: Decision, nominee: Nominee) -> None:
        for achievement_id in claimed_achievements(decision, nominee):
            self._contenders.setdefault(achievement_id, []).append(
                (key, _use(decision, achievement_id)))

    def settle(self) -> None:
        """Decide every contested achievement: the higher rank keeps it (then the earlier
        period, the rule id, the order of the run)."""
        for achievement_id, claims in self._contenders.items():
            if len(claims) < 2:
                continue
            order = {key: position for position, (key, _) in enumerate(claims)}
            ranked = sorted(claims, key=lambda claim: (-claim[1].rank, claim[1].period,
                                                       claim[1].rule_id, order[claim[0]]))
            winner = ranked[0][1]
            for key, use in ranked[1:]:
                if key not in self._losers and not (
                        use.rule_id == winner.rule_id and use.period == winner.period
                        and use.nominee_id == winner.nominee_id):
                    self._losers[key] = AchievementConflict(achievement_id, winner,
                                                            set_aside=True)

    def apply(self, key: Hashable, decision: Decision, nominee: Nominee) -> Decision:
        ids = claimed_achievements(decision, nominee)
        if not ids:
            return decision
        conflict = self._losers.get(key)
        if conflict is not None:
            return decision._replace(outcome="trung_thanh_tich", conflict=conflict)
        return decision._replace(achievements=ids)
