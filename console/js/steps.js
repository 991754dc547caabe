// A chart of limits over time: series drawn as steps (a schedule's limit holds until the next
// period) or as lines (what was measured), on one axis, each named in a legend by its dash as
// well as its colour. Like chart.js' charts: a figure with a caption, a summary for screen
// readers and its figures in a table one click away.

import { h } from "./dom.js";

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 640, HEIGHT = 240, LEFT = 56, RIGHT = 8, TOP = 14, BOTTOM = 30;

function s(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

// At most two decimals, none written that are zero (16, 7.5, 0.25).
function rounded(value) {
  return String(Number(value.toFixed(Math.abs(value) >= 100 ? 0 : 2)));
}

function top(value) {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

// `series`: [{name, kind: "step" | "line", points: [[Date, value]], end?: Date}] (a step series
// holds its last value until `end`). `unit` names the axis.
export function limitsChart(title, series, unit, empty = "Nothing to draw yet") {
  const id = `steps-${Math.random().toString(36).slice(2, 9)}`;
  const drawn = series.filter((one) => one.points.length);
  const svg = s("svg", { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: "plot", role: "img",
    "aria-labelledby": `${id}-title`, "aria-describedby": `${id}-summary` });
  const times = drawn.flatMap((one) => [...one.points.map(([t]) => t.getTime()), ...(one.end ? [one.end.getTime()] : [])]);
  if (!times.length) {
    svg.append(s("text", { x: WIDTH / 2, y: HEIGHT / 2, class: "axis", "text-anchor": "middle" }, empty));
  } else {
    const t0 = Math.min(...times), t1 = Math.max(...times, t0 + 1);
    const max = top(Math.max(0, ...drawn.flatMap((one) => one.points.map(([, v]) => v))));
    const x = (t) => LEFT + ((WIDTH - LEFT - RIGHT) * (t - t0)) / (t1 - t0);
    const y = (v) => TOP + (HEIGHT - TOP - BOTTOM) * (1 - v / max);
    for (const tick of [0, 0.5, 1]) {
      svg.append(s("line", { x1: LEFT, x2: WIDTH - RIGHT, y1: y(max * tick), y2: y(max * tick), class: "grid" }));
      svg.append(s("text", { x: LEFT - 6, y: y(max * tick) + 4, class: "axis", "text-anchor": "end" }, rounded(max * tick)));
    }
    drawn.forEach((one, index) => {
      const coords = [];
      one.points.forEach(([t, v], i) => {
        if (one.kind === "step" && i > 0) coords.push(`${x(t.getTime())},${y(one.points[i - 1][1])}`);
        coords.push(`${x(t.getTime())},${y(v)}`);
      });
      const last = one.points[one.points.length - 1];
      if (one.kind === "step") coords.push(`${x((one.end || new Date(t1)).getTime())},${y(last[1])}`);
      svg.append(s("polyline", { points: coords.join(" "), class: `series series-${index}` },
        s("title", {}, `${one.name}: latest ${rounded(last[1])} ${unit}`)));
    });
    svg.append(s("text", { x: LEFT, y: HEIGHT - 8, class: "axis" }, new Date(t0).toLocaleTimeString()));
    svg.append(s("text", { x: WIDTH - RIGHT, y: HEIGHT - 8, class: "axis", "text-anchor": "end" }, new Date(t1).toLocaleTimeString()));
  }
  svg.append(s("text", { x: 4, y: 11, class: "axis" }, unit));
  const summary = drawn.length
    ? drawn.map((one) => `${one.name}: ${one.points.length} values, latest ${rounded(one.points[one.points.length - 1][1])} ${unit}`).join("; ")
    : empty;
  return h("figure", { class: "chart" },
    h("figcaption", { id: `${id}-title` }, title),
    svg,
    h("ul", { class: "legend" }, series.map((one, index) => h("li", { class: `series-${index}` }, one.name))),
    h("p", { id: `${id}-summary`, class: "visually-hidden" }, `${summary}.`),
    h("details", {},
      h("summary", {}, "Figures"),
      h("table", {},
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Series"), h("th", { scope: "col" }, "From"), h("th", { scope: "col" }, unit))),
        h("tbody", {}, drawn.flatMap((one) => one.points.map(([t, v]) => h("tr", {},
          h("th", { scope: "row" }, one.name), h("td", {}, t.toLocaleString()), h("td", {}, rounded(v)))))))));
}
