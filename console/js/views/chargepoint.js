// One charge point: its connectors and their history, the session in progress with its power
// and energy, configuration, commands (the friendly ones and any call of its version, with
// its payload checked against the version's schema), the command history, and the pages of the
// other blocks (firmware and logs, security events, charging profiles, reservations,
// certificates).

import { needs, permit } from "../access.js";
import { api, command, every, get, poll, query } from "../api.js";
import { sessionCharts } from "../chart.js";
import { badge, field, h, json, kwh, message, replace, select, table, when } from "../dom.js";

const TABS = [
  ["overview", "Overview"],
  ["session", "Session"],
  ["configuration", "Configuration"],
  ["commands", "Commands"],
  ["history", "Command history"],
  ["maintenance", "Firmware and logs"],
  ["security", "Security events"],
  ["profiles", "Charging profiles"],
  ["reservations", "Reservations"],
  ["certificates", "Certificates"],
];

export function chargePointPage(root, id, tab = "overview") {
  const path = `/charge-points/${encodeURIComponent(id)}`;
  const body = h("div", { id: "tab-panel", role: "tabpanel", tabindex: "0" });
  const tabs = h("div", { class: "tabs", role: "tablist", "aria-label": "Charge point pages" },
    TABS.map(([key, text]) => h("a", {
      role: "tab", href: `#/charge-points/${encodeURIComponent(id)}/${key}`, id: `tab-${key}`,
      "aria-selected": String(key === tab), "aria-controls": "tab-panel", tabindex: key === tab ? "0" : "-1",
    }, text)));
  tabs.addEventListener("keydown", (event) => {
    const links = [...tabs.querySelectorAll("a")];
    const at = links.indexOf(document.activeElement);
    const next = event.key === "ArrowRight" ? at + 1 : event.key === "ArrowLeft" ? at - 1 : null;
    if (next === null || at < 0) return;
    event.preventDefault();
    links[(next + links.length) % links.length].focus();
  });
  const status = h("span");
  replace(root, h("p", { class: "crumbs" }, h("a", { href: "#/fleet" }, "Fleet"), " / ", id),
    h("h1", {}, id, " ", status), tabs, body);
  body.setAttribute("aria-labelledby", `tab-${tab}`);

  const context = { id, path, status, timers: [] };
  const pages = { overview, session, configuration, commands, history, maintenance, security, profiles, reservations, certificates };
  (pages[tab] || overview)(body, context);
  return () => context.timers.forEach((stop) => stop());
}

function polled(context, work) {
  context.timers.push(poll(work));
}

function failed(node, error) {
  replace(node, message("error", error.message));
}

function connectorName(c) {
  return c.evseId === null || c.evseId === undefined ? `Connector ${c.connectorId}` : `EVSE ${c.evseId} / connector ${c.connectorId}`;
}

async function overview(body, context) {
  const details = h("div");
  const connectors = h("div");
  const history = h("div");
  replace(body, details, h("h2", {}, "Connectors"), connectors, h("h2", {}, "Status history"), history);
  polled(context, async () => {
    try {
      const cp = await get(context.path);
      replace(context.status, badge(cp.online ? "online" : "offline"));
      replace(details, h("dl", { class: "facts" }, [
        ["OCPP", cp.ocppVersion], ["Vendor", cp.vendor], ["Model", cp.model], ["Serial", cp.serialNumber],
        ["Firmware", cp.firmwareVersion], ["Site", cp.siteId], ["Security profile", cp.securityProfile],
        ["Connected", when(cp.connectedAt)], ["Last seen", when(cp.lastSeenAt)], ["Last boot", when(cp.lastBootAt)],
        ["Boot reason", cp.bootReason], ["Disconnected", when(cp.disconnectedAt)],
      ].map(([term, value]) => [h("dt", {}, term), h("dd", {}, value ?? "–")])));
      replace(connectors, table("Connectors", [
        ["Connector", connectorName],
        ["Status", (c) => badge(c.status)],
        ["Error", (c) => c.errorCode || "–"],
        ["Since", (c) => when(c.statusAt)],
        ["Session", (c) => (c.activeTransactionId
          ? h("a", { href: `#/sessions/${encodeURIComponent(context.id)}/${encodeURIComponent(c.activeTransactionId)}` }, c.activeTransactionId)
          : "–")],
      ], cp.connectors || [], "No connector has reported a status yet."));
      const entries = await get(`${context.path}/status-history?limit=50`);
      replace(history, table("Status history", [
        ["When", (e) => when(e.at)], ["Connector", (e) => e.connector], ["Status", (e) => badge(e.status)],
        ["Error", (e) => e.errorCode || "–"], ["Info", (e) => e.info || "–"],
      ], entries.items, "No status reported in the last month."));
    } catch (error) {
      failed(details, error);
    }
  });
}

