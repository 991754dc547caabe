// The console's shell: sign-in, who is signed in (read once, GET /me), navigation between pages
// (by the URL's hash), and each page's clean-up (its polling stops when another page opens).

import { forgetMe, may, needs, signedIn, whoAmI } from "./access.js";
import { poll, setBase } from "./api.js";
import { beginCognito, currentToken, finishCognito, forget, keep, loadConfig, signOut } from "./auth.js";
import { field, h, message, replace } from "./dom.js";
import { alertsPage, criticalEvents } from "./views/alerts.js";
import { analyticsPage } from "./views/analytics.js";
import { auditPage } from "./views/audit.js";
import { chargePointPage } from "./views/chargepoint.js";
import { driverPage, driversPage } from "./views/drivers.js";
import { firmwarePage } from "./views/firmware.js";
import { fleetPage } from "./views/fleet.js";
import { keysPage } from "./views/keys.js";
import { sessionPage, sessionsPage } from "./views/sessions.js";
import { tenantsPage } from "./views/tenants.js";
import { tokensPage } from "./views/tokens.js";
import { sitePage, sitesPage } from "./views/sites.js";
import { cdrsPage, tariffsPage } from "./views/tariffs.js";

const main = document.getElementById("main");
const nav = document.getElementById("nav");
const signOutButton = document.getElementById("sign-out");
const who = document.getElementById("who");
const alerts = document.getElementById("alerts");
let config = { auth: "token" };
let leave = () => {};
let stopAlerts = () => {};
// What the header counts: faulted connectors of online stations (as the fleet or the alerts page
// last read them) and critical security events of the last 24 hours (read here, every refresh).
const counted = { faults: 0, critical: 0 };

