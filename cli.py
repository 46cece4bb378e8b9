"""The ``tdkt`` command line: parse options, make one library call, format the result.

This is the only module that imports click. Library errors (CriteriaError) become
messages on stderr and exit codes here: 0 done, 1 invalid rule files or records,
2 usage errors (unknown rule, bad option).
"""

from __future__ import annotations

import functools
import getpass
import json
import shlex
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click
import simplejson
from rich.console import Console
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
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
    evaluate_file,
)
from criteria_engine.demo import default_examples_dir, run_demo
from criteria_engine.evaluator import CompiledRule
from criteria_engine.exports import EXPORT_SUFFIXES, export_decisions
from criteria_engine.library import choose_rule
from criteria_engine.messages import Language, message
from criteria_engine.report import outcome_reason, plain
from criteria_engine.rules import RuleFile

if TYPE_CHECKING:
    from criteria_engine.store import RecordSummary

F = TypeVar("F", bound=Callable[..., Any])

#: Show a progress bar for batches at least this long (on a terminal).
PROGRESS_THRESHOLD = 200

OUTCOME_STYLE = {"dat": "bold green", "khong_dat": "bold red", "thieu_du_lieu": "bold yellow",
                 "trung_thanh_tich": "bold magenta"}
RESULT_STYLE = {"pass": "green", "fail": "red", "missing": "yellow"}

def label(key: str, lang: Language, **params: Any) -> str:
    """A table heading or summary line from the catalogue (``label.*`` keys)."""
    return message(f"label.{key}", lang, **params)


def console() -> Console:
    return Console(highlight=False, soft_wrap=False)


