// The authorization list: who may charge. Add a token, block it, expire it, delete it (after
// asking); the whole list out as a CSV and a CSV in (each row saved, with a count as it goes).

import { needs, permit } from "../access.js";
import { api, every } from "../api.js";
import { ask, badge, download, field, h, message, replace, select, table, when } from "../dom.js";
import { csvCell } from "./sessions.js";

const STATUSES = ["Accepted", "Blocked", "Expired", "Invalid"];
const SAVE = needs("PUT /id-tokens/<id_token>");
const DELETE = needs("DELETE /id-tokens/<id_token>");
const EXPORT = needs("GET /id-tokens");
const COLUMNS = ["idToken", "status", "type", "expiryDate", "parentIdToken"];

export function tokensCsv(tokens) {
  const rows = tokens.map((t) => COLUMNS.map((name) => csvCell(t[name])).join(","));
  return [COLUMNS.join(","), ...rows].join("\n") + "\n";
}

// RFC 4180 rows (quoted cells may hold commas, quotes and line breaks); a cell the export led
// with a quote to keep it from a spreadsheet's formulas gets its own text back.
export function parseCsv(text) {
  const rows = [];
  let row = [], cell = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") { row.push(cell); cell = ""; }
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(cell); rows.push(row); row = []; cell = "";
    } else cell += c;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  const unguard = (value) => (/^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value);
  return rows.filter((r) => r.some((value) => value.trim())).map((r) => r.map((value) => unguard(value.trim())));
}

// The CSV's rows as id tokens: a header naming at least idToken and status, in any order.
export function tokensFromCsv(text) {
  const [header, ...rows] = parseCsv(text);
  if (!header || !header.includes("idToken") || !header.includes("status")) {
    throw new Error("The CSV's first row must name its columns, idToken and status among them.");
  }
  return rows.map((cells, index) => {
    const entry = Object.fromEntries(header.map((name, i) => [name, cells[i] || undefined]));
    if (!entry.idToken) throw new Error(`Row ${index + 2} has no idToken.`);
    if (!STATUSES.includes(entry.status)) throw new Error(`Row ${index + 2}: status ${entry.status ?? "(none)"} is not one of ${STATUSES.join(", ")}.`);
    return entry;
  });
}

