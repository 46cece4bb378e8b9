"""The store's public API and its place in the architecture: only it knows SQL."""

from __future__ import annotations

import subprocess
import sys
import types

import criteria_engine.store as store
from tests.common import ROOT


def test_all_is_importable_and_complete() -> None:
    names = list(store.__all__)
    assert len(names) == len(set(names))
    for name in names:
        assert getattr(store, name, None) is not None, name
    public = {name for name, value in vars(store).items()
              if not name.startswith("_") and not isinstance(value, types.ModuleType)
              and getattr(value, "__module__", "criteria_engine.store").startswith(
                  "criteria_engine")}
    assert public <= set(names) | {"annotations", "Database", "TYPE_CHECKING"}


def test_the_engine_does_not_load_sqlalchemy() -> None:
    code = ("import sys, criteria_engine, criteria_engine.batch, criteria_engine.report; "
            "print(any(m.split('.')[0] in ('sqlalchemy', 'alembic') for m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    assert result.stdout.strip() == "False"


def test_sql_lives_only_in_the_store() -> None:
    for path in (ROOT / "criteria_engine").rglob("*.py"):
        if "store" in path.relative_to(ROOT / "criteria_engine").parts:
            continue
        text = path.read_text(encoding="utf-8")
        assert "sqlalchemy" not in text and "sqlite3" not in text, path
