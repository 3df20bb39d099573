/* kg viz, part 2 of 5: save what you see (PNG, SVG, CSV) and the view state in the URL
 * fragment. Files are made in the page (canvas, XMLSerializer, Blob) and saved through a
 * download link: nothing is sent anywhere. */
(function () {
  "use strict";
  var parts = window.kgParts = window.kgParts || {};
  var SVGNS = "http://www.w3.org/2000/svg";

  function download(blob, name) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
  }

  // The drawn canvas on a white background (vis leaves it transparent).
  function pngCanvas(app) {
    var source = document.querySelector("#kg-network canvas");
    var canvas = document.createElement("canvas");
    canvas.width = source.width;
    canvas.height = source.height;
    var ctx = canvas.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(source, 0, 0);
    return canvas;
  }

  function svgEl(tag, attrs) {
    var node = document.createElementNS(SVGNS, tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    return node;
  }
  function shapePoints(shape, x, y, r) {
    var pts = {
      triangle: [[0, -1.1], [1, 0.7], [-1, 0.7]],
      triangleDown: [[0, 1.1], [1, -0.7], [-1, -0.7]],
      diamond: [[0, -1.2], [1.2, 0], [0, 1.2], [-1.2, 0]],
      hexagon: [[1, 0], [0.5, 0.87], [-0.5, 0.87], [-1, 0], [-0.5, -0.87], [0.5, -0.87]],
      star: [[0, -1.2], [0.3, -0.35], [1.15, -0.35], [0.45, 0.15], [0.7, 1], [0, 0.5], [-0.7, 1], [-0.45, 0.15], [-1.15, -0.35], [-0.3, -0.35]]
    }[shape];
    if (!pts) return null;
    return pts.map(function (p) { return (x + p[0] * r).toFixed(1) + "," + (y + p[1] * r).toFixed(1); }).join(" ");
  }

  // The current view as SVG: what is inside the viewport, in canvas coordinates, with the
  // labels that the canvas draws (those at least 11 px on screen).
  function svgText(app) {
    var network = app.network, box = document.getElementById("kg-network").getBoundingClientRect();
    var a = network.DOMtoCanvas({ x: 0, y: 0 }), b = network.DOMtoCanvas({ x: box.width, y: box.height });
    var scale = network.getScale();
    var svg = svgEl("svg", {
      xmlns: SVGNS, viewBox: [a.x, a.y, b.x - a.x, b.y - a.y].map(function (v) { return v.toFixed(1); }).join(" "),
      width: Math.round(box.width), height: Math.round(box.height)
    });
    var defs = svgEl("defs", {});
    svg.appendChild(defs);
    svg.appendChild(svgEl("rect", { x: a.x, y: a.y, width: b.x - a.x, height: b.y - a.y, fill: "#ffffff" }));
    var visible = app.visibleItems(), pos = network.getPositions(visible.nodes.map(function (n) { return n.id; }));
    var markers = {};
    function marker(colour, head) {
      var id = "m-" + head + "-" + colour.replace("#", "");
      if (!markers[id]) {
        markers[id] = true;
        var m = svgEl("marker", { id: id, viewBox: "0 0 10 10", refX: head === "bar" ? 5 : 9, refY: 5,
          markerWidth: 5, markerHeight: 5, orient: "auto-start-reverse", markerUnits: "strokeWidth" });
        m.appendChild(head === "bar" ? svgEl("rect", { x: 3.5, y: 0, width: 3, height: 10, fill: colour }) :
          head === "circle" ? svgEl("circle", { cx: 5, cy: 5, r: 4, fill: colour }) :
          svgEl("path", { d: "M0,0 L10,5 L0,10 z", fill: colour }));
        defs.appendChild(m);
      }
      return "url(#" + id + ")";
    }
    var edges = svgEl("g", { "class": "edges" });
    visible.edges.forEach(function (e) {
      var p = pos[e.from], q = pos[e.to];
      if (!p || !q) return;
      var attrs = { x1: p.x, y1: p.y, x2: q.x, y2: q.y, stroke: e.colour, "stroke-width": e.width,
        "marker-end": marker(e.colour, e.head), "stroke-opacity": e.opacity };
      if (e.dashes) attrs["stroke-dasharray"] = e.dashes.join(" ");
      var line = svgEl("line", attrs);
      line.appendChild(svgEl("title", {})).textContent = e.title;
      edges.appendChild(line);
    });
    svg.appendChild(edges);
    var nodes = svgEl("g", { "class": "nodes", "font-family": "DejaVu Sans, Arial, sans-serif" });
    visible.nodes.forEach(function (n) {
      var p = pos[n.id];
      if (!p || p.x < a.x - 50 || p.x > b.x + 50 || p.y < a.y - 50 || p.y > b.y + 50) return;
      var r = n.size, points = shapePoints(n.shape, p.x, p.y, r), shape;
      if (points) shape = svgEl("polygon", { points: points });
      else if (n.shape === "square") shape = svgEl("rect", { x: p.x - r, y: p.y - r, width: 2 * r, height: 2 * r });
      else shape = svgEl("circle", { cx: p.x, cy: p.y, r: r });
      shape.setAttribute("fill", n.fill);
      shape.setAttribute("stroke", n.border);
      nodes.appendChild(shape);
      if (n.label) {  // the labels the canvas shows (the labeller's choice), where it put them
        var px = n.label.px / n.scale;
        var t = svgEl("text", { x: n.label.x.toFixed(1), y: (n.label.y + px * 0.9).toFixed(1), "font-size": px.toFixed(2),
          "text-anchor": "middle", "font-weight": n.label.bold ? 600 : 400,
          fill: "#1a1a1a", stroke: "#ffffff", "stroke-width": (3 / n.scale).toFixed(2), "paint-order": "stroke" });
        n.label.lines.forEach(function (line, i) {
          var span = svgEl("tspan", { x: n.label.x.toFixed(1), dy: i ? (px * 1.2).toFixed(2) : 0 });
          span.textContent = line;
          t.appendChild(span);
        });
        nodes.appendChild(t);
      }
    });
    svg.appendChild(nodes);
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(svg);
  }

  function csvCell(value) {
    var s = value === null || value === undefined ? "" : Array.isArray(value) ? value.join("; ") : String(value);
    if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;  // no formula runs when a spreadsheet opens it
    return '"' + s.replace(/"/g, '""') + '"';
  }
  var CSV_COLUMNS = ["subject", "relation", "object", "sign", "assertion", "evidence", "level",
    "quote", "citation", "section", "study_type", "species", "cell_type", "matches_filters"];
  function csvText(app) {
    var lines = [CSV_COLUMNS.join(",")];
    app.visibleAssertions().forEach(function (e) {
      e.evidence.forEach(function (eid) {
        var r = app.data.evidence[eid] || {};
        lines.push([app.label(e.from), e.relation, app.label(e.to), e.sign, e.assertion, eid,
          r.level, r.quote, r.citation, r.section, r.study_type, r.species, r.cell_type,
          app.evidencePasses(eid) ? "yes" : "no"].map(csvCell).join(","));
      });
    });
    return lines.join("\r\n") + "\r\n";
  }

  // ---- view state in the URL fragment ---------------------------------------------------
  function encodeState(s) {
    var out = [];
    function put(k, v) { if (v !== null && v !== undefined && v !== "") out.push(k + "=" + encodeURIComponent(v)); }
    put("node", s.node);
    put("edge", s.edge);
    put("path", s.path === null ? null : String(s.path));
    put("cell", s.cell);
    put("species", s.species);
    put("study", s.study);
    put("level", s.level === "all" ? null : s.level);
    put("off", s.off.join(","));
    put("open", s.open.join(","));
    put("context", s.context ? "1" : null);
    if (s.view) put("view", [s.view.x, s.view.y, s.view.scale].map(function (v) { return v.toFixed(3); }).join(","));
    return out.join("&");
  }
  function decodeState(hash) {
    var s = {};
    hash.replace(/^#/, "").split("&").forEach(function (pair) {
      var i = pair.indexOf("=");
      if (i > 0) {
        try { s[pair.slice(0, i)] = decodeURIComponent(pair.slice(i + 1)); } catch (err) { /* ignore a bad part */ }
      }
    });
    function list(v) { return v ? v.split(",").filter(Boolean) : []; }
    var view = null;
    if (s.view) {
      var v = s.view.split(",").map(Number);
      if (v.length === 3 && v.every(isFinite) && v[2] > 0) view = { x: v[0], y: v[1], scale: v[2] };
    }
    var path = s.path !== undefined && /^\d+$/.test(s.path) ? Number(s.path) : null;
    return {
      node: s.node || null, edge: s.edge || null, path: path,
      cell: s.cell || "", species: s.species || "", study: s.study || "", level: s.level || "all",
      off: list(s.off), open: list(s.open), context: s.context === "1", view: view
    };
  }

  parts.exporter = function (app) {
    return {
      png: function () {
        return new Promise(function (resolve) { pngCanvas(app).toBlob(resolve, "image/png"); });
      },
      pngDataURL: function () { return pngCanvas(app).toDataURL("image/png"); },
      svg: function () { return svgText(app); },
      csv: function () { return csvText(app); },
      savePNG: function () { pngCanvas(app).toBlob(function (b) { download(b, "kg-view.png"); }, "image/png"); },
      saveSVG: function () { download(new Blob([svgText(app)], { type: "image/svg+xml" }), "kg-view.svg"); },
      saveCSV: function () { download(new Blob([csvText(app)], { type: "text/csv" }), "kg-assertions.csv"); },
      encodeState: encodeState,
      decodeState: decodeState
    };
  };
})();
