// Firmware: the catalogue (register an image and upload its file through the presigned URL the
// API answers with, or name where it is kept elsewhere), rollouts over many charge points (start,
// pause, resume, cancel, and their progress), and one charge point's updates (its panel on the
// charge point's page).

import { needs, permit } from "../access.js";
import { api, every, get, poll, query } from "../api.js";
import { ask, badge, field, h, message, replace, select, table, when } from "../dom.js";
import { progress, size } from "./logs.js";

const REGISTER = needs("POST /firmware");
const REMOVE = needs("DELETE /firmware/<firmware_id>");
const UPDATE = needs("POST /charge-points/<charge_point_id>/firmware-updates");
const ROLL = needs("POST /firmware-rollouts");
const STEER = {
  pause: needs("POST /firmware-rollouts/<rollout_id>/pause"),
  resume: needs("POST /firmware-rollouts/<rollout_id>/resume"),
  cancel: needs("POST /firmware-rollouts/<rollout_id>/cancel"),
};
// How many of the newest rollouts the page follows (each one's progress is a read of its own).
const SHOWN = 10;

const iso = (value) => (value ? new Date(value).toISOString() : undefined);
const number = (value) => (value === "" || value === null ? undefined : Number(value));

function problem(node, error) {
  replace(node, message("error", `${error.status || ""} ${error.message}`.trim()));
}

async function sha256(file) {
  if (!globalThis.crypto?.subtle) return undefined; // only in a secure context
  const digest = await crypto.subtle.digest("SHA-256", await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

// PUTs the file to the presigned URL, the bar following the bytes sent.
function upload(url, file, bar) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("PUT", url);
    request.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) bar.value = event.loaded / event.total;
    });
    request.addEventListener("load", () => (request.status < 300 ? resolve()
      : reject(new Error(`The upload was refused: ${request.status} ${request.responseText.slice(0, 200)}`))));
    request.addEventListener("error", () => reject(new Error("The upload did not reach the file store")));
    request.send(file);
  });
}

function imageName(image) {
  return `${image.vendor} ${image.model} ${image.version}`;
}

