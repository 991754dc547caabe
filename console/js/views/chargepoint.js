// One charge point: its connectors and their history (unlock one, stop its session), the
// session in progress with its power and energy (start one, stop it), configuration, commands
// (the friendly ones and any call of its version, each form offering only the fields its
// version's schema has), the command history, firmware updates and logs, and the pages of the
// other blocks (security events; charging profiles, reservations, the local list, registration
// and certificates from station.js).

import { needs, permit } from "../access.js";
import { api, command, every, get, poll, query } from "../api.js";
import { sessionCharts } from "../chart.js";
import { ask, badge, field, h, json, kwh, message, replace, select, table, when } from "../dom.js";
import { firmwareUpdates } from "./firmware.js";
import { logsPanel } from "./logs.js";
import { PANELS, stationPanel } from "./station.js";

const TABS = [
  ["overview", "Overview"],
  ["session", "Session"],
  ["configuration", "Configuration"],
  ["commands", "Commands"],
  ["history", "Command history"],
  ["maintenance", "Firmware and logs"],
  ["security", "Security events"],
  ...PANELS.map(([key, text]) => [key, text]),
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
  context.poll = (work) => polled(context, work);
  const pages = { overview, session, configuration, commands, history, maintenance, security };
  if (PANELS.some(([key]) => key === tab)) context.timers.push(stationPanel(body, id, tab));
  else (pages[tab] || overview)(body, context);
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

// Terms and their values, each pair in a block of its own, so that a narrow column or a long
// value never sets a value under another's term.
export function facts(pairs) {
  return h("dl", { class: "facts" },
    pairs.map(([term, value]) => h("div", {}, h("dt", {}, term), h("dd", {}, value ?? "–"))));
}

// What the API answered a command with, or why it refused it, in `node`.
async function answerIn(node, sending) {
  replace(node, message("info", "Sent; waiting for the answer…"));
  try {
    replace(node, answerOf(await sending()));
  } catch (error) {
    replace(node, message("error", `${error.status || ""} ${error.message}`.trim()));
  }
}

const STOP = needs("POST /charge-points/<charge_point_id>/remote-stop");
const UNLOCK = needs("POST /charge-points/<charge_point_id>/unlock");

// Stop a session in progress, after asking; the station's answer shows in `said`.
export function stopButton(chargePointId, transactionId, said) {
  return permit(h("button", { type: "button", class: "danger", "aria-label": `Stop session ${transactionId}`, onclick: async () => {
    const sure = await ask(`Stop session ${transactionId}?`,
      "The station ends the charge now; the driver has to start again to charge more.", "Stop");
    if (sure) await answerIn(said, () => command(chargePointId, "remote-stop", { transactionId: String(transactionId) }));
  } }, "Stop"), STOP, "hide");
}

// A connector's own actions: unlock it (asking first when a session would end), stop its session.
function connectorActions(context, c, said) {
  const where = c.evseId === null || c.evseId === undefined ? {} : { evseId: c.evseId };
  const unlock = permit(h("button", { type: "button", class: "quiet", "aria-label": `Unlock ${connectorName(c)}`, onclick: async () => {
    if (c.activeTransactionId && !(await ask(`Unlock ${connectorName(c)}?`,
      `Its session ${c.activeTransactionId} ends when the cable is released.`, "Unlock"))) return;
    await answerIn(said, () => command(context.id, "unlock", { ...where, connectorId: c.connectorId }));
  } }, "Unlock"), UNLOCK, "hide");
  return h("div", { class: "actions" }, unlock, c.activeTransactionId ? stopButton(context.id, c.activeTransactionId, said) : null);
}

async function overview(body, context) {
  const details = h("div");
  const connectors = h("div");
  const history = h("div");
  const said = h("div", { class: "answer", "aria-live": "polite" }); // kept across refreshes
  replace(body, details, h("h2", {}, "Connectors"), said, connectors, h("h2", {}, "Status history"), history);
  polled(context, async () => {
    try {
      const cp = await get(context.path);
      replace(context.status, badge(cp.online ? "online" : "offline"));
      replace(details, facts([
        ["OCPP", cp.ocppVersion], ["Vendor", cp.vendor], ["Model", cp.model], ["Serial", cp.serialNumber],
        ["Firmware", cp.firmwareVersion], ["Site", cp.siteId], ["Security profile", cp.securityProfile],
        ["Connected", when(cp.connectedAt)], ["Last seen", when(cp.lastSeenAt)], ["Last boot", when(cp.lastBootAt)],
        ["Boot reason", cp.bootReason], ["Disconnected", when(cp.disconnectedAt)],
      ]));
      replace(connectors, table("Connectors", [
        ["Connector", connectorName],
        ["Status", (c) => badge(c.status)],
        ["Error", (c) => c.errorCode || "–"],
        ["Since", (c) => when(c.statusAt)],
        ["Session", (c) => (c.activeTransactionId
          ? h("a", { href: `#/sessions/${encodeURIComponent(context.id)}/${encodeURIComponent(c.activeTransactionId)}` }, c.activeTransactionId)
          : "–")],
        ["Actions", (c) => connectorActions(context, c, said)],
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
  const live = h("div");
  const said = h("div", { class: "answer", "aria-live": "polite" });
  const start = h("div");
  replace(body, said, live, start);
  get(context.path).then(async (cp) => {
    const forms = await versionForms(cp.ocppVersion);
    if (!forms) return;
    replace(start, startForm(context, forms, "Start a session"));
  }).catch((error) => failed(start, error));
  polled(context, async () => {
    try {
      const active = await get(`/transactions${query({ chargePointId: context.id, active: true })}`);
      if (!active.items.length) {
        replace(live, h("p", { class: "empty" }, "No session in progress."),
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
          h("div", { class: "actions" }, stopButton(context.id, detail.transactionId, said),
            h("a", { href: `#/sessions/${encodeURIComponent(context.id)}/${encodeURIComponent(detail.transactionId)}` }, "Open the session")),
          sessionCharts(detail.meterValues)));
      }
      replace(live, parts);
    } catch (error) {
      failed(live, error);
    }
  });
}

function answerOf(result) {
  if (result.status === "completed") return h("div", {}, message("ok", `${result.action}: answered`), json(result.response, `${result.action} answer`));
  if (result.error) return message("error", `${result.action}: ${result.error.code} ${result.error.description}`);
  return message("warn", `${result.action}: ${result.status}`);
}

// A form that sends a command and shows its answer (or the API's reason for refusing it); `path`
// is what it posts to under the charge point, and whether the caller may is the access table's.
// `confirm(data)` answers the question to ask first ([question, detail, yes]), or none.
function commandForm(context, path, title, controls, send, { description, confirm } = {}) {
  const output = h("div", { class: "answer", "aria-live": "polite" });
  const button = h("button", { type: "submit" }, title);
  const form = h("form", { class: "card", onsubmit: async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const question = confirm ? confirm(data) : null;
    if (question && !(await ask(...question))) return;
    button.disabled = true;
    await answerIn(output, () => send(data));
    button.disabled = false;
  } }, h("h2", {}, title), description ? h("p", { class: "muted" }, description) : null, controls, button, output);
  return permit(form, needs(`POST /charge-points/<charge_point_id>/${path}`));
}

const number = (value) => (value === "" || value === null ? undefined : Number(value));

// --- Forms from the station's version -----------------------------------------------------
// Each friendly form stands for one call of the station's version; the form is offered only if
// the version has that call, with only the fields its schema has (no EVSE on 1.6), and a list
// (Trigger's messages) from the schema's enum.

const CALLS = {
  reset: ["Reset", "Reset"],
  unlock: ["UnlockConnector", "UnlockConnector"],
  availability: ["ChangeAvailability", "ChangeAvailability"],
  "remote-start": ["RemoteStartTransaction", "RequestStartTransaction"],
  "remote-stop": ["RemoteStopTransaction", "RequestStopTransaction"],
  trigger: ["TriggerMessage", "TriggerMessage"],
};
const known = new Map();

// A JSON Schema node with its $ref followed (the 2.x schemas keep their types in definitions).
function resolved(schema, node) {
  let at = node;
  for (let depth = 0; at && at.$ref && depth < 10; depth++) {
    at = at.$ref.replace(/^#\//, "").split("/").reduce((n, key) => (n ? n[key] : undefined), schema);
  }
  return at || {};
}

// The fields a call's payload takes: its properties, and an object's own one level down
// ("evse.connectorId").
export function fieldsOf(schema) {
  const names = new Set();
  for (const [name, node] of Object.entries(schema.properties || {})) {
    names.add(name);
    for (const inner of Object.keys(resolved(schema, node).properties || {})) names.add(`${name}.${inner}`);
  }
  return names;
}

// The values a field of the payload may take, from its schema.
export function choicesOf(schema, name) {
  return resolved(schema, (schema.properties || {})[name]).enum || [];
}

// The version's calls and, for each friendly form's path, its call's schema; null before the
// station's first connection (no version known). Read once per version.
async function versionForms(version) {
  if (!version) return null;
  if (!known.has(version)) {
    known.set(version, (async () => {
      const v = encodeURIComponent(version);
      const { actions } = await get(`/ocpp-versions/${v}/actions`);
      const schemas = {};
      await Promise.all(Object.entries(CALLS).map(async ([path, [old, now]]) => {
        const action = version === "1.6" || version === "1.5" ? old : now;
        if (actions.includes(action)) schemas[path] = await get(`/ocpp-versions/${v}/actions/${encodeURIComponent(action)}`);
      }));
      return { version, actions, schemas };
    })().catch((error) => {
      known.delete(version);
      throw error;
    }));
  }
  return known.get(version);
}

// The EVSE and connector fields a call's schema has (an EVSE is 2.x's alone).
function where(forms, path, { connectorRequired = false, connectorValue } = {}) {
  const fields = fieldsOf(forms.schemas[path] || {});
  return [
    fields.has("evseId") || fields.has("evse")
      ? field("EVSE", h("input", { name: "evseId", type: "number", min: "0", inputmode: "numeric" })) : null,
    fields.has("connectorId") || fields.has("evse.connectorId")
      ? field("Connector", h("input", { name: "connectorId", type: "number", min: "0", inputmode: "numeric",
        required: connectorRequired, value: connectorValue })) : null,
  ];
}

function place(data) {
  return { evseId: number(data.get("evseId")), connectorId: number(data.get("connectorId")) };
}

function startForm(context, forms, title) {
  if (!forms.schemas["remote-start"]) return null;
  return commandForm(context, "remote-start", title, [
    field("Id token", h("input", { name: "idToken", required: true, maxlength: "36" })), ...where(forms, "remote-start")],
  (data) => command(context.id, "remote-start", { idToken: data.get("idToken").trim(), ...place(data) }));
}

async function commands(body, context) {
  let cp;
  let forms;
  try {
    cp = await get(context.path);
    forms = await versionForms(cp.ocppVersion);
  } catch (error) {
    failed(body, error);
    return;
  }
  replace(context.status, badge(cp.online ? "online" : "offline"));
  if (!forms) {
    replace(body, h("p", { class: "card empty" }, "The command forms follow the station's OCPP version: they need it to have connected once."));
    return;
  }
  const send = (path, payload) => command(context.id, path, payload);
  const has = (path) => Boolean(forms.schemas[path]);
  const messages = choicesOf(forms.schemas.trigger || {}, "requestedMessage");
  replace(body, h("div", { class: "grid" },
    has("reset") ? commandForm(context, "reset", "Reset", [
      field("Kind", select("hard", [["false", "Soft / on idle"], ["true", "Hard / immediate"]], "false")), ...where(forms, "reset")],
    (data) => send("reset", { hard: data.get("hard") === "true", evseId: number(data.get("evseId")) }),
    { confirm: (data) => (data.get("hard") === "true"
      ? [`Reset ${context.id} now?`, "A hard reset ends every session in progress at once.", "Reset"] : null) }) : null,
    has("unlock") ? commandForm(context, "unlock", "Unlock", where(forms, "unlock", { connectorRequired: true, connectorValue: "1" }),
      (data) => send("unlock", place(data))) : null,
    has("availability") ? commandForm(context, "availability", "Availability", [...where(forms, "availability"),
      field("Make it", select("operative", [["true", "Operative"], ["false", "Inoperative"]], "true"))],
    (data) => send("availability", { ...place(data), operative: data.get("operative") === "true" })) : null,
    startForm(context, forms, "Remote start"),
    has("remote-stop") ? commandForm(context, "remote-stop", "Remote stop", [field("Transaction", h("input", { name: "transactionId", required: true }))],
      (data) => send("remote-stop", { transactionId: data.get("transactionId").trim() }),
      { confirm: (data) => [`Stop session ${data.get("transactionId").trim()}?`, "The station ends the charge now.", "Stop"] }) : null,
    has("trigger") ? commandForm(context, "trigger", "Trigger a message", [
      field("Message", select("message", messages.map((m) => [m, m]), messages.includes("StatusNotification") ? "StatusNotification" : messages[0])),
      ...where(forms, "trigger")],
    (data) => send("trigger", { message: data.get("message"), ...place(data) })) : null,
    genericForm(context, forms)));
}

// Any call of the station's version: the action list and each payload's schema come from the API.
function genericForm(context, forms) {
  const { actions, version } = forms;
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
  }, { description: `Any call a CSMS sends in OCPP ${version}, checked against that version's schema before it is sent.` });
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

function maintenance(body, context) {
  const updates = h("section");
  const logs = h("section");
  replace(body, updates, logs);
  firmwareUpdates(updates, context);
  logsPanel(logs, context);
}

function security(body, context) {
  listing(body, context, [["Security events", "security-events", [
    ["When", (e) => when(e.timestamp || e.receivedAt)], ["Type", (e) => e.type],
    ["Critical", (e) => (e.critical ? badge("critical") : "no")], ["Details", (e) => e.techInfo || "–"],
  ], "No security event."]]);
}
