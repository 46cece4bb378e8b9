"""Shared test settings: hypothesis profiles and the PostgreSQL switch.

``HYPOTHESIS_PROFILE=ci`` (set by ``.ci/run``) derandomises hypothesis so a red
run replays exactly. ``TDKT_TEST_POSTGRES_URL`` asks for the PostgreSQL half of
the store tests: when it is set and the server cannot be reached, those tests
fail rather than skip.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", derandomize=True, max_examples=150, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile("thorough", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
