"""Files → parsed disclosures → records → stores, in two phases.

Phase one, one file at a time: parse, then commit the document to the structured index in one
transaction (its records, its catalog merge, the vector changes it implies, and the copy of the
file): from then on figures, tables, facts and catalog codes are answerable. Phase two embeds and
sends the queued vectors (`ingest.stores.vector_sync`). A crash anywhere leaves each document old or new,
never a mix, and the next run finishes what was left (`Ingestor.recover`).

A file whose bytes are stored already (under any name) is 未变; a file with the same content as a
stored document (another encoding, a PDF of it) is 已存在 and keeps the first name unless asked to
replace it; a changed file replaces its old version; a bad file is reported with what to do and the
batch goes on (nothing already stored is touched).
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.crash import crash_point
from ingest.errors import IngestError
from ingest.model import Disclosure
from ingest.parsing.catalog import SECTION as CATALOG_SECTION
from ingest.parsing.catalog import CatalogParse, merge_catalogs
from ingest.parsing.completeness import truncation_warnings
from ingest.parsing.identity import identity
from ingest.parsing.parse import parse_document
from ingest.parsing.quality import STATUS_ATTENTION, STATUS_OK, mark_incomplete, quality_warnings
from ingest.parsing.text_loader import LoadedText, load_text_file
from ingest.records import Record
from ingest.running import RUNNING, alive
from ingest.settings import Settings
from ingest.stores.embedding_cache import cached_embedder
from ingest.stores.index import SCHEMA_VERSION, DocumentCommit, StructuredIndex
from ingest.stores.sources import SourceFolder
from ingest.stores.vector_sync import Progress, send_vectors, sweep_orphans
from ingest.to_records import catalog_records, document_records, embedded

if TYPE_CHECKING:  # chromadb takes seconds to import: phase one never needs it
    from ingest.stores.store import VectorStore

SUPPORTED = {".txt": "text", ".text": "text", ".pdf": "pdf"}


@dataclass
class FileResult:
    """What happened to one file."""

    path: Path
    status: str  # "ingested" | "unchanged" | "replaced" | "duplicate" | "failed"
    title: str = ""
    same_as: str = ""  # duplicate / renamed copy: the file name of the stored document it is
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
    vectors_sent: int = 0  # phase two: records embedded and written to the vector store
    vector_error: str = ""  # phase two failed: documents answerable, vectors pending
    repaired: int = 0  # leftovers of an interrupted run put right at the start

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
            f"未变 {sum(f.status == 'unchanged' for f in self.files)}，"
            + (
                f"已存在 {duplicates}，"
                if (duplicates := sum(f.status == "duplicate" for f in self.files))
                else ""
            )
            + f"失败 {len(self.failed)}",
            f"表 {sum(f.tables for f in done)} 张（无数据 {sum(f.empty_tables for f in done)}），"
            f"行 {sum(f.rows for f in done)}，目录条目 {sum(f.catalog_entries for f in done)}，"
            f"算术不符 {sum(f.findings for f in done)} 处，警告 {sum(len(f.warnings) for f in done)} 条",
        ]
        for f in self.files:
            if f.status == "failed":
                lines.append(f"  ✗ {f.error}")
            elif f.status == "duplicate":
                lines.append(
                    f"  = {f.path.name} 已存在（与 {f.same_as} 相同），未重复导入；要以它替换，请加 --replace"
                )
            elif f.status != "unchanged":
                lines.extend(_file_lines(f))
        if self.repaired:
            lines.append(f"上次中断的导入已修复 {self.repaired} 处")
        if self.vector_error:
            lines.append(
                f"向量未能全部写入（{self.vector_error}）：数字、表格和目录已可查询；再运行一次 ingest 会补全向量"
            )
        elif self.vectors_sent:
            lines.append(f"向量 {self.vectors_sent} 条已写入")
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
    return [item for item in collect(paths) if isinstance(item, Path)]


def collect(paths: Iterable[Path]) -> list[Path | FileResult]:
    """Files and folders → the files to ingest, in order, and a failed item for each path that gives
    none (missing, a symbolic link loop, a folder without a PDF or .txt file): one bad path never
    refuses the batch. An unsupported file is kept (it fails clearly when loaded)."""
    out: list[Path | FileResult] = []
    for path in paths:
        if _is_link_loop(path):
            out.append(
                _failed(path, f"{path} 是循环的符号链接（指向自己或绕回原处）", "请改为指向实际文件的路径")
            )
        elif path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED)
            loops = sorted(p for p in path.rglob("*") if _is_link_loop(p))
            out.extend(found)
            out.extend(_failed(p, f"{p} 是循环的符号链接", "请删除或改正这个链接") for p in loops)
            if not found and not loops:
                out.append(
                    _failed(
                        path, f"文件夹 {path} 里没有 PDF 或 .txt 文件", "请检查文件夹，或直接给出文件路径"
                    )
                )
        elif not path.exists():
            out.append(_failed(path, f"找不到 {path}", "请检查路径是否写对"))
        else:
            out.append(path)
    return out


def _is_link_loop(path: Path) -> bool:
    if not path.is_symlink():
        return False
    try:
        path.resolve(strict=True)
    except RuntimeError:  # Python 3.11 raises RuntimeError on a loop
        return True
    except OSError as error:
        return error.errno == 40  # ELOOP
    return False


def _failed(path: Path, what: str, todo: str) -> FileResult:
    return FileResult(path=path, status="failed", error=f"{what}：{todo}")


def load_any(path: Path) -> LoadedText:
    if not path.exists():
        raise IngestError(path, "文件不存在", "请检查路径")
    kind = SUPPORTED.get(path.suffix.lower())
    if kind == "pdf":
        from ingest.parsing.pdf_loader import load_pdf

        return load_pdf(path)
    if kind == "text":
        return load_text_file(path)
    raise IngestError(
        path, f"不支持的文件类型 {path.suffix or '（无扩展名）'}", "请提供 PDF 或文本导出（.txt）"
    )


class Ingestor:
    """Owns the two stores and puts files into them.

    `replace_same=True`: a file with the same content as a stored document under another name
    replaces it (and its name) instead of being reported as 已存在.
    """

    def __init__(
        self,
        settings: Settings,
        store: VectorStore | None = None,
        index: StructuredIndex | None = None,
        replace_same: bool = False,
    ):
        self.settings = settings
        self._store = store
        self._store_lock = threading.Lock()
        if store is None and settings.chroma_url:
            self._store = self._open_store()  # a server is checked before any file is read
        self.index = index or StructuredIndex(settings.store_dir)
        self.sources = SourceFolder(settings.store_dir)
        self.replace_same = replace_same
        self._running = settings.store_dir / RUNNING

    @property
    def store(self) -> VectorStore:
        """The vector store, opened on first use (embedded store): phase one needs none, so the first
        document is committed without waiting for chromadb to load."""
        with self._store_lock:
            if self._store is None:
                self._store = self._open_store()
            return self._store

    def _open_store(self) -> VectorStore:
        from ingest.stores.store import VectorStore

        # Texts already embedded once (by any document, any earlier ingest) are not embedded again.
        return VectorStore.from_settings(self.settings, cached_embedder(self.settings))

    def ingest(
        self,
        paths: Iterable[Path],
        progress: Callable[[int, int, str], None] | None = None,
        vector_progress: Progress | None = None,
        indexed: Callable[[], None] | None = None,
        vectors: bool = True,
    ) -> IngestSummary:
        """Phase one for every file (each answerable once committed), then phase two (vectors).

        `indexed` is called between the phases when a document was added or replaced (the CLI saves
        the assistant's structures then, so questions asked while vectors are embedded find them).
        `vectors=False` stops after phase one: the queued vectors are sent later (`serve` does it in
        the background, `ingest.stores.background`; any later ingest does it too)."""
        self.refill_from_sources()
        items = collect(paths)
        summary = IngestSummary(repaired=self.recover())
        self._running.write_text(str(os.getpid()))
        for number, item in enumerate(items, start=1):
            if progress:
                progress(number, len(items), item.name if isinstance(item, Path) else item.path.name)
            summary.files.append(self.ingest_file(item) if isinstance(item, Path) else item)
        if indexed and any(f.status in ("ingested", "replaced") for f in summary.files):
            indexed()
        if not vectors:
            self._running.unlink(missing_ok=True)
            return summary
        try:
            summary.vectors_sent = self.send_vectors(vector_progress)
        except Exception as exc:  # the store is unreachable or full: phase one's work stands
            summary.vector_error = f"{type(exc).__name__}: {exc}"
            return summary
        self._running.unlink(missing_ok=True)
        return summary

    def refill_from_sources(self, say: Callable[[str], None] | None = None) -> IngestSummary | None:
        """Refill an index emptied by a schema change (`StructuredIndex.outdated_schema`) by ingesting
        again the files kept in `<store>/sources/` (phase one; their vectors are queued). Says what it
        does through `say` (stderr by default); None when the index was not outdated.

        With a Chroma server the server holds every record: the index is refilled from it by the
        catch-up that follows opening it, so only the message is given here.
        """
        old = self.index.outdated_schema
        if old is None:
            return None
        say = say or _to_stderr
        self.index.outdated_schema = None  # once: the ingest below opens no other index
        if self.settings.chroma_url:
            say(
                f"结构化索引格式已从版本 {old} 改为 {SCHEMA_VERSION}：索引已清空，将从 Chroma 服务器重新同步。"
            )
            return None
        kept = (
            sorted(p for p in self.sources.folder.glob("*") if p.is_file())
            if self.sources.folder.is_dir()
            else []
        )
        say(
            f"结构化索引格式已从版本 {old} 改为 {SCHEMA_VERSION}：正在从 {self.sources.folder} 中保存的 "
            f"{len(kept)} 个文件重建索引……"
        )
        summary = self.ingest(kept, vectors=False)
        failed = [f"{f.path.name}（{f.error}）" for f in summary.failed]
        say(
            f"索引已重建：{len(kept) - len(failed)} 个文件已重新导入"
            + (f"；失败 {len(failed)} 个：{'；'.join(failed)}，请重新导入原文件" if failed else "")
        )
        return summary

    def recover(self) -> int:
        """Put right what an interrupted run left: staged source copies, orphan vectors (embedded
        store). Queued vectors are sent by phase two. Returns how many things were fixed."""
        if not self._running.exists() or alive(self._running.read_text().strip()):
            return 0
        committed = {d.summary.file: d.summary.sha256 for d in self.index.documents()}
        fixed = self.sources.recover(committed)
        if not self.settings.chroma_url:
            # A server is shared with other writers: only the queued changes are this store's own.
            fixed += sweep_orphans(self.index, self.store)
        return fixed

    def send_vectors(self, progress: Progress | None = None) -> int:
        """Phase two: embed and write every vector the index has queued (a rerun finishes a killed run)."""
        return send_vectors(self.index, self.store, progress)

    def ingest_file(self, path: Path) -> FileResult:
        """Phase one for one file: parse and commit it; never raises (a failure is a failed result)."""
        try:
            return self._ingest_file(path)
        except IngestError as exc:
            return FileResult(path=path, status="failed", error=str(exc))
        except Exception as exc:  # one bad input never stops a batch
            if _store_error(exc):  # the file may be fine: the store could not take it
                return FileResult(path=path, status="failed", error=f"{path.name}：未能写入存储。{exc}")
            return FileResult(
                path=path,
                status="failed",
                error=f"{path.name}：解析时出错（{type(exc).__name__}: {exc}）。请把该文件报告给开发者",
            )

    def _ingest_file(self, path: Path) -> FileResult:
        if not path.is_file():
            load_any(path)  # raises the error that says what is wrong with the path
        data = path.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        known = self.index.stored_content(sha)
        if known:  # these exact bytes, under this name or another: nothing to do
            return FileResult(path=path, status="unchanged", doc_id=known[0], same_as=known[1])
        stored = self.index.document_by_file(path.name)
        previous = (stored.doc_id, stored.summary.sha256) if stored else None
        loaded = load_any(path)
        doc = parse_document(loaded)
        problems = [*loaded.warnings, *truncation_warnings(loaded.lines, doc)]
        mark_incomplete(doc.quality, problems)
        doc.warnings[:0] = problems
        doc.identity = identity(loaded.lines, doc)
        crash_point("parsed")
        # Under its stored name, only the same text is the same file: other words with the same
        # tables are a corrected version, which replaces the stored one.
        keys = {"text": doc.identity["text"]} if previous else doc.identity
        twin = self.index.same_disclosure(keys)
        retire = [previous[0]] if previous else []
        if twin and (twin.doc_id in retire or not self.replace_same):
            # The same disclosure in another encoding or format: keep the stored one and its name.
            self.index.add_copy(sha, twin.doc_id, path.name)
            status = "unchanged" if twin.doc_id in retire else "duplicate"
            return FileResult(
                path=path, status=status, title=twin.title, doc_id=twin.doc_id, same_as=twin.summary.file
            )
        if twin:
            retire.append(twin.doc_id)
        self._commit(doc, data, retire)
        return self._result(path, doc, "replaced" if retire else "ingested")

    def _commit(self, doc: Disclosure, data: bytes, retire: list[str]) -> None:
        """One transaction for the document; its file copy staged before and placed after."""
        records = document_records(doc)
        retired = [self.index.document(doc_id) for doc_id in retire]
        retired_files = {d.summary.file for d in retired if d}
        catalog_add, catalog_remove = self._catalog_changes(doc, retired_files)
        # A Chroma server is the shared truth other app processes rebuild their index from: it gets all.
        server = bool(self.settings.chroma_url)
        embed = {r.id for r in (records if server else embedded(records))}
        if server or self.settings.embed_catalog:
            embed.update(r.id for r in catalog_add)
        self.sources.stage(doc.file, data)
        self.index.commit(
            DocumentCommit(
                doc_id=doc.doc_id,
                records=records,
                embed=embed,
                catalog_add=catalog_add,
                catalog_remove=catalog_remove,
                retire=retire,
            )
        )
        crash_point("index-committed")
        self.sources.place(doc.file)
        for name in retired_files:
            if name != doc.file:
                self.sources.remove(name)

    def _catalog_changes(self, doc: Disclosure, retired_files: set[str]) -> tuple[list[Record], list[Record]]:
        """Merge this document's printing of each catalog version with the printings already stored.

        Printings lose pages, so per department the fullest printing wins (`merge_catalogs`); records
        already stored are kept as they are, new ones added, superseded ones removed. When the only
        stored printing is the one this document replaces, its new printing simply takes its place
        (an old printing of the same document is not a second witness).
        """
        add: list[Record] = []
        remove: list[Record] = []
        for version in doc.catalog_versions:
            new = [e for e in doc.catalog_entries if e.version == version.doc_number]
            stored = self.index.catalog(version=version.doc_number)
            if not new:
                continue
            sole = bool(stored) and all(hit.record.metadata.get("file") in retired_files for hit in stored)
            old_parse = CatalogParse(
                versions=[version], entries=[hit.entry(CATALOG_SECTION) for hit in stored]
            )
            new_parse = CatalogParse(versions=[version], entries=new)
            _, merged = merge_catalogs([old_parse, new_parse] if stored and not sole else [new_parse])
            wanted = {r.id: r for r in catalog_records(doc, merged)}
            stored_ids = {hit.record.id for hit in stored}
            add += [r for rid, r in wanted.items() if sole or rid not in stored_ids]
            remove += [hit.record for hit in stored if hit.record.id not in wanted]
        return add, remove

    @staticmethod
    def _result(path: Path, doc: Disclosure, status: str) -> FileResult:
        standard = [t for t in doc.tables if t.printed]
        return FileResult(
            path=path,
            status=status,
            title=doc.title,
            doc_id=doc.doc_id,
            tables=len(standard),
            empty_tables=sum(t.empty for t in standard),
            rows=sum(len(t.rows) for t in standard),
            forms=sum(t.kind == "performance" for t in doc.tables),
            catalog_entries=len(doc.catalog_entries),
            findings=len(doc.findings),
            warnings=doc.warnings,
            quality=doc.quality,
        )


def _to_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _store_error(exc: Exception) -> bool:
    """Whether `exc` is the vector store's `StoreError`; looked up, not imported (importing the store
    loads chromadb): if the store module was never loaded, the store cannot have raised it."""
    store = sys.modules.get("ingest.stores.store")
    return store is not None and isinstance(exc, store.StoreError)
