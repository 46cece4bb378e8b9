"""The ``tdkt`` command line: parse options, make one library call, format the result.

This is the only module that imports click. Library errors (CriteriaError) become
messages on stderr and exit codes here: 0 done, 1 invalid rule files or records,
2 usage errors (unknown rule, bad option).
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import getpass
import gettext
import importlib
import json
import os
import shlex
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click
import simplejson
from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from criteria_engine import (
    BatchReport,
    CriteriaError,
    Decision,
    RecordError,
    RuleLibrary,
    RuleNotFoundError,
    __version__,
    decision_to_dict,
    default_criteria_dir,
    display,
    evaluate_file,
)
from criteria_engine.batch import Judged, Problem, stream_file
from criteria_engine.characters import shown
from criteria_engine.demo import PeriodExample, default_examples_dir, period_examples, run_demo
from criteria_engine.errors import Location, StoreUsageError
from criteria_engine.evaluator import CompiledRule
from criteria_engine.exports import EXPORT_SUFFIXES, DecisionExport
from criteria_engine.library import choose_rule
from criteria_engine.messages import LANGUAGES, MESSAGES, Language, both, message
from criteria_engine.report import (
    cap_lines,
    context_lines,
    criterion_text,
    decision_to_json,
    outcome_reason,
    plain,
)
from criteria_engine.rules import ISSUER_LEVELS, RuleFile
from criteria_engine.targets import check_write_target

if TYPE_CHECKING:
    from criteria_engine.history import History
    from criteria_engine.store import (
        CheckpointReport,
        Citation,
        DecisionRecord,
        EventRecord,
        RecordSummary,
        VerifyReport,
    )

F = TypeVar("F", bound=Callable[..., Any])

#: Show a progress bar for batches at least this long (on a terminal).
PROGRESS_THRESHOLD = 200
#: Decisions drawn in ``evaluate``'s table at most: past it, the summary and a pointer to
#: -o / --json / --jsonl (drawing 50,000 rows took most of a minute and said nothing more).
TABLE_LIMIT = 200

OUTCOME_STYLE = {"dat": "bold green", "khong_dat": "bold red", "thieu_du_lieu": "bold yellow",
                 "trung_thanh_tich": "bold magenta", "hoan_xet": "bold cyan",
                 "loai_do_chi_tieu": "bold magenta"}
#: Criteria pass/fail; deferral conditions hold (the nominee waits) or are clear.
RESULT_STYLE = {"pass": "green", "fail": "red", "missing": "yellow", "holds": "cyan",
                "clear": "green"}

def label(key: str, lang: Language, **params: Any) -> str:
    """A table heading or summary line from the catalogue (``label.*`` keys)."""
    return message(f"label.{key}", lang, **params)


def console() -> Console:
    return Console(highlight=False, soft_wrap=False)


def error_console() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


# --- layout: tables that read at any width, 80 columns and pipes included ---
# rich folds a cell mid-word when its column gets narrower than a word, which cut ids,
# dates and paths into pieces. `layout` gives every column at least its longest word
# (so text wraps only between words), leaves out optional columns when that does not
# fit, and prints one block per row ("Heading: value" lines) when even that is too wide.
# Shared by every command's table: use it for any new one.


@dataclass(frozen=True)
class Column:
    """One column of :func:`layout`.

    ``floor`` keeps a prose column from being squeezed to a few letters a line (the
    layout turns vertical instead); ``optional`` columns are left out, the last one
    first, when the table would not fit otherwise.
    """

    header: str
    floor: int = 0
    optional: bool = False


def _longest_word(text: str) -> int:
    return max((cell_len(word) for word in text.split()), default=0)


def _longest_line(text: str) -> int:
    return max((cell_len(line) for line in text.split("\n")), default=0)


def _widths(columns: Sequence[Column], rows: Sequence[Sequence[Text]], width: int
            ) -> list[int] | None:
    """Column widths filling at most ``width``, none narrower than a word it holds."""
    lows, highs = [], []
    for index, column in enumerate(columns):
        texts = [column.header, *(row[index].plain for row in rows)]
        high = max(_longest_line(text) for text in texts)
        low = max(max(_longest_word(text) for text in texts), min(column.floor, high), 1)
        lows.append(low)
        highs.append(max(high, low))
    room = width - (3 * len(columns) + 1)  # a border and two spaces of padding per column
    if sum(lows) > room:
        return None
    widths = list(lows)
    spare = room - sum(widths)
    while spare > 0:
        # widen the column that lacks the most, so long prose wraps least
        lack, index = max((high - now, i) for i, (now, high) in enumerate(zip(widths, highs, strict=True)))
        if lack <= 0:
            break
        widths[index] += 1
        spare -= 1
    return widths


def layout(out: Console, columns: Sequence[Column], rows: Iterable[Sequence[str | Text]], *,
           title: str = "", show_lines: bool = False) -> RenderableType:
    """A table that fits ``out``'s width without folding a word, or one block per row.

    The title is printed above the table rather than inside it, so a long path or id
    in it wraps between words like any other line.
    """
    cells = [[cell if isinstance(cell, Text) else Text(cell) for cell in row] for row in rows]
    shown = list(range(len(columns)))
    widths = _widths(columns, cells, out.width)
    while widths is None and any(columns[i].optional for i in shown):
        shown.remove(max(i for i in shown if columns[i].optional))
        widths = _widths([columns[i] for i in shown],
                         [[row[i] for i in shown] for row in cells], out.width)
    parts: list[RenderableType] = [*indented(out, Text(title, style="bold"), 0)] if title else []
    if widths is None:
        return Group(*parts, *_blocks(out, columns, cells))
    table = Table(show_lines=show_lines)
    for index, width in zip(shown, widths, strict=True):
        table.add_column(columns[index].header, width=width, overflow="fold")
    for row in cells:
        table.add_row(*(row[i] for i in shown))
    return Group(*parts, table)


def _blocks(out: Console, columns: Sequence[Column], rows: Sequence[Sequence[Text]]
            ) -> list[RenderableType]:
    """The vertical layout: the first cell as a heading, then "Heading: value" lines."""
    blocks: list[RenderableType] = []
    for row in rows:
        head = row[0].copy()
        if head.plain.isdigit():  # a bare number says nothing as a heading
            head = Text.assemble(f"{columns[0].header} ", head)
        head.stylize("bold")
        blocks.append(head)
        for column, cell in zip(columns[1:], row[1:], strict=True):
            if not cell.plain:
                continue
            # a cell of several lines starts under its heading, one item a line
            value = Text.assemble("\n", cell) if "\n" in cell.plain else cell
            blocks += indented(out, Text.assemble((f"{column.header}: ", "dim"), value), 2)
        blocks.append(Text(""))
    return blocks


def indented(out: Console, text: Text, indent: int) -> list[Text]:
    """``text`` wrapped between words to ``out``'s width, every line ``indent`` spaces in."""
    lines = text.wrap(out, max(out.width - indent, 20), overflow="fold")
    for line in lines:
        line.rstrip()
    return [Text.assemble(" " * indent, line) for line in lines]


class Footnotes:
    """Long citations shown once below a table, with ``[1]``-style marks in its cells.

    The same citation backs most criteria of a rule; printed in every row it made each
    row fourteen lines tall at 80 columns.
    """

    def __init__(self) -> None:
        self.texts: list[str] = []

    def mark(self, texts: Iterable[str]) -> str:
        marks = []
        for text in texts:
            if text not in self.texts:
                self.texts.append(text)
            marks.append(f"[{self.texts.index(text) + 1}]")
        return " ".join(marks)

    def renderable(self, out: Console, heading: str) -> RenderableType:
        lines = [line for number, text in enumerate(self.texts, start=1)
                 for line in indented(out, Text(f"[{number}] {text}"), 2)]
        return Group(Text(f"{heading}:", style="bold"), *lines)


def report_errors(func: F) -> F:
    """Turn library errors into a message and an exit code; never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        lang = cast(Language, kwargs.get("lang", "vi"))
        try:
            return func(*args, **kwargs)
        except (RuleNotFoundError, StoreUsageError) as exc:
            error_console().print(Text(exc.render(lang), style="red"))
            sys.exit(2)
        except CriteriaError as exc:
            error_console().print(Text(exc.render(lang), style="red"))
            sys.exit(1)

    return cast(F, wrapper)


# --- click's own sentences (usage errors, --help) in the user's language ---
# click passes what it prints through gettext's ``_`` and ``ngettext``, looked up as
# globals of each of its modules; we put a translator there that reads the catalogue's
# "click.*" entries. A usage error can come before any option is parsed, so the language
# is read from the arguments of the run under way: the last ``--lang`` among them (as
# for the commands' own output), else TDKT_LANG, else Vietnamese.

_CLICK_MODULES = ("click.core", "click.decorators", "click.exceptions", "click.formatting",
                  "click.parser", "click.shell_completion", "click.termui", "click.types",
                  "click.utils", "click._termui_impl")
#: The blanks whose words click fills in English ("File", "integer"), by sentence field.
_CLICK_WORD_FIELDS = ("name", "number_type")
#: Option help that click fixes when an option is made, put back in the run's language.
_CLICK_OPTION_HELP = ("Show this message and exit.", "Show the version and exit.")
_RUN_ARGS: ContextVar[Sequence[str] | None] = ContextVar("tdkt_run_args", default=None)


def usage_lang() -> Language:
    """The language of click's messages for the run under way (see above): English for
    ``tdkt --lang en evaluate`` and ``tdkt evaluate --rules x --lang=en`` alike."""
    args = _RUN_ARGS.get()
    args = sys.argv[1:] if args is None else args
    chosen: str | None = None
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and index + 1 < len(args):
            value: str | None = args[index + 1]
        else:
            value = arg.partition("=")[2] if arg.startswith("--lang=") else None
        if value in LANGUAGES:
            chosen = value
    chosen = chosen or os.environ.get("TDKT_LANG")
    return chosen if chosen in LANGUAGES else "vi"


class _ClickText(str):
    """A translated click sentence: click formats it after looking it up, and the words
    it fills in ("File 'x' is a directory", "not a valid integer") are translated then."""

    lang: Language

    def format(self, *args: object, **kwargs: object) -> str:
        if self.lang != "en":
            for name in _CLICK_WORD_FIELDS:
                word = kwargs.get(name)
                # only a path's kind in a path sentence: elsewhere {name} is the user's text
                if (isinstance(word, str) and f"click.word.{word}" in MESSAGES
                        and (name != "name" or "filename" in kwargs)):
                    kwargs[name] = MESSAGES[f"click.word.{word}"][self.lang]
        return str.format(self, *args, **kwargs)


def click_text(msgid: str) -> str:
    """click's sentence ``msgid`` in the run's language (``msgid`` itself if unknown)."""
    key = f"click.{msgid}"
    if key not in MESSAGES:
        return msgid
    lang = usage_lang()
    text = _ClickText(MESSAGES[key][lang])
    text.lang = lang
    return text


def _click_plural(singular: str, plural: str, count: int) -> str:
    return click_text(singular if count == 1 else plural)


def _install_click_translation() -> None:
    ours: dict[str, tuple[Callable[..., str], Callable[..., str]]] = {
        "_": (gettext.gettext, click_text), "ngettext": (gettext.ngettext, _click_plural)}
    for name in _CLICK_MODULES:
        module = importlib.import_module(name)
        for attribute, (theirs, translator) in ours.items():
            if getattr(module, attribute, None) is theirs:
                setattr(module, attribute, translator)


_install_click_translation()


def _option_help_in_language(params: list[click.Parameter]) -> list[click.Parameter]:
    """Put the help of click's own options (--help, --version) in the run's language."""
    for param in params:
        if not isinstance(param, click.Option) or not param.help:
            continue
        for msgid in _CLICK_OPTION_HELP:
            if param.help in MESSAGES[f"click.{msgid}"].values():
                param.help = click_text(msgid)
    return params


class TdktCommand(click.Command):
    """A command whose --help heading and option texts follow the run's language."""

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        return _option_help_in_language(super().get_params(ctx))


class TdktGroup(click.Group):
    """The ``tdkt`` group: remembers the run's arguments for :func:`usage_lang`, and
    makes its commands and sub-groups of the classes that speak the run's language."""

    command_class = TdktCommand
    group_class = type

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        return _option_help_in_language(super().get_params(ctx))

    def main(self, *args: Any, **kwargs: Any) -> Any:
        given = kwargs["args"] if "args" in kwargs else (args[0] if args else None)
        token = _RUN_ARGS.set(list(sys.argv[1:] if given is None else given))
        try:
            return super().main(*args, **kwargs)
        finally:
            _RUN_ARGS.reset(token)


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(click_text("%(prog)s, version %(version)s")
                   % {"prog": "tdkt", "version": __version__})
        ctx.exit()


