// Sites and smart charging: every site with its limit, a form to make one, and one site with its
// limits to edit, its member stations, and its power against its limit, drawn from the sessions'
// meter values and the allocations this page samples while it is open.

import { needs, permit } from "../access.js";
import { api, every, get, poll, query } from "../api.js";
import { ask, field, h, message, replace, table, when } from "../dom.js";
import { limitsChart } from "../steps.js";
import { facts as factList } from "./chargepoint.js";

const SAVE = needs("PUT /sites/<site_id>");
// A site page keeps this many of its samples (about ten minutes at one every 5 s).
const KEPT = 120;

const number = (value) => (value === "" || value === null || value === undefined ? undefined : Number(value));
const siteLink = (id) => h("a", { href: `#/sites/${encodeURIComponent(id)}` }, id);

function limitText(site) {
  const { amps, watts } = site.limit || {};
  if (amps !== null && amps !== undefined) return `${amps} A per phase`;
  if (watts !== null && watts !== undefined) return `${(watts / 1000).toFixed(1)} kW`;
  return "–";
}

// The fields of a site's form, filled from `site` (none: a new one's defaults).
function limitFields(site = {}) {
  const limit = site.limit || {};
  const unit = limit.watts !== null && limit.watts !== undefined ? "watts" : "amps";
  const value = unit === "watts" ? limit.watts : limit.amps;
  return [
    field("Limit", h("input", { name: "limit", type: "number", min: "0", step: "any", required: true, value: value ?? "" })),
    field("Limit in", h("select", { name: "unit" },
      h("option", { value: "amps", selected: unit === "amps" }, "A per phase"),
      h("option", { value: "watts", selected: unit === "watts" }, "W in all"))),
    field("Phases", h("select", { name: "phases" }, [3, 1].map((p) => h("option", { value: p, selected: (site.phases ?? 3) === p }, String(p))))),
    field("Voltage", h("input", { name: "voltage", type: "number", min: "1", step: "any", value: site.voltage ?? 230 }), "Phase to neutral"),
    field("Least per session (A)", h("input", { name: "minAmpsPerSession", type: "number", min: "0", step: "any", value: site.minAmpsPerSession ?? 6 }), "Below this a session waits at 0"),
    field("Fallback (A)", h("input", { name: "fallbackAmps", type: "number", min: "0", step: "any", value: site.fallbackAmps ?? 6 }), "What a station draws before it hears from the allocator"),
    field("Station cap (A)", h("input", { name: "stationMaxAmps", type: "number", min: "0", step: "any", value: site.stationMaxAmps ?? "" }), "Empty: none"),
  ];
}

// The body of PUT /sites/{id}: the site as it is (every field, so that none falls back to its
// default), with the form's values over it.
function siteBody(site, data, members) {
  const { siteId, updatedAt, ...kept } = site || {};
  const limit = number(data.get("limit"));
  return {
    ...kept,
    limit: data.get("unit") === "watts" ? { watts: limit } : { amps: limit },
    phases: Number(data.get("phases")),
    voltage: number(data.get("voltage")),
    minAmpsPerSession: number(data.get("minAmpsPerSession")),
    fallbackAmps: number(data.get("fallbackAmps")),
    stationMaxAmps: number(data.get("stationMaxAmps")) ?? null,
    chargePoints: members,
  };
}

