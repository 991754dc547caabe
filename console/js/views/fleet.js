// The fleet: every charge point with its connectors' states, counts at the top, filters and
// search; the list is virtualised (only the rows in view are in the page) and refreshed every
// few seconds without a reload.

import { REFRESH_MS, every, poll } from "../api.js";
import { badge, field, h, message, replace, select, when } from "../dom.js";

const ROW = 44;
const CHARGING = new Set(["Charging", "Occupied", "SuspendedEV", "SuspendedEVSE"]);

export function stateOf(cp, connectors) {
  const statuses = connectors.map((c) => c.status);
  return {
    online: cp.online,
    faulted: statuses.includes("Faulted"),
    charging: statuses.some((s) => CHARGING.has(s)),
  };
}

export function fleetPage(root) {
  let fleet = [];
  let shown = [];
  const filters = { state: "all", site: "", model: "", search: "" };

  const counts = h("div", { class: "counts", role: "group", "aria-label": "Counts" });
  const updated = h("p", { class: "muted", "aria-live": "polite" });
  const siteSelect = select("site", [["", "All sites"]], "");
  const modelSelect = select("model", [["", "All models"]], "");
  const stateSelect = select("state", [["all", "All"], ["online", "Online"], ["offline", "Offline"],
    ["charging", "Charging"], ["faulted", "Faulted"]], "all");
  const search = h("input", { type: "search", name: "search", placeholder: "Id, vendor, model, serial, firmware" });
  const total = h("p", { class: "muted", "aria-live": "polite" });
  const header = h("div", { class: "fleet-row head", role: "row" },
    ["Charge point", "Version", "Connection", "Connectors", "Last seen", "Firmware", "Model", "Site"]
      .map((label) => h("span", { role: "columnheader" }, label)));
  const spacer = h("div", { class: "spacer" });
  const viewport = h("div", { class: "fleet-list", role: "rowgroup", tabindex: "0", "aria-label": "Charge points" }, spacer);
  const problem = h("div");

  for (const [control, key] of [[stateSelect, "state"], [siteSelect, "site"], [modelSelect, "model"]]) {
    control.addEventListener("change", () => { filters[key] = control.value; filter(); });
  }
  search.addEventListener("input", () => { filters.search = search.value.trim().toLowerCase(); filter(); });
  viewport.addEventListener("scroll", () => draw());

  replace(root,
    h("h1", {}, "Fleet"),
    counts,
    h("form", { class: "filters", role: "search", onsubmit: (e) => e.preventDefault() },
      field("Show", stateSelect), field("Site", siteSelect), field("Model", modelSelect), field("Search", search)),
    problem, total,
    h("div", { class: "fleet", role: "table", "aria-label": "Charge points" }, header, viewport),
    updated);

  function options(control, values, label) {
    const current = control.value;
    replace(control, h("option", { value: "" }, label),
      [...values].sort().map((v) => h("option", { value: v, selected: v === current }, v)));
  }

  function filter() {
    const text = filters.search;
    shown = fleet.filter(({ cp, state }) => {
      if (filters.state === "online" && !state.online) return false;
      if (filters.state === "offline" && state.online) return false;
      if (filters.state === "charging" && !state.charging) return false;
      if (filters.state === "faulted" && !state.faulted) return false;
      if (filters.site && cp.siteId !== filters.site) return false;
      if (filters.model && cp.model !== filters.model) return false;
      if (!text) return true;
      return [cp.id, cp.vendor, cp.model, cp.serialNumber, cp.firmwareVersion]
        .some((v) => v && v.toLowerCase().includes(text));
    });
    total.textContent = `${shown.length} of ${fleet.length} charge points shown`;
    spacer.style.height = `${shown.length * ROW}px`;
    draw();
  }

  function row({ cp, connectors }, index) {
    const link = h("a", { class: "fleet-row", role: "row", href: `#/charge-points/${encodeURIComponent(cp.id)}`,
      dataset: { id: cp.id } },
    h("span", { role: "cell", class: "id" }, cp.id),
    h("span", { role: "cell" }, cp.ocppVersion || "–"),
    h("span", { role: "cell" }, badge(cp.online ? "online" : "offline")),
    h("span", { role: "cell", class: "connectors" }, connectors.length
      ? connectors.map((c) => h("span", { class: "connector", title: `Connector ${label(c)}: ${c.status}` },
        h("span", { class: "visually-hidden" }, `${label(c)} `), badge(c.status)))
      : "–"),
    h("span", { role: "cell" }, when(cp.connectedAt || cp.lastBootAt)),
    h("span", { role: "cell" }, cp.firmwareVersion || "–"),
    h("span", { role: "cell" }, cp.model || "–"),
    h("span", { role: "cell" }, cp.siteId || "–"));
    link.style.top = `${index * ROW}px`; // through the CSSOM: the page's policy allows no inline styles
    return link;
  }

  function draw() {
    const first = Math.max(0, Math.floor(viewport.scrollTop / ROW) - 5);
    const last = Math.min(shown.length, first + Math.ceil(viewport.clientHeight / ROW) + 10);
    replace(spacer, shown.slice(first, last).map((item, i) => row(item, first + i)));
  }

  function countButton(text, value, state) {
    return h("button", { type: "button", class: `count ${state === filters.state ? "on" : ""}`, "aria-pressed": String(state === filters.state),
      onclick: () => { stateSelect.value = state; filters.state = state; filter(); refreshCounts(); } },
    h("strong", {}, String(value)), h("span", {}, text));
  }

  function refreshCounts() {
    const tally = (test) => fleet.filter(({ state }) => test(state)).length;
    replace(counts,
      countButton("charge points", fleet.length, "all"),
      countButton("online", tally((s) => s.online), "online"),
      countButton("offline", tally((s) => !s.online), "offline"),
      countButton("charging", tally((s) => s.charging), "charging"),
      countButton("faulted", tally((s) => s.faulted), "faulted"));
  }

  async function load() {
    try {
      const [cps, connectors] = await Promise.all([every("/charge-points"), every("/connectors")]);
      const byCp = new Map();
      for (const c of connectors) {
        if (c.connectorId === 0 && c.evseId === null) continue; // 1.6: the charge point itself
        if (!byCp.has(c.chargePointId)) byCp.set(c.chargePointId, []);
        byCp.get(c.chargePointId).push(c);
      }
      fleet = cps.map((cp) => {
        const mine = (byCp.get(cp.id) || []).sort((a, b) => (a.evseId ?? 0) - (b.evseId ?? 0) || a.connectorId - b.connectorId);
        return { cp, connectors: mine, state: stateOf(cp, mine) };
      }).sort((a, b) => a.cp.id.localeCompare(b.cp.id));
      options(siteSelect, new Set(cps.map((cp) => cp.siteId).filter(Boolean)), "All sites");
      options(modelSelect, new Set(cps.map((cp) => cp.model).filter(Boolean)), "All models");
      replace(problem);
      refreshCounts();
      filter();
      updated.textContent = `Updated ${new Date().toLocaleTimeString()}; refreshed every ${REFRESH_MS / 1000} s.`;
    } catch (error) {
      replace(problem, message("error", `The fleet did not load: ${error.message}`));
    }
  }

  return poll(load);
}

function label(c) {
  return c.evseId === null || c.evseId === undefined ? `${c.connectorId}` : `${c.evseId}/${c.connectorId}`;
}
