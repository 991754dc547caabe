// The audit trail: every change, sign-in and refusal of the caller's tenant, newest first;
// filtered by time, principal and resource, a page at a time, and the filter's range as CSV.

import { every, get, query } from "../api.js";
import { download, field, h, message, replace, table, when } from "../dom.js";
import { csvCell } from "./sessions.js";

const PAGE = 50;
const COLUMNS = ["at", "principal", "kind", "role", "tenantId", "sourceIp", "method", "path", "resource", "status",
  "requestId"];

export function auditCsv(items) {
  return [COLUMNS.join(","), ...items.map((item) => COLUMNS.map((c) => csvCell(item[c])).join(","))].join("\n") + "\n";
}

function params(form) {
  const data = new FormData(form);
  const moment = (name) => (data.get(name) ? new Date(data.get(name)).toISOString() : undefined);
  return {
    from: moment("from"), to: moment("to"),
    principal: data.get("principal").trim() || undefined, resource: data.get("resource").trim() || undefined,
  };
}

export function auditPage(root) {
  const form = h("form", { class: "filters", role: "search" },
    field("From", h("input", { name: "from", type: "datetime-local" })),
    field("To", h("input", { name: "to", type: "datetime-local" })),
    field("Principal", h("input", { name: "principal", maxlength: "128", placeholder: "bootstrap, a key's id" })),
    field("Resource", h("input", { name: "resource", maxlength: "512", placeholder: "an id, e.g. CP-1" })),
    h("button", { type: "submit" }, "Show"));
  const status = h("div", { "aria-live": "polite" });
  const list = h("div");
  const earlier = h("button", { type: "button", class: "quiet", onclick: () => turn(1) }, "Older");
  const later = h("button", { type: "button", class: "quiet", onclick: () => turn(-1) }, "Newer");
  const where = h("span", { class: "muted" });
  const exportButton = h("button", { type: "button", class: "quiet", onclick: () => exportCsv() }, "Export CSV");
  replace(root, h("h1", {}, "Audit"),
    h("p", { class: "muted" }, "Every change, sign-in and refused request of your tenant, newest first (the last 30 days unless you say)."),
    form, h("div", { class: "actions pager" }, later, earlier, where, exportButton), status, list);

  // tokens[i]: the nextToken that opens page i (page 0 needs none).
  let tokens = [undefined];
  let index = 0;
  let wanted = params(form);

  async function show() {
    try {
      const page = await get(`/audit${query({ ...wanted, limit: PAGE, nextToken: tokens[index] })}`);
      tokens = tokens.slice(0, index + 1);
      if (page.nextToken) tokens.push(page.nextToken);
      later.disabled = index === 0;
      earlier.disabled = !page.nextToken;
      where.textContent = `Page ${index + 1}`;
      replace(status);
      replace(list, table("Audit", [
        ["When", (e) => when(e.at)], ["Principal", (e) => h("code", {}, e.principal)], ["Role", (e) => e.role],
        ["Tenant", (e) => e.tenantId ?? "platform"], ["Request", (e) => `${e.method} ${e.path}`],
        ["Resource", (e) => e.resource || "–"], ["Outcome", (e) => h("span", { class: `badge ${e.status < 400 ? "ok" : "bad"}` }, String(e.status))], ["From", (e) => e.sourceIp],
      ], page.items, "Nothing recorded in this range."));
    } catch (error) {
      replace(status, message("error", error.message));
    }
  }

  function turn(step) {
    index = Math.max(0, index + step);
    show();
  }

  async function exportCsv() {
    replace(status, message("info", "Reading the range…"));
    try {
      const items = await every("/audit", wanted, 100, 100);
      download("audit.csv", auditCsv(items));
      replace(status, message("ok", `${items.length} entries exported.`));
    } catch (error) {
      replace(status, message("error", error.message));
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    wanted = params(form);
    tokens = [undefined];
    index = 0;
    show();
  });
  show();
}
