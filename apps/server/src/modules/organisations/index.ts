/** Organisations, and the people of one who can do a kind of work. */
export { peopleWith, requireColleagueWith } from './people.ts';
export { getOrganisation, userHolds } from './queries.ts';
