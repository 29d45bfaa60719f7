// pantau: draws each chart from its ECharts option (fetched as JSON from
// our own API) and keeps the filter form in the URL. No framework.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "id";
  var locale = lang === "id" ? "id-ID" : "en-GB";
  var number = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  var compact = new Intl.NumberFormat(locale, { notation: "compact", maximumFractionDigits: 1 }); // 1,5 jt
  var charts = [];

  function formatValue(v) {
    if (Array.isArray(v)) v = v[v.length - 1];
    return typeof v === "number" ? number.format(v) : v;
  }

  // Text is measured the way echarts draws it (12px sans-serif unless set),
  // so that the layout below can make room for it.
  var measure = document.createElement("canvas").getContext("2d");
  function textWidth(text, size, bold) {
    measure.font = (bold ? "bold " : "") + size + "px sans-serif";
    return measure.measureText(String(text)).width;
  }
  // lines is how many lines text takes when wrapped at width, as echarts'
  // overflow "break" wraps it: at spaces.
  function lines(text, size, bold, width) {
    var n = 1, line = "";
    String(text).split(/\s+/).forEach(function (word) {
      var next = line ? line + " " + word : word;
      if (line && textWidth(next, size, bold) > width) { n++; line = word; } else line = next;
    });
    return n;
  }
  function list(v) { return v ? (Array.isArray(v) ? v : [v]) : []; }
  function px(v, whole) { return typeof v === "string" && v.slice(-1) === "%" ? parseFloat(v) / 100 * whole : parseFloat(v) || 0; }

  // Options come from the server as data only; what needs a function
  // (number formats in the page's language) is added here. Tooltips are
  // drawn as rich text on the canvas: no HTML is built from the data.
  //
  // The layout is fitted to the chart's width: a long title wraps below
  // itself instead of running under the save tool or off the canvas, the
  // legend wraps onto as many rows as it needs (a scrolling legend hides
  // names), and everything below them moves down; the element grows by as
  // much, so that the plot keeps its height.
  function prepare(option, width, height) {
    var narrow = width < 520;
    option.tooltip = Object.assign({}, option.tooltip, { renderMode: "richText", valueFormatter: formatValue, confine: true });
    var series = option.series || [];
    var isHeatmap = series.some(function (s) { return s.type === "heatmap"; });
    var largest = 0;
    series.forEach(function (s) {
      (s.data || []).forEach(function (d) {
        var v = d !== null && typeof d === "object" ? d.value : d;
        if (typeof v === "number") largest = Math.max(largest, Math.abs(v));
      });
    });
    var integers = series.every(function (s) {
      return (s.data || []).every(function (d) {
        var v = d !== null && typeof d === "object" ? d.value : d;
        return typeof v !== "number" || Math.round(v) === v;
      });
    });

    var shift = 0;
    list(option.title).forEach(function (t) {
      var size = narrow ? 15 : 17, room = width - 56; // the save tool is at the right
      t.textStyle = Object.assign({}, t.textStyle, { fontSize: size, lineHeight: size + 5, width: room, overflow: "break" });
      shift += (lines(t.text, size, true, room) - 1) * (size + 5);
    });

    var names = [];
    series.forEach(function (s) {
      if (s.type === "funnel") (s.data || []).forEach(function (d) { names.push(d.name); });
      else names.push(s.name);
    });
    list(option.legend).forEach(function (l) {
      if (isHeatmap) { l.show = false; return; } // its colour scale is the legend
      l.type = "plain";
      l.top = px(l.top, height) + shift;
      var rows = 1, x = 0, room = width - 20;
      names.forEach(function (name) {
        var w = 25 + 5 + textWidth(name, 12) + 10;
        if (x > 0 && x + w > room) { rows++; x = 0; }
        x += w;
      });
      shift += (rows - 1) * 24;
    });
    list(option.visualMap).forEach(function (v) { v.top = px(v.top, height) + shift; });
    list(option.grid).forEach(function (g) { g.top = px(g.top, height) + shift; });

    ["xAxis", "yAxis"].forEach(function (key) {
      list(option[key]).forEach(function (axis, i) {
        if (axis.type === "value") {
          // Millions of rupiah take less room as "1,5 jt" on a phone.
          var format = narrow && largest >= 100000 ? compact : number;
          axis.axisLabel = Object.assign({}, axis.axisLabel, { formatter: function (v) { return format.format(v); } });
          if (integers) axis.minInterval = 1; // no 0,5 person
          if (narrow) { if (axis.max === 100) axis.interval = 25; else axis.splitNumber = 3; }
          // A vertical axis' name sits above it, inside the canvas.
          if (key === "yAxis" && axis.name) axis.nameTextStyle = Object.assign({}, axis.nameTextStyle, { align: i === 0 ? "left" : "right" });
        }
        if (axis.type === "category" && axis.data) {
          var label = axis.axisLabel = Object.assign({}, axis.axisLabel);
          // go-echarts types the interval as a string; echarts wants the number.
          if (typeof label.interval === "string" && label.interval !== "auto") label.interval = Number(label.interval);
          if (key === "yAxis") {
            // Long names wrap within two fifths of the chart; the axis name
            // sits above them, ending at the axis line.
            Object.assign(label, { width: Math.round(width * 0.4), overflow: "break", lineHeight: 14 });
            if (axis.name) axis.nameTextStyle = Object.assign({}, axis.nameTextStyle, { align: "right", fontWeight: "bold", padding: [0, 4, 0, 0] });
          } else {
            if (narrow && label.rotate) {
              // Upright, and every n-th when they would not fit side by side.
              Object.assign(label, { rotate: 90, width: 110, overflow: "truncate" });
              var every = Math.ceil(axis.data.length * 15 / (width * 0.7));
              if (every > 1) label.interval = every - 1;
            }
            var rot = (label.rotate || 0) * Math.PI / 180;
            if (rot) {
              var widest = Math.min(label.width || Infinity, Math.max.apply(null, axis.data.map(function (d) { return textWidth(d, 12); })));
              // The axis name goes below the slanted labels, not across them,
              var depth = widest * Math.sin(rot) + 12 * Math.cos(rot) + 10;
              if (axis.name) axis.nameGap = Math.max(axis.nameGap || 0, depth + 6);
              // and the first label, slanting left, stays on the canvas.
              list(option.grid).forEach(function (g) {
                g.left = Math.max(px(g.left, width), Math.min(widest, textWidth(axis.data[0], 12)) * Math.cos(rot) - 10);
                if (axis.name) g.bottom = 28; // the name sits in it, nameGap below the axis
              });
            }
          }
        }
      });
    });

    series.forEach(function (s) {
      if (s.type === "funnel") {
        // Stage names and counts beside the funnel, in stage order.
        var room = width * 0.44 - 36;
        Object.assign(s, { sort: "none", gap: 2, top: 60 + shift, bottom: 16, left: "4%", width: "50%",
          label: { show: true, position: "right", color: "#333", width: room, overflow: "break", lineHeight: 14,
            formatter: function (p) { return p.name + ": " + number.format(p.value); } },
          labelLine: { show: true, length: 12 } });
      }
      if (s.type === "heatmap") {
        // Cell numbers in the page's language (74,2); on a phone only in the tooltip and table.
        s.label = Object.assign({}, s.label, narrow ? { show: false } : { formatter: function (p) { return formatValue(p.value); } });
      }
    });
    option.aria = { enabled: true };
    return { option: option, grow: shift };
  }

  // render draws (or redraws, at a new width) one chart from its option.
  function render(c) {
    c.el.style.height = "";
    var base = c.el.clientHeight;
    var p = prepare(JSON.parse(c.json), c.el.clientWidth, base);
    if (p.grow > 0) c.el.style.height = base + p.grow + "px";
    if (!c.inst) c.inst = echarts.init(c.el, null, { renderer: "canvas" });
    else c.inst.resize();
    c.inst.setOption(p.option, true);
  }

  function draw(el) {
    fetch(el.dataset.src, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (!r.ok) throw new Error(r.status + " " + r.statusText);
        return r.json();
      })
      .then(function (chart) {
        var c = { el: el, json: JSON.stringify(chart.option), width: el.clientWidth };
        render(c);
        charts.push(c);
        el.dataset.drawn = "true";
      })
      .catch(function (err) {
        el.dataset.drawn = "error";
        el.textContent = document.body.dataset.chartError + " " + err.message; // from the page's catalog
      });
  }

  // The filter form: empty fields are left out of the URL, selects and dates
  // apply at once, and the address bar always holds the view.
  function enhanceFilters(form) {
    form.addEventListener("submit", function () {
      Array.prototype.forEach.call(form.elements, function (el) {
        if (el.name && el.value === "" && el.type !== "checkbox") el.disabled = true;
      });
    });
    form.addEventListener("change", function (e) {
      if (e.target.tagName === "SELECT" || e.target.type === "date" || e.target.type === "checkbox") {
        form.requestSubmit ? form.requestSubmit() : form.submit();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".chart-canvas[data-src]").forEach(draw);
    var form = document.getElementById("filters");
    if (form) enhanceFilters(form);
    var pending;
    window.addEventListener("resize", function () {
      clearTimeout(pending);
      pending = setTimeout(function () {
        charts.forEach(function (c) {
          if (c.el.clientWidth === c.width) { c.inst.resize(); return; }
          c.width = c.el.clientWidth;
          render(c);
        });
      }, 150);
    });
  });
})();
