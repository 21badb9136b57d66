"""The speedtest's server side: the browser measures ping, download and upload against the portal itself.

Signed-in customers only (it is the Services module's), and bounded: a download is at most
25 MB of incompressible bytes, an upload at most the app's request size limit.
"""

from __future__ import annotations

import os

from flask import Blueprint, Response, request

from portal_bff.web import errors
from portal_bff.web.guard import page

blp = Blueprint("web_speedtest", __name__, url_prefix="/speedtest")
errors.register(blp)
CHUNK = 64 * 1024
MAX_DOWNLOAD = 25_000_000
NO_STORE = {"Cache-Control": "no-store", "Content-Encoding": "identity"}


@blp.get("/ping")
@page(module="services")
def ping():
    return Response(b"", status=204, headers=NO_STORE)


@blp.get("/download")
@page(module="services")
def download():
    size = min(max(request.args.get("bytes", 1_000_000, type=int) or 0, CHUNK), MAX_DOWNLOAD)
    block = os.urandom(CHUNK)  # random: no compression on the way can fake the speed

    def chunks():
        sent = 0
        while sent < size:
            part = block[: min(CHUNK, size - sent)]
            sent += len(part)
            yield part

    headers = NO_STORE | {"Content-Length": str(size)}
    return Response(chunks(), mimetype="application/octet-stream", headers=headers)


@blp.post("/upload")
@page(module="services")
def upload():
    received = 0
    while chunk := request.stream.read(CHUNK):
        received += len(chunk)
    return {"bytes": received}, 200, NO_STORE