LANG_HELP = "Ngôn ngữ hiển thị / output language (vi, en); TDKT_LANG."


def _chosen_lang(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    """A subcommand's ``--lang`` when typed, else the group's (``tdkt --lang en rules
    list``), else TDKT_LANG, else Vietnamese."""
    if value is not None and ctx.get_parameter_source(param.name or "lang") \
            is click.core.ParameterSource.COMMANDLINE:
        return value
    root = ctx.find_root()
    if root is not ctx and root.params.get("lang"):
        return cast(str, root.params["lang"])
    return value or "vi"


def lang_option(func: F) -> F:
    return click.option(
        "--lang", type=click.Choice(["vi", "en"]), default=None, envvar="TDKT_LANG",
        callback=_chosen_lang, help=LANG_HELP,
    )(func)


def rules_dir_option(func: F) -> F:
    return click.option(
        "--rules-dir", type=click.Path(path_type=Path, file_okay=False), default=None,
        envvar="TDKT_CRITERIA_DIR",
        help="Thư mục quy tắc (mặc định ./criteria hoặc thư viện kèm theo) / rule folder.",
    )(func)


def output_option(func: F) -> F:
    """``--output/-o FILE``: a document (export, checkpoint, receipt) written to a file
    instead of the screen."""
    return click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
                        help="Ghi ra tệp thay vì màn hình / write to a file.")(func)


def db_option(func: F) -> F:
    return click.option(
        "--db", "db", default=None, envvar="TDKT_DATABASE_URL", metavar="PATH|URL",
        help="Kho quyết định: tệp SQLite (mặc định ./tdkt.db) hoặc postgresql+psycopg://… "
             "/ decision store: a SQLite file or a PostgreSQL URL.",
    )(func)


@click.group(cls=TdktGroup,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True,
              callback=_print_version, help=click_text("Show the version and exit."))
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", envvar="TDKT_LANG",
              show_default=True, help=LANG_HELP)
def main(lang: str) -> None:
    """tdkt – kiểm tra hồ sơ đề nghị thi đua, khen thưởng theo bộ tiêu chí có phiên bản.

    Checks nominee records against versioned, quantified criteria for Vietnamese
    emulation and commendation titles and explains every decision.

    \b
    Ví dụ / examples:
      tdkt demo
      tdkt validate criteria/
      tdkt evaluate --rules lao-dong-tien-tien --nominees examples/lao-dong-tien-tien.json
      tdkt explain --rules lao-dong-tien-tien \\
          --nominees examples/lao-dong-tien-tien.json --id BG-2024-LDTT-0001
    """


def _print_problems(problems: Sequence[CriteriaError], lang: Language, *, warning: bool = False
                    ) -> None:
    err = error_console()
    heading = label("warning" if warning else "error", lang)
    for problem in problems:
        err.print(Text(f"{heading}: {problem.render(lang)}", style="yellow" if warning else "red"))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@lang_option
@report_errors
def validate(paths: tuple[Path, ...], lang: Language) -> None:
    """Kiểm tra tệp quy tắc (mặc định: thư mục criteria/) / check rule files.

    Mỗi lỗi nêu tệp, dòng, trường và cách sửa. Exit 1 nếu có lỗi.
    """
    roots = list(paths) or [default_criteria_dir()]
    # held to the library's layout whatever was given: never passes a file the library refuses
    with _progress(label("progress_validate", lang)) as progress:
        library = RuleLibrary.load(roots, as_library=True, progress=progress)
    # a file that loaded may still be at fault beside its other versions (overlaps, supersedes)
    faulty = {problem.where.path for problem in library.problems}
    good = [rule for rule in library.all() if rule.source.path not in faulty]
    rows: list[list[str | Text]] = [
        [str(rule.source.path), rule.id, rule.version, str(len(rule.criteria)),
         Text(label("invalid", lang), style="red") if rule.source.path in faulty
         else Text(label("ok", lang), style="green")] for rule in library.all()]
    rows += [[broken.path, ", ".join(broken.rule_ids), broken.version or "", "",
              Text(label("invalid", lang), style="red")] for broken in library.broken]
    listed = {rule.source.path for rule in library.all()} | {b.path for b in library.broken}
    others = list(dict.fromkeys(str(problem.where.path or "?") for problem in library.problems
                                if problem.where.path not in listed))
    rows += [[path, "", "", "", Text(label("invalid", lang), style="red")] for path in others]
    # where every path already holds its id and version (criteria/<id>/<version>.yaml) they
    # give way first on a narrow screen; a file elsewhere keeps them shown
    parts = [set(Path(str(row[0])).with_suffix("").parts) for row in rows]
    implied = all(str(row[1]) in held and str(row[2]) in held
                  for row, held in zip(rows, parts, strict=True) if row[1])
    columns = [Column(label("file", lang)), Column(label("id", lang), optional=implied),
               Column(label("version", lang), optional=implied),
               Column(label("criteria", lang)), Column(label("status", lang))]
    out = console()
    out.print(layout(out, columns, rows, title="tdkt validate"))
    _print_problems(library.warnings, lang, warning=True)
    _print_problems(library.problems, lang)
    files = len(library.all()) + len(library.broken) + len(others)
    console().print(label("validate_summary", lang, files=files, good=len(good),
                          bad=files - len(good)))
    if library.problems:
        sys.exit(1)


@main.group()
def rules() -> None:
    """Xem thư viện quy tắc / browse the rule library."""


@rules.command("list")
@click.option("--period", type=click.IntRange(1, 9999), default=None, metavar="YEAR",
              help="Chỉ các phiên bản có hiệu lực trong năm này / only versions in force that year.")
@click.option("--issuer", type=click.Choice(ISSUER_LEVELS), default=None,
              help="Chỉ quy tắc do cấp này khen / only rules awarded at this level.")
@rules_dir_option
@lang_option
@report_errors
def rules_list(period: int | None, issuer: str | None, rules_dir: Path | None,
               lang: Language) -> None:
    """Liệt kê các quy tắc và phiên bản / list rules and their versions.

    Với --period, mỗi quy tắc hiện phiên bản áp dụng cho năm đó (bản bắt đầu muộn nhất
    trong các bản đã ban hành, không bị thay thế) / with --period, the version each rule
    applies to that year.
    """
    library = RuleLibrary.load([rules_dir or default_criteria_dir()])
    rows: list[list[str | Text]] = []
    for rule in library.listing(period=period, issuer=issuer):
        model = rule.model
        title = model.title_en if lang == "en" and model.title_en else model.title
        rows.append([Text.assemble((rule.id, "bold"), "\n", title),
                     _version_state(library, rule, lang),
                     label(f"issuer.{model.issuer.level}", lang) if model.issuer else "",
                     label(f"subject.{model.subject}", lang),
                     label(f"basis.{model.award_basis}", lang),
                     _span(library.effective_range(rule)), str(len(rule.criteria))])
    # a version that failed to load is listed too: its rule id cannot be used until it is fixed
    for broken in library.broken:
        rows.append([Text.assemble((", ".join(broken.rule_ids) or "?", "bold"), "\n",
                                   (label("broken", lang), "red")),
                     broken.version or "", "", "", "", "", ""])
    # the title shares the id's cell: an id (up to 39 letters) and a readable title
    # would not both fit in columns of their own at 80 columns
    columns = [Column(f"{label('id', lang)} · {label('title', lang)}", floor=30),
               Column(label("version", lang)),
               Column(label("issuer", lang), optional=True),
               Column(label("subject", lang), floor=8, optional=True),
               Column(label("basis", lang), optional=True),
               Column(label("effective", lang), floor=12),
               Column(label("criteria", lang), optional=True)]
    out = console()
    out.print(layout(out, columns, rows, title=str(rules_dir or default_criteria_dir()),
                     show_lines=True))
    _print_problems(library.problems, lang)
    if library.problems:
        sys.exit(1)


@rules.command("show")
@click.argument("rule")
@click.option("--version", "version", default=None,
              help="Phiên bản (mặc định: mới nhất) / version (default: latest).")
@rules_dir_option
@lang_option
@report_errors
def rules_show(rule: str, version: str | None, rules_dir: Path | None, lang: Language) -> None:
    """Chi tiết một quy tắc: tham số, dữ kiện, tiêu chí, căn cứ / show one rule."""
    library = RuleLibrary.load([rules_dir or default_criteria_dir()])
    compiled = library.get(rule, version)
    _print_rule(compiled, lang, library)


def _span(span: tuple[date, date | None]) -> str:
    return f"{span[0]} → {span[1] or '…'}"


def _version_state(library: RuleLibrary, rule: CompiledRule, lang: Language) -> str:
    """A version, and below it whether it is a draft or superseded (never chosen by period)."""
    later = library.superseded_by(rule)
    if later is not None:
        return f"{rule.version}\n{label('superseded_by', lang, version=later)}"
    if rule.model.status == "draft":
        return f"{rule.version}\n{label('status.draft', lang)}"
    return rule.version


def _provenance(library: RuleLibrary, rule: CompiledRule, lang: Language) -> str:
    """Status, supersession, issuer and jurisdiction of a rule, one fact a line."""
    model = rule.model
    later = library.superseded_by(rule)
    status = (label("superseded_by", lang, version=later) if later
              else label(f"status.{model.status}", lang))
    lines = [f"{label('status', lang)}: {status}"]
    if model.supersedes:
        lines.append(f"{label('supersedes', lang)}: {', '.join(model.supersedes)}")
    if model.issuer is not None:
        lines.append(f"{label('issuer', lang)}: {label(f'issuer.{model.issuer.level}', lang)}"
                     f" · {model.issuer.name}")
    if model.jurisdiction is not None:
        area = label(f"jurisdiction.{model.jurisdiction.level}", lang)
        lines.append(f"{label('jurisdiction', lang)}: {area}"
                     + (f" · {model.jurisdiction.area}" if model.jurisdiction.area else ""))
    return "\n".join(lines)


def _print_rule(rule: CompiledRule, lang: Language, library: RuleLibrary) -> None:
    model: RuleFile = rule.model
    out = console()
    title = model.title_en if lang == "en" and model.title_en else model.title
    basis = "\n".join(c.render(lang) for c in model.legal_basis)
    kinds = " · ".join([label(f"kind.{model.kind}", lang), label(f"subject.{model.subject}", lang),
                        label(f"basis.{model.award_basis}", lang)])
    out.print(Panel(Text.assemble(
        (title, "bold"),
        f"\n{model.id} {model.version} · {_span(library.effective_range(rule))}\n{kinds}\n"
        f"{_provenance(library, rule, lang)}\nsha256 {rule.sha256}\n{basis}"),
        title=label("rule", lang)))
    if model.params:
        rows: list[list[str | Text]] = []
        for name, param in model.params.items():
            note = " · ".join(filter(None, [label("uncertain", lang) if param.uncertain else "",
                                            param.label or "", param.note or ""]))
            rows.append([name, f"{display.value(param.value, lang)} {param.unit or ''}".strip(),
                         note])
        columns = [Column(label("param", lang)), Column(label("value", lang), floor=10),
                   Column(label("note", lang), floor=20)]
        out.print(layout(out, columns, rows, title=label("param", lang)))
    rows = []
    for name, spec in model.inputs.items():
        if spec.type == "enum":
            span = ", ".join(spec.values or [])
        elif spec.is_numeric:
            low = "" if spec.min is None else display.number(spec.min, lang)
            high = "" if spec.max is None else display.number(spec.max, lang)
            span = f"{low} … {high}"
        else:
            span = label("yes_no", lang)
        better = label(f"better.{spec.better}", lang) if spec.better else ""
        rows.append([name, label(f"type.{spec.type}", lang),
                     " ".join(filter(None, [span.strip(), spec.unit])),
                     better, display.input_label(model, name, lang)])
    columns = [Column(label("input", lang)), Column(label("type", lang)),
               Column(label("range", lang), floor=12),
               Column(label("better", lang), optional=True), Column(label("label", lang), floor=16)]
    out.print(layout(out, columns, rows, title=label("input", lang)))
    notes = Footnotes()
    rows = []
    for compiled in rule.criteria:
        c = compiled.criterion
        weight = label("gate", lang) if c.gate else display.number(c.points or 0, lang)
        rows.append([Text.assemble((c.id, "bold"), "\n", criterion_text(c, lang)), weight,
                     c.expr, notes.mark(cite.render(lang) for cite in compiled.cite)])
    columns = [Column(label("criterion", lang), floor=20), Column(label("points", lang)),
               Column(label("expr", lang), floor=20), Column(label("cite", lang), floor=8)]
    out.print(layout(out, columns, rows, title=label("criterion", lang), show_lines=True))
    out.print(notes.renderable(out, label("citations", lang)))
    out.print(f"{label('min_points', lang)}: {display.number(model.decision.min_points, lang)} / "
              f"{display.number(model.max_points, lang)}")


