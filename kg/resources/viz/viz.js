/* kg viz, part 5 of 5: draws the graph JSON of #kg-data with vis-network at the positions
 * kg computed (layers by role, left to right; no physics), and wires filters, search,
 * selection, the aggregated view of large graphs, the trace rows, keys and the URL state.
 * Every label drawn is at least 11 px on screen (vis's drawThreshold); smaller ones appear
 * as you zoom in.
 */
(function () {
  "use strict";
  var parts = window.kgParts, el = parts.el, clear = parts.clear;
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var tracing = data.rows.length > 0;
  var SVGNS = "http://www.w3.org/2000/svg";
  // Navy and orange: apart in lightness (>= 3.5:1) also for deuteranopes and protanopes;
  // the heads (arrow, bar, diamond, dot) carry the sign as well.
  var KINDS = {
    inc: { colour: "#0B2A5B", head: "arrow", words: "increases (arrow \u2192)" },
    dec: { colour: "#DD7700", head: "bar", words: "decreases / represses (bar \u22a3)" },
    neu: { colour: "#767676", head: "diamond", words: "regulates, direction not stated" },
    non: { colour: "#ABABAB", head: "circle", words: "not causal: carries, part of, kind of, associated" }
  };
  var DASHES = { stated: false, inferred: [12, 7], "as-printed": [3, 6] };
  var LEVEL_WORDS = { stated: "solid: stated in the review", inferred: "dashed: curator-inferred or corrected",
    "as-printed": "dotted: as printed, contradicted" };
  var LABEL_PX = 11;

  function mix(hex, amount) {
    var n = parseInt(hex.slice(1), 16), r = (n >> 16) & 255, g = (n >> 8) & 255, b = n & 255;
    function m(c) { return Math.round(c + (255 - c) * amount); }
    return "rgb(" + m(r) + "," + m(g) + "," + m(b) + ")";
  }
  function darken(hex) {
    var n = parseInt(hex.slice(1), 16), r = (n >> 16) & 255, g = (n >> 8) & 255, b = n & 255;
    return "rgb(" + Math.round(r * 0.55) + "," + Math.round(g * 0.55) + "," + Math.round(b * 0.55) + ")";
  }
  function wrap(text, width) {
    var words = String(text).split(/\s+/), lines = [], line = "";
    words.forEach(function (w) {
      if (line && (line + " " + w).length > width) { lines.push(line); line = w; } else line = line ? line + " " + w : w;
    });
    if (line) lines.push(line);
    return lines.join("\n");
  }
  function kindOf(e) { return !e.causal ? "non" : e.sign > 0 ? "inc" : e.sign < 0 ? "dec" : "neu"; }

  // ---- lookups -------------------------------------------------------------------------
  var nodeById = {}, edgeById = {}, edgeByAssertion = {}, groupById = {}, groupOfType = {};
  var maxDegree = 1;
  data.nodes.forEach(function (n) { nodeById[n.id] = n; maxDegree = Math.max(maxDegree, n.degree); });
  data.edges.forEach(function (e) { edgeById[e.id] = e; edgeByAssertion[e.assertion] = e; });
  data.groups.forEach(function (g) { groupById[g.id] = g; groupOfType[g.type] = g; });
  function label(id) { return nodeById[id] ? nodeById[id].label : id; }
  function style(type) { return data.types[type] || { label: type, shape: "dot", color: "#cccccc", band: 2 }; }

  var state = { cell: "", species: "", study: "", level: "all", types: {}, open: {}, context: false,
    path: null, node: null, edge: null };
  Object.keys(data.types).forEach(function (t) { state.types[t] = true; });
  if (!data.aggregate) data.groups.forEach(function (g) { state.open[g.id] = true; });

  function filterOn() {
    return state.cell !== "" || state.species !== "" || state.study !== "" || state.level !== "all";
  }
  function evidencePasses(id) {
    var r = data.evidence[id];
    if (!r) return !filterOn();
    return (state.cell === "" || r.cell_type.indexOf(state.cell) >= 0) &&
      (state.species === "" || r.species.indexOf(state.species) >= 0) &&
      (state.study === "" || r.study_type.indexOf(state.study) >= 0) &&
      (state.level === "all" || r.level === state.level);
  }
  function edgePasses(e) { return !filterOn() || e.evidence.some(evidencePasses); }

  // ---- vis items -----------------------------------------------------------------------
  // Each item keeps what the SVG export needs (kg*) beside what vis reads.
  function nodeItem(id, n, x, y, pinned) {
    var st = style(n.type), big = pinned || n.mark === "focus" || n.mark === "source" || n.mark === "target";
    return {
      id: id, shape: st.shape, x: x, y: y, hidden: true, kgLabel: n.label, kgLines: wrap(n.label, 18).split("\n"),
      kgPx: big ? 16 : 12 + Math.round(4 * Math.log(1 + n.degree) / Math.log(1 + maxDegree)), kgBold: big,
      kgRank: big ? 0 : 2,
      value: big ? maxDegree : n.degree,
      borderWidth: big ? 3 : 1,
      color: { background: st.color, border: big ? "#111111" : darken(st.color),
        highlight: { background: st.color, border: "#000000" }, hover: { background: st.color, border: "#000000" } },
      kgEntity: n.id, kgFill: st.color
    };
  }
  function edgeItem(id, e, from, to, width, extra) {
    var k = KINDS[kindOf(e)];
    var item = {
      id: id, from: from, to: to, hidden: true, width: width, dashes: DASHES[e.level] || false,
      color: { color: k.colour, highlight: k.colour, hover: k.colour, opacity: 1 },
      arrows: { to: { enabled: true, type: k.head, scaleFactor: k.head === "circle" ? 0.6 : 1.3 } },
      smooth: false, kgKind: kindOf(e), kgLevel: e.level
    };
    Object.keys(extra || {}).forEach(function (key) { item[key] = extra[key]; });
    return item;
  }
  var nodeItems = [], edgeItems = [];
  data.nodes.forEach(function (n) { nodeItems.push(nodeItem(n.id, n, n.x, n.y, false)); });
  data.groups.forEach(function (g) {
    var st = style(g.type);
    nodeItems.push({
      id: g.id, shape: st.shape, x: g.x, y: g.y, hidden: true, size: g.size, borderWidth: 3,
      kgLines: [st.label, g.count.toLocaleString("en") + (g.count === 1 ? " entity" : " entities")], kgPx: 15, kgBold: true, kgRank: 1, kgWeight: g.count,
      color: { background: st.color, border: "#111111" },
      kgGroup: g.id, kgFill: st.color, kgLabel: st.label + " \u00b7 " + g.count.toLocaleString("en")
    });
  });
  var pairSeen = {};
  data.edges.forEach(function (e) {
    var pair = e.from < e.to ? e.from + "\u0000" + e.to : e.to + "\u0000" + e.from;
    var k = pairSeen[pair] = (pairSeen[pair] || 0) + 1, extra = {};
    if (k > 1) extra.smooth = { enabled: true, type: k % 2 ? "curvedCCW" : "curvedCW", roundness: 0.15 * Math.ceil((k - 1) / 2) };
    edgeItems.push(edgeItem(e.id, e, e.from, e.to, e.path ? 4 : e.causal ? 2.2 : 1.4, extra));
  });
  // Trace rows: every path gets its own copies of its nodes, one row each, left to right.
  var rowNodes = [], rowEdges = [];
  data.rows.forEach(function (row, r) {
    row.nodes.forEach(function (id, i) {
      var item = nodeItem("r" + r + ":" + i, nodeById[id], row.xy[i][0], row.xy[i][1], i === 0 || i === row.nodes.length - 1);
      item.value = maxDegree;
      item.kgRank = 1;
      item.kgRow = r;
      rowNodes.push(item);
    });
    row.hops.forEach(function (hop, i) {
      var es = hop.edges.map(function (id) { return edgeById[id]; });
      var levels = es.map(function (e) { return e.level; });
      var level = levels.indexOf("as-printed") >= 0 ? "as-printed" : levels.indexOf("stated") >= 0 ? "stated" : "inferred";
      var fake = { causal: true, sign: hop.sign, level: level };
      var item = edgeItem("r" + r + ":h" + i, fake, "r" + r + ":" + i, "r" + r + ":" + (i + 1), 4, {});
      item.kgRow = r;
      item.kgEdges = hop.edges;
      rowEdges.push(item);
    });
  });

  var itemById = {};
  nodeItems.concat(rowNodes).forEach(function (item) { itemById[item.id] = item; });
  var nodes = new vis.DataSet(nodeItems.concat(rowNodes));
  var edges = new vis.DataSet(edgeItems.concat(rowEdges));
  var options = {
    autoResize: true,
    layout: { improvedLayout: false },
    physics: { enabled: false },
    interaction: { hover: data.nodes.length <= 600, hideEdgesOnDrag: data.edges.length > 3000,
      multiselect: false, navigationButtons: false, keyboard: false, zoomSpeed: 0.6 },
    edges: { selectionWidth: 2, hoverWidth: 0.5 },
    nodes: {
      font: { face: "system-ui, DejaVu Sans, Arial, sans-serif" },
      // Sizes grow with the log of the degree; labels are drawn by the labeller below.
      scaling: {
        min: 8, max: 24, label: { enabled: false },
        customScalingFunction: function (min, max, total, value) {
          return max > min ? Math.log(1 + value - min) / Math.log(1 + max - min) : 0.5;
        }
      }
    }
  };
  var container = document.getElementById("kg-network");
  container.tabIndex = 0;
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  network.on("beforeDrawing", function (ctx) {
    // White under the drawing, so that a saved PNG is not transparent.
    var t = ctx.getTransform();
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    ctx.restore();
    ctx.setTransform(t);
  });

  var app = {
    data: data, tracing: tracing, state: state, network: network, nodes: nodes, edges: edges,
    nodeById: nodeById, edgeById: edgeById, edgeByAssertion: edgeByAssertion,
    label: label, style: style, filterOn: filterOn, evidencePasses: evidencePasses,
    drawn: false, ready: false
  };
  window.kgViz = app;
  var panel = parts.panel(app), exporter = parts.exporter(app);
  app.exporter = exporter;

  // ---- what is visible ------------------------------------------------------------------
  var shown = { nodes: {}, edges: {} }, aggregates = {};
  // Links between groups are drawn in proportion to the groups (and thicker with their count).
  var aggUnit = data.groups.length ? 0.06 * Math.min.apply(null, data.groups.map(function (g) { return g.size; })) : 1;
  function rep(id) {
    // The vis node that stands for an entity: itself when its group is open, else the group.
    var g = groupOfType[nodeById[id].type];
    return state.open[g.id] ? id : g.id;
  }
  function rowShown(r) {
    if (state.path !== null && state.path !== r) return false;
    var row = data.rows[r];
    return row.nodes.every(function (id) { return state.types[nodeById[id].type]; }) &&
      row.hops.every(function (h) { return h.edges.some(function (id) { return edgePasses(edgeById[id]); }); });
  }
  app.rowShown = rowShown;
  var rowsMode = function () { return tracing && !state.context; };

  function recompute() {
    var vn = {}, ve = {}, agg = {}, passing = [], hiddenByGroups = 0;
    var pathNodes = {};
    if (rowsMode()) {
      rowNodes.forEach(function (item) { if (rowShown(item.kgRow)) vn[item.id] = true; });
      rowEdges.forEach(function (item) { if (rowShown(item.kgRow)) ve[item.id] = true; });
    } else {
      if (tracing && state.path !== null) data.rows[state.path].nodes.forEach(function (id) { pathNodes[id] = true; });
      data.edges.forEach(function (e) {
        if (!state.types[nodeById[e.from].type] || !state.types[nodeById[e.to].type] || !edgePasses(e)) return;
        passing.push(e);
        var a = rep(e.from), b = rep(e.to);
        if (a === e.from && b === e.to) { ve[e.id] = true; vn[a] = true; vn[b] = true; return; }
        var key = a + "\u0000" + b + "\u0000" + kindOf(e);
        (agg[key] = agg[key] || { from: a, to: b, kind: kindOf(e), count: 0, sign: e.causal ? e.sign : 0 }).count += 1;
        vn[a] = true; vn[b] = true;
      });
      data.nodes.forEach(function (n) {
        var pinned = n.mark === "focus" || n.mark === "source" || n.mark === "target";
        if (!state.types[n.type]) return;
        var r = rep(n.id);
        if (r !== n.id) { hiddenByGroups += 1; if (!filterOn()) vn[r] = true; return; }
        if (!filterOn() || pinned) vn[n.id] = true;
      });
    }
    // Aggregated edges between groups (or a group and an entity): one per pair and kind.
    var aggChanges = [], aggRemove = [];
    Object.keys(aggregates).forEach(function (id) { if (!agg[aggregates[id].key]) { aggRemove.push(id); delete aggregates[id]; } });
    Object.keys(agg).forEach(function (key) {
      var a = agg[key], id = "agg:" + key, k = KINDS[a.kind];
      aggregates[id] = { key: key, info: a };
      aggChanges.push({ id: id, from: a.from, to: a.to, width: aggUnit * (1 + Math.log(a.count)),
        color: { color: k.colour, highlight: k.colour, opacity: 0.75 }, dashes: false, smooth: false,
        arrows: { to: { enabled: true, type: k.head, scaleFactor: 1.3 } }, kgKind: a.kind, kgLevel: "stated" });
    });
    if (aggRemove.length) edges.remove(aggRemove);
    if (aggChanges.length) edges.update(aggChanges);
    Object.keys(aggregates).forEach(function (id) { ve[id] = true; });
    var nodeChanges = [], edgeChanges = [];
    nodes.forEach(function (item) {
      var show = !!vn[item.id];
      if (!!shown.nodes[item.id] !== show || item.hidden === show) nodeChanges.push({ id: item.id, hidden: !show });
    });
    edges.forEach(function (item) {
      if (aggregates[item.id]) return;
      var show = !!ve[item.id];
      if (item.hidden === show) edgeChanges.push({ id: item.id, hidden: !show });
    });
    if (nodeChanges.length) nodes.update(nodeChanges);
    if (edgeChanges.length) edges.update(edgeChanges);
    shown = { nodes: vn, edges: ve };
    if (tracing && !rowsMode()) fadeExcept(state.path !== null ? pathNodes : null, true);
    updateCounts(rowsMode() ? visibleAssertions() : passing, hiddenByGroups);
  }

  // ---- fading: the neighbourhood of a selection, or the traced paths ------------------------
  var faded = false;
  function fadeExcept(keep, pathsOnly) {
    // keep: vis node ids to keep bright (null: everything bright, except context on a trace).
    var nodeChanges = [], edgeChanges = [];
    nodes.forEach(function (item) {
      if (item.hidden) return;
      var n = nodeById[item.kgEntity], bright;
      if (keep) bright = !!keep[item.id] || (item.kgEntity && !!keep[item.kgEntity]);
      else bright = !(tracing && pathsOnly && n && !n.mark);
      var fill = item.kgFill || "#cccccc";
      nodeChanges.push({ id: item.id, color: { background: bright ? fill : mix(fill, 0.75),
        border: bright ? (item.borderWidth > 1 ? "#111111" : darken(fill)) : "#cfcfcf",
        highlight: { background: fill, border: "#000000" } },
        kgFaded: !bright });
    });
    edges.forEach(function (item) {
      if (item.hidden) return;
      var bright;
      if (keep) bright = !!keep[item.from] && !!keep[item.to] || !!keep["edge:" + item.id];
      else bright = !(tracing && pathsOnly && edgeById[item.id] && !edgeById[item.id].path);
      var c = item.color || {};
      edgeChanges.push({ id: item.id, color: { color: c.color, highlight: c.highlight, hover: c.hover, opacity: bright ? 1 : 0.12 } });
    });
    nodes.update(nodeChanges);
    edges.update(edgeChanges);
    faded = !!keep;
  }
  function highlight(visId) {
    var keep = {};
    keep[visId] = true;
    network.getConnectedNodes(visId).forEach(function (id) { if (shown.nodes[id]) keep[id] = true; });
    network.getConnectedEdges(visId).forEach(function (id) { keep["edge:" + id] = true; });
    fadeExcept(keep, false);
    app.highlighted = Object.keys(keep).filter(function (k) { return k.indexOf("edge:") !== 0; });
  }
  function unfade() {
    if (faded || tracing) fadeExcept(null, true);
    app.highlighted = [];
  }

  // ---- header, filters, legends -------------------------------------------------------
  document.title = data.title + " \u2014 kg";
  document.getElementById("kg-title").textContent = data.title;
  document.getElementById("kg-subtitle").textContent = data.subtitle;
  function values(field) {
    var seen = {};
    Object.keys(data.evidence).forEach(function (id) { data.evidence[id][field].forEach(function (v) { seen[v] = true; }); });
    return Object.keys(seen).sort(function (a, b) { return a.localeCompare(b); });
  }
  var selects = {};
  function fillSelect(id, key, choices) {
    var select = document.getElementById(id);
    choices.forEach(function (c) {
      var option = el("option", null, c[1]);
      option.value = c[0];
      select.appendChild(option);
    });
    select.addEventListener("change", function () { state[key] = select.value; changed(true); });
    selects[key] = select;
  }
  function anyOf(list) { return [["", "any"]].concat(list.map(function (v) { return [v, v]; })); }
  fillSelect("kg-f-cell", "cell", anyOf(values("cell_type")));
  fillSelect("kg-f-species", "species", anyOf(values("species")));
  fillSelect("kg-f-study", "study", anyOf(values("study_type")));
  fillSelect("kg-f-level", "level", [["all", "all levels"], ["stated", "stated in the review"],
    ["inferred", "curator-inferred"], ["corrected", "corrected reading"], ["as-printed", "as printed (contradicted)"]]);

  var legendCounts = parts.legend(app, { KINDS: KINDS, DASHES: DASHES, LEVEL_WORDS: LEVEL_WORDS, darken: darken,
    onChange: function () { changed(true); } });

  function updateCounts(passing, hiddenByGroups) {
    var counts = {}, entities = {}, totalTypes = {};
    function bump(k) { counts[k] = (counts[k] || 0) + 1; }
    var shownAssertions = visibleAssertions();
    passing.forEach(function (e) { bump("kind:" + kindOf(e)); bump("level:" + e.level); });
    data.nodes.forEach(function (n) { totalTypes[n.type] = (totalTypes[n.type] || 0) + 1; });
    visibleEntities().forEach(function (id) { var t = nodeById[id].type; entities[t] = (entities[t] || 0) + 1; });
    Object.keys(legendCounts).forEach(function (k) {
      if (k.indexOf("type:") === 0) {
        var t = k.slice(5);
        legendCounts[k].textContent = " " + (entities[t] || 0) + "/" + totalTypes[t];
      } else legendCounts[k].textContent = " " + (counts[k] || 0);
    });
    var n = visibleEntities().length, text = "Showing " + n + " of " + data.nodes.length +
      " entities and " + shownAssertions.length + " of " + data.edges.length + " assertions one by one";
    if (hiddenByGroups) text += "; " + hiddenByGroups + " entities and " + (passing.length - shownAssertions.length) +
      " assertions inside collapsed groups";
    document.getElementById("kg-count").textContent = text + ".";
    var note = document.getElementById("kg-hidden-note"), hidden = [];
    if (hiddenByGroups) {
      hidden.push(hiddenByGroups.toLocaleString("en") + " entities are summarised in " +
        data.groups.filter(function (g) { return !state.open[g.id]; }).length + " collapsed groups (one per type, with counts): " +
        "click a group to expand it.");
    }
    if (rowsMode()) {
      hidden.push((data.nodes.length - n) + " context entities hidden (tick \u201cshow context\u201d).");
      var rowsHidden = data.rows.filter(function (r, i) { return !rowShown(i); }).length;
      if (rowsHidden) hidden.push(rowsHidden + " of " + data.rows.length + " paths hidden.");
    }
    note.hidden = hidden.length === 0;
    note.textContent = hidden.join(" ");
    app.shown = { nodes: n, edges: shownAssertions.length, passing: passing.length,
      visNodes: Object.keys(shown.nodes).length, hiddenByGroups: hiddenByGroups };
  }
  function visibleAssertions() {
    if (rowsMode()) {
      var seen = {};
      rowEdges.forEach(function (item) {
        if (shown.edges[item.id]) item.kgEdges.forEach(function (id) { if (edgePasses(edgeById[id])) seen[id] = true; });
      });
      return Object.keys(seen).map(function (id) { return edgeById[id]; });
    }
    return data.edges.filter(function (e) { return shown.edges[e.id]; });
  }
  function visibleEntities() {
    var seen = {};
    Object.keys(shown.nodes).forEach(function (id) {
      var item = nodes.get(id);
      if (item && item.kgEntity) seen[item.kgEntity] = true;
    });
    return Object.keys(seen);
  }
  app.visibleAssertions = visibleAssertions;
  app.visibleItems = function () {
    var scale = network.getScale(), labelled = {};
    (app.labels || []).forEach(function (l) { labelled[l.id] = l; });
    var ns = Object.keys(shown.nodes).map(function (id) {
      var item = nodes.get(id), body = network.body.nodes[id];
      return { id: id, label: item.kgLabel, shape: item.shape,
        size: body ? body.options.size : 10, fill: (item.color && item.color.background) || item.kgFill,
        border: (item.color && item.color.border) || "#333333", label: labelled[id] || null, scale: scale };
    });
    var es = Object.keys(shown.edges).map(function (id) {
      var item = edges.get(id), k = KINDS[item.kgKind] || KINDS.non;
      return { from: item.from, to: item.to, colour: k.colour, head: k.head, width: item.width,
        dashes: item.dashes || null, opacity: item.color && item.color.opacity !== undefined ? item.color.opacity : 1,
        title: k.words };
    });
    return { nodes: ns, edges: es };
  };

  // ---- selection -----------------------------------------------------------------------
  function fit(ids) {
    var list = ids || Object.keys(shown.nodes);
    if (!list.length) return;
    network.fit({ nodes: list, animation: false, maxZoomLevel: 1.2 });
    // Room for the labels under the outermost nodes and the band titles above.
    network.moveTo({ scale: network.getScale() * 0.9, animation: false });
  }
  function visOf(entity) {
    // The vis node showing an entity: a row copy on a trace page, else itself (group opened).
    if (rowsMode()) {
      var copy = rowNodes.filter(function (item) { return item.kgEntity === entity && shown.nodes[item.id]; })[0];
      return copy ? copy.id : null;
    }
    var g = groupOfType[nodeById[entity].type];
    if (!state.open[g.id]) { state.open[g.id] = true; recompute(); }
    return shown.nodes[entity] ? entity : null;
  }
  function selectNode(entity, move) {
    if (!nodeById[entity]) return;
    state.node = entity; state.edge = null;
    var id = visOf(entity);
    if (id) {
      network.selectNodes([id], false);
      highlight(id);
      if (move) network.focus(id, { scale: Math.max(network.getScale(), 0.9), animation: false });
    }
    panel.showNode(entity);
    saveState();
  }
  function selectEdge(id) {
    var e = edgeById[id];
    if (!e) return;
    state.edge = e.assertion; state.node = null;
    if (shown.edges[id]) {
      network.setSelection({ nodes: [], edges: [id] }, { highlightEdges: false });
      var keep = {};
      keep[e.from] = true; keep[e.to] = true; keep["edge:" + id] = true;
      fadeExcept(keep, false);
    }
    panel.showEdges([id], null);
    saveState();
  }
  function selectRowEdge(item) {
    state.edge = item.kgEdges.map(function (id) { return edgeById[id].assertion; }).join(",");
    state.node = null;
    panel.showEdges(item.kgEdges, item.kgEdges.length > 1 ? item.kgEdges.length + " parallel assertions, evidence merged" : null);
    saveState();
  }
  function selectPath(i) {
    state.path = i;
    state.node = null; state.edge = null;
    network.unselectAll();
    recompute();
    if (i !== null && !rowsMode()) {
      fit(data.rows[i].nodes.filter(function (id) { return shown.nodes[id]; }));
    } else fit();
    panel.showDefault();
    saveState();
  }
  function clearSelection() {
    state.node = null; state.edge = null;
    network.unselectAll();
    unfade();
    panel.showDefault();
    saveState();
  }
  function toggleGroup(id) {
    state.open[id] = !state.open[id];
    recompute();
    fit();
    panel.showGroup(groupById[id], state.open[id]);
    saveState();
  }
  app.selectNode = selectNode;
  app.selectEdge = selectEdge;
  app.selectPath = selectPath;
  app.clearSelection = clearSelection;
  app.toggleGroup = toggleGroup;
  app.fit = function () { fit(); };

  network.on("click", function (params) {
    if (params.nodes.length) {
      var item = nodes.get(params.nodes[0]);
      if (item.kgGroup) toggleGroup(item.kgGroup);
      else selectNode(item.kgEntity, false);
    } else if (params.edges.length) {
      var id = params.edges[0];
      if (aggregates[id]) {
        var a = aggregates[id].info;
        panel.showAggregate({ id: id, count: a.count, sign: a.sign, fromLabel: nodes.get(a.from).label.replace("\n", " "),
          toLabel: nodes.get(a.to).label.replace("\n", " ") });
      } else {
        var rowItem = edges.get(id);
        if (rowItem && rowItem.kgEdges) selectRowEdge(rowItem);
        else selectEdge(id);
      }
    } else clearSelection();
  });

  function changed(refit) {
    recompute();
    if (faded && state.node) { var id = visOf(state.node); if (id) highlight(id); }
    if (refit) fit();
    panel.refresh();
    saveState();
  }

  // ---- trace context toggle -------------------------------------------------------------
  if (tracing) {
    document.getElementById("kg-trace-box").hidden = false;
    document.getElementById("kg-context-count").textContent = String(data.nodes.filter(function (n) { return !n.mark; }).length);
    var ctx = document.getElementById("kg-context");
    ctx.addEventListener("change", function () { state.context = ctx.checked; network.unselectAll(); changed(true); });
  }

  // ---- search --------------------------------------------------------------------------
  parts.search(app, { label: label, style: style, selectNode: selectNode });

  // ---- zoom, keys, export buttons ------------------------------------------------------
  function zoom(factor) {
    network.moveTo({ scale: network.getScale() * factor, animation: false });
    saveState();
  }
  function pan(dx, dy) {
    var p = network.getViewPosition(), s = network.getScale();
    network.moveTo({ position: { x: p.x + dx / s, y: p.y + dy / s }, animation: false });
    saveState();
  }
  app.zoom = zoom;
  document.getElementById("kg-zoom-in").addEventListener("click", function () { zoom(1.3); });
  document.getElementById("kg-zoom-out").addEventListener("click", function () { zoom(1 / 1.3); });
  document.getElementById("kg-fit").addEventListener("click", function () { fit(); saveState(); });
  document.getElementById("kg-save-png").addEventListener("click", exporter.savePNG);
  document.getElementById("kg-save-svg").addEventListener("click", exporter.saveSVG);
  document.getElementById("kg-save-csv").addEventListener("click", exporter.saveCSV);
  var help = document.getElementById("kg-help"), helpButton = document.getElementById("kg-help-button");
  function toggleHelp() { help.hidden = !help.hidden; helpButton.setAttribute("aria-expanded", String(!help.hidden)); }
  helpButton.addEventListener("click", toggleHelp);
  document.addEventListener("keydown", function (ev) {
    var tag = ev.target && ev.target.tagName;
    if (ev.ctrlKey || ev.metaKey || ev.altKey || tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") return;
    var k = ev.key, done = true;
    if (k === "/") document.getElementById("kg-search").focus();
    else if (k === "+" || k === "=") zoom(1.3);
    else if (k === "-" || k === "_") zoom(1 / 1.3);
    else if (k === "0") { fit(); saveState(); }
    else if (k === "ArrowLeft") pan(-80, 0);
    else if (k === "ArrowRight") pan(80, 0);
    else if (k === "ArrowUp") pan(0, -80);
    else if (k === "ArrowDown") pan(0, 80);
    else if (k === "Escape") clearSelection();
    else if (k === "?") toggleHelp();
    else if (k === "c" && tracing) { var box = document.getElementById("kg-context"); box.checked = !box.checked; box.dispatchEvent(new Event("change")); }
    else done = false;
    if (done) ev.preventDefault();
  });

  // ---- the URL fragment ------------------------------------------------------------------
  var restoring = true, saveTimer = null;
  function currentState() {
    var view = { x: network.getViewPosition().x, y: network.getViewPosition().y, scale: network.getScale() };
    return {
      node: state.node, edge: state.node ? null : state.edge, path: state.path, cell: state.cell, species: state.species,
      study: state.study, level: state.level,
      off: Object.keys(state.types).filter(function (t) { return !state.types[t]; }),
      open: data.aggregate ? Object.keys(state.open).filter(function (g) { return state.open[g]; }).map(function (g) { return g.slice(6); }) : [],
      context: state.context, view: view
    };
  }
  function saveState() {
    if (restoring) return;
    clearTimeout(saveTimer);
    saveTimer = setTimeout(function () {
      var hash = "#" + exporter.encodeState(currentState());
      try { history.replaceState(null, "", hash); } catch (err) { /* a file: URL that refuses: keep the old one */ }
      app.hash = hash;
    }, 60);
  }
  app.saveStateNow = function () { clearTimeout(saveTimer); restoring = false; var h = "#" + exporter.encodeState(currentState()); try { history.replaceState(null, "", h); } catch (err) { /* ignore */ } return h; };
  network.on("dragEnd", saveState);
  network.on("zoom", saveState);

  function restore() {
    var s = exporter.decodeState(location.hash || "");
    ["cell", "species", "study", "level"].forEach(function (k) {
      var ok = Array.prototype.some.call(selects[k].options, function (o) { return o.value === s[k]; });
      if (ok) { state[k] = s[k]; selects[k].value = s[k]; }
    });
    s.off.forEach(function (t) {
      if (t in state.types) {
        state.types[t] = false;
        var box = document.querySelector('#kg-type-legend input[data-type="' + t.replace(/[^A-Za-z0-9_-]/g, "") + '"]');
        if (box) box.checked = false;
      }
    });
    if (data.aggregate) s.open.forEach(function (t) { if (groupOfType[t]) state.open["group:" + t] = true; });
    if (tracing && s.context) { state.context = true; document.getElementById("kg-context").checked = true; }
    if (tracing && s.path !== null && s.path < data.rows.length) state.path = s.path;
    recompute();
    if (tracing && state.path !== null && !rowsMode()) fit(data.rows[state.path].nodes.filter(function (id) { return shown.nodes[id]; }));
    else fit();
    panel.showDefault();
    if (s.node && nodeById[s.node]) selectNode(s.node, false);
    else if (s.edge && edgeByAssertion[s.edge.split(",")[0]]) {
      if (rowsMode()) {
        var first = edgeByAssertion[s.edge.split(",")[0]].id;
        var item = rowEdges.filter(function (x) { return x.kgEdges.indexOf(first) >= 0 && shown.edges[x.id]; })[0];
        if (item) { network.selectEdges([item.id]); selectRowEdge(item); }
      } else selectEdge(edgeByAssertion[s.edge].id);
    }
    if (s.view) network.moveTo({ position: { x: s.view.x, y: s.view.y }, scale: s.view.scale, animation: false });
    restoring = false;
    return s;
  }
  window.addEventListener("hashchange", function () { restoring = true; network.unselectAll(); restore(); });

  var drawLabels = parts.labeller(app, { container: container, itemById: itemById, groupById: groupById,
    shown: function () { return shown; }, rowsMode: rowsMode });
  network.on("afterDrawing", drawLabels);
  network.once("afterDrawing", function () { app.drawn = true; });
  var restored = restore();
  network.once("afterDrawing", function () {
    // The first frame knows the final size of the canvas: fit again unless the URL set the view.
    if (!restored.view) fit();
    else network.moveTo({ position: { x: restored.view.x, y: restored.view.y }, scale: restored.view.scale, animation: false });
    app.ready = true;
  });
  network.redraw();
})();