const ROUTES = [
  [/^#\/fleet(?:\?.*)?$/, () => fleetPage],
  [/^#\/charge-points\/([^/?]+)(?:\/([a-z-]+))?$/, (m) => (root) => chargePointPage(root, decodeURIComponent(m[1]), m[2])],
  [/^#\/sessions(?:\?.*)?$/, () => sessionsPage],
  [/^#\/sessions\/([^/?]+)\/([^/?]+)$/, (m) => (root) => sessionPage(root, decodeURIComponent(m[1]), decodeURIComponent(m[2]))],
  [/^#\/id-tokens$/, () => tokensPage],
  [/^#\/analytics$/, () => analyticsPage],
  [/^#\/firmware$/, () => firmwarePage],
  [/^#\/api-keys$/, () => keysPage],
  [/^#\/audit$/, () => auditPage],
  [/^#\/tenants$/, () => tenantsPage],
  [/^#\/drivers$/, () => driversPage],
  [/^#\/drivers\/([^/?]+)$/, (m) => (root) => driverPage(root, decodeURIComponent(m[1]))],
  [/^#\/sites$/, () => sitesPage],
  [/^#\/sites\/([^/?]+)$/, (m) => (root) => sitePage(root, decodeURIComponent(m[1]))],
  [/^#\/tariffs$/, () => tariffsPage],
  [/^#\/cdrs$/, () => cdrsPage],
  [/^#\/alerts$/, () => alertsPage],
];

function route() {
  leave();
  leave = () => {};
  const hash = location.hash || "#/fleet";
  for (const link of nav.querySelectorAll("a")) {
    const href = link.getAttribute("href");
    const here = hash === href || hash.startsWith(`${href}/`) || hash.startsWith(`${href}?`)
      || (href === "#/fleet" && hash.startsWith("#/charge-points/"));
    if (here) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  for (const [pattern, page] of ROUTES) {
    const match = hash.match(pattern);
    if (match) {
      replace(main);
      const cleanup = page(match)(main);
      leave = typeof cleanup === "function" ? cleanup : () => {};
      return;
    }
  }
  replace(main, h("h1", {}, "Not found"), h("p", {}, h("a", { href: "#/fleet" }, "Back to the fleet")));
}

function signInWithToken(problem) {
  const input = h("input", { type: "password", name: "token", autocomplete: "current-password", required: true });
  const form = h("form", { class: "card narrow", onsubmit: async (event) => {
    event.preventDefault();
    keep(input.value.trim());
    try {
      await signedIn();
      start();
    } catch (error) {
      forget();
      signInWithToken(error.status === 401 ? "That token is not the API's." : error.message);
    }
  } },
  h("h1", {}, "Sign in"),
  h("p", {}, "Enter the operator API token the local runtime printed at start-up (CSMS_API_TOKEN). It is kept in this tab only."),
  problem ? message("error", problem) : null,
  field("API token", input),
  h("button", { type: "submit" }, "Sign in"));
  replace(main, form);
  input.focus();
}

// The caller in the header: who, its role and its tenant (none: the platform, every tenant).
function showWho(me) {
  replace(who,
    h("span", {}, "Signed in as ", h("strong", { class: "principal" }, me.principal)),
    h("span", {}, "Role ", h("strong", {}, me.role)),
    h("span", {}, "Tenant ", h("strong", {}, me.tenantId ?? "every tenant (platform)")));
  who.hidden = false;
}

// The header's alert count: faulted connectors and critical security events, linked to the page
// that lists them.
function showAlerts(detail) {
  Object.assign(counted, detail);
  const { faults, critical } = counted;
  const total = faults + critical;
  alerts.hidden = !whoAmI();
  alerts.textContent = `${total} ${total === 1 ? "alert" : "alerts"}`;
  alerts.classList.toggle("on", total > 0);
  alerts.title = `${faults} faulted ${faults === 1 ? "connector" : "connectors"} on online stations, `
    + `${critical} critical security ${critical === 1 ? "event" : "events"} in the last 24 hours`;
}

function watchSecurityEvents() {
  stopAlerts();
  stopAlerts = poll(async () => {
    try {
      const from = new Date(Date.now() - 24 * 3600 * 1000).toISOString();
      showAlerts({ critical: (await criticalEvents(from, 1)).length });
    } catch {
      // The count stays as it was; the alerts page says why it did not load.
    }
  });
}

async function start() {
  if (!whoAmI()) {
    try {
      await signedIn();
    } catch (error) {
      // A 401 signs out (csms:unauthorized); anything else says why no page can open.
      if (error.status !== 401) replace(main, message("error", `Who you are did not load: ${error.message}`));
      return;
    }
  }
  showWho(whoAmI());
  // A page the caller may not read is not offered (the route its page reads names the permission).
  for (const link of nav.querySelectorAll("a[data-route]")) link.hidden = !may(needs(link.dataset.route));
  nav.hidden = false;
  signOutButton.hidden = false;
  watchSecurityEvents();
  if (!location.hash || location.hash === "#/") location.hash = "#/fleet";
  route();
}

async function boot() {
  try {
    config = await loadConfig();
  } catch (error) {
    replace(main, message("error", `The console's configuration did not load: ${error.message}`));
    return;
  }
  setBase(config.apiUrl);
  signOutButton.addEventListener("click", () => signOut(config));
  window.addEventListener("csms:alerts", (event) => showAlerts(event.detail));
  window.addEventListener("hashchange", () => currentToken() && route());
  window.addEventListener("csms:unauthorized", () => {
    forget();
    forgetMe();
    leave();
    leave = () => {};
    stopAlerts();
    nav.hidden = true;
    signOutButton.hidden = true;
    who.hidden = true;
    alerts.hidden = true;
    if (config.auth === "cognito") beginCognito(config);
    else signInWithToken("The session ended; sign in again.");
  });
  if (config.auth === "cognito") {
    try {
      await finishCognito(config);
    } catch (error) {
      replace(main, message("error", error.message), h("button", { onclick: () => beginCognito(config) }, "Sign in"));
      return;
    }
    if (!currentToken()) {
      replace(main, h("div", { class: "card narrow" }, h("h1", {}, "Sign in"),
        h("p", {}, "Operators sign in with the CSMS's user pool."),
        h("button", { type: "button", onclick: () => beginCognito(config) }, "Sign in")));
      return;
    }
    start();
    return;
  }
  if (currentToken()) start();
  else signInWithToken();
}

boot();