def _run(rules_refs: Sequence[str], nominees: Path, rules_dir: Path | None, lang: Language
         ) -> BatchReport:
    chosen = [choose_rule(ref, rules_dir or default_criteria_dir()) for ref in rules_refs]
    choosers = [chooser for chooser, _ in chosen]
    library = next((lib for _, lib in chosen if lib is not None), None)
    err = error_console()
    if not err.is_terminal:
        return evaluate_file(nominees, *choosers, library=library)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=err, transient=True) as progress:
        task = progress.add_task(str(nominees), total=None)

        def advance(done: int, total: int) -> None:
            if total >= PROGRESS_THRESHOLD:
                progress.update(task, completed=done, total=total)

        return evaluate_file(nominees, *choosers, progress=advance, library=library)


def _outcome_text(decision: Decision, lang: Language) -> Text:
    return Text(message(f"outcome.{decision.outcome}", lang), style=OUTCOME_STYLE[decision.outcome])


def _decisions_table(decisions: Sequence[Decision], lang: Language) -> RenderableType:
    """One row per decision; the rule goes in the title, or in a column when several.

    Laid out by :func:`layout`: at 80 columns the unit gives way first, then each
    decision becomes a block of lines.
    """
    rules = {(d.rule.id, d.rule.version): d.rule for d in decisions}
    title = ""
    if len(rules) == 1:
        [rule] = rules.values()
        model = rule.model
        title = (f"{model.title_en if lang == 'en' and model.title_en else model.title}\n"
                 f"{rule.id} {rule.version} · sha256 {rule.sha256[:12]}…")
    several = len(rules) > 1
    columns = [Column(label("nominee", lang)), Column(label("name", lang), floor=10),
               Column(label("unit", lang), floor=16, optional=True),
               *([Column(label("rule", lang))] if several else []),
               Column(label("outcome", lang)), Column(label("points", lang)),
               Column(label("reason", lang), floor=20)]
    rows: list[list[str | Text]] = []
    for decision in decisions:
        rule_cell = [f"{decision.rule.id} {decision.rule.version}"] if several else []
        rows.append([decision.nominee_id, decision.name or "", decision.unit or "", *rule_cell,
                     _outcome_text(decision, lang), _points(decision, lang),
                     outcome_reason(decision, lang)])
    out = console()
    return layout(out, columns, rows, title=title)


def _points(decision: Decision, lang: Language = "vi") -> str:
    maximum = decision.rule.model.max_points
    return "—" if maximum == 0 else \
        f"{display.number(decision.points, lang)}/{display.number(maximum, lang)}"


@dataclass
class _Tally:
    """What ``evaluate`` saw, counted as the stream goes by (exact however long the file):
    the first :data:`TABLE_LIMIT` decisions for the table, the problems to report."""

    records: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    shown: list[Decision] = field(default_factory=list)
    problems: list[CriteriaError] = field(default_factory=list)
    warnings: list[CriteriaError] = field(default_factory=list)

    @property
    def decisions(self) -> int:
        return sum(self.outcomes.values())

    def add(self, item: Judged | Problem) -> None:
        if isinstance(item, Problem):
            if item.warning:
                self.warnings.append(item.error)
            else:
                self.records += 1
                self.problems.append(item.error)
            return
        self.records += 1
        for decision in item.decisions:
            self.outcomes[decision.outcome] += 1
            if len(self.shown) < TABLE_LIMIT:
                self.shown.append(decision)

    @classmethod
    def of(cls, report: BatchReport) -> _Tally:
        return cls(report.records, Counter(d.outcome for d in report.decisions),
                   list(report.decisions), list(report.problems), list(report.warnings))


def _print_tally(tally: _Tally, lang: Language, *, before: RenderableType | None = None
                 ) -> None:
    """The decisions table (cut at :data:`TABLE_LIMIT`, saying so), anything to show
    just above the summary (a period's per-title table), and the summary line."""
    out = console()
    out.print(_decisions_table(tally.shown, lang))
    if before is not None:
        out.print(before)
    out.print(_summary(tally, lang))
    if tally.decisions > len(tally.shown):
        out.print(Text(message("evaluate.table_cut", lang, shown=len(tally.shown),
                               total=tally.decisions), style="yellow"))


def _summary(tally: _Tally, lang: Language) -> str:
    counts = tally.outcomes
    return label("summary", lang, records=tally.records, decisions=tally.decisions,
                 dat=counts["dat"], khong_dat=counts["khong_dat"],
                 thieu=counts["thieu_du_lieu"], trung=counts["trung_thanh_tich"],
                 hoan=counts["hoan_xet"], bad=len(tally.problems),
                 chi_tieu=(label("summary_cap", lang, count=counts["loai_do_chi_tieu"])
                           if counts["loai_do_chi_tieu"] else ""))


def _dump_json(data: Any) -> str:
    return simplejson.dumps(data, ensure_ascii=False, indent=2, use_decimal=True)


@main.command()
@click.option("--rules", "rules_refs", required=True, multiple=True, metavar="RULE",
              help="Mã quy tắc (phiên bản theo kỳ), mã@phiên-bản, hoặc đường dẫn tệp YAML; "
                   "lặp lại để xét nhiều danh hiệu cùng lúc (một thành tích chỉ được khen một lần) "
                   "/ rule id, id@version or file; repeat to judge several titles at once.")
@click.option("--nominees", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="Tệp hồ sơ: .json, .jsonl, .yaml (một hồ sơ hoặc danh sách) / nominee file.")
@click.option("--json", "as_json", is_flag=True,
              help="In kết quả dạng JSON, mỗi quyết định một dòng trong mảng (xem README) "
                   "/ JSON output, one decision a line inside the array.")
@click.option("--jsonl", "as_jsonl", is_flag=True,
              help="In mỗi quyết định thành một dòng JSON (JSON Lines) / one JSON decision a line.")
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
              help="Ghi thêm ra tệp .xlsx hoặc .csv để mở bằng Excel / also write .xlsx or .csv.")
@click.option("--record", is_flag=True,
              help="Lưu mọi quyết định vào kho có nhật ký kiểm tra (chạy lại không ghi trùng) "
                   "/ record every decision in the audited store (re-runs record nothing twice).")
@click.option("--period", type=click.IntRange(1945, 2200), default=None,
              help="Xét cả kỳ (năm): mọi danh hiệu theo thứ tự phụ thuộc, có lịch sử, thành "
                   "viên tập thể và chỉ tiêu; --rules là thư mục quy tắc hoặc danh sách mã "
                   "/ judge a whole period: every title in dependency order, with history, "
                   "members and caps; --rules is a rules folder or a list of rule ids.")
@click.option("--history", "history_file", type=click.Path(path_type=Path, dir_okay=False),
              default=None,
              help="Tệp lịch sử danh hiệu (.json, .jsonl, .yaml) cho lượt xét --period, thêm "
                   "vào lịch sử trong kho / title history file for a --period run.")
@db_option
@click.option("--actor", default=None, envvar="TDKT_ACTOR",
              help="Người thực hiện ghi trong nhật ký (mặc định: tên đăng nhập) / who records.")
@rules_dir_option
@lang_option
@report_errors
def evaluate(rules_refs: tuple[str, ...], nominees: Path, as_json: bool, as_jsonl: bool,
             output: Path | None, record: bool, period: int | None, history_file: Path | None,
             db: str | None, actor: str | None, rules_dir: Path | None,
             lang: Language) -> None:
    """Xét hồ sơ theo một hoặc nhiều quy tắc / evaluate nominees against rules.

    Hồ sơ được đọc, xét, ghi vào kho (--record, từng lô) và in ra lần lượt, nên tệp lớn
    không làm đầy bộ nhớ; bảng chỉ hiện 200 quyết định đầu, dùng -o, --json hoặc --jsonl
    để có đủ. Exit 0 khi mọi hồ sơ được xét (kể cả không đạt); 1 khi có hồ sơ lỗi – các hồ
    sơ khác vẫn được xét và báo cáo; 2 khi dùng sai lệnh.
    """
    if as_json and as_jsonl:
        raise click.UsageError(message("evaluate.json_and_jsonl", lang))
    if output is not None:
        check_write_target(output)  # a bad -o fails before any work, and before recording
        if output.suffix.lower() not in EXPORT_SUFFIXES:
            raise click.BadParameter(message("evaluate.output_suffix", lang,
                                             suffix=output.suffix or output.name),
                                     param_hint="--output")
    if record:
        _check_recording(db, actor)  # a bad --db or --actor fails before any work
    if history_file is not None and period is None:
        raise click.UsageError(message("evaluate.period_needs", lang))
    if period is not None:
        _evaluate_period(rules_refs, nominees, period=period, history_file=history_file,
                         as_json=as_json, as_jsonl=as_jsonl, output=output, record=record,
                         db=db, actor=actor, rules_dir=rules_dir, lang=lang)
        return
    chosen = [choose_rule(ref, rules_dir or default_criteria_dir()) for ref in rules_refs]
    choosers = [chooser for chooser, _ in chosen]
    library = next((lib for _, lib in chosen if lib is not None), None)
    tally = _Tally()
    recorder = None
    export = DecisionExport(output, lang=lang) if output is not None else None
    with contextlib.ExitStack() as stack:
        if export is not None:
            stack.enter_context(export)
        read, wrote = stack.enter_context(_progress_bars(nominees, lang, record=record))
        items: Iterable[Judged | Problem] = stream_file(nominees, *choosers, progress=read,
                                                        library=library)
        if record:
            from criteria_engine.store import StreamRecorder

            # recorded before they are shown: the store may turn an outcome into
            # trung_thanh_tich (an achievement it already holds)
            recorder = StreamRecorder(db, actor=_actor(actor), command=_invocation(),
                                      source=str(nominees), progress=wrote)
            items = recorder.record(items)
        lines = _JsonLines(sys.stdout, lang, array=as_json) if as_json or as_jsonl else None
        for item in items:
            tally.add(item)
            if isinstance(item, Problem):
                if export is not None and not item.warning:
                    export.add_problem(item.error)
                continue
            for decision in item.decisions:
                if lines is not None:
                    lines.add(decision)
                if export is not None:
                    export.add(decision)
        if lines is not None:
            lines.close()
    if recorder is not None and recorder.summary is not None:
        _print_recorded(recorder.summary, lang, last_run=recorder.last_run_id)
    if lines is None:
        _print_tally(tally, lang)
    if export is not None:
        for sheet, continued in export.continued:
            error_console().print(Text(message("export.continued", lang, sheet=sheet,
                                               limit=export.max_rows,
                                               sheets=", ".join(continued))))
        error_console().print(label("written", lang, path=output))
    _print_problems(tally.warnings, lang, warning=True)
    _print_problems(tally.problems, lang)
    if tally.problems:
        sys.exit(1)


def _evaluate_period(rules_refs: Sequence[str], nominees: Path, *, period: int,
                     history_file: Path | None, as_json: bool, as_jsonl: bool,
                     output: Path | None, record: bool, db: str | None, actor: str | None,
                     rules_dir: Path | None, lang: Language) -> None:
    """``evaluate --period``: the whole period in dependency order (criteria_engine.period),
    then printed, exported and recorded as one batch like any run."""
    from criteria_engine.period import judge_period_file

    folders = [Path(ref) for ref in rules_refs if Path(ref).is_dir()]
    library = RuleLibrary.load(folders or [rules_dir or default_criteria_dir()])
    rule_ids = [ref for ref in rules_refs if not Path(ref).is_dir()] or None
    history, history_problems = _run_history(library, history_file, db if (db or record) else None)
    err = error_console()
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task(str(nominees), total=None)
        report = judge_period_file(library, nominees, period=period, rule_ids=rule_ids,
                                   history=history,
                                   progress=lambda done, total: bar.update(task, completed=done,
                                                                           total=total))
    report.problems[:0] = history_problems
    order = " → ".join(rule.id for rule in report.rules)
    err.print(label("period_order", lang, period=period, count=len(report.rules), order=order))
    if record:
        summary = _record_decisions(report.decisions, report.nominees, db, str(nominees),
                                    lang, actor=actor)
        report.decisions = list(summary.decisions_recorded)
        report.problems.extend(summary.refused)
    tally = _Tally(report.records, Counter(d.outcome for d in report.decisions),
                   report.decisions[:TABLE_LIMIT], list(report.problems), list(report.warnings))
    if as_json or as_jsonl:
        lines = _JsonLines(sys.stdout, lang, array=as_json)
        for decision in report.decisions:
            lines.add(decision)
        lines.close()
    else:
        _print_tally(tally, lang, before=_period_table(report, lang))
    if output is not None:
        with DecisionExport(output, lang=lang) as export:
            for decision in report.decisions:
                export.add(decision)
            for problem in report.problems:
                export.add_problem(problem)
        err.print(label("written", lang, path=output))
    _print_problems(tally.warnings, lang, warning=True)
    _print_problems(tally.problems, lang)
    if tally.problems:
        sys.exit(1)


