// Sessions: a filtered list (in progress, charge point, id token, dates), a CSV of everything
// the filter matches, and one session with its meter values drawn and its cost (and, while it
// is in progress, a Stop).

import { needs, permit } from "../access.js";
import { every, get, poll, query } from "../api.js";
import { sessionCharts } from "../chart.js";
import { badge, download, field, h, json, kwh, message, replace, select, table, when } from "../dom.js";
import { facts, stopButton } from "./chargepoint.js";

const FIELDS = ["transactionId", "chargePointId", "ocppVersion", "evseId", "connectorId", "idToken", "startedAt",
  "stoppedAt", "meterStartWh", "meterStopWh", "energyWh", "stopReason", "active", "tariffId"];
// The cost of a priced session (so far, while it is active), from its tariff.
const COST = { currency: "currency", costExclVat: "totalExclVat", costInclVat: "totalInclVat" };
const COLUMNS = [...FIELDS.map((f) => [f, (item) => item[f]]),
  ...Object.entries(COST).map(([column, part]) => [column, (item) => item.cost?.[part]])];

// A cell a spreadsheet would read as a formula (= + - @, or a tab or carriage return first) is
// led by a quote, so that an id token such as =HYPERLINK(...) stays text (OWASP, CSV injection).
// Numbers stay numbers: -3.5 is a value, not a formula.
export function csvCell(value) {
  let text = value === null || value === undefined ? "" : String(value);
  if (typeof value !== "number" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(items) {
  const rows = items.map((item) => COLUMNS.map(([, value]) => csvCell(value(item))).join(","));
  return [COLUMNS.map(([name]) => name).join(","), ...rows].join("\n") + "\n";
}

function params(form) {
  const data = new FormData(form);
  const day = (name, end) => (data.get(name) ? `${data.get(name)}T${end}Z` : undefined);
  return {
    active: data.get("active") || undefined,
    chargePointId: data.get("chargePointId").trim() || undefined,
    idToken: data.get("idToken").trim() || undefined,
    from: day("from", "00:00:00"),
    to: day("to", "23:59:59"),
  };
}

export function sessionsPage(root) {
  const wanted = new URLSearchParams(location.hash.split("?")[1] || "");
  const form = h("form", { class: "filters", role: "search" },
    field("Sessions", select("active", [["", "All"], ["true", "In progress"], ["false", "Ended"]], "")),
    field("Charge point", h("input", { name: "chargePointId", value: wanted.get("chargePointId") || "" })),
    field("Id token", h("input", { name: "idToken" })),
    field("Started from", h("input", { name: "from", type: "date" })),
    field("Started to", h("input", { name: "to", type: "date" })),
    h("button", { type: "submit" }, "Show"),
    permit(h("button", { type: "button", class: "quiet", onclick: () => exportCsv() }, "Export CSV"),
      needs("GET /transactions")));
  const list = h("div");
  const more = h("div");
  const status = h("div", { "aria-live": "polite" });
  let items = [];
  let latest = 0;
  replace(root, h("h1", {}, "Sessions"), form, status, list, more);

  async function load(token) {
    const asked = ++latest;
    try {
      const page = await get(`/transactions${query({ ...params(form), limit: 50, nextToken: token })}`);
      if (asked !== latest) return; // a newer question was asked meanwhile: its answer shows
      items = token ? items.concat(page.items) : page.items;
      replace(list, table("Sessions", [
        ["Session", (s) => h("a", { href: `#/sessions/${encodeURIComponent(s.chargePointId)}/${encodeURIComponent(s.transactionId)}` }, s.transactionId)],
        ["Charge point", (s) => h("a", { href: `#/charge-points/${encodeURIComponent(s.chargePointId)}` }, s.chargePointId)],
        ["Id token", (s) => s.idToken || "–"],
        ["Started", (s) => when(s.startedAt)],
        ["Stopped", (s) => (s.active ? badge("Charging") : when(s.stoppedAt))],
        ["Energy", (s) => kwh(s.energyWh)],
      ], items, "No session matches."));
      replace(more, page.nextToken ? h("button", { type: "button", class: "quiet", onclick: () => load(page.nextToken) }, "More") : null);
      replace(status);
    } catch (error) {
      replace(status, message("error", error.message));
    }
  }

  async function exportCsv() {
    replace(status, message("info", "Reading every matching session…"));
    try {
      const all = await every("/transactions", { ...params(form), withCost: true }, 100);
      download(`sessions-${new Date().toISOString().slice(0, 10)}.csv`, toCsv(all));
      replace(status, message("ok", `${all.length} sessions exported.`));
    } catch (error) {
      replace(status, message("error", error.message));
    }
  }

  form.addEventListener("submit", (event) => { event.preventDefault(); load(); });
  load();
}

export function sessionPage(root, chargePointId, transactionId) {
  replace(root, h("p", {}, "Loading…"));
  const said = h("div", { class: "answer", "aria-live": "polite" }); // kept across refreshes
  async function load() {
    try {
      const s = await get(`/transactions/${encodeURIComponent(transactionId)}${query({ chargePointId })}`);
      replace(root,
        h("p", { class: "crumbs" }, h("a", { href: "#/sessions" }, "Sessions"), " / ", s.transactionId),
        h("h1", {}, `Session ${s.transactionId} `, s.active ? badge("Charging") : badge("completed")),
        s.active ? h("div", { class: "actions" }, stopButton(s.chargePointId, s.transactionId, said)) : null, said,
        facts([
          ["Charge point", h("a", { href: `#/charge-points/${encodeURIComponent(s.chargePointId)}` }, s.chargePointId)],
          ["OCPP", s.ocppVersion], ["EVSE", s.evseId ?? "–"], ["Connector", s.connectorId ?? "–"],
          ["Id token", s.idToken || "–"], ["Started", when(s.startedAt)], ["Stopped", when(s.stoppedAt)],
          ["Energy", kwh(s.energyWh)], ["Stop reason", s.stopReason || "–"], ["Tariff", s.tariffId || "–"],
          ["Cost", s.cost ? `${s.cost.totalInclVat ?? "–"} ${s.cost.currency || ""}` : "–"],
        ]),
        sessionCharts(s.meterValues),
        s.cost ? [h("h2", {}, "Cost"), json(s.cost, "Cost")] : null,
        h("h2", {}, "Events"),
        table("Session events", [
          ["When", (e) => when(e.timestamp)], ["Kind", (e) => e.kind], ["Sequence", (e) => e.seqNo ?? "–"],
          ["Trigger", (e) => e.triggerReason || "–"], ["Charging state", (e) => e.chargingState || "–"],
        ], s.events, "No event."));
      return s.active; // an ended session changes no more
    } catch (error) {
      replace(root, message("error", error.message));
      return false;
    }
  }
  return poll(load);
}
