// Drivers' accounts: look one up by email, make one (its key shown once), and on a driver's
// page its cards with their status, block or unblock a card, link or unlink one, a new key, and
// removing the account (after asking).

import { needs, permit } from "../access.js";
import { api, get, query } from "../api.js";
import { ask, badge, field, h, message, replace, secret, table, when } from "../dom.js";

const MAKE = needs("POST /drivers");
const REMOVE = needs("DELETE /drivers/<driver_id>");
const RENEW = needs("POST /drivers/<driver_id>/keys");
const LINK = needs("PUT /drivers/<driver_id>/id-tokens/<id_token>");
const UNLINK = needs("DELETE /drivers/<driver_id>/id-tokens/<id_token>");
const BLOCK = needs("PUT /id-tokens/<id_token>");

const path = (id) => `/drivers/${encodeURIComponent(id)}`;
const link = (d) => h("a", { href: `#/drivers/${encodeURIComponent(d.driverId)}` }, d.name);

export function driversPage(root) {
  const lookup = h("form", { class: "filters", role: "search" },
    field("Email", h("input", { name: "email", type: "email", required: true, maxlength: "320", autocomplete: "off" })),
    h("button", { type: "submit" }, "Look up"));
  const found = h("div", { "aria-live": "polite" });
  const make = h("form", { class: "card" },
    h("h2", {}, "Make a driver's account"),
    field("Name", h("input", { name: "name", required: true, maxlength: "200" })),
    field("Email", h("input", { name: "email", type: "email", required: true, maxlength: "320" })),
    h("button", { type: "submit" }, "Make the account"));
  const made = h("div");
  const status = h("div", { "aria-live": "polite" });
  const list = h("div");
  replace(root, h("h1", {}, "Drivers"), h("h2", {}, "Look a driver up"), lookup, found,
    permit(make, MAKE), status, made, h("h2", {}, "The tenant's drivers"), list);

  const columns = [["Name", link], ["Email", (d) => d.email], ["Tenant", (d) => d.tenantId ?? "default"],
    ["Since", (d) => when(d.createdAt)]];

  lookup.addEventListener("submit", async (event) => {
    event.preventDefault();
    const email = new FormData(lookup).get("email").trim();
    try {
      const page = await get(`/drivers${query({ email })}`);
      replace(found, page.items.length ? table("Found", columns, page.items)
        : message("info", `No driver has the address ${email}.`));
    } catch (error) {
      replace(found, message("error", error.message));
    }
  });

  make.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(make);
    try {
      const driver = await api("POST", "/drivers", { name: data.get("name").trim(), email: data.get("email").trim() });
      replace(status, message("ok", `${driver.name}'s account made.`));
      replace(made, h("p", {}, "Give the driver this key to sign in to the driver pages: ", link(driver)),
        secret("driver's key", driver.key));
      make.reset();
      load();
    } catch (error) {
      replace(status, message("error", error.message));
    }
  });

  async function load() {
    try {
      const page = await get(`/drivers${query({ limit: 50 })}`);
      replace(list, table("Drivers", columns, page.items, "No driver yet."),
        page.nextToken ? h("p", { class: "muted" }, "The first 50; look a driver up by email for the others.") : null);
    } catch (error) {
      replace(list, message("error", error.message));
    }
  }
  load();
}