async function session(body, context) {
  polled(context, async () => {
    try {
      const active = await get(`/transactions${query({ chargePointId: context.id, active: true })}`);
      if (!active.items.length) {
        replace(body, h("p", { class: "empty" }, "No session in progress."),
          h("p", {}, h("a", { href: `#/sessions?chargePointId=${encodeURIComponent(context.id)}` }, "Its past sessions")));
        return;
      }
      const parts = [];
      for (const item of active.items) {
        const detail = await get(`/transactions/${encodeURIComponent(item.transactionId)}${query({ chargePointId: context.id })}`);
        parts.push(h("section", { class: "session" },
          h("h2", {}, `Session ${detail.transactionId}`),
          h("p", {}, `${connectorName(detail)} · started ${when(detail.startedAt)} · ${kwh(detail.energyWh)} so far`,
            detail.idToken ? ` · ${detail.idToken}` : ""),
          sessionCharts(detail.meterValues),
          h("p", {}, h("a", { href: `#/sessions/${encodeURIComponent(context.id)}/${encodeURIComponent(detail.transactionId)}` }, "Open the session"))));
      }
      replace(body, parts);
    } catch (error) {
      failed(body, error);
    }
  });
}

function answerOf(result) {
  if (result.status === "completed") return h("div", {}, message("ok", `${result.action}: answered`), json(result.response));
  if (result.error) return message("error", `${result.action}: ${result.error.code} ${result.error.description}`);
  return message("warn", `${result.action}: ${result.status}`);
}

// A form that sends a command and shows its answer (or the API's reason for refusing it); `path`
// is what it posts to under the charge point, and whether the caller may is the access table's.
function commandForm(context, path, title, controls, send, description) {
  const output = h("div", { class: "answer", "aria-live": "polite" });
  const button = h("button", { type: "submit" }, title);
  const form = h("form", { class: "card", onsubmit: async (event) => {
    event.preventDefault();
    button.disabled = true;
    replace(output, message("info", "Sent; waiting for the answer…"));
    try {
      replace(output, answerOf(await send(new FormData(form))));
    } catch (error) {
      replace(output, message("error", `${error.status || ""} ${error.message}`.trim()));
    } finally {
      button.disabled = false;
    }
  } }, h("h2", {}, title), description ? h("p", { class: "muted" }, description) : null, controls, button, output);
  return permit(form, needs(`POST /charge-points/<charge_point_id>/${path}`));
}

const number = (value) => (value === "" || value === null ? undefined : Number(value));

function where(prefix = "") {
  return [
    field("EVSE (2.x)", h("input", { name: `${prefix}evseId`, type: "number", min: "0", inputmode: "numeric" })),
    field("Connector", h("input", { name: `${prefix}connectorId`, type: "number", min: "0", inputmode: "numeric" })),
  ];
}

