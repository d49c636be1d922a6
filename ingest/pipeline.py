"""Files → parsed disclosures → records → stores, one file at a time.

A file whose bytes are already stored is skipped; a changed file replaces its old records; a bad
file is reported with what to do and the batch goes on (nothing already stored is touched).
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.catalog import SECTION as CATALOG_SECTION
from ingest.catalog import CatalogParse, merge_catalogs
from ingest.errors import IngestError
from ingest.index import CatalogHit, StructuredIndex
from ingest.model import CatalogEntry, Disclosure, Locator
from ingest.parse import parse_document
from ingest.quality import STATUS_ATTENTION, STATUS_OK, quality_warnings
from ingest.settings import Settings
from ingest.store import StoreError, VectorStore
from ingest.text_loader import LoadedText, load_text_file
from ingest.to_records import catalog_records, document_records, embedded

SUPPORTED = {".txt": "text", ".text": "text", ".pdf": "pdf"}


@dataclass
class FileResult:
    """What happened to one file."""

    path: Path
    status: str  # "ingested" | "unchanged" | "replaced" | "failed"
    title: str = ""
    doc_id: str = ""
    tables: int = 0
    empty_tables: int = 0
    rows: int = 0
    forms: int = 0  # 项目支出绩效目标表
    catalog_entries: int = 0
    findings: int = 0
    warnings: list[str] = field(default_factory=list)
    error: str = ""
    quality: dict[str, object] = field(default_factory=dict)

    @property
    def quality_status(self) -> str:
        return str(self.quality.get("status", "ok"))


@dataclass
class IngestSummary:
    files: list[FileResult] = field(default_factory=list)

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.status == "failed"]

    @property
    def needs_attention(self) -> list[FileResult]:
        """Ingested files with fewer than half of the template's tables read."""
        return [f for f in self.files if f.quality_status == STATUS_ATTENTION]

    def render(self) -> str:
        """Closing summary in Chinese: documents, tables, rows, catalog entries, warnings, errors."""
        done = [f for f in self.files if f.status in ("ingested", "replaced")]
        lines = [
            f"文件 {len(self.files)} 个：新导入 {sum(f.status == 'ingested' for f in self.files)}，"
            f"更新 {sum(f.status == 'replaced' for f in self.files)}，"
            f"未变 {sum(f.status == 'unchanged' for f in self.files)}，失败 {len(self.failed)}",
            f"表 {sum(f.tables for f in done)} 张（无数据 {sum(f.empty_tables for f in done)}），"
            f"行 {sum(f.rows for f in done)}，目录条目 {sum(f.catalog_entries for f in done)}，"
            f"算术不符 {sum(f.findings for f in done)} 处，警告 {sum(len(f.warnings) for f in done)} 条",
        ]
        for f in self.files:
            if f.status == "failed":
                lines.append(f"  ✗ {f.error}")
            elif f.status != "unchanged":
                lines.extend(_file_lines(f))
        if self.needs_attention:
            names = "、".join(f.path.name for f in self.needs_attention)
            lines.append(
                f"需要人工检查 {len(self.needs_attention)} 个文件：{names}（不到一半的表读出了数据）"
            )
        return "\n".join(lines)


def _file_lines(f: FileResult) -> list[str]:
    """✓ only when every table found was read; ⚠ with the reasons otherwise."""
    parsed = f.quality.get("tables_parsed", f.tables - f.empty_tables)
    counts = (
        f"{f.tables} 张表：读出数据 {parsed}、无数据 {f.empty_tables}，{f.rows} 行，绩效目标表 {f.forms} 张"
    )
    if f.quality_status == STATUS_OK:
        return [f"  ✓ {f.path.name} → {f.title}（{counts}）"]
    mark = "需要人工检查" if f.quality_status == STATUS_ATTENTION else "有警告"
    out = [f"  ⚠ {f.path.name} → {f.title}（{counts}）{mark}"]
    out.extend(f"      {line}" for line in quality_warnings(f.quality))
    return out


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files and folders → the supported files, sorted; an unsupported file is kept (it will fail clearly)."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED))
        else:
            out.append(path)
    return out


def load_any(path: Path) -> LoadedText:
    if not path.exists():
        raise IngestError(path, "文件不存在", "请检查路径")
    kind = SUPPORTED.get(path.suffix.lower())
    if kind == "pdf":
        from ingest.pdf_loader import load_pdf

        return load_pdf(path)
    if kind == "text":
        return load_text_file(path)
    raise IngestError(
        path, f"不支持的文件类型 {path.suffix or '（无扩展名）'}", "请提供 PDF 或文本导出（.txt）"
    )


