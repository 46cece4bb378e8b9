"""The public API is exactly ``criteria_engine.__all__``: sorted, importable, complete."""

from __future__ import annotations

import types

import criteria_engine


def test_all_is_sorted_without_repeats() -> None:
    names = list(criteria_engine.__all__)
    assert names == sorted(names)
    assert len(names) == len(set(names))


def test_every_exported_name_is_importable() -> None:
    for name in criteria_engine.__all__:
        assert getattr(criteria_engine, name, None) is not None, name


def test_every_public_name_of_the_package_is_exported() -> None:
    public = {
        name for name, value in vars(criteria_engine).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert public <= set(criteria_engine.__all__)


def test_exported_objects_belong_to_the_package() -> None:
    for name in criteria_engine.__all__:
        module = getattr(getattr(criteria_engine, name), "__module__", "criteria_engine")
        assert module.startswith("criteria_engine"), (name, module)
