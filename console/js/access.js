// What the signed-in caller may do. The console reads GET /me once after sign-in and shows only
// the controls its permissions allow: any other is disabled with the reason the API would give
// in its 403 ("viewer may not send commands"), or hidden. The API still decides: this only spares
// a user the refusal.

import { get } from "./api.js";
import { h } from "./dom.js";

// Every API route a console control calls, as the API declares it (ACCESS in
// functions/operator_api/routes/), and the permission it needs. The one table in the console:
// a view names the route its control calls, and a test holds this table to the API's.
export const ROUTES = {
  "POST /charge-points/<charge_point_id>/reset": "reset stations",
  "POST /charge-points/<charge_point_id>/unlock": "send commands",
  "POST /charge-points/<charge_point_id>/availability": "send commands",
  "POST /charge-points/<charge_point_id>/trigger": "send commands",
  "POST /charge-points/<charge_point_id>/commands": "send commands",
  "POST /charge-points/<charge_point_id>/remote-start": "start and stop sessions",
  "POST /charge-points/<charge_point_id>/remote-stop": "start and stop sessions",
  "POST /charge-points/<charge_point_id>/configuration/read": "change configuration",
  "POST /charge-points/<charge_point_id>/configuration/change": "change configuration",
  "POST /charge-points/<charge_point_id>/firmware-updates": "update firmware",
  "POST /charge-points/<charge_point_id>/logs": "collect logs",
  "POST /firmware": "update firmware",
  "DELETE /firmware/<firmware_id>": "update firmware",
  "POST /firmware-rollouts": "update firmware",
  "POST /firmware-rollouts/<rollout_id>/pause": "update firmware",
  "POST /firmware-rollouts/<rollout_id>/resume": "update firmware",
  "POST /firmware-rollouts/<rollout_id>/cancel": "update firmware",
  "PUT /id-tokens/<id_token>": "manage id tokens",
  "GET /transactions": "read",
  "GET /api-keys": "manage api keys",
  "POST /api-keys": "manage api keys",
  "DELETE /api-keys/<api_key_id>": "manage api keys",
  "GET /audit": "read the audit trail",
  "GET /tenants": "manage tenants",
  "POST /tenants": "manage tenants",
  "GET /drivers": "manage drivers",
  "POST /drivers": "manage drivers",
  "DELETE /drivers/<driver_id>": "manage drivers",
  "POST /drivers/<driver_id>/keys": "manage drivers",
  "PUT /drivers/<driver_id>/id-tokens/<id_token>": "manage drivers",
  "DELETE /drivers/<driver_id>/id-tokens/<id_token>": "manage drivers",
  // Sites, tariffs and CDRs, id tokens, and a station's administration (views/station.js).
  "PUT /sites/<site_id>": "manage sites",
  "PUT /tariffs/<tariff_id>": "manage tariffs",
  "DELETE /tariffs/<tariff_id>": "manage tariffs",
  "POST /tariffs/<tariff_id>/preview": "manage tariffs",
  "GET /security-events": "read",
  "GET /cdrs": "read",
  "GET /id-tokens": "read",
  "DELETE /id-tokens/<id_token>": "manage id tokens",
  "DELETE /charge-points/<charge_point_id>/charging-profiles/<profile_id>": "manage charging profiles",
  "POST /charge-points/<charge_point_id>/reservations": "manage reservations",
  "DELETE /reservations/<reservation_id>": "manage reservations",
  "POST /charge-points/<charge_point_id>/local-list": "send local lists",
  "POST /charge-points/<charge_point_id>/password": "rotate passwords",
  "POST /charge-points/<charge_point_id>/security-profile": "manage certificates",
  "PUT /charge-points/<charge_point_id>": "register charge points",
  "DELETE /charge-points/<charge_point_id>": "register charge points",
  "POST /charge-points/<charge_point_id>/certificates/refresh": "manage certificates",
  "POST /charge-points/<charge_point_id>/certificates": "manage certificates",
  "DELETE /charge-points/<charge_point_id>/certificates/<serial>": "manage certificates",
  "POST /charge-points/<charge_point_id>/certificates/<serial>/revoke": "manage certificates",
};

// The roles an operator holds, lowest first (a key's role is never above its maker's).
export const ROLES = ["viewer", "technician", "operator", "admin"];

let me = null;

// Who the caller is and what it may do ({principal, kind, role, tenantId, permissions}).
export async function signedIn() {
  me = await get("/me");
  return me;
}

export function whoAmI() {
  return me;
}

export function forgetMe() {
  me = null;
}

// The permission the route needs; a route missing from the table is a mistake in the console.
export function needs(route) {
  const permission = ROUTES[route];
  if (!permission) throw new Error(`The console's access table lacks ${route}`);
  return permission;
}

export function may(permission) {
  return Boolean(me) && me.permissions.includes(permission);
}

// The API's own words for a refusal (shared/domain/accounts.py, refusal()).
export function refusal(permission) {
  return `${me ? me.role : "this caller"} may not ${permission}`;
}

const CONTROLS = "button, input, select, textarea";

// Lets `element` (a form, a button, any block of controls) be used only by a caller who holds
// `permission`. Otherwise: hidden when `how` is "hide"; else each control in it is disabled with
// the reason as its description, and a form or block also shows the reason as a line of text.
// Answers the element, so that a view can wrap a control where it builds it.
export function permit(element, permission, how = "disable") {
  if (may(permission)) return element;
  const reason = refusal(permission);
  if (how === "hide") {
    element.hidden = true;
    return element;
  }
  const controls = element.matches(CONTROLS) ? [element] : [...element.querySelectorAll(CONTROLS)];
  for (const control of controls) {
    control.disabled = true;
    control.title = reason;
  }
  element.dataset.refused = permission;
  if (!element.matches(CONTROLS)) element.append(h("p", { class: "message refused" }, reason));
  return element;
}
