"""The rule-file format: pydantic models, and the loader that checks them in layers.

A rule file is policy written by people, so it is checked the way dbt checks
user YAML: decode (UTF-8, NFC) → parse (YAML, floats as Decimal, positions kept)
→ top level is a mapping → typed model (``extra="forbid"``) → meaning (ids,
gates, ranges). Each layer's error names the file, the line and the key path.
Expressions are checked afterwards by :mod:`criteria_engine.expressions`.

Example: ``parse_rule_file(Path("criteria/lao-dong-tien-tien/2024.1.yaml"))``.
"""

from __future__ import annotations

import hashlib
import io
import keyword
import types
import typing
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictStr,
    ValidationError,
    field_validator,
)
from pydantic_core import PydanticCustomError
from ruamel.yaml import YAML

from criteria_engine.characters import unsafe_character
from criteria_engine.errors import Location, RuleFileError
from criteria_engine.messages import Bilingual, Language, message, pydantic_problem
from criteria_engine.sources import (
    SourceText,
    clip,
    key_position,
    load_yaml,
    position_of,
    read_text,
)

__all__ = [
    "ISSUER_LEVELS",
    "MAX_NUMBER_EXPONENT",
    "MAX_RULE_FILE_BYTES",
    "AchievementRewards",
    "Cap",
    "CapLimit",
    "CapRounding",
    "Citation",
    "Criterion",
    "DecisionRule",
    "Deferral",
    "Effective",
    "InputSpec",
    "Issuer",
    "Jurisdiction",
    "Param",
    "Requirement",
    "RuleFile",
    "RuleSource",
    "declared_id",
    "dump_rule_text",
    "load_rule_tree",
    "parse_rule_file",
    "parse_rule_text",
    "parse_rule_tree",
    "read_rule_source",
]

#: Largest rule file read. The biggest shipped file is under 10 KB; the bound keeps a
#: wrong path (a database, a video) or a generated monster from being parsed at all, and
#: the YAML parser's worst case (about 15 µs a byte of dense flow syntax) near 3 s.
MAX_RULE_FILE_BYTES = 200_000
#: Largest decimal exponent of a number in a rule: the engine's decimal context (its
#: ``Emax``) cannot compute with anything bigger, so such a number is a rule fault.
MAX_NUMBER_EXPONENT = 999_999

Kind = Literal["mo_hinh", "dien_hinh_tien_tien", "danh_hieu_thi_dua", "hinh_thuc_khen_thuong"]
Subject = Literal["ca_nhan", "tap_the", "ho_gia_dinh"]
AwardBasis = Literal["cong_trang", "chuyen_de", "dot_xuat"]
InputType = Literal["integer", "decimal", "boolean", "enum"]

