"""The boundary around ingest/: outside it, only the public face `ingest.api` is imported.

Also pins what the face promises: every public name resolves to the object its home module
defines, and importing the face loads no heavy library (Chroma, torch) and changes no environment.
"""

from __future__ import annotations

import ast
import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

import ingest.api

ROOT = Path(__file__).resolve().parent.parent
OUTSIDE_INGEST = ("assistant", "ui", "eval")  # the product's other packages
FACE = "ingest.api"


def ingest_imports(source: str) -> list[tuple[int, str]]:
    """(line, module) of every import of an `ingest` module other than the face in `source`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            # `from ingest import index` reaches a module as surely as `import ingest.index`.
            if node.module == "ingest":
                modules = [f"ingest.{alias.name}" for alias in node.names]
            else:
                modules = [node.module]
        else:
            continue
        found += [
            (node.lineno, m) for m in modules if (m == "ingest" or m.startswith("ingest.")) and m != FACE
        ]
    return found


def product_modules() -> list[Path]:
    return sorted(p for package in OUTSIDE_INGEST for p in (ROOT / package).rglob("*.py"))


def test_outside_ingest_only_the_face_is_imported() -> None:
    modules = product_modules()
    assert len(modules) > 50  # the packages were found (assistant alone holds more)
    breaches = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in modules
        for line, module in ingest_imports(path.read_text(encoding="utf-8"))
    ]
    assert not breaches, "import these names from ingest.api instead:\n" + "\n".join(breaches)


@pytest.mark.parametrize(
    "source, expected",
    [
        ("from ingest.index import StructuredIndex\n", [(1, "ingest.index")]),
        ("import ingest.store\n", [(1, "ingest.store")]),
        ("from ingest import catalog\n", [(1, "ingest.catalog")]),
        ("def f():\n    from ingest.records import Record\n", [(2, "ingest.records")]),
        ("from ingest.api import StructuredIndex\nimport ingestion\n", []),
        ("from . import index\n", []),
    ],
)
def test_the_check_catches_every_form_of_import(source: str, expected: list[tuple[int, str]]) -> None:
    assert ingest_imports(source) == expected


def test_every_public_name_is_its_home_modules_object() -> None:
    assert set(ingest.api._HOME) == set(ingest.api.__all__)
    for name, home in ingest.api._HOME.items():
        assert getattr(ingest.api, name) is getattr(importlib.import_module(home), name), name
    with pytest.raises(AttributeError, match="parse_catalogs"):
        ingest.api.parse_catalogs  # noqa: B018 - a parser helper is not part of the face


def _python(code: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_importing_the_face_loads_no_store_library_and_leaves_the_environment() -> None:
    clean = {k: v for k, v in os.environ.items() if k not in ("HF_HUB_OFFLINE", "ANONYMIZED_TELEMETRY")}
    out = _python(
        "import os, sys; import ingest.api; from ingest.api import Settings, load_settings;"
        "print(sorted(m for m in ('chromadb', 'torch', 'pdfplumber') if m in sys.modules),"
        " os.environ.get('HF_HUB_OFFLINE'))",
        clean,
    )
    assert out == "[] None"


def test_entry_points_set_the_offline_environment_without_overriding_a_choice() -> None:
    clean = {k: v for k, v in os.environ.items() if k not in ("HF_HUB_OFFLINE", "ANONYMIZED_TELEMETRY")}
    code = (
        "import os; from ingest.api import set_offline_environment; set_offline_environment();"
        "print(os.environ['HF_HUB_OFFLINE'], os.environ['ANONYMIZED_TELEMETRY'])"
    )
    assert _python(code, clean) == "1 False"
    assert _python(code, {**clean, "HF_HUB_OFFLINE": "0"}) == "0 False"


def test_every_expected_error_shares_the_one_base() -> None:
    from assistant.fake_chat import ScriptError
    from assistant.llm_composer import LLMBackendError
    from assistant.question_check import QuestionTimeout
    from eval.report import PreviousReportError
    from eval.testset import TestSetError
    from ingest.api import BudgetQAError, EmbedderError, IngestError, SettingsError, StoreError
    from ui.web.charts import FontMissingError

    expected = [
        EmbedderError,
        IngestError,
        SettingsError,
        StoreError,
        LLMBackendError,
        ScriptError,
        QuestionTimeout,
        PreviousReportError,
        TestSetError,
        FontMissingError,
    ]
    assert [e.__name__ for e in expected if not issubclass(e, BudgetQAError)] == []
    # callers that caught the old built-in bases still catch them
    assert issubclass(EmbedderError, ValueError) and issubclass(StoreError, RuntimeError)
