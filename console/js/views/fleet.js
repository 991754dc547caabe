// The fleet: every charge point with its connectors' states, counts at the top, filters and
// search; the list is virtualised (only the rows in view are in the page) and refreshed every
// few seconds without a reload. What it shows is what is known: an offline station's connectors
// are unknown (their last report may no longer hold), a 2.x "Occupied" connector is charging
// only while a session on it has metered energy, else parked, and "last heard" is the bound the
// list can give without asking the gateway.

import { REFRESH_MS, every, poll } from "../api.js";
import { badge, field, h, message, replace, select, when } from "../dom.js";

const ROW = 44;

// What a connector is, as the page shows it: the station's status, except "unknown" while the
// station is offline, and a 2.x "Occupied" told as "Charging" (a session on it in progress, with
// energy metered) or "Parked" (no session, or none with energy yet).
export function shownStatus(cp, connector, session) {
  if (!cp.online) return "unknown";
  if (connector.status !== "Occupied") return connector.status;
  return session && session.energyWh > 0 ? "Charging" : "Parked";
}

export function stateOf(cp, shown) {
  return {
    online: cp.online,
    faulted: shown.includes("Faulted"),
    charging: shown.includes("Charging"),
  };
}

export function fleetPage(root) {
  let fleet = [];
  let shown = [];
  const asked = new URLSearchParams(location.hash.split("?")[1] || "").get("show");
  const filters = { state: asked || "all", site: "", model: "", search: "" };

  const counts = h("div", { class: "counts", role: "group", "aria-label": "Counts" });
  const updated = h("p", { class: "muted", "aria-live": "polite" });
  const siteSelect = select("site", [["", "All sites"]], "");
  const modelSelect = select("model", [["", "All models"]], "");
  const stateSelect = select("state", [["all", "All"], ["online", "Online"], ["offline", "Offline"],
    ["charging", "Charging"], ["faulted", "Faulted"]], filters.state);
  const search = h("input", { type: "search", name: "search", placeholder: "Id, vendor, model, serial, firmware" });
  const total = h("p", { class: "muted", "aria-live": "polite" });
  const header = h("div", { class: "fleet-row head", role: "row" },
    ["Charge point", "Version", "Connection", "Connectors", "Last heard", "Firmware", "Model", "Site"]
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

  function row({ cp, connectors, statuses }, index) {
    const link = h("a", { class: "fleet-row", role: "row", href: `#/charge-points/${encodeURIComponent(cp.id)}`,
      dataset: { id: cp.id } },
    h("span", { role: "cell", class: "id" }, cp.id),
    h("span", { role: "cell" }, cp.ocppVersion || "–"),
    h("span", { role: "cell" }, badge(cp.online ? "online" : "offline")),
    h("span", { role: "cell", class: "connectors" }, connectors.length
      ? connectors.map((c, i) => h("span", { class: "connector", title: title(c, statuses[i]) },
        h("span", { class: "visually-hidden" }, `${label(c)} `), badge(statuses[i])))
      : "–"),
    h("span", { role: "cell", title: heardTitle(cp) }, lastHeard(cp)),
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
      const online = new Set(cps.filter((cp) => cp.online).map((cp) => cp.id));
      const byCp = new Map();
      for (const c of connectors) {
        if (c.connectorId === 0 && c.evseId === null) continue; // 1.6: the charge point itself
        if (!byCp.has(c.chargePointId)) byCp.set(c.chargePointId, []);
        byCp.get(c.chargePointId).push(c);
      }
      // Sessions in progress are read only when an online station has an Occupied EVSE to tell.
      const sessions = new Map();
      if (connectors.some((c) => c.status === "Occupied" && online.has(c.chargePointId))) {
        for (const t of await every("/transactions", { active: "true" }, 100, 20)) {
          sessions.set(`${t.chargePointId}#${t.evseId}`, t);
        }
      }
      fleet = cps.map((cp) => {
        const mine = (byCp.get(cp.id) || []).sort((a, b) => (a.evseId ?? 0) - (b.evseId ?? 0) || a.connectorId - b.connectorId);
        const statuses = mine.map((c) => shownStatus(cp, c, sessions.get(`${cp.id}#${c.evseId}`)));
        return { cp, connectors: mine, statuses, state: stateOf(cp, statuses) };
      }).sort((a, b) => a.cp.id.localeCompare(b.cp.id));
      options(siteSelect, new Set(cps.map((cp) => cp.siteId).filter(Boolean)), "All sites");
      options(modelSelect, new Set(cps.map((cp) => cp.model).filter(Boolean)), "All models");
      replace(problem);
      refreshCounts();
      filter();
      const faults = fleet.reduce((sum, { statuses }) => sum + statuses.filter((st) => st === "Faulted").length, 0);
      window.dispatchEvent(new CustomEvent("csms:alerts", { detail: { faults } }));
      updated.textContent = `Updated ${new Date().toLocaleTimeString()}; refreshed every ${REFRESH_MS / 1000} s.`;
    } catch (error) {
      replace(problem, message("error", `The fleet did not load: ${error.message}`));
    }
  }

  return poll(load);
}

// When the station was last heard, as the list knows it at no cost (decision 0046): online, within
// the gateway's idle timeout (it closes a connection silent for 10 minutes); offline, when its
// connection closed at the latest. A charge point's own page has the gateway's exact time.
export function lastHeard(cp) {
  if (cp.online) return "within 10 min";
  const at = cp.disconnectedAt || cp.connectedAt;
  return at ? when(at) : "never";
}

function heardTitle(cp) {
  if (cp.online) return `Connected since ${when(cp.connectedAt)}: the gateway closes a connection silent for 10 minutes`;
  if (cp.disconnectedAt) return "When its connection closed: it was last heard then at the latest";
  return cp.connectedAt ? "When its connection opened (its close was not recorded)" : "It never connected";
}

function title(c, status) {
  if (status === "unknown") return `Connector ${label(c)}: unknown while the station is offline (it last said ${c.status} at ${when(c.statusAt)})`;
  if (status !== c.status) return `Connector ${label(c)}: ${c.status}, ${status === "Charging" ? "a session in progress with energy metered" : "no session with energy metered"}`;
  return `Connector ${label(c)}: ${c.status}`;
}

function label(c) {
  return c.evseId === null || c.evseId === undefined ? `${c.connectorId}` : `${c.evseId}/${c.connectorId}`;
}
