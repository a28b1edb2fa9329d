export * from './types';
export * from './series';
export * from './read';
export * from './tracker';
export * from './samples';
export * from './group';
