// The account: who the driver is, the cards linked to it, linking a card (proved by presenting
// it at a station) and unlinking one. While a link waits for its card, the page looks again
// every few seconds, so a card shows as linked soon after it is presented.

import { api } from "./api.js";
import { badge, clock, field, h, message, replace, when } from "./dom.js";

const REFRESH_MS = 5000;
const card = (idToken) => `/driver/id-tokens/${encodeURIComponent(idToken)}`;

export function accountPage(root) {
  const facts = h("div");
  const cards = h("div");
  const pending = h("div");
  const status = h("div", { "aria-live": "polite" });
  const input = h("input", {
    name: "idToken", required: true, maxlength: "255", autocomplete: "off", autocapitalize: "characters", spellcheck: "false",
  });
  const form = h("form", { class: "card", onsubmit: link },
    h("h2", {}, "Link a card"),
    h("p", {}, "Enter the number printed on your charging card (or your contract id), then present the card at any of the network's stations within 10 minutes. Presenting it proves the card is yours; it is linked at that moment."),
    field("Card number", input, "As printed on the card, for example 04A2B3C4D5E6F7."),
    h("button", { type: "submit" }, "Link card"));
  replace(root, h("h1", {}, "Account"), facts, h("h2", {}, "Your cards"), status, cards, pending, form);

  let timer;
  let left = false;

  async function load() {
    clearTimeout(timer);
    try {
      const account = await api("GET", "/driver/account");
      show(account);
      if (account.pendingLinks.length && !left) timer = setTimeout(load, REFRESH_MS);
    } catch (error) {
      replace(cards, message("error", error.message));
    }
  }

  function show(account) {
    replace(facts, h("dl", { class: "facts" },
      h("div", {}, h("dt", {}, "Name"), h("dd", {}, account.name || "–")),
      h("div", {}, h("dt", {}, "Email"), h("dd", {}, account.email || "–"))));
    replace(cards, account.idTokens.length
      ? h("ul", { class: "items", "aria-label": "Linked cards" }, account.idTokens.map((t) => h("li", { class: "item" },
        h("div", { class: "line" }, h("code", { class: "token" }, t.idToken), badge(t.status)),
        t.status !== "Accepted" ? h("p", { class: "muted" }, `This card is ${t.status.toLowerCase()}: stations will not start a session with it. Ask the operator why.`) : null,
        h("p", { class: "muted" }, `Linked ${when(t.linkedAt)}`),
        unlinkControl(t.idToken))))
      : h("p", { class: "empty" }, "No card is linked yet: link one below, and its sessions show here from then on."));
    replace(pending, account.pendingLinks.length
      ? h("div", {}, h("h2", {}, "Waiting for the card"),
        h("ul", { class: "items", "aria-label": "Cards waiting to be presented" }, account.pendingLinks.map((p) => h("li", { class: "item" },
          h("div", { class: "line" }, h("code", { class: "token" }, p.idToken), badge("Waiting")),
          h("p", {}, `Present it at any station before ${clock(p.expiresAt)}.`)))))
      : null);
  }

  // Unlinking asks once more in place (no pop-up), since a card's sessions stop showing.
  function unlinkControl(idToken) {
    const box = h("div", { class: "actions" });
    const ask = () => replace(box,
      h("span", {}, "Unlink this card? Its sessions stop showing here."),
      h("button", { type: "button", onclick: () => unlink(idToken) }, "Yes, unlink"),
      h("button", { type: "button", class: "quiet", onclick: rest }, "Keep it"));
    const rest = () => replace(box,
      h("button", { type: "button", class: "quiet", "aria-label": `Unlink ${idToken}`, onclick: ask }, "Unlink"));
    rest();
    return box;
  }

  async function unlink(idToken) {
    try {
      await api("DELETE", card(idToken));
      replace(status, message("ok", `Card ${idToken} is unlinked.`));
    } catch (error) {
      replace(status, message("error", error.message));
    }
    load();
  }

  async function link(event) {
    event.preventDefault();
    const idToken = input.value.trim();
    if (!idToken) return;
    try {
      const pendingLink = await api("POST", "/driver/id-tokens", { idToken });
      replace(status, message("ok", `Now present card ${idToken} at any station before ${clock(pendingLink.expiresAt)} to finish linking it.`));
      input.value = "";
    } catch (error) {
      const words = {
        404: `No card ${idToken} is known to this network. Check the number printed on it.`,
        409: `Card ${idToken} cannot be linked to this account.`,
      }[error.status];
      replace(status, message("error", words ? `${words} (${error.message})` : error.message));
    }
    load();
  }

  load();
  return () => { left = true; clearTimeout(timer); };
}
