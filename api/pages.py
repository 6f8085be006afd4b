"""HTML pages: one Jinja2 environment per app, the reader's language, one base layout.

The language is chosen by `?lang=` (vi or en), then by Accept-Language, else Vietnamese. Every
page extends `base.html`, which sets `<html lang>` and offers the switch to the other language.

Every link whose target comes from data is written `<a{{ url|href_attr }}>`: the filter gives the
href attribute only for a target a page may link to (bioplan.linked_data.site_links.link_target: http, https,
mailto, or a place on this site), so a `javascript:` IRI is shown as text in an `<a>` without
href, which is no link (HTML: a placeholder), never as something to click.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from fastapi import Request
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.responses import HTMLResponse

from bioplan.formats.negotiation import negotiate_language
from bioplan.labels import DEFAULT_LANGUAGE, LANGUAGES, display_date, local_name, pick, section_path
from bioplan.linked_data.site_links import compact, href, link_target, local_path
from bioplan.namespaces import CANONICAL_BASE

TEMPLATES = Path(__file__).parent / "templates"


def reader_language(request: Request) -> str:
    """vi or en: the `lang` parameter, else the Accept-Language header, else vi."""
    asked = request.query_params.get("lang", "").lower()
    if asked in LANGUAGES:
        return asked
    return negotiate_language(request.headers.get("accept-language"), LANGUAGES, DEFAULT_LANGUAGE)


def site_bases(request: Request) -> tuple[str, ...]:
    """The bases whose IRIs this site serves: the service's own, and the canonical one."""
    base = request.app.state.services.settings.base_iri
    return (base,) if base == CANONICAL_BASE else (base, CANONICAL_BASE)


def iri_helpers(request: Request) -> dict:
    """What a page uses to show an IRI: a local link, whether it is one, a short name, a label."""
    lang = reader_language(request)
    bases = site_bases(request)
    return {
        "href": lambda iri: href(iri, bases, lang),
        "is_local": lambda iri: local_path(iri, bases) is not None,
        "curie": compact,
        "pick": lambda texts: pick(texts, lang),
        "local_name": local_name,
    }


def url_with(request: Request, **params: str | None) -> str:
    """This page's path and query with ``params`` set (None removes one)."""
    query = dict(request.query_params)
    for name, value in params.items():
        if value is None:
            query.pop(name, None)
        else:
            query[name] = value
    return request.url.path + (f"?{urlencode(query)}" if query else "")


def href_attribute(url: str | None) -> Markup:
    """` href="<url>"` (escaped) when a page may link to ``url``, else nothing: the `href_attr`
    filter, for every link built from data (`<a{{ href(iri)|href_attr }}>`)."""
    target = link_target(url) if url else None
    return Markup(' href="{}"').format(escape(target)) if target is not None else Markup("")


class Pages:
    """Renders templates with what every page needs: language, the switch, the alternates."""

    def __init__(self, templates: Path = TEMPLATES):
        self.environment = Environment(
            loader=FileSystemLoader(templates), autoescape=select_autoescape(["html", "xml"]), auto_reload=False
        )
        self.environment.filters["href_attr"] = href_attribute

    def render(
        self,
        request: Request,
        template: str,
        context: dict | None = None,
        *,
        status_code: int = 200,
        headers: dict[str, str] | None = None,
    ) -> HTMLResponse:
        lang = reader_language(request)
        other = next(language for language in LANGUAGES if language != lang)
        page = {
            "request": request,
            "lang": lang,
            "other_lang": other,
            "other_lang_url": url_with(request, lang=other),
            "t": lambda vi, en: vi if lang == "vi" else en,  # inline bilingual text: {{ t("Tìm", "Search") }}
            "day": lambda value: display_date(value, lang),  # {{ day(d) }}: 01/07/2025, or 1 July 2025
            "section": lambda path: section_path(path, lang),  # {{ section(p) }}: "I.2, gạch đầu dòng 1"
            **(context or {}),
        }
        body = self.environment.get_template(template).render(page)
        response_headers = {"Vary": "Accept, Accept-Language", "Content-Language": lang, **(headers or {})}
        return HTMLResponse(body, status_code=status_code, headers=response_headers)
