// Tariffs (OCPI 2.2.1 elements, with where they apply): list, make or edit one (the API checks
// it and its reason for a refusal shows by the form), delete one after asking, and preview what
// a session of given figures would cost under one (the API prices it as it prices a CDR). CDRs: ended
// sessions as OCPI CDRs, filtered by when they started (and by station, in the page), exported.

import { needs, permit } from "../access.js";
import { api, every, get, query } from "../api.js";
import { ask, download, field, h, json, message, replace, select, table, when } from "../dom.js";
import { csvCell } from "./sessions.js";

const SAVE = needs("PUT /tariffs/<tariff_id>");
const DELETE = needs("DELETE /tariffs/<tariff_id>");
const EXPORT = needs("GET /cdrs");
const PREVIEW = needs("POST /tariffs/<tariff_id>/preview");

const EXAMPLE = [
  { priceComponents: [{ type: "ENERGY", price: 0.35 }, { type: "FLAT", price: 0.5 }], restrictions: { startTime: "07:00", endTime: "22:00" } },
  { priceComponents: [{ type: "ENERGY", price: 0.25 }, { type: "FLAT", price: 0.5 }] },
];

const list = (text) => text.split(",").map((item) => item.trim()).filter(Boolean);
const number = (value) => (value === "" || value === null ? undefined : value);

// What a tariff charges, in a line: each element's components and its restriction.
export function priceLine(tariff) {
  return tariff.elements.map((element) => {
    const parts = element.priceComponents.map((c) => `${c.type} ${c.price}`).join(" + ");
    const r = element.restrictions;
    const limits = r ? [r.startTime && `from ${r.startTime}`, r.endTime && `to ${r.endTime}`, r.daysOfWeek && r.daysOfWeek.join(" ")].filter(Boolean).join(" ") : "";
    return limits ? `${parts} (${limits})` : parts;
  }).join("; ") || "–";
}

function whereText(tariff) {
  const a = tariff.assignedTo || {};
  const parts = [a.default ? "default" : null, a.sites?.length ? `sites ${a.sites.join(", ")}` : null,
    a.chargePoints?.length ? `stations ${a.chargePoints.join(", ")}` : null,
    a.idTokenGroups?.length ? `groups ${a.idTokenGroups.join(", ")}` : null].filter(Boolean);
  return parts.join("; ") || "nowhere yet";
}

