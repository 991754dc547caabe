// Tenants (the platform admin's alone): the installation's customers, and adding one.

import { needs, permit } from "../access.js";
import { api, every } from "../api.js";
import { field, h, message, replace, table, when } from "../dom.js";

const ADD = needs("POST /tenants");

export function tenantsPage(root) {
  const form = h("form", { class: "card" },
    h("h2", {}, "Add a tenant"),
    field("Tenant id", h("input", { name: "tenantId", required: true, maxlength: "32", pattern: "[a-z0-9](?:[a-z0-9\\-]{0,30}[a-z0-9])?",
      placeholder: "acme" }), "1 to 32 lower-case letters, digits and dashes; it cannot be changed."),
    field("Name", h("input", { name: "name", required: true, maxlength: "200", placeholder: "Acme Estates" })),
    h("button", { type: "submit" }, "Add"));
  const status = h("div", { "aria-live": "polite" });
  const list = h("div");
  replace(root, h("h1", {}, "Tenants"),
    h("p", { class: "muted" }, "Each tenant sees and changes only its own charge points, sessions, tokens, keys and audit."),
    permit(form, ADD), status, h("h2", {}, "Tenants"), list);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    try {
      const added = await api("POST", "/tenants", { tenantId: data.get("tenantId").trim(), name: data.get("name").trim() });
      replace(status, message("ok", `Tenant ${added.tenantId} added.`));
      form.reset();
      load();
    } catch (error) {
      replace(status, message("error", error.message));
    }
  });

  async function load() {
    try {
      const tenants = await every("/tenants", {}, 100);
      replace(list, table("Tenants", [
        ["Id", (t) => h("code", {}, t.tenantId)], ["Name", (t) => t.name],
        ["Added", (t) => (t.createdAt ? when(t.createdAt) : "always there")],
      ], tenants));
    } catch (error) {
      replace(list, message("error", error.message));
    }
  }
  load();
}