async function commands(body, context) {
  let cp;
  try {
    cp = await get(context.path);
  } catch (error) {
    failed(body, error);
    return;
  }
  replace(context.status, badge(cp.online ? "online" : "offline"));
  const send = (path, payload) => command(context.id, path, payload);
  const generic = await genericForm(context, cp.ocppVersion);
  replace(body, h("div", { class: "grid" },
    commandForm(context, "reset", "Reset", [field("Kind", select("hard", [["false", "Soft / on idle"], ["true", "Hard / immediate"]], "false"))],
      (data) => send("reset", { hard: data.get("hard") === "true" })),
    commandForm(context, "unlock", "Unlock", [
      field("EVSE (2.x)", h("input", { name: "evseId", type: "number", min: "0" })),
      field("Connector", h("input", { name: "connectorId", type: "number", min: "0", value: "1", required: true }))],
    (data) => send("unlock", { evseId: number(data.get("evseId")), connectorId: Number(data.get("connectorId")) })),
    commandForm(context, "availability", "Availability", [...where(), field("Make it", select("operative", [["true", "Operative"], ["false", "Inoperative"]], "true"))],
      (data) => send("availability", { evseId: number(data.get("evseId")), connectorId: number(data.get("connectorId")), operative: data.get("operative") === "true" })),
    commandForm(context, "remote-start", "Remote start", [field("Id token", h("input", { name: "idToken", required: true, maxlength: "36" })), ...where()],
      (data) => send("remote-start", { idToken: data.get("idToken"), evseId: number(data.get("evseId")), connectorId: number(data.get("connectorId")) })),
    commandForm(context, "remote-stop", "Remote stop", [field("Transaction", h("input", { name: "transactionId", required: true }))],
      (data) => send("remote-stop", { transactionId: data.get("transactionId") })),
    commandForm(context, "trigger", "Trigger a message", [field("Message", select("message", [
      "BootNotification", "Heartbeat", "StatusNotification", "MeterValues", "FirmwareStatusNotification",
      "DiagnosticsStatusNotification", "LogStatusNotification", "SignChargingStationCertificate", "TransactionEvent",
    ].map((m) => [m, m]), "StatusNotification")), ...where()],
    (data) => send("trigger", { message: data.get("message"), evseId: number(data.get("evseId")), connectorId: number(data.get("connectorId")) })),
    generic));
}

// Any call of the station's version: the action list and each payload's schema come from the API.
async function genericForm(context, version) {
  if (!version) return h("p", { class: "card empty" }, "The generic command form needs the station to have connected once.");
  const { actions } = await get(`/ocpp-versions/${encodeURIComponent(version)}/actions`);
  const action = select("action", actions.map((a) => [a, a]), actions.includes("Reset") ? "Reset" : actions[0]);
  const payload = h("textarea", { name: "payload", rows: "8", spellcheck: "false", class: "code" }, "{}");
  const hint = h("div", { class: "muted" });
  async function template() {
    try {
      const schema = await get(`/ocpp-versions/${encodeURIComponent(version)}/actions/${encodeURIComponent(action.value)}`);
      const required = schema.required || [];
      hint.textContent = required.length ? `Required: ${required.join(", ")}` : "No field is required.";
    } catch (error) {
      hint.textContent = error.message;
    }
  }
  action.addEventListener("change", template);
  template();
  return commandForm(context, "commands", "Any command", [
    field("Action", action), field("Payload (JSON)", payload), hint,
  ], async (data) => {
    let parsed;
    try {
      parsed = JSON.parse(data.get("payload") || "{}");
    } catch (error) {
      throw new Error(`The payload is not JSON: ${error.message}`);
    }
    return api("POST", `${context.path}/commands?wait=25`, { action: data.get("action"), payload: parsed });
  }, `Any call a CSMS sends in OCPP ${version}, checked against that version's schema before it is sent.`);
}

async function configuration(body, context) {
  const list = h("div");
  const load = async () => {
    try {
      const items = await every(`${context.path}/configuration`, {}, 1000, 10);
      replace(list, table("Configuration", [
        ["Key", (item) => h("code", {}, item.key)], ["Value", (item) => item.value ?? "–"],
        ["Read-only", (item) => (item.readonly ? "yes" : "no")], ["Updated", (item) => when(item.updatedAt)],
      ], items, "Nothing read yet: read it from the station."));
    } catch (error) {
      failed(list, error);
    }
  };
  const read = commandForm(context, "configuration/read", "Read from the station", [], async () => {
    const result = await command(context.id, "configuration/read", {});
    setTimeout(load, 1000);
    return result;
  });
  const change = commandForm(context, "configuration/change", "Change a setting", [
    field("Key", h("input", { name: "key", required: true }), "1.6: the key; 2.x: Component/Variable"),
    field("Value", h("input", { name: "value", required: true }))],
  async (data) => {
    const result = await command(context.id, "configuration/change", { key: data.get("key"), value: data.get("value") });
    load();
    return result;
  });
  replace(body, h("div", { class: "grid" }, read, change), list);
  load();
}

