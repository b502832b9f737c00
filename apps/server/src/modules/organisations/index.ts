/** Organisations, and the people of one who can do a kind of work. */
export { peopleWith, requireColleagueWith, userHolds } from './people.ts';
export { getOrganisation } from './queries.ts';