def _run_history(library: RuleLibrary, history_file: Path | None, db: str | None
                 ) -> tuple[History | None, list[CriteriaError]]:
    """The title history of a period run: the store's (its own decisions and imported
    rows) when a store is named, plus a history file's rows, each checked as an import is
    (a row the store contradicts is reported and left out); None when there is neither."""
    from criteria_engine.history import History
    from criteria_engine.period import history_for_run

    from_file, problems = history_for_run(library, history_file, today=date.today())
    if db is None:
        return from_file, problems
    from criteria_engine.store import history_conflicts, load_history

    stored, conflicts = load_history(db)
    problems += [_conflict_error(conflict) for conflict in conflicts]
    if from_file is not None:
        entries = list(from_file)
        contradicted = history_conflicts(db, entries)
        problems += [_conflict_error(conflict) for conflict in contradicted]
        refused = {id(conflict.entry) for conflict in contradicted}
        merged = stored if stored is not None else History()
        for entry in entries:
            if id(entry) not in refused:
                merged.add(entry)
        stored = merged
    return stored, problems


def _conflict_error(conflict: Any) -> CriteriaError:
    """A history row the store contradicts, as a problem of the run naming the subject."""
    entry = conflict.entry
    number = both("history.conflict_number", number=entry.decision_number) \
        if entry.decision_number else ""
    return RecordError("history.conflict", Location(record=entry.subject, field="title"),
                       subject=entry.subject, title=entry.title, period=entry.period,
                       number=number, decision_id=conflict.decision_id, outcome=conflict.outcome)


class _JsonLines:
    """Decisions written as they come: one compact JSON object a line, inside ``[`` …
    ``]`` for ``--json`` (still a JSON array) or bare for ``--jsonl``."""

    #: Lines handed to the stream at a time.
    CHUNK = 1000

    def __init__(self, out: Any, lang: Language, *, array: bool) -> None:
        self.out = out
        self.lang = lang
        self.array = array
        self.count = 0
        self.pending: list[str] = []

    def add(self, decision: Decision) -> None:
        if self.array:
            self.pending.append(("[\n" if self.count == 0 else ",\n")
                                + decision_to_json(decision, self.lang))
        else:
            self.pending.append(decision_to_json(decision, self.lang) + "\n")
        self.count += 1
        if len(self.pending) >= self.CHUNK:
            self.flush()

    def flush(self) -> None:
        self.out.write("".join(self.pending))
        self.pending.clear()

    def close(self) -> None:
        if self.array:
            self.pending.append("\n]\n" if self.count else "[]\n")
        self.flush()
        self.out.flush()


@contextlib.contextmanager
def _progress_bars(path: Path, lang: Language, *, record: bool) -> Iterator[
        tuple[Callable[[int, int], None] | None, Callable[[int], None] | None]]:
    """Progress callbacks for reading (and recording) on a terminal; ``None`` elsewhere."""
    err = error_console()
    if not err.is_terminal:
        yield None, None
        return
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=err, transient=True) as progress:
        reading = progress.add_task(message("evaluate.reading", lang, path=path), total=None)
        recording = progress.add_task(message("evaluate.recording", lang), total=None,
                                      visible=False)

        def read(done: int, total: int) -> None:
            if total >= PROGRESS_THRESHOLD:
                progress.update(reading, completed=done, total=total)

        def wrote(done: int) -> None:
            progress.update(recording, completed=done, visible=True)

        yield read, wrote if record else None


@main.command()
@click.option("--rules", "rules_ref", required=True, metavar="RULE",
              help="Mã quy tắc, mã@phiên-bản, hoặc đường dẫn tệp YAML / rule id, id@version or file.")
@click.option("--nominees", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="Tệp hồ sơ chứa hồ sơ cần giải thích / the nominee file.")
@click.option("--id", "nominee_id", required=True, help="Mã hồ sơ cần giải thích / the nominee id.")
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON / JSON output.")
@click.option("--db", "db", default=None, metavar="PATH|URL",
              help="Xét cả thành tích đã được khen trong kho này (chỉ đọc) / also check the "
                   "achievements already rewarded in this store (read-only).")
@click.option("--period", type=click.IntRange(1945, 2200), default=None,
              help="Xét cả kỳ như evaluate --period rồi giải thích quyết định của danh hiệu "
                   "--rules: chuỗi năm, thành viên, chỉ tiêu / judge the whole period first "
                   "(streaks, members, caps), then explain.")
@click.option("--history", "history_file", type=click.Path(path_type=Path, dir_okay=False),
              default=None, help="Tệp lịch sử danh hiệu cho --period / title history file.")
@rules_dir_option
@lang_option
@report_errors
def explain(rules_ref: str, nominees: Path, nominee_id: str, as_json: bool, db: str | None,
            period: int | None, history_file: Path | None, rules_dir: Path | None,
            lang: Language) -> None:
    """Giải thích từng tiêu chí của một hồ sơ / explain one nominee's decision.

    Với mỗi tiêu chí: kết quả, giá trị đã dùng, ngưỡng và điều khoản căn cứ. Với --period:
    cả những gì quyết định dựa vào ngoài hồ sơ (lịch sử, thành viên, chỉ tiêu).
    """
    if history_file is not None and period is None:
        raise click.UsageError(message("evaluate.period_needs", lang))
    if period is not None:
        from criteria_engine.period import judge_period_file

        library = RuleLibrary.load([rules_dir or default_criteria_dir()])
        history, history_problems = _run_history(library, history_file, db)
        judged = judge_period_file(library, nominees, period=period, history=history)
        report = BatchReport(path=str(nominees),
                             decisions=[d for d in judged.decisions if d.rule.id == rules_ref],
                             nominees=judged.nominees,
                             problems=[*history_problems, *judged.problems])
        db = None  # the period run already read the store's history
    else:
        report = _run([rules_ref], nominees, rules_dir, lang)
    if db is not None:
        from criteria_engine.store import judge_against_store

        report.decisions = judge_against_store(db, report)
    decision = next((d for d in report.decisions if d.nominee_id == nominee_id), None)
    if decision is None:
        own = [p for p in report.problems if p.where.record
               and p.where.record.split(" ")[0] == nominee_id]
        if own:
            _print_problems(own, lang)
            sys.exit(1)
        known = [d.nominee_id for d in report.decisions]
        close = difflib.get_close_matches(nominee_id, known, n=3, cutoff=0.6)
        hint = both("explain.did_you_mean", ids=", ".join(f"'{c}'" for c in close)) \
            if close else ""
        raise RecordError("explain.not_found", Location(path=str(nominees)),
                          record_id=nominee_id, hint=hint)
    if as_json:
        click.echo(_dump_json(decision_to_dict(decision, lang)))
        return
    titles: dict[str, str] = {}
    if decision.context:  # name the titles a derived fact read, not just their ids
        names = RuleLibrary.load([rules_dir or default_criteria_dir()])
        for rule_id, versions in names.rules.items():
            model = versions[-1].model
            titles[rule_id] = model.title_en if lang == "en" and model.title_en else model.title
    _print_explanation(decision, lang, titles)


def _print_explanation(decision: Decision, lang: Language,
                       titles: dict[str, str] | None = None) -> None:
    out = console()
    rule = decision.rule
    model = rule.model
    title = model.title_en if lang == "en" and model.title_en else model.title
    header = Text.assemble(
        (f"{decision.nominee_id} · {decision.name or ''}", "bold"), "\n",
        f"{decision.unit or ''} · {label('period', lang)} {decision.period}\n",
        f"{label('rule', lang)}: {title}\n{rule.id} {rule.version} · sha256 {rule.sha256}\n",
        f"{label('engine', lang)}: {decision.engine_version}\n",
        (f"{label('decision', lang)}: ", "bold"), _outcome_text(decision, lang),
        f" — {display.number(decision.points, lang)}/{display.number(model.max_points, lang)} "
        f"({label('min_points', lang)} {display.number(model.decision.min_points, lang)})\n",
        outcome_reason(decision, lang),
    )
    out.print(Panel(header, title="tdkt explain"))
    # issue 10: the place against the unit's cap, and the derived facts in words
    if decision.cap is not None:
        out.print(Panel(Text("\n".join(cap_lines(decision, lang))), title=label("cap", lang)))
    if decision.context:
        out.print(Panel(Text("\n".join(context_lines(decision, lang, titles))),
                        title=label("context", lang)))
    notes = Footnotes()
    rows: list[list[str | Text]] = []
    # deferral conditions first (NĐ 152/2025 Điều 4 k4): while one holds, the criteria wait
    for deferral in decision.deferral:
        d = deferral.compiled.condition
        rows.append([
            Text.assemble((d.id, "bold"), "\n", criterion_text(d, lang)),
            Text(message(f"result.{deferral.result}", lang), style=RESULT_STYLE[deferral.result]),
            label("deferral_kind", lang),
            "\n".join(f"{display.input_label(model, k, lang)}: {display.value(v, lang)}"
                      for k, v in decision.values_used(deferral).items()),
            "\n".join([d.expr, *(f"{k} = {display.value(v, lang)}"
                                 for k, v in deferral.compiled.params.items())]),
            notes.mark(cite.render(lang) for cite in deferral.compiled.cite)])
    for result in decision.criteria:
        c = result.compiled.criterion
        values = "\n".join(f"{display.input_label(model, k, lang)}: {display.value(v, lang)}"
                           for k, v in decision.values_used(result).items())
        thresholds = "\n".join([c.expr, *(f"{k} = {display.value(v, lang)}"
                                          for k, v in result.compiled.params.items())])
        weight = label("gate", lang) if c.gate else \
            f"{display.number(result.points or 0, lang)}/{display.number(c.points or 0, lang)}"
        rows.append([Text.assemble((c.id, "bold"), "\n", criterion_text(c, lang)),
                     Text(message(f"result.{result.result}", lang),
                          style=RESULT_STYLE[result.result]),
                     weight, values, thresholds,
                     notes.mark(cite.render(lang) for cite in result.compiled.cite)])
    columns = [Column(label("criterion", lang), floor=20), Column(label("result", lang), floor=9),
               Column(label("points", lang)), Column(label("values", lang), floor=16),
               Column(label("threshold", lang), floor=16), Column(label("cite", lang), floor=8)]
    out.print(layout(out, columns, rows, show_lines=True))
    out.print(notes.renderable(out, label("citations", lang)))


@main.command()
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Ghi ra tệp thay vì in ra màn hình / write to a file.")
@lang_option
@report_errors
def schema(output: Path | None, lang: Language) -> None:
    """In JSON Schema của định dạng tệp quy tắc (cho trình soạn thảo) / print the JSON Schema."""
    if output is not None:
        check_write_target(output)
    text = json.dumps(RuleFile.model_json_schema(by_alias=True), ensure_ascii=False, indent=2)
    if output is None:
        click.echo(text)
    else:
        output.write_text(text + "\n", encoding="utf-8")


@main.command()
@rules_dir_option
@click.option("--examples-dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Thư mục hồ sơ mẫu (mặc định ./examples) / sample folder.")
@click.option("--record/--no-record", default=True, show_default=True,
              help="Ghi các quyết định vào kho và kiểm tra toàn vẹn / record and verify.")
