"""The web app: a JSON API under /api and the Gradio chat at /, on one FastAPI server.

`python app.py` (or `make run`) builds the index if it is missing and serves on
127.0.0.1:7860 (QA_HOST, QA_PORT). Bad requests get a 4xx with a one-line reason, never a
stack trace. Gradio's file routes serve nothing from the data directory or the source tree.
A store that cannot be read stops the start with one line; an incomplete one (vectors or BM25
missing) starts, reports it at /api/health and refuses questions (503) until it is repaired.
The routes are `qa.http_api`'s; this module puts them, the error handlers, the request limits and
the chat on one app and starts it.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr
import uvicorn
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from index.catalog import StoreBusy, StoreDamaged
from qa import Assistant, QASettings, UnknownArticle
from qa.http_api import add_routes
from qa.request_body import Limit
from qa.request_limits import RequestLimits
from qa.settings import PROJECT_ROOT
from qa.ui import CSS, build_ui

MAX_BODY_BYTES = 64_000


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())[:300]


def _errors(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, error: RequestValidationError) -> JSONResponse:
        first = error.errors()[0] if error.errors() else {"loc": (), "msg": "invalid request"}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        return JSONResponse({"detail": f"{where}: {first.get('msg')}".strip(": ")}, status_code=422)

    for kind, status in ((ValueError, 400), (UnknownArticle, 404), (StoreBusy, 409), (StoreDamaged, 503)):

        async def handler(_: Request, error: Exception, status: int = status) -> JSONResponse:
            return JSONResponse({"detail": _one_line(error)}, status_code=status)

        app.add_exception_handler(kind, handler)


def create_app(settings: QASettings, assistant: Assistant | None = None) -> FastAPI:
    """The API and the chat page over one assistant (built from `settings` if not given)."""
    assistant = assistant or Assistant(settings)
    app = FastAPI(title="News QA", description="Cited answers from news articles.")
    _errors(app)
    add_routes(app, assistant)
    upload = Limit(settings.upload_max_files * settings.ingest.max_file_bytes + MAX_BODY_BYTES,
                   max_parts=settings.upload_max_files)  # fmt: skip
    app.add_middleware(RequestLimits, api_max_bytes=MAX_BODY_BYTES, upload=upload if settings.allow_upload else None)
    blocks = build_ui(assistant, settings.allow_upload, settings.examples_file)
    blocks.queue(max_size=32, default_concurrency_limit=2)
    blocked = [str(settings.data_dir.resolve()), str(PROJECT_ROOT)]
    return gr.mount_gradio_app(app, blocks, path="/", css=CSS, ssr_mode=False, blocked_paths=blocked,
                               max_file_size=settings.ingest.max_file_bytes, footer_links=["api"])  # fmt: skip


def main() -> None:
    settings = QASettings()
    assistant = Assistant(settings)
    try:
        if not assistant.store.exists():
            print("Building the index (first run)...", flush=True)
            assistant.ingest(progress=True)
        _check_store(assistant)
    except StoreDamaged as error:
        print(f"qa: error: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    assistant.encoder()  # verify the weights and load the model before the first question
    app = create_app(settings, assistant)
    print(f"Serving on http://{settings.host}:{settings.port}  (API docs at /docs)", flush=True)
    # A browser tab or API client keeps a stream open; stop within seconds of Ctrl-C or SIGTERM regardless.
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning", timeout_graceful_shutdown=3)


def _check_store(assistant: Assistant) -> None:
    """Raise `StoreDamaged` for a store that cannot be read; warn of an incomplete one, which refuses questions."""
    status = assistant.store.health()
    if not status.answerable:
        refusal = status.refusal()
        if refusal.repair == "reindex":
            raise refusal
        print(f"qa: warning: {refusal}; until then questions are refused", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
