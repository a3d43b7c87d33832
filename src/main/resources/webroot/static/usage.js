/* Pricetide /usage: the "usage beside price" chart, a provider's weekly share (left axis) and a model's blended
   price (right axis) with its price cuts marked. Loaded after uPlot and pricetide.js (defer); registers the chart
   in window.pricetideCharts so the range buttons and resizing of pricetide.js apply to it. Every string from the
   server is read from JSON and drawn on the canvas or set with textContent, never written as HTML. */
(function () {
  'use strict';
  if (typeof uPlot === 'undefined') { return; }
  var charts = window.pricetideCharts || (window.pricetideCharts = {});

  function pad(n) { return n < 10 ? '0' + n : String(n); }
  function day(t) {
    if (t == null) { return '\u2014'; }
    var d = new Date(t * 1000);
    return d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate());
  }

  /** Both series on the union of their times (and the cuts'), each value held until its next point. */
  function align(spec) {
    var set = {};
    [spec.share, spec.price].forEach(function (s) { s.points.forEach(function (p) { set[p[0]] = true; }); });
    (spec.cuts || []).forEach(function (c) { set[c.t] = true; });
    if (spec.end != null) { set[spec.end] = true; }
    var xs = Object.keys(set).map(Number).sort(function (a, b) { return a - b; });
    var data = [xs];
    var strings = [];
    [spec.share, spec.price].forEach(function (s) {
      var at = {};
      s.points.forEach(function (p) { at[p[0]] = p[1]; });
      var first = s.points.length ? s.points[0][0] : Infinity;
      var last = s.points.length ? s.points[s.points.length - 1][0] : -Infinity;
      var cur = null;
      var ys = [];
      var ss = [];
      xs.forEach(function (x) {
        if (Object.prototype.hasOwnProperty.call(at, x)) { cur = at[x]; }
        // The share is weekly: it ends with its last week (spec.end); a price holds on.
        var live = x >= first && cur != null && (s === spec.price || x <= Math.max(last, spec.end || last));
        ys.push(live ? parseFloat(cur) : null);
        ss.push(live ? cur : null);
      });
      data.push(ys);
      strings.push(ss);
    });
    return { data: data, strings: strings };
  }

  function drawCuts(u, spec) {
    var ctx = u.ctx;
    var box = u.bbox;
    var dpr = window.devicePixelRatio || 1;
    ctx.save();
    (spec.cuts || []).forEach(function (c) {
      var x = u.valToPos(c.t, 'x', true);
      if (x < box.left - 1 || x > box.left + box.width + 1) { return; }
      ctx.strokeStyle = c.own ? '#047857' : '#6ee7b7';
      ctx.setLineDash([4 * dpr, 3 * dpr]);
      ctx.lineWidth = dpr;
      ctx.beginPath();
      ctx.moveTo(x, box.top);
      ctx.lineTo(x, box.top + box.height);
      ctx.stroke();
      ctx.setLineDash([]);
      var r = 6 * dpr;
      ctx.fillStyle = c.own ? '#047857' : '#34d399';
      ctx.beginPath();
      ctx.moveTo(x - r, box.top);
      ctx.lineTo(x + r, box.top);
      ctx.lineTo(x, box.top + r * 1.4);
      ctx.closePath();
      ctx.fill();
    });
    ctx.restore();
  }

  function build(spec) {
    var el = document.getElementById(spec.id);
    if (!el) { return; }
    var aligned = align(spec);
    var width = Math.max(280, el.clientWidth || 600);
    var sideBySide = [spec.share, spec.price];
    var series = [{ label: 'Week', value: function (u, v) { return day(v); } }];
    sideBySide.forEach(function (s, i) {
      series.push({
        label: s.label,
        scale: i === 0 ? 'share' : 'usd',
        stroke: i === 0 ? '#2563eb' : '#d97706',
        width: 2,
        dash: i === 0 ? undefined : [8, 4],
        spanGaps: false,
        paths: uPlot.paths.stepped({ align: 1 }),
        points: { show: false },
        value: function (u, v, si, idx) {
          var t = idx == null ? null : aligned.strings[i][idx];
          return t == null ? '\u2014' : (s.prefix || '') + t + (s.suffix || '');
        }
      });
    });
    var opts = {
      width: width,
      height: width < 500 ? 240 : 320,
      scales: { x: { time: true }, share: { auto: true }, usd: { auto: true } },
      series: series,
      axes: [
        {},
        { scale: 'share', size: 56, stroke: '#2563eb',
          values: function (u, vals) { return vals.map(function (v) { return v + '%'; }); } },
        { scale: 'usd', side: 1, size: 64, stroke: '#d97706', grid: { show: false },
          values: function (u, vals) { return vals.map(function (v) { return '$' + v; }); } }
      ],
      legend: { live: true },
      hooks: { draw: [function (u) { drawCuts(u, spec); }] }
    };
    var plot = new uPlot(opts, aligned.data, el);
    charts[spec.id] = { plot: plot, data: aligned.data, strings: aligned.strings, spec: spec };
    el.setAttribute('data-ready', 'true');
  }

  document.querySelectorAll('script.usage-pair').forEach(function (s) {
    try {
      build(JSON.parse(s.textContent));
    } catch (e) {
      if (window.console) { console.error('usage chart', e); }
    }
  });

  // Picking another provider or model shows it at once; the button stays for use without a pointer.
  document.querySelectorAll('section.usage-vs select, section.usage-beside select').forEach(function (sel) {
    sel.addEventListener('change', function () {
      if (sel.name === 'p') {
        var pm = sel.form.querySelector('select[name="pm"]');
        if (pm) { pm.disabled = true; }
      }
      sel.form.submit();
    });
  });
})();
