/**
 * The endpoints of the JS7 simulator (all `POST /joc/api/<endpoint>` except the GUI's static
 * `GET /joc/version.json`), the JOC release that introduced each one where it is later than 2.5
 * (JS7-NOTES §4), and the permission each data resource checks (named in the 403 message; the
 * names follow JS7's permission tree and are the simulator's [I], the behaviour is JOC's: 403
 * after the session and body checks, JS7-NOTES §0.1).
 */

export const JS7_ENDPOINTS = [
  'authentication/login',
  'authentication/logout',
  'touch',
  'version.json',
  'joc/version',
  'joc/versions',
  'controller/ids',
  'controllers',
  'controller',
  'controller/components',
  'jocs',
  'joc/is_active',
  'orders/overview/snapshot',
  'orders',
  'workflows',
  'workflows/overview/snapshot',
  'workflows/order_count',
  'agents',
  'tasks/history',
  'orders/history',
  'orders/overview/summary',
  'jobs/overview/summary',
  'daily_plan/orders/summary',
] as const;
export type Js7Endpoint = (typeof JS7_ENDPOINTS)[number];

/** The endpoints that check a session and a permission. */
export type Js7DataEndpoint = Exclude<Js7Endpoint, 'authentication/login' | 'authentication/logout' | 'touch' | 'version.json'>;

/** The first release with the endpoint, where it is later than the oldest one simulated. */
export const JS7_SINCE: Readonly<Partial<Record<Js7Endpoint, string>>> = {
  jocs: '2.5.4',
  'joc/version': '2.7.2',
  'workflows/overview/snapshot': '2.7.3',
};

const CONTROLLER_VIEW = 'sos:products:controller:view';
const ORDERS_VIEW = 'sos:products:controller:orders:view';
const WORKFLOWS_VIEW = 'sos:products:controller:workflows:view';

/**
 * The permission each endpoint checks (JOC Cockpit 2.8's `initPermissions`), or null where a
 * valid session is all it asks: `joc/version`, `jocs` and `joc/is_active`, and `joc/versions`,
 * which leaves out what the account may not view instead of answering 403. The Controller
 * permissions are per Controller ID. The history endpoints and the daily plan's summary check the
 * view of orders, not a JOC Cockpit permission.
 */
export const JS7_PERMISSION_OF = {
  'joc/version': null,
  'joc/versions': null,
  'controller/ids': CONTROLLER_VIEW,
  controllers: CONTROLLER_VIEW,
  controller: CONTROLLER_VIEW,
  'controller/components': CONTROLLER_VIEW,
  jocs: null,
  'joc/is_active': null,
  'orders/overview/snapshot': ORDERS_VIEW,
  orders: ORDERS_VIEW,
  workflows: WORKFLOWS_VIEW,
  'workflows/overview/snapshot': WORKFLOWS_VIEW,
  'workflows/order_count': WORKFLOWS_VIEW,
  agents: 'sos:products:controller:agents:view',
  'tasks/history': ORDERS_VIEW,
  'orders/history': ORDERS_VIEW,
  'orders/overview/summary': ORDERS_VIEW,
  'jobs/overview/summary': ORDERS_VIEW,
  'daily_plan/orders/summary': ORDERS_VIEW,
} as const satisfies Readonly<Record<Js7DataEndpoint, string | null>>;

/** The endpoints that check a permission, and so can answer 403. */
export type Js7PermittedEndpoint = { [E in Js7DataEndpoint]: (typeof JS7_PERMISSION_OF)[E] extends null ? never : E }[Js7DataEndpoint];

/** The permission `endpoint` checks; an error for one that checks none (JOC never denies it). */
export function js7PermissionOf(endpoint: Js7DataEndpoint): string {
  const permission: string | null = JS7_PERMISSION_OF[endpoint];
  if (permission === null) throw new Error(`JOC Cockpit checks no permission for ${endpoint} (a valid session is enough), so it cannot be denied`);
  return permission;
}

export function isJs7Endpoint(name: string): name is Js7Endpoint {
  return (JS7_ENDPOINTS as readonly string[]).includes(name);
}
