// The drivers' pages: sign-in (a driver's key locally, the drivers' user pool in the cloud),
// then the sessions and the account, chosen by the URL's hash.

import { api, setBase } from "./api.js";
import { HOME, beginCognito, currentToken, finishCognito, forget, keep, loadConfig, signOut } from "./auth.js";
import { accountPage } from "./account.js";
import { field, h, message, replace } from "./dom.js";
import { sessionsPage } from "./sessions.js";

const main = document.getElementById("main");
const nav = document.getElementById("nav");
const signOutButton = document.getElementById("sign-out");
const PAGES = { "#/sessions": sessionsPage, "#/account": accountPage };
let config = { auth: "token" };
let leave = () => {};

function route() {
  leave();
  leave = () => {};
  const hash = location.hash || HOME;
  for (const link of nav.querySelectorAll("a")) {
    if (link.getAttribute("href") === hash) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  const page = PAGES[hash];
  if (!page) {
    replace(main, h("h1", {}, "Not found"), h("p", {}, h("a", { href: HOME }, "Back to your sessions")));
    return;
  }
  replace(main);
  const cleanup = page(main);
  leave = typeof cleanup === "function" ? cleanup : () => {};
}

function signInWithKey(problem) {
  const input = h("input", {
    type: "password", name: "key", autocomplete: "current-password", required: true, spellcheck: "false",
  });
  const form = h("form", { class: "card narrow", onsubmit: async (event) => {
    event.preventDefault();
    keep(input.value.trim());
    try {
      await api("GET", "/driver/account");
      start();
    } catch (error) {
      forget();
      const words = {
        401: "That key is not valid: it may have been replaced by a newer one. Ask your operator for a new key.",
        403: "That key is not a driver's key. Use the key your operator gave you for your account.",
      }[error.status];
      signInWithKey(words || error.message);
    }
  } },
  h("h1", {}, "Sign in"),
  h("p", {}, "Enter the key your operator gave you for your driver account (it starts with csk_). It is kept in this tab only."),
  problem ? message("error", problem) : null,
  field("Driver key", input),
  h("button", { type: "submit" }, "Sign in"));
  replace(main, form);
  input.focus();
}

function signedOut() {
  nav.hidden = true;
  signOutButton.hidden = true;
}

function start() {
  nav.hidden = false;
  signOutButton.hidden = false;
  if (!PAGES[location.hash]) location.hash = HOME;  // routes on the hash's change
  else route();
}

async function boot() {
  try {
    config = await loadConfig();
  } catch (error) {
    replace(main, message("error", `The pages' configuration did not load: ${error.message}`));
    return;
  }
  setBase(config.apiUrl);
  signOutButton.addEventListener("click", () => signOut(config));
  window.addEventListener("hashchange", () => currentToken() && route());
  window.addEventListener("driver:unauthorized", () => {
    forget();
    leave();
    leave = () => {};
    signedOut();
    if (config.auth === "cognito") beginCognito(config);
    else signInWithKey("You were signed out; sign in again.");
  });
  if (config.auth === "cognito") {
    try {
      await finishCognito(config);
    } catch (error) {
      replace(main, message("error", error.message), h("button", { type: "button", onclick: () => beginCognito(config) }, "Sign in"));
      return;
    }
    if (!currentToken()) {
      replace(main, h("div", { class: "card narrow" }, h("h1", {}, "Sign in"),
        h("p", {}, "See your charging sessions, their cost and receipts, and link your charging cards."),
        h("button", { type: "button", onclick: () => beginCognito(config) }, "Sign in")));
      return;
    }
    start();
    return;
  }
  if (currentToken()) start();
  else signInWithKey();
}

boot();
