export * from './org';
export * from './changes';
export * from './ops';
export * from './system';
export * from './github';