export function tariffsPage(root) {
  const status = h("div", { "aria-live": "polite" });
  const problem = h("div", { "aria-live": "assertive" });
  const rows = h("div");
  const id = h("input", { name: "tariffId", required: true, maxlength: "36", pattern: "[A-Za-z0-9._\\-]+" });
  const elements = h("textarea", { name: "elements", rows: "8", spellcheck: "false", class: "code", required: true },
    JSON.stringify(EXAMPLE, null, 2));
  const form = h("form", { class: "card", novalidate: true },
    h("h2", {}, "Make or edit a tariff"),
    h("div", { class: "grid" },
      h("div", {},
        field("Tariff id", id, "Letters, digits, . _ -; an id in use is replaced"),
        field("Currency", h("input", { name: "currency", required: true, value: "EUR", maxlength: "3" }), "ISO 4217, e.g. EUR"),
        field("VAT (%)", h("input", { name: "vatRate", type: "number", min: "0", max: "100", step: "any", value: "20" })),
        field("Time zone", h("input", { name: "timeZone", value: "UTC" }), "Of the restrictions' times, e.g. Europe/Paris"),
        field("Free idle minutes", h("input", { name: "idleGraceMinutes", type: "number", min: "0", value: "0" })),
        field("Least price", h("input", { name: "minPrice", type: "number", min: "0", step: "any" }), "Before tax; empty: none"),
        field("Most price", h("input", { name: "maxPrice", type: "number", min: "0", step: "any" }), "Before tax; empty: none")),
      h("div", {},
        field("Elements (JSON)", elements, "OCPI elements: priceComponents (ENERGY per kWh, TIME and PARKING_TIME per hour, FLAT), restrictions; the fallback last"),
        field("Text for drivers", h("input", { name: "text", maxlength: "512" }), "English; shown on displays"),
        field("Sites", h("input", { name: "sites" }), "Comma-separated"),
        field("Charge points", h("input", { name: "chargePoints" }), "Comma-separated"),
        field("Id token groups", h("input", { name: "idTokenGroups" }), "Comma-separated parentIdToken values"),
        h("div", { class: "field check" }, h("label", {}, h("input", { name: "default", type: "checkbox" }), " The default: everywhere nothing more specific applies")))),
    problem,
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Save the tariff"),
      h("button", { type: "reset", class: "quiet" }, "Clear")));
  const previewed = h("div", { "aria-live": "polite" });
  const which = select("tariffId", [], "");
  const preview = h("form", { class: "card" },
    h("h2", {}, "Preview a session's price"),
    h("div", { class: "grid" },
      h("div", {},
        field("Tariff", which),
        field("Energy (kWh)", h("input", { name: "kwh", type: "number", min: "0", step: "any", value: "20", required: true })),
        field("Length (minutes)", h("input", { name: "minutes", type: "number", min: "1", max: "10080", value: "120", required: true }))),
      h("div", {},
        field("Start", h("input", { name: "start", type: "datetime-local" }), "Your local time; empty: now"),
        field("Idle at the end (minutes)", h("input", { name: "idle", type: "number", min: "0", max: "10080", value: "0" }),
          "Plugged in, not charging"))),
    h("button", { type: "submit" }, "Preview"), previewed);
  replace(root, h("h1", {}, "Tariffs"),
    h("p", { class: "muted" }, "Sessions keep the tariff they started under. ", h("a", { href: "#/cdrs" }, "Charge detail records")),
    permit(form, SAVE), status, h("h2", {}, "Tariffs"), rows, permit(preview, PREVIEW));

  preview.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(preview);
    const tariffId = data.get("tariffId");
    if (!tariffId) {
      replace(previewed, message("error", "There is no tariff to preview yet."));
      return;
    }
    const start = data.get("start");
    const body = {
      energyWh: Number(data.get("kwh")) * 1000, durationMinutes: Number(data.get("minutes")),
      start: start ? new Date(start).toISOString() : undefined, idleMinutes: Number(data.get("idle") || 0),
    };
    try {
      const { cost, startedAt, endedAt } = await api("POST", `/tariffs/${encodeURIComponent(tariffId)}/preview`, body);
      const money = (value) => `${value.toFixed(2)} ${cost.currency}`;
      replace(previewed,
        h("p", {}, h("strong", {}, money(cost.totalInclVat)), ` with ${cost.vatPercent} % VAT (${money(cost.totalExclVat)} before tax), `,
          `from ${when(startedAt)} to ${when(endedAt)}`),
        table(`The price of the session under ${tariffId}`, [["Part", (row) => row[0]], ["Amount", (row) => money(row[1])]], [
          ["Energy", cost.energy], ["Time charging", cost.time], ["Idle", cost.idle], ["Session fee", cost.fee],
          ["Least or most price", cost.adjustment], ["Tax", cost.tax],
        ]));
    } catch (error) {
      replace(previewed, message("error", `${error.status || ""} ${error.message}`.trim()));
    }
  });

  function fill(tariff) {
    // By name through the query (the control named "elements" hides the form's own .elements).
    const set = (name, value) => { form.querySelector(`[name="${name}"]`).value = value ?? ""; };
    set("tariffId", tariff.tariffId);
    set("currency", tariff.currency);
    set("vatRate", tariff.vatRate);
    set("timeZone", tariff.timeZone);
    set("idleGraceMinutes", tariff.idleGraceMinutes);
    set("minPrice", tariff.minPrice);
    set("maxPrice", tariff.maxPrice);
    set("elements", JSON.stringify(tariff.elements, null, 2));
    set("text", tariff.text?.find((t) => t.language === "en")?.text ?? tariff.text?.[0]?.text);
    const a = tariff.assignedTo || {};
    set("sites", (a.sites || []).join(", "));
    set("chargePoints", (a.chargePoints || []).join(", "));
    set("idTokenGroups", (a.idTokenGroups || []).join(", "));
    form.querySelector("[name=default]").checked = Boolean(a.default);
    replace(problem);
    id.focus();
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    replace(problem);
    const data = new FormData(form);
    const tariffId = data.get("tariffId").trim();
    if (!tariffId) {
      replace(problem, message("error", "A tariff needs an id."));
      id.focus();
      return;
    }
    let parsed;
    try {
      parsed = JSON.parse(data.get("elements"));
    } catch (error) {
      replace(problem, message("error", `The elements are not JSON: ${error.message}`));
      elements.focus();
      return;
    }
    const text = data.get("text").trim();
    const body = {
      currency: data.get("currency").trim(), vatRate: number(data.get("vatRate")) ?? 0,
      timeZone: data.get("timeZone").trim() || "UTC", idleGraceMinutes: Number(data.get("idleGraceMinutes") || 0),
      minPrice: number(data.get("minPrice")), maxPrice: number(data.get("maxPrice")), elements: parsed,
      text: text ? [{ language: "en", text }] : [],
      assignedTo: { sites: list(data.get("sites")), chargePoints: list(data.get("chargePoints")),
        idTokenGroups: list(data.get("idTokenGroups")), default: data.get("default") === "on" },
    };
    try {
      await api("PUT", `/tariffs/${encodeURIComponent(tariffId)}`, body);
      replace(status, message("ok", `Tariff ${tariffId} saved.`));
      load();
    } catch (error) {
      // The API's own reason (a 400 or 422 names the field), where the form is.
      replace(problem, message("error", `${error.status || ""} ${error.message}`.trim()));
    }
  });

  async function remove(tariff) {
    if (!await ask(`Delete the tariff ${tariff.tariffId}?`, "Sessions priced by it keep their price; new sessions are no longer priced by it.", "Delete")) return;
    try {
      await api("DELETE", `/tariffs/${encodeURIComponent(tariff.tariffId)}`);
      replace(status, message("ok", `Tariff ${tariff.tariffId} deleted.`));
      load();
    } catch (error) {
      replace(status, message("error", error.message));
    }
  }

  async function load() {
    try {
      const { items } = await get("/tariffs");
      const chosen = which.value;
      replace(which, items.map((t) => h("option", { value: t.tariffId, selected: t.tariffId === chosen }, t.tariffId)));
      replace(rows, table("Tariffs", [
        ["Tariff", (t) => h("code", {}, t.tariffId)], ["Currency", (t) => t.currency], ["VAT", (t) => `${t.vatRate} %`],
        ["Prices (before tax)", priceLine], ["Applies to", whereText], ["Changed", (t) => when(t.updatedAt)],
        ["", (t) => h("div", { class: "actions" },
          permit(h("button", { type: "button", class: "quiet", "aria-label": `Edit ${t.tariffId}`, onclick: () => fill(t) }, "Edit"), SAVE, "hide"),
          permit(h("button", { type: "button", class: "quiet", "aria-label": `Delete ${t.tariffId}`, onclick: () => remove(t) }, "Delete"), DELETE, "hide"))],
      ], items, "No tariff yet: sessions are not priced."));
    } catch (error) {
      replace(rows, message("error", error.message));
    }
  }
  load();
}

