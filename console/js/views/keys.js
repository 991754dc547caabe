// API keys for integrations: make one (its role at most the maker's), see it once, list the
// tenant's keys, revoke one (after asking).

import { ROLES, may, needs, permit, whoAmI } from "../access.js";
import { api, every } from "../api.js";
import { ask, badge, field, h, message, replace, secret, select, table, when } from "../dom.js";

const MAKE = needs("POST /api-keys");
const REVOKE = needs("DELETE /api-keys/<api_key_id>");
const TENANTS = needs("GET /tenants");

// What a key is now: revoked, expired or active.
function standing(key) {
  if (key.revokedAt) return "revoked";
  if (key.expiresAt && new Date(key.expiresAt) <= new Date()) return "expired";
  return "active";
}

export function keysPage(root) {
  const me = whoAmI();
  const mine = ROLES.indexOf(me.role);
  const roles = ROLES.filter((_, i) => i <= mine);
  const tenant = h("select", { name: "tenantId" }, h("option", { value: "" }, "None: the platform (every tenant)"));
  const form = h("form", { class: "card" },
    h("h2", {}, "Make a key"),
    field("Name", h("input", { name: "name", required: true, maxlength: "100", placeholder: "dashboard" })),
    field("Role", select("role", roles.map((r) => [r, r]), "viewer"), "At most your own role."),
    may(TENANTS) ? field("Tenant", tenant, "A platform admin's key may serve one tenant, or all.") : null,
    field("Expires", h("input", { name: "expiresAt", type: "datetime-local" }), "Empty: it does not expire."),
    h("button", { type: "submit" }, "Make the key"));
  const shown = h("div");
  const status = h("div", { "aria-live": "polite" });
  const list = h("div");
  replace(root, h("h1", {}, "API keys"),
    h("p", { class: "muted" }, "Integrations send a key as Authorization: Bearer <key>. A revoked key is refused within 60 s."),
    permit(form, MAKE), shown, status, h("h2", {}, "Keys"), list);

  if (may(TENANTS)) {
    every("/tenants", {}, 100).then((tenants) => tenant.append(
      ...tenants.map((t) => h("option", { value: t.tenantId }, `${t.name} (${t.tenantId})`))))
      .catch((error) => replace(status, message("error", `The tenants did not load: ${error.message}`)));
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const expires = data.get("expiresAt");
    const body = { name: data.get("name").trim(), role: data.get("role") };
    if (expires) body.expiresAt = new Date(expires).toISOString();
    if (data.get("tenantId")) body.tenantId = data.get("tenantId");
    try {
      const made = await api("POST", "/api-keys", body);
      replace(shown, h("h2", {}, `The key ${made.name} (${made.role})`), secret("API key", made.key));
      replace(status, message("ok", `Key ${made.name} made.`));
      form.reset();
      load();
      shown.querySelector("input").focus();
    } catch (error) {
      replace(status, message("error", error.message));
    }
  });

  async function revoke(key) {
    const sure = await ask(`Revoke the key ${key.name}?`,
      "Whatever uses it is refused within 60 s. This cannot be undone.", "Revoke");
    if (!sure) return;
    try {
      await api("DELETE", `/api-keys/${encodeURIComponent(key.apiKeyId)}`);
      replace(status, message("ok", `Key ${key.name} revoked.`));
      load();
    } catch (error) {
      replace(status, message("error", error.message));
    }
  }

  async function load() {
    try {
      const keys = await every("/api-keys", {}, 100);
      replace(list, table("API keys", [
        ["Name", (k) => k.name], ["Id", (k) => h("code", {}, k.apiKeyId)], ["Role", (k) => k.role],
        ["Tenant", (k) => k.tenantId ?? "every tenant"], ["Made", (k) => `${when(k.createdAt)} by ${k.createdBy}`],
        ["Expires", (k) => when(k.expiresAt)], ["State", (k) => badge(standing(k))],
        ["", (k) => standing(k) === "revoked" ? "" : permit(h("button", { type: "button", class: "quiet",
          "aria-label": `Revoke ${k.name}`, onclick: () => revoke(k) }, "Revoke"), REVOKE, "hide")],
      ], keys, "No key yet."));
    } catch (error) {
      replace(list, message("error", error.message));
    }
  }
  load();
}
