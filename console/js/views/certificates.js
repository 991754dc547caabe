// A station's certificates: those the CSMS signed for it and those it reported installed; the
// inventory asked again (and followed until answered), its certificate renewed (the station
// is asked to send a new signing request), a root installed (a kept trust anchor or a PEM),
// an installed one removed or a signed one revoked, after asking.

import { needs, permit } from "../access.js";
import { api, command, get, poll } from "../api.js";
import { ask, badge, field, h, message, replace, select, table, when } from "../dom.js";
import { follow, outcome, refusal } from "./commands.js";

const REFRESH = needs("POST /charge-points/<charge_point_id>/certificates/refresh");
const INSTALL = needs("POST /charge-points/<charge_point_id>/certificates");
const DELETE = needs("DELETE /charge-points/<charge_point_id>/certificates/<serial>");
const REVOKE = needs("POST /charge-points/<charge_point_id>/certificates/<serial>/revoke");
const TRIGGER = needs("POST /charge-points/<charge_point_id>/trigger");
const ROOTS = ["CSMSRootCertificate", "ManufacturerRootCertificate", "V2GRootCertificate", "MORootCertificate", "OEMRootCertificate"];

export function certificatesPanel(body, id) {
  const path = `/charge-points/${encodeURIComponent(id)}`;
  const status = h("div", { "aria-live": "polite" });
  const issued = h("div");
  const installed = h("div");
  const anchors = select("trustAnchor", [["", "None: the PEM below"]], "");
  const install = h("form", { class: "card" }, h("h2", {}, "Install a root"),
    field("Kept root", anchors, "A trust anchor the CSMS keeps (its own first)"),
    field("Type", select("certificateType", ROOTS.map((r) => [r, r]), "CSMSRootCertificate"), "For a PEM"),
    field("PEM", h("textarea", { name: "certificate", rows: "4", class: "code", spellcheck: "false", placeholder: "-----BEGIN CERTIFICATE-----" })),
    h("button", { type: "submit" }, "Install"));
  const refresh = permit(h("button", { type: "button", onclick: () => askAgain() }, "Ask for the inventory"), REFRESH);
  const renew = permit(h("button", { type: "button", class: "quiet", onclick: () => renewal() }, "Renew its certificate"), TRIGGER);
  replace(body, h("div", { class: "actions" }, refresh, renew), status,
    h("h2", {}, "Signed by the CSMS"), issued, h("h2", {}, "Installed on the station"), installed, permit(install, INSTALL));

  get("/trust-anchors").then(({ items }) => anchors.append(...items.map((a) =>
    h("option", { value: a.name }, `${a.name} (${a.certificateType}${a.builtIn ? ", the CSMS's own" : ""})`)))).catch(() => {});

  async function askAgain() {
    try {
      const sent = await api("POST", `${path}/certificates/refresh`);
      await follow(status, sent, "Asking what it has installed");
      load();
    } catch (error) {
      replace(status, refusal(error));
    }
  }

  async function renewal() {
    replace(status, message("info", "Asking the station for a new signing request…"));
    try {
      replace(status, outcome(await command(id, "trigger", { message: "SignChargingStationCertificate" })));
    } catch (error) {
      replace(status, refusal(error));
    }
  }

  install.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(install);
    const root = data.get("trustAnchor")
      ? { trustAnchor: data.get("trustAnchor") }
      : { certificateType: data.get("certificateType"), certificate: data.get("certificate").trim() };
    replace(status, message("info", "Sent; waiting for the answer…"));
    try {
      replace(status, outcome(await api("POST", `${path}/certificates?wait=25`, root)));
      load();
    } catch (error) {
      replace(status, refusal(error));
    }
  });

  async function remove(serial, type) {
    if (!await ask(`Remove the ${type} ${serial} from ${id}?`, "The station deletes it (DeleteCertificate).", "Remove")) return;
    try {
      replace(status, outcome(await api("DELETE", `${path}/certificates/${encodeURIComponent(serial)}?wait=25`)));
      load();
    } catch (error) {
      replace(status, refusal(error));
    }
  }

  async function revoke(serial) {
    if (!await ask(`Revoke certificate ${serial}?`, `${id} is no longer admitted with it; its connection is closed. This cannot be undone.`, "Revoke")) return;
    try {
      await api("POST", `${path}/certificates/${encodeURIComponent(serial)}/revoke`);
      replace(status, message("ok", `Certificate ${serial} revoked.`));
      load();
    } catch (error) {
      replace(status, refusal(error));
    }
  }

  async function load() {
    try {
      const inventory = await get(`${path}/certificates`);
      replace(issued, table("Signed by the CSMS", [
        ["Use", (c) => c.use], ["Subject", (c) => c.subject], ["Serial", (c) => h("code", {}, c.serial || "–")],
        ["Status", (c) => badge(c.status)], ["In use", (c) => (c.inUse ? "yes" : "no")], ["Expires", (c) => when(c.notAfter)],
        ["", (c) => (c.serial && c.status !== "revoked" ? permit(h("button", { type: "button", class: "quiet",
          "aria-label": `Revoke ${c.serial}`, onclick: () => revoke(c.serial) }, "Revoke"), REVOKE, "hide") : "")],
      ], inventory.issued, "None signed."));
      replace(installed, inventory.installed === null
        ? h("p", { class: "empty" }, "Not asked yet: ask for the inventory.")
        : [h("p", { class: "muted" }, `As it reported ${when(inventory.installedReportedAt)}.`),
          table("Installed on the station", [
            ["Type", (c) => c.certificateType], ["Serial", (c) => h("code", {}, c.hashData.serialNumber)],
            ["Issuer key hash", (c) => h("code", {}, c.hashData.issuerKeyHash || "–")],
            ["", (c) => permit(h("button", { type: "button", class: "quiet", "aria-label": `Remove ${c.hashData.serialNumber}`,
              onclick: () => remove(c.hashData.serialNumber, c.certificateType) }, "Remove"), DELETE, "hide")],
          ], inventory.installed, "None installed.")]);
    } catch (error) {
      replace(status, refusal(error));
    }
  }
  return poll(load);
}