export function firmwarePage(root) {
  const timers = [];
  const status = h("div", { "aria-live": "polite" });
  const catalogue = h("div");
  const rollouts = h("div");
  const bar = h("progress", { max: "1", value: "0", hidden: true, "aria-label": "Upload" });
  const images = h("select", { name: "firmwareId", required: true });
  let known = [];

  const register = h("form", { class: "card" },
    h("h2", {}, "Register an image"),
    field("Vendor", h("input", { name: "vendor", required: true, maxlength: "50" })),
    field("Model", h("input", { name: "model", required: true, maxlength: "50" }), "As the stations' BootNotification reports it."),
    field("Version", h("input", { name: "version", required: true, maxlength: "50" })),
    field("Description", h("input", { name: "description", maxlength: "500" })),
    field("File", h("input", { name: "file", type: "file" }), "Uploaded to the CSMS, which serves it to the stations."),
    field("Or its location", h("input", { name: "location", type: "url", maxlength: "512", placeholder: "https://…" }),
      "An image kept elsewhere: the stations download it from there."),
    h("button", { type: "submit" }, "Register"), bar);

  const start = h("form", { class: "card" },
    h("h2", {}, "Start a rollout"),
    field("Image", images),
    field("Charge points", h("textarea", { name: "chargePoints", rows: "3", spellcheck: "false" }),
      "Their ids, separated by spaces, commas or lines; empty: every charge point of the model."),
    field("Model", h("input", { name: "model", maxlength: "50" }), "Empty: the image's."),
    field("Wave size", h("input", { name: "waveSize", type: "number", min: "1", max: "500", value: "10", required: true }),
      "Charge points updated at once; the next wave goes when this one finished."),
    field("Pause past a failure rate of (%)", h("input", { name: "maxFailureRate", type: "number", min: "0", max: "100", value: "10", required: true })),
    h("label", { class: "check" }, h("input", { type: "checkbox", name: "force" }), " Update charge points of another model all the same"),
    h("button", { type: "submit" }, "Start the rollout"));

  const stateFilter = select("state", [["", "Any"], ["running", "Running"], ["paused", "Paused"],
    ["completed", "Completed"], ["cancelled", "Cancelled"]], "");
  const filter = h("form", { class: "filters", role: "search", "aria-label": "Rollouts" },
    field("State", stateFilter, `The ${SHOWN} newest in it.`));

  replace(root, h("h1", {}, "Firmware"), status,
    h("div", { class: "grid" }, permit(register, REGISTER)),
    h("h2", {}, "Catalogue"), catalogue,
    h("h2", {}, "Rollouts"),
    h("div", { class: "grid" }, permit(start, ROLL)), filter, rollouts);

  register.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(register);
    const file = data.get("file");
    const location = data.get("location").trim();
    const chosen = file && file.size ? file : null;
    if (Boolean(chosen) === Boolean(location)) {
      replace(status, message("error", "Choose a file to upload, or give the image's location: one of them."));
      return;
    }
    const body = {
      vendor: data.get("vendor").trim(), model: data.get("model").trim(), version: data.get("version").trim(),
      description: data.get("description").trim() || undefined, location: location || undefined,
    };
    try {
      if (chosen) Object.assign(body, { size: chosen.size, sha256: await sha256(chosen) });
      const image = await api("POST", "/firmware", body);
      if (chosen) {
        replace(status, message("info", `Uploading ${chosen.name} (${size(chosen.size)})…`));
        bar.hidden = false;
        bar.value = 0;
        await upload(image.uploadUrl, chosen, bar);
      }
      const kept = await get(`/firmware/${encodeURIComponent(image.firmwareId)}`);
      replace(status, kept.uploaded
        ? message("ok", `${imageName(kept)} is in the catalogue${chosen ? `, its file uploaded (${size(kept.size)})` : ""}.`)
        : message("warn", `${imageName(kept)} is registered, but its file has not arrived.`));
      register.reset();
      loadCatalogue();
    } catch (error) {
      problem(status, error);
    } finally {
      bar.hidden = true;
    }
  });

  async function remove(image) {
    if (!(await ask(`Remove ${imageName(image)}?`, "Its file is deleted from the CSMS. This cannot be undone.", "Remove"))) return;
    try {
      await api("DELETE", `/firmware/${encodeURIComponent(image.firmwareId)}`);
      replace(status, message("ok", `${imageName(image)} removed.`));
      loadCatalogue();
    } catch (error) {
      problem(status, error);
    }
  }

  async function loadCatalogue() {
    try {
      known = await every("/firmware", {}, 100, 20);
      replace(catalogue, table("Firmware catalogue", [
        ["Image", imageName], ["Id", (i) => h("code", {}, i.firmwareId)], ["Size", (i) => size(i.size)],
        ["File", (i) => (i.location ? h("span", {}, "elsewhere: ", h("code", {}, i.location)) : badge(i.uploaded ? "uploaded" : "not uploaded"))],
        ["Signed", (i) => (i.signed ? "yes" : "no")], ["Registered", (i) => when(i.createdAt)],
        ["", (i) => permit(h("button", { type: "button", class: "quiet", "aria-label": `Remove ${imageName(i)}`,
          onclick: () => remove(i) }, "Remove"), REMOVE, "hide")],
      ], known, "The catalogue is empty."));
      const chosen = images.value;
      replace(images, known.filter((i) => i.uploaded).map((i) => h("option", { value: i.firmwareId, selected: i.firmwareId === chosen }, imageName(i))));
    } catch (error) {
      problem(catalogue, error);
    }
  }

  // --- Rollouts ----------------------------------------------------------------------------
  const cards = new Map();

  start.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(start);
    const ids = data.get("chargePoints").split(/[\s,]+/).filter(Boolean);
    const body = {
      firmwareId: data.get("firmwareId"), chargePoints: ids.length ? ids : undefined,
      model: data.get("model").trim() || undefined, waveSize: number(data.get("waveSize")),
      maxFailureRate: number(data.get("maxFailureRate")) / 100, force: data.get("force") === "on",
    };
    try {
      const rollout = await api("POST", "/firmware-rollouts", body);
      replace(status, message("ok", `Rollout ${rollout.rolloutId} started over ${rollout.members.length} charge points.`));
      loadRollouts();
    } catch (error) {
      problem(status, error);
    }
  });

  filter.addEventListener("submit", (event) => event.preventDefault());
  stateFilter.addEventListener("change", () => loadRollouts());

  async function steer(rollout, how) {
    if (how === "cancel" && !(await ask(`Cancel rollout ${rollout.rolloutId}?`,
      "No further wave is sent, ever; updates already sent go on.", "Cancel the rollout"))) return;
    try {
      const changed = await api("POST", `/firmware-rollouts/${encodeURIComponent(rollout.rolloutId)}/${how}`);
      replace(cards.get(rollout.rolloutId), rolloutCard(changed));
    } catch (error) {
      problem(status, error);
    }
  }

  function rolloutCard(r) {
    const total = r.members.length;
    const done = total - (r.counts.waiting || 0) - (r.counts.sent || 0);
    const live = r.state === "running" || r.state === "paused";
    const image = known.find((i) => i.firmwareId === r.firmwareId);
    const button = (how, text, shown) => (shown ? permit(h("button", { type: "button", class: how === "cancel" ? "danger" : "quiet",
      "aria-label": `${text} rollout ${r.rolloutId}`, onclick: () => steer(r, how) }, text), STEER[how], "hide") : null);
    return [
      h("h3", {}, `Rollout ${r.rolloutId} `, badge(r.state)),
      h("p", {}, image ? imageName(image) : r.firmwareId, ` · waves of ${r.waveSize}, ${r.wavesSent} sent · started ${when(r.createdAt)}`),
      h("div", { class: "rollout-progress" },
        h("progress", { max: String(total || 1), value: String(done), "aria-label": `Rollout ${r.rolloutId} progress` }),
        h("span", {}, `${done} of ${total} done: `,
          Object.entries(r.counts).map(([outcome, count]) => `${count} ${outcome}`).join(", "),
          ` · failure rate ${(r.failureRate * 100).toFixed(0)} % (pauses past ${(r.maxFailureRate * 100).toFixed(0)} %)`)),
      r.reason ? message("warn", `Paused: ${r.reason}`) : null,
      h("div", { class: "actions" }, button("pause", "Pause", r.state === "running"),
        button("resume", "Resume", r.state === "paused"), button("cancel", "Cancel", live)),
      h("details", {}, h("summary", {}, "Charge points"),
        table(`Rollout ${r.rolloutId} charge points`, [
          ["Charge point", (m) => h("a", { href: `#/charge-points/${encodeURIComponent(m.chargePointId)}/maintenance` }, m.chargePointId)],
          ["Outcome", (m) => badge(m.outcome)], ["Wave", (m) => m.wave ?? "–"], ["Sent", (m) => when(m.sentAt)],
          ["Error", (m) => m.error || "–"],
        ], r.members, "No charge point.")),
    ];
  }

  async function loadRollouts() {
    const state = stateFilter.value;
    let ids;
    try {
      const page = await get(`/firmware-rollouts${query({ limit: SHOWN, state })}`);
      ids = page.items.map((r) => r.rolloutId);
    } catch (error) {
      problem(rollouts, error);
      return;
    }
    if (state !== stateFilter.value) return; // another state was chosen meanwhile
    if (!ids.length) {
      replace(rollouts, h("p", { class: "empty" }, state ? `No ${state} rollout.` : "No rollout yet."));
      return;
    }
    for (const id of ids) {
      if (!cards.has(id)) cards.set(id, h("section", { class: "card rollout" }));
    }
    replace(rollouts, ids.map((id) => cards.get(id)));
    await Promise.all(ids.map(async (id) => {
      try {
        replace(cards.get(id), rolloutCard(await get(`/firmware-rollouts/${encodeURIComponent(id)}`)));
      } catch (error) {
        replace(cards.get(id), h("h3", {}, `Rollout ${id}`), message("error", error.message));
      }
    }));
  }

  timers.push(poll(async () => {
    await loadCatalogue();
    await loadRollouts();
  }));
  return () => timers.forEach((stop) => stop());
}