export function sitesPage(root) {
  const status = h("div", { "aria-live": "polite" });
  const list = h("div");
  const form = h("form", { class: "card" },
    h("h2", {}, "Make a site"),
    field("Site id", h("input", { name: "siteId", required: true, maxlength: "64", pattern: "[A-Za-z0-9._\\-]+" }), "Letters, digits, . _ -"),
    limitFields(),
    h("button", { type: "submit" }, "Make the site"));
  replace(root, h("h1", {}, "Sites"),
    h("p", { class: "muted" }, "A site is a grid connection: its limit is shared among the sessions charging behind it."),
    permit(form, SAVE), status, h("h2", {}, "Sites"), list);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const id = data.get("siteId").trim();
    try {
      await api("PUT", `/sites/${encodeURIComponent(id)}`, siteBody(null, data, []));
      location.hash = `#/sites/${encodeURIComponent(id)}`;
    } catch (error) {
      replace(status, message("error", `${error.status || ""} ${error.message}`.trim()));
    }
  });

  get("/sites").then(({ items }) => replace(list, table("Sites", [
    ["Site", (s) => siteLink(s.siteId)], ["Limit", limitText], ["Phases", (s) => s.phases],
    ["Stations", (s) => s.chargePoints.length], ["Grid program", (s) => s.openadr?.programName || "–"],
    ["Changed", (s) => when(s.updatedAt)],
  ], items, "No site yet.")))
    .catch((error) => replace(list, message("error", error.message)));
}

// The site's power over time in kW: its sessions' metered power summed, the share the allocator
// gave them, and the limit in force (the grid's when lower than the site's).
function powerSeries(samples, metered) {
  return [
    { name: "Limit in force", kind: "step", points: samples.map((p) => [p.at, p.limitKw]), end: new Date() },
    { name: "Allocated", kind: "step", points: samples.map((p) => [p.at, p.allocatedKw]), end: new Date() },
    { name: "Drawn (metered)", kind: "line", points: metered },
  ];
}

// The sum over sessions of each one's latest power reading, at every moment one of them read.
export function summed(readings) {
  const moments = [...new Set(readings.flatMap((one) => one.map(([t]) => t.getTime())))].sort((a, b) => a - b);
  return moments.map((t) => [new Date(t), readings.reduce((sum, one) => {
    const before = one.filter(([at]) => at.getTime() <= t);
    return sum + (before.length ? before[before.length - 1][1] : 0);
  }, 0)]);
}

function latestPower(session) {
  return (session.meterValues || [])
    .map((mv) => [new Date(mv.timestamp), mv.sampledValues.find((v) => v.measurand === "Power.Active.Import" && !v.phase && v.value !== null)])
    .filter(([, v]) => v)
    .map(([t, v]) => [t, v.value / 1000]);
}

