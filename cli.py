"""The ``tdkt`` command line: parse options, make one library call, format the result.

This is the only module that imports click. Library errors (CriteriaError) become
messages on stderr and exit codes here: 0 done, 1 invalid rule files or records,
2 usage errors (unknown rule, bad option).
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar, cast

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

F = TypeVar("F", bound=Callable[..., Any])

#: Show a progress bar for batches at least this long (on a terminal).
PROGRESS_THRESHOLD = 200

OUTCOME_STYLE = {"dat": "bold green", "khong_dat": "bold red", "thieu_du_lieu": "bold yellow"}
RESULT_STYLE = {"pass": "green", "fail": "red", "missing": "yellow"}

LABELS: dict[str, dict[Language, str]] = {
    "file": {"vi": "Tệp", "en": "File"},
    "id": {"vi": "Mã", "en": "Id"},
    "version": {"vi": "Phiên bản", "en": "Version"},
    "title": {"vi": "Danh hiệu / hình thức", "en": "Title"},
    "kind": {"vi": "Loại", "en": "Kind"},
    "subject": {"vi": "Đối tượng", "en": "Subject"},
    "basis": {"vi": "Căn cứ khen", "en": "Award basis"},
    "effective": {"vi": "Hiệu lực", "en": "In force"},
    "criteria": {"vi": "Số tiêu chí", "en": "Criteria"},
    "status": {"vi": "Trạng thái", "en": "Status"},
    "ok": {"vi": "hợp lệ", "en": "valid"},
    "invalid": {"vi": "có lỗi", "en": "invalid"},
    "nominee": {"vi": "Mã hồ sơ", "en": "Nominee"},
    "name": {"vi": "Họ tên / Tập thể", "en": "Name"},
    "unit": {"vi": "Đơn vị", "en": "Unit"},
    "outcome": {"vi": "Kết quả", "en": "Outcome"},
    "points": {"vi": "Điểm", "en": "Points"},
    "reason": {"vi": "Lý do", "en": "Reason"},
    "criterion": {"vi": "Tiêu chí", "en": "Criterion"},
    "result": {"vi": "Kết quả", "en": "Result"},
    "values": {"vi": "Giá trị đã dùng", "en": "Values used"},
    "threshold": {"vi": "Điều kiện (ngưỡng)", "en": "Condition (thresholds)"},
    "cite": {"vi": "Căn cứ pháp lý", "en": "Legal basis"},
    "gate": {"vi": "bắt buộc", "en": "gate"},
    "param": {"vi": "Tham số", "en": "Param"},
    "value": {"vi": "Giá trị", "en": "Value"},
    "note": {"vi": "Ghi chú", "en": "Note"},
    "uncertain": {"vi": "⚠ chưa chắc chắn", "en": "⚠ uncertain"},
    "input": {"vi": "Dữ kiện", "en": "Input"},
    "type": {"vi": "Kiểu", "en": "Type"},
    "range": {"vi": "Miền giá trị", "en": "Range"},
    "better": {"vi": "Tốt hơn khi", "en": "Better when"},
    "label": {"vi": "Nhãn", "en": "Label"},
    "expr": {"vi": "Biểu thức", "en": "Expression"},
    "summary": {
        "vi": "{records} hồ sơ: {dat} đạt, {khong_dat} không đạt, {thieu} thiếu dữ liệu, {bad} lỗi",
        "en": "{records} records: {dat} meet, {khong_dat} do not, {thieu} missing data, {bad} invalid",
    },
    "validate_summary": {
        "vi": "{files} tệp: {good} hợp lệ, {bad} có lỗi",
        "en": "{files} files: {good} valid, {bad} invalid",
    },
    "warning": {"vi": "Cảnh báo", "en": "Warning"},
    "error": {"vi": "Lỗi", "en": "Error"},
    "decision": {"vi": "Quyết định", "en": "Decision"},
    "rule": {"vi": "Quy tắc", "en": "Rule"},
    "demo_hint": {
        "vi": "Xem vì sao một hồ sơ đạt hay không:\n"
              "  tdkt explain --rules {rule} --nominees {path} --id {id}",
        "en": "See why a nominee meets or not:\n"
              "  tdkt explain --rules {rule} --nominees {path} --id {id} --lang en",
    },
    "written": {"vi": "Đã ghi {path}", "en": "Wrote {path}"},
    "engine": {"vi": "Phiên bản bộ máy", "en": "Engine version"},
    "period": {"vi": "Kỳ", "en": "Period"},
    "min_points": {"vi": "điểm tối thiểu", "en": "minimum"},
}


def label(key: str, lang: Language, **params: Any) -> str:
    return LABELS[key][lang].format(**params)


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
@click.option("--version", "version", default=None, help="Phiên bản (mặc định: mới nhất).")
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


def _run(rules_ref: str, nominees: Path, rules_dir: Path | None, lang: Language
         ) -> BatchReport:
    choose, _library = choose_rule(rules_ref, rules_dir or default_criteria_dir())
    err = error_console()
    if not err.is_terminal:
        return evaluate_file(nominees, choose)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=err, transient=True) as progress:
        task = progress.add_task(str(nominees), total=None)

        def advance(done: int, total: int) -> None:
            if total >= PROGRESS_THRESHOLD:
                progress.update(task, completed=done, total=total)

        return evaluate_file(nominees, choose, progress=advance)


def _outcome_text(decision: Decision, lang: Language) -> Text:
    return Text(message(f"outcome.{decision.outcome}", lang), style=OUTCOME_STYLE[decision.outcome])


def _decisions_table(report: BatchReport, lang: Language) -> Table:
    first = report.decisions[0].rule if report.decisions else None
    title = ""
    if first is not None:
        model = first.model
        title = (f"{model.title_en if lang == 'en' and model.title_en else model.title}\n"
                 f"{first.id} {first.version} · sha256 {first.sha256[:12]}…")
    table = Table(title=title, show_lines=False)
    for key in ("nominee", "name", "unit", "outcome", "points", "reason"):
        table.add_column(label(key, lang), overflow="fold")
    for decision in report.decisions:
        table.add_row(decision.nominee_id, decision.name or "", decision.unit or "",
                      _outcome_text(decision, lang), _points(decision),
                      outcome_reason(decision, lang))
    return table


def _points(decision: Decision) -> str:
    maximum = decision.rule.model.max_points
    return "—" if maximum == 0 else f"{plain(decision.points)}/{plain(maximum)}"


def _summary(report: BatchReport, lang: Language) -> str:
    counts = {o: sum(1 for d in report.decisions if d.outcome == o)
              for o in ("dat", "khong_dat", "thieu_du_lieu")}
    return label("summary", lang, records=report.records, dat=counts["dat"],
                 khong_dat=counts["khong_dat"], thieu=counts["thieu_du_lieu"],
                 bad=len(report.problems))


def _dump_json(data: Any) -> str:
    return simplejson.dumps(data, ensure_ascii=False, indent=2, use_decimal=True)


@main.command()
@click.option("--rules", "rules_ref", required=True, metavar="RULE",
              help="Mã quy tắc (phiên bản theo kỳ), mã@phiên-bản, hoặc đường dẫn tệp YAML.")
@click.option("--nominees", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="Tệp hồ sơ: .json, .jsonl, .yaml (một hồ sơ hoặc danh sách).")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON (xem README).")
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Ghi thêm ra tệp .xlsx hoặc .csv để mở bằng Excel.")
@rules_dir_option
@lang_option
@report_errors
def evaluate(rules_ref: str, nominees: Path, as_json: bool, output: Path | None,
             rules_dir: Path | None, lang: Language) -> None:
    """Xét hồ sơ theo một quy tắc / evaluate nominees against a rule.

    Exit 0 khi mọi hồ sơ được xét (kể cả không đạt); 1 khi có hồ sơ lỗi – các hồ sơ
    khác vẫn được xét và báo cáo; 2 khi dùng sai lệnh.
    """
    if output is not None and output.suffix.lower() not in EXPORT_SUFFIXES:
        raise click.BadParameter(f"{output.suffix!r}: .xlsx / .csv", param_hint="--output")
    report = _run(rules_ref, nominees, rules_dir, lang)
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
              help="Mã quy tắc, mã@phiên-bản, hoặc đường dẫn tệp YAML.")
@click.option("--nominees", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="Tệp hồ sơ chứa hồ sơ cần giải thích.")
@click.option("--id", "nominee_id", required=True, help="Mã hồ sơ cần giải thích.")
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON.")
@rules_dir_option
@lang_option
@report_errors
def explain(rules_ref: str, nominees: Path, nominee_id: str, as_json: bool,
            rules_dir: Path | None, lang: Language) -> None:
    """Giải thích từng tiêu chí của một hồ sơ / explain one nominee's decision.

    Với mỗi tiêu chí: kết quả, giá trị đã dùng, ngưỡng và điều khoản căn cứ.
    """
    report = _run(rules_ref, nominees, rules_dir, lang)
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
              help="Ghi ra tệp thay vì in ra màn hình.")
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
              help="Thư mục hồ sơ mẫu (mặc định ./examples).")
@lang_option
@report_errors
def demo(rules_dir: Path | None, examples_dir: Path | None, lang: Language) -> None:
    """Chạy thử: kiểm tra thư viện quy tắc và xét các hồ sơ mẫu / run the demo."""
    library = RuleLibrary.load([rules_dir or default_criteria_dir()])
    out = console()
    out.print(label("validate_summary", lang, files=len(library.all()) + len(library.problems),
                    good=len(library.all()), bad=len(library.problems)))
    _print_problems(library.problems, lang)
    runs = run_demo(library, examples_dir or default_examples_dir())
    failed = bool(library.problems)
    for run in runs:
        out.print(_decisions_table(run.report, lang))
        out.print(_summary(run.report, lang))
        _print_problems(run.report.warnings, lang, warning=True)
        _print_problems(run.report.problems, lang)
        failed = failed or not run.report.clean
    if runs and runs[0].report.decisions:
        first = runs[0]
        out.print(label("demo_hint", lang, rule=first.rule.id, path=first.report.path,
                        id=first.report.decisions[0].nominee_id))
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
