/* kg viz, part 4 of 5: the legends (edge kinds and levels, entity types with their boxes). */
(function () {
  "use strict";
  var parts = window.kgParts = window.kgParts || {};
  var SVGNS = "http://www.w3.org/2000/svg";

  // env: KINDS, DASHES, LEVEL_WORDS, darken, onChange (a type box was ticked). Returns the
  // count cells (key "kind:inc", "level:stated", "type:MicroRNA"...) that viz.js fills.
  parts.legend = function (app, env) {
    var el = parts.el, data = app.data, state = app.state, darken = env.darken;
    var KINDS = env.KINDS, DASHES = env.DASHES, LEVEL_WORDS = env.LEVEL_WORDS;
    function svgIcon(w, h) {
      var s = document.createElementNS(SVGNS, "svg");
      s.setAttribute("width", String(w));
      s.setAttribute("height", String(h));
      s.setAttribute("aria-hidden", "true");
      return s;
    }
    function add(parent, tag, attrs) {
      var node = document.createElementNS(SVGNS, tag);
      Object.keys(attrs).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
      parent.appendChild(node);
      return node;
    }
    function shapeIcon(st) {
      var s = svgIcon(22, 18), a = { fill: st.color, stroke: darken(st.color) };
      var polys = { hexagon: "6,2 16,2 21,9 16,16 6,16 1,9", diamond: "11,1 19,9 11,17 3,9", triangle: "11,1 20,16 2,16",
        triangleDown: "2,2 20,2 11,17", star: "11,1 13.5,6.5 20,7 15,11 16.5,17 11,14 5.5,17 7,11 2,7 8.5,6.5" };
      if (polys[st.shape]) add(s, "polygon", Object.assign({ points: polys[st.shape] }, a));
      else if (st.shape === "square") add(s, "rect", Object.assign({ x: 4, y: 2, width: 14, height: 14 }, a));
      else add(s, "circle", Object.assign({ cx: 11, cy: 9, r: 7 }, a));
      return s;
    }
    function edgeIcon(colour, dash, head) {
      var s = svgIcon(40, 16);
      var line = add(s, "line", { x1: 2, y1: 8, x2: head === "bar" ? 33 : 30, y2: 8, stroke: colour, "stroke-width": 3 });
      if (dash) line.setAttribute("stroke-dasharray", dash.map(function (d) { return d / 2; }).join(" "));
      if (head === "bar") add(s, "rect", { x: 33, y: 1, width: 4, height: 14, fill: colour });
      else if (head === "diamond") add(s, "polygon", { points: "29,8 33.5,3 38,8 33.5,13", fill: colour });
      else if (head === "circle") add(s, "circle", { cx: 33, cy: 8, r: 4, fill: colour });
      else if (head) add(s, "polygon", { points: "27,2 38,8 27,14", fill: colour });
      return s;
    }
    var legendCounts = {};
    function legendRow(ul, icon, words, key) {
      var li = el("li");
      li.appendChild(icon);
      li.appendChild(el("span", null, words));
      var n = el("span", "kg-n");
      li.appendChild(n);
      legendCounts[key] = n;
      ul.appendChild(li);
    }
    (function edgeLegend() {
      var ul = document.getElementById("kg-edge-legend");
      Object.keys(KINDS).forEach(function (k) { legendRow(ul, edgeIcon(KINDS[k].colour, null, KINDS[k].head), KINDS[k].words, "kind:" + k); });
      Object.keys(DASHES).forEach(function (l) { legendRow(ul, edgeIcon("#333333", DASHES[l], null), LEVEL_WORDS[l], "level:" + l); });
    })();
    (function typeLegend() {
      var ul = document.getElementById("kg-type-legend");
      Object.keys(data.types).forEach(function (t) {
        var li = el("li"), box = el("input"), lab = el("label");
        box.type = "checkbox";
        box.checked = true;
        box.setAttribute("data-type", t);
        box.setAttribute("aria-label", "show " + data.types[t].label);
        box.addEventListener("change", function () { state.types[t] = box.checked; env.onChange(); });
        lab.appendChild(box);
        lab.appendChild(shapeIcon(data.types[t]));
        lab.appendChild(el("span", null, data.types[t].label));
        var n = el("span", "kg-n");
        lab.appendChild(n);
        legendCounts["type:" + t] = n;
        li.appendChild(lab);
        ul.appendChild(li);
      });
    })();
    return legendCounts;
  };
})();