@db_option
@lang_option
@report_errors
def demo(rules_dir: Path | None, examples_dir: Path | None, record: bool, db: str | None,
         lang: Language) -> None:
    """Chạy thử: kiểm tra thư viện quy tắc, xét các hồ sơ mẫu, ghi vào kho và kiểm tra
    toàn vẹn / run the demo: validate, evaluate the samples, record, verify.

    Chạy lại không ghi trùng (khoá chống trùng) / running it again records nothing twice.
    """
    library = RuleLibrary.load([rules_dir or default_criteria_dir()])
    out = console()
    out.print(label("validate_summary", lang, files=len(library.all()) + len(library.problems),
                    good=len(library.all()), bad=len(library.problems)))
    _print_problems(library.problems, lang)
    runs = run_demo(library, examples_dir or default_examples_dir())
    failed = bool(library.problems)
    for run in runs:
        if record:
            recorded = _record_report(run.report, db, None, lang)
            run.report.decisions = list(recorded.decisions_recorded)
        out.print(_decisions_table(run.report.decisions, lang))
        out.print(_summary(_Tally.of(run.report), lang))
        _print_problems(run.report.warnings, lang, warning=True)
        _print_problems(run.report.problems, lang)
        failed = failed or not run.report.clean
    for example in period_examples(examples_dir or default_examples_dir()):
        failed = not _demo_period(library, example, record=record, db=db, lang=lang) or failed
    if record:
        failed = not _print_verification(db, lang) or failed
    shown = [(run, d) for run in runs for d in run.report.decisions]
    if shown:
        run, decision = shown[0]
        # soft wrap: the command stays on one line however narrow, so it can be copied
        out.print(Text(label("demo_hint", lang, rule=decision.rule.id,
                             path=shlex.quote(str(run.report.path)),
                             id=shlex.quote(decision.nominee_id))), soft_wrap=True)
    conflict = next((d for _, d in shown if d.outcome == "trung_thanh_tich"), None)
    if conflict is not None:
        out.print(Text(label("demo_hint_conflict", lang, id=shlex.quote(conflict.nominee_id))),
                  soft_wrap=True)
    if failed:
        sys.exit(1)


def _demo_period(library: RuleLibrary, example: PeriodExample, *, record: bool,
                 db: str | None, lang: Language) -> bool:
    """The demo's whole period: with ``record``, the history file is imported into the
    store (in the audit chain) and the run reads it from there, then the run is recorded
    as one batch; without, the history file is read for this run only. True when clean."""
    from criteria_engine.period import history_for_run, judge_period_file

    out = console()
    problems: list[CriteriaError] = []
    if record and example.history is not None:
        from criteria_engine.store import import_history, load_history

        from_file, problems = history_for_run(library, example.history, today=date.today())
        entries = list(from_file) if from_file is not None else []
        imported = import_history(db, entries, actor=_actor(None),
                                  source_name=str(example.history))
        out.print(label("demo_history", lang, path=example.history, added=imported.added,
                        unchanged=imported.unchanged))
        problems += [_conflict_error(conflict) for conflict in imported.conflicts]
        history: History | None = load_history(db)[0]
    else:
        history, more = history_for_run(library, example.history, today=date.today())
        problems += more
    report = judge_period_file(library, example.nominees, period=example.period,
                               history=history)
    report.problems[:0] = problems
    if record:
        summary = _record_decisions(report.decisions, report.nominees, db, str(example.nominees),
                                    lang)
        report.decisions = list(summary.decisions_recorded)
        report.problems.extend(summary.refused)
    out.print(_period_table(report, lang))
    out.print(_summary(_Tally(report.records, Counter(d.outcome for d in report.decisions),
                              [], list(report.problems), list(report.warnings)), lang))
    _print_problems(report.warnings, lang, warning=True)
    _print_problems(report.problems, lang)
    history_arg = f" --history {shlex.quote(str(example.history))}" if example.history else ""
    collective = next((d for d in report.decisions if d.context and d.rule.model.subject
                       == "tap_the"), None) or next((d for d in report.decisions if d.context),
                                                    None)
    if collective is not None:
        out.print(Text(label("demo_hint_period", lang, rule=collective.rule.id,
                             path=shlex.quote(str(example.nominees)), period=example.period,
                             history=history_arg, id=shlex.quote(collective.nominee_id))),
                  soft_wrap=True)
    return report.clean


def _record_decisions(decisions: Sequence[Decision], nominees: Any, db: str | None,
                      source: str, lang: Language, *, actor: str | None = None
                      ) -> RecordSummary:
    """A period run recorded as one batch (one transaction, one run in the audit log)."""
    from criteria_engine.store import Store

    with Store.open(db) as store:
        summary = store.record(decisions, nominees=nominees, actor=_actor(actor),
                               command=_invocation(), source=source)
    _print_recorded(summary, lang)
    return summary


def _period_table(report: Any, lang: Language) -> RenderableType:
    """One row per title of a period run, in the order judged: how many reached it, did
    not, were deferred, lacked data, were past the quota or already rewarded."""
    outcomes = ("dat", "khong_dat", "hoan_xet", "thieu_du_lieu", "loai_do_chi_tieu",
                "trung_thanh_tich")
    counts: dict[str, Counter[str]] = {}
    for decision in report.decisions:
        counts.setdefault(decision.rule.id, Counter())[decision.outcome] += 1
    shown = [o for o in outcomes if any(c[o] for c in counts.values())] or ["dat"]
    columns = [Column(label("rule", lang), floor=20),
               *(Column(message(f"outcome.{o}", lang)) for o in shown)]
    rows: list[list[str | Text]] = []
    for rule in report.rules:
        if rule.id not in counts:
            continue
        model = rule.model
        title = model.title_en if lang == "en" and model.title_en else model.title
        rows.append([Text.assemble((title, "bold"), f"\n{rule.id} {rule.version}"),
                     *(display.number(counts[rule.id][o], lang) for o in shown)])
    order = " → ".join(rule.id for rule in report.rules if rule.id in counts)
    return layout(console(), columns, rows,
                  title=label("period_title", lang, period=report.period, order=order))


# --- dedup command ---

DEDUP_STYLE = {"equivalent": "bold red", "implies": "red", "implied_by": "red",
               "overlaps": "yellow", "undecided": "magenta", "disjoint": "dim"}


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "json", "xlsx"]), default="table",
              show_default=True, help="Dạng báo cáo / report format.")
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Ghi ra tệp (bắt buộc với xlsx) / write to a file (required for xlsx).")
@click.option("--fail-on", "fail_on", default="", metavar="CLASSES",
              help="Exit 1 nếu có kết luận thuộc các loại này, ví dụ equivalent,implies "
                   "(equivalent, implies, overlaps, undecided, disjoint) / exit 1 on these.")
@click.option("--all", "show_all", is_flag=True,
              help="Liệt kê cả các cặp không giao nhau / also list disjoint pairs.")
@lang_option
@report_errors
def dedup(paths: tuple[Path, ...], fmt: str, output: Path | None, fail_on: str, show_all: bool,
          lang: Language) -> None:
    """So sánh tiêu chí giữa các danh hiệu cùng hiệu lực / compare criteria across titles.

    Mỗi cặp tiêu chí dùng chung dữ kiện được xếp loại: tương đương, kéo theo, giao nhau,
    không giao nhau, hoặc chưa quyết định được; kèm hồ sơ minh họa do bộ máy xét lại và
    cách chứng minh. Exit 0 xong; 1 khi có tệp lỗi hoặc --fail-on gặp kết luận; 2 khi
    dùng sai lệnh.

    \b
    Ví dụ / examples:
      tdkt dedup criteria/
      tdkt dedup criteria/ --format json --fail-on equivalent,implies
    """
    from criteria_engine.dedup import (
        FAIL_ON_CLASSES,
        export_report,
        failing,
        find_overlaps,
        groups,
        report_to_dict,
        summary_text,
    )

    classes = [c.strip() for c in fail_on.split(",") if c.strip()]
    for value in classes:
        if value not in FAIL_ON_CLASSES:
            raise click.BadParameter(message("dedup.fail_on_unknown", lang, value=value,
                                             allowed=", ".join(FAIL_ON_CLASSES)),
                                     param_hint="--fail-on")
    if fmt == "xlsx" and output is None:
        raise click.BadParameter(message("dedup.output_needed", lang), param_hint="--output")
    if output is not None:
        check_write_target(output)  # before the comparison, which can take a while
    library = RuleLibrary.load(list(paths) or [default_criteria_dir()])
    report = find_overlaps(library.all())

    def show(out: Console) -> None:
        headers = message("dedup.headers.table", lang).split("|")
        found = groups(report, lang, include_disjoint=show_all)
        # the wording column (a similarity score) is the first to give way
        columns = [Column(header, floor=12, optional=index == 5)
                   for index, header in enumerate(headers)]
        for group in found:
            rows: list[list[str | Text]] = [
                [Text(row.relation_text, style=DEDUP_STYLE[row.relation]), row.left,
                 row.right, row.witness, row.evidence, row.wording] for row in group.rows]
            out.print(layout(out, columns, rows, title=group.heading, show_lines=True))
        if not found:
            out.print(message("dedup.none", lang))
        if not show_all and report.count("disjoint"):
            out.print(message("dedup.hidden", lang, count=report.count("disjoint")))
        out.print(summary_text(report, lang))

    if fmt == "xlsx":
        assert output is not None
        export_report(output, report, lang=lang, include_disjoint=show_all)
        error_console().print(label("written", lang, path=output))
    elif fmt == "json":
        text = _dump_json(report_to_dict(report, lang, include_disjoint=show_all))
        if output is None:
            click.echo(text)
        else:
            output.write_text(text + "\n", encoding="utf-8")
            error_console().print(label("written", lang, path=output))
    elif output is None:
        show(console())
    else:
        with output.open("w", encoding="utf-8") as handle:
            show(Console(file=handle, width=160, highlight=False))
        error_console().print(label("written", lang, path=output))
    _print_problems(library.warnings, lang, warning=True)
    _print_problems(library.problems, lang)
    hits = failing(report, classes)
    if hits:
        error_console().print(Text(message("dedup.fail_on", lang, count=len(hits),
                                           classes=", ".join(classes)), style="red"))
    if library.problems or hits:
        sys.exit(1)


# --- check command ---


@contextlib.contextmanager
def _progress(description: str) -> Iterator[Callable[[int, int], None] | None]:
    """A ``(done, total)`` callback drawing a bar on stderr, or None when stderr is not a
    terminal (a pipe or a log gets no bar); used by check and validate, whose work can
    take seconds before anything else is printed."""
    err = error_console()
    if not err.is_terminal:
        yield None
        return
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=err, transient=True) as bar:
        task = bar.add_task(description, total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--seed", type=int, default=0, show_default=True,
              help="Hạt giống sinh ngẫu nhiên: cùng seed cho cùng kết quả / random seed.")
@click.option("--max-examples", type=click.IntRange(min=1), default=100, show_default=True,
              help="Số ví dụ tối đa cho mỗi lần tìm / examples per search.")
@click.option("--property", "properties", multiple=True, metavar="NAME",
              help="Chỉ chạy thuộc tính này (lặp lại được): satisfiable, monotone, consistent, "
                   "exact-arithmetic, deterministic, hierarchy / run only this property.")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON / JSON output.")
@lang_option
@report_errors
def check(paths: tuple[Path, ...], seed: int, max_examples: int, properties: tuple[str, ...],
          as_json: bool, lang: Language) -> None:
    """Kiểm tra tính nhất quán của tệp quy tắc / property-based checks of rule files.

    Với mỗi tệp (và các danh hiệu cùng hiệu lực): đạt được, đơn điệu, quyết định nhất
    quán, tính toán chính xác, tất định, thứ bậc danh hiệu. Phản ví dụ in ra dưới dạng
    hồ sơ đề nghị. Exit 1 nếu có phát hiện hoặc tệp lỗi.
    """
    # imported here: hypothesis is only needed by this command
    from criteria_engine.check import check_paths, property_names, render_text, report_to_dict

    unknown = sorted(set(properties) - set(property_names()))
    if unknown:
        raise click.BadParameter(f"{', '.join(unknown)} ({', '.join(property_names())})",
                                 param_hint="--property")
    with _progress(label("progress_check", lang)) as progress:
        report = check_paths(list(paths) or [default_criteria_dir()], seed=seed,
                             max_examples=max_examples, properties=properties,
                             progress=progress)
    if as_json:
        click.echo(_dump_json(report_to_dict(report, lang)))
    else:
        click.echo(render_text(report, lang))  # plain lines: a terminal wraps them
    _print_problems(report.warnings, lang, warning=True)
    _print_problems(report.problems, lang)
    if not report.ok:
        sys.exit(1)


# --- store commands ---
# `evaluate --record`, `tdkt db …` and `tdkt audit …`: each command makes one call into
# criteria_engine.store (imported inside the commands so other commands do not load
# SQLAlchemy) and formats the result.


