/* kg viz, part 1 of 5: DOM helpers, the evidence and entity-card panel.
 *
 * Safety rule of the page: graph text reaches the DOM only through textContent, element
 * properties (value, href of registry links built from a fixed template) or the vis canvas
 * (which draws text, never HTML). No innerHTML, no vis "title" tooltips, no HTML labels.
 */
(function () {
  "use strict";
  var parts = window.kgParts = window.kgParts || {};

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }
  function arrow(sign) { return sign > 0 ? "\u2192" : sign < 0 ? "\u22a3" : "\u2014"; }
  parts.el = el;
  parts.clear = clear;
  parts.arrow = arrow;

  // The panel on the right: what is selected, with its evidence. `app` is the page state
  // (viz.js): data, lookups, filters and the select* functions the links call.
  parts.panel = function (app) {
    var data = app.data, panel = document.getElementById("kg-panel");
    var current = { view: "default", id: null };

    function link(text, onClick, cls) {
      var b = el("button", "kg-link" + (cls ? " " + cls : ""), text);
      b.type = "button";
      b.addEventListener("click", onClick);
      return b;
    }
    function nodeLink(id) {
      var b = link(app.label(id), function () { app.selectNode(id, true); });
      b.setAttribute("data-node", id);
      return b;
    }
    function signSpan(sign) {
      return el("span", sign > 0 ? "kg-inc" : sign < 0 ? "kg-dec" : "kg-neu", " " + arrow(sign) + " ");
    }
    function hopLine(e) {
      var p = el("span");
      p.appendChild(nodeLink(e.from));
      p.appendChild(signSpan(e.causal ? e.sign : 0));
      p.appendChild(nodeLink(e.to));
      p.appendChild(el("span", "kg-muted", " (" + e.words + (e.level !== "stated" ? ", " + e.level : "") + ")"));
      return p;
    }
    function row(dl, name, value) {
      if (value === null || value === undefined) return;
      if (Array.isArray(value)) { if (!value.length) return; value = value.join(", "); }
      if (value === "") return;
      dl.appendChild(el("dt", null, name));
      dl.appendChild(el("dd", null, value));
    }
    var LEVEL_WORDS = { stated: "stated in the review", inferred: "curator-inferred", corrected: "corrected reading (the curation's)",
      "as-printed": "as printed (a reading the curation corrects)" };
    function evidenceCard(id, edge, compact) {
      var r = data.evidence[id], card = el("div", "kg-evidence");
      card.setAttribute("data-evidence", id);
      if (!r) {
        card.appendChild(el("p", "kg-muted", "evidence " + id + ": no record in this graph"));
        return card;
      }
      if (app.filterOn() && !app.evidencePasses(id)) {
        card.className += " kg-out";
        card.appendChild(el("p", "kg-out-tag", "does not match the current filters"));
      }
      card.appendChild(el("blockquote", null, "\u201c" + r.quote + "\u201d"));
      card.appendChild(el("p", "kg-cite", r.citation || "no reference"));
      var dl = el("dl");
      row(dl, "section", r.section);
      if (!compact) row(dl, "printed citation", r.printed);
      row(dl, "study type", r.study_type);
      row(dl, "species", r.species);
      row(dl, "cell type", r.cell_type);
      if (!compact) {
        row(dl, "exosome origin", r.exosome_origin);
        row(dl, "stressor", r.stressor);
        row(dl, "context", r.context);
        row(dl, "source", r.source);
        row(dl, "experiments", r.experiments);
        row(dl, "support", r.support_type);
      }
      row(dl, "evidence", LEVEL_WORDS[r.level] || r.level);
      card.appendChild(dl);
      r.flags.forEach(function (flag) {
        var bad = flag.indexOf("citation mismatch") === 0 || flag.indexOf("contradicted") === 0;
        card.appendChild(el("div", bad ? "kg-flag kg-bad" : "kg-flag", "\u26a0 " + flag));
      });
      if (edge && edge.contradicts.length && !compact) {
        edge.contradicts.forEach(function (other) {
          card.appendChild(el("div", "kg-flag kg-bad", "\u26a0 contradicted by assertion " + other));
        });
      }
      return card;
    }
    function start(view, id) {
      clear(panel);
      current = { view: view, id: id };
      panel.setAttribute("data-view", view);
    }
    function back() {
      panel.appendChild(el("p"));
      panel.lastChild.appendChild(link("\u2190 back", function () { app.clearSelection(); }));
    }

    function showDefault() {
      start("default", null);
      if (app.tracing) {
        panel.appendChild(el("h2", null, data.rowsTitle || "Paths, left to right"));
        panel.appendChild(el("p", null, data.subtitle));
        var ol = el("ol", "kg-paths");
        var heading = null;
        data.rows.forEach(function (p, i) {
          // a prediction page: each outcome's heading, then its paths with their scores
          if (p.title && p.title !== heading) {
            heading = p.title;
            ol.appendChild(el("li", "kg-row-title", p.title));
          }
          var li = el("li");
          li.setAttribute("data-row", String(i));
          if (app.state.path === i) li.className = "kg-chosen";
          li.appendChild(link(p.text, function () { app.selectPath(i); }));
          li.appendChild(el("span", p.effect === "increases" ? "kg-inc" : "kg-dec", " net " + p.effect));
          if (p.paths.length > 1) li.appendChild(el("span", "kg-muted", " (" + p.paths.length + " parallel assertions merged)"));
          if (p.role) li.appendChild(el("span", "kg-muted", " \u00b7 " + p.role));
          if (p.score && p.score.length) {
            var breakdown = el("ul", "kg-score");
            p.score.forEach(function (line) { breakdown.appendChild(el("li", null, line)); });
            li.appendChild(breakdown);
          }
          if (!app.rowShown(i)) li.appendChild(el("span", "kg-out-tag", " hidden by the filters"));
          ol.appendChild(li);
        });
        panel.appendChild(ol);
        if (app.state.path !== null) panel.appendChild(link("show all paths", function () { app.selectPath(null); }));
        panel.appendChild(el("p", "kg-muted", "Click a path to isolate it; click an arrow to read its evidence; " +
          "tick \u201cshow context\u201d for the entities around the paths."));
        return;
      }
      panel.appendChild(el("h2", null, "Evidence"));
      panel.appendChild(el("p", null, "Click an entity for its card, or an arrow for the quotes from the review, the " +
        "reference that reports the finding, the study type, species and cell type, and any flags."));
      panel.appendChild(el("p", "kg-muted", data.nodes.length + " entities, " + data.edges.length + " assertions, " +
        Object.keys(data.evidence).length + " evidence records."));
      panel.appendChild(el("h3", null, "Biggest hubs"));
      var hubs = data.nodes.slice().sort(function (a, b) { return b.degree - a.degree || a.label.localeCompare(b.label); });
      var ul = el("ul", "kg-paths");
      hubs.slice(0, 8).forEach(function (n) {
        var li = el("li");
        li.appendChild(nodeLink(n.id));
        li.appendChild(el("span", "kg-muted", " \u00b7 " + app.style(n.type).label + " \u00b7 " + n.degree + " edges"));
        ul.appendChild(li);
      });
      panel.appendChild(ul);
    }

    function showEdges(ids, title) {
      var edges = ids.map(function (id) { return app.edgeById[id]; }).filter(Boolean);
      if (!edges.length) return;
      start("edge", ids.join(","));
      var h = el("h2");
      h.appendChild(hopLine(edges[0]));
      panel.appendChild(h);
      if (title) panel.appendChild(el("p", "kg-muted", title));
      edges.forEach(function (e) {
        var evidence = e.evidence.length;
        panel.appendChild(el("p", "kg-muted", "assertion " + e.assertion + (e.causal ? "" : " \u00b7 not causal") +
          " \u00b7 " + evidence + " evidence"));
        e.contradicts.forEach(function (other) {
          var flag = el("div", "kg-flag kg-bad", "\u26a0 contradicted by assertion " + other + " ");
          if (app.edgeByAssertion[other]) {
            flag.appendChild(link("show it", function () { app.selectEdge(app.edgeByAssertion[other].id); }));
          }
          panel.appendChild(flag);
        });
        e.evidence.forEach(function (eid) { panel.appendChild(evidenceCard(eid, e, false)); });
      });
      back();
    }

    function showNode(id) {
      var n = app.nodeById[id];
      if (!n) return;
      var c = n.card;
      start("node", id);
      panel.appendChild(el("h2", null, n.label));
      var kind = el("p");
      kind.appendChild(el("span", "kg-kind", app.style(n.type).label));
      kind.appendChild(el("span", "kg-muted", "  id: " + n.id));
      panel.appendChild(kind);
      var dl = el("dl", "kg-facts");
      row(dl, "synonyms", n.synonyms);
      if (n.xrefs.length) {
        dl.appendChild(el("dt", null, "identifiers"));
        var dd = el("dd");
        n.xrefs.forEach(function (x, i) {
          if (i) dd.appendChild(document.createTextNode(", "));
          if (x[1]) {
            var a = el("a", null, x[0]);
            a.href = x[1];
            a.target = "_blank";
            a.rel = "noopener noreferrer";
            dd.appendChild(a);
          } else dd.appendChild(document.createTextNode(x[0]));
        });
        dl.appendChild(dd);
      }
      function names(title, ids) {
        if (!ids.length) return;
        dl.appendChild(el("dt", null, title));
        var d = el("dd");
        ids.forEach(function (k, i) {
          if (i) d.appendChild(document.createTextNode(", "));
          d.appendChild(app.nodeById[k] ? nodeLink(k) : el("span", null, k));
        });
        dl.appendChild(d);
      }
      names("is a kind of", c.kind_of);
      names("its kinds", c.kinds);
      function count(x) {
        return x.total + " (" + x.increases + " \u2192, " + x.decreases + " \u22a3" + (x.unsigned ? ", " + x.unsigned + " unsigned" : "") + ")";
      }
      row(dl, "regulates", count(c.regulates));
      row(dl, "regulated by", count(c.regulated_by));
      row(dl, "references", c.references.length ? c.references.join("; ") + (c.more_references ? "; and " + c.more_references + " more" : "") : "none");
      row(dl, "contradictions", c.contradictions.length ?
        c.contradictions.map(function (x) { return x.assertion + " contradicted by " + x.contradicts; }).join("; ") : "none");
      panel.appendChild(dl);
      var incident = data.edges.filter(function (e) { return e.from === id; })
        .concat(data.edges.filter(function (e) { return e.to === id && e.from !== id; }));
      panel.appendChild(el("h3", null, incident.length + " assertion(s) on this page"));
      incident.slice(0, 200).forEach(function (e) {
        var details = el("details");
        details.open = incident.length <= 4;
        var summary = el("summary");
        summary.appendChild(hopLine(e));
        summary.appendChild(el("span", "kg-muted", " \u00b7 " + e.evidence.length + " evidence"));
        details.appendChild(summary);
        details.appendChild(link("open this assertion", function () { app.selectEdge(e.id); }));
        e.evidence.forEach(function (eid) { details.appendChild(evidenceCard(eid, e, true)); });
        panel.appendChild(details);
      });
      if (incident.length > 200) panel.appendChild(el("p", "kg-muted", "and " + (incident.length - 200) + " more"));
      back();
    }

    function showGroup(group, expanded) {
      start("group", group.id);
      panel.appendChild(el("h2", null, app.style(group.type).label + ": " + group.count + " entities"));
      panel.appendChild(el("p", null, expanded ? "Expanded: every entity of this type is drawn." :
        "Collapsed: one node stands for them all; click it to expand."));
      panel.appendChild(link(expanded ? "collapse this group" : "expand this group",
        function () { app.toggleGroup(group.id); }));
      panel.appendChild(el("h3", null, "Biggest hubs"));
      var ul = el("ul", "kg-paths");
      group.hubs.forEach(function (id) {
        var li = el("li");
        li.appendChild(nodeLink(id));
        li.appendChild(el("span", "kg-muted", " \u00b7 " + app.nodeById[id].degree + " edges"));
        ul.appendChild(li);
      });
      panel.appendChild(ul);
      back();
    }

    function showAggregate(info) {
      start("aggregate", info.id);
      panel.appendChild(el("h2", null, info.count + " assertion(s)"));
      panel.appendChild(el("p", null, info.fromLabel + " " + arrow(info.sign) + " " + info.toLabel));
      panel.appendChild(el("p", "kg-muted", "Expand the groups at either end to see each assertion."));
      back();
    }

    function refresh() {
      // Redraw the current view (after a filter change: evidence that no longer matches is marked).
      if (current.view === "node") showNode(current.id);
      else if (current.view === "edge") showEdges(current.id.split(","), null);
      else if (current.view === "default") showDefault();
    }

    return {
      showDefault: showDefault, showNode: showNode, showEdges: showEdges, showGroup: showGroup,
      showAggregate: showAggregate, refresh: refresh, current: function () { return current; }
    };
  };
  // The search box: names, synonyms and identifiers; exact, prefix, substring, then near
  // matches (up to two edits, or the letters in order). Arrow keys move, Enter goes.
  var GREEK = {
    "\u03b1": "alpha", "\u03b2": "beta", "\u03b3": "gamma", "\u03b4": "delta", "\u03b5": "epsilon",
    "\u03ba": "kappa", "\u03bb": "lambda", "\u03bc": "mu", "\u03b8": "theta", "\u03c9": "omega",
    "\u03c3": "sigma", "\u03c4": "tau"
  };
  function key(text) {
    var s = String(text).normalize("NFC").toLowerCase().replace(/[\u2080-\u2089]/g, function (c) {
      return String(c.charCodeAt(0) - 0x2080);
    });
    s = s.replace(/[\u03b1-\u03c9]/g, function (c) { return GREEK[c] || c; });
    return s.replace(/[^0-9a-z]+/g, "");
  }
  function edits(a, b, limit) {
    // Levenshtein distance, or limit + 1 once it must exceed limit.
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    var prev = [], cur, i, j;
    for (j = 0; j <= b.length; j++) prev.push(j);
    for (i = 1; i <= a.length; i++) {
      cur = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        cur.push(Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
        best = Math.min(best, cur[j]);
      }
      if (best > limit) return limit + 1;
      prev = cur;
    }
    return prev[b.length];
  }
  function inOrder(q, s) {
    for (var i = 0, j = 0; j < s.length && i < q.length; j++) if (q[i] === s[j]) i++;
    return i === q.length;
  }
  parts.search = function (app, api) {
    var index = app.data.nodes.map(function (n) {
      return { id: n.id, names: [n.label, n.id].concat(n.synonyms, n.xrefs.map(function (x) { return x[0]; }))
        .map(function (x) { return [x, key(x)]; }) };
    });
    var input = document.getElementById("kg-search"), results = document.getElementById("kg-search-results");
    var found = [], active = -1;
    function search(query) {
      var q = key(query), out = [];
      if (!q) return out;
      var limit = q.length >= 8 ? 2 : q.length >= 4 ? 1 : 0;
      index.forEach(function (entry) {
        var best = null;
        entry.names.forEach(function (pair) {
          var s = pair[1], rank = s === q ? 0 : s.indexOf(q) === 0 ? 1 : s.indexOf(q) > 0 ? 2 : -1;
          if (rank < 0 && limit && edits(q, s, limit) <= limit) rank = 3;
          if (rank < 0 && q.length >= 3 && s.length <= q.length * 2 && inOrder(q, s)) rank = 4;
          if (rank >= 0 && (best === null || rank < best[0])) best = [rank, pair[0]];
        });
        if (best) out.push({ id: entry.id, rank: best[0], name: best[1] });
      });
      out.sort(function (a, b) { return a.rank - b.rank || api.label(a.id).localeCompare(api.label(b.id)); });
      return out.slice(0, 20);
    }
    function mark() {
      Array.prototype.forEach.call(results.children, function (li, i) {
        li.className = i === active ? "active" : "";
        li.setAttribute("aria-selected", String(i === active));
      });
      app.searchActive = active >= 0 && found[active] ? found[active].id : null;
    }
    function show() {
      found = search(input.value);
      active = found.length ? 0 : -1;
      clear(results);
      if (input.value && !found.length) results.appendChild(el("li", "kg-muted", "no match"));
      found.forEach(function (f, i) {
        var li = el("li");
        li.setAttribute("role", "option");
        li.id = "kg-search-option-" + i;
        li.appendChild(el("span", null, api.label(f.id)));
        var extra = " \u00b7 " + api.style(app.nodeById[f.id].type).label;
        if (f.rank >= 3) extra += " \u00b7 near match: " + f.name;
        else if (f.name !== api.label(f.id)) extra += " \u00b7 matches " + f.name;
        li.appendChild(el("span", "kg-muted", extra));
        li.addEventListener("mousedown", function (ev) { ev.preventDefault(); pick(f.id); });
        results.appendChild(li);
      });
      results.hidden = !input.value;
      input.setAttribute("aria-expanded", String(!results.hidden));
      mark();
      app.searchResults = found.map(function (f) { return f.id; });
    }
    function pick(id) {
      results.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.value = api.label(id);
      api.selectNode(id, true);
    }
    input.addEventListener("input", show);
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
        if (results.hidden) show();
        if (found.length) active = (active + (ev.key === "ArrowDown" ? 1 : found.length - 1)) % found.length;
        mark();
        if (active >= 0) input.setAttribute("aria-activedescendant", "kg-search-option-" + active);
        ev.preventDefault();
      } else if (ev.key === "Enter") {
        if (found.length) pick(found[Math.max(0, active)].id);
        ev.preventDefault();
      } else if (ev.key === "Escape") {
        results.hidden = true;
        input.blur();
      }
    });
    input.addEventListener("blur", function () { results.hidden = true; });
  };
})();
