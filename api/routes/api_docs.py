"""/docs: the API documentation page (Swagger UI) on /openapi.json, served offline.

Swagger UI's scripts and styles are node_modules/swagger-ui-dist, installed from the npm registry
by `make install` and served at /vendor/swagger-ui (api/app.py); the page starts it with a file of
/static, not an inline script, so it runs under the site's Content-Security-Policy
(api/security_headers.py) and loads nothing from another host.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import HTMLResponse

router = APIRouter()

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>vn-bioplan: API documentation</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/vendor/swagger-ui/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi-url="/openapi.json"></div>
<script src="/vendor/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/static/api-docs.js"></script>
</body>
</html>
"""


@router.api_route("/docs", methods=["GET", "HEAD"], include_in_schema=False)
async def api_docs() -> HTMLResponse:
    return HTMLResponse(PAGE)
