// The query page, enhanced: a SPARQL editor, examples loaded in place, results as a table.
// Without this script the page still works: the form posts and the server renders the table.
(function () {
  "use strict";
  const form = document.getElementById("query-form");
  const textarea = document.getElementById("query");
  const results = document.getElementById("results");
  const examples = JSON.parse(document.getElementById("example-texts").textContent);
  const lang = document.documentElement.lang;
  const editor = window.CodeMirror
    ? CodeMirror.fromTextArea(textarea, { mode: "application/sparql-query", lineNumbers: true, indentUnit: 2 })
    : null;
  const text = () => (editor ? editor.getValue() : textarea.value);
  const say = (vi, en) => (lang === "en" ? en : vi);

  document.querySelectorAll("#examples a[data-example]").forEach((link) => {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      const query = examples[link.dataset.example];
      if (editor) editor.setValue(query); else textarea.value = query;
    });
  });

  function localHref(iri) {
    const idBase = form.dataset.base;
    if (idBase && iri.startsWith(idBase)) {
      const path = iri.slice(idBase.length);
      if (path.startsWith("id/") || path.startsWith("def/")) return "/" + path + (lang === "en" ? "?lang=en" : "");
    }
    return iri;
  }

  // As the server decides (bioplan.site_links.link_target): only http, https and mailto IRIs,
  // or places on this site, become links; any other scheme (javascript:, data:...) is text.
  // The browser's own URL parser reads the scheme, as it would when the link is followed.
  const LINK_SCHEMES = ["http:", "https:", "mailto:"];
  function linkable(href) {
    try {
      return LINK_SCHEMES.includes(new URL(href, document.baseURI).protocol);
    } catch (error) {
      return false;
    }
  }

  function cell(term) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      const href = localHref(term.value);
      const a = document.createElement("a");
      if (linkable(href)) a.href = href;
      a.textContent = term.value;
      td.appendChild(a);
    } else {
      td.textContent = term.value;
      if (term["xml:lang"]) {
        const tag = document.createElement("span");
        tag.className = "muted";
        tag.textContent = " @" + term["xml:lang"];
        td.appendChild(tag);
      }
    }
    return td;
  }

  function downloads(query) {
    const p = document.createElement("p");
    p.className = "downloads";
    p.textContent = say("Tải về", "Download") + ": ";
    ["json", "xml", "csv", "tsv"].forEach((name) => {
      const a = document.createElement("a");
      a.href = "/sparql?" + new URLSearchParams({ query: query, format: name });
      a.textContent = name;
      p.appendChild(a);
      p.appendChild(document.createTextNode(" "));
    });
    return p;
  }

  function show(query, answer) {
    results.replaceChildren();
    if (typeof answer.boolean === "boolean") {
      const p = document.createElement("p");
      p.id = "result-count";
      p.textContent = String(answer.boolean);
      results.appendChild(p);
      return;
    }
    const variables = answer.head.vars;
    const rows = answer.results.bindings;
    const count = document.createElement("p");
    count.id = "result-count";
    count.className = "muted";
    count.textContent = rows.length + " " + say("dòng", "rows") + (answer.truncated ? say(" (đã cắt bớt)", " (truncated)") : "");
    results.appendChild(count);
    results.appendChild(downloads(query));
    const table = document.createElement("table");
    table.id = "result-table";
    const head = table.createTHead().insertRow();
    variables.forEach((name) => {
      const th = document.createElement("th");
      th.textContent = name;
      head.appendChild(th);
    });
    const body = table.createTBody();
    rows.forEach((binding) => {
      const tr = body.insertRow();
      variables.forEach((name) => tr.appendChild(cell(binding[name])));
    });
    results.appendChild(table);
  }

  form.addEventListener("submit", async (event) => {
    const format = document.getElementById("format").value;
    const query = text();
    if (format) return; // a download: let the browser post the form
    event.preventDefault();
    if (editor) editor.save();
    results.replaceChildren();
    const response = await fetch("/sparql", {
      method: "POST",
      headers: {
        "Content-Type": "application/sparql-query",
        Accept: "application/sparql-results+json, text/turtle;q=0.9",
      },
      body: query,
    });
    if (!response.ok) {
      const p = document.createElement("p");
      p.className = "error";
      p.setAttribute("role", "alert");
      const body = await response.json().catch(() => null);
      const error = body && body.error;
      p.textContent = error
        ? error.message + (error.line ? " (" + say("dòng", "line") + " " + error.line + ", " + say("cột", "column") + " " + error.column + ")" : "")
        : response.status + " " + response.statusText;
      results.appendChild(p);
      return;
    }
    const type = response.headers.get("content-type") || "";
    if (type.includes("json")) {
      show(query, await response.json());
    } else {
      const pre = document.createElement("pre");
      pre.textContent = await response.text();
      results.appendChild(pre);
    }
  });
})();