function listing(body, context, parts) {
  const sections = parts.map(([title, path, columns, empty]) => {
    const node = h("div");
    return [h("h2", {}, title), node, path, columns, empty, title];
  });
  replace(body, sections.map(([heading, node]) => [heading, node]));
  polled(context, async () => {
    for (const [, node, path, columns, empty, title] of sections) {
      try {
        const answer = await get(`${context.path}/${path}`);
        replace(node, table(title, columns, answer.items || [], empty));
      } catch (error) {
        failed(node, error);
      }
    }
  });
}

function history(body, context) {
  listing(body, context, [["Command history", "commands?limit=50", [
    ["Made", (c) => when(c.createdAt)], ["Action", (c) => c.action], ["Status", (c) => badge(c.status)],
    ["Answer", (c) => (c.response ? h("code", {}, JSON.stringify(c.response)) : c.error ? `${c.error.code}: ${c.error.description}` : "–")],
    ["Payload", (c) => h("code", {}, JSON.stringify(c.payload))],
  ], "No command sent yet."]]);
}

function statuses(request) {
  return (request.statuses || []).map((s) => s.status).join(" → ") || "–";
}

function maintenance(body, context) {
  listing(body, context, [
    ["Firmware updates", "firmware-updates", [
      ["Asked", (u) => when(u.createdAt)], ["Version or image", (u) => u.details.version || u.details.firmwareId || u.details.location || "–"],
      ["Outcome", (u) => badge(u.outcome)], ["Statuses", statuses], ["Version after", (u) => u.firmwareVersionAfter || "–"],
    ], "No firmware update asked."],
    ["Logs", "logs", [
      ["Asked", (l) => when(l.createdAt)], ["Kind", (l) => l.details.logType || "–"], ["Outcome", (l) => badge(l.outcome)],
      ["Statuses", statuses], ["File", (l) => (l.upload ? "uploaded" : "–")],
    ], "No log asked."],
  ]);
}

function security(body, context) {
  listing(body, context, [["Security events", "security-events", [
    ["When", (e) => when(e.timestamp || e.receivedAt)], ["Type", (e) => e.type],
    ["Critical", (e) => (e.critical ? badge("critical") : "no")], ["Details", (e) => e.techInfo || "–"],
  ], "No security event."]]);
}

function profiles(body, context) {
  listing(body, context, [["Charging profiles", "charging-profiles", [
    ["Id", (p) => p.profileId], ["EVSE", (p) => p.evseId], ["Purpose", (p) => p.purpose], ["Stack level", (p) => p.stackLevel],
    ["Status", (p) => p.status], ["Source", (p) => p.source], ["Updated", (p) => when(p.updatedAt)],
  ], "No charging profile."]]);
}

function reservations(body, context) {
  listing(body, context, [["Reservations", "reservations", [
    ["Id", (r) => r.reservationId], ["Id token", (r) => r.idToken], ["Where", (r) => r.evseId ?? r.connectorId ?? "any"],
    ["Expires", (r) => when(r.expiresAt)], ["State", (r) => r.state], ["Session", (r) => r.transactionId || "–"],
  ], "No reservation."]]);
}

async function certificates(body, context) {
  polled(context, async () => {
    try {
      const inventory = await get(`${context.path}/certificates`);
      replace(body,
        h("h2", {}, "Issued by the CSMS"),
        table("Issued certificates", [
          ["Use", (c) => c.use], ["Subject", (c) => c.subject], ["Serial", (c) => h("code", {}, c.serial || "–")],
          ["Status", (c) => c.status], ["In use", (c) => (c.inUse ? "yes" : "no")], ["Expires", (c) => when(c.notAfter)],
        ], inventory.issued, "None issued."),
        h("h2", {}, "Installed on the station"),
        table("Installed certificates", [
          ["Type", (c) => c.certificateType], ["Serial", (c) => h("code", {}, c.hashData.serialNumber)],
        ], inventory.installed || [], "None reported: ask for the inventory with POST …/certificates/refresh."));
    } catch (error) {
      failed(body, error);
    }
  });
}