export function sitePage(root, siteId) {
  const path = `/sites/${encodeURIComponent(siteId)}`;
  const status = h("div", { "aria-live": "polite" });
  const facts = h("div");
  const chart = h("div");
  const shares = h("div");
  const members = h("div");
  const edit = h("div");
  const samples = [];
  let site = null;
  let stations = [];

  replace(root, h("p", { class: "crumbs" }, h("a", { href: "#/sites" }, "Sites"), " / ", siteId),
    h("h1", {}, `Site ${siteId}`), status, facts, chart, h("h2", {}, "Sessions' shares"), shares,
    h("h2", {}, "Stations"), members, edit);

  async function save(changes, said) {
    try {
      site = await api("PUT", path, siteBody(site, changes.data, changes.members ?? site.chargePoints));
      replace(status, message("ok", said));
      drawSite();
      return true;
    } catch (error) {
      replace(status, message("error", `${error.status || ""} ${error.message}`.trim()));
      return false;
    }
  }

  // The form's data as the site is now (for a change of members only).
  function current() {
    const data = new FormData();
    const limit = site.limit || {};
    const watts = limit.watts !== null && limit.watts !== undefined;
    data.set("limit", watts ? limit.watts : limit.amps);
    data.set("unit", watts ? "watts" : "amps");
    for (const name of ["phases", "voltage", "minAmpsPerSession", "fallbackAmps"]) data.set(name, site[name]);
    data.set("stationMaxAmps", site.stationMaxAmps ?? "");
    return data;
  }

  function drawSite() {
    replace(facts, factList([
      ["Limit", limitText(site)], ["Phases", site.phases], ["Voltage", `${site.voltage} V`],
      ["Least per session", `${site.minAmpsPerSession} A`], ["Fallback", `${site.fallbackAmps} A`],
      ["Station cap", site.stationMaxAmps === null || site.stationMaxAmps === undefined ? "none" : `${site.stationMaxAmps} A`],
      ["Grid program", site.openadr?.programName || "none"], ["Changed", when(site.updatedAt)],
    ].map(([term, value]) => [term, String(value)])));
    const add = h("input", { name: "chargePointId", required: true, list: "site-stations", autocomplete: "off" });
    const addForm = h("form", { class: "card" }, h("h2", {}, "Add a station"),
      field("Charge point", add), h("datalist", { id: "site-stations" }, stations.map((cp) => h("option", { value: cp.id }))),
      h("button", { type: "submit" }, "Add to the site"));
    addForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const id = add.value.trim();
      if (await save({ data: current(), members: [...site.chargePoints, id] }, `${id} added to ${siteId}.`)) add.value = "";
    });
    replace(members, table("Stations of the site", [
      ["Charge point", (id) => h("a", { href: `#/charge-points/${encodeURIComponent(id)}` }, id)],
      ["", (id) => permit(h("button", { type: "button", class: "quiet", "aria-label": `Remove ${id}`, onclick: async () => {
        if (!await ask(`Remove ${id} from ${siteId}?`, "Its sessions no longer share the site's limit.", "Remove")) return;
        save({ data: current(), members: site.chargePoints.filter((other) => other !== id) }, `${id} removed from ${siteId}.`);
      } }, "Remove"), SAVE, "hide")],
    ], site.chargePoints, "No station yet."), permit(addForm, SAVE));
    const limits = h("form", { class: "card" }, h("h2", {}, "Limits"), limitFields(site), h("button", { type: "submit" }, "Save the limits"));
    limits.addEventListener("submit", (event) => {
      event.preventDefault();
      save({ data: new FormData(limits) }, `${siteId}'s limits saved.`);
    });
    replace(edit, permit(limits, SAVE));
  }

  async function load() {
    try {
      const first = site === null;
      site = await get(path);
      if (first) {
        stations = await every("/charge-points").catch(() => []);
        drawSite();
      }
      const allocation = await get(`${path}/allocation`);
      const kw = (amps) => (amps * site.voltage) / 1000;
      samples.push({ at: new Date(), limitKw: kw(allocation.limitAmps) * site.phases,
        allocatedKw: kw(allocation.perPhaseAmps.reduce((a, b) => a + b, 0)) });
      if (samples.length > KEPT) samples.shift();
      const sessions = await Promise.all(allocation.sessions.map((one) =>
        get(`/transactions/${encodeURIComponent(one.transactionId)}${query({ chargePointId: one.chargePointId })}`).catch(() => null)));
      const since = samples[0].at.getTime() - 30 * 60 * 1000;
      const metered = summed(sessions.filter(Boolean).map((one) => latestPower(one).filter(([t]) => t.getTime() >= since)));
      const open = chart.querySelector("details")?.open; // an open "Figures" stays open
      replace(chart, h("div", { class: "charts" }, limitsChart(`${siteId}: power against its limit`, powerSeries(samples, metered), "kW")),
        h("p", { class: "muted" }, `In force: ${allocation.limitAmps} A per phase`,
          allocation.gridLimit ? " (the grid's)" : "", allocation.computedAt ? `, shared ${when(allocation.computedAt)}` : "",
          allocation.reason ? ` after ${allocation.reason}` : "", "."));
      if (open) chart.querySelector("details").open = true;
      replace(shares, table("Sessions' shares", [
        ["Charge point", (s) => s.chargePointId], ["Session", (s) => h("a", {
          href: `#/sessions/${encodeURIComponent(s.chargePointId)}/${encodeURIComponent(s.transactionId)}` }, s.transactionId)],
        ["EVSE", (s) => s.evseId ?? "–"], ["Phases", (s) => s.phases ?? "–"], ["Share", (s) => `${s.amps} A`],
        ["Until", (s) => when(s.until)],
      ], allocation.sessions, "No session charging at this site."));
    } catch (error) {
      replace(status, message("error", error.message));
      return error.status !== 404;
    }
  }
  return poll(load);
}