// A CDR's columns in a CSV: the OCPI names a spreadsheet reads.
const CDR_COLUMNS = [
  ["id", (c) => c.id], ["session_id", (c) => c.session_id], ["charge_point", (c) => c.cdr_location?.id],
  ["evse_id", (c) => c.cdr_location?.evse_id], ["token_uid", (c) => c.cdr_token?.uid],
  ["start_date_time", (c) => c.start_date_time], ["end_date_time", (c) => c.end_date_time],
  ["total_energy_kwh", (c) => c.total_energy], ["total_time_h", (c) => c.total_time],
  ["total_parking_time_h", (c) => c.total_parking_time], ["currency", (c) => c.currency],
  ["total_cost_excl_vat", (c) => c.total_cost?.excl_vat], ["total_cost_incl_vat", (c) => c.total_cost?.incl_vat],
  ["tariff", (c) => c.charging_periods?.[0]?.tariff_id], ["remark", (c) => c.remark],
];

export function cdrsCsv(cdrs) {
  const lines = cdrs.map((cdr) => CDR_COLUMNS.map(([, value]) => csvCell(value(cdr))).join(","));
  return [CDR_COLUMNS.map(([name]) => name).join(","), ...lines].join("\n") + "\n";
}

export function cdrsPage(root) {
  const form = h("form", { class: "filters", role: "search" },
    field("Started from", h("input", { name: "from", type: "date" })),
    field("Started to", h("input", { name: "to", type: "date" })),
    field("Charge point", h("input", { name: "chargePointId" }), "Filtered in the page"),
    h("button", { type: "submit" }, "Show"),
    permit(h("button", { type: "button", class: "quiet", onclick: () => exportAll("csv") }, "Export CSV"), EXPORT),
    permit(h("button", { type: "button", class: "quiet", onclick: () => exportAll("json") }, "Export JSON"), EXPORT));
  const status = h("div", { "aria-live": "polite" });
  const rows = h("div");
  const more = h("div");
  const detail = h("div");
  let items = [];
  replace(root, h("p", { class: "crumbs" }, h("a", { href: "#/tariffs" }, "Tariffs"), " / CDRs"),
    h("h1", {}, "Charge detail records"),
    h("p", { class: "muted" }, "Ended sessions as OCPI 2.2.1 CDRs, newest first, with their cost."),
    form, status, rows, more, detail);

  function range() {
    const data = new FormData(form);
    const day = (name, end) => (data.get(name) ? `${data.get(name)}T${end}Z` : undefined);
    return { from: day("from", "00:00:00"), to: day("to", "23:59:59") };
  }

  function mine(cdr) {
    const wanted = new FormData(form).get("chargePointId").trim();
    return !wanted || cdr.cdr_location?.id === wanted;
  }

  function draw() {
    const shown = items.filter(mine);
    replace(rows, table("CDRs", [
      ["CDR", (c) => h("button", { type: "button", class: "link", onclick: () => replace(detail, h("h2", {}, `CDR ${c.id}`), json(c, `CDR ${c.id}`)) }, c.id)],
      ["Charge point", (c) => c.cdr_location?.id], ["Token", (c) => c.cdr_token?.uid || "–"],
      ["Started", (c) => when(c.start_date_time)], ["Ended", (c) => when(c.end_date_time)],
      ["Energy", (c) => `${Number(c.total_energy).toFixed(2)} kWh`],
      ["Cost", (c) => (c.currency ? `${c.total_cost?.incl_vat ?? c.total_cost?.excl_vat} ${c.currency}` : "not priced")],
    ], shown, "No CDR matches."));
  }

  async function load(token) {
    try {
      const page = await get(`/cdrs${query({ ...range(), limit: 50, nextToken: token })}`);
      items = token ? items.concat(page.items) : page.items;
      draw();
      replace(more, page.nextToken ? h("button", { type: "button", class: "quiet", onclick: () => load(page.nextToken) }, "More") : null);
      replace(status);
    } catch (error) {
      replace(status, message("error", error.message));
    }
  }

  async function exportAll(kind) {
    replace(status, message("info", "Reading every matching CDR…"));
    try {
      const all = (await every("/cdrs", range(), 100)).filter(mine);
      const day = new Date().toISOString().slice(0, 10);
      if (kind === "csv") download(`cdrs-${day}.csv`, cdrsCsv(all));
      else download(`cdrs-${day}.json`, JSON.stringify(all, null, 2), "application/json");
      replace(status, message("ok", `${all.length} CDRs exported.`));
    } catch (error) {
      replace(status, message("error", error.message));
    }
  }

  form.addEventListener("submit", (event) => { event.preventDefault(); load(); });
  load();
}
