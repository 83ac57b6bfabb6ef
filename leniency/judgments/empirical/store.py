"""Where the trained empirical model lives: ``var_dir()/models`` (runtime state, never in git)."""

from __future__ import annotations

import logging
from pathlib import Path

from leniency.config.env import var_dir

MODEL_NAME = "empirical.pkl"
log = logging.getLogger(__name__)


def models_dir() -> Path:
    path = var_dir() / "models"
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_model_path() -> Path:
    return models_dir() / MODEL_NAME


def load_default_model():
    """The trained model, or None when absent or unreadable (the platform then answers with the rules only)."""
    from leniency.judgments.empirical.model import EmpiricalModel

    path = default_model_path()
    if not path.exists():
        return None
    try:
        return EmpiricalModel.load(path)
    except Exception as exc:  # a stale model must not take the rules down with it
        log.warning("经验模型 %s 无法加载（%s），仅使用规则", path, exc)
        return None
