// A station's charging profiles, each with its schedule drawn (the limit it sets over time), and
// cleared after asking; the schedule the station works out from them all, on request.

import { needs, permit } from "../access.js";
import { api, get, poll, query } from "../api.js";
import { ask, h, json, message, replace, table, when } from "../dom.js";
import { limitsChart } from "../steps.js";
import { outcome, refusal } from "./commands.js";

const CLEAR = needs("DELETE /charge-points/<charge_point_id>/charging-profiles/<profile_id>");

// A profile's schedules (1.6: one object; 2.x: a list) as step series from their start (or now).
export function scheduleSeries(profile, now = new Date()) {
  const schedules = [].concat(profile.chargingSchedule || []);
  return schedules.map((schedule, index) => {
    const start = schedule.startSchedule ? new Date(schedule.startSchedule) : now;
    const periods = schedule.chargingSchedulePeriod || [];
    const last = periods.length ? periods[periods.length - 1].startPeriod : 0;
    const end = new Date(start.getTime() + 1000 * (schedule.duration ?? Math.max(last + 3600, 3600)));
    return {
      name: `Schedule ${schedule.id ?? index + 1} (${schedule.chargingRateUnit})`,
      kind: "step",
      points: periods.map((p) => [new Date(start.getTime() + 1000 * p.startPeriod), p.limit]),
      end,
      unit: schedule.chargingRateUnit,
    };
  });
}

export function profilesPanel(body, id) {
  const path = `/charge-points/${encodeURIComponent(id)}`;
  const status = h("div", { "aria-live": "polite" });
  const rows = h("div");
  const charts = h("div", { class: "charts" });
  const composite = h("div");
  const refresh = h("button", { type: "button", class: "quiet", onclick: () => load(true) }, "Ask the station (2.x)");
  const schedule = h("button", { type: "button", class: "quiet", onclick: () => compose() }, "Its schedule for the next hour");
  replace(body, h("div", { class: "actions" }, refresh, schedule), status, rows, charts, composite);

  async function clear(p) {
    if (!await ask(`Clear profile ${p.profileId} on ${id}?`, "The station stops applying it (ClearChargingProfile).", "Clear")) return;
    replace(status, message("info", "Sent; waiting for the answer…"));
    try {
      const command = await api("DELETE", `${path}/charging-profiles/${p.profileId}?wait=25`);
      replace(status, outcome(command));
      load();
    } catch (error) {
      replace(status, refusal(error));
    }
  }

  async function compose() {
    replace(composite, message("info", "Asking the station (GetCompositeSchedule)…"));
    try {
      const answer = await get(`${path}/composite-schedule${query({ duration: 3600 })}`);
      const start = answer.start ? new Date(answer.start) : new Date();
      const points = answer.periods.map((p) => [new Date(p.start), p.limitA]);
      const end = new Date(start.getTime() + 1000 * (answer.durationS || 3600));
      replace(composite, h("h2", {}, "What it will draw"), h("p", {}, `Answered ${answer.status}.`),
        limitsChart(`${id}: composite schedule`, [{ name: "Limit", kind: "step", points, end }], "A", "No limit in the next hour"));
    } catch (error) {
      replace(composite, refusal(error));
    }
  }

  let shown = null;
  async function load(ask = false) {
    try {
      const answer = await get(`${path}/charging-profiles${ask ? "?refresh=true" : ""}`);
      if (answer.command) replace(status, outcome(answer.command));
      // Redrawn only when they changed: an open "Figures" stays open between refreshes.
      const now = JSON.stringify(answer.items);
      if (now === shown) return;
      shown = now;
      replace(rows, table("Charging profiles", [
        ["Id", (p) => p.profileId], ["EVSE", (p) => p.evseId], ["Purpose", (p) => p.purpose], ["Kind", (p) => p.kind],
        ["Stack level", (p) => p.stackLevel], ["Status", (p) => p.status], ["Source", (p) => p.source],
        ["Updated", (p) => when(p.updatedAt)],
        ["", (p) => permit(h("button", { type: "button", class: "quiet", "aria-label": `Clear profile ${p.profileId}`, onclick: () => clear(p) }, "Clear"), CLEAR, "hide")],
      ], answer.items, "No charging profile."));
      replace(charts, answer.items.map((p) => {
        const series = scheduleSeries(p.profile);
        return h("div", {}, limitsChart(`Profile ${p.profileId}: ${p.purpose}, stack level ${p.stackLevel}`, series, series[0]?.unit || "A"),
          h("details", {}, h("summary", {}, `Profile ${p.profileId} as sent`), json(p.profile, `Profile ${p.profileId} as sent`)));
      }));
    } catch (error) {
      replace(status, refusal(error));
    }
  }
  return poll(() => load());
}