class Ingestor:
    """Owns the two stores and puts files into them."""

    def __init__(
        self, settings: Settings, store: VectorStore | None = None, index: StructuredIndex | None = None
    ):
        self.settings = settings
        self.store = store or VectorStore.from_settings(settings)
        self.index = index or StructuredIndex(settings.store_dir)

    def stored_files(self) -> dict[str, tuple[str, str]]:
        """file name → (doc_id, sha256) of what is stored now."""
        return {d.summary["file"]: (d.doc_id, d.summary["sha256"]) for d in self.index.documents()}

    def ingest(
        self, paths: Iterable[Path], progress: Callable[[int, int, str], None] | None = None
    ) -> IngestSummary:
        files = expand_paths(paths)
        summary = IngestSummary()
        for number, path in enumerate(files, start=1):
            if progress:
                progress(number, len(files), path.name)
            summary.files.append(self.ingest_file(path))
        return summary

    def ingest_file(self, path: Path) -> FileResult:
        try:
            return self._ingest_file(path)
        except IngestError as exc:
            return FileResult(path=path, status="failed", error=str(exc))
        except StoreError as exc:  # the file may be fine: the store could not take it
            return FileResult(path=path, status="failed", error=f"{path.name}：未能写入存储。{exc}")
        except Exception as exc:  # one bad input never stops a batch
            return FileResult(
                path=path,
                status="failed",
                error=f"{path.name}：解析时出错（{type(exc).__name__}: {exc}）。请把该文件报告给开发者",
            )

    def _ingest_file(self, path: Path) -> FileResult:
        if path.exists() and path.is_file():
            sha = hashlib.sha256(path.read_bytes()).hexdigest()
            previous = self.stored_files().get(path.name)
            if previous and previous[1] == sha:
                return FileResult(path=path, status="unchanged", doc_id=previous[0])
        else:
            previous = None
        doc = parse_document(load_any(path))
        self._write(doc, replacing=previous[0] if previous else None)
        self._keep_source(path)
        return self._result(path, doc, "replaced" if previous else "ingested")

    def _write(self, doc: Disclosure, replacing: str | None) -> None:
        records = document_records(doc)
        # A Chroma server is the shared truth other app processes rebuild their index from: it gets all.
        vectors = records if self.settings.chroma_url else embedded(records)
        # Write the new records first, then drop the old document: a failure midway loses nothing.
        self.store.upsert(vectors)
        self.index.add(records)
        self._write_catalogs(doc)
        if replacing and replacing != doc.doc_id:
            self.store.delete_document(replacing)
            self.index.delete_document(replacing)

    def _write_catalogs(self, doc: Disclosure) -> None:
        """Merge this document's printing of each catalog version with the printings already stored.

        Printings lose pages, so per department the fullest printing wins (`merge_catalogs`); records
        already stored are kept as they are, new ones added, superseded ones removed.
        """
        for version in doc.catalog_versions:
            new = [e for e in doc.catalog_entries if e.version == version.doc_number]
            stored = self.index.catalog(version=version.doc_number)
            if not new:
                continue
            old_parse = CatalogParse(versions=[version], entries=[_entry_of(hit) for hit in stored])
            new_parse = CatalogParse(versions=[version], entries=new)
            _, merged = merge_catalogs([old_parse, new_parse] if stored else [new_parse])
            wanted = {r.id: r for r in catalog_records(doc, merged)}
            stored_ids = {hit.record.id for hit in stored}
            to_add = [r for rid, r in wanted.items() if rid not in stored_ids]
            to_remove = [rid for rid in stored_ids if rid not in wanted]
            # A Chroma server is the shared store other app processes rebuild their index from.
            if self.settings.embed_catalog or self.settings.chroma_url:
                self.store.upsert(to_add)
            self.index.add(to_add)
            if to_remove:
                self.store.delete_ids(to_remove)
                self.index.delete_ids(to_remove)

    def _keep_source(self, path: Path) -> None:
        """A copy of the original file: the web page links to it and the eval baselines read it."""
        folder = self.settings.store_dir / "sources"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, folder / path.name)

    @staticmethod
    def _result(path: Path, doc: Disclosure, status: str) -> FileResult:
        standard = [t for t in doc.tables if t.kind == "standard"]
        return FileResult(
            path=path,
            status=status,
            title=doc.title,
            doc_id=doc.doc_id,
            tables=len(standard),
            empty_tables=sum(t.empty for t in standard),
            rows=sum(len(t.rows) for t in standard),
            forms=len(doc.tables) - len(standard),
            catalog_entries=len(doc.catalog_entries),
            findings=len(doc.findings),
            warnings=doc.warnings,
            quality=doc.quality,
        )


def _entry_of(hit: CatalogHit) -> CatalogEntry:
    """A stored catalog record back into the entry it was made from."""
    meta = hit.record.metadata
    locator = Locator(
        file=str(meta.get("file", "")),
        line_start=int(meta.get("line_start", 0)),
        line_end=int(meta.get("line_end", 0)),
        section=CATALOG_SECTION,
    )
    return CatalogEntry(
        hit.version, hit.department, hit.code, hit.levels, locator, hit.uncertain, list(hit.flags)
    )
