"""The web app over the bundled corpus, served on 127.0.0.1 and called through its API endpoints."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from ingest.settings import Settings, load_settings

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
GONGXIN = "柳林县工业和信息化局2024年度部门预算"
SANGONG_QUESTION = "柳林县工业和信息化局2024年“三公”经费是多少？"
ADMIN = "管理员口令-test"

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def store_dir(corpus_store) -> Path:  # type: ignore[no-untyped-def]
    """The bundled corpus, ingested once per test session (tests/conftest.py)."""
    return Path(corpus_store.store_dir)


@pytest.fixture(scope="module")
def settings(store_dir: Path) -> Settings:
    return load_settings(
        store_dir=store_dir, embedder="hash", admin_password=ADMIN, max_concurrency=2, max_queue=8
    )


@pytest.fixture(scope="module")
def server(settings: Settings) -> Iterator[tuple[Any, str]]:
    """The app launched in this process on a free loopback port; (Blocks, url)."""
    from ui.web.app import build_app, launch

    port = free_port()
    demo = launch(build_app(settings), settings, "127.0.0.1", port, block=False)
    try:
        yield demo, f"http://127.0.0.1:{port}/"
    finally:
        demo.close()


@pytest.fixture(scope="module")
def client(server: tuple[Any, str]) -> Any:
    from gradio_client import Client

    return Client(server[1], verbose=False)


def doc_id_of(settings: Settings, title: str) -> str:
    from ingest.stores.index import StructuredIndex

    return next(d.doc_id for d in StructuredIndex(settings.store_dir).documents() if d.title == title)


def test_ask_returns_the_figure_with_its_citation_and_rendered_boxes(client: Any) -> None:
    result = client.predict(SANGONG_QUESTION, [], api_name="/ask")
    assert "4.70万元" in result["answer"]
    assert result["refused"] is False
    assert result["citations"] and result["citations"][0]["doc"] == GONGXIN
    assert result["citations"][0]["file"] == "2024_柳林县工业和信息化局_部门预算.txt"
    assert "4.70" in result["citations"][0]["quote"]
    assert '<details class="bqa-box bqa-sources">' in result["html"]
    assert "来源（" in result["html"] and GONGXIN in result["html"]


def test_calculation_is_shown_with_its_expression(client: Any) -> None:
    result = client.predict("孝义市财政局2026年人员经费占基本支出的比例是多少？", [], api_name="/ask")
    expressions = [c["expression"] for c in result["calculations"]]
    assert "1268.70 ÷ 1339.21 × 100% = 94.73%" in expressions
    assert (
        "计算核对（1 项）" in result["html"]
        and "<code>1268.70 ÷ 1339.21 × 100% = 94.73%</code>" in result["html"]
    )


def test_document_filter_restricts_the_answer(client: Any, settings: Settings) -> None:
    xinfang = doc_id_of(settings, "晋城市信访局2024年度部门预算")
    result = client.predict("“三公”经费是多少？", [xinfang], api_name="/ask")
    assert {c["doc_id"] for c in result["citations"]} <= {xinfang}
    assert "4.70" not in result["answer"]


def test_chat_streams_then_keeps_the_boxes_in_the_history(client: Any) -> None:
    job = client.submit(SANGONG_QUESTION, [], [], api_name="/respond")
    outputs = list(job)
    assert len(outputs) >= 3  # question shown, text growing, final answer with boxes
    history, cleared, hint = outputs[-1]
    assert cleared == "" and hint == ""
    assert [m["role"] for m in history] == ["user", "assistant"]
    final = history[-1]["content"]
    text = final if isinstance(final, str) else "".join(part.get("text", "") for part in final)
    assert "4.70万元" in text and "bqa-sources" in text and GONGXIN in text
    assert ".txt" not in text  # citations name the document, not its file
    partial = outputs[1][0][-1]["content"]
    partial_text = partial if isinstance(partial, str) else "".join(p.get("text", "") for p in partial)
    assert partial_text.endswith("▌")


def test_typed_markup_is_stored_as_text(client: Any) -> None:
    history, _, _ = client.predict("<img src=x onerror=alert(1)> <b>粗体</b>", [], [], api_name="/respond")
    question = history[0]["content"]
    question = question if isinstance(question, str) else "".join(p.get("text", "") for p in question)
    assert (
        question
        == '<div class="bqa-question">&lt;img src=x onerror=alert(1)&gt; &lt;b&gt;粗体&lt;/b&gt;</div>'
    )


def test_empty_and_over_long_questions_get_a_message(client: Any) -> None:
    history, box, hint = client.predict("   ", [], [], api_name="/respond")
    assert history == [] and "请输入问题" in hint
    long_question = "三公经费" * 200  # 800 characters, over the 500 of settings.max_question_chars
    history, box, hint = client.predict(long_question, [], [], api_name="/respond")
    assert history == [] and box == long_question  # kept, to be shortened
    assert "问题太长：最多 500 个字，现在 800 个字" in hint
    with pytest.raises(Exception, match="问题太长：最多 500 个字"):
        client.predict(long_question, [], api_name="/ask")
    with pytest.raises(Exception, match="请输入问题"):
        client.predict("", [], api_name="/ask")


def test_several_users_at_once_all_get_answers(client: Any, server: tuple[Any, str]) -> None:
    demo = server[0]
    assert demo._queue.max_size == 8  # settings.max_queue
    limits = {fn.api_name: (fn.concurrency_id, fn.concurrency_limit) for fn in demo.fns.values()}
    assert limits["ask"] == ("answer", 2) and limits["respond"] == ("answer", 2)
    assert limits["upload"] == ("ingest", 1)
    questions = [SANGONG_QUESTION, "孝义市财政局2026年人员经费占基本支出的比例是多少？"] * 3
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda q: client.predict(q, [], api_name="/ask"), questions))
    assert all(r["citations"] for r in results)
    assert sum("4.70万元" in r["answer"] for r in results) == 3


def hit_rows(html: str) -> list[list[str]]:
    """The cells of the catalog hits table, as text."""
    import re
    from html import unescape

    return [
        [unescape(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", html)
        if "<td" in row
    ]


def test_catalog_search_by_words_and_by_code(client: Any) -> None:
    table, detail = client.predict("法律顾问", "", "", api_name="/search_catalog")
    assert '<div class="bqa-scroll">' in table and "<th>代码</th><th>服务名称</th><th>匹配</th>" in table
    rows = hit_rows(table)
    assert any(row[0] == "B0101" and row[1] == "法律顾问服务" and row[2] == "相近" for row in rows)
    assert "法律顾问" in detail
    table, detail = client.predict("A100102", "司法", "晋财综〔2023〕43号", api_name="/search_catalog")
    rows = hit_rows(table)
    assert rows[0][:3] == ["A100102", "村（居）法律顾问服务", "精确"]
    assert {row[4] for row in rows} == {"晋财综〔2023〕43号"}
    assert (
        rows[0][6] == f"山西省部门政府购买服务指导性目录（晋财综〔2023〕43号）；采用此版本的文档：{GONGXIN}"
    )
    assert ".txt" not in table and ".txt" not in detail
    table, _ = client.predict("网格化管理服务", "", "", api_name="/search_catalog")
    assert hit_rows(table)[0][1:3] == ["网格化管理服务", "精确"]
    assert client.predict("", "", "", api_name="/search_catalog")[0] == ""  # no empty table


def test_catalog_version_diff(client: Any) -> None:
    text = client.predict("晋财综〔2021〕63号", "晋财综〔2023〕43号", "", api_name="/diff_catalog")
    assert text.startswith("```text\n晋财综〔2021〕63号 → 晋财综〔2023〕43号：新增 ")
    assert "请选择两个不同" in client.predict(
        "晋财综〔2021〕63号", "晋财综〔2021〕63号", "", api_name="/diff_catalog"
    )


def test_document_view_shows_key_figures_and_tables(client: Any, settings: Settings) -> None:
    gongxin = doc_id_of(settings, GONGXIN)
    summary, facts, _tables, *_charts, note, first_title, first_table = client.predict(
        gongxin, api_name="/show_document"
    )
    assert summary.startswith(f"### {GONGXIN}")
    assert "执行的政府购买服务目录：晋财综〔2023〕43号" in summary
    assert (
        "支出：合计 17944.67，基本支出 445.45，项目支出 17499.22（万元；表三 2024年预算支出总表 第237行）"
        in summary
    )
    assert "三公经费合计：4.70 万元" in summary
    assert ["三公经费 · 公务接待费", "0.20", "万元"] in [row[:3] for row in facts["data"]]
    assert note == ""
    assert "尾数差异（四舍五入）8 处" in summary and "表内算术不符" not in summary
    assert ".txt" not in summary
    assert first_title.startswith("**表一 2024年预算收支总表**")
    assert first_table["headers"][:3] == ["收入项目", "收入：2024年", "支出项目"]
    assert "17464.07" in {cell for row in first_table["data"] for cell in row}  # this document's 表一
    title, table = client.predict(gongxin, "表十", api_name="/show_table")
    assert title.startswith("**表十 2024年财政拨款安排“三公”经费支出预算表**")
    by_label = {row[1].strip("\u3000"): row for row in table["data"]}
    assert by_label["公务接待费"][2] == "0.20" and by_label["合计"][2] == "4.70"


def test_upload_needs_the_admin_login_once_per_session(server: tuple[Any, str], tmp_path: Path) -> None:
    from gradio_client import Client, handle_file

    client = Client(server[1], verbose=False)  # a session of its own
    corpus_file = CORPUS / "2024_晋城市信访局_部门预算.txt"
    with pytest.raises(Exception, match="403"):  # the upload route itself refuses a visitor's file
        client.predict([handle_file(str(corpus_file))], api_name="/upload")
    message, *_, token = client.predict("wrong", api_name="/admin_login")  # the state is not returned
    assert "管理员密码不正确" in message and token == ""
    message, *_, token = client.predict(ADMIN, api_name="/admin_login")
    assert "密码错误次数过多" in message and token == ""  # the next try right after a failure waits
    time.sleep(1.1)  # the first failure costs one second
    message, *_, token = client.predict(ADMIN, api_name="/admin_login")
    assert "已进入管理员模式" in message and len(token) > 20
    client.cookies["bqa_admin"] = token  # the page sets this cookie from the token (layout.admin_login)
    broken = tmp_path / "损坏的文件.pdf"
    broken.write_bytes(b"this is not a PDF")
    summary, table = client.predict(
        [handle_file(str(corpus_file)), handle_file(str(broken))], api_name="/upload"
    )
    assert "未变 1，失败 1" in summary
    results = {row[0]: row for row in table["data"]}
    assert results["2024_晋城市信访局_部门预算.txt"][1] == "未变（已导入过）"
    assert results["损坏的文件.pdf"][1] == "✗ 失败"
    assert "损坏的文件.pdf" in results["损坏的文件.pdf"][6]
    other = Client(server[1], verbose=False)  # another visitor's session is not logged in
    other.cookies["bqa_admin"] = "guessed-token"
    with pytest.raises(Exception, match="403"):
        other.predict([handle_file(str(corpus_file))], api_name="/upload")


def test_upload_tab_exists_only_with_an_admin_password(settings: Settings) -> None:
    from ui.web.app import Views, build_app, load_assistant

    assistant = load_assistant(settings)
    with_admin = build_app(settings, assistant)
    without = build_app(settings.replaced(admin_password=""), assistant)
    names = {fn.api_name for fn in with_admin.fns.values()}
    assert {"upload", "admin_login"} <= names
    assert not {"upload", "admin_login"} & {fn.api_name for fn in without.fns.values()}
    upload_tabs = [b for b in with_admin.blocks.values() if getattr(b, "label", None) == "上传"]
    assert upload_tabs and upload_tabs[0].visible is False  # hidden until the admin logs in
    no_admin = Views(settings.replaced(admin_password=""), assistant)
    assert "请先以管理员身份登录" in no_admin.upload([], True)[0]
    assert no_admin.admin_login("") == (
        False,
        "⚠ 未设置管理员密码（BUDGETQA_ADMIN_PASSWORD），上传已关闭。",
        "",
    )
    logged_out = Views(settings, assistant)
    assert (
        "请先以管理员身份登录"
        in logged_out.upload([str(CORPUS / "2024_晋城市信访局_部门预算.txt")], False)[0]
    )