def _actor(actor: str | None) -> str:
    if actor:
        return actor
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def _invocation() -> str:
    """The command as typed, for the run's record (without --db, which may hold a password)."""
    context = click.get_current_context()
    words = ["tdkt", *context.command_path.split()[1:]]
    for param in context.command.params:
        value = context.params.get(param.name or "")
        if not isinstance(param, click.Option) or param.name in ("db", "actor", "record") \
                or value in (None, False, ()):
            continue
        flag = param.opts[-1] if param.opts[-1].startswith("--") else param.opts[0]
        for item in value if isinstance(value, tuple) else (value,):
            words.append(flag if item is True else f"{flag} {shlex.quote(_typed(item))}")
    return " ".join(words)


def _typed(value: Any) -> str:
    """An argument as text the store can keep: bytes that were not UTF-8 (which Python
    hands over as lone surrogates) written as ``\\udcff``."""
    return str(value).encode("utf-8", "backslashreplace").decode("utf-8")


def _check_recording(db: str | None, actor: str | None) -> None:
    from criteria_engine.store import check_recording

    check_recording(db, actor=_actor(actor))


def _record_report(report: BatchReport, db: str | None, actor: str | None,
                   lang: Language) -> RecordSummary:
    from criteria_engine.store import record_report

    summary = record_report(db, report, actor=_actor(actor), command=_invocation())
    report.problems.extend(summary.refused)
    _print_recorded(summary, lang)
    return summary


def _print_recorded(summary: RecordSummary, lang: Language, *, last_run: int | None = None
                    ) -> None:
    """What was recorded; a run recorded in several batches names its first and last run."""
    run = (str(summary.run_id) if last_run is None or last_run == summary.run_id
           else f"{summary.run_id}–{last_run}")
    error_console().print(Text(message(
        "store.recorded", lang, recorded=summary.recorded, database=summary.database,
        run=run, already=summary.already_recorded, head_id=summary.last_event_id,
        head_hash=summary.head_hash)))
    if summary.corrected:
        error_console().print(Text(message("store.corrected", lang, count=summary.corrected)))


@main.group("db")
def db_group() -> None:
    """Lược đồ kho quyết định (Alembic) / the decision store's schema revisions.

    Tệp SQLite chưa có được tạo ở phiên bản mới nhất khi dùng lần đầu; cơ sở dữ liệu đã
    có (PostgreSQL) cần `tdkt db upgrade` trước. Tệp SQLite được sao lưu trước khi chuyển
    đổi.
    """


def _print_migration(migration: Any, lang: Language) -> None:
    none = message("db.none", lang)
    console().print(Text(message("db.migrated", lang, database=migration.database,
                                 before=migration.before.current or none,
                                 after=migration.after.current or none)))
    if migration.forced:
        error_console().print(Text(message(
            "store.backup_written", lang, path=migration.backup, rows=migration.backup_rows,
            tables=migration.backup_tables)))
    elif migration.backup is not None:
        error_console().print(Text(message("db.backup", lang, path=migration.backup)))


@db_group.command("upgrade")
@click.argument("revision", default="head")
@db_option
@lang_option
@report_errors
def db_upgrade(revision: str, db: str | None, lang: Language) -> None:
    """Nâng lược đồ lên REVISION (mặc định head) / upgrade the schema."""
    from criteria_engine.store import upgrade

    _print_migration(upgrade(db, revision), lang)


@db_group.command("downgrade", context_settings={"ignore_unknown_options": True})
@click.argument("revision")
@click.option("--force", is_flag=True,
              help="Cho phép xoá dữ liệu (ghi bản sao lưu trước) / allow dropping rows "
                   "(a backup is written first).")
