"""click's own sentences (usage errors, --help) speak the user's language.

click prints "Usage:", "Error: Missing option '--rules'." and the like in English; tdkt
puts a translator into click's modules that reads the catalogue's ``click.*`` entries,
so a Vietnamese user (the default, ``--lang vi``, ``TDKT_LANG=vi``) reads Vietnamese
and ``--lang en`` or ``TDKT_LANG=en`` still gives click's English.
"""

from __future__ import annotations

import ast
import gettext
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from cli import main
from criteria_engine.messages import MESSAGES
from tests.common import english_sentences


@dataclass(frozen=True)
class UsageCase:
    """A mistyped command line and what it must say in each language."""

    name: str
    args: Callable[[Path], list[str]]
    vi: str
    en: str


CASES = [
    UsageCase("a required option left out", lambda tmp: ["evaluate"],
              "Lỗi: Thiếu tuỳ chọn '--rules'.", "Error: Missing option '--rules'."),
    UsageCase("a folder where a file is wanted",
              lambda tmp: ["evaluate", "--rules", "x", "--nominees", str(tmp)],
              "Giá trị của '--nominees' không hợp lệ: Tệp '{tmp}' là một thư mục",
              "Invalid value for '--nominees': File '{tmp}' is a directory."),
    UsageCase("a file where a folder is wanted",
              lambda tmp: ["rules", "list", "--rules-dir", str(_file(tmp))],
              "Thư mục '{file}' là một tệp", "Directory '{file}' is a file."),
    UsageCase("an unknown option", lambda tmp: ["evaluate", "--x"],
              "Không có tuỳ chọn '--x'.", "No such option '--x'."),
    UsageCase("a misspelt option gets suggestions", lambda tmp: ["evaluate", "--rule", "x"],
              "(Có phải ý bạn là một trong: '--rules', '--rules-dir'?)",
              "(Did you mean one of: '--rules', '--rules-dir'?)"),
    UsageCase("an unknown command", lambda tmp: ["evalute"],
              "Không có lệnh 'evalute'.", "No such command 'evalute'."),
    UsageCase("an option of a command given to the group", lambda tmp: ["--actor"],
              "Không có tuỳ chọn '--actor'.", "No such option '--actor'."),
    UsageCase("a word where a number is wanted", lambda tmp: ["audit", "show", "abc"],
              "'abc' không phải là số nguyên hợp lệ.", "'abc' is not a valid integer."),
    UsageCase("an extra argument", lambda tmp: ["rules", "show", "a", "b"],
              "Thừa đối số không dùng đến (b)", "Got unexpected extra argument (b)"),
    UsageCase("a choice that is not offered", lambda tmp: ["dedup", "--format", "pdf"],
              "'pdf' không hợp lệ; chọn một trong 'table', 'json', 'xlsx'.",
              "'pdf' is not one of 'table', 'json', 'xlsx'."),
    UsageCase("a date in the wrong form", lambda tmp: ["audit", "log", "--since", "2024"],
              "'2024' không đúng dạng '%Y-%m-%d'.",
              "'2024' does not match the format '%Y-%m-%d'."),
    UsageCase("a number out of range", lambda tmp: ["check", "--max-examples", "0"],
              "0 nằm ngoài khoảng cho phép x>=1.", "0 is not in the range x>=1."),
    UsageCase("an option without its value", lambda tmp: ["evaluate", "--rules"],
              "Tuỳ chọn '--rules' cần một giá trị đi sau.",
              "Option '--rules' requires an argument."),
    UsageCase("a value given to a flag",
              lambda tmp: ["evaluate", "--rules", "x", "--nominees", "y", "--json=1"],
              "Tuỳ chọn '--json' không nhận giá trị.", "Option '--json' does not take a value."),
]
def _file(tmp: Path) -> Path:
    path = tmp / "not-a-folder.txt"
    path.write_text("x", encoding="utf-8")
    return path


def _run(args: list[str], **env: str) -> Result:
    return CliRunner().invoke(main, args, prog_name="tdkt", env={"TDKT_LANG": None, **env})


def _expected(text: str, tmp: Path) -> str:
    return text.replace("{tmp}", str(tmp)).replace("{file}", str(tmp / "not-a-folder.txt"))


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_usage_error_is_told_in_vietnamese_by_default(case: UsageCase, tmp_path: Path) -> None:
    result = _run(case.args(tmp_path))
    assert result.exit_code == 2, result.output
    assert _expected(case.vi, tmp_path) in result.output
    assert english_sentences(result.output) == [], result.output
    assert "Error" not in result.output and "Usage" not in result.output


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_usage_error_is_told_in_english_with_tdkt_lang_en(case: UsageCase,
                                                            tmp_path: Path) -> None:
    result = _run(case.args(tmp_path), TDKT_LANG="en")
    assert result.exit_code == 2, result.output
    assert _expected(case.en, tmp_path) in result.output


def test_the_usage_lines_around_an_error_are_translated_too() -> None:
    vi = _run(["evaluate"]).output
    assert vi.splitlines()[:2] == ["Cách dùng: tdkt evaluate [OPTIONS]",
                                   "Xem hướng dẫn: 'tdkt evaluate --help'."]
    en = _run(["evaluate"], TDKT_LANG="en").output
    assert en.splitlines()[:2] == ["Usage: tdkt evaluate [OPTIONS]",
                                   "Try 'tdkt evaluate --help' for help."]


@pytest.mark.parametrize("args", [
    ["--lang", "en", "evaluate", "--x"],
    ["evaluate", "--x", "--lang", "en"],
    ["evaluate", "--lang=en", "--x"],
])
def test_lang_en_anywhere_on_the_line_gives_english(args: list[str]) -> None:
    """The error comes before --lang is parsed (or after the subcommand), so the run's
    arguments themselves choose the language."""
    assert "Error: No such option '--x'." in _run(args, TDKT_LANG="vi").output