export function tokensPage(root) {
  const list = h("div");
  const status = h("div", { "aria-live": "polite" });
  const form = h("form", { class: "card" },
    h("h2", {}, "Add or replace a token"),
    field("Id token", h("input", { name: "idToken", required: true, maxlength: "255" })),
    field("Status", select("status", STATUSES.map((s) => [s, s]), "Accepted")),
    field("Type (2.x)", h("input", { name: "type", maxlength: "20", placeholder: "ISO14443" })),
    field("Expires", h("input", { name: "expiryDate", type: "datetime-local" })),
    field("Group token", h("input", { name: "parentIdToken", maxlength: "255" })),
    h("button", { type: "submit" }, "Save"));
  const file = h("input", { name: "csv", type: "file", accept: ".csv,text/csv", required: true });
  const progress = h("div", { "aria-live": "polite" });
  const importing = h("form", { class: "card" }, h("h2", {}, "Import a CSV"),
    field("CSV file", file, `Columns: ${COLUMNS.join(", ")} (as the export writes them); a token listed already is replaced`),
    h("button", { type: "submit" }, "Import"), progress);
  const exporting = permit(h("button", { type: "button", class: "quiet", onclick: () => exportCsv() }, "Export CSV"), EXPORT);
  // The import is hidden from who may not save a token: the form beside it says why.
  replace(root, h("h1", {}, "Id tokens"), h("div", { class: "grid" }, permit(form, SAVE), permit(importing, SAVE, "hide")),
    h("div", { class: "actions" }, exporting), status, list);

  async function exportCsv() {
    try {
      const tokens = await every("/id-tokens", {}, 100);
      download(`id-tokens-${new Date().toISOString().slice(0, 10)}.csv`, tokensCsv(tokens));
      replace(status, message("ok", `${tokens.length} id tokens exported.`));
    } catch (error) {
      replace(status, message("error", error.message));
    }
  }

  importing.addEventListener("submit", async (event) => {
    event.preventDefault();
    let entries;
    try {
      entries = tokensFromCsv(await file.files[0].text());
    } catch (error) {
      replace(progress, message("error", error.message));
      return;
    }
    const bar = h("progress", { max: String(entries.length), value: "0", "aria-label": "Import progress" });
    const said = h("span", { role: "status" });
    const failures = [];
    replace(progress, h("div", { class: "progress-line" }, bar, said));
    for (const [index, { idToken, ...fields }] of entries.entries()) {
      const body = Object.fromEntries(Object.entries(fields).filter(([name, value]) => COLUMNS.includes(name) && value !== undefined));
      try {
        await api("PUT", `/id-tokens/${encodeURIComponent(idToken)}`, body);
      } catch (error) {
        failures.push(`${idToken}: ${error.message}`);
      }
      bar.value = index + 1;
      said.textContent = `${index + 1} of ${entries.length} saved`;
    }
    said.textContent = `${entries.length - failures.length} of ${entries.length} imported.`;
    if (failures.length) progress.append(message("error", `Refused: ${failures.join("; ")}`));
    importing.reset();
    load();
  });

  async function remove(entry) {
    if (!await ask(`Delete ${entry.idToken}?`, "It is Invalid from then on, on stations when their list is next sent.", "Delete")) return;
    try {
      await api("DELETE", `/id-tokens/${encodeURIComponent(entry.idToken)}`);
      replace(status, message("ok", `${entry.idToken} deleted.`));
      load();
    } catch (error) {
      replace(status, message("error", error.message));
    }
  }

  async function put(entry, changes, said) {
    const body = {
      status: entry.status, type: entry.type || undefined, expiryDate: entry.expiryDate || undefined,
      parentIdToken: entry.parentIdToken || undefined, ...changes,
    };
    try {
      await api("PUT", `/id-tokens/${encodeURIComponent(entry.idToken)}`, body);
      replace(status, message("ok", said));
      load();
    } catch (error) {
      replace(status, message("error", error.message));
    }
  }

  async function load() {
    try {
      const tokens = await every("/id-tokens", {}, 100);
      replace(list, table("Id tokens", [
        ["Id token", (t) => h("code", {}, t.idToken)], ["Status", (t) => badge(t.status)], ["Type", (t) => t.type || "any"],
        ["Expires", (t) => when(t.expiryDate)], ["Group", (t) => t.parentIdToken || "–"],
        ["", (t) => permit(h("div", { class: "actions" },
          h("button", { type: "button", class: "quiet", disabled: t.status === "Blocked", "aria-label": `Block ${t.idToken}`,
            onclick: () => put(t, { status: "Blocked" }, `${t.idToken} blocked.`) }, "Block"),
          h("button", { type: "button", class: "quiet", disabled: t.status === "Expired", "aria-label": `Expire ${t.idToken}`,
            onclick: () => put(t, { status: "Expired", expiryDate: new Date().toISOString() }, `${t.idToken} expired.`) }, "Expire"),
          permit(h("button", { type: "button", class: "quiet", "aria-label": `Delete ${t.idToken}`, onclick: () => remove(t) }, "Delete"), DELETE, "hide")),
        SAVE, "hide")], // the form above says why
      ], tokens, "The list is empty: every token is Invalid."));
    } catch (error) {
      replace(list, message("error", error.message));
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const expires = data.get("expiryDate");
    put({ idToken: data.get("idToken").trim(), status: data.get("status") }, {
      type: data.get("type").trim() || undefined,
      expiryDate: expires ? new Date(expires).toISOString() : undefined,
      parentIdToken: data.get("parentIdToken").trim() || undefined,
    }, `${data.get("idToken")} saved.`);
  });
  load();
}
