// A station's administration, panel by panel: charging profiles, reservations, its local list,
// its registration and its certificates. Each panel mounts into any element (the charge point
// page's tabs can take them), and #/charge-points/{id}/manage/{panel} shows them on a page of
// their own, with tabs between them.

import { get } from "../api.js";
import { badge, h, message, replace } from "../dom.js";
import { certificatesPanel } from "./certificates.js";
import { localListPanel } from "./locallists.js";
import { profilesPanel } from "./profiles.js";
import { registrationPanel } from "./registration.js";
import { reservationsPanel } from "./reservations.js";

export const PANELS = [
  ["profiles", "Charging profiles", profilesPanel],
  ["reservations", "Reservations", reservationsPanel],
  ["local-list", "Local list", localListPanel],
  ["registration", "Registration", registrationPanel],
  ["certificates", "Certificates", certificatesPanel],
];

// Mounts one panel of the station `id` into `body`; answers the function that stops its polling.
export function stationPanel(body, id, panel) {
  const found = PANELS.find(([key]) => key === panel);
  if (!found) {
    replace(body, message("error", `No panel ${panel}.`));
    return () => {};
  }
  const stop = found[2](body, id);
  return typeof stop === "function" ? stop : () => {};
}

export function stationPage(root, id, panel = "profiles") {
  const status = h("span");
  const body = h("div", { id: "station-panel", role: "tabpanel", tabindex: "0", "aria-labelledby": `station-tab-${panel}` });
  const tabs = h("div", { class: "tabs", role: "tablist", "aria-label": "Station administration" },
    PANELS.map(([key, text]) => h("a", {
      role: "tab", id: `station-tab-${key}`, href: `#/charge-points/${encodeURIComponent(id)}/manage/${key}`,
      "aria-selected": String(key === panel), "aria-controls": "station-panel", tabindex: key === panel ? "0" : "-1",
    }, text)));
  tabs.addEventListener("keydown", (event) => {
    const links = [...tabs.querySelectorAll("a")];
    const at = links.indexOf(document.activeElement);
    const next = event.key === "ArrowRight" ? at + 1 : event.key === "ArrowLeft" ? at - 1 : null;
    if (next === null || at < 0) return;
    event.preventDefault();
    links[(next + links.length) % links.length].focus();
  });
  replace(root, h("p", { class: "crumbs" }, h("a", { href: "#/fleet" }, "Fleet"), " / ",
    h("a", { href: `#/charge-points/${encodeURIComponent(id)}` }, id), " / administration"),
  h("h1", {}, id, " ", status), tabs, body);
  get(`/charge-points/${encodeURIComponent(id)}`)
    .then((cp) => replace(status, badge(cp.online ? "online" : "offline"), " ", h("span", { class: "muted" }, `OCPP ${cp.ocppVersion || "?"}`)))
    .catch(() => {});
  return stationPanel(body, id, panel);
}
