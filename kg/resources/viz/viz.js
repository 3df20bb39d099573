/* kg viz: draws the graph JSON of #kg-data with vis-network and shows the evidence.
 *
 * Safety rule of this file: graph text reaches the page only through textContent, element
 * properties (value) or the vis canvas (which draws text, never HTML). No innerHTML, no
 * vis "title" tooltips, no HTML labels.
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var tracing = data.paths.length > 0;
  var SVGNS = "http://www.w3.org/2000/svg";
  var SIGN_COLOUR = { "1": "#1a9641", "-1": "#d7191c", "0": "#555555" };
  var NONCAUSAL_COLOUR = "#9a9a9a";
  var INSIDE = { box: true, ellipse: true, database: true, circle: true, text: true };

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }
  function mix(hex, amount) {
    // Blend a #rrggbb colour with white (amount 0..1 of white).
    var n = parseInt(hex.slice(1), 16);
    var r = (n >> 16) & 255, g = (n >> 8) & 255, b = n & 255;
    function m(c) { return Math.round(c + (255 - c) * amount); }
    return "rgb(" + m(r) + "," + m(g) + "," + m(b) + ")";
  }
  function darken(hex) {
    var n = parseInt(hex.slice(1), 16);
    var r = (n >> 16) & 255, g = (n >> 8) & 255, b = n & 255;
    return "rgb(" + Math.round(r * 0.6) + "," + Math.round(g * 0.6) + "," + Math.round(b * 0.6) + ")";
  }
  function wrap(label, width) {
    var words = String(label).split(/\s+/), lines = [], line = "";
    words.forEach(function (w) {
      if (line && (line + " " + w).length > width) { lines.push(line); line = w; }
      else { line = line ? line + " " + w : w; }
    });
    if (line) lines.push(line);
    return lines.join("\n");
  }
  function arrow(sign) { return sign > 0 ? "\u2192" : sign < 0 ? "\u22a3" : "\u2014"; }

  // ---- lookups -------------------------------------------------------------------------
  var nodeById = {}, edgeById = {}, edgeByAssertion = {}, edgeByHop = {}, degree = {};
  data.nodes.forEach(function (n) { nodeById[n.id] = n; degree[n.id] = 0; });
  data.edges.forEach(function (e) {
    degree[e.from] += 1;
    degree[e.to] += 1;
    edgeById[e.id] = e;
    edgeByAssertion[e.assertion] = e;
    edgeByHop[e.from + "\u0000" + e.to + "\u0000" + e.assertion] = e;
  });
  function label(id) { return nodeById[id] ? nodeById[id].label : id; }
  function style(type) {
    return data.types[type] || { label: type, shape: "dot", color: "#cccccc" };
  }

  // ---- vis items -----------------------------------------------------------------------
  function visNode(n) {
    var st = style(n.type), inside = INSIDE[st.shape] === true;
    var faded = tracing && !n.mark;
    var fill = faded ? mix(st.color, 0.65) : st.color;
    var border = n.mark ? "#111111" : faded ? "#c8c8c8" : darken(st.color);
    var item = {
      id: n.id,
      label: wrap(n.label, 18),
      shape: st.shape,
      x: n.x,
      y: n.y,
      borderWidth: n.mark ? 3 : 1,
      color: {
        background: fill, border: border,
        highlight: { background: fill, border: "#000000" },
        hover: { background: fill, border: "#000000" }
      },
      font: {
        size: n.mark === "source" || n.mark === "target" || n.mark === "focus" ? 20 : n.mark ? 17 : 14,
        color: faded ? "#8a8a8a" : "#1a1a1a",
        strokeWidth: inside ? 0 : 4,
        strokeColor: "#ffffff"
      }
    };
    if (!inside) item.size = n.mark ? 16 : 11;
    // Without a trace, label size grows with degree: hubs stay legible when zoomed out.
    if (!tracing) item.value = degree[n.id];
    if (st.shape === "box") item.shapeProperties = { borderRadius: n.type === "BiologicalProcess" ? 12 : 3 };
    return item;
  }

  var pairCount = {};
  function visEdge(e) {
    var colour = e.causal ? SIGN_COLOUR[String(e.sign)] : NONCAUSAL_COLOUR;
    var faded = tracing && !e.path;
    var pair = e.from < e.to ? e.from + "\u0000" + e.to : e.to + "\u0000" + e.from;
    var k = pairCount[pair] = (pairCount[pair] || 0) + 1;
    var item = {
      id: e.id,
      from: e.from,
      to: e.to,
      width: e.path ? 4 : e.causal ? 1.8 : 1.2,
      dashes: !e.causal,
      color: { color: colour, highlight: colour, hover: colour, opacity: faded ? 0.2 : 1 },
      arrows: {
        to: { enabled: true, type: e.sign < 0 ? "bar" : "arrow", scaleFactor: e.causal ? 0.9 : 0.5 }
      },
      smooth: false
    };
    if (k > 1) {
      item.smooth = { enabled: true, type: k % 2 ? "curvedCCW" : "curvedCW", roundness: 0.18 * Math.ceil((k - 1) / 2 + 0.5) };
    }
    return item;
  }

  var nodes = new vis.DataSet(data.nodes.map(visNode));
  var edges = new vis.DataSet(data.edges.map(visEdge));
  var big = !data.physics;
  var options = {
    autoResize: true,
    layout: { improvedLayout: false, randomSeed: 7 },
    physics: data.physics ? {
      enabled: true,
      solver: "forceAtlas2Based",
      forceAtlas2Based: {
        gravitationalConstant: -60, centralGravity: 0.01, springLength: 90,
        springConstant: 0.06, damping: 0.5, avoidOverlap: 0.8
      },
      stabilization: { enabled: true, iterations: 600, updateInterval: 100, fit: true },
      minVelocity: 1
    } : { enabled: false },
    interaction: {
      hover: !big, hideEdgesOnDrag: big, hideEdgesOnZoom: big, multiselect: false,
      navigationButtons: false, keyboard: false, tooltipDelay: 300
    },
    edges: { selectionWidth: 2, hoverWidth: 0.5 },
    nodes: {
      font: { face: "system-ui, DejaVu Sans, Arial, sans-serif" },
      scaling: {
        min: 9, max: 22,
        label: { enabled: true, min: 14, max: 34, maxVisible: 34, drawThreshold: 5 }
      }
    }
  };
  var container = document.getElementById("kg-network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  var api = { network: network, nodes: nodes, edges: edges, data: data, drawn: false, ready: false };
  window.kgViz = api;
  var stabilized = !data.physics;
  network.once("afterDrawing", function () {
    api.drawn = true;
    api.ready = stabilized;
  });
  network.on("stabilizationIterationsDone", function () {
    network.setOptions({ physics: { enabled: false } });
    stabilized = true;
    network.fit();
    api.ready = api.drawn;
    if (!api.ready) network.once("afterDrawing", function () { api.ready = true; });
  });

  // ---- header --------------------------------------------------------------------------
  document.title = data.title + " \u2014 kg";
  document.getElementById("kg-title").textContent = data.title;
  document.getElementById("kg-subtitle").textContent = data.subtitle;

  // ---- filters -------------------------------------------------------------------------
  var state = { cell: "", species: "", study: "", level: "all", types: {} };
  Object.keys(data.types).forEach(function (t) { state.types[t] = true; });

  function values(field) {
    var seen = {};
    Object.keys(data.evidence).forEach(function (id) {
      data.evidence[id][field].forEach(function (v) { seen[v] = true; });
    });
    return Object.keys(seen).sort(function (a, b) { return a.localeCompare(b); });
  }
  function fillSelect(id, choices, onChange) {
    var select = document.getElementById(id);
    choices.forEach(function (c) {
      var option = el("option", null, c[1]);
      option.value = c[0];
      select.appendChild(option);
    });
    select.addEventListener("change", function () { onChange(select.value); applyFilters(); });
  }
  function anyOf(list) {
    return [["", "any"]].concat(list.map(function (v) { return [v, v]; }));
  }
  fillSelect("kg-f-cell", anyOf(values("cell_type")), function (v) { state.cell = v; });
  fillSelect("kg-f-species", anyOf(values("species")), function (v) { state.species = v; });
  fillSelect("kg-f-study", anyOf(values("study_type")), function (v) { state.study = v; });
  fillSelect("kg-f-level", [["all", "all (stated + inferred)"], ["stated", "stated in the review"]],
    function (v) { state.level = v; });

  function evidenceFilterOn() {
    return state.cell !== "" || state.species !== "" || state.study !== "" || state.level !== "all";
  }
  function evidencePasses(id) {
    var r = data.evidence[id];
    if (!r) return !evidenceFilterOn();
    return (state.cell === "" || r.cell_type.indexOf(state.cell) >= 0) &&
      (state.species === "" || r.species.indexOf(state.species) >= 0) &&
      (state.study === "" || r.study_type.indexOf(state.study) >= 0) &&
      (state.level === "all" || r.level === "stated");
  }
  var hiddenNode = {}, hiddenEdge = {};
  function applyFilters() {
    var on = evidenceFilterOn(), touched = {}, nodeChanges = [], edgeChanges = [];
    var shownEdges = 0, shownNodes = 0;
    data.edges.forEach(function (e) {
      var show = state.types[nodeById[e.from].type] && state.types[nodeById[e.to].type] &&
        (!on || e.evidence.some(evidencePasses));
      if (show) { touched[e.from] = true; touched[e.to] = true; shownEdges += 1; }
      if (!!hiddenEdge[e.id] === show) { hiddenEdge[e.id] = !show; edgeChanges.push({ id: e.id, hidden: !show }); }
    });
    data.nodes.forEach(function (n) {
      var pinned = n.mark === "focus" || n.mark === "source" || n.mark === "target";
      var show = state.types[n.type] && (!on || touched[n.id] || pinned);
      if (show) shownNodes += 1;
      if (!!hiddenNode[n.id] === show) { hiddenNode[n.id] = !show; nodeChanges.push({ id: n.id, hidden: !show }); }
    });
    if (nodeChanges.length) nodes.update(nodeChanges);
    if (edgeChanges.length) edges.update(edgeChanges);
    document.getElementById("kg-count").textContent = "Showing " + shownNodes + " of " +
      data.nodes.length + " entities and " + shownEdges + " of " + data.edges.length + " assertions.";
    api.shown = { nodes: shownNodes, edges: shownEdges };
  }

  // ---- legends -------------------------------------------------------------------------
  function svg(w, h) {
    var s = document.createElementNS(SVGNS, "svg");
    s.setAttribute("width", String(w));
    s.setAttribute("height", String(h));
    s.setAttribute("aria-hidden", "true");
    return s;
  }
  function shapeIcon(st) {
    var s = svg(22, 16), shape, fill = st.color, stroke = darken(st.color);
    function poly(points) {
      shape = document.createElementNS(SVGNS, "polygon");
      shape.setAttribute("points", points);
    }
    switch (st.shape) {
      case "ellipse":
        shape = document.createElementNS(SVGNS, "ellipse");
        shape.setAttribute("cx", "11"); shape.setAttribute("cy", "8");
        shape.setAttribute("rx", "10"); shape.setAttribute("ry", "6");
        break;
      case "box": case "database": case "square":
        shape = document.createElementNS(SVGNS, "rect");
        var square = st.shape === "square";
        shape.setAttribute("x", square ? "5" : "1"); shape.setAttribute("y", square ? "2" : "3");
        shape.setAttribute("width", square ? "12" : "20"); shape.setAttribute("height", square ? "12" : "10");
        shape.setAttribute("rx", st.shape === "database" ? "5" : "2");
        break;
      case "hexagon": poly("6,2 16,2 21,8 16,14 6,14 1,8"); break;
      case "diamond": poly("11,1 18,8 11,15 4,8"); break;
      case "triangle": poly("11,1 19,15 3,15"); break;
      case "triangleDown": poly("3,1 19,1 11,15"); break;
      case "star": poly("11,1 13,6 19,6 14,10 16,15 11,12 6,15 8,10 3,6 9,6"); break;
      default:
        shape = document.createElementNS(SVGNS, "circle");
        shape.setAttribute("cx", "11"); shape.setAttribute("cy", "8"); shape.setAttribute("r", "6");
    }
    shape.setAttribute("fill", fill);
    shape.setAttribute("stroke", stroke);
    s.appendChild(shape);
    return s;
  }
  function edgeIcon(colour, dashed, end, width) {
    var s = svg(34, 14);
    var line = document.createElementNS(SVGNS, "line");
    line.setAttribute("x1", "2"); line.setAttribute("y1", "7");
    line.setAttribute("x2", end === "bar" ? "29" : "26"); line.setAttribute("y2", "7");
    line.setAttribute("stroke", colour); line.setAttribute("stroke-width", String(width || 2));
    if (dashed) line.setAttribute("stroke-dasharray", "4 3");
    s.appendChild(line);
    var head = document.createElementNS(SVGNS, "polygon");
    head.setAttribute("points", end === "bar" ? "29,1 32,1 32,13 29,13" : "24,2 33,7 24,12");
    head.setAttribute("fill", colour);
    s.appendChild(head);
    return s;
  }
  (function edgeLegend() {
    var ul = document.getElementById("kg-edge-legend");
    [
      [SIGN_COLOUR["1"], false, "arrow", "increases (\u2192)"],
      [SIGN_COLOUR["-1"], false, "bar", "decreases / represses (\u22a3)"],
      [SIGN_COLOUR["0"], false, "arrow", "regulates, direction not stated"],
      [NONCAUSAL_COLOUR, true, "arrow", "not causal: carries, part of, derived from, associated"]
    ].forEach(function (row) {
      var li = el("li");
      li.appendChild(edgeIcon(row[0], row[1], row[2]));
      li.appendChild(el("span", null, row[3]));
      ul.appendChild(li);
    });
    if (tracing) {
      var li = el("li");
      li.appendChild(edgeIcon("#333333", false, "arrow", 4));
      li.appendChild(el("span", null, "bold: on a traced path (others faded)"));
      ul.appendChild(li);
    }
  })();
  (function typeLegend() {
    var ul = document.getElementById("kg-type-legend"), counts = {};
    data.nodes.forEach(function (n) { counts[n.type] = (counts[n.type] || 0) + 1; });
    Object.keys(data.types).forEach(function (t) {
      var li = el("li"), box = el("input"), lab = el("label");
      box.type = "checkbox";
      box.checked = true;
      box.setAttribute("aria-label", "show " + data.types[t].label);
      box.addEventListener("change", function () { state.types[t] = box.checked; applyFilters(); });
      lab.appendChild(box);
      lab.appendChild(shapeIcon(data.types[t]));
      lab.appendChild(el("span", null, data.types[t].label + " (" + (counts[t] || 0) + ")"));
      lab.style.display = "flex";
      lab.style.alignItems = "center";
      lab.style.gap = "5px";
      li.appendChild(lab);
      ul.appendChild(li);
    });
  })();

  // ---- side panel ----------------------------------------------------------------------
  var panel = document.getElementById("kg-panel");

  function link(text, onClick) {
    var b = el("button", "kg-link", text);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }
  function signSpan(sign) {
    return el("span", sign > 0 ? "kg-inc" : sign < 0 ? "kg-dec" : "kg-neu", " " + arrow(sign) + " ");
  }
  function hopLine(e, clickable) {
    var p = el("span");
    p.appendChild(el("span", null, label(e.from)));
    p.appendChild(signSpan(e.causal ? e.sign : 0));
    p.appendChild(el("span", null, label(e.to)));
    p.appendChild(el("span", "kg-muted", " (" + e.words + ")"));
    if (!clickable) return p;
    var b = link("", function () { selectEdge(e.id); });
    b.appendChild(p);
    return b;
  }
  function row(dl, name, value) {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) { if (!value.length) return; value = value.join(", "); }
    if (value === "") return;
    dl.appendChild(el("dt", null, name));
    dl.appendChild(el("dd", null, value));
  }
  function evidenceCard(id, edge, compact) {
    var r = data.evidence[id], card = el("div", "kg-evidence");
    card.setAttribute("data-evidence", id);
    if (!r) {
      card.appendChild(el("p", "kg-muted", "evidence " + id + ": no record in this graph"));
      return card;
    }
    if (evidenceFilterOn() && !evidencePasses(id)) {
      card.className += " kg-out";
      card.appendChild(el("p", "kg-muted", "does not match the current filters"));
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
    row(dl, "evidence", r.level === "stated" ? "stated in the review" : "curator-inferred");
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

  function showDefault() {
    clear(panel);
    panel.setAttribute("data-view", "default");
    if (tracing) {
      panel.appendChild(el("h2", null, "Traced paths"));
      panel.appendChild(el("p", null, data.subtitle));
      var ol = el("ol", "kg-paths");
      data.paths.forEach(function (p, i) {
        var li = el("li");
        li.appendChild(link(p.text, function () { selectPath(i); }));
        li.appendChild(el("span", p.effect === "increases" ? "kg-inc" : "kg-dec", " net " + p.effect));
        ol.appendChild(li);
      });
      panel.appendChild(ol);
      panel.appendChild(el("p", "kg-muted", "Click a path to select it; click an edge to read its evidence."));
      return;
    }
    panel.appendChild(el("h2", null, "Evidence"));
    panel.appendChild(el("p", null, "Click an entity or an edge to see the quotes from the review, the reference " +
      "that reports the finding, the study type, species and cell type, and any flags."));
    panel.appendChild(el("p", "kg-muted", data.nodes.length + " entities, " + data.edges.length + " assertions, " +
      Object.keys(data.evidence).length + " evidence records."));
  }

  function showEdge(id) {
    var e = edgeById[id];
    if (!e) return;
    clear(panel);
    panel.setAttribute("data-view", "edge");
    var h = el("h2");
    h.appendChild(hopLine(e, false));
    panel.appendChild(h);
    var meta = el("p", "kg-muted", "assertion " + e.assertion + (e.causal ? "" : " \u00b7 not causal") +
      " \u00b7 " + e.evidence.length + " evidence");
    panel.appendChild(meta);
    e.contradicts.forEach(function (other) {
      var flag = el("div", "kg-flag kg-bad", "\u26a0 contradicted by assertion " + other + " ");
      if (edgeByAssertion[other]) {
        flag.appendChild(link("show it", function () { selectEdge(edgeByAssertion[other].id); }));
      }
      panel.appendChild(flag);
    });
    e.evidence.forEach(function (eid) { panel.appendChild(evidenceCard(eid, e, false)); });
    panel.appendChild(link("\u2190 back", function () { network.unselectAll(); showDefault(); }));
  }

  function showNode(id) {
    var n = nodeById[id];
    if (!n) return;
    clear(panel);
    panel.setAttribute("data-view", "node");
    panel.appendChild(el("h2", null, n.label));
    var kind = el("p");
    kind.appendChild(el("span", "kg-kind", style(n.type).label));
    kind.appendChild(el("span", "kg-muted", "  id: " + n.id));
    panel.appendChild(kind);
    var dl = el("dl");
    dl.className = "kg-evidence";
    row(dl, "synonyms", n.synonyms);
    row(dl, "identifiers", n.xrefs);
    if (dl.childNodes.length) panel.appendChild(dl);
    var incident = data.edges.filter(function (e) { return e.from === id; })
      .concat(data.edges.filter(function (e) { return e.to === id && e.from !== id; }));
    panel.appendChild(el("h3", null, incident.length + " assertion(s)"));
    incident.forEach(function (e) {
      var details = el("details");
      details.open = incident.length <= 6;
      var summary = el("summary");
      summary.appendChild(hopLine(e, false));
      summary.appendChild(el("span", "kg-muted", " \u00b7 " + e.evidence.length + " evidence"));
      details.appendChild(summary);
      details.appendChild(link("open this assertion", function () { selectEdge(e.id); }));
      e.evidence.forEach(function (eid) { details.appendChild(evidenceCard(eid, e, true)); });
      panel.appendChild(details);
    });
    panel.appendChild(link("\u2190 back", function () { network.unselectAll(); showDefault(); }));
  }

  function selectEdge(id) {
    network.setSelection({ nodes: [], edges: [id] }, { highlightEdges: false });
    showEdge(id);
  }
  function selectNode(id) {
    network.selectNodes([id], false);
    network.focus(id, { scale: Math.max(network.getScale(), 1), animation: false });
    showNode(id);
  }
  function selectPath(i) {
    var p = data.paths[i], ids = [];
    p.hops.forEach(function (h) {
      var e = edgeByHop[h[0] + "\u0000" + h[1] + "\u0000" + h[2]];
      if (e) ids.push(e.id);
    });
    network.setSelection({ nodes: p.nodes, edges: ids }, { highlightEdges: false });
    network.fit({ nodes: p.nodes, animation: false });
  }
  api.selectEdge = selectEdge;
  api.selectNode = selectNode;
  api.selectPath = selectPath;

  network.on("click", function (params) {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
    else showDefault();
  });

  // ---- search --------------------------------------------------------------------------
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
  var index = data.nodes.map(function (n) {
    return { id: n.id, names: [n.label, n.id].concat(n.synonyms, n.xrefs).map(function (x) { return [x, key(x)]; }) };
  });
  var input = document.getElementById("kg-search"), results = document.getElementById("kg-search-results");
  function search(query) {
    var q = key(query), found = [];
    if (!q) return found;
    index.forEach(function (entry) {
      var best = null;
      entry.names.forEach(function (pair) {
        var rank = pair[1] === q ? 0 : pair[1].indexOf(q) === 0 ? 1 : pair[1].indexOf(q) > 0 ? 2 : -1;
        if (rank >= 0 && (best === null || rank < best[0])) best = [rank, pair[0]];
      });
      if (best) found.push({ id: entry.id, rank: best[0], name: best[1] });
    });
    found.sort(function (a, b) {
      return a.rank - b.rank || label(a.id).localeCompare(label(b.id));
    });
    return found.slice(0, 20);
  }
  function showResults() {
    var found = search(input.value);
    clear(results);
    results.hidden = found.length === 0 && !input.value;
    if (input.value && !found.length) { results.appendChild(el("li", "kg-muted", "no match")); results.hidden = false; }
    found.forEach(function (f) {
      var li = el("li");
      li.appendChild(el("span", null, label(f.id)));
      var extra = " \u00b7 " + style(nodeById[f.id].type).label;
      if (f.name !== label(f.id)) extra += " \u00b7 matches " + f.name;
      li.appendChild(el("span", "kg-muted", extra));
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); pick(f.id); });
      results.appendChild(li);
    });
    api.searchResults = found.map(function (f) { return f.id; });
  }
  function pick(id) {
    results.hidden = true;
    input.value = label(id);
    selectNode(id);
  }
  input.addEventListener("input", showResults);
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { var found = search(input.value); if (found.length) pick(found[0].id); }
    if (ev.key === "Escape") { results.hidden = true; }
  });
  input.addEventListener("blur", function () { results.hidden = true; });

  applyFilters();
  showDefault();
})();