def _readable(text: str) -> str:
    """Texts people read in reasons and tables: not blank, and without control or
    invisible characters that would make them display as something else."""
    if not text.strip():
        raise PydanticCustomError("text_blank", "must not be only whitespace")
    char = unsafe_character(text, newlines=True)
    if char is not None:
        raise PydanticCustomError("text_character", "holds the character {char}",
                                  {"char": char})
    return text


Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
RuleId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=100)]
Text = Annotated[str, Field(min_length=1, max_length=2000), AfterValidator(_readable)]
Number = Annotated[Decimal, Field(allow_inf_nan=False)]
Version = Annotated[str, Field(strict=True, pattern=r"^[0-9A-Za-z][0-9A-Za-z.\-]*$")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Citation(_Model):
    """A structured legal citation: instrument, article, clause, point.

    ``verified: false`` says the citation could not be checked against the official
    gazette (Công báo): it is shown wherever the citation is, marked, instead of being
    hidden in a free-text note. Example::

        {instrument: "Nghị định số 152/2025/NĐ-CP", article: 4, clause: 4, verified: false}
    """

    instrument: Text
    article: int | str | None = None
    clause: int | str | None = None
    point: str | None = None
    note: str | None = None
    verified: StrictBool = True

    def render(self, lang: Language = "vi") -> str:
        """The citation as people read it, e.g. "Điều 4, khoản 4, Nghị định số 152/2025/NĐ-CP";
        an unverified one ends with the catalogue's mark (``cite.unverified``)."""
        parts = [message(f"cite.{part}", lang, value=value)
                 for part, value in (("article", self.article), ("clause", self.clause),
                                     ("point", self.point)) if value is not None]
        text = ", ".join([*parts, self.instrument]) if parts else self.instrument
        if not self.verified:
            text += " " + message("cite.unverified", lang)
        return text


class Param(_Model):
    """A named threshold: policy staff revise these, never the expressions."""

    value: StrictBool | Number | StrictStr
    label: str | None = None
    unit: str | None = None
    note: str | None = None
    uncertain: bool = False

    @field_validator("value", mode="before")
    @classmethod
    def _exact_number(cls, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return Decimal(value)
        return value


class InputSpec(_Model):
    """A declared fact about a nominee: its type, range, label and better direction."""

    type: InputType
    values: list[Identifier] | None = None
    min: Number | None = None
    max: Number | None = None
    unit: str | None = None
    label: Text
    label_en: str | None = None
    better: Literal["higher", "lower"] | None = None
    note: str | None = None
    #: The name other rule files use for this same fact (``tdkt dedup`` compares them as one).
    same_as: Identifier | None = None
    #: How the engine derives this fact from the title history or the members' decisions,
    #: as one call of the context functions (:mod:`criteria_engine.derived`), e.g.
    #: ``share_of_members("lao-dong-tien-tien")``. A member roll-up falls back to the
    #: record's own (self-declared) value when the record names no members; a history
    #: function never does. The explanation says which source was used.
    derive: Annotated[str, Field(min_length=1, max_length=500)] | None = None

    @property
    def is_numeric(self) -> bool:
        return self.type in ("integer", "decimal")


class Criterion(_Model):
    """One criterion: a boolean expression that is either a gate or worth points."""

    id: Identifier
    text: Text
    text_en: str | None = None
    expr: Annotated[str, Field(min_length=1)]
    gate: bool = False
    points: Annotated[Decimal, Field(ge=0, allow_inf_nan=False)] | None = None
    cite: Citation | None = None
    note: str | None = None


class Deferral(_Model):
    """A condition that defers the nominee instead of judging them: while it holds, the
    outcome is ``hoan_xet``, not ``khong_dat``.

    NĐ 152/2025 Điều 4 k4 (before 2025-07-01: NĐ 98/2023 Điều 4 k4): "Chưa khen thưởng
    hoặc đề nghị cấp trên khen thưởng … trong thời gian cơ quan có thẩm quyền đang xem
    xét thi hành kỷ luật hoặc điều tra, thanh tra, kiểm tra … hoặc có đơn thư khiếu nại,
    tố cáo … đang được xác minh làm rõ". ``expr`` is a boolean expression over the
    rule's inputs and params, checked at load like a criterion's. Example::

        - id: dang_xem_xet_ky_luat
          text: Đang trong thời gian cơ quan có thẩm quyền xem xét thi hành kỷ luật
          text_en: Under disciplinary consideration
          expr: under_discipline_review
          cite: {instrument: "Nghị định số 152/2025/NĐ-CP", article: 4, clause: 4}
    """

    id: Identifier
    text: Text
    text_en: str | None = None
    expr: Annotated[str, Field(min_length=1)]
    cite: Citation | None = None
    note: str | None = None


class AchievementRewards(_Model):
    """Which kinds of achievement a title rewards, and its rank among forms.

    Luật Thi đua, khen thưởng 2022, Điều 5 khoản 2 điểm c: one achievement is rewarded
    once, in one form. When two titles would use the same achievement, the one with the
    higher ``rank`` keeps it. Annual task ratings are facts, not achievements, and may
    count toward several titles.
    """

    kinds: Annotated[list[Identifier], Field(min_length=1)]
    rank: Annotated[int, Field(ge=0)]


class Requirement(_Model):
    """Another title the same subject must reach in the same period (Luật 2022 Điều 23
    khoản 1: "Chiến sĩ thi đua cơ sở" needs "Lao động tiên tiến"). It becomes a gate of
    this rule, read from that title's decision in the same run (or the title history for
    the period). A run of several titles judges the required one first. Example::

        requires:
          - title: lao-dong-tien-tien
            cite: {instrument: "Luật Thi đua, khen thưởng số 06/2022/QH15", article: 23, clause: 1}
    """

    title: RuleId
    text: Text | None = None
    text_en: str | None = None
    cite: Citation | None = None


CapRounding = Literal["down", "up", "half_up"]


class CapLimit(_Model):
    """How many of a group may hold the title: exactly one of ``count`` (a param holding
    a whole number), ``share_of_headcount`` (a param holding a ratio of the group's
    records of this subject in the run) or ``share_of_title`` with ``ratio`` (a ratio of
    the group's holders of another title in the same period)."""

    count: Identifier | None = None
    share_of_headcount: Identifier | None = None
    share_of_title: RuleId | None = None
    ratio: Identifier | None = None


class Cap(_Model):
    """A quota per group (unit and period), which must have a legal source: a ministry
    or province may set one (the national 15 % CSTĐCS cap of NĐ 91/2017 is gone).

    Nominees who reach the title are ranked by ``rank_by`` (``points`` or input names,
    each in its input's ``better`` direction, ``higher`` by default), then by the final
    tie-break of :mod:`criteria_engine.caps` (documented there: stable, never input
    order). Those past the limit get ``loai_do_chi_tieu``. ``rounding`` names a param
    whose value is ``down``, ``up`` or ``half_up``. Example::

        cap:
          limit: {share_of_title: lao-dong-tien-tien, ratio: cap_ratio}
          rounding: cap_rounding
          rank_by: [points, initiatives_recognized]
          cite: {instrument: "Quyết định số …/QĐ-UBND", article: 9}
    """

    group: Literal["unit"] = "unit"
    limit: CapLimit
    rounding: Identifier
    rank_by: list[Identifier] = Field(default_factory=list)
    cite: Citation


IssuerLevel = Literal["trung_uong", "tinh", "huyen", "xa"]
JurisdictionLevel = Literal["toan_quoc", "tinh", "xa"]
Status = Literal["draft", "published"]
#: The issuer levels, highest first (``tdkt rules list --issuer``).
ISSUER_LEVELS: tuple[str, ...] = typing.get_args(IssuerLevel)


class Issuer(_Model):
    """Who awards the title: the level of government and the office, so a council can
    list what it may award (``tdkt rules list --issuer xa``). ``huyen`` remains for the
    district-level files that ended on 2025-06-30 (NĐ 129/2025 Điều 59). Example::

        issuer: {level: xa, name: "Chủ tịch Ủy ban nhân dân cấp xã"}
    """

    level: IssuerLevel
    name: Text


class Jurisdiction(_Model):
    """Where the rule applies: nationwide, or in one province or commune named by
    ``area``. Example: ``jurisdiction: {level: tinh, area: "Bắc Ninh"}``."""

    level: JurisdictionLevel
    area: Text | None = None


class Effective(_Model):
    """The dates a version is in force. ``to`` may be left out: a later non-draft
    version's ``from`` then ends this one (see :meth:`RuleLibrary.in_force`), so a
    published file never has to be edited to close it."""

    from_: date = Field(alias="from")
    to: date | None = None

    def covers_year(self, year: int) -> bool:
        """A rule applies to a yearly period if it is in force on any day of that year."""
        return self.from_ <= date(year, 12, 31) and (self.to is None or self.to >= date(year, 1, 1))


class DecisionRule(_Model):
    """The decision: all gates pass and the points reach ``min_points``."""

    min_points: Annotated[Decimal, Field(ge=0, allow_inf_nan=False)] = Decimal(0)


class RuleFile(_Model):
    """A versioned rule file for one title (``criteria/<id>/<version>.yaml``)."""

    id: RuleId
    version: Annotated[str, Field(strict=True, pattern=r"^[0-9A-Za-z][0-9A-Za-z.\-]*$")]
    title: Text
    title_en: str | None = None
    kind: Kind
    subject: Subject
    award_basis: AwardBasis
    effective: Effective
    #: ``draft`` versions are never chosen by period, only by ``id@version`` or path,
    #: and are exempt from the overlap checks; ``published`` (the default) ones are.
    status: Status = "published"
    #: Versions of the same id that this one replaces entirely, for every period they
    #: cover: an erratum (same or earlier ``effective.from``) names the version it
    #: corrects, e.g. ``supersedes: ["2024.1"]``. Superseded versions are never chosen
    #: by period; they stay loadable by ``id@version`` so stored decisions replay.
    supersedes: list[Version] = Field(default_factory=list)
    #: Who awards the title (level and office); see :class:`Issuer`.
    issuer: Issuer | None = None
    #: Where the rule applies; see :class:`Jurisdiction`.
    jurisdiction: Jurisdiction | None = None
    legal_basis: Annotated[list[Citation], Field(min_length=1)]
    params: dict[Identifier, Param] = Field(default_factory=dict)
    inputs: Annotated[dict[Identifier, InputSpec], Field(min_length=1)]
    criteria: Annotated[list[Criterion], Field(min_length=1)]
    decision: DecisionRule = Field(default_factory=DecisionRule)
    #: Titles this one implies: whoever meets it meets each title named here (the law's
    #: "đạt tiêu chuẩn Lao động tiên tiến", or a higher level of the same title). Inputs
    #: with the same name are the same fact. ``tdkt check`` proves or refutes it, e.g.
    #: ``stricter_than: [lao-dong-tien-tien]``.
    stricter_than: list[RuleId] = Field(default_factory=list)
    #: The achievement kinds this title rewards (``sang_kien``, ``mo_hinh`` …) and its rank;
    #: see :class:`AchievementRewards`.
    achievements: AchievementRewards | None = None
    #: Conditions that defer the nominee (outcome ``hoan_xet``) instead of refusing them;
    #: see :class:`Deferral`. Evaluated before the outcome is settled, shown first.
    deferral: list[Deferral] = Field(default_factory=list)
    #: Titles the same subject must reach in the same period; see :class:`Requirement`.
    requires: list[Requirement] = Field(default_factory=list)
    #: A quota per unit and period; see :class:`Cap`.
    cap: Cap | None = None

    def cite(self, criterion: Criterion | Deferral) -> tuple[Citation, ...]:
        """A criterion's (or deferral condition's) own citation, or the rule's legal
        basis when it names none."""
        return (criterion.cite,) if criterion.cite else tuple(self.legal_basis)

    @property
    def max_points(self) -> Decimal:
        return sum((c.points or Decimal(0) for c in self.criteria), Decimal(0))


@dataclass(frozen=True, slots=True)
class RuleSource:
    """A parsed rule file with what is needed to cite, hash and locate it."""

    model: RuleFile
    source: SourceText
    tree: Any
    warnings: tuple[RuleFileError, ...]

    @property
    def path(self) -> str:
        return self.source.path

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.source.raw).hexdigest()

    def where(self, *path: str | int) -> Location:
        line, column = position_of(self.tree, path)
        return Location(self.path, line, column, _dotted(path))


def dump_rule_text(model: RuleFile) -> str:
    """A rule file's YAML text for ``model`` (numbers written exactly, keys in model order).

    ``parse_rule_text`` of this text gives back an equal model, which is what lets a
    revision be written out by a program and then read like any hand-written file.
    """
    data = model.model_dump(by_alias=True, exclude_defaults=True)
    yaml = YAML(typ="rt")
    yaml.representer.add_representer(Decimal, _represent_decimal)
    yaml.width = 4096
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


def _represent_decimal(representer: Any, value: Decimal) -> Any:
    text = str(value)
    if "." in text or "E" in text:
        return representer.represent_scalar("tag:yaml.org,2002:float", text)
    return representer.represent_int(int(value))


def parse_rule_file(path: Path) -> RuleSource:
    """Read, parse and validate the model of one rule file (expressions not yet checked)."""
    return parse_rule_text(read_rule_source(path))


def read_rule_source(path: Path) -> SourceText:
    """A rule file's bytes and text, refused past :data:`MAX_RULE_FILE_BYTES` before reading."""
    try:
        size = path.stat().st_size
    except OSError:
        size = 0  # read_text says why the file cannot be read
    if size > MAX_RULE_FILE_BYTES:
        raise RuleFileError("rule.too_large", Location(str(path)), limit=MAX_RULE_FILE_BYTES)
    return read_text(path, error=RuleFileError)


def load_rule_tree(source: SourceText) -> Any:
    """The YAML tree of a rule file (positions kept), before any check of its content."""
    return load_yaml(source, error=RuleFileError)


def declared_id(tree: Any) -> str | None:
    """The ``id`` a rule file's tree declares, if it declares one that could be an id: it
    lets a file that fails to load still be tied to the rule it was meant to be."""
    value = tree.get("id") if isinstance(tree, dict) else None
    if isinstance(value, str) and value and len(value) <= 100 and value.isprintable():
        return value
    return None


def parse_rule_text(source: SourceText) -> RuleSource:
    return parse_rule_tree(source, load_rule_tree(source))


def parse_rule_tree(source: SourceText, tree: Any) -> RuleSource:
    """Validate a parsed tree in layers: a mapping, then the typed model, then meaning."""
    if not isinstance(tree, dict):
        raise RuleFileError("rule.not_mapping", Location(source.path, 1))
    try:
        model = RuleFile.model_validate(tree)
    except ValidationError as exc:
        problems = _merge_alternatives([_model_error(source.path, tree, e) for e in exc.errors()])
        raise _grouped(problems) from None
    rule = RuleSource(model=model, source=source, tree=tree, warnings=_nfd_warnings(source))
    problems = _semantic_problems(rule)
    if problems:
        raise _grouped(problems)
    return rule


def _nfd_warnings(source: SourceText) -> tuple[RuleFileError, ...]:
    return tuple(RuleFileError("file.nfd", Location(source.path, line)) for line in source.nfd_lines)


def _grouped(problems: list[RuleFileError]) -> RuleFileError:
    problems.sort(key=lambda p: (p.where.line or 0, p.where.column or 0))
    first, *rest = problems
    first.more = [*rest]
    return first


def _dotted(path: tuple[str | int, ...] | list[str | int]) -> str | None:
    if not path:
        return None
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


def _merge_alternatives(problems: list[RuleFileError]) -> list[RuleFileError]:
    """A value that fits none of a union's types gives one message, not one per type."""
    merged: dict[tuple[str | None, str | None], RuleFileError] = {}
    for problem in problems:
        place = (problem.where.field, problem.key)
        first = merged.get(place)
        if first is None or problem.key != "rule.model":
            merged.setdefault(place, problem)
            continue
        texts = {lang: " / ".join(
            dict.fromkeys(_texts(first.params["problem"], lang) + _texts(problem.params["problem"], lang)))
            for lang in ("vi", "en")}
        merged[place] = RuleFileError("rule.model", first.where,
                                      problem=Bilingual({"vi": texts["vi"], "en": texts["en"]}))
    return list(merged.values())


def _texts(problem: str, lang: Language) -> list[str]:
    text = problem.texts[lang] if isinstance(problem, Bilingual) else str(problem)
    return text.split(" / ")


def _tree_path(tree: Any, steps: Any) -> list[str | int]:
    """The user's key path of a pydantic location: model names and union tags
    (``Param``, ``bool``, ``function-after[…]``) are not keys of the file, so drop
    every step that does not exist in the YAML tree at that point."""
    path: list[str | int] = []
    node = tree
    for step in steps:
        in_mapping = isinstance(node, dict) and step in node
        in_list = isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node)
        if in_mapping or in_list:
            node = node[step]
        elif isinstance(step, str) and (step[:1].isupper() or not isinstance(node, dict)
                                        or "[" in step):
            continue
        path.append(step)
    return path


