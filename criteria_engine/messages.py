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
        "en": "every gate passes and the total {points} ≥ {minimum}",
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
        "vi": "cơ sở dữ liệu có bảng nhưng không có phiên bản lược đồ tdkt; đây không phải kho quyết định tdkt, chọn --db khác",
        "en": "the database has tables but no tdkt schema revision; it is not a tdkt decision store, choose another --db",
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
        "vi": "'{url}' không phải địa chỉ cơ sở dữ liệu; dùng đường dẫn tệp hoặc postgresql+psycopg://người-dùng@máy:cổng/tên",
        "en": "'{url}' is not a database address; use a file path or postgresql+psycopg://user@host:port/name",
    },
    "store.unsupported": {
        "vi": "không hỗ trợ cơ sở dữ liệu '{scheme}'; dùng SQLite (đường dẫn tệp) hoặc PostgreSQL",
        "en": "'{scheme}' databases are not supported; use SQLite (a file path) or PostgreSQL",
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
        "vi": "Toàn vẹn: {events} sự kiện, {decisions} quyết định (xét lại {replayed} bằng bộ máy {engine}, kết quả trùng khớp), {rules} tệp quy tắc. Đầu chuỗi: sự kiện {head_id}, {head_hash}",
        "en": "Intact: {events} events, {decisions} decisions ({replayed} replayed with engine {engine}, all the same), {rules} rule files. Chain head: event {head_id}, {head_hash}",
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
        "vi": "{records} hồ sơ, {decisions} quyết định: {dat} đạt, {khong_dat} không đạt, {thieu} thiếu dữ liệu, {trung} trùng thành tích; {bad} hồ sơ lỗi",
        "en": "{records} records, {decisions} decisions: {dat} meet, {khong_dat} do not, {thieu} missing data, {trung} already rewarded; {bad} invalid records",
    },
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
    # value types named in record problems
    "value_type.boolean": {"vi": "true hoặc false", "en": "true or false"},
    "value_type.integer": {"vi": "một số nguyên", "en": "a whole number"},
    "value_type.number": {"vi": "một số", "en": "a number"},
    # citations
    "cite.article": {"vi": "Điều {value}", "en": "Art. {value}"},
    "cite.clause": {"vi": "khoản {value}", "en": "cl. {value}"},
    "cite.point": {"vi": "điểm {value}", "en": "pt. {value}"},
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
    (pydantic's own English sentence when the catalogue has no entry for that type)."""
    key = f"{prefix}.{error['type']}"
    if key not in MESSAGES:
        return str(error["msg"])
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
