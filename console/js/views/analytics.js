// Analytics over a chosen range, from the figures the CSMS keeps as sessions end (GET
// /analytics/...): energy and sessions per day, energy per charge point or site, top and
// bottom stations, connectors' utilisation and faults per model.

import { get, query } from "../api.js";
import { bars, ranking } from "../chart.js";
import { field, h, message, replace, select } from "../dom.js";

const day = (date) => date.toISOString().slice(0, 10);

export function analyticsPage(root) {
  const today = new Date();
  const from = h("input", { type: "date", name: "from", value: day(new Date(today.getTime() - 29 * 86400000)) });
  const to = h("input", { type: "date", name: "to", value: day(today) });
  const by = select("by", [["chargePoint", "Charge point"], ["site", "Site"]], "chargePoint");
  const form = h("form", { class: "filters" }, field("From", from), field("To", to), field("Energy by", by),
    h("button", { type: "submit" }, "Show"));
  const charts = h("div", { class: "charts", "aria-live": "polite" });
  replace(root, h("h1", {}, "Analytics"), form, charts,
    h("p", { class: "muted" }, "Ended sessions are also exported as JSON lines for heavier analysis: in the cloud to the exports bucket (an Athena table over it); locally under the data folder's exports/."));

  async function load() {
    const range = { from: from.value, to: to.value };
    replace(charts, h("p", {}, "Loading…"));
    try {
      const breakdown = (params) => get(`/analytics/breakdown${query({ ...range, ...params })}`);
      const [daily, top, bottom, connectors, models] = await Promise.all([
        get(`/analytics/daily${query(range)}`),
        breakdown({ by: by.value, sort: "energyWh", order: "desc", limit: 10 }),
        breakdown({ by: by.value, sort: "energyWh", order: "asc", limit: 10 }),
        breakdown({ by: "connector", sort: "utilisation", order: "desc", limit: 15 }),
        breakdown({ by: "model", sort: "faults", order: "desc", limit: 10 }),
      ]);
      const days = daily.items;
      const label = by.value === "site" ? "site" : "charge point";
      const total = days.reduce((sum, d) => sum + d.energyWh, 0) / 1000;
      const sessions = days.reduce((sum, d) => sum + d.sessions, 0);
      replace(charts,
        h("div", { class: "counts" },
          h("div", { class: "count" }, h("strong", {}, total.toFixed(1)), h("span", {}, "kWh")),
          h("div", { class: "count" }, h("strong", {}, String(sessions)), h("span", {}, "sessions")),
          h("div", { class: "count" }, h("strong", {}, String(days.reduce((sum, d) => sum + d.faults, 0))), h("span", {}, "faults")),
          h("div", { class: "count" }, h("strong", {}, String(top.count)), h("span", {}, `${label}s`))),
        bars("Energy per day", days.map((d) => [d.date.slice(5), d.energyWh / 1000]), "kWh"),
        bars("Sessions per day", days.map((d) => [d.date.slice(5), d.sessions]), ""),
        ranking(`Top ${label}s by energy`, top.items.map((m) => [m.key, m.energyWh / 1000]), "kWh"),
        ranking(`Bottom ${label}s by energy (idle ones at zero)`, bottom.items.map((m) => [m.key, m.energyWh / 1000]), "kWh"),
        ranking("Utilisation per connector (share of the range held by sessions)", connectors.items.map((m) => [m.key, (m.utilisation || 0) * 100]), "%"),
        ranking("Faults per model", models.items.filter((m) => m.faults > 0).map((m) => [m.key, m.faults]), ""));
    } catch (error) {
      replace(charts, message("error", error.message));
    }
  }

  form.addEventListener("submit", (event) => { event.preventDefault(); load(); });
  load();
}
