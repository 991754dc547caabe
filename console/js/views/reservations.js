// A station's reservations: make one (a connector on 1.6, an EVSE on 2.x, as the station's
// version asks), see each one's state, cancel one after asking.

import { needs, permit } from "../access.js";
import { api, get, poll } from "../api.js";
import { ask, badge, field, h, message, replace, table, when } from "../dom.js";
import { outcome, refusal } from "./commands.js";

const MAKE = needs("POST /charge-points/<charge_point_id>/reservations");
const CANCEL = needs("DELETE /reservations/<reservation_id>");
const OPEN = ["pending", "active"];

// A datetime-local value an hour from now, in the reader's time.
function inAnHour() {
  const later = new Date(Date.now() + 3600 * 1000);
  return new Date(later.getTime() - later.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
}

export function reservationsPanel(body, id) {
  const path = `/charge-points/${encodeURIComponent(id)}`;
  const status = h("div", { "aria-live": "polite" });
  const rows = h("div");
  const form = h("form", { class: "card" }, h("h2", {}, "Reserve"), h("p", {}, "Loading…"));
  replace(body, permit(form, MAKE), status, h("h2", {}, "Reservations"), rows);

  get(path).then((cp) => {
    const evse = cp.ocppVersion && !["1.5", "1.6"].includes(cp.ocppVersion);
    const where = evse ? "evseId" : "connectorId";
    replace(form, h("h2", {}, "Reserve"),
      field("Id token", h("input", { name: "idToken", required: true, maxlength: "36" })),
      field(evse ? "EVSE" : "Connector", h("input", { name: where, type: "number", min: "0", value: "1", required: true, inputmode: "numeric" }),
        evse ? "0: the whole station" : "0: any connector"),
      field("Until", h("input", { name: "expiresAt", type: "datetime-local", required: true, value: inAnHour() })),
      h("button", { type: "submit" }, "Reserve"));
    permit(form, MAKE);
    form.onsubmit = async (event) => {
      event.preventDefault();
      const data = new FormData(form);
      const reservation = { idToken: data.get("idToken").trim(), [where]: Number(data.get(where)), expiresAt: new Date(data.get("expiresAt")).toISOString() };
      try {
        const made = await api("POST", `${path}/reservations`, reservation);
        replace(status, message("ok", `Reservation ${made.reservationId} made (${made.state}).`), made.command ? outcome(made.command) : null);
        load();
      } catch (error) {
        replace(status, refusal(error));
      }
    };
  }).catch((error) => replace(form, refusal(error)));

  async function cancel(r) {
    if (!await ask(`Cancel reservation ${r.reservationId}?`, `${r.idToken} loses its hold on ${id}.`, "Cancel the reservation")) return;
    try {
      const done = await api("DELETE", `/reservations/${r.reservationId}`);
      replace(status, message("ok", `Reservation ${r.reservationId}: cancelling (${done.state}).`));
      load();
    } catch (error) {
      replace(status, refusal(error));
    }
  }

  async function load() {
    try {
      const { items } = await get(`${path}/reservations?limit=50`);
      replace(rows, table("Reservations", [
        ["Id", (r) => r.reservationId], ["Id token", (r) => r.idToken],
        ["Where", (r) => (r.evseId !== null && r.evseId !== undefined ? `EVSE ${r.evseId}` : r.connectorId !== null && r.connectorId !== undefined ? `connector ${r.connectorId}` : "any")],
        ["Until", (r) => when(r.expiresAt)], ["State", (r) => badge(r.state)], ["Answer", (r) => r.answer || "–"],
        ["Session", (r) => r.transactionId || "–"],
        ["", (r) => (OPEN.includes(r.state) ? permit(h("button", { type: "button", class: "quiet", "aria-label": `Cancel reservation ${r.reservationId}`,
          onclick: () => cancel(r) }, "Cancel"), CANCEL, "hide") : "")],
      ], items, "No reservation."));
    } catch (error) {
      replace(rows, refusal(error));
    }
  }
  return poll(load);
}
