"""The Gradio app: 问答 (chat), 文档 (documents), 目录 (catalog), 上传 (upload, admin only).

In: `Settings` (store, limits, admin password) and optionally an assistant object (tests pass one).
Out: `build_app(settings) -> gr.Blocks`; `serve(settings, host, port)` launches it on host:port.

The pages are built in `layout`, their handlers live in `views` (one method per API endpoint:
`/ask`, `/respond`, `/admin_login`, `/search_catalog`, `/diff_catalog`, `/show_document`,
`/show_table`, `/upload`), the page contents in `chat`, `documents`, `catalog_page` and `render`.
Limits are set on purpose: answers share one concurrency group of `settings.max_concurrency`, uploads
run one at a time, at most `settings.max_queue` requests wait (sized for 50 users at once), questions
longer than `settings.max_question_chars` or slower than `settings.question_seconds` get a message,
Gradio's upload route takes files only from an admin session and none over `settings.max_upload_mb`.
"""

from __future__ import annotations

import os

import gradio as gr
from starlette.middleware import Middleware

from ingest.api import Settings, set_offline_environment
from ui.web import charts, layout
from ui.web.admin import AdminGate
from ui.web.chat import example_questions
from ui.web.style import CSS
from ui.web.views import AssistantLike, Views

__all__ = ["AssistantLike", "Views", "build_app", "example_questions", "launch", "load_assistant", "serve"]


def load_assistant(settings: Settings) -> AssistantLike:
    """The real assistant over the store in `settings`."""
    from assistant.service import Assistant

    assistant = Assistant.from_settings(settings)
    assistant.follow_changes()  # another process's uploads are caught up with between questions
    return assistant


INTRO = (
    "## 部门预算问答\n"
    "问部门预算公开和政府购买服务目录。每个数字都注明出处，每个计算都经计算器核对；文件没有写的，会直说没有。"
)


def build_app(settings: Settings, assistant: AssistantLike | None = None) -> gr.Blocks:
    """The whole web app over the store in `settings` (or over `assistant` when given)."""
    views = Views(settings, assistant or load_assistant(settings))
    if assistant is None:
        views.vectors.start()  # vectors a killed ingest left queued are embedded while the app answers
    # Gradio's own temporary files (an upload the admin never sent on) are deleted after an hour.
    with gr.Blocks(title="部门预算问答", delete_cache=(600, 3600)) as demo:
        demo.admin_gate = views.admin  # launch() puts it before the upload route
        gr.Markdown(INTRO, elem_classes=["bqa-intro"])
        admin_state = gr.State(False)
        with gr.Tabs():
            with gr.Tab("问答", id="chat"):
                chat_page = layout.chat_page(demo, views)
            with gr.Tab("文档", id="documents"):
                documents_page = layout.documents_page(demo, views)
            with gr.Tab("目录", id="catalog"):
                layout.catalog_page(views)
            if settings.admin_password:
                upload = layout.upload_tab(
                    views, admin_state, [chat_page.doc_filter, documents_page.doc_pick]
                )
        if settings.admin_password:
            reveal = [upload, *([chat_page.admin_examples] if chat_page.admin_examples else [])]
            layout.admin_login(views, admin_state, reveal)
    return demo


def theme() -> gr.themes.Base:
    """The app's look: Latin fonts bundled with Gradio, then local CJK fonts (nothing fetched)."""
    return gr.themes.Soft(
        font=("ui-sans-serif", "system-ui", "WenQuanYi Micro Hei", "Noto Sans CJK SC", "sans-serif"),
        font_mono=("ui-monospace", "WenQuanYi Micro Hei Mono", "monospace"),
    )


def launch(demo: gr.Blocks, settings: Settings, host: str, port: int, block: bool = True) -> gr.Blocks:
    """Queue with the limits of `settings`, then launch on host:port (never shared publicly)."""
    # Gradio's queue rebuilds a pandas summary of its last 10,000 events after every event, for a
    # monitoring page this app does not enable: under 50 users that cost more than the answers.
    # Summarise every 1,000 events over the last 1,000 instead (an operator's own setting wins).
    os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", "1000")
    os.environ.setdefault("GRADIO_ANALYTICS_MAX_EVENTS", "1000")
    # Places in the queue are sent once a second: the default sends every waiting visitor a new one
    # each time any answer starts, which for 50 waiting visitors is 50 messages per answer.
    demo.queue(
        default_concurrency_limit=settings.max_concurrency,
        max_size=settings.max_queue,
        status_update_rate=1.0,
    )
    gate: AdminGate = getattr(demo, "admin_gate", None) or AdminGate(settings.admin_password)
    demo.launch(
        # The upload route answers admin sessions only, and no file may be larger than the cap.
        app_kwargs={"middleware": [Middleware(gate.upload_gate)]},
        max_file_size=f"{settings.max_upload_mb}mb",
        server_name=host,
        server_port=port,
        share=False,
        prevent_thread_lock=not block,
        show_error=True,
        ssr_mode=False,
        quiet=not block,
        theme=theme(),
        css=CSS,
        footer_links=["api"],
    )
    return demo


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 7860, block: bool = True) -> gr.Blocks:
    """Build the app over the store in `settings` and serve it; `block=False` returns once it listens."""
    set_offline_environment()  # an entry point of its own when a script serves without `budgetqa`
    charts.find_cjk_font()  # fail now, with the fix, rather than with boxes in every chart
    return launch(build_app(settings), settings, host, port, block=block)
