/**
 * The enumerations and patterns of the JS7 (JOC Cockpit 2.x) API that the configuration needs
 * (../shared/joc-api/JS7-NOTES.md §2). Enum values are written as the schemas spell them.
 */

/**
 * `orderStates` a JS7 Controller may list (CONTRACT §2): the `states` filter values of `/orders`
 * (`order/orderStateText-schema.json`) that the exporter groups per workflow.
 */
export const JS7_ORDER_STATE_FILTERS = [
  'PENDING',
  'SCHEDULED',
  'INPROGRESS',
  'RUNNING',
  'PROMPTING',
  'SUSPENDED',
  'WAITING',
  'BLOCKED',
  'FAILED',
] as const;
export type Js7OrderStateFilter = (typeof JS7_ORDER_STATE_FILTERS)[number];

/** `controllerId` (`common/controllerIdRequired-schema.json`): 1 to 100 characters of this pattern. */
export const CONTROLLER_ID_PATTERN = '^[^/\\\\<>?!&:;()"|*^]*$';
/** The characters the Controller ID pattern excludes, for messages. */
export const FORBIDDEN_CONTROLLER_ID_CHARACTERS = '/ \\ < > ? ! & : ; ( ) " | * ^';