export function driverPage(root, driverId) {
  const status = h("div", { "aria-live": "polite" });
  const facts = h("div");
  const cards = h("div");
  const shown = h("div");
  const linkForm = h("form", { class: "filters" },
    field("Card's id token", h("input", { name: "idToken", required: true, maxlength: "255" })),
    h("button", { type: "submit" }, "Link the card"));
  const renew = h("button", { type: "button", class: "quiet", onclick: () => newKey() }, "New key");
  const remove = h("button", { type: "button", class: "danger", onclick: () => removeDriver() }, "Remove the driver");
  let driver = null;
  replace(root, h("p", { class: "crumbs" }, h("a", { href: "#/drivers" }, "Drivers")),
    h("h1", {}, "Driver"), status, facts, h("h2", {}, "Cards"), cards, permit(linkForm, LINK), shown,
    h("h2", {}, "The account"), h("div", { class: "actions" }, permit(renew, RENEW), permit(remove, REMOVE)));

  async function done(work, said) {
    try {
      await work();
      replace(status, message("ok", said));
      return true;
    } catch (error) {
      replace(status, message("error", error.message));
      return false;
    }
  }

  // A card's status through the authorization list, keeping the entry's other fields.
  async function setStatus(card, wanted) {
    const tokenPath = `/id-tokens/${encodeURIComponent(card.idToken)}`;
    await done(async () => {
      const entry = await get(tokenPath);
      await api("PUT", tokenPath, {
        status: wanted, type: entry.type || undefined, expiryDate: entry.expiryDate || undefined,
        parentIdToken: entry.parentIdToken || undefined,
      });
    }, `${card.idToken} ${wanted === "Blocked" ? "blocked" : "unblocked"}.`);
    load();
  }

  async function unlink(card) {
    if (!await ask(`Unlink the card ${card.idToken}?`, "It stays on the authorization list; the driver no longer sees its sessions.", "Unlink")) return;
    await done(() => api("DELETE", `${path(driverId)}/id-tokens/${encodeURIComponent(card.idToken)}`), `${card.idToken} unlinked.`);
    load();
  }

  async function newKey() {
    if (!await ask("Give the driver a new key?", "The key the driver has now stops working.", "New key")) return;
    try {
      const answer = await api("POST", `${path(driverId)}/keys`);
      replace(shown, secret("driver's key", answer.key));
      replace(status, message("ok", "A new key made; the old one no longer works."));
    } catch (error) {
      replace(status, message("error", error.message));
    }
  }

  async function removeDriver() {
    const name = driver ? driver.name : driverId;
    if (!await ask(`Remove ${name}'s account?`, "Its cards stay on the authorization list, unlinked; its key stops working.", "Remove")) return;
    if (await done(() => api("DELETE", path(driverId)), `${name}'s account removed.`)) location.hash = "#/drivers";
  }

  linkForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const idToken = new FormData(linkForm).get("idToken").trim();
    if (await done(() => api("PUT", `${path(driverId)}/id-tokens/${encodeURIComponent(idToken)}`), `${idToken} linked.`)) linkForm.reset();
    load();
  });

  async function load() {
    try {
      driver = await get(path(driverId));
      root.querySelector("h1").textContent = driver.name;
      replace(facts, h("dl", { class: "facts" },
        h("div", {}, h("dt", {}, "Email"), h("dd", {}, driver.email)),
        h("div", {}, h("dt", {}, "Tenant"), h("dd", {}, driver.tenantId ?? "default")),
        h("div", {}, h("dt", {}, "Since"), h("dd", {}, when(driver.createdAt))),
        h("div", {}, h("dt", {}, "Account id"), h("dd", {}, h("code", {}, driver.driverId)))),
      driver.pendingLinks.map((p) => message("info", `Waiting for the card ${p.idToken} at a station until ${when(p.expiresAt)}.`)));
      replace(cards, table("Cards", [
        ["Id token", (c) => h("code", {}, c.idToken)], ["Status", (c) => badge(c.status)], ["Linked", (c) => when(c.linkedAt)],
        ["", (c) => h("div", { class: "actions" },
          permit(c.status === "Blocked"
            ? h("button", { type: "button", class: "quiet", "aria-label": `Unblock ${c.idToken}`, onclick: () => setStatus(c, "Accepted") }, "Unblock")
            : h("button", { type: "button", class: "quiet", "aria-label": `Block ${c.idToken}`, onclick: () => setStatus(c, "Blocked") }, "Block"),
          BLOCK),
          permit(h("button", { type: "button", class: "quiet", "aria-label": `Unlink ${c.idToken}`, onclick: () => unlink(c) }, "Unlink"), UNLINK))],
      ], driver.idTokens, "No card linked."));
    } catch (error) {
      replace(status, message("error", error.message));
    }
  }
  load();
}
