"""The message catalogue: every sentence a user reads, in Vietnamese and English.

Keeping them in one table lets a test prove that no message lacks a language and
lets councils review the Vietnamese wording in one place.
"""

from __future__ import annotations

from typing import Any, Literal

__all__ = ["LANGUAGES", "MESSAGES", "Bilingual", "Language", "message"]

Language = Literal["vi", "en"]
LANGUAGES: tuple[Language, ...] = ("vi", "en")

MESSAGES: dict[str, dict[Language, str]] = {
    # where
    "where.record": {"vi": "hồ sơ {record}", "en": "record {record}"},
    "where.field": {"vi": "trường '{field}'", "en": "field '{field}'"},
    # reading files
    "file.not_found": {
        "vi": "không tìm thấy tệp hoặc thư mục; kiểm tra lại đường dẫn",
        "en": "no such file or folder; check the path",
    },
    "file.unreadable": {
        "vi": "không đọc được tệp ({reason})",
        "en": "cannot read the file ({reason})",
    },
    "file.not_utf8": {
        "vi": "tệp không phải UTF-8 (byte lỗi ở dòng {line}); hãy lưu lại tệp với mã hoá UTF-8",
        "en": "the file is not UTF-8 (bad byte on line {line}); save it again as UTF-8",
    },
    "file.nfd": {
        "vi": "văn bản ở dạng Unicode tổ hợp (NFD), đã chuẩn hoá sang NFC; nên lưu tệp ở dạng NFC",
        "en": "text is in decomposed Unicode (NFD) and was normalised to NFC; save the file as NFC",
    },
    "file.format_unknown": {
        "vi": "không nhận ra định dạng tệp '{suffix}'; dùng .json, .jsonl, .yaml hoặc .yml",
        "en": "unknown file format '{suffix}'; use .json, .jsonl, .yaml or .yml",
    },
    "yaml.syntax": {
        "vi": "YAML sai cú pháp: {problem}\n{excerpt}",
        "en": "malformed YAML: {problem}\n{excerpt}",
    },
    "yaml.not_number": {
        "vi": "số '{text}' không hợp lệ (không dùng .inf/.nan)",
        "en": "'{text}' is not a usable number (.inf/.nan are not allowed)",
    },
    "json.syntax": {
        "vi": "JSON sai cú pháp: {problem}",
        "en": "malformed JSON: {problem}",
    },
    # rule files
    "rule.not_mapping": {
        "vi": "tệp quy tắc phải là một ánh xạ YAML (khoá: giá trị) ở cấp cao nhất",
        "en": "a rule file must be a YAML mapping (key: value) at the top level",
    },
    "rule.model": {"vi": "{problem}", "en": "{problem}"},
    "rule.unknown_key": {
        "vi": "khoá '{key}' không có trong định dạng; các khoá hợp lệ: {allowed}",
        "en": "unknown key '{key}'; allowed keys: {allowed}",
    },
    "rule.missing_key": {
        "vi": "thiếu khoá bắt buộc '{key}'",
        "en": "required key '{key}' is missing",
    },
    "rule.duplicate_criterion": {
        "vi": "mã tiêu chí '{criterion}' bị trùng (đã có ở dòng {first_line}); mỗi tiêu chí cần một mã riêng",
        "en": "criterion id '{criterion}' is used twice (first on line {first_line}); give each criterion its own id",
    },
    "rule.gate_with_points": {
        "vi": "tiêu chí '{criterion}' vừa là điều kiện bắt buộc (gate) vừa có điểm; chọn một trong hai",
        "en": "criterion '{criterion}' is both a gate and scored; choose one",
    },
    "rule.neither_gate_nor_points": {
        "vi": "tiêu chí '{criterion}' không phải điều kiện bắt buộc và không có điểm; thêm 'gate: true' hoặc 'points: N'",
        "en": "criterion '{criterion}' is neither a gate nor scored; add 'gate: true' or 'points: N'",
    },
    "rule.name_clash": {
        "vi": "'{name}' vừa là tham số vừa là dữ kiện đầu vào; đổi tên một trong hai",
        "en": "'{name}' is both a param and an input; rename one",
    },
    "rule.enum_without_values": {
        "vi": "dữ kiện kiểu enum '{name}' cần danh sách 'values'",
        "en": "enum input '{name}' needs a 'values' list",
    },
    "rule.values_not_enum": {
        "vi": "chỉ dữ kiện kiểu enum mới có 'values' ('{name}' là {type})",
        "en": "only enum inputs take 'values' ('{name}' is {type})",
    },
    "rule.range_not_numeric": {
        "vi": "chỉ dữ kiện kiểu số mới có min/max ('{name}' là {type})",
        "en": "only numeric inputs take min/max ('{name}' is {type})",
    },
    "rule.range_inverted": {
        "vi": "'{name}': min ({min}) lớn hơn max ({max})",
        "en": "'{name}': min ({min}) is greater than max ({max})",
    },
    "rule.effective_inverted": {
        "vi": "ngày hết hiệu lực ({to}) trước ngày có hiệu lực ({from_})",
        "en": "the end date ({to}) is before the start date ({from_})",
    },
    "rule.id_folder": {
        "vi": "mã quy tắc '{rule_id}' khác tên thư mục '{folder}'; đặt tệp trong criteria/{rule_id}/",
        "en": "rule id '{rule_id}' differs from its folder '{folder}'; put the file in criteria/{rule_id}/",
    },
    "rule.version_file": {
        "vi": "phiên bản '{version}' khác tên tệp '{stem}'; đặt tên tệp là {version}.yaml",
        "en": "version '{version}' differs from the file name '{stem}'; name the file {version}.yaml",
    },
    "rule.duplicate_version": {
        "vi": "quy tắc {rule_id} phiên bản {version} có ở hai tệp: {other}",
        "en": "rule {rule_id} version {version} is defined twice: {other}",
    },
    # expressions
    "expr.syntax": {
        "vi": "biểu thức không đúng cú pháp: {problem}",
        "en": "the expression does not parse: {problem}",
    },
    "expr.too_long": {
        "vi": "biểu thức dài quá {limit} ký tự; hãy tách thành nhiều tiêu chí",
        "en": "the expression is longer than {limit} characters; split it into several criteria",
    },
    "expr.too_deep": {
        "vi": "biểu thức lồng nhau quá {limit} tầng",
        "en": "the expression nests deeper than {limit} levels",
    },
    "expr.construct": {
        "vi": "'{construct}' không thuộc ngôn ngữ biểu thức; chỉ dùng số, chuỗi, True/False, tên dữ kiện và tham số, + - * /, so sánh, and/or/not, in [..], a if b else c, min/max/abs",
        "en": "'{construct}' is not part of the expression language; use numbers, strings, True/False, inputs and params, + - * /, comparisons, and/or/not, in [..], a if b else c, min/max/abs",
    },
    "expr.private_name": {
        "vi": "tên '{name}' bắt đầu bằng '_' không được phép",
        "en": "names starting with '_' are not allowed ('{name}')",
    },
    "expr.unknown_name": {
        "vi": "tên '{name}' chưa được khai báo trong inputs hoặc params{hint}",
        "en": "'{name}' is not a declared input or param{hint}",
    },
    "expr.did_you_mean": {"vi": "; có phải ý bạn là '{suggestion}'?", "en": "; did you mean '{suggestion}'?"},
    "expr.unknown_function": {
        "vi": "hàm '{name}' không được phép; chỉ dùng {allowed}",
        "en": "function '{name}' is not allowed; use only {allowed}",
    },
    "expr.arity": {
        "vi": "hàm {name}() cần {expected} đối số, nhận {got}",
        "en": "{name}() takes {expected} arguments, got {got}",
    },
    "expr.keywords": {
        "vi": "hàm {name}() không nhận đối số có tên",
        "en": "{name}() takes no keyword arguments",
    },
    "expr.power": {
        "vi": "số mũ phải là số nguyên cụ thể từ 0 đến {limit}",
        "en": "the exponent must be a literal whole number from 0 to {limit}",
    },
    "expr.type": {
        "vi": "{what} cần {expected} nhưng nhận {got}",
        "en": "{what} needs {expected} but got {got}",
    },
    "expr.not_boolean": {
        "vi": "tiêu chí phải là một điều kiện đúng/sai, biểu thức này cho {got}",
        "en": "a criterion must be a true/false condition; this expression gives {got}",
    },
    "expr.enum_value": {
        "vi": "'{value}' không phải giá trị của '{name}'; các giá trị: {allowed}{hint}",
        "en": "'{value}' is not a value of '{name}'; values: {allowed}{hint}",
    },
    "expr.enum_order": {
        "vi": "không so sánh lớn/nhỏ với '{name}' (kiểu enum); dùng == hoặc in [..]",
        "en": "'{name}' is an enum: compare it with == or in [..], not < or >",
    },
    "expr.membership": {
        "vi": "vế phải của 'in' phải là danh sách giá trị cụ thể, ví dụ [\"a\", \"b\"]",
        "en": "the right side of 'in' must be a literal list, e.g. [\"a\", \"b\"]",
    },
    "expr.out_of_range": {
        "vi": "ngưỡng {value} nằm ngoài miền khai báo của '{name}' ({low} đến {high}); điều kiện luôn đúng hoặc luôn sai",
        "en": "threshold {value} is outside the declared range of '{name}' ({low} to {high}); the condition is always true or always false",
    },
    "expr.none": {"vi": "không dùng None; dữ kiện thiếu được xử lý tự động", "en": "None is not allowed; missing facts are handled by the engine"},
    # records
    "record.not_object": {
        "vi": "hồ sơ phải là một đối tượng (khoá: giá trị)",
        "en": "a record must be an object (key: value)",
    },
    "record.model": {"vi": "{problem}", "en": "{problem}"},
    "record.duplicate_id": {
        "vi": "mã hồ sơ '{record_id}' bị trùng (đã có ở hồ sơ thứ {first})",
        "en": "record id '{record_id}' appears twice (first as record {first})",
    },
    "record.unknown_fact": {
        "vi": "dữ kiện '{name}' không có trong quy tắc {rule_id}{hint}",
        "en": "fact '{name}' is not an input of rule {rule_id}{hint}",
    },
    "record.fact_type": {
        "vi": "giá trị {value} không hợp lệ: cần {expected}",
        "en": "value {value} is not valid: expected {expected}",
    },
    "record.fact_range": {
        "vi": "giá trị {value} nằm ngoài miền cho phép ({low} đến {high})",
        "en": "value {value} is outside the allowed range ({low} to {high})",
    },
    "record.enum_value": {
        "vi": "giá trị '{value}' không hợp lệ; các giá trị: {allowed}{hint}",
        "en": "'{value}' is not allowed; values: {allowed}{hint}",
    },
    "record.subject": {
        "vi": "đối tượng '{got}' không khớp quy tắc {rule_id} (dành cho '{expected}')",
        "en": "subject '{got}' does not match rule {rule_id} (which is for '{expected}')",
    },
    "record.arithmetic": {
        "vi": "tiêu chí '{criterion}' không tính được ({problem}); kiểm tra dữ kiện",
        "en": "criterion '{criterion}' cannot be computed ({problem}); check the facts",
    },
    "record.not_found": {
        "vi": "không có hồ sơ mã '{record_id}' trong tệp",
        "en": "no record with id '{record_id}' in the file",
    },
    # rule lookup
    "rules.not_found": {
        "vi": "không có quy tắc '{rule_id}' trong {where}; xem `tdkt rules list`",
        "en": "no rule '{rule_id}' in {where}; see `tdkt rules list`",
    },
    "rules.version_not_found": {
        "vi": "quy tắc '{rule_id}' không có phiên bản '{version}'; có: {available}",
        "en": "rule '{rule_id}' has no version '{version}'; available: {available}",
    },
    "rules.not_in_force": {
        "vi": "không có phiên bản nào của quy tắc '{rule_id}' có hiệu lực trong kỳ {period}",
        "en": "no version of rule '{rule_id}' is in force in period {period}",
    },
    "rules.invalid": {
        "vi": "quy tắc '{rule_id}' có lỗi; chạy `tdkt validate` để xem",
        "en": "rule '{rule_id}' has errors; run `tdkt validate` to see them",
    },
    # outcomes and results
    "outcome.dat": {"vi": "Đạt", "en": "Meets"},
    "outcome.khong_dat": {"vi": "Không đạt", "en": "Does not meet"},
    "outcome.thieu_du_lieu": {"vi": "Thiếu dữ liệu", "en": "Missing data"},
    "result.pass": {"vi": "đạt", "en": "pass"},
    "result.fail": {"vi": "không đạt", "en": "fail"},
    "result.missing": {"vi": "thiếu dữ liệu", "en": "missing"},
    "reason.dat": {
        "vi": "mọi điều kiện bắt buộc đều đạt và tổng điểm {points} ≥ {minimum}",
        "en": "every gate passes and the total {points} ≥ {minimum}",
    },
    "reason.all_gates": {
        "vi": "mọi điều kiện bắt buộc đều đạt",
        "en": "every gate passes",
    },
    "reason.gate_failed": {
        "vi": "không đạt điều kiện bắt buộc: {criteria}",
        "en": "fails the gate(s): {criteria}",
    },
    "reason.points_short": {
        "vi": "tổng điểm {points} (tối đa có thể {reachable}) < {minimum}",
        "en": "total {points} (at most {reachable} reachable) < {minimum}",
    },
    "reason.missing": {
        "vi": "kết quả phụ thuộc dữ kiện còn thiếu: {inputs}",
        "en": "the outcome depends on missing facts: {inputs}",
    },
}


class Bilingual(str):
    """A sentence made outside the catalogue (e.g. a translated pydantic problem) in both
    languages; it reads as English until :func:`message` picks the user's language."""

    texts: dict[Language, str]

    def __new__(cls, texts: dict[Language, str]) -> Bilingual:
        obj = super().__new__(cls, texts["en"])
        obj.texts = texts
        return obj


def message(key: str, lang: Language = "vi", /, **params: Any) -> str:
    """The catalogue sentence for ``key`` in ``lang``, filled with ``params``."""
    chosen = {
        name: value.texts[lang] if isinstance(value, Bilingual) else value
        for name, value in params.items()
    }
    return MESSAGES[key][lang].format(**chosen)