@click.option("--backup", "backup", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Tệp sao lưu khi --force / the backup file with --force.")
@db_option
@lang_option
@report_errors
def db_downgrade(revision: str, force: bool, backup: Path | None, db: str | None,
                 lang: Language) -> None:
    """Hạ lược đồ về REVISION (ví dụ: -1, base) / downgrade the schema.

    Bước nào làm mất dữ liệu ('base' xoá cả kho; dưới 0002 mất các dòng sử dụng thành
    tích) bị từ chối nếu không có --force; với --force, mọi bảng được sao lưu trước
    (SQLite: bản sao tệp; PostgreSQL: tệp zip CSV kèm restore.psql).

    \b
    Ví dụ / examples:
      tdkt db downgrade -1
      tdkt db downgrade base --force --backup tdkt-truoc-khi-xoa.zip \\
        --db postgresql+psycopg://tdkt@db.example:5432/tdkt
    """
    from criteria_engine.store import downgrade

    _print_migration(downgrade(db, revision, force=force, backup=backup), lang)


@db_group.command("grant")
@click.option("--app-role", "role", required=True,
              help="Vai trò của ứng dụng, ví dụ tdkt_app / the application's role.")
@click.option("--login", is_flag=True,
              help="Tạo vai trò được đăng nhập (đặt mật khẩu sau) / create it as a LOGIN "
                   "role (set its password afterwards).")
@db_option
@lang_option
@report_errors
def db_grant(role: str, login: bool, db: str | None, lang: Language) -> None:
    """Cấp cho vai trò ứng dụng đúng quyền cần (PostgreSQL) / grant the app role.

    Chạy bằng vai trò sở hữu (người đã chạy `tdkt db upgrade`): SELECT, INSERT trên mọi
    bảng tdkt, UPDATE chỉ trên audit_chain_head; không sửa, xoá, TRUNCATE, trigger.
    Chạy lại sau mỗi lần `tdkt db upgrade`.

    \b
    Ví dụ / example:
      tdkt db grant --app-role tdkt_app --db postgresql+psycopg://owner@db/tdkt
    """
    from criteria_engine.store import grant_app_role

    grant = grant_app_role(db, role, login=login)
    state = (message("store.role_created", lang, login=message(
        "store.role_login" if grant.login else "store.role_nologin", lang))
        if grant.created else message("store.role_existed", lang))
    console().print(Text(message("store.granted", lang, role=grant.role, state=state,
                                 database=grant.database, tables=len(grant.tables),
                                 schema=grant.schema)))


@db_group.command("current")
@db_option
@lang_option
@report_errors
def db_current(db: str | None, lang: Language) -> None:
    """Phiên bản lược đồ hiện tại / show the schema revision. Exit 1 nếu cần nâng cấp."""
    from criteria_engine.store import current_revision

    database, status = current_revision(db)
    if status.at_head:
        console().print(Text(message("db.current", lang, database=database,
                                     current=status.current)))
    elif status.empty and ("://" in database or Path(database).exists()):
        # a database that exists is never given the schema silently (only a missing file)
        error_console().print(Text(message("store.empty_needs_upgrade", lang,
                                           database=database), style="red"))
        sys.exit(1)
    elif status.empty:
        console().print(Text(message("db.empty", lang, database=database, head=status.head)))
    else:
        if status.current is None:
            text = message("store.not_tdkt", lang)
        elif not status.known:
            text = message("store.unknown_revision", lang, current=status.current,
                           version=__version__)
        else:
            text = message("db.behind", lang, database=database, current=status.current,
                           head=status.head)
        error_console().print(Text(text if status.known and status.current else
                                   f"{database}: {text}", style="red"))
        sys.exit(1)


@main.group()
def audit() -> None:
    """Nhật ký kiểm tra: xác minh, xem, xuất, điểm kiểm chứng, biên nhận / the audit trail:
    verify, show, log, export, signed checkpoints, receipts."""


@audit.command("verify")
@db_option
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON / JSON output.")
@click.option("--checkpoint", "checkpoints", multiple=True, metavar="FILE",
              type=click.Path(path_type=Path, dir_okay=False),
              help="Điểm kiểm chứng đã ký mà nhật ký phải nối tiếp (lặp lại được) "
                   "/ a signed checkpoint the log must extend (repeatable).")
@click.option("--pubkey", type=click.Path(path_type=Path, dir_okay=False), default=None,
              metavar="FILE", help="Khoá công khai đã công bố / the published public key.")
@lang_option
@report_errors
def audit_verify(db: str | None, as_json: bool, checkpoints: tuple[Path, ...],
                 pubkey: Path | None, lang: Language) -> None:
    """Tính lại chuỗi băm và xét lại mọi quyết định / recompute the chain, replay decisions.

    Báo từng dòng bị sửa, xoá hoặc đổi thứ tự, theo mã. Với --checkpoint, chứng minh nhật
    ký hiện tại nối tiếp từng điểm kiểm chứng đã ký (phát hiện viết lại, cắt đuôi, dựng lại
    từ đầu). Exit 1 nếu có vấn đề.
    """
    if not _print_verification(db, lang, as_json=as_json, checkpoints=checkpoints,
                               pubkey=pubkey):
        sys.exit(1)


def _verify(db: str | None, lang: Language) -> VerifyReport:
    """``verify`` with one progress bar per stage on a terminal (nothing when piped)."""
    from criteria_engine.store import verify

    err = error_console()
    if not err.is_terminal:
        return verify(db)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=err, transient=True) as progress:
        tasks: dict[str, TaskID] = {}

        def advance(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(message(f"audit.stage.{stage}", lang),
                                                 total=total)
            progress.update(tasks[stage], completed=done)

        return verify(db, progress=advance)


def _print_verification(db: str | None, lang: Language, *, as_json: bool = False,
                        checkpoints: Sequence[Path] = (), pubkey: Path | None = None) -> bool:
    anchored = _check_checkpoints(db, checkpoints, pubkey)
    report = _verify(db, lang)
    if anchored is not None:
        report.findings.extend(anchored.findings)
    if as_json:
        click.echo(_dump_json({
            "ok": report.ok, "events": report.events, "decisions": report.decisions,
            "replayed": report.replayed, "rule_files": report.rule_files,
            "head": {"event_id": report.head_event_id, "hash": report.head_hash},
            "checkpoints": [{"file": c.file, "tree_size": c.tree_size, "at": c.at}
                            for c in (anchored.checked if anchored else [])],
            "findings": [{"table": f.table, "row": f.row, "problem": f.key,
                          "message": f.render(lang)} for f in report.findings]}))
    else:
        for checked in anchored.checked if anchored else []:
            console().print(Text(message(
                "checkpoint.verified", lang, file=checked.file, size=checked.tree_size,
                at=checked.at, events=anchored.events if anchored else 0), style="green"))
        for finding in report.findings:
            error_console().print(Text(shown(finding.render(lang)), style="red"))
        key = "audit.verified" if report.ok else "audit.problems"
        console().print(Text(message(
            key, lang, count=len(report.findings), events=report.events,
            decisions=report.decisions, replayed=report.replayed, engine=__version__,
            rules=report.rule_files, history=report.history_rows,
            head_id=report.head_event_id, head_hash=report.head_hash),
            style="green" if report.ok else "red"))
    return report.ok


def _check_checkpoints(db: str | None, checkpoints: Sequence[Path], pubkey: Path | None
                       ) -> CheckpointReport | None:
    """``verify --checkpoint``: every file and the key read first, so a typo fails fast."""
    if not checkpoints:
        if pubkey is not None:
            raise StoreUsageError("checkpoint.pubkey_alone")
        return None
    if pubkey is None:
        raise StoreUsageError("checkpoint.needs_pubkey")
    from criteria_engine.store import load_public_key, verify_checkpoints

    return verify_checkpoints(db, checkpoints, load_public_key(pubkey))


def _write_document(text: str, output: Path | None) -> None:
    """A checkpoint or receipt on stdout, or written whole to ``output`` (beside it first,
    then moved: a failure half-way leaves no truncated file)."""
    import errno

    from criteria_engine.errors import OutputError

    if output is None:
        click.echo(text, nl=False)
        return
    check_write_target(output)
    partial = output.with_name(f".{output.name}.partial")
    try:
        partial.write_text(text, encoding="utf-8")
        partial.replace(output)
    except OSError as error:
        raise OutputError("output.not_writable", Location(path=str(output)),
                          reason=errno.errorcode.get(error.errno or 0, type(error).__name__)
                          ) from None
    finally:
        partial.unlink(missing_ok=True)


@audit.command("keygen")
@click.option("--private", "private_path", required=True, metavar="FILE",
              type=click.Path(path_type=Path, dir_okay=False),
              help="Tệp khoá bí mật mới (PEM, quyền 0600) / the new private key file.")
@click.option("--public", "public_path", required=True, metavar="FILE",
              type=click.Path(path_type=Path, dir_okay=False),
              help="Tệp khoá công khai mới (PEM) / the new public key file.")
@lang_option
@report_errors
def audit_keygen(private_path: Path, public_path: Path, lang: Language) -> None:
    """Tạo cặp khoá Ed25519 để ký điểm kiểm chứng / make an Ed25519 key pair for checkpoints.

    Không bao giờ ghi đè tệp có sẵn. Khoá không bao giờ được lưu trong cơ sở dữ liệu.
    """
    from criteria_engine.store import generate_key

    key_id = generate_key(private_path, public_path)
    console().print(Text(message("checkpoint.keygen_done", lang, key_id=key_id,
                                 private=private_path, public=public_path)))


@audit.command("checkpoint")
@click.option("--key", "key_path", required=True, metavar="FILE",
              type=click.Path(path_type=Path, dir_okay=False),
              help="Khoá bí mật Ed25519 (PEM) / the Ed25519 private key (PEM).")
@output_option
@db_option
@lang_option
@report_errors
def audit_checkpoint(key_path: Path, output: Path | None, db: str | None,
                     lang: Language) -> None:
    """Ký gốc Merkle của nhật ký để công bố / sign the log's Merkle root, for publishing.

    Nộp tệp này cùng biên bản họp hội đồng; sau đó `tdkt audit verify --checkpoint`
    chứng minh nhật ký chưa bị viết lại.
    """
    from criteria_engine.store import checkpoint, dump_checkpoint, load_private_key

    key = load_private_key(key_path)
    if output is not None:
        check_write_target(output)
    head = checkpoint(db, key)
    _write_document(dump_checkpoint(head), output)
    if output is not None:
        error_console().print(Text(message("checkpoint.written", lang, size=head["tree_size"],
                                           path=output, root=head["root_hash"])))


@audit.command("receipt")
@click.argument("decision_id", type=int)
@click.option("--key", "key_path", default=None, metavar="FILE",
              type=click.Path(path_type=Path, dir_okay=False),
              help="Ký một điểm kiểm chứng mới bằng khoá bí mật này / sign a new checkpoint.")
@click.option("--checkpoint", "checkpoint_path", default=None, metavar="FILE",
              type=click.Path(path_type=Path, dir_okay=False),
              help="Hoặc dùng điểm kiểm chứng đã công bố / or use a published checkpoint.")
@output_option
@db_option
@lang_option
@report_errors
def audit_receipt(decision_id: int, key_path: Path | None, checkpoint_path: Path | None,
                  output: Path | None, db: str | None, lang: Language) -> None:
    """Biên nhận JSON của một quyết định cho người được xét / a decision's JSON receipt.

    Gồm sự kiện ghi nhận đúng như đã băm, bằng chứng Merkle và điểm kiểm chứng đã ký;
    kiểm tra bằng `tdkt audit check-receipt` mà không cần cơ sở dữ liệu.
    """
    from criteria_engine.store import dump_receipt, load_private_key, receipt

    if (key_path is None) == (checkpoint_path is None):
        raise StoreUsageError("checkpoint.receipt_needs_head")
    key = load_private_key(key_path) if key_path is not None else None
    if output is not None:
        check_write_target(output)
    document = receipt(db, decision_id, key=key, checkpoint_file=checkpoint_path)
    _write_document(dump_receipt(document), output)
    if output is not None:
        error_console().print(Text(message(
            "checkpoint.receipt_written", lang, decision=decision_id,
            event=document["leaf_index"] + 1, path=output)))


@audit.command("check-receipt")
@click.argument("receipt_path", metavar="RECEIPT",
                type=click.Path(path_type=Path, dir_okay=False))
@click.option("--pubkey", required=True, metavar="FILE",
              type=click.Path(path_type=Path, dir_okay=False),
              help="Khoá công khai đã công bố / the published public key.")
@lang_option
@report_errors
def audit_check_receipt(receipt_path: Path, pubkey: Path, lang: Language) -> None:
    """Kiểm tra biên nhận, không cần cơ sở dữ liệu / check a receipt, with no database.

    Tính lại mã băm của sự kiện, dữ kiện và tiêu chí, bằng chứng Merkle tới gốc đã ký, và
    chữ ký. Exit 1 nếu biên nhận không chứng minh được điều nó nêu.
    """
    from criteria_engine.store import check_receipt, load_public_key, read_receipt

    key = load_public_key(pubkey)
    result = check_receipt(read_receipt(receipt_path), key, name=str(receipt_path))
    parts = ", ".join(result.parts)
    # what the receipt says is a stranger's text: shown escaped, as the log is
    console().print(Text(message(
        "checkpoint.receipt_ok", lang, event=result.event_id, hash=result.event_hash,
        parts=parts, decision=shown(str(result.decision_id)),
        nominee=shown(str(result.nominee_id)), name=shown(str(result.name or "")),
        period=shown(str(result.period)), outcome=shown(_receipt_outcome(result.outcome, lang)),
        size=result.tree_size, root=result.root_hash, at=shown(result.signed_at),
        key_id=result.key_id[:16]), style="green"))
    if result.unchecked:
        console().print(Text(message("checkpoint.receipt_unchecked", lang,
                                     parts=shown(", ".join(result.unchecked))), style="yellow"))


def _receipt_outcome(outcome: Any, lang: Language) -> str:
    """An outcome read from a receipt: named in the user's language when tdkt knows it."""
    if isinstance(outcome, str) and f"outcome.{outcome}" in MESSAGES:
        return _outcome(outcome, lang)
    return str(outcome)


def _kind(kind: str, lang: Language) -> str:
    return message(f"audit.kind.{kind}", lang)


def _outcome(outcome: str | None, lang: Language) -> str:
    return message(f"outcome.{outcome}", lang) if outcome else ""


def _subject(subject: str, lang: Language) -> str:
    """``ca_nhan`` as "cá nhân"; a subject this version does not know, as stored."""
    key = f"label.subject.{subject}"
    return message(key, lang) if key in MESSAGES else subject


def _events_table(events: Sequence[Any], lang: Language, title: str = "") -> RenderableType:
    rows: list[list[str | Text]] = []
    for event in events:
        rule = f"{event.rule_id}@{event.rule_version}" if event.rule_id else ""
        rows.append([str(event.id), event.at.strftime("%Y-%m-%d %H:%M:%S"),
                     _kind(event.kind, lang), event.actor, str(event.decision_id or ""),
                     event.nominee_id or "", str(event.period or ""), rule,
                     _outcome(event.outcome, lang), event.reason or ""])
    headers = message("audit.headers.log", lang).split("|")
    # the period is in the rule's version and the nominee's id: it gives way first
    columns = [Column(header, floor=16 if index == 9 else 0, optional=index == 6)
               for index, header in enumerate(headers)]
    out = console()
    return layout(out, columns, rows, title=title)


def _shown_event(event: EventRecord) -> EventRecord:
    """An event for the screen: stored text with control, bidi and zero-width characters
    escaped, so no actor or note can reorder, hide or forge what the log shows."""
    return replace(event, actor=shown(event.actor), nominee_id=_shown(event.nominee_id),
                   rule_id=_shown(event.rule_id), rule_version=_shown(event.rule_version),
                   reason=_shown(event.reason))


def _shown(text: str | None) -> str | None:
    return None if text is None else shown(text)


def _shown_record(record: DecisionRecord) -> DecisionRecord:
    """A decision for the screen (see :func:`_shown_event`); ``--json`` keeps the exact text."""
    def cited(citations: Sequence[Citation]) -> tuple[Citation, ...]:
        return tuple(replace(c, text=shown(c.text)) for c in citations)

    return replace(
        record, nominee_id=shown(record.nominee_id), name=_shown(record.name),
        unit=_shown(record.unit), subject=shown(record.subject),
        rule_title=shown(record.rule_title), recorded_by=shown(record.recorded_by),
        command=shown(record.command),
        facts={shown(name): shown(value) if isinstance(value, str) else value
               for name, value in record.facts.items()},
        criteria=tuple(replace(c, id=shown(c.id), text=_shown(c.text),
                               citations=cited(c.citations)) for c in record.criteria),
        legal_basis=cited(record.legal_basis),
        events=tuple(_shown_event(e) for e in record.events))


def _event_dict(event: Any) -> dict[str, Any]:
    return {"id": event.id, "kind": event.kind, "at": event.at.isoformat(),
            "actor": event.actor, "decision_id": event.decision_id,
            "nominee_id": event.nominee_id, "period": event.period, "rule_id": event.rule_id,
            "rule_version": event.rule_version, "outcome": event.outcome,
            "reason": event.reason, "prev_hash": event.prev_hash, "hash": event.hash}


@audit.command("show")
@click.argument("decision_id", type=int)
@db_option
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON / JSON output.")
@lang_option
@report_errors
def audit_show(decision_id: int, db: str | None, as_json: bool, lang: Language) -> None:
    """Một quyết định: dữ kiện, tiêu chí, căn cứ trong tệp quy tắc, sự kiện / one decision."""
    from criteria_engine.store import show_decision

    record = show_decision(db, decision_id)
    if as_json:
        click.echo(_dump_json({
            "id": record.id, "nominee_id": record.nominee_id, "name": record.name,
            "unit": record.unit, "subject": record.subject, "period": record.period,
            "outcome": record.outcome, "current_outcome": record.current_outcome,
            "points": plain(record.points),
            "rule": {"id": record.rule_id, "version": record.rule_version,
                     "sha256": record.rule_sha256, "title": record.rule_title},
            "engine_version": record.engine_version,
            "recorded_at": record.recorded_at.isoformat(), "recorded_by": record.recorded_by,
            "run_id": record.run_id, "command": record.command, "facts": record.facts,
            "facts_sha256": record.facts_sha256,
            "deferral": [{"id": c.id, "text": c.text, "result": c.result, "values": c.values,
                          "cite": [{"line": x.line, "text": x.text} for x in c.citations]}
                         for c in record.criteria if c.deferral],
            "criteria": [{"id": c.id, "text": c.text, "gate": c.gate, "result": c.result,
                          "points": c.points, "values": c.values,
                          "cite": [{"line": x.line, "text": x.text} for x in c.citations]}
                         for c in record.criteria if not c.deferral],
            "legal_basis": [{"line": x.line, "text": x.text} for x in record.legal_basis],
            "events": [_event_dict(e) for e in record.events],
            "form": record.form, "current": record.current,
            "line": [{"id": entry.id, "recorded_at": entry.recorded_at.isoformat(),
                      "outcome": entry.outcome, "rule_version": entry.rule_version,
                      "correction": list(entry.correction), "supersedes": entry.supersedes}
                     for entry in record.line]}))
        return
    record = _shown_record(record)
    out = console()
    current = "" if record.current_outcome == record.outcome else message(
        "audit.show.current", lang, outcome=_outcome(record.current_outcome, lang))
    out.print(Panel(Text(message(
        "audit.show.body", lang, nominee=record.nominee_id, name=record.name or "",
        unit=record.unit or "", period=record.period, subject=_subject(record.subject, lang),
        title=record.rule_title, rule_id=record.rule_id, version=record.rule_version,
        sha256=record.rule_sha256, engine=record.engine_version,
        at=record.recorded_at.strftime("%Y-%m-%d %H:%M:%S UTC"), actor=record.recorded_by,
        run=record.run_id, command=record.command,
        outcome=_outcome(record.outcome, lang), points=display.number(record.points, lang),
        current=current,
        facts_sha256=record.facts_sha256)),
        title=message("audit.show.title", lang, id=record.id)))
    if record.form == 1:
        out.print(Text(message("audit.show.first_form", lang), style="yellow"))
    if len(record.line) > 1:
        _print_line(out, record, lang)
    facts_columns = [Column(header) for header in message("audit.headers.facts", lang).split("|")]
    out.print(layout(out, facts_columns,
                     [[name, display.value(value, lang)] for name, value in record.facts.items()]))
    notes = Footnotes()
    for citation in record.legal_basis:  # the rule's basis first: criteria mostly cite it
        notes.mark([f"{citation.text} ({message('audit.show.line', lang, line=citation.line)})"])
    rows: list[list[str | Text]] = []
    for c in record.criteria:
        values = "\n".join(f"{k} = {display.value(v, lang)}" for k, v in c.values.items())
        cites = notes.mark(f"{x.text} ({message('audit.show.line', lang, line=x.line)})"
                           if x.line else x.text for x in c.citations)
        points = label("deferral_kind", lang) if c.deferral else label("gate", lang) if c.gate \
            else display.number(Decimal(c.points), lang) if c.points is not None else ""
        rows.append([Text.assemble((c.id, "bold"), "\n", c.text or ""),
                     Text(message(f"result.{c.result}", lang), style=RESULT_STYLE.get(c.result, "")),
                     points, values, cites])
    headers = [*message("audit.headers.criteria", lang).split("|")[:-1], label("cite", lang)]
    columns = [Column(header, floor={0: 20, 1: 9, 3: 20}.get(index, 0))
               for index, header in enumerate(headers)]
    out.print(layout(out, columns, rows, show_lines=True))
    out.print(notes.renderable(out, message("audit.show.legal_basis", lang)))
    out.print(_events_table(record.events, lang, message("audit.show.events", lang)))


def _print_line(out: Console, record: Any, lang: Language) -> None:
    """The decisions for the same nominee, title and period, oldest first: which one
    stands, and what each correction changed."""
    if not record.current:
        out.print(Text(message("audit.show.superseded", lang, id=record.line[-1].id),
                       style="bold yellow"))
    rows: list[list[str | Text]] = []
    for entry in record.line:
        changed = ", ".join(message(f"audit.correction.{field}", lang)
                            for field in entry.correction)
        marker = message("audit.show.stands", lang) if entry is record.line[-1] else ""
        rows.append([Text(str(entry.id), style="bold" if entry.id == record.id else ""),
                     entry.recorded_at.strftime("%Y-%m-%d %H:%M"), entry.rule_version,
                     _outcome(entry.outcome, lang), changed or "—", marker])
    columns = [Column(header) for header in message("audit.headers.line", lang).split("|")]
    out.print(Text(message("audit.show.line_title", lang), style="bold"))
    out.print(layout(out, columns, rows))


@audit.command("log")
@db_option
@click.option("--nominee", default=None, metavar="ID",
              help="Chỉ các sự kiện của hồ sơ này / only this nominee's events.")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              metavar="YYYY-MM-DD", help="Từ ngày này (UTC) / from this day on (UTC).")
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON / JSON output.")
@lang_option
@report_errors
def audit_log_command(db: str | None, nominee: str | None, since: datetime | None,
                      as_json: bool, lang: Language) -> None:
    """Các sự kiện theo thứ tự chuỗi / the events in chain order."""
    from criteria_engine.store import audit_log

    events = audit_log(db, nominee=nominee, since=since.date() if since else None)
    if as_json:
        click.echo(_dump_json([_event_dict(e) for e in events]))
    elif events:
        console().print(_events_table([_shown_event(e) for e in events], lang))
    else:
        console().print(Text(message("audit.no_events", lang)))