def error_console() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def report_errors(func: F) -> F:
    """Turn library errors into a message and an exit code; never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        lang = cast(Language, kwargs.get("lang", "vi"))
        try:
            return func(*args, **kwargs)
        except RuleNotFoundError as exc:
            error_console().print(Text(exc.render(lang), style="red"))
            sys.exit(2)
        except CriteriaError as exc:
            error_console().print(Text(exc.render(lang), style="red"))
            sys.exit(1)

    return cast(F, wrapper)


def lang_option(func: F) -> F:
    return click.option(
        "--lang", type=click.Choice(["vi", "en"]), default="vi", envvar="TDKT_LANG",
        show_default=True, help="Ngôn ngữ hiển thị / output language (vi, en).",
    )(func)


def rules_dir_option(func: F) -> F:
    return click.option(
        "--rules-dir", type=click.Path(path_type=Path, file_okay=False), default=None,
        envvar="TDKT_CRITERIA_DIR",
        help="Thư mục quy tắc (mặc định ./criteria hoặc thư viện kèm theo) / rule folder.",
    )(func)


def db_option(func: F) -> F:
    return click.option(
        "--db", "db", default=None, envvar="TDKT_DATABASE_URL", metavar="PATH|URL",
        help="Kho quyết định: tệp SQLite (mặc định ./tdkt.db) hoặc postgresql+psycopg://… "
             "/ decision store: a SQLite file or a PostgreSQL URL.",
    )(func)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="tdkt")
def main() -> None:
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
    library = RuleLibrary.load(roots)
    table = Table(title="tdkt validate", show_lines=False)
    for key in ("file", "id", "version", "criteria", "status"):
        table.add_column(label(key, lang))
    for rule in library.all():
        table.add_row(rule.source.path, rule.id, rule.version, str(len(rule.criteria)),
                      Text(label("ok", lang), style="green"))
    for problem in library.problems:
        table.add_row(problem.where.path or "?", "", "", "",
                      Text(label("invalid", lang), style="red"))
    console().print(table)
    _print_problems(library.warnings, lang, warning=True)
    _print_problems(library.problems, lang)
    files = len(library.all()) + len(library.problems)
    console().print(label("validate_summary", lang, files=files, good=len(library.all()),
                          bad=len(library.problems)))
    if library.problems:
        sys.exit(1)


@main.group()
def rules() -> None:
    """Xem thư viện quy tắc / browse the rule library."""


@rules.command("list")
@rules_dir_option
@lang_option
@report_errors
def rules_list(rules_dir: Path | None, lang: Language) -> None:
    """Liệt kê các quy tắc và phiên bản / list rules and their versions."""
    library = RuleLibrary.load([rules_dir or default_criteria_dir()])
    table = Table(title=str(rules_dir or default_criteria_dir()))
    for key in ("id", "version", "title", "subject", "basis", "effective", "criteria"):
        table.add_column(label(key, lang), overflow="fold")
    for rule in library.all():
        model = rule.model
        title = model.title_en if lang == "en" and model.title_en else model.title
        effective = f"{model.effective.from_} → {model.effective.to or '…'}"
        table.add_row(rule.id, rule.version, title, model.subject, model.award_basis, effective,
                      str(len(rule.criteria)))
    console().print(table)
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
    _print_rule(compiled, lang)


def _print_rule(rule: CompiledRule, lang: Language) -> None:
    model: RuleFile = rule.model
    out = console()
    title = model.title_en if lang == "en" and model.title_en else model.title
    basis = "\n".join(c.render(lang) for c in model.legal_basis)
    out.print(Panel(f"[bold]{title}[/bold]\n{model.id} {model.version} · {model.kind} · "
                    f"{model.subject} · {model.award_basis} · {model.effective.from_} → "
                    f"{model.effective.to or '…'}\nsha256 {rule.sha256}\n{basis}",
                    title=label("rule", lang)))
    if model.params:
        table = Table(title=label("param", lang))
        for key in ("param", "value", "note"):
            table.add_column(label(key, lang), overflow="fold")
        for name, param in model.params.items():
            note = " ".join(filter(None, [label("uncertain", lang) if param.uncertain else "",
                                          param.note or ""]))
            table.add_row(name, f"{plain(param.value)} {param.unit or ''}".strip(), note)
        out.print(table)
    table = Table(title=label("input", lang))
    for key in ("input", "type", "range", "better", "label"):
        table.add_column(label(key, lang), overflow="fold")
    for name, spec in model.inputs.items():
        if spec.type == "enum":
            span = ", ".join(spec.values or [])
        elif spec.is_numeric:
            low = "" if spec.min is None else plain(spec.min)
            high = "" if spec.max is None else plain(spec.max)
            span = f"{low} … {high}"
        else:
            span = "true / false"
        text = spec.label_en if lang == "en" and spec.label_en else spec.label
        table.add_row(name, spec.type, f"{span} {spec.unit or ''}".strip(), spec.better or "", text)
    out.print(table)
    table = Table(title=label("criterion", lang))
    for key in ("criterion", "points", "expr", "cite"):
        table.add_column(label(key, lang), overflow="fold")
    for compiled in rule.criteria:
        c = compiled.criterion
        text = c.text_en if lang == "en" and c.text_en else c.text
        weight = label("gate", lang) if c.gate else str(plain(c.points))
        table.add_row(f"{c.id}\n{text}", weight, c.expr,
                      "\n".join(cite.render(lang) for cite in compiled.cite))
    out.print(table)
    out.print(f"{label('min_points', lang)}: {plain(model.decision.min_points)} / "
              f"{plain(model.max_points)}")


def _run(rules_refs: Sequence[str], nominees: Path, rules_dir: Path | None, lang: Language
         ) -> BatchReport:
    choosers = [choose_rule(ref, rules_dir or default_criteria_dir())[0] for ref in rules_refs]
    err = error_console()
    if not err.is_terminal:
        return evaluate_file(nominees, *choosers)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=err, transient=True) as progress:
        task = progress.add_task(str(nominees), total=None)

        def advance(done: int, total: int) -> None:
            if total >= PROGRESS_THRESHOLD:
                progress.update(task, completed=done, total=total)

        return evaluate_file(nominees, *choosers, progress=advance)


def _outcome_text(decision: Decision, lang: Language) -> Text:
    return Text(message(f"outcome.{decision.outcome}", lang), style=OUTCOME_STYLE[decision.outcome])


def _decisions_table(report: BatchReport, lang: Language) -> Table:
    """One row per decision; the rule goes in the title, or in a column when several."""
    rules = {(d.rule.id, d.rule.version): d.rule for d in report.decisions}
    title = ""
    if len(rules) == 1:
        [rule] = rules.values()
        model = rule.model
        title = (f"{model.title_en if lang == 'en' and model.title_en else model.title}\n"
                 f"{rule.id} {rule.version} · sha256 {rule.sha256[:12]}…")
    table = Table(title=title, show_lines=False)
    columns = ["nominee", "name", "unit", *(["rule"] if len(rules) > 1 else []),
               "outcome", "points", "reason"]
    for key in columns:
        table.add_column(label(key, lang), overflow="fold")
    for decision in report.decisions:
        rule_cell = [f"{decision.rule.id} {decision.rule.version}"] if len(rules) > 1 else []
        table.add_row(decision.nominee_id, decision.name or "", decision.unit or "", *rule_cell,
                      _outcome_text(decision, lang), _points(decision),
                      outcome_reason(decision, lang))
    return table


def _points(decision: Decision) -> str:
    maximum = decision.rule.model.max_points
    return "—" if maximum == 0 else f"{plain(decision.points)}/{plain(maximum)}"


def _summary(report: BatchReport, lang: Language) -> str:
    counts = Counter(d.outcome for d in report.decisions)
    return label("summary", lang, records=report.records, decisions=len(report.decisions),
                 dat=counts["dat"], khong_dat=counts["khong_dat"],
                 thieu=counts["thieu_du_lieu"], trung=counts["trung_thanh_tich"],
                 bad=len(report.problems))


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
              help="In kết quả dạng JSON (xem README) / JSON output.")
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Ghi thêm ra tệp .xlsx hoặc .csv để mở bằng Excel / also write .xlsx or .csv.")
@click.option("--record", is_flag=True,
              help="Lưu mọi quyết định vào kho có nhật ký kiểm tra (chạy lại không ghi trùng) "
                   "/ record every decision in the audited store (re-runs record nothing twice).")
@db_option
@click.option("--actor", default=None, envvar="TDKT_ACTOR",
              help="Người thực hiện ghi trong nhật ký (mặc định: tên đăng nhập) / who records.")
@rules_dir_option
@lang_option
@report_errors
def evaluate(rules_refs: tuple[str, ...], nominees: Path, as_json: bool, output: Path | None, record: bool,
             db: str | None, actor: str | None, rules_dir: Path | None, lang: Language) -> None:
    """Xét hồ sơ theo một hoặc nhiều quy tắc / evaluate nominees against rules.

    Exit 0 khi mọi hồ sơ được xét (kể cả không đạt); 1 khi có hồ sơ lỗi – các hồ sơ
    khác vẫn được xét và báo cáo; 2 khi dùng sai lệnh.
    """
    if output is not None and output.suffix.lower() not in EXPORT_SUFFIXES:
        raise click.BadParameter(f"{output.suffix!r}: .xlsx / .csv", param_hint="--output")
    report = _run(rules_refs, nominees, rules_dir, lang)
    if record:
        # recorded first: the store may turn an outcome into trung_thanh_tich
        report.decisions = list(_record_report(report, db, actor, lang).decisions_recorded)
    if as_json:
        click.echo(_dump_json([decision_to_dict(d, lang) for d in report.decisions]))
    else:
        console().print(_decisions_table(report, lang))
        console().print(_summary(report, lang))
    if output is not None:
        export_decisions(output, report.decisions, report.problems, lang=lang)
        error_console().print(label("written", lang, path=output))
    _print_problems(report.warnings, lang, warning=True)
    _print_problems(report.problems, lang)
    if report.problems:
        sys.exit(1)


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
@rules_dir_option
@lang_option
@report_errors
def explain(rules_ref: str, nominees: Path, nominee_id: str, as_json: bool, db: str | None,
            rules_dir: Path | None, lang: Language) -> None:
    """Giải thích từng tiêu chí của một hồ sơ / explain one nominee's decision.

    Với mỗi tiêu chí: kết quả, giá trị đã dùng, ngưỡng và điều khoản căn cứ.
    """
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
        raise RecordError("record.not_found", record_id=nominee_id)
    if as_json:
        click.echo(_dump_json(decision_to_dict(decision, lang)))
        return
    _print_explanation(decision, lang)


def _print_explanation(decision: Decision, lang: Language) -> None:
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
        f" — {plain(decision.points)}/{plain(model.max_points)} "
        f"({label('min_points', lang)} {plain(model.decision.min_points)})\n",
        outcome_reason(decision, lang),
    )
    out.print(Panel(header, title="tdkt explain"))
    table = Table(show_lines=True)
    for key in ("criterion", "result", "points", "values", "threshold", "cite"):
        table.add_column(label(key, lang), overflow="fold")
    for result in decision.criteria:
        c = result.compiled.criterion
        text = c.text_en if lang == "en" and c.text_en else c.text
        values = "\n".join(f"{k} = {'∅' if v is None else plain(v)}"
                           for k, v in decision.values_used(result).items())
        thresholds = "\n".join([c.expr, *(f"{k} = {plain(v)}"
                                          for k, v in result.compiled.params.items())])
        weight = label("gate", lang) if c.gate else f"{plain(result.points)}/{plain(c.points)}"
        table.add_row(f"[bold]{c.id}[/bold]\n{text}",
                      Text(message(f"result.{result.result}", lang), style=RESULT_STYLE[result.result]),
                      weight, values, thresholds,
                      "\n".join(cite.render(lang) for cite in result.compiled.cite))
    out.print(table)


@main.command()
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Ghi ra tệp thay vì in ra màn hình / write to a file.")
def schema(output: Path | None) -> None:
    """In JSON Schema của định dạng tệp quy tắc (cho trình soạn thảo) / print the JSON Schema."""
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
        out.print(_decisions_table(run.report, lang))
        out.print(_summary(run.report, lang))
        _print_problems(run.report.warnings, lang, warning=True)
        _print_problems(run.report.problems, lang)
        failed = failed or not run.report.clean
    if record:
        failed = not _print_verification(db, lang) or failed
    shown = [(run, d) for run in runs for d in run.report.decisions]
    if shown:
        run, decision = shown[0]
        out.print(label("demo_hint", lang, rule=decision.rule.id, path=run.report.path,
                        id=decision.nominee_id))
    conflict = next((d for _, d in shown if d.outcome == "trung_thanh_tich"), None)
    if conflict is not None:
        out.print(label("demo_hint_conflict", lang, id=conflict.nominee_id))
    if failed:
        sys.exit(1)


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
    library = RuleLibrary.load(list(paths) or [default_criteria_dir()])
    report = find_overlaps(library.all())

    def show(out: Console) -> None:
        headers = message("dedup.headers.table", lang).split("|")
        found = groups(report, lang, include_disjoint=show_all)
        for group in found:
            table = Table(title=group.heading, show_lines=True, title_justify="left")
            for header in headers:
                table.add_column(header, overflow="fold")
            for row in group.rows:
                table.add_row(Text(row.relation_text, style=DEDUP_STYLE[row.relation]), row.left,
                              row.right, row.witness, row.evidence, row.wording)
            out.print(table)
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
    report = check_paths(list(paths) or [default_criteria_dir()], seed=seed,
                         max_examples=max_examples, properties=properties)
    if as_json:
        click.echo(_dump_json(report_to_dict(report, lang)))
    else:
        click.echo(render_text(report, lang))
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
            words.append(flag if item is True else f"{flag} {shlex.quote(str(item))}")
    return " ".join(words)


def _record_report(report: BatchReport, db: str | None, actor: str | None,
                   lang: Language) -> RecordSummary:
    from criteria_engine.store import record_report

    summary = record_report(db, report, actor=_actor(actor), command=_invocation())
    error_console().print(Text(message(
        "store.recorded", lang, recorded=summary.recorded, database=summary.database,
        run=summary.run_id, already=summary.already_recorded, head_id=summary.last_event_id,
        head_hash=summary.head_hash)))
    return summary


@main.group("db")
def db_group() -> None:
    """Lược đồ kho quyết định (Alembic) / the decision store's schema revisions.

    Kho mới được tạo ở phiên bản mới nhất khi dùng lần đầu; tệp SQLite được sao lưu
    trước khi chuyển đổi.
    """


def _print_migration(migration: Any, lang: Language) -> None:
    none = message("db.none", lang)
    console().print(Text(message("db.migrated", lang, database=migration.database,
                                 before=migration.before.current or none,
                                 after=migration.after.current or none)))
    if migration.backup is not None:
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
@db_option
@lang_option
@report_errors
def db_downgrade(revision: str, db: str | None, lang: Language) -> None:
    """Hạ lược đồ về REVISION (ví dụ: -1, base) / downgrade the schema.

    'base' xoá mọi bảng của kho; tệp SQLite được sao lưu trước.

    \b
    Ví dụ / examples:
      tdkt db downgrade -1
      tdkt db downgrade base --db postgresql+psycopg://tdkt@db.example:5432/tdkt
    """
    from criteria_engine.store import downgrade

    _print_migration(downgrade(db, revision), lang)


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
    """Nhật ký kiểm tra: xác minh, xem, xuất / the audit trail: verify, show, log, export."""


@audit.command("verify")
@db_option
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON / JSON output.")
@lang_option
@report_errors
def audit_verify(db: str | None, as_json: bool, lang: Language) -> None:
    """Tính lại chuỗi băm và xét lại mọi quyết định / recompute the chain, replay decisions.

    Báo từng dòng bị sửa, xoá hoặc đổi thứ tự, theo mã. Exit 1 nếu có vấn đề.
    """
    if not _print_verification(db, lang, as_json=as_json):
        sys.exit(1)


def _print_verification(db: str | None, lang: Language, *, as_json: bool = False) -> bool:
    from criteria_engine.store import verify

    report = verify(db)
    if as_json:
        click.echo(_dump_json({
            "ok": report.ok, "events": report.events, "decisions": report.decisions,
            "replayed": report.replayed, "rule_files": report.rule_files,
            "head": {"event_id": report.head_event_id, "hash": report.head_hash},
            "findings": [{"table": f.table, "row": f.row, "problem": f.key,
                          "message": f.render(lang)} for f in report.findings]}))
    else:
        for finding in report.findings:
            error_console().print(Text(finding.render(lang), style="red"))
        key = "audit.verified" if report.ok else "audit.problems"
        console().print(Text(message(
            key, lang, count=len(report.findings), events=report.events,
            decisions=report.decisions, replayed=report.replayed, engine=__version__,
            rules=report.rule_files, head_id=report.head_event_id, head_hash=report.head_hash),
            style="green" if report.ok else "red"))
    return report.ok


def _kind(kind: str, lang: Language) -> str:
    return message(f"audit.kind.{kind}", lang)


def _outcome(outcome: str | None, lang: Language) -> str:
    return message(f"outcome.{outcome}", lang) if outcome else ""


def _events_table(events: Sequence[Any], lang: Language, title: str = "") -> Table:
    table = Table(title=title or None, show_lines=False)
    for header in message("audit.headers.log", lang).split("|"):
        table.add_column(header, overflow="fold")
    for event in events:
        rule = f"{event.rule_id}@{event.rule_version}" if event.rule_id else ""
        table.add_row(str(event.id), event.at.strftime("%Y-%m-%d %H:%M:%S"),
                      _kind(event.kind, lang), event.actor, str(event.decision_id),
                      event.nominee_id or "", str(event.period or ""), rule,
                      _outcome(event.outcome, lang), event.reason or "")
    return table


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
            "criteria": [{"id": c.id, "text": c.text, "gate": c.gate, "result": c.result,
                          "points": c.points, "values": c.values,
                          "cite": [{"line": x.line, "text": x.text} for x in c.citations]}
                         for c in record.criteria],
            "legal_basis": [{"line": x.line, "text": x.text} for x in record.legal_basis],
            "events": [_event_dict(e) for e in record.events]}))
        return
    out = console()
    current = "" if record.current_outcome == record.outcome else message(
        "audit.show.current", lang, outcome=_outcome(record.current_outcome, lang))
    out.print(Panel(Text(message(
        "audit.show.body", lang, nominee=record.nominee_id, name=record.name or "",
        unit=record.unit or "", period=record.period, subject=record.subject,
        title=record.rule_title, rule_id=record.rule_id, version=record.rule_version,
        sha256=record.rule_sha256, engine=record.engine_version,
        at=record.recorded_at.strftime("%Y-%m-%d %H:%M:%S UTC"), actor=record.recorded_by,
        run=record.run_id, command=record.command,
        outcome=_outcome(record.outcome, lang), points=plain(record.points), current=current,
        facts_sha256=record.facts_sha256)),
        title=message("audit.show.title", lang, id=record.id)))
    facts = Table()
    for header in message("audit.headers.facts", lang).split("|"):
        facts.add_column(header, overflow="fold")
    for name, value in record.facts.items():
        facts.add_row(name, str(plain(value)))
    out.print(facts)
    criteria = Table(show_lines=True)
    for header in message("audit.headers.criteria", lang).split("|"):
        criteria.add_column(header, overflow="fold")
    for c in record.criteria:
        values = "\n".join(f"{k} = {'∅' if v is None else v}" for k, v in c.values.items())
        cites = "\n".join(f"{x.text} ({message('audit.show.line', lang, line=x.line)})"
                          if x.line else x.text for x in c.citations)
        criteria.add_row(f"[bold]{c.id}[/bold]\n{c.text or ''}",
                         Text(message(f"result.{c.result}", lang),
                              style=RESULT_STYLE.get(c.result, "")),
                         label("gate", lang) if c.gate else str(c.points or ""), values, cites)
    out.print(criteria)
    if record.legal_basis:
        out.print(Text(message("audit.show.legal_basis", lang) + ":"))
        for citation in record.legal_basis:
            out.print(Text(f"  {citation.text} "
                           f"({message('audit.show.line', lang, line=citation.line)})"))
    out.print(_events_table(record.events, lang, message("audit.show.events", lang)))


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
        console().print(_events_table(events, lang))
    else:
        console().print(Text(message("audit.no_events", lang)))


@audit.command("export")
@db_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl",
              show_default=True, help="jsonl: đúng nội dung đã băm / exactly what was hashed.")
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Ghi ra tệp thay vì màn hình / write to a file.")
@lang_option
@report_errors
def audit_export(db: str | None, fmt: str, output: Path | None, lang: Language) -> None:
    """Xuất toàn bộ sự kiện cho thanh tra / export every event for an inspector.

    Mỗi dòng JSONL là {"event", "prev_hash", "hash"} với hash = sha256(prev_hash + "\\n" +
    JSON chuẩn tắc của event), nên có thể kiểm tra lại chuỗi mà không cần tdkt.
    """
    from criteria_engine.store import export_audit

    chosen = cast(Any, fmt)
    if output is None:
        export_audit(db, sys.stdout, format=chosen)
        return
    with output.open("w", encoding="utf-8", newline="") as handle:
        count = export_audit(db, handle, format=chosen)
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


if __name__ == "__main__":
    main()
