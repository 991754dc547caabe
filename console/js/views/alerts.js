// The fleet's alerts: faulted connectors of online stations and the critical security events of
// the last 24 hours (or since a day chosen), each linked to its station. The header's count is
// theirs; this page refreshes it as it refreshes itself.

import { every, poll } from "../api.js";
import { badge, field, h, message, replace, table, when } from "../dom.js";

const DAY_MS = 24 * 3600 * 1000;

// The critical security events since `from` (an ISO time), newest first: at most `most` pages.
export function criticalEvents(from, most = 10) {
  return every("/security-events", { critical: "true", from }, 100, most);
}

export function alertsPage(root) {
  const since = h("input", { type: "date", name: "from" });
  const faults = h("div");
  const events = h("div");
  const problem = h("div");
  const form = h("form", { class: "filters", role: "search" },
    field("Security events since", since, "Empty: the last 24 hours"),
    h("button", { type: "submit" }, "Show"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    load();
  });
  replace(root, h("h1", {}, "Alerts"), problem,
    h("h2", {}, "Faulted connectors"), faults,
    h("h2", {}, "Critical security events"), form, events);

  async function load() {
    const from = since.value ? new Date(`${since.value}T00:00:00`).toISOString() : new Date(Date.now() - DAY_MS).toISOString();
    try {
      const [cps, connectors, critical] = await Promise.all([every("/charge-points"), every("/connectors"), criticalEvents(from)]);
      const online = new Set(cps.filter((cp) => cp.online).map((cp) => cp.id));
      const faulted = connectors.filter((c) => c.status === "Faulted" && online.has(c.chargePointId));
      const station = (id, tab = "") => h("a", { href: `#/charge-points/${encodeURIComponent(id)}${tab}` }, id);
      replace(faults, table("Faulted connectors", [
        ["Charge point", (c) => station(c.chargePointId)],
        ["Connector", (c) => (c.evseId === null || c.evseId === undefined ? `${c.connectorId}` : `${c.evseId}/${c.connectorId}`)],
        ["Status", (c) => badge(c.status)], ["Error", (c) => c.errorCode || c.info || "–"], ["Since", (c) => when(c.statusAt)],
      ], faulted, "No faulted connector on an online station."),
      faulted.length ? h("p", {}, h("a", { href: "#/fleet?show=faulted" }, "Show them in the fleet")) : null);
      replace(events, table("Critical security events", [
        ["When", (e) => when(e.timestamp)], ["Charge point", (e) => station(e.chargePointId, "/security")],
        ["Type", (e) => h("span", {}, badge("critical"), " ", e.type)], ["Details", (e) => e.techInfo || "–"],
      ], critical, "No critical security event in that time."));
      replace(problem);
      if (!since.value) {
        window.dispatchEvent(new CustomEvent("csms:alerts", { detail: { faults: faulted.length, critical: critical.length } }));
      }
    } catch (error) {
      replace(problem, message("error", `The alerts did not load: ${error.message}`));
    }
  }

  return poll(load);
}