// One charge point's updates: ask for one (an image of the catalogue or any URL) and follow each
// as the station reports it. `context` is the charge point page's.
export function firmwareUpdates(node, context) {
  const status = h("div", { "aria-live": "polite" });
  const list = h("div");
  const images = h("select", { name: "firmwareId" }, h("option", { value: "" }, "None: the location below"));
  const form = h("form", { class: "card" },
    h("h2", {}, "Update firmware"),
    field("Image", images, "From the catalogue (Firmware page)."),
    field("Or a location", h("input", { name: "location", type: "url", maxlength: "512", placeholder: "https://…" })),
    field("Not before", h("input", { name: "retrieveAt", type: "datetime-local" }), "Empty: now."),
    field("Retries", h("input", { name: "retries", type: "number", min: "0", max: "100" })),
    h("label", { class: "check" }, h("input", { type: "checkbox", name: "force" }), " Send an image of another model all the same"),
    h("button", { type: "submit" }, "Update firmware"));
  replace(node, h("h2", {}, "Firmware updates"), h("div", { class: "grid" }, permit(form, UPDATE)), status, list);

  Promise.all([get(context.path), every("/firmware", {}, 100, 20)]).then(([cp, catalogue]) => {
    const usable = catalogue.filter((i) => i.uploaded);
    images.append(...usable.map((i) => h("option", { value: i.firmwareId },
      `${imageName(i)}${cp.model && i.model !== cp.model ? ` (another model than ${cp.model})` : ""}`)));
  }).catch((error) => problem(status, error));

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const location = data.get("location").trim();
    if (Boolean(data.get("firmwareId")) === Boolean(location)) {
      replace(status, message("error", "Choose an image of the catalogue, or give a location: one of them."));
      return;
    }
    const body = {
      firmwareId: data.get("firmwareId") || undefined, location: location || undefined,
      retrieveAt: iso(data.get("retrieveAt")), retries: number(data.get("retries")), force: data.get("force") === "on",
    };
    try {
      const asked = await api("POST", `${context.path}/firmware-updates`, body);
      const sent = asked.command ? ` (${asked.command.action}: ${asked.command.status})` : "";
      replace(status, message("ok", `Update ${asked.requestId} asked${sent}; its progress shows below.`));
      load();
    } catch (error) {
      problem(status, error);
    }
  });

  async function load() {
    try {
      const { items } = await get(`${context.path}/firmware-updates?limit=20`);
      replace(list, table("Firmware updates", [
        ["Asked", (u) => when(u.createdAt)], ["Request", (u) => u.requestId],
        ["Version or image", (u) => u.details.version || u.details.firmwareId || u.details.location || "–"],
        ["Outcome", (u) => [badge(u.outcome), u.outcomeReason ? ` ${u.outcomeReason}` : ""]], ["Progress", progress],
        ["Version after", (u) => u.firmwareVersionAfter || "–"], ["Rollout", (u) => u.rolloutId || "–"],
      ], items, "No firmware update asked."));
    } catch (error) {
      problem(list, error);
    }
  }
  context.poll(load);
}
