"""sti-plan: track a government S&T plan's targets against reported actuals.

The public API, loaded on first use so that `sti-plan --version` stays instant:

    from sti_plan import (
        analyse_gap, assess, bundled_plan_path, load_actuals, load_plan, validate_files
    )
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_API = {
    "load_plan": "sti_plan.plan_file",
    "bundled_plan_path": "sti_plan.plan_file",
    "load_actuals": "sti_plan.actuals",
    "assess": "sti_plan.progress",
    "analyse_gap": "sti_plan.progress",
    "validate_files": "sti_plan.validation",
}
__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    if name in _API:
        return getattr(import_module(_API[name]), name)
    raise AttributeError(f"module 'sti_plan' has no attribute {name!r}")
