"""The API documentation page (/docs, issue 16): Swagger UI from node_modules (installed from the
npm registry by `make install`), served by the app, so that it works on a machine with no network.

- /docs is HTML that names no host but the service's; every script and stylesheet it names answers
  200 from the app; it carries the site's strict Content-Security-Policy (no inline script).
- A real Chromium that can resolve no host name (only the service, on 127.0.0.1, is reachable)
  opens /docs: the operations of /openapi.json are listed, with no console error.

A server over an empty store of its own: the page does not depend on the data.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from api_server import running_server
from browser import chromium, console_errors, screenshot
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from bioplan.settings import Settings
from bioplan.store.embedded import OxigraphStore

# Every host name resolves to nothing; 127.0.0.1 (an address, not a name) is the service.
OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("api-docs")
    store = OxigraphStore(folder / "store")
    try:
        with running_server(Settings(store=str(folder / "store"), query_workers=1), store) as url:
            yield url
    finally:
        store.close()


class References(HTMLParser):
    """The URLs a page names (src, href) and its inline scripts."""

    def __init__(self):
        super().__init__()
        self.scripts: list[str] = []
        self.stylesheets: list[str] = []
        self.urls: list[str] = []
        self.inline_scripts = 0
        self.inline_styles = 0  # <style> elements, style="..." and on...="..." attributes
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in ("src", "href", "action"):
            if attributes.get(name):
                self.urls.append(attributes[name])
        if tag == "script":
            self._in_script = not attributes.get("src")
            if attributes.get("src"):
                self.scripts.append(attributes["src"])
        elif tag == "link" and attributes.get("rel") == "stylesheet":
            self.stylesheets.append(attributes["href"])
        elif tag == "style":
            self.inline_styles += 1
        if any(name.startswith("on") or name == "style" for name in attributes):
            self.inline_styles += 1

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline_scripts += 1


def test_docs_names_no_other_host_and_its_assets_answer(base_url):
    with httpx.Client(base_url=base_url, timeout=30) as http:
        response = http.get("/docs")
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
        page = References()
        page.feed(response.text)
        page.close()
        assert "//" not in response.text.replace("<!doctype html>", "")  # no http://, https:// nor //host
        hosts = {urlsplit(urljoin(base_url + "/docs", url)).netloc for url in page.urls}
        assert hosts == {urlsplit(base_url).netloc}
        assert "/vendor/swagger-ui/swagger-ui-bundle.js" in page.scripts
        assert "/vendor/swagger-ui/swagger-ui.css" in page.stylesheets
        assert page.inline_scripts == 0 and page.inline_styles == 0
        for url in page.scripts + page.stylesheets:
            asset = http.get(url)
            assert asset.status_code == 200, url
            assert asset.content
        assert http.get("/openapi.json").json()["paths"]  # what the page shows
        # The site's policy, as on every page: scripts and styles of this site only.
        policy = dict(d.strip().split(" ", 1) for d in response.headers["content-security-policy"].split(";"))
        assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
        assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.browser
def test_docs_lists_the_operations_offline(base_url):
    with chromium(lang="en", switches=(OFFLINE,)) as driver:
        driver.get(base_url + "/docs")
        WebDriverWait(driver, 30).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".opblock")))
        operations = driver.find_elements(By.CSS_SELECTOR, ".opblock")
        paths = {element.text for element in driver.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")}
        assert len(operations) > 10 and "/sparql" in paths
        operations[0].find_element(By.CSS_SELECTOR, ".opblock-summary").click()  # its parameters, answers
        WebDriverWait(driver, 30).until(
            expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".opblock.is-open .responses-table"))
        )
        # Everything the page fetched came from the service (Resource Timing lists failed fetches too).
        fetched = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
        assert fetched and {urlsplit(url).netloc for url in fetched} == {urlsplit(base_url).netloc}
        assert console_errors(driver) == []  # a script or style refused by the policy would show here
        screenshot(driver, "api-docs")
