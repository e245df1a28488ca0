// The demo organisation's content as plain data: what the loader inserts and the tests check.
export * from './types';
export { teams, services, people, getService, getPerson, dependentsOf, seniorsOf, membersOf, AGENT_TOOLS, ORG_DOMAIN } from './data/org';
export { storyIncidents, STORY } from './data/incidents';
export { watchouts } from './data/watchouts';
export { pendingChanges, pendingSpecs } from './data/pending';
export { generateHistory, generateDay, incidentProbability, type History, type HistoryOptions } from './history';
