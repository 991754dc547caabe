// A station's administration, panel by panel: charging profiles, reservations, its local list,
// its registration and its certificates, each a tab of the charge point page.

import { message, replace } from "../dom.js";
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