def _model_error(path: str, tree: Any, error: Any) -> RuleFileError:
    kind = error["type"]
    # the last step of an unknown key is the user's own key, whatever its case ("Title")
    steps = error["loc"][:-1] if kind == "extra_forbidden" else error["loc"]
    loc = _tree_path(tree, steps)
    if kind == "extra_forbidden":
        loc.append(error["loc"][-1])
        parent, key = loc[:-1], str(loc[-1])
        line, column = key_position(tree, parent, key)
        allowed = ", ".join(_allowed_keys(parent))
        return RuleFileError(
            "rule.unknown_key", Location(path, line, column, clip(_dotted(loc) or "")),
            key=clip(key), allowed=allowed
        )
    line, column = position_of(tree, loc)
    where = Location(path, line, column, clip(_dotted(loc) or "", 120) or None)
    if kind == "missing":
        return RuleFileError("rule.missing_key", where, key=str(loc[-1]))
    return RuleFileError("rule.model", where, problem=_explain_validation(error))


def _explain_validation(error: Any) -> str:
    return pydantic_problem("rule_value", error)


def _allowed_keys(path: list[str | int]) -> list[str]:
    """The keys the model accepts at ``path`` (for "unknown key; allowed: …" messages)."""
    annotation: Any = RuleFile
    for step in path:
        annotation = _unwrap(annotation)
        origin = typing.get_origin(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = annotation.model_fields.get(str(step)) or next(
                (f for f in annotation.model_fields.values() if f.alias == step), None
            )
            if field is None:
                return []
            annotation = field.annotation
        elif origin in (list, dict):
            annotation = typing.get_args(annotation)[-1]
        else:
            return []
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return sorted(f.alias or name for name, f in annotation.model_fields.items())
    return []


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = members[0]
        else:
            return annotation


def _numbers_out_of_range(rule: RuleSource) -> list[RuleFileError]:
    """Numbers too large for the engine's decimal context: every computation with them
    would fail, for every nominee, so they are the rule's fault and refused at load."""
    model = rule.model
    places: list[tuple[tuple[str | int, ...], Any]] = [
        (("params", name, "value"), param.value) for name, param in model.params.items()]
    for name, spec in model.inputs.items():
        places += [(("inputs", name, "min"), spec.min), (("inputs", name, "max"), spec.max)]
    places += [(("criteria", index, "points"), c.points) for index, c in enumerate(model.criteria)]
    places.append((("decision", "min_points"), model.decision.min_points))
    return [RuleFileError("rule.number_range", rule.where(*path), value=clip(str(value), 40),
                          limit=MAX_NUMBER_EXPONENT)
            for path, value in places
            if isinstance(value, Decimal) and not isinstance(value, bool)
            and value.is_finite() and value.adjusted() > MAX_NUMBER_EXPONENT]


def _semantic_problems(rule: RuleSource) -> list[RuleFileError]:
    model = rule.model
    problems: list[RuleFileError] = []
    first_line: dict[str, int | None] = {}
    for index, criterion in enumerate(model.criteria):
        where = rule.where("criteria", index, "id")
        if criterion.id in first_line:
            problems.append(RuleFileError("rule.duplicate_criterion", where,
                                          criterion=criterion.id, first_line=first_line[criterion.id]))
        else:
            first_line[criterion.id] = where.line
        if criterion.gate and criterion.points is not None:
            problems.append(RuleFileError("rule.gate_with_points",
                                          rule.where("criteria", index, "points"), criterion=criterion.id))
        if not criterion.gate and criterion.points is None:
            problems.append(RuleFileError("rule.neither_gate_nor_points",
                                          rule.where("criteria", index), criterion=criterion.id))
    for index, condition in enumerate(model.deferral):
        where = rule.where("deferral", index, "id")
        if condition.id in first_line:
            problems.append(RuleFileError("rule.duplicate_criterion", where,
                                          criterion=condition.id, first_line=first_line[condition.id]))
        else:
            first_line[condition.id] = where.line
    for name in sorted(set(model.inputs) & set(model.params)):
        problems.append(RuleFileError("rule.name_clash", rule.where("params", name), name=name))
    for section, names in (("inputs", model.inputs), ("params", model.params)):
        for name in names:
            if keyword.iskeyword(name):
                line, column = key_position(rule.tree, [section], name)
                problems.append(RuleFileError(
                    "rule.keyword_name", Location(rule.path, line, column, f"{section}.{name}"),
                    name=name))
    problems.extend(_numbers_out_of_range(rule))
    for name, spec in model.inputs.items():
        where = rule.where("inputs", name)
        if spec.type == "enum" and not spec.values:
            problems.append(RuleFileError("rule.enum_without_values", where, name=name))
        if spec.type != "enum" and spec.values is not None:
            problems.append(RuleFileError("rule.values_not_enum", rule.where("inputs", name, "values"),
                                          name=name, type=spec.type))
        if not spec.is_numeric and (spec.min is not None or spec.max is not None):
            problems.append(RuleFileError("rule.range_not_numeric", where, name=name, type=spec.type))
        if spec.min is not None and spec.max is not None and spec.min > spec.max:
            problems.append(RuleFileError("rule.range_inverted", rule.where("inputs", name, "min"),
                                          name=name, min=spec.min, max=spec.max))
    for index, version in enumerate(model.supersedes):
        if version == model.version:
            problems.append(RuleFileError("rule.supersedes_self",
                                          rule.where("supersedes", index), version=version))
    if model.effective.to is not None and model.effective.to < model.effective.from_:
        problems.append(RuleFileError("rule.effective_inverted", rule.where("effective", "to"),
                                      to=model.effective.to, from_=model.effective.from_))
    return problems
