"""The message catalogue: every sentence a user reads, in Vietnamese and English.

Keeping them in one table lets a test prove that no message lacks a language and
lets councils review the Vietnamese wording in one place.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any, Literal

__all__ = [
    "LANGUAGES",
    "MESSAGES",
    "Bilingual",
    "Language",
    "both",
    "did_you_mean",
    "message",
    "pydantic_problem",
]

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
    # files tdkt writes (-o, exports): checked before any work starts
    "output.no_folder": {
        "vi": "không ghi được tệp: thư mục '{folder}' không tồn tại; tạo thư mục trước hoặc chọn nơi khác",
        "en": "cannot write the file: folder '{folder}' does not exist; create it first or choose another place",
    },
    "output.is_folder": {
        "vi": "không ghi được tệp: '{path}' là một thư mục; hãy ghi rõ tên tệp",
        "en": "cannot write the file: '{path}' is a folder; give a file name",
    },
    "output.denied": {
        "vi": "không có quyền ghi tệp này; kiểm tra quyền ghi, hoặc đóng tệp nếu đang mở trong Excel",
        "en": "no permission to write this file; check permissions, or close it if it is open in Excel",
    },
    "output.no_space": {
        "vi": "không ghi được tệp: ổ đĩa đã đầy",
        "en": "cannot write the file: the disk is full",
    },
    "output.not_writable": {
        "vi": "không ghi được tệp (mã lỗi hệ thống {reason}); chọn nơi ghi khác",
        "en": "cannot write the file (system error {reason}); choose another place",
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
    # --- rule files (issue 8: broken versions, bounds, folding, syntax hints, translations) ---
    "yaml.too_deep": {
        "vi": "tệp lồng nhau quá {limit} tầng (danh sách trong danh sách…); tệp quy tắc và hồ sơ chỉ cần vài tầng",
        "en": "the file nests deeper than {limit} levels (lists within lists…); rule and nominee files need only a few",
    },
    "yaml.aliases": {
        "vi": "các bí danh YAML (*tên) nhân bản quá {limit} phần tử; chép thẳng nội dung cần dùng thay vì lồng bí danh",
        "en": "YAML aliases (*name) expand to more than {limit} extra items; write the content out instead of nesting aliases",
    },
    "yaml_problem.mapping_values": {
        "vi": "dấu ':' ở chỗ không được phép (thường do thụt lề sai, hoặc một giá trị chứa ': ' cần đặt trong dấu nháy)",
        "en": "a ':' where none is allowed (usually wrong indentation, or a value containing ': ' that needs quotes)",
    },
    "yaml_problem.expected_colon": {
        "vi": "thiếu dấu ':' sau khoá (thường do một dòng bị ngắt hoặc thụt lề sai)",
        "en": "a key is missing its ':' (usually a broken line or wrong indentation)",
    },
    "yaml_problem.tab": {
        "vi": "có ký tự Tab: YAML thụt lề bằng dấu cách, không dùng phím Tab",
        "en": "a tab character: YAML indents with spaces, never tabs",
    },
    "yaml_problem.bad_start": {
        "vi": "ký tự '{char}' không được đứng đầu một giá trị; đặt giá trị trong dấu nháy",
        "en": "a value cannot start with '{char}'; put the value in quotes",
    },
    "yaml_problem.block_end": {
        "vi": "thụt lề không khớp với các dòng trên (một khoá hoặc gạch đầu dòng bị lệch cột)",
        "en": "the indentation does not match the lines above (a key or a dash is in the wrong column)",
    },
    "yaml_problem.end_of_stream": {
        "vi": "tệp kết thúc giữa chừng (có thể thiếu dấu nháy đóng)",
        "en": "the file ends too early (perhaps a closing quote is missing)",
    },
    "yaml_problem.flow_end": {
        "vi": "danh sách hoặc ánh xạ trong ngoặc chưa được đóng: thiếu '{closing}' hoặc dấu ','",
        "en": "a bracketed list or mapping is not closed: a '{closing}' or a ',' is missing",
    },
    "yaml_problem.undefined_alias": {
        "vi": "bí danh *{name} chưa được định nghĩa bằng &{name} ở phía trên",
        "en": "the alias *{name} is not defined by an &{name} above it",
    },
    "yaml_problem.duplicate_key": {
        "vi": "khoá '{key}' xuất hiện hai lần trong cùng một ánh xạ; giữ một",
        "en": "the key '{key}' appears twice in the same mapping; keep one",
    },
    "yaml_problem.escape": {
        "vi": "'\\{char}' không phải ký tự thoát hợp lệ trong dấu nháy kép; dùng dấu nháy đơn hoặc viết '\\\\'",
        "en": "'\\{char}' is not a valid escape inside double quotes; use single quotes or write '\\\\'",
    },
    "yaml_problem.documents": {
        "vi": "tệp chỉ được chứa một tài liệu YAML; bỏ dòng '---' thứ hai",
        "en": "the file must hold a single YAML document; remove the second '---'",
    },
    "yaml_problem.anchor": {
        "vi": "tên neo (&) hoặc bí danh (*) không hợp lệ; nếu '&' hay '*' là một phần của văn bản, đặt giá trị trong dấu nháy",
        "en": "an invalid anchor (&) or alias (*); if '&' or '*' is part of the text, put the value in quotes",
    },
    "yaml_problem.unhashable": {
        "vi": "khoá phải là một giá trị đơn (chữ hoặc số), không phải danh sách hay ánh xạ",
        "en": "a key must be a single value (text or a number), not a list or a mapping",
    },
    "yaml_problem.control": {
        "vi": "ký tự điều khiển {code} không được phép (thường do dán từ trình soạn thảo văn bản); xoá ký tự này",
        "en": "the control character {code} is not allowed (usually pasted from a word processor); delete it",
    },
    "yaml_problem.month": {
        "vi": "tháng phải từ 1 đến 12 (ngày viết dạng YYYY-MM-DD)",
        "en": "the month must be from 1 to 12 (dates are written YYYY-MM-DD)",
    },
    "yaml_problem.day": {
        "vi": "ngày không có trong tháng đó (ngày viết dạng YYYY-MM-DD)",
        "en": "that day does not exist in that month (dates are written YYYY-MM-DD)",
    },
    "yaml_problem.year": {"vi": "năm {year} nằm ngoài khoảng 1 đến 9999", "en": "the year {year} is outside 1 to 9999"},
    "yaml_problem.time": {
        "vi": "giờ, phút hoặc giây nằm ngoài khoảng cho phép",
        "en": "an hour, minute or second is out of range",
    },
    "yaml_problem.digits": {
        "vi": "số có hơn {limit} chữ số",
        "en": "the number has more than {limit} digits",
    },
    "yaml_problem.node_content": {
        "vi": "thiếu một giá trị trước '{char}'",
        "en": "a value is missing before '{char}'",
    },
    "yaml_problem.sequence_entries": {
        "vi": "gạch đầu dòng '-' ở chỗ không được phép (thường do thụt lề sai)",
        "en": "a '-' item where none is allowed (usually wrong indentation)",
    },
    "yaml_problem.block_scalar": {
        "vi": "sau '|' hoặc '>' chỉ được có '-', '+' hoặc một chữ số; nếu đó là văn bản, đặt giá trị trong dấu nháy",
        "en": "after '|' or '>' only '-', '+' or a digit may follow; if it is text, put the value in quotes",
    },
    "yaml_problem.line_end": {
        "vi": "có ký tự thừa sau giá trị trên cùng dòng",
        "en": "stray characters after a value on the same line",
    },
    "yaml_problem.other": {
        "vi": "lỗi cú pháp YAML (thông báo gốc của bộ đọc: `{original}`)",
        "en": "{original}",
    },
    "value_problem.other": {
        "vi": "giá trị không hợp lệ (mã lỗi `{type}`, thông báo gốc: `{original}`)",
        "en": "{original} ({type})",
    },
    "rule.too_large": {
        "vi": "tệp quy tắc lớn hơn {limit} byte; một tệp quy tắc chỉ cần vài chục KB, hãy kiểm tra lại tệp",
        "en": "the rule file is larger than {limit} bytes; a rule file needs a few tens of KB, check the file",
    },
    "rule.keyword_name": {
        "vi": "'{name}' là từ khoá của ngôn ngữ biểu thức nên không dùng làm tên dữ kiện hoặc tham số được; đổi tên, ví dụ '{name}_'",
        "en": "'{name}' is a keyword of the expression language and cannot name an input or param; rename it, e.g. '{name}_'",
    },
    "rule.number_range": {
        "vi": "số {value} quá lớn để tính toán (số mũ tối đa {limit})",
        "en": "the number {value} is too large to compute with (largest exponent {limit})",
    },
    "rules.broken": {
        "vi": "quy tắc '{rule_id}' có phiên bản không nạp được ({files}); tdkt không dùng phiên bản khác thay thế: sửa các lỗi dưới đây, hoặc chuyển tệp ra khỏi thư mục quy tắc",
        "en": "rule '{rule_id}' has a version that failed to load ({files}); tdkt never falls back to another version: fix the problems below, or move the file out of the rule folder",
    },
    "label.broken": {"vi": "có lỗi, không nạp được", "en": "broken, not loaded"},
    "label.progress_validate": {"vi": "Đọc tệp quy tắc", "en": "Reading rule files"},
    "label.progress_check": {"vi": "Kiểm tra tính chất", "en": "Checking properties"},
    "expr.chain_mixed": {
        "vi": "'{text}' so sánh theo hai chiều ngược nhau, nghĩa là '{meaning}', không phải một khoảng; viết dạng 5 < x < 10 hoặc nối bằng and",
        "en": "'{text}' compares in opposite directions, which means '{meaning}', not a range; write 5 < x < 10 or join with and",
    },
    "expr.constant_arithmetic": {
        "vi": "tiêu chí '{criterion}': phép tính '{construct}' luôn lỗi ({problem}); đây là lỗi của quy tắc, không phải của dữ kiện: sửa biểu thức",
        "en": "criterion '{criterion}': '{construct}' can never be computed ({problem}); the rule is at fault, not the facts: fix the expression",
    },
    "expr.number_range": {
        "vi": "số {value} quá lớn để tính toán (số mũ tối đa {limit})",
        "en": "the number {value} is too large to compute with (largest exponent {limit})",
    },
    "expr_problem.and_or": {
        "vi": "'{symbol}' không thuộc ngôn ngữ biểu thức; dùng {word}",
        "en": "'{symbol}' is not part of the expression language; use {word}",
    },
    "expr_problem.assign": {
        "vi": "'=' là phép gán; để so sánh bằng, dùng ==",
        "en": "'=' assigns; to compare for equality, use ==",
    },
    "expr_problem.percent": {
        "vi": "'{number}%' không phải một số; viết {fraction}, hoặc {number} nếu dữ kiện được khai báo theo phần trăm",
        "en": "'{number}%' is not a number; write {fraction}, or {number} if the input is declared in percent",
    },
    "expr_problem.invalid": {
        "vi": "có chỗ sai cú pháp ở vị trí này (thiếu toán hạng, thừa toán tử hoặc thiếu dấu phẩy?)",
        "en": "the syntax is wrong at this point (a missing operand, an extra operator or a missing comma?)",
    },
    "expr_problem.never_closed": {
        "vi": "dấu '{bracket}' chưa được đóng",
        "en": "'{bracket}' is never closed",
    },
    "expr_problem.unmatched": {
        "vi": "dấu '{bracket}' không có dấu mở tương ứng",
        "en": "'{bracket}' has no matching opening bracket",
    },
    "expr_problem.mismatch": {
        "vi": "dấu đóng '{closing}' không khớp với dấu mở '{opening}'",
        "en": "the closing '{closing}' does not match the opening '{opening}'",
    },
    "expr_problem.unterminated": {
        "vi": "chuỗi chưa có dấu nháy đóng",
        "en": "a string is missing its closing quote",
    },
    "expr_problem.character": {
        "vi": "ký tự {char} không dùng được trong biểu thức (thường do bộ gõ tự đổi dấu nháy hay dấu gạch); gõ lại bằng ký tự ASCII",
        "en": "the character {char} cannot be used in an expression (often an editor's curly quote or dash); retype it in ASCII",
    },
    "expr_problem.leading_zero": {
        "vi": "số nguyên không được viết với số 0 ở đầu (08); viết 8",
        "en": "a whole number cannot start with 0 (08); write 8",
    },
    "expr_problem.literal": {
        "vi": "số viết sai (có chữ cái hoặc ký tự lạ dính liền sau số?)",
        "en": "a malformed number (letters or stray characters right after a number?)",
    },
    "expr_problem.nesting": {
        "vi": "biểu thức lồng ngoặc quá sâu",
        "en": "the expression nests brackets too deeply",
    },
    "expr_problem.other": {
        "vi": "lỗi cú pháp (thông báo gốc: `{original}`)",
        "en": "{original}",
    },
    "arith.DivisionByZero": {"vi": "chia cho 0", "en": "division by zero"},
    "arith.InvalidOperation": {
        "vi": "phép tính không xác định, ví dụ 0/0",
        "en": "an undefined operation, such as 0/0",
    },
    "arith.Overflow": {"vi": "kết quả quá lớn", "en": "the result is too large"},
    "arith.other": {"vi": "lỗi tính toán (`{name}`)", "en": "an arithmetic error ({name})"},
    "rule_value.string_too_long": {"vi": "dài quá {max_length} ký tự", "en": "longer than {max_length} characters"},
    "rule_value.string_too_short": {"vi": "không được để trống", "en": "must not be empty"},
    "rule_value.too_long": {"vi": "nhiều hơn {max_length} phần tử", "en": "more than {max_length} items"},
    "rule_value.date_from_datetime_inexact": {
        "vi": "cần ngày dạng YYYY-MM-DD (ví dụ 2024-01-01), không phải một số",
        "en": "expected a date YYYY-MM-DD (e.g. 2024-01-01), not a number",
    },
    "rule_value.date_parsing": {"vi": "cần ngày dạng YYYY-MM-DD", "en": "expected a date YYYY-MM-DD"},
    "rule_value.datetime_type": {"vi": "cần ngày dạng YYYY-MM-DD", "en": "expected a date YYYY-MM-DD"},
    "rule_value.int_type": {"vi": "cần một số nguyên", "en": "expected a whole number"},
    "rule_value.int_parsing": {"vi": "cần một số nguyên", "en": "expected a whole number"},
    "rule_value.int_from_float": {"vi": "cần một số nguyên (không có phần thập phân)", "en": "expected a whole number (no fractional part)"},
    "rule_value.finite_number": {"vi": "cần một số hữu hạn", "en": "expected a finite number"},
    "rule_value.less_than_equal": {"vi": "phải nhỏ hơn hoặc bằng {le}", "en": "must be at most {le}"},
    "rule_value.greater_than": {"vi": "phải lớn hơn {gt}", "en": "must be greater than {gt}"},
    "rule_value.less_than": {"vi": "phải nhỏ hơn {lt}", "en": "must be less than {lt}"},
    "rule_value.recursion_loop": {"vi": "bí danh YAML tự tham chiếu vòng tròn", "en": "a YAML alias refers to itself in a loop"},
    "rule_value.invalid_key": {
        "vi": "khoá phải là chữ (đặt trong dấu nháy nếu là số, ví dụ \"2024\")",
        "en": "keys must be text (quote a number, e.g. \"2024\")",
    },
    "rule_value.text_blank": {"vi": "không được chỉ có khoảng trắng", "en": "must not be only whitespace"},
    "rule_value.text_character": {
        "vi": "chứa ký tự điều khiển hoặc ký tự vô hình {char}; xoá ký tự này",
        "en": "holds a control or invisible character {char}; delete it",
    },
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
    "outcome.trung_thanh_tich": {"vi": "Trùng thành tích", "en": "Achievement already rewarded"},
    "result.pass": {"vi": "đạt", "en": "pass"},
    "result.fail": {"vi": "không đạt", "en": "fail"},
    "result.missing": {"vi": "thiếu dữ liệu", "en": "missing"},
    "reason.dat": {
        "vi": "mọi điều kiện bắt buộc đều đạt và tổng điểm {points} ≥ {minimum}",
        "en": "every required condition is met and the total {points} ≥ {minimum}",
    },
    "reason.already_rewarded": {
        "vi": "đạt tiêu chí nhưng thành tích {achievement} đã được khen: {holder} (Điều 5 khoản 2 điểm c)",
        "en": "meets the criteria but achievement {achievement} is already rewarded: {holder} (Art. 5(2)(c))",
    },
    "reason.set_aside": {
        "vi": "đạt tiêu chí nhưng thành tích {achievement} được dùng cho hình thức cao hơn: {holder}; hình thức này bị gác lại (Điều 5 khoản 2 điểm c)",
        "en": "meets the criteria but achievement {achievement} goes to the higher form {holder}; this one is set aside (Art. 5(2)(c))",
    },
    "reason.holder": {
        "vi": "{rule} {version}, kỳ {period}, hồ sơ {nominee}{stored}",
        "en": "{rule} {version}, period {period}, nominee {nominee}{stored}",
    },
    "reason.stored": {"vi": ", quyết định số {decision_id}", "en": ", decision #{decision_id}"},
    "reason.all_gates": {
        "vi": "mọi điều kiện bắt buộc đều đạt",
        "en": "every required condition is met",
    },
    "reason.gate_failed": {
        "vi": "không đạt điều kiện bắt buộc: {criteria}",
        "en": "does not meet the required condition: {criteria}",
    },
    "reason.points_short": {
        "vi": "tổng điểm {points} (tối đa có thể {reachable}) < {minimum}",
        "en": "total {points} (at most {reachable} reachable) < {minimum}",
    },
    "reason.missing": {
        "vi": "kết quả phụ thuộc dữ kiện còn thiếu: {inputs}",
        "en": "the outcome depends on missing facts: {inputs}",
    },
    # --- dedup (tdkt dedup: criteria of different titles compared) ---
    "dedup.fact_conflict": {
        "vi": "dữ kiện '{name}' được khai báo là {declared} ở đây nhưng '{other_name}' là {other_declared} ở {other}; một tên phải chỉ một dữ kiện: sửa hai khai báo cho khớp, hoặc đổi tên một bên",
        "en": "input '{name}' is declared {declared} here but '{other_name}' is {other_declared} in {other}; one name must mean one fact: make the declarations agree or rename one of them",
    },
    "dedup.same_fact_twice": {
        "vi": "'{name}' và '{other}' của cùng một tệp chỉ cùng một dữ kiện (qua same_as); bỏ một trong hai",
        "en": "inputs '{name}' and '{other}' of this file denote the same fact (through same_as); drop one",
    },
    "dedup.relation.equivalent": {"vi": "tương đương", "en": "equivalent"},
    "dedup.relation.implies": {"vi": "kéo theo", "en": "implies"},
    "dedup.relation.implied_by": {"vi": "kéo theo ngược", "en": "implied by"},
    "dedup.relation.overlaps": {"vi": "giao nhau", "en": "overlaps"},
    "dedup.relation.undecided": {"vi": "chưa quyết định được", "en": "undecided"},
    "dedup.relation.disjoint": {"vi": "không giao nhau", "en": "disjoint"},
    "dedup.meets.both": {"vi": "đạt cả hai", "en": "meets both"},
    "dedup.meets.only_left": {"vi": "chỉ đạt bên trái", "en": "meets only the left"},
    "dedup.meets.only_right": {"vi": "chỉ đạt bên phải", "en": "meets only the right"},
    "dedup.absent.both": {
        "vi": "không hồ sơ nào đạt cả {left} và {right}",
        "en": "no record meets both {left} and {right}",
    },
    "dedup.absent.only_left": {
        "vi": "không hồ sơ nào đạt {left} mà không đạt {right}",
        "en": "no record meets {left} without meeting {right}",
    },
    "dedup.absent.only_right": {
        "vi": "không hồ sơ nào đạt {right} mà không đạt {left}",
        "en": "no record meets {right} without meeting {left}",
    },
    "dedup.proof": {
        "vi": "{claims} trong miền giá trị đã khai báo (z3 chứng minh; {theory})",
        "en": "{claims} within the declared domains (proved by z3; {theory})",
    },
    "dedup.theory.finite": {"vi": "đúng/sai và enum, chính xác", "en": "booleans and enums, exact"},
    "dedup.theory.linear": {
        "vi": "số học tuyến tính trên số nguyên và số thực, chính xác",
        "en": "linear integer and real arithmetic, exact",
    },
    "dedup.theory.nonlinear": {"vi": "số học phi tuyến", "en": "non-linear arithmetic"},
    "dedup.short.proof": {
        "vi": "không có hồ sơ {roles} (z3; {theory})",
        "en": "no record {roles} (z3; {theory})",
    },
    "dedup.checked": {
        "vi": "hồ sơ minh họa đã được bộ máy xét lại: {roles}",
        "en": "witness records checked by the engine: {roles}",
    },
    "dedup.note.nonlinear": {
        "vi": "điều kiện dùng số học phi tuyến nên không tin câu trả lời \"không có hồ sơ\" ({role}); chỉ tin hồ sơ minh họa",
        "en": "the conditions use non-linear arithmetic, so a \"no such record\" answer ({role}) is not trusted; only witness records are",
    },
    "dedup.note.solver_unknown": {
        "vi": "bộ giải không trả lời được ({reason})",
        "en": "the solver gave no answer ({reason})",
    },
    "dedup.note.no_decimal": {
        "vi": "chỉ tìm được giá trị có phần thập phân vô hạn ({role}); không lập được hồ sơ minh họa",
        "en": "only values with endless decimals were found ({role}); no witness record could be written",
    },
    "dedup.note.engine_disagrees": {
        "vi": "bộ máy xét hồ sơ do bộ giải đưa ra cho kết quả khác ({role}: bên trái {left}, bên phải {right}); coi là chưa quyết định",
        "en": "the engine disagrees with the solver's record ({role}: left {left}, right {right}); treated as undecided",
    },
    "dedup.note.never_met": {
        "vi": "không hồ sơ nào có thể đạt {side}",
        "en": "no record can meet {side}",
    },
    "dedup.witness.name": {"vi": "Hồ sơ minh họa (tdkt dedup)", "en": "Witness record (tdkt dedup)"},
    "dedup.group": {
        "vi": "{left} ({left_id}) ↔ {right} ({right_id})",
        "en": "{left} ({left_id}) ↔ {right} ({right_id})",
    },
    "dedup.title_relation": {
        "vi": "Cả danh hiệu: {relation} — {explanation}",
        "en": "Whole titles: {relation} — {explanation}",
    },
    "dedup.title.equivalent": {
        "vi": "{left} và {right} có đúng cùng một tập hồ sơ đạt",
        "en": "{left} and {right} are met by exactly the same records",
    },
    "dedup.title.implies": {
        "vi": "ai đạt {left} cũng đạt {right}: {right} không thêm điều kiện nào so với {left}",
        "en": "whoever meets {left} meets {right}: {right} adds nothing beyond {left}",
    },
    "dedup.title.implied_by": {
        "vi": "ai đạt {right} cũng đạt {left}: {left} không thêm điều kiện nào so với {right}",
        "en": "whoever meets {right} meets {left}: {left} adds nothing beyond {right}",
    },
    "dedup.title.overlaps": {
        "vi": "có hồ sơ đạt cả hai, và mỗi danh hiệu có hồ sơ chỉ đạt riêng nó",
        "en": "some records meet both, and each title has records that meet only it",
    },
    "dedup.title.undecided": {
        "vi": "chưa quyết định được quan hệ giữa {left} và {right}",
        "en": "the relation between {left} and {right} could not be decided",
    },
    "dedup.title.disjoint": {
        "vi": "không hồ sơ nào đạt cả {left} và {right}",
        "en": "no record meets both {left} and {right}",
    },
    "dedup.summary": {
        "vi": "{compared} cặp tiêu chí đã so sánh: {equivalent} tương đương, {implies} kéo theo, {implied_by} kéo theo ngược, {overlaps} giao nhau, {undecided} chưa quyết định được, {disjoint} không giao nhau; {unrelated} cặp không chung dữ kiện nên không so sánh ({solver})",
        "en": "{compared} criteria pairs compared: {equivalent} equivalent, {implies} implies, {implied_by} implied by, {overlaps} overlap, {undecided} undecided, {disjoint} disjoint; {unrelated} pairs share no fact and were not compared ({solver})",
    },
    "dedup.none": {
        "vi": "không có tiêu chí nào của các danh hiệu cùng hiệu lực dùng chung dữ kiện",
        "en": "no criteria of titles in force together share a fact",
    },
    "dedup.hidden": {
        "vi": "{count} cặp không giao nhau không được liệt kê; dùng --all để xem",
        "en": "{count} disjoint pairs not listed; use --all to see them",
    },
    "dedup.fail_on": {
        "vi": "có {count} kết luận thuộc loại {classes} (--fail-on)",
        "en": "{count} finding(s) of class {classes} (--fail-on)",
    },
    "dedup.fail_on_unknown": {
        "vi": "loại '{value}' không hợp lệ; chọn trong: {allowed}",
        "en": "unknown class '{value}'; choose from: {allowed}",
    },
    "dedup.output_needed": {
        "vi": "định dạng xlsx cần --output TỆP.xlsx",
        "en": "the xlsx format needs --output FILE.xlsx",
    },
    "dedup.sheet.criteria": {"vi": "Cặp tiêu chí", "en": "Criteria pairs"},
    "dedup.sheet.titles": {"vi": "Cả danh hiệu", "en": "Whole titles"},
    "dedup.sheet.witnesses": {"vi": "Hồ sơ minh họa", "en": "Witnesses"},
    "dedup.headers.findings": {
        "vi": "STT|Quan hệ|Quy tắc trái|Tiêu chí trái|Nội dung trái|Quy tắc phải|Tiêu chí phải|Nội dung phải|Căn cứ kết luận|Hồ sơ minh họa|Độ giống câu chữ|Dữ kiện chung",
        "en": "No.|Relation|Left rule|Left criterion|Left text|Right rule|Right criterion|Right text|Evidence|Witness|Wording similarity|Shared facts",
    },
    "dedup.headers.witnesses": {
        "vi": "Kết luận|Hồ sơ|Kết quả bên trái|Kết quả bên phải|Hồ sơ (JSON)",
        "en": "Finding|Record|Left result|Right result|Record (JSON)",
    },
    "dedup.headers.table": {
        "vi": "Quan hệ|Tiêu chí bên trái|Tiêu chí bên phải|Hồ sơ minh họa|Căn cứ kết luận|Giống câu chữ",
        "en": "Relation|Left criterion|Right criterion|Witness|Evidence|Wording",
    },
    # decision store (criteria_engine.store) and `tdkt db` / `tdkt audit`
    "store.unreachable": {
        "vi": "không kết nối được PostgreSQL tại {host}:{port} ({reason}); kiểm tra máy chủ đã chạy, và --db / TDKT_DATABASE_URL",
        "en": "cannot reach PostgreSQL at {host}:{port} ({reason}); check the server is running, and --db / TDKT_DATABASE_URL",
    },
    "store.cannot_open": {
        "vi": "không mở được cơ sở dữ liệu SQLite ({reason}); kiểm tra đường dẫn --db và quyền ghi",
        "en": "cannot open the SQLite database ({reason}); check the --db path and write permission",
    },
    "store.no_database": {
        "vi": "chưa có cơ sở dữ liệu ở đây; ghi quyết định bằng `tdkt evaluate … --record` hoặc chọn --db khác",
        "en": "no database here yet; record decisions with `tdkt evaluate … --record` or choose another --db",
    },
    "store.locked": {
        "vi": "cơ sở dữ liệu {database} đang bị tiến trình khác khoá quá lâu; chạy lại sau",
        "en": "the database {database} stayed locked by another process too long; run again later",
    },
    "store.needs_upgrade": {
        "vi": "cơ sở dữ liệu đang ở phiên bản lược đồ {current}, bản tdkt này cần {head}; chạy `tdkt db upgrade` (tệp SQLite được sao lưu trước)",
        "en": "the database is at schema revision {current}, this tdkt needs {head}; run `tdkt db upgrade` (a SQLite file is backed up first)",
    },
    "store.unknown_revision": {
        "vi": "cơ sở dữ liệu ở phiên bản lược đồ {current} mà tdkt {version} không biết: cơ sở dữ liệu mới hơn công cụ; hãy cài bản tdkt mới hơn",
        "en": "the database is at schema revision {current}, unknown to tdkt {version}: the database is newer than this tool; install a newer tdkt",
    },
    "store.not_tdkt": {
        "vi": "cơ sở dữ liệu không có phiên bản lược đồ tdkt: đây không phải kho quyết định tdkt; chọn --db khác (kho mới chỉ được tạo ở nơi chưa có tệp nào)",
        "en": "the database has no tdkt schema revision: it is not a tdkt decision store; choose another --db (a new store is created only where no file exists)",
    },
    "store.append_only": {
        "vi": "bảng {table} chỉ được ghi thêm: không sửa, không xoá; muốn điều chỉnh thì ghi một sự kiện mới (override) kèm lý do",
        "en": "{table} is append-only: rows are never updated or deleted; record a correction as a new (override) event with a reason",
    },
    "store.decision_not_found": {
        "vi": "không có quyết định mã {decision_id}; xem `tdkt audit log`",
        "en": "no decision with id {decision_id}; see `tdkt audit log`",
    },
    "store.bad_url": {
        "vi": "--db '{url}' không phải địa chỉ cơ sở dữ liệu ({problem}); dùng một đường dẫn tệp (tdkt.db, sqlite:///thư-mục/tdkt.db) hoặc postgresql://người-dùng@máy:cổng/tên (postgresql+psycopg://…)",
        "en": "--db '{url}' is not a database address ({problem}); use a file path (tdkt.db, sqlite:///folder/tdkt.db) or postgresql://user@host:port/name (postgresql+psycopg://…)",
    },
    "store.unsupported": {
        "vi": "--db '{url}': không hỗ trợ '{scheme}'; dùng một đường dẫn tệp (tdkt.db, sqlite:///thư-mục/tdkt.db) hoặc postgresql://người-dùng@máy:cổng/tên (postgresql+psycopg://…)",
        "en": "--db '{url}': '{scheme}' is not supported; use a file path (tdkt.db, sqlite:///folder/tdkt.db) or postgresql://user@host:port/name (postgresql+psycopg://…)",
    },
    "store.no_migrations": {
        "vi": "không thấy thư mục migrations tại {path}; cài lại tdkt",
        "en": "no migrations folder at {path}; reinstall tdkt",
    },
    "store.bad_revision": {
        "vi": "không chuyển được tới phiên bản lược đồ '{revision}': {problem}",
        "en": "cannot move to schema revision '{revision}': {problem}",
    },
    "store.bad_outcome": {
        "vi": "kết quả '{outcome}' không hợp lệ; chọn một trong: {allowed}",
        "en": "'{outcome}' is not an outcome; use one of: {allowed}",
    },
    "store.reason_required": {
        "vi": "cần ghi lý do cho việc điều chỉnh hoặc ghi chú",
        "en": "a correction or note needs a reason",
    },
    "store.refused": {
        "vi": "cơ sở dữ liệu từ chối thao tác: {problem}",
        "en": "the database refused: {problem}",
    },
    "store.recorded": {
        "vi": "Đã ghi {recorded} quyết định vào {database} (lượt {run}; {already} quyết định đã có từ trước, không ghi lại). Đầu chuỗi: sự kiện {head_id}, {head_hash}",
        "en": "Recorded {recorded} decision(s) in {database} (run {run}; {already} already recorded, not recorded again). Chain head: event {head_id}, {head_hash}",
    },
    "store.corrected": {
        "vi": "Trong đó {count} quyết định là đính chính: mỗi quyết định thay quyết định đang có hiệu lực của cùng hồ sơ, danh hiệu và kỳ (dữ kiện, họ tên, đơn vị, thành tích hoặc phiên bản quy tắc đã đổi); quyết định cũ vẫn được giữ, xem `tdkt audit show`.",
        "en": "Of these, {count} are corrections: each supersedes the current decision for the same nominee, title and period (facts, name, unit, achievements or rule version changed); the earlier decision is kept, see `tdkt audit show`.",
    },
    "db.current": {
        "vi": "{database}: phiên bản lược đồ {current} (mới nhất)",
        "en": "{database}: schema revision {current} (head)",
    },
    "db.empty": {
        "vi": "{database}: chưa có dữ liệu; sẽ được tạo ở phiên bản {head} khi dùng lần đầu (hoặc chạy `tdkt db upgrade`)",
        "en": "{database}: empty; it is created at revision {head} on first use (or run `tdkt db upgrade`)",
    },
    "db.behind": {
        "vi": "{database}: phiên bản lược đồ {current}; bản tdkt này cần {head}: chạy `tdkt db upgrade`",
        "en": "{database}: schema revision {current}; this tdkt needs {head}: run `tdkt db upgrade`",
    },
    "db.migrated": {
        "vi": "{database}: phiên bản lược đồ {before} → {after}",
        "en": "{database}: schema revision {before} → {after}",
    },
    "db.backup": {
        "vi": "Bản sao tệp trước khi chuyển đổi: {path}",
        "en": "Copy of the file before migrating: {path}",
    },
    "db.none": {"vi": "(trống)", "en": "(empty)"},
    "store.downgrade_second_form": {
        "vi": "không thể hạ xuống phiên bản {revision}: {count} quyết định hoặc sự kiện được ghi theo dạng thứ hai (khoá theo dữ kiện đã định kiểu, quyết định thay thế, thành tích trong chuỗi); lược đồ cũ không có các cột mà sự kiện của chúng đã băm và sẽ báo sai là đã bị sửa; giữ phiên bản hiện tại",
        "en": "cannot downgrade to revision {revision}: {count} decisions or events were written in the second form (typed-facts key, superseding decisions, achievements in the chain); the older schema lacks columns those events hashed and would wrongly report them as edited; stay at this revision",
    },
    "audit.event_hash": {
        "vi": "nội dung không khớp mã băm đã ghi: sự kiện hoặc quyết định {decision_id}, dữ kiện hay hồ sơ của nó đã bị sửa",
        "en": "content does not match its recorded hash: the event or decision {decision_id}, its facts or its nominee row was edited",
    },
    "audit.chain_broken": {
        "vi": "mã băm trước không khớp sự kiện {previous}: có sự kiện bị xoá, chèn hoặc đổi thứ tự",
        "en": "previous hash does not match event {previous}: an event was deleted, inserted or reordered",
    },
    "audit.event_missing": {
        "vi": "thiếu sự kiện {first}–{last} (đã bị xoá)",
        "en": "events {first}–{last} are missing (deleted)",
    },
    "audit.chain_truncated": {
        "vi": "đầu chuỗi ghi sự kiện cuối là {head_id} nhưng sự kiện cuối còn lại là {last_id}: sự kiện cuối chuỗi đã bị xoá",
        "en": "the chain head names event {head_id} as the last but the last event is {last_id}: events were deleted from the end",
    },
    "audit.head_hash": {
        "vi": "mã băm ở đầu chuỗi khác mã băm của sự kiện {last_id}",
        "en": "the chain head's hash differs from event {last_id}'s hash",
    },
    "audit.head_missing": {
        "vi": "mất dòng đầu chuỗi (audit_chain_head)",
        "en": "the chain head row (audit_chain_head) is missing",
    },
    "audit.decision_missing": {
        "vi": "quyết định {decision_id} mà sự kiện này nói tới không còn (đã bị xoá)",
        "en": "decision {decision_id}, which this event records, is missing (deleted)",
    },
    "audit.submission_missing": {
        "vi": "hồ sơ dữ kiện {submission_id} của quyết định không còn (đã bị xoá)",
        "en": "its submission {submission_id} (the facts) is missing (deleted)",
    },
    "audit.no_event": {
        "vi": "quyết định không có sự kiện 'recorded' trong chuỗi (được chèn tay, hoặc sự kiện đã bị xoá)",
        "en": "the decision has no 'recorded' event in the chain (inserted by hand, or its event was deleted)",
    },
    "audit.content_key": {
        "vi": "khoá nội dung không khớp dữ kiện đã định kiểu, họ tên, đơn vị, loại đối tượng, thành tích khai và quy tắc của quyết định (đã bị sửa)",
        "en": "the content key does not match the decision's typed facts, name, unit, subject, claimed achievements and rule (edited)",
    },
    "audit.claims_unreadable": {
        "vi": "danh sách thành tích khai của quyết định không đọc được (đã bị sửa)",
        "en": "the decision's list of claimed achievements cannot be read (edited)",
    },
    "audit.rule_metadata": {
        "vi": "cột '{column}' ghi '{stored}' nhưng văn bản quy tắc (đã băm) ghi '{text}' (đã bị sửa)",
        "en": "column '{column}' says '{stored}' but the rule text (hashed) says '{text}' (edited)",
    },
    "audit.use_not_in_chain": {
        "vi": "dòng sử dụng thành tích '{achievement}' cho quyết định {decision_id} không có trong sự kiện của quyết định đó (thêm hoặc sửa ngoài ứng dụng)",
        "en": "the use of achievement '{achievement}' by decision {decision_id} is not named by that decision's event (added or edited outside tdkt)",
    },
    "audit.use_row_missing": {
        "vi": "sự kiện của quyết định nêu việc sử dụng thành tích '{achievement}' nhưng bảng achievement_uses không còn dòng đó (đã bị xoá)",
        "en": "the decision's event names its use of achievement '{achievement}' but achievement_uses has no such row (deleted)",
    },
    "audit.use_invalid": {
        "vi": "việc sử dụng thành tích {use} không hợp lệ: chỉ quyết định 'dat' mới dùng thành tích, phải là thành tích đã khai, với hạng do quy tắc quy định",
        "en": "the achievement use {use} is not valid: only a 'dat' decision uses achievements, only those it claimed, at the rank its rule gives",
    },
    "audit.achievement_twice": {
        "vi": "thành tích '{achievement}' được khen thưởng hai lần bởi các quyết định hiện hành (cũng được quyết định {holder} dùng) — trái Điều 5 khoản 2 điểm c",
        "en": "achievement '{achievement}' is rewarded twice by current decisions (also used by decision {holder}), against Điều 5 khoản 2 điểm c",
    },
    "audit.supersedes": {
        "vi": "quyết định ghi là thay thế quyết định {stored}, nhưng trước nó (cùng đối tượng, danh hiệu, kỳ) là quyết định {expected}: chuỗi đính chính bị đứt hoặc bị sửa",
        "en": "the decision says it supersedes decision {stored}, but the one before it (same nominee, title and period) is decision {expected}: the line of corrections is broken or edited",
    },
    "audit.show.first_form": {
        "vi": "Quyết định ghi trước phiên bản 0006: người ghi và lệnh hiển thị ở trên lấy từ bảng runs, không nằm trong chuỗi băm (không phải bằng chứng).",
        "en": "Recorded before revision 0006: the recorder and command above come from the runs table, which the chain does not name (not evidence).",
    },
    "audit.show.superseded": {
        "vi": "Quyết định này đã được thay bằng quyết định {id} (đính chính); quyết định {id} là quyết định có hiệu lực.",
        "en": "This decision was superseded by decision {id} (a correction); decision {id} is the one that stands.",
    },
    "audit.show.line_title": {
        "vi": "Các quyết định cùng đối tượng, danh hiệu và kỳ (cũ trước, mới sau):",
        "en": "Decisions for the same nominee, title and period (oldest first):",
    },
    "audit.headers.line": {
        "vi": "Số|Ghi lúc (UTC)|Phiên bản|Kết quả|Đính chính|",
        "en": "No.|Recorded (UTC)|Version|Outcome|Corrected|",
    },
    "audit.show.stands": {"vi": "có hiệu lực", "en": "stands"},
    "audit.correction.facts": {"vi": "dữ kiện", "en": "facts"},
    "audit.correction.name": {"vi": "họ tên", "en": "name"},
    "audit.correction.unit": {"vi": "đơn vị", "en": "unit"},
    "audit.correction.subject": {"vi": "loại đối tượng", "en": "subject"},
    "audit.correction.achievements": {"vi": "thành tích", "en": "achievements"},
    "audit.correction.rule": {"vi": "phiên bản quy tắc", "en": "rule version"},
    "audit.key": {
        "vi": "khoá chống ghi trùng không khớp hồ sơ, kỳ, quy tắc và dữ kiện (đã bị sửa)",
        "en": "the idempotency key does not match nominee, period, rule and facts (edited)",
    },
    "audit.rule_text": {
        "vi": "nội dung tệp quy tắc không khớp sha256 {sha256} của nó (đã bị sửa)",
        "en": "the stored rule text does not match its sha256 {sha256} (edited)",
    },
    "audit.rule_unloadable": {
        "vi": "nội dung tệp quy tắc đã lưu không nạp được với bộ máy hiện tại: {problem}",
        "en": "the stored rule text does not load with the current engine: {problem}",
    },
    "audit.no_replay": {
        "vi": "không xét lại được: tệp quy tắc {sha256} không có hoặc không nạp được",
        "en": "cannot be replayed: rule file {sha256} is missing or does not load",
    },
    "audit.facts_hash": {
        "vi": "dữ kiện đã lưu không khớp sha256 {sha256} của chúng (đã bị sửa)",
        "en": "the stored facts do not match their sha256 {sha256} (edited)",
    },
    "audit.unreadable": {
        "vi": "không đọc được dòng này: {problem}",
        "en": "the row cannot be read: {problem}",
    },
    "audit.replay_failed": {
        "vi": "xét lại bị lỗi: {problem}",
        "en": "the replay fails: {problem}",
    },
    "audit.replay_outcome": {
        "vi": "kết quả đã lưu '{stored}', xét lại (bộ máy {engine}) cho '{replayed}'",
        "en": "outcome stored '{stored}', replay (engine {engine}) gives '{replayed}'",
    },
    "audit.replay_points": {
        "vi": "điểm đã lưu {stored}, xét lại cho {replayed}",
        "en": "points stored {stored}, replay gives {replayed}",
    },
    "audit.replay_criterion": {
        "vi": "tiêu chí '{criterion}': đã lưu {stored}, xét lại cho {replayed}",
        "en": "criterion '{criterion}': stored {stored}, replay gives {replayed}",
    },
    "audit.achievement_use": {
        "vi": "thành tích được ghi là đã khen bởi một quyết định không khớp (kết quả {outcome}, hoặc khác hồ sơ, kỳ, quy tắc)",
        "en": "achievement use points at a decision that does not match (outcome {outcome}, or another nominee, period or rule)",
    },
    "audit.conflict_unexplained": {
        "vi": "quyết định trùng thành tích nhưng không có sự kiện ghi chú nêu quyết định đã khen trước",
        "en": "decision is trung_thanh_tich but no annotation names the decision that holds the achievement",
    },
    "audit.verified": {
        "vi": "Toàn vẹn: {events} sự kiện, {decisions} quyết định (xét lại {replayed} bằng bộ máy {engine}, kết quả trùng khớp), {rules} tệp quy tắc, {history} dòng lịch sử danh hiệu. Đầu chuỗi: sự kiện {head_id}, {head_hash}",
        "en": "Intact: {events} events, {decisions} decisions ({replayed} replayed with engine {engine}, all the same), {rules} rule files, {history} title history rows. Chain head: event {head_id}, {head_hash}",
    },
    "audit.problems": {
        "vi": "Phát hiện {count} vấn đề trong {events} sự kiện và {decisions} quyết định. Đầu chuỗi: sự kiện {head_id}, {head_hash}",
        "en": "{count} problem(s) found in {events} events and {decisions} decisions. Chain head: event {head_id}, {head_hash}",
    },
    "audit.exported": {
        "vi": "Đã ghi {count} sự kiện vào {path}",
        "en": "Wrote {count} events to {path}",
    },
    "audit.no_events": {"vi": "Không có sự kiện nào phù hợp", "en": "No events match"},
    "audit.kind.recorded": {"vi": "ghi nhận", "en": "recorded"},
    "audit.kind.overridden": {"vi": "điều chỉnh", "en": "overridden"},
    "audit.kind.annotated": {"vi": "ghi chú", "en": "annotated"},
    "audit.headers.log": {
        "vi": "Sự kiện|Thời điểm (UTC)|Loại|Người thực hiện|Quyết định|Mã hồ sơ|Kỳ|Quy tắc|Kết quả|Lý do",
        "en": "Event|At (UTC)|Kind|Actor|Decision|Nominee|Period|Rule|Outcome|Reason",
    },
    "audit.headers.facts": {"vi": "Dữ kiện|Giá trị đã nộp", "en": "Fact|Value submitted"},
    "audit.headers.criteria": {
        "vi": "Tiêu chí|Kết quả|Điểm|Giá trị đã dùng|Căn cứ (dòng trong tệp quy tắc)",
        "en": "Criterion|Result|Points|Values used|Basis (line in the rule file)",
    },
    "audit.show.title": {"vi": "Quyết định {id}", "en": "Decision {id}"},
    "audit.show.body": {
        "vi": "{nominee} · {name}\n{unit} · kỳ {period} · {subject}\nQuy tắc: {title}\n{rule_id} {version} · sha256 {sha256}\nBộ máy {engine} · ghi lúc {at} bởi {actor} (lượt {run})\nLệnh: {command}\nKết quả: {outcome} — {points} điểm{current}\nDữ kiện sha256 {facts_sha256}",
        "en": "{nominee} · {name}\n{unit} · period {period} · {subject}\nRule: {title}\n{rule_id} {version} · sha256 {sha256}\nEngine {engine} · recorded {at} by {actor} (run {run})\nCommand: {command}\nOutcome: {outcome} — {points} points{current}\nFacts sha256 {facts_sha256}",
    },
    "audit.show.current": {
        "vi": " (đã điều chỉnh thành: {outcome})",
        "en": " (overridden to: {outcome})",
    },
    "audit.show.legal_basis": {"vi": "Căn cứ pháp lý", "en": "Legal basis"},
    "audit.show.events": {"vi": "Sự kiện", "en": "Events"},
    "audit.show.line": {"vi": "dòng {line}", "en": "line {line}"},
    # --- store safety (issue 8, store side: --db addresses, SQLite files, text, verify) ---
    "store.problem.syntax": {"vi": "sai cú pháp", "en": "malformed"},
    "store.problem.port": {"vi": "cổng '{port}' không hợp lệ, cần một số từ 1 đến 65535", "en": "port '{port}' is not a number from 1 to 65535"},
    "store.why.code": {"vi": "mã {code}", "en": "code {code}"},
    "store.why.folder": {"vi": "đây là một thư mục", "en": "it is a folder"},
    "store.why.no_folder": {"vi": "không có thư mục {folder}", "en": "no folder {folder}"},
    "store.why.ECONNREFUSED": {"vi": "máy chủ không nhận kết nối", "en": "connection refused"},
    "store.why.ETIMEDOUT": {"vi": "hết thời gian chờ", "en": "timed out"},
    "store.why.EHOSTUNKNOWN": {"vi": "không tìm thấy máy chủ theo tên", "en": "unknown host"},
    "store.why.EACCES": {"vi": "không có quyền", "en": "permission denied"},
    "store.why.28P01": {"vi": "sai hoặc thiếu mật khẩu", "en": "wrong or missing password"},
    "store.why.28000": {"vi": "không có người dùng này", "en": "no such user"},
    "store.why.3D000": {"vi": "không có cơ sở dữ liệu này", "en": "no such database"},
    "store.why.42501": {"vi": "người dùng không có quyền", "en": "permission denied"},
    "store.why.57P01": {"vi": "máy chủ đã ngắt kết nối", "en": "the server closed the connection"},
    "store.why.08003": {"vi": "kết nối đã đóng", "en": "the connection is closed"},
    "store.why.NUL": {"vi": "PostgreSQL không lưu được ký tự NUL (0x00) trong văn bản", "en": "PostgreSQL cannot store a NUL (0x00) character in text"},
    "store.why.SQLITE_CANTOPEN": {"vi": "không mở được tệp", "en": "cannot open the file"},
    "store.why.SQLITE_NOTADB": {"vi": "tệp không phải cơ sở dữ liệu", "en": "not a database file"},
    "store.why.SQLITE_READONLY": {"vi": "tệp chỉ đọc", "en": "the file is read-only"},
    "store.why.SQLITE_CORRUPT": {"vi": "tệp bị hỏng", "en": "the file is damaged"},
    "store.why.SQLITE_FULL": {"vi": "đĩa đầy", "en": "the disk is full"},
    "store.why.SQLITE_IOERR": {"vi": "lỗi đọc ghi đĩa", "en": "disk input/output error"},
    "store.problem.empty": {"vi": "để trống", "en": "empty"},
    "store.in_memory": {
        "vi": "--db '{url}' là cơ sở dữ liệu trong bộ nhớ: mọi quyết định sẽ mất khi tdkt kết thúc; dùng một đường dẫn tệp, ví dụ tdkt.db",
        "en": "--db '{url}' is an in-memory database: every decision would be lost when tdkt exits; use a file path such as tdkt.db",
    },
    "store.empty_file": {
        "vi": "tệp rỗng (0 byte), không phải kho quyết định tdkt; xoá tệp này hoặc chọn --db khác (kho mới chỉ được tạo ở nơi chưa có tệp nào)",
        "en": "the file is empty (0 bytes), not a tdkt decision store; delete it or choose another --db (a new store is created only where no file exists)",
    },
    "store.not_sqlite": {
        "vi": "tệp không phải cơ sở dữ liệu SQLite ({reason}), nên không phải kho quyết định tdkt; chọn --db khác (kho mới chỉ được tạo ở nơi chưa có tệp nào)",
        "en": "the file is not a SQLite database ({reason}), so not a tdkt decision store; choose another --db (a new store is created only where no file exists)",
    },
    "store.not_sqlite.header": {"vi": "phần đầu tệp không phải của SQLite", "en": "no SQLite header"},
    "store.text_not_utf8": {
        "vi": "{field} chứa byte không phải UTF-8; gõ lại (kiểm tra bảng mã của cửa sổ lệnh, cần UTF-8)",
        "en": "{field} holds bytes that are not UTF-8; type it again (check that the terminal uses UTF-8)",
    },
    "store.text_character": {
        "vi": "{field} chứa ký tự {char} ở vị trí {position}: ký tự điều khiển, đổi chiều văn bản hoặc độ rộng bằng 0 có thể làm nhật ký hiển thị sai lệch; hãy bỏ ký tự đó",
        "en": "{field} holds the character {char} at position {position}: control, bidirectional and zero-width characters can make the audit log display misleadingly; remove it",
    },
    "store.field.actor": {"vi": "Người thực hiện (--actor)", "en": "The actor (--actor)"},
    "store.field.note": {"vi": "Ghi chú (--note)", "en": "The note (--note)"},
    "store.field.reason": {"vi": "Lý do (--reason)", "en": "The reason (--reason)"},
    "audit.stage.rules": {"vi": "Tệp quy tắc", "en": "Rule files"},
    "audit.stage.submissions": {"vi": "Dữ kiện đã nộp", "en": "Submitted facts"},
    "audit.stage.chain": {"vi": "Chuỗi băm", "en": "Hash chain"},
    "audit.stage.replay": {"vi": "Xét lại quyết định", "en": "Replaying decisions"},
    "audit.stage.achievements": {"vi": "Thành tích đã khen", "en": "Rewarded achievements"},
    # --- check (tdkt check: properties of rule files) ---
    "check.header": {
        "vi": "tdkt check · seed {seed} · tối đa {examples} ví dụ cho mỗi lần tìm",
        "en": "tdkt check · seed {seed} · at most {examples} examples per search",
    },
    "check.summary": {
        "vi": "{checks} lượt kiểm tra trên {targets} đối tượng: {passed} đạt, {failed} có phát hiện, {inconclusive} chưa kết luận, {skipped} bỏ qua; {problems} tệp lỗi",
        "en": "{checks} checks on {targets} targets: {passed} pass, {failed} with findings, {inconclusive} inconclusive, {skipped} skipped; {problems} invalid files",
    },
    "check.unknown_property": {
        "vi": "không có thuộc tính '{name}'; các thuộc tính: {allowed}",
        "en": "no property '{name}'; properties: {allowed}",
    },
    "check.method.exact": {"vi": "chính xác (suy ra từ mô hình kiểu)", "en": "exact (decided from the typed model)"},
    "check.method.generated": {"vi": "sinh ngẫu nhiên (hypothesis)", "en": "generated (hypothesis)"},
    "check.method.mixed": {
        "vi": "chính xác một phần, phần còn lại sinh ngẫu nhiên",
        "en": "partly exact, the rest generated",
    },
    "check.label.property": {"vi": "Thuộc tính", "en": "Property"},
    "check.label.criterion": {"vi": "Tiêu chí", "en": "Criterion"},
    "check.label.problem": {"vi": "Vấn đề", "en": "Problem"},
    "check.label.method": {"vi": "Cách kiểm tra", "en": "How checked"},
    "check.label.example": {"vi": "Phản ví dụ", "en": "Counterexample"},
    "check.label.illustration": {"vi": "Ví dụ", "en": "Example"},
    "check.label.whole_title": {"vi": "(cả danh hiệu)", "en": "(the title as a whole)"},
    "check.label.error": {"vi": "Lỗi", "en": "Error"},
    "check.example.name": {"vi": "Hồ sơ giả định {number}", "en": "Hypothetical nominee {number}"},
    "check.example.unit": {"vi": "Đơn vị giả định", "en": "Hypothetical unit"},
    "check.role.best": {
        "vi": "hồ sơ đạt mọi tiêu chí mà vẫn không đủ điểm",
        "en": "a nominee passing every criterion, still short of the minimum",
    },
    "check.role.fails": {"vi": "một hồ sơ không đạt tiêu chí này", "en": "a nominee failing this criterion"},
    "check.role.passes": {"vi": "một hồ sơ đạt tiêu chí này", "en": "a nominee passing this criterion"},
    "check.role.before": {"vi": "hồ sơ trước khi cải thiện", "en": "the nominee before the improvement"},
    "check.role.after": {"vi": "cùng hồ sơ sau khi cải thiện", "en": "the same nominee after the improvement"},
    "check.role.record": {"vi": "hồ sơ", "en": "nominee"},
    "check.role.completed": {
        "vi": "cùng hồ sơ khi đã bổ sung dữ kiện còn thiếu",
        "en": "the same nominee with the missing facts filled in",
    },
    "check.role.higher": {"vi": "hồ sơ xét theo {rule} (đạt)", "en": "the nominee judged by {rule} (meets)"},
    "check.role.lower": {"vi": "cùng hồ sơ xét theo {rule} (không đạt)", "en": "the same nominee judged by {rule} (does not meet)"},
    "check.direction.higher": {"vi": "cao hơn", "en": "higher"},
    "check.direction.lower": {"vi": "thấp hơn", "en": "lower"},
    "check.value.error": {"vi": "không tính được", "en": "no value (arithmetic error)"},
    "check.satisfiable.title": {"vi": "Thỏa mãn được", "en": "Satisfiable"},
    "check.satisfiable.statement": {
        "vi": "Có ít nhất một hồ sơ trong miền giá trị khai báo đạt danh hiệu; mỗi tiêu chí đều có hồ sơ đạt và có hồ sơ không đạt.",
        "en": "Some nominee within the declared ranges meets the title, and each criterion can both pass and fail.",
    },
    "check.satisfiable.points_unreachable": {
        "vi": "tổng điểm tối đa {max_points} nhỏ hơn điểm tối thiểu {min_points}: không hồ sơ nào đạt được; sửa decision.min_points hoặc điểm các tiêu chí",
        "en": "the maximum total {max_points} is below min_points {min_points}: no nominee can meet the title; fix decision.min_points or the criteria's points",
    },
    "check.satisfiable.never_passes": {
        "vi": "tiêu chí không bao giờ đạt: không hồ sơ nào trong miền giá trị khai báo thỏa mãn (đã xét mọi trường hợp)",
        "en": "the criterion can never pass: no nominee within the declared ranges satisfies it (every case considered)",
    },
    "check.satisfiable.never_passes_generated": {
        "vi": "không tìm được hồ sơ nào đạt tiêu chí này sau {examples} ví dụ; có thể tiêu chí không bao giờ đạt (chưa phải chứng minh)",
        "en": "no nominee passing this criterion was found in {examples} examples; it may never pass (not a proof)",
    },
    "check.satisfiable.always_passes": {
        "vi": "tiêu chí luôn đạt với mọi hồ sơ trong miền giá trị khai báo nên không có tác dụng (đã xét mọi trường hợp)",
        "en": "the criterion passes for every nominee within the declared ranges, so it has no effect (every case considered)",
    },
    "check.satisfiable.always_passes_generated": {
        "vi": "không tìm được hồ sơ nào không đạt tiêu chí này sau {examples} ví dụ; có thể tiêu chí luôn đạt, không có tác dụng (chưa phải chứng minh)",
        "en": "no nominee failing this criterion was found in {examples} examples; it may always pass (not a proof)",
    },
    "check.satisfiable.title_impossible": {
        "vi": "không hồ sơ nào đạt được danh hiệu: các tiêu chí mâu thuẫn nhau hoặc không đủ điểm (đã xét mọi trường hợp)",
        "en": "no nominee can meet the title: the criteria contradict each other or cannot reach the minimum (every case considered)",
    },
    "check.satisfiable.title_not_found": {
        "vi": "không tìm được hồ sơ nào đạt danh hiệu sau {examples} ví dụ (chưa phải chứng minh)",
        "en": "no nominee meeting the title was found in {examples} examples (not a proof)",
    },
    "check.monotone.title": {"vi": "Đơn điệu", "en": "Monotone"},
    "check.monotone.statement": {
        "vi": "Cải thiện một dữ kiện theo hướng \"tốt hơn\" đã khai báo (better) không bao giờ làm hồ sơ từ Đạt thành Không đạt, và không bao giờ làm giảm điểm.",
        "en": "Improving an input in its declared \"better\" direction never turns a nominee from Meets into Does not meet, and never lowers the points.",
    },
    "check.monotone.outcome": {
        "vi": "cải thiện '{input}' từ {before} thành {after} (khai báo: {direction} là tốt hơn) làm kết quả đổi từ {was} thành {now}",
        "en": "improving '{input}' from {before} to {after} (declared better when {direction}) turns the outcome from {was} into {now}",
    },
    "check.monotone.points": {
        "vi": "cải thiện '{input}' từ {before} thành {after} (khai báo: {direction} là tốt hơn) làm điểm giảm từ {was} xuống {now}",
        "en": "improving '{input}' from {before} to {after} (declared better when {direction}) lowers the points from {was} to {now}",
    },
    "check.monotone.no_better": {
        "vi": "không dữ kiện nào khai báo hướng tốt hơn (better); không có gì để kiểm tra",
        "en": "no input declares a better direction; nothing to check",
    },
    "check.monotone.inconclusive": {
        "vi": "chưa kết luận với {inputs}: không hồ sơ sinh ra nào đạt danh hiệu hoặc có điểm",
        "en": "inconclusive for {inputs}: no generated nominee met the title or scored points",
    },
    "check.consistent.title": {"vi": "Quyết định nhất quán", "en": "Consistent decisions"},
    "check.consistent.statement": {
        "vi": "Điểm không âm, không vượt tổng điểm tối đa và bằng tổng điểm các tiêu chí đạt; hồ sơ không đạt một điều kiện bắt buộc không bao giờ Đạt; mọi hồ sơ hợp lệ đều xét được; dữ kiện thiếu không bao giờ bị coi như một giá trị cụ thể.",
        "en": "Points are never negative, never above the maximum, and equal the points of the criteria passed; a nominee failing a gate never meets the title; every valid nominee can be judged; a missing fact never counts as any particular value.",
    },
    "check.consistent.arithmetic": {
        "vi": "tiêu chí không tính được với một hồ sơ hợp lệ ({problem}); chặn trường hợp này trong biểu thức, ví dụ 'mau_so > 0 and tu_so / mau_so >= ...'",
        "en": "the criterion cannot be computed for a valid nominee ({problem}); guard against it in the expression, e.g. 'denominator > 0 and numerator / denominator >= ...'",
    },
    "check.consistent.points_range": {
        "vi": "điểm {points} nằm ngoài khoảng 0 đến {max_points}",
        "en": "points {points} are outside 0 to {max_points}",
    },
    "check.consistent.points_sum": {
        "vi": "điểm {points} khác tổng điểm các tiêu chí đạt ({expected})",
        "en": "points {points} differ from the points of the criteria passed ({expected})",
    },
    "check.consistent.gate_dat": {
        "vi": "hồ sơ không đạt điều kiện bắt buộc này nhưng kết quả là Đạt",
        "en": "the nominee fails this gate but the outcome is Meets",
    },
    "check.consistent.dat_unearned": {
        "vi": "kết quả là Đạt dù còn điều kiện bắt buộc thiếu dữ liệu hoặc điểm {points} < {min_points}",
        "en": "the outcome is Meets although a gate is missing data or the points {points} < {min_points}",
    },
    "check.consistent.complete_undecided": {
        "vi": "hồ sơ đủ dữ kiện nhưng kết quả là Thiếu dữ liệu",
        "en": "the nominee has every fact but the outcome is Missing data",
    },
    "check.consistent.missing_decided": {
        "vi": "khi còn thiếu dữ kiện, kết quả là {was}; bổ sung dữ kiện thiếu thì thành {now}: dữ kiện thiếu đã bị coi như một giá trị cụ thể",
        "en": "with facts missing the outcome is {was}; filling them in gives {now}: a missing fact was taken as a particular value",
    },
    "check.exact-arithmetic.title": {"vi": "Tính toán chính xác", "en": "Exact arithmetic"},
    "check.exact-arithmetic.statement": {
        "vi": "Kết quả của bộ máy trùng với phép tính chính xác tuyệt đối trên cùng dữ kiện (không làm tròn, không có số thực dấu phẩy động ẩn).",
        "en": "The engine's results equal exact arithmetic on the same facts (no rounding, no hidden floating point).",
    },
    "check.exact-arithmetic.mismatch": {
        "vi": "bộ máy cho {engine}, phép tính chính xác cho {exact}",
        "en": "the engine gives {engine}, exact arithmetic gives {exact}",
    },
    "check.exact-arithmetic.by_construction": {
        "vi": "các tiêu chí chỉ so sánh, không tính toán trên dữ kiện, nên không có gì để làm tròn",
        "en": "the criteria only compare, with no arithmetic on facts, so nothing can be rounded",
    },
    "check.deterministic.title": {"vi": "Tất định, không phụ thuộc thứ tự", "en": "Deterministic and order-independent"},
    "check.deterministic.statement": {
        "vi": "Xét lại cùng các hồ sơ, theo thứ tự khác hoặc với quy tắc được biên dịch lại, không thay đổi kết quả nào.",
        "en": "Judging the same nominees again, in another order or with the rule compiled again, changes no outcome.",
    },
    "check.deterministic.mismatch": {
        "vi": "hồ sơ {record}: lần xét đầu cho {first}, lần xét lại cho {second}",
        "en": "nominee {record}: the first judgement gives {first}, judging again gives {second}",
    },
    "check.hierarchy.title": {"vi": "Thứ bậc danh hiệu", "en": "Title hierarchy"},
    "check.hierarchy.statement": {
        "vi": "Mọi hồ sơ đạt “{higher}” cũng đạt “{lower}” (dữ kiện cùng tên là cùng một sự kiện).",
        "en": "Every nominee meeting “{higher}” also meets “{lower}” (inputs with the same name are the same fact).",
    },
    "check.hierarchy.violated": {
        "vi": "hồ sơ đạt “{higher}” nhưng không đạt “{lower}”, dù quy tắc khai báo stricter_than",
        "en": "the nominee meets “{higher}” but not “{lower}”, although the rule declares stricter_than",
    },
    "check.hierarchy.subject": {
        "vi": "hai danh hiệu dành cho đối tượng khác nhau ({higher_subject}, {lower_subject}); bỏ khai báo stricter_than",
        "en": "the two titles are for different subjects ({higher_subject}, {lower_subject}); remove stricter_than",
    },
    "check.hierarchy.input_mismatch": {
        "vi": "dữ kiện '{input}' được khai báo khác nhau ({higher_decl} và {lower_decl}); cùng tên phải là cùng một dữ kiện: sửa cho khớp hoặc đổi tên",
        "en": "input '{input}' is declared differently ({higher_decl} and {lower_decl}); one name must mean one fact: make them agree or rename one",
    },
    "check.hierarchy.not_loaded": {
        "vi": "không có quy tắc '{lower}' có hiệu lực cùng kỳ trong các tệp đang kiểm tra; bỏ qua",
        "en": "no rule '{lower}' in force in the same period among the files checked; skipped",
    },
    "check.hierarchy.inconclusive": {
        "vi": "chưa kết luận: không hồ sơ sinh ra nào đạt “{higher}”",
        "en": "inconclusive: no generated nominee met “{higher}”",
    },
    # --- check and dedup with derived inputs (issue 10, analysis) ---
    "check.method.construction": {
        "vi": "đúng theo cách dựng (cổng requires)",
        "en": "true by construction (the requires gate)",
    },
    "check.hierarchy.by_requires": {
        "vi": "cổng {criterion} đọc quyết định “{lower}” của cùng người trong cùng kỳ (xét trước), nên ai đạt “{higher}” đều đã đạt “{lower}”",
        "en": "the gate {criterion} reads the same subject's decision on “{lower}” in the same period (judged first), so whoever meets “{higher}” has met “{lower}”",
    },
    "check.derived.related": {
        "vi": "chưa kết luận: phản ví dụ dựa vào các dữ kiện suy ra có liên hệ với nhau ({inputs}); phép kiểm tra coi chúng độc lập nên tổ hợp giá trị tìm được có thể không lịch sử nào cho ra",
        "en": "undecided: the counterexample rests on derived inputs tied to each other ({inputs}); the check treats them as independent, so no history may give the values found",
    },
    "dedup.note.related": {
        "vi": "{role}: hồ sơ minh họa dựa vào các dữ kiện suy ra có liên hệ với nhau ({inputs}), có thể không lịch sử nào cho ra; không kết luận",
        "en": "{role}: the witness rests on derived inputs tied to each other ({inputs}), which no history may give; left undecided",
    },
    "dedup.note.requires": {
        "vi": "{role}: không có, theo cách dựng: {side} có cổng {criterion} đòi đạt {other} trong cùng kỳ",
        "en": "{role}: none, by construction: {side} has the gate {criterion} requiring {other} in the same period",
    },
    # --- end of check and dedup with derived inputs ---
    "audit.event_added": {
        "vi": "Đã ghi sự kiện số {event_id} ({kind}) cho quyết định số {decision_id}; quyết định gốc không bị sửa",
        "en": "Recorded event #{event_id} ({kind}) for decision #{decision_id}; the decision itself is unchanged",
    },
    # pydantic problems, by pydantic's error type (rule files, then records)
    "rule_value.string_type": {
        "vi": "cần một chuỗi văn bản (đặt trong dấu nháy nếu là số, ví dụ \"2024.1\")",
        "en": "expected text (quote it if it looks like a number, e.g. \"2024.1\")",
    },
    "rule_value.string_pattern_mismatch": {
        "vi": "không đúng dạng {pattern} (chữ thường, số, dấu gạch)",
        "en": "does not match {pattern} (lower-case letters, digits, separators)",
    },
    "rule_value.literal_error": {"vi": "giá trị phải là {expected}", "en": "value must be {expected}"},
    "rule_value.decimal_parsing": {"vi": "cần một số", "en": "expected a number"},
    "rule_value.decimal_type": {"vi": "cần một số", "en": "expected a number"},
    "rule_value.bool_type": {"vi": "cần true hoặc false", "en": "expected true or false"},
    "rule_value.bool_parsing": {"vi": "cần true hoặc false", "en": "expected true or false"},
    "rule_value.date_from_datetime_parsing": {"vi": "cần ngày dạng YYYY-MM-DD", "en": "expected a date YYYY-MM-DD"},
    "rule_value.date_type": {"vi": "cần ngày dạng YYYY-MM-DD", "en": "expected a date YYYY-MM-DD"},
    "rule_value.too_short": {"vi": "cần ít nhất {min_length} phần tử", "en": "needs at least {min_length} item(s)"},
    "rule_value.greater_than_equal": {"vi": "phải lớn hơn hoặc bằng {ge}", "en": "must be at least {ge}"},
    "rule_value.dict_type": {"vi": "cần một ánh xạ (khoá: giá trị)", "en": "expected a mapping (key: value)"},
    "rule_value.list_type": {"vi": "cần một danh sách (- ...)", "en": "expected a list (- ...)"},
    "rule_value.model_type": {"vi": "cần một ánh xạ (khoá: giá trị)", "en": "expected a mapping (key: value)"},
    "record_value.missing": {"vi": "thiếu trường bắt buộc", "en": "required field is missing"},
    "record_value.extra_forbidden": {"vi": "trường không có trong định dạng hồ sơ (id, name, subject, unit, period, facts, achievements; mỗi thành tích: id, kind, period, description)", "en": "unknown field (a record has id, name, subject, unit, period, facts, achievements; an achievement has id, kind, period, description)"},
    "record_value.literal_error": {"vi": "giá trị phải là {expected}", "en": "value must be {expected}"},
    "record_value.int_type": {"vi": "cần một năm (số nguyên)", "en": "expected a year (whole number)"},
    "record_value.string_type": {"vi": "cần một chuỗi văn bản", "en": "expected text"},
    "record_value.dict_type": {"vi": "cần một đối tượng (khoá: giá trị)", "en": "expected an object (key: value)"},
    # --- nominee records (issue 8, reading side: streaming, hostile records, numbers) ---
    "json_problem.value": {"vi": "thiếu một giá trị ở đây (hoặc thừa dấu phẩy)", "en": "a value is missing here (or there is a comma too many)"},
    "json_problem.key": {"vi": "cần tên khoá đặt trong dấu nháy kép (hoặc thừa dấu phẩy)", "en": "expected a key in double quotes (or there is a comma too many)"},
    "json_problem.colon": {"vi": "thiếu dấu ':' sau tên khoá", "en": "':' is missing after the key"},
    "json_problem.comma": {"vi": "thiếu dấu ',' giữa hai phần tử, hoặc thiếu dấu đóng ']' hay '}}'", "en": "',' is missing between two items, or a closing ']' or '}}' is missing"},
    "json_problem.unterminated": {"vi": "chuỗi chưa có dấu nháy kép đóng", "en": "a string is not closed by a double quote"},
    "json_problem.control": {"vi": "ký tự điều khiển (xuống dòng, tab) nằm trong chuỗi; viết \\n hoặc \\t", "en": "a control character (line break, tab) inside a string; write \\n or \\t"},
    "json_problem.escape": {"vi": "dãy thoát sau dấu '\\' không hợp lệ", "en": "an invalid escape after '\\'"},
    "json_problem.extra": {"vi": "còn nội dung sau khi JSON đã kết thúc (nhiều hồ sơ nên đặt trong [...] hoặc dùng .jsonl)", "en": "more content after the JSON has ended (put several records in [...] or use .jsonl)"},
    "json_problem.other": {"vi": "cấu trúc JSON không hợp lệ", "en": "invalid JSON structure"},
    "json.too_large": {
        "vi": "một hồ sơ dài hơn {limit}; có thể thiếu dấu nháy hoặc dấu đóng ngoặc ở đây",
        "en": "one record is longer than {limit}; a quote or closing bracket is probably missing here",
    },
    "record.duplicate_key": {
        "vi": "khoá '{name}' xuất hiện hai lần trong cùng một đối tượng; chỉ giữ một",
        "en": "key '{name}' appears twice in the same object; keep only one",
    },
    "record.too_deep": {
        "vi": "lồng nhau quá {limit} cấp; một hồ sơ chỉ có vài cấp (hồ sơ → facts → giá trị)",
        "en": "nested more than {limit} levels deep; a record has only a few (record → facts → value)",
    },
    "record.number_too_long": {
        "vi": "số có {digits} chữ số, quá dài để đọc (tối đa {limit})",
        "en": "a number of {digits} digits is too long to read (at most {limit})",
    },
    "record.not_json_number": {
        "vi": "'{text}' không phải là số; để trống (null) nếu chưa có dữ kiện",
        "en": "'{text}' is not a number; use null when the fact is not known",
    },
    "record.number_ambiguous": {
        "vi": "giá trị '{value}' không rõ nghĩa: dấu '{separator}' trước đúng ba chữ số có thể là dấu phân cách hàng nghìn; viết không có dấu phân cách (ví dụ {plain}) hoặc ghi dạng số JSON",
        "en": "'{value}' is ambiguous: a '{separator}' before exactly three digits may separate thousands; write it without a separator (e.g. {plain}) or as a JSON number",
    },
    "file.yaml_too_large": {
        "vi": "tệp hồ sơ YAML lớn {size}, quá giới hạn {limit}; với tệp lớn hãy dùng JSON Lines (.jsonl, mỗi dòng một hồ sơ)",
        "en": "the YAML nominee file is {size}, over the {limit} limit; for big files use JSON Lines (.jsonl, one record a line)",
    },
    "record_value.string_too_short": {"vi": "không được để trống", "en": "must not be empty"},
    "record_value.string_too_long": {"vi": "dài quá {max_length} ký tự", "en": "is longer than {max_length} characters"},
    "record_value.string_pattern_mismatch": {
        "vi": "chỉ gồm chữ thường không dấu, chữ số và '_', bắt đầu bằng chữ (ví dụ sang_kien)",
        "en": "only unaccented lower-case letters, digits and '_', starting with a letter (e.g. sang_kien)",
    },
    "record_value.greater_than_equal": {"vi": "phải từ {ge} trở lên", "en": "must be at least {ge}"},
    "record_value.less_than_equal": {"vi": "phải không quá {le}", "en": "must be at most {le}"},
    "record_value.list_type": {"vi": "cần một danh sách [...]", "en": "expected a list [...]"},
    "record_value.model_type": {"vi": "cần một đối tượng (khoá: giá trị)", "en": "expected an object (key: value)"},
    "record_value.string_unicode": {"vi": "chứa ký tự không hợp lệ (một mã \\ud800–\\udfff đứng riêng)", "en": "contains an invalid character (a lone \\ud800–\\udfff code)"},
    "record_value.text_blank": {"vi": "không được chỉ gồm khoảng trắng", "en": "must not be only blanks"},
    "record_value.text_char": {
        "vi": "chứa ký tự điều khiển hoặc ký tự ẩn {char} (xuống dòng, đảo chiều, độ rộng bằng 0…); hãy xoá ký tự đó",
        "en": "contains the control or invisible character {char} (line break, direction override, zero width…); remove it",
    },
    # labels of the command line's tables and summaries
    "label.file": {"vi": "Tệp", "en": "File"},
    "label.id": {"vi": "Mã", "en": "Id"},
    "label.version": {"vi": "Phiên bản", "en": "Version"},
    "label.title": {"vi": "Danh hiệu / hình thức", "en": "Title"},
    "label.kind": {"vi": "Loại", "en": "Kind"},
    "label.subject": {"vi": "Đối tượng", "en": "Subject"},
    "label.basis": {"vi": "Căn cứ khen", "en": "Award basis"},
    "label.effective": {"vi": "Hiệu lực", "en": "In force"},
    "label.criteria": {"vi": "Số tiêu chí", "en": "Criteria"},
    "label.status": {"vi": "Trạng thái", "en": "Status"},
    "label.ok": {"vi": "hợp lệ", "en": "valid"},
    "label.invalid": {"vi": "có lỗi", "en": "invalid"},
    "label.nominee": {"vi": "Mã hồ sơ", "en": "Nominee"},
    "label.name": {"vi": "Họ tên / Tập thể", "en": "Name"},
    "label.unit": {"vi": "Đơn vị", "en": "Unit"},
    "label.outcome": {"vi": "Kết quả", "en": "Outcome"},
    "label.points": {"vi": "Điểm", "en": "Points"},
    "label.reason": {"vi": "Lý do", "en": "Reason"},
    "label.criterion": {"vi": "Tiêu chí", "en": "Criterion"},
    "label.result": {"vi": "Kết quả", "en": "Result"},
    "label.values": {"vi": "Giá trị đã dùng", "en": "Values used"},
    "label.threshold": {"vi": "Điều kiện (ngưỡng)", "en": "Condition (thresholds)"},
    "label.cite": {"vi": "Căn cứ pháp lý", "en": "Legal basis"},
    "label.gate": {"vi": "bắt buộc", "en": "gate"},
    "label.param": {"vi": "Tham số", "en": "Param"},
    "label.value": {"vi": "Giá trị", "en": "Value"},
    "label.note": {"vi": "Ghi chú", "en": "Note"},
    "label.uncertain": {"vi": "⚠ chưa chắc chắn", "en": "⚠ uncertain"},
    "label.input": {"vi": "Dữ kiện", "en": "Input"},
    "label.type": {"vi": "Kiểu", "en": "Type"},
    "label.range": {"vi": "Miền giá trị", "en": "Range"},
    "label.better": {"vi": "Tốt hơn khi", "en": "Better when"},
    "label.label": {"vi": "Nhãn", "en": "Label"},
    "label.expr": {"vi": "Biểu thức", "en": "Expression"},
    "label.summary": {
        "vi": "{records} hồ sơ, {decisions} quyết định: {dat} đạt, {khong_dat} không đạt, {thieu} thiếu dữ liệu, {trung} trùng thành tích, {hoan} hoãn xét{chi_tieu}; {bad} hồ sơ lỗi",
        "en": "{records} records, {decisions} decisions: {dat} meet, {khong_dat} do not, {thieu} missing data, {trung} already rewarded, {hoan} deferred{chi_tieu}; {bad} invalid records",
    },
    "label.summary_cap": {"vi": ", {count} loại do chỉ tiêu", "en": ", {count} past the quota"},
    "label.period_order": {"vi": "Kỳ {period}: xét {count} danh hiệu theo thứ tự {order}",
                           "en": "Period {period}: {count} titles judged in the order {order}"},
    "evaluate.period_needs": {
        "vi": "--history chỉ dùng cùng --period", "en": "--history is used only with --period"},
    "label.demo_history": {"vi": "Lịch sử danh hiệu {path}: thêm {added} dòng vào kho, {unchanged} dòng đã có",
                           "en": "Title history {path}: {added} rows added to the store, {unchanged} already there"},
    "label.demo_hint_period": {
        "vi": "Xem một quyết định dựa vào lịch sử, thành viên hoặc danh hiệu khác:\n  tdkt explain --rules {rule} --nominees {path} --period {period}{history} --id {id}",
        "en": "See a decision that rests on history, members or another title:\n  tdkt explain --rules {rule} --nominees {path} --period {period}{history} --id {id}"},
    "label.period_title": {"vi": "Kỳ {period}, theo thứ tự xét: {order}",
                           "en": "Period {period}, in the order judged: {order}"},
    "label.validate_summary": {
        "vi": "{files} tệp: {good} hợp lệ, {bad} có lỗi",
        "en": "{files} files: {good} valid, {bad} invalid",
    },
    "label.warning": {"vi": "Cảnh báo", "en": "Warning"},
    "label.error": {"vi": "Lỗi", "en": "Error"},
    "label.decision": {"vi": "Quyết định", "en": "Decision"},
    "label.rule": {"vi": "Quy tắc", "en": "Rule"},
    "label.demo_hint": {
        "vi": "Xem vì sao một hồ sơ đạt hay không:\n  tdkt explain --rules {rule} --nominees {path} --id {id}",
        "en": "See why a nominee meets or not:\n  tdkt explain --rules {rule} --nominees {path} --id {id} --lang en",
    },
    "label.demo_hint_conflict": {
        "vi": "Xem quyết định trùng thành tích và quyết định đã khen trước đó:\n  tdkt audit log --nominee {id}",
        "en": "See the decision whose achievement was already rewarded, and the earlier one:\n  tdkt audit log --nominee {id} --lang en",
    },
    "label.written": {"vi": "Đã ghi {path}", "en": "Wrote {path}"},
    "label.engine": {"vi": "Phiên bản bộ máy", "en": "Engine version"},
    "label.period": {"vi": "Kỳ", "en": "Period"},
    "label.min_points": {"vi": "điểm tối thiểu", "en": "minimum"},
    # --- words and layout (issue 8: values people read, narrow tables, explain) ---
    "label.yes": {"vi": "Có", "en": "Yes"},
    "label.no": {"vi": "Không", "en": "No"},
    "label.value_missing": {"vi": "chưa có", "en": "missing"},
    "label.yes_no": {"vi": "Có / Không", "en": "Yes / No"},
    "label.subject.ca_nhan": {"vi": "cá nhân", "en": "individual"},
    "label.subject.tap_the": {"vi": "tập thể", "en": "collective"},
    "label.subject.ho_gia_dinh": {"vi": "hộ gia đình", "en": "household"},
    "label.basis.cong_trang": {"vi": "thành tích, công trạng", "en": "achievements and merit"},
    "label.basis.chuyen_de": {"vi": "theo chuyên đề", "en": "thematic"},
    "label.basis.dot_xuat": {"vi": "đột xuất", "en": "ad hoc"},
    "label.kind.mo_hinh": {"vi": "mô hình", "en": "model"},
    "label.kind.dien_hinh_tien_tien": {"vi": "điển hình tiên tiến", "en": "exemplary person or group"},
    "label.kind.danh_hieu_thi_dua": {"vi": "danh hiệu thi đua", "en": "emulation title"},
    "label.kind.hinh_thuc_khen_thuong": {"vi": "hình thức khen thưởng", "en": "form of commendation"},
    "label.type.integer": {"vi": "số nguyên", "en": "whole number"},
    "label.type.decimal": {"vi": "số", "en": "number"},
    "label.type.boolean": {"vi": "có/không", "en": "yes/no"},
    "label.type.enum": {"vi": "chọn một", "en": "one of"},
    "label.better.higher": {"vi": "cao hơn", "en": "higher"},
    "label.better.lower": {"vi": "thấp hơn", "en": "lower"},
    "label.citations": {"vi": "Căn cứ pháp lý", "en": "Legal basis"},
    "label.rule_version": {"vi": "Mã, phiên bản", "en": "Id, version"},
    "label.actor": {"vi": "Người thực hiện", "en": "Actor"},
    "explain.not_found": {
        "vi": "không có hồ sơ mã '{record_id}' trong tệp{hint}",
        "en": "no record with id '{record_id}' in the file{hint}",
    },
    "explain.did_you_mean": {
        "vi": "; có phải ý bạn là {ids}?",
        "en": "; did you mean {ids}?",
    },
    # value types named in record problems
    "value_type.boolean": {"vi": "true hoặc false", "en": "true or false"},
    "value_type.integer": {"vi": "một số nguyên", "en": "a whole number"},
    "value_type.number": {"vi": "một số", "en": "a number"},
    # citations
    "cite.article": {"vi": "Điều {value}", "en": "Art. {value}"},
    "cite.clause": {"vi": "khoản {value}", "en": "cl. {value}"},
    "cite.point": {"vi": "điểm {value}", "en": "pt. {value}"},
    # --- issue 9, rule-file model: supersession, issuer, verified citations, instruments ---
    "cite.unverified": {"vi": "(⚠ chưa đối chiếu công báo)", "en": "(⚠ unverified against the gazette)"},
    "rule.supersedes_self": {
        "vi": "phiên bản '{version}' không thể thay thế chính nó; xóa '{version}' khỏi supersedes",
        "en": "version '{version}' cannot supersede itself; remove '{version}' from supersedes",
    },
    "rules.supersedes_missing": {
        "vi": "quy tắc '{rule_id}' không có phiên bản '{version}' để thay thế; có: {available}",
        "en": "rule '{rule_id}' has no version '{version}' to supersede; available: {available}",
    },
    "rules.supersedes_cycle": {
        "vi": "phiên bản {version} của '{rule_id}' thay thế vòng tròn (qua supersedes lại thay "
              "thế chính nó); phiên bản mới nhất mới được ghi supersedes",
        "en": "version {version} of '{rule_id}' supersedes itself in a circle; only the newest "
              "version should name the versions it supersedes",
    },
    "rules.same_start": {
        "vi": "phiên bản {version} và {other} của '{rule_id}' cùng có hiệu lực từ {start} ({path}); "
              "bản đính chính phải ghi supersedes: [\"{other}\"], bản dự thảo ghi status: draft",
        "en": "versions {version} and {other} of '{rule_id}' both start on {start} ({path}); an "
              "erratum must say supersedes: [\"{other}\"], a draft status: draft",
    },
    "rules.runs_past": {
        "vi": "phiên bản {version} của '{rule_id}' ghi hiệu lực đến {to}, quá ngày phiên bản {later} "
              "bắt đầu ({start}); không sửa tệp đã ban hành: thêm bản đính chính thay thế {version} "
              "(supersedes) với ngày kết thúc đúng, hoặc bỏ qua effective.to ở bản mới",
        "en": "version {version} of '{rule_id}' is in force until {to}, past the start of version "
              "{later} ({start}); published files are not edited: add an erratum superseding "
              "{version} with the right end, or leave effective.to out of new versions",
    },
    "instrument.lapsed": {
        "vi": "căn cứ {instrument} hết hiệu lực sau {end} nhưng phiên bản này áp dụng {until}; "
              "thêm phiên bản mới dẫn {successor}",
        "en": "{instrument} lapsed after {end} but this version applies {until}; add a new "
              "version citing {successor}",
    },
    "instrument.until": {"vi": "đến {date}", "en": "until {date}"},
    "instrument.from": {"vi": "từ {date}", "en": "from {date}"},
    "instrument.open": {"vi": "không có ngày kết thúc", "en": "with no end date"},
    "instrument.successor": {"vi": "văn bản thay thế", "en": "its successor"},
    "label.status.draft": {"vi": "dự thảo", "en": "draft"},
    "label.status.published": {"vi": "đã ban hành", "en": "published"},
    "label.superseded_by": {"vi": "bị thay bởi {version}", "en": "superseded by {version}"},
    "label.supersedes": {"vi": "Thay thế", "en": "Supersedes"},
    "label.issuer": {"vi": "Cấp khen", "en": "Awarded by"},
    "label.issuer.trung_uong": {"vi": "trung ương", "en": "central"},
    "label.issuer.tinh": {"vi": "cấp tỉnh", "en": "province"},
    "label.issuer.huyen": {"vi": "cấp huyện", "en": "district"},
    "label.issuer.xa": {"vi": "cấp xã", "en": "commune"},
    "label.jurisdiction": {"vi": "Phạm vi", "en": "Applies in"},
    "label.jurisdiction.toan_quoc": {"vi": "toàn quốc", "en": "nationwide"},
    "label.jurisdiction.tinh": {"vi": "tỉnh", "en": "province"},
    "label.jurisdiction.xa": {"vi": "xã", "en": "commune"},
    "instrument.not_yet": {
        "vi": "căn cứ {instrument} có hiệu lực từ {start} nhưng phiên bản này áp dụng từ {begins}; "
              "cho phiên bản bắt đầu từ {start} hoặc dẫn văn bản có hiệu lực khi đó",
        "en": "{instrument} is in force from {start} but this version applies from {begins}; "
              "start the version on {start} or cite what was in force then",
    },
    # --- end of issue 9, rule-file model ---
    # workbooks (columns separated by " | ")
    "export.sheet.summary": {"vi": "Kết quả", "en": "Decisions"},
    "export.sheet.criteria": {"vi": "Chi tiết tiêu chí", "en": "Criteria"},
    "export.sheet.problems": {"vi": "Hồ sơ lỗi", "en": "Problems"},
    "export.columns.summary": {
        "vi": "Mã hồ sơ | Họ tên / Tập thể | Đơn vị | Kỳ | Quy tắc | Phiên bản | Kết quả | Điểm | Điểm tối thiểu | Lý do | SHA-256 tệp quy tắc",
        "en": "Nominee id | Name | Unit | Period | Rule | Version | Outcome | Points | Minimum | Reason | Rule file SHA-256",
    },
    "export.columns.criteria": {
        "vi": "Mã hồ sơ | Tiêu chí | Nội dung | Bắt buộc | Kết quả | Điểm | Giá trị đã dùng | Ngưỡng | Căn cứ",
        "en": "Nominee id | Criterion | Text | Gate | Result | Points | Values used | Thresholds | Citation",
    },
    "export.columns.problems": {"vi": "Vị trí và lỗi", "en": "Where and what"},
    # --- derived inputs: history, same-period titles, members (issue 10, lead) ---
    "derive.syntax": {"vi": "'derive' không phải một lời gọi hàm hợp lệ",
                      "en": "'derive' is not a valid function call"},
    "derive.not_call": {"vi": "'derive' phải là đúng một lời gọi hàm ngữ cảnh: {allowed}",
                        "en": "'derive' must be exactly one call of a context function: {allowed}"},
    "derive.unknown_function": {"vi": "hàm ngữ cảnh '{name}' không có; chỉ dùng {allowed}",
                                "en": "no context function '{name}'; use only {allowed}"},
    "derive.literal_title": {
        "vi": "{name}() cần mã danh hiệu viết thẳng trong dấu nháy, ví dụ \"lao-dong-tien-tien\"",
        "en": "{name}() takes a title id written in quotes, e.g. \"lao-dong-tien-tien\""},
    "derive.title_form": {"vi": "'{title}' không có dạng mã danh hiệu (chữ thường, số, gạch nối)",
                          "en": "'{title}' is not a title id (lower case, digits, hyphens)"},
    "derive.level": {"vi": "mức kỷ luật '{level}' không có; dùng một trong {allowed}",
                     "en": "no discipline level '{level}'; use one of {allowed}"},
    "derive.option": {"vi": "{name}() không có tham số '{option}'; tham số được dùng: {allowed}",
                      "en": "{name}() has no option '{option}'; its options: {allowed}"},
    "derive.option_type": {"vi": "tham số '{option}' cần giá trị {expected} viết thẳng",
                           "en": "option '{option}' needs a literal {expected}"},
    "derive.period": {"vi": "period phải từ -{limit} đến 0 (0 là kỳ đang xét, -1 là kỳ trước)",
                      "en": "period must be from -{limit} to 0 (0 is this period, -1 the previous one)"},
    "derive.periods": {"vi": "periods phải từ 1 đến {limit}",
                       "en": "periods must be from 1 to {limit}"},
    "derive.type": {
        "vi": "dữ kiện '{name}' khai kiểu {got} nhưng {call} cho giá trị kiểu {expected}",
        "en": "input '{name}' is declared {got} but {call} gives a {expected} value"},
    "derive.name_clash": {
        "vi": "tên '{name}' của {call} trùng một dữ kiện đã khai; đổi tên dữ kiện đó",
        "en": "the name '{name}' of {call} clashes with a declared input; rename that input"},
    "derive.unknown_title": {
        "vi": "{call} nhắc tới danh hiệu '{title}' không có trong thư viện quy tắc{hint}",
        "en": "{call} names the title '{title}', which is not in the rule library{hint}"},
    "derive.cycle": {
        "vi": "các danh hiệu cần nhau theo vòng: {cycle}; không xét được danh hiệu nào trong vòng này",
        "en": "titles depend on each other in a cycle: {cycle}; none of them can be judged"},
    "derive.cycle_dependant": {
        "vi": "danh hiệu '{rule_id}' cần danh hiệu nằm trong một vòng phụ thuộc ({titles}), nên không xét được",
        "en": "the title '{rule_id}' needs a title caught in a dependency cycle ({titles}), so it cannot be judged"},
    "requires.text": {"vi": "Đạt danh hiệu '{title}' trong cùng kỳ",
                      "en": "Reaches the title '{title}' in the same period"},
    "derived.held": {"vi": "Đạt '{title}' ở kỳ được hỏi", "en": "Held '{title}' in the period asked"},
    "derived.consecutive": {"vi": "Số kỳ liên tục đạt '{title}'",
                            "en": "Consecutive periods holding '{title}'"},
    "derived.count_in": {"vi": "Số kỳ đạt '{title}'", "en": "Periods holding '{title}'"},
    "derived.periods_since": {"vi": "Số kỳ kể từ lần đạt '{title}' gần nhất",
                              "en": "Periods since '{title}' was last held"},
    "derived.count_since": {"vi": "Số kỳ đạt (danh hiệu thứ nhất) kể từ (danh hiệu thứ hai): {title}",
                            "en": "Periods holding the first title since the second: {title}"},
    "derived.share_of_members": {"vi": "Tỷ lệ thành viên đạt '{title}'",
                                 "en": "Share of members holding '{title}'"},
    "derived.members_with": {"vi": "Số thành viên đạt '{title}'",
                             "en": "Members holding '{title}'"},
    "derived.member_count": {"vi": "Số thành viên", "en": "Number of members"},
    "derived.members_disciplined": {"vi": "Số thành viên bị kỷ luật từ mức '{level}' trong kỳ",
                                    "en": "Members disciplined at '{level}' or above this period"},
    "period.other_period": {"vi": "hồ sơ của kỳ {got}, lượt xét này là kỳ {period}",
                            "en": "the record is for period {got}; this run judges period {period}"},
    "period.unknown_title": {
        "vi": "danh hiệu '{title}' không được xét trong lượt này; các danh hiệu được xét: {titles}",
        "en": "the title '{title}' is not judged in this run; titles judged: {titles}"},
    "period.unknown_member": {
        "vi": "thành viên '{member}' không có trong lượt xét này và không có trong lịch sử",
        "en": "member '{member}' is neither in this run nor in the history"},
    "period.repeated_member": {"vi": "thành viên '{member}' được kê hai lần",
                               "en": "member '{member}' is listed twice"},
    "period.member_twice": {
        "vi": "'{member}' là thành viên của cả tập thể {others} cùng cấp '{level}' khi xét '{title}'; mỗi người chỉ được tính ở một tập thể mỗi cấp",
        "en": "'{member}' is also a member of {others}, at the same level '{level}', for '{title}'; a person counts in one collective per level"},
    # --- deferral: the outcome hoan_xet (issue 10 point 5; NĐ 152/2025 Điều 4 k4) ---
    "outcome.hoan_xet": {"vi": "Hoãn xét", "en": "Deferred"},
    "result.holds": {"vi": "đang vướng", "en": "holds"},
    "result.clear": {"vi": "không vướng", "en": "clear"},
    "reason.deferred": {
        "vi": "hoãn xét, chưa khen thưởng trong thời gian: {conditions}",
        "en": "deferred, not rewarded for now: {conditions}",
    },
    "label.deferral_kind": {"vi": "điều kiện hoãn xét", "en": "deferral condition"},
    "store.downgrade_outcome": {
        "vi": "không thể hạ xuống phiên bản {revision}: {count} quyết định hoặc sự kiện có kết "
              "quả '{outcome}' mà lược đồ cũ không chứa được; giữ phiên bản hiện tại",
        "en": "cannot downgrade to revision {revision}: {count} decisions or events have the "
              "outcome '{outcome}', which the older schema cannot hold; stay at this revision",
    },
    "store.migration_foreign_keys": {
        "vi": "bản chuyển đổi {revision} dựng lại bảng SQLite nên cần tắt kiểm tra khoá ngoại; "
              "chạy bằng lệnh tdkt db upgrade",
        "en": "migration {revision} rebuilds SQLite tables and needs foreign-key checks off; "
              "run it with tdkt db upgrade",
    },
    "store.migration_foreign_key_check": {
        "vi": "sau khi dựng lại bảng, bảng {table} có khoá ngoại không khớp; không có gì được "
              "thay đổi, hãy báo lỗi này kèm tệp kho",
        "en": "after the rebuild, table {table} has a foreign key that does not match; nothing "
              "was changed: report this with the store file",
    },
    # --- end of deferral ---
    # --- caps and context (issue 10) ---
    "outcome.loai_do_chi_tieu": {"vi": "Loại do chỉ tiêu", "en": "Past the quota"},
    "reason.past_cap": {
        "vi": "đạt tiêu chuẩn nhưng vượt chỉ tiêu: xếp thứ {rank}/{size} trong {group}, chỉ tiêu {limit} ({how}); căn cứ: {cite}",
        "en": "meets the criteria but is past the quota: ranked {rank} of {size} in {group}, quota {limit} ({how}); legal basis: {cite}",
    },
    "cap.within": {
        "vi": "trong chỉ tiêu: xếp thứ {rank}/{size} trong {group}, chỉ tiêu {limit} ({how}); căn cứ: {cite}",
        "en": "within the quota: ranked {rank} of {size} in {group}, quota {limit} ({how}); legal basis: {cite}",
    },
    "cap.group": {"vi": "đơn vị '{unit}', kỳ {period}", "en": "unit '{unit}', period {period}"},
    "cap.how_count": {"vi": "số cố định", "en": "a fixed number"},
    "cap.how_headcount": {
        "vi": "{ratio}% × {base} hồ sơ của đơn vị = {exact}, làm tròn {rounding}",
        "en": "{ratio}% × headcount {base} = {exact}, rounded {rounding}",
    },
    "cap.how_title": {
        "vi": "{ratio}% × {base} người đạt '{title}' cùng kỳ = {exact}, làm tròn {rounding}",
        "en": "{ratio}% × {base} holders of '{title}' in the period = {exact}, rounded {rounding}",
    },
    "cap.rounding.down": {"vi": "xuống", "en": "down"},
    "cap.rounding.up": {"vi": "lên", "en": "up"},
    "cap.rounding.half_up": {"vi": "đến số gần nhất (từ ,5 làm tròn lên)", "en": "to the nearest (a half goes up)"},
    "cap.ranked_by": {
        "vi": "xếp hạng theo: {keys}; bằng nhau thì theo mã băm SHA-256 của \"mã quy tắc|kỳ|mã hồ sơ\" (nhỏ trước)",
        "en": "ranked by: {keys}; ties go by the SHA-256 hash of \"rule id|period|nominee id\" (smaller first)",
    },
    "cap.ranked_by_none": {
        "vi": "xếp hạng theo mã băm SHA-256 của \"mã quy tắc|kỳ|mã hồ sơ\" (nhỏ trước)",
        "en": "ranked by the SHA-256 hash of \"rule id|period|nominee id\" (smaller first)",
    },
    "cap.points": {"vi": "tổng điểm", "en": "total points"},
    "cap.keys": {
        "vi": "giá trị dùng để xếp của hồ sơ này: {values}; mã băm {hash}…",
        "en": "this nominee's values ranked on: {values}; hash {hash}…",
    },
    "cap.no_unit": {
        "vi": "quy tắc {rule} {version} có chỉ tiêu theo đơn vị nhưng hồ sơ không ghi đơn vị nên không xếp hạng được; ghi đơn vị rồi chạy lại (các hồ sơ khác vẫn được xếp)",
        "en": "rule {rule} {version} has a quota per unit but the record names no unit, so it cannot be ranked; give its unit and run again (the other records are still ranked)",
    },
    "cap.limit_choice": {
        "vi": "`cap.limit` phải ghi đúng một trong `count`, `share_of_headcount`, `share_of_title` (đang có: {given})",
        "en": "`cap.limit` takes exactly one of `count`, `share_of_headcount`, `share_of_title` (given: {given})",
    },
    "cap.ratio_missing": {
        "vi": "`share_of_title` cần kèm `ratio`: tên một tham số giữ tỉ lệ",
        "en": "`share_of_title` needs a `ratio`: the name of a param holding the share",
    },
    "cap.ratio_without_title": {
        "vi": "`ratio` chỉ dùng cùng `share_of_title`",
        "en": "`ratio` goes only with `share_of_title`",
    },
    "cap.own_title": {
        "vi": "chỉ tiêu không thể tính theo chính danh hiệu '{title}' của tệp này",
        "en": "a quota cannot be a share of this file's own title '{title}'",
    },
    "cap.param_unknown": {
        "vi": "không có tham số '{name}' trong `params`; các tham số có: {known}",
        "en": "no param '{name}' in `params`; the params are: {known}",
    },
    "cap.count_value": {
        "vi": "tham số '{name}' là số người tối đa, phải là số nguyên không âm; đang là '{value}'",
        "en": "param '{name}' is a number of people and must be a whole number, 0 or more; it is '{value}'",
    },
    "cap.ratio_value": {
        "vi": "tham số '{name}' là tỉ lệ, phải là số từ 0 đến 1 (ví dụ 0.15 cho 15%); đang là '{value}'",
        "en": "param '{name}' is a share and must be a number from 0 to 1 (e.g. 0.15 for 15%); it is '{value}'",
    },
    "cap.rounding_value": {
        "vi": "tham số '{name}' là cách làm tròn chỉ tiêu, phải là một trong: {allowed}; đang là '{value}'",
        "en": "param '{name}' is the quota's rounding and must be one of: {allowed}; it is '{value}'",
    },
    "cap.rank_by_twice": {
        "vi": "'{name}' đã có trong `rank_by`; bỏ lần ghi thứ hai",
        "en": "'{name}' is already in `rank_by`; drop the second one",
    },
    "cap.rank_by_unknown": {
        "vi": "`rank_by`: không có dữ kiện '{name}'; dùng một trong: {known}",
        "en": "`rank_by`: no input '{name}'; use one of: {known}",
    },
    "cap.rank_by_enum": {
        "vi": "`rank_by`: dữ kiện '{name}' kiểu chọn một nên không xếp hạng được; dùng dữ kiện số hoặc có/không",
        "en": "`rank_by`: input '{name}' is one-of-a-list and cannot be ranked; use a number or yes/no input",
    },
    "label.cap": {"vi": "Chỉ tiêu", "en": "Quota"},
    "label.context": {"vi": "Dữ kiện suy ra", "en": "Derived facts"},
    "context.line": {"vi": "{label}: {words} [nguồn: {source}]", "en": "{label}: {words} [source: {source}]"},
    "context.source.lich_su": {"vi": "lịch sử danh hiệu", "en": "title history"},
    "context.source.cung_ky": {"vi": "quyết định cùng kỳ", "en": "same-period decision"},
    "context.source.thanh_vien": {"vi": "quyết định của các thành viên", "en": "the members' decisions"},
    "context.source.tu_khai": {"vi": "tự khai", "en": "self-declared"},
    "context.consecutive": {
        "vi": "{value} năm liên tục đạt '{title}'{periods}",
        "en": "{value} consecutive years of '{title}'{periods}",
    },
    "context.counted_from": {
        "vi": "tính từ kỳ {period}, sau thời hạn kỷ luật",
        "en": "counted from {period}, after a discipline",
    },
    "context.looked": {"vi": "đã xét các kỳ {periods}", "en": "periods looked at: {periods}"},
    "context.held": {"vi": "đạt '{title}' kỳ {period}", "en": "held '{title}' in {period}"},
    "context.not_held": {"vi": "không đạt '{title}' kỳ {period}", "en": "did not hold '{title}' in {period}"},
    "context.same_period": {
        "vi": "'{title}' cùng kỳ {period}: {outcome}, theo {reference}",
        "en": "'{title}' in the same period {period}: {outcome}, per {reference}",
    },
    "context.not_reached": {"vi": "chưa đạt", "en": "not reached"},
    "context.ref.run": {"vi": "quyết định {reference} trong lượt xét này", "en": "decision {reference} of this run"},
    "context.ref.store": {"vi": "quyết định số {reference} trong kho", "en": "stored decision #{reference}"},
    "context.ref.import": {"vi": "lịch sử đã nhập (quyết định {reference})", "en": "imported history (decision {reference})"},
    "context.ref.import_bare": {"vi": "lịch sử đã nhập", "en": "imported history"},
    "context.ref.none": {"vi": "không có quyết định nào", "en": "no decision found"},
    "context.count_in": {
        "vi": "{value} lần đạt '{title}' trong {n} kỳ gần nhất{periods}",
        "en": "{value} times '{title}' in the last {n} periods{periods}",
    },
    "context.count_in_all": {
        "vi": "{value} lần đạt '{title}' trong toàn bộ lịch sử{periods}",
        "en": "{value} times '{title}' in all the history{periods}",
    },
    "context.periods_since": {
        "vi": "{value} kỳ kể từ lần gần nhất đạt '{title}' ({last})",
        "en": "{value} periods since '{title}' was last held ({last})",
    },
    "context.never_held": {"vi": "chưa từng đạt '{title}'", "en": "never held '{title}'"},
    "context.count_since": {
        "vi": "{value} lần đạt '{title}' kể từ lần gần nhất đạt '{after}' ({last}){periods}",
        "en": "{value} times '{title}' since '{after}' was last held ({last}){periods}",
    },
    "context.count_since_never": {
        "vi": "chưa từng đạt '{after}' nên không tính '{title}'",
        "en": "never held '{after}', so '{title}' is not counted",
    },
    "context.share_of_members": {
        "vi": "{held}/{total} thành viên đạt '{title}' ({percent}%)",
        "en": "{held}/{total} members hold '{title}' ({percent}%)",
    },
    "context.members_with": {
        "vi": "{held}/{total} thành viên đạt '{title}'",
        "en": "{held}/{total} members hold '{title}'",
    },
    "context.member_list": {"vi": "gồm: {ids}", "en": "namely: {ids}"},
    "context.member_count": {"vi": "{value} thành viên", "en": "{value} members"},
    "context.members_disciplined": {
        "vi": "{value} thành viên bị kỷ luật từ mức '{level}' trở lên trong kỳ",
        "en": "{value} members disciplined at '{level}' or above in the period",
    },
    "context.self_declared": {
        "vi": "{value} (tự khai: hồ sơ không ghi danh sách thành viên)",
        "en": "{value} (self-declared: the record names no members)",
    },
    "context.unknown_members": {"vi": "không tìm thấy thành viên: {ids}", "en": "members found nowhere: {ids}"},
    "context.undetermined": {"vi": "không xác định được", "en": "could not be determined"},
    "context.other": {"vi": "{call} = {value}", "en": "{call} = {value}"},
    # --- end of caps and context ---
    # --- evaluate at scale (issue 8: streamed outputs, batched recording, exports) ---
    "evaluate.table_cut": {
        "vi": "Chỉ hiện {shown} trên {total} quyết định; để có đủ, dùng -o TỆP.xlsx, --json hoặc --jsonl",
        "en": "Showing {shown} of {total} decisions; for all of them use -o FILE.xlsx, --json or --jsonl",
    },
    "evaluate.json_and_jsonl": {
        "vi": "chọn một trong --json và --jsonl, không dùng cả hai",
        "en": "choose either --json or --jsonl, not both",
    },
    "evaluate.output_suffix": {
        "vi": "không ghi được tệp '{suffix}'; dùng .xlsx hoặc .csv",
        "en": "cannot write a '{suffix}' file; use .xlsx or .csv",
    },
    "evaluate.reading": {"vi": "Đọc và xét {path}", "en": "Reading and judging {path}"},
    "evaluate.recording": {"vi": "Ghi vào kho", "en": "Recording"},
    "export.continued": {
        "vi": "Trang '{sheet}' vượt quá {limit} dòng (giới hạn của Excel) nên được ghi tiếp ở trang: {sheets}",
        "en": "Sheet '{sheet}' passed Excel's limit of {limit} rows and continues on: {sheets}",
    },
    "store.text_not_storable": {
        "vi": "không ghi được vào kho: ký tự {char} không lưu được trong cơ sở dữ liệu; hãy xoá ký tự đó khỏi tệp hồ sơ rồi chạy lại (các hồ sơ khác vẫn được ghi)",
        "en": "not recorded: the character {char} cannot be stored in the database; remove it from the nominee file and run again (the other records were recorded)",
    },
    # --- title history (issue 10) ---
    "history.yaml_too_large": {
        "vi": "tệp lịch sử YAML lớn {size}, quá giới hạn {limit}; với tệp lớn hãy dùng JSON Lines (.jsonl, mỗi dòng một bản ghi)",
        "en": "the YAML history file is {size}, over the {limit} limit; for big files use JSON Lines (.jsonl, one row a line)",
    },
    "history.not_object": {
        "vi": "mỗi dòng lịch sử phải là một đối tượng (subject, title hoặc discipline, period, …)",
        "en": "each history row must be an object (subject, title or discipline, period, …)",
    },
    "history.too_deep": {
        "vi": "lồng nhau quá {limit} cấp; một dòng lịch sử chỉ gồm các giá trị đơn",
        "en": "nested more than {limit} levels deep; a history row holds plain values only",
    },
    "history.both": {
        "vi": "một dòng ghi hoặc một danh hiệu ('title') hoặc một kỷ luật ('discipline'), không ghi cả hai; hãy tách thành hai dòng",
        "en": "a row is either an award ('title') or a discipline ('discipline'), not both; split it into two rows",
    },
    "history.neither": {
        "vi": "thiếu 'title' (mã danh hiệu đã được khen) hoặc 'discipline' (mức kỷ luật)",
        "en": "'title' (the rule id of the award) or 'discipline' (the discipline level) is missing",
    },
    "history.ends_award": {
        "vi": "'ends' (ngày hết thời hạn kỷ luật) chỉ dùng cho dòng kỷ luật, không dùng cho danh hiệu",
        "en": "'ends' (the day a discipline ends) belongs to a discipline row, not to an award",
    },
    "history.field": {"vi": "{problem}{hint}", "en": "{problem}{hint}"},
    "history.unknown_title": {
        "vi": "'{title}' không phải mã danh hiệu nào trong thư viện quy tắc{hint}",
        "en": "'{title}' is not the id of any title in the rule library{hint}",
    },
    "history.future_period": {
        "vi": "kỳ {period} chưa đến (năm nay là {year}); lịch sử chỉ ghi các kỳ đã qua",
        "en": "period {period} has not come yet (this year is {year}); history holds past periods only",
    },
    "history.future_day": {
        "vi": "ngày quyết định {day} sau hôm nay ({today}); kiểm tra lại ngày",
        "en": "the decision day {day} is after today ({today}); check the date",
    },
    "history.ends_before": {
        "vi": "kỷ luật kết thúc ngày {ends}, trước năm {period} là năm quyết định kỷ luật; kiểm tra lại 'ends' hoặc 'period'",
        "en": "the discipline ends on {ends}, before {period}, the year it was decided; check 'ends' or 'period'",
    },
    "history.duplicate_row": {
        "vi": "bản ghi này trùng với bản ghi ở {first}: cùng đối tượng, danh hiệu hoặc mức kỷ luật, và kỳ; chỉ giữ một",
        "en": "this row repeats the row at {first}: same subject, title or discipline, and period; keep only one",
    },
    "history_value.history_day": {
        "vi": "cần một ngày dạng YYYY-MM-DD (ví dụ 2024-01-15), nhận được {value}",
        "en": "expected a day as YYYY-MM-DD (e.g. 2024-01-15), got {value}",
    },
    "history_value.title_pattern": {
        "vi": "cần mã danh hiệu (mã quy tắc): chữ thường không dấu, chữ số và '-', ví dụ chien-si-thi-dua-co-so",
        "en": "expected a title's rule id: unaccented lower-case letters, digits and '-', e.g. chien-si-thi-dua-co-so",
    },
    "history_value.extra_forbidden": {
        "vi": "trường không có trong định dạng lịch sử (subject, period, title hoặc discipline, decision_number, decided_on, issuer_level, achievement, ends)",
        "en": "unknown field (a history row has subject, period, title or discipline, decision_number, decided_on, issuer_level, achievement, ends)",
    },
    "history_value.literal_error": {
        "vi": "giá trị phải là một trong {expected}",
        "en": "the value must be one of {expected}",
    },
    "history.summary": {
        "vi": "{file}: đọc {read} dòng; thêm {added}, đã có {unchanged}, bị từ chối {refused}, mâu thuẫn với kho {conflicts}",
        "en": "{file}: {read} rows read; {added} added, {unchanged} already stored, {refused} refused, {conflicts} contradicting the store",
    },
    "history.conflict": {
        "vi": "{subject}: tệp ghi đã được khen '{title}' kỳ {period}{number}, nhưng kho có quyết định #{decision_id} với kết quả '{outcome}'; khi xét, kho được dùng (xem: tdkt audit show {decision_id})",
        "en": "{subject}: the file says '{title}' was awarded for {period}{number}, but the store holds decision #{decision_id} with outcome '{outcome}'; the store is used when judging (see: tdkt audit show {decision_id})",
    },
    "history.conflict_number": {"vi": " (quyết định {number})", "en": " (decision {number})"},
    "history.headers": {
        "vi": "Đối tượng|Kỳ|Danh hiệu / kỷ luật, quyết định|Nguồn",
        "en": "Subject|Year|Title / discipline, decision|Source",
    },
    "history.decision": {"vi": "QĐ {decision}", "en": "decision {decision}"},
    "history.achievement": {"vi": "thành tích {id}", "en": "achievement {id}"},
    "history.title": {"vi": "Lịch sử danh hiệu và kỷ luật ({count} dòng)", "en": "Title and discipline history ({count} rows)"},
    "history.empty": {"vi": "Kho chưa có dòng lịch sử nào.", "en": "The store holds no history yet."},
    "history.empty_subject": {
        "vi": "Kho chưa có lịch sử của {subjects}.",
        "en": "The store holds no history of {subjects}.",
    },
    "history.discipline": {"vi": "kỷ luật: {level}", "en": "discipline: {level}"},
    "history.until": {"vi": "hết hạn {day}", "en": "ends {day}"},
    "history.level.khien_trach": {"vi": "khiển trách", "en": "reprimand"},
    "history.level.canh_cao": {"vi": "cảnh cáo", "en": "warning"},
    "history.level.ha_bac_luong": {"vi": "hạ bậc lương", "en": "salary grade reduced"},
    "history.level.giang_chuc": {"vi": "giáng chức", "en": "demotion"},
    "history.level.cach_chuc": {"vi": "cách chức", "en": "removal from post"},
    "history.level.buoc_thoi_viec": {"vi": "buộc thôi việc", "en": "dismissal"},
    "history.source.import": {"vi": "tệp", "en": "file"},
    "history.source.store": {"vi": "kho #{id}", "en": "store #{id}"},
    # --- end of title history ---
    # --- store: title history, decision context, caps in verify (issue 10, store) ---
    "audit.kind.history_imported": {"vi": "nhập lịch sử", "en": "history imported"},
    "store.field.source": {"vi": "Tên tệp lịch sử", "en": "The history file's name"},
    "store.history_shape": {
        "vi": "dòng lịch sử của {subject} phải là một danh hiệu (title) hoặc một kỷ luật (discipline), không thiếu cũng không cả hai; dòng này không được ghi",
        "en": "a history row of {subject} must be either an award (title) or a discipline, not neither nor both; the row was not stored",
    },
    "store.history_character": {
        "vi": "dòng lịch sử không ghi được vào kho: ký tự {char} không lưu được trong cơ sở dữ liệu; hãy xoá ký tự đó khỏi tệp rồi nhập lại (các dòng khác vẫn được ghi)",
        "en": "history row not stored: the character {char} cannot be stored in the database; remove it from the file and import again (the other rows were stored)",
    },
    "store.history_too_long": {
        "vi": "dòng lịch sử không ghi được vào kho: dài quá {limit} ký tự (các dòng khác vẫn được ghi)",
        "en": "history row not stored: longer than {limit} characters (the other rows were stored)",
    },
    "store.downgrade_history": {
        "vi": "không thể hạ xuống phiên bản {revision}: kho có {count} dòng lịch sử danh hiệu hoặc sự kiện nhập lịch sử mà lược đồ cũ không chứa được; giữ phiên bản hiện tại",
        "en": "cannot downgrade to revision {revision}: the store holds {count} title history rows or history import events, which the older schema cannot hold; stay at this revision",
    },
    "store.downgrade_context": {
        "vi": "không thể hạ xuống phiên bản {revision}: {count} quyết định có bối cảnh (giá trị suy ra, vị trí trong chỉ tiêu) nằm trong chuỗi băm mà lược đồ cũ không chứa được; giữ phiên bản hiện tại",
        "en": "cannot downgrade to revision {revision}: {count} decisions have a context (derived values, cap placement) in the hash chain, which the older schema cannot hold; stay at this revision",
    },
    # -- issue 11 item 1: each decision keeps the name, unit and subject it was recorded with
    "store.downgrade_names": {
        "vi": "không thể hạ xuống phiên bản {revision}: {count} quyết định được ghi với họ tên, đơn vị hoặc loại đối tượng khác với hồ sơ nộp chung; lược đồ cũ sẽ kiểm tra chúng theo hồ sơ chung và báo sai là đã bị sửa; giữ phiên bản hiện tại",
        "en": "cannot downgrade to revision {revision}: {count} decisions were recorded with a name, unit or subject that differs from their shared submission; the older schema would check them against it and wrongly report them as edited; stay at this revision",
    },
    # -- issue 11 items 6-8: timeouts, no silent schema, forced downgrades and backups, roles
    "store.bad_timeout": {
        "vi": "{variable}='{value}' không hợp lệ: cần số giây lớn hơn 0 và không quá {limit}",
        "en": "{variable}='{value}' is not a number of seconds above 0 and at most {limit}",
    },
    "store.lock_timeout": {
        "vi": "cơ sở dữ liệu {database}: đã chờ khoá của một tiến trình ghi khác quá {seconds} giây nên dừng, không có gì được ghi; chạy lại sau ({variable} đặt thời gian chờ)",
        "en": "the database {database}: waited more than {seconds} s for another writer's lock and stopped, nothing was recorded; run again later ({variable} sets the wait)",
    },
    "store.statement_timeout": {
        "vi": "cơ sở dữ liệu {database}: một câu lệnh ghi chạy quá {seconds} giây nên bị dừng, không có gì được ghi; chạy lại sau hoặc tăng {variable}",
        "en": "the database {database}: a writing statement ran longer than {seconds} s and was stopped, nothing was recorded; run again later or raise {variable}",
    },
    "store.no_schema": {
        "vi": "cơ sở dữ liệu {database} chưa có lược đồ tdkt; chủ sở hữu cơ sở dữ liệu chạy `tdkt db upgrade` trước (tdkt không tự tạo kho trong một cơ sở dữ liệu đã có, để không lặng lẽ bắt đầu một chuỗi mới)",
        "en": "the database {database} has no tdkt schema; have its owner run `tdkt db upgrade` first (tdkt does not create a store inside an existing database by itself, so a new chain never starts silently)",
    },
    "store.empty_needs_upgrade": {
        "vi": "{database}: chưa có lược đồ tdkt; chạy `tdkt db upgrade` (với quyền chủ sở hữu) trước khi dùng",
        "en": "{database}: no tdkt schema yet; run `tdkt db upgrade` (as the owner) before first use",
    },
    "store.downgrade_erases": {
        "vi": "không hạ xuống phiên bản {revision}: việc này xoá {count} dòng của kho (quyết định, sự kiện kiểm tra, hồ sơ…); nếu thật sự muốn, chạy lại với --force: bản sao lưu được ghi trước",
        "en": "not downgrading to revision {revision}: it would erase {count} rows of the store (decisions, audit events, submissions…); if you really mean it, run again with --force: a backup is written first",
    },
    "store.downgrade_uses": {
        "vi": "không hạ xuống phiên bản {revision}: việc này xoá {count} dòng sử dụng thành tích (mỗi thành tích chỉ được khen một lần), nâng cấp lại sẽ không khôi phục chúng; nếu thật sự muốn, chạy lại với --force: bản sao lưu được ghi trước",
        "en": "not downgrading to revision {revision}: it would erase {count} achievement use rows (one achievement, one reward), and upgrading again would not bring them back; if you really mean it, run again with --force: a backup is written first",
    },
    "store.backup_written": {
        "vi": "Bản sao lưu trước khi hạ phiên bản: {path} ({rows} dòng, {tables} bảng)",
        "en": "Backup written before downgrading: {path} ({rows} rows, {tables} tables)",
    },
    "store.backup_exists": {
        "vi": "đã có tệp {path}; không ghi đè bản sao lưu, chọn --backup khác",
        "en": "{path} already exists; a backup is never overwritten, choose another --backup",
    },
    "store.backup_failed": {
        "vi": "không ghi được bản sao lưu {path} ({reason}); không có gì bị hạ phiên bản",
        "en": "cannot write the backup {path} ({reason}); nothing was downgraded",
    },
    "store.grant_sqlite": {
        "vi": "{database} là tệp SQLite: SQLite không có vai trò nên `tdkt db grant` không áp dụng. Thứ bảo vệ kho SQLite là quyền trên tệp: chỉ tài khoản chạy tdkt được ghi tệp và thư mục chứa nó (chmod 600 / 700). Ai ghi được tệp thì có thể viết lại toàn bộ chuỗi; chỉ các điểm kiểm tra đã ký và công bố ra ngoài (`tdkt audit checkpoint`) mới phát hiện được việc đó",
        "en": "{database} is a SQLite file: SQLite has no roles, so `tdkt db grant` does not apply. What protects a SQLite store is the file's permissions: only the account running tdkt may write the file and its folder (chmod 600 / 700). Whoever can write the file can rewrite the whole chain; only signed checkpoints published elsewhere (`tdkt audit checkpoint`) detect that",
    },
    "store.bad_role": {
        "vi": "tên vai trò '{role}' không dùng được: cần chữ thường, chữ số hoặc _, bắt đầu bằng chữ, tối đa 63 ký tự, và không phải vai trò đang chạy lệnh",
        "en": "'{role}' cannot be used as a role name: lowercase letters, digits or _, starting with a letter, at most 63 characters, and not the role running the command",
    },
    "store.grant_refused": {
        "vi": "không cấp quyền được ({problem}); chạy `tdkt db grant` bằng vai trò sở hữu các bảng tdkt (người đã chạy `tdkt db upgrade`), có quyền CREATEROLE nếu vai trò chưa tồn tại",
        "en": "cannot grant ({problem}); run `tdkt db grant` as the role that owns the tdkt tables (the one that ran `tdkt db upgrade`), with CREATEROLE if the role does not exist yet",
    },
    "store.granted": {
        "vi": "Vai trò {role} ({state}) trên {database}: SELECT và INSERT trên {tables} bảng, UPDATE chỉ trên audit_chain_head, USAGE trên lược đồ {schema}; không có quyền sửa, xoá, TRUNCATE, trigger hay sở hữu",
        "en": "Role {role} ({state}) on {database}: SELECT and INSERT on {tables} tables, UPDATE only on audit_chain_head, USAGE on schema {schema}; no update, delete, TRUNCATE, trigger or ownership",
    },
    "store.role_created": {"vi": "vừa tạo, {login}", "en": "created, {login}"},
    "store.role_existed": {"vi": "đã có", "en": "already existed"},
    "store.role_login": {"vi": "được đăng nhập; người quản trị đặt mật khẩu cho nó", "en": "can log in; the DBA sets its password"},
    "store.role_nologin": {"vi": "không đăng nhập (NOLOGIN); cấp nó cho vai trò đăng nhập của ứng dụng bằng GRANT", "en": "NOLOGIN; GRANT it to the application's login role"},
    "audit.history_hash": {
        "vi": "các dòng lịch sử của lần nhập (lượt {run_id}) không khớp mã băm của sự kiện: có dòng bị sửa, thêm hoặc xoá",
        "en": "the history rows of import run {run_id} do not match the event's hash: a row was edited, added or deleted",
    },
    "audit.history_orphan": {
        "vi": "dòng lịch sử thuộc lượt {run_id} mà không sự kiện nhập lịch sử nào nêu (được chèn tay, hoặc sự kiện đã bị xoá)",
        "en": "history row of run {run_id}, which no history import event names (inserted by hand, or its event was deleted)",
    },
    "audit.context_unreadable": {
        "vi": "không đọc được bối cảnh đã lưu của quyết định (giá trị suy ra, chỉ tiêu): {problem}",
        "en": "the decision's stored context (derived values, cap) cannot be read: {problem}",
    },
    "audit.cap_inconsistent": {
        "vi": "vị trí trong chỉ tiêu tự mâu thuẫn: hạng {rank}, chỉ tiêu {limit}, nhóm {group_size}, trong chỉ tiêu = {within}",
        "en": "the cap placement contradicts itself: rank {rank}, limit {limit}, group {group_size}, within = {within}",
    },
    "audit.cap_dat_past_limit": {
        "vi": "kết quả 'dat' nhưng vị trí đã lưu xếp hạng {rank}, vượt chỉ tiêu {limit}",
        "en": "outcome 'dat' but the stored placement ranks it {rank}, past the limit {limit}",
    },
    "audit.derived_call": {
        "vi": "giá trị suy ra '{input}': không kiểm lại được lời gọi {call} (không phải hàm bối cảnh đã biết)",
        "en": "derived value '{input}': the call {call} is not a context function verify can recompute",
    },
    "audit.derived_value": {
        "vi": "giá trị suy ra '{input}' = {call}: đã lưu {stored}, tính lại từ chứng cứ đã lưu cho {recomputed}",
        "en": "derived value '{input}' = {call}: stored {stored}, its stored evidence gives {recomputed}",
    },
    "audit.derived_fact": {
        "vi": "giá trị suy ra '{input}' là {value} nhưng dữ kiện đã lưu (được xét lại) là {fact}",
        "en": "derived value '{input}' is {value} but the stored fact (which the replay judged) is {fact}",
    },
    "audit.derived_discipline": {
        "vi": "giá trị suy ra '{input}': tính từ kỳ {counted_from} không khớp các kỷ luật trong chứng cứ (kỳ {periods})",
        "en": "derived value '{input}': counted from {counted_from}, which does not fit the disciplines in its evidence (periods {periods})",
    },
    # --- end of store: title history, decision context, caps in verify ---
    # --- click's messages (usage errors and --help in the user's language) ---
    # Keyed "click." + click's own gettext message id, placeholders kept as click fills
    # them; cli.py installs a translator into click's modules. "click.word.*" are the
    # words click puts into those blanks (a path's kind, a number's type).
    "click.Usage:": {"vi": "Cách dùng:", "en": "Usage:"},
    "click.Options": {"vi": "Tuỳ chọn", "en": "Options"},
    "click.Commands": {"vi": "Lệnh", "en": "Commands"},
    "click.Positional arguments": {"vi": "Đối số", "en": "Positional arguments"},
    "click.Show this message and exit.": {
        "vi": "Hiện hướng dẫn này rồi thoát.",
        "en": "Show this message and exit.",
    },
    "click.Show the version and exit.": {
        "vi": "Hiện số phiên bản rồi thoát.",
        "en": "Show the version and exit.",
    },
    "click.%(prog)s, version %(version)s": {
        "vi": "%(prog)s, phiên bản %(version)s",
        "en": "%(prog)s, version %(version)s",
    },
    "click.default: {default}": {"vi": "mặc định: {default}", "en": "default: {default}"},
    "click.required": {"vi": "bắt buộc", "en": "required"},
    "click.env var: {var}": {"vi": "biến môi trường: {var}", "en": "env var: {var}"},
    "click.(dynamic)": {"vi": "(tính khi chạy)", "en": "(dynamic)"},
    "click.Error: {message}": {"vi": "Lỗi: {message}", "en": "Error: {message}"},
    "click.Try '{command} {option}' for help.": {
        "vi": "Xem hướng dẫn: '{command} {option}'.",
        "en": "Try '{command} {option}' for help.",
    },
    "click.Aborted!": {"vi": "Đã dừng.", "en": "Aborted!"},
    "click.Invalid value: {message}": {
        "vi": "Giá trị không hợp lệ: {message}",
        "en": "Invalid value: {message}",
    },
    "click.Invalid value for {param_hint}: {message}": {
        "vi": "Giá trị của {param_hint} không hợp lệ: {message}",
        "en": "Invalid value for {param_hint}: {message}",
    },
    "click.Missing argument": {"vi": "Thiếu đối số", "en": "Missing argument"},
    "click.Missing option": {"vi": "Thiếu tuỳ chọn", "en": "Missing option"},
    "click.Missing parameter": {"vi": "Thiếu tham số", "en": "Missing parameter"},
    "click.Missing {param_type}": {"vi": "Thiếu {param_type}", "en": "Missing {param_type}"},
    "click.Missing parameter: {param_name}": {
        "vi": "Thiếu tham số: {param_name}",
        "en": "Missing parameter: {param_name}",
    },
    "click.Missing command.": {
        "vi": "Thiếu tên lệnh.",
        "en": "Missing command.",
    },
    "click.No such option {name!r}.": {
        "vi": "Không có tuỳ chọn {name!r}.",
        "en": "No such option {name!r}.",
    },
    "click.No such command {name!r}.": {
        "vi": "Không có lệnh {name!r}.",
        "en": "No such command {name!r}.",
    },
    "click.Did you mean {possibility}?": {
        "vi": "Có phải ý bạn là {possibility}?",
        "en": "Did you mean {possibility}?",
    },
    "click.(Did you mean one of: {possibilities}?)": {
        "vi": "(Có phải ý bạn là một trong: {possibilities}?)",
        "en": "(Did you mean one of: {possibilities}?)",
    },
    "click.Got unexpected extra argument ({args})": {
        "vi": "Thừa đối số không dùng đến ({args})",
        "en": "Got unexpected extra argument ({args})",
    },
    "click.Got unexpected extra arguments ({args})": {
        "vi": "Thừa các đối số không dùng đến ({args})",
        "en": "Got unexpected extra arguments ({args})",
    },
    "click.Option {name!r} does not take a value.": {
        "vi": "Tuỳ chọn {name!r} không nhận giá trị.",
        "en": "Option {name!r} does not take a value.",
    },
    "click.Option {name!r} requires an argument.": {
        "vi": "Tuỳ chọn {name!r} cần một giá trị đi sau.",
        "en": "Option {name!r} requires an argument.",
    },
    "click.Option {name!r} requires {nargs} arguments.": {
        "vi": "Tuỳ chọn {name!r} cần {nargs} giá trị đi sau.",
        "en": "Option {name!r} requires {nargs} arguments.",
    },
    "click.Argument {name!r} takes {nargs} values.": {
        "vi": "Đối số {name!r} cần {nargs} giá trị.",
        "en": "Argument {name!r} takes {nargs} values.",
    },
    "click.Takes {nargs} values but 1 was given.": {
        "vi": "Cần {nargs} giá trị nhưng chỉ có 1.",
        "en": "Takes {nargs} values but 1 was given.",
    },
    "click.Takes {nargs} values but {len} were given.": {
        "vi": "Cần {nargs} giá trị nhưng có {len}.",
        "en": "Takes {nargs} values but {len} were given.",
    },
    "click.{len_type} values are required, but {len_value} was given.": {
        "vi": "Cần {len_type} giá trị nhưng có {len_value}.",
        "en": "{len_type} values are required, but {len_value} was given.",
    },
    "click.{len_type} values are required, but {len_value} were given.": {
        "vi": "Cần {len_type} giá trị nhưng có {len_value}.",
        "en": "{len_type} values are required, but {len_value} were given.",
    },
    "click.Value must be an iterable.": {
        "vi": "Giá trị phải là một danh sách.",
        "en": "Value must be an iterable.",
    },
    "click.{value!r} is not {choice}.": {
        "vi": "{value!r} không hợp lệ; chỉ nhận {choice}.",
        "en": "{value!r} is not {choice}.",
    },
    "click.{value!r} is not one of {choices}.": {
        "vi": "{value!r} không hợp lệ; chọn một trong {choices}.",
        "en": "{value!r} is not one of {choices}.",
    },
    "click.Choose from:\n\t{choices}": {
        "vi": "Chọn một trong:\n\t{choices}",
        "en": "Choose from:\n\t{choices}",
    },
    "click.{value!r} does not match the format {format}.": {
        "vi": "{value!r} không đúng dạng {format}.",
        "en": "{value!r} does not match the format {format}.",
    },
    "click.{value!r} does not match the formats {formats}.": {
        "vi": "{value!r} không đúng dạng nào trong {formats}.",
        "en": "{value!r} does not match the formats {formats}.",
    },
    "click.{value!r} is not a valid {number_type}.": {
        "vi": "{value!r} không phải là {number_type} hợp lệ.",
        "en": "{value!r} is not a valid {number_type}.",
    },
    "click.{value} is not in the range {range}.": {
        "vi": "{value} nằm ngoài khoảng cho phép {range}.",
        "en": "{value} is not in the range {range}.",
    },
    "click.{value!r} is not a valid boolean. Recognized values: {states}": {
        "vi": "{value!r} không phải giá trị có/không hợp lệ; các giá trị được nhận: {states}",
        "en": "{value!r} is not a valid boolean. Recognized values: {states}",
    },
    "click.{value!r} is not a valid UUID.": {
        "vi": "{value!r} không phải mã UUID hợp lệ.",
        "en": "{value!r} is not a valid UUID.",
    },
    "click.{name} {filename!r} does not exist.": {
        "vi": "{name} {filename!r} không tồn tại; kiểm tra lại đường dẫn.",
        "en": "{name} {filename!r} does not exist.",
    },
    "click.{name} {filename!r} is a file.": {
        "vi": "{name} {filename!r} là một tệp; cần một thư mục.",
        "en": "{name} {filename!r} is a file.",
    },
    "click.{name} {filename!r} is a directory.": {
        "vi": "{name} {filename!r} là một thư mục; hãy ghi rõ tên tệp.",
        "en": "{name} {filename!r} is a directory.",
    },
    "click.{name} {filename!r} is not readable.": {
        "vi": "{name} {filename!r} không đọc được; kiểm tra quyền đọc.",
        "en": "{name} {filename!r} is not readable.",
    },
    "click.{name} {filename!r} is not writable.": {
        "vi": "{name} {filename!r} không ghi được; kiểm tra quyền ghi.",
        "en": "{name} {filename!r} is not writable.",
    },
    "click.{name} {filename!r} is not executable.": {
        "vi": "{name} {filename!r} không chạy được; kiểm tra quyền thực thi.",
        "en": "{name} {filename!r} is not executable.",
    },
    "click.Could not open file {filename!r}: {message}": {
        "vi": "Không mở được tệp {filename!r}: {message}",
        "en": "Could not open file {filename!r}: {message}",
    },
    "click.unknown error": {"vi": "lỗi không rõ", "en": "unknown error"},
    "click.Shell completion is not supported for Bash versions older than 4.4.": {
        "vi": "Không có tự hoàn thành lệnh cho Bash cũ hơn bản 4.4.",
        "en": "Shell completion is not supported for Bash versions older than 4.4.",
    },
    "click.Couldn't detect Bash version, shell completion is not supported.": {
        "vi": "Không nhận ra phiên bản Bash nên không có tự hoàn thành lệnh.",
        "en": "Couldn't detect Bash version, shell completion is not supported.",
    },
    "click.word.File": {"vi": "Tệp", "en": "File"},
    "click.word.Directory": {"vi": "Thư mục", "en": "Directory"},
    "click.word.Path": {"vi": "Đường dẫn", "en": "Path"},
    "click.word.integer": {"vi": "số nguyên", "en": "integer"},
    "click.word.float": {"vi": "số", "en": "float"},
    # --- other libraries' English kept out of Vietnamese output (Alembic, Python) ---
    "store.revision.unknown": {
        "vi": "không có phiên bản lược đồ nào mang mã này",
        "en": "no schema revision has this id",
    },
    "store.revision.too_far": {
        "vi": "không có đủ số bước chuyển phiên bản theo hướng này",
        "en": "there are not that many revisions in that direction",
    },
    "store.revision.range": {
        "vi": "chỉ nhận một phiên bản, không nhận một khoảng (a:b)",
        "en": "give one revision, not a range (a:b)",
    },
    "store.revision.other": {
        "vi": "Alembic báo lỗi (thông báo gốc: `{original}`)",
        "en": "{original}",
    },
    "audit.python_problem": {
        "vi": "dữ liệu không xử lý được (mã lỗi `{kind}`, thông báo gốc: `{original}`)",
        "en": "{original} ({kind})",
    },
    # checkpoints and receipts (issue 11, item 5)
    "checkpoint.key_exists": {
        "vi": "tệp đã tồn tại; tdkt không ghi đè một khoá, hãy chọn tên khác",
        "en": "the file exists; tdkt never overwrites a key, choose another name",
    },
    "checkpoint.key_same_file": {
        "vi": "khoá bí mật và khoá công khai phải là hai tệp khác nhau",
        "en": "the private and public keys must be two different files",
    },
    "checkpoint.key_unwritable": {
        "vi": "không ghi được tệp khoá ({reason})",
        "en": "cannot write the key file ({reason})",
    },
    "checkpoint.key_missing": {
        "vi": "không tìm thấy tệp khoá; kiểm tra lại đường dẫn (tạo khoá bằng `tdkt audit keygen`)",
        "en": "no such key file; check the path (make a key with `tdkt audit keygen`)",
    },
    "checkpoint.key_unreadable": {
        "vi": "không đọc được tệp khoá ({reason})",
        "en": "cannot read the key file ({reason})",
    },
    "checkpoint.key_too_large": {
        "vi": "tệp quá lớn để là một khoá (quá {limit} byte)",
        "en": "the file is too large to be a key (over {limit} bytes)",
    },
    "checkpoint.key_is_public": {
        "vi": "đây là khoá công khai; để ký cần khoá bí mật (--key)",
        "en": "this is a public key; signing needs the private key (--key)",
    },
    "checkpoint.key_is_private": {
        "vi": "đây là khoá bí mật; để kiểm tra chỉ cần khoá công khai (--pubkey), đừng chia sẻ khoá bí mật",
        "en": "this is a private key; checking needs only the public key (--pubkey); do not share the private key",
    },
    "checkpoint.key_encrypted": {
        "vi": "khoá bí mật được mã hoá bằng mật khẩu; tdkt dùng tệp PEM không mã hoá do `tdkt audit keygen` tạo",
        "en": "the private key is encrypted with a password; tdkt uses the unencrypted PEM file `tdkt audit keygen` writes",
    },
    "checkpoint.key_invalid": {
        "vi": "tệp không phải là một khoá PEM đọc được",
        "en": "the file is not a readable PEM key",
    },
    "checkpoint.key_not_ed25519": {
        "vi": "khoá không phải Ed25519 (là {kind}); tạo khoá bằng `tdkt audit keygen`",
        "en": "the key is not Ed25519 (it is {kind}); make one with `tdkt audit keygen`",
    },
    "checkpoint.checkpoint_missing": {
        "vi": "không tìm thấy tệp điểm kiểm chứng; kiểm tra lại đường dẫn",
        "en": "no such checkpoint file; check the path",
    },
    "checkpoint.checkpoint_unreadable": {
        "vi": "không đọc được tệp điểm kiểm chứng ({reason})",
        "en": "cannot read the checkpoint file ({reason})",
    },
    "checkpoint.checkpoint_too_large": {
        "vi": "tệp quá lớn để là một điểm kiểm chứng (quá {limit} byte)",
        "en": "the file is too large to be a checkpoint (over {limit} bytes)",
    },
    "checkpoint.checkpoint_not_json": {
        "vi": "điểm kiểm chứng không phải JSON hợp lệ (thông báo gốc: `{reason}`)",
        "en": "the checkpoint is not valid JSON ({reason})",
    },
    "checkpoint.empty_log": {
        "vi": "nhật ký chưa có sự kiện nào, không có gì để ký",
        "en": "the log has no events yet: there is nothing to sign",
    },
    "checkpoint.log_has_gaps": {
        "vi": "nhật ký thiếu {count} đoạn mã sự kiện (đầu tiên ở sự kiện {first}); chạy `tdkt audit verify` và xử lý trước khi ký",
        "en": "the log has {count} gap(s) in its event ids (first at event {first}); run `tdkt audit verify` and resolve it before signing",
    },
    "checkpoint.head_fields": {
        "vi": "điểm kiểm chứng có các trường [{fields}], cần đúng [{expected}]",
        "en": "the checkpoint has the fields [{fields}]; it must have exactly [{expected}]",
    },
    "checkpoint.head_format": {
        "vi": "định dạng '{found}' không phải '{expected}'",
        "en": "format '{found}' is not '{expected}'",
    },
    "checkpoint.head_value": {
        "vi": "trường '{field}' của điểm kiểm chứng không hợp lệ",
        "en": "the checkpoint's field '{field}' is not valid",
    },
    "checkpoint.other_key": {
        "vi": "được ký bằng một khoá khác (mã khoá {found}…, khoá công khai đã cho là {expected}…)",
        "en": "signed with another key (key id {found}…; the public key given is {expected}…)",
    },
    "checkpoint.bad_signature": {
        "vi": "chữ ký không hợp lệ: nội dung đã bị sửa sau khi ký",
        "en": "the signature does not hold: the content was changed after signing",
    },
    "checkpoint.malformed": {
        "vi": "không phải một điểm kiểm chứng dùng được: {problem}",
        "en": "not a usable checkpoint: {problem}",
    },
    "checkpoint.other_origin": {
        "vi": "sự kiện 1 của nhật ký không phải sự kiện mà điểm kiểm chứng ({size} sự kiện) đã ký: kho khác, hoặc nhật ký bị dựng lại từ đầu",
        "en": "the log's event 1 is not the one this checkpoint ({size} events) signed: another store, or a log rebuilt from its start",
    },
    "checkpoint.truncated": {
        "vi": "nhật ký chỉ còn {events} sự kiện nhưng điểm kiểm chứng ký lúc {at} có {size}: phần cuối đã bị cắt",
        "en": "the log has only {events} events but the checkpoint signed at {at} has {size}: its tail was cut",
    },
    "checkpoint.rewritten": {
        "vi": "{size} sự kiện đầu không còn cho gốc Merkle đã ký lúc {at}: có sự kiện trong số đó bị sửa, xoá, chèn hoặc tính lại",
        "en": "the first {size} events no longer give the Merkle root signed at {at}: one of them was edited, removed, inserted or recomputed",
    },
    "checkpoint.last_event": {
        "vi": "mã băm của sự kiện {size} khác với mã đã ký",
        "en": "event {size}'s hash differs from the one signed",
    },
    "checkpoint.inconsistent": {
        "vi": "bằng chứng nhất quán từ {size} đến {events} sự kiện không đúng: nhật ký hiện tại không nối tiếp điểm kiểm chứng",
        "en": "the consistency proof from {size} to {events} events fails: the current log does not extend the checkpoint",
    },
    "checkpoint.id_gap": {
        "vi": "mã sự kiện nhảy cóc (lẽ ra là {expected}): có sự kiện đã bị xoá",
        "en": "the event ids skip (expected {expected}): an event was removed",
    },
    "checkpoint.needs_pubkey": {
        "vi": "--checkpoint cần --pubkey: khoá công khai mà hội đồng đã công bố",
        "en": "--checkpoint needs --pubkey: the public key the council published",
    },
    "checkpoint.pubkey_alone": {
        "vi": "--pubkey chỉ dùng kèm --checkpoint",
        "en": "--pubkey is used only with --checkpoint",
    },
    "checkpoint.receipt_needs_head": {
        "vi": "cần đúng một trong hai: --key (ký điểm kiểm chứng mới) hoặc --checkpoint (một điểm kiểm chứng đã công bố)",
        "en": "give exactly one of --key (sign a new checkpoint) or --checkpoint (a published checkpoint)",
    },
    "checkpoint.receipt_after_head": {
        "vi": "sự kiện {event_id} được ghi sau điểm kiểm chứng này ({size} sự kiện); hãy tạo điểm kiểm chứng mới",
        "en": "event {event_id} was recorded after this checkpoint ({size} events); make a new checkpoint",
    },
    "checkpoint.receipt_head_mismatch": {
        "vi": "nhật ký hiện tại không còn khớp với điểm kiểm chứng này ({size} sự kiện); chạy `tdkt audit verify --checkpoint`",
        "en": "the current log no longer matches this checkpoint ({size} events); run `tdkt audit verify --checkpoint`",
    },
    "checkpoint.receipt_missing": {
        "vi": "không tìm thấy tệp biên nhận; kiểm tra lại đường dẫn",
        "en": "no such receipt file; check the path",
    },
    "checkpoint.receipt_unreadable": {
        "vi": "không đọc được tệp biên nhận ({reason})",
        "en": "cannot read the receipt file ({reason})",
    },
    "checkpoint.receipt_too_large": {
        "vi": "biên nhận bị từ chối: lớn hơn {limit} byte",
        "en": "receipt refused: larger than {limit} bytes",
    },
    "checkpoint.receipt_not_json": {
        "vi": "biên nhận bị từ chối: không phải JSON hợp lệ (thông báo gốc: `{reason}`)",
        "en": "receipt refused: not valid JSON ({reason})",
    },
    "checkpoint.receipt_fields": {
        "vi": "biên nhận bị từ chối: có các trường [{fields}], cần đúng [{expected}]",
        "en": "receipt refused: it has the fields [{fields}]; it must have exactly [{expected}]",
    },
    "checkpoint.receipt_format": {
        "vi": "biên nhận bị từ chối: định dạng '{found}' không phải '{expected}'",
        "en": "receipt refused: format '{found}' is not '{expected}'",
    },
    "checkpoint.receipt_position": {
        "vi": "biên nhận bị từ chối: vị trí của sự kiện (leaf_index, tree_size, mã sự kiện) không khớp với điểm kiểm chứng",
        "en": "receipt refused: the event's position (leaf_index, tree_size, event id) does not match the checkpoint",
    },
    "checkpoint.receipt_proof_shape": {
        "vi": "biên nhận bị từ chối: bằng chứng phải là danh sách tối đa {limit} mã băm hex 64 ký tự",
        "en": "receipt refused: the proof must be a list of at most {limit} hashes of 64 hex characters",
    },
    "checkpoint.receipt_event_shape": {
        "vi": "biên nhận bị từ chối: dòng sự kiện phải có event, prev_hash và hash (hex 64 ký tự)",
        "en": "receipt refused: the event line needs event, prev_hash and hash (64 hex characters)",
    },
    "checkpoint.receipt_event_hash": {
        "vi": "biên nhận bị từ chối: nội dung sự kiện cho mã băm {found}…, không phải {expected}… (sự kiện đã bị sửa)",
        "en": "receipt refused: the event's content hashes to {found}…, not {expected}… (the event was changed)",
    },
    "checkpoint.receipt_not_recorded": {
        "vi": "biên nhận bị từ chối: sự kiện không phải là sự kiện ghi nhận một quyết định",
        "en": "receipt refused: the event is not the recording of a decision",
    },
    "checkpoint.receipt_part_missing": {
        "vi": "biên nhận bị từ chối: thiếu '{part}' hoặc mã băm của nó trong sự kiện",
        "en": "receipt refused: '{part}' or the event's hash of it is missing",
    },
    "checkpoint.receipt_part_hash": {
        "vi": "biên nhận bị từ chối: '{part}' không khớp với mã băm mà sự kiện ghi (đã bị sửa)",
        "en": "receipt refused: '{part}' does not match the hash the event names (it was changed)",
    },
    "checkpoint.receipt_not_included": {
        "vi": "biên nhận bị từ chối: bằng chứng không dẫn tới gốc Merkle đã ký của {size} sự kiện",
        "en": "receipt refused: the proof does not lead to the signed Merkle root of {size} events",
    },
    "checkpoint.keygen_done": {
        "vi": "Đã tạo khoá Ed25519 (mã khoá {key_id}).\nKhoá bí mật: {private} (chỉ chủ sở hữu đọc được; giữ ngoài máy chủ cơ sở dữ liệu)\nKhoá công khai: {public} (công bố cùng biên bản hội đồng)",
        "en": "Made an Ed25519 key (key id {key_id}).\nPrivate key: {private} (owner-only; keep it off the database server)\nPublic key: {public} (publish it with the council's minutes)",
    },
    "checkpoint.written": {
        "vi": "Đã ghi điểm kiểm chứng của {size} sự kiện vào {path} (gốc {root})",
        "en": "Wrote the checkpoint of {size} events to {path} (root {root})",
    },
    "checkpoint.verified": {
        "vi": "Điểm kiểm chứng {file} ({size} sự kiện, ký lúc {at}): chữ ký đúng, nhật ký {events} sự kiện hiện tại nối tiếp nó (bằng chứng nhất quán đã kiểm tra)",
        "en": "Checkpoint {file} ({size} events, signed at {at}): signature valid, the current log of {events} events extends it (consistency proof checked)",
    },
    "checkpoint.receipt_written": {
        "vi": "Đã ghi biên nhận của quyết định {decision} (sự kiện {event}) vào {path}",
        "en": "Wrote the receipt of decision {decision} (event {event}) to {path}",
    },
    "checkpoint.receipt_ok": {
        "vi": "Biên nhận hợp lệ. Đã chứng minh:\n- sự kiện {event} (mã băm {hash}) đúng như đã băm, cùng {parts} của nó;\n- quyết định {decision}: hồ sơ {nominee} ({name}), kỳ {period}, kết quả khi ghi nhận: {outcome};\n- sự kiện nằm ở vị trí {event} trong {size} sự kiện đầu của nhật ký có gốc Merkle {root};\n- gốc đó được ký lúc {at} bằng khoá {key_id}… (khoá công khai đã cho).\nBiên nhận không cho biết các điều chỉnh ghi sau đó; xem `tdkt audit show`.",
        "en": "The receipt holds. Proven:\n- event {event} (hash {hash}) is exactly as hashed, with its {parts};\n- decision {decision}: nominee {nominee} ({name}), period {period}, outcome as recorded: {outcome};\n- the event is number {event} of the first {size} events of the log whose Merkle root is {root};\n- that root was signed at {at} with key {key_id}… (the public key given).\nThe receipt says nothing of later overrides; see `tdkt audit show`.",
    },
    "checkpoint.receipt_unchecked": {
        "vi": "Không được chứng minh (sự kiện không ghi mã băm): {parts}",
        "en": "Not proven (the event names no hash for them): {parts}",
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


def pydantic_problem(prefix: str, error: Any) -> str:
    """A pydantic error in both languages from ``<prefix>.<error type>`` in the catalogue
    (for a type the catalogue lacks, a Vietnamese sentence quoting pydantic's English as a
    code, so no English sentence reaches Vietnamese output)."""
    key = f"{prefix}.{error['type']}"
    if key not in MESSAGES:
        original = str(error["msg"])
        return both("value_problem.other", type=str(error["type"]),
                    original=original if len(original) <= 160 else original[:159] + "…")
    context = {name: str(value) for name, value in (error.get("ctx") or {}).items()}
    return Bilingual({lang: message(key, lang, **context) for lang in LANGUAGES})


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` (in both languages) for the closest candidate, or ``""``."""
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    if not close:
        return ""
    return Bilingual({lang: message("expr.did_you_mean", lang, suggestion=close[0])
                      for lang in LANGUAGES})


def both(key: str, /, **params: Any) -> str:
    """A catalogue sentence to pass on as a parameter, rendered later in either language."""
    return Bilingual({lang: message(key, lang, **params) for lang in LANGUAGES})