@audit.command("export")
@db_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl",
              show_default=True, help="jsonl: đúng nội dung đã băm / exactly what was hashed.")
@output_option
@lang_option
@report_errors
def audit_export(db: str | None, fmt: str, output: Path | None, lang: Language) -> None:
    """Xuất toàn bộ sự kiện cho thanh tra / export every event for an inspector.

    Mỗi dòng JSONL là {"event", "prev_hash", "hash"} với hash = sha256(prev_hash + "\\n" +
    JSON chuẩn tắc của event), nên có thể kiểm tra lại chuỗi mà không cần tdkt.
    """
    import errno

    from criteria_engine.errors import OutputError
    from criteria_engine.store import export_audit
    from criteria_engine.targets import check_write_target

    chosen = cast(Any, fmt)
    if output is None:
        export_audit(db, sys.stdout, format=chosen)
        return
    check_write_target(output)
    # Written beside the target and moved into place: a failure half-way (store gone,
    # disk full) leaves no truncated export that could pass for a whole one.
    partial = output.with_name(f".{output.name}.partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as handle:
            count = export_audit(db, handle, format=chosen)
        partial.replace(output)
    except OSError as error:
        raise OutputError("output.not_writable", Location(path=str(output)),
                          reason=errno.errorcode.get(error.errno or 0, type(error).__name__)
                          ) from None
    finally:
        partial.unlink(missing_ok=True)
    error_console().print(Text(message("audit.exported", lang, count=count, path=output)))


@audit.command("override")
@click.argument("decision_id", type=int)
@click.option("--outcome", required=True, type=click.Choice(list(OUTCOME_STYLE)),
              help="Kết quả sau khi điều chỉnh / the corrected outcome.")
@click.option("--reason", required=True, help="Lý do (bắt buộc), ví dụ số biên bản họp hội đồng / reason.")
@click.option("--actor", default=None, envvar="TDKT_ACTOR", help="Người điều chỉnh / who.")
@db_option
@lang_option
@report_errors
def audit_override(decision_id: int, outcome: str, reason: str, actor: str | None,
                   db: str | None, lang: Language) -> None:
    """Điều chỉnh kết quả bằng một sự kiện mới có lý do (không sửa quyết định gốc)
    / correct an outcome by a new event with a reason (never an edit)."""
    from criteria_engine.store import override

    event_id = override(db, decision_id, outcome=outcome, reason=reason, actor=_actor(actor))
    console().print(message("audit.event_added", lang, event_id=event_id, kind="overridden",
                            decision_id=decision_id))


@audit.command("annotate")
@click.argument("decision_id", type=int)
@click.option("--note", required=True, help="Ghi chú, ví dụ số quyết định khen thưởng / note.")
@click.option("--actor", default=None, envvar="TDKT_ACTOR", help="Người ghi / who.")
@db_option
@lang_option
@report_errors
def audit_annotate(decision_id: int, note: str, actor: str | None, db: str | None,
                   lang: Language) -> None:
    """Ghi chú vào quyết định bằng một sự kiện mới / annotate a decision by a new event."""
    from criteria_engine.store import annotate

    event_id = annotate(db, decision_id, note=note, actor=_actor(actor))
    console().print(message("audit.event_added", lang, event_id=event_id, kind="annotated",
                            decision_id=decision_id))


# --- tdkt history: past titles and disciplines (issue 10) ---
# Reading and checking rows is criteria_engine.history's; storing and reading them back,
# criteria_engine.store's (imported inside the commands, as for audit).


@main.group()
def history() -> None:
    """Lịch sử danh hiệu và kỷ luật: nhập, xem / title history: import, list.

    Mỗi dòng là một danh hiệu đã được khen ("title": mã quy tắc) hoặc một kỷ luật
    ("discipline") của một cá nhân hay tập thể ("subject") trong một kỳ ("period"); các
    hàm như consecutive("chien-si-thi-dua-co-so") đọc lịch sử này. Quyết định "đạt" trong
    kho cũng là lịch sử và được ưu tiên khi mâu thuẫn với tệp nhập.
    """


@history.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@db_option
@click.option("--actor", default=None, envvar="TDKT_ACTOR", help="Người nhập / who imports.")
@click.option("--rules-dir", "--rules", "rules_dir", type=click.Path(path_type=Path, file_okay=False),
              default=None, envvar="TDKT_CRITERIA_DIR",
              help="Thư viện quy tắc để kiểm tra mã danh hiệu (mặc định ./criteria hoặc thư viện "
                   "kèm theo) / rule library the titles are checked against.")
@lang_option
@report_errors
def history_import(file: Path, db: str | None, actor: str | None, rules_dir: Path | None,
                   lang: Language) -> None:
    """Nhập tệp lịch sử (JSON, JSONL, YAML) vào kho / import a history file into the store.

    Mỗi dòng được kiểm tra: mã danh hiệu có trong thư viện quy tắc, kỳ đã qua, mức kỷ
    luật hợp lệ, không trùng. Dòng lỗi bị từ chối (nêu số dòng và trường), các dòng khác
    vẫn được nhập. Exit 0 khi mọi dòng được nhập; 1 khi có dòng bị từ chối hoặc mâu thuẫn
    với quyết định trong kho; 2 khi dùng sai lệnh.
    """
    from criteria_engine.history import HistoryChecker, HistoryEntry, read_history
    from criteria_engine.store import import_history

    _check_recording(db, actor)  # a bad --db or --actor fails before the file is read
    library = RuleLibrary.load([rules_dir or default_criteria_dir()])
    if not library.rules and library.problems:
        raise library.problems[0]  # no library to check the titles against
    checker = HistoryChecker(library, today=date.today())
    accepted: list[HistoryEntry] = []
    problems: list[CriteriaError] = []
    read = refused = 0
    with _progress(str(file)) as progress:
        for item in read_history(file, progress=progress):
            read += 1
            found = [item] if isinstance(item, RecordError) else checker.check(item)
            if found:
                refused += 1
                problems += found
            elif not isinstance(item, RecordError):
                accepted.append(item.entry)
    result = import_history(db, accepted, actor=_actor(actor), source_name=file.name)
    _print_problems(problems, lang)
    err = error_console()
    for conflict in result.conflicts:
        err.print(Text(f"{label('warning', lang)}: {_history_conflict(conflict, lang)}",
                       style="yellow"))
    console().print(Text(message(
        "history.summary", lang, file=file.name, read=read, added=result.added,
        unchanged=result.unchanged, refused=refused, conflicts=len(result.conflicts)),
        style="red" if refused or result.conflicts else "green"))
    if refused or result.conflicts:
        sys.exit(1)


def _history_conflict(conflict: Any, lang: Language) -> str:
    """An imported award the store contradicts, in words (``HistoryConflict``)."""
    entry = conflict.entry
    number = (message("history.conflict_number", lang, number=shown(entry.decision_number))
              if entry.decision_number else "")
    return message("history.conflict", lang, subject=shown(entry.subject), title=entry.title,
                   period=entry.period, number=number, decision_id=conflict.decision_id,
                   outcome=_outcome(conflict.outcome, lang))


@history.command("list")
@click.option("--subject", "subjects", multiple=True, metavar="ID",
              help="Chỉ lịch sử của đối tượng này (có thể lặp lại) / only this subject's "
                   "history (repeatable).")
@db_option
@lang_option
@report_errors
def history_list(subjects: tuple[str, ...], db: str | None, lang: Language) -> None:
    """Xem lịch sử danh hiệu và kỷ luật trong kho / show the stored title history.

    Gồm các dòng đã nhập và các quyết định "đạt" trong kho; khi hai nguồn mâu thuẫn,
    quyết định trong kho được dùng và mâu thuẫn được báo.
    """
    from criteria_engine.store import load_history

    found, conflicts = load_history(db, list(subjects) or None)
    # the title id (up to 39 letters) must stay whole at 80 columns: the decision, the
    # issuer and the achievement go under it rather than in columns of their own
    rows: list[list[str | Text]] = [
        [shown(entry.subject), str(entry.period), _history_cell(entry, lang),
         message("history.source.store", lang, id=entry.decision_id) if entry.source == "store"
         else message("history.source.import", lang)]
        for entry in found]
    out = console()
    if not rows:
        out.print(Text(message("history.empty_subject", lang, subjects=", ".join(
            shown(s) for s in subjects)) if subjects else message("history.empty", lang)))
    else:
        columns = [Column(header, floor={2: 24, 3: 9}.get(index, 0))
                   for index, header in enumerate(message("history.headers", lang).split("|"))]
        out.print(layout(out, columns, rows, title=message("history.title", lang,
                                                            count=len(rows))))
    err = error_console()
    for conflict in conflicts:
        err.print(Text(f"{label('warning', lang)}: {_history_conflict(conflict, lang)}",
                       style="yellow"))


def _history_cell(entry: Any, lang: Language) -> Text:
    """A history entry's title or discipline, and under it its decision, issuer and
    achievement (``tdkt history list``)."""
    if entry.kind == "discipline":
        cell = Text(message("history.discipline", lang, level=_discipline(entry.level, lang)),
                    style="yellow")
        if entry.ends is not None:
            cell.append(f", {message('history.until', lang, day=entry.ends.isoformat())}")
    else:
        cell = Text(shown(entry.title), style="bold")
    details = []
    decision = " ".join(part for part in (_shown(entry.decision_number), entry.decided_on
                                          and entry.decided_on.isoformat()) if part)
    if decision:
        details.append(message("history.decision", lang, decision=decision))
    if f"label.issuer.{entry.issuer_level}" in MESSAGES:
        details.append(f"{label('issuer', lang)}: {label(f'issuer.{entry.issuer_level}', lang)}")
    if entry.achievement:
        details.append(message("history.achievement", lang, id=shown(entry.achievement)))
    if details:
        cell.append("\n" + " · ".join(details), style="dim")
    return cell


def _discipline(level: str | None, lang: Language) -> str:
    key = f"history.level.{level}"
    return message(key, lang) if key in MESSAGES else shown(level or "?")


if __name__ == "__main__":
    main()
