// A charge point's logs: ask for one (diagnostics or the security log, uploaded to the CSMS),
// follow its progress as the station reports it, and download the file once it came.

import { needs, permit } from "../access.js";
import { api, get } from "../api.js";
import { badge, field, h, message, replace, select, table, when } from "../dom.js";

const ASK = needs("POST /charge-points/<charge_point_id>/logs");
// A file's link is good for an hour: read it again after 50 minutes.
const LINK_MS = 50 * 60 * 1000;

// The statuses a request went through, in order ("Uploading → Uploaded").
export function progress(request) {
  return (request.statuses || []).map((s) => s.status).join(" → ") || "–";
}

export function size(bytes) {
  if (bytes === null || bytes === undefined) return "–";
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

const iso = (value) => (value ? new Date(value).toISOString() : undefined);

// The panel on the charge point's page; `context` is the page's (its id, path and polling).
export function logsPanel(node, context) {
  const status = h("div", { "aria-live": "polite" });
  const list = h("div");
  const links = new Map(); // requestId -> {url, at}
  const form = h("form", { class: "card" },
    h("h2", {}, "Request a log"),
    field("Log", select("type", [["Diagnostics", "Diagnostics"], ["SecurityLog", "Security log"]], "Diagnostics")),
    field("Entries from", h("input", { name: "from", type: "datetime-local" }), "Empty: as far back as the station keeps."),
    field("Entries to", h("input", { name: "to", type: "datetime-local" })),
    field("Upload over", select("via", [["http", "HTTPS"], ["ftp", "FTP"]], "http")),
    h("button", { type: "submit" }, "Request the log"));
  replace(node, h("h2", {}, "Logs"), h("div", { class: "grid" }, permit(form, ASK)), status, list);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const body = { type: data.get("type"), from: iso(data.get("from")), to: iso(data.get("to")), via: data.get("via") };
    try {
      const asked = await api("POST", `${context.path}/logs`, body);
      const sent = asked.command ? ` (${asked.command.action}: ${asked.command.status})` : "";
      replace(status, message("ok", `Log ${asked.requestId} asked${sent}; its progress shows below.`));
      load();
    } catch (error) {
      replace(status, message("error", `${error.status || ""} ${error.message}`.trim()));
    }
  });

  // The file's link, read from the one request (the list does not carry it).
  async function link(request) {
    const kept = links.get(request.requestId);
    if (kept && Date.now() - kept.at < LINK_MS) return kept.url;
    const one = await get(`${context.path}/logs/${request.requestId}`);
    if (one.downloadUrl) links.set(request.requestId, { url: one.downloadUrl, at: Date.now() });
    return one.downloadUrl;
  }

  async function file(request) {
    if (!request.upload) return "–";
    const url = await link(request);
    const text = `Download ${request.upload.fileName} (${size(request.upload.size)})`;
    return url ? h("a", { href: url, download: request.upload.fileName }, text) : text;
  }

  async function load() {
    try {
      const { items } = await get(`${context.path}/logs?limit=20`);
      const files = new Map(await Promise.all(items.map(async (r) => [r.requestId, await file(r)])));
      replace(list, table("Logs", [
        ["Asked", (l) => when(l.createdAt)], ["Request", (l) => l.requestId], ["Log", (l) => l.details.logType || "–"],
        ["Outcome", (l) => [badge(l.outcome), l.outcomeReason ? ` ${l.outcomeReason}` : ""]],
        ["Progress", progress], ["File", (l) => files.get(l.requestId)],
      ], items, "No log asked."));
    } catch (error) {
      replace(list, message("error", error.message));
    }
  }
  context.poll(load);
}
