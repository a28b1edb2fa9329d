/** The configuration of the exporter: loading, validation and the resolved types (CONTRACT §2). */
export { loadConfig, parseConfig } from './load';
export { summarise } from './summary';
export * from './types';
