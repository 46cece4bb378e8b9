"""Write the example period of one unit: ``nominees.json`` and ``history.json``.

UBND xã Tân Dĩnh, tỉnh Bắc Ninh (until 2025-06-30 a commune of huyện Lạng Giang, tỉnh
Bắc Giang), period 2025: 40 people and 3 collectives (phòng thuộc UBND xã), each record
naming the titles it is put forward for, and five years (2020–2024) of title history, with
a few older rows for the long chains (Bằng khen tỉnh → Bằng khen Thủ tướng → Huân chương
Lao động hạng Ba) and one discipline. Every value is written out below, nothing is
random, so the output is the same on every run::

    python examples/period-2025/make_period.py          # rewrite the two files
    python examples/period-2025/make_period.py --check  # exit 1 if they are out of date

Standard library only. The cases a council would look at, with the outcome each should get
(``EXPECTED`` below; ``tests/unit/test_law_period.py`` checks them):

* TD-CN-001: Chiến sĩ thi đua cơ sở 2022, 2023, 2024 and a province-wide initiative →
  Chiến sĩ thi đua tỉnh ``dat``;
* TD-CN-011: Chiến sĩ thi đua cơ sở 2021, 2023, 2024 (gap in 2022) → Chiến sĩ thi đua
  tỉnh ``khong_dat``, but Bằng khen tỉnh ``dat`` (two in a row, 2023–2024);
* TD-CN-024: Chiến sĩ thi đua cơ sở 2020, 2022, 2023, 2024 and a khiển trách decided in
  2021 that ended on 2022-03-31: the streak counts from 2023, so 2 → Chiến sĩ thi đua tỉnh
  ``khong_dat`` (without the discipline it would be 3);
* TD-CN-002: a complaint being verified → Chiến sĩ thi đua cơ sở and Lao động tiên tiến
  (2025.2) ``hoan_xet``; a member of TD-TT-03, not TD-TT-01, so TD-TT-01's exactly-70 %
  case does not depend on it;
* TD-CN-040: under disciplinary consideration → Lao động tiên tiến ``hoan_xet``;
* TD-TT-01: 7 of 10 members Lao động tiên tiến (exactly 70 %) and a Chiến sĩ thi đua cơ
  sở → Tập thể lao động xuất sắc ``dat``;
* TD-TT-02: 9 of 13 (69.2 %) → Tập thể lao động xuất sắc ``khong_dat`` on the ratio alone;
* TD-TT-03: rated "hoàn thành tốt" → Tập thể lao động xuất sắc ``khong_dat``, Tập thể lao
  động tiên tiến (Bắc Ninh, ≥ 70 %, 10 of 12: TD-CN-002 is deferred) ``dat``;
* TD-CN-036 / 037: Bằng khen tỉnh 2019 / 2021, then three Chiến sĩ thi đua cơ sở → Bằng
  khen Thủ tướng ``dat`` / ``khong_dat`` (only 3 whole years since);
* TD-CN-038 / 039: Bằng khen Thủ tướng 2019 / 2021 → Huân chương Lao động hạng Ba ``dat`` /
  ``khong_dat``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PERIOD = 2025
UNIT = "UBND xã Tân Dĩnh, tỉnh Bắc Ninh"

LDTT = "lao-dong-tien-tien"
CSTDCS = "chien-si-thi-dua-co-so"
CSTD_TINH = "chien-si-thi-dua-tinh"
BKT = "bang-khen-chu-tich-tinh"
BKTTG = "bang-khen-thu-tuong"
HCLD3 = "huan-chuong-lao-dong-hang-ba"
TTLDXS = "tap-the-lao-dong-xuat-sac"
TTLDTT = "tap-the-lao-dong-tien-tien"
TTLDTT_BN = "tap-the-lao-dong-tien-tien-bac-ninh"

HTXS, HTT, HT = "hoan_thanh_xuat_sac", "hoan_thanh_tot", "hoan_thanh"

# --- the people -----------------------------------------------------------------------------
# (number, name, rating 2025, titles beyond Lao động tiên tiến, extra facts, achievements)
# Everyone is put forward for Lao động tiên tiến.

NAMES = [
    "Nguyễn Văn An", "Trần Thị Bích", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Đức",
    "Vũ Thị Hà", "Đặng Văn Hải", "Bùi Thị Hạnh", "Đỗ Văn Hùng", "Ngô Thị Hương",
    "Dương Văn Khánh", "Lý Thị Lan", "Đinh Văn Long", "Mai Thị Mai", "Trịnh Văn Minh",
    "Phan Thị Nga", "Hồ Văn Nam", "Chu Thị Ngọc", "Lương Văn Phong", "Tạ Thị Phương",
    "Nguyễn Văn Quang", "Trần Thị Quyên", "Lê Văn Sơn", "Phạm Thị Thảo", "Hoàng Văn Thắng",
    "Vũ Thị Thu", "Đặng Văn Tiến", "Bùi Thị Trang", "Đỗ Văn Trung", "Ngô Thị Uyên",
    "Dương Văn Việt", "Lý Thị Xuân", "Đinh Văn Yên", "Mai Thị Yến", "Trịnh Văn Bảo",
    "Nguyễn Văn Thành", "Trần Văn Lực", "Lê Thị Hòa", "Phạm Văn Tuấn", "Hoàng Thị Vân",
]


def person_id(number: int) -> str:
    return f"TD-CN-{number:03d}"


#: number -> (rating, other titles, extra facts, achievements). Not listed: rated hoàn
#: thành tốt, Lao động tiên tiến only.
SPECIAL: dict[int, tuple[str, list[str], dict[str, Any], list[dict[str, Any]]]] = {
    # Văn phòng HĐND và UBND xã (TD-TT-01, with 27 in place of 2)
    1: (HTXS, [CSTD_TINH], {"province_initiatives": 1, "province_research": 0},
        [{"id": "SK-TD-2025-01", "kind": "sang_kien", "period": 2025,
          "description": "Sáng kiến \"Số hóa hồ sơ một cửa cấp xã\", được Chủ tịch Ủy ban "
                         "nhân dân tỉnh công nhận áp dụng hiệu quả, có khả năng nhân rộng "
                         "trong tỉnh"}]),
    # TD-TT-03 (see COLLECTIVES)
    2: (HTXS, [CSTDCS], {"initiatives_recognized": 0, "research_accepted": False,
                         "pending_complaint": True}, []),
    3: (HTT, [CSTDCS], {"initiatives_recognized": 1, "research_accepted": False},
        [{"id": "SK-TD-2025-02", "kind": "sang_kien", "period": 2025,
          "description": "Sáng kiến \"Quy trình tiếp nhận hồ sơ đất đai trực tuyến\", được "
                         "Hội đồng sáng kiến cơ sở công nhận"}]),
    8: (HT, [], {}, []), 9: (HT, [], {}, []), 10: (HT, [], {}, []),
    # Phòng Kinh tế (TD-TT-02)
    11: (HTXS, [CSTD_TINH, BKT], {"province_initiatives": 1, "province_research": 0,
                                  "consecutive_years_outstanding": 1,
                                  "base_initiatives_in_window": 0,
                                  "base_research_in_window": 0}, []),
    12: (HTXS, [CSTDCS, BKT], {"initiatives_recognized": 0, "research_accepted": False,
                               "consecutive_years_outstanding": 2,
                               "base_initiatives_in_window": 0,
                               "base_research_in_window": 0}, []),
    13: (HTT, [CSTDCS], {"initiatives_recognized": 0, "research_accepted": False}, []),
    20: (HTT, [], {"disciplined": True}, []),
    21: (HT, [], {}, []), 22: (HT, [], {}, []), 23: (HT, [], {}, []),
    # Phòng Văn hóa - Xã hội (TD-TT-03, with 2 in place of 27)
    24: (HTXS, [CSTDCS, CSTD_TINH], {"initiatives_recognized": 0, "research_accepted": False,
                                     "province_initiatives": 0, "province_research": 1}, []),
    25: (HTXS, [BKT], {"consecutive_years_outstanding": 2, "base_initiatives_in_window": 2,
                       "base_research_in_window": 0},
         [{"id": "SK-TD-2024-07", "kind": "sang_kien", "period": 2024,
           "description": "Sáng kiến \"Sổ theo dõi người có công điện tử\", được công nhận "
                          "và áp dụng có hiệu quả trong phạm vi cơ sở"},
          {"id": "SK-TD-2025-03", "kind": "sang_kien", "period": 2025,
           "description": "Sáng kiến \"Bản đồ số di tích trên địa bàn xã\", được công nhận "
                          "và áp dụng có hiệu quả trong phạm vi cơ sở"}]),
    26: (HTT, [CSTDCS], {"initiatives_recognized": 0, "research_accepted": True},
         [{"id": "DT-TD-2025-01", "kind": "de_tai_khoa_hoc", "period": 2025,
           "description": "Đề tài khoa học cấp cơ sở về chuyển đổi số trong quản lý văn hóa "
                          "xã, đã được nghiệm thu"}]),
    35: (HT, [], {}, []),
    # Lãnh đạo Ủy ban nhân dân xã (no collective)
    36: (HTXS, [CSTDCS, BKTTG], {"initiatives_recognized": 0, "research_accepted": False,
                                 "years_good_since_provincial_merit": 5}, []),
    37: (HTXS, [BKTTG], {"years_good_since_provincial_merit": 3}, []),
    38: (HTXS, [HCLD3], {"years_good_since_pm_merit": 5,
                         "years_outstanding_since_pm_merit": 2}, []),
    39: (HTXS, [HCLD3], {"years_good_since_pm_merit": 3,
                         "years_outstanding_since_pm_merit": 1}, []),
    40: (HTT, [], {"under_discipline_review": True}, []),
}

#: The titles whose records carry the other deferral facts of NĐ 152/2025 Điều 4 k4.
NEW_DEFERRALS = {LDTT, CSTDCS, CSTD_TINH, BKT, BKTTG, HCLD3, TTLDXS}
#: Titles whose records state "disciplined" (a gate of theirs).
DISCIPLINE_GATE = {LDTT, CSTD_TINH, BKT, BKTTG, HCLD3}

#: TD-CN-002 (a complaint being verified, so Lao động tiên tiến ``hoan_xet``) works in
#: TD-TT-03 and TD-CN-027 in TD-TT-01: TD-TT-01's 7 of 10 must not rest on a deferred person.
COLLECTIVES: list[tuple[str, str, list[int]]] = [
    ("TD-TT-01", "Văn phòng HĐND và UBND xã Tân Dĩnh", [1, *range(3, 11), 27]),
    ("TD-TT-02", "Phòng Kinh tế xã Tân Dĩnh", list(range(11, 24))),
    ("TD-TT-03", "Phòng Văn hóa - Xã hội xã Tân Dĩnh", [2, 24, 25, 26, *range(28, 36)]),
]


def person(number: int) -> dict[str, Any]:
    rating, more, extra, achievements = SPECIAL.get(number, (HTT, [], {}, []))
    titles = [LDTT, *more]
    facts: dict[str, Any] = {"rating": rating, "disciplined": False,
                             "under_discipline_review": False}
    if NEW_DEFERRALS & set(titles):
        facts |= {"under_investigation": False, "pending_complaint": False}
    facts |= extra
    record: dict[str, Any] = {"id": person_id(number), "name": NAMES[number - 1],
                              "subject": "ca_nhan", "unit": UNIT, "period": PERIOD,
                              "titles": titles, "facts": facts}
    if achievements:
        record["achievements"] = achievements
    return record


def holds_ldtt(record: dict[str, Any]) -> bool:
    """Lao động tiên tiến 2025.2: rated hoàn thành tốt or better, not disciplined, and
    deferred on none of the grounds of Nghị định 152/2025 Điều 4 khoản 4."""
    facts = record["facts"]
    return (facts["rating"] in (HTXS, HTT) and not facts["disciplined"]
            and not facts["under_discipline_review"]
            and not facts.get("under_investigation", False)
            and not facts.get("pending_complaint", False))


def collective(ident: str, name: str, numbers: list[int], people: dict[int, dict[str, Any]]
               ) -> dict[str, Any]:
    members = [person_id(n) for n in numbers]
    facts: dict[str, Any] = {
        "unit_rating": HTT if ident == "TD-TT-03" else HTXS,
        # every member completed their tasks (rated hoàn thành or better)
        "members_completed_tasks": len(members),
        "under_discipline_review": False, "under_investigation": False,
        "pending_complaint": False,
    }
    titles = [TTLDXS]
    if ident == "TD-TT-03":
        # Tập thể lao động tiên tiến (Bắc Ninh) does not derive from members: its counts
        # are stated, and agree with the members' own records.
        titles.append(TTLDTT_BN)
        facts |= {"members_total": len(members),
                  "members_ldtt": sum(holds_ldtt(people[n]) for n in numbers),
                  "members_disciplined_warning_or_above": 0}
    return {"id": ident, "name": name, "subject": "tap_the", "unit": UNIT, "period": PERIOD,
            "level": "phong", "members": members, "titles": titles, "facts": facts}


def nominees() -> list[dict[str, Any]]:
    people = {n: person(n) for n in range(1, 41)}
    return [*people.values(), *(collective(i, name, numbers, people)
                                for i, name, numbers in COLLECTIVES)]


# --- the history ------------------------------------------------------------------------------
#: One decision per title and year for the whole commune (as a council issues them). Until
#: 2025-06-30 the district chair (huyện Lạng Giang) decided LĐTT and CSTĐCS; the province of
#: Bắc Giang decided Bằng khen tỉnh and Tập thể lao động xuất sắc.
DECISIONS = {
    LDTT: {2020: ("112/QĐ-UBND", "2021-01-14"), 2021: ("95/QĐ-UBND", "2022-01-13"),
           2022: ("120/QĐ-UBND", "2023-01-12"), 2023: ("87/QĐ-UBND", "2024-01-16"),
           2024: ("101/QĐ-UBND", "2025-01-15")},
    CSTDCS: {2020: ("113/QĐ-UBND", "2021-01-14"), 2021: ("96/QĐ-UBND", "2022-01-13"),
             2022: ("121/QĐ-UBND", "2023-01-12"), 2023: ("88/QĐ-UBND", "2024-01-16"),
             2024: ("102/QĐ-UBND", "2025-01-15")},
    TTLDTT: {2022: ("122/QĐ-UBND", "2023-01-12"), 2023: ("89/QĐ-UBND", "2024-01-16"),
             2024: ("103/QĐ-UBND", "2025-01-15")},
    TTLDXS: {2023: ("215/QĐ-UBND", "2024-02-20"), 2024: ("198/QĐ-UBND", "2025-02-18")},
}
ISSUER = {LDTT: "huyen", CSTDCS: "huyen", TTLDTT: "huyen", TTLDXS: "tinh"}

#: Chiến sĩ thi đua cơ sở by person (the cases above and a few ordinary ones).
CSTDCS_YEARS = {
    1: [2022, 2023, 2024], 5: [2021], 11: [2021, 2023, 2024], 12: [2023, 2024],
    16: [2020, 2021], 24: [2020, 2022, 2023, 2024], 28: [2022],
    36: [2020, 2022, 2024], 37: [2022, 2023, 2024], 38: [2020, 2021, 2023],
    39: [2022, 2023, 2024],
}
#: Lao động tiên tiến: every year 2020–2024, except these.
LDTT_MISSING = {24: [2021], 33: [2020, 2021, 2022], 34: [2020, 2021, 2022], 21: [2022]}

OLDER_AWARDS = [
    # Bằng khen của Chủ tịch UBND tỉnh Bắc Giang (before the merger), công trạng
    {"subject": person_id(36), "title": BKT, "period": 2019,
     "decision_number": "2135/QĐ-UBND", "decided_on": "2019-12-20", "issuer_level": "tinh"},
    {"subject": person_id(37), "title": BKT, "period": 2021,
     "decision_number": "1987/QĐ-UBND", "decided_on": "2021-12-17", "issuer_level": "tinh"},
    {"subject": person_id(38), "title": BKT, "period": 2012,
     "decision_number": "1650/QĐ-UBND", "decided_on": "2012-12-21", "issuer_level": "tinh"},
    {"subject": person_id(39), "title": BKT, "period": 2014,
     "decision_number": "1702/QĐ-UBND", "decided_on": "2014-12-19", "issuer_level": "tinh"},
    # Bằng khen của Thủ tướng Chính phủ
    {"subject": person_id(38), "title": BKTTG, "period": 2019,
     "decision_number": "1567/QĐ-TTg", "decided_on": "2019-11-08", "issuer_level": "trung_uong"},
    {"subject": person_id(39), "title": BKTTG, "period": 2021,
     "decision_number": "2210/QĐ-TTg", "decided_on": "2021-12-24", "issuer_level": "trung_uong"},
]

DISCIPLINE = {"subject": person_id(24), "discipline": "khien_trach", "period": 2021,
              "ends": "2022-03-31", "decision_number": "45/QĐ-UBND",
              "decided_on": "2021-09-30"}


def award(subject: str, title: str, year: int) -> dict[str, Any]:
    number, day = DECISIONS[title][year]
    return {"subject": subject, "title": title, "period": year, "decision_number": number,
            "decided_on": day, "issuer_level": ISSUER[title]}


def history() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = list(OLDER_AWARDS)
    for number in range(1, 41):
        subject = person_id(number)
        for year in range(2020, 2025):
            if year not in LDTT_MISSING.get(number, []):
                rows.append(award(subject, LDTT, year))
            if year in CSTDCS_YEARS.get(number, []):
                rows.append(award(subject, CSTDCS, year))
    rows.append(DISCIPLINE)
    rows += [award("TD-TT-01", TTLDXS, 2023), award("TD-TT-01", TTLDXS, 2024)]
    rows += [award("TD-TT-03", TTLDTT, year) for year in (2022, 2023, 2024)]
    return rows


# --- what a run should decide --------------------------------------------------------------------

EXPECTED: dict[tuple[str, str], str] = {
    **{(person_id(n), LDTT): "dat" for n in range(1, 41)},
    **{(person_id(n), LDTT): "khong_dat" for n in (8, 9, 10, 20, 21, 22, 23, 35)},
    (person_id(2), LDTT): "hoan_xet",
    (person_id(40), LDTT): "hoan_xet",
    (person_id(1), CSTD_TINH): "dat",
    (person_id(2), CSTDCS): "hoan_xet",
    (person_id(3), CSTDCS): "dat",
    (person_id(11), CSTD_TINH): "khong_dat",
    (person_id(11), BKT): "dat",
    (person_id(12), CSTDCS): "dat",
    (person_id(12), BKT): "dat",
    (person_id(13), CSTDCS): "khong_dat",
    (person_id(24), CSTDCS): "dat",
    (person_id(24), CSTD_TINH): "khong_dat",
    (person_id(25), BKT): "dat",
    (person_id(26), CSTDCS): "dat",
    (person_id(36), CSTDCS): "dat",
    (person_id(36), BKTTG): "dat",
    (person_id(37), BKTTG): "khong_dat",
    (person_id(38), HCLD3): "dat",
    (person_id(39), HCLD3): "khong_dat",
    ("TD-TT-01", TTLDXS): "dat",
    ("TD-TT-02", TTLDXS): "khong_dat",
    ("TD-TT-03", TTLDXS): "khong_dat",
    ("TD-TT-03", TTLDTT_BN): "dat",
}


def render(rows: list[dict[str, Any]]) -> str:
    """One record per line inside a JSON array: diffable, and still plain JSON."""
    lines = [json.dumps(row, ensure_ascii=False) for row in rows]
    return "[\n" + ",\n".join(lines) + "\n]\n"


def outputs() -> dict[Path, str]:
    return {HERE / "nominees.json": render(nominees()), HERE / "history.json": render(history())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if the committed files differ from what this writes")
    args = parser.parse_args(argv)
    stale = []
    for path, text in outputs().items():
        if args.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(path.name)
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print("out of date: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
