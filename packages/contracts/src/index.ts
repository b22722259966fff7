export * from './errors.js';
export * from './roles.js';
export * from './org.js';
export * from './pii.js';
export * from './residents.js';
export * from './messages.js';
