// Charts as SVG, drawn here: bars over categories and a line over time. Each is a figure with a
// caption, a text summary for screen readers, and its figures in a table one click away.

import { h } from "./dom.js";

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 640;

function s(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

function niceMax(value) {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function format(value, unit) {
  const size = Math.abs(value);
  const text = size >= 100 ? value.toFixed(0) : size >= 10 ? value.toFixed(1) : size >= 1 || size === 0
    ? value.toFixed(2) : Number(value.toPrecision(2)).toString();
  return `${text}${unit ? ` ${unit}` : ""}`;
}

function figure(title, svg, rows, unit, summary) {
  const id = `chart-${Math.random().toString(36).slice(2, 9)}`;
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-labelledby", `${id}-title`);
  svg.setAttribute("aria-describedby", `${id}-summary`);
  return h("figure", { class: "chart" },
    h("figcaption", { id: `${id}-title` }, title),
    svg,
    h("p", { id: `${id}-summary`, class: "visually-hidden" }, summary),
    h("details", {},
      h("summary", {}, "Figures"),
      h("table", {},
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, ""), h("th", { scope: "col" }, unit || "value"))),
        h("tbody", {}, rows.map(([label, value]) => h("tr", {}, h("th", { scope: "row" }, label), h("td", {}, format(value))))))));
}

function summaryOf(rows, unit) {
  if (!rows.length) return "No data.";
  const top = rows.reduce((a, b) => (b[1] > a[1] ? b : a));
  const sum = rows.reduce((a, [, v]) => a + v, 0);
  return `${rows.length} values, total ${format(sum, unit)}, highest ${top[0]} at ${format(top[1], unit)}.`;
}

// Vertical bars, one per label (days).
export function bars(title, rows, unit) {
  const height = 220, left = 56, bottom = 36, top = 12;
  const max = niceMax(Math.max(0, ...rows.map(([, v]) => v)));
  const inner = WIDTH - left - 8;
  const step = inner / Math.max(rows.length, 1);
  const y = (v) => top + (height - top - bottom) * (1 - v / max);
  const svg = s("svg", { viewBox: `0 0 ${WIDTH} ${height}`, class: "plot" });
  for (const tick of [0, 0.5, 1]) {
    svg.append(s("line", { x1: left, x2: WIDTH - 8, y1: y(max * tick), y2: y(max * tick), class: "grid" }));
    svg.append(s("text", { x: left - 6, y: y(max * tick) + 4, class: "axis", "text-anchor": "end" }, format(max * tick)));
  }
  const every = Math.ceil(rows.length / 10);
  rows.forEach(([label, value], i) => {
    const x = left + i * step;
    svg.append(s("rect", { x: x + step * 0.15, y: y(value), width: Math.max(step * 0.7, 1), height: y(0) - y(value), class: "bar" },
      s("title", {}, `${label}: ${format(value, unit)}`)));
    if (i % every === 0) svg.append(s("text", { x: x + step / 2, y: height - bottom + 16, class: "axis", "text-anchor": "middle" }, label));
  });
  svg.append(s("text", { x: 4, y: 10, class: "axis" }, unit || ""));
  return figure(title, svg, rows, unit, summaryOf(rows, unit));
}

// Horizontal bars, for rankings (stations, connectors, models).
export function ranking(title, rows, unit) {
  if (!rows.length) return h("figure", { class: "chart" }, h("figcaption", {}, title), h("p", { class: "empty" }, "Nothing in this range."));
  const row = 24, left = 170, right = 90;
  const height = Math.max(rows.length, 1) * row + 8;
  const max = niceMax(Math.max(0, ...rows.map(([, v]) => v)));
  const svg = s("svg", { viewBox: `0 0 ${WIDTH} ${height}`, class: "plot" });
  rows.forEach(([label, value], i) => {
    const y = 4 + i * row;
    const width = ((WIDTH - left - right) * value) / max;
    const name = label.length > 24 ? `${label.slice(0, 23)}…` : label;
    svg.append(s("text", { x: left - 8, y: y + 16, class: "axis", "text-anchor": "end" }, name));
    svg.append(s("rect", { x: left, y: y + 3, width: Math.max(width, 1), height: row - 8, class: "bar" },
      s("title", {}, `${label}: ${format(value, unit)}`)));
    svg.append(s("text", { x: left + width + 6, y: y + 16, class: "axis" }, format(value, unit)));
  });
  return figure(title, svg, rows, unit, summaryOf(rows, unit));
}

// A line over time: points are [Date, value].
export function line(title, points, unit) {
  const height = 220, left = 56, bottom = 30, top = 12;
  const svg = s("svg", { viewBox: `0 0 ${WIDTH} ${height}`, class: "plot" });
  const rows = points.map(([t, v]) => [t.toLocaleTimeString(), v]);
  if (points.length) {
    const t0 = points[0][0].getTime();
    const span = Math.max(points[points.length - 1][0].getTime() - t0, 1);
    const min = Math.min(0, ...points.map(([, v]) => v));
    const max = niceMax(Math.max(...points.map(([, v]) => v)) - min) + min;
    const x = (t) => left + ((WIDTH - left - 8) * (t.getTime() - t0)) / span;
    const y = (v) => top + (height - top - bottom) * (1 - (v - min) / (max - min || 1));
    for (const tick of [0, 0.5, 1]) {
      const value = min + (max - min) * tick;
      svg.append(s("line", { x1: left, x2: WIDTH - 8, y1: y(value), y2: y(value), class: "grid" }));
      svg.append(s("text", { x: left - 6, y: y(value) + 4, class: "axis", "text-anchor": "end" }, format(value)));
    }
    svg.append(s("polyline", { points: points.map(([t, v]) => `${x(t)},${y(v)}`).join(" "), class: "line" }));
    for (const [t, v] of points) svg.append(s("circle", { cx: x(t), cy: y(v), r: 2.5, class: "dot" }, s("title", {}, `${t.toLocaleTimeString()}: ${format(v, unit)}`)));
    svg.append(s("text", { x: left, y: height - 8, class: "axis" }, points[0][0].toLocaleTimeString()));
    svg.append(s("text", { x: WIDTH - 8, y: height - 8, class: "axis", "text-anchor": "end" }, points[points.length - 1][0].toLocaleTimeString()));
  } else {
    svg.append(s("text", { x: WIDTH / 2, y: height / 2, class: "axis", "text-anchor": "middle" }, "No meter values yet"));
  }
  svg.append(s("text", { x: 4, y: 10, class: "axis" }, unit || ""));
  const last = points.length ? `latest ${format(points[points.length - 1][1], unit)}` : "no values";
  return figure(title, svg, rows, unit, `${points.length} readings, ${last}.`);
}

// Power and energy over a session, from its meter values (base units: W and Wh).
export function sessionCharts(meterValues) {
  const series = (measurand) => meterValues
    .map((mv) => [new Date(mv.timestamp), mv.sampledValues.find((v) => v.measurand === measurand && !v.phase && v.value !== null)])
    .filter(([, v]) => v)
    .map(([t, v]) => [t, v.value]);
  const power = series("Power.Active.Import").map(([t, v]) => [t, v / 1000]);
  const register = series("Energy.Active.Import.Register");
  const first = register.length ? register[0][1] : 0;
  const energy = register.map(([t, v]) => [t, (v - first) / 1000]);
  return h("div", { class: "charts" }, line("Power", power, "kW"), line("Energy charged", energy, "kWh"));
}
