/* kg viz, part 3 of 5: the labeller. vis draws no labels; this draws them after each frame. */
(function () {
  "use strict";
  var parts = window.kgParts = window.kgParts || {};

  // env: container, itemById, groupById, shown() (the vis ids drawn), rowsMode().
  parts.labeller = function (app, env) {
    var network = app.network, nodes = app.nodes, data = app.data, container = env.container;
    var itemById = env.itemById, groupById = env.groupById, nodeById = app.nodeById, style = app.style;
    var rowsMode = env.rowsMode;
    // ---- the labeller ---------------------------------------------------------------------
    // vis draws no labels; this draws them after each frame, at a fixed size on screen (11 px
    // or more: 12-16 px by degree), in order of importance (source, target and focus, groups,
    // then by degree), each only where it overlaps no label already drawn. So the opening view
    // names the hubs and every label is readable; zooming in makes room for more.
    var FACE = "system-ui, DejaVu Sans, Arial, sans-serif", widthCache = {};
    var order = nodes.get().sort(function (a, b) {
      return a.kgRank - b.kgRank || (b.kgWeight || b.value || 0) - (a.kgWeight || a.value || 0) || String(a.kgLines[0]).localeCompare(String(b.kgLines[0]));
    }).map(function (item) { return item.id; });
    function lineWidth(ctx, text, bold) {
      var k = (bold ? "b" : "n") + text;
      if (widthCache[k] === undefined) {
        ctx.font = (bold ? "600 " : "") + "100px " + FACE;
        widthCache[k] = ctx.measureText(text).width / 100;
      }
      return widthCache[k];
    }
    function drawLabels(ctx) {
      var scale = network.getScale(), rect = container.getBoundingClientRect();
      var a = network.DOMtoCanvas({ x: 0, y: 0 }), b = network.DOMtoCanvas({ x: rect.width, y: rect.height });
      var ids = order.filter(function (id) { return env.shown().nodes[id]; });
      var pos = network.getPositions(ids), placed = [], grid = {}, CELL = 120;
      function free(x0, y0, x1, y1) {
        for (var gx = Math.floor(x0 / CELL); gx <= Math.floor(x1 / CELL); gx++) {
          for (var gy = Math.floor(y0 / CELL); gy <= Math.floor(y1 / CELL); gy++) {
            var list = grid[gx + "," + gy] || [];
            for (var i = 0; i < list.length; i++) {
              var o = list[i];
              if (x0 < o[2] && o[0] < x1 && y0 < o[3] && o[1] < y1) return false;
            }
          }
        }
        return true;
      }
      function take(box) {
        for (var gx = Math.floor(box[0] / CELL); gx <= Math.floor(box[2] / CELL); gx++) {
          for (var gy = Math.floor(box[1] / CELL); gy <= Math.floor(box[3] / CELL); gy++) {
            (grid[gx + "," + gy] = grid[gx + "," + gy] || []).push(box);
          }
        }
      }
      ctx.save();
      ctx.textAlign = "center";
      ctx.textBaseline = "top";
      ctx.lineJoin = "round";
      ids.forEach(function (id) {
        var p = pos[id], item = itemById[id];
        if (!p || p.x < a.x || p.x > b.x || p.y < a.y || p.y > b.y) return;
        var body = network.body.nodes[id], size = body ? body.options.size : 10;
        var px = item.kgPx, lh = px * 1.2, w = 0;
        item.kgLines.forEach(function (line) { w = Math.max(w, lineWidth(ctx, line, item.kgBold) * px); });
        // Where the label may go, in screen pixels: under the node, else right of it, above
        // it, left of it. A label that would stick out at the left or right edge is moved in.
        var cx = (p.x - a.x) * scale, cy = (p.y - a.y) * scale, r = size * scale, h = lh * item.kgLines.length;
        var spots = [[cx, cy + r + 2, "center"], [cx + r + 4 + w / 2, cy - h / 2, "center"],
          [cx, cy - r - 2 - h, "center"], [cx - r - 4 - w / 2, cy - h / 2, "center"]];
        var box = null;
        for (var k = 0; k < spots.length && !box; k++) {
          var sx = spots[k][0], sy = spots[k][1];
          sx += Math.max(0, w / 2 + 3 - sx) - Math.max(0, sx + w / 2 + 3 - rect.width);
          var b2 = [sx - w / 2 - 2, sy - 1, sx + w / 2 + 2, sy + h + 1];
          if (b2[0] >= 0 && b2[2] <= rect.width && b2[1] >= 0 && b2[3] <= rect.height && free(b2[0], b2[1], b2[2], b2[3])) box = b2;
        }
        if (!box) return;  // no room: not drawn (zoom in for it)
        take(box);
        var faded = nodes.get(id).kgFaded;
        ctx.font = (item.kgBold ? "600 " : "") + (px / scale) + "px " + FACE;
        ctx.lineWidth = 4 / scale;
        ctx.strokeStyle = "#ffffff";
        ctx.fillStyle = faded ? "#8a8a8a" : "#1a1a1a";
        var x = a.x + (box[0] + box[2]) / 2 / scale;
        item.kgLines.forEach(function (line, i) {
          var y = a.y + (box[1] + 1 + i * lh) / scale;
          ctx.strokeText(line, x, y);
          ctx.fillText(line, x, y);
        });
        placed.push({ id: id, text: item.kgLines.join(" "), px: px, box: box, x: x, y: a.y + (box[1] + 1) / scale,
          lines: item.kgLines, bold: item.kgBold });
      });
      ctx.restore();
      app.labels = placed;
      if (!rowsMode()) bandTitles(ctx, scale);
    }
    // Band titles over the columns (the types of each band summarised with counts).
    function bandTitles(ctx, scale) {
      var bands = {};
      Object.keys(env.shown().nodes).forEach(function (id) {
        var item = itemById[id], n = nodeById[item.kgEntity], type = n ? n.type : groupById[item.kgGroup].type;
        var band = style(type).band, count = n ? 1 : groupById[item.kgGroup].count;
        var box = bands[band] = bands[band] || { x0: Infinity, x1: -Infinity, y0: Infinity, n: 0 };
        box.x0 = Math.min(box.x0, item.x); box.x1 = Math.max(box.x1, item.x); box.y0 = Math.min(box.y0, item.y); box.n += count;
      });
      var keys = Object.keys(bands).map(Number).sort(function (x, y) { return x - y; });
      if (!keys.length) return;
      var top = Math.min.apply(null, keys.map(function (k) { return bands[k].y0; })), right = -Infinity, line = 0;
      ctx.save();
      ctx.font = "600 " + (14 / scale) + "px " + FACE;
      ctx.textAlign = "center";
      ctx.fillStyle = "#333333";
      keys.forEach(function (k) {
        var text = data.bands[k] + " (" + bands[k].n.toLocaleString("en") + ")", x = (bands[k].x0 + bands[k].x1) / 2;
        var w = ctx.measureText(text).width;
        line = x - w / 2 < right + 12 / scale ? 1 - line : 0;   // stagger titles that would touch
        right = x + w / 2;
        ctx.fillText(text, x, top - (60 - 18 * line) / scale);
      });
      ctx.restore();
    }
    return drawLabels;
  };
})();
