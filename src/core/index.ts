export * from './errors';
export * from './uri';
export * from './mapping';
export * from './access';
export * from './api';
export * from './drive';
export * from './snippet';
