// The authorization list: who may charge. Add a token, block it, expire it.

import { needs, permit } from "../access.js";
import { api, every } from "../api.js";
import { badge, field, h, message, replace, select, table, when } from "../dom.js";

const STATUSES = ["Accepted", "Blocked", "Expired", "Invalid"];
const SAVE = needs("PUT /id-tokens/<id_token>");

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
  replace(root, h("h1", {}, "Id tokens"), permit(form, SAVE), status, list);

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
            onclick: () => put(t, { status: "Expired", expiryDate: new Date().toISOString() }, `${t.idToken} expired.`) }, "Expire")),
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
