// pantau: draws each chart from its ECharts option (fetched as JSON from
// our own API) and keeps the filter form in the URL. No framework.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "id";
  var locale = lang === "id" ? "id-ID" : "en-GB";
  var number = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  var charts = [];

  function formatValue(v) {
    if (Array.isArray(v)) v = v[v.length - 1];
    return typeof v === "number" ? number.format(v) : v;
  }

  // Options come from the server as data only; what needs a function
  // (number formats in the page's language) is added here. Tooltips are
  // drawn as rich text on the canvas: no HTML is built from the data.
  function prepare(option) {
    option.tooltip = Object.assign({}, option.tooltip, { renderMode: "richText", valueFormatter: formatValue, confine: true });
    ["xAxis", "yAxis"].forEach(function (key) {
      var axes = option[key];
      if (!axes) return;
      (Array.isArray(axes) ? axes : [axes]).forEach(function (axis) {
        if (axis.type === "value") {
          axis.axisLabel = Object.assign({}, axis.axisLabel, { formatter: function (v) { return number.format(v); } });
        }
      });
    });
    (option.series || []).forEach(function (s) {
      if (s.type === "funnel") Object.assign(s, { sort: "none", gap: 2, top: 72, bottom: 16, left: "10%", width: "60%" });
    });
    option.aria = { enabled: true };
    return option;
  }

  function draw(el) {
    fetch(el.dataset.src, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (!r.ok) throw new Error(r.status + " " + r.statusText);
        return r.json();
      })
      .then(function (chart) {
        var inst = echarts.init(el, null, { renderer: "canvas" });
        inst.setOption(prepare(chart.option));
        charts.push(inst);
        el.dataset.drawn = "true";
      })
      .catch(function (err) {
        el.dataset.drawn = "error";
        el.textContent = (lang === "id" ? "Grafik gagal dimuat: " : "The chart could not be loaded: ") + err.message;
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
      pending = setTimeout(function () { charts.forEach(function (c) { c.resize(); }); }, 150);
    });
  });
})();