def test_the_last_lang_wins_as_for_the_commands_own_output() -> None:
    output = _run(["--lang", "en", "evaluate", "--lang", "vi", "--x"]).output
    assert "Không có tuỳ chọn '--x'." in output


def test_a_wrong_lang_is_itself_told_in_vietnamese() -> None:
    output = _run(["rules", "list", "--lang", "xx"]).output
    assert "'xx' không hợp lệ; chọn một trong 'vi', 'en'." in output
    assert english_sentences(output) == []


def test_a_user_word_is_never_translated_as_a_click_word() -> None:
    """click's "File" in "File 'x' is a directory" is translated; a command named File
    typed by the user is quoted as typed."""
    assert "Không có lệnh 'File'." in _run(["File"]).output


@pytest.mark.parametrize("path", [[], ["evaluate"], ["rules"], ["rules", "list"]])
def test_help_headings_follow_the_language(path: list[str]) -> None:
    vi = _run([*path, "--help"])
    assert vi.exit_code == 0
    for heading in ("Cách dùng:", "Tuỳ chọn:", "Hiện hướng dẫn này rồi thoát."):
        assert heading in vi.output
    assert "Usage:" not in vi.output and "Options:" not in vi.output
    en = _run([*path, "--help"], TDKT_LANG="en")
    for heading in ("Usage:", "Options:", "Show this message and exit."):
        assert heading in en.output
    assert "Hiện hướng dẫn" not in en.output  # the help option is not stuck in one language


def test_the_group_help_lists_commands_and_version_in_the_language() -> None:
    vi = _run(["--help"]).output
    assert "Lệnh:" in vi and "Hiện số phiên bản rồi thoát." in vi and "định: vi]" in vi
    en = _run(["--lang", "en", "--help"]).output
    assert "Commands:" in en and "Show the version and exit." in en and "[default:" in en


def test_a_required_option_is_marked_in_the_language() -> None:
    assert "[bắt buộc]" in _run(["evaluate", "--help"]).output
    assert "[required]" in _run(["evaluate", "--help"], TDKT_LANG="en").output


def test_version_follows_the_language() -> None:
    assert _run(["--version"]).output.startswith("tdkt, phiên bản ")
    assert _run(["--version"], TDKT_LANG="en").output.startswith("tdkt, version ")


def test_no_command_is_told_in_the_language() -> None:
    assert "Lỗi: Thiếu tên lệnh." in _run(["--lang", "vi"]).output
    assert "Error: Missing command." in _run(["--lang", "en"]).output


# --- the catalogue covers what click can say ---
#: click's sentences that tdkt's commands cannot make click print, and why.
NOT_REACHABLE = {
    "d": "the days label of click's progress bar; tdkt draws its bars with rich",
    "deprecated": "no tdkt command or option is deprecated",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}": "as above",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}": "as above",
    "Do you want to continue?": "tdkt never prompts (confirmation_option)",
    "Confirm the action without prompting.": "as above",
    "Repeat for confirmation": "tdkt never prompts",
    "Error: The two entered values do not match.": "tdkt never prompts",
    "Error: invalid input": "tdkt never prompts (confirm)",
    "Press any key to continue...": "tdkt never pauses",
    "{editor}: Editing failed": "tdkt never opens an editor",
    "{editor}: Editing failed: {e}": "tdkt never opens an editor",
    "Windows error: {error}": "Windows console only, with click's English system error",
    "Choice({choices})": "a repr, for programmers",
    "file": "a path type's name, translated where click fills it in (click.word.File)",
    "directory": "as above (click.word.Directory)",
    "path": "as above (click.word.Path)",
    "Name '{name}' defined twice": "TypeError while tdkt's own options are declared",
    "Boolean option {decl!r} cannot use the same flag for true/false.": "as above",
    "Could not determine name for option with declarations {decls!r}": "as above",
    "No options defined but a name was passed ({name}). Did you mean to declare an argument "
    "instead? Did you mean to pass '--{name}'?": "as above",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.": "as above",
    "Invalid start character for option ({option})": "as above",
    "Unknown standard stream '{name}'": "a programming error inside click",
    "Unknown color {colour!r}": "a programming error in a caller of click.style",
}


def _click_message_ids() -> set[str]:
    """Every literal sentence click passes to gettext's ``_`` or ``ngettext``."""
    found = set()
    for source in Path(click.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("_", "ngettext")):
                found |= {arg.value for arg in node.args[:2]
                          if isinstance(arg, ast.Constant) and isinstance(arg.value, str)}
    return found


def test_every_sentence_click_can_print_for_tdkt_is_in_the_catalogue() -> None:
    """Fails when a click upgrade adds a sentence: translate it or say why it cannot show."""
    ids = _click_message_ids()
    assert "Missing option" in ids and "Usage:" in ids  # the scan itself works
    missing = sorted(i for i in ids if f"click.{i}" not in MESSAGES and i not in NOT_REACHABLE)
    assert missing == []
    assert "required" in {key.removeprefix("click.") for key in MESSAGES}  # _(extra[...])


def test_the_catalogue_keeps_click_english_word_for_word() -> None:
    for key, texts in MESSAGES.items():
        if key.startswith("click.") and not key.startswith("click.word."):
            assert texts["en"] == key.removeprefix("click."), key


def test_the_translator_is_installed_in_every_click_module_that_translates() -> None:
    modules = [click.core, click.exceptions, click.types, click.formatting,
               click.decorators, click.termui, click.utils]
    assert all(getattr(m, "_", None) is not gettext.gettext for m in modules)
