"""Scripted test sets: JSONL or YAML files in → `TestCase` objects out.

JSONL (DESIGN.md): one JSON object a line with `id`, `question` and any of `figures` (expected numbers as
strings, optionally with a unit: "4.70", "4.70万元", "97.32%"), `unit`, `codes`, `must` (key phrases, `a|b`
for alternatives), `answer` (reference text), `category` (any name), `doc` (a department, title or file name,
or a list of them). A case whose category is `unanswerable` expects a refusal. Other keys (`source`,
`style`, …) are kept for people in `TestCase.extra`; a key that looks like a misspelt scored key is an error.
A case with nothing that can be scored loads fine: the scorer reports it as unscored.
A line without `id` whose `corpus` key holds `{"path": …, "files": {file name: sha256}}` declares where the
set's documents come from when they are not bundled (`CorpusSource`): `budgetqa eval` checks that the
store holds them before asking anything.
YAML: a list of the same mappings, or a mapping whose `cases` key holds that list.
Errors name the file and the line of the offending case.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from eval.figures import parse_expected
from ingest.api import BudgetQAError

UNANSWERABLE = "unanswerable"
DEFAULT_CATEGORY = "other"
SCORED_KEYS = ("id", "question", "figures", "unit", "codes", "must", "answer", "category", "doc")


class TestSetError(BudgetQAError, ValueError):
    """A test set file that cannot be read; the message names the file, the line and the fix."""

    __test__ = False  # not a pytest test class


@dataclass(frozen=True)
class TestCase:
    """One scripted question and what a correct answer must contain."""

    __test__ = False  # not a pytest test class

    id: str
    question: str
    category: str = DEFAULT_CATEGORY
    figures: tuple[str, ...] = ()
    unit: str = ""
    codes: tuple[str, ...] = ()
    must: tuple[str, ...] = ()  # key phrases the answer must contain, "a|b" for alternatives
    answer: str = ""  # reference text, shown in reports; names the service of a code → service case
    doc: tuple[str, ...] = ()  # expected documents: each must be cited (title or file name)
    origin: str = field(default="", compare=False)  # "file:line" the case was read from
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)  # keys for people

    def __post_init__(self) -> None:
        for name in ("figures", "codes", "must", "doc"):  # a single string or a list stands for a tuple
            value = getattr(self, name)
            if not isinstance(value, tuple):
                object.__setattr__(self, name, (value,) if isinstance(value, str) else tuple(value))

    @property
    def unanswerable(self) -> bool:
        return self.category == UNANSWERABLE


@dataclass(frozen=True)
class CorpusSource:
    """Where a test set's documents come from: a folder (relative to the repository root, as the set's
    authors had it) and the files it must hold, by sha256, so a store can be checked before a run."""

    path: str
    files: dict[str, str]  # file name → sha256
    origin: str = ""


def corpus_from_mapping(raw: dict[str, Any], where: str) -> CorpusSource:
    corpus = raw.get("corpus")
    files = corpus.get("files") if isinstance(corpus, dict) else None
    if not isinstance(corpus, dict) or not isinstance(corpus.get("path"), str) or not isinstance(files, dict):
        raise TestSetError(
            f'{where}: `corpus` must be {{"path": "folder", "files": {{"file name": "sha256"}}}}'
        )
    return CorpusSource(path=corpus["path"], files={str(k): str(v) for k, v in files.items()}, origin=where)


def missing_documents(sources: Sequence[CorpusSource], held_sha256: set[str]) -> str:
    """'' when the store holds every declared file; else what is missing and the command that fixes it."""
    lines = []
    for source in sources:
        missing = [name for name, sha in source.files.items() if sha not in held_sha256]
        if missing:
            lines.append(
                f"{source.origin} 声明的文档不在数据目录中（缺 {len(missing)} 个：{'、'.join(missing)}）；"
                f"它们不随项目分发，来自 {source.path}（相对仓库根目录）：请先运行 "
                f"budgetqa ingest {source.path} --store <数据目录>，再运行评测"
            )
    return "\n".join(lines)


def _as_strings(value: Any, key: str, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, list) or not all(
        isinstance(v, str | int | float) and not isinstance(v, bool) for v in value
    ):
        raise TestSetError(f'{where}: `{key}` must be a string or a list of strings, e.g. ["4.70", "0.20"]')
    return tuple(str(v).strip() for v in value if str(v).strip())


def case_from_mapping(raw: Any, where: str) -> TestCase:
    """Build a `TestCase` from one parsed mapping; `where` ("file:line") goes into every error."""
    if not isinstance(raw, dict):
        raise TestSetError(
            f"{where}: a case must be an object with `id` and `question`, got {type(raw).__name__}"
        )
    for key in set(raw) - set(SCORED_KEYS):
        close = difflib.get_close_matches(key, SCORED_KEYS, n=1, cutoff=0.75)
        if close:  # a misspelt key would silently leave the case without that check
            raise TestSetError(f"{where}: unknown key {key!r}; did you mean {close[0]!r}?")
    for key in ("id", "question"):
        if raw.get(key) in (None, ""):
            raise TestSetError(f"{where}: missing `{key}`; every case needs `id` and `question`")
    case = TestCase(
        id=str(raw["id"]).strip(),
        question=str(raw["question"]).strip(),
        category=str(raw.get("category") or DEFAULT_CATEGORY).strip(),
        figures=_as_strings(raw.get("figures"), "figures", where),
        unit=str(raw.get("unit") or "").strip(),
        codes=_as_strings(raw.get("codes"), "codes", where),
        must=_as_strings(raw.get("must"), "must", where),
        answer=str(raw.get("answer") or "").strip(),
        doc=_as_strings(raw.get("doc"), "doc", where),
        origin=where,
        extra={k: v for k, v in raw.items() if k not in SCORED_KEYS},
    )
    for figure in case.figures:
        try:
            parse_expected(figure, case.unit)
        except ValueError as error:
            raise TestSetError(f"{where}: {error}") from error
    return case


def _load_jsonl(path: Path) -> list[TestCase]:
    return _read_jsonl(path)[0]


def _read_jsonl(path: Path) -> tuple[list[TestCase], list[CorpusSource]]:
    cases = []
    sources = []
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        where = f"{path}:{number}"
        try:
            raw = json.loads(line, parse_float=str)
        except json.JSONDecodeError as error:
            raise TestSetError(f"{where}: not valid JSON ({error.msg} at column {error.colno})") from error
        if isinstance(raw, dict) and "corpus" in raw and "id" not in raw:
            sources.append(corpus_from_mapping(raw, where))
            continue
        cases.append(case_from_mapping(raw, where))
    return cases, sources


def _load_yaml(path: Path) -> list[TestCase]:
    text = path.read_text(encoding="utf-8-sig")
    try:
        data = yaml.safe_load(text)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        raise TestSetError(f"{path}: not valid YAML: {error}") from error
    if isinstance(data, dict) and "cases" in data and isinstance(node, yaml.MappingNode):
        data = data["cases"]
        node = next(value for key, value in node.value if key.value == "cases")
    if not isinstance(data, list) or not isinstance(node, yaml.SequenceNode):
        raise TestSetError(
            f"{path}: a YAML test set must be a list of cases, or a mapping with a `cases` list"
        )
    return [
        case_from_mapping(raw, f"{path}:{item.start_mark.line + 1}")
        for raw, item in zip(data, node.value, strict=True)
    ]


def load_testset(path: Path) -> list[TestCase]:
    """Cases of one `.jsonl` / `.yaml` / `.yml` file."""
    path = Path(path)
    if not path.is_file():
        raise TestSetError(f"{path}: no such test set file")
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".json", ".ndjson"):
        return _load_jsonl(path)
    if suffix in (".yaml", ".yml"):
        return _load_yaml(path)
    raise TestSetError(f"{path}: unknown test set format {suffix!r}; use .jsonl or .yaml")


def load_sources(paths: Sequence[Path]) -> list[CorpusSource]:
    """The `corpus` declarations of the given JSONL files or folders (sets whose documents are not bundled)."""
    return [
        source
        for path in expand_paths(paths)
        if path.suffix.lower() in (".jsonl", ".json", ".ndjson") and path.is_file()
        for source in _read_jsonl(path)[1]
    ]


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given; a folder stands for its .jsonl/.yaml/.yml files, sorted."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix.lower() in (".jsonl", ".yaml", ".yml")))
        else:
            files.append(path)
    return files


def load_testsets(paths: Sequence[Path]) -> list[TestCase]:
    """All cases of the given files or folders, in order; ids must be unique across them."""
    cases: list[TestCase] = []
    seen: dict[str, str] = {}
    files = expand_paths(paths)
    if not files:
        raise TestSetError(f"no test set files found in {[str(p) for p in paths]}")
    for path in files:
        for case in load_testset(path):
            if case.id in seen:
                raise TestSetError(f"{case.origin}: duplicate id {case.id!r}, first used at {seen[case.id]}")
            seen[case.id] = case.origin
            cases.append(case)
    return cases
